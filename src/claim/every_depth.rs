//! Claims about every depth d at once (SPEC §7), on a `PeriodicTrain` over a set of `Depths`:
//! the identity block of the odd/even matricization, Alkin's Lemma 3 support structure, and rank
//! lower bounds `c^(d/2)` by a triangular certificate. Each is decided with weighted automata
//! (`automaton`); a claim that fails is shown at the least d where it does, with the index.

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

use super::ClaimKind;
use std::fmt;

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
