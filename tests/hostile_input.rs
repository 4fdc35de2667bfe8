//! Hostile input: the expression language, the certificate kernel and the case-file reader never
//! panic and never hang, whatever text they are given. Property tests feed them arbitrary
//! strings, token soup, deep nesting and huge numbers, and random mutations of real certificates
//! and case files; each property prints how many inputs it tried (and, for mutated certificates,
//! how many the kernel rejected or confirmed). Deterministic tests pin the nesting and literal
//! limits at their edges.

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{TestCaseError, TestRunner};
use std::cell::Cell;
use std::path::PathBuf;
use std::time::Duration;
use tnproof::case::{parse_case, Instance, ResourceLimit};
use tnproof::certificate::render;
use tnproof::expr::{Expr, Scope, MAX_DEPTH, MAX_LITERAL_DIGITS};
use tnproof::run::{decide, prepare};

/// A hang detector, not a performance bound: far above what any one input needs under
/// `SMALL_LIMIT`. Expanding a generalized case (khrulkov2019-lemma6: 60 instances, grid tensors
/// and claim expressions at up to 4096 template indices each) takes up to about 2 s in a debug
/// build; what stops a real hang there is the per-instance grid work limit and the expression
/// budget.
const HANG: Duration = Duration::from_secs(6);
/// What one mutated case instance may claim, so that a mutated grid cannot build big tensors: 1
/// MiB, and 2^14 multiply-adds for grid tensors over Q. Under the default 2^21 a mutation of
/// khrulkov2019-theorem5-perturbed to M = 8 (28 instances of 84 000 multiply-adds each, on
/// perturbed rationals) took 10 s, a normal input, not a hang.
const SMALL_LIMIT: ResourceLimit = ResourceLimit {
    max_bytes: 1 << 20,
    max_grid_work: 1 << 14,
};

/// The CPU time this thread has used: a hang bound on it does not depend on how busy the
/// machine is (wall time does: under load a normal input could pass the bound, and shrinking
/// it would then run each slow input again and again).
fn thread_time() -> Duration {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `t` is a valid timespec for clock_gettime to write into.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    assert_eq!(status, 0, "the thread's CPU clock is readable");
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Runs `property` on `cases` inputs drawn from `strategy`; fails on a panic, a failed
/// assertion or an input that takes more CPU time than `HANG`; prints how many inputs were
/// tried (shrinking included, at most 64 steps) and the slowest one's time.
fn exercise<S: Strategy>(name: &str, cases: u32, strategy: S, property: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let config = ProptestConfig {
        cases,
        failure_persistence: None,
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    };
    let (tried, slowest) = (Cell::new(0usize), Cell::new(Duration::ZERO));
    let result = TestRunner::new(config).run(&strategy, |input| {
        tried.set(tried.get() + 1);
        let start = thread_time();
        property(input)?;
        let took = thread_time() - start;
        slowest.set(slowest.get().max(took));
        prop_assert!(took < HANG, "took {took:?}, more than the hang bound {HANG:?}");
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    eprintln!(
        "{name}: {} inputs tried, none panicked or hung (slowest {:?})",
        tried.get(),
        slowest.get()
    );
}

// ----- the expression language -----

/// The names a case file binds, at small values.
fn case_scope() -> Scope {
    let mut scope = Scope::new();
    for (name, value) in [
        ("n", 3),
        ("r", 4),
        ("d", 6),
        ("q", 3),
        ("a", 2),
        ("i", 1),
        ("b", 3),
        ("k", 2),
        ("m", 1),
    ] {
        scope.set_int(name, value);
    }
    scope
}

/// Parses and, when that succeeds, evaluates `source`; errors are fine, panics are not.
fn parse_and_eval(source: &str) {
    if let Ok(expr) = Expr::parse(source) {
        let _ = expr.eval(&case_scope());
    }
}

/// Pieces of the expression language and near misses: literals up to and past the digit
/// limit, huge powers, names bound and unbound, every operator, brackets, keywords, functions.
const TOKENS: &[&str] = &[
    "0",
    "1",
    "2",
    "7",
    "10",
    "4096",
    "4097",
    "123456789012345678901234567890123456789012345678901234567890",
    "1234567890123456789012345678901234567890123456789012345678901",
    "9^9^9^9",
    "2^4096",
    "(2^4096)^150",
    "2^-4096",
    "1/3^4096",
    "(7/3)^4096",
    "0^-1",
    "n",
    "r",
    "d",
    "q",
    "a",
    "i",
    "b",
    "k",
    "m",
    "x",
    "_",
    "minn",
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
    "=",
    "&",
    "|",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    "if",
    "else",
    "true",
    "false",
    "min",
    "max",
    "abs",
    "floor",
    "ceil",
    "min(",
    "max(",
    "abs(",
    "floor(",
    "ceil(",
    ".",
    "1.5",
    "≤",
    "×",
    "−",
    " ",
    "\n",
    "\t",
];

/// Token soup: up to 80 tokens, glued or space-separated.
fn token_soup() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(TOKENS), 0..80),
        any::<bool>(),
    )
        .prop_map(|(tokens, glued)| tokens.join(if glued { "" } else { " " }))
}

