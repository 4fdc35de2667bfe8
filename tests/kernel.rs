//! The kernel against the checker: it confirms every certificate of every case in `cases/` (the
//! certificates pinned in snapshots/), and rejects each one after one number is tampered with: a
//! core entry, a verdict, a rank, a witness row; and after two witness rows are swapped for
//! non-witness rows. Replacement rows are chosen, with the library's exact rank, so that the
//! tampered minor is really singular: a rejection is then the only right answer.

use rayon::prelude::*;
use std::path::PathBuf;
use tnproof::case::{Case, ResourceLimit};
use tnproof::certificate::{render, InstanceResult};
use tnproof::claim::{Claim, Evidence};
use tnproof::kernel::check;
use tnproof::linalg::{rank, submatrix};
use tnproof::run::{case_files, decide, prepare};
use tnproof::tensor::{matricize, Matrix};
use tnproof::field::Q;

/// The certificates pinned in full in snapshots/ (the large random grids are pinned by digest;
/// `tnproof check` on their certificates is the same kernel).
fn all_results() -> Vec<(Case, InstanceResult)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let files = case_files(&[root.join("cases")]).unwrap();
    prepare(&files, ResourceLimit::default())
        .unwrap()
        .into_iter()
        .filter(|(case, _)| {
            let snapshot = std::fs::read_to_string(root.join("snapshots").join(format!("{}.snap", case.id))).unwrap_or_default();
            snapshot.contains("\ntnproof certificate 1\n")
        })
        .flat_map(|(case, instances)| decide(instances).into_iter().map(move |r| (case.clone(), r)))
        .collect()
}

/// Replaces the first line starting with `prefix` using `change`; `None` if no line changes.
fn tamper_line(text: &str, prefix: &str, change: impl Fn(&str) -> Option<String>) -> Option<String> {
    let mut done = false;
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| match (done, line.starts_with(prefix)) {
            (false, true) => match change(line) {
                Some(new) => {
                    done = true;
                    new
                }
                None => line.to_string(),
            },
            _ => line.to_string(),
        })
        .collect();
    done.then(|| lines.join("\n"))
}

/// Adds one to the decimal number that follows `marker` in `line`.
fn bump_after(line: &str, marker: &str) -> Option<String> {
    let start = line.find(marker)? + marker.len();
    let digits = line[start..].chars().take_while(char::is_ascii_digit).count();
    let value: u64 = line[start..start + digits].parse().ok()?;
    Some(format!("{}{}{}", &line[..start], value + 1, &line[start + digits..]))
}

/// 0-based sorted numbers as the certificate writes them: 1-based runs `1-4 7`.
fn ranges(numbers: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let mut j = i;
        while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
            j += 1;
        }
        parts.push(if i == j { format!("{}", numbers[i] + 1) } else { format!("{}-{}", numbers[i] + 1, numbers[j] + 1) });
        i = j + 1;
    }
    parts.join(" ")
}

/// The witness rows of the first rank claim with `swaps` of them replaced by non-witness rows
/// such that the minor becomes singular (checked with the library's exact rank), if possible.
fn singular_rows(result: &InstanceResult, swaps: usize) -> Option<(Vec<usize>, Vec<usize>)> {
    // A minor singular over Q is singular mod p too, so one choice serves both kinds of evidence.
    let (matricization, rows, cols) = result.instance.claims.iter().zip(&result.outcomes).find_map(|(c, o)| match (&c.claim, &o.evidence) {
        (Claim::MatricizationRank { .. } | Claim::CpRankLowerBound { .. }, Evidence::Rank { matricization, witness, .. }) if witness.rank >= swaps => {
            Some((matricization, &witness.rows, &witness.cols))
        }
        (_, Evidence::GenericRank { matricization, witness, .. }) if witness.rank >= swaps => Some((matricization, &witness.rows, &witness.cols)),
        _ => None,
    })?;
    let matrix: Matrix<Q> = matricize(&result.instance.network.dense(Q::clone), matricization);
    let outside: Vec<usize> = (0..matrix.nrows).filter(|r| !rows.contains(r)).collect();
    let candidates = outside.windows(swaps).map(|w| w.to_vec());
    for replacement in candidates {
        let mut tampered: Vec<usize> = rows[swaps..].iter().chain(&replacement).copied().collect();
        tampered.sort_unstable();
        if rank(&submatrix(&matrix, &tampered, cols)).rank < rows.len() {
            return Some((rows.clone(), tampered));
        }
    }
    None
}

