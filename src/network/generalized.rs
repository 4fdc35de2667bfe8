//! Generalized tensor networks (Khrulkov, Hrinchuk, Oseledets 2019; Khrulkov's thesis ch. 3), one
//! concept a file: the binary operator `xi` and its scalars (`operator`); generalized shallow
//! networks and RNNs over the feature matrix `F`, with their grid tensors (`network`); and the
//! constructions of the proofs, Lemma 3, Prop. 3.8.4, Lemma 4, Theorem 3, Prop. 3.8.5 and
//! Theorem 5 (`construction`). It knows nothing of claims or case files.

mod construction;
mod network;
mod operator;
#[cfg(test)]
mod tests;

pub use construction::{
    combination, expressivity_ii, first_mode_shallow, one_hot, product_rnn, product_shallow, product_weights,
    rnn_of_shallow, universal_rnn, universal_shallow, ProductVariant,
};
pub use network::{
    grid_by_evaluation, identity_features, inverse_features, matrix_core, perturb, Body, Generalized, Rnn, Shallow,
};
pub use operator::{GridScalar, Xi};
