//! Generalized tensor networks (Khrulkov, Hrinchuk, Oseledets 2019; Khrulkov's thesis ch. 3):
//! the binary operator `xi`, the feature matrix `F`, generalized shallow networks and generalized
//! RNNs, their grid tensors (by the recursion of the thesis's Prop. 3.8.3, and by direct
//! evaluation of the network on each template sequence), and the constructions of the proofs
//! (Lemma 3, Prop. 3.8.4, Lemma 4, Theorem 3, Prop. 3.8.5, Theorem 5). It knows nothing of claims
//! or case files.

use super::Core;
use crate::field::{Scalar, Q};
use crate::linalg;
use crate::tensor::{next_index, Matrix, Tensor};
use num_traits::{One, Signed, Zero};

/// The associative, commutative binary operator of a generalized network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Xi {
    /// `x y`, unit 1: the ordinary tensor networks.
    Product,
    /// `max(x, y, 0)`, unit 0.
    Rectifier,
    /// `x + y`, unit 0.
    Sum,
    /// `ln(e^x + e^y)`, floating point only (its unit, `-inf`, is not a number: `h^0` is `-inf`).
    Softplus,
    /// `sqrt(x^2 + y^2)`, unit 0, floating point only.
    Sqrt,
}

impl Xi {
    pub const ALL: [Xi; 5] = [Xi::Product, Xi::Rectifier, Xi::Sum, Xi::Softplus, Xi::Sqrt];

    /// The case-file name.
    pub fn name(self) -> &'static str {
        match self {
            Xi::Product => "product",
            Xi::Rectifier => "rectifier",
            Xi::Sum => "sum",
            Xi::Softplus => "softplus",
            Xi::Sqrt => "sqrt",
        }
    }

    pub fn from_name(name: &str) -> Option<Xi> {
        Xi::ALL.into_iter().find(|x| x.name() == name)
    }

    /// The formula, as certificates print it.
    pub fn formula(self) -> &'static str {
        match self {
            Xi::Product => "xi(x, y) = x y",
            Xi::Rectifier => "xi(x, y) = max(x, y, 0)",
            Xi::Sum => "xi(x, y) = x + y",
            Xi::Softplus => "xi(x, y) = ln(e^x + e^y)",
            Xi::Sqrt => "xi(x, y) = sqrt(x^2 + y^2)",
        }
    }

    /// Whether `xi` maps rationals to rationals, so that grid tensors are exact.
    pub fn is_exact(self) -> bool {
        matches!(self, Xi::Product | Xi::Rectifier | Xi::Sum)
    }
}

/// Scalars a generalized network computes over: `Q` for the exact operators, `f64` for all.
pub trait GridScalar: Scalar + PartialOrd {
    /// `xi(x, y)`; `None` when `xi` does not map this scalar type to itself.
    fn xi(op: Xi, x: &Self, y: &Self) -> Option<Self>;
    /// The unit of `xi`, the initial hidden state.
    fn unit(op: Xi) -> Option<Self>;
}

impl GridScalar for Q {
    fn xi(op: Xi, x: &Q, y: &Q) -> Option<Q> {
        match op {
            Xi::Product => Some(x * y),
            Xi::Sum => Some(x + y),
            Xi::Rectifier => {
                let m = if x >= y { x } else { y };
                Some(if m.is_positive() { m.clone() } else { Q::zero() })
            }
            Xi::Softplus | Xi::Sqrt => None,
        }
    }

    fn unit(op: Xi) -> Option<Q> {
        match op {
            Xi::Product => Some(Q::one()),
            Xi::Sum | Xi::Rectifier => Some(Q::zero()),
            Xi::Softplus | Xi::Sqrt => None,
        }
    }
}

