//! Generalized tensor networks (Khrulkov, Hrinchuk, Oseledets 2019; SPEC §5) as the kernel reads
//! them: the operator `xi`, the feature matrix `F`, generalized RNNs and shallow networks, and
//! their grid tensors, computed the plainest way: for every template sequence, the network is
//! run on it (direct evaluation). The checker computes the same tensors by another path (the
//! recursion of the thesis's Prop. 3.8.3), so the grid digests agreeing means two computations
//! agree. Only the three operators that map rationals to rationals are read.

use super::exact::{index_at, one_based, Core};
use super::read::{number, rational, tuple, Lines};
use super::{holes, read_core};
use crate::field::{q_text, Q};
use crate::rejection::{Budget, Form, Misfit, Missing, Reason};
use num_traits::{One, Signed, Zero};
use sha2::{Digest, Sha256};

/// The most grid tensor entries (`M^T`, summed over the subject and the compared networks) one
/// certificate may ask for (the checker allows `2^22` per grid tensor).
const MAX_GRID_ENTRIES: u128 = 1 << 23;
/// The most steps the direct evaluation of all grid tensors of one certificate may take in its
/// loops (multiply-adds, `xi`s, hidden values, zeros included), counted from the shapes before
/// anything is run.
const MAX_GRID_STEPS: u128 = 1 << 28;
/// The most arithmetic (`Work`) those evaluations may do, counted as it is done: about 75 s of
/// small-number arithmetic, 13 times what the largest certificate of `cases/` needs.
const MAX_GRID_WORK: u128 = 1 << 26;

/// The associative, commutative operator of a generalized network.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Xi {
    /// `x y`, unit 1.
    Product,
    /// `max(x, y, 0)`, unit 0.
    Rectifier,
    /// `x + y`, unit 0.
    Sum,
}

impl Xi {
    const ALL: [Xi; 3] = [Xi::Product, Xi::Rectifier, Xi::Sum];

    fn formula(self) -> &'static str {
        match self {
            Xi::Product => "xi(x, y) = x y",
            Xi::Rectifier => "xi(x, y) = max(x, y, 0)",
            Xi::Sum => "xi(x, y) = x + y",
        }
    }

    fn unit(self) -> Q {
        match self {
            Xi::Product => Q::one(),
            Xi::Rectifier | Xi::Sum => Q::zero(),
        }
    }

    fn apply(self, x: &Q, y: &Q, work: &mut Work) -> Result<Q, Reason> {
        work.charge(x, y)?;
        Ok(match self {
            Xi::Product => x * y,
            Xi::Sum => x + y,
            Xi::Rectifier => {
                let larger = if x >= y { x } else { y };
                if larger.is_positive() {
                    larger.clone()
                } else {
                    Q::zero()
                }
            }
        })
    }
}

/// A generalized network. RNN: `c[t]` is `C^t` (`L_t x M x 1`), `g[t]` is `G^t`
/// (`L_t x R_{t-1} x R_t`, `R_0 = R_T = 1`). Shallow: `lambda` is `1 x R x 1`, `v[t]` is `1 x M x R`
/// with `v[t][1, m, a] = (v_t^a)_m`.
pub enum Body {
    Rnn { c: Vec<Core>, g: Vec<Core> },
    Shallow { lambda: Core, v: Vec<Core> },
}

