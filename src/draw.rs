//! Seeded random cores for the random construction kinds. Each draw is a ChaCha20 stream seeded
//! by SHA-256 of the case's seed, the case id, the instance and the attempt number, so every
//! machine draws the same cores. Integers are drawn uniformly by rejection from the stream's
//! 64-bit words (no modulo bias, no dependence on any crate's sampling algorithm).

use crate::field::{q_int, Q};
use crate::network::ht::{self, Form, ModeTree};
use crate::network::{Core, Network, TensorTrain};
use num_bigint::BigInt;
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};
use sha2::{Digest, Sha256};

/// Which random network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RandomKind {
    Tt,
    TtEqual,
    Cp,
    Ht,
}

impl RandomKind {
    pub fn name(self) -> &'static str {
        match self {
            RandomKind::Tt => "random-tt",
            RandomKind::TtEqual => "random-tt-equal",
            RandomKind::Cp => "random-cp",
            RandomKind::Ht => "random-ht",
        }
    }
}

/// How core entries are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entries {
    /// Integers uniform in `lo..=hi`.
    Integers { lo: i64, hi: i64 },
    /// `p / q` with `p` uniform in `-numerator..=numerator`, `q` uniform in `1..=denominator`.
    Fractions { numerator: i64, denominator: i64 },
}

impl Entries {
    /// The default: integers with |x| < 2^31.
    pub const DEFAULT: Entries = Entries::Integers {
        lo: -(1 << 31) + 1,
        hi: (1 << 31) - 1,
    };

    pub fn describe(self) -> String {
        match self {
            Entries::Integers { lo, hi } => format!("integers uniform in [{lo}, {hi}]"),
            Entries::Fractions { numerator, denominator } => {
                format!("fractions p/q, p uniform in [-{numerator}, {numerator}], q uniform in [1, {denominator}]")
            }
        }
    }
}

/// Everything that determines the draws of one instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draws {
    pub kind: RandomKind,
    pub entries: Entries,
    pub seed: u64,
    /// The case id and instance label, mixed into the seed so that instances differ.
    pub case_id: String,
    pub instance: String,
    /// Mode size, bond (or CP/HT edge) dimension and order.
    pub n: usize,
    pub r: usize,
    pub d: usize,
    pub tries: usize,
    /// For `random-ht`: the tree, form and node ranks (`n`, `r` and `d` are then the mode size,
    /// the default rank and the order).
    pub ht: Option<HtShape>,
}

/// The shape of a random HT network: its tree, node form and each node's rank in post-order
/// (the root's 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HtShape {
    pub tree: ModeTree,
    pub form: Form,
    pub ranks: Vec<usize>,
}

impl HtShape {
    /// The balanced tree in general form with rank `r` at every node below the root.
    pub fn balanced(d: usize, r: usize) -> HtShape {
        let tree = ModeTree::balanced(d);
        let nodes = tree.post_order().len();
        HtShape {
            tree,
            form: Form::General,
            ranks: (0..nodes).map(|j| if j + 1 == nodes { 1 } else { r }).collect(),
        }
    }
}

impl Draws {
    /// The text hashed into the ChaCha20 seed of attempt `attempt` (0-based).
    pub fn seed_text(&self, attempt: usize) -> String {
        format!(
            "tnproof draw 1; seed {}; case {}; instance {}; attempt {}",
            self.seed,
            self.case_id,
            self.instance,
            attempt + 1
        )
    }

