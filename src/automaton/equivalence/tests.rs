//! Tests of zero-equivalence: hand-computed automata, certificates that must be rejected,
//! the witnesses of Khrulkov (eq. 9) and Alkin for every even d, and brute force over short words.

use super::super::tests::{doubling, even_zeros, matrix, q, random_automaton, vector, words};
use super::super::tt::from_periodic_tt;
use super::super::Dfa;
use super::*;
use crate::automaton::closed;
use crate::network::Core;
use proptest::prelude::*;
use std::cmp::Ordering;

/// The zero-check of `a - b`, with its certificate or counterexample checked directly.
fn compare(a: &WeightedAutomaton, b: &WeightedAutomaton) -> ZeroCheck {
    let d = WeightedAutomaton::difference(a, b).unwrap();
    let check = zero_check(&d);
    match &check {
        ZeroCheck::Zero { basis } => assert_eq!(closed(basis, &d), Ok(()), "the certificate must check"),
        ZeroCheck::Counterexample { word, weight } => {
            assert_eq!(a.weight(word).unwrap() - b.weight(word).unwrap(), *weight);
            assert_ne!(*weight, q(0));
        }
    }
    check
}

/// The non-zero entries of `v` as a sparse row.
fn sparse(v: &[Q]) -> crate::automaton::SparseRow {
    v.iter().cloned().enumerate().filter(|(_, x)| *x != q(0)).collect()
}

/// Whether the dense rows `basis` pass the kernel's check.
fn closes(basis: &[Vec<Q>], a: &WeightedAutomaton) -> bool {
    closed(&basis.iter().map(|row| sparse(row)).collect::<Vec<_>>(), a).is_ok()
}

/// Two states, `alpha = (1, 1)`, every letter the all-ones matrix, `beta = (1/2, 1/2)`: also
/// `2^|w|`, since `(1, 1) J = 2 (1, 1)`.
fn doubling_in_two_states(letters: usize) -> WeightedAutomaton {
    let half = Q::new(1.into(), 2.into());
    WeightedAutomaton::new(
        vector(&[1, 1]),
        vec![matrix(&[&[1, 1], &[1, 1]]); letters],
        vec![half.clone(), half],
    )
    .unwrap()
}

#[test]
fn two_presentations_of_doubling_agree() {
    let check = compare(&doubling(2), &doubling_in_two_states(2));
    // The reachable vectors are (1, -1, -1) and nothing new after: a basis of one row.
    assert_eq!(
        check,
        ZeroCheck::Zero {
            basis: vec![sparse(&vector(&[1, -1, -1]))]
        }
    );
}

#[test]
fn even_zeros_is_its_dfa_and_not_doubling() {
    let parity = Dfa::new(0, vec![vec![1, 0], vec![0, 1]], vec![true, false]).unwrap();
    assert!(matches!(
        compare(&even_zeros(), &WeightedAutomaton::of_dfa(&parity)),
        ZeroCheck::Zero { .. }
    ));
    // The empty word weighs 1 in both; the word "0" weighs 0 against 2.
    let check = compare(&even_zeros(), &doubling(2));
    assert_eq!(
        check,
        ZeroCheck::Counterexample {
            word: vec![0],
            weight: q(-2)
        }
    );
}

#[test]
fn closed_rejects_what_is_not_a_certificate() {
    let d = WeightedAutomaton::difference(&doubling(2), &doubling_in_two_states(2)).unwrap();
    let good = vector(&[1, -1, -1]);
    assert!(closes(std::slice::from_ref(&good), &d));
    // alpha is not in an empty span.
    assert!(!closes(&[], &d));
    // Not reduced: the pivot is not 1.
    assert!(!closes(&[good.iter().map(|x| x * q(2)).collect()], &d));
    // A row of the wrong length.
    assert!(!closes(&[vector(&[1, -1])], &d));
    // The whole space is closed and holds alpha, but does not annihilate beta.
    let identity = matrix(&[&[1, 0, 0], &[0, 1, 0], &[0, 0, 1]]);
    assert!(!closes(&identity, &d));
    // Pivots out of order, and a pivot column not cleared in another row.
    assert!(!closes(&[vector(&[0, 1, 0]), vector(&[1, 0, 0])], &d));
    assert!(!closes(&[vector(&[1, 1, 0]), vector(&[0, 1, 0])], &d));
    // Closed in isolation but not holding alpha: the automaton's span has to be all there.
    let twice = WeightedAutomaton::new(vector(&[1, 0]), vec![matrix(&[&[0, 1], &[0, 0]])], vector(&[0, 0])).unwrap();
    assert!(!closes(&[vector(&[0, 1])], &twice));
    assert!(closes(&[vector(&[1, 0]), vector(&[0, 1])], &twice));
}

