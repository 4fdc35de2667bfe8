//! The kernel's own expression evaluator (`tnproof_kernel::expr`) against the checker's
//! (`tnproof::expr`): on every text, both succeed with the same value (number or condition) or
//! both refuse it. Property tests feed them token soup and random well-formed expression trees
//! over the names n, r, d, q, k, m (small integers) and c (a condition), with `idx` on a small
//! grid index; every string of the shipped case files is compared at a few bindings of its free
//! names; and deterministic tests compare them at the edges of every limit (nesting, literal
//! digits, source length, range length, the work budget) and on the costliest expressions of
//! tests/hostile_input.rs. Each test prints how many texts it compared.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::cell::Cell;
use std::time::Instant;
use tnproof::expr::{self as checker, Expr, Scope};
use tnproof::field::Q;
use tnproof_kernel::expr::{self as kernel, Value};

/// The free names and the grid index of one evaluation.
#[derive(Clone, Debug)]
struct Bindings {
    names: Vec<(String, Value)>,
    index: Option<Vec<usize>>,
}

fn int(v: i64) -> Value {
    Value::Num(Q::from_integer(v.into()))
}

/// The checker's outcome as the kernel's value type; its message when it refuses.
fn by_checker(text: &str, b: &Bindings) -> Result<Value, String> {
    let expr = Expr::parse(text).map_err(|e| e.message)?;
    let mut scope = Scope::new();
    for (name, v) in &b.names {
        let v = match v {
            Value::Num(q) => checker::Value::Num(q.clone()),
            Value::Bool(c) => checker::Value::Bool(*c),
        };
        scope.set(name, v);
    }
    if let Some(index) = &b.index {
        scope.set_grid_index(index);
    }
    match expr.eval(&scope).map_err(|e| e.message)? {
        checker::Value::Num(q) => Ok(Value::Num(q)),
        checker::Value::Bool(c) => Ok(Value::Bool(c)),
    }
}

fn by_kernel(text: &str, b: &Bindings) -> Result<Value, kernel::ExprFault> {
    let name = |n: &str| b.names.iter().find(|(m, _)| m == n).map(|(_, v)| v.clone());
    kernel::eval(text, &name, b.index.as_deref())
}

/// Whether both evaluators give `text` the same value or both refuse it; `Ok(true)` when they
/// agree on a value.
fn agree(text: &str, b: &Bindings) -> Result<bool, String> {
    match (by_checker(text, b), by_kernel(text, b)) {
        (Ok(x), Ok(y)) if x == y => Ok(true),
        (Err(_), Err(_)) => Ok(false),
        (x, y) => Err(format!("{text:?} at {b:?}: the checker gives {x:?}, the kernel {y:?}")),
    }
}

/// Counts of texts compared, and of those both evaluated.
#[derive(Default)]
struct Tally {
    compared: Cell<usize>,
    values: Cell<usize>,
}

impl Tally {
    fn check(&self, text: &str, b: &Bindings) -> Result<(), String> {
        let value = agree(text, b)?;
        self.compared.set(self.compared.get() + 1);
        self.values.set(self.values.get() + usize::from(value));
        Ok(())
    }

    fn report(&self, what: &str, start: Instant) {
        eprintln!(
            "{what}: {} texts compared, {} with a value and the rest refused by both ({:?})",
            self.compared.get(),
            self.values.get(),
            start.elapsed()
        );
    }
}

/// The names the generators use, bound to small integers (0 included, for division by zero) and
/// `c` to a condition; the grid index is absent or has up to 3 entries from 1 to 4.
fn bindings() -> impl Strategy<Value = Bindings> {
    (
        prop::collection::vec(-2i64..=6, 6),
        any::<bool>(),
        prop::option::of(prop::collection::vec(1usize..=4, 0..=3)),
    )
        .prop_map(|(values, c, index)| {
            let mut names: Vec<(String, Value)> = ["n", "r", "d", "q", "k", "m"]
                .iter()
                .zip(values)
                .map(|(n, v)| (n.to_string(), int(v)))
                .collect();
            names.push(("c".into(), Value::Bool(c)));
            Bindings { names, index }
        })
}