impl GridScalar for f64 {
    fn xi(op: Xi, x: &f64, y: &f64) -> Option<f64> {
        Some(match op {
            Xi::Product => x * y,
            Xi::Sum => x + y,
            Xi::Rectifier => x.max(*y).max(0.0),
            Xi::Softplus => {
                // ln(e^x + e^y) = max + ln(1 + e^-(|x - y|)), stable; -inf is the unit.
                let (hi, lo) = if x >= y { (*x, *y) } else { (*y, *x) };
                if lo == f64::NEG_INFINITY {
                    hi
                } else {
                    hi + (lo - hi).exp().ln_1p()
                }
            }
            Xi::Sqrt => x.hypot(*y),
        })
    }

    fn unit(op: Xi) -> Option<f64> {
        Some(match op {
            Xi::Product => 1.0,
            Xi::Sum | Xi::Rectifier | Xi::Sqrt => 0.0,
            Xi::Softplus => f64::NEG_INFINITY,
        })
    }
}

/// `xi` folded over several arguments from the unit: `xi(x_1, ..., x_T)`.
fn xi_fold<S: GridScalar>(op: Xi, values: impl IntoIterator<Item = S>) -> Option<S> {
    values.into_iter().try_fold(S::unit(op)?, |acc, x| S::xi(op, &x, &acc))
}

/// A matrix as a core `rows x cols x 1`, the form certificates list matrices in.
pub fn matrix_core<S: Scalar>(rows: usize, cols: usize, entry: impl Fn(usize, usize) -> S) -> Core<S> {
    Core::from_fn(rows, cols, 1, |i, j, _| Ok::<_, std::convert::Infallible>(entry(i, j)))
        .unwrap_or_else(|never| match never {})
}

/// The `M x M` feature matrix `F[m, l] = f_l(x^(m))`, as a core `M x M x 1`.
pub fn identity_features(m: usize) -> Core {
    matrix_core(m, m, |i, j| if i == j { Q::one() } else { Q::zero() })
}

/// The exact inverse of a feature matrix (a core `M x M x 1`), if it is invertible.
pub fn inverse_features(f: &Core) -> Option<Matrix<Q>> {
    let (m, n, _) = f.shape();
    linalg::inverse(&Matrix {
        nrows: m,
        ncols: n,
        entries: (0..m)
            .flat_map(|i| (0..n).map(move |j| (i, j)))
            .map(|(i, j)| f.get(i, j, 0).clone())
            .collect(),
    })
}

/// A generalized RNN: `h^0 = u`, `h^t_k = sum_{i,j} G^t[i,j,k] xi([C^t f(x_t)]_i, h^{t-1}_j)`,
/// score `h^T`. `c[t]` is `C^t` as a core `L_t x M x 1`, `g[t]` is `G^t` as a core
/// `L_t x R_{t-1} x R_t` with `R_0 = R_T = 1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rnn<S = Q> {
    c: Vec<Core<S>>,
    g: Vec<Core<S>>,
}

/// A generalized shallow network `l(X) = sum_a lambda_a xi(<f(x_1), v_1^a>, ..., <f(x_T), v_T^a>)`:
/// `lambda` as a core `1 x R x 1`, `v[t]` as a core `1 x M x R` (`v[t][1, m, a] = (v_t^a)_m`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shallow<S = Q> {
    lambda: Core<S>,
    v: Vec<Core<S>>,
}