/// Khrulkov's eq. (9) witness on n letters with bond r: odd positions `G[1,i,b] = [i = b]`
/// (1 x n x r), even positions `G[a,i,1] = [i = a]` (r x n x 1), as the pair automaton.
fn khrulkov_eq9_pairs(n: usize, r: usize) -> WeightedAutomaton {
    let delta = |left: usize, right: usize, odd: bool| -> Core {
        Core::from_fn(left, n, right, |a, i, b| {
            Ok::<_, ()>(q((i == if odd { b } else { a }).into()))
        })
        .unwrap()
    };
    let (odd, even) = (delta(1, r, true), delta(r, 1, false));
    from_periodic_tt(&odd, &[even.clone(), odd.clone()], &even, 0)
        .unwrap()
        .pairs()
}

#[test]
fn khrulkov_eq9_is_the_identity_for_every_even_depth() {
    // n = r = 2, q = 2: restricted to letters <= q (here all of them), the odd/even
    // matricization is the identity for every even d: the pair automaton is [x_j = y_j for all j].
    let x = khrulkov_eq9_pairs(2, 2);
    let check = compare(&x, &WeightedAutomaton::of_dfa(&Dfa::pairs_equal(2)));
    assert!(matches!(check, ZeroCheck::Zero { .. }), "{check:?}");
    // So it is zero above and below the diagonal (x before y, x after y) at every even d.
    for order in [Ordering::Less, Ordering::Greater] {
        let off_diagonal = WeightedAutomaton::product(&x, &Dfa::pairs_compare(2, order)).unwrap();
        assert!(matches!(zero_check(&off_diagonal), ZeroCheck::Zero { .. }));
    }
    // n = 3, r = 2, q = 2: the train restricted to the letters <= q before pairing.
    let delta = |left: usize, right: usize, odd: bool| -> Core {
        Core::from_fn(left, 3, right, |a, i, b| {
            Ok::<_, ()>(q((i == if odd { b } else { a }).into()))
        })
        .unwrap()
    };
    let (odd, even) = (delta(1, 2, true), delta(2, 1, false));
    let letters = from_periodic_tt(&odd, &[even.clone(), odd.clone()], &even, 0).unwrap();
    let restricted = letters.restrict_letters(2).unwrap().pairs();
    assert!(matches!(
        compare(&restricted, &WeightedAutomaton::of_dfa(&Dfa::pairs_equal(2))),
        ZeroCheck::Zero { .. }
    ));
    // Unrestricted, the third letter breaks the identity at d = 2: X(3, 3) = 0, not 1.
    let check = compare(
        &khrulkov_eq9_pairs(3, 2),
        &WeightedAutomaton::of_dfa(&Dfa::pairs_equal(3)),
    );
    assert_eq!(
        check,
        ZeroCheck::Counterexample {
            word: vec![2 * 3 + 2],
            weight: q(-1)
        }
    );
    // But it is [x_j = y_j] times [every letter <= q], the DFA of the pair letters below q.
    let below: Vec<usize> = (0..9).map(|xy| if xy / 3 < 2 && xy % 3 < 2 { 0 } else { 1 }).collect();
    let both_below = Dfa::new(0, vec![below, vec![1; 9]], vec![true, false]).unwrap();
    let masked = WeightedAutomaton::product(&WeightedAutomaton::of_dfa(&Dfa::pairs_equal(3)), &both_below).unwrap();
    assert!(matches!(
        compare(&khrulkov_eq9_pairs(3, 2), &masked),
        ZeroCheck::Zero { .. }
    ));
}

#[test]
fn khrulkov_eq9_with_as_many_bonds_as_letters_is_the_identity() {
    // n = r = 3, q = 3: no restriction needed.
    let x = khrulkov_eq9_pairs(3, 3);
    assert!(matches!(
        compare(&x, &WeightedAutomaton::of_dfa(&Dfa::pairs_equal(3))),
        ZeroCheck::Zero { .. }
    ));
}

