//! Bad input is refused with exit status 2, `file:line:column` and a plain sentence: never a
//! panic, never a certificate. One test per kind of bad input, each checked through the library
//! (the position, computed by hand from the listings below, and the message) and through the
//! binary (status, stderr, nothing on stdout, no output folder). Then the memory refusal, a run
//! mixing a good and a bad file, and property tests that no text, however mangled, makes the
//! reader panic or point outside the file.

use proptest::prelude::*;
use std::ops::RangeInclusive;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use tnproof::case::{parse_case, InputError, ResourceLimit};

/// Khrulkov's eq. (9) witness at n = 2, r = 2, d = 4 with one identity-submatrix claim. Valid.
/// Tests replace, add or remove whole lines, so positions can be read off this listing:
///
/// ```text
///  1 [case]
///  2 id = "t"
///  3 source = "test"
///  4
///  5 [construction]
///  6 kind = "tt"
///  7 n = 2
///  8 r = 2
///  9 d = 4
/// 10 ranks = "if k % 2 == 1 { r } else { 1 }"
/// 11
/// 12 [construction.let]
/// 13 q = "min(n, r)"
/// 14
/// 15 [construction.cores]
/// 16 core = "if k % 2 == 1 { [i == b] } else { [i == a] }"
/// 17
/// 18 [[claim]]
/// 19 kind = "identity-submatrix"
/// 20 matricization = "odd-even"
/// 21 q = "q"
/// ```
const KHRULKOV: &str = r#"[case]
id = "t"
source = "test"

[construction]
kind = "tt"
n = 2
r = 2
d = 4
ranks = "if k % 2 == 1 { r } else { 1 }"

[construction.let]
q = "min(n, r)"

[construction.cores]
core = "if k % 2 == 1 { [i == b] } else { [i == a] }"

[[claim]]
kind = "identity-submatrix"
matricization = "odd-even"
q = "q"
"#;

/// Alkin's equal-core witness at n = 2, r = 3, d = 4 with one identity-submatrix claim. Valid.
///
/// ```text
///  1 [case]
///  2 id = "t"
///  3 source = "test"
///  4
///  5 [construction]
///  6 kind = "tt-equal"
///  7 n = 2
///  8 r = 3
///  9 d = 4
/// 10
/// 11 [construction.let]
/// 12 q = "min(n, r - 1)"
/// 13
/// 14 [construction.cores]
/// 15 first = "[i == b]"
/// 16 inner = "if a <= q { [a == i] * [b == q + 1] } else if a == q + 1 { [i == b] } else { 0 }"
/// 17 last = "[a == i]"
/// 18
/// 19 [[claim]]
/// 20 kind = "identity-submatrix"
/// 21 matricization = "odd-even"
/// 22 q = "q"
/// ```
const ALKIN: &str = r#"[case]
id = "t"
source = "test"

[construction]
kind = "tt-equal"
n = 2
r = 3
d = 4

[construction.let]
q = "min(n, r - 1)"

[construction.cores]
first = "[i == b]"
inner = "if a <= q { [a == i] * [b == q + 1] } else if a == q + 1 { [i == b] } else { 0 }"
last = "[a == i]"

[[claim]]
kind = "identity-submatrix"
matricization = "odd-even"
q = "q"
"#;

/// `base` with the given lines (1-based) replaced; a replacement may hold several lines.
fn with_lines(base: &str, replacements: &[(usize, &str)]) -> String {
    let mut lines: Vec<&str> = base.lines().collect();
    for &(number, text) in replacements {
        lines[number - 1] = text;
    }
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// `base` with line `number` (1-based) replaced by `text`.
fn with_line(base: &str, number: usize, text: &str) -> String {
    with_lines(base, &[(number, text)])
}

/// `base` without the lines `numbers` (1-based, inclusive).
fn without_lines(base: &str, numbers: RangeInclusive<usize>) -> String {
    base.lines()
        .enumerate()
        .filter(|(i, _)| !numbers.contains(&(i + 1)))
        .map(|(_, l)| format!("{l}\n"))
        .collect()
}

/// The text from `line`:`column` (1-based, the column in characters) to the end of the file,
/// found without the program's help, to check that a hand-computed position is the intended one.
fn text_at(text: &str, line: usize, column: usize) -> String {
    let rest = text.split('\n').skip(line - 1).collect::<Vec<_>>().join("\n");
    rest.chars().skip(column - 1).collect()
}

/// The error the library gives for `text`, which must be bad.
fn library_error(text: &str) -> InputError {
    match parse_case("case.toml", text).and_then(|case| case.instances(ResourceLimit::default())) {
        Ok(_) => panic!("the case was accepted:\n{text}"),
        Err(e) => e,
    }
}

/// One line, a sentence a person wrote: no debug formatting, no panic text.
fn assert_plain_sentence(message: &str) {
    assert!(
        !message.is_empty() && !message.contains('\n'),
        "not one line: {message:?}"
    );
    for artifact in ["Some(", "None", "Err(", "Ok(", "panicked", "\\\""] {
        assert!(!message.contains(artifact), "{message:?} contains {artifact}");
    }
    assert!(
        message
            .chars()
            .next()
            .is_some_and(|c| c.is_lowercase() || "'[".contains(c)),
        "{message:?} should read as a sentence"
    );
}

fn tnproof(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tnproof"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

/// `tnproof verify case.toml --out out` exits 2, prints exactly `error: case.toml:L:C: message`
/// on stderr and nothing on stdout, and creates no output folder.
fn assert_binary_refuses(contents: &[u8], line: usize, column: usize, message: &str) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("case.toml"), contents).expect("the folder is writable");
    let out = tnproof(dir.path(), &["verify", "case.toml", "--out", "out"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr, format!("error: case.toml:{line}:{column}: {message}\n"));
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!dir.path().join("out").exists(), "an output folder was created");
}

/// `text` is refused at `line`:`column`, where the file reads `at`, with a plain sentence
/// containing each of `says`; the binary refuses it the same way.
fn refused(text: &str, (line, column): (usize, usize), at: &str, says: &[&str]) {
    assert!(
        text_at(text, line, column).starts_with(at),
        "{line}:{column} reads {:?}, not {at:?}",
        text_at(text, line, column)
    );
    let error = library_error(text);
    assert_eq!(
        (error.file.as_str(), error.line, error.column),
        ("case.toml", line, column),
        "{error}"
    );
    for words in says {
        assert!(error.message.contains(words), "{error}\nshould say: {words}");
    }
    assert_plain_sentence(&error.message);
    assert_binary_refuses(text.as_bytes(), line, column, &error.message);
}

