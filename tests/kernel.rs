//! The kernel against the checker: it confirms every certificate of every case in `cases/` (the
//! certificates pinned in snapshots/), and rejects each one after one number is tampered with: a
//! core entry, a verdict, a rank, a witness row; and after two witness rows are swapped for
//! non-witness rows. Replacement rows are chosen, with the library's exact rank, so that the
//! tampered minor is really singular: a rejection is then the only right answer. Certificates of
//! generalized networks are tampered with in their own ways too: a core entry, a core with its
//! digest (so that only the kernel's own grid tensor can tell), a grid digest, a counterexample's
//! entry, a count of zeros, a width bound, a verdict.

mod common;

use common::{
    digit_runs, khrulkov, lemma6, lemma6_and_a_shallow_of_ones, replace_core, theorem5_width, KHRULKOV_CORE, LEMMA6_G,
};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::OnceLock;
use tnproof::case::{parse_case, Case, InstanceClaim, ResourceLimit};
use tnproof::certificate::{grid_sha256, render, InstanceResult};
use tnproof::claim::{Claim, Evidence, Expected, Relation};
use tnproof::field::{q_text, Q};
use tnproof::linalg::{rank, submatrix};
use tnproof::network::generalized::{Body, Rnn, Shallow};
use tnproof::network::{Core, Network};
use tnproof::run::{case_files, decide, prepare};
use tnproof::tensor::{matricize, Matricization, Matrix};
use tnproof_kernel::{check, ClaimAt, Misfit, NoDisproof, Reason, Rejection, Verdict};

/// The certificates pinned in full in snapshots/ (the large random grids are pinned by digest;
/// `tnproof check` on their certificates is the same kernel), decided once for all tests.
fn all_results() -> &'static [(Case, InstanceResult)] {
    static RESULTS: OnceLock<Vec<(Case, InstanceResult)>> = OnceLock::new();
    RESULTS.get_or_init(decide_all)
}

fn decide_all() -> Vec<(Case, InstanceResult)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let files = case_files(&[root.join("cases")]).unwrap();
    prepare(&files, ResourceLimit::default())
        .unwrap()
        .into_iter()
        .filter(|(case, _)| {
            let snapshot =
                std::fs::read_to_string(root.join("snapshots").join(format!("{}.snap", case.id))).unwrap_or_default();
            snapshot.contains("\ntnproof certificate 2\n")
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
        parts.push(if i == j {
            format!("{}", numbers[i] + 1)
        } else {
            format!("{}-{}", numbers[i] + 1, numbers[j] + 1)
        });
        i = j + 1;
    }
    parts.join(" ")
}

