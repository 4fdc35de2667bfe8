//! Weighted automata over Q, the tool for claims about every depth d at once (SPEC §7). The
//! automaton itself, its DFAs, the constructions on them and the certificate checks (`closed`,
//! `trimmed`) are the kernel's (`tnproof_kernel::automaton`, re-exported here), so that the states
//! a certificate numbers are the ones the kernel builds; why the checks prove what they prove is in
//! that module's doc. This module adds what only the producer needs: the automaton of a case's
//! periodic train (`tt`) and the search for zero-equivalence certificates (`equivalence`). It
//! decides no claims.

pub mod equivalence;
pub mod tt;

pub use tnproof_kernel::automaton::{closed, dot, trimmed, ClosureFault, Dfa, SparseRow, TrimFault, WeightedAutomaton};

#[cfg(test)]
mod tests;
