//! The two level-3 operations of the blocked elimination, on sub-blocks of one row-major
//! matrix `mat` with row stride `n`:
//!
//! * [`gemm_sub`]: `C -= A * B` (the trailing update / Schur complement), cache-blocked with
//!   packed copies of `A` and `B`, a register-blocked micro-kernel with delayed reduction
//!   (the exact `f64` one of [`super::simd`] when the CPU has AVX-512F, that of
//!   [`super::simd_avx2`] when it has AVX2 and FMA, else the portable `u128` one below), and
//!   Strassen–Winograd ([`super::strassen`]) for large products;
//! * [`trsm_unit_lower`]: `X <- L^{-1} X` for a unit lower triangular `L` (computing `U12`),
//!   recursive so that most of its work is again a [`gemm_sub`].
//!
//! The product kernels address their operands through raw strided views ([`View`],
//! [`ViewMut`]), because `A`, `B` and `C` may be disjoint parts of the same matrix.

use super::strassen;
use super::{reduce, sub, PRIME};
#[cfg(target_arch = "x86_64")]
use super::{simd, simd_avx2};

/// Rows of the portable micro-tile (`MR x NR` accumulators of two registers each must fit in
/// the 16 general-purpose registers next to the pointers).
const MR: usize = 2;
/// Columns of the portable micro-tile.
const NR: usize = 2;
/// Products accumulated in a `u128` between two partial reductions: each product of residues
/// is `< 2^122` and a partially reduced accumulator is `< 2^68`, so up to 63 products fit.
const FOLD: usize = 32;

/// Cache blocking of a matrix product: `A` is packed `mc x kc` at a time (L2),
/// `B` `kc x nc` at a time (L3), a `kc x NR` sliver of `B` stays in L1.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GemmBlocking {
    pub kc: usize,
    pub mc: usize,
    pub nc: usize,
}

/// How the products are computed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GemmConfig {
    /// Blocking of the portable `u128` path.
    pub scalar: GemmBlocking,
    /// Blocking of the `f64` paths ([`simd`] with AVX-512F, else [`simd_avx2`] with AVX2 and
    /// FMA), if they may be used (and the CPU has one).
    pub simd: Option<GemmBlocking>,
    /// Whether the AVX-512 path may be used (else at most the AVX2 one).
    pub allow_avx512: bool,
    /// Products with fewer than this many terms use the portable path.
    pub simd_min_k: usize,
    /// Products whose three dimensions are all at least this use Strassen–Winograd.
    pub strassen_min: usize,
}

/// A read-only strided view: entry `(i, j)` at `ptr + i * ld + j`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct View {
    pub ptr: *const u64,
    pub ld: usize,
}

/// A writable strided view: entry `(i, j)` at `ptr + i * ld + j`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ViewMut {
    pub ptr: *mut u64,
    pub ld: usize,
}

impl View {
    /// The view starting at entry `(i, j)`. Safety: inside the viewed allocation.
    #[inline(always)]
    pub unsafe fn at(self, i: usize, j: usize) -> View {
        View {
            ptr: self.ptr.add(i * self.ld + j),
            ld: self.ld,
        }
    }
}

impl ViewMut {
    /// The view starting at entry `(i, j)`. Safety: inside the viewed allocation.
    #[inline(always)]
    pub unsafe fn at(self, i: usize, j: usize) -> ViewMut {
        ViewMut {
            ptr: self.ptr.add(i * self.ld + j),
            ld: self.ld,
        }
    }

    pub fn as_view(self) -> View {
        View {
            ptr: self.ptr,
            ld: self.ld,
        }
    }
}

/// The columns of the left operand `A` of a product.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Cols<'a> {
    /// `k` consecutive columns: `A[i][t]` at `view + i * ld + t`.
    Contiguous(usize),
    /// Listed columns: `A[i][t]` at `view + i * ld + list[t]` (the pivot columns of `L21`).
    List(&'a [usize]),
}

/// The left operand of a product: `A[i][t]` is entry `(i, cols[t])` of `view`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AOp<'a> {
    pub view: View,
    pub cols: Cols<'a>,
}

impl<'a> AOp<'a> {
    /// The number of columns (terms of each dot product).
    #[inline(always)]
    pub fn k(&self) -> usize {
        match self.cols {
            Cols::Contiguous(k) => k,
            Cols::List(l) => l.len(),
        }
    }

