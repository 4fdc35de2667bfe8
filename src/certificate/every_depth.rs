//! The certificate lines of an instance about every depth at once: its construction line and, for
//! each claim, the evidence (the summary line, then the bases, state sets or minor it rests on).
//! Each summary is a fixed template the kernel reads back; change both together. States and
//! letters are written 1-based, sparse rows as `state:value` pairs.

use super::{index_text, ranges};
use crate::automaton::SparseRow;
use crate::claim::every_depth::{side_text, DepthEvidence, ZeroProof};
use crate::claim::{one_based, Tuple};
use crate::field::q_text;
use crate::network::periodic::EveryDepth;
use crate::network::Network;
use crate::tensor::{Matricization, OneBased};
use std::fmt::Write;

/// `tt-equal, every depth, mode size 2, period 1, bond dimensions by class (3)`.
pub fn construction_line(network: &Network, every: &EveryDepth) -> String {
    let bonds: Vec<usize> = every.train.middle.iter().map(|g| g.shape().2).collect();
    format!(
        "{}, every depth, mode size {}, period {}, bond dimensions by class {}",
        network.kind(),
        every.train.modes(),
        every.train.period(),
        Tuple(&bonds)
    )
}

/// A basis row: `1:1 4:-1/2`.
fn row_text(row: &SparseRow) -> String {
    row.iter()
        .map(|(t, v)| format!("{}:{}", t + 1, q_text(v)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `LABEL: S states` and one `LABEL basis J: ..` line per row.
fn proof_lines(label: &str, proof: &ZeroProof, lines: &mut Vec<String>) {
    lines.push(format!(
        "{label}: {} states, {} basis rows",
        proof.states,
        proof.basis.len()
    ));
    for (j, row) in proof.basis.iter().enumerate() {
        lines.push(format!("{label} basis {}: {}", j + 1, row_text(row)));
    }
}

/// The evidence lines of an all-d claim; `cp` for a CP-rank claim. The first is the summary.
pub fn evidence_lines(evidence: &DepthEvidence, cp: bool) -> Vec<String> {
    let mut lines = Vec::new();
    match evidence {
        DepthEvidence::IdentityHolds { proof } => {
            lines.push(
                "X_d - [x = y], read in pairs, is zero for every d: the basis rows below span its reachable vectors, hold the initial vector, are closed under every pair of letters and have final value 0".into(),
            );
            proof_lines("identity automaton", proof, &mut lines);
        }
        DepthEvidence::EntryDiffers {
            d,
            index,
            actual,
            claimed,
        } => {
            lines.push(format!(
                "at d = {d}, X_{d}[{}] = {}, but the identity has {} there",
                index_text(index),
                q_text(actual),
                q_text(claimed)
            ));
            lines
                .push("# least d: the breadth-first search over word length found no difference at a smaller d".into());
        }
        DepthEvidence::SupportHolds {
            states,
            forward,
            backward,
        } => {
            lines.push(format!(
                "for every d, every path of non-zero core entries from start to end follows the claimed path: the {} states reachable from the start and the {} that reach the end are listed, closed under the edges, and no edge from the first set into the second leaves the path",
                forward.len(),
                backward.len()
            ));
            lines.push(format!("support automaton: {states} states"));
            lines.push(format!("forward: {}", ranges(forward)));
            lines.push(format!("backward: {}", ranges(backward)));
        }
        DepthEvidence::SupportViolation {
            d,
            index,
            path,
            claimed,
            bond,
            product,
        } => {
            lines.push(format!(
                "at d = {d}, indices {} with the bond path {} give the non-zero product {}, but the claimed path is {}; they differ at bond {bond}",
                one_based(index),
                OneBased(path),
                q_text(product),
                Tuple(claimed)
            ));
            lines.push("# least d: the breadth-first search over word length found no violation at a smaller d".into());
        }
        DepthEvidence::Triangular {
            base,
            zero_side,
            zero,
            lambda,
            mu,
            diagonal,
        } => {
            let mu_text: Vec<String> = mu.iter().map(q_text).collect();
            let mut summary = format!(
                "for every d, on indices 1..{base} X_d^((1,3,..,d-1),(2,4,..,d)) is 0 where {}, and its diagonal is lambda * prod_j mu(x_j) with lambda = {} and mu = ({}), none 0: a triangular block with a non-zero diagonal, so the rank is >= {base}^(d/2)",
                side_text(*zero_side),
                q_text(lambda),
                mu_text.join(",")
            );
            if cp {
                let _ = write!(summary, "; by Lemma 1, rank_CP X_d >= {base}^(d/2)");
            }
            lines.push(summary);
            proof_lines("zero side", zero, &mut lines);
            proof_lines("diagonal", diagonal, &mut lines);
        }
        DepthEvidence::NotTriangular { tried, ranks, stopped } => {
            let below = ranks.last().filter(|r| r.witness.rank < r.bound);
            match below {
                Some(r) => {
                    let m = Matricization::odd_even(r.d);
                    let mut summary = format!(
                        "at d = {}, rank X_{}^({m}) = {} exactly over Q ({} x {} matrix), below the claimed {}",
                        r.d, r.d, r.witness.rank, r.shape.0, r.shape.1, r.bound
                    );
                    if cp {
                        let _ = write!(
                            summary,
                            "; by Lemma 1 only rank_CP X_{} >= {} follows, so not established: a disproof would be a CP decomposition of rank < {}",
                            r.d, r.witness.rank, r.bound
                        );
                    }
                    lines.push(summary);
                    if r.witness.rank > 0 {
                        lines.push(format!("minor rows: {}", ranges(&r.witness.rows)));
                        lines.push(format!("minor cols: {}", ranges(&r.witness.cols)));
                    }
                }
                None => lines.push(
                    "no triangular certificate was found, and no smaller rank at the depths searched; not established"
                        .into(),
                ),
            }
            for why in tried {
                lines.push(format!("# tried: {why}"));
            }
            for r in ranks {
                lines.push(format!(
                    "# rank at d = {}: {}, claimed >= {}",
                    r.d, r.witness.rank, r.bound
                ));
            }
            if let Some(why) = stopped {
                lines.push(format!("# search stopped: {why}"));
            }
        }
    }
    lines
}
