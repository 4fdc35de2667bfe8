//! The sources' expressivity experiment (Khrulkov's thesis, Fig. 3-3 to 3-5; Afambo's 2020
//! report, Fig. 5), redone with certified ranks: seeded random generalized RNNs, the odd/even
//! rank of their grid tensors, and the lower bound `rank / (T M / 2)` on the width of a rectifier
//! shallow network with the same grid tensor (Lemma 5, Cohen & Shashua 2016: a width-`R'`
//! rectifier shallow network has odd/even grid rank at most `R' T M / 2`).
//!
//! # The networks
//!
//! `M` templates, length `T` (even), `L_t = M`, ranks `R_0 = 1, R_1 = ... = R_{T-1} = R,
//! R_T = 1`. `F = ReLU(A)` with `A` drawn (`M x M`), `C^t` drawn (`L x M`) for every `t`, `G^t`
//! drawn (`L x R_{t-1} x R_t`) for every `t` ("different" cores) or for `t = 1, 2, T` only with
//! `G^3 = ... = G^{T-1} = G^2` ("shared" cores, the thesis's `G^(2) = ... = G^(T-1)`; the
//! matrices `C^t` are drawn for every `t` in both modes).
//!
//! # The draws: exact, portable, seeded
//!
//! Every entry is `(u_1 + ... + u_12 - 6 (2^10 - 1)) / 2^10` with `u_i` independent uniform
//! integers in `[0, 2^10)`: an Irwin–Hall approximation of `N(0, 1)` with mean exactly 0,
//! variance exactly `(4^10 - 1) / 4^10 = 1 - 2^-20` and support `|x| <= 6138 / 1024`. It is a
//! dyadic rational (numerator below `2^13` over `2^10`), exactly representable in `f64`; no
//! floating point takes part in drawing. Each `u_i` is [`crate::draw::uniform`]`(rng, 0, 1023)`,
//! i.e. the low 10 bits of one 64-bit word of a ChaCha20 stream (RFC 8439; `uniform` never
//! rejects a word when the span divides `2^64`). The stream is keyed by SHA-256 of the seed text
//! ([`seed_text`]), which names the format version, the seed, `xi`, the cores mode, `R`, `M`,
//! `T` and the network number. Order of the draws: `A` row by row, then for `t = 1..T` the
//! matrix `C^t` row by row and the core `G^t` in `(i, j, k)` order (in shared mode `G^3, ...,
//! G^{T-1}` are not drawn: they are copies of `G^2`).
//!
//! # Exactness of the grid tensor and of the rank (rectifier)
//!
//! All entries are multiples of `2^-K`, `K = 10`. The projections `[C^t f(x^(m))]_i` are then
//! multiples of `2^-2K`, and by induction `h^t` is a multiple of `2^-(t+2)K` (`max(p, h, 0)` is
//! one of its arguments, so it stays on the finer of the two grids, and `G^t` adds `K` bits).
//! [`rectifier_grid`] therefore computes, in `i128`, the integers `2^((t+2)K) h^t` exactly, with
//! the projections shifted onto the same grid. Overflow is excluded before each step, not
//! detected after the fact: with `V` the largest `max(p, h, 0)` the step can see (the largest
//! shifted positive projection and the largest positive hidden value, both known exactly), every
//! partial sum of `h^t_k = sum_{i,j} G^t[i,j,k] max(p_i, h_j, 0)` is at most
//! `V sum_{i,j} |G^t[i,j,k]|` in absolute value; that bound is computed with checked `u128`
//! arithmetic and must not exceed `i128::MAX`, else the network falls back to the reference
//! recursion over `Q` ([`Rnn::grid_tensor`]), which cannot overflow (slow, tens of seconds, and
//! reported in the output). The unit tests compare the two paths entry by entry.
//!
//! The rank of the odd/even matricization of `2^((T+2)K) Gamma`, an integer matrix with the same
//! rank as `Gamma`, is computed modulo `p = 2^61 - 1` ([`rank_mod_p`]). A non-zero `k x k` minor
//! mod `p` is non-zero over the integers, so `rank_p <= rank_Q`: `rank_p` is a certified lower
//! bound on the rank, equal to it when it is full (`M^(T/2)`). The width bound `ceil(rank_p /
//! (T M / 2))` is a certified integer lower bound on the width of every rectifier shallow network
//! with this grid tensor. The `f64` SVD rank (numpy's tolerance) of the same network computed in
//! floating point is a cross-check only: every disagreement is reported, none changes a number.
//!
//! # sqrt
//!
//! `xi(x, y) = sqrt(x^2 + y^2)` does not map rationals to rationals: its grid tensor is computed
//! in `f64` as `(x * x + y * y).sqrt()` (IEEE operations, each correctly rounded, so the bytes do
//! not depend on a libm; `hypot` would), and its rank is the `f64` SVD rank, a numeric estimate.
//! Lemma 5 is proved for the rectifier; for sqrt `rank / (T M / 2)` is only the sources' statistic.

