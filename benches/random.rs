//! Benchmarks of the random-instance path, each beside a peer measured in the same run
//! (`cargo bench --bench random`; set TNPROOF_PEERS=0 to skip the Python peers):
//! rank mod p = 2^61 - 1 of random N x N matrices against FLINT's nmod_mat rank
//! (benches/peer/flint_rank.py), tensor assembly from TT cores against a numpy einsum
//! (benches/peer/assembly.py), and the whole d = 6 Hypothesis 1 grid end to end against a
//! numpy + FLINT pipeline doing the same work (benches/peer/hypothesis1_grid.py).
//! TNPROOF_BENCH=assembly runs the assembly row alone.

mod common;

use common::median_seconds;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::process::Command;
use std::time::Instant;
use tnproof::case::ResourceLimit;
use tnproof::draw::{Draws, Entries, RandomKind};
use tnproof::linalg::modular::{rank_mod_p, ModMatrix, PRIME};
use tnproof::network::assembly::{train_matricization, Arith};
use tnproof::run::{decide, prepare};
use tnproof::tensor::Matricization;

/// What a peer script prints, split on whitespace; `None` when peers are off or fail.
fn peer(script: &str, args: &[&str]) -> Option<Vec<String>> {
    if std::env::var("TNPROOF_PEERS").is_ok_and(|v| v == "0") {
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
    Some(
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .map(str::to_string)
            .collect(),
    )
}

fn ratio(ours: f64, theirs: Option<f64>) -> String {
    theirs.map_or("peer not run".into(), |t| {
        format!("peer {t:.3} s, ours/peer {:.2}", ours / t)
    })
}

fn main() {
    if std::env::var("TNPROOF_BENCH").is_ok_and(|v| v == "assembly") {
        return assembly();
    }
    let threads = rayon::current_num_threads();
    println!("rank mod 2^61 - 1 of random N x N matrices, one thread (peer: FLINT nmod_mat.rank)");
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    let mut rng = ChaCha8Rng::seed_from_u64(2018);
    for n in [500, 1000, 2000, 4000] {
        let m = ModMatrix {
            nrows: n,
            ncols: n,
            entries: (0..n * n).map(|_| rng.gen_range(0..PRIME)).collect(),
        };
        let runs = if n >= 4000 { 1 } else { 3 };
        let ours = one_thread.install(|| median_seconds(runs, || assert_eq!(rank_mod_p(&m, None).rank, n)));
        // flint_rank.py N prints a table; its last row is "N runs wall cpu rank".
        let theirs =
            peer("flint_rank.py", &[&n.to_string()]).and_then(|v| v.get(v.len().checked_sub(3)?)?.parse().ok());
        println!("  N = {n:>4}: ours {ours:.3} s; {}", ratio(ours, theirs));
    }

    assembly();

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
