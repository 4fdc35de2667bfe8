//! The `tnproof` binary as a user runs it: exit codes, the text and JSON reports, certificates
//! written with --out, `show`, and byte-identical output across runs and thread counts.

mod common;

use common::{khrulkov, tnproof, KHRULKOV_CORE};
use std::path::Path;

fn write_case(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("temp dir is writable");
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

const IDENTITY: &str = "[[claim]]\nkind = \"identity-submatrix\"\nmatricization = \"odd-even\"\nq = \"q\"";

#[test]
fn verify_reports_each_claim_and_exits_0_when_all_as_expected() {
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), "k.toml", &khrulkov(2, 2, 4, KHRULKOV_CORE, IDENTITY));
    let out = tnproof(&["verify", "k.toml"], dir.path(), "2");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("t (k.toml, 1 instance)\n"), "{stdout}");
    assert!(stdout.contains("claim 1 identity-submatrix"), "{stdout}");
    assert!(
        stdout.contains("summary: 1 case, 1 instance, 1 claim verdict: all as expected"),
        "{stdout}"
    );
}

/// Cases are reported in the order the files are named (a folder's files sorted), each once;
/// the claim lines align however long a kind's name; `--verbose` lists the expected failures
/// with their counterexample. The printed TT-ranks (r,1,r) of eq. (9) fail for n = 2 < r = 3:
/// the first unfolding X^((1),(2,3,4)) has rank min(n, r) = 2.
#[test]
fn verify_reports_cases_in_argument_order_aligned_and_the_expected_failures_when_verbose() {
    let dir = tempfile::tempdir().unwrap();
    let failing = "[[claim]]\nkind = \"tt-ranks\"\nequal = \"if k % 2 == 1 { r } else { 1 }\"\nexpect = \"fails\"";
    write_case(
        dir.path(),
        "z.toml",
        &khrulkov(2, 3, 4, KHRULKOV_CORE, failing).replace("id = \"t\"", "id = \"z\""),
    );
    write_case(
        dir.path(),
        "a.toml",
        &khrulkov(2, 2, 4, KHRULKOV_CORE, IDENTITY).replace("id = \"t\"", "id = \"a\""),
    );
    let out = tnproof(&["verify", "z.toml", "a.toml", "z.toml"], dir.path(), "2");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let columns = format!("{:<22} {:<28} ", "identity-submatrix", "1 holds");
    assert_eq!(
        stdout,
        format!(
            "z (z.toml, 1 instance)\n  claim 1 {:<22} {:<28} as expected\n\
             a (a.toml, 1 instance)\n  claim 1 {columns}as expected\n\
             summary: 2 cases, 2 instances, 2 claim verdicts: all as expected\n",
            "tt-ranks", "1 fails"
        )
    );
    let out = tnproof(&["verify", "--verbose", "z.toml"], dir.path(), "2");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("\n      at n=2, r=3, d=4: fails, as expected: TT-ranks (2,1,2) exactly; bond 1 has rank 2, the claim needs = 3\n"),
        "{stdout}"
    );
    // A kind longer than 22 characters widens the column of every case in the report.
    let width = "[[claim]]\nkind = \"shallow-width-lower-bound\"\nat-least = \"1/2\"";
    write_case(
        dir.path(),
        "w.toml",
        &common::lemma6(2, 1, 2, common::LEMMA6_G, width).replace("id = \"t\"", "id = \"w\""),
    );
    let out = tnproof(&["verify", "a.toml", "w.toml"], dir.path(), "2");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with("  claim")).collect();
    assert_eq!(
        lines[0],
        format!("  claim 1 {:<25} {:<28} as expected", "identity-submatrix", "1 holds")
    );
    assert_eq!(
        lines[1],
        format!(
            "  claim 1 {:<25} {:<28} as expected",
            "shallow-width-lower-bound", "1 holds"
        )
    );
}

#[test]
fn verify_exits_1_and_names_the_instance_when_a_claim_is_not_as_expected() {
    let dir = tempfile::tempdir().unwrap();
    // TT-ranks (r,1,r) with n = 2 < r = 3 fail (the true ranks are (2,1,2)), but the case expects them to hold.
    write_case(
        dir.path(),
        "k.toml",
        &khrulkov(
            2,
            3,
            4,
            KHRULKOV_CORE,
            "[[claim]]\nkind = \"tt-ranks\"\nequal = \"if k % 2 == 1 { r } else { 1 }\"",
        ),
    );
    let out = tnproof(&["verify", "k.toml"], dir.path(), "2");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("at n=2, r=3, d=4: expected holds, got fails"),
        "{stdout}"
    );
    assert!(stdout.contains("bond 1 has rank 2, the claim needs = 3"), "{stdout}");
}

