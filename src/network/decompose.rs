//! Exact tensor-train decomposition of a dense tensor over Q: the exact analogue of TT-SVD, with
//! each truncated SVD replaced by an exact rank factorization (`linalg::rank_factorization`), so
//! the train has the minimal TT-ranks, the ranks of the sequential unfoldings. Owns
//! `tt_from_dense` only; the cores are built with `Core::from_fn` and checked by `TensorTrain::new`.

use super::{Core, TensorTrain};
use crate::field::Q;
use crate::linalg::rank_factorization;
use crate::tensor::{Matrix, Tensor};
use num_traits::Zero;
use std::convert::Infallible;

/// An exact tensor train of `x` with the minimal TT-ranks: `r_k` is the rank of the k-th
/// sequential unfolding `X^{(1..k, k+1..d)}`, for `k = 1..d-1`.
///
/// Successive exact rank factorizations: with `C_0 = x` as a `1 x (n_1 ... n_d)` matrix, the
/// step `k < d` reshapes `C_{k-1}` to `(r_{k-1} n_k) x (n_{k+1} ... n_d)`, factors it as `B C_k`
/// with `B` of full column rank `r_k`, and makes `B` the core `G_k` of shape `(r_{k-1}, n_k, r_k)`;
/// the last core is `C_{d-1}` reshaped to `(r_{d-1}, n_d, 1)`. An order-1 tensor gives the single
/// core `1 x n_1 x 1`.
///
/// A TT-rank 0 cannot be represented (bonds are at least 1), and a tensor has one exactly when it
/// is zero: an all-zero tensor (also one with no entries) gives the train with all bond
/// dimensions 1 and zero cores. Panics on an order-0 tensor, which no train represents.
pub fn tt_from_dense(x: &Tensor<Q>) -> TensorTrain {
    let shape = x.shape();
    let d = shape.len();
    assert!(d > 0, "a tensor train needs order at least 1, got an order-0 tensor");
    if x.entries().iter().all(Q::is_zero) {
        let cores = shape.iter().map(|&n| core(1, n, 1, |_, _, _| Q::zero())).collect();
        return TensorTrain::new(cores).expect("unit bonds fit");
    }
    let mut cores = Vec::with_capacity(d);
    // The remaining factor C_{k-1}, row-major: (r_{k-1}, n_k, ..., n_d) big-endian.
    let mut rest = x.entries().to_vec();
    let mut left = 1;
    for (k, &n) in shape.iter().enumerate().take(d - 1) {
        let nrows = left * n;
        let unfolding = Matrix {
            nrows,
            ncols: rest.len() / nrows,
            entries: rest,
        };
        let (b, c) = rank_factorization(&unfolding);
        // A non-zero tensor has non-zero unfoldings, and B C = C_{k-1} != 0.
        debug_assert!(b.ncols > 0, "rank 0 at step {k} of a non-zero tensor");
        cores.push(core(left, n, b.ncols, |a, i, r| b.get(a * n + i, r).clone()));
        left = b.ncols;
        rest = c.entries;
    }
    let n = shape[d - 1];
    cores.push(core(left, n, 1, |a, i, _| rest[a * n + i].clone()));
    TensorTrain::new(cores).expect("the bonds of successive factorizations fit")
}

fn core(left: usize, modes: usize, right: usize, entry: impl Fn(usize, usize, usize) -> Q) -> Core {
    match Core::from_fn(left, modes, right, |a, i, b| Ok::<_, Infallible>(entry(a, i, b))) {
        Ok(core) => core,
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::tt_from_dense;
    use crate::field::{q_int, Q};
    use crate::linalg::rank_reference;
    use crate::network::strategies::random_train;
    use crate::tensor::{matricize, Matricization, Tensor};
    use num_traits::Zero;
    use proptest::prelude::*;

    fn int_tensor(shape: Vec<usize>, entries: &[i64]) -> Tensor<Q> {
        Tensor::from_entries(shape, entries.iter().map(|&v| q_int(v)).collect()).unwrap()
    }

    /// The ranks of the sequential unfoldings `k = 1..d-1`, by the reference elimination.
    fn sequential_ranks(x: &Tensor<Q>) -> Vec<usize> {
        let d = x.order();
        (1..d)
            .map(|k| rank_reference(&matricize(x, &Matricization::sequential(k, d))).rank)
            .collect()
    }

    #[test]
    fn diagonal_tensor_has_tt_ranks_two_by_hand() {
        // X[i,j,k] = [i == j == k] on {0,1}^3: both unfoldings have rank 2.
        let x = int_tensor(vec![2, 2, 2], &[1, 0, 0, 0, 0, 0, 0, 1]);
        let t = tt_from_dense(&x);
        assert_eq!(t.bond_dims(), vec![1, 2, 2, 1]);
        assert_eq!(t.contract(), x);
    }

    #[test]
    fn rank_one_tensor_by_hand() {
        // X[i,j] = (i + 1)(j + 1) on 2 x 3: one rank-1 bond.
        let x = int_tensor(vec![2, 3], &[1, 2, 3, 2, 4, 6]);
        let t = tt_from_dense(&x);
        assert_eq!(t.bond_dims(), vec![1, 1, 1]);
        assert_eq!(t.contract(), x);
    }

    #[test]
    fn order_one_tensor_is_a_single_core() {
        let x = int_tensor(vec![3], &[1, -2, 0]);
        let t = tt_from_dense(&x);
        assert_eq!(t.cores().len(), 1);
        assert_eq!(t.cores()[0].shape(), (1, 3, 1));
        assert_eq!(t.contract(), x);
    }

    #[test]
    fn zero_tensor_gives_unit_bonds_and_zero_cores() {
        let x = int_tensor(vec![2, 3, 2], &[0; 12]);
        let t = tt_from_dense(&x);
        assert_eq!(t.bond_dims(), vec![1, 1, 1, 1]);
        assert!(t.cores().iter().all(|c| c.nonzeros().next().is_none()));
        assert_eq!(t.contract(), x);
    }

    #[test]
    #[should_panic(expected = "order-0")]
    fn order_zero_tensor_panics() {
        tt_from_dense(&int_tensor(vec![], &[1]));
    }

    proptest! {
        /// The decomposition contracts back to the tensor, and its bonds are the ranks of the
        /// sequential unfoldings; a rank 0 only occurs for the zero tensor (bonds then all 1).
        #[test]
        fn decomposition_is_exact_and_minimal(
            t in prop_oneof![random_train(false), random_train(true)],
        ) {
            let x = t.contract();
            let tt = tt_from_dense(&x);
            prop_assert_eq!(&tt.contract(), &x);
            prop_assert_eq!(tt.mode_sizes(), t.mode_sizes());
            let ranks = sequential_ranks(&x);
            let bonds = tt.bond_dims();
            if ranks.contains(&0) {
                prop_assert!(x.entries().iter().all(Q::is_zero));
                prop_assert!(bonds.iter().all(|&r| r == 1));
            } else {
                prop_assert_eq!(&bonds[1..bonds.len() - 1], &ranks[..]);
            }
            // Minimal: never more than the train it came from.
            for (r, s) in bonds.iter().zip(t.bond_dims()) {
                prop_assert!(*r <= s.max(1));
            }
        }
    }
}
