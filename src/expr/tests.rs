//! Tests for the expression language: semantics (precedence, associativity, laziness,
//! aggregates, grid index access), every error kind with its message and span, the
//! hostile-input limits, and property tests (no panics on arbitrary text; random well-formed
//! expressions match a reference evaluator).

use super::*;
use num_bigint::BigInt;
use proptest::prelude::*;

/// The start of `src`, for readable failure messages.
fn short(src: &str) -> String {
    src.chars().take(80).collect()
}

fn scope(binds: &[(&str, i64)]) -> Scope {
    let mut s = Scope::new();
    for (n, v) in binds {
        s.set_int(n, *v);
    }
    s
}

fn q(n: i64, d: i64) -> Q {
    Q::new(n.into(), d.into())
}

fn eval_with(src: &str, binds: &[(&str, i64)]) -> Value {
    Expr::parse(src)
        .unwrap_or_else(|e| panic!("parse {:?}: {e}", short(src)))
        .eval(&scope(binds))
        .unwrap_or_else(|e| panic!("eval {:?}: {e}", short(src)))
}

fn num_with(src: &str, binds: &[(&str, i64)]) -> Q {
    match eval_with(src, binds) {
        Value::Num(x) => x,
        Value::Bool(b) => panic!("{src:?} gave the condition {b}"),
    }
}

fn num(src: &str) -> Q {
    num_with(src, &[])
}

fn int(src: &str) -> i64 {
    Expr::parse(src)
        .and_then(|e| e.eval_integer(&Scope::new()))
        .unwrap_or_else(|e| panic!("{:?}: {e}", short(src)))
}

fn truth(src: &str) -> bool {
    Expr::parse(src)
        .and_then(|e| e.eval_bool(&Scope::new()))
        .unwrap_or_else(|e| panic!("{:?}: {e}", short(src)))
}

/// The error of parsing, then evaluating, `src`; with the text its span covers.
fn error_with(src: &str, binds: &[(&str, i64)]) -> (String, String) {
    error_in(src, &scope(binds))
}

/// Like `error_with`, under the scope `s`.
fn error_in(src: &str, s: &Scope) -> (String, String) {
    let e = match Expr::parse(src) {
        Err(e) => e,
        Ok(x) => match x.eval(s) {
            Err(e) => e,
            Ok(v) => panic!("{src:?} unexpectedly gave {v:?}"),
        },
    };
    let text = src
        .get(e.span.start..e.span.end)
        .unwrap_or_else(|| panic!("bad span {e:?}"));
    (e.message, text.to_string())
}

fn error(src: &str) -> (String, String) {
    error_with(src, &[])
}

fn assert_error(src: &str, binds: &[(&str, i64)], message: &str, span_text: &str) {
    let (m, t) = error_with(src, binds);
    assert_eq!(m, message, "message for {src:?}");
    assert_eq!(t, span_text, "span for {src:?}");
}

// ---------- semantics ----------

#[test]
fn precedence() {
    assert_eq!(int("1 + 2 * 3"), 7);
    assert_eq!(int("(1 + 2) * 3"), 9);
    assert_eq!(int("2 * 3^2"), 18);
    assert_eq!(int("-2^2"), -4);
    assert_eq!(num("2^-1"), q(1, 2));
    assert_eq!(num("-2^-2"), q(-1, 4));
    assert_eq!(int("1 - -1"), 2);
    assert_eq!(int("2 + 3 % 2"), 3);
    assert!(truth("1 + 2 == 3 && 2 < 3"));
    assert!(truth("!(1 == 2) || false"));
    assert!(truth("!true == false"));
    assert!(truth("false && true || true"));
    assert!(!truth("false && (true || true)"));
    assert_eq!(int("1 + if true { 1 } else { 2 } * 3"), 4);
}

#[test]
fn associativity() {
    assert_eq!(int("2^3^2"), 512);
    assert_eq!(int("10-3-2"), 5);
    assert_eq!(int("100 / 10 / 5"), 2);
    assert_eq!(int("2 * 3 % 4"), 2);
    assert_eq!(int("7 % 3"), 1);
    assert_eq!(int("-7 % 3"), 2);
    assert_eq!(int("7 % -3"), 1);
    assert_eq!(int("-7 % -3"), 2);
    assert_eq!(int("12 % 4"), 0);
}

#[test]
fn iverson_brackets() {
    assert_eq!(int("[1 < 2] + [2 < 1]"), 1);
    assert_eq!(num_with("[i == b]", &[("i", 3), ("b", 3)]), q(1, 1));
    assert_eq!(num_with("[i == b]", &[("i", 3), ("b", 4)]), q(0, 1));
    assert_eq!(int("[true] * 5 + [false]"), 5);
}

#[test]
fn if_chains() {
    let src = "if x < 0 { -1 } else if x == 0 { 0 } else if x < 10 { 1 } else { 2 }";
    for (x, want) in [(-5, -1), (0, 0), (3, 1), (10, 2)] {
        assert_eq!(num_with(src, &[("x", x)]), q(want, 1), "x = {x}");
    }
    assert_eq!(
        num_with("if k % 2 == 1 { r } else { 1 }", &[("k", 3), ("r", 7)]),
        q(7, 1)
    );
    assert_eq!(
        num_with("if k % 2 == 1 { r } else { 1 }", &[("k", 4), ("r", 7)]),
        q(1, 1)
    );
}

#[test]
fn short_circuit_and_laziness() {
    assert!(!truth("false && 1/0 == 1"));
    assert!(truth("true || 1/0 == 1"));
    assert_eq!(int("if true { 1 } else { 1/0 }"), 1);
    assert_eq!(int("if 1 == 2 { 1/0 } else if true { 2 } else { nope }"), 2);
    // Unbound names in untaken branches are fine too.
    assert_eq!(num_with("if x == 1 { y } else { 3 }", &[("x", 2)]), q(3, 1));
}

#[test]
fn functions() {
    assert_eq!(int("min(3, 1, 2)"), 1);
    assert_eq!(int("max(3, 1, 2)"), 3);
    assert_eq!(int("max(5)"), 5);
    assert_eq!(num("max(1/2, 1/3)"), q(1, 2));
    assert_eq!(num("min(-1/2, -1/3)"), q(-1, 2));
    assert_eq!(num_with("min(n, r - 1)", &[("n", 5), ("r", 3)]), q(2, 1));
    assert_eq!(num("abs(-5/2)"), q(5, 2));
    assert_eq!(int("abs(4)"), 4);
    assert_eq!(int("floor(-7/2)"), -4);
    assert_eq!(int("ceil(-7/2)"), -3);
    assert_eq!(int("floor(7/2)"), 3);
    assert_eq!(int("ceil(7/2)"), 4);
    assert_eq!(int("floor(3) + ceil(3)"), 6);
}

