//! `tnproof sweep` and `tnproof merge`: decide one case over its grid (or one shard of it) with a
//! progress bar on a terminal, write the CSV, the Markdown report and the plot, and print the
//! totals; merge shard CSVs into the files the whole run writes. Exit status as for `verify`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;
use tnproof::case::ResourceLimit;
use tnproof::run::{load_case, RunError};
use tnproof::sweep::{from_csv, merge as merge_shards, sweep as sweep_case, to_csv, to_markdown, to_svg, Shard, Sweep};

pub fn sweep(case: &Path, shard: Shard, out: &Path, limit: ResourceLimit) -> Result<ExitCode, RunError> {
    let loaded = load_case(case)?;
    let instances = loaded.instances(limit)?;
    let selected = (0..instances.len()).filter(|&k| shard.contains(k)).count();
    let bar = progress_bar(selected as u64);
    let swept = sweep_case(&loaded, instances, shard, || bar.inc(1));
    bar.finish_and_clear();
    let swept = swept.map_err(|e| RunError::Io {
        path: case.display().to_string(),
        message: e.to_string(),
    })?;
    report(&swept, out)
}

pub fn merge(files: Vec<PathBuf>, out: &Path) -> Result<ExitCode, RunError> {
    if files.is_empty() {
        return Err(RunError::Nothing(
            "no shard CSV files given; name the files 'tnproof sweep --shard i/N' wrote".into(),
        ));
    }
    let shards = files
        .iter()
        .map(|file| {
            let name = file.display().to_string();
            let text = std::fs::read_to_string(file).map_err(|e| RunError::Io {
                path: name.clone(),
                message: e.to_string(),
            })?;
            let shard = from_csv(&text).map_err(|e| RunError::Io {
                path: format!("{name}:{}", e.line),
                message: e.message,
            })?;
            Ok((name, shard))
        })
        .collect::<Result<Vec<_>, RunError>>()?;
    let whole = merge_shards(shards).map_err(|e| RunError::Io {
        path: "merge".into(),
        message: e.to_string(),
    })?;
    report(&whole, out)
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

/// Writes the sweep's files, prints its totals and the verdicts not as expected, and gives the
/// exit status: 0 when every claim came out as expected, 1 otherwise.
fn report(sweep: &Sweep, out: &Path) -> Result<ExitCode, RunError> {
    let written = write_files(sweep, out)?;
    print!("{}", sweep.totals());
    for row in sweep.misses() {
        println!(
            "      at {}: claim {} expected {}, got {}: {}",
            row.params_text(),
            row.claim,
            row.expected.word(),
            row.verdict.word(),
            row.detail
        );
    }
    let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    println!("wrote {}", names.join(", "));
    Ok(if sweep.misses().next().is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `DIR/<case id>.csv` and `.md`, with `.shard-i-of-N` before the extension for a shard, and
/// `DIR/<case id>.svg` for a whole run when it has rank claims. Each file is written under a
/// temporary name first, then renamed.
fn write_files(sweep: &Sweep, out: &Path) -> Result<Vec<PathBuf>, RunError> {
    let stem = if sweep.shard.is_whole() {
        sweep.case.clone()
    } else {
        format!("{}.shard-{}-of-{}", sweep.case, sweep.shard.index, sweep.shard.count)
    };
    let mut files = vec![
        (out.join(format!("{stem}.csv")), to_csv(sweep)),
        (out.join(format!("{stem}.md")), to_markdown(sweep)),
    ];
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
