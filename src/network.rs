//! Tensor networks: TT cores, tensor trains with cores per position, equal-core tensor trains
//! (the RNN case), CP (shallow) networks and hierarchical Tucker (HT) networks on a balanced
//! binary tree. It owns shapes, single-entry evaluation and contraction to a dense tensor over any
//! `Scalar` (exact `Q`, or residues mod p), the cut bound of a network's graph (`cut`), exact TT
//! decomposition (`decompose`) and generalized networks (`generalized`), using `linalg`'s kernels;
//! it decides no claims and knows nothing of case files.

pub mod cp_expansion;
pub mod cut;
mod decompose;
pub mod generalized;
pub mod periodic;

pub use decompose::tt_from_dense;

use crate::field::{modp, Residue, Scalar, Q};
use crate::tensor::Tensor;

/// A core `G[a, i, b]` of shape `left x modes x right` (0-based indices here).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Core<S = Q> {
    left: usize,
    modes: usize,
    right: usize,
    entries: Vec<S>,
}

impl<S: Scalar> Core<S> {
    /// Builds a core entry by entry in `(a, i, b)` order; the first error of `entry` stops it.
    pub fn from_fn<E>(
        left: usize,
        modes: usize,
        right: usize,
        mut entry: impl FnMut(usize, usize, usize) -> Result<S, E>,
    ) -> Result<Core<S>, E> {
        let mut entries = Vec::with_capacity(left * modes * right);
        for a in 0..left {
            for i in 0..modes {
                for b in 0..right {
                    entries.push(entry(a, i, b)?);
                }
            }
        }
        Ok(Core {
            left,
            modes,
            right,
            entries,
        })
    }

    /// How many entries the core has, zero or not.
    pub fn entries_count(&self) -> usize {
        self.entries.len()
    }

    /// `(left, modes, right)`.
    pub fn shape(&self) -> (usize, usize, usize) {
        (self.left, self.modes, self.right)
    }

    pub fn get(&self, a: usize, i: usize, b: usize) -> &S {
        &self.entries[(a * self.modes + i) * self.right + b]
    }

    /// The non-zero entries `(a, i, b, value)` in lexicographic order of `(a, i, b)`.
    pub fn nonzeros(&self) -> impl Iterator<Item = (usize, usize, usize, &S)> {
        let (modes, right) = (self.modes, self.right);
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.vanishes())
            .map(move |(pos, v)| (pos / (modes * right), pos / right % modes, pos % right, v))
    }

    /// The non-zero entries of the row `G[a, i, :]` as `(b, value)`.
    fn row_nonzeros(&self, a: usize, i: usize) -> impl Iterator<Item = (usize, &S)> {
        let start = (a * self.modes + i) * self.right;
        self.entries[start..start + self.right]
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.vanishes())
    }

    /// The same core over another scalar.
    pub fn map<T>(&self, f: impl Fn(&S) -> T) -> Core<T> {
        Core {
            left: self.left,
            modes: self.modes,
            right: self.right,
            entries: self.entries.iter().map(f).collect(),
        }
    }
}

/// A tensor train `X[i_1..i_d] = G_1[1,i_1,:] G_2[:,i_2,:] ... G_d[:,i_d,1]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TensorTrain<S = Q> {
    cores: Vec<Core<S>>,
}

impl<S: Scalar> TensorTrain<S> {
    /// Checks that the bonds fit: `r_0 = r_d = 1` and each core's right size is the next one's left.
    pub fn new(cores: Vec<Core<S>>) -> Result<TensorTrain<S>, String> {
        let (Some(first), Some(last)) = (cores.first(), cores.last()) else {
            return Err("a tensor train needs at least one core".into());
        };
        if first.left != 1 {
            return Err(format!("core 1 must have left size 1, it has {}", first.left));
        }
        if last.right != 1 {
            return Err(format!(
                "core {} must have right size 1, it has {}",
                cores.len(),
                last.right
            ));
        }
        for (k, pair) in cores.windows(2).enumerate() {
            if pair[0].right != pair[1].left {
                return Err(format!(
                    "core {} has right size {} but core {} has left size {}",
                    k + 1,
                    pair[0].right,
                    k + 2,
                    pair[1].left
                ));
            }
        }
        Ok(TensorTrain { cores })
    }

