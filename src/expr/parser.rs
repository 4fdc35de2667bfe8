//! Parser from tokens to the expression AST. Binary operators are read as one flat
//! `operand (op operand)*` sequence and grouped by precedence afterwards, so chains like
//! `1+1+...` and `else if` chains need no recursion and become flat vectors; every construct
//! that nests (brackets, calls, aggregates, `if`, unary operators, `^`) counts toward MAX_DEPTH,
//! so neither parsing nor the recursive evaluator can exhaust the stack. Bound variables of
//! aggregates are resolved here, to their position in the stack of enclosing aggregates, so
//! they never appear among the free names.

use super::builtin::{AggOp, Arity, Builtin, Func};
use super::lexer::{lex, Tok, Token};
use super::{join, suggestion, ExprError, Span, MAX_DEPTH, MAX_SOURCE_LEN};
use crate::field::Q;
use std::cmp::Ordering;
use std::collections::BTreeSet;

#[derive(Clone, Debug)]
pub(super) struct Node {
    pub kind: Kind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub(super) enum Kind {
    Num(Q),
    Bool(bool),
    Var(String),
    Neg(Box<Node>),
    Not(Box<Node>),
    Pow(Box<Node>, Box<Node>),
    /// `first op1 x1 op2 x2 ...`, evaluated left to right.
    Chain(Box<Node>, Vec<(ArithOp, Node)>),
    Cmp(CmpOp, Box<Node>, Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
    Iverson(Box<Node>),
    Call(Func, Vec<Node>),
    /// The bound variable of an enclosing aggregate, by its position in the stack of bound
    /// variables (outermost first) that the evaluator keeps in the same order.
    Bound(usize),
    /// `all(j in lo..hi : c)`, `any(..)`, `sum(..)` or `prod(..)`.
    Aggregate(Box<Aggregate>),
    /// `if c1 { b1 } else if c2 { b2 } ... else { e }`.
    If(Vec<(Node, Node)>, Box<Node>),
}

/// `op(var in lo..hi : body)`: `body` is evaluated with `var` bound to each integer from `lo`
/// to `hi` in turn.
#[derive(Clone, Debug)]
pub(super) struct Aggregate {
    pub op: AggOp,
    pub var: String,
    pub lo: Node,
    pub hi: Node,
    pub body: Node,
    /// Number of tokens in the body: a bound on the nodes one iteration evaluates, which
    /// the evaluator charges to the work budget per iteration.
    pub body_tokens: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl ArithOp {
    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "'+'",
            ArithOp::Sub => "'-'",
            ArithOp::Mul => "'*'",
            ArithOp::Div => "'/'",
            ArithOp::Rem => "'%'",
        }
    }
}

/// A binary operator as read, before grouping by precedence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BinOp {
    Or,
    And,
    Cmp(CmpOp),
    Arith(ArithOp),
}

impl BinOp {
    const MAX_LEVEL: u8 = 5;

    /// Precedence level, from 1 (`||`, loosest) to MAX_LEVEL (`* / %`, tightest).
    fn level(self) -> u8 {
        match self {
            BinOp::Or => 1,
            BinOp::And => 2,
            BinOp::Cmp(_) => 3,
            BinOp::Arith(ArithOp::Add | ArithOp::Sub) => 4,
            BinOp::Arith(ArithOp::Mul | ArithOp::Div | ArithOp::Rem) => 5,
        }
    }

    fn arith(self) -> Option<ArithOp> {
        match self {
            BinOp::Arith(a) => Some(a),
            _ => None,
        }
    }

