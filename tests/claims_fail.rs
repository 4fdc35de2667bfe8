//! Every claim kind can come out FAILS, with the disproof a reader can check by hand, and a lower
//! bound derived from a smaller one (Lemma 1, Lemma 5) that falls short of its claim comes out
//! UNDECIDED, with the bound found: a weaker bound is no disproof. Each test perturbs a
//! construction (or asks for too much) and pins the evidence, worked out by hand in the comment
//! above it, not copied from the program.
//!
//! `cp-rank-lower-bound` FAILS by an explicit CP decomposition of fewer terms than the claimed
//! bound (the network's own, checked entry by entry), `cp-rank-upper-bound` by a matricization
//! of larger rank (Lemma 1); short of either, both are UNDECIDED.

mod common;

use common::{
    alkin, khrulkov, lemma6, lemma6_and_a_shallow_of_ones, run_case, theorem5_width, w_state, ALKIN_INNER,
    KHRULKOV_CORE, LEMMA6_G,
};
use tnproof::claim::{Evidence, NarrowerShallow, RankEvidence, Upper, Verdict};
use tnproof::field::{q_int, Q};
use tnproof::network::cp_expansion::Source;

/// The upper bound, the minor and the matrix shape of CP-rank evidence from both sides.
fn cp_rank_evidence(outcome: &tnproof::claim::Outcome) -> (Upper, tnproof::linalg::RankWitness, (usize, usize)) {
    match &outcome.evidence {
        Evidence::CpRank {
            upper,
            lower: Some(RankEvidence { witness, shape, .. }),
        } => (*upper, witness.clone(), *shape),
        other => panic!("CP-rank evidence from both sides, not {other:?}"),
    }
}

fn single_outcome(text: &str) -> tnproof::claim::Outcome {
    let results = run_case(text);
    assert_eq!(results.len(), 1);
    results[0].outcomes[0].clone()
}