#[test]
fn the_listings_are_valid_cases() {
    for (base, points) in [(KHRULKOV, 1), (ALKIN, 1), (RICH, 8)] {
        let case = parse_case("case.toml", base).unwrap_or_else(|e| panic!("{e}"));
        let instances = case
            .instances(ResourceLimit::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(instances.len(), points);
    }
}

// --- TOML itself ---

#[test]
fn malformed_toml_a_second_value_on_a_line() {
    refused(
        &with_line(KHRULKOV, 7, "n = 2 3"),
        (7, 7),
        "3",
        &["this is not valid TOML"],
    );
}

#[test]
fn malformed_toml_an_unterminated_string() {
    // The string runs to the end of line 2, where the closing quote is missing.
    refused(
        &with_line(KHRULKOV, 2, "id = \"t"),
        (2, 8),
        "\nsource",
        &["this is not valid TOML", "string"],
    );
}

#[test]
fn malformed_toml_a_key_given_twice() {
    refused(
        &with_line(KHRULKOV, 8, "n = 3"),
        (8, 1),
        "n = 3",
        &["not valid TOML", "duplicate key `n`"],
    );
}

#[test]
fn an_empty_file() {
    refused("", (1, 1), "", &["no [case] table"]);
}

// --- the tables a case needs ---

#[test]
fn missing_case_table() {
    let text = without_lines(KHRULKOV, 1..=4);
    refused(&text, (1, 1), "[construction]", &["the case file has no [case] table"]);
}

#[test]
fn missing_construction_table() {
    let text = without_lines(KHRULKOV, 5..=17);
    refused(&text, (1, 1), "[case]", &["the case file has no [construction] table"]);
}

#[test]
fn missing_claims() {
    // 17 lines remain; the error points just past the last, where a [[claim]] would go.
    let text = without_lines(KHRULKOV, 18..=21);
    assert_eq!(text.lines().count(), 17);
    refused(&text, (18, 1), "", &["a case needs at least one [[claim]]"]);
}

#[test]
fn a_claim_written_as_a_single_table() {
    refused(
        &with_line(KHRULKOV, 18, "[claim]"),
        (18, 1),
        "[claim]",
        &["'claim' must be an array of tables", "[[claim]]"],
    );
}

// --- unknown kinds and keys ---

#[test]
fn unknown_construction_kind() {
    refused(
        &with_line(KHRULKOV, 6, "kind = \"ttt\""),
        (6, 9),
        "ttt",
        &["unknown construction kind 'ttt'", "did you mean 'tt'?"],
    );
}

#[test]
fn unknown_claim_kind() {
    let text = with_line(KHRULKOV, 19, "kind = \"identity-submatrx\"");
    refused(
        &text,
        (19, 9),
        "identity-submatrx",
        &[
            "unknown claim kind 'identity-submatrx'",
            "did you mean 'identity-submatrix'?",
        ],
    );
}

#[test]
fn unknown_key_in_a_claim_with_a_hint() {
    let text = with_lines(
        KHRULKOV,
        &[(19, "kind = \"matricization-rank\""), (21, "at-lest = \"q^(d/2)\"")],
    );
    refused(
        &text,
        (21, 1),
        "at-lest",
        &[
            "unknown key 'at-lest' in a 'matricization-rank' claim",
            "did you mean 'at-least'?",
        ],
    );
}

#[test]
fn unknown_key_in_the_case_table_with_a_hint() {
    let text = with_line(KHRULKOV, 3, "source = \"test\"\ntitel = \"x\"");
    refused(
        &text,
        (4, 1),
        "titel",
        &["unknown key 'titel' in [case]", "did you mean 'title'?"],
    );
}

#[test]
fn misspelled_required_key_with_a_hint() {
    refused(
        &with_line(KHRULKOV, 2, "ide = \"t\""),
        (2, 1),
        "ide",
        &["unknown key 'ide' in [case]", "did you mean 'id'?"],
    );
}

#[test]
fn claim_without_a_kind() {
    refused(
        &without_lines(KHRULKOV, 19..=19),
        (18, 1),
        "[[claim]]",
        &["[claim] needs the key 'kind'"],
    );
}

#[test]
fn construction_without_a_kind() {
    refused(
        &without_lines(KHRULKOV, 6..=6),
        (5, 1),
        "[construction]",
        &["[construction] needs the key 'kind'"],
    );
}

#[test]
fn equal_core_train_without_its_last_core() {
    refused(
        &without_lines(ALKIN, 17..=17),
        (14, 1),
        "[construction.cores]",
        &["[construction.cores] needs 'last'"],
    );
}

#[test]
fn tensor_train_without_ranks() {
    refused(
        &without_lines(KHRULKOV, 10..=10),
        (5, 1),
        "[construction]",
        &["a 'tt' construction needs 'ranks'"],
    );
}

#[test]
fn rows_and_matricization_together() {
    let text = with_line(KHRULKOV, 20, "matricization = \"odd-even\"\nrows = \"m == 1\"");
    refused(
        &text,
        (21, 1),
        "rows",
        &["give either 'matricization' or 'rows', not both"],
    );
}

#[test]
fn two_rank_relations_together() {
    let text = with_lines(
        KHRULKOV,
        &[
            (19, "kind = \"matricization-rank\""),
            (21, "at-least = \"1\"\nequal = \"2\""),
        ],
    );
    refused(
        &text,
        (22, 1),
        "equal",
        &["a 'matricization-rank' claim takes only one of 'at-least', 'equal', 'at-most'"],
    );
}

#[test]
fn misspelled_construction_key_is_not_taken_for_a_parameter() {
    let text = with_line(KHRULKOV, 10, "rnaks = \"if k % 2 == 1 { r } else { 1 }\"");
    refused(
        &text,
        (10, 1),
        "rnaks",
        &["unknown key 'rnaks' in [construction]", "did you mean 'ranks'?"],
    );
}

#[test]
fn ranks_given_to_an_equal_core_train() {
    refused(
        &with_line(ALKIN, 9, "d = 4\nranks = \"r\""),
        (10, 1),
        "ranks",
        &["'ranks' is for kind 'tt'"],
    );
}

// --- names ---

#[test]
fn unbound_name() {
    // `core = "` is 8 characters, and the `c` is character 41 of the expression.
    let text = with_line(KHRULKOV, 16, "core = \"if k % 2 == 1 { [i == b] } else { [i == c] }\"");
    refused(
        &text,
        (16, 49),
        "c] }",
        &["unknown name 'c'", "the names known here are n, r, d, q, a, i, b, k"],
    );
}

#[test]
fn unbound_name_in_a_branch_no_grid_point_takes() {
    let text = with_line(KHRULKOV, 16, "core = \"if k <= d { [i == b] } else { undefined }\"");
    refused(&text, (16, 39), "undefined", &["unknown name 'undefined'"]);
}

#[test]
fn misspelled_name_with_a_hint() {
    let text = with_line(KHRULKOV, 10, "ranks = \"if k % 2 == 1 { rr } else { 1 }\"");
    refused(&text, (10, 26), "rr }", &["unknown name 'rr' (did you mean 'r'?)"]);
}

#[test]
fn an_index_used_outside_the_expressions_that_bind_it() {
    // `k` is bound in cores, not in a rank bound (it used to leak from the cores' evaluation).
    let text = with_lines(
        KHRULKOV,
        &[(19, "kind = \"matricization-rank\""), (21, "at-least = \"k\"")],
    );
    refused(
        &text,
        (21, 13),
        "k\"",
        &["unknown name 'k'", "the names known here are n, r, d, q"],
    );
}

#[test]
fn parameter_named_like_an_index() {
    refused(
        &with_line(KHRULKOV, 9, "d = 4\ni = 3"),
        (10, 1),
        "i = 3",
        &["'i' cannot be a parameter", "name of an index"],
    );
}

#[test]
fn let_named_like_a_parameter() {
    refused(
        &with_line(KHRULKOV, 13, "n = \"3\""),
        (13, 1),
        "n = ",
        &["'n' cannot be bound in [construction.let]", "already a parameter"],
    );
}

#[test]
fn inner_core_of_an_equal_core_train_depending_on_k() {
    // `inner = "` is 9 characters, and the `k` is character 18 of the expression.
    let text = with_line(ALKIN, 16, "inner = \"[a == i] * [b == k]\"");
    refused(
        &text,
        (16, 27),
        "k]",
        &["the inner core is the same at every position, so it cannot depend on k"],
    );
}

#[test]
fn support_structure_without_a_block_size() {
    let text = with_lines(
        ALKIN,
        &[
            (12, "p = \"min(n, r - 1)\""),
            (20, "kind = \"support-structure\""),
            (21, "path = \"if k % 2 == 1 { i } else { p + 1 }\""),
            (22, ""),
        ],
    );
    refused(&text, (19, 1), "[[claim]]", &["a 'support-structure' claim needs 'q'"]);
}

#[test]
fn an_escape_in_an_expression_string_points_at_the_string() {
    // `\u0062` is `b`: positions inside the decoded text no longer match the file, so the error
    // points at the start of the expression rather than at a wrong column.
    let text = with_line(KHRULKOV, 16, "core = \"[i == \\u0062] * c\"");
    refused(&text, (16, 9), "[i == \\u0062]", &["unknown name 'c'"]);
}

// --- arithmetic ---

#[test]
fn division_by_zero() {
    refused(
        &with_line(KHRULKOV, 13, "q = \"min(n, r) / (r - 2)\""),
        (13, 6),
        "min(n, r) / (r - 2)",
        &["division by zero: 'r - 2' is 0", "(at n=2, r=2, d=4)"],
    );
}

#[test]
fn non_integer_bond_dimension() {
    refused(
        &with_line(KHRULKOV, 10, "ranks = \"r / 4\""),
        (10, 10),
        "r / 4",
        &["the bond dimension r_1 must be an integer, it is 1/2"],
    );
}

#[test]
fn non_integer_block_size() {
    refused(
        &with_line(KHRULKOV, 21, "q = \"n / 4\""),
        (21, 6),
        "n / 4",
        &["q must be an integer, it is 1/2"],
    );
}

#[test]
fn non_integer_bond_value_on_a_support_path() {
    // q = min(2, 3 - 1) = 2, so at even k the path gives (q + 1) / 2 = 3/2.
    let text = with_lines(
        ALKIN,
        &[
            (20, "kind = \"support-structure\""),
            (21, "path = \"if k % 2 == 1 { i } else { (q + 1) / 2 }\""),
        ],
    );
    refused(
        &text,
        (21, 9),
        "if k",
        &["the path's bond value a_2 for i = 1 must be an integer, it is 3/2"],
    );
}

#[test]
fn core_entry_written_as_a_condition() {
    refused(
        &with_line(KHRULKOV, 16, "core = \"i == b\""),
        (16, 9),
        "i == b",
        &["a core entry must be a number, but this is a condition", "[condition]"],
    );
}

#[test]
fn rows_predicate_that_is_not_a_condition() {
    refused(
        &with_line(KHRULKOV, 20, "rows = \"m\""),
        (20, 9),
        "m\"",
        &["'rows' at m = 1 must be a condition", "the number 1"],
    );
}

#[test]
fn fails_where_that_is_not_a_condition() {
    refused(
        &with_line(KHRULKOV, 21, "q = \"q\"\nfails-where = \"n\""),
        (22, 16),
        "n\"",
        &["'fails-where' must be a condition", "the number 2"],
    );
}

// --- sizes and shapes ---

#[test]
fn zero_in_a_list_of_mode_sizes() {
    refused(
        &with_line(KHRULKOV, 7, "n = [2, 0]"),
        (7, 9),
        "0]",
        &["n (the mode size) must be at least 1, it is 0", "(at n=0, r=2, d=4)"],
    );
}

#[test]
fn negative_mode_size() {
    refused(
        &with_line(KHRULKOV, 7, "n = -2"),
        (7, 5),
        "-2",
        &["n (the mode size) must be at least 1, it is -2"],
    );
}

#[test]
fn zero_order() {
    refused(
        &with_line(KHRULKOV, 9, "d = 0"),
        (9, 5),
        "0",
        &["d (the order) must be at least 1, it is 0"],
    );
}

#[test]
fn zero_bond_dimension_parameter() {
    refused(
        &with_line(ALKIN, 8, "r = 0"),
        (8, 5),
        "0",
        &["r (the bond dimension) must be at least 1, it is 0"],
    );
}

#[test]
fn zero_bond_dimension_from_the_ranks_expression() {
    let text = with_line(KHRULKOV, 10, "ranks = \"if k % 2 == 1 { r } else { 0 }\"");
    refused(
        &text,
        (10, 10),
        "if k",
        &["the bond dimension r_2 is 0; bond dimensions must be at least 1"],
    );
}

#[test]
fn negative_rank_bound() {
    let text = with_lines(
        KHRULKOV,
        &[(19, "kind = \"matricization-rank\""), (21, "at-least = \"-1\"")],
    );
    refused(&text, (21, 13), "-1", &["a rank bound must not be negative, it is -1"]);
}

#[test]
fn block_size_larger_than_the_mode_size() {
    refused(
        &with_line(KHRULKOV, 21, "q = \"q + 1\""),
        (21, 6),
        "q + 1",
        &["q = 3 is larger than the mode size 2, so indices 1..q do not exist"],
    );
}

#[test]
fn block_size_zero() {
    refused(
        &with_line(KHRULKOV, 21, "q = \"0\""),
        (21, 6),
        "0",
        &["q must be at least 1"],
    );
}

#[test]
fn equal_core_train_of_order_one() {
    refused(
        &with_line(ALKIN, 9, "d = 1"),
        (9, 5),
        "1",
        &["d (the order of an equal-core tensor train) must be at least 2, it is 1"],
    );
}

#[test]
fn matricization_with_an_unknown_name() {
    let text = with_line(KHRULKOV, 20, "matricization = \"odd-odd\"");
    refused(
        &text,
        (20, 18),
        "odd-odd",
        &["'matricization' must be \"odd-even\"", "give 'rows'"],
    );
}

#[test]
fn a_rows_condition_that_holds_at_no_mode() {
    refused(
        &with_line(KHRULKOV, 20, "rows = \"m > d\""),
        (20, 9),
        "m > d",
        &[
            "'rows' holds at no mode m = 1..4, so the matricization has no row modes",
            "(at n=2, r=2, d=4)",
        ],
    );
}

#[test]
fn a_rows_condition_that_holds_at_every_mode() {
    refused(
        &with_line(KHRULKOV, 20, "rows = \"m <= d\""),
        (20, 9),
        "m <= d",
        &[
            "'rows' holds at every mode m = 1..4, so the matricization has no column modes",
            "(at n=2, r=2, d=4)",
        ],
    );
}

#[test]
fn odd_even_at_an_odd_order_of_the_grid() {
    // d = 2 is fine; at d = 3 the odd modes (1,3) would be rows and (2) the one column mode.
    refused(
        &with_line(KHRULKOV, 9, "d = [2, 3, 4]"),
        (20, 18),
        "odd-even",
        &[
            "the odd/even matricization needs an even order, and d = 3 is odd",
            "X^((1,3),(2))",
            "(at n=2, r=2, d=3)",
        ],
    );
}

#[test]
fn odd_even_at_an_odd_sequence_length() {
    // A generalized network's order is T: T = 2 is fine, T = 3 is not.
    let text = with_lines(
        GENERALIZED,
        &[
            (9, "T = [2, 3]"),
            (20, "kind = \"matricization-rank\""),
            (21, "matricization = \"odd-even\"\nat-least = \"1\""),
        ],
    );
    refused(
        &text,
        (21, 18),
        "odd-even",
        &[
            "the odd/even matricization needs an even order, and T = 3 is odd",
            "(at M=2, T=3)",
        ],
    );
}

#[test]
fn a_matricization_of_an_order_one_tensor() {
    // One mode cannot be split, whether by name or by a condition (which at d = 1 makes the
    // single mode a row mode here).
    let says = [
        "a matricization splits the modes into row modes and column modes, and at d = 1 there is only one mode",
        "(at n=2, r=2, d=1)",
    ];
    refused(&with_line(KHRULKOV, 9, "d = 1"), (20, 18), "odd-even", &says);
    refused(
        &with_lines(KHRULKOV, &[(9, "d = 1"), (20, "rows = \"m == 1\"")]),
        (20, 9),
        "m == 1",
        &says,
    );
}

// --- parameter values ---

#[test]
fn empty_parameter_list() {
    refused(
        &with_line(KHRULKOV, 7, "n = []"),
        (7, 5),
        "[]",
        &["'n' lists no values"],
    );
}

#[test]
fn a_value_listed_twice() {
    refused(
        &with_line(KHRULKOV, 7, "n = [2, 3, 2]"),
        (7, 12),
        "2]",
        &["'n' lists the value 2 twice"],
    );
}

#[test]
fn empty_range() {
    refused(
        &with_line(KHRULKOV, 7, "n = \"6..1\""),
        (7, 6),
        "6..1",
        &["the range \"6..1\" of 'n' is empty"],
    );
}

#[test]
fn parameter_value_a_float() {
    refused(
        &with_line(KHRULKOV, 7, "n = 2.5"),
        (7, 5),
        "2.5",
        &[
            "'n' must be an integer, a list of integers or an inclusive range",
            "found float",
        ],
    );
}

#[test]
fn parameter_value_a_string_in_a_list() {
    refused(
        &with_line(KHRULKOV, 7, "n = [2, \"3\"]"),
        (7, 9),
        "\"3\"",
        &["the values of 'n' must be integers, found string"],
    );
}

#[test]
fn parameter_value_a_word() {
    refused(
        &with_line(KHRULKOV, 7, "n = \"two\""),
        (7, 6),
        "two",
        &["'n' must be an integer", "not \"two\""],
    );
}

#[test]
fn range_with_more_values_than_a_grid_may_have() {
    let text = with_line(KHRULKOV, 9, "d = \"-9223372036854775808..9223372036854775807\"");
    refused(&text, (9, 6), "-922", &["of 'd' has more than 100000 values"]);
}

#[test]
fn grid_with_too_many_points() {
    let text = with_lines(KHRULKOV, &[(7, "n = \"1..1000\""), (8, "r = \"1..1000\"")]);
    refused(
        &text,
        (7, 5),
        "\"1..1000\"",
        &["the parameter grid has more than 100000 points"],
    );
}

// --- expectations ---

#[test]
fn expect_with_a_wrong_word() {
    let text = with_line(KHRULKOV, 21, "q = \"q\"\nexpect = \"fail\"");
    refused(
        &text,
        (22, 11),
        "fail",
        &["'expect' must be \"holds\", \"fails\" or \"undecided\", not \"fail\""],
    );
}

#[test]
fn expect_and_fails_where_together() {
    let text = with_line(KHRULKOV, 21, "q = \"q\"\nexpect = \"fails\"\nfails-where = \"n < r\"");
    refused(
        &text,
        (23, 1),
        "fails-where",
        &["'expect' sets one verdict for the whole grid; give it or the '-where' conditions, not both"],
    );
    // The later of the two keys in the file is the one refused, whichever it is.
    let text = with_line(
        KHRULKOV,
        21,
        "q = \"q\"\nundecided-where = \"n < r\"\nexpect = \"fails\"",
    );
    refused(
        &text,
        (23, 1),
        "expect",
        &["give it or the '-where' conditions, not both"],
    );
}

/// KHRULKOV's claim over the grid n = 2, 3 with the `-where` conditions `lines`, from line 22 on.
fn claim_expected_where(lines: &str) -> String {
    with_lines(KHRULKOV, &[(7, "n = [2, 3]"), (21, &format!("q = \"q\"\n{lines}"))])
}

/// The `-where` conditions may be given together, but where two are true the claim would have
/// two expected verdicts: refused at the second in the file, naming the point. Here they are
/// both true at n = 3 only (at n = 2 only the second is true in the second listing).
#[test]
fn where_conditions_that_overlap_at_a_point() {
    refused(
        &claim_expected_where("fails-where = \"n == 3\"\nundecided-where = \"n >= 3\""),
        (23, 20),
        "n >= 3\"",
        &[
            "'fails-where' and 'undecided-where' are both true here",
            "its '-where' conditions must not overlap",
            "(at n=3, r=2, d=4)",
        ],
    );
    refused(
        &claim_expected_where("undecided-where = \"n == 3\"\nholds-where = \"n >= 2\""),
        (23, 16),
        "n >= 2\"",
        &[
            "'undecided-where' and 'holds-where' are both true here",
            "(at n=3, r=2, d=4)",
        ],
    );
}

/// Conditions that do not overlap give each point its expected verdict; elsewhere the claim is
/// expected to hold, or is a probe when a `holds-where` region is given.
#[test]
fn where_conditions_set_the_expected_verdict_point_by_point() {
    use tnproof::claim::{Expected, Verdict};
    let expected = |lines: &str| -> Vec<Expected> {
        let case = parse_case("case.toml", &claim_expected_where(lines)).unwrap_or_else(|e| panic!("{e}"));
        let instances = case
            .instances(ResourceLimit::default())
            .unwrap_or_else(|e| panic!("{e}"));
        instances.iter().map(|i| i.claims[0].expected).collect()
    };
    assert_eq!(
        expected("undecided-where = \"n == 3\""),
        [Expected::Is(Verdict::Holds), Expected::Is(Verdict::Undecided)]
    );
    assert_eq!(
        expected("fails-where = \"n == 2\"\nundecided-where = \"n == 3\""),
        [Expected::Is(Verdict::Fails), Expected::Is(Verdict::Undecided)]
    );
    assert_eq!(
        expected("undecided-where = \"n == 3\"\nholds-where = \"false\""),
        [Expected::Probe, Expected::Is(Verdict::Undecided)]
    );
}

// --- the numeric cross-check ---

/// KHRULKOV's claim as a rank claim with a `holds-where` region, then `extra`, from line 23 on:
///
/// ```text
/// 19 kind = "matricization-rank"
/// 20 matricization = "odd-even"
/// 21 at-least = "q^(d/2)"
/// 22 holds-where = "n >= 2"
/// 23 ...
/// ```
fn rank_claim_holding_where(extra: &str) -> String {
    with_lines(
        KHRULKOV,
        &[
            (19, "kind = \"matricization-rank\""),
            (
                21,
                &format!("at-least = \"q^(d/2)\"\nholds-where = \"n >= 2\"\n{extra}"),
            ),
        ],
    )
}

#[test]
fn a_holds_where_rank_claim_with_a_good_numeric_cross_check_is_accepted() {
    let case = parse_case(
        "case.toml",
        &rank_claim_holding_where("numeric = true\nsvd-rtol = 1e-10"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(case.claims[0].numeric, Some(Some(1e-10)));
}

#[test]
fn svd_rtol_without_numeric() {
    refused(
        &rank_claim_holding_where("svd-rtol = 1e-10"),
        (23, 12),
        "1e-10",
        &["'svd-rtol' sets the tolerance of 'numeric = true'; give that too"],
    );
}

#[test]
fn svd_rtol_with_numeric_false() {
    refused(
        &rank_claim_holding_where("numeric = false\nsvd-rtol = 1e-10"),
        (24, 12),
        "1e-10",
        &["'svd-rtol' sets the tolerance of 'numeric = true'; this claim has 'numeric = false'"],
    );
}

#[test]
fn a_negative_svd_rtol() {
    refused(
        &rank_claim_holding_where("numeric = true\nsvd-rtol = -1e-10"),
        (24, 12),
        "-1e-10",
        &["'svd-rtol' must be a non-negative number like 1e-10"],
    );
}

#[test]
fn an_svd_rtol_written_as_a_string() {
    refused(
        &rank_claim_holding_where("numeric = true\nsvd-rtol = \"1e-10\""),
        (24, 12),
        "\"1e-10\"",
        &["'svd-rtol' must be a non-negative number like 1e-10"],
    );
}

#[test]
fn numeric_written_as_a_string() {
    refused(
        &rank_claim_holding_where("numeric = \"yes\""),
        (23, 11),
        "\"yes\"",
        &["'numeric' must be true or false"],
    );
}

// --- generalized networks ---

/// A generalized rectifier case, valid: a one-hot network A (M = T = 2) and its RNN form.
///
/// ```text
///  1 [case]
///  2 id = "t"
///  3 source = "test"
///  4
///  5 [construction]
///  6 kind = "generalized"
///  7 xi = "rectifier"
///  8 M = 2
///  9 T = 2
/// 10
/// 11 [construction.compare.A]
/// 12 kind = "one-hot"
/// 13 at = "1"
/// 14
/// 15 [construction.network]
/// 16 kind = "rnn-of"
/// 17 of = "A"
/// 18
/// 19 [[claim]]
/// 20 kind = "grid-tensor-equal"
/// 21 to = "A"
/// ```
const GENERALIZED: &str = r#"[case]
id = "t"
source = "test"

[construction]
kind = "generalized"
xi = "rectifier"
M = 2
T = 2

[construction.compare.A]
kind = "one-hot"
at = "1"

[construction.network]
kind = "rnn-of"
of = "A"

[[claim]]
kind = "grid-tensor-equal"
to = "A"
"#;

#[test]
fn the_generalized_listing_is_valid() {
    let case = parse_case("case.toml", GENERALIZED).expect("parses");
    assert!(case.instances(ResourceLimit::default()).is_ok());
}

#[test]
fn grid_work_over_the_limit_is_refused_before_it_is_done() {
    // A's grid tensor, width 2 (lambda, v_t): for each of the 2 prefixes of length 1 and the 4
    // of length 2, 2 values: 4 + 8 = 12 multiply-adds; inverting F (2^3 = 8) fits under 8.
    let case = parse_case("case.toml", GENERALIZED).expect("parses");
    let tight = ResourceLimit {
        max_grid_work: 8,
        ..ResourceLimit::default()
    };
    let error = case.instances(tight).expect_err("12 multiply-adds are more than 8");
    assert!(
        error.message.contains("take about 12 multiply-adds, more than 8;") && error.message.contains("smaller M, T"),
        "{error}"
    );
    assert_eq!(error.line, 11, "the first network's table: {error}");
}

#[test]
fn inverting_the_features_over_the_limit_is_refused_before_it_is_done() {
    // The one-hot construction inverts the 2 x 2 feature matrix: 2^3 = 8 multiply-adds.
    let case = parse_case("case.toml", GENERALIZED).expect("parses");
    let tight = ResourceLimit {
        max_grid_work: 7,
        ..ResourceLimit::default()
    };
    let error = case.instances(tight).expect_err("8 multiply-adds are more than 7");
    assert!(
        error
            .message
            .contains("inverts the 2 x 2 feature matrix F, about 8 multiply-adds, more than 7;"),
        "{error}"
    );
    assert_eq!(error.line, 11, "the network's table: {error}");
}

#[test]
fn a_floating_point_operator_cannot_be_decided_exactly() {
    refused(
        &with_line(GENERALIZED, 7, "xi = \"softplus\""),
        (7, 7),
        "softplus",
        &["floating point only", "numeric estimates"],
    );
}

#[test]
fn an_unknown_operator() {
    refused(
        &with_line(GENERALIZED, 7, "xi = \"relu\""),
        (7, 7),
        "relu",
        &["unknown operator", "rectifier"],
    );
}

#[test]
fn an_unknown_network_kind() {
    refused(
        &with_line(GENERALIZED, 12, "kind = \"onehot\""),
        (12, 9),
        "onehot",
        &["unknown network kind", "did you mean 'one-hot'"],
    );
}

#[test]
fn a_reference_to_a_network_not_defined_before() {
    refused(
        &with_line(GENERALIZED, 17, "of = \"B\""),
        (17, 7),
        "B",
        &["no network named 'B'", "defined: A"],
    );
}

#[test]
fn a_train_claim_on_a_generalized_network() {
    let text = with_lines(GENERALIZED, &[(20, "kind = \"tt-ranks\""), (21, "equal = \"1\"")]);
    refused(&text, (20, 1), "kind", &["cores of a tensor train", "grid tensor"]);
}

#[test]
fn a_grid_claim_on_a_tensor_train() {
    let text = with_lines(
        KHRULKOV,
        &[
            (19, "kind = \"grid-pattern\""),
            (20, "zero-where = \"false\""),
            (21, ""),
        ],
    );
    refused(
        &text,
        (19, 1),
        "kind",
        &["grid tensor of a generalized network", "'tt'"],
    );
}

#[test]
fn a_generalized_case_without_its_length() {
    refused(
        &without_lines(GENERALIZED, 9..=9),
        (5, 1),
        "[construction]",
        &["needs the parameter 'T'"],
    );
}

#[test]
fn a_network_named_like_a_parameter() {
    let text = with_lines(
        GENERALIZED,
        &[(11, "[construction.compare.M]"), (17, "of = \"M\""), (21, "to = \"M\"")],
    );
    refused(
        &text,
        (11, 1),
        "[construction.compare.M]",
        &["network name 'M' is already a parameter"],
    );
}

/// A condition where the claim needs a value, named once with the first index it fails at.
#[test]
fn a_grid_claim_of_the_wrong_type() {
    refused(
        &with_line(GENERALIZED, 21, "to = \"idx(1) == 1\""),
        (21, 7),
        "idx(1) == 1",
        &["must be a number at every index", "at (1,1) it is not"],
    );
}

/// A rank whose core size overflows 64 bits is refused by the memory estimate (it once
/// overflowed the estimate itself).
#[test]
fn a_rank_too_large_for_any_memory() {
    let text = with_lines(
        GENERALIZED,
        &[(12, "kind = \"expressivity-ii\""), (13, "rank = \"2^62\"")],
    );
    refused(
        &text,
        (13, 9),
        "2^62",
        &["the cores would have", "over the memory limit"],
    );
}

/// F = all ones is singular, and Lemma 4's construction needs F^{-1}.
#[test]
fn a_singular_feature_matrix_where_the_proof_needs_its_inverse() {
    let text = with_line(
        GENERALIZED,
        10,
        "[construction.features]\nkind = \"explicit\"\nentry = \"1\"\n",
    );
    refused(
        &text,
        (14, 1),
        "[construction.compare.A]",
        &["feature matrix F is singular"],
    );
}

// --- not UTF-8 ---

#[test]
fn a_file_that_is_not_utf8() {
    // Line 3 becomes `source = "t<0xFF>est"`: `source = "t` is 11 characters.
    let mut bytes = KHRULKOV.as_bytes().to_vec();
    bytes.insert(
        KHRULKOV.find("source = \"t").expect("line 3") + "source = \"t".len(),
        0xFF,
    );
    assert_binary_refuses(&bytes, 3, 12, "this byte is not UTF-8 text; case files must be UTF-8");
}

// --- memory ---

/// An odd/even rank on n = 10, d = 12 with the cores' sparse support: 10^12 dense entries.
fn sparse_rank_at_depth_12() -> String {
    with_lines(
        KHRULKOV,
        &[
            (7, "n = 10"),
            (9, "d = 12"),
            (19, "kind = \"matricization-rank\""),
            (21, "at-least = \"q^(d/2)\""),
        ],
    )
}

/// The same rank on cores without a zero entry: its rank takes the dense tensor, 10^12 entries.
fn too_large_for_memory() -> String {
    with_line(&sparse_rank_at_depth_12(), 16, "core = \"a + i + b\"")
}

#[test]
fn a_sparse_trains_rank_counts_its_support_not_its_dense_tensor() {
    // Odd cores [i == b] pick b = i <= r = 2, even cores [i == a] have i = a: 2 non-zero paths
    // through each pair of modes, 2^6 = 64 in all. The odd/even matricization is 10^6 x 10^6,
    // so 64 + 2 * 10^6 = 2000064 entries are stored, of 192 bytes: about 366.2 MiB.
    let text = sparse_rank_at_depth_12();
    parse_case("case.toml", &text)
        .and_then(|case| case.instances(ResourceLimit::default()))
        .expect("the support fits the default limit");
    let error = parse_case("case.toml", &text)
        .and_then(|case| case.instances(ResourceLimit::memory(300 << 20)))
        .expect_err("the support does not fit 300 MiB");
    assert_eq!((error.line, error.column), (18, 1), "{error}");
    for words in ["support", "2000064 entries", "about 366.2 MiB", "--max-memory"] {
        assert!(error.message.contains(words), "{error}\nshould say: {words}");
    }
}

#[test]
fn a_dense_tensor_too_large_for_memory_is_refused_up_front_with_the_estimate() {
    let text = too_large_for_memory();
    let start = Instant::now();
    let error = library_error(&text);
    assert!(start.elapsed() < Duration::from_secs(1), "took {:?}", start.elapsed());
    assert_eq!((error.line, error.column), (18, 1), "{error}");
    for words in [
        "1000000000000 entries",
        "about 178813.9 GiB",
        "over the memory limit of 4.0 GiB",
        "--max-memory",
    ] {
        assert!(error.message.contains(words), "{error}\nshould say: {words}");
    }
    let start = Instant::now();
    assert_binary_refuses(text.as_bytes(), 18, 1, &error.message);
    assert!(start.elapsed() < Duration::from_secs(5), "took {:?}", start.elapsed());
}

#[test]
fn an_order_too_large_for_memory_is_refused_before_the_cores_are_built() {
    let text = with_line(KHRULKOV, 9, "d = 1000000000000");
    let start = Instant::now();
    refused(
        &text,
        (16, 9),
        "if k",
        &["the cores would have 2000000000000 entries", "--max-memory"],
    );
    assert!(start.elapsed() < Duration::from_secs(5), "took {:?}", start.elapsed());
}

#[test]
fn max_memory_raises_or_lowers_the_limit() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("case.toml"), KHRULKOV).expect("the folder is writable");
    let ok = tnproof(dir.path(), &["verify", "case.toml", "--out", "out"]);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    assert_eq!(
        std::fs::read_dir(dir.path().join("out"))
            .expect("certificates written")
            .count(),
        1
    );

    let low = ResourceLimit::memory((0.0000001 * (1u64 << 30) as f64) as u128);
    let error = parse_case("case.toml", KHRULKOV)
        .and_then(|c| c.instances(low))
        .expect_err("refused under a tiny limit");
    assert!(
        error.message.contains("--max-memory") && error.message.contains("107 bytes"),
        "{error}"
    );
    let refused = tnproof(
        dir.path(),
        &["verify", "case.toml", "--out", "out2", "--max-memory", "0.0000001"],
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr, format!("error: {error}\n"));
    assert!(refused.stdout.is_empty() && !dir.path().join("out2").exists());
}

// --- every depth at once ---

/// Line 9 of `KHRULKOV` and of `ALKIN` for every even d at once.
const EVERY_EVEN_D: (usize, &str) = (9, "d = \"even\"");

#[test]
fn the_listings_hold_for_every_even_d() {
    for base in [KHRULKOV, ALKIN] {
        let text = with_lines(base, &[EVERY_EVEN_D]);
        let case = parse_case("case.toml", &text).unwrap_or_else(|e| panic!("{e}"));
        let instances = case
            .instances(ResourceLimit::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(instances.len(), 1);
        assert!(instances[0].every_depth.is_some());
    }
}

#[test]
fn a_set_of_depths_misspelled() {
    // `d = "` is 5 characters.
    refused(
        &with_line(KHRULKOV, 9, "d = \"evn\""),
        (9, 6),
        "evn\"",
        &[
            "'d' must be an integer, a list of integers such as [2, 4, 6, 8], an inclusive range like \"2..8\"",
            "\"even\", \"all\", \"even >= K\" or \"all >= K\" (K an integer >= 2); not \"evn\"",
        ],
    );
}

#[test]
fn a_set_of_depths_starting_below_2() {
    refused(
        &with_line(KHRULKOV, 9, "d = \"even >= 1\""),
        (9, 6),
        "even >= 1",
        &["the least depth in \"even >= 1\" is 1", "write K >= 2"],
    );
}

#[test]
fn every_depth_at_once_in_a_random_construction() {
    refused(
        &with_lines(KHRULKOV, &[(6, "kind = \"random-tt\""), EVERY_EVEN_D]),
        (9, 6),
        "even\"",
        &[
            "every depth at once (\"even\") is for the kinds 'tt' and 'tt-equal'",
            "a 'random-tt' construction takes 'd' as an integer, a list of integers or an inclusive range",
        ],
    );
}

#[test]
fn every_depth_at_once_with_a_core_using_k_outside_its_classes() {
    // `core = "` is 8 characters; the second k is character 45 of the expression.
    let core = "core = \"if k % 2 == 1 { [i == b] } else { [i == a + k] }\"";
    refused(
        &with_lines(KHRULKOV, &[EVERY_EVEN_D, (16, core)]),
        (16, 53),
        "k] }",
        &[
            "the core uses k outside k % p (p a positive integer), k == 1 and k == d, so it is not the same for every d",
            "with d = \"even\" it may depend on k only through k % p, k == 1 (the first core) and k == d (the last core)",
            "give d a list such as [2, 4, 6, 8]",
        ],
    );
}

#[test]
fn every_depth_at_once_with_a_core_using_d_outside_k_equal_d() {
    // `core = "` is 8 characters; d is character 47 of the expression.
    let core = "core = \"if k % 2 == 1 { [i == b] } else { [i == a] * [d > 2] }\"";
    refused(
        &with_lines(KHRULKOV, &[EVERY_EVEN_D, (16, core)]),
        (16, 55),
        "d > 2]",
        &["the core uses d outside k == d, so it is not the same for every d"],
    );
}

#[test]
fn every_depth_at_once_with_ranks_comparing_k() {
    // `ranks = "` is 9 characters.
    refused(
        &with_lines(KHRULKOV, &[EVERY_EVEN_D, (10, "ranks = \"if k < 2 { r } else { 1 }\"")]),
        (10, 13),
        "k < 2",
        &["'ranks' uses k outside k % p (p a positive integer), k == 1 and k == d, so the bond dimensions are not the same for every d"],
    );
}

#[test]
fn every_depth_at_once_with_ranks_in_k_modulo_a_parameter() {
    refused(
        &with_lines(
            KHRULKOV,
            &[EVERY_EVEN_D, (10, "ranks = \"if k % n == 1 { r } else { 1 }\"")],
        ),
        (10, 13),
        "k % n",
        &["'ranks' uses k outside k % p (p a positive integer)"],
    );
}

#[test]
fn every_depth_at_once_with_ranks_singling_out_the_first_bond() {
    // r_1 = 1, but r_3 = r = 2 is of the same class k % 2 = 1: no train of every d has that.
    let ranks = "ranks = \"if k == 1 { 1 } else if k % 2 == 1 { r } else { 1 }\"";
    refused(
        &with_lines(KHRULKOV, &[EVERY_EVEN_D, (10, ranks)]),
        (10, 10),
        "if k == 1",
        &[
            "the bond dimensions are not the same for every d: r_1 = 1 but r_3 = 2 has the same class k % 2 = 1",
            "'ranks' cannot single out k == 1",
            "(at n=2, r=2, d=even)",
        ],
    );
}

#[test]
fn every_depth_at_once_with_an_equal_core_using_k() {
    // `first = "` is 9 characters.
    refused(
        &with_lines(ALKIN, &[EVERY_EVEN_D, (15, "first = \"[i == b] * [k == 1]\"")]),
        (15, 22),
        "k == 1]",
        &[
            "the 'first' core of an equal-core train uses k",
            "so it cannot depend on k or d (a 'tt' construction may use k % p, k == 1 and k == d)",
        ],
    );
}

#[test]
fn every_depth_at_once_with_an_equal_core_using_d() {
    // `last = "` is 8 characters.
    refused(
        &with_lines(ALKIN, &[EVERY_EVEN_D, (17, "last = \"[a == i] * [d > 0]\"")]),
        (17, 21),
        "d > 0]",
        &["the 'last' core of an equal-core train uses d"],
    );
}

#[test]
fn every_depth_at_once_with_a_let_using_d() {
    // `q = "` is 5 characters.
    refused(
        &with_lines(KHRULKOV, &[EVERY_EVEN_D, (13, "q = \"min(n, r, d)\"")]),
        (13, 16),
        "d)",
        &["the let 'q' uses d; with d = \"even\" a let has one value for every depth"],
    );
}

#[test]
fn every_depth_at_once_with_a_claim_key_using_d() {
    refused(
        &with_lines(KHRULKOV, &[EVERY_EVEN_D, (21, "q = \"min(q, d)\"")]),
        (21, 13),
        "d)",
        &["'q' uses d; with d = \"even\" the claim is one for every depth, so 'q' cannot depend on d"],
    );
}

#[test]
fn every_depth_at_once_with_an_expected_region_using_d() {
    // `fails-where = "` is 15 characters.
    refused(
        &with_lines(KHRULKOV, &[EVERY_EVEN_D, (21, "q = \"q\"\nfails-where = \"d > 4\"")]),
        (22, 16),
        "d > 4",
        &["'fails-where' uses d; with d = \"even\" the claim is decided for every d at once"],
    );
}

#[test]
fn every_depth_at_once_with_a_support_path_comparing_k() {
    // `path = "` is 8 characters.
    let claim = [
        (20, "kind = \"support-structure\""),
        (21, "path = \"if k < 2 { i } else { q + 1 }\""),
        (22, ""),
    ];
    refused(
        &with_lines(ALKIN, &[&[EVERY_EVEN_D][..], &claim].concat()),
        (21, 12),
        "k < 2",
        &["the path uses k outside k % p (p a positive integer), so it is not the same at every bond of one class k % p"],
    );
}

#[test]
fn every_depth_at_once_with_a_support_path_using_d() {
    // d is character 28 of the expression.
    let claim = [
        (20, "kind = \"support-structure\""),
        (21, "path = \"if k % 2 == 1 { i } else { d }\""),
        (22, ""),
    ];
    refused(
        &with_lines(ALKIN, &[&[EVERY_EVEN_D][..], &claim].concat()),
        (21, 36),
        "d }",
        &["the path uses d, so it is not the same for every d"],
    );
}

#[test]
fn a_claim_not_decided_for_every_depth() {
    let claim = [(19, "kind = \"tt-ranks\""), (20, "equal = \"r\""), (21, "")];
    refused(
        &with_lines(KHRULKOV, &[&[EVERY_EVEN_D][..], &claim].concat()),
        (19, 1),
        "kind",
        &[
            "tt-ranks is not decided for every d at once",
            "a case takes only identity-submatrix, matricization-rank, cp-rank-lower-bound and support-structure claims",
            "give d a list such as [2, 4, 6, 8]",
        ],
    );
}

#[test]
fn an_exact_rank_for_every_depth() {
    let claim = [(19, "kind = \"matricization-rank\""), (21, "equal = \"q^(d/2)\"")];
    refused(
        &with_lines(KHRULKOV, &[&[EVERY_EVEN_D][..], &claim].concat()),
        (21, 1),
        "equal",
        &["a rank is claimed for every d at once as a lower bound only (at-least = \"c^(d/2)\"); 'equal' needs each d on its own"],
    );
}

#[test]
fn a_matricization_by_rows_for_every_depth() {
    let claim = [
        (19, "kind = \"matricization-rank\""),
        (20, "rows = \"m % 2 == 1\""),
        (21, "at-least = \"q^(d/2)\""),
    ];
    refused(
        &with_lines(KHRULKOV, &[&[EVERY_EVEN_D][..], &claim].concat()),
        (20, 1),
        "rows",
        &["on the odd/even matricization only (matricization = \"odd-even\"); 'rows' needs each d on its own"],
    );
}

#[test]
fn a_rank_bound_for_every_depth_not_of_the_form_c_to_the_d_over_2() {
    // `at-least = "` is 12 characters.
    let claim = [(19, "kind = \"matricization-rank\""), (21, "at-least = \"q^d\"")];
    refused(
        &with_lines(KHRULKOV, &[&[EVERY_EVEN_D][..], &claim].concat()),
        (21, 13),
        "q^d\"",
        &[
            "a rank bound is proved for every d at once and must read c^(d/2), with c not depending on d",
            "\"q^d\" is not of that form",
        ],
    );
}

#[test]
fn a_rank_bound_for_every_depth_whose_base_uses_d() {
    let claim = [
        (19, "kind = \"cp-rank-lower-bound\""),
        (21, "at-least = \"(q + d)^(d/2)\""),
    ];
    refused(
        &with_lines(KHRULKOV, &[&[EVERY_EVEN_D][..], &claim].concat()),
        (21, 18),
        "d)^",
        &["the base c of the rank bound c^(d/2) uses d; with d = \"even\" c is one number for every d"],
    );
}

#[test]
fn a_rank_bound_for_every_depth_whose_base_is_0() {
    // q - 2 = 0 at n = r = 2.
    let claim = [
        (19, "kind = \"cp-rank-lower-bound\""),
        (21, "at-least = \"(q - 2)^(d/2)\""),
    ];
    refused(
        &with_lines(KHRULKOV, &[&[EVERY_EVEN_D][..], &claim].concat()),
        (21, 13),
        "(q - 2)",
        &["the base c of the rank bound c^(d/2) is 0; it must be at least 1"],
    );
}

#[test]
fn the_odd_even_matricization_for_every_depth_with_odd_ones() {
    // `matricization = "` is 17 characters.
    refused(
        &with_line(KHRULKOV, 9, "d = \"all\""),
        (20, 18),
        "odd-even\"",
        &["the odd/even matricization needs even d, but d = \"all\" includes odd d; write d = \"even\""],
    );
}

#[test]
fn the_numeric_cross_check_for_every_depth() {
    let claim = [
        (19, "kind = \"matricization-rank\""),
        (21, "at-least = \"q^(d/2)\"\nnumeric = true"),
    ];
    refused(
        &with_lines(KHRULKOV, &[&[EVERY_EVEN_D][..], &claim].concat()),
        (22, 1),
        "numeric",
        &["'numeric' asks for the f64 SVD cross-check of one tensor; with d = \"even\" the claim is about every d at once"],
    );
}

#[test]
fn an_estimate_for_every_depth() {
    let estimate = "q = \"q\"\n[[estimate]]\nkind = \"cp-als\"\nmax-rank = 2";
    refused(
        &with_lines(KHRULKOV, &[EVERY_EVEN_D, (21, estimate)]),
        (22, 1),
        "[[estimate]]",
        &[
            "an ALS estimate is made on one tensor",
            "so the case takes no [[estimate]]",
        ],
    );
}

#[test]
fn an_automaton_of_every_depth_with_too_many_states() {
    // One class of 1100 bond values, depths from 2 (4 length states): S = (3 + 1100) * 4 * 4.
    // `r = ` is 4 characters.
    refused(
        &with_lines(ALKIN, &[EVERY_EVEN_D, (8, "r = 1100")]),
        (8, 5),
        "1100",
        &[
            "with d = \"even\" the claims are decided on automata of up to S = (3 + 1100) * 4 * 4 = 17648 states",
            "over the limit of 4096 states",
        ],
    );
}

#[test]
fn an_automaton_of_every_depth_too_large_for_memory() {
    // S = (3 + 3) * 4 * 4 = 96 states over 3000^2 letters: 96^2 * 9000000 entries of 64 bytes,
    // 5308416000000 bytes = 4943.8 GiB.
    let start = Instant::now();
    refused(
        &with_lines(ALKIN, &[EVERY_EVEN_D, (7, "n = 3000")]),
        (8, 5),
        "3\n",
        &[
            "S = (3 + 3) * 4 * 4 = 96 states",
            "over n^2 = 9000000 pair letters, whose matrices have up to S^2 * n^2 = 82944000000 entries, about 4943.8 GiB, over the memory limit of 4.0 GiB",
            "--max-memory",
        ],
    );
    assert!(start.elapsed() < Duration::from_secs(5), "took {:?}", start.elapsed());
}

#[test]
fn an_automaton_of_every_depth_with_too_long_a_period() {
    let core = "core = \"if k % 2 == 1 { [i == b] } else { [i == a] * [k % 5000 == 0] }\"";
    refused(
        &with_lines(KHRULKOV, &[EVERY_EVEN_D, (16, core)]),
        (10, 10),
        "if k % 2",
        &[
            "the cores repeat with the period P = 5000 (the lcm of the p in k % p)",
            "at least S = (3 + P) * 4 * 4 = 80048 states, over the limit of 4096",
        ],
    );
}

// --- CP networks and CP-rank upper bounds ---

/// The W state at d = 3 as a CP network, with one cp-rank-upper-bound claim. Valid.
///
/// ```text
///  1 [case]
///  2 id = "t"
///  3 source = "test"
///  4
///  5 [construction]
///  6 kind = "cp"
///  7 n = 2
///  8 d = 3
///  9 rank = "d"
/// 10
/// 11 [construction.cores]
/// 12 factor = "[i == 1 + [a == k]]"
/// 13 lambda = "1"
/// 14
/// 15 [[claim]]
/// 16 kind = "cp-rank-upper-bound"
/// 17 at-most = "d"
/// ```
const W_STATE: &str = r#"[case]
id = "t"
source = "test"

[construction]
kind = "cp"
n = 2
d = 3
rank = "d"

[construction.cores]
factor = "[i == 1 + [a == k]]"
lambda = "1"

[[claim]]
kind = "cp-rank-upper-bound"
at-most = "d"
"#;

#[test]
fn the_cp_listing_is_a_valid_case() {
    let case = parse_case("case.toml", W_STATE).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(case.instances(ResourceLimit::default()).map(|i| i.len()), Ok(1));
}

#[test]
fn a_cp_rank_that_is_not_a_positive_integer() {
    refused(
        &with_line(W_STATE, 9, "rank = \"d - 3\""),
        (9, 9),
        "d - 3",
        &["the CP rank R is 0", "positive integer", "(at n=2, d=3)"],
    );
    refused(
        &with_line(W_STATE, 9, "rank = \"d / 2\""),
        (9, 9),
        "d / 2",
        &["the CP rank R must be an integer, it is 3/2"],
    );
    refused(
        &with_line(W_STATE, 9, "rank = \"d > 2\""),
        (9, 9),
        "d > 2",
        &["the CP rank R must be a number, but this is a condition"],
    );
}

#[test]
fn a_cp_factor_using_an_unknown_name() {
    refused(
        &with_line(W_STATE, 12, "factor = \"[i == b]\""),
        (12, 17),
        "b]",
        &["unknown name 'b'", "the names known here are n, d, a, k, i"],
    );
}

#[test]
fn cp_weights_of_the_wrong_use() {
    // A weight belongs to a term: it cannot use a factor's index.
    refused(
        &with_line(W_STATE, 13, "lambda = \"i + 1\""),
        (13, 11),
        "i + 1",
        &["the weight lambda_a belongs to the whole term a", "'i'"],
    );
    // Weights are for kind cp only.
    refused(
        &with_line(KHRULKOV, 16, "core = \"[i == b]\"\nlambda = \"1\""),
        (17, 1),
        "lambda",
        &["unknown key 'lambda' in [construction.cores] of a 'tt' construction"],
    );
    // A weight must be a number.
    refused(
        &with_line(W_STATE, 13, "lambda = \"a == 1\""),
        (13, 11),
        "a == 1",
        &["a weight lambda_a must be a number"],
    );
    // And a 'cp' construction has one rank, no bond dimensions.
    refused(
        &with_line(W_STATE, 9, "rank = \"d\"\nranks = \"2\""),
        (10, 1),
        "ranks",
        &["a 'cp' construction has one rank, 'rank'"],
    );
    refused(
        &with_line(KHRULKOV, 10, "ranks = \"2\"\nrank = \"2\""),
        (11, 1),
        "rank = ",
        &["'rank' is the rank R of a 'cp' construction, not of a 'tt' one"],
    );
}

#[test]
fn a_cp_rank_upper_bound_that_is_not_a_non_negative_integer() {
    refused(
        &with_line(W_STATE, 17, "at-most = \"d - 4\""),
        (17, 12),
        "d - 4",
        &["a CP-rank bound must not be negative, it is -1"],
    );
    refused(
        &with_line(W_STATE, 17, "at-most = \"d / 2\""),
        (17, 12),
        "d / 2",
        &["a CP-rank bound must be an integer, it is 3/2"],
    );
}

#[test]
fn a_cp_rank_upper_bound_naming_a_matricization_on_random_cores() {
    let random = "[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"random-cp\"\nn = 2\nr = 2\nd = 4\nseed = 1\n[[claim]]\nkind = \"cp-rank-upper-bound\"\nrows = \"m == 1\"\nat-most = \"2\"\n";
    refused(
        random,
        (12, 1),
        "rows",
        &["on 'random-cp' cores a cp-rank-upper-bound claim is decided by the bound every draw has"],
    );
}

/// The decomposition is sized before it is built: a train with bonds 4 at d = 10 has 4^9 = 262144
/// bond paths, and with all-ones cores (every fiber has n = 2 non-zero entries) they cost
/// 262144 * 2^10 products; a train with bonds 2 at n = 3, d = 14 has 2^13 = 8192 paths, within
/// the limit, but 8192 * 3^14 = 39182082048 products.
#[test]
fn a_decomposition_too_large_to_check() {
    let train = |n: i64, r: i64, d: i64| {
        format!("[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"tt\"\nn = {n}\nd = {d}\nranks = \"{r}\"\n[construction.cores]\ncore = \"1\"\n[[claim]]\nkind = \"cp-rank-upper-bound\"\nat-most = \"1\"\n")
    };
    refused(
        &train(2, 4, 10),
        (11, 1),
        "[[claim]]",
        &[
            "would have 262144 bond paths",
            "cost 268435456 products",
            "over the limits of 65536 terms and 16777216 products",
        ],
    );
    refused(
        &train(3, 2, 14),
        (11, 1),
        "[[claim]]",
        &["would have 8192 bond paths", "cost 39182082048 products"],
    );
}

// --- several files ---

#[test]
fn a_good_and_a_bad_file_together_write_nothing() {
    // Files run in name order, so the good one comes first; the bad one fails only once its
    // grid is expanded (division by zero), and still no certificate of the good one is written.
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("a-good.toml"), KHRULKOV).expect("the folder is writable");
    std::fs::write(
        dir.path().join("b-bad.toml"),
        with_lines(KHRULKOV, &[(2, "id = \"u\""), (13, "q = \"min(n, r) / (r - 2)\"")]),
    )
    .expect("the folder is writable");
    let out = tnproof(dir.path(), &["verify", "a-good.toml", "b-bad.toml", "--out", "out"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: b-bad.toml:13:6: division by zero"),
        "{stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn two_case_files_with_one_id_are_refused_before_any_work() {
    // Both files are valid and found in one folder; the second in name order is refused at its
    // id, naming the first, before any claim is decided.
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(dir.path().join("cases")).expect("the folder is writable");
    std::fs::write(dir.path().join("cases/a.toml"), KHRULKOV).expect("the folder is writable");
    let second = with_line(KHRULKOV, 8, "r = 3");
    assert!(text_at(&second, 2, 7).starts_with("t\""));
    std::fs::write(dir.path().join("cases/b.toml"), second).expect("the folder is writable");
    let out = tnproof(dir.path(), &["verify", "cases", "--out", "out"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr,
        "error: cases/b.toml:2:7: the case id 't' is already the id of cases/a.toml; \
         certificates are named by the id, so each case needs its own\n"
    );
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!dir.path().join("out").exists());
}

// --- no text makes the reader panic or point outside the file ---

/// Parses and expands `text`; an error must point at a character of the file or just past the
/// end of a line, and be one plain line. The limit is small so that mutations which grow a size
/// are refused quickly instead of building large cores.
fn assert_total(text: &str) {
    let limit = ResourceLimit::memory(1 << 24);
    if let Err(e) = parse_case("case.toml", text).and_then(|case| case.instances(limit)) {
        let line = text
            .split('\n')
            .nth(e.line - 1)
            .unwrap_or_else(|| panic!("{e}: line {} is past the end of the file", e.line));
        assert!(
            e.line >= 1 && e.column >= 1 && e.column <= line.chars().count() + 1,
            "{e}: column {} is outside line {:?}",
            e.column,
            line
        );
        assert!(e.line <= text.lines().count() + 1);
        assert!(!e.message.is_empty() && !e.message.contains('\n'), "{e:?}");
    }
}

/// One edit of a valid case: delete, insert or replace a character or a token at a position.
#[derive(Clone, Debug)]
enum Edit {
    DeleteChar(usize),
    InsertChar(usize, char),
    ReplaceChar(usize, char),
    DeleteToken(usize),
    InsertToken(usize, &'static str),
    ReplaceToken(usize, &'static str),
}

/// Tokens worth inserting anywhere: pieces of case files and expressions, edge values.
const TOKENS: &[&str] = &[
    "[",
    "]",
    "[[claim]]",
    "\"",
    "'",
    "=",
    "\n",
    "#",
    "0",
    "-1",
    "2.5",
    "99",
    "1..3",
    "6..1",
    "k",
    "i",
    "m",
    "q",
    "r",
    "/ 0",
    "% 0",
    "^",
    "(",
    "{",
    "if",
    "else",
    "\\u0062",
    "\"\"\"",
    "é",
    "kind",
    "tt-equal",
    "expect = \"fails\"",
];

/// Tokens worth inserting into a value, keeping the TOML valid: names, operators, edge numbers.
const VALUE_TOKENS: &[&str] = &[
    "0",
    "-1",
    "1",
    "2",
    "3",
    "7",
    "99",
    "100000",
    "9223372036854775807",
    "1/2",
    "k",
    "i",
    "a",
    "b",
    "m",
    "q",
    "r",
    "n",
    "d",
    "half",
    "/ 0",
    "% 0",
    "^",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "if",
    "else",
    "==",
    "<=",
    "&&",
    "||",
    "!",
    "min(",
    "max(",
    ",",
    "..",
    "+",
    "-",
    "*",
    "/",
];

/// Any character at all, with the interesting ones often.
fn any_character() -> BoxedStrategy<char> {
    prop_oneof![proptest::char::range(' ', '~'), Just('\n'), Just('é'), any::<char>()].boxed()
}

/// Characters of expressions and numbers, none that would end a TOML string.
fn value_character() -> BoxedStrategy<char> {
    proptest::sample::select("0123456789+-*/%^()[]{}<>=!&|,. abdikmnqr".chars().collect::<Vec<_>>()).boxed()
}

fn edit(character: BoxedStrategy<char>, tokens: &'static [&'static str]) -> impl Strategy<Value = Edit> {
    let position = any::<usize>();
    let token = proptest::sample::select(tokens.to_vec());
    prop_oneof![
        position.prop_map(Edit::DeleteChar),
        (position, character.clone()).prop_map(|(p, c)| Edit::InsertChar(p, c)),
        (position, character).prop_map(|(p, c)| Edit::ReplaceChar(p, c)),
        position.prop_map(Edit::DeleteToken),
        (position, token.clone()).prop_map(|(p, t)| Edit::InsertToken(p, t)),
        (position, token).prop_map(|(p, t)| Edit::ReplaceToken(p, t)),
    ]
}

/// Applies `edit` to `text`; positions are taken modulo the number of characters or tokens.
fn apply(text: &str, edit: &Edit) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    // Tokens: maximal runs of non-whitespace, as (start, end) character ranges.
    let tokens: Vec<(usize, usize)> = {
        let mut spans = Vec::new();
        let mut start = None;
        for (i, c) in chars.iter().chain([' '].iter()).enumerate() {
            match (c.is_whitespace(), start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    spans.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        spans
    };
    let at = |p: usize, len: usize| if len == 0 { 0 } else { p % len };
    match *edit {
        Edit::DeleteChar(p) if !chars.is_empty() => {
            chars.remove(at(p, chars.len()));
        }
        Edit::InsertChar(p, c) => chars.insert(at(p, chars.len() + 1), c),
        Edit::ReplaceChar(p, c) if !chars.is_empty() => {
            let i = at(p, chars.len());
            chars[i] = c;
        }
        Edit::DeleteToken(p) if !tokens.is_empty() => {
            let (s, e) = tokens[at(p, tokens.len())];
            chars.drain(s..e);
        }
        Edit::InsertToken(p, t) => {
            let i = at(p, chars.len() + 1);
            chars.splice(i..i, t.chars());
        }
        Edit::ReplaceToken(p, t) if !tokens.is_empty() => {
            let (s, e) = tokens[at(p, tokens.len())];
            chars.splice(s..e, t.chars());
        }
        _ => {}
    }
    chars.into_iter().collect()
}

/// `text` with `edit` applied inside the value of its `which`-th `key = value` line (modulo
/// their number), within the quotes of a string value.
fn apply_to_value(text: &str, which: usize, edit: &Edit) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let values: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].contains(" = ")).collect();
    if values.is_empty() {
        return text.to_string();
    }
    let line = &mut lines[values[which % values.len()]];
    let (key, value) = line.split_once(" = ").expect("chosen for its ' = '");
    let quoted = value.len() >= 2 && value.starts_with('"') && value.ends_with('"');
    let inner = if quoted { &value[1..value.len() - 1] } else { value };
    let edited = apply(inner, edit);
    *line = if quoted {
        format!("{key} = \"{edited}\"")
    } else {
        format!("{key} = {edited}")
    };
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// A valid case with every claim kind, both matricizations, `fails-where` and `expect`.
const RICH: &str = r#"[case]
id = "rich"
title = "every claim kind"
source = "test"

[construction]
kind = "tt-equal"
n = [2, 3]
r = "2..3"
d = [2, 4]

[construction.let]
q = "min(n, r - 1)"
half = "d / 2"

[construction.cores]
first = "[i == b]"
inner = '''if a <= q { [a == i] * [b == q + 1] }
else if a == q + 1 { [i == b] } else { 0 }'''
last = "[a == i]"

[[claim]]
kind = "identity-submatrix"
matricization = "odd-even"
q = "q"

[[claim]]
kind = "matricization-rank"
rows = "m <= half"
at-most = "n^half"

[[claim]]
kind = "cp-rank-lower-bound"
matricization = "odd-even"
at-least = 1

[[claim]]
kind = "support-structure"
path = "if k % 2 == 1 { i } else { q + 1 }"

[[claim]]
kind = "tt-ranks"
equal = "r"
fails-where = "n < r || d > 2"

[[claim]]
kind = "tt-ranks"
at-most = "r"
expect = "holds"
"#;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        assert_total(&text);
    }

    #[test]
    fn toml_like_text_never_panics(text in "([a-z]{1,6} = (\"[a-z0-9 +*/%^()\\[\\]=<>!&|{}.-]{0,20}\"|[0-9-]{1,4}|\\[[0-9, ]{0,8}\\])\n|\\[{1,2}(case|construction|construction\\.let|construction\\.cores|claim)\\]{1,2}\n){0,12}") {
        assert_total(&text);
    }

    #[test]
    fn mutated_cases_never_panic(
        base in proptest::sample::select(vec![KHRULKOV, ALKIN, RICH]),
        edits in proptest::collection::vec(edit(any_character(), TOKENS), 1..4),
    ) {
        let text = edits.iter().fold(base.to_string(), |text, e| apply(&text, e));
        assert_total(&text);
    }

    #[test]
    fn mutated_values_never_panic(
        base in proptest::sample::select(vec![KHRULKOV, ALKIN, RICH]),
        edits in proptest::collection::vec((any::<usize>(), edit(value_character(), VALUE_TOKENS)), 1..4),
    ) {
        let text = edits.iter().fold(base.to_string(), |text, (which, e)| apply_to_value(&text, *which, e));
        assert_total(&text);
    }
}

// --- HT networks: trees, forms, ranks ---

/// Cohen's convac witness on the tree ((1,2),(3,4)) at n = r = 2, d = 4. Valid.
///
/// ```text
///  1 [case]
///  2 id = "t"
///  3 source = "test"
///  4
///  5 [construction]
///  6 kind = "ht"
///  7 tree = "((1,2),(3,4))"
///  8 form = "convac"
///  9 n = 2
/// 10 r = 2
/// 11 d = 4
/// 12
/// 13 [construction.cores]
/// 14 leaf = "[i == p]"
/// 15 node = "if level == 1 { [p == 1] } else { [alpha == 1 && p == 1] }"
/// 16
/// 17 [[claim]]
/// 18 kind = "matricization-rank"
/// 19 matricization = "odd-even"
/// 20 equal = "min(n, r)^(d/2)"
/// ```
const CONVAC: &str = r#"[case]
id = "t"
source = "test"

[construction]
kind = "ht"
tree = "((1,2),(3,4))"
form = "convac"
n = 2
r = 2
d = 4

[construction.cores]
leaf = "[i == p]"
node = "if level == 1 { [p == 1] } else { [alpha == 1 && p == 1] }"

[[claim]]
kind = "matricization-rank"
matricization = "odd-even"
equal = "min(n, r)^(d/2)"
"#;

#[test]
fn the_convac_listing_is_a_valid_case() {
    let case = parse_case("case.toml", CONVAC).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(case.instances(ResourceLimit::default()).unwrap().len(), 1);
}

#[test]
fn a_tree_that_repeats_a_mode() {
    // `tree = "` is 8 characters; the second 3 is byte 10 of the tree.
    let text = with_line(CONVAC, 7, r#"tree = "((1,2),(3,3))""#);
    refused(&text, (7, 19), "3))", &["mode 3 is listed twice", "order 4"]);
}

#[test]
fn a_tree_that_misses_a_mode() {
    let text = with_line(CONVAC, 7, r#"tree = "((1,2),3)""#);
    refused(&text, (7, 18), "\"", &["mode 4 is missing", "modes 1..4"]);
}

#[test]
fn a_tree_with_a_mode_the_order_does_not_have() {
    let text = with_line(CONVAC, 7, r#"tree = "((1,2),(3,5))""#);
    refused(&text, (7, 19), "5))", &["mode 5 does not exist"]);
}

#[test]
fn a_tree_node_of_arity_one() {
    let text = with_line(CONVAC, 7, r#"tree = "((1),(2,3,4))""#);
    refused(&text, (7, 10), "(1)", &["single child"]);
}

#[test]
fn a_tree_that_is_not_a_list() {
    let text = with_line(CONVAC, 7, r#"tree = "pairs""#);
    refused(&text, (7, 9), "pairs", &["contiguous", "mirror"]);
}

#[test]
fn a_named_geometry_at_an_order_not_a_power_of_two() {
    let text = with_lines(CONVAC, &[(7, r#"tree = "mirror""#), (11, "d = 6")]);
    refused(&text, (7, 9), "mirror", &["power of 2", "d = 6"]);
}

#[test]
fn convac_children_of_different_ranks() {
    // ((1,2),3,4) with rank level + 1: the root's children have ranks 2, 1, 1.
    let text = with_lines(
        CONVAC,
        &[
            (7, r#"tree = "((1,2),3,4)""#),
            (8, "form = \"convac\"\nranks = \"level + 1\""),
        ],
    );
    refused(&text, (9, 10), "level + 1", &["have ranks (2,1,1)", "must be equal"]);
}

#[test]
fn a_node_rank_of_zero() {
    let text = with_line(CONVAC, 8, "form = \"convac\"\nranks = \"level\"");
    refused(&text, (9, 10), "level", &["rank of node 1 (level 0)", "at least 1"]);
}

#[test]
fn an_unknown_node_form() {
    let text = with_line(CONVAC, 8, r#"form = "tucker""#);
    refused(&text, (8, 9), "tucker", &["general", "convac"]);
}

#[test]
fn a_tree_on_a_tensor_train() {
    let text = with_line(KHRULKOV, 10, r#"tree = "((1,2),(3,4))""#);
    refused(&text, (10, 1), "tree", &["'tree' is for HT constructions"]);
}

#[test]
fn a_parameter_named_like_an_ht_index() {
    let text = with_line(CONVAC, 9, "n = 2\nlevel = 2");
    refused(
        &text,
        (10, 9),
        "2",
        &["'level' is bound inside the expressions of an HT construction"],
    );
}

#[test]
fn a_node_expression_with_an_unknown_name() {
    let text = with_line(CONVAC, 15, r#"node = "[beta == p]""#);
    refused(&text, (15, 10), "beta", &["unknown name 'beta'", "alpha"]);
}

#[test]
fn an_ht_network_too_large_for_memory() {
    // A tree over 10^9 modes has about 2 10^9 nodes of at least n = 2 entries: refused before
    // the tree is read, at the tree.
    let text = with_line(CONVAC, 11, "d = 1000000000");
    refused(
        &text,
        (7, 9),
        "((1,2)",
        &[
            "the node tensors would have 4000000000 entries",
            "over the memory limit",
        ],
    );
}

/// The convac listing with its claim (lines 18-20) replaced by `claim`.
fn convac_claim(claim: &str) -> String {
    with_lines(CONVAC, &[(18, claim), (19, ""), (20, "")])
}

#[test]
fn a_conversion_to_an_unknown_kind() {
    let text = convac_claim("kind = \"conversion\"\nto = \"cp\"\nat-most = \"4\"");
    refused(
        &text,
        (19, 7),
        "cp",
        &["'to' of a conversion is \"tt\" or \"ht\", found \"cp\""],
    );
}

#[test]
fn a_conversion_to_a_train_with_a_tree() {
    let text = convac_claim("kind = \"conversion\"\nto = \"tt\"\ntree = \"balanced\"\nat-most = \"4\"");
    refused(&text, (20, 1), "tree", &["a conversion to a TT takes no 'tree'"]);
}

#[test]
fn a_conversion_of_an_ht_network_to_another_tree() {
    let text = convac_claim("kind = \"conversion\"\nto = \"ht\"\ntree = \"mirror\"\nat-most = \"4\"");
    refused(
        &text,
        (21, 12),
        "4",
        &["converts to an HT over its own tree ((1,2),(3,4)) only, not over ((1,4),(2,3))"],
    );
}

#[test]
fn a_conversion_bound_with_an_index_of_the_other_kind() {
    // A TT's bonds are numbered by k; level belongs to the nodes of an HT.
    let text = convac_claim("kind = \"conversion\"\nto = \"tt\"\nat-most = \"level\"");
    refused(&text, (20, 12), "level", &["unknown name 'level'"]);
}

#[test]
fn a_conversion_too_large_for_memory() {
    // A train of bonds r = 100 on the balanced tree: leaves 1 and 4 are n r = 200 entries, leaves
    // 2 and 3 n r^2 = 20000; the node (1,2) joins leaf 1 (bond 1, r) and leaf 2 (bonds 1 and 2,
    // r^2) into bond 2 (r), r^4 = 10^8 entries, and (3,4) likewise; the root r^2 = 10^4. In all
    // 200 050 400 entries, refused up front.
    let text = "[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"random-tt\"\nn = 2\nr = 100\nd = 4\nseed = 1\n[[claim]]\nkind = \"conversion\"\nto = \"ht\"\nat-most = \"r^2\"\n";
    refused(
        text,
        (13, 12),
        "r^2",
        &["the converted network's tensors would have 200050400 entries"],
    );
}

/// A drawn train with n = 10, d = 8: its odd/even rank stores 10^8 residues and their
/// matricization, 16 bytes an entry, 1.6 * 10^9 bytes = about 1.5 GiB: within the default 4 GiB,
/// refused at 1 GiB; asking for the f64 cross-check adds 48 bytes an entry (about 4.5 GiB), over
/// the default.
#[test]
fn a_drawn_rank_counts_its_residues() {
    let case = "[case]\nid = \"t\"\nsource = \"t\"\n[construction]\nkind = \"random-tt-equal\"\nn = 10\nr = 20\nd = 8\nseed = 1\n\
        [[claim]]\nkind = \"matricization-rank\"\nmatricization = \"odd-even\"\nequal = \"cut\"\n";
    parse_case("case.toml", case)
        .and_then(|case| case.instances(ResourceLimit::default()))
        .expect("the residues fit the default limit");
    let error = parse_case("case.toml", case)
        .and_then(|case| case.instances(ResourceLimit::memory(1 << 30)))
        .expect_err("the residues do not fit 1 GiB");
    assert_eq!(error.line, 10, "{error}");
    for words in ["residues mod p", "100000000 entries", "about 1.5 GiB", "--max-memory"] {
        assert!(error.to_string().contains(words), "{words}: {error}");
    }
    let numeric = format!("{case}numeric = true\n");
    let error = parse_case("case.toml", &numeric)
        .and_then(|case| case.instances(ResourceLimit::default()))
        .expect_err("the cross-check does not fit 4 GiB");
    for words in ["f64 cross-check", "about 4.5 GiB"] {
        assert!(error.to_string().contains(words), "{words}: {error}");
    }
}