    /// The network of attempt `attempt` (0-based). Cores are drawn in the order the
    /// certificate lists them, each in `(a, i, b)` order.
    pub fn network(&self, attempt: usize) -> Network {
        let seed: [u8; 32] = Sha256::digest(self.seed_text(attempt).as_bytes()).into();
        let rng = &mut ChaCha20Rng::from_seed(seed);
        let (n, r, d, entries) = (self.n, self.r, self.d, self.entries);
        let core = |rng: &mut ChaCha20Rng, shape: (usize, usize, usize)| -> Core {
            let drawn = Core::from_fn(shape.0, shape.1, shape.2, |_, _, _| {
                Ok::<_, std::convert::Infallible>(draw_entry(entries, rng))
            });
            drawn.unwrap_or_else(|never| match never {})
        };
        match self.kind {
            RandomKind::Tt => {
                let cores = (0..d)
                    .map(|k| core(rng, (if k == 0 { 1 } else { r }, n, if k + 1 == d { 1 } else { r })))
                    .collect();
                Network::Tt(TensorTrain::new(cores).expect("bond dimensions fit by construction"))
            }
            RandomKind::TtEqual => {
                let first = core(rng, (1, n, r));
                let inner = (d > 2).then(|| core(rng, (r, n, r)));
                let last = core(rng, (r, n, 1));
                Network::tt_equal(first, inner, last, d).expect("shapes fit by construction")
            }
            RandomKind::Cp => Network::Cp {
                factors: (0..d).map(|_| core(rng, (1, n, r))).collect(),
            },
            RandomKind::Ht => {
                // Node tensors in post-order (leaves U, internal nodes B), each big-endian.
                let shape = self.ht.clone().unwrap_or_else(|| HtShape::balanced(d, r));
                let built = ht::build(&shape.tree, shape.form, &vec![n; d], &shape.ranks, |_, dims| {
                    let count: usize = dims.iter().product();
                    Ok::<_, std::convert::Infallible>((0..count).map(|_| draw_entry(entries, rng)).collect())
                });
                let net = built.unwrap_or_else(|never| match never {});
                Network::Ht(net.expect("the case's ranks are checked against the form before drawing"))
            }
        }
    }
}

pub fn draw_entry(entries: Entries, rng: &mut ChaCha20Rng) -> Q {
    match entries {
        Entries::Integers { lo, hi } => q_int(uniform(rng, lo, hi)),
        Entries::Fractions { numerator, denominator } => {
            let p = uniform(rng, -numerator, numerator);
            let q = uniform(rng, 1, denominator);
            Q::new(BigInt::from(p), BigInt::from(q))
        }
    }
}

/// Uniform in `lo..=hi` by rejection: accept a word `x >= 2^64 mod span`, return `lo + x mod span`.
pub fn uniform(rng: &mut impl RngCore, lo: i64, hi: i64) -> i64 {
    let span = (hi as i128 - lo as i128 + 1) as u128;
    if span > u64::MAX as u128 {
        return rng.next_u64() as i64;
    }
    let span = span as u64;
    let reject_below = (u64::MAX % span + 1) % span;
    loop {
        let x = rng.next_u64();
        if x >= reject_below {
            return (lo as i128 + (x % span) as i128) as i64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draws(kind: RandomKind) -> Draws {
        Draws {
            kind,
            entries: Entries::Integers { lo: -5, hi: 5 },
            seed: 7,
            case_id: "t".into(),
            instance: "n=2".into(),
            n: 2,
            r: 3,
            d: 4,
            tries: 3,
            ht: None,
        }
    }

    #[test]
    fn the_same_seed_draws_the_same_cores_and_attempts_differ() {
        for kind in [RandomKind::Tt, RandomKind::TtEqual, RandomKind::Cp, RandomKind::Ht] {
            let d = draws(kind);
            let (a, b, c) = (d.network(0), d.network(0), d.network(1));
            let dense = |n: &Network| n.dense(Q::clone);
            assert_eq!(dense(&a), dense(&b), "{kind:?}");
            assert_ne!(dense(&a), dense(&c), "{kind:?}");
            assert_eq!(a.mode_sizes(), vec![2; 4]);
        }
    }

    /// The stream is RFC 8439 ChaCha20: with the all-zero key and nonce its keystream starts
    /// 76 b8 e0 ad a0 f1 3d 90 (RFC 8439, appendix A.1, test vector 1), read as the little-endian
    /// words 0xade0b876, 0x903df1a0; `uniform` keeps a word at or above 2^64 mod span.
    #[test]
    fn the_stream_is_rfc_chacha20_and_uniform_is_as_documented() {
        let mut rng = ChaCha20Rng::from_seed([0; 32]);
        let first: u64 = 0x903d_f1a0_ade0_b876;
        assert_eq!(rng.clone().next_u64(), first);
        // span 11: 2^64 mod 11 = 5 (2^10 = 1024 = 93 * 11 + 1, so 2^60 = 1 and 2^64 = 16 = 5 mod 11).
        assert!(first >= 5);
        assert_eq!(uniform(&mut rng, -5, 5), -5 + (first % 11) as i64);
    }

    #[test]
    fn uniform_stays_in_range_and_covers_it() {
        let mut rng = ChaCha20Rng::from_seed([1; 32]);
        let mut seen = [false; 11];
        for _ in 0..1000 {
            let x = uniform(&mut rng, -5, 5);
            assert!((-5..=5).contains(&x));
            seen[(x + 5) as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }
}
