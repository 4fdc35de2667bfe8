//! Floating-point estimates reported beside the verdicts, never deciding one: the CP-rank of a
//! small tensor by alternating least squares (the experiment of Alkin 2024, Fig. 6.1). ALS can
//! stall, so an estimate may be above the true CP-rank and is labelled as an estimate.

use crate::linalg::numeric::{cp_rank_estimate, CpEstimate};
use crate::network::Network;

/// The most entries a tensor may have for an ALS estimate.
pub const MAX_ENTRIES: usize = 1 << 14;

/// One `[[estimate]]` of a case at one grid point.
#[derive(Clone, Debug, PartialEq)]
pub struct EstimateRequest {
    /// 1-based position among the case's estimates.
    pub number: usize,
    pub max_rank: usize,
    pub restarts: usize,
    pub target: f64,
    pub seed: u64,
}

/// An estimate with what was asked.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    pub request: EstimateRequest,
    pub result: CpEstimate,
}

/// Runs ALS on the network's tensor in f64.
pub fn estimate(network: &Network, request: &EstimateRequest) -> Estimate {
    let dense = network.dense(|q| num_traits::ToPrimitive::to_f64(q).unwrap_or(f64::NAN));
    let result = cp_rank_estimate(
        dense.shape(),
        dense.entries(),
        request.max_rank,
        request.restarts,
        request.target,
        request.seed,
    );
    Estimate {
        request: request.clone(),
        result,
    }
}
