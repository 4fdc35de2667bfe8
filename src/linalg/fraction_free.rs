//! Fast path for `rank`: rows become primitive GMP integer rows, the matrix splits into the
//! connected components of its row/column graph, and each component is eliminated
//! fraction-free: sparse elimination with a fewest-non-zeros pivot order and content division,
//! switching to dense Bareiss once the part still to be eliminated is dense.

use super::RankWitness;
use crate::field::Q;
use crate::tensor::Matrix;
use num_bigint::{BigInt, Sign};
use num_traits::{ToPrimitive, Zero};
use rug::ops::NegAssign;
use rug::{Assign, Integer};
use std::mem;

/// A sparse integer row: `(column, non-zero entry)` pairs with strictly increasing columns.
type SparseRow = Vec<(usize, Integer)>;

/// Sparse elimination hands over to dense Bareiss once the active rows have at least this
/// fraction of non-zeros in the columns still occupied. Measured: dense inputs with large
/// entries want Bareiss early, sparse 0/1 inputs (whose fill-in has small entries) want it late.
pub(super) const DENSE_SWITCH: f64 = 0.5;

/// Exact rank of `m` with witness; `dense_switch` as for `DENSE_SWITCH` (tests force the pure
/// sparse path with infinity and the pure Bareiss path with 0).
///
/// The witness is the union of the component witnesses: components use disjoint rows and
/// columns and `m` is zero outside them, so the union indexes a (permuted) block-diagonal
/// minor whose blocks are the non-singular component minors. Scaling rows by non-zero
/// integers multiplies every minor by a non-zero factor, so witnesses of the integer rows are
/// witnesses of `m`.
pub(super) fn rank(m: &Matrix<Q>, dense_switch: f64) -> RankWitness {
    let rows = (0..m.nrows).map(|i| m.row(i).iter().enumerate().filter(|(_, q)| !q.is_zero()));
    rank_of_rows(m.ncols, rows, dense_switch)
}

