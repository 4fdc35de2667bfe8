//! `conversion` (SPEC §8, Theorem 2 and Table 2 of Khrulkov et al. 2018): the network rewritten
//! as a TT or an HT by an explicit construction (`network::conversion`), compared with X entry
//! by entry, and its ranks with the claimed bounds. It HOLDS when the conversion is X and every
//! rank is within its bound; where a rank is over, the matricization at that bond or node
//! decides: a rank of X above the bound (exact, or certified mod p on random cores) means no
//! network of those ranks is X, and the claim FAILS; otherwise it is UNDECIDED.

use super::{ht_ranks, Evidence, Outcome, Verdict, Workspace};
use crate::field::Q;
use crate::network::conversion::{build, plan, Construction, Target};
use crate::network::Network;
use crate::tensor::{index_of, Matricization};

/// What a conversion shows.
#[derive(Clone, Debug)]
pub struct Converted {
    pub construction: Construction,
    pub network: Box<Network>,
    /// A TT's bonds 1..d-1, an HT's nodes below the root in post-order.
    pub ranks: Vec<usize>,
    /// How many entries X has, all compared.
    pub entries: usize,
    /// The first index (0-based) where the conversion is not X: X's value there and its.
    pub differs: Option<(Vec<usize>, Q, Q)>,
    /// The first rank over its bound (its position among `ranks`) and the rank of X's
    /// matricization there: a `Rank` or, on random cores, a `GenericRank`.
    pub over: Option<(usize, Box<Evidence>)>,
}

impl PartialEq for Converted {
    /// The converted networks compare by their kind and listed tensors.
    fn eq(&self, other: &Converted) -> bool {
        let listing = |n: &Network| {
            n.listed()
                .into_iter()
                .map(|t| (t.name, t.shape, t.entries.to_vec()))
                .collect::<Vec<_>>()
        };
        self.construction == other.construction
            && self.network.kind() == other.network.kind()
            && listing(&self.network) == listing(&other.network)
            && self.ranks == other.ranks
            && self.entries == other.entries
            && self.differs == other.differs
            && self.over == other.over
    }
}

/// The matricization behind the rank at `position`: bond k's (1..k | k+1..d), or a node's.
pub fn matricization(target: &Target, d: usize, position: usize) -> Matricization {
    match target {
        Target::Tt => Matricization::sequential(position + 1, d),
        Target::Ht(tree) => ht_ranks::nodes(tree, d).swap_remove(position).1,
    }
}

pub(super) fn decide(ws: &mut Workspace, target: &Target, bounds: &[usize]) -> Outcome {
    let network = ws.network;
    let sizes = network.mode_sizes();
    let plan = plan(network, target).expect("an instance takes only conversions that exist");
    let converted = build(network, target, &plan);
    let rebuilt = converted.dense(Q::clone);
    let x = ws.dense();
    let entries = x.entries().len();
    let differs = x
        .entries()
        .iter()
        .zip(rebuilt.entries())
        .position(|(a, b)| a != b)
        .map(|pos| {
            let index = index_of(&sizes, pos);
            (index, x.entries()[pos].clone(), rebuilt.entries()[pos].clone())
        });
    let first_over = plan.ranks.iter().zip(bounds).position(|(r, b)| r > b);
    let (verdict, over) = match (&differs, first_over) {
        (Some(_), _) => (Verdict::Undecided, None),
        (None, None) => (Verdict::Holds, None),
        (None, Some(j)) => {
            let m = matricization(target, sizes.len(), j);
            let (rank, evidence) = ws.any_rank(&m);
            let verdict = if rank > bounds[j] {
                Verdict::Fails
            } else {
                Verdict::Undecided
            };
            (verdict, Some((j, Box::new(evidence))))
        }
    };
    Outcome {
        verdict,
        evidence: Evidence::Conversion(Converted {
            construction: plan.construction,
            network: Box::new(converted),
            ranks: plan.ranks,
            entries,
            differs,
            over,
        }),
    }
}
