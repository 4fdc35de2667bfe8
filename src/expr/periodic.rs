//! How an expression depends on a core position and the depth of a tensor train, read off its
//! syntax (SPEC §7): a case that covers every depth at once (`d = "even"`) may use the position
//! `k` only through `k % p` (p a positive integer literal), `k == 1` and `k == d`, and `d` only in
//! `k == d`, so that one expression gives the same core at every position of one class `k % P`.
//! Also where a name is first used, and the base `c` of a bound `c ^ (d / 2)`. Nothing here
//! evaluates.

use super::parser::{ArithOp, CmpOp, Kind, Node};
use super::{Expr, Span};
use crate::field::Q;
use num_integer::Integer;
use num_traits::{One, ToPrimitive, Zero};

impl Expr {
    /// The period of this expression in the position `k` at every depth `d` at once: the least
    /// common multiple of every `p` in `k % p` (1 if there is none), saturating at `u64::MAX`,
    /// when `k` is used only as the left operand of `k % p` with `p` a positive integer literal
    /// (a chain `k % p * x` counts: its first operation is `k % p`) and, when `boundaries`, in
    /// `k == 1` and `k == d` (either operand order; the first and the last core), and `d` only
    /// in `k == d` (never, without `boundaries`). Otherwise the span of the first other use of
    /// `k` or `d`, in source order. Names bound by an aggregate are not the free `k` or `d`.
    pub fn periodic_in(&self, k: &str, d: &str, boundaries: bool) -> Result<u64, Span> {
        let mut walk = Periodic {
            k,
            d,
            periodic: true,
            boundaries,
            period: 1,
        };
        walk.node(&self.root)?;
        Ok(walk.period)
    }

    /// Where the free name `name` is first used, in source order, if it is.
    pub fn name_span(&self, name: &str) -> Option<Span> {
        let mut walk = Periodic {
            k: name,
            d: name,
            periodic: false,
            boundaries: false,
            period: 1,
        };
        walk.node(&self.root).err()
    }

    /// For an expression `c ^ (d / 2)` (any parentheses around the whole or around `c`), the
    /// span of `c`; `None` for any other form.
    pub fn half_power_base(&self, d: &str) -> Option<Span> {
        let Kind::Pow(base, exponent) = &self.root.kind else {
            return None;
        };
        match &exponent.kind {
            Kind::Chain(first, rest) if is_var(first, d) => match rest.as_slice() {
                [(ArithOp::Div, two)] if matches!(&two.kind, Kind::Num(v) if *v == Q::from_integer(2.into())) => {
                    Some(base.span)
                }
                _ => None,
            },
            _ => None,
        }
    }
}

/// The walk of `periodic_in` (and of `name_span`, which allows no use: not `periodic`), with the
/// period so far.
struct Periodic<'n> {
    k: &'n str,
    d: &'n str,
    /// Whether `k % p` is allowed.
    periodic: bool,
    /// Whether `k == 1` and `k == d` are allowed.
    boundaries: bool,
    period: u64,
}

impl Periodic<'_> {
    fn node(&mut self, node: &Node) -> Result<(), Span> {
        match &node.kind {
            Kind::Var(name) if name == self.k || name == self.d => Err(node.span),
            Kind::Num(_) | Kind::Bool(_) | Kind::Var(_) | Kind::Bound(_) => Ok(()),
            Kind::Neg(x) | Kind::Not(x) | Kind::Iverson(x) => self.node(x),
            Kind::Pow(a, b) => {
                self.node(a)?;
                self.node(b)
            }
            Kind::Chain(first, rest) => {
                let rest = match rest.split_first() {
                    Some(((ArithOp::Rem, p), others)) if self.periodic && is_var(first, self.k) => {
                        match positive_integer(p) {
                            Some(p) => {
                                self.period = lcm(self.period, p);
                                others
                            }
                            None => return Err(first.span),
                        }
                    }
                    _ => {
                        self.node(first)?;
                        rest
                    }
                };
                rest.iter().try_for_each(|(_, x)| self.node(x))
            }
            Kind::Cmp(CmpOp::Eq, a, b) if self.boundaries && self.boundary(a, b) => Ok(()),
            Kind::Cmp(_, a, b) => {
                self.node(a)?;
                self.node(b)
            }
            Kind::And(items) | Kind::Or(items) | Kind::Call(_, items) => items.iter().try_for_each(|x| self.node(x)),
            Kind::Aggregate(agg) => {
                self.node(&agg.lo)?;
                self.node(&agg.hi)?;
                self.node(&agg.body)
            }
            Kind::If(branches, otherwise) => {
                for (condition, value) in branches {
                    self.node(condition)?;
                    self.node(value)?;
                }
                self.node(otherwise)
            }
        }
    }

    /// Whether `a == b` is `k == 1` or `k == d`, in either order.
    fn boundary(&self, a: &Node, b: &Node) -> bool {
        let is_boundary = |x: &Node| is_var(x, self.d) || matches!(&x.kind, Kind::Num(v) if v.is_one());
        (is_var(a, self.k) && is_boundary(b)) || (is_var(b, self.k) && is_boundary(a))
    }
}

