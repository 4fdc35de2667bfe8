//! CP networks and CP decompositions in the kernel. The tensor of a CP network from its listed
//! weights and factors; and the decompositions that certify `rank_CP X <= N`, rebuilt from the
//! listed cores and never read from the certificate: a CP network's own terms, or a tensor train
//! summed over all its bond paths, with the terms that vanish dropped, summed term by term and
//! compared with the tensor entry by entry; on drawn cores, the decomposition every draw has.
//! With them the claim `cp-rank-upper-bound`, and the disproof of a `cp-rank-lower-bound` that
//! Lemma 1 leaves short. Plain loops; the candidate terms and the work of summing are budgeted.

use crate::exact::{index_at, one_based, volume, Core, Net};
use crate::field::{Scalar, Q};
use crate::read::Lines;
use crate::read::{matricization, number};
use crate::rejection::{Budget, Misfit, NoDisproof, Reason, Verdict};
use crate::{cp_rank_short_of, derived_bound, exact_rank, holes, rank_text, Subject};
use num_traits::Zero;

/// The most candidate terms (CP terms, or bond paths of a train) an expansion may have.
pub const MAX_CANDIDATES: u128 = 1 << 16;
/// The most work summing an expansion may take: over its terms, the product of their vectors'
/// non-zero counts.
pub const MAX_SUPPORT: u128 = 1 << 24;

/// `G[a, i, b]`, which the shapes read make sure exists.
fn entry<S>(core: &Core<S>, (a, i, b): (usize, usize, usize)) -> Result<&S, Reason> {
    core.get(a, i, b).ok_or(Reason::Misfit(Misfit::Index))
}

/// `X[i] = sum_a lambda_a V_1[1, i_1, a] ... V_d[1, i_d, a]` at every index, big-endian
/// (`lambda_a = 1` without weights).
pub(crate) fn dense<S: Scalar>(
    factors: &[Core<S>],
    weights: Option<&Core<S>>,
    sizes: &[usize],
) -> Result<Vec<S>, Reason> {
    let rank = factors.first().map_or(0, |f| f.right);
    (0..volume(sizes))
        .map(|pos| {
            let index = index_at(sizes, pos);
            let mut sum = S::zero_value();
            for a in 0..rank {
                let mut term = match weights {
                    Some(w) => entry(w, (0, 0, a))?.clone(),
                    None => S::one_value(),
                };
                for (f, &i) in factors.iter().zip(&index) {
                    let mut product = S::zero_value();
                    product.add_product(&term, entry(f, (0, i, a))?);
                    term = product;
                }
                sum.add_product(&term, &S::one_value());
            }
            Ok(sum)
        })
        .collect()
}

/// One rank-1 term `weight * v_1 (x) ... (x) v_d`.
struct Term {
    weight: Q,
    vectors: Vec<Vec<Q>>,
}

impl Term {
    fn vanishes(&self) -> bool {
        self.weight.is_zero() || self.vectors.iter().any(|v| v.iter().all(Q::is_zero))
    }

    /// The products of the non-zero counts of its vectors: the work of adding it to a tensor.
    fn support(&self) -> u128 {
        self.vectors.iter().fold(1u128, |p, v| {
            p.saturating_mul(v.iter().filter(|x| !x.is_zero()).count() as u128)
        })
    }
}

/// `G[a, :, b]`.
fn fiber(core: &Core, a: usize, b: usize) -> Result<Vec<Q>, Reason> {
    (0..core.modes).map(|i| entry(core, (a, i, b)).cloned()).collect()
}

