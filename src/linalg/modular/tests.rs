use super::elim::{rank_blocked as rank_with_blocking, Blocking};
use super::kernel::{GemmBlocking, GemmConfig};
use super::*;
use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const P128: u128 = PRIME as u128;

// ---------------------------------------------------------------- matrix generators

/// How the entries of a test matrix are drawn.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// Uniform residues.
    Dense,
    /// Mostly zeros (`zero_pct` percent), the rest small integers or uniform residues.
    Sparse { zero_pct: u32 },
    /// A product of an `m x r` and an `r x n` factor (rank <= r), factors possibly sparse.
    LowRank { r: usize, zero_pct: u32 },
    /// A low-rank or sparse matrix with copied (and scaled) rows and columns, and zero lines.
    Duplicated { r: usize },
}

fn entry(rng: &mut ChaCha8Rng, zero_pct: u32) -> u64 {
    if rng.gen_range(0..100) < zero_pct {
        0
    } else if rng.gen_bool(0.5) {
        residue(rng.gen_range(-3..=3))
    } else {
        rng.gen_range(0..PRIME)
    }
}

fn random_matrix(nrows: usize, ncols: usize, zero_pct: u32, rng: &mut ChaCha8Rng) -> ModMatrix {
    let entries = (0..nrows * ncols).map(|_| entry(rng, zero_pct)).collect();
    ModMatrix { nrows, ncols, entries }
}

fn product(x: &ModMatrix, y: &ModMatrix) -> ModMatrix {
    assert_eq!(x.ncols, y.nrows);
    let mut entries = vec![0; x.nrows * y.ncols];
    for i in 0..x.nrows {
        for t in 0..x.ncols {
            let a = x.entries[i * x.ncols + t];
            for j in 0..y.ncols {
                let e = &mut entries[i * y.ncols + j];
                *e = add(*e, mul(a, y.entries[t * y.ncols + j]));
            }
        }
    }
    ModMatrix {
        nrows: x.nrows,
        ncols: y.ncols,
        entries,
    }
}

fn make_matrix(nrows: usize, ncols: usize, kind: Kind, seed: u64) -> ModMatrix {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    match kind {
        Kind::Dense => random_matrix(nrows, ncols, 0, &mut rng),
        Kind::Sparse { zero_pct } => random_matrix(nrows, ncols, zero_pct, &mut rng),
        Kind::LowRank { r, zero_pct } => {
            let x = random_matrix(nrows, r, zero_pct, &mut rng);
            let y = random_matrix(r, ncols, zero_pct, &mut rng);
            product(&x, &y)
        }
        Kind::Duplicated { r } => {
            let mut m = if rng.gen_bool(0.5) {
                make_matrix(nrows, ncols, Kind::LowRank { r, zero_pct: 30 }, rng.gen())
            } else {
                random_matrix(nrows, ncols, 60, &mut rng)
            };
            let (nr, nc) = (nrows, ncols);
            if nr > 1 {
                for _ in 0..rng.gen_range(1..=nr) {
                    let (s, d, f) = (rng.gen_range(0..nr), rng.gen_range(0..nr), entry(&mut rng, 10));
                    for j in 0..nc {
                        m.entries[d * nc + j] = mul(f, m.entries[s * nc + j]);
                    }
                }
            }
            if nc > 1 {
                for _ in 0..rng.gen_range(1..=nc) {
                    let (s, d, f) = (rng.gen_range(0..nc), rng.gen_range(0..nc), entry(&mut rng, 10));
                    for i in 0..nr {
                        m.entries[i * nc + d] = mul(f, m.entries[i * nc + s]);
                    }
                }
            }
            if nr > 0 && rng.gen_bool(0.3) {
                let i = rng.gen_range(0..nr);
                m.entries[i * nc..(i + 1) * nc].fill(0);
            }
            if nc > 0 && rng.gen_bool(0.3) {
                let j = rng.gen_range(0..nc);
                for i in 0..nr {
                    m.entries[i * nc + j] = 0;
                }
            }
            m
        }
    }
}

fn arb_kind(max_rank: usize) -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Dense),
        (0u32..=100).prop_map(|zero_pct| Kind::Sparse { zero_pct }),
        (0..=max_rank, 0u32..=70).prop_map(|(r, zero_pct)| Kind::LowRank { r, zero_pct }),
        (0..=max_rank).prop_map(|r| Kind::Duplicated { r }),
    ]
}

