//! What a certificate says its case claims, re-evaluated with the kernel's own evaluator
//! (`expr`): the instance's parameter values and `let` definitions (`let: q = min(n, r) = 2`),
//! each claim's keys as the case file writes them (`from: at-least = "q^(d/2)"`), which must give
//! the claim's statement line exactly, and the expected verdict with the condition it follows
//! from (`expected: holds, since fails-where "n < r" is false here`). It does not decide claims:
//! whether the statement is true is the evidence's part (`lib.rs`).

use crate::every_depth::Depths;
use crate::exact::one_based;
use crate::expr::{self, Value};
use crate::field::{q_text, Q};
use crate::read::{integer, rational};
use crate::rejection::{EveryDepthFault, Form, Misfit, Reason, Verdict};
use crate::tree::ModeTree;
use num_bigint::BigInt;
use num_traits::ToPrimitive;

/// The expectation of a claim outside the region its case proves.
pub const PROBE: &str = "probe (outside the region the case proves; either verdict is reported)";

/// The names a certificate binds, in order: the instance's parameters, then its `let`s; and, for
/// an instance about every depth (`d=even`), its depths, with d bound to nothing.
#[derive(Default)]
pub struct Names {
    bound: Vec<(String, Q)>,
    pub depths: Option<Depths>,
}

impl Names {
    /// The parameters of `instance: n=2, r=3, d=4` (integers), or `d=even`, `d=all`,
    /// `d=even>=4`, `d=all>=3` (the depths of an instance about every depth, written as tnproof
    /// labels them: the least depth only when it is not 2).
    pub fn instance(line: &str) -> Result<Names, Reason> {
        let mut names = Names::default();
        for pair in line.split(", ") {
            let bad = || Reason::NotA {
                text: pair.to_string(),
                form: Form::Binding,
            };
            let (name, value) = pair.split_once('=').ok_or_else(bad)?;
            if !is_name(name) {
                return Err(bad());
            }
            if name == "d" && names.depths.is_none() {
                if let Some(depths) = depths(value) {
                    names.depths = Some(depths);
                    continue;
                }
            }
            names
                .bound
                .push((name.to_string(), Q::from_integer(integer(value)?.into())));
        }
        Ok(names)
    }

    /// Checks `q = min(n, r) = 2` (the text after `let: `) and binds `q`.
    pub fn define(&mut self, line: &str) -> Result<(), Reason> {
        let bad = || Reason::NotA {
            text: line.to_string(),
            form: Form::Definition,
        };
        let (name, rest) = line.split_once(" = ").ok_or_else(bad)?;
        let (definition, written) = rest.rsplit_once(" = ").ok_or_else(bad)?;
        if !is_name(name) {
            return Err(bad());
        }
        let written = rational(written)?;
        let value = self.number(definition, &[])?;
        if value != written {
            return Err(Reason::LetValue {
                name: name.to_string(),
                value: q_text(&value),
            });
        }
        self.bound.push((name.to_string(), value));
        Ok(())
    }

    /// The value of a parameter or `let`.
    pub fn lookup(&self, name: &str) -> Option<Value> {
        self.value(name, &[])
    }

    /// The value of `name`: the innermost of `extra`, else the last binding of the name.
    fn value(&self, name: &str, extra: &[(&str, Q)]) -> Option<Value> {
        let extra = extra.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v);
        let bound = || self.bound.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v);
        extra.or_else(bound).map(|v| Value::Num(v.clone()))
    }

    /// Evaluates `text` with these names and `extra` (such as `k`, `m`, `cut`).
    fn eval(&self, text: &str, extra: &[(&str, Q)]) -> Result<Value, Reason> {
        expr::eval(text, &|name| self.value(name, extra), None).map_err(|fault| Reason::expression(text, fault))
    }

    fn number(&self, text: &str, extra: &[(&str, Q)]) -> Result<Q, Reason> {
        match self.eval(text, extra)? {
            Value::Num(q) => Ok(q),
            Value::Bool(_) => Err(Reason::expression(text, expr::ExprFault::NotANumber)),
        }
    }

    fn integer(&self, text: &str, extra: &[(&str, Q)]) -> Result<i64, Reason> {
        let q = self.number(text, extra)?;
        q.is_integer()
            .then(|| q.numer().to_i64())
            .flatten()
            .ok_or_else(|| Reason::expression(text, expr::ExprFault::NotAnInteger))
    }

    fn condition(&self, text: &str, extra: &[(&str, Q)]) -> Result<bool, Reason> {
        match self.eval(text, extra)? {
            Value::Bool(b) => Ok(b),
            Value::Num(_) => Err(Reason::expression(text, expr::ExprFault::NotACondition)),
        }
    }
}

