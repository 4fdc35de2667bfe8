//! Expands a case over its parameter grid: binds the parameters and `let`s, builds the network,
//! turns each claim into a concrete `Claim` with numbers, and estimates the memory each instance
//! needs so that work too large for the machine is refused before anything runs.

use super::schema::{ClaimSpec, ConstructionSpec, Expectation, Located, MatricizationSpec};
use super::{Case, InputError};
use crate::claim::{Claim, Verdict};
use crate::expr::{Scope, Value};
use crate::field::Q;
use crate::network::{Core, Network, TensorTrain};
use crate::tensor::Matricization;

/// Bytes one dense tensor entry costs while a rank is computed: the rational entry, its copy in
/// the matricization and the integer row of the elimination (measured order of magnitude).
const BYTES_PER_DENSE_ENTRY: u128 = 192;
/// Bytes one core entry costs.
const BYTES_PER_CORE_ENTRY: u128 = 64;
/// The most grid points one case may have.
const MAX_INSTANCES: usize = 100_000;

/// The memory a single instance may use.
#[derive(Clone, Copy, Debug)]
pub struct ResourceLimit {
    pub max_bytes: u128,
}

impl Default for ResourceLimit {
    fn default() -> Self {
        ResourceLimit { max_bytes: 4 << 30 }
    }
}

/// One grid point of a case: parameter values, `let` values, the network and its claims.
#[derive(Clone, Debug)]
pub struct Instance {
    pub params: Vec<(String, i64)>,
    pub lets: Vec<(String, Q)>,
    pub network: Network,
    pub claims: Vec<InstanceClaim>,
}

impl Instance {
    /// `n=2, r=3, d=4`.
    pub fn label(&self) -> String {
        self.params.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ")
    }
}

/// A claim made concrete at one grid point.
#[derive(Clone, Debug)]
pub struct InstanceClaim {
    /// 1-based position among the case's claims.
    pub number: usize,
    pub claim: Claim,
    pub expected: Verdict,
}

impl Case {
    /// All grid points (the first parameter varies slowest), or the first error met at any.
    pub fn instances(&self, limit: ResourceLimit) -> Result<Vec<Instance>, InputError> {
        let count = self.params.iter().try_fold(1usize, |acc, p| acc.checked_mul(p.values.len()));
        if count.is_none_or(|c| c > MAX_INSTANCES) {
            return Err(self.error(self.params[0].offset, format!("the parameter grid has more than {MAX_INSTANCES} points; split the case")));
        }
        let mut points: Vec<Vec<i64>> = vec![vec![]];
        for p in &self.params {
            points = points.iter().flat_map(|pt| p.values.iter().map(move |&v| [pt.as_slice(), &[v]].concat())).collect();
        }
        points.iter().map(|pt| self.instance(pt, limit)).collect()
    }

    fn error(&self, offset: usize, message: impl Into<String>) -> InputError {
        self.source_file.error_at(offset, message)
    }

