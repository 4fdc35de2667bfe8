//! The cut upper bound (SPEC §4), a property of the network's graph: the rank of a matricization
//! of a tensor network is at most the smallest product of edge dimensions over cuts that separate
//! the row modes from the column modes. For a tensor train a two-state dynamic programme over the
//! sites finds the best cut exactly; an HT network's cut, over any tree and with the hyperedges of
//! `convac` nodes, is the kernel's (`HtNetwork::cut`); a CP network is a sum of R rank-1 terms
//! (one hyperedge), so its bound is R. It computes no ranks: claims compare the bound with one.

use super::Network;
use crate::tensor::Matricization;

/// A tree node: its open legs `(mode, size)` and children `(node, edge dimension)`.
struct TreeNode {
    legs: Vec<(usize, usize)>,
    children: Vec<(usize, usize)>,
}

/// The smallest product of cut edge dimensions, at most the matrix's smaller side.
pub fn cut_bound(network: &Network, matricization: &Matricization) -> u128 {
    let sizes = network.mode_sizes();
    let (row_shape, col_shape) = matricization.split_shape(&sizes);
    let trivial = product(&row_shape).min(product(&col_shape));
    let tree: Vec<TreeNode> = match network {
        Network::Tt(train) | Network::TtEqual { train, .. } => {
            let bonds = train.bond_dims();
            (0..sizes.len())
                .map(|k| TreeNode {
                    legs: vec![(k, sizes[k])],
                    children: if k + 1 < sizes.len() {
                        vec![(k + 1, bonds[k + 1])]
                    } else {
                        vec![]
                    },
                })
                .collect()
        }
        Network::Cp { factors } => return trivial.min(factors.first().map_or(0, |f| f.shape().2) as u128),
        // A generalized operator is not multilinear: no cut argument applies, only the matrix's side.
        Network::Generalized(_) => return trivial,
        Network::Ht(net) => {
            let [row_side, col_side] = net.cut(&|m| matricization.rows().contains(&m));
            return row_side.min(col_side).min(trivial);
        }
    };
    let is_row: Vec<bool> = (0..sizes.len()).map(|m| matricization.rows().contains(&m)).collect();
    let [row_side, col_side] = best(&tree, 0, &is_row);
    row_side.min(col_side).min(trivial)
}

fn product(sizes: &[usize]) -> u128 {
    sizes.iter().fold(1u128, |acc, &n| acc.saturating_mul(n as u128))
}

/// `[cost with node on the row side, cost on the column side]` for the subtree at `node`.
fn best(tree: &[TreeNode], node: usize, is_row: &[bool]) -> [u128; 2] {
    let mut cost = [1u128; 2];
    for (side, c) in cost.iter_mut().enumerate() {
        let on_rows = side == 0;
        for &(mode, size) in &tree[node].legs {
            if is_row[mode] != on_rows {
                *c = c.saturating_mul(size as u128);
            }
        }
    }
    for &(child, dim) in &tree[node].children {
        let sub = best(tree, child, is_row);
        for (side, c) in cost.iter_mut().enumerate() {
            *c = c.saturating_mul(sub[side].min(sub[1 - side].saturating_mul(dim as u128)));
        }
    }
    cost
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::rank;
    use crate::network::strategies::random_train;
    use crate::network::{Core, TensorTrain};
    use crate::tensor::matricize;
    use proptest::prelude::*;

    #[test]
    fn tt_odd_even_cut_by_hand() {
        // d = 4, n = 3, bonds (1,2,2,2,1), rows (1,3), columns (2,4). Each site goes to a side;
        // a leg on the wrong side costs n = 3, a bond between sides its dimension 2.
        // Sites (R,C,R,C): three bonds, 8. (R,C,C,C): leg 3 and bond 1, 6. (R,R,C,C): legs 2
        // and 3 and bond 2, 18. (C,C,C,C): legs 1 and 3, 9. The best is 6.
        let core = |l, r| Core::from_fn(l, 3, r, |_, _, _| Ok::<_, ()>(crate::field::q_int(1))).unwrap();
        let train = TensorTrain::new(vec![core(1, 2), core(2, 2), core(2, 2), core(2, 1)]).unwrap();
        assert_eq!(cut_bound(&Network::Tt(train), &Matricization::odd_even(4)), 6);
    }

    proptest! {
        /// The cut bound is never below the rank of the matricization it bounds.
        #[test]
        fn cut_bound_is_an_upper_bound(train in random_train(false), split in 0usize..16) {
            let d = train.order();
            let rows: Vec<usize> = (0..d).filter(|m| split >> m & 1 == 1).collect();
            let cols: Vec<usize> = (0..d).filter(|m| split >> m & 1 == 0).collect();
            let m = Matricization::new(rows, cols, d).unwrap();
            let dense = train.contract();
            let network = Network::Tt(train);
            prop_assert!(rank(&matricize(&dense, &m)).rank as u128 <= cut_bound(&network, &m));
        }
    }
}
