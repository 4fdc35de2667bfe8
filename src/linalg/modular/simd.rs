//! The matrix product `C -= A * B (mod PRIME)` with exact double-precision FMAs, for x86-64
//! CPUs with AVX-512F or with AVX2 and FMA (chosen at run time by `kernel.rs`, no build flag).
//!
//! This file owns the method, written once for any micro-tile shape `MR x NR`: the packing of
//! the operands into limb planes, the cache-blocking loops, and the recombination of the plane
//! sums modulo the prime. What an instruction set supplies is a [`MicroKernel`] (the tile
//! shape, the order it reads packed entries in, and its inner loop): the AVX-512 one is at the
//! end of this file, the AVX2 one in `simd_avx2.rs`. The portable `u128` product and the choice
//! between the three are in `kernel.rs`.
//!
//! # Exact products in `f64`
//!
//! A residue `x < 2^61` is split into three 21-bit limbs, `x = x0 + x1 2^21 + x2 2^42`.
//! With Karatsuba's trick the five limb convolutions of `x * y` need six limb products:
//!
//! ```text
//! P0 = x0 y0, P1 = x1 y1, P2 = x2 y2,
//! P3 = (x0 + x1)(y0 + y1), P4 = (x0 + x2)(y0 + y2), P5 = (x1 + x2)(y1 + y2);
//! x y = P0 + (P3 - P0 - P1) 2^21 + (P4 - P0 - P2 + P1) 2^42 + (P5 - P1 - P2) 2^63 + P2 2^84.
//! ```
//!
//! Limbs and limb sums are `< 2^22`, so each limb product is `< 2^44` and a sum of up to
//! [`MAX_KC`] = 256 of them stays `< 2^52`: every `f64` FMA of the inner loop is exact. The
//! six sums `P_q = sum_k A_q[i][k] B_q[k][j]` ("planes") are therefore accumulated with 6 FMAs
//! per product of residues, and combined with integer arithmetic once per block of `kc`
//! products (using `2^61 = 1`, so `2^63 = 4` and `2^84 = 2^23 (mod PRIME)`).
//!
//! # Blocking
//!
//! `B` is packed `kc x nc` at a time, in slivers of `NR` columns; `A` `mc x kc` at a time, in
//! slivers of `MR` rows; each entry as its planes (`A` all six, `B` six or only `y0, y1, y2`
//! when the micro-kernel forms the sums in registers). The micro-kernel computes the six
//! plane sums of an `MR x NR` tile of `C` over one `kc` block; they are combined and
//! subtracted from `C` here.
//!
//! * AVX-512 (`4 x 8` tiles): 24 `zmm` accumulators (4 rows x 6 planes), `B` read as its three
//!   limb planes (the three sums are formed in registers), `A` as broadcasts of its six planes;
//!   the planes of one step are packed together.
//! * AVX2 (`6 x 8` tiles, in `simd_avx2.rs`): 16 registers cannot hold six planes of
//!   accumulators, so the six plane sums are computed one after the other by a plain `f64`
//!   kernel (12 `ymm` accumulators, like a DGEMM kernel); each plane is packed contiguously.

#![cfg(target_arch = "x86_64")]

use super::kernel::{AOp, GemmBlocking, View, ViewMut};
use super::{sub, PRIME};
use std::arch::x86_64::*;

/// Largest `kc` for which the `f64` accumulation is exact (sums `< 2^52`).
pub(crate) const MAX_KC: usize = 256;
/// Planes of a packed entry of `A` (`x0, x1, x2, x0 + x1, x0 + x2, x1 + x2`) and plane sums.
pub(crate) const PLANES: usize = 6;
const LIMB: u32 = 21;
const LIMB_MASK: u64 = (1 << LIMB) - 1;
/// `2^52` as a double: for an integer `0 <= v < 2^52`, the bits of `v + 2^52` are those of
/// `2^52` plus `v`, an exact conversion in both directions.
const MAGIC: f64 = 4503599627370496.0;
const MAGIC_BITS: u64 = 0x4330_0000_0000_0000;

/// The plane sums of one micro-tile: `sums[i][q][j]` is `P_q` of the tile's entry `(i, j)`.
pub(crate) type PlaneSums<const MR: usize, const NR: usize> = [[[f64; NR]; PLANES]; MR];

/// Where a packed sliver keeps plane `q` of step `t` (a run of `lanes` doubles: the sliver's
/// rows of `A` or columns of `B`), for a sliver of `kb` steps of `planes` planes each.
#[derive(Clone, Copy)]
pub(crate) enum Layout {
    /// At `(t * planes + q) * lanes`: the planes of a step together.
    StepMajor,
    /// At `(q * kb + t) * lanes`: each plane one contiguous run.
    PlaneMajor,
}