    fn instance(&self, point: &[i64], limit: ResourceLimit) -> Result<Instance, InputError> {
        let params: Vec<(String, i64)> = self.params.iter().map(|p| p.name.clone()).zip(point.iter().copied()).collect();
        let at = InstanceAt { case: self, label: params.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ") };
        let mut scope = Scope::new();
        for (name, value) in &params {
            scope.set_int(name, *value);
        }
        let param = |name: &str| self.params.iter().zip(point).find(|(p, _)| p.name == name).map(|(p, &v)| (v, p.offset));
        let positive = |name: &str, what: &str| -> Result<Option<usize>, InputError> {
            match param(name) {
                None => Ok(None),
                Some((v, offset)) => usize::try_from(v)
                    .ok()
                    .filter(|&v| v >= 1)
                    .map(Some)
                    .ok_or_else(|| at.error(offset, format!("{what} {name} must be at least 1, it is {v}"))),
            }
        };
        let (Some(n), Some(d)) = (positive("n", "the mode size")?, positive("d", "the order")?) else {
            unreachable!("the schema requires n and d")
        };
        let mut lets = Vec::new();
        for (name, located) in &self.lets {
            let value = at.number(located, &scope)?;
            scope.set(name, Value::Num(value.clone()));
            lets.push((name.clone(), value));
        }
        let r = positive("r", "the bond dimension")?;
        let network = self.network(&at, &mut scope, (n, r, d), limit)?;
        let claims = self
            .claims
            .iter()
            .enumerate()
            .map(|(number, entry)| {
                let claim = at.claim(&entry.spec, &scope, &network)?;
                at.check_memory(&claim, &network, entry.offset, limit)?;
                let expected = match &entry.expect {
                    Expectation::Holds => Verdict::Holds,
                    Expectation::Fails => Verdict::Fails,
                    Expectation::FailsWhere(cond) => match cond.expr.eval_bool(&scope) {
                        Ok(true) => Verdict::Fails,
                        Ok(false) => Verdict::Holds,
                        Err(e) => return Err(at.expr_error(cond, e)),
                    },
                };
                Ok(InstanceClaim { number: number + 1, claim, expected })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Instance { params, lets, network, claims })
    }

    /// Builds the network; `r` is the parameter of that name, if the case has one.
    fn network(&self, at: &InstanceAt, scope: &mut Scope, (n, r, d): (usize, Option<usize>, usize), limit: ResourceLimit) -> Result<Network, InputError> {
        let core = |located: &Located, k: usize, left: usize, right: usize, scope: &mut Scope| {
            let entries = (left as u128) * (n as u128) * (right as u128);
            if entries * BYTES_PER_CORE_ENTRY * (d as u128) > limit.max_bytes {
                return Err(at.error(located.offset, format!("the cores would have {entries} entries each, over the memory limit")));
            }
            scope.set_int("k", k as i64);
            Core::from_fn(left, n, right, |a, i, b| {
                scope.set_int("a", a as i64 + 1);
                scope.set_int("i", i as i64 + 1);
                scope.set_int("b", b as i64 + 1);
                at.number(located, scope)
            })
        };
        match &self.construction {
            ConstructionSpec::Tt { ranks, core: core_expr } => {
                let mut bonds = vec![1usize];
                for k in 1..d {
                    scope.set_int("k", k as i64);
                    let r = at.integer(ranks, scope)?;
                    let r = usize::try_from(r).ok().filter(|&r| r >= 1).ok_or_else(|| {
                        at.error(ranks.offset, format!("the bond dimension r_{k} is {r}; bond dimensions must be at least 1"))
                    })?;
                    bonds.push(r);
                }
                bonds.push(1);
                let cores = (1..=d).map(|k| core(core_expr, k, bonds[k - 1], bonds[k], scope)).collect::<Result<Vec<_>, _>>()?;
                TensorTrain::new(cores).map(Network::Tt).map_err(|e| at.error(core_expr.offset, e))
            }
            ConstructionSpec::TtEqual { first, inner, last } => {
                if inner.expr.free_names().iter().any(|x| x == "k") {
                    return Err(at.error(inner.offset, "the inner core is the same at every position, so it cannot depend on k"));
                }
                let r = r.expect("the schema requires r for tt-equal");
                let first_core = core(first, 1, 1, r, scope)?;
                let inner_core = if d > 2 { Some(core(inner, 2, r, r, scope)?) } else { None };
                let last_core = core(last, d, r, 1, scope)?;
                Network::tt_equal(first_core, inner_core, last_core, d).map_err(|e| at.error(first.offset, e))
            }
        }
    }
}

/// A case at one grid point, for evaluating expressions and naming the point in errors.
struct InstanceAt<'c> {
    case: &'c Case,
    label: String,
}

impl InstanceAt<'_> {
    fn error(&self, offset: usize, message: impl std::fmt::Display) -> InputError {
        self.case.error(offset, format!("{message} (at {})", self.label))
    }

    fn expr_error(&self, located: &Located, e: crate::expr::ExprError) -> InputError {
        self.error(located.offset + e.span.start, e.message)
    }

    fn number(&self, located: &Located, scope: &Scope) -> Result<Q, InputError> {
        located.expr.eval_number(scope).map_err(|e| self.expr_error(located, e))
    }

    fn integer(&self, located: &Located, scope: &Scope) -> Result<i64, InputError> {
        located.expr.eval_integer(scope).map_err(|e| self.expr_error(located, e))
    }

