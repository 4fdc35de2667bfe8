//! Builds a `generalized` construction at one grid point: the feature matrix (given, identity or
//! drawn, then optionally perturbed), the named networks in file order and the subject, each by
//! its construction from the proofs; and makes the grid-tensor claims concrete (expected values
//! and zero patterns evaluated at every template index).

use super::{InstanceAt, ResourceLimit, BYTES_PER_CORE_ENTRY, BYTES_PER_DENSE_ENTRY};
use crate::case::schema::{
    ClaimSpec, DrawSpec, FeaturesSpec, GeneralizedSpec, Located, NameRef, NetworkSpec, Perturbation, TensorSpec,
};
use crate::case::InputError;
use crate::claim::Claim;
use crate::draw::{draw_entry, uniform};
use crate::expr::{Scope, Value};
use crate::field::{q_text, Q};
use crate::network::generalized::{self as gen, Body, Generalized, ProductVariant, Rnn, Shallow, Xi};
use crate::network::Core;
use crate::tensor::{next_index, Tensor};
use num_traits::Zero;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use sha2::{Digest, Sha256};

/// The most grid tensor entries (`M^T`) one instance may have.
const MAX_GRID_ENTRIES: u128 = 1 << 22;
/// The longest sequence `T`.
const MAX_LENGTH: usize = 64;

/// What building one network of a construction sees: its name and where its table starts, the
/// operator, the features before (`base`) and after their perturbation, the instance's scope and
/// sizes `M`, `T`, the networks built before it (with their grid tensors) and the memory limit.
struct Context<'a> {
    name: &'a str,
    offset: usize,
    xi: Xi,
    base: &'a Core,
    features: &'a Core,
    scope: &'a Scope,
    m: usize,
    t: usize,
    built: &'a [(String, Body, Tensor<Q>)],
    limit: ResourceLimit,
}

/// One perturbation entry `u = p / 1000`, `p` uniform in `[-1000, 1000]`.
fn unit_perturbation(rng: &mut ChaCha20Rng) -> Q {
    Q::new(uniform(rng, -1000, 1000).into(), 1000.into())
}

