//! Expands a case over its parameter grid: binds the parameters and `let`s, builds the network,
//! turns each claim into a concrete `Claim` with numbers, and estimates the memory each instance
//! needs so that work too large for the machine is refused before anything runs.

mod conversion;
mod cp;
mod every_depth;
mod generalized;
mod hierarchical;

use super::schema::{
    ClaimEntry, ClaimSpec, ConstructionSpec, EstimateEntry, Expectation, Located, MatricizationSpec, Region,
};
use super::{Case, InputError};
use crate::claim::{Claim, Expected, Route, Verdict};
use crate::draw::{Draws, RandomKind};
use crate::estimate::{EstimateRequest, MAX_ENTRIES};
use crate::expr::{Scope, Value};
use crate::field::{q_text, Q};
use crate::network::cut::cut_bound;
use crate::network::periodic::{Depths, EveryDepth};
use crate::network::{Core, Network, TensorTrain};
use crate::tensor::Matricization;
use num_traits::ToPrimitive;

/// Bytes one dense tensor entry costs while a rank is computed: the rational entry, its copy in
/// the matricization and the integer row of the elimination (measured order of magnitude).
const BYTES_PER_DENSE_ENTRY: u128 = 192;
/// Bytes one entry `network::sparse::stored_entries` counts costs while a rank is computed from
/// the cores' support: the partial products of two levels, the matrix's entry and its integer
/// row, the row and column bookkeeping (measured order of magnitude: Alkin's equal cores at
/// n = r = 4, d = 14 count 108084 and peak about 17 MiB above the process's start). Not above a
/// dense entry's cost: a rank takes the support only when it stores fewer entries, so claims
/// estimated by the dense tensor (ht-ranks) stay within their estimate whichever route they take.
const BYTES_PER_SUPPORT_ENTRY: u128 = 192;
/// Bytes one entry of a drawn tensor costs while its rank is certified mod p: the matricization
/// the elimination works in (8 bytes), and either the tensor's residues kept for the instance's
/// other claims or, for a train, the dense buffer its assembly reorders from (8 bytes).
const BYTES_PER_RESIDUE_ENTRY: u128 = 16;
/// Bytes one entry costs in the f64 cross-check of a rank on random cores: the f64 tensor and its
/// matricization, and the SVD's working copies and singular vectors.
const BYTES_PER_NUMERIC_ENTRY: u128 = 48;
/// Bytes one core entry costs.
const BYTES_PER_CORE_ENTRY: u128 = 64;
/// The most core entries all instances of one case may have together.
const MAX_TOTAL_CORE_ENTRIES: u128 = 1 << 24;
/// The most grid points one case may have.
const MAX_INSTANCES: usize = 100_000;

/// What a single instance may use: memory, and (for generalized networks, whose grid tensors
/// are computed over Q while the instance is built) multiply-adds.
#[derive(Clone, Copy, Debug)]
pub struct ResourceLimit {
    pub max_bytes: u128,
    /// The most multiply-adds the grid tensors of one instance may take, and inverting its
    /// feature matrix F (M^3); the default, `2^21`, is about a second over Q.
    pub max_grid_work: u128,
}

impl ResourceLimit {
    /// The default limits with `max_bytes` of memory.
    pub const fn memory(max_bytes: u128) -> ResourceLimit {
        ResourceLimit {
            max_bytes,
            max_grid_work: 1 << 21,
        }
    }
}

impl Default for ResourceLimit {
    fn default() -> Self {
        ResourceLimit::memory(4 << 30)
    }
}

/// One grid point of a case: parameter values, `let` values, the network and its claims.
#[derive(Clone, Debug)]
pub struct Instance {
    pub params: Vec<(String, i64)>,
    pub lets: Vec<(String, Q)>,
    pub network: Network,
    pub claims: Vec<InstanceClaim>,
    pub estimates: Vec<EstimateRequest>,
    /// For a random construction: how its cores are drawn, and which attempt `network` is.
    pub draws: Option<Draws>,
    pub attempt: usize,
    /// For a case with `d = "even"` (or `"all"`, `"even >= K"`): the train of every depth, whose
    /// claims are all `Claim::EveryDepth`; `network` is then its train at the least depth, and
    /// `params` leave d out.
    pub every_depth: Option<EveryDepth>,
}

impl Instance {
    /// `n=2, r=3, d=4`; for every depth at once `n=2, r=3, d=even`.
    pub fn label(&self) -> String {
        label(&self.params, self.every_depth.as_ref().map(|e| e.depths))
    }

