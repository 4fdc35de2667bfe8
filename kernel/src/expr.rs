//! The kernel's own reading of the expression language of case files (SPEC.md §6), so that it
//! can re-evaluate what a certificate quotes from a case: `let` values, claim bounds, conditions.
//! It owns parsing and exact evaluation over Q and conditions, under the limits of the checker's
//! `expr`, charged as that charges them: source length, literal digits, nesting depth, number
//! sizes, exponents, aggregate ranges and one work budget per evaluation, so that the two accept
//! the same texts and agree on every value (tests/kernel_expr.rs compares them). It does not own
//! messages for users: a fault only says why a text is refused (`ExprFault`, whose sentences are
//! rendered in `rejection.rs`); the checker explains a case's errors to the person who wrote it.
//!
//! The grammar, loosest first: `||`; `&&`; one comparison `== != < <= > >=`; `+ -`; `* / %`
//! (left to right); unary `-` and `!`; `^` (right-associative, its exponent a unary expression, so
//! `-2^2` is `-(2^2)` and `2^-1` is 1/2); atoms: integer literals, `true`, `false`, names,
//! `( x )`, `[ c ]` (1 or 0), `if c { x } else if c2 { y } else { z }`, the calls
//! `min max abs floor ceil idx` and the aggregates `all any sum prod (j in lo..hi : body)`.

use crate::field::Q;
use num_bigint::BigInt;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::borrow::Cow;
use std::cmp::Ordering;

/// Longest text read, in bytes.
pub const MAX_SOURCE_LEN: usize = 10_000;
/// Deepest nesting of brackets, `if`s, calls, aggregates, unary operators and `^`.
pub const MAX_DEPTH: usize = 64;
/// Longest integer literal, in decimal digits.
pub const MAX_LITERAL_DIGITS: usize = 60;
/// Most values in the range of an aggregate.
pub const MAX_RANGE: u64 = 10_000_000;
/// Largest numerator or denominator of any value computed, in bits.
pub const MAX_BITS: u64 = 1_000_000;
/// Largest magnitude of an exponent of `^`.
pub const MAX_EXPONENT: u64 = 4096;
/// The most bits of the argument of `iroot`.
pub const MAX_ROOT_BITS: u64 = 4096;
/// Work allowed per evaluation, in 64-bit limb operations.
pub const WORK_BUDGET: u64 = 1 << 28;
/// Work charged per iteration of an aggregate, and per token of its body and iteration.
const ITERATION_WORK: u64 = 64;
const TOKEN_WORK: u64 = 32;

/// A value: an exact rational (reduced, as `Q` keeps it) or a condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Num(Q),
    Bool(bool),
}

/// Why an expression is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExprFault {
    /// The text is longer than MAX_SOURCE_LEN bytes.
    TooLong,
    /// The text is not in the language at byte `at`: a character outside it, a literal of more
    /// than MAX_LITERAL_DIGITS digits, a token that cannot come there, a missing one.
    Syntax { at: usize },
    /// Nesting deeper than MAX_DEPTH, at the construct opening at byte `at`.
    TooDeep { at: usize },
    /// A name bound neither by an enclosing aggregate nor by the caller.
    Unbound { name: String },
    /// A condition where a number is needed.
    NotANumber,
    /// A number where a condition is needed.
    NotACondition,
    /// A fraction where an integer is needed (`%`, an exponent, `idx`, a range's bounds).
    NotAnInteger,
    /// A division or remainder by zero, or zero to a negative power.
    DivisionByZero,
    /// `idx` where the caller gives no grid index.
    NoGridIndex,
    /// `idx(t)` with `t` outside `1..=len`.
    IdxOutside { len: usize },
    /// `log2(x)` with x not a power of 2, or `iroot(x, b)` with x < 0 or b < 1.
    Domain { func: &'static str },
    /// A number past MAX_BITS bits, an exponent past MAX_EXPONENT, a range past MAX_RANGE values
    /// or a range's bound past 64 bits.
    TooLarge,
    /// The evaluation needs more than WORK_BUDGET.
    OverBudget,
}

/// Parses `text` and evaluates it. `name` gives the value of a free name (parameters, lets, names
/// the kernel binds such as `k`, `m`, `cut`), or `None` when it is unbound; `index` is the grid
/// index `idx(t)` reads (`idx(t)` is `index[t - 1]`, given as the checker gives it: the 1-based
/// template numbers), `None` where there is none.
pub fn eval(text: &str, name: &dyn Fn(&str) -> Option<Value>, index: Option<&[usize]>) -> Result<Value, ExprFault> {
    Expr::parse(text)?.eval(name, index)
}

/// A parsed expression, to evaluate at many bindings.
#[derive(Clone, Debug)]
pub struct Expr {
    root: Node,
    /// Every name the text uses outside calls, once each; `Node::Name` holds a position here.
    names: Vec<String>,
}

impl Expr {
    pub fn parse(text: &str) -> Result<Expr, ExprFault> {
        if text.len() > MAX_SOURCE_LEN {
            return Err(ExprFault::TooLong);
        }
        let mut p = Parser {
            toks: lex(text)?,
            end: text.len(),
            pos: 0,
            depth: 0,
            names: Vec::new(),
        };
        let root = p.or()?;
        if p.peek().is_some() {
            return Err(p.syntax());
        }
        let names = p.names.iter().map(|n| n.to_string()).collect();
        Ok(Expr { root, names })
    }

    /// Evaluates the expression; `name` and `index` as for `eval`. Each name is looked up once.
    pub fn eval(&self, name: &dyn Fn(&str) -> Option<Value>, index: Option<&[usize]>) -> Result<Value, ExprFault> {
        let values: Vec<Option<Value>> = self.names.iter().map(|n| name(n)).collect();
        let mut ev = Evaluator {
            values: &values,
            names: &self.names,
            index,
            work: Work(WORK_BUDGET),
            locals: Vec::new(),
        };
        Ok(match ev.eval(&self.root)? {
            Val::Num(q) => Value::Num(q.into_owned()),
            Val::Bool(b) => Value::Bool(b),
        })
    }
}

/// The shapes of an expression that the claims about every depth rely on (SPEC §7).
impl Expr {
    /// The period of the free name `k`: the least common multiple of every `p` in `k % p` (`p` a
    /// positive integer literal, at most `MAX_PERIOD`), when every occurrence of `k` is in such a
    /// remainder, in `k == 1`, `k != 1` or (with `end` given) `k == end`, `k != end` (either
    /// operand order), and `end` occurs nowhere else; 1 when `k` does not occur. `None` otherwise,
    /// and when an aggregate binds `k` or `end`. An expression of this form takes the same value
    /// at every k of one class mod the period, other than 1 and `end`.
    pub fn period(&self, k: &str, end: Option<&str>) -> Option<usize> {
        let position = |name: &str| self.names.iter().position(|n| n == name);
        let k = position(k);
        let end = end.and_then(position);
        period_of(&self.root, k, end)
    }

    /// The base `c` when the expression is `c ^ (d / 2)` and `c` does not use `d`.
    pub fn half_power_base(&self, d: &str) -> Option<Expr> {
        let d = self.names.iter().position(|n| n == d);
        let Node::Pow(base, exponent) = &self.root else {
            return None;
        };
        let halves = matches!(&**exponent, Node::Chain(first, rest)
            if matches!(&**first, Node::Name(x) if Some(*x) == d)
                && matches!(rest.as_slice(), [(ArithOp::Div, Node::Num(two))] if *two == Q::from_integer(2.into())));
        (halves && period_of(base, d, None) == Some(1)).then(|| Expr {
            root: (**base).clone(),
            names: self.names.clone(),
        })
    }
}

/// The most a period may be.
pub const MAX_PERIOD: usize = 64;

