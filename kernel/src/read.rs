//! Reading certificates: the line grammar that `certificate` writes, taken strictly. Nothing
//! here decides anything; it turns text into numbers, tuples and index sets, refusing anything
//! malformed or absurdly large, and never panics on any input.

use crate::field::{q_text, Q};
use crate::rejection::{Form, Reason};
use num_bigint::BigInt;

/// The largest number the reader accepts where a size or an index is expected.
const MAX_NUMBER: usize = 1 << 40;

/// A certificate's lines, with 1-based line numbers for rejections. Every line ends with LF;
/// the empty text after the last LF is not a line (an empty text is one empty line). Lines
/// beginning with `#` are not checked: the reader steps over them wherever they are.
pub struct Lines<'a> {
    lines: Vec<&'a str>,
    next: usize,
    /// What every line read starts with before its prefix: empty, or the indent of a network
    /// listed inside a claim.
    indent: &'static str,
    /// Whether the last line has no line end, so that the text stops inside it.
    unended: bool,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut lines: Vec<&str> = text.split('\n').collect();
        let unended = !text.is_empty() && !text.ends_with('\n');
        if text.ends_with('\n') {
            lines.pop();
        }
        Lines {
            lines,
            next: 0,
            indent: "",
            unended,
        }
    }

    /// The line number of the line read last.
    pub fn number(&self) -> usize {
        self.next
    }

    /// The number of the text's last line.
    pub fn last(&self) -> usize {
        self.lines.len()
    }

    /// Whether the text stops inside its last line, which has no line end.
    pub fn unended(&self) -> bool {
        self.unended
    }

    /// Runs `read` on lines that all start with `indent` before what `read` expects.
    pub fn indented<T>(&mut self, indent: &'static str, read: impl FnOnce(&mut Self) -> T) -> T {
        let outer = std::mem::replace(&mut self.indent, indent);
        let result = read(self);
        self.indent = outer;
        result
    }

    pub fn peek(&self) -> Option<&'a str> {
        self.lines.get(self.checked()).copied()
    }

    /// The index of the next line that does not begin with `#`.
    fn checked(&self) -> usize {
        let unchecked = self
            .lines
            .iter()
            .skip(self.next)
            .take_while(|l| l.starts_with('#'))
            .count();
        self.next.saturating_add(unchecked)
    }

    /// The rest of the next line after `prefix`; an error if the line does not start with it,
    /// or if the text ends before it.
    pub fn take(&mut self, prefix: &str) -> Result<&'a str, Reason> {
        let prefix = &format!("{}{prefix}", self.indent);
        self.next = self.checked();
        let line = self.lines.get(self.next).copied().ok_or_else(|| Reason::CutShort {
            expected: Some(prefix.to_string()),
        })?;
        self.next += 1;
        line.strip_prefix(prefix).ok_or_else(|| Reason::ExpectedLine {
            prefix: prefix.to_string(),
            found: shorten(line),
        })
    }

    /// Like `take`, but only if the next line starts with `prefix`.
    pub fn take_if(&mut self, prefix: &str) -> Option<&'a str> {
        let rest = self.peek()?.strip_prefix(self.indent)?.strip_prefix(prefix)?;
        self.next = self.checked() + 1;
        Some(rest)
    }
}

/// The first 80 characters of `line`, as rejections quote it.
pub fn shorten(line: &str) -> String {
    line.chars().take(80).collect()
}

/// Splits `line` at the literal pieces of `template`, whose holes are written `{}`; each hole
/// takes the shortest text before the next piece. `None` unless the whole line fits.
pub fn scan<'l>(line: &'l str, template: &str) -> Option<Vec<&'l str>> {
    let mut pieces = template.split("{}").peekable();
    let mut rest = line.strip_prefix(pieces.next()?)?;
    let mut holes = Vec::new();
    while let Some(piece) = pieces.next() {
        let (hole, after) = if pieces.peek().is_none() && piece.is_empty() {
            (rest, "")
        } else {
            rest.split_once(piece)?
        };
        holes.push(hole);
        rest = after;
    }
    rest.is_empty().then_some(holes)
}

/// `'text' is not <form>`, the text shortened.
fn not_a(text: &str, form: Form) -> Reason {
    Reason::NotA {
        text: shorten(text),
        form,
    }
}

/// A decimal number without sign or leading zeros, at most `MAX_NUMBER`.
pub fn number(s: &str) -> Result<usize, Reason> {
    let ok =
        !s.is_empty() && s.len() <= 13 && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    ok.then(|| s.parse().ok())
        .flatten()
        .filter(|&v| v <= MAX_NUMBER)
        .ok_or_else(|| not_a(s, Form::Number))
}

/// A signed integer as in a claimed path.
pub fn integer(s: &str) -> Result<i64, Reason> {
    let (neg, digits) = s.strip_prefix('-').map_or((false, s), |d| (true, d));
    let v = number(digits)? as i64;
    Ok(if neg { -v } else { v })
}

