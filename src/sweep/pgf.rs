//! A sweep's plot (`figure`) as PGF/TikZ for a paper: one `tikzpicture` holding a pgfplots
//! `groupplot` with an axis per panel (y on a log scale, as in the SVG), each series in its
//! colour and marker, the claim's bound as a solid line, the cut bound dashed, the ranks as
//! markers (hollow for a lower bound), an expected failure ringed and a verdict not as expected
//! crossed, and the legend outside the panels on the right. Comment lines at the top say what it
//! needs, name the case file, its SHA-256 and the CSV's seal, and give a caption; each panel's
//! comment states its claim as the case file does. Deterministic: the same rows give the same
//! bytes.

use super::figure::{figure, style, Evidence, Figure, Key, Mark, Panel, Shape, COLOURS};
use super::latex::{claim_caption, escaped, relation_tex, source};
use super::{seal, Sweep};
use std::fmt::Write;

/// The sideways spread of a panel's series, so equal values stay visible side by side: at most
/// this much in all, and at most `MAX_SHIFT` between neighbours (in pt).
const SPREAD: f64 = 8.0;
const MAX_SHIFT: f64 = 2.0;

/// The figure as a LaTeX fragment to `\input` (in a `figure` environment), or `None` when no row
/// has a rank and a bound to plot. It needs `\usepackage{pgfplots}` and
/// `\usepgfplotslibrary{groupplots}`.
pub fn to_pgf(sweep: &Sweep) -> Option<String> {
    let figure = figure(sweep)?;
    let f = &sweep.fingerprint;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "% {}: figure written by tnproof {} from the sweep CSV sealed {}.",
        f.case,
        env!("CARGO_PKG_VERSION"),
        seal(sweep)
    );
    out.push_str(
        "% Needs \\usepackage{pgfplots}, \\usepgfplotslibrary{groupplots} and \\pgfplotsset{compat=1.16} (or later).\n",
    );
    let _ = writeln!(out, "% A caption:\n% \\caption{{{}}}", caption(sweep, &figure));
    out.push_str(
        "% Each panel is \\tnproofplotwidth wide and \\tnproofplotheight high (6cm and 4.8cm unless defined before);\n% or fit the whole to the line: \\resizebox{\\linewidth}{!}{\\input{...}}.\n\\providecommand{\\tnproofplotwidth}{6cm}\n\\providecommand{\\tnproofplotheight}{4.8cm}\n",
    );
    out.push_str("\\begin{tikzpicture}\n");
    for (k, (r, g, b)) in COLOURS.iter().enumerate() {
        let _ = writeln!(out, "  \\definecolor{{{}}}{{RGB}}{{{r},{g},{b}}}", colour_name(k));
    }
    let rows = figure.panels.len().div_ceil(figure.columns);
    let _ = writeln!(
        out,
        "  \\begin{{groupplot}}[\n    group style={{group size={} by {rows}, horizontal sep=1.8cm, vertical sep=2.4cm}},\n    width=\\tnproofplotwidth, height=\\tnproofplotheight, ymode=log, log ticks with fixed point,\n    xlabel={{{}}}, ylabel={{rank (log scale)}},\n    title style={{font=\\footnotesize, text width=\\tnproofplotwidth, align=center}},\n    tick label style={{font=\\footnotesize}}, label style={{font=\\small}},\n    legend cell align=left, legend style={{font=\\footnotesize, draw=none}},\n  ]",
        figure.columns,
        axis_label(&figure.x)
    );
    let legend_at = legend_panel(&figure);
    for (k, panel) in figure.panels.iter().enumerate() {
        let legend_here = Some(k) == legend_at;
        draw_panel(&mut out, panel, legend_here);
        if legend_here {
            legend(&mut out, &figure);
        }
    }
    out.push_str("  \\end{groupplot}\n\\end{tikzpicture}\n");
    Some(out)
}

/// `tnproofA` to `tnproofJ`: the colours' names, letters only, as TeX wants them.
fn colour_name(k: usize) -> String {
    format!("tnproof{}", char::from(b'A' + (k % COLOURS.len()) as u8))
}

