//! Claims about a network, each decided exactly and returned with its evidence: a witness when it
//! HOLDS, a disproof when it FAILS (a counterexample, an exact rank, or an object of smaller
//! rank or width), and what was found when it is UNDECIDED. A lower bound derived from another
//! (Lemma 1, Lemma 5) that falls short of the claim refutes nothing: the claim is then only not
//! established. One submodule per claim kind, and `kind` for their names and keys; this file
//! owns the shared vocabulary (verdicts, evidence) and the per-instance workspace.

mod conversion;
mod cp_upper;
pub mod every_depth;
mod generic;
mod grid;
mod ht_ranks;
mod identity;
mod kind;
mod rank;
mod support;
mod tt_ranks;

pub use conversion::Converted;
pub use cp_upper::Upper;
pub use grid::NarrowerShallow;
pub use kind::{ClaimKind, Subject, COMMON_KEYS};
pub use rank::Route;
pub use tt_ranks::{tt_ranks, UnfoldingRank};

use crate::field::Q;
use crate::linalg::RankWitness;
use crate::network::Network;
use crate::tensor::{Matricization, OneBased, Tensor};
use num_bigint::BigUint;
use std::fmt;

/// How a rank compares with its bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    AtLeast,
    Equal,
    AtMost,
}

impl Relation {
    /// The case-file key: `at-least`, `equal`, `at-most`.
    pub fn key(self) -> &'static str {
        match self {
            Relation::AtLeast => "at-least",
            Relation::Equal => "equal",
            Relation::AtMost => "at-most",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Relation::AtLeast => ">=",
            Relation::Equal => "=",
            Relation::AtMost => "<=",
        }
    }

    pub fn holds(self, value: usize, bound: usize) -> bool {
        match self {
            Relation::AtLeast => value >= bound,
            Relation::Equal => value == bound,
            Relation::AtMost => value <= bound,
        }
    }
}

/// A claim with concrete numbers, at one grid point. Indices are 0-based; values of bond
/// indices in `SupportStructure::path` are 1-based, as written in the case file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Restricted to indices `1..q`, the matricization is the identity matrix.
    IdentitySubmatrix { matricization: Matricization, q: usize },
    /// The exact rank of the matricization over Q compared with `bound`.
    MatricizationRank {
        matricization: Matricization,
        relation: Relation,
        bound: usize,
    },
    /// The TT-ranks (ranks of the sequential unfoldings) compared bond by bond with `bounds`.
    TtRanks { relation: Relation, bounds: Vec<usize> },
    /// The ranks of X^(node, rest) for the nodes of `tree` below the root (post-order), compared
    /// node by node with `bounds`.
    HtRanks {
        tree: crate::network::ht::ModeTree,
        relation: Relation,
        bounds: Vec<usize>,
    },
    /// Every non-zero summand over `[q]^d` follows the bond path `path[k-1][i_k - 1]` (Alkin's Lemma 3).
    SupportStructure { q: usize, path: Vec<Vec<i64>> },
    /// `rank_CP X >= bound`, derived from the rank of one matricization by Lemma 1.
    CpRankLowerBound { matricization: Matricization, bound: usize },
    /// `rank_CP X <= bound`, by an explicit decomposition (or, on random cores, one every draw
    /// has); a matricization, if given, bounds it from below (Lemma 1).
    CpRankUpperBound {
        matricization: Option<Matricization>,
        bound: usize,
    },
    /// The grid tensor equals `expected`; `statement` names the expected values as the case does.
    GridTensorEqual { expected: Tensor<Q>, statement: String },
    /// The grid tensor vanishes exactly where `zero` is true; `statement` is the case's condition.
    GridPattern { zero: Tensor<bool>, statement: String },
    /// Lemma 5 (Cohen & Shashua 2016, Claim 9): a rectifier shallow network with this grid tensor
    /// has width at least `rank X^(matricization) / (T M / 2)`, claimed to be `>= bound`.
    ShallowWidthLowerBound { matricization: Matricization, bound: Q },
    /// The network written as `target` (a TT, or an HT over a tree) by an explicit conversion
    /// checked entry by entry, its ranks (a TT's bonds 1..d-1, an HT's nodes below the root in
    /// post-order) at most `bounds`.
    Conversion {
        target: crate::network::conversion::Target,
        bounds: Vec<usize>,
    },
    /// A claim about every depth in `depths` at once, on the instance's `EveryDepth` train.
    EveryDepth {
        depths: crate::network::periodic::Depths,
        claim: every_depth::DepthClaim,
    },
}

