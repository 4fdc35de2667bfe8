//! Evaluator over the parsed AST: dynamic typing of numbers and conditions, short-circuit
//! `&&`/`||`, lazy `if` branches, and error messages that quote the offending sub-expression.
//! Literals and variables are borrowed rather than cloned, and no string is built unless an
//! error is reported. Recursion depth follows the AST, which the parser keeps shallow.

use super::arith::{self, ArithError, Budget, MAX_BITS, MAX_EXPONENT};
use super::parser::{ArithOp, CmpOp, Func, Kind, Node};
use super::{join, number_phrase, number_text, quote, suggestion, ExprError, Scope, Span, Value};
use crate::field::Q;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::borrow::Cow;
use std::cmp::Ordering;

/// Evaluates `root` (parsed from `src`) under `scope`.
pub(super) fn eval(src: &str, root: &Node, scope: &Scope) -> Result<Value, ExprError> {
    let mut ev = Evaluator {
        src,
        scope,
        budget: Budget::new(),
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
}

impl<'a> Evaluator<'a> {
    fn error(&self, span: Span, message: String) -> ExprError {
        ExprError::new(span, message)
    }

    /// Converts an arithmetic failure of the operation spanning `span` into an error.
    fn arith_error(&self, span: Span, e: ArithError) -> ExprError {
        let what = quote(self.src, span);
        let message = match e {
            ArithError::TooLarge => format!(
                "number too large: the result of '{what}' would have more than {MAX_BITS} bits"
            ),
            ArithError::PowerTooLarge(bits) => format!(
                "power too large: '{what}' would have about {bits} bits (the limit is {MAX_BITS})"
            ),
            ArithError::TooCostly => {
                format!("computation too large: the numbers in '{what}' are too big to work with")
            }
        };
        self.error(span, message)
    }

    /// Evaluates `node` and requires a number; `what` names the operation that needs it.
    fn num(&mut self, node: &'a Node, what: &str) -> Result<Cow<'a, Q>, ExprError> {
        match self.eval(node)? {
            Val::Num(q) => Ok(q),
            Val::Bool(_) => Err(self.not_a_number(node, what)),
        }
    }

    #[cold]
    #[inline(never)]
    fn not_a_number(&self, node: &Node, what: &str) -> ExprError {
        let text = quote(self.src, node.span);
        self.error(
            node.span,
            format!("{what} needs a number, but '{text}' is a condition"),
        )
    }

    /// Evaluates `node` and requires a condition; `what` names the construct that needs it.
    fn cond(&mut self, node: &'a Node, what: &str) -> Result<bool, ExprError> {
        match self.eval(node)? {
            Val::Bool(b) => Ok(b),
            Val::Num(q) => Err(self.not_a_condition(node, what, &q)),
        }
    }

    #[cold]
    #[inline(never)]
    fn not_a_condition(&self, node: &Node, what: &str, q: &Q) -> ExprError {
        let text = quote(self.src, node.span);
        let value = number_phrase(q);
        self.error(
            node.span,
            format!("{what} needs a condition, but '{text}' is {value}"),
        )
    }

    /// Requires `q` (the value of `span`) to be an integer for the operation `what`.
    fn integer(&self, q: &Q, span: Span, what: &str) -> Result<(), ExprError> {
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
            Kind::Neg(x) => self.neg(x),
            Kind::Not(x) => self.not(x),
            Kind::Pow(b, e) => self.pow(b, e, node.span),
            Kind::Chain(first, rest) => self.chain(first, rest),
            Kind::Cmp(op, l, r) => self.compare(*op, l, r, node.span),
            Kind::And(items) => self.and_or(items, false),
            Kind::Or(items) => self.and_or(items, true),
            Kind::Iverson(x) => self.iverson(x),
            Kind::Call(f, args) => self.call(*f, args, node.span),
            Kind::If(branches, otherwise) => self.if_else(branches, otherwise),
        }
    }

    fn neg(&mut self, x: &'a Node) -> Result<Val<'a>, ExprError> {
        let q = self.num(x, "negation '-'")?;
        Ok(Val::Num(Cow::Owned(arith::neg(&q))))
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

    fn if_else(
        &mut self,
        branches: &'a [(Node, Node)],
        otherwise: &'a Node,
    ) -> Result<Val<'a>, ExprError> {
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
                let hint = match suggestion(name, self.scope.names()) {
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
        let small = e
            .numer()
            .to_i64()
            .filter(|v| v.unsigned_abs() <= MAX_EXPONENT);
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

    fn chain(
        &mut self,
        first: &'a Node,
        rest: &'a [(ArithOp, Node)],
    ) -> Result<Val<'a>, ExprError> {
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
        self.error(
            whole,
            format!("{what} by zero: '{}' is 0", quote(self.src, divisor)),
        )
    }

    fn compare(
        &mut self,
        op: CmpOp,
        l: &'a Node,
        r: &'a Node,
        span: Span,
    ) -> Result<Val<'a>, ExprError> {
        self.holds(op, l, r, span).map(Val::Bool)
    }

    fn holds(
        &mut self,
        op: CmpOp,
        l: &'a Node,
        r: &'a Node,
        span: Span,
    ) -> Result<bool, ExprError> {
        let a = self.eval(l)?;
        let b = self.eval(r)?;
        let equality = matches!(op, CmpOp::Eq | CmpOp::Ne);
        match (&a, &b) {
            (Val::Num(x), Val::Num(y)) if equality => Ok(arith::equal(x, y) == (op == CmpOp::Eq)),
            (Val::Num(x), Val::Num(y)) => {
                let ord = arith::compare(x, y, &mut self.budget)
                    .map_err(|e| self.arith_error(span, e))?;
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
                let (cond_side, num_side) = if matches!(a, Val::Bool(_)) {
                    (l, r)
                } else {
                    (r, l)
                };
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
            return Err(self.error(span, format!("{} needs at least one argument", f.name())));
        };
        let x = self.num(first, f.name())?;
        let q = match f {
            Func::Abs => {
                if x.is_negative() {
                    arith::abs(&x)
                } else {
                    return Ok(Val::Num(x));
                }
            }
            Func::Floor => {
                arith::floor(&x, &mut self.budget).map_err(|e| self.arith_error(span, e))?
            }
            Func::Ceil => {
                arith::ceil(&x, &mut self.budget).map_err(|e| self.arith_error(span, e))?
            }
            Func::Min | Func::Max => {
                let keep = if f == Func::Min {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
                let mut best = x;
                for arg in values {
                    let y = self.num(arg, f.name())?;
                    let ord = arith::compare(&y, &best, &mut self.budget)
                        .map_err(|e| self.arith_error(span, e))?;
                    if ord == keep {
                        best = y;
                    }
                }
                return Ok(Val::Num(best));
            }
        };
        Ok(Val::Num(Cow::Owned(q)))
    }
}
