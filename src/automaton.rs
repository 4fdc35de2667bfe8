//! Weighted automata over Q, the tool for claims about every depth d at once (SPEC §7): an
//! automaton with `s` states has an initial row vector `alpha` (1 x s), one s x s matrix `M(l)` per
//! letter and a final column vector `beta`, and gives the word `w_1..w_k` the weight
//! `alpha M(w_1) ... M(w_k) beta`. This file owns the automaton, the deterministic finite automata
//! (DFAs) that select words, and the constructions on them: `difference`, `product` with a DFA,
//! the pair-alphabet view `pairs` and `restrict_letters`. Tensor trains as automata are in `tt`,
//! zero-equivalence and its certificate in `equivalence`. It decides no claims.
//!
//! # The certificate of zero-equivalence
//!
//! An automaton is zero (weight 0 on every word, the empty word included) iff there is a list of
//! row vectors `B` (here in reduced row-echelon form) such that
//! 1. `alpha` lies in the row span of `B`,
//! 2. for every row `b` of `B` and every letter `l`, `b M(l)` lies in the row span of `B`
//!    (closure),
//! 3. every row `b` of `B` has `b beta = 0` (final annihilation).
//!
//! The mathematics assumed is one induction over the word length: by 1, `alpha M(empty) = alpha`
//! is in the span; if `alpha M(w)` is in the span, so is `alpha M(w) M(l)` by 2 and linearity;
//! hence every `alpha M(w)` is a combination of rows of `B`, and by 3 its product with `beta`, the
//! weight of `w`, is 0. Conversely the span of every `alpha M(w)` (Schützenberger; Tzeng 1992),
//! computed by `equivalence::zero_check`, is such a `B` whenever the automaton is zero, and has at
//! most `s` rows. A checker verifies 1-3 with `equivalence::closed`, which does no search: in
//! reduced row-echelon form a vector `v` lies in the span iff `v - sum_j v[p_j] b_j = 0`, `p_j` the
//! pivot column of row `b_j`, so no coefficients need to be handed over. Two automata agree on
//! every word iff their `difference` is zero.

pub mod equivalence;
pub mod tt;

use std::cmp::Ordering;

use crate::field::{Scalar, Q};

/// A weighted automaton over Q on the letters `0..letters` (0-based; certificates say 1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeightedAutomaton {
    alpha: Vec<Q>,
    /// `matrices[l][p][q]`: the weight of the transition from state p to state q reading `l`.
    matrices: Vec<Vec<Vec<Q>>>,
    beta: Vec<Q>,
}

impl WeightedAutomaton {
    /// Checks the shapes: `alpha` and `beta` of length `s`, each matrix `s x s`, at least one letter.
    pub fn new(alpha: Vec<Q>, matrices: Vec<Vec<Vec<Q>>>, beta: Vec<Q>) -> Result<Self, String> {
        let s = alpha.len();
        if beta.len() != s {
            return Err(format!("alpha has {s} states but beta has {}", beta.len()));
        }
        if matrices.is_empty() {
            return Err("an automaton needs at least one letter".into());
        }
        for (l, m) in matrices.iter().enumerate() {
            if m.len() != s || m.iter().any(|row| row.len() != s) {
                return Err(format!("the matrix of letter {} is not {s} x {s}", l + 1));
            }
        }
        Ok(WeightedAutomaton { alpha, matrices, beta })
    }

    pub fn states(&self) -> usize {
        self.alpha.len()
    }

    pub fn letters(&self) -> usize {
        self.matrices.len()
    }

    pub fn alpha(&self) -> &[Q] {
        &self.alpha
    }

    pub fn beta(&self) -> &[Q] {
        &self.beta
    }

    /// The matrix `M(letter)`, as rows.
    pub fn matrix(&self, letter: usize) -> &[Vec<Q>] {
        &self.matrices[letter]
    }

    /// `v M(letter)`.
    pub fn step(&self, v: &[Q], letter: usize) -> Vec<Q> {
        row_times_matrix(v, &self.matrices[letter])
    }

    /// `alpha M(w_1) ... M(w_k) beta`; `None` if a letter is outside the alphabet.
    pub fn weight(&self, word: &[usize]) -> Option<Q> {
        let mut v = self.alpha.clone();
        for &l in word {
            if l >= self.letters() {
                return None;
            }
            v = self.step(&v, l);
        }
        Some(dot(&v, &self.beta))
    }