#[test]
fn fractions_and_powers() {
    assert_eq!(num("1/2 + 1/3"), q(5, 6));
    assert_eq!(num("1/2 - 1/2"), q(0, 1));
    assert_eq!(num("2/3 * 3/4"), q(1, 2));
    assert_eq!(num("(2/3) / (4/9)"), q(3, 2));
    assert_eq!(num("1/3 + 1/6"), q(1, 2));
    assert_eq!(num_with("q^(d/2)", &[("q", 2), ("d", 6)]), q(8, 1));
    assert_eq!(num("(2/3)^-2"), q(9, 4));
    assert_eq!(num("(-2/3)^-3"), q(-27, 8));
    assert_eq!(int("0^0"), 1);
    assert_eq!(int("(-1)^4095 + (-1)^-4096"), 0);
    assert!(truth(
        "1/3 < 1/2 && 2/4 == 1/2 && -1/2 < -1/3 && 3/2 >= 3/2 && 5/3 > 3/2"
    ));
    assert!(truth("2^4096 > 2^4095"));
}

#[test]
fn spec_examples() {
    let inner = "if a <= q { [a == i] * [b == q + 1] } else if a == q + 1 { [i == b] } else { 0 }";
    let e = Expr::parse(inner).expect("parses");
    let run = |a, i, b| e.eval_integer(&scope(&[("q", 2), ("a", a), ("i", i), ("b", b)]));
    assert_eq!(run(1, 1, 3), Ok(1));
    assert_eq!(run(1, 2, 3), Ok(0));
    assert_eq!(run(3, 2, 2), Ok(1));
    assert_eq!(run(3, 2, 1), Ok(0));
    assert_eq!(run(4, 1, 1), Ok(0));
    assert_eq!(e.free_names(), ["a", "b", "i", "q"]);

    let cond = Expr::parse("n >= r && !(d == 2)").expect("parses");
    assert_eq!(cond.eval_bool(&scope(&[("n", 3), ("r", 2), ("d", 3)])), Ok(true));
    assert_eq!(cond.eval_bool(&scope(&[("n", 3), ("r", 2), ("d", 2)])), Ok(false));
    assert_eq!(cond.eval_bool(&scope(&[("n", 1), ("r", 2), ("d", 3)])), Ok(false));
}

#[test]
fn free_names_and_display() {
    let e = Expr::parse("min(n, r - 1) + max(n, abs(x)) * floor(y / n)").expect("parses");
    assert_eq!(e.free_names(), ["n", "r", "x", "y"]);
    assert!(Expr::parse("true && [1 < 2] == 1")
        .expect("parses")
        .free_names()
        .is_empty());
    let src = "  q^(d/2)  ";
    let e = Expr::parse(src).expect("parses");
    assert_eq!(e.source(), src);
    assert_eq!(e.to_string(), src);
}

#[test]
fn scope_and_typed_eval() {
    let mut s = Scope::new();
    s.set_int("a", 3);
    s.set_int("a", 4);
    s.set("t", Value::Bool(true));
    assert_eq!(s.get("a"), Some(&Value::Num(q(4, 1))));
    assert_eq!(s.get("b"), None);
    let e = Expr::parse("if t { a / 8 } else { 0 }").expect("parses");
    assert_eq!(e.eval(&s), Ok(Value::Num(q(1, 2))));
    assert_eq!(e.eval_number(&s), Ok(q(1, 2)));
    assert_eq!(
        Expr::parse("t || false").and_then(|e| e.eval(&s)),
        Ok(Value::Bool(true))
    );
    assert_eq!(Expr::parse("t == (a > 1)").and_then(|e| e.eval_bool(&s)), Ok(true));
    assert_eq!(Expr::parse("t != true").and_then(|e| e.eval_bool(&s)), Ok(false));
    assert_eq!(int("-9223372036854775808"), i64::MIN);
}

#[test]
fn long_flat_chains() {
    let sum = vec!["1"; 4000].join("+");
    assert_eq!(int(&sum), 4000);
    let prod = vec!["1"; 3000].join("*");
    assert_eq!(int(&prod), 1);
    let diff = vec!["1"; 3000].join("-");
    assert_eq!(int(&diff), 1 - 2999);
    let and = vec!["true"; 1600].join("&&");
    assert!(truth(&and));
    let or = vec!["false"; 1400].join("||");
    assert!(!truth(&or));
    let mut chain = String::new();
    for i in 0..300 {
        chain.push_str(&format!("if x == {i} {{ {i} }} else "));
    }
    chain.push_str("{ -1 }");
    assert_eq!(num_with(&chain, &[("x", 299)]), q(299, 1));
    assert_eq!(num_with(&chain, &[("x", 300)]), q(-1, 1));
}

#[test]
fn depth_limit_boundary() {
    let ok = format!("{}1{}", "(".repeat(64), ")".repeat(64));
    assert_eq!(int(&ok), 1);
    assert_eq!(int(&format!("{}5", "-".repeat(64))), 5);
    assert!(truth(&format!("{}true", "!".repeat(64))));
    assert_eq!(int(&format!("{}1", "1^".repeat(64))), 1);
    let brackets = format!("{}true]{}", "[".repeat(32), " == 1]".repeat(31));
    assert_eq!(int(&brackets), 1);
}

#[test]
fn deepest_nesting_fits_a_small_stack() {
    let parens = format!("{}1{}", "(".repeat(64), ")".repeat(64));
    let negs = format!("{}1", "-".repeat(64));
    let mixed = format!(
        "{}0{}",
        "[false || true && 1 + 1 * -(".repeat(21),
        ") == -2]".repeat(21)
    );
    let sums = format!("{}j{}", "sum(j in 1..1 : ".repeat(64), ")".repeat(64));
    // The deepest legal inputs need about 400KB of stack unoptimized, 200KB at opt-level 1.
    let worker = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || (int(&parens), int(&negs), int(&mixed), int(&sums)));
    let results = worker.expect("spawn").join().expect("no stack overflow");
    assert_eq!(results, (1, 1, 0, 1));
}

#[test]
fn large_but_legal_numbers() {
    let e = Expr::parse("(2^4000)^249").expect("parses");
    match e.eval(&Scope::new()) {
        Ok(Value::Num(x)) => assert_eq!(x.numer().bits(), 4000 * 249 + 1),
        other => panic!("{other:?}"),
    }
    assert_eq!(int("2^4096 / 2^4095"), 2);
    assert_eq!(int(&format!("{} - {}", "9".repeat(60), "9".repeat(60))), 0);
}

// ---------- errors ----------

#[test]
fn unknown_names() {
    assert_error("qq + 1", &[("q", 2)], "unknown name 'qq' (did you mean 'q'?)", "qq");
    assert_error("1 + zz", &[("q", 2)], "unknown name 'zz'", "zz");
    assert_error("x", &[("q", 2)], "unknown name 'x'", "x");
    assert_error(
        "rank + 1",
        &[("rnk", 2), ("rankk2", 1)],
        "unknown name 'rank' (did you mean 'rnk'?)",
        "rank",
    );
}

