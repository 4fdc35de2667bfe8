//! Rank claims on random cores are claims about the generic rank (SPEC §4). A draw whose
//! matricization has a minor non-singular mod p proves the generic rank is at least that minor's
//! size; the cut bound proves it is at most the cut. A claim HOLDS or FAILS only when one of
//! these proves it; otherwise it is UNDECIDED, never FAILS on an unlucky draw. A CP-rank bound
//! (Lemma 1) never FAILS here: the cut bounds the matricization, not the CP-rank.

use super::{Evidence, Outcome, Relation, Verdict};
use crate::field::{modw, Residue, WordResidue};
use crate::linalg::modular::{rank_mod_p, rank_mod_word_prime, ModMatrix, ModRank, WORD_PRIME};
use crate::linalg::numeric::{svd_rank, NumericRank, Tolerance};
use crate::network::assembly::{train_matricization, Arith};
use crate::network::cut::cut_bound;
use crate::network::Network;
use crate::tensor::{matricize, Matricization, Tensor};

/// What a rank claim on random cores is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bounded {
    /// The generic rank of the matricization, compared with the bound.
    Rank(Relation),
    /// `rank_CP >= bound` through the matricization's rank (Lemma 1).
    CpRank,
}

/// The verdict on the claim from a certified lower bound `rank` and the cut bound. A CP-rank
/// claim HOLDS when the rank reaches the bound and is UNDECIDED otherwise: a cut below the bound
/// refutes a bound on the matricization's rank, but the CP-rank may still be larger (a
/// disproof would be a CP decomposition of smaller rank).
pub fn verdict(claim: Bounded, bound: usize, rank: usize, cut: u128) -> Verdict {
    let bound_w = bound as u128;
    let relation = match claim {
        Bounded::CpRank if rank >= bound => return Verdict::Holds,
        Bounded::CpRank => return Verdict::Undecided,
        Bounded::Rank(relation) => relation,
    };
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

/// Whether drawing the cores again could decide an undecided claim: only a larger certified
/// rank changes a verdict, no draw certifies more than the cut, and a CP-rank claim whose bound
/// is above the cut stays undecided whatever the draw.
pub fn another_draw_may_decide(claim: Bounded, bound: usize, rank: usize, cut: u128) -> bool {
    let reachable = claim != Bounded::CpRank || bound as u128 <= cut;
    (rank as u128) < cut && reachable
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

/// Drawn tensors with at least this many entries are certified modulo the word prime
/// `2^21 - 9`, whose elimination runs on `f64` matrix products; smaller ones modulo `2^61 - 1`,
/// where both are fast and the larger prime makes an unlucky draw (a minor singular mod p only)
/// rarer still. The choice depends on the instance alone, so all its claims state one prime.
pub const WORD_PRIME_MIN_ENTRIES: usize = 1 << 18;

/// The residues of a drawn tensor, in the prime its ranks are certified in.
pub enum Residues {
    Mersenne(Tensor<Residue>),
    Word(Tensor<WordResidue>),
    /// A train mod the word prime: no tensor is kept, each matricization is assembled from the
    /// cores by matrix products when asked for (`network::assembly`).
    WordTrain,
}

impl Residues {
    /// Mod the word prime for a tensor of at least [`WORD_PRIME_MIN_ENTRIES`] entries whose core
    /// entries all have residues mod it (no denominator divisible by it), else mod 2^61 - 1.
    pub fn of(network: &Network) -> Residues {
        let entries = network
            .mode_sizes()
            .iter()
            .try_fold(1usize, |acc, &n| acc.checked_mul(n));
        let word = entries.is_none_or(|e| e >= WORD_PRIME_MIN_ENTRIES)
            && network
                .listed()
                .iter()
                .all(|core| core.entries.iter().all(|q| modw::of_rational(q).is_some()));
        if word && network.train().is_some() {
            Residues::WordTrain
        } else if word {
            Residues::Word(network.dense(|q| WordResidue(modw::of_rational(q).unwrap_or(0))))
        } else {
            Residues::Mersenne(network.dense_mod_p())
        }
    }
}

/// Certifies the rank of one matricization of a drawn network, as far as the cut bound.
pub fn certify(network: &Network, residues: &Residues, matricization: &Matricization) -> Certified {
    let cut = cut_bound(network, matricization);
    let stop_at = Some(usize::try_from(cut).unwrap_or(usize::MAX));
    let (shape, witness) = match residues {
        Residues::Mersenne(dense) => {
            let matrix = matricize(dense, matricization);
            let modular = ModMatrix {
                nrows: matrix.nrows,
                ncols: matrix.ncols,
                entries: matrix.entries.iter().map(|r| r.0).collect(),
            };
            ((matrix.nrows, matrix.ncols), rank_mod_p(&modular, stop_at))
        }
        Residues::Word(dense) => {
            let matrix = matricize(dense, matricization);
            let entries = matrix.entries.into_iter().map(|r| r.0 as f64).collect();
            let witness = rank_mod_word_prime(matrix.nrows, matrix.ncols, entries, stop_at);
            ((matrix.nrows, matrix.ncols), witness)
        }
        Residues::WordTrain => {
            let train = network.train().expect("WordTrain is chosen for trains only");
            let matrix = train_matricization(train, matricization, Arith::ModWord(WORD_PRIME))
                .expect("WordTrain is chosen when every core entry has a residue");
            let witness = rank_mod_word_prime(matrix.nrows, matrix.ncols, matrix.entries, stop_at);
            ((matrix.nrows, matrix.ncols), witness)
        }
    };
    Certified {
        matricization: matricization.clone(),
        shape,
        cut,
        witness,
    }
}

/// The outcome of `rank relation bound`, with the f64 SVD rank of the same matrix if asked for.
pub fn decide(
    network: &Network,
    certified: Certified,
    claim: Bounded,
    bound: usize,
    numeric: Option<Option<f64>>,
) -> Outcome {
    let numeric: Option<NumericRank> = numeric.map(|rtol| {
        let real = match network.train() {
            Some(train) => {
                train_matricization(train, &certified.matricization, Arith::Real).expect("every entry has an f64 image")
            }
            None => matricize(
                &network.dense(|q| num_traits::ToPrimitive::to_f64(q).unwrap_or(f64::NAN)),
                &certified.matricization,
            ),
        };
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
        verdict: verdict(claim, bound, witness.rank, cut),
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
        let rank = |relation| Bounded::Rank(relation);
        // Bound 8, cut 8: a draw reaching only rank 7 leaves the claim undecided.
        assert_eq!(verdict(rank(Relation::AtLeast), 8, 7, 8), Verdict::Undecided);
        assert_eq!(verdict(rank(Relation::AtLeast), 8, 8, 8), Verdict::Holds);
        assert_eq!(verdict(rank(Relation::AtLeast), 9, 8, 8), Verdict::Fails);
        assert_eq!(verdict(rank(Relation::Equal), 8, 8, 8), Verdict::Holds);
        assert_eq!(verdict(rank(Relation::Equal), 8, 8, 9), Verdict::Undecided);
        assert_eq!(verdict(rank(Relation::Equal), 7, 8, 9), Verdict::Fails);
        assert_eq!(verdict(rank(Relation::AtMost), 9, 3, 9), Verdict::Holds);
        assert_eq!(verdict(rank(Relation::AtMost), 2, 3, 9), Verdict::Fails);
        assert_eq!(verdict(rank(Relation::AtMost), 5, 3, 9), Verdict::Undecided);
    }

    /// Rank 8 with cut 8 refutes "rank >= 9" of the matricization, but not "rank_CP >= 9": the
    /// CP-rank is only bounded below by the matricization's rank.
    #[test]
    fn a_cut_below_a_cp_rank_bound_refutes_nothing() {
        assert_eq!(verdict(Bounded::CpRank, 9, 8, 8), Verdict::Undecided);
        assert_eq!(verdict(Bounded::CpRank, 8, 8, 8), Verdict::Holds);
        assert_eq!(verdict(Bounded::CpRank, 8, 7, 9), Verdict::Undecided);
    }

    /// Undecided claims: a draw of rank 7 under the cut 9 may be followed by one of rank 8 or 9,
    /// which decides a bound of 8; a CP-rank bound of 10 above the cut 9 is out of every draw's
    /// reach, whether the draw is below the cut (7) or at it (9).
    #[test]
    fn another_draw_helps_only_below_the_cut_and_within_reach() {
        assert!(another_draw_may_decide(Bounded::Rank(Relation::AtLeast), 8, 7, 9));
        assert!(another_draw_may_decide(Bounded::CpRank, 8, 7, 9));
        assert!(!another_draw_may_decide(Bounded::CpRank, 10, 7, 9));
        assert!(!another_draw_may_decide(Bounded::CpRank, 10, 9, 9));
    }
}
