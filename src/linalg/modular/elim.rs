//! Recursive rank-revealing LU with row pivoting (the fast path of `rank_mod_p` and
//! `rank_mod_word_prime`), over any [`Arithmetic`]: the residues mod 2^61 - 1 here
//! ([`Mersenne`], products by `kernel.rs`), or those mod the word prime in `f64` (`word.rs`).
//!
//! Storage is in place, LAPACK style, in a row-major working copy: rows are physically
//! swapped (whole rows, so that multipliers and not-yet-updated entries move with them) and
//! `perm[i]` remembers the original index of the row now at position `i`. After factoring a
//! column range with `k` pivots starting at row `r0`, rows `r0..r0 + k` hold the pivot rows
//! (the pivot itself at column `piv_cols[t]` of row `r0 + t`) and, in the pivot columns, the
//! rows below a pivot hold its multiplier (the entry divided by the pivot): the unit lower
//! triangular factor `L`. Non-pivot columns of the range are zero below the pivot rows.

use super::kernel::{gemm_sub, trsm_unit_lower, GemmBlocking, GemmConfig, Workspace};
use super::{inv, mul, reduce, reduce_u64, sub, ModMatrix, ModRank};
use crate::field::Prime;

/// Widest column range factored directly (its updates are accumulated before one reduction).
pub(crate) const MAX_PANEL: usize = 63;

/// The residues an elimination works in, with their level-3 operations.
pub(crate) trait Arithmetic {
    /// A residue (reduced: `PartialEq` is equality of residues).
    type E: Copy + PartialEq;
    const ZERO: Self::E;
    const PRIME: Prime;
    /// Column ranges at most this wide are factored directly (at most [`MAX_PANEL`]).
    fn panel(&self) -> usize;
    fn sub(&self, a: Self::E, b: Self::E) -> Self::E;
    fn mul(&self, a: Self::E, b: Self::E) -> Self::E;
    /// The inverse of a non-zero residue.
    fn inv(&self, a: Self::E) -> Self::E;
    /// `sum_t row[cols[t]] * u[t]`, for at most [`MAX_PANEL`] terms.
    fn dot(&self, row: &[Self::E], cols: &[usize], u: &[Self::E]) -> Self::E;
    /// In the row-major `a` with row stride `n` and `m` rows: with the `k1 = pc.len()` pivots
    /// at rows `r0..r0 + k1` (pivot `t` in column `pc[t]`, multipliers below it), brings the
    /// columns `cm..c1` of the rows below up to date: `U12 = L11^{-1} A12`, then
    /// `A22 -= L21 U12`.
    #[allow(clippy::too_many_arguments)]
    fn trailing_update(&mut self, a: &mut [Self::E], n: usize, m: usize, r0: usize, pc: &[usize], cm: usize, c1: usize);
}

/// Checks the operands of a trailing product `C -= A * B` inside one row-major matrix of `len`
/// entries and row stride `n`: `C` the rows `c_rows = (row0, m)` on the columns
/// `c_cols = (col0, ncols)`, `A` the same rows on the columns `a_cols` (none of C's), `B` the
/// `a_cols.len()` rows from `b_row0` (none of C's) on C's columns. They lie inside the matrix and
/// C overlaps neither A nor B, which makes the products' raw views sound.
pub(crate) fn assert_operands(
    len: usize,
    n: usize,
    (c_row0, m): (usize, usize),
    (col0, ncols): (usize, usize),
    a_cols: &[usize],
    b_row0: usize,
) {
    let k = a_cols.len();
    assert!((c_row0 + m) * n <= len && (b_row0 + k) * n <= len && col0 + ncols <= n);
    assert!(a_cols.iter().all(|&c| c < col0 || (c >= col0 + ncols && c < n)));
    assert!(b_row0 + k <= c_row0 || c_row0 + m <= b_row0);
}

/// Residues mod 2^61 - 1 in `u64`, products by the packed kernels of `kernel.rs`.
pub(crate) struct Mersenne {
    blk: Blocking,
    ws: Workspace,
}

impl Arithmetic for Mersenne {
    type E = u64;
    const ZERO: u64 = 0;
    const PRIME: Prime = Prime::Mersenne61;