#[test]
fn arithmetic_errors() {
    assert_error(
        "x / (r - r)",
        &[("x", 1), ("r", 3)],
        "division by zero: 'r - r' is 0",
        "x / (r - r)",
    );
    assert_error("1 + 2 / 0 * 3", &[], "division by zero: '0' is 0", "2 / 0");
    assert_error("7 % 0", &[], "remainder by zero: '0' is 0", "7 % 0");
    assert_error(
        "(a/2) % 3",
        &[("a", 5)],
        "the remainder '%' needs integers, but 'a/2' is 5/2",
        "(a/2)",
    );
    assert_error(
        "3 % (1/2)",
        &[],
        "the remainder '%' needs integers, but '1/2' is 1/2",
        "(1/2)",
    );
    assert_error(
        "q^(d/2)",
        &[("q", 2), ("d", 3)],
        "the exponent must be an integer, but 'd/2' is 3/2",
        "(d/2)",
    );
    assert_error(
        "0^-1",
        &[],
        "zero cannot be raised to a negative power: '0' is 0",
        "0^-1",
    );
}

#[test]
fn type_errors() {
    assert_error(
        "1 + (a == b)",
        &[("a", 1), ("b", 1)],
        "'+' needs a number, but 'a == b' is a condition",
        "(a == b)",
    );
    assert_error(
        "-true",
        &[],
        "negation '-' needs a number, but 'true' is a condition",
        "true",
    );
    assert_error(
        "[a + 1]",
        &[("a", 1)],
        "the bracket '[ ]' needs a condition, but 'a + 1' is the number 2",
        "a + 1",
    );
    assert_error(
        "if 3 { 1 } else { 2 }",
        &[],
        "'if' needs a condition, but '3' is the number 3",
        "3",
    );
    assert_error("!2", &[], "'!' needs a condition, but '2' is the number 2", "2");
    assert_error("1 && true", &[], "'&&' needs a condition, but '1' is the number 1", "1");
    assert_error(
        "(1 < 2) == 1",
        &[],
        "'==' cannot compare a condition with a number, but '1 < 2' is a condition and '1' is a number",
        "(1 < 2) == 1",
    );
    assert_error(
        "true < false",
        &[],
        "'<' compares numbers, but 'true' is a condition",
        "true",
    );
    assert_error(
        "min(1, 1 == 1)",
        &[],
        "'min' needs a number, but '1 == 1' is a condition",
        "1 == 1",
    );
    assert_error("2 ^ true", &[], "'^' needs a number, but 'true' is a condition", "true");

    let s = Scope::new();
    let whole = |src: &str| Span {
        start: 0,
        end: src.len(),
    };
    let e = Expr::parse("1 == 1").expect("parses");
    assert_eq!(
        e.eval_number(&s),
        Err(ExprError {
            span: whole("1 == 1"),
            message: "expected a number, found a condition".into()
        })
    );
    let e = Expr::parse("5/2").expect("parses");
    assert_eq!(
        e.eval_integer(&s),
        Err(ExprError {
            span: whole("5/2"),
            message: "expected an integer, found 5/2".into()
        })
    );
    let e = Expr::parse("2^64").expect("parses");
    assert_eq!(
        e.eval_integer(&s).map_err(|e| e.message),
        Err("expected an integer that fits in 64 bits, found 18446744073709551616".into())
    );
    let e = Expr::parse("3").expect("parses");
    assert_eq!(
        e.eval_bool(&s),
        Err(ExprError {
            span: whole("3"),
            message: "expected a condition, found the number 3".into()
        })
    );
    let e = Expr::parse("2^4096/3").expect("parses");
    assert_eq!(
        e.eval_integer(&s).map_err(|e| e.message),
        Err(
            "expected an integer, found a fraction whose numerator and denominator have about 1234 and 1 digits".into()
        )
    );
}

#[test]
fn parse_errors() {
    let end = |src: &str| (src.len(), src.len());
    let check_end = |src: &str, message: &str| {
        let e = Expr::parse(src).expect_err(src);
        assert_eq!(e.message, message, "{src:?}");
        assert_eq!((e.span.start, e.span.end), end(src), "{src:?}");
    };
    check_end(
        "if a == 1 { 2 }",
        "expected 'else' (every 'if' needs an 'else' branch), found end of expression",
    );
    check_end(
        "if a == 1 { 2",
        "expected '}' to close the 'if' branch, found end of expression",
    );
    check_end(
        "if a == 1 { 2 } else { 3",
        "expected '}' to close the 'else' branch, found end of expression",
    );
    check_end("(1 + 2", "expected ')' to close '(', found end of expression");
    check_end("[a == 1", "expected ']' to close '[', found end of expression");
    check_end(
        "min(1, 2",
        "expected ',' or ')' in the arguments of 'min', found end of expression",
    );
    check_end("", "expected an expression, found end of expression");
    check_end("1 +", "expected an expression, found end of expression");
    assert_error(
        "1 + 2)",
        &[],
        "expected an operator or end of expression, found ')'",
        ")",
    );
    assert_error(
        "if a == 1 2 } else { 3 }",
        &[],
        "expected '{' after the 'if' condition, found the number 2",
        "2",
    );
    assert_error(
        "if true { 1 } else 2",
        &[],
        "expected '{' or 'if' after 'else', found the number 2",
        "2",
    );
    assert_error("1 + * 2", &[], "expected an expression, found '*'", "*");
    assert_error("(1 2)", &[], "expected ')' to close '(', found the number 2", "2");
    assert_error(
        "x y",
        &[],
        "expected an operator or end of expression, found the name 'y'",
        "y",
    );
    assert_error("else", &[], "expected an expression, found the keyword 'else'", "else");
    assert_error(
        "a < b < c",
        &[],
        "comparisons cannot be chained; combine them with '&&', as in 'a < b && b < c'",
        "<",
    );
    assert_eq!(error("a == b != c").1, "!=");
    assert_error(
        "mn(1, 2)",
        &[],
        "unknown function 'mn' (did you mean 'min'?); the functions are min, max, abs, floor, ceil, idx, log2, iroot, all, any, sum, prod (use '*' to multiply)",
        "mn",
    );
    assert_error(
        "n(r - 1)",
        &[],
        "unknown function 'n'; the functions are min, max, abs, floor, ceil, idx, log2, iroot, all, any, sum, prod (use '*' to multiply)",
        "n",
    );
    assert_error(
        "min + 1",
        &[],
        "'min' is a function; call it with arguments, as in min(x)",
        "min",
    );
    assert_error(
        "abs(1, 2)",
        &[],
        "'abs' takes exactly one argument, found 2",
        "abs(1, 2)",
    );
    assert_error("max()", &[], "'max' needs at least one argument", "max()");
}