/// Constructs that nest, as (opening, closing) text around an operand.
const NESTERS: &[(&str, &str)] = &[
    ("(", ")"),
    ("[", "]"),
    ("abs(", ")"),
    ("min(1, ", ")"),
    ("-", ""),
    ("!", ""),
    ("2^", ""),
    ("if true { ", " } else { 0 }"),
    ("if n < r { 1 } else { ", " }"),
];

/// One construct nested up to 200 deep around a small operand, closed or left open.
fn deep_nesting() -> impl Strategy<Value = String> {
    (prop::sample::select(NESTERS), 0..200usize, token_soup(), any::<bool>()).prop_map(
        |((open, close), depth, inner, closed)| {
            let closing = if closed { close.repeat(depth) } else { String::new() };
            format!("{}{inner}{closing}", open.repeat(depth))
        },
    )
}

#[test]
fn expressions_from_arbitrary_text_neither_panic_nor_hang() {
    let text = prop_oneof![any::<String>(), "[ -~\n]{0,300}"];
    exercise("expression: arbitrary strings", 20_000, text, |source| {
        parse_and_eval(&source);
        Ok(())
    });
    exercise("expression: token soup", 20_000, token_soup(), |source| {
        parse_and_eval(&source);
        Ok(())
    });
    exercise("expression: deep nesting", 5000, deep_nesting(), |source| {
        parse_and_eval(&source);
        Ok(())
    });
}

/// The hang bound for the costliest expressions, in CPU time: the work budget allows about a
/// second of work per evaluation.
const COSTLY_HANG: Duration = Duration::from_secs(10);

/// Expressions built to cost the evaluator as much as its limits allow: the largest powers,
/// long Euclid runs on huge coprime fractions, huge remainders, floors and comparisons.
const COSTLY: &[&str] = &[
    "(2^4096)^244",
    "((2^4096)^120 + 1) / ((3^4096)^75 + 1)",
    "((2^4096)^120 + 1) / ((3^4096)^75 + 1) < ((5^4096)^50 + 1) / ((7^4096)^40 + 1)",
    "1/3^4096 + 1/5^4096 + 1/7^4096 + 1/11^4096 + 1/13^4096 + 1/17^4096 + 1/19^4096 + 1/23^4096",
    "1/22279^2222 + 1/22280^2222 + 1/22281^2222",
    "((3^4096)^50 * (3^4096)^50) / ((5^4096)^35 * (5^4096)^35)",
    "((2^4096)^120 + 1) % ((3^4096)^40 + 1)",
    "floor(((2^4096)^120 + 1) / ((3^4096)^40 + 2))",
    "min((2^4096)^120 / 3, (2^4096)^120 / 5, (2^4096)^120 / 7, (2^4096)^120 / 11)",
    // Found by the `expression` fuzz target: over 10 s under AddressSanitizer, 0.2 s natively.
    "2/22280^--2222-- (- 3/2)^-32/22280^---2222-- (- 3/2)^-3 * 8 * 022^--281  /22279^--2222-- (- 3/2) * 8 * 022^-V2^-!V2^-!!dl-281  /22279^--2222-- (- 3/2)",
];