    pub fn order(&self) -> usize {
        self.cores.len()
    }

    pub fn cores(&self) -> &[Core<S>] {
        &self.cores
    }

    pub fn mode_sizes(&self) -> Vec<usize> {
        self.cores.iter().map(|c| c.modes).collect()
    }

    /// The bond dimensions `r_0 = 1, r_1, ..., r_d = 1`.
    pub fn bond_dims(&self) -> Vec<usize> {
        std::iter::once(1).chain(self.cores.iter().map(|c| c.right)).collect()
    }

    /// One entry, as the product of the matrices `G_k[:, i_k, :]` (0-based multi-index).
    pub fn entry(&self, index: &[usize]) -> S {
        let mut v = vec![S::one_value()];
        for (core, &i) in self.cores.iter().zip(index) {
            v = vector_times_slice(&v, core, i);
        }
        v.into_iter().next().unwrap_or_else(S::zero_value)
    }

    /// The dense tensor restricted to the box `i_k < sizes[k]` (each size at most the mode size).
    pub fn contract_box(&self, sizes: &[usize]) -> Tensor<S> {
        // `state` holds, for each prefix (i_1..i_k) in big-endian order, the row vector
        // G_1[1,i_1,:] ... G_k[:,i_k,:] of length r_k.
        let mut state = vec![S::one_value()];
        let mut width = 1;
        for (core, &size) in self.cores.iter().zip(sizes) {
            let mut next = Vec::with_capacity(state.len() / width * size * core.right);
            for prefix in state.chunks(width) {
                for i in 0..size {
                    next.extend(vector_times_slice(prefix, core, i));
                }
            }
            state = next;
            width = core.right;
        }
        Tensor::from_entries(sizes.to_vec(), state).expect("contraction yields one entry per index")
    }

    /// The whole dense tensor.
    pub fn contract(&self) -> Tensor<S> {
        self.contract_box(&self.mode_sizes())
    }

    /// The same train over another scalar.
    pub fn map<T: Scalar>(&self, f: impl Fn(&S) -> T + Copy) -> TensorTrain<T> {
        TensorTrain {
            cores: self.cores.iter().map(|c| c.map(f)).collect(),
        }
    }
}

/// `v · G[:, i, :]`, skipping zeros on both sides.
fn vector_times_slice<S: Scalar>(v: &[S], core: &Core<S>, i: usize) -> Vec<S> {
    let mut out = vec![S::zero_value(); core.right];
    for (a, x) in v.iter().enumerate().filter(|(_, x)| !x.vanishes()) {
        for (b, g) in core.row_nonzeros(a, i) {
            out[b].add_product(x, g);
        }
    }
    out
}

/// Which core of an HT network is asked for: a leaf matrix, or a transfer tensor with its
/// children's edge dimensions (at the root its parent edge is 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HtPart {
    Leaf { mode: usize },
    Transfer { left: usize, right: usize, root: bool },
}

/// A node of a hierarchical Tucker network: a leaf carries a mode, an internal node two children.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HtNode {
    /// Leaf matrix `U[1, i, a]` (a core `1 x n x r`) for one mode.
    Leaf { mode: usize, matrix: Core },
    /// Transfer tensor `B[a, b, c]`: left child's edge, right child's edge, parent edge (1 at the root).
    Internal {
        left: Box<HtNode>,
        right: Box<HtNode>,
        transfer: Core,
    },
}

impl HtNode {
    /// A balanced binary tree over `modes` (left half the smaller), its cores made by `core` in
    /// post-order (left subtree, right subtree, then the node).
    pub fn balanced<E>(
        modes: std::ops::Range<usize>,
        core: &mut impl FnMut(HtPart) -> Result<Core, E>,
    ) -> Result<HtNode, E> {
        HtNode::build(modes, core, true)
    }

    fn build<E>(
        modes: std::ops::Range<usize>,
        core: &mut impl FnMut(HtPart) -> Result<Core, E>,
        root: bool,
    ) -> Result<HtNode, E> {
        if modes.len() == 1 {
            return Ok(HtNode::Leaf {
                mode: modes.start,
                matrix: core(HtPart::Leaf { mode: modes.start })?,
            });
        }
        let mid = modes.start + modes.len() / 2;
        let left = HtNode::build(modes.start..mid, core, false)?;
        let right = HtNode::build(mid..modes.end, core, false)?;
        let transfer = core(HtPart::Transfer {
            left: left.edge(),
            right: right.edge(),
            root,
        })?;
        Ok(HtNode::Internal {
            left: Box::new(left),
            right: Box::new(right),
            transfer,
        })
    }