/// The decomposition of an explicit network rebuilt from its cores, its vanishing terms
/// dropped, with the evidence's words for it: `None` for a network without one (HT,
/// generalized); one over the budgets is refused.
fn rebuild(net: &Net) -> Result<Option<(String, Vec<Term>)>, Reason> {
    let (candidates, source, terms) = match net {
        Net::Cp { factors, weights } => {
            let rank = factors.first().map_or(0, |f| f.right);
            if rank as u128 > MAX_CANDIDATES {
                return Err(Reason::OverBudget(Budget::Expansion));
            }
            let terms = (0..rank)
                .map(|a| {
                    Ok(Term {
                        weight: match weights {
                            Some(w) => entry(w, (0, 0, a))?.clone(),
                            None => Q::from_integer(1.into()),
                        },
                        vectors: factors.iter().map(|f| fiber(f, 0, a)).collect::<Result<_, _>>()?,
                    })
                })
                .collect::<Result<Vec<_>, Reason>>()?;
            let weighted = if weights.is_some() { "lambda_a " } else { "" };
            let source = format!("the sum of the network's {rank} terms {weighted}V_1[1,:,a] (x) ... (x) V_d[1,:,a]");
            (rank as u128, source, terms)
        }
        Net::Train { cores, bonds } => {
            // The bond values a_1..a_(d-1), big-endian over r_1..r_(d-1); a_0 = a_d = 1.
            let inner = bonds.get(1..bonds.len().saturating_sub(1)).unwrap_or_default();
            let paths = inner.iter().fold(1u128, |p, &r| p.saturating_mul(r as u128));
            if paths > MAX_CANDIDATES {
                return Err(Reason::OverBudget(Budget::Expansion));
            }
            let terms = (0..volume(inner))
                .map(|p| {
                    let values = index_at(inner, p);
                    let ends: Vec<usize> = std::iter::once(0).chain(values).chain(std::iter::once(0)).collect();
                    let vectors = cores
                        .iter()
                        .zip(ends.iter().zip(ends.iter().skip(1)))
                        .map(|(core, (&a, &b))| fiber(core, a, b))
                        .collect::<Result<_, _>>()?;
                    Ok(Term {
                        weight: Q::from_integer(1.into()),
                        vectors,
                    })
                })
                .collect::<Result<Vec<_>, Reason>>()?;
            let source = format!("the sum over the train's {paths} bond paths of the rank-1 terms G_1[1,:,a_1] (x) G_2[a_1,:,a_2] (x) ... (x) G_d[a_(d-1),:,1]");
            (paths, source, terms)
        }
        Net::Ht { .. } | Net::Generalized(_) => return Ok(None),
    };
    let kept: Vec<Term> = terms.into_iter().filter(|t| !t.vanishes()).collect();
    let support = kept.iter().fold(0u128, |s, t| s.saturating_add(t.support()));
    if candidates > MAX_CANDIDATES || support > MAX_SUPPORT {
        return Err(Reason::OverBudget(Budget::Expansion));
    }
    Ok(Some((source, kept)))
}

/// The sum of the terms over a tensor of shape `sizes`, each added at the non-zero entries of
/// its vectors.
fn sum(terms: &[Term], sizes: &[usize]) -> Result<Vec<Q>, Reason> {
    let mut x = vec![Q::zero(); volume(sizes)];
    for term in terms {
        // (big-endian position, value) over the non-zero prefixes of the term.
        let mut partial = vec![(0usize, term.weight.clone())];
        for (v, &n) in term.vectors.iter().zip(sizes) {
            let mut next = Vec::new();
            for (pos, w) in &partial {
                for (i, y) in v.iter().enumerate().filter(|(_, y)| !y.is_zero()) {
                    let at = pos.checked_mul(n).and_then(|p| p.checked_add(i));
                    next.push((at.ok_or(Reason::Misfit(Misfit::Index))?, w * y));
                }
            }
            partial = next;
        }
        for (pos, w) in partial {
            *x.get_mut(pos).ok_or(Reason::Misfit(Misfit::Index))? += w;
        }
    }
    Ok(x)
}