#[test]
fn lexical_errors() {
    assert_error("a = b", &[], "unexpected character '='; did you mean '=='?", "=");
    assert_error("a & b", &[], "unexpected character '&'; did you mean '&&'?", "&");
    assert_error("a | b", &[], "unexpected character '|'; did you mean '||'?", "|");
    assert_error("a ≤ b", &[], "unexpected character '≤'; did you mean '<='?", "≤");
    assert_error("a @ b", &[], "unexpected character '@'", "@");
    assert_error(
        "1.5 + 1",
        &[],
        "decimal numbers are not supported; write a fraction such as 3/2",
        "1.5",
    );
    let long = "1".repeat(61);
    assert_error(&long, &[], "number literal too long (more than 60 digits)", &long);
    assert_eq!(
        num(&"1".repeat(60)),
        Q::from_integer("1".repeat(60).parse::<BigInt>().expect("digits"))
    );
}

#[test]
fn limit_errors() {
    let deep = format!("{}1{}", "(".repeat(65), ")".repeat(65));
    assert_error(&deep, &[], "expression nested too deeply (more than 64 levels)", "(");
    let (m, t) = error(&format!("{}1", "-".repeat(65)));
    assert_eq!(
        (m.as_str(), t.as_str()),
        ("expression nested too deeply (more than 64 levels)", "-")
    );
    let (m, t) = error(&format!("{}2", "2^".repeat(65)));
    assert_eq!(
        (m.as_str(), t.as_str()),
        ("expression nested too deeply (more than 64 levels)", "^")
    );
    let (m, _) = error(&format!("{}1{}", "min(".repeat(65), ")".repeat(65)));
    assert_eq!(m, "expression nested too deeply (more than 64 levels)");
    let (m, _) = error(&format!("{}true{}", "if ".repeat(65), " { 1 } else { 2 }".repeat(65)));
    assert_eq!(m, "expression nested too deeply (more than 64 levels)");
    // Pathological nesting far beyond the limit fails fast, without overflowing the stack.
    let (m, _) = error(&"(".repeat(9000));
    assert_eq!(m, "expression nested too deeply (more than 64 levels)");

    let long = vec!["1"; 5001].join("+");
    let e = Expr::parse(&long).expect_err("too long");
    assert_eq!(
        e.message,
        format!("expression too long ({} bytes; the limit is 10000)", long.len())
    );
    assert_eq!((e.span.start, e.span.end), (0, long.len()));
}

#[test]
fn size_errors() {
    assert_error(
        "2^4097",
        &[],
        "power too large: the exponent 4097 is larger than 4096 in absolute value",
        "2^4097",
    );
    assert_error(
        "1 + (2^4000)^4000",
        &[],
        "power too large: '(2^4000)^4000' would have about 16008000 bits (the limit is 1000000)",
        "(2^4000)^4000",
    );
    assert_error(
        "(2^4000)^200 * (2^4000)^100",
        &[],
        "number too large: the result of '(2^4000)^200 * (2^4000)^100' would have more than 1000000 bits",
        "(2^4000)^200 * (2^4000)^100",
    );
    assert_error(
        "2^(2^100)",
        &[],
        "power too large: the exponent 1267650600228229401496703205376 is larger than 4096 in absolute value",
        "2^(2^100)",
    );
    // Long gcd computations on huge fractions run out of budget instead of hanging.
    let (m, t) = error("(3^4096)^60 / (2^4096)^95");
    assert_eq!(
        m,
        "computation too large: the numbers in '(3^4096)^60 / (2^4096)^95' are too big to work with"
    );
    assert_eq!(t, "(3^4096)^60 / (2^4096)^95");
}

// ---------- grid index and aggregates ----------

fn grid_scope(binds: &[(&str, i64)], index: &[usize]) -> Scope {
    let mut s = scope(binds);
    s.set_grid_index(index);
    s
}

fn num_in(src: &str, s: &Scope) -> Q {
    Expr::parse(src)
        .and_then(|e| e.eval_number(s))
        .unwrap_or_else(|e| panic!("{:?}: {e}", short(src)))
}

fn truth_with(src: &str, binds: &[(&str, i64)]) -> bool {
    Expr::parse(src)
        .and_then(|e| e.eval_bool(&scope(binds)))
        .unwrap_or_else(|e| panic!("{:?}: {e}", short(src)))
}

fn assert_error_in(src: &str, s: &Scope, message: &str, span_text: &str) {
    let (m, t) = error_in(src, s);
    assert_eq!(m, message, "message for {src:?}");
    assert_eq!(t, span_text, "span for {src:?}");
}

#[test]
fn grid_index_access() {
    let mut s = grid_scope(&[("T", 6), ("k", 2)], &[3, 1, 4, 1, 5, 9]);
    assert_eq!(num_in("idx(1)", &s), q(3, 1));
    assert_eq!(num_in("idx(6)", &s), q(9, 1));
    assert_eq!(num_in("idx(T)", &s), q(9, 1));
    assert_eq!(num_in("idx(2 * k) + idx(12/4)", &s), q(5, 1));
    assert_eq!(num_in("idx(idx(2))", &s), q(3, 1));
    // Replacing the index, with the same length and with another length.
    s.set_grid_index(&[5, 6, 7, 8, 9, 10]);
    assert_eq!(num_in("idx(1) * idx(6)", &s), q(50, 1));
    s.set_grid_index(&[2, 7]);
    assert_eq!(num_in("idx(2) - idx(1)", &s), q(5, 1));
    // Values are 1-based as given, and large ones are exact.
    s.set_grid_index(&[usize::MAX]);
    assert_eq!(num_in("idx(1)", &s), Q::from_integer(BigInt::from(usize::MAX)));
    // Cloning a scope keeps its grid index.
    let copy = s.clone();
    assert_eq!(num_in("idx(1) - idx(1)", &copy), q(0, 1));
    assert_eq!(Expr::parse("idx(t) + idx(1)").expect("parses").free_names(), ["t"]);
}

