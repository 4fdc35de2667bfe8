//! Tensor trains of every depth at once (SPEC §7): the set of depths a case covers (`Depths`,
//! `d = "even"`, `"all"`, `"even >= 4"`), and a tensor train whose cores depend on the position k
//! only through `k % period`, `k == 1` and `k == d` (`PeriodicTrain`), which gives one train
//! `X_d` for every such d. It owns the shapes and the train at one d; the automaton of all of them
//! is `automaton::tt`'s, the claims about all of them are `claim::every_depth`'s.

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
