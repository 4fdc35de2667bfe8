//! `tnproof sweep` and `tnproof merge` as a user runs them: the same bytes for any thread count,
//! shards merged into exactly the whole run's files, merges of wrong shard sets refused, the
//! documented CSV, and the exit status when a claim is not as expected.

mod common;

use common::tnproof;
use std::path::Path;
use std::process::Output;
use tnproof::sweep::{from_csv, Shard, HEADER};

/// Random equal cores, 6 instances (n = 2..3, r = 2..4, d = 4), two rank claims.
const CASE: &str = r#"[case]
id = "sweep-test"
title = "Sweep test: generic odd/even rank of random equal TT-cores"
source = "test"

[construction]
kind = "random-tt-equal"
n = "2..3"
r = "2..4"
d = 4
seed = 1

[construction.let]
q = "min(n, r)"
q_alkin = "min(n, r - 1)"

[[claim]]
kind = "cp-rank-lower-bound"
matricization = "odd-even"
at-least = "q^(d/2)"

[[claim]]
kind = "matricization-rank"
matricization = "odd-even"
at-least = "q_alkin^(d/2)"
"#;

const OUTPUTS: [&str; 3] = ["sweep-test.csv", "sweep-test.md", "sweep-test.svg"];

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A temporary folder holding `case.toml`.
fn setup(case: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("case.toml"), case).unwrap();
    dir
}

/// Runs `sweep case.toml --shard i/3 --out shards` for i = 1..3.
fn sweep_shards(dir: &Path) {
    for i in 1..=3 {
        let out = tnproof(
            &["sweep", "case.toml", "--shard", &format!("{i}/3"), "--out", "shards"],
            dir,
            "2",
        );
        assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    }
}

fn merge(dir: &Path, files: &[&str]) -> Output {
    let mut args = vec!["merge"];
    args.extend(files);
    args.extend(["--out", "merged"]);
    tnproof(&args, dir, "2")
}

#[test]
fn sweep_output_is_identical_for_1_and_2_threads() {
    let dir = setup(CASE);
    let one = tnproof(&["sweep", "case.toml", "--out", "one"], dir.path(), "1");
    let two = tnproof(&["sweep", "case.toml", "--out", "two"], dir.path(), "2");
    assert_eq!(
        (one.status.code(), two.status.code()),
        (Some(0), Some(0)),
        "{}",
        text(&one.stderr)
    );
    // Not a terminal: no progress bar, nothing on stderr.
    assert_eq!((text(&one.stderr), text(&two.stderr)), (String::new(), String::new()));
    assert_eq!(text(&one.stdout).replace("one/", "two/"), text(&two.stdout));
    assert!(
        text(&one.stdout).contains("sweep-test: 6 instances, 12 claim verdicts: all as expected"),
        "{}",
        text(&one.stdout)
    );
    for name in OUTPUTS {
        assert_eq!(
            read(&dir.path().join("one"), name),
            read(&dir.path().join("two"), name),
            "{name} differs between 1 and 2 threads"
        );
    }
    let svg = text(&read(&dir.path().join("one"), "sweep-test.svg"));
    assert!(
        svg.starts_with("<svg") && svg.contains("Sweep test: generic odd/even rank"),
        "{svg}"
    );
}

#[test]
fn shards_merged_give_the_whole_runs_files_byte_for_byte() {
    let dir = setup(CASE);
    let whole = tnproof(&["sweep", "case.toml", "--out", "whole"], dir.path(), "2");
    assert_eq!(whole.status.code(), Some(0), "{}", text(&whole.stderr));
    sweep_shards(dir.path());
    let shards = dir.path().join("shards");
    for i in 1..=3 {
        let csv = text(&read(&shards, &format!("sweep-test.shard-{i}-of-3.csv")));
        assert_eq!(csv.lines().count(), 1 + 2 * 2, "2 instances of 2 claims each:\n{csv}");
        assert!(shards.join(format!("sweep-test.shard-{i}-of-3.md")).exists());
    }
    assert!(!shards.join("sweep-test.svg").exists(), "a shard writes no plot");
    // In any order.
    let out = merge(
        dir.path(),
        &[
            "shards/sweep-test.shard-3-of-3.csv",
            "shards/sweep-test.shard-1-of-3.csv",
            "shards/sweep-test.shard-2-of-3.csv",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).replace("merged/", "whole/"), text(&whole.stdout));
    for name in OUTPUTS {
        assert_eq!(
            read(&dir.path().join("merged"), name),
            read(&dir.path().join("whole"), name),
            "{name}: the merge differs from the whole run"
        );
    }
}

