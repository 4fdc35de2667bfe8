//! Claims about every depth d at once (SPEC §7), on a `PeriodicTrain` over a set of `Depths`:
//! the identity block of the odd/even matricization, Alkin's Lemma 3 support structure, and rank
//! lower bounds `c^(d/2)` by a triangular certificate. Each is decided with weighted automata
//! (`automaton`, whose claim automata are the kernel's `every_depth`, so the kernel rebuilds the
//! very automata whose certificates are written here). A claim that fails is shown at the least
//! d where it does, with the index; a rank bound without a triangular certificate is searched
//! at finite depths, up to `SEARCH_DEPTH`, for a smaller exact rank.

/// A claim about every depth in the instance's set, with concrete numbers (0-based letters
/// inside, 1-based bond values in `path`, as the case file writes them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DepthClaim {
    /// For every d, the odd/even matricization of `X_d` restricted to indices `1..q` is the
    /// identity matrix (odd/even only: the depths are all even).
    IdentitySubmatrix { q: usize },
    /// For every d, every non-zero summand over `[q]^d` has `a_k = path[k % period][i_k - 1]`
    /// for each bond `k = 1..d-1`.
    SupportStructure { q: usize, path: Vec<Vec<i64>> },
    /// For every d, `rank X_d^(odd/even) >= base^(d/2)`; with `cp`, the claim is
    /// `rank_CP X_d >= base^(d/2)`, derived by Lemma 1.
    RankAtLeast { base: usize, cp: bool },
}

use super::rank::matricization_rank;
use super::{ClaimKind, Evidence, Outcome, Verdict};
use crate::automaton::equivalence::{zero_check, ZeroCheck};
use crate::automaton::tt::from_periodic_train;
use crate::automaton::{SparseRow, WeightedAutomaton};
use crate::field::{Scalar, Q};
use crate::linalg::RankWitness;
use crate::network::periodic::{Depths, EveryDepth};
use crate::network::Network;
use crate::tensor::Matricization;
use std::cmp::Ordering;
use std::collections::VecDeque;
use std::fmt;
use tnproof_kernel::every_depth as claim_automata;

/// The deepest d the search for a smaller rank tries.
pub const SEARCH_DEPTH: usize = 12;
/// The most tensor entries `n^d` the search materializes at one d.
pub const SEARCH_ENTRIES: usize = 1 << 16;

/// A zero-equivalence certificate: the automaton's state count and the basis (sparse rows, in
/// reduced row-echelon form) of its reachable row vectors.
#[derive(Clone, Debug, PartialEq)]
pub struct ZeroProof {
    pub states: usize,
    pub basis: Vec<SparseRow>,
}

/// The exact rank of the odd/even matricization at one finite d.
#[derive(Clone, Debug, PartialEq)]
pub struct DepthRank {
    pub d: usize,
    pub shape: (usize, usize),
    pub witness: RankWitness,
    /// `base^(d/2)`, the claim at this d (saturating).
    pub bound: usize,
}

/// What backs a verdict about every depth. Letters, indices, states and bond values 0-based.
#[derive(Clone, Debug, PartialEq)]
pub enum DepthEvidence {
    /// The identity claim's automaton (`X_d - [x = y]` in pairs) is zero.
    IdentityHolds { proof: ZeroProof },
    /// The least d at which `X_d` differs from the claim, at `index`: its value and the claimed one.
    EntryDiffers {
        d: usize,
        index: Vec<usize>,
        actual: Q,
        claimed: Q,
    },
    /// The support automaton's states reachable from the start (`forward`) and those that reach
    /// the end (`backward`), with no edge off the path between them.
    SupportHolds {
        states: usize,
        forward: Vec<usize>,
        backward: Vec<usize>,
    },
    /// A non-zero summand at the least d where one leaves the path: indices, bond values
    /// `a_1..a_{d-1}`, the claimed path there, the first bond k (1-based) that differs and the
    /// summand's value.
    SupportViolation {
        d: usize,
        index: Vec<usize>,
        path: Vec<usize>,
        claimed: Vec<i64>,
        bond: usize,
        product: Q,
    },
    /// On indices `1..base`: zero on the side `zero_side` of the diagonal (`Less`: where the row
    /// word comes before the column word, big-endian, natural letter order), and the diagonal is
    /// `lambda * prod_j mu[x_j]`.
    Triangular {
        base: usize,
        zero_side: Ordering,
        zero: ZeroProof,
        lambda: Q,
        mu: Vec<Q>,
        diagonal: ZeroProof,
    },
    /// No triangular certificate: why each attempt failed, and the exact ranks found at finite d
    /// (the last below the bound if one is); `stopped` says why the search ended before
    /// `SEARCH_DEPTH`, if it did.
    NotTriangular {
        tried: Vec<String>,
        ranks: Vec<DepthRank>,
        stopped: Option<String>,
    },
}