    /// The point as certificate file names show it: `_n2_r3_d4`; for every depth at once
    /// `_n2_r3_deven` (`_deven4` for `even >= 4`, `_dall`, `_dall3`).
    pub fn name_parts(&self) -> String {
        let depths = self
            .every_depth
            .iter()
            .map(|e| format!("_d{}", e.depths.label().replace(">=", "")));
        self.params
            .iter()
            .map(|(k, v)| format!("_{k}{v}"))
            .chain(depths)
            .collect()
    }
}

/// A claim made concrete at one grid point.
#[derive(Clone, Debug)]
pub struct InstanceClaim {
    /// 1-based position among the case's claims.
    pub number: usize,
    pub claim: Claim,
    pub expected: Expected,
    /// The f64 SVD cross-check of a rank claim, with its relative tolerance if not numpy's.
    pub numeric: Option<Option<f64>>,
}

impl Case {
    /// All grid points (the first parameter varies slowest), or the first error met at any.
    pub fn instances(&self, limit: ResourceLimit) -> Result<Vec<Instance>, InputError> {
        let selected = self.instances_of_class(limit, 0, 1)?;
        Ok(selected.into_iter().map(|(_, instance)| instance).collect())
    }

    /// How many points the parameter grid has, if that fits a `usize`.
    pub fn grid_size(&self) -> Option<usize> {
        self.params
            .iter()
            .try_fold(1usize, |acc, p| acc.checked_mul(p.values.len()))
    }

    /// The grid points whose 0-based index k has `k % modulus == residue` (`0 < modulus`),
    /// each with its index, in grid order; at most `MAX_INSTANCES` of them, which bounds the
    /// points built, not the grid (only the selected points are formed).
    pub fn instances_of_class(
        &self,
        limit: ResourceLimit,
        residue: usize,
        modulus: usize,
    ) -> Result<Vec<(usize, Instance)>, InputError> {
        let Some(size) = self.grid_size() else {
            return Err(self.error(
                self.params[0].offset,
                format!("the parameter grid has more than {} points", usize::MAX),
            ));
        };
        let selected = if residue < size {
            (size - residue).div_ceil(modulus)
        } else {
            0
        };
        if selected > MAX_INSTANCES {
            let what = if modulus == 1 {
                format!("the parameter grid has more than {MAX_INSTANCES} points ({size})")
            } else {
                format!("the grid points k with k % {modulus} = {residue} are more than {MAX_INSTANCES} ({selected} of {size})")
            };
            return Err(self.error(
                self.params[0].offset,
                format!("{what}; split the case, or sweep it in shards of at most {MAX_INSTANCES} points each (tnproof sweep --shard i/N)"),
            ));
        }
        // All instances are built before any is decided: their cores together must fit too.
        let mut total_core_entries = 0u128;
        (residue..size)
            .step_by(modulus)
            .map(|k| {
                let instance = self.instance(&self.grid_point(k), limit)?;
                let periodic = instance.every_depth.iter().flat_map(|e| e.train.named_cores());
                total_core_entries += instance
                    .network
                    .listed()
                    .iter()
                    .map(|t| t.entries.len() as u128)
                    .chain(periodic.map(|(_, c)| c.entries_count() as u128))
                    .sum::<u128>();
                if total_core_entries > MAX_TOTAL_CORE_ENTRIES {
                    return Err(self.error(
                        self.params[0].offset,
                        format!("the grid's cores together have more than {MAX_TOTAL_CORE_ENTRIES} entries (at {}); split the case", instance.label()),
                    ));
                }
                Ok((k, instance))
            })
            .collect()
    }

    /// The parameter values of grid point `k`: its digits in the mixed radix of the value
    /// counts, the first parameter the most significant.
    fn grid_point(&self, k: usize) -> Vec<i64> {
        let mut rest = k;
        let mut point: Vec<i64> = self
            .params
            .iter()
            .rev()
            .map(|p| {
                let value = p.values[rest % p.values.len()];
                rest /= p.values.len();
                value
            })
            .collect();
        point.reverse();
        point
    }

    fn error(&self, offset: usize, message: impl Into<String>) -> InputError {
        self.source_file.error_at(offset, message)
    }