impl Body {
    fn kind(&self) -> &'static str {
        match self {
            Body::Rnn { .. } => "generalized-rnn",
            Body::Shallow { .. } => "generalized-shallow",
        }
    }

    /// `ranks (1,2,1), widths (3,3)` or `width 2`, as the certificate writes it.
    fn shape_text(&self) -> String {
        let tuple = |v: &mut dyn Iterator<Item = usize>| {
            format!("({})", v.map(|x| x.to_string()).collect::<Vec<_>>().join(","))
        };
        match self {
            Body::Rnn { c, g } => format!(
                "ranks {}, widths {}",
                tuple(&mut std::iter::once(1).chain(g.iter().map(|g| g.right))),
                tuple(&mut c.iter().map(|c| c.left))
            ),
            Body::Shallow { lambda, .. } => format!("width {}", lambda.modes),
        }
    }

    /// An upper bound on the loop steps of one `score` with `m` templates.
    fn steps(&self, m: usize) -> u128 {
        let (m, w) = (m as u128, |x: usize| x as u128);
        match self {
            Body::Rnn { c, g } => c.iter().zip(g).fold(0u128, |sum, (c, g)| {
                let step = w(c.left)
                    .saturating_mul(m)
                    .saturating_add(w(g.left).saturating_mul(w(g.modes)).saturating_mul(1 + w(g.right)))
                    .saturating_add(w(g.right));
                sum.saturating_add(step)
            }),
            Body::Shallow { lambda, v } => {
                w(lambda.modes).saturating_mul((v.len() as u128).saturating_mul(m + 1).saturating_add(1))
            }
        }
    }

    /// The score on one template sequence (0-based template numbers), by running the network;
    /// `f(x^(m))` is row `m` of `F`.
    fn score(&self, xi: Xi, features: &Core, sequence: &[usize], work: &mut Work) -> Result<Q, Reason> {
        match self {
            Body::Rnn { c, g } => {
                // h^0 = unit; h^t_k = sum_{i,j} G^t[i,j,k] xi([C^t f(x_t)]_i, h^{t-1}_j).
                let mut h = vec![xi.unit()];
                for ((c, g), &x) in c.iter().zip(g).zip(sequence) {
                    let mut next = vec![Q::zero(); g.right];
                    for i in 0..c.left {
                        let input = project(features, x, |j| c.get(i, j, 0), work)?;
                        for (j, hj) in h.iter().enumerate() {
                            let value = xi.apply(&input, hj, work)?;
                            for (out, weight) in next.iter_mut().zip(g.fiber(i, j)) {
                                if !weight.is_zero() {
                                    work.charge(weight, &value)?;
                                    *out += weight * &value;
                                }
                            }
                        }
                    }
                    h = next;
                }
                Ok(h.into_iter().next().unwrap_or_else(Q::zero))
            }
            Body::Shallow { lambda, v } => {
                // sum_a lambda_a xi(<f(x_1), v_1^a>, ..., <f(x_T), v_T^a>), xi folded from its unit.
                let mut total = Q::zero();
                // `lambda` is 1 x R x 1: its entries are lambda_1..lambda_R.
                for (a, weight) in lambda.entries.iter().enumerate() {
                    let mut folded = xi.unit();
                    for (v, &x) in v.iter().zip(sequence) {
                        folded = xi.apply(&folded, &project(features, x, |j| v.get(0, j, a), work)?, work)?;
                    }
                    work.charge(weight, &folded)?;
                    total += weight * folded;
                }
                Ok(total)
            }
        }
    }

    /// The grid tensor `Gamma[i_1..i_T] = score(x^(i_1), ..., x^(i_T))`, big-endian.
    fn grid(&self, xi: Xi, features: &Core, shape: &[usize], work: &mut Work) -> Result<Vec<Q>, Reason> {
        let count: usize = shape.iter().product();
        (0..count)
            .map(|pos| self.score(xi, features, &index_at(shape, pos), work))
            .collect()
    }
}

/// `<f(x), w>`: row `x` of `F` times the vector `w`, given entry by entry.
fn project<'w>(features: &Core, x: usize, w: impl Fn(usize) -> Option<&'w Q>, work: &mut Work) -> Result<Q, Reason> {
    let mut sum = Q::zero();
    for j in 0..features.modes {
        if let (Some(f), Some(w)) = (features.get(x, j, 0), w(j).filter(|w| !w.is_zero())) {
            work.charge(f, w)?;
            sum += f * w;
        }
    }
    Ok(sum)
}

/// The arithmetic the grid tensors have cost so far: each multiplication or comparison is
/// charged the square of the 64-bit words of its operands (their gcds grow so, as in
/// `exact::Echelon`); past `MAX_GRID_WORK` the kernel refuses the certificate.
#[derive(Default)]
struct Work(u128);

