//! The kernel against certificates about every depth at once (SPEC §7): it confirms the checker's
//! certificate of every all-d instance of the cases below (each claim kind holding, failing at a
//! finite d, or undecided), and rejects every single-number change of one, except where the
//! changed certificate is still a true statement, each such line kind explained
//! (`STILL_TRUE`). Targeted tamperings follow: a basis row dropped or two swapped, the depths
//! changed, a core entry changed with its digest recomputed (so only the kernel's own automaton
//! can tell), a triangular certificate's order reversed, a failing claim said to hold, and a
//! CP-rank claim said to fail by a smaller matricization rank; each rejection for its reason.
//!
//! The cases are written here as texts (case files of every depth are not needed to exist).

mod common;

use common::{digit_runs, replace_core};
use rayon::prelude::*;
use std::sync::OnceLock;
use tnproof::case::{parse_case, Case, ResourceLimit};
use tnproof::certificate::{core_sha256, render, InstanceResult};
use tnproof::claim::Verdict as CheckerVerdict;
use tnproof::field::{q_text, Q};
use tnproof::network::Core;
use tnproof::run::decide;
use tnproof_kernel::automaton::{ClosureFault, TrimFault};
use tnproof_kernel::{check, Counterexample, EveryDepthFault, Reason, Verdict};

/// A case of one construction at the grid `grid` (TOML lines), with its cores and claims.
fn case(id: &str, kind: &str, grid: &str, cores: &str, claims: &[&str]) -> String {
    let claims: String = claims.iter().map(|c| format!("[[claim]]\n{c}\n")).collect();
    format!("[case]\nid = \"{id}\"\nsource = \"test\"\n[construction]\nkind = \"{kind}\"\n{grid}\n{cores}\n{claims}")
}

const IDENTITY: &str = "kind = \"identity-submatrix\"\nmatricization = \"odd-even\"\nq = \"q\"";
const RANK: &str = "kind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"q^(d/2)\"";
const CP_RANK: &str = "kind = \"cp-rank-lower-bound\"\nmatricization = \"odd-even\"\nat-least = \"q^(d/2)\"";

/// Khrulkov et al.'s eq. (9) witness, `[i1 = i2 <= r] [i3 = i4 <= r] ...`, for every even d, at
/// n, r in {2, 3}: every claim holds; the support path is the one of Lemma 3's kind for eq. (9),
/// `a_k = i_k` at odd k, the rank-1 bond 1 at even k.
fn khrulkov() -> String {
    case(
        "khrulkov-eq9",
        "tt",
        "n = [2, 3]\nr = [2, 3]\nd = \"even\"\nranks = \"if k % 2 == 1 { r } else { 1 }\"\n[construction.let]\nq = \"min(n, r)\"",
        "[construction.cores]\ncore = \"if k % 2 == 1 { [i == b] } else { [i == a] }\"",
        &[
            IDENTITY,
            RANK,
            CP_RANK,
            "kind = \"support-structure\"\npath = \"if k % 2 == 1 { i } else { 1 }\"\nq = \"q\"",
        ],
    )
}

/// Eq. (9) at n = 3, r = 2 with claims on the block of size n = 3 > r: the identity fails at
/// d = 2 (X_2[3,3] = 0), the rank bound 3^(d/2) fails at d = 2 (rank 2), the CP-rank bound is
/// undecided.
fn khrulkov_too_large() -> String {
    case(
        "khrulkov-eq9-block-n",
        "tt",
        "n = 3\nr = 2\nd = \"even\"\nranks = \"if k % 2 == 1 { r } else { 1 }\"",
        "[construction.cores]\ncore = \"if k % 2 == 1 { [i == b] } else { [i == a] }\"",
        &[
            "kind = \"identity-submatrix\"\nmatricization = \"odd-even\"\nq = \"n\"\nexpect = \"fails\"",
            "kind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"n^(d/2)\"\nexpect = \"fails\"",
            "kind = \"cp-rank-lower-bound\"\nmatricization = \"odd-even\"\nat-least = \"n^(d/2)\"\nexpect = \"undecided\"",
        ],
    )
}

const ALKIN_CORES: &str = "[construction.cores]\nfirst = \"[i == b]\"\ninner = \"if a <= q { [a == i] * [b == q + 1] } else if a == q + 1 { [i == b] } else { 0 }\"\nlast = \"[a == i]\"";
const ALKIN_PATH: &str = "kind = \"support-structure\"\npath = \"if k % 2 == 1 { i } else { q + 1 }\"";
const ALKIN_WRONG_PATH: &str =
    "kind = \"support-structure\"\npath = \"if k % 2 == 1 { i } else { 1 }\"\nexpect = \"fails\"";

/// Alkin's equal cores (Theorem 1, Lemma 3) for every even d at n = 3, r in {3, 4}: the identity,
/// the rank bounds and Lemma 3's path hold; a path with the hub at bond value 1 fails.
fn alkin() -> String {
    case(
        "alkin-equal-core",
        "tt-equal",
        "n = 3\nr = [3, 4]\nd = \"even\"\n[construction.let]\nq = \"min(n, r - 1)\"",
        ALKIN_CORES,
        &[IDENTITY, RANK, CP_RANK, ALKIN_PATH, ALKIN_WRONG_PATH],
    )
}

/// Alkin's equal cores for every d >= 3, odd ones included (a last core per residue of d mod 2):
/// support claims only, the odd/even matricization needing even d.
fn alkin_all() -> String {
    case(
        "alkin-equal-core-all",
        "tt-equal",
        "n = 2\nr = 3\nd = \"all >= 3\"\n[construction.let]\nq = \"min(n, r - 1)\"",
        ALKIN_CORES,
        &[ALKIN_PATH, ALKIN_WRONG_PATH],
    )
}

/// The copy tensor `[i_1 = .. = i_d]` (equal cores, r = n = 2): its odd/even matricization is
/// diagonal with 0 at X_4[1,1,2,2], so the identity fails at d = 4, the rank bound 2^(d/2) fails
/// at d = 4 (rank 2), the CP-rank bound is undecided; `a_k = i_k` is its support path, and a hub
/// at 1 on even bonds fails at d = 4.
fn copy() -> String {
    case(
        "copy",
        "tt-equal",
        "n = 2\nr = 2\nd = \"even\"",
        "[construction.cores]\nfirst = \"[i == b]\"\ninner = \"[a == i] * [i == b]\"\nlast = \"[a == i]\"",
        &[
            "kind = \"identity-submatrix\"\nmatricization = \"odd-even\"\nq = \"n\"\nexpect = \"fails\"",
            "kind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"n^(d/2)\"\nexpect = \"fails\"",
            "kind = \"cp-rank-lower-bound\"\nmatricization = \"odd-even\"\nat-least = \"n^(d/2)\"\nexpect = \"undecided\"",
            "kind = \"support-structure\"\npath = \"i\"\nq = \"n\"",
            "kind = \"support-structure\"\npath = \"if k % 2 == 1 { i } else { 1 }\"\nq = \"n\"\nexpect = \"fails\"",
        ],
    )
}