/// `Expr::period` on a subtree, `k` and `end` by their positions in the names.
fn period_of(node: &Node, k: Option<usize>, end: Option<usize>) -> Option<usize> {
    let is = |n: &Node, name: Option<usize>| matches!(n, Node::Name(x) if Some(*x) == name);
    let all = |nodes: &mut dyn Iterator<Item = &Node>| {
        let mut acc = 1usize;
        for n in nodes {
            acc = lcm(acc, period_of(n, k, end)?)?;
        }
        Some(acc)
    };
    match node {
        Node::Num(_) | Node::Bool(_) => Some(1),
        Node::Name(_) if is(node, k) || is(node, end) => None,
        Node::Name(_) => Some(1),
        Node::Chain(first, rest) if is(first, k) => match rest.as_slice() {
            [(ArithOp::Rem, Node::Num(p))] if p.is_integer() => {
                p.to_integer().to_usize().filter(|p| (1..=MAX_PERIOD).contains(p))
            }
            _ => None,
        },
        Node::Cmp(CmpOp::Eq | CmpOp::Ne, l, r)
            if (is(l, k) && (is_one(r) || is(r, end))) || (is(r, k) && (is_one(l) || is(l, end))) =>
        {
            Some(1)
        }
        Node::Neg(x) | Node::Not(x) | Node::Iverson(x) => period_of(x, k, end),
        Node::Pow(a, b) | Node::Cmp(_, a, b) => all(&mut [&**a, &**b].into_iter()),
        Node::Chain(first, rest) => all(&mut std::iter::once(&**first).chain(rest.iter().map(|(_, n)| n))),
        Node::And(v) | Node::Or(v) => all(&mut v.iter()),
        Node::Call(_, first, rest) => all(&mut std::iter::once(&**first).chain(rest.iter())),
        Node::Aggregate(agg) if Some(agg.var) == k || Some(agg.var) == end => None,
        Node::Aggregate(agg) => all(&mut [&agg.lo, &agg.hi, &agg.body].into_iter()),
        Node::If(branches, otherwise) => all(&mut branches
            .iter()
            .flat_map(|(c, x)| [c, x])
            .chain(std::iter::once(&**otherwise))),
    }
}

fn is_one(n: &Node) -> bool {
    matches!(n, Node::Num(x) if x.is_one())
}

/// The least common multiple, if it is at most `MAX_PERIOD`.
fn lcm(a: usize, b: usize) -> Option<usize> {
    let (mut x, mut y) = (a, b);
    while y != 0 {
        (x, y) = (y, x % y);
    }
    let l = a.checked_div(x)?.checked_mul(b)?;
    (l <= MAX_PERIOD).then_some(l)
}

// ----- tokens -----

#[derive(Clone, Debug)]
enum Tok<'s> {
    Int(BigInt),
    /// A name or a keyword: `[A-Za-z_][A-Za-z0-9_]*`.
    Word(&'s str),
    Sym(&'static str),
}

/// The symbols, two-character ones first so that `<=` is not read as `<`.
const SYMBOLS: [&str; 24] = [
    "==", "!=", "<=", ">=", "&&", "||", "..", "(", ")", "[", "]", "{", "}", ",", ":", "+", "-", "*", "/", "%", "^",
    "<", ">", "!",
];
const KEYWORDS: [&str; 5] = ["if", "else", "true", "false", "in"];

/// The end of the run of bytes satisfying `class` that starts at `from`.
fn run_end(bytes: &[u8], from: usize, class: fn(&u8) -> bool) -> usize {
    from + bytes
        .get(from..)
        .map_or(0, |rest| rest.iter().take_while(|b| class(b)).count())
}

/// The tokens of `src`, each with the byte it starts at.
fn lex(src: &str) -> Result<Vec<(Tok<'_>, usize)>, ExprFault> {
    let bytes = src.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        let start = i;
        let fault = ExprFault::Syntax { at: start };
        let tok = if c.is_ascii_whitespace() {
            i += 1;
            continue;
        } else if c.is_ascii_digit() {
            i = run_end(bytes, i, u8::is_ascii_digit);
            if i - start > MAX_LITERAL_DIGITS {
                return Err(fault);
            }
            let digits = bytes.get(start..i).unwrap_or_default();
            Tok::Int(BigInt::parse_bytes(digits, 10).ok_or(fault)?)
        } else if c.is_ascii_alphabetic() || c == b'_' {
            i = run_end(bytes, i, |b| b.is_ascii_alphanumeric() || *b == b'_');
            // The word is ASCII, so it starts and ends at character boundaries.
            Tok::Word(src.get(start..i).ok_or(fault)?)
        } else {
            let rest = bytes.get(i..).unwrap_or_default();
            let sym = SYMBOLS.iter().find(|s| rest.starts_with(s.as_bytes()));
            let sym = sym.ok_or(fault)?;
            i += sym.len();
            Tok::Sym(sym)
        };
        toks.push((tok, start));
    }
    Ok(toks)
}

// ----- the syntax tree and the parser -----

#[derive(Clone, Debug)]
enum Node {
    Num(Q),
    Bool(bool),
    /// A name, by its position in `Expr::names`: a bound variable if an enclosing aggregate binds
    /// it (the innermost), else a free name.
    Name(usize),
    Neg(Box<Node>),
    Not(Box<Node>),
    Pow(Box<Node>, Box<Node>),
    /// `first op1 x1 op2 x2 ...`, left to right (flat, so that long sums need no recursion).
    Chain(Box<Node>, Vec<(ArithOp, Node)>),
    Cmp(CmpOp, Box<Node>, Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
    Iverson(Box<Node>),
    /// A call with its first argument and the others.
    Call(Func, Box<Node>, Vec<Node>),
    Aggregate(Box<Aggregate>),
    /// `if c1 { x1 } else if c2 { x2 } ... else { otherwise }`, flat.
    If(Vec<(Node, Node)>, Box<Node>),
}

/// `op(var in lo..hi : body)`.
#[derive(Clone, Debug)]
struct Aggregate {
    op: AggOp,
    /// The bound variable, by its position in `Expr::names`.
    var: usize,
    lo: Node,
    hi: Node,
    body: Node,
    /// The body's tokens: the work one iteration is charged besides ITERATION_WORK.
    body_tokens: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Func {
    Min,
    Max,
    Abs,
    Floor,
    Ceil,
    Idx,
    Log2,
    Iroot,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AggOp {
    All,
    Any,
    Sum,
    Prod,
}

const SUM_OPS: [(&str, ArithOp); 2] = [("+", ArithOp::Add), ("-", ArithOp::Sub)];
const PRODUCT_OPS: [(&str, ArithOp); 3] = [("*", ArithOp::Mul), ("/", ArithOp::Div), ("%", ArithOp::Rem)];
const CMP_OPS: [(&str, CmpOp); 6] = [
    ("==", CmpOp::Eq),
    ("!=", CmpOp::Ne),
    ("<", CmpOp::Lt),
    ("<=", CmpOp::Le),
    (">", CmpOp::Gt),
    (">=", CmpOp::Ge),
];
/// The built-in names; no other name may be called, and these may only be called.
const BUILTINS: [(&str, Result<Func, AggOp>); 12] = [
    ("min", Ok(Func::Min)),
    ("max", Ok(Func::Max)),
    ("abs", Ok(Func::Abs)),
    ("floor", Ok(Func::Floor)),
    ("ceil", Ok(Func::Ceil)),
    ("idx", Ok(Func::Idx)),
    ("log2", Ok(Func::Log2)),
    ("iroot", Ok(Func::Iroot)),
    ("all", Err(AggOp::All)),
    ("any", Err(AggOp::Any)),
    ("sum", Err(AggOp::Sum)),
    ("prod", Err(AggOp::Prod)),
];

fn builtin(word: &str) -> Option<Result<Func, AggOp>> {
    BUILTINS.iter().find(|(n, _)| *n == word).map(|(_, b)| *b)
}

impl CmpOp {
    /// Whether `a op b` holds when `a.cmp(b) == ord`.
    fn holds(self, ord: Ordering) -> bool {
        match self {
            CmpOp::Eq => ord == Ordering::Equal,
            CmpOp::Ne => ord != Ordering::Equal,
            CmpOp::Lt => ord == Ordering::Less,
            CmpOp::Le => ord != Ordering::Greater,
            CmpOp::Gt => ord == Ordering::Greater,
            CmpOp::Ge => ord != Ordering::Less,
        }
    }
}

/// Recursive descent, one function per precedence level; `depth` counts the nestings that
/// MAX_DEPTH bounds (as the checker counts them), so that neither this parser nor the evaluator
/// can exhaust the stack.
struct Parser<'s> {
    toks: Vec<(Tok<'s>, usize)>,
    /// The text's length: where the end of the text is.
    end: usize,
    pos: usize,
    depth: usize,
    /// The names read so far, each once, in the order first read.
    names: Vec<&'s str>,
}

/// A parsing function, one precedence level.
type Level<'s> = fn(&mut Parser<'s>) -> Result<Node, ExprFault>;

impl<'s> Parser<'s> {
    /// The next token, `None` at the end.
    fn peek(&self) -> Option<&Tok<'s>> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    /// The byte the next token starts at.
    fn here(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |(_, at)| *at)
    }

