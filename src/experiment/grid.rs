//! The grid tensor of a drawn network, fast: exactly in `i128` fixed point for the rectifier,
//! in `f64` for every operator with a floating-point form; and the order in which the odd/even
//! matricization reads a tensor's entries.

use super::{Drawn, DRAW_BITS};
use crate::network::generalized::Xi;

/// `Gamma = numerators / 2^exponent`, entries in tensor order (big-endian, `i_1` slowest).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DyadicGrid {
    pub numerators: Vec<i128>,
    pub exponent: u32,
}

/// The projections `P^t[i, x] = [C^t f(x^(x))]_i` as numerators over `2^(2K)`, row `i`,
/// column `x`; `None` if a magnitude exceeds `limit`.
fn projections(drawn: &Drawn, t: usize, limit: u128) -> Option<Vec<i128>> {
    let m = drawn.templates;
    let f = drawn.features();
    let c = &drawn.c[t];
    let mut p = Vec::with_capacity(drawn.widths[t] * m);
    for i in 0..drawn.widths[t] {
        for x in 0..m {
            let mut s: i128 = 0;
            for j in 0..m {
                s = s.checked_add((c[i * m + j] as i128).checked_mul(f[x * m + j] as i128)?)?;
            }
            (s.unsigned_abs() <= limit).then_some(())?;
            p.push(s);
        }
    }
    Some(p)
}

/// The rectifier grid tensor exactly, as integers over `2^((T+2)K)` (`K = DRAW_BITS`), or
/// `None` when the a priori bound on some magnitude exceeds `limit` (at most `i128::MAX`; a
/// smaller limit only makes the fallback happen earlier, which the tests use).
///
/// The state before step `t` (1-based) holds `2^((t+1)K) h^{t-1}` for every prefix; the unit
/// `h^0 = 0`. Step `t` shifts the projections (over `2^(2K)`) left by `(t-1)K` bits onto the
/// same grid, takes `v = max(p_i, h_j, 0)` exactly, and sums `G^t[i,j,k] v` (over `2^K`), so
/// the new state is over `2^((t+2)K)`. Before the step, `V = max(max_i,x p_i^+, max h^+)` and
/// `B_k = V sum_{i,j} |G^t[i,j,k]|` bound every partial sum of output `k`; the step runs only
/// if every `B_k <= limit`, so plain `i128` arithmetic cannot overflow in it.
pub fn rectifier_grid(drawn: &Drawn, limit: u128) -> Option<DyadicGrid> {
    drawn.check().ok()?;
    let limit = limit.min(i128::MAX as u128);
    let (m, k) = (drawn.templates, DRAW_BITS);
    let mut state: Vec<i128> = vec![0];
    let mut exponent = 2 * k;
    for t in 0..drawn.length() {
        let (l, left, right) = (drawn.widths[t], drawn.ranks[t], drawn.ranks[t + 1]);
        let shift = exponent - 2 * k;
        // a[i * m + x] = max(p, 0) on the state's grid.
        let a: Vec<i128> = projections(drawn, t, limit)?
            .into_iter()
            .map(|p| {
                let p = p.max(0) as u128;
                (shift < 128 && p <= limit >> shift).then_some((p << shift) as i128)
            })
            .collect::<Option<_>>()?;
        let a_max = a.iter().copied().max().unwrap_or(0) as u128;
        let h_max = state.iter().map(|&h| h.max(0) as u128).max().unwrap_or(0);
        let v_max = a_max.max(h_max);
        let g: Vec<i128> = drawn.g[t].iter().map(|&x| x as i128).collect();
        for out in 0..right {
            let weight = (0..l * left).try_fold(0u128, |s, ij| s.checked_add(g[ij * right + out].unsigned_abs()))?;
            (weight.checked_mul(v_max)? <= limit).then_some(())?;
        }
        let prefixes = state.len() / left;
        let mut next = vec![0i128; prefixes * m * right];
        let mut positive = vec![0i128; left];
        let mut acc = vec![0i128; left];
        for (prefix, h) in state.chunks_exact(left).enumerate() {
            for (hp, &hj) in positive.iter_mut().zip(h) {
                *hp = hj.max(0);
            }
            for x in 0..m {
                let out = &mut next[(prefix * m + x) * right..][..right];
                if right == 1 {
                    // One output: a partial sum per j (independent chains; exact in any order).
                    acc.fill(0);
                    for i in 0..l {
                        let ai = a[i * m + x];
                        for ((s, &w), &hj) in acc.iter_mut().zip(&g[i * left..][..left]).zip(&positive) {
                            *s += w * ai.max(hj);
                        }
                    }
                    out[0] = acc.iter().sum();
                    continue;
                }
                for i in 0..l {
                    let ai = a[i * m + x];
                    for (j, &hj) in positive.iter().enumerate() {
                        let v = ai.max(hj);
                        if v == 0 {
                            continue;
                        }
                        let gij = &g[(i * left + j) * right..][..right];
                        for (o, &w) in out.iter_mut().zip(gij) {
                            *o += w * v;
                        }
                    }
                }
            }
        }
        state = next;
        exponent += k;
    }
    Some(DyadicGrid {
        numerators: state,
        exponent,
    })
}

