//! The exact-`f64` matrix product of `simd.rs` (same limbs, same Karatsuba planes, same bounds)
//! for CPUs with AVX2 and FMA but without AVX-512, selected at run time.
//!
//! With 16 vector registers a tile cannot hold the six planes of accumulators at once, so
//! the six plane products `P_q = A_q B_q` of a `6 x 8` tile are computed one after the other
//! by a plain `f64` micro-kernel (12 `ymm` accumulators, like a DGEMM kernel), kept in a
//! small buffer, and combined modulo the prime once per block of `kc` terms.

#![allow(clippy::needless_range_loop)]

use super::kernel::{AOp, GemmBlocking, View, ViewMut};
use super::simd::{LIMB, LIMB_MASK, MAGIC, MAGIC_BITS, MAX_KC};
use super::PRIME;
#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

/// Rows of the micro-tile.
const MR: usize = 6;
/// Columns of the micro-tile: two vectors of 4 doubles.
const NR: usize = 8;
/// Planes of a packed entry: `x0, x1, x2, x0 + x1, x0 + x2, x1 + x2`.
const PLANES: usize = 6;

/// Whether this CPU can run this path.
pub(crate) fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Scratch buffers of this path.
pub(crate) struct Avx2Workspace {
    blk: GemmBlocking,
    packed_a: Vec<f64>,
    packed_b: Vec<f64>,
}

impl Avx2Workspace {
    pub(crate) fn new(blk: GemmBlocking) -> Avx2Workspace {
        let kc = blk.kc.clamp(1, MAX_KC);
        let mc = blk.mc.max(1).div_ceil(MR) * MR;
        let nc = blk.nc.max(1).div_ceil(NR) * NR;
        Avx2Workspace {
            blk: GemmBlocking { kc, mc, nc },
            packed_a: Vec::new(),
            packed_b: Vec::new(),
        }
    }

    fn reserve(&mut self, m: usize, k: usize, ncols: usize) {
        let GemmBlocking { kc, mc, nc } = self.blk;
        let (kc, mc, nc) = (kc.min(k), mc.min(m.div_ceil(MR) * MR), nc.min(ncols.div_ceil(NR) * NR));
        if self.packed_a.len() < mc * kc * PLANES {
            self.packed_a.resize(mc * kc * PLANES, 0.0);
        }
        if self.packed_b.len() < nc * kc * PLANES {
            self.packed_b.resize(nc * kc * PLANES, 0.0);
        }
    }
}

/// `C -= A * B (mod PRIME)`, same contract as [`super::kernel::base_gemm`].
///
/// Safety: as for `base_gemm`, and the CPU has AVX2 and FMA ([`available`]).
pub(crate) unsafe fn gemm_sub(c: ViewMut, m: usize, n: usize, a: AOp, b: View, ws: &mut Avx2Workspace) {
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

/// The six planes of a residue (`< 2^61`), as exact doubles.
#[inline(always)]
fn planes(x: u64) -> [f64; PLANES] {
    let (x0, x1, x2) = (x & LIMB_MASK, (x >> LIMB) & LIMB_MASK, x >> (2 * LIMB));
    // v < 2^52: the double with the bits of 2^52 + v, minus 2^52, is v.
    let f = |v: u64| f64::from_bits(MAGIC_BITS | v) - MAGIC;
    [f(x0), f(x1), f(x2), f(x0 + x1), f(x0 + x2), f(x1 + x2)]
}

/// Packs `kb x nb` entries of `B` as slivers of `NR` columns:
/// sliver `s`, plane `q`, step `t`, lane `j` at `((s * PLANES + q) * kb + t) * NR + j`;
/// missing columns are zero.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn pack_b(b: View, kb: usize, nb: usize, out: &mut [f64]) {
    for (s, j0) in (0..nb).step_by(NR).enumerate() {
        let w = NR.min(nb - j0);
        let sliver = &mut out[s * PLANES * kb * NR..(s + 1) * PLANES * kb * NR];
        for t in 0..kb {
            let src = b.at(t, j0).ptr;
            for j in 0..NR {
                let p = planes(if j < w { *src.add(j) } else { 0 });
                for q in 0..PLANES {
                    sliver[(q * kb + t) * NR + j] = p[q];
                }
            }
        }
    }
}

