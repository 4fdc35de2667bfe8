//! Conversions between network kinds (SPEC §8; Theorem 2 and Table 2 of Khrulkov, Novikov,
//! Oseledets 2018): explicit constructions that write a network's tensor as another kind of
//! network, with their ranks known from the shapes alone, before anything is built.
//!
//! - A TT as an HT over any tree (Grasedyck 2010, §5.3.2): a node carries the bonds of the train
//!   that cross the boundary of its modes, its rank their product; a leaf is its core, a node
//!   a tensor of 0/1 that matches each bond's values. On the balanced tree a node cuts at most
//!   two bonds: HT-ranks <= r^2.
//! - An HT as a TT: bond k carries the maximal subtrees on one side of it, its dimension their
//!   ranks' product; the left side up to a switch bond, the right side after it (chosen to make
//!   the largest bond smallest). A core passes the subtrees it does not touch through unchanged
//!   and joins mode k into the subtree that contains it, opened subtrees standing in as
//!   identities. On the balanced tree of d = 2^L modes the largest bond is r^(L - 1) (d >= 4).
//! - A CP network of rank R as a TT of bond dimensions R (diagonal cores) and as a `convac` HT
//!   of ranks R over any tree (nodes the identity, the root the weights).
//! - A TT as itself, an HT as itself over its own tree.
//!
//! It owns the constructions and their shapes; whether one equals its source tensor, and what
//! its ranks prove, is the claim's to check (and the kernel's, from the listed result).

use super::cp_expansion::weight;
use super::ht::{self, Form, HtNetwork, ModeTree, Part};
use super::{Core, Network, TensorTrain};
use crate::field::{Scalar, Q};
use crate::tensor::index_of;
use std::fmt;

/// The kind of network a conversion writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Tt,
    Ht(ModeTree),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Tt => f.write_str("a TT"),
            Target::Ht(tree) => write!(f, "an HT over the tree {tree}"),
        }
    }
}

/// Which construction applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Construction {
    /// The network is already of the target kind (an HT: over the target's tree).
    Same,
    /// A TT as an HT: each node the bonds crossing its boundary.
    TtToHt,
    /// An HT as a TT: bonds 1..=switch carry the maximal subtrees on their left, the others those
    /// on their right.
    HtToTt { switch: usize },
    /// A CP network as a TT with diagonal cores.
    CpToTt,
    /// A CP network as a `convac` HT whose nodes are identities and whose root is the weights.
    CpToHt,
}

impl Construction {
    /// The construction in words, as the certificate names it.
    pub fn describe(self) -> String {
        match self {
            Construction::Same => "the network itself".to_string(),
            Construction::TtToHt => "a TT as an HT (Grasedyck 2010, section 5.3.2): a node carries the bonds crossing the boundary of its modes, its tensor 0/1 matching each bond's values".to_string(),
            Construction::HtToTt { switch } => format!(
                "an HT as a TT: bonds 1..{switch} carry the maximal subtrees left of them, the others those right of them, each core joining its mode into the subtree containing it"
            ),
            Construction::CpToTt => "a CP network as a TT: G_1[1,i,a] = lambda_a V_1[1,i,a], G_k[a,i,a] = V_k[1,i,a]".to_string(),
            Construction::CpToHt => "a CP network as a convac HT: leaves U_m[i,a] = V_m[1,i,a], nodes the identity, the root the weights lambda".to_string(),
        }
    }
}

/// A conversion before it is built: the construction, the ranks it gives (a TT's bonds 1..d-1,
/// an HT's nodes below the root in post-order) and how many entries its tensors have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub construction: Construction,
    pub ranks: Vec<usize>,
    pub entries: u128,
}

/// Why a network has no conversion here.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoConversion {
    #[error("a '{kind}' network has no conversion to {target}")]
    Kind { kind: &'static str, target: String },
    #[error("an HT network converts to an HT over its own tree {own} only, not over {target}")]
    OtherTree { own: String, target: String },
}