/// Pieces of the language and near misses. No literal is large and no exponent or range can
/// reach the work budget, so that every disagreement would be one of meaning, not of where a
/// limit falls (those are compared at their edges below).
const TOKENS: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "7",
    "12",
    "4096",
    "4097",
    "n",
    "r",
    "d",
    "q",
    "k",
    "m",
    "c",
    "j",
    "zz",
    "true",
    "false",
    "if",
    "else",
    "in",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    "..",
    ":",
    "+",
    "-",
    "*",
    "/",
    "%",
    "^",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "&&",
    "||",
    "!",
    "min",
    "max",
    "abs",
    "floor",
    "ceil",
    "idx",
    "all",
    "any",
    "sum",
    "prod",
    "min(",
    "idx(",
    "sum(j in 1..3 :",
    "=",
    "&",
    "|",
    ".",
    "1.5",
    " ",
    "≤",
];

/// Token soup: up to 40 tokens, glued or space-separated.
fn token_soup() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(TOKENS), 0..40),
        any::<bool>(),
    )
        .prop_map(|(tokens, glued)| tokens.join(if glued { "" } else { " " }))
}

const BINARY: &[&str] = &["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||"];
const FUNCTIONS: &[&str] = &["min", "max", "abs", "floor", "ceil", "idx"];
const AGGREGATES: &[&str] = &["all", "any", "sum", "prod"];

/// A random well-formed (by shape; often ill-typed) expression. Operands are joined without
/// brackets as often as with them, so that precedence decides the value. Aggregate ranges are
/// short (bounds from -1 to 3, or a name up to 6) so that nested ones stay far below the work
/// budget; exponents are either small literals or random subexpressions, whose size limits both
/// evaluators apply exactly.
fn tree() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        (0u32..=12).prop_map(|v| v.to_string()),
        prop::sample::select(&["n", "r", "d", "q", "k", "m", "c", "j", "t", "zz", "true", "false"][..])
            .prop_map(String::from),
        (0u32..=4).prop_map(|t| format!("idx({t})")),
    ];
    leaf.prop_recursive(6, 96, 4, |x| {
        let bound = prop_oneof![
            (-1i32..=3).prop_map(|v| v.to_string()),
            prop::sample::select(&["n", "k", "m"][..]).prop_map(String::from)
        ];
        prop_oneof![
            (x.clone(), prop::sample::select(BINARY), x.clone()).prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            (x.clone(), prop::sample::select(BINARY), x.clone()).prop_map(|(a, op, b)| format!("({a}) {op} ({b})")),
            (prop::sample::select(&["-", "!", "- ", "!!"][..]), x.clone()).prop_map(|(op, a)| format!("{op}{a}")),
            (x.clone(), -3i32..=3).prop_map(|(a, e)| format!("{a}^{e}")),
            (x.clone(), x.clone()).prop_map(|(a, e)| format!("{a}^{e}")),
            x.clone().prop_map(|a| format!("[{a}]")),
            x.clone().prop_map(|a| format!("({a})")),
            (x.clone(), x.clone(), x.clone()).prop_map(|(c, a, b)| format!("if {c} {{ {a} }} else {{ {b} }}")),
            (x.clone(), x.clone(), x.clone(), x.clone(), x.clone())
                .prop_map(|(c, a, c2, b, z)| format!("if {c} {{ {a} }} else if {c2} {{ {b} }} else {{ {z} }}")),
            (prop::sample::select(FUNCTIONS), prop::collection::vec(x.clone(), 1..=3))
                .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
            (
                prop::sample::select(AGGREGATES),
                prop::sample::select(&["j", "t", "n"][..]),
                bound.clone(),
                bound,
                x.clone()
            )
                .prop_map(|(op, var, lo, hi, body)| format!("{op}({var} in {lo}..{hi} : {body})")),
        ]
    })
}

