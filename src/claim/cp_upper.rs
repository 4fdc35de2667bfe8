//! `cp-rank-upper-bound`, and the disproof of a `cp-rank-lower-bound` that Lemma 1 leaves short:
//! an upper bound on rank_CP X from an explicit decomposition of the tensor (a CP network's
//! non-zero terms, a train's bond paths: `network::cp_expansion`), summed and compared with the
//! tensor entry by entry, or on random cores from the decomposition every draw has; and a lower
//! bound from a matricization's exact rank (Lemma 1). A claim HOLDS or FAILS only by one of
//! them; where the two meet, rank_CP X is known exactly. Rendering the evidence is
//! `certificate`'s job.

use super::{Evidence, Outcome, RankEvidence, Verdict, Workspace};
use crate::network::cp_expansion::{expand, path_count, size, Source};
use crate::network::Network;
use crate::tensor::Matricization;

/// An upper bound on the CP-rank, and where it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upper {
    /// An explicit decomposition of the tensor into `terms` non-zero rank-1 terms, whose sum
    /// equals the tensor entry by entry.
    Decomposition { source: Source, terms: usize },
    /// On random cores: the decomposition every draw has, whatever is drawn (its candidate
    /// terms, none dropped).
    EveryDraw { source: Source },
    /// None is built: a network kind without an expansion here (HT, generalized), or, for a
    /// lower-bound claim, one over the expansion limits.
    Unknown,
}

impl Upper {
    /// The number of terms of the decomposition, if there is one.
    pub fn terms(self) -> Option<u128> {
        match self {
            Upper::Decomposition { terms, .. } => Some(terms as u128),
            Upper::EveryDraw {
                source: Source::CpTerms { rank, .. },
            } => Some(rank as u128),
            Upper::EveryDraw {
                source: Source::BondPaths { paths },
            } => Some(paths),
            Upper::Unknown => None,
        }
    }
}

/// `rank_CP X <= bound`: HOLDS by a decomposition of at most `bound` terms, FAILS when the
/// matricization (if the claim names one) has a larger rank, UNDECIDED otherwise.
pub(super) fn decide(ws: &mut Workspace, matricization: Option<&Matricization>, bound: usize) -> Outcome {
    let upper = upper(ws);
    let lower = matricization.map(|m| ws.rank_evidence(m));
    let verdict = match (upper.terms(), &lower) {
        (Some(terms), _) if terms <= bound as u128 => Verdict::Holds,
        (_, Some(lower)) if lower.rank() > bound => Verdict::Fails,
        _ => Verdict::Undecided,
    };
    Outcome {
        verdict,
        evidence: Evidence::CpRank { upper, lower },
    }
}

/// `rank_CP X >= bound` where Lemma 1 gives only `lower` < bound: FAILS when the network's
/// decomposition has fewer than `bound` terms, else UNDECIDED (with the decomposition's size,
/// or as Lemma 1 left it when there is none).
pub(super) fn short_lower_bound(ws: &mut Workspace, lower: RankEvidence, bound: usize) -> Outcome {
    let upper = upper(ws);
    let Some(terms) = upper.terms() else {
        return Outcome {
            verdict: Verdict::Undecided,
            evidence: lower.into(),
        };
    };
    Outcome {
        verdict: if terms < bound as u128 {
            Verdict::Fails
        } else {
            Verdict::Undecided
        },
        evidence: Evidence::CpRank {
            upper,
            lower: Some(lower),
        },
    }
}

/// The upper bound the workspace's network has: on random cores the decomposition of every
/// draw; else its expansion within the limits, used only once its sum is the tensor.
fn upper(ws: &mut Workspace) -> Upper {
    let network = ws.network;
    if ws.generic {
        return match network {
            Network::Cp { factors, weights } => Upper::EveryDraw {
                source: Source::CpTerms {
                    rank: factors.first().map_or(0, |f| f.shape().2),
                    weighted: weights.is_some(),
                },
            },
            Network::Tt(train) | Network::TtEqual { train, .. } => Upper::EveryDraw {
                source: Source::BondPaths {
                    paths: path_count(train),
                },
            },
            Network::Ht { .. } | Network::Generalized(_) => Upper::Unknown,
        };
    }
    if !size(network).is_some_and(|s| s.fits()) {
        return Upper::Unknown;
    }
    let Some(expansion) = expand(network) else {
        return Upper::Unknown;
    };
    if expansion.tensor(&network.mode_sizes()) != *ws.dense() {
        return Upper::Unknown;
    }
    Upper::Decomposition {
        source: expansion.source,
        terms: expansion.terms.len(),
    }
}
