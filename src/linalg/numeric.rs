//! Floating-point cross-checks for tnproof: numerical matrix rank from singular values
//! (`svd_rank`) and a CP-rank estimate by alternating least squares (`cp_rank_estimate`).
//! Nothing here decides a rank; results are compared with the exact computations and any
//! disagreement is reported.

mod cp_als;
mod svd;

pub use cp_als::{cp_rank_estimate, CpEstimate};
pub use svd::{svd_rank, NumericRank, Tolerance};
