//! Reads a case file's TOML into a `Case`, checking every key and value and keeping the byte
//! position of each expression so that later errors point into the file. Nothing here evaluates
//! an expression for particular parameters: that is `instance`'s job.

use super::{InputError, SourceFile};
use crate::claim::Relation;
use crate::expr::Expr;
use toml_edit::{ImDocument, Item, Table, TableLike};

/// Names that expressions bind themselves: core indices and positions, and matricization modes.
pub const INDEX_NAMES: [&str; 5] = ["a", "i", "b", "k", "m"];

/// An expression from the file with the byte offset where its text starts.
#[derive(Clone, Debug)]
pub struct Located {
    pub expr: Expr,
    pub offset: usize,
}

/// One grid parameter: its values, in file order, and where it was given.
#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub values: Vec<i64>,
    pub offset: usize,
}

#[derive(Clone, Debug)]
pub enum ConstructionSpec {
    /// Cores per position: bond dimensions from `ranks` (in k), entries from `core` (in a, i, b, k).
    Tt { ranks: Located, core: Located },
    /// `first`, `inner` (the same at every inner position), `last`, bond dimension `r`.
    TtEqual { first: Located, inner: Located, last: Located },
}

/// How a claim names a matricization.
#[derive(Clone, Debug)]
pub enum MatricizationSpec {
    /// Rows `(1,3,...,d-1)`, columns `(2,4,...,d)`.
    OddEven { offset: usize },
    /// Rows: the modes `m` (1-based) where the predicate holds; columns: the others.
    Rows(Located),
}

#[derive(Clone, Debug)]
pub enum ClaimSpec {
    IdentitySubmatrix { matricization: MatricizationSpec, q: Located },
    MatricizationRank { matricization: MatricizationSpec, relation: Relation, bound: Located },
    TtRanks { relation: Relation, bound: Located },
    SupportStructure { path: Located, q: Located },
    CpRankLowerBound { matricization: MatricizationSpec, bound: Located },
}

/// What the case expects of a claim.
#[derive(Clone, Debug)]
pub enum Expectation {
    Holds,
    Fails,
    /// Fails exactly at the grid points where the condition is true, holds elsewhere.
    FailsWhere(Located),
}

#[derive(Clone, Debug)]
pub struct ClaimEntry {
    pub spec: ClaimSpec,
    pub expect: Expectation,
    /// Where the claim's table starts, for errors about the claim as a whole.
    pub offset: usize,
}

/// A parsed case file.
#[derive(Clone, Debug)]
pub struct Case {
    pub source_file: SourceFile,
    pub id: String,
    pub title: String,
    pub source: String,
    pub construction: ConstructionSpec,
    pub params: Vec<Param>,
    pub lets: Vec<(String, Located)>,
    pub claims: Vec<ClaimEntry>,
}

const CLAIM_KINDS: [&str; 5] =
    ["identity-submatrix", "matricization-rank", "tt-ranks", "support-structure", "cp-rank-lower-bound"];
const CONSTRUCTION_KINDS: [&str; 2] = ["tt", "tt-equal"];

/// Parses a case file. `name` is how errors name the file (a path as the user gave it).
pub fn parse_case(name: &str, text: &str) -> Result<Case, InputError> {
    let file = SourceFile { name: name.to_string(), text: text.to_string() };
    let doc = ImDocument::parse(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        file.error_at(offset, format!("this is not valid TOML: {}", e.message().trim()))
    })?;
    let reader = Reader { file: &file };
    let root = doc.as_table();
    reader.only_keys(root, 0, &["case", "construction", "claim"], "the top level")?;

    let case_table = reader.table(root, "case", 0)?;
    let id = reader.string(case_table.0, "case", "id", case_table.1)?;
    if id.0.is_empty() || !id.0.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
        return Err(file.error_at(id.1, "a case id may use only letters, digits, '-', '_' and '.' (it names certificate files)"));
    }
    let title = reader.optional_string(case_table.0, "title")?.map(|t| t.0).unwrap_or_default();
    let source = reader.string(case_table.0, "case", "source", case_table.1)?.0;
    reader.only_keys(case_table.0, case_table.1, &["id", "title", "source"], "[case]")?;

    let (construction_table, construction_offset) = reader.table(root, "construction", 0)?;
    let (construction, params, lets) = reader.construction(construction_table, construction_offset)?;

    let claims = match root.get("claim") {
        None => return Err(file.error_at(text.len(), "a case needs at least one [[claim]]")),
        Some(item) => match item.as_array_of_tables() {
            Some(tables) => tables
                .iter()
                .map(|t| reader.claim(t))
                .collect::<Result<Vec<_>, _>>()?,
            None => return Err(file.error_at(span_start(item), "'claim' must be an array of tables: write each as [[claim]]")),
        },
    };
    Ok(Case { source_file: file.clone(), id: id.0, title, source, construction, params, lets, claims })
}

