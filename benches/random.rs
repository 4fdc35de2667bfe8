//! Benchmarks of the random-instance path, each beside a peer measured in the same run
//! (`cargo bench --bench random`; set TNPROOF_PEERS=0 to skip the peers):
//! rank mod p of random N x N matrices on one thread, ours (`rank_mod_word_prime`, p = 2^21 - 9,
//! and `rank_mod_p`, p = 2^61 - 1) against
//! FFLAS-FFPACK's `FFPACK::Rank` over doubles mod 2097143 = 2^21 - 9 (benches/peer/fflas_rank.cpp,
//! built by benches/peer/fflas.sh into target/peer/) and FLINT's nmod_mat rank mod 2^61 - 1
//! (benches/peer/flint_rank.py); tensor assembly from TT cores against a numpy einsum
//! (benches/peer/assembly.py); the whole d = 6 Hypothesis 1 grid end to end against a numpy +
//! FLINT pipeline doing the same work (benches/peer/hypothesis1_grid.py); and one generic
//! 2025 x 2025 instance (random TT, n = r = 45, d = 4, odd/even rank equal to the cut) decided end
//! to end on one thread against FFLAS-FFPACK's rank of a random 2025 x 2025 matrix.
//!
//! Arguments after `--` pick sections by name: `rank`, `assembly`, `grid`, `end-to-end` (e.g.
//! `cargo bench --bench random -- rank end-to-end`); none runs them all. The assembly section times a
//! TT's dense tensor and odd/even matricization by matrix products (`network::assembly`).

mod common;

use common::median_seconds;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;
use tnproof::case::{parse_case, ResourceLimit};
use tnproof::draw::{Draws, Entries, RandomKind};
use tnproof::linalg::modular::{rank_mod_p, rank_mod_word_prime, ModMatrix, PRIME, WORD_PRIME};
use tnproof::network::assembly::{train_matricization, Arith};
use tnproof::run::{decide, prepare};
use tnproof::tensor::Matricization;

/// Whether the peers are off (TNPROOF_PEERS=0).
fn peers_off() -> bool {
    std::env::var("TNPROOF_PEERS").is_ok_and(|v| v == "0")
}

