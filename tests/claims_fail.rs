//! Every claim kind can come out FAILS, with the counterexample a reader can check by hand.
//! Each test perturbs a construction (or asks for too much) and pins the evidence, worked out
//! by hand in the comment above it, not copied from the program.

mod common;

use common::{alkin, khrulkov, lemma6, run_case, ALKIN_INNER, KHRULKOV_CORE, LEMMA6_G};
use tnproof::claim::{Evidence, Verdict};
use tnproof::field::q_int;

fn single_outcome(text: &str) -> tnproof::claim::Outcome {
    let results = run_case(text);
    assert_eq!(results.len(), 1);
    results[0].outcomes[0].clone()
}

/// One extra entry G_3[1,2,1] = 1 in the n = r = 2, d = 4 witness gives
/// X = [i1 = i2] ([i3 = i4] + [i3 = 2][i4 = 1]). In big-endian order of rows (i1,i3) and columns
/// (i2,i4), the first wrong entry is row (1,2), column (1,1): X[1,1,2,1] = 1 where the identity has 0.
#[test]
fn identity_submatrix_fails_on_a_perturbed_core() {
    let core = "if k % 2 == 1 { [i == b] + [k == 3 && i == 2 && b == 1] } else { [i == a] }";
    let outcome = single_outcome(&khrulkov(
        2,
        2,
        4,
        core,
        "[[claim]]\nkind = \"identity-submatrix\"\nmatricization = \"odd-even\"\nq = \"q\"",
    ));
    assert_eq!(outcome.verdict, Verdict::Fails);
    assert_eq!(
        outcome.evidence,
        Evidence::EntryDiffers {
            index: vec![0, 0, 1, 0],
            expected: q_int(0),
            actual: q_int(1)
        }
    );
}

/// Rows = mode 1 alone, columns = modes 2..4: the block on [2]^4 is 2 x 8, not square.
#[test]
fn identity_submatrix_fails_when_the_block_is_not_square() {
    let outcome = single_outcome(&khrulkov(
        2,
        2,
        4,
        KHRULKOV_CORE,
        "[[claim]]\nkind = \"identity-submatrix\"\nrows = \"m == 1\"\nq = \"q\"",
    ));
    assert_eq!(outcome.verdict, Verdict::Fails);
    assert_eq!(outcome.evidence, Evidence::NotSquare { q: 2, rows: 2, cols: 8 });
}

/// X = [i1 = i2][i3 = i4] on n = 2 has odd/even matricization I_4: rank 4, so "at least 5" fails
/// with the rank found and "at most 3" fails with a non-singular 4 x 4 minor (all rows, all columns).
#[test]
fn matricization_rank_fails_both_ways_with_the_rank_found() {
    for (relation, bound) in [("at-least", 5), ("at-most", 3), ("equal", 3)] {
        let claim =
            format!("[[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\n{relation} = \"{bound}\"");
        let outcome = single_outcome(&khrulkov(2, 2, 4, KHRULKOV_CORE, &claim));
        assert_eq!(outcome.verdict, Verdict::Fails, "{relation} {bound}");
        let Evidence::Rank { witness, shape, .. } = outcome.evidence else {
            panic!("rank evidence")
        };
        assert_eq!((witness.rank, shape), (4, (4, 4)));
        assert_eq!((witness.rows, witness.cols), (vec![0, 1, 2, 3], vec![0, 1, 2, 3]));
    }
}

/// Dropping the entry for i = 2 from G_1 (n = r = 2, d = 4) leaves X = [i1 = i2 = 1][i3 = i4]: the
/// odd/even rank is 1 * 2 = 2, so Lemma 1 gives only rank_CP >= 2, short of q^(d/2) = 4.
#[test]
fn cp_rank_lower_bound_fails_when_the_matricization_rank_is_short() {
    let core = "if k % 2 == 1 { [i == b] * [k > 1 || i == 1] } else { [i == a] }";
    let outcome = single_outcome(&khrulkov(
        2,
        2,
        4,
        core,
        "[[claim]]\nkind = \"cp-rank-lower-bound\"\nmatricization = \"odd-even\"\nat-least = \"q^(d/2)\"",
    ));
    assert_eq!(outcome.verdict, Verdict::Fails);
    let Evidence::Rank { witness, .. } = outcome.evidence else {
        panic!("rank evidence")
    };
    assert_eq!(witness.rank, 2);
}

/// n = 2 < r = 3: the first unfolding of [i1 = i2 <= 3][i3 = i4 <= 3] has rank min(n, r) = 2,
/// so the printed TT-ranks (3,1,3) fail at bond 1; the true ones are (2,1,2).
#[test]
fn tt_ranks_fail_with_the_first_wrong_bond() {
    let outcome = single_outcome(&khrulkov(
        2,
        3,
        4,
        KHRULKOV_CORE,
        "[[claim]]\nkind = \"tt-ranks\"\nequal = \"if k % 2 == 1 { r } else { 1 }\"",
    ));
    assert_eq!(outcome.verdict, Verdict::Fails);
    let Evidence::TtRanks { unfoldings } = outcome.evidence else {
        panic!("tt-ranks evidence")
    };
    assert_eq!(unfoldings.iter().map(|u| u.rank).collect::<Vec<_>>(), vec![2, 1, 2]);
    // The bond-1 minor: rows i1 = 1, 2 against columns where (i2,i3,i4) = (i1,1,1) has X = 1.
    assert_eq!(unfoldings[0].rows, vec![vec![0], vec![1]]);
}

