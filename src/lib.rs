//! tnproof: a proof checker for the theorems that deep tensor networks (tensor trains, hierarchical
//! Tucker) are exponentially more expressive than shallow ones (CP). Case files describe the
//! constructions of the proofs; claims about them are decided in exact arithmetic and written out
//! as deterministic certificates, which the separate crate `tnproof-kernel` re-checks. The modules
//! are listed bottom up, as in DESIGN.md's module table: each uses only those above it
//! (tests/module_graph.rs checks this). `field` is the kernel crate's, shared with it.

pub use tnproof_kernel::field;
pub mod expr;
pub mod tensor;
pub mod linalg;
pub mod network;
pub mod automaton;
pub mod draw;
pub mod claim;
pub mod estimate;
pub mod case;
pub mod certificate;
pub mod data;
pub mod run;
pub mod sweep;
pub mod experiment;
pub mod table2;
