//! One or more levels of Strassen–Winograd for the large products `C -= A * B (mod PRIME)`:
//! seven half-size products instead of eight, at the price of 15 additions of half-size
//! matrices (cheap: linear in the size). Exact, as all the arithmetic is modulo the prime.
//!
//! With `A = [A11 A12; A21 A22]`, `B = [B11 B12; B21 B22]` (Winograd's form):
//!
//! ```text
//! S1 = A21 + A22   S2 = S1 - A11   S3 = A11 - A21   S4 = A12 - S2
//! T1 = B12 - B11   T2 = B22 - T1   T3 = B22 - B12   T4 = T2 - B21
//! P1 = A11 B11  P2 = A12 B21  P3 = S4 B22  P4 = A22 T4  P5 = S1 T1  P6 = S2 T2  P7 = S3 T3
//! C11 = P1 + P2   C12 = P1 + P6 + P5 + P3   C21 = P1 + P6 + P7 - P4   C22 = P1 + P6 + P7 + P5
//! ```
//!
//! Here `C` is updated in place (`C -= ...`) with three half-size temporaries per level:
//! `sa` (for the `S`), `tb` (for the `T`) and `r` (for products used more than once). An odd
//! row, column or inner dimension is peeled off and handled by the plain product.

use super::kernel::{base_gemm, AOp, Cols, View, ViewMut, Workspace};
use super::PRIME;

/// Temporaries of the Strassen levels, kept across products (they only grow).
#[derive(Default)]
pub(crate) struct Temps {
    /// Contiguous copies of `A` and `B` of the outermost product.
    full: (Vec<u64>, Vec<u64>),
    /// `[sa, tb, r]` for each recursion depth.
    levels: Vec<[Vec<u64>; 3]>,
}

impl Temps {
    pub(crate) fn take_full(&mut self) -> (Vec<u64>, Vec<u64>) {
        std::mem::take(&mut self.full)
    }

    pub(crate) fn put_full(&mut self, a: Vec<u64>, b: Vec<u64>) {
        self.full = (a, b);
    }

    fn take_level(&mut self, depth: usize, sizes: [usize; 3]) -> [Vec<u64>; 3] {
        if self.levels.len() <= depth {
            self.levels.resize_with(depth + 1, Default::default);
        }
        let mut t = std::mem::take(&mut self.levels[depth]);
        for (v, size) in t.iter_mut().zip(sizes) {
            if v.len() < size {
                v.resize(size, 0);
            }
        }
        t
    }
}

/// `C -= A * B (mod PRIME)` for `C` of `m x n`, `A` of `m x k`, `B` of `k x n` (all strided,
/// contiguous rows), by Strassen–Winograd while all dimensions are at least
/// `ws.cfg.strassen_min`, then by [`base_gemm`].
///
/// Safety: the views cover these entries, `C` overlaps neither `A` nor `B`, and none of them
/// overlaps the temporaries of `ws`.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn gemm_sub(
    c: ViewMut,
    m: usize,
    n: usize,
    k: usize,
    a: View,
    b: View,
    ws: &mut Workspace,
    depth: usize,
) {
    let s = ws.cfg.strassen_min.max(2);
    if m < s || n < s || k < s {
        base_gemm(
            c,
            m,
            n,
            AOp {
                view: a,
                cols: Cols::Contiguous(k),
            },
            b,
            ws,
        );
        return;
    }
    let (m2, k2, n2) = (m / 2, k / 2, n / 2);
    let mut temps = ws.strassen.take_level(depth, [m2 * k2, k2 * n2, m2 * n2]);
    {
        let [sa, tb, r] = &mut temps;
        let sa = ViewMut {
            ptr: sa.as_mut_ptr(),
            ld: k2,
        };
        let tb = ViewMut {
            ptr: tb.as_mut_ptr(),
            ld: n2,
        };
        let r = ViewMut {
            ptr: r.as_mut_ptr(),
            ld: n2,
        };
        let (a11, a12, a21, a22) = (a, a.at(0, k2), a.at(m2, 0), a.at(m2, k2));
        let (b11, b12, b21, b22) = (b, b.at(0, n2), b.at(k2, 0), b.at(k2, n2));
        let (c11, c12, c21, c22) = (c, c.at(0, n2), c.at(m2, 0), c.at(m2, n2));
        let mut product = |c: ViewMut, a: View, b: View| gemm_sub(c, m2, n2, k2, a, b, ws, depth + 1);

        // r = -P1; C11 -= P1 + P2.
        fill_zero(r, m2, n2);
        product(r, a11, b11);
        add_assign(c11, m2, n2, r.as_view());
        product(c11, a12, b21);
        // r = -(P1 + P6); C12, C21, C22 -= P1 + P6.
        combine(sa, m2, k2, &[(a21, 1), (a22, 1), (a11, -1)]); // S2
        combine(tb, k2, n2, &[(b22, 1), (b12, -1), (b11, 1)]); // T2
        product(r, sa.as_view(), tb.as_view());
        for cc in [c12, c21, c22] {
            add_assign(cc, m2, n2, r.as_view());
        }
        // r = -P5; C12, C22 -= P5.
        combine(sa, m2, k2, &[(a21, 1), (a22, 1)]); // S1
        combine(tb, k2, n2, &[(b12, 1), (b11, -1)]); // T1
        fill_zero(r, m2, n2);
        product(r, sa.as_view(), tb.as_view());
        add_assign(c12, m2, n2, r.as_view());
        add_assign(c22, m2, n2, r.as_view());
        // r = -P7; C21, C22 -= P7.
        combine(sa, m2, k2, &[(a11, 1), (a21, -1)]); // S3
        combine(tb, k2, n2, &[(b22, 1), (b12, -1)]); // T3
        fill_zero(r, m2, n2);
        product(r, sa.as_view(), tb.as_view());
        add_assign(c21, m2, n2, r.as_view());
        add_assign(c22, m2, n2, r.as_view());
        // C12 -= P3 = S4 B22, with S4 = A12 - S2.
        combine(sa, m2, k2, &[(a12, 1), (a21, -1), (a22, -1), (a11, 1)]);
        product(c12, sa.as_view(), b22);
        // C21 += P4 = A22 T4, i.e. C21 -= A22 (-T4), with -T4 = B21 - T2.
        combine(tb, k2, n2, &[(b21, 1), (b22, -1), (b12, 1), (b11, -1)]);
        product(c21, a22, tb.as_view());
    }
    ws.strassen.levels[depth] = temps;
    // Peel off what the even-sized halves did not cover.
    let (me, ke, ne) = (2 * m2, 2 * k2, 2 * n2);
    if k > ke {
        let a_last = AOp {
            view: a.at(0, ke),
            cols: Cols::Contiguous(k - ke),
        };
        base_gemm(c, me, ne, a_last, b.at(ke, 0), ws);
    }
    if m > me {
        let a_rows = AOp {
            view: a.at(me, 0),
            cols: Cols::Contiguous(k),
        };
        base_gemm(c.at(me, 0), m - me, n, a_rows, b, ws);
    }
    if n > ne {
        base_gemm(
            c.at(0, ne),
            me,
            n - ne,
            AOp {
                view: a,
                cols: Cols::Contiguous(k),
            },
            b.at(0, ne),
            ws,
        );
    }
}

