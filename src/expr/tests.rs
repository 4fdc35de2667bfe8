//! Tests for the expression language: semantics (precedence, associativity, laziness),
//! every error kind with its message and span, the hostile-input limits, and property tests
//! (no panics on arbitrary text; random well-formed expressions match a reference evaluator).

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
    let e = match Expr::parse(src) {
        Err(e) => e,
        Ok(x) => match x.eval(&scope(binds)) {
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
    assert_eq!(
        cond.eval_bool(&scope(&[("n", 3), ("r", 2), ("d", 3)])),
        Ok(true)
    );
    assert_eq!(
        cond.eval_bool(&scope(&[("n", 3), ("r", 2), ("d", 2)])),
        Ok(false)
    );
    assert_eq!(
        cond.eval_bool(&scope(&[("n", 1), ("r", 2), ("d", 3)])),
        Ok(false)
    );
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
    assert_eq!(
        Expr::parse("t == (a > 1)").and_then(|e| e.eval_bool(&s)),
        Ok(true)
    );
    assert_eq!(
        Expr::parse("t != true").and_then(|e| e.eval_bool(&s)),
        Ok(false)
    );
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
    // The deepest legal inputs need about 400KB of stack unoptimized, 200KB at opt-level 1.
    let worker = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || (int(&parens), int(&negs), int(&mixed)));
    let results = worker.expect("spawn").join().expect("no stack overflow");
    assert_eq!(results, (1, 1, 0));
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
    assert_error(
        "qq + 1",
        &[("q", 2)],
        "unknown name 'qq' (did you mean 'q'?)",
        "qq",
    );
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
    assert_error(
        "!2",
        &[],
        "'!' needs a condition, but '2' is the number 2",
        "2",
    );
    assert_error(
        "1 && true",
        &[],
        "'&&' needs a condition, but '1' is the number 1",
        "1",
    );
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
    assert_error(
        "2 ^ true",
        &[],
        "'^' needs a number, but 'true' is a condition",
        "true",
    );

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
        Err("expected an integer, found a fraction whose numerator and denominator have about 1234 and 1 digits".into())
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
    check_end(
        "(1 + 2",
        "expected ')' to close '(', found end of expression",
    );
    check_end(
        "[a == 1",
        "expected ']' to close '[', found end of expression",
    );
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
    assert_error(
        "(1 2)",
        &[],
        "expected ')' to close '(', found the number 2",
        "2",
    );
    assert_error(
        "x y",
        &[],
        "expected an operator or end of expression, found the name 'y'",
        "y",
    );
    assert_error(
        "else",
        &[],
        "expected an expression, found the keyword 'else'",
        "else",
    );
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
        "unknown function 'mn' (did you mean 'min'?); the functions are min, max, abs, floor, ceil (use '*' to multiply)",
        "mn",
    );
    assert_error(
        "n(r - 1)",
        &[],
        "unknown function 'n'; the functions are min, max, abs, floor, ceil (use '*' to multiply)",
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
    assert_error(
        "a = b",
        &[],
        "unexpected character '='; did you mean '=='?",
        "=",
    );
    assert_error(
        "a & b",
        &[],
        "unexpected character '&'; did you mean '&&'?",
        "&",
    );
    assert_error(
        "a | b",
        &[],
        "unexpected character '|'; did you mean '||'?",
        "|",
    );
    assert_error(
        "a ≤ b",
        &[],
        "unexpected character '≤'; did you mean '<='?",
        "≤",
    );
    assert_error("a @ b", &[], "unexpected character '@'", "@");
    assert_error(
        "1.5 + 1",
        &[],
        "decimal numbers are not supported; write a fraction such as 3/2",
        "1.5",
    );
    let long = "1".repeat(61);
    assert_error(
        &long,
        &[],
        "number literal too long (more than 60 digits)",
        &long,
    );
    assert_eq!(
        num(&"1".repeat(60)),
        Q::from_integer("1".repeat(60).parse::<BigInt>().expect("digits"))
    );
}

