//! `tnproof expressivity`: the sources' expressivity experiment (random generalized RNNs, the
//! odd/even rank of their grid tensors, lower bounds on the width of equivalent shallow
//! networks), with a progress bar on a terminal; writes the Markdown report, the CSV table and
//! one histogram per (operator, cores), and prints the tables.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use tnproof::experiment::{histogram_svg, run, to_csv, to_markdown, Config, Cores, OPERATORS};
use tnproof::run::RunError;

#[derive(clap::Args)]
pub struct ExpressivityArgs {
    /// Networks per (operator, cores, rank); the report used 20.
    #[arg(long, value_name = "N", default_value_t = 20)]
    runs: usize,
    /// The seed, part of every network's seed text.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Write expressivity.md, expressivity.csv and histogram-<xi>-<cores>.svg into this folder.
    #[arg(long, value_name = "DIR", default_value = "experiment")]
    out: PathBuf,
    /// M, the number of templates (and the width L_t of every C^t); the sources used 10.
    #[arg(long, value_name = "M", default_value_t = 10)]
    templates: usize,
    /// T, the sequence length (even); the sources used 6.
    #[arg(long, value_name = "T", default_value_t = 6)]
    length: usize,
    /// The ranks R, increasing.
    #[arg(long, value_name = "R,...", value_delimiter = ',', default_value = "1,2,4,8")]
    ranks: Vec<usize>,
}

pub fn expressivity(args: ExpressivityArgs) -> Result<ExitCode, RunError> {
    let config = Config {
        runs: args.runs,
        seed: args.seed,
        templates: args.templates,
        length: args.length,
        ranks: args.ranks,
    };
    config.validate().map_err(|message| RunError::Io {
        path: "expressivity".into(),
        message,
    })?;
    let total = (OPERATORS.len() * Cores::ALL.len() * config.ranks.len() * config.runs) as u64;
    let bar = progress_bar(total);
    let experiment = run(&config, || bar.inc(1));
    bar.finish_and_clear();
    let experiment = experiment.map_err(|message| RunError::Io {
        path: "expressivity".into(),
        message,
    })?;
    let markdown = to_markdown(&experiment);
    let mut files = vec![
        (args.out.join("expressivity.md"), markdown.clone()),
        (args.out.join("expressivity.csv"), to_csv(&experiment)),
    ];
    for xi in OPERATORS {
        for cores in Cores::ALL {
            let svg = histogram_svg(&experiment, xi, cores).map_err(|e| RunError::Io {
                path: args.out.display().to_string(),
                message: e.to_string(),
            })?;
            files.push((
                args.out.join(format!("histogram-{}-{}.svg", xi.name(), cores.name())),
                svg,
            ));
        }
    }
    super::write_files(&args.out, &files)?;
    // The tables (the sections from the first table to the notes) on stdout.
    let tables = markdown
        .split("\n## ")
        .filter(|s| s.contains(" cores: ") || s.starts_with("f64 disagreements") || s.starts_with("Exact arithmetic"));
    for section in tables {
        println!("## {}", section.trim_end());
        println!();
    }
    let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    println!("wrote {}", names.join(", "));
    Ok(ExitCode::SUCCESS)
}

/// A bar with networks done and ETA, drawn on stderr only when it is a terminal.
fn progress_bar(networks: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(networks), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::with_draw_target(Some(networks), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{bar:40} {pos}/{len} networks, ETA {eta} (elapsed {elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(500));
    bar
}
