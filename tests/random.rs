//! Random instances: the modular rank against the exact rank, the cut bound against certified
//! ranks for every random kind, the numeric cross-check against the certified rank, and the
//! generic-rank verdicts, including FAILS (only by the cut) and UNDECIDED; a CP-rank bound is
//! never refuted by the cut, which bounds the matricization, not the CP-rank.

mod common;

use common::run_case;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use tnproof::claim::{Evidence, Verdict};
use tnproof::draw::{Draws, Entries, HtShape, RandomKind};
use tnproof::field::{modp, q_int, Q};
use tnproof::linalg::modular::{rank_mod_p, ModMatrix};
use tnproof::linalg::rank;
use tnproof::network::conversion::{build, plan, Target};
use tnproof::network::cut::cut_bound;
use tnproof::network::ht::{Form, HtNetwork, ModeTree};
use tnproof::network::Network;
use tnproof::tensor::{matricize, Matricization, Matrix};

fn residues(m: &Matrix<Q>) -> ModMatrix {
    ModMatrix {
        nrows: m.nrows,
        ncols: m.ncols,
        entries: m.entries.iter().map(|q| modp::of_rational(q).unwrap()).collect(),
    }
}

fn small_matrix() -> impl Strategy<Value = Matrix<Q>> {
    (1usize..7, 1usize..7, 0usize..7).prop_flat_map(|(m, n, k)| {
        // A product of thin factors (rank <= k) or, for k = 6, a plain random matrix.
        (
            prop::collection::vec(-3i64..4, m * k.max(1)),
            prop::collection::vec(-3i64..4, k.max(1) * n),
            prop::collection::vec(-9i64..10, m * n),
        )
            .prop_map(move |(a, b, c)| {
                let entries = (0..m * n)
                    .map(|p| {
                        if k == 6 {
                            q_int(c[p])
                        } else {
                            q_int((0..k).map(|t| a[p / n * k + t] * b[t * n + p % n]).sum())
                        }
                    })
                    .collect();
                Matrix {
                    nrows: m,
                    ncols: n,
                    entries,
                }
            })
    })
}

proptest! {
    /// Entries |x| <= 9 (products of thin factors stay <= 3*3*6 = 54) and size <= 6: every minor
    /// is below 54^6 * 6! < 2^61 - 1 in absolute value (Hadamard), so it vanishes mod p only if
    /// it vanishes: the rank mod p equals the rank over Q, and a thin product is found deficient.
    #[test]
    fn modular_rank_equals_exact_rank_on_small_matrices(m in small_matrix()) {
        let exact = rank(&m).rank;
        let modular = rank_mod_p(&residues(&m), None);
        prop_assert_eq!(modular.rank, exact);
        prop_assert!(modular.rank <= m.nrows.min(m.ncols));
    }

    /// For every random kind and every matricization, the certified rank is at most the cut.
    #[test]
    fn cut_bound_is_never_below_a_certified_rank(kind in 0usize..4, n in 2usize..4, r in 1usize..4, d in 2usize..6, split in 0u32..64, seed in 0u64..1000) {
        let kind = [RandomKind::Tt, RandomKind::TtEqual, RandomKind::Cp, RandomKind::Ht][kind];
        let draws = Draws { kind, entries: Entries::Integers { lo: -9, hi: 9 }, seed, case_id: "t".into(), instance: "p".into(), n, r, d, tries: 1, ht: None };
        let network = draws.network(0);
        let rows: Vec<usize> = (0..d).filter(|m| split >> m & 1 == 1).collect();
        let cols: Vec<usize> = (0..d).filter(|m| split >> m & 1 == 0).collect();
        let m = Matricization::new(rows, cols, d).unwrap();
        let exact = rank(&matricize(&network.dense(Q::clone), &m)).rank;
        prop_assert!(exact as u128 <= cut_bound(&network, &m));
    }
}

