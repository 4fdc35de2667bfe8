//! The verdicts as data: the JSON report of a run, every claim as one object with the same keys
//! (the numbers behind its verdict, `null` where the claim's kind has none: README, "The JSON
//! report"). Indices, modes and minor rows and columns are 1-based, as in certificates; exact
//! numbers are JSON integers when they are integers and fit, else strings of reduced fractions.
//! It reads claims, outcomes and estimates; the certificate text is `certificate`'s.

use crate::case::{Case, Instance};
use crate::certificate::{file_name, summary, InstanceResult};
use crate::claim::every_depth::{DepthClaim, DepthEvidence};
use crate::claim::{Claim, Evidence, Outcome, Relation};
use crate::field::{q_text, Q};
use crate::linalg::numeric::NumericRank;
use crate::network::generalized::Body;
use crate::network::Network;
use crate::tensor::Matricization;
use num_traits::ToPrimitive;
use serde_json::{json, Map, Value};

/// The keys of every claim object (written in sorted order, as JSON objects are).
pub const CLAIM_KEYS: [&str; 23] = [
    "number",
    "kind",
    "statement",
    "verdict",
    "expected",
    "as_expected",
    "matricization",
    "shape",
    "relation",
    "bound",
    "q",
    "rank",
    "ranks",
    "cut",
    "certified",
    "minor",
    "counterexample",
    "numeric",
    "width",
    "narrower",
    "counts",
    "every_depth",
    "detail",
];

/// `{"cases": [{"id", "title", "file", "instances": [...]}]}`: every case and instance of a run,
/// in the run's order.
pub fn json_report(cases: &[(Case, Vec<InstanceResult>)]) -> Value {
    let cases: Vec<Value> = cases
        .iter()
        .map(|(case, results)| {
            let instances: Vec<Value> = results.iter().map(|r| instance(case, r)).collect();
            json!({ "id": case.id, "title": case.title, "file": case.source_file.name, "instances": instances })
        })
        .collect();
    json!({ "cases": cases })
}

/// The construction's ranks: a tensor train's bond dimensions r_1..r_{d-1}, an HT network's edge
/// ranks in post-order (the root left out), a CP network's rank; for a generalized RNN its ranks
/// R_1..R_{T-1} (its bonds, as a train's), for a generalized shallow network its width R (its
/// terms, as a CP rank). None for an instance about every depth, which has no one network.
pub fn network_ranks(instance: &Instance) -> Option<Vec<usize>> {
    if instance.every_depth.is_some() {
        return None;
    }
    match &instance.network {
        Network::Tt(train) | Network::TtEqual { train, .. } => {
            let bonds = train.bond_dims();
            Some(bonds[1..bonds.len() - 1].to_vec())
        }
        Network::Cp { factors, .. } => factors.first().map(|f| vec![f.shape().2]),
        Network::Ht(net) => {
            let parts = net.parts();
            Some(
                parts[..parts.len().saturating_sub(1)]
                    .iter()
                    .map(|p| p.edge())
                    .collect(),
            )
        }
        Network::Generalized(g) => match &g.body {
            Body::Rnn(rnn) => {
                let ranks = rnn.ranks();
                Some(ranks[1..ranks.len() - 1].to_vec())
            }
            Body::Shallow(shallow) => Some(vec![shallow.width()]),
        },
    }
}

/// An instance: its parameters (d of an instance about every depth as its label string, `even`),
/// `let` values, the construction's ranks, certificate file name, draw, claims and estimates.
fn instance(case: &Case, result: &InstanceResult) -> Value {
    let instance = &result.instance;
    let depths = instance
        .every_depth
        .as_ref()
        .map(|e| ("d".to_string(), json!(e.depths.label())));
    let params: Map<String, Value> = instance
        .params
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .chain(depths)
        .collect();
    let lets: Map<String, Value> = instance.lets.iter().map(|(k, v)| (k.clone(), exact(v))).collect();
    let claims: Vec<Value> = instance
        .claims
        .iter()
        .zip(&result.outcomes)
        .map(|(c, o)| claim(c.number, &c.claim, o, c.expected))
        .collect();
    let estimates: Vec<Value> = result
        .estimates
        .iter()
        .map(|e| {
            json!({
                "kind": "cp-als",
                "number": e.request.number,
                "max_rank": e.request.max_rank,
                "rank": e.result.rank,
                "residuals": e.result.residuals,
            })
        })
        .collect();
    let draw = instance
        .draws
        .as_ref()
        .map(|d| json!({ "attempt": instance.attempt + 1, "tries": d.tries, "seed": d.seed_text(instance.attempt) }));
    json!({
        "params": params,
        "lets": lets,
        "network_ranks": network_ranks(instance),
        "certificate": file_name(case, instance),
        "draw": draw,
        "claims": claims,
        "estimates": estimates,
    })
}