/// A random well-typed expression: a number (`.0`) and a condition (`.1`) at each level, built from
/// the numbers and conditions of the level below, so that most of them have a value (the rest
/// divide by zero, take `%` of a fraction, raise 0 to a negative power or read `idx` past the
/// index). `j` is bound by the caller too, so that an aggregate's `j` shadows it.
fn typed_tree() -> impl Strategy<Value = (String, String)> {
    let number = prop_oneof![
        (0u32..=12).prop_map(|v| v.to_string()),
        prop::sample::select(&["n", "r", "d", "q", "k", "m", "j"][..]).prop_map(String::from),
        (1u32..=3).prop_map(|t| format!("idx({t})")),
    ];
    let condition = prop::sample::select(&["true", "false", "c"][..]).prop_map(String::from);
    (number, condition).prop_recursive(6, 128, 4, |x| {
        let bound = || {
            prop_oneof![
                (-1i32..=3).prop_map(|v| v.to_string()),
                prop::sample::select(&["n", "k", "j"][..]).prop_map(String::from)
            ]
        };
        let n = || x.clone().prop_map(|(n, _)| n);
        let c = || x.clone().prop_map(|(_, c)| c);
        let number = prop_oneof![
            (n(), prop::sample::select(&["+", "-", "*", "/", "%"][..]), n())
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            (n(), prop::sample::select(&["+", "-", "*", "/", "%"][..]), n())
                .prop_map(|(a, op, b)| format!("({a}) {op} ({b})")),
            n().prop_map(|a| format!("-{a}")),
            (n(), -3i32..=3).prop_map(|(a, e)| format!("{a}^{e}")),
            (n(), n()).prop_map(|(a, e)| format!("({a})^floor({e})")),
            c().prop_map(|p| format!("[{p}]")),
            (c(), n(), n()).prop_map(|(p, a, b)| format!("if {p} {{ {a} }} else {{ {b} }}")),
            (c(), n(), c(), n(), n())
                .prop_map(|(p, a, p2, b, z)| format!("if {p} {{ {a} }} else if {p2} {{ {b} }} else {{ {z} }}")),
            (
                prop::sample::select(&["min", "max"][..]),
                prop::collection::vec(n(), 1..=3)
            )
                .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
            (prop::sample::select(&["abs", "floor", "ceil"][..]), n()).prop_map(|(f, a)| format!("{f}({a})")),
            (prop::sample::select(&["sum", "prod"][..]), bound(), bound(), n())
                .prop_map(|(op, lo, hi, body)| format!("{op}(j in {lo}..{hi} : {body})")),
        ];
        let condition = prop_oneof![
            (n(), prop::sample::select(&["==", "!=", "<", "<=", ">", ">="][..]), n())
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            (c(), prop::sample::select(&["&&", "||"][..]), c()).prop_map(|(p, op, q)| format!("{p} {op} {q}")),
            (c(), prop::sample::select(&["==", "!="][..]), c()).prop_map(|(p, op, q)| format!("({p}) {op} ({q})")),
            c().prop_map(|p| format!("!({p})")),
            c().prop_map(|p| format!("!{p}")),
            (c(), c(), c()).prop_map(|(p, a, b)| format!("if {p} {{ {a} }} else {{ {b} }}")),
            (prop::sample::select(&["all", "any"][..]), bound(), bound(), c())
                .prop_map(|(op, lo, hi, body)| format!("{op}(j in {lo}..{hi} : {body})")),
        ];
        (number, condition)
    })
}

/// Runs `check` on `cases` inputs from `strategy`, with a report of how many texts it compared.
fn run<S: Strategy>(what: &str, strategy: S, check: impl Fn(&Tally, S::Value) -> Result<(), String>)
where
    S::Value: std::fmt::Debug,
{
    let config = Config {
        cases: 2000,
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    };
    let tally = Tally::default();
    let start = Instant::now();
    let result = TestRunner::new(config).run(&strategy, |input| check(&tally, input).map_err(TestCaseError::fail));
    if let Err(e) = result {
        panic!("{what}: {e}");
    }
    tally.report(what, start);
}

