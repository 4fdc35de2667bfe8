//! The automata of the claims about every depth d at once (SPEC §7), built from a periodic
//! train's automaton (`automaton::from_periodic_tt`) and the claim's numbers with the fixed DFAs
//! of `automaton`. tnproof builds them with this same code and searches their certificates; the
//! kernel builds them again from the certificate's cores and statement and checks those
//! certificates. Each claim's automaton and what its certificate proves:
//!
//! - identity block on indices `1..q`: `X_d - [x = y]`, read in pairs `(x_j, y_j) = (i_{2j-1},
//!   i_{2j})` of letters `< q`, on the words whose length is in the depths, is zero;
//! - triangular rank on indices `1..c`: `X_d` on the pairs with `x` before `y` (or after) in the
//!   big-endian order is zero, and `X_d` on the diagonal `x = y` equals the one-state automaton
//!   `lambda * prod_j mu(x_j)` with `lambda`, `mu` non-zero. Then the `c^(d/2) x c^(d/2)` block is
//!   triangular with a non-zero diagonal in one order of its rows and columns, so its rank, and
//!   that of `X_d^((1,3,..),(2,4,..))`, is at least `c^(d/2)` (the triangular-rank lemma);
//! - support on `[q]^d`: the train's automaton on letters `< q` and lengths in the depths, read as
//!   a graph of non-zero core entries; an edge into the bond state `b` of class `c = k % p` reading
//!   letter `i` is forbidden unless `b + 1 = path[c][i]`.
//!
//! It owns no claim vocabulary or text; `lib.rs` reads certificates.

use std::cmp::Ordering;

use crate::automaton::{Dfa, WeightedAutomaton};
use crate::field::{Scalar, Q};

/// Every d >= `least`, or every even one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Depths {
    pub even: bool,
    pub least: usize,
}

impl Depths {
    /// The DFA of the word lengths in the set, on `letters` letters.
    fn lengths(self, letters: usize) -> Dfa {
        Dfa::lengths(letters, self.even, self.least)
    }
}

/// `train` on the letters `< q` and the lengths in `depths`, read in pairs (`q * q` letters,
/// `(x, y)` numbered `x * q + y`).
fn pairs_below(train: &WeightedAutomaton, depths: Depths, q: usize) -> Result<WeightedAutomaton, String> {
    let below = train.restrict_letters(q)?;
    Ok(WeightedAutomaton::product(&below, &depths.lengths(q))?.pairs())
}

/// The identity claim's automaton: `X_d - [x = y]` on pairs of letters `< q`, lengths in `depths`.
pub fn identity(train: &WeightedAutomaton, depths: Depths, q: usize) -> Result<WeightedAutomaton, String> {
    let x = pairs_below(train, depths, q)?;
    let diagonal = WeightedAutomaton::product(
        &WeightedAutomaton::of_dfa(&Dfa::pairs_equal(q)),
        &depths.lengths(q).pairs(),
    )?;
    WeightedAutomaton::difference(&x, &diagonal)
}

/// `X_d` on the pairs of letters `< c` whose row word compares to the column word as `order`
/// says (big-endian, natural letter order), lengths in `depths`.
pub fn compared(
    train: &WeightedAutomaton,
    depths: Depths,
    c: usize,
    order: Ordering,
) -> Result<WeightedAutomaton, String> {
    WeightedAutomaton::product(&pairs_below(train, depths, c)?, &Dfa::pairs_compare(c, order))
}

/// The diagonal automaton minus its claimed one-state form: `X_d[x = y] - lambda prod_j
/// mu[x_j] [x = y]` on pairs of letters `< c = mu.len()`, lengths in `depths`.
pub fn diagonal(train: &WeightedAutomaton, depths: Depths, lambda: &Q, mu: &[Q]) -> Result<WeightedAutomaton, String> {
    let c = mu.len();
    let x = compared(train, depths, c, Ordering::Equal)?;
    let one = WeightedAutomaton::new(
        vec![lambda.clone()],
        (0..c * c)
            .map(|xy| {
                vec![vec![if xy / c == xy % c {
                    mu.get(xy / c).cloned().unwrap_or_else(Q::zero_value)
                } else {
                    Q::zero_value()
                }]]
            })
            .collect(),
        vec![Q::one_value()],
    )?;
    let claimed = WeightedAutomaton::product(
        &WeightedAutomaton::product(&one, &depths.lengths(c).pairs())?,
        &Dfa::pairs_equal(c),
    )?;
    WeightedAutomaton::difference(&x, &claimed)
}

/// The support claim's automaton: `train` on letters `< q` and lengths in `depths`; its state
/// `t * L + l` is the train's state `t` with length state `l` (`L` = `support_length_states`).
pub fn support(train: &WeightedAutomaton, depths: Depths, q: usize) -> Result<WeightedAutomaton, String> {
    WeightedAutomaton::product(&train.restrict_letters(q)?, &depths.lengths(q))
}

/// How many length states `support` pairs each train state with.
pub fn support_length_states(depths: Depths) -> usize {
    depths.lengths(1).states()
}

/// Where a periodic train's automaton keeps its bond states: class `c` (positions `k % p = c`)
/// has `bonds[c]` states after the start state, class by class.
#[derive(Clone, Debug)]
pub struct Layout {
    pub bonds: Vec<usize>,
}

impl Layout {
    /// The class and 0-based bond value of train state `t`, if it is a bond state.
    pub fn bond(&self, t: usize) -> Option<(usize, usize)> {
        let mut first = 1;
        for (c, &size) in self.bonds.iter().enumerate() {
            if t >= first && t < first + size {
                return Some((c, t - first));
            }
            first += size;
        }
        None
    }

    /// Whether the support automaton's edge into `to` reading `letter` leaves the claimed path
    /// (`path[c][letter]`, 1-based bond values): into a bond state other than the claimed one.
    pub fn off_path(&self, depths: Depths, path: &[Vec<i64>], letter: usize, to: usize) -> bool {
        let length_states = support_length_states(depths).max(1);
        match self.bond(to / length_states) {
            Some((c, b)) => {
                let claimed = path.get(c).and_then(|row| row.get(letter));
                claimed != Some(&(b as i64 + 1))
            }
            None => false,
        }
    }
}
