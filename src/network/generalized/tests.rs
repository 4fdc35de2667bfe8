use super::*;
use crate::field::{q_int, Q};
use crate::network::Core;
use crate::tensor::{matricize, next_index, Matricization, Tensor};
use num_traits::{One, Zero};
use proptest::prelude::*;

const EXACT: [Xi; 3] = [Xi::Product, Xi::Rectifier, Xi::Sum];

fn core_of(left: usize, modes: usize, right: usize, values: &[i64]) -> Core {
    Core::from_fn(left, modes, right, |a, i, b| {
        Ok::<_, ()>(q_int(values[(a * modes + i) * right + b]))
    })
    .unwrap()
}

/// Random RNNs: T in 1..4, M in 1..4, widths L_t and ranks in 1..3, integer entries in -3..=3.
fn random_rnn() -> impl Strategy<Value = Rnn> {
    (1usize..4, 1usize..4).prop_flat_map(|(t, m)| rnn_of_shape(t, m))
}

/// Random RNNs with `T = t`, `M = m`.
fn rnn_of_shape(t: usize, m: usize) -> impl Strategy<Value = Rnn> {
    (prop::collection::vec(1usize..3, 4), prop::collection::vec(1usize..3, 3)).prop_flat_map(move |(widths, ranks)| {
        (0..t)
            .map(|k| {
                let (l, left, right) = (
                    widths[k],
                    if k == 0 { 1 } else { ranks[k - 1] },
                    if k + 1 == t { 1 } else { ranks[k] },
                );
                (
                    prop::collection::vec(-3i64..4, l * m),
                    prop::collection::vec(-3i64..4, l * left * right),
                )
                    .prop_map(move |(c, g)| (core_of(l, m, 1, &c), core_of(l, left, right, &g)))
            })
            .collect::<Vec<_>>()
            .prop_map(|cores| {
                let (c, g) = cores.into_iter().unzip();
                Rnn::new(c, g).unwrap()
            })
    })
}

/// A feature matrix `M x M` with integer entries in -2..=2.
fn random_features(m: usize) -> impl Strategy<Value = Core> {
    prop::collection::vec(-2i64..3, m * m).prop_map(move |v| core_of(m, m, 1, &v))
}

fn random_shallow(t: usize, m: usize) -> impl Strategy<Value = Shallow> {
    (1usize..4).prop_flat_map(move |r| {
        (
            prop::collection::vec(-3i64..4, r),
            prop::collection::vec(prop::collection::vec(-3i64..4, m * r), t),
        )
            .prop_map(move |(l, v)| {
                Shallow::new(core_of(1, r, 1, &l), v.iter().map(|vt| core_of(1, m, r, vt)).collect()).unwrap()
            })
    })
}

fn scaled(a: &Tensor<Q>, w: &Q) -> Vec<Q> {
    a.entries().iter().map(|x| x * w).collect()
}