/// Packs `mb x kb` entries of `A` as slivers of `MR` rows:
/// sliver `s`, plane `q`, step `t`, lane `i` at `((s * PLANES + q) * kb + t) * MR + i`;
/// missing rows are zero.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn pack_a(a: AOp, mb: usize, out: &mut [f64]) {
    let kb = a.k();
    for (s, i0) in (0..mb).step_by(MR).enumerate() {
        let h = MR.min(mb - i0);
        let sliver = &mut out[s * PLANES * kb * MR..(s + 1) * PLANES * kb * MR];
        for i in 0..MR {
            let row = a.view.at(i0 + i.min(h - 1), 0).ptr;
            for t in 0..kb {
                let p = planes(if i < h { *row.add(a.col(t)) } else { 0 });
                for q in 0..PLANES {
                    sliver[(q * kb + t) * MR + i] = p[q];
                }
            }
        }
    }
}

/// All micro-tiles of one packed block: `C (mb x nb) -= A~ * B~`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn macro_kernel(c: ViewMut, mb: usize, nb: usize, kb: usize, pa: &[f64], pb: &[f64]) {
    let (a_len, b_len) = (PLANES * kb * MR, PLANES * kb * NR);
    for (sj, j0) in (0..nb).step_by(NR).enumerate() {
        let b = &pb[sj * b_len..(sj + 1) * b_len];
        let w = NR.min(nb - j0);
        for (si, i0) in (0..mb).step_by(MR).enumerate() {
            let a = &pa[si * a_len..(si + 1) * a_len];
            let h = MR.min(mb - i0);
            // Start fetching the tile of C, read only after the six plane products.
            for i in 0..h {
                let p = c.at(i0 + i, j0).ptr;
                _mm_prefetch::<_MM_HINT_T0>(p.cast());
                _mm_prefetch::<_MM_HINT_T0>(p.add(w - 1).cast());
            }
            let mut tile = [[[0.0; NR]; MR]; PLANES];
            for q in 0..PLANES {
                micro_kernel(
                    kb,
                    &a[q * kb * MR..(q + 1) * kb * MR],
                    &b[q * kb * NR..(q + 1) * kb * NR],
                    &mut tile[q],
                );
            }
            for i in 0..h {
                let row = c.at(i0 + i, j0).ptr;
                for j in 0..w {
                    let v = combine(std::array::from_fn(|q| tile[q][i][j]));
                    let x = *row.add(j);
                    *row.add(j) = if x >= v { x - v } else { x + PRIME - v };
                }
            }
        }
    }
}

/// One plane: `out = A_q~ * B_q~` for an `MR x NR` tile over `kb <= MAX_KC` steps.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[inline]
unsafe fn micro_kernel(kb: usize, a: &[f64], b: &[f64], out: &mut [[f64; NR]; MR]) {
    debug_assert!(kb <= MAX_KC);
    let a = &a[..kb * MR];
    let b = &b[..kb * NR];
    let mut acc = [[_mm256_setzero_pd(); 2]; MR];
    let (mut pa, mut pb) = (a.as_ptr(), b.as_ptr());
    for _ in 0..kb {
        let b0 = _mm256_loadu_pd(pb);
        let b1 = _mm256_loadu_pd(pb.add(4));
        for i in 0..MR {
            let x = _mm256_broadcast_sd(&*pa.add(i));
            acc[i][0] = _mm256_fmadd_pd(x, b0, acc[i][0]);
            acc[i][1] = _mm256_fmadd_pd(x, b1, acc[i][1]);
        }
        pa = pa.add(MR);
        pb = pb.add(NR);
    }
    for i in 0..MR {
        _mm256_storeu_pd(out[i].as_mut_ptr(), acc[i][0]);
        _mm256_storeu_pd(out[i].as_mut_ptr().add(4), acc[i][1]);
    }
}

/// `(x * 2^s) mod PRIME` as a number `< 2^61`, for `x < 2^61`: a rotation of the 61 bits.
#[inline(always)]
fn rot61(x: u64, s: u32) -> u64 {
    ((x << s) & PRIME) | (x >> (61 - s))
}

/// The residue of one entry from its six plane sums (exact integers `< 2^52` as doubles);
/// see `simd.rs` for the formula.
#[inline(always)]
fn combine(p: [f64; PLANES]) -> u64 {
    let int = |x: f64| (x + MAGIC).to_bits() - MAGIC_BITS;
    let [p0, p1, p2, p3, p4, p5] = p.map(int);
    let c1 = p3 - p0 - p1;
    let c2 = p4 + p1 - p0 - p2;
    let c3 = p5 - p1 - p2;
    // All c < 2^52; 2^63 = 4 and 2^84 = 2^23 mod PRIME; the sum is < 2^63.
    let v = p0 + (c3 << 2) + rot61(c1, LIMB) + rot61(c2, 2 * LIMB) + rot61(p2, 23);
    let t = (v & PRIME) + (v >> 61);
    if t >= PRIME {
        t - PRIME
    } else {
        t
    }
}
