//! Hierarchical Tucker networks over a mode tree (SPEC §8), over any scalar, in both node forms:
//! `general` (a full tensor per node, one index per child and one to the parent) and `convac`
//! (Cohen's convolutional arithmetic circuit: the children share one index, so a node is a
//! matrix `a[alpha, p]`). It owns the node tensors' shapes and names, the dense tensor they make
//! and the cut bound of the network's graph, a shared index being one hyperedge. One plain
//! implementation serves the checker and the kernel, so both mean the same network; the tree's
//! text is `tree`'s, reading node tensors from a certificate is the kernel's reader's.

use crate::field::Scalar;
use crate::tree::ModeTree;

/// How an internal node combines its children.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `phi[p] = sum_{c_1..c_m} B[c_1, ..., c_m, p] phi_1[c_1] (x) ... (x) phi_m[c_m]`.
    General,
    /// `phi[p] = sum_alpha a[alpha, p] phi_1[alpha] (x) ... (x) phi_m[alpha]`.
    Convac,
}

impl Form {
    /// The form's name in case files and certificates.
    pub fn name(self) -> &'static str {
        match self {
            Form::General => "general",
            Form::Convac => "convac",
        }
    }

    pub fn from_name(name: &str) -> Option<Form> {
        [Form::General, Form::Convac].into_iter().find(|f| f.name() == name)
    }
}

/// A node tensor, entries big-endian over its shape: a leaf `U[i, p]`, a general node
/// `B[c_1, ..., c_m, p]`, a `convac` node `a[alpha, p]`. The last index goes to the parent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part<S> {
    pub shape: Vec<usize>,
    pub entries: Vec<S>,
}

impl<S> Part<S> {
    /// The dimension of the edge to the parent (1 at the root).
    pub fn edge(&self) -> usize {
        self.shape.last().copied().unwrap_or(1)
    }
}

/// Why node ranks or tensors do not make a network: the node (as its tree text) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShapeFault {
    /// The children of a `convac` node share one index, so they must have one rank.
    ConvacRanks { node: String, ranks: Vec<usize> },
    /// A node tensor of another shape than its children's ranks and its own give it.
    Shape {
        node: String,
        expected: Vec<usize>,
        found: Vec<usize>,
    },
    /// The root's edge, the network's output, has dimension 1.
    RootRank { rank: usize },
    /// Not one tensor (or rank) per node of the tree.
    Count { nodes: usize, found: usize },
}

impl std::fmt::Display for ShapeFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let dims = |v: &[usize]| v.iter().map(usize::to_string).collect::<Vec<_>>().join("x");
        match self {
            ShapeFault::ConvacRanks { node, ranks } => write!(
                f,
                "the children of the convac node {node} have ranks ({}); they share one index, so their ranks must be equal",
                ranks.iter().map(usize::to_string).collect::<Vec<_>>().join(",")
            ),
            ShapeFault::Shape { node, expected, found } => {
                write!(f, "the tensor of node {node} is {}, it must be {}", dims(found), dims(expected))
            }
            ShapeFault::RootRank { rank } => write!(f, "the root's rank is {rank}; it must be 1"),
            ShapeFault::Count { nodes, found } => write!(f, "{found} node tensors for {nodes} nodes"),
        }
    }
}

/// The names of the node tensors in post-order: leaves `U<mode>`, internal nodes `B1, B2, ...`.
pub fn names(tree: &ModeTree) -> Vec<String> {
    let mut internal = 0;
    tree.post_order()
        .into_iter()
        .map(|node| match node {
            ModeTree::Leaf(mode) => format!("U{}", mode + 1),
            ModeTree::Node(_) => {
                internal += 1;
                format!("B{internal}")
            }
        })
        .collect()
}

