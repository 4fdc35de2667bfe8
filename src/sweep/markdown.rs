//! A sweep as a Markdown report: what it is a sweep of (case file and its SHA-256, grid, seeds,
//! the seal of the CSV holding the same rows), the totals per claim, the verdicts that were not
//! as expected with their evidence, a compact table per claim of rank against bound over the
//! (n, r) grid when the case has parameters n and r, and every verdict in one table.

use super::{distinct, seal, Sweep, SweepRow};
use std::collections::HashMap;
use std::fmt::Write;

/// Marks a verdict that is not the expected one, in the compact tables.
const MISS: &str = "✗";

/// The report, deterministic: the same rows give the same bytes.
pub fn to_markdown(sweep: &Sweep) -> String {
    let f = &sweep.fingerprint;
    let mut out = format!("# {}\n\n", f.case);
    if !f.title.is_empty() {
        let _ = writeln!(out, "{}\n", f.title.replace('\n', " "));
    }
    provenance(&mut out, sweep);
    totals(&mut out, sweep);
    misses(&mut out, sweep);
    compact_tables(&mut out, sweep);
    all_verdicts(&mut out, sweep);
    out
}

/// Where the rows come from, and the seal of the CSV with the same rows.
fn provenance(out: &mut String, sweep: &Sweep) {
    let f = &sweep.fingerprint;
    let seal = seal(sweep);
    let _ = writeln!(out, "- case file: `{}`, SHA-256 `{}`", f.file, f.sha256);
    let _ = writeln!(out, "- grid: {} ({} points)", f.grid, f.grid_size);
    let _ = writeln!(out, "- seeds: {}", f.seeds);
    for (k, claim) in f.claims.iter().enumerate() {
        let _ = writeln!(out, "- claim {}: `{claim}`", k + 1);
    }
    if !sweep.shard.is_whole() {
        let _ = writeln!(
            out,
            "- shard {}: the grid points k (from 0) with k % {} = {}",
            sweep.shard,
            sweep.shard.count,
            sweep.shard.index - 1
        );
    }
    let _ = writeln!(
        out,
        "- rows: those of the CSV sealed `{seal}` (its `# sha256:` line), written by tnproof {}\n",
        env!("CARGO_PKG_VERSION")
    );
}