    /// The automaton of `w -> 1` if `dfa` accepts `w`, else 0 (its states are the DFA's).
    pub fn of_dfa(dfa: &Dfa) -> WeightedAutomaton {
        let s = dfa.states();
        let unit = |p: usize| (0..s).map(|q| Q::from_integer((p == q).into())).collect::<Vec<_>>();
        let matrices = (0..dfa.letters())
            .map(|l| (0..s).map(|p| unit(dfa.next(p, l))).collect())
            .collect();
        let beta = (0..s).map(|p| Q::from_integer(dfa.accepts_state(p).into())).collect();
        WeightedAutomaton {
            alpha: unit(dfa.start()),
            matrices,
            beta,
        }
    }

    /// The automaton of `weight_a - weight_b`: the states of `a`, then those of `b`, block-diagonal
    /// matrices, `alpha = (alpha_a, -alpha_b)`, `beta = (beta_a, beta_b)`.
    pub fn difference(a: &WeightedAutomaton, b: &WeightedAutomaton) -> Result<WeightedAutomaton, String> {
        if a.letters() != b.letters() {
            return Err(format!(
                "the automata read {} and {} letters; a difference needs one alphabet",
                a.letters(),
                b.letters()
            ));
        }
        let (sa, sb) = (a.states(), b.states());
        let alpha = a.alpha.iter().cloned().chain(b.alpha.iter().map(|x| -x)).collect();
        let beta = a.beta.iter().chain(&b.beta).cloned().collect();
        let matrices = a
            .matrices
            .iter()
            .zip(&b.matrices)
            .map(|(ma, mb)| {
                let left = ma.iter().map(|row| row.iter().cloned().chain(zeros(sb)).collect());
                let right = mb.iter().map(|row| zeros(sa).chain(row.iter().cloned()).collect());
                left.chain(right).collect()
            })
            .collect();
        Ok(WeightedAutomaton { alpha, matrices, beta })
    }