    fn instance(&self, point: &[i64], limit: ResourceLimit) -> Result<Instance, InputError> {
        let params: Vec<(String, i64)> = self
            .params
            .iter()
            .map(|p| p.name.clone())
            .zip(point.iter().copied())
            .collect();
        let at = InstanceAt {
            case: self,
            label: label(&params, self.every_depth.as_ref().map(|e| e.depths)),
        };
        let mut scope = Scope::new();
        for (name, value) in &params {
            scope.set_int(name, *value);
        }
        let (n, r, d) = self.sizes(&at, point)?;
        let mut lets = Vec::new();
        for (name, located) in &self.lets {
            let value = at.number(located, &scope, &format!("the let '{name}'"))?;
            scope.set(name, Value::Num(value.clone()));
            lets.push((name.clone(), value));
        }
        if let Some(spec) = &self.every_depth {
            let (network, every_depth, claims) = at.every_depth(spec, &scope, (n, r), limit)?;
            return Ok(Instance {
                params,
                lets,
                network,
                claims,
                estimates: Vec::new(),
                draws: None,
                attempt: 0,
                every_depth: Some(every_depth),
            });
        }
        let draws = self.draws(&at, &scope, (n, r, d), limit)?;
        let network = match &draws {
            Some(draws) => draws.network(0),
            None => self.network(&at, &scope, (n, r, d), limit)?,
        };
        let claims = self
            .claims
            .iter()
            .enumerate()
            .map(|(number, entry)| at.instance_claim(number + 1, entry, &scope, (&network, draws.is_some()), limit))
            .collect::<Result<Vec<_>, _>>()?;
        let estimates = self
            .estimates
            .iter()
            .enumerate()
            .map(|(number, e)| at.estimate(number + 1, e, &scope, &network))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Instance {
            params,
            lets,
            network,
            claims,
            estimates,
            draws,
            attempt: 0,
            every_depth: None,
        })
    }

    /// The size parameters at `point`: the mode size `n` (or `M`), the bond dimension `r` if
    /// the case has one, the order `d` (or `T`; for every depth at once, the least depth), each
    /// refused below its least value.
    fn sizes(&self, at: &InstanceAt, point: &[i64]) -> Result<(usize, Option<usize>, usize), InputError> {
        let size = |name: &str, what: &str, least: usize| -> Result<Option<usize>, InputError> {
            let Some((p, &v)) = self.params.iter().zip(point).find(|(p, _)| p.name == name) else {
                return Ok(None);
            };
            let size = usize::try_from(v).ok().filter(|&v| v >= least);
            size.map(Some).ok_or_else(|| {
                at.error(
                    p.offset_of(v),
                    format!("{name} ({what}) must be at least {least}, it is {v}"),
                )
            })
        };
        let (order, least_order) = match self.construction {
            ConstructionSpec::Tt { .. }
            | ConstructionSpec::Cp { .. }
            | ConstructionSpec::Random {
                kind: RandomKind::Tt | RandomKind::Cp,
                ..
            } => ("the order", 1),
            ConstructionSpec::TtEqual { .. }
            | ConstructionSpec::Random {
                kind: RandomKind::TtEqual,
                ..
            } => ("the order of an equal-core tensor train", 2),
            ConstructionSpec::Ht(_)
            | ConstructionSpec::Random {
                kind: RandomKind::Ht, ..
            } => ("the order of an HT network", 2),
            ConstructionSpec::Generalized(_) => ("the sequence length", 1),
        };
        let (n_name, n_what, d_name) = self.size_names();
        let least_depth = self.every_depth.as_ref().map(|e| e.depths.first());
        let (Some(n), Some(d)) = (
            size(n_name, n_what, 1)?,
            size(d_name, order, least_order)?.or(least_depth),
        ) else {
            unreachable!("the schema requires the size parameters")
        };
        Ok((n, size("r", "the bond dimension", 1)?, d))
    }

    /// The names of the mode size parameter, what it is, and the order parameter's name.
    fn size_names(&self) -> (&'static str, &'static str, &'static str) {
        match self.construction {
            ConstructionSpec::Generalized(_) => ("M", "the number of templates", "T"),
            _ => ("n", "the mode size", "d"),
        }
    }

    /// For a random construction, how its cores are drawn, once they are known to fit.
    fn draws(
        &self,
        at: &InstanceAt,
        scope: &Scope,
        (n, r, d): (usize, Option<usize>, usize),
        limit: ResourceLimit,
    ) -> Result<Option<Draws>, InputError> {
        let ConstructionSpec::Random {
            kind,
            seed,
            entries,
            tries,
            ref ht,
        } = self.construction
        else {
            return Ok(None);
        };
        let offset = self.params[0].offset;
        let (ht, cores) = match ht {
            Some(spec) => {
                let (shape, entries) = at.ht_shape(spec, scope, (n, r, d), limit)?;
                (Some(shape), entries)
            }
            None => {
                let r = r.expect("the schema requires r for random constructions") as u128;
                (None, (d as u128).saturating_mul(r * n as u128 * r))
            }
        };
        at.check_memory(cores, BYTES_PER_CORE_ENTRY, "the cores", offset, limit)?;
        Ok(Some(Draws {
            kind,
            entries,
            seed,
            case_id: self.id.clone(),
            instance: at.label.clone(),
            n,
            r: r.unwrap_or(0),
            d,
            tries,
            ht,
        }))
    }

    /// Builds the network; `r` is the parameter of that name, if the case has one. The cores'
    /// memory is estimated from their shapes before any entry is computed.
    fn network(
        &self,
        at: &InstanceAt,
        scope: &Scope,
        (n, r, d): (usize, Option<usize>, usize),
        limit: ResourceLimit,
    ) -> Result<Network, InputError> {
        let mut core_scope = scope.clone();
        let cores_fit = |entries: u128, located: &Located| {
            at.check_memory(entries, BYTES_PER_CORE_ENTRY, "the cores", located.offset, limit)
        };
        let entries = |bonds: &[usize]| {
            bonds.windows(2).fold(0u128, |sum, w| {
                sum.saturating_add(w[0] as u128 * n as u128 * w[1] as u128)
            })
        };
        let mut core = |located: &Located, k: usize, left: usize, right: usize| {
            core_scope.set_int("k", k as i64);
            at.core(located, &mut core_scope, (left, n, right))
        };
        match &self.construction {
            ConstructionSpec::Tt { ranks, core: core_expr } => {
                // Every core has at least n entries: refuse a too large order before evaluating `ranks` d times.
                cores_fit(d as u128 * n as u128, core_expr)?;
                let bonds = at.bonds(ranks, scope, d)?;
                cores_fit(entries(&bonds), core_expr)?;
                let cores = (1..=d)
                    .map(|k| core(core_expr, k, bonds[k - 1], bonds[k]))
                    .collect::<Result<Vec<_>, _>>()?;
                TensorTrain::new(cores)
                    .map(Network::Tt)
                    .map_err(|e| at.error(core_expr.offset, e))
            }
            ConstructionSpec::TtEqual { first, inner, last } => {
                let r = r.expect("the schema requires r for tt-equal");
                cores_fit(
                    entries(&[1, r, 1]).saturating_add((d as u128 - 2).saturating_mul(entries(&[r, r]))),
                    inner,
                )?;
                let first_core = core(first, 1, 1, r)?;
                let inner_core = if d > 2 { Some(core(inner, 2, r, r)?) } else { None };
                let last_core = core(last, d, r, 1)?;
                Network::tt_equal(first_core, inner_core, last_core, d).map_err(|e| at.error(first.offset, e))
            }
            ConstructionSpec::Ht(ht) => at.explicit_ht(ht, scope, (n, r, d), limit).map(Network::Ht),
            ConstructionSpec::Cp { rank, factor, lambda } => {
                at.cp((rank, factor, lambda.as_ref()), scope, (n, d), limit)
            }
            ConstructionSpec::Random { .. } => unreachable!("random constructions are drawn, not built"),
            ConstructionSpec::Generalized(spec) => Ok(Network::Generalized(Box::new(at.generalized(
                spec,
                scope,
                (n, d),
                limit,
            )?))),
        }
    }
}