fn totals(out: &mut String, sweep: &Sweep) {
    let totals = sweep.totals();
    let _ = writeln!(out, "**{}.**\n", totals.headline());
    out.push_str(
        "| claim | kind | holds | fails | undecided | not as expected | generic rank certified (= cut bound) |\n",
    );
    out.push_str("| ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
    for c in &totals.claims {
        let certified = if c.with_cut > 0 {
            format!("{} of {}", c.certified, c.with_cut)
        } else {
            "-".to_string()
        };
        let [holds, fails, undecided] = c.verdicts;
        let _ = writeln!(
            out,
            "| {} | {} | {holds} | {fails} | {undecided} | {} | {certified} |",
            c.claim, c.kind, c.unexpected
        );
    }
    out.push('\n');
}

fn misses(out: &mut String, sweep: &Sweep) {
    if sweep.misses().next().is_none() {
        return;
    }
    out.push_str("## Not as expected\n\n");
    for row in sweep.misses() {
        let _ = writeln!(
            out,
            "- {}, claim {} ({}): expected {}, got {}: {}",
            row.params_text(),
            row.claim,
            row.kind,
            row.expected.word(),
            row.verdict.word(),
            row.detail
        );
    }
    out.push('\n');
}

/// The rows of one compact table, by (n, r).
type Cells<'a> = HashMap<(i64, i64), &'a SweepRow>;

/// For cases with parameters n and r: per claim and per value of the other parameters, a table
/// with a row per n and a column per r.
fn compact_tables(out: &mut String, sweep: &Sweep) {
    let names = sweep.param_names();
    if !(names.contains(&"n") && names.contains(&"r")) {
        return;
    }
    out.push_str("## Rank against bound\n\n");
    let _ = writeln!(
        out,
        "Rows n, columns r. A cell is rank/bound: the rank found (certified for random cores), then the number in the claim; \
         a cell without a rank gives the verdict. {MISS} marks a verdict that is not as expected.\n"
    );
    let others = |row: &SweepRow| {
        row.param_values()
            .into_iter()
            .filter(|(k, _)| k != "n" && k != "r")
            .map(|(k, v)| format!("{k} = {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let ns = distinct(sweep.rows.iter().filter_map(|r| r.param("n")));
    let rs = distinct(sweep.rows.iter().filter_map(|r| r.param("r")));
    for claim in distinct(sweep.rows.iter().map(|r| r.claim)) {
        // The cells of this claim for each value of the other parameters, in grid order.
        let mut groups: Vec<(String, Cells)> = Vec::new();
        let mut positions: HashMap<String, usize> = HashMap::new();
        for row in sweep.rows.iter().filter(|r| r.claim == claim) {
            let (Some(n), Some(r)) = (row.param("n"), row.param("r")) else {
                continue;
            };
            let group = others(row);
            let position = *positions.entry(group.clone()).or_insert_with(|| {
                groups.push((group, HashMap::new()));
                groups.len() - 1
            });
            groups[position].1.insert((n, r), row);
        }
        let Some(first) = sweep.rows.iter().find(|r| r.claim == claim) else {
            continue;
        };
        let bound = first.bound.map_or(String::new(), |(relation, _)| {
            format!(", rank {} bound", relation.symbol())
        });
        for (group, cells) in &groups {
            let at = if group.is_empty() {
                String::new()
            } else {
                format!(", {group}")
            };
            let _ = writeln!(out, "### Claim {claim} ({}{bound}){at}\n", first.kind);
            let _ = writeln!(
                out,
                "| n \\ r | {} |",
                rs.iter().map(i64::to_string).collect::<Vec<_>>().join(" | ")
            );
            let _ = writeln!(out, "| ---: |{}", " ---: |".repeat(rs.len()));
            for &n in &ns {
                let line: Vec<String> = rs
                    .iter()
                    .map(|&r| cells.get(&(n, r)).map_or(String::new(), |c| cell(c)))
                    .collect();
                let _ = writeln!(out, "| {n} | {} |", line.join(" | "));
            }
            out.push('\n');
        }
    }
}

/// `16/16`, or the verdict for claims without a rank; marked when not as expected.
fn cell(row: &SweepRow) -> String {
    let text = match (row.rank, &row.bound) {
        (Some(rank), Some((_, bound))) => format!("{rank}/{bound}"),
        _ => row.verdict.word().to_string(),
    };
    if row.as_expected() {
        text
    } else {
        format!("**{text} {MISS}**")
    }
}

fn all_verdicts(out: &mut String, sweep: &Sweep) {
    out.push_str("## All verdicts\n\n");
    let names = sweep.param_names();
    let params: String = names.iter().map(|n| format!(" {n} |")).collect();
    let _ = writeln!(out, "| index |{params} claim | kind | bound | rank | cut | certified | verdict | expected | attempt | numeric rank |");
    let _ = writeln!(
        out,
        "| ---: |{} ---: | --- | ---: | ---: | ---: | --- | --- | --- | ---: | ---: |",
        " ---: |".repeat(names.len())
    );
    for row in &sweep.rows {
        let params: String = row.param_values().iter().map(|(_, v)| format!(" {v} |")).collect();
        let bound = row.bound.map_or(String::new(), |(relation, bound)| {
            format!("{} {bound}", relation.symbol())
        });
        let text = |v: Option<String>| v.unwrap_or_default();
        let verdict = if row.as_expected() {
            row.verdict.word().to_string()
        } else {
            format!("**{}**", row.verdict.word())
        };
        let _ = writeln!(
            out,
            "| {} |{params} {} | {} | {bound} | {} | {} | {} | {verdict} | {} | {} | {} |",
            row.index,
            row.claim,
            row.kind,
            text(row.rank.map(|r| r.to_string())),
            text(row.cut.map(|c| c.to_string())),
            row.certified.map_or("", |c| if c { "yes" } else { "no" }),
            row.expected.word(),
            text(row.attempt.map(|a| a.to_string())),
            text(row.numeric_rank.map(|r| r.to_string())),
        );
    }
}