/// The grid tensor in `f64`, entries in tensor order: the same recursion with every entry
/// converted exactly (dyadic numerators below `2^53`) and the arithmetic in floating point,
/// as the sources computed it. `None` for softplus (its unit is not a number). sqrt is
/// `(x * x + y * y).sqrt()`: IEEE operations, each correctly rounded, so that the bytes do not
/// depend on a platform's `hypot`.
pub fn float_grid(drawn: &Drawn, xi: Xi) -> Option<Vec<f64>> {
    drawn.check().ok()?;
    Some(match xi {
        Xi::Product => float_recursion(drawn, 1.0, |x, y| x * y),
        Xi::Sum => float_recursion(drawn, 0.0, |x, y| x + y),
        Xi::Rectifier => float_recursion(drawn, 0.0, |x, y| x.max(y).max(0.0)),
        Xi::Sqrt => float_recursion(drawn, 0.0, |x, y| (x * x + y * y).sqrt()),
        Xi::Softplus => return None,
    })
}

/// [`float_grid`] for one operator (a closure, so that it is inlined in the loops).
fn float_recursion(drawn: &Drawn, unit: f64, op: impl Fn(f64, f64) -> f64) -> Vec<f64> {
    let scale = 1.0 / (1u64 << DRAW_BITS) as f64;
    let value = |n: i64| n as f64 * scale;
    let m = drawn.templates;
    let f: Vec<f64> = drawn.features().into_iter().map(value).collect();
    let mut state = vec![unit];
    for t in 0..drawn.length() {
        let (l, left, right) = (drawn.widths[t], drawn.ranks[t], drawn.ranks[t + 1]);
        let c: Vec<f64> = drawn.c[t].iter().map(|&x| value(x)).collect();
        let g: Vec<f64> = drawn.g[t].iter().map(|&x| value(x)).collect();
        let p: Vec<f64> = (0..l * m)
            .map(|ix| (0..m).fold(0.0, |s, j| s + c[(ix / m) * m + j] * f[(ix % m) * m + j]))
            .collect();
        let mut next = vec![0.0; state.len() / left * m * right];
        let mut acc = vec![0.0; left];
        for (prefix, h) in state.chunks_exact(left).enumerate() {
            for x in 0..m {
                let out = &mut next[(prefix * m + x) * right..][..right];
                if right == 1 {
                    // One output: a partial sum per j, added up in j order at the end.
                    acc.fill(0.0);
                    for i in 0..l {
                        let pi = p[i * m + x];
                        for ((s, &w), &hj) in acc.iter_mut().zip(&g[i * left..][..left]).zip(h) {
                            *s += w * op(pi, hj);
                        }
                    }
                    out[0] = acc.iter().sum();
                    continue;
                }
                for i in 0..l {
                    let pi = p[i * m + x];
                    for (j, &hj) in h.iter().enumerate() {
                        let v = op(pi, hj);
                        let gij = &g[(i * left + j) * right..][..right];
                        for (o, &w) in out.iter_mut().zip(gij) {
                            *o += w * v;
                        }
                    }
                }
            }
        }
        state = next;
    }
    state
}

/// For each entry of the odd/even matricization of an order-`t` tensor with `m` values per mode
/// (rows `(1,3,...,t-1)`, columns `(2,4,...,t)`, both big-endian, read row by row), the linear
/// index of that entry in the tensor (big-endian). `t` even.
pub fn odd_even_order(m: usize, t: usize) -> Vec<usize> {
    let half = t / 2;
    let side = m.pow(half as u32);
    // The tensor offset of the row (or column) multi-index with number `r`: digit s of r (most
    // significant first) is index i_{2s+1} (or i_{2s+2}), of weight m^(t-1-2s) (or m^(t-2-2s)).
    let offsets = |first: usize| -> Vec<usize> {
        (0..side)
            .map(|r| {
                let mut rest = r;
                let mut offset = 0;
                for s in (0..half).rev() {
                    offset += (rest % m) * m.pow((t - 1 - 2 * s - first) as u32);
                    rest /= m;
                }
                offset
            })
            .collect()
    };
    let (rows, cols) = (offsets(0), offsets(1));
    rows.iter().flat_map(|&r| cols.iter().map(move |&c| r + c)).collect()
}
