//! Sweeps: one case decided over its grid (or one shard of it, for splitting a large grid across
//! machines) and flattened into one row per instance and claim, for a CSV table, a Markdown
//! report, LaTeX tables and a plot (SVG and PGF/TikZ), each saying what case, grid, seeds and
//! shard its rows are of. Shards merge back into exactly the rows of the whole run, so every
//! output of a merge is byte-identical to the whole run's. This file owns the rows, the shards
//! and the totals; `fingerprint` says what rows are rows of, `rank_table` groups them into
//! rank-against-bound tables and `figure` into a plot's panels and series, `csv`, `markdown`,
//! `latex`, `plot` (SVG), `pgf` and `merge` write and read them, and `report` is the text report
//! of claims.

mod csv;
mod figure;
mod fingerprint;
mod latex;
mod markdown;
mod merge;
mod pgf;
mod plot;
mod rank_table;
mod report;

pub use csv::{from_csv, header, seal, to_csv, CsvError, COLUMNS, FORMAT};
pub use fingerprint::Fingerprint;
pub use latex::to_latex;
pub use markdown::to_markdown;
pub use merge::{merge, MergeError};
pub use pgf::to_pgf;
pub use plot::{to_svg, PlotError};
pub use report::{claim_lines, counted, ClaimColumns};

use crate::case::{Case, Instance};
use crate::certificate::{summary, InstanceResult};
use crate::claim::{Claim, Evidence, Expected, Relation, Verdict};
use crate::data::{network_ranks, node_rank};
use crate::field::q_text;
use crate::network::periodic::Depths;
use crate::run::decide_instance;
use std::collections::HashSet;
use std::fmt;
use std::hash::Hash;
use std::str::FromStr;

/// Shard `index` of `count` (1-based): the instances whose 0-based grid index `k` has
/// `k % count == index - 1`. A whole run is shard 1/1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// Whether the instance at 0-based grid index `k` belongs to this shard.
    pub fn contains(self, k: usize) -> bool {
        k % self.count == self.index - 1
    }

    pub fn is_whole(self) -> bool {
        self.count == 1
    }
}

/// `2/3`.
impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Reads `i/N` with `1 <= i <= N`.
impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let malformed = || format!("'{text}' is not a shard: write i/N with 1 <= i <= N, e.g. 2/3");
        let (index, count) = text.split_once('/').ok_or_else(malformed)?;
        let index: usize = index.trim().parse().map_err(|_| malformed())?;
        let count: usize = count.trim().parse().map_err(|_| malformed())?;
        if index == 0 || index > count {
            return Err(malformed());
        }
        Ok(Shard { index, count })
    }
}

/// A sweep's rows with what they are rows of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sweep {
    /// The case, its grid and seeds.
    pub fingerprint: Fingerprint,
    pub shard: Shard,
    /// In grid order, then claim order.
    pub rows: Vec<SweepRow>,
}

/// One claim at one grid point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepRow {
    /// 0-based position in the case's grid (the order of `Case::instances`).
    pub index: usize,
    /// Parameter values, in the case's grid order; for an instance about every depth at once,
    /// all but d.
    pub params: Vec<(String, i64)>,
    /// For an instance about every depth at once: its depths, shown as the parameter `d` after
    /// the others (`d=even`, `d=even>=4`, `d=all>=3`: `Depths::label`).
    pub depths: Option<Depths>,
    /// 1-based position among the case's claims, and its kind.
    pub claim: usize,
    pub kind: String,
    /// How a rank claim compares the rank with the number in its statement, and that number;
    /// `None` for other kinds.
    pub bound: Option<(Relation, usize)>,
    pub verdict: Verdict,
    pub expected: Expected,
    /// The rank found: exact over Q for fixed cores, certified (a minor non-singular mod p) for
    /// random cores.
    pub rank: Option<usize>,
    /// Random cores: the cut bound, an upper bound on the generic rank.
    pub cut: Option<u128>,
    /// Random cores: whether the certified rank meets the cut bound, so the generic rank is known.
    pub certified: Option<bool>,
    /// Random cores: which draw (1-based) decided the claims.
    pub attempt: Option<usize>,
    /// Random cores, when asked for: the f64 SVD rank.
    pub numeric_rank: Option<usize>,
    /// The matricization a rank, identity or width claim is about, `(1,3),(2,4)`.
    pub matricization: Option<String>,
    /// A tt-ranks or ht-ranks claim: the ranks found (bond by bond, or node by node in
    /// post-order), and the claimed ones.
    pub ranks: Option<Vec<usize>>,
    pub claimed_ranks: Option<Vec<usize>>,
    /// The construction's ranks (`data::network_ranks`): a tensor train's bond dimensions
    /// r_1..r_{d-1}, an HT network's edge ranks in post-order (U1, U2, B1, ..., the root left
    /// out), a CP network's rank, a generalized RNN's R_1..R_{T-1}, a generalized shallow
    /// network's width; none for instances about every depth.
    pub network_ranks: Option<Vec<usize>>,
    /// A shallow-width claim: Lemma 5's bound rank / (T M / 2), an exact number.
    pub width: Option<String>,
    /// The evidence in one line, as in certificates.
    pub detail: String,
}

