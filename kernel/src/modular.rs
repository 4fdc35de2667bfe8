//! The kernel's arithmetic modulo a prime a certificate names (`field::Prime`: 2^61 - 1 or the
//! word prime 2^21 - 9), for certificates of generic ranks: the residues of the cores, the dense
//! tensor mod p of any listed network, and the rank of a matrix mod p by an echelon basis built
//! one row at a time. Plain loops; the residue arithmetic is `field`'s.

use super::exact::{dense, Core, Net};
use crate::field::{modp, modw, Prime, Residue, Scalar, WordResidue, Q};
use crate::rejection::Reason;

/// The core's entries as residues, `residue` giving each rational's (`None`: a denominator
/// divisible by p).
fn residues<S>(core: &Core, residue: impl Fn(&Q) -> Option<S>) -> Result<Core<S>, Reason> {
    let entries = core
        .entries
        .iter()
        .map(|q| residue(q).ok_or(Reason::DenominatorDivisibleByP))
        .collect::<Result<_, _>>()?;
    Ok(Core {
        left: core.left,
        modes: core.modes,
        right: core.right,
        entries,
    })
}

/// All entries of the network's tensor over the residues `residue` maps the rationals to.
fn dense_over<S: Scalar>(
    net: &Net,
    sizes: &[usize],
    residue: impl Fn(&Q) -> Option<S> + Copy,
) -> Result<Vec<S>, Reason> {
    let cores = |cores: &[Core]| {
        cores
            .iter()
            .map(|c| residues(c, residue))
            .collect::<Result<Vec<_>, _>>()
    };
    match net {
        Net::Train { cores: train, .. } => Ok(dense(&cores(train)?, sizes)),
        Net::Cp { factors, weights } => crate::cp::dense(
            &cores(factors)?,
            weights.as_ref().map(|w| residues(w, residue)).transpose()?.as_ref(),
            sizes,
        ),
        Net::Ht(net) => Ok(net
            .try_map(|q| residue(q).ok_or(Reason::DenominatorDivisibleByP))?
            .dense()),
        Net::Generalized(_) => Err(Reason::GenericGeneralized),
    }
}

/// All entries of the network's tensor mod `prime`, big-endian.
pub fn dense_mod(net: &Net, sizes: &[usize], prime: Prime) -> Result<Vec<u64>, Reason> {
    Ok(match prime {
        Prime::Mersenne61 => dense_over(net, sizes, |q| modp::of_rational(q).map(Residue))?
            .into_iter()
            .map(|r| r.0)
            .collect(),
        Prime::Word21 => dense_over(net, sizes, |q| modw::of_rational(q).map(WordResidue))?
            .into_iter()
            .map(|r| r.0)
            .collect(),
    })
}

/// The rank mod `prime` of the matrix whose rows `rows` yields, entries below the prime (the
/// invariant of `exact::Echelon`).
pub fn rank_mod(rows: impl Iterator<Item = Vec<u64>>, prime: Prime) -> usize {
    let mut kept: Vec<(usize, Vec<u64>)> = Vec::new();
    for mut row in rows {
        for (c, basis) in &kept {
            // The pivot of a kept row is non-zero (and `inv` is only asked for it).
            let (Some(&x), Some(&pivot)) = (row.get(*c), basis.get(*c)) else {
                continue;
            };
            if x != 0 {
                let factor = prime.mul(x, prime.inv(pivot));
                for (x, &y) in row.iter_mut().zip(basis) {
                    *x = prime.sub(*x, prime.mul(factor, y));
                }
            }
        }
        if let Some(c) = row.iter().position(|&x| x != 0) {
            kept.push((c, row));
        }
    }
    kept.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matrix_singular_mod_the_word_prime_only() {
        // [[1, 1], [1, 1 + p]] has determinant p: rank 2 mod 2^61 - 1, rank 1 mod p = 2^21 - 9.
        let rows = || vec![vec![1, 1], vec![1, (1 + modw::PRIME) % modp::PRIME]].into_iter();
        assert_eq!(rank_mod(rows(), Prime::Mersenne61), 2);
        let word_rows = vec![vec![1, 1], vec![1, 1]];
        assert_eq!(rank_mod(word_rows.into_iter(), Prime::Word21), 1);
        assert_eq!(rank_mod(vec![vec![2, 3], vec![4, 5]].into_iter(), Prime::Word21), 2);
    }
}