/// `$r$` for a one-letter parameter, else its name in type.
fn axis_label(name: &str) -> String {
    if name.len() == 1 && name.chars().all(|c| c.is_ascii_alphabetic()) {
        format!("${name}$")
    } else {
        format!("\\texttt{{{}}}", escaped(name))
    }
}

/// The figure's caption: what the marks mean, each claim as stated, and the source.
fn caption(sweep: &Sweep, figure: &Figure) -> String {
    let mut claims: Vec<usize> = figure.panels.iter().map(|p| p.claim).collect();
    claims.dedup();
    let stated: Vec<String> = claims.iter().map(|&c| claim_caption(sweep, c)).collect();
    let evidence: Vec<&str> = figure
        .key
        .iter()
        .filter_map(|k| match k {
            Key::Rank(e) => Some(evidence_tex(*e)),
            _ => None,
        })
        .collect();
    let cut = if figure.key.contains(&Key::Cut) {
        " and the cut bound (dashed)"
    } else {
        ""
    };
    let marks: String = [
        (Mark::ExpectedFailure, "; ringed: fails, as the case expects"),
        (Mark::NotAsExpected, "; crossed: not as expected"),
    ]
    .iter()
    .filter(|(mark, _)| figure.key.contains(&Key::Mark(*mark)))
    .map(|(_, text)| *text)
    .collect();
    format!(
        "{}: the rank found (markers; {}) against the claim's bound (solid line){cut}, over {} on a log scale, one colour and marker per {}{marks}. {}. {}.",
        escaped(&figure.title),
        evidence.join("; "),
        axis_label(&figure.x),
        series_word(figure),
        stated.join("; "),
        source(sweep)
    )
}

/// What one series is a value of: `$n$`, or `value of the other parameters`.
fn series_word(figure: &Figure) -> String {
    let names: Vec<&str> = figure
        .series
        .first()
        .map(|s| {
            s.split(", ")
                .filter_map(|p| p.split_once(" = ").map(|(k, _)| k))
                .collect()
        })
        .unwrap_or_default();
    match names[..] {
        [name] => axis_label(name),
        _ => "value of the other parameters".into(),
    }
}

fn evidence_tex(evidence: Evidence) -> &'static str {
    match evidence {
        Evidence::Exact => "filled: the rank, exact over $\\mathbf{Q}$",
        Evidence::CertifiedModP => "filled: the rank certified mod $p$, meeting the cut bound",
        Evidence::BelowCut => "hollow: a rank certified mod $p$ below the cut bound, a lower bound",
        Evidence::BelowTerms => "hollow: a rank below the decomposition's terms, a lower bound on the CP rank",
    }
}

/// The key's entries in the legend, with their images.
fn key_tex(key: Key) -> (&'static str, &'static str) {
    match key {
        Key::Rank(Evidence::Exact) => ("only marks, mark=*, gray", "rank, exact over $\\mathbf{Q}$"),
        Key::Rank(Evidence::CertifiedModP) => ("only marks, mark=*, gray", "rank certified mod $p$ ($=$ cut bound)"),
        Key::Rank(Evidence::BelowCut) => ("only marks, mark=o, gray", "rank mod $p$ $<$ cut bound (lower bound)"),
        Key::Rank(Evidence::BelowTerms) => ("only marks, mark=o, gray", "rank $<$ CP terms (lower bound)"),
        Key::Bound => ("gray, thick", "the claim's bound"),
        Key::Cut => ("gray, dashed", "cut bound (generic rank $\\leq$)"),
        Key::Mark(Mark::ExpectedFailure) => ("only marks, mark=o, mark size=4.5pt, black", "fails, as expected"),
        Key::Mark(Mark::NotAsExpected) => ("only marks, mark=x, mark size=4pt, black, thick", "not as expected"),
    }
}

/// pgfplots' name of a marker, filled or not.
fn mark(shape: Shape, filled: bool) -> &'static str {
    match (shape, filled) {
        (Shape::Circle, true) => "*",
        (Shape::Circle, false) => "o",
        (Shape::Square, true) => "square*",
        (Shape::Square, false) => "square",
        (Shape::Triangle, true) => "triangle*",
        (Shape::Triangle, false) => "triangle",
    }
}