/// The nodes of a tree in post-order, with their modes as bit masks (d <= 64), parents and
/// children.
struct Nodes<'t> {
    post: Vec<&'t ModeTree>,
    masks: Vec<u64>,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
}

impl<'t> Nodes<'t> {
    fn of(tree: &'t ModeTree) -> Nodes<'t> {
        let post = tree.post_order();
        let mut masks = Vec::with_capacity(post.len());
        let mut parent = vec![None; post.len()];
        let mut children = vec![Vec::new(); post.len()];
        let mut stack: Vec<usize> = Vec::new();
        for (j, node) in post.iter().enumerate() {
            let mask = match node {
                ModeTree::Leaf(m) => 1u64 << m,
                ModeTree::Node(kids) => {
                    let below = stack.split_off(stack.len() - kids.len());
                    for &c in &below {
                        parent[c] = Some(j);
                    }
                    let mask = below.iter().fold(0, |acc, &c| acc | masks[c]);
                    children[j] = below;
                    mask
                }
            };
            masks.push(mask);
            stack.push(j);
        }
        Nodes {
            post,
            masks,
            parent,
            children,
        }
    }

    fn root(&self) -> usize {
        self.post.len() - 1
    }

    /// The maximal subtrees inside the set of modes `set`, ordered by their smallest mode.
    fn maximal(&self, set: u64) -> Vec<usize> {
        let inside = |j: usize| self.masks[j] & !set == 0;
        let mut found: Vec<usize> = (0..self.post.len())
            .filter(|&j| inside(j) && self.parent[j].is_none_or(|p| !inside(p)))
            .collect();
        found.sort_by_key(|&j| self.masks[j].trailing_zeros());
        found
    }

    fn contains(&self, outer: usize, inner: usize) -> bool {
        self.masks[inner] & !self.masks[outer] == 0
    }
}

/// The modes `0..k` as a mask.
fn prefix(k: usize) -> u64 {
    if k >= 64 {
        u64::MAX
    } else {
        (1u64 << k) - 1
    }
}

fn all(d: usize) -> u64 {
    prefix(d)
}

fn product(ranks: impl IntoIterator<Item = usize>) -> u128 {
    ranks.into_iter().fold(1u128, |p, r| p.saturating_mul(r as u128))
}

/// The bonds (1..d-1; bond e joins modes e-1 and e) crossing the boundary of the modes `mask`.
fn crossing(mask: u64, d: usize) -> Vec<usize> {
    (1..d).filter(|&e| (mask >> (e - 1) & 1) != (mask >> e & 1)).collect()
}

/// How `network` converts to `target`, with the ranks and size of the result.
pub fn plan(network: &Network, target: &Target) -> Result<Plan, NoConversion> {
    let sizes = network.mode_sizes();
    let d = sizes.len();
    let no = || NoConversion::Kind {
        kind: network.kind(),
        target: target.to_string(),
    };
    match (network, target) {
        (Network::Tt(train) | Network::TtEqual { train, .. }, Target::Tt) => {
            let bonds = train.bond_dims();
            Ok(Plan {
                construction: Construction::Same,
                ranks: bonds[1..d].to_vec(),
                entries: train.cores().iter().map(|c| c.entries_count() as u128).sum(),
            })
        }
        (Network::Tt(train) | Network::TtEqual { train, .. }, Target::Ht(tree)) => {
            let bonds = train.bond_dims();
            let nodes = Nodes::of(tree);
            let rank = |j: usize| product(crossing(nodes.masks[j], d).into_iter().map(|e| bonds[e]));
            let ranks: Vec<u128> = (0..nodes.post.len()).map(rank).collect();
            let entries = (0..nodes.post.len())
                .map(|j| match nodes.post[j] {
                    ModeTree::Leaf(m) => (sizes[*m] as u128).saturating_mul(ranks[j]),
                    ModeTree::Node(_) => nodes.children[j]
                        .iter()
                        .fold(ranks[j], |p, &c| p.saturating_mul(ranks[c])),
                })
                .fold(0u128, u128::saturating_add);
            Ok(Plan {
                construction: Construction::TtToHt,
                ranks: below_root(&ranks),
                entries,
            })
        }
        (Network::Ht(net), Target::Tt) => {
            let (switch, dims) = switch_bond(net);
            let entries = (1..=d)
                .map(|k| dims[k - 1].saturating_mul(sizes[k - 1] as u128).saturating_mul(dims[k]))
                .fold(0u128, u128::saturating_add);
            Ok(Plan {
                construction: Construction::HtToTt { switch },
                ranks: dims[1..d]
                    .iter()
                    .map(|&r| usize::try_from(r).unwrap_or(usize::MAX))
                    .collect(),
                entries,
            })
        }
        (Network::Ht(net), Target::Ht(tree)) => {
            if net.tree() != tree {
                return Err(NoConversion::OtherTree {
                    own: net.tree().to_string(),
                    target: tree.to_string(),
                });
            }
            let ranks: Vec<u128> = net.parts().iter().map(|p| p.edge() as u128).collect();
            Ok(Plan {
                construction: Construction::Same,
                ranks: below_root(&ranks),
                entries: net.parts().iter().map(|p| p.entries.len() as u128).sum(),
            })
        }
        (Network::Cp { factors, .. }, target) => {
            let rank = factors.first().map_or(0, |f| f.shape().2);
            let r = rank as u128;
            let (construction, ranks, entries) = match target {
                Target::Tt => {
                    let entries = sizes.iter().enumerate().map(|(k, &n)| {
                        let left = if k == 0 { 1 } else { r };
                        let right = if k + 1 == d { 1 } else { r };
                        left * n as u128 * right
                    });
                    (Construction::CpToTt, vec![rank; d.saturating_sub(1)], entries.sum())
                }
                Target::Ht(tree) => {
                    let nodes = Nodes::of(tree);
                    let entries = (0..nodes.post.len()).map(|j| match nodes.post[j] {
                        ModeTree::Leaf(m) => sizes[*m] as u128 * if j == nodes.root() { 1 } else { r },
                        ModeTree::Node(_) => r * if j == nodes.root() { 1 } else { r },
                    });
                    (Construction::CpToHt, vec![rank; nodes.post.len() - 1], entries.sum())
                }
            };
            Ok(Plan {
                construction,
                ranks,
                entries,
            })
        }
        (Network::Generalized(_), _) => Err(no()),
    }
}

fn below_root(ranks: &[u128]) -> Vec<usize> {
    ranks[..ranks.len().saturating_sub(1)]
        .iter()
        .map(|&r| usize::try_from(r).unwrap_or(usize::MAX))
        .collect()
}

/// An HT's TT bond dimensions r_0..r_d for a switch bond m (bonds 1..=m left, the rest right):
/// the products of the ranks of the maximal subtrees on that side.
fn bond_dims(nodes: &Nodes, net: &HtNetwork<Q>, m: usize) -> Vec<u128> {
    let d = net.sizes().len();
    (0..=d)
        .map(|k| product(interface(nodes, d, m, k).into_iter().map(|j| net.parts()[j].edge())))
        .collect()
}

/// The subtrees bond k carries under switch m: left of it for k <= m, right of it otherwise.
fn interface(nodes: &Nodes, d: usize, m: usize, k: usize) -> Vec<usize> {
    if k <= m {
        nodes.maximal(prefix(k))
    } else {
        nodes.maximal(all(d) & !prefix(k))
    }
}

/// The switch bond that makes the largest bond dimension smallest (then their sum, then the
/// switch), with the bond dimensions it gives.
fn switch_bond(net: &HtNetwork<Q>) -> (usize, Vec<u128>) {
    let nodes = Nodes::of(net.tree());
    let d = net.sizes().len();
    (0..d)
        .map(|m| (m, bond_dims(&nodes, net, m)))
        .min_by_key(|(m, dims)| {
            let max = dims.iter().copied().max().unwrap_or(1);
            let sum = dims.iter().fold(0u128, |s, &r| s.saturating_add(r));
            (max, sum, *m)
        })
        .unwrap_or((0, vec![1, 1]))
}

/// Builds the conversion `plan` describes (size it first: `plan.entries`).
pub fn build(network: &Network, target: &Target, plan: &Plan) -> Network {
    match (plan.construction, network, target) {
        (Construction::Same, Network::Tt(train) | Network::TtEqual { train, .. }, _) => Network::Tt(train.clone()),
        (Construction::Same, Network::Ht(net), _) => Network::Ht(net.clone()),
        (Construction::TtToHt, Network::Tt(train) | Network::TtEqual { train, .. }, Target::Ht(tree)) => {
            Network::Ht(tt_to_ht(train, tree))
        }
        (Construction::HtToTt { switch }, Network::Ht(net), _) => Network::Tt(ht_to_tt(net, switch)),
        (Construction::CpToTt, Network::Cp { factors, weights }, _) => Network::Tt(cp_to_tt(factors, weights.as_ref())),
        (Construction::CpToHt, Network::Cp { factors, weights }, Target::Ht(tree)) => {
            Network::Ht(cp_to_ht(factors, weights.as_ref(), tree))
        }
        _ => unreachable!("a plan is built for its own network and target"),
    }
}

/// Big-endian position of `values` over `dims`.
fn position(values: impl IntoIterator<Item = usize>, dims: impl IntoIterator<Item = usize>) -> usize {
    values.into_iter().zip(dims).fold(0, |acc, (v, n)| acc * n + v)
}

/// Every assignment of values below `dims`, big-endian.
fn assignments(dims: &[usize]) -> impl Iterator<Item = Vec<usize>> + '_ {
    (0..dims.iter().product()).map(move |pos| index_of(dims, pos))
}