/// `n=2, r=3, d=4`; with `depths`, every depth at once: `n=2, r=3, d=even`.
fn label(params: &[(String, i64)], depths: Option<Depths>) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .chain(depths.map(|d| format!("d={}", d.label())))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `scope` with `cut` bound to the cut bound of `matricization` (SPEC §4).
fn with_cut(scope: &Scope, network: &Network, matricization: &Matricization) -> Scope {
    let mut scope = scope.clone();
    scope.set_int(
        "cut",
        i64::try_from(cut_bound(network, matricization)).unwrap_or(i64::MAX),
    );
    scope
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
        self.error(located.offset_of(e.span.start), e.message)
    }

    /// A number; `what` names it in errors.
    fn number(&self, located: &Located, scope: &Scope, what: &str) -> Result<Q, InputError> {
        match located.expr.eval(scope).map_err(|e| self.expr_error(located, e))? {
            Value::Num(v) => Ok(v),
            Value::Bool(_) => Err(self.error(
                located.offset,
                format!("{what} must be a number, but this is a condition (write [condition] for 1 or 0)"),
            )),
        }
    }

    /// A condition; `what` names it in errors.
    fn condition(&self, located: &Located, scope: &Scope, what: &str) -> Result<bool, InputError> {
        match located.expr.eval(scope).map_err(|e| self.expr_error(located, e))? {
            Value::Bool(b) => Ok(b),
            Value::Num(v) => Err(self.error(
                located.offset,
                format!(
                    "{what} must be a condition (true or false), but it is the number {}",
                    short(&v)
                ),
            )),
        }
    }

    /// An integer that fits in 64 bits; `what` names it in errors.
    fn integer(&self, located: &Located, scope: &Scope, what: &str) -> Result<i64, InputError> {
        let value = self.number(located, scope, what)?;
        let shown = short(&value);
        match (value.is_integer(), value.numer().to_i64()) {
            (true, Some(v)) => Ok(v),
            (true, None) => Err(self.error(located.offset, format!("{what} must fit in 64 bits, it is {shown}"))),
            (false, _) => Err(self.error(located.offset, format!("{what} must be an integer, it is {shown}"))),
        }
    }

    /// A non-negative integer (a size, a rank, a bound).
    fn count(&self, located: &Located, scope: &Scope, what: &str) -> Result<usize, InputError> {
        let v = self.integer(located, scope, what)?;
        usize::try_from(v).map_err(|_| self.error(located.offset, format!("{what} must not be negative, it is {v}")))
    }

    /// The matricization a claim names at this point, refused when it is degenerate: a side
    /// without modes makes a 1 x N matrix, whose rank says nothing, and the odd/even split of
    /// the proofs exists only for an even order.
    fn matricization(&self, spec: &MatricizationSpec, scope: &Scope, d: usize) -> Result<Matricization, InputError> {
        let order = self.case.size_names().2;
        let offset = match spec {
            MatricizationSpec::OddEven { offset } => *offset,
            MatricizationSpec::Rows(pred) => pred.offset,
        };
        if d == 1 {
            return Err(self.error(
                offset,
                format!("a matricization splits the modes into row modes and column modes, and at {order} = 1 there is only one mode"),
            ));
        }
        match spec {
            MatricizationSpec::OddEven { .. } if d % 2 == 1 => Err(self.error(
                offset,
                format!(
                    "the odd/even matricization needs an even order, and {order} = {d} is odd; for the split X^({}) give rows = \"m % 2 == 1\"",
                    Matricization::odd_even(d)
                ),
            )),
            MatricizationSpec::OddEven { .. } => Ok(Matricization::odd_even(d)),
            MatricizationSpec::Rows(pred) => {
                let mut scope = scope.clone();
                let mut rows = Vec::new();
                let mut cols = Vec::new();
                for m in 0..d {
                    scope.set_int("m", m as i64 + 1);
                    let is_row = self.condition(pred, &scope, &format!("'rows' at m = {}", m + 1))?;
                    if is_row {
                        rows.push(m)
                    } else {
                        cols.push(m)
                    }
                }
                let (holds, missing) = match (rows.is_empty(), cols.is_empty()) {
                    (true, _) => ("no mode", "row"),
                    (_, true) => ("every mode", "column"),
                    _ => return Matricization::new(rows, cols, d).map_err(|e| self.error(pred.offset, e)),
                };
                Err(self.error(
                    pred.offset,
                    format!("'rows' holds at {holds} m = 1..{d}, so the matricization has no {missing} modes; it must hold at some modes and not at the others"),
                ))
            }
        }
    }

    /// Checks `q` is a block size that fits the modes.
    fn block_size(&self, located: &Located, scope: &Scope, network: &Network) -> Result<usize, InputError> {
        let q = self.count(located, scope, "q")?;
        let n = network.mode_sizes().into_iter().min().unwrap_or(0);
        if q == 0 {
            return Err(self.error(located.offset, "q = 0 leaves no indices 1..q; q must be at least 1"));
        }
        if q > n {
            return Err(self.error(
                located.offset,
                format!("q = {q} is larger than the mode size {n}, so indices 1..q do not exist"),
            ));
        }
        Ok(q)
    }

    fn claim(&self, spec: &ClaimSpec, scope: &Scope, network: &Network) -> Result<Claim, InputError> {
        let d = network.mode_sizes().len();
        Ok(match spec {
            ClaimSpec::IdentitySubmatrix { matricization, q } => Claim::IdentitySubmatrix {
                matricization: self.matricization(matricization, scope, d)?,
                q: self.block_size(q, scope, network)?,
            },
            ClaimSpec::MatricizationRank {
                matricization,
                relation,
                bound,
            } => {
                let matricization = self.matricization(matricization, scope, d)?;
                let bound = self.count(bound, &with_cut(scope, network, &matricization), "a rank bound")?;
                Claim::MatricizationRank {
                    matricization,
                    relation: *relation,
                    bound,
                }
            }
            ClaimSpec::CpRankLowerBound { matricization, bound } => {
                let matricization = self.matricization(matricization, scope, d)?;
                let bound = self.count(bound, &with_cut(scope, network, &matricization), "a rank bound")?;
                Claim::CpRankLowerBound { matricization, bound }
            }
            ClaimSpec::CpRankUpperBound { matricization, bound } => Claim::CpRankUpperBound {
                matricization: matricization
                    .as_ref()
                    .map(|m| self.matricization(m, scope, d))
                    .transpose()?,
                bound: self.count(bound, scope, "a CP-rank bound")?,
            },
            ClaimSpec::TtRanks { relation, bound } => {
                let bounds = self.bond_bounds(bound, scope, d, "the TT-rank bound of bond")?;
                Claim::TtRanks {
                    relation: *relation,
                    bounds,
                }
            }
            ClaimSpec::HtRanks { tree, relation, bound } => {
                let tree = match (tree, network) {
                    (Some((spec, at)), _) => self.tree(spec, d, *at)?,
                    (None, Network::Ht(net)) => net.tree().clone(),
                    (None, _) => {
                        return Err(self.error(
                            bound.offset,
                            format!("an 'ht-ranks' claim on a '{}' network needs a 'tree' key: the mode tree whose nodes' ranks it bounds", network.kind()),
                        ))
                    }
                };
                let bounds = self.node_bounds(bound, scope, &tree, "the HT-rank bound of node")?;
                Claim::HtRanks {
                    tree,
                    relation: *relation,
                    bounds,
                }
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
                        row.push(self.integer(path, &scope, &format!("the path's bond value a_{k} for i = {i}"))?);
                    }
                    table.push(row);
                }
                Claim::SupportStructure { q, path: table }
            }
            ClaimSpec::Conversion { .. } => unreachable!("instance_claim builds conversions, with their memory"),
            ClaimSpec::GridTensorEqual { .. }
            | ClaimSpec::GridPattern { .. }
            | ClaimSpec::ShallowWidthLowerBound { .. } => match network {
                Network::Generalized(g) => self.grid_claim(spec, scope, g)?,
                _ => unreachable!("the schema admits grid claims on generalized constructions only"),
            },
        })
    }

    /// `bound` at each bond k = 1..d-1 of an order-d train; `what` names it in errors (`... k`).
    fn bond_bounds(&self, bound: &Located, scope: &Scope, d: usize, what: &str) -> Result<Vec<usize>, InputError> {
        let mut scope = scope.clone();
        (1..d)
            .map(|k| {
                scope.set_int("k", k as i64);
                self.count(bound, &scope, &format!("{what} {k}"))
            })
            .collect()
    }

    /// `bound` at each node of `tree` below the root, in post-order, from its level and its first
    /// and last mode (1-based); `what` names it in errors (`... (1,2)`).
    fn node_bounds(
        &self,
        bound: &Located,
        scope: &Scope,
        tree: &crate::network::ht::ModeTree,
        what: &str,
    ) -> Result<Vec<usize>, InputError> {
        let mut scope = scope.clone();
        let nodes = tree.post_order();
        nodes[..nodes.len() - 1]
            .iter()
            .map(|node| {
                let (first, last) = node.first_last();
                scope.set_int("level", node.level() as i64);
                scope.set_int("first", first as i64 + 1);
                scope.set_int("last", last as i64 + 1);
                self.count(bound, &scope, &format!("{what} {node}"))
            })
            .collect()
    }

    /// The claim `entry` (the case's `number`-th) made concrete, with what the case expects of
    /// it here; what it stores (a dense tensor, or a matricization from the cores' support) must
    /// fit in memory. `generic`: the network is a draw of random cores.
    fn instance_claim(
        &self,
        number: usize,
        entry: &ClaimEntry,
        scope: &Scope,
        (network, generic): (&Network, bool),
        limit: ResourceLimit,
    ) -> Result<InstanceClaim, InputError> {
        let claim = match &entry.spec {
            ClaimSpec::Conversion { target, bound } => self.conversion((target, bound), scope, network, limit)?,
            spec => self.claim(spec, scope, network)?,
        };
        if let Claim::CpRankUpperBound { .. } = claim {
            self.expansion_fits(network, entry.offset)?;
        }
        match claim.footprint(network, generic) {
            Some(Route::Dense { entries }) => self.check_memory(
                entries,
                BYTES_PER_DENSE_ENTRY,
                "this claim's dense tensor",
                entry.offset,
                limit,
            )?,
            Some(Route::Support { entries }) => self.check_memory(
                entries,
                BYTES_PER_SUPPORT_ENTRY,
                "this claim's matricization from the cores' support (non-zero paths, rows and columns)",
                entry.offset,
                limit,
            )?,
            Some(Route::Residues { entries }) => {
                self.check_memory(
                    entries,
                    BYTES_PER_RESIDUE_ENTRY,
                    "the drawn tensor's residues mod p and the matricization",
                    entry.offset,
                    limit,
                )?;
                if entry.numeric.is_some() {
                    self.check_memory(
                        entries,
                        BYTES_PER_NUMERIC_ENTRY,
                        "the f64 cross-check (numeric = true: the tensor in f64 and its SVD)",
                        entry.offset,
                        limit,
                    )?;
                }
            }
            None => {}
        }
        let expected = self.expected(&entry.expect, scope)?;
        Ok(InstanceClaim {
            number,
            claim,
            expected,
            numeric: entry.numeric,
        })
    }

    /// What the case expects of a claim at this point. Of its `-where` conditions (in file
    /// order) at most one may be true here; none true: it holds, or it is a probe when a
    /// `holds-where` region is given.
    fn expected(&self, expect: &Expectation, scope: &Scope) -> Result<Expected, InputError> {
        let regions = match expect {
            Expectation::Is(verdict) => return Ok(Expected::Is(*verdict)),
            Expectation::Where(regions) => regions,
        };
        let mut found: Option<&Region> = None;
        for region in regions {
            if !self.condition(&region.condition, scope, &format!("'{}'", region.key()))? {
                continue;
            }
            if let Some(first) = found {
                return Err(self.error(
                    region.condition.offset,
                    format!(
                        "'{}' and '{}' are both true here; a claim expects one verdict at each point, so its '-where' conditions must not overlap",
                        first.key(),
                        region.key()
                    ),
                ));
            }
            found = Some(region);
        }
        Ok(match found {
            Some(region) => Expected::Is(region.verdict),
            None if regions.iter().any(|r| r.verdict == Verdict::Holds) => Expected::Probe,
            None => Expected::Is(Verdict::Holds),
        })
    }

    /// The case's `number`-th estimate at this point: for small tensors only, trying CP-ranks
    /// up to `max-rank`, which must be between 1 and 64.
    fn estimate(
        &self,
        number: usize,
        e: &EstimateEntry,
        scope: &Scope,
        network: &Network,
    ) -> Result<EstimateRequest, InputError> {
        let entries = network
            .mode_sizes()
            .iter()
            .try_fold(1usize, |acc, &n| acc.checked_mul(n))
            .filter(|&c| c <= MAX_ENTRIES);
        if entries.is_none() {
            return Err(self.error(
                e.offset,
                format!("an ALS estimate is for small tensors (at most {MAX_ENTRIES} entries)"),
            ));
        }
        let v = self.integer(&e.max_rank, scope, "'max-rank'")?;
        let max_rank = usize::try_from(v)
            .ok()
            .filter(|v| (1..=64).contains(v))
            .ok_or_else(|| {
                self.error(
                    e.max_rank.offset,
                    format!("'max-rank' must be between 1 and 64, it is {v}"),
                )
            })?;
        Ok(EstimateRequest {
            number,
            max_rank,
            restarts: e.restarts,
            target: e.target,
            seed: e.seed,
        })
    }

    /// The bond dimensions `1, r_1, ..., r_{d-1}, 1` of a `tt` construction, `r_k` from `ranks`.
    fn bonds(&self, ranks: &Located, scope: &Scope, d: usize) -> Result<Vec<usize>, InputError> {
        let mut bonds = vec![1usize];
        let mut scope = scope.clone();
        for k in 1..d {
            bonds.push(self.bond(ranks, &mut scope, k)?);
        }
        bonds.push(1);
        Ok(bonds)
    }

    /// The bond dimension `r_k` from `ranks` (`scope` binds k to `k`), at least 1.
    fn bond(&self, ranks: &Located, scope: &mut Scope, k: usize) -> Result<usize, InputError> {
        scope.set_int("k", k as i64);
        let r = self.integer(ranks, scope, &format!("the bond dimension r_{k}"))?;
        usize::try_from(r).ok().filter(|&r| r >= 1).ok_or_else(|| {
            self.error(
                ranks.offset,
                format!("the bond dimension r_{k} is {r}; bond dimensions must be at least 1"),
            )
        })
    }

    /// The core of shape `(left, n, right)` whose entries `G[a, i, b]` are `located` at each
    /// (1-based) a, i, b, with the position k and the rest bound in `scope`.
    fn core(
        &self,
        located: &Located,
        scope: &mut Scope,
        (left, n, right): (usize, usize, usize),
    ) -> Result<Core, InputError> {
        Core::from_fn(left, n, right, |a, i, b| {
            scope.set_int("a", a as i64 + 1);
            scope.set_int("i", i as i64 + 1);
            scope.set_int("b", b as i64 + 1);
            self.number(located, scope, "a core entry")
        })
    }

    /// Refuses `entries` entries of `bytes_per_entry` bytes each when they exceed the limit,
    /// with the estimate and how to raise the limit; `what` names what would hold them.
    fn check_memory(
        &self,
        entries: u128,
        bytes_per_entry: u128,
        what: &str,
        offset: usize,
        limit: ResourceLimit,
    ) -> Result<(), InputError> {
        let bytes = entries.saturating_mul(bytes_per_entry);
        if bytes <= limit.max_bytes {
            return Ok(());
        }
        Err(self.error(
            offset,
            format!(
                "{what} would have {entries} entries, about {}, over the memory limit of {}; raise it with --max-memory <GiB> if the machine has the memory",
                size_text(bytes),
                size_text(limit.max_bytes)
            ),
        ))
    }
}

