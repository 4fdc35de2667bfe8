//! Weighted automata over Q, the object of every claim about all depths d at once (SPEC §7), and
//! the plain checks of their certificates. An automaton with `s` states has an initial row vector
//! `alpha`, one sparse `s x s` matrix `M(l)` per letter and a final column vector `beta`, and
//! gives the word `w_1..w_k` the weight `alpha M(w_1) ... M(w_k) beta`. This file owns the
//! automaton, the few fixed deterministic finite automata (DFAs) that select words, the
//! constructions on them (`difference`, `product` with a DFA, `pairs`, `restrict_letters`), the
//! automaton of a periodic tensor train (`from_periodic_tt`), and the two certificate checks:
//! `closed` (zero-equivalence) and `trimmed` (a support claim). tnproof builds its automata with
//! this same code, so the states the certificates number are the ones the kernel builds; it
//! searches for the certificates itself (`tnproof::automaton::equivalence`), the kernel only checks.
//!
//! # Why `closed` proves an automaton zero
//!
//! Let `B` be a list of row vectors in reduced row-echelon form with (1) `alpha` in its row span,
//! (2) `b M(l)` in the span for every row `b` and letter `l` (closure), (3) `b beta = 0` for every
//! row. By induction over the length, `alpha M(w)` is in the span for every word `w` (the empty
//! word by 1; a longer one by 2 and linearity), so by 3 its weight `alpha M(w) beta` is 0. In
//! reduced row-echelon form, `v` lies in the span iff `v - sum_j v[p_j] b_j = 0` (`p_j` the pivot
//! column of `b_j`), so no coefficients are needed. Conversely the span of every `alpha M(w)`
//! (Schützenberger; Tzeng 1992) is such a `B` whenever the automaton is zero.
//!
//! # Why `trimmed` proves a support claim
//!
//! Read the automaton as a graph: an edge `p -> t` labelled `l` wherever `M(l)[p][t] != 0`. A set
//! `F` holding every state where `alpha` is non-zero and closed under edges holds every state on
//! a path from the start; a set `E` holding every state where `beta` is non-zero and closed under
//! reversed edges holds every state on a path to the end. So every path with non-zero weights
//! from the start to the end runs in `F` and `E`, and uses only edges from `F` into `E`: if none
//! of those edges is forbidden, no such path uses a forbidden edge.

use std::cmp::Ordering;

use crate::exact::Core;
use crate::field::{Scalar, Q};

/// One row of a sparse matrix: `(column, value)`, columns increasing, values non-zero.
pub type SparseRow = Vec<(usize, Q)>;

/// A weighted automaton over Q on the letters `0..letters` (0-based; certificates say 1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeightedAutomaton {
    alpha: Vec<Q>,
    /// `matrices[l][p]`: the transitions from state p reading `l`.
    matrices: Vec<Vec<SparseRow>>,
    beta: Vec<Q>,
}

