//! The matrix product `C -= A * B (mod PRIME)` with exact double-precision FMAs (AVX-512F),
//! selected at run time when the CPU has it (no build flag needed). `simd_avx2.rs` does the
//! same arithmetic with AVX2 and FMA only.
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
//! six sums `P_t = sum_k A_t[i][k] B_t[k][j]` are therefore accumulated with 6 FMAs per
//! product of residues (8 lanes each), and combined with integer arithmetic once per block of
//! `kc` products (using `2^61 = 1`, so `2^63 = 4` and `2^84 = 2^23 (mod PRIME)`).
//!
//! # Blocking
//!
//! Micro-tile `MR x NR = 4 x 8`: 24 `zmm` accumulators (4 rows x 6 planes), `B` loaded as its
//! three limb planes (the three sums are formed in registers), `A` read as broadcasts of its
//! six pre-computed planes. `A` is packed `mc x kc` at a time, `B` `kc x nc` at a time.

#![allow(clippy::needless_range_loop)]

use super::kernel::{AOp, GemmBlocking, View, ViewMut};
use super::PRIME;
#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

/// Rows of the micro-tile.
pub(crate) const MR: usize = 4;
/// Columns of the micro-tile: one vector of 8 doubles.
pub(crate) const NR: usize = 8;
/// Largest `kc` for which the `f64` accumulation is exact (sums `< 2^52`).
pub(crate) const MAX_KC: usize = 256;
/// Planes of a packed `A` entry: `x0, x1, x2, x0 + x1, x0 + x2, x1 + x2`.
const A_PLANES: usize = 6;
/// Planes of a packed `B` entry: `y0, y1, y2` (the sums are formed in registers).
const B_PLANES: usize = 3;
pub(crate) const LIMB: u32 = 21;
pub(crate) const LIMB_MASK: u64 = (1 << LIMB) - 1;
/// `2^52` as a double: for an integer `0 <= v < 2^52`, the bits of `v + 2^52` are those of
/// `2^52` plus `v`, an exact conversion in both directions.
pub(crate) const MAGIC: f64 = 4503599627370496.0;
pub(crate) const MAGIC_BITS: u64 = 0x4330_0000_0000_0000;

/// Whether this CPU can run the `f64` path.
pub(crate) fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512f")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Scratch buffers of the `f64` path.
pub(crate) struct SimdWorkspace {
    blk: GemmBlocking,
    packed_a: Vec<f64>,
    packed_b: Vec<f64>,
}

impl SimdWorkspace {
    pub(crate) fn new(blk: GemmBlocking) -> SimdWorkspace {
        let kc = blk.kc.clamp(1, MAX_KC);
        let mc = blk.mc.max(1).div_ceil(MR) * MR;
        let nc = blk.nc.max(1).div_ceil(NR) * NR;
        SimdWorkspace {
            blk: GemmBlocking { kc, mc, nc },
            packed_a: Vec::new(),
            packed_b: Vec::new(),
        }
    }

    /// Grows the buffers to what a product of `m x k` by `k x ncols` needs.
    fn reserve(&mut self, m: usize, k: usize, ncols: usize) {
        let GemmBlocking { kc, mc, nc } = self.blk;
        let (kc, mc, nc) = (kc.min(k), mc.min(m.div_ceil(MR) * MR), nc.min(ncols.div_ceil(NR) * NR));
        if self.packed_a.len() < mc * kc * A_PLANES {
            self.packed_a.resize(mc * kc * A_PLANES, 0.0);
        }
        if self.packed_b.len() < nc * kc * B_PLANES {
            self.packed_b.resize(nc * kc * B_PLANES, 0.0);
        }
    }
}

/// `C -= A * B (mod PRIME)`, same contract as [`super::kernel::base_gemm`].
///
/// Safety: as for `base_gemm`, and the CPU has AVX-512F ([`available`]).
pub(crate) unsafe fn gemm_sub(c: ViewMut, m: usize, n: usize, a: AOp, b: View, ws: &mut SimdWorkspace) {
    let k = a.k();
    ws.reserve(m, k, n);
    let GemmBlocking { kc, mc, nc } = ws.blk;
    for jc in (0..n).step_by(nc) {
        let nb = nc.min(n - jc);
        for pc in (0..k).step_by(kc) {
            let kb = kc.min(k - pc);
            #[cfg(target_arch = "x86_64")]
            pack_b(b.at(pc, jc), kb, nb, &mut ws.packed_b);
            for ic in (0..m).step_by(mc) {
                let mb = mc.min(m - ic);
                #[cfg(target_arch = "x86_64")]
                {
                    pack_a(a.block(ic, pc, kb), mb, &mut ws.packed_a);
                    macro_kernel(c.at(ic, jc), mb, nb, kb, &ws.packed_a, &ws.packed_b);
                }
            }
        }
    }
}