#[test]
fn json_report_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let case = khrulkov(2, 2, 4, KHRULKOV_CORE, IDENTITY).replace("n = 2", "n = [2, 3]");
    write_case(dir.path(), "k.toml", &case);
    let out = tnproof(&["verify", "--json", "k.toml"], dir.path(), "2");
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let case = &report["cases"][0];
    assert_eq!(case["id"], "t");
    assert_eq!(case["file"], "k.toml");
    let instances = case["instances"].as_array().unwrap();
    assert_eq!(instances.len(), 2);
    assert_eq!(instances[1]["params"], serde_json::json!({"n": 3, "r": 2, "d": 4}));
    let claim = &instances[1]["claims"][0];
    assert_eq!(
        (
            claim["kind"].as_str(),
            claim["verdict"].as_str(),
            claim["expected"].as_str()
        ),
        (Some("identity-submatrix"), Some("holds"), Some("holds"))
    );
    assert!(claim["detail"].as_str().unwrap().contains("4 x 4 block"));
}

#[test]
fn out_writes_one_certificate_per_instance_identical_across_runs_and_threads() {
    let dir = tempfile::tempdir().unwrap();
    let case = khrulkov(2, 2, 4, KHRULKOV_CORE, IDENTITY)
        .replace("n = 2", "n = [2, 3, 4]")
        .replace("d = 4", "d = [2, 4]");
    write_case(dir.path(), "k.toml", &case);
    let one = tnproof(&["verify", "k.toml", "--out", "one"], dir.path(), "1");
    let two = tnproof(&["verify", "k.toml", "--out", "two"], dir.path(), "2");
    assert_eq!((one.status.code(), two.status.code()), (Some(0), Some(0)));
    let names = names_in(&dir.path().join("one"));
    assert_eq!(
        names,
        [
            "t_n2_r2_d2.cert",
            "t_n2_r2_d4.cert",
            "t_n3_r2_d2.cert",
            "t_n3_r2_d4.cert",
            "t_n4_r2_d2.cert",
            "t_n4_r2_d4.cert"
        ]
    );
    for name in &names {
        let a = std::fs::read(dir.path().join("one").join(name)).unwrap();
        let b = std::fs::read(dir.path().join("two").join(name)).unwrap();
        assert_eq!(a, b, "{name} differs between 1 and 2 threads");
        let text = String::from_utf8(a).unwrap();
        assert!(text.starts_with("tnproof certificate 2\n# case: t\n"));
        assert!(
            !text.contains('\r') && !text.contains(dir.path().to_str().unwrap()),
            "LF only, no absolute paths"
        );
    }
    assert_eq!(one.stdout, two.stdout);
}

#[test]
fn certificates_do_not_depend_on_how_the_case_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("cases")).unwrap();
    write_case(
        &dir.path().join("cases"),
        "k.toml",
        &khrulkov(2, 2, 4, KHRULKOV_CORE, IDENTITY),
    );
    let absolute = dir.path().join("cases").join("k.toml");
    let namings = [
        "cases/k.toml",
        "./cases/k.toml",
        "cases/../cases/k.toml",
        absolute.to_str().unwrap(),
    ];
    let mut written = Vec::new();
    for (i, naming) in namings.iter().enumerate() {
        let out_dir = format!("out{i}");
        let out = tnproof(&["verify", naming, "--out", &out_dir], dir.path(), "1");
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        written.push(std::fs::read(dir.path().join(&out_dir).join("t_n2_r2_d4.cert")).unwrap());
    }
    assert!(
        written.iter().all(|w| w == &written[0]),
        "one certificate, however the file is named"
    );
    // The digest of the file's bytes, by coreutils.
    let sha256sum = std::process::Command::new("sha256sum").arg(&absolute).output().unwrap();
    let digest = String::from_utf8(sha256sum.stdout).unwrap();
    let digest = digest.split(' ').next().unwrap();
    let text = String::from_utf8(written.swap_remove(0)).unwrap();
    let file_line = format!("\n# file: k.toml, sha256 {digest}\n");
    assert!(text.contains(&file_line), "{text}");
    let version_line = format!("\n# written by: tnproof {}\n", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&version_line), "{text}");
}

