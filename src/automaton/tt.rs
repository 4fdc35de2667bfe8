//! Tensor trains as weighted automata (SPEC §7): an equal-core TT, and a TT whose cores depend on
//! the position k only through `k % p`, `k == 1` and `k == d`, give one automaton whose weight on
//! `i_1..i_d` is `X_d(i_1..i_d)` for every d at once. This file owns that translation only; it
//! reads cores from `network` and knows nothing of claims or case files.

use super::WeightedAutomaton;
use crate::field::{Scalar, Q};
use crate::network::Core;

/// The equal-core TT (`first` 1 x n x r, `inner` r x n x r, `last` r x n x 1) as an automaton on
/// the letters `0..n`: states start, the r bond indices, end. From start the letter i goes to b
/// with weight `first[1,i,b]`, from a to b with `inner[a,i,b]`, from a to end with `last[a,i,1]`.
/// Every word of length d >= 2 gets the weight `X_d`; the words of length 0 and 1 get 0.
pub fn from_equal_core_tt(first: &Core, inner: &Core, last: &Core) -> Result<WeightedAutomaton, String> {
    from_periodic_tt(first, std::slice::from_ref(inner), last, 0)
}

/// The TT with `first` at position 1, `middle[k % p]` at each position `k = 2..d-1`
/// (`p = middle.len()`) and `last` at position d, for every `d >= 2` with `d % p == depth_residue`,
/// as one automaton on the letters `0..n`. Its states are start, the bond indices after the
/// positions of each class `c = k % p` (class `c` has `middle[c].right` of them, class by class)
/// and end; the letter read at position k moves from class `(k - 1) % p` to class `k % p` with the
/// weights of that position's core, from start at k = 1 and to end at k = d, which is entered
/// from class `(depth_residue - 1) % p` only. So a word of length `d >= 2` with
/// `d % p == depth_residue` gets the weight `X_d`, every other word 0.
/// Khrulkov's eq. (9) witness is `p = 2`, `middle = [even core, odd core]`, `depth_residue = 0`.
pub fn from_periodic_tt(
    first: &Core,
    middle: &[Core],
    last: &Core,
    depth_residue: usize,
) -> Result<WeightedAutomaton, String> {
    let p = middle.len();
    if p == 0 {
        return Err("a periodic tensor train needs at least one middle core".into());
    }
    if depth_residue >= p {
        return Err(format!("the depth residue {depth_residue} is not below the period {p}"));
    }
    let n = first.shape().1;
    let bonds: Vec<usize> = middle.iter().map(|g| g.shape().2).collect();
    let class_before = |c: usize| (c + p - 1) % p;
    for (c, g) in middle.iter().enumerate() {
        let (left, modes, _) = g.shape();
        if modes != n {
            return Err(format!("middle core {c} has {modes} modes, the first core {n}"));
        }
        if left != bonds[class_before(c)] {
            return Err(format!(
                "middle core {c} has left size {left} but the bond before it has size {}",
                bonds[class_before(c)]
            ));
        }
    }
    let end_from = class_before(depth_residue);
    match (first.shape(), last.shape()) {
        ((1, _, right), _) if right != bonds[1 % p] => {
            return Err(format!(
                "the first core has right size {right}, the bond after it {}",
                bonds[1 % p]
            ))
        }
        ((left, _, _), _) if left != 1 => return Err(format!("the first core must have left size 1, it has {left}")),
        (_, (left, modes, 1)) if left == bonds[end_from] && modes == n => {}
        (_, (left, modes, right)) => {
            return Err(format!(
                "the last core is {left} x {modes} x {right}, it must be {} x {n} x 1",
                bonds[end_from]
            ))
        }
    }
    let offset: Vec<usize> = (0..p).map(|c| 1 + bonds[..c].iter().sum::<usize>()).collect();
    let s = 2 + bonds.iter().sum::<usize>();
    let end = s - 1;
    let matrices = (0..n)
        .map(|i| {
            let mut m = vec![vec![Q::zero_value(); s]; s];
            for b in 0..bonds[1 % p] {
                m[0][offset[1 % p] + b] = first.get(0, i, b).clone();
            }
            for (c, g) in middle.iter().enumerate() {
                let from = offset[class_before(c)];
                for (a, row) in m[from..from + g.shape().0].iter_mut().enumerate() {
                    for b in 0..bonds[c] {
                        row[offset[c] + b] = g.get(a, i, b).clone();
                    }
                }
            }
            for a in 0..bonds[end_from] {
                m[offset[end_from] + a][end] = last.get(a, i, 0).clone();
            }
            m
        })
        .collect();
    let unit = |x: usize| {
        (0..s)
            .map(|y| if x == y { Q::one_value() } else { Q::zero_value() })
            .collect()
    };
    WeightedAutomaton::new(unit(0), matrices, unit(end))
}

#[cfg(test)]
mod tests {
    use super::*;
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