    /// Offset of `A[i][t]` from the start of row `i`.
    #[inline(always)]
    pub fn col(&self, t: usize) -> usize {
        match self.cols {
            Cols::Contiguous(_) => t,
            Cols::List(l) => l[t],
        }
    }

    /// The block of rows from `i0` and columns `t0..t0 + kb`. Safety: inside the operand.
    #[inline(always)]
    pub unsafe fn block(&self, i0: usize, t0: usize, kb: usize) -> AOp<'a> {
        match self.cols {
            Cols::Contiguous(_) => AOp {
                view: self.view.at(i0, t0),
                cols: Cols::Contiguous(kb),
            },
            Cols::List(l) => AOp {
                view: self.view.at(i0, 0),
                cols: Cols::List(&l[t0..t0 + kb]),
            },
        }
    }
}

/// Pre-allocated scratch space, reused by every product of one elimination. The buffers grow
/// to the largest block actually needed (a few allocations per elimination, none in loops).
pub(crate) struct Workspace {
    pub(crate) cfg: GemmConfig,
    scalar: ScalarWorkspace,
    simd: Simd,
    pub(crate) strassen: strassen::Temps,
}

/// The fastest product kernel allowed and available.
enum Simd {
    #[cfg(target_arch = "x86_64")]
    Avx512(simd::Workspace),
    #[cfg(target_arch = "x86_64")]
    Avx2(simd::Workspace),
    None,
}

struct ScalarWorkspace {
    blk: GemmBlocking,
    packed_a: Vec<u64>,
    packed_b: Vec<u64>,
}

impl Workspace {
    pub(crate) fn new(cfg: GemmConfig) -> Workspace {
        let blk = cfg.scalar;
        let blk = GemmBlocking {
            kc: blk.kc.max(1),
            mc: blk.mc.max(1).div_ceil(MR) * MR,
            nc: blk.nc.max(1).div_ceil(NR) * NR,
        };
        let simd = match cfg.simd {
            #[cfg(target_arch = "x86_64")]
            Some(b) if cfg.allow_avx512 && simd::available() => Simd::Avx512(simd::Workspace::new(b)),
            #[cfg(target_arch = "x86_64")]
            Some(b) if simd_avx2::available() => Simd::Avx2(simd::Workspace::new(b)),
            _ => Simd::None,
        };
        Workspace {
            cfg,
            scalar: ScalarWorkspace {
                blk,
                packed_a: Vec::new(),
                packed_b: Vec::new(),
            },
            simd,
            strassen: strassen::Temps::default(),
        }
    }

    /// Which product kernel this workspace runs for products of at least `simd_min_k` terms.
    #[cfg(test)]
    pub(crate) fn kernel_name(&self) -> &'static str {
        match self.simd {
            #[cfg(target_arch = "x86_64")]
            Simd::Avx512(_) => "avx512",
            #[cfg(target_arch = "x86_64")]
            Simd::Avx2(_) => "avx2",
            Simd::None => "portable",
        }
    }
}

