//! Zero-equivalence of a weighted automaton (Schützenberger; Tzeng 1992): the search for the span
//! of the reachable row vectors `alpha M(w)`, returning either that span in reduced row-echelon
//! form (the certificate that every word has weight 0, which the kernel's `closed` checks) or a
//! shortest word of non-zero weight. Nothing here builds automata.

use std::collections::VecDeque;

use super::{dot, SparseRow, WeightedAutomaton};
use crate::field::{Scalar, Q};

/// The outcome of `zero_check`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZeroCheck {
    /// Every word has weight 0; `basis` (reduced row-echelon form, rows ordered by pivot column)
    /// spans every `alpha M(w)` and passes `closed`; rows sparse, `(state, value)`.
    Zero { basis: Vec<SparseRow> },
    /// `word` has the weight `weight != 0`, and every shorter word has weight 0.
    Counterexample { word: Vec<usize>, weight: Q },
}

/// Whether the automaton gives every word the weight 0.
pub fn is_zero(a: &WeightedAutomaton) -> bool {
    matches!(zero_check(a), ZeroCheck::Zero { .. })
}

/// Breadth-first search over words, extending only the words whose vector `alpha M(w)` was new
/// (not in the span of those before), and keeping the span in reduced row-echelon form.
///
/// Why the first new vector with a non-zero final value belongs to a shortest word of non-zero
/// weight: let `V_k` be the span of `alpha M(w)` over the words of length at most k. The words
/// are taken in order of length, and `V_k = V_{k-1} + sum_l V_{k-1} M(l)`, so by induction, once
/// the words of length k are done, the new vectors of length at most k span `V_k` (every word of
/// length k + 1 that the search skips is an extension of a skipped word, whose vector lies in the
/// span of shorter new ones, and so does its extension). Let L be the least length of a word of
/// non-zero weight. Every vector of `V_{L-1}` has final value 0, while `V_L` has one with a
/// non-zero value; so no new vector of length below L has a non-zero value, and some new vector of
/// length exactly L has one. A vector that is not new lies in the span of earlier new ones, all
/// with final value 0, so it has value 0 too. Hence the first word found has length L. (It is not
/// always the first of length L in lexicographic order.)
pub fn zero_check(a: &WeightedAutomaton) -> ZeroCheck {
    let mut basis: Vec<(usize, Vec<Q>)> = Vec::new();
    let mut queue = VecDeque::from([(Vec::new(), a.alpha().to_vec())]);
    while let Some((word, v)) = queue.pop_front() {
        let reduced = reduce(&v, &basis);
        let Some(pivot) = reduced.iter().position(|x| !x.vanishes()) else {
            continue;
        };
        let weight = dot(&v, a.beta());
        if !weight.vanishes() {
            return ZeroCheck::Counterexample { word, weight };
        }
        insert(&mut basis, pivot, reduced);
        for l in 0..a.letters() {
            let mut longer = word.clone();
            longer.push(l);
            queue.push_back((longer, a.step(&v, l)));
        }
    }
    ZeroCheck::Zero {
        basis: basis
            .into_iter()
            .map(|(_, row)| row.into_iter().enumerate().filter(|(_, x)| !x.vanishes()).collect())
            .collect(),
    }
}

/// `v` minus its combination of the basis rows at their pivot columns (0 iff `v` is in the span).
fn reduce(v: &[Q], basis: &[(usize, Vec<Q>)]) -> Vec<Q> {
    let mut out = v.to_vec();
    for (pivot, row) in basis {
        let c = out[*pivot].clone();
        if !c.vanishes() {
            for (o, x) in out.iter_mut().zip(row) {
                *o -= &c * x;
            }
        }
    }
    out
}

/// Adds the reduced vector `row` (zero at every pivot column of `basis`, non-zero at `pivot`),
/// scaled to 1 at its pivot, clears its pivot column in the other rows, and keeps pivot order.
fn insert(basis: &mut Vec<(usize, Vec<Q>)>, pivot: usize, mut row: Vec<Q>) {
    let scale = row[pivot].clone();
    for x in &mut row {
        *x /= &scale;
    }
    for (_, other) in basis.iter_mut() {
        let c = other[pivot].clone();
        if !c.vanishes() {
            for (o, x) in other.iter_mut().zip(&row) {
                *o -= &c * x;
            }
        }
    }
    let at = basis.partition_point(|(p, _)| *p < pivot);
    basis.insert(at, (pivot, row));
}

#[cfg(test)]
mod tests;
