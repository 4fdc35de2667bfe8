//! Exact, resource-bounded rational arithmetic for the evaluator. Results are kept reduced
//! (built with `Q::new_raw`, never through num-rational's operators, whose gcd and comparison
//! are quadratic or recursive on huge inputs), refused above MAX_BITS, and every step is
//! charged to a per-evaluation work budget (linear steps too, since aggregates repeat them)
//! so hostile inputs cannot hang the checker.

use crate::field::Q;
use num_bigint::{BigInt, BigUint};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::cmp::Ordering;

/// Largest allowed numerator or denominator of any result, in bits.
pub(super) const MAX_BITS: u64 = 1_000_000;
/// Largest allowed exponent magnitude for `^`.
pub(super) const MAX_EXPONENT: u64 = 4096;
/// The most bits of the argument of `iroot`.
pub(super) const MAX_ROOT_BITS: u64 = 4096;
/// Work allowed per evaluation, in 64-bit limb operations (roughly a second at worst).
const WORK_BUDGET: u64 = 1 << 28;

#[derive(Debug)]
pub(super) enum ArithError {
    /// A numerator or denominator would exceed MAX_BITS.
    TooLarge,
    /// A power's estimated size (in bits) exceeds MAX_BITS.
    PowerTooLarge(u64),
    /// The evaluation has used up its work budget.
    TooCostly,
}

pub(super) struct Budget {
    left: u64,
}

impl Budget {
    pub fn new() -> Self {
        Budget { left: WORK_BUDGET }
    }

    pub fn charge(&mut self, units: u64) -> Result<(), ArithError> {
        if units > self.left {
            return Err(ArithError::TooCostly);
        }
        self.left -= units;
        Ok(())
    }
}

fn limbs(x: &BigInt) -> u64 {
    x.bits() / 64 + 1
}

/// Charges a step linear in the size of `q` (a copy, comparison or addition).
fn charge_linear(q: &Q, budget: &mut Budget) -> Result<(), ArithError> {
    budget.charge(limbs(q.numer()).saturating_add(limbs(q.denom())))
}

/// Estimated cost of dividing `a` by `b`: the schoolbook quotient loop plus a heavy linear
/// term for normalization and allocation (measured: a long run of Euclid steps costs about
/// 20ns per limb per step, while one unit elsewhere is about a nanosecond).
fn div_cost(a: &BigUint, b: &BigUint) -> u64 {
    let (wa, wb) = (a.bits() / 64 + 1, b.bits() / 64 + 1);
    wb.saturating_mul(wa.saturating_sub(wb) + 1)
        .saturating_add(wa.saturating_mul(16))
}

/// `log2(a)` for `a` a positive integer power of 2, else `None`.
pub(super) fn log2(a: &Q, budget: &mut Budget) -> Result<Option<Q>, ArithError> {
    charge_linear(a, budget)?;
    let n = a.numer();
    let bits = n.bits();
    let power = a.is_integer() && n.is_positive() && n.trailing_zeros() == Some(bits.saturating_sub(1));
    Ok(power.then(|| int(BigInt::from(bits - 1))))
}

/// `iroot(a, b)`, the integer part of the b-th root of an integer `a >= 0` for an integer degree
/// `1 <= b <= 64` (else `None`), by fixing the root's bits from the top: for an integer k,
/// `k <= a^(1/b)` exactly when `k <= iroot(a, b)`.
pub(super) fn iroot(a: &Q, b: &Q, budget: &mut Budget) -> Result<Option<Q>, ArithError> {
    let degree = b.to_u32().filter(|&e| b.is_integer() && (1..=64).contains(&e));
    let (Some(degree), true) = (degree, a.is_integer() && !a.is_negative()) else {
        return Ok(None);
    };
    let n = a.numer();
    if n.bits() > MAX_ROOT_BITS {
        return Err(ArithError::TooLarge);
    }
    let w = MAX_ROOT_BITS / 64 + 1;
    let mut root = BigInt::zero();
    for bit in (0..n.bits() / u64::from(degree) + 1).rev() {
        budget.charge(w.saturating_mul(w).saturating_mul(u64::from(degree)))?;
        let candidate = &root | (BigInt::one() << bit);
        if candidate.pow(degree) <= *n {
            root = candidate;
        }
    }
    Ok(Some(int(root)))
}