/// The witness rows of the first rank claim with `swaps` of them replaced by non-witness rows
/// such that the minor becomes singular (checked with the library's exact rank), if possible.
fn singular_rows(result: &InstanceResult, swaps: usize) -> Option<(Vec<usize>, Vec<usize>)> {
    // A minor singular over Q is singular mod p too, so one choice serves both kinds of evidence.
    let (matricization, rows, cols) = result
        .instance
        .claims
        .iter()
        .zip(&result.outcomes)
        .find_map(|(c, o)| match (&c.claim, &o.evidence) {
            (
                Claim::MatricizationRank { .. } | Claim::CpRankLowerBound { .. },
                Evidence::Rank {
                    matricization, witness, ..
                },
            ) if witness.rank >= swaps => Some((matricization, &witness.rows, &witness.cols)),
            (
                _,
                Evidence::GenericRank {
                    matricization, witness, ..
                },
            ) if witness.rank >= swaps => Some((matricization, &witness.rows, &witness.cols)),
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
    let kinds = [
        "core entry",
        "verdict",
        "rank",
        "witness row",
        "two witness rows swapped",
    ];
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
                tamper_line(&text, "  minor rows: ", |line| {
                    (line == format!("  minor rows: {}", ranges(&old)))
                        .then(|| format!("  minor rows: {}", ranges(&new)))
                })
            };
            let tampered = [
                tamper_line(&text, "  ", |line| {
                    line.contains("] = ").then(|| bump_after(line, "] = ")).flatten()
                }),
                tamper_line(&text, "  verdict: ", |line| {
                    Some(if line.contains("holds") {
                        line.replacen("holds", "fails", 1)
                    } else {
                        line.replacen("fails", "holds", 1)
                    })
                }),
                tamper_line(&text, "  evidence: ", |line| {
                    bump_after(line, ") = ")
                        .or_else(|| bump_after(line, "TT-ranks ("))
                        .or_else(|| bump_after(line, "mod p >= "))
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

/// The lines where a changed number can leave a true statement that the kernel proves again: a
/// parameter no quoted expression uses, a quoted expression or condition changed to one with
/// the same value here, another non-singular minor, an entry of a drawn tensor H away from the
/// counterexample (the draw is free text; Gamma still differs from the H listed).
const STILL_TRUE: [&str; 7] = [
    "instance: ",
    "let: ",
    "  from: ",
    "  expected: ",
    "  minor ",
    "  bond ",
    "  H[",
];

/// The tamper measurement: random single-number changes (one digit run plus one, five per
/// certificate, seeded) of every pinned certificate, each checked by the kernel. Every one in a
/// line beginning with `#` is skipped (those lines are marked unchecked); of the others each is
/// rejected, or confirmed in a line where the changed certificate can still be a true statement
/// (`STILL_TRUE`), never in a core, a digest, a verdict or an evidence line.
#[test]
fn random_single_number_changes_are_rejected_or_still_true() {
    use rand::seq::SliceRandom;
    use rand::SeedableRng;
    let results = all_results();
    let outcomes: Vec<(usize, Vec<String>)> = results
        .par_iter()
        .map(|(case, result)| {
            let text = render(case, result);
            // Seeded by the certificate's file name, so adding a case changes no other's draws.
            let name = tnproof::certificate::file_name(case, &result.instance);
            let seed = <sha2::Sha256 as sha2::Digest>::digest(name.as_bytes());
            let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(u64::from_le_bytes(seed[..8].try_into().unwrap()));
            let runs = digit_runs(&text);
            let lines: Vec<&str> = text.split('\n').collect();
            let mut confirmed = Vec::new();
            let chosen: Vec<_> = runs.choose_multiple(&mut rng, 5).copied().collect();
            for &(n, start, end) in &chosen {
                let line = lines[n];
                let Ok(value) = line[start..end].parse::<u128>() else {
                    continue;
                };
                let changed = format!("{}{}{}", &line[..start], value + 1, &line[end..]);
                let mut tampered: Vec<&str> = lines.clone();
                tampered[n] = &changed;
                if check(&tampered.join("\n")).is_ok() {
                    confirmed.push(format!("{} at {}: {changed}", case.id, result.instance.label()));
                }
            }
            (chosen.len(), confirmed)
        })
        .collect();
    let tampered: usize = outcomes.iter().map(|(n, _)| n).sum();
    let confirmed: Vec<&String> = outcomes.iter().flat_map(|(_, c)| c).collect();
    eprintln!(
        "tamper measurement: {tampered} single-number changes of {} certificates, {} rejected, {} confirmed",
        results.len(),
        tampered - confirmed.len(),
        confirmed.len()
    );
    for line in &confirmed {
        eprintln!("  confirmed: {line}");
    }
    assert!(tampered >= 4 * results.len());
    for line in confirmed {
        let changed = line.split_once(": ").map_or("", |(_, l)| l);
        assert!(
            STILL_TRUE.iter().any(|p| changed.starts_with(p)),
            "a changed number the kernel confirms outside the lines that can stay true: {line}"
        );
    }
}

/// Lines beginning with `#` are not checked wherever they stand; the lines that are checked
/// cannot be turned into something else: the header's format, the `generic:` line of drawn cores.
#[test]
fn unchecked_lines_are_marked_and_everything_else_is_read() {
    let results = all_results();
    let drawn = results
        .iter()
        .find(|(_, r)| r.instance.draws.is_some())
        .expect("a case with drawn cores");
    let text = render(&drawn.0, &drawn.1);
    assert!(text.contains("\n# draw: ") && text.contains("\n# file: "));
    // A note after every line is still the same certificate.
    let annotated: String = text
        .split_inclusive('\n')
        .map(|l| format!("{l}# a reader's note\n"))
        .collect();
    check(&annotated).unwrap_or_else(|e| panic!("a # line after every line: {e}"));
    let tampered = text.replacen("\ngeneric: the cores are", "\ngeneric: the cores were", 1);
    assert!(matches!(check(&tampered).unwrap_err().reason, Reason::GenericLine));
    let old = text.replacen("tnproof certificate 2", "tnproof certificate 1", 1);
    assert!(matches!(check(&old).unwrap_err().reason, Reason::Header));
}

/// A rejection names the claim and the reason, and points at the line.
#[test]
fn a_rejection_names_the_claim_and_why() {
    let results = all_results();
    let (case, result) = results
        .iter()
        .find(|(c, r)| c.id == "khrulkov2018-theorem1" && r.instance.label() == "n=2, r=2, d=4")
        .unwrap();
    let text = render(case, result);
    let tampered = tamper_line(&text, "  evidence: ", |line| bump_after(line, ") = ")).unwrap();
    let rejection = check(&tampered).unwrap_err();
    assert_eq!(
        rejection.claim,
        Some(ClaimAt {
            number: 2,
            kind: "matricization-rank".into()
        })
    );
    assert!(
        matches!(&rejection.reason, Reason::Evidence { should_read }
            if should_read.starts_with("rank X^((1,3),(2,4)) = 4 exactly")),
        "{rejection}"
    );
    assert!(
        rejection
            .why()
            .starts_with("claim 2 (matricization-rank): the evidence should read 'rank X^((1,3),(2,4)) = 4 exactly"),
        "{rejection}"
    );
    let line = tampered.split('\n').nth(rejection.line - 1).unwrap();
    assert!(line.starts_with("  evidence: rank X^((1,3),(2,4)) = 5"), "{line}");
}

/// `text` with the `from:` lines of claim 1 replaced by `keys`: a claim restated consistently.
fn with_keys(text: &str, keys: &[&str]) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut in_claim_1 = false;
    for line in text.split('\n') {
        if line.starts_with("claim ") {
            in_claim_1 = line.starts_with("claim 1: ");
        }
        if in_claim_1 && line.starts_with("  from: ") {
            continue;
        }
        lines.push(line.to_string());
        if in_claim_1 && line.starts_with("claim 1: ") {
            lines.extend(keys.iter().map(|k| format!("  from: {k}")));
        }
    }
    lines.join("\n")
}

/// A matricization with no row modes or no column modes is rejected wherever a claim names one,
/// though the rest of the certificate is consistent (the checker decided and rendered it; only
/// its case reader refuses such a claim): X^((1,2,3,4),()) is a 1 x 16 matrix, whose rank says
/// nothing about the CP-rank.
#[test]
fn a_one_sided_matricization_is_rejected() {
    let (case, result) = all_results()
        .iter()
        .find(|(c, r)| c.id == "khrulkov2018-theorem1" && r.instance.label() == "n=2, r=2, d=4")
        .unwrap();
    let rows = Matricization::new(vec![0, 1, 2, 3], vec![], 4).unwrap();
    let cols = Matricization::new(vec![], vec![0, 1, 2, 3], 4).unwrap();
    let claims = [
        (
            Claim::IdentitySubmatrix {
                matricization: rows.clone(),
                q: 2,
            },
            "(1,2,3,4),()",
            ["rows = \"true\"", "q = \"2\""],
        ),
        (
            Claim::MatricizationRank {
                matricization: cols,
                relation: Relation::AtLeast,
                bound: 1,
            },
            "(),(1,2,3,4)",
            ["rows = \"false\"", "at-least = \"1\""],
        ),
        (
            Claim::CpRankLowerBound {
                matricization: rows,
                bound: 1,
            },
            "(1,2,3,4),()",
            ["rows = \"m > 0\"", "at-least = \"1\""],
        ),
    ];
    for (claim, shown, keys) in claims {
        let mut instance = result.instance.clone();
        instance.claims = vec![InstanceClaim {
            number: 1,
            claim,
            expected: Expected::Is(tnproof::claim::Verdict::Holds),
            numeric: None,
        }];
        let text = with_keys(&render(case, &decide(vec![instance])[0]), &keys);
        assert!(text.contains(&format!("X^({shown})")), "{text}");
        let rejection = check(&text).unwrap_err();
        assert_eq!(
            rejection.reason,
            Reason::OneSided {
                matricization: shown.into()
            },
            "{rejection}"
        );
        assert_eq!(rejection.claim.map(|c| c.number), Some(1));
    }
}

/// `body` with its `k`-th core (in certificate order) replaced.
fn with_core(body: &Body, k: usize, core: Core) -> Body {
    let mut cores: Vec<Core> = body.named_cores("").into_iter().map(|(_, c)| c.clone()).collect();
    cores[k] = core;
    match body {
        Body::Rnn(r) => {
            let g = cores.split_off(r.length());
            Body::Rnn(Rnn::new(cores, g).unwrap())
        }
        Body::Shallow(_) => {
            let v = cores.split_off(1);
            Body::Shallow(Shallow::new(cores.pop().unwrap(), v).unwrap())
        }
    }
}

/// One entry of the subject's cores changed by one, with the core's digest recomputed, chosen
/// (with the library's grid tensor) so that the grid tensor changes: only a kernel that computes
/// the grid tensor itself can reject it.
fn grid_changing_core(text: &str, result: &InstanceResult) -> Option<String> {
    let Network::Generalized(g) = &result.instance.network else {
        return None;
    };
    let grid = &g.grid;
    let named = g.body.named_cores("");
    for (k, (name, core)) in named.iter().enumerate().rev() {
        let (l, n, r) = core.shape();
        for at in (0..l)
            .flat_map(|a| (0..n).flat_map(move |i| (0..r).map(move |b| (a, i, b))))
            .take(20)
        {
            let changed = Core::from_fn(l, n, r, |a, i, b| {
                Ok::<_, ()>(
                    core.get(a, i, b)
                        + if (a, i, b) == at {
                            Q::from_integer(1.into())
                        } else {
                            Q::from_integer(0.into())
                        },
                )
            })
            .unwrap();
            if with_core(&g.body, k, changed.clone()).grid_tensor(g.xi, &g.features)? != *grid {
                return Some(replace_core(text, name, &changed));
            }
        }
    }
    None
}

/// `value` (a canonical fraction) plus one.
fn plus_one(value: &str) -> Option<String> {
    let q: Q = value.parse().ok()?;
    Some(q_text(&(q + Q::from_integer(1.into()))))
}

/// Replaces the text between `before` and `after` in `line` (their first occurrences) by `change` of it.
fn change_between(line: &str, before: &str, after: &str, change: impl Fn(&str) -> Option<String>) -> Option<String> {
    let start = line.find(before)? + before.len();
    let end = start + line[start..].find(after)?;
    Some(format!(
        "{}{}{}",
        &line[..start],
        change(&line[start..end])?,
        &line[end..]
    ))
}

/// The value the claim has at a counterexample changed, where the claim names a compared network
/// (so that the kernel knows that value: its own grid tensor of that network).
fn named_counterexample(text: &str, result: &InstanceResult) -> Option<String> {
    let Network::Generalized(g) = &result.instance.network else {
        return None;
    };
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let statement = |line: &str| {
        g.others.iter().any(|(n, _, _)| {
            n != "H" && line == format!("  statement: the grid tensor Gamma equals {n} at every index")
        })
    };
    let at = lines.iter().position(|l| statement(l))? + 3;
    lines[at] = change_between(
        lines[at].strip_prefix("  evidence: Gamma[")?,
        "the claim has ",
        " there",
        plus_one,
    )
    .map(|l| format!("  evidence: Gamma[{l}"))?;
    Some(lines.join("\n"))
}

/// A kind of tampering, and whether a rejection's reason is the one it must cause.
type Tampering = (&'static str, fn(&Reason) -> bool);

#[test]
fn kernel_rejects_tampered_generalized_certificates() {
    let results: Vec<&(Case, InstanceResult)> = all_results()
        .iter()
        .filter(|(_, r)| matches!(r.instance.network, Network::Generalized(_)))
        .collect();
    assert!(results.len() >= 250, "{} generalized certificates", results.len());
    // What each tampering is, and the rejection it must cause (that it is for the right reason).
    let subject_grid = |r: &Reason| matches!(r, Reason::GridDigest { grid, .. } if grid == "Gamma");
    let evidence = |r: &Reason| matches!(r, Reason::Evidence { .. });
    let kinds: [Tampering; 8] = [
        ("core entry (digest mismatch)", |r| {
            matches!(r, Reason::CoreDigest { .. })
        }),
        ("core entry and its digest (grid digest mismatch)", subject_grid),
        ("grid digest", subject_grid),
        // The kernel's own entry, or (for a compared network's values) its own counterexample.
        (
            "counterexample entry",
            |r| matches!(r, Reason::Evidence { should_read } if should_read.starts_with("Gamma[")),
        ),
        ("compared network's value in a counterexample", evidence),
        ("zero count", evidence),
        ("width bound W", evidence),
        ("verdict", |r| matches!(r, Reason::Verdict { .. })),
    ];
    let tallies: Vec<[Tally; 8]> = results
        .par_iter()
        .map(|(case, result)| {
            let text = render(case, result);
            let label = format!("{} at {}", case.id, result.instance.label());
            if let Err(e) = check(&text) {
                panic!("{label}: the kernel rejects the checker's certificate: {e}");
            }
            let tampered = [
                tamper_line(&text, "  ", |line| {
                    let (head, value) = line.split_once("] = ").filter(|(_, v)| *v != "-1")?;
                    Some(format!("{head}] = {}", plus_one(value)?))
                }),
                grid_changing_core(&text, result),
                tamper_line(&text, "grid tensor Gamma: ", |line| {
                    let (head, digest) = line.rsplit_once(' ')?;
                    let flipped = if digest.starts_with('0') {
                        digest.replacen('0', "1", 1)
                    } else {
                        format!("0{}", &digest[1..])
                    };
                    Some(format!("{head} {flipped}"))
                }),
                tamper_line(&text, "  evidence: Gamma[", |line| {
                    change_between(line, "] = ", ", but", plus_one)
                }),
                named_counterexample(&text, result),
                tamper_line(&text, "  evidence: Gamma is 0 at exactly the ", |line| {
                    bump_after(line, "exactly the ")
                }),
                tamper_line(&text, "  evidence: rank Gamma^(", |line| {
                    let (head, width) = line.rsplit_once(" = ")?;
                    Some(format!("{head} = {}", plus_one(width)?))
                }),
                tamper_line(&text, "  verdict: ", |line| {
                    Some(if line.contains("holds") {
                        line.replacen("holds", "fails", 1)
                    } else {
                        line.replacen("fails", "holds", 1)
                    })
                }),
            ];
            let mut tally: [Tally; 8] = Default::default();
            for (n, tampered) in tampered.into_iter().enumerate() {
                let Some(tampered) = tampered else { continue };
                assert_ne!(tampered, text);
                tally[n].tampered += 1;
                match check(&tampered) {
                    Err(e) if kinds[n].1(&e.reason) => tally[n].rejected += 1,
                    Err(e) => panic!("{label}: a tampered {} is rejected for another reason: {e}", kinds[n].0),
                    Ok(_) => panic!(
                        "{label}: the kernel accepts a certificate with a tampered {}",
                        kinds[n].0
                    ),
                }
            }
            tally
        })
        .collect();
    for (n, (kind, _)) in kinds.iter().enumerate() {
        let tampered: usize = tallies.iter().map(|t| t[n].tampered).sum();
        let rejected: usize = tallies.iter().map(|t| t[n].rejected).sum();
        eprintln!("generalized, {kind}: {tampered} certificates tampered, {rejected} rejected");
        assert_eq!(tampered, rejected);
        assert!(
            tampered > 0,
            "no generalized certificate could be tampered with a {kind}"
        );
    }
}

/// The kernel evaluates a grid claim's expression itself: a claim that holds cannot be given a
/// counterexample, and once the claimed condition is changed (in its key and its statement) the
/// kernel finds the first entry that contradicts it. Lemma 6 at M = 2, R = 2, T = 4: Gamma is 0
/// exactly where both pairs are equal and <= R, 2 * 2 = 4 of the 16 templates, Gamma[1,1,1,1]
/// among them.
#[test]
fn a_grid_claim_is_decided_by_the_kernel_from_its_expression() {
    let (case, result) = all_results()
        .iter()
        .find(|(c, r)| c.id == "khrulkov2019-lemma6" && r.instance.label() == "M=2, R=2, T=4")
        .unwrap();
    let text = render(case, result);
    let lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let claim = lines.iter().position(|l| l == "claim 2: grid-pattern").unwrap();
    let condition = "all(j in 1..T/2 : idx(2*j - 1) == idx(2*j) && idx(2*j) <= R)";
    assert_eq!(lines[claim + 1], format!("  from: zero-where = \"{condition}\""));
    assert_eq!(
        lines[claim + 2],
        format!("  statement: the grid tensor Gamma is 0 exactly where {condition}")
    );
    let holds = "Gamma is 0 at exactly the 4 claimed indices and non-zero at the other 12, checked entry by entry";
    assert_eq!(lines[claim + 5], format!("  evidence: {holds}"));
    let with = |zero_where: &str, verdict: &str, evidence: &str| {
        let mut changed = lines.clone();
        changed[claim + 1] = format!("  from: zero-where = \"{zero_where}\"");
        changed[claim + 2] = format!("  statement: the grid tensor Gamma is 0 exactly where {zero_where}");
        changed[claim + 4] = format!("  verdict: {verdict}");
        changed[claim + 5] = format!("  evidence: {evidence}");
        check(&changed.join("\n")).map_err(|r: Rejection| r.reason)
    };
    // Gamma[1,1,1,1] = 0 is no counterexample to the condition that says it is 0.
    let counterexample = "Gamma[1,1,1,1] = 0, but the claim has a non-zero entry there";
    assert_eq!(
        with(condition, "fails (NOT AS EXPECTED)", counterexample),
        Err(Reason::Evidence {
            should_read: holds.into()
        })
    );
    // Claimed zeros where idx(1) == 2 instead: the first template, (1,1,1,1), contradicts it.
    assert_eq!(
        with("idx(1) == 2", "holds (as expected)", holds),
        Err(Reason::Evidence {
            should_read: counterexample.into()
        })
    );
    assert!(with("idx(1) == 2", "fails (NOT AS EXPECTED)", counterexample).is_ok());
    // The claim's key and its statement must agree.
    let mut changed = lines.clone();
    changed[claim + 1] = "  from: zero-where = \"idx(1) == 2\"".into();
    assert!(matches!(
        check(&changed.join("\n")).map_err(|r| r.reason),
        Err(Reason::Statement { .. })
    ));
}

// --- FAILS on a lower bound is a disproof ---

/// The certificate of a case written inline at its one grid point, with the case's results.
fn certificate_of(text: &str) -> (String, InstanceResult) {
    let case = parse_case("case.toml", text).unwrap_or_else(|e| panic!("{e}"));
    let result = decide(case.instances(ResourceLimit::default()).unwrap()).remove(0);
    (render(&case, &result), result)
}

/// The certificate with its (first) verdict line said to be FAILS instead.
fn said_to_fail(text: &str) -> String {
    tamper_line(text, "  verdict: ", |line| {
        let word = ["undecided", "holds"].into_iter().find(|w| line.contains(w))?;
        Some(line.replacen(word, "fails", 1))
    })
    .unwrap()
}

/// The reason the kernel gives for `text`, which it must reject.
fn reason(text: &str) -> Reason {
    check(text).map_or_else(|r| r.reason, |_| panic!("the kernel confirms:\n{text}"))
}

/// [i1 = i2][i3 = i4] (eq. 9, n = r = 2, d = 4) split as rows (i1,i2), columns (i3,i4) is rank 1
/// (tests/claims_fail.rs), so Lemma 1 gives rank_CP >= 1 against the claimed 4: the kernel
/// confirms UNDECIDED and rejects FAILS as no disproof, both with the evidence it rebuilds and
/// with the bare bound (the evidence line without its last clause).
#[test]
fn a_cp_rank_bound_short_of_its_claim_is_no_disproof() {
    let claim = "[[claim]]\nkind = \"cp-rank-lower-bound\"\nrows = \"m <= d / 2\"\nat-least = \"q^(d/2)\"\nexpect = \"undecided\"";
    let (text, _) = certificate_of(&khrulkov(2, 2, 4, KHRULKOV_CORE, claim));
    assert!(text.contains("  verdict: undecided (as expected)\n"), "{text}");
    assert_eq!(check(&text).map(|c| c.claims), Ok(1));
    let no_disproof = Reason::NoDisproof(NoDisproof::CpRank { found: 1, bound: 4 });
    let fails = said_to_fail(&text);
    assert_eq!(reason(&fails), no_disproof);
    let bare = tamper_line(&fails, "  evidence: ", |line| {
        line.split_once("; below the claimed").map(|(head, _)| head.to_string())
    })
    .unwrap();
    assert!(bare.contains("; by Lemma 1, rank_CP X >= 1\n"), "{bare}");
    assert_eq!(reason(&bare), no_disproof);
}

/// Random TT cores n = r = 2, d = 4 split as rows (i1,i2), columns (i3,i4): cut 2 (the one bond
/// between the sides; tests/random.rs), so rank_CP >= 3 through that split is UNDECIDED, and a
/// certificate that says FAILS by the cut is rejected: the cut bounds the matricization only.
#[test]
fn a_cut_below_a_cp_rank_bound_is_no_disproof() {
    let text = "[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"random-tt\"\nn = 2\nr = 2\nd = 4\nseed = 3\n\
                [[claim]]\nkind = \"cp-rank-lower-bound\"\nrows = \"m <= d / 2\"\nat-least = \"3\"\nexpect = \"undecided\"";
    let (text, _) = certificate_of(text);
    assert!(text.contains("cut bound 2"), "{text}");
    check(&text).unwrap();
    assert_eq!(
        reason(&said_to_fail(&text)),
        Reason::NoDisproof(NoDisproof::CpRank { found: 2, bound: 3 })
    );
}

/// Lemma 6 at M = R = T = 2 (Gamma = J - I, rank 2) gives width >= 2 / (T M / 2) = 1 against a
/// claimed 2. With no compared network, and with a compared width-1 shallow network whose grid
/// tensor (all ones, computed by the kernel) is not Gamma, the kernel confirms UNDECIDED and
/// rejects FAILS as no disproof.
#[test]
fn a_width_bound_short_of_its_claim_is_no_disproof() {
    let claim = "[[claim]]\nkind = \"shallow-width-lower-bound\"\nat-least = \"2\"\nexpect = \"undecided\"";
    let no_disproof = Reason::NoDisproof(NoDisproof::ShallowWidth {
        found: "1".into(),
        bound: "2".into(),
    });
    for case in [lemma6(2, 2, 2, LEMMA6_G, claim), lemma6_and_a_shallow_of_ones(claim)] {
        let (text, _) = certificate_of(&case);
        check(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert!(text.contains("  verdict: undecided (as expected)\n"), "{text}");
        assert_eq!(reason(&said_to_fail(&text)), no_disproof);
    }
}

/// Theorem 5 at M = R = T = 2 (`theorem5_width`): Gamma = 8 everywhere, Lemma 5 width >= 1/2, and
/// the compared shallow network S of width 1 has the grid tensor 8 too. The kernel confirms FAILS
/// for "width >= 2" (S is the disproof) and its evidence, and finds it itself: a certificate
/// saying HOLDS is rejected with FAILS found. With S's lambda doubled (S's core and grid digests
/// made to fit, so the certificate is consistent), S's grid tensor is 16: no disproof. And for
/// "width >= 1", S is not narrower: no disproof either.
#[test]
fn a_width_claim_fails_only_by_a_narrower_network_with_the_same_grid_tensor() {
    let (text, result) = certificate_of(&theorem5_width("2"));
    assert!(text.contains("  verdict: fails (NOT AS EXPECTED)\n"), "{text}");
    assert!(
        text.contains("; below the claimed 2, and the compared rectifier shallow network S of width 1 < 2 has this grid tensor, checked entry by entry\n"),
        "{text}"
    );
    check(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let holds = tamper_line(&text, "  verdict: ", |line| Some(line.replacen("fails", "holds", 1))).unwrap();
    assert!(matches!(
        reason(&holds),
        Reason::Verdict {
            found: Verdict::Fails,
            ..
        }
    ));

    let Network::Generalized(g) = &result.instance.network else {
        panic!("a generalized network")
    };
    let (_, Body::Shallow(s), grid) = &g.others[1] else {
        panic!("S is shallow")
    };
    assert_eq!(grid.entries(), vec![Q::from_integer(8.into()); 4]);
    let doubled = Shallow::new(s.lambda().map(|x| x * Q::from_integer(2.into())), s.v().to_vec()).unwrap();
    let doubled_grid = Body::Shallow(doubled.clone()).grid_tensor(g.xi, &g.features).unwrap();
    assert_eq!(doubled_grid.entries(), vec![Q::from_integer(16.into()); 4]);
    let changed = replace_core(&text, "S.lambda", doubled.lambda());
    let changed = tamper_line(&changed, "grid tensor Gamma_S: ", |line| {
        let (head, _) = line.rsplit_once(' ')?;
        Some(format!("{head} {}", grid_sha256(&doubled_grid)))
    })
    .unwrap();
    let no_disproof = |bound: &str| {
        Reason::NoDisproof(NoDisproof::ShallowWidth {
            found: "1/2".into(),
            bound: bound.into(),
        })
    };
    assert_eq!(reason(&changed), no_disproof("2"));

    let (text, _) = certificate_of(&theorem5_width("1"));
    check(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(reason(&said_to_fail(&text)), no_disproof("1"));
}

/// Lemma 5 is about rectifier networks: a width claim in the certificate of a product network
/// (Lemma 6's cores with xi = product, its rank claim restated as a width claim) is refused.
#[test]
fn a_width_claim_on_a_product_network_is_refused() {
    let claim = "[[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"0\"";
    let case = lemma6(2, 2, 2, LEMMA6_G, claim).replace("xi = \"rectifier\"", "xi = \"product\"");
    let (text, _) = certificate_of(&case);
    check(&text).unwrap();
    let restated = tamper_line(&text, "claim 1: ", |_| {
        Some("claim 1: shallow-width-lower-bound".into())
    })
    .unwrap();
    let restated = with_keys(&restated, &["at-least = \"0\""]);
    let restated = tamper_line(&restated, "  statement: ", |_| {
        Some("  statement: a rectifier shallow network with grid tensor Gamma has width >= rank Gamma^((1),(2)) / (T M / 2) >= 0".into())
    })
    .unwrap();
    assert_eq!(reason(&restated), Reason::Misfit(Misfit::Lemma5Rectifier));
}

/// A drawn train with 2^18 entries (n = r = 2, d = 18) is certified mod the word prime
/// 2^21 - 9: its split after mode 9 crosses one bond, so the cut bound is r = 2 and the minor is
/// 2 x 2. The kernel confirms it; it rejects a 2 x 2 minor whose determinant is divisible by the
/// word prime but not zero, and confirms that same minor said mod 2^61 - 1, where it is
/// non-singular: the kernel computes in the prime the certificate states. A prime it does not
/// know is rejected. Such a minor: the matrix has rank 2, so rows i, j are singular on columns
/// a, b (with a non-singular column pair) exactly when their ratios X[i,a] / X[i,b] agree mod p,
/// which two of 512 rows do in about one draw in 16 (512^2 / 2p); likewise for columns. The
/// test tries seeds until one draw has such a pair.
#[test]
fn certificates_mod_the_word_prime_are_checked_mod_that_prime() {
    use tnproof::field::{modw, Prime, WordResidue};
    let (w, p) = (Prime::Word21, Prime::Mersenne61);
    let det = |m: &[u64], prime: Prime, (i, j, a, b): (usize, usize, usize, usize)| {
        prime.sub(
            prime.mul(m[i * 512 + a], m[j * 512 + b]),
            prime.mul(m[i * 512 + b], m[j * 512 + a]),
        )
    };
    let found = (1..=200).find_map(|seed| {
        let case = format!("[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"random-tt\"\nn = 2\nr = 2\nd = 18\nseed = {seed}\n\
            [[claim]]\nkind = \"matricization-rank\"\nrows = \"m <= 9\"\nequal = \"2\"\n");
        let (text, result) = certificate_of(&case);
        let network = &result.instance.network;
        let split = Matricization::sequential(18, 9);
        let word = matricize(&network.dense(|q| WordResidue(modw::of_rational(q).unwrap())), &split);
        let word: Vec<u64> = word.entries.iter().map(|r| r.0).collect();
        let mersenne: Vec<u64> = matricize(&network.dense_mod_p(), &split).entries.iter().map(|r| r.0).collect();
        // Rows with equal ratios on columns 0, 1; then columns with equal ratios on rows 0, 1.
        let collision = |entry: &dyn Fn(usize, usize) -> u64| {
            let mut seen = std::collections::HashMap::new();
            (0..512).find_map(|j| {
                let (x, y) = (entry(j, 0), entry(j, 1));
                let ratio = (y != 0).then(|| w.mul(x, w.inv(y)))?;
                seen.insert(ratio, j).map(|i| (i, j))
            })
        };
        let minor = collision(&|j, c| word[j * 512 + c])
            .map(|(i, j)| (i, j, 0, 1))
            .or_else(|| collision(&|j, r| word[r * 512 + j]).map(|(a, b)| (0, 1, a, b)))?;
        (det(&mersenne, p, minor) != 0).then_some((text, word, minor))
    });
    let (text, word, minor) = found.expect("a draw with a minor singular mod the word prime only");
    assert!(text.contains("mod p >= 2, p = 2097143 (512 x 512 matrix)"), "{text}");
    check(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(det(&word, w, minor), 0);
    let (i, j, a, b) = minor;
    let with_minor = |text: &str| {
        let rows = tamper_line(text, "  minor rows: ", |_| {
            Some(format!("  minor rows: {}", ranges(&[i, j])))
        })
        .unwrap();
        tamper_line(&rows, "  minor cols: ", |_| {
            Some(format!("  minor cols: {}", ranges(&[a, b])))
        })
        .unwrap()
    };
    assert!(matches!(
        reason(&with_minor(&text)),
        Reason::SingularMinor { mod_p: true, .. }
    ));
    check(&with_minor(&text.replace("p = 2097143", "p = 2^61 - 1"))).unwrap_or_else(|e| panic!("{e}"));
    let unknown = text.replace("p = 2097143", "p = 2097169");
    assert!(matches!(reason(&unknown), Reason::Evidence { .. }));
}
