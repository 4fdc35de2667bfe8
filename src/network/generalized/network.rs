//! Generalized shallow networks and generalized RNNs over a feature matrix `F`: their shapes, their
//! scores on template sequences, their grid tensors (by the recursion of the thesis's Prop. 3.8.3,
//! and by direct evaluation on each template sequence), entry-wise perturbation, and the network a
//! generalized case builds (`Body`, `Generalized`). The proofs' constructions are in `construction`.

use super::operator::{xi_fold, GridScalar, Xi};
use crate::field::{Scalar, Q};
use crate::linalg;
use crate::network::Core;
use crate::tensor::{next_index, Matrix, Tensor};
use num_traits::{One, Zero};

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
    pub(super) c: Vec<Core<S>>,
    pub(super) g: Vec<Core<S>>,
}

/// A generalized shallow network `l(X) = sum_a lambda_a xi(<f(x_1), v_1^a>, ..., <f(x_T), v_T^a>)`:
/// `lambda` as a core `1 x R x 1`, `v[t]` as a core `1 x M x R` (`v[t][1, m, a] = (v_t^a)_m`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shallow<S = Q> {
    pub(super) lambda: Core<S>,
    pub(super) v: Vec<Core<S>>,
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