/// A mode tree over `modes` (in that left-to-right order): a list of two or more is cut into
/// 2..=len contiguous groups at points taken from `draws`.
fn tree_over(modes: &[usize], draws: &mut impl Iterator<Item = usize>) -> ModeTree {
    if let [mode] = modes {
        return ModeTree::Leaf(*mode);
    }
    let arity = 2 + draws.next().unwrap_or(0) % (modes.len() - 1);
    // `arity - 1` distinct cut points in 1..len.
    let mut cuts: Vec<usize> = (1..modes.len()).collect();
    while cuts.len() > arity - 1 {
        cuts.remove(draws.next().unwrap_or(0) % cuts.len());
    }
    let bounds: Vec<usize> = std::iter::once(0).chain(cuts).chain([modes.len()]).collect();
    ModeTree::Node(
        bounds
            .windows(2)
            .map(|w| tree_over(&modes[w[0]..w[1]], draws))
            .collect(),
    )
}

/// A random HT network: any tree over 2..=5 modes, either form, ranks 1..=3 (one rank per level
/// in `convac` form, so that siblings of one level agree; a convac tree whose siblings are of
/// different levels draws all ranks equal).
fn random_ht() -> impl Strategy<Value = (Network, usize)> {
    (
        2usize..6,
        2usize..4,
        any::<bool>(),
        prop::collection::vec(0usize..1000, 16),
        1usize..4,
        0u64..1000,
    )
        .prop_flat_map(|(d, n, convac, draws, r, seed)| {
            (
                Just((d, n, convac, draws, r, seed)),
                Just((0..d).collect::<Vec<_>>()).prop_shuffle(),
            )
        })
        .prop_map(|((d, n, convac, draws, r, seed), order)| {
            let tree = tree_over(&order, &mut draws.iter().copied());
            let nodes = tree.post_order();
            let form = if convac { Form::Convac } else { Form::General };
            let mut ranks: Vec<usize> = nodes
                .iter()
                .map(|node| 1 + (r + node.level() * draws[15]) % 3)
                .collect();
            if convac
                && tnproof::network::ht::shapes(&tree, form, &vec![n; d], &{
                    let mut probe = ranks.clone();
                    *probe.last_mut().unwrap() = 1;
                    probe
                })
                .is_err()
            {
                ranks = vec![r; nodes.len()];
            }
            *ranks.last_mut().unwrap() = 1;
            let draws = Draws {
                kind: RandomKind::Ht,
                entries: Entries::Integers { lo: -3, hi: 3 },
                seed,
                case_id: "t".into(),
                instance: "p".into(),
                n,
                r,
                d,
                tries: 1,
                ht: Some(HtShape { tree, form, ranks }),
            };
            (draws.network(0), d)
        })
}

/// X[index] of an HT network by its definition, node by node: phi_leaf = U[i_m, :], and a node's
/// phi[p] = sum over its index tuple of B[c.., p] prod_j phi_j[c_j] (general) or
/// sum_alpha a[alpha, p] prod_j phi_j[alpha] (convac).
fn ht_entry(net: &HtNetwork<Q>, index: &[usize]) -> Q {
    fn phi(net: &HtNetwork<Q>, node: &ModeTree, at: &mut usize, index: &[usize]) -> Vec<Q> {
        let below: Vec<Vec<Q>> = node.children().iter().map(|c| phi(net, c, at, index)).collect();
        let part = &net.parts()[*at];
        *at += 1;
        let edge = *part.shape.last().unwrap();
        if let ModeTree::Leaf(m) = node {
            return part.entries[index[*m] * edge..(index[*m] + 1) * edge].to_vec();
        }
        let mut out = vec![q_int(0); edge];
        for (pos, value) in part.entries.iter().enumerate() {
            let (tuple, p) = (pos / edge, pos % edge);
            let mut rest = tuple;
            let mut c = vec![0; part.shape.len() - 1];
            for j in (0..c.len()).rev() {
                c[j] = rest % part.shape[j];
                rest /= part.shape[j];
            }
            let product: Q = match net.form() {
                Form::General => c.iter().zip(&below).map(|(&cj, v)| v[cj].clone()).product(),
                Form::Convac => below.iter().map(|v| v[c[0]].clone()).product(),
            };
            out[p] += product * value;
        }
        out
    }
    phi(net, net.tree(), &mut 0, index)[0].clone()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Over any tree and in both forms: the contraction is the definition entry by entry, and no
    /// matricization's exact rank exceeds the cut bound (hyperedges counted once).
    #[test]
    fn ht_over_any_tree_is_its_definition_and_below_its_cut((network, d) in random_ht(), split in 1u32..31) {
        let Network::Ht(net) = &network else { unreachable!() };
        let dense = network.dense(Q::clone);
        let sizes = network.mode_sizes();
        let mut index = vec![0; d];
        loop {
            prop_assert_eq!(dense.get(&index), &ht_entry(net, &index));
            if !tnproof::tensor::next_index(&sizes, &mut index) { break; }
        }
        let rows: Vec<usize> = (0..d).filter(|m| split >> m & 1 == 1).collect();
        let cols: Vec<usize> = (0..d).filter(|m| split >> m & 1 == 0).collect();
        prop_assume!(!rows.is_empty() && !cols.is_empty());
        let m = Matricization::new(rows, cols, d).unwrap();
        let exact = rank(&matricize(&dense, &m)).rank;
        prop_assert!(exact as u128 <= cut_bound(&network, &m), "rank {} above the cut of {} ({})", exact, net.tree(), net.form().name());
    }
}