#[test]
fn aggregate_values() {
    assert_eq!(int("sum(j in 1..4 : j^2)"), 30);
    assert_eq!(int("prod(j in 1..5 : j)"), 120);
    assert_eq!(int("sum(j in -2..2 : j)"), 0);
    assert_eq!(int("sum(j in -3..-1 : j)"), -6);
    assert_eq!(int("sum(j in 1..1 : j)"), 1);
    assert_eq!(int("sum(i in 1..10 : [i % 3 == 0])"), 3);
    assert_eq!(num_with("sum(j in 1..n : 1/j)", &[("n", 4)]), q(25, 12));
    assert_eq!(num("prod(j in 1..3 : 1/2)"), q(1, 8));
    // Empty ranges: the identities.
    assert_eq!(int("sum(j in 3..2 : j)"), 0);
    assert_eq!(int("prod(j in 5..1 : 0)"), 1);
    assert!(truth("all(j in 1..0 : false)"));
    assert!(!truth("any(j in 1..0 : true)"));
    // The body is not evaluated at all on an empty range.
    assert_eq!(int("sum(j in 1..0 : 1/0)"), 0);
    assert!(truth("all(j in 1..10 : j >= 1)"));
    assert!(!truth("all(j in 1..10 : j < 10)"));
    assert!(truth("any(j in 1..10 : j == 7)"));
    assert!(!truth("any(j in 1..10 : j > 10)"));
    // Bounds are expressions, evaluated once, without the bound variable.
    assert_eq!(num_with("sum(j in n - 1..n + 1 : j)", &[("n", 5)]), q(15, 1));
    assert_eq!(num_with("sum(j in 1..T/2 : 1)", &[("T", 6)]), q(3, 1));
    assert_eq!(num_with("sum(j in 1..j : j)", &[("j", 4)]), q(10, 1));
    // Aggregates are operands like any other.
    assert_eq!(int("2 * sum(j in 1..3 : j) + 1"), 13);
    assert_eq!(int("-prod(j in 1..3 : j)^2"), -36);
    assert_eq!(int("[all(j in 1..3 : j > 0)] + [any(j in 1..3 : j > 3)]"), 1);
    assert_eq!(int("if any(j in 1..3 : j == 2) { sum(j in 1..3 : j) } else { 0 }"), 6);
    assert_eq!(int("max(sum(j in 1..3 : j), prod(j in 1..3 : j), 5)"), 6);
}

#[test]
fn aggregate_nesting_and_shadowing() {
    assert_eq!(int("sum(i in 1..3 : sum(j in 1..i : i * j))"), 25);
    assert_eq!(int("sum(i in 1..3 : prod(j in i..3 : j))"), 6 + 6 + 3);
    // The inner range refers to the outer j; the inner body to the inner j.
    assert_eq!(int("sum(j in 1..3 : sum(j in 1..j : j))"), 1 + 3 + 6);
    assert_eq!(int("sum(j in 1..3 : sum(k in 1..2 : j) + j)"), 18);
    // A bound variable shadows a scope binding of the same name only inside the body.
    let s = scope(&[("j", 100), ("k", 2)]);
    assert_eq!(num_in("j + sum(j in 1..3 : j * k) + j", &s), q(212, 1));
    assert_eq!(num_in("j", &s), q(100, 1));
    assert!(truth_with(
        "all(i in 1..d : any(j in i..d : i + j == d + 1 || j == i))",
        &[("d", 5)]
    ));
    // 64 levels of aggregates, every one binding j.
    let deep = format!("{}j{}", "sum(j in 1..1 : ".repeat(64), ")".repeat(64));
    assert_eq!(int(&deep), 1);
}

#[test]
fn aggregate_short_circuit() {
    // Short-circuiting happens between iterations: later ones are never evaluated.
    assert!(truth("any(j in 1..3 : j == 1 || 1/0 == 1)"));
    assert!(truth("any(j in 0..5 : 1/(3 - j) == 1/2)"));
    assert!(!truth("all(j in 1..5 : j < 2 || 1/(j - 3) > 5)"));
    assert!(!truth("all(j in 1..3 : j > 1 && nope)"));
    assert_error(
        "any(j in 0..5 : 1/(3 - j) == 7)",
        &[],
        "division by zero: '3 - j' is 0",
        "1/(3 - j)",
    );
}

#[test]
fn lemma6_grid_claim() {
    let src = "if all(j in 1..T/2 : idx(2*j-1) == idx(2*j) && idx(2*j) <= R) { 0 } else { 1 }";
    let e = Expr::parse(src).expect("parses");
    assert_eq!(e.free_names(), ["R", "T"]);
    let run = |index: &[usize]| e.eval_integer(&grid_scope(&[("T", 6), ("R", 2)], index));
    assert_eq!(run(&[1, 1, 2, 2, 1, 1]), Ok(0));
    assert_eq!(run(&[2, 2, 2, 2, 2, 2]), Ok(0));
    assert_eq!(run(&[1, 1, 2, 2, 3, 3]), Ok(1));
    assert_eq!(run(&[1, 2, 2, 2, 1, 1]), Ok(1));
    assert_eq!(run(&[1, 1, 2, 2, 1, 2]), Ok(1));
    let odd = grid_scope(&[("T", 5), ("R", 2)], &[1, 1, 2, 2, 1]);
    assert_error_in(src, &odd, "the range of 'all' needs integers, but 'T/2' is 5/2", "T/2");
}

#[test]
fn aggregate_free_names() {
    let names = |src: &str| Expr::parse(src).expect("parses").free_names();
    assert_eq!(names("sum(j in 1..n : j * k)"), ["k", "n"]);
    assert_eq!(names("sum(j in 1..j : j)"), ["j"]);
    assert_eq!(names("sum(j in j..3 : 1)"), ["j"]);
    assert_eq!(names("sum(j in 1..3 : j)"), Vec::<String>::new());
    assert_eq!(names("sum(j in 1..3 : j) + j"), ["j"]);
    assert_eq!(names("j + sum(j in 1..3 : j)"), ["j"]);
    assert_eq!(names("sum(j in 1..3 : sum(j in 1..j : j))"), Vec::<String>::new());
    assert_eq!(names("sum(j in 1..3 : sum(k in 1..j : j * k * m))"), ["m"]);
    assert_eq!(names("sum(i in 1..n : sum(j in i..n : j))"), ["n"]);
    assert_eq!(names("prod(j in a..b : sum(k in j..c : k)) + k"), ["a", "b", "c", "k"]);
    assert_eq!(names("sum(j in 1..3 : j) + sum(k in 1..j : k)"), ["j"]);
    assert_eq!(
        names("all(i in 1..d : any(j in i..d : idx(i) == idx(j) + s))"),
        ["d", "s"]
    );
}

