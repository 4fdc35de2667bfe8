//! Claims about the grid tensor of a generalized network: equality with expected values (an
//! expression of the indices, or other networks' grid tensors, evaluated by the case), and the
//! zero pattern. Decided entry by entry on the exact grid tensor; the first difference in
//! big-endian index order is the counterexample.

use super::{Evidence, Outcome, Verdict};
use crate::field::Q;
use crate::tensor::{next_index, Tensor};
use num_traits::Zero;

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
