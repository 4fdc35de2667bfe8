//! The kernel's mathematics, plain: tensor-train cores and entries, the dense tensor on a box,
//! exact rank by an echelon basis built one row at a time, and the layered-graph count of
//! non-zero summands. No fast paths; everything over `Q`.

use crate::field::{Scalar, Q};
use crate::rejection::{Budget, Reason};
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
    /// `G[a, i, b]`, `None` outside the core.
    pub fn get(&self, a: usize, i: usize, b: usize) -> Option<&S> {
        self.fiber(a, i).get(b)
    }

    /// The fiber `G[a, i, :]`, empty outside the core.
    pub fn fiber(&self, a: usize, i: usize) -> &[S] {
        let start = a
            .checked_mul(self.modes)
            .and_then(|x| x.checked_add(i))
            .and_then(|x| x.checked_mul(self.right));
        let fiber = start.and_then(|s| self.entries.get(s..s.checked_add(self.right)?));
        match fiber {
            Some(f) if a < self.left && i < self.modes => f,
            _ => &[],
        }
    }
}

/// `v · G[:, i, :]`.
fn times_slice<S: Scalar>(v: &[S], core: &Core<S>, i: usize) -> Vec<S> {
    let mut out = vec![S::zero_value(); core.right];
    for (a, x) in v.iter().enumerate() {
        if x.vanishes() {
            continue;
        }
        for (y, g) in out.iter_mut().zip(core.fiber(a, i)) {
            y.add_product(x, g);
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

/// All entries with `i_k < sizes[k]`, big-endian, computed prefix by prefix: after core k,
/// `state` holds for each prefix `(i_1..i_k)` the row vector `G_1[1,i_1,:] ... G_k[:,i_k,:]`,
/// one after another (width the core's right dimension).
pub fn dense<S: Scalar>(cores: &[Core<S>], sizes: &[usize]) -> Vec<S> {
    let (mut state, mut width) = (vec![S::one_value()], 1);
    for (core, &size) in cores.iter().zip(sizes) {
        if width == 0 || core.right == 0 {
            // A bond of dimension 0: every entry is an empty sum.
            return vec![S::zero_value(); volume(sizes)];
        }
        let mut next = Vec::with_capacity(state.len() / width * size * core.right);
        for v in state.chunks(width) {
            for i in 0..size {
                next.extend(times_slice(v, core, i));
            }
        }
        state = next;
        width = core.right;
    }
    // The last bond has dimension 1 in a train; keep each row's first entry otherwise.
    match width {
        1 => state,
        w => state.chunks(w).filter_map(|v| v.first().cloned()).collect(),
    }
}

/// The multi-index at big-endian position `pos` (a size 0 takes index 0).
pub fn index_at(shape: &[usize], mut pos: usize) -> Vec<usize> {
    let mut index = vec![0; shape.len()];
    for (slot, &n) in index.iter_mut().zip(shape).rev() {
        *slot = pos.checked_rem(n).unwrap_or(0);
        pos = pos.checked_div(n).unwrap_or(0);
    }
    index
}

/// A 0-based multi-index (or list of modes) shown 1-based and comma-separated: `1,2,1`.
pub fn one_based(index: &[usize]) -> String {
    let shown: Vec<String> = index.iter().map(|i| (i + 1).to_string()).collect();
    shown.join(",")
}

/// The number of entries of a tensor of this shape, saturating at `usize::MAX` (which no
/// budget admits).
pub fn volume(shape: &[usize]) -> usize {
    shape.iter().fold(1usize, |p, &n| p.saturating_mul(n))
}

/// A matricization of a big-endian tensor: row modes and column modes, the entry in row `r` and
/// column `c` being at position `rows[r] + cols[c]` of the tensor's entries (each offset is the
/// position of the row's, or the column's, part of the multi-index).
pub struct Unfolding {
    rows: Vec<usize>,
    cols: Vec<usize>,
}

impl Unfolding {
    /// The matricization of a tensor of shape `sizes` with row modes `rows` and column modes
    /// `cols` (0-based, a partition of the modes; the tensor within the kernel's budgets).
    pub fn new(sizes: &[usize], rows: &[usize], cols: &[usize]) -> Unfolding {
        // The big-endian stride of each mode: the product of the sizes after it.
        let mut strides: Vec<usize> = sizes
            .iter()
            .rev()
            .scan(1usize, |after, &n| {
                let stride = *after;
                *after = after.saturating_mul(n);
                Some(stride)
            })
            .collect();
        strides.reverse();
        let offsets = |modes: &[usize]| -> Vec<usize> {
            let (shape, stride): (Vec<usize>, Vec<usize>) = modes
                .iter()
                .filter_map(|&m| Some((*sizes.get(m)?, *strides.get(m)?)))
                .unzip();
            (0..volume(&shape))
                .map(|p| {
                    index_at(&shape, p)
                        .iter()
                        .zip(&stride)
                        .fold(0usize, |pos, (&i, &s)| pos.saturating_add(i.saturating_mul(s)))
                })
                .collect()
        };
        Unfolding {
            rows: offsets(rows),
            cols: offsets(cols),
        }
    }

    /// `(rows, columns)` of the matrix.
    pub fn shape(&self) -> (usize, usize) {
        (self.rows.len(), self.cols.len())
    }

    /// The entry in row `r` and column `c` of the matricization of `tensor`.
    pub fn entry<'t, T>(&self, tensor: &'t [T], r: usize, c: usize) -> Option<&'t T> {
        tensor.get(self.rows.get(r)?.saturating_add(*self.cols.get(c)?))
    }
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
    pub fn offer(&mut self, mut row: Vec<Q>) -> Result<bool, Reason> {
        for (c, kept) in &self.rows {
            // The pivot of a kept row is non-zero; a row too short to reach it is zero there.
            let (Some(x), Some(pivot)) = (row.get(*c), kept.get(*c)) else {
                continue;
            };
            if x.is_zero() {
                continue;
            }
            let factor = x / pivot;
            let words = |q: &Q| (q.numer().bits() + q.denom().bits()) / 64;
            for (x, y) in row.iter_mut().zip(kept) {
                if !y.is_zero() {
                    let w = 1 + words(&factor) + words(y);
                    self.work = self.work.saturating_add(w.saturating_mul(w));
                    *x -= &factor * y;
                }
            }
            if self.work > ELIMINATION_BUDGET {
                return Err(Reason::OverBudget(Budget::Elimination));
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
pub fn rank(rows: impl Iterator<Item = Result<Vec<Q>, Reason>>) -> Result<usize, Reason> {
    let mut echelon = Echelon::default();
    for row in rows {
        echelon.offer(row?)?;
    }
    Ok(echelon.rank())
}

/// Over `[q]^d`: the number of bond paths with a non-zero product, and the first edge
/// `(core k, a, i, b)` (0-based, in core order then `(a, i, b)` order) that lies on such a path
/// but leaves the claimed path `path[k][i]` (1-based bond values), if any.
pub fn summands(cores: &[Core], q: usize, path: &[Vec<i64>]) -> (BigUint, Option<(usize, usize, usize, usize)>) {
    let nonzero = |c| nonzero_edges(c, q);
    // forward[k][a]: paths from the left end to bond value a at bond k, counted.
    let mut forward = vec![vec![BigUint::one()]];
    for core in cores {
        let mut next = vec![BigUint::zero(); core.right];
        if let Some(last) = forward.last() {
            for (a, _, b) in nonzero(core) {
                if let (Some(sum), Some(paths)) = (next.get_mut(b), last.get(a)) {
                    *sum += paths;
                }
            }
        }
        forward.push(next);
    }
    // backward[k][a]: whether bond value a at bond k reaches the right end (built right to left).
    let mut backward = vec![vec![true]];
    for core in cores.iter().rev() {
        let mut prev = vec![false; core.left];
        if let Some(last) = backward.last() {
            for (a, _, b) in nonzero(core) {
                if let (Some(reaches), Some(&end)) = (prev.get_mut(a), last.get(b)) {
                    *reaches |= end;
                }
            }
        }
        backward.push(prev);
    }
    backward.reverse();
    // The last core's edges end at the right end: only cores 1..d-1 choose a bond value.
    let inner = cores.iter().zip(&forward).zip(backward.iter().skip(1)).zip(path);
    let off_path = inner.enumerate().find_map(|(k, (((core, forward), backward), path))| {
        nonzero(core)
            .find(|&(a, i, b)| {
                forward.get(a).is_some_and(|f| !f.is_zero())
                    && backward.get(b).copied().unwrap_or(false)
                    && path.get(i) != Some(&(b as i64 + 1))
            })
            .map(|(a, i, b)| (k, a, i, b))
    });
    let count = forward.last().and_then(|end| end.first()).cloned().unwrap_or_default();
    (count, off_path)
}

/// The edges `(a, i, b)` of a core with `i < q` and a non-zero entry, in `(a, i, b)` order.
fn nonzero_edges(c: &Core, q: usize) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    (0..c.left)
        .flat_map(move |a| (0..q.min(c.modes)).flat_map(move |i| (0..c.right).map(move |b| (a, i, b))))
        .filter(move |&(a, i, b)| c.get(a, i, b).is_some_and(|x| !x.is_zero()))
}

/// The network a certificate lists.
pub enum Net {
    /// Tensor-train cores in order and the bond dimensions `r_0..r_d`.
    Train { cores: Vec<Core>, bonds: Vec<usize> },
    /// `X[i] = sum_a lambda_a prod_k V_k[1, i_k, a]`, the weights a core `1 x 1 x R` if listed.
    Cp { factors: Vec<Core>, weights: Option<Core> },
    /// Hierarchical Tucker over a mode tree, in either node form.
    Ht(crate::hierarchical::HtNetwork<Q>),
    /// A generalized network (its tensor is its grid tensor).
    Generalized(Box<super::grid::Generalized>),
}

/// The smallest product of edge dimensions over the cuts that put the row modes (`is_row`) on
/// one side and the column modes on the other: every node is given a side, and a leg or an edge
/// whose ends are on different sides costs its dimension. For CP the bound is its rank; for a
/// generalized network (not multilinear) only the matrix's shape bounds the rank.
pub fn cut(net: &Net, sizes: &[usize], rows: &[usize]) -> u128 {
    let is_row = |m: usize| rows.contains(&m);
    let side_product = |row: bool| {
        (0..sizes.len())
            .zip(sizes)
            .filter(|&(m, _)| is_row(m) == row)
            .fold(1u128, |p, (_, &n)| p.saturating_mul(n as u128))
    };
    let trivial = side_product(true).min(side_product(false));
    let [row_side, col_side] = match net {
        Net::Cp { factors, .. } => return trivial.min(factors.first().map_or(0, |f| f.right) as u128),
        Net::Train { bonds, .. } => {
            // Sites right to left: the best cost of sites k.. with site k on the row side and
            // on the column side. `bond` is r_{k+1}, the edge to site k + 1 (none after the last).
            let mut best: Option<[u128; 2]> = None;
            let sites = sizes.iter().zip(bonds.iter().skip(1)).enumerate().rev();
            for (k, (&n, &bond)) in sites {
                let leg = |row_side: bool| if is_row(k) == row_side { 1 } else { n as u128 };
                let [row, col] = best.map_or([1, 1], |[r, c]| {
                    [
                        r.min(c.saturating_mul(bond as u128)),
                        c.min(r.saturating_mul(bond as u128)),
                    ]
                });
                best = Some([leg(true).saturating_mul(row), leg(false).saturating_mul(col)]);
            }
            best.unwrap_or([1, 1])
        }
        Net::Ht(net) => net.cut(&is_row),
        Net::Generalized(_) => return trivial,
    };
    row_side.min(col_side).min(trivial)
}