/// Decides `claim` for every depth of `every`.
pub fn decide(every: &EveryDepth, claim: &DepthClaim) -> Outcome {
    let train = from_periodic_train(&every.train).expect("case expansion checks the train's shapes");
    let depths = kernel_depths(every.depths);
    let (verdict, evidence) = match claim {
        DepthClaim::IdentitySubmatrix { q } => identity(&train, depths, *q),
        DepthClaim::SupportStructure { q, path } => support(every, &train, depths, *q, path),
        DepthClaim::RankAtLeast { base, cp } => rank_at_least(every, &train, depths, *base, *cp),
    };
    Outcome {
        verdict,
        evidence: Evidence::EveryDepth(evidence),
    }
}

pub fn kernel_depths(depths: Depths) -> claim_automata::Depths {
    claim_automata::Depths {
        even: depths.even,
        least: depths.first(),
    }
}

/// The zero-check of `a`, as a proof or the shortest word of non-zero weight.
fn prove_zero(a: &WeightedAutomaton) -> Result<ZeroProof, (Vec<usize>, Q)> {
    match zero_check(a) {
        ZeroCheck::Zero { basis } => Ok(ZeroProof {
            states: a.states(),
            basis,
        }),
        ZeroCheck::Counterexample { word, weight } => Err((word, weight)),
    }
}

/// The index `(x_1, y_1, .., x_m, y_m)` a word of pairs of letters `< q` spells.
fn unpair(word: &[usize], q: usize) -> Vec<usize> {
    word.iter().flat_map(|&xy| [xy / q, xy % q]).collect()
}

fn identity(train: &WeightedAutomaton, depths: claim_automata::Depths, q: usize) -> (Verdict, DepthEvidence) {
    let a = claim_automata::identity(train, depths, q).expect("case expansion keeps q within the mode size");
    match prove_zero(&a) {
        Ok(proof) => (Verdict::Holds, DepthEvidence::IdentityHolds { proof }),
        Err((word, difference)) => {
            let index = unpair(&word, q);
            let claimed = Q::from_integer(word.iter().all(|&xy| xy / q == xy % q).into());
            let evidence = DepthEvidence::EntryDiffers {
                d: index.len(),
                actual: &claimed + &difference,
                claimed,
                index,
            };
            (Verdict::Fails, evidence)
        }
    }
}

fn rank_at_least(
    every: &EveryDepth,
    train: &WeightedAutomaton,
    depths: claim_automata::Depths,
    base: usize,
    cp: bool,
) -> (Verdict, DepthEvidence) {
    let mut tried = Vec::new();
    if base > every.train.modes() {
        tried.push(format!(
            "no triangular block: the base {base} exceeds the mode size {}",
            every.train.modes()
        ));
    } else {
        for zero_side in [Ordering::Less, Ordering::Greater] {
            match triangular(train, depths, base, zero_side) {
                Ok(evidence) => return (Verdict::Holds, evidence),
                Err(why) => tried.push(why),
            }
        }
    }
    let (ranks, stopped) = search(every, base);
    let below = ranks.last().is_some_and(|r| r.witness.rank < r.bound);
    let verdict = match (below, cp) {
        (true, false) => Verdict::Fails,
        _ => Verdict::Undecided,
    };
    (verdict, DepthEvidence::NotTriangular { tried, ranks, stopped })
}

