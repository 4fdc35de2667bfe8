//! The exact rank of a matricization of a dense tensor, with a non-singular minor as witness;
//! shared by the matricization-rank and cp-rank-lower-bound claims.

use crate::field::Q;
use crate::linalg::{rank, RankWitness};
use crate::tensor::{matricize, Matricization, Tensor};

/// `(rows, columns)` of the matricization and its certified rank.
pub fn matricization_rank(dense: &Tensor<Q>, matricization: &Matricization) -> ((usize, usize), RankWitness) {
    let matrix = matricize(dense, matricization);
    ((matrix.nrows, matrix.ncols), rank(&matrix))
}
