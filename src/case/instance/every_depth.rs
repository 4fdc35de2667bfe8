//! One grid point of a case of every depth at once (`d = "even"`, SPEC §7): its `PeriodicTrain`
//! and its claims as `Claim::EveryDepth`. The train is built without symbolic evaluation: the
//! schema checked that the core and `ranks` depend on the position k only through `k % p`,
//! `k == 1` and `k == d`, so concrete cores at representative depths are the cores of every depth
//! — `first` is the core at k = 1, `middle[c]` the core at the position k in `2..=P+1` with
//! `k % P == c`, and the last core of a residue `d % P` the core at k = d for the least depth
//! `D >= P + 2` of the set with that residue. The size of the automaton that will decide the
//! claims is estimated from the bond dimensions before any core is built.

use super::{size_text, InstanceAt, InstanceClaim, ResourceLimit, BYTES_PER_CORE_ENTRY};
use crate::automaton::tt::from_periodic_train;
use crate::case::schema::{ConstructionSpec, DepthClaimSpec, EveryDepthSpec, Located};
use crate::case::InputError;
use crate::claim::every_depth::DepthClaim;
use crate::claim::Claim;
use crate::expr::Scope;
use crate::network::periodic::{AutomatonSize, Depths, EveryDepth, PeriodicTrain, MAX_AUTOMATON_STATES};
use crate::network::{Core, Network};
use std::collections::BTreeMap;

/// The parts of an all-d instance: its network (the train at the least depth), its train of
/// every depth and its claims.
type EveryDepthParts = (Network, EveryDepth, Vec<InstanceClaim>);

/// What a train of every depth is built from at one grid point: the expressions of its cores
/// (`first`, `inner`, `last`: one expression `core` for all three in kind `tt`), its bond
/// dimensions, and where size errors point.
struct Recipe<'c> {
    first: &'c Located,
    inner: &'c Located,
    last: &'c Located,
    /// `ranks` of kind `tt`; `None` for `tt-equal` (every bond is `r`).
    ranks: Option<&'c Located>,
    /// Where a refusal of the train's size or shapes points: `ranks`, or the value of `r`.
    size_at: usize,
}

