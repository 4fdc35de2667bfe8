//! The kernel's mathematics, plain: tensor-train cores and entries, the dense tensor on a box,
//! exact rank by an echelon basis built one row at a time, and the layered-graph count of
//! non-zero summands. No fast paths; everything over `Q`.

use crate::field::{Scalar, Q};
use num_bigint::BigUint;
use num_traits::{One, Zero};

/// A core `G[a, i, b]`, 0-based, entries in `(a, i, b)` order.
#[derive(Clone, Debug)]
pub struct Core<S = Q> {
    pub left: usize,
    pub modes: usize,
    pub right: usize,
    pub entries: Vec<S>,
}

impl<S> Core<S> {
    pub fn get(&self, a: usize, i: usize, b: usize) -> &S {
        &self.entries[(a * self.modes + i) * self.right + b]
    }
}

/// `v · G[:, i, :]`.
fn times_slice<S: Scalar>(v: &[S], core: &Core<S>, i: usize) -> Vec<S> {
    let mut out = vec![S::zero_value(); core.right];
    for (a, x) in v.iter().enumerate() {
        if x.vanishes() {
            continue;
        }
        for (b, y) in out.iter_mut().enumerate() {
            y.add_product(x, core.get(a, i, b));
        }
    }
    out
}

/// `X[i_1..i_d] = G_1[1,i_1,:] ... G_d[:,i_d,1]`.
pub fn entry<S: Scalar>(cores: &[Core<S>], index: &[usize]) -> S {
    let mut v = vec![S::one_value()];
    for (core, &i) in cores.iter().zip(index) {
        v = times_slice(&v, core, i);
    }
    v.into_iter().next().unwrap_or_else(S::zero_value)
}

/// All entries with `i_k < sizes[k]`, big-endian, computed prefix by prefix.
pub fn dense<S: Scalar>(cores: &[Core<S>], sizes: &[usize]) -> Vec<S> {
    let mut prefixes = vec![vec![S::one_value()]];
    for (core, &size) in cores.iter().zip(sizes) {
        prefixes = prefixes
            .iter()
            .flat_map(|v| (0..size).map(move |i| times_slice(v, core, i)))
            .collect();
    }
    prefixes
        .into_iter()
        .map(|v| v.into_iter().next().unwrap_or_else(S::zero_value))
        .collect()
}

/// Big-endian position of a multi-index.
pub fn position(shape: &[usize], index: &[usize]) -> usize {
    shape.iter().zip(index).fold(0, |acc, (&n, &i)| acc * n + i)
}

/// The multi-index at big-endian position `pos`.
pub fn index_at(shape: &[usize], mut pos: usize) -> Vec<usize> {
    let mut index = vec![0; shape.len()];
    for (slot, &n) in index.iter_mut().zip(shape).rev() {
        *slot = pos % n;
        pos /= n;
    }
    index
}

/// The most work one exact elimination may do: each update costs the square of the 64-bit words
/// of the numbers it touches (their gcds grow so); past it the kernel refuses rather than runs for
/// hours on a hostile input.
const ELIMINATION_BUDGET: u64 = 1 << 27;

/// An echelon basis built one row at a time. Invariant: kept row j is non-zero at its pivot
/// column c_j and zero at the pivot columns of all rows kept before it; so the kept rows are
/// independent, and every row offered is in their span (kept, or reduced to zero).
#[derive(Default)]
pub struct Echelon {
    rows: Vec<(usize, Vec<Q>)>,
    work: u64,
}

impl Echelon {
    /// Reduces `row` by the kept rows; keeps it if something remains. Returns whether it was
    /// kept, or an error when the work budget is spent.
    pub fn offer(&mut self, mut row: Vec<Q>) -> Result<bool, String> {
        for (c, kept) in &self.rows {
            if row[*c].is_zero() {
                continue;
            }
            let factor = &row[*c] / &kept[*c];
            let words = |q: &Q| (q.numer().bits() + q.denom().bits()) / 64;
            for (x, y) in row.iter_mut().zip(kept) {
                if !y.is_zero() {
                    let w = 1 + words(&factor) + words(y);
                    self.work += w * w;
                    *x -= &factor * y;
                }
            }
            if self.work > ELIMINATION_BUDGET {
                return Err("the exact elimination is too large for the kernel".into());
            }
        }
        Ok(match row.iter().position(|x| !x.is_zero()) {
            Some(c) => {
                self.rows.push((c, row));
                true
            }
            None => false,
        })
    }

    pub fn rank(&self) -> usize {
        self.rows.len()
    }
}

/// The exact rank of the matrix whose rows `rows` yields, within the work budget.
pub fn rank(rows: impl Iterator<Item = Vec<Q>>) -> Result<usize, String> {
    let mut echelon = Echelon::default();
    for row in rows {
        echelon.offer(row)?;
    }
    Ok(echelon.rank())
}

