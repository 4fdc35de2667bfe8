//! Reading certificates: the line grammar that `certificate` writes, taken strictly. Nothing
//! here decides anything; it turns text into numbers, tuples and index sets, refusing anything
//! malformed or absurdly large, and never panics on any input.

use crate::field::{q_text, Q};
use num_bigint::BigInt;

/// The largest number the reader accepts where a size or an index is expected.
const MAX_NUMBER: usize = 1 << 40;

/// A certificate's lines, with 1-based line numbers for rejections.
pub struct Lines<'a> {
    lines: Vec<&'a str>,
    next: usize,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        Lines {
            lines: text.split('\n').collect(),
            next: 0,
        }
    }

    /// The line number of the line read last.
    pub fn number(&self) -> usize {
        self.next
    }

    pub fn peek(&self) -> Option<&'a str> {
        self.lines.get(self.next).copied()
    }

    /// The rest of the next line after `prefix`; an error if the line does not start with it.
    pub fn take(&mut self, prefix: &str) -> Result<&'a str, String> {
        let line = self
            .lines
            .get(self.next)
            .copied()
            .ok_or_else(|| format!("expected a line '{prefix}...', found the end"))?;
        self.next += 1;
        line.strip_prefix(prefix)
            .ok_or_else(|| format!("expected a line '{prefix}...', found '{}'", shorten(line)))
    }

    /// Like `take`, but only if the next line starts with `prefix`.
    pub fn take_if(&mut self, prefix: &str) -> Option<&'a str> {
        let rest = self.peek()?.strip_prefix(prefix)?;
        self.next += 1;
        Some(rest)
    }
}

fn shorten(line: &str) -> String {
    line.chars().take(80).collect()
}

/// Splits `line` at the literal pieces of `template`, whose holes are written `{}`; each hole
/// takes the shortest text before the next piece. `None` unless the whole line fits.
pub fn scan<'l>(line: &'l str, template: &str) -> Option<Vec<&'l str>> {
    let pieces: Vec<&str> = template.split("{}").collect();
    let mut rest = line.strip_prefix(pieces[0])?;
    let mut holes = Vec::new();
    for (n, piece) in pieces.iter().enumerate().skip(1) {
        let end = if n + 1 == pieces.len() && piece.is_empty() {
            rest.len()
        } else {
            rest.find(piece)?
        };
        holes.push(&rest[..end]);
        rest = &rest[end + piece.len()..];
    }
    rest.is_empty().then_some(holes)
}

/// A decimal number without sign or leading zeros, at most `MAX_NUMBER`.
pub fn number(s: &str) -> Result<usize, String> {
    let ok =
        !s.is_empty() && s.len() <= 13 && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    ok.then(|| s.parse().ok())
        .flatten()
        .filter(|&v| v <= MAX_NUMBER)
        .ok_or_else(|| format!("'{}' is not a number here", shorten(s)))
}

/// A signed integer as in a claimed path.
pub fn integer(s: &str) -> Result<i64, String> {
    let (neg, digits) = s.strip_prefix('-').map_or((false, s), |d| (true, d));
    let v = number(digits)? as i64;
    Ok(if neg { -v } else { v })
}

/// A rational in its canonical form `p` or `p/q` (reduced, positive denominator), at most 10000 digits.
pub fn rational(s: &str) -> Result<Q, String> {
    let bad = || format!("'{}' is not a reduced fraction", shorten(s));
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
pub fn tuple(s: &str) -> Result<Vec<usize>, String> {
    signed_tuple(s)?
        .into_iter()
        .map(|v| usize::try_from(v).map_err(|_| format!("'{v}' is negative")))
        .collect()
}

/// `(1,-2,3)`.
pub fn signed_tuple(s: &str) -> Result<Vec<i64>, String> {
    let inner = s
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .ok_or_else(|| format!("'{}' is not a tuple", shorten(s)))?;
    if inner.is_empty() {
        return Ok(Vec::new());
    }
    inner.split(',').map(integer).collect()
}

/// 1-based index tuples `(1,2) (3,4)` to 0-based ones, `-` for none.
pub fn index_tuples(s: &str) -> Result<Vec<Vec<usize>>, String> {
    if s == "-" {
        return Ok(Vec::new());
    }
    s.split(' ')
        .map(|t| {
            tuple(t)?
                .into_iter()
                .map(|i| i.checked_sub(1).ok_or_else(|| "index 0 in a 1-based tuple".to_string()))
                .collect()
        })
        .collect()
}

/// `1-4 7 9-12` (1-based, increasing) to sorted 0-based numbers; at most `limit` of them.
pub fn ranges(s: &str, limit: usize) -> Result<Vec<usize>, String> {
    let mut out: Vec<usize> = Vec::new();
    for part in s.split(' ') {
        let (lo, hi) = match part.split_once('-') {
            Some((lo, hi)) => (number(lo)?, number(hi)?),
            None => (number(part)?, number(part)?),
        };
        if lo == 0 || hi < lo || out.last().is_some_and(|&last| last + 1 >= lo) || out.len() + (hi - lo) >= limit {
            return Err(format!(
                "'{}' is not an increasing list of at most {limit} numbers from 1",
                shorten(s)
            ));
        }
        out.extend(lo - 1..hi);
    }
    Ok(out)
}

/// `(1,3),(2,4)` to 0-based row and column modes, which must partition `0..d`.
pub fn matricization(s: &str, d: usize) -> Result<(Vec<usize>, Vec<usize>), String> {
    let (rows, cols) = s
        .split_once("),(")
        .ok_or_else(|| format!("'{}' is not a matricization", shorten(s)))?;
    let rows = tuple(&format!("{rows})"))?;
    let cols = tuple(&format!("({cols}"))?;
    let mut modes: Vec<usize> = rows.iter().chain(&cols).copied().collect();
    modes.sort_unstable();
    if modes != (1..=d).collect::<Vec<_>>() {
        return Err(format!("({s}) does not split the modes 1..{d}"));
    }
    Ok((
        rows.iter().map(|m| m - 1).collect(),
        cols.iter().map(|m| m - 1).collect(),
    ))
}

#[cfg(test)]
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
}
