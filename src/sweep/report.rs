//! The text report `verify` and `sweep` print about claims: per claim a line with its counts
//! and status, aligned over the whole report however long the kind names, then each grid point
//! where it came out not as expected and, when asked for, each where it fails or stays
//! undecided as expected, with the evidence (the counterexample of an expected failure).

use super::{ClaimTotals, Sweep, SweepRow};
use crate::claim::Verdict;
use std::fmt::Write;

/// `1 instance`, `2 instances`: a count with its noun, plural unless the count is 1.
pub fn counted(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// The widths of the kind and counts columns of claim lines: the longest of each among the
/// claims reported, at least 22 and 28.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimColumns {
    pub kind: usize,
    pub counts: usize,
}

impl ClaimColumns {
    pub fn fitting<'a>(claims: impl IntoIterator<Item = &'a ClaimTotals>) -> ClaimColumns {
        claims
            .into_iter()
            .fold(ClaimColumns { kind: 22, counts: 28 }, |w, c| ClaimColumns {
                kind: w.kind.max(c.kind.len()),
                counts: w.counts.max(c.counts().len()),
            })
    }
}

/// The lines about each claim of `claims` (the totals of `rows`): `  claim 1 kind  counts  status`,
/// then `      at n=2, r=3, d=4: expected holds, got fails: <evidence>` for each row not as
/// expected and, when `verbose`, `      at ...: fails, as expected: <evidence>` for each row
/// that fails or is undecided as expected.
pub fn claim_lines(rows: &[SweepRow], claims: &[ClaimTotals], columns: ClaimColumns, verbose: bool) -> String {
    let mut out = String::new();
    for c in claims {
        let status = if c.unexpected == 0 {
            "as expected".to_string()
        } else {
            format!("{} NOT AS EXPECTED", c.unexpected)
        };
        let certified = if c.with_cut > 0 {
            format!(
                "; generic rank certified (= cut bound) at {} of {}",
                c.certified, c.with_cut
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  claim {} {:<kind$} {:<counts$} {status}{certified}",
            c.claim,
            c.kind,
            c.counts(),
            kind = columns.kind,
            counts = columns.counts
        );
        for row in rows.iter().filter(|r| r.claim == c.claim) {
            if !row.as_expected() {
                let _ = writeln!(
                    out,
                    "      at {}: expected {}, got {}: {}",
                    row.label(),
                    row.expected.word(),
                    row.verdict.word(),
                    row.detail
                );
            } else if verbose && row.verdict != Verdict::Holds {
                let _ = writeln!(
                    out,
                    "      at {}: {}, as expected: {}",
                    row.label(),
                    row.verdict.word(),
                    row.detail
                );
            }
        }
    }
    out
}

impl Sweep {
    /// The report of a sweep: `case (shard i/N): 6 instances, 12 claim verdicts: ...`, then the
    /// claim lines.
    pub fn report(&self, verbose: bool) -> String {
        let totals = self.totals();
        let shard = if self.shard.is_whole() {
            String::new()
        } else {
            format!(" (shard {})", self.shard)
        };
        let columns = ClaimColumns::fitting(&totals.claims);
        format!(
            "{}{shard}: {}\n{}",
            totals.case,
            totals.headline(),
            claim_lines(&self.rows, &totals.claims, columns, verbose)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_singular_only_for_one() {
        assert_eq!(counted(0, "case"), "0 cases");
        assert_eq!(counted(1, "case"), "1 case");
        assert_eq!(counted(2, "claim verdict"), "2 claim verdicts");
    }
}
