//! Rank of integer matrices modulo the Mersenne prime `2^61 - 1`, with a witness.
//!
//! An integer matrix whose rank modulo a prime `p` is `k` has rank at least `k` over `Q`:
//! a `k x k` minor that is non-zero modulo `p` is non-zero over the integers. [`rank_mod_p`]
//! returns the rank modulo [`PRIME`] together with the pivot rows and columns of such a minor,
//! so that a checker can certify a rank lower bound by re-checking a single determinant.
//!
//! # Algorithm of the fast path
//!
//! [`rank_mod_p`] runs a recursive, column-splitting LU factorisation with row pivoting
//! (the rank-revealing variant of Gaussian elimination: a column without a non-zero entry in
//! the rows not yet used as pivots is skipped). On the column range `[c0, c1)`:
//!
//! 1. factor the left half recursively: this finds `k1` pivots, moves the pivot rows up and
//!    leaves the multipliers `L21` below them;
//! 2. bring the right half up to date: `U12 = L11^{-1} A12` (a unit lower triangular solve,
//!    itself recursive) and the Schur complement `A22 -= L21 * U12` (a matrix product);
//! 3. factor the right half of the remaining rows recursively.
//!
//! Almost all the arithmetic is in the matrix products of step 2 (`kernel.rs`), cache-blocked
//! and packed like a BLAS `gemm` (packed copies of `A` and `B`, no allocation in the loops),
//! with delayed reduction modulo the prime:
//!
//! * portable path: a register-blocked `2 x 2` micro-kernel accumulating exact
//!   `u64 x u64 -> u128` products, partially reduced once every 32 terms (products are below
//!   `2^122`, so 63 of them fit in a `u128`) and fully reduced once per block; Mersenne
//!   reduction is a mask, a shift and an add;
//! * when the CPU has AVX-512F (detected at run time, no build flag): `simd.rs`, which splits
//!   residues into three 21-bit limbs and accumulates the six Karatsuba limb products with
//!   exact `f64` FMAs (sums stay below `2^52` for up to 256 terms), `4 x 8` tiles of 24 vector
//!   accumulators, recombined and reduced once per block of 128 terms; with AVX2 and FMA
//!   only, `simd_avx2.rs` does the same arithmetic with `6 x 8` tiles, one plane at a time;
//! * products whose dimensions are all at least 512 first go through Strassen–Winograd
//!   (`strassen.rs`: 7 half-size products instead of 8, exact modulo the prime).
//!
//! The triangular solve of step 2 is recursive too (its off-diagonal blocks are products), and
//! column ranges of at most 16 columns are factored directly, left-looking, each entry's
//! pending updates accumulated in one `u128` (`elim.rs`).
//!
//! # Why the witness minor is non-singular
//!
//! Number the pivots `1..=k` in the order they are found, pivot `t` at row `i_t` (an original
//! row index) and column `c_t`; the columns are found left to right, so `c_1 < ... < c_k`.
//! Every operation of the elimination is "subtract a multiple of the current pivot row from a
//! row that is not a pivot row yet" (the blocked and recursive versions only reorder and
//! batch these operations, and Strassen–Winograd computes the same products by another exact
//! formula; each operation still involves the same rows and multipliers).
//! Hence, at the end, the row that became pivot `t` equals its original row minus a
//! combination of the rows that became pivots `1..t-1`: restricted to the pivot rows, the
//! row operations form a unit lower triangular matrix `T`. After elimination, pivot row `t`
//! is zero in the columns `c_1, ..., c_{t-1}` (they were eliminated from it while it was not a
//! pivot row; the working storage keeps the multipliers there) and non-zero in column `c_t`
//! (it was chosen for that). So on the pivot rows and columns the final matrix is upper
//! triangular with a non-zero diagonal, i.e. it equals `T` times the original minor
//! `M[{i_t}, {c_t}]` and has non-zero determinant; as `det T = 1`, the original minor is
//! non-singular modulo the prime. Sorting rows and columns
//! only changes the sign of the determinant. The same argument applies to every prefix
//! `1..=s` of the pivots, which is the witness returned when stopping early at `stop_at = s`.
//! The rank is exact: when the elimination ends (without `stop_at`), either no row is left
//! or every column has been either chosen as a pivot column or found zero on all remaining
//! rows, so the remaining rows are combinations
//! of the pivot rows.

mod elim;
mod kernel;
mod simd;
mod simd_avx2;
mod strassen;
mod word;
#[cfg(test)]
mod tests;

/// The prime: 2^61 - 1 (a Mersenne prime: reduction is a shift and an add).
pub use crate::field::modp::{add, inv, mul, residue, sub, PRIME};
use crate::field::modp::{reduce, reduce_u64};
pub use crate::field::modw::PRIME as WORD_PRIME;
pub use crate::field::Prime;
pub use word::reduce_mod;

/// A dense row-major matrix of residues mod PRIME (every entry < PRIME).
///
/// Entry `(i, j)` is `entries[i * ncols + j]`. The rank functions also accept entries
/// `>= PRIME` and read them as their residues.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModMatrix {
    pub nrows: usize,
    pub ncols: usize,
    pub entries: Vec<u64>,
}