/// An exact number: a JSON integer when it is one and fits an i64, else `"p/q"`.
fn exact(q: &Q) -> Value {
    match q.is_integer().then(|| q.to_integer().to_i64()).flatten() {
        Some(n) => json!(n),
        None => json!(q_text(q)),
    }
}

fn one_based(index: &[usize]) -> Vec<usize> {
    index.iter().map(|i| i + 1).collect()
}

fn matricization(m: &Matricization) -> Value {
    json!({ "rows": one_based(m.rows()), "cols": one_based(m.cols()) })
}

fn minor(rank: usize, rows: &[usize], cols: &[usize]) -> Value {
    if rank == 0 {
        return Value::Null;
    }
    json!({ "rows": one_based(rows), "cols": one_based(cols) })
}

/// A summand off the claimed path (at depth `d`, for a claim about every depth): its indices, its
/// value (`actual`; the claim says 0), its bond path and the claimed one, the first bond where
/// they differ.
fn support_violation(
    d: Option<usize>,
    index: &[usize],
    path: &[usize],
    claimed: &[i64],
    bond: usize,
    product: &Q,
) -> Value {
    let mut value = json!({
        "index": one_based(index),
        "actual": exact(product),
        "claimed": 0,
        "path": one_based(path),
        "claimed_path": claimed,
        "bond": bond,
    });
    if let Some(d) = d {
        value["d"] = json!(d);
    }
    value
}

/// The rank an ht-ranks claim found at one node: exact, or certified mod p on random cores.
pub fn node_rank(evidence: &Evidence) -> Option<usize> {
    match evidence {
        Evidence::Rank { witness, .. } => Some(witness.rank),
        Evidence::GenericRank { witness, .. } => Some(witness.rank),
        _ => None,
    }
}

fn numeric(n: &NumericRank, certified: usize) -> Value {
    json!({
        "rank": n.rank,
        "tolerance": n.tolerance,
        "sigma_max": n.sigma_max,
        "sigma_kept": n.sigma_kept,
        "sigma_dropped": n.sigma_dropped,
        "agrees": n.rank == certified,
    })
}