    /// The dimension of the edge to the parent.
    pub fn edge(&self) -> usize {
        match self {
            HtNode::Leaf { matrix, .. } => matrix.right,
            HtNode::Internal { transfer, .. } => transfer.right,
        }
    }

    /// The node's tensor `T[i_modes..., c]`, big-endian over its modes, then the parent edge.
    fn contract<S: Scalar>(&self, convert: &impl Fn(&Q) -> S) -> Vec<S> {
        match self {
            HtNode::Leaf { matrix, .. } => matrix.map(convert).entries,
            HtNode::Internal { left, right, transfer } => {
                let (l, r) = (left.contract(convert), right.contract(convert));
                let (el, er, ep) = (left.edge(), right.edge(), transfer.right);
                let transfer = transfer.map(convert);
                let (nl, nr) = (l.len() / el, r.len() / er);
                let mut out = vec![S::zero_value(); nl * nr * ep];
                for (x, lx) in l.chunks(el).enumerate() {
                    for (y, ry) in r.chunks(er).enumerate() {
                        let slot = &mut out[(x * nr + y) * ep..(x * nr + y + 1) * ep];
                        for (a, la) in lx.iter().enumerate().filter(|(_, v)| !v.vanishes()) {
                            for (b, rb) in ry.iter().enumerate().filter(|(_, v)| !v.vanishes()) {
                                let mut w = S::zero_value();
                                w.add_product(la, rb);
                                for (c, t) in transfer.row_nonzeros(a, b) {
                                    slot[c].add_product(&w, t);
                                }
                            }
                        }
                    }
                }
                out
            }
        }
    }
}

/// A network as the case file gave it: its named cores and the tensor they make.
#[derive(Clone, Debug)]
pub enum Network {
    /// A different core `G_k` at every position.
    Tt(TensorTrain),
    /// `first`, then `inner` at positions 2..d-1, then `last`.
    TtEqual {
        first: Core,
        inner: Option<Core>,
        last: Core,
        train: TensorTrain,
    },
    /// `X = sum_a lambda_a V_1[1,i_1,a] ... V_d[1,i_d,a]`: factor matrices as cores `1 x n x R`,
    /// the weights (if the case gives them) as a core `1 x 1 x R`.
    Cp { factors: Vec<Core>, weights: Option<Core> },
    /// Hierarchical Tucker on a balanced binary tree over the modes.
    Ht { root: HtNode, sizes: Vec<usize> },
    /// A generalized shallow network or RNN; its tensor is the grid tensor.
    Generalized(Box<generalized::Generalized>),
}

impl Network {
    /// An equal-core tensor train of order `d >= 2` (`inner` is required exactly when `d > 2`).
    pub fn tt_equal(first: Core, inner: Option<Core>, last: Core, d: usize) -> Result<Network, String> {
        if d < 2 {
            return Err(format!("an equal-core tensor train needs d >= 2, got d = {d}"));
        }
        let mut cores = vec![first.clone()];
        match &inner {
            Some(g) => cores.extend(std::iter::repeat_n(g, d - 2).cloned()),
            None if d > 2 => return Err("an equal-core tensor train with d > 2 needs an inner core".into()),
            None => {}
        }
        cores.push(last.clone());
        let train = TensorTrain::new(cores)?;
        Ok(Network::TtEqual {
            first,
            inner,
            last,
            train,
        })
    }

    /// The tensor train, for the kinds that are one.
    pub fn train(&self) -> Option<&TensorTrain> {
        match self {
            Network::Tt(train) | Network::TtEqual { train, .. } => Some(train),
            Network::Cp { .. } | Network::Ht { .. } | Network::Generalized(_) => None,
        }
    }