#[test]
fn show_prints_the_cores_and_the_matricization() {
    let dir = tempfile::tempdir().unwrap();
    let case = khrulkov(2, 2, 4, KHRULKOV_CORE, IDENTITY).replace("d = 4", "d = [4, 6]");
    write_case(dir.path(), "k.toml", &case);
    let out = tnproof(&["show", "k.toml", "--params", "d=4"], dir.path(), "2");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("instance: n=2, r=2, d=4"), "{stdout}");
    // G_2[:, 2, :] is the 2 x 1 column (0, 1): delta(i, a) with i = 2.
    assert!(stdout.contains("  G2[:, 2, :] =\n    0\n    1\n"), "{stdout}");
    // X = [i1 = i2][i3 = i4]: the odd/even matricization is the 4 x 4 identity.
    assert!(stdout.contains("X^((1,3),(2,4)) (claim 1), 4 x 4, rows and columns numbered big-endian:\n  1 0 0 0\n  0 1 0 0\n  0 0 1 0\n  0 0 0 1\n"), "{stdout}");
    let bad = tnproof(&["show", "k.toml", "--params", "x=1"], dir.path(), "2");
    assert_eq!(bad.status.code(), Some(2));
}

/// `tnproof show ARGS...` in `dir`, which must succeed; its output.
fn shown(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["show"];
    all.extend(args);
    let out = tnproof(&all, dir, "2");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// `show` prints the case's title and each matricization a claim uses: for X = [i1 = i2][i3 = i4]
/// (eq. (9) at n = r = 2, d = 4), X^((1,2),(3,4)) has the entry 1 exactly where i1 = i2 and
/// i3 = i4, rows (i1, i2) and columns (i3, i4) big-endian: rows 1 = (1,1) and 4 = (2,2) are
/// (1 0 0 1), rows 2 and 3 are zero. `--max` bounds what is printed, `--out` writes the text.
#[test]
fn show_prints_every_matricization_a_claim_uses_within_max_and_writes_it_with_out() {
    let dir = tempfile::tempdir().unwrap();
    let claims = format!("{IDENTITY}\n[[claim]]\nkind = \"matricization-rank\"\nrows = \"m <= d / 2\"\nequal = \"1\"");
    let case =
        khrulkov(2, 2, 4, KHRULKOV_CORE, &claims).replace("source = \"test\"", "title = \"Eq. 9\"\nsource = \"test\"");
    write_case(dir.path(), "k.toml", &case);
    let stdout = shown(dir.path(), &["k.toml"]);
    assert!(
        stdout.starts_with("case: t (test)\ntitle: Eq. 9\ninstance: n=2, r=2, d=4\n"),
        "{stdout}"
    );
    assert!(stdout.contains("\nX^((1,3),(2,4)) (claim 1), 4 x 4,"), "{stdout}");
    assert!(
        stdout.ends_with("\nX^((1,2),(3,4)) (claim 2), 4 x 4, rows and columns numbered big-endian:\n  1 0 0 1\n  0 0 0 0\n  0 0 0 0\n  1 0 0 1\n"),
        "{stdout}"
    );
    let out = tnproof(&["show", "k.toml", "--max", "3"], dir.path(), "2");
    let small = String::from_utf8(out.stdout).unwrap();
    assert!(
        small.contains(
            "\nX^((1,2),(3,4)) (claim 2) is 4 x 4, too large to print (at most 3 x 3; --max N prints larger ones)\n"
        ),
        "{small}"
    );
    let out = tnproof(&["show", "k.toml", "--out", "shown/k.txt"], dir.path(), "2");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "wrote shown/k.txt\n");
    assert_eq!(std::fs::read_to_string(dir.path().join("shown/k.txt")).unwrap(), stdout);
}