/// The depths a label names: `even`, `all`, `even>=K` (K even, at least 4), `all>=K` (K at
/// least 3).
fn depths(label: &str) -> Option<Depths> {
    let (word, least) = match label.split_once(">=") {
        Some((word, least)) => (word, least.parse::<usize>().ok().filter(|l| l.to_string() == least)?),
        None => (label, 2),
    };
    let even = match word {
        "even" => true,
        "all" => false,
        _ => return None,
    };
    let canonical = least == 2 && !label.contains(">=") || least > 2 && (!even || least % 2 == 0);
    canonical.then_some(Depths { even, least })
}

/// `every even d >= 2`, `every d >= 3`: how statements and the `depths:` line say the depths.
pub fn depths_text(depths: Depths) -> String {
    let parity = if depths.even { "even " } else { "" };
    format!("every {parity}d >= {}", depths.least)
}

/// The statement of a claim of `kind` about every depth of `depths`, from its keys; `period` is
/// the train's. Only the kinds decided for every depth have one; the odd/even ones need even
/// depths; a rank bound must be `c ^ (d / 2)`; a support path may use k only through `k % p`
/// with p dividing the period.
pub fn every_depth_statement(
    kind: &str,
    keys: &Keys,
    names: &Names,
    depths: Depths,
    period: usize,
) -> Result<String, Reason> {
    let missing = || Reason::ClaimKeys { kind: kind.to_string() };
    let key = |k: &str| keys.get(k).ok_or_else(missing);
    let count = |text: &str, extra: &[(&str, Q)]| {
        let v = names.integer(text, extra)?;
        usize::try_from(v).map_err(|_| Reason::expression(text, expr::ExprFault::TooLarge))
    };
    let odd_even = || {
        if keys.get("matricization") != Some("odd-even") || keys.get("rows").is_some() {
            return Err(missing());
        }
        if !depths.even {
            return Err(Reason::EveryDepth(EveryDepthFault::OddDepths));
        }
        Ok("X_d^((1,3,..,d-1),(2,4,..,d))")
    };
    let fits = |expected: &[&str]| expected.len() == keys.0.len() && expected.iter().all(|k| keys.get(k).is_some());
    let for_every = depths_text(depths);
    Ok(match kind {
        "identity-submatrix" if fits(&["matricization", "q"]) => {
            let m = odd_even()?;
            format!(
                "for {for_every}, {m} restricted to indices 1..{} is the identity matrix",
                count(key("q")?, &[])?
            )
        }
        "matricization-rank" | "cp-rank-lower-bound" if fits(&["matricization", "at-least"]) => {
            let m = odd_even()?;
            let text = key("at-least")?;
            let parsed = expr::Expr::parse(text).map_err(|fault| Reason::expression(text, fault))?;
            let base = parsed
                .half_power_base("d")
                .ok_or(Reason::EveryDepth(EveryDepthFault::NotAHalfPower))?;
            let base = match base.eval(&|name| names.value(name, &[]), None) {
                Ok(Value::Num(c)) if c.is_integer() && c > int(0) => c.numer().to_usize(),
                Ok(_) => None,
                Err(fault) => return Err(Reason::expression(text, fault)),
            }
            .ok_or(Reason::EveryDepth(EveryDepthFault::NotAHalfPower))?;
            if kind == "matricization-rank" {
                format!("for {for_every}, rank {m} >= {base}^(d/2)")
            } else {
                format!("for {for_every}, rank_CP X_d >= {base}^(d/2), from rank {m} by Lemma 1")
            }
        }
        "support-structure" if fits(&["path", "q"]) => {
            let q = count(key("q")?, &[])?;
            let path = key("path")?;
            expr::Expr::parse(path)
                .map_err(|fault| Reason::expression(path, fault))?
                .period("k", None)
                .filter(|p| period.is_multiple_of(*p))
                .ok_or(Reason::EveryDepth(EveryDepthFault::PathNotPeriodic { period }))?;
            let mut out = format!(
                "for {for_every}, every non-zero summand of X_d over [{q}]^d has a_k = path(k, i_k), with path(k, i) for i = 1..{q}:"
            );
            for c in 0..period {
                // A bond k >= 1 of class c: the path takes one value on the whole class.
                let k = if c == 0 { period } else { c };
                out.push_str(&format!(" k%{period}={c}: {}", path_row(names, path, k, q)?));
            }
            out
        }
        "identity-submatrix" | "matricization-rank" | "cp-rank-lower-bound" | "support-structure" => {
            return Err(missing())
        }
        other => {
            return Err(Reason::EveryDepth(EveryDepthFault::NotDecided {
                kind: other.to_string(),
            }))
        }
    })
}

