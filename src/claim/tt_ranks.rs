//! Exact TT-ranks of a tensor train without forming the tensor. A left sweep picks prefixes
//! `P_k` whose rows span the row space of the k-th unfolding, a right sweep picks suffixes `S_k`
//! whose columns span its column space; the rank of the unfolding is then the rank of the small
//! block `X[P_k, S_k]`, and a non-singular minor of that block is a minor of the unfolding.
//!
//! Why: write the k-th unfolding as `L_k R_k` (interface matrices). Each row of `L_k` is
//! `L_{k-1}[p] G_k[:, i, :]`, so the rows `(p, i)` with `p` in `P_{k-1}` span all rows of `L_k`,
//! and a maximal independent subset of them spans them too. Rows of `L_k R_k` are rows of `L_k`
//! times `R_k`, so rows `P_k` span the unfolding's row space; columns likewise. Hence
//! `rank(L_k R_k) = rank of the unfolding restricted to rows P_k = rank of X[P_k, S_k]`.

use crate::field::Q;
use crate::linalg::rank;
use crate::network::TensorTrain;
use crate::tensor::Matrix;
use num_traits::{One, Zero};

/// The exact rank of one sequential unfolding and a non-singular minor of that size: the
/// prefixes `(i_1..i_k)` of its rows and the suffixes `(i_{k+1}..i_d)` of its columns (0-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnfoldingRank {
    pub rank: usize,
    pub rows: Vec<Vec<usize>>,
    pub cols: Vec<Vec<usize>>,
}

/// A set of multi-indices with the interface vectors that go with them.
struct Spanning {
    indices: Vec<Vec<usize>>,
    vectors: Vec<Vec<Q>>,
}

/// The TT-ranks of the bonds `k = 1..d-1`, each with its witness minor.
pub fn tt_ranks(train: &TensorTrain) -> Vec<UnfoldingRank> {
    let d = train.order();
    let cores = train.cores();
    // Left sweep: lefts[k] spans the rows of the k-th unfolding (prefixes of length k).
    let mut lefts = vec![Spanning {
        indices: vec![vec![]],
        vectors: vec![vec![Q::one()]],
    }];
    for core in &cores[..d.saturating_sub(1)] {
        let (_, modes, right) = core.shape();
        let prev = lefts.last().expect("starts non-empty");
        let mut indices = Vec::new();
        let mut vectors = Vec::new();
        for (p, v) in prev.indices.iter().zip(&prev.vectors) {
            for i in 0..modes {
                indices.push([p.as_slice(), &[i]].concat());
                vectors.push(
                    (0..right)
                        .map(|b| v.iter().enumerate().map(|(a, x)| x * core.get(a, i, b)).sum())
                        .collect(),
                );
            }
        }
        lefts.push(independent(indices, vectors));
    }
    // Right sweep, from bond d down to bond 1: each entry spans the columns of its unfolding
    // (suffixes of length d-k).
    let mut rights = vec![Spanning {
        indices: vec![vec![]],
        vectors: vec![vec![Q::one()]],
    }];
    for core in cores[1..].iter().rev() {
        let (left, modes, _) = core.shape();
        let next = rights.last().expect("starts non-empty");
        let mut indices = Vec::new();
        let mut vectors = Vec::new();
        for i in 0..modes {
            for (s, v) in next.indices.iter().zip(&next.vectors) {
                indices.push([&[i], s.as_slice()].concat());
                vectors.push(
                    (0..left)
                        .map(|a| v.iter().enumerate().map(|(b, x)| core.get(a, i, b) * x).sum())
                        .collect(),
                );
            }
        }
        rights.push(independent(indices, vectors));
    }
    rights.reverse(); // now rights[k - 1] belongs to bond k
    (1..d)
        .map(|k| {
            let (l, r) = (&lefts[k], &rights[k - 1]);
            let entries = l
                .vectors
                .iter()
                .flat_map(|u| {
                    r.vectors
                        .iter()
                        .map(move |v| u.iter().zip(v).map(|(x, y)| x * y).sum::<Q>())
                })
                .collect();
            let block = Matrix {
                nrows: l.indices.len(),
                ncols: r.indices.len(),
                entries,
            };
            let w = rank(&block);
            UnfoldingRank {
                rank: w.rank,
                rows: w.rows.iter().map(|&p| l.indices[p].clone()).collect(),
                cols: w.cols.iter().map(|&s| r.indices[s].clone()).collect(),
            }
        })
        .collect()
}

/// A maximal linearly independent subset of `vectors` (as rows), in the order given.
fn independent(indices: Vec<Vec<usize>>, vectors: Vec<Vec<Q>>) -> Spanning {
    let width = vectors.first().map_or(0, Vec::len);
    let matrix = Matrix {
        nrows: vectors.len(),
        ncols: width,
        entries: vectors.iter().flatten().cloned().collect(),
    };
    let keep = rank(&matrix).rows;
    let mut spanning = Spanning {
        indices: Vec::new(),
        vectors: Vec::new(),
    };
    for p in keep {
        spanning.indices.push(indices[p].clone());
        spanning.vectors.push(vectors[p].clone());
    }
    if spanning.indices.is_empty() {
        // The zero tensor: keep one index so that the (empty) minors still have a place.
        spanning.indices.push(indices.into_iter().next().unwrap_or_default());
        spanning.vectors.push(vec![Q::zero(); width]);
    }
    spanning
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::{determinant, rank_reference, submatrix};
    use crate::network::strategies::random_train;
    use crate::tensor::{linear_index, matricize, Matricization};
    use proptest::prelude::*;

    proptest! {
        /// The structured ranks equal the ranks of the dense unfoldings (a second implementation),
        /// and each witness is a non-singular minor of the dense unfolding.
        #[test]
        fn structured_ranks_equal_dense_ranks(train in prop_oneof![random_train(true), random_train(false)]) {
            let dense = train.contract();
            let d = train.order();
            for (k, u) in (1..d).zip(tt_ranks(&train)) {
                let unfolding = matricize(&dense, &Matricization::sequential(k, d));
                prop_assert_eq!(u.rank, rank_reference(&unfolding).rank);
                let shape = dense.shape();
                let rows: Vec<usize> = u.rows.iter().map(|p| linear_index(&shape[..k], p)).collect();
                let cols: Vec<usize> = u.cols.iter().map(|s| linear_index(&shape[k..], s)).collect();
                prop_assert!(!num_traits::Zero::is_zero(&determinant(&submatrix(&unfolding, &rows, &cols))));
            }
        }
    }
}
