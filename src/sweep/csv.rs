//! A sweep as CSV and back: ten lines beginning `#` that say what the rows are rows of (the
//! fingerprint: case, title, case file and its SHA-256, grid, seeds, claims; the shard; the
//! tnproof version that decided them) and seal the file
//! (the SHA-256 of all its other lines), then RFC 4180 records: a header line, one record per
//! instance and claim with a column per parameter, fields quoted when they hold a comma, quote
//! or line break, LF line ends. The reader refuses anything else, and a file whose lines do not
//! match its seal, with the line it found it on, and never panics.

use super::fingerprint::{escape, sha256_hex, unescape, Fingerprint};
use super::{verdict_of_word, Shard, Sweep, SweepRow};
use crate::claim::{Expected, Relation, Tuple, Verdict};
use crate::network::periodic::Depths;

/// The first line of every sweep CSV; the number is the layout's version.
pub const FORMAT: &str = "# tnproof sweep 1";

/// The columns after `index` and the parameters' columns.
pub const COLUMNS: &str = "claim,kind,matricization,relation,bound,verdict,expected,rank,cut,certified,attempt,numeric_rank,ranks,claimed_ranks,network_ranks,width,detail";

/// The line of the seal, 1-based: the last of the lines beginning `#`.
const SEAL_LINE: usize = 10;

/// The header line of a sweep of a grid with these parameters: `index`, a column per
/// parameter, then `COLUMNS`.
pub fn header(param_names: &[&str]) -> String {
    let mut fields = vec!["index"];
    fields.extend(param_names);
    fields.push(COLUMNS);
    fields.join(",")
}

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
    let body = unsealed(sweep);
    let seal = seal_line(&body);
    let mut lines: Vec<&str> = body.split_inclusive('\n').collect();
    lines.insert(SEAL_LINE - 1, &seal);
    lines.concat()
}

/// The seal of the sweep's CSV: the SHA-256, in hexadecimal, of all its lines but the seal's.
pub fn seal(sweep: &Sweep) -> String {
    sha256_hex(&unsealed(sweep))
}

/// Every line of the CSV but the seal.
fn unsealed(sweep: &Sweep) -> String {
    let f = &sweep.fingerprint;
    let shard = sweep.shard;
    let mut body = format!(
        "{FORMAT}\n# case: {}\n# title: {}\n# file: {}, sha256 {}\n# grid: {} ({} points)\n# seeds: {}\n# claims: {}\n# shard: {shard}, the grid points k (from 0) with k % {} = {}\n# written by: tnproof {}\n",
        f.case,
        escape(&f.title),
        escape(&f.file),
        f.sha256,
        f.grid,
        f.grid_size,
        escape(&f.seeds),
        serde_json::to_string(&f.claims).expect("strings serialize"),
        shard.count,
        shard.index - 1,
        f.version
    );
    body.push_str(&header(&f.param_names()));
    body.push('\n');
    for row in &sweep.rows {
        let mut fields = vec![row.index.to_string()];
        fields.extend(row.param_values().into_iter().map(|(_, v)| v));
        fields.extend([
            row.claim.to_string(),
            row.kind.clone(),
            row.matricization.clone().unwrap_or_default(),
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
            tuple(&row.ranks),
            tuple(&row.claimed_ranks),
            tuple(&row.network_ranks),
            row.width.clone().unwrap_or_default(),
            row.detail.clone(),
        ]);
        let quoted: Vec<String> = fields.iter().map(|f| quote(f)).collect();
        body.push_str(&quoted.join(","));
        body.push('\n');
    }
    body
}

/// `# sha256: <hex>, of this file's other lines`, with its line end.
fn seal_line(other_lines: &str) -> String {
    format!("# sha256: {}, of this file's other lines\n", sha256_hex(other_lines))
}

