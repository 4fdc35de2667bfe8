//! The identity-submatrix claim: restricted to indices `1..q`, a matricization is the identity.
//! Decided entry by entry on the box `[q]^d` only, never on the whole tensor.

use super::{Evidence, Outcome, Verdict};
use crate::field::Q;
use crate::network::TensorTrain;
use crate::tensor::{next_index, Matricization};
use num_traits::{One, Zero};

pub fn decide(train: &TensorTrain, matricization: &Matricization, q: usize) -> Outcome {
    let d = train.order();
    let block = train.contract_box(&vec![q; d]);
    let rows = q.pow(matricization.rows().len() as u32);
    let cols = q.pow(matricization.cols().len() as u32);
    if rows != cols {
        return Outcome {
            verdict: Verdict::Fails,
            evidence: Evidence::NotSquare { q, rows, cols },
        };
    }
    let (row_shape, col_shape) = matricization.split_shape(block.shape());
    // Row and column numbers, not the multi-indices: the two sides may have different numbers
    // of modes (q = 1, or rows (1) and columns (2,3) at q = 1 give a 1 x 1 block).
    let (mut row, mut r) = (vec![0; row_shape.len()], 0usize);
    loop {
        let (mut col, mut c) = (vec![0; col_shape.len()], 0usize);
        loop {
            let index = matricization.join(&row, &col);
            let expected = if r == c { Q::one() } else { Q::zero() };
            let actual = block.get(&index);
            if *actual != expected {
                let evidence = Evidence::EntryDiffers {
                    index,
                    expected,
                    actual: actual.clone(),
                };
                return Outcome {
                    verdict: Verdict::Fails,
                    evidence,
                };
            }
            if !next_index(&col_shape, &mut col) {
                break;
            }
            c += 1;
        }
        if !next_index(&row_shape, &mut row) {
            break;
        }
        r += 1;
    }
    Outcome {
        verdict: Verdict::Holds,
        evidence: Evidence::IdentityBlock { q, size: rows },
    }
}