/// Alkin's equal-core witness (SPEC §3) on n letters with bond r and the given q, 0-based:
/// `first[1,i,b] = [i = b]`, `inner[a,i,b] = [a = i][b = q]` for `a < q`, `[i = b]` for
/// `a = q`, 0 above; `last[a,i,1] = [a = i]`; restricted to the letters below q, in pairs.
fn alkin_pairs(n: usize, r: usize, q_: usize) -> WeightedAutomaton {
    let first = Core::from_fn(1, n, r, |_, i, b| Ok::<_, ()>(q((i == b).into()))).unwrap();
    let inner = Core::from_fn(r, n, r, |a, i, b| {
        let hit = match a.cmp(&q_) {
            Ordering::Less => a == i && b == q_,
            Ordering::Equal => i == b,
            Ordering::Greater => false,
        };
        Ok::<_, ()>(q(hit.into()))
    })
    .unwrap();
    let last = Core::from_fn(r, n, 1, |a, i, _| Ok::<_, ()>(q((a == i).into()))).unwrap();
    let train = super::super::tt::from_equal_core_tt(&first, &inner, &last).unwrap();
    train.restrict_letters(q_).unwrap().pairs()
}

#[test]
fn alkin_witness_is_the_identity_for_every_even_depth() {
    // q = min(n, r - 1): the identity on the letters below q at every even d.
    for (n, r) in [(2, 3), (3, 3), (3, 4)] {
        let q_ = n.min(r - 1);
        let check = compare(
            &alkin_pairs(n, r, q_),
            &WeightedAutomaton::of_dfa(&Dfa::pairs_equal(q_)),
        );
        assert!(matches!(check, ZeroCheck::Zero { .. }), "n = {n}, r = {r}: {check:?}");
    }
    // Hypothesis 1's q = min(n, r) = 3 with r = 3: the bond index q + 1 does not exist, so the
    // inner core vanishes on the letters below q and X_4 = 0; the first failure is at d = 4.
    match compare(&alkin_pairs(3, 3, 3), &WeightedAutomaton::of_dfa(&Dfa::pairs_equal(3))) {
        ZeroCheck::Counterexample { word, weight } => assert_eq!((word.len(), weight), (2, q(-1))),
        other => panic!("expected a counterexample, got {other:?}"),
    }
}

/// Brute force: an automaton with s states is zero iff every word of length below s has
/// weight 0 (the spans V_k grow strictly until they stop, and have dimension at most s).
fn zero_by_brute_force(a: &WeightedAutomaton) -> bool {
    words(a.letters(), a.states().saturating_sub(1))
        .iter()
        .all(|w| a.weight(w) == Some(q(0)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// An automaton minus itself is zero, with a certificate that checks.
    #[test]
    fn an_automaton_minus_itself_is_zero(a in random_automaton(2, false)) {
        let zero = matches!(compare(&a, &a), ZeroCheck::Zero { .. });
        prop_assert!(zero);
    }

    /// The search agrees with brute force over short words; its counterexample is a shortest
    /// word of non-zero weight; its certificate checks and has at most s rows.
    #[test]
    fn zero_check_agrees_with_brute_force(a in random_automaton(2, true), b in random_automaton(2, true)) {
        let d = WeightedAutomaton::difference(&a, &b).unwrap();
        prop_assert_eq!(is_zero(&d), zero_by_brute_force(&d));
        match compare(&a, &b) {
            ZeroCheck::Zero { basis } => prop_assert!(basis.len() <= d.states()),
            ZeroCheck::Counterexample { word, .. } if !word.is_empty() => {
                for w in words(2, word.len() - 1) {
                    prop_assert_eq!(d.weight(&w), Some(q(0)));
                }
            }
            ZeroCheck::Counterexample { .. } => {}
        }
    }

    /// Sparse automata are often zero on their own: the certificate then checks, and drops
    /// nothing that brute force would find.
    #[test]
    fn sparse_automata(a in random_automaton(3, true)) {
        let check = zero_check(&a);
        if let ZeroCheck::Zero { basis } = &check {
            prop_assert!(closed(basis, &a).is_ok());
        }
        prop_assert_eq!(matches!(check, ZeroCheck::Zero { .. }), zero_by_brute_force(&a));
    }
}