fn arb_matrix(max_dim: usize) -> impl Strategy<Value = ModMatrix> {
    (0..=max_dim, 0..=max_dim, arb_kind(max_dim), any::<u64>())
        .prop_map(|(nr, nc, kind, seed)| make_matrix(nr, nc, kind, seed))
}

/// Small block sizes, so that small matrices cross every block boundary of the fast path
/// (including the partial reduction every 32 products, with `kc` up to 80).
fn arb_gemm_blocking() -> impl Strategy<Value = GemmBlocking> {
    (1usize..=80, 1usize..=11, 1usize..=20).prop_map(|(kc, mc, nc)| GemmBlocking { kc, mc, nc })
}

fn arb_blocking() -> impl Strategy<Value = Blocking> {
    (
        1usize..=9,
        1usize..=12,
        arb_gemm_blocking(),
        proptest::option::of(arb_gemm_blocking()),
        1usize..=10,
        prop_oneof![Just(usize::MAX), 2usize..=12],
        any::<bool>(),
    )
        .prop_map(
            |(panel, trsm_base, scalar, simd, simd_min_k, strassen_min, allow_avx512)| Blocking {
                panel,
                trsm_base,
                gemm: GemmConfig {
                    scalar,
                    simd,
                    allow_avx512,
                    simd_min_k,
                    strassen_min,
                },
            },
        )
}

// ---------------------------------------------------------------- checks

/// The witness has the right shape and its minor is non-singular (by the plain reference).
fn assert_witness(m: &ModMatrix, r: &ModRank) {
    assert_eq!(r.rows.len(), r.rank, "witness rows: {r:?}");
    assert_eq!(r.cols.len(), r.rank, "witness cols: {r:?}");
    assert!(r.rows.windows(2).all(|w| w[0] < w[1]), "rows not increasing: {r:?}");
    assert!(r.cols.windows(2).all(|w| w[0] < w[1]), "cols not increasing: {r:?}");
    assert!(r.rows.iter().all(|&i| i < m.nrows) && r.cols.iter().all(|&j| j < m.ncols));
    let minor = m.minor(&r.rows, &r.cols);
    assert_eq!(
        rank_mod_p_plain(&minor).rank,
        r.rank,
        "witness minor is singular: {r:?}"
    );
}

fn assert_agrees(m: &ModMatrix, blk: &Blocking) {
    let plain = rank_mod_p_plain(m);
    let fast = rank_with_blocking(m, None, blk);
    assert_eq!(
        fast.rank, plain.rank,
        "fast {fast:?} vs plain {plain:?} on {m:?} with {blk:?}"
    );
    assert!(plain.rank <= m.nrows.min(m.ncols));
    assert_witness(m, &fast);
}

/// Plain determinant-style check of the reference itself on tiny matrices: the rank is the
/// size of the largest non-singular minor, found by brute force with cofactor expansion.
fn brute_force_rank(m: &ModMatrix) -> usize {
    fn det(m: &ModMatrix) -> u64 {
        let n = m.nrows;
        if n == 0 {
            return 1;
        }
        let mut d = 0;
        for j in 0..n {
            let rows: Vec<usize> = (1..n).collect();
            let cols: Vec<usize> = (0..n).filter(|&c| c != j).collect();
            let term = mul(m.entries[j], det(&m.minor(&rows, &cols)));
            d = if j % 2 == 0 { add(d, term) } else { sub(d, term) };
        }
        d
    }
    fn subsets(n: usize, k: usize) -> Vec<Vec<usize>> {
        (0u32..1 << n)
            .filter(|s| s.count_ones() as usize == k)
            .map(|s| (0..n).filter(|i| s >> i & 1 == 1).collect())
            .collect()
    }
    for k in (1..=m.nrows.min(m.ncols)).rev() {
        for rows in subsets(m.nrows, k) {
            for cols in subsets(m.ncols, k) {
                if det(&m.minor(&rows, &cols)) != 0 {
                    return k;
                }
            }
        }
    }
    0
}

/// A random matrix whose entries are near the extremes (`PRIME - 1 - e` or `e`, `e` small) or
/// uniform, to exercise the bounds of the delayed reductions.
fn kernel_operand(len: usize, kind: u8, rng: &mut ChaCha8Rng) -> Vec<u64> {
    (0..len)
        .map(|_| match kind {
            0 => rng.gen_range(0..PRIME),
            1 => PRIME - 1 - rng.gen_range(0..2),
            _ => {
                if rng.gen_bool(0.5) {
                    PRIME - 1
                } else {
                    rng.gen_range(0..3)
                }
            }
        })
        .collect()
}