#[test]
fn merge_refuses_missing_duplicated_foreign_and_malformed_shards() {
    let dir = setup(CASE);
    sweep_shards(dir.path());
    let shard = |i: usize| format!("shards/sweep-test.shard-{i}-of-3.csv");
    let refused = |files: &[&str], message: &str| {
        let out = merge(dir.path(), files);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{files:?}: {stderr}");
        assert!(stderr.contains(message), "{files:?}: expected '{message}' in: {stderr}");
        assert!(!dir.path().join("merged").exists(), "a refused merge writes nothing");
    };
    refused(&[&shard(1), &shard(3)], "shard 2/3 missing: merge needs all 3 shards");
    std::fs::copy(dir.path().join(shard(2)), dir.path().join("copy.csv")).unwrap();
    refused(
        &[&shard(1), &shard(2), "copy.csv", &shard(3)],
        "shard 2/3 is given twice",
    );

    // Shard 2/3 of another case.
    std::fs::write(
        dir.path().join("other.toml"),
        CASE.replace("id = \"sweep-test\"", "id = \"other\""),
    )
    .unwrap();
    let out = tnproof(
        &["sweep", "other.toml", "--shard", "2/3", "--out", "other"],
        dir.path(),
        "2",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    refused(
        &[&shard(1), "other/other.shard-2-of-3.csv", &shard(3)],
        "is a sweep of case 'other'",
    );

    // A shard of a different split.
    let out = tnproof(
        &["sweep", "case.toml", "--shard", "2/2", "--out", "halves"],
        dir.path(),
        "2",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    refused(
        &[&shard(1), "halves/sweep-test.shard-2-of-2.csv", &shard(3)],
        "merge the shards of one split",
    );

    // Malformed: a verdict that is no verdict on line 3, a truncated record, not a CSV at all.
    let csv = text(&read(dir.path(), &shard(2)));
    let mut lines: Vec<String> = csv.lines().map(String::from).collect();
    lines[2] = lines[2].replacen(",holds,", ",maybe,", 1);
    std::fs::write(dir.path().join("bad.csv"), lines.join("\n")).unwrap();
    refused(
        &[&shard(1), "bad.csv", &shard(3)],
        "bad.csv:3: the field 'verdict' is 'maybe', which is not holds, fails or undecided",
    );
    std::fs::write(dir.path().join("cut.csv"), &csv[..csv.len() - 40]).unwrap();
    refused(
        &[&shard(1), "cut.csv", &shard(3)],
        "cut.csv:5: a quoted field is not closed before the end of the file",
    );
    refused(
        &[&shard(1), "shards/sweep-test.shard-2-of-3.md", &shard(3)],
        "sweep-test.shard-2-of-3.md:1: this is not a sweep CSV",
    );
    // A shard that lost a record.
    std::fs::write(
        dir.path().join("short.csv"),
        lines[..lines.len() - 1].join("\n").replacen(",maybe,", ",holds,", 1) + "\n",
    )
    .unwrap();
    refused(
        &[&shard(1), "short.csv", &shard(3)],
        "instance 4 (n=3 r=3 d=4) in short.csv: claim 2 is missing",
    );
}

#[test]
fn csv_has_the_documented_header_one_row_per_instance_and_claim_and_ranks_within_the_cut_bound() {
    let dir = setup(CASE);
    let out = tnproof(&["sweep", "case.toml", "--out", "."], dir.path(), "2");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let csv = text(&read(dir.path(), "sweep-test.csv"));
    let documented = "case,title,shard,grid_size,index,params,claim,kind,relation,bound,verdict,expected,rank,cut,certified,attempt,numeric_rank,detail";
    assert_eq!(csv.lines().next(), Some(documented));
    assert_eq!(HEADER, documented);
    let sweep = from_csv(&csv).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (sweep.case.as_str(), sweep.shard, sweep.grid_size),
        ("sweep-test", Shard::WHOLE, 6)
    );
    let keys: Vec<(usize, usize)> = sweep.rows.iter().map(|r| (r.index, r.claim)).collect();
    let grid: Vec<(usize, usize)> = (0..6).flat_map(|k| [(k, 1), (k, 2)]).collect();
    assert_eq!(keys, grid, "one row per instance and claim, in grid order");
    assert_eq!(sweep.rows[0].params_text(), "n=2 r=2 d=4");
    assert_eq!(sweep.rows[11].params_text(), "n=3 r=4 d=4");
    for row in &sweep.rows {
        let (Some(rank), Some(cut)) = (row.rank, row.cut) else {
            panic!("a random rank claim has a rank and a cut bound: {row:?}")
        };
        // The law: a certified rank is a lower bound on the generic rank, the cut bound an upper one.
        assert!(rank as u128 <= cut, "rank {rank} above the cut bound {cut}: {row:?}");
        assert_eq!(row.certified, Some(rank as u128 == cut));
        assert_eq!(row.attempt, Some(1));
    }
}

#[test]
fn a_claim_not_as_expected_exits_1_and_is_marked() {
    let case = format!(
        "{CASE}\n[[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"cut + 1\"\n"
    );
    let dir = setup(&case);
    let out = tnproof(&["sweep", "case.toml", "--out", "."], dir.path(), "2");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("6 instances, 18 claim verdicts: 6 NOT AS EXPECTED"),
        "{stdout}"
    );
    assert!(
        stdout.contains("at n=2 r=2 d=4: claim 3 expected holds, got fails"),
        "{stdout}"
    );
    let markdown = text(&read(dir.path(), "sweep-test.md"));
    assert!(
        markdown.contains("## Not as expected") && markdown.contains("✗"),
        "{markdown}"
    );
}