impl<S: Scalar> Rnn<S> {
    /// Checks the shapes: `T >= 1`, the same `M` in every `C^t`, `L_t` shared by `C^t` and
    /// `G^t`, bonds that fit, `R_0 = R_T = 1`.
    pub fn new(c: Vec<Core<S>>, g: Vec<Core<S>>) -> Result<Rnn<S>, String> {
        if c.is_empty() || c.len() != g.len() {
            return Err(format!(
                "a generalized RNN needs as many matrices C^t as cores G^t, at least one; got {} and {}",
                c.len(),
                g.len()
            ));
        }
        let m = c[0].shape().1;
        for (t, (ct, gt)) in c.iter().zip(&g).enumerate() {
            let (l, mt, one) = ct.shape();
            if mt != m || one != 1 {
                return Err(format!("C^{} must be L x {m}, it is {l} x {mt}", t + 1));
            }
            let (lg, left, _) = gt.shape();
            if lg != l {
                return Err(format!("G^{} has {lg} rows but C^{} has {l}", t + 1, t + 1));
            }
            let want_left = if t == 0 { 1 } else { g[t - 1].shape().2 };
            if left != want_left {
                return Err(format!(
                    "G^{} has left bond {left}, the previous bond is {want_left}",
                    t + 1
                ));
            }
        }
        let last = g[g.len() - 1].shape().2;
        if last != 1 {
            return Err(format!(
                "G^{} must have right bond 1 (the score is a number), it has {last}",
                g.len()
            ));
        }
        Ok(Rnn { c, g })
    }

    /// `T`, the sequence length.
    pub fn length(&self) -> usize {
        self.c.len()
    }

    /// `M`, the number of templates.
    pub fn templates(&self) -> usize {
        self.c[0].shape().1
    }

    /// The ranks `R_0 = 1, R_1, ..., R_T = 1`.
    pub fn ranks(&self) -> Vec<usize> {
        std::iter::once(1).chain(self.g.iter().map(|g| g.shape().2)).collect()
    }

    /// The widths `L_1, ..., L_T` of the matrices `C^t`.
    pub fn widths(&self) -> Vec<usize> {
        self.c.iter().map(|c| c.shape().0).collect()
    }

    pub fn c(&self) -> &[Core<S>] {
        &self.c
    }

    pub fn g(&self) -> &[Core<S>] {
        &self.g
    }

    /// The same network over another scalar.
    pub fn map<T>(&self, f: impl Fn(&S) -> T + Copy) -> Rnn<T> {
        Rnn {
            c: self.c.iter().map(|c| c.map(f)).collect(),
            g: self.g.iter().map(|g| g.map(f)).collect(),
        }
    }
}

impl<S: GridScalar> Rnn<S> {
    /// `P^t = C^t F^T` (`L_t x M`): row `i`, column `m` is `[C^t f(x^(m))]_i`.
    fn projections(&self, features: &Core<S>) -> Vec<Vec<S>> {
        self.c
            .iter()
            .map(|c| {
                let (l, m, _) = c.shape();
                let templates = features.shape().0;
                let mut p = Vec::with_capacity(l * templates);
                for i in 0..l {
                    for x in 0..templates {
                        let mut s = S::zero_value();
                        for j in 0..m {
                            s.add_product(c.get(i, j, 0), features.get(x, j, 0));
                        }
                        p.push(s);
                    }
                }
                p
            })
            .collect()
    }

    /// The score on one template sequence (0-based template numbers), by running the network:
    /// `None` when `xi` does not map `S` to itself.
    pub fn score(&self, xi: Xi, features: &Core<S>, sequence: &[usize]) -> Option<S> {
        let mut h = vec![S::unit(xi)?];
        for ((c, g), &x) in self.c.iter().zip(&self.g).zip(sequence) {
            let (l, m, _) = c.shape();
            let input: Vec<S> = (0..l)
                .map(|i| {
                    (0..m).fold(S::zero_value(), |mut s, j| {
                        s.add_product(c.get(i, j, 0), features.get(x, j, 0));
                        s
                    })
                })
                .collect();
            let (_, left, right) = g.shape();
            let mut next = vec![S::zero_value(); right];
            for (i, xi_in) in input.iter().enumerate() {
                for (j, hj) in h.iter().enumerate().take(left) {
                    let v = S::xi(xi, xi_in, hj)?;
                    for (k, out) in next.iter_mut().enumerate() {
                        out.add_product(g.get(i, j, k), &v);
                    }
                }
            }
            h = next;
        }
        h.into_iter().next()
    }