    fn from_tok(tok: &Tok) -> Option<BinOp> {
        Some(match tok {
            Tok::OrOr => BinOp::Or,
            Tok::AndAnd => BinOp::And,
            Tok::Plus => BinOp::Arith(ArithOp::Add),
            Tok::Minus => BinOp::Arith(ArithOp::Sub),
            Tok::Star => BinOp::Arith(ArithOp::Mul),
            Tok::Slash => BinOp::Arith(ArithOp::Div),
            Tok::Percent => BinOp::Arith(ArithOp::Rem),
            _ => return CmpOp::from_tok(tok).map(BinOp::Cmp),
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "'=='",
            CmpOp::Ne => "'!='",
            CmpOp::Lt => "'<'",
            CmpOp::Le => "'<='",
            CmpOp::Gt => "'>'",
            CmpOp::Ge => "'>='",
        }
    }

    /// Whether `a op b` holds when `a.cmp(b) == ord`.
    pub fn holds(self, ord: Ordering) -> bool {
        match self {
            CmpOp::Eq => ord == Ordering::Equal,
            CmpOp::Ne => ord != Ordering::Equal,
            CmpOp::Lt => ord == Ordering::Less,
            CmpOp::Le => ord != Ordering::Greater,
            CmpOp::Gt => ord == Ordering::Greater,
            CmpOp::Ge => ord != Ordering::Less,
        }
    }

    fn from_tok(tok: &Tok) -> Option<CmpOp> {
        Some(match tok {
            Tok::EqEq => CmpOp::Eq,
            Tok::NotEq => CmpOp::Ne,
            Tok::Lt => CmpOp::Lt,
            Tok::Le => CmpOp::Le,
            Tok::Gt => CmpOp::Gt,
            Tok::Ge => CmpOp::Ge,
            _ => return None,
        })
    }
}

/// Parses `src` into its AST and its sorted, deduplicated free names.
pub(super) fn parse(src: &str) -> Result<(Node, Vec<String>), ExprError> {
    if src.len() > MAX_SOURCE_LEN {
        return Err(ExprError::new(
            Span {
                start: 0,
                end: src.len(),
            },
            format!(
                "expression too long ({} bytes; the limit is {MAX_SOURCE_LEN})",
                src.len()
            ),
        ));
    }
    let toks = lex(src)?;
    let mut p = Parser {
        src,
        toks,
        pos: 0,
        depth: 0,
        names: BTreeSet::new(),
        bound: Vec::new(),
    };
    let root = p.expr()?;
    if p.peek().tok != Tok::End {
        return Err(p.unexpected("an operator or end of expression"));
    }
    Ok((root, p.names.into_iter().collect()))
}

struct Parser<'s> {
    src: &'s str,
    /// Never empty: the last token is `Tok::End`, and `pos` never moves past it.
    toks: Vec<Token>,
    pos: usize,
    depth: usize,
    names: BTreeSet<String>,
    /// Bound variables of the aggregates whose body is being parsed, outermost first.
    bound: Vec<&'s str>,
}

#[cold]
#[inline(never)]
fn too_deep(span: Span) -> ExprError {
    ExprError::new(
        span,
        format!("expression nested too deeply (more than {MAX_DEPTH} levels)"),
    )
}

impl<'s> Parser<'s> {
    fn peek(&self) -> &Token {
        &self.toks[self.pos]
    }

    /// Returns the current token's span and moves past it (staying on `End`).
    fn bump(&mut self) -> Span {
        let span = self.peek().span;
        if self.peek().tok != Tok::End {
            self.pos += 1;
        }
        span
    }

    fn unexpected(&self, expected: &str) -> ExprError {
        let t = self.peek();
        ExprError::new(t.span, format!("expected {expected}, found {}", t.describe(self.src)))
    }

    /// Consumes `tok` or fails with "expected {what}, found ...".
    fn expect(&mut self, tok: Tok, what: &str) -> Result<Span, ExprError> {
        if self.peek().tok == tok {
            Ok(self.bump())
        } else {
            Err(self.unexpected(what))
        }
    }