#[test]
fn random_well_typed_expressions_evaluate_alike() {
    let with_j = (typed_tree(), bindings(), -2i64..=4).prop_map(|(texts, mut b, j)| {
        b.names.push(("j".into(), int(j)));
        (texts, b)
    });
    run(
        "random well-typed expressions",
        with_j,
        |tally, ((number, condition), b)| {
            tally.check(&number, &b)?;
            tally.check(&condition, &b)
        },
    );
}

#[test]
fn token_soup_is_refused_or_evaluated_alike() {
    run("token soup", (token_soup(), bindings()), |tally, (text, b)| {
        tally.check(&text, &b)
    });
}

#[test]
fn random_expressions_evaluate_alike() {
    run("random expressions", (tree(), bindings()), |tally, (text, b)| {
        tally.check(&text, &b)
    });
}

/// Every double-quoted string of the shipped case files (a rough reading of the TOML: the quoted
/// pieces of lines that are not comments; most of them are expressions, the others are refused by
/// both, or read as a name), each at three bindings of all its free names to small integers, with
/// a grid index of 6 entries, another one, and none.
#[test]
fn every_string_of_the_case_files_evaluates_alike() {
    let start = Instant::now();
    let mut texts = Vec::new();
    for entry in std::fs::read_dir("cases").expect("cases/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let file = std::fs::read_to_string(&path).expect("a case file is readable");
            for line in file.lines().filter(|l| !l.trim_start().starts_with('#')) {
                texts.extend(line.split('"').skip(1).step_by(2).map(String::from));
            }
        }
    }
    texts.sort();
    texts.dedup();
    let indices = [Some(vec![1, 2, 2, 1, 3, 3]), Some(vec![2, 2, 1, 1, 2, 2]), None];
    let tally = Tally::default();
    for text in &texts {
        let free = Expr::parse(text).map(|e| e.free_names()).unwrap_or_default();
        for (s, index) in indices.iter().enumerate() {
            let names = free
                .iter()
                .enumerate()
                .map(|(i, n)| (n.clone(), int(1 + ((i + s) % 4) as i64)));
            let b = Bindings {
                names: names.collect(),
                index: index.clone(),
            };
            if let Err(e) = tally.check(text, &b) {
                panic!("{e}");
            }
        }
    }
    assert!(texts.len() > 100, "only {} strings in cases/", texts.len());
    tally.report(&format!("the case files' {} strings", texts.len()), start);
}

/// n = 3 and the grid index (1, 2).
fn small() -> Bindings {
    Bindings {
        names: vec![("n".into(), int(3))],
        index: Some(vec![1, 2]),
    }
}

/// Both evaluators on each text, which must agree.
fn all_agree(texts: &[String], tally: &Tally) {
    for text in texts {
        if let Err(e) = tally.check(text, &small()) {
            panic!("{e}");
        }
    }
}