/// The shapes of the node tensors in post-order, from each node's rank (`ranks`, post-order, the
/// root's last and 1) and the mode sizes: a leaf of mode m is `n_m x r`, a general node
/// `r_1 x ... x r_m x r`, a convac node `alpha x r` with alpha its children's common rank.
pub fn shapes(tree: &ModeTree, form: Form, sizes: &[usize], ranks: &[usize]) -> Result<Vec<Vec<usize>>, ShapeFault> {
    let nodes = tree.post_order();
    if ranks.len() != nodes.len() {
        return Err(ShapeFault::Count {
            nodes: nodes.len(),
            found: ranks.len(),
        });
    }
    if let Some(&rank) = ranks.last().filter(|&&r| r != 1) {
        return Err(ShapeFault::RootRank { rank });
    }
    // The ranks of the nodes done so far, a stack: a node's children are its top entries.
    let mut done: Vec<usize> = Vec::new();
    let mut shapes = Vec::new();
    for (node, &rank) in nodes.into_iter().zip(ranks) {
        let shape = match node {
            ModeTree::Leaf(mode) => vec![sizes.get(*mode).copied().unwrap_or(0), rank],
            ModeTree::Node(children) => {
                let child_ranks = done.split_off(done.len().saturating_sub(children.len()));
                match form {
                    Form::General => child_ranks.iter().copied().chain([rank]).collect(),
                    Form::Convac => {
                        let alpha = child_ranks.first().copied().unwrap_or(0);
                        if child_ranks.iter().any(|&r| r != alpha) {
                            return Err(ShapeFault::ConvacRanks {
                                node: node.to_string(),
                                ranks: child_ranks,
                            });
                        }
                        vec![alpha, rank]
                    }
                }
            }
        };
        done.push(rank);
        shapes.push(shape);
    }
    Ok(shapes)
}

/// An HT network: its tree, form, mode sizes (by mode, 0-based) and node tensors in post-order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HtNetwork<S> {
    tree: ModeTree,
    form: Form,
    sizes: Vec<usize>,
    parts: Vec<Part<S>>,
}

impl<S> HtNetwork<S> {
    /// Checks that the tensors have the shapes their ranks give (`shapes`) and one entry per index.
    pub fn new(tree: ModeTree, form: Form, sizes: Vec<usize>, parts: Vec<Part<S>>) -> Result<Self, ShapeFault> {
        let ranks: Vec<usize> = parts.iter().map(Part::edge).collect();
        let expected = shapes(&tree, form, &sizes, &ranks)?;
        for ((node, part), shape) in tree.post_order().into_iter().zip(&parts).zip(expected) {
            let volume = shape.iter().try_fold(1usize, |p, &n| p.checked_mul(n));
            if part.shape != shape || volume != Some(part.entries.len()) {
                return Err(ShapeFault::Shape {
                    node: node.to_string(),
                    expected: shape,
                    found: part.shape.clone(),
                });
            }
        }
        Ok(HtNetwork {
            tree,
            form,
            sizes,
            parts,
        })
    }

    pub fn tree(&self) -> &ModeTree {
        &self.tree
    }

    pub fn form(&self) -> Form {
        self.form
    }

    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// The node tensors in post-order (see `names`).
    pub fn parts(&self) -> &[Part<S>] {
        &self.parts
    }

    /// The same network over another scalar, the first error of `f` stopping it.
    pub fn try_map<T, E>(&self, mut f: impl FnMut(&S) -> Result<T, E>) -> Result<HtNetwork<T>, E> {
        let parts = self
            .parts
            .iter()
            .map(|p| {
                Ok(Part {
                    shape: p.shape.clone(),
                    entries: p.entries.iter().map(&mut f).collect::<Result<_, E>>()?,
                })
            })
            .collect::<Result<_, E>>()?;
        Ok(HtNetwork {
            tree: self.tree.clone(),
            form: self.form,
            sizes: self.sizes.clone(),
            parts,
        })
    }

