//! `tnproof sweep` and `tnproof merge`: decide one case over its grid (or one shard of it) with a
//! progress bar on a terminal, write the CSV, the Markdown report, the plot and, when asked, the
//! LaTeX tables and plot and the certificate of every instance, and print the totals; merge
//! shard CSVs into the files the whole run writes; write the LaTeX tables and plot of sweep CSVs. Exit status as for `verify`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;
use tnproof::certificate::{file_name, render};
use tnproof::run::{load_case, RunError};
use tnproof::sweep::{
    counted, from_csv, merge as merge_shards, sweep as sweep_case, to_csv, to_latex, to_markdown, to_pgf, to_svg,
    Shard, Sweep,
};

#[derive(clap::Args)]
pub struct SweepArgs {
    /// The case file.
    case: PathBuf,
    /// Only shard i of N: the instances whose 0-based grid index k has k % N = i - 1.
    #[arg(long, value_name = "i/N", default_value_t = Shard::WHOLE)]
    shard: Shard,
    /// Write <case id>[.shard-i-of-N].csv and .md (and <case id>.svg) into this folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    out: PathBuf,
    /// Also write the certificate of every instance swept into this folder (created if needed;
    /// it may hold only certificates, which shards of one split can share), for
    /// `tnproof check --dir DIR`.
    #[arg(long, value_name = "DIR")]
    certificates: Option<PathBuf>,
    /// Also list, under each claim, the grid points where it fails or is undecided as expected,
    /// with the evidence.
    #[arg(long)]
    verbose: bool,
    /// Also write <case id>[.shard-i-of-N].tex: the tables in LaTeX (booktabs), and for a whole
    /// run <case id>.pgf.tex: the plot in PGF/TikZ (pgfplots).
    #[arg(long)]
    latex: bool,
    #[command(flatten)]
    limit: super::LimitArgs,
}

pub fn sweep(args: SweepArgs) -> Result<ExitCode, RunError> {
    let (shard, out, certificates) = (args.shard, args.out.as_path(), args.certificates.as_deref());
    let loaded = load_case(&args.case)?;
    let limit = args.limit.limit();
    let selected = loaded.instances_of_class(limit, shard.index - 1, shard.count)?;
    if let Some(dir) = certificates {
        super::refuse_foreign_files(dir)?;
        std::fs::create_dir_all(dir).map_err(|e| super::io(dir, e))?;
    }
    let bar = progress_bar(selected.len() as u64);
    // Each certificate is written under a temporary name as its instance is decided, and all
    // take their names only once every one is written.
    let staged: Mutex<Result<Vec<(PathBuf, PathBuf)>, RunError>> = Mutex::new(Ok(Vec::new()));
    let swept = sweep_case(&loaded, selected, shard, |result| {
        if let Some(dir) = certificates {
            let path = dir.join(file_name(&loaded, &result.instance));
            let tmp = super::sibling(&path, "new");
            let written = std::fs::write(&tmp, render(&loaded, result)).map_err(|e| super::io(&tmp, e));
            let mut staged = staged.lock().unwrap_or_else(|e| e.into_inner());
            match (staged.as_mut(), written) {
                (Ok(files), Ok(())) => files.push((tmp, path)),
                (Ok(_), Err(e)) => *staged = Err(e),
                (Err(_), _) => {}
            }
        }
        bar.inc(1);
    });
    bar.finish_and_clear();
    let renamed = staged
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .and_then(|files| {
            for (tmp, path) in &files {
                std::fs::rename(tmp, path).map_err(|e| super::io(path, e))?;
            }
            Ok(files.len())
        });
    let written = match (certificates, renamed) {
        (Some(dir), Ok(count)) => Some((dir, count)),
        (None, _) => None,
        (Some(dir), Err(e)) => {
            remove_staged(dir);
            return Err(e);
        }
    };
    report(&swept, out, written, args.verbose, args.latex)
}