/// `X_d = 2 prod_j T[x_j, y_j]` with `T[x, y] = [y <= x] (x + 1) / 2` (`LOWER`) or
/// `[y >= x] (x + 1) / 2` (`UPPER`), n = r = 3, for every even d >= 4: a triangular block, not a
/// diagonal one, zero above the diagonal (lower) or below it (upper), with the diagonal
/// `2 prod_j (x_j + 1) / 2`: lambda = 2, mu = (1, 3/2, 2). The rank claims hold by the natural
/// letter order (lower) or the reversed one (upper); the identity on the 1 x 1 block fails at
/// d = 4 (X_4[1,1,1,1] = 2).
fn triangular(upper: bool) -> String {
    let compare = if upper { ">=" } else { "<=" };
    let core = format!(
        "[construction.cores]\ncore = \"if k == 1 {{ 2 * [i == b] }} else if k % 2 == 1 {{ [i == b] }} else {{ [i {compare} a] * (a + 1) / 2 }}\""
    );
    case(
        if upper { "upper-triangular" } else { "lower-triangular" },
        "tt",
        "n = 3\nr = 3\nd = \"even >= 4\"\nranks = \"if k % 2 == 1 { r } else { 1 }\"\n[construction.let]\nq = \"n\"",
        &core,
        &[
            RANK,
            CP_RANK,
            "kind = \"identity-submatrix\"\nmatricization = \"odd-even\"\nq = \"1\"\nexpect = \"fails\"",
        ],
    )
}

/// Eq. (9) with 1 added to every entry of the last core (only `k == d` tells it), for every even
/// d >= 3 (so >= 4): the last pair is `[x = y] + 1`, a full-rank block that is not triangular, so
/// the rank claim is undecided with no smaller rank found; the identity fails at d = 4.
fn special_last_core() -> String {
    case(
        "eq9-special-last",
        "tt",
        "n = 2\nr = 2\nd = \"even >= 3\"\nranks = \"if k % 2 == 1 { r } else { 1 }\"\n[construction.let]\nq = \"min(n, r)\"",
        "[construction.cores]\ncore = \"if k % 2 == 1 { [i == b] } else { [i == a] + [d == k] }\"",
        &[
            "kind = \"identity-submatrix\"\nmatricization = \"odd-even\"\nq = \"q\"\nexpect = \"fails\"",
            "kind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"q^(d/2)\"\nexpect = \"undecided\"",
        ],
    )
}

