//! Exact linear algebra over Q for certificates: the rank of a matrix together with a witness
//! (a non-singular square minor of exactly that size), determinants and submatrices.
//! `rank` is the fast fraction-free path over GMP integers (`fraction_free`), `rank_reference`
//! and `determinant` the plain rational Gaussian elimination kept as the trusted second path
//! (`rational`). `inverse`, `rank_factorization` and `multiply` are plain dense Gauss-Jordan
//! elimination and matrix products over Q (`solve`).
//!
//! `rank_sparse` is the same fast path on a matrix given by its non-zero entries, with the very
//! elimination (and so the very witness) `rank` has on the same matrix held densely.
//!
//! Precondition of every function: `m.entries.len() == m.nrows * m.ncols`; of `rank_sparse`,
//! the `SparseMatrix` invariant.

mod fraction_free;
pub mod modular;
pub mod numeric;
mod rational;
mod solve;
#[cfg(test)]
mod tests;

use crate::field::Q;
use crate::tensor::{Matrix, SparseMatrix};

/// A certified rank: `rows` x `cols` (0-based, strictly increasing, each of length `rank`)
/// index a non-singular square submatrix, and the rank is exactly `rank`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RankWitness {
    pub rank: usize,
    pub rows: Vec<usize>,
    pub cols: Vec<usize>,
}

/// Exact rank over Q, fast path: fraction-free integer elimination with GMP integers (rug).
pub fn rank(m: &Matrix<Q>) -> RankWitness {
    check_shape(m);
    fraction_free::rank(m, fraction_free::DENSE_SWITCH)
}

/// `rank` of the matrix whose non-zero entries `m` holds: the same elimination on the same
/// integer rows, hence the same witness as `rank` of the dense matrix.
pub fn rank_sparse(m: &SparseMatrix<Q>) -> RankWitness {
    assert!(
        m.rows.len() == m.nrows
            && m.rows.iter().all(|row| {
                row.windows(2).all(|w| w[0].0 < w[1].0)
                    && row.last().is_none_or(|e| e.0 < m.ncols)
                    && row.iter().all(|e| !num_traits::Zero::is_zero(&e.1))
            }),
        "sparse {}x{} matrix rows are not strictly increasing non-zero entries in range",
        m.nrows,
        m.ncols
    );
    let rows = m.rows.iter().map(|row| row.iter().map(|(j, q)| (*j, q)));
    fraction_free::rank_of_rows(m.ncols, rows, fraction_free::DENSE_SWITCH)
}

/// Exact rank over Q, reference path: plain Gaussian elimination over num-rational BigRational,
/// dense, no tricks.
pub fn rank_reference(m: &Matrix<Q>) -> RankWitness {
    check_shape(m);
    rational::rank(m)
}

/// Determinant of a square matrix by plain rational Gaussian elimination (used to confirm
/// witnesses); the 0x0 matrix has determinant 1. Panics if `m` is not square.
pub fn determinant(m: &Matrix<Q>) -> Q {
    check_shape(m);
    rational::determinant(m)
}

/// The exact inverse by Gauss-Jordan elimination, `None` if `m` is singular; the 0x0 matrix is its
/// own inverse. Panics if `m` is not square.
pub fn inverse(m: &Matrix<Q>) -> Option<Matrix<Q>> {
    check_shape(m);
    solve::inverse(m)
}

/// A rank factorization `m = B * C`, exactly: `B` (`m.nrows x r`) is made of the pivot columns of
/// `m` in increasing column order, and `C` (`r x m.ncols`) of the non-zero rows of the reduced row
/// echelon form of `m`, where `r` is the rank. For a zero matrix `r = 0`: `B` is `m.nrows x 0` and
/// `C` is `0 x m.ncols`.
pub fn rank_factorization(m: &Matrix<Q>) -> (Matrix<Q>, Matrix<Q>) {
    check_shape(m);
    solve::rank_factorization(m)
}

/// The product `a * b` (plain triple loop, skipping zeros). Panics if `a.ncols != b.nrows`.
pub fn multiply(a: &Matrix<Q>, b: &Matrix<Q>) -> Matrix<Q> {
    check_shape(a);
    check_shape(b);
    solve::multiply(a, b)
}

/// The submatrix on the given rows and columns (in the given order).
/// Panics if an index is out of range.
pub fn submatrix(m: &Matrix<Q>, rows: &[usize], cols: &[usize]) -> Matrix<Q> {
    check_shape(m);
    assert!(
        rows.iter().all(|&i| i < m.nrows) && cols.iter().all(|&j| j < m.ncols),
        "submatrix index out of range for a {}x{} matrix",
        m.nrows,
        m.ncols
    );
    let entries = rows
        .iter()
        .flat_map(|&i| cols.iter().map(move |&j| m.get(i, j).clone()))
        .collect();
    Matrix {
        nrows: rows.len(),
        ncols: cols.len(),
        entries,
    }
}

fn check_shape(m: &Matrix<Q>) {
    assert_eq!(
        m.entries.len(),
        m.nrows * m.ncols,
        "matrix entries do not match its {}x{} shape",
        m.nrows,
        m.ncols
    );
}
