//! `verify --json` as a data format: every claim object has the same keys (`data::CLAIM_KEYS`),
//! and for every claim kind and verdict exactly the keys README's schema says are filled are not
//! `null`, with the numbers the mathematics gives.

mod common;

use common::{alkin, khrulkov, lemma6, theorem5_width, w_state, ALKIN_INNER, KHRULKOV_CORE, LEMMA6_G};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use tnproof::case::{parse_case, ResourceLimit};
use tnproof::data::{json_report, CLAIM_KEYS};
use tnproof::run::decide;

/// The claim objects of a case's first instance, with the instance.
fn report(text: &str) -> (Value, Vec<Value>) {
    let case = parse_case("t.toml", text).unwrap_or_else(|e| panic!("{e}"));
    let results = decide(
        case.instances(ResourceLimit::default())
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let report = json_report(&[(case, results)]);
    let instance = report["cases"][0]["instances"][0].clone();
    let claims = instance["claims"].as_array().unwrap().clone();
    (instance, claims)
}

/// Always filled, for every claim.
const ALWAYS: [&str; 7] = [
    "number",
    "kind",
    "statement",
    "verdict",
    "expected",
    "as_expected",
    "detail",
];

/// Checks that `claim` has every key, and that exactly `ALWAYS` and `filled` are not null.
fn filled(claim: &Value, verdict: &str, filled: &[&str]) {
    let object = claim.as_object().unwrap();
    let keys: BTreeSet<&str> = object.keys().map(String::as_str).collect();
    assert_eq!(keys, CLAIM_KEYS.into_iter().collect(), "{claim}");
    let set: BTreeSet<&str> = object
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, _)| k.as_str())
        .collect();
    let expected: BTreeSet<&str> = ALWAYS.iter().chain(filled).copied().collect();
    assert_eq!(set, expected, "{claim:#}");
    assert_eq!(claim["verdict"], verdict, "{claim:#}");
}

const RANKED: [&str; 6] = ["matricization", "shape", "relation", "bound", "rank", "minor"];

/// Eq. (9) at n = 2, r = 3, d = 4: q = min(n, r) = 2, X^((1,3),(2,4)) is the 4 x 4 identity
/// (rank q^(d/2) = 4), so rank >= 5 fails, and rank_CP >= 5 fails by the train's 4-term
/// expansion; the TT-ranks are
/// (2,1,2), so the printed (3,1,3) fail at bond 1.
#[test]
fn exact_rank_identity_and_tt_rank_claims_fill_their_fields() {
    let claims = "[[claim]]\nkind = \"identity-submatrix\"\nmatricization = \"odd-even\"\nq = \"q\"\n\
        [[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nequal = \"4\"\n\
        [[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"5\"\nexpect = \"fails\"\n\
        [[claim]]\nkind = \"cp-rank-lower-bound\"\nmatricization = \"odd-even\"\nat-least = \"4\"\n\
        [[claim]]\nkind = \"cp-rank-lower-bound\"\nmatricization = \"odd-even\"\nat-least = \"5\"\nexpect = \"fails\"\n\
        [[claim]]\nkind = \"tt-ranks\"\nequal = \"if k % 2 == 1 { r } else { 1 }\"\nexpect = \"fails\"\n\
        [[claim]]\nkind = \"tt-ranks\"\nequal = \"if k % 2 == 1 { q } else { 1 }\"";
    let (instance, c) = report(&khrulkov(2, 3, 4, KHRULKOV_CORE, claims));
    assert_eq!(instance["params"], json!({"n": 2, "r": 3, "d": 4}));
    assert_eq!(instance["lets"], json!({"q": 2}));
    // The train's bonds: r at odd k, 1 at even k.
    assert_eq!(instance["network_ranks"], json!([3, 1, 3]));
    assert_eq!(instance["certificate"], "t_n2_r3_d4.cert");
    filled(&c[0], "holds", &["matricization", "q", "shape"]);
    assert_eq!(c[0]["matricization"], json!({"rows": [1, 3], "cols": [2, 4]}));
    assert_eq!(c[0]["shape"], json!([4, 4]));
    filled(&c[1], "holds", &RANKED);
    assert_eq!(
        (&c[1]["rank"], &c[1]["bound"], &c[1]["relation"]),
        (&json!(4), &json!(4), &json!("equal"))
    );
    // The identity's minor is all of it.
    assert_eq!(c[1]["minor"], json!({"rows": [1, 2, 3, 4], "cols": [1, 2, 3, 4]}));
    filled(&c[2], "fails", &[&RANKED[..], &["counterexample"]].concat());
    assert_eq!(c[2]["counterexample"], json!({"actual": 4, "claimed": 5}));
    // The train's bond paths (a_1, a_3) with a non-zero term are those with a_1, a_3 <= 2 (the
    // first and third cores are [i == b]): 4 terms, meeting the rank 4, so rank_CP X = 4 and
    // rank_CP >= 5 fails by that decomposition.
    filled(&c[3], "holds", &RANKED);
    filled(
        &c[4],
        "fails",
        &[&RANKED[..], &["certified", "counts", "counterexample"]].concat(),
    );
    assert_eq!(c[4]["counts"], json!({"decomposition_terms": 4}));
    assert_eq!(
        c[4]["counterexample"],
        json!({"actual": 4, "by": "decomposition", "claimed": 5})
    );
    assert_eq!(c[4]["certified"], json!(true));
    filled(
        &c[5],
        "fails",
        &["relation", "bound", "ranks", "minor", "counterexample"],
    );
    assert_eq!(c[5]["ranks"], json!([2, 1, 2]));
    assert_eq!(c[5]["bound"], json!([3, 1, 3]));
    assert_eq!(c[5]["counterexample"], json!({"bond": 1, "actual": 2, "claimed": 3}));
    filled(&c[6], "holds", &["relation", "bound", "ranks", "minor"]);
    // Bond 1's minor: rows i1 = 1, 2.
    assert_eq!(c[6]["minor"][0]["rows"], json!([[1], [2]]));
}

