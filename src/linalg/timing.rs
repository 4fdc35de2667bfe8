//! Timing checks of `rank` on the sizes tnproof meets (ignored by default; run with
//! `cargo test --release -p scratch-linalg -- --ignored --nocapture --test-threads 1`).
//! Large results are cross-checked modulo a prime: rank mod p never exceeds the rank over Q,
//! and a witness minor of full rank mod p is non-singular over Q.

use super::{rank, rank_reference, submatrix, RankWitness};
use crate::field::Q;
use crate::tensor::Matrix;
use num_bigint::BigInt;
use num_integer::Integer as _;
use num_traits::{ToPrimitive, Zero};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

const P: u64 = 2_305_843_009_213_693_951; // 2^61 - 1

fn mul_mod(a: u64, b: u64) -> u64 {
    ((a as u128 * b as u128) % P as u128) as u64
}

fn pow_mod(mut a: u64, mut e: u64) -> u64 {
    let mut r = 1;
    while e > 0 {
        if e & 1 == 1 {
            r = mul_mod(r, a);
        }
        a = mul_mod(a, a);
        e >>= 1;
    }
    r
}

fn to_mod(x: &BigInt) -> u64 {
    x.mod_floor(&BigInt::from(P))
        .to_u64()
        .expect("reduced below P")
}

/// Rank of `m` modulo P (every denominator in the test matrices is coprime to P).
fn rank_mod_p(m: &Matrix<Q>) -> usize {
    let mut a: Vec<Vec<u64>> = (0..m.nrows)
        .map(|i| {
            m.row(i)
                .iter()
                .map(|x| mul_mod(to_mod(x.numer()), pow_mod(to_mod(x.denom()), P - 2)))
                .collect()
        })
        .collect();
    let mut k = 0;
    for c in 0..m.ncols {
        let Some(r) = (k..m.nrows).find(|&r| a[r][c] != 0) else {
            continue;
        };
        a.swap(k, r);
        let inverse = pow_mod(a[k][c], P - 2);
        let (done, below) = a.split_at_mut(k + 1);
        for row in below {
            if row[c] != 0 {
                let f = P - mul_mod(row[c], inverse);
                for (x, &y) in row[c..].iter_mut().zip(&done[k][c..]) {
                    *x = (*x + mul_mod(f, y)) % P;
                }
            }
        }
        k += 1;
    }
    k
}

fn timed(label: &str, m: &Matrix<Q>) -> RankWitness {
    let start = Instant::now();
    let w = rank(m);
    println!(
        "{label}: rank {} in {:.3} s",
        w.rank,
        start.elapsed().as_secs_f64()
    );
    w
}

/// Cross-checks a large result modulo P (see the module comment); for these random matrices
/// the rank mod P equals the rank over Q except with negligible probability.
fn check_mod_p(m: &Matrix<Q>, w: &RankWitness) {
    assert_eq!(rank_mod_p(m), w.rank);
    assert_eq!(rank_mod_p(&submatrix(m, &w.rows, &w.cols)), w.rank);
}

fn zeros(n: usize) -> Matrix<Q> {
    Matrix {
        nrows: n,
        ncols: n,
        entries: vec![Q::zero(); n * n],
    }
}

fn set(m: &mut Matrix<Q>, i: usize, j: usize, x: i64) {
    let n = m.ncols;
    m.entries[i * n + j] = Q::from_integer(BigInt::from(x));
}

fn shuffled(n: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let mut p: Vec<usize> = (0..n).collect();
    p.shuffle(rng);
    p
}

#[test]
#[ignore]
fn timing_identity_like_1296() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let n = 1296;
    let (rows, cols) = (shuffled(n, &mut rng), shuffled(n, &mut rng));
    let mut m = zeros(n);
    for i in 0..n {
        set(&mut m, rows[i], cols[i], 1);
    }
    assert_eq!(timed("permuted identity 1296", &m).rank, n);
    // Permuted block diagonal of 324 random 4x4 0/1 blocks.
    let mut m = zeros(n);
    for b in 0..n / 4 {
        for i in 0..4 {
            for j in 0..4 {
                set(
                    &mut m,
                    rows[4 * b + i],
                    cols[4 * b + j],
                    rng.gen_range(0..2),
                );
            }
        }
    }
    let w = timed("permuted block diagonal of 4x4 0/1 blocks, 1296", &m);
    check_mod_p(&m, &w);
}

#[test]
#[ignore]
fn timing_sparse_one_component() {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    for (n, per_row) in [(1296, 3), (1296, 2), (1296, 4), (1296, 6), (3000, 3)] {
        let mut m = zeros(n);
        for i in 0..n {
            let mut cols = shuffled(n, &mut rng);
            cols.truncate(per_row);
            for j in cols {
                set(&mut m, i, j, 1);
            }
        }
        let w = timed(&format!("sparse 0/1 {n}x{n}, {per_row} per row"), &m);
        check_mod_p(&m, &w);
    }
}

#[test]
#[ignore]
fn timing_dense() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for n in [100, 200] {
        let entries = (0..n * n)
            .map(|_| Q::from_integer(BigInt::from(rng.gen_range(-100..=100))))
            .collect();
        let m = Matrix {
            nrows: n,
            ncols: n,
            entries,
        };
        let w = timed(&format!("dense {n}x{n} integers in [-100, 100]"), &m);
        check_mod_p(&m, &w);
    }
    let n = 150;
    let entries = (0..n * n)
        .map(|_| {
            if rng.gen_range(0..4) == 0 {
                0
            } else {
                rng.gen_range(-100..=100)
            }
        })
        .map(|x| Q::from_integer(BigInt::from(x)))
        .collect();
    let m = Matrix {
        nrows: n,
        ncols: n,
        entries,
    };
    let w = timed("dense 150x150 integers in [-100, 100], 25% zeros", &m);
    check_mod_p(&m, &w);
    let n = 40;
    let entries = (0..n * n)
        .map(|_| {
            Q::new(
                BigInt::from(rng.gen_range(-1000..=1000)),
                BigInt::from(rng.gen_range(1..=1000)),
            )
        })
        .collect();
    let m = Matrix {
        nrows: n,
        ncols: n,
        entries,
    };
    let w = timed(
        "dense 40x40 rationals, |numerator|, denominator <= 1000",
        &m,
    );
    let start = Instant::now();
    assert_eq!(rank_reference(&m), w);
    println!(
        "  reference path on the same: {:.3} s",
        start.elapsed().as_secs_f64()
    );
}