    /// The grid tensor by the recursion of Prop. 3.8.3: `Gamma^t[m_1..m_t, k]` from
    /// `Gamma^{t-1}`, one template at a time. `None` when `xi` does not map `S` to itself.
    pub fn grid_tensor(&self, xi: Xi, features: &Core<S>) -> Option<Tensor<S>> {
        let templates = features.shape().0;
        let projections = self.projections(features);
        // `state` holds Gamma^{t-1}: for each prefix (m_1..m_{t-1}), big-endian, R_{t-1} values.
        let mut state = vec![S::unit(xi)?];
        for (g, p) in self.g.iter().zip(&projections) {
            let (l, left, right) = g.shape();
            let mut next = Vec::with_capacity(state.len() / left * templates * right);
            for prefix in state.chunks(left) {
                for x in 0..templates {
                    let mut out = vec![S::zero_value(); right];
                    for i in 0..l {
                        for (j, hj) in prefix.iter().enumerate() {
                            let v = S::xi(xi, &p[i * templates + x], hj)?;
                            if v.vanishes() {
                                continue;
                            }
                            for (k, o) in out.iter_mut().enumerate() {
                                o.add_product(g.get(i, j, k), &v);
                            }
                        }
                    }
                    next.extend(out);
                }
            }
            state = next;
        }
        Tensor::from_entries(vec![templates; self.length()], state)
    }
}

impl<S: Scalar> Shallow<S> {
    /// Checks the shapes: `T >= 1`, every `v_t` is `1 x M x R` with the `R` of `lambda`.
    pub fn new(lambda: Core<S>, v: Vec<Core<S>>) -> Result<Shallow<S>, String> {
        let (one, r, one_more) = lambda.shape();
        if one != 1 || one_more != 1 {
            return Err("lambda must be a vector".into());
        }
        let Some(first) = v.first() else {
            return Err("a generalized shallow network needs T >= 1".into());
        };
        let m = first.shape().1;
        for (t, vt) in v.iter().enumerate() {
            if vt.shape() != (1, m, r) {
                let (a, b, c) = vt.shape();
                return Err(format!("v_{} must be 1 x {m} x {r}, it is {a} x {b} x {c}", t + 1));
            }
        }
        Ok(Shallow { lambda, v })
    }

    /// `R`, the width.
    pub fn width(&self) -> usize {
        self.lambda.shape().1
    }

    pub fn length(&self) -> usize {
        self.v.len()
    }

    pub fn templates(&self) -> usize {
        self.v[0].shape().1
    }

    pub fn lambda(&self) -> &Core<S> {
        &self.lambda
    }

    pub fn v(&self) -> &[Core<S>] {
        &self.v
    }

    pub fn map<T>(&self, f: impl Fn(&S) -> T + Copy) -> Shallow<T> {
        Shallow {
            lambda: self.lambda.map(f),
            v: self.v.iter().map(|v| v.map(f)).collect(),
        }
    }
}

impl<S: GridScalar> Shallow<S> {
    /// `<f(x^(m)), v_t^a>` for every template `m` (rows) and term `a` (columns).
    fn projection(features: &Core<S>, v: &Core<S>) -> Vec<S> {
        let (templates, m, _) = features.shape();
        let r = v.shape().2;
        let mut p = Vec::with_capacity(templates * r);
        for x in 0..templates {
            for a in 0..r {
                let mut s = S::zero_value();
                for j in 0..m {
                    s.add_product(features.get(x, j, 0), v.get(0, j, a));
                }
                p.push(s);
            }
        }
        p
    }

    /// The score on one template sequence, by evaluating the network's formula.
    pub fn score(&self, xi: Xi, features: &Core<S>, sequence: &[usize]) -> Option<S> {
        let mut total = S::zero_value();
        for a in 0..self.width() {
            let args = self.v.iter().zip(sequence).map(|(v, &x)| {
                let (_, m, _) = v.shape();
                (0..m).fold(S::zero_value(), |mut s, j| {
                    s.add_product(features.get(x, j, 0), v.get(0, j, a));
                    s
                })
            });
            total.add_product(self.lambda.get(0, a, 0), &xi_fold(xi, args.collect::<Vec<_>>())?);
        }
        Some(total)
    }