#[test]
fn a_shard_must_hold_an_instance() {
    let dir = setup(CASE);
    let out = tnproof(&["sweep", "case.toml", "--shard", "7/7"], dir.path(), "2");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("shard 7/7 of a grid of 6 instances would hold no instance"),
        "{}",
        text(&out.stderr)
    );
    let out = tnproof(&["sweep", "case.toml", "--shard", "0/3"], dir.path(), "2");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("'0/3' is not a shard"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn merge_without_shards_says_so() {
    let dir = setup(CASE);
    let out = merge(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: no shard CSV files given; name the files 'tnproof sweep --shard i/N' wrote\n"
    );
    assert!(!dir.path().join("merged").exists());
}

/// Eq. (9) of Khrulkov et al. for every even d at once, 4 instances (n, r in {2, 3}), three
/// claims decided by automata, one of them (the rank bound 3^(d/2) at r = 2) failing at d = 2.
const EVERY_DEPTH: &str = r#"[case]
id = "sweep-every-depth"
title = "Sweep test: eq. 9 for every even d"
source = "test"

[construction]
kind = "tt"
n = [2, 3]
r = [2, 3]
d = "even"
ranks = "if k % 2 == 1 { r } else { 1 }"

[construction.let]
q = "min(n, r)"

[construction.cores]
core = "if k % 2 == 1 { [i == b] } else { [i == a] }"

[[claim]]
kind = "identity-submatrix"
matricization = "odd-even"
q = "q"

[[claim]]
kind = "matricization-rank"
matricization = "odd-even"
at-least = "n^(d/2)"
fails-where = "n > r"

[[claim]]
kind = "support-structure"
path = "if k % 2 == 1 { i } else { 1 }"
"#;

/// A sweep of instances about every depth shows their depths as the parameter d (`d=even` in
/// the CSV's params field, a column of the Markdown tables), reads its CSV back exactly, and its
/// shards merge into the whole run's bytes. No rank is known as a number for every d, so there
/// is no plot.
#[test]
fn a_sweep_of_every_depth_at_once_shows_d_even_and_merges_byte_for_byte() {
    let dir = setup(EVERY_DEPTH);
    let whole = tnproof(&["sweep", "case.toml", "--out", "whole"], dir.path(), "2");
    assert_eq!(
        whole.status.code(),
        Some(0),
        "{}{}",
        text(&whole.stdout),
        text(&whole.stderr)
    );
    let csv = text(&read(&dir.path().join("whole"), "sweep-every-depth.csv"));
    let sweep = from_csv(&csv).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sweep.rows.len(), 4 * 3);
    let params: Vec<String> = sweep.rows.iter().step_by(3).map(|r| r.params_text()).collect();
    assert_eq!(
        params,
        ["n=2 r=2 d=even", "n=2 r=3 d=even", "n=3 r=2 d=even", "n=3 r=3 d=even"]
    );
    assert_eq!(sweep.param_names(), ["n", "r", "d"]);
    assert!(
        csv.contains(",0,n=2 r=2 d=even,1,identity-submatrix,,,holds,holds,"),
        "{csv}"
    );
    let failing = &sweep.rows[2 * 3 + 1];
    assert_eq!(failing.params_text(), "n=3 r=2 d=even");
    assert!(
        failing
            .detail
            .starts_with("at d = 2, rank X_2^((1),(2)) = 2 exactly over Q"),
        "{failing:?}"
    );
    assert_eq!(tnproof::sweep::to_csv(&sweep), csv);
    let markdown = text(&read(&dir.path().join("whole"), "sweep-every-depth.md"));
    assert!(markdown.contains("| index | n | r | d | claim |"), "{markdown}");
    assert!(
        markdown.contains("| 0 | 2 | 2 | even | 1 | identity-submatrix |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("### Claim 1 (identity-submatrix), d = even\n"),
        "{markdown}"
    );
    assert!(!dir.path().join("whole").join("sweep-every-depth.svg").exists());

    sweep_shards(dir.path());
    let out = merge(
        dir.path(),
        &[
            "shards/sweep-every-depth.shard-2-of-3.csv",
            "shards/sweep-every-depth.shard-3-of-3.csv",
            "shards/sweep-every-depth.shard-1-of-3.csv",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).replace("merged/", "whole/"), text(&whole.stdout));
    for name in ["sweep-every-depth.csv", "sweep-every-depth.md"] {
        assert_eq!(
            read(&dir.path().join("merged"), name),
            read(&dir.path().join("whole"), name),
            "{name}: the merge differs from the whole run"
        );
    }
    assert!(!dir.path().join("merged").join("sweep-every-depth.svg").exists());
}