/// `(2,1,2)`, or empty.
fn tuple(values: &Option<Vec<usize>>) -> String {
    values.as_ref().map_or_else(String::new, |v| Tuple(v).to_string())
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

/// Reads a sweep CSV written by `to_csv`; CRLF line ends are read as LF (the seal is of the LF
/// text, so a file converted to CRLF still matches it).
pub fn from_csv(text: &str) -> Result<Sweep, CsvError> {
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.first().map(|l| l.trim_end_matches('\n')) != Some(FORMAT) {
        return Err(error(
            1,
            format!("this is not a sweep CSV: its first line must be '{FORMAT}', as tnproof sweep writes it"),
        ));
    }
    let (fingerprint, shard) = read_fingerprint(&lines)?;
    let header_line = SEAL_LINE + 1;
    let param_names = fingerprint.param_names();
    let expected_header = header(&param_names);
    if lines.get(header_line - 1).map(|l| l.trim_end_matches('\n')) != Some(expected_header.as_str()) {
        return Err(error(
            header_line,
            format!(
                "line {header_line} must be the header '{expected_header}' (a column per parameter of the grid line)"
            ),
        ));
    }
    let body: String = lines[header_line..].concat();
    let mut rows = Vec::new();
    let width = 1 + param_names.len() + COLUMNS.split(',').count();
    for (line, fields) in records(&body, header_line + 1)? {
        if fields.len() != width {
            if fields.len() == 1 && fields[0].is_empty() {
                return Err(error(
                    line,
                    "this line is empty; a sweep CSV has one record per line and no blank lines",
                ));
            }
            return Err(error(
                line,
                format!("this record has {} fields, the header has {width}", fields.len()),
            ));
        }
        let record = Record {
            line,
            fields: &fields,
            params: &param_names,
        };
        let row = record.row()?;
        if row.index >= fingerprint.grid_size {
            return Err(error(
                line,
                format!(
                    "the instance index {} is outside the grid of {} points",
                    row.index, fingerprint.grid_size
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
        rows.push(row);
    }
    let mut other_lines = lines.clone();
    let seal = other_lines.remove(SEAL_LINE - 1);
    if seal != seal_line(&other_lines.concat()) {
        return Err(error(
            SEAL_LINE,
            "the file's lines do not match the SHA-256 on this line: the file was changed after tnproof wrote it; sweep the shard again",
        ));
    }
    Ok(Sweep {
        fingerprint,
        shard,
        rows,
    })
}

/// The fingerprint and the shard from lines 2 to 9 (each `# key: value`), line 9 naming the
/// tnproof version; line 10, the seal, is checked once the rows are read.
fn read_fingerprint(lines: &[&str]) -> Result<(Fingerprint, Shard), CsvError> {
    let keys = [
        "case",
        "title",
        "file",
        "grid",
        "seeds",
        "claims",
        "shard",
        "written by",
        "sha256",
    ];
    let mut values = Vec::new();
    for (n, key) in keys.iter().enumerate() {
        let line = n + 2;
        let prefix = format!("# {key}: ");
        let value = lines
            .get(line - 1)
            .and_then(|l| l.strip_suffix('\n'))
            .and_then(|l| l.strip_prefix(&prefix))
            .ok_or_else(|| {
                error(
                    line,
                    format!("line {line} must begin '{prefix}', as tnproof sweep writes it"),
                )
            })?;
        values.push(value);
    }
    let invalid = |line: usize, what: &str| error(line, format!("the {} line is not {what}", keys[line - 2]));
    let text = |line: usize| {
        unescape(values[line - 2]).ok_or_else(|| invalid(line, "text escaped as tnproof writes it (\\\\, \\n, \\r)"))
    };
    let case = values[0].to_string();
    if case.is_empty() || !case.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
        return Err(invalid(2, "a case id (letters, digits, '-', '_' and '.')"));
    }
    let (file, sha256) = values[2]
        .rsplit_once(", sha256 ")
        .filter(|(_, h)| h.len() == 64 && h.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')))
        .ok_or_else(|| invalid(4, "'NAME, sha256 HEX' with 64 hexadecimal digits"))?;
    let (grid, grid_size) = values[3]
        .rsplit_once(" (")
        .and_then(|(grid, size)| Some((grid, size.strip_suffix(" points)")?.parse::<usize>().ok()?)))
        .ok_or_else(|| invalid(5, "'NAME = VALUES; ... (N points)'"))?;
    let claims: Vec<String> =
        serde_json::from_str(values[5]).map_err(|_| invalid(7, "a JSON list of strings, one per claim"))?;
    let shard: Shard = values[6]
        .split_once(',')
        .map_or(values[6], |(shard, _)| shard)
        .parse()
        .map_err(|e: String| invalid(8, &format!("a shard: {e}")))?;
    let version = values[7]
        .strip_prefix("tnproof ")
        .filter(|v| !v.is_empty() && !v.contains(char::is_whitespace))
        .ok_or_else(|| invalid(9, "'tnproof VERSION'"))?;
    let fingerprint = Fingerprint {
        case,
        title: text(3)?,
        file: unescape(file).ok_or_else(|| invalid(4, "a file name escaped as tnproof writes it"))?,
        sha256: sha256.to_string(),
        grid: grid.to_string(),
        seeds: text(6)?,
        claims,
        grid_size,
        version: version.to_string(),
    };
    if fingerprint.param_names().is_empty() {
        return Err(invalid(5, "a list of parameters 'NAME = VALUES' separated by '; '"));
    }
    Ok((fingerprint, shard))
}

/// A grid point as a row holds it: the integer parameters, and the depths of an instance about
/// every depth.
type Point = (Vec<(String, i64)>, Option<Depths>);

/// One record's fields, with its line for errors and the grid's parameter names.
struct Record<'a> {
    line: usize,
    fields: &'a [String],
    params: &'a [&'a str],
}

impl Record<'_> {
    /// The field of the column `name` (one of `COLUMNS`), after `index` and the parameters.
    fn field(&self, name: &str) -> &str {
        let position = COLUMNS.split(',').position(|c| c == name).expect("a column of COLUMNS");
        &self.fields[1 + self.params.len() + position]
    }

    fn invalid_text(&self, name: &str, value: &str, what: &str) -> CsvError {
        error(
            self.line,
            format!("the field '{name}' is '{value}', which is not {what}"),
        )
    }

    fn invalid(&self, name: &str, what: &str) -> CsvError {
        self.invalid_text(name, self.field(name), what)
    }

    fn number<T: std::str::FromStr>(&self, name: &str) -> Result<T, CsvError> {
        self.field(name)
            .parse()
            .map_err(|_| self.invalid(name, "a non-negative integer"))
    }

    fn optional_number<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, CsvError> {
        if self.field(name).is_empty() {
            return Ok(None);
        }
        self.number(name).map(Some)
    }

    fn optional_text(&self, name: &str) -> Option<String> {
        Some(self.field(name).to_string()).filter(|t| !t.is_empty())
    }

    /// A tuple `(2,1,2)` as `Tuple` writes it, or empty.
    fn tuple(&self, name: &str) -> Result<Option<Vec<usize>>, CsvError> {
        let text = self.field(name);
        if text.is_empty() {
            return Ok(None);
        }
        let values = text
            .strip_prefix('(')
            .and_then(|t| t.strip_suffix(')'))
            .and_then(|t| t.split(',').map(|v| v.parse().ok()).collect::<Option<Vec<usize>>>());
        match values {
            Some(v) if Tuple(&v).to_string() == text => Ok(Some(v)),
            _ => Err(self.invalid(name, "a tuple of non-negative integers like (2,1,2)")),
        }
    }

    fn verdict(&self, name: &str) -> Result<Verdict, CsvError> {
        verdict_of_word(self.field(name)).ok_or_else(|| self.invalid(name, "holds, fails or undecided"))
    }

    /// The parameters' values; the last, d, may be the depths of an instance about every depth,
    /// as `SweepRow::param_values` writes them.
    fn params(&self) -> Result<Point, CsvError> {
        let mut params = Vec::new();
        let mut depths = None;
        for (position, &name) in self.params.iter().enumerate() {
            let value = &self.fields[1 + position];
            let last_d = name == "d" && position + 1 == self.params.len();
            match value.parse::<i64>() {
                Ok(v) => params.push((name.to_string(), v)),
                Err(_) if last_d => {
                    depths = Some(Depths::from_label(value).ok_or_else(|| {
                        self.invalid_text(name, value, "an integer, or the depths even, all, even>=K or all>=K")
                    })?)
                }
                Err(_) => return Err(self.invalid_text(name, value, "an integer")),
            }
        }
        Ok((params, depths))
    }

    /// The row this record holds.
    fn row(&self) -> Result<SweepRow, CsvError> {
        let index = self.fields[0]
            .parse()
            .map_err(|_| self.invalid_text("index", &self.fields[0], "a non-negative integer"))?;
        let (params, depths) = self.params()?;
        let claim = self.number("claim")?;
        if claim == 0 {
            return Err(self.invalid("claim", "a claim number (they start at 1)"));
        }
        if self.field("kind").is_empty() {
            return Err(self.invalid("kind", "a claim kind"));
        }
        let relation = [Relation::AtLeast, Relation::Equal, Relation::AtMost]
            .into_iter()
            .find(|r| r.key() == self.field("relation"));
        let bound =
            match (self.field("relation"), relation, self.optional_number("bound")?) {
                ("", _, None) => None,
                (_, Some(relation), Some(bound)) => Some((relation, bound)),
                _ => return Err(error(
                    self.line,
                    "the fields 'relation' (at-least, equal or at-most) and 'bound' must be both given or both empty",
                )),
            };
        let certified = match self.field("certified") {
            "" => None,
            "yes" => Some(true),
            "no" => Some(false),
            _ => return Err(self.invalid("certified", "yes, no or empty")),
        };
        Ok(SweepRow {
            index,
            params,
            depths,
            claim,
            kind: self.field("kind").to_string(),
            bound,
            verdict: self.verdict("verdict")?,
            expected: match self.field("expected") {
                "probe" => Expected::Probe,
                _ => Expected::Is(self.verdict("expected")?),
            },
            rank: self.optional_number("rank")?,
            cut: self.optional_number("cut")?,
            certified,
            attempt: self.optional_number("attempt")?,
            numeric_rank: self.optional_number("numeric_rank")?,
            matricization: self.optional_text("matricization"),
            ranks: self.tuple("ranks")?,
            claimed_ranks: self.tuple("claimed_ranks")?,
            network_ranks: self.tuple("network_ranks")?,
            width: self.optional_text("width"),
            detail: self.field("detail").to_string(),
        })
    }
}

/// Splits RFC 4180 text, whose first line is line `first` of the file, into records of fields,
/// each with the 1-based line it starts on.
fn records(text: &str, first: usize) -> Result<Vec<(usize, Vec<String>)>, CsvError> {
    let mut records = Vec::new();
    let mut line = first;
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
            matricization: Some("(1,3),(2,4)".into()),
            ranks: None,
            claimed_ranks: None,
            network_ranks: Some(vec![2, 2, 2]),
            width: None,
            detail: "rank X^((1,3),(2,4)) mod p >= 4, \"quoted\"".into(),
        };
        Sweep {
            fingerprint: Fingerprint {
                case: "t".into(),
                title: "a title, with a comma\nand a line break".into(),
                file: "t.toml".into(),
                sha256: "0".repeat(64),
                grid: "n = 2; r = 2..4".into(),
                seeds: "construction.seed = 1".into(),
                claims: vec!["matricization-rank: matricization = \"odd-even\", at-least = \"q^(d/2)\"".into()],
                grid_size: 5,
                version: "0.0.9".into(),
            },
            shard: Shard { index: 2, count: 3 },
            rows: vec![row],
        }
    }

    /// The text with its seal made anew: what a file edited and sealed again looks like.
    fn resealed(text: &str) -> String {
        let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
        lines.remove(SEAL_LINE - 1);
        let seal = seal_line(&lines.concat());
        lines.insert(SEAL_LINE - 1, &seal);
        lines.concat()
    }

    #[test]
    fn csv_round_trips_and_lists_its_fingerprint_first() {
        let sweep = sample();
        let text = to_csv(&sweep);
        assert_eq!(from_csv(&text), Ok(sweep.clone()));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], FORMAT);
        assert_eq!(lines[2], "# title: a title, with a comma\\nand a line break");
        assert_eq!(lines[4], "# grid: n = 2; r = 2..4 (5 points)");
        assert_eq!(
            lines[6],
            r#"# claims: ["matricization-rank: matricization = \"odd-even\", at-least = \"q^(d/2)\""]"#
        );
        assert_eq!(lines[7], "# shard: 2/3, the grid points k (from 0) with k % 3 = 1");
        assert_eq!(lines[10], format!("index,n,r,{COLUMNS}"));
        assert!(
            lines[11].starts_with("1,2,3,1,matricization-rank,\"(1,3),(2,4)\",at-least,4,holds,"),
            "{text}"
        );
        assert!(lines[11].contains(",\"(2,2,2)\",,\"rank X"), "{text}");
        // The seal is the SHA-256 of the other lines: what `sha256sum` gives for the file
        // without its line 10.
        let others: String = text
            .split_inclusive('\n')
            .enumerate()
            .filter(|(n, _)| *n != SEAL_LINE - 1)
            .map(|(_, l)| l)
            .collect();
        // The version that decided the rows, not necessarily this one.
        assert_eq!(lines[8], "# written by: tnproof 0.0.9");
        assert_eq!(
            lines[9],
            format!("# sha256: {}, of this file's other lines", sha256_hex(&others))
        );
        assert_eq!(seal(&sweep), sha256_hex(&others));
        // CRLF line ends read as LF, and the seal still matches.
        assert_eq!(from_csv(&text.replace('\n', "\r\n")), Ok(sweep));
    }

    /// Any change of a line but the seal's is refused at the seal's line, however well formed.
    #[test]
    fn an_edited_line_breaks_the_seal() {
        let text = to_csv(&sample());
        for (from, to) in [
            (",holds,holds,", ",fails,holds,"),
            (",4,4,yes,", ",5,4,yes,"),
            ("construction.seed = 1", "construction.seed = 2"),
            ("# case: t\n", "# case: u\n"),
            ("\"\"quoted\"\"", "\"\"quoted!\"\""),
        ] {
            assert!(text.contains(from), "{from}");
            let edited = text.replacen(from, to, 1);
            assert_eq!(from_csv(&edited).unwrap_err().line, SEAL_LINE, "{from} -> {to}");
            assert!(from_csv(&resealed(&edited)).is_ok(), "{from} -> {to}");
        }
        let last = text.lines().last().unwrap_or_default().to_string();
        let error = from_csv(&text.replacen(&format!("{last}\n"), "", 1)).unwrap_err();
        assert!(error.message.contains("changed after tnproof wrote it"), "{error}");
    }

    /// An instance about every depth at once has `even` (or `all`, `even>=4`, `all>=3`) in its
    /// d column, read back as the same depths, so a CSV round trip (and a merge of shards)
    /// gives the same bytes.
    #[test]
    fn csv_round_trips_the_depths_of_every_depth_at_once() {
        for (depths, text) in [
            (Depths { even: true, least: 2 }, "even"),
            (Depths { even: false, least: 2 }, "all"),
            (Depths { even: true, least: 4 }, "even>=4"),
            (Depths { even: false, least: 3 }, "all>=3"),
        ] {
            let mut sweep = sample();
            sweep.fingerprint.grid = format!("n = 2; r = 2..4; d = {text}");
            sweep.rows[0].depths = Some(depths);
            sweep.rows[0].bound = None;
            assert_eq!(sweep.rows[0].params_text(), format!("n=2 r=3 d={text}"));
            let csv = to_csv(&sweep);
            assert!(csv.contains(&format!("\n1,2,3,{text},1,")), "{csv}");
            let read = from_csv(&csv).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(read, sweep);
            assert_eq!(to_csv(&read), csv);
        }
        // Only the labels tnproof writes, only in the last column d.
        let mut sweep = sample();
        sweep.fingerprint.grid = "n = 2; r = 2..4; d = 4".into();
        sweep.rows[0].params.push(("d".into(), 4));
        let csv = to_csv(&sweep);
        let read = from_csv(&csv).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((read.rows[0].param("d"), read.rows[0].depths), (Some(4), None));
        for d in ["even>=5", "odd", "even>=2", "all>=03", "", "Even"] {
            let edited = resealed(&csv.replace("\n1,2,3,4,1,", &format!("\n1,2,3,{d},1,")));
            let error = from_csv(&edited).unwrap_err();
            assert!(error.message.starts_with("the field 'd' is"), "{d}: {error}");
        }
        let edited = resealed(&csv.replace("\n1,2,3,4,1,", "\n1,even,3,4,1,"));
        let error = from_csv(&edited).unwrap_err();
        assert!(
            error
                .message
                .starts_with("the field 'n' is 'even', which is not an integer"),
            "{error}"
        );
    }

    #[test]
    fn malformed_csv_names_the_line() {
        let text = to_csv(&sample());
        let line_of = |text: &str| from_csv(text).unwrap_err().line;
        assert_eq!(line_of(""), 1);
        assert_eq!(line_of("index,n\n"), 1);
        assert_eq!(line_of(&text.replace("# grid:", "# grid")), 5);
        assert_eq!(line_of(&text.replace("t.toml, sha256 ", "t.toml, sha ")), 4);
        assert_eq!(line_of(&text.replace("(5 points)", "(five points)")), 5);
        assert_eq!(line_of(&text.replace("# claims: [", "# claims: (")), 7);
        assert_eq!(line_of(&text.replace("# shard: 2/3", "# shard: 4/3")), 8);
        assert_eq!(line_of(&text.replace("tnproof 0.0.9", "tnproof")), 9);
        assert_eq!(line_of(&text.replace("tnproof 0.0.9", "tnproof 0.0 9")), 9);
        assert_eq!(line_of(&text.replace(",n,r,", ",r,n,")), 11);
        assert_eq!(line_of(&text.replace(",holds,holds,", ",held,holds,")), 12);
        assert_eq!(line_of(&format!("{text}\n")), 13);
        assert_eq!(line_of(&format!("{text}t,\"x\"y")), 13);
        assert_eq!(line_of(&format!("{text}t,x\"y")), 13);
        assert_eq!(line_of(&format!("{text}t,\"x")), 13);
        let message = |text: &str| from_csv(text).unwrap_err().message;
        for tuple in ["(2,2,)", "2,2,2", "(2, 2)", "(-1)", "()"] {
            let edited = resealed(&text.replace("\"(2,2,2)\"", &format!("\"{tuple}\"")));
            assert!(
                message(&edited).starts_with(&format!("the field 'network_ranks' is '{tuple}', which is not a tuple")),
                "{tuple}"
            );
        }
        assert!(message(&text.replace("\n1,2,3,", "\n0,2,3,")).contains("does not belong to shard 2/3"));
        assert!(message(&text.replace("\n1,2,3,", "\n7,2,3,")).contains("outside the grid of 5 points"));
    }
}