impl Layout {
    #[inline(always)]
    fn offset(self, kb: usize, planes: usize, lanes: usize, t: usize, q: usize) -> usize {
        match self {
            Layout::StepMajor => (t * planes + q) * lanes,
            Layout::PlaneMajor => (q * kb + t) * lanes,
        }
    }
}

/// The inner loop of one instruction set, for `MR x NR` tiles.
pub(crate) trait MicroKernel<const MR: usize, const NR: usize> {
    /// Planes packed per entry of `B`: [`PLANES`], or 3 (`y0, y1, y2`) when the kernel forms
    /// the sums `y0 + y1, y0 + y2, y1 + y2` itself.
    const B_PLANES: usize;
    /// The order in which the kernel reads packed slivers.
    const LAYOUT: Layout;

    /// `sums[i][q][j] = sum_t A_q[i][t] B_q[t][j]` over the `kb <= MAX_KC` steps of a packed
    /// sliver `a` of `A` (`MR` rows, [`PLANES`] planes) and `b` of `B` (`NR` columns,
    /// `B_PLANES` planes), both laid out as [`Self::LAYOUT`].
    ///
    /// Safety: the CPU has the kernel's instruction set.
    unsafe fn plane_sums(kb: usize, a: &[f64], b: &[f64], sums: &mut PlaneSums<MR, NR>);
}

/// Scratch buffers of one `f64` path.
pub(crate) struct Workspace {
    blk: GemmBlocking,
    packed_a: Vec<f64>,
    packed_b: Vec<f64>,
}

impl Workspace {
    pub(crate) fn new(blk: GemmBlocking) -> Workspace {
        Workspace {
            blk: GemmBlocking {
                kc: blk.kc.clamp(1, MAX_KC),
                mc: blk.mc.max(1),
                nc: blk.nc.max(1),
            },
            packed_a: Vec::new(),
            packed_b: Vec::new(),
        }
    }
}

/// `C -= A * B (mod PRIME)` with the micro-kernel `K`, same contract as
/// [`super::kernel::base_gemm`]. Inlined into each instruction set's `gemm_sub`, so that the
/// packing and the recombination are compiled (and vectorised) for that instruction set too.
///
/// Safety: as for `base_gemm`, and the CPU has `K`'s instruction set.
#[inline(always)]
pub(crate) unsafe fn gemm_sub_with<const MR: usize, const NR: usize, K: MicroKernel<MR, NR>>(
    c: ViewMut,
    m: usize,
    n: usize,
    a: AOp,
    b: View,
    ws: &mut Workspace,
) {
    let k = a.k();
    // Whole tiles, no more than this product needs.
    let kc = ws.blk.kc.min(k);
    let mc = ws.blk.mc.div_ceil(MR).min(m.div_ceil(MR)) * MR;
    let nc = ws.blk.nc.div_ceil(NR).min(n.div_ceil(NR)) * NR;
    grow(&mut ws.packed_a, mc * kc * PLANES);
    grow(&mut ws.packed_b, nc * kc * K::B_PLANES);
    for jc in (0..n).step_by(nc) {
        let nb = nc.min(n - jc);
        for pc in (0..k).step_by(kc) {
            let kb = kc.min(k - pc);
            pack_b::<MR, NR, K>(b.at(pc, jc), kb, nb, &mut ws.packed_b);
            for ic in (0..m).step_by(mc) {
                let mb = mc.min(m - ic);
                pack_a::<MR, NR, K>(a.block(ic, pc, kb), mb, &mut ws.packed_a);
                macro_kernel::<MR, NR, K>(c.at(ic, jc), mb, nb, kb, &ws.packed_a, &ws.packed_b);
            }
        }
    }
}

fn grow(buf: &mut Vec<f64>, len: usize) {
    if buf.len() < len {
        buf.resize(len, 0.0);
    }
}

/// Packs `kb x nb` entries of `B` as slivers of `NR` columns (`kb * B_PLANES * NR` doubles
/// each, laid out as `K::LAYOUT`); missing columns are zero.
///
/// Safety: `b` covers these entries.
#[inline(always)]
unsafe fn pack_b<const MR: usize, const NR: usize, K: MicroKernel<MR, NR>>(
    b: View,
    kb: usize,
    nb: usize,
    out: &mut [f64],
) {
    let len = kb * K::B_PLANES * NR;
    for (s, j0) in (0..nb).step_by(NR).enumerate() {
        let w = NR.min(nb - j0);
        pack_sliver::<NR>(&mut out[s * len..][..len], kb, K::B_PLANES, K::LAYOUT, |t| {
            // SAFETY: entries (t, j0..j0 + w) are inside the `kb x nb` block `b` covers.
            let src = b.at(t, j0).ptr;
            if w == NR {
                src.cast::<[u64; NR]>().read_unaligned()
            } else {
                std::array::from_fn(|j| if j < w { *src.add(j) } else { 0 })
            }
        });
    }
}