mod grid;
mod plot;
mod report;
#[cfg(test)]
mod tests;

pub use grid::{float_grid, odd_even_order, rectifier_grid, DyadicGrid};
pub use plot::{histogram_svg, PlotError};
pub use report::{significant, to_csv, to_markdown, CSV_HEADER};

use crate::field::{modp, Q};
use crate::linalg::modular::{rank_mod_p, ModMatrix};
use crate::linalg::numeric::{svd_rank, NumericRank, Tolerance};
use crate::network::generalized::{matrix_core, Rnn, Xi};
use crate::network::Core;
use num_bigint::BigInt;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use sha2::{Digest, Sha256};

/// Bits of the common denominator of every drawn entry: entries are `n / 2^DRAW_BITS`.
pub const DRAW_BITS: u32 = 10;
/// How many uniform integers each entry sums (Irwin–Hall).
pub const DRAW_TERMS: usize = 12;
/// The operators of the experiment, in output order.
pub const OPERATORS: [Xi; 2] = [Xi::Rectifier, Xi::Sqrt];

/// Whether the cores `G^2, ..., G^{T-1}` are drawn one by one or shared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cores {
    Different,
    Shared,
}

impl Cores {
    pub const ALL: [Cores; 2] = [Cores::Different, Cores::Shared];

    pub fn name(self) -> &'static str {
        match self {
            Cores::Different => "different",
            Cores::Shared => "shared",
        }
    }
}

/// What the experiment runs: `runs` networks per (operator, cores, rank).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub runs: usize,
    pub seed: u64,
    /// `M`, the number of templates (also `L_t`).
    pub templates: usize,
    /// `T`, the sequence length (even).
    pub length: usize,
    pub ranks: Vec<usize>,
}

impl Default for Config {
    /// The sources' setting: `N = 20`, `M = 10`, `T = 6`, `R` in `{1, 2, 4, 8}`; seed 1.
    fn default() -> Config {
        Config {
            runs: 20,
            seed: 1,
            templates: 10,
            length: 6,
            ranks: vec![1, 2, 4, 8],
        }
    }
}

/// The largest grid tensor the experiment builds (entries).
pub const MAX_GRID_ENTRIES: usize = 1 << 24;

impl Config {
    pub fn validate(&self) -> Result<(), String> {
        if self.runs == 0 {
            return Err("--runs must be at least 1".into());
        }
        if self.templates == 0 {
            return Err("--templates must be at least 1".into());
        }
        if self.length < 2 || !self.length.is_multiple_of(2) {
            return Err(format!(
                "--length must be even and at least 2 (the odd/even matricization needs it), got {}",
                self.length
            ));
        }
        if self.ranks.is_empty() || self.ranks.contains(&0) {
            return Err("--ranks must list ranks of at least 1".into());
        }
        let mut sorted = self.ranks.clone();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted != self.ranks {
            return Err("--ranks must be increasing, without repeats".into());
        }
        let entries = u32::try_from(self.length)
            .ok()
            .and_then(|t| self.templates.checked_pow(t));
        if entries.is_none_or(|e| e > MAX_GRID_ENTRIES) {
            return Err(format!(
                "M^T = {}^{} grid entries is more than this experiment builds ({MAX_GRID_ENTRIES})",
                self.templates, self.length
            ));
        }
        Ok(())
    }