    /// The construction's kind as certificates name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Network::Tt(_) => "tt",
            Network::TtEqual { .. } => "tt-equal",
            Network::Cp { .. } => "cp",
            Network::Ht { .. } => "ht",
            Network::Generalized(g) => g.body.kind(),
        }
    }

    pub fn mode_sizes(&self) -> Vec<usize> {
        match self {
            Network::Tt(train) | Network::TtEqual { train, .. } => train.mode_sizes(),
            Network::Cp { factors, .. } => factors.iter().map(|f| f.modes).collect(),
            Network::Ht { sizes, .. } => sizes.clone(),
            Network::Generalized(g) => vec![g.body.templates(); g.body.length()],
        }
    }

    /// The distinct cores with their names: `G1..Gd`; `first`, `inner`, `last`; `lambda`, `V1..Vd`; or the
    /// HT leaves `U1..Ud` and transfer tensors `B1..` in post-order.
    pub fn named_cores(&self) -> Vec<(String, &Core)> {
        match self {
            Network::Tt(train) => train
                .cores
                .iter()
                .enumerate()
                .map(|(k, c)| (format!("G{}", k + 1), c))
                .collect(),
            Network::TtEqual { first, inner, last, .. } => std::iter::once(("first".to_string(), first))
                .chain(inner.iter().map(|g| ("inner".to_string(), g)))
                .chain(std::iter::once(("last".to_string(), last)))
                .collect(),
            Network::Cp { factors, weights } => (weights.iter().map(|w| ("lambda".to_string(), w)))
                .chain(factors.iter().enumerate().map(|(k, c)| (format!("V{}", k + 1), c)))
                .collect(),
            Network::Ht { root, .. } => {
                let mut named = Vec::new();
                let mut transfers = 0;
                ht_cores(root, &mut named, &mut transfers);
                named
            }
            Network::Generalized(g) => g.named_cores(),
        }
    }

    /// The dense tensor over `S`, each core entry converted by `convert` (for a generalized
    /// network: its grid tensor, computed over Q and then converted).
    pub fn dense<S: Scalar>(&self, convert: impl Fn(&Q) -> S + Copy) -> Tensor<S> {
        let sizes = self.mode_sizes();
        let entries = match self {
            Network::Tt(train) | Network::TtEqual { train, .. } => return train.map(convert).contract(),
            Network::Cp { factors, weights } => cp_dense(
                &factors.iter().map(|f| f.map(convert)).collect::<Vec<_>>(),
                weights.as_ref().map(|w| w.map(convert)).as_ref(),
            ),
            // The tree lists the modes in order, so its big-endian layout is the tensor's.
            Network::Ht { root, .. } => root.contract(&convert),
            Network::Generalized(g) => g.grid.entries().iter().map(convert).collect(),
        };
        Tensor::from_entries(sizes, entries).expect("contraction yields one entry per index")
    }

    /// The dense tensor mod `modp::PRIME` (cores must have denominators prime to it).
    pub fn dense_mod_p(&self) -> Tensor<Residue> {
        self.dense(|q| Residue(modp::of_rational(q).expect("drawn denominators are below the prime")))
    }
}

fn ht_cores<'a>(node: &'a HtNode, named: &mut Vec<(String, &'a Core)>, transfers: &mut usize) {
    match node {
        HtNode::Leaf { mode, matrix } => named.push((format!("U{}", mode + 1), matrix)),
        HtNode::Internal { left, right, transfer } => {
            ht_cores(left, named, transfers);
            ht_cores(right, named, transfers);
            *transfers += 1;
            named.push((format!("B{transfers}"), transfer));
        }
    }
}

/// `X[i] = sum_a lambda_a prod_k V_k[1, i_k, a]` (lambda_a = 1 without weights), big-endian.
fn cp_dense<S: Scalar>(factors: &[Core<S>], weights: Option<&Core<S>>) -> Vec<S> {
    let rank = factors.first().map_or(0, |f| f.right);
    // Rows of the partial products lambda_a prod_{k <= m} V_k[1, i_k, a] for each prefix, width `rank`.
    let mut state = match weights {
        Some(w) => (0..rank).map(|a| w.get(0, 0, a).clone()).collect(),
        None => vec![S::one_value(); rank],
    };
    for f in factors {
        let mut next = Vec::with_capacity(state.len() * f.modes);
        for prefix in state.chunks(rank.max(1)) {
            for i in 0..f.modes {
                next.extend(prefix.iter().enumerate().map(|(a, x)| {
                    let mut y = S::zero_value();
                    y.add_product(x, f.get(0, i, a));
                    y
                }));
            }
        }
        state = next;
    }
    state
        .chunks(rank.max(1))
        .map(|terms| {
            let mut sum = S::zero_value();
            for t in terms.iter().take(rank) {
                sum.add_product(t, &S::one_value());
            }
            sum
        })
        .collect()
}

