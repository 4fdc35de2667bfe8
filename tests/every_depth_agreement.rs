//! Every shipped case file with a symbolic d (`d = "even"`, `"all"`, `"even >= K"`) against its
//! own text at finite depths: each grid point of the other parameters is rewritten to one point
//! (its parameters set to their values there, so that each point gets its own depths) with
//! `d = [2, 4, .., 12]` (the depths of the case's set up to `SEARCH_DEPTH`, those whose tensor has
//! at most `SEARCH_ENTRIES = 2^16` entries), and the same claims, which read the same at a finite
//! d (`at-least = "q^(d/2)"` is evaluated there). Both go through the library as a run does, and
//! at every point and claim:
//! - all-d HOLDS: HOLDS at every finite d;
//! - all-d FAILS at its least failing depth d0: HOLDS below d0 and FAILS at d0; for the identity
//!   the entry the all-d evidence reports is the finite train's entry at that index;
//! - all-d UNDECIDED: no finite FAILS, except a CP-rank bound refuted at a finite d by the
//!   train's own decomposition (its bond paths), which the search for every d does not build.

use std::path::{Path, PathBuf};
use tnproof::case::{parse_case, Instance, ResourceLimit};
use tnproof::certificate::InstanceResult;
use tnproof::claim::every_depth::{DepthClaim, DepthEvidence, SEARCH_DEPTH, SEARCH_ENTRIES};
use tnproof::claim::{Claim, Evidence, Upper, Verdict};
use tnproof::run::{case_files, decide, prepare};

/// The case's text at one point: in its `[construction]` table, each parameter of `params` set to
/// its value there and d to the list `ds`; each of those lines must be there once.
fn at_point(text: &str, params: &[(String, i64)], ds: &[usize]) -> String {
    let mut section = String::new();
    let mut replaced = vec![0; params.len() + 1];
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with('[') {
                section = trimmed.to_string();
            }
            if section != "[construction]" {
                return line.to_string();
            }
            let key = trimmed.split('=').next().unwrap_or("").trim();
            if key == "d" {
                replaced[params.len()] += 1;
                let list: Vec<String> = ds.iter().map(|d| d.to_string()).collect();
                return format!("d = [{}]", list.join(", "));
            }
            match params.iter().position(|(name, _)| name == key) {
                Some(p) => {
                    replaced[p] += 1;
                    format!("{key} = {}", params[p].1)
                }
                None => line.to_string(),
            }
        })
        .collect();
    assert!(
        replaced.iter().all(|&c| c == 1),
        "each parameter and d once in [construction]: {replaced:?} for {params:?}"
    );
    lines.join("\n") + "\n"
}

/// The depths of `instance`'s set that the finite side decides: up to `SEARCH_DEPTH`, with at most
/// `SEARCH_ENTRIES` entries.
fn finite_depths(instance: &Instance) -> Vec<usize> {
    let every = instance.every_depth.as_ref().expect("an instance of every depth");
    let n = every.train.modes();
    every
        .depths
        .up_to(SEARCH_DEPTH)
        .filter(|&d| n.checked_pow(d as u32).is_some_and(|e| e <= SEARCH_ENTRIES))
        .collect()
}

/// The least depth at which an all-d FAILS is shown.
fn failing_depth(evidence: &Evidence) -> usize {
    match evidence {
        Evidence::EveryDepth(DepthEvidence::EntryDiffers { d, .. })
        | Evidence::EveryDepth(DepthEvidence::SupportViolation { d, .. }) => *d,
        Evidence::EveryDepth(DepthEvidence::NotTriangular { ranks, .. }) => {
            let last = ranks.last().expect("a FAILS shows a rank");
            assert!(last.witness.rank < last.bound, "the last rank is below the bound");
            last.d
        }
        other => panic!("a FAILS with {other:?}"),
    }
}

