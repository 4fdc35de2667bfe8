//! A sweep's plot as data, which `plot` draws as SVG and `pgf` as pgfplots, so both show the
//! same: one panel per rank claim and value of d, over r (else d, else the last parameter),
//! one series per value of the other parameters (n), each with its own colour and marker
//! shape; in each panel per series the claim's bound as a line, the cut bound as a dashed line
//! where the rows have one, and the rank found as markers, filled where it is known (exact over
//! Q, or certified mod p meeting the cut bound) and hollow where it is only a lower bound, an
//! expected failure ringed and a verdict not as expected crossed. This file owns that layout,
//! the styles of the series and the legend's key.

use super::{distinct, Sweep, SweepRow};
use crate::claim::{Relation, Verdict};

/// Ten colours told apart on screen and in print (Tableau's), in series order.
pub const COLOURS: [(u8, u8, u8); 10] = [
    (0x1f, 0x77, 0xb4),
    (0xff, 0x7f, 0x0e),
    (0x2c, 0xa0, 0x2c),
    (0xd6, 0x27, 0x28),
    (0x94, 0x67, 0xbd),
    (0x8c, 0x56, 0x4b),
    (0xe3, 0x77, 0xc2),
    (0x7f, 0x7f, 0x7f),
    (0xbc, 0xbd, 0x22),
    (0x17, 0xbe, 0xcf),
];

/// A series' marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    Circle,
    Square,
    Triangle,
}

const SHAPES: [Shape; 3] = [Shape::Circle, Shape::Square, Shape::Triangle];

/// The style of series `k` (from 0): colour `k mod 10` and shape `k mod 3`, so neighbouring
/// series differ in both and the first 30 series (10 and 3 are coprime) in at least one.
pub fn style(k: usize) -> (usize, Shape) {
    (k % COLOURS.len(), SHAPES[k % SHAPES.len()])
}

/// What a marker says about the rank found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// Exact over Q (fixed cores, or the drawn tensor itself).
    Exact,
    /// Certified mod p and meeting the cut bound: the generic rank.
    CertifiedModP,
    /// Certified mod p below the cut bound: only a lower bound on the generic rank.
    BelowCut,
    /// A matricization's rank below a decomposition's terms: only a lower bound on the CP rank.
    BelowTerms,
}

impl Evidence {
    fn of(row: &SweepRow) -> Evidence {
        match (row.cut, row.certified) {
            (Some(_), Some(true)) => Evidence::CertifiedModP,
            (Some(_), _) => Evidence::BelowCut,
            (None, Some(false)) => Evidence::BelowTerms,
            (None, _) => Evidence::Exact,
        }
    }

    /// Filled markers for a rank that is known, hollow for a lower bound.
    pub fn filled(self) -> bool {
        matches!(self, Evidence::Exact | Evidence::CertifiedModP)
    }
}

/// A mark over the marker: the verdict, where it is not one as expected that is no failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// The claim fails where the case says it does (`expect = "fails"`, `fails-where`).
    ExpectedFailure,
    NotAsExpected,
}

/// An entry of the legend's key, before the series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Rank(Evidence),
    Bound,
    Cut,
    Mark(Mark),
}

impl Key {
    pub fn label(self) -> &'static str {
        match self {
            Key::Rank(Evidence::Exact) => "rank, exact over Q",
            Key::Rank(Evidence::CertifiedModP) => "rank certified mod p (= cut bound)",
            Key::Rank(Evidence::BelowCut) => "rank mod p < cut bound (lower bound)",
            Key::Rank(Evidence::BelowTerms) => "rank < CP terms (lower bound)",
            Key::Bound => "the claim's bound",
            Key::Cut => "cut bound (generic rank <=)",
            Key::Mark(Mark::ExpectedFailure) => "fails, as expected",
            Key::Mark(Mark::NotAsExpected) => "not as expected",
        }
    }
}

