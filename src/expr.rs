//! Small expression language used inside case files: parsing (with hard limits on size and
//! nesting), free-name analysis, and exact evaluation over rationals and booleans, with
//! bounded aggregates (`all`, `any`, `sum`, `prod` over `j in lo..hi`) and access to the
//! current grid multi-index (`idx(t)`); and, read off the syntax, how an expression depends on a
//! core position and the depth (`periodic`, for cases of every depth at once).
//! This file owns the public API (`Expr`, `Scope`, `Value`, `ExprError`, `Span`) and the
//! helpers shared by the lexer, parser and evaluator in `expr/`.

mod arith;
mod builtin;
mod eval;
mod lexer;
mod parser;
mod periodic;
#[cfg(test)]
mod tests;

use crate::field::Q;
use std::collections::BTreeMap;
use std::fmt;

/// Longest accepted source text, in bytes.
pub const MAX_SOURCE_LEN: usize = 10_000;
/// Deepest accepted nesting of parentheses, brackets, `if`s, calls, aggregates, powers and
/// unary operators.
pub const MAX_DEPTH: usize = 64;
/// Longest accepted integer literal, in decimal digits.
pub const MAX_LITERAL_DIGITS: usize = 60;
/// Longest accepted range of an aggregate such as `sum(j in lo..hi : x)`, in values (longer
/// ones are refused before any iteration; the work budget usually stops shorter ones first).
pub const MAX_RANGE: u64 = 10_000_000;

/// Byte range into the expression source string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A parse or evaluation error, pointing at the offending sub-expression.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ExprError {
    pub span: Span,
    pub message: String,
}

impl ExprError {
    fn new(span: Span, message: String) -> Self {
        ExprError { span, message }
    }
}

/// The value of an expression: an exact rational number or a condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Num(Q),
    Bool(bool),
}

impl Value {
    /// The number, if this is one.
    pub fn number(self) -> Option<Q> {
        match self {
            Value::Num(q) => Some(q),
            Value::Bool(_) => None,
        }
    }

    /// The truth value, if this is a condition.
    pub fn condition(self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(b),
            Value::Num(_) => None,
        }
    }
}

/// A parsed expression (keeps the source text for error messages and `Display`).
#[derive(Clone, Debug)]
pub struct Expr {
    source: String,
    root: parser::Node,
    names: Vec<String>,
}

/// Variable bindings for evaluation, and optionally the multi-index of the grid entry being
/// described (read by `idx(t)`). Deterministic (BTreeMap), no hashing anywhere.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    vars: BTreeMap<String, Value>,
    grid: Option<Vec<usize>>,
}

impl Scope {
    pub fn new() -> Self {
        Scope::default()
    }

    /// Binds `name` to `v`, replacing any previous binding (no allocation when rebinding).
    pub fn set(&mut self, name: &str, v: Value) {
        match self.vars.get_mut(name) {
            Some(slot) => *slot = v,
            None => {
                self.vars.insert(name.to_string(), v);
            }
        }
    }

    /// Binds `name` to the integer `v`.
    pub fn set_int(&mut self, name: &str, v: i64) {
        self.set(name, Value::Num(Q::from_integer(v.into())));
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.vars.get(name)
    }

    /// Sets the grid multi-index that `idx(t)` reads, with 1-based values (`idx(t)` is
    /// `index[t - 1]`), replacing any previous one (no allocation when the length is
    /// unchanged).
    pub fn set_grid_index(&mut self, index: &[usize]) {
        match &mut self.grid {
            Some(old) => {
                old.clear();
                old.extend_from_slice(index);
            }
            None => self.grid = Some(index.to_vec()),
        }
    }

    fn grid_index(&self) -> Option<&[usize]> {
        self.grid.as_deref()
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.vars.keys().map(String::as_str)
    }
}