    /// The grid tensor `sum_a lambda_a (F v_1^a) (x)_xi ... (x)_xi (F v_T^a)` (eq. 3.20).
    pub fn grid_tensor(&self, xi: Xi, features: &Core<S>) -> Option<Tensor<S>> {
        let templates = features.shape().0;
        let r = self.width();
        let projections: Vec<Vec<S>> = self.v.iter().map(|v| Shallow::projection(features, v)).collect();
        // For each prefix, the partial xi-products of the R terms.
        let mut state = vec![S::unit(xi)?; r];
        for p in &projections {
            let mut next = Vec::with_capacity(state.len() * templates);
            for prefix in state.chunks(r.max(1)) {
                for x in 0..templates {
                    for (a, acc) in prefix.iter().enumerate().take(r) {
                        next.push(S::xi(xi, &p[x * r + a], acc)?);
                    }
                }
            }
            state = next;
        }
        let entries: Vec<S> = if r == 0 {
            vec![S::zero_value(); templates.pow(self.length() as u32)]
        } else {
            state
                .chunks(r)
                .map(|terms| {
                    terms.iter().enumerate().fold(S::zero_value(), |mut s, (a, t)| {
                        s.add_product(self.lambda.get(0, a, 0), t);
                        s
                    })
                })
                .collect()
        };
        Tensor::from_entries(vec![templates; self.length()], entries)
    }
}

/// The grid tensor by direct evaluation of `score` on every template sequence: the independent
/// second path the recursion is checked against.
pub fn grid_by_evaluation<S: GridScalar>(
    templates: usize,
    length: usize,
    score: impl Fn(&[usize]) -> Option<S>,
) -> Option<Tensor<S>> {
    let shape = vec![templates; length];
    let mut index = vec![0; length];
    let mut entries = Vec::new();
    loop {
        entries.push(score(&index)?);
        if !next_index(&shape, &mut index) {
            break;
        }
    }
    Tensor::from_entries(shape, entries)
}

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
    let train = super::tt_from_dense(weights);
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

/// Adds `epsilon * u` to every entry, `u` drawn by `draw` (in `[-1, 1]`), entry by entry in
/// core order.
pub fn perturb(core: &Core, epsilon: &Q, draw: &mut impl FnMut() -> Q) -> Core {
    let (l, m, r) = core.shape();
    Core::from_fn(l, m, r, |a, i, b| {
        Ok::<_, std::convert::Infallible>(core.get(a, i, b) + epsilon * draw())
    })
    .unwrap_or_else(|never| match never {})
}

/// The network of a generalized case: either kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    Rnn(Rnn),
    Shallow(Shallow),
}