/// All-ones cores with bonds (r, 1, r) = (2, 1, 2) make every entry the number of bond paths,
/// r * r = 4: already X[1,1,1,1] is 4 where the identity has 1.
#[test]
fn a_failing_identity_has_its_counterexample() {
    let claim = "[[claim]]\nkind = \"identity-submatrix\"\nmatricization = \"odd-even\"\nq = \"q\"\nexpect = \"fails\"";
    let (_, c) = report(&khrulkov(2, 2, 4, "1", claim));
    filled(&c[0], "fails", &["matricization", "q", "counterexample"]);
    assert_eq!(
        c[0]["counterexample"],
        json!({"index": [1, 1, 1, 1], "actual": 4, "claimed": 1})
    );
}

/// Alkin's cores at n = 2, r = 3, d = 4: the printed path holds with q^(d/2) = 4 summands; the
/// path a_k = 1 at even k fails at i = (1,1,1,1), whose summand runs a = (1,3,1).
#[test]
fn support_claims_fill_their_fields() {
    let claims = "[[claim]]\nkind = \"support-structure\"\npath = \"if k % 2 == 1 { i } else { q + 1 }\"\n\
        [[claim]]\nkind = \"support-structure\"\npath = \"if k % 2 == 1 { i } else { 1 }\"\nexpect = \"fails\"";
    let (_, c) = report(&alkin(2, 3, 4, ALKIN_INNER, claims));
    filled(&c[0], "holds", &["q", "counts"]);
    assert_eq!(c[0]["counts"], json!({"nonzero_summands": "4"}));
    filled(&c[1], "fails", &["q", "counterexample"]);
    assert_eq!(
        c[1]["counterexample"],
        json!({"index": [1, 1, 1, 1], "actual": 1, "claimed": 0, "path": [1, 3, 1], "claimed_path": [1, 1, 1], "bond": 2})
    );
}

/// Random equal cores, n = r = 2, d = 4: X^((1,3),(2,4)) is 4 x 4 and the odd/even split cuts
/// all three bonds (2^3 = 8), so the cut bound is min(4, 8) = 4, which a generic draw meets;
/// rank >= 5 fails by the cut bound.
#[test]
fn generic_rank_claims_fill_cut_certified_and_numeric() {
    let case = "[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"random-tt-equal\"\nn = 2\nr = 2\nd = 4\nseed = 1\n\
        [[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"4\"\nnumeric = true\n\
        [[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"5\"\nexpect = \"fails\"\n";
    let (instance, c) = report(case);
    assert_eq!(instance["draw"]["attempt"], 1);
    filled(
        &c[0],
        "holds",
        &[&RANKED[..], &["cut", "certified", "numeric"]].concat(),
    );
    assert_eq!((&c[0]["cut"], &c[0]["certified"]), (&json!(4), &json!(true)));
    assert_eq!(
        (&c[0]["numeric"]["rank"], &c[0]["numeric"]["agrees"]),
        (&json!(4), &json!(true))
    );
    filled(
        &c[1],
        "fails",
        &[&RANKED[..], &["cut", "certified", "counterexample"]].concat(),
    );
    assert_eq!(
        c[1]["counterexample"],
        json!({"actual": 4, "by": "cut bound", "claimed": 5})
    );
}

