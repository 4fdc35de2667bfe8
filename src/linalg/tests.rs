//! Tests of the linear algebra: hand-computed cases, and property tests comparing the fast
//! path, its pure sparse and pure Bareiss variants and the reference path on small matrices.

use super::fraction_free;
use super::{determinant, rank, rank_reference, submatrix, RankWitness};
use crate::field::Q;
use crate::tensor::Matrix;
use num_bigint::BigInt;
use num_traits::{One, Zero};
use proptest::prelude::*;

fn q(n: i64, d: i64) -> Q {
    Q::new(BigInt::from(n), BigInt::from(d))
}

fn int_matrix(rows: &[&[i64]]) -> Matrix<Q> {
    let ncols = rows.first().map_or(0, |r| r.len());
    let entries = rows.iter().flat_map(|r| r.iter().map(|&x| q(x, 1))).collect();
    Matrix {
        nrows: rows.len(),
        ncols,
        entries,
    }
}

fn zeros(nrows: usize, ncols: usize) -> Matrix<Q> {
    Matrix {
        nrows,
        ncols,
        entries: vec![Q::zero(); nrows * ncols],
    }
}

fn identity(n: usize) -> Matrix<Q> {
    let mut m = zeros(n, n);
    for i in 0..n {
        m.entries[i * n + i] = Q::one();
    }
    m
}

fn product(a: &Matrix<Q>, b: &Matrix<Q>) -> Matrix<Q> {
    assert_eq!(a.ncols, b.nrows);
    let entries = (0..a.nrows)
        .flat_map(|i| (0..b.ncols).map(move |j| (0..a.ncols).map(|k| a.get(i, k) * b.get(k, j)).sum()))
        .collect();
    Matrix {
        nrows: a.nrows,
        ncols: b.ncols,
        entries,
    }
}

/// All three fast variants (default, pure sparse, pure Bareiss) and the reference.
fn all_ranks(m: &Matrix<Q>) -> [RankWitness; 4] {
    [
        rank(m),
        fraction_free::rank(m, f64::INFINITY),
        fraction_free::rank(m, 0.0),
        rank_reference(m),
    ]
}

/// Checks that `w` certifies a rank of `m`: strictly increasing in-range indices, `rank` of
/// each, and a non-singular minor.
fn check_witness(m: &Matrix<Q>, w: &RankWitness) {
    assert_eq!(w.rows.len(), w.rank, "{w:?}");
    assert_eq!(w.cols.len(), w.rank, "{w:?}");
    assert!(
        w.rows.windows(2).all(|p| p[0] < p[1]) && w.rows.last().is_none_or(|&i| i < m.nrows),
        "{w:?}"
    );
    assert!(
        w.cols.windows(2).all(|p| p[0] < p[1]) && w.cols.last().is_none_or(|&j| j < m.ncols),
        "{w:?}"
    );
    assert!(
        !determinant(&submatrix(m, &w.rows, &w.cols)).is_zero(),
        "singular witness {w:?} of {m:?}"
    );
}

/// The rank, after checking that all paths agree on it and give valid witnesses.
fn checked_rank(m: &Matrix<Q>) -> usize {
    let ranks = all_ranks(m);
    for w in &ranks {
        check_witness(m, w);
        assert_eq!(w.rank, ranks[3].rank, "paths disagree on {m:?}: {ranks:?}");
    }
    ranks[0].rank
}

#[test]
fn identity_has_full_rank() {
    for n in [1, 2, 5, 17] {
        for w in all_ranks(&identity(n)) {
            assert_eq!(
                w,
                RankWitness {
                    rank: n,
                    rows: (0..n).collect(),
                    cols: (0..n).collect()
                }
            );
        }
    }
}

#[test]
fn zero_and_empty_matrices_have_rank_zero() {
    let empty = RankWitness {
        rank: 0,
        rows: vec![],
        cols: vec![],
    };
    for (r, c) in [(0, 0), (0, 5), (5, 0), (3, 4), (1, 1)] {
        for w in all_ranks(&zeros(r, c)) {
            assert_eq!(w, empty);
        }
    }
}

#[test]
fn hand_computed_ranks() {
    let rank_one = int_matrix(&[&[1, 2], &[2, 4]]);
    assert_eq!(checked_rank(&rank_one), 1);
    // Third row = first + second.
    let rank_two = int_matrix(&[&[1, 2, 3], &[4, 5, 6], &[5, 7, 9]]);
    assert_eq!(checked_rank(&rank_two), 2);
    assert_eq!(
        rank_reference(&rank_two),
        RankWitness {
            rank: 2,
            rows: vec![0, 1],
            cols: vec![0, 1]
        }
    );
    let wide = int_matrix(&[&[0, 0, 1, 1], &[0, 0, 2, 2], &[0, 3, 0, 0]]);
    assert_eq!(checked_rank(&wide), 2);
    assert_eq!(checked_rank(&wide.transpose()), 2);
}