fn int(n: BigInt) -> Q {
    Q::new_raw(n, BigInt::one())
}

fn checked(q: Q) -> Result<Q, ArithError> {
    if q.numer().bits() > MAX_BITS || q.denom().bits() > MAX_BITS {
        Err(ArithError::TooLarge)
    } else {
        Ok(q)
    }
}

/// Euclid's algorithm, charging each division step to the budget (exact cost accounting,
/// unlike Stein's algorithm, which is quadratic even when one operand is tiny).
fn gcd(a: &BigInt, b: &BigInt, budget: &mut Budget) -> Result<BigUint, ArithError> {
    let (a, b) = (a.magnitude(), b.magnitude());
    let (mut big, mut small) = if a >= b {
        (a.clone(), b.clone())
    } else {
        (b.clone(), a.clone())
    };
    loop {
        if small.is_zero() {
            return Ok(big);
        }
        budget.charge(div_cost(&big, &small))?;
        if let Some(s) = small.to_u64() {
            let r = (&big % s).to_u64().unwrap_or(0);
            return Ok(BigUint::from(s.gcd(&r)));
        }
        let r = &big % &small;
        big = std::mem::replace(&mut small, r);
    }
}

/// `n / d` in lowest terms, for `d > 0`.
fn reduce(n: BigInt, d: BigInt, budget: &mut Budget) -> Result<Q, ArithError> {
    let g = gcd(&n, &d, budget)?;
    if g.is_one() {
        return checked(Q::new_raw(n, d));
    }
    let cost = div_cost(n.magnitude(), &g).saturating_add(div_cost(d.magnitude(), &g));
    budget.charge(cost)?;
    let g = BigInt::from(g);
    checked(Q::new_raw(n / &g, d / &g))
}

fn charge_products(pairs: &[(&BigInt, &BigInt)], budget: &mut Budget) -> Result<(), ArithError> {
    let units = pairs.iter().fold(0u64, |acc, (x, y)| {
        acc.saturating_add(limbs(x).saturating_mul(limbs(y)))
    });
    budget.charge(units)
}

/// `a + b` when `negate_b` is false, `a - b` otherwise.
pub(super) fn add(a: &Q, b: &Q, negate_b: bool, budget: &mut Budget) -> Result<Q, ArithError> {
    let (an, ad, bn, bd) = (a.numer(), a.denom(), b.numer(), b.denom());
    let combine = |x: BigInt, y: BigInt| if negate_b { x - y } else { x + y };
    if a.is_integer() && b.is_integer() {
        budget.charge(limbs(an).max(limbs(bn)))?;
        return checked(int(combine(an.clone(), bn.clone())));
    }
    if ad == bd {
        charge_linear(a, budget)?;
        charge_linear(b, budget)?;
        return reduce(combine(an.clone(), bn.clone()), ad.clone(), budget);
    }
    charge_products(&[(an, bd), (bn, ad), (ad, bd)], budget)?;
    reduce(combine(an * bd, bn * ad), ad * bd, budget)
}

pub(super) fn mul(a: &Q, b: &Q, budget: &mut Budget) -> Result<Q, ArithError> {
    let (an, ad, bn, bd) = (a.numer(), a.denom(), b.numer(), b.denom());
    if an.is_zero() || bn.is_zero() {
        return Ok(Q::zero());
    }
    if a.is_integer() && b.is_integer() {
        // The product has at least `bits(a) + bits(b) - 1` bits: refuse before computing.
        if an.bits() + bn.bits() - 1 > MAX_BITS {
            return Err(ArithError::TooLarge);
        }
        charge_products(&[(an, bn)], budget)?;
        return checked(int(an * bn));
    }
    charge_products(&[(an, bn), (ad, bd)], budget)?;
    reduce(an * bn, ad * bd, budget)
}