    /// A non-negative integer (a size, a rank, a bound).
    fn count(&self, located: &Located, scope: &Scope, what: &str) -> Result<usize, InputError> {
        let v = self.integer(located, scope)?;
        usize::try_from(v).map_err(|_| self.error(located.offset, format!("{what} must not be negative, it is {v}")))
    }

    fn matricization(&self, spec: &MatricizationSpec, scope: &Scope, d: usize) -> Result<Matricization, InputError> {
        match spec {
            MatricizationSpec::OddEven { .. } => Ok(Matricization::odd_even(d)),
            MatricizationSpec::Rows(pred) => {
                let mut scope = scope.clone();
                let mut rows = Vec::new();
                let mut cols = Vec::new();
                for m in 0..d {
                    scope.set_int("m", m as i64 + 1);
                    let is_row = pred.expr.eval_bool(&scope).map_err(|e| self.expr_error(pred, e))?;
                    if is_row { rows.push(m) } else { cols.push(m) }
                }
                Matricization::new(rows, cols, d).map_err(|e| self.error(pred.offset, e))
            }
        }
    }

    /// Checks `q` is a block size that fits the modes.
    fn block_size(&self, located: &Located, scope: &Scope, network: &Network) -> Result<usize, InputError> {
        let q = self.count(located, scope, "q")?;
        let n = network.train().mode_sizes().into_iter().min().unwrap_or(0);
        if q > n {
            return Err(self.error(located.offset, format!("q = {q} is larger than the mode size {n}, so indices 1..q do not exist")));
        }
        Ok(q)
    }

    fn claim(&self, spec: &ClaimSpec, scope: &Scope, network: &Network) -> Result<Claim, InputError> {
        let d = network.train().order();
        Ok(match spec {
            ClaimSpec::IdentitySubmatrix { matricization, q } => Claim::IdentitySubmatrix {
                matricization: self.matricization(matricization, scope, d)?,
                q: self.block_size(q, scope, network)?,
            },
            ClaimSpec::MatricizationRank { matricization, relation, bound } => Claim::MatricizationRank {
                matricization: self.matricization(matricization, scope, d)?,
                relation: *relation,
                bound: self.count(bound, scope, "a rank bound")?,
            },
            ClaimSpec::CpRankLowerBound { matricization, bound } => Claim::CpRankLowerBound {
                matricization: self.matricization(matricization, scope, d)?,
                bound: self.count(bound, scope, "a rank bound")?,
            },
            ClaimSpec::TtRanks { relation, bound } => {
                let mut scope = scope.clone();
                let bounds = (1..d)
                    .map(|k| {
                        scope.set_int("k", k as i64);
                        self.count(bound, &scope, "a TT-rank")
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Claim::TtRanks { relation: *relation, bounds }
            }
            ClaimSpec::SupportStructure { path, q } => {
                let q = self.block_size(q, scope, network)?;
                let mut scope = scope.clone();
                let mut table = Vec::new();
                for k in 1..d {
                    scope.set_int("k", k as i64);
                    let mut row = Vec::new();
                    for i in 1..=q {
                        scope.set_int("i", i as i64);
                        row.push(self.integer(path, &scope)?);
                    }
                    table.push(row);
                }
                Claim::SupportStructure { q, path: table }
            }
        })
    }

    /// Refuses a claim whose dense tensor would not fit within the limit.
    fn check_memory(&self, claim: &Claim, network: &Network, offset: usize, limit: ResourceLimit) -> Result<(), InputError> {
        let Some(entries) = claim.dense_entries(network) else { return Ok(()) };
        let bytes = entries.saturating_mul(BYTES_PER_DENSE_ENTRY);
        if bytes > limit.max_bytes {
            return Err(self.error(
                offset,
                format!(
                    "this claim needs the dense tensor of {entries} entries, about {:.1} GiB, over the limit of {:.1} GiB; raise it with --max-memory <GiB> if the machine has the memory",
                    bytes as f64 / (1u64 << 30) as f64,
                    limit.max_bytes as f64 / (1u64 << 30) as f64
                ),
            ));
        }
        Ok(())
    }
}