/// Claim a_k = 1 at even k for Alkin's cores (n = 2, r = 3, d = 4, q = 2, hub q + 1 = 3). The
/// summand i = (1,1,1,1) runs a = (1,3,1): first[1,1,1] inner[1,1,3] inner[3,1,1] last[1,1] = 1,
/// and it leaves the claimed path (1,1,1) at bond 2.
#[test]
fn support_structure_fails_with_the_offending_summand() {
    let claim = "[[claim]]\nkind = \"support-structure\"\npath = \"if k % 2 == 1 { i } else { 1 }\"";
    let outcome = single_outcome(&alkin(2, 3, 4, ALKIN_INNER, claim));
    assert_eq!(outcome.verdict, Verdict::Fails);
    assert_eq!(
        outcome.evidence,
        Evidence::SupportViolation {
            index: vec![0, 0, 0, 0],
            path: vec![0, 2, 0],
            claimed: vec![1, 1, 1],
            bond: 2,
            product: q_int(1)
        }
    );
}

/// The same claim as printed (a_k = q + 1 at even k) holds, and the DP counts q^(d/2) = 4 non-zero
/// summands over [2]^4: one per entry of the identity block.
#[test]
fn support_structure_holds_as_printed_and_counts_the_summands() {
    let claim = "[[claim]]\nkind = \"support-structure\"\npath = \"if k % 2 == 1 { i } else { q + 1 }\"";
    let outcome = single_outcome(&alkin(2, 3, 4, ALKIN_INNER, claim));
    assert_eq!(
        outcome.evidence,
        Evidence::SupportHolds {
            q: 2,
            d: 4,
            nonzero_summands: 4u32.into()
        }
    );
}

/// The expectation mechanism itself: a claim expected to hold that fails is reported, and makes
/// the CLI exit with status 1 (checked in tests/cli.rs); here the library's comparison.
#[test]
fn an_unexpected_verdict_is_not_as_expected() {
    let results = run_case(&khrulkov(
        2,
        3,
        4,
        KHRULKOV_CORE,
        "[[claim]]\nkind = \"tt-ranks\"\nequal = \"r\"\nexpect = \"holds\"",
    ));
    assert!(!results[0].as_expected());
}

/// Lemma 6 (M = R = T = 2) without its correction row b: the even step returns
/// sum_{j <= 2} max([j != m'], [j != m], 0) = 2 - [m = m'], so Gamma[1,1] = 1 where the claimed
/// pattern has 0.
#[test]
fn grid_tensor_equal_fails_without_the_correction_row() {
    let g = "if k % 2 == 1 { [i == b] } else if i <= M { [i == a] } else { 0 }";
    let claim = "[[claim]]\nkind = \"grid-tensor-equal\"\nto = \"if idx(1) == idx(2) { 0 } else { 1 }\"";
    let outcome = single_outcome(&lemma6(2, 2, 2, g, claim));
    assert_eq!(outcome.verdict, Verdict::Fails);
    assert_eq!(
        outcome.evidence,
        Evidence::EntryDiffers {
            index: vec![0, 0],
            expected: q_int(0),
            actual: q_int(1)
        }
    );
}

/// The same network has no zero at all (its entries are 2 - [m = m'] >= 1): the claimed zero at
/// (1,1) is missing. The printed network (M = 2, R = 1) is 0 at (1,1), which a claim of no zeros
/// gets wrong the other way.
#[test]
fn grid_pattern_fails_both_ways() {
    let g = "if k % 2 == 1 { [i == b] } else if i <= M { [i == a] } else { 0 }";
    let claim = "[[claim]]\nkind = \"grid-pattern\"\nzero-where = \"idx(1) == idx(2)\"";
    let outcome = single_outcome(&lemma6(2, 2, 2, g, claim));
    assert_eq!(outcome.verdict, Verdict::Fails);
    assert_eq!(
        outcome.evidence,
        Evidence::PatternDiffers {
            index: vec![0, 0],
            zero_expected: true,
            actual: q_int(1)
        }
    );
    let none = "[[claim]]\nkind = \"grid-pattern\"\nzero-where = \"false\"";
    let outcome = single_outcome(&lemma6(2, 1, 2, LEMMA6_G, none));
    assert_eq!(
        outcome.evidence,
        Evidence::PatternDiffers {
            index: vec![0, 0],
            zero_expected: false,
            actual: q_int(0)
        }
    );
}

/// Lemma 6 at M = R = T = 2: the grid tensor is J - I (2 x 2), rank 2, so Lemma 5 gives width
/// >= 2 / (T M / 2) = 1, short of a claimed 2.
#[test]
fn shallow_width_lower_bound_fails_with_the_width_found() {
    let claim = "[[claim]]\nkind = \"shallow-width-lower-bound\"\nat-least = \"2\"";
    let outcome = single_outcome(&lemma6(2, 2, 2, LEMMA6_G, claim));
    assert_eq!(outcome.verdict, Verdict::Fails);
    let Evidence::ShallowWidth { witness, width, .. } = outcome.evidence else {
        panic!("width evidence")
    };
    assert_eq!((witness.rank, width), (2, q_int(1)));
}

/// A probe (outside `holds-where`) accepts either verdict; inside, a failure is not as expected.
#[test]
fn a_failure_inside_holds_where_is_not_as_expected_but_a_probe_is() {
    let g = "if k % 2 == 1 { [i == b] } else if i <= M { [i == a] } else { 0 }";
    for (region, as_expected) in [("false", true), ("true", false)] {
        let claim = format!("[[claim]]\nkind = \"grid-tensor-equal\"\nto = \"if idx(1) == idx(2) {{ 0 }} else {{ 1 }}\"\nholds-where = \"{region}\"");
        let results = run_case(&lemma6(2, 2, 2, g, &claim));
        assert_eq!(results[0].outcomes[0].verdict, Verdict::Fails);
        assert_eq!(results[0].as_expected(), as_expected, "holds-where = {region}");
    }
}
