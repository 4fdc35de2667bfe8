//! The all-d decisions on the witnesses of the sources, built here by hand (0-based, from the
//! formulas of the case files), each checked against the ordinary per-instance decision at the
//! finite depths d = 2..8: a second implementation of the same claims.

use super::*;
use crate::claim::{Claim, Workspace};
use crate::network::periodic::PeriodicTrain;
use crate::network::Core;

fn core(left: usize, n: usize, right: usize, f: impl Fn(usize, usize, usize) -> bool) -> Core {
    Core::from_fn(left, n, right, |a, i, b| {
        Ok::<_, ()>(Q::from_integer(f(a, i, b).into()))
    })
    .unwrap()
}

fn even(train: PeriodicTrain) -> EveryDepth {
    EveryDepth {
        depths: Depths { even: true, least: 2 },
        train,
    }
}

/// Alkin's cores with the hub value `hub` (0-based): `q = hub` letters route to the hub.
fn alkin(n: usize, r: usize, hub: usize) -> EveryDepth {
    let first = core(1, n, r, |_, i, b| i == b);
    let inner = core(r, n, r, move |a, i, b| {
        if a < hub {
            a == i && b == hub
        } else if a == hub {
            i == b
        } else {
            false
        }
    });
    let last = core(r, n, 1, |a, i, _| a == i);
    even(PeriodicTrain {
        first,
        middle: vec![inner],
        last: vec![(0, last)],
    })
}

/// Khrulkov's eq. (9): `X = [i_1 = i_2 < r][i_3 = i_4 < r]..`, period 2.
fn khrulkov(n: usize, r: usize) -> EveryDepth {
    let first = core(1, n, r, |_, i, b| i == b);
    let even_core = core(r, n, 1, |a, i, _| i == a);
    let odd_core = core(1, n, r, |_, i, b| i == b);
    let last = core(r, n, 1, |a, i, _| i == a);
    even(PeriodicTrain {
        first,
        middle: vec![even_core, odd_core],
        last: vec![(0, last)],
    })
}

/// The copy tensor `[i_1 = .. = i_d]`.
fn copy(n: usize) -> EveryDepth {
    even(PeriodicTrain {
        first: core(1, n, n, |_, i, b| i == b),
        middle: vec![core(n, n, n, |a, i, b| a == i && i == b)],
        last: vec![(0, core(n, n, 1, |a, i, _| a == i))],
    })
}

/// The ordinary verdict of `claim` at depth d.
fn finite(every: &EveryDepth, d: usize, claim: &Claim) -> Outcome {
    let network = Network::Tt(every.train.train(d).unwrap());
    Workspace::new(&network, false).decide(claim, None)
}

fn odd_even_claims(d: usize, q: usize, base: usize) -> [Claim; 2] {
    [
        Claim::IdentitySubmatrix {
            matricization: Matricization::odd_even(d),
            q,
        },
        Claim::MatricizationRank {
            matricization: Matricization::odd_even(d),
            relation: crate::claim::Relation::AtLeast,
            bound: base.pow((d / 2) as u32),
        },
    ]
}

