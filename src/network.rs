//! Tensor networks: TT cores, tensor trains with cores per position, equal-core tensor trains
//! (the RNN case), CP (shallow) networks and hierarchical Tucker (HT) networks on a balanced
//! binary tree. It owns shapes, single-entry evaluation and contraction to a dense tensor over any
//! `Scalar` (exact `Q`, or residues mod p), the cut bound of a network's graph (`cut`), exact TT
//! decomposition (`decompose`), generalized networks (`generalized`) and the assembly of a
//! train's matricization by matrix products (`assembly`), using `linalg`'s kernels;
//! it decides no claims and knows nothing of case files.

pub mod assembly;
pub mod conversion;
pub mod cp_expansion;
pub mod cut;
mod decompose;
pub mod generalized;
pub mod ht;
pub mod periodic;
pub mod sparse;

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

/// A named tensor as certificates list it: a core `l x n x r` or an HT node tensor, entries
/// big-endian over its shape.
#[derive(Clone, Debug)]
pub struct Listed<'a> {
    pub name: String,
    pub shape: Vec<usize>,
    pub entries: &'a [Q],
}

impl Listed<'_> {
    /// The non-zero entries with their 0-based multi-indices, in big-endian order.
    pub fn nonzeros(&self) -> impl Iterator<Item = (Vec<usize>, &Q)> {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.vanishes())
            .map(|(pos, v)| (crate::tensor::index_of(&self.shape, pos), v))
    }
}

impl Core {
    /// The core as a listed tensor of shape `left x modes x right`.
    pub fn listed(&self, name: String) -> Listed<'_> {
        Listed {
            name,
            shape: vec![self.left, self.modes, self.right],
            entries: &self.entries,
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

    /// The number of non-zero paths `(i_1, a_1, i_2, ..., a_(d-1), i_d)`, those whose core
    /// entries `G_1[1,i_1,a_1], ..., G_d[a_(d-1),i_d,1]` are all non-zero (saturating): a bound
    /// on the non-zero entries of the tensor, each of which is a sum over such paths.
    pub fn support_paths(&self) -> u128 {
        // prefix[b]: the non-zero paths through the cores so far that end at bond value b.
        let mut prefix = vec![1u128];
        for core in &self.cores {
            let mut next = vec![0u128; core.right];
            for (a, _, b, _) in core.nonzeros() {
                next[b] = next[b].saturating_add(prefix[a]);
            }
            prefix = next;
        }
        prefix.first().copied().unwrap_or(0)
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
    /// Hierarchical Tucker over a mode tree, in either node form.
    Ht(ht::HtNetwork<Q>),
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
            Network::Cp { .. } | Network::Ht(_) | Network::Generalized(_) => None,
        }
    }

    /// The construction's kind as certificates name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Network::Tt(_) => "tt",
            Network::TtEqual { .. } => "tt-equal",
            Network::Cp { .. } => "cp",
            Network::Ht(_) => "ht",
            Network::Generalized(g) => g.body.kind(),
        }
    }

    pub fn mode_sizes(&self) -> Vec<usize> {
        match self {
            Network::Tt(train) | Network::TtEqual { train, .. } => train.mode_sizes(),
            Network::Cp { factors, .. } => factors.iter().map(|f| f.modes).collect(),
            Network::Ht(net) => net.sizes().to_vec(),
            Network::Generalized(g) => vec![g.body.templates(); g.body.length()],
        }
    }

    /// The tensors a certificate lists, with their names: the cores `G1..Gd`; `first`,
    /// `inner`, `last`; `lambda`, `V1..Vd`; a generalized network's; or the HT node tensors in post-order,
    /// leaves `U1..Ud` and internal nodes `B1..`.
    pub fn listed(&self) -> Vec<Listed<'_>> {
        let cores: Vec<(String, &Core)> = match self {
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
            Network::Ht(net) => {
                return ht::names(net.tree())
                    .into_iter()
                    .zip(net.parts())
                    .map(|(name, part)| Listed {
                        name,
                        shape: part.shape.clone(),
                        entries: &part.entries,
                    })
                    .collect()
            }
            Network::Generalized(g) => g.named_cores(),
        };
        cores.into_iter().map(|(name, core)| core.listed(name)).collect()
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
            Network::Ht(net) => net
                .try_map(|q| Ok::<_, std::convert::Infallible>(convert(q)))
                .unwrap_or_else(|never| match never {})
                .dense(),
            Network::Generalized(g) => g.grid.entries().iter().map(convert).collect(),
        };
        Tensor::from_entries(sizes, entries).expect("contraction yields one entry per index")
    }

    /// The dense tensor mod `modp::PRIME` (cores must have denominators prime to it).
    pub fn dense_mod_p(&self) -> Tensor<Residue> {
        self.dense(|q| Residue(modp::of_rational(q).expect("drawn denominators are below the prime")))
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

    /// The copy tensor `sum_i e_i (x) ... (x) e_i` of order `d >= 2` and mode size `n` as a train
    /// with bonds `n`: `G_1[1,i,b] = [i == b]`, `G_k[a,i,b] = [a == i == b]`, `G_d[a,i,1] = [a == i]`.
    pub fn copy_train(n: usize, d: usize) -> TensorTrain {
        let q = |x: bool| Ok::<_, ()>(q_int(i64::from(x)));
        let first = Core::from_fn(1, n, n, |_, i, b| q(i == b)).unwrap();
        let inner = Core::from_fn(n, n, n, |a, i, b| q(a == i && i == b)).unwrap();
        let last = Core::from_fn(n, n, 1, |a, i, _| q(a == i)).unwrap();
        let mut cores = vec![first];
        cores.extend(std::iter::repeat_n(inner, d - 2));
        cores.push(last);
        TensorTrain::new(cores).unwrap()
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
