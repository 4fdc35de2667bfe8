//! Certificates: the one deterministic text rendering of an instance's construction, claims,
//! verdicts and evidence (UTF-8, LF, no timestamps, no paths, exact fractions); the JSON report
//! is `data`'s. Everything a reader needs to re-check a verdict by hand is in the text. Lines the
//! kernel does not check (what the case is called, where it comes from, how the cores were
//! drawn, who wrote the certificate, floating-point estimates) begin with `#`.

mod conversion;
mod cp;
mod every_depth;

use crate::case::{Case, Expectation, Instance};
use crate::claim::{one_based, Claim, Evidence, Expected, Outcome, RankEvidence, Tuple, UnfoldingRank, Verdict};
use crate::estimate::Estimate;
use crate::field::q_text;
use crate::field::Q;
use crate::linalg::numeric::NumericRank;
use crate::network::generalized::Generalized;
use crate::network::{Core, Listed, Network};
use crate::tensor::{next_index, OneBased, Tensor};
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// Version line; bump it when the format changes.
pub const FORMAT: &str = "tnproof certificate 2";

/// The line that marks cores drawn at random: their rank claims are about the generic rank
/// (the draw itself, seed and attempt, follows as an unchecked `# draw:` line).
const GENERIC: &str =
    "generic: the cores are a random draw; rank claims are about the generic rank, which the draw's rank bounds from below";

/// An instance with the outcome of each of its claims, in claim order, and its estimates.
pub struct InstanceResult {
    pub instance: Instance,
    pub outcomes: Vec<Outcome>,
    pub estimates: Vec<Estimate>,
}

impl InstanceResult {
    /// Whether every claim came out as the case expects.
    pub fn as_expected(&self) -> bool {
        self.instance
            .claims
            .iter()
            .zip(&self.outcomes)
            .all(|(c, o)| c.expected.accepts(o.verdict))
    }
}

/// The certificate file name of an instance: `<case id>_n2_r3_d4.cert`.
pub fn file_name(case: &Case, instance: &Instance) -> String {
    let params = instance.name_parts();
    format!("{}{params}.cert", case.id)
}

/// The canonical listing of a tensor's non-zero entries, one per line, 1-based.
fn listed_lines(t: &Listed) -> String {
    t.nonzeros().fold(String::new(), |mut out, (index, v)| {
        let shown: Vec<String> = index.iter().map(|i| (i + 1).to_string()).collect();
        let _ = writeln!(out, "  {}[{}] = {}", t.name, shown.join(","), q_text(v));
        out
    })
}

/// `2x3x2`.
fn shape_text(shape: &[usize]) -> String {
    shape.iter().map(usize::to_string).collect::<Vec<_>>().join("x")
}

/// SHA-256 of a listed tensor: over its shape line and its canonical entry listing.
fn listed_sha256(t: &Listed) -> String {
    hex(&Sha256::digest(format!(
        "{} {}\n{}",
        t.name,
        shape_text(&t.shape),
        listed_lines(t)
    )))
}

/// SHA-256 of a core, as its certificate header states it.
pub fn core_sha256(name: &str, core: &Core) -> String {
    listed_sha256(&core.listed(name.to_string()))
}