#[test]
fn aggregate_syntax_errors() {
    assert_error(
        "sum(j : j)",
        &[],
        "expected 'in' after the bound variable 'j', as in j in 1..n, found ':'",
        ":",
    );
    assert_error(
        "sum(1..3 : 1)",
        &[],
        "expected the name of a bound variable after 'sum(', as in sum(j in 1..n : x), found the number 1",
        "1",
    );
    assert_error(
        "all(if in 1..3 : true)",
        &[],
        "expected the name of a bound variable after 'all(', as in all(j in 1..n : x), found the keyword 'if'",
        "if",
    );
    assert_error(
        "sum(j in 1, 3 : j)",
        &[],
        "expected '..' after the lower bound of the range, as in j in 1..n, found ','",
        ",",
    );
    assert_error(
        "sum(j in 1..3, j)",
        &[],
        "expected ':' after the range of 'sum', as in sum(j in 1..n : x), found ','",
        ",",
    );
    assert_error(
        "prod(j in 1..3 : j : 2)",
        &[],
        "expected ')' to close 'prod(', found ':'",
        ":",
    );
    let e = Expr::parse("sum(j in 1..3 : j").expect_err("unclosed");
    assert_eq!(e.message, "expected ')' to close 'sum(', found end of expression");
    assert_eq!((e.span.start, e.span.end), (17, 17));
    assert_error(
        "sum(min in 1..3 : 1)",
        &[],
        "'min' is a function, so it cannot be the bound variable of 'sum'",
        "min",
    );
    assert_error(
        "sum(idx in 1..3 : 1)",
        &[],
        "'idx' is a function, so it cannot be the bound variable of 'sum'",
        "idx",
    );
    assert_error(
        "sum + 1",
        &[],
        "'sum' is a function; call it with a range, as in sum(j in 1..n : x)",
        "sum",
    );
    assert_error(
        "any",
        &[],
        "'any' is a function; call it with a range, as in any(j in 1..n : x)",
        "any",
    );
    assert_error(
        "summ(j in 1..3 : j)",
        &[],
        "unknown function 'summ' (did you mean 'sum'?); the functions are min, max, abs, floor, ceil, idx, log2, iroot, all, any, sum, prod (use '*' to multiply)",
        "summ",
    );
    assert_error(
        "sum(j in 1..3 : j) in",
        &[],
        "expected an operator or end of expression, found the keyword 'in'",
        "in",
    );
    assert_error(
        "1..3",
        &[],
        "expected an operator or end of expression, found '..'",
        "..",
    );
    assert_error(
        "sum(j in 1...3 : j)",
        &[],
        "unexpected character '.'; did you mean '..'?",
        ".",
    );
    assert_error(
        "sum(j in 1…3 : j)",
        &[],
        "unexpected character '…'; did you mean '..'?",
        "…",
    );
    assert_error(
        "sum(j ∈ 1..3 : j)",
        &[],
        "unexpected character '∈'; did you mean 'in'?",
        "∈",
    );
    // Decimal literals are still refused, while '..' right after a number is a range.
    assert_error(
        "sum(j in 1.5..3 : j)",
        &[],
        "decimal numbers are not supported; write a fraction such as 3/2",
        "1.5",
    );
    assert_eq!(int("sum(j in 1..3:j)"), 6);
}

#[test]
fn aggregate_evaluation_errors() {
    assert_error(
        "sum(j in 1..n/2 : j)",
        &[("n", 5)],
        "the range of 'sum' needs integers, but 'n/2' is 5/2",
        "n/2",
    );
    assert_error(
        "sum(j in true..3 : j)",
        &[],
        "the range of 'sum' needs a number, but 'true' is a condition",
        "true",
    );
    assert_error(
        "any(j in 1..(1 < 2) : true)",
        &[],
        "the range of 'any' needs a number, but '1 < 2' is a condition",
        "(1 < 2)",
    );
    assert_error(
        "prod(j in 1..2^70 : j)",
        &[],
        "the range of 'prod' needs integers that fit in 64 bits, but '2^70' is 1180591620717411303424",
        "2^70",
    );
    assert_error(
        "sum(j in 1..10^18 : 1)",
        &[],
        "the range 1..1000000000000000000 of 'sum' has 1000000000000000000 values, more than the limit of 10000000",
        "1..10^18",
    );
    assert_error(
        "all(j in -9223372036854775808..9223372036854775807 : true)",
        &[],
        "the range -9223372036854775808..9223372036854775807 of 'all' has 18446744073709551616 values, more than the limit of 10000000",
        "-9223372036854775808..9223372036854775807",
    );
    // A range up to i64::MAX ends without overflow.
    assert_eq!(int("sum(j in 9223372036854775806..9223372036854775807 : 1)"), 2);
    assert_error(
        "sum(j in 1..3 : j == 2)",
        &[],
        "'sum' needs a number, but 'j == 2' is a condition",
        "j == 2",
    );
    assert_error(
        "prod(j in 1..3 : j > 0)",
        &[],
        "'prod' needs a number, but 'j > 0' is a condition",
        "j > 0",
    );
    assert_error(
        "all(j in 1..3 : j)",
        &[],
        "'all' needs a condition, but 'j' is the number 1",
        "j",
    );
    assert_error(
        "any(j in 1..3 : j - 1)",
        &[],
        "'any' needs a condition, but 'j - 1' is the number 0",
        "j - 1",
    );
    assert_error(
        "sum(j in 1..3 : jj)",
        &[("q", 1)],
        "unknown name 'jj' (did you mean 'j'?)",
        "jj",
    );
    let big = "prod(j in 1..3 : (2^4000)^100)";
    assert_error(
        big,
        &[],
        "number too large: the result of 'prod(j in 1..3 : (2^4000)^100)' would have more than 1000000 bits",
        big,
    );
}

#[test]
fn idx_errors() {
    assert_error(
        "1 + idx(1)",
        &[],
        "'idx' is only defined in claims about grid tensors (no grid index is set here)",
        "idx(1)",
    );
    let s = grid_scope(&[("k", 1)], &[3, 1, 4, 1, 5, 9]);
    assert_error_in(
        "idx(7)",
        &s,
        "idx(7): the grid index has 6 positions, so t must be between 1 and 6",
        "7",
    );
    assert_error_in(
        "idx(k - 1)",
        &s,
        "idx(0): the grid index has 6 positions, so t must be between 1 and 6",
        "k - 1",
    );
    assert_error_in(
        "idx(-2^70)",
        &s,
        "idx(-1180591620717411303424): the grid index has 6 positions, so t must be between 1 and 6",
        "-2^70",
    );
    assert_error_in(
        "idx(3/2)",
        &s,
        "'idx' needs an integer position, but '3/2' is 3/2",
        "3/2",
    );
    assert_error_in(
        "idx(1 == 1)",
        &s,
        "'idx' needs a number, but '1 == 1' is a condition",
        "1 == 1",
    );
    assert_error_in(
        "sum(j in 1..4 : idx(2*j))",
        &s,
        "idx(8): the grid index has 6 positions, so t must be between 1 and 6",
        "2*j",
    );
    assert_error_in(
        "idx(2)",
        &grid_scope(&[], &[4]),
        "idx(2): the grid index has 1 position, so t must be 1",
        "2",
    );
    assert_error_in(
        "idx(1)",
        &grid_scope(&[], &[]),
        "idx(1): the grid index is empty, so 'idx' cannot be used",
        "1",
    );
    assert_error_in(
        "idx(1, 2)",
        &s,
        "'idx' takes exactly one argument, found 2",
        "idx(1, 2)",
    );
    assert_error_in("idx()", &s, "'idx' takes exactly one argument, found 0", "idx()");
    assert_error_in(
        "idx + 1",
        &s,
        "'idx' is a function; call it with arguments, as in idx(x)",
        "idx",
    );
}