/// Every all-d certificate of the cases above, decided once for all tests: (case, result, text).
fn all_certificates() -> &'static [(Case, InstanceResult, String)] {
    static CERTIFICATES: OnceLock<Vec<(Case, InstanceResult, String)>> = OnceLock::new();
    CERTIFICATES.get_or_init(|| {
        let texts = [
            khrulkov(),
            khrulkov_too_large(),
            alkin(),
            alkin_all(),
            copy(),
            triangular(false),
            triangular(true),
            special_last_core(),
        ];
        texts
            .par_iter()
            .flat_map_iter(|text| {
                let case = parse_case("case.toml", text).unwrap_or_else(|e| panic!("{e}"));
                let instances = case
                    .instances(ResourceLimit::default())
                    .unwrap_or_else(|e| panic!("{e}"));
                assert!(instances.iter().all(|i| i.every_depth.is_some()), "{}", case.id);
                decide(instances)
                    .into_iter()
                    .map(|r| {
                        let text = render(&case, &r);
                        (case.clone(), r, text)
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    })
}

/// The certificate of `id` at the instance labelled `label`.
fn certificate(id: &str, label: &str) -> &'static (Case, InstanceResult, String) {
    all_certificates()
        .iter()
        .find(|(c, r, _)| c.id == id && r.instance.label() == label)
        .unwrap_or_else(|| panic!("no certificate of {id} at {label}"))
}

/// The reason the kernel gives for `text`, which it must reject.
fn reason(text: &str) -> Reason {
    check(text).map_or_else(|r| r.reason, |_| panic!("the kernel confirms:\n{text}"))
}

/// `text` with its (only) line equal to `old` replaced by the lines `new`.
fn with_line(text: &str, old: &str, new: &[&str]) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(
        lines.iter().filter(|l| **l == old).count(),
        1,
        "{old:?} once in\n{text}"
    );
    lines
        .iter()
        .flat_map(|l| if *l == old { new.to_vec() } else { vec![*l] })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The lines of `text` starting with `prefix`, in order.
fn lines_with<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.split('\n').filter(|l| l.starts_with(prefix)).collect()
}

/// The evidence line of claim `number` (1-based).
fn evidence_of(text: &str, number: usize) -> &str {
    let claim = text
        .split('\n')
        .skip_while(|l| !l.starts_with(&format!("claim {number}: ")))
        .find(|l| l.starts_with("  evidence: "));
    claim.unwrap_or_else(|| panic!("claim {number} has no evidence line in\n{text}"))
}

// --- The checker's certificates are confirmed, with each claim kind holding and failing ---

#[test]
fn kernel_confirms_every_all_d_certificate_with_its_verdicts() {
    let certificates = all_certificates();
    assert_eq!(certificates.len(), 4 + 1 + 2 + 1 + 1 + 2 + 1);
    let mut seen: Vec<(String, Verdict)> = Vec::new();
    for (case, result, text) in certificates {
        let label = format!("{} at {}", case.id, result.instance.label());
        assert!(text.contains("\ndepths: every "), "{label}:\n{text}");
        let confirmed = check(text).unwrap_or_else(|e| panic!("{label}: the kernel rejects {e}\n{text}"));
        assert_eq!(confirmed.claims, result.outcomes.len(), "{label}");
        assert!(
            confirmed.unexpected.is_empty(),
            "{label}: verdicts not as expected {:?}\n{text}",
            confirmed.unexpected
        );
        for (claim, outcome) in result.instance.claims.iter().zip(&result.outcomes) {
            let verdict = match outcome.verdict {
                CheckerVerdict::Holds => Verdict::Holds,
                CheckerVerdict::Fails => Verdict::Fails,
                CheckerVerdict::Undecided => Verdict::Undecided,
            };
            seen.push((claim.claim.kind().to_string(), verdict));
        }
    }
    let has = |kind: &str, verdict: Verdict| seen.iter().any(|(k, v)| k == kind && *v == verdict);
    for kind in ["identity-submatrix", "matricization-rank", "support-structure"] {
        assert!(has(kind, Verdict::Holds), "no {kind} certificate holds");
        assert!(has(kind, Verdict::Fails), "no {kind} certificate fails");
    }
    // A CP-rank bound fails only by a CP decomposition; a smaller matricization rank leaves it
    // undecided.
    assert!(has("cp-rank-lower-bound", Verdict::Holds));
    assert!(has("cp-rank-lower-bound", Verdict::Undecided));
    assert!(!has("cp-rank-lower-bound", Verdict::Fails));
    assert!(has("matricization-rank", Verdict::Undecided));
}

/// The evidence lines the FAILS certificates carry, as the kernel rebuilds them: one per claim
/// kind, each a counterexample at one finite d.
#[test]
fn fails_certificates_show_a_counterexample_at_one_d() {
    let (_, _, text) = certificate("copy", "n=2, r=2, d=even");
    assert_eq!(
        evidence_of(text, 1),
        "  evidence: at d = 4, X_4[1,1,2,2] = 0, but the identity has 1 there"
    );
    assert_eq!(
        evidence_of(text, 2),
        "  evidence: at d = 4, rank X_4^((1,3),(2,4)) = 2 exactly over Q (4 x 4 matrix), below the claimed 4"
    );
    assert!(evidence_of(text, 3).ends_with(
        "; by Lemma 1 only rank_CP X_4 >= 2 follows, so not established: a disproof would be a CP decomposition of rank < 4"
    ));
    assert_eq!(
        evidence_of(text, 5),
        "  evidence: at d = 4, indices (2,2,2,2) with the bond path (2,2,2) give the non-zero product 1, but the claimed path is (2,1,2); they differ at bond 2"
    );
    let (_, _, text) = certificate("khrulkov-eq9-block-n", "n=3, r=2, d=even");
    assert_eq!(
        evidence_of(text, 1),
        "  evidence: at d = 2, X_2[3,3] = 0, but the identity has 1 there"
    );
    // Every d >= 3: at n = 2, r = 3 the hub q + 1 = 3 is no letter, so the last core [a == i]
    // makes X_d zero at odd d, and the wrong hub shows first at d = 4.
    let (_, _, text) = certificate("alkin-equal-core-all", "n=2, r=3, d=all>=3");
    assert_eq!(
        evidence_of(text, 2),
        "  evidence: at d = 4, indices (1,1,1,1) with the bond path (1,3,1) give the non-zero product 1, but the claimed path is (1,1,1); they differ at bond 2"
    );
}

// --- Single-number changes ---

/// What a digit run at `start` of `line` is, for the tally: the kinds the brief names for
/// certificates about every depth, and the rest by line.
fn run_kind(line: &str, start: usize) -> &'static str {
    let before = &line[..start];
    let evidence = line.strip_prefix("  evidence: ");
    let (label, _) = line.split_once(": ").unwrap_or(("", ""));
    if label.starts_with("  ") && label.contains(" basis ") {
        if start < label.len() {
            return "basis row number";
        }
        // `state:value` pairs: the run is a state if a ':' follows it before the next space.
        let rest = &line[start..];
        let word_end = rest.find(' ').unwrap_or(rest.len());
        return if rest[..word_end].contains(':') {
            "basis state"
        } else {
            "basis coefficient"
        };
    }
    for (prefix, kind) in [
        ("  identity automaton: ", "state or row count"),
        ("  zero side: ", "state or row count"),
        ("  diagonal: ", "state or row count"),
        ("  support automaton: ", "state or row count"),
        ("  forward: ", "forward state"),
        ("  backward: ", "backward state"),
        ("  minor ", "minor row or column"),
        ("instance: ", "instance parameter"),
        ("let: ", "let"),
        ("depths: ", "depths"),
        ("construction: ", "construction"),
        ("core ", "core shape, count or digest"),
        ("  from: ", "case-file key"),
        ("  statement: ", "statement"),
        ("  expected: ", "expected"),
        ("  verdict: ", "verdict"),
        ("claim ", "claim number"),
        ("tnproof certificate", "header"),
        ("conventions: ", "conventions"),
    ] {
        if line.starts_with(prefix) {
            return kind;
        }
    }
    if line.starts_with("  ") && line.contains("] = ") && evidence.is_none() {
        return "core entry";
    }
    let Some(evidence) = evidence else {
        return "other";
    };
    if evidence.starts_with("for every d, on indices") {
        if before.contains("lambda = ") && !before.contains("mu = (") {
            return "lambda";
        }
        if before.contains("mu = (") && !before.contains("none 0") {
            return "mu";
        }
        return "triangular evidence, other number";
    }
    if evidence.starts_with("at d = ") {
        if before.len() < "  evidence: at d = ".len() + 1 {
            return "counterexample d";
        }
        if evidence.contains(" indices (") {
            if before.contains("with the bond path (") && !before.contains(") give") {
                return "counterexample bond path";
            }
            if before.contains(" indices (") && !before.contains(" with the bond path") {
                return "counterexample index";
            }
            return "counterexample value";
        }
        if evidence.contains(", but the identity has") {
            if before.contains('[') && !before.contains("] = ") {
                return "counterexample index";
            }
            if before.contains("X_") && !before.contains('[') {
                return "counterexample d";
            }
            return "counterexample value";
        }
        return "counterexample rank";
    }
    "evidence, other number"
}

/// The line kinds where a changed number can leave a true certificate, which the kernel then
/// rightly confirms:
/// - `instance parameter`: n or r is metadata the cores do not depend on in the kernel's eyes;
///   where no quoted expression changes value with it (q = min(n, r) when the other one is the
///   minimum), every line still states a true fact about the listed cores;
/// - `let`: a definition changed to one with the same value here (`min(n, r - 0)` where
///   `min(n, r - 1)` was, n being the minimum of both), the value line being checked;
/// - `case-file key`: a key changed to one with the same value here (`q = "min(n, r - 1)"`,
///   `path` and bounds whose rebuilt statement is the same), so the statement line still fits;
/// - `minor row or column`: another non-singular minor of the same size, also a witness of the
///   same exact rank.
const STILL_TRUE: [&str; 4] = ["instance parameter", "let", "case-file key", "minor row or column"];

