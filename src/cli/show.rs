//! `tnproof show`: one instance's cores as matrices `G[:, i, :]` (a generalized network's `F`
//! and `C^t` each as one matrix) and, up to a size, each matricization its claims use (the
//! odd/even one when none does), so a reader can look at the construction itself; for an
//! instance about every depth, also the weighted automaton its claims are decided on. Printed,
//! or written to a file.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tnproof::automaton::tt::from_periodic_train;
use tnproof::case::Instance;
use tnproof::claim::Claim;
use tnproof::field::{q_text, Q};
use tnproof::network::ht::{self, HtNetwork, ModeTree};
use tnproof::network::periodic::EveryDepth;
use tnproof::network::{Listed, Network};
use tnproof::run::{load_case, RunError};
use tnproof::tensor::{matricize, Matricization, Matrix};

#[derive(clap::Args)]
pub struct ShowArgs {
    /// The case file.
    case: PathBuf,
    /// Parameter values, e.g. n=3,r=4,d=6 (default: the first value of each).
    #[arg(long, value_name = "NAME=VALUE,...")]
    params: Option<String>,
    /// Print matricizations of at most N rows and N columns.
    #[arg(long, value_name = "N", default_value_t = 64)]
    max: usize,
    /// Write the text into this file instead of printing it.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    limit: super::LimitArgs,
}

