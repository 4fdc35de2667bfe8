//! The module graph: every reference from one top-level module of `src/` to another points up the
//! module table of DESIGN.md (listed bottom up), never down. This file holds its own copy of that
//! table; a new top-level module must be added to it. It reads source text only (`std::fs`), and
//! sees `crate::` paths (`use` lines, `{...}` groups, inline paths) and the binary's `tnproof::`.

use std::fs;
use std::path::{Path, PathBuf};

/// Which modules a row of the table may use.
enum Uses {
    /// The rows above it (and itself).
    Above,
    /// Every row of the table.
    Everything,
}

/// DESIGN.md's module table, bottom up: a module may use the ones above it, never one below.
const TABLE: &[(&str, Uses)] = &[
    ("field", Uses::Above),
    ("expr", Uses::Above),
    ("tensor", Uses::Above),
    ("linalg", Uses::Above),
    ("network", Uses::Above),
    ("automaton", Uses::Above),
    ("draw", Uses::Above),
    ("claim", Uses::Above),
    ("estimate", Uses::Above),
    ("case", Uses::Above),
    ("certificate", Uses::Above),
    ("data", Uses::Above),
    ("run", Uses::Above),
    ("sweep", Uses::Above),
    ("experiment", Uses::Above),
    ("table2", Uses::Above),
    ("cli", Uses::Everything),
];

/// A reference from a module's file to a module it may not use.
#[derive(Debug, PartialEq, Eq)]
struct Violation {
    /// 1-based line of the referenced module's name.
    line: usize,
    to: String,
    why: Why,
}

#[derive(Debug, PartialEq, Eq)]
enum Why {
    /// The module referred to is further down the table than the one referring to it.
    Below,
    /// The module referred to is not in the table.
    NotInTable,
}

fn row(module: &str) -> Option<usize> {
    TABLE.iter().position(|(name, _)| *name == module)
}

/// Whether `from` (a row of the table) may use `to` (a row of the table).
fn may_use(from: usize, to: usize) -> bool {
    from == to
        || match &TABLE[from].1 {
            Uses::Above => to < from,
            Uses::Everything => true,
        }
}

/// Every reference in `text` (the source of a file of module `from`, a row of the table) to a
/// module it may not use.
fn violations(from: &str, text: &str) -> Vec<Violation> {
    let from = row(from).unwrap_or_else(|| panic!("module `{from}` is not in the table"));
    references(text)
        .into_iter()
        .filter_map(|(line, to)| {
            let why = match row(&to) {
                None => Why::NotInTable,
                Some(to) if !may_use(from, to) => Why::Below,
                Some(_) => return None,
            };
            Some(Violation { line, to, why })
        })
        .collect()
}

/// The top-level modules named in code after `crate::` (or `tnproof::`, the binary's name for the
/// library), with their 1-based lines: `crate::a::...`, and each member of `crate::{a, b::c}`.
fn references(text: &str) -> Vec<(usize, String)> {
    let code = code_only(text);
    let mut found = Vec::new();
    for prefix in ["crate::", "tnproof::"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(prefix).map(|i| from + i) {
            from = at + prefix.len();
            if code[..at].ends_with(is_ident) {
                continue;
            }
            let rest = code[from..].trim_start();
            let start = code.len() - rest.len();
            if let Some(group) = rest.strip_prefix('{') {
                let mut depth = 0;
                let mut item_start = true;
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => item_start = true,
                        c if c.is_whitespace() => {}
                        _ if item_start => {
                            item_start = false;
                            let at = start + 1 + i;
                            found.push((at, ident_at(&code, at)));
                        }
                        _ => {}
                    }
                }
            } else {
                found.push((start, ident_at(&code, start)));
            }
        }
    }
    found.sort();
    found.into_iter().map(|(at, name)| (line_of(&code, at), name)).collect()
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn ident_at(code: &str, at: usize) -> String {
    code[at..].chars().take_while(|&c| is_ident(c)).collect()
}

fn line_of(code: &str, at: usize) -> usize {
    1 + code[..at].matches('\n').count()
}

/// `text` with comments and the contents of string and character literals blanked to spaces
/// (newlines kept, so its lines are those of `text`).
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    let blank_str = |out: &mut String, s: &[char]| s.iter().for_each(|&c| blank(out, c));
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let after_ident = i > 0 && is_ident(chars[i - 1]);
        let end = if c == '/' && next == Some('/') {
            chars[i..]
                .iter()
                .position(|&c| c == '\n')
                .map_or(chars.len(), |n| i + n)
        } else if c == '/' && next == Some('*') {
            let (mut depth, mut j) = (0, i);
            while j < chars.len() {
                match (chars[j], chars.get(j + 1)) {
                    ('/', Some('*')) => (depth, j) = (depth + 1, j + 2),
                    ('*', Some('/')) => (depth, j) = (depth - 1, j + 2),
                    _ => j += 1,
                }
                if depth == 0 {
                    break;
                }
            }
            j
        } else if c == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            j + 1
        } else if c == 'r' && !after_ident && matches!(next, Some('"' | '#')) {
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                i + 1
            } else {
                let close: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
                let body: String = chars[i + 2 + hashes..].iter().collect();
                body.find(&close).map_or(chars.len(), |n| {
                    i + 2 + hashes + body[..n].chars().count() + close.len()
                })
            }
        } else if c == '\'' && next == Some('\\') {
            chars[i + 3..]
                .iter()
                .position(|&c| c == '\'')
                .map_or(chars.len(), |n| i + 4 + n)
        } else if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            i + 3
        } else {
            out.push(c);
            i += 1;
            continue;
        };
        let end = end.min(chars.len());
        blank_str(&mut out, &chars[i..end]);
        i = end;
    }
    out
}