fn tt_to_ht(train: &TensorTrain, tree: &ModeTree) -> HtNetwork<Q> {
    let bonds = train.bond_dims();
    let d = train.order();
    let nodes = Nodes::of(tree);
    let cross: Vec<Vec<usize>> = nodes.masks.iter().map(|&m| crossing(m, d)).collect();
    let dims_of = |j: usize| -> Vec<usize> { cross[j].iter().map(|&e| bonds[e]).collect() };
    let rank = |j: usize| dims_of(j).iter().product::<usize>();
    let mut parts = Vec::with_capacity(nodes.post.len());
    for (j, node) in nodes.post.iter().enumerate() {
        let part = match node {
            ModeTree::Leaf(m) => {
                let core = &train.cores()[*m];
                let n = core.shape().1;
                let mut entries = vec![Q::zero_value(); n * rank(j)];
                // The leaf's bonds: m (left, when m > 0) and m + 1 (right, when m + 1 < d).
                for (p, values) in assignments(&dims_of(j)).enumerate() {
                    let value = |e: usize| cross[j].iter().position(|&x| x == e).map_or(0, |at| values[at]);
                    for i in 0..n {
                        entries[i * rank(j) + p] = core.get(value(*m), i, value(m + 1)).clone();
                    }
                }
                Part {
                    shape: vec![n, rank(j)],
                    entries,
                }
            }
            ModeTree::Node(_) => {
                let kids = &nodes.children[j];
                let shape: Vec<usize> = kids.iter().map(|&c| rank(c)).chain([rank(j)]).collect();
                let mut entries = vec![Q::zero_value(); shape.iter().product()];
                // Every bond of a child is the parent's or another child's: one non-zero entry per
                // assignment of the children's bonds.
                let mut all_bonds: Vec<usize> = kids.iter().flat_map(|&c| cross[c].clone()).collect();
                all_bonds.sort_unstable();
                all_bonds.dedup();
                let dims: Vec<usize> = all_bonds.iter().map(|&e| bonds[e]).collect();
                for values in assignments(&dims) {
                    let of = |bonds_of: &[usize]| {
                        position(
                            bonds_of.iter().map(|e| values[all_bonds.binary_search(e).unwrap_or(0)]),
                            bonds_of.iter().map(|&e| bonds[e]),
                        )
                    };
                    let index = kids.iter().map(|&c| of(&cross[c])).chain([of(&cross[j])]);
                    entries[position(index, shape.iter().copied())] = Q::one_value();
                }
                Part { shape, entries }
            }
        };
        parts.push(part);
    }
    HtNetwork::new(tree.clone(), Form::General, train.mode_sizes(), parts)
        .expect("the construction gives every node the shape of its bonds")
}

