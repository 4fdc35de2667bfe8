//! Cases of every depth at once (SPEC §7): `d = "even"`, `"all"`, `"even >= K"` or `"all >= K"` in
//! a `tt` or `tt-equal` construction. Reads that value, and refuses what cannot be the same for
//! every d: a core or `ranks` that uses the position k other than through `k % p`, `k == 1` and
//! `k == d` (or d other than in `k == d`), an equal-core train's core that uses k or d, a `let`,
//! claim key or `-where` condition that uses d, and every claim but the four decided for every d
//! (identity-submatrix and rank lower bounds `c^(d/2)` on the odd/even matricization, support
//! structure). What remains is an `EveryDepthSpec`, which `instance::every_depth` makes concrete.

use super::{key_start, ClaimEntry, ClaimSpec, ConstructionSpec, Expectation, Located, MatricizationSpec, Reader};
use crate::case::{Case, InputError};
use crate::claim::{ClaimKind, Relation};
use crate::expr::{Expr, Span};
use crate::network::periodic::Depths;
use num_integer::Integer;
use toml_edit::Table;

/// The least depth `K` of `"even >= K"` is at most this (a larger one gives a train at its least
/// depth too large for any memory; the memory estimate refuses most below it already).
const MAX_LEAST_DEPTH: usize = u32::MAX as usize;

/// `d = "even"` (or another set of depths) as the case file writes it.
#[derive(Clone, Copy, Debug)]
pub struct DepthValue {
    pub depths: Depths,
    /// Where the value's text starts.
    pub offset: usize,
    /// How many grid parameters come before d in the file (d is not one of them).
    pub index: usize,
}

/// What a case of every depth at once is, beyond its construction: the set of depths, the
/// period of its train and each claim's all-d form.
#[derive(Clone, Debug)]
pub struct EveryDepthSpec {
    pub depths: Depths,
    /// Where d's value is written.
    pub offset: usize,
    /// The least common multiple of every `p` in `k % p` of the core, the ranks and the support
    /// paths (1 if none; saturating at `u64::MAX`): the train's cores repeat with this period.
    pub period: u64,
    /// The claims of the case, in order.
    pub claims: Vec<DepthClaimSpec>,
}

/// A claim of a case of every depth at once, its expressions checked not to use d.
#[derive(Clone, Debug)]
pub enum DepthClaimSpec {
    IdentitySubmatrix {
        q: Located,
    },
    /// `path` uses k only through `k % p`.
    SupportStructure {
        q: Located,
        path: Located,
    },
    /// `at-least = "c^(d/2)"`: `base` is `c`, located in the file; `cp` for cp-rank-lower-bound.
    RankAtLeast {
        base: Located,
        cp: bool,
    },
}

/// `d = "even"` as messages quote it: `d = "even"`, `d = "even>=4"`.
fn quoted(depths: Depths) -> String {
    format!("d = \"{}\"", depths.label())
}

/// What the value of d may be in a `tt` or `tt-equal` construction.
const DEPTH_FORMS: &str = "an integer, a list of integers such as [2, 4, 6, 8], an inclusive range like \"2..8\", or, for every depth at once, \"even\", \"all\", \"even >= K\" or \"all >= K\" (K an integer >= 2)";

/// `"even"`, `"all"`, `"even >= K"`, `"all >= K"` (spaces optional): `Ok(None)` when `text` is
/// none of these forms, an error when it is one with a least depth `K` below 2 or too large.
pub(super) fn parse_depths(text: &str) -> Result<Option<Depths>, String> {
    let text = text.trim();
    let (even, rest) = match (text.strip_prefix("even"), text.strip_prefix("all")) {
        (Some(rest), _) => (true, rest),
        (_, Some(rest)) => (false, rest),
        _ => return Ok(None),
    };
    let rest = rest.trim_start();
    if rest.is_empty() {
        return Ok(Some(Depths { even, least: 2 }));
    }
    let Some(least) = rest.strip_prefix(">=").map(str::trim) else {
        return Ok(None);
    };
    if least.is_empty() || !least.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    match least.parse::<usize>().ok().filter(|&l| l <= MAX_LEAST_DEPTH) {
        Some(least) if least >= 2 => Ok(Some(Depths { even, least })),
        Some(least) => Err(format!(
            "the least depth in \"{text}\" is {least}, but a tensor train of every depth starts at d = 2 or later: write K >= 2"
        )),
        None => Err(format!(
            "the least depth in \"{text}\" is too large (at most {MAX_LEAST_DEPTH})"
        )),
    }
}

