//! `tnproof sweep` and `tnproof merge` as a user runs them: the same bytes for any thread count,
//! shards merged into exactly the whole run's files, merges of wrong shard sets (other cases,
//! seeds, grids, case files, tnproof versions, splits; edited rows) refused naming the file, the
//! documented CSV with its fingerprint and seal, the certificates behind a table, shards of grids
//! above the cap, and the exit status when a claim is not as expected.

mod common;

use common::tnproof;
use sha2::Digest;
use std::path::Path;
use std::process::Output;
use tnproof::sweep::{from_csv, to_csv, Shard, COLUMNS};

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
    let one = tnproof(&["sweep", "case.toml", "--out", "one", "--latex"], dir.path(), "1");
    let two = tnproof(&["sweep", "case.toml", "--out", "two", "--latex"], dir.path(), "2");
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
    for name in OUTPUTS.iter().chain(&["sweep-test.tex", "sweep-test.pgf.tex"]) {
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
        assert_eq!(
            csv.lines().count(),
            10 + 1 + 2 * 2,
            "10 lines of fingerprint and seal, the header, 2 instances of 2 claims each:\n{csv}"
        );
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

/// Sweeps `case` (TOML text, written to `name.toml`) as shard `shard` into `dir/name/`, and
/// gives the CSV's path relative to `dir`.
fn sweep_shard_of(dir: &Path, name: &str, case: &str, shard: &str) -> String {
    std::fs::write(dir.join(format!("{name}.toml")), case).unwrap();
    let out = tnproof(
        &["sweep", &format!("{name}.toml"), "--shard", shard, "--out", name],
        dir,
        "2",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let id = case
        .lines()
        .find_map(|l| l.strip_prefix("id = \""))
        .and_then(|l| l.strip_suffix('"'))
        .unwrap();
    format!("{name}/{id}.shard-{}.csv", shard.replace('/', "-of-"))
}

#[test]
fn merge_refuses_missing_duplicated_foreign_and_malformed_shards_naming_the_file() {
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
        "shard 2/3 is given twice: shards/sweep-test.shard-2-of-3.csv and copy.csv",
    );

    // Shard 2/3 of another case, of another seed, of another grid, of an edited case file.
    let other = sweep_shard_of(
        dir.path(),
        "other",
        &CASE.replace("id = \"sweep-test\"", "id = \"other\""),
        "2/3",
    );
    refused(
        &[&shard(1), &other, &shard(3)],
        &format!("{other} has case 'other', shards/sweep-test.shard-1-of-3.csv has 'sweep-test'; merge the shards of one case"),
    );
    let seed = sweep_shard_of(dir.path(), "seed", &CASE.replace("seed = 1", "seed = 8"), "2/3");
    refused(
        &[&shard(1), &seed, &shard(3)],
        &format!(
            "{seed} has seeds 'construction.seed = 8', shards/sweep-test.shard-1-of-3.csv has 'construction.seed = 1'"
        ),
    );
    let grid = sweep_shard_of(
        dir.path(),
        "grid",
        &CASE.replace("r = \"2..4\"", "r = [2, 3, 5]"),
        "2/3",
    );
    refused(
        &[&shard(1), &grid, &shard(3)],
        &format!("{grid} has grid 'n = 2..3; r = [2, 3, 5]; d = 4', shards/sweep-test.shard-1-of-3.csv has 'n = 2..3; r = 2..4; d = 4'"),
    );
    let named = sweep_shard_of(dir.path(), "named", CASE, "2/3");
    refused(
        &[&shard(1), &named, &shard(3)],
        &format!("{named} has case file 'named.toml', shards/sweep-test.shard-1-of-3.csv has 'case.toml'"),
    );
    std::fs::create_dir(dir.path().join("edited")).unwrap();
    std::fs::write(
        dir.path().join("edited/case.toml"),
        CASE.replace("Sweep test:", "Sweep test,"),
    )
    .unwrap();
    let out = tnproof(
        &["sweep", "edited/case.toml", "--shard", "2/3", "--out", "edited"],
        dir.path(),
        "2",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    refused(
        &[&shard(1), "edited/sweep-test.shard-2-of-3.csv", &shard(3)],
        "edited/sweep-test.shard-2-of-3.csv has case file sha256 '",
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
        "halves/sweep-test.shard-2-of-2.csv is shard 2/2, shards/sweep-test.shard-1-of-3.csv is shard 1/3; merge the shards of one split",
    );

    // An edited row, well formed: the seal on line 10 no longer matches.
    let csv = text(&read(dir.path(), &shard(2)));
    assert!(csv.contains(",holds,holds,"), "{csv}");
    std::fs::write(
        dir.path().join("edited.csv"),
        csv.replacen(",holds,holds,", ",fails,holds,", 1),
    )
    .unwrap();
    refused(
        &[&shard(1), "edited.csv", &shard(3)],
        "edited.csv:10: the file's lines do not match the SHA-256 on this line: the file was changed after tnproof wrote it",
    );
    // Malformed: a verdict that is no verdict on line 13, a truncated record, not a CSV at all.
    let mut lines: Vec<String> = csv.lines().map(String::from).collect();
    lines[12] = lines[12].replacen(",holds,", ",maybe,", 1);
    std::fs::write(dir.path().join("bad.csv"), lines.join("\n")).unwrap();
    refused(
        &[&shard(1), "bad.csv", &shard(3)],
        "bad.csv:13: the field 'verdict' is 'maybe', which is not holds, fails or undecided",
    );
    std::fs::write(dir.path().join("cut.csv"), &csv[..csv.len() - 40]).unwrap();
    refused(
        &[&shard(1), "cut.csv", &shard(3)],
        "cut.csv:15: a quoted field is not closed before the end of the file",
    );
    refused(
        &[&shard(1), "shards/sweep-test.shard-2-of-3.md", &shard(3)],
        "sweep-test.shard-2-of-3.md:1: this is not a sweep CSV",
    );

    // Shards edited and sealed again, so only merge can tell: a lost record, a lost instance, a
    // claim twice.
    let sealed = from_csv(&csv).unwrap_or_else(|e| panic!("{e}"));
    let forged = |name: &str, edit: &dyn Fn(&mut Vec<tnproof::sweep::SweepRow>), message: &str| {
        let mut sweep = sealed.clone();
        edit(&mut sweep.rows);
        std::fs::write(dir.path().join(name), to_csv(&sweep)).unwrap();
        refused(&[&shard(1), name, &shard(3)], message);
    };
    forged(
        "short.csv",
        &|rows| {
            rows.pop();
        },
        "instance 4 (n=3 r=3 d=4) in short.csv: claim 2 is missing",
    );
    forged(
        "lost.csv",
        &|rows| rows.retain(|r| r.index != 1),
        "instance 1 of the grid is missing from lost.csv (shard 2/3)",
    );
    forged(
        "twice.csv",
        &|rows| {
            let first = rows[0].clone();
            rows.insert(1, first);
        },
        "instance 1 (n=2 r=3 d=4) in twice.csv: claim 1 appears twice",
    );
    // A shard decided by another tnproof version (its line 9 says which, under the seal):
    // rows of two versions may differ where the program changed, so they do not merge.
    let mut older = sealed.clone();
    older.fingerprint.version = "0.0.1".into();
    let csv = to_csv(&older);
    assert!(csv.contains("\n# written by: tnproof 0.0.1\n"), "{csv}");
    std::fs::write(dir.path().join("older.csv"), csv).unwrap();
    refused(
        &[&shard(1), "older.csv", &shard(3)],
        &format!(
            "older.csv has tnproof version '0.0.1', shards/sweep-test.shard-1-of-3.csv has '{}'; sweep every shard with one tnproof version",
            env!("CARGO_PKG_VERSION")
        ),
    );
}

#[test]
fn csv_has_the_documented_header_one_row_per_instance_and_claim_and_ranks_within_the_cut_bound() {
    let dir = setup(CASE);
    let out = tnproof(&["sweep", "case.toml", "--out", "."], dir.path(), "2");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let csv = text(&read(dir.path(), "sweep-test.csv"));
    let documented = "index,n,r,d,claim,kind,matricization,relation,bound,verdict,expected,rank,cut,certified,attempt,numeric_rank,ranks,claimed_ranks,network_ranks,width,detail";
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[10], documented);
    assert_eq!(format!("index,n,r,d,{COLUMNS}"), documented);
    // The fingerprint: the case file's SHA-256 as sha256sum gives it (FIPS 180-4, by sha2).
    let sha = sha2::Sha256::digest(CASE.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    assert_eq!(
        lines[..9],
        [
            "# tnproof sweep 1",
            "# case: sweep-test",
            "# title: Sweep test: generic odd/even rank of random equal TT-cores",
            &format!("# file: case.toml, sha256 {sha}"),
            "# grid: n = 2..3; r = 2..4; d = 4 (6 points)",
            "# seeds: construction.seed = 1",
            r#"# claims: ["cp-rank-lower-bound: matricization = \"odd-even\", at-least = \"q^(d/2)\"","matricization-rank: matricization = \"odd-even\", at-least = \"q_alkin^(d/2)\""]"#,
            "# shard: 1/1, the grid points k (from 0) with k % 1 = 0",
            &format!("# written by: tnproof {}", env!("CARGO_PKG_VERSION")),
        ]
    );
    assert!(lines[9].starts_with("# sha256: "), "{csv}");
    let sweep = from_csv(&csv).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (
            sweep.fingerprint.case.as_str(),
            sweep.shard,
            sweep.fingerprint.grid_size
        ),
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
        // Random equal cores of bond dimension r at d = 4: bonds (r, r, r).
        let r = row.param("r").unwrap() as usize;
        assert_eq!(row.network_ranks, Some(vec![r; 3]));
        assert_eq!(row.matricization.as_deref(), Some("(1,3),(2,4)"));
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
        stdout.contains("  claim 3 matricization-rank     6 fails                      6 NOT AS EXPECTED; generic rank certified (= cut bound) at 6 of 6\n      at n=2, r=2, d=4: expected holds, got fails: "),
        "{stdout}"
    );
    let markdown = text(&read(dir.path(), "sweep-test.md"));
    assert!(
        markdown.contains("## Not as expected") && markdown.contains("✗"),
        "{markdown}"
    );
}

/// More shards than grid points: shard i of N holds the points k = i - 1, i - 1 + N, ..., so
/// of 6 points in 10 shards, shards 1 to 6 hold one each and 7 to 10 none; all ten merge into
/// the whole run.
#[test]
fn more_shards_than_points_hold_one_or_none_and_merge() {
    let dir = setup(CASE);
    let whole = tnproof(&["sweep", "case.toml", "--out", "whole"], dir.path(), "2");
    assert_eq!(whole.status.code(), Some(0), "{}", text(&whole.stderr));
    let mut files = Vec::new();
    for i in 1..=10 {
        let out = tnproof(
            &["sweep", "case.toml", "--shard", &format!("{i}/10"), "--out", "tenths"],
            dir.path(),
            "2",
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let held = if i <= 6 {
            "1 instance, 2 claim verdicts"
        } else {
            "0 instances, 0 claim verdicts"
        };
        assert!(
            text(&out.stdout).starts_with(&format!("sweep-test (shard {i}/10): {held}")),
            "{i}: {}",
            text(&out.stdout)
        );
        files.push(format!("tenths/sweep-test.shard-{i}-of-10.csv"));
    }
    let names: Vec<&str> = files.iter().map(String::as_str).collect();
    let out = merge(dir.path(), &names);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for name in OUTPUTS {
        assert_eq!(
            read(&dir.path().join("merged"), name),
            read(&dir.path().join("whole"), name),
            "{name}"
        );
    }
}

#[test]
fn a_shard_is_i_of_n_with_i_from_1_to_n() {
    let dir = setup(CASE);
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
        csv.contains("\n0,2,2,even,1,identity-submatrix,,,,holds,holds,"),
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

/// `sweep --certificates DIR` writes each instance's certificate, the very bytes `verify --out`
/// writes; the shards of one split share DIR, and `check --dir DIR` confirms the table's
/// instances, one certificate per grid point.
#[test]
fn the_certificates_behind_a_sweep_are_verifys_and_the_kernel_confirms_them() {
    let dir = setup(CASE);
    for i in 1..=3 {
        let out = tnproof(
            &[
                "sweep",
                "case.toml",
                "--shard",
                &format!("{i}/3"),
                "--out",
                "shards",
                "--certificates",
                "certs",
            ],
            dir.path(),
            "2",
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(
            text(&out.stdout)
                .contains("wrote 2 certificates into certs; re-check them with: tnproof check --dir certs"),
            "{}",
            text(&out.stdout)
        );
    }
    let out = tnproof(&["verify", "case.toml", "--out", "verified"], dir.path(), "2");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let names = |folder: &str| {
        let mut names: Vec<String> = std::fs::read_dir(dir.path().join(folder))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    // n = 2..3, r = 2..4 at d = 4: six grid points, six certificates.
    let expected: Vec<String> = [2, 3]
        .iter()
        .flat_map(|n| (2..=4).map(move |r| format!("sweep-test_n{n}_r{r}_d4.cert")))
        .collect();
    assert_eq!(names("certs"), expected);
    for name in &expected {
        assert_eq!(
            read(&dir.path().join("certs"), name),
            read(&dir.path().join("verified"), name),
            "{name}"
        );
    }
    let out = tnproof(&["check", "--dir", "certs"], dir.path(), "2");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout)
            .ends_with("summary: confirmed 6 certificates in 6 files (12 claims), every verdict as expected\n"),
        "{}",
        text(&out.stdout)
    );

    // A folder with other files is refused before any work: no table, no certificate.
    std::fs::create_dir(dir.path().join("mixed")).unwrap();
    std::fs::write(dir.path().join("mixed/notes.txt"), "mine").unwrap();
    let out = tnproof(
        &["sweep", "case.toml", "--out", "refused", "--certificates", "mixed"],
        dir.path(),
        "2",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("mixed: holds notes.txt, which is not a tnproof certificate"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.path().join("refused").exists());
    assert_eq!(std::fs::read_dir(dir.path().join("mixed")).unwrap().count(), 1);
}

/// The grid cap (100,000 points) bounds what one run builds: a grid of 300,000 points is
/// refused whole and in halves, and swept in shards of at most 100,000. Points are numbered with
/// the first parameter varying slowest, so point k of x in 1..100000, y in [1, 2, 3] is
/// x = k / 3 + 1, y = k % 3 + 1.
#[test]
fn a_grid_above_the_cap_is_swept_in_shards_below_it() {
    let case = "[case]\nid = \"big\"\nsource = \"test\"\n[construction]\nkind = \"tt\"\nn = 2\nr = 1\nd = 2\nx = \"1..100000\"\ny = [1, 2, 3]\n\
                ranks = \"1\"\n[construction.cores]\ncore = \"[i == 1]\"\n[[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nequal = \"1\"\n";
    let dir = setup(case);
    let refused = |args: &[&str], message: &str| {
        let out = tnproof(args, dir.path(), "2");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).contains(message), "{args:?}: {}", text(&out.stderr));
    };
    refused(
        &["verify", "case.toml"],
        "the parameter grid has more than 100000 points (300000); split the case, or sweep it in shards of at most 100000 points each",
    );
    refused(
        &["sweep", "case.toml", "--shard", "1/2", "--out", "halves"],
        "the grid points k with k % 2 = 0 are more than 100000 (150000 of 300000)",
    );
    assert!(!dir.path().join("halves").exists());
    let out = tnproof(
        &["sweep", "case.toml", "--shard", "3/600", "--out", "."],
        dir.path(),
        "2",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("big (shard 3/600): 500 instances, 500 claim verdicts: all as expected"),
        "{}",
        text(&out.stdout)
    );
    let sweep = from_csv(&text(&read(dir.path(), "big.shard-3-of-600.csv"))).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sweep.fingerprint.grid_size, 300_000);
    assert_eq!(sweep.rows.len(), 500);
    for (j, row) in sweep.rows.iter().enumerate() {
        let k = 2 + 600 * j;
        assert_eq!(row.index, k);
        assert_eq!(row.param("x"), Some((k / 3 + 1) as i64));
        assert_eq!(row.param("y"), Some((k % 3 + 1) as i64));
    }
}

/// `sweep --latex` writes the tables in LaTeX, the same bytes `tnproof table` writes from the
/// CSV and `merge --latex` from the shards: booktabs rules, a caption naming the claim as the
/// case file states it (matricization and bound expression), the matricization, the case file's
/// SHA-256, and the cells rank/bound. At n = 2, r = 2, d = 4 the claim q^(d/2) with q = 2 is 4,
/// and the rank is at most the cut bound 4.
#[test]
fn latex_tables_come_from_sweep_table_and_merge_alike() {
    let dir = setup(CASE);
    let out = tnproof(&["sweep", "case.toml", "--out", "whole", "--latex"], dir.path(), "2");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let tex = text(&read(&dir.path().join("whole"), "sweep-test.tex"));
    let sha = sha2::Sha256::digest(CASE.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    for part in [
        "% Needs \\usepackage{booktabs} and \\usepackage{graphicx}",
        "\\toprule",
        "\\midrule",
        "\\bottomrule",
        "\\caption{Claim 1, \\texttt{cp-rank-lower-bound: matricization = \"odd-even\", at-least = \"q\\textasciicircum{}(d/2)\"}, on $X^{((1,3),(2,4))}$, at d = 4.",
        // The digest with a break allowed after every 16 digits.
        &format!(
            "SHA-256 \\texttt{{{}\\allowbreak {}\\allowbreak {}\\allowbreak {}}}",
            &sha[..16],
            &sha[16..32],
            &sha[32..48],
            &sha[48..]
        ),
        "\\label{tab:sweep-test-claim1-d4}",
        "$n \\backslash r$ & 2 & 3 & 4 \\\\",
        "\n    2 & 4/4 & ",
    ] {
        assert!(tex.contains(part), "{part} in:\n{tex}");
    }
    assert!(!tex.contains('|'), "booktabs tables have no vertical rules:\n{tex}");
    let out = tnproof(&["table", "whole/sweep-test.csv", "--out", "tables"], dir.path(), "2");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "wrote tables/sweep-test.tex, tables/sweep-test.pgf.tex\n"
    );
    assert_eq!(read(&dir.path().join("tables"), "sweep-test.tex"), tex.as_bytes());
    let pgf = read(&dir.path().join("whole"), "sweep-test.pgf.tex");
    assert_eq!(read(&dir.path().join("tables"), "sweep-test.pgf.tex"), pgf);
    sweep_shards(dir.path());
    let mut args = vec!["merge", "--latex", "--out", "merged"];
    let files: Vec<String> = (1..=3)
        .map(|i| format!("shards/sweep-test.shard-{i}-of-3.csv"))
        .collect();
    args.extend(files.iter().map(String::as_str));
    let out = tnproof(&args, dir.path(), "2");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(read(&dir.path().join("merged"), "sweep-test.tex"), tex.as_bytes());
    assert_eq!(read(&dir.path().join("merged"), "sweep-test.pgf.tex"), pgf);

    // A claim not as expected is set in bold with a cross.
    let failing = format!(
        "{CASE}\n[[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"cut + 1\"\n"
    );
    std::fs::write(dir.path().join("failing.toml"), failing).unwrap();
    let out = tnproof(
        &["sweep", "failing.toml", "--out", "failing", "--latex"],
        dir.path(),
        "2",
    );
    assert_eq!(out.status.code(), Some(1));
    let tex = text(&read(&dir.path().join("failing"), "sweep-test.tex"));
    assert!(tex.contains("\n    2 & \\textbf{4/5}$^\\times$ & "), "{tex}");

    // Bad input: no files, and a file that is no sweep CSV, named with its line; nothing written.
    let out = tnproof(&["table", "--out", "none"], dir.path(), "2");
    assert_eq!(out.status.code(), Some(2));
    let out = tnproof(
        &["table", "whole/sweep-test.csv", "whole/sweep-test.md", "--out", "none"],
        dir.path(),
        "2",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("whole/sweep-test.md:1: this is not a sweep CSV"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.path().join("none").exists());
}

/// `--latex` also writes the plot in PGF/TikZ for a whole run (none for a shard, as for the
/// SVG): an axis per claim at d = 4 (three claims), a series per n (2 and 3), the cut bound
/// dashed in each series of each panel (the rows are of random cores), and a ring, the
/// expected failure, at r = 4 for the claim rank >= q^(d/2) + 1 there: with q = min(n, r) = n,
/// X^((1,3),(2,4)) is n^2 x n^2, so its rank is below n^2 + 1 for every draw.
#[test]
fn the_pgf_plot_shows_the_cut_bound_and_the_expected_failures() {
    let case = format!(
        "{CASE}\n[[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"q^(d/2) + [r == 4]\"\nfails-where = \"r == 4\"\n"
    );
    let dir = setup(&case);
    let out = tnproof(&["sweep", "case.toml", "--out", "whole", "--latex"], dir.path(), "2");
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(
        text(&out.stdout).contains("wrote whole/sweep-test.csv, whole/sweep-test.md, whole/sweep-test.tex, whole/sweep-test.pgf.tex, whole/sweep-test.svg\n"),
        "{}",
        text(&out.stdout)
    );
    let pgf = text(&read(&dir.path().join("whole"), "sweep-test.pgf.tex"));
    assert_eq!(pgf.matches("\\nextgroupplot[").count(), 3, "{pgf}");
    // Three claims at one d: side by side in two columns.
    assert!(pgf.contains("group style={group size=2 by 2,"), "{pgf}");
    assert_eq!(pgf.matches("\\addlegendimage{tnproof").count(), 2, "{pgf}");
    assert!(pgf.contains("\\addlegendentry{n = 2}") && pgf.contains("\\addlegendentry{n = 3}"));
    assert_eq!(pgf.matches(", dashed] coordinates {(2,").count(), 3 * 2, "{pgf}");
    let rings: Vec<&str> = pgf
        .lines()
        .filter(|l| l.contains("mark=o, mark size=4.5pt, black] coordinates"))
        .collect();
    assert_eq!(rings.len(), 2, "one per series, in the third panel:\n{pgf}");
    for ring in rings {
        let points = ring.split("coordinates {").nth(1).unwrap_or_default();
        assert!(points.starts_with("(4,") && points.matches('(').count() == 1, "{ring}");
    }
    assert!(!pgf.contains("mark=x"), "every verdict is as expected:\n{pgf}");
    assert!(pgf.contains("\\addlegendentry{fails, as expected}"), "{pgf}");
    assert!(pgf.contains("certified mod $p$"), "{pgf}");
    assert!(
        pgf.contains("% Claim 3: matricization-rank: matricization = \"odd-even\", at-least = \"q^(d/2) + [r == 4]\" on X^((1,3),(2,4)), d = 4.\n"),
        "{pgf}"
    );
    let svg = text(&read(&dir.path().join("whole"), "sweep-test.svg"));
    assert!(
        svg.contains("\nfails, as expected\n") && svg.contains("\ncut bound (generic rank &lt;=)\n"),
        "{svg}"
    );

    let out = tnproof(
        &["sweep", "case.toml", "--shard", "1/2", "--out", "half", "--latex"],
        dir.path(),
        "2",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(dir.path().join("half/sweep-test.shard-1-of-2.tex").exists());
    assert!(!dir.path().join("half/sweep-test.shard-1-of-2.pgf.tex").exists());
    assert!(!dir.path().join("half/sweep-test.pgf.tex").exists());
}

/// The rank tables of odd/even claims on trains with every bond r state the cut's closed form
/// (at d = 4: n^2 on one side, n r for two runs, r^3 for every site on its own side), and only
/// there: a CP network's tables do not.
#[test]
fn train_tables_state_the_closed_form_of_the_cut() {
    let dir = setup(CASE);
    let out = tnproof(&["sweep", "case.toml", "--out", "."], dir.path(), "2");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let markdown = text(&read(dir.path(), "sweep-test.md"));
    let caption = "The cut bound (an upper bound on the generic rank) is min(n^2, n r, r^3) in every cell";
    assert_eq!(markdown.matches(caption).count(), 2, "{markdown}");
    assert_eq!(
        markdown.matches("The certified rank meets it in 6 of 6 cells.").count(),
        2,
        "{markdown}"
    );

    let cp = CASE.replace("random-tt-equal", "random-cp");
    let dir = setup(&cp);
    // Some claims are not as expected on CP networks (rank r below q^2); the report is written.
    tnproof(&["sweep", "case.toml", "--out", "."], dir.path(), "2");
    let markdown = text(&read(dir.path(), "sweep-test.md"));
    assert!(
        markdown.contains("## Rank against bound") && !markdown.contains("The cut bound"),
        "{markdown}"
    );
}