    /// The smallest product of edge dimensions over the ways to put every node on the row or the
    /// column side, each mode's leg on the side of its mode (`is_row`): a leg or an edge whose ends
    /// are on different sides costs its dimension, a convac node's shared index (a hyperedge
    /// joining the node and its children) costs its dimension once if they are not all on one
    /// side. A dynamic programme over the tree, exact for a tree; `[root on the row side, on the
    /// column side]`.
    pub fn cut(&self, is_row: &dyn Fn(usize) -> bool) -> [u128; 2] {
        let mut done: Vec<[u128; 2]> = Vec::new();
        for (node, part) in self.tree.post_order().into_iter().zip(&self.parts) {
            let cost = match node {
                ModeTree::Leaf(mode) => {
                    let n = self.sizes.get(*mode).copied().unwrap_or(0) as u128;
                    if is_row(*mode) {
                        [1, n]
                    } else {
                        [n, 1]
                    }
                }
                ModeTree::Node(children) => {
                    let below = done.split_off(done.len().saturating_sub(children.len()));
                    let dim = |j: usize| part.shape.get(j).copied().unwrap_or(0) as u128;
                    let side = |row: bool| -> u128 {
                        match self.form {
                            Form::General => below.iter().enumerate().fold(1u128, |acc, (j, &[r, c])| {
                                let (same, other) = if row { (r, c) } else { (c, r) };
                                acc.saturating_mul(same.min(other.saturating_mul(dim(j))))
                            }),
                            Form::Convac => {
                                let together = below
                                    .iter()
                                    .fold(1u128, |acc, &[r, c]| acc.saturating_mul(if row { r } else { c }));
                                let apart = below.iter().fold(dim(0), |acc, &[r, c]| acc.saturating_mul(r.min(c)));
                                together.min(apart)
                            }
                        }
                    };
                    [side(true), side(false)]
                }
            };
            done.push(cost);
        }
        done.pop().unwrap_or([1, 1])
    }
}

impl<S: Scalar> HtNetwork<S> {
    /// Every entry of the tensor, big-endian over the modes 1..d in their natural order.
    pub fn dense(&self) -> Vec<S> {
        // Each node's tensor over its modes (in tree order, big-endian) and its edge: rows of
        // length `edge`, one per index of its modes; a stack, children on top.
        let mut done: Vec<(Vec<S>, usize)> = Vec::new();
        for (node, part) in self.tree.post_order().into_iter().zip(&self.parts) {
            let edge = part.edge();
            let tensor = match node {
                ModeTree::Leaf(_) => part.entries.clone(),
                ModeTree::Node(children) => {
                    let below = done.split_off(done.len().saturating_sub(children.len()));
                    node_tensor(self.form, part, below)
                }
            };
            done.push((tensor, edge));
        }
        let in_tree_order = done.pop().map(|(t, _)| t).unwrap_or_default();
        natural_order(&self.tree.modes(), &self.sizes, &in_tree_order)
    }
}

/// An internal node's tensor from its children's: each child as its rows (one per index of its
/// free indices, big-endian) of length its edge, with that edge; the node's rows, one per index
/// of the children's free indices in order, of length its own edge. A free index is a mode
/// under the child, or whatever stands for a subtree (an identity in a conversion).
pub fn node_tensor<S: Scalar>(form: Form, part: &Part<S>, children: Vec<(Vec<S>, usize)>) -> Vec<S> {
    match form {
        Form::General => general_node(part, children),
        Form::Convac => convac_node(part, children),
    }
}

/// `x * y`.
fn times<S: Scalar>(x: &S, y: &S) -> S {
    let mut out = S::zero_value();
    out.add_product(x, y);
    out
}

/// A general node: the children's tensors `C_j[x_j, c_j]` contracted into `B[c_1..c_m, p]` one
/// index at a time, `[x_1..x_{j-1}, c_j, rest] -> [x_1..x_{j-1}, x_j, rest]`.
fn general_node<S: Scalar>(part: &Part<S>, children: Vec<(Vec<S>, usize)>) -> Vec<S> {
    let mut current = part.entries.clone();
    // The size of the indices after c_j: the later children's ranks and the edge.
    let mut rest: usize = part.shape.iter().skip(1).product();
    for (j, (child, rank)) in children.into_iter().enumerate() {
        let rank = rank.max(1);
        let rows = child.len() / rank;
        let block = rank * rest;
        let mut next = vec![S::zero_value(); current.len() / block.max(1) * rows * rest];
        for (out, input) in next.chunks_mut((rows * rest).max(1)).zip(current.chunks(block.max(1))) {
            for (out_row, child_row) in out.chunks_mut(rest.max(1)).zip(child.chunks(rank)) {
                for (w, in_row) in child_row.iter().zip(input.chunks(rest.max(1))) {
                    if w.vanishes() {
                        continue;
                    }
                    for (o, v) in out_row.iter_mut().zip(in_row) {
                        o.add_product(w, v);
                    }
                }
            }
        }
        current = next;
        rest /= part.shape.get(j + 1).copied().unwrap_or(1).max(1);
    }
    current
}