impl InstanceAt<'_> {
    /// The generator of one seeded draw of `what`: ChaCha20 keyed by SHA-256 of a text naming
    /// the draw, the seed, the case and the grid point; `drawn` (what is drawn, and how) and
    /// that text go into the provenance.
    fn generator(&self, what: &str, seed: u64, drawn: String, provenance: &mut Vec<String>) -> ChaCha20Rng {
        let text = format!(
            "tnproof generalized draw 1; {what}; seed {seed}; case {}; instance {}",
            self.case.id, self.label
        );
        provenance.push(format!("{drawn}, ChaCha20 keyed by SHA-256 of \"{text}\""));
        ChaCha20Rng::from_seed(Sha256::digest(text.as_bytes()).into())
    }

    /// The size `epsilon` of a perturbation of `of` and the generator of its entries;
    /// `entries` names what it perturbs in the provenance.
    fn perturbation(
        &self,
        p: &Perturbation,
        scope: &Scope,
        of: &str,
        entries: &str,
        provenance: &mut Vec<String>,
    ) -> Result<(Q, ChaCha20Rng), InputError> {
        let epsilon = self.number(&p.epsilon, scope, "a perturbation size epsilon")?;
        let drawn = format!(
            "{entries} perturbed by epsilon = {} times p/1000, p uniform in [-1000, 1000]",
            q_text(&epsilon)
        );
        let rng = self.generator(&format!("perturbation of {of}"), p.seed, drawn, provenance);
        Ok((epsilon, rng))
    }

    /// Builds the construction; `(m, t)` are the parameters `M` and `T`.
    pub(super) fn generalized(
        &self,
        spec: &GeneralizedSpec,
        scope: &Scope,
        (m, t): (usize, usize),
        limit: ResourceLimit,
    ) -> Result<Generalized, InputError> {
        self.grid_shape_fits(spec.network.offset, (m, t), limit)?;
        let mut provenance = Vec::new();
        let base = self.features(spec, scope, m, &mut provenance)?;
        let features = match &spec.features_perturb {
            Some(p) => self.perturbed(&base, p, scope, "features F", &mut provenance)?,
            None => base.clone(),
        };
        // The compared networks in file order, each seeing the ones before it, then the subject.
        let mut built: Vec<(String, Body, Tensor<Q>)> = Vec::new();
        let mut total = 0u128;
        let mut target = None;
        let subject = ("network", &spec.network);
        for (name, named) in spec
            .compare
            .iter()
            .map(|(n, named)| (n.as_str(), named))
            .chain([subject])
        {
            let cx = Context {
                name,
                offset: named.offset,
                xi: spec.xi,
                base: &base,
                features: &features,
                scope,
                m,
                t,
                built: &built,
                limit,
            };
            let (body, h) = self.network(&named.spec, &cx, &mut provenance)?;
            self.grid_fits(&body, named.offset, limit, &mut total)?;
            let grid = body
                .grid_tensor(spec.xi, &features)
                .expect("the schema admits exact operators only");
            target = h;
            built.push((name.to_string(), body, grid));
        }
        let (_, body, grid) = built.pop().expect("the subject is built last");
        Ok(Generalized {
            xi: spec.xi,
            features,
            body,
            grid,
            others: built,
            provenance,
            target,
        })
    }

    /// Refuses a sequence length `T` or a grid of `M^T` entries too large for this machine.
    fn grid_shape_fits(&self, offset: usize, (m, t): (usize, usize), limit: ResourceLimit) -> Result<(), InputError> {
        if t > MAX_LENGTH {
            return Err(self.error(
                offset,
                format!("T = {t} is longer than the {MAX_LENGTH} templates a sequence may have here"),
            ));
        }
        let grid = (m as u128).checked_pow(t as u32).filter(|&e| e <= MAX_GRID_ENTRIES);
        let Some(grid) = grid else {
            return Err(self.error(
                offset,
                format!("the grid tensor would have M^T = {m}^{t} entries, more than {MAX_GRID_ENTRIES}"),
            ));
        };
        self.check_memory(grid, BYTES_PER_DENSE_ENTRY, "the grid tensor", offset, limit)
    }

    /// Refuses a network whose grid tensor would take too long or too much memory to compute.
    /// `total` adds up the instance's networks.
    fn grid_fits(&self, body: &Body, offset: usize, limit: ResourceLimit, total: &mut u128) -> Result<(), InputError> {
        let (work, peak) = body.grid_cost();
        *total = total.saturating_add(work);
        if *total > limit.max_grid_work {
            let most = limit.max_grid_work;
            return Err(self.error(offset, format!("computing the grid tensors of this instance's networks would take about {total} multiply-adds, more than {most}; use a smaller M, T or smaller ranks")));
        }
        self.check_memory(
            peak,
            BYTES_PER_DENSE_ENTRY,
            "the grid tensor's intermediate states",
            offset,
            limit,
        )
    }

    /// Refuses cores of `entries` entries over the memory limit, before they are built.
    fn cores_fit(&self, entries: u128, offset: usize, limit: ResourceLimit) -> Result<(), InputError> {
        self.check_memory(entries, BYTES_PER_CORE_ENTRY, "the cores", offset, limit)
    }

    fn features(
        &self,
        spec: &GeneralizedSpec,
        scope: &Scope,
        m: usize,
        provenance: &mut Vec<String>,
    ) -> Result<Core, InputError> {
        match &spec.features {
            FeaturesSpec::Identity => Ok(gen::identity_features(m)),
            FeaturesSpec::Explicit(entry) => {
                let mut s = scope.clone();
                Core::from_fn(m, m, 1, |i, x, _| {
                    s.set_int("i", i as i64 + 1);
                    s.set_int("m", x as i64 + 1);
                    self.number(entry, &s, "a feature matrix entry F[i, m]")
                })
            }
            FeaturesSpec::ReluRandom(DrawSpec { seed, entries }) => {
                let drawn = format!(
                    "F = ReLU(A), A {m} x {m} with entries {} (row by row)",
                    entries.describe()
                );
                let rng = &mut self.generator("features F = ReLU(A)", *seed, drawn, provenance);
                Ok(Core::from_fn(m, m, 1, |_, _, _| {
                    let a = draw_entry(*entries, rng);
                    Ok::<_, InputError>(if a > Q::zero() { a } else { Q::zero() })
                })?)
            }
        }
    }

    /// `x + epsilon u` entry-wise, `u` by `unit_perturbation`; `what` names the core.
    fn perturbed(
        &self,
        core: &Core,
        p: &Perturbation,
        scope: &Scope,
        what: &str,
        provenance: &mut Vec<String>,
    ) -> Result<Core, InputError> {
        let (epsilon, mut rng) = self.perturbation(p, scope, what, what, provenance)?;
        Ok(gen::perturb(core, &epsilon, &mut || unit_perturbation(&mut rng)))
    }

    fn size(&self, located: &Located, scope: &Scope, what: &str, least: usize) -> Result<usize, InputError> {
        let v = self.count(located, scope, what)?;
        if v < least {
            return Err(self.error(located.offset, format!("{what} must be at least {least}, it is {v}")));
        }
        Ok(v)
    }

    /// `ranks` (R_1..R_{T-1}, with R_0 = R_T = 1) and `widths` (L_1..L_T).
    fn shape(
        &self,
        ranks: &Located,
        widths: &Located,
        scope: &Scope,
        t: usize,
        m: usize,
        limit: ResourceLimit,
    ) -> Result<(Vec<usize>, Vec<usize>), InputError> {
        let mut s = scope.clone();
        let mut bonds = vec![1];
        for k in 1..t {
            s.set_int("k", k as i64);
            bonds.push(self.size(ranks, &s, &format!("the rank R_{k}"), 1)?);
        }
        bonds.push(1);
        let mut l = Vec::new();
        for k in 1..=t {
            s.set_int("k", k as i64);
            l.push(self.size(widths, &s, &format!("the width L_{k}"), 1)?);
        }
        let entries = (0..t).fold(0u128, |sum, k| {
            sum.saturating_add(
                (l[k] as u128).saturating_mul((m as u128).saturating_add(bonds[k] as u128 * bonds[k + 1] as u128)),
            )
        });
        self.check_memory(entries, BYTES_PER_CORE_ENTRY, "the cores", ranks.offset, limit)?;
        Ok((bonds, l))
    }

    /// Refuses inverting the M x M feature matrix over Q (about M^3 multiply-adds) past the
    /// instance's work limit, before it is done.
    fn inversion_fits(&self, cx: &Context) -> Result<(), InputError> {
        let work = (cx.m as u128).saturating_pow(3);
        if work > cx.limit.max_grid_work {
            let (m, most) = (cx.m, cx.limit.max_grid_work);
            return Err(self.error(cx.offset, format!("this network inverts the {m} x {m} feature matrix F, about {work} multiply-adds, more than {most}; use a smaller M")));
        }
        Ok(())
    }

    /// Builds one network by its construction; for a universality construction, also the
    /// tensor `H` it is built to realize.
    fn network(
        &self,
        spec: &NetworkSpec,
        cx: &Context,
        provenance: &mut Vec<String>,
    ) -> Result<(Body, Option<Tensor<Q>>), InputError> {
        if spec.inverts_features() {
            self.inversion_fits(cx)?;
        }
        let body = match spec {
            NetworkSpec::Rnn { ranks, widths, c, g } => self.rnn(cx, (ranks, widths), c, g)?,
            NetworkSpec::Shallow { width, lambda, v } => self.shallow(cx, width, lambda, v)?,
            NetworkSpec::RandomRnn {
                ranks,
                widths,
                draw,
                shared,
            } => self.random_rnn(cx, (ranks, widths), draw, *shared, provenance)?,
            NetworkSpec::Sum { of, weights } => self.sum(cx, of, weights)?,
            NetworkSpec::RnnOf { of } => self.rnn_of(cx, of)?,
            NetworkSpec::FirstModeShallow { of } => Body::Shallow(
                gen::first_mode_shallow(self.find(cx, of)?.1, cx.features).map_err(|e| self.error(cx.offset, e))?,
            ),
            NetworkSpec::OneHot { at, as_rnn } => self.one_hot(cx, at, *as_rnn)?,
            NetworkSpec::Universal {
                tensor,
                as_rnn,
                variant,
            } => {
                let (body, h) = self.universal(cx, tensor, *as_rnn, *variant, provenance)?;
                return Ok((body, Some(h)));
            }
            NetworkSpec::ExpressivityII { rank, perturb } => {
                self.expressivity_ii(cx, rank, perturb.as_ref(), provenance)?
            }
        };
        Ok((body, None))
    }

    /// The network named by `reference` among those built before, with its grid tensor.
    fn find<'b>(&self, cx: &Context<'b>, (wanted, at): &NameRef) -> Result<(&'b Body, &'b Tensor<Q>), InputError> {
        cx.built
            .iter()
            .find(|(n, _, _)| n == wanted)
            .map(|(_, b, g)| (b, g))
            .ok_or_else(|| {
                let known: Vec<&str> = cx.built.iter().map(|(n, _, _)| n.as_str()).collect();
                self.error(
                    *at,
                    format!(
                        "no network named '{wanted}' is defined before this one; defined: {}",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ),
                )
            })
    }

    /// An RNN with explicit cores `C^k[i, m]` and `G^k[i, a, b]`.
    fn rnn(
        &self,
        cx: &Context,
        (ranks, widths): (&Located, &Located),
        c: &Located,
        g: &Located,
    ) -> Result<Body, InputError> {
        let (m, t) = (cx.m, cx.t);
        let (bonds, l) = self.shape(ranks, widths, cx.scope, t, m, cx.limit)?;
        let mut s = cx.scope.clone();
        let mut cs = Vec::new();
        let mut gs = Vec::new();
        for k in 0..t {
            s.set_int("k", k as i64 + 1);
            cs.push(Core::from_fn(l[k], m, 1, |i, x, _| {
                s.set_int("i", i as i64 + 1);
                s.set_int("m", x as i64 + 1);
                self.number(c, &s, "an entry C^k[i, m]")
            })?);
            gs.push(Core::from_fn(l[k], bonds[k], bonds[k + 1], |i, a, b| {
                s.set_int("i", i as i64 + 1);
                s.set_int("a", a as i64 + 1);
                s.set_int("b", b as i64 + 1);
                self.number(g, &s, "an entry G^k[i, a, b]")
            })?);
        }
        Ok(Body::Rnn(Rnn::new(cs, gs).map_err(|e| self.error(cx.offset, e))?))
    }

    /// A shallow network with explicit weights `lambda_a` and vectors `(v_k^a)_m`.
    fn shallow(&self, cx: &Context, width: &Located, lambda: &Located, v: &Located) -> Result<Body, InputError> {
        let (m, t) = (cx.m, cx.t);
        let r = self.size(width, cx.scope, "the width R", 1)?;
        self.cores_fit(
            (t as u128).saturating_mul(m as u128).saturating_mul(r as u128),
            width.offset,
            cx.limit,
        )?;
        let mut s = cx.scope.clone();
        let lambdas = Core::from_fn(1, r, 1, |_, a, _| {
            s.set_int("a", a as i64 + 1);
            self.number(lambda, &s, "a weight lambda_a")
        })?;
        let vs = (0..t)
            .map(|k| {
                s.set_int("k", k as i64 + 1);
                Core::from_fn(1, m, r, |_, x, a| {
                    s.set_int("m", x as i64 + 1);
                    s.set_int("a", a as i64 + 1);
                    self.number(v, &s, "an entry (v_k^a)_m")
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Body::Shallow(
            Shallow::new(lambdas, vs).map_err(|e| self.error(cx.offset, e))?,
        ))
    }

    /// An RNN with drawn cores; `shared`: one inner core `G^2 = ... = G^{T-1}` (and `C^t`).
    fn random_rnn(
        &self,
        cx: &Context,
        (ranks, widths): (&Located, &Located),
        draw: &DrawSpec,
        shared: bool,
        provenance: &mut Vec<String>,
    ) -> Result<Body, InputError> {
        let (m, t, name) = (cx.m, cx.t, cx.name);
        let (bonds, l) = self.shape(ranks, widths, cx.scope, t, m, cx.limit)?;
        if shared && (2..t.saturating_sub(1)).any(|k| l[k] != l[1] || bonds[k] != bonds[1] || bonds[k + 1] != bonds[2])
        {
            return Err(self.error(
                ranks.offset,
                "shared inner cores need the same ranks and widths at every inner position",
            ));
        }
        let drawn = format!(
            "network {name}: C^1, G^1, C^2, G^2, ... {}with entries {}",
            if shared {
                "(the inner C^t, G^t drawn once, at t = 2) "
            } else {
                ""
            },
            draw.entries.describe()
        );
        let rng = &mut self.generator(&format!("network {name}"), draw.seed, drawn, provenance);
        let mut cs: Vec<Core> = Vec::new();
        let mut gs: Vec<Core> = Vec::new();
        for k in 0..t {
            if shared && k >= 2 && k + 1 < t {
                cs.push(cs[1].clone());
                gs.push(gs[1].clone());
                continue;
            }
            cs.push(Core::from_fn(l[k], m, 1, |_, _, _| {
                Ok::<_, InputError>(draw_entry(draw.entries, rng))
            })?);
            gs.push(Core::from_fn(l[k], bonds[k], bonds[k + 1], |_, _, _| {
                Ok::<_, InputError>(draw_entry(draw.entries, rng))
            })?);
        }
        Ok(Body::Rnn(Rnn::new(cs, gs).map_err(|e| self.error(cx.offset, e))?))
    }

    /// Lemma 3: `sum_n w_n` times the named RNNs, as one RNN of block cores.
    fn sum(&self, cx: &Context, of: &[NameRef], weights: &[Located]) -> Result<Body, InputError> {
        let mut terms = Vec::new();
        for (reference, weight) in of.iter().zip(weights) {
            let Body::Rnn(rnn) = self.find(cx, reference)?.0 else {
                return Err(self.error(
                    reference.1,
                    format!(
                        "'{}' is a shallow network; Lemma 3 adds RNNs (use kind = \"rnn-of\" first)",
                        reference.0
                    ),
                ));
            };
            terms.push((self.number(weight, cx.scope, "a weight")?, rnn));
        }
        // The block cores: sum L_t rows, sum R_{t-1} x sum R_t bonds at every t.
        let total = |f: &dyn Fn(&Rnn) -> usize| terms.iter().map(|(_, r)| f(r) as u128).sum::<u128>();
        let (rows, bonds) = (
            total(&|r| r.widths().iter().max().copied().unwrap_or(0)),
            total(&|r| r.ranks().iter().max().copied().unwrap_or(1)),
        );
        self.cores_fit(
            (cx.t as u128)
                .saturating_mul(rows.saturating_mul((cx.m as u128).saturating_add(bonds.saturating_mul(bonds)))),
            cx.offset,
            cx.limit,
        )?;
        let terms: Vec<(Q, &Rnn)> = terms.iter().map(|(w, r)| (w.clone(), *r)).collect();
        Ok(Body::Rnn(
            gen::combination(&terms).map_err(|e| self.error(cx.offset, e))?,
        ))
    }

    /// Prop. 3.8.4: the named shallow network as an RNN.
    fn rnn_of(&self, cx: &Context, of: &NameRef) -> Result<Body, InputError> {
        let Body::Shallow(s) = self.find(cx, of)?.0 else {
            return Err(self.error(of.1, format!("'{}' is already an RNN", of.0)));
        };
        // R width-1 terms added: R rows, R x R bonds at every t.
        let r = s.width() as u128;
        self.cores_fit(
            (cx.t as u128).saturating_mul(r.saturating_mul((cx.m as u128).saturating_add(r.saturating_mul(r)))),
            cx.offset,
            cx.limit,
        )?;
        Ok(Body::Rnn(gen::rnn_of_shallow(s).map_err(|e| self.error(cx.offset, e))?))
    }

    /// Lemma 4: the one-hot tensor at `j_k = at(k)`, as a shallow network or an RNN.
    fn one_hot(&self, cx: &Context, at: &Located, as_rnn: bool) -> Result<Body, InputError> {
        let (m, t) = (cx.m, cx.t);
        let mut s = cx.scope.clone();
        let j = (1..=t)
            .map(|k| {
                s.set_int("k", k as i64);
                let j = self.size(at, &s, &format!("j_{k}"), 1)?;
                if j > m {
                    return Err(self.error(at.offset, format!("j_{k} = {j} is not a template number 1..{m}")));
                }
                Ok(j - 1)
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.rectifier_only(cx.xi, cx.offset, "Lemma 4's one-hot construction")?;
        let fail = |e: String| self.error(cx.offset, e);
        let shallow = gen::one_hot(&j, cx.features).map_err(fail)?;
        Ok(if as_rnn {
            Body::Rnn(gen::rnn_of_shallow(&shallow).map_err(fail)?)
        } else {
            Body::Shallow(shallow)
        })
    }

    /// Theorem 3 (rectifier) or Prop. 3.8.5 (product): a network whose grid tensor is `H`, with `H`.
    fn universal(
        &self,
        cx: &Context,
        tensor: &TensorSpec,
        as_rnn: bool,
        variant: ProductVariant,
        provenance: &mut Vec<String>,
    ) -> Result<(Body, Tensor<Q>), InputError> {
        let (m, t, xi) = (cx.m, cx.t, cx.xi);
        // At most N = M^T terms: width 2N, or RNN ranks and widths 2N (a product RNN's
        // TT-ranks are at most M^(T/2) and its widths M).
        let n = (m as u128).saturating_pow(t as u32);
        let width = if xi == Xi::Rectifier { n.saturating_mul(2) } else { n };
        let entries = match (xi, as_rnn) {
            (Xi::Rectifier, true) => width.saturating_mul((m as u128).saturating_add(width.saturating_mul(width))),
            (Xi::Product, true) => {
                (m as u128).saturating_mul((m as u128).saturating_add((m as u128).saturating_mul(n)))
            }
            _ => width.saturating_mul(m as u128),
        };
        self.cores_fit((t as u128).saturating_mul(entries), cx.offset, cx.limit)?;
        let h = self.tensor(tensor, cx.scope, (m, t), cx.name, provenance)?;
        let fail = |e: String| self.error(cx.offset, e);
        let features = cx.features;
        let body = match xi {
            Xi::Rectifier if as_rnn => Body::Rnn(gen::universal_rnn(&h, features).map_err(fail)?),
            Xi::Rectifier => Body::Shallow(gen::universal_shallow(&h, features).map_err(fail)?),
            Xi::Product => {
                let w = gen::product_weights(&h, features, variant).map_err(fail)?;
                if as_rnn {
                    Body::Rnn(gen::product_rnn(&w).map_err(fail)?)
                } else {
                    Body::Shallow(gen::product_shallow(&w).map_err(fail)?)
                }
            }
            _ => {
                return Err(fail(format!(
                    "universality is built for xi = rectifier (Theorem 3) and xi = product (Prop. 3.8.5), not {}",
                    xi.name()
                )))
            }
        };
        Ok((body, h))
    }

    /// Theorem 5's RNN of rank `rank` on the unperturbed features, optionally perturbed.
    fn expressivity_ii(
        &self,
        cx: &Context,
        rank: &Located,
        perturb: Option<&Perturbation>,
        provenance: &mut Vec<String>,
    ) -> Result<Body, InputError> {
        self.rectifier_only(cx.xi, cx.offset, "Theorem 5's construction")?;
        let r = self.size(rank, cx.scope, "the rank R", 1)?;
        let (t128, m128, r128) = (cx.t as u128, cx.m as u128, r as u128);
        self.cores_fit(
            t128.saturating_mul(m128)
                .saturating_mul(m128.saturating_add(r128.saturating_mul(r128))),
            rank.offset,
            cx.limit,
        )?;
        let rnn = gen::expressivity_ii(cx.base, r, cx.t).map_err(|e| self.error(cx.offset, e))?;
        let Some(p) = perturb else { return Ok(Body::Rnn(rnn)) };
        let name = cx.name;
        let (epsilon, mut rng) = self.perturbation(
            p,
            cx.scope,
            &format!("network {name}"),
            &format!("network {name}: C^1, G^1, C^2, ..."),
            provenance,
        )?;
        Ok(Body::Rnn(rnn.perturbed(&epsilon, &mut || unit_perturbation(&mut rng))))
    }

    fn rectifier_only(&self, xi: Xi, offset: usize, what: &str) -> Result<(), InputError> {
        if xi == Xi::Rectifier {
            Ok(())
        } else {
            Err(self.error(
                offset,
                format!("{what} is for xi = rectifier, this case has xi = {}", xi.name()),
            ))
        }
    }

    /// The tensor `H` of a universality construction.
    fn tensor(
        &self,
        spec: &TensorSpec,
        scope: &Scope,
        (m, t): (usize, usize),
        name: &str,
        provenance: &mut Vec<String>,
    ) -> Result<Tensor<Q>, InputError> {
        let shape = vec![m; t];
        match spec {
            TensorSpec::Expr(e) => {
                let mut s = scope.clone();
                let mut index = vec![0; t];
                let mut entries = Vec::new();
                loop {
                    s.set_grid_index(&index.iter().map(|i| i + 1).collect::<Vec<_>>());
                    entries.push(self.number(e, &s, "an entry of H")?);
                    if !next_index(&shape, &mut index) {
                        break;
                    }
                }
                Ok(Tensor::from_entries(shape, entries).expect("one entry per index"))
            }
            TensorSpec::Random(DrawSpec { seed, entries }) => {
                // Not keyed by the network's name: the same seed draws the same H for every network.
                let drawn = format!("H of network {name}: entries {} in index order", entries.describe());
                let rng = &mut self.generator("tensor H", *seed, drawn, provenance);
                let count = m.pow(t as u32);
                Ok(
                    Tensor::from_entries(shape, (0..count).map(|_| draw_entry(*entries, rng)).collect())
                        .expect("one entry per index"),
                )
            }
        }
    }

    /// `located` evaluated at every template index (big-endian), with `idx(t)`, the compared
    /// networks' grid entries and `H` bound; `convert` takes the value of the kind `wanted`.
    fn grid_values<T>(
        &self,
        located: &Located,
        scope: &Scope,
        network: &Generalized,
        wanted: &str,
        convert: fn(Value) -> Option<T>,
    ) -> Result<Tensor<T>, InputError> {
        let shape = vec![network.body.templates(); network.body.length()];
        let mut s = scope.clone();
        let mut index = vec![0; shape.len()];
        let mut entries = Vec::new();
        loop {
            s.set_grid_index(&index.iter().map(|i| i + 1).collect::<Vec<_>>());
            for (name, _, grid) in &network.others {
                s.set(name, Value::Num(grid.get(&index).clone()));
            }
            if let Some(h) = &network.target {
                s.set("H", Value::Num(h.get(&index).clone()));
            }
            let value = located.expr.eval(&s).map_err(|e| self.expr_error(located, e))?;
            let at = index.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join(",");
            entries.push(convert(value).ok_or_else(|| {
                self.error(
                    located.offset,
                    format!("this must be {wanted} at every index, and at ({at}) it is not"),
                )
            })?);
            if !next_index(&shape, &mut index) {
                return Ok(Tensor::from_entries(shape, entries).expect("one entry per index"));
            }
        }
    }

    /// A grid-tensor claim made concrete: its expected values or zero pattern at every index,
    /// with the compared networks' grid entries bound by name.
    pub(super) fn grid_claim(
        &self,
        spec: &ClaimSpec,
        scope: &Scope,
        network: &Generalized,
    ) -> Result<Claim, InputError> {
        let t = network.body.length();
        Ok(match spec {
            ClaimSpec::GridTensorEqual { to } => Claim::GridTensorEqual {
                expected: self.grid_values(to, scope, network, "a number", Value::number)?,
                statement: to.expr.source().to_string(),
            },
            ClaimSpec::GridPattern { zero_where } => Claim::GridPattern {
                zero: self.grid_values(zero_where, scope, network, "a condition", Value::condition)?,
                statement: zero_where.expr.source().to_string(),
            },
            ClaimSpec::ShallowWidthLowerBound { bound } => {
                if network.xi != Xi::Rectifier {
                    return Err(self.error(
                        bound.offset,
                        format!(
                            "Lemma 5 bounds rectifier shallow networks; this case has xi = {}",
                            network.xi.name()
                        ),
                    ));
                }
                if t % 2 == 1 {
                    return Err(self.error(
                        bound.offset,
                        format!("Lemma 5 uses the odd/even matricization, which needs an even T; T = {t}"),
                    ));
                }
                Claim::ShallowWidthLowerBound {
                    matricization: crate::tensor::Matricization::odd_even(t),
                    bound: self.number(bound, scope, "a width bound")?,
                }
            }
            _ => unreachable!("only grid claims come here"),
        })
    }
}