/// Packs `mb x kb` entries of `A` as slivers of `MR` rows (`kb * PLANES * MR` doubles each,
/// laid out as `K::LAYOUT`); missing rows are zero.
///
/// Safety: `a` covers these entries.
#[inline(always)]
unsafe fn pack_a<const MR: usize, const NR: usize, K: MicroKernel<MR, NR>>(a: AOp, mb: usize, out: &mut [f64]) {
    let kb = a.k();
    let len = kb * PLANES * MR;
    for (s, i0) in (0..mb).step_by(MR).enumerate() {
        let h = MR.min(mb - i0);
        let rows: [*const u64; MR] = std::array::from_fn(|i| a.view.at(i0 + i.min(h - 1), 0).ptr);
        pack_sliver::<MR>(&mut out[s * len..][..len], kb, PLANES, K::LAYOUT, |t| {
            // SAFETY: entries (i0 + i, t) for i < h are inside the `mb x kb` block `a` covers.
            let col = a.col(t);
            std::array::from_fn(|i| if i < h { *rows[i].add(col) } else { 0 })
        });
    }
}

/// Stores the first `planes` planes of the `L` residues `step(t)` of each step `t < kb` in
/// `sliver`, laid out as `layout`.
#[inline(always)]
fn pack_sliver<const L: usize>(
    sliver: &mut [f64],
    kb: usize,
    planes: usize,
    layout: Layout,
    step: impl Fn(usize) -> [u64; L],
) {
    for t in 0..kb {
        let p = limb_planes(step(t));
        for (q, plane) in p.iter().enumerate().take(planes) {
            let o = layout.offset(kb, planes, L, t, q);
            sliver[o..o + L].copy_from_slice(plane);
        }
    }
}

/// The six planes `x0, x1, x2, x0 + x1, x0 + x2, x1 + x2` of residues (`< 2^61`), as doubles.
#[inline(always)]
fn limb_planes<const L: usize>(x: [u64; L]) -> [[f64; L]; PLANES] {
    // v < 2^52: the double with the bits of 2^52 + v, minus 2^52, is v.
    let f = |v: u64| f64::from_bits(MAGIC_BITS | v) - MAGIC;
    let mut p = [[0.0; L]; PLANES];
    for l in 0..L {
        let (x0, x1, x2) = (x[l] & LIMB_MASK, (x[l] >> LIMB) & LIMB_MASK, x[l] >> (2 * LIMB));
        for (q, v) in [x0, x1, x2, x0 + x1, x0 + x2, x1 + x2].into_iter().enumerate() {
            p[q][l] = f(v);
        }
    }
    p
}

/// All micro-tiles of one packed block: `C (mb x nb) -= A~ * B~`.
///
/// Safety: `c` covers `mb x nb` entries, the CPU has `K`'s instruction set.
#[inline(always)]
unsafe fn macro_kernel<const MR: usize, const NR: usize, K: MicroKernel<MR, NR>>(
    c: ViewMut,
    mb: usize,
    nb: usize,
    kb: usize,
    pa: &[f64],
    pb: &[f64],
) {
    let (a_len, b_len) = (kb * PLANES * MR, kb * K::B_PLANES * NR);
    let mut sums = [[[0.0; NR]; PLANES]; MR];
    for (sj, j0) in (0..nb).step_by(NR).enumerate() {
        let b = &pb[sj * b_len..][..b_len];
        let w = NR.min(nb - j0);
        for (si, i0) in (0..mb).step_by(MR).enumerate() {
            let a = &pa[si * a_len..][..a_len];
            let h = MR.min(mb - i0);
            // The tile of C is read only after the k-loop: start fetching it now, so that
            // the loads do not stall on a cache miss (C is touched once per kc block).
            for i in 0..h {
                let p = c.at(i0 + i, j0).ptr;
                _mm_prefetch::<_MM_HINT_T0>(p.cast());
                _mm_prefetch::<_MM_HINT_T0>(p.add(w - 1).cast());
            }
            K::plane_sums(kb, a, b, &mut sums);
            // SAFETY: rows i0..i0 + h, columns j0..j0 + w are inside the `mb x nb` block of C.
            for (i, row_sums) in sums.iter().enumerate().take(h) {
                let v = combine(row_sums);
                let row = c.at(i0 + i, j0).ptr;
                if w == NR {
                    let row = row.cast::<[u64; NR]>();
                    let old = row.read_unaligned();
                    row.write_unaligned(std::array::from_fn(|j| sub(old[j], v[j])));
                } else {
                    for (j, &vj) in v.iter().enumerate().take(w) {
                        *row.add(j) = sub(*row.add(j), vj);
                    }
                }
            }
        }
    }
}