/// The kinds whose every change the kernel must reject (the brief's list).
const MUST_REJECT: [&str; 14] = [
    "basis coefficient",
    "basis state",
    "basis row number",
    "state or row count",
    "forward state",
    "backward state",
    "lambda",
    "mu",
    "counterexample d",
    "counterexample index",
    "counterexample value",
    "counterexample bond path",
    "counterexample rank",
    "core entry",
];

#[derive(Default, Clone, Debug)]
struct Tally {
    tried: usize,
    rejected: usize,
    confirmed: Vec<String>,
}

/// Every digit run of every checked line of every all-d certificate, changed by +1 and by -1
/// (where it is not 0), each change checked by the kernel: the tally by kind, every confirmed
/// change in a `STILL_TRUE` kind, none in a `MUST_REJECT` one.
#[test]
fn every_single_number_change_is_rejected_or_still_true() {
    use std::collections::BTreeMap;
    let tallies: Vec<BTreeMap<&'static str, Tally>> = all_certificates()
        .par_iter()
        .map(|(case, result, text)| {
            let mut tally: BTreeMap<&'static str, Tally> = BTreeMap::new();
            let lines: Vec<&str> = text.split('\n').collect();
            for (n, start, end) in digit_runs(text) {
                let line = lines[n];
                let Ok(value) = line[start..end].parse::<u128>() else {
                    continue;
                };
                let kind = run_kind(line, start);
                let changes = [Some(value + 1), value.checked_sub(1)];
                for new in changes.into_iter().flatten() {
                    let changed = format!("{}{new}{}", &line[..start], &line[end..]);
                    let mut tampered = lines.clone();
                    tampered[n] = &changed;
                    let entry = tally.entry(kind).or_default();
                    entry.tried += 1;
                    match check(&tampered.join("\n")) {
                        Err(_) => entry.rejected += 1,
                        Ok(_) => entry
                            .confirmed
                            .push(format!("{} at {}: {changed}", case.id, result.instance.label())),
                    }
                }
            }
            tally
        })
        .collect();
    let mut total: BTreeMap<&'static str, Tally> = BTreeMap::new();
    for tally in tallies {
        for (kind, t) in tally {
            let entry = total.entry(kind).or_default();
            entry.tried += t.tried;
            entry.rejected += t.rejected;
            entry.confirmed.extend(t.confirmed);
        }
    }
    let tried: usize = total.values().map(|t| t.tried).sum();
    let rejected: usize = total.values().map(|t| t.rejected).sum();
    eprintln!(
        "all-d tamper measurement: {tried} single-number changes of {} certificates, {rejected} rejected, {} confirmed",
        all_certificates().len(),
        tried - rejected
    );
    for (kind, t) in &total {
        eprintln!(
            "  {kind}: {} tried, {} rejected, {} confirmed",
            t.tried,
            t.rejected,
            t.confirmed.len()
        );
        for line in &t.confirmed {
            eprintln!("    confirmed: {line}");
        }
    }
    for kind in MUST_REJECT {
        let t = total
            .get(kind)
            .unwrap_or_else(|| panic!("no number of kind '{kind}' was changed"));
        assert!(t.tried > 0);
        assert!(
            t.confirmed.is_empty(),
            "the kernel confirms a changed {kind}: {:?}",
            t.confirmed
        );
    }
    for (kind, t) in &total {
        assert!(
            t.confirmed.is_empty() || STILL_TRUE.contains(kind),
            "a changed {kind} the kernel confirms outside the lines that can stay true: {:?}",
            t.confirmed
        );
    }
}

// --- Targeted tamperings ---

/// The certificate with only its claim `number`, renumbered claim 1: a certificate of its own.
fn only_claim(text: &str, number: usize) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let head = lines.iter().position(|l| l.starts_with("claim ")).expect("a claim");
    let start = lines
        .iter()
        .position(|l| l.starts_with(&format!("claim {number}: ")))
        .unwrap_or_else(|| panic!("no claim {number}"));
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.starts_with("claim "))
        .map_or(lines.len(), |p| start + 1 + p);
    let renamed = lines[start].replacen(&format!("claim {number}: "), "claim 1: ", 1);
    let mut out: Vec<&str> = lines[..head].to_vec();
    out.push(&renamed);
    out.extend(&lines[start + 1..end]);
    let mut text = out.join("\n");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// The basis lines `LABEL basis J: ..` of the first proof labelled `label`, and its header line.
fn proof_lines<'a>(text: &'a str, label: &str) -> (&'a str, Vec<&'a str>) {
    let header = lines_with(text, &format!("  {label}: "))[0];
    let rows = text
        .split('\n')
        .skip_while(|l| *l != header)
        .skip(1)
        .take_while(|l| l.starts_with(&format!("  {label} basis ")))
        .collect();
    (header, rows)
}