/// What stands at a free index of an opened subtree's tensor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    /// An opened subtree: its edge's value.
    Open(usize),
    /// The core's mode.
    Mode,
}

/// The tensor of the subtree `top` with the subtrees `opened` replaced by identities and its
/// one remaining leaf as is: rows over its free indices (in tree order), each of length its edge.
fn opened_frame(nodes: &Nodes, net: &HtNetwork<Q>, top: usize, opened: &[usize]) -> (Vec<Q>, Vec<Slot>) {
    let part = &net.parts()[top];
    if opened.contains(&top) {
        let r = part.edge();
        let mut identity = vec![Q::zero_value(); r * r];
        for x in 0..r {
            identity[x * r + x] = Q::one_value();
        }
        return (identity, vec![Slot::Open(top)]);
    }
    match nodes.post[top] {
        ModeTree::Leaf(_) => (part.entries.clone(), vec![Slot::Mode]),
        ModeTree::Node(_) => {
            let mut below = Vec::new();
            let mut slots = Vec::new();
            for &c in &nodes.children[top] {
                let (rows, s) = opened_frame(nodes, net, c, opened);
                below.push((rows, net.parts()[c].edge()));
                slots.extend(s);
            }
            (ht::node_tensor(net.form(), part, below), slots)
        }
    }
}

