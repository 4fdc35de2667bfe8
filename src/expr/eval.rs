//! Evaluator over the parsed AST: dynamic typing of numbers and conditions, short-circuit
//! `&&`/`||`, lazy `if` branches, aggregates over integer ranges, and error messages that
//! quote the offending sub-expression. Literals and variables are borrowed rather than
//! cloned, and no string is built unless an error is reported. Recursion depth follows the
//! AST, which the parser keeps shallow; every aggregate iteration is charged to the work
//! budget, so repetition cannot hang the checker either.

use super::arith::{self, ArithError, Budget, MAX_BITS, MAX_EXPONENT};
use super::builtin::{AggOp, Func, RangeOf};
use super::parser::{Aggregate, ArithOp, CmpOp, Kind, Node};
use super::{join, number_phrase, number_text, quote, suggestion, ExprError, Scope, Span, Value, MAX_RANGE};
use crate::field::Q;
use num_bigint::BigInt;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

/// Work charged for each iteration of an aggregate, besides its body's tokens.
const ITERATION_WORK: u64 = 64;
/// Work charged for each token of an aggregate's body, for each iteration.
const TOKEN_WORK: u64 = 32;

/// Evaluates `root` (parsed from `src`) under `scope`.
pub(super) fn eval(src: &str, root: &Node, scope: &Scope) -> Result<Value, ExprError> {
    let mut ev = Evaluator {
        src,
        scope,
        budget: Budget::new(),
        locals: Vec::new(),
    };
    Ok(match ev.eval(root)? {
        Val::Num(q) => Value::Num(q.into_owned()),
        Val::Bool(b) => Value::Bool(b),
    })
}

enum Val<'a> {
    Num(Cow<'a, Q>),
    Bool(bool),
}

struct Evaluator<'a> {
    src: &'a str,
    scope: &'a Scope,
    budget: Budget,
    /// The bound variables of the aggregates being iterated, outermost first (`Kind::Bound`
    /// indexes this stack), with their current values.
    locals: Vec<(&'a str, Q)>,
}

impl<'a> Evaluator<'a> {
    fn error(&self, span: Span, message: String) -> ExprError {
        ExprError::new(span, message)
    }

    /// Converts an arithmetic failure of the operation spanning `span` into an error.
    fn arith_error(&self, span: Span, e: ArithError) -> ExprError {
        let what = quote(self.src, span);
        let message = match e {
            ArithError::TooLarge => {
                format!("number too large: the result of '{what}' would have more than {MAX_BITS} bits")
            }
            ArithError::PowerTooLarge(bits) => {
                format!("power too large: '{what}' would have about {bits} bits (the limit is {MAX_BITS})")
            }
            ArithError::TooCostly if !self.locals.is_empty() => self.work_limit(&what),
            ArithError::TooCostly => {
                format!("computation too large: the numbers in '{what}' are too big to work with")
            }
        };
        self.error(span, message)
    }

    /// The message for running out of work inside an aggregate, at the (quoted) `what`.
    #[cold]
    #[inline(never)]
    fn work_limit(&self, what: &str) -> String {
        let at: Vec<String> = self
            .locals
            .iter()
            .map(|(name, v)| format!("{name} = {}", number_text(v)))
            .collect();
        format!(
            "computation too large: the work limit was reached in '{what}' (at {})",
            at.join(", ")
        )
    }

