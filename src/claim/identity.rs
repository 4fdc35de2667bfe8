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
    let mut row = vec![0; row_shape.len()];
    loop {
        let mut col = vec![0; col_shape.len()];
        loop {
            let index = matricization.join(&row, &col);
            let expected = if row == col { Q::one() } else { Q::zero() };
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
        }
        if !next_index(&row_shape, &mut row) {
            break;
        }
    }
    Outcome {
        verdict: Verdict::Holds,
        evidence: Evidence::IdentityBlock { q, size: rows },
    }
}
