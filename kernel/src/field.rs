//! Exact scalars. `Q` (num-rational's `BigRational`) is the field every construction, claim and
//! certificate is stated over; this module owns it and its one canonical text form, and the
//! integers modulo the prime `PRIME = 2^61 - 1` (`modp`) in which large ranks are certified.
//! It lives in the kernel crate, so that the trusted re-check has its own field; tnproof uses it
//! as `crate::field`. Scalars only: no tensors, no elimination.

use num_traits::{One, Zero};

/// The rational numbers, exactly.
pub type Q = num_rational::BigRational;

/// `Q` from a machine integer.
pub fn q_int(v: i64) -> Q {
    Q::from_integer(v.into())
}

/// The canonical text of a rational: `3`, `-1/2` (always reduced; `num-rational` keeps it so).
pub fn q_text(v: &Q) -> String {
    if v.denom().is_one() {
        v.numer().to_string()
    } else {
        format!("{}/{}", v.numer(), v.denom())
    }
}

/// What contraction needs of a scalar: `Q` for exact claims, `Residue` for certified ranks mod p.
pub trait Scalar: Clone + PartialEq + Send + Sync {
    fn zero_value() -> Self;
    fn one_value() -> Self;
    fn vanishes(&self) -> bool;
    /// `self += a * b`.
    fn add_product(&mut self, a: &Self, b: &Self);
}

impl Scalar for Q {
    fn zero_value() -> Self {
        Zero::zero()
    }
    fn one_value() -> Self {
        One::one()
    }
    fn vanishes(&self) -> bool {
        Zero::is_zero(self)
    }
    fn add_product(&mut self, a: &Self, b: &Self) {
        *self += a * b;
    }
}

/// Floating point, for the numeric cross-checks only.
impl Scalar for f64 {
    fn zero_value() -> Self {
        0.0
    }
    fn one_value() -> Self {
        1.0
    }
    fn vanishes(&self) -> bool {
        *self == 0.0
    }
    fn add_product(&mut self, a: &Self, b: &Self) {
        *self += a * b;
    }
}

/// A residue modulo `modp::PRIME`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Residue(pub u64);

impl Scalar for Residue {
    fn zero_value() -> Self {
        Residue(0)
    }
    fn one_value() -> Self {
        Residue(1)
    }
    fn vanishes(&self) -> bool {
        self.0 == 0
    }
    fn add_product(&mut self, a: &Self, b: &Self) {
        self.0 = modp::add(self.0, modp::mul(a.0, b.0));
    }
}

/// Arithmetic modulo the Mersenne prime `2^61 - 1`: residues are `u64` below `PRIME`, products
/// go through `u128` and reduce with a shift and an add. A rational `a/b` with `b` prime to
/// `PRIME` has the residue `a * b^-1`.
pub mod modp {
    use super::Q;
    use num_bigint::BigInt;
    use num_integer::Integer;
    use num_traits::ToPrimitive;

    pub const PRIME: u64 = (1 << 61) - 1;

    /// Reduces any `u64` to `[0, PRIME)`: `x = h 2^61 + l = h + l (mod PRIME)`.
    #[inline(always)]
    pub fn reduce_u64(x: u64) -> u64 {
        let t = (x & PRIME) + (x >> 61); // <= PRIME + 7
        if t >= PRIME {
            t - PRIME
        } else {
            t
        }
    }

    /// Reduces any `u128` to `[0, PRIME)`: `x = x2 2^122 + x1 2^61 + x0 = x2 + x1 + x0`.
    #[inline(always)]
    pub fn reduce(x: u128) -> u64 {
        let s = (x as u64 & PRIME) + ((x >> 61) as u64 & PRIME) + (x >> 122) as u64; // < 2^62 + 64
        reduce_u64(s)
    }

    /// Residue of a signed integer.
    pub fn residue(x: i64) -> u64 {
        let r = reduce_u64(x.unsigned_abs());
        if x < 0 && r != 0 {
            PRIME - r
        } else {
            r
        }
    }

    /// a * b mod PRIME (any `u64` inputs).
    #[inline]
    pub fn mul(a: u64, b: u64) -> u64 {
        reduce(a as u128 * b as u128)
    }

    /// a + b mod PRIME (inputs `< PRIME`).
    #[inline]
    pub fn add(a: u64, b: u64) -> u64 {
        debug_assert!(a < PRIME && b < PRIME);
        let s = a + b;
        if s >= PRIME {
            s - PRIME
        } else {
            s
        }
    }

    /// a - b mod PRIME (inputs `< PRIME`).
    #[inline]
    pub fn sub(a: u64, b: u64) -> u64 {
        debug_assert!(a < PRIME && b < PRIME);
        if a >= b {
            a - b
        } else {
            a + PRIME - b
        }
    }

    /// The inverse of `a` mod PRIME, by Fermat: `a^(PRIME - 2)`. Zero has none, and the formula
    /// gives `inv(0) = 0`: callers check for zero (every elimination inverts a pivot, which is
    /// non-zero by choice, and `of_rational` refuses a denominator divisible by PRIME).
    pub fn inv(a: u64) -> u64 {
        let a = reduce_u64(a);
        let (mut base, mut e, mut r) = (a, PRIME - 2, 1u64);
        while e > 0 {
            if e & 1 == 1 {
                r = mul(r, base);
            }
            base = mul(base, base);
            e >>= 1;
        }
        r
    }

    /// The residue of a rational, `None` when its denominator is divisible by `PRIME`.
    pub fn of_rational(q: &Q) -> Option<u64> {
        let p = BigInt::from(PRIME);
        let reduce_big = |x: &BigInt| x.mod_floor(&p).to_u64();
        let (n, d) = (reduce_big(q.numer())?, reduce_big(q.denom())?);
        (d != 0).then(|| mul(n, inv(d)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn residues_agree_with_big_integer_arithmetic() {
        use modp::*;
        let p = PRIME as u128;
        for (a, b) in [(PRIME - 1, PRIME - 1), (3, 5), (1 << 60, (1 << 60) + 7), (0, 12345)] {
            assert_eq!(mul(a, b) as u128, a as u128 * b as u128 % p);
            assert_eq!(add(a, b) as u128, (a as u128 + b as u128) % p);
            assert_eq!(sub(a, b) as u128, (a as u128 + p - b as u128) % p);
        }
        assert_eq!(mul(inv(123456789), 123456789), 1);
        assert_eq!(inv(0), 0);
        assert_eq!(inv(PRIME), 0);
        assert_eq!(residue(-1), PRIME - 1);
        // 1/2 is the residue r with 2r = 1: (PRIME + 1) / 2.
        assert_eq!(of_rational(&Q::new(1.into(), 2.into())), Some(PRIME.div_ceil(2)));
        assert_eq!(of_rational(&Q::new((-3).into(), 1.into())), Some(PRIME - 3));
    }

    #[test]
    fn text_is_reduced_fraction() {
        assert_eq!(q_text(&Q::new(6.into(), (-4).into())), "-3/2");
        assert_eq!(q_text(&q_int(7)), "7");
        assert_eq!(q_text(&Q::zero()), "0");
    }
}
