//! Tensor trains of every depth at once (SPEC §7): the set of depths a case covers (`Depths`,
//! `d = "even"`, `"all"`, `"even >= 4"`), and a tensor train whose cores depend on the position k
//! only through `k % period`, `k == 1` and `k == d` (`PeriodicTrain`), which gives one train
//! `X_d` for every such d. It owns the shapes, the train at one d and the size limit of the
//! automaton of all of them (`MAX_AUTOMATON_STATES`, `AutomatonSize`, estimated from the bond
//! dimensions); that automaton is `automaton::tt`'s, the claims about all of them are
//! `claim::every_depth`'s.

use super::{Core, TensorTrain};
use std::fmt;

/// Every d >= `least` (`least` >= 2), or every even one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Depths {
    pub even: bool,
    pub least: usize,
}

impl Depths {
    pub fn contains(self, d: usize) -> bool {
        d >= self.least && (!self.even || d.is_multiple_of(2))
    }

    /// The least depth in the set.
    pub fn first(self) -> usize {
        if self.even && self.least % 2 == 1 {
            self.least + 1
        } else {
            self.least
        }
    }

    /// The states of the DFA of the word lengths in the set (`automaton::Dfa::lengths`): the
    /// lengths 0..least counted, and their parity after that when even.
    pub fn length_states(self) -> u128 {
        self.first() as u128 + if self.even { 2 } else { 1 }
    }

    /// The depths of the set up to `most`, in order.
    pub fn up_to(self, most: usize) -> impl Iterator<Item = usize> {
        (self.first()..=most).filter(move |&d| self.contains(d))
    }

    /// The value as a case file writes it and labels show it: `even`, `all`, `even>=4`.
    pub fn label(self) -> String {
        let word = if self.even { "even" } else { "all" };
        if self.first() == 2 {
            word.to_string()
        } else {
            format!("{word}>={}", self.first())
        }
    }

    /// The depths a label names, read back exactly: `even`, `all`, `even>=K` (K even, at least
    /// 4), `all>=K` (K at least 3); `None` for any other text, so that `label` of the result is
    /// the text again. The least depth is the set's first one.
    pub fn from_label(label: &str) -> Option<Depths> {
        let (word, least) = match label.split_once(">=") {
            Some((word, least)) => {
                let value: usize = least.parse().ok()?;
                (value.to_string() == least && value > 2).then_some((word, value))?
            }
            None => (label, 2),
        };
        let even = match word {
            "even" => true,
            "all" => false,
            _ => return None,
        };
        (!even || least % 2 == 0).then_some(Depths { even, least })
    }
}

/// `every even d >= 2`, `every d >= 3`.
impl fmt::Display for Depths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parity = if self.even { "even " } else { "" };
        write!(f, "every {parity}d >= {}", self.first())
    }
}

/// The train with `first` at position 1, `middle[k % period]` at each position `k = 2..d-1` and,
/// at position d, the core of `last` listed for `d % period` (one per residue the depths reach).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodicTrain {
    pub first: Core,
    pub middle: Vec<Core>,
    /// `(d % period, the core at position d)`, residues increasing.
    pub last: Vec<(usize, Core)>,
}

impl PeriodicTrain {
    pub fn period(&self) -> usize {
        self.middle.len()
    }

    /// The mode size n (every core's).
    pub fn modes(&self) -> usize {
        self.first.shape().1
    }

    /// The train of order `d`, if its residue has a last core.
    pub fn train(&self, d: usize) -> Result<TensorTrain, String> {
        let p = self.period();
        let last = self
            .last
            .iter()
            .find(|(residue, _)| *residue == d % p)
            .map(|(_, core)| core.clone())
            .ok_or_else(|| format!("the train has no last core for d = {d}"))?;
        let cores = std::iter::once(self.first.clone())
            .chain((2..d).map(|k| self.middle[k % p].clone()))
            .chain(std::iter::once(last))
            .collect();
        TensorTrain::new(cores)
    }

    /// `named_cores` as the tensors a certificate lists.
    pub fn listed(&self) -> Vec<super::Listed<'_>> {
        self.named_cores()
            .into_iter()
            .map(|(name, core)| core.listed(name))
            .collect()
    }

    /// The cores with their names: `first`, then `inner` and `last` (period 1), or `middleC` for
    /// the positions k with `k % period = C` and `lastE` for the depths with `d % period = E`.
    pub fn named_cores(&self) -> Vec<(String, &Core)> {
        let p = self.period();
        let middle = self.middle.iter().enumerate().map(move |(c, g)| {
            let name = if p == 1 {
                "inner".to_string()
            } else {
                format!("middle{c}")
            };
            (name, g)
        });
        let last = self.last.iter().map(move |(c, g)| {
            let name = if p == 1 { "last".to_string() } else { format!("last{c}") };
            (name, g)
        });
        std::iter::once(("first".to_string(), &self.first))
            .chain(middle)
            .chain(last)
            .collect()
    }
}

/// The depths of an all-d instance and its train for each of them.
#[derive(Clone, Debug)]
pub struct EveryDepth {
    pub depths: Depths,
    pub train: PeriodicTrain,
}

/// The most states the weighted automaton deciding an all-d instance may have (SPEC §7).
pub const MAX_AUTOMATON_STATES: u128 = 4096;
/// Bytes one rational entry of that automaton's dense matrices costs (order of magnitude).
pub const BYTES_PER_AUTOMATON_ENTRY: u128 = 64;

/// An upper bound on the size of the automata that decide the claims about a `PeriodicTrain` for
/// every d, known from the bond dimensions alone (so estimated before any core is built): the
/// train's states (start, end and the bond values after each class `k % P` of positions) and one
/// more for the claimed side of a comparison (a one-state automaton, or the DFA of `x = y`, of at
/// most as many states as there are train states besides these), times the `L` states of the DFA
/// of the word lengths (`Depths::length_states`) and the at most 4 of the comparison DFA, over the
/// `n^2` letters `(x, y)` of the odd/even pair alphabet; each letter's matrix at most `S x S`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AutomatonSize {
    /// The sum over the classes `k % P` of the bond dimension after a position of the class.
    pub class_bonds: u128,
    /// `L`, the states of the DFA of the word lengths.
    pub length_states: u128,
    /// `S = (3 + class_bonds) * L * 4`.
    pub states: u128,
    /// `n^2`.
    pub letters: u128,
}

impl AutomatonSize {
    /// The size for bond dimensions summing to `class_bonds` over the classes, mode size `n`.
    pub fn estimate(class_bonds: u128, n: usize, depths: Depths) -> AutomatonSize {
        let length_states = depths.length_states();
        AutomatonSize {
            class_bonds,
            length_states,
            states: class_bonds
                .saturating_add(3)
                .saturating_mul(length_states)
                .saturating_mul(4),
            letters: (n as u128).saturating_mul(n as u128),
        }
    }

    /// The entries of the letter matrices, at most: `S^2 * n^2`.
    pub fn entries(self) -> u128 {
        self.states.saturating_mul(self.states).saturating_mul(self.letters)
    }

    /// The bytes of those entries.
    pub fn bytes(self) -> u128 {
        self.entries().saturating_mul(BYTES_PER_AUTOMATON_ENTRY)
    }
}
