//! `tnproof show`: one instance's cores as matrices `G[:, i, :]` and, when small, the odd/even
//! matricization of its tensor, so a reader can look at the construction itself; for an instance
//! about every depth, also the weighted automaton its claims are decided on.

use std::path::Path;
use std::process::ExitCode;
use tnproof::automaton::tt::from_periodic_train;
use tnproof::case::ResourceLimit;
use tnproof::field::{q_text, Q};
use tnproof::network::periodic::EveryDepth;
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
    let cores = match &instance.every_depth {
        Some(every) => {
            println!("depths: {}", every.depths);
            every.train.named_cores()
        }
        None => {
            if let Some(train) = network.train() {
                println!("bond dimensions: {:?}", train.bond_dims());
            }
            network.named_cores()
        }
    };
    for (name, core) in cores {
        let (l, n, r) = core.shape();
        println!("\ncore {name}: {l} x {n} x {r}");
        for i in 0..n {
            let slice = Matrix {
                nrows: l,
                ncols: r,
                entries: (0..l)
                    .flat_map(|a| (0..r).map(move |b| (a, b)))
                    .map(|(a, b)| core.get(a, i, b).clone())
                    .collect(),
            };
            println!("  {name}[:, {}, :] =", i + 1);
            print_matrix(&slice, "    ");
        }
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

fn print_matrix(m: &Matrix<Q>, indent: &str) {
    let texts: Vec<String> = m.entries.iter().map(q_text).collect();
    let width = texts.iter().map(String::len).max().unwrap_or(1);
    for row in texts.chunks(m.ncols.max(1)).take(m.nrows) {
        let cells: Vec<String> = row.iter().map(|t| format!("{t:>width$}")).collect();
        println!("{indent}{}", cells.join(" "));
    }
}
