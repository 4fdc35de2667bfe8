//! Rank modulo the prime `PRIME = 2^61 - 1` with a witness: the pivot rows and columns of a
//! minor that is non-singular mod p. For an integer (or rational) matrix that minor is non-zero
//! over Q too, so the rank mod p is a certified lower bound on the rank over Q.

use crate::field::modp::{inv, mul, sub};

pub use crate::field::modp::PRIME;

/// A dense row-major matrix of residues mod `PRIME`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModMatrix {
    pub nrows: usize,
    pub ncols: usize,
    pub entries: Vec<u64>,
}

/// The rank mod `PRIME` and a minor non-singular mod `PRIME` (0-based, increasing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModRank {
    pub rank: usize,
    pub rows: Vec<usize>,
    pub cols: Vec<usize>,
}

/// Rank with witness, stopping once the rank reaches `stop_at`.
pub fn rank_mod_p(m: &ModMatrix, stop_at: Option<usize>) -> ModRank {
    let mut a: Vec<Vec<u64>> = m.entries.chunks(m.ncols.max(1)).take(m.nrows).map(<[u64]>::to_vec).collect();
    let mut original: Vec<usize> = (0..m.nrows).collect();
    let (mut rows, mut cols) = (Vec::new(), Vec::new());
    for c in 0..m.ncols {
        if stop_at.is_some_and(|s| cols.len() >= s) {
            break;
        }
        let k = cols.len();
        let Some(r) = (k..m.nrows).find(|&r| a[r][c] != 0) else { continue };
        a.swap(k, r);
        original.swap(k, r);
        let pivot_inverse = inv(a[k][c]);
        let (done, below) = a.split_at_mut(k + 1);
        for row in below {
            if row[c] != 0 {
                let factor = mul(row[c], pivot_inverse);
                for (x, &y) in row[c..].iter_mut().zip(&done[k][c..]) {
                    *x = sub(*x, mul(factor, y));
                }
            }
        }
        rows.push(original[k]);
        cols.push(c);
    }
    rows.sort_unstable();
    ModRank { rank: cols.len(), rows, cols }
}