    /// `M^(T/2)`: the side of the odd/even matricization, the largest possible rank.
    pub fn side(&self) -> usize {
        self.templates.pow((self.length / 2) as u32)
    }

    /// `T M / 2`: Lemma 5's odd/even rank of one rectifier shallow term.
    pub fn divisor(&self) -> usize {
        self.length * self.templates / 2
    }

    /// Whether this is the sources' setting (`M = 10`, `T = 6`), where the report's numbers apply.
    pub fn is_sources_setting(&self) -> bool {
        self.templates == 10 && self.length == 6
    }
}

/// The text whose SHA-256 keys the ChaCha20 stream of one network (`network` is 1-based).
pub fn seed_text(config: &Config, xi: Xi, cores: Cores, rank: usize, network: usize) -> String {
    format!(
        "tnproof expressivity 1; seed {}; xi {}; cores {}; R {rank}; M {}; T {}; network {network}",
        config.seed,
        xi.name(),
        cores.name(),
        config.templates,
        config.length
    )
}

/// A generalized RNN with dyadic entries: every number stored is a numerator over `2^DRAW_BITS`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drawn {
    /// `M`.
    pub templates: usize,
    /// `L_1, ..., L_T`.
    pub widths: Vec<usize>,
    /// `R_0 = 1, R_1, ..., R_T = 1`.
    pub ranks: Vec<usize>,
    /// `A` (`M x M`, row-major); `F = ReLU(A)`, `F[m, l] = f_l(x^(m))`.
    pub a: Vec<i64>,
    /// `C^t` (`L_t x M`, row-major).
    pub c: Vec<Vec<i64>>,
    /// `G^t` (`L_t x R_{t-1} x R_t`, `(i, j, k)` order).
    pub g: Vec<Vec<i64>>,
}

impl Drawn {
    /// `T`.
    pub fn length(&self) -> usize {
        self.c.len()
    }

    /// Checks that every array has the size its shape says.
    pub fn check(&self) -> Result<(), String> {
        let (m, t) = (self.templates, self.length());
        let ok = self.a.len() == m * m
            && self.widths.len() == t
            && self.g.len() == t
            && self.ranks.len() == t + 1
            && self.ranks[0] == 1
            && self.ranks[t] == 1
            && (0..t).all(|s| {
                self.c[s].len() == self.widths[s] * m
                    && self.g[s].len() == self.widths[s] * self.ranks[s] * self.ranks[s + 1]
            });
        if ok && t > 0 && m > 0 {
            Ok(())
        } else {
            Err("a drawn network's arrays do not fit its shape".into())
        }
    }

    /// `F = ReLU(A)` (numerators over `2^DRAW_BITS`).
    pub fn features(&self) -> Vec<i64> {
        self.a.iter().map(|&x| x.max(0)).collect()
    }

    /// The network over `Q`, for the reference recursion.
    pub fn rnn(&self) -> Rnn<Q> {
        let m = self.templates;
        let c = (0..self.length())
            .map(|t| matrix_core(self.widths[t], m, |i, j| dyadic(self.c[t][i * m + j])))
            .collect();
        let g = (0..self.length())
            .map(|t| {
                let (left, right) = (self.ranks[t], self.ranks[t + 1]);
                Core::from_fn(self.widths[t], left, right, |i, j, k| {
                    Ok::<_, std::convert::Infallible>(dyadic(self.g[t][(i * left + j) * right + k]))
                })
                .unwrap_or_else(|never| match never {})
            })
            .collect();
        Rnn::new(c, g).expect("a checked drawn network has consistent shapes")
    }

    /// `F` over `Q`, as a core `M x M x 1`.
    pub fn feature_core(&self) -> Core<Q> {
        let f = self.features();
        matrix_core(self.templates, self.templates, |i, j| dyadic(f[i * self.templates + j]))
    }
}

/// `n / 2^DRAW_BITS` over `Q`.
fn dyadic(n: i64) -> Q {
    Q::new(BigInt::from(n), BigInt::from(1i64 << DRAW_BITS))
}