/// Random small tensor trains for property tests.
#[cfg(test)]
pub(crate) mod strategies {
    use super::*;
    use crate::field::q_int;
    use proptest::prelude::*;

    /// A core from its entries in `(a, i, b)` order.
    pub fn core(left: usize, modes: usize, right: usize, values: &[i64]) -> Core {
        Core::from_fn(left, modes, right, |a, i, b| {
            Ok::<_, ()>(q_int(values[(a * modes + i) * right + b]))
        })
        .unwrap()
    }

    /// Orders 1..4, mode sizes and bonds 1..3, integer entries in `-3..4`; `sparse` reads the
    /// negative draws as 0, so that about half the entries vanish.
    pub fn random_train(sparse: bool) -> impl Strategy<Value = TensorTrain> {
        (
            1usize..5,
            prop::collection::vec(1usize..4, 4),
            prop::collection::vec(1usize..4, 3),
        )
            .prop_flat_map(move |(d, modes, bonds)| {
                (0..d)
                    .map(|k| {
                        let left = if k == 0 { 1 } else { bonds[k - 1] };
                        let right = if k + 1 == d { 1 } else { bonds[k] };
                        let n = modes[k];
                        prop::collection::vec(-3i64..4, left * n * right).prop_map(move |v| {
                            let v: Vec<i64> = v.iter().map(|&x| if sparse { x.max(0) } else { x }).collect();
                            core(left, n, right, &v)
                        })
                    })
                    .collect::<Vec<_>>()
            })
            .prop_map(|cores| TensorTrain::new(cores).unwrap())
    }
}

#[cfg(test)]
mod tests {
    use super::strategies::{core, random_train};
    use super::*;
    use crate::field::q_int;
    use crate::tensor::next_index;
    use proptest::prelude::*;

    #[test]
    fn entry_is_a_product_of_matrices_by_hand() {
        // G1[1,i,:] = (1, i), G2[:,j,1] = (j, 2)^T with i, j in {0, 1}: X[i,j] = j + 2 i.
        let t = TensorTrain::new(vec![core(1, 2, 2, &[1, 0, 1, 1]), core(2, 2, 1, &[0, 1, 2, 2])]).unwrap();
        let x = t.contract();
        assert_eq!(x.entries(), &[q_int(0), q_int(1), q_int(2), q_int(3)]);
    }

    #[test]
    fn bonds_must_fit() {
        let err = TensorTrain::new(vec![core(1, 1, 2, &[1, 1]), core(3, 1, 1, &[1, 1, 1])]).unwrap_err();
        assert_eq!(err, "core 1 has right size 2 but core 2 has left size 3");
        assert!(TensorTrain::new(vec![core(2, 1, 1, &[1, 1])]).is_err());
        assert!(Network::tt_equal(core(1, 1, 1, &[1]), None, core(1, 1, 1, &[1]), 3).is_err());
    }

    proptest! {
        /// Contraction to a dense tensor equals entry-wise evaluation of the matrix product.
        #[test]
        fn contraction_equals_entrywise_product(t in random_train(false)) {
            let x = t.contract();
            let shape = t.mode_sizes();
            let mut index = vec![0; shape.len()];
            loop {
                prop_assert_eq!(x.get(&index), &t.entry(&index));
                if !next_index(&shape, &mut index) { break; }
            }
        }

        /// A box contraction is the restriction of the full one.
        #[test]
        fn box_contraction_is_a_restriction(t in random_train(false)) {
            let full = t.contract();
            let sizes: Vec<usize> = t.mode_sizes().iter().map(|&n| n.div_ceil(2)).collect();
            let part = t.contract_box(&sizes);
            let mut index = vec![0; sizes.len()];
            loop {
                prop_assert_eq!(part.get(&index), full.get(&index));
                if !next_index(&sizes, &mut index) { break; }
            }
        }
    }
}