impl Reader<'_> {
    /// The value of the order parameter `key` (`d`, or `T` of a generalized construction) when it
    /// is a string that is not a range: for kinds `tt` and `tt-equal`, a set of depths; refused
    /// otherwise, saying what is accepted. `None` for any other value, which is a grid parameter.
    pub(super) fn depth_value(
        &self,
        kind: &str,
        key: &str,
        item: &toml_edit::Item,
    ) -> Result<Option<(Depths, usize)>, InputError> {
        let Some(text) = item.as_str().filter(|s| !s.contains("..")) else {
            return Ok(None);
        };
        let at = self.content(item).start;
        let parsed = parse_depths(text).map_err(|e| self.error(at, e))?;
        match (kind, parsed) {
            ("tt" | "tt-equal", Some(depths)) => Ok(Some((depths, at))),
            ("tt" | "tt-equal", None) => Err(self.error(at, format!("'{key}' must be {DEPTH_FORMS}; not \"{text}\""))),
            (_, Some(_)) => Err(self.error(
                at,
                format!(
                    "every depth at once (\"{text}\") is for the kinds 'tt' and 'tt-equal'; a '{kind}' construction takes '{key}' as an integer, a list of integers or an inclusive range like \"2..8\""
                ),
            )),
            (_, None) => Ok(None),
        }
    }

    /// Refuses what a claim of a case of every depth at once cannot be, at its key: a kind not
    /// decided for every d, a matricization other than odd/even, or odd/even when the depths
    /// include odd ones, a rank bound other than `at-least`, and the f64 cross-check.
    pub(super) fn every_depth_claim(
        &self,
        table: &Table,
        kind: ClaimKind,
        spec: &ClaimSpec,
        depths: Depths,
    ) -> Result<(), InputError> {
        let with = quoted(depths);
        let matricization = match spec {
            ClaimSpec::IdentitySubmatrix { matricization, .. } => Some(matricization),
            ClaimSpec::MatricizationRank { matricization, .. } | ClaimSpec::CpRankLowerBound { matricization, .. } => {
                Some(matricization)
            }
            ClaimSpec::SupportStructure { .. } => None,
            _ => {
                return Err(self.error(
                    key_start(table, "kind"),
                    format!(
                        "{} is not decided for every d at once; with {with} a case takes only {}, {}, {} and {} claims, so give d a list such as [2, 4, 6, 8]",
                        kind.name(),
                        ClaimKind::IdentitySubmatrix.name(),
                        ClaimKind::MatricizationRank.name(),
                        ClaimKind::CpRankLowerBound.name(),
                        ClaimKind::SupportStructure.name(),
                    ),
                ))
            }
        };
        match matricization {
            Some(MatricizationSpec::Rows(_)) => {
                return Err(self.error(
                    key_start(table, "rows"),
                    format!("with {with} a claim is decided for every d at once on the odd/even matricization only (matricization = \"odd-even\"); 'rows' needs each d on its own: give d a list such as [2, 4, 6, 8]"),
                ))
            }
            Some(MatricizationSpec::OddEven { offset }) if !depths.even => {
                let even = Depths { even: true, ..depths };
                return Err(self.error(
                    *offset,
                    format!("the odd/even matricization needs even d, but {with} includes odd d; write {}", quoted(even)),
                ));
            }
            _ => {}
        }
        if let ClaimSpec::MatricizationRank { relation, .. } = spec {
            if *relation != Relation::AtLeast {
                return Err(self.error(
                    key_start(table, relation.key()),
                    format!(
                        "with {with} a rank is claimed for every d at once as a lower bound only (at-least = \"c^(d/2)\"); '{}' needs each d on its own: give d a list such as [2, 4, 6, 8]",
                        relation.key()
                    ),
                ));
            }
        }
        if table.contains_key("numeric") {
            return Err(self.error(
                key_start(table, "numeric"),
                format!("'numeric' asks for the f64 SVD cross-check of one tensor; with {with} the claim is about every d at once, so it takes no 'numeric'"),
            ));
        }
        Ok(())
    }
}

