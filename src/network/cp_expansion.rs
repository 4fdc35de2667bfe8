//! Explicit CP decompositions of a network's tensor, the witnesses of `rank_CP X <= N`: a CP
//! network's own terms, and a tensor train expanded into its sum over bond paths,
//! `X = sum_(a_1..a_(d-1)) G_1[1,:,a_1] (x) G_2[a_1,:,a_2] (x) ... (x) G_d[a_(d-1),:,1]`, with
//! the terms that vanish dropped. It sizes an expansion before building it, builds it and sums
//! it term by term; it decides no claim, and other network kinds have no expansion here.

use super::{Core, Network, TensorTrain};
use crate::field::{Scalar, Q};
use crate::tensor::Tensor;
pub use tnproof_kernel::cp::{MAX_CANDIDATES, MAX_SUPPORT};

/// Where an expansion's terms come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The CP network's own `rank` terms, weighted when the case gives weights.
    CpTerms { rank: usize, weighted: bool },
    /// The train's `paths` = r_1 ... r_(d-1) bond paths.
    BondPaths { paths: u128 },
}

/// One rank-1 term `weight * v_1 (x) ... (x) v_d`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RankOne {
    pub weight: Q,
    pub vectors: Vec<Vec<Q>>,
}

/// The non-vanishing terms of a network's expansion, in order (CP terms by a; bond paths
/// lexicographically).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expansion {
    pub source: Source,
    pub terms: Vec<RankOne>,
}

/// The size of an expansion, known before it is built: how many candidate terms (CP terms or
/// bond paths) there are, and the work of summing the non-vanishing ones, `support` = the sum
/// over terms of the product of their vectors' non-zero counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExpansionSize {
    pub candidates: u128,
    pub support: u128,
}

impl ExpansionSize {
    /// Whether the expansion is within the limits that the kernel checks it within too.
    pub fn fits(self) -> bool {
        self.candidates <= MAX_CANDIDATES && self.support <= MAX_SUPPORT
    }
}

fn nonzeros(values: &[Q]) -> u128 {
    values.iter().filter(|v| !v.vanishes()).count() as u128
}

/// The fiber `G[a, :, b]`.
fn fiber(core: &Core, a: usize, b: usize) -> Vec<Q> {
    (0..core.modes).map(|i| core.get(a, i, b).clone()).collect()
}

/// `lambda_a` (1 without weights).
pub(super) fn weight(weights: Option<&Core>, a: usize) -> Q {
    weights.map_or_else(Q::one_value, |w| w.get(0, 0, a).clone())
}

/// The size of the network's expansion, or `None` for a kind that has none (HT, generalized).
pub fn size(network: &Network) -> Option<ExpansionSize> {
    match network {
        Network::Cp { factors, weights } => {
            let rank = factors.first().map_or(0, |f| f.right);
            let support = (0..rank)
                .filter(|&a| !weight(weights.as_ref(), a).vanishes())
                .map(|a| {
                    factors
                        .iter()
                        .fold(1u128, |p, f| p.saturating_mul(nonzeros(&fiber(f, 0, a))))
                })
                .fold(0u128, u128::saturating_add);
            Some(ExpansionSize {
                candidates: rank as u128,
                support,
            })
        }
        Network::Tt(train) | Network::TtEqual { train, .. } => {
            // A path's term has as many non-zeros as there are non-zero paths through its bonds.
            Some(ExpansionSize {
                candidates: path_count(train),
                support: train.support_paths(),
            })
        }
        Network::Ht { .. } | Network::Generalized(_) => None,
    }
}

/// The network's expansion with its vanishing terms dropped, or `None` for a kind that has
/// none. Size it first (`size`): a train has r_1 ... r_(d-1) paths.
pub fn expand(network: &Network) -> Option<Expansion> {
    match network {
        Network::Cp { factors, weights } => {
            let rank = factors.first().map_or(0, |f| f.right);
            let terms = (0..rank)
                .map(|a| RankOne {
                    weight: weight(weights.as_ref(), a),
                    vectors: factors.iter().map(|f| fiber(f, 0, a)).collect(),
                })
                .filter(|t| !vanishes(t))
                .collect();
            Some(Expansion {
                source: Source::CpTerms {
                    rank,
                    weighted: weights.is_some(),
                },
                terms,
            })
        }
        Network::Tt(train) | Network::TtEqual { train, .. } => {
            let paths = path_count(train);
            let mut terms = Vec::new();
            bond_paths(train.cores(), 0, &mut Vec::new(), &mut terms);
            Some(Expansion {
                source: Source::BondPaths { paths },
                terms,
            })
        }
        Network::Ht { .. } | Network::Generalized(_) => None,
    }
}

/// The number of bond paths of a train, r_1 ... r_(d-1) (saturating).
pub fn path_count(train: &TensorTrain) -> u128 {
    train
        .bond_dims()
        .iter()
        .fold(1u128, |p, &r| p.saturating_mul(r as u128))
}

