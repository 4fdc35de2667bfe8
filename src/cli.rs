//! The command line: clap definitions, the human-readable report, exit codes. No mathematics:
//! every verdict comes from the library; this module only wires it to files and the terminal.

mod check;
mod experiment;
mod show;
mod sweep;
mod table2;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tnproof::case::ResourceLimit;
use tnproof::certificate::{file_name, render, InstanceResult, FORMAT};
use tnproof::data::json_report;
use tnproof::run::{case_files, decide, prepare, RunError};
use tnproof::sweep::{claim_lines, counted, ClaimColumns, ClaimTotals, SweepRow};

#[derive(Parser)]
#[command(
    name = "tnproof",
    version,
    about = "Checks the constructions behind the expressivity theorems of tensor networks, exactly"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decide every claim of the given case files (or folders of *.toml) and report.
    Verify {
        /// Case files or folders; default: cases/
        paths: Vec<PathBuf>,
        /// Write one certificate per case instance into this folder.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Print a machine-readable JSON report instead of the text report.
        #[arg(long)]
        json: bool,
        /// Also list, under each claim, the grid points where it fails or is undecided as
        /// expected, with the evidence (the counterexample of an expected failure).
        #[arg(long)]
        verbose: bool,
        #[command(flatten)]
        limit: LimitArgs,
    },
    /// Re-check certificates with the small trusted kernel, from their own content.
    Check {
        /// Certificate files (one or more certificates each).
        files: Vec<PathBuf>,
        /// Also check every *.cert file in this folder.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Print one instance's cores and the matricizations its claims use, for reading the
    /// construction.
    Show(show::ShowArgs),
    /// Decide one case over its grid (or one shard of it) and write a CSV table, a Markdown
    /// report and an SVG plot of rank against bound.
    Sweep(sweep::SweepArgs),
    /// Merge the shard CSVs of a sweep into the files the whole sweep writes.
    Merge {
        /// The CSV files of all shards of one split.
        files: Vec<PathBuf>,
        /// Write <case id>.csv, .md and .svg into this folder.
        #[arg(long, value_name = "DIR", default_value = ".")]
        out: PathBuf,
        /// Also write <case id>.tex: the tables in LaTeX (booktabs), and <case id>.pgf.tex: the
        /// plot in PGF/TikZ (pgfplots).
        #[arg(long)]
        latex: bool,
    },
    /// Write the LaTeX of sweep CSVs: the tables (booktabs), <case id>[.shard-i-of-N].tex each,
    /// and for a whole sweep with rank claims the plot (pgfplots), <case id>.pgf.tex.
    Table {
        /// Sweep CSV files, as `tnproof sweep` or `tnproof merge` wrote them.
        files: Vec<PathBuf>,
        /// Write the .tex files into this folder.
        #[arg(long, value_name = "DIR", default_value = ".")]
        out: PathBuf,
    },
    /// Table 2 of Khrulkov, Novikov, Oseledets 2018 (TT, HT and CP widths), decided and
    /// certified: table2.md, the generated cases and their certificates.
    Table2 {
        /// Write table2.md, cases/ and certificates/ into this folder.
        #[arg(long, value_name = "DIR", default_value = "table2")]
        out: PathBuf,
        #[command(flatten)]
        limit: LimitArgs,
    },
    /// Rerun the sources' expressivity experiment: random generalized RNNs, certified odd/even
    /// ranks of their grid tensors, lower bounds on the width of equivalent shallow networks.
    Expressivity(experiment::ExpressivityArgs),
}

#[derive(clap::Args)]
struct LimitArgs {
    /// Refuse instances whose dense tensors would need more memory than this many GiB.
    #[arg(long, value_name = "GIB", default_value_t = 4.0)]
    max_memory: f64,
}

impl LimitArgs {
    fn limit(&self) -> ResourceLimit {
        ResourceLimit::memory((self.max_memory.max(0.0) * (1u64 << 30) as f64) as u128)
    }
}

