//! The cut upper bound (SPEC §4), a property of the network's graph: the rank of a matricization
//! of a tensor network is at most the smallest product of edge dimensions over cuts that separate
//! the row modes from the column modes. For a tensor train a two-state dynamic programme over the
//! sites finds the best cut exactly from the train's shape alone (for the odd/even matricization
//! with equal bonds it has a closed form, derived below); an HT network's cut, over any tree and
//! with the hyperedges of `convac` nodes, is the kernel's (`HtNetwork::cut`); a CP network is a
//! sum of R rank-1 terms (one hyperedge), so its bound is R. It computes no ranks: claims compare
//! the bound with one.

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
    let is_row: Vec<bool> = (0..sizes.len()).map(|m| matricization.rows().contains(&m)).collect();
    match network {
        Network::Tt(train) | Network::TtEqual { train, .. } => {
            train_cut(&sizes, &train.bond_dims(), &is_row).min(trivial)
        }
        Network::Cp { factors, .. } => trivial.min(factors.first().map_or(0, |f| f.shape().2) as u128),
        // A generalized operator is not multilinear: no cut argument applies, only the matrix's side.
        Network::Generalized(_) => trivial,
        Network::Ht(net) => {
            let [row_side, col_side] = net.cut(&|m| matricization.rows().contains(&m));
            row_side.min(col_side).min(trivial)
        }
    }
}

/// The cut of a tensor train from its shape alone: mode sizes n_1..n_d, bond dimensions
/// r_0..r_d (`TensorTrain::bond_dims`, r_0 = r_d = 1) and which modes are rows. Each site goes
/// to a side; a leg on the other side than its mode costs its size, a bond between sites on
/// different sides its dimension; the result is the smallest product, over both sides of the
/// first site. Without the matrix's smaller side, which `cut_bound` also takes. Shapes that do
/// not fit (fewer bonds or flags than sites) give the cut of the sites they cover.
pub fn train_cut(sizes: &[usize], bonds: &[usize], is_row: &[bool]) -> u128 {
    let d = sizes.len().min(is_row.len()).min(bonds.len().saturating_sub(1));
    let tree: Vec<TreeNode> = (0..d)
        .map(|k| TreeNode {
            legs: vec![(k, sizes[k])],
            children: if k + 1 < d { vec![(k + 1, bonds[k + 1])] } else { vec![] },
        })
        .collect();
    if tree.is_empty() {
        return 1;
    }
    let [row_side, col_side] = best(&tree, 0, is_row);
    row_side.min(col_side)
}

/// The closed form of `train_cut` for the odd/even matricization (rows the odd modes 1, 3, ..,
/// columns the even ones) of an order-d train, d even, with every mode of size n and every inner
/// bond r: the minimum over j = 0..d/2 of n^(d/2 - j) r^(2j - 1), the j = 0 term n^(d/2).
/// For d = 6, min(n^3, n^2 r, n r^3, r^5); d = 8, min(n^4, n^3 r, n^2 r^3, n r^5, r^7);
/// d = 10, min(n^5, n^4 r, n^3 r^3, n^2 r^5, n r^7, r^9). `None` for odd d or d = 0.
///
/// Why. A cut puts each site on a side; split the sites 1..d into maximal runs on one side, m
/// of them. The bonds cut are those between runs, m - 1 (the end bonds have dimension 1). The
/// sites of a run alternate row and column modes, so a run of length L has at least floor(L/2)
/// legs on the wrong side, and exactly (L - 1)/2 when L is odd and the run takes the side of its
/// end sites' modes. Runs of odd lengths take alternate sides by themselves (the next run starts
/// at a site of the other parity), so m = 2j runs of odd lengths (1, .., 1, d - 2j + 1) cost
/// n^((d - 2j)/2) r^(2j - 1), and no m = 2j runs cost less (an even number o <= m of runs is odd,
/// d - o legs pair up). An odd m = 2j + 1 has at most 2j odd runs: again n^((d - 2j)/2) legs
/// but r^(2j) bonds, never below the 2j runs. m = 1 is one side for all: n^(d/2), the smaller side
/// of the matrix.
pub fn odd_even_train_cut(d: usize, n: u128, r: u128) -> Option<u128> {
    if d == 0 || d % 2 == 1 {
        return None;
    }
    let half = (d / 2) as u32;
    let power = |base: u128, exp: u32| base.saturating_pow(exp);
    (0..=half)
        .map(|j| power(n, half - j).saturating_mul(power(r, (2 * j).saturating_sub(1))))
        .min()
}

/// `odd_even_train_cut` written out for order d: `min(n^3, n^2 r, n r^3, r^5)` at d = 6.
pub fn odd_even_train_cut_text(d: usize) -> Option<String> {
    if d == 0 || d % 2 == 1 {
        return None;
    }
    let half = d / 2;
    let factor = |base: &str, exp: usize| match exp {
        0 => None,
        1 => Some(base.to_string()),
        e => Some(format!("{base}^{e}")),
    };
    let terms: Vec<String> = (0..=half)
        .map(|j| {
            [factor("n", half - j), factor("r", (2 * j).saturating_sub(1))]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    Some(format!("min({})", terms.join(", ")))
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

    #[test]
    fn the_closed_form_written_out() {
        assert_eq!(
            odd_even_train_cut_text(6).as_deref(),
            Some("min(n^3, n^2 r, n r^3, r^5)")
        );
        assert_eq!(odd_even_train_cut_text(2).as_deref(), Some("min(n, r)"));
        assert_eq!(odd_even_train_cut_text(5), None);
        assert_eq!(odd_even_train_cut(7, 2, 2), None);
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