/// Checks one all-d result against the finite results of its point (one per depth, in order of d).
fn agree(case: &str, every: &InstanceResult, finite: &[(usize, InstanceResult)]) -> usize {
    let label = format!("{case} at {}", every.instance.label());
    let mut compared = 0;
    for (claim, outcome) in every.instance.claims.iter().zip(&every.outcomes) {
        let Claim::EveryDepth { claim: depth_claim, .. } = &claim.claim else {
            panic!("{label}: an all-d instance with a finite claim");
        };
        let cp = matches!(depth_claim, DepthClaim::RankAtLeast { cp: true, .. });
        let fails_at = (outcome.verdict == Verdict::Fails).then(|| failing_depth(&outcome.evidence));
        if let Some(d0) = fails_at {
            assert!(
                finite.iter().any(|(d, _)| *d == d0),
                "{label}, claim {}: fails at d = {d0}, a depth the finite side decides",
                claim.number
            );
        }
        for (d, result) in finite {
            let at = result
                .instance
                .claims
                .iter()
                .position(|c| c.number == claim.number)
                .unwrap_or_else(|| panic!("{label}: claim {} at d = {d}", claim.number));
            let verdict = result.outcomes[at].verdict;
            let place = format!("{label}, claim {} ({depth_claim}), d = {d}", claim.number);
            match (outcome.verdict, fails_at) {
                (Verdict::Holds, _) => assert_eq!(verdict, Verdict::Holds, "{place}"),
                (Verdict::Fails, Some(d0)) if *d < d0 => assert_eq!(verdict, Verdict::Holds, "{place}"),
                (Verdict::Fails, Some(d0)) if *d == d0 => {
                    assert_eq!(verdict, Verdict::Fails, "{place}");
                    if let Evidence::EveryDepth(DepthEvidence::EntryDiffers { index, actual, .. }) = &outcome.evidence {
                        let train = result.instance.network.train().expect("a tensor train");
                        assert_eq!(&train.entry(index), actual, "{place}: the entry at {index:?}");
                    }
                }
                (Verdict::Fails, _) => {}
                (Verdict::Undecided, _) if cp && verdict == Verdict::Fails => assert!(
                    matches!(
                        result.outcomes[at].evidence,
                        Evidence::CpRank {
                            upper: Upper::Decomposition { .. },
                            ..
                        }
                    ),
                    "{place}: a finite d refutes a CP-rank bound only by a decomposition"
                ),
                (Verdict::Undecided, _) => {
                    assert_ne!(verdict, Verdict::Fails, "{place}: undecided for every d (cp: {cp})")
                }
            }
            compared += 1;
        }
    }
    compared
}

#[test]
fn every_depth_cases_agree_with_their_finite_depths() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let files = case_files(&[manifest.join("cases")]).expect("cases/ is readable");
    let mut cases = 0;
    let mut compared = 0;
    for file in files {
        let prepared = prepare(std::slice::from_ref(&file), ResourceLimit::default()).expect("valid cases");
        for (case, instances) in prepared {
            if !instances.iter().any(|i| i.every_depth.is_some()) {
                continue;
            }
            cases += 1;
            let text = std::fs::read_to_string(&file).expect("readable");
            let name = Path::new(&file).file_name().expect("a file name").to_string_lossy();
            let mut finite = Vec::new();
            for instance in &instances {
                let ds = finite_depths(instance);
                assert!(ds.len() >= 2, "{} at {}: depths {ds:?}", case.id, instance.label());
                let point = at_point(&text, &instance.params, &ds);
                let parsed = parse_case(&name, &point).unwrap_or_else(|e| panic!("{e}"));
                let expanded = parsed
                    .instances(ResourceLimit::default())
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(expanded.len(), ds.len(), "{} at {}", case.id, instance.label());
                finite.push(expanded);
            }
            let every = decide(instances);
            for (result, expanded) in every.iter().zip(finite) {
                let ds: Vec<usize> = expanded.iter().map(|i| i.network.mode_sizes().len()).collect();
                let finite: Vec<(usize, InstanceResult)> = ds.into_iter().zip(decide(expanded)).collect();
                compared += agree(&case.id, result, &finite);
            }
        }
    }
    assert!(cases >= 5, "the every-depth cases are found ({cases})");
    assert!(compared > 0);
}