/// One claim object; `fields` starts with every key `null` and each kind fills its own.
fn claim(number: usize, claim: &Claim, outcome: &Outcome, expected: crate::claim::Expected) -> Value {
    let mut fields: Map<String, Value> = CLAIM_KEYS.iter().map(|k| (k.to_string(), Value::Null)).collect();
    let mut set = |key: &str, value: Value| {
        debug_assert!(CLAIM_KEYS.contains(&key), "{key} is a claim key");
        fields.insert(key.to_string(), value);
    };
    set("number", json!(number));
    set("kind", json!(claim.kind()));
    set("statement", json!(claim.to_string()));
    set("verdict", json!(outcome.verdict.word()));
    set("expected", json!(expected.word()));
    set("as_expected", json!(expected.accepts(outcome.verdict)));
    // What the claim states: its matricization, its relation and evaluated bound, its q.
    let (m, relation, bound, q): (Option<&Matricization>, Option<Relation>, Value, Option<usize>) = match claim {
        Claim::IdentitySubmatrix { matricization, q } => (Some(matricization), None, Value::Null, Some(*q)),
        Claim::MatricizationRank {
            matricization,
            relation,
            bound,
        } => (Some(matricization), Some(*relation), json!(bound), None),
        Claim::TtRanks { relation, bounds } | Claim::HtRanks { relation, bounds, .. } => {
            (None, Some(*relation), json!(bounds), None)
        }
        Claim::Conversion { bounds, .. } => (None, Some(Relation::AtMost), json!(bounds), None),
        Claim::SupportStructure { q, .. } => (None, None, Value::Null, Some(*q)),
        Claim::CpRankLowerBound { matricization, bound } => {
            (Some(matricization), Some(Relation::AtLeast), json!(bound), None)
        }
        Claim::CpRankUpperBound { matricization, bound } => {
            (matricization.as_ref(), Some(Relation::AtMost), json!(bound), None)
        }
        Claim::GridTensorEqual { .. } | Claim::GridPattern { .. } => (None, None, Value::Null, None),
        Claim::ShallowWidthLowerBound { matricization, bound } => {
            (Some(matricization), Some(Relation::AtLeast), exact(bound), None)
        }
        Claim::EveryDepth { claim, .. } => match claim {
            DepthClaim::IdentitySubmatrix { q } | DepthClaim::SupportStructure { q, .. } => {
                (None, None, Value::Null, Some(*q))
            }
            DepthClaim::RankAtLeast { base, .. } => {
                (None, Some(Relation::AtLeast), json!(format!("{base}^(d/2)")), None)
            }
        },
    };
    if let Some(m) = m {
        set("matricization", matricization(m));
    }
    if let Some(relation) = relation {
        set("relation", json!(relation.key()));
    }
    set("bound", bound);
    if let Some(q) = q {
        set("q", json!(q));
    }
    match &outcome.evidence {
        Evidence::IdentityBlock { size, .. } => set("shape", json!([size, size])),
        Evidence::NotSquare { rows, cols, .. } => set("shape", json!([rows, cols])),
        Evidence::EntryDiffers {
            index,
            expected,
            actual,
        } => set(
            "counterexample",
            json!({ "index": one_based(index), "actual": exact(actual), "claimed": exact(expected) }),
        ),
        Evidence::Rank { shape, witness, .. } => {
            set("shape", json!([shape.0, shape.1]));
            set("rank", json!(witness.rank));
            set("minor", minor(witness.rank, &witness.rows, &witness.cols));
        }
        Evidence::TtRanks { unfoldings } => {
            set("ranks", json!(unfoldings.iter().map(|u| u.rank).collect::<Vec<_>>()));
            let minors: Vec<Value> = unfoldings
                .iter()
                .map(|u| {
                    let tuples = |t: &[Vec<usize>]| t.iter().map(|i| one_based(i)).collect::<Vec<_>>();
                    json!({ "rows": tuples(&u.rows), "cols": tuples(&u.cols) })
                })
                .collect();
            set("minor", json!(minors));
        }
        Evidence::Conversion(c) => {
            // The converted network's ranks; where one is over its bound, X's rank there.
            set("ranks", json!(c.ranks));
            set("counts", json!({ "entries_compared": c.entries }));
            if let Some((index, x, theirs)) = &c.differs {
                set(
                    "counterexample",
                    json!({ "index": one_based(index), "actual": exact(x), "claimed": exact(theirs) }),
                );
            }
            if let Some((_, e)) = &c.over {
                let found = match e.as_ref() {
                    Evidence::Rank {
                        matricization: m,
                        shape,
                        witness: w,
                    } => Some((m, shape, w.rank, &w.rows, &w.cols)),
                    Evidence::GenericRank {
                        matricization: m,
                        shape,
                        witness: w,
                        ..
                    } => Some((m, shape, w.rank, &w.rows, &w.cols)),
                    _ => None,
                };
                if let Some((m, shape, rank, rows, cols)) = found {
                    set("matricization", matricization(m));
                    set("shape", json!([shape.0, shape.1]));
                    set("rank", json!(rank));
                    set("minor", minor(rank, rows, cols));
                }
            }
        }
        Evidence::HtRanks { nodes } => {
            let ranks: Vec<Option<usize>> = nodes.iter().map(|(_, _, e)| node_rank(e)).collect();
            set("ranks", json!(ranks));
            // On random cores each node's rank is certified mod p below its cut bound.
            let cuts: Vec<Option<u128>> = nodes
                .iter()
                .map(|(_, _, e)| match e {
                    Evidence::GenericRank { cut, .. } => Some(*cut),
                    _ => None,
                })
                .collect();
            if cuts.iter().any(Option::is_some) {
                let met = nodes
                    .iter()
                    .zip(&cuts)
                    .all(|((_, _, e), cut)| node_rank(e).map(|r| r as u128) == *cut);
                set("cut", json!(cuts));
                set("certified", json!(met));
            }
            let minors: Vec<Value> = nodes
                .iter()
                .map(|(name, verdict, e)| {
                    let minor = match e {
                        Evidence::Rank { witness: w, .. } => minor(w.rank, &w.rows, &w.cols),
                        Evidence::GenericRank { witness: w, .. } => minor(w.rank, &w.rows, &w.cols),
                        _ => Value::Null,
                    };
                    json!({ "node": name, "verdict": verdict.word(), "minor": minor })
                })
                .collect();
            set("minor", json!(minors));
        }
        Evidence::GenericRank {
            shape,
            cut,
            witness,
            numeric: n,
            ..
        } => {
            set("shape", json!([shape.0, shape.1]));
            set("rank", json!(witness.rank));
            set("cut", json!(cut));
            set("certified", json!(witness.rank as u128 == *cut));
            set("minor", minor(witness.rank, &witness.rows, &witness.cols));
            if let Some(n) = n {
                set("numeric", numeric(n, witness.rank));
            }
        }
        Evidence::CpRank { upper, lower } => {
            if let Some(terms) = upper.terms() {
                set("counts", json!({ "decomposition_terms": terms }));
            }
            if let Some(lower) = lower {
                let w = &lower.witness;
                set("shape", json!([lower.shape.0, lower.shape.1]));
                set("rank", json!(w.rank));
                set("minor", minor(w.rank, &w.rows, &w.cols));
                set("certified", json!(upper.terms() == Some(w.rank as u128)));
            }
        }
        Evidence::SupportHolds { nonzero_summands, .. } => {
            set("counts", json!({ "nonzero_summands": nonzero_summands.to_string() }));
        }
        Evidence::SupportViolation {
            index,
            path,
            claimed,
            bond,
            product,
        } => set(
            "counterexample",
            support_violation(None, index, path, claimed, *bond, product),
        ),
        Evidence::GridEqual { entries } => set("counts", json!({ "entries": entries })),
        Evidence::PatternHolds { entries, zeros } => set("counts", json!({ "entries": entries, "zeros": zeros })),
        Evidence::PatternDiffers {
            index,
            zero_expected,
            actual,
        } => set(
            "counterexample",
            json!({
                "index": one_based(index),
                "actual": exact(actual),
                "claimed": if *zero_expected { "zero" } else { "non-zero" },
            }),
        ),
        Evidence::ShallowWidth {
            shape,
            witness,
            width,
            narrower,
            ..
        } => {
            set("shape", json!([shape.0, shape.1]));
            set("rank", json!(witness.rank));
            set("minor", minor(witness.rank, &witness.rows, &witness.cols));
            set("width", exact(width));
            if let Some(n) = narrower {
                set("narrower", json!({ "name": n.name, "width": n.width }));
            }
        }
        Evidence::EveryDepth(evidence) => every_depth(evidence, &mut set),
    }
    if let Some(refutation) = refutation(claim, outcome) {
        set("counterexample", refutation);
    }
    set("detail", json!(summary(claim, outcome)));
    Value::Object(fields)
}