/// `C -= A * B (mod PRIME)`, where, with `k = a_cols.len()`,
/// `C[i][j] = mat[(c_row0 + i) * n + col0 + j]` (`m x ncols`),
/// `A[i][t] = mat[(c_row0 + i) * n + a_cols[t]]` (`m x k`, the columns `a_cols` lie outside
/// `col0..col0 + ncols`), and `B[t][j] = mat[(b_row0 + t) * n + col0 + j]` (`k x ncols`, the
/// rows `b_row0..b_row0 + k` lie outside `c_row0..c_row0 + m`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn gemm_sub(
    mat: &mut [u64],
    n: usize,
    c_row0: usize,
    m: usize,
    col0: usize,
    ncols: usize,
    a_cols: &[usize],
    b_row0: usize,
    ws: &mut Workspace,
) {
    let k = a_cols.len();
    if m == 0 || ncols == 0 || k == 0 {
        return;
    }
    // The operands are inside `mat` and C is disjoint from A and B (this makes the raw
    // views below sound).
    super::elim::assert_operands(mat.len(), n, (c_row0, m), (col0, ncols), a_cols, b_row0);
    let s = ws.cfg.strassen_min.max(2);
    if m >= s && k >= s && ncols >= s {
        // Contiguous copies of A and B, then Strassen–Winograd on them.
        let (mut fa, mut fb) = ws.strassen.take_full();
        fa.clear();
        for i in 0..m {
            let row = &mat[(c_row0 + i) * n..][..n];
            fa.extend(a_cols.iter().map(|&c| row[c]));
        }
        fb.clear();
        for t in 0..k {
            fb.extend_from_slice(&mat[(b_row0 + t) * n + col0..][..ncols]);
        }
        let c = ViewMut {
            ptr: mat.as_mut_ptr(),
            ld: n,
        };
        // SAFETY: C is inside `mat` (checked above); the copies are separate buffers.
        unsafe {
            let (a, b) = (
                View {
                    ptr: fa.as_ptr(),
                    ld: k,
                },
                View {
                    ptr: fb.as_ptr(),
                    ld: ncols,
                },
            );
            strassen::gemm_sub(c.at(c_row0, col0), m, ncols, k, a, b, ws, 0);
        }
        ws.strassen.put_full(fa, fb);
    } else {
        let base = mat.as_mut_ptr();
        // SAFETY: all three operands are inside `mat` (checked above) and C is disjoint from
        // A (other columns) and from B (other rows).
        unsafe {
            let c = ViewMut { ptr: base, ld: n }.at(c_row0, col0);
            let a = AOp {
                view: ViewMut { ptr: base, ld: n }.as_view().at(c_row0, 0),
                cols: Cols::List(a_cols),
            };
            let b = ViewMut { ptr: base, ld: n }.as_view().at(b_row0, col0);
            base_gemm(c, m, ncols, a, b, ws);
        }
    }
}

/// `C -= A * B (mod PRIME)` for `C` of `m x n`, `A` of `m x k` (`k = a.k()`), `B` of `k x n`,
/// with the fastest kernel available, without Strassen.
///
/// Safety: the views cover these entries, and `C` overlaps neither `A` nor `B`.
pub(crate) unsafe fn base_gemm(c: ViewMut, m: usize, n: usize, a: AOp, b: View, ws: &mut Workspace) {
    let k = a.k();
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    if k >= ws.cfg.simd_min_k {
        // SAFETY (instruction sets): `Workspace::new` makes these variants only on CPUs that
        // have the path's instruction set.
        match &mut ws.simd {
            #[cfg(target_arch = "x86_64")]
            Simd::Avx512(sws) => return simd::gemm_sub(c, m, n, a, b, sws),
            #[cfg(target_arch = "x86_64")]
            Simd::Avx2(sws) => return simd_avx2::gemm_sub(c, m, n, a, b, sws),
            Simd::None => {}
        }
    }
    gemm_scalar(c, m, n, a, b, &mut ws.scalar);
}

/// The portable product: packed blocks and a `2 x 2` micro-kernel of `u128` accumulators.
unsafe fn gemm_scalar(c: ViewMut, m: usize, n: usize, a: AOp, b: View, ws: &mut ScalarWorkspace) {
    let k = a.k();
    let GemmBlocking { kc, mc, nc } = ws.blk;
    let need_a = mc.min(m.div_ceil(MR) * MR) * kc.min(k);
    let need_b = nc.min(n.div_ceil(NR) * NR) * kc.min(k);
    if ws.packed_a.len() < need_a {
        ws.packed_a.resize(need_a, 0);
    }
    if ws.packed_b.len() < need_b {
        ws.packed_b.resize(need_b, 0);
    }
    for jc in (0..n).step_by(nc) {
        let nb = nc.min(n - jc);
        for pc in (0..k).step_by(kc) {
            let kb = kc.min(k - pc);
            pack_b(b.at(pc, jc), kb, nb, &mut ws.packed_b);
            for ic in (0..m).step_by(mc) {
                let mb = mc.min(m - ic);
                pack_a(a.block(ic, pc, kb), mb, &mut ws.packed_a);
                macro_kernel(c.at(ic, jc), mb, nb, kb, &ws.packed_a, &ws.packed_b);
            }
        }
    }
}