/// The residues `sum_k A[i][k] B[k][j] mod PRIME` of `L` entries from their plane sums
/// (exact integers `< 2^52` as doubles).
#[inline(always)]
fn combine<const L: usize>(p: &[[f64; L]; PLANES]) -> [u64; L] {
    // Exact integers < 2^52: the bits of `x + 2^52` are those of 2^52 plus `x`.
    let int = |x: f64| (x + MAGIC).to_bits() - MAGIC_BITS;
    // `(x * 2^s) mod PRIME` as a number `< 2^61`, for `x < 2^61`: a rotation of the 61 bits.
    let rot61 = |x: u64, s: u32| ((x << s) & PRIME) | (x >> (61 - s));
    let mut out = [0; L];
    for l in 0..L {
        let [p0, p1, p2, p3, p4, p5] = [0, 1, 2, 3, 4, 5].map(|q| int(p[q][l]));
        // The limb convolutions c0 = p0 (x0 y0), c1, c2, c3, c4 = p2 (x2 y2).
        let c1 = p3 - p0 - p1; // x0 y1 + x1 y0
        let c2 = p4 + p1 - p0 - p2; // x0 y2 + x2 y0 + x1 y1
        let c3 = p5 - p1 - p2; // x1 y2 + x2 y1

        // All c < 2^52; 2^63 = 4 and 2^84 = 2^23 mod PRIME; the sum is < 2^63.
        let v = p0 + (c3 << 2) + rot61(c1, LIMB) + rot61(c2, 2 * LIMB) + rot61(p2, 23);
        // (v mod 2^61) + (v >> 61) <= PRIME + 3, then one conditional subtraction.
        let t = (v & PRIME) + (v >> 61);
        out[l] = if t >= PRIME { t - PRIME } else { t };
    }
    out
}

// ---------------------------------------------------------------- AVX-512F

/// Whether this CPU can run the AVX-512 path.
pub(crate) fn available() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
}

/// `C -= A * B (mod PRIME)` with `4 x 8` tiles, same contract as [`super::kernel::base_gemm`].
///
/// Safety: as for `base_gemm`, and the CPU has AVX-512F ([`available`]).
#[target_feature(enable = "avx512f")]
pub(crate) unsafe fn gemm_sub(c: ViewMut, m: usize, n: usize, a: AOp, b: View, ws: &mut Workspace) {
    gemm_sub_with::<4, 8, Avx512>(c, m, n, a, b, ws)
}

/// The AVX-512F micro-kernel: 24 `zmm` accumulators, one vector of 8 columns per plane.
struct Avx512;

impl MicroKernel<4, 8> for Avx512 {
    const B_PLANES: usize = 3;
    const LAYOUT: Layout = Layout::StepMajor;

    #[inline(always)]
    unsafe fn plane_sums(kb: usize, a: &[f64], b: &[f64], sums: &mut PlaneSums<4, 8>) {
        plane_sums_avx512(kb, a, b, sums)
    }
}

/// [`MicroKernel::plane_sums`] for `4 x 8` tiles. Safety: the CPU has AVX-512F.
#[target_feature(enable = "avx512f")]
#[inline]
unsafe fn plane_sums_avx512(kb: usize, a: &[f64], b: &[f64], sums: &mut PlaneSums<4, 8>) {
    const MR: usize = 4;
    const NR: usize = 8;
    debug_assert!(kb <= MAX_KC);
    let a = &a[..kb * PLANES * MR];
    let b = &b[..kb * Avx512::B_PLANES * NR];
    let mut acc = [[_mm512_setzero_pd(); PLANES]; MR];
    let (mut pa, mut pb) = (a.as_ptr(), b.as_ptr());
    // SAFETY: step t reads a[t * 24..][..24] and b[t * 24..][..24], inside the slices above.
    for _ in 0..kb {
        let b0 = _mm512_loadu_pd(pb);
        let b1 = _mm512_loadu_pd(pb.add(NR));
        let b2 = _mm512_loadu_pd(pb.add(2 * NR));
        let planes = [
            b0,
            b1,
            b2,
            _mm512_add_pd(b0, b1),
            _mm512_add_pd(b0, b2),
            _mm512_add_pd(b1, b2),
        ];
        for (q, &bq) in planes.iter().enumerate() {
            for (i, acc_row) in acc.iter_mut().enumerate() {
                let x = _mm512_set1_pd(*pa.add(q * MR + i));
                acc_row[q] = _mm512_fmadd_pd(x, bq, acc_row[q]);
            }
        }
        pa = pa.add(PLANES * MR);
        pb = pb.add(Avx512::B_PLANES * NR);
    }
    for (i, acc_row) in acc.iter().enumerate() {
        for (q, &v) in acc_row.iter().enumerate() {
            _mm512_storeu_pd(sums[i][q].as_mut_ptr(), v);
        }
    }
}