/// Not a failure: at q = 1 the block of X^((1),(2,3,4)) on indices 1..1 is 1 x 1 (1^1 = 1^3),
/// and its entry X[1,1,1,1] = [i1 = i2][i3 = i4] = 1 makes it the identity, though its row and
/// column multi-indices, (1) and (1,1,1), have different lengths.
#[test]
fn identity_submatrix_of_size_one_across_unequal_sides_holds() {
    let outcome = single_outcome(&khrulkov(
        2,
        2,
        4,
        KHRULKOV_CORE,
        "[[claim]]\nkind = \"identity-submatrix\"\nrows = \"m == 1\"\nq = \"1\"",
    ));
    assert_eq!(outcome.verdict, Verdict::Holds, "{:?}", outcome.evidence);
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
/// odd/even rank is 1 * 2 = 2, so Lemma 1 gives only rank_CP >= 2, short of q^(d/2) = 4. The
/// train's 2 * 1 * 2 = 4 bond paths (a_1, 1, a_3) give e_1 e_1 e_a3 e_a3 for a_1 = 1 and a zero
/// fiber G_1[1,:,2] for a_1 = 2: 2 terms < 4, the disproof, and with the rank 2 the CP-rank is 2.
#[test]
fn cp_rank_lower_bound_fails_by_a_decomposition_of_fewer_terms() {
    let core = "if k % 2 == 1 { [i == b] * [k > 1 || i == 1] } else { [i == a] }";
    let results = run_case(&khrulkov(
        2,
        2,
        4,
        core,
        "[[claim]]\nkind = \"cp-rank-lower-bound\"\nmatricization = \"odd-even\"\nat-least = \"q^(d/2)\"\nexpect = \"fails\"",
    ));
    assert!(results[0].as_expected());
    let outcome = &results[0].outcomes[0];
    assert_eq!(outcome.verdict, Verdict::Fails);
    let (upper, witness, _) = cp_rank_evidence(outcome);
    assert_eq!(witness.rank, 2);
    assert_eq!(
        upper,
        Upper::Decomposition {
            source: Source::BondPaths { paths: 4 },
            terms: 2
        }
    );
    let text = tnproof::certificate::summary(&results[0].instance.claims[0].claim, outcome);
    assert!(
        text.ends_with("so rank_CP X <= 2 < 4: a disproof; rank_CP X = 2, certified"),
        "{text}"
    );
}

/// The W state at d = 3, e_2 e_1 e_1 + e_1 e_2 e_1 + e_1 e_1 e_2, is a CP network of 3 terms; its
/// split (1),(2,3) has rows (0,1,1,0) and (1,0,0,0): rank 2. So rank_CP >= 4 FAILS by the 3
/// terms, rank_CP >= 3 (true) is UNDECIDED (Lemma 1 gives 2, the terms 3), rank_CP <= 1 FAILS by
/// the rank 2 and rank_CP <= 2 (false, the CP-rank is 3) is UNDECIDED.
#[test]
fn cp_rank_bounds_on_the_w_state_fail_only_by_a_decomposition_or_a_rank() {
    let terms = Upper::Decomposition {
        source: Source::CpTerms {
            rank: 3,
            weighted: false,
        },
        terms: 3,
    };
    for (kind, relation, bound, verdict) in [
        ("cp-rank-lower-bound", "at-least", 4, Verdict::Fails),
        ("cp-rank-lower-bound", "at-least", 3, Verdict::Undecided),
        ("cp-rank-upper-bound", "at-most", 1, Verdict::Fails),
        ("cp-rank-upper-bound", "at-most", 2, Verdict::Undecided),
        ("cp-rank-upper-bound", "at-most", 3, Verdict::Holds),
    ] {
        let claim = format!(
            "[[claim]]\nkind = \"{kind}\"\nrows = \"m == 1\"\n{relation} = \"{bound}\"\nexpect = \"{}\"",
            verdict.word()
        );
        let outcome = single_outcome(&w_state(3, &claim));
        assert_eq!(outcome.verdict, verdict, "{kind} {relation} {bound}");
        let (upper, witness, shape) = cp_rank_evidence(&outcome);
        assert_eq!((upper, witness.rank, shape), (terms, 2, (2, 4)));
    }
}

/// Khrulkov's eq. (9) witness at n = r = 2, d = 4, X = [i1 = i2][i3 = i4]: its odd/even
/// matricization is I_4, rank 4, so rank_CP <= 3 FAILS; the train's 4 bond paths are its 4 terms.
#[test]
fn cp_rank_upper_bound_fails_by_a_matricization_of_larger_rank() {
    let claim =
        "[[claim]]\nkind = \"cp-rank-upper-bound\"\nmatricization = \"odd-even\"\nat-most = \"3\"\nexpect = \"fails\"";
    let outcome = single_outcome(&khrulkov(2, 2, 4, KHRULKOV_CORE, claim));
    assert_eq!(outcome.verdict, Verdict::Fails);
    let (upper, witness, _) = cp_rank_evidence(&outcome);
    assert_eq!(witness.rank, 4);
    assert_eq!(upper.terms(), Some(4));
}

/// Khrulkov's eq. (9) witness at n = r = 2, d = 4 is X = [i1 = i2][i3 = i4], whose CP-rank is 4 (the
/// odd/even matricization is I_4). Split as rows (i1,i2), columns (i3,i4) it is u u^T with
/// u = (1,0,0,1): rank 1, so Lemma 1 gives rank_CP >= 1 through that split. The claim
/// rank_CP >= q^(d/2) = 4 is true; the weak split leaves it UNDECIDED, never FAILS (the train's 4 bond paths
/// give 4 terms, not fewer).
#[test]
fn a_true_cp_rank_bound_through_a_weak_split_is_undecided_not_failed() {
    let claim = "[[claim]]\nkind = \"cp-rank-lower-bound\"\nrows = \"m <= d / 2\"\nat-least = \"q^(d/2)\"";
    let outcome = single_outcome(&khrulkov(2, 2, 4, KHRULKOV_CORE, claim));
    assert_eq!(outcome.verdict, Verdict::Undecided);
    let (upper, witness, shape) = cp_rank_evidence(&outcome);
    assert_eq!((witness.rank, shape, upper.terms()), (1, (4, 4), Some(4)));
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

/// Lemma 6 at M = R = T = 2: the grid tensor is J - I (2 x 2), rank 2, so Lemma 5 gives the width
/// bound 2 / (T M / 2) = 1, short of a claimed 2. The case compares no shallow network, so there
/// is no disproof: UNDECIDED, with the width found.
#[test]
fn shallow_width_lower_bound_short_of_its_bound_is_undecided_with_the_width_found() {
    let claim = "[[claim]]\nkind = \"shallow-width-lower-bound\"\nat-least = \"2\"";
    let outcome = single_outcome(&lemma6(2, 2, 2, LEMMA6_G, claim));
    assert_eq!(outcome.verdict, Verdict::Undecided);
    let Evidence::ShallowWidth {
        witness,
        width,
        narrower,
        ..
    } = outcome.evidence
    else {
        panic!("width evidence")
    };
    assert_eq!((witness.rank, width, narrower), (2, q_int(1), None));
}

/// Theorem 5 at M = R = T = 2 (F = I, `theorem5_width`): the rectifier RNN of ranks R has the
/// constant grid tensor 2 (M R)^(T-1) = 8, rank 1, so Lemma 5 gives width >= 1 / (T M / 2) = 1/2.
/// The compared first-mode shallow network S realizes the same tensor with width 1. So:
/// - at least 1/2 holds (Lemma 5);
/// - at least 1 is true (S has width 1, and no network of width 0 is non-zero), but 1/2 < 1 and
///   S is not narrower than 1: UNDECIDED (the width-1 network claimed to need width >= 1);
/// - at least 2 FAILS: S has width 1 < 2 and the subject's grid tensor, entry by entry.
#[test]
fn shallow_width_lower_bound_fails_by_a_narrower_compared_network() {
    let expected = [
        ("1/2", Verdict::Holds, None),
        ("1", Verdict::Undecided, None),
        (
            "2",
            Verdict::Fails,
            Some(NarrowerShallow {
                name: "S".into(),
                width: 1,
            }),
        ),
    ];
    for (bound, verdict, disproof) in expected {
        let outcome = single_outcome(&theorem5_width(bound));
        assert_eq!(outcome.verdict, verdict, "at least {bound}");
        let Evidence::ShallowWidth {
            witness,
            width,
            narrower,
            ..
        } = outcome.evidence
        else {
            panic!("width evidence")
        };
        assert_eq!((witness.rank, width), (1, Q::new(1.into(), 2.into())));
        assert_eq!(narrower, disproof, "at least {bound}");
    }
}

/// A compared shallow network narrower than the bound whose grid tensor is not the subject's is
/// no disproof. Lemma 6 at M = R = T = 2 has Gamma = J - I (width bound 1, as above); the
/// compared width-1 shallow network with lambda = 1, v_1 = v_2 = (1, 1) has
/// Gamma_S[i, j] = max(1, 1, 0) = 1 everywhere, which differs at (1,1): UNDECIDED.
#[test]
fn a_narrower_network_with_another_grid_tensor_is_no_disproof() {
    let claim = "[[claim]]\nkind = \"shallow-width-lower-bound\"\nat-least = \"2\"";
    let results = run_case(&lemma6_and_a_shallow_of_ones(claim));
    let tnproof::network::Network::Generalized(g) = &results[0].instance.network else {
        panic!("a generalized network")
    };
    assert_eq!(g.others[0].2.entries(), vec![q_int(1); 4]);
    assert_eq!(results[0].outcomes[0].verdict, Verdict::Undecided);
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

/// Cohen's convac witness at n = r = 2, d = 4 on ((1,2),(3,4)): leaves U_m = I, windows sum all
/// channels into channel 1, the root passes channel 1. So X = vec(I_2) (x) vec(I_2) over the
/// windows (1,2) and (3,4).
const CONVAC_WITNESS: &str = "[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"ht\"\ntree = \"contiguous\"\nform = \"convac\"\nn = 2\nr = 2\nd = 4\n[construction.cores]\nleaf = \"[i == p]\"\nnode = \"if level == 1 { [p == 1] } else { [alpha == 1 && p == 1] }\"\n";

/// The witness's HT-ranks by hand: X^((1),(2,3,4)) = I_2 (x) vec(I_2)^T has rank 2, and so has
/// each leaf; a window's X^((1,2),(3,4)) = vec(I_2) vec(I_2)^T has rank 1. Claiming 1 at every
/// node fails at the first node, U1, with its rank 2.
#[test]
fn ht_ranks_fail_with_the_first_wrong_node() {
    let results = run_case(&format!(
        "{CONVAC_WITNESS}[[claim]]\nkind = \"ht-ranks\"\nequal = \"1\"\n"
    ));
    let (claim, outcome) = (&results[0].instance.claims[0].claim, &results[0].outcomes[0]);
    assert_eq!(outcome.verdict, Verdict::Fails);
    assert_eq!(
        tnproof::certificate::summary(claim, outcome),
        "HT-ranks (2,2,1,2,2,1) exactly; node U1 (1) has rank 2, the claim needs = 1"
    );
}

/// On random cores the generic HT-rank of a leaf of a convac network with n = r = 2 is 2 (its
/// 2 x 2 matrix is invertible for almost all draws): "at most 1" fails by the certified rank.
#[test]
fn generic_ht_ranks_fail_by_a_certified_rank() {
    let text = "[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"random-ht\"\nform = \"convac\"\nn = 2\nr = 2\nd = 4\nseed = 1\n[[claim]]\nkind = \"ht-ranks\"\nat-most = \"1\"\n";
    let results = run_case(text);
    let (claim, outcome) = (&results[0].instance.claims[0].claim, &results[0].outcomes[0]);
    assert_eq!(outcome.verdict, Verdict::Fails);
    let summary = tnproof::certificate::summary(claim, outcome);
    assert!(
        summary.ends_with("; node U1 (1) has rank >= 2, the claim needs <= 1"),
        "{summary}"
    );
}

/// Above the cut: the generic HT-rank of a node is at most its cut, so claiming more fails
/// whatever the draw. For ((1,2),(3,4)) with n = 2, r = 3, the leaves' cut is min(r, n) = 2.
#[test]
fn generic_ht_ranks_fail_above_the_cut() {
    let text = "[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"random-ht\"\nn = 2\nr = 3\nd = 4\nseed = 1\n[[claim]]\nkind = \"ht-ranks\"\nequal = \"3\"\n";
    let results = run_case(text);
    let (claim, outcome) = (&results[0].instance.claims[0].claim, &results[0].outcomes[0]);
    assert_eq!(outcome.verdict, Verdict::Fails);
    assert!(tnproof::certificate::summary(claim, outcome).contains("cut bounds (2,2,3,2,2,3)"));
}

/// The GHZ tensor e1 (x) e1 (x) e1 + e2 (x) e2 (x) e2 as a CP network of two terms.
const GHZ: &str = "[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"cp\"\nn = 2\nd = 3\nrank = \"2\"\n[construction.cores]\nfactor = \"[i == a]\"\n";

/// As a TT the two terms give bonds (2,2); by hand X^((1),(2,3)) has the rows e_(1,1) and
/// e_(2,2), rank 2, so no TT of bond dimension 1 is X: "at most 1" fails by that rank.
#[test]
fn a_conversion_fails_by_the_rank_at_a_bond_over_its_bound() {
    let results = run_case(&format!(
        "{GHZ}[[claim]]\nkind = \"conversion\"\nto = \"tt\"\nat-most = \"1\"\n"
    ));
    let (claim, outcome) = (&results[0].instance.claims[0].claim, &results[0].outcomes[0]);
    assert_eq!(outcome.verdict, Verdict::Fails);
    assert_eq!(
        tnproof::certificate::summary(claim, outcome),
        "X equals the TT listed below at all 8 entries; its bond dimensions are (2,2); bond 1 has 2 > 1; rank X^((1),(2,3)) = 2 exactly over Q (2 x 4 matrix); the minor below is non-singular; 2 > 1: no TT within the bounds is X, a disproof"
    );
}

/// The same network as an HT of ranks 2 on the balanced tree ((1,2),3) holds: leaves and the
/// node (1,2) carry the term index.
#[test]
fn a_conversion_holds_when_the_converted_ranks_are_within_the_bounds() {
    let results = run_case(&format!(
        "{GHZ}[[claim]]\nkind = \"conversion\"\nto = \"ht\"\nat-most = \"2\"\n"
    ));
    let (claim, outcome) = (&results[0].instance.claims[0].claim, &results[0].outcomes[0]);
    assert_eq!(outcome.verdict, Verdict::Holds);
    assert_eq!(
        tnproof::certificate::summary(claim, outcome),
        "X equals the HT listed below at all 8 entries; its node ranks are (2,2,2,2), within the claimed bounds"
    );
}

/// The W state of order 3 (three terms) as a diagonal train has bonds 3, but its TT-ranks are 2
/// (by hand, X^((1),(2,3)) has the rows "mode 1 is 1" and "mode 1 is 2", two independent
/// ones): bond 1 over the bound 2 with X's rank 2 there is neither a proof nor a disproof.
#[test]
fn a_conversion_over_its_bound_where_x_is_not_is_undecided() {
    let w = "[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"cp\"\nn = 2\nd = 3\nrank = \"d\"\n[construction.cores]\nfactor = \"[i == 1 + [a == k]]\"\n[[claim]]\nkind = \"conversion\"\nto = \"tt\"\nat-most = \"2\"\n";
    let results = run_case(w);
    let (claim, outcome) = (&results[0].instance.claims[0].claim, &results[0].outcomes[0]);
    assert_eq!(outcome.verdict, Verdict::Undecided);
    assert!(
        tnproof::certificate::summary(claim, outcome)
            .ends_with("bond 1 has 3 > 2; rank X^((1),(2,3)) = 2 exactly over Q (2 x 4 matrix); the minor below is non-singular; 2 <= 2: neither a proof nor a disproof"),
    );
}