/// Packs `kb x nb` entries of `B` as slivers of `NR` columns:
/// sliver `s`, step `t`, lane `j` at `(s * kb + t) * NR + j`; missing columns are zero.
unsafe fn pack_b(b: View, kb: usize, nb: usize, out: &mut [u64]) {
    for (s, j0) in (0..nb).step_by(NR).enumerate() {
        let w = NR.min(nb - j0);
        let sliver = &mut out[s * kb * NR..(s + 1) * kb * NR];
        for t in 0..kb {
            let src = b.at(t, j0).ptr;
            let dst = &mut sliver[t * NR..(t + 1) * NR];
            for (j, d) in dst.iter_mut().enumerate() {
                *d = if j < w { *src.add(j) } else { 0 };
            }
        }
    }
}

/// Packs `mb x kb` entries of `A` as slivers of `MR` rows:
/// sliver `s`, step `t`, lane `i` at `(s * kb + t) * MR + i`; missing rows are zero.
unsafe fn pack_a(a: AOp, mb: usize, out: &mut [u64]) {
    let kb = a.k();
    for (s, i0) in (0..mb).step_by(MR).enumerate() {
        let h = MR.min(mb - i0);
        let sliver = &mut out[s * kb * MR..(s + 1) * kb * MR];
        for i in 0..MR {
            if i < h {
                let row = a.view.at(i0 + i, 0).ptr;
                for t in 0..kb {
                    sliver[t * MR + i] = *row.add(a.col(t));
                }
            } else {
                for t in 0..kb {
                    sliver[t * MR + i] = 0;
                }
            }
        }
    }
}

/// All micro-tiles of one packed block: `C (mb x nb) -= A~ * B~`.
unsafe fn macro_kernel(c: ViewMut, mb: usize, nb: usize, kb: usize, pa: &[u64], pb: &[u64]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("bmi2") {
            // SAFETY: the CPU supports BMI2 (checked just above).
            macro_kernel_bmi2(c, mb, nb, kb, pa, pb);
            return;
        }
    }
    macro_kernel_generic(c, mb, nb, kb, pa, pb)
}

/// The same code compiled with `mulx` (a flag-free `64 x 64 -> 128` multiply that leaves
/// the register allocator free), selected at run time: no build flag needed.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "bmi2")]
unsafe fn macro_kernel_bmi2(c: ViewMut, mb: usize, nb: usize, kb: usize, pa: &[u64], pb: &[u64]) {
    macro_kernel_generic(c, mb, nb, kb, pa, pb)
}

#[inline(always)]
unsafe fn macro_kernel_generic(c: ViewMut, mb: usize, nb: usize, kb: usize, pa: &[u64], pb: &[u64]) {
    for (sj, j0) in (0..nb).step_by(NR).enumerate() {
        let b = &pb[sj * kb * NR..(sj + 1) * kb * NR];
        let w = NR.min(nb - j0);
        for (si, i0) in (0..mb).step_by(MR).enumerate() {
            let a = &pa[si * kb * MR..(si + 1) * kb * MR];
            let h = MR.min(mb - i0);
            let acc = micro_kernel(kb, a, b);
            for (i, acc_row) in acc.iter().enumerate().take(h) {
                let row = c.at(i0 + i, j0).ptr;
                for (j, &s) in acc_row.iter().enumerate().take(w) {
                    *row.add(j) = sub(*row.add(j), reduce(s));
                }
            }
        }
    }
}

/// `sum_t a[t] (x) b[t]` over `kb` steps as an `MR x NR` tile of `u128`s, partially reduced
/// every `FOLD` steps (each value `< 2^128`, not reduced modulo the prime).
#[inline(always)]
fn micro_kernel(kb: usize, a: &[u64], b: &[u64]) -> [[u128; NR]; MR] {
    let mut acc = [[0u128; NR]; MR];
    let a = &a[..kb * MR];
    let b = &b[..kb * NR];
    let mut a_chunks = a.chunks_exact(FOLD * MR);
    let mut b_chunks = b.chunks_exact(FOLD * NR);
    for (ac, bc) in (&mut a_chunks).zip(&mut b_chunks) {
        steps(&mut acc, ac, bc);
        fold(&mut acc);
    }
    steps(&mut acc, a_chunks.remainder(), b_chunks.remainder());
    acc
}

#[inline(always)]
fn steps(acc: &mut [[u128; NR]; MR], a: &[u64], b: &[u64]) {
    for (av, bv) in a.chunks_exact(MR).zip(b.chunks_exact(NR)) {
        for i in 0..MR {
            for j in 0..NR {
                acc[i][j] += av[i] as u128 * bv[j] as u128;
            }
        }
    }
}

