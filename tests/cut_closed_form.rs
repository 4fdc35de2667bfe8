//! The closed form of the odd/even cut of a tensor train with every bond r and every mode of size
//! n, at d = 6, 8 and 10, written out by hand below, against the cut the program computes: from
//! the shapes alone (`train_cut`) for all 2 <= n, r <= 30, and on drawn networks (`cut_bound`)
//! for small n and r; and the library's closed form (`odd_even_train_cut`, used in the sweep
//! tables' captions) against the same hand formulas.
//!
//! Derivation. Rows are the odd modes 1, 3, .., columns the even ones. A cut puts each site on a
//! side; a leg costs n when its site is on the other side than its mode, a bond r when its two
//! sites are on different sides (the end bonds have dimension 1). Cut the sites into maximal
//! runs on one side, m runs: m - 1 bonds are cut. The modes of a run alternate, so a run of
//! length L has at least floor(L/2) legs on the wrong side, (L - 1)/2 when L is odd and the run
//! takes its end sites' side. The families, for m = 2j runs (j >= 1) of odd lengths
//! 1, .., 1, d - 2j + 1, each on its end sites' side (consecutive odd runs start at sites of
//! other parity, so they alternate sides as runs must):
//! - j = 0 (one run, everything on one side): n^(d/2);
//! - m = 2j: n^(d/2 - j) legs, r^(2j - 1) bonds; j = d/2 is every site on its own side, r^(d-1).
//!
//! No cut does better: m runs with o odd ones (o even, o <= m) leave at least (d - o)/2 legs, and
//! an odd m = 2j + 1 has o <= 2j, so it costs at least n^(d/2 - j) r^(2j), above the 2j runs.
//! At d = 6 that is min(n^3, n^2 r, n r^3, r^5), the form the issue states.

use tnproof::draw::{Draws, Entries, RandomKind};
use tnproof::network::cut::{cut_bound, odd_even_train_cut, train_cut};
use tnproof::tensor::Matricization;

/// The hand formulas, one term per family above (j = 0, 1, .., d/2).
fn by_hand(d: usize, n: u128, r: u128) -> u128 {
    let terms: Vec<u128> = match d {
        6 => vec![n.pow(3), n.pow(2) * r, n * r.pow(3), r.pow(5)],
        8 => vec![n.pow(4), n.pow(3) * r, n.pow(2) * r.pow(3), n * r.pow(5), r.pow(7)],
        10 => vec![
            n.pow(5),
            n.pow(4) * r,
            n.pow(3) * r.pow(3),
            n.pow(2) * r.pow(5),
            n * r.pow(7),
            r.pow(9),
        ],
        _ => unreachable!("only d = 6, 8, 10 are written out"),
    };
    terms.into_iter().min().unwrap_or(0)
}

/// Bonds r_0..r_d of a train with every inner bond r.
fn bonds(d: usize, r: usize) -> Vec<usize> {
    (0..=d).map(|k| if k == 0 || k == d { 1 } else { r }).collect()
}

fn odd_even_rows(d: usize) -> Vec<bool> {
    (0..d).map(|m| m % 2 == 0).collect()
}

#[test]
fn the_shape_cut_meets_the_hand_formula_for_n_and_r_up_to_30() {
    for d in [6, 8, 10] {
        for n in 2..=30usize {
            for r in 2..=30usize {
                let expected = by_hand(d, n as u128, r as u128);
                // The matrix's smaller side n^(d/2) is the j = 0 term, so the shape cut alone meets it.
                let computed = train_cut(&vec![n; d], &bonds(d, r), &odd_even_rows(d));
                assert_eq!(computed, expected, "d = {d}, n = {n}, r = {r}");
                assert_eq!(
                    odd_even_train_cut(d, n as u128, r as u128),
                    Some(expected),
                    "d = {d}, n = {n}, r = {r}"
                );
            }
        }
    }
}

#[test]
fn the_cut_of_drawn_trains_meets_the_hand_formula() {
    // The formula at a few points by hand: d = 6, n = 2, r = 3: 8, 12, 54, 243, so n^3 = 8;
    // n = 4, r = 2: 64, 32, 32, 32; d = 8, n = 3, r = 2: 81, 54, 72, 96, 128, so n^3 r = 54;
    // d = 10, n = r = 2: every term but r^9 is 32.
    assert_eq!(by_hand(6, 2, 3), 8);
    assert_eq!(by_hand(6, 4, 2), 32);
    assert_eq!(by_hand(8, 3, 2), 54);
    assert_eq!(by_hand(10, 2, 2), 32);
    for d in [6, 8] {
        for (n, r) in [(2, 2), (2, 3), (3, 2), (4, 2), (2, 4)] {
            for kind in [RandomKind::Tt, RandomKind::TtEqual] {
                let draws = Draws {
                    kind,
                    entries: Entries::Integers { lo: -3, hi: 3 },
                    seed: 1,
                    case_id: "t".into(),
                    instance: "p".into(),
                    n,
                    r,
                    d,
                    tries: 1,
                    ht: None,
                };
                let network = draws.network(0);
                let cut = cut_bound(&network, &Matricization::odd_even(d));
                assert_eq!(
                    cut,
                    by_hand(d, n as u128, r as u128),
                    "d = {d}, n = {n}, r = {r}, {kind:?}"
                );
            }
        }
    }
}