fn random_case(kind: &str, params: &str, claims: &str) -> String {
    format!("[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"{kind}\"\n{params}\nseed = 3\ntries = 2\n{claims}\n")
}

fn outcome(text: &str) -> tnproof::claim::Outcome {
    let results = run_case(text);
    results[0].outcomes[0].clone()
}

/// A rank-3 CP tensor's odd/even matricization has rank <= 3 whatever its factors: asking for 4
/// fails by the cut bound (3), not by a draw.
#[test]
fn a_generic_rank_claim_fails_only_by_the_cut() {
    let text = random_case(
        "random-cp",
        "n = 3\nr = 3\nd = 4",
        "[[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"4\"\nexpect = \"fails\"",
    );
    let o = outcome(&text);
    assert_eq!(o.verdict, Verdict::Fails);
    let Evidence::GenericRank { cut, witness, .. } = o.evidence else {
        panic!("generic evidence")
    };
    assert_eq!((cut, witness.rank), (3, 3));
}

/// Random TT cores with n = 2, r = 2, d = 4. Split as rows (i1,i2), columns (i3,i4), the only bond
/// between the sides has dimension 2 and every other cut crosses two legs or bonds (4 or more):
/// cut 2. So through that split Lemma 1 gives at most rank_CP >= 2, and the claim rank_CP >= 3
/// is UNDECIDED, not FAILS: through the odd/even split (4 x 4, cut 4: for instance the leg of
/// mode 2 with the bond 3-4, or the legs of modes 2 and 4) the same draw shows rank_CP >= 3. No
/// second draw is made: none can certify more than the cut.
#[test]
fn a_cut_below_a_cp_rank_bound_leaves_it_undecided_and_draws_no_more() {
    let claims =
        "[[claim]]\nkind = \"cp-rank-lower-bound\"\nrows = \"m <= d / 2\"\nat-least = \"3\"\nexpect = \"undecided\"\n\
                  [[claim]]\nkind = \"cp-rank-lower-bound\"\nmatricization = \"odd-even\"\nat-least = \"3\"";
    let results = run_case(&random_case("random-tt", "n = 2\nr = 2\nd = 4", claims));
    assert!(results[0].as_expected());
    let [split, odd_even] = &results[0].outcomes[..] else {
        panic!("two outcomes")
    };
    assert_eq!(split.verdict, Verdict::Undecided);
    let Evidence::GenericRank { cut, witness, .. } = &split.evidence else {
        panic!("generic evidence")
    };
    assert_eq!((witness.rank, *cut), (2, 2));
    assert_eq!(odd_even.verdict, Verdict::Holds);
    assert_eq!(results[0].instance.attempt, 0, "no second draw");
}