/// A convac node: `H[x_1..x_m, alpha] = prod_j C_j[x_j, alpha]`, then `sum_alpha H a[alpha, p]`.
fn convac_node<S: Scalar>(part: &Part<S>, children: Vec<(Vec<S>, usize)>) -> Vec<S> {
    let alpha = part.shape.first().copied().unwrap_or(0).max(1);
    let edge = part.edge().max(1);
    let mut hadamard = vec![S::one_value(); alpha];
    for (child, _) in children {
        let mut next = Vec::with_capacity(hadamard.len() / alpha * child.len());
        for h in hadamard.chunks(alpha) {
            for c in child.chunks(alpha) {
                next.extend(h.iter().zip(c).map(|(x, y)| times(x, y)));
            }
        }
        hadamard = next;
    }
    let mut out = vec![S::zero_value(); hadamard.len() / alpha * edge];
    for (h, out_row) in hadamard.chunks(alpha).zip(out.chunks_mut(edge)) {
        for (x, a_row) in h.iter().zip(part.entries.chunks(edge)) {
            if x.vanishes() {
                continue;
            }
            for (o, v) in out_row.iter_mut().zip(a_row) {
                o.add_product(x, v);
            }
        }
    }
    out
}

/// The entries of a tensor listed big-endian over the modes in `order` (a permutation of
/// 0..d), relisted big-endian over 0..d.
fn natural_order<S: Clone>(order: &[usize], sizes: &[usize], entries: &[S]) -> Vec<S> {
    // The stride of each mode in the tree-order listing.
    let mut stride = vec![0usize; sizes.len()];
    let mut after = 1usize;
    for &mode in order.iter().rev() {
        if let Some(s) = stride.get_mut(mode) {
            *s = after;
        }
        after = after.saturating_mul(sizes.get(mode).copied().unwrap_or(0));
    }
    let mut index = vec![0usize; sizes.len()];
    let mut out = Vec::with_capacity(entries.len());
    for _ in 0..entries.len() {
        let at: usize = index.iter().zip(&stride).map(|(i, s)| i * s).sum();
        if let Some(x) = entries.get(at) {
            out.push(x.clone());
        }
        for (slot, &n) in index.iter_mut().zip(sizes).rev() {
            *slot += 1;
            if *slot < n {
                break;
            }
            *slot = 0;
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::field::{q_int, Q};

    fn part(shape: &[usize], values: &[i64]) -> Part<Q> {
        Part {
            shape: shape.to_vec(),
            entries: values.iter().map(|&v| q_int(v)).collect(),
        }
    }

    /// Entry of the network by the definition, node by node (a second implementation).
    fn entry(net: &HtNetwork<Q>, index: &[usize]) -> Q {
        fn phi(net: &HtNetwork<Q>, node: &ModeTree, at: &mut usize, index: &[usize]) -> Vec<Q> {
            let vectors: Vec<Vec<Q>> = node.children().iter().map(|c| phi(net, c, at, index)).collect();
            let p = &net.parts[*at];
            *at += 1;
            let edge = p.edge();
            match node {
                ModeTree::Leaf(m) => p.entries[index[*m] * edge..(index[*m] + 1) * edge].to_vec(),
                ModeTree::Node(_) => (0..edge)
                    .map(|q| {
                        let mut sum = q_int(0);
                        let count = p.entries.len() / edge;
                        for pos in 0..count {
                            let mut rem = pos;
                            let mut c = vec![0; p.shape.len() - 1];
                            for j in (0..c.len()).rev() {
                                c[j] = rem % p.shape[j];
                                rem /= p.shape[j];
                            }
                            let term = match net.form {
                                Form::General => c.iter().zip(&vectors).map(|(&cj, v)| v[cj].clone()).product::<Q>(),
                                Form::Convac => vectors.iter().map(|v| v[c[0]].clone()).product::<Q>(),
                            };
                            sum += term * &p.entries[pos * edge + q];
                        }
                        sum
                    })
                    .collect(),
            }
        }
        phi(net, &net.tree, &mut 0, index)[0].clone()
    }

    #[test]
    fn dense_is_the_definition_on_a_ternary_mirror_like_tree() {
        // ((1,3),2) with mode sizes (2,3,2), ranks 2 at the leaves and (1,3): general form.
        let tree = ModeTree::parse("((1,3),2)", 3).unwrap();
        let parts = vec![
            part(&[2, 2], &[1, 2, -1, 3]),
            part(&[2, 2], &[0, 1, 4, -2]),
            part(&[2, 2, 2], &[1, 0, 2, -1, 0, 3, 1, 1]),
            part(&[3, 2], &[2, 0, 1, 1, -3, 5]),
            part(&[2, 2, 1], &[1, -1, 2, 7]),
        ];
        let net = HtNetwork::new(tree, Form::General, vec![2, 3, 2], parts).unwrap();
        let x = net.dense();
        assert_eq!(x.len(), 12);
        for (pos, value) in x.iter().enumerate() {
            let index = [pos / 6, pos / 2 % 3, pos % 2];
            assert_eq!(value, &entry(&net, &index), "at {index:?}");
        }
    }

    #[test]
    fn convac_by_hand() {
        // (1,2,3), n = 2, leaves the identity (rank 2), a = (1, 1)^T: X = e_000 + e_111.
        let tree = ModeTree::parse("(1,2,3)", 3).unwrap();
        let id = part(&[2, 2], &[1, 0, 0, 1]);
        let parts = vec![id.clone(), id.clone(), id, part(&[2, 1], &[1, 1])];
        let net = HtNetwork::new(tree, Form::Convac, vec![2; 3], parts).unwrap();
        let x = net.dense();
        let ones: Vec<usize> = (0..8).filter(|&p| x[p] != q_int(0)).collect();
        assert_eq!(ones, [0, 7]);
        assert_eq!(x[7], entry(&net, &[1, 1, 1]));
        // Rows (1), columns (2,3): the hyperedge alpha (dimension 2) is cut once, the legs cost
        // 2 for mode 1 or 4 for modes 2 and 3: the cut is 2, the copy tensor's rank.
        let [row, col] = net.cut(&|m| m == 0);
        assert_eq!(row.min(col), 2);
    }

    #[test]
    fn shapes_refuse_unequal_convac_children() {
        let tree = ModeTree::parse("((1,2),3)", 3).unwrap();
        let fault = shapes(&tree, Form::Convac, &[2, 2, 2], &[2, 2, 3, 2, 1]).unwrap_err();
        assert_eq!(
            fault.to_string(),
            "the children of the convac node ((1,2),3) have ranks (3,2); they share one index, so their ranks must be equal"
        );
        assert_eq!(
            shapes(&tree, Form::General, &[2, 2, 2], &[2, 2, 3, 2, 1]).unwrap()[2],
            [2, 2, 3]
        );
        assert_eq!(names(&tree), ["U1", "U2", "B1", "U3", "B2"]);
    }

    #[test]
    fn general_cut_by_hand() {
        // ((1,2),(3,4)), n = 3, leaf ranks 3, inner ranks 3. Rows (1,3), columns (2,4): every
        // choice of sides cuts two modes' worth: best 9 (both inner edges, or two legs).
        let tree = ModeTree::balanced(4);
        let ranks = [3, 3, 3, 3, 3, 3, 1];
        let parts = shapes(&tree, Form::General, &[3; 4], &ranks)
            .unwrap()
            .into_iter()
            .map(|shape| {
                let count = shape.iter().product();
                Part {
                    shape,
                    entries: vec![q_int(1); count],
                }
            })
            .collect();
        let net = HtNetwork::new(tree, Form::General, vec![3; 4], parts).unwrap();
        let [r, c] = net.cut(&|m| m == 0 || m == 2);
        assert_eq!(r.min(c), 9);
        // Rows (1,2): the root joins the two halves by the edges of its children, rank 3 each.
        let [r, c] = net.cut(&|m| m < 2);
        assert_eq!(r.min(c), 3);
    }
}