    /// Evaluates `node` and requires a number; `what` names the operation that needs it.
    fn num(&mut self, node: &'a Node, what: impl fmt::Display) -> Result<Cow<'a, Q>, ExprError> {
        match self.eval(node)? {
            Val::Num(q) => Ok(q),
            Val::Bool(_) => Err(self.not_a_number(node, what)),
        }
    }

    #[cold]
    #[inline(never)]
    fn not_a_number(&self, node: &Node, what: impl fmt::Display) -> ExprError {
        let text = quote(self.src, node.span);
        self.error(node.span, format!("{what} needs a number, but '{text}' is a condition"))
    }

    /// Evaluates `node` and requires a condition; `what` names the construct that needs it.
    fn cond(&mut self, node: &'a Node, what: impl fmt::Display) -> Result<bool, ExprError> {
        match self.eval(node)? {
            Val::Bool(b) => Ok(b),
            Val::Num(q) => Err(self.not_a_condition(node, what, &q)),
        }
    }

    #[cold]
    #[inline(never)]
    fn not_a_condition(&self, node: &Node, what: impl fmt::Display, q: &Q) -> ExprError {
        let text = quote(self.src, node.span);
        let value = number_phrase(q);
        self.error(node.span, format!("{what} needs a condition, but '{text}' is {value}"))
    }

    /// Requires `q` (the value of `span`) to be an integer for the operation `what`.
    fn integer(&self, q: &Q, span: Span, what: impl fmt::Display) -> Result<(), ExprError> {
        if q.is_integer() {
            return Ok(());
        }
        Err(self.error(
            span,
            format!(
                "{what} needs integers, but '{}' is {}",
                quote(self.src, span),
                number_text(q)
            ),
        ))
    }

    /// Dispatches on the node kind; each case lives in its own function so that this
    /// frame, which recurs once per AST level, stays small even in unoptimized builds.
    fn eval(&mut self, node: &'a Node) -> Result<Val<'a>, ExprError> {
        match &node.kind {
            Kind::Num(q) => Ok(Val::Num(Cow::Borrowed(q))),
            Kind::Bool(b) => Ok(Val::Bool(*b)),
            Kind::Var(name) => self.var(name, node.span),
            Kind::Neg(x) => self.neg(x, node.span),
            Kind::Not(x) => self.not(x),
            Kind::Pow(b, e) => self.pow(b, e, node.span),
            Kind::Chain(first, rest) => self.chain(first, rest),
            Kind::Cmp(op, l, r) => self.compare(*op, l, r, node.span),
            Kind::And(items) => self.and_or(items, false),
            Kind::Or(items) => self.and_or(items, true),
            Kind::Iverson(x) => self.iverson(x),
            Kind::Call(f, args) => self.call(*f, args, node.span),
            Kind::Bound(slot) => self.bound(*slot, node.span),
            Kind::Aggregate(agg) => self.aggregate(agg, node.span),
            Kind::If(branches, otherwise) => self.if_else(branches, otherwise),
        }
    }

    fn neg(&mut self, x: &'a Node, span: Span) -> Result<Val<'a>, ExprError> {
        let q = self.num(x, "negation '-'")?;
        let q = arith::neg(&q, &mut self.budget).map_err(|e| self.arith_error(span, e))?;
        Ok(Val::Num(Cow::Owned(q)))
    }

    fn not(&mut self, x: &'a Node) -> Result<Val<'a>, ExprError> {
        Ok(Val::Bool(!self.cond(x, "'!'")?))
    }

    fn iverson(&mut self, x: &'a Node) -> Result<Val<'a>, ExprError> {
        let b = self.cond(x, "the bracket '[ ]'")?;
        Ok(Val::Num(Cow::Owned(if b { Q::one() } else { Q::zero() })))
    }

    /// `&&` (stop at the first false) when `is_or` is false, `||` (stop at the first true)
    /// otherwise.
    fn and_or(&mut self, items: &'a [Node], is_or: bool) -> Result<Val<'a>, ExprError> {
        let what = if is_or { "'||'" } else { "'&&'" };
        for item in items {
            if self.cond(item, what)? == is_or {
                return Ok(Val::Bool(is_or));
            }
        }
        Ok(Val::Bool(!is_or))
    }

    fn if_else(&mut self, branches: &'a [(Node, Node)], otherwise: &'a Node) -> Result<Val<'a>, ExprError> {
        for (c, body) in branches {
            if self.cond(c, "'if'")? {
                return self.eval(body);
            }
        }
        self.eval(otherwise)
    }

    fn var(&self, name: &str, span: Span) -> Result<Val<'a>, ExprError> {
        match self.scope.get(name) {
            Some(Value::Num(q)) => Ok(Val::Num(Cow::Borrowed(q))),
            Some(Value::Bool(b)) => Ok(Val::Bool(*b)),
            None => {
                let locals = self.locals.iter().map(|(n, _)| *n);
                let hint = match suggestion(name, locals.chain(self.scope.names())) {
                    Some(s) => format!(" (did you mean '{s}'?)"),
                    None => String::new(),
                };
                Err(self.error(span, format!("unknown name '{name}'{hint}")))
            }
        }
    }

    fn pow(&mut self, base: &'a Node, exp: &'a Node, span: Span) -> Result<Val<'a>, ExprError> {
        let b = self.num(base, "'^'")?;
        let e = self.num(exp, "'^'")?;
        if !e.is_integer() {
            return Err(self.error(
                exp.span,
                format!(
                    "the exponent must be an integer, but '{}' is {}",
                    quote(self.src, exp.span),
                    number_text(&e)
                ),
            ));
        }
        let small = e.numer().to_i64().filter(|v| v.unsigned_abs() <= MAX_EXPONENT);
        let Some(e) = small else {
            return Err(self.error(
                span,
                format!(
                    "power too large: the exponent {} is larger than {MAX_EXPONENT} in absolute value",
                    number_text(&e)
                ),
            ));
        };
        if e < 0 && b.is_zero() {
            return Err(self.error(
                span,
                format!(
                    "zero cannot be raised to a negative power: '{}' is 0",
                    quote(self.src, base.span)
                ),
            ));
        }
        let q = arith::pow(&b, e, &mut self.budget).map_err(|err| self.arith_error(span, err))?;
        Ok(Val::Num(Cow::Owned(q)))
    }

    fn chain(&mut self, first: &'a Node, rest: &'a [(ArithOp, Node)]) -> Result<Val<'a>, ExprError> {
        let Some((first_op, _)) = rest.first() else {
            return self.eval(first);
        };
        let mut acc = self.num(first, first_op.symbol())?;
        let mut left = first.span;
        for (op, operand) in rest {
            let rhs = self.num(operand, op.symbol())?;
            let whole = join(left, operand.span);
            let result = match op {
                ArithOp::Add => arith::add(&acc, &rhs, false, &mut self.budget),
                ArithOp::Sub => arith::add(&acc, &rhs, true, &mut self.budget),
                ArithOp::Mul => arith::mul(&acc, &rhs, &mut self.budget),
                ArithOp::Div => {
                    if rhs.is_zero() {
                        return Err(self.zero_divisor("division", whole, operand.span));
                    }
                    arith::div(&acc, &rhs, &mut self.budget)
                }
                ArithOp::Rem => {
                    self.integer(&acc, left, "the remainder '%'")?;
                    self.integer(&rhs, operand.span, "the remainder '%'")?;
                    if rhs.is_zero() {
                        return Err(self.zero_divisor("remainder", whole, operand.span));
                    }
                    arith::rem_euclid(&acc, &rhs, &mut self.budget)
                }
            };
            acc = Cow::Owned(result.map_err(|e| self.arith_error(whole, e))?);
            left = whole;
        }
        Ok(Val::Num(acc))
    }

    fn zero_divisor(&self, what: &str, whole: Span, divisor: Span) -> ExprError {
        self.error(whole, format!("{what} by zero: '{}' is 0", quote(self.src, divisor)))
    }

    fn compare(&mut self, op: CmpOp, l: &'a Node, r: &'a Node, span: Span) -> Result<Val<'a>, ExprError> {
        self.holds(op, l, r, span).map(Val::Bool)
    }

    fn holds(&mut self, op: CmpOp, l: &'a Node, r: &'a Node, span: Span) -> Result<bool, ExprError> {
        let a = self.eval(l)?;
        let b = self.eval(r)?;
        let equality = matches!(op, CmpOp::Eq | CmpOp::Ne);
        match (&a, &b) {
            (Val::Num(x), Val::Num(y)) if equality => {
                let eq = arith::equal(x, y, &mut self.budget).map_err(|e| self.arith_error(span, e))?;
                Ok(eq == (op == CmpOp::Eq))
            }
            (Val::Num(x), Val::Num(y)) => {
                let ord = arith::compare(x, y, &mut self.budget).map_err(|e| self.arith_error(span, e))?;
                Ok(op.holds(ord))
            }
            (Val::Bool(x), Val::Bool(y)) if equality => Ok((x == y) == (op == CmpOp::Eq)),
            (Val::Bool(_), Val::Bool(_)) => Err(self.error(
                l.span,
                format!(
                    "{} compares numbers, but '{}' is a condition",
                    op.symbol(),
                    quote(self.src, l.span)
                ),
            )),
            (Val::Bool(_), Val::Num(_)) | (Val::Num(_), Val::Bool(_)) => {
                let (cond_side, num_side) = if matches!(a, Val::Bool(_)) { (l, r) } else { (r, l) };
                let what = if equality {
                    "cannot compare a condition with a number"
                } else {
                    "compares numbers"
                };
                Err(self.error(
                    span,
                    format!(
                        "{} {what}, but '{}' is a condition and '{}' is a number",
                        op.symbol(),
                        quote(self.src, cond_side.span),
                        quote(self.src, num_side.span)
                    ),
                ))
            }
        }
    }

    fn call(&mut self, f: Func, args: &'a [Node], span: Span) -> Result<Val<'a>, ExprError> {
        let mut values = args.iter();
        let Some(first) = values.next() else {
            return Err(self.error(span, format!("{f} needs at least one argument")));
        };
        let x = self.num(first, f)?;
        let q = match f {
            Func::Abs => {
                if x.is_negative() {
                    arith::abs(&x, &mut self.budget).map_err(|e| self.arith_error(span, e))?
                } else {
                    return Ok(Val::Num(x));
                }
            }
            Func::Idx => return self.idx(&x, first.span, span),
            Func::Log2 => arith::log2(&x, &mut self.budget)
                .map_err(|e| self.arith_error(span, e))?
                .ok_or_else(|| {
                    self.error(
                        span,
                        format!(
                            "'log2' needs a positive power of 2, but '{}' is {}",
                            quote(self.src, first.span),
                            number_text(&x)
                        ),
                    )
                })?,
            Func::Iroot => {
                let degree = values.next().expect("the parser gives iroot two arguments");
                let b = self.num(degree, f)?;
                arith::iroot(&x, &b, &mut self.budget)
                    .map_err(|e| self.arith_error(span, e))?
                    .ok_or_else(|| {
                        self.error(
                            span,
                            format!(
                                "'iroot(x, b)' needs an integer x >= 0 (at most {} bits) and an integer degree b in 1..64, but they are {} and {}",
                                arith::MAX_ROOT_BITS,
                                number_text(&x),
                                number_text(&b)
                            ),
                        )
                    })?
            }
            Func::Floor => arith::floor(&x, &mut self.budget).map_err(|e| self.arith_error(span, e))?,
            Func::Ceil => arith::ceil(&x, &mut self.budget).map_err(|e| self.arith_error(span, e))?,
            Func::Min | Func::Max => {
                let keep = if f == Func::Min {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
                let mut best = x;
                for arg in values {
                    let y = self.num(arg, f)?;
                    let ord = arith::compare(&y, &best, &mut self.budget).map_err(|e| self.arith_error(span, e))?;
                    if ord == keep {
                        best = y;
                    }
                }
                return Ok(Val::Num(best));
            }
        };
        Ok(Val::Num(Cow::Owned(q)))
    }

    /// `idx(t)` at `span`, where `t` is the value of the argument at `arg`: entry `t`
    /// (1-based) of the scope's grid index.
    fn idx(&self, t: &Q, arg: Span, span: Span) -> Result<Val<'a>, ExprError> {
        let Some(grid) = self.scope.grid_index() else {
            return Err(self.error(
                span,
                "'idx' is only defined in claims about grid tensors (no grid index is set here)".into(),
            ));
        };
        if !t.is_integer() {
            return Err(self.error(
                arg,
                format!(
                    "'idx' needs an integer position, but '{}' is {}",
                    quote(self.src, arg),
                    number_text(t)
                ),
            ));
        }
        let entry = t
            .numer()
            .to_usize()
            .and_then(|p| p.checked_sub(1))
            .and_then(|p| grid.get(p));
        match entry {
            Some(&v) => Ok(Val::Num(Cow::Owned(Q::from_integer(BigInt::from(v))))),
            None => Err(self.error(arg, idx_range_message(t, grid.len()))),
        }
    }

    fn bound(&self, slot: usize, span: Span) -> Result<Val<'a>, ExprError> {
        match self.locals.get(slot) {
            Some((_, v)) => Ok(Val::Num(Cow::Owned(v.clone()))),
            // The parser only emits slots of enclosing aggregates, which are all on the stack.
            None => Err(self.error(span, "internal error: unbound aggregate variable".into())),
        }
    }

    /// Evaluates the aggregate `agg` at `span`: its bounds first (without its variable), then
    /// its body once per value of the range, with the variable bound on the locals stack.
    fn aggregate(&mut self, agg: &'a Aggregate, span: Span) -> Result<Val<'a>, ExprError> {
        let lo = self.range_bound(&agg.lo, agg.op)?;
        let hi = self.range_bound(&agg.hi, agg.op)?;
        let count = (i128::from(hi) - i128::from(lo) + 1).max(0);
        if count > i128::from(MAX_RANGE) {
            return Err(self.error(
                join(agg.lo.span, agg.hi.span),
                format!(
                    "the range {lo}..{hi} of {} has {count} values, more than the limit of \
                     {MAX_RANGE}",
                    agg.op
                ),
            ));
        }
        let per_iteration = ITERATION_WORK.saturating_add(TOKEN_WORK.saturating_mul(agg.body_tokens));
        self.locals.push((agg.var.as_str(), Q::zero()));
        let result = self.iterate(agg, lo, hi, per_iteration, span);
        self.locals.pop();
        result
    }

    /// The loop of `aggregate`, whose variable is the last entry of the locals stack.
    fn iterate(
        &mut self,
        agg: &'a Aggregate,
        lo: i64,
        hi: i64,
        per_iteration: u64,
        span: Span,
    ) -> Result<Val<'a>, ExprError> {
        let op = agg.op;
        let mut acc = if op == AggOp::Prod { Q::one() } else { Q::zero() };
        for j in lo..=hi {
            if let Some(slot) = self.locals.last_mut() {
                slot.1 = Q::from_integer(j.into());
            }
            if self.budget.charge(per_iteration).is_err() {
                let message = self.work_limit(&quote(self.src, span));
                return Err(self.error(span, message));
            }
            match op {
                AggOp::All | AggOp::Any => {
                    let is_any = op == AggOp::Any;
                    if self.cond(&agg.body, op)? == is_any {
                        return Ok(Val::Bool(is_any));
                    }
                }
                AggOp::Sum | AggOp::Prod => {
                    let x = self.num(&agg.body, op)?;
                    let next = if op == AggOp::Sum {
                        arith::add(&acc, &x, false, &mut self.budget)
                    } else {
                        arith::mul(&acc, &x, &mut self.budget)
                    };
                    acc = next.map_err(|e| self.arith_error(span, e))?;
                }
            }
        }
        Ok(match op {
            AggOp::All => Val::Bool(true),
            AggOp::Any => Val::Bool(false),
            AggOp::Sum | AggOp::Prod => Val::Num(Cow::Owned(acc)),
        })
    }

    /// Evaluates a bound of the range of `op`, which must be an integer that fits in an `i64`.
    fn range_bound(&mut self, node: &'a Node, op: AggOp) -> Result<i64, ExprError> {
        let q = self.num(node, RangeOf(op))?;
        self.integer(&q, node.span, RangeOf(op))?;
        q.numer().to_i64().ok_or_else(|| {
            self.error(
                node.span,
                format!(
                    "{} needs integers that fit in 64 bits, but '{}' is {}",
                    RangeOf(op),
                    quote(self.src, node.span),
                    number_text(&q)
                ),
            )
        })
    }
}

/// The error message for `idx(t)` when `t` is not a position of a grid index of length `len`.
#[cold]
#[inline(never)]
fn idx_range_message(t: &Q, len: usize) -> String {
    let t = number_text(t);
    match len {
        0 => format!("idx({t}): the grid index is empty, so 'idx' cannot be used"),
        1 => format!("idx({t}): the grid index has 1 position, so t must be 1"),
        _ => format!("idx({t}): the grid index has {len} positions, so t must be between 1 and {len}"),
    }
}