impl WeightedAutomaton {
    /// From dense matrices; checks the shapes: `alpha` and `beta` of length `s`, each matrix
    /// `s x s`, at least one letter.
    pub fn new(alpha: Vec<Q>, matrices: Vec<Vec<Vec<Q>>>, beta: Vec<Q>) -> Result<Self, String> {
        let s = alpha.len();
        if beta.len() != s {
            return Err(format!("alpha has {s} states but beta has {}", beta.len()));
        }
        if matrices.is_empty() {
            return Err("an automaton needs at least one letter".into());
        }
        let mut sparse = Vec::with_capacity(matrices.len());
        for (l, m) in matrices.into_iter().enumerate() {
            if m.len() != s || m.iter().any(|row| row.len() != s) {
                return Err(format!("the matrix of letter {} is not {s} x {s}", l + 1));
            }
            sparse.push(
                m.into_iter()
                    .map(|row| sparse_row(row.into_iter().enumerate()))
                    .collect(),
            );
        }
        Ok(WeightedAutomaton {
            alpha,
            matrices: sparse,
            beta,
        })
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

    /// The transitions from `state` reading `letter` (empty outside the automaton).
    pub fn transitions(&self, letter: usize, state: usize) -> &[(usize, Q)] {
        self.matrices
            .get(letter)
            .and_then(|m| m.get(state))
            .map_or(&[], Vec::as_slice)
    }

    /// How many non-zero transition weights the automaton has.
    pub fn transition_count(&self) -> usize {
        self.matrices.iter().flatten().map(Vec::len).sum()
    }

    /// `v M(letter)` (`v` of length `states`).
    pub fn step(&self, v: &[Q], letter: usize) -> Vec<Q> {
        let mut out = vec![Q::zero_value(); self.states()];
        for (p, x) in v.iter().enumerate().filter(|(_, x)| !x.vanishes()) {
            for (t, w) in self.transitions(letter, p) {
                if let Some(o) = out.get_mut(*t) {
                    o.add_product(x, w);
                }
            }
        }
        out
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
        let matrices = (0..dfa.letters())
            .map(|l| (0..s).map(|p| vec![(dfa.next(p, l), Q::one_value())]).collect())
            .collect();
        WeightedAutomaton {
            alpha: unit(s, dfa.start()),
            matrices,
            beta: (0..s).map(|p| Q::from_integer(dfa.accepts_state(p).into())).collect(),
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
        let sa = a.states();
        let alpha = a.alpha.iter().cloned().chain(b.alpha.iter().map(|x| -x)).collect();
        let beta = a.beta.iter().chain(&b.beta).cloned().collect();
        let matrices = a
            .matrices
            .iter()
            .zip(&b.matrices)
            .map(|(ma, mb)| {
                let shifted = mb
                    .iter()
                    .map(|row| row.iter().map(|(t, w)| (t + sa, w.clone())).collect());
                ma.iter().cloned().chain(shifted).collect()
            })
            .collect();
        Ok(WeightedAutomaton { alpha, matrices, beta })
    }

    /// The automaton of `w -> weight_a(w) [dfa accepts w]`: states `(p, d)` numbered `p * D + d`
    /// (`D` the DFA's state count); reading `l` goes from `(p, d)` to `(t, next(d, l))` with
    /// weight `M(l)[p][t]`.
    pub fn product(a: &WeightedAutomaton, dfa: &Dfa) -> Result<WeightedAutomaton, String> {
        if a.letters() != dfa.letters() {
            return Err(format!(
                "the automaton reads {} letters and the DFA {}; a product needs one alphabet",
                a.letters(),
                dfa.letters()
            ));
        }
        let ds = dfa.states();
        let pair = |p: usize, d: usize| p * ds + d;
        let mut alpha = vec![Q::zero_value(); a.states() * ds];
        let mut beta = alpha.clone();
        for (p, (x, y)) in a.alpha.iter().zip(&a.beta).enumerate() {
            if let Some(slot) = alpha.get_mut(pair(p, dfa.start())) {
                *slot = x.clone();
            }
            for d in (0..ds).filter(|&d| dfa.accepts_state(d)) {
                if let Some(slot) = beta.get_mut(pair(p, d)) {
                    *slot = y.clone();
                }
            }
        }
        let matrices = a
            .matrices
            .iter()
            .enumerate()
            .map(|(l, m)| {
                m.iter()
                    .flat_map(|row| {
                        (0..ds).map(move |d| {
                            let to = dfa.next(d, l);
                            row.iter().map(|(t, w)| (pair(*t, to), w.clone())).collect()
                        })
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
        let s = self.states();
        let matrices = (0..n * n)
            .map(|xy| {
                let (x, y) = (xy / n, xy % n);
                (0..s)
                    .map(|p| {
                        let mut dense: Vec<(usize, Q)> = Vec::new();
                        let mut row = vec![Q::zero_value(); s];
                        for (m, w) in self.transitions(x, p) {
                            for (t, v) in self.transitions(y, *m) {
                                if let Some(slot) = row.get_mut(*t) {
                                    slot.add_product(w, v);
                                }
                            }
                        }
                        dense.extend(row.into_iter().enumerate());
                        sparse_row(dense.into_iter())
                    })
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
        match self.matrices.get(..q) {
            Some(kept) if q > 0 => Ok(WeightedAutomaton {
                alpha: self.alpha.clone(),
                matrices: kept.to_vec(),
                beta: self.beta.clone(),
            }),
            _ => Err(format!("cannot keep {q} of {} letters", self.letters())),
        }
    }
}

/// The tensor train with `first` (1 x n x r) at position 1, `middle[k % p]` at each position
/// `k = 2..d-1` (`p = middle.len()`) and at position d the core `last` lists for `d % p`, for
/// every `d >= 2` whose residue `last` lists, as one automaton on the letters `0..n`. Its states
/// are: start (0), the bond indices after the positions of each class `c = k % p` (class by
/// class, `middle[c].right` of them), end (last). The letter read at position k moves from class
/// `(k - 1) % p` to class `k % p` with the weights of that position's core, from start at k = 1;
/// the last core of residue `e` moves from class `(e - 1) % p` to end. So a word of length
/// `d >= 2` gets the weight `X_d` if `last` lists `d % p`, else 0, and shorter words get 0.
pub fn from_periodic_tt(first: &Core, middle: &[Core], last: &[(usize, Core)]) -> Result<WeightedAutomaton, String> {
    let p = middle.len();
    let n = first.modes;
    let class_before = |c: usize| (c + p - 1) % p.max(1);
    let bonds: Vec<usize> = middle.iter().map(|g| g.right).collect();
    let bond = |c: usize| bonds.get(c).copied().unwrap_or(0);
    if p == 0 {
        return Err("a periodic tensor train needs at least one middle core".into());
    }
    if first.left != 1 || first.right != bond(1 % p) {
        return Err(format!(
            "the first core is {} x {} x {}, it must be 1 x {n} x {}",
            first.left,
            first.modes,
            first.right,
            bond(1 % p)
        ));
    }
    for (c, g) in middle.iter().enumerate() {
        if g.modes != n || g.left != bond(class_before(c)) {
            return Err(format!(
                "middle core {c} is {} x {} x {}, it must be {} x {n} x {}",
                g.left,
                g.modes,
                g.right,
                bond(class_before(c)),
                g.right
            ));
        }
    }
    if last.is_empty() || last.windows(2).any(|w| matches!(w, [(a, _), (b, _)] if a >= b)) {
        return Err("a periodic tensor train needs last cores for increasing residues".into());
    }
    for (e, g) in last {
        let from = class_before(*e);
        if *e >= p || g.modes != n || g.right != 1 || g.left != bond(from) {
            return Err(format!(
                "the last core for d % {p} = {e} is {} x {} x {}, it must be {} x {n} x 1",
                g.left,
                g.modes,
                g.right,
                bond(from)
            ));
        }
    }
    let offset: Vec<usize> = (0..p).map(|c| 1 + bonds.iter().take(c).sum::<usize>()).collect();
    let at = |c: usize| offset.get(c).copied().unwrap_or(0);
    let s = 2 + bonds.iter().sum::<usize>();
    let end = s - 1;
    let mut matrices: Vec<Vec<SparseRow>> = vec![vec![Vec::new(); s]; n];
    let mut put = |i: usize, from: usize, to: usize, w: &Q| {
        if let Some(row) = matrices.get_mut(i).and_then(|m| m.get_mut(from)) {
            if !w.vanishes() {
                row.push((to, w.clone()));
            }
        }
    };
    for i in 0..n {
        for (b, w) in first.fiber(0, i).iter().enumerate() {
            put(i, 0, at(1 % p) + b, w);
        }
        for (c, g) in middle.iter().enumerate() {
            for a in 0..g.left {
                for (b, w) in g.fiber(a, i).iter().enumerate() {
                    put(i, at(class_before(c)) + a, at(c) + b, w);
                }
            }
        }
        for (e, g) in last {
            for a in 0..g.left {
                for w in g.fiber(a, i) {
                    put(i, at(class_before(*e)) + a, end, w);
                }
            }
        }
    }
    for row in matrices.iter_mut().flatten() {
        row.sort_by_key(|(t, _)| *t);
    }
    Ok(WeightedAutomaton {
        alpha: unit(s, 0),
        matrices,
        beta: unit(s, end),
    })
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
        let undecided: Vec<usize> = (0..n * n).map(|xy| 1 + order_index((xy / n).cmp(&(xy % n)))).collect();
        Dfa {
            start: 0,
            next: vec![undecided.clone(), undecided, vec![2; n * n], vec![3; n * n]],
            accepting: (0..4).map(|p| p == 1 + order_index(order)).collect(),
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

    /// The words of length `m >= least` (and even `m` if `even`), on `letters` letters: states
    /// count the length up to `least`, then (if `even`) its parity.
    pub fn lengths(letters: usize, even: bool, least: usize) -> Dfa {
        let counted = least + 1;
        let mut next: Vec<Vec<usize>> = (0..counted).map(|m| vec![(m + 1).min(least); letters]).collect();
        let mut accepting: Vec<bool> = (0..counted).map(|m| m == least && (!even || m % 2 == 0)).collect();
        if even {
            // State `least` has the parity of `least`; `counted` the other one.
            if let Some(row) = next.get_mut(least) {
                *row = vec![counted; letters];
            }
            next.push(vec![least; letters]);
            accepting.push(least % 2 == 1);
        }
        Dfa {
            start: 0,
            next,
            accepting,
        }
    }

    /// The same language read two letters at a time (pair `(x, y)` numbered `x * n + y`):
    /// accepts a word of pairs iff this DFA accepts its letters in order.
    pub fn pairs(&self) -> Dfa {
        let n = self.letters();
        let next = (0..self.states())
            .map(|p| (0..n * n).map(|xy| self.next(self.next(p, xy / n), xy % n)).collect())
            .collect();
        Dfa {
            start: self.start,
            next,
            accepting: self.accepting.clone(),
        }
    }

    pub fn states(&self) -> usize {
        self.accepting.len()
    }

    pub fn letters(&self) -> usize {
        self.next.first().map_or(0, Vec::len)
    }

    pub fn start(&self) -> usize {
        self.start
    }

    /// The state after `state` reads `letter` (the start, outside the table).
    pub fn next(&self, state: usize, letter: usize) -> usize {
        self.next
            .get(state)
            .and_then(|row| row.get(letter))
            .copied()
            .unwrap_or(self.start)
    }

    pub fn accepts_state(&self, state: usize) -> bool {
        self.accepting.get(state).copied().unwrap_or(false)
    }

    /// Whether the word is accepted.
    pub fn accepts(&self, word: &[usize]) -> bool {
        self.accepts_state(word.iter().fold(self.start, |p, &l| self.next(p, l)))
    }
}

/// 0 equal, 1 less, 2 greater: one less than the `pairs_compare` state of that outcome.
fn order_index(order: Ordering) -> usize {
    match order {
        Ordering::Equal => 0,
        Ordering::Less => 1,
        Ordering::Greater => 2,
    }
}

/// A fault `closed` finds in a zero-equivalence certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClosureFault {
    /// Row `row` (0-based) is not of the automaton's length, or not in reduced row-echelon form.
    NotEchelon { row: usize },
    /// `alpha` is not in the span.
    Initial,
    /// Row `row` times `beta` is not 0.
    Final { row: usize },
    /// Row `row` times the matrix of `letter` is not in the span.
    NotClosed { row: usize, letter: usize },
}

/// The check of a zero-equivalence certificate, with no search: `basis` (sparse rows, `(state,
/// value)` with states increasing and values non-zero) is in reduced row-echelon form (each row's
/// first entry 1, these pivot states strictly increasing and absent from every other row),
/// `alpha` lies in its row span, so does each row times each letter's matrix, and every row has
/// final value 0. `Ok` proves that every word has weight 0 (see the module doc).
pub fn closed(basis: &[SparseRow], a: &WeightedAutomaton) -> Result<(), ClosureFault> {
    let s = a.states();
    let mut pivots: Vec<usize> = Vec::with_capacity(basis.len());
    for (j, row) in basis.iter().enumerate() {
        let sorted = row.windows(2).all(|w| matches!(w, [(x, _), (y, _)] if x < y));
        let in_range = row.iter().all(|(t, v)| *t < s && !v.vanishes());
        match row.first() {
            Some((p, one)) if sorted && in_range && *one == Q::one_value() && pivots.last().is_none_or(|l| l < p) => {
                pivots.push(*p)
            }
            _ => return Err(ClosureFault::NotEchelon { row: j }),
        }
    }
    for (j, row) in basis.iter().enumerate() {
        if row.iter().skip(1).any(|(t, _)| pivots.binary_search(t).is_ok()) {
            return Err(ClosureFault::NotEchelon { row: j });
        }
    }
    let in_span = |v: &[Q]| {
        let mut rest = v.to_vec();
        for (row, p) in basis.iter().zip(&pivots) {
            let c = v.get(*p).cloned().unwrap_or_else(Q::zero_value);
            if c.vanishes() {
                continue;
            }
            for (t, x) in row {
                if let Some(r) = rest.get_mut(*t) {
                    *r -= &c * x;
                }
            }
        }
        rest.iter().all(Scalar::vanishes)
    };
    if !in_span(a.alpha()) {
        return Err(ClosureFault::Initial);
    }
    for (j, row) in basis.iter().enumerate() {
        let mut value = Q::zero_value();
        for (t, x) in row {
            if let Some(y) = a.beta().get(*t) {
                value.add_product(x, y);
            }
        }
        if !value.vanishes() {
            return Err(ClosureFault::Final { row: j });
        }
        let dense = densify(row, s);
        for l in 0..a.letters() {
            if !in_span(&a.step(&dense, l)) {
                return Err(ClosureFault::NotClosed { row: j, letter: l });
            }
        }
    }
    Ok(())
}

/// A fault `trimmed` finds in a support certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrimFault {
    /// A state listed is not a state of the automaton, or the list is not increasing.
    NotAState,
    /// A state where `alpha` (for `forward`) or `beta` (for `backward`) is non-zero is missing.
    Boundary { state: usize, forward: bool },
    /// The edge `from -> to` reading `letter` leaves the set (`forward`) or enters it from
    /// outside (backward).
    Open {
        from: usize,
        letter: usize,
        to: usize,
        forward: bool,
    },
    /// The edge `from -> to` reading `letter`, from `forward` into `backward`, is forbidden.
    Forbidden { from: usize, letter: usize, to: usize },
}

/// The check of a support certificate (see the module doc): `forward` (increasing states) holds
/// every state where `alpha` is non-zero and every target of its edges; `backward` every state
/// where `beta` is non-zero and every source of an edge into it; and no edge from `forward` into
/// `backward` is one that `forbidden(from, letter, to)` names. `Ok` proves that no path of
/// non-zero weights from the start to the end uses a forbidden edge.
pub fn trimmed(
    a: &WeightedAutomaton,
    forward: &[usize],
    backward: &[usize],
    forbidden: impl Fn(usize, usize, usize) -> bool,
) -> Result<(), TrimFault> {
    let s = a.states();
    let member = |set: &[usize]| -> Result<Vec<bool>, TrimFault> {
        if set.windows(2).any(|w| matches!(w, [x, y] if x >= y)) || set.iter().any(|&t| t >= s) {
            return Err(TrimFault::NotAState);
        }
        let mut m = vec![false; s];
        for &t in set {
            if let Some(slot) = m.get_mut(t) {
                *slot = true;
            }
        }
        Ok(m)
    };
    let (f, e) = (member(forward)?, member(backward)?);
    let has = |m: &[bool], t: usize| m.get(t).copied().unwrap_or(false);
    for (state, (x, y)) in a.alpha().iter().zip(a.beta()).enumerate() {
        if !x.vanishes() && !has(&f, state) {
            return Err(TrimFault::Boundary { state, forward: true });
        }
        if !y.vanishes() && !has(&e, state) {
            return Err(TrimFault::Boundary { state, forward: false });
        }
    }
    for letter in 0..a.letters() {
        for from in 0..s {
            for (to, _) in a.transitions(letter, from) {
                let to = *to;
                if has(&f, from) && !has(&f, to) {
                    return Err(TrimFault::Open {
                        from,
                        letter,
                        to,
                        forward: true,
                    });
                }
                if has(&e, to) && !has(&e, from) {
                    return Err(TrimFault::Open {
                        from,
                        letter,
                        to,
                        forward: false,
                    });
                }
                if has(&f, from) && has(&e, to) && forbidden(from, letter, to) {
                    return Err(TrimFault::Forbidden { from, letter, to });
                }
            }
        }
    }
    Ok(())
}

/// The row `(column, value)` list of the non-zero entries.
fn sparse_row(entries: impl Iterator<Item = (usize, Q)>) -> SparseRow {
    entries.filter(|(_, v)| !v.vanishes()).collect()
}

fn densify(row: &[(usize, Q)], s: usize) -> Vec<Q> {
    let mut v = vec![Q::zero_value(); s];
    for (t, x) in row {
        if let Some(slot) = v.get_mut(*t) {
            *slot = x.clone();
        }
    }
    v
}

fn unit(s: usize, at: usize) -> Vec<Q> {
    (0..s)
        .map(|x| if x == at { Q::one_value() } else { Q::zero_value() })
        .collect()
}

/// `u . v`.
pub fn dot(u: &[Q], v: &[Q]) -> Q {
    let mut sum = Q::zero_value();
    for (x, y) in u.iter().zip(v) {
        sum.add_product(x, y);
    }
    sum
}
