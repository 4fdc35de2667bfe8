//! `tnproof check`: runs the kernel on certificate files and reports each file's outcome.
//! Exit 0 when every certificate is confirmed and records every verdict as expected; 1 when
//! every one is confirmed but some record a verdict not as expected (sound certificates of
//! claims that came out otherwise, listed by file, line and claim); 2 when one is rejected, or
//! when a file or folder cannot be read as certificates at all.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tnproof::run::RunError;
use tnproof::sweep::counted;
use tnproof_kernel::{check as kernel_check, Unexpected, HEADER};

pub fn check(mut files: Vec<PathBuf>, dir: Option<PathBuf>) -> Result<ExitCode, RunError> {
    if let Some(dir) = dir {
        files.extend(certificates_in(&dir)?);
    }
    if files.is_empty() {
        return Err(RunError::Nothing(
            "no certificate files given; name them, or a folder of them with --dir DIR".into(),
        ));
    }
    let texts = files
        .iter()
        .map(|f| read_certificates(f))
        .collect::<Result<Vec<_>, _>>()?;
    let outcomes: Vec<_> = {
        use rayon::prelude::*;
        texts.par_iter().map(|text| kernel_check(text)).collect()
    };
    let (mut rejected, mut certificates, mut claims, mut unexpected) = (0, 0, 0, 0);
    for (file, outcome) in files.iter().zip(outcomes) {
        match outcome {
            Ok(done) => {
                println!(
                    "confirmed {}: {}, {}{}",
                    file.display(),
                    counted(done.certificates, "certificate"),
                    counted(done.claims, "claim"),
                    match done.unexpected.len() {
                        0 => String::new(),
                        n => format!(", {} NOT AS EXPECTED", counted(n, "verdict")),
                    }
                );
                for u in &done.unexpected {
                    println!(
                        "  NOT AS EXPECTED {}:{}: {}",
                        file.display(),
                        u.line,
                        not_as_expected(u)
                    );
                }
                certificates += done.certificates;
                claims += done.claims;
                unexpected += done.unexpected.len();
            }
            Err(rejection) => {
                rejected += 1;
                println!("REJECTED {}:{}: {}", file.display(), rejection.line, rejection.why());
            }
        }
    }
    let files = files.len();
    if rejected > 0 {
        let recorded = match unexpected {
            0 => String::new(),
            n => format!("; the confirmed ones record {}", counted(n, "unexpected verdict")),
        };
        println!(
            "summary: {}, {} confirmed, {rejected} rejected{recorded}",
            counted(files, "file"),
            files - rejected
        );
        return Ok(ExitCode::from(2));
    }
    let confirmed = format!(
        "confirmed {} in {} ({})",
        counted(certificates, "certificate"),
        counted(files, "file"),
        counted(claims, "claim")
    );
    if unexpected > 0 {
        println!(
            "summary: {confirmed}, but they record {}",
            counted(unexpected, "unexpected verdict")
        );
        return Ok(ExitCode::from(1));
    }
    println!("summary: {confirmed}, every verdict as expected");
    Ok(ExitCode::SUCCESS)
}

/// `claim 4 (tt-ranks): fails, expected holds`.
fn not_as_expected(u: &Unexpected) -> String {
    let expected = match u.expected {
        Some(v) => format!("expected {}", v.word()),
        None => "a probe, which expects holds or fails".to_string(),
    };
    format!(
        "claim {} ({}): {}, {expected}",
        u.claim.number,
        u.claim.kind,
        u.verdict.word()
    )
}

/// The `*.cert` files of `dir`, sorted; refused when there are none, naming `dir` as given.
fn certificates_in(dir: &Path) -> Result<Vec<PathBuf>, RunError> {
    let io = |e: std::io::Error| RunError::Io {
        path: dir.display().to_string(),
        message: e.to_string(),
    };
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()).map_err(io))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "cert"))
        .collect();
    if found.is_empty() {
        return Err(RunError::Nothing(format!(
            "no certificates in {} (it holds no *.cert files)",
            dir.display()
        )));
    }
    found.sort();
    Ok(found)
}

/// A file's text, if it is UTF-8, starts as a certificate does and ends its lines with LF.
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
    if let Some(line) = text.split('\n').position(|l| l.ends_with('\r')) {
        return Err(unreadable(format!(
            "line endings are CRLF (\\r\\n), from line {}; certificates use LF (\\n) alone: convert the file (e.g. with dos2unix) and check it again",
            line + 1
        )));
    }
    Ok(text)
}