fn arb_gemm_config() -> impl Strategy<Value = GemmConfig> {
    (
        (1usize..=300, 1usize..=11, 1usize..=20).prop_map(|(kc, mc, nc)| GemmBlocking { kc, mc, nc }),
        proptest::option::of(
            (1usize..=300, 1usize..=11, 1usize..=20).prop_map(|(kc, mc, nc)| GemmBlocking { kc, mc, nc }),
        ),
        1usize..=10,
        prop_oneof![Just(usize::MAX), 2usize..=12],
        any::<bool>(),
    )
        .prop_map(|(scalar, simd, simd_min_k, strassen_min, allow_avx512)| GemmConfig {
            scalar,
            simd,
            allow_avx512,
            simd_min_k,
            strassen_min,
        })
}

/// `C -= A * B` by [`super::kernel::gemm_sub`] with `cfg` equals the naive product, for `m x k`
/// by `k x n` operands drawn as [`kernel_operand`] of `kind`, `A` read through shuffled columns.
fn assert_gemm_matches_naive(m: usize, n: usize, k: usize, kind: u8, seed: u64, cfg: GemmConfig) {
    use super::kernel::{gemm_sub, Workspace};
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Layout (row stride k + n): B in rows 0..k and C in rows k..k + m, both in the columns
    // k..k + n; A in rows k..k + m, in the columns 0..k in a shuffled order.
    let ld = k + n;
    let mut mat = kernel_operand((k + m) * ld, kind, &mut rng);
    let mut a_cols: Vec<usize> = (0..k).collect();
    a_cols.shuffle(&mut rng);
    let mut expected = mat.clone();
    for i in 0..m {
        for j in 0..n {
            let mut s = 0;
            for (t, &c) in a_cols.iter().enumerate() {
                s = add(s, mul(mat[(k + i) * ld + c], mat[t * ld + k + j]));
            }
            let e = &mut expected[(k + i) * ld + k + j];
            *e = sub(*e, s);
        }
    }
    let mut ws = Workspace::new(cfg);
    gemm_sub(&mut mat, ld, k, m, k, n, &a_cols, 0, &mut ws);
    assert!(
        mat == expected,
        "product differs: m = {m}, n = {n}, k = {k}, kind {kind}, {cfg:?}"
    );
}

/// The default tuning with each `f64` kernel: AVX-512 (where the CPU has it), and AVX2 (the
/// AVX-512 kernel disallowed, so that a CPU with both runs the AVX2 one too).
const DEFAULT_BOTH_KERNELS: [Blocking; 2] = [
    Blocking::DEFAULT,
    Blocking {
        gemm: GemmConfig {
            allow_avx512: false,
            ..Blocking::DEFAULT.gemm
        },
        ..Blocking::DEFAULT
    },
];