    /// The fault at the next token (or the end).
    fn syntax(&self) -> ExprFault {
        ExprFault::Syntax { at: self.here() }
    }

    /// Whether the next token is the symbol or word `text`.
    fn at(&self, text: &str) -> bool {
        match self.peek() {
            Some(Tok::Sym(s)) => *s == text,
            Some(Tok::Word(w)) => *w == text,
            _ => false,
        }
    }

    /// Moves past the next token if it is `text`.
    fn eat(&mut self, text: &str) -> bool {
        let found = self.at(text);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, text: &str) -> Result<(), ExprFault> {
        if self.eat(text) {
            Ok(())
        } else {
            Err(self.syntax())
        }
    }

    /// An expression, then `close`.
    fn closed(&mut self, close: &str) -> Result<Node, ExprFault> {
        let x = self.or()?;
        self.expect(close)?;
        Ok(x)
    }

    /// The operator of `table` next, moved past.
    fn eat_op<T: Copy>(&mut self, table: &[(&str, T)]) -> Option<T> {
        let op = table.iter().find(|(s, _)| self.at(s)).map(|(_, op)| *op)?;
        self.pos += 1;
        Some(op)
    }

    /// `and (|| and)*`.
    fn or(&mut self) -> Result<Node, ExprFault> {
        self.flat("||", |p| p.flat("&&", Self::comparison, Node::And), Node::Or)
    }

    /// `next (sym next)*`, as one flat node `make(items)` if `sym` occurs.
    fn flat(&mut self, sym: &str, next: Level<'s>, make: fn(Vec<Node>) -> Node) -> Result<Node, ExprFault> {
        let first = next(self)?;
        if !self.at(sym) {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat(sym) {
            items.push(next(self)?);
        }
        Ok(make(items))
    }

    /// `sum (op sum)?`, and no second comparison after it.
    fn comparison(&mut self) -> Result<Node, ExprFault> {
        let sum: Level<'s> = |p| p.chain(&SUM_OPS, |p| p.chain(&PRODUCT_OPS, Self::unary));
        let left = sum(self)?;
        let Some(op) = self.eat_op(&CMP_OPS) else {
            return Ok(left);
        };
        let right = sum(self)?;
        if CMP_OPS.iter().any(|(s, _)| self.at(s)) {
            return Err(self.syntax());
        }
        Ok(Node::Cmp(op, Box::new(left), Box::new(right)))
    }

    /// `next (op next)*` for the operators of `table`, as one flat chain.
    fn chain(&mut self, table: &[(&str, ArithOp)], next: Level<'s>) -> Result<Node, ExprFault> {
        let first = next(self)?;
        let mut rest = Vec::new();
        while let Some(op) = self.eat_op(table) {
            rest.push((op, next(self)?));
        }
        if rest.is_empty() {
            return Ok(first);
        }
        Ok(Node::Chain(Box::new(first), rest))
    }

    /// `- unary`, `! unary` or `power`.
    fn unary(&mut self) -> Result<Node, ExprFault> {
        let at = self.here();
        let negate = self.at("-");
        if !negate && !self.at("!") {
            return self.power();
        }
        self.pos += 1;
        let x = Box::new(self.nested(at, Self::unary)?);
        Ok(if negate { Node::Neg(x) } else { Node::Not(x) })
    }

    /// `atom (^ unary)?`.
    fn power(&mut self) -> Result<Node, ExprFault> {
        let base = self.atom()?;
        let at = self.here();
        if !self.eat("^") {
            return Ok(base);
        }
        let exponent = self.nested(at, Self::unary)?;
        Ok(Node::Pow(Box::new(base), Box::new(exponent)))
    }

    fn atom(&mut self) -> Result<Node, ExprFault> {
        let (at, fault) = (self.here(), self.syntax());
        let Some(tok) = self.peek().cloned() else {
            return Err(fault);
        };
        self.pos += 1;
        match tok {
            Tok::Int(n) => Ok(Node::Num(Q::from_integer(n))),
            Tok::Word("true") => Ok(Node::Bool(true)),
            Tok::Word("false") => Ok(Node::Bool(false)),
            Tok::Word("if") => self.nested(at, Self::if_else),
            Tok::Word(w) if !KEYWORDS.contains(&w) => self.name(w, at),
            Tok::Sym("(") => self.nested(at, |p| p.closed(")")),
            Tok::Sym("[") => Ok(Node::Iverson(Box::new(self.nested(at, |p| p.closed("]"))?))),
            Tok::Word(_) | Tok::Sym(_) => Err(fault),
        }
    }

    /// `inside`, one nesting level deeper, for the construct opening at byte `at`.
    fn nested(
        &mut self,
        at: usize,
        inside: impl FnOnce(&mut Self) -> Result<Node, ExprFault>,
    ) -> Result<Node, ExprFault> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprFault::TooDeep { at });
        }
        let node = inside(self)?;
        self.depth -= 1;
        Ok(node)
    }

    /// The slot of `name` in the names table (a linear search: a text has a few thousand names
    /// at most).
    fn slot(&mut self, name: &'s str) -> usize {
        self.names.iter().position(|n| *n == name).unwrap_or_else(|| {
            self.names.push(name);
            self.names.len() - 1
        })
    }

    /// A name read at byte `at`: a variable, or a call or aggregate if `(` follows (a built-in
    /// name must be called, and no other name can be).
    fn name(&mut self, word: &'s str, at: usize) -> Result<Node, ExprFault> {
        match (builtin(word), self.eat("(")) {
            (None, false) => Ok(Node::Name(self.slot(word))),
            (Some(Ok(func)), true) => self.nested(at, |p| p.call(func)),
            (Some(Err(op)), true) => self.nested(at, |p| p.aggregate(op)),
            _ => Err(ExprFault::Syntax { at }),
        }
    }

    /// The arguments of `func` after `(`, and the `)`: one, or at least one for `min` and `max`.
    fn call(&mut self, func: Func) -> Result<Node, ExprFault> {
        let at = self.here();
        let first = self.or()?;
        let mut rest = Vec::new();
        while self.eat(",") {
            rest.push(self.or()?);
        }
        self.expect(")")?;
        let arity_fits = match func {
            Func::Min | Func::Max => true,
            Func::Iroot => rest.len() == 1,
            _ => rest.is_empty(),
        };
        if !arity_fits {
            return Err(ExprFault::Syntax { at });
        }
        Ok(Node::Call(func, Box::new(first), rest))
    }

    /// `var in lo..hi : body )` after `op(`.
    fn aggregate(&mut self, op: AggOp) -> Result<Node, ExprFault> {
        let var = match self.peek() {
            Some(Tok::Word(w)) if !KEYWORDS.contains(w) && builtin(w).is_none() => *w,
            _ => return Err(self.syntax()),
        };
        self.pos += 1;
        let var = self.slot(var);
        self.expect("in")?;
        let lo = self.closed("..")?;
        let hi = self.closed(":")?;
        let body_start = self.pos;
        let body = self.or()?;
        let body_tokens = u64::try_from(self.pos - body_start).unwrap_or(u64::MAX);
        self.expect(")")?;
        let agg = Aggregate {
            op,
            var,
            lo,
            hi,
            body,
            body_tokens,
        };
        Ok(Node::Aggregate(Box::new(agg)))
    }

    /// `c { x } (else if c { x })* else { x }` after `if`.
    fn if_else(&mut self) -> Result<Node, ExprFault> {
        let mut branches = Vec::new();
        loop {
            let cond = self.closed("{")?;
            branches.push((cond, self.closed("}")?));
            self.expect("else")?;
            if !self.eat("if") {
                break;
            }
        }
        self.expect("{")?;
        let otherwise = self.closed("}")?;
        Ok(Node::If(branches, Box::new(otherwise)))
    }
}