#[test]
fn the_costliest_expressions_finish() {
    for source in COSTLY {
        let expr = Expr::parse(source).expect("a valid expression");
        let start = thread_time();
        let value = expr.eval(&case_scope());
        let took = thread_time() - start;
        let outcome = value.map_or_else(|e| e.message, |_| "a value".into());
        eprintln!("costly expression: {took:?} for {source}: {outcome}");
        assert!(took < COSTLY_HANG, "{source} took {took:?}");
    }
}

/// `depth` nested pairs of parentheses around `1`.
fn parenthesized(depth: usize) -> String {
    format!("{}1{}", "(".repeat(depth), ")".repeat(depth))
}

#[test]
fn nesting_is_accepted_to_the_limit_and_rejected_past_it() {
    assert_eq!(MAX_DEPTH, 64);
    for (open, close) in NESTERS {
        let nested = |depth: usize| format!("{}true{}", open.repeat(depth), close.repeat(depth));
        if let Err(e) = Expr::parse(&nested(MAX_DEPTH)) {
            panic!("{open}...{close} nested {MAX_DEPTH} deep is refused: {}", e.message);
        }
        let refused = Expr::parse(&nested(MAX_DEPTH + 1)).expect_err("one level past the limit");
        assert_eq!(
            refused.message, "expression nested too deeply (more than 64 levels)",
            "{open}...{close}"
        );
    }
    let deepest = Expr::parse(&parenthesized(MAX_DEPTH)).expect("64 levels are accepted");
    assert_eq!(deepest.eval_integer(&Scope::new()), Ok(1));
    let refused = Expr::parse(&parenthesized(MAX_DEPTH + 1)).expect_err("65 levels are refused");
    assert!(refused.message.contains("nested too deeply"), "{}", refused.message);
}

#[test]
fn literals_are_accepted_to_60_digits_and_rejected_past_them() {
    assert_eq!(MAX_LITERAL_DIGITS, 60);
    let longest = "9".repeat(60);
    let value = Expr::parse(&longest)
        .expect("60 digits are accepted")
        .eval_number(&Scope::new())
        .expect("a number");
    assert_eq!(value.to_string(), longest);
    let refused = Expr::parse(&"9".repeat(61)).expect_err("61 digits are refused");
    assert_eq!(refused.message, "number literal too long (more than 60 digits)");
}

// ----- the certificate kernel -----

/// A case file and, per parameter, the grid values kept.
type SmallGrid = (&'static str, &'static [(&'static str, &'static [i64])]);

/// Small instances of every construction and claim kind: Khrulkov's eq. (9) witness (n = 2,
/// r = 2 and 3, d = 2 and 4), Alkin's equal cores (n = 2, r = 3, d = 4), the q = min(n, r)
/// variant where the claims fail (n = 3, r = 2, d = 4), random CP and HT networks (n = 2, r = 2,
/// d = 4) and random equal cores with an ALS estimate (d = 4).
const SMALL_GRIDS: [SmallGrid; 6] = [
    (
        "khrulkov2018-theorem1.toml",
        &[("n", &[2]), ("r", &[2, 3]), ("d", &[2, 4])],
    ),
    ("alkin2024-equal-core.toml", &[("n", &[2]), ("r", &[3]), ("d", &[4])]),
    (
        "alkin2024-equal-core-hypothesis-q.toml",
        &[("n", &[3]), ("r", &[2]), ("d", &[4])],
    ),
    ("random-cp.toml", &[("n", &[2]), ("r", &[2]), ("d", &[4])]),
    ("random-ht.toml", &[("n", &[2]), ("r", &[2]), ("d", &[4])]),
    ("alkin2024-cp-als.toml", &[("d", &[4])]),
];

