//! Assembly of a tensor train's matricization by matrix products (`matrixmultiply`'s dgemm),
//! over f64 or over the residues modulo a word prime `p < 2^21` held exactly in f64. It owns the
//! split of the train into a left and a right part, the products that contract each part, the
//! modular product with its reduction, and the conversion of core entries; it does not decide
//! ranks, and the index permutation into a general matricization's layout is `tensor::matricize`'s.
//!
//! The train is split after core `k`: the left part is contracted into `L` of shape
//! `(n_1...n_k) x r_k` by the products `state x core` (the core as `r_{j-1} x (n_j r_j)`), the
//! right part into `R` of shape `r_k x (n_{k+1}...n_d)` likewise from the end, and `L R` is the
//! dense tensor, big-endian. For a sequential unfolding (rows `1..k`, columns `k+1..d`) or its
//! transpose the last product writes the matricization itself; for any other the split is the
//! one of fewest multiplications and `tensor::matricize` permutes the dense tensor.
//!
//! Memory: the output (`N` entries, the tensor's size), plus for a matricization that is not a
//! sequential unfolding or its transpose a second buffer of `N` entries (the dense tensor), plus
//! the partial products `(n_1...n_j) x r_j` (`j <= k`) and `r_j x (n_{j+1}...n_d)` (`j >= k`),
//! two at a time. A partial product is at most `N` entries when `r_j <= n_1...n_j` resp.
//! `r_j <= n_{j+1}...n_d`; at the middle split of `d = 6, n = 10, r = 20` the largest has
//! `2 * 10^4` entries beside `N = 10^6`.

use super::TensorTrain;
use crate::field::Q;
use crate::linalg::modular::reduce_mod;
use crate::tensor::{matricize, Matricization, Matrix, Tensor};
use num_integer::Integer;
use num_traits::ToPrimitive;

/// The arithmetic of an assembly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arith {
    /// Floating point, each core entry rounded to f64 (NaN if it does not fit).
    Real,
    /// Residues modulo the prime `p < 2^21`, exact: every entry of the result is in `[0, p)`.
    ModWord(u64),
}

/// Residue products have an inner dimension of at most this many terms between reductions.
///
/// Exactness: entries are integers in `[0, p)` with `p < 2^21`, so a product of two is at most
/// `(p-1)^2 <= (2^21 - 2)^2 = 2^42 - 2^23 + 4`, and a residue already in the output plus `K`
/// such products is an integer `x <= 2^11 (2^42 - 2^23 + 4) + 2^21 < 2^53 - 2^33`. Every partial
/// sum, in whatever order the product adds the terms (with or without fused multiply-adds), is
/// a non-negative integer at most `x`, hence exactly representable: no step rounds.
const MAX_INNER: usize = 2048;

/// A product's output is computed in blocks of rows of about this many entries, each reduced
/// while it is still in cache.
const BLOCK_ENTRIES: usize = 1 << 15;

impl Arith {
    /// The f64 image of a core entry; `None` for a residue whose denominator `p` divides.
    fn entry(self, q: &Q) -> Option<f64> {
        match self {
            Arith::Real => Some(q.to_f64().unwrap_or(f64::NAN)),
            Arith::ModWord(p) => {
                let modulus = p as i64;
                let residue = |x: &num_bigint::BigInt| match x.to_i64() {
                    Some(small) => Some(small.rem_euclid(modulus)),
                    None => x.mod_floor(&modulus.into()).to_i64(),
                };
                let (numer, denom) = (residue(q.numer())?, residue(q.denom())?);
                let inverse = match denom {
                    1 => 1,
                    _ => {
                        let e = denom.extended_gcd(&modulus);
                        (e.gcd == 1).then(|| e.x.rem_euclid(modulus))?
                    }
                };
                Some((numer * inverse % modulus) as f64)
            }
        }
    }

    /// Reduces every entry of `block`, integers in `[0, 2^53 - 2^33)` (see `MAX_INNER`), to
    /// `[0, p)`, exactly (`linalg::modular::reduce_mod`).
    fn reduce(self, block: &mut [f64]) {
        if let Arith::ModWord(p) = self {
            let p = p as f64;
            for x in block {
                *x = reduce_mod(*x, p);
            }
        }
    }

    /// The terms of the inner dimension summed between two reductions.
    fn chunk(self, inner: usize) -> usize {
        match self {
            Arith::Real => inner.max(1),
            Arith::ModWord(_) => MAX_INNER,
        }
    }

