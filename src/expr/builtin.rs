//! The built-in functions and aggregates of the expression language: one table of name, arity
//! and variant. The parser looks names up in it, and every message takes its names and its list
//! of functions from it. What each one computes is the evaluator's business.

use std::fmt;

/// A function of its arguments: `min(x, ...)`, `abs(x)`, `idx(t)`, ...
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Func {
    Min,
    Max,
    Abs,
    Floor,
    Ceil,
    Idx,
    Log2,
    Iroot,
}

/// An aggregate over an integer range, `op(j in lo..hi : body)`: `all` and `any` of
/// conditions, `sum` and `prod` of numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum AggOp {
    All,
    Any,
    Sum,
    Prod,
}

/// How many arguments a function takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Arity {
    AtLeastOne,
    One,
    Two,
}

/// What a built-in name calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Builtin {
    Func(Func, Arity),
    Aggregate(AggOp),
}

/// Every built-in, in the order messages list them.
const BUILTINS: [(&str, Builtin); 12] = [
    ("min", Builtin::Func(Func::Min, Arity::AtLeastOne)),
    ("max", Builtin::Func(Func::Max, Arity::AtLeastOne)),
    ("abs", Builtin::Func(Func::Abs, Arity::One)),
    ("floor", Builtin::Func(Func::Floor, Arity::One)),
    ("ceil", Builtin::Func(Func::Ceil, Arity::One)),
    ("idx", Builtin::Func(Func::Idx, Arity::One)),
    ("log2", Builtin::Func(Func::Log2, Arity::One)),
    ("iroot", Builtin::Func(Func::Iroot, Arity::Two)),
    ("all", Builtin::Aggregate(AggOp::All)),
    ("any", Builtin::Aggregate(AggOp::Any)),
    ("sum", Builtin::Aggregate(AggOp::Sum)),
    ("prod", Builtin::Aggregate(AggOp::Prod)),
];

impl Builtin {
    /// The built-in called `name`, if there is one.
    pub fn lookup(name: &str) -> Option<Builtin> {
        BUILTINS.iter().find(|(n, _)| *n == name).map(|&(_, b)| b)
    }

    /// Every built-in name, in table order.
    pub fn names() -> impl Iterator<Item = &'static str> {
        BUILTINS.iter().map(|(n, _)| *n)
    }

    /// `min, max, ..., prod`.
    pub fn list() -> String {
        Builtin::names().collect::<Vec<_>>().join(", ")
    }

    /// The name of the table row holding `self`.
    fn name(self) -> &'static str {
        BUILTINS
            .iter()
            .find(|(_, b)| match (*b, self) {
                // A function's row is found by the function alone.
                (Builtin::Func(f, _), Builtin::Func(g, _)) => f == g,
                (b, this) => b == this,
            })
            .map(|(n, _)| *n)
            .expect("every built-in has a row")
    }
}

impl Func {
    /// The bare name, as in `min`.
    pub fn name(self) -> &'static str {
        Builtin::Func(self, Arity::One).name()
    }
}

impl AggOp {
    /// The bare name, as in `sum`.
    pub fn name(self) -> &'static str {
        Builtin::Aggregate(self).name()
    }
}

/// The quoted name, as in `'min'`.
impl fmt::Display for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}'", self.name())
    }
}

/// The quoted name, as in `'sum'`.
impl fmt::Display for AggOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}'", self.name())
    }
}

/// What the bounds of an aggregate's range are for, as in `the range of 'sum'`.
#[derive(Clone, Copy)]
pub(super) struct RangeOf(pub AggOp);

impl fmt::Display for RangeOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the range of {}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_found_by_its_name_and_names_itself() {
        for (name, builtin) in BUILTINS {
            assert_eq!(Builtin::lookup(name), Some(builtin));
            assert_eq!(builtin.name(), name);
        }
        assert_eq!(
            Builtin::list(),
            "min, max, abs, floor, ceil, idx, log2, iroot, all, any, sum, prod"
        );
    }
}