/// Lemma 6 as printed at M = 2, R = 1, T = 2: Gamma = [[0, 1], [1, 1]] (rank 2), so the width
/// bound is 2 / (T M / 2) = 1.
#[test]
fn grid_and_width_claims_fill_their_fields() {
    let claims = "[[claim]]\nkind = \"grid-tensor-equal\"\nto = \"if idx(1) == 1 && idx(2) == 1 { 0 } else { 1 }\"\n\
        [[claim]]\nkind = \"grid-tensor-equal\"\nto = \"1\"\nexpect = \"fails\"\n\
        [[claim]]\nkind = \"grid-pattern\"\nzero-where = \"idx(1) == 1 && idx(2) == 1\"\n\
        [[claim]]\nkind = \"grid-pattern\"\nzero-where = \"false\"\nexpect = \"fails\"\n\
        [[claim]]\nkind = \"shallow-width-lower-bound\"\nat-least = \"1\"";
    let (_, c) = report(&lemma6(2, 1, 2, LEMMA6_G, claims));
    filled(&c[0], "holds", &["counts"]);
    assert_eq!(c[0]["counts"], json!({"entries": 4}));
    filled(&c[1], "fails", &["counterexample"]);
    assert_eq!(
        c[1]["counterexample"],
        json!({"index": [1, 1], "actual": 0, "claimed": 1})
    );
    filled(&c[2], "holds", &["counts"]);
    assert_eq!(c[2]["counts"], json!({"entries": 4, "zeros": 1}));
    filled(&c[3], "fails", &["counterexample"]);
    assert_eq!(
        c[3]["counterexample"],
        json!({"index": [1, 1], "actual": 0, "claimed": "non-zero"})
    );
    filled(&c[4], "holds", &[&RANKED[..], &["width"]].concat());
    assert_eq!(
        (&c[4]["rank"], &c[4]["width"], &c[4]["bound"]),
        (&json!(2), &json!(1), &json!(1))
    );
}

/// Theorem 5 at M = R = T = 2: the width bound is 1/2 (an exact fraction, a string), and the
/// compared shallow network S of width 1 refutes a width of at least 2.
#[test]
fn a_width_refuted_by_a_narrower_network_names_it() {
    let (_, c) = report(&theorem5_width("2").replace("at-least = \"2\"", "at-least = \"2\"\nexpect = \"fails\""));
    filled(
        &c[0],
        "fails",
        &[&RANKED[..], &["width", "narrower", "counterexample"]].concat(),
    );
    assert_eq!(c[0]["width"], json!("1/2"));
    assert_eq!(c[0]["narrower"], json!({"name": "S", "width": 1}));
    assert_eq!(
        c[0]["counterexample"],
        json!({"network": "S", "actual": 1, "claimed": 2})
    );
}

/// Eq. (9) for every even d at n = 3, r = 2: the identity on [min(n, r)] and the support path
/// hold for every d; rank >= n^(d/2) = 3 fails at d = 2, where X_2 has rank min(n, r) = 2.
#[test]
fn claims_about_every_depth_fill_their_fields() {
    let claims = "[[claim]]\nkind = \"identity-submatrix\"\nmatricization = \"odd-even\"\nq = \"q\"\n\
        [[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"n^(d/2)\"\nexpect = \"fails\"\n\
        [[claim]]\nkind = \"support-structure\"\npath = \"if k % 2 == 1 { i } else { 1 }\"";
    let case = khrulkov(3, 2, 4, KHRULKOV_CORE, claims).replace("d = 4", "d = \"even\"");
    let (instance, c) = report(&case);
    assert_eq!(instance["params"], json!({"n": 3, "r": 2, "d": "even"}));
    filled(&c[0], "holds", &["q", "every_depth"]);
    assert_eq!(c[0]["every_depth"]["proof"], "zero-equivalence");
    filled(
        &c[1],
        "fails",
        &[
            "relation",
            "bound",
            "every_depth",
            "counterexample",
            "rank",
            "shape",
            "minor",
        ],
    );
    assert_eq!(c[1]["bound"], "3^(d/2)");
    assert_eq!(c[1]["counterexample"], json!({"d": 2, "actual": 2, "claimed": 3}));
    filled(&c[2], "holds", &["q", "every_depth"]);
    assert_eq!(c[2]["every_depth"]["proof"], "support");
}