/// A generalized network's F and C^t are matrices, printed as such: Lemma 6 at M = 2 has F = I
/// and C^1[i, m] = [i != m].
#[test]
fn show_prints_f_and_c_of_a_generalized_network_as_matrices() {
    let dir = tempfile::tempdir().unwrap();
    let width = "[[claim]]\nkind = \"shallow-width-lower-bound\"\nat-least = \"1/2\"";
    write_case(dir.path(), "g.toml", &common::lemma6(2, 1, 2, common::LEMMA6_G, width));
    let stdout = shown(dir.path(), &["g.toml"]);
    assert!(stdout.contains("\nF: 2 x 2 matrix\n  1 0\n  0 1\n"), "{stdout}");
    assert!(stdout.contains("\nC1: 2 x 2 matrix\n  0 1\n  1 0\n"), "{stdout}");
    assert!(stdout.contains("\ncore G1: 2 x 1 x 1\n"), "{stdout}");
    assert!(stdout.contains("\nGamma^((1),(2)) (claim 1), 2 x 2,"), "{stdout}");
}

/// `show` on a case about every even d at once: the cores of the periodic train, the automaton
/// of X_d (which state is which, each letter's transitions), then the train at the least depth;
/// d is no parameter to pick there.
#[test]
fn show_prints_the_automaton_of_an_instance_about_every_depth() {
    let dir = tempfile::tempdir().unwrap();
    let case = khrulkov(3, 3, 4, KHRULKOV_CORE, IDENTITY)
        .replace("d = 4", "d = \"even\"")
        .replace("r = 3", "r = [2, 3]");
    write_case(dir.path(), "k.toml", &case);
    let stdout = shown(dir.path(), &["k.toml", "--params", "n=3,r=3"]);
    assert!(stdout.contains("instance: n=3, r=3, d=even\n"), "{stdout}");
    assert!(stdout.contains("depths: every even d >= 2\n"), "{stdout}");
    // Period 2: middle0 at even positions (3 x 3 x 1), middle1 at odd ones (1 x 3 x 3).
    assert!(
        stdout.contains("\ncore middle0: 3 x 3 x 1\n") && stdout.contains("\ncore middle1: 1 x 3 x 3\n"),
        "{stdout}"
    );
    let automaton = "automaton of X_d for every even d >= 2: 6 states, letters 1..3\n  state 1: start; state 6: end\n  states 2..2: the bond values 1..1 after a position k with k % 2 = 0\n  states 3..5: the bond values 1..3 after a position k with k % 2 = 1\n  letter 1: 1 -> 3: 1, 2 -> 3: 1, 3 -> 2: 1, 3 -> 6: 1\n";
    assert!(stdout.contains(automaton), "{stdout}");
    assert!(
        stdout.contains("\nat the least depth, d = 2:\n\nX^((1),(2)), 3 x 3,"),
        "{stdout}"
    );
    // The other grid point, and the first one by default.
    let stdout = shown(dir.path(), &["k.toml"]);
    assert!(stdout.contains("instance: n=3, r=2, d=even\n"), "{stdout}");
    let out = tnproof(&["show", "k.toml", "--params", "d=4"], dir.path(), "2");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("d is not a parameter of this case, which is about every even d >= 2 at once"),
        "{stderr}"
    );
}

/// In the JSON report an instance about every depth has its depths as the parameter d: the
/// label string (`even`, `even>=4`, `all>=3`) where finite instances have an integer.
#[test]
fn json_report_gives_the_depths_of_every_depth_at_once_as_a_string() {
    let dir = tempfile::tempdir().unwrap();
    for (d, label) in [
        ("\"even\"", "even"),
        ("\"even >= 3\"", "even>=4"),
        ("\"all >= 3\"", "all>=3"),
    ] {
        let claims = if label.starts_with("all") {
            "[[claim]]\nkind = \"support-structure\"\npath = \"if k % 2 == 1 { i } else { 1 }\""
        } else {
            IDENTITY
        };
        let case = khrulkov(2, 2, 4, KHRULKOV_CORE, claims)
            .replace("d = 4", &format!("d = {d}"))
            .replace("n = 2", "n = [2, 3]");
        write_case(dir.path(), "k.toml", &case);
        let out = tnproof(&["verify", "--json", "k.toml"], dir.path(), "2");
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
        let instances = report["cases"][0]["instances"].as_array().unwrap();
        assert_eq!(instances.len(), 2);
        assert_eq!(instances[1]["params"], serde_json::json!({"n": 3, "r": 2, "d": label}));
        assert_eq!(instances[1]["claims"][0]["verdict"], "holds");
    }
}

