//! Exact solving over Q by plain dense Gauss-Jordan elimination over BigRational: the inverse of
//! a square matrix, the rank factorization `A = B C` (pivot columns of `A` times the non-zero rows
//! of its reduced row echelon form) and the plain matrix product. Like `rational`, deliberately
//! free of tricks: the pivot is the first row with a non-zero entry in the current column.

use crate::field::Q;
use crate::tensor::Matrix;
use num_traits::{One, Zero};

/// Brings the rows `a` (all of the same length) to reduced row echelon form in place, looking for
/// pivots only in the columns `0..limit` but applying every row operation to whole rows. Returns
/// the pivot columns, increasing; pivot row `k` is then `a[k]`, with a 1 in its pivot column and
/// zeros in that column everywhere else.
fn gauss_jordan(a: &mut [Vec<Q>], limit: usize) -> Vec<usize> {
    let mut pivots = Vec::new();
    for c in 0..limit {
        let k = pivots.len();
        let Some(r) = (k..a.len()).find(|&r| !a[r][c].is_zero()) else {
            continue;
        };
        a.swap(k, r);
        let scale = a[k][c].recip();
        for x in &mut a[k][c..] {
            *x *= &scale;
        }
        let pivot_row = a[k].clone();
        for (i, row) in a.iter_mut().enumerate() {
            if i == k || row[c].is_zero() {
                continue;
            }
            let factor = row[c].clone();
            for (x, p) in row[c..].iter_mut().zip(&pivot_row[c..]) {
                *x -= &factor * p;
            }
        }
        pivots.push(c);
    }
    pivots
}

/// Gauss-Jordan on `[A | I]`; `None` if a column of `A` has no pivot. Panics if not square.
pub(super) fn inverse(m: &Matrix<Q>) -> Option<Matrix<Q>> {
    assert_eq!(
        m.nrows, m.ncols,
        "inverse of a non-square {}x{} matrix",
        m.nrows, m.ncols
    );
    let n = m.nrows;
    let mut a: Vec<Vec<Q>> = (0..n)
        .map(|i| {
            let mut row = m.row(i).to_vec();
            row.extend((0..n).map(|j| if i == j { Q::one() } else { Q::zero() }));
            row
        })
        .collect();
    if gauss_jordan(&mut a, n).len() < n {
        return None;
    }
    // Every column of A has a pivot, so the left half is now I and the right half A^{-1}.
    let entries = a.into_iter().flat_map(|row| row.into_iter().skip(n)).collect();
    Some(Matrix {
        nrows: n,
        ncols: n,
        entries,
    })
}

/// `(B, C)`: `B` the pivot columns of `m` in increasing order, `C` the non-zero rows of the
/// reduced row echelon form of `m`.
pub(super) fn rank_factorization(m: &Matrix<Q>) -> (Matrix<Q>, Matrix<Q>) {
    let mut a: Vec<Vec<Q>> = (0..m.nrows).map(|i| m.row(i).to_vec()).collect();
    let pivots = gauss_jordan(&mut a, m.ncols);
    let r = pivots.len();
    let b_entries = (0..m.nrows)
        .flat_map(|i| pivots.iter().map(move |&j| m.get(i, j).clone()))
        .collect();
    let c_entries = a.into_iter().take(r).flatten().collect();
    (
        Matrix {
            nrows: m.nrows,
            ncols: r,
            entries: b_entries,
        },
        Matrix {
            nrows: r,
            ncols: m.ncols,
            entries: c_entries,
        },
    )
}

/// `a * b` by the plain triple loop, skipping zero entries of `a`. Panics on a shape mismatch.
pub(super) fn multiply(a: &Matrix<Q>, b: &Matrix<Q>) -> Matrix<Q> {
    assert_eq!(
        a.ncols, b.nrows,
        "cannot multiply a {}x{} matrix by a {}x{} matrix",
        a.nrows, a.ncols, b.nrows, b.ncols
    );
    let mut entries = vec![Q::zero(); a.nrows * b.ncols];
    for i in 0..a.nrows {
        let out = &mut entries[i * b.ncols..(i + 1) * b.ncols];
        for (k, x) in a.row(i).iter().enumerate() {
            if x.is_zero() {
                continue;
            }
            for (y, z) in out.iter_mut().zip(b.row(k)) {
                *y += x * z;
            }
        }
    }
    Matrix {
        nrows: a.nrows,
        ncols: b.ncols,
        entries,
    }
}