/// The rank found at one grid point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Point {
    pub x: i64,
    /// At least 1 (a log scale has no 0).
    pub rank: usize,
    pub evidence: Evidence,
    pub mark: Option<Mark>,
}

/// One series in one panel; lines sorted by x, values below 1 left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Index into `Figure::series`.
    pub series: usize,
    pub bound: Vec<(i64, usize)>,
    pub cut: Vec<(i64, u128)>,
    pub points: Vec<Point>,
}

/// A claim at one value of the facet parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    pub claim: usize,
    pub kind: String,
    pub relation: Relation,
    /// `(1,3),(2,4)`, for the claims that have one.
    pub matricization: Option<String>,
    /// The claim as the case file states it (the fingerprint's), with its bound expression.
    pub statement: Option<String>,
    /// `("d", 4)`.
    pub facet: Option<(String, i64)>,
    /// Sorted, distinct.
    pub xs: Vec<i64>,
    /// The largest value drawn (rank, bound or cut), at least 1.
    pub largest: f64,
    pub lines: Vec<Line>,
}

impl Panel {
    /// `claim 1 cp-rank-lower-bound: rank X^(1,3),(2,4) >= bound, d = 4`, with the relation as
    /// `relation` writes it.
    pub fn caption(&self, relation: &str) -> String {
        let rank = match &self.matricization {
            Some(m) => format!("rank X^({m})"),
            None => "rank".into(),
        };
        let at = match &self.facet {
            Some((name, value)) => format!(", {name} = {value}"),
            None => String::new(),
        };
        format!("claim {} {}: {rank} {relation} bound{at}", self.claim, self.kind)
    }
}

/// The whole plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// The case title on one line, else its id.
    pub title: String,
    /// The parameter on the x axis.
    pub x: String,
    /// `n = 3`: one name per series, in the order the rows first have them.
    pub series: Vec<String>,
    /// Claim by claim, facet value by facet value; a panel may have no lines (a claim without
    /// rows at that value).
    pub panels: Vec<Panel>,
    /// Panels per row: one per value of the facet, or with one value two (claims side by side).
    pub columns: usize,
    /// The legend's key: only what the panels show.
    pub key: Vec<Key>,
}

/// How the parameters map onto the plot: the x axis, the panels, and the series (all others).
struct Axes {
    x: String,
    facet: Option<String>,
}

impl Axes {
    /// x = r (else d, else the last parameter); panels per d unless d is on x.
    fn of(names: &[&str]) -> Option<Axes> {
        let x = ["r", "d"]
            .into_iter()
            .find(|p| names.contains(p))
            .or(names.last().copied())?;
        let facet = (x != "d" && names.contains(&"d")).then(|| "d".to_string());
        Some(Axes {
            x: x.to_string(),
            facet,
        })
    }

    fn facet(&self, row: &SweepRow) -> Option<i64> {
        self.facet.as_ref().and_then(|f| row.param(f))
    }

    /// `n = 3`: the parameters that are neither x nor the facet.
    fn series(&self, row: &SweepRow) -> String {
        let others = row
            .params
            .iter()
            .filter(|(k, _)| *k != self.x && Some(k) != self.facet.as_ref());
        others.map(|(k, v)| format!("{k} = {v}")).collect::<Vec<_>>().join(", ")
    }
}

