//! A sweep as a Markdown report: what it is a sweep of (case file and its SHA-256, grid, seeds,
//! the seal of the CSV holding the same rows), the totals per claim, the verdicts that were not
//! as expected with their evidence, a compact table per claim of rank against bound over the
//! (n, r) grid when the case has parameters n and r, and every verdict in one table.

use super::rank_table::{rank_tables, RankTable};
use super::{seal, Sweep, SweepRow};
use crate::network::cut::{odd_even_train_cut, odd_even_train_cut_text};
use crate::tensor::Matricization;
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
        f.version
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

/// For cases with parameters n and r: per claim and per value of the other parameters, a table
/// with a row per n and a column per r.
fn compact_tables(out: &mut String, sweep: &Sweep) {
    let tables = rank_tables(sweep);
    if tables.is_empty() {
        return;
    }
    out.push_str("## Rank against bound\n\n");
    let _ = writeln!(
        out,
        "Rows n, columns r. A cell is rank/bound: the rank found (certified for random cores), then the number in the claim; \
         a cell without a rank gives the verdict. {MISS} marks a verdict that is not as expected.\n"
    );
    for table in &tables {
        let first = table.first;
        let bound = first.bound.map_or(String::new(), |(relation, _)| {
            format!(", rank {} bound", relation.symbol())
        });
        let at = if table.group.is_empty() {
            String::new()
        } else {
            format!(", {}", table.group)
        };
        let _ = writeln!(out, "### Claim {} ({}{bound}){at}\n", table.claim, first.kind);
        if let Some(caption) = cut_caption(table) {
            let _ = writeln!(out, "{caption}\n");
        }
        let _ = writeln!(
            out,
            "| n \\ r | {} |",
            table.rs.iter().map(i64::to_string).collect::<Vec<_>>().join(" | ")
        );
        let _ = writeln!(out, "| ---: |{}", " ---: |".repeat(table.rs.len()));
        for &n in &table.ns {
            let line: Vec<String> = table
                .rs
                .iter()
                .map(|&r| table.cell(n, r).map_or(String::new(), cell))
                .collect();
            let _ = writeln!(out, "| {n} | {} |", line.join(" | "));
        }
        out.push('\n');
    }
}

/// For a table of odd/even claims on tensor trains of order d (even) with every bond r whose
/// every cell has the cut bound `odd_even_train_cut` gives: that closed form, and in how many
/// cells the certified rank meets it.
fn cut_caption(table: &RankTable) -> Option<String> {
    let d = usize::try_from(table.first.param("d")?).ok()?;
    let text = odd_even_train_cut_text(d)?;
    let odd_even = Matricization::odd_even(d).to_string();
    let rows: Vec<&SweepRow> = table
        .ns
        .iter()
        .flat_map(|&n| table.rs.iter().filter_map(move |&r| table.cell(n, r)))
        .collect();
    let fits = |row: &SweepRow| -> Option<bool> {
        let (n, r) = (
            u128::try_from(row.param("n")?).ok()?,
            usize::try_from(row.param("r")?).ok()?,
        );
        let train = row.network_ranks.as_ref()? == &vec![r; d - 1];
        let closed = odd_even_train_cut(d, n, r as u128);
        Some(train && row.matricization.as_deref() == Some(odd_even.as_str()) && row.cut.is_some() && row.cut == closed)
    };
    if rows.is_empty() || !rows.iter().all(|&row| fits(row) == Some(true)) {
        return None;
    }
    let met = rows.iter().filter(|row| row.certified == Some(true)).count();
    Some(format!(
        "The cut bound (an upper bound on the generic rank) is {text} in every cell: the odd/even cut of a tensor train with every bond r, \
         the cheapest of n^(d/2) (every site on one side) and n^(d/2 - j) r^(2j - 1), j = 1..d/2 (2j runs of sites on alternate sides). \
         The certified rank meets it in {met} of {} cells.",
        rows.len()
    ))
}

/// `16/16`, or the verdict for claims without a rank; marked when not as expected.
fn cell(row: &SweepRow) -> String {
    let text = RankTable::cell_text(row);
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
