#![allow(dead_code)] // each test binary uses its own part of these helpers
//! Shared by the integration tests: run a case given as TOML text.

use tnproof::case::{parse_case, ResourceLimit};
use tnproof::certificate::{core_sha256, InstanceResult};
use tnproof::field::q_text;
use tnproof::network::Core;
use tnproof::run::decide;

/// Parses, expands and decides a case written inline; panics on bad input (tests give good input).
pub fn run_case(text: &str) -> Vec<InstanceResult> {
    let case = parse_case("test.toml", text).unwrap_or_else(|e| panic!("{e}"));
    decide(
        case.instances(ResourceLimit::default())
            .unwrap_or_else(|e| panic!("{e}")),
    )
}

/// A case `t` at one point `(n, r, d)`, with q bound by `let` and the cores given as TOML lines.
fn case(kind: &str, (n, r, d): (i64, i64, i64), q: &str, cores: &str, claims: &str) -> String {
    format!("[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"{kind}\"\nn = {n}\nr = {r}\nd = {d}\n{cores}\n[construction.let]\nq = \"{q}\"\n{claims}\n")
}

/// The eq. (9) witness of Khrulkov et al. at one point, with a core override and claims appended.
pub fn khrulkov(n: i64, r: i64, d: i64, core: &str, claims: &str) -> String {
    let cores = format!("ranks = \"if k % 2 == 1 {{ r }} else {{ 1 }}\"\n[construction.cores]\ncore = \"{core}\"");
    case("tt", (n, r, d), "min(n, r)", &cores, claims)
}

/// Alkin's equal-core witness at one point, with the inner core and claims given.
pub fn alkin(n: i64, r: i64, d: i64, inner: &str, claims: &str) -> String {
    let cores = format!("[construction.cores]\nfirst = \"[i == b]\"\ninner = \"{inner}\"\nlast = \"[a == i]\"");
    case("tt-equal", (n, r, d), "min(n, r - 1)", &cores, claims)
}

/// The W state of order `d` (n = 2) as a CP network of d terms, term a with e_2 at mode a and
/// e_1 elsewhere, with the claims given as TOML lines.
pub fn w_state(d: i64, claims: &str) -> String {
    format!("[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"cp\"\nn = 2\nd = {d}\nrank = \"d\"\n[construction.cores]\nfactor = \"[i == 1 + [a == k]]\"\n{claims}\n")
}

pub const KHRULKOV_CORE: &str = "if k % 2 == 1 { [i == b] } else { [i == a] }";
pub const ALKIN_INNER: &str = "if a <= q { [a == i] * [b == q + 1] } else if a == q + 1 { [i == b] } else { 0 }";

/// Runs the `tnproof` binary in `dir` with `threads` rayon threads.
pub fn tnproof(args: &[&str], dir: &std::path::Path, threads: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tnproof"))
        .args(args)
        .current_dir(dir)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("the binary runs")
}

/// Lemma 6's rectifier RNN (thesis, Section 3.8) at one point `(M, R, T)` with F = I, the cores
/// `G^t` given (`LEMMA6_G` is the printed one) and claims appended.
pub fn lemma6(m: i64, r: i64, t: i64, g: &str, claims: &str) -> String {
    format!(
        "[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"generalized\"\nxi = \"rectifier\"\nM = {m}\nR = {r}\nT = {t}\n\
         [construction.let]\nK = \"min(M, R)\"\n[construction.network]\nkind = \"rnn\"\nranks = \"if k % 2 == 1 {{ R }} else {{ 1 }}\"\n\
         widths = \"if k % 2 == 1 {{ M }} else {{ M + 1 }}\"\nc = \"[i != m]\"\ng = \"{g}\"\n{claims}\n"
    )
}

pub const LEMMA6_G: &str = "if k % 2 == 1 { [i == b] } else if i <= M { [i == a] } else { [a == 1] * (1 - K) }";

/// Theorem 5's rectifier RNN (expressivity II) at M = R = T = 2 with F = I as the subject, compared
/// with itself as `A` and with `S`, Theorem 5's width-1 shallow network for A's grid tensor, and
/// one width claim `at-least = bound`. Gamma is the constant 2 (M R)^(T-1) = 8: rank 1, so Lemma
/// 5 gives width >= 1 / (T M / 2) = 1/2.
pub fn theorem5_width(bound: &str) -> String {
    format!(
        "[case]\nid = \"t\"\nsource = \"test\"\n[construction]\nkind = \"generalized\"\nxi = \"rectifier\"\nM = 2\nR = 2\nT = 2\n\
         [construction.compare.A]\nkind = \"expressivity-ii\"\nrank = \"R\"\n\
         [construction.compare.S]\nkind = \"first-mode-shallow\"\nof = \"A\"\n\
         [construction.network]\nkind = \"expressivity-ii\"\nrank = \"R\"\n\
         [[claim]]\nkind = \"shallow-width-lower-bound\"\nat-least = \"{bound}\"\n"
    )
}