unsafe fn fill_zero(d: ViewMut, rows: usize, cols: usize) {
    for i in 0..rows {
        std::ptr::write_bytes(d.at(i, 0).ptr, 0, cols);
    }
}

/// `x + y mod PRIME` for `x, y < PRIME`, without a branch (so that loops vectorise).
#[inline(always)]
fn add_mod(x: u64, y: u64) -> u64 {
    let s = x + y;
    s.min(s.wrapping_sub(PRIME))
}

/// `x - y mod PRIME` for `x, y < PRIME`, without a branch.
#[inline(always)]
fn sub_mod(x: u64, y: u64) -> u64 {
    let d = x.wrapping_sub(y);
    d.min(d.wrapping_add(PRIME))
}

/// `d += s (mod PRIME)`.
unsafe fn add_assign(d: ViewMut, rows: usize, cols: usize, s: View) {
    combine_rows(d, rows, cols, &[(d.as_view(), 1), (s, 1)]);
}

/// `d = sum of +-terms (mod PRIME)`; the first term has sign `+1` (`d` may be that term).
unsafe fn combine(d: ViewMut, rows: usize, cols: usize, terms: &[(View, i8)]) {
    combine_rows(d, rows, cols, terms);
}

unsafe fn combine_rows(d: ViewMut, rows: usize, cols: usize, terms: &[(View, i8)]) {
    #[cfg(target_arch = "x86_64")]
    {
        if super::simd::available() {
            // SAFETY: the CPU has AVX-512F.
            return combine_rows_avx512(d, rows, cols, terms);
        }
    }
    combine_rows_generic(d, rows, cols, terms)
}

/// The same loops compiled for AVX-512 (vectorised with unsigned 64-bit minima).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn combine_rows_avx512(d: ViewMut, rows: usize, cols: usize, terms: &[(View, i8)]) {
    combine_rows_generic(d, rows, cols, terms)
}

#[inline(always)]
unsafe fn combine_rows_generic(d: ViewMut, rows: usize, cols: usize, terms: &[(View, i8)]) {
    debug_assert_eq!(terms[0].1, 1);
    for i in 0..rows {
        let dp = d.at(i, 0).ptr;
        let first = terms[0].0.at(i, 0).ptr;
        if !std::ptr::eq(first, dp) {
            std::ptr::copy_nonoverlapping(first, dp, cols);
        }
        let d = std::slice::from_raw_parts_mut(dp, cols);
        for &(t, sign) in &terms[1..] {
            let t = std::slice::from_raw_parts(t.at(i, 0).ptr, cols);
            if sign > 0 {
                for (x, &y) in d.iter_mut().zip(t) {
                    *x = add_mod(*x, y);
                }
            } else {
                for (x, &y) in d.iter_mut().zip(t) {
                    *x = sub_mod(*x, y);
                }
            }
        }
    }
}