/// `a / b` for `b != 0`.
pub(super) fn div(a: &Q, b: &Q, budget: &mut Budget) -> Result<Q, ArithError> {
    let (bn, bd) = (b.numer(), b.denom());
    let recip = if bn.is_negative() {
        Q::new_raw(-bd, -bn)
    } else {
        Q::new_raw(bd.clone(), bn.clone())
    };
    mul(a, &recip, budget)
}

/// Euclidean remainder of integers `a` by `b != 0`: always in `0..|b|`.
pub(super) fn rem_euclid(a: &Q, b: &Q, budget: &mut Budget) -> Result<Q, ArithError> {
    let (an, bn) = (a.numer(), b.numer());
    budget.charge(div_cost(an.magnitude(), bn.magnitude()))?;
    Ok(int(an.mod_floor(&bn.abs())))
}

/// `base ^ exp` for `|exp| <= MAX_EXPONENT`, and `base != 0` when `exp < 0`.
pub(super) fn pow(base: &Q, exp: i64, budget: &mut Budget) -> Result<Q, ArithError> {
    let e = exp.unsigned_abs();
    let estimate = (base.numer().bits() + base.denom().bits()).saturating_mul(e);
    if estimate > MAX_BITS {
        return Err(ArithError::PowerTooLarge(estimate));
    }
    let w = estimate / 64 + 1;
    budget.charge(w.saturating_mul(w))?;
    let e32 = u32::try_from(e).map_err(|_| ArithError::PowerTooLarge(estimate))?;
    let (n, d) = (base.numer().pow(e32), base.denom().pow(e32));
    let q = if exp >= 0 {
        Q::new_raw(n, d)
    } else if n.is_negative() {
        Q::new_raw(-d, -n)
    } else {
        Q::new_raw(d, n)
    };
    checked(q)
}

pub(super) fn neg(a: &Q, budget: &mut Budget) -> Result<Q, ArithError> {
    charge_linear(a, budget)?;
    Ok(Q::new_raw(-a.numer(), a.denom().clone()))
}

pub(super) fn abs(a: &Q, budget: &mut Budget) -> Result<Q, ArithError> {
    charge_linear(a, budget)?;
    Ok(Q::new_raw(a.numer().abs(), a.denom().clone()))
}

pub(super) fn floor(a: &Q, budget: &mut Budget) -> Result<Q, ArithError> {
    if a.is_integer() {
        charge_linear(a, budget)?;
        return Ok(a.clone());
    }
    budget.charge(div_cost(a.numer().magnitude(), a.denom().magnitude()))?;
    Ok(int(a.numer().div_floor(a.denom())))
}

pub(super) fn ceil(a: &Q, budget: &mut Budget) -> Result<Q, ArithError> {
    if a.is_integer() {
        charge_linear(a, budget)?;
        return Ok(a.clone());
    }
    budget.charge(div_cost(a.numer().magnitude(), a.denom().magnitude()))?;
    Ok(int(-(-a.numer()).div_floor(a.denom())))
}

/// Exact equality of reduced rationals (no cross-multiplication needed).
pub(super) fn equal(a: &Q, b: &Q, budget: &mut Budget) -> Result<bool, ArithError> {
    charge_linear(a, budget)?;
    Ok(a.numer() == b.numer() && a.denom() == b.denom())
}

/// Orders two reduced rationals by cross-multiplication (denominators are positive).
pub(super) fn compare(a: &Q, b: &Q, budget: &mut Budget) -> Result<Ordering, ArithError> {
    let (an, ad, bn, bd) = (a.numer(), a.denom(), b.numer(), b.denom());
    if ad == bd {
        charge_linear(a, budget)?;
        return Ok(an.cmp(bn));
    }
    charge_products(&[(an, bd), (bn, ad)], budget)?;
    Ok((an * bd).cmp(&(bn * ad)))
}