pub fn show(args: ShowArgs) -> Result<ExitCode, RunError> {
    let (path, params, limit) = (args.case.as_path(), args.params.as_deref(), args.limit.limit());
    let mut case = load_case(path)?;
    let usage = |message: String| RunError::Io {
        path: path.display().to_string(),
        message,
    };
    for assignment in params.unwrap_or("").split(',').filter(|s| !s.trim().is_empty()) {
        let (name, value) = assignment
            .split_once('=')
            .ok_or_else(|| usage(format!("--params wants NAME=VALUE pairs, got '{assignment}'")))?;
        let value: i64 = value
            .trim()
            .parse()
            .map_err(|_| usage(format!("--params: '{value}' is not an integer")))?;
        if let (Some(every), "d") = (&case.every_depth, name.trim()) {
            return Err(usage(format!(
                "--params: d is not a parameter of this case, which is about {} at once; show prints its automaton and its train at the least depth",
                every.depths
            )));
        }
        let param = case
            .params
            .iter_mut()
            .find(|p| p.name == name.trim())
            .ok_or_else(|| usage(format!("--params: the case has no parameter '{name}'")))?;
        param.values = vec![value];
    }
    for param in &mut case.params {
        param.values.truncate(1);
    }
    let instance = case.instances(limit)?.into_iter().next().expect("one grid point");
    let mut out = format!("case: {} ({})\n", case.id, case.source);
    if !case.title.is_empty() {
        let _ = writeln!(out, "title: {}", case.title);
    }
    let _ = writeln!(out, "instance: {}", instance.label());
    for (name, value) in &instance.lets {
        let _ = writeln!(out, "let: {name} = {}", q_text(value));
    }
    let network = &instance.network;
    let listed: Vec<Listed> = match &instance.every_depth {
        Some(every) => {
            let _ = writeln!(out, "depths: {}", every.depths);
            every.train.listed()
        }
        None => {
            if let Some(train) = network.train() {
                let _ = writeln!(out, "bond dimensions: {:?}", train.bond_dims());
            }
            if let Network::Ht(net) = network {
                write_tree(&mut out, net);
            }
            network.listed()
        }
    };
    let generalized = matches!(network, Network::Generalized(_));
    for t in &listed {
        if generalized && is_matrix_of_generalized(&t.name) {
            write_matrix_core(&mut out, t);
        } else {
            write_listed(&mut out, t);
        }
    }
    if let Some(every) = &instance.every_depth {
        write_automaton(&mut out, every);
        let _ = writeln!(out, "\nat the least depth, d = {}:", every.depths.first());
    }
    write_matricizations(&mut out, &instance, args.max);
    match &args.out {
        Some(file) => {
            let parent = file
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            super::write_files(parent, &[(file.clone(), out)])?;
            println!("wrote {}", file.display());
        }
        None => print!("{out}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `F` and `C1..CT` (also a named network's, `NAME.C1`): matrices stored as cores `L x M x 1`.
fn is_matrix_of_generalized(name: &str) -> bool {
    let own = name.rsplit('.').next().unwrap_or(name);
    own == "F"
        || own
            .strip_prefix('C')
            .is_some_and(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()))
}

/// A matrix stored as a core `l x n x 1`, as the one `l x n` matrix: `F[i, m]` (template i,
/// feature m), `C^t[i, m]`.
fn write_matrix_core(out: &mut String, t: &Listed) {
    let (l, n) = (t.shape[0], t.shape[1]);
    let matrix = Matrix {
        nrows: l,
        ncols: n,
        entries: t.entries.to_vec(),
    };
    let _ = writeln!(out, "\n{}: {l} x {n} matrix", t.name);
    write_matrix(out, &matrix, "  ");
}

/// Each distinct matricization the instance's claims use, with the claims' numbers, the odd/even
/// one when none uses one; printed when at most `max` x `max`.
fn write_matricizations(out: &mut String, instance: &Instance, max: usize) {
    let network = &instance.network;
    let sizes = network.mode_sizes();
    let mut used: Vec<(Matricization, Vec<usize>)> = Vec::new();
    for c in &instance.claims {
        let m = match &c.claim {
            Claim::IdentitySubmatrix { matricization, .. }
            | Claim::MatricizationRank { matricization, .. }
            | Claim::CpRankLowerBound { matricization, .. }
            | Claim::ShallowWidthLowerBound { matricization, .. } => matricization.clone(),
            _ => continue,
        };
        match used.iter_mut().find(|(u, _)| *u == m) {
            Some((_, claims)) => claims.push(c.number),
            None => used.push((m, vec![c.number])),
        }
    }
    if used.is_empty() {
        used.push((Matricization::odd_even(sizes.len()), Vec::new()));
    }
    let tensor = if matches!(network, Network::Generalized(_)) {
        "Gamma"
    } else {
        "X"
    };
    let mut dense = None;
    for (m, claims) in used {
        let (rows, cols) = m.split_shape(&sizes);
        let (nrows, ncols): (usize, usize) = (rows.iter().product(), cols.iter().product());
        let of = match claims.as_slice() {
            [] => String::new(),
            [one] => format!(" (claim {one})"),
            more => format!(
                " (claims {})",
                more.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
            ),
        };
        if nrows <= max && ncols <= max {
            let _ = writeln!(
                out,
                "\n{tensor}^({m}){of}, {nrows} x {ncols}, rows and columns numbered big-endian:"
            );
            let dense = dense.get_or_insert_with(|| network.dense(Q::clone));
            write_matrix(out, &matricize(dense, &m), "  ");
        } else {
            let _ = writeln!(
                out,
                "\n{tensor}^({m}){of} is {nrows} x {ncols}, too large to print (at most {max} x {max}; --max N prints larger ones)"
            );
        }
    }
}

/// The automaton of every depth (SPEC §7): which state is which, then each letter's
/// transitions `from -> to: weight`, states 1-based as certificates number them.
fn write_automaton(out: &mut String, every: &EveryDepth) {
    let a = from_periodic_train(&every.train).expect("case expansion checks the train's shapes");
    let p = every.train.period();
    let _ = writeln!(
        out,
        "\nautomaton of X_d for {}: {} states, letters 1..{}",
        every.depths,
        a.states(),
        a.letters()
    );
    let _ = writeln!(out, "  state 1: start; state {}: end", a.states());
    let mut first = 2;
    for (c, g) in every.train.middle.iter().enumerate() {
        let size = g.shape().2;
        let _ = writeln!(
            out,
            "  states {first}..{}: the bond values 1..{size} after a position k with k % {p} = {c}",
            first + size - 1
        );
        first += size;
    }
    for letter in 0..a.letters() {
        let moves: Vec<String> = (0..a.states())
            .flat_map(|from| {
                a.transitions(letter, from)
                    .iter()
                    .map(move |(to, w)| format!("{} -> {}: {}", from + 1, to + 1, q_text(w)))
            })
            .collect();
        let _ = writeln!(out, "  letter {}: {}", letter + 1, moves.join(", "));
    }
}

/// An HT network's tree drawn top-down, one node a line: its tensor's name, level, modes and rank.
fn write_tree(out: &mut String, net: &HtNetwork<Q>) {
    let _ = writeln!(out, "tree {}, {} nodes:", net.tree(), net.form().name());
    let names = ht::names(net.tree());
    // Each node with its depth and its position in post-order, the order of `names` and parts.
    fn draw<'t>(node: &'t ModeTree, depth: usize, start: usize, lines: &mut Vec<(usize, usize, &'t ModeTree)>) {
        lines.push((depth, start + node.post_order().len() - 1, node));
        let mut at = start;
        for child in node.children() {
            draw(child, depth + 1, at, lines);
            at += child.post_order().len();
        }
    }
    let mut lines = Vec::new();
    draw(net.tree(), 0, 0, &mut lines);
    for (depth, j, node) in lines {
        let modes: Vec<String> = node.modes().iter().map(|m| (m + 1).to_string()).collect();
        let place = match node {
            ModeTree::Leaf(_) => format!("mode {}", modes.join("")),
            ModeTree::Node(_) => format!("level {}, modes {}", node.level(), modes.join(",")),
        };
        let _ = writeln!(
            out,
            "  {}{} ({place}, rank {})",
            "  ".repeat(depth),
            names[j],
            net.parts()[j].edge()
        );
    }
}

/// A listed tensor: a core `G[:, i, :]` slice by slice; a matrix as it is; a tensor of more
/// indices as its matrices over the first and the last index.
fn write_listed(out: &mut String, t: &Listed) {
    let dims: Vec<String> = t.shape.iter().map(usize::to_string).collect();
    let _ = writeln!(out, "\ncore {}: {}", t.name, dims.join(" x "));
    let (Some(&rows), Some(&cols)) = (t.shape.first(), t.shape.last()) else {
        return;
    };
    let middle: Vec<usize> = t.shape[1..t.shape.len().saturating_sub(1)].to_vec();
    let count: usize = middle.iter().product();
    for mid in 0..count {
        let index = tnproof::tensor::index_of(&middle, mid);
        let slice = Matrix {
            nrows: rows,
            ncols: cols,
            entries: (0..rows)
                .flat_map(|a| (0..cols).map(move |b| (a, b)))
                .map(|(a, b)| t.entries[(a * count + mid) * cols + b].clone())
                .collect(),
        };
        let at: Vec<String> = index.iter().map(|i| (i + 1).to_string()).collect();
        match at.is_empty() {
            true => writeln!(out, "  {} =", t.name),
            false => writeln!(out, "  {}[:, {}, :] =", t.name, at.join(", ")),
        }
        .unwrap_or_default();
        write_matrix(out, &slice, "    ");
    }
}

fn write_matrix(out: &mut String, m: &Matrix<Q>, indent: &str) {
    let texts: Vec<String> = m.entries.iter().map(q_text).collect();
    let width = texts.iter().map(String::len).max().unwrap_or(1);
    for row in texts.chunks(m.ncols.max(1)).take(m.nrows) {
        let cells: Vec<String> = row.iter().map(|t| format!("{t:>width$}")).collect();
        let _ = writeln!(out, "{indent}{}", cells.join(" "));
    }
}