/// The all-d verdicts of the identity and rank claims, and that at every d = 2..8 the ordinary
/// verdicts are the same (an all-d FAILS: the same at its d, with its value at its index); an
/// all-d rank HOLDS holds at each d, and each exact rank of the search is the finite verdict's.
fn agree(every: &EveryDepth, q: usize, base: usize) -> (Verdict, Verdict) {
    let identity = decide(every, &DepthClaim::IdentitySubmatrix { q });
    let rank = decide(every, &DepthClaim::RankAtLeast { base, cp: false });
    for d in (2..=8).step_by(2) {
        let [finite_identity, finite_rank] = odd_even_claims(d, q, base).map(|c| finite(every, d, &c));
        match &identity.evidence {
            Evidence::EveryDepth(DepthEvidence::EntryDiffers {
                d: at, index, actual, ..
            }) => {
                if d == *at {
                    assert_eq!(finite_identity.verdict, Verdict::Fails);
                    assert_eq!(&every.train.train(d).unwrap().entry(index), actual);
                } else if d < *at {
                    assert_eq!(finite_identity.verdict, Verdict::Holds, "d = {d}");
                }
            }
            _ => assert_eq!(finite_identity.verdict, identity.verdict, "identity at d = {d}"),
        }
        match (&rank.verdict, &rank.evidence) {
            (Verdict::Holds, _) => assert_eq!(finite_rank.verdict, Verdict::Holds, "rank at d = {d}"),
            // The search's ranks: at or above the bound, then (a FAILS) one below it.
            (_, Evidence::EveryDepth(DepthEvidence::NotTriangular { ranks, .. })) => {
                if let Some(found) = ranks.iter().find(|r| r.d == d) {
                    let verdict = if found.witness.rank < found.bound {
                        Verdict::Fails
                    } else {
                        Verdict::Holds
                    };
                    assert_eq!(finite_rank.verdict, verdict, "rank at d = {d}");
                }
            }
            _ => {}
        }
    }
    (identity.verdict, rank.verdict)
}

#[test]
fn khrulkov_witness_is_an_identity_block_of_full_rank_for_every_even_d() {
    for (n, r) in [(2, 2), (3, 2), (2, 3), (4, 3)] {
        let q = n.min(r);
        assert_eq!(
            agree(&khrulkov(n, r), q, q),
            (Verdict::Holds, Verdict::Holds),
            "n={n} r={r}"
        );
    }
}

#[test]
fn alkin_witness_holds_with_q_and_is_unitriangular_on_the_hub_block() {
    for (n, r) in [(2, 3), (3, 3), (3, 4), (4, 3)] {
        let q = n.min(r - 1);
        assert_eq!(
            agree(&alkin(n, r, q), q, q),
            (Verdict::Holds, Verdict::Holds),
            "n={n} r={r}"
        );
        let support = decide(
            &alkin(n, r, q),
            &DepthClaim::SupportStructure {
                q,
                path: vec![(0..q).map(|_| q as i64 + 1).collect()],
            },
        );
        // With period 1 the path cannot alternate: the odd bonds carry i, so the claim fails at d = 2.
        assert_eq!(support.verdict, Verdict::Fails);
    }
    // As printed, on the larger block h = min(n, r): the identity fails when r <= n (at d = 4, by
    // hand: then h is the hub, the letter h leads from the hub back to it, so the word (h, 1, 1, h)
    // is the blocks h, (1 1), h and X_4(h, 1, 1, h) = 1 at row (h, 1), column (1, h)); the rank
    // bound h^(d/2) holds by a triangle.
    for (n, r) in [(3, 3), (4, 3), (3, 4)] {
        let (q, h) = (n.min(r - 1), n.min(r));
        let (identity, rank) = agree(&alkin(n, r, q), h, h);
        assert_eq!(rank, Verdict::Holds, "n={n} r={r}");
        assert_eq!(
            identity,
            if r <= n { Verdict::Fails } else { Verdict::Holds },
            "n={n} r={r}"
        );
        if r <= n {
            let outcome = decide(&alkin(n, r, q), &DepthClaim::IdentitySubmatrix { q: h });
            let Evidence::EveryDepth(DepthEvidence::EntryDiffers { d, index, actual, .. }) = &outcome.evidence else {
                panic!("{outcome:?}")
            };
            assert_eq!(
                (*d, index.clone(), actual.clone()),
                (4, vec![h - 1, 0, 0, h - 1], Q::one_value())
            );
        }
    }
}