/// Over `[q]^d`: the number of bond paths with a non-zero product, and the first edge
/// `(core k, a, i, b)` (0-based, in core order then `(a, i, b)` order) that lies on such a path
/// but leaves the claimed path `path[k][i]` (1-based bond values), if any.
pub fn summands(cores: &[Core], q: usize, path: &[Vec<i64>]) -> (BigUint, Option<(usize, usize, usize, usize)>) {
    let d = cores.len();
    let nonzero = |k: usize| {
        let c = &cores[k];
        (0..c.left)
            .flat_map(move |a| (0..q.min(c.modes)).flat_map(move |i| (0..c.right).map(move |b| (a, i, b))))
            .filter(move |&(a, i, b)| !c.get(a, i, b).is_zero())
    };
    // forward[k][a]: paths from the left end to bond value a at bond k, counted.
    let mut forward = vec![vec![BigUint::one()]];
    for k in 0..d {
        let mut next = vec![BigUint::zero(); cores[k].right];
        for (a, _, b) in nonzero(k) {
            next[b] += &forward[k][a];
        }
        forward.push(next);
    }
    // backward[k][a]: whether bond value a at bond k reaches the right end.
    let mut backward = vec![vec![true]];
    for k in (0..d).rev() {
        let mut prev = vec![false; cores[k].left];
        for (a, _, b) in nonzero(k) {
            prev[a] |= backward[0][b];
        }
        backward.insert(0, prev);
    }
    let off_path = (0..d.saturating_sub(1)).find_map(|k| {
        nonzero(k)
            .find(|&(a, i, b)| !forward[k][a].is_zero() && backward[k + 1][b] && path[k][i] != b as i64 + 1)
            .map(|(a, i, b)| (k, a, i, b))
    });
    (forward[d][0].clone(), off_path)
}

/// The network a certificate lists.
pub enum Net {
    /// Tensor-train cores in order and the bond dimensions `r_0..r_d`.
    Train { cores: Vec<Core>, bonds: Vec<usize> },
    /// `X[i] = sum_a prod_k V_k[1, i_k, a]`.
    Cp { factors: Vec<Core> },
    /// Hierarchical Tucker on a binary tree.
    Ht { root: Tree },
    /// A generalized network (its tensor is its grid tensor).
    Generalized(Box<super::grid::Generalized>),
}

/// An HT node: a leaf matrix `U[1, i, a]`, or a transfer tensor `B[a, b, c]` over two children.
pub enum Tree {
    Leaf {
        mode: usize,
        core: Core,
    },
    Node {
        left: Box<Tree>,
        right: Box<Tree>,
        core: Core,
    },
}

impl Tree {
    /// The dimension of the edge to the parent.
    pub fn edge(&self) -> usize {
        match self {
            Tree::Leaf { core, .. } | Tree::Node { core, .. } => core.right,
        }
    }
}

/// The smallest product of edge dimensions over the cuts that put the row modes (`is_row`) on
/// one side and the column modes on the other: every node is given a side, and a leg or an edge
/// whose ends are on different sides costs its dimension. For CP the bound is its rank; for a
/// generalized network (not multilinear) only the matrix's shape bounds the rank.
pub fn cut(net: &Net, sizes: &[usize], is_row: &[bool]) -> u128 {
    let side_product = |row: bool| {
        (0..sizes.len())
            .filter(|&m| is_row[m] == row)
            .fold(1u128, |p, m| p.saturating_mul(sizes[m] as u128))
    };
    let trivial = side_product(true).min(side_product(false));
    let [row_side, col_side] = match net {
        Net::Cp { factors } => return trivial.min(factors.first().map_or(0, |f| f.right) as u128),
        Net::Train { bonds, .. } => {
            // Sites right to left: the best cost of sites k.. with site k on each side.
            let mut best = [1u128; 2];
            for k in (0..sizes.len()).rev() {
                let leg = |side: usize| if is_row[k] == (side == 0) { 1 } else { sizes[k] as u128 };
                let next = best;
                for (side, cost) in best.iter_mut().enumerate() {
                    let rest = if k + 1 == sizes.len() {
                        1
                    } else {
                        next[side].min(next[1 - side].saturating_mul(bonds[k + 1] as u128))
                    };
                    *cost = leg(side).saturating_mul(rest);
                }
            }
            best
        }
        Net::Ht { root } => tree_cut(root, sizes, is_row),
        Net::Generalized(_) => return trivial,
    };
    row_side.min(col_side).min(trivial)
}

/// `[cost with the node on the row side, on the column side]` for an HT subtree.
fn tree_cut(tree: &Tree, sizes: &[usize], is_row: &[bool]) -> [u128; 2] {
    match tree {
        Tree::Leaf { mode, .. } => [
            if is_row[*mode] { 1 } else { sizes[*mode] as u128 },
            if is_row[*mode] { sizes[*mode] as u128 } else { 1 },
        ],
        Tree::Node { left, right, .. } => {
            let mut cost = [1u128; 2];
            for child in [left, right] {
                let sub = tree_cut(child, sizes, is_row);
                for (side, c) in cost.iter_mut().enumerate() {
                    *c = c.saturating_mul(sub[side].min(sub[1 - side].saturating_mul(child.edge() as u128)));
                }
            }
            cost
        }
    }
}