/// `rank` of the matrix with `ncols` columns whose rows have the given non-zero entries
/// `(column, entry)`, columns strictly increasing: the dense and the sparse matrix types both
/// come here, so a matrix has one elimination (and one witness) whichever type holds it.
pub(super) fn rank_of_rows<'a, R>(ncols: usize, rows: impl Iterator<Item = R>, dense_switch: f64) -> RankWitness
where
    R: Iterator<Item = (usize, &'a Q)>,
{
    let mut rows = integer_rows(rows);
    let (mut witness_rows, mut witness_cols) = (Vec::new(), Vec::new());
    let mut local_col = vec![0; ncols];
    for component in components(ncols, &rows) {
        for (local, &j) in component.cols.iter().enumerate() {
            local_col[j] = local;
        }
        let local_rows = component
            .rows
            .iter()
            .map(|&i| {
                let mut row = mem::take(&mut rows[i]);
                for entry in &mut row {
                    entry.0 = local_col[entry.0];
                }
                row
            })
            .collect();
        for (r, c) in fraction_free_eliminate(local_rows, component.cols.len(), dense_switch) {
            witness_rows.push(component.rows[r]);
            witness_cols.push(component.cols[c]);
        }
    }
    witness_rows.sort_unstable();
    witness_cols.sort_unstable();
    RankWitness {
        rank: witness_rows.len(),
        rows: witness_rows,
        cols: witness_cols,
    }
}

fn to_integer(x: &BigInt) -> Integer {
    if let Some(small) = x.to_i64() {
        return Integer::from(small);
    }
    let (sign, digits) = x.to_u32_digits();
    let magnitude = Integer::from_digits(&digits, rug::integer::Order::Lsf);
    if sign == Sign::Minus {
        -magnitude
    } else {
        magnitude
    }
}

/// Each row (its non-zero entries) times the lcm of its denominators, divided by the gcd of the
/// resulting numerators: a primitive integer row, a non-zero multiple of the row.
fn integer_rows<'a, R>(rows: impl Iterator<Item = R>) -> Vec<SparseRow>
where
    R: Iterator<Item = (usize, &'a Q)>,
{
    let mut content = Integer::new();
    rows.map(|row| {
        let mut lcm = Integer::from(1);
        let mut fractions = Vec::new();
        for (j, q) in row {
            let den = to_integer(q.denom());
            lcm.lcm_mut(&den);
            fractions.push((j, to_integer(q.numer()), den));
        }
        let mut row: SparseRow = fractions
            .into_iter()
            .map(|(j, mut num, den)| {
                if den != lcm {
                    num *= Integer::from(lcm.div_exact_ref(&den));
                }
                (j, num)
            })
            .collect();
        divide_by_content(&mut row, &mut content);
        row
    })
    .collect()
}

/// Divides `row` by the gcd of its entries (`content` is scratch space).
fn divide_by_content(row: &mut SparseRow, content: &mut Integer) {
    content.assign(0);
    for (_, x) in row.iter() {
        content.gcd_mut(x);
        if *content == 1 {
            return;
        }
    }
    if *content > 1 {
        for (_, x) in row.iter_mut() {
            x.div_exact_mut(content);
        }
    }
}

/// Rows and columns (ascending) of one connected component of the bipartite graph that has an
/// edge between row `i` and column `j` for every non-zero entry.
struct Component {
    rows: Vec<usize>,
    cols: Vec<usize>,
}

/// Representative of `x` in the union-find forest `parent` (with path halving).
fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// The components of the row/column graph of `rows` (nodes: rows, then `ncols` columns),
/// ordered by their smallest row; zero rows and columns are in none.
fn components(ncols: usize, rows: &[SparseRow]) -> Vec<Component> {
    let nrows = rows.len();
    let mut parent: Vec<usize> = (0..nrows + ncols).collect();
    for (i, row) in rows.iter().enumerate() {
        for &(j, _) in row {
            let (a, b) = (find(&mut parent, i), find(&mut parent, nrows + j));
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut component_of_root: Vec<Option<usize>> = vec![None; nrows + ncols];
    let mut components: Vec<Component> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row.is_empty() {
            continue;
        }
        let root = find(&mut parent, i);
        let index = *component_of_root[root].get_or_insert(components.len());
        if index == components.len() {
            components.push(Component {
                rows: Vec::new(),
                cols: Vec::new(),
            });
        }
        components[index].rows.push(i);
    }
    for j in 0..ncols {
        // A zero column is a singleton root that no row shares, hence in no component.
        if let Some(index) = component_of_root[find(&mut parent, nrows + j)] {
            components[index].cols.push(j);
        }
    }
    components
}

/// Pivots `(row, column)` of a fraction-free elimination of the integer `rows` (columns below
/// `ncols`); their number is the rank.
///
/// Why the pivot rows R and columns C index a non-singular minor: rows are only changed while
/// they are active (not yet pivots), by `row <- a*row + b*pivot_row` with `a != 0` followed by
/// division by a non-zero content (the Bareiss phase does the same with exact division by the
/// previous pivot). So when the t-th pivot row is chosen it equals a non-zero multiple of its
/// original row plus a combination of the original rows of the t-1 earlier pivots, i.e. the
/// pivot rows at their pivot times are `L * A[R, :]` with `L` lower triangular (pivot order)
/// with non-zero diagonal. Each pivot's column is eliminated from every row still active, so
/// the t-th pivot row vanishes in the columns of the earlier pivots and not in its own:
/// `L * A[R, C]` is upper triangular (pivot order) with non-zero diagonal. Hence
/// `det A[R, C] != 0`. When no active row has a non-zero entry left, every other row is a
/// combination of pivot rows, so the rank is exactly the number of pivots.
fn fraction_free_eliminate(rows: Vec<SparseRow>, ncols: usize, dense_switch: f64) -> Vec<(usize, usize)> {
    let mut elimination = SparseElimination::new(rows, ncols);
    let mut pivots = Vec::new();
    while let Some(census) = elimination.census() {
        if census.nonzeros as f64 >= dense_switch * (elimination.active_rows * census.occupied_cols) as f64 {
            pivots.extend(elimination.bareiss_rest());
            break;
        }
        pivots.push(elimination.pivot_on(census.sparsest_col));
    }
    pivots
}

/// The active part of a sparse elimination, as counted in one scan of the columns.
struct Census {
    /// Column with the fewest non-zeros among the active rows (smallest index on ties).
    sparsest_col: usize,
    nonzeros: usize,
    occupied_cols: usize,
}

/// Which active rows occupy each column: `count[j]` is exact, `holders[j]` contains all
/// active rows with a non-zero in column `j`, possibly among stale or repeated entries.
struct Columns {
    count: Vec<usize>,
    holders: Vec<Vec<usize>>,
}

impl Columns {
    fn add(&mut self, j: usize, i: usize) {
        self.count[j] += 1;
        self.holders[j].push(i);
    }
}

/// State of a sparse fraction-free elimination. Active rows are the non-zero rows not yet
/// chosen as pivots.
struct SparseElimination {
    rows: Vec<SparseRow>,
    active: Vec<bool>,
    active_rows: usize,
    columns: Columns,
    /// Scratch: an empty row buffer, and integers for the row multipliers.
    spare: SparseRow,
    gcd: Integer,
    a: Integer,
    b: Integer,
}

fn entry(row: &SparseRow, col: usize) -> Option<&Integer> {
    row.binary_search_by_key(&col, |e| e.0).ok().map(|k| &row[k].1)
}

/// Appends `b * y` to `new` as the fill-in `(j, b * y)` of row `i`.
fn fill_in(new: &mut SparseRow, i: usize, (j, y): &(usize, Integer), b: &Integer, columns: &mut Columns) {
    new.push((*j, Integer::from(b * y)));
    columns.add(*j, i);
}

impl SparseElimination {
    fn new(rows: Vec<SparseRow>, ncols: usize) -> Self {
        let mut columns = Columns {
            count: vec![0; ncols],
            holders: vec![Vec::new(); ncols],
        };
        for (i, row) in rows.iter().enumerate() {
            for &(j, _) in row {
                columns.add(j, i);
            }
        }
        let active: Vec<bool> = rows.iter().map(|row| !row.is_empty()).collect();
        SparseElimination {
            active_rows: active.iter().filter(|&&a| a).count(),
            rows,
            active,
            columns,
            spare: Vec::new(),
            gcd: Integer::new(),
            a: Integer::new(),
            b: Integer::new(),
        }
    }

    /// `None` once no active row is left.
    fn census(&self) -> Option<Census> {
        let (mut sparsest, mut nonzeros, mut occupied_cols) = (None::<(usize, usize)>, 0, 0);
        for (j, &count) in self.columns.count.iter().enumerate() {
            if count > 0 {
                nonzeros += count;
                occupied_cols += 1;
                if sparsest.is_none_or(|(_, fewest)| count < fewest) {
                    sparsest = Some((j, count));
                }
            }
        }
        sparsest.map(|(sparsest_col, _)| Census {
            sparsest_col,
            nonzeros,
            occupied_cols,
        })
    }

    /// Chooses a pivot in column `c` (the shortest active row there, then the smallest entry,
    /// then the smallest index), eliminates `c` from the other active rows and returns the
    /// pivot.
    fn pivot_on(&mut self, c: usize) -> (usize, usize) {
        let mut holders = mem::take(&mut self.columns.holders[c]);
        holders.retain(|&i| self.active[i] && entry(&self.rows[i], c).is_some());
        holders.sort_unstable();
        holders.dedup();
        debug_assert_eq!(holders.len(), self.columns.count[c]);
        let pivot = holders
            .iter()
            .copied()
            .min_by_key(|&i| {
                (
                    self.rows[i].len(),
                    entry(&self.rows[i], c).map_or(0, Integer::significant_bits),
                )
            })
            .expect("a column with a positive count has an active holder");
        let pivot_row = mem::take(&mut self.rows[pivot]);
        self.deactivate(pivot, &pivot_row);
        for &i in holders.iter().filter(|&&i| i != pivot) {
            self.eliminate(i, &pivot_row, c);
            if self.rows[i].is_empty() {
                self.deactivate(i, &[]);
            }
        }
        (pivot, c)
    }

    fn deactivate(&mut self, i: usize, row: &[(usize, Integer)]) {
        self.active[i] = false;
        self.active_rows -= 1;
        for &(j, _) in row {
            self.columns.count[j] -= 1;
        }
    }

    /// `row_i <- a*row_i + b*pivot_row` with `a = p/g`, `b = -x/g` (`p`, `x` the entries in
    /// column `c`, `g = gcd(p, x)`), which vanishes in column `c`; then, if `|a| > 1`, division
    /// by the content to keep the entries small.
    fn eliminate(&mut self, i: usize, pivot_row: &SparseRow, c: usize) {
        let Self {
            rows,
            columns,
            spare,
            gcd,
            a,
            b,
            ..
        } = self;
        let (Some(p), Some(x)) = (entry(pivot_row, c), entry(&rows[i], c)) else {
            unreachable!("pivot and eliminated rows both hold column {c}");
        };
        gcd.assign(p.gcd_ref(x));
        a.assign(p.div_exact_ref(gcd));
        b.assign(x.div_exact_ref(gcd));
        b.neg_assign();
        let unit_a = *a == 1;
        let mut old = mem::replace(&mut rows[i], mem::take(spare));
        let new = &mut rows[i];
        let mut k = 0;
        for (j, mut v) in old.drain(..) {
            while k < pivot_row.len() && pivot_row[k].0 < j {
                fill_in(new, i, &pivot_row[k], b, columns);
                k += 1;
            }
            if !unit_a {
                v *= &*a;
            }
            if k < pivot_row.len() && pivot_row[k].0 == j {
                v += &*b * &pivot_row[k].1;
                k += 1;
                if v == 0 {
                    columns.count[j] -= 1;
                    continue;
                }
            }
            new.push((j, v));
        }
        for y in &pivot_row[k..] {
            fill_in(new, i, y, b, columns);
        }
        *spare = old;
        if !unit_a && *a != -1 {
            divide_by_content(new, gcd);
        }
    }

    /// Finishes with dense Bareiss on the active rows and occupied columns; returns its
    /// pivots in the indices of this elimination.
    fn bareiss_rest(mut self) -> Vec<(usize, usize)> {
        let count = &self.columns.count;
        let row_ids: Vec<usize> = (0..self.rows.len()).filter(|&i| self.active[i]).collect();
        let col_ids: Vec<usize> = (0..count.len()).filter(|&j| count[j] > 0).collect();
        let mut dense_col = vec![0; count.len()];
        for (d, &j) in col_ids.iter().enumerate() {
            dense_col[j] = d;
        }
        let width = col_ids.len();
        let mut dense = vec![Integer::new(); row_ids.len() * width];
        for (r, &i) in row_ids.iter().enumerate() {
            for (j, x) in mem::take(&mut self.rows[i]) {
                dense[r * width + dense_col[j]] = x;
            }
        }
        bareiss(dense, row_ids.len(), width)
            .into_iter()
            .map(|(r, c)| (row_ids[r], col_ids[c]))
            .collect()
    }
}

/// Pivots `(row, column)` of Bareiss's fraction-free elimination of the dense row-major
/// `nrows` x `ncols` integer matrix `a`, taking in each column the first remaining row with a
/// non-zero entry. After each step every remaining entry is a minor of `a` on the pivot rows
/// and columns so far plus its own row and column (Sylvester's identity), which makes the
/// division by the previous pivot exact.
fn bareiss(mut a: Vec<Integer>, nrows: usize, ncols: usize) -> Vec<(usize, usize)> {
    let mut original: Vec<usize> = (0..nrows).collect();
    let mut previous = Integer::from(1);
    let mut pivots = Vec::new();
    for c in 0..ncols {
        let k = pivots.len();
        let Some(r) = (k..nrows).find(|&r| a[r * ncols + c] != 0) else {
            continue;
        };
        if r != k {
            let (upper, lower) = a.split_at_mut(r * ncols);
            upper[k * ncols..(k + 1) * ncols].swap_with_slice(&mut lower[..ncols]);
            original.swap(k, r);
        }
        let (done, below) = a.split_at_mut((k + 1) * ncols);
        let pivot_row = &done[k * ncols..];
        let p = &pivot_row[c];
        for row in below.chunks_exact_mut(ncols) {
            let (head, tail) = row.split_at_mut(c + 1);
            let x = &mut head[c];
            for (v, y) in tail.iter_mut().zip(&pivot_row[c + 1..]) {
                *v *= p;
                *v -= &*x * y;
                v.div_exact_mut(&previous);
            }
            x.assign(0);
        }
        previous.assign(p);
        pivots.push((original[k], c));
    }
    pivots
}
