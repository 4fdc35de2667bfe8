//! Benchmarks of claims about every depth at once (SPEC §7), run with `cargo bench --bench
//! every_depth` (release): for the instances of Khrulkov et al.'s eq. (9) witness and of Alkin's
//! equal cores (Theorem 1 with Lemma 3's support path, and Hypothesis 1's block h = min(n, r))
//! at n = r in {3, 6, 10}, for every even d, the time to decide all claims of the instance and
//! write its certificate, and the time for the kernel to check that certificate; beside it, as
//! the peer measured in the same run, the same claims decided and kernel-checked as an ordinary
//! instance at one finite d: d = 8 where n^8 entries fit (n = 3, 6), d = 6 for n = 10 (10^8
//! entries do not). The case texts are those of cases/*-every-depth.toml at one grid point.
//! Each figure is the median of several runs.

mod common;

use common::median_seconds;

use tnproof::case::{parse_case, Case, Instance, ResourceLimit};
use tnproof::certificate::render;
use tnproof::run::decide_instance;

/// A case at one point (n, r) and depth text `d` (`"\"even\""` or `8`).
struct Bench {
    id: &'static str,
    text: fn(usize, usize, &str) -> String,
}

fn khrulkov(n: usize, r: usize, d: &str) -> String {
    format!(
        "[case]\nid = \"khrulkov2018-theorem1\"\nsource = \"bench\"\n[construction]\nkind = \"tt\"\nn = {n}\nr = {r}\nd = {d}\n\
         ranks = \"if k % 2 == 1 {{ r }} else {{ 1 }}\"\n[construction.let]\nq = \"min(n, r)\"\n[construction.cores]\n\
         core = \"if k % 2 == 1 {{ [i == b] }} else {{ [i == a] }}\"\n\
         [[claim]]\nkind = \"identity-submatrix\"\nmatricization = \"odd-even\"\nq = \"q\"\n\
         [[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"q^(d/2)\"\n\
         [[claim]]\nkind = \"cp-rank-lower-bound\"\nmatricization = \"odd-even\"\nat-least = \"q^(d/2)\"\n"
    )
}

const ALKIN_CORES: &str = "[construction.cores]\nfirst = \"[i == b]\"\n\
    inner = \"if a <= q { [a == i] * [b == q + 1] } else if a == q + 1 { [i == b] } else { 0 }\"\nlast = \"[a == i]\"\n";

fn alkin(n: usize, r: usize, d: &str) -> String {
    format!(
        "[case]\nid = \"alkin2024-equal-core\"\nsource = \"bench\"\n[construction]\nkind = \"tt-equal\"\nn = {n}\nr = {r}\nd = {d}\n\
         [construction.let]\nq = \"min(n, r - 1)\"\n{ALKIN_CORES}\
         [[claim]]\nkind = \"identity-submatrix\"\nmatricization = \"odd-even\"\nq = \"q\"\n\
         [[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"q^(d/2)\"\n\
         [[claim]]\nkind = \"cp-rank-lower-bound\"\nmatricization = \"odd-even\"\nat-least = \"q^(d/2)\"\n\
         [[claim]]\nkind = \"support-structure\"\npath = \"if k % 2 == 1 {{ i }} else {{ q + 1 }}\"\n"
    )
}

fn hypothesis1(n: usize, r: usize, d: &str) -> String {
    format!(
        "[case]\nid = \"alkin2024-hypothesis1\"\nsource = \"bench\"\n[construction]\nkind = \"tt-equal\"\nn = {n}\nr = {r}\nd = {d}\n\
         [construction.let]\nq = \"min(n, r - 1)\"\nh = \"min(n, r)\"\n{ALKIN_CORES}\
         [[claim]]\nkind = \"identity-submatrix\"\nmatricization = \"odd-even\"\nq = \"h\"\nfails-where = \"r <= n\"\n\
         [[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"h^(d/2)\"\n\
         [[claim]]\nkind = \"cp-rank-lower-bound\"\nmatricization = \"odd-even\"\nat-least = \"h^(d/2)\"\n"
    )
}

/// The case and its one instance.
fn instance(text: &str) -> (Case, Instance) {
    let case = parse_case("bench.toml", text).expect("a valid case");
    let mut instances = case.instances(ResourceLimit::default()).expect("valid instances");
    assert_eq!(instances.len(), 1);
    (case, instances.remove(0))
}

/// The certificate of the instance, decided and written.
fn certificate(case: &Case, instance: &Instance) -> String {
    render(case, &decide_instance(instance.clone()))
}

/// The kernel's check, which must confirm every claim as expected.
fn kernel(text: &str) {
    let confirmed = tnproof_kernel::check(text).unwrap_or_else(|e| panic!("the kernel rejects: {e}\n{text}"));
    assert!(confirmed.unexpected.is_empty(), "{:?}", confirmed.unexpected);
}

/// Runs for a figure: fewer for slow ones (a first run, timed, decides).
fn runs_for(seconds: f64) -> usize {
    if seconds > 2.0 {
        1
    } else if seconds > 0.2 {
        3
    } else {
        9
    }
}

fn timed(mut f: impl FnMut()) -> f64 {
    let start = std::time::Instant::now();
    f();
    let first = start.elapsed().as_secs_f64();
    match runs_for(first) {
        1 => first,
        runs => median_seconds(runs, f),
    }
}

fn main() {
    let benches = [
        Bench {
            id: "khrulkov2018-theorem1 (eq. 9)",
            text: khrulkov,
        },
        Bench {
            id: "alkin2024-equal-core",
            text: alkin,
        },
        Bench {
            id: "alkin2024-hypothesis1",
            text: hypothesis1,
        },
    ];
    println!(
        "claims for every even d at once (automata) against one finite d, {} threads",
        rayon::current_num_threads()
    );
    println!(
        "{:<30} {:>3} {:>3} {:>7} {:>14} {:>13} {:>8} {:>21} {:>8}",
        "case", "n", "r", "claims", "all-d decide", "all-d check", "finite", "finite decide+check", "ratio"
    );
    for bench in &benches {
        for n in [3, 6, 10] {
            let r = n;
            let (case, every) = instance(&(bench.text)(n, r, "\"even\""));
            assert!(every.every_depth.is_some());
            let text = certificate(&case, &every);
            kernel(&text);
            let decide_all = timed(|| {
                certificate(&case, &every);
            });
            let check_all = timed(|| kernel(&text));
            let d = if n <= 6 { 8 } else { 6 };
            let (finite_case, finite) = instance(&(bench.text)(n, r, &d.to_string()));
            let finite_text = certificate(&finite_case, &finite);
            kernel(&finite_text);
            let finite_time = timed(|| kernel(&certificate(&finite_case, &finite)));
            let all_d = decide_all + check_all;
            println!(
                "{:<30} {n:>3} {r:>3} {:>7} {:>11.2} ms {:>10.2} ms {:>8} {:>18.1} ms {:>7.1}x",
                bench.id,
                every.claims.len(),
                decide_all * 1e3,
                check_all * 1e3,
                format!("d = {d}"),
                finite_time * 1e3,
                finite_time / all_d
            );
        }
    }
    println!("ratio: finite-d decide + check over all-d decide + check (above 1: every d at once is faster)");
}