/// The side of the diagonal as certificates and messages say it.
pub fn side_text(zero_side: Ordering) -> &'static str {
    match zero_side {
        Ordering::Less => "x before y in the big-endian order over the natural letter order",
        _ => "x before y in the big-endian order over the reversed letter order",
    }
}

/// The triangular certificate with the entries on `zero_side` zero, or why there is none.
fn triangular(
    train: &WeightedAutomaton,
    depths: claim_automata::Depths,
    base: usize,
    zero_side: Ordering,
) -> Result<DepthEvidence, String> {
    let side = side_text(zero_side);
    let off = claim_automata::compared(train, depths, base, zero_side).expect("base within the mode size");
    let zero = prove_zero(&off).map_err(|(word, value)| {
        let index = unpair(&word, base);
        format!(
            "{side}: X_{}{} = {} is not 0",
            index.len(),
            crate::claim::one_based(&index),
            crate::field::q_text(&value)
        )
    })?;
    let on = claim_automata::compared(train, depths, base, Ordering::Equal).expect("base within the mode size");
    let (lambda, mu) =
        one_state_fit(&on, depths, base).map_err(|why| format!("{side}, zero off the diagonal, but {why}"))?;
    let claimed = claim_automata::diagonal(train, depths, &lambda, &mu).expect("base within the mode size");
    let diagonal = prove_zero(&claimed).map_err(|(word, _)| {
        let index = unpair(&word, base);
        let value = on.weight(&word).expect("a word of the automaton's letters");
        format!(
            "{side}, zero off the diagonal, but the diagonal is not lambda * prod mu(x_j): X_{}{} = {}",
            index.len(),
            crate::claim::one_based(&index),
            crate::field::q_text(&value)
        )
    })?;
    Ok(DepthEvidence::Triangular {
        base,
        zero_side,
        zero,
        lambda,
        mu,
        diagonal,
    })
}