impl SweepRow {
    pub fn as_expected(&self) -> bool {
        self.expected.accepts(self.verdict)
    }

    /// `n=2 r=3 d=4`; for every depth at once `n=2 r=3 d=even`.
    pub fn params_text(&self) -> String {
        self.params_joined(" ")
    }

    /// `n=2, r=3, d=4`, as `Instance::label` names the grid point.
    pub fn label(&self) -> String {
        self.params_joined(", ")
    }

    fn params_joined(&self, separator: &str) -> String {
        self.param_values()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(separator)
    }

    /// The parameters with their values as text, in grid order, the depths of an instance about
    /// every depth as `d` last.
    pub fn param_values(&self) -> Vec<(String, String)> {
        let depths = self.depths.map(|d| ("d".to_string(), d.label()));
        self.params
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .chain(depths)
            .collect()
    }

    /// The parameter names, as `param_values` lists them.
    pub fn param_names(&self) -> Vec<&str> {
        let depths = self.depths.map(|_| "d");
        self.params.iter().map(|(k, _)| k.as_str()).chain(depths).collect()
    }

    /// The value of the integer parameter `name`, if the case has it (not the depths of an
    /// instance about every depth).
    pub fn param(&self, name: &str) -> Option<i64> {
        self.params.iter().find(|(k, _)| k == name).map(|&(_, v)| v)
    }

    /// The rows of one decided instance at grid index `index`, one per claim.
    pub fn of_result(index: usize, result: &InstanceResult) -> Vec<SweepRow> {
        let instance = &result.instance;
        let attempt = instance.draws.as_ref().map(|_| instance.attempt + 1);
        let network_ranks = network_ranks(instance);
        instance
            .claims
            .iter()
            .zip(&result.outcomes)
            .map(|(claim, outcome)| {
                let bound = match &claim.claim {
                    Claim::MatricizationRank { relation, bound, .. } => Some((*relation, *bound)),
                    Claim::CpRankLowerBound { bound, .. } => Some((Relation::AtLeast, *bound)),
                    Claim::CpRankUpperBound { bound, .. } => Some((Relation::AtMost, *bound)),
                    _ => None,
                };
                let (rank, cut, certified, numeric_rank) = match &outcome.evidence {
                    Evidence::GenericRank {
                        cut, witness, numeric, ..
                    } => (
                        Some(witness.rank),
                        Some(*cut),
                        Some(witness.rank as u128 == *cut),
                        numeric.as_ref().map(|n| n.rank),
                    ),
                    Evidence::Rank { witness, .. } | Evidence::ShallowWidth { witness, .. } => {
                        (Some(witness.rank), None, None, None)
                    }
                    // Certified where the decomposition meets Lemma 1's rank.
                    Evidence::CpRank {
                        upper,
                        lower: Some(crate::claim::RankEvidence { witness, .. }),
                    } => (
                        Some(witness.rank),
                        None,
                        Some(upper.terms() == Some(witness.rank as u128)),
                        None,
                    ),
                    _ => (None, None, None, None),
                };
                let matricization = match &claim.claim {
                    Claim::IdentitySubmatrix { matricization, .. }
                    | Claim::MatricizationRank { matricization, .. }
                    | Claim::CpRankLowerBound { matricization, .. }
                    | Claim::ShallowWidthLowerBound { matricization, .. } => Some(matricization.to_string()),
                    _ => None,
                };
                let ranks = match &outcome.evidence {
                    Evidence::TtRanks { unfoldings } => Some(unfoldings.iter().map(|u| u.rank).collect()),
                    Evidence::HtRanks { nodes } => Some(nodes.iter().filter_map(|(_, _, e)| node_rank(e)).collect()),
                    _ => None,
                };
                let claimed_ranks = match &claim.claim {
                    Claim::TtRanks { bounds, .. } | Claim::HtRanks { bounds, .. } => Some(bounds.clone()),
                    _ => None,
                };
                let width = match &outcome.evidence {
                    Evidence::ShallowWidth { width, .. } => Some(q_text(width)),
                    _ => None,
                };
                SweepRow {
                    index,
                    params: instance.params.clone(),
                    depths: instance.every_depth.as_ref().map(|e| Depths {
                        even: e.depths.even,
                        least: e.depths.first(),
                    }),
                    claim: claim.number,
                    kind: claim.claim.kind().to_string(),
                    bound,
                    verdict: outcome.verdict,
                    expected: claim.expected,
                    rank,
                    cut,
                    certified,
                    attempt,
                    numeric_rank,
                    matricization,
                    ranks,
                    claimed_ranks,
                    network_ranks: network_ranks.clone(),
                    width,
                    detail: summary(&claim.claim, outcome),
                }
            })
            .collect()
    }
}