#[derive(Default, Debug)]
struct Tally {
    tampered: usize,
    rejected: usize,
}

#[test]
fn kernel_confirms_every_certificate_and_rejects_every_tampered_one() {
    let results = all_results();
    assert!(results.len() >= 300);
    let kinds = ["core entry", "verdict", "rank", "witness row", "two witness rows swapped"];
    let tallies: Vec<[Tally; 5]> = results
        .par_iter()
        .map(|(case, result)| {
            let text = render(case, result);
            let label = format!("{} at {}", case.id, result.instance.label());
            if let Err(e) = check(&text) {
                panic!("{label}: the kernel rejects the checker's certificate: {e}");
            }
            let swap = |swaps: usize| {
                let (old, new) = singular_rows(result, swaps)?;
                tamper_line(&text, "  minor rows: ", |line| (line == format!("  minor rows: {}", ranges(&old))).then(|| format!("  minor rows: {}", ranges(&new))))
            };
            let tampered = [
                tamper_line(&text, "  ", |line| line.contains("] = ").then(|| bump_after(line, "] = ")).flatten()),
                tamper_line(&text, "  verdict: ", |line| Some(if line.contains("holds") { line.replacen("holds", "fails", 1) } else { line.replacen("fails", "holds", 1) })),
                tamper_line(&text, "  evidence: ", |line| {
                    bump_after(line, ") = ").or_else(|| bump_after(line, "TT-ranks (")).or_else(|| bump_after(line, "mod p >= "))
                }),
                swap(1),
                swap(2),
            ];
            let mut tally: [Tally; 5] = Default::default();
            for (n, tampered) in tampered.into_iter().enumerate() {
                let Some(tampered) = tampered else { continue };
                assert_ne!(tampered, text);
                tally[n].tampered += 1;
                match check(&tampered) {
                    Err(_) => tally[n].rejected += 1,
                    Ok(_) => panic!("{label}: the kernel accepts a certificate with a tampered {}", kinds[n]),
                }
            }
            tally
        })
        .collect();
    for (n, kind) in kinds.iter().enumerate() {
        let tampered: usize = tallies.iter().map(|t| t[n].tampered).sum();
        let rejected: usize = tallies.iter().map(|t| t[n].rejected).sum();
        eprintln!("{kind}: {tampered} certificates tampered, {rejected} rejected");
        assert_eq!(tampered, rejected);
        assert!(tampered > 0, "no certificate could be tampered with a {kind}");
    }
    eprintln!("{} certificates confirmed", results.len());
}

/// A rejection names the claim and the reason, and points at the line.
#[test]
fn a_rejection_names_the_claim_and_why() {
    let results = all_results();
    let (case, result) = results.iter().find(|(c, r)| c.id == "khrulkov2018-theorem1" && r.instance.label() == "n=2, r=2, d=4").unwrap();
    let text = render(case, result);
    let tampered = tamper_line(&text, "  evidence: ", |line| bump_after(line, ") = ")).unwrap();
    let rejection = check(&tampered).unwrap_err();
    assert!(rejection.reason.starts_with("claim 2 (matricization-rank): the evidence should read 'rank X^((1,3),(2,4)) = 4 exactly"), "{}", rejection.reason);
    let line = tampered.split('\n').nth(rejection.line - 1).unwrap();
    assert!(line.starts_with("  evidence: rank X^((1,3),(2,4)) = 5"), "{line}");
}