impl Claim {
    /// The kind's name as in case files.
    pub fn kind(&self) -> &'static str {
        let kind = match self {
            Claim::IdentitySubmatrix { .. } => ClaimKind::IdentitySubmatrix,
            Claim::MatricizationRank { .. } => ClaimKind::MatricizationRank,
            Claim::TtRanks { .. } => ClaimKind::TtRanks,
            Claim::HtRanks { .. } => ClaimKind::HtRanks,
            Claim::SupportStructure { .. } => ClaimKind::SupportStructure,
            Claim::CpRankLowerBound { .. } => ClaimKind::CpRankLowerBound,
            Claim::CpRankUpperBound { .. } => ClaimKind::CpRankUpperBound,
            Claim::GridTensorEqual { .. } => ClaimKind::GridTensorEqual,
            Claim::GridPattern { .. } => ClaimKind::GridPattern,
            Claim::ShallowWidthLowerBound { .. } => ClaimKind::ShallowWidthLowerBound,
            Claim::Conversion { .. } => ClaimKind::Conversion,
            Claim::EveryDepth { claim, .. } => claim.kind(),
        };
        kind.name()
    }

    /// The entries deciding the claim stores, if it stores a tensor or a matricization: the
    /// dense tensor, or a rank's route (`generic`: on random cores, rank claims take the
    /// residues mod p).
    pub fn footprint(&self, network: &Network, generic: bool) -> Option<Route> {
        let modes = network.mode_sizes();
        let entries = modes.iter().fold(1u128, |acc, &n| acc.saturating_mul(n as u128));
        let dense = Route::Dense { entries };
        match self {
            Claim::IdentitySubmatrix { q, .. } => Some(Route::Dense {
                entries: (*q as u128).saturating_pow(modes.len() as u32),
            }),
            Claim::MatricizationRank { .. } | Claim::CpRankLowerBound { .. } | Claim::HtRanks { .. } if generic => {
                Some(Route::Residues { entries })
            }
            Claim::MatricizationRank { matricization, .. } => Some(rank::route(network, matricization)),
            // Short of its bound, Lemma 1's lower bound is compared with the network's expansion,
            // when it has one within the limits, on the dense tensor.
            Claim::CpRankLowerBound { matricization, .. }
                if !crate::network::cp_expansion::size(network).is_some_and(|s| s.fits()) =>
            {
                Some(rank::route(network, matricization))
            }
            Claim::CpRankLowerBound { .. }
            | Claim::HtRanks { .. }
            | Claim::CpRankUpperBound { .. }
            | Claim::GridTensorEqual { .. }
            | Claim::GridPattern { .. }
            | Claim::ShallowWidthLowerBound { .. }
            | Claim::Conversion { .. } => Some(dense),
            Claim::TtRanks { .. } | Claim::SupportStructure { .. } | Claim::EveryDepth { .. } => None,
        }
    }
}

