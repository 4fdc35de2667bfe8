//! A sweep as CSV (RFC 4180: a header line, one record per instance and claim, fields quoted
//! when they hold a comma, quote or line break, LF line ends) and back. Every record repeats the
//! case, title, shard and grid size, so a shard's file says by itself what it is a shard of; the
//! reader refuses anything else with the line it found it on, and never panics.

use super::{verdict_of_word, Shard, Sweep, SweepRow};
use crate::claim::{Expected, Relation, Verdict};
use crate::network::periodic::Depths;

/// The first line of every sweep CSV.
pub const HEADER: &str =
    "case,title,shard,grid_size,index,params,claim,kind,relation,bound,verdict,expected,rank,cut,certified,attempt,numeric_rank,detail";

/// Why a text is not a sweep CSV: the 1-based line (where the record starts) and a sentence.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CsvError {
    pub line: usize,
    pub message: String,
}

fn error(line: usize, message: impl Into<String>) -> CsvError {
    CsvError {
        line,
        message: message.into(),
    }
}

/// The sweep as CSV text.
pub fn to_csv(sweep: &Sweep) -> String {
    let mut out = format!("{HEADER}\n");
    for row in &sweep.rows {
        let fields = [
            sweep.case.clone(),
            sweep.title.clone(),
            sweep.shard.to_string(),
            sweep.grid_size.to_string(),
            row.index.to_string(),
            row.params_text(),
            row.claim.to_string(),
            row.kind.clone(),
            row.bound
                .map_or_else(String::new, |(relation, _)| relation.key().to_string()),
            optional(row.bound.as_ref().map(|(_, bound)| bound)),
            row.verdict.word().to_string(),
            row.expected.word().to_string(),
            optional(row.rank),
            optional(row.cut),
            row.certified.map_or("", |c| if c { "yes" } else { "no" }).to_string(),
            optional(row.attempt),
            optional(row.numeric_rank),
            row.detail.clone(),
        ];
        let quoted: Vec<String> = fields.iter().map(|f| quote(f)).collect();
        out.push_str(&quoted.join(","));
        out.push('\n');
    }
    out
}

fn optional<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

/// A field as RFC 4180 writes it: quoted, with quotes doubled, when it needs to be.
fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// Reads a sweep CSV written by `to_csv` (CRLF line ends are accepted too).
pub fn from_csv(text: &str) -> Result<Sweep, CsvError> {
    let mut records = records(text)?.into_iter();
    let header: Vec<&str> = HEADER.split(',').collect();
    match records.next() {
        Some((_, fields)) if fields == header => {}
        _ => {
            return Err(error(
                1,
                format!("this is not a sweep CSV: the first line must be the header '{HEADER}'"),
            ))
        }
    }
    let mut sweep: Option<Sweep> = None;
    for (line, fields) in records {
        if fields.len() != header.len() {
            if fields.len() == 1 && fields[0].is_empty() {
                return Err(error(
                    line,
                    "this line is empty; a sweep CSV has one record per line and no blank lines",
                ));
            }
            return Err(error(
                line,
                format!(
                    "this record has {} fields, the header has {}",
                    fields.len(),
                    header.len()
                ),
            ));
        }
        let record = Record { line, fields: &fields };
        if fields[0].is_empty()
            || !fields[0]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(record.invalid("case", 0, "a case id (letters, digits, '-', '_' and '.')"));
        }
        let shard: Shard = record
            .field(2)
            .parse()
            .map_err(|e: String| error(line, format!("the field 'shard': {e}")))?;
        let grid_size = record.number("grid_size", 3)?;
        let row = record.row()?;
        if row.index >= grid_size {
            return Err(error(
                line,
                format!(
                    "the instance index {} is outside the grid of {grid_size} instances",
                    row.index
                ),
            ));
        }
        if !shard.contains(row.index) {
            return Err(error(
                line,
                format!(
                    "the instance index {} does not belong to shard {shard} (indices k with k % {} = {})",
                    row.index,
                    shard.count,
                    shard.index - 1
                ),
            ));
        }
        let sweep = sweep.get_or_insert_with(|| Sweep {
            case: fields[0].clone(),
            title: fields[1].clone(),
            shard,
            grid_size,
            rows: Vec::new(),
        });
        let mismatch = [
            ("case", fields[0] != sweep.case),
            ("title", fields[1] != sweep.title),
            ("shard", shard != sweep.shard),
            ("grid_size", grid_size != sweep.grid_size),
        ];
        if let Some((name, _)) = mismatch.iter().find(|(_, differs)| *differs) {
            return Err(error(
                line,
                format!("the field '{name}' differs from the first record's; a sweep CSV holds one shard of one case"),
            ));
        }
        if let Some(first) = sweep.rows.first() {
            if first.param_names() != row.param_names() {
                return Err(error(
                    line,
                    format!(
                        "the parameters are '{}', but the first record has '{}'",
                        row.params_text(),
                        first.params_text()
                    ),
                ));
            }
        }
        sweep.rows.push(row);
    }
    sweep.ok_or_else(|| error(2, "the CSV has a header but no records"))
}