/// Packs `kb x nb` entries of `B` as slivers of `NR` columns:
/// sliver `s`, step `t`, plane `q`, lane `j` at `((s * kb + t) * B_PLANES + q) * NR + j`;
/// missing columns are zero.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn pack_b(b: View, kb: usize, nb: usize, out: &mut [f64]) {
    for (s, j0) in (0..nb).step_by(NR).enumerate() {
        let w = NR.min(nb - j0);
        let sliver = &mut out[s * kb * B_PLANES * NR..(s + 1) * kb * B_PLANES * NR];
        let mask: __mmask8 = if w == NR { !0 } else { (1u8 << w) - 1 };
        for t in 0..kb {
            // Masked-off lanes are not read.
            let planes = limb_planes(_mm512_maskz_loadu_epi64(mask, b.at(t, j0).ptr.cast()));
            let dst = sliver[t * B_PLANES * NR..(t + 1) * B_PLANES * NR].as_mut_ptr();
            for (q, &v) in planes[..B_PLANES].iter().enumerate() {
                _mm512_storeu_pd(dst.add(q * NR), v);
            }
        }
    }
}

/// Packs `mb x kb` entries of `A` as slivers of `MR` rows:
/// sliver `s`, step `t`, plane `q`, lane `i` at `((s * kb + t) * A_PLANES + q) * MR + i`;
/// missing rows are zero.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn pack_a(a: AOp, mb: usize, out: &mut [f64]) {
    let kb = a.k();
    for (s, i0) in (0..mb).step_by(MR).enumerate() {
        let h = MR.min(mb - i0);
        let sliver = &mut out[s * kb * A_PLANES * MR..(s + 1) * kb * A_PLANES * MR];
        let rows: [*const u64; MR] = std::array::from_fn(|i| a.view.at(i0 + i.min(h - 1), 0).ptr);
        // Two steps (8 entries) per vector: lanes (t, i) for i < 4, then (t + 1, i).
        let mut t = 0;
        while t < kb {
            let t2 = (t + 1).min(kb - 1); // an odd last step is computed twice, stored once
            let (c1, c2) = (a.col(t), a.col(t2));
            let x: [u64; 2 * MR] = std::array::from_fn(|l| {
                let (c, i) = if l < MR { (c1, l) } else { (c2, l - MR) };
                if i < h {
                    *rows[i].add(c)
                } else {
                    0
                }
            });
            let planes = limb_planes(_mm512_loadu_si512(x.as_ptr().cast()));
            let dst = sliver.as_mut_ptr().add(t * A_PLANES * MR);
            for (q, &v) in planes.iter().enumerate() {
                _mm256_storeu_pd(dst.add(q * MR), _mm512_castpd512_pd256(v));
                if t + 1 < kb {
                    _mm256_storeu_pd(dst.add((A_PLANES + q) * MR), _mm512_extractf64x4_pd::<1>(v));
                }
            }
            t += 2;
        }
    }
}

/// The six planes `x0, x1, x2, x0 + x1, x0 + x2, x1 + x2` of residues (`< 2^61`), as doubles.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
#[inline]
unsafe fn limb_planes(x: __m512i) -> [__m512d; A_PLANES] {
    let mask = _mm512_set1_epi64(LIMB_MASK as i64);
    let x0 = _mm512_and_si512(x, mask);
    let x1 = _mm512_and_si512(_mm512_srli_epi64::<LIMB>(x), mask);
    let x2 = _mm512_srli_epi64::<{ 2 * LIMB }>(x);
    let magic_bits = _mm512_set1_epi64(MAGIC_BITS as i64);
    let magic = _mm512_set1_pd(MAGIC);
    // v < 2^52: the double with the bits of 2^52 + v, minus 2^52, is v.
    let f = |v: __m512i| _mm512_sub_pd(_mm512_castsi512_pd(_mm512_or_si512(v, magic_bits)), magic);
    let s01 = _mm512_add_epi64(x0, x1);
    let s02 = _mm512_add_epi64(x0, x2);
    let s12 = _mm512_add_epi64(x1, x2);
    [f(x0), f(x1), f(x2), f(s01), f(s02), f(s12)]
}

/// All micro-tiles of one packed block: `C (mb x nb) -= A~ * B~`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn macro_kernel(c: ViewMut, mb: usize, nb: usize, kb: usize, pa: &[f64], pb: &[f64]) {
    let a_len = kb * A_PLANES * MR;
    let b_len = kb * B_PLANES * NR;
    for (sj, j0) in (0..nb).step_by(NR).enumerate() {
        let b = &pb[sj * b_len..(sj + 1) * b_len];
        let w = NR.min(nb - j0);
        let mask: __mmask8 = if w == NR { !0 } else { (1u8 << w) - 1 };
        for (si, i0) in (0..mb).step_by(MR).enumerate() {
            let a = &pa[si * a_len..(si + 1) * a_len];
            let h = MR.min(mb - i0);
            // The tile of C is read only after the k-loop: start fetching it now, so that
            // the loads do not stall on a cache miss (C is touched once per kc block).
            for i in 0..h {
                let p = c.at(i0 + i, j0).ptr;
                _mm_prefetch::<_MM_HINT_T0>(p.cast());
                _mm_prefetch::<_MM_HINT_T0>(p.add(w - 1).cast());
            }
            let acc = micro_kernel(kb, a, b);
            for (i, acc_row) in acc.iter().enumerate().take(h) {
                let p = c.at(i0 + i, j0).ptr;
                // Masked-off lanes (past the w columns of the block) are neither read nor written.
                let old = _mm512_maskz_loadu_epi64(mask, p.cast());
                _mm512_mask_storeu_epi64(p.cast(), mask, sub_mod(old, combine(acc_row)));
            }
        }
    }
}