#[test]
fn limits_fall_in_the_same_place() {
    assert_eq!(kernel::MAX_SOURCE_LEN, checker::MAX_SOURCE_LEN);
    assert_eq!(kernel::MAX_DEPTH, checker::MAX_DEPTH);
    assert_eq!(kernel::MAX_LITERAL_DIGITS, checker::MAX_LITERAL_DIGITS);
    assert_eq!(kernel::MAX_RANGE, checker::MAX_RANGE);
    let start = Instant::now();
    let tally = Tally::default();
    let mut texts = Vec::new();
    for (open, close) in [
        ("(", ")"),
        ("[", "]"),
        ("-", ""),
        ("!", ""),
        ("abs(", ")"),
        ("min(1, ", ")"),
        ("1^", ""),
    ] {
        for depth in [63, 64, 65] {
            texts.push(format!("{}1{}", open.repeat(depth), close.repeat(depth)));
            texts.push(format!("{}true{}", open.repeat(depth), close.repeat(depth)));
        }
    }
    for depth in [63, 64, 65] {
        texts.push(format!(
            "{}1{}",
            "if true { ".repeat(depth),
            " } else { 0 }".repeat(depth)
        ));
        texts.push(format!("{}1{}", "sum(j in 1..1 : ".repeat(depth), ")".repeat(depth)));
    }
    for digits in [59, 60, 61] {
        texts.push("9".repeat(digits));
    }
    for len in [
        kernel::MAX_SOURCE_LEN - 1,
        kernel::MAX_SOURCE_LEN,
        kernel::MAX_SOURCE_LEN + 1,
    ] {
        texts.push(format!("{:>len$}", 1));
    }
    for hi in [
        "9999999",
        "10000000",
        "10000001",
        "9223372036854775807",
        "9223372036854775808",
    ] {
        texts.push(format!("all(j in 1..{hi} : false)"));
        texts.push(format!("any(j in 2..{hi} : j > 1)"));
    }
    for power in [
        "(2^4096)^244",
        "(2^4096)^245",
        "(3^4096)^154",
        "(3^4096)^155",
        "(2/3)^4096",
        "2^-4096",
    ] {
        texts.push(format!("{power} > 0"));
    }
    all_agree(&texts, &tally);
    // Near the end of the work budget: a body of 1009 tokens, cheap to evaluate, charged each
    // iteration (64 + 32 * 1009 units, and 1 for the addition).
    let body = format!("if true {{ 0 }} else {{ {}0 }}", "0+".repeat(500));
    let (mut evaluated, mut refused) = (0, 0);
    for n in 8290..8305 {
        let text = format!("sum(j in 1..{n} : {body})");
        match agree(&text, &small()) {
            Ok(true) => evaluated += 1,
            Ok(false) => refused += 1,
            Err(e) => panic!("{e}"),
        }
        tally.compared.set(tally.compared.get() + 1);
    }
    assert!(
        evaluated > 0 && refused > 0,
        "the budget's edge is not between 8290 and 8305 iterations"
    );
    tally.report("texts at the limits", start);
}

/// The costliest expressions of tests/hostile_input.rs: huge powers, long Euclid runs on huge
/// coprime fractions, huge remainders, floors and comparisons, each stopped by a limit or the work
/// budget; both evaluators must stop at the same place.
#[test]
fn the_costliest_expressions_end_alike() {
    let costly = [
        "(2^4096)^244",
        "((2^4096)^120 + 1) / ((3^4096)^75 + 1)",
        "((2^4096)^120 + 1) / ((3^4096)^75 + 1) < ((5^4096)^50 + 1) / ((7^4096)^40 + 1)",
        "1/3^4096 + 1/5^4096 + 1/7^4096 + 1/11^4096 + 1/13^4096 + 1/17^4096 + 1/19^4096 + 1/23^4096",
        "1/22279^2222 + 1/22280^2222 + 1/22281^2222",
        "((3^4096)^50 * (3^4096)^50) / ((5^4096)^35 * (5^4096)^35)",
        "((2^4096)^120 + 1) % ((3^4096)^40 + 1)",
        "floor(((2^4096)^120 + 1) / ((3^4096)^40 + 2))",
        "min((2^4096)^120 / 3, (2^4096)^120 / 5, (2^4096)^120 / 7, (2^4096)^120 / 11)",
        "2/22280^--2222-- (- 3/2)^-32/22280^---2222-- (- 3/2)^-3 * 8 * 022^--281  /22279^--2222-- (- 3/2)",
        "9^9^9^9",
    ];
    let start = Instant::now();
    let tally = Tally::default();
    for text in costly {
        let clock = Instant::now();
        let checked = by_checker(text, &small());
        let by_checker_took = clock.elapsed();
        let clock = Instant::now();
        let kernel = by_kernel(text, &small());
        let by_kernel_took = clock.elapsed();
        eprintln!("{text}: the checker {by_checker_took:?}, the kernel {by_kernel_took:?}");
        match (checked, kernel) {
            (Ok(x), Ok(y)) => {
                assert!(x == y, "{text}: the checker and the kernel give different values");
                tally.values.set(tally.values.get() + 1);
            }
            (Err(_), Err(_)) => {}
            (x, y) => panic!("{text}: the checker gives {x:?}, the kernel {y:?}"),
        }
        tally.compared.set(tally.compared.get() + 1);
    }
    tally.report("the costliest expressions", start);
}