/// `lambda` and `mu[v]` with `diagonal((v,v) (1,1)^(m-1)) = lambda mu[v] mu[1]^(m-1)` and
/// `diagonal((1,1)^(m+1)) = lambda mu[1]^(m+1)`, `m` the least number of pairs: the only
/// one-state form the diagonal can have; an error if a value needed is 0.
fn one_state_fit(on: &WeightedAutomaton, depths: claim_automata::Depths, base: usize) -> Result<(Q, Vec<Q>), String> {
    let m = depths.least.div_ceil(2).max(1);
    let w = |word: Vec<usize>| on.weight(&word).expect("letters of the automaton");
    let zero_pair = 0;
    let at = |v: usize| v * base + v;
    let short = w(vec![zero_pair; m]);
    let long = w(vec![zero_pair; m + 1]);
    let zero_at = |d: usize| format!("the diagonal entry X_{d}(1,..,1) is 0");
    if short.vanishes() {
        return Err(zero_at(2 * m));
    }
    if long.vanishes() {
        return Err(zero_at(2 * m + 2));
    }
    let mu_one = &long / &short;
    let mut power = Q::one_value();
    for _ in 1..m {
        power *= &mu_one;
    }
    let lambda = &short / &(&power * &mu_one);
    let mu = (0..base)
        .map(|v| {
            let mut word = vec![at(v)];
            word.extend(std::iter::repeat_n(zero_pair, m - 1));
            let value = w(word);
            if value.vanishes() {
                Err(format!(
                    "the diagonal entry at x = y = ({},1,..,1) is 0 at d = {}",
                    v + 1,
                    2 * m
                ))
            } else {
                Ok(&value / &(&lambda * &power))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((lambda, mu))
}

/// The exact odd/even ranks at d = least, least + 2, .. up to `SEARCH_DEPTH`, while `n^d` fits
/// `SEARCH_ENTRIES`, stopping at the first below `base^(d/2)`.
fn search(every: &EveryDepth, base: usize) -> (Vec<DepthRank>, Option<String>) {
    let n = every.train.modes();
    let mut ranks = Vec::new();
    for d in every.depths.up_to(SEARCH_DEPTH).filter(|d| d % 2 == 0) {
        let entries = n.checked_pow(d as u32).filter(|&e| e <= SEARCH_ENTRIES);
        if entries.is_none() {
            let why = format!("d = {d} would have {n}^{d} entries, over the search's {SEARCH_ENTRIES}");
            return (ranks, Some(why));
        }
        let train = every
            .train
            .train(d)
            .expect("case expansion checks the train at every depth");
        let network = Network::Tt(train);
        let mut dense = None;
        let (shape, witness) = matricization_rank(&network, &Matricization::odd_even(d), || {
            dense.get_or_insert_with(|| network.dense(Q::clone))
        });
        let bound = base.checked_pow((d / 2) as u32).unwrap_or(usize::MAX);
        let below = witness.rank < bound;
        ranks.push(DepthRank {
            d,
            shape,
            witness,
            bound,
        });
        if below {
            break;
        }
    }
    (ranks, None)
}

fn support(
    every: &EveryDepth,
    train: &WeightedAutomaton,
    depths: claim_automata::Depths,
    q: usize,
    path: &[Vec<i64>],
) -> (Verdict, DepthEvidence) {
    assert_eq!(
        path.len(),
        every.train.period(),
        "case expansion gives the path one row per class"
    );
    let a = claim_automata::support(train, depths, q).expect("case expansion keeps q within the mode size");
    let layout = claim_automata::Layout {
        bonds: every.train.middle.iter().map(|g| g.shape().2).collect(),
    };
    let forward = Reach::of(&a, true);
    let backward = Reach::of(&a, false);
    let off_path = |letter: usize, to: usize| layout.off_path(depths, path, letter, to);
    let Some(steps) = shortest_off_path(&a, &forward, &backward, off_path) else {
        let evidence = DepthEvidence::SupportHolds {
            states: a.states(),
            forward: forward.reached(),
            backward: backward.reached(),
        };
        return (Verdict::Holds, evidence);
    };
    let length_states = claim_automata::support_length_states(depths);
    let index: Vec<usize> = steps.iter().map(|s| s.letter).collect();
    let d = index.len();
    // The states after every letter but the last are bond states (the last enters the end).
    let bonds: Vec<usize> = steps[..d - 1]
        .iter()
        .map(|s| layout.bond(s.to / length_states).expect("a bond state").1)
        .collect();
    let claimed: Vec<i64> = (1..d).map(|k| path[k % path.len()][index[k - 1]]).collect();
    let bond = 1
        + (0..d - 1)
            .find(|&k| claimed[k] != bonds[k] as i64 + 1)
            .expect("the path leaves the claim");
    let mut product = Q::one_value();
    for step in &steps {
        product *= &step.weight;
    }
    let evidence = DepthEvidence::SupportViolation {
        d,
        index,
        path: bonds,
        claimed,
        bond,
        product,
    };
    (Verdict::Fails, evidence)
}

/// One edge of a path: the letter read, the state it enters and the edge's weight.
#[derive(Clone)]
struct Step {
    letter: usize,
    to: usize,
    weight: Q,
}

/// A breadth-first search over the edges of non-zero weight, from the states where `alpha` is
/// non-zero (forward) or back from those where `beta` is: for each state reached, its distance and
/// the edge it was first reached by (`Step::to` naming the neighbour it came from, or went to).
struct Reach {
    link: Vec<Option<Step>>,
    distance: Vec<Option<usize>>,
}

impl Reach {
    fn of(a: &WeightedAutomaton, forward: bool) -> Reach {
        let s = a.states();
        let mut reach = Reach {
            link: vec![None; s],
            distance: vec![None; s],
        };
        let mut queue = VecDeque::new();
        let boundary = if forward { a.alpha() } else { a.beta() };
        for (t, _) in boundary.iter().enumerate().filter(|(_, x)| !x.vanishes()) {
            reach.distance[t] = Some(0);
            queue.push_back(t);
        }
        // The edges into each state, for the backward search.
        let mut into: Vec<Vec<Step>> = vec![Vec::new(); if forward { 0 } else { s }];
        for letter in (0..a.letters()).filter(|_| !forward) {
            for p in 0..s {
                for (t, w) in a.transitions(letter, p) {
                    into[*t].push(Step {
                        letter,
                        to: p,
                        weight: w.clone(),
                    });
                }
            }
        }
        while let Some(p) = queue.pop_front() {
            let next: Vec<Step> = if forward {
                (0..a.letters())
                    .flat_map(|letter| {
                        a.transitions(letter, p).iter().map(move |(t, w)| Step {
                            letter,
                            to: *t,
                            weight: w.clone(),
                        })
                    })
                    .collect()
            } else {
                into[p].clone()
            };
            for step in next {
                let t = step.to;
                if reach.distance[t].is_none() {
                    reach.distance[t] = reach.distance[p].map(|x| x + 1);
                    reach.link[t] = Some(Step { to: p, ..step });
                    queue.push_back(t);
                }
            }
        }
        reach
    }

    /// The states reached, increasing.
    fn reached(&self) -> Vec<usize> {
        (0..self.distance.len())
            .filter(|&t| self.distance[t].is_some())
            .collect()
    }

    /// The steps from the boundary to `state` (forward), or from `state` to it (backward).
    fn path(&self, state: usize, forward: bool) -> Vec<Step> {
        let mut steps = Vec::new();
        let mut at = state;
        while let Some(link) = self.link[at].clone() {
            let next = link.to;
            steps.push(if forward { Step { to: at, ..link } } else { link });
            at = next;
        }
        if forward {
            steps.reverse();
        }
        steps
    }
}

/// The shortest path of non-zero weights from the start to the end through an edge `off_path`
/// names (by its letter and target): the one minimizing the distance to the edge's source plus one
/// plus the distance from its target, the first such edge in (letter, source, target) order.
fn shortest_off_path(
    a: &WeightedAutomaton,
    forward: &Reach,
    backward: &Reach,
    off_path: impl Fn(usize, usize) -> bool,
) -> Option<Vec<Step>> {
    let mut best: Option<(usize, usize, Step)> = None;
    for letter in 0..a.letters() {
        for from in 0..a.states() {
            for (to, w) in a.transitions(letter, from) {
                if let (Some(df), Some(db)) = (forward.distance[from], backward.distance[*to]) {
                    let length = df + 1 + db;
                    if off_path(letter, *to) && best.as_ref().is_none_or(|b| length < b.0) {
                        let step = Step {
                            letter,
                            to: *to,
                            weight: w.clone(),
                        };
                        best = Some((length, from, step));
                    }
                }
            }
        }
    }
    let (_, from, edge) = best?;
    let mut steps = forward.path(from, true);
    let to = edge.to;
    steps.push(edge);
    steps.extend(backward.path(to, false));
    Some(steps)
}

impl DepthClaim {
    pub fn kind(&self) -> ClaimKind {
        match self {
            DepthClaim::IdentitySubmatrix { .. } => ClaimKind::IdentitySubmatrix,
            DepthClaim::SupportStructure { .. } => ClaimKind::SupportStructure,
            DepthClaim::RankAtLeast { cp: false, .. } => ClaimKind::MatricizationRank,
            DepthClaim::RankAtLeast { cp: true, .. } => ClaimKind::CpRankLowerBound,
        }
    }
}

/// The claim in words for one d, its numbers 1-based (`Claim`'s display puts "for every d" first).
impl fmt::Display for DepthClaim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const ODD_EVEN: &str = "X_d^((1,3,..,d-1),(2,4,..,d))";
        match self {
            DepthClaim::IdentitySubmatrix { q } => {
                write!(f, "{ODD_EVEN} restricted to indices 1..{q} is the identity matrix")
            }
            DepthClaim::SupportStructure { q, path } => {
                let p = path.len();
                write!(f, "every non-zero summand of X_d over [{q}]^d has a_k = path(k, i_k), with path(k, i) for i = 1..{q}:")?;
                for (c, row) in path.iter().enumerate() {
                    write!(f, " k%{p}={c}: {}", super::Tuple(row))?;
                }
                Ok(())
            }
            DepthClaim::RankAtLeast { base, cp: false } => write!(f, "rank {ODD_EVEN} >= {base}^(d/2)"),
            DepthClaim::RankAtLeast { base, cp: true } => {
                write!(f, "rank_CP X_d >= {base}^(d/2), from rank {ODD_EVEN} by Lemma 1")
            }
        }
    }
}

#[cfg(test)]
mod tests;
