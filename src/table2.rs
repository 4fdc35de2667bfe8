//! Table 2 of Khrulkov, Novikov, Oseledets 2018 as a generated, certified table. A column of the
//! table gives a network of width r (a TT, an HT on the balanced tree, a CP network), a row the
//! kind of an equivalent network and the paper's bound on its width. For each width r and order
//! d (with n = r: the paper assumes more feature maps than the width) and each column this module
//! writes one case: random cores of that kind, and claims that state the column's printed bounds
//! as printed (TT row: the conversion to a TT and the rank at every bond; HT row: the conversion
//! to an HT and the rank at every node; CP row: Theorem 1's and Cohen et al.'s lower bound by the
//! odd/even rank, or the CP network's own terms). Every cell then reads off its claims: the
//! printed bound's verdict, the width of the explicit conversion (an upper bound for every draw)
//! and the largest certified generic rank (the width every equivalent network needs, for almost
//! all cores). Deciding and certifying is the library's; this module owns the table's layout.

use crate::case::{parse_case, Case, InputError, ResourceLimit};
use crate::certificate::InstanceResult;
use crate::claim::{Evidence, Upper, Verdict};
use crate::run::decide;
use std::fmt::Write;

/// The network a column gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Given {
    Tt,
    Ht,
    Cp,
}

impl Given {
    pub const ALL: [Given; 3] = [Given::Tt, Given::Ht, Given::Cp];

    pub fn name(self) -> &'static str {
        match self {
            Given::Tt => "TT",
            Given::Ht => "HT",
            Given::Cp => "CP",
        }
    }

    fn random_kind(self) -> &'static str {
        match self {
            Given::Tt => "random-tt",
            Given::Ht => "random-ht",
            Given::Cp => "random-cp",
        }
    }
}

/// The table's points (r, d): widths 2..4 at orders 4 and 8, and width 2 at order 16 (n = 2,
/// whose 2^16 entries are the one order-16 tensor of the table small enough to certify).
pub const POINTS: [(usize, usize); 7] = [(2, 4), (3, 4), (4, 4), (2, 8), (3, 8), (4, 8), (2, 16)];

/// The printed bound of a cell (row: the equivalent network, column: the given one) as the paper
/// writes it and as an expression of the case language.
fn printed(row: Given, column: Given) -> (&'static str, &'static str) {
    match (row, column) {
        (Given::Tt, Given::Ht) => ("r^(log2(d)/2)", "iroot(r^log2(d), 2)"),
        (Given::Ht, Given::Tt) => ("r^2", "r^2"),
        (Given::Cp, Given::Tt | Given::Ht) => (">= r^(d/2)", "r^(d/2)"),
        _ => ("r", "r"),
    }
}

/// The exponent e of the generic rank r^e of X^((1..k),(k+1..d)) for a random HT on the balanced
/// tree of d = 2^L modes with n = r, by hand: the modes 1..k are one dyadic subtree per binary
/// digit 1 of k, so a cut around them crosses popcount(k) edges of rank r, one around the rest
/// popcount(d - k), and the cheaper is the generic rank.
fn ht_bond_exponent(k: usize, d: usize) -> u32 {
    k.count_ones().min((d - k).count_ones())
}