impl Work {
    fn charge(&mut self, a: &Q, b: &Q) -> Result<(), Reason> {
        let words = |q: &Q| (q.numer().bits() + q.denom().bits()) / 64;
        let w = u128::from(1 + words(a) + words(b));
        self.0 = self.0.saturating_add(w.saturating_mul(w));
        if self.0 > MAX_GRID_WORK {
            return Err(Reason::OverBudget(Budget::Grid));
        }
        Ok(())
    }
}

/// A compared network: its name, its width if it is a shallow network, and its grid tensor.
pub struct Other {
    pub name: String,
    pub shallow_width: Option<usize>,
    pub grid: Vec<Q>,
}

/// A generalized network as a certificate lists it, reduced to what claims need: whether its
/// operator is the rectifier, the subject's grid tensor and the compared networks' (the cores
/// are dropped once the grids are computed).
pub struct Generalized {
    pub rectifier: bool,
    /// The subject's grid tensor, big-endian.
    pub grid: Vec<Q>,
    pub others: Vec<Other>,
    /// For a universality construction: the tensor `H` the network is built to realize, as
    /// listed (all entries, big-endian), for the claims to name.
    pub target: Option<Vec<Q>>,
}

/// The entries of `tensor H: N entries`: N lines `  H[i_1,...,i_T] = value` in big-endian order,
/// as many as the grid tensor has.
fn target(lines: &mut Lines, head: &str, sizes: &[usize], count: usize) -> Result<Vec<Q>, Reason> {
    let [entries] = holes(head, "{} entries")?;
    if number(entries)? != count {
        return Err(Reason::GridEntries {
            grid: "H".to_string(),
            actual: count,
            stated: entries.to_string(),
        });
    }
    (0..count)
        .map(|pos| rational(lines.take(&format!("  H[{}] = ", one_based(&index_at(sizes, pos))))?))
        .collect()
}