fn span_start(item: &Item) -> usize {
    item.span().map_or(0, |s| s.start)
}

struct Reader<'f> {
    file: &'f SourceFile,
}

impl Reader<'_> {
    fn error(&self, offset: usize, message: impl Into<String>) -> InputError {
        self.file.error_at(offset, message)
    }

    /// Rejects keys outside `allowed`, suggesting the nearest allowed key.
    fn only_keys(&self, table: &dyn TableLike, offset: usize, allowed: &[&str], place: &str) -> Result<(), InputError> {
        for (key, item) in table.iter() {
            if !allowed.contains(&key) {
                let at = table.get_key_value(key).and_then(|(k, _)| k.span()).map_or(span_start(item).max(offset), |s| s.start);
                let hint = nearest(key, allowed).map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default();
                return Err(self.error(at, format!("unknown key '{key}' in {place}{hint}; allowed here: {}", allowed.join(", "))));
            }
        }
        Ok(())
    }

    /// A required sub-table and the offset of its header.
    fn table<'t>(&self, parent: &'t Table, key: &str, offset: usize) -> Result<(&'t Table, usize), InputError> {
        match parent.get(key) {
            None => Err(self.error(offset, format!("the case file has no [{key}] table"))),
            Some(item) => match item.as_table() {
                Some(t) => Ok((t, t.span().map_or(span_start(item), |s| s.start))),
                None => Err(self.error(span_start(item), format!("'{key}' must be a table: write it as [{key}]"))),
            },
        }
    }

    fn string(&self, table: &dyn TableLike, place: &str, key: &str, offset: usize) -> Result<(String, usize), InputError> {
        self.optional_string(table, key)?
            .ok_or_else(|| self.error(offset, format!("[{place}] needs a '{key}'")))
    }

    fn optional_string(&self, table: &dyn TableLike, key: &str) -> Result<Option<(String, usize)>, InputError> {
        let Some(item) = table.get(key) else { return Ok(None) };
        match item.as_str() {
            Some(s) => Ok(Some((s.to_string(), self.content_offset(item)))),
            None => Err(self.error(span_start(item), format!("'{key}' must be a string, found {}", item.type_name()))),
        }
    }

    /// Byte offset of the first character inside a string value's quotes.
    fn content_offset(&self, item: &Item) -> usize {
        let start = span_start(item);
        let rest = self.file.text.get(start..).unwrap_or("");
        if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
            start + 3 + usize::from(rest[3..].starts_with('\n'))
        } else {
            start + 1
        }
    }

    /// A string value parsed as an expression.
    fn expr(&self, table: &dyn TableLike, place: &str, key: &str, offset: usize) -> Result<Located, InputError> {
        let item = table.get(key).ok_or_else(|| self.error(offset, format!("{place} needs '{key}'")))?;
        self.expr_item(item, key)
    }

    fn expr_item(&self, item: &Item, key: &str) -> Result<Located, InputError> {
        let offset = self.content_offset(item);
        let text = match (item.as_str(), item.as_integer()) {
            (Some(s), _) => s.to_string(),
            (None, Some(v)) => return Ok(Located { expr: parse_expr(&v.to_string(), self.file, span_start(item))?, offset: span_start(item) }),
            _ => return Err(self.error(span_start(item), format!("'{key}' must be an expression in a string, found {}", item.type_name()))),
        };
        Ok(Located { expr: parse_expr(&text, self.file, offset)?, offset })
    }

    fn construction(
        &self,
        table: &Table,
        offset: usize,
    ) -> Result<(ConstructionSpec, Vec<Param>, Vec<(String, Located)>), InputError> {
        let (kind, kind_at) = self.string(table, "construction", "kind", offset)?;
        let mut params = Vec::new();
        for (key, item) in table.iter() {
            if matches!(key, "kind" | "ranks" | "let" | "cores") {
                continue;
            }
            let at = table.get_key_value(key).and_then(|(k, _)| k.span()).map_or(span_start(item), |s| s.start);
            if INDEX_NAMES.contains(&key) {
                return Err(self.error(at, format!("'{key}' cannot be a parameter: it is the name of an index (a, i, b, k, m are bound inside expressions)")));
            }
            if !is_name(key) {
                return Err(self.error(at, format!("'{key}' is not a usable parameter name (letters, digits and '_', not starting with a digit)")));
            }
            params.push(Param { name: key.to_string(), values: self.param_values(item, key)?, offset: span_start(item) });
        }
        for required in ["n", "d"] {
            if !params.iter().any(|p| p.name == required) {
                return Err(self.error(offset, format!("[construction] needs the parameter '{required}' ({})", if required == "n" { "the mode size" } else { "the order" })));
            }
        }
        let mut lets = Vec::new();
        if let Some(item) = table.get("let") {
            let lt = item.as_table_like().ok_or_else(|| self.error(span_start(item), "'let' must be a table: write it as [construction.let]"))?;
            for (name, value) in lt.iter() {
                let at = lt.get_key_value(name).and_then(|(k, _)| k.span()).map_or(span_start(value), |s| s.start);
                if INDEX_NAMES.contains(&name) || params.iter().any(|p| p.name == name) || lets.iter().any(|(l, _)| l == name) || !is_name(name) {
                    return Err(self.error(at, format!("'{name}' cannot be bound here: it is an index name, a parameter, bound twice, or not a name")));
                }
                lets.push((name.to_string(), self.expr_item(value, name)?));
            }
        }
        let cores_item = table.get("cores").ok_or_else(|| self.error(offset, "[construction] needs a [construction.cores] table"))?;
        let cores = cores_item.as_table_like().ok_or_else(|| self.error(span_start(cores_item), "'cores' must be a table: write it as [construction.cores]"))?;
        let cores_at = span_start(cores_item);
        let spec = match kind.as_str() {
            "tt" => {
                self.only_keys(cores, cores_at, &["core"], "[construction.cores] of a 'tt' construction")?;
                let ranks = self.expr(table, "a 'tt' construction", "ranks", offset)?;
                ConstructionSpec::Tt { ranks, core: self.expr(cores, "[construction.cores]", "core", cores_at)? }
            }
            "tt-equal" => {
                self.only_keys(cores, cores_at, &["first", "inner", "last"], "[construction.cores] of a 'tt-equal' construction")?;
                if table.contains_key("ranks") {
                    return Err(self.error(span_start(&table["ranks"]), "a 'tt-equal' construction has one bond dimension, the parameter 'r'; 'ranks' is for kind 'tt'"));
                }
                if !params.iter().any(|p| p.name == "r") {
                    return Err(self.error(offset, "a 'tt-equal' construction needs the parameter 'r' (its bond dimension)"));
                }
                let get = |key| self.expr(cores, "[construction.cores]", key, cores_at);
                ConstructionSpec::TtEqual { first: get("first")?, inner: get("inner")?, last: get("last")? }
            }
            other => {
                let hint = nearest(other, &CONSTRUCTION_KINDS).map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default();
                return Err(self.error(kind_at, format!("unknown construction kind '{other}'{hint}; known kinds: {}", CONSTRUCTION_KINDS.join(", "))));
            }
        };
        Ok((spec, params, lets))
    }

    /// An integer, an array of integers, or an inclusive range `"lo..hi"`.
    fn param_values(&self, item: &Item, key: &str) -> Result<Vec<i64>, InputError> {
        let at = span_start(item);
        if let Some(v) = item.as_integer() {
            return Ok(vec![v]);
        }
        if let Some(array) = item.as_array() {
            let values = array
                .iter()
                .map(|v| v.as_integer().ok_or_else(|| self.error(v.span().map_or(at, |s| s.start), format!("the values of '{key}' must be integers, found {}", v.type_name()))))
                .collect::<Result<Vec<_>, _>>()?;
            if values.is_empty() {
                return Err(self.error(at, format!("'{key}' lists no values")));
            }
            return Ok(values);
        }
        if let Some(range) = item.as_str() {
            let bounds = range.split_once("..").map(|(lo, hi)| (lo.trim().parse::<i64>(), hi.trim().trim_start_matches('=').parse::<i64>()));
            return match bounds {
                Some((Ok(lo), Ok(hi))) if lo <= hi && hi - lo < 100_000 => Ok((lo..=hi).collect()),
                _ => Err(self.error(self.content_offset(item), format!("'{key}' must be an integer, a list of integers or an inclusive range like \"1..6\""))),
            };
        }
        Err(self.error(at, format!("'{key}' must be an integer, a list of integers or an inclusive range like \"1..6\", found {}", item.type_name())))
    }

    fn claim(&self, table: &Table) -> Result<ClaimEntry, InputError> {
        let offset = table.span().map_or(0, |s| s.start);
        let (kind, kind_at) = self.string(table, "claim", "kind", offset)?;
        let place = format!("a '{kind}' claim");
        let common = ["kind", "expect", "fails-where"];
        let allowed: &[&str] = match kind.as_str() {
            "identity-submatrix" => &["matricization", "rows", "q"],
            "matricization-rank" => &["matricization", "rows", "at-least", "equal", "at-most"],
            "tt-ranks" => &["equal", "at-most"],
            "support-structure" => &["path", "q"],
            "cp-rank-lower-bound" => &["matricization", "rows", "at-least"],
            other => {
                let hint = nearest(other, &CLAIM_KINDS).map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default();
                return Err(self.error(kind_at, format!("unknown claim kind '{other}'{hint}; known kinds: {}", CLAIM_KINDS.join(", "))));
            }
        };
        let keys: Vec<&str> = common.iter().chain(allowed).copied().collect();
        self.only_keys(table, offset, &keys, &place)?;
        let spec = match kind.as_str() {
            "identity-submatrix" => ClaimSpec::IdentitySubmatrix {
                matricization: self.matricization(table, offset)?,
                q: self.expr(table, &place, "q", offset)?,
            },
            "matricization-rank" => {
                let (relation, bound) = self.relation(table, &place, offset, &[Relation::AtLeast, Relation::Equal, Relation::AtMost])?;
                ClaimSpec::MatricizationRank { matricization: self.matricization(table, offset)?, relation, bound }
            }
            "tt-ranks" => {
                let (relation, bound) = self.relation(table, &place, offset, &[Relation::Equal, Relation::AtMost])?;
                ClaimSpec::TtRanks { relation, bound }
            }
            "support-structure" => ClaimSpec::SupportStructure {
                path: self.expr(table, &place, "path", offset)?,
                q: match table.get("q") {
                    Some(item) => self.expr_item(item, "q")?,
                    None => Located { expr: parse_expr("q", self.file, offset)?, offset },
                },
            },
            _ => ClaimSpec::CpRankLowerBound {
                matricization: self.matricization(table, offset)?,
                bound: self.expr(table, &place, "at-least", offset)?,
            },
        };
        let expect = match (table.get("expect"), table.get("fails-where")) {
            (Some(_), Some(item)) => return Err(self.error(span_start(item), "give either 'expect' or 'fails-where', not both")),
            (None, Some(item)) => Expectation::FailsWhere(self.expr_item(item, "fails-where")?),
            (None, None) => Expectation::Holds,
            (Some(item), None) => match item.as_str() {
                Some("holds") => Expectation::Holds,
                Some("fails") => Expectation::Fails,
                _ => return Err(self.error(span_start(item), "'expect' must be \"holds\" or \"fails\"")),
            },
        };
        Ok(ClaimEntry { spec, expect, offset })
    }

    fn matricization(&self, table: &Table, offset: usize) -> Result<MatricizationSpec, InputError> {
        match (table.get("matricization"), table.get("rows")) {
            (Some(_), Some(item)) => Err(self.error(span_start(item), "give either 'matricization' or 'rows', not both")),
            (None, Some(item)) => Ok(MatricizationSpec::Rows(self.expr_item(item, "rows")?)),
            (Some(item), None) => match item.as_str() {
                Some("odd-even") => Ok(MatricizationSpec::OddEven { offset: span_start(item) }),
                _ => Err(self.error(span_start(item), "'matricization' must be \"odd-even\"; for another split give 'rows', a condition on the mode m (1-based), e.g. rows = \"m <= d / 2\"")),
            },
            (None, None) => Err(self.error(offset, "this claim needs 'matricization = \"odd-even\"' or 'rows = \"<condition on m>\"'")),
        }
    }

    fn relation(&self, table: &Table, place: &str, offset: usize, allowed: &[Relation]) -> Result<(Relation, Located), InputError> {
        let given: Vec<Relation> = allowed.iter().copied().filter(|r| table.contains_key(r.key())).collect();
        match given.as_slice() {
            [r] => Ok((*r, self.expr(table, place, r.key(), offset)?)),
            [] => Err(self.error(offset, format!("{place} needs one of {}", allowed.iter().map(|r| format!("'{}'", r.key())).collect::<Vec<_>>().join(", ")))),
            _ => Err(self.error(span_start(&table[given[1].key()]), format!("{place} takes only one of {}", allowed.iter().map(|r| format!("'{}'", r.key())).collect::<Vec<_>>().join(", ")))),
        }
    }
}

/// Parses an expression whose text starts at byte `offset` of `file`.
fn parse_expr(text: &str, file: &SourceFile, offset: usize) -> Result<Expr, InputError> {
    Expr::parse(text).map_err(|e| file.error_at(offset + e.span.start, e.message))
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The candidate within edit distance 2 of `word`, if any (the closest first).
pub fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(dist, _)| *dist <= 2)
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