impl Expr {
    pub fn parse(src: &str) -> Result<Expr, ExprError> {
        let (root, names) = parser::parse(src)?;
        Ok(Expr {
            source: src.to_string(),
            root,
            names,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Names this expression refers to (variables only, not function names), sorted, deduplicated.
    pub fn free_names(&self) -> Vec<String> {
        self.names.clone()
    }

    pub fn eval(&self, scope: &Scope) -> Result<Value, ExprError> {
        eval::eval(&self.source, &self.root, scope)
    }

    /// Evaluates and requires a number.
    pub fn eval_number(&self, scope: &Scope) -> Result<Q, ExprError> {
        match self.eval(scope)? {
            Value::Num(q) => Ok(q),
            Value::Bool(_) => Err(self.whole_error("expected a number, found a condition".into())),
        }
    }

    /// Evaluates and requires an integer that fits in an `i64`.
    pub fn eval_integer(&self, scope: &Scope) -> Result<i64, ExprError> {
        use num_traits::ToPrimitive;
        let q = match self.eval(scope)? {
            Value::Num(q) => q,
            Value::Bool(_) => return Err(self.whole_error("expected an integer, found a condition".into())),
        };
        if !q.is_integer() {
            return Err(self.whole_error(format!("expected an integer, found {}", number_text(&q))));
        }
        q.numer().to_i64().ok_or_else(|| {
            self.whole_error(format!(
                "expected an integer that fits in 64 bits, found {}",
                number_text(&q)
            ))
        })
    }

    /// Evaluates and requires a condition.
    pub fn eval_bool(&self, scope: &Scope) -> Result<bool, ExprError> {
        match self.eval(scope)? {
            Value::Bool(b) => Ok(b),
            Value::Num(q) => Err(self.whole_error(format!("expected a condition, found {}", number_phrase(&q)))),
        }
    }

    fn whole_error(&self, message: String) -> ExprError {
        ExprError::new(self.root.span, message)
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// The span from the start of `a` to the end of `b`.
fn join(a: Span, b: Span) -> Span {
    Span {
        start: a.start,
        end: b.end,
    }
}

/// Numbers with more bits than this are described by size rather than printed in messages.
const PRINTABLE_BITS: u64 = 256;

/// Approximate decimal digit count of a number with `bits` bits.
fn approx_digits(bits: u64) -> u64 {
    bits * 30103 / 100_000 + 1
}

/// A number for an error message: `3`, `-5/2`, or a size description when it is huge.
fn number_text(q: &Q) -> String {
    let (nb, db) = (q.numer().bits(), q.denom().bits());
    if nb + db <= PRINTABLE_BITS {
        q.to_string()
    } else if q.is_integer() {
        format!("an integer with about {} digits", approx_digits(nb))
    } else {
        format!(
            "a fraction whose numerator and denominator have about {} and {} digits",
            approx_digits(nb),
            approx_digits(db)
        )
    }
}

/// Like `number_text`, but reads as a noun phrase: `the number 3`.
fn number_phrase(q: &Q) -> String {
    if q.numer().bits() + q.denom().bits() <= PRINTABLE_BITS {
        format!("the number {q}")
    } else {
        number_text(q)
    }
}

/// The source text of `span` for quoting in a message: trimmed, without one pair of
/// enclosing parentheses, and shortened when long.
fn quote(src: &str, span: Span) -> String {
    const MAX_QUOTE: usize = 60;
    let mut text = src.get(span.start..span.end).unwrap_or("").trim();
    if text.len() >= 2 && text.starts_with('(') && text.ends_with(')') && wraps(text) {
        text = text[1..text.len() - 1].trim();
    }
    if text.chars().count() <= MAX_QUOTE {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(MAX_QUOTE - 3).collect();
        short.push_str("...");
        short
    }
}

/// Whether the opening parenthesis at the start of `text` is closed by its last character.
fn wraps(text: &str) -> bool {
    let mut depth = 0usize;
    let last = text.len() - 1;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && i != last {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// The closest candidate to `name` within edit distance 2 and at most half the length of
/// `name` (so short names are not "corrected" into unrelated ones); ties go to the first. The one
/// "did you mean" rule of every error message, in expressions and in case files.
pub fn suggestion<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let mut best: Option<(usize, &str)> = None;
    for cand in candidates {
        let d = edit_distance(name, cand);
        if d <= 2 && 2 * d <= name.chars().count() && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, cand));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let subst = prev[j] + usize::from(ca != cb);
            cur[j + 1] = subst.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}