/// One Irwin–Hall draw: `u_1 + ... + u_12 - 6 (2^10 - 1)`, the numerator over `2^10`.
fn normal_numerator(rng: &mut ChaCha20Rng) -> i64 {
    let top = (1i64 << DRAW_BITS) - 1;
    let sum: i64 = (0..DRAW_TERMS).map(|_| crate::draw::uniform(rng, 0, top)).sum();
    sum - (DRAW_TERMS as i64 / 2) * top
}

/// The network number `network` (1-based) of (`xi`, `cores`, `rank`), drawn as the module
/// documentation says.
pub fn draw(config: &Config, xi: Xi, cores: Cores, rank: usize, network: usize) -> Drawn {
    let key: [u8; 32] = Sha256::digest(seed_text(config, xi, cores, rank, network).as_bytes()).into();
    let rng = &mut ChaCha20Rng::from_seed(key);
    let (m, t) = (config.templates, config.length);
    let mut entries = |count: usize| -> Vec<i64> { (0..count).map(|_| normal_numerator(rng)).collect() };
    let ranks: Vec<usize> = (0..=t).map(|s| if s == 0 || s == t { 1 } else { rank }).collect();
    let a = entries(m * m);
    let (mut c, mut g) = (Vec::with_capacity(t), Vec::<Vec<i64>>::with_capacity(t));
    for s in 0..t {
        c.push(entries(m * m));
        // 0-based s: G^{s+1}; shared mode copies G^2 (s = 1) into G^3..G^{T-1} (s = 2..T-2).
        if cores == Cores::Shared && s >= 2 && s + 1 < t {
            g.push(g[1].clone());
        } else {
            g.push(entries(m * ranks[s] * ranks[s + 1]));
        }
    }
    Drawn {
        templates: m,
        widths: vec![m; t],
        ranks,
        a,
        c,
        g,
    }
}

/// How the exact grid tensor was computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExactPath {
    /// `i128` fixed point over `2^((T+2)K)`, overflow excluded by the a priori bound.
    Dyadic,
    /// The reference recursion over `Q` (the bound did not fit in `i128`).
    Rational,
}

impl ExactPath {
    pub fn name(self) -> &'static str {
        match self {
            ExactPath::Dyadic => "i128",
            ExactPath::Rational => "Q",
        }
    }
}

/// The residues mod `p` of a non-zero multiple of the rectifier grid tensor (in tensor order),
/// through `i128` when the bound allows (`limit`: the largest magnitude allowed; `i128::MAX`
/// in the experiment), else over `Q`.
pub fn rectifier_residues(drawn: &Drawn, limit: u128) -> (Vec<u64>, ExactPath) {
    match rectifier_grid(drawn, limit) {
        Some(grid) => (
            grid.numerators.iter().map(|&x| residue_i128(x)).collect(),
            ExactPath::Dyadic,
        ),
        None => {
            let tensor = drawn
                .rnn()
                .grid_tensor(Xi::Rectifier, &drawn.feature_core())
                .expect("the rectifier maps Q to Q");
            let residues = tensor
                .entries()
                .iter()
                .map(|q| modp::of_rational(q).expect("denominators are powers of 2, prime to p"))
                .collect();
            (residues, ExactPath::Rational)
        }
    }
}

/// The residue of a signed 128-bit integer modulo `2^61 - 1`.
pub fn residue_i128(x: i128) -> u64 {
    let r = modp::reduce(x.unsigned_abs());
    if x < 0 && r != 0 {
        modp::PRIME - r
    } else {
        r
    }
}

/// What one network gave.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub xi: Xi,
    pub cores: Cores,
    /// `R`.
    pub rank: usize,
    /// 1-based.
    pub network: usize,
    pub seed_text: String,
    /// The certified rank lower bound mod p (exact operators only).
    pub rank_p: Option<usize>,
    /// The `f64` SVD rank of the network computed in floating point.
    pub numeric: NumericRank,
    pub path: Option<ExactPath>,
}

impl Outcome {
    /// The rank the statistics use: `rank_p` when certified, else the numeric estimate.
    pub fn measured_rank(&self) -> usize {
        self.rank_p.unwrap_or(self.numeric.rank)
    }