/// The plot of a whole sweep, or `None` when no row has a rank and a bound to plot (no rank
/// claim, or a case about every depth, where no rank is one number).
pub fn figure(sweep: &Sweep) -> Option<Figure> {
    let axes = Axes::of(&sweep.param_names())?;
    let plotted: Vec<&SweepRow> = sweep
        .rows
        .iter()
        .filter(|r| r.rank.is_some() && r.bound.is_some() && r.param(&axes.x).is_some())
        .collect();
    if plotted.is_empty() {
        return None;
    }
    let series = distinct(plotted.iter().map(|r| axes.series(r)));
    let facets = distinct(plotted.iter().map(|r| axes.facet(r)));
    let mut panels = Vec::new();
    for claim in distinct(plotted.iter().map(|r| r.claim)) {
        for &facet in &facets {
            let rows: Vec<&SweepRow> = plotted
                .iter()
                .copied()
                .filter(|r| r.claim == claim && axes.facet(r) == facet)
                .collect();
            panels.push(panel(sweep, &axes, &series, claim, facet, &rows));
        }
    }
    let rows = || plotted.iter().copied();
    let mut key: Vec<Key> = [
        Evidence::Exact,
        Evidence::CertifiedModP,
        Evidence::BelowCut,
        Evidence::BelowTerms,
    ]
    .into_iter()
    .filter(|e| rows().any(|r| Evidence::of(r) == *e))
    .map(Key::Rank)
    .collect();
    key.push(Key::Bound);
    if rows().any(|r| r.cut.is_some()) {
        key.push(Key::Cut);
    }
    for mark in [Mark::ExpectedFailure, Mark::NotAsExpected] {
        if rows().any(|r| mark_of(r) == Some(mark)) {
            key.push(Key::Mark(mark));
        }
    }
    // A column per value of d; with one value, the claims side by side in two columns.
    let columns = if facets.len() > 1 {
        facets.len()
    } else {
        panels.len().clamp(1, 2)
    };
    let f = &sweep.fingerprint;
    Some(Figure {
        title: if f.title.is_empty() {
            f.case.clone()
        } else {
            f.title.replace(['\n', '\r'], " ")
        },
        x: axes.x,
        series,
        panels,
        columns,
        key,
    })
}

fn sorted<T: Ord>(mut values: Vec<T>) -> Vec<T> {
    values.sort_unstable();
    values
}

fn mark_of(row: &SweepRow) -> Option<Mark> {
    if !row.as_expected() {
        Some(Mark::NotAsExpected)
    } else if row.verdict == Verdict::Fails {
        Some(Mark::ExpectedFailure)
    } else {
        None
    }
}

fn panel(sweep: &Sweep, axes: &Axes, series: &[String], claim: usize, facet: Option<i64>, rows: &[&SweepRow]) -> Panel {
    let first = rows.first();
    let mut xs: Vec<i64> = distinct(rows.iter().filter_map(|r| r.param(&axes.x)));
    xs.sort_unstable();
    let mut lines = Vec::new();
    for name in distinct(rows.iter().map(|r| axes.series(r))) {
        let of_series: Vec<(i64, &SweepRow)> = rows
            .iter()
            .filter(|r| axes.series(r) == name)
            .filter_map(|r| Some((r.param(&axes.x)?, *r)))
            .collect();
        lines.push(Line {
            series: series.iter().position(|s| *s == name).unwrap_or(0),
            bound: sorted(
                of_series
                    .iter()
                    .filter_map(|&(x, r)| Some((x, r.bound?.1)).filter(|&(_, b)| b >= 1))
                    .collect(),
            ),
            cut: sorted(
                of_series
                    .iter()
                    .filter_map(|&(x, r)| Some((x, r.cut?)).filter(|&(_, c)| c >= 1))
                    .collect(),
            ),
            points: of_series
                .iter()
                .filter_map(|&(x, r)| {
                    Some(Point {
                        x,
                        rank: r.rank.filter(|&rank| rank >= 1)?,
                        evidence: Evidence::of(r),
                        mark: mark_of(r),
                    })
                })
                .collect(),
        });
    }
    let largest = rows
        .iter()
        .flat_map(|r| {
            [
                r.rank.unwrap_or(0) as f64,
                r.bound.map_or(0.0, |(_, b)| b as f64),
                r.cut.map_or(0.0, |c| c as f64),
            ]
        })
        .fold(1.0, f64::max);
    Panel {
        claim,
        kind: first.map_or_else(String::new, |r| r.kind.clone()),
        relation: first
            .and_then(|r| r.bound)
            .map_or(Relation::AtLeast, |(relation, _)| relation),
        matricization: first.and_then(|r| r.matricization.clone()),
        statement: claim
            .checked_sub(1)
            .and_then(|k| sweep.fingerprint.claims.get(k))
            .cloned(),
        facet: axes.facet.clone().zip(facet),
        xs,
        largest,
        lines,
    }
}