    /// The row-major product `a b` (exact residues in `[0, p)` for `ModWord`).
    fn product(self, a: View, b: View) -> Vec<f64> {
        assert_eq!(a.cols, b.rows, "inner dimensions of a product");
        let (inner, ncols) = (a.cols, b.cols);
        let mut c = vec![0.0; a.rows * ncols];
        if ncols == 0 {
            return c;
        }
        let block_rows = (BLOCK_ENTRIES / ncols).max(1);
        for (block, first_row) in c.chunks_mut(block_rows * ncols).zip((0..).step_by(block_rows)) {
            let a_block = a.rows(first_row, block.len() / ncols);
            let chunk = self.chunk(inner);
            for start in (0..inner).step_by(chunk) {
                let len = chunk.min(inner - start);
                gemm(a_block.cols(start, len), b.rows(start, len), start > 0, block);
                self.reduce(block);
            }
        }
        c
    }
}

/// A matrix `rows x cols` whose entry `(i, j)` is `data[i * row_stride + j * col_stride]`.
#[derive(Clone, Copy)]
struct View<'a> {
    data: &'a [f64],
    rows: usize,
    cols: usize,
    row_stride: usize,
    col_stride: usize,
}

impl<'a> View<'a> {
    fn row_major(data: &'a [f64], rows: usize, cols: usize) -> View<'a> {
        assert_eq!(data.len(), rows * cols, "a row-major matrix's entries");
        View {
            data,
            rows,
            cols,
            row_stride: cols,
            col_stride: 1,
        }
    }

    fn transpose(self) -> View<'a> {
        View {
            rows: self.cols,
            cols: self.rows,
            row_stride: self.col_stride,
            col_stride: self.row_stride,
            ..self
        }
    }

    /// Rows `first..first + count`.
    fn rows(self, first: usize, count: usize) -> View<'a> {
        assert!(first + count <= self.rows);
        View {
            data: &self.data[(first * self.row_stride).min(self.data.len())..],
            rows: count,
            ..self
        }
    }

    /// Columns `first..first + count`.
    fn cols(self, first: usize, count: usize) -> View<'a> {
        self.transpose().rows(first, count).transpose()
    }

    /// Whether every entry lies inside `data`.
    fn in_bounds(&self) -> bool {
        self.rows == 0
            || self.cols == 0
            || (self.rows - 1) * self.row_stride + (self.cols - 1) * self.col_stride < self.data.len()
    }
}

/// `c = a b` (or `c += a b` when `accumulate`), `c` row-major and of the product's shape.
fn gemm(a: View, b: View, accumulate: bool, c: &mut [f64]) {
    let (m, k, n) = (a.rows, a.cols, b.cols);
    assert!(a.in_bounds() && b.in_bounds() && b.rows == k && c.len() == m * n);
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    let stride = |s: usize| isize::try_from(s).expect("strides of an allocated matrix fit isize");
    // SAFETY: the asserts above keep every entry of a, b and c inside its slice, and c's row-major
    // strides `(n, 1)` do not alias; dgemm reads a and b and writes only c.
    unsafe {
        matrixmultiply::dgemm(
            m,
            k,
            n,
            1.0,
            a.data.as_ptr(),
            stride(a.row_stride),
            stride(a.col_stride),
            b.data.as_ptr(),
            stride(b.row_stride),
            stride(b.col_stride),
            if accumulate { 1.0 } else { 0.0 },
            c.as_mut_ptr(),
            stride(n),
            1,
        );
    }
}

/// The matricization `m` of the train's tensor, over `arith`: `None` when `arith` is
/// `ModWord(p)` and a core entry's denominator is divisible by `p`. Panics unless `2 <= p < 2^21`.
pub fn train_matricization(train: &TensorTrain, m: &Matricization, arith: Arith) -> Option<Matrix<f64>> {
    if let Arith::ModWord(p) = arith {
        assert!((2..1 << 21).contains(&p), "a word prime below 2^21, not {p}");
    }
    let cores = train
        .cores()
        .iter()
        .map(|core| core.entries.iter().map(|q| arith.entry(q)).collect())
        .collect::<Option<Vec<Vec<f64>>>>()?;
    let d = train.order();
    let (rows, cols) = (m.rows(), m.cols());
    let sequential = |first: &[usize], second: &[usize]| {
        first.iter().copied().eq(0..first.len()) && second.iter().copied().eq(first.len()..d)
    };
    let direct = if sequential(rows, cols) {
        Some((rows.len(), false))
    } else if sequential(cols, rows) {
        Some((cols.len(), true))
    } else {
        None
    };
    let split = direct.map_or_else(|| cheapest_split(train), |(k, _)| k);
    let (sizes, bond) = (train.mode_sizes(), train.bond_dims()[split]);
    let (left, right) = (
        left_part(train, &cores, split, arith),
        right_part(train, &cores, split, arith),
    );
    let (left, right) = (
        View::row_major(&left, sizes[..split].iter().product(), bond),
        View::row_major(&right, bond, sizes[split..].iter().product()),
    );
    Some(match direct {
        Some((_, false)) => Matrix {
            nrows: left.rows,
            ncols: right.cols,
            entries: arith.product(left, right),
        },
        Some((_, true)) => Matrix {
            nrows: right.cols,
            ncols: left.rows,
            entries: arith.product(right.transpose(), left.transpose()),
        },
        None => {
            let dense = Tensor::from_entries(train.mode_sizes(), arith.product(left, right))
                .expect("the product has one entry per index");
            matricize(&dense, m)
        }
    })
}