/// The counterexample of a failing claim whose evidence is a number rather than an entry: the
/// rank that refutes a rank bound (for random cores the certified rank above an upper bound, or
/// the cut bound below a lower one), the decomposition with fewer terms than a CP-rank lower
/// bound, the matricization rank above a CP-rank upper bound, the first bond whose TT-rank is
/// not as claimed, the compared network narrower than a claimed width.
fn refutation(claim: &Claim, outcome: &Outcome) -> Option<Value> {
    if outcome.verdict != crate::claim::Verdict::Fails {
        return None;
    }
    match (&outcome.evidence, claim) {
        (Evidence::Rank { witness, .. }, Claim::MatricizationRank { bound, .. }) => {
            Some(json!({ "actual": witness.rank, "claimed": bound }))
        }
        (Evidence::GenericRank { witness, cut, .. }, Claim::MatricizationRank { bound, .. }) => {
            let (actual, by) = if witness.rank > *bound {
                (witness.rank as u128, "certified rank")
            } else {
                (*cut, "cut bound")
            };
            Some(json!({ "actual": actual, "by": by, "claimed": bound }))
        }
        (Evidence::TtRanks { unfoldings }, Claim::TtRanks { relation, bounds }) => unfoldings
            .iter()
            .zip(bounds)
            .position(|(u, &b)| !relation.holds(u.rank, b))
            .map(|k| json!({ "bond": k + 1, "actual": unfoldings[k].rank, "claimed": bounds[k] })),
        (Evidence::HtRanks { nodes }, Claim::HtRanks { bounds, .. }) => nodes
            .iter()
            .zip(bounds)
            .find(|((_, verdict, _), _)| *verdict == crate::claim::Verdict::Fails)
            .map(|((name, _, e), bound)| json!({ "node": name, "actual": node_rank(e), "claimed": bound })),
        (Evidence::CpRank { upper, .. }, Claim::CpRankLowerBound { bound, .. }) => upper
            .terms()
            .map(|terms| json!({ "actual": terms, "by": "decomposition", "claimed": bound })),
        (Evidence::CpRank { lower: Some(lower), .. }, Claim::CpRankUpperBound { bound, .. }) => {
            Some(json!({ "actual": lower.rank(), "by": "matricization rank", "claimed": bound }))
        }
        (Evidence::ShallowWidth { narrower: Some(n), .. }, Claim::ShallowWidthLowerBound { bound, .. }) => {
            Some(json!({ "network": n.name, "actual": n.width, "claimed": exact(bound) }))
        }
        _ => None,
    }
}