/// The claim in words, with its numbers (1-based, as in the papers).
impl fmt::Display for Claim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Claim::IdentitySubmatrix { matricization, q } => {
                write!(f, "X^({matricization}) restricted to indices 1..{q} is the identity matrix")
            }
            Claim::MatricizationRank { matricization, relation, bound } => {
                write!(f, "rank X^({matricization}) {} {bound}", relation.symbol())
            }
            Claim::TtRanks { relation, bounds } => write!(f, "TT-ranks {} {}", relation.symbol(), Tuple(bounds)),
            Claim::HtRanks { tree, relation, bounds } => {
                write!(f, "HT-ranks over the tree {tree} {} {}", relation.symbol(), Tuple(bounds))
            }
            Claim::SupportStructure { q, path } => {
                write!(f, "every non-zero summand over [{q}]^{} has a_k = path(k, i_k), with path(k, i) for i = 1..{q}:", path.len() + 1)?;
                for (k, row) in path.iter().enumerate() {
                    write!(f, " k={}: {}", k + 1, Tuple(row))?;
                }
                Ok(())
            }
            Claim::CpRankLowerBound { matricization, bound } => {
                write!(f, "rank_CP X >= {bound}, from rank X^({matricization}) by Lemma 1")
            }
            Claim::CpRankUpperBound { matricization, bound } => {
                write!(f, "rank_CP X <= {bound}")?;
                match matricization {
                    Some(m) => write!(f, ", against rank X^({m}) by Lemma 1"),
                    None => Ok(()),
                }
            }
            Claim::GridTensorEqual { statement, .. } => write!(f, "the grid tensor Gamma equals {statement} at every index"),
            Claim::GridPattern { statement, .. } => write!(f, "the grid tensor Gamma is 0 exactly where {statement}"),
            Claim::ShallowWidthLowerBound { matricization, bound } => write!(
                f,
                "a rectifier shallow network with grid tensor Gamma has width >= rank Gamma^({matricization}) / (T M / 2) >= {}",
                crate::field::q_text(bound)
            ),
            Claim::Conversion { target, bounds } => match target {
                crate::network::conversion::Target::Tt => {
                    write!(f, "X is a TT with bond dimensions <= {}", Tuple(bounds))
                }
                crate::network::conversion::Target::Ht(tree) => {
                    write!(f, "X is an HT over the tree {tree} with node ranks <= {}", Tuple(bounds))
                }
            },
            Claim::EveryDepth { depths, claim } => write!(f, "for {depths}, {claim}"),
        }
    }
}

/// `(1,2,3)`.
pub struct Tuple<'a, T>(pub &'a [T]);

impl<T: fmt::Display> fmt::Display for Tuple<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        for (n, x) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str(",")?;
            }
            write!(f, "{x}")?;
        }
        f.write_str(")")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    Holds,
    Fails,
    Undecided,
}

impl Verdict {
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Fails => "fails",
            Verdict::Undecided => "undecided",
        }
    }

    /// The verdict of a claim made of parts: FAILS if one part fails, HOLDS if all hold, else
    /// UNDECIDED.
    pub fn of_all(verdicts: &[Verdict]) -> Verdict {
        if verdicts.contains(&Verdict::Fails) {
            Verdict::Fails
        } else if verdicts.iter().all(|&v| v == Verdict::Holds) {
            Verdict::Holds
        } else {
            Verdict::Undecided
        }
    }

    fn from_bool(holds: bool) -> Verdict {
        if holds {
            Verdict::Holds
        } else {
            Verdict::Fails
        }
    }
}

/// What a case expects of a claim at one grid point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    Is(Verdict),
    /// Outside a proved region: holds or fails is accepted, and reported (`probe`).
    Probe,
}

impl Expected {
    pub fn word(self) -> &'static str {
        match self {
            Expected::Is(v) => v.word(),
            Expected::Probe => "probe",
        }
    }

    /// Whether `verdict` is what the case expects.
    pub fn accepts(self, verdict: Verdict) -> bool {
        match self {
            Expected::Is(v) => v == verdict,
            Expected::Probe => verdict != Verdict::Undecided,
        }
    }
}