// ---------------------------------------------------------------- properties

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn fast_agrees_with_plain_default_blocking(m in arb_matrix(70)) {
        assert_agrees(&m, &Blocking::DEFAULT);
    }

    #[test]
    fn fast_agrees_with_plain_small_blocking(m in arb_matrix(40), blk in arb_blocking()) {
        assert_agrees(&m, &blk);
    }

    #[test]
    fn public_fast_path_has_valid_witness(m in arb_matrix(70)) {
        let r = rank_mod_p(&m, None);
        prop_assert_eq!(r.rank, rank_mod_p_plain(&m).rank);
        assert_witness(&m, &r);
    }

    #[test]
    fn plain_witness_is_valid(m in arb_matrix(30)) {
        assert_witness(&m, &rank_mod_p_plain(&m));
    }

    #[test]
    fn plain_matches_brute_force_on_tiny(m in arb_matrix(4)) {
        prop_assert_eq!(rank_mod_p_plain(&m).rank, brute_force_rank(&m));
    }

    #[test]
    fn stop_at_gives_a_witness_of_that_size(
        m in arb_matrix(50), s in 0usize..60, small in any::<bool>(), blk in arb_blocking(),
    ) {
        let full = rank_mod_p_plain(&m).rank;
        let r = if small { rank_with_blocking(&m, Some(s), &blk) } else { rank_mod_p(&m, Some(s)) };
        prop_assert_eq!(r.rank, s.min(full));
        assert_witness(&m, &r);
    }

    #[test]
    fn rank_of_transpose_is_the_same(m in arb_matrix(60), blk in arb_blocking()) {
        let t = m.transpose();
        let r = rank_mod_p(&m, None);
        let rt = rank_with_blocking(&t, None, &blk);
        prop_assert_eq!(r.rank, rt.rank);
        assert_witness(&t, &rt);
    }

    #[test]
    fn rank_is_invariant_under_permutations(m in arb_matrix(60), seed in any::<u64>()) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut rows: Vec<usize> = (0..m.nrows).collect();
        let mut cols: Vec<usize> = (0..m.ncols).collect();
        rows.shuffle(&mut rng);
        cols.shuffle(&mut rng);
        let pm = m.minor(&rows, &cols);
        let r = rank_mod_p(&pm, None);
        prop_assert_eq!(r.rank, rank_mod_p(&m, None).rank);
        assert_witness(&pm, &r);
    }

    /// The matrix product against a naive one, with long dot products of extreme entries.
    #[test]
    fn gemm_sub_matches_naive(
        m in 1usize..=24, n in 1usize..=24, k in 1usize..=300, kind in 0u8..3, seed in any::<u64>(),
        cfg in arb_gemm_config(),
    ) {
        assert_gemm_matches_naive(m, n, k, kind, seed, cfg);
    }

    /// The triangular solve against the naive forward substitution.
    #[test]
    fn trsm_matches_naive(
        k in 1usize..=80, n in 1usize..=20, kind in 0u8..3, seed in any::<u64>(), base in 1usize..=70,
        cfg in arb_gemm_config(),
    ) {
        use super::kernel::{trsm_unit_lower, Workspace};
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        // L in the columns 0..k (shuffled), X in the columns k..k + n, rows 0..k.
        let ld = k + n;
        let mut mat = kernel_operand(k * ld, kind, &mut rng);
        let mut pc: Vec<usize> = (0..k).collect();
        pc.shuffle(&mut rng);
        let mut expected = mat.clone();
        for i in 0..k {
            for j in 0..n {
                let mut s = 0;
                for t in 0..i {
                    s = add(s, mul(mat[i * ld + pc[t]], expected[t * ld + k + j]));
                }
                expected[i * ld + k + j] = sub(expected[i * ld + k + j], s);
            }
        }
        let mut ws = Workspace::new(cfg);
        trsm_unit_lower(&mut mat, ld, 0, &pc, k, n, base, &mut ws);
        prop_assert_eq!(mat, expected);
    }

    // ------------------------------------------------------------ arithmetic

    #[test]
    fn mul_add_sub_match_u128(a in 0..PRIME, b in 0..PRIME) {
        prop_assert_eq!(mul(a, b) as u128, a as u128 * b as u128 % P128);
        prop_assert_eq!(add(a, b) as u128, (a as u128 + b as u128) % P128);
        prop_assert_eq!(sub(a, b) as u128, (a as u128 + P128 - b as u128) % P128);
    }

    #[test]
    fn mul_accepts_any_u64(a in any::<u64>(), b in any::<u64>()) {
        prop_assert_eq!(mul(a, b) as u128, a as u128 * b as u128 % P128);
    }

    #[test]
    fn reductions_match_remainder(x in any::<u128>(), y in any::<u64>()) {
        prop_assert_eq!(reduce(x) as u128, x % P128);
        prop_assert_eq!(reduce_u64(y), y % PRIME);
    }

    #[test]
    fn inverse_is_inverse(a in 1..PRIME) {
        let b = inv(a);
        prop_assert!(b < PRIME);
        prop_assert_eq!(a as u128 * b as u128 % P128, 1);
    }

    #[test]
    fn residue_matches_euclidean_remainder(x in any::<i64>()) {
        prop_assert_eq!(residue(x) as i128, (x as i128).rem_euclid(PRIME as i128));
    }
}