/// The GHZ tensor e1 (x) e1 (x) e1 + e2 (x) e2 (x) e2 (two CP terms) as a TT of bond dimension
/// 1 fails: the diagonal train has bonds (2,2) and X^((1),(2,3)) has rank 2 (rows e_(1,1) and
/// e_(2,2)); as an HT of ranks 2 it holds, its four nodes below the root of rank 2.
#[test]
fn conversion_claims_fill_their_fields() {
    let text = "[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"cp\"\nn = 2\nd = 3\nrank = \"2\"\n[construction.cores]\nfactor = \"[i == a]\"\n\
        [[claim]]\nkind = \"conversion\"\nto = \"tt\"\nat-most = \"1\"\nexpect = \"fails\"\n\
        [[claim]]\nkind = \"conversion\"\nto = \"ht\"\nat-most = \"2\"\n";
    let (_, c) = report(text);
    filled(&c[0], "fails", &[&RANKED[..], &["ranks", "counts"]].concat());
    assert_eq!(c[0]["ranks"], json!([2, 2]));
    assert_eq!(c[0]["bound"], json!([1, 1]));
    assert_eq!(c[0]["rank"], json!(2));
    assert_eq!(c[0]["matricization"], json!({"rows": [1], "cols": [2, 3]}));
    assert_eq!(c[0]["counts"], json!({"entries_compared": 8}));
    filled(&c[1], "holds", &["relation", "bound", "ranks", "counts"]);
    assert_eq!(c[1]["ranks"], json!([2, 2, 2, 2]));
}

/// Cohen's convac witness at n = r = 2, d = 4 on ((1,2),(3,4)): leaves U_m = I, windows sum all
/// channels into channel 1, the root passes channel 1, so X = vec(I_2) (x) vec(I_2) over the
/// windows. By hand a leaf's X^((m),(rest)) is I_2 (x) vec(I_2)^T up to the order of modes, rank
/// 2, and a window's X^((1,2),(3,4)) = vec(I_2) vec(I_2)^T has rank 1: HT-ranks (2,2,1,2,2,1) in
/// post-order (U1, U2, the window (1,2), U3, U4, the window (3,4)), every edge of the network r = 2.
#[test]
fn ht_ranks_claims_fill_their_fields() {
    let case = "[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"ht\"\ntree = \"contiguous\"\nform = \"convac\"\nn = 2\nr = 2\nd = 4\n\
        [construction.cores]\nleaf = \"[i == p]\"\nnode = \"if level == 1 { [p == 1] } else { [alpha == 1 && p == 1] }\"\n\
        [[claim]]\nkind = \"ht-ranks\"\nequal = \"if first == last { 2 } else { 1 }\"\n\
        [[claim]]\nkind = \"ht-ranks\"\nequal = \"1\"\nexpect = \"fails\"\n";
    let (instance, c) = report(case);
    assert_eq!(instance["network_ranks"], json!([2, 2, 2, 2, 2, 2]));
    filled(&c[0], "holds", &["relation", "bound", "ranks", "minor"]);
    assert_eq!(c[0]["ranks"], json!([2, 2, 1, 2, 2, 1]));
    assert_eq!(c[0]["bound"], json!([2, 2, 1, 2, 2, 1]));
    let minors = c[0]["minor"].as_array().unwrap();
    let nodes: Vec<&Value> = minors.iter().map(|m| &m["node"]).collect();
    assert_eq!(nodes.len(), 6, "{minors:?}");
    for (m, rank) in minors.iter().zip([2, 2, 1, 2, 2, 1]) {
        assert_eq!(m["verdict"], "holds");
        assert_eq!(m["minor"]["rows"].as_array().map(Vec::len), Some(rank), "{m}");
    }
    filled(
        &c[1],
        "fails",
        &["relation", "bound", "ranks", "minor", "counterexample"],
    );
    assert_eq!(c[1]["counterexample"], json!({"node": "U1", "actual": 2, "claimed": 1}));
}

