//! Tests of the automaton, its DFAs and the constructions on them, each against the weight
//! computed directly (hand values, or `weight` of the parts), and the random automata the
//! property tests of the submodules share.

use super::*;
use crate::field::{q_int, Q};
use proptest::prelude::*;
use std::cmp::Ordering;

pub(super) fn q(v: i64) -> Q {
    q_int(v)
}

/// Rows of small integers as a matrix over Q.
pub(super) fn matrix(rows: &[&[i64]]) -> Vec<Vec<Q>> {
    rows.iter().map(|row| row.iter().map(|&x| q(x)).collect()).collect()
}

pub(super) fn vector(v: &[i64]) -> Vec<Q> {
    v.iter().map(|&x| q(x)).collect()
}

/// One state, every letter of `letters` doubles: `weight(w) = 2^|w|`.
pub(super) fn doubling(letters: usize) -> WeightedAutomaton {
    WeightedAutomaton::new(vector(&[1]), vec![matrix(&[&[2]]); letters], vector(&[1])).unwrap()
}

/// On the letters {0, 1}: `weight(w) = 1` if w has an even number of 0s, else 0.
pub(super) fn even_zeros() -> WeightedAutomaton {
    let swap = matrix(&[&[0, 1], &[1, 0]]);
    let keep = matrix(&[&[1, 0], &[0, 1]]);
    WeightedAutomaton::new(vector(&[1, 0]), vec![swap, keep], vector(&[1, 0])).unwrap()
}

/// Every word on `letters` letters of length at most `max`, shortest first.
pub(super) fn words(letters: usize, max: usize) -> Vec<Vec<usize>> {
    let mut all = vec![Vec::new()];
    let mut layer = vec![Vec::new()];
    for _ in 0..max {
        layer = layer
            .iter()
            .flat_map(|w: &Vec<usize>| {
                (0..letters).map(move |l| {
                    let mut longer = w.clone();
                    longer.push(l);
                    longer
                })
            })
            .collect();
        all.extend(layer.iter().cloned());
    }
    all
}

/// Automata with 1..4 states on 1..3 letters, integer weights in `-2..3`; `sparse` reads the
/// negative draws as 0.
pub(super) fn random_automaton(letters: usize, sparse: bool) -> impl Strategy<Value = WeightedAutomaton> {
    (1usize..5).prop_flat_map(move |s| {
        let entry = move || (-2i64..3).prop_map(move |x| q(if sparse { x.max(0) } else { x }));
        let row = move || prop::collection::vec(entry(), s);
        (
            row(),
            prop::collection::vec(prop::collection::vec(row(), s), letters),
            row(),
        )
            .prop_map(|(alpha, matrices, beta)| WeightedAutomaton::new(alpha, matrices, beta).unwrap())
    })
}

#[test]
fn doubling_weighs_two_to_the_length() {
    let a = doubling(3);
    assert_eq!(a.weight(&[]), Some(q(1)));
    assert_eq!(a.weight(&[2, 0, 1]), Some(q(8)));
    assert_eq!(a.weight(&[0; 10]), Some(q(1024)));
    assert_eq!(a.weight(&[3]), None);
}

#[test]
fn even_zeros_counts_parity() {
    let a = even_zeros();
    for w in words(2, 6) {
        let zeros = w.iter().filter(|&&l| l == 0).count();
        assert_eq!(a.weight(&w), Some(q((zeros % 2 == 0).into())), "{w:?}");
    }
}

#[test]
fn shapes_and_alphabets_are_checked() {
    assert!(WeightedAutomaton::new(vector(&[1]), vec![], vector(&[1])).is_err());
    assert!(WeightedAutomaton::new(vector(&[1]), vec![matrix(&[&[1]])], vector(&[1, 0])).is_err());
    assert!(WeightedAutomaton::new(vector(&[1, 0]), vec![matrix(&[&[1, 0], &[1]])], vector(&[1, 0])).is_err());
    assert!(WeightedAutomaton::difference(&doubling(2), &doubling(3)).is_err());
    assert!(WeightedAutomaton::product(&doubling(2), &Dfa::letters_below(3, 1)).is_err());
    assert!(doubling(2).restrict_letters(0).is_err());
    assert!(doubling(2).restrict_letters(3).is_err());
    assert!(Dfa::new(0, vec![vec![0, 1]], vec![true]).is_err());
    assert!(Dfa::new(1, vec![vec![0]], vec![true]).is_err());
    assert!(Dfa::new(0, vec![vec![]], vec![true]).is_err());
    assert!(Dfa::new(0, vec![vec![0]], vec![true]).is_ok());
}

#[test]
fn stock_dfas_accept_their_languages() {
    let n = 3;
    for w in words(n * n, 3) {
        let equal = !w.is_empty() && w.iter().all(|xy| xy / n == xy % n);
        assert_eq!(Dfa::pairs_equal(n).accepts(&w), equal, "{w:?}");
    }
    for order in [Ordering::Less, Ordering::Equal, Ordering::Greater] {
        for w in words(n * n, 3) {
            let (x, y): (Vec<usize>, Vec<usize>) = w.iter().map(|xy| (xy / n, xy % n)).unzip();
            let expected = !w.is_empty() && x.cmp(&y) == order;
            assert_eq!(Dfa::pairs_compare(n, order).accepts(&w), expected, "{w:?} {order:?}");
        }
    }
    for w in words(n, 4) {
        let below = !w.is_empty() && w.iter().all(|&l| l < 2);
        assert_eq!(Dfa::letters_below(n, 2).accepts(&w), below, "{w:?}");
    }
}

