//! The binary operator `xi` of a generalized network (product, rectifier, sum, softplus, sqrt) and
//! the scalars it acts on: `Q` for the exact operators, `f64` for all. It owns `xi`'s names,
//! formulas and units; the networks built on it are in `network`.

use crate::field::{Scalar, Q};
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
pub(super) fn xi_fold<S: GridScalar>(op: Xi, values: impl IntoIterator<Item = S>) -> Option<S> {
    values.into_iter().try_fold(S::unit(op)?, |acc, x| S::xi(op, &x, &acc))
}