/// Removes the temporary certificates this process left in `dir`.
fn remove_staged(dir: &Path) {
    let suffix = format!(".tnproof-new-{}", std::process::id());
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().ends_with(&suffix) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

pub fn merge(files: Vec<PathBuf>, out: &Path, latex: bool) -> Result<ExitCode, RunError> {
    if files.is_empty() {
        return Err(RunError::Nothing(
            "no shard CSV files given; name the files 'tnproof sweep --shard i/N' wrote".into(),
        ));
    }
    let whole = merge_shards(read_sweeps(&files)?).map_err(|e| RunError::Io {
        path: "merge".into(),
        message: e.to_string(),
    })?;
    report(&whole, out, None, false, latex)
}

/// `tnproof table CSV...`: the LaTeX of each sweep CSV, `<stem>.tex` (the tables) and for a
/// whole run with rank claims `<stem>.pgf.tex` (the plot) into `out`, once every file has been
/// read.
pub fn table(files: Vec<PathBuf>, out: &Path) -> Result<ExitCode, RunError> {
    if files.is_empty() {
        return Err(RunError::Nothing(
            "no sweep CSV files given; name the files 'tnproof sweep' or 'tnproof merge' wrote".into(),
        ));
    }
    let tables: Vec<(PathBuf, String)> = read_sweeps(&files)?
        .iter()
        .flat_map(|(_, sweep)| latex_files(sweep, out))
        .collect();
    super::write_files(out, &tables)?;
    let names: Vec<String> = tables.iter().map(|(p, _)| p.display().to_string()).collect();
    println!("wrote {}", names.join(", "));
    Ok(ExitCode::SUCCESS)
}

/// Each file read as a sweep CSV, with its name; an error names the file and line.
fn read_sweeps(files: &[PathBuf]) -> Result<Vec<(String, Sweep)>, RunError> {
    files
        .iter()
        .map(|file| {
            let name = file.display().to_string();
            let text = std::fs::read_to_string(file).map_err(|e| RunError::Io {
                path: name.clone(),
                message: e.to_string(),
            })?;
            let sweep = from_csv(&text).map_err(|e| RunError::Io {
                path: format!("{name}:{}", e.line),
                message: e.message,
            })?;
            Ok((name, sweep))
        })
        .collect()
}

/// A bar with instances done, rate and ETA, drawn on stderr only when it is a terminal.
fn progress_bar(instances: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(instances), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::with_draw_target(Some(instances), ProgressDrawTarget::stderr());
    let template = "{bar:40} {pos}/{len} instances, {rate} per second, ETA {eta} (elapsed {elapsed})";
    let style = ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(
        style.with_key("rate", |state: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.1}", state.per_sec());
        }),
    );
    bar.enable_steady_tick(Duration::from_millis(500));
    bar
}

/// Writes the sweep's files, prints its totals, the verdicts not as expected and the files
/// written (with the certificates written into a folder, and how many), and gives the exit
/// status: 0 when every claim came out as expected, 1 otherwise.
fn report(
    sweep: &Sweep,
    out: &Path,
    certificates: Option<(&Path, usize)>,
    verbose: bool,
    latex: bool,
) -> Result<ExitCode, RunError> {
    let written = write_files(sweep, out, latex)?;
    print!("{}", sweep.report(verbose));
    let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    println!("wrote {}", names.join(", "));
    if let Some((dir, count)) = certificates {
        println!(
            "wrote {} into {}; re-check them with: tnproof check --dir {}",
            counted(count, "certificate"),
            dir.display(),
            dir.display()
        );
    }
    Ok(if sweep.misses().next().is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `DIR/<stem>.tex`, the tables, and for a whole run with rank claims `DIR/<case id>.pgf.tex`,
/// the plot.
fn latex_files(sweep: &Sweep, out: &Path) -> Vec<(PathBuf, String)> {
    let stem = stem(sweep);
    let mut files = vec![(out.join(format!("{stem}.tex")), to_latex(sweep))];
    if sweep.shard.is_whole() {
        files.extend(to_pgf(sweep).map(|pgf| (out.join(format!("{stem}.pgf.tex")), pgf)));
    }
    files
}

/// `DIR/<case id>.csv` and `.md`, with `.shard-i-of-N` before the extension for a shard, and
/// `DIR/<case id>.svg` for a whole run when it has rank claims; with `latex`, `latex_files`.
/// Each file is written under a temporary name first, then renamed.
fn write_files(sweep: &Sweep, out: &Path, latex: bool) -> Result<Vec<PathBuf>, RunError> {
    let stem = stem(sweep);
    let mut files = vec![
        (out.join(format!("{stem}.csv")), to_csv(sweep)),
        (out.join(format!("{stem}.md")), to_markdown(sweep)),
    ];
    if latex {
        files.extend(latex_files(sweep, out));
    }
    if sweep.shard.is_whole() {
        let svg = to_svg(sweep).map_err(|e| RunError::Io {
            path: out.display().to_string(),
            message: e.to_string(),
        })?;
        files.extend(svg.map(|svg| (out.join(format!("{stem}.svg")), svg)));
    }
    super::write_files(out, &files)?;
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

/// `<case id>`, with `.shard-i-of-N` for a shard.
fn stem(sweep: &Sweep) -> String {
    let case = &sweep.fingerprint.case;
    if sweep.shard.is_whole() {
        case.clone()
    } else {
        format!("{case}.shard-{}-of-{}", sweep.shard.index, sweep.shard.count)
    }
}