    /// Enters one nesting level; `span` is the construct that opens it.
    fn enter(&mut self, span: Span) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(too_deep(span));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// `unary (binop unary)*`, read as a flat sequence (no recursion per operator) and then
    /// grouped by precedence; nesting recursion happens only inside operands.
    fn expr(&mut self) -> Result<Node, ExprError> {
        let mut seq = Seq {
            first: self.unary()?,
            rest: Vec::new(),
        };
        while let Some(op) = BinOp::from_tok(&self.peek().tok) {
            let span = self.bump();
            seq.rest.push((op, span, self.unary()?));
        }
        if seq.rest.is_empty() {
            return Ok(seq.first);
        }
        seq.group()
    }

    fn unary(&mut self) -> Result<Node, ExprError> {
        let negate = match self.peek().tok {
            Tok::Minus => true,
            Tok::Bang => false,
            _ => return self.power(),
        };
        let op_span = self.bump();
        self.enter(op_span)?;
        let operand = Box::new(self.unary()?);
        self.leave();
        let span = join(op_span, operand.span);
        let kind = if negate { Kind::Neg(operand) } else { Kind::Not(operand) };
        Ok(Node { kind, span })
    }

    fn power(&mut self) -> Result<Node, ExprError> {
        let base = self.atom()?;
        if self.peek().tok != Tok::Caret {
            return Ok(base);
        }
        let caret = self.bump();
        self.enter(caret)?;
        let exp = self.unary()?;
        self.leave();
        Ok(Node {
            span: join(base.span, exp.span),
            kind: Kind::Pow(Box::new(base), Box::new(exp)),
        })
    }

    fn atom(&mut self) -> Result<Node, ExprError> {
        match self.peek().tok {
            Tok::Name => self.name(),
            Tok::If => self.if_expr(),
            Tok::LParen => self.bracketed(Tok::RParen, "')' to close '('", false),
            Tok::LBracket => self.bracketed(Tok::RBracket, "']' to close '['", true),
            _ => self.literal(),
        }
    }

    /// `( expr )`, or `[ expr ]` when `iverson`; the node's span includes the brackets.
    fn bracketed(&mut self, close: Tok, what: &str, iverson: bool) -> Result<Node, ExprError> {
        let open = self.bump();
        self.enter(open)?;
        let inner = self.expr()?;
        let close = self.expect(close, what)?;
        self.leave();
        let span = join(open, close);
        Ok(if iverson {
            Node {
                span,
                kind: Kind::Iverson(Box::new(inner)),
            }
        } else {
            Node { span, ..inner }
        })
    }

    fn literal(&mut self) -> Result<Node, ExprError> {
        let kind = match &self.peek().tok {
            Tok::Int(q) => Kind::Num(q.clone()),
            Tok::True => Kind::Bool(true),
            Tok::False => Kind::Bool(false),
            _ => return Err(self.unexpected("an expression")),
        };
        Ok(Node {
            kind,
            span: self.bump(),
        })
    }

    /// A variable, or a function call or aggregate when the name is followed by '('.
    fn name(&mut self) -> Result<Node, ExprError> {
        let span = self.bump();
        let src = self.src;
        let text = src.get(span.start..span.end).unwrap_or("");
        let builtin = Builtin::lookup(text);
        if self.peek().tok != Tok::LParen {
            // The innermost binding wins (bound names are never function names).
            if let Some(slot) = self.bound.iter().rposition(|b| *b == text) {
                return Ok(Node {
                    kind: Kind::Bound(slot),
                    span,
                });
            }
            let how = match builtin {
                Some(Builtin::Aggregate(_)) => format!("with a range, as in {text}(j in 1..n : x)"),
                Some(Builtin::Func(..)) => format!("with arguments, as in {text}(x)"),
                None => {
                    if !self.names.contains(text) {
                        self.names.insert(text.to_string());
                    }
                    return Ok(Node {
                        kind: Kind::Var(text.to_string()),
                        span,
                    });
                }
            };
            return Err(ExprError::new(span, format!("'{text}' is a function; call it {how}")));
        }
        match builtin {
            Some(Builtin::Aggregate(op)) => self.aggregate(op, span),
            Some(Builtin::Func(func, arity)) => self.call(func, arity, span),
            None => {
                let hint = match suggestion(text, Builtin::names()) {
                    Some(s) => format!(" (did you mean '{s}'?)"),
                    None => String::new(),
                };
                Err(ExprError::new(
                    span,
                    format!(
                        "unknown function '{text}'{hint}; the functions are {} (use '*' to multiply)",
                        Builtin::list()
                    ),
                ))
            }
        }
    }

