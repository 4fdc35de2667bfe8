//! The constructions of the proofs on generalized networks: Lemma 3 (a weighted sum of RNNs),
//! Prop. 3.8.4 (a shallow network as an RNN), Lemma 4 (one-hot rectifier networks), Theorem 3
//! (universality by one-hot terms), Prop. 3.8.5 (universality of the product networks) and
//! Theorem 5's RNN with its rank-1 shallow counterpart. Each returns a network; none decides a claim.

use super::network::{inverse_features, matrix_core, Rnn, Shallow};
use crate::field::Q;
use crate::network::Core;
use crate::tensor::{next_index, Matrix, Tensor};
use num_traits::{One, Zero};

/// Lemma 3 (for any number of terms): the RNN with block cores whose hidden states are the
/// terms' stacked, and whose score is `sum_n w_n l_n(X)`; the grid tensor is
/// `sum_n w_n Gamma_n`. All terms must have the same `T` and `M`.
pub fn combination(terms: &[(Q, &Rnn)]) -> Result<Rnn, String> {
    let Some((_, first)) = terms.first() else {
        return Err("a combination needs at least one network".into());
    };
    let (length, templates) = (first.length(), first.templates());
    if let Some((_, other)) = terms
        .iter()
        .find(|(_, n)| n.length() != length || n.templates() != templates)
    {
        return Err(format!(
            "networks of different shapes cannot be added: T = {length}, M = {templates} and T = {}, M = {}",
            other.length(),
            other.templates()
        ));
    }
    let mut c = Vec::with_capacity(length);
    let mut g = Vec::with_capacity(length);
    for t in 0..length {
        let last = t + 1 == length;
        let rows: usize = terms.iter().map(|(_, n)| n.c[t].shape().0).sum();
        let left: usize = if t == 0 {
            1
        } else {
            terms.iter().map(|(_, n)| n.g[t].shape().1).sum()
        };
        let right: usize = if last {
            1
        } else {
            terms.iter().map(|(_, n)| n.g[t].shape().2).sum()
        };
        let mut ct = vec![Q::zero(); rows * templates];
        let mut gt = vec![Q::zero(); rows * left * right];
        let (mut row0, mut left0, mut right0) = (0, 0, 0);
        for (w, n) in terms {
            let (l, nl, nr) = n.g[t].shape();
            for i in 0..l {
                for m in 0..templates {
                    ct[(row0 + i) * templates + m] = n.c[t].get(i, m, 0).clone();
                }
                for a in 0..nl {
                    for b in 0..nr {
                        let value = n.g[t].get(i, a, b);
                        let (a0, b0) = (if t == 0 { 0 } else { left0 + a }, if last { 0 } else { right0 + b });
                        gt[((row0 + i) * left + a0) * right + b0] = if last { w * value } else { value.clone() };
                    }
                }
            }
            row0 += l;
            left0 += nl;
            right0 += nr;
        }
        c.push(matrix_core(rows, templates, |i, m| ct[i * templates + m].clone()));
        g.push(Core::from_fn(rows, left, right, |i, a, b| {
            Ok::<_, String>(gt[(i * left + a) * right + b].clone())
        })?);
    }
    Rnn::new(c, g)
}

/// Prop. 3.8.4, with Lemma 3 for widths above 1: the rank-1 terms of a shallow network as
/// width-1 RNNs (`C^t = (v_t)^T`, `G^t = 1` for `t < T`, `G^T = lambda`), added up.
pub fn rnn_of_shallow(shallow: &Shallow) -> Result<Rnn, String> {
    let (length, templates) = (shallow.length(), shallow.templates());
    let terms: Vec<Rnn> = (0..shallow.width())
        .map(|a| {
            let c = (0..length)
                .map(|t| matrix_core(1, templates, |_, m| shallow.v[t].get(0, m, a).clone()))
                .collect();
            let g = (0..length)
                .map(|t| {
                    matrix_core(1, 1, |_, _| {
                        if t + 1 == length {
                            shallow.lambda.get(0, a, 0).clone()
                        } else {
                            Q::one()
                        }
                    })
                })
                .collect();
            Rnn::new(c, g)
        })
        .collect::<Result<_, _>>()?;
    if terms.is_empty() {
        return Err("a shallow network of width 0 has no RNN form".into());
    }
    combination(&terms.iter().map(|n| (Q::one(), n)).collect::<Vec<_>>())
}

/// Lemma 4 (Cohen & Shashua's Claim 4, as in the report's proof of Lemma 4.6): the width-2
/// rectifier shallow network `lambda = (1, -1)`, `v_1^t = F^{-1} 1`, `v_2^t = F^{-1} (1 - e_{j_t})`,
/// whose grid tensor is the one-hot tensor at `j` (0-based). Needs `F` invertible.
pub fn one_hot(j: &[usize], features: &Core) -> Result<Shallow, String> {
    one_hot_by(j, &inverse_or_error(features)?)
}