/// The case of column `column` at width r and order d.
pub fn case_text(column: Given, r: usize, d: usize) -> String {
    let mut text = String::new();
    let name = column.name();
    let _ = writeln!(
        text,
        "# Table 2 of Khrulkov, Novikov, Oseledets 2018, column {name}, at r = {r}, d = {d}, n = r:\n\
         # a random {name} network of width r, and the printed bound of each row stated as printed.\n\
         # Written by `tnproof table2`; the cells of the table read off these claims.\n"
    );
    let _ = writeln!(text, "[case]");
    let _ = writeln!(text, "id = \"khrulkov2018-table2-{}-r{r}-d{d}\"", name.to_lowercase());
    let _ = writeln!(
        text,
        "title = \"Table 2, column {name}: a random {name} network of width {r} and order {d} as TT, HT and CP\""
    );
    let _ = writeln!(
        text,
        "source = \"Khrulkov, Novikov, Oseledets 2018 (ICLR), Table 2, Theorems 1 and 2; Cohen, Sharir, Shashua 2016\"\n"
    );
    let _ = writeln!(
        text,
        "[construction]\nkind = \"{}\"\nn = {r}\nr = {r}\nd = {d}\nseed = 1\nintegers = [-99, 99]\n",
        column.random_kind()
    );
    let (_, tt) = printed(Given::Tt, column);
    // The printed TT bound fails for an HT at odd log2(d), where some bond's generic rank
    // r^e exceeds r^(log2(d)/2).
    let log2 = d.trailing_zeros();
    let tt_fails = |k: usize| column == Given::Ht && 2 * ht_bond_exponent(k, d) > log2;
    let _ = writeln!(
        text,
        "# Row TT: the network as a TT by an explicit conversion, then the rank at every bond."
    );
    let _ = writeln!(
        text,
        "[[claim]]\nkind = \"conversion\"\nto = \"tt\"\nat-most = \"{tt}\""
    );
    if column == Given::Ht && log2 % 2 == 1 {
        let _ = writeln!(text, "expect = \"fails\"");
    } else if column == Given::Ht && log2 >= 4 {
        // The switched construction has a bond of r^(log2(d) - 1) > r^(log2(d)/2), where X's
        // rank is within the bound.
        let _ = writeln!(text, "expect = \"undecided\"");
    }
    for k in 1..d {
        let _ = writeln!(
            text,
            "[[claim]]\nkind = \"matricization-rank\"\nrows = \"m <= {k}\"\nat-most = \"{tt}\""
        );
        if tt_fails(k) {
            let _ = writeln!(text, "expect = \"fails\"");
        }
    }
    let (_, ht) = printed(Given::Ht, column);
    let _ = writeln!(
        text,
        "\n# Row HT: the network as an HT on the balanced tree by an explicit conversion, then the rank at every node."
    );
    let _ = writeln!(
        text,
        "[[claim]]\nkind = \"conversion\"\nto = \"ht\"\ntree = \"balanced\"\nat-most = \"{ht}\""
    );
    let _ = writeln!(
        text,
        "[[claim]]\nkind = \"ht-ranks\"\ntree = \"balanced\"\nat-most = \"{ht}\""
    );
    let (_, cp) = printed(Given::Cp, column);
    let _ = writeln!(text, "\n# Row CP.");
    match column {
        Given::Cp => {
            let _ = writeln!(text, "[[claim]]\nkind = \"cp-rank-upper-bound\"\nat-most = \"{cp}\"");
        }
        _ => {
            let _ = writeln!(
                text,
                "[[claim]]\nkind = \"cp-rank-lower-bound\"\nmatricization = \"odd-even\"\nat-least = \"{cp}\""
            );
        }
    }
    text
}

/// One decided column at one point: its case and the result of its one instance.
pub struct Column {
    pub given: Given,
    pub case: Case,
    pub result: InstanceResult,
}

/// The decided columns at one point (r, d).
pub type Point = ((usize, usize), Vec<Column>);

/// Builds and decides every column at each of `at` (r, d); the table's are `POINTS`.
pub fn run(at: &[(usize, usize)], limit: ResourceLimit) -> Result<Vec<Point>, InputError> {
    let mut points = Vec::new();
    for &(r, d) in at {
        let mut columns = Vec::new();
        for given in Given::ALL {
            let text = case_text(given, r, d);
            let name = format!("khrulkov2018-table2-{}-r{r}-d{d}.toml", given.name().to_lowercase());
            let case = parse_case(&name, &text)?;
            let instances = case.instances(limit)?;
            let result = decide(instances)
                .into_iter()
                .next()
                .expect("a case of one point has one instance");
            columns.push(Column { given, case, result });
        }
        points.push(((r, d), columns));
    }
    Ok(points)
}

/// What a cell shows: the printed bound's verdict and value, the conversion's width, the
/// largest certified rank with the largest cut bound.
struct Cell {
    verdict: Verdict,
    bound: usize,
    conversion: Option<usize>,
    certified: Option<(usize, Option<u128>)>,
}

