//! Tensor trains as weighted automata (SPEC §7): an equal-core TT, and a `PeriodicTrain` (cores
//! depending on the position k only through `k % p`, `k == 1` and `k == d`), give one automaton
//! whose weight on `i_1..i_d` is `X_d(i_1..i_d)` for every d at once. The construction is the
//! kernel's `from_periodic_tt` (so certificates and kernel number the states alike); this file
//! hands it tnproof's cores and knows nothing of claims or case files.

use super::WeightedAutomaton;
use crate::network::periodic::PeriodicTrain;
use crate::network::Core;

/// The core as the kernel reads it: entries in `(a, i, b)` order.
fn kernel_core(core: &Core) -> tnproof_kernel::Core {
    let (left, modes, right) = core.shape();
    let mut entries = Vec::with_capacity(left * modes * right);
    for a in 0..left {
        for i in 0..modes {
            for b in 0..right {
                entries.push(core.get(a, i, b).clone());
            }
        }
    }
    tnproof_kernel::Core {
        left,
        modes,
        right,
        entries,
    }
}

/// The equal-core TT (`first` 1 x n x r, `inner` r x n x r, `last` r x n x 1) as an automaton on
/// the letters `0..n`: states start, the r bond indices, end. Every word of length d >= 2 gets
/// the weight `X_d`; the words of length 0 and 1 get 0.
pub fn from_equal_core_tt(first: &Core, inner: &Core, last: &Core) -> Result<WeightedAutomaton, String> {
    from_periodic_tt(first, std::slice::from_ref(inner), last, 0)
}

/// The TT with `first` at position 1, `middle[k % p]` at each position `k = 2..d-1` and `last`
/// at position d, for every `d >= 2` with `d % p == depth_residue` (other lengths weigh 0); the
/// states are those of the kernel's `from_periodic_tt`.
pub fn from_periodic_tt(
    first: &Core,
    middle: &[Core],
    last: &Core,
    depth_residue: usize,
) -> Result<WeightedAutomaton, String> {
    let middle: Vec<_> = middle.iter().map(kernel_core).collect();
    tnproof_kernel::automaton::from_periodic_tt(&kernel_core(first), &middle, &[(depth_residue, kernel_core(last))])
}

/// The automaton of every train of `train`: `X_d` on each word of length d whose residue has a
/// last core.
pub fn from_periodic_train(train: &PeriodicTrain) -> Result<WeightedAutomaton, String> {
    let middle: Vec<_> = train.middle.iter().map(kernel_core).collect();
    let last: Vec<_> = train.last.iter().map(|(e, g)| (*e, kernel_core(g))).collect();
    tnproof_kernel::automaton::from_periodic_tt(&kernel_core(&train.first), &middle, &last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Q;
    use crate::network::strategies::core;
    use crate::network::{Network, TensorTrain};
    use crate::tensor::next_index;
    use proptest::prelude::*;

    /// A core of the given shape with entries drawn from `-2..3`.
    fn random_core(left: usize, n: usize, right: usize) -> impl Strategy<Value = Core> {
        prop::collection::vec(-2i64..3, left * n * right).prop_map(move |v| core(left, n, right, &v))
    }

    /// Whether the automaton's weight equals the dense tensor at every index.
    fn agrees(a: &WeightedAutomaton, x: &crate::tensor::Tensor<Q>) -> bool {
        let shape = x.shape().to_vec();
        let mut index = vec![0; shape.len()];
        loop {
            if a.weight(&index) != Some(x.get(&index).clone()) {
                return false;
            }
            if !next_index(&shape, &mut index) {
                return true;
            }
        }
    }

    #[test]
    fn shapes_are_checked() {
        let first = core(1, 2, 2, &[1, 0, 0, 1]);
        let last = core(2, 2, 1, &[1, 0, 0, 1]);
        let square = core(2, 2, 2, &[0; 8]);
        assert!(from_equal_core_tt(&first, &square, &last).is_ok());
        assert!(from_equal_core_tt(&first, &core(2, 2, 3, &[0; 12]), &last).is_err());
        assert!(from_equal_core_tt(&first, &square, &core(2, 3, 1, &[0; 6])).is_err());
        assert!(from_equal_core_tt(&last, &square, &last).is_err());
        assert!(from_periodic_tt(&first, std::slice::from_ref(&square), &last, 1).is_err());
        assert!(from_periodic_tt(&first, &[], &last, 0).is_err());
    }

    #[test]
    fn short_words_weigh_nothing() {
        let g = core(1, 1, 1, &[3]);
        let a = from_equal_core_tt(&g, &g, &g).unwrap();
        assert_eq!(a.weight(&[]), Some(q(0)));
        assert_eq!(a.weight(&[0]), Some(q(0)));
        assert_eq!(a.weight(&[0, 0]), Some(q(9)));
        assert_eq!(a.weight(&[0; 5]), Some(q(243)));
        assert_eq!(a.weight(&[1]), None);
    }

    fn q(v: i64) -> Q {
        crate::field::q_int(v)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// The automaton of an equal-core TT has, on every word of length d = 2..6, the entry of the
        /// dense tensor that `network` contracts from the same cores.
        #[test]
        fn equal_core_automaton_is_the_tensor_at_every_depth(
            (first, inner, last) in (1usize..4, 1usize..4).prop_flat_map(|(n, r)| {
                (random_core(1, n, r), random_core(r, n, r), random_core(r, n, 1))
            })
        ) {
            let a = from_equal_core_tt(&first, &inner, &last).unwrap();
            for d in 2..=6 {
                let net = Network::tt_equal(first.clone(), Some(inner.clone()), last.clone(), d).unwrap();
                prop_assert!(agrees(&a, &net.dense(|x: &Q| x.clone())), "d = {}", d);
            }
        }

        /// A period-2 TT (first, then even and odd cores alternating, last) is its automaton on every
        /// even d = 2..6, its pair view on the same words read as pairs, and 0 on odd lengths.
        #[test]
        fn period_two_automaton_is_the_tensor_at_every_even_depth(
            (first, even, odd, last) in (1usize..3, 1usize..3, 1usize..3).prop_flat_map(|(n, r1, r2)| {
                (random_core(1, n, r1), random_core(r1, n, r2), random_core(r2, n, r1), random_core(r1, n, 1))
            })
        ) {
            let a = from_periodic_tt(&first, &[even.clone(), odd.clone()], &last, 0).unwrap();
            let pairs = a.pairs();
            let n = first.shape().1;
            for d in (2..=6).step_by(2) {
                let mut cores = vec![first.clone()];
                for k in 2..d {
                    cores.push(if k % 2 == 0 { even.clone() } else { odd.clone() });
                }
                cores.push(last.clone());
                let x = TensorTrain::new(cores).unwrap().contract();
                prop_assert!(agrees(&a, &x), "d = {}", d);
                let mut index = vec![0; d];
                loop {
                    let word: Vec<usize> = index.chunks(2).map(|xy| xy[0] * n + xy[1]).collect();
                    prop_assert_eq!(pairs.weight(&word), Some(x.get(&index).clone()));
                    if !next_index(&vec![n; d], &mut index) { break; }
                }
                let mut odd_word = vec![0; d + 1];
                loop {
                    prop_assert_eq!(a.weight(&odd_word), Some(q(0)));
                    if !next_index(&vec![n; d + 1], &mut odd_word) { break; }
                }
            }
        }
    }
}