#[test]
fn limit_errors() {
    let deep = format!("{}1{}", "(".repeat(65), ")".repeat(65));
    assert_error(
        &deep,
        &[],
        "expression nested too deeply (more than 64 levels)",
        "(",
    );
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
    let (m, _) = error(&format!(
        "{}true{}",
        "if ".repeat(65),
        " { 1 } else { 2 }".repeat(65)
    ));
    assert_eq!(m, "expression nested too deeply (more than 64 levels)");
    // Pathological nesting far beyond the limit fails fast, without overflowing the stack.
    let (m, _) = error(&"(".repeat(9000));
    assert_eq!(m, "expression nested too deeply (more than 64 levels)");

    let long = vec!["1"; 5001].join("+");
    let e = Expr::parse(&long).expect_err("too long");
    assert_eq!(
        e.message,
        format!(
            "expression too long ({} bytes; the limit is 10000)",
            long.len()
        )
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
    assert_error("2^(2^100)", &[], "power too large: the exponent 1267650600228229401496703205376 is larger than 4096 in absolute value", "2^(2^100)");
    // Long gcd computations on huge fractions run out of budget instead of hanging.
    let (m, t) = error("(3^4096)^60 / (2^4096)^95");
    assert_eq!(m, "computation too large: the numbers in '(3^4096)^60 / (2^4096)^95' are too big to work with");
    assert_eq!(t, "(3^4096)^60 / (2^4096)^95");
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
                format!(
                    "{}({})",
                    if *is_min { "min" } else { "max" },
                    args.join(", ")
                ),
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
            (prop::sample::select(vec!['+', '-', '*']), b(), b())
                .prop_map(|(o, l, r)| T::Bin(o, l, r)),
            (any::<bool>(), prop::collection::vec(inner.clone(), 1..4))
                .prop_map(|(m, a)| T::MinMax(m, a)),
            (0usize..6, b(), b()).prop_map(|(o, l, r)| T::Iverson(o, l, r)),
            (0usize..6, b(), b(), b(), b()).prop_map(|(o, l, r, y, n)| T::If(o, l, r, y, n)),
        ]
    })
}

fn fuzz_scope() -> Scope {
    let mut s = scope(&[("a", 1), ("b", 2), ("q", 3), ("x", -4)]);
    s.set("t", Value::Bool(true));
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

const FRAGMENTS: [&str; 44] = [
    "if", "else", "{", "}", "(", ")", "[", "]", "min(", "max(", "abs(", "floor(", "ceil(", "true",
    "false", "&&", "||", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "^", "!", ",",
    "a", "b", "q", "t", "zz", "0", "1", "2", "7", "4096", "100", " ", "1/0",
];

/// Loosely typed expressions over the whole language (any operator on any operand), rendered
/// fully parenthesized: they parse structurally but often fail to evaluate, which exercises
/// the evaluator's error paths.
fn loose_tree() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(vec![
        "0", "1", "2", "3", "7", "4096", "a", "b", "q", "x", "t", "zz", "true", "false",
    ])
    .prop_map(str::to_string);
    leaf.prop_recursive(6, 64, 4, |inner| {
        let bin_ops = vec![
            "+", "-", "*", "/", "%", "^", "==", "!=", "<", "<=", ">", ">=", "&&", "||",
        ];
        prop_oneof![
            (prop::sample::select(vec!["-", "!"]), inner.clone())
                .prop_map(|(o, x)| format!("({o}{x})")),
            (prop::sample::select(bin_ops), inner.clone(), inner.clone())
                .prop_map(|(o, l, r)| format!("({l} {o} {r})")),
            (
                prop::sample::select(vec!["min", "max", "abs", "floor", "ceil"]),
                prop::collection::vec(inner.clone(), 0..4)
            )
                .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
            inner.clone().prop_map(|x| format!("[{x}]")),
            (inner.clone(), inner.clone(), inner.clone(), inner).prop_map(
                |(c1, c2, x, y)| format!("if {c1} {{ {x} }} else if {c2} {{ {y} }} else {{ {x} }}")
            ),
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
    fn token_soup_never_panics(src in "[ a-z0-9+*/%^()\\[\\]{}<>=!&|,-]{0,200}") {
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
    fn generated_expressions_match_reference(t in tree(), vals in [-6i64..7, -6i64..7, -6i64..7]) {
        let src = render(&t).0;
        let e = Expr::parse(&src).map_err(|e| TestCaseError::fail(format!("{src:?}: {e}")))?;
        let s = scope(&[("a", vals[0]), ("b", vals[1]), ("c", vals[2])]);
        let got = e.eval(&s).map_err(|e| TestCaseError::fail(format!("{src:?}: {e}")))?;
        prop_assert_eq!(got, Value::Num(Q::from_integer(reference(&t, &vals))), "{}", src);
    }
}