/// Exit status: 0 all as expected, 1 some claim not as expected, 2 bad input or usage.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Verify {
            paths,
            out,
            json,
            verbose,
            limit,
        } => verify(paths, out, json, verbose, limit.limit()),
        Command::Show(args) => show::show(args),
        Command::Check { files, dir } => check::check(files, dir),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Merge { files, out, latex } => sweep::merge(files, &out, latex),
        Command::Table { files, out } => sweep::table(files, &out),
        Command::Table2 { out, limit } => table2::table2(&out, limit.limit()),
        Command::Expressivity(args) => experiment::expressivity(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn verify(
    paths: Vec<PathBuf>,
    out: Option<PathBuf>,
    json: bool,
    verbose: bool,
    limit: ResourceLimit,
) -> Result<ExitCode, RunError> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from("cases")]
    } else {
        paths
    };
    let files = case_files(&paths)?;
    if files.is_empty() {
        return Err(RunError::Io {
            path: paths[0].display().to_string(),
            message: "no *.toml case files here".into(),
        });
    }
    let prepared = prepare(&files, limit)?;
    if let Some(dir) = &out {
        refuse_foreign_files(dir)?;
    }
    let results: Vec<_> = prepared
        .into_iter()
        .map(|(case, instances)| (case, decide(instances)))
        .collect();
    if let Some(dir) = out {
        write_certificates(&dir, &results)?;
    }
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json_report(&results)).expect("JSON values serialize")
        );
    } else {
        print_report(&results, verbose);
    }
    let all_expected = results.iter().all(|(_, rs)| rs.iter().all(InstanceResult::as_expected));
    Ok(if all_expected {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `--out DIR` replaces DIR as a whole, so it may hold only certificates (of an earlier run);
/// anything else there is refused, before any work, rather than deleted.
fn refuse_foreign_files(dir: &Path) -> Result<(), RunError> {
    let entries = match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        entries => entries.map_err(|e| io(dir, e))?,
    };
    for entry in entries {
        let path = entry.map_err(|e| io(dir, e))?.path();
        if !is_certificate(&path) {
            return Err(RunError::Io {
                path: dir.display().to_string(),
                message: format!(
                    "holds {}, which is not a tnproof certificate; --out replaces the whole folder, so give a new folder or one holding only certificates",
                    path.file_name().unwrap_or_default().to_string_lossy()
                ),
            });
        }
    }
    Ok(())
}

/// A `*.cert` file that begins as tnproof writes certificates.
fn is_certificate(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    path.extension().is_some_and(|e| e == "cert")
        && path.is_file()
        && std::fs::File::open(path)
            .and_then(|f| f.take(FORMAT.len() as u64 + 1).read_to_end(&mut head))
            .is_ok_and(|_| head == format!("{FORMAT}\n").as_bytes())
}

/// The folder `dir` with `.tnproof-<role>-<process id>` appended to its name, beside it.
fn sibling(dir: &Path, role: &str) -> PathBuf {
    let mut name = dir.as_os_str().to_owned();
    name.push(format!(".tnproof-{role}-{}", std::process::id()));
    PathBuf::from(name)
}

/// Writes this run's certificates into a fresh folder beside `dir`, which replaces `dir` (set
/// aside, then removed) only once every certificate is written: `dir` never mixes two runs, and a
/// failed run leaves it as it was, with nothing of the new run.
fn write_certificates(dir: &Path, results: &[(tnproof::case::Case, Vec<InstanceResult>)]) -> Result<(), RunError> {
    let dir: PathBuf = dir.components().collect();
    let fresh = sibling(&dir, "new");
    let written = write_fresh(&fresh, results).and_then(|()| swap_in(&fresh, &dir));
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&fresh);
    }
    written
}

/// Every certificate into the new folder `fresh`; a file name met twice is an error.
fn write_fresh(fresh: &Path, results: &[(tnproof::case::Case, Vec<InstanceResult>)]) -> Result<(), RunError> {
    use std::io::Write;
    if let Some(parent) = fresh.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    }
    std::fs::create_dir(fresh).map_err(|e| io(fresh, e))?;
    results
        .iter()
        .flat_map(|(case, rs)| rs.iter().map(move |r| (case, r)))
        .try_for_each(|(case, r)| {
            let path = fresh.join(file_name(case, &r.instance));
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut f| f.write_all(render(case, r).as_bytes()))
                .map_err(|e| io(&path, e))
        })
}

/// `fresh` becomes `dir`; an earlier `dir` is renamed aside first, put back if the swap fails,
/// and removed after it.
fn swap_in(fresh: &Path, dir: &Path) -> Result<(), RunError> {
    let earlier = sibling(dir, "old");
    let had_earlier = match std::fs::rename(dir, &earlier) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(io(dir, e)),
    };
    if let Err(e) = std::fs::rename(fresh, dir) {
        if had_earlier {
            let _ = std::fs::rename(&earlier, dir);
        }
        return Err(io(dir, e));
    }
    if had_earlier {
        std::fs::remove_dir_all(&earlier).map_err(|e| io(&earlier, e))?;
    }
    Ok(())
}

/// Per case a line, then one line per claim: how many instances came out which way, and whether
/// as expected, with the instances not as expected (and, when `verbose`, those failing or
/// undecided as expected) and their evidence; the claim names aligned over the whole report.
fn print_report(results: &[(tnproof::case::Case, Vec<InstanceResult>)], verbose: bool) {
    let rows: Vec<Vec<SweepRow>> = results
        .iter()
        .map(|(_, rs)| {
            rs.iter()
                .enumerate()
                .flat_map(|(k, r)| SweepRow::of_result(k, r))
                .collect()
        })
        .collect();
    let totals: Vec<Vec<ClaimTotals>> = rows.iter().map(|r| ClaimTotals::of(r)).collect();
    let columns = ClaimColumns::fitting(totals.iter().flatten());
    let (mut instances, mut verdicts, mut unexpected) = (0, 0, 0);
    for (((case, rs), rows), claims) in results.iter().zip(&rows).zip(&totals) {
        println!(
            "{} ({}, {})",
            case.id,
            case.source_file.name,
            counted(rs.len(), "instance")
        );
        print!("{}", claim_lines(rows, claims, columns, verbose));
        instances += rs.len();
        verdicts += rows.len();
        unexpected += rows.iter().filter(|r| !r.as_expected()).count();
    }
    let verdict = if unexpected == 0 {
        "all as expected".to_string()
    } else {
        format!("{unexpected} NOT AS EXPECTED")
    };
    println!(
        "summary: {}, {}, {}: {verdict}",
        counted(results.len(), "case"),
        counted(instances, "instance"),
        counted(verdicts, "claim verdict")
    );
}

/// The error of a file operation on `path`, naming it.
fn io(path: &Path, e: std::io::Error) -> RunError {
    RunError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Writes each file under a temporary name first, then renames it, so that a failed run leaves no
/// half-written file.
fn write_files(out: &Path, files: &[(PathBuf, String)]) -> Result<(), RunError> {
    std::fs::create_dir_all(out).map_err(|e| io(out, e))?;
    for (path, text) in files {
        let mut tmp = path.clone().into_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        std::fs::write(&tmp, text).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io(&tmp, e)
        })?;
        std::fs::rename(&tmp, path).map_err(|e| io(path, e))?;
    }
    Ok(())
}