/// The six plane sums `P_t` of an `MR x NR` tile over `kb <= MAX_KC` steps.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
#[inline]
unsafe fn micro_kernel(kb: usize, a: &[f64], b: &[f64]) -> [[__m512d; A_PLANES]; MR] {
    debug_assert!(kb <= MAX_KC);
    let a = &a[..kb * A_PLANES * MR];
    let b = &b[..kb * B_PLANES * NR];
    let mut acc = [[_mm512_setzero_pd(); A_PLANES]; MR];
    let (mut pa, mut pb) = (a.as_ptr(), b.as_ptr());
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
        for q in 0..A_PLANES {
            for i in 0..MR {
                let x = _mm512_set1_pd(*pa.add(q * MR + i));
                acc[i][q] = _mm512_fmadd_pd(x, planes[q], acc[i][q]);
            }
        }
        pa = pa.add(A_PLANES * MR);
        pb = pb.add(B_PLANES * NR);
    }
    acc
}

/// `(x * 2^s) mod PRIME` in each lane, as a number `< 2^61`, for `x < 2^61` and
/// `0 < s < 61`: a rotation of the 61 bits.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
#[inline]
unsafe fn rot61<const S: u32, const R: u32>(x: __m512i) -> __m512i {
    debug_assert_eq!(S + R, 61);
    let p = _mm512_set1_epi64(PRIME as i64);
    _mm512_or_si512(
        _mm512_and_si512(_mm512_slli_epi64::<S>(x), p),
        _mm512_srli_epi64::<R>(x),
    )
}

/// `a - b mod PRIME` in each lane, for `a, b < PRIME`: the smaller of `a - b` and
/// `a - b + PRIME` as wrapping unsigned numbers.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
#[inline]
unsafe fn sub_mod(a: __m512i, b: __m512i) -> __m512i {
    let d = _mm512_sub_epi64(a, b);
    _mm512_min_epu64(d, _mm512_add_epi64(d, _mm512_set1_epi64(PRIME as i64)))
}

/// The residues `sum_k A[i][k] B[k][j] mod PRIME` of one tile row from its plane sums.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
#[inline]
unsafe fn combine(acc: &[__m512d; A_PLANES]) -> __m512i {
    let magic = _mm512_set1_pd(MAGIC);
    let magic_bits = _mm512_set1_epi64(MAGIC_BITS as i64);
    // Exact integers < 2^52: the bits of `x + 2^52` are those of 2^52 plus `x`.
    let int = |x: __m512d| _mm512_sub_epi64(_mm512_castpd_si512(_mm512_add_pd(x, magic)), magic_bits);
    let [p0, p1, p2, p3, p4, p5] = [
        int(acc[0]),
        int(acc[1]),
        int(acc[2]),
        int(acc[3]),
        int(acc[4]),
        int(acc[5]),
    ];
    let c0 = p0; // x0 y0
    let c1 = _mm512_sub_epi64(p3, _mm512_add_epi64(p0, p1)); // x0 y1 + x1 y0
    let c2 = _mm512_sub_epi64(_mm512_add_epi64(p4, p1), _mm512_add_epi64(p0, p2)); // x0 y2 + x2 y0 + x1 y1
    let c3 = _mm512_sub_epi64(p5, _mm512_add_epi64(p1, p2)); // x1 y2 + x2 y1
    let c4 = p2; // x2 y2
                 // All c < 2^52; 2^63 = 4 and 2^84 = 2^23 mod PRIME; the sum is < 2^63.
    let v = _mm512_add_epi64(
        _mm512_add_epi64(c0, _mm512_slli_epi64::<2>(c3)),
        _mm512_add_epi64(
            _mm512_add_epi64(rot61::<21, 40>(c1), rot61::<42, 19>(c2)),
            rot61::<23, 38>(c4),
        ),
    );
    // Reduce: (v mod 2^61) + (v >> 61) <= PRIME + 3, then one conditional subtraction.
    let p = _mm512_set1_epi64(PRIME as i64);
    let t = _mm512_add_epi64(_mm512_and_si512(v, p), _mm512_srli_epi64::<61>(v));
    _mm512_min_epu64(t, _mm512_sub_epi64(t, p))
}