/// A rational in its canonical form `p` or `p/q` (reduced, positive denominator), at most 10000 digits.
pub fn rational(s: &str) -> Result<Q, Reason> {
    let bad = || not_a(s, Form::Fraction);
    if s.len() > 10_000 {
        return Err(bad());
    }
    let (num, den) = s.split_once('/').unwrap_or((s, "1"));
    let parse = |t: &str| {
        let digits = t.strip_prefix('-').unwrap_or(t);
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<BigInt>().ok())
            .flatten()
    };
    let (Some(n), Some(d)) = (parse(num), parse(den)) else {
        return Err(bad());
    };
    if d <= BigInt::from(0) {
        return Err(bad());
    }
    let v = Q::new(n, d);
    (q_text(&v) == s).then_some(v).ok_or_else(bad)
}

/// `(1,2,3)` as written (1-based numbers), `()` for none.
pub fn tuple(s: &str) -> Result<Vec<usize>, Reason> {
    signed_tuple(s)?
        .into_iter()
        .map(|v| usize::try_from(v).map_err(|_| Reason::Negative { value: v }))
        .collect()
}

/// `(1,-2,3)`.
pub fn signed_tuple(s: &str) -> Result<Vec<i64>, Reason> {
    let inner = s
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .ok_or_else(|| not_a(s, Form::Tuple))?;
    if inner.is_empty() {
        return Ok(Vec::new());
    }
    inner.split(',').map(integer).collect()
}

/// 1-based index tuples `(1,2) (3,4)` to 0-based ones, `-` for none.
pub fn index_tuples(s: &str) -> Result<Vec<Vec<usize>>, Reason> {
    if s == "-" {
        return Ok(Vec::new());
    }
    s.split(' ')
        .map(|t| {
            tuple(t)?
                .into_iter()
                .map(|i| i.checked_sub(1).ok_or(Reason::ZeroIndex))
                .collect()
        })
        .collect()
}

/// `1-4 7 9-12` (1-based, increasing) to sorted 0-based numbers; at most `limit` of them.
pub fn ranges(s: &str, limit: usize) -> Result<Vec<usize>, Reason> {
    let mut out: Vec<usize> = Vec::new();
    for part in s.split(' ') {
        let (lo, hi) = match part.split_once('-') {
            Some((lo, hi)) => (number(lo)?, number(hi)?),
            None => (number(part)?, number(part)?),
        };
        if lo == 0 || hi < lo || out.last().is_some_and(|&last| last + 1 >= lo) || out.len() + (hi - lo) >= limit {
            return Err(not_a(s, Form::Ranges { limit }));
        }
        out.extend(lo - 1..hi);
    }
    Ok(out)
}

/// `(1,3),(2,4)` to 0-based row and column modes, which must partition `0..d` with neither
/// side empty.
pub fn matricization(s: &str, d: usize) -> Result<(Vec<usize>, Vec<usize>), Reason> {
    let (rows, cols) = s.split_once("),(").ok_or_else(|| not_a(s, Form::Matricization))?;
    let rows = tuple(&format!("{rows})"))?;
    let cols = tuple(&format!("({cols}"))?;
    let mut modes: Vec<usize> = rows.iter().chain(&cols).copied().collect();
    modes.sort_unstable();
    if modes != (1..=d).collect::<Vec<_>>() {
        return Err(Reason::NotAPartition {
            matricization: s.to_string(),
            order: d,
        });
    }
    if rows.is_empty() || cols.is_empty() {
        return Err(Reason::OneSided {
            matricization: s.to_string(),
        });
    }
    Ok((
        rows.iter().map(|m| m - 1).collect(),
        cols.iter().map(|m| m - 1).collect(),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn scan_takes_the_shortest_hole() {
        assert_eq!(
            scan("rank X^((1,3),(2,4)) >= 4", "rank X^({}) {} {}"),
            Some(vec!["(1,3),(2,4)", ">=", "4"])
        );
        assert_eq!(scan("abc", "a{}d"), None);
        assert_eq!(scan("a: ", "a: {}"), Some(vec![""]));
    }

    #[test]
    fn ranges_and_fractions_are_strict() {
        assert_eq!(ranges("1-3 5", 10), Ok(vec![0, 1, 2, 4]));
        assert!(ranges("3 2", 10).is_err() && ranges("1-3 3", 10).is_err() && ranges("1-9", 3).is_err());
        assert_eq!(rational("-3/2").map(|q| q_text(&q)), Ok("-3/2".into()));
        assert!(
            rational("6/4").is_err()
                && rational("1/-2").is_err()
                && rational("+1").is_err()
                && rational("1/0").is_err()
        );
        assert!(number("007").is_err() && number("99999999999999").is_err());
    }

    #[test]
    fn a_matricization_partitions_the_modes_with_a_mode_on_each_side() {
        assert_eq!(matricization("(1,3),(2)", 3), Ok((vec![0, 2], vec![1])));
        assert!(matches!(
            matricization("(1,3),(3)", 3),
            Err(Reason::NotAPartition { .. })
        ));
        for (one_sided, d) in [("(1,2),()", 2), ("(),(1,2)", 2), ("(1),()", 1)] {
            let found = Err(Reason::OneSided {
                matricization: one_sided.to_string(),
            });
            assert_eq!(matricization(one_sided, d), found);
        }
    }
}