impl Case {
    /// Checks the expressions of a case of every depth at once (after their names are known to
    /// be bound) and finds the period of its train; `depth` is d's value.
    pub(super) fn every_depth_spec(&self, depth: DepthValue) -> Result<EveryDepthSpec, InputError> {
        let depths = depth.depths;
        let with = quoted(depths);
        for (name, located) in &self.lets {
            self.refuse_use(located, "d", || {
                format!("the let '{name}' uses d; with {with} a let has one value for every depth, so it cannot depend on d; give d a list such as [2, 4, 6, 8]")
            })?;
        }
        let mut period = match &self.construction {
            ConstructionSpec::Tt { ranks, core } => {
                let ranks_period = self.periodic(ranks, &with, "'ranks'", "the bond dimensions are")?;
                let core_period = self.periodic(core, &with, "the core", "it is")?;
                lcm(ranks_period, core_period)
            }
            ConstructionSpec::TtEqual { first, inner, last } => {
                for (name, core) in [("first", first), ("inner", inner), ("last", last)] {
                    let uses = [core.expr.name_span("k"), core.expr.name_span("d")];
                    if let Some(span) = uses.into_iter().flatten().min_by_key(|s| s.start) {
                        let used = &core.expr.source()[span.start..span.end];
                        return Err(self.refusal(
                            core.offset_of(span.start),
                            format!("the '{name}' core of an equal-core train uses {used}; with {with} each core is the same at every position and every depth, so it cannot depend on k or d (a 'tt' construction may use k % p, k == 1 and k == d)"),
                        ));
                    }
                }
                1
            }
            ConstructionSpec::Random { .. } | ConstructionSpec::Generalized(_) | ConstructionSpec::Ht(_) => {
                unreachable!("the schema takes every depth at once for tt and tt-equal only")
            }
        };
        let mut claims = Vec::new();
        for claim in &self.claims {
            let (spec, path_period) = self.depth_claim(claim, &with)?;
            period = lcm(period, path_period);
            claims.push(spec);
        }
        Ok(EveryDepthSpec {
            depths,
            offset: depth.offset,
            period,
            claims,
        })
    }

    /// One claim's all-d form, with the period of its support path (1 for other claims).
    fn depth_claim(&self, claim: &ClaimEntry, with: &str) -> Result<(DepthClaimSpec, u64), InputError> {
        let no_d = |located: &Located, key: &str| {
            self.refuse_use(located, "d", || {
                format!("'{key}' uses d; with {with} the claim is one for every depth, so '{key}' cannot depend on d; give d a list such as [2, 4, 6, 8]")
            })
        };
        if let Expectation::Where(regions) = &claim.expect {
            for region in regions {
                let key = region.key();
                self.refuse_use(&region.condition, "d", || {
                    format!("'{key}' uses d; with {with} the claim is decided for every d at once, so where it is expected to hold or fail cannot depend on d")
                })?;
            }
        }
        Ok(match &claim.spec {
            ClaimSpec::IdentitySubmatrix { q, .. } => {
                no_d(q, "q")?;
                (DepthClaimSpec::IdentitySubmatrix { q: q.clone() }, 1)
            }
            ClaimSpec::SupportStructure { path, q } => {
                let period = path.expr.periodic_in("k", "d", false).map_err(|span| {
                    let used = &path.expr.source()[span.start..span.end];
                    let why = if used == "k" {
                        "uses k outside k % p (p a positive integer), so it is not the same at every bond of one class k % p"
                    } else {
                        "uses d, so it is not the same for every d"
                    };
                    self.refusal(
                        path.offset_of(span.start),
                        format!("the path {why}; with {with} the path is one for every d and may depend on k only through k % p; give d a list such as [2, 4, 6, 8] for any other path"),
                    )
                })?;
                no_d(q, "q")?;
                (
                    DepthClaimSpec::SupportStructure {
                        q: q.clone(),
                        path: path.clone(),
                    },
                    period,
                )
            }
            ClaimSpec::MatricizationRank { bound, .. } => (
                DepthClaimSpec::RankAtLeast {
                    base: self.half_power_base(bound, with)?,
                    cp: false,
                },
                1,
            ),
            ClaimSpec::CpRankLowerBound { bound, .. } => (
                DepthClaimSpec::RankAtLeast {
                    base: self.half_power_base(bound, with)?,
                    cp: true,
                },
                1,
            ),
            _ => unreachable!("the schema refuses the other claims for every depth at once"),
        })
    }

