//! Dense tensors over any scalar, their shapes and multi-indices, matricization, and the
//! matrix types a matricization is stored in: dense row-major, or sparse rows of non-zeros.
//! Indices are 0-based here; certificates and case files show them 1-based. Row and column
//! numbers of a matricization are big-endian: the first listed mode varies slowest (SPEC §1).

use std::fmt;

/// A dense tensor, entries stored big-endian (the last index varies fastest).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tensor<T> {
    shape: Vec<usize>,
    entries: Vec<T>,
}

impl<T> Tensor<T> {
    /// A tensor from its shape and entries in big-endian order; `None` if the counts disagree.
    pub fn from_entries(shape: Vec<usize>, entries: Vec<T>) -> Option<Self> {
        (entries.len() == element_count(&shape)?).then_some(Tensor { shape, entries })
    }

    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    pub fn order(&self) -> usize {
        self.shape.len()
    }

    pub fn entries(&self) -> &[T] {
        &self.entries
    }

    /// The entry at a multi-index (0-based). Panics if the index is outside the shape.
    pub fn get(&self, index: &[usize]) -> &T {
        &self.entries[linear_index(&self.shape, index)]
    }
}

/// Number of entries of a shape, `None` on overflow.
pub fn element_count(shape: &[usize]) -> Option<usize> {
    shape.iter().try_fold(1usize, |acc, &n| acc.checked_mul(n))
}

/// Big-endian position of `index` in `shape`.
pub fn linear_index(shape: &[usize], index: &[usize]) -> usize {
    debug_assert_eq!(shape.len(), index.len());
    shape.iter().zip(index).fold(0, |acc, (&n, &i)| {
        debug_assert!(i < n);
        acc * n + i
    })
}

/// The multi-index at big-endian position `pos` of `shape` (the inverse of `linear_index`).
pub fn index_of(shape: &[usize], mut pos: usize) -> Vec<usize> {
    let mut index = vec![0; shape.len()];
    for (slot, &n) in index.iter_mut().zip(shape).rev() {
        *slot = pos % n.max(1);
        pos /= n.max(1);
    }
    index
}

/// Advances `index` to the next multi-index of `shape` in big-endian order; false after the last.
pub fn next_index(shape: &[usize], index: &mut [usize]) -> bool {
    for (slot, &n) in index.iter_mut().zip(shape).rev() {
        *slot += 1;
        if *slot < n {
            return true;
        }
        *slot = 0;
    }
    false
}

/// A split of the modes `0..d` into ordered row modes and column modes (a partition, checked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matricization {
    rows: Vec<usize>,
    cols: Vec<usize>,
}

impl Matricization {
    /// Checks that `rows` and `cols` together list every mode of `0..d` exactly once.
    pub fn new(rows: Vec<usize>, cols: Vec<usize>, d: usize) -> Result<Self, String> {
        let mut seen = vec![false; d];
        for &m in rows.iter().chain(&cols) {
            match seen.get_mut(m) {
                None => return Err(format!("mode {} does not exist in an order-{d} tensor", m + 1)),
                Some(true) => return Err(format!("mode {} is listed twice", m + 1)),
                Some(s) => *s = true,
            }
        }
        match seen.iter().position(|s| !s) {
            Some(m) => Err(format!("mode {} is neither a row nor a column mode", m + 1)),
            None => Ok(Matricization { rows, cols }),
        }
    }

    /// Rows `(1, 3, ..., d-1)`, columns `(2, 4, ..., d)` (1-based), as in the proofs.
    pub fn odd_even(d: usize) -> Self {
        Matricization {
            rows: (0..d).step_by(2).collect(),
            cols: (1..d).step_by(2).collect(),
        }
    }

    /// Rows `(1..k)`, columns `(k+1..d)` (1-based): the k-th sequential unfolding.
    pub fn sequential(k: usize, d: usize) -> Self {
        Matricization {
            rows: (0..k).collect(),
            cols: (k..d).collect(),
        }
    }

    pub fn rows(&self) -> &[usize] {
        &self.rows
    }

    pub fn cols(&self) -> &[usize] {
        &self.cols
    }

    /// The full multi-index of the entry at (row multi-index, column multi-index).
    pub fn join(&self, row: &[usize], col: &[usize]) -> Vec<usize> {
        let mut index = vec![0; self.rows.len() + self.cols.len()];
        for (&m, &i) in self.rows.iter().zip(row).chain(self.cols.iter().zip(col)) {
            index[m] = i;
        }
        index
    }