/// The rank mod `prime` and a witness: `rows` x `cols` (0-based, strictly increasing, length
/// `rank`) index a minor that is non-singular mod `prime`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModRank {
    pub rank: usize,
    pub rows: Vec<usize>,
    pub cols: Vec<usize>,
    pub prime: Prime,
}

impl ModMatrix {
    /// The matrix of residues of signed integers given row by row (`entries.len() == nrows * ncols`).
    pub fn from_i64(nrows: usize, ncols: usize, entries: &[i64]) -> ModMatrix {
        assert_eq!(
            entries.len(),
            nrows * ncols,
            "ModMatrix::from_i64: wrong number of entries"
        );
        ModMatrix {
            nrows,
            ncols,
            entries: entries.iter().map(|&x| residue(x)).collect(),
        }
    }

    /// The sub-matrix on the given rows and columns (in the given order).
    pub fn minor(&self, rows: &[usize], cols: &[usize]) -> ModMatrix {
        let mut entries = Vec::with_capacity(rows.len() * cols.len());
        for &i in rows {
            let row = &self.entries[i * self.ncols..(i + 1) * self.ncols];
            entries.extend(cols.iter().map(|&j| row[j]));
        }
        ModMatrix {
            nrows: rows.len(),
            ncols: cols.len(),
            entries,
        }
    }

    /// The transpose.
    pub fn transpose(&self) -> ModMatrix {
        let mut entries = vec![0; self.entries.len()];
        for i in 0..self.nrows {
            for j in 0..self.ncols {
                entries[j * self.nrows + i] = self.entries[i * self.ncols + j];
            }
        }
        ModMatrix {
            nrows: self.ncols,
            ncols: self.nrows,
            entries,
        }
    }

    fn check_shape(&self) {
        assert_eq!(
            self.entries.len(),
            self.nrows * self.ncols,
            "ModMatrix: entries.len() must be nrows * ncols"
        );
    }
}

/// Fast rank with witness. `stop_at`: stop as soon as the rank reaches this value (None: full rank);
/// the witness then has exactly that many rows/cols.
///
/// Returns `rank = min(stop_at, rank of m mod PRIME)`, and `rows`, `cols` (strictly increasing)
/// such that `m.minor(&rows, &cols)` is non-singular mod PRIME. See the module documentation
/// for the algorithm and why the minor is non-singular.
pub fn rank_mod_p(m: &ModMatrix, stop_at: Option<usize>) -> ModRank {
    m.check_shape();
    elim::rank_blocked(m, stop_at, &elim::Blocking::DEFAULT)
}

/// The rank mod [`WORD_PRIME`] (`2^21 - 9`) of the `nrows x ncols` row-major matrix of residues
/// `entries` (integers in `[0, WORD_PRIME)` held in `f64`; the elimination overwrites them),
/// with a witness, as [`rank_mod_p`] does mod 2^61 - 1 (same algorithm and witness argument).
/// Its products are `f64` matrix products, exact because every partial sum is an integer below
/// `2^53` (`word.rs`), so it runs at the speed of floating-point `gemm`.
pub fn rank_mod_word_prime(nrows: usize, ncols: usize, entries: Vec<f64>, stop_at: Option<usize>) -> ModRank {
    assert!(
        entries
            .iter()
            .all(|&x| (0.0..WORD_PRIME as f64).contains(&x) && x.fract() == 0.0),
        "rank_mod_word_prime: entries must be residues mod the word prime"
    );
    elim::eliminate(entries, nrows, ncols, stop_at, word::Word::new())
}

/// Plain reference: textbook Gaussian elimination mod PRIME, first non-zero pivot in column order.
///
/// For each column in order, the first row (in the current order) among the rows not used as
/// pivots yet with a non-zero entry becomes the pivot row; it is swapped into place and the
/// column is eliminated from all rows below. `O(rows * cols * rank)` reductions.
pub fn rank_mod_p_plain(m: &ModMatrix) -> ModRank {
    m.check_shape();
    let (nr, nc) = (m.nrows, m.ncols);
    let mut a: Vec<u64> = m.entries.iter().map(|&x| reduce_u64(x)).collect();
    let mut order: Vec<usize> = (0..nr).collect();
    let mut cols = Vec::new();
    let mut r = 0;
    for c in 0..nc {
        if r == nr {
            break;
        }
        let Some(p) = (r..nr).find(|&i| a[i * nc + c] != 0) else {
            continue;
        };
        if p != r {
            for j in 0..nc {
                a.swap(p * nc + j, r * nc + j);
            }
            order.swap(p, r);
        }
        let pinv = inv(a[r * nc + c]);
        for i in r + 1..nr {
            let f = mul(a[i * nc + c], pinv);
            if f == 0 {
                continue;
            }
            for j in c..nc {
                a[i * nc + j] = sub(a[i * nc + j], mul(f, a[r * nc + j]));
            }
        }
        cols.push(c);
        r += 1;
    }
    let mut rows = order[..r].to_vec();
    rows.sort_unstable();
    ModRank {
        rank: r,
        rows,
        cols,
        prime: Prime::Mersenne61,
    }
}
