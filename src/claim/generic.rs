//! Rank claims on random cores are claims about the generic rank (SPEC §4). A draw whose
//! matricization has a minor non-singular mod p proves the generic rank is at least that minor's
//! size; the cut bound proves it is at most the cut. A claim HOLDS or FAILS only when one of
//! these proves it; otherwise it is UNDECIDED, never FAILS on an unlucky draw.

use super::{Evidence, Outcome, Relation, Verdict};
use crate::field::Residue;
use crate::linalg::modular::{rank_mod_p, ModMatrix, ModRank};
use crate::linalg::numeric::{svd_rank, NumericRank, Tolerance};
use crate::network::cut::cut_bound;
use crate::network::Network;
use crate::tensor::{matricize, Matricization, Tensor};

/// The verdict on `rank relation bound` from a certified lower bound `rank` and the cut bound.
pub fn verdict(relation: Relation, bound: usize, rank: usize, cut: u128) -> Verdict {
    let bound_w = bound as u128;
    match relation {
        Relation::AtLeast if cut < bound_w => Verdict::Fails,
        Relation::AtLeast if rank >= bound => Verdict::Holds,
        Relation::Equal if bound_w > cut || rank > bound => Verdict::Fails,
        Relation::Equal if rank == bound && bound_w == cut => Verdict::Holds,
        Relation::AtMost if rank > bound => Verdict::Fails,
        Relation::AtMost if cut <= bound_w => Verdict::Holds,
        _ => Verdict::Undecided,
    }
}

/// What one draw certifies about a matricization: its shape, the cut bound, and a minor
/// non-singular mod p.
#[derive(Clone)]
pub struct Certified {
    pub matricization: Matricization,
    pub shape: (usize, usize),
    pub cut: u128,
    pub witness: ModRank,
}

/// Certifies the rank of one matricization of a drawn network, as far as the cut bound.
pub fn certify(network: &Network, dense: &Tensor<Residue>, matricization: &Matricization) -> Certified {
    let cut = cut_bound(network, matricization);
    let matrix = matricize(dense, matricization);
    let modular = ModMatrix {
        nrows: matrix.nrows,
        ncols: matrix.ncols,
        entries: matrix.entries.iter().map(|r| r.0).collect(),
    };
    let witness = rank_mod_p(&modular, Some(usize::try_from(cut).unwrap_or(usize::MAX)));
    Certified {
        matricization: matricization.clone(),
        shape: (matrix.nrows, matrix.ncols),
        cut,
        witness,
    }
}

/// The outcome of `rank relation bound`, with the f64 SVD rank of the same matrix if asked for.
pub fn decide(
    network: &Network,
    certified: Certified,
    relation: Relation,
    bound: usize,
    numeric: Option<Option<f64>>,
) -> Outcome {
    let numeric: Option<NumericRank> = numeric.map(|rtol| {
        let real = matricize(
            &network.dense(|q| num_traits::ToPrimitive::to_f64(q).unwrap_or(f64::NAN)),
            &certified.matricization,
        );
        svd_rank(
            real.nrows,
            real.ncols,
            &real.entries,
            rtol.map_or(Tolerance::Default, Tolerance::Relative),
        )
    });
    let Certified {
        matricization,
        shape,
        cut,
        witness,
    } = certified;
    Outcome {
        verdict: verdict(relation, bound, witness.rank, cut),
        evidence: Evidence::GenericRank {
            matricization,
            shape,
            cut,
            witness,
            numeric,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_unlucky_draw_never_fails_a_claim() {
        // Bound 8, cut 8: a draw reaching only rank 7 leaves the claim undecided.
        assert_eq!(verdict(Relation::AtLeast, 8, 7, 8), Verdict::Undecided);
        assert_eq!(verdict(Relation::AtLeast, 8, 8, 8), Verdict::Holds);
        assert_eq!(verdict(Relation::AtLeast, 9, 8, 8), Verdict::Fails);
        assert_eq!(verdict(Relation::Equal, 8, 8, 8), Verdict::Holds);
        assert_eq!(verdict(Relation::Equal, 8, 8, 9), Verdict::Undecided);
        assert_eq!(verdict(Relation::Equal, 7, 8, 9), Verdict::Fails);
        assert_eq!(verdict(Relation::AtMost, 9, 3, 9), Verdict::Holds);
        assert_eq!(verdict(Relation::AtMost, 2, 3, 9), Verdict::Fails);
        assert_eq!(verdict(Relation::AtMost, 5, 3, 9), Verdict::Undecided);
    }
}
