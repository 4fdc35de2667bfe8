//! Reference path: plain dense Gaussian elimination over BigRational, taking as pivot the first
//! row with a non-zero entry in the current column. Owns `rank_reference` and `determinant`;
//! deliberately free of tricks, since it is the trusted second implementation.

use super::RankWitness;
use crate::field::Q;
use crate::tensor::Matrix;
use num_traits::{One, Zero};

fn dense_rows(m: &Matrix<Q>) -> Vec<Vec<Q>> {
    (0..m.nrows).map(|i| m.row(i).to_vec()).collect()
}

/// Subtracts multiples of row `k` from the rows below it so that they vanish in column `c`
/// (entries left of `c` are already zero in all of these rows).
fn eliminate_below(a: &mut [Vec<Q>], k: usize, c: usize) {
    let (done, below) = a.split_at_mut(k + 1);
    let pivot_row = &done[k];
    for row in below {
        if row[c].is_zero() {
            continue;
        }
        let factor = &row[c] / &pivot_row[c];
        for (x, p) in row[c..].iter_mut().zip(&pivot_row[c..]) {
            *x -= &factor * p;
        }
    }
}

/// Rank with witness: the pivot rows (original indices) and pivot columns. Row operations only
/// subtract multiples of earlier pivot rows, so on the pivot rows and columns the matrix is
/// row-equivalent to a triangular one with the non-zero pivots on its diagonal.
pub(super) fn rank(m: &Matrix<Q>) -> RankWitness {
    let mut a = dense_rows(m);
    let mut original: Vec<usize> = (0..m.nrows).collect();
    let (mut rows, mut cols) = (Vec::new(), Vec::new());
    for c in 0..m.ncols {
        let k = rows.len();
        let Some(r) = (k..m.nrows).find(|&r| !a[r][c].is_zero()) else {
            continue;
        };
        a.swap(k, r);
        original.swap(k, r);
        eliminate_below(&mut a, k, c);
        rows.push(original[k]);
        cols.push(c);
    }
    rows.sort_unstable();
    RankWitness {
        rank: cols.len(),
        rows,
        cols,
    }
}

/// Determinant as the signed product of the pivots; panics if `m` is not square.
pub(super) fn determinant(m: &Matrix<Q>) -> Q {
    assert_eq!(
        m.nrows, m.ncols,
        "determinant of a non-square {}x{} matrix",
        m.nrows, m.ncols
    );
    let n = m.nrows;
    let mut a = dense_rows(m);
    let mut det = Q::one();
    for k in 0..n {
        let Some(r) = (k..n).find(|&r| !a[r][k].is_zero()) else {
            return Q::zero();
        };
        if r != k {
            a.swap(k, r);
            det = -det;
        }
        det *= &a[k][k];
        eliminate_below(&mut a, k, k);
    }
    det
}