/// The evidence of a claim about every depth: `every_depth` says how it was decided (and, for
/// a rank bound without a triangular certificate, the exact ranks found at finite d), a
/// failure has its counterexample at the least d.
fn every_depth(evidence: &DepthEvidence, set: &mut impl FnMut(&str, Value)) {
    let proof = |how: &str| json!({ "proof": how });
    match evidence {
        DepthEvidence::IdentityHolds { proof: p } => set(
            "every_depth",
            json!({ "proof": "zero-equivalence", "states": p.states, "basis_rows": p.basis.len() }),
        ),
        DepthEvidence::EntryDiffers {
            d,
            index,
            actual,
            claimed,
        } => {
            set("every_depth", proof("counterexample"));
            set(
                "counterexample",
                json!({ "d": d, "index": one_based(index), "actual": exact(actual), "claimed": exact(claimed) }),
            );
        }
        DepthEvidence::SupportHolds {
            states,
            forward,
            backward,
        } => set(
            "every_depth",
            json!({ "proof": "support", "states": states, "forward": forward.len(), "backward": backward.len() }),
        ),
        DepthEvidence::SupportViolation {
            d,
            index,
            path,
            claimed,
            bond,
            product,
        } => {
            set("every_depth", proof("counterexample"));
            set(
                "counterexample",
                support_violation(Some(*d), index, path, claimed, *bond, product),
            );
        }
        DepthEvidence::Triangular { base, .. } => set("every_depth", json!({ "proof": "triangular", "base": base })),
        DepthEvidence::NotTriangular { ranks, stopped, .. } => {
            let found: Vec<Value> = ranks
                .iter()
                .map(|r| json!({ "d": r.d, "rank": r.witness.rank, "bound": r.bound, "shape": [r.shape.0, r.shape.1] }))
                .collect();
            set(
                "every_depth",
                json!({ "proof": "none", "ranks": found, "stopped": stopped }),
            );
            if let Some(last) = ranks.last().filter(|r| r.witness.rank < r.bound) {
                set(
                    "counterexample",
                    json!({ "d": last.d, "actual": last.witness.rank, "claimed": last.bound }),
                );
                set("rank", json!(last.witness.rank));
                set("shape", json!([last.shape.0, last.shape.1]));
                set(
                    "minor",
                    minor(last.witness.rank, &last.witness.rows, &last.witness.cols),
                );
            }
        }
    }
}
