//! Exact scalars. `Q` (num-rational's `BigRational`) is the field every construction, claim and
//! certificate is stated over; this module owns it and its one canonical text form, and the
//! integers modulo the two primes large ranks are certified in: `2^61 - 1` (`modp`) and the word
//! prime `2^21 - 9` (`modw`, whose residues the fast elimination holds in `f64`), named by [`Prime`].
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

/// A residue modulo `modw::PRIME`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WordResidue(pub u64);

impl Scalar for WordResidue {
    fn zero_value() -> Self {
        WordResidue(0)
    }
    fn one_value() -> Self {
        WordResidue(1)
    }
    fn vanishes(&self) -> bool {
        self.0 == 0
    }
    fn add_product(&mut self, a: &Self, b: &Self) {
        self.0 = (self.0 + a.0 * b.0) % modw::PRIME;
    }
}

/// The primes a certificate may state residues in. A minor non-singular modulo any prime is
/// non-singular over `Q`, so either certifies a rank lower bound; the certificate names which.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Prime {
    /// `2^61 - 1`.
    Mersenne61,
    /// `2097143 = 2^21 - 9`, the largest prime below `2^21`.
    Word21,
}

impl Prime {
    pub fn value(self) -> u64 {
        match self {
            Prime::Mersenne61 => modp::PRIME,
            Prime::Word21 => modw::PRIME,
        }
    }

    /// How certificates write it, after `p = `.
    pub fn text(self) -> &'static str {
        match self {
            Prime::Mersenne61 => "2^61 - 1",
            Prime::Word21 => "2097143",
        }
    }

    /// The prime a text names after `p = ` (the first such mention), if it is one of these.
    pub fn stated_in(text: &str) -> Option<Prime> {
        let rest = &text[text.find("p = ")? + 4..];
        [Prime::Mersenne61, Prime::Word21]
            .into_iter()
            .find(|p| rest.starts_with(p.text()) && !rest[p.text().len()..].starts_with(|c: char| c.is_ascii_digit()))
    }

    /// `a * b` modulo the prime (inputs below it).
    #[inline]
    pub fn mul(self, a: u64, b: u64) -> u64 {
        match self {
            Prime::Mersenne61 => modp::mul(a, b),
            // Below 2^42; the remainder by a constant compiles to multiplications.
            Prime::Word21 => a * b % modw::PRIME,
        }
    }

    /// `a - b` modulo the prime (inputs below it).
    #[inline]
    pub fn sub(self, a: u64, b: u64) -> u64 {
        match self {
            Prime::Mersenne61 => modp::sub(a, b),
            Prime::Word21 => (a + (modw::PRIME - b)) % modw::PRIME,
        }
    }

    /// The inverse of `a` (non-zero, below the prime), by Fermat: `a^(p - 2)`.
    pub fn inv(self, a: u64) -> u64 {
        let (mut base, mut e, mut r) = (a, self.value() - 2, 1u64);
        while e > 0 {
            if e & 1 == 1 {
                r = self.mul(r, base);
            }
            base = self.mul(base, base);
            e >>= 1;
        }
        r
    }

    /// The residue of a rational, `None` when its denominator is divisible by the prime.
    pub fn of_rational(self, q: &Q) -> Option<u64> {
        use num_integer::Integer;
        use num_traits::ToPrimitive;
        let p = num_bigint::BigInt::from(self.value());
        let reduce_big = |x: &num_bigint::BigInt| x.mod_floor(&p).to_u64();
        let (n, d) = (reduce_big(q.numer())?, reduce_big(q.denom())?);
        (d != 0).then(|| self.mul(n, self.inv(d)))
    }
}

/// Arithmetic modulo the word prime `2^21 - 9`: residues are `u64` below `PRIME`, products of
/// two are below `2^42`.
pub mod modw {
    use super::{Prime, Q};

    pub const PRIME: u64 = (1 << 21) - 9;

    /// The residue of a rational, `None` when its denominator is divisible by `PRIME`.
    pub fn of_rational(q: &Q) -> Option<u64> {
        Prime::Word21.of_rational(q)
    }
}

/// Arithmetic modulo the Mersenne prime `2^61 - 1`: residues are `u64` below `PRIME`, products
/// go through `u128` and reduce with a shift and an add. A rational `a/b` with `b` prime to
/// `PRIME` has the residue `a * b^-1`.
pub mod modp {
    use super::Q;

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
        super::Prime::Mersenne61.of_rational(q)
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
    fn both_primes_agree_with_big_integer_arithmetic() {
        for p in [Prime::Mersenne61, Prime::Word21] {
            let v = p.value() as u128;
            for (a, b) in [
                (p.value() - 1, p.value() - 1),
                (3, 5),
                (p.value() / 2, p.value() / 3 + 7),
                (0, 12345),
            ] {
                assert_eq!(p.mul(a, b) as u128, a as u128 * b as u128 % v);
                assert_eq!(p.sub(a, b) as u128, (a as u128 + v - b as u128) % v);
            }
            assert_eq!(p.mul(p.inv(123456), 123456), 1);
            // 1/2 is (p + 1) / 2; -3 is p - 3; a denominator p has no residue.
            assert_eq!(p.of_rational(&Q::new(1.into(), 2.into())), Some(p.value().div_ceil(2)));
            assert_eq!(p.of_rational(&Q::new((-3).into(), 1.into())), Some(p.value() - 3));
            assert_eq!(p.of_rational(&Q::new(1.into(), p.value().into())), None);
        }
        // 2^21 - 9 = 2097143 is prime: no divisor up to its square root (1448).
        assert!((2..=1448).all(|f| !modw::PRIME.is_multiple_of(f)));
        assert_eq!(modw::PRIME, 2_097_143);
        let mut w = WordResidue(modw::PRIME - 1);
        w.add_product(&WordResidue(2), &WordResidue(3));
        assert_eq!(w, WordResidue(5));
    }

    #[test]
    fn the_stated_prime_is_read_whole() {
        assert_eq!(
            Prime::stated_in("mod p >= 3, p = 2^61 - 1 (3 x 3 matrix)"),
            Some(Prime::Mersenne61)
        );
        assert_eq!(
            Prime::stated_in("mod p >= 3, p = 2097143 (3 x 3 matrix)"),
            Some(Prime::Word21)
        );
        assert_eq!(Prime::stated_in("p = 20971431"), None);
        assert_eq!(Prime::stated_in("p = 7"), None);
        assert_eq!(Prime::stated_in("no prime"), None);
    }

    #[test]
    fn text_is_reduced_fraction() {
        assert_eq!(q_text(&Q::new(6.into(), (-4).into())), "-3/2");
        assert_eq!(q_text(&q_int(7)), "7");
        assert_eq!(q_text(&Q::zero()), "0");
    }
}