// ----- evaluation -----

/// A value during evaluation: literals and the caller's values are borrowed, not copied.
enum Val<'a> {
    Num(Cow<'a, Q>),
    Bool(bool),
}

/// The work left in one evaluation.
struct Work(u64);

impl Work {
    fn charge(&mut self, units: u64) -> Result<(), ExprFault> {
        self.0 = self.0.checked_sub(units).ok_or(ExprFault::OverBudget)?;
        Ok(())
    }
}

struct Evaluator<'a> {
    /// The caller's value of each name, by slot.
    values: &'a [Option<Value>],
    names: &'a [String],
    index: Option<&'a [usize]>,
    work: Work,
    /// The variables of the aggregates being iterated (slot, value), outermost first.
    locals: Vec<(usize, Q)>,
}

impl<'a> Evaluator<'a> {
    fn eval(&mut self, node: &'a Node) -> Result<Val<'a>, ExprFault> {
        let num = |q: Q| -> Result<Val<'a>, ExprFault> { Ok(Val::Num(Cow::Owned(q))) };
        match node {
            Node::Num(q) => Ok(Val::Num(Cow::Borrowed(q))),
            Node::Bool(b) => Ok(Val::Bool(*b)),
            Node::Name(slot) => self.name(*slot),
            Node::Neg(x) => {
                let q = self.num(x)?;
                num(arith::neg(&q, &mut self.work)?)
            }
            Node::Not(x) => Ok(Val::Bool(!self.cond(x)?)),
            Node::Pow(base, exponent) => num(self.pow(base, exponent)?),
            Node::Chain(first, rest) => self.chain(first, rest),
            Node::Cmp(op, l, r) => Ok(Val::Bool(self.compare(*op, l, r)?)),
            Node::And(items) => Ok(Val::Bool(self.and_or(items, false)?)),
            Node::Or(items) => Ok(Val::Bool(self.and_or(items, true)?)),
            Node::Iverson(c) => num(if self.cond(c)? { Q::one() } else { Q::zero() }),
            Node::Call(func, first, rest) => self.call(*func, first, rest),
            Node::Aggregate(agg) => self.aggregate(agg),
            Node::If(branches, otherwise) => {
                for (c, x) in branches {
                    if self.cond(c)? {
                        return self.eval(x);
                    }
                }
                self.eval(otherwise)
            }
        }
    }

    fn num(&mut self, node: &'a Node) -> Result<Cow<'a, Q>, ExprFault> {
        match self.eval(node)? {
            Val::Num(q) => Ok(q),
            Val::Bool(_) => Err(ExprFault::NotANumber),
        }
    }

    fn cond(&mut self, node: &'a Node) -> Result<bool, ExprFault> {
        match self.eval(node)? {
            Val::Bool(b) => Ok(b),
            Val::Num(_) => Err(ExprFault::NotACondition),
        }
    }

    /// The innermost aggregate variable in `slot`, else the caller's value.
    fn name(&self, slot: usize) -> Result<Val<'a>, ExprFault> {
        if let Some((_, v)) = self.locals.iter().rev().find(|(s, _)| *s == slot) {
            return Ok(Val::Num(Cow::Owned(v.clone())));
        }
        match self.values.get(slot) {
            Some(Some(Value::Num(q))) => Ok(Val::Num(Cow::Borrowed(q))),
            Some(Some(Value::Bool(b))) => Ok(Val::Bool(*b)),
            _ => Err(ExprFault::Unbound {
                name: self.names.get(slot).cloned().unwrap_or_default(),
            }),
        }
    }

    /// `&&` (false at the first false) or, when `is_or`, `||` (true at the first true).
    fn and_or(&mut self, items: &'a [Node], is_or: bool) -> Result<bool, ExprFault> {
        for item in items {
            if self.cond(item)? == is_or {
                return Ok(is_or);
            }
        }
        Ok(!is_or)
    }

    fn pow(&mut self, base: &'a Node, exponent: &'a Node) -> Result<Q, ExprFault> {
        let b = self.num(base)?;
        let e = self.num(exponent)?;
        if !e.is_integer() {
            return Err(ExprFault::NotAnInteger);
        }
        let e = e.numer().to_i64().filter(|e| e.unsigned_abs() <= MAX_EXPONENT);
        let e = e.ok_or(ExprFault::TooLarge)?;
        if e < 0 && b.is_zero() {
            return Err(ExprFault::DivisionByZero);
        }
        arith::pow(&b, e, &mut self.work)
    }

    fn chain(&mut self, first: &'a Node, rest: &'a [(ArithOp, Node)]) -> Result<Val<'a>, ExprFault> {
        let mut acc = self.num(first)?;
        for (op, operand) in rest {
            let rhs = self.num(operand)?;
            let work = &mut self.work;
            acc = Cow::Owned(match op {
                ArithOp::Add => arith::add(&acc, &rhs, false, work)?,
                ArithOp::Sub => arith::add(&acc, &rhs, true, work)?,
                ArithOp::Mul => arith::mul(&acc, &rhs, work)?,
                ArithOp::Div if rhs.is_zero() => return Err(ExprFault::DivisionByZero),
                ArithOp::Div => arith::div(&acc, &rhs, work)?,
                ArithOp::Rem if !(acc.is_integer() && rhs.is_integer()) => return Err(ExprFault::NotAnInteger),
                ArithOp::Rem if rhs.is_zero() => return Err(ExprFault::DivisionByZero),
                ArithOp::Rem => arith::rem_euclid(&acc, &rhs, work)?,
            });
        }
        Ok(Val::Num(acc))
    }

    fn compare(&mut self, op: CmpOp, l: &'a Node, r: &'a Node) -> Result<bool, ExprFault> {
        let a = self.eval(l)?;
        let b = self.eval(r)?;
        let equality = matches!(op, CmpOp::Eq | CmpOp::Ne);
        match (a, b) {
            (Val::Num(x), Val::Num(y)) if equality => Ok(arith::equal(&x, &y, &mut self.work)? == (op == CmpOp::Eq)),
            (Val::Num(x), Val::Num(y)) => Ok(op.holds(arith::compare(&x, &y, &mut self.work)?)),
            (Val::Bool(x), Val::Bool(y)) if equality => Ok((x == y) == (op == CmpOp::Eq)),
            // A condition compared with a number, or ordered.
            _ => Err(ExprFault::NotANumber),
        }
    }