#[test]
fn arithmetic_edge_cases() {
    let edges = [0, 1, 2, PRIME - 2, PRIME - 1, 1 << 60, (1 << 61) - 2, 12345];
    for &a in &edges {
        for &b in &edges {
            assert_eq!(mul(a, b) as u128, a as u128 * b as u128 % P128);
            assert_eq!(add(a, b) as u128, (a as u128 + b as u128) % P128);
            assert_eq!(sub(a, b) as u128, (a as u128 + P128 - b as u128) % P128);
        }
        if a != 0 {
            assert_eq!(mul(a, inv(a)), 1);
        }
    }
    for x in [
        u128::MAX,
        u128::MAX - 1,
        P128 * P128,
        P128,
        P128 - 1,
        1 << 122,
        (1 << 127) + 5,
    ] {
        assert_eq!(reduce(x) as u128, x % P128);
    }
    for x in [u64::MAX, PRIME, PRIME + 1, 2 * PRIME, 3 * PRIME + 7, (1 << 63) + 1] {
        assert_eq!(reduce_u64(x), x % PRIME);
    }
    assert_eq!(residue(-1), PRIME - 1);
    assert_eq!(residue(i64::MIN), PRIME - ((1u64 << 63) % PRIME));
    assert_eq!(residue(i64::MAX), (i64::MAX as u64) % PRIME);
    assert_eq!(residue(-(PRIME as i64)), 0);
    assert_eq!(residue(-(PRIME as i64) - 5), PRIME - 5);
    assert_eq!(inv(PRIME - 1), PRIME - 1);
}

#[test]
fn inverse_of_zero_is_zero() {
    // Fermat's formula gives 0^(PRIME - 2) = 0; callers invert non-zero pivots only.
    assert_eq!(inv(0), 0);
}

#[test]
fn small_known_cases() {
    let cases: [(usize, usize, Vec<i64>, usize); 7] = [
        (0, 0, vec![], 0),
        (0, 5, vec![], 0),
        (3, 0, vec![], 0),
        (2, 2, vec![1, 2, 2, 4], 1),
        (2, 3, vec![0, 0, 5, 0, 0, 7], 1),
        (3, 3, vec![1, 0, 0, 0, 1, 0, 0, 0, 1], 3),
        // det = PRIME: non-singular over Q, singular mod PRIME.
        (2, 2, vec![PRIME as i64, 1, 0, 1], 1),
    ];
    for (nr, nc, e, rank) in cases {
        let m = ModMatrix::from_i64(nr, nc, &e);
        let r = rank_mod_p(&m, None);
        assert_eq!(r.rank, rank, "{m:?}");
        assert_witness(&m, &r);
        assert_eq!(rank_mod_p_plain(&m).rank, rank);
    }
    // Entries >= PRIME are read as residues.
    let m = ModMatrix {
        nrows: 2,
        ncols: 2,
        entries: vec![PRIME, PRIME + 1, 2 * PRIME, u64::MAX],
    };
    assert_eq!(rank_mod_p(&m, None).rank, rank_mod_p_plain(&m).rank);
    assert_eq!(rank_mod_p(&m, None).rank, 1);
}

/// Sizes around the default block sizes (panel 16, triangular base 32, fold 32, `f64` `kc` 128
/// and `mc` 64, portable `mc` 128), with the default tuning and each `f64` kernel, for dense,
/// rank-deficient and duplicated matrices.
#[test]
fn block_boundaries_with_default_blocking() {
    for blk in &DEFAULT_BOTH_KERNELS {
        block_boundaries(blk);
    }
}

fn block_boundaries(blk: &Blocking) {
    let mut seed = 1;
    for n in [15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129] {
        for (nr, nc) in [(n, n), (n, n + 1), (n + 1, n), (n - 1, 2 * n + 1), (2 * n + 1, n - 1)] {
            for kind in [
                Kind::Dense,
                Kind::LowRank { r: n / 2, zero_pct: 0 },
                Kind::LowRank { r: n - 1, zero_pct: 50 },
                Kind::Duplicated { r: n - 2 },
                Kind::Sparse { zero_pct: 97 },
            ] {
                seed += 1;
                assert_agrees(&make_matrix(nr, nc, kind, seed), blk);
            }
        }
    }
}

/// Larger matrices that exercise the full cache blocking of the product (`kc = 128`,
/// `mc = 64` for the `f64` kernels) with the default tuning and each `f64` kernel.
#[test]
fn larger_matrices_with_default_blocking() {
    for (nr, nc, kind, seed) in [
        (300, 300, Kind::Dense, 1),
        (300, 290, Kind::LowRank { r: 270, zero_pct: 0 }, 2),
        (260, 530, Kind::LowRank { r: 257, zero_pct: 20 }, 3),
        (530, 260, Kind::Duplicated { r: 200 }, 4),
    ] {
        let m = make_matrix(nr, nc, kind, seed);
        for blk in &DEFAULT_BOTH_KERNELS {
            assert_agrees(&m, blk);
        }
        let s = m.nrows.min(m.ncols) / 3;
        let r = rank_mod_p(&m, Some(s));
        assert_eq!(r.rank, s);
        assert_witness(&m, &r);
    }
}

