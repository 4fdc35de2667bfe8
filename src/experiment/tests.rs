//! The fast exact grid tensor against the reference recursion over Q, the certified rank
//! against the exact rational rank, the draws, the index order, and hand checks.

use super::*;
use crate::field::modp;
use crate::linalg::rank_reference;
use crate::tensor::{matricize, Matricization, Tensor};
use num_traits::{One, Zero};

fn small(seed: u64, templates: usize, length: usize) -> Config {
    Config {
        runs: 2,
        seed,
        templates,
        length,
        ranks: vec![1, 2, 3],
    }
}

/// `numerator / 2^exponent` over Q.
fn value(numerator: i128, exponent: u32) -> Q {
    Q::new(BigInt::from(numerator), BigInt::one() << exponent)
}

/// Small instances, both core modes, several seeds, ranks and shapes (M = 3, T = 4 mostly).
fn instances() -> Vec<Drawn> {
    let mut all = Vec::new();
    for (m, t) in [(3, 4), (2, 2), (2, 6), (4, 4)] {
        for seed in 1..=4 {
            let config = small(seed, m, t);
            for cores in Cores::ALL {
                for &r in &config.ranks {
                    all.push(draw(&config, Xi::Rectifier, cores, r, seed as usize));
                }
            }
        }
    }
    all
}

#[test]
fn the_fixed_point_grid_tensor_equals_the_reference_recursion_over_q() {
    let mut non_zero = 0;
    let all = instances();
    for drawn in &all {
        let fast = rectifier_grid(drawn, i128::MAX as u128).expect("small instances fit in i128");
        assert_eq!(fast.exponent, (drawn.length() as u32 + 2) * DRAW_BITS);
        let reference = drawn.rnn().grid_tensor(Xi::Rectifier, &drawn.feature_core()).unwrap();
        assert_eq!(reference.shape(), vec![drawn.templates; drawn.length()].as_slice());
        let fast_q: Vec<Q> = fast.numerators.iter().map(|&n| value(n, fast.exponent)).collect();
        assert_eq!(fast_q, reference.entries(), "{drawn:?}");
        non_zero += usize::from(reference.entries().iter().any(|q| !q.is_zero()));
    }
    // A grid tensor can vanish (every max(p, h, 0) = 0), but most do not: the comparison means something.
    assert!(
        non_zero * 10 >= all.len() * 9,
        "{non_zero} of {} grid tensors are non-zero",
        all.len()
    );
}

#[test]
fn the_q_fallback_gives_the_same_residues_up_to_the_power_of_two() {
    let config = small(7, 3, 4);
    let drawn = draw(&config, Xi::Rectifier, Cores::Different, 3, 1);
    let (fast, fast_path) = rectifier_residues(&drawn, i128::MAX as u128);
    // A limit of 2^20 is below the first step's bound: the fallback must run.
    assert!(rectifier_grid(&drawn, 1 << 20).is_none());
    let (slow, slow_path) = rectifier_residues(&drawn, 1 << 20);
    assert_eq!((fast_path, slow_path), (ExactPath::Dyadic, ExactPath::Rational));
    // The fast path gives 2^((T+2)K) Gamma, the fallback Gamma.
    let exponent = (drawn.length() as u32 + 2) * DRAW_BITS;
    let power = (0..exponent).fold(1u64, |acc, _| modp::mul(acc, 2));
    let scaled: Vec<u64> = slow.iter().map(|&r| modp::mul(r, power)).collect();
    assert_eq!(fast, scaled);
}

#[test]
fn residues_of_signed_128_bit_integers() {
    for x in [
        0i128,
        1,
        -1,
        i128::MAX,
        i128::MIN + 1,
        -(1i128 << 100) + 12345,
        modp::PRIME as i128,
        -(modp::PRIME as i128),
    ] {
        let reference = modp::of_rational(&value(x, 0)).unwrap();
        assert_eq!(residue_i128(x), reference, "{x}");
    }
}

#[test]
fn the_odd_even_order_is_the_matricization() {
    for (m, t) in [(2usize, 2usize), (3, 4), (2, 6), (4, 4), (1, 4)] {
        let count = m.pow(t as u32);
        let tensor = Tensor::from_entries(vec![m; t], (0..count).collect()).unwrap();
        let matrix = matricize(&tensor, &Matricization::odd_even(t));
        assert_eq!(odd_even_order(m, t), matrix.entries, "m = {m}, t = {t}");
    }
}