fn vanishes(term: &RankOne) -> bool {
    term.weight.vanishes() || term.vectors.iter().any(|v| v.iter().all(Scalar::vanishes))
}

/// The terms of every path through `cores`, the first of them entered at bond value `a`, after
/// the fibers `prefix`; a zero fiber ends the path (its term vanishes).
fn bond_paths(cores: &[Core], a: usize, prefix: &mut Vec<Vec<Q>>, terms: &mut Vec<RankOne>) {
    let Some((core, rest)) = cores.split_first() else {
        terms.push(RankOne {
            weight: Q::one_value(),
            vectors: prefix.clone(),
        });
        return;
    };
    for b in 0..core.right {
        let v = fiber(core, a, b);
        if v.iter().all(Scalar::vanishes) {
            continue;
        }
        prefix.push(v);
        bond_paths(rest, b, prefix, terms);
        prefix.pop();
    }
}

impl Expansion {
    /// The sum of the terms as a dense tensor of shape `sizes`, each term added over the
    /// non-zero entries of its vectors only.
    pub fn tensor(&self, sizes: &[usize]) -> Tensor<Q> {
        let count: usize = sizes.iter().product();
        let mut entries = vec![Q::zero_value(); count];
        for term in &self.terms {
            // (position, product) over the prefixes of non-zero entries, big-endian.
            let mut partial = vec![(0usize, term.weight.clone())];
            for (v, &n) in term.vectors.iter().zip(sizes) {
                partial = partial
                    .iter()
                    .flat_map(|(pos, x)| {
                        v.iter()
                            .enumerate()
                            .filter(|(_, y)| !y.vanishes())
                            .map(move |(i, y)| (pos * n + i, x * y))
                    })
                    .collect();
            }
            for (pos, x) in partial {
                entries[pos] += x;
            }
        }
        Tensor::from_entries(sizes.to_vec(), entries).expect("one entry per index")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::q_int;
    use crate::network::strategies::{core, random_train};
    use proptest::prelude::*;

    /// Eq. (9) at n = 2, r = 3, d = 2: G_1[1,i,a] = [i = a], G_2[a,i,1] = [i = a]. The 3 paths
    /// a_1 = 1, 2, 3 give e_a (x) e_a for a <= 2 and a zero fiber for a = 3 (no index i = 3):
    /// 2 terms, the identity.
    #[test]
    fn bond_paths_by_hand() {
        let g1 = core(1, 2, 3, &[1, 0, 0, 0, 1, 0]);
        let g2 = core(3, 2, 1, &[1, 0, 0, 1, 0, 0]);
        let network = Network::Tt(TensorTrain::new(vec![g1, g2]).unwrap());
        assert_eq!(
            size(&network),
            Some(ExpansionSize {
                candidates: 3,
                support: 2
            })
        );
        let expansion = expand(&network).unwrap();
        assert_eq!(expansion.source, Source::BondPaths { paths: 3 });
        assert_eq!(expansion.terms.len(), 2);
        assert_eq!(expansion.terms[1].vectors, vec![vec![q_int(0), q_int(1)]; 2]);
        assert_eq!(
            expansion.tensor(&[2, 2]).entries(),
            &[q_int(1), q_int(0), q_int(0), q_int(1)]
        );
    }

    /// lambda = (2, 0, -1), V_1 = V_2 = columns (1,1), (1,0), (0,1): the zero weight drops the
    /// second term, and X = 2 (1,1)(1,1)^T - (0,1)(0,1)^T = [[2, 2], [2, 1]].
    #[test]
    fn weighted_cp_terms_by_hand() {
        let v = core(1, 2, 3, &[1, 1, 0, 1, 0, 1]);
        let network = Network::Cp {
            factors: vec![v.clone(), v],
            weights: Some(core(1, 1, 3, &[2, 0, -1])),
        };
        assert_eq!(size(&network).unwrap().support, 4 + 1);
        let expansion = expand(&network).unwrap();
        assert_eq!(expansion.terms.len(), 2);
        let expected = [q_int(2), q_int(2), q_int(2), q_int(1)];
        assert_eq!(expansion.tensor(&[2, 2]).entries(), &expected);
        assert_eq!(network.dense(Q::clone).entries(), &expected);
    }

    proptest! {
        /// The sum over bond paths equals the train entry by entry, and its support is the one
        /// `size` predicts.
        #[test]
        fn bond_path_expansion_equals_the_train(train in random_train(true)) {
            let sizes = train.mode_sizes();
            let network = Network::Tt(train.clone());
            let expansion = expand(&network).unwrap();
            prop_assert_eq!(expansion.tensor(&sizes), train.contract());
            let support: u128 = expansion
                .terms
                .iter()
                .map(|t| t.vectors.iter().map(|v| nonzeros(v)).product::<u128>())
                .sum();
            let predicted = size(&network).unwrap();
            prop_assert_eq!(predicted.support, support);
            prop_assert!(expansion.terms.len() as u128 <= predicted.candidates);
        }
    }
}
