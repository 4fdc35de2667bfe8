//! The rank-against-bound tables of a sweep, as data: for a case with parameters n and r, per
//! claim and per value of the other parameters, a grid with a row per n and a column per r whose
//! cells are the rows there. `markdown` and `latex` lay them out; this file only groups.

use super::{distinct, Sweep, SweepRow};
use std::collections::HashMap;

/// One table: a claim at one value of the parameters other than n and r.
pub struct RankTable<'a> {
    pub claim: usize,
    /// The first row of the claim, for its kind, relation and matricization.
    pub first: &'a SweepRow,
    /// `d = 4`, or empty when n and r are the only parameters.
    pub group: String,
    pub ns: Vec<i64>,
    pub rs: Vec<i64>,
    cells: HashMap<(i64, i64), &'a SweepRow>,
}

impl<'a> RankTable<'a> {
    /// The row at (n, r), if the grid has it.
    pub fn cell(&self, n: i64, r: i64) -> Option<&'a SweepRow> {
        self.cells.get(&(n, r)).copied()
    }

    /// The text of a cell: `16/16` (rank/bound), or the verdict for a claim without a rank.
    pub fn cell_text(row: &SweepRow) -> String {
        match (row.rank, &row.bound) {
            (Some(rank), Some((_, bound))) => format!("{rank}/{bound}"),
            _ => row.verdict.word().to_string(),
        }
    }
}

/// The tables, claim by claim and group by group in grid order; none unless the case has
/// parameters n and r.
pub fn rank_tables(sweep: &Sweep) -> Vec<RankTable<'_>> {
    let names = sweep.param_names();
    if !(names.contains(&"n") && names.contains(&"r")) {
        return Vec::new();
    }
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
    let mut tables: Vec<RankTable> = Vec::new();
    for claim in distinct(sweep.rows.iter().map(|r| r.claim)) {
        let start = tables.len();
        for row in sweep.rows.iter().filter(|r| r.claim == claim) {
            let (Some(n), Some(r)) = (row.param("n"), row.param("r")) else {
                continue;
            };
            let group = others(row);
            let position = match tables[start..].iter().position(|t| t.group == group) {
                Some(p) => start + p,
                None => {
                    tables.push(RankTable {
                        claim,
                        first: row,
                        group,
                        ns: ns.clone(),
                        rs: rs.clone(),
                        cells: HashMap::new(),
                    });
                    tables.len() - 1
                }
            };
            tables[position].cells.insert((n, r), row);
        }
    }
    tables
}