/// The largest rank (and cut) among the rank evidence of `outcomes`.
fn largest(evidence: &[&Evidence]) -> Option<(usize, Option<u128>)> {
    let mut best: Option<(usize, Option<u128>)> = None;
    for e in evidence {
        let found = match e {
            Evidence::GenericRank { witness, cut, .. } => (witness.rank, Some(*cut)),
            Evidence::Rank { witness, .. } => (witness.rank, None),
            Evidence::HtRanks { nodes } => {
                let inner: Vec<&Evidence> = nodes.iter().map(|(_, _, e)| e).collect();
                match largest(&inner) {
                    Some(f) => f,
                    None => continue,
                }
            }
            Evidence::CpRank { lower: Some(l), .. } => (l.rank(), None),
            _ => continue,
        };
        if best.is_none_or(|(b, c)| (found.0, found.1) > (b, c)) {
            best = Some(found);
        }
    }
    best
}

/// The cell of `row` in a decided column: its claims by kind, in the order `case_text` writes them.
fn cell(row: Given, column: &Column) -> Cell {
    let claims = &column.result.instance.claims;
    let outcomes = &column.result.outcomes;
    let of = |kind: &str, to: Option<&str>| -> Vec<usize> {
        claims
            .iter()
            .enumerate()
            .filter(|(_, c)| c.claim.kind() == kind)
            .filter(|(_, c)| match (to, &c.claim) {
                (Some("tt"), crate::claim::Claim::Conversion { target, .. }) => {
                    *target == crate::network::conversion::Target::Tt
                }
                (Some(_), crate::claim::Claim::Conversion { target, .. }) => {
                    *target != crate::network::conversion::Target::Tt
                }
                _ => true,
            })
            .map(|(j, _)| j)
            .collect()
    };
    let bound_of = |j: usize| match &claims[j].claim {
        crate::claim::Claim::MatricizationRank { bound, .. }
        | crate::claim::Claim::CpRankLowerBound { bound, .. }
        | crate::claim::Claim::CpRankUpperBound { bound, .. } => *bound,
        crate::claim::Claim::HtRanks { bounds, .. } => bounds.iter().copied().max().unwrap_or(0),
        _ => 0,
    };
    let conversion = |to: &str| {
        of("conversion", Some(to))
            .first()
            .and_then(|&j| match &outcomes[j].evidence {
                Evidence::Conversion(c) => c.ranks.iter().copied().max(),
                _ => None,
            })
    };
    let (deciding, conversion) = match row {
        Given::Tt => (of("matricization-rank", None), conversion("tt")),
        Given::Ht => (of("ht-ranks", None), conversion("ht")),
        Given::Cp => {
            let mut j = of("cp-rank-lower-bound", None);
            j.extend(of("cp-rank-upper-bound", None));
            (j, None)
        }
    };
    let evidence: Vec<&Evidence> = deciding.iter().map(|&j| &outcomes[j].evidence).collect();
    let verdicts: Vec<Verdict> = deciding.iter().map(|&j| outcomes[j].verdict).collect();
    let certified = match (row, column.given) {
        // A CP network's own terms: its rank is at most its width for every draw.
        (Given::Cp, Given::Cp) => None,
        _ => largest(&evidence),
    };
    Cell {
        verdict: Verdict::of_all(&verdicts),
        bound: deciding.first().map_or(0, |&j| bound_of(j)),
        conversion,
        certified,
    }
}

/// `r^(log2(d)/2) = 2: holds; conversion 2; certified 2 (= cut)`.
fn cell_text(row: Given, column: Given, cell: &Cell, evidence_terms: Option<u128>) -> String {
    let (printed, _) = printed(row, column);
    let mut text = match printed.strip_prefix(">= ") {
        Some(lower) => format!("printed rank_CP >= {lower} = {}", cell.bound),
        None => format!("printed width <= {printed}, in integers <= {}", cell.bound),
    };
    let _ = write!(text, ": {}", cell.verdict.word().to_uppercase());
    if let Some(c) = cell.conversion {
        let _ = write!(text, "; conversion {c}");
    }
    match cell.certified {
        Some((k, Some(cut))) if k as u128 == cut => {
            let _ = write!(text, "; certified {k} (= cut)");
        }
        Some((k, Some(cut))) => {
            let _ = write!(text, "; certified >= {k} (cut {cut})");
        }
        Some((k, None)) => {
            let _ = write!(text, "; rank {k}");
        }
        None => {}
    }
    if let Some(t) = evidence_terms {
        let _ = write!(text, "; {t} terms for every draw");
    }
    text
}

