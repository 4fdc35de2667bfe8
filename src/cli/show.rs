//! `tnproof show`: one instance's cores as matrices `G[:, i, :]` and, when small, the odd/even
//! matricization of its tensor, so a reader can look at the construction itself.

use std::path::Path;
use std::process::ExitCode;
use tnproof::case::ResourceLimit;
use tnproof::field::{q_text, Q};
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
    if let Some(train) = network.train() {
        println!("bond dimensions: {:?}", train.bond_dims());
    }
    for (name, core) in instance.network.named_cores() {
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

fn print_matrix(m: &Matrix<Q>, indent: &str) {
    let texts: Vec<String> = m.entries.iter().map(q_text).collect();
    let width = texts.iter().map(String::len).max().unwrap_or(1);
    for row in texts.chunks(m.ncols.max(1)).take(m.nrows) {
        let cells: Vec<String> = row.iter().map(|t| format!("{t:>width$}")).collect();
        println!("{indent}{}", cells.join(" "));
    }
}
