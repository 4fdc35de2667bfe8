//! A tensor train's matricization built from its cores' support, never forming the dense
//! tensor: the non-zero partial products `G_1[1,i_1,:] ... G_k[:,i_k,:]` are carried prefix by
//! prefix, only at the bond values from which a non-zero path still reaches the right end, and
//! the tensor's non-zero entries are placed at their row and column. It owns that construction
//! and the count of what it stores; it decides no claim and knows nothing of memory limits.
//!
//! What it stores: a kept partial product at bond value `a_k` after the prefix `(i_1..i_k)` lies
//! on some non-zero path `(i_1, a_1, ..., a_k)` that extends to a whole non-zero path, and
//! distinct kept products extend to distinct whole paths; so each level keeps at most
//! `TensorTrain::support_paths` products, and the tensor has at most as many non-zero entries.

use super::TensorTrain;
use crate::field::Scalar;
use crate::tensor::{Matricization, SparseMatrix};
use std::mem;

/// Where each mode's index moves a row or column number: the matricization's numbers are
/// big-endian over its listed row (column) modes, so mode `m` adds `i_m * stride[m]` to the
/// row number when `is_row[m]`, else to the column number.
struct Placement {
    nrows: usize,
    ncols: usize,
    is_row: Vec<bool>,
    stride: Vec<usize>,
}

impl Placement {
    /// `None` when the row or column count does not fit a `usize`.
    fn new(shape: &[usize], m: &Matricization) -> Option<Placement> {
        let mut is_row = vec![false; shape.len()];
        let mut stride = vec![0; shape.len()];
        let mut side = |modes: &[usize], row: bool| {
            modes.iter().rev().try_fold(1usize, |count, &mode| {
                is_row[mode] = row;
                stride[mode] = count;
                count.checked_mul(shape[mode])
            })
        };
        let nrows = side(m.rows(), true)?;
        let ncols = side(m.cols(), false)?;
        Some(Placement {
            nrows,
            ncols,
            is_row,
            stride,
        })
    }

    /// The numbers `(row, column)` of a prefix extended by index `i` of mode `mode`.
    fn extend(&self, (row, col): (usize, usize), mode: usize, i: usize) -> (usize, usize) {
        if self.is_row[mode] {
            (row + i * self.stride[mode], col)
        } else {
            (row, col + i * self.stride[mode])
        }
    }
}

/// An upper bound on the entries `matricize_support` stores at once (saturating): the
/// non-zero paths (each level's partial products, and the matrix's non-zero entries), plus one
/// per row and column (the row lists, and the elimination's per-row and per-column
/// bookkeeping). `None` when the row or column count does not fit a `usize`.
pub fn stored_entries<S: Scalar>(train: &TensorTrain<S>, m: &Matricization) -> Option<u128> {
    let place = Placement::new(&train.mode_sizes(), m)?;
    Some(
        train
            .support_paths()
            .saturating_add(place.nrows as u128)
            .saturating_add(place.ncols as u128),
    )
}

/// `alive[k][a]`: from bond value `a` at bond `k` (0..=d) a path of non-zero core entries
/// reaches the right end.
fn alive<S: Scalar>(train: &TensorTrain<S>) -> Vec<Vec<bool>> {
    let mut alive = vec![vec![true]];
    for core in train.cores().iter().rev() {
        let later = alive.last().expect("starts non-empty");
        let mut here = vec![false; core.left];
        for (a, _, b, _) in core.nonzeros() {
            here[a] |= later[b];
        }
        alive.push(here);
    }
    alive.reverse();
    alive
}