/// Sweeps written by hand, for the tests of `figure`, `plot` and `pgf`.
#[cfg(test)]
pub(super) mod samples {
    use super::super::{Fingerprint, Shard, Sweep, SweepRow};
    use crate::claim::{Expected, Relation, Verdict};

    /// One rank claim `at-least`, at d = 4: (params, rank, cut, certified, bound, verdict,
    /// expected verdict).
    pub type Row<'a> = (
        &'a [(&'a str, i64)],
        usize,
        Option<u128>,
        Option<bool>,
        usize,
        Verdict,
        Verdict,
    );

    pub fn sweep(names: &str, rows: &[Row]) -> Sweep {
        let rows = rows
            .iter()
            .enumerate()
            .map(
                |(index, &(params, rank, cut, certified, bound, verdict, expected))| SweepRow {
                    index,
                    params: params.iter().map(|&(k, v)| (k.to_string(), v)).collect(),
                    depths: None,
                    claim: 1,
                    kind: "matricization-rank".into(),
                    bound: Some((Relation::AtLeast, bound)),
                    verdict,
                    expected: Expected::Is(expected),
                    rank: Some(rank),
                    cut,
                    certified,
                    attempt: cut.map(|_| 1),
                    numeric_rank: None,
                    matricization: Some("(1,3),(2,4)".into()),
                    ranks: None,
                    claimed_ranks: None,
                    network_ranks: None,
                    width: None,
                    detail: "evidence".into(),
                },
            )
            .collect();
        Sweep {
            fingerprint: Fingerprint {
                case: "t".into(),
                title: "A test_sweep".into(),
                file: "t.toml".into(),
                sha256: "0".repeat(64),
                grid: names.into(),
                seeds: "construction.seed = 1".into(),
                claims: vec!["matricization-rank: matricization = \"odd-even\", at-least = \"q^(d/2)\"".into()],
                grid_size: rows_len(names),
                version: "0.0.9".into(),
            },
            shard: Shard::WHOLE,
            rows,
        }
    }

    /// The number of points of a grid text `n = 2..3; r = 2..3; d = 4` (runs only).
    fn rows_len(grid: &str) -> usize {
        grid.split("; ")
            .filter_map(|p| p.split_once(" = ").map(|(_, v)| v))
            .map(|v| match v.split_once("..") {
                Some((lo, hi)) => hi.parse::<usize>().unwrap_or(0) + 1 - lo.parse::<usize>().unwrap_or(0),
                None => 1,
            })
            .product()
    }

    /// Two series (n = 2, 3) over r = 2, 3 at d = 4, by hand: at n = 2 a certified rank meeting
    /// its bound, and one failing as expected below its bound 5 (ringed); at n = 3 a rank 5 mod p
    /// below its cut bound 6 (hollow), and a rank 9 failing where the case expects it to hold
    /// (crossed).
    pub fn mixed() -> Sweep {
        use Verdict::{Fails, Holds};
        sweep(
            "n = 2..3; r = 2..3; d = 4",
            &[
                (&[("n", 2), ("r", 2), ("d", 4)], 4, Some(4), Some(true), 4, Holds, Holds),
                (&[("n", 2), ("r", 3), ("d", 4)], 4, Some(4), Some(true), 5, Fails, Fails),
                (
                    &[("n", 3), ("r", 2), ("d", 4)],
                    5,
                    Some(6),
                    Some(false),
                    4,
                    Holds,
                    Holds,
                ),
                (
                    &[("n", 3), ("r", 3), ("d", 4)],
                    9,
                    Some(9),
                    Some(true),
                    10,
                    Fails,
                    Holds,
                ),
            ],
        )
    }

    /// Twenty series (s = 1..20) over r = 2, 3, every rank certified and meeting its bound.
    pub fn twenty() -> Sweep {
        let params: Vec<[(&str, i64); 3]> = (1..=20)
            .flat_map(|s| [2, 3].map(|r| [("s", s), ("r", r), ("d", 4)]))
            .collect();
        let rows: Vec<Row> = params
            .iter()
            .map(|p| (&p[..], 4, Some(4), Some(true), 4, Verdict::Holds, Verdict::Holds))
            .collect();
        sweep("s = 1..20; r = 2..3; d = 4", &rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_figure_sorts_rows_into_panels_series_and_marks() {
        let sweep = samples::mixed();
        let figure = figure(&sweep).expect("rank rows");
        assert_eq!((figure.x.as_str(), figure.columns), ("r", 1));
        assert_eq!(figure.series, ["n = 2", "n = 3"]);
        assert_eq!(figure.panels.len(), 1);
        let panel = &figure.panels[0];
        assert_eq!(
            panel.caption(">="),
            "claim 1 matricization-rank: rank X^((1,3),(2,4)) >= bound, d = 4"
        );
        assert_eq!(panel.xs, [2, 3]);
        assert_eq!(panel.lines[1].cut, [(2, 6), (3, 9)]);
        assert_eq!(panel.lines[1].bound, [(2, 4), (3, 10)]);
        let marks: Vec<(usize, i64, Evidence, Option<Mark>)> = panel
            .lines
            .iter()
            .flat_map(|l| l.points.iter().map(move |p| (l.series, p.x, p.evidence, p.mark)))
            .collect();
        assert_eq!(
            marks,
            [
                (0, 2, Evidence::CertifiedModP, None),
                (0, 3, Evidence::CertifiedModP, Some(Mark::ExpectedFailure)),
                (1, 2, Evidence::BelowCut, None),
                (1, 3, Evidence::CertifiedModP, Some(Mark::NotAsExpected)),
            ]
        );
        assert_eq!(
            figure.key,
            [
                Key::Rank(Evidence::CertifiedModP),
                Key::Rank(Evidence::BelowCut),
                Key::Bound,
                Key::Cut,
                Key::Mark(Mark::ExpectedFailure),
                Key::Mark(Mark::NotAsExpected),
            ]
        );
        // Fixed cores: no cut, the rank exact; the key says so and has no cut line.
        let mut exact = sweep.clone();
        for row in &mut exact.rows {
            (row.cut, row.certified) = (None, None);
        }
        let key = figure_of(&exact).key;
        assert_eq!(key[..2], [Key::Rank(Evidence::Exact), Key::Bound]);
        assert!(!key.contains(&Key::Cut));
    }

    fn figure_of(sweep: &Sweep) -> Figure {
        figure(sweep).expect("rank rows")
    }

    #[test]
    fn no_rank_no_figure() {
        let mut sweep = samples::mixed();
        for row in &mut sweep.rows {
            row.rank = None;
        }
        assert_eq!(figure(&sweep), None);
    }

    /// Twenty series are told apart: twenty distinct (colour, shape) pairs, and neighbours
    /// (in the legend's order) differ in both colour and shape.
    #[test]
    fn twenty_series_have_twenty_styles() {
        let styles: Vec<(usize, Shape)> = (0..20).map(style).collect();
        assert_eq!(styles.iter().collect::<HashSet<_>>().len(), 20);
        for pair in styles.windows(2) {
            assert!(pair[0].0 != pair[1].0 && pair[0].1 != pair[1].1, "{pair:?}");
        }
        // Up to 30, since 10 colours and 3 shapes are coprime.
        assert_eq!((0..30).map(style).collect::<HashSet<_>>().len(), 30);
        assert_eq!(COLOURS.iter().collect::<HashSet<_>>().len(), COLOURS.len());
    }
}