/// A number of bytes for a message: `96 bytes`, `1.5 MiB`, `178813.9 GiB`.
fn size_text(bytes: u128) -> String {
    const UNITS: [(&str, u32); 3] = [("GiB", 30), ("MiB", 20), ("KiB", 10)];
    match UNITS.iter().find(|(_, shift)| bytes >= 1u128 << shift) {
        Some((unit, shift)) => format!("{:.1} {unit}", bytes as f64 / (1u128 << shift) as f64),
        None => format!("{bytes} bytes"),
    }
}

/// A number for a message, cut short when long.
fn short(v: &Q) -> String {
    let text = q_text(v);
    if text.len() <= 40 {
        text
    } else {
        format!("{}... ({} characters)", &text[..20], text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::parse_case;
    use crate::claim::{Evidence, Workspace};
    use crate::linalg::rank;
    use crate::tensor::matricize;

    /// Alkin's equal-core case at n = r = 4 and one depth `d`, with its matricization-rank
    /// claim only.
    fn alkin(d: usize, limit: ResourceLimit) -> Result<Instance, InputError> {
        let case = include_str!("../../cases/alkin2024-equal-core.toml");
        let mut parts = case.split("[[claim]]");
        let construction = parts.next().unwrap_or_default();
        let claim = parts
            .find(|p| p.contains("kind = \"matricization-rank\""))
            .unwrap_or_default();
        let text = format!("{construction}[[claim]]{claim}")
            .replace("n = \"1..6\"", "n = 4")
            .replace("r = \"2..6\"", "r = 4")
            .replace("d = [2, 4, 6, 8]", &format!("d = [{d}]"));
        Ok(parse_case("alkin", &text)?.instances(limit)?.remove(0))
    }

    /// Alkin's inner core at n = r = 4 (q = 3) leads from a bond value a <= 3 only to b = 4 (at
    /// i = a), and from a = 4 to every b (at i = b). With x_k the non-zero paths ending at each of
    /// 1..3 and y_k those ending at 4 after k cores: x_1 = y_1 = 1 (the first core is [i == b]),
    /// x_(k+1) = y_k, y_(k+1) = 3 x_k + y_k, and the last core [a == i] closes each path once:
    /// P = 3 x_(d-1) + y_(d-1). d = 2: 4; d = 4: (1,1), (1,4), (4,7), P = 19.
    fn alkin_paths(d: usize) -> u128 {
        let (mut x, mut y) = (1u128, 1u128);
        for _ in 2..d {
            (x, y) = (y, 3 * x + y);
        }
        3 * x + y
    }

    #[test]
    fn alkin_equal_cores_count_their_support() {
        assert_eq!((alkin_paths(2), alkin_paths(4)), (4, 19));
        for d in [4, 8, 12, 14] {
            let instance = alkin(d, ResourceLimit::default()).unwrap();
            let side = 4u128.pow(d as u32 / 2);
            let network = &instance.network;
            assert_eq!(network.train().unwrap().support_paths(), alkin_paths(d), "d = {d}");
            assert_eq!(
                instance.claims[0].claim.footprint(network, false),
                Some(Route::Support {
                    entries: alkin_paths(d) + 2 * side
                })
            );
        }
        // At d = 8 (65536 entries) the decided evidence is that of the dense matricization, and
        // the claim's bound q^(d/2) = 81 is met.
        let instance = alkin(8, ResourceLimit::default()).unwrap();
        let outcome = Workspace::new(&instance.network, false).decide(&instance.claims[0].claim, None);
        let dense = matricize(&instance.network.dense(Q::clone), &Matricization::odd_even(8));
        let Evidence::Rank { shape, witness, .. } = outcome.evidence else {
            panic!("a rank claim has rank evidence");
        };
        assert_eq!((shape, &witness), ((256, 256), &rank(&dense)));
        assert!(witness.rank >= 81);
    }

    #[test]
    fn alkin_at_depth_14_is_refused_only_when_its_support_does_not_fit() {
        // d = 14: 75316 paths and 2 * 4^7 rows and columns, 108084 entries of 192 bytes (about
        // 19.8 MiB), where the dense tensor would have 4^14 entries (48 GiB).
        assert_eq!(alkin_paths(14) + 2 * 4u128.pow(7), 108084);
        assert!(alkin(14, ResourceLimit::default()).is_ok());
        let error = alkin(14, ResourceLimit::memory(16 << 20)).unwrap_err();
        for words in ["support", "108084 entries", "about 19.8 MiB"] {
            assert!(error.message.contains(words), "{error}\nshould say: {words}");
        }
    }
}