#[test]
fn verify_defaults_to_the_cases_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tnproof(&["verify", "cases/khrulkov2018-similarity.toml"], root, "2");
    assert_eq!(out.status.code(), Some(0));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("cases")).unwrap();
    write_case(
        &dir.path().join("cases"),
        "k.toml",
        &khrulkov(2, 2, 2, KHRULKOV_CORE, IDENTITY),
    );
    let out = tnproof(&["verify"], dir.path(), "2");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout).unwrap().contains("cases/k.toml"));
}

#[test]
fn check_confirms_written_certificates_rejects_tampered_ones_and_refuses_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let case = khrulkov(
        2,
        2,
        4,
        KHRULKOV_CORE,
        "[[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"4\"",
    )
    .replace("n = 2", "n = [2, 3]");
    write_case(dir.path(), "k.toml", &case);
    assert_eq!(
        tnproof(&["verify", "k.toml", "--out", "certs"], dir.path(), "2")
            .status
            .code(),
        Some(0)
    );
    let ok = tnproof(&["check", "--dir", "certs"], dir.path(), "2");
    let stdout = String::from_utf8(ok.stdout).unwrap();
    assert_eq!(ok.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.ends_with("summary: confirmed 2 certificates in 2 files (2 claims), every verdict as expected\n"),
        "{stdout}"
    );

    // X = [i1 = i2][i3 = i4] on n = 2: rank 4; a certificate claiming 5 is rejected with exit 2.
    let cert = std::fs::read_to_string(dir.path().join("certs/t_n2_r2_d4.cert")).unwrap();
    std::fs::write(
        dir.path().join("bad.cert"),
        cert.replace(") = 4 exactly", ") = 5 exactly"),
    )
    .unwrap();
    let bad = tnproof(&["check", "bad.cert", "certs/t_n3_r2_d4.cert"], dir.path(), "2");
    let stdout = String::from_utf8(bad.stdout).unwrap();
    assert_eq!(bad.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("REJECTED bad.cert:")
            && stdout.contains("claim 1 (matricization-rank): the evidence should read"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("summary: 2 files, 1 confirmed, 1 rejected\n"),
        "{stdout}"
    );

    std::fs::write(dir.path().join("not.cert"), "hello").unwrap();
    let unreadable = tnproof(&["check", "not.cert"], dir.path(), "2");
    assert_eq!(unreadable.status.code(), Some(2));
    assert!(String::from_utf8(unreadable.stderr)
        .unwrap()
        .contains("not a certificate"));
}

/// Writes the certificates of `case` (as `k.toml`) into `dir/certs`; `verify` exits `status`.
fn write_certificates(dir: &Path, case: &str, status: i32) {
    write_case(dir, "k.toml", case);
    let out = tnproof(&["verify", "k.toml", "--out", "certs"], dir, "2");
    assert_eq!(
        out.status.code(),
        Some(status),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// The 1-based number of the one line of `text` that is `line`.
fn line_number(text: &str, line: &str) -> usize {
    let at: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == line)
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(at.len(), 1, "{line:?} in\n{text}");
    at[0]
}

#[test]
fn check_exits_1_when_confirmed_certificates_record_verdicts_not_as_expected() {
    // The printed TT-ranks (r,1,r) fail for n = 2 < r = 3 (the true ranks are (2,1,2)) and hold
    // for n = 3: the case expects them to hold, so only the n = 2 certificate records its
    // verdict as not expected. Each certificate is sound, and confirmed.
    let dir = tempfile::tempdir().unwrap();
    let claims = format!("{IDENTITY}\n[[claim]]\nkind = \"tt-ranks\"\nequal = \"if k % 2 == 1 {{ r }} else {{ 1 }}\"");
    let case = khrulkov(2, 3, 4, KHRULKOV_CORE, &claims).replace("n = 2", "n = [2, 3]");
    write_certificates(dir.path(), &case, 1);
    let cert = std::fs::read_to_string(dir.path().join("certs/t_n2_r3_d4.cert")).unwrap();
    let line = line_number(&cert, "  verdict: fails (NOT AS EXPECTED)");
    let out = tnproof(&["check", "--dir", "certs"], dir.path(), "2");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert_eq!(
        stdout,
        format!(
            "confirmed certs/t_n2_r3_d4.cert: 1 certificate, 2 claims, 1 verdict NOT AS EXPECTED\n  \
             NOT AS EXPECTED certs/t_n2_r3_d4.cert:{line}: claim 2 (tt-ranks): fails, expected holds\n\
             confirmed certs/t_n3_r3_d4.cert: 1 certificate, 2 claims\n\
             summary: confirmed 2 certificates in 2 files (4 claims), but they record 1 unexpected verdict\n"
        )
    );
}

#[test]
fn check_refuses_crlf_line_endings_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write_certificates(dir.path(), &khrulkov(2, 2, 4, KHRULKOV_CORE, IDENTITY), 0);
    let cert = std::fs::read_to_string(dir.path().join("certs/t_n2_r2_d4.cert")).unwrap();
    std::fs::write(dir.path().join("crlf.cert"), cert.replace('\n', "\r\n")).unwrap();
    let out = tnproof(&["check", "crlf.cert"], dir.path(), "2");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: crlf.cert: line endings are CRLF (\\r\\n), from line 1; certificates use LF (\\n) alone"
        ),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "refused before any check");
}

