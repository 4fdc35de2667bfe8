//! Claims about the grid tensor of a generalized network: equality with expected values (an
//! expression of the indices, or other networks' grid tensors, evaluated by the case), and the
//! zero pattern. Decided entry by entry on the exact grid tensor; the first difference in
//! big-endian index order is the counterexample. Also the disproof of a width lower bound: a
//! compared shallow network, narrower than the bound, with the same grid tensor.

use super::{Evidence, Outcome, Verdict};
use crate::field::Q;
use crate::network::generalized::{Body, Generalized};
use crate::tensor::{next_index, Tensor};
use num_traits::Zero;

/// A compared shallow network narrower than a claimed width bound whose grid tensor equals the
/// subject's entry by entry: with the case's operator (a rectifier, for Lemma 5's claims), it
/// is a shallow network of that smaller width for the same grid tensor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NarrowerShallow {
    /// The compared network's name in the case (`[construction.compare.NAME]`).
    pub name: String,
    pub width: usize,
}

/// The first compared shallow network, in the case's order, of width below `bound` whose grid
/// tensor equals `network`'s entry by entry.
pub fn narrower_shallow(network: &Generalized, bound: &Q) -> Option<NarrowerShallow> {
    network.others.iter().find_map(|(name, body, grid)| match body {
        Body::Shallow(s) if Q::from_integer(s.width().into()) < *bound && *grid == network.grid => {
            Some(NarrowerShallow {
                name: name.clone(),
                width: s.width(),
            })
        }
        _ => None,
    })
}

/// Every entry of `grid` equals the one of `expected` (same shape).
pub fn decide_equal(grid: &Tensor<Q>, expected: &Tensor<Q>) -> Outcome {
    first_index(grid.shape(), |index| grid.get(index) != expected.get(index)).map_or(
        Outcome {
            verdict: Verdict::Holds,
            evidence: Evidence::GridEqual {
                entries: grid.entries().len(),
            },
        },
        |index| Outcome {
            verdict: Verdict::Fails,
            evidence: Evidence::EntryDiffers {
                expected: expected.get(&index).clone(),
                actual: grid.get(&index).clone(),
                index,
            },
        },
    )
}

/// `grid` vanishes exactly where `zero` is true (same shape).
pub fn decide_pattern(grid: &Tensor<Q>, zero: &Tensor<bool>) -> Outcome {
    let differs = |index: &[usize]| grid.get(index).is_zero() != *zero.get(index);
    match first_index(grid.shape(), differs) {
        None => Outcome {
            verdict: Verdict::Holds,
            evidence: Evidence::PatternHolds {
                entries: grid.entries().len(),
                zeros: grid.entries().iter().filter(|x| x.is_zero()).count(),
            },
        },
        Some(index) => Outcome {
            verdict: Verdict::Fails,
            evidence: Evidence::PatternDiffers {
                zero_expected: *zero.get(&index),
                actual: grid.get(&index).clone(),
                index,
            },
        },
    }
}

/// The first multi-index (big-endian) where `differs` holds.
fn first_index(shape: &[usize], differs: impl Fn(&[usize]) -> bool) -> Option<Vec<usize>> {
    let mut index = vec![0; shape.len()];
    loop {
        if differs(&index) {
            return Some(index);
        }
        if !next_index(shape, &mut index) {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::q_int;

    fn tensor(values: &[i64]) -> Tensor<Q> {
        Tensor::from_entries(vec![2, 2], values.iter().map(|&v| q_int(v)).collect()).unwrap()
    }

    #[test]
    fn the_first_difference_is_the_counterexample() {
        let outcome = decide_equal(&tensor(&[0, 1, 1, 0]), &tensor(&[0, 1, 1, 1]));
        assert_eq!(outcome.verdict, Verdict::Fails);
        assert_eq!(
            outcome.evidence,
            Evidence::EntryDiffers {
                index: vec![1, 1],
                expected: q_int(1),
                actual: q_int(0)
            }
        );
        assert_eq!(
            decide_equal(&tensor(&[3, 1, 1, 0]), &tensor(&[3, 1, 1, 0])).verdict,
            Verdict::Holds
        );
    }

    #[test]
    fn a_pattern_fails_on_a_zero_where_none_is_claimed_and_on_a_missing_zero() {
        let zero = Tensor::from_entries(vec![2, 2], vec![true, false, false, true]).unwrap();
        assert_eq!(
            decide_pattern(&tensor(&[0, 5, -1, 0]), &zero).evidence,
            Evidence::PatternHolds { entries: 4, zeros: 2 }
        );
        let missing = decide_pattern(&tensor(&[0, 5, -1, 2]), &zero);
        assert_eq!(
            missing.evidence,
            Evidence::PatternDiffers {
                index: vec![1, 1],
                zero_expected: true,
                actual: q_int(2)
            }
        );
        let extra = decide_pattern(&tensor(&[0, 0, -1, 0]), &zero);
        assert_eq!(
            extra.evidence,
            Evidence::PatternDiffers {
                index: vec![0, 1],
                zero_expected: false,
                actual: q_int(0)
            }
        );
    }
}
