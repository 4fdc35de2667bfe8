//! Determinism: the same cases give byte-identical certificates across runs, across
//! RAYON_NUM_THREADS=1 and =2, and between a debug and a release build of `tnproof`. Each test runs
//! a binary as a user does (`tnproof verify CASES --out DIR` from the repository root) and
//! compares every certificate file byte for byte with one debug run shared by the tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// A folder of certificates: file name to contents.
type Certificates = BTreeMap<String, Vec<u8>>;

/// The case files run: every construction kind, the seeded random draws and the floating-point
/// ALS estimates. The Hypothesis 1 grids are left out: they take minutes in a debug build.
const CASES: &[&str] = &[
    "cases/khrulkov2018-theorem1.toml",
    "cases/khrulkov2018-similarity.toml",
    "cases/alkin2024-equal-core.toml",
    "cases/alkin2024-equal-core-hypothesis-q.toml",
    "cases/alkin2024-cp-als.toml",
    "cases/random-cp.toml",
    "cases/random-ht.toml",
];

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The certificates `binary` writes for `CASES` with `threads` rayon threads.
fn certificates(binary: &Path, threads: &str) -> Certificates {
    let out = tempfile::tempdir().expect("a temporary folder");
    let run = Command::new(binary)
        .arg("verify")
        .args(CASES)
        .arg("--out")
        .arg(out.path())
        .current_dir(repository())
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap_or_else(|e| panic!("{} runs: {e}", binary.display()));
    assert!(
        run.status.success(),
        "{} verify: {}\n{}",
        binary.display(),
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    let certificates: Certificates = std::fs::read_dir(out.path())
        .expect("the output folder is readable")
        .map(|entry| {
            let path = entry.expect("a folder entry").path();
            let name = path.file_name().expect("a file name").to_string_lossy().into_owned();
            (name, std::fs::read(&path).expect("a certificate is readable"))
        })
        .collect();
    assert!(
        certificates.len() >= CASES.len(),
        "every case has certificates, found {}",
        certificates.len()
    );
    certificates
}

/// The debug (test-profile) binary's certificates with two threads: what every run must match.
fn debug_run() -> &'static Certificates {
    static DEBUG_RUN: OnceLock<Certificates> = OnceLock::new();
    DEBUG_RUN.get_or_init(|| certificates(Path::new(env!("CARGO_BIN_EXE_tnproof")), "2"))
}

/// Fails with the first differing file and line unless the two folders are byte-identical.
fn assert_identical(expected: &Certificates, actual: &Certificates, what: &str) {
    let names = |c: &Certificates| c.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(expected), names(actual), "{what}: the same certificate files");
    for (name, bytes) in expected {
        let other = &actual[name];
        if bytes != other {
            let (a, b) = (String::from_utf8_lossy(bytes), String::from_utf8_lossy(other));
            let shorter = a.lines().count().min(b.lines().count());
            let line = a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or(shorter);
            panic!(
                "{what}: {name} differs at line {}:\n  {:?}\n  {:?}",
                line + 1,
                a.lines().nth(line).unwrap_or("<end>"),
                b.lines().nth(line).unwrap_or("<end>")
            );
        }
    }
    eprintln!("{what}: {} certificates, byte-identical", expected.len());
}

#[test]
fn two_runs_write_identical_certificates() {
    let again = certificates(Path::new(env!("CARGO_BIN_EXE_tnproof")), "2");
    assert_identical(debug_run(), &again, "two debug runs");
}

#[test]
fn one_and_two_threads_write_identical_certificates() {
    let one_thread = certificates(Path::new(env!("CARGO_BIN_EXE_tnproof")), "1");
    assert_identical(debug_run(), &one_thread, "RAYON_NUM_THREADS=2 and =1");
}

/// Builds the release binary (sharing the target folder, so this is quick once it is built).
fn release_binary() -> PathBuf {
    let build = Command::new(env!("CARGO"))
        .args(["build", "--release", "--bin", "tnproof"])
        .current_dir(repository())
        .output()
        .expect("cargo runs");
    assert!(
        build.status.success(),
        "cargo build --release: {}",
        String::from_utf8_lossy(&build.stderr)
    );
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| repository().join("target"), |dir| repository().join(dir));
    target
        .join("release")
        .join(format!("tnproof{}", std::env::consts::EXE_SUFFIX))
}

#[test]
fn debug_and_release_builds_write_identical_certificates() {
    let release = certificates(&release_binary(), "2");
    assert_identical(debug_run(), &release, "debug and release builds");
}