#[test]
fn aggregate_limits() {
    let nested = |n: usize| format!("{}j{}", "sum(j in 1..1 : ".repeat(n), ")".repeat(n));
    let (m, t) = error(&nested(65));
    assert_eq!(
        (m.as_str(), t.as_str()),
        ("expression nested too deeply (more than 64 levels)", "sum")
    );
    let mixed = format!("{}1{}", "(sum(j in 1..1 : ".repeat(33), "))".repeat(33));
    assert_eq!(error(&mixed).0, "expression nested too deeply (more than 64 levels)");
}

#[test]
fn aggregate_work_budget() {
    let start = std::time::Instant::now();
    let (m, t) = error("sum(j in 1..10000000 : j)");
    assert!(
        m.starts_with("computation too large: the work limit was reached in 'sum(j in 1..10000000 : j)' (at j = "),
        "{m}"
    );
    assert_eq!(t, "sum(j in 1..10000000 : j)");
    // Nested ranges multiply: each is short, together they exhaust the budget.
    let src = "all(i in 1..10000 : any(j in 1..10000 : i * j < 0) || true)";
    let (m, _) = error(src);
    assert!(
        m.starts_with("computation too large: the work limit was reached in '") && m.contains("(at i = "),
        "{m}"
    );
    let src = "sum(i in 1..5000 : sum(j in 1..5000 : sum(k in 1..5000 : 1)))";
    assert!(error(src).0.starts_with("computation too large"));
    // Big numbers are charged by size on every iteration, so few iterations exhaust the budget.
    let mut s = Scope::new();
    s.set("a", Value::Num(Q::from_integer(BigInt::from(1) << 999_000)));
    let (m, _) = error_in("all(j in 1..1000000 : a + a == 2 * a)", &s);
    assert!(m.starts_with("computation too large"), "{m}");
    let (m, _) = error_in("any(j in 1..1000000 : -a == a)", &s);
    assert!(m.starts_with("computation too large"), "{m}");
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
}

// ---------- properties ----------

/// Reference AST over integers for the round-trip property.
#[derive(Clone, Debug)]
enum T {
    Lit(u32),
    Var(usize),
    Neg(Box<T>),
    Paren(Box<T>),
    Bin(char, Box<T>, Box<T>),
    MinMax(bool, Vec<T>),
    Iverson(usize, Box<T>, Box<T>),
    If(usize, Box<T>, Box<T>, Box<T>, Box<T>),
}

const VARS: [&str; 3] = ["a", "b", "c"];
const CMPS: [&str; 6] = ["==", "!=", "<", "<=", ">", ">="];

fn reference(t: &T, vars: &[i64; 3]) -> BigInt {
    let holds = |op: usize, l: &T, r: &T| {
        let (x, y) = (reference(l, vars), reference(r, vars));
        [x == y, x != y, x < y, x <= y, x > y, x >= y][op]
    };
    match t {
        T::Lit(n) => BigInt::from(*n),
        T::Var(i) => BigInt::from(vars[*i]),
        T::Neg(x) => -reference(x, vars),
        T::Paren(x) => reference(x, vars),
        T::Bin(op, l, r) => {
            let (x, y) = (reference(l, vars), reference(r, vars));
            match op {
                '+' => x + y,
                '-' => x - y,
                _ => x * y,
            }
        }
        T::MinMax(is_min, args) => {
            let vals = args.iter().map(|a| reference(a, vars));
            let best = if *is_min { vals.min() } else { vals.max() };
            best.expect("non-empty")
        }
        T::Iverson(op, l, r) => BigInt::from(u8::from(holds(*op, l, r))),
        T::If(op, l, r, yes, no) => {
            if holds(*op, l, r) {
                reference(yes, vars)
            } else {
                reference(no, vars)
            }
        }
    }
}

/// Renders with the fewest parentheses the precedence rules allow (plus explicit `Paren`s);
/// returns the text and its precedence (1 = additive, 2 = multiplicative, 3 = unary, 4 = atom;
/// `if` gets 0 so it is always parenthesized as an operand).
fn render(t: &T) -> (String, u8) {
    let wrap = |t: &T, need: u8| {
        let (s, p) = render(t);
        if p < need {
            format!("({s})")
        } else {
            s
        }
    };
    match t {
        T::Lit(n) => (n.to_string(), 4),
        T::Var(i) => (VARS[*i].to_string(), 4),
        T::Neg(x) => (format!("-{}", wrap(x, 3)), 3),
        T::Paren(x) => (format!("({})", render(x).0), 4),
        T::Bin(op, l, r) => {
            let p = if *op == '*' { 2 } else { 1 };
            (format!("{} {op} {}", wrap(l, p), wrap(r, p + 1)), p)
        }
        T::MinMax(is_min, args) => {
            let args: Vec<String> = args.iter().map(|a| render(a).0).collect();
            (
                format!("{}({})", if *is_min { "min" } else { "max" }, args.join(", ")),
                4,
            )
        }
        T::Iverson(op, l, r) => (format!("[{} {} {}]", wrap(l, 1), CMPS[*op], wrap(r, 1)), 4),
        T::If(op, l, r, yes, no) => (
            format!(
                "if {} {} {} {{ {} }} else {{ {} }}",
                wrap(l, 1),
                CMPS[*op],
                wrap(r, 1),
                render(yes).0,
                render(no).0
            ),
            0,
        ),
    }
}

fn tree() -> impl Strategy<Value = T> {
    let leaf = prop_oneof![(0u32..20).prop_map(T::Lit), (0usize..3).prop_map(T::Var)];
    leaf.prop_recursive(5, 48, 4, |inner| {
        let b = || inner.clone().prop_map(Box::new);
        prop_oneof![
            b().prop_map(T::Neg),
            b().prop_map(T::Paren),
            (prop::sample::select(vec!['+', '-', '*']), b(), b()).prop_map(|(o, l, r)| T::Bin(o, l, r)),
            (any::<bool>(), prop::collection::vec(inner.clone(), 1..4)).prop_map(|(m, a)| T::MinMax(m, a)),
            (0usize..6, b(), b()).prop_map(|(o, l, r)| T::Iverson(o, l, r)),
            (0usize..6, b(), b(), b(), b()).prop_map(|(o, l, r, y, n)| T::If(o, l, r, y, n)),
        ]
    })
}

fn fuzz_scope() -> Scope {
    let mut s = scope(&[("a", 1), ("b", 2), ("q", 3), ("x", -4)]);
    s.set("t", Value::Bool(true));
    s.set_grid_index(&[2, 1, 3]);
    s
}

/// Parsing and evaluating `src` never panics, and every error span lies inside `src`.
fn no_panic(src: &str) {
    let result = Expr::parse(src).and_then(|e| {
        assert_eq!(e.source(), src);
        let s = fuzz_scope();
        let _ = e.eval_integer(&s);
        let _ = e.eval_bool(&s);
        e.eval(&s)
    });
    if let Err(e) = result {
        assert!(
            e.span.start <= e.span.end && src.get(e.span.start..e.span.end).is_some(),
            "{e:?}"
        );
        assert!(!e.message.is_empty());
    }
}

