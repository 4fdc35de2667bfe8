//! A `cp` construction at one grid point: the rank R, each factor V_k (a core 1 x n x R) from
//! `factor` at every term a, mode k and index i, and the weights lambda_a (a core 1 x 1 x R)
//! from `lambda`, the cores' memory estimated before any entry is computed; and the size of a
//! network's CP expansion, estimated before a `cp-rank-upper-bound` claim builds it.

use super::{InstanceAt, ResourceLimit, BYTES_PER_CORE_ENTRY};
use crate::case::schema::{ConstructionSpec, Located};
use crate::case::InputError;
use crate::expr::Scope;
use crate::network::cp_expansion::{size, MAX_CANDIDATES, MAX_SUPPORT};
use crate::network::{Core, Network};

impl InstanceAt<'_> {
    /// The CP network of rank `rank`, factors `factor` and weights `lambda`, of mode size `n` and order `d`.
    pub(super) fn cp(
        &self,
        (rank, factor, lambda): (&Located, &Located, Option<&Located>),
        scope: &Scope,
        (n, d): (usize, usize),
        limit: ResourceLimit,
    ) -> Result<Network, InputError> {
        let value = self.integer(rank, scope, "the CP rank R")?;
        let r = usize::try_from(value).ok().filter(|&r| r >= 1).ok_or_else(|| {
            self.error(
                rank.offset,
                format!("the CP rank R is {value}; it must be a positive integer, the number of terms"),
            )
        })?;
        let entries = (d as u128 * n as u128 + 1).saturating_mul(r as u128);
        self.check_memory(entries, BYTES_PER_CORE_ENTRY, "the cores", rank.offset, limit)?;
        let mut scope = scope.clone();
        let mut factors = Vec::with_capacity(d);
        for k in 1..=d {
            scope.set_int("k", k as i64);
            factors.push(Core::from_fn(1, n, r, |_, i, a| {
                scope.set_int("a", a as i64 + 1);
                scope.set_int("i", i as i64 + 1);
                self.number(factor, &scope, "a factor entry")
            })?);
        }
        let weights = lambda
            .map(|lambda| {
                Core::from_fn(1, 1, r, |_, _, a| {
                    scope.set_int("a", a as i64 + 1);
                    self.number(lambda, &scope, "a weight lambda_a")
                })
            })
            .transpose()?;
        Ok(Network::Cp { factors, weights })
    }

    /// Refuses, at the claim (`offset`), an explicit network whose CP expansion is over the
    /// limits the kernel checks it within, with the estimate; drawn cores need none (their
    /// bound holds for every draw).
    pub(super) fn expansion_fits(&self, network: &Network, offset: usize) -> Result<(), InputError> {
        if matches!(self.case.construction, ConstructionSpec::Random { .. }) {
            return Ok(());
        }
        let Some(estimate) = size(network).filter(|s| !s.fits()) else {
            return Ok(());
        };
        let what = match network {
            Network::Cp { .. } => "CP terms",
            _ => "bond paths (the product of the bond dimensions)",
        };
        Err(self.error(
            offset,
            format!(
                "the decomposition this claim checks entry by entry would have {} {what} and cost {} products to sum, over the limits of {MAX_CANDIDATES} terms and {MAX_SUPPORT} products; give a smaller grid",
                estimate.candidates, estimate.support
            ),
        ))
    }
}
