//! The kernel on certificates of CP-rank bounds: it confirms the certificates of the CP cases
//! (explicit CP networks with and without weights, trains expanded over their bond paths, random
//! CP draws), and rejects every single-number change of their checked lines (each digit run
//! plus one and minus one) except where the changed certificate can still be true (`STILL_TRUE`:
//! a parameter, a let, a quoted key, an expectation's condition, another minor). Then targeted
//! changes: a core changed together with its digest is seen through the decomposition the
//! kernel rebuilds, and verdicts are said to fail without a disproof or to hold against one.

mod common;

use common::{certificates_of, replace_core, single_number_changes, w_state};
use std::sync::OnceLock;
use tnproof::case::{parse_case, ResourceLimit};
use tnproof::certificate::render;
use tnproof::network::{Core, Network};
use tnproof::run::decide;
use tnproof_kernel::{check, NoDisproof, Reason, Verdict};

/// The certificates measured: every instance of the two CP cases, two points of each train case
/// with a `cp-rank-upper-bound` claim, and four random CP draws.
fn certificates() -> &'static [(String, String)] {
    static CERTIFICATES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    CERTIFICATES.get_or_init(|| {
        [
            certificates_of("cp-power-sums.toml", &[]),
            certificates_of("cp-w-state.toml", &[]),
            certificates_of(
                "khrulkov2018-theorem1.toml",
                &[("n", &[2, 3]), ("r", &[3]), ("d", &[4])],
            ),
            certificates_of("khrulkov2018-similarity.toml", &[("n", &[2, 3]), ("d", &[4])]),
            certificates_of("random-cp.toml", &[("n", &[2]), ("r", &[2, 3]), ("d", &[4, 6])]),
        ]
        .concat()
    })
}

/// The reason the kernel gives for `text`, which it must reject.
fn reason(text: &str) -> Reason {
    check(text).map_or_else(|r| r.reason, |_| panic!("the kernel confirms:\n{text}"))
}

/// Lines in which a changed number can leave a true certificate: a parameter no quoted
/// expression uses, a let or a quoted expression or condition with the same value here, another
/// non-singular minor.
const STILL_TRUE: [&str; 5] = ["instance: ", "let: ", "  from: ", "  expected: ", "  minor "];

#[test]
fn every_single_number_change_of_a_cp_certificate_is_rejected_or_still_true() {
    let certificates = certificates();
    assert_eq!(certificates.len(), 16 + 5 + 2 + 2 + 4);
    let (changes, confirmed) = single_number_changes(certificates);
    eprintln!(
        "CP certificates: {changes} single-number changes of {} certificates, {} rejected, {} confirmed",
        certificates.len(),
        changes - confirmed.len(),
        confirmed.len()
    );
    let mut kinds: Vec<&str> = confirmed
        .iter()
        .filter_map(|l| {
            STILL_TRUE
                .iter()
                .find(|p| l.split_once(": ").is_some_and(|(_, c)| c.starts_with(*p)))
        })
        .copied()
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    eprintln!("  confirmed only in lines starting {kinds:?}");
    for line in &confirmed {
        let changed = line.split_once(": ").map_or("", |(_, l)| l);
        assert!(
            STILL_TRUE.iter().any(|p| changed.starts_with(p)),
            "a changed number the kernel confirms outside the lines that can stay true: {line}"
        );
    }
    assert!(changes > 5000, "{changes} changes");
}

/// The certificate of a case written inline at its one point.
fn certificate_of(text: &str) -> String {
    let case = parse_case("case.toml", text).unwrap_or_else(|e| panic!("{e}"));
    render(&case, &decide(case.instances(ResourceLimit::default()).unwrap())[0])
}