/// The SHA-256 of a grid tensor's canonical listing: `Gamma[i_1,...,i_T] = value\n` per entry,
/// 1-based, big-endian, zeros included.
fn digest(grid: &[Q], shape: &[usize]) -> String {
    let mut hasher = Sha256::new();
    for (pos, value) in grid.iter().enumerate() {
        hasher.update(format!(
            "Gamma[{}] = {}\n",
            one_based(&index_at(shape, pos)),
            q_text(value)
        ));
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The shape `core NAME: LxNxR` states, read without taking the line.
fn stated_shape(lines: &Lines, name: &str) -> Result<(usize, usize, usize), Reason> {
    let header = lines
        .peek()
        .and_then(|l| l.strip_prefix(&format!("core {name}: ")))
        .ok_or_else(|| Reason::Missing(Missing::Core(name.to_string())))?;
    let [shape, _, _] = holes(header, "{}, {} non-zero entries, sha256 {}")?;
    let [l, n, r] = holes(shape, "{}x{}x{}")?;
    Ok((number(l)?, number(n)?, number(r)?))
}

/// The cores of one network, names prefixed by `prefix`: `C1..CT, G1..GT` for an RNN, `lambda,
/// V1..VT` for a shallow network. `shape`: the ranks and widths (RNN) or the width (shallow)
/// the construction line states; `None` for a compared network, whose headers give them.
fn read_body(
    lines: &mut Lines,
    rnn: bool,
    prefix: &str,
    (t, m): (usize, usize),
    shape: Option<&str>,
    budget: &mut usize,
) -> Result<Body, Reason> {
    if rnn {
        let stated = match shape {
            Some(text) => {
                let [ranks, widths] = holes(text, "ranks {}, widths {}")?;
                let (ranks, widths) = (tuple(ranks)?, tuple(widths)?);
                if ranks.len() != t + 1 || ranks.first() != Some(&1) || ranks.last() != Some(&1) || widths.len() != t {
                    return Err(Reason::Misfit(Misfit::RanksAndWidths));
                }
                Some((ranks, widths))
            }
            None => None,
        };
        let misfit = || Reason::Misfit(Misfit::RanksAndWidths);
        let mut c = Vec::new();
        for k in 0..t {
            let name = format!("{prefix}C{}", k + 1);
            let width = match &stated {
                Some((_, widths)) => widths.get(k).copied().ok_or_else(misfit)?,
                None => stated_shape(lines, &name)?.0,
            };
            c.push(read_core(lines, &name, (width, m, Some(1)), budget)?);
        }
        let mut g: Vec<Core> = Vec::new();
        for (k, ck) in c.iter().enumerate() {
            let name = format!("{prefix}G{}", k + 1);
            let left = g.last().map_or(1, |p| p.right);
            let right = match &stated {
                Some((ranks, _)) => ranks.get(k + 1).copied().ok_or_else(misfit)?,
                None if k + 1 == t => 1,
                None => stated_shape(lines, &name)?.2,
            };
            g.push(read_core(lines, &name, (ck.left, left, Some(right)), budget)?);
        }
        Ok(Body::Rnn { c, g })
    } else {
        let width = match shape {
            Some(text) => number(text.strip_prefix("width ").ok_or(Reason::Missing(Missing::Width))?)?,
            None => stated_shape(lines, &format!("{prefix}lambda"))?.1,
        };
        let lambda = read_core(lines, &format!("{prefix}lambda"), (1, width, Some(1)), budget)?;
        let v = (0..t)
            .map(|k| read_core(lines, &format!("{prefix}V{}", k + 1), (1, m, Some(width)), budget))
            .collect::<Result<_, _>>()?;
        Ok(Body::Shallow { lambda, v })
    }
}

/// Whether `name` can name a compared network: letters, digits and `_`, starting with a letter.
fn is_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The rest of a `generalized-rnn` or `generalized-shallow` construction: `rest` is the line
/// after the mode sizes (`xi(x, y) = ..., ranks (...), widths (...)` or `..., width R`). Reads
/// the cores of `F`, the subject and the compared networks, the `drawn:` lines (free text, not
/// checked), a `network` line per compared network and the grid tensor lines, whose sizes and
/// digests are checked against the grid tensors the kernel computes.
pub fn read(
    lines: &mut Lines,
    rnn: bool,
    sizes: &[usize],
    rest: &str,
    budget: &mut usize,
) -> Result<Generalized, Reason> {
    let (t, m) = (sizes.len(), sizes.first().copied().unwrap_or(0));
    if sizes.iter().any(|&n| n != m) {
        return Err(Reason::Misfit(Misfit::Templates));
    }
    let (xi, shape) = Xi::ALL
        .into_iter()
        .find_map(|xi| Some((xi, rest.strip_prefix(xi.formula())?.strip_prefix(", ")?)))
        .ok_or(Reason::Misfit(Misfit::Operator))?;
    let features = read_core(lines, "F", (m, m, Some(1)), budget)?;
    let body = read_body(lines, rnn, "", (t, m), Some(shape), budget)?;
    let mut others: Vec<(String, Body)> = Vec::new();
    while let Some(header) = lines.peek().and_then(|l| l.strip_prefix("core ")) {
        let (name, first) = header
            .split_once(':')
            .and_then(|(n, _)| n.split_once('.'))
            .ok_or(Reason::Missing(Missing::ComparedCore))?;
        if !is_name(name) || others.iter().any(|(n, _)| n == name) {
            return Err(Reason::NotA {
                text: name.to_string(),
                form: Form::NetworkName,
            });
        }
        let rnn = match first {
            "C1" => true,
            "lambda" => false,
            _ => {
                return Err(Reason::NetworkCores {
                    network: name.to_string(),
                })
            }
        };
        let other = read_body(lines, rnn, &format!("{name}."), (t, m), None, budget)?;
        others.push((name.to_string(), other));
    }
    for (name, other) in &others {
        let should_read = format!("{}, {}", other.kind(), other.shape_text());
        if lines.take(&format!("network {name}: "))? != should_read {
            return Err(Reason::NetworkLine { should_read });
        }
    }
    // Both budgets are checked before any grid is computed.
    let count = (m as u128).checked_pow(t as u32).unwrap_or(u128::MAX);
    let networks = 1 + others.len() as u128;
    let steps = std::iter::once(&body)
        .chain(others.iter().map(|(_, b)| b))
        .fold(0u128, |s, b| s.saturating_add(b.steps(m)));
    if count.saturating_mul(networks) > MAX_GRID_ENTRIES || count.saturating_mul(steps) > MAX_GRID_STEPS {
        return Err(Reason::OverBudget(Budget::Grid));
    }
    let mut spent = Work::default();
    let mut grid_line = |label: &str, body: &Body| -> Result<Vec<Q>, Reason> {
        let [entries, stated] = holes(lines.take(&format!("grid tensor {label}: "))?, "{} entries, sha256 {}")?;
        let grid = body.grid(xi, &features, sizes, &mut spent)?;
        if number(entries)? != grid.len() {
            return Err(Reason::GridEntries {
                grid: label.to_string(),
                actual: grid.len(),
                stated: entries.to_string(),
            });
        }
        let actual = digest(&grid, sizes);
        if actual != stated {
            return Err(Reason::GridDigest {
                grid: label.to_string(),
                actual,
                stated: stated.to_string(),
            });
        }
        Ok(grid)
    };
    let grid = grid_line("Gamma", &body)?;
    let others = others
        .iter()
        .map(|(name, other)| {
            Ok(Other {
                name: name.clone(),
                shallow_width: match other {
                    Body::Shallow { lambda, .. } => Some(lambda.modes),
                    Body::Rnn { .. } => None,
                },
                grid: grid_line(&format!("Gamma_{name}"), other)?,
            })
        })
        .collect::<Result<_, Reason>>()?;
    let target = match lines.take_if("tensor H: ") {
        Some(line) => Some(target(lines, line, sizes, grid.len())?),
        None => None,
    };
    Ok(Generalized {
        rectifier: xi == Xi::Rectifier,
        grid,
        others,
        target,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn core(left: usize, modes: usize, right: usize, entries: &[i64]) -> Core {
        Core {
            left,
            modes,
            right,
            entries: entries.iter().map(|&v| Q::from_integer(v.into())).collect(),
        }
    }

    #[test]
    fn the_operators_and_their_units() {
        let q = |v: i64| Q::from_integer(v.into());
        let work = &mut Work::default();
        assert_eq!(Xi::Rectifier.apply(&q(-2), &q(-1), work), Ok(q(0)));
        assert_eq!(Xi::Rectifier.apply(&q(-2), &q(3), work), Ok(q(3)));
        assert_eq!(Xi::Product.apply(&Xi::Product.unit(), &q(5), work), Ok(q(5)));
        assert_eq!(Xi::Sum.apply(&Xi::Sum.unit(), &q(-5), work), Ok(q(-5)));
    }

    #[test]
    fn a_rectifier_rnn_and_a_shallow_network_by_hand() {
        // F = I (M = 2), T = 2. RNN of width 1, rank 1: C^t = (1, -1) picks x = 1 -> 1, x = 2 -> -1;
        // G^t = 1. h^1 = max(c, 0, 0), h^2 = max(c', h^1, 0): Gamma = [[1, 1], [1, 0]].
        let f = core(2, 2, 1, &[1, 0, 0, 1]);
        let rnn = Body::Rnn {
            c: vec![core(1, 2, 1, &[1, -1]); 2],
            g: vec![core(1, 1, 1, &[1]); 2],
        };
        let q = |v: &[i64]| v.iter().map(|&x| Q::from_integer(x.into())).collect::<Vec<_>>();
        assert_eq!(
            rnn.grid(Xi::Rectifier, &f, &[2, 2], &mut Work::default()),
            Ok(q(&[1, 1, 1, 0]))
        );
        // Shallow, width 2, xi = sum: lambda = (1, 2), v_t^1 = (1, 0), v_t^2 = (0, 1):
        // Gamma[i, j] = [i = 1] + [j = 1] + 2 ([i = 2] + [j = 2]).
        let shallow = Body::Shallow {
            lambda: core(1, 2, 1, &[1, 2]),
            v: vec![core(1, 2, 2, &[1, 0, 0, 1]); 2],
        };
        assert_eq!(
            shallow.grid(Xi::Sum, &f, &[2, 2], &mut Work::default()),
            Ok(q(&[2, 3, 3, 4]))
        );
        assert_eq!(shallow.shape_text(), "width 2");
        assert_eq!(rnn.shape_text(), "ranks (1,1,1), widths (1,1)");
    }

    /// A certificate of a rectifier RNN with `F = I`, every entry of every `C^t` and `G^t` equal
    /// to `value`, ranks `r` and widths `l`; its grid digest is not the grid's (the budgets act
    /// before the digest is compared).
    fn rnn_certificate(m: usize, t: usize, r: usize, l: usize, value: &str) -> String {
        let ranks: Vec<usize> = (0..=t).map(|k| if k == 0 || k == t { 1 } else { r }).collect();
        let list = |v: &[usize]| v.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
        let mut text = format!(
            "{}\n# case: c\ninstance: n=1\nconventions: {}\nconstruction: generalized-rnn, order {t}, mode sizes ({}), xi(x, y) = max(x, y, 0), ranks ({}), widths ({})\n",
            crate::HEADER,
            crate::CONVENTIONS,
            list(&vec![m; t]),
            list(&ranks),
            list(&vec![l; t])
        );
        let mut core =
            |name: String, (a, n, b): (usize, usize, usize), entry: &dyn Fn(usize, usize) -> Option<String>| {
                let entries: Vec<String> = (0..a * n * b)
                    .filter_map(|p| {
                        entry(p / (n * b), p / b % n)
                            .map(|v| format!("  {name}[{},{},{}] = {v}", p / (n * b) + 1, p / b % n + 1, p % b + 1))
                    })
                    .collect();
                let canonical: String = std::iter::once(format!("{name} {a}x{n}x{b}"))
                    .chain(entries.iter().cloned())
                    .map(|line| line + "\n")
                    .collect();
                let digest: String = Sha256::digest(canonical.as_bytes())
                    .iter()
                    .map(|x| format!("{x:02x}"))
                    .collect();
                text.push_str(&format!(
                    "core {name}: {a}x{n}x{b}, {} non-zero entries, sha256 {digest}\n",
                    entries.len()
                ));
                entries.iter().for_each(|line| text.push_str(&format!("{line}\n")));
            };
        core("F".into(), (m, m, 1), &|a, i| (a == i).then(|| "1".to_string()));
        (0..t).for_each(|k| core(format!("C{}", k + 1), (l, m, 1), &|_, _| Some(value.to_string())));
        (0..t).for_each(|k| {
            core(format!("G{}", k + 1), (l, ranks[k], ranks[k + 1]), &|_, _| {
                Some(value.to_string())
            })
        });
        let count = m.pow(t as u32);
        text + &format!(
            "grid tensor Gamma: {count} entries, sha256 {}\nclaim 1: grid-pattern\n  from: zero-where = \"false\"\n  statement: the grid tensor Gamma is 0 exactly where false\n  expected: holds\n  verdict: holds (as expected)\n  evidence: Gamma is 0 at exactly the 0 claimed indices and non-zero at the other {count}, checked entry by entry\n",
            "0".repeat(64)
        )
    }

    #[test]
    fn grid_tensors_past_the_budgets_are_refused_not_computed() {
        // A small one is computed (and its digest found wrong).
        let small = crate::check(&rnn_certificate(2, 2, 2, 2, "1")).unwrap_err();
        assert!(
            matches!(&small.reason, Reason::GridDigest { grid, .. } if grid == "Gamma"),
            "{small}"
        );
        // 4^8 templates through rank-12 RNNs: refused from the shapes alone.
        let wide = crate::check(&rnn_certificate(4, 8, 12, 12, "1")).unwrap_err();
        assert_eq!(wide.reason, Reason::OverBudget(Budget::Grid), "{wide}");
        // Small shapes, 9001-digit entries: refused once the arithmetic has cost the budget.
        let big = format!("1{}", "0".repeat(9000));
        let long = crate::check(&rnn_certificate(3, 4, 1, 1, &big)).unwrap_err();
        assert_eq!(long.reason, Reason::OverBudget(Budget::Grid), "{long}");
    }
}