/// `x -> (x mod 2^61) + floor(x / 2^61)`: same residue, `< 2^68`.
#[inline(always)]
fn fold(acc: &mut [[u128; NR]; MR]) {
    for row in acc.iter_mut() {
        for x in row.iter_mut() {
            *x = (*x as u64 & PRIME) as u128 + (*x >> 61);
        }
    }
}

/// `X <- L^{-1} X (mod PRIME)` for the `k = pc.len()` rows `row0..row0 + k` and the columns
/// `col0..col0 + ncols`, where `L` is unit lower triangular with
/// `L[i][j] = mat[(row0 + i) * n + pc[j]]` for `j < i` (the columns `pc` lie left of `col0`).
/// Recursive on halves of the rows; blocks of at most `base` rows are solved directly.
#[allow(clippy::too_many_arguments)]
pub(crate) fn trsm_unit_lower(
    mat: &mut [u64],
    n: usize,
    row0: usize,
    pc: &[usize],
    col0: usize,
    ncols: usize,
    base: usize,
    ws: &mut Workspace,
) {
    let k = pc.len();
    if k <= 1 || ncols == 0 {
        return;
    }
    if k <= base.clamp(1, 63) {
        trsm_base(mat, n, row0, pc, col0, ncols);
        return;
    }
    let h = k / 2;
    trsm_unit_lower(mat, n, row0, &pc[..h], col0, ncols, base, ws);
    // X2 -= L21 X1, with L21[i][j] = mat[(row0 + h + i) * n + pc[j]].
    gemm_sub(mat, n, row0 + h, k - h, col0, ncols, &pc[..h], row0, ws);
    trsm_unit_lower(mat, n, row0 + h, &pc[h..], col0, ncols, base, ws);
}

/// Forward substitution for at most 63 rows: `x_i -= sum_{j<i} L[i][j] x_j`, each sum
/// accumulated exactly in a `u128` (at most 62 terms) and reduced once. Works on four columns
/// at a time, with the four accumulators in registers.
fn trsm_base(mat: &mut [u64], n: usize, row0: usize, pc: &[usize], col0: usize, ncols: usize) {
    let k = pc.len();
    assert!(k <= 63);
    // The strictly lower part of L, packed row by row: l[i * k + j] = L[i][j].
    let mut l = [0u64; 63 * 63];
    for i in 1..k {
        let row = &mat[(row0 + i) * n..][..n];
        for (j, &c) in pc[..i].iter().enumerate() {
            l[i * k + j] = row[c];
        }
    }
    let l = &l[..k * k];
    let full = ncols / 4 * 4;
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("bmi2") {
            // SAFETY: the CPU supports BMI2 (checked just above).
            unsafe { trsm_columns_bmi2(mat, n, row0, k, l, col0, full) };
        } else {
            trsm_columns::<4>(mat, n, row0, k, l, col0, full);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    trsm_columns::<4>(mat, n, row0, k, l, col0, full);
    trsm_columns::<1>(mat, n, row0, k, l, col0 + full, ncols - full);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "bmi2")]
unsafe fn trsm_columns_bmi2(mat: &mut [u64], n: usize, row0: usize, k: usize, l: &[u64], col0: usize, ncols: usize) {
    trsm_columns::<4>(mat, n, row0, k, l, col0, ncols)
}

/// [`trsm_base`] on the columns `col0..col0 + ncols`, `W` at a time (`W` divides `ncols`).
#[inline(always)]
fn trsm_columns<const W: usize>(
    mat: &mut [u64],
    n: usize,
    row0: usize,
    k: usize,
    l: &[u64],
    col0: usize,
    ncols: usize,
) {
    for j0 in (col0..col0 + ncols).step_by(W) {
        for i in 1..k {
            let mut acc = [0u128; W];
            for (j, &lij) in l[i * k..i * k + i].iter().enumerate() {
                let x: &[u64; W] = mat[(row0 + j) * n + j0..][..W].try_into().unwrap();
                for q in 0..W {
                    acc[q] += lij as u128 * x[q] as u128;
                }
            }
            let xi: &mut [u64; W] = (&mut mat[(row0 + i) * n + j0..][..W]).try_into().unwrap();
            for q in 0..W {
                xi[q] = sub(xi[q], reduce(acc[q]));
            }
        }
    }
}