/// The panel that carries the legend: the last of the first row with lines (the legend is
/// placed to its right, outside every panel of that row), else the first with lines.
fn legend_panel(figure: &Figure) -> Option<usize> {
    let drawn = |k: &usize| !figure.panels[*k].lines.is_empty();
    (0..figure.columns.min(figure.panels.len()))
        .rev()
        .find(drawn)
        .or_else(|| (0..figure.panels.len()).find(drawn))
}

fn legend(out: &mut String, figure: &Figure) {
    for &key in &figure.key {
        let (image, label) = key_tex(key);
        let _ = writeln!(out, "    \\addlegendimage{{{image}}}\n    \\addlegendentry{{{label}}}");
    }
    for (k, name) in figure.series.iter().enumerate() {
        let (colour, shape) = style(k);
        let label = if name.is_empty() { "rank".into() } else { escaped(name) };
        let _ = writeln!(
            out,
            "    \\addlegendimage{{{}, thick, mark={}}}\n    \\addlegendentry{{{label}}}",
            colour_name(colour),
            mark(shape, true)
        );
    }
}

/// `(2,4) (3,4)`.
fn coordinates<T: std::fmt::Display>(points: impl Iterator<Item = (i64, T)>) -> String {
    points.map(|(x, y)| format!("({x},{y})")).collect::<Vec<_>>().join(" ")
}

