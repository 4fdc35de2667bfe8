//! The kernel's arithmetic modulo p = 2^61 - 1, for certificates of generic ranks: the residues
//! of the cores, the dense tensor mod p of any listed network, and the rank of a matrix mod p
//! by an echelon basis built one row at a time. Plain loops; the residue arithmetic is `field`'s.

use super::exact::{dense, Core, Net, Tree};
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
        Net::Cp { factors, weights } => crate::cp::dense(
            &factors.iter().map(residues).collect::<Result<Vec<_>, _>>()?,
            weights.as_ref().map(residues).transpose()?.as_ref(),
            sizes,
        ),
        Net::Ht { root } => node_mod_p(root),
        Net::Generalized(_) => Err(Reason::GenericGeneralized),
    }
}

/// An HT node's tensor `T[i_modes..., c]` mod p: big-endian over its modes, then its edge.
fn node_mod_p(tree: &Tree) -> Result<Vec<Residue>, Reason> {
    match tree {
        Tree::Leaf { core, .. } => Ok(residues(core)?.entries),
        Tree::Node { left, right, core } => {
            let (l, r, b) = (node_mod_p(left)?, node_mod_p(right)?, residues(core)?);
            let (el, er, ep) = (left.edge(), right.edge(), core.right);
            let mut out = Vec::new();
            for lx in l.chunks(el.max(1)) {
                for ry in r.chunks(er.max(1)) {
                    for c in 0..ep {
                        let mut sum = Residue::zero_value();
                        for (a, x) in lx.iter().enumerate() {
                            for (bb, y) in ry.iter().enumerate() {
                                sum.add_product(&Residue(modp::mul(x.0, y.0)), entry(&b, (a, bb, c))?);
                            }
                        }
                        out.push(sum);
                    }
                }
            }
            Ok(out)
        }
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
