//! The AVX2 + FMA micro-kernel of the exact-`f64` product, for CPUs without AVX-512, selected
//! at run time by `kernel.rs`. Only the inner loop lives here: the limbs, the packing, the
//! blocking and the recombination modulo the prime are those of `simd.rs`, shared with the
//! AVX-512 kernel.
//!
//! With 16 vector registers a tile cannot hold the six planes of accumulators at once, so
//! the six plane sums `P_q = A_q B_q` of a `6 x 8` tile are computed one after the other by a
//! plain `f64` micro-kernel (12 `ymm` accumulators, like a DGEMM kernel), each plane of the
//! packed slivers being one contiguous run.

#![cfg(target_arch = "x86_64")]

use super::kernel::{AOp, View, ViewMut};
use super::simd::{gemm_sub_with, Layout, MicroKernel, PlaneSums, Workspace, MAX_KC, PLANES};
use std::arch::x86_64::*;

/// Rows of the micro-tile.
const MR: usize = 6;
/// Columns of the micro-tile: two vectors of 4 doubles.
const NR: usize = 8;

/// Whether this CPU can run this path.
pub(crate) fn available() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}

/// `C -= A * B (mod PRIME)` with `6 x 8` tiles, same contract as [`super::kernel::base_gemm`].
///
/// Safety: as for `base_gemm`, and the CPU has AVX2 and FMA ([`available`]).
#[target_feature(enable = "avx2,fma")]
pub(crate) unsafe fn gemm_sub(c: ViewMut, m: usize, n: usize, a: AOp, b: View, ws: &mut Workspace) {
    gemm_sub_with::<MR, NR, Avx2>(c, m, n, a, b, ws)
}

/// The AVX2 + FMA micro-kernel.
struct Avx2;

impl MicroKernel<MR, NR> for Avx2 {
    const B_PLANES: usize = PLANES;
    const LAYOUT: Layout = Layout::PlaneMajor;

    #[inline(always)]
    unsafe fn plane_sums(kb: usize, a: &[f64], b: &[f64], sums: &mut PlaneSums<MR, NR>) {
        for q in 0..PLANES {
            plane_product(kb, &a[q * kb * MR..][..kb * MR], &b[q * kb * NR..][..kb * NR], q, sums);
        }
    }
}

/// One plane `q`: `sums[i][q] = A_q~ * B_q~` for an `MR x NR` tile over `kb <= MAX_KC` steps.
/// Safety: the CPU has AVX2 and FMA.
#[target_feature(enable = "avx2,fma")]
#[inline]
unsafe fn plane_product(kb: usize, a: &[f64], b: &[f64], q: usize, sums: &mut PlaneSums<MR, NR>) {
    debug_assert!(kb <= MAX_KC);
    let a = &a[..kb * MR];
    let b = &b[..kb * NR];
    let mut acc = [[_mm256_setzero_pd(); 2]; MR];
    let (mut pa, mut pb) = (a.as_ptr(), b.as_ptr());
    // SAFETY: step t reads a[t * MR..][..MR] and b[t * NR..][..NR], inside the slices above.
    for _ in 0..kb {
        let b0 = _mm256_loadu_pd(pb);
        let b1 = _mm256_loadu_pd(pb.add(4));
        for (i, acc_row) in acc.iter_mut().enumerate() {
            let x = _mm256_broadcast_sd(&*pa.add(i));
            acc_row[0] = _mm256_fmadd_pd(x, b0, acc_row[0]);
            acc_row[1] = _mm256_fmadd_pd(x, b1, acc_row[1]);
        }
        pa = pa.add(MR);
        pb = pb.add(NR);
    }
    for (row_sums, acc_row) in sums.iter_mut().zip(&acc) {
        let out = row_sums[q].as_mut_ptr();
        _mm256_storeu_pd(out, acc_row[0]);
        _mm256_storeu_pd(out.add(4), acc_row[1]);
    }
}
