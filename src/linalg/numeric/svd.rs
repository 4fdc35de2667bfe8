//! Numerical rank of a dense real matrix from its singular values (nalgebra's SVD), with the
//! tolerance convention made explicit so that a disagreement with an exact rank can be
//! reported together with the singular values on either side of the cut.

use nalgebra::DMatrix;

/// The numerical rank of a matrix from its singular values, with the tolerance used.
#[derive(Clone, Debug, PartialEq)]
pub struct NumericRank {
    pub rank: usize,
    /// Singular values below or equal to this count as zero.
    pub tolerance: f64,
    pub sigma_max: f64,
    /// The smallest singular value counted (sigma_rank), 0 if rank = 0.
    pub sigma_kept: f64,
    /// The largest singular value not counted (sigma_{rank+1}), 0 if none.
    pub sigma_dropped: f64,
}

/// Relative tolerance choice: `Default` is the numpy/LAPACK convention
/// tol = sigma_max * max(m, n) * f64::EPSILON; `Relative(t)` gives tol = sigma_max * t.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tolerance {
    Default,
    Relative(f64),
}

/// Row-major m x n entries.
///
/// Computes the singular values sigma_1 >= ... >= sigma_min(m,n) and counts those strictly
/// greater than the tolerance:
/// - `Tolerance::Default`: tol = sigma_max * max(m, n) * f64::EPSILON, the default of
///   `numpy.linalg.matrix_rank` (`S.max() * max(M, N) * eps`, as in Numerical Recipes / LAPACK);
/// - `Tolerance::Relative(t)`: tol = sigma_max * t.
///
/// An empty matrix (m = 0 or n = 0) and the zero matrix have rank 0 and tolerance 0; then
/// every field is 0. The result is a floating-point judgement: an ill-conditioned matrix can
/// get a numerical rank below its exact rank (see the tests for explicit examples). nalgebra's
/// SVD deflates singular values below a few `f64::EPSILON * sigma_max` to exactly 0, so
/// `Relative(t)` with `t` below about 1e-15 does not resolve more rank than that.
///
/// # Panics
/// Preconditions, checked: `entries.len() == nrows * ncols`; every entry is finite;
/// for `Relative(t)`, `t` is finite and `t >= 0`.
pub fn svd_rank(nrows: usize, ncols: usize, entries: &[f64], tolerance: Tolerance) -> NumericRank {
    assert_eq!(
        Some(entries.len()),
        nrows.checked_mul(ncols),
        "svd_rank: entries.len() must equal nrows * ncols"
    );
    assert!(
        entries.iter().all(|x| x.is_finite()),
        "svd_rank: entries must be finite"
    );
    if let Tolerance::Relative(t) = tolerance {
        assert!(
            t.is_finite() && t >= 0.0,
            "svd_rank: relative tolerance must be finite and non-negative, got {t}"
        );
    }
    if nrows == 0 || ncols == 0 {
        return NumericRank {
            rank: 0,
            tolerance: 0.0,
            sigma_max: 0.0,
            sigma_kept: 0.0,
            sigma_dropped: 0.0,
        };
    }
    let mut sigma: Vec<f64> = DMatrix::from_row_slice(nrows, ncols, entries)
        .singular_values()
        .iter()
        .copied()
        .collect();
    // nalgebra already sorts descending; sort again so the cut below does not rely on it.
    sigma.sort_by(|a, b| b.total_cmp(a));
    let sigma_max = sigma[0];
    let tol = match tolerance {
        Tolerance::Default => sigma_max * nrows.max(ncols) as f64 * f64::EPSILON,
        Tolerance::Relative(t) => sigma_max * t,
    };
    let rank = sigma.iter().take_while(|&&s| s > tol).count();
    NumericRank {
        rank,
        tolerance: tol,
        sigma_max,
        sigma_kept: if rank == 0 { 0.0 } else { sigma[rank - 1] },
        sigma_dropped: sigma.get(rank).copied().unwrap_or(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Row-major m x n product of random m x k and k x n factors: rank k with probability 1.
    fn random_rank_k(m: usize, n: usize, k: usize, seed: u64) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let a: Vec<f64> = (0..m * k).map(|_| rng.gen_range(-1.0..1.0)).collect();
        let b: Vec<f64> = (0..k * n).map(|_| rng.gen_range(-1.0..1.0)).collect();
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k).map(|l| a[i * k + l] * b[l * n + j]).sum();
            }
        }
        c
    }

    fn assert_consistent(r: &NumericRank, m: usize, n: usize) {
        assert!(r.rank <= m.min(n));
        if r.rank > 0 {
            assert!(r.sigma_kept > r.tolerance, "{r:?}");
            assert!(r.sigma_max >= r.sigma_kept, "{r:?}");
        } else {
            assert_eq!(r.sigma_kept, 0.0);
        }
        assert!(r.tolerance >= r.sigma_dropped, "{r:?}");
        assert!(r.sigma_dropped >= 0.0);
    }

    #[test]
    fn products_of_random_factors_have_rank_k() {
        for (m, n, k) in [(8, 8, 3), (10, 6, 4), (5, 12, 5), (20, 20, 1), (7, 9, 7), (9, 7, 7)] {
            let c = random_rank_k(m, n, k, (m * 100 + n * 10 + k) as u64);
            let r = svd_rank(m, n, &c, Tolerance::Default);
            assert_eq!(r.rank, k, "{m}x{n} rank {k}: {r:?}");
            assert_consistent(&r, m, n);
            assert!(r.sigma_kept > 1e-6 * r.sigma_max, "{r:?}");
            if k < m.min(n) {
                assert!(r.sigma_dropped < 1e-12 * r.sigma_max, "{r:?}");
            } else {
                assert_eq!(r.sigma_dropped, 0.0);
            }
        }
    }

    #[test]
    fn identity_has_full_rank() {
        let n = 6;
        let mut e = vec![0.0; n * n];
        for i in 0..n {
            e[i * n + i] = 1.0;
        }
        let r = svd_rank(n, n, &e, Tolerance::Default);
        assert_eq!(r.rank, n);
        assert_eq!(r.sigma_max, 1.0);
        assert_eq!(r.sigma_kept, 1.0);
        assert_eq!(r.sigma_dropped, 0.0);
        assert_eq!(r.tolerance, 6.0 * f64::EPSILON);
    }

    #[test]
    fn zero_and_empty_matrices_have_rank_zero() {
        let all_zero = NumericRank {
            rank: 0,
            tolerance: 0.0,
            sigma_max: 0.0,
            sigma_kept: 0.0,
            sigma_dropped: 0.0,
        };
        assert_eq!(svd_rank(3, 4, &[0.0; 12], Tolerance::Default), all_zero);
        assert_eq!(svd_rank(3, 4, &[0.0; 12], Tolerance::Relative(0.1)), all_zero);
        assert_eq!(svd_rank(0, 5, &[], Tolerance::Default), all_zero);
        assert_eq!(svd_rank(5, 0, &[], Tolerance::Default), all_zero);
        assert_eq!(svd_rank(0, 0, &[], Tolerance::Relative(0.5)), all_zero);
    }

    #[test]
    fn rectangular_and_vectors() {
        // 2 x 3 with rows (1,2,3) and (2,4,6): rank 1.
        let r = svd_rank(2, 3, &[1.0, 2.0, 3.0, 2.0, 4.0, 6.0], Tolerance::Default);
        assert_eq!(r.rank, 1);
        assert!((r.sigma_max - 70f64.sqrt()).abs() < 1e-12);
        assert_consistent(&r, 2, 3);
        // 3 x 2 with independent columns: rank 2.
        let r = svd_rank(3, 2, &[1.0, 0.0, 1.0, 1.0, 0.0, 1.0], Tolerance::Default);
        assert_eq!(r.rank, 2);
        assert_consistent(&r, 3, 2);
        // A row vector and a column vector.
        assert_eq!(svd_rank(1, 4, &[0.0, 3.0, 0.0, 4.0], Tolerance::Default).rank, 1);
        let r = svd_rank(4, 1, &[0.0, 3.0, 0.0, 4.0], Tolerance::Default);
        assert_eq!((r.rank, r.sigma_max, r.sigma_kept), (1, 5.0, 5.0));
    }

    #[test]
    fn relative_tolerance_cuts_between_singular_values() {
        // diag(10, 1, 0.01) embedded in a 3 x 4 matrix: singular values 10, 1, 0.01.
        let mut e = vec![0.0; 12];
        e[0] = 10.0;
        e[5] = 1.0;
        e[10] = 0.01;
        let rank_at = |t| svd_rank(3, 4, &e, Tolerance::Relative(t));
        assert_eq!(rank_at(0.0).rank, 3);
        assert_eq!(rank_at(1e-4).rank, 3);
        let r = rank_at(1e-2);
        assert_eq!(r.rank, 2);
        assert!((r.tolerance - 0.1).abs() < 1e-15);
        assert!((r.sigma_kept - 1.0).abs() < 1e-14);
        assert!((r.sigma_dropped - 0.01).abs() < 1e-15);
        assert_eq!(rank_at(0.5).rank, 1);
        // sigma_max itself is never above sigma_max * 1.
        let r = rank_at(1.0);
        assert_eq!(r.rank, 0);
        assert_eq!(r.sigma_kept, 0.0);
        assert!((r.sigma_dropped - 10.0).abs() < 1e-13);
        assert_consistent(&r, 3, 4);
    }

    /// The 2 x 2 matrix [[1, 1], [1, 1 + 2^-52]] has exact determinant 2^-52 != 0 (every entry
    /// and the determinant are exact in f64), so its exact rank is 2; but sigma_2 ~ 2^-53 is
    /// below the default tolerance 2 * 2 * eps, so its numerical rank is 1.
    #[test]
    fn near_singular_two_by_two_numerical_rank_below_exact() {
        let e = [1.0, 1.0, 1.0, 1.0 + f64::EPSILON];
        assert_eq!(e[0] * e[3] - e[1] * e[2], f64::EPSILON);
        let r = svd_rank(2, 2, &e, Tolerance::Default);
        assert_eq!(r.rank, 1);
        assert_consistent(&r, 2, 2);
        // nalgebra's SVD does not even resolve sigma_2 (it comes back as exactly 0), so no
        // relative tolerance recovers the exact rank here.
        assert_eq!(r.sigma_dropped, 0.0);
        assert_eq!(svd_rank(2, 2, &e, Tolerance::Relative(0.0)).rank, 1);
    }

    /// L * H_12 with H_12 the 12 x 12 Hilbert matrix (entries 1/(i+j+1)) and L = lcm(1..=23):
    /// integer entries below 2^53, hence exact in f64. Its exact rank is 12 (the Hilbert
    /// matrix is a Cauchy matrix with nonzero determinant), but its condition number is about
    /// 1.7e16, so the numpy default tolerance gives numerical rank 11: the kind of
    /// disagreement tnproof reports rather than trusts.
    #[test]
    fn scaled_hilbert_numerical_rank_below_exact() {
        let n = 12;
        let lcm: u64 = 5_354_228_880; // lcm(1, ..., 23)
        let mut e = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                let d = (i + j + 1) as u64;
                assert_eq!(lcm % d, 0);
                e[i * n + j] = (lcm / d) as f64;
            }
        }
        let r = svd_rank(n, n, &e, Tolerance::Default);
        assert_eq!(r.rank, 11, "{r:?}");
        assert_consistent(&r, n, n);
        // Smaller Hilbert matrices are still numerically full rank.
        let r8 = svd_rank(8, 8, &hilbert(8), Tolerance::Default);
        assert_eq!(r8.rank, 8);
    }

    fn hilbert(n: usize) -> Vec<f64> {
        (0..n * n).map(|k| 1.0 / ((k / n + k % n + 1) as f64)).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn report_is_consistent(m in 0usize..7, n in 0usize..7, k in 0usize..7, seed in any::<u64>(), t in 0.0f64..0.5) {
            let k = k.min(m).min(n);
            let c = random_rank_k(m, n, k, seed);
            let d = svd_rank(m, n, &c, Tolerance::Default);
            assert_consistent(&d, m, n);
            prop_assert_eq!(d.rank, k);
            let r = svd_rank(m, n, &c, Tolerance::Relative(t));
            assert_consistent(&r, m, n);
            prop_assert!(r.rank <= k);
        }
    }
}