/// The Markdown table: one 3 x 3 table per point, rows the equivalent network, columns the given.
pub fn markdown(points: &[Point]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Table 2 of Khrulkov, Novikov, Oseledets 2018, certified\n\n\
         A column gives a random network of width r (n = r); a row the kind of an equivalent network,\n\
         with the paper's bound on its width. Each cell: the printed bound and its verdict (decided by\n\
         the certified ranks of the column's case), the width of the explicit conversion (an upper\n\
         bound for every draw), and the largest certified generic rank (the width every equivalent\n\
         network needs for almost all cores; \"= cut\" where it meets the cut bound, so it is the\n\
         generic rank). The CP row's lower bounds are Lemma 1's, by the odd/even rank. Cases and\n\
         certificates: `cases/` and `certificates/` next to this file; `tnproof check --dir\n\
         certificates` re-checks every cell.\n"
    );
    for ((r, d), columns) in points {
        let _ = writeln!(out, "## r = {r}, d = {d}, n = {r}\n");
        let _ = writeln!(
            out,
            "| equivalent \\ given | {} |",
            columns
                .iter()
                .map(|c| format!("{} of width {r}", c.given.name()))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        let _ = writeln!(out, "| --- | --- | --- | --- |");
        for row in Given::ALL {
            let cells: Vec<String> = columns
                .iter()
                .map(|c| {
                    let terms = match (row, c.given) {
                        (Given::Cp, Given::Cp) => c.result.outcomes.iter().find_map(|o| match &o.evidence {
                            Evidence::CpRank {
                                upper: u @ Upper::EveryDraw { .. },
                                ..
                            } => u.terms(),
                            _ => None,
                        }),
                        _ => None,
                    };
                    cell_text(row, c.given, &cell(row, c), terms)
                })
                .collect();
            let _ = writeln!(out, "| {} | {} |", row.name(), cells.join(" | "));
        }
        let _ = writeln!(out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// At r = 2, d = 8 (n = 2), by hand: the HT column's TT row fails as printed (bond 3's generic
    /// rank r^2 = 4 > 2^(3/2)), the switched conversion has width r^2 = 4 and the certified rank
    /// meets the cut 4. A TT of width 2 as an HT converts to width r^2 = 4, which the node (3,4)
    /// reaches: it cuts bonds 2 and 4, and its cut is min(r^2, n^2, n^6) = 4. The odd/even rank
    /// of both is r^(d/2) = 16, Theorem 1's and Cohen et al.'s bound.
    #[test]
    fn the_cells_at_width_2_and_order_8_by_hand() {
        let points = run(&[(2, 8)], ResourceLimit::default()).unwrap();
        let table = markdown(&points);
        assert!(
            table.contains("| TT | printed width <= r, in integers <= 2: HOLDS; conversion 2; certified 2 (= cut) | printed width <= r^(log2(d)/2), in integers <= 2: FAILS; conversion 4; certified 4 (= cut) |"),
            "{table}"
        );
        assert!(
            table.contains("| HT | printed width <= r^2, in integers <= 4: HOLDS; conversion 4; certified 4 (= cut) |"),
            "{table}"
        );
        assert!(
            table.contains("| CP | printed rank_CP >= r^(d/2) = 16: HOLDS; certified 16 (= cut) |"),
            "{table}"
        );
        for (_, columns) in &points {
            assert!(columns.iter().all(|c| c.result.as_expected()));
        }
    }

    #[test]
    fn bond_exponents_of_a_balanced_tree_by_hand() {
        // d = 8: bonds 3 and 5 cut {1,2},{3} and {4},{5..8} (both two subtrees): r^2.
        let e: Vec<u32> = (1..8).map(|k| ht_bond_exponent(k, 8)).collect();
        assert_eq!(e, [1, 1, 2, 1, 2, 1, 1]);
        // d = 16: popcount(k) + popcount(16 - k) = 5 - (trailing zeros of k), so at most 2.
        assert_eq!((1..16).map(|k| ht_bond_exponent(k, 16)).max(), Some(2));
    }
}