#[cfg(test)]
mod tests {
    use crate::field::{q_int, Q};
    use crate::linalg::{determinant, inverse, multiply, rank_factorization, rank_reference, submatrix};
    use crate::tensor::Matrix;
    use num_bigint::BigInt;
    use num_traits::{One, Zero};
    use proptest::prelude::*;

    fn q(n: i64, d: i64) -> Q {
        Q::new(BigInt::from(n), BigInt::from(d))
    }

    fn matrix(nrows: usize, ncols: usize, entries: Vec<Q>) -> Matrix<Q> {
        assert_eq!(entries.len(), nrows * ncols);
        Matrix { nrows, ncols, entries }
    }

    fn int_matrix(rows: &[&[i64]]) -> Matrix<Q> {
        let ncols = rows.first().map_or(0, |r| r.len());
        let entries = rows.iter().flat_map(|r| r.iter().map(|&x| q_int(x))).collect();
        matrix(rows.len(), ncols, entries)
    }

    fn identity(n: usize) -> Matrix<Q> {
        let entries = (0..n * n)
            .map(|p| if p / n == p % n { Q::one() } else { Q::zero() })
            .collect();
        matrix(n, n, entries)
    }

    #[test]
    fn inverse_of_two_by_two_by_hand() {
        // [[1,2],[3,4]]^{-1} = [[-2,1],[3/2,-1/2]].
        let a = int_matrix(&[&[1, 2], &[3, 4]]);
        let expected = matrix(2, 2, vec![q_int(-2), q_int(1), q(3, 2), q(-1, 2)]);
        assert_eq!(inverse(&a), Some(expected));
    }

    #[test]
    fn inverse_of_three_by_three_by_hand() {
        // Determinant 1, so the inverse (the adjugate) is integral; the (1,1) entry is 0, so the
        // first column needs no swap but the second elimination step does work on every row.
        let a = int_matrix(&[&[1, 2, 3], &[0, 1, 4], &[5, 6, 0]]);
        let expected = int_matrix(&[&[-24, 18, 5], &[20, -15, -4], &[-5, 4, 1]]);
        assert_eq!(inverse(&a), Some(expected));
        // A pivot that needs a row swap: [[0,1],[2,0]]^{-1} = [[0,1/2],[1,0]].
        let b = int_matrix(&[&[0, 1], &[2, 0]]);
        assert_eq!(
            inverse(&b),
            Some(matrix(2, 2, vec![q_int(0), q(1, 2), q_int(1), q_int(0)]))
        );
    }

    #[test]
    fn singular_matrices_have_no_inverse() {
        assert_eq!(inverse(&int_matrix(&[&[1, 2], &[2, 4]])), None);
        assert_eq!(inverse(&int_matrix(&[&[0]])), None);
        assert_eq!(inverse(&int_matrix(&[&[1, 2, 3], &[4, 5, 6], &[7, 8, 9]])), None);
        // The 0x0 matrix is the identity of size 0.
        assert_eq!(inverse(&matrix(0, 0, vec![])), Some(matrix(0, 0, vec![])));
    }

    #[test]
    #[should_panic(expected = "non-square")]
    fn inverse_of_non_square_panics() {
        inverse(&int_matrix(&[&[1, 2]]));
    }

    #[test]
    #[should_panic(expected = "cannot multiply")]
    fn multiply_checks_shapes() {
        multiply(&int_matrix(&[&[1, 2]]), &int_matrix(&[&[1, 2]]));
    }

    #[test]
    fn multiply_by_hand() {
        let a = int_matrix(&[&[1, 2], &[0, -1], &[3, 0]]);
        let b = int_matrix(&[&[1, 0, 2], &[-1, 1, 0]]);
        let expected = int_matrix(&[&[-1, 2, 2], &[1, -1, 0], &[3, 0, 6]]);
        assert_eq!(multiply(&a, &b), expected);
        // An inner dimension of 0 gives the zero matrix.
        assert_eq!(
            multiply(&matrix(2, 0, vec![]), &matrix(0, 3, vec![])),
            int_matrix(&[&[0; 3], &[0; 3]])
        );
    }