    fn panel(&self) -> usize {
        self.blk.panel
    }
    fn sub(&self, a: u64, b: u64) -> u64 {
        sub(a, b)
    }
    fn mul(&self, a: u64, b: u64) -> u64 {
        mul(a, b)
    }
    fn inv(&self, a: u64) -> u64 {
        inv(a)
    }

    /// Exact in `u128`: 63 products below `2^122` each.
    #[inline(always)]
    fn dot(&self, row: &[u64], cols: &[usize], u: &[u64]) -> u64 {
        debug_assert!(cols.len() <= MAX_PANEL);
        let mut acc = 0u128;
        for (&c, &x) in cols.iter().zip(u) {
            acc += row[c] as u128 * x as u128;
        }
        reduce(acc)
    }

    fn trailing_update(&mut self, a: &mut [u64], n: usize, m: usize, r0: usize, pc: &[usize], cm: usize, c1: usize) {
        let k1 = pc.len();
        trsm_unit_lower(a, n, r0, pc, cm, c1 - cm, self.blk.trsm_base, &mut self.ws);
        gemm_sub(a, n, r0 + k1, m - r0 - k1, cm, c1 - cm, pc, r0, &mut self.ws);
    }
}

/// Tuning of the elimination (all sizes are in matrix entries).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Blocking {
    /// Column ranges at most this wide are factored directly (`panel_factor`; at most 63).
    pub panel: usize,
    /// Triangular solves with at most this many rows are done directly (at most 63).
    pub trsm_base: usize,
    /// How the matrix products are computed.
    pub gemm: GemmConfig,
}

impl Blocking {
    pub(crate) const DEFAULT: Blocking = Blocking {
        panel: 16,
        trsm_base: 32,
        gemm: GemmConfig {
            scalar: GemmBlocking {
                kc: 256,
                mc: 128,
                nc: 1024,
            },
            simd: Some(GemmBlocking {
                kc: 128,
                mc: 64,
                nc: 1024,
            }),
            allow_avx512: true,
            simd_min_k: 8,
            strassen_min: 512,
        },
    };
}

/// The working state of one elimination.
struct Elim<A: Arithmetic> {
    /// The working copy, `m x n` row-major.
    a: Vec<A::E>,
    m: usize,
    n: usize,
    /// `perm[i]`: original index of the row at position `i`.
    perm: Vec<usize>,
    /// Pivot columns, in the order found (increasing).
    piv_cols: Vec<usize>,
    arith: A,
}

/// Rank with witness by recursive blocked elimination, with the given tuning.
pub(crate) fn rank_blocked(m: &ModMatrix, stop_at: Option<usize>, blk: &Blocking) -> ModRank {
    let arith = Mersenne {
        blk: *blk,
        ws: Workspace::new(blk.gemm),
    };
    let entries = m.entries.iter().map(|&x| reduce_u64(x)).collect();
    eliminate(entries, m.nrows, m.ncols, stop_at, arith)
}

/// Rank with witness of the `nr x nc` row-major matrix of reduced residues `entries`, which the
/// elimination overwrites.
pub(crate) fn eliminate<A: Arithmetic>(
    entries: Vec<A::E>,
    nr: usize,
    nc: usize,
    stop_at: Option<usize>,
    arith: A,
) -> ModRank {
    assert_eq!(entries.len(), nr * nc, "eliminate: entries.len() must be nrows * ncols");
    let limit = stop_at.unwrap_or(usize::MAX).min(nr).min(nc);
    let mut e = Elim {
        a: entries,
        m: nr,
        n: nc,
        perm: (0..nr).collect(),
        piv_cols: Vec::with_capacity(limit),
        arith,
    };
    let rank = e.factor(0, 0, nc, limit);
    debug_assert_eq!(rank, e.piv_cols.len());
    let mut rows = e.perm[..rank].to_vec();
    rows.sort_unstable();
    ModRank {
        rank,
        rows,
        cols: e.piv_cols,
        prime: A::PRIME,
    }
}