    /// `func(x, ...)` after the name `func` (at `name_span`), which counts as one nesting level;
    /// the number of arguments is checked against `arity`.
    fn call(&mut self, func: Func, arity: Arity, name_span: Span) -> Result<Node, ExprError> {
        self.bump();
        self.enter(name_span)?;
        let mut args = Vec::new();
        if self.peek().tok != Tok::RParen {
            loop {
                args.push(self.expr()?);
                match self.peek().tok {
                    Tok::Comma => {
                        self.bump();
                    }
                    Tok::RParen => break,
                    _ => return Err(self.unexpected(&format!("',' or ')' in the arguments of {func}"))),
                }
            }
        }
        let close = self.bump();
        self.leave();
        let call_span = join(name_span, close);
        let arity_error = match arity {
            Arity::AtLeastOne if args.is_empty() => Some(format!("{func} needs at least one argument")),
            Arity::One if args.len() != 1 => Some(format!("{func} takes exactly one argument, found {}", args.len())),
            Arity::Two if args.len() != 2 => Some(format!("{func} takes exactly two arguments, found {}", args.len())),
            _ => None,
        };
        if let Some(message) = arity_error {
            return Err(ExprError::new(call_span, message));
        }
        Ok(Node {
            kind: Kind::Call(func, args),
            span: call_span,
        })
    }

    /// `op(var in lo..hi : body)` after the name `op` (at `name_span`), which counts as one
    /// nesting level; `var` is bound while the body is parsed, but not in `lo` and `hi`.
    fn aggregate(&mut self, op: AggOp, name_span: Span) -> Result<Node, ExprError> {
        self.bump();
        self.enter(name_span)?;
        let src = self.src;
        if self.peek().tok != Tok::Name {
            let name = op.name();
            return Err(self.unexpected(&format!(
                "the name of a bound variable after '{name}(', as in {name}(j in 1..n : x)"
            )));
        }
        let var_span = self.bump();
        let var = src.get(var_span.start..var_span.end).unwrap_or("");
        if Builtin::lookup(var).is_some() {
            return Err(ExprError::new(
                var_span,
                format!("'{var}' is a function, so it cannot be the bound variable of {op}"),
            ));
        }
        self.expect(
            Tok::In,
            &format!("'in' after the bound variable '{var}', as in {var} in 1..n"),
        )?;
        let lo = self.expr()?;
        self.expect(
            Tok::DotDot,
            &format!("'..' after the lower bound of the range, as in {var} in 1..n"),
        )?;
        let hi = self.expr()?;
        self.expect(
            Tok::Colon,
            &format!("':' after the range of {op}, as in {}(j in 1..n : x)", op.name()),
        )?;
        let body_start = self.pos;
        self.bound.push(var);
        let body = self.expr();
        self.bound.pop();
        let body = body?;
        let body_tokens = (self.pos - body_start) as u64;
        let close = self.expect(Tok::RParen, &format!("')' to close '{}('", op.name()))?;
        self.leave();
        Ok(Node {
            span: join(name_span, close),
            kind: Kind::Aggregate(Box::new(Aggregate {
                op,
                var: var.to_string(),
                lo,
                hi,
                body,
                body_tokens,
            })),
        })
    }