    fn call(&mut self, func: Func, first: &'a Node, rest: &'a [Node]) -> Result<Val<'a>, ExprFault> {
        let x = self.num(first)?;
        let work = &mut self.work;
        let q = match func {
            Func::Abs if x.is_negative() => arith::neg(&x, work)?,
            Func::Abs => return Ok(Val::Num(x)),
            Func::Floor => arith::round(&x, false, work)?,
            Func::Ceil => arith::round(&x, true, work)?,
            Func::Idx => self.idx(&x)?,
            Func::Log2 => arith::log2(&x, work)?,
            Func::Iroot => {
                let b = match rest.first() {
                    Some(arg) => self.num(arg)?,
                    None => return Err(ExprFault::Domain { func: "iroot" }),
                };
                arith::iroot(&x, &b, &mut self.work)?
            }
            Func::Min | Func::Max => {
                let keep = if func == Func::Min {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
                let mut best = x;
                for arg in rest {
                    let y = self.num(arg)?;
                    if arith::compare(&y, &best, &mut self.work)? == keep {
                        best = y;
                    }
                }
                return Ok(Val::Num(best));
            }
        };
        Ok(Val::Num(Cow::Owned(q)))
    }

    /// `idx(t)`: entry `t` (from 1) of the grid index.
    fn idx(&self, t: &Q) -> Result<Q, ExprFault> {
        let index = self.index.ok_or(ExprFault::NoGridIndex)?;
        if !t.is_integer() {
            return Err(ExprFault::NotAnInteger);
        }
        let entry = t
            .numer()
            .to_usize()
            .and_then(|t| t.checked_sub(1))
            .and_then(|p| index.get(p));
        let entry = entry.ok_or(ExprFault::IdxOutside { len: index.len() })?;
        Ok(Q::from_integer(BigInt::from(*entry)))
    }

    /// The aggregate's bounds (without its variable bound), then its body once per value of the
    /// range, each iteration charged before its body, `all` and `any` stopping once decided.
    fn aggregate(&mut self, agg: &'a Aggregate) -> Result<Val<'a>, ExprFault> {
        let lo = self.range_bound(&agg.lo)?;
        let hi = self.range_bound(&agg.hi)?;
        if i128::from(hi) - i128::from(lo) + 1 > i128::from(MAX_RANGE) {
            return Err(ExprFault::TooLarge);
        }
        let per_iteration = ITERATION_WORK.saturating_add(TOKEN_WORK.saturating_mul(agg.body_tokens));
        let mut acc = if agg.op == AggOp::Prod { Q::one() } else { Q::zero() };
        // The value of `all` or `any` until an iteration decides it.
        let mut verdict = agg.op == AggOp::All;
        self.locals.push((agg.var, Q::zero()));
        for j in lo..=hi {
            if let Some(local) = self.locals.last_mut() {
                local.1 = Q::from_integer(j.into());
            }
            self.work.charge(per_iteration)?;
            match agg.op {
                AggOp::All | AggOp::Any => {
                    if self.cond(&agg.body)? != verdict {
                        verdict = !verdict;
                        break;
                    }
                }
                AggOp::Sum => {
                    let x = self.num(&agg.body)?;
                    acc = arith::add(&acc, &x, false, &mut self.work)?;
                }
                AggOp::Prod => {
                    let x = self.num(&agg.body)?;
                    acc = arith::mul(&acc, &x, &mut self.work)?;
                }
            }
        }
        // A fault ends the whole evaluation, so the variable need only be unbound here.
        self.locals.pop();
        Ok(match agg.op {
            AggOp::All | AggOp::Any => Val::Bool(verdict),
            AggOp::Sum | AggOp::Prod => Val::Num(Cow::Owned(acc)),
        })
    }

    /// A bound of a range: an integer that fits in 64 bits.
    fn range_bound(&mut self, node: &'a Node) -> Result<i64, ExprFault> {
        let q = self.num(node)?;
        if !q.is_integer() {
            return Err(ExprFault::NotAnInteger);
        }
        q.numer().to_i64().ok_or(ExprFault::TooLarge)
    }
}

/// Exact arithmetic on reduced rationals, every result refused past MAX_BITS and every step
/// charged to the work budget in the checker's units (limb operations), so that hostile input
/// cannot hang the kernel: results are built with `Q::new_raw` after Euclid's algorithm, whose
/// steps are charged one by one, never through num-rational's operators (their gcd is quadratic
/// on huge inputs however small the other operand).
mod arith {
    use super::{ExprFault, Work, MAX_BITS, MAX_ROOT_BITS};
    use crate::field::Q;
    use num_bigint::{BigInt, BigUint, Sign};
    use num_integer::Integer;
    use num_traits::{One, Signed, ToPrimitive, Zero};
    use std::cmp::Ordering;

    fn limbs(x: &BigInt) -> u64 {
        x.bits() / 64 + 1
    }

    /// Charges a step linear in the size of `q`.
    fn linear(q: &Q, work: &mut Work) -> Result<(), ExprFault> {
        work.charge(limbs(q.numer()).saturating_add(limbs(q.denom())))
    }

    /// The cost of dividing `a` by `b`: the quotient loop and a linear term.
    fn div_cost(a: &BigUint, b: &BigUint) -> u64 {
        let (wa, wb) = (a.bits() / 64 + 1, b.bits() / 64 + 1);
        wb.saturating_mul(wa.saturating_sub(wb) + 1)
            .saturating_add(wa.saturating_mul(16))
    }

    /// Charges the products of `pairs`.
    fn products(pairs: &[(&BigInt, &BigInt)], work: &mut Work) -> Result<(), ExprFault> {
        let units = pairs.iter().fold(0u64, |acc, (x, y)| {
            acc.saturating_add(limbs(x).saturating_mul(limbs(y)))
        });
        work.charge(units)
    }

    fn int(n: BigInt) -> Q {
        Q::new_raw(n, BigInt::one())
    }

    fn checked(q: Q) -> Result<Q, ExprFault> {
        if q.numer().bits() > MAX_BITS || q.denom().bits() > MAX_BITS {
            return Err(ExprFault::TooLarge);
        }
        Ok(q)
    }

    /// Euclid's algorithm, each division charged; machine words once the smaller fits one.
    fn gcd(a: &BigInt, b: &BigInt, work: &mut Work) -> Result<BigUint, ExprFault> {
        let (a, b) = (a.magnitude(), b.magnitude());
        let (mut big, mut small) = if a >= b {
            (a.clone(), b.clone())
        } else {
            (b.clone(), a.clone())
        };
        while !small.is_zero() {
            work.charge(div_cost(&big, &small))?;
            if let Some(s) = small.to_u64() {
                let r = (&big % s).to_u64().unwrap_or(0);
                return Ok(BigUint::from(s.gcd(&r)));
            }
            let r = &big % &small;
            big = std::mem::replace(&mut small, r);
        }
        Ok(big)
    }

    /// `n / d` in lowest terms, for `d > 0`.
    fn reduce(n: BigInt, d: BigInt, work: &mut Work) -> Result<Q, ExprFault> {
        let g = gcd(&n, &d, work)?;
        if g.is_one() || g.is_zero() {
            return checked(Q::new_raw(n, d));
        }
        work.charge(div_cost(n.magnitude(), &g).saturating_add(div_cost(d.magnitude(), &g)))?;
        let g = BigInt::from(g);
        checked(Q::new_raw(n / &g, d / &g))
    }