impl<A: Arithmetic> Elim<A> {
    /// Factors the columns `c0..c1` of the rows `r0..m`, finding at most `limit` pivots.
    ///
    /// On entry these entries are up to date (all earlier pivots eliminated from them); the
    /// columns right of `c1` are left as they are (not updated for the new pivots). Returns
    /// the number `k` of pivots found, now at rows `r0..r0 + k`, with their columns appended
    /// to `piv_cols`.
    fn factor(&mut self, r0: usize, c0: usize, c1: usize, limit: usize) -> usize {
        if limit == 0 || r0 == self.m || c0 == c1 {
            return 0;
        }
        if c1 - c0 <= self.arith.panel().clamp(1, MAX_PANEL) {
            return self.panel_factor(r0, c0, c1, limit);
        }
        let cm = c0 + (c1 - c0) / 2;
        let k1 = self.factor(r0, c0, cm, limit);
        if k1 == limit || r0 + k1 == self.m {
            return k1;
        }
        if k1 > 0 {
            self.trailing_update(r0, k1, cm, c1);
        }
        k1 + self.factor(r0 + k1, cm, c1, limit - k1)
    }

    /// Brings the columns `cm..c1` of the rows `r0 + k1..m` up to date with the `k1` pivots
    /// just found at rows `r0..r0 + k1`: `U12 = L11^{-1} A12`, then `A22 -= L21 U12`.
    fn trailing_update(&mut self, r0: usize, k1: usize, cm: usize, c1: usize) {
        let pc = &self.piv_cols[self.piv_cols.len() - k1..];
        self.arith.trailing_update(&mut self.a, self.n, self.m, r0, pc, cm, c1);
    }

    /// Direct elimination of the columns `c0..c1` of the rows `r0..m` (same contract as
    /// [`Elim::factor`]), left-looking ("Crout" order): just before column `c` is searched for
    /// a pivot, each of its entries receives all its pending updates from the pivots found so
    /// far in the panel as one dot product, accumulated exactly and reduced once
    /// (at most 63 terms, as the panel is at most 63 columns wide). The first row with a
    /// non-zero entry becomes the pivot row and the entries below it are replaced by the
    /// multipliers (entry / pivot).
    fn panel_factor(&mut self, r0: usize, c0: usize, c1: usize, limit: usize) -> usize {
        let (m, n) = (self.m, self.n);
        debug_assert!(c1 - c0 <= MAX_PANEL);
        let first = self.piv_cols.len();
        let mut k = 0;
        // u[t]: the (up to date) entry of pivot row t of the panel in the current column.
        let mut u = [A::ZERO; MAX_PANEL];
        for c in c0..c1 {
            if k == limit || r0 + k == m {
                break;
            }
            let pcs = &self.piv_cols[first..];
            // Pivot rows, in order: row j has seen the updates of the pivots t < j.
            for j in 0..k {
                let row = &mut self.a[(r0 + j) * n..(r0 + j + 1) * n];
                row[c] = self.arith.sub(row[c], self.arith.dot(row, &pcs[..j], &u[..j]));
                u[j] = row[c];
            }
            // Rows below: all k pivots.
            let mut pivot = None;
            for (i, row) in self.a[(r0 + k) * n..m * n].chunks_exact_mut(n).enumerate() {
                row[c] = self.arith.sub(row[c], self.arith.dot(row, pcs, &u[..k]));
                if pivot.is_none() && row[c] != A::ZERO {
                    pivot = Some(r0 + k + i);
                }
            }
            let Some(p) = pivot else { continue };
            let r = r0 + k;
            self.swap_rows(p, r);
            let pinv = self.arith.inv(self.a[r * n + c]);
            for row in self.a[(r + 1) * n..m * n].chunks_exact_mut(n) {
                row[c] = self.arith.mul(row[c], pinv);
            }
            self.piv_cols.push(c);
            k += 1;
        }
        k
    }

    fn swap_rows(&mut self, i: usize, j: usize) {
        if i == j {
            return;
        }
        let (i, j) = (i.min(j), i.max(j));
        let n = self.n;
        let (head, tail) = self.a.split_at_mut(j * n);
        head[i * n..(i + 1) * n].swap_with_slice(&mut tail[..n]);
        self.perm.swap(i, j);
    }
}