#[test]
fn the_automaton_of_a_dfa_weighs_its_acceptance() {
    for dfa in [Dfa::pairs_equal(2), Dfa::letters_below(3, 2)] {
        let a = WeightedAutomaton::of_dfa(&dfa);
        for w in words(dfa.letters(), 3) {
            assert_eq!(a.weight(&w), Some(q(dfa.accepts(&w).into())), "{w:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// `difference` weighs every word by the difference of the two weights.
    #[test]
    fn difference_is_the_difference_of_weights(a in random_automaton(2, false), b in random_automaton(2, false)) {
        let d = WeightedAutomaton::difference(&a, &b).unwrap();
        prop_assert_eq!(d.states(), a.states() + b.states());
        for w in words(2, 4) {
            prop_assert_eq!(d.weight(&w).unwrap(), a.weight(&w).unwrap() - b.weight(&w).unwrap());
        }
    }

    /// `product` with a DFA keeps the weight of the accepted words and zeroes the others.
    #[test]
    fn product_selects_the_accepted_words(a in random_automaton(2, false)) {
        let parity = Dfa::new(0, vec![vec![1, 0], vec![0, 1]], vec![true, false]).unwrap();
        for dfa in [parity, Dfa::letters_below(2, 1)] {
            let p = WeightedAutomaton::product(&a, &dfa).unwrap();
            for w in words(2, 4) {
                let expected = if dfa.accepts(&w) { a.weight(&w).unwrap() } else { q(0) };
                prop_assert_eq!(p.weight(&w).unwrap(), expected);
            }
        }
    }

    /// The pair view gives a word of pairs the weight of the word it spells out, and restricting
    /// the letters keeps the weights of the words that use only those.
    #[test]
    fn pairs_and_restriction_keep_weights(a in random_automaton(3, false)) {
        let pairs = a.pairs();
        prop_assert_eq!(pairs.letters(), 9);
        for w in words(9, 2) {
            let flat: Vec<usize> = w.iter().flat_map(|xy| [xy / 3, xy % 3]).collect();
            prop_assert_eq!(pairs.weight(&w), a.weight(&flat));
        }
        let two = a.restrict_letters(2).unwrap();
        for w in words(2, 4) {
            prop_assert_eq!(two.weight(&w), a.weight(&w));
        }
    }
}

#[test]
fn length_dfas_accept_the_depths() {
    for (even, least) in [(true, 2), (true, 4), (false, 2), (false, 3), (true, 3)] {
        let dfa = Dfa::lengths(2, even, least);
        for w in words(2, 7) {
            let expected = w.len() >= least && (!even || w.len() % 2 == 0);
            assert_eq!(dfa.accepts(&w), expected, "{w:?} even={even} least={least}");
        }
        // Read in pairs: a word of m pairs has length 2m.
        for w in words(4, 4) {
            let expected = 2 * w.len() >= least;
            assert_eq!(dfa.pairs().accepts(&w), expected, "{w:?} in pairs");
        }
    }
}

#[test]
fn the_support_check_needs_closed_sets_and_no_forbidden_edge_between_them() {
    // start -0-> middle -1-> end, and a dead branch start -1-> dead.
    let z = || vec![q(0); 4];
    let mut zero = vec![z(), z(), z(), z()];
    let mut one = vec![z(), z(), z(), z()];
    zero[0][1] = q(1);
    one[1][2] = q(2);
    one[0][3] = q(1);
    let a = WeightedAutomaton::new(vector(&[1, 0, 0, 0]), vec![zero, one], vector(&[0, 0, 1, 0])).unwrap();
    let never = |_: usize, _: usize, _: usize| false;
    assert_eq!(trimmed(&a, &[0, 1, 2, 3], &[0, 1, 2], never), Ok(()));
    // The dead branch may be forbidden: it reaches no end.
    assert_eq!(trimmed(&a, &[0, 1, 2, 3], &[0, 1, 2], |_, _, to| to == 3), Ok(()));
    assert_eq!(
        trimmed(&a, &[0, 1, 2, 3], &[0, 1, 2], |_, l, to| l == 1 && to == 2),
        Err(TrimFault::Forbidden {
            from: 1,
            letter: 1,
            to: 2
        })
    );
    assert!(matches!(
        trimmed(&a, &[0, 1, 3], &[0, 1, 2], never),
        Err(TrimFault::Open { forward: true, .. })
    ));
    assert!(matches!(
        trimmed(&a, &[0, 1, 2, 3], &[0, 1], never),
        Err(TrimFault::Boundary {
            state: 2,
            forward: false
        })
    ));
    assert!(matches!(
        trimmed(&a, &[1, 2, 3], &[0, 1, 2], never),
        Err(TrimFault::Boundary {
            state: 0,
            forward: true
        })
    ));
    assert!(matches!(
        trimmed(&a, &[0, 1, 2, 3], &[1, 2], never),
        Err(TrimFault::Open { forward: false, .. })
    ));
    assert!(matches!(
        trimmed(&a, &[0, 1, 2, 3], &[0, 2], never),
        Err(TrimFault::Open { forward: false, .. })
    ));
    assert_eq!(trimmed(&a, &[1, 0], &[0, 1, 2], never), Err(TrimFault::NotAState));
}