#[test]
fn check_says_where_a_cut_short_certificate_ends() {
    let dir = tempfile::tempdir().unwrap();
    let rank = "[[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"4\"";
    write_certificates(dir.path(), &khrulkov(2, 2, 4, KHRULKOV_CORE, rank), 0);
    let cert = std::fs::read_to_string(dir.path().join("certs/t_n2_r2_d4.cert")).unwrap();
    let lines: Vec<&str> = cert.lines().collect();
    let evidence = line_number(
        &cert,
        "  evidence: rank X^((1,3),(2,4)) = 4 exactly over Q (4 x 4 matrix); the minor below is non-singular",
    );
    let verdict = line_number(&cert, "  verdict: holds (as expected)");
    let upto = |n: usize| lines[..n].iter().map(|l| format!("{l}\n")).collect::<String>();
    for (name, text, line, how) in [
        // The evidence announces the minor on the lines below, which are missing.
        (
            "after-evidence.cert",
            upto(evidence),
            evidence,
            "claim 1 (matricization-rank): the text ends after this line, where a line '  minor rows: ...' must follow: it is cut short",
        ),
        // Cut after "  verd": the text stops inside the verdict line.
        (
            "in-verdict.cert",
            format!("{}  verd", upto(verdict - 1)),
            verdict,
            "claim 1 (matricization-rank): the text ends inside this line, which has no line end (LF): it is cut short",
        ),
        // Cut after the cores, before the first claim.
        (
            "no-claims.cert",
            upto(line_number(&cert, "claim 1: matricization-rank") - 1),
            line_number(&cert, "claim 1: matricization-rank") - 1,
            "the text ends after this line, where a line 'claim 1: ...' must follow: it is cut short",
        ),
    ] {
        std::fs::write(dir.path().join(name), &text).unwrap();
        let out = tnproof(&["check", name], dir.path(), "2");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(2), "{stdout}");
        assert_eq!(
            stdout,
            format!("REJECTED {name}:{line}: {how}\nsummary: 1 file, 0 confirmed, 1 rejected\n")
        );
    }
}

