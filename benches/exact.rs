//! Benchmarks of the exact path, run with `cargo bench` (release): rank over Q on the matrix
//! shapes tnproof meets (fast fraction-free path against the plain rational reference where
//! the reference finishes), dense contraction of a tensor train, an odd/even rank decided from a
//! train's support (Alkin's equal cores at d = 12 and 14, with the peak resident memory), and
//! every case in cases/ end to end. Each figure is the median of several runs; inputs come from
//! a fixed ChaCha seed.

mod common;

use common::median_seconds;

use num_bigint::BigInt;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tnproof::case::ResourceLimit;
use tnproof::field::Q;
use tnproof::linalg::{rank, rank_reference};
use tnproof::run::{case_files, decide, prepare};
use tnproof::tensor::Matrix;

fn matrix(n: usize, mut entry: impl FnMut(usize, usize) -> i64) -> Matrix<Q> {
    let entries = (0..n * n)
        .map(|p| Q::from_integer(BigInt::from(entry(p / n, p % n))))
        .collect();
    Matrix {
        nrows: n,
        ncols: n,
        entries,
    }
}

fn report(label: &str, m: &Matrix<Q>, with_reference: bool) {
    let r = rank(m).rank;
    let fast = median_seconds(5, || {
        rank(m);
    });
    let reference = with_reference.then(|| {
        assert_eq!(rank_reference(m).rank, r, "the two exact paths disagree on {label}");
        median_seconds(3, || {
            rank_reference(m);
        })
    });
    match reference {
        Some(t) => println!(
            "{label:<58} rank {r:>5}  fast {fast:>8.4} s  reference {t:>8.4} s  ratio {:>6.1}x",
            t / fast
        ),
        None => println!("{label:<58} rank {r:>5}  fast {fast:>8.4} s"),
    }
}

fn main() {
    let mut rng = ChaCha8Rng::seed_from_u64(2018);
    println!("exact rank over Q");
    let n = 1296;
    let mut perm: Vec<usize> = (0..n).collect();
    perm.shuffle(&mut rng);
    report(
        "permuted identity 1296 x 1296",
        &matrix(n, |i, j| i64::from(perm[i] == j)),
        false,
    );
    for per_row in [3, 4] {
        let mut ones = vec![vec![false; n]; n];
        for row in &mut ones {
            for _ in 0..per_row {
                row[rng.gen_range(0..n)] = true;
            }
        }
        report(
            &format!("sparse 0/1 1296 x 1296, about {per_row} per row"),
            &matrix(n, |i, j| i64::from(ones[i][j])),
            false,
        );
    }
    for n in [40, 100, 200] {
        let values: Vec<i64> = (0..n * n).map(|_| rng.gen_range(-100..=100)).collect();
        report(
            &format!("dense {n} x {n} integers in [-100, 100]"),
            &matrix(n, |i, j| values[i * n + j]),
            n <= 40,
        );
    }

    println!("\ntensor-train contraction to a dense tensor");
    let case =
        tnproof::case::parse_case("alkin", include_str!("../cases/alkin2024-equal-core.toml")).expect("valid case");
    let mut narrowed = case.clone();
    for p in &mut narrowed.params {
        p.values = vec![*p.values.last().expect("non-empty")];
    }
    let instance = narrowed.instances(ResourceLimit::default()).expect("valid").remove(0);
    let t = median_seconds(5, || {
        instance.network.dense(Q::clone);
    });
    println!(
        "alkin2024 equal cores, {}: 6^8 = 1679616 entries in {t:.3} s",
        instance.label()
    );

    println!("\nodd/even rank from the cores' support, through the case path (parse, expand, decide)");
    for d in [12, 14] {
        alkin_rank_from_support(d);
    }

    println!(
        "\nwhole case set (cases/, all instances and claims, {} threads)",
        rayon::current_num_threads()
    );
    let files = case_files(&["cases".into()]).expect("run from the repository root");
    let mut verdicts = 0;
    let t = median_seconds(3, || {
        let prepared = prepare(&files, ResourceLimit::default()).expect("valid cases");
        verdicts = prepared
            .into_iter()
            .map(|(_, instances)| decide(instances).iter().map(|r| r.outcomes.len()).sum::<usize>())
            .sum();
    });
    println!("{} case files, {verdicts} claim verdicts in {t:.2} s", files.len());
}

/// Alkin's equal-core case at n = r = 4 and depth `d` with its matricization-rank claim alone:
/// the 4^(d/2) x 4^(d/2) odd/even matricization, built from the cores' support.
fn alkin_rank_from_support(d: usize) {
    let case = include_str!("../cases/alkin2024-equal-core.toml");
    let mut parts = case.split("[[claim]]");
    let construction = parts.next().expect("the case's construction");
    let claim = parts
        .find(|p| p.contains("kind = \"matricization-rank\""))
        .expect("the case has a matricization-rank claim");
    let text = format!("{construction}[[claim]]{claim}")
        .replace("n = \"1..6\"", "n = 4")
        .replace("r = \"2..6\"", "r = 4")
        .replace("d = [2, 4, 6, 8]", &format!("d = [{d}]"));
    // Linux: writing 5 to clear_refs resets the peak resident set (VmHWM) to the current one.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let mut rank = 0;
    let t = median_seconds(3, || {
        let case = tnproof::case::parse_case("alkin", &text).expect("valid case");
        let instances = case
            .instances(ResourceLimit::default())
            .expect("fits the default limit");
        let result = decide(instances).remove(0);
        let outcome = &result.outcomes[0];
        assert_eq!(outcome.verdict, tnproof::claim::Verdict::Holds);
        if let tnproof::claim::Evidence::Rank { witness, .. } = &outcome.evidence {
            rank = witness.rank;
        }
    });
    let side = 4usize.pow(d as u32 / 2);
    let peak = match (reset, peak_resident_kib()) {
        (true, Some(kib)) => format!("peak resident {:.1} MiB", kib as f64 / 1024.0),
        _ => "peak resident memory not available".to_string(),
    };
    println!("alkin2024 equal cores, n = r = 4, d = {d}: {side} x {side}, rank {rank} in {t:.3} s, {peak}");
}

/// `VmHWM` of /proc/self/status in KiB, where there is one.
fn peak_resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