/// One record's fields, with its line for errors.
struct Record<'a> {
    line: usize,
    fields: &'a [String],
}

impl Record<'_> {
    fn field(&self, position: usize) -> &str {
        &self.fields[position]
    }

    fn invalid(&self, name: &str, position: usize, what: &str) -> CsvError {
        error(
            self.line,
            format!("the field '{name}' is '{}', which is not {what}", self.field(position)),
        )
    }

    fn number<T: std::str::FromStr>(&self, name: &str, position: usize) -> Result<T, CsvError> {
        self.field(position)
            .parse()
            .map_err(|_| self.invalid(name, position, "a non-negative integer"))
    }

    fn optional_number<T: std::str::FromStr>(&self, name: &str, position: usize) -> Result<Option<T>, CsvError> {
        if self.field(position).is_empty() {
            return Ok(None);
        }
        self.number(name, position).map(Some)
    }

    fn verdict(&self, name: &str, position: usize) -> Result<Verdict, CsvError> {
        verdict_of_word(self.field(position)).ok_or_else(|| self.invalid(name, position, "holds, fails or undecided"))
    }

    /// The row in fields 4 onwards.
    fn row(&self) -> Result<SweepRow, CsvError> {
        let invalid = || {
            self.invalid(
                "params",
                5,
                "a list of name=integer separated by spaces, the last maybe d=even, d=all, d=even>=K or d=all>=K",
            )
        };
        let mut pairs: Vec<(&str, &str)> = self
            .field(5)
            .split(' ')
            .filter(|p| !p.is_empty())
            .map(|p| p.split_once('=').filter(|(name, _)| !name.is_empty()))
            .collect::<Option<_>>()
            .ok_or_else(invalid)?;
        // The depths of an instance about every depth, as `SweepRow::param_values` writes them.
        let depths = match pairs.last() {
            Some(&("d", value)) if value.parse::<i64>().is_err() => {
                pairs.pop();
                Some(Depths::from_label(value).ok_or_else(invalid)?)
            }
            _ => None,
        };
        let params = pairs
            .into_iter()
            .map(|(name, value)| value.parse().map(|v| (name.to_string(), v)).ok())
            .collect::<Option<Vec<(String, i64)>>>()
            .ok_or_else(invalid)?;
        let claim = self.number("claim", 6)?;
        if claim == 0 {
            return Err(self.invalid("claim", 6, "a claim number (they start at 1)"));
        }
        if self.field(7).is_empty() {
            return Err(self.invalid("kind", 7, "a claim kind"));
        }
        let relation = [Relation::AtLeast, Relation::Equal, Relation::AtMost]
            .into_iter()
            .find(|r| r.key() == self.field(8));
        let bound =
            match (self.field(8), relation, self.optional_number("bound", 9)?) {
                ("", _, None) => None,
                (_, Some(relation), Some(bound)) => Some((relation, bound)),
                _ => return Err(error(
                    self.line,
                    "the fields 'relation' (at-least, equal or at-most) and 'bound' must be both given or both empty",
                )),
            };
        let certified = match self.field(14) {
            "" => None,
            "yes" => Some(true),
            "no" => Some(false),
            _ => return Err(self.invalid("certified", 14, "yes, no or empty")),
        };
        Ok(SweepRow {
            index: self.number("index", 4)?,
            params,
            depths,
            claim,
            kind: self.field(7).to_string(),
            bound,
            verdict: self.verdict("verdict", 10)?,
            expected: match self.field(11) {
                "probe" => Expected::Probe,
                _ => Expected::Is(self.verdict("expected", 11)?),
            },
            rank: self.optional_number("rank", 12)?,
            cut: self.optional_number("cut", 13)?,
            certified,
            attempt: self.optional_number("attempt", 15)?,
            numeric_rank: self.optional_number("numeric_rank", 16)?,
            detail: self.field(17).to_string(),
        })
    }
}