#[test]
fn rational_entries() {
    // [[1/2, 1/3], [1/4, 1/5]] has determinant 1/10 - 1/12 = 1/60.
    let m = Matrix {
        nrows: 2,
        ncols: 2,
        entries: vec![q(1, 2), q(1, 3), q(1, 4), q(1, 5)],
    };
    assert_eq!(determinant(&m), q(1, 60));
    assert_eq!(checked_rank(&m), 2);
    // Rows [1/2, 1/3, -5/6] and [3, 2, -5]: scaling the first by 6 gives the second.
    let scaled = Matrix {
        nrows: 2,
        ncols: 3,
        entries: vec![q(1, 2), q(1, 3), q(-5, 6), q(3, 1), q(2, 1), q(-5, 1)],
    };
    assert_eq!(checked_rank(&scaled), 1);
    // Large denominators that only cancel after scaling: row 2 = (7/11) * row 1.
    let big: BigInt = BigInt::from(10).pow(30u32) + 7;
    let a = Q::new(BigInt::from(1), big.clone());
    let b = Q::new(BigInt::from(3), big * 2);
    let f = q(7, 11);
    let entries = vec![a.clone(), b.clone(), q(1, 1), &a * &f, &b * &f, f.clone()];
    assert_eq!(
        checked_rank(&Matrix {
            nrows: 2,
            ncols: 3,
            entries
        }),
        1
    );
}

#[test]
fn block_structure_is_split_and_recombined() {
    // A permuted block diagonal of [[1, 1], [1, 1]] (rank 1), [2] and [[1, 2], [3, 4]].
    let m = int_matrix(&[
        &[0, 0, 3, 0, 4],
        &[1, 0, 0, 1, 0],
        &[0, 0, 1, 0, 2],
        &[0, 2, 0, 0, 0],
        &[1, 0, 0, 1, 0],
        &[0, 0, 0, 0, 0],
    ]);
    assert_eq!(checked_rank(&m), 4);
}

#[test]
fn determinant_hand_values() {
    assert_eq!(determinant(&zeros(0, 0)), Q::one());
    assert_eq!(determinant(&int_matrix(&[&[7]])), q(7, 1));
    assert_eq!(determinant(&int_matrix(&[&[1, 2], &[3, 4]])), q(-2, 1));
    assert_eq!(determinant(&int_matrix(&[&[0, 1], &[1, 0]])), q(-1, 1));
    assert_eq!(determinant(&int_matrix(&[&[2, 0, 1], &[1, 3, 2], &[1, 1, 2]])), q(6, 1));
    assert_eq!(
        determinant(&int_matrix(&[&[1, 2, 3], &[4, 5, 6], &[7, 8, 9]])),
        Q::zero()
    );
    assert_eq!(
        determinant(&int_matrix(&[&[0, 0, 1], &[0, 1, 0], &[1, 0, 0]])),
        q(-1, 1)
    );
}

#[test]
#[should_panic(expected = "non-square")]
fn determinant_rejects_non_square() {
    determinant(&zeros(2, 3));
}

#[test]
fn submatrix_picks_in_given_order() {
    let m = int_matrix(&[&[1, 2, 3], &[4, 5, 6]]);
    assert_eq!(submatrix(&m, &[1, 0], &[2, 0]), int_matrix(&[&[6, 4], &[3, 1]]));
    assert_eq!(submatrix(&m, &[], &[1]), zeros(0, 1));
}

/// Small entries biased towards zero: integers in [-3, 3] and fractions n/d with d <= 4.
fn entry() -> impl Strategy<Value = Q> {
    prop_oneof![
        4 => Just(Q::zero()),
        3 => (-3i64..=3).prop_map(|n| q(n, 1)),
        2 => (-5i64..=5, 1i64..=4).prop_map(|(n, d)| q(n, d)),
    ]
}

fn matrix_of(nrows: usize, ncols: usize) -> impl Strategy<Value = Matrix<Q>> {
    prop::collection::vec(entry(), nrows * ncols).prop_map(move |entries| Matrix { nrows, ncols, entries })
}

/// Random matrices up to 8x8, including empty ones.
fn dense() -> impl Strategy<Value = Matrix<Q>> {
    (0..=8usize, 0..=8usize).prop_flat_map(|(r, c)| matrix_of(r, c))
}

/// Products of thin factors: rank at most the inner dimension.
fn low_rank() -> impl Strategy<Value = Matrix<Q>> {
    (1..=8usize, 1..=8usize, 0..=3usize)
        .prop_flat_map(|(r, c, k)| (matrix_of(r, k), matrix_of(k, c)))
        .prop_map(|(b, c)| product(&b, &c))
}