/// `F^{-1}`, or the error a construction that needs it reports.
fn inverse_or_error(features: &Core) -> Result<Matrix<Q>, String> {
    inverse_features(features).ok_or_else(|| "the feature matrix F is singular, so F^{-1} does not exist".to_string())
}

/// Lemma 4's network from `F^{-1}`, so that many one-hot terms share one inversion.
fn one_hot_by(j: &[usize], inverse: &Matrix<Q>) -> Result<Shallow, String> {
    let templates = inverse.nrows;
    let apply = |target: &dyn Fn(usize) -> Q| -> Vec<Q> {
        (0..templates)
            .map(|m| (0..templates).fold(Q::zero(), |s, x| s + inverse.get(m, x) * target(x)))
            .collect()
    };
    let ones = apply(&|_| Q::one());
    let v = j
        .iter()
        .map(|&jt| {
            let hole = apply(&|x| if x == jt { Q::zero() } else { Q::one() });
            Core::from_fn(1, templates, 2, |_, m, a| {
                Ok::<_, String>(if a == 0 { ones[m].clone() } else { hole[m].clone() })
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Shallow::new(matrix_core(1, 2, |_, a| if a == 0 { Q::one() } else { -Q::one() }), v)
}

/// Theorem 3 for the shallow network: `sum_j H_j E^(j)`, each one-hot term by Lemma 4 (width
/// twice the number of non-zero entries of `H`; width 2 with `lambda = 0` if `H = 0`).
pub fn universal_shallow(h: &Tensor<Q>, features: &Core) -> Result<Shallow, String> {
    let terms = one_hot_terms(h, features)?;
    let (length, templates) = (h.order(), h.shape().first().copied().unwrap_or(0));
    let width = 2 * terms.len();
    let lambda = matrix_core(1, width, |_, a| {
        terms[a / 2].0.clone() * terms[a / 2].1.lambda.get(0, a % 2, 0)
    });
    let v = (0..length)
        .map(|t| {
            Core::from_fn(1, templates, width, |_, m, a| {
                Ok::<_, String>(terms[a / 2].1.v[t].get(0, m, a % 2).clone())
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Shallow::new(lambda, v)
}

/// Theorem 3 for the RNN: Lemma 3 over the one-hot RNNs of Lemma 4 and Prop. 3.8.4, weighted
/// by the entries of `H` (ranks twice the number of non-zero entries).
pub fn universal_rnn(h: &Tensor<Q>, features: &Core) -> Result<Rnn, String> {
    let terms = one_hot_terms(h, features)?;
    let rnns: Vec<(Q, Rnn)> = terms
        .into_iter()
        .map(|(w, s)| rnn_of_shallow(&s).map(|r| (w, r)))
        .collect::<Result<_, _>>()?;
    combination(&rnns.iter().map(|(w, r)| (w.clone(), r)).collect::<Vec<_>>())
}

/// The non-zero entries of `H` with their one-hot networks; the zero tensor gets one term of
/// weight 0 so that the network exists.
fn one_hot_terms(h: &Tensor<Q>, features: &Core) -> Result<Vec<(Q, Shallow)>, String> {
    let shape = h.shape().to_vec();
    if shape.iter().any(|&n| n != features.shape().0) {
        return Err(format!(
            "H has mode sizes {:?} but F has {} templates",
            shape,
            features.shape().0
        ));
    }
    let inverse = inverse_or_error(features)?;
    let mut index = vec![0; shape.len()];
    let mut terms = Vec::new();
    loop {
        if !h.get(&index).is_zero() {
            terms.push((h.get(&index).clone(), one_hot_by(&index, &inverse)?));
        }
        if !next_index(&shape, &mut index) {
            break;
        }
    }
    if terms.is_empty() {
        terms.push((Q::zero(), one_hot_by(&vec![0; shape.len()], &inverse)?));
    }
    Ok(terms)
}

/// Which index order Prop. 3.8.5's weight tensor uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProductVariant {
    /// As printed: `H^_{i} = sum_j H_j (F^{-1})_{j_1 i_1} ... (F^{-1})_{j_T i_T}`.
    Printed,
    /// `H^_{i} = sum_j (F^{-1})_{i_1 j_1} ... (F^{-1})_{i_T j_T} H_j`, so that
    /// `sum_i H^_i prod_t F[m_t, i_t] = H_m` for `F[m, :] = f(x^(m))`.
    Corrected,
}

/// Prop. 3.8.5's weight tensor `H^`: `H` with `F^{-1}` (or its transpose, as printed) applied
/// along every mode.
pub fn product_weights(h: &Tensor<Q>, features: &Core, variant: ProductVariant) -> Result<Tensor<Q>, String> {
    let inverse = inverse_or_error(features)?;
    let n = inverse.nrows;
    let mut x = h.clone();
    for mode in 0..h.order() {
        let shape = x.shape().to_vec();
        let mut out = vec![Q::zero(); x.entries().len()];
        let mut index = vec![0; shape.len()];
        loop {
            let value = x.get(&index);
            if !value.is_zero() {
                let j = index[mode];
                for i in 0..n {
                    let f = match variant {
                        ProductVariant::Printed => inverse.get(j, i),
                        ProductVariant::Corrected => inverse.get(i, j),
                    };
                    if !f.is_zero() {
                        let mut target = index.clone();
                        target[mode] = i;
                        out[crate::tensor::linear_index(&shape, &target)] += value * f;
                    }
                }
            }
            if !next_index(&shape, &mut index) {
                break;
            }
        }
        x = Tensor::from_entries(shape, out).expect("same shape");
    }
    Ok(x)
}

/// Prop. 3.8.5 for the RNN: the exact TT decomposition of `H^` (minimal ranks) as a product RNN
/// with `C^t = I` and `G^t[i, j, k] = core_t[j, i, k]` (Prop. 3.8.1 subsumes `C^t` into `G^t`).
pub fn product_rnn(weights: &Tensor<Q>) -> Result<Rnn, String> {
    let train = crate::network::tt_from_dense(weights);
    let templates = weights.shape().first().copied().unwrap_or(0);
    let c = train
        .cores()
        .iter()
        .map(|_| matrix_core(templates, templates, |i, m| if i == m { Q::one() } else { Q::zero() }))
        .collect();
    let g = train
        .cores()
        .iter()
        .map(|core| {
            let (left, n, right) = core.shape();
            Core::from_fn(n, left, right, |i, j, k| Ok::<_, String>(core.get(j, i, k).clone()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Rnn::new(c, g)
}

/// Prop. 3.8.5 for the shallow network: one product term `H^_i e_{i_1} (x) ... (x) e_{i_T}` per
/// non-zero entry of `H^` (the trivial CP decomposition).
pub fn product_shallow(weights: &Tensor<Q>) -> Result<Shallow, String> {
    let shape = weights.shape().to_vec();
    let templates = shape.first().copied().unwrap_or(0);
    let mut index = vec![0; shape.len()];
    let mut terms: Vec<(Q, Vec<usize>)> = Vec::new();
    loop {
        let value = weights.get(&index);
        if !value.is_zero() {
            terms.push((value.clone(), index.clone()));
        }
        if !next_index(&shape, &mut index) {
            break;
        }
    }
    if terms.is_empty() {
        terms.push((Q::zero(), vec![0; shape.len()]));
    }
    let width = terms.len();
    let lambda = matrix_core(1, width, |_, a| terms[a].0.clone());
    let v = (0..shape.len())
        .map(|t| {
            Core::from_fn(1, templates, width, |_, m, a| {
                Ok::<_, String>(if terms[a].1[t] == m { Q::one() } else { Q::zero() })
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Shallow::new(lambda, v)
}

/// Theorem 5's RNN: `C^t = (F^T)^{-1}`, `G^1` all 2s (`M x 1 x R`), inner `G^t` all 1s
/// (`M x R x R`), `G^T` all 1s (`M x R x 1`). `T >= 2`.
pub fn expressivity_ii(features: &Core, rank: usize, length: usize) -> Result<Rnn, String> {
    if length < 2 {
        return Err(format!("Theorem 5's construction needs T >= 2, got T = {length}"));
    }
    let inverse = inverse_features(features).ok_or("the feature matrix F is singular, so (F^T)^{-1} does not exist")?;
    let m = inverse.nrows;
    let c = (0..length)
        .map(|_| matrix_core(m, m, |i, j| inverse.get(j, i).clone()))
        .collect();
    let g = (0..length)
        .map(|t| {
            let (left, right, value) = match t {
                0 => (1, rank, Q::from_integer(2.into())),
                _ if t + 1 == length => (rank, 1, Q::one()),
                _ => (rank, rank, Q::one()),
            };
            Core::from_fn(m, left, right, |_, _, _| Ok::<_, String>(value.clone()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Rnn::new(c, g)
}

/// The rank-1 rectifier shallow network of Theorem 5's proof for a grid tensor that depends on
/// the first index only: `lambda = 1`, `v_1 = F^{-1} g` with `g = Gamma[:, 1, ..., 1]`,
/// `v_t = 0` for `t > 1`. Its grid tensor is `max(g_{i_1}, 0)` at every index.
pub fn first_mode_shallow(grid: &Tensor<Q>, features: &Core) -> Result<Shallow, String> {
    let inverse = inverse_or_error(features)?;
    let m = inverse.nrows;
    let length = grid.order();
    let g: Vec<Q> = (0..m)
        .map(|x| {
            let mut index = vec![0; length];
            index[0] = x;
            grid.get(&index).clone()
        })
        .collect();
    let v1: Vec<Q> = (0..m)
        .map(|i| (0..m).fold(Q::zero(), |s, x| s + inverse.get(i, x) * &g[x]))
        .collect();
    let v = (0..length)
        .map(|t| {
            Core::from_fn(1, m, 1, |_, i, _| {
                Ok::<_, String>(if t == 0 { v1[i].clone() } else { Q::zero() })
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Shallow::new(matrix_core(1, 1, |_, _| Q::one()), v)
}
