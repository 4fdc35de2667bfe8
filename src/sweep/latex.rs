//! A sweep as LaTeX tables for a paper (booktabs: `\toprule`, `\midrule`, `\bottomrule`, no
//! vertical rules): the totals per claim, then the rank-against-bound tables of `rank_table`
//! (rows n, columns r), or for a case without n and r one table of every verdict. Each caption
//! names the case file and its SHA-256, the grid, the claim as the case file states it (its
//! matricization and bound expression) and the matricization at that point; the comment lines
//! at the top carry the CSV's seal. Deterministic: the same rows give the same bytes.

use super::rank_table::{rank_tables, RankTable};
use super::{seal, Sweep, SweepRow};
use crate::claim::Relation;
use std::fmt::Write;

/// The tables as one LaTeX fragment to `\input`; it needs `\usepackage{booktabs}` and
/// `graphicx` (a table wider than the line is scaled to it), and `longtable` for the table of
/// every verdict.
pub fn to_latex(sweep: &Sweep) -> String {
    let f = &sweep.fingerprint;
    let mut out = format!(
        "% {}: tables written by tnproof {} from the sweep CSV sealed {}.\n% Needs \\usepackage{{booktabs}} and \\usepackage{{graphicx}} (and \\usepackage{{longtable}} for the table of every verdict).\n",
        f.case,
        env!("CARGO_PKG_VERSION"),
        seal(sweep)
    );
    totals(&mut out, sweep);
    let tables = rank_tables(sweep);
    if tables.is_empty() {
        all_verdicts(&mut out, sweep);
    }
    for table in &tables {
        rank_table(&mut out, sweep, table);
    }
    out
}

/// Text set in LaTeX as written: its special characters escaped.
pub(super) fn escaped(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The relation in math mode: `$\geq$`, `$=$`, `$\leq$`.
pub(super) fn relation_tex(relation: Relation) -> &'static str {
    match relation {
        Relation::AtLeast => "$\\geq$",
        Relation::Equal => "$=$",
        Relation::AtMost => "$\\leq$",
    }
}

/// `tab:sweep-test-claim1-d4`: the case id, then letters and digits of `parts`.
fn label(case: &str, parts: &[&str]) -> String {
    let mut label = format!("tab:{case}");
    for part in parts.iter().filter(|p| !p.is_empty()) {
        label.push('-');
        label.extend(part.chars().filter(char::is_ascii_alphanumeric));
    }
    label
}

/// `Case file \texttt{x.toml}, SHA-256 \texttt{...}; grid ...; seeds ...`.
pub(super) fn source(sweep: &Sweep) -> String {
    let f = &sweep.fingerprint;
    let shard = if sweep.shard.is_whole() {
        String::new()
    } else {
        format!("; shard {}", sweep.shard)
    };
    format!(
        "Case file \\texttt{{{}}}, SHA-256 \\texttt{{{}}}; grid {} ({} points){shard}; seeds {}",
        escaped(&f.file),
        breakable(&f.sha256),
        escaped(&f.grid),
        f.grid_size,
        escaped(&f.seeds)
    )
}

/// A long hexadecimal digest with a line break allowed after every 16 digits (`\allowbreak`
/// adds no character, so the digest copies out of the PDF whole).
fn breakable(hex: &str) -> String {
    let chunks: Vec<String> = hex
        .as_bytes()
        .chunks(16)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    chunks.join("\\allowbreak ")
}

/// `\begin{table}` with its caption and label, and `\begin{tabular}{columns}` with the header.
fn begin(out: &mut String, caption: &str, label: &str, columns: &str, header: &[String]) {
    let _ = writeln!(out, "\n\\begin{{table}}[htbp]\n  \\centering\n  \\small");
    let _ = writeln!(out, "  \\caption{{{caption}}}\n  \\label{{{label}}}");
    // Scaled down to the line width only when wider (a grid of 20 values of r is).
    let _ = writeln!(
        out,
        "  \\resizebox{{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}}{{!}}{{%\n  \\begin{{tabular}}{{{columns}}}\n    \\toprule"
    );
    let _ = writeln!(out, "    {} \\\\\n    \\midrule", header.join(" & "));
}

fn end(out: &mut String) {
    out.push_str("    \\bottomrule\n  \\end{tabular}}\n\\end{table}\n");
}

fn totals(out: &mut String, sweep: &Sweep) {
    let totals = sweep.totals();
    let caption = format!(
        "{}: {}; unexpected: verdicts not as expected; rank = cut: instances whose certified rank meets the cut bound. {}.",
        escaped(&totals.case),
        totals.headline(),
        source(sweep)
    );
    let header = [
        "claim",
        "kind",
        "holds",
        "fails",
        "undecided",
        "unexpected",
        "rank = cut",
    ]
    .map(String::from);
    begin(out, &caption, &label(&totals.case, &["totals"]), "rlrrrrr", &header);
    for c in &totals.claims {
        let certified = if c.with_cut > 0 {
            format!("{} of {}", c.certified, c.with_cut)
        } else {
            "--".to_string()
        };
        let [holds, fails, undecided] = c.verdicts;
        let _ = writeln!(
            out,
            "    {} & \\texttt{{{}}} & {holds} & {fails} & {undecided} & {} & {certified} \\\\",
            c.claim,
            escaped(&c.kind),
            c.unexpected
        );
    }
    end(out);
}