/// What backs a verdict. Multi-indices and row/column numbers are 0-based here.
#[derive(Clone, Debug, PartialEq)]
pub enum Evidence {
    /// Restricted to indices `1..q`, the matricization is the identity of this size, checked
    /// entry by entry.
    IdentityBlock { q: usize, size: usize },
    /// The block on indices `1..q` is `rows x cols`, not square, so it is no identity.
    NotSquare { q: usize, rows: usize, cols: usize },
    /// The first entry (big-endian order of row, then column) that is not the claimed value.
    EntryDiffers { index: Vec<usize>, expected: Q, actual: Q },
    /// The exact rank of `X^(matricization)` (`shape` rows x columns) and a non-singular minor of
    /// that size on the given row and column numbers.
    Rank {
        matricization: Matricization,
        shape: (usize, usize),
        witness: RankWitness,
    },
    /// The exact rank of each sequential unfolding, with a non-singular minor for each.
    TtRanks { unfoldings: Vec<UnfoldingRank> },
    /// For each node below the root (post-order): its name and the evidence of its rank, a
    /// `Rank` (exact) or a `GenericRank` (random cores), with the node's verdict.
    HtRanks { nodes: Vec<(String, Verdict, Evidence)> },
    /// On random cores: a minor of `X^(matricization)` non-singular mod `modp::PRIME`, so the
    /// generic rank is at least its size, and the cut bound, so it is at most `cut`; with the
    /// f64 SVD rank of the same matrix when asked for.
    GenericRank {
        matricization: Matricization,
        shape: (usize, usize),
        cut: u128,
        witness: crate::linalg::modular::ModRank,
        numeric: Option<crate::linalg::numeric::NumericRank>,
    },
    /// Every non-zero summand over `[q]^d` follows the path; how many there are.
    SupportHolds {
        q: usize,
        d: usize,
        nonzero_summands: BigUint,
    },
    /// A non-zero summand off the claimed path: its indices, bond path and value, and the first
    /// bond `k` (1-based) where the path differs from the claimed one.
    SupportViolation {
        index: Vec<usize>,
        path: Vec<usize>,
        claimed: Vec<i64>,
        bond: usize,
        product: Q,
    },
    /// All `entries` entries of the grid tensor equal the expected values.
    GridEqual { entries: usize },
    /// The grid tensor vanishes exactly where claimed; how many zeros it has.
    PatternHolds { entries: usize, zeros: usize },
    /// The first index where the grid tensor is zero but not claimed so, or the reverse.
    PatternDiffers {
        index: Vec<usize>,
        zero_expected: bool,
        actual: Q,
    },
    /// The exact rank of the matricization with its minor, and the width bound `rank / (T M / 2)`;
    /// when that is below the claim, the first compared shallow network narrower than the claim
    /// whose grid tensor is the subject's, if there is one (the disproof).
    /// A verdict about every depth at once.
    EveryDepth(every_depth::DepthEvidence),
    /// A conversion to another network kind, compared with X entry by entry, and its ranks.
    Conversion(Converted),
    /// A CP-rank bound from both sides: an upper bound (a decomposition checked entry by entry,
    /// or on random cores one every draw has) and Lemma 1's lower bound from a matricization's
    /// exact rank with its minor, when the claim has one.
    CpRank { upper: Upper, lower: Option<RankEvidence> },
    ShallowWidth {
        matricization: Matricization,
        shape: (usize, usize),
        witness: RankWitness,
        width: Q,
        narrower: Option<NarrowerShallow>,
    },
}

/// A verdict with its evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub verdict: Verdict,
    pub evidence: Evidence,
}

/// What one instance's claims share: the network, its dense tensor once built, and the exact
/// rank of each matricization once computed.
pub struct Workspace<'n> {
    network: &'n Network,
    /// Whether the cores were drawn at random: rank claims are then about the generic rank.
    generic: bool,
    dense: Option<Tensor<Q>>,
    residues: Option<generic::Residues>,
    certified: Vec<generic::Certified>,
    ranks: Vec<RankEvidence>,
}

impl<'n> Workspace<'n> {
    /// `generic`: the network is one draw of random cores.
    pub fn new(network: &'n Network, generic: bool) -> Self {
        Workspace {
            network,
            generic,
            dense: None,
            residues: None,
            certified: Vec::new(),
            ranks: Vec::new(),
        }
    }