/// An explicit network's decomposition, its sum compared with the tensor entry by entry: the
/// number of its terms and the evidence's words for it; `None` for a network without one.
fn checked_decomposition(subject: &mut Subject) -> Result<Option<(u128, String)>, Reason> {
    let Some((source, terms)) = rebuild(&subject.net)? else {
        return Ok(None);
    };
    let sizes = subject.sizes.clone();
    subject.entries_fit(crate::MAX_DENSE)?;
    let rebuilt = sum(&terms, &sizes)?;
    let x = subject.full()?;
    if let Some(pos) = (0..x.len().max(rebuilt.len())).find(|&p| x.get(p) != rebuilt.get(p)) {
        return Err(Reason::DecompositionDiffers {
            index: one_based(&index_at(&sizes, pos)),
        });
    }
    let n = terms.len();
    Ok(Some((
        n as u128,
        format!(
            "X is {source}; {n} of them are non-zero, and they sum to X, checked entry by entry, so rank_CP X <= {n}"
        ),
    )))
}

/// On drawn cores, the decomposition every draw has: its number of terms and the evidence's
/// words for it; `None` for a network without one.
fn every_draw(net: &Net) -> Option<(u128, String)> {
    match net {
        Net::Cp { factors, weights } => {
            let rank = factors.first().map_or(0, |f| f.right);
            let weighted = if weights.is_some() { "lambda_a " } else { "" };
            Some((
                rank as u128,
                format!("every draw is the sum of its {rank} terms {weighted}V_1[1,:,a] (x) ... (x) V_d[1,:,a], whatever the drawn factors, so rank_CP X <= {rank} for every draw"),
            ))
        }
        Net::Train { bonds, .. } => {
            let paths = bonds.iter().fold(1u128, |p, &r| p.saturating_mul(r as u128));
            Some((
                paths,
                format!("every draw is the sum over its {paths} bond paths (their number r_1 ... r_(d-1) is the product of the bond dimensions) of rank-1 terms, whatever the drawn cores, so rank_CP X <= {paths} for every draw"),
            ))
        }
        Net::Ht { .. } | Net::Generalized(_) => None,
    }
}

/// `cp-rank-upper-bound` (`stated`: the verdict the certificate gives): the decomposition
/// rebuilt and checked (on drawn cores, the one every draw has), and the listed minor of the
/// matricization the statement names, if any (Lemma 1). HOLDS when the decomposition has at
/// most the claimed number of terms, FAILS when the matricization's rank exceeds it, UNDECIDED
/// otherwise, and a certificate saying FAILS then is rejected.
pub(crate) fn upper_bound(
    lines: &mut Lines,
    subject: &mut Subject,
    statement: &str,
    stated: &str,
) -> Result<(Verdict, String), Reason> {
    let (bound, named) = match holes(statement, "rank_CP X <= {}, against rank X^({}) by Lemma 1") {
        Ok([bound, m]) => (bound, Some(m)),
        Err(_) => (holes::<1>(statement, "rank_CP X <= {}")?[0], None),
    };
    let bound = number(bound)?;
    let upper = if subject.generic {
        every_draw(&subject.net)
    } else {
        checked_decomposition(subject)?
    };
    let (terms, mut text) = match upper {
        Some((terms, text)) => (Some(terms), text),
        None => (None, "no CP decomposition of this network is built".to_string()),
    };
    let lower = match named {
        Some(_) if subject.generic => return Err(Reason::Misfit(Misfit::UpperBoundOnDraw)),
        Some(m) => {
            let (rows, cols) = matricization(m, subject.order())?;
            let (k, nr, nc) = exact_rank(lines, subject, &rows, &cols)?;
            text.push_str(&format!("; {}; by Lemma 1, rank_CP X >= {k}", rank_text(m, k, nr, nc)));
            Some(k)
        }
        None => None,
    };
    if let (Some(t), Some(k)) = (terms, lower) {
        if t == k as u128 {
            text.push_str(&format!("; rank_CP X = {k}, certified"));
        }
    }
    if terms.is_some_and(|t| t <= bound as u128) {
        return Ok((Verdict::Holds, text));
    }
    if lower.is_some_and(|k| k > bound) {
        text.push_str(&format!("; above the claimed {bound}: a disproof"));
        return Ok((Verdict::Fails, text));
    }
    text.push_str(&if subject.generic && terms.is_some() {
        format!("; above the claimed {bound}, so not established: on random cores only a bound valid for every draw counts")
    } else {
        format!("; not established: a proof would be a CP decomposition of at most {bound} terms, a disproof a matricization of rank > {bound}")
    });
    let verdict = derived_bound(false, false, stated, || NoDisproof::CpRankUpper { lower, bound })?;
    Ok((verdict, text))
}