/// `text` with the proof `label`'s basis replaced by `rows` (row texts `1:1 21:-1`), its header
/// saying `states` states (the stated count when `None`) and the number of rows.
fn with_basis(text: &str, label: &str, states: Option<usize>, rows: &[String]) -> String {
    let (header, old) = proof_lines(text, label);
    let stated: usize = header
        .strip_prefix(&format!("  {label}: "))
        .and_then(|h| h.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("a state count");
    let new_header = format!(
        "  {label}: {} states, {} basis rows",
        states.unwrap_or(stated),
        rows.len()
    );
    let new_rows: Vec<String> = rows
        .iter()
        .enumerate()
        .map(|(j, r)| format!("  {label} basis {}: {r}", j + 1))
        .collect();
    let lines: Vec<&str> = text.split('\n').collect();
    let at = lines.iter().position(|l| *l == header).expect("the proof header");
    let mut out: Vec<String> = lines[..at].iter().map(|l| l.to_string()).collect();
    out.push(new_header);
    out.extend(new_rows);
    out.extend(lines[at + 1 + old.len()..].iter().map(|l| l.to_string()));
    out.join("\n")
}

/// The row texts of proof `label`'s basis.
fn basis_rows(text: &str, label: &str) -> Vec<String> {
    proof_lines(text, label)
        .1
        .iter()
        .map(|l| l.split_once(": ").expect("a basis line").1.to_string())
        .collect()
}

fn closure_fault<'a>(what: &'a str, fault: impl Fn(&ClosureFault) -> bool + 'a) -> impl Fn(&Reason) -> bool + 'a {
    move |reason| matches!(reason, Reason::EveryDepth(EveryDepthFault::Closure { what: w, fault: f }) if w == what && fault(f))
}

#[test]
fn a_dropped_or_swapped_basis_row_is_rejected() {
    let (_, _, text) = certificate("khrulkov-eq9", "n=2, r=2, d=even");
    let text = only_claim(text, 1);
    check(&text).unwrap();
    let label = "identity automaton";
    let rows = basis_rows(&text, label);
    assert_eq!(rows.len(), 4, "{text}");
    for j in 0..rows.len() {
        // The row dropped and the rest renumbered, the row count with it: a consistent listing
        // of a smaller span, which the closure check rejects.
        let mut fewer = rows.clone();
        fewer.remove(j);
        let dropped = with_basis(&text, label, None, &fewer);
        let r = reason(&dropped);
        assert!(
            closure_fault(label, |f| matches!(
                f,
                ClosureFault::Initial | ClosureFault::NotClosed { .. }
            ))(&r),
            "row {} dropped: {r:?}",
            j + 1
        );
        // Only the line dropped: the count says there is one more.
        let line = format!("  {label} basis {}: {}", j + 1, rows[j]);
        let cut = with_line(&text, &line, &[]);
        assert!(check(&cut).is_err(), "row {} dropped, count kept", j + 1);
    }
    for (a, b) in [(0, 1), (1, 2), (0, 3)] {
        let mut swapped = rows.clone();
        swapped.swap(a, b);
        let r = reason(&with_basis(&text, label, None, &swapped));
        assert!(
            closure_fault(label, |f| matches!(f, ClosureFault::NotEchelon { .. }))(&r),
            "rows {} and {b} swapped: {r:?}",
            a + 1
        );
    }
    // A row repeated in place of another: not echelon either.
    let mut repeated = rows.clone();
    repeated[1] = rows[0].clone();
    assert!(closure_fault(label, |f| matches!(f, ClosureFault::NotEchelon { .. }))(
        &reason(&with_basis(&text, label, None, &repeated))
    ));
}

#[test]
fn the_depths_line_must_say_the_instances_depths() {
    let (_, _, text) = certificate("khrulkov-eq9", "n=2, r=2, d=even");
    for other in [
        "every even d >= 4",
        "every d >= 2",
        "every even d >= 3",
        "every even d >= 2 ",
    ] {
        let changed = with_line(text, "depths: every even d >= 2", &[&format!("depths: {other}")]);
        assert_eq!(
            reason(&changed),
            Reason::EveryDepth(EveryDepthFault::DepthsLine {
                should_read: "every even d >= 2".into()
            }),
            "{other}"
        );
    }
    // The depths restated consistently (instance, depths line, statements) as every even d >= 4:
    // a weaker claim, but the bases are for the automaton of every even d >= 2 (its length DFA
    // counts to 2, not 4), and the kernel builds the other one.
    let weaker = text
        .replace("instance: n=2, r=2, d=even\n", "instance: n=2, r=2, d=even>=4\n")
        .replace("depths: every even d >= 2\n", "depths: every even d >= 4\n")
        .replace("statement: for every even d >= 2,", "statement: for every even d >= 4,");
    assert!(matches!(
        reason(&weaker),
        Reason::EveryDepth(EveryDepthFault::States { what, stated: 36, built: 54 }) if what == "identity automaton"
    ));
    // The depth in the instance line alone.
    let label_only = text.replace("instance: n=2, r=2, d=even\n", "instance: n=2, r=2, d=all\n");
    assert!(matches!(
        reason(&label_only),
        Reason::EveryDepth(EveryDepthFault::DepthsLine { .. })
    ));
}

/// `core` with the entry at the 0-based `(a, i, b)` set to `value`.
fn with_entry(core: &Core, at: (usize, usize, usize), value: i64) -> Core {
    let (l, n, r) = core.shape();
    Core::from_fn(l, n, r, |a, i, b| {
        Ok::<_, ()>(if (a, i, b) == at {
            Q::from_integer(value.into())
        } else {
            core.get(a, i, b).clone()
        })
    })
    .expect("a core")
}

/// A core entry changed with its digest recomputed: the certificate lists other cores
/// consistently, and only the kernel's own automaton of them can tell that the bases and state
/// sets no longer prove the claims. Eq. (9) at n = r = 2, claim by claim.
#[test]
fn a_changed_core_with_its_digest_is_caught_by_the_kernels_automaton() {
    let (_, result, text) = certificate("khrulkov-eq9", "n=2, r=2, d=even");
    let train = &result.instance.every_depth.as_ref().expect("every depth").train;
    // middle1 (positions k >= 3 with k odd, 1 x 2 x 2) is [i == b]; its entry [1,1,1] made 2
    // doubles X_d at every index with i_k = 1 at some odd k >= 3: X_4[1,1,1,1] = 2.
    let doubled = replace_core(text, "middle1", &with_entry(&train.middle[1], (0, 0, 0), 2));
    let identity = reason(&only_claim(&doubled, 1));
    assert!(closure_fault("identity automaton", |_| true)(&identity), "{identity:?}");
    for claim in [2, 3] {
        // Still zero off the diagonal; the diagonal is no longer lambda * prod mu.
        let r = reason(&only_claim(&doubled, claim));
        assert!(closure_fault("diagonal", |_| true)(&r), "claim {claim}: {r:?}");
    }
    // The support is unchanged (a non-zero entry stays non-zero): the claim still holds, and the
    // kernel confirms it on the changed cores.
    check(&only_claim(&doubled, 4)).unwrap_or_else(|e| panic!("{e}"));
    // middle1[1,1,2] made 1: reading i_k = 1 at odd k >= 3 may now go to bond value 2, off the
    // path a_k = i_k.
    let off_path = replace_core(text, "middle1", &with_entry(&train.middle[1], (0, 0, 1), 1));
    let r = reason(&only_claim(&off_path, 4));
    assert!(matches!(r, Reason::EveryDepth(EveryDepthFault::Trim(_))), "{r:?}");
    let r = reason(&only_claim(&off_path, 1));
    assert!(closure_fault("identity automaton", |_| true)(&r), "{r:?}");
    // A counterexample certificate recomputes its entry from the changed cores: the copy
    // tensor's X_4[1,1,2,2] = 0 becomes 1 with the inner core's [1,2,2] = 1 (bonds 1, 1, 2),
    // where the identity has 1: no counterexample any more. With [2,1,1] = 1 instead,
    // X_4[1,1,2,2] stays 0 (bond 2 is never reached before i_3 = 2 is read from bond 1): still
    // a counterexample, and the kernel confirms it. (An equal-core train: both middle cores
    // listed are the inner core, changed alike.)
    let (_, result, text) = certificate("copy", "n=2, r=2, d=even");
    let train = &result.instance.every_depth.as_ref().expect("every depth").train;
    let changed = |at| {
        let inner = with_entry(&train.middle[1], at, 1);
        only_claim(
            &replace_core(&replace_core(text, "middle0", &inner), "middle1", &inner),
            1,
        )
    };
    assert!(matches!(
        reason(&changed((0, 1, 1))),
        Reason::Counterexample(Counterexample::NotOffPath)
    ));
    check(&changed((1, 0, 0))).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_triangular_certificate_names_the_side_that_is_zero() {
    let natural = "x before y in the big-endian order over the natural letter order";
    let reversed = "x before y in the big-endian order over the reversed letter order";
    for (id, from, to) in [
        ("lower-triangular", natural, reversed),
        ("upper-triangular", reversed, natural),
    ] {
        let (_, _, text) = certificate(id, "n=3, r=3, d=even>=4");
        for claim in [1, 2] {
            let one = only_claim(text, claim);
            check(&one).unwrap();
            assert!(one.contains(from), "{one}");
            let r = reason(&one.replacen(from, to, 1));
            assert!(
                closure_fault("zero side", |f| matches!(f, ClosureFault::Final { .. }))(&r),
                "{id}, claim {claim}: {r:?}"
            );
        }
    }
    // Eq. (9)'s block is the identity, zero on both sides: triangular in either order, so the
    // same basis proves the other side zero too (the product automata differ only in which DFA
    // state accepts, and no reachable vector has weight on either), and the kernel confirms it.
    let (_, _, text) = certificate("khrulkov-eq9", "n=3, r=3, d=even");
    let one = only_claim(text, 2);
    assert!(one.contains(natural));
    check(&one.replacen(natural, reversed, 1)).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn lambda_and_mu_must_be_the_diagonals() {
    let (_, _, text) = certificate("lower-triangular", "n=3, r=3, d=even>=4");
    let one = only_claim(text, 1);
    for (old, new) in [
        ("lambda = 2 and", "lambda = 1 and"),
        ("lambda = 2 and", "lambda = 4 and"),
        ("mu = (1,3/2,2)", "mu = (1,3/2,3)"),
        ("mu = (1,3/2,2)", "mu = (3/2,1,2)"),
        ("mu = (1,3/2,2)", "mu = (2,3,4)"),
    ] {
        let r = reason(&one.replacen(old, new, 1));
        assert!(closure_fault("diagonal", |_| true)(&r), "{new}: {r:?}");
    }
    for zero in ["lambda = 0 and", "mu = (1,0,2)"] {
        let from = if zero.starts_with("lambda") {
            "lambda = 2 and"
        } else {
            "mu = (1,3/2,2)"
        };
        assert_eq!(
            reason(&one.replacen(from, zero, 1)),
            Reason::EveryDepth(EveryDepthFault::ZeroDiagonal)
        );
    }
    // One mu too few or too many.
    for mu in ["mu = (1,3/2)", "mu = (1,3/2,2,2)"] {
        assert_eq!(
            reason(&one.replacen("mu = (1,3/2,2)", mu, 1)),
            Reason::EveryDepth(EveryDepthFault::ZeroDiagonal)
        );
    }
}

/// The automaton the kernel builds for a claim, from the instance's train, found by the state
/// count the kernel reports for a stated 0.
fn built_states(text: &str, label: &str) -> usize {
    let (header, _) = proof_lines(text, label);
    let zero = with_line(text, header, &[&format!("  {label}: 0 states, 0 basis rows")]);
    match reason(&zero) {
        Reason::EveryDepth(EveryDepthFault::States { built, .. }) => built,
        other => panic!("{other:?}"),
    }
}

/// A failing claim said to hold: with its counterexample, the kernel finds FAILS; with a basis
/// made up for it, the basis does not prove the automaton zero (the whole space is closed and
/// holds the initial vector, but not every final value is 0; the empty basis misses the initial
/// vector); with state sets made up, an edge off the path lies between them.
#[test]
fn a_failing_claim_said_to_hold_is_rejected() {
    let (_, _, text) = certificate("copy", "n=2, r=2, d=even");
    for claim in [1, 2, 5] {
        let one = only_claim(text, claim);
        let holds = one.replacen(
            "  verdict: fails (as expected)",
            "  verdict: holds (NOT AS EXPECTED)",
            1,
        );
        assert!(
            matches!(
                reason(&holds),
                Reason::Verdict {
                    found: Verdict::Fails,
                    ..
                }
            ),
            "claim {claim}"
        );
    }
    // The identity claim with the holds evidence and a basis.
    let one = only_claim(text, 1);
    let evidence = evidence_of(&one, 1).to_string();
    let holds_evidence = "  evidence: X_d - [x = y], read in pairs, is zero for every d: the basis rows below span its reachable vectors, hold the initial vector, are closed under every pair of letters and have final value 0";
    let label = "identity automaton";
    let stated = |rows: &[String], states: usize| {
        let mut lines = vec![
            holds_evidence.to_string(),
            format!("  {label}: {states} states, {} basis rows", rows.len()),
        ];
        lines.extend(
            rows.iter()
                .enumerate()
                .map(|(j, r)| format!("  {label} basis {}: {r}", j + 1)),
        );
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        with_line(&one, &evidence, &lines)
            .replacen(
                "  verdict: fails (as expected)",
                "  verdict: holds (NOT AS EXPECTED)",
                1,
            )
            .replace(
                "\n#   least d: the breadth-first search over word length found no difference at a smaller d",
                "",
            )
    };
    let states = built_states(&stated(&[], 0), label);
    assert!(closure_fault(label, |f| *f == ClosureFault::Initial)(&reason(&stated(
        &[],
        states
    ))));
    let whole: Vec<String> = (1..=states).map(|t| format!("{t}:1")).collect();
    assert!(closure_fault(label, |f| matches!(f, ClosureFault::Final { .. }))(
        &reason(&stated(&whole, states))
    ));
    // The wrong support path with the holds evidence and every state in both sets.
    let one = only_claim(text, 5);
    let evidence = evidence_of(&one, 1).to_string();
    let with_sets = |states: usize, listed: usize| {
        let all = if listed == 0 {
            String::new()
        } else {
            format!("1-{listed}")
        };
        let summary = format!("  evidence: for every d, every path of non-zero core entries from start to end follows the claimed path: the {listed} states reachable from the start and the {listed} that reach the end are listed, closed under the edges, and no edge from the first set into the second leaves the path");
        let lines = [
            summary,
            format!("  support automaton: {states} states"),
            format!("  forward: {all}"),
            format!("  backward: {all}"),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        with_line(&one, &evidence, &lines).replacen(
            "  verdict: fails (as expected)",
            "  verdict: holds (NOT AS EXPECTED)",
            1,
        )
    };
    let states = match reason(&with_sets(0, 0)) {
        Reason::EveryDepth(EveryDepthFault::States { built, .. }) => built,
        other => panic!("{other:?}"),
    };
    assert!(matches!(
        reason(&with_sets(states, states)),
        Reason::EveryDepth(EveryDepthFault::Trim(TrimFault::Forbidden { .. }))
    ));
    assert!(matches!(
        reason(&with_sets(states, 1)),
        Reason::EveryDepth(EveryDepthFault::Trim(TrimFault::Boundary { forward: false, .. }))
    ));
}

/// A triangular certificate for the copy tensor's rank claim, which fails at d = 4: its zero
/// side is really zero (the basis from tnproof's own search of the kernel's automaton), but its
/// diagonal X_4[1,1,2,2] = 0 is no lambda * prod mu, and no basis makes it so.
#[test]
fn a_failing_rank_claim_with_a_true_zero_side_is_rejected_at_its_diagonal() {
    use tnproof::automaton::equivalence::{zero_check, ZeroCheck};
    use tnproof::automaton::tt::from_periodic_train;
    use tnproof_kernel::every_depth::{compared, Depths};
    let (_, result, text) = certificate("copy", "n=2, r=2, d=even");
    let every = result.instance.every_depth.as_ref().expect("every depth");
    let train = from_periodic_train(&every.train).expect("a train");
    let depths = Depths { even: true, least: 2 };
    let zero_side = compared(&train, depths, 2, std::cmp::Ordering::Less).expect("an automaton");
    let ZeroCheck::Zero { basis } = zero_check(&zero_side) else {
        panic!("the copy tensor is zero off the diagonal")
    };
    let row = |r: &Vec<(usize, Q)>| {
        r.iter()
            .map(|(t, v)| format!("{}:{}", t + 1, q_text(v)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let one = only_claim(text, 2);
    let evidence = evidence_of(&one, 1).to_string();
    let summary = "  evidence: for every d, on indices 1..2 X_d^((1,3,..,d-1),(2,4,..,d)) is 0 where x before y in the big-endian order over the natural letter order, and its diagonal is lambda * prod_j mu(x_j) with lambda = 1 and mu = (1,1), none 0: a triangular block with a non-zero diagonal, so the rank is >= 2^(d/2)";
    let build = |diagonal_states: usize, diagonal: &[String]| {
        let mut lines = vec![
            summary.to_string(),
            format!("  zero side: {} states, {} basis rows", zero_side.states(), basis.len()),
        ];
        lines.extend(
            basis
                .iter()
                .enumerate()
                .map(|(j, r)| format!("  zero side basis {}: {}", j + 1, row(r))),
        );
        lines.push(format!(
            "  diagonal: {diagonal_states} states, {} basis rows",
            diagonal.len()
        ));
        lines.extend(
            diagonal
                .iter()
                .enumerate()
                .map(|(j, r)| format!("  diagonal basis {}: {r}", j + 1)),
        );
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let minor: Vec<String> = lines_with(&one, "  minor ").iter().map(|l| l.to_string()).collect();
        let mut text = with_line(&one, &evidence, &lines).replacen(
            "  verdict: fails (as expected)",
            "  verdict: holds (NOT AS EXPECTED)",
            1,
        );
        for m in minor {
            text = with_line(&text, &m, &[]);
        }
        text
    };
    let states = match reason(&build(0, &[])) {
        Reason::EveryDepth(EveryDepthFault::States { what, built, .. }) if what == "diagonal" => built,
        other => panic!("{other:?}"),
    };
    assert!(closure_fault("diagonal", |f| *f == ClosureFault::Initial)(&reason(
        &build(states, &[])
    )));
    let whole: Vec<String> = (1..=states).map(|t| format!("{t}:1")).collect();
    assert!(closure_fault("diagonal", |f| matches!(f, ClosureFault::Final { .. }))(
        &reason(&build(states, &whole))
    ));
}

/// A CP-rank bound whose matricization rank at some d is below the claim is undecided, not
/// FAILS (Lemma 1 bounds the CP-rank from below only); likewise a rank claim with no certificate
/// either way.
#[test]
fn a_smaller_rank_leaves_a_cp_rank_claim_undecided() {
    let (_, _, text) = certificate("copy", "n=2, r=2, d=even");
    let one = only_claim(text, 3);
    check(&one).unwrap();
    let fails = one.replacen(
        "  verdict: undecided (as expected)",
        "  verdict: fails (NOT AS EXPECTED)",
        1,
    );
    assert!(matches!(
        reason(&fails),
        Reason::Verdict {
            found: Verdict::Undecided,
            ..
        }
    ));
    // The matricization-rank claim's evidence (without Lemma 1's clause) is not the CP claim's.
    let evidence = evidence_of(&one, 1).to_string();
    let bare = evidence.split("; by Lemma 1").next().expect("the evidence").to_string();
    let r = reason(&with_line(&fails, &evidence, &[&bare]));
    assert!(
        matches!(&r, Reason::Evidence { should_read } if should_read.ends_with("a disproof would be a CP decomposition of rank < 4")),
        "{r:?}"
    );
    // Eq. (9) with a special last core: no triangular certificate, no smaller rank found.
    let (_, _, text) = certificate("eq9-special-last", "n=2, r=2, d=even>=4");
    let one = only_claim(text, 2);
    check(&one).unwrap();
    for word in ["fails", "holds"] {
        let said = one.replacen(
            "  verdict: undecided (as expected)",
            &format!("  verdict: {word} (NOT AS EXPECTED)"),
            1,
        );
        assert!(matches!(
            reason(&said),
            Reason::Verdict {
                found: Verdict::Undecided,
                ..
            }
        ));
    }
}

/// A counterexample must be at one of the depths: at d = 2 for every even d >= 4 it is refused
/// though X_2 would be a train of the same cores, and an odd d for even depths too.
#[test]
fn a_counterexample_outside_the_depths_is_refused() {
    let (_, _, text) = certificate("eq9-special-last", "n=2, r=2, d=even>=4");
    let one = only_claim(text, 1);
    let evidence = evidence_of(&one, 1).to_string();
    assert_eq!(
        evidence,
        "  evidence: at d = 4, X_4[1,1,1,1] = 2, but the identity has 1 there"
    );
    let moved = |d: usize| {
        let at = vec!["1"; d].join(",");
        with_line(
            &one,
            &evidence,
            &[&format!(
                "  evidence: at d = {d}, X_{d}[{at}] = 2, but the identity has 1 there"
            )],
        )
    };
    for d in [2, 3, 5, 66] {
        assert_eq!(
            reason(&moved(d)),
            Reason::EveryDepth(EveryDepthFault::Depth { d }),
            "d = {d}"
        );
    }
    // At d = 6 (X_6[1,1,1,1,1,1] = 2) it is a counterexample too, not the least one (the
    // certificate's `#` note says so, unchecked): a true certificate, confirmed.
    check(&moved(6)).unwrap_or_else(|e| panic!("{e}"));
}

/// The construction line's kind is checked against the cores: a `tt-equal` train repeats one
/// inner core, so middle cores that differ (one entry of middle1 doubled, its digest made to
/// fit) are refused though the support claim still holds of them; the same cores called `tt`
/// are confirmed.
#[test]
fn a_tt_equal_certificate_repeats_one_inner_core() {
    let (_, result, text) = certificate("alkin-equal-core-all", "n=2, r=3, d=all>=3");
    let train = &result.instance.every_depth.as_ref().expect("every depth").train;
    assert_eq!(train.middle[0], train.middle[1]);
    let changed = only_claim(
        &replace_core(text, "middle1", &with_entry(&train.middle[1], (2, 0, 0), 2)),
        1,
    );
    assert!(matches!(
        reason(&changed),
        Reason::EveryDepth(EveryDepthFault::Train { why }) if why.contains("tt-equal train repeats one inner core")
    ));
    let as_tt = changed.replacen(
        "construction: tt-equal, every depth,",
        "construction: tt, every depth,",
        1,
    );
    check(&as_tt).unwrap_or_else(|e| panic!("{e}"));
}

/// A counterexample's index is read in the one form the checker writes: bare in an entry
/// `X_4[1,1,2,2]`, a tuple after `indices`.
#[test]
fn counterexample_indices_have_one_form() {
    let (_, _, text) = certificate("copy", "n=2, r=2, d=even");
    let malformed = |r: &Reason| matches!(r, Reason::Malformed { .. } | Reason::NotA { .. });
    for (old, new) in [
        ("X_4[1,1,2,2]", "X_4[((1,1,2,2]"),
        ("X_4[1,1,2,2]", "X_4[(1,1,2,2)]"),
        ("X_4[1,1,2,2]", "X_4[1,1,2,2)]"),
        ("indices (2,2,2,2)", "indices ((2,2,2,2)))"),
        ("indices (2,2,2,2)", "indices 2,2,2,2"),
        ("indices (2,2,2,2)", "indices ((2,2,2,2))"),
    ] {
        let r = reason(&text.replacen(old, new, 1));
        assert!(malformed(&r), "{new}: {r:?}");
    }
}

/// A certificate whose cores declare a mode size far beyond their listed entries (n = 3000,
/// 1 x n x 1 cores of ones, 9000 entry lines) claiming the identity on the whole block: the
/// automaton in pairs would have 9 million letters, and the kernel refuses it as over its budget
/// before building it (it used to build it first: minutes and gigabytes, and at n = 10^5 more
/// than any machine has).
#[test]
fn a_huge_declared_mode_size_is_over_budget_before_its_automaton_is_built() {
    let n = 3000;
    let ones = Core::from_fn(1, n, 1, |_, _, _| Ok::<_, ()>(Q::from_integer(1.into()))).expect("a core");
    let block = |name: &str| {
        let mut lines = vec![format!(
            "core {name}: 1x{n}x1, {n} non-zero entries, sha256 {}",
            core_sha256(name, &ones)
        )];
        lines.extend((1..=n).map(|i| format!("  {name}[1,{i},1] = 1")));
        lines.join("\n")
    };
    let head = format!(
        "tnproof certificate 2\ninstance: n={n}, d=even\nconventions: {}\ndepths: every even d >= 2\nconstruction: tt-equal, every depth, mode size {n}, period 1, bond dimensions by class (1)\n{}\n{}\n{}\n",
        tnproof_kernel::CONVENTIONS,
        block("first"),
        block("inner"),
        block("last")
    );
    let identity = format!(
        "claim 1: identity-submatrix\n  from: matricization = \"odd-even\"\n  from: q = \"n\"\n  statement: for every even d >= 2, X_d^((1,3,..,d-1),(2,4,..,d)) restricted to indices 1..{n} is the identity matrix\n  expected: holds\n  verdict: holds (as expected)\n  evidence: X_d - [x = y], read in pairs, is zero for every d: the basis rows below span its reachable vectors, hold the initial vector, are closed under every pair of letters and have final value 0\n  identity automaton: 1 states, 0 basis rows\n"
    );
    assert_eq!(
        reason(&format!("{head}{identity}")),
        Reason::OverBudget(tnproof_kernel::Budget::Automaton)
    );
    let rank = format!(
        "claim 1: matricization-rank\n  from: matricization = \"odd-even\"\n  from: at-least = \"n^(d/2)\"\n  statement: for every even d >= 2, rank X_d^((1,3,..,d-1),(2,4,..,d)) >= {n}^(d/2)\n  expected: holds\n  verdict: holds (as expected)\n  evidence: for every d, on indices 1..{n} X_d^((1,3,..,d-1),(2,4,..,d)) is 0 where x before y in the big-endian order over the natural letter order, and its diagonal is lambda * prod_j mu(x_j) with lambda = 1 and mu = ({}), none 0: a triangular block with a non-zero diagonal, so the rank is >= {n}^(d/2)\n  zero side: 1 states, 0 basis rows\n",
        vec!["1"; n].join(",")
    );
    assert_eq!(
        reason(&format!("{head}{rank}")),
        Reason::OverBudget(tnproof_kernel::Budget::Automaton)
    );
}