/// The Lemma 3 path at bond `k` for `i = 1..q`: `(a_1,..,a_q)`.
fn path_row(names: &Names, path: &str, k: usize, q: usize) -> Result<String, Reason> {
    let row = (1..=q)
        .map(|i| {
            names
                .integer(path, &[("k", int(k)), ("i", int(i))])
                .map(|a| a.to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(format!("({})", row.join(",")))
}

/// A name of the expression language.
fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `n` as the value of a name.
fn int(n: usize) -> Q {
    Q::from_integer(BigInt::from(n))
}

/// The expected verdict (`None`: a probe) of an `expected:` line, checked against the conditions
/// it gives: `holds, since fails-where "n < r" is false here`; several are joined by ` and `.
pub fn expected(names: &Names, text: &str) -> Result<Option<Verdict>, Reason> {
    let (word, since) = match text.split_once(", since ") {
        Some((word, since)) => (word, Some(since)),
        None => (text, None),
    };
    let stated = match word {
        "holds" => Some(Verdict::Holds),
        "fails" => Some(Verdict::Fails),
        "undecided" => Some(Verdict::Undecided),
        PROBE => None,
        other => {
            return Err(Reason::NotA {
                text: other.to_string(),
                form: Form::Expectation,
            })
        }
    };
    let Some(since) = since else {
        return Ok(stated);
    };
    let conditions = conditions(since).ok_or_else(|| Reason::NotA {
        text: since.to_string(),
        form: Form::Expectation,
    })?;
    // The verdict of the one condition that is true; none true: holds, or a probe when the
    // claim has a proved region (`holds-where`).
    let mut follows = Some(Verdict::Holds);
    let (mut some_true, mut proved_region) = (false, false);
    for (key, condition, written) in conditions {
        let value = names.condition(condition, &[])?;
        if value != written {
            return Err(Reason::ConditionValue {
                condition: condition.to_string(),
                value,
            });
        }
        let verdict = match key {
            "holds-where" => Verdict::Holds,
            "fails-where" => Verdict::Fails,
            "undecided-where" => Verdict::Undecided,
            _ => {
                return Err(Reason::NotA {
                    text: key.to_string(),
                    form: Form::Expectation,
                })
            }
        };
        proved_region |= verdict == Verdict::Holds;
        if value {
            if some_true {
                return Err(Reason::ConditionsOverlap);
            }
            (some_true, follows) = (true, Some(verdict));
        }
    }
    if !some_true && proved_region {
        follows = None;
    }
    if follows != stated {
        return Err(Reason::ExpectedFrom { follows });
    }
    Ok(stated)
}

/// `fails-where "c1" is false and undecided-where "c2" is true here`, as (key, condition, value).
fn conditions(since: &str) -> Option<Vec<(&str, &str, bool)>> {
    let mut rest = since.strip_suffix(" here")?;
    let mut out = Vec::new();
    loop {
        let (key, after) = rest.split_once(" \"")?;
        let (condition, after) = after.split_once("\" is ")?;
        let (value, next) = match after.split_once(" and ") {
            Some((value, next)) => (value, Some(next)),
            None => (after, None),
        };
        let value = match value {
            "true" => true,
            "false" => false,
            _ => return None,
        };
        out.push((key, condition, value));
        match next {
            Some(next) => rest = next,
            None => return Some(out),
        }
    }
}

/// A claim's `from:` keys.
pub struct Keys<'l>(pub Vec<(&'l str, &'l str)>);

impl<'l> Keys<'l> {
    /// `key = "text"`, the text after `from: `.
    pub fn read(&mut self, line: &'l str) -> Result<(), Reason> {
        let pair = line
            .split_once(" = \"")
            .and_then(|(key, rest)| Some((key, rest.strip_suffix('"')?)));
        let (key, text) = pair.ok_or_else(|| Reason::NotA {
            text: line.to_string(),
            form: Form::Definition,
        })?;
        self.0.push((key, text));
        Ok(())
    }

    fn get(&self, key: &str) -> Option<&'l str> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
    }

    /// The one of `keys` given, with its index there.
    fn one_of(&self, keys: &[&'static str]) -> Option<(usize, &'l str)> {
        let mut given = keys.iter().enumerate().filter_map(|(i, k)| Some((i, self.get(k)?)));
        let first = given.next()?;
        given.next().is_none().then_some(first)
    }
}

/// The tree a claim's `tree` key names (a geometry or a tree's text), else `otherwise`.
fn stated_tree(key: Option<&str>, d: usize, otherwise: Option<ModeTree>, missing: Reason) -> Result<ModeTree, Reason> {
    match key {
        Some("balanced") => Ok(ModeTree::balanced(d)),
        Some("contiguous") => ModeTree::contiguous(d).ok_or(missing),
        Some("mirror") => ModeTree::mirror(d).ok_or(missing),
        Some(text) => ModeTree::parse(text, d).map_err(|fault| Reason::Tree {
            text: text.to_string(),
            fault: fault.problem.to_string(),
        }),
        None => otherwise.ok_or(missing),
    }
}

/// An expression's value at each node of `tree` below the root, in post-order, from the node's
/// `level`, `first` and `last` (1-based), shown as a tuple.
fn node_bounds(tree: &ModeTree, text: &str, names: &Names) -> Result<String, Reason> {
    let nodes = tree.post_order();
    let bounds = nodes
        .iter()
        .take(nodes.len().saturating_sub(1))
        .map(|node| {
            let (first, last) = node.first_last();
            let v = names.integer(
                text,
                &[
                    ("level", int(node.level())),
                    ("first", int(first + 1)),
                    ("last", int(last + 1)),
                ],
            )?;
            usize::try_from(v)
                .map(|b| b.to_string())
                .map_err(|_| Reason::expression(text, expr::ExprFault::TooLarge))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(format!("({})", bounds.join(",")))
}

/// The statement of an `ht-ranks` claim: the tree (the `tree` key's, else the network's), the
/// relation and each node's bound below the root, in post-order, from the bound's expression in
/// `level`, `first` and `last` (1-based).
fn ht_ranks_statement(keys: &Keys, names: &Names, d: usize, network_tree: Option<&ModeTree>) -> Result<String, Reason> {
    let missing = || Reason::ClaimKeys {
        kind: "ht-ranks".to_string(),
    };
    let tree_key = keys.get("tree");
    if keys.0.len() != 1 + usize::from(tree_key.is_some()) {
        return Err(missing());
    }
    let (i, text) = keys.one_of(&["equal", "at-most"]).ok_or_else(missing)?;
    let symbol = if i == 0 { "=" } else { "<=" };
    let tree = match tree_key {
        None => network_tree.cloned().ok_or(Reason::Misfit(Misfit::NeedsTree))?,
        key => stated_tree(key, d, None, missing())?,
    };
    Ok(format!(
        "HT-ranks over the tree {tree} {symbol} {}",
        node_bounds(&tree, text, names)?
    ))
}

/// The statement of a `conversion` claim: to a TT, the bound at each bond k = 1..d-1; to an HT
/// over the `tree` key's tree (else the network's own, else the balanced one), at each node.
fn conversion_statement(
    keys: &Keys,
    names: &Names,
    d: usize,
    network_tree: Option<&ModeTree>,
) -> Result<String, Reason> {
    let missing = || Reason::ClaimKeys {
        kind: "conversion".to_string(),
    };
    let tree_key = keys.get("tree");
    let (to, text) = (
        keys.get("to").ok_or_else(missing)?,
        keys.get("at-most").ok_or_else(missing)?,
    );
    if keys.0.len() != 2 + usize::from(tree_key.is_some()) {
        return Err(missing());
    }
    match to {
        "tt" if tree_key.is_none() => {
            let bounds = (1..d)
                .map(|k| {
                    let v = names.integer(text, &[("k", int(k))])?;
                    usize::try_from(v)
                        .map(|b| b.to_string())
                        .map_err(|_| Reason::expression(text, expr::ExprFault::TooLarge))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(format!("X is a TT with bond dimensions <= ({})", bounds.join(",")))
        }
        "ht" => {
            let own = network_tree.cloned().unwrap_or_else(|| ModeTree::balanced(d));
            let tree = stated_tree(tree_key, d, Some(own), missing())?;
            Ok(format!(
                "X is an HT over the tree {tree} with node ranks <= {}",
                node_bounds(&tree, text, names)?
            ))
        }
        _ => Err(missing()),
    }
}

/// The statement a claim of `kind` makes, from its keys: what its `statement:` line must read.
/// `sizes` are the mode sizes; `cut` the cut bound of a row set (0-based modes).
pub fn statement(
    kind: &str,
    keys: &Keys,
    names: &Names,
    sizes: &[usize],
    cut: &dyn Fn(&[usize]) -> u128,
    network_tree: Option<&ModeTree>,
) -> Result<String, Reason> {
    let d = sizes.len();
    let missing = || Reason::ClaimKeys { kind: kind.to_string() };
    if kind == "ht-ranks" {
        return ht_ranks_statement(keys, names, d, network_tree);
    }
    if kind == "conversion" {
        return conversion_statement(keys, names, d, network_tree);
    }
    let key = |k: &str| keys.get(k).ok_or_else(missing);
    let expected_keys: &[&str] = match kind {
        "identity-submatrix" => &["matricization|rows", "q"],
        "matricization-rank" => &["matricization|rows", "at-least|equal|at-most"],
        "cp-rank-lower-bound" => &["matricization|rows", "at-least"],
        "cp-rank-upper-bound" if keys.0.len() == 1 => &["at-most"],
        "cp-rank-upper-bound" => &["matricization|rows", "at-most"],
        "tt-ranks" => &["equal|at-most"],
        "support-structure" => &["path", "q"],
        "grid-tensor-equal" => &["to"],
        "grid-pattern" => &["zero-where"],
        "shallow-width-lower-bound" => &["at-least"],
        other => {
            return Err(Reason::UnknownClaimKind {
                kind: other.to_string(),
            })
        }
    };
    // Exactly the keys the kind takes, one of each alternative, nothing else.
    let fits = expected_keys.len() == keys.0.len()
        && expected_keys
            .iter()
            .all(|alternatives| alternatives.split('|').filter(|k| keys.get(k).is_some()).count() == 1);
    if !fits {
        return Err(missing());
    }
    let relation = |allowed: &[&'static str]| {
        let (i, text) = keys.one_of(allowed).ok_or_else(missing)?;
        let symbol = match allowed.get(i) {
            Some(&"at-least") => ">=",
            Some(&"equal") => "=",
            _ => "<=",
        };
        Ok::<_, Reason>((symbol, text))
    };
    let count = |text: &str, extra: &[(&str, Q)]| {
        let v = names.integer(text, extra)?;
        usize::try_from(v).map_err(|_| Reason::expression(text, expr::ExprFault::TooLarge))
    };
    Ok(match kind {
        "identity-submatrix" => {
            let (rows, cols) = matricization(keys, names, d)?;
            let q = count(key("q")?, &[])?;
            format!(
                "X^({},{}) restricted to indices 1..{q} is the identity matrix",
                tuple(&rows),
                tuple(&cols)
            )
        }
        "matricization-rank" | "cp-rank-lower-bound" => {
            let (rows, cols) = matricization(keys, names, d)?;
            let cut = Q::from_integer(BigInt::from(cut(&rows)));
            let (symbol, text) = relation(&["at-least", "equal", "at-most"])?;
            let bound = count(text, &[("cut", cut)])?;
            let m = format!("{},{}", tuple(&rows), tuple(&cols));
            if kind == "matricization-rank" {
                format!("rank X^({m}) {symbol} {bound}")
            } else {
                format!("rank_CP X >= {bound}, from rank X^({m}) by Lemma 1")
            }
        }
        "cp-rank-upper-bound" => {
            let bound = count(key("at-most")?, &[])?;
            if keys.0.len() == 1 {
                format!("rank_CP X <= {bound}")
            } else {
                let (rows, cols) = matricization(keys, names, d)?;
                format!(
                    "rank_CP X <= {bound}, against rank X^({},{}) by Lemma 1",
                    tuple(&rows),
                    tuple(&cols)
                )
            }
        }
        "tt-ranks" => {
            let (symbol, text) = relation(&["equal", "at-most"])?;
            let bounds = (1..d)
                .map(|k| count(text, &[("k", int(k))]).map(|b| b.to_string()))
                .collect::<Result<Vec<_>, _>>()?;
            format!("TT-ranks {symbol} ({})", bounds.join(","))
        }
        "support-structure" => {
            let q = count(key("q")?, &[])?;
            let path = key("path")?;
            let mut out = format!(
                "every non-zero summand over [{q}]^{d} has a_k = path(k, i_k), with path(k, i) for i = 1..{q}:"
            );
            for k in 1..d {
                out.push_str(&format!(" k={k}: {}", path_row(names, path, k, q)?));
            }
            out
        }
        "grid-tensor-equal" => format!("the grid tensor Gamma equals {} at every index", key("to")?),
        "grid-pattern" => format!("the grid tensor Gamma is 0 exactly where {}", key("zero-where")?),
        _ => {
            let bound = names.number(key("at-least")?, &[])?;
            let (rows, cols) = odd_even(d);
            format!(
                "a rectifier shallow network with grid tensor Gamma has width >= rank Gamma^({},{}) / (T M / 2) >= {}",
                tuple(&rows),
                tuple(&cols),
                q_text(&bound)
            )
        }
    })
}

/// The row and column modes (0-based) the keys give: `matricization = "odd-even"` or `rows`, a
/// condition on the mode `m` (1-based).
fn matricization(keys: &Keys, names: &Names, d: usize) -> Result<(Vec<usize>, Vec<usize>), Reason> {
    if let Some(text) = keys.get("rows") {
        let mut split = (Vec::new(), Vec::new());
        for m in 0..d {
            let side = if names.condition(text, &[("m", int(m + 1))])? {
                &mut split.0
            } else {
                &mut split.1
            };
            side.push(m);
        }
        return Ok(split);
    }
    match keys.get("matricization") {
        Some("odd-even") => Ok(odd_even(d)),
        _ => Err(Reason::ClaimKeys {
            kind: "matricization".to_string(),
        }),
    }
}

/// Rows `(1,3,...)`, columns `(2,4,...)`, 0-based.
fn odd_even(d: usize) -> (Vec<usize>, Vec<usize>) {
    (0..d).partition(|m| m % 2 == 0)
}

/// 0-based modes shown 1-based: `(1,3,5)`.
fn tuple(modes: &[usize]) -> String {
    format!("({})", one_based(modes))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn names() -> Names {
        let mut names = Names::instance("n=2, r=3, d=4").unwrap();
        names.define("q = min(n, r) = 2").unwrap();
        names
    }

    #[test]
    fn lets_are_evaluated_in_order_and_checked() {
        let mut n = names();
        n.define("p = q^(d/2) + 1/2 = 9/2").unwrap();
        assert!(matches!(n.define("s = q + 1 = 4"), Err(Reason::LetValue { value, .. }) if value == "3"));
        assert!(matches!(n.define("s = t = 4"), Err(Reason::Expression { .. })));
        assert!(Names::instance("n=2, r").is_err());
        assert!(Names::instance("2n=2").is_err());
    }

    #[test]
    fn the_expected_verdict_follows_from_its_conditions() {
        let n = names();
        assert_eq!(expected(&n, "holds"), Ok(Some(Verdict::Holds)));
        assert_eq!(
            expected(&n, "fails, since fails-where \"n < r\" is true here"),
            Ok(Some(Verdict::Fails))
        );
        assert_eq!(
            expected(&n, &format!("{PROBE}, since holds-where \"n >= r\" is false here")),
            Ok(None)
        );
        assert_eq!(
            expected(
                &n,
                "undecided, since fails-where \"d > 4\" is false and undecided-where \"q == n\" is true here"
            ),
            Ok(Some(Verdict::Undecided))
        );
        // A condition whose value is misstated, and a verdict that does not follow.
        assert!(matches!(
            expected(&n, "holds, since fails-where \"n < r\" is false here"),
            Err(Reason::ConditionValue { value: true, .. })
        ));
        assert_eq!(
            expected(
                &n,
                "fails, since fails-where \"n < r\" is true and undecided-where \"q == n\" is true here"
            ),
            Err(Reason::ConditionsOverlap)
        );
        assert!(matches!(
            expected(&n, "holds, since fails-where \"n < r\" is true here"),
            Err(Reason::ExpectedFrom {
                follows: Some(Verdict::Fails)
            })
        ));
    }

    #[test]
    fn statements_are_rebuilt_from_the_keys() {
        let n = names();
        let cut = |rows: &[usize]| 3 + rows.len() as u128;
        let build = |kind: &str, pairs: &[(&'static str, &'static str)]| {
            statement(kind, &Keys(pairs.to_vec()), &n, &[2, 2, 2, 2], &cut, None)
        };
        assert_eq!(
            build(
                "matricization-rank",
                &[("matricization", "odd-even"), ("at-least", "q^(d/2)")]
            )
            .unwrap(),
            "rank X^((1,3),(2,4)) >= 4"
        );
        assert_eq!(
            build("cp-rank-lower-bound", &[("rows", "m <= d / 2"), ("at-least", "cut")]).unwrap(),
            "rank_CP X >= 5, from rank X^((1,2),(3,4)) by Lemma 1"
        );
        assert_eq!(
            build("tt-ranks", &[("equal", "if k % 2 == 1 { q } else { 1 }")]).unwrap(),
            "TT-ranks = (2,1,2)"
        );
        // Post-order (1), (4), (1,4), (2), (3), (2,3): level, then first * 10 + last.
        assert_eq!(
            build(
                "ht-ranks",
                &[("tree", "mirror"), ("equal", "level * 100 + first * 10 + last")]
            )
            .unwrap(),
            "HT-ranks over the tree ((1,4),(2,3)) = (11,44,114,22,33,123)"
        );
        assert!(matches!(
            build("ht-ranks", &[("equal", "1")]),
            Err(Reason::Misfit(Misfit::NeedsTree))
        ));
        assert_eq!(
            build("identity-submatrix", &[("matricization", "odd-even"), ("q", "q")]).unwrap(),
            "X^((1,3),(2,4)) restricted to indices 1..2 is the identity matrix"
        );
        assert_eq!(
            build("support-structure", &[("path", "if k % 2 == 1 { i } else { q + 1 }"), ("q", "q")]).unwrap(),
            "every non-zero summand over [2]^4 has a_k = path(k, i_k), with path(k, i) for i = 1..2: k=1: (1,2) k=2: (3,3) k=3: (1,2)"
        );
        // A key missing, one too many, a kind the kernel does not know.
        assert!(matches!(build("tt-ranks", &[]), Err(Reason::ClaimKeys { .. })));
        assert!(matches!(
            build("tt-ranks", &[("equal", "1"), ("at-most", "2")]),
            Err(Reason::ClaimKeys { .. })
        ));
        assert!(matches!(
            build("tt-rank", &[("equal", "1")]),
            Err(Reason::UnknownClaimKind { .. })
        ));
    }

    #[test]
    fn from_lines_are_read_strictly() {
        let mut keys = Keys(Vec::new());
        keys.read("at-least = \"q^(d/2)\"").unwrap();
        assert_eq!(keys.0, [("at-least", "q^(d/2)")]);
        assert!(keys.read("at-least = q").is_err());
    }
}