    #[test]
    fn rank_factorization_by_hand() {
        // Column 3 = column 1 + column 2 and row 2 = 2 row 1: RREF [[1,0,1],[0,1,1]], pivot columns 1, 2.
        let a = int_matrix(&[&[1, 2, 3], &[2, 4, 6], &[1, 0, 1]]);
        let (b, c) = rank_factorization(&a);
        assert_eq!(b, int_matrix(&[&[1, 2], &[2, 4], &[1, 0]]));
        assert_eq!(c, int_matrix(&[&[1, 0, 1], &[0, 1, 1]]));
        assert_eq!(multiply(&b, &c), a);
    }

    #[test]
    fn rank_factorization_of_zero_matrix_is_empty() {
        let a = int_matrix(&[&[0, 0, 0], &[0, 0, 0]]);
        let (b, c) = rank_factorization(&a);
        assert_eq!((b.nrows, b.ncols, c.nrows, c.ncols), (2, 0, 0, 3));
        assert_eq!(multiply(&b, &c), a);
    }

    /// Integer matrices with entries in `-3..=3`, `rows x cols`.
    fn int_matrices(rows: std::ops::Range<usize>, cols: std::ops::Range<usize>) -> impl Strategy<Value = Matrix<Q>> {
        (rows, cols).prop_flat_map(|(r, c)| {
            prop::collection::vec(-3i64..=3, r * c).prop_map(move |v| matrix(r, c, v.into_iter().map(q_int).collect()))
        })
    }

    /// Square matrices of size 1..5; every other one a product of a `n x k` and a `k x n` matrix
    /// with `k < n`, so that singular matrices are common.
    fn square_matrices() -> impl Strategy<Value = Matrix<Q>> {
        prop_oneof![
            (1usize..5).prop_flat_map(|n| int_matrices(n..n + 1, n..n + 1)),
            (2usize..5)
                .prop_flat_map(|n| (1..n)
                    .prop_flat_map(move |k| (int_matrices(n..n + 1, k..k + 1), int_matrices(k..k + 1, n..n + 1))))
                .prop_map(|(b, c)| multiply(&b, &c)),
        ]
    }

    /// Rectangular matrices (sizes 0..6), half of them products through an inner dimension 0..3.
    fn rectangular_matrices() -> impl Strategy<Value = Matrix<Q>> {
        prop_oneof![
            int_matrices(0..6, 0..6),
            (0usize..6, 0usize..3, 0usize..6)
                .prop_flat_map(|(m, k, n)| (int_matrices(m..m + 1, k..k + 1), int_matrices(k..k + 1, n..n + 1)))
                .prop_map(|(b, c)| multiply(&b, &c)),
        ]
    }

    proptest! {
        /// The inverse exists exactly when the determinant is non-zero, and is a two-sided inverse.
        #[test]
        fn inverse_is_an_inverse(a in square_matrices()) {
            let inv = inverse(&a);
            prop_assert_eq!(inv.is_none(), determinant(&a).is_zero());
            if let Some(inv) = inv {
                prop_assert_eq!(multiply(&a, &inv), identity(a.nrows));
                prop_assert_eq!(multiply(&inv, &a), identity(a.nrows));
            }
        }

        /// `A = B C` with `B` the pivot columns of the reference elimination, `rank(A)` of them,
        /// and `C` in reduced row echelon form with an identity on those columns.
        #[test]
        fn rank_factorization_reproduces_the_matrix(a in rectangular_matrices()) {
            let (b, c) = rank_factorization(&a);
            let w = rank_reference(&a);
            prop_assert_eq!(b.ncols, w.rank);
            prop_assert_eq!(c.nrows, w.rank);
            prop_assert_eq!((b.nrows, c.ncols), (a.nrows, a.ncols));
            prop_assert_eq!(multiply(&b, &c), a.clone());
            let all_rows: Vec<usize> = (0..a.nrows).collect();
            prop_assert_eq!(b, submatrix(&a, &all_rows, &w.cols));
            let c_rows: Vec<usize> = (0..c.nrows).collect();
            prop_assert_eq!(submatrix(&c, &c_rows, &w.cols), identity(w.rank));
        }
    }
}
