//! tnproof: a proof checker for the theorems that deep tensor networks (tensor trains, hierarchical
//! Tucker) are exponentially more expressive than shallow ones (CP). Case files describe the
//! constructions of the proofs; claims about them are decided in exact arithmetic and written out
//! as deterministic certificates. The flow runs one way, down this list of modules.

pub mod case;
pub mod certificate;
pub mod claim;
pub mod draw;
pub mod estimate;
pub mod experiment;
pub mod expr;
pub use tnproof_kernel::field;
pub mod linalg;
pub mod network;
pub mod run;
pub mod sweep;
pub mod tensor;