    /// The tensor train of a TT claim: case validation admits those claims on trains only.
    fn train(&self) -> &'n crate::network::TensorTrain {
        self.network
            .train()
            .expect("case validation admits TT claims on tensor trains only")
    }

    /// Decides one claim; `numeric` asks rank claims on random cores for the f64 SVD
    /// cross-check (with a relative tolerance, or numpy's default).
    pub fn decide(&mut self, claim: &Claim, numeric: Option<Option<f64>>) -> Outcome {
        if let Claim::HtRanks { tree, relation, bounds } = claim {
            return self.ht_ranks(tree, *relation, bounds);
        }
        if let Claim::Conversion { target, bounds } = claim {
            return conversion::decide(self, target, bounds);
        }
        if self.generic {
            let (matricization, bounded, bound) = match claim {
                Claim::MatricizationRank {
                    matricization,
                    relation,
                    bound,
                } => (matricization, generic::Bounded::Rank(*relation), *bound),
                Claim::CpRankLowerBound { matricization, bound } => (matricization, generic::Bounded::CpRank, *bound),
                Claim::CpRankUpperBound { matricization, bound } => {
                    return cp_upper::decide(self, matricization.as_ref(), *bound)
                }
                _ => unreachable!("case validation admits only rank claims on random cores"),
            };
            let certified = self.certified(matricization);
            return generic::decide(self.network, certified, bounded, bound, numeric);
        }
        match claim {
            Claim::IdentitySubmatrix { matricization, q } => identity::decide(self.train(), matricization, *q),
            Claim::MatricizationRank {
                matricization,
                relation,
                bound,
            } => {
                let evidence = self.rank_evidence(matricization);
                Outcome {
                    verdict: Verdict::from_bool(relation.holds(evidence.rank(), *bound)),
                    evidence: evidence.into(),
                }
            }
            Claim::CpRankLowerBound { matricization, bound } => {
                let evidence = self.rank_evidence(matricization);
                if evidence.rank() >= *bound {
                    return Outcome {
                        verdict: Verdict::Holds,
                        evidence: evidence.into(),
                    };
                }
                cp_upper::short_lower_bound(self, evidence, *bound)
            }
            Claim::CpRankUpperBound { matricization, bound } => cp_upper::decide(self, matricization.as_ref(), *bound),
            Claim::TtRanks { relation, bounds } => {
                let unfoldings = tt_ranks(self.train());
                let holds = unfoldings.iter().zip(bounds).all(|(u, &b)| relation.holds(u.rank, b));
                Outcome {
                    verdict: Verdict::from_bool(holds),
                    evidence: Evidence::TtRanks { unfoldings },
                }
            }
            Claim::HtRanks { .. } | Claim::Conversion { .. } => unreachable!("decided before the other claims"),
            Claim::SupportStructure { q, path } => support::decide(self.train(), *q, path),
            Claim::EveryDepth { .. } => unreachable!("run decides all-d claims with claim::every_depth"),
            Claim::GridTensorEqual { expected, .. } => grid::decide_equal(self.dense(), expected),
            Claim::GridPattern { zero, .. } => grid::decide_pattern(self.dense(), zero),
            Claim::ShallowWidthLowerBound { matricization, bound } => {
                let evidence = self.rank_evidence(matricization);
                let sizes = self.network.mode_sizes();
                let (t, m) = (sizes.len() as i64, sizes.first().copied().unwrap_or(1) as i64);
                // width >= rank / (T M / 2) = 2 rank / (T M).
                let width = Q::new((2 * evidence.rank() as i64).into(), (t * m).max(1).into());
                let holds = width >= *bound;
                let narrower = match self.network {
                    Network::Generalized(g) if !holds => grid::narrower_shallow(g, bound),
                    _ => None,
                };
                let verdict = match (holds, &narrower) {
                    (true, _) => Verdict::Holds,
                    (false, Some(_)) => Verdict::Fails,
                    (false, None) => Verdict::Undecided,
                };
                let RankEvidence {
                    matricization,
                    shape,
                    witness,
                } = evidence;
                Outcome {
                    verdict,
                    evidence: Evidence::ShallowWidth {
                        matricization,
                        shape,
                        witness,
                        width,
                        narrower,
                    },
                }
            }
        }
    }

    /// What a draw certifies about one matricization, computed once per instance.
    fn certified(&mut self, matricization: &Matricization) -> generic::Certified {
        if let Some(known) = self.certified.iter().find(|c| &c.matricization == matricization) {
            return known.clone();
        }
        let network = self.network;
        let residues = self.residues.get_or_insert_with(|| generic::Residues::of(network));
        let fresh = generic::certify(network, residues, matricization);
        self.certified.push(fresh.clone());
        fresh
    }

    /// The rank of a matricization with its evidence: exact (`Rank`), or on random cores
    /// certified mod p with the cut (`GenericRank`, a lower bound on the generic rank).
    fn any_rank(&mut self, matricization: &Matricization) -> (usize, Evidence) {
        if self.generic {
            let c = self.certified(matricization);
            let rank = c.witness.rank;
            let evidence = Evidence::GenericRank {
                matricization: c.matricization,
                shape: c.shape,
                cut: c.cut,
                witness: c.witness,
                numeric: None,
            };
            (rank, evidence)
        } else {
            let e = self.rank_evidence(matricization);
            (e.rank(), e.into())
        }
    }

    /// `ht-ranks`: each node's rank, exact or certified with its cut, against its bound.
    fn ht_ranks(&mut self, tree: &crate::network::ht::ModeTree, relation: Relation, bounds: &[usize]) -> Outcome {
        let d = self.network.mode_sizes().len();
        let mut nodes = Vec::new();
        for ((name, matricization), &bound) in ht_ranks::nodes(tree, d).into_iter().zip(bounds) {
            let (rank, evidence) = self.any_rank(&matricization);
            let verdict = match &evidence {
                Evidence::GenericRank { cut, .. } => {
                    generic::verdict(generic::Bounded::Rank(relation), bound, rank, *cut)
                }
                _ => Verdict::from_bool(relation.holds(rank, bound)),
            };
            nodes.push((name, verdict, evidence));
        }
        let verdicts: Vec<Verdict> = nodes.iter().map(|(_, v, _)| *v).collect();
        Outcome {
            verdict: Verdict::of_all(&verdicts),
            evidence: Evidence::HtRanks { nodes },
        }
    }

    /// The dense tensor (the grid tensor of a generalized network), built once.
    fn dense(&mut self) -> &Tensor<Q> {
        let network = self.network;
        self.dense.get_or_insert_with(|| network.dense(Q::clone))
    }

    /// The rank of a matricization, computed once per instance and matricization.
    fn rank_evidence(&mut self, matricization: &Matricization) -> RankEvidence {
        if let Some(known) = self.ranks.iter().find(|r| &r.matricization == matricization) {
            return known.clone();
        }
        let (network, dense) = (self.network, &mut self.dense);
        let (shape, witness) = rank::matricization_rank(network, matricization, || {
            dense.get_or_insert_with(|| network.dense(Q::clone))
        });
        let evidence = RankEvidence {
            matricization: matricization.clone(),
            shape,
            witness,
        };
        self.ranks.push(evidence.clone());
        evidence
    }
}