/// What a peer script prints, split on whitespace; `None` when peers are off or fail.
fn peer(script: &str, args: &[&str]) -> Option<Vec<String>> {
    if peers_off() {
        return None;
    }
    let out = Command::new("python3")
        .arg(format!("benches/peer/{script}"))
        .args(args)
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!("peer {script} failed: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    Some(split(&out.stdout))
}

fn split(out: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(out)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// The prime of the FFLAS-FFPACK peer, 2^21 - 9: its entries are doubles.
const FFLAS_PRIME: u64 = 2097143;

/// The FFLAS-FFPACK peer's binary, built (or installed and built) by benches/peer/fflas.sh on
/// first use; `None` when peers are off or it cannot be had, the script's reason printed once.
fn fflas_binary() -> Option<&'static PathBuf> {
    static BINARY: OnceLock<Option<PathBuf>> = OnceLock::new();
    BINARY
        .get_or_init(|| {
            if peers_off() {
                return None;
            }
            let out = Command::new("bash").arg("benches/peer/fflas.sh").output();
            let out = match out {
                Ok(out) => out,
                Err(e) => {
                    println!("  FFLAS-FFPACK peer not run: bash: {e}");
                    return None;
                }
            };
            for line in String::from_utf8_lossy(&out.stderr).lines() {
                println!("  {line}");
            }
            let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            (out.status.success() && path.is_file()).then_some(path)
        })
        .as_ref()
}

/// FFLAS-FFPACK's median wall time over `runs` ranks, on one thread, of a random n x n matrix
/// mod FFLAS_PRIME; `None` when the peer is not run. The rank must be full.
fn fflas_rank(n: usize, runs: usize) -> Option<f64> {
    let out = Command::new(fflas_binary()?)
        .args([n.to_string(), FFLAS_PRIME.to_string(), "2018".into(), runs.to_string()])
        .env("OPENBLAS_NUM_THREADS", "1")
        .env("OMP_NUM_THREADS", "1")
        .output()
        .ok()?;
    if !out.status.success() {
        println!(
            "  FFLAS-FFPACK peer failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        return None;
    }
    // "N seconds rank cpu"
    let v = split(&out.stdout);
    assert_eq!(
        v.get(2).map(String::as_str),
        Some(n.to_string().as_str()),
        "FFLAS-FFPACK's rank"
    );
    v.get(1)?.parse().ok()
}

fn ratio(ours: f64, theirs: Option<f64>) -> String {
    theirs.map_or("peer not run".into(), |t| {
        format!("peer {t:.3} s, ours/peer {:.2}", ours / t)
    })
}

/// "ours/NAME r" for each peer that ran, "NAME not run" for the others.
fn ratios(ours: f64, peers: &[(&str, Option<f64>)]) -> String {
    let each: Vec<String> = peers
        .iter()
        .map(|(name, t)| t.map_or(format!("{name} not run"), |t| format!("ours/{name} {:.2}", ours / t)))
        .collect();
    each.join(", ")
}

/// One of our ranks mod p, timed on random matrices beside the peers.
struct OursRank {
    label: &'static str,
    prime: u64,
    /// The median seconds of `runs` ranks of the n x n matrix with these entries (row major, in
    /// [0, prime)), which must come out full.
    time: fn(n: usize, entries: Vec<u64>, runs: usize) -> f64,
}

/// Our ranks in the table, one line each (another prime or engine is one more line).
const OURS: &[OursRank] = &[
    OursRank {
        label: "rank_mod_word_prime, p = 2^21 - 9 (f64 products)",
        prime: WORD_PRIME,
        // The elimination overwrites its matrix: each run starts from a copy (an n^2 copy,
        // timed with the n^3 elimination).
        time: |n, entries, runs| {
            let m: Vec<f64> = entries.iter().map(|&x| x as f64).collect();
            median_seconds(runs, || assert_eq!(rank_mod_word_prime(n, n, m.clone(), None).rank, n))
        },
    },
    OursRank {
        label: "rank_mod_p, p = 2^61 - 1",
        prime: PRIME,
        time: |n, entries, runs| {
            let m = ModMatrix {
                nrows: n,
                ncols: n,
                entries,
            };
            median_seconds(runs, || assert_eq!(rank_mod_p(&m, None).rank, n))
        },
    },
];

/// A field of /proc/self/status in MiB ("VmHWM" the peak resident memory so far, "VmRSS" the
/// current); `None` where /proc is not Linux's.
fn status_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status
        .lines()
        .find(|l| l.strip_prefix(field).is_some_and(|rest| rest.starts_with(':')))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Sets the peak resident memory back to the current one (Linux: "5" to /proc/self/clear_refs).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The generic instance of the end-to-end row: a random TT with n = r = 45, d = 4, whose odd/even
/// matricization (2025 x 2025) has the cut as its generic rank.
const END_TO_END_CASE: &str = r#"
[case]
id = "bench-end-to-end"
title = "Random TT, n = r = 45, d = 4: generic odd/even rank equals the cut"
source = "benches/random.rs"

[construction]
kind = "random-tt"
n = 45
r = 45
d = 4
seed = 2018

[[claim]]
kind = "matricization-rank"
matricization = "odd-even"
equal = "cut"
"#;

fn main() {
    let only: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let section = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    let threads = rayon::current_num_threads();
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    if section("rank") {
        rank_rows(&one_thread);
    }
    if section("assembly") {
        assembly();
    }
    if section("grid") {
        grid_row(threads);
    }
    if section("end-to-end") {
        end_to_end_row(&one_thread);
    }
}

/// Rank mod p of random N x N matrices on one thread: each of ours beside FFLAS-FFPACK and FLINT.
fn rank_rows(one_thread: &rayon::ThreadPool) {
    println!(
        "rank mod p of random N x N matrices, one thread (peers: FFLAS-FFPACK FFPACK::Rank mod 2^21 - 9, FLINT nmod_mat.rank mod 2^61 - 1)"
    );
    let mut rng = ChaCha8Rng::seed_from_u64(2018);
    for n in [500, 1000, 2000, 4000] {
        let runs = if n >= 4000 { 1 } else { 3 };
        let fflas = fflas_rank(n, runs);
        // flint_rank.py N prints a table; its last row is "N runs wall cpu rank".
        let flint = peer("flint_rank.py", &[&n.to_string()]).and_then(|v| v.get(v.len().checked_sub(3)?)?.parse().ok());
        let seconds = |t: Option<f64>| t.map_or("not run".into(), |t| format!("{t:.3} s"));
        println!(
            "  N = {n:>4}: FFLAS-FFPACK {}, FLINT {}",
            seconds(fflas),
            seconds(flint)
        );
        for ours in OURS {
            let entries = (0..n * n).map(|_| rng.gen_range(0..ours.prime)).collect();
            let t = one_thread.install(|| (ours.time)(n, entries, runs));
            println!(
                "    {}: {t:.3} s; {}",
                ours.label,
                ratios(t, &[("FFLAS", fflas), ("FLINT", flint)])
            );
        }
    }
}

fn grid_row(threads: usize) {
    println!(
        "\nHypothesis 1 grid at d = 6: n = 2..10, r = 2..20, equal and different cores, end to end ({threads} threads)"
    );
    let files = [
        "cases/hypothesis1-equal-cores.toml".into(),
        "cases/hypothesis1-different-cores.toml".into(),
    ];
    let start = Instant::now();
    let mut prepared = prepare(&files, ResourceLimit::default()).expect("the grid's case files");
    let mut holds = 0;
    let mut instances = 0;
    for (_, all) in &mut prepared {
        let at_d6: Vec<_> = std::mem::take(all)
            .into_iter()
            .filter(|i| i.params.iter().any(|(k, v)| k == "d" && *v == 6))
            .collect();
        instances += at_d6.len();
        let results = decide(at_d6);
        holds += results
            .iter()
            .filter(|r| r.outcomes[0].verdict == tnproof::claim::Verdict::Holds)
            .count();
    }
    let ours = start.elapsed().as_secs_f64();
    let theirs = peer("hypothesis1_grid.py", &[&threads.to_string()]).and_then(|v| v.first()?.parse().ok());
    println!(
        "  {instances} instances, Hypothesis 1 certified at {holds}: ours {ours:.2} s; {}",
        ratio(ours, theirs)
    );
}

/// One generic 2025 x 2025 instance decided end to end on one thread (parse, draw, assemble,
/// rank with a witness, as `tnproof verify` does; median of 3) beside FFLAS-FFPACK's rank alone of
/// a random 2025 x 2025 matrix, and our ranks alone of one.
fn end_to_end_row(one_thread: &rayon::ThreadPool) {
    println!(
        "\ngeneric instance end to end, one thread: random TT n = r = 45, d = 4, odd/even (2025 x 2025) rank = cut"
    );
    let fflas = fflas_rank(2025, 3);
    let peak_reset = reset_peak();
    let resident = status_mib("VmRSS");
    let ours = median_seconds(3, || {
        let case = parse_case("bench-end-to-end.toml", END_TO_END_CASE).expect("the end-to-end case");
        let instances = case.instances(ResourceLimit::default()).expect("its instance");
        let results = one_thread.install(|| decide(instances));
        assert!(
            results.len() == 1 && results[0].outcomes[0].verdict == tnproof::claim::Verdict::Holds,
            "the generic rank is the cut"
        );
    });
    // The peak counts what the earlier sections left resident (the allocator keeps freed pages).
    let peak = match (status_mib("VmHWM"), resident) {
        (Some(peak), Some(before)) if peak_reset => {
            format!("; peak memory {peak:.0} MiB, {before:.0} MiB of it resident before")
        }
        (Some(peak), _) => format!("; peak memory of the whole run {peak:.0} MiB"),
        _ => String::new(),
    };
    println!(
        "  decided (holds): ours {ours:.3} s{peak}; FFLAS-FFPACK rank alone {}",
        ratio(ours, fflas)
    );
    let mut rng = ChaCha8Rng::seed_from_u64(2025);
    for rank in OURS {
        let entries = (0..2025 * 2025).map(|_| rng.gen_range(0..rank.prime)).collect();
        let alone = one_thread.install(|| (rank.time)(2025, entries, 3));
        println!("    {} alone, random 2025 x 2025: {alone:.3} s", rank.label);
    }
}

/// The assembly row: a TT's dense tensor and its odd/even matricization by matrix products
/// (network::assembly), mod the word prime and in f64, beside numpy's einsum of the dense tensor.
fn assembly() {
    println!("\ntensor assembly, random TT d = 6, n = 10, r = 20 (10^6 entries; peer: numpy einsum in float64)");
    let draws = Draws {
        kind: RandomKind::Tt,
        entries: Entries::DEFAULT,
        seed: 2018,
        case_id: "bench".into(),
        instance: "assembly".into(),
        n: 10,
        r: 20,
        d: 6,
        tries: 1,
        ht: None,
    };
    let network = draws.network(0);
    let train = network.train().expect("a tensor train");
    let theirs = peer("assembly.py", &[]).and_then(|v| v.first()?.parse().ok());
    for (name, m) in [
        ("dense tensor (sequential 3)", Matricization::sequential(3, 6)),
        ("odd/even matricization     ", Matricization::odd_even(6)),
    ] {
        for (arith_name, arith) in [
            ("mod 2^21 - 9", Arith::ModWord(2_097_143)),
            ("float64     ", Arith::Real),
        ] {
            let ours = median_seconds(5, || {
                train_matricization(train, &m, arith).expect("integer cores");
            });
            println!("  {name}, {arith_name}: {ours:.4} s; {}", ratio(ours, theirs));
        }
    }
}
