//! Exact scalars. `Q` (num-rational's `BigRational`) is the field every construction, claim and
//! certificate is stated over; this module owns it and its one canonical text form.
//! Modular and floating-point scalars arrive with the random-instance and numeric cross-checks.

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

/// Whether every entry is zero.
pub fn all_zero<'a>(values: impl IntoIterator<Item = &'a Q>) -> bool {
    values.into_iter().all(Zero::is_zero)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_reduced_fraction() {
        assert_eq!(q_text(&Q::new(6.into(), (-4).into())), "-3/2");
        assert_eq!(q_text(&q_int(7)), "7");
        assert_eq!(q_text(&Q::zero()), "0");
    }
}