impl InstanceAt<'_> {
    /// The all-d instance at this point: `scope` binds the parameters and `let`s, `n` and `r`
    /// are the mode size and the parameter `r`, if any.
    pub(super) fn every_depth(
        &self,
        spec: &EveryDepthSpec,
        scope: &Scope,
        (n, r): (usize, Option<usize>),
        limit: ResourceLimit,
    ) -> Result<EveryDepthParts, InputError> {
        let depths = spec.depths;
        let with = format!("with d = \"{}\"", depths.label());
        let recipe = self.recipe(r);
        // S >= (3 + P) * L * 4, every class having a bond of size at least 1: refuse a period
        // too large before evaluating `ranks` P times.
        let least = AutomatonSize::estimate(u128::from(spec.period), n, depths);
        if least.states > MAX_AUTOMATON_STATES {
            return Err(self.error(
                recipe.size_at,
                format!(
                    "{with} the cores repeat with the period P = {} (the lcm of the p in k % p), so the automaton deciding the claims for every d has at least S = (3 + P) * {} * 4 = {} states, over the limit of {MAX_AUTOMATON_STATES}; give d a list such as [2, 4, 6, 8]",
                    spec.period, least.length_states, least.states
                ),
            ));
        }
        let p = usize::try_from(spec.period).expect("the period is below the state limit");
        let representatives = representatives(depths, p);
        // The construction sees d (in k == d); the claims, checked not to use d, never do.
        let mut build = scope.clone();
        build.set_int("d", representatives[0].1 as i64);
        // bonds[k] = r_k for k = 0..=P+1 (r_0 = 1); class c's bond is bonds[k] for the k in 2..=P+1 with k % P == c.
        let bonds: Vec<usize> = match (recipe.ranks, r) {
            (Some(ranks), _) => std::iter::once(Ok(1))
                .chain((1..=p + 1).map(|k| self.bond(ranks, &mut build, k)))
                .collect::<Result<_, _>>()?,
            (None, Some(r)) => std::iter::once(1).chain(std::iter::repeat_n(r, p + 1)).collect(),
            (None, None) => unreachable!("the schema requires r for tt-equal"),
        };
        let class_bond = |c: usize| bonds[(2..=p + 1).find(|k| k % p == c).expect("2..=P+1 has every class")];
        let size = AutomatonSize::estimate((0..p).map(|c| class_bond(c) as u128).sum(), n, depths);
        self.automaton_fits(size, recipe.size_at, &with, limit)?;
        if bonds[1] != class_bond(1 % p) {
            return Err(self.error(
                recipe.size_at,
                format!(
                    "the bond dimensions are not the same for every d: r_1 = {} but r_{} = {} has the same class k % {p} = {}, and {with} every bond of one class must have one dimension; 'ranks' cannot single out k == 1",
                    bonds[1],
                    p + 1,
                    class_bond(1 % p),
                    1 % p
                ),
            ));
        }
        // The last cores' left bonds r_{D-1}, each at its own depth D.
        let mut last_bonds = Vec::new();
        for &(_, depth) in &representatives {
            let left = match recipe.ranks {
                Some(ranks) => {
                    build.set_int("d", depth as i64);
                    self.bond(ranks, &mut build, depth - 1)?
                }
                None => bonds[1],
            };
            last_bonds.push(left);
        }
        let entries = (1..=p + 1)
            .map(|k| bonds[k - 1] * bonds[k])
            .chain(last_bonds.iter().copied())
            .fold(0u128, |sum, e| sum.saturating_add(e as u128 * n as u128));
        self.check_memory(entries, BYTES_PER_CORE_ENTRY, "the cores", recipe.inner.offset, limit)?;
        let train = self.periodic_train(&recipe, &mut build, n, &bonds, &representatives, &last_bonds)?;
        self.check_shapes(&train, &with, recipe.size_at)?;
        let network = self.least_depth_network(&train, depths, recipe.ranks.is_some(), spec.offset, limit)?;
        let claims = self
            .case
            .claims
            .iter()
            .zip(&spec.claims)
            .enumerate()
            .map(|(number, (entry, claim))| {
                Ok(InstanceClaim {
                    number: number + 1,
                    claim: Claim::EveryDepth {
                        depths,
                        claim: self.depth_claim(claim, scope, &network, p)?,
                    },
                    expected: self.expected(&entry.expect, scope)?,
                    numeric: None,
                })
            })
            .collect::<Result<Vec<_>, InputError>>()?;
        Ok((network, EveryDepth { depths, train }, claims))
    }

    fn recipe(&self, r: Option<usize>) -> Recipe<'_> {
        match &self.case.construction {
            ConstructionSpec::Tt { ranks, core } => Recipe {
                first: core,
                inner: core,
                last: core,
                ranks: Some(ranks),
                size_at: ranks.offset,
            },
            ConstructionSpec::TtEqual { first, inner, last } => {
                let r = r.expect("the schema requires r for tt-equal");
                let size_at = self
                    .case
                    .params
                    .iter()
                    .find(|p| p.name == "r")
                    .map_or(inner.offset, |p| p.offset_of(r as i64));
                Recipe {
                    first,
                    inner,
                    last,
                    ranks: None,
                    size_at,
                }
            }
            ConstructionSpec::Random { .. } | ConstructionSpec::Generalized(_) | ConstructionSpec::Ht(_) => {
                unreachable!("the schema takes every depth at once for tt and tt-equal only")
            }
        }
    }

    /// Refuses an automaton of more than `MAX_AUTOMATON_STATES` states or whose dense matrices
    /// exceed the memory limit, at `at`, with the estimate.
    fn automaton_fits(
        &self,
        size: AutomatonSize,
        at: usize,
        with: &str,
        limit: ResourceLimit,
    ) -> Result<(), InputError> {
        let states = format!(
            "{with} the claims are decided on automata of up to S = (3 + {}) * {} * 4 = {} states (start, end, the bond values after each class of positions k % P and the claimed side, times the DFA states of the lengths and of the comparison)",
            size.class_bonds, size.length_states, size.states
        );
        if size.states > MAX_AUTOMATON_STATES {
            return Err(self.error(
                at,
                format!(
                    "{states}, over the limit of {MAX_AUTOMATON_STATES} states; give d a list such as [2, 4, 6, 8]"
                ),
            ));
        }
        if size.bytes() > limit.max_bytes {
            return Err(self.error(
                at,
                format!(
                    "{states} over n^2 = {} pair letters, whose matrices have up to S^2 * n^2 = {} entries, about {}, over the memory limit of {}; raise it with --max-memory <GiB> if the machine has the memory",
                    size.letters,
                    size.entries(),
                    size_text(size.bytes()),
                    size_text(limit.max_bytes)
                ),
            ));
        }
        Ok(())
    }

    /// The cores: at k = 1, at k = 2..=P+1 (one per class), and at k = D for each
    /// representative depth D, bonds from `bonds` (`r_k`) and `last_bonds` (`r_{D-1}`).
    fn periodic_train(
        &self,
        recipe: &Recipe,
        scope: &mut Scope,
        n: usize,
        bonds: &[usize],
        representatives: &[(usize, usize)],
        last_bonds: &[usize],
    ) -> Result<PeriodicTrain, InputError> {
        let p = bonds.len() - 2;
        scope.set_int("d", representatives[0].1 as i64);
        scope.set_int("k", 1);
        let first = self.core(recipe.first, scope, (1, n, bonds[1]))?;
        let mut middle: Vec<Option<Core>> = vec![None; p];
        for k in 2..=p + 1 {
            scope.set_int("k", k as i64);
            middle[k % p] = Some(self.core(recipe.inner, scope, (bonds[k - 1], n, bonds[k]))?);
        }
        let mut last = Vec::new();
        for (&(residue, depth), &left) in representatives.iter().zip(last_bonds) {
            scope.set_int("d", depth as i64);
            scope.set_int("k", depth as i64);
            last.push((residue, self.core(recipe.last, scope, (left, n, 1))?));
        }
        Ok(PeriodicTrain {
            first,
            middle: middle
                .into_iter()
                .map(|c| c.expect("2..=P+1 has every class"))
                .collect(),
            last,
        })
    }

    /// Checks that the cores fit together at every depth of the set: the shapes the train's
    /// automaton needs (`automaton::tt::from_periodic_train`, which the claims are decided on),
    /// which are those of `PeriodicTrain::train` at every d.
    fn check_shapes(&self, train: &PeriodicTrain, with: &str, at: usize) -> Result<(), InputError> {
        from_periodic_train(train)
            .map(|_| ())
            .map_err(|e| self.error(at, format!("{with} the cores do not fit together at every d: {e}")))
    }

    /// The train at the least depth, as the instance's network, its cores' memory checked first
    /// (refused at d's value, `depth_at`).
    fn least_depth_network(
        &self,
        train: &PeriodicTrain,
        depths: Depths,
        per_position: bool,
        depth_at: usize,
        limit: ResourceLimit,
    ) -> Result<Network, InputError> {
        let d = depths.first();
        let n = train.modes() as u128;
        // Every core has at least n entries: refuse a too large least depth before adding up.
        self.check_memory(
            (d as u128).saturating_mul(n),
            BYTES_PER_CORE_ENTRY,
            "the cores at the least depth",
            depth_at,
            limit,
        )?;
        let p = train.period();
        let core_entries = |g: &Core| g.entries_count() as u128;
        let last = &train
            .last
            .iter()
            .find(|(c, _)| *c == d % p)
            .expect("the least depth has a last core")
            .1;
        let entries = (2..d)
            .map(|k| core_entries(&train.middle[k % p]))
            .fold(core_entries(&train.first) + core_entries(last), u128::saturating_add);
        self.check_memory(
            entries,
            BYTES_PER_CORE_ENTRY,
            "the cores at the least depth",
            depth_at,
            limit,
        )?;
        let built = train.train(d).map_err(|e| self.error(depth_at, e))?;
        if per_position {
            return Ok(Network::Tt(built));
        }
        let inner = (d > 2).then(|| train.middle[0].clone());
        Network::tt_equal(train.first.clone(), inner, last.clone(), d).map_err(|e| self.error(depth_at, e))
    }

    /// One claim with its numbers at this point; `p` is the train's period.
    fn depth_claim(
        &self,
        claim: &DepthClaimSpec,
        scope: &Scope,
        network: &Network,
        p: usize,
    ) -> Result<DepthClaim, InputError> {
        Ok(match claim {
            DepthClaimSpec::IdentitySubmatrix { q } => DepthClaim::IdentitySubmatrix {
                q: self.block_size(q, scope, network)?,
            },
            DepthClaimSpec::SupportStructure { q, path } => {
                let q = self.block_size(q, scope, network)?;
                let mut scope = scope.clone();
                let mut table = vec![Vec::new(); p];
                for k in 1..=p {
                    scope.set_int("k", k as i64);
                    for i in 1..=q {
                        scope.set_int("i", i as i64);
                        let what = format!("the path's bond value a_k at k = {k} (k % {p} = {}) for i = {i}", k % p);
                        table[k % p].push(self.integer(path, &scope, &what)?);
                    }
                }
                DepthClaim::SupportStructure { q, path: table }
            }
            DepthClaimSpec::RankAtLeast { base, cp } => {
                let what = "the base c of the rank bound c^(d/2)";
                let value = self.count(base, scope, what)?;
                if value == 0 {
                    return Err(self.error(
                        base.offset,
                        format!("{what} is 0; it must be at least 1, since 0^(d/2) = 0 bounds no rank"),
                    ));
                }
                DepthClaim::RankAtLeast { base: value, cp: *cp }
            }
        })
    }
}

/// For each residue `d % p` of the depths, in increasing order, the least depth `D >= p + 2` of
/// the set with that residue (at least 3, so that k = 1, the positions 2..=p+1 and k = D differ).
fn representatives(depths: Depths, p: usize) -> Vec<(usize, usize)> {
    let start = depths.first().max(p + 2);
    let mut found = BTreeMap::new();
    for d in depths.up_to(start + 2 * p + 1).filter(|&d| d >= start) {
        found.entry(d % p).or_insert(d);
    }
    found.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::representatives;
    use crate::network::periodic::Depths;

    #[test]
    fn the_representative_depths_are_the_least_of_each_residue_from_p_plus_2() {
        let even = |least| Depths { even: true, least };
        let all = |least| Depths { even: false, least };
        assert_eq!(representatives(even(2), 1), [(0, 4)]);
        assert_eq!(representatives(even(2), 2), [(0, 4)]);
        assert_eq!(representatives(all(2), 2), [(0, 4), (1, 5)]);
        assert_eq!(representatives(even(2), 3), [(0, 6), (1, 10), (2, 8)]);
        assert_eq!(representatives(even(9), 2), [(0, 10)]);
        assert_eq!(representatives(all(3), 1), [(0, 3)]);
    }
}