/// Random HT cores at n = 2, r = 3, d = 4 on ((1,2),(3,4)): a leaf's cut bound is min(r, n) = 2,
/// a window's min(r, n^2) = 3, so the generic HT-ranks are at most (2,2,3,2,2,3), which a draw
/// meets; 3 at a leaf is above its cut.
#[test]
fn generic_ht_ranks_fill_cut_and_certified_per_node() {
    let case =
        "[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"random-ht\"\nn = 2\nr = 3\nd = 4\nseed = 1\n\
        [[claim]]\nkind = \"ht-ranks\"\nequal = \"min(r, n^(last - first + 1))\"\n\
        [[claim]]\nkind = \"ht-ranks\"\nequal = \"3\"\nexpect = \"fails\"\n";
    let (instance, c) = report(case);
    assert_eq!(instance["network_ranks"], json!([3, 3, 3, 3, 3, 3]));
    filled(
        &c[0],
        "holds",
        &["relation", "bound", "ranks", "minor", "cut", "certified"],
    );
    assert_eq!(c[0]["cut"], json!([2, 2, 3, 2, 2, 3]));
    assert_eq!(c[0]["ranks"], json!([2, 2, 3, 2, 2, 3]));
    assert_eq!(c[0]["certified"], json!(true));
    filled(
        &c[1],
        "fails",
        &[
            "relation",
            "bound",
            "ranks",
            "minor",
            "cut",
            "certified",
            "counterexample",
        ],
    );
    assert_eq!(c[1]["counterexample"], json!({"node": "U1", "actual": 2, "claimed": 3}));
}

/// The W state as a CP network of d terms. By hand every matricization of W_d has rank 2 (d >= 2),
/// so at d = 2 the decomposition's 2 terms meet Lemma 1 (rank_CP W_2 = 2): at most 2 holds, at
/// most 1 fails by the matricization's rank 2; at d = 3 at most 2 stays undecided between
/// Lemma 1's 2 and the 3 terms. Without a matricization only the decomposition is filled.
#[test]
fn cp_rank_upper_bounds_fill_their_fields() {
    let claims = "[[claim]]\nkind = \"cp-rank-upper-bound\"\nrows = \"m == 1\"\nat-most = \"2\"\n\
        [[claim]]\nkind = \"cp-rank-upper-bound\"\nrows = \"m == 1\"\nat-most = \"1\"\nexpect = \"fails\"\n\
        [[claim]]\nkind = \"cp-rank-upper-bound\"\nat-most = \"d\"";
    let (instance, c) = report(&w_state(2, claims));
    assert_eq!(instance["network_ranks"], json!([2]));
    let lower = [&RANKED[..], &["certified", "counts"]].concat();
    filled(&c[0], "holds", &lower);
    assert_eq!(c[0]["matricization"], json!({"rows": [1], "cols": [2]}));
    assert_eq!(
        (&c[0]["rank"], &c[0]["counts"], &c[0]["certified"]),
        (&json!(2), &json!({"decomposition_terms": 2}), &json!(true))
    );
    filled(&c[1], "fails", &[&lower[..], &["counterexample"]].concat());
    assert_eq!(
        c[1]["counterexample"],
        json!({"actual": 2, "by": "matricization rank", "claimed": 1})
    );
    filled(&c[2], "holds", &["relation", "bound", "counts"]);
    assert_eq!(c[2]["bound"], json!(2));

    let (_, c) = report(&w_state(
        3,
        &claims.replace(
            "at-most = \"1\"\nexpect = \"fails\"",
            "at-most = \"2\"\nexpect = \"undecided\"",
        ),
    ));
    filled(&c[1], "undecided", &lower);
    assert_eq!(
        (&c[1]["rank"], &c[1]["counts"], &c[1]["certified"]),
        (&json!(2), &json!({"decomposition_terms": 3}), &json!(false))
    );
}

/// Generalized networks carry their ranks as trains and CP networks do: Lemma 6's RNN at T = 2
/// has the one inner rank R_1 = R (odd k), a shallow network its width.
#[test]
fn generalized_networks_have_their_ranks() {
    // A claim whatever its verdict: only the instance's ranks are looked at.
    let claim = "[[claim]]\nkind = \"grid-pattern\"\nzero-where = \"false\"";
    let (instance, _) = report(&lemma6(2, 2, 2, LEMMA6_G, claim));
    assert_eq!(instance["network_ranks"], json!([2]));
    let shallow = format!(
        "[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"generalized\"\nxi = \"rectifier\"\nM = 2\nT = 2\n\
         [construction.network]\nkind = \"shallow\"\nwidth = \"3\"\nlambda = \"1\"\nv = \"1\"\n{claim}\n"
    );
    let (instance, _) = report(&shallow);
    assert_eq!(instance["network_ranks"], json!([3]));
}
