//! The evidence lines of CP-rank bounds from both sides: the decomposition behind an upper bound
//! (a CP network's terms, a train's bond paths, or on random cores the one every draw has), the
//! lower bound of Lemma 1, and where they meet `rank_CP X = R, certified`. Each form is a fixed
//! template that the kernel (`kernel/src/cp.rs`) rebuilds; change both together.

use super::{rank_text, short_of};
use crate::claim::{Claim, RankEvidence, Upper};
use crate::network::cp_expansion::Source;

/// The evidence line of a claim whose evidence is `Evidence::CpRank`.
pub(super) fn summary(claim: &Claim, upper: &Upper, lower: Option<&RankEvidence>) -> String {
    let lemma_1 = lower.map(|l| {
        format!(
            "{}; by Lemma 1, rank_CP X >= {}",
            rank_text(&l.matricization, l.shape, l.rank()),
            l.rank()
        )
    });
    let certified = match (upper.terms(), lower) {
        (Some(terms), Some(l)) if terms == l.rank() as u128 => format!("; rank_CP X = {terms}, certified"),
        _ => String::new(),
    };
    let decomposition = upper_text(*upper);
    match (claim, lemma_1) {
        (Claim::CpRankLowerBound { bound, .. }, Some(lemma_1)) => {
            let found = lower.map_or(0, RankEvidence::rank);
            if upper.terms().is_some_and(|t| t < *bound as u128) {
                format!("{lemma_1}; below the claimed {bound}, and {decomposition} < {bound}: a disproof{certified}")
            } else {
                format!("{lemma_1}{}; {decomposition}", short_of(found, *bound))
            }
        }
        (Claim::CpRankUpperBound { bound, .. }, lemma_1) => {
            let mut text = decomposition;
            if let Some(lemma_1) = lemma_1 {
                text = format!("{text}; {lemma_1}");
            }
            text.push_str(&certified);
            let b = *bound as u128;
            if upper.terms().is_some_and(|t| t <= b) {
                // Holds: the decomposition is the proof.
            } else if lower.is_some_and(|l| l.rank() as u128 > b) {
                text.push_str(&format!("; above the claimed {bound}: a disproof"));
            } else if let Upper::EveryDraw { .. } = upper {
                text.push_str(&format!(
                    "; above the claimed {bound}, so not established: on random cores only a bound valid for every draw counts"
                ));
            } else {
                text.push_str(&format!(
                    "; not established: a proof would be a CP decomposition of at most {bound} terms, a disproof a matricization of rank > {bound}"
                ));
            }
            text
        }
        // No other claim carries this evidence.
        (_, _) => decomposition,
    }
}

/// The upper bound and where it comes from.
fn upper_text(upper: Upper) -> String {
    let weights = |weighted: bool| if weighted { "lambda_a " } else { "" };
    match upper {
        Upper::Decomposition {
            source: Source::BondPaths { paths },
            terms,
        } => format!(
            "X is the sum over the train's {paths} bond paths of the rank-1 terms G_1[1,:,a_1] (x) G_2[a_1,:,a_2] (x) ... (x) G_d[a_(d-1),:,1]; {terms} of them are non-zero, and they sum to X, checked entry by entry, so rank_CP X <= {terms}"
        ),
        Upper::Decomposition {
            source: Source::CpTerms { rank, weighted },
            terms,
        } => format!(
            "X is the sum of the network's {rank} terms {}V_1[1,:,a] (x) ... (x) V_d[1,:,a]; {terms} of them are non-zero, and they sum to X, checked entry by entry, so rank_CP X <= {terms}",
            weights(weighted)
        ),
        Upper::EveryDraw {
            source: Source::CpTerms { rank, weighted },
        } => format!(
            "every draw is the sum of its {rank} terms {}V_1[1,:,a] (x) ... (x) V_d[1,:,a], whatever the drawn factors, so rank_CP X <= {rank} for every draw",
            weights(weighted)
        ),
        Upper::EveryDraw {
            source: Source::BondPaths { paths },
        } => format!(
            "every draw is the sum over its {paths} bond paths (their number r_1 ... r_(d-1) is the product of the bond dimensions) of rank-1 terms, whatever the drawn cores, so rank_CP X <= {paths} for every draw"
        ),
        Upper::Unknown => "no CP decomposition of this network is built".to_string(),
    }
}