#[test]
fn the_copy_tensor_fails_the_rank_bound_at_d_4() {
    for n in [2, 3] {
        let outcome = decide(&copy(n), &DepthClaim::RankAtLeast { base: n, cp: false });
        assert_eq!(outcome.verdict, Verdict::Fails);
        let Evidence::EveryDepth(DepthEvidence::NotTriangular { ranks, .. }) = &outcome.evidence else {
            panic!("{outcome:?}")
        };
        // By hand: the odd/even matricization of the copy tensor has n non-zero entries, one per
        // constant index, in distinct rows and columns: rank n, which is n^(d/2) only at d = 2.
        let last = ranks.last().unwrap();
        assert_eq!((last.d, last.witness.rank, last.bound), (4, n, n * n));
        let cp = decide(&copy(n), &DepthClaim::RankAtLeast { base: n, cp: true });
        assert_eq!(cp.verdict, Verdict::Undecided);
    }
}

#[test]
fn a_train_outside_the_claimed_support_fails_at_its_least_depth() {
    let every = alkin(3, 3, 2);
    // Alkin's Lemma 3 needs period 2 (a_k = i_k at odd k, the hub at even k).
    let two = EveryDepth {
        depths: every.depths,
        train: PeriodicTrain {
            middle: vec![every.train.middle[0].clone(), every.train.middle[0].clone()],
            ..every.train.clone()
        },
    };
    let lemma3 = |hub: i64| DepthClaim::SupportStructure {
        q: 2,
        path: vec![vec![hub, hub], vec![1, 2]],
    };
    assert_eq!(decide(&two, &lemma3(3)).verdict, Verdict::Holds);
    let wrong = decide(&two, &lemma3(2));
    let Evidence::EveryDepth(DepthEvidence::SupportViolation {
        d, index, path, bond, ..
    }) = &wrong.evidence
    else {
        panic!("{wrong:?}")
    };
    // The first even bond is k = 2, which the even depths first have at d = 4; there the bond
    // path is (i_1, 3, i_3) for the indices (i_1, i_1, i_3, i_3): a_2 = 3 (0-based 2), claimed 2.
    assert_eq!((*d, *bond, path[1]), (4, 2, 2));
    assert_eq!(index[0], index[1]);
}

/// The all-d support verdict of `path` (one row per class) and that at every d of `every`'s set
/// up to 8 the ordinary verdict is the same: an all-d HOLDS holds at each d, an all-d FAILS at
/// its d holds below it and fails there.
fn support_agrees(every: &EveryDepth, q: usize, path: &[Vec<i64>]) -> Verdict {
    let claim = DepthClaim::SupportStructure { q, path: path.to_vec() };
    let outcome = decide(every, &claim);
    let fails_at = match &outcome.evidence {
        Evidence::EveryDepth(DepthEvidence::SupportViolation { d, .. }) => Some(*d),
        _ => None,
    };
    assert_eq!(fails_at.is_some(), outcome.verdict == Verdict::Fails, "{outcome:?}");
    for d in every.depths.up_to(8) {
        let bonds = (1..d).map(|k| path[k % path.len()].clone()).collect();
        let finite = finite(every, d, &Claim::SupportStructure { q, path: bonds }).verdict;
        match fails_at {
            None => assert_eq!(finite, outcome.verdict, "support at d = {d}"),
            Some(at) if d < at => assert_eq!(finite, Verdict::Holds, "support at d = {d}, fails at {at}"),
            Some(at) if d == at => assert_eq!(finite, Verdict::Fails, "support at d = {d}"),
            Some(_) => {}
        }
    }
    outcome.verdict
}

mod random {
    use super::*;
    use proptest::prelude::*;

    /// A core of the given shape from its entries in `a, i, b` order.
    fn from_entries(left: usize, n: usize, right: usize, entries: &[i64]) -> Core {
        Core::from_fn(left, n, right, |a, i, b| {
            Ok::<_, ()>(Q::from_integer(entries[(a * n + i) * right + b].into()))
        })
        .unwrap()
    }

