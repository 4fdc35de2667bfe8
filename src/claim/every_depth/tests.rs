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
/// verdicts are the same (an all-d FAILS: the same at its d, with its value at its index).
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
        if rank.verdict == Verdict::Holds {
            assert_eq!(finite_rank.verdict, Verdict::Holds, "rank at d = {d}");
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
    // hand: X[1,1,h,1] routes through the hub), the rank bound h^(d/2) holds by a triangle.
    for (n, r) in [(3, 3), (4, 3), (3, 4)] {
        let (q, h) = (n.min(r - 1), n.min(r));
        let (identity, rank) = agree(&alkin(n, r, q), h, h);
        assert_eq!(rank, Verdict::Holds, "n={n} r={r}");
        assert_eq!(
            identity,
            if r <= n { Verdict::Fails } else { Verdict::Holds },
            "n={n} r={r}"
        );
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