/// The certificates of the `SMALL_GRIDS` instances, written by the library.
fn real_certificates() -> Vec<String> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut certificates = Vec::new();
    for (file, wanted) in SMALL_GRIDS {
        let prepared =
            prepare(&[manifest.join("cases").join(file)], ResourceLimit::default()).expect("the case files are valid");
        for (case, instances) in prepared {
            let value =
                |instance: &Instance, name: &str| instance.params.iter().find(|(p, _)| p == name).map(|&(_, v)| v);
            let picked = instances
                .into_iter()
                .filter(|instance| {
                    wanted
                        .iter()
                        .all(|&(name, values)| value(instance, name).is_some_and(|v| values.contains(&v)))
                })
                .collect();
            certificates.extend(decide(picked).iter().map(|result| render(&case, result)));
        }
    }
    assert_eq!(certificates.len(), 9);
    certificates
}

/// One edit of a text: of a character, a line or a digit.
#[derive(Clone, Debug)]
enum Mutation {
    DeleteChar(Index),
    InsertChar(Index, char),
    ReplaceChar(Index, char),
    DuplicateLine(Index),
    DropLine(Index),
    ChangeDigit(Index, char),
    /// A digit replaced by a long run of nines, to reach the size limits.
    WidenNumber(Index, usize),
}

/// Characters that matter to the grammars, and any character at all.
fn mutation_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select("0123456789-/,()[]{}:=\"'#.x \n".chars().collect::<Vec<_>>()),
        any::<char>(),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let digit = prop::sample::select(('0'..='9').collect::<Vec<_>>());
    prop_oneof![
        any::<Index>().prop_map(Mutation::DeleteChar),
        (any::<Index>(), mutation_char()).prop_map(|(at, c)| Mutation::InsertChar(at, c)),
        (any::<Index>(), mutation_char()).prop_map(|(at, c)| Mutation::ReplaceChar(at, c)),
        any::<Index>().prop_map(Mutation::DuplicateLine),
        any::<Index>().prop_map(Mutation::DropLine),
        (any::<Index>(), digit).prop_map(|(at, c)| Mutation::ChangeDigit(at, c)),
        (any::<Index>(), 2..30usize).prop_map(|(at, width)| Mutation::WidenNumber(at, width)),
    ]
}

/// `text` with `mutation` applied (unchanged when the text has no character, line or digit to edit).
fn mutate(text: &str, mutation: &Mutation) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let digits: Vec<usize> = chars
        .iter()
        .filter(|(_, c)| c.is_ascii_digit())
        .map(|&(at, _)| at)
        .collect();
    let char_at = |at: &Index| (!chars.is_empty()).then(|| chars[at.index(chars.len())]);
    let digit_at = |at: &Index| (!digits.is_empty()).then(|| digits[at.index(digits.len())]);
    let splice = |at: usize, remove: usize, insert: &str| format!("{}{insert}{}", &text[..at], &text[at + remove..]);
    let lines: Vec<&str> = text.split('\n').collect();
    let edited_lines = |at: &Index, edit: fn(&mut Vec<&str>, usize)| {
        let mut lines = lines.clone();
        let line = at.index(lines.len());
        edit(&mut lines, line);
        lines.join("\n")
    };
    let edited = match mutation {
        Mutation::DeleteChar(at) => char_at(at).map(|(i, c)| splice(i, c.len_utf8(), "")),
        Mutation::InsertChar(at, new) => char_at(at).map(|(i, _)| splice(i, 0, &new.to_string())),
        Mutation::ReplaceChar(at, new) => char_at(at).map(|(i, c)| splice(i, c.len_utf8(), &new.to_string())),
        Mutation::DuplicateLine(at) => Some(edited_lines(at, |lines, l| lines.insert(l, lines[l]))),
        Mutation::DropLine(at) => Some(edited_lines(at, |lines, l| {
            lines.remove(l);
        })),
        Mutation::ChangeDigit(at, new) => digit_at(at).map(|i| splice(i, 1, &new.to_string())),
        Mutation::WidenNumber(at, width) => digit_at(at).map(|i| splice(i, 1, &"9".repeat(*width))),
    };
    edited.unwrap_or_else(|| text.to_string())
}

