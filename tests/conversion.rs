//! The conversions' ranks worked out by hand, and each conversion equal to its source tensor
//! (`network::conversion`); random trees and networks are in `random.rs`.

use tnproof::draw::{Draws, Entries, HtShape, RandomKind};
use tnproof::field::Q;
use tnproof::network::conversion::{build, plan, Construction, Plan, Target};
use tnproof::network::ht::{Form, ModeTree};
use tnproof::network::Network;

fn draw(kind: RandomKind, n: usize, r: usize, d: usize, ht: Option<HtShape>) -> Network {
    Draws {
        kind,
        entries: Entries::Integers { lo: -5, hi: 5 },
        seed: 3,
        case_id: "conversion".into(),
        instance: "hand".into(),
        n,
        r,
        d,
        tries: 1,
        ht,
    }
    .network(0)
}

fn converted(network: &Network, target: &Target) -> (Plan, Network) {
    let plan = plan(network, target).unwrap();
    let built = build(network, target, &plan);
    assert_eq!(
        built.dense(Q::clone),
        network.dense(Q::clone),
        "the conversion is its source's tensor"
    );
    (plan, built)
}

#[test]
fn a_balanced_ht_of_eight_modes_as_a_tt_by_hand() {
    // Bond k carries the dyadic blocks left of it up to the middle, right of it after: k = 3 has
    // {1,2},{3} on the left and {4},{5..8} on the right, both r^2; k = 4 has {1..4}: r.
    let ht = draw(RandomKind::Ht, 2, 2, 8, None);
    let (plan, built) = converted(&ht, &Target::Tt);
    assert_eq!(plan.ranks, [2, 2, 4, 2, 4, 2, 2]);
    assert_eq!(built.train().unwrap().bond_dims(), [1, 2, 2, 4, 2, 4, 2, 2, 1]);
    // Switches 2, 3 and 4 give the same bonds; the smallest is taken.
    assert_eq!(plan.construction, Construction::HtToTt { switch: 2 });
}

#[test]
fn a_balanced_ht_of_four_modes_as_a_tt_has_bonds_r() {
    let ht = draw(RandomKind::Ht, 3, 2, 4, None);
    let (plan, _) = converted(&ht, &Target::Tt);
    assert_eq!(plan.ranks, [2, 2, 2]);
}

#[test]
fn a_train_as_an_ht_carries_the_crossing_bonds() {
    // Balanced tree of 4 modes, bonds r = 3: the leaves 1 and 4 cut one bond (3), the inner
    // leaves two (9), the nodes (1,2) and (3,4) one each (3).
    let tt = draw(RandomKind::Tt, 2, 3, 4, None);
    let tree = ModeTree::balanced(4);
    let (plan, built) = converted(&tt, &Target::Ht(tree.clone()));
    // Post-order: U1, U2, B1 = (1,2), U3, U4, B2 = (3,4).
    assert_eq!(plan.ranks, [3, 9, 3, 9, 3, 3]);
    let Network::Ht(net) = built else { panic!("an HT") };
    let edges: Vec<usize> = net.parts().iter().map(|p| p.edge()).collect();
    assert_eq!(edges, [3, 9, 3, 9, 3, 3, 1]);
    // The mirror tree ((1,4),(2,3)): the node (1,4) cuts bonds 1 and 3, so does (2,3).
    let mirror = ModeTree::mirror(4).unwrap();
    let (plan, _) = converted(&tt, &Target::Ht(mirror));
    assert_eq!(plan.ranks, [3, 3, 9, 9, 9, 9]);
}

#[test]
fn a_cp_network_as_a_tt_and_an_ht_of_ranks_r() {
    let cp = draw(RandomKind::Cp, 2, 3, 5, None);
    let (tt, _) = converted(&cp, &Target::Tt);
    assert_eq!(tt.ranks, [3; 4]);
    let tree = ModeTree::parse("((1,2,3),(4,5))", 5).unwrap();
    let (ht, built) = converted(&cp, &Target::Ht(tree));
    assert_eq!(ht.ranks, [3; 7]);
    assert!(matches!(built, Network::Ht(ref net) if net.form() == Form::Convac));
}

#[test]
fn one_mode_converts_to_one_core_and_one_leaf() {
    let cp = draw(RandomKind::Cp, 3, 2, 1, None);
    converted(&cp, &Target::Tt);
    converted(&cp, &Target::Ht(ModeTree::balanced(1)));
}

#[test]
fn planned_entries_are_the_built_ones() {
    let tree = ModeTree::parse("((1,3),(2,(4,5)))", 5).unwrap();
    let shape = HtShape {
        tree: tree.clone(),
        form: Form::General,
        ranks: vec![2, 3, 2, 2, 3, 2, 2, 2, 1],
    };
    let ht = draw(RandomKind::Ht, 2, 2, 5, Some(shape));
    let tt = draw(RandomKind::Tt, 3, 2, 5, None);
    for (network, target) in [(&ht, Target::Tt), (&tt, Target::Ht(tree))] {
        let (plan, built) = converted(network, &target);
        let listed: usize = built.listed().iter().map(|t| t.entries.len()).sum();
        assert_eq!(plan.entries, listed as u128);
    }
}

#[test]
fn an_ht_converts_over_its_own_tree_only() {
    let ht = draw(RandomKind::Ht, 2, 2, 4, None);
    let err = plan(&ht, &Target::Ht(ModeTree::mirror(4).unwrap())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "an HT network converts to an HT over its own tree ((1,2),(3,4)) only, not over ((1,4),(2,3))"
    );
}