impl Body {
    /// The kind as certificates name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Body::Rnn(_) => "generalized-rnn",
            Body::Shallow(_) => "generalized-shallow",
        }
    }

    pub fn length(&self) -> usize {
        match self {
            Body::Rnn(r) => r.length(),
            Body::Shallow(s) => s.length(),
        }
    }

    pub fn templates(&self) -> usize {
        match self {
            Body::Rnn(r) => r.templates(),
            Body::Shallow(s) => s.templates(),
        }
    }

    /// `ranks (1,2,1), widths (3,3)` or `width 2`.
    pub fn shape_text(&self) -> String {
        let tuple = |v: &[usize]| format!("({})", v.iter().map(usize::to_string).collect::<Vec<_>>().join(","));
        match self {
            Body::Rnn(r) => format!("ranks {}, widths {}", tuple(&r.ranks()), tuple(&r.widths())),
            Body::Shallow(s) => format!("width {}", s.width()),
        }
    }

    /// What computing the grid tensor costs: `(multiply-adds, the largest intermediate state in
    /// entries)`, from the shapes alone.
    pub fn grid_cost(&self) -> (u128, u128) {
        let templates = self.templates() as u128;
        let (mut work, mut peak, mut prefixes) = (0u128, 0u128, 1u128);
        let steps: Vec<(u128, u128)> = match self {
            // Step t: for each prefix and template, L_t R_{t-1} xi values, each into R_t sums.
            Body::Rnn(r) => {
                r.g.iter()
                    .map(|g| {
                        let (l, left, right) = g.shape();
                        ((l * left * right) as u128, right as u128)
                    })
                    .collect()
            }
            // Step t: for each prefix and template, R xi values.
            Body::Shallow(s) => s.v.iter().map(|_| (s.width() as u128, s.width() as u128)).collect(),
        };
        for (per_entry, width) in steps {
            prefixes = prefixes.saturating_mul(templates);
            work = work.saturating_add(prefixes.saturating_mul(per_entry));
            peak = peak.max(prefixes.saturating_mul(width));
        }
        (work, peak)
    }

    /// The grid tensor over Q; `None` for an operator that is not exact.
    pub fn grid_tensor(&self, xi: Xi, features: &Core) -> Option<Tensor<Q>> {
        match self {
            Body::Rnn(r) => r.grid_tensor(xi, features),
            Body::Shallow(s) => s.grid_tensor(xi, features),
        }
    }

    /// The cores with their names, `prefix` first: `C1..CT, G1..GT` or `lambda, V1..VT`.
    pub fn named_cores(&self, prefix: &str) -> Vec<(String, &Core)> {
        match self {
            Body::Rnn(r) => (r.c.iter().enumerate().map(|(t, c)| (format!("{prefix}C{}", t + 1), c)))
                .chain(r.g.iter().enumerate().map(|(t, g)| (format!("{prefix}G{}", t + 1), g)))
                .collect(),
            Body::Shallow(s) => std::iter::once((format!("{prefix}lambda"), &s.lambda))
                .chain(s.v.iter().enumerate().map(|(t, v)| (format!("{prefix}V{}", t + 1), v)))
                .collect(),
        }
    }
}

/// A generalized network as a case builds it: the operator, the feature matrix, the network the
/// claims are about, and the named networks they may compare it with (same operator and `F`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generalized {
    pub xi: Xi,
    /// `F` as a core `M x M x 1`.
    pub features: Core,
    pub body: Body,
    /// The subject's grid tensor, computed once.
    pub grid: Tensor<Q>,
    /// The named networks with their grid tensors.
    pub others: Vec<(String, Body, Tensor<Q>)>,
    /// How drawn or perturbed entries came about (seed texts), one line each.
    pub provenance: Vec<String>,
    /// For a universality construction: the tensor `H` the network is built to realize.
    pub target: Option<Tensor<Q>>,
}

impl Generalized {
    /// `F`, then the subject's cores, then each named network's as `NAME.C1`, ...
    pub fn named_cores(&self) -> Vec<(String, &Core)> {
        let mut named = vec![("F".to_string(), &self.features)];
        named.extend(self.body.named_cores(""));
        for (name, other, _) in &self.others {
            named.extend(other.named_cores(&format!("{name}.")));
        }
        named
    }
}

impl Rnn {
    /// Every `C^t` and `G^t` perturbed entry-wise by `epsilon * u`, in the order C^1, G^1, C^2, ...
    pub fn perturbed(&self, epsilon: &Q, draw: &mut impl FnMut() -> Q) -> Rnn {
        let mut c = Vec::new();
        let mut g = Vec::new();
        for (ct, gt) in self.c.iter().zip(&self.g) {
            c.push(perturb(ct, epsilon, draw));
            g.push(perturb(gt, epsilon, draw));
        }
        Rnn { c, g }
    }
}

#[cfg(test)]
mod tests;