/// Whether drawing the cores again could decide `claim`, whose outcome on this draw is
/// `outcome`: only when it is undecided and a draw of larger rank could settle it.
pub fn another_draw_may_decide(claim: &Claim, outcome: &Outcome) -> bool {
    if let (Claim::HtRanks { relation, bounds, .. }, Evidence::HtRanks { nodes }) = (claim, &outcome.evidence) {
        // Undecided, no node failing: a node below its cut may be settled by another draw.
        return outcome.verdict == Verdict::Undecided
            && nodes
                .iter()
                .zip(bounds)
                .any(|((_, verdict, evidence), &bound)| match evidence {
                    Evidence::GenericRank { cut, witness, .. } => {
                        *verdict == Verdict::Undecided
                            && generic::another_draw_may_decide(
                                generic::Bounded::Rank(*relation),
                                bound,
                                witness.rank,
                                *cut,
                            )
                    }
                    _ => false,
                });
    }
    let Evidence::GenericRank { cut, witness, .. } = &outcome.evidence else {
        return false;
    };
    let (bounded, bound) = match claim {
        Claim::MatricizationRank { relation, bound, .. } => (generic::Bounded::Rank(*relation), *bound),
        Claim::CpRankLowerBound { bound, .. } => (generic::Bounded::CpRank, *bound),
        _ => return false,
    };
    outcome.verdict == Verdict::Undecided && generic::another_draw_may_decide(bounded, bound, witness.rank, *cut)
}

/// The fields of `Evidence::Rank`, kept apart so the workspace can cache them.
#[derive(Clone, Debug, PartialEq)]
pub struct RankEvidence {
    pub matricization: Matricization,
    pub shape: (usize, usize),
    pub witness: RankWitness,
}

impl RankEvidence {
    pub fn rank(&self) -> usize {
        self.witness.rank
    }
}

impl From<RankEvidence> for Evidence {
    fn from(r: RankEvidence) -> Evidence {
        Evidence::Rank {
            matricization: r.matricization,
            shape: r.shape,
            witness: r.witness,
        }
    }
}

/// 1-based multi-index `(i_1,...,i_d)`.
pub fn one_based(index: &[usize]) -> String {
    OneBased(index).to_string()
}
