//! Residues modulo the word prime `p = 2^21 - 9` held in `f64`, the arithmetic of
//! `rank_mod_word_prime`: `elim.rs` runs its elimination over [`Word`], and the products of the
//! trailing update and of the triangular solve are `f64` matrix products
//! (`matrixmultiply::dgemm`, at the speed of a floating-point BLAS).
//!
//! # Why the floating-point products are exact
//!
//! Residues are integers in `[0, p)`, so a product of two is an integer below `(p - 1)^2 < 2^42`
//! and an entry `C - sum_{t < K} A[i][t] B[t][j]` with `K <= MAX_TERMS = 1024` is an integer of
//! absolute value below `p + 2^52 < 2^53`. Every partial sum on the way is such an integer too,
//! and integers of absolute value up to `2^53` are exact in `f64`: every addition, in whatever
//! order and with or without fused multiply-adds, is exact. Longer products are split into
//! chunks of at most `MAX_TERMS` terms, reduced in between. [`reduce_mod`] brings such an
//! integer back to `[0, p)` exactly (see there).
//!
//! The mod-2^61 - 1 arithmetic and its kernels are `elim.rs`'s `Mersenne` and `kernel.rs`.

use super::elim::{assert_operands, Arithmetic, MAX_PANEL};
use crate::field::{modw, Prime};

/// The prime, as an `f64` (exact: it is below `2^21`).
const P: f64 = modw::PRIME as f64;
/// The most terms of one product between two reductions: `p + MAX_TERMS (p - 1)^2 < 2^53`.
const MAX_TERMS: usize = 1024;
/// Column ranges at most this wide are factored directly.
const PANEL: usize = 16;
/// Triangular solves with at most this many rows are done directly.
const TRSM_BASE: usize = 32;

/// `x mod p` for a prime `p < 2^21` (given as an `f64`) and an integer `x` with
/// `|x| < 2^53 - 2^33`, exactly; the one reduction of residues held in `f64` (here and in
/// `network::assembly`).
///
/// `t = fl(x / p)` is within a relative `2^-53` of `x / p`, `|x / p| < 2^32`; adding and
/// subtracting `1.5 * 2^52` rounds it to the nearest integer `q` (the sum lies in
/// `[2^52, 2^53)`, where the spacing is 1), so `|q - x / p| <= 1/2 + 2^-21`. Then `q p` is an
/// integer of magnitude at most `|x| + p < 2^53` (exact), and `x - q p` an integer of magnitude
/// below `p` (exact: IEEE subtraction of two exact integers whose difference is representable
/// is exact); one correction brings it into `[0, p)`.
#[inline(always)]
pub fn reduce_mod(x: f64, p: f64) -> f64 {
    const ROUND: f64 = 1.5 * (1u64 << 52) as f64;
    let q = (x / p + ROUND) - ROUND;
    let r = x - q * p;
    if r < 0.0 {
        r + p
    } else {
        r
    }
}

/// `x mod` the word prime, for `|x| < 2^52 + 2^22`: every value the elimination reduces (a
/// residue minus at most `MAX_TERMS` products, or a product), within [`reduce_mod`]'s range.
#[inline(always)]
fn reduce(x: f64) -> f64 {
    reduce_mod(x, P)
}

/// The word-prime arithmetic, with the buffer the products pack their left operand into.
pub(crate) struct Word {
    pack: Vec<f64>,
}

impl Word {
    pub(crate) fn new() -> Word {
        Word { pack: Vec::new() }
    }
}

impl Arithmetic for Word {
    type E = f64;
    const ZERO: f64 = 0.0;
    const PRIME: Prime = Prime::Word21;

    fn panel(&self) -> usize {
        PANEL
    }
    fn sub(&self, a: f64, b: f64) -> f64 {
        let d = a - b;
        if d < 0.0 {
            d + P
        } else {
            d
        }
    }
    fn mul(&self, a: f64, b: f64) -> f64 {
        reduce(a * b)
    }
    fn inv(&self, a: f64) -> f64 {
        Prime::Word21.inv(a as u64) as f64
    }

    /// At most 63 products below `2^42`: the sum is below `2^48`, exact.
    #[inline(always)]
    fn dot(&self, row: &[f64], cols: &[usize], u: &[f64]) -> f64 {
        debug_assert!(cols.len() <= MAX_PANEL);
        let mut acc = 0.0;
        for (&c, &x) in cols.iter().zip(u) {
            acc += row[c] * x;
        }
        reduce(acc)
    }

    fn trailing_update(&mut self, a: &mut [f64], n: usize, m: usize, r0: usize, pc: &[usize], cm: usize, c1: usize) {
        let k1 = pc.len();
        trsm_unit_lower(a, n, r0, pc, cm, c1 - cm, &mut self.pack);
        gemm_sub(a, n, r0 + k1, m - r0 - k1, cm, c1 - cm, pc, r0, &mut self.pack);
    }
}