    /// The automaton of `w -> weight_a(w) [dfa accepts w]`: states `(p, d)` numbered `p * D + d`
    /// (`D` the DFA's state count); reading `l` goes from `(p, d)` to `(q, next(d, l))` with
    /// weight `M(l)[p][q]`.
    pub fn product(a: &WeightedAutomaton, dfa: &Dfa) -> Result<WeightedAutomaton, String> {
        if a.letters() != dfa.letters() {
            return Err(format!(
                "the automaton reads {} letters and the DFA {}; a product needs one alphabet",
                a.letters(),
                dfa.letters()
            ));
        }
        let ds = dfa.states();
        let s = a.states() * ds;
        let alpha = (0..s)
            .map(|x| {
                if x % ds == dfa.start() {
                    a.alpha[x / ds].clone()
                } else {
                    Q::zero_value()
                }
            })
            .collect();
        let beta = (0..s)
            .map(|x| {
                if dfa.accepts_state(x % ds) {
                    a.beta[x / ds].clone()
                } else {
                    Q::zero_value()
                }
            })
            .collect();
        let matrices = (0..a.letters())
            .map(|l| {
                (0..s)
                    .map(|x| {
                        let (p, d) = (x / ds, x % ds);
                        let to = dfa.next(d, l);
                        (0..s)
                            .map(|y| {
                                if y % ds == to {
                                    a.matrices[l][p][y / ds].clone()
                                } else {
                                    Q::zero_value()
                                }
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        Ok(WeightedAutomaton { alpha, matrices, beta })
    }

    /// The same weights read two letters at a time: the letter `(x, y)`, numbered `x * n + y`
    /// (`n` letters here), has the matrix `M(x) M(y)`. A word of pairs `(x_1, y_1)..(x_m, y_m)`
    /// gets the weight of `x_1 y_1 .. x_m y_m`; odd-length words are not seen.
    pub fn pairs(&self) -> WeightedAutomaton {
        let n = self.letters();
        let matrices = (0..n * n)
            .map(|xy| {
                let (x, y) = (xy / n, xy % n);
                self.matrices[x]
                    .iter()
                    .map(|row| row_times_matrix(row, &self.matrices[y]))
                    .collect()
            })
            .collect();
        WeightedAutomaton {
            alpha: self.alpha.clone(),
            matrices,
            beta: self.beta.clone(),
        }
    }

    /// The automaton on the letters `0..q` only (the first `q`), `1 <= q <= letters`.
    pub fn restrict_letters(&self, q: usize) -> Result<WeightedAutomaton, String> {
        if q == 0 || q > self.letters() {
            return Err(format!("cannot keep {q} of {} letters", self.letters()));
        }
        Ok(WeightedAutomaton {
            alpha: self.alpha.clone(),
            matrices: self.matrices[..q].to_vec(),
            beta: self.beta.clone(),
        })
    }
}

/// A deterministic finite automaton on the letters `0..letters`: a start state, the transition
/// table `next[state][letter]` and which states accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dfa {
    start: usize,
    next: Vec<Vec<usize>>,
    accepting: Vec<bool>,
}

impl Dfa {
    /// Checks that every state has a target per letter, every target and the start is a state.
    pub fn new(start: usize, next: Vec<Vec<usize>>, accepting: Vec<bool>) -> Result<Dfa, String> {
        let s = accepting.len();
        let letters = next.first().map_or(0, Vec::len);
        if next.len() != s || s == 0 || start >= s {
            return Err(format!(
                "a DFA needs a start below its {s} states and one row of targets each"
            ));
        }
        if letters == 0
            || next
                .iter()
                .any(|row| row.len() != letters || row.iter().any(|&t| t >= s))
        {
            return Err("every state of a DFA needs one target state per letter".into());
        }
        Ok(Dfa { start, next, accepting })
    }

    /// Pairs `(x, y)` of letters in `0..n` (numbered `x * n + y`, as `pairs` does): accepts the
    /// non-empty words with `x_j = y_j` for every j (the diagonal of the odd/even matricization).
    pub fn pairs_equal(n: usize) -> Dfa {
        Dfa::pairs_compare(n, Ordering::Equal)
    }

    /// Pairs as in `pairs_equal`: accepts the non-empty words whose row word `x_1..x_m` compares
    /// to the column word `y_1..y_m` as `order` says, big-endian over the natural letter order
    /// (`Less`: x before y, the entries above the diagonal of the odd/even matricization). Over
    /// the reversed letter order, x before y is `Greater` here.
    pub fn pairs_compare(n: usize, order: Ordering) -> Dfa {
        // States: 0 start (nothing read), 1 equal so far, 2 x before y, 3 x after y.
        let undecided: Vec<usize> = (0..n * n)
            .map(|xy| match (xy / n).cmp(&(xy % n)) {
                Ordering::Equal => 1,
                Ordering::Less => 2,
                Ordering::Greater => 3,
            })
            .collect();
        let accepting = match order {
            Ordering::Equal => 1,
            Ordering::Less => 2,
            Ordering::Greater => 3,
        };
        Dfa {
            start: 0,
            next: vec![undecided.clone(), undecided, vec![2; n * n], vec![3; n * n]],
            accepting: (0..4).map(|p| p == accepting).collect(),
        }
    }

    /// The non-empty words whose every letter is below `q`, on the letters `0..n`.
    pub fn letters_below(n: usize, q: usize) -> Dfa {
        let row = (0..n).map(|l| if l < q { 1 } else { 2 }).collect::<Vec<_>>();
        Dfa {
            start: 0,
            next: vec![row.clone(), row, vec![2; n]],
            accepting: vec![false, true, false],
        }
    }

    pub fn states(&self) -> usize {
        self.accepting.len()
    }

    pub fn letters(&self) -> usize {
        self.next[0].len()
    }

    pub fn start(&self) -> usize {
        self.start
    }

    pub fn next(&self, state: usize, letter: usize) -> usize {
        self.next[state][letter]
    }

    pub fn accepts_state(&self, state: usize) -> bool {
        self.accepting[state]
    }

    /// Whether the word (every letter below `letters`) is accepted.
    pub fn accepts(&self, word: &[usize]) -> bool {
        self.accepting[word.iter().fold(self.start, |p, &l| self.next[p][l])]
    }
}

/// `v M`, skipping the zero entries of `v`.
pub(crate) fn row_times_matrix(v: &[Q], m: &[Vec<Q>]) -> Vec<Q> {
    let mut out = vec![Q::zero_value(); m.first().map_or(v.len(), Vec::len)];
    for (x, row) in v.iter().zip(m).filter(|(x, _)| !x.vanishes()) {
        for (o, y) in out.iter_mut().zip(row) {
            o.add_product(x, y);
        }
    }
    out
}

/// `u . v`.
pub(crate) fn dot(u: &[Q], v: &[Q]) -> Q {
    let mut sum = Q::zero_value();
    for (x, y) in u.iter().zip(v) {
        sum.add_product(x, y);
    }
    sum
}

fn zeros(k: usize) -> impl Iterator<Item = Q> {
    std::iter::repeat_n(Q::zero_value(), k)
}

#[cfg(test)]
mod tests;