/// Up to four mutations of one of `bases`.
fn mutated(bases: Vec<String>) -> impl Strategy<Value = String> {
    (prop::sample::select(bases), prop::collection::vec(mutation(), 1..=4))
        .prop_map(|(base, mutations)| mutations.iter().fold(base, |text, m| mutate(&text, m)))
}

#[test]
fn the_kernel_neither_panics_nor_hangs_on_arbitrary_or_mutated_certificates() {
    let certificates = real_certificates();
    for certificate in &certificates {
        assert!(
            tnproof_kernel::check(certificate).is_ok(),
            "the library's own certificate is confirmed:\n{certificate}"
        );
    }
    let header_then_text = any::<String>().prop_map(|rest| format!("{}\n{rest}", tnproof_kernel::HEADER));
    exercise(
        "kernel: arbitrary strings",
        10_000,
        prop_oneof![any::<String>(), header_then_text],
        |text| {
            let _ = tnproof_kernel::check(&text);
            Ok(())
        },
    );
    let (rejected, confirmed) = (Cell::new(0usize), Cell::new(0usize));
    let changed = mutated(certificates.clone()).prop_filter("a mutation that changes the text", move |text| {
        !certificates.contains(text)
    });
    exercise("kernel: mutated certificates", 10_000, changed, |text| {
        let tally = if tnproof_kernel::check(&text).is_ok() {
            &confirmed
        } else {
            &rejected
        };
        tally.set(tally.get() + 1);
        Ok(())
    });
    eprintln!(
        "kernel: of the changed certificates, {} rejected, {} confirmed",
        rejected.get(),
        confirmed.get()
    );
    assert!(
        rejected.get() > confirmed.get(),
        "most changes to a certificate's numbers and structure are caught"
    );
}

// ----- the case-file reader -----

/// `text` with the grid cut down to n = 2, r = 3, d = 2 or 4.
fn with_small_grid(text: &str) -> String {
    let small = |line: &str| {
        match line.split(" = ").next() {
            Some("n") => "n = 2",
            Some("r") => "r = 3",
            Some("d") => "d = [2, 4]",
            _ => line,
        }
        .to_string()
    };
    text.split('\n').map(small).collect::<Vec<_>>().join("\n")
}

#[test]
fn case_files_neither_panic_nor_hang_when_mutated() {
    let cases = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("cases");
    let mut texts: Vec<String> = std::fs::read_dir(&cases)
        .expect("cases/ is readable")
        .map(|entry| std::fs::read_to_string(entry.expect("a directory entry").path()).expect("case files are UTF-8"))
        .collect();
    texts.sort();
    assert!(texts.len() >= 4, "cases/ holds the theorems' case files");
    // Most real grids are too large to expand under the small limit; shrunk copies expand, so
    // mutations also reach the evaluation of every expression at every grid point.
    let shrunk: Vec<String> = texts
        .iter()
        .map(|text| with_small_grid(text))
        .filter(|text| {
            parse_case("shrunk.toml", text)
                .and_then(|case| case.instances(SMALL_LIMIT))
                .is_ok()
        })
        .collect();
    assert!(shrunk.len() >= 4, "the theorems' cases expand on a small grid");
    texts.extend(shrunk);
    let (unparsed, unexpanded, expanded) = (Cell::new(0usize), Cell::new(0usize), Cell::new(0usize));
    exercise("case file: mutated cases", 3000, mutated(texts), |text| {
        let tally = match parse_case("mutated.toml", &text) {
            Err(_) => &unparsed,
            Ok(case) => match case.instances(SMALL_LIMIT) {
                Err(_) => &unexpanded,
                Ok(_) => &expanded,
            },
        };
        tally.set(tally.get() + 1);
        Ok(())
    });
    eprintln!(
        "case file: {} refused by the reader, {} refused when expanded, {} expanded",
        unparsed.get(),
        unexpanded.get(),
        expanded.get()
    );
}