/// `C -= A * B (mod p)` inside the row-major `mat` with row stride `n`, where, with
/// `k = a_cols.len()`: `C[i][j] = mat[(c_row0 + i) * n + col0 + j]` (`m x ncols`),
/// `A[i][t] = mat[(c_row0 + i) * n + a_cols[t]]` (the columns `a_cols` outside
/// `col0..col0 + ncols`) and `B[t][j] = mat[(b_row0 + t) * n + col0 + j]` (rows outside C's).
/// `A` is packed into `pack`, `MAX_TERMS` columns at a time.
#[allow(clippy::too_many_arguments)]
fn gemm_sub(
    mat: &mut [f64],
    n: usize,
    c_row0: usize,
    m: usize,
    col0: usize,
    ncols: usize,
    a_cols: &[usize],
    b_row0: usize,
    pack: &mut Vec<f64>,
) {
    let k = a_cols.len();
    if m == 0 || ncols == 0 || k == 0 {
        return;
    }
    // The operands are inside `mat`, and C is disjoint from B (other rows) and from A (packed
    // from other columns).
    assert_operands(mat.len(), n, (c_row0, m), (col0, ncols), a_cols, b_row0);
    for (chunk, cols) in a_cols.chunks(MAX_TERMS).enumerate() {
        let kc = cols.len();
        pack.clear();
        for i in 0..m {
            let row = &mat[(c_row0 + i) * n..][..n];
            pack.extend(cols.iter().map(|&c| row[c]));
        }
        let base = mat.as_mut_ptr();
        // SAFETY: B (rows b_row0 + chunk * MAX_TERMS.. + kc) and C (rows c_row0..c_row0 + m)
        // lie inside `mat` and do not overlap (checked above); A is the separate `pack`.
        unsafe {
            matrixmultiply::dgemm(
                m,
                kc,
                ncols,
                -1.0,
                pack.as_ptr(),
                kc as isize,
                1,
                base.add((b_row0 + chunk * MAX_TERMS) * n + col0),
                n as isize,
                1,
                1.0,
                base.add(c_row0 * n + col0),
                n as isize,
                1,
            );
        }
        for row in mat[c_row0 * n..(c_row0 + m) * n].chunks_exact_mut(n) {
            for x in &mut row[col0..col0 + ncols] {
                *x = reduce(*x);
            }
        }
    }
}