fn is_var(node: &Node, name: &str) -> bool {
    matches!(&node.kind, Kind::Var(v) if v == name)
}

/// The value of a positive integer literal (saturating at `u64::MAX`), if `node` is one.
fn positive_integer(node: &Node) -> Option<u64> {
    match &node.kind {
        Kind::Num(v) if v.is_integer() && *v > Q::zero() => Some(v.numer().to_u64().unwrap_or(u64::MAX)),
        _ => None,
    }
}

/// The least common multiple, saturating at `u64::MAX`.
fn lcm(a: u64, b: u64) -> u64 {
    (a / a.gcd(&b)).saturating_mul(b)
}

#[cfg(test)]
mod tests {
    use super::super::Expr;

    /// `periodic_in("k", "d", boundaries)` of `src`: the period, or the text from the refused use on.
    fn period(src: &str, boundaries: bool) -> Result<u64, String> {
        let expr = Expr::parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        expr.periodic_in("k", "d", boundaries)
            .map_err(|span| src[span.start..].to_string())
    }

    #[test]
    fn the_period_is_the_lcm_of_the_moduli() {
        assert_eq!(period("[i == b]", true), Ok(1));
        assert_eq!(period("if k % 2 == 1 { [i == b] } else { [i == a] }", true), Ok(2));
        assert_eq!(period("[k % 2 == 0] + [k % 3 == 1] * (k % 4)", true), Ok(12));
        assert_eq!(period("k % 2 * 3 + (k) % (6)", false), Ok(6));
        assert_eq!(period("k % 4 % 3", false), Ok(4));
        assert_eq!(period("k % 100000000000000000000000", false), Ok(u64::MAX));
    }

    #[test]
    fn the_boundaries_are_k_equal_1_and_k_equal_d_in_either_order() {
        assert_eq!(
            period("[k == 1] + [d == k] * [k % 3 == 0] + [1 == k] + [k == d]", true),
            Ok(3)
        );
        assert_eq!(period("[k == 1]", false), Err("k == 1]".into()));
        assert_eq!(period("[k == d]", false), Err("k == d]".into()));
    }

    #[test]
    fn every_other_use_of_k_or_d_is_refused_at_it() {
        assert_eq!(period("[k != 1]", true), Err("k != 1]".into()));
        assert_eq!(period("[k == 2]", true), Err("k == 2]".into()));
        assert_eq!(period("[k == d - 1]", true), Err("k == d - 1]".into()));
        assert_eq!(period("[k <= d]", true), Err("k <= d]".into()));
        assert_eq!(period("2 * k % 3", true), Err("k % 3".into()));
        assert_eq!(period("k % n", true), Err("k % n".into()));
        assert_eq!(period("k % 0 + 1", true), Err("k % 0 + 1".into()));
        assert_eq!(period("k % (1/2)", true), Err("k % (1/2)".into()));
        assert_eq!(period("k % -2", true), Err("k % -2".into()));
        assert_eq!(period("-k % 2", true), Err("k % 2".into()));
        assert_eq!(period("[k % 2 == 0] * d", true), Err("d".into()));
        assert_eq!(period("sum(j in 1..k : j)", true), Err("k : j)".into()));
        assert_eq!(
            period("if a <= k { 1 } else { 0 }", true),
            Err("k { 1 } else { 0 }".into())
        );
    }

    #[test]
    fn a_name_bound_by_an_aggregate_is_not_the_position() {
        assert_eq!(period("sum(k in 1..3 : k * [d == d])", false), Err("d == d])".into()));
        assert_eq!(period("sum(k in 1..3 : k)", false), Ok(1));
    }

    #[test]
    fn the_first_use_of_a_name() {
        let span = |src: &str, name: &str| Expr::parse(src).expect("parses").name_span(name).map(|s| s.start);
        assert_eq!(span("min(n, r, d)", "d"), Some(10));
        assert_eq!(span("k % 2 + d", "k"), Some(0));
        assert_eq!(span("dd + d", "d"), Some(5));
        assert_eq!(span("sum(d in 1..3 : d)", "d"), None);
        assert_eq!(span("q", "d"), None);
    }

    #[test]
    fn the_base_of_a_half_power() {
        let base = |src: &str| {
            let expr = Expr::parse(src).expect("parses");
            expr.half_power_base("d").map(|s| src[s.start..s.end].to_string())
        };
        assert_eq!(base("q^(d/2)").as_deref(), Some("q"));
        assert_eq!(base("(min(n, r) ^ ((d) / (2)))").as_deref(), Some("min(n, r)"));
        assert_eq!(base("(q + 1)^(d / 2)").as_deref(), Some("(q + 1)"));
        assert_eq!(base("q^d/2"), None);
        assert_eq!(base("q^(d/2) + 1"), None);
        assert_eq!(base("q^(d/3)"), None);
        assert_eq!(base("q^(d/2/1)"), None);
        assert_eq!(base("q^(k/2)"), None);
        assert_eq!(base("-q^(d/2)"), None);
    }
}