/// Splits RFC 4180 text into records of fields, each with the 1-based line it starts on.
fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, CsvError> {
    let mut records = Vec::new();
    let mut line = 1;
    let mut chars = text.chars().peekable();
    while chars.peek().is_some() {
        let start = line;
        let mut fields = Vec::new();
        loop {
            let mut field = String::new();
            if chars.peek() == Some(&'"') {
                chars.next();
                loop {
                    match chars.next() {
                        None => return Err(error(line, "a quoted field is not closed before the end of the file")),
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(c) => {
                            line += usize::from(c == '\n');
                            field.push(c);
                        }
                    }
                }
                if let Some(&c) = chars.peek().filter(|c| !matches!(c, ',' | '\n' | '\r')) {
                    return Err(error(
                        line,
                        format!(
                            "a closing quote is followed by '{c}'; a quoted field ends at a comma or the line's end"
                        ),
                    ));
                }
            } else {
                while let Some(&c) = chars.peek().filter(|c| !matches!(c, ',' | '\n' | '\r')) {
                    if c == '"' {
                        return Err(error(
                            line,
                            "a quote inside an unquoted field; such a field must be quoted, with its quotes doubled",
                        ));
                    }
                    field.push(c);
                    chars.next();
                }
            }
            fields.push(field);
            match chars.next() {
                Some(',') => {}
                Some('\r') => {
                    if chars.next() != Some('\n') {
                        return Err(error(line, "a carriage return not followed by a line feed"));
                    }
                    line += 1;
                    break;
                }
                Some(_) => {
                    line += 1;
                    break;
                }
                None => break,
            }
        }
        records.push((start, fields));
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Sweep {
        let row = SweepRow {
            index: 1,
            params: vec![("n".into(), 2), ("r".into(), 3)],
            depths: None,
            claim: 1,
            kind: "matricization-rank".into(),
            bound: Some((Relation::AtLeast, 4)),
            verdict: Verdict::Holds,
            expected: Expected::Is(Verdict::Holds),
            rank: Some(4),
            cut: Some(4),
            certified: Some(true),
            attempt: Some(1),
            numeric_rank: None,
            detail: "rank X^((1,3),(2,4)) mod p >= 4, \"quoted\"".into(),
        };
        Sweep {
            case: "t".into(),
            title: "a title, with a comma\nand a line break".into(),
            shard: Shard { index: 2, count: 3 },
            grid_size: 5,
            rows: vec![row],
        }
    }

    #[test]
    fn csv_round_trips() {
        let sweep = sample();
        let text = to_csv(&sweep);
        assert_eq!(from_csv(&text), Ok(sweep.clone()));
        // CRLF line ends; the line break inside the quoted title is part of the field.
        let crlf = Sweep {
            title: sweep.title.replace('\n', "\r\n"),
            ..sweep
        };
        assert_eq!(from_csv(&text.replace('\n', "\r\n")), Ok(crlf));
    }

    /// An instance about every depth at once has `d=even` (or `all`, `even>=4`, `all>=3`) last
    /// in its params field, read back as the same depths, so a CSV round trip (and a merge of
    /// shards) gives the same bytes.
    #[test]
    fn csv_round_trips_the_depths_of_every_depth_at_once() {
        for (depths, text) in [
            (Depths { even: true, least: 2 }, "d=even"),
            (Depths { even: false, least: 2 }, "d=all"),
            (Depths { even: true, least: 4 }, "d=even>=4"),
            (Depths { even: false, least: 3 }, "d=all>=3"),
        ] {
            let mut sweep = sample();
            sweep.rows[0].depths = Some(depths);
            sweep.rows[0].bound = None;
            assert_eq!(sweep.rows[0].params_text(), format!("n=2 r=3 {text}"));
            let csv = to_csv(&sweep);
            assert!(csv.contains(&format!(",n=2 r=3 {text},1,")), "{csv}");
            let read = from_csv(&csv).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(read, sweep);
            assert_eq!(to_csv(&read), csv);
        }
        // A finite d stays a parameter.
        let csv = to_csv(&sample()).replace(",n=2 r=3,", ",n=2 r=3 d=4,");
        let read = from_csv(&csv).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((read.rows[0].param("d"), read.rows[0].depths), (Some(4), None));
        // Only the labels tnproof writes, only last.
        for params in [
            "n=2 d=even>=5",
            "n=2 d=odd",
            "n=2 d=even>=2",
            "n=2 d=all>=03",
            "d=even n=2",
            "n=2 d=",
            "n=2 d=Even",
        ] {
            let csv = to_csv(&sample()).replace(",n=2 r=3,", &format!(",{params},"));
            let error = from_csv(&csv).unwrap_err();
            assert!(error.message.starts_with("the field 'params' is"), "{params}: {error}");
        }
    }

    #[test]
    fn malformed_csv_names_the_line() {
        let text = to_csv(&sample());
        assert_eq!(from_csv("").unwrap_err().line, 1);
        assert_eq!(from_csv(&format!("{HEADER}\n")).unwrap_err().line, 2);
        // The record starts on line 2 and its title spans two lines.
        assert_eq!(
            from_csv(&text.replace(",holds,holds,", ",held,holds,"))
                .unwrap_err()
                .line,
            2
        );
        assert_eq!(from_csv(&format!("{text}\n")).unwrap_err().line, 4);
        assert_eq!(from_csv(&format!("{text}t,\"x\"y")).unwrap_err().line, 4);
        assert_eq!(from_csv(&format!("{text}t,x\"y")).unwrap_err().line, 4);
        assert_eq!(from_csv(&format!("{text}t,\"x")).unwrap_err().line, 4);
        assert!(from_csv(&text.replace(",1,n=2", ",0,n=2"))
            .unwrap_err()
            .message
            .contains("does not belong to shard 2/3"));
    }
}