/// The top-level module a file of `src/` belongs to: `src/foo.rs` and `src/foo/**` are `foo`,
/// `src/main.rs` and `src/cli/**` are `cli`; `src/lib.rs` (only `mod` lines) belongs to none.
fn module_of(relative: &Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    match first {
        "lib.rs" => None,
        "main.rs" => Some("cli".to_string()),
        name => Some(name.strip_suffix(".rs").unwrap_or(name).to_string()),
    }
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn imports_point_up_the_module_table() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for path in &files {
        let relative = path.strip_prefix(&src).unwrap();
        let Some(from) = module_of(relative) else { continue };
        if row(&from).is_none() {
            problems.push(format!(
                "src/{}: module `{from}` is not in the table",
                relative.display()
            ));
            continue;
        }
        for v in violations(&from, &fs::read_to_string(path).unwrap()) {
            let why = match v.why {
                Why::Below => "further down the table",
                Why::NotInTable => "not in the table",
            };
            problems.push(format!(
                "src/{}:{}: `{from}` uses `{}`, {why}",
                relative.display(),
                v.line,
                v.to
            ));
        }
    }
    assert!(
        files.len() > 20,
        "found only {} files under {}",
        files.len(),
        src.display()
    );
    assert!(
        problems.is_empty(),
        "imports against the module table:\n{}",
        problems.join("\n")
    );
}

#[test]
fn an_import_from_further_down_is_reported() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let linalg = fs::read_to_string(src.join("linalg.rs")).unwrap();
    assert_eq!(violations("linalg", &linalg), []);
    let lines: Vec<&str> = linalg.lines().collect();
    let at = lines.iter().position(|l| l.starts_with("use ")).unwrap();
    let injected = [&lines[..at], &["use crate::claim::Claim;"], &lines[at..]]
        .concat()
        .join("\n");
    let expected = Violation {
        line: at + 1,
        to: "claim".to_string(),
        why: Why::Below,
    };
    assert_eq!(violations("linalg", &injected), [expected]);
}

#[test]
fn groups_and_inline_paths_are_seen_and_comments_and_strings_are_not() {
    let text = "\
//! Mentions crate::claim in a doc comment.
use crate::{
    field::Q,
    run::{decide, RunError},
};
/* crate::sweep in a block /* nested */ crate::sweep */
fn f() -> usize {
    let _ = \"crate::case\";
    let _ = r#\"crate::case\"#;
    let _ = ('\"', '\\'');
    crate::experiment::run() + crate::linalg::rank() + crate::widget::size() // crate::certificate
}
";
    let found = violations("linalg", text);
    let expected = [
        (4, "run", Why::Below),
        (11, "experiment", Why::Below),
        (11, "widget", Why::NotInTable),
    ];
    let expected: Vec<Violation> = expected
        .into_iter()
        .map(|(line, to, why)| Violation {
            line,
            to: to.to_string(),
            why,
        })
        .collect();
    assert_eq!(found, expected);
    assert_eq!(references("use crate::{field::Q, tensor::{Matrix, Tensor}};").len(), 2);
    assert_eq!(violations("cli", "use tnproof::claim::Claim;\nuse crate::cli::x;"), []);
}

/// The kernel crate is the table's last row, outside `src/`: it may depend on the exact integers
/// and rationals and SHA-256 only, so it cannot reach tnproof's code, rug, nalgebra, rayon, toml
/// or clap. Read from its manifest's `[dependencies]` table.
#[test]
fn the_kernel_crate_depends_on_num_and_sha2_only() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("kernel").join("Cargo.toml");
    let text = fs::read_to_string(&manifest).unwrap();
    let mut section = "";
    let mut dependencies = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line;
        } else if section.ends_with("dependencies]") && !line.is_empty() && !line.starts_with('#') {
            dependencies.push((
                section.to_string(),
                line.split(['=', ' ', '.']).next().unwrap_or("").to_string(),
            ));
        }
    }
    let allowed = ["num-bigint", "num-rational", "num-integer", "num-traits", "sha2"];
    let others: Vec<_> = dependencies
        .iter()
        .filter(|(_, name)| !allowed.contains(&name.as_str()))
        .collect();
    assert!(
        others.is_empty(),
        "{}: the kernel may not depend on {others:?}",
        manifest.display()
    );
    assert_eq!(dependencies.len(), allowed.len(), "{dependencies:?}");
}