proptest! {
    /// Prop. 3.8.3: the recursion gives the score of every template sequence, exactly over Q.
    #[test]
    fn recursion_equals_direct_evaluation(rnn in random_rnn(), seed in prop::collection::vec(-2i64..3, 9)) {
        let m = rnn.templates();
        let f = core_of(m, m, 1, &seed[..m * m]);
        for xi in EXACT {
            let grid = rnn.grid_tensor(xi, &f).unwrap();
            let direct = grid_by_evaluation(m, rnn.length(), |s| rnn.score(xi, &f, s)).unwrap();
            prop_assert_eq!(grid, direct);
        }
    }

    /// The same law in floating point, for every operator (softplus and sqrt included).
    #[test]
    fn recursion_equals_direct_evaluation_in_f64(rnn in random_rnn()) {
        let m = rnn.templates();
        let f = identity_features(m).map(|q| num_traits::ToPrimitive::to_f64(q).unwrap());
        let rnn = rnn.map(|q| num_traits::ToPrimitive::to_f64(q).unwrap());
        for xi in Xi::ALL {
            let grid = rnn.grid_tensor(xi, &f).unwrap();
            let direct = grid_by_evaluation(m, rnn.length(), |s| rnn.score(xi, &f, s)).unwrap();
            for (a, b) in grid.entries().iter().zip(direct.entries()) {
                prop_assert!(a == b || (a - b).abs() <= 1e-9 * (1.0 + a.abs()), "{xi:?}: {a} vs {b}");
            }
        }
    }

    /// Eq. (3.20): the shallow grid tensor formula gives the score of every template sequence.
    #[test]
    fn shallow_formula_equals_direct_evaluation((f, s) in (1usize..4, 1usize..4).prop_flat_map(|(t, m)| (random_features(m), random_shallow(t, m)))) {
        for xi in EXACT {
            let grid = s.grid_tensor(xi, &f).unwrap();
            let direct = grid_by_evaluation(s.templates(), s.length(), |x| s.score(xi, &f, x)).unwrap();
            prop_assert_eq!(grid, direct);
        }
    }

    /// Lemma 3: the block RNN's grid tensor is a Gamma_A + b Gamma_B, for every operator.
    #[test]
    fn lemma3_sum_is_the_linear_combination(
        (a, b) in (1usize..4, 1usize..4).prop_flat_map(|(t, m)| (rnn_of_shape(t, m), rnn_of_shape(t, m))),
        wa in -3i64..4,
        wb in -3i64..4,
    ) {
        let m = a.templates();
        let f = identity_features(m);
        let (wa, wb) = (q_int(wa), q_int(wb));
        let sum = combination(&[(wa.clone(), &a), (wb.clone(), &b)]).unwrap();
        for xi in EXACT {
            let (ga, gb) = (a.grid_tensor(xi, &f).unwrap(), b.grid_tensor(xi, &f).unwrap());
            let expected: Vec<Q> = scaled(&ga, &wa).iter().zip(scaled(&gb, &wb)).map(|(x, y)| x + y).collect();
            let got = sum.grid_tensor(xi, &f).unwrap();
            prop_assert_eq!(got.entries(), &expected[..]);
        }
        prop_assert_eq!(sum.ranks()[1..sum.length()].to_vec(), a.ranks()[1..a.length()].iter().zip(&b.ranks()[1..b.length()]).map(|(x, y)| x + y).collect::<Vec<_>>());
    }

    /// Prop. 3.8.4 (with Lemma 3 for width > 1): the RNN form of a shallow network has its grid
    /// tensor, for every exact operator, with ranks equal to the width.
    #[test]
    fn prop384_shallow_as_rnn((f, s) in (1usize..4, 1usize..4).prop_flat_map(|(t, m)| (random_features(m), random_shallow(t, m)))) {
        let rnn = rnn_of_shallow(&s).unwrap();
        for xi in EXACT {
            prop_assert_eq!(rnn.grid_tensor(xi, &f).unwrap(), s.grid_tensor(xi, &f).unwrap());
        }
        prop_assert!(rnn.ranks()[1..rnn.length()].iter().all(|&r| r == s.width()));
    }

    /// Theorem 3: for any H (and invertible F) the rectifier networks built for H have grid
    /// tensor H exactly; ranks are twice the number of non-zero entries.
    #[test]
    fn theorem3_universality(
        (f, h) in (1usize..4, 1usize..4).prop_flat_map(|(t, m)| (random_features(m), prop::collection::vec(-3i64..4, m.pow(t as u32)).prop_map(move |v| Tensor::from_entries(vec![m; t], v.into_iter().map(q_int).collect()).unwrap())))
    ) {
        prop_assume!(inverse_features(&f).is_some());
        let rnn = universal_rnn(&h, &f).unwrap();
        prop_assert_eq!(&rnn.grid_tensor(Xi::Rectifier, &f).unwrap(), &h);
        let shallow = universal_shallow(&h, &f).unwrap();
        prop_assert_eq!(&shallow.grid_tensor(Xi::Rectifier, &f).unwrap(), &h);
        let nonzero = h.entries().iter().filter(|x| !x.is_zero()).count().max(1);
        prop_assert_eq!(shallow.width(), 2 * nonzero);
        prop_assert!(rnn.ranks()[1..rnn.length()].iter().all(|&r| r == 2 * nonzero));
    }

    /// Prop. 3.8.5, corrected: with xi = product the networks built from H^ have grid tensor H.
    #[test]
    fn prop385_product_universality(
        (f, h) in (1usize..4, 1usize..4).prop_flat_map(|(t, m)| (random_features(m), prop::collection::vec(-3i64..4, m.pow(t as u32)).prop_map(move |v| Tensor::from_entries(vec![m; t], v.into_iter().map(q_int).collect()).unwrap())))
    ) {
        prop_assume!(inverse_features(&f).is_some());
        let w = product_weights(&h, &f, ProductVariant::Corrected).unwrap();
        prop_assert_eq!(&product_rnn(&w).unwrap().grid_tensor(Xi::Product, &f).unwrap(), &h);
        prop_assert_eq!(&product_shallow(&w).unwrap().grid_tensor(Xi::Product, &f).unwrap(), &h);
    }
}