    /// `if c { x } (else if c { x })* else { x }`, with the `else if` chain kept flat.
    fn if_expr(&mut self) -> Result<Node, ExprError> {
        let if_span = self.bump();
        self.enter(if_span)?;
        let mut branches = Vec::new();
        let (otherwise, close) = loop {
            let cond = self.expr()?;
            self.expect(Tok::LBrace, "'{' after the 'if' condition")?;
            let body = self.expr()?;
            self.expect(Tok::RBrace, "'}' to close the 'if' branch")?;
            branches.push((cond, body));
            self.expect(Tok::Else, "'else' (every 'if' needs an 'else' branch)")?;
            match self.peek().tok {
                Tok::If => {
                    self.bump();
                }
                Tok::LBrace => {
                    self.bump();
                    let body = self.expr()?;
                    let close = self.expect(Tok::RBrace, "'}' to close the 'else' branch")?;
                    break (body, close);
                }
                _ => return Err(self.unexpected("'{' or 'if' after 'else'")),
            }
        };
        self.leave();
        Ok(Node {
            span: join(if_span, close),
            kind: Kind::If(branches, Box::new(otherwise)),
        })
    }
}

/// An operator sequence `first op1 x1 op2 x2 ...` whose tightest levels are being grouped.
struct Seq {
    first: Node,
    rest: Vec<(BinOp, Span, Node)>,
}

impl Seq {
    /// Groups the whole sequence into one node, tightest precedence level first.
    fn group(mut self) -> Result<Node, ExprError> {
        for level in (1..=BinOp::MAX_LEVEL).rev() {
            self = self.group_level(level)?;
        }
        Ok(self.first)
    }

    /// Groups every maximal run of operators of precedence `level` into one node.
    fn group_level(self, level: u8) -> Result<Seq, ExprError> {
        let mut run_first = self.first;
        let mut run = Vec::new();
        // Finished groups, each followed by the (lower-precedence) operator after it.
        let mut done: Vec<(Node, BinOp, Span)> = Vec::new();
        for (op, span, node) in self.rest {
            if op.level() == level {
                run.push((op, span, node));
            } else {
                done.push((group(run_first, std::mem::take(&mut run))?, op, span));
                run_first = node;
            }
        }
        let last = group(run_first, run)?;
        let mut done = done.into_iter();
        let Some((first, mut op, mut span)) = done.next() else {
            return Ok(Seq {
                first: last,
                rest: Vec::new(),
            });
        };
        let mut rest = Vec::new();
        for (node, next_op, next_span) in done {
            rest.push((op, span, node));
            (op, span) = (next_op, next_span);
        }
        rest.push((op, span, last));
        Ok(Seq { first, rest })
    }
}

/// One node for `first op1 x1 op2 x2 ...` where all operators share a precedence level.
fn group(first: Node, run: Vec<(BinOp, Span, Node)>) -> Result<Node, ExprError> {
    let Some((_, _, last)) = run.last() else {
        return Ok(first);
    };
    let span = join(first.span, last.span);
    let mut run = run.into_iter();
    let Some((op0, _, second)) = run.next() else {
        return Ok(first);
    };
    let kind = match op0 {
        BinOp::Or | BinOp::And => {
            let mut items = vec![first, second];
            items.extend(run.map(|(_, _, n)| n));
            if op0 == BinOp::Or {
                Kind::Or(items)
            } else {
                Kind::And(items)
            }
        }
        BinOp::Cmp(op) => {
            if let Some((_, chained, _)) = run.next() {
                return Err(ExprError::new(
                    chained,
                    "comparisons cannot be chained; combine them with '&&', as in 'a < b && b < c'".into(),
                ));
            }
            Kind::Cmp(op, Box::new(first), Box::new(second))
        }
        BinOp::Arith(a0) => {
            let mut rest = vec![(a0, second)];
            // Every operator in an arithmetic run is arithmetic, so nothing is filtered out.
            rest.extend(run.filter_map(|(op, _, n)| op.arith().map(|a| (a, n))));
            Kind::Chain(Box::new(first), rest)
        }
    };
    Ok(Node { kind, span })
}
