//! `tnproof expressivity` as a user runs it, on a small setting (`--templates 4 --length 4`,
//! `--runs 2`): the files it writes, the same bytes on every run and thread count, the CSV's
//! rows, and refused settings.

mod common;

use common::tnproof;
use std::path::Path;

const ARGS: [&str; 9] = [
    "expressivity",
    "--runs",
    "2",
    "--templates",
    "4",
    "--length",
    "4",
    "--out",
    "out",
];

const FILES: [&str; 6] = [
    "expressivity.md",
    "expressivity.csv",
    "histogram-rectifier-different.svg",
    "histogram-rectifier-shared.svg",
    "histogram-sqrt-different.svg",
    "histogram-sqrt-shared.svg",
];

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join("out").join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn run(threads: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let output = tnproof(&ARGS, dir.path(), threads);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (dir, stdout)
}

#[test]
fn a_small_run_writes_the_report_the_table_and_the_histograms_the_same_every_time() {
    let (first, stdout) = run("2");
    let (second, _) = run("2");
    let (single, _) = run("1");
    for name in FILES {
        let bytes = read(first.path(), name);
        assert!(!bytes.is_empty(), "{name} is empty");
        assert_eq!(bytes, read(second.path(), name), "{name} differs between two runs");
        assert_eq!(
            bytes,
            read(single.path(), name),
            "{name} differs between 1 and 2 threads"
        );
    }
    assert!(
        stdout.contains("## rectifier, different cores") && stdout.contains("wrote "),
        "{stdout}"
    );
    let entries: Vec<_> = std::fs::read_dir(first.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries.len(), FILES.len(), "no temporary files are left: {entries:?}");

    let csv = String::from_utf8(read(first.path(), "expressivity.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(tnproof::experiment::CSV_HEADER));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    // 2 operators x 2 core modes x 4 ranks x 2 networks.
    assert_eq!(rows.len(), 32);
    for row in &rows {
        assert_eq!(row.len(), 10, "{row:?}");
        let (xi, rank_p, rank_f64, certified) = (row[0], row[5], row[6], row[8]);
        assert!(row[4].starts_with("tnproof expressivity 1; seed 1; xi "), "{row:?}");
        let f64_rank: usize = rank_f64.parse().unwrap();
        assert!(f64_rank <= 16);
        if xi == "rectifier" {
            // Certified: a rank mod p, the width bound ceil(rank_p / (T M / 2)) = ceil(rank_p / 8).
            let rank_p: usize = rank_p.parse().unwrap();
            assert!(rank_p <= 16);
            assert_eq!(certified.parse::<usize>().unwrap(), rank_p.div_ceil(8));
            assert_eq!(row[9], "i128");
        } else {
            assert_eq!((xi, rank_p, certified, row[9]), ("sqrt", "", "", ""));
        }
    }
    let md = String::from_utf8(read(first.path(), "expressivity.md")).unwrap();
    for section in [
        "## rectifier, shared cores: certified",
        "## sqrt, different cores: numeric estimate",
        "## f64 disagreements",
        "not comparable",
    ] {
        assert!(md.contains(section), "{section} missing from the report");
    }
    let svg = String::from_utf8(read(first.path(), "histogram-rectifier-different.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("R = 8: N = 2"), "{svg}");
}

#[test]
fn the_options_are_documented_and_bad_settings_refused() {
    let dir = tempfile::tempdir().unwrap();
    let help = tnproof(&["expressivity", "--help"], dir.path(), "1");
    let help = String::from_utf8_lossy(&help.stdout);
    for option in ["--runs", "--seed", "--out", "--templates", "--length", "--ranks"] {
        assert!(help.contains(option), "{option} missing from --help: {help}");
    }
    for bad in [
        &["expressivity", "--length", "5"][..],
        &["expressivity", "--runs", "0"],
        &["expressivity", "--ranks", "4,2"],
    ] {
        let output = tnproof(bad, dir.path(), "1");
        assert_eq!(output.status.code(), Some(2), "{bad:?}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("error"), "{bad:?}");
    }
    assert!(!dir.path().join("experiment").exists(), "a refused run writes nothing");
}