#[test]
fn the_certified_rank_is_at_most_the_exact_rank_over_q() {
    let (m, t) = (3, 4);
    let order = odd_even_order(m, t);
    let mut compared = 0;
    for seed in 1..=3 {
        let config = small(seed, m, t);
        for cores in Cores::ALL {
            for &r in &config.ranks {
                let drawn = draw(&config, Xi::Rectifier, cores, r, 1);
                let measured = measure(&drawn, Xi::Rectifier, &order);
                let grid = drawn.rnn().grid_tensor(Xi::Rectifier, &drawn.feature_core()).unwrap();
                let exact = rank_reference(&matricize(&grid, &Matricization::odd_even(t))).rank;
                let rank_p = measured.rank_p.unwrap();
                assert!(rank_p <= exact, "rank mod p {rank_p} above the rank over Q {exact}");
                // Strict inequality would need p = 2^61 - 1 to divide every larger minor.
                assert_eq!(rank_p, exact, "{drawn:?}");
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 18);
}

/// R = 1, L = 1, F = I, C^t = (1, 1, 1), G^t = 1: every input is 1, h^t = max(1, h^{t-1}, 0) = 1,
/// so the grid tensor is the constant 1: rank 1, width bound ceil(1 / 6) = 1.
#[test]
fn a_constant_grid_tensor_has_rank_one() {
    let (m, t) = (3, 4);
    let one = 1i64 << DRAW_BITS;
    let drawn = Drawn {
        templates: m,
        widths: vec![1; t],
        ranks: vec![1; t + 1],
        a: (0..m * m).map(|k| if k % (m + 1) == 0 { one } else { -one }).collect(),
        c: vec![vec![one; m]; t],
        g: vec![vec![one]; t],
    };
    assert_eq!(
        drawn.features(),
        (0..m * m)
            .map(|k| if k % (m + 1) == 0 { one } else { 0 })
            .collect::<Vec<_>>()
    );
    let grid = rectifier_grid(&drawn, i128::MAX as u128).unwrap();
    assert!(grid.numerators.iter().all(|&n| value(n, grid.exponent) == Q::one()));
    assert!(drawn
        .rnn()
        .grid_tensor(Xi::Rectifier, &drawn.feature_core())
        .unwrap()
        .entries()
        .iter()
        .all(Q::is_one));
    let measured = measure(&drawn, Xi::Rectifier, &odd_even_order(m, t));
    assert_eq!(
        (measured.rank_p, measured.numeric.rank, measured.path),
        (Some(1), 1, Some(ExactPath::Dyadic))
    );
    let config = Config {
        runs: 1,
        seed: 0,
        templates: m,
        length: t,
        ranks: vec![1],
    };
    let outcome = Outcome {
        xi: Xi::Rectifier,
        cores: Cores::Different,
        rank: 1,
        network: 1,
        seed_text: String::new(),
        rank_p: measured.rank_p,
        numeric: measured.numeric,
        path: measured.path,
    };
    assert_eq!(outcome.certified_width(&config), Some(1));
    assert_eq!(significant(outcome.lower_bound(&config)), "0.167");
    assert!(!outcome.disagrees());
}

#[test]
fn the_float_grids_agree_with_the_exact_and_the_library_recursions() {
    for drawn in instances() {
        let exact = rectifier_grid(&drawn, i128::MAX as u128).unwrap();
        let floats = float_grid(&drawn, Xi::Rectifier).unwrap();
        let scale = (exact.exponent as f64).exp2();
        let largest = floats.iter().fold(0.0f64, |a, b| a.max(b.abs())).max(1.0);
        for (&n, &f) in exact.numerators.iter().zip(&floats) {
            assert!(
                (n as f64 / scale - f).abs() <= 1e-12 * largest,
                "{} vs {f}",
                n as f64 / scale
            );
        }
        // sqrt: ours (x * x + y * y).sqrt() against the library's hypot recursion over f64.
        let ours = float_grid(&drawn, Xi::Sqrt).unwrap();
        let library = drawn
            .rnn()
            .map(|q| num_traits::ToPrimitive::to_f64(q).unwrap())
            .grid_tensor(
                Xi::Sqrt,
                &drawn
                    .feature_core()
                    .map(|q| num_traits::ToPrimitive::to_f64(q).unwrap()),
            )
            .unwrap();
        let largest = ours.iter().fold(0.0f64, |a, b| a.max(b.abs())).max(1.0);
        for (a, b) in ours.iter().zip(library.entries()) {
            assert!((a - b).abs() <= 1e-12 * largest, "{a} vs {b}");
        }
    }
}

#[test]
fn draws_are_seeded_shaped_and_as_documented() {
    let config = small(3, 3, 6);
    let a = draw(&config, Xi::Rectifier, Cores::Different, 2, 1);
    assert_eq!(a, draw(&config, Xi::Rectifier, Cores::Different, 2, 1));
    assert_ne!(a, draw(&config, Xi::Rectifier, Cores::Different, 2, 2));
    assert_ne!(a, draw(&config, Xi::Sqrt, Cores::Different, 2, 1));
    assert_eq!(a.ranks, vec![1, 2, 2, 2, 2, 2, 1]);
    assert!(a.check().is_ok());
    let top = DRAW_TERMS as i64 / 2 * ((1 << DRAW_BITS) - 1);
    assert!(a
        .a
        .iter()
        .chain(a.c.iter().flatten())
        .chain(a.g.iter().flatten())
        .all(|x| x.abs() <= top));
    // Different cores: all inner cores differ; shared: G^3 = G^4 = G^5 = G^2, G^1 and G^6 drawn.
    assert!(a.g[1] != a.g[2] && a.g[2] != a.g[3]);
    let s = draw(&config, Xi::Rectifier, Cores::Shared, 2, 1);
    assert!((2..5).all(|k| s.g[k] == s.g[1]));
    assert_ne!(s.g[0], s.g[1]);
    assert_ne!(s.c[1], s.c[2], "C^t is drawn for every t in both modes");
    // The first entry by hand: 12 words of ChaCha20 keyed by SHA-256 of the seed text, low 10 bits.
    let key: [u8; 32] = Sha256::digest(seed_text(&config, Xi::Rectifier, Cores::Different, 2, 1).as_bytes()).into();
    let mut rng = ChaCha20Rng::from_seed(key);
    let sum: i64 = (0..12)
        .map(|_| (rand_core::RngCore::next_u64(&mut rng) & 1023) as i64)
        .sum();
    assert_eq!(a.a[0], sum - 6 * 1023);
    assert_eq!(
        seed_text(&config, Xi::Sqrt, Cores::Shared, 4, 7),
        "tnproof expressivity 1; seed 3; xi sqrt; cores shared; R 4; M 3; T 6; network 7"
    );
}

#[test]
fn the_draws_have_mean_zero_and_variance_about_one() {
    let config = Config {
        runs: 1,
        seed: 11,
        templates: 10,
        length: 6,
        ranks: vec![8],
    };
    let drawn = draw(&config, Xi::Rectifier, Cores::Different, 8, 1);
    let values: Vec<f64> = drawn
        .g
        .iter()
        .flatten()
        .chain(drawn.c.iter().flatten())
        .map(|&n| n as f64 / 1024.0)
        .collect();
    let n = values.len() as f64;
    assert!(n > 3000.0);
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    assert!(
        mean.abs() < 0.1 && (var - 1.0).abs() < 0.1,
        "mean {mean}, variance {var}"
    );
}

#[test]
fn significant_digits() {
    let cases = [
        (0.0, "0"),
        (1.0 / 30.0, "0.0333"),
        (229.0 / 30.0, "7.63"),
        (1000.0 / 30.0, "33.3"),
        (9.996, "10.0"),
        (0.7, "0.700"),
        (1000.0, "1000"),
        (-2.5, "-2.50"),
        (16.2, "16.2"),
    ];
    for (x, text) in cases {
        assert_eq!(significant(x), text, "{x}");
    }
}

#[test]
fn the_output_does_not_depend_on_the_thread_count() {
    let config = Config {
        runs: 2,
        seed: 5,
        templates: 3,
        length: 4,
        ranks: vec![1, 2],
    };
    let run_with = |threads| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| run(&config, || ()).unwrap())
    };
    let (one, two) = (run_with(1), run_with(2));
    assert_eq!(one, two);
    assert_eq!(one.outcomes.len(), 2 * 2 * 2 * 2);
    assert_eq!(to_csv(&one), to_csv(&two));
    assert_eq!(to_markdown(&one), to_markdown(&two));
    for cores in Cores::ALL {
        assert_eq!(
            histogram_svg(&one, Xi::Rectifier, cores).unwrap(),
            histogram_svg(&two, Xi::Rectifier, cores).unwrap()
        );
    }
    let csv = to_csv(&one);
    assert_eq!(csv.lines().next(), Some(CSV_HEADER));
    assert_eq!(csv.lines().count(), 1 + 16);
    assert!(to_markdown(&one).contains("not comparable"));
}

