//! `ht-ranks` (SPEC §8): the rank of X^(node, rest) for every node of a mode tree but the root,
//! compared node by node with the claimed bound. This module owns which matricizations those are
//! (a node's modes as rows, in increasing order); the
//! ranks themselves are the workspace's, exact over Q or certified mod p with the cut (the generic
//! HT-ranks of a random network).

use crate::network::ht::{self, ModeTree};
use crate::tensor::Matricization;

/// The nodes of `tree` below the root in post-order, each with its name (`U<mode>`, `B<j>`) and
/// its matricization X^(node, rest) of an order-d tensor.
pub fn nodes(tree: &ModeTree, d: usize) -> Vec<(String, Matricization)> {
    let all = tree.post_order();
    let below_root = all.len().saturating_sub(1);
    all.into_iter()
        .zip(ht::names(tree))
        .take(below_root)
        .map(|(node, name)| {
            let mut rows = node.modes();
            rows.sort_unstable();
            let cols = (0..d).filter(|m| !rows.contains(m)).collect();
            let matricization = Matricization::new(rows, cols, d).expect("a node's modes and the rest partition 0..d");
            (name, matricization)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim::Verdict;

    #[test]
    fn the_nodes_of_a_mirror_tree_by_hand() {
        let tree = ModeTree::mirror(4).unwrap();
        let shown: Vec<String> = nodes(&tree, 4).iter().map(|(name, m)| format!("{name} {m}")).collect();
        // Post-order: 1, 4, (1,4), 2, 3, (2,3); the root is left out.
        assert_eq!(
            shown,
            [
                "U1 (1),(2,3,4)",
                "U4 (4),(1,2,3)",
                "B1 (1,4),(2,3)",
                "U2 (2),(1,3,4)",
                "U3 (3),(1,2,4)",
                "B2 (2,3),(1,4)"
            ]
        );
    }

    #[test]
    fn one_failing_node_fails_the_claim() {
        use Verdict::*;
        assert_eq!(Verdict::of_all(&[Holds, Holds]), Holds);
        assert_eq!(Verdict::of_all(&[Holds, Undecided]), Undecided);
        assert_eq!(Verdict::of_all(&[Undecided, Fails]), Fails);
    }
}
