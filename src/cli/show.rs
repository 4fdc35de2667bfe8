//! `tnproof show`: one instance's cores as matrices `G[:, i, :]` and, when small, the odd/even
//! matricization of its tensor, so a reader can look at the construction itself; for an instance
//! about every depth, also the weighted automaton its claims are decided on.

use std::path::Path;
use std::process::ExitCode;
use tnproof::automaton::tt::from_periodic_train;
use tnproof::case::ResourceLimit;
use tnproof::field::{q_text, Q};
use tnproof::network::ht::{self, HtNetwork, ModeTree};
use tnproof::network::periodic::EveryDepth;
use tnproof::network::{Listed, Network};
use tnproof::run::{load_case, RunError};
use tnproof::tensor::{matricize, Matricization, Matrix};

/// Largest matricization printed, in rows and in columns.
const MAX_SHOWN: usize = 64;

pub fn show(path: &Path, params: Option<&str>, limit: ResourceLimit) -> Result<ExitCode, RunError> {
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
    println!("case: {} ({})", case.id, case.source);
    println!("instance: {}", instance.label());
    for (name, value) in &instance.lets {
        println!("let: {name} = {}", q_text(value));
    }
    let network = &instance.network;
    let listed: Vec<Listed> = match &instance.every_depth {
        Some(every) => {
            println!("depths: {}", every.depths);
            every
                .train
                .named_cores()
                .into_iter()
                .map(|(name, core)| core.listed(name))
                .collect()
        }
        None => {
            if let Some(train) = network.train() {
                println!("bond dimensions: {:?}", train.bond_dims());
            }
            if let Network::Ht(net) = network {
                print_tree(net);
            }
            network.listed()
        }
    };
    for t in &listed {
        print_listed(t);
    }
    if let Some(every) = &instance.every_depth {
        print_automaton(every);
        println!("\nat the least depth, d = {}:", every.depths.first());
    }
    let sizes = network.mode_sizes();
    let d = sizes.len();
    let m = Matricization::odd_even(d);
    let (rows, cols) = m.split_shape(&sizes);
    let (nrows, ncols): (usize, usize) = (rows.iter().product(), cols.iter().product());
    if nrows <= MAX_SHOWN && ncols <= MAX_SHOWN {
        println!("\nX^({m}), {nrows} x {ncols}, rows and columns numbered big-endian:");
        print_matrix(&matricize(&network.dense(Q::clone), &m), "  ");
    } else {
        println!("\nX^({m}) is {nrows} x {ncols}, too large to print (at most {MAX_SHOWN} x {MAX_SHOWN})");
    }
    Ok(ExitCode::SUCCESS)
}

/// The automaton of every depth (SPEC §7): which state is which, then each letter's
/// transitions `from -> to: weight`, states 1-based as certificates number them.
fn print_automaton(every: &EveryDepth) {
    let a = from_periodic_train(&every.train).expect("case expansion checks the train's shapes");
    let p = every.train.period();
    println!(
        "\nautomaton of X_d for {}: {} states, letters 1..{}",
        every.depths,
        a.states(),
        a.letters()
    );
    println!("  state 1: start; state {}: end", a.states());
    let mut first = 2;
    for (c, g) in every.train.middle.iter().enumerate() {
        let size = g.shape().2;
        println!(
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
        println!("  letter {}: {}", letter + 1, moves.join(", "));
    }
}

/// An HT network's tree drawn top-down, one node a line: its tensor's name, level, modes and rank.
fn print_tree(net: &HtNetwork<Q>) {
    println!("tree {}, {} nodes:", net.tree(), net.form().name());
    let names = ht::names(net.tree());
    // Each node with its depth and its position in post-order, the order of `names` and parts.
    fn draw<'t>(node: &'t ModeTree, depth: usize, start: usize, out: &mut Vec<(usize, usize, &'t ModeTree)>) {
        out.push((depth, start + node.post_order().len() - 1, node));
        let mut at = start;
        for child in node.children() {
            draw(child, depth + 1, at, out);
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
        println!(
            "  {}{} ({place}, rank {})",
            "  ".repeat(depth),
            names[j],
            net.parts()[j].edge()
        );
    }
}

/// A listed tensor: a core `G[:, i, :]` slice by slice; a matrix as it is; a tensor of more
/// indices as its matrices over the first and the last index.
fn print_listed(t: &Listed) {
    let dims: Vec<String> = t.shape.iter().map(usize::to_string).collect();
    println!("\ncore {}: {}", t.name, dims.join(" x "));
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
            true => println!("  {} =", t.name),
            false => println!("  {}[:, {}, :] =", t.name, at.join(", ")),
        }
        print_matrix(&slice, "    ");
    }
}

fn print_matrix(m: &Matrix<Q>, indent: &str) {
    let texts: Vec<String> = m.entries.iter().map(q_text).collect();
    let width = texts.iter().map(String::len).max().unwrap_or(1);
    for row in texts.chunks(m.ncols.max(1)).take(m.nrows) {
        let cells: Vec<String> = row.iter().map(|t| format!("{t:>width$}")).collect();
        println!("{indent}{}", cells.join(" "));
    }
}
