//! The exact rank of a matricization, with a non-singular minor as witness; shared by the rank
//! claims (matricization-rank, cp-rank-lower-bound, ht-ranks, shallow width, every depth). It
//! owns the choice of route: the dense tensor matricized, or, on a tensor train whose non-zero
//! paths are fewer than the dense entries, the matricization built from the cores' support
//! (`network::sparse`). Both hand the elimination the same rows (the non-zero entries of each
//! row in increasing column order, the same exact values), so the rank and its witness are the
//! same whichever route is taken; only time and memory differ.

use crate::field::Q;
use crate::linalg::{rank, rank_sparse, RankWitness};
use crate::network::{sparse, Network};
use crate::tensor::{matricize, Matricization, Tensor};

/// How a matricization's rank is computed, with the entries that route stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// The dense tensor, `entries` of them (saturating), matricized.
    Dense { entries: u128 },
    /// A train's matricization from its support, storing at most `entries`
    /// (`sparse::stored_entries`).
    Support { entries: u128 },
    /// On random cores: the matricization mod p of the drawn tensor, `entries` residues
    /// (`claim::generic`).
    Residues { entries: u128 },
}

/// The support route when the network is a tensor train and that route stores fewer entries
/// than the dense tensor has, else the dense route.
pub fn route(network: &Network, matricization: &Matricization) -> Route {
    let dense = network
        .mode_sizes()
        .iter()
        .fold(1u128, |acc, &n| acc.saturating_mul(n as u128));
    let support = network
        .train()
        .and_then(|train| sparse::stored_entries(train, matricization));
    match support {
        Some(entries) if entries < dense => Route::Support { entries },
        _ => Route::Dense { entries: dense },
    }
}

/// `(rows, columns)` of the matricization and its certified rank, by `route`; `dense` yields
/// the dense tensor when the dense route is taken.
pub fn matricization_rank<'t>(
    network: &Network,
    matricization: &Matricization,
    dense: impl FnOnce() -> &'t Tensor<Q>,
) -> ((usize, usize), RankWitness) {
    if let (Route::Support { .. }, Some(train)) = (route(network, matricization), network.train()) {
        if let Some(matrix) = sparse::matricize_support(train, matricization) {
            return ((matrix.nrows, matrix.ncols), rank_sparse(&matrix));
        }
    }
    let matrix = matricize(dense(), matricization);
    ((matrix.nrows, matrix.ncols), rank(&matrix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::strategies::{copy_train, core, random_train};
    use crate::network::TensorTrain;
    use proptest::prelude::*;

    #[test]
    fn the_support_route_is_taken_only_when_it_stores_less() {
        // A copy tensor, n = r = 3, d = 4: 3 non-zero paths, 9 rows, 9 columns: 21 < 3^4.
        let copy = copy_train(3, 4);
        let m = Matricization::odd_even(4);
        assert_eq!(route(&Network::Tt(copy), &m), Route::Support { entries: 21 });
        // All ones, n = r = 2, d = 2: 2 * 2 * 2 = 8 paths, 2 rows, 2 columns: 12 > 2^2.
        let ones = TensorTrain::new(vec![core(1, 2, 2, &[1; 4]), core(2, 2, 1, &[1; 4])]).unwrap();
        let m = Matricization::odd_even(2);
        assert_eq!(route(&Network::Tt(ones), &m), Route::Dense { entries: 4 });
    }

    proptest! {
        /// Whichever route it takes, the rank evidence of a train's matricization is the dense one's.
        #[test]
        fn every_route_gives_the_dense_evidence(t in random_train(true), split in 0usize..5) {
            let d = t.order();
            let m = Matricization::sequential(split.min(d), d);
            let dense = t.contract();
            let dense_matrix = matricize(&dense, &m);
            let expected = ((dense_matrix.nrows, dense_matrix.ncols), rank(&dense_matrix));
            prop_assert_eq!(matricization_rank(&Network::Tt(t), &m, || &dense), expected);
        }
    }
}