/// `lemma6(2, 2, 2, LEMMA6_G, claims)`, whose grid tensor is J - I (2 x 2), compared with `S`, the
/// width-1 shallow network lambda = 1, v_1 = v_2 = (1, 1): its grid tensor is
/// max(1, 1, 0) = 1 at every index.
pub fn lemma6_and_a_shallow_of_ones(claims: &str) -> String {
    let compared = "[construction.compare.S]\nkind = \"shallow\"\nwidth = \"1\"\nlambda = \"1\"\nv = \"1\"\n";
    lemma6(2, 2, 2, LEMMA6_G, claims).replace("[construction.network]", &format!("{compared}[construction.network]"))
}

/// Every run of digits in a line the kernel checks (one not beginning with `#`), as (line,
/// start, end) byte positions.
pub fn digit_runs(text: &str) -> Vec<(usize, usize, usize)> {
    let mut runs = Vec::new();
    for (n, line) in text.split('\n').enumerate().filter(|(_, l)| !l.starts_with('#')) {
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_digit() {
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                runs.push((n, start, i));
            } else {
                i += 1;
            }
        }
    }
    runs
}

/// The certificate with core `name`'s block (header and entry lines) replaced by `core`'s, its digest
/// recomputed: a consistent listing of another core.
pub fn replace_core(text: &str, name: &str, core: &Core) -> String {
    replace_core_indented(text, name, core, "")
}

/// `replace_core` for a core listed with every line indented by `indent` (a converted network
/// inside a claim).
pub fn replace_core_indented(text: &str, name: &str, core: &Core, indent: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with(&format!("{indent}core {name}: ")))
        .unwrap_or_else(|| panic!("no core {name}"));
    let end = start
        + 1
        + lines[start + 1..]
            .iter()
            .take_while(|l| l.starts_with(&format!("{indent}  {name}[")))
            .count();
    let (l, n, r) = core.shape();
    let header = format!(
        "{indent}core {name}: {l}x{n}x{r}, {} non-zero entries, sha256 {}",
        core.nonzeros().count(),
        core_sha256(name, core)
    );
    let entries = core
        .nonzeros()
        .map(|(a, i, b, v)| format!("{indent}  {name}[{},{},{}] = {}", a + 1, i + 1, b + 1, q_text(v)));
    let block: Vec<String> = std::iter::once(header).chain(entries).collect();
    [lines[..start].join("\n"), block.join("\n"), lines[end..].join("\n")].join("\n")
}

/// The certificates of `cases/<file>` at the points where each parameter takes one of the listed
/// values (all of a parameter's values when it is not listed), with their labels.
pub fn certificates_of(file: &str, values: &[(&str, &[i64])]) -> Vec<(String, String)> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("cases")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut case = parse_case(file, &text).unwrap_or_else(|e| panic!("{e}"));
    for p in &mut case.params {
        if let Some((_, v)) = values.iter().find(|(name, _)| *name == p.name) {
            p.values = v.to_vec();
        }
    }
    decide(case.instances(ResourceLimit::default()).unwrap())
        .iter()
        .map(|r| {
            (
                format!("{} at {}", case.id, r.instance.label()),
                tnproof::certificate::render(&case, r),
            )
        })
        .collect()
}

/// Every single-number change of every checked line of each certificate (each digit run plus
/// one and minus one), each checked by the kernel, which must confirm every certificate as
/// written: how many changes were made, and the changed lines it confirmed anyway (labelled).
pub fn single_number_changes(certificates: &[(String, String)]) -> (usize, Vec<String>) {
    use rayon::prelude::*;
    let outcomes: Vec<(usize, Vec<String>)> = certificates
        .par_iter()
        .map(|(label, text)| {
            if let Err(e) = tnproof_kernel::check(text) {
                panic!("{label}: the kernel rejects the checker's certificate: {e}");
            }
            let lines: Vec<&str> = text.split('\n').collect();
            let mut changes = 0;
            let mut confirmed = Vec::new();
            for (n, start, end) in digit_runs(text) {
                let value: u128 = lines[n][start..end].parse().unwrap();
                for changed in [value.checked_add(1), value.checked_sub(1)].into_iter().flatten() {
                    let line = format!("{}{changed}{}", &lines[n][..start], &lines[n][end..]);
                    let mut tampered = lines.clone();
                    tampered[n] = &line;
                    changes += 1;
                    if tnproof_kernel::check(&tampered.join("\n")).is_ok() {
                        confirmed.push(format!("{label}: {line}"));
                    }
                }
            }
            (changes, confirmed)
        })
        .collect();
    let changes = outcomes.iter().map(|(n, _)| n).sum();
    (changes, outcomes.into_iter().flat_map(|(_, c)| c).collect())
}
