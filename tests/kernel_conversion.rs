//! The kernel on certificates of conversions (an HT as a TT, a TT as an HT, CP networks as both):
//! it confirms them, rejects every single-number change of their checked lines except where
//! the changed certificate can still be true (`STILL_TRUE`), and sees a converted core changed
//! together with its digest through the tensor it contracts itself. The CP cases' conversions
//! are in `kernel_cp`'s measurement too.

mod common;

use common::{certificates_of, replace_core_indented, single_number_changes};
use tnproof::case::{parse_case, ResourceLimit};
use tnproof::certificate::render;
use tnproof::network::Core;
use tnproof::run::decide;
use tnproof_kernel::{check, Reason};

/// The GHZ tensor e1 (x) e1 (x) e1 + e2 (x) e2 (x) e2 as a TT (failing: bond 1 of X has rank 2)
/// and as an HT of ranks 2 (holding).
const GHZ: &str = "[case]\nid = \"ghz\"\nsource = \"test\"\n[construction]\nkind = \"cp\"\nn = 2\nd = 3\nrank = \"2\"\n[construction.cores]\nfactor = \"[i == a]\"\n[[claim]]\nkind = \"conversion\"\nto = \"tt\"\nat-most = \"1\"\nexpect = \"fails\"\n[[claim]]\nkind = \"conversion\"\nto = \"ht\"\nat-most = \"2\"\n";

fn ghz() -> String {
    let case = parse_case("ghz.toml", GHZ).unwrap_or_else(|e| panic!("{e}"));
    render(&case, &decide(case.instances(ResourceLimit::default()).unwrap())[0])
}

/// Lines where a changed number can leave a true certificate: a parameter no quoted expression
/// uses, a quoted expression with the same value here, another non-singular minor.
const STILL_TRUE: [&str; 4] = ["instance: ", "  from: ", "  expected: ", "  minor "];

#[test]
fn every_single_number_change_of_a_conversion_certificate_is_rejected_or_still_true() {
    let certificates: Vec<(String, String)> = [
        certificates_of(
            "khrulkov2018-theorem2-ht-to-tt.toml",
            &[("n", &[2]), ("r", &[2]), ("d", &[4, 8])],
        ),
        certificates_of(
            "khrulkov2018-theorem2-tt-to-ht.toml",
            &[("n", &[2]), ("r", &[2]), ("d", &[4])],
        ),
        vec![("ghz".to_string(), ghz())],
    ]
    .concat();
    let (changes, confirmed) = single_number_changes(&certificates);
    eprintln!(
        "conversion certificates: {changes} single-number changes of {} certificates, {} rejected, {} confirmed",
        certificates.len(),
        changes - confirmed.len(),
        confirmed.len()
    );
    for line in &confirmed {
        let changed = line.split_once(": ").map_or("", |(_, l)| l);
        assert!(
            STILL_TRUE.iter().any(|p| changed.starts_with(p)),
            "a changed number the kernel confirms outside the lines that can stay true: {line}"
        );
    }
    assert!(changes > 2000, "{changes} changes");
}

#[test]
fn a_converted_core_changed_with_its_digest_is_seen_through_the_tensor() {
    let text = ghz();
    // The diagonal train's first core G1[1,i,a] = [i == a], here with G1[1,2,2] = 2: the listing
    // is consistent, but its tensor has X[2,2,2] = 2 where X has 1.
    let changed = Core::from_fn(1, 2, 2, |_, i, a| {
        Ok::<_, ()>(tnproof::field::q_int(if i == a { 1 + (i == 1) as i64 } else { 0 }))
    })
    .unwrap();
    let tampered = replace_core_indented(&text, "G1", &changed, "  ");
    let rejection = check(&tampered).map_or_else(|r| r, |_| panic!("the kernel confirms:\n{tampered}"));
    match rejection.reason {
        Reason::Evidence { should_read } => assert_eq!(
            should_read,
            "the converted TT is not X: at (2,2,2) X = 1, the TT gives 2; nothing is shown"
        ),
        other => panic!("rejected for another reason: {other}"),
    }
}

#[test]
fn a_failing_conversion_said_to_hold_is_rejected() {
    let text = ghz();
    let tampered = text.replacen(
        "  verdict: fails (as expected)",
        "  verdict: holds (NOT AS EXPECTED)",
        1,
    );
    assert_ne!(tampered, text);
    assert!(matches!(
        check(&tampered).map_err(|r| r.reason),
        Err(Reason::Verdict { .. })
    ));
}