/// A cell's text, in bold with a cross when the verdict is not as expected.
fn cell(row: &SweepRow) -> String {
    let text = escaped(&RankTable::cell_text(row));
    if row.as_expected() {
        text
    } else {
        format!("\\textbf{{{text}}}$^\\times$")
    }
}

/// `Claim 1, \texttt{kind: matricization = "odd-even", at-least = "q^(d/2)"}`.
pub(super) fn claim_caption(sweep: &Sweep, claim: usize) -> String {
    let stated = sweep
        .fingerprint
        .claims
        .get(claim - 1)
        .map_or(String::new(), |c| format!(", \\texttt{{{}}}", escaped(c)));
    format!("Claim {claim}{stated}")
}

fn rank_table(out: &mut String, sweep: &Sweep, table: &RankTable) {
    let first = table.first;
    let at = if table.group.is_empty() {
        String::new()
    } else {
        format!(", at {}", escaped(&table.group))
    };
    let matricization = first
        .matricization
        .as_ref()
        .map_or(String::new(), |m| format!(", on $X^{{({m})}}$"));
    let compared = match first.bound {
        Some((relation, _)) => format!(
            "A cell is rank/bound: the rank found (certified for random cores), then the claimed bound, the claim being rank {} bound",
            relation_tex(relation)
        ),
        None => "A cell is the verdict".to_string(),
    };
    let caption = format!(
        "{}{matricization}{at}. Rows $n$, columns $r$. {compared}; in bold with $\\times$: not as expected. {}.",
        claim_caption(sweep, table.claim),
        source(sweep)
    );
    let mut header = vec!["$n \\backslash r$".to_string()];
    header.extend(table.rs.iter().map(i64::to_string));
    let name = format!("claim{}", table.claim);
    let columns = "r".repeat(table.rs.len() + 1);
    begin(
        out,
        &caption,
        &label(&sweep.fingerprint.case, &[&name, &table.group]),
        &columns,
        &header,
    );
    for &n in &table.ns {
        let cells: Vec<String> = table
            .rs
            .iter()
            .map(|&r| table.cell(n, r).map_or(String::new(), cell))
            .collect();
        let _ = writeln!(out, "    {n} & {} \\\\", cells.join(" & "));
    }
    end(out);
}

/// For a case without parameters n and r: every verdict, a row per instance and claim.
fn all_verdicts(out: &mut String, sweep: &Sweep) {
    let names = sweep.param_names();
    let mut header: Vec<String> = names.iter().map(|n| format!("${}$", escaped(n))).collect();
    header.extend(["claim", "verdict", "rank", "bound"].map(String::from));
    let columns = format!("{}rlrr", "r".repeat(names.len()));
    let claims: Vec<String> = (1..=sweep.fingerprint.claims.len())
        .map(|k| claim_caption(sweep, k))
        .collect();
    let caption = format!(
        "Every verdict; in bold with $\\times$: not as expected. {}. {}.",
        claims.join("; "),
        source(sweep)
    );
    // A longtable, which breaks across pages: a grid's every verdict may fill many.
    let header = header.join(" & ");
    let _ = writeln!(out, "\n\\begin{{longtable}}{{{columns}}}");
    let _ = writeln!(
        out,
        "  \\caption{{{caption}}}\n  \\label{{{}}} \\\\",
        label(&sweep.fingerprint.case, &["verdicts"])
    );
    let _ = writeln!(out, "  \\toprule\n  {header} \\\\\n  \\midrule\n  \\endfirsthead");
    let _ = writeln!(out, "  \\toprule\n  {header} \\\\\n  \\midrule\n  \\endhead");
    let _ = writeln!(out, "  \\bottomrule\n  \\endfoot");
    for row in &sweep.rows {
        let mut fields: Vec<String> = row.param_values().into_iter().map(|(_, v)| escaped(&v)).collect();
        let verdict = if row.as_expected() {
            row.verdict.word().to_string()
        } else {
            format!("\\textbf{{{}}}$^\\times$", row.verdict.word())
        };
        fields.extend([
            row.claim.to_string(),
            verdict,
            row.rank.map_or(String::new(), |r| r.to_string()),
            row.bound
                .map_or(String::new(), |(relation, b)| format!("{} {b}", relation_tex(relation))),
        ]);
        let _ = writeln!(out, "  {} \\\\", fields.join(" & "));
    }
    out.push_str("\\end{longtable}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_characters_are_escaped() {
        assert_eq!(
            escaped("q^(d/2) & 50% of #x_1 {a} ~ \\"),
            "q\\textasciicircum{}(d/2) \\& 50\\% of \\#x\\_1 \\{a\\} \\textasciitilde{} \\textbackslash{}"
        );
        assert_eq!(label("t", &["claim1", "d = 4, e = 2"]), "tab:t-claim1-d4e2");
        assert_eq!(label("t", &["totals", ""]), "tab:t-totals");
    }
}