    /// `rank / (T M / 2)`, the plotted lower bound on the shallow width.
    pub fn lower_bound(&self, config: &Config) -> f64 {
        self.measured_rank() as f64 / config.divisor() as f64
    }

    /// `ceil(rank_p / (T M / 2))`, the certified integer lower bound (exact operators only).
    pub fn certified_width(&self, config: &Config) -> Option<usize> {
        self.rank_p.map(|r| r.div_ceil(config.divisor()))
    }

    /// Whether the `f64` rank differs from the certified one.
    pub fn disagrees(&self) -> bool {
        self.rank_p.is_some_and(|r| r != self.numeric.rank)
    }
}

/// All networks of one run, in output order: operator, cores, rank, network number.
#[derive(Clone, Debug, PartialEq)]
pub struct Experiment {
    pub config: Config,
    pub outcomes: Vec<Outcome>,
}

impl Experiment {
    /// The outcomes of one (operator, cores, rank), in network order.
    pub fn group(&self, xi: Xi, cores: Cores, rank: usize) -> impl Iterator<Item = &Outcome> {
        self.outcomes
            .iter()
            .filter(move |o| o.xi == xi && o.cores == cores && o.rank == rank)
    }
}

/// What the rank computations give for one network.
#[derive(Clone, Debug, PartialEq)]
pub struct Measured {
    pub rank_p: Option<usize>,
    pub numeric: NumericRank,
    pub path: Option<ExactPath>,
}

/// The certified rank mod p (rectifier only) and the `f64` SVD rank of the odd/even
/// matricization of `drawn`'s grid tensor; `order` is [`odd_even_order`] of its `M` and `T`.
/// Panics for softplus (no floating-point unit) and on a network whose arrays do not fit.
pub fn measure(drawn: &Drawn, xi: Xi, order: &[usize]) -> Measured {
    let side = drawn.templates.pow((drawn.length() / 2) as u32);
    let (rank_p, path) = if xi == Xi::Rectifier {
        let (residues, path) = rectifier_residues(drawn, i128::MAX as u128);
        let matrix = ModMatrix {
            nrows: side,
            ncols: side,
            entries: order.iter().map(|&k| residues[k]).collect(),
        };
        (Some(rank_mod_p(&matrix, None).rank), Some(path))
    } else {
        (None, None)
    };
    let floats = float_grid(drawn, xi).expect("the experiment's operators have a floating-point form");
    let entries: Vec<f64> = order.iter().map(|&k| floats[k]).collect();
    Measured {
        rank_p,
        numeric: svd_rank(side, side, &entries, Tolerance::Default),
        path,
    }
}

/// Draws and measures one network; `order` is [`odd_even_order`] of the configuration.
pub fn run_network(config: &Config, order: &[usize], xi: Xi, cores: Cores, rank: usize, network: usize) -> Outcome {
    let drawn = draw(config, xi, cores, rank, network);
    let Measured { rank_p, numeric, path } = measure(&drawn, xi, order);
    Outcome {
        xi,
        cores,
        rank,
        network,
        seed_text: seed_text(config, xi, cores, rank, network),
        rank_p,
        numeric,
        path,
    }
}

/// Runs every network (in parallel; the result does not depend on the thread count), calling
/// `progress` after each.
pub fn run(config: &Config, progress: impl Fn() + Sync) -> Result<Experiment, String> {
    use rayon::prelude::*;
    config.validate()?;
    let order = odd_even_order(config.templates, config.length);
    let mut jobs = Vec::new();
    for xi in OPERATORS {
        for cores in Cores::ALL {
            for &rank in &config.ranks {
                jobs.extend((1..=config.runs).map(|n| (xi, cores, rank, n)));
            }
        }
    }
    let outcomes = jobs
        .into_par_iter()
        .map(|(xi, cores, rank, n)| {
            let outcome = run_network(config, &order, xi, cores, rank, n);
            progress();
            outcome
        })
        .collect();
    Ok(Experiment {
        config: config.clone(),
        outcomes,
    })
}