const FRAGMENTS: [&str; 54] = [
    "if",
    "else",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "min(",
    "max(",
    "abs(",
    "floor(",
    "ceil(",
    "true",
    "false",
    "&&",
    "||",
    "==",
    "!=",
    "<=",
    ">=",
    "<",
    ">",
    "+",
    "-",
    "*",
    "/",
    "%",
    "^",
    "!",
    ",",
    "a",
    "b",
    "q",
    "t",
    "zz",
    "0",
    "1",
    "2",
    "7",
    "4096",
    "100",
    " ",
    "1/0",
    "idx(",
    "sum(",
    "prod(",
    "all(",
    "any(",
    "j",
    "in",
    "..",
    ":",
    "j in 1..3 :",
];

/// Loosely typed expressions over the whole language (any operator on any operand), rendered
/// fully parenthesized: they parse structurally but often fail to evaluate, which exercises
/// the evaluator's error paths.
fn loose_tree() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(vec![
        "0", "1", "2", "3", "7", "4096", "a", "b", "q", "x", "t", "zz", "true", "false", "j",
    ])
    .prop_map(str::to_string);
    leaf.prop_recursive(6, 64, 4, |inner| {
        let bin_ops = vec![
            "+", "-", "*", "/", "%", "^", "==", "!=", "<", "<=", ">", ">=", "&&", "||",
        ];
        prop_oneof![
            (prop::sample::select(vec!["-", "!"]), inner.clone()).prop_map(|(o, x)| format!("({o}{x})")),
            (prop::sample::select(bin_ops), inner.clone(), inner.clone())
                .prop_map(|(o, l, r)| format!("({l} {o} {r})")),
            (
                prop::sample::select(vec!["min", "max", "abs", "floor", "ceil"]),
                prop::collection::vec(inner.clone(), 0..4)
            )
                .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
            (
                prop::sample::select(vec!["all", "any", "sum", "prod"]),
                prop::sample::select(vec!["1..3", "0..1", "2..1", "a..b", "x..q", "1..t", "j..3"]),
                inner.clone()
            )
                .prop_map(|(f, range, x)| format!("{f}(j in {range} : {x})")),
            inner.clone().prop_map(|x| format!("idx({x})")),
            inner.clone().prop_map(|x| format!("[{x}]")),
            (inner.clone(), inner.clone(), inner.clone(), inner)
                .prop_map(|(c1, c2, x, y)| format!("if {c1} {{ {x} }} else if {c2} {{ {y} }} else {{ {x} }}")),
        ]
    })
}

// Default configuration: 256 cases per property (override with PROPTEST_CASES).
proptest! {
    #[test]
    fn arbitrary_strings_never_panic(src in any::<String>()) {
        no_panic(&src);
    }

    #[test]
    fn token_soup_never_panics(src in "[ a-z0-9+*/%^()\\[\\]{}<>=!&|,.:-]{0,200}") {
        no_panic(&src);
    }

    #[test]
    fn fragment_soup_never_panics(parts in prop::collection::vec(prop::sample::select(FRAGMENTS.to_vec()), 0..60), sep in prop::sample::select(vec!["", " "])) {
        no_panic(&parts.join(sep));
    }

    #[test]
    fn loose_expressions_never_panic(src in loose_tree()) {
        no_panic(&src);
    }

    #[test]
    fn sum_of_first_integers(n in 0i64..200) {
        let e = Expr::parse("sum(j in 1..n : j)").map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(e.eval_integer(&scope(&[("n", n)])), Ok(n * (n + 1) / 2));
    }

    #[test]
    fn aggregates_match_iterators(lo in -8i64..8, hi in -8i64..8, c in -4i64..5) {
        let s = scope(&[("lo", lo), ("hi", hi), ("c", c)]);
        let range = lo..=hi;
        let sum: i64 = range.clone().map(|j| j * j - c * j).sum();
        let prod: i64 = range.clone().map(|j| j - c).product();
        let all = range.clone().all(|j| j.rem_euclid(3) != c.rem_euclid(3));
        let any = range.clone().any(|j| j * j == c + 4);
        let run = |src: &str| Expr::parse(src).and_then(|e| e.eval(&s));
        prop_assert_eq!(run("sum(j in lo..hi : j^2 - c*j)"), Ok(Value::Num(q(sum, 1))));
        prop_assert_eq!(run("prod(j in lo..hi : j - c)"), Ok(Value::Num(q(prod, 1))));
        prop_assert_eq!(run("all(j in lo..hi : j % 3 != c % 3)"), Ok(Value::Bool(all)));
        prop_assert_eq!(run("any(j in lo..hi : j^2 == c + 4)"), Ok(Value::Bool(any)));
    }

    #[test]
    fn generated_expressions_match_reference(t in tree(), vals in [-6i64..7, -6i64..7, -6i64..7]) {
        let src = render(&t).0;
        let e = Expr::parse(&src).map_err(|e| TestCaseError::fail(format!("{src:?}: {e}")))?;
        let s = scope(&[("a", vals[0]), ("b", vals[1]), ("c", vals[2])]);
        let got = e.eval(&s).map_err(|e| TestCaseError::fail(format!("{src:?}: {e}")))?;
        prop_assert_eq!(got, Value::Num(Q::from_integer(reference(&t, &vals))), "{}", src);
    }
}

/// By hand: 2^3 = 8; 5^2 = 25 <= 27 < 36; floor(2^(3/2)) = 2 since 2^2 = 4 <= 8 < 9; and
/// 16^50 = 2^200. A rank k is at most r^(a/b) exactly when k <= iroot(r^a, b).
#[test]
fn logarithms_of_powers_of_two_and_integer_roots() {
    assert_eq!(num("log2(8)"), q(3, 1));
    assert_eq!(num("log2(1)"), q(0, 1));
    assert_eq!(num("iroot(27, 2)"), q(5, 1));
    assert_eq!(num("iroot(8, 3)"), q(2, 1));
    assert_eq!(num_with("iroot(r^log2(d), 2)", &[("r", 2), ("d", 8)]), q(2, 1));
    assert_eq!(num("iroot(2^200, 50)"), q(16, 1));
    assert_eq!(num("iroot(0, 5)"), q(0, 1));
    let (message, at) = error_with("log2(6)", &[]);
    assert_eq!(message, "'log2' needs a positive power of 2, but '6' is 6");
    assert_eq!(at, "log2(6)");
    let (message, _) = error_with("iroot(4, 0)", &[]);
    assert!(
        message.contains("an integer degree b in 1..64, but they are 4 and 0"),
        "{message}"
    );
    assert!(error_with("iroot(-1, 2)", &[]).0.contains("x >= 0"));
    assert!(error_with("iroot(2^5000, 2)", &[]).0.contains("too large"));
    assert_eq!(
        error_with("iroot(4)", &[]).0,
        "'iroot' takes exactly two arguments, found 1"
    );
}