/// Width-1 equal cores make a product of vectors: odd/even rank 1 = cut, so "= 1" holds and is
/// certified. With r = 2 a draw of rank > 1 refutes "at most 1" by its minor.
#[test]
fn generic_verdicts_holds_and_fails_by_the_minor() {
    let holds = outcome(&random_case(
        "random-tt-equal",
        "n = 2\nr = 1\nd = 4",
        "[[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nequal = \"1\"",
    ));
    assert_eq!(holds.verdict, Verdict::Holds);
    let fails = outcome(&random_case(
        "random-tt-equal",
        "n = 2\nr = 2\nd = 4",
        "[[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-most = \"1\"\nexpect = \"fails\"",
    ));
    assert_eq!(fails.verdict, Verdict::Fails);
    let Evidence::GenericRank { witness, .. } = fails.evidence else {
        panic!("generic evidence")
    };
    assert!(witness.rank > 1);
}

/// The numeric cross-check agrees with the certified rank on a well-conditioned instance.
#[test]
fn numeric_rank_agrees_on_a_well_conditioned_instance() {
    let o = outcome(&random_case(
        "random-tt",
        "n = 3\nr = 2\nd = 4",
        "[[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nequal = \"cut\"\nnumeric = true",
    ));
    let Evidence::GenericRank {
        witness,
        numeric: Some(numeric),
        ..
    } = o.evidence
    else {
        panic!("generic evidence with numeric")
    };
    assert_eq!(numeric.rank, witness.rank);
    assert!(numeric.sigma_kept > 1e3 * numeric.tolerance);
}

/// Every draw all zeros (integers = [0, 0]): the rank reached is 0, the cut allows 4, so "at least
/// 1" is undecided after both tries, never refuted by an unlucky draw.
#[test]
fn unlucky_draws_leave_a_claim_undecided_never_failed() {
    let text = random_case(
        "random-tt-equal",
        "n = 2\nr = 2\nd = 4\nintegers = [0, 0]",
        "[[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nat-least = \"1\"\nexpect = \"undecided\"",
    );
    let results = run_case(&text);
    assert_eq!(results[0].outcomes[0].verdict, Verdict::Undecided);
    assert_eq!(results[0].instance.attempt, 1, "both tries used");
    let Evidence::GenericRank { cut, witness, .. } = &results[0].outcomes[0].evidence else {
        panic!("generic evidence")
    };
    assert_eq!((witness.rank, *cut), (0, 4));
}

/// A conversion of `network` to `target` is its tensor, entry by entry, and has the ranks its
/// plan announced (a TT's bonds 1..d-1, an HT's nodes below the root).
fn converts(network: &Network, target: &Target) -> Result<(), TestCaseError> {
    let planned = plan(network, target).unwrap();
    let built = build(network, target, &planned);
    prop_assert_eq!(built.dense(Q::clone), network.dense(Q::clone));
    let ranks: Vec<usize> = match &built {
        Network::Tt(train) => {
            let bonds = train.bond_dims();
            bonds[1..bonds.len() - 1].to_vec()
        }
        Network::Ht(net) => {
            let edges: Vec<usize> = net.parts().iter().map(|p| p.edge()).collect();
            edges[..edges.len() - 1].to_vec()
        }
        _ => unreachable!("conversions write TT and HT networks"),
    };
    prop_assert_eq!(ranks, planned.ranks);
    Ok(())
}

proptest! {
    /// Every conversion over random trees (any arity, modes in any order, both node forms) is its
    /// source: an HT as a TT, a TT and a CP network as an HT over another random tree, a CP
    /// network as a TT.
    #[test]
    fn conversions_are_their_source_tensor(
        (ht, d) in random_ht(),
        r in 1usize..4,
        seed in 0u64..1000,
        draws in prop::collection::vec(0usize..1000, 16),
        order in Just((0..5).collect::<Vec<usize>>()).prop_shuffle(),
    ) {
        converts(&ht, &Target::Tt)?;
        let order: Vec<usize> = order.into_iter().filter(|&m| m < d).collect();
        let tree = tree_over(&order, &mut draws.iter().copied());
        for kind in [RandomKind::Tt, RandomKind::Cp] {
            let draws = Draws { kind, entries: Entries::Integers { lo: -3, hi: 3 }, seed, case_id: "t".into(), instance: "p".into(), n: 2, r, d, tries: 1, ht: None };
            let network = draws.network(0);
            converts(&network, &Target::Ht(tree.clone()))?;
            converts(&network, &Target::Tt)?;
        }
    }
}