/// `G_1 ... G_k` as a row-major `(n_1...n_k) x r_k` matrix (`[1]` for `k = 0`).
fn left_part(train: &TensorTrain, cores: &[Vec<f64>], k: usize, arith: Arith) -> Vec<f64> {
    let (mut state, mut rows) = (vec![1.0], 1);
    for (core, entries) in train.cores()[..k].iter().zip(cores) {
        let (l, n, r) = core.shape();
        state = arith.product(View::row_major(&state, rows, l), View::row_major(entries, l, n * r));
        rows *= n;
    }
    state
}

/// `G_{k+1} ... G_d` as a row-major `r_k x (n_{k+1}...n_d)` matrix (`[1]` for `k = d`).
fn right_part(train: &TensorTrain, cores: &[Vec<f64>], k: usize, arith: Arith) -> Vec<f64> {
    let (mut state, mut cols) = (vec![1.0], 1);
    for (core, entries) in train.cores()[k..].iter().zip(&cores[k..]).rev() {
        let (l, n, r) = core.shape();
        state = arith.product(View::row_major(entries, l * n, r), View::row_major(&state, r, cols));
        cols *= n;
    }
    state
}

/// The split `k` whose left part, right part and last product take the fewest multiplications.
fn cheapest_split(train: &TensorTrain) -> usize {
    let (sizes, bonds) = (train.mode_sizes(), train.bond_dims());
    let d = sizes.len();
    // prefix[j] = n_1...n_j, suffix[j] = n_{j+1}...n_d, in f64 (only compared).
    let product = |modes: &[usize]| modes.iter().map(|&n| n as f64).product::<f64>();
    let prefix: Vec<f64> = (0..=d).map(|j| product(&sizes[..j])).collect();
    let suffix: Vec<f64> = (0..=d).map(|j| product(&sizes[j..])).collect();
    let step = |j: usize| bonds[j] as f64 * sizes[j] as f64 * bonds[j + 1] as f64;
    let cost = |k: usize| {
        let left: f64 = (0..k).map(|j| prefix[j] * step(j)).sum();
        let right: f64 = (k..d).map(|j| step(j) * suffix[j + 1]).sum();
        left + right + prefix[k] * bonds[k] as f64 * suffix[k]
    };
    (0..=d).min_by(|&a, &b| cost(a).total_cmp(&cost(b))).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::super::strategies::random_train;
    use super::super::Core;
    use super::*;
    use crate::field::q_int;
    use num_bigint::BigInt;
    use proptest::prelude::*;

    /// The prime the rank path uses, `2^21 - 9`.
    const P: u64 = 2_097_143;

    /// Every kind of matricization of an order-`d` tensor: the sequential unfoldings, odd/even,
    /// their transposes, and rows and columns in the order of `shuffled` split at `cut`.
    fn matricizations(d: usize, shuffled: &[usize], cut: usize) -> Vec<Matricization> {
        let mut all: Vec<Matricization> = (0..=d).map(|k| Matricization::sequential(k, d)).collect();
        all.push(Matricization::odd_even(d));
        let transposes: Vec<Matricization> = all
            .iter()
            .map(|m| Matricization::new(m.cols().to_vec(), m.rows().to_vec(), d).unwrap())
            .collect();
        all.extend(transposes);
        all.push(Matricization::new(shuffled[..cut].to_vec(), shuffled[cut..].to_vec(), d).unwrap());
        all
    }

    /// A random train with its entries divided by `denominator`, a mode order and a cut.
    fn train_and_split() -> impl Strategy<Value = (TensorTrain, Vec<usize>, usize)> {
        (random_train(false), 1i64..5).prop_flat_map(|(t, den)| {
            let t = t.map(|q| q / q_int(den));
            let d = t.order();
            (Just(t), Just((0..d).collect::<Vec<_>>()).prop_shuffle(), 0..=d)
        })
    }

    /// The residue of `q` mod `p` by Fermat's inverse of the denominator (a second route from
    /// the assembly's extended Euclid).
    fn residue_by_fermat(q: &Q, p: u64) -> f64 {
        let p = BigInt::from(p);
        let inverse = q.denom().modpow(&(&p - 2), &p);
        (q.numer() * inverse).mod_floor(&p).to_f64().unwrap()
    }

    proptest! {
        /// The products agree with entry-by-entry contraction over Q, reduced mod p (a small and
        /// the rank path's prime) or rounded to f64, for every kind of matricization.
        #[test]
        fn products_agree_with_exact_contraction((t, shuffled, cut) in train_and_split()) {
            let exact = t.contract();
            for m in matricizations(t.order(), &shuffled, cut) {
                let reference = matricize(&exact, &m);
                for p in [7, P] {
                    let ours = train_matricization(&t, &m, Arith::ModWord(p)).unwrap();
                    prop_assert_eq!((ours.nrows, ours.ncols), (reference.nrows, reference.ncols));
                    let expected: Vec<f64> = reference.entries.iter().map(|q| residue_by_fermat(q, p)).collect();
                    prop_assert_eq!(&ours.entries, &expected, "{} mod {}", m, p);
                }
                let ours = train_matricization(&t, &m, Arith::Real).unwrap();
                prop_assert_eq!(ours.entries.len(), reference.entries.len());
                for (x, q) in ours.entries.iter().zip(&reference.entries) {
                    let y = q.to_f64().unwrap();
                    prop_assert!((x - y).abs() <= 1e-12 * (1.0 + y.abs()), "{} in f64: {} vs {}", m, x, y);
                }
            }
        }
    }

    /// A bond of 2101 > 2048 with every residue `p - 1`: `G_1[1, 0, :] = -1`, `G_1[1, 1, :] = 1`,
    /// `G_2[:, 0, 1] = -1`, so `X[0, 0] = 2101` and `X[1, 0] = p - 2101`. Unchunked, the last
    /// product would sum `2101 (p-1)^2 > 2^53` in f64, where neither the sum nor its reduction is
    /// exact any more (with the chunk limit raised to 4096 this test gets 2100, not 2101).
    #[test]
    fn a_bond_beyond_2048_is_summed_in_chunks() {
        let bond = 2101;
        let first = Core::from_fn(1, 2, bond, |_, i, _| Ok::<_, ()>(q_int(if i == 0 { -1 } else { 1 }))).unwrap();
        let last = Core::from_fn(bond, 1, 1, |_, _, _| Ok::<_, ()>(q_int(-1))).unwrap();
        let t = TensorTrain::new(vec![first, last]).unwrap();
        assert!(2101.0 * ((P - 1) as f64).powi(2) > 2f64.powi(53));
        for m in [Matricization::sequential(1, 2), Matricization::sequential(0, 2)] {
            let x = train_matricization(&t, &m, Arith::ModWord(P)).unwrap();
            assert_eq!(x.entries, vec![2101.0, (P - 2101) as f64], "{m}");
        }
        let x = train_matricization(&t, &Matricization::sequential(1, 2), Arith::Real).unwrap();
        assert_eq!(x.entries, vec![2101.0, -2101.0]);
    }

    /// `X = (1/2) * 3 = 3/2`, which is `(p + 3) / 2` mod p (twice it is `p + 3`); with `1/p`, or
    /// `1/(2p)`, in place of `1/2` there is no residue.
    #[test]
    fn a_denominator_divisible_by_p_is_refused() {
        let train = |q: Q| {
            let scalar = |v: Q| Core::from_fn(1, 1, 1, |_, _, _| Ok::<_, ()>(v.clone())).unwrap();
            TensorTrain::new(vec![scalar(q), scalar(q_int(3))]).unwrap()
        };
        let m = Matricization::sequential(1, 2);
        let half = train_matricization(&train(Q::new(1.into(), 2.into())), &m, Arith::ModWord(P)).unwrap();
        assert_eq!(half.entries, vec![((P + 3) / 2) as f64]);
        for denominator in [P, 2 * P] {
            let t = train(Q::new(1.into(), denominator.into()));
            assert_eq!(train_matricization(&t, &m, Arith::ModWord(P)), None);
            assert!(train_matricization(&t, &m, Arith::Real).is_some());
        }
    }

    #[test]
    #[should_panic(expected = "a word prime below 2^21")]
    fn a_prime_of_2_21_or_more_is_refused() {
        let t = TensorTrain::new(vec![Core::from_fn(1, 1, 1, |_, _, _| Ok::<_, ()>(q_int(1))).unwrap()]).unwrap();
        train_matricization(&t, &Matricization::sequential(1, 1), Arith::ModWord(1 << 21));
    }
}