/// `X <- L^{-1} X (mod p)` for the `k = pc.len()` rows `row0..row0 + k` and the columns
/// `col0..col0 + ncols`, where `L` is unit lower triangular with
/// `L[i][j] = mat[(row0 + i) * n + pc[j]]` for `j < i` (the columns `pc` left of `col0`).
/// Recursive on halves of the rows, the off-diagonal block a [`gemm_sub`].
fn trsm_unit_lower(
    mat: &mut [f64],
    n: usize,
    row0: usize,
    pc: &[usize],
    col0: usize,
    ncols: usize,
    pack: &mut Vec<f64>,
) {
    let k = pc.len();
    if k <= 1 || ncols == 0 {
        return;
    }
    if k > TRSM_BASE {
        let h = k / 2;
        trsm_unit_lower(mat, n, row0, &pc[..h], col0, ncols, pack);
        gemm_sub(mat, n, row0 + h, k - h, col0, ncols, &pc[..h], row0, pack);
        trsm_unit_lower(mat, n, row0 + h, &pc[h..], col0, ncols, pack);
        return;
    }
    // Forward substitution: x_i -= sum_{j < i} L[i][j] x_j, at most 31 products below 2^42
    // per entry (exact), reduced once.
    let mut acc = vec![0.0; ncols];
    for i in 1..k {
        let (above, rest) = mat[row0 * n..].split_at_mut(i * n);
        let row = &mut rest[..n];
        acc.iter_mut().for_each(|x| *x = 0.0);
        for (j, &c) in pc[..i].iter().enumerate() {
            let l = row[c];
            if l != 0.0 {
                for (s, &x) in acc.iter_mut().zip(&above[j * n + col0..j * n + col0 + ncols]) {
                    *s += l * x;
                }
            }
        }
        for (x, &s) in row[col0..col0 + ncols].iter_mut().zip(&acc) {
            *x = reduce(*x - s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{rank_mod_word_prime, ModRank};
    use super::*;
    use proptest::prelude::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    const W: u64 = modw::PRIME;

    /// A random `nr x nc` matrix mod p: a product of factors of inner dimension `inner`
    /// (`None`: uniform entries), `zero_pct` percent of the factors' entries zero, the rest
    /// small integers or uniform residues; then `copies` rows replaced by multiples of others.
    fn matrix(nr: usize, nc: usize, inner: Option<usize>, zero_pct: u32, copies: usize, seed: u64) -> Vec<u64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let entry = |rng: &mut ChaCha8Rng| match rng.gen_range(0..100) {
            z if z < zero_pct => 0,
            z if z % 2 == 0 => rng.gen_range(-3i64..=3).rem_euclid(W as i64) as u64,
            _ => rng.gen_range(0..W),
        };
        let mut m: Vec<u64> = match inner {
            None => (0..nr * nc).map(|_| entry(&mut rng)).collect(),
            Some(r) => {
                let x: Vec<u64> = (0..nr * r).map(|_| entry(&mut rng)).collect();
                let y: Vec<u64> = (0..r * nc).map(|_| entry(&mut rng)).collect();
                (0..nr * nc)
                    .map(|e| (0..r).fold(0, |acc, t| (acc + x[e / nc * r + t] * y[t * nc + e % nc]) % W))
                    .collect()
            }
        };
        for _ in 0..copies.min(nr) {
            let (from, to, f) = (rng.gen_range(0..nr), rng.gen_range(0..nr), rng.gen_range(0..W));
            for j in 0..nc {
                m[to * nc + j] = m[from * nc + j] * f % W;
            }
        }
        m
    }

    /// The plain reference's rank mod p (the kernel's elimination).
    fn plain(m: &[u64], nc: usize) -> usize {
        tnproof_kernel::rank_mod(m.chunks(nc.max(1)).map(<[u64]>::to_vec), Prime::Word21)
    }

    fn fast(m: &[u64], nr: usize, nc: usize, stop_at: Option<usize>) -> ModRank {
        rank_mod_word_prime(nr, nc, m.iter().map(|&x| x as f64).collect(), stop_at)
    }

    /// The witness is a minor of the stated size, non-singular by the plain reference.
    fn assert_witness(m: &[u64], nc: usize, r: &ModRank) {
        assert_eq!((r.rows.len(), r.cols.len(), r.prime), (r.rank, r.rank, Prime::Word21));
        assert!(r.rows.windows(2).all(|w| w[0] < w[1]) && r.cols.windows(2).all(|w| w[0] < w[1]));
        let minor: Vec<u64> = r
            .rows
            .iter()
            .flat_map(|&i| r.cols.iter().map(move |&j| m[i * nc + j]))
            .collect();
        assert_eq!(plain(&minor, r.rank), r.rank, "the witness minor is singular: {r:?}");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn agrees_with_the_plain_elimination(
            nr in 0usize..90, nc in 0usize..90, inner in prop::option::of(0usize..40),
            zero_pct in 0u32..=100, copies in 0usize..5, stop in prop::option::of(0usize..60), seed in any::<u64>(),
        ) {
            let m = matrix(nr, nc, inner, zero_pct, copies, seed);
            let r = fast(&m, nr, nc, stop);
            prop_assert_eq!(r.rank, plain(&m, nc).min(stop.unwrap_or(usize::MAX)));
            assert_witness(&m, nc, &r);
        }
    }

    /// A rank-1100 product of 2100 x 1100 and 1100 x 2100 factors: the first half of the
    /// columns yields 1050 pivots, so the update of the second half is a product with more
    /// than MAX_TERMS = 1024 terms, reduced between chunks. Generic factors give rank 1100.
    #[test]
    fn products_longer_than_one_chunk_stay_exact() {
        let (n, r) = (2100, 1100);
        let m = matrix(n, n, Some(r), 0, 0, 7);
        let found = fast(&m, n, n, None);
        assert_eq!(found.rank, r);
        assert_witness(&m, n, &found);
    }

    /// `[[1, 1], [1, 1 + p]]` is singular mod p only; entries `p - 1` everywhere give rank 1.
    #[test]
    fn small_matrices_by_hand() {
        assert_eq!(fast(&[1, 1, 1, 1], 2, 2, None).rank, 1);
        assert_eq!(fast(&[1, 1, 1, 2], 2, 2, None).rank, 2);
        let r = fast(&[W - 1; 12], 3, 4, None);
        assert_eq!((r.rank, r.rows.as_slice(), r.cols.as_slice()), (1, &[0][..], &[0][..]));
        let r = fast(&[0, 0, 5, 0, 3, 7], 2, 3, None);
        assert_eq!(
            (r.rank, r.rows.as_slice(), r.cols.as_slice()),
            (2, &[0, 1][..], &[1, 2][..])
        );
    }

    #[test]
    fn reduce_is_the_residue_at_the_extremes() {
        let p = modw::PRIME as i64;
        let most = (1i64 << 52) + (1 << 22) - 1;
        for x in [
            0,
            1,
            p - 1,
            p,
            p + 1,
            -1,
            -p,
            -p - 1,
            most,
            -most,
            3 * p,
            1 << 50,
            -(1 << 51) + 5,
        ] {
            assert_eq!(reduce(x as f64), x.rem_euclid(p) as f64, "x = {x}");
        }
        // The largest entry an update can reach: p - 1 minus MAX_TERMS products (p - 1)^2.
        let low = (p - 1) - MAX_TERMS as i64 * (p - 1) * (p - 1);
        assert!(low.unsigned_abs() < (1 << 52) + (1 << 22));
        assert_eq!(reduce(low as f64), low.rem_euclid(p) as f64);
    }
}