    /// The base `c` of a rank bound `c^(d/2)`, as an expression of its own at its place in the
    /// file; refused when the bound has another form or `c` depends on d (or on `cut`, the cut
    /// bound at one d).
    fn half_power_base(&self, bound: &Located, with: &str) -> Result<Located, InputError> {
        let form = || {
            format!("with {with} a rank bound is proved for every d at once and must read c^(d/2), with c not depending on d, such as at-least = \"q^(d/2)\"; \"{}\" is not of that form", bound.expr.source())
        };
        let span = bound
            .expr
            .half_power_base("d")
            .ok_or_else(|| self.refusal(bound.offset, form()))?;
        let source = &bound.expr.source()[span.start..span.end];
        let base = Located {
            expr: Expr::parse(source).map_err(|_| self.refusal(bound.offset, form()))?,
            offset: bound.offset_of(span.start),
            verbatim: bound.verbatim,
        };
        for name in ["d", "cut"] {
            self.refuse_use(&base, name, || {
                format!("the base c of the rank bound c^(d/2) uses {name}; with {with} c is one number for every d, so it cannot depend on {name}")
            })?;
        }
        Ok(base)
    }

    /// The period of a `tt` construction's core or `ranks` in k, refused at the first use of k
    /// or d that is not periodic; `what` names the expression, `are` its subject in messages.
    fn periodic(&self, located: &Located, with: &str, what: &str, are: &str) -> Result<u64, InputError> {
        located.expr.periodic_in("k", "d", true).map_err(|span: Span| {
            let used = &located.expr.source()[span.start..span.end];
            let why = if used == "k" {
                "uses k outside k % p (p a positive integer), k == 1 and k == d"
            } else {
                "uses d outside k == d"
            };
            self.refusal(
                located.offset_of(span.start),
                format!("{what} {why}, so {are} not the same for every d; with {with} it may depend on k only through k % p, k == 1 (the first core) and k == d (the last core), and on d only through k == d; or give d a list such as [2, 4, 6, 8]"),
            )
        })
    }

    /// Refuses the first use of `name` in `located`, with `message`.
    fn refuse_use(&self, located: &Located, name: &str, message: impl FnOnce() -> String) -> Result<(), InputError> {
        match located.expr.name_span(name) {
            Some(span) => Err(self.refusal(located.offset_of(span.start), message())),
            None => Ok(()),
        }
    }

    fn refusal(&self, offset: usize, message: impl Into<String>) -> InputError {
        self.source_file.error_at(offset, message)
    }
}

/// The least common multiple, saturating at `u64::MAX`.
fn lcm(a: u64, b: u64) -> u64 {
    (a / a.gcd(&b)).saturating_mul(b)
}

#[cfg(test)]
mod tests {
    use super::parse_depths;
    use crate::network::periodic::Depths;

    #[test]
    fn the_sets_of_depths_a_case_file_writes() {
        let depths = |even, least| Ok(Some(Depths { even, least }));
        assert_eq!(parse_depths("even"), depths(true, 2));
        assert_eq!(parse_depths(" all "), depths(false, 2));
        assert_eq!(parse_depths("even >= 4"), depths(true, 4));
        assert_eq!(parse_depths("even>=5"), depths(true, 5));
        assert_eq!(parse_depths("all >=3"), depths(false, 3));
        assert_eq!(parse_depths("all>= 02"), depths(false, 2));
        for other in [
            "",
            "evn",
            "evens",
            "odd",
            "even > 4",
            "even >= ",
            "even >= +4",
            "even >= 4.0",
            "even >= x",
            "al l",
        ] {
            assert_eq!(parse_depths(other), Ok(None), "{other:?}");
        }
        assert!(parse_depths("even >= 1").is_err());
        assert!(parse_depths("all >= 0").is_err());
        assert!(parse_depths("all >= 99999999999").is_err());
    }
}