    /// Row and column shapes of the matricization of a tensor of `shape`.
    pub fn split_shape(&self, shape: &[usize]) -> (Vec<usize>, Vec<usize>) {
        (
            self.rows.iter().map(|&m| shape[m]).collect(),
            self.cols.iter().map(|&m| shape[m]).collect(),
        )
    }
}

/// 1-based display: `(1,3),(2,4)`.
impl fmt::Display for Matricization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{}", OneBased(&self.rows), OneBased(&self.cols))
    }
}

/// Shows 0-based positions as a 1-based tuple `(1,3,5)`.
pub struct OneBased<'a>(pub &'a [usize]);

impl fmt::Display for OneBased<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        for (n, i) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str(",")?;
            }
            write!(f, "{}", i + 1)?;
        }
        f.write_str(")")
    }
}

/// Dense row-major matrices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matrix<T> {
    pub nrows: usize,
    pub ncols: usize,
    /// Row-major: entry (i, j) is `entries[i * ncols + j]`.
    pub entries: Vec<T>,
}

impl<T> Matrix<T> {
    pub fn get(&self, i: usize, j: usize) -> &T {
        &self.entries[i * self.ncols + j]
    }

    pub fn row(&self, i: usize) -> &[T] {
        &self.entries[i * self.ncols..(i + 1) * self.ncols]
    }
}

impl<T: Clone> Matrix<T> {
    pub fn transpose(&self) -> Matrix<T> {
        let entries = (0..self.ncols)
            .flat_map(|j| (0..self.nrows).map(move |i| (i, j)))
            .map(|(i, j)| self.get(i, j).clone())
            .collect();
        Matrix {
            nrows: self.ncols,
            ncols: self.nrows,
            entries,
        }
    }
}

/// A matrix by its non-zero entries: `rows[i]` lists `(column, entry)` of row `i` with strictly
/// increasing columns below `ncols`, no entry zero; `rows.len() == nrows`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SparseMatrix<T> {
    pub nrows: usize,
    pub ncols: usize,
    pub rows: Vec<Vec<(usize, T)>>,
}