#[test]
fn check_refuses_an_empty_folder_naming_it_as_given() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("certs/empty")).unwrap();
    std::fs::write(dir.path().join("certs/empty/notes.txt"), "not a certificate").unwrap();
    for (args, message) in [
        (
            &["check", "--dir", "certs/empty/"][..],
            "no certificates in certs/empty/ (it holds no *.cert files)",
        ),
        (
            &["check"][..],
            "no certificate files given; name them, or a folder of them with --dir DIR",
        ),
    ] {
        let out = tnproof(args, dir.path(), "2");
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(String::from_utf8(out.stderr).unwrap(), format!("error: {message}\n"));
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn out_replaces_the_certificates_of_an_earlier_run_as_a_whole() {
    let dir = tempfile::tempdir().unwrap();
    let case = khrulkov(2, 2, 4, KHRULKOV_CORE, IDENTITY);
    write_case(dir.path(), "k.toml", &case.replace("n = 2", "n = [2, 3, 4]"));
    let first = tnproof(&["verify", "k.toml", "--out", "certs"], dir.path(), "2");
    assert_eq!(first.status.code(), Some(0));
    assert_eq!(names_in(&dir.path().join("certs")).len(), 3);
    write_case(dir.path(), "k.toml", &case.replace("n = 2", "n = [3]"));
    let second = tnproof(&["verify", "k.toml", "--out", "certs/"], dir.path(), "2");
    assert_eq!(second.status.code(), Some(0));
    assert_eq!(names_in(&dir.path().join("certs")), ["t_n3_r2_d4.cert"]);
    assert_eq!(
        names_in(dir.path()),
        ["certs", "k.toml"],
        "nothing left beside the folder"
    );
}

#[test]
fn out_refuses_a_folder_holding_other_files_and_leaves_it_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), "k.toml", &khrulkov(2, 2, 4, KHRULKOV_CORE, IDENTITY));
    for foreign in ["notes.txt", "draft.cert"] {
        let certs = dir.path().join("certs");
        std::fs::create_dir_all(&certs).unwrap();
        std::fs::write(certs.join(foreign), "mine").unwrap();
        let out = tnproof(&["verify", "k.toml", "--out", "certs"], dir.path(), "2");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(
            stderr,
            format!(
                "error: certs: holds {foreign}, which is not a tnproof certificate; --out replaces \
                 the whole folder, so give a new folder or one holding only certificates\n"
            )
        );
        assert!(out.stdout.is_empty(), "refused before any work");
        assert_eq!(names_in(&certs), [foreign]);
        assert_eq!(std::fs::read_to_string(certs.join(foreign)).unwrap(), "mine");
        assert_eq!(names_in(dir.path()), ["certs", "k.toml"]);
        std::fs::remove_dir_all(&certs).unwrap();
    }
}

#[test]
fn a_refused_run_leaves_the_certificates_of_an_earlier_run_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let case = khrulkov(2, 2, 4, KHRULKOV_CORE, IDENTITY);
    write_case(dir.path(), "k.toml", &case.replace("n = 2", "n = [2, 3]"));
    assert_eq!(
        tnproof(&["verify", "k.toml", "--out", "certs"], dir.path(), "2")
            .status
            .code(),
        Some(0)
    );
    let earlier = std::fs::read_to_string(dir.path().join("certs/t_n2_r2_d4.cert")).unwrap();
    write_case(dir.path(), "k.toml", &case.replace("n = 2", "n = [2, 2]"));
    let refused = tnproof(&["verify", "k.toml", "--out", "certs"], dir.path(), "2");
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        names_in(&dir.path().join("certs")),
        ["t_n2_r2_d4.cert", "t_n3_r2_d4.cert"]
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("certs/t_n2_r2_d4.cert")).unwrap(),
        earlier
    );
    assert_eq!(names_in(dir.path()), ["certs", "k.toml"]);
}

#[test]
fn two_cases_naming_one_certificate_are_refused_and_the_earlier_certificates_stay() {
    // Case `t` at x = 1 and case `t_x1` both name a certificate t_x1_n2_r2_d4.cert: refused at
    // the second case's id before any work, and the folder of the earlier run is left as it was.
    let dir = tempfile::tempdir().unwrap();
    let case = khrulkov(2, 2, 4, KHRULKOV_CORE, IDENTITY);
    write_case(dir.path(), "a.toml", &case.replace("n = 2", "x = 1\nn = 2"));
    write_case(dir.path(), "b.toml", &case.replace("id = \"t\"", "id = \"t_x1\""));
    assert_eq!(
        tnproof(&["verify", "a.toml", "--out", "certs"], dir.path(), "2")
            .status
            .code(),
        Some(0)
    );
    let earlier = std::fs::read_to_string(dir.path().join("certs/t_x1_n2_r2_d4.cert")).unwrap();
    let failed = tnproof(&["verify", "a.toml", "b.toml", "--out", "certs"], dir.path(), "2");
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr,
        "error: b.toml:2:7: this case's certificate t_x1_n2_r2_d4.cert would have the name of one of a.toml's; \
         give the case another id\n"
    );
    assert!(failed.stdout.is_empty());
    assert_eq!(names_in(&dir.path().join("certs")), ["t_x1_n2_r2_d4.cert"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("certs/t_x1_n2_r2_d4.cert")).unwrap(),
        earlier
    );
    assert_eq!(names_in(dir.path()), ["a.toml", "b.toml", "certs"]);
}