#[test]
fn configurations_are_checked() {
    assert!(Config::default().validate().is_ok());
    assert_eq!((Config::default().side(), Config::default().divisor()), (1000, 30));
    for bad in [
        Config {
            length: 5,
            ..Config::default()
        },
        Config {
            runs: 0,
            ..Config::default()
        },
        Config {
            ranks: vec![2, 1],
            ..Config::default()
        },
        Config {
            ranks: vec![0],
            ..Config::default()
        },
        Config {
            templates: 100,
            ..Config::default()
        },
    ] {
        assert!(bad.validate().is_err(), "{bad:?}");
    }
}

/// The report's numbers appear beside the rectifier, different-cores rows at the sources'
/// setting only; statistics, the certified width range and disagreements come out as written.
#[test]
fn the_report_shows_the_sources_values_and_the_statistics() {
    let config = Config {
        runs: 2,
        ..Config::default()
    };
    let numeric = |rank| NumericRank {
        rank,
        tolerance: 0.0,
        sigma_max: 1.0,
        sigma_kept: 1.0,
        sigma_dropped: 0.0,
    };
    let mut outcomes = Vec::new();
    for xi in OPERATORS {
        for cores in Cores::ALL {
            for &rank in &config.ranks {
                for network in 1..=2 {
                    // Ranks 30 and 90 (bounds 1 and 3); network 2 of R = 8 disagrees with f64.
                    let certified = 30 + 60 * (network - 1);
                    let f64_rank = if rank == 8 && network == 2 {
                        certified - 1
                    } else {
                        certified
                    };
                    let rank_p = (xi == Xi::Rectifier).then_some(certified);
                    let path = rank_p.map(|_| ExactPath::Dyadic);
                    let seed = seed_text(&config, xi, cores, rank, network);
                    outcomes.push(Outcome {
                        xi,
                        cores,
                        rank,
                        network,
                        seed_text: seed,
                        rank_p,
                        numeric: numeric(f64_rank),
                        path,
                    });
                }
            }
        }
    }
    let experiment = Experiment { config, outcomes };
    let md = to_markdown(&experiment);
    let rows: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| 1 | 2 |") || l.starts_with("| 8 | 2 |"))
        .collect();
    assert_eq!(
        rows[0],
        "| 1 | 2 | 2.00 | 1.00 | 1.00 | 3.00 | 1 to 3 | 0 certified exact | 0 | 1.3 | 0.7 |"
    );
    assert_eq!(
        rows[1],
        "| 8 | 2 | 2.00 | 1.00 | 1.00 | 3.00 | 1 to 3 | 0 certified exact | 1 | 16.2 | 8.0 |"
    );
    assert!(rows[2].ends_with("| 0 | not reported | not reported |"), "{}", rows[2]);
    assert!(
        rows[5].ends_with("| 0 (numeric) | n/a | not reported | not reported |"),
        "{}",
        rows[5]
    );
    assert!(
        md.contains("| different | 8 | 2 | 90 | 89 | 1.00e0 | 0.00e0 | 0.00e0 |"),
        "{md}"
    );
    assert!(md.contains("16 of 16 rectifier grid tensors were computed in i128"));
    let csv = to_csv(&experiment);
    assert!(csv.contains("\nrectifier,shared,4,2,tnproof expressivity 1; seed 1; xi rectifier; cores shared; R 4; M 10; T 6; network 2,90,90,3.00,3,i128\n"), "{csv}");
    assert!(csv.contains("\nsqrt,different,1,1,tnproof expressivity 1; seed 1; xi sqrt; cores different; R 1; M 10; T 6; network 1,,30,1.00,,\n"), "{csv}");
}