    /// Alkin's cores (hub `min(n, r - 1)`, 0-based) with the entry `at` of the core `which`
    /// (0 first, 1 inner, 2 last) set to `value`, as entry lists in `a, i, b` order.
    fn perturbed_alkin(n: usize, r: usize, which: usize, at: prop::sample::Index, value: i64) -> [Vec<i64>; 3] {
        let hub = n.min(r - 1);
        let every = alkin(n, r, hub);
        let entries = |g: &Core| {
            let (left, modes, right) = g.shape();
            let mut v = Vec::new();
            for a in 0..left {
                for i in 0..modes {
                    for b in 0..right {
                        v.push(i64::from(!g.get(a, i, b).vanishes()));
                    }
                }
            }
            v
        };
        let mut cores = [
            entries(&every.train.first),
            entries(&every.train.middle[0]),
            entries(&every.train.last[0].1),
        ];
        let core = &mut cores[which];
        let at = at.index(core.len());
        core[at] = value;
        cores
    }

    /// Equal cores (first, inner, last) with n, r <= 3: entries in -2..=2, or in {0, 1}, or
    /// Alkin's cores (r >= 2) with one entry set to a value in -1..=2; a block size q and a rank
    /// base in 1..=n; a support path of period 1 or 2 with bond values in 1..=r.
    #[allow(clippy::type_complexity)]
    fn equal_cores() -> impl Strategy<Value = (Core, Core, Core, usize, usize, Vec<Vec<i64>>)> {
        (1usize..=3, 1usize..=3, 0usize..3, 1usize..=2).prop_flat_map(|(n, r, kind, period)| {
            let entries = move |len: usize| {
                let range = if kind == 0 { -2..=2i64 } else { 0..=1i64 };
                prop::collection::vec(range, len)
            };
            let path = prop::collection::vec(prop::collection::vec(1..=r as i64, n), period);
            let perturbation = (0usize..3, any::<prop::sample::Index>(), -1..=2i64);
            let cores = (entries(n * r), entries(r * n * r), entries(r * n), perturbation);
            (cores, 1..=n, 1..=n, path).prop_map(move |((first, inner, last, (which, at, value)), q, base, path)| {
                let [first, inner, last] = if kind == 2 && r >= 2 {
                    perturbed_alkin(n, r, which, at, value)
                } else {
                    [first, inner, last]
                };
                (
                    from_entries(1, n, r, &first),
                    from_entries(r, n, r, &inner),
                    from_entries(r, n, 1, &last),
                    q,
                    base,
                    path,
                )
            })
        })
    }

    /// The train of every depth of `depths` with the equal cores, of period `period`: a last core
    /// for each residue `d % period` the depths reach.
    fn equal_core_train(first: &Core, inner: &Core, last: &Core, period: usize, depths: Depths) -> EveryDepth {
        let residues = if depths.even { 1 } else { period };
        EveryDepth {
            depths,
            train: PeriodicTrain {
                first: first.clone(),
                middle: vec![inner.clone(); period],
                last: (0..residues).map(|c| (c, last.clone())).collect(),
            },
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// On random (and random 0/1) equal cores, the all-d identity verdict agrees with the
        /// ordinary ones at d = 2, 4, 6, 8 (the same where it holds; below its failing d it
        /// holds, at it it fails with the reported entry), an all-d rank HOLDS holds at each of
        /// them, and the all-d support verdict, for every d and for every even d, agrees with the
        /// ordinary ones at the depths 2..8 of its set.
        #[test]
        fn every_depth_verdicts_agree_with_the_finite_ones_on_random_equal_cores(
            (first, inner, last, q, base, path) in equal_cores()
        ) {
            let period = path.len();
            let even = equal_core_train(&first, &inner, &last, 1, Depths { even: true, least: 2 });
            let (_identity, _rank) = agree(&even, q, base);
            let path: Vec<Vec<i64>> = path.iter().map(|row| row[..q].to_vec()).collect();
            for depths in [Depths { even: true, least: 2 }, Depths { even: false, least: 2 }] {
                let every = equal_core_train(&first, &inner, &last, period, depths);
                support_agrees(&every, q, &path);
            }
        }
    }
}