/// A `cp-rank-lower-bound` whose Lemma 1 bound `found` falls short of `bound`: FAILS by the
/// explicit network's own decomposition when it has fewer than `bound` terms, else UNDECIDED
/// (a certificate saying FAILS then is rejected); `text`, the evidence so far, gets what the
/// decomposition says. A network without one, or one over the budgets, leaves the claim as
/// Lemma 1 left it.
pub(crate) fn short_lower_bound(
    subject: &mut Subject,
    (found, bound): (usize, usize),
    stated: &str,
    text: &mut String,
) -> Result<Verdict, Reason> {
    let decomposition = if subject.generic {
        None
    } else {
        match checked_decomposition(subject) {
            Err(Reason::OverBudget(Budget::Expansion)) => None,
            other => other?,
        }
    };
    if let Some((terms, words)) = decomposition.as_ref().filter(|(t, _)| *t < bound as u128) {
        text.push_str(&format!(
            "; below the claimed {bound}, and {words} < {bound}: a disproof"
        ));
        if *terms == found as u128 {
            text.push_str(&format!("; rank_CP X = {found}, certified"));
        }
        return Ok(Verdict::Fails);
    }
    text.push_str(&cp_rank_short_of(found, bound));
    if let Some((_, words)) = decomposition {
        text.push_str(&format!("; {words}"));
    }
    derived_bound(false, false, stated, || NoDisproof::CpRank { found, bound })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn core(left: usize, modes: usize, right: usize, values: &[i64]) -> Core {
        Core {
            left,
            modes,
            right,
            entries: values.iter().map(|&v| Q::from_integer(v.into())).collect(),
        }
    }

    /// lambda = (2, 0, -1), V_1 = V_2 with columns (1,1), (1,0), (0,1): the zero weight drops
    /// the second term, and X = 2 (1,1)(1,1)^T - (0,1)(0,1)^T = [[2, 2], [2, 1]].
    #[test]
    fn a_weighted_cp_network_and_its_terms_by_hand() {
        let v = core(1, 2, 3, &[1, 1, 0, 1, 0, 1]);
        let w = core(1, 1, 3, &[2, 0, -1]);
        let expected: Vec<Q> = [2, 2, 2, 1].iter().map(|&v| Q::from_integer(v.into())).collect();
        assert_eq!(dense(&[v.clone(), v.clone()], Some(&w), &[2, 2]).unwrap(), expected);
        let net = Net::Cp {
            factors: vec![v.clone(), v],
            weights: Some(w),
        };
        let (_, terms) = rebuild(&net).unwrap().unwrap();
        assert_eq!(terms.len(), 2);
        assert_eq!(sum(&terms, &[2, 2]).unwrap(), expected);
    }

    /// Eq. (9) at n = 2, r = 3, d = 2: the paths a_1 = 1, 2 give e_a (x) e_a, a_1 = 3 a zero
    /// fiber; and a train with r_1 = 2^17 paths is refused before any is built.
    #[test]
    fn a_train_over_its_bond_paths_by_hand() {
        let net = Net::Train {
            cores: vec![core(1, 2, 3, &[1, 0, 0, 0, 1, 0]), core(3, 2, 1, &[1, 0, 0, 1, 0, 0])],
            bonds: vec![1, 3, 1],
        };
        let (source, terms) = rebuild(&net).unwrap().unwrap();
        assert!(source.contains("the train's 3 bond paths"), "{source}");
        let one = Q::from_integer(1.into());
        assert_eq!(
            sum(&terms, &[2, 2]).unwrap(),
            vec![one.clone(), Q::zero(), Q::zero(), one]
        );
        let wide = Net::Train {
            cores: Vec::new(),
            bonds: vec![1, 1 << 17, 1],
        };
        assert!(matches!(rebuild(&wide), Err(Reason::OverBudget(Budget::Expansion))));
    }
}