#[test]
fn one_hot_by_hand() {
    // F = [[1, 1], [0, 1]] (F^{-1} = [[1, -1], [0, 1]]), T = 2, j = (2, 1).
    let f = core_of(2, 2, 1, &[1, 1, 0, 1]);
    let s = one_hot(&[1, 0], &f).unwrap();
    let grid = s.grid_tensor(Xi::Rectifier, &f).unwrap();
    assert_eq!(grid.entries(), &[q_int(0), q_int(0), q_int(1), q_int(0)]);
    // v_1^t = F^{-1} (1, 1) = (0, 1).
    assert_eq!(s.v()[0].get(0, 0, 0), &q_int(0));
    assert_eq!(s.v()[0].get(0, 1, 0), &q_int(1));
    assert!(one_hot(&[0, 0], &core_of(2, 2, 1, &[1, 1, 1, 1])).is_err());
}

#[test]
fn prop385_as_printed_fails_for_a_non_symmetric_f() {
    // T = 1, M = 2, F = [[1, 1], [0, 1]], H = e_1. Printed: H^_i = sum_j H_j F^{-1}_{j i} =
    // row 1 of F^{-1} = (1, -1); the grid is F H^ = (1 - 1, -1) = (0, -1), not (1, 0).
    let f = core_of(2, 2, 1, &[1, 1, 0, 1]);
    let h = Tensor::from_entries(vec![2], vec![q_int(1), q_int(0)]).unwrap();
    let w = product_weights(&h, &f, ProductVariant::Printed).unwrap();
    assert_eq!(w.entries(), &[q_int(1), q_int(-1)]);
    let grid = product_shallow(&w).unwrap().grid_tensor(Xi::Product, &f).unwrap();
    assert_eq!(grid.entries(), &[q_int(0), q_int(-1)]);
    // For symmetric F (here the identity) the printed order is harmless.
    let id = identity_features(2);
    let w = product_weights(&h, &id, ProductVariant::Printed).unwrap();
    assert_eq!(product_rnn(&w).unwrap().grid_tensor(Xi::Product, &id).unwrap(), h);
}

#[test]
fn theorem5_grid_is_the_constant_2_mr_to_the_t_minus_1() {
    for (m, r, t) in [(2, 1, 2), (2, 3, 3), (3, 2, 4)] {
        let f = core_of(
            m,
            m,
            1,
            &(0..m * m)
                .map(|x| if x % (m + 1) == 0 { 2 } else { 1 })
                .collect::<Vec<_>>(),
        );
        let rnn = expressivity_ii(&f, r, t).unwrap();
        let grid = rnn.grid_tensor(Xi::Rectifier, &f).unwrap();
        let constant = q_int(2 * ((m * r) as i64).pow(t as u32 - 1));
        assert!(grid.entries().iter().all(|x| x == &constant), "M={m} R={r} T={t}");
        let shallow = first_mode_shallow(&grid, &f).unwrap();
        assert_eq!(shallow.grid_tensor(Xi::Rectifier, &f).unwrap(), grid);
    }
}

/// Lemma 6 as printed in the thesis, built by hand: the 0/1 pattern and the rank formula.
#[test]
fn lemma6_pattern_and_rank() {
    for (m, r, t) in [(2, 1, 2), (3, 2, 4), (2, 2, 4), (3, 4, 2)] {
        let k = m.min(r);
        let mut c = Vec::new();
        let mut g = Vec::new();
        for step in 1..=t {
            let odd = step % 2 == 1;
            let l = if odd { m } else { m + 1 };
            c.push(matrix_core(l, m, |i, x| if i == x { Q::zero() } else { Q::one() }));
            g.push(if odd {
                Core::from_fn(m, 1, r, |i, _, b| {
                    Ok::<_, ()>(if i == b { Q::one() } else { Q::zero() })
                })
                .unwrap()
            } else {
                Core::from_fn(m + 1, r, 1, |i, a, _| {
                    Ok::<_, ()>(if i < m {
                        if i == a {
                            Q::one()
                        } else {
                            Q::zero()
                        }
                    } else if a == 0 {
                        q_int(1 - k as i64)
                    } else {
                        Q::zero()
                    })
                })
                .unwrap()
            });
        }
        let rnn = Rnn::new(c, g).unwrap();
        let grid = rnn.grid_tensor(Xi::Rectifier, &identity_features(m)).unwrap();
        let shape = vec![m; t];
        let mut index = vec![0; t];
        loop {
            let paired = index.chunks(2).all(|p| p[0] == p[1] && p[0] < r);
            assert_eq!(
                grid.get(&index),
                &q_int(if paired { 0 } else { 1 }),
                "M={m} R={r} T={t} at {index:?}"
            );
            if !next_index(&shape, &mut index) {
                break;
            }
        }
        let rank = crate::linalg::rank_reference(&matricize(&grid, &Matricization::odd_even(t))).rank;
        let half = t as u32 / 2;
        let formula = if r < m { r.pow(half) + 1 } else { m.pow(half) };
        assert_eq!(rank, formula, "M={m} R={r} T={t}");
    }
}