/// The panel's axis; `legend` places the legend to its right, outside it.
fn draw_panel(out: &mut String, panel: &Panel, legend: bool) {
    let statement = panel
        .statement
        .as_ref()
        .map_or(String::new(), |s| format!(": {}", s.replace(['\n', '\r'], " ")));
    let on = panel
        .matricization
        .as_ref()
        .map_or(String::new(), |m| format!(" on X^({m})"));
    let at = panel
        .facet
        .as_ref()
        .map_or(String::new(), |(name, value)| format!(", {name} = {value}"));
    let (Some(&x_min), Some(&x_max)) = (panel.xs.first(), panel.xs.last()) else {
        let _ = writeln!(
            out,
            "  % Claim {}{at}: no rows.\n  \\nextgroupplot[group/empty plot]",
            panel.claim
        );
        return;
    };
    let _ = writeln!(out, "  % Claim {}{statement}{on}{at}.", panel.claim);
    let rank = panel
        .matricization
        .as_ref()
        .map_or("rank".to_string(), |m| format!("rank $X^{{({m})}}$"));
    let at = panel.facet.as_ref().map_or(String::new(), |(name, value)| {
        format!(", ${}$ = {value}", escaped(name))
    });
    let ticks: Vec<String> = panel.xs.iter().map(i64::to_string).collect();
    // Base 2 (ticks 1, 2, 4, ...) while the axis is short, as ranks of powers are; else base 10.
    let y_max = panel.largest * 2.0;
    let basis = if y_max <= 1024.0 { 2 } else { 10 };
    let legend = if legend {
        ",\n    legend style={at={(1.05,1)}, anchor=north west}"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "  \\nextgroupplot[title={{claim {} \\texttt{{{}}}: {rank} {} bound{at}}},\n    xmin={}, xmax={}, xtick={{{}}}, ymin=0.7, ymax={}, log basis y={basis}{legend}]",
        panel.claim,
        escaped(&panel.kind),
        relation_tex(panel.relation),
        x_min as f64 - 0.5,
        x_max as f64 + 0.5,
        ticks.join(","),
        y_max
    );
    let count = panel.lines.len() as f64;
    let spacing = (SPREAD / count).min(MAX_SHIFT);
    for (position, line) in panel.lines.iter().enumerate() {
        let (colour, shape) = style(line.series);
        let colour = colour_name(colour);
        let shift = spacing * (2.0 * position as f64 + 1.0 - count) / 2.0;
        let options = format!("forget plot, {colour}, xshift={shift:.2}pt");
        let _ = writeln!(
            out,
            "    \\addplot[{options}, thick] coordinates {{{}}};",
            coordinates(line.bound.iter().copied())
        );
        if !line.cut.is_empty() {
            let _ = writeln!(
                out,
                "    \\addplot[{options}, dashed] coordinates {{{}}};",
                coordinates(line.cut.iter().copied())
            );
        }
        for filled in [true, false] {
            let points: Vec<(i64, usize)> = line
                .points
                .iter()
                .filter(|p| p.evidence.filled() == filled)
                .map(|p| (p.x, p.rank))
                .collect();
            if !points.is_empty() {
                let _ = writeln!(
                    out,
                    "    \\addplot[{options}, only marks, mark={}] coordinates {{{}}};",
                    mark(shape, filled),
                    coordinates(points.into_iter())
                );
            }
        }
        for (kind, image) in [
            (Mark::ExpectedFailure, "mark=o, mark size=4.5pt, black"),
            (Mark::NotAsExpected, "mark=x, mark size=4pt, black, thick"),
        ] {
            let points: Vec<(i64, usize)> = line
                .points
                .iter()
                .filter(|p| p.mark == Some(kind))
                .map(|p| (p.x, p.rank))
                .collect();
            if !points.is_empty() {
                let _ = writeln!(
                    out,
                    "    \\addplot[forget plot, xshift={shift:.2}pt, only marks, {image}] coordinates {{{}}};",
                    coordinates(points.into_iter())
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::figure::samples;
    use super::*;
    use crate::claim::Verdict;
    use std::collections::HashSet;

    fn pgf(sweep: &Sweep) -> String {
        to_pgf(sweep).expect("rank rows")
    }

    /// `samples::mixed` by hand: two series, the cut bounds (4, 4) and (6, 9) dashed, a ring at
    /// the expected failure (r = 3, rank 4), a cross at the verdict not as expected (r = 3,
    /// rank 9), the rank 5 below its cut hollow in the second series' shape (a square).
    #[test]
    fn the_pgf_has_the_series_the_cut_bound_and_the_failure_marks() {
        let tex = pgf(&samples::mixed());
        assert_eq!(tex.matches("\\addlegendimage{tnproof").count(), 2, "{tex}");
        assert_eq!(tex.matches("\\nextgroupplot[").count(), 1, "{tex}");
        for part in [
            "\\begin{groupplot}[\n    group style={group size=1 by 1,",
            "ymode=log",
            "xlabel={$r$}",
            "xmin=1.5, xmax=3.5, xtick={2,3}, ymin=0.7, ymax=20, log basis y=2",
            "\\addplot[forget plot, tnproofA, xshift=-1.00pt, dashed] coordinates {(2,4) (3,4)};",
            "\\addplot[forget plot, tnproofB, xshift=1.00pt, dashed] coordinates {(2,6) (3,9)};",
            "\\addplot[forget plot, tnproofB, xshift=1.00pt, thick] coordinates {(2,4) (3,10)};",
            "\\addplot[forget plot, tnproofB, xshift=1.00pt, only marks, mark=square] coordinates {(2,5)};",
            "\\addplot[forget plot, xshift=-1.00pt, only marks, mark=o, mark size=4.5pt, black] coordinates {(3,4)};",
            "\\addplot[forget plot, xshift=1.00pt, only marks, mark=x, mark size=4pt, black, thick] coordinates {(3,9)};",
            "\\addlegendentry{rank certified mod $p$ ($=$ cut bound)}",
            "\\addlegendentry{cut bound (generic rank $\\leq$)}",
            "\\addlegendentry{fails, as expected}",
            "\\addlegendentry{not as expected}",
            "\\addlegendentry{n = 3}",
            "legend style={at={(1.05,1)}, anchor=north west}",
            // The title and the panel's comment name the matricization and the bound.
            "title={claim 1 \\texttt{matricization-rank}: rank $X^{((1,3),(2,4))}$ $\\geq$ bound, $d$ = 4}",
            "  % Claim 1: matricization-rank: matricization = \"odd-even\", at-least = \"q^(d/2)\" on X^((1,3),(2,4)), d = 4.\n",
            // The caption says what the evidence is, and escapes the title's underscore.
            "% \\caption{A test\\_sweep: the rank found (markers; filled: the rank certified mod $p$, meeting the cut bound; hollow: a rank certified mod $p$ below the cut bound, a lower bound)",
            "; ringed: fails, as the case expects; crossed: not as expected.",
        ] {
            assert!(tex.contains(part), "{part} in:\n{tex}");
        }
        assert_eq!(tex, pgf(&samples::mixed()), "the same rows give the same bytes");
        balanced(&tex);
    }

    /// Without failures, neither the key nor the caption speaks of rings or crosses.
    #[test]
    fn marks_only_where_the_rows_have_them() {
        let mut sweep = samples::mixed();
        sweep.rows.retain(|r| r.verdict == Verdict::Holds);
        let tex = pgf(&sweep);
        for absent in [
            "ringed",
            "crossed",
            "fails, as expected",
            "mark=x",
            "mark size=4.5pt, black]",
        ] {
            assert!(!tex.contains(absent), "{absent} in:\n{tex}");
        }
    }

    /// Twenty series get twenty distinct (colour, marker) pairs in the legend, which stands
    /// outside the panel.
    #[test]
    fn twenty_series_are_told_apart() {
        let tex = pgf(&samples::twenty());
        let images: Vec<&str> = tex
            .lines()
            .filter(|l| l.trim_start().starts_with("\\addlegendimage{tnproof"))
            .collect();
        assert_eq!(images.len(), 20, "{tex}");
        assert_eq!(images.iter().collect::<HashSet<_>>().len(), 20, "{images:#?}");
        assert!(tex.contains("\\addlegendentry{s = 20}"), "{tex}");
        // The series spread over at most 8pt: the outermost are shifted by 3.80pt.
        assert!(tex.contains("xshift=-3.80pt") && tex.contains("xshift=3.80pt"), "{tex}");
        balanced(&tex);
    }

    /// A claim without rows at one value of d leaves its panel empty (groupplots' empty plot),
    /// the other panels in place: claim 1 at d = 4 and 6, claim 2 at d = 4 only.
    #[test]
    fn a_panel_without_rows_is_left_empty() {
        let mut sweep = samples::mixed();
        sweep.fingerprint.grid = "n = 2..3; r = 2..3; d = [4, 6]".into();
        let at_6: Vec<_> = sweep
            .rows
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r.params[2].1 = 6;
                r
            })
            .collect();
        let claim_2: Vec<_> = sweep
            .rows
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r.claim = 2;
                r
            })
            .collect();
        sweep.rows.extend(at_6.into_iter().chain(claim_2));
        sweep
            .fingerprint
            .claims
            .push("matricization-rank: matricization = \"odd-even\", at-least = \"1\"".into());
        let tex = pgf(&sweep);
        assert!(tex.contains("group style={group size=2 by 2,"), "{tex}");
        assert_eq!(tex.matches("\\nextgroupplot[").count(), 4, "{tex}");
        assert_eq!(tex.matches("\\nextgroupplot[group/empty plot]").count(), 1, "{tex}");
        assert!(tex.ends_with("  % Claim 2, d = 6: no rows.\n  \\nextgroupplot[group/empty plot]\n  \\end{groupplot}\n\\end{tikzpicture}\n"), "{tex}");
        // The legend stands right of the first row's last panel, claim 1 at d = 6.
        let legend = tex.find("legend style={at=").unwrap_or(0);
        assert!(tex[..legend].ends_with("claim 1 \\texttt{matricization-rank}: rank $X^{((1,3),(2,4))}$ $\\geq$ bound, $d$ = 6},\n    xmin=1.5, xmax=3.5, xtick={2,3}, ymin=0.7, ymax=20, log basis y=2,\n    "), "{tex}");
        balanced(&tex);
    }

    /// Braces (other than `\{`, `\}`) and environments balance, as TeX needs.
    fn balanced(tex: &str) {
        let mut depth = 0i64;
        let mut chars = tex.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '%' => {
                    for c in chars.by_ref() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    assert!(depth >= 0, "a '}}' closes nothing:\n{tex}");
                }
                _ => {}
            }
        }
        assert_eq!(depth, 0, "{tex}");
        for env in ["tikzpicture", "groupplot"] {
            assert_eq!(
                tex.matches(&format!("\\begin{{{env}}}")).count(),
                tex.matches(&format!("\\end{{{env}}}")).count(),
                "{env}"
            );
        }
    }
}