/// A digest in lower-case hexadecimal.
fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The certificate of one instance.
pub fn render(case: &Case, result: &InstanceResult) -> String {
    let instance = &result.instance;
    let mut out = String::new();
    let _ = writeln!(out, "{FORMAT}");
    let _ = writeln!(out, "# case: {}", case.id);
    if !case.title.is_empty() {
        let _ = writeln!(out, "# title: {}", case.title);
    }
    let _ = writeln!(out, "# source: {}", case.source);
    let _ = writeln!(
        out,
        "# file: {}, sha256 {}",
        case.source_file.file_name(),
        hex(&Sha256::digest(&case.source_file.text))
    );
    let _ = writeln!(out, "# written by: tnproof {}", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(out, "instance: {}", instance.label());
    for ((name, value), (_, definition)) in instance.lets.iter().zip(&case.lets) {
        let _ = writeln!(out, "let: {name} = {} = {}", definition.expr.source(), q_text(value));
    }
    if let Some(draws) = &instance.draws {
        let _ = writeln!(out, "{GENERIC}");
        let _ = writeln!(
            out,
            "# draw: {}, attempt {} of at most {}; ChaCha20 keyed by SHA-256 of \"{}\"; entries {}",
            draws.kind.name(),
            instance.attempt + 1,
            draws.tries,
            draws.seed_text(instance.attempt),
            draws.entries.describe()
        );
    }
    let _ = writeln!(
        out,
        "conventions: indices are 1-based; X^((rows),(cols)) numbers its rows and columns from 1, big-endian (the first listed mode varies slowest)"
    );
    let listed: Vec<Listed> = match &instance.every_depth {
        Some(every) => {
            let _ = writeln!(out, "depths: {}", every.depths);
            let _ = writeln!(
                out,
                "construction: {}",
                every_depth::construction_line(&instance.network, every)
            );
            every.train.listed()
        }
        None => {
            let _ = writeln!(out, "construction: {}", construction_line(&instance.network));
            instance.network.listed()
        }
    };
    for t in &listed {
        let _ = writeln!(
            out,
            "core {}: {}, {} non-zero entries, sha256 {}",
            t.name,
            shape_text(&t.shape),
            t.nonzeros().count(),
            listed_sha256(t)
        );
        out.push_str(&listed_lines(t));
    }
    if let Network::Generalized(g) = &instance.network {
        out.push_str(&generalized_lines(g));
    }
    for (claim, outcome) in instance.claims.iter().zip(&result.outcomes) {
        let entry = case
            .claims
            .get(claim.number - 1)
            .expect("an instance's claims are the case's");
        let _ = writeln!(out, "claim {}: {}", claim.number, claim.claim.kind());
        for (key, text) in entry.spec.keys() {
            let _ = writeln!(out, "  from: {key} = \"{text}\"");
        }
        let _ = writeln!(out, "  statement: {}", claim.claim);
        let _ = writeln!(out, "  expected: {}", expected_text(claim.expected, &entry.expect));
        let mark = if claim.expected.accepts(outcome.verdict) {
            "as expected"
        } else {
            "NOT AS EXPECTED"
        };
        let _ = writeln!(out, "  verdict: {} ({mark})", outcome.verdict.word());
        for line in evidence_lines(&claim.claim, outcome, instance.draws.is_some()) {
            match line.strip_prefix("# ") {
                Some(unchecked) => writeln!(out, "#   {unchecked}"),
                None => writeln!(out, "  {line}"),
            }
            .expect("writing to a string");
        }
    }
    for e in &result.estimates {
        out.push_str(&estimate_block(e));
    }
    out
}

/// What the case expects here and, where that depends on the point, each condition and its
/// value: `holds, since fails-where "n < r" is false here`.
fn expected_text(expected: Expected, expectation: &Expectation) -> String {
    let word = match expected {
        Expected::Is(v) => v.word(),
        Expected::Probe => "probe (outside the region the case proves; either verdict is reported)",
    };
    let Expectation::Where(regions) = expectation else {
        return word.to_string();
    };
    // Each key expects its own verdict and at most one condition is true at a point, so a
    // condition is true exactly where its verdict is the one expected.
    let conditions: Vec<String> = regions
        .iter()
        .map(|r| {
            let value = expected == Expected::Is(r.verdict);
            format!("{} \"{}\" is {value}", r.key(), r.condition.expr.source())
        })
        .collect();
    format!("{word}, since {} here", conditions.join(" and "))
}

/// For a generalized network: the named networks the claims compare with, and the SHA-256 of
/// each grid tensor's canonical listing (`Gamma[i_1,...,i_T] = value`, one line per entry,
/// zeros included, big-endian), which the kernel recomputes from the cores above.
fn generalized_lines(g: &Generalized) -> String {
    let mut out = String::new();
    for line in &g.provenance {
        let _ = writeln!(out, "# drawn: {line}");
    }
    for (name, other, _) in &g.others {
        let _ = writeln!(out, "network {name}: {}, {}", other.kind(), other.shape_text());
    }
    let grids = std::iter::once(("Gamma".to_string(), &g.grid))
        .chain(g.others.iter().map(|(n, _, grid)| (format!("Gamma_{n}"), grid)));
    for (label, grid) in grids {
        let _ = writeln!(
            out,
            "grid tensor {label}: {} entries, sha256 {}",
            grid.entries().len(),
            grid_sha256(grid)
        );
    }
    if let Some(h) = &g.target {
        let _ = writeln!(out, "tensor H: {} entries", h.entries().len());
        let shape = h.shape().to_vec();
        let mut index = vec![0; shape.len()];
        for value in h.entries() {
            let _ = writeln!(out, "  H[{}] = {}", index_text(&index), q_text(value));
            next_index(&shape, &mut index);
        }
    }
    out
}

/// A 0-based multi-index shown 1-based without brackets: `1,2,1`.
fn index_text(index: &[usize]) -> String {
    index.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join(",")
}

/// SHA-256 of a grid tensor's canonical listing.
pub fn grid_sha256(grid: &Tensor<Q>) -> String {
    let mut text = String::new();
    let shape = grid.shape().to_vec();
    let mut index = vec![0; shape.len()];
    for value in grid.entries() {
        let _ = writeln!(text, "Gamma[{}] = {}", index_text(&index), q_text(value));
        next_index(&shape, &mut index);
    }
    hex(&Sha256::digest(text))
}

/// An estimate, in floating point, rounded to three significant digits: not a verdict, and not
/// read by the kernel (every line begins with `#`).
fn estimate_block(e: &Estimate) -> String {
    let r = &e.request;
    let result = match e.result.rank {
        Some(rank) => format!("rank {rank} reaches the target"),
        None => format!("no rank up to {} reaches the target", r.max_rank),
    };
    let residuals: Vec<String> = e.result.residuals.iter().map(|x| format!("{x:.2e}")).collect();
    format!(
        "# estimate {}: cp-als\n#   statement: CP-rank by alternating least squares in f64, ranks 1..{}, {} restarts from seed {}, target relative residual {:.2e}; an estimate, not a verdict\n#   result: {result}\n#   residuals by rank: {}\n",
        r.number,
        r.max_rank,
        r.restarts,
        r.seed,
        r.target,
        residuals.join(" ")
    )
}

/// The network's kind and shape: `tt, order 4, mode sizes (2,2,2,2), bond dimensions (1,2,1,2,1)`.
fn construction_line(network: &Network) -> String {
    let sizes = network.mode_sizes();
    let shape = format!(
        "{}, order {}, mode sizes {}",
        network.kind(),
        sizes.len(),
        Tuple(&sizes)
    );
    match network {
        Network::Tt(train) | Network::TtEqual { train, .. } => {
            format!("{shape}, bond dimensions {}", Tuple(&train.bond_dims()))
        }
        Network::Cp { factors, weights } => format!(
            "{shape}, rank {}{}",
            factors.first().map_or(0, |f| f.shape().2),
            if weights.is_some() { ", weights lambda" } else { "" }
        ),
        Network::Ht(net) => format!("{shape}, tree {}, {} nodes", net.tree(), net.form().name()),
        Network::Generalized(g) => format!("{shape}, {}, {}", g.xi.formula(), g.body.shape_text()),
    }
}

/// All certificates of a case, in grid order, separated by a blank line (the snapshot).
pub fn render_case(case: &Case, results: &[InstanceResult]) -> String {
    results.iter().map(|r| render(case, r)).collect::<Vec<_>>().join("\n")
}

/// The evidence as text lines: the first is the summary, the rest list witnesses (`generic`:
/// the cores were drawn).
fn evidence_lines(claim: &Claim, outcome: &Outcome, generic: bool) -> Vec<String> {
    if let Evidence::EveryDepth(evidence) = &outcome.evidence {
        let cp = claim.kind() == crate::claim::ClaimKind::CpRankLowerBound.name();
        let mut lines = every_depth::evidence_lines(evidence, cp);
        lines[0] = format!("evidence: {}", lines[0]);
        return lines;
    }
    let mut lines = vec![format!("evidence: {}", summary(claim, outcome))];
    match &outcome.evidence {
        Evidence::Rank { witness, .. }
        | Evidence::ShallowWidth { witness, .. }
        | Evidence::CpRank {
            lower: Some(RankEvidence { witness, .. }),
            ..
        } if witness.rank > 0 => {
            lines.push(format!("minor rows: {}", ranges(&witness.rows)));
            lines.push(format!("minor cols: {}", ranges(&witness.cols)));
        }
        Evidence::GenericRank { witness, numeric, .. } => {
            if witness.rank > 0 {
                lines.push(format!("minor rows: {}", ranges(&witness.rows)));
                lines.push(format!("minor cols: {}", ranges(&witness.cols)));
            }
            if let Some(n) = numeric {
                lines.push(numeric_line(n, witness.rank));
            }
        }
        Evidence::HtRanks { nodes } => {
            for (name, _, evidence) in nodes {
                let (rank, matricization, witness_rows, witness_cols) = match evidence {
                    Evidence::Rank {
                        matricization, witness, ..
                    } => (
                        format!("rank {}", witness.rank),
                        matricization,
                        &witness.rows,
                        &witness.cols,
                    ),
                    Evidence::GenericRank {
                        matricization,
                        cut,
                        witness,
                        ..
                    } => (
                        format!("rank mod p >= {}, cut bound {cut}", witness.rank),
                        matricization,
                        &witness.rows,
                        &witness.cols,
                    ),
                    _ => unreachable!("a node's evidence is a rank"),
                };
                lines.push(format!("node {name} {}: {rank}", OneBased(matricization.rows())));
                if !witness_rows.is_empty() {
                    lines.push(format!("minor rows: {}", ranges(witness_rows)));
                    lines.push(format!("minor cols: {}", ranges(witness_cols)));
                }
            }
        }
        Evidence::Conversion(c) => lines.extend(conversion::lines(c, generic)),
        Evidence::TtRanks { unfoldings } => {
            for (k, u) in unfoldings.iter().enumerate() {
                lines.push(format!(
                    "bond {}: rank {}, minor rows {}, cols {}",
                    k + 1,
                    u.rank,
                    tuples(&u.rows, u),
                    tuples(&u.cols, u)
                ));
            }
        }
        _ => {}
    }
    lines
}

fn tuples(indices: &[Vec<usize>], u: &UnfoldingRank) -> String {
    if u.rank == 0 {
        return "-".into();
    }
    indices.iter().map(|i| one_based(i)).collect::<Vec<_>>().join(" ")
}

/// The summary of an `ht-ranks` claim: the nodes' ranks, exact or certified mod p with their cut
/// bounds, and the first node that fails the claim, if one does.
fn ht_ranks_summary(claim: &Claim, nodes: &[(String, Verdict, Evidence)]) -> String {
    let Claim::HtRanks { relation, bounds, .. } = claim else {
        unreachable!("HT-rank evidence belongs to an ht-ranks claim")
    };
    let mut ranks = Vec::new();
    let mut cuts = Vec::new();
    let mut prime = crate::field::Prime::Mersenne61;
    for (_, _, evidence) in nodes {
        match evidence {
            Evidence::Rank { witness, .. } => ranks.push(witness.rank),
            Evidence::GenericRank { witness, cut, .. } => {
                ranks.push(witness.rank);
                cuts.push(*cut as usize);
                prime = witness.prime;
            }
            _ => unreachable!("a node's evidence is a rank"),
        }
    }
    let generic = !cuts.is_empty();
    let mut text = if generic {
        let mut text = format!(
            "HT-ranks mod p >= {}, p = {}, so the generic HT-ranks over Q are at least these; cut bounds {}",
            Tuple(&ranks),
            prime.text(),
            Tuple(&cuts)
        );
        if ranks == cuts {
            let _ = write!(text, "; generic HT-ranks = {}, certified", Tuple(&ranks));
        }
        text
    } else {
        format!("HT-ranks {} exactly", Tuple(&ranks))
    };
    let failing = nodes
        .iter()
        .zip(&ranks)
        .zip(bounds)
        .find(|(((_, v, _), _), _)| *v == Verdict::Fails);
    if let Some((((name, _, evidence), &rank), &bound)) = failing {
        let (Evidence::Rank { matricization, .. } | Evidence::GenericRank { matricization, .. }) = evidence else {
            unreachable!("a node's evidence is a rank")
        };
        let _ = write!(
            text,
            "; node {name} {} has rank {}{rank}, the claim needs {} {bound}",
            OneBased(matricization.rows()),
            if generic { ">= " } else { "" },
            relation.symbol()
        );
    }
    text
}

/// One line saying what backs the verdict. Each form is a fixed template that `kernel` reads
/// back; change both together.
pub fn summary(claim: &Claim, outcome: &Outcome) -> String {
    match &outcome.evidence {
        Evidence::IdentityBlock { q, size } => {
            format!("the {size} x {size} block on indices 1..{q} is the identity, checked entry by entry")
        }
        Evidence::NotSquare { q, rows, cols } => format!("the block on indices 1..{q} is {rows} x {cols}, not square"),
        Evidence::EntryDiffers { index, expected, actual } => {
            let at = index_text(index);
            match claim {
                Claim::GridTensorEqual { .. } => format!("Gamma[{at}] = {}, but the claim has {} there", q_text(actual), q_text(expected)),
                _ => format!("X[{at}] = {}, but the identity has {} there", q_text(actual), q_text(expected)),
            }
        }
        Evidence::GridEqual { entries } => format!("all {entries} entries of Gamma equal the claimed values, checked entry by entry"),
        Evidence::PatternHolds { entries, zeros } => {
            format!("Gamma is 0 at exactly the {zeros} claimed indices and non-zero at the other {}, checked entry by entry", entries - zeros)
        }
        Evidence::PatternDiffers { index, zero_expected, actual } => format!(
            "Gamma[{}] = {}, but the claim has {} there",
            index_text(index),
            q_text(actual),
            if *zero_expected { "a zero" } else { "a non-zero entry" }
        ),
        Evidence::ShallowWidth {
            matricization,
            shape,
            witness,
            width,
            narrower,
        } => {
            let mut text = format!(
                "rank Gamma^({matricization}) = {} exactly over Q ({} x {} matrix){}; by Lemma 5 the width is >= {} / (T M / 2) = {}",
                witness.rank,
                shape.0,
                shape.1,
                if witness.rank > 0 { "; the minor below is non-singular" } else { "" },
                witness.rank,
                q_text(width)
            );
            if let Claim::ShallowWidthLowerBound { bound, .. } = claim {
                if width < bound {
                    let bound = q_text(bound);
                    let _ = match narrower {
                        Some(n) => write!(
                            text,
                            "; below the claimed {bound}, and the compared rectifier shallow network {} of width {} < {bound} has this grid tensor, checked entry by entry",
                            n.name, n.width
                        ),
                        None => write!(
                            text,
                            "; below the claimed {bound}, so not established: a disproof would be a rectifier shallow network of width < {bound} with this grid tensor, and none of the compared networks is one"
                        ),
                    };
                }
            }
            text
        }
        Evidence::CpRank { upper, lower } => cp::summary(claim, upper, lower.as_ref()),
        Evidence::Rank { matricization, shape, witness } => {
            let rank = rank_text(matricization, *shape, witness.rank);
            match claim {
                Claim::CpRankLowerBound { bound, .. } => {
                    format!("{rank}; by Lemma 1, rank_CP X >= {}{}", witness.rank, short_of(witness.rank, *bound))
                }
                _ => rank,
            }
        }
        Evidence::TtRanks { unfoldings } => {
            let ranks: Vec<usize> = unfoldings.iter().map(|u| u.rank).collect();
            let mut text = format!("TT-ranks {} exactly", Tuple(&ranks));
            if let Claim::TtRanks { relation, bounds } = claim {
                if let Some(k) = ranks.iter().zip(bounds).position(|(&r, &b)| !relation.holds(r, b)) {
                    let _ = write!(text, "; bond {} has rank {}, the claim needs {} {}", k + 1, ranks[k], relation.symbol(), bounds[k]);
                }
            }
            text
        }
        Evidence::HtRanks { nodes } => ht_ranks_summary(claim, nodes),
        Evidence::Conversion(c) => conversion::summary(claim, c),
        Evidence::GenericRank { matricization, shape, cut, witness, .. } => {
            let (k, p) = (witness.rank, witness.prime.text());
            let mut text = if k == 0 {
                format!("rank X^({matricization}) mod p is 0 in this draw ({} x {} matrix), p = {p}; cut bound {cut}", shape.0, shape.1)
            } else {
                format!(
                    "rank X^({matricization}) mod p >= {k}, p = {p} ({} x {} matrix); the minor below is non-singular mod p, so the generic rank over Q is >= {k}; cut bound {cut}",
                    shape.0, shape.1
                )
            };
            if k as u128 == *cut {
                let _ = write!(text, "; generic rank = {k}, certified");
            }
            if let Claim::CpRankLowerBound { bound, .. } = claim {
                let _ = write!(text, "; by Lemma 1, rank_CP X >= {k} for almost all cores{}", short_of(k, *bound));
            }
            text
        }
        Evidence::SupportHolds { q, d, nonzero_summands } => {
            format!("{nonzero_summands} non-zero summands over [{q}]^{d}, all on the claimed path")
        }
        Evidence::EveryDepth(evidence) => {
            let cp = claim.kind() == crate::claim::ClaimKind::CpRankLowerBound.name();
            every_depth::evidence_lines(evidence, cp).swap_remove(0)
        }
        Evidence::SupportViolation { index, path, claimed, bond, product } => format!(
            "at indices {} the bond path {} gives the non-zero product {}, but the claimed path is {}; they differ at bond {bond}",
            one_based(index),
            OneBased(path),
            q_text(product),
            Tuple(claimed)
        ),
    }
}

/// `rank X^(m) = 4 exactly over Q (4 x 4 matrix); the minor below is non-singular`, or the
/// zero matrix.
fn rank_text(matricization: &crate::tensor::Matricization, shape: (usize, usize), rank: usize) -> String {
    if rank == 0 {
        format!(
            "rank X^({matricization}) = 0 exactly over Q: the {} x {} matrix is zero",
            shape.0, shape.1
        )
    } else {
        format!(
            "rank X^({matricization}) = {rank} exactly over Q ({} x {} matrix); the minor below is non-singular",
            shape.0, shape.1
        )
    }
}

/// After a CP-rank bound `found` by Lemma 1: nothing if it reaches the claimed `bound`, else why
/// the claim is only not established.
fn short_of(found: usize, bound: usize) -> String {
    if found >= bound {
        return String::new();
    }
    format!("; below the claimed {bound}, so not established: a disproof would be a CP decomposition of rank < {bound}")
}

/// The f64 cross-check: the SVD rank, its tolerance and the singular values around it, rounded to
/// three significant digits so that the line is the same on every machine; unchecked (`#`).
fn numeric_line(n: &NumericRank, certified: usize) -> String {
    let agreement = if n.rank == certified {
        "agrees with".to_string()
    } else {
        format!("DIFFERS from the certified {certified}")
    };
    format!(
        "# numeric: f64 SVD rank {} (tolerance {:.2e}); sigma_max {:.2e}, smallest kept {:.2e}, largest dropped {:.2e}; {agreement} the rank mod p",
        n.rank, n.tolerance, n.sigma_max, n.sigma_kept, n.sigma_dropped
    )
}

/// Sorted 0-based numbers shown 1-based with runs collapsed: `1-4 7 9-12`.
fn ranges(numbers: &[usize]) -> String {
    let mut parts = Vec::new();
    let mut iter = numbers.iter().map(|&x| x + 1).peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while iter.peek() == Some(&(end + 1)) {
            end += 1;
            iter.next();
        }
        parts.push(if end == start {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::ranges;

    #[test]
    fn ranges_collapse_runs() {
        assert_eq!(ranges(&[0, 1, 2, 3, 6, 8, 9, 10, 11]), "1-4 7 9-12");
        assert_eq!(ranges(&[]), "");
        assert_eq!(ranges(&[5]), "6");
    }
}