    /// `a + b`, or `a - b` when `negate_b`.
    pub fn add(a: &Q, b: &Q, negate_b: bool, work: &mut Work) -> Result<Q, ExprFault> {
        let (an, ad, bn, bd) = (a.numer(), a.denom(), b.numer(), b.denom());
        let combine = |x: BigInt, y: BigInt| if negate_b { x - y } else { x + y };
        if a.is_integer() && b.is_integer() {
            work.charge(limbs(an).max(limbs(bn)))?;
            return checked(int(combine(an.clone(), bn.clone())));
        }
        if ad == bd {
            linear(a, work)?;
            linear(b, work)?;
            return reduce(combine(an.clone(), bn.clone()), ad.clone(), work);
        }
        products(&[(an, bd), (bn, ad), (ad, bd)], work)?;
        reduce(combine(an * bd, bn * ad), ad * bd, work)
    }

    pub fn mul(a: &Q, b: &Q, work: &mut Work) -> Result<Q, ExprFault> {
        let (an, ad, bn, bd) = (a.numer(), a.denom(), b.numer(), b.denom());
        if an.is_zero() || bn.is_zero() {
            return Ok(Q::zero());
        }
        if a.is_integer() && b.is_integer() {
            // The product has at least bits(a) + bits(b) - 1 bits: refused before it is computed.
            if an.bits() + bn.bits() - 1 > MAX_BITS {
                return Err(ExprFault::TooLarge);
            }
            products(&[(an, bn)], work)?;
            return checked(int(an * bn));
        }
        products(&[(an, bn), (ad, bd)], work)?;
        reduce(an * bn, ad * bd, work)
    }

    /// `a / b` for `b != 0`: `a` times the reciprocal of `b`.
    pub fn div(a: &Q, b: &Q, work: &mut Work) -> Result<Q, ExprFault> {
        let (bn, bd) = (b.numer(), b.denom());
        let recip = if bn.is_negative() {
            Q::new_raw(-bd, -bn)
        } else {
            Q::new_raw(bd.clone(), bn.clone())
        };
        mul(a, &recip, work)
    }

    /// The Euclidean remainder of the integers `a` and `b != 0`: in `0..|b|`.
    pub fn rem_euclid(a: &Q, b: &Q, work: &mut Work) -> Result<Q, ExprFault> {
        let (an, bn) = (a.numer(), b.numer());
        work.charge(div_cost(an.magnitude(), bn.magnitude()))?;
        Ok(int(an.mod_floor(&bn.abs())))
    }

    /// `base ^ exp` for `|exp| <= MAX_EXPONENT` (and `base != 0` if `exp < 0`), refused when
    /// `(bits(numerator) + bits(denominator)) * |exp|` exceeds MAX_BITS.
    pub fn pow(base: &Q, exp: i64, work: &mut Work) -> Result<Q, ExprFault> {
        let e = exp.unsigned_abs();
        let estimate = (base.numer().bits() + base.denom().bits()).saturating_mul(e);
        if estimate > MAX_BITS {
            return Err(ExprFault::TooLarge);
        }
        let w = estimate / 64 + 1;
        work.charge(w.saturating_mul(w))?;
        let e = u32::try_from(e).map_err(|_| ExprFault::TooLarge)?;
        let (n, d) = (base.numer().pow(e), base.denom().pow(e));
        checked(match (exp >= 0, n.is_negative()) {
            (true, _) => Q::new_raw(n, d),
            (false, true) => Q::new_raw(-d, -n),
            (false, false) => Q::new_raw(d, n),
        })
    }

    pub fn neg(a: &Q, work: &mut Work) -> Result<Q, ExprFault> {
        linear(a, work)?;
        Ok(Q::new_raw(-a.numer(), a.denom().clone()))
    }

    /// `log2(a)` for `a` a positive integer power of 2.
    pub fn log2(a: &Q, work: &mut Work) -> Result<Q, ExprFault> {
        linear(a, work)?;
        let n = a.numer();
        let bits = n.bits();
        let power = a.is_integer() && n.sign() == Sign::Plus && n.trailing_zeros() == Some(bits.saturating_sub(1));
        if !power {
            return Err(ExprFault::Domain { func: "log2" });
        }
        Ok(int(BigInt::from(bits - 1)))
    }

    /// `iroot(a, b)`: the integer part of the b-th root of an integer `a >= 0`, `1 <= b <= 64`,
    /// for `a` of at most MAX_ROOT_BITS bits, by bisection on the root's bits (for an integer k,
    /// `k <= a^(1/b)` exactly when `k <= iroot(a, b)`).
    pub fn iroot(a: &Q, b: &Q, work: &mut Work) -> Result<Q, ExprFault> {
        let degree = b.to_u32().filter(|&e| b.is_integer() && (1..=64).contains(&e));
        let (Some(degree), true) = (degree, a.is_integer() && !a.is_negative()) else {
            return Err(ExprFault::Domain { func: "iroot" });
        };
        let n = a.numer();
        if n.bits() > MAX_ROOT_BITS {
            return Err(ExprFault::TooLarge);
        }
        // root < 2^(bits / degree + 1); fix its bits from the top.
        let top = n.bits() / u64::from(degree) + 1;
        let w = MAX_ROOT_BITS / 64 + 1;
        let mut root = BigInt::zero();
        for bit in (0..top).rev() {
            work.charge(w.saturating_mul(w).saturating_mul(u64::from(degree)))?;
            let candidate = &root | (BigInt::one() << bit);
            if candidate.pow(degree) <= *n {
                root = candidate;
            }
        }
        Ok(int(root))
    }

    /// `floor(a)`, or `ceil(a)` when `up`.
    pub fn round(a: &Q, up: bool, work: &mut Work) -> Result<Q, ExprFault> {
        if a.is_integer() {
            linear(a, work)?;
            return Ok(a.clone());
        }
        let (n, d) = (a.numer(), a.denom());
        work.charge(div_cost(n.magnitude(), d.magnitude()))?;
        Ok(int(if up { n.div_ceil(d) } else { n.div_floor(d) }))
    }

    /// Equality of reduced rationals: equal numerators and denominators.
    pub fn equal(a: &Q, b: &Q, work: &mut Work) -> Result<bool, ExprFault> {
        linear(a, work)?;
        Ok(a.numer() == b.numer() && a.denom() == b.denom())
    }