fn ht_to_tt(net: &HtNetwork<Q>, switch: usize) -> TensorTrain {
    let nodes = Nodes::of(net.tree());
    let sizes = net.sizes();
    let d = sizes.len();
    let edge = |j: usize| net.parts()[j].edge();
    let cores = (1..=d)
        .map(|k| {
            let mode = k - 1;
            let left = interface(&nodes, d, switch, k - 1);
            let right = interface(&nodes, d, switch, k);
            let holding = |side: &[usize]| side.iter().copied().find(|&j| nodes.masks[j] >> mode & 1 == 1);
            // The subtree the core joins its mode into, and the subtrees it opens inside it.
            let (top, opened): (usize, Vec<usize>) = match (k - 1 <= switch, k <= switch) {
                (true, true) => {
                    let top = holding(&right).expect("the left side of bond k holds mode k");
                    (top, left.iter().copied().filter(|&j| nodes.contains(top, j)).collect())
                }
                (true, false) => (nodes.root(), left.iter().chain(&right).copied().collect()),
                (false, _) => {
                    let top = holding(&left).expect("the right side of bond k-1 holds mode k");
                    (top, right.iter().copied().filter(|&j| nodes.contains(top, j)).collect())
                }
            };
            let (frame, slots) = opened_frame(&nodes, net, top, &opened);
            let width = edge(top);
            let kept: Vec<usize> = left.iter().copied().filter(|j| right.contains(j)).collect();
            let kept_dims: Vec<usize> = kept.iter().map(|&j| edge(j)).collect();
            let slot_dims: Vec<usize> = slots
                .iter()
                .map(|s| match s {
                    Slot::Open(j) => edge(*j),
                    Slot::Mode => sizes[mode],
                })
                .collect();
            let (l, r) = (
                left.iter().map(|&j| edge(j)).product::<usize>(),
                right.iter().map(|&j| edge(j)).product::<usize>(),
            );
            let n = sizes[mode];
            let mut entries = vec![Q::zero_value(); l * n * r];
            let mut value: Vec<usize> = vec![0; nodes.post.len()];
            for kept_values in assignments(&kept_dims) {
                for (&j, &v) in kept.iter().zip(&kept_values) {
                    value[j] = v;
                }
                for (row, slot_values) in frame.chunks(width).zip(assignments(&slot_dims)) {
                    let mut i = 0;
                    for (slot, &v) in slots.iter().zip(&slot_values) {
                        match slot {
                            Slot::Open(j) => value[*j] = v,
                            Slot::Mode => i = v,
                        }
                    }
                    for (p, x) in row.iter().enumerate().filter(|(_, x)| !x.vanishes()) {
                        value[top] = p;
                        let a = position(left.iter().map(|&j| value[j]), left.iter().map(|&j| edge(j)));
                        let b = position(right.iter().map(|&j| value[j]), right.iter().map(|&j| edge(j)));
                        entries[(a * n + i) * r + b] = x.clone();
                    }
                }
            }
            Core::from_fn(l, n, r, |a, i, b| {
                Ok::<_, std::convert::Infallible>(entries[(a * n + i) * r + b].clone())
            })
            .unwrap_or_else(|never| match never {})
        })
        .collect();
    TensorTrain::new(cores).expect("consecutive cores share their bond's subtrees")
}