/// The matricization `X^(m)` of the train's tensor by its non-zero entries, equal entry by
/// entry to `matricize(&train.contract(), m)`; `None` when its row or column count does not fit
/// a `usize`.
pub fn matricize_support<S: Scalar>(train: &TensorTrain<S>, m: &Matricization) -> Option<SparseMatrix<S>> {
    let place = Placement::new(&train.mode_sizes(), m)?;
    let alive = alive(train);
    // (row, column) of the prefix, bond value, partial product: prefixes in big-endian order,
    // bond values increasing within one, only non-zero products at live bond values.
    let mut states: Vec<((usize, usize), usize, S)> = Vec::new();
    if alive[0][0] {
        states.push(((0, 0), 0, S::one_value()));
    }
    let width = train.cores().iter().map(|c| c.right).max().unwrap_or(1);
    let mut sums = vec![S::zero_value(); width];
    let mut touched = vec![false; width];
    let mut bonds = Vec::with_capacity(width);
    for (k, core) in train.cores().iter().enumerate() {
        let mut next = Vec::new();
        let mut start = 0;
        while start < states.len() {
            let prefix = states[start].0;
            let end = start + states[start..].iter().take_while(|s| s.0 == prefix).count();
            for i in 0..core.modes {
                for (_, a, x) in &states[start..end] {
                    for (b, g) in core.row_nonzeros(*a, i).filter(|&(b, _)| alive[k + 1][b]) {
                        if !mem::replace(&mut touched[b], true) {
                            bonds.push(b);
                        }
                        sums[b].add_product(x, g);
                    }
                }
                bonds.sort_unstable();
                let here = place.extend(prefix, k, i);
                for b in bonds.drain(..) {
                    touched[b] = false;
                    let sum = mem::replace(&mut sums[b], S::zero_value());
                    if !sum.vanishes() {
                        next.push((here, b, sum));
                    }
                }
            }
            start = end;
        }
        states = next;
    }
    let mut rows: Vec<Vec<(usize, S)>> = (0..place.nrows).map(|_| Vec::new()).collect();
    for ((row, col), _, value) in states {
        rows[row].push((col, value));
    }
    for row in &mut rows {
        row.sort_unstable_by_key(|&(col, _)| col);
    }
    Some(SparseMatrix {
        nrows: place.nrows,
        ncols: place.ncols,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::super::strategies::{copy_train, core, random_train};
    use super::*;
    use crate::field::{q_int, Q};
    use crate::linalg::{rank, rank_sparse};
    use crate::tensor::{matricize, Matrix};
    use proptest::prelude::*;

    /// The dense matrix with the entries of `m` and zeros elsewhere.
    fn densify(m: &SparseMatrix<Q>) -> Matrix<Q> {
        let mut entries = vec![q_int(0); m.nrows * m.ncols];
        for (i, row) in m.rows.iter().enumerate() {
            for (j, v) in row {
                entries[i * m.ncols + j] = v.clone();
            }
        }
        Matrix {
            nrows: m.nrows,
            ncols: m.ncols,
            entries,
        }
    }

    /// A train with a matricization of it: odd/even, a sequential unfolding, or the modes
    /// shuffled and split anywhere (rows and columns listed in any order).
    fn train_and_split() -> impl Strategy<Value = (TensorTrain, Matricization)> {
        random_train(true).prop_flat_map(|t| {
            let d = t.order();
            let shuffled = (Just((0..d).collect::<Vec<_>>()).prop_shuffle(), 0..=d)
                .prop_map(move |(p, s)| Matricization::new(p[..s].to_vec(), p[s..].to_vec(), d).expect("a partition"));
            let m = prop_oneof![
                Just(Matricization::odd_even(d)),
                (0..=d).prop_map(move |k| Matricization::sequential(k, d)),
                shuffled,
            ];
            (Just(t), m)
        })
    }

    #[test]
    fn copy_tensor_by_hand() {
        // n = r = 3: X = sum_i e_i (x) e_i (x) e_i (x) e_i. A non-zero path has a_k = i_k = i_1 throughout,
        // so there are 3, and X^((1,3),(2,4)) (9 x 9) has its 3 ones at rows and columns
        // 3 i + i = 0, 4, 8: rank 3 on exactly those rows and columns. Stored: 3 paths, 9 rows,
        // 9 columns.
        let t = copy_train(3, 4);
        let m = Matricization::odd_even(4);
        assert_eq!(t.support_paths(), 3);
        assert_eq!(stored_entries(&t, &m), Some(3 + 9 + 9));
        let sparse = matricize_support(&t, &m).unwrap();
        let ones: Vec<Vec<(usize, Q)>> = (0..9)
            .map(|r| if r % 4 == 0 { vec![(r, q_int(1))] } else { vec![] })
            .collect();
        assert_eq!(sparse.rows, ones);
        let witness = rank_sparse(&sparse);
        assert_eq!(
            (witness.rank, &witness.rows, &witness.cols),
            (3, &vec![0, 4, 8], &vec![0, 4, 8])
        );
    }

    #[test]
    fn rows_or_columns_past_usize_are_refused() {
        // 2^70 rows: no matricization, no estimate; the dense route refuses it by its size.
        let bit = core(1, 2, 1, &[1, 1]);
        let t = TensorTrain::new(vec![bit; 140]).unwrap();
        let m = Matricization::sequential(70, 140);
        assert_eq!(stored_entries(&t, &m), None);
        assert!(matricize_support(&t, &m).is_none());
    }

    proptest! {
        /// Built from the support, the matricization equals the dense one entry by entry, has
        /// at most as many non-zeros as non-zero paths, and its rank evidence is the dense one's.
        #[test]
        fn support_matricization_is_the_dense_one((t, m) in train_and_split()) {
            let dense = matricize(&t.contract(), &m);
            let sparse = matricize_support(&t, &m).unwrap();
            prop_assert!(sparse.rows.iter().flatten().all(|(_, v)| *v != q_int(0)));
            prop_assert!(sparse.rows.iter().all(|row| row.windows(2).all(|w| w[0].0 < w[1].0)));
            prop_assert_eq!(&densify(&sparse), &dense);
            let nonzeros = sparse.rows.iter().map(Vec::len).sum::<usize>() as u128;
            prop_assert!(nonzeros <= t.support_paths());
            prop_assert_eq!(rank_sparse(&sparse), rank(&dense));
        }
    }
}