/// The matricization `X^{(rows, cols)}` of `tensor`, row and column numbers big-endian.
///
/// The matrix is the tensor with its modes reordered to `rows` then `cols`, read big-endian: it
/// is copied with the tensor's strides, modes that stay adjacent merged into one run, the last
/// run copied as a slice when it is contiguous.
pub fn matricize<T: Clone>(tensor: &Tensor<T>, m: &Matricization) -> Matrix<T> {
    let shape = tensor.shape();
    let (row_shape, col_shape) = m.split_shape(shape);
    let nrows: usize = row_shape.iter().product();
    let ncols: usize = col_shape.iter().product();
    let mut entries = Vec::with_capacity(nrows * ncols);
    if nrows * ncols > 0 {
        let strides: Vec<usize> = (0..shape.len()).map(|k| shape[k + 1..].iter().product()).collect();
        // (size, stride) of the runs in output order; a run followed by a mode whose block it
        // steps over exactly (stride = size * stride of the mode) absorbs that mode.
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for &mode in m.rows().iter().chain(m.cols()).filter(|&&mode| shape[mode] > 1) {
            let (n, s) = (shape[mode], strides[mode]);
            match runs.last_mut() {
                Some((size, stride)) if *stride == n * s => (*size, *stride) = (*size * n, s),
                _ => runs.push((n, s)),
            }
        }
        let (inner, step) = runs.pop().unwrap_or((1, 1));
        let source = tensor.entries();
        let mut index = vec![0; runs.len()];
        let mut offset = 0;
        'copy: loop {
            if step == 1 {
                entries.extend_from_slice(&source[offset..offset + inner]);
            } else {
                entries.extend((0..inner).map(|i| source[offset + i * step].clone()));
            }
            for (slot, &(size, stride)) in index.iter_mut().zip(&runs).rev() {
                *slot += 1;
                offset += stride;
                if *slot < size {
                    continue 'copy;
                }
                *slot = 0;
                offset -= size * stride;
            }
            break;
        }
    }
    Matrix { nrows, ncols, entries }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn odd_even_of_order_four_by_hand() {
        // X[i1,i2,i3,i4] = 8 i1 + 4 i2 + 2 i3 + i4 on {0,1}^4; rows (i1,i3), cols (i2,i4).
        let t = Tensor::from_entries(vec![2; 4], (0..16).collect()).unwrap();
        let m = matricize(&t, &Matricization::odd_even(4));
        assert_eq!(m.row(0), &[0, 1, 4, 5]);
        assert_eq!(m.row(1), &[2, 3, 6, 7]);
        assert_eq!(m.row(3), &[10, 11, 14, 15]);
    }

    #[test]
    fn matricization_must_be_a_partition() {
        assert!(Matricization::new(vec![0, 2], vec![1], 3).is_ok());
        assert_eq!(
            Matricization::new(vec![0, 0], vec![1], 2).unwrap_err(),
            "mode 1 is listed twice"
        );
        assert_eq!(
            Matricization::new(vec![0], vec![], 2).unwrap_err(),
            "mode 2 is neither a row nor a column mode"
        );
        assert!(Matricization::new(vec![0], vec![5], 2).is_err());
    }

    fn shape_and_perm() -> impl Strategy<Value = (Vec<usize>, Vec<usize>, usize)> {
        prop::collection::vec(1usize..4, 1..5).prop_flat_map(|shape| {
            let d = shape.len();
            (Just(shape), Just((0..d).collect::<Vec<_>>()).prop_shuffle(), 0..=d)
        })
    }

    /// The rows of a matrix with distinct entries, each as a set, as a multiset: equal for two
    /// matrices (and their transposes) exactly when one is a row/column permutation of the other.
    fn sorted_lines(m: &Matrix<usize>) -> Vec<Vec<usize>> {
        let mut lines: Vec<Vec<usize>> = (0..m.nrows)
            .map(|r| {
                let mut v = m.row(r).to_vec();
                v.sort_unstable();
                v
            })
            .collect();
        lines.sort();
        lines
    }

    proptest! {
        /// The strided copy gives entry `(r, c)` the tensor's entry at `join(row index, column
        /// index)`, the definition of a matricization.
        #[test]
        fn matricize_follows_the_definition((shape, perm, split) in shape_and_perm()) {
            let total = element_count(&shape).unwrap();
            let t = Tensor::from_entries(shape.clone(), (0..total).collect()).unwrap();
            let m = Matricization::new(perm[..split].to_vec(), perm[split..].to_vec(), shape.len()).unwrap();
            let x = matricize(&t, &m);
            let (row_shape, col_shape) = m.split_shape(&shape);
            prop_assert_eq!(x.entries.len(), total);
            for r in 0..x.nrows {
                for c in 0..x.ncols {
                    let index = m.join(&index_of(&row_shape, r), &index_of(&col_shape, c));
                    prop_assert_eq!(x.get(r, c), t.get(&index));
                }
            }
        }
    }

    proptest! {
        /// Permuting the modes of a tensor permutes the rows and columns of a matricization.
        #[test]
        fn matricization_of_permuted_tensor_is_a_permutation((shape, perm, split) in shape_and_perm()) {
            let d = shape.len();
            let total = element_count(&shape).unwrap();
            let t = Tensor::from_entries(shape.clone(), (0..total).collect()).unwrap();
            // Y[j] = X[i] with i[perm[m]] = j[m]: Y's mode m is X's mode perm[m].
            let pshape: Vec<usize> = perm.iter().map(|&p| shape[p]).collect();
            let mut entries = Vec::with_capacity(total);
            let mut j = vec![0; d];
            for _ in 0..total {
                let mut i = vec![0; d];
                for m in 0..d { i[perm[m]] = j[m]; }
                entries.push(*t.get(&i));
                next_index(&pshape, &mut j);
            }
            let y = Tensor::from_entries(pshape, entries).unwrap();
            let mx = matricize(&t, &Matricization::sequential(split, d));
            // The same split in Y's modes, listed in X's order: the very same matrix.
            let inv: Vec<usize> = (0..d).map(|x| perm.iter().position(|&p| p == x).unwrap()).collect();
            let rows: Vec<usize> = (0..split).map(|x| inv[x]).collect();
            let cols: Vec<usize> = (split..d).map(|x| inv[x]).collect();
            prop_assert_eq!(&matricize(&y, &Matricization::new(rows.clone(), cols.clone(), d).unwrap()), &mx);
            // Listed in Y's own (sorted) order: a row and column permutation of it.
            let (mut rows, mut cols) = (rows, cols);
            rows.sort_unstable();
            cols.sort_unstable();
            let my = matricize(&y, &Matricization::new(rows, cols, d).unwrap());
            prop_assert_eq!(sorted_lines(&mx), sorted_lines(&my));
            prop_assert_eq!(sorted_lines(&mx.transpose()), sorted_lines(&my.transpose()));
        }
    }
}