/// The tests that use [`DEFAULT_BOTH_KERNELS`] run both `f64` kernels on a CPU that has them
/// (and the fastest available elsewhere).
#[test]
fn default_tunings_select_each_f64_kernel() {
    use super::kernel::Workspace;
    #[cfg(target_arch = "x86_64")]
    let (avx512, avx2) = (
        std::arch::is_x86_feature_detected!("avx512f"),
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma"),
    );
    #[cfg(not(target_arch = "x86_64"))]
    let (avx512, avx2) = (false, false);
    let without_avx512 = if avx2 { "avx2" } else { "portable" };
    let [first, second] = DEFAULT_BOTH_KERNELS.map(|blk| Workspace::new(blk.gemm).kernel_name());
    assert_eq!(first, if avx512 { "avx512" } else { without_avx512 });
    assert_eq!(second, without_avx512);
}

/// The product at sizes around the micro-tiles (`4 x 8` with AVX-512, `6 x 8` with AVX2, `2 x 2`
/// portable) and the cache blocks (`kc`, `mc`, `nc`, and the largest exact `kc`, 256), with
/// each kernel, directly and below a level of Strassen, against the naive product.
#[test]
fn gemm_tile_and_block_boundaries_with_each_kernel() {
    let small = GemmBlocking { kc: 16, mc: 12, nc: 16 };
    let mut seed = 0;
    for (simd, allow_avx512) in [(Some(small), true), (Some(small), false), (None, false)] {
        for strassen_min in [usize::MAX, 12] {
            let cfg = GemmConfig {
                scalar: small,
                simd,
                allow_avx512,
                simd_min_k: 1,
                strassen_min,
            };
            for m in [1, 3, 4, 5, 6, 7, 11, 12, 13, 25] {
                for n in [1, 7, 8, 9, 15, 16, 17, 33] {
                    for k in [1, 15, 16, 17, 33] {
                        seed += 1;
                        assert_gemm_matches_naive(m, n, k, (seed % 3) as u8, seed, cfg);
                    }
                }
            }
        }
        // kc above 256 is cut to 256, where the f64 sums are closest to 2^52: extreme entries.
        let cfg = GemmConfig {
            scalar: small,
            simd: simd.map(|b| GemmBlocking { kc: 1000, ..b }),
            allow_avx512,
            simd_min_k: 1,
            strassen_min: usize::MAX,
        };
        for (m, n) in [(4, 8), (6, 8), (7, 9)] {
            for k in [255, 256, 257, 513] {
                seed += 1;
                assert_gemm_matches_naive(m, n, k, 1, seed, cfg);
            }
        }
    }
}

/// Entries close to `PRIME - 1` make every product and limb as large as it can be: this checks
/// the bounds of the delayed reductions (63 products per `u128` in the portable kernel, sums
/// `< 2^52` with `kc = 256` in the `f64` kernel).
#[test]
fn extreme_entries_do_not_overflow() {
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let mut extreme = |nr: usize, nc: usize| ModMatrix {
        nrows: nr,
        ncols: nc,
        entries: (0..nr * nc).map(|_| PRIME - 1 - rng.gen_range(0..3)).collect(),
    };
    let scalar_long_k = Blocking {
        panel: 4,
        trsm_base: 4,
        gemm: GemmConfig {
            scalar: GemmBlocking { kc: 1000, mc: 8, nc: 8 },
            simd: None,
            allow_avx512: true,
            simd_min_k: 1,
            strassen_min: usize::MAX,
        },
    };
    assert_agrees(&extreme(150, 140), &scalar_long_k);
    let simd_long_k = Blocking {
        gemm: GemmConfig {
            simd: Some(GemmBlocking {
                kc: 256,
                mc: 16,
                nc: 64,
            }),
            ..scalar_long_k.gemm
        },
        ..scalar_long_k
    };
    assert_agrees(&extreme(150, 140), &simd_long_k);
    let avx2_long_k = Blocking {
        gemm: GemmConfig {
            allow_avx512: false,
            ..simd_long_k.gemm
        },
        ..simd_long_k
    };
    assert_agrees(&extreme(150, 140), &avx2_long_k);
    // The default path, with products of 260 terms (and Strassen on the 520 x 520 one).
    assert_agrees(&extreme(520, 520), &Blocking::DEFAULT);
}