/// Decides the instances of `shard` of the case's grid, `selected` (each with its 0-based grid
/// index: `Case::instances_of_class` with the shard's class), in parallel with
/// `run::decide_instance`; `each` is called with each decided instance, from whichever thread
/// decided it. The rows keep the grid order, so they are the same for any number of threads. A
/// shard may hold no instance (shard 31/100 of a grid of 30 points): its sweep has no rows and
/// still says whose shard it is.
pub fn sweep(
    case: &Case,
    selected: Vec<(usize, Instance)>,
    shard: Shard,
    each: impl Fn(&InstanceResult) + Sync,
) -> Sweep {
    use rayon::prelude::*;
    let grid_size = case.grid_size().unwrap_or(usize::MAX);
    let rows: Vec<SweepRow> = selected
        .into_par_iter()
        .flat_map_iter(|(k, instance)| {
            let result = decide_instance(instance);
            each(&result);
            SweepRow::of_result(k, &result)
        })
        .collect();
    Sweep {
        fingerprint: Fingerprint::of(case, grid_size),
        shard,
        rows,
    }
}

/// How one claim came out over a sweep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimTotals {
    pub claim: usize,
    pub kind: String,
    /// Instances with each verdict, indexed by `Verdict as usize`.
    pub verdicts: [usize; 3],
    pub unexpected: usize,
    /// Random cores: instances whose certified rank meets the cut bound, of those with a cut bound.
    pub certified: usize,
    pub with_cut: usize,
}

/// The counts a sweep's report starts with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Totals {
    pub case: String,
    pub shard: Shard,
    pub instances: usize,
    pub verdicts: usize,
    pub unexpected: usize,
    /// In claim order.
    pub claims: Vec<ClaimTotals>,
}

impl Sweep {
    pub fn totals(&self) -> Totals {
        let mut instances: Vec<usize> = self.rows.iter().map(|r| r.index).collect();
        instances.dedup();
        Totals {
            case: self.fingerprint.case.clone(),
            shard: self.shard,
            instances: instances.len(),
            verdicts: self.rows.len(),
            unexpected: self.rows.iter().filter(|r| !r.as_expected()).count(),
            claims: ClaimTotals::of(&self.rows),
        }
    }

    /// The rows whose verdict is not the expected one.
    pub fn misses(&self) -> impl Iterator<Item = &SweepRow> {
        self.rows.iter().filter(|r| !r.as_expected())
    }

    /// The parameter names, in grid order (d last for instances about every depth).
    pub fn param_names(&self) -> Vec<&str> {
        self.fingerprint.param_names()
    }
}

impl ClaimTotals {
    /// The totals of each claim over `rows`, in claim order.
    pub fn of(rows: &[SweepRow]) -> Vec<ClaimTotals> {
        let mut claims: Vec<ClaimTotals> = Vec::new();
        for row in rows {
            let position = match claims.iter().position(|c| c.claim == row.claim) {
                Some(p) => p,
                None => {
                    claims.push(ClaimTotals {
                        claim: row.claim,
                        kind: row.kind.clone(),
                        verdicts: [0; 3],
                        unexpected: 0,
                        certified: 0,
                        with_cut: 0,
                    });
                    claims.len() - 1
                }
            };
            let totals = &mut claims[position];
            totals.verdicts[row.verdict as usize] += 1;
            totals.unexpected += usize::from(!row.as_expected());
            totals.certified += usize::from(row.certified == Some(true));
            totals.with_cut += usize::from(row.cut.is_some());
        }
        claims.sort_by_key(|c| c.claim);
        claims
    }

    /// `342 holds, 2 fails`.
    pub fn counts(&self) -> String {
        let counts: Vec<String> = [Verdict::Holds, Verdict::Fails, Verdict::Undecided]
            .iter()
            .filter(|v| self.verdicts[**v as usize] > 0)
            .map(|v| format!("{} {}", self.verdicts[*v as usize], v.word()))
            .collect();
        counts.join(", ")
    }
}

impl Totals {
    /// `342 instances, 684 claim verdicts: all as expected`.
    pub fn headline(&self) -> String {
        let verdict = if self.unexpected == 0 {
            "all as expected".to_string()
        } else {
            format!("{} NOT AS EXPECTED", self.unexpected)
        };
        format!(
            "{}, {}: {verdict}",
            counted(self.instances, "instance"),
            counted(self.verdicts, "claim verdict")
        )
    }
}

/// The verdict named by its word (`holds`, `fails`, `undecided`).
fn verdict_of_word(word: &str) -> Option<Verdict> {
    [Verdict::Holds, Verdict::Fails, Verdict::Undecided]
        .into_iter()
        .find(|v| v.word() == word)
}

/// The distinct values in the order they first appear.
fn distinct<T: Hash + Eq + Clone>(values: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::new();
    values.filter(|v| seen.insert(v.clone())).collect()
}