/// `text` with the verdict line of claim `number` said to be `verdict`, its mark kept.
fn said(text: &str, number: usize, verdict: &str) -> String {
    let mut in_claim = false;
    text.split('\n')
        .map(|line| {
            if line.starts_with("claim ") {
                in_claim = line.starts_with(&format!("claim {number}: "));
            }
            match line.strip_prefix("  verdict: ") {
                Some(rest) if in_claim => {
                    let (_, mark) = rest.split_once(' ').unwrap();
                    format!("  verdict: {verdict} {mark}")
                }
                _ => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The W state at d = 3 with: 1 rank_CP <= 3 (holds), 2 rank_CP >= 3 (undecided: Lemma 1 gives
/// 2 through (1),(2,3), the terms 3), 3 rank_CP <= 2 (undecided), 4 rank_CP >= 4 (fails: 3 terms).
fn w_state_certificate() -> String {
    let claim = |kind: &str, relation: &str, bound: i64, expect: &str| {
        format!("[[claim]]\nkind = \"{kind}\"\nrows = \"m == 1\"\n{relation} = \"{bound}\"\nexpect = \"{expect}\"\n")
    };
    let claims = [
        claim("cp-rank-upper-bound", "at-most", 3, "holds"),
        claim("cp-rank-lower-bound", "at-least", 3, "undecided"),
        claim("cp-rank-upper-bound", "at-most", 2, "undecided"),
        claim("cp-rank-lower-bound", "at-least", 4, "fails"),
    ];
    let text = certificate_of(&w_state(3, &claims.concat()));
    assert_eq!(check(&text).map(|c| c.claims), Ok(4));
    text
}

/// Without a disproof FAILS is rejected, for either bound; with one, HOLDS is.
#[test]
fn cp_rank_bounds_fail_only_by_a_disproof_the_kernel_checks() {
    let text = w_state_certificate();
    assert_eq!(
        reason(&said(&text, 2, "fails")),
        Reason::NoDisproof(NoDisproof::CpRank { found: 2, bound: 3 })
    );
    assert_eq!(
        reason(&said(&text, 3, "fails")),
        Reason::NoDisproof(NoDisproof::CpRankUpper {
            lower: Some(2),
            bound: 2
        })
    );
    for (number, found) in [(1, Verdict::Holds), (4, Verdict::Fails)] {
        assert!(
            matches!(reason(&said(&text, number, "undecided")), Reason::Verdict { found: f, .. } if f == found),
            "claim {number}"
        );
    }
    // On random cores the bound is the decomposition every draw has: r = 2 terms, not 1.
    let random = certificate_of("[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"random-cp\"\nn = 2\nr = 2\nd = 4\nseed = 1\n[[claim]]\nkind = \"cp-rank-upper-bound\"\nat-most = \"1\"\nexpect = \"undecided\"\n");
    assert!(random.contains("so rank_CP X <= 2 for every draw"), "{random}");
    check(&random).unwrap();
    assert_eq!(
        reason(&said(&random, 1, "fails")),
        Reason::NoDisproof(NoDisproof::CpRankUpper { lower: None, bound: 1 })
    );
}

/// The kernel rebuilds the decomposition from the listed cores: V_1 without its entry
/// V_1[1,2,1] (term 1's e_2 at mode 1), listed with its own digest, leaves 2 non-zero terms,
/// and the evidence that counts 3 is rejected with what the kernel finds (the claim names no
/// matricization, so only the decomposition can tell).
#[test]
fn a_changed_factor_is_seen_through_the_rebuilt_decomposition() {
    let case = parse_case(
        "case.toml",
        &w_state(3, "[[claim]]\nkind = \"cp-rank-upper-bound\"\nat-most = \"3\""),
    )
    .unwrap();
    let result = &decide(case.instances(ResourceLimit::default()).unwrap())[0];
    let text = render(&case, result);
    let Network::Cp { factors, .. } = &result.instance.network else {
        panic!("a CP network")
    };
    let v1 = &factors[0];
    let changed = Core::from_fn(1, 2, 3, |a, i, b| {
        Ok::<_, ()>(if (a, i, b) == (0, 1, 0) {
            tnproof::field::q_int(0)
        } else {
            v1.get(a, i, b).clone()
        })
    })
    .unwrap();
    match reason(&replace_core(&text, "V1", &changed)) {
        Reason::Evidence { should_read } => assert!(
            should_read.starts_with(
                "X is the sum of the network's 3 terms V_1[1,:,a] (x) ... (x) V_d[1,:,a]; 2 of them are non-zero"
            ),
            "{should_read}"
        ),
        other => panic!("rejected for another reason: {other}"),
    }
}