fn cp_to_tt(factors: &[Core], weights: Option<&Core>) -> TensorTrain {
    let d = factors.len();
    let rank = factors.first().map_or(0, |f| f.shape().2);
    let cores = factors
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let n = f.shape().1;
            let (first, last) = (k == 0, k + 1 == d);
            let l = if first { 1 } else { rank };
            let r = if last { 1 } else { rank };
            Core::from_fn(l, n, r, |a, i, b| {
                let entry = match (first, last) {
                    (true, true) => {
                        let mut sum = Q::zero_value();
                        for t in 0..rank {
                            sum.add_product(&weight(weights, t), f.get(0, i, t));
                        }
                        sum
                    }
                    (true, false) => weight(weights, b) * f.get(0, i, b),
                    (false, true) => f.get(0, i, a).clone(),
                    (false, false) if a == b => f.get(0, i, a).clone(),
                    (false, false) => Q::zero_value(),
                };
                Ok::<_, std::convert::Infallible>(entry)
            })
            .unwrap_or_else(|never| match never {})
        })
        .collect();
    TensorTrain::new(cores).expect("diagonal cores of one rank fit")
}

fn cp_to_ht(factors: &[Core], weights: Option<&Core>, tree: &ModeTree) -> HtNetwork<Q> {
    let rank = factors.first().map_or(0, |f| f.shape().2);
    let nodes = Nodes::of(tree);
    let root = nodes.root();
    let parts = nodes
        .post
        .iter()
        .enumerate()
        .map(|(j, node)| match node {
            ModeTree::Leaf(m) => {
                let f = &factors[*m];
                let n = f.shape().1;
                if j == root {
                    // One mode: the weighted sum of the terms.
                    let entries = (0..n)
                        .map(|i| {
                            let mut sum = Q::zero_value();
                            for a in 0..rank {
                                sum.add_product(&weight(weights, a), f.get(0, i, a));
                            }
                            sum
                        })
                        .collect();
                    return Part {
                        shape: vec![n, 1],
                        entries,
                    };
                }
                Part {
                    shape: vec![n, rank],
                    entries: (0..n)
                        .flat_map(|i| (0..rank).map(move |a| (i, a)))
                        .map(|(i, a)| f.get(0, i, a).clone())
                        .collect(),
                }
            }
            ModeTree::Node(_) if j == root => Part {
                shape: vec![rank, 1],
                entries: (0..rank).map(|a| weight(weights, a)).collect(),
            },
            ModeTree::Node(_) => Part {
                shape: vec![rank, rank],
                entries: (0..rank * rank)
                    .map(|x| {
                        if x / rank == x % rank {
                            Q::one_value()
                        } else {
                            Q::zero_value()
                        }
                    })
                    .collect(),
            },
        })
        .collect();
    let sizes = factors.iter().map(|f| f.shape().1).collect();
    HtNetwork::new(tree.clone(), Form::Convac, sizes, parts).expect("every node of rank R fits")
}