fn permutation(n: usize) -> impl Strategy<Value = Vec<usize>> {
    Just((0..n).collect::<Vec<_>>()).prop_shuffle()
}

fn permute(m: &Matrix<Q>, rows: &[usize], cols: &[usize]) -> Matrix<Q> {
    submatrix(m, rows, cols)
}

/// Permuted block diagonals of two random or low-rank blocks.
fn block_diagonal() -> impl Strategy<Value = Matrix<Q>> {
    (prop_oneof![dense(), low_rank()], prop_oneof![dense(), low_rank()])
        .prop_map(|(a, b)| {
            let mut m = zeros(a.nrows + b.nrows, a.ncols + b.ncols);
            for (block, r0, c0) in [(&a, 0, 0), (&b, a.nrows, a.ncols)] {
                for i in 0..block.nrows {
                    for j in 0..block.ncols {
                        m.entries[(r0 + i) * m.ncols + c0 + j] = block.get(i, j).clone();
                    }
                }
            }
            m
        })
        .prop_flat_map(|m| (permutation(m.nrows), permutation(m.ncols), Just(m)))
        .prop_map(|(rows, cols, m)| permute(&m, &rows, &cols))
}

fn any_matrix() -> impl Strategy<Value = Matrix<Q>> {
    prop_oneof![dense(), low_rank(), block_diagonal()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn paths_agree_and_witnesses_are_non_singular(m in any_matrix()) {
        checked_rank(&m);
    }

    #[test]
    fn rank_is_deterministic(m in any_matrix()) {
        prop_assert_eq!(rank(&m), rank(&m));
        prop_assert_eq!(rank_reference(&m), rank_reference(&m));
    }

    #[test]
    fn rank_of_transpose(m in any_matrix()) {
        prop_assert_eq!(rank(&m).rank, rank(&m.transpose()).rank);
    }

    #[test]
    fn rank_under_permutations(
        (m, rows, cols) in any_matrix().prop_flat_map(|m| (permutation(m.nrows), permutation(m.ncols), Just(m)))
            .prop_map(|(rows, cols, m)| (m, rows, cols))
    ) {
        prop_assert_eq!(checked_rank(&permute(&m, &rows, &cols)), rank(&m).rank);
    }

    #[test]
    fn rank_of_product_is_at_most_inner_dimension(
        (b, c, k) in (1..=7usize, 1..=7usize, 0..=5usize)
            .prop_flat_map(|(m, n, k)| (matrix_of(m, k), matrix_of(k, n), Just(k)))
    ) {
        prop_assert!(checked_rank(&product(&b, &c)) <= k);
    }

    #[test]
    fn adding_a_combination_of_rows_keeps_the_rank(
        (m, coefficients) in (1..=7usize, 0..=7usize)
            .prop_flat_map(|(r, c)| (matrix_of(r, c), prop::collection::vec(entry(), r)))
    ) {
        let combination = product(&Matrix { nrows: 1, ncols: m.nrows, entries: coefficients }, &m);
        let mut extended = m.clone();
        extended.nrows += 1;
        extended.entries.extend(combination.entries);
        prop_assert_eq!(checked_rank(&extended), rank(&m).rank);
    }

    #[test]
    fn determinant_of_triangular_is_product_of_diagonal(
        (n, upper, lower) in (0..=6usize).prop_flat_map(|n| (Just(n), matrix_of(n, n), any::<bool>()))
    ) {
        let mut t = upper;
        for i in 0..n {
            for j in 0..n {
                if (lower && j > i) || (!lower && j < i) {
                    t.entries[i * n + j] = Q::zero();
                }
            }
        }
        let diagonal: Q = (0..n).map(|i| t.get(i, i).clone()).product();
        prop_assert_eq!(determinant(&t), diagonal);
    }

    #[test]
    fn determinant_is_multiplicative(
        (a, b) in (0..=5usize).prop_flat_map(|n| (matrix_of(n, n), matrix_of(n, n)))
    ) {
        prop_assert_eq!(determinant(&product(&a, &b)), determinant(&a) * determinant(&b));
    }

    #[test]
    fn square_matrix_has_full_rank_iff_non_zero_determinant(
        m in (0..=6usize).prop_flat_map(|n| prop_oneof![matrix_of(n, n), (Just(n), 0..=6usize)
            .prop_flat_map(|(n, k)| (matrix_of(n, k), matrix_of(k, n))).prop_map(|(b, c)| product(&b, &c))])
    ) {
        prop_assert_eq!(rank(&m).rank == m.nrows, !determinant(&m).is_zero());
    }
}
