//! The kernel's arithmetic modulo p = 2^61 - 1, for certificates of generic ranks: the residues
//! of the cores, the dense tensor mod p of any listed network, and the rank of a matrix mod p
//! by an echelon basis built one row at a time. Plain loops; the residue arithmetic is `field`'s.

use super::exact::{dense, Core, Net};
use crate::field::{modp, Residue, Scalar};
use crate::rejection::{Misfit, Reason};

fn residues(core: &Core) -> Result<Core<Residue>, Reason> {
    let entries = core
        .entries
        .iter()
        .map(|q| modp::of_rational(q).map(Residue).ok_or(Reason::DenominatorDivisibleByP))
        .collect::<Result<_, _>>()?;
    Ok(Core {
        left: core.left,
        modes: core.modes,
        right: core.right,
        entries,
    })
}

/// All entries of the network's tensor mod p, big-endian.
pub fn dense_mod_p(net: &Net, sizes: &[usize]) -> Result<Vec<Residue>, Reason> {
    match net {
        Net::Train { cores, .. } => Ok(dense(
            &cores.iter().map(residues).collect::<Result<Vec<_>, _>>()?,
            sizes,
        )),
        Net::Cp { factors } => {
            let factors = factors.iter().map(residues).collect::<Result<Vec<_>, _>>()?;
            let count: usize = sizes.iter().product();
            let rank = factors.first().map_or(0, |f| f.right);
            (0..count)
                .map(|pos| {
                    let index = super::exact::index_at(sizes, pos);
                    let mut sum = Residue::zero_value();
                    for a in 0..rank {
                        let mut term = Residue::one_value();
                        for (f, &i) in factors.iter().zip(&index) {
                            term = Residue(modp::mul(term.0, entry(f, (0, i, a))?.0));
                        }
                        sum.add_product(&term, &Residue::one_value());
                    }
                    Ok(sum)
                })
                .collect()
        }
        Net::Ht(net) => Ok(net
            .try_map(|q| modp::of_rational(q).map(Residue).ok_or(Reason::DenominatorDivisibleByP))?
            .dense()),
        Net::Generalized(_) => Err(Reason::GenericGeneralized),
    }
}

/// `G[a, i, b]`, which the shapes read make sure exists.
fn entry(core: &Core<Residue>, (a, i, b): (usize, usize, usize)) -> Result<&Residue, Reason> {
    core.get(a, i, b).ok_or(Reason::Misfit(Misfit::Index))
}

/// The rank mod p of the matrix whose rows `rows` yields (the invariant of `exact::Echelon`).
pub fn rank_mod_p(rows: impl Iterator<Item = Vec<u64>>) -> usize {
    let mut kept: Vec<(usize, Vec<u64>)> = Vec::new();
    for mut row in rows {
        for (c, basis) in &kept {
            // The pivot of a kept row is non-zero (and `inv` is only asked for it).
            let (Some(&x), Some(&pivot)) = (row.get(*c), basis.get(*c)) else {
                continue;
            };
            if x != 0 {
                let factor = modp::mul(x, modp::inv(pivot));
                for (x, &y) in row.iter_mut().zip(basis) {
                    *x = modp::sub(*x, modp::mul(factor, y));
                }
            }
        }
        if let Some(c) = row.iter().position(|&x| x != 0) {
            kept.push((c, row));
        }
    }
    kept.len()
}
