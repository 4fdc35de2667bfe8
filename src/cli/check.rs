//! `tnproof check`: runs the kernel on certificate files and reports each file's outcome.
//! Exit 0 when every certificate is confirmed, 1 when any is rejected, 2 when a file cannot be
//! read as certificates at all.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tnproof::run::RunError;
use tnproof_kernel::{check as kernel_check, HEADER};

pub fn check(mut files: Vec<PathBuf>, dir: Option<PathBuf>) -> Result<ExitCode, RunError> {
    if let Some(dir) = dir {
        let io = |e: std::io::Error| RunError::Io {
            path: dir.display().to_string(),
            message: e.to_string(),
        };
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(io)?
            .map(|e| e.map(|e| e.path()).map_err(io))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "cert"))
            .collect();
        found.sort();
        files.extend(found);
    }
    if files.is_empty() {
        return Err(RunError::Io {
            path: ".".into(),
            message: "no certificate files given".into(),
        });
    }
    let texts = files
        .iter()
        .map(|f| read_certificates(f))
        .collect::<Result<Vec<_>, _>>()?;
    let mut rejected = 0;
    let outcomes: Vec<_> = {
        use rayon::prelude::*;
        texts.par_iter().map(|text| kernel_check(text)).collect()
    };
    for (file, outcome) in files.iter().zip(outcomes) {
        match outcome {
            Ok(done) => println!(
                "confirmed {}: {} certificates, {} claims",
                file.display(),
                done.certificates,
                done.claims
            ),
            Err(rejection) => {
                rejected += 1;
                println!("REJECTED {}:{}: {}", file.display(), rejection.line, rejection.why());
            }
        }
    }
    println!(
        "summary: {} files, {} confirmed, {rejected} rejected",
        files.len(),
        files.len() - rejected
    );
    Ok(if rejected == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A file's text, if it is UTF-8 and starts as a certificate does.
fn read_certificates(path: &Path) -> Result<String, RunError> {
    let unreadable = |message: String| RunError::Io {
        path: path.display().to_string(),
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|_| unreadable("not UTF-8 text".into()))?;
    if !text.starts_with(HEADER) {
        return Err(unreadable(format!(
            "not a certificate (it does not start with '{HEADER}')"
        )));
    }
    Ok(text)
}