    /// The order of two rationals (denominators positive), by cross-multiplication.
    pub fn compare(a: &Q, b: &Q, work: &mut Work) -> Result<Ordering, ExprFault> {
        let (an, ad, bn, bd) = (a.numer(), a.denom(), b.numer(), b.denom());
        if ad == bd {
            linear(a, work)?;
            return Ok(an.cmp(bn));
        }
        products(&[(an, bd), (bn, ad)], work)?;
        Ok((an * bd).cmp(&(bn * ad)))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_read_off_the_remainders_and_anything_else_is_refused() {
        let period = |text: &str| Expr::parse(text).unwrap().period("k", Some("d"));
        assert_eq!(period("if k % 2 == 1 { [i == b] } else { [i == a] }"), Some(2));
        assert_eq!(
            period("[k % 2 == 0] + [k % 3 == 1] + [k == 1] + [d == k] + [1 != k]"),
            Some(6)
        );
        assert_eq!(period("[i == b]"), Some(1));
        for bad in [
            "k",
            "k + 1",
            "[k == 2]",
            "d",
            "[k % d == 0]",
            "(k + 1) % 2",
            "[k % 0 == 0]",
            "sum(k in 1..3: k)",
            "[k % 65 == 0]",
        ] {
            assert_eq!(period(bad), None, "{bad}");
        }
        assert_eq!(
            Expr::parse("[k % 2 == 0] * [k % 3 == 0] * [k % 5 == 0]")
                .unwrap()
                .period("k", None),
            Some(30)
        );
    }

    #[test]
    fn half_powers_give_their_base() {
        let base = |text: &str| {
            Expr::parse(text).unwrap().half_power_base("d").map(|e| {
                e.eval(&|n| (n == "q").then(|| Value::Num(Q::from_integer(3.into()))), None)
                    .unwrap()
            })
        };
        assert_eq!(base("q^(d/2)"), Some(Value::Num(Q::from_integer(3.into()))));
        assert_eq!(base("(q + 1) ^ (d / 2)"), Some(Value::Num(Q::from_integer(4.into()))));
        for bad in ["q^d", "1 + q^(d/2)", "d^(d/2)", "q^(d/3)", "q^(d/2) * 1", "q"] {
            assert_eq!(base(bad), None, "{bad}");
        }
    }

    fn q(n: i64, d: i64) -> Q {
        Q::new(n.into(), d.into())
    }

    /// The caller's names: n = 3, r = 4, d = 4, q = 2, k = 2, m = 1, yes = true.
    fn names(name: &str) -> Option<Value> {
        let v = match name {
            "n" => 3,
            "r" | "d" => 4,
            "q" | "k" => 2,
            "m" => 1,
            "yes" => return Some(Value::Bool(true)),
            _ => return None,
        };
        Some(Value::Num(Q::from_integer(v.into())))
    }

    /// `text` at the names above and the grid index (2, 7, 1).
    fn value(text: &str) -> Result<Value, ExprFault> {
        eval(text, &names, Some(&[2, 7, 1]))
    }

    fn num(text: &str) -> Q {
        match value(text) {
            Ok(Value::Num(v)) => v,
            other => panic!("{text}: {other:?}"),
        }
    }

    fn cond(text: &str) -> bool {
        match value(text) {
            Ok(Value::Bool(b)) => b,
            other => panic!("{text}: {other:?}"),
        }
    }

    fn fault(text: &str) -> ExprFault {
        match value(text) {
            Err(fault) => fault,
            Ok(v) => panic!("{text} gives {v:?}"),
        }
    }

    fn numbers(cases: &[(&str, Q)]) {
        for (text, expected) in cases {
            assert_eq!(&num(text), expected, "{text}");
        }
    }

    #[test]
    fn operators_bind_by_precedence() {
        numbers(&[
            ("1 + 2 * 3", q(7, 1)),
            ("(1 + 2) * 3", q(9, 1)),
            ("10 - 4 - 3", q(3, 1)),
            ("12 / 2 / 3", q(2, 1)),
            ("2 * 3 % 4", q(2, 1)),
            ("7 - 2 * 3 ^ 2", q(-11, 1)),
            ("-3 * 2", q(-6, 1)),
            ("- -3", q(3, 1)),
            ("2^1/2", q(1, 1)),
            ("007", q(7, 1)),
        ]);
        assert!(cond("1 + 2 < 4 && 3 > 2 || false"));
        assert!(cond("!true || true"));
        assert!(!cond("!(true || true)"));
        assert!(cond("(1 < 2) == true"));
        assert!(!cond("true == false"));
        assert!(cond("true != false && 1 != 2 && 2 <= 2 && 3 >= 2 && 1/2 < 2/3"));
        assert!(cond("yes"));
    }

    #[test]
    fn powers_are_right_associative_with_a_unary_exponent() {
        numbers(&[
            ("-2^2", q(-4, 1)),
            ("(-2)^2", q(4, 1)),
            ("2^3^2", q(512, 1)),
            ("2^-1", q(1, 2)),
            ("2^-1^2", q(1, 2)),
            ("(2/3)^-2", q(9, 4)),
            ("(-2)^-3", q(-1, 8)),
            ("0^0", q(1, 1)),
            ("q^(d/2)", q(4, 1)),
            ("if true { 3 } else { 0 }^2", q(9, 1)),
        ]);
    }

    /// By hand: 2^3 = 8; 5^2 = 25 <= 27 < 36; 2^3 = 8 <= 8; 2^2 = 4 <= 8 < 9 (floor(2^(3/2)));
    /// 3^2 = 9 <= 15 < 16, so iroot(15, 2) = 3 and a rank 4 exceeds 15^(1/2).
    #[test]
    fn logarithms_of_powers_of_two_and_integer_roots() {
        numbers(&[
            ("log2(8)", q(3, 1)),
            ("log2(1)", q(0, 1)),
            ("iroot(27, 2)", q(5, 1)),
            ("iroot(8, 3)", q(2, 1)),
            ("iroot(2^log2(8), 2)", q(2, 1)),
            ("iroot(15, 2)", q(3, 1)),
            ("iroot(0, 5)", q(0, 1)),
            ("iroot(2^200, 50)", q(16, 1)),
        ]);
        for bad in [
            "log2(6)",
            "log2(1/2)",
            "log2(-4)",
            "log2(0)",
            "iroot(-1, 2)",
            "iroot(4, 0)",
            "iroot(4, 1/2)",
            "iroot(4, 65)",
        ] {
            assert!(matches!(fault(bad), ExprFault::Domain { .. }), "{bad}");
        }
        assert_eq!(fault("iroot(2^5000, 2)"), ExprFault::TooLarge);
        assert!(matches!(fault("iroot(4)"), ExprFault::Syntax { .. }));
        assert!(matches!(fault("log2(4, 2)"), ExprFault::Syntax { .. }));
    }

    #[test]
    fn remainders_are_euclidean_and_division_is_exact() {
        numbers(&[
            ("7 % 3", q(1, 1)),
            ("-7 % 3", q(2, 1)),
            ("7 % -3", q(1, 1)),
            ("-7 % -3", q(2, 1)),
            ("1/3 + 1/6", q(1, 2)),
            ("1/2 - 1/2", q(0, 1)),
            ("3/6", q(1, 2)),
            ("1/3 * 3", q(1, 1)),
            ("1/(n - 1)", q(1, 2)),
        ]);
    }

    #[test]
    fn brackets_and_if_chains_choose() {
        numbers(&[
            ("[2 < 3]", q(1, 1)),
            ("[n == 4]", q(0, 1)),
            ("[yes] + [!yes]", q(1, 1)),
            ("if n < 2 { 10 } else if n < 4 { 20 } else { 30 }", q(20, 1)),
            ("if n < 2 { 10 } else if n < 3 { 20 } else { 30 }", q(30, 1)),
            ("if false { 1/0 } else { 5 }", q(5, 1)),
        ]);
        assert!(!cond("false && zz"));
        assert!(cond("true || 1/0 == 0"));
    }

    #[test]
    fn functions_of_fractions_and_negatives() {
        numbers(&[
            ("min(3, 1/2, -2)", q(-2, 1)),
            ("max(-1/2, -1/3)", q(-1, 3)),
            ("min(4)", q(4, 1)),
            ("abs(-5/2)", q(5, 2)),
            ("abs(3)", q(3, 1)),
            ("floor(7/2)", q(3, 1)),
            ("floor(-7/2)", q(-4, 1)),
            ("floor(-3)", q(-3, 1)),
            ("ceil(7/2)", q(4, 1)),
            ("ceil(-7/2)", q(-3, 1)),
            ("idx(1)", q(2, 1)),
            ("idx(2) + idx(3)", q(8, 1)),
        ]);
        assert_eq!(fault("idx(4)"), ExprFault::IdxOutside { len: 3 });
        assert_eq!(fault("idx(0)"), ExprFault::IdxOutside { len: 3 });
        assert_eq!(fault("idx(3/2)"), ExprFault::NotAnInteger);
        assert_eq!(eval("idx(1)", &names, None), Err(ExprFault::NoGridIndex));
    }

    #[test]
    fn aggregates_over_inclusive_ranges() {
        numbers(&[
            ("sum(j in 1..4 : j)", q(10, 1)),
            ("prod(j in 1..4 : j)", q(24, 1)),
            ("sum(j in 1..0 : j)", q(0, 1)),
            ("prod(j in 5..1 : j)", q(1, 1)),
            ("sum(j in -2..2 : j^2)", q(10, 1)),
            ("sum(j in 1..3 : 1/j)", q(11, 6)),
            // The range's `n` is the caller's 3; in the body `n` is the bound variable.
            ("sum(n in 1..n : n)", q(6, 1)),
            ("sum(j in 1..3 : sum(j in 1..j : j))", q(10, 1)),
            ("sum(j in 1..2 : sum(i in j..2 : i * j))", q(1 + 2 + 4, 1)),
        ]);
        assert!(cond("all(j in 1..0 : false)"));
        assert!(!cond("any(j in 1..0 : true)"));
        assert!(cond("all(j in 1..n : j <= n)"));
        assert!(!cond("all(j in 1..n : j < n)"));
        assert!(cond("any(j in 1..n : j == 2)"));
        // Decided at j = 2, before 1/(2 - j) divides by zero.
        assert!(!cond("all(j in 1..3 : j < 2 && 1/(2 - j) > 0)"));
        assert_eq!(fault("sum(j in 1..2 : j) + j"), ExprFault::Unbound { name: "j".into() });
    }

    #[test]
    fn a_parsed_expression_evaluates_at_many_bindings() {
        let e = Expr::parse("if all(t in 1..2 : idx(t) == t) { x } else { -x }").unwrap();
        let x = |v: i64| move |name: &str| (name == "x").then(|| Value::Num(Q::from_integer(v.into())));
        assert_eq!(e.eval(&x(5), Some(&[1, 2])), Ok(Value::Num(q(5, 1))));
        assert_eq!(e.eval(&x(5), Some(&[2, 2])), Ok(Value::Num(q(-5, 1))));
        assert_eq!(e.eval(&x(7), Some(&[1, 2])), Ok(Value::Num(q(7, 1))));
        assert_eq!(
            e.eval(&|_| None, Some(&[1, 2])),
            Err(ExprFault::Unbound { name: "x".into() })
        );
    }

    #[test]
    fn every_fault_is_found() {
        let syntax = |text: &str, at: usize| assert_eq!(fault(text), ExprFault::Syntax { at }, "{text}");
        syntax("1 +", 3);
        syntax("2 @ 3", 2);
        syntax("1.5", 1);
        syntax("(1", 2);
        syntax("1 < 2 < 3", 6);
        syntax("1 < 2 + 3 == 4", 10);
        syntax("min()", 4);
        syntax("abs(1, 2)", 4);
        syntax("min(1,)", 6);
        syntax("foo(1)", 0);
        syntax("min + 1", 0);
        syntax("if true { 1 }", 13);
        syntax("if true { 1 } else 2", 19);
        syntax("n r", 2);
        syntax("sum(min in 1..2 : 1)", 4);
        syntax("sum(j in 1..2 j)", 14);
        syntax("sum(j 1..2 : j)", 6);
        syntax("else", 0);
        syntax("x = 1", 2);
        syntax("2 ≤ 3", 2);
        syntax("", 0);
        syntax(&"9".repeat(61), 0);
        assert_eq!(num(&"9".repeat(60)).to_string(), "9".repeat(60));
        assert_eq!(fault(&"1+".repeat(5001)), ExprFault::TooLong);
        assert_eq!(fault("zz + 1"), ExprFault::Unbound { name: "zz".into() });
        for text in [
            "true + 1",
            "-true",
            "true < false",
            "1 == true",
            "true == 1",
            "abs(yes)",
            "sum(j in 1..3 : j > 1)",
        ] {
            assert_eq!(fault(text), ExprFault::NotANumber, "{text}");
        }
        for text in [
            "!1",
            "[2]",
            "1 && true",
            "false || 1",
            "if 2 { 1 } else { 2 }",
            "all(j in 1..3 : j)",
        ] {
            assert_eq!(fault(text), ExprFault::NotACondition, "{text}");
        }
        for text in ["(1/2) % 2", "2 % (1/2)", "2^(1/2)", "sum(j in 1/2..3 : j)"] {
            assert_eq!(fault(text), ExprFault::NotAnInteger, "{text}");
        }
        for text in ["1/0", "1 % 0", "0^-1", "1/(n - 3)", "sum(j in 0..2 : 1/j)"] {
            assert_eq!(fault(text), ExprFault::DivisionByZero, "{text}");
        }
        for text in [
            "2^5000",
            "(2^4096)^245",
            "(2^4096)^244 * 2^4096",
            "sum(j in 1..10000001 : 0)",
            "sum(j in 1..99999999999999999999 : 0)",
        ] {
            assert_eq!(fault(text), ExprFault::TooLarge, "{text}");
        }
        // 2^28 / (64 + 32 * 1001) iterations at most.
        let costly = format!("sum(j in 1..10000000 : {})", vec!["j"; 501].join("+"));
        assert_eq!(fault(&costly), ExprFault::OverBudget);
    }

    #[test]
    fn huge_powers_are_refused_before_any_work() {
        let start = std::time::Instant::now();
        assert_eq!(fault("9^9^9^9"), ExprFault::TooLarge);
        assert_eq!(fault("(2^4096)^4096"), ExprFault::TooLarge);
        // The largest power allowed: about a million bits.
        assert_eq!(num("(2^4096)^244").numer().bits(), 4096 * 244 + 1);
        assert!(start.elapsed().as_secs() < 5);
    }

    #[test]
    fn nesting_is_bounded_and_long_flat_chains_are_not() {
        let paren = |depth: usize| format!("{}1{}", "(".repeat(depth), ")".repeat(depth));
        assert_eq!(num(&paren(MAX_DEPTH)), q(1, 1));
        assert_eq!(fault(&paren(MAX_DEPTH + 1)), ExprFault::TooDeep { at: MAX_DEPTH });
        assert_eq!(fault(&"(".repeat(MAX_SOURCE_LEN)), ExprFault::TooDeep { at: MAX_DEPTH });
        for (open, close) in [("-", ""), ("!", ""), ("[", "]"), ("abs(", ")"), ("1^", "")] {
            let nested = |depth: usize| format!("{}1{}", open.repeat(depth), close.repeat(depth));
            assert!(
                !matches!(value(&nested(MAX_DEPTH)), Err(ExprFault::TooDeep { .. })),
                "{open}"
            );
            assert!(
                matches!(value(&nested(MAX_DEPTH + 1)), Err(ExprFault::TooDeep { .. })),
                "{open}"
            );
        }
        // Every construct that nests, 6 levels per round, 60 + 4 levels in all.
        let mixed = |rounds: usize, parens: usize| {
            let open = "abs(-(sum(j in 1..1 : if true { (".repeat(rounds);
            let close = ") } else { 0 })))".repeat(rounds);
            format!("{}{open}1{close}{}", "(".repeat(parens), ")".repeat(parens))
        };
        assert_eq!(num(&mixed(10, 4)), q(1, 1));
        assert!(matches!(fault(&mixed(10, 5)), ExprFault::TooDeep { .. }));
        // Flat: no nesting however long.
        assert_eq!(num(&format!("1{}", "+1".repeat(4999))), q(5000, 1));
        assert!(cond(&format!("true{}", " && true".repeat(1000))));
        let chain = format!("if false {{ 0 }}{} else {{ 7 }}", " else if false { 0 }".repeat(400));
        assert_eq!(num(&chain), q(7, 1));
    }
}
