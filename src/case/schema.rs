//! Reads a case file's TOML into a `Case`, checking every key and value, and every name each
//! expression uses, and keeping the byte position of each expression so that later errors point
//! into the file. Nothing here evaluates an expression for particular parameters: that is
//! `instance`'s job.

pub(crate) mod conversion;
mod cp;
mod every_depth;
mod generalized;
mod hierarchical;

pub use every_depth::{DepthClaimSpec, EveryDepthSpec};
pub use hierarchical::{ExplicitHt, HtSpec, TreeSpec};

pub use generalized::{DrawSpec, FeaturesSpec, GeneralizedSpec, NameRef, NetworkSpec, Perturbation, TensorSpec};

use super::{InputError, SourceFile};
use crate::claim::{ClaimKind, Relation, Subject, Verdict, COMMON_KEYS};
use crate::draw::{Entries, RandomKind};
use crate::expr::{suggestion, Expr};
use crate::field::modp::PRIME;
use std::ops::{Range, RangeInclusive};
use toml_edit::{ImDocument, Item, Table, TableLike};

/// Names that expressions bind themselves: core indices and positions, and matricization modes.
pub const INDEX_NAMES: [&str; 5] = ["a", "i", "b", "k", "m"];

/// An expression from the file with the byte offset where its text starts.
#[derive(Clone, Debug)]
pub struct Located {
    pub expr: Expr,
    pub offset: usize,
    /// Whether the file holds the expression's text as is (no escapes), so that byte `j` of the
    /// text is byte `offset + j` of the file.
    pub verbatim: bool,
}

impl Located {
    /// The file offset of byte `at` of the expression's text; the start of the text when
    /// escapes in the file make the two differ.
    pub fn offset_of(&self, at: usize) -> usize {
        if self.verbatim {
            self.offset + at
        } else {
            self.offset
        }
    }
}

/// One grid parameter: its values, in file order, and where they were given.
#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub values: Vec<i64>,
    /// Where the parameter's value starts.
    pub offset: usize,
    /// For a list, each value with where it is written.
    pub listed: Vec<(i64, usize)>,
}

impl Param {
    /// Where `value` is written: its list element, else the parameter's value as a whole.
    pub fn offset_of(&self, value: i64) -> usize {
        self.listed
            .iter()
            .find(|(v, _)| *v == value)
            .map_or(self.offset, |(_, at)| *at)
    }
}

#[derive(Clone, Debug)]
pub enum ConstructionSpec {
    /// Cores per position: bond dimensions from `ranks` (in k), entries from `core` (in a, i, b, k).
    Tt { ranks: Located, core: Located },
    /// `first`, `inner` (the same at every inner position), `last`, bond dimension `r`.
    TtEqual {
        first: Located,
        inner: Located,
        last: Located,
    },
    /// A CP network: its rank R from `rank`, factor entries `V_k[i, a]` from `factor` (in a, k,
    /// i), optional weights `lambda_a` (in a).
    Cp {
        rank: Located,
        factor: Located,
        lambda: Option<Located>,
    },
    /// Cores drawn at random (mode size `n`, bond or edge dimension `r`, order `d`); for
    /// `random-ht`, the tree, form and ranks in `ht`.
    Random {
        kind: RandomKind,
        seed: u64,
        entries: Entries,
        tries: usize,
        ht: Option<HtSpec>,
    },
    /// A generalized network (mode size `M`, order `T`) and the networks it is compared with.
    Generalized(Box<GeneralizedSpec>),
    /// An HT network given exactly: tree, form, ranks and node tensor expressions.
    Ht(Box<ExplicitHt>),
}

/// How a claim names a matricization.
#[derive(Clone, Debug)]
pub enum MatricizationSpec {
    /// Rows `(1,3,...,d-1)`, columns `(2,4,...,d)`; `offset` is where `odd-even` is written.
    OddEven { offset: usize },
    /// Rows: the modes `m` (1-based) where the predicate holds; columns: the others.
    Rows(Located),
}

#[derive(Clone, Debug)]
pub enum ClaimSpec {
    IdentitySubmatrix {
        matricization: MatricizationSpec,
        q: Located,
    },
    MatricizationRank {
        matricization: MatricizationSpec,
        relation: Relation,
        bound: Located,
    },
    TtRanks {
        relation: Relation,
        bound: Located,
    },
    /// The ranks of X^(node, rest) over a tree: the claim's own (`tree`, where it starts) or the
    /// network's; the bound an expression in level, first, last.
    HtRanks {
        tree: Option<(TreeSpec, usize)>,
        relation: Relation,
        bound: Located,
    },
    SupportStructure {
        path: Located,
        q: Located,
    },
    CpRankLowerBound {
        matricization: MatricizationSpec,
        bound: Located,
    },
    /// `at-most`, and optionally the matricization whose rank bounds the CP-rank from below.
    CpRankUpperBound {
        matricization: Option<MatricizationSpec>,
        bound: Located,
    },
    GridTensorEqual {
        to: Located,
    },
    GridPattern {
        zero_where: Located,
    },
    ShallowWidthLowerBound {
        bound: Located,
    },
    /// The network written as another kind (`to`), its ranks at most `bound`.
    Conversion {
        target: conversion::TargetSpec,
        bound: Located,
    },
}

impl MatricizationSpec {
    /// The key and its text as the case file writes them.
    fn key(&self) -> (&'static str, &str) {
        match self {
            MatricizationSpec::OddEven { .. } => ("matricization", "odd-even"),
            MatricizationSpec::Rows(rows) => ("rows", rows.expr.source()),
        }
    }
}

impl ClaimSpec {
    /// The claim's kind.
    pub fn kind(&self) -> ClaimKind {
        match self {
            ClaimSpec::IdentitySubmatrix { .. } => ClaimKind::IdentitySubmatrix,
            ClaimSpec::MatricizationRank { .. } => ClaimKind::MatricizationRank,
            ClaimSpec::TtRanks { .. } => ClaimKind::TtRanks,
            ClaimSpec::HtRanks { .. } => ClaimKind::HtRanks,
            ClaimSpec::SupportStructure { .. } => ClaimKind::SupportStructure,
            ClaimSpec::CpRankLowerBound { .. } => ClaimKind::CpRankLowerBound,
            ClaimSpec::CpRankUpperBound { .. } => ClaimKind::CpRankUpperBound,
            ClaimSpec::GridTensorEqual { .. } => ClaimKind::GridTensorEqual,
            ClaimSpec::GridPattern { .. } => ClaimKind::GridPattern,
            ClaimSpec::ShallowWidthLowerBound { .. } => ClaimKind::ShallowWidthLowerBound,
            ClaimSpec::Conversion { .. } => ClaimKind::Conversion,
        }
    }

    /// The claim's keys particular to its kind, with their text as the case file writes them
    /// (the implicit `q` of a support-structure claim as `q`): what certificates state the
    /// claim from, for the kernel to evaluate again.
    pub fn keys(&self) -> Vec<(&'static str, &str)> {
        fn text(l: &Located) -> &str {
            l.expr.source()
        }
        match self {
            ClaimSpec::IdentitySubmatrix { matricization, q } => vec![matricization.key(), ("q", text(q))],
            ClaimSpec::MatricizationRank {
                matricization,
                relation,
                bound,
            } => vec![matricization.key(), (relation.key(), text(bound))],
            ClaimSpec::TtRanks { relation, bound } => vec![(relation.key(), text(bound))],
            ClaimSpec::HtRanks { tree, relation, bound } => tree
                .as_ref()
                .map(|(t, _)| ("tree", t.text()))
                .into_iter()
                .chain([(relation.key(), text(bound))])
                .collect(),
            ClaimSpec::SupportStructure { path, q } => vec![("path", text(path)), ("q", text(q))],
            ClaimSpec::CpRankLowerBound { matricization, bound } => {
                vec![matricization.key(), ("at-least", text(bound))]
            }
            ClaimSpec::CpRankUpperBound { matricization, bound } => matricization
                .iter()
                .map(MatricizationSpec::key)
                .chain([("at-most", text(bound))])
                .collect(),
            ClaimSpec::GridTensorEqual { to } => vec![("to", text(to))],
            ClaimSpec::GridPattern { zero_where } => vec![("zero-where", text(zero_where))],
            ClaimSpec::ShallowWidthLowerBound { bound } => vec![("at-least", text(bound))],
            ClaimSpec::Conversion { target, bound } => {
                let tree = match target {
                    conversion::TargetSpec::Ht(Some((t, _))) => Some(("tree", t.text())),
                    _ => None,
                };
                std::iter::once(("to", target.name()))
                    .chain(tree)
                    .chain([("at-most", text(bound))])
                    .collect()
            }
        }
    }
}

/// What the case expects of a claim.
#[derive(Clone, Debug)]
pub enum Expectation {
    /// `expect = "holds" | "fails" | "undecided"` (or no key: holds), for the whole grid.
    Is(Verdict),
    /// `holds-where`, `fails-where`, `undecided-where` (any of them, in file order): the verdict
    /// expected where each condition is true, at most one of them true at any point; elsewhere
    /// the claim holds, or is a probe (either verdict accepted and reported) when `holds-where`
    /// is given, its region being a proved one.
    Where(Vec<Region>),
}

/// One `-where` condition of a claim and the verdict it expects.
#[derive(Clone, Debug)]
pub struct Region {
    pub verdict: Verdict,
    pub condition: Located,
}

impl Region {
    /// The key that gives this region: `holds-where`, `fails-where` or `undecided-where`.
    pub fn key(&self) -> &'static str {
        match self.verdict {
            Verdict::Holds => "holds-where",
            Verdict::Fails => "fails-where",
            Verdict::Undecided => "undecided-where",
        }
    }
}

/// The `-where` keys of a claim, each with the verdict it expects.
const REGION_KEYS: [(&str, Verdict); 3] = [
    ("holds-where", Verdict::Holds),
    ("fails-where", Verdict::Fails),
    ("undecided-where", Verdict::Undecided),
];

#[derive(Clone, Debug)]
pub struct ClaimEntry {
    pub spec: ClaimSpec,
    pub expect: Expectation,
    /// Where the claim's table starts, for errors about the claim as a whole.
    pub offset: usize,
    /// For rank claims with `numeric = true`: the f64 SVD cross-check and its relative
    /// tolerance (`None`: numpy's default, sigma_max * max(m, n) * eps).
    pub numeric: Option<Option<f64>>,
}

/// A parsed case file.
#[derive(Clone, Debug)]
pub struct Case {
    pub source_file: SourceFile,
    pub id: String,
    /// Where the id's text starts.
    pub id_offset: usize,
    pub title: String,
    pub source: String,
    pub construction: ConstructionSpec,
    pub params: Vec<Param>,
    pub lets: Vec<(String, Located)>,
    pub claims: Vec<ClaimEntry>,
    pub estimates: Vec<EstimateEntry>,
    /// For `d = "even"` (or `"all"`, `"even >= K"`, `"all >= K"`): every depth at once; d is then
    /// not among `params`.
    pub every_depth: Option<EveryDepthSpec>,
}

/// One `[[estimate]]`: a floating-point CP-rank estimate by ALS, reported, never a verdict.
#[derive(Clone, Debug)]
pub struct EstimateEntry {
    /// The largest CP-rank tried.
    pub max_rank: Located,
    pub restarts: usize,
    pub target: f64,
    pub seed: u64,
    pub offset: usize,
}

const CONSTRUCTION_KINDS: [&str; 9] = [
    "tt",
    "tt-equal",
    "ht",
    "cp",
    "random-tt",
    "random-tt-equal",
    "random-cp",
    "random-ht",
    "generalized",
];
const RANDOM_KINDS: [RandomKind; 4] = [RandomKind::Tt, RandomKind::TtEqual, RandomKind::Cp, RandomKind::Ht];
/// The most values a range parameter `"lo..hi"` may have.
const MAX_RANGE: i64 = 100_000;
/// The keys of [construction] that are not parameters.
const CONSTRUCTION_KEYS: [&str; 11] = [
    "kind",
    "ranks",
    "rank",
    "tree",
    "form",
    "let",
    "cores",
    "seed",
    "integers",
    "fractions",
    "tries",
];
/// The pairs `integers = [lo, hi]` and `fractions = [p, q]` a draw accepts, with what a refused
/// pair needs.
pub(super) struct EntryLimits {
    /// A pair for messages, like `[-3, 3]`.
    pub example: &'static str,
    /// The largest `|lo|` and `|hi|`; `hi - lo` must fit in 64 bits too.
    pub magnitude: u64,
    pub integers_need: &'static str,
    pub numerators: RangeInclusive<i64>,
    pub denominators: RangeInclusive<i64>,
    pub fractions_need: &'static str,
}

/// The entries of random cores: any integer range of 64 bits, denominators below the prime
/// of the modular rank.
const RANDOM_CORE_ENTRIES: EntryLimits = EntryLimits {
    example: "[-100, 100]",
    magnitude: i64::MIN.unsigned_abs(),
    integers_need: "'integers = [lo, hi]' needs lo <= hi (and a range that fits in 64 bits)",
    numerators: 1..=i64::MAX,
    denominators: 1..=(PRIME - 1) as i64,
    fractions_need: "'fractions = [p, q]' needs p >= 1 and 1 <= q < 2^61 - 1",
};

/// The keys of a random construction that are not parameters.
const RANDOM_KEYS: [&str; 4] = ["seed", "integers", "fractions", "tries"];

/// Parses a case file. `name` is how errors name the file (a path as the user gave it).
pub fn parse_case(name: &str, text: &str) -> Result<Case, InputError> {
    let file = SourceFile {
        name: name.to_string(),
        text: text.to_string(),
    };
    let doc = ImDocument::parse(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let message: Vec<&str> = e.message().lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        file.error_at(offset, format!("this is not valid TOML: {}", message.join("; ")))
    })?;
    let reader = Reader { file: &file };
    let root = doc.as_table();
    reader.only_keys(root, &["case", "construction", "claim", "estimate"], "the top level")?;
    let ((id, id_offset), title, source) = reader.case_table(root)?;
    let (construction_table, construction_offset) = reader.table(root, "construction", 0)?;
    let (construction, params, lets, depth) = reader.construction(construction_table, construction_offset)?;
    let names: Vec<&str> = params
        .iter()
        .map(|p| p.name.as_str())
        .chain(lets.iter().map(|(l, _)| l.as_str()))
        .collect();
    let depths = depth.map(|v| v.depths);
    let claims = reader.tables_of(root, "claim", |t| reader.claim(t, &construction, &names, depths))?;
    if claims.is_empty() {
        return Err(file.error_at(text.len(), "a case needs at least one [[claim]]"));
    }
    let estimates = reader.tables_of(root, "estimate", |t| reader.estimate(t))?;
    if let (Some(depth), Some(estimate)) = (depth, estimates.first()) {
        return Err(file.error_at(
            estimate.offset,
            format!(
                "an ALS estimate is made on one tensor, and with d = \"{}\" there is one for every d, so the case takes no [[estimate]]; give d a list such as [2, 4, 6, 8]",
                depth.depths.label()
            ),
        ));
    }
    let mut case = Case {
        source_file: file.clone(),
        id,
        id_offset,
        title,
        source,
        construction,
        params,
        lets,
        claims,
        estimates,
        every_depth: None,
    };
    case.check_names(depth.map(|v| v.index))?;
    case.every_depth = depth.map(|v| case.every_depth_spec(v)).transpose()?;
    Ok(case)
}

fn construction_kind(spec: &ConstructionSpec) -> &'static str {
    match spec {
        ConstructionSpec::Tt { .. } => "tt",
        ConstructionSpec::TtEqual { .. } => "tt-equal",
        ConstructionSpec::Cp { .. } => "cp",
        ConstructionSpec::Random { kind, .. } => kind.name(),
        ConstructionSpec::Generalized(_) => "generalized",
        ConstructionSpec::Ht(_) => "ht",
    }
}

fn span_start(item: &Item) -> usize {
    item.span().map_or(0, |s| s.start)
}

/// Where `key` is written in `table` (its value's start if the key has no position).
fn key_start(table: &dyn TableLike, key: &str) -> usize {
    table
        .get_key_value(key)
        .map_or(0, |(k, item)| k.span().map_or(span_start(item), |s| s.start))
}

/// A construction with its grid parameters, `let`s and, for every depth at once, d's value.
type ConstructionParts = (
    ConstructionSpec,
    Vec<Param>,
    Vec<(String, Located)>,
    Option<every_depth::DepthValue>,
);

struct Reader<'f> {
    file: &'f SourceFile,
}

impl Reader<'_> {
    fn error(&self, offset: usize, message: impl Into<String>) -> InputError {
        self.file.error_at(offset, message)
    }

    /// `unknown {what} kind '{name}'`, with the nearest known kind as a hint and all of them listed.
    fn unknown_kind(&self, what: &str, name: &str, at: usize, known: &[&str]) -> InputError {
        self.error(
            at,
            format!(
                "unknown {what} kind '{name}'{}; known kinds: {}",
                did_you_mean(name, known),
                known.join(", ")
            ),
        )
    }

    /// Rejects keys outside `allowed`, suggesting the nearest allowed key.
    fn only_keys(&self, table: &dyn TableLike, allowed: &[&str], place: &str) -> Result<(), InputError> {
        for (key, _) in table.iter() {
            if !allowed.contains(&key) {
                let at = key_start(table, key);
                return Err(self.error(
                    at,
                    format!(
                        "unknown key '{key}' in {place}{}; allowed here: {}",
                        did_you_mean(key, allowed),
                        allowed.join(", ")
                    ),
                ));
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
                None => Err(self.error(
                    span_start(item),
                    format!("'{key}' must be a table: write it as [{key}]"),
                )),
            },
        }
    }

    /// `[case]`: its id (which names certificate files) with where it is written, title and source.
    fn case_table(&self, root: &Table) -> Result<((String, usize), String, String), InputError> {
        let (table, offset) = self.table(root, "case", 0)?;
        self.only_keys(table, &["id", "title", "source"], "[case]")?;
        let (id, id_at) = self.string(table, "case", "id", offset)?;
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
            return Err(self.error(
                id_at,
                "a case id may use only letters, digits, '-', '_' and '.' (it names certificate files)",
            ));
        }
        let title = self.optional_string(table, "title")?.map(|t| t.0).unwrap_or_default();
        let source = self.string(table, "case", "source", offset)?.0;
        Ok(((id, id_at), title, source))
    }

    /// Each table of the array `[[key]]` read by `read`, in file order; none without the key.
    fn tables_of<T>(
        &self,
        root: &Table,
        key: &str,
        read: impl Fn(&Table) -> Result<T, InputError>,
    ) -> Result<Vec<T>, InputError> {
        let Some(item) = root.get(key) else {
            return Ok(Vec::new());
        };
        let tables = item.as_array_of_tables().ok_or_else(|| {
            self.error(
                span_start(item),
                format!("'{key}' must be an array of tables: write each as [[{key}]]"),
            )
        })?;
        tables.iter().map(read).collect()
    }

    fn string(
        &self,
        table: &dyn TableLike,
        place: &str,
        key: &str,
        offset: usize,
    ) -> Result<(String, usize), InputError> {
        self.optional_string(table, key)?
            .ok_or_else(|| self.error(offset, format!("[{place}] needs the key '{key}'")))
    }

    fn optional_string(&self, table: &dyn TableLike, key: &str) -> Result<Option<(String, usize)>, InputError> {
        let Some(item) = table.get(key) else { return Ok(None) };
        match item.as_str() {
            Some(s) => Ok(Some((s.to_string(), self.content(item).start))),
            None => Err(self.error(
                span_start(item),
                format!("'{key}' must be a string, found {}", item.type_name()),
            )),
        }
    }

    /// Where a value's text is in the file: inside the quotes of a string (after the newline
    /// that may open a multi-line string), the whole value otherwise.
    fn content(&self, item: &Item) -> Range<usize> {
        let span = item.span().unwrap_or(0..0);
        if !item.is_str() {
            return span;
        }
        let raw = self.file.text.get(span.clone()).unwrap_or("");
        let quotes = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
            3
        } else {
            1
        };
        let start = span.start + quotes + usize::from(quotes == 3 && raw[3..].starts_with('\n'));
        start..span.end.saturating_sub(quotes).max(start)
    }

    /// A string value parsed as an expression.
    fn expr(&self, table: &dyn TableLike, place: &str, key: &str, offset: usize) -> Result<Located, InputError> {
        let item = table
            .get(key)
            .ok_or_else(|| self.error(offset, format!("{place} needs '{key}'")))?;
        self.expr_item(item, key)
    }

    /// A value parsed as an expression: a string, or an integer written without quotes.
    fn expr_item(&self, item: &Item, key: &str) -> Result<Located, InputError> {
        let text = match (item.as_str(), item.as_integer()) {
            (Some(s), _) => s.to_string(),
            (None, Some(v)) => v.to_string(),
            _ => {
                return Err(self.error(
                    span_start(item),
                    format!("'{key}' must be an expression in a string, found {}", item.type_name()),
                ))
            }
        };
        let content = self.content(item);
        let verbatim = self.file.text.get(content.clone()) == Some(text.as_str());
        match Expr::parse(&text) {
            Ok(expr) => Ok(Located {
                expr,
                offset: content.start,
                verbatim,
            }),
            Err(e) => Err(self.error(
                if verbatim {
                    content.start + e.span.start
                } else {
                    content.start
                },
                e.message,
            )),
        }
    }

    /// `[construction]`: its kind, grid parameters and `let`s, then what its kind takes.
    fn construction(&self, table: &Table, offset: usize) -> Result<ConstructionParts, InputError> {
        let (kind, kind_at) = self.string(table, "construction", "kind", offset)?;
        if !CONSTRUCTION_KINDS.contains(&kind.as_str()) {
            return Err(self.unknown_kind("construction", &kind, kind_at, &CONSTRUCTION_KINDS));
        }
        let generalized = kind == "generalized";
        if !generalized {
            if let Some(key) = ["xi", "features", "network", "compare"]
                .into_iter()
                .find(|k| table.contains_key(k))
            {
                return Err(self.error(
                    key_start(table, key),
                    format!("'{key}' is for kind 'generalized', not '{kind}'"),
                ));
            }
        }
        if kind != RandomKind::Ht.name() && kind != "ht" {
            if let Some(key) = ["tree", "form"].into_iter().find(|k| table.contains_key(k)) {
                return Err(self.error(
                    key_start(table, key),
                    format!("'{key}' is for HT constructions (kinds 'ht' and 'random-ht'), not '{kind}'"),
                ));
            }
        }
        let (params, depth) = self.params(table, &kind, offset)?;
        let lets = self.lets(table, &params)?;
        if kind != "cp" && table.contains_key("rank") {
            return Err(self.error(
                key_start(table, "rank"),
                format!("'rank' is the rank R of a 'cp' construction, not of a '{kind}' one"),
            ));
        }
        let spec = if generalized {
            ConstructionSpec::Generalized(Box::new(self.generalized(table, offset)?))
        } else if let Some(random) = RANDOM_KINDS.iter().find(|k| k.name() == kind) {
            self.random(table, offset, *random, &params)?
        } else {
            if let Some(key) = RANDOM_KEYS.iter().find(|k| table.contains_key(k)) {
                return Err(self.error(
                    key_start(table, key),
                    format!("'{key}' is for the random construction kinds (random-tt, ...), not '{kind}'"),
                ));
            }
            match kind.as_str() {
                "cp" => self.cp(table, offset)?,
                "ht" => {
                    let has_r = params.iter().any(|p| p.name == "r");
                    ConstructionSpec::Ht(Box::new(self.explicit_ht(table, offset, has_r)?))
                }
                _ => self.train(table, kind == "tt", offset, &params)?,
            }
        };
        Ok((spec, params, lets, depth))
    }

    /// The grid parameters: every key of [construction] its kind does not take, each refused
    /// unless it is a good name with integer values; the size parameters must be there. The order
    /// d of a `tt` or `tt-equal` construction may instead be a set of depths (every depth at once),
    /// which is returned apart.
    fn params(
        &self,
        table: &Table,
        kind: &str,
        offset: usize,
    ) -> Result<(Vec<Param>, Option<every_depth::DepthValue>), InputError> {
        let generalized = kind == "generalized";
        let order = if generalized { "T" } else { "d" };
        let mut depth = None;
        let not_params: Vec<&str> = if generalized {
            generalized::KEYS.iter().chain(&["let"]).copied().collect()
        } else {
            CONSTRUCTION_KEYS.to_vec()
        };
        let mut params = Vec::new();
        for (key, item) in table.iter().filter(|(key, _)| !not_params.contains(key)) {
            let at = key_start(table, key);
            if let Some(problem) = name_problem(key) {
                return Err(self.error(at, format!("'{key}' cannot be a parameter: {problem}")));
            }
            if key == order {
                if let Some((depths, offset)) = self.depth_value(kind, key, item)? {
                    depth = Some(every_depth::DepthValue {
                        depths,
                        offset,
                        index: params.len(),
                    });
                    continue;
                }
            }
            let param = self.param(key, item).map_err(|e| match nearest(key, &CONSTRUCTION_KEYS) {
                Some(s) => self.error(at, format!("unknown key '{key}' in [construction] (did you mean '{s}'?); other keys are parameters, which take integers")),
                None => e,
            })?;
            params.push(param);
        }
        let required: [(&str, &str); 2] = if generalized {
            [("M", "the number of templates"), ("T", "the sequence length")]
        } else {
            [("n", "the mode size"), ("d", "the order")]
        };
        for (required, what) in required {
            if !params.iter().any(|p| p.name == required) && (required != "d" || depth.is_none()) {
                return Err(self.error(
                    offset,
                    format!("[construction] needs the parameter '{required}' ({what})"),
                ));
            }
        }
        Ok((params, depth))
    }

    /// `[construction.let]`, in file order: names that are neither indices nor parameters.
    fn lets(&self, table: &Table, params: &[Param]) -> Result<Vec<(String, Located)>, InputError> {
        let Some(item) = table.get("let") else {
            return Ok(Vec::new());
        };
        let lt = item.as_table_like().ok_or_else(|| {
            self.error(
                span_start(item),
                "'let' must be a table: write it as [construction.let]",
            )
        })?;
        let mut lets = Vec::new();
        for (name, value) in lt.iter() {
            let problem = name_problem(name).or(params
                .iter()
                .any(|p| p.name == name)
                .then_some("it is already a parameter"));
            if let Some(problem) = problem {
                return Err(self.error(
                    key_start(lt, name),
                    format!("'{name}' cannot be bound in [construction.let]: {problem}"),
                ));
            }
            lets.push((name.to_string(), self.expr_item(value, name)?));
        }
        Ok(lets)
    }

    /// A tensor train given by expressions: `[construction.cores]` with `core` and `ranks` for
    /// kind `tt` (`per_position`), `first`, `inner`, `last` and the parameter `r` for `tt-equal`.
    fn train(
        &self,
        table: &Table,
        per_position: bool,
        offset: usize,
        params: &[Param],
    ) -> Result<ConstructionSpec, InputError> {
        let (cores, cores_at) = self.cores_table(table, offset)?;
        if per_position {
            self.only_keys(cores, &["core"], "[construction.cores] of a 'tt' construction")?;
            let ranks = self.expr(table, "a 'tt' construction", "ranks", offset)?;
            return Ok(ConstructionSpec::Tt {
                ranks,
                core: self.expr(cores, "[construction.cores]", "core", cores_at)?,
            });
        }
        self.only_keys(
            cores,
            &["first", "inner", "last"],
            "[construction.cores] of a 'tt-equal' construction",
        )?;
        if table.contains_key("ranks") {
            return Err(self.error(
                key_start(table, "ranks"),
                "a 'tt-equal' construction has one bond dimension, the parameter 'r'; 'ranks' is for kind 'tt'",
            ));
        }
        if !params.iter().any(|p| p.name == "r") {
            return Err(self.error(
                offset,
                "a 'tt-equal' construction needs the parameter 'r' (its bond dimension)",
            ));
        }
        let get = |key| self.expr(cores, "[construction.cores]", key, cores_at);
        let (first, inner, last) = (get("first")?, get("inner")?, get("last")?);
        if let Some(at) = name_use(&inner, "k") {
            return Err(self.error(
                at,
                "the inner core is the same at every position, so it cannot depend on k",
            ));
        }
        Ok(ConstructionSpec::TtEqual { first, inner, last })
    }

    /// `[construction.cores]` and where it starts.
    fn cores_table<'t>(&self, table: &'t Table, offset: usize) -> Result<(&'t dyn TableLike, usize), InputError> {
        let cores_item = table
            .get("cores")
            .ok_or_else(|| self.error(offset, "[construction] needs a [construction.cores] table"))?;
        let cores = cores_item.as_table_like().ok_or_else(|| {
            self.error(
                span_start(cores_item),
                "'cores' must be a table: write it as [construction.cores]",
            )
        })?;
        Ok((cores, span_start(cores_item)))
    }

    /// The keys of a random construction: `seed` (required), `integers = [lo, hi]` or
    /// `fractions = [p, q]` (default: integers with |x| < 2^31), `tries` (default 3).
    fn random(
        &self,
        table: &Table,
        offset: usize,
        kind: RandomKind,
        params: &[Param],
    ) -> Result<ConstructionSpec, InputError> {
        let place = format!("a '{}' construction", kind.name());
        let ht = (kind == RandomKind::Ht).then(|| self.ht(table)).transpose()?;
        for key in ["cores", "ranks"] {
            if table.contains_key(key) && (key == "cores" || ht.is_none()) {
                return Err(self.error(
                    key_start(table, key),
                    format!("{place} draws its cores; it takes no '{key}'"),
                ));
            }
        }
        let ranks_given = ht.as_ref().is_some_and(|h| h.ranks.is_some());
        if !ranks_given && !params.iter().any(|p| p.name == "r") {
            return Err(self.error(
                offset,
                format!("{place} needs the parameter 'r' (its bond or edge dimension)"),
            ));
        }
        let integer = |key: &str| -> Result<Option<(i64, usize)>, InputError> {
            let Some(item) = table.get(key) else { return Ok(None) };
            item.as_integer()
                .map(|v| Some((v, span_start(item))))
                .ok_or_else(|| self.error(span_start(item), format!("'{key}' must be an integer")))
        };
        let seed = match integer("seed")? {
            Some((v, at)) => u64::try_from(v).map_err(|_| self.error(at, "'seed' must not be negative"))?,
            None => {
                return Err(self.error(
                    offset,
                    format!(
                    "{place} needs a 'seed' (a non-negative integer): the same seed draws the same cores everywhere"
                ),
                ))
            }
        };
        let tries = match integer("tries")? {
            Some((v, at)) => usize::try_from(v)
                .ok()
                .filter(|t| (1..=100).contains(t))
                .ok_or_else(|| self.error(at, "'tries' must be between 1 and 100"))?,
            None => 3,
        };
        let entries = self.entries(table, Entries::DEFAULT, &RANDOM_CORE_ENTRIES)?;
        Ok(ConstructionSpec::Random {
            kind,
            seed,
            entries,
            tries,
            ht,
        })
    }

    /// How a draw's entries are distributed: `integers = [lo, hi]` or `fractions = [p, q]`
    /// within `limits`, not both; neither: `default`.
    pub(super) fn entries(
        &self,
        t: &dyn TableLike,
        default: Entries,
        limits: &EntryLimits,
    ) -> Result<Entries, InputError> {
        let pair = |key: &str| -> Result<Option<(i64, i64, usize)>, InputError> {
            let Some(item) = t.get(key) else { return Ok(None) };
            let values: Option<Vec<i64>> = item.as_array().and_then(|a| a.iter().map(|v| v.as_integer()).collect());
            match values.as_deref() {
                Some(&[a, b]) => Ok(Some((a, b, span_start(item)))),
                _ => Err(self.error(
                    span_start(item),
                    format!("'{key}' must be a pair of integers, like {}", limits.example),
                )),
            }
        };
        match (pair("integers")?, pair("fractions")?) {
            (Some(_), Some(_)) => Err(self.error(
                key_start(t, "fractions"),
                "give either 'integers' or 'fractions', not both",
            )),
            (Some((lo, hi, at)), None) => {
                let fits = |x: i64| x.unsigned_abs() <= limits.magnitude;
                if lo > hi || hi.checked_sub(lo).is_none() || !fits(lo) || !fits(hi) {
                    return Err(self.error(at, limits.integers_need));
                }
                Ok(Entries::Integers { lo, hi })
            }
            (None, Some((numerator, denominator, at))) => {
                if !limits.numerators.contains(&numerator) || !limits.denominators.contains(&denominator) {
                    return Err(self.error(at, limits.fractions_need));
                }
                Ok(Entries::Fractions { numerator, denominator })
            }
            (None, None) => Ok(default),
        }
    }

    /// A parameter: an integer, an array of integers, or an inclusive range `"lo..hi"`.
    fn param(&self, key: &str, item: &Item) -> Result<Param, InputError> {
        let at = span_start(item);
        let param = |values, listed| Param {
            name: key.to_string(),
            values,
            offset: at,
            listed,
        };
        let expected = format!("'{key}' must be an integer, a list of integers or an inclusive range like \"1..6\"");
        if let Some(v) = item.as_integer() {
            return Ok(param(vec![v], Vec::new()));
        }
        if let Some(array) = item.as_array() {
            let listed = array
                .iter()
                .map(|v| {
                    let v_at = v.span().map_or(at, |s| s.start);
                    v.as_integer().map(|x| (x, v_at)).ok_or_else(|| {
                        self.error(
                            v_at,
                            format!("the values of '{key}' must be integers, found {}", v.type_name()),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            if listed.is_empty() {
                return Err(self.error(at, format!("'{key}' lists no values; give at least one")));
            }
            if let Some(&(value, again)) = listed
                .iter()
                .enumerate()
                .find(|(i, (v, _))| listed[..*i].iter().any(|(w, _)| w == v))
                .map(|(_, repeat)| repeat)
            {
                return Err(self.error(
                    again,
                    format!("'{key}' lists the value {value} twice; each grid point must be given once"),
                ));
            }
            return Ok(param(listed.iter().map(|(x, _)| *x).collect(), listed));
        }
        if let Some(range) = item.as_str() {
            let at = self.content(item).start;
            let bounds = range.split_once("..").map(|(lo, hi)| {
                (
                    lo.trim().parse::<i64>(),
                    hi.trim().trim_start_matches('=').parse::<i64>(),
                )
            });
            let Some((Ok(lo), Ok(hi))) = bounds else {
                return Err(self.error(at, format!("{expected}, not \"{range}\"")));
            };
            if lo > hi {
                return Err(self.error(
                    at,
                    format!("the range \"{range}\" of '{key}' is empty: it starts above its end"),
                ));
            }
            if i128::from(hi) - i128::from(lo) >= MAX_RANGE as i128 {
                return Err(self.error(
                    at,
                    format!("the range \"{range}\" of '{key}' has more than {MAX_RANGE} values"),
                ));
            }
            return Ok(param((lo..=hi).collect(), Vec::new()));
        }
        Err(self.error(at, format!("{expected}, found {}", item.type_name())))
    }

    /// One [[claim]]; `names` are the parameters and `let`s, which a claim's expressions may use;
    /// `depths`, for a case of every depth at once.
    fn claim(
        &self,
        table: &Table,
        construction: &ConstructionSpec,
        names: &[&str],
        depths: Option<crate::network::periodic::Depths>,
    ) -> Result<ClaimEntry, InputError> {
        let offset = table.span().map_or(0, |s| s.start);
        let (name, kind_at) = self.string(table, "claim", "kind", offset)?;
        let kind = ClaimKind::from_name(&name)
            .ok_or_else(|| self.unknown_kind("claim", &name, kind_at, &ClaimKind::ALL.map(ClaimKind::name)))?;
        let place = format!("a '{name}' claim");
        let keys: Vec<&str> = COMMON_KEYS.iter().chain(kind.keys()).copied().collect();
        self.only_keys(table, &keys, &place)?;
        let spec = self.claim_spec(table, kind, &place, offset, names)?;
        let expect = self.expectation(table)?;
        let numeric = self.numeric(table)?;
        self.applies(kind, construction, key_start(table, "kind"))?;
        self.upper_bound_applies(&spec, construction, table)?;
        if let Some(depths) = depths {
            self.every_depth_claim(table, kind, &spec, depths)?;
        }
        Ok(ClaimEntry {
            spec,
            expect,
            offset,
            numeric,
        })
    }

    /// The keys particular to the claim's kind, read into its spec.
    fn claim_spec(
        &self,
        table: &Table,
        kind: ClaimKind,
        place: &str,
        offset: usize,
        names: &[&str],
    ) -> Result<ClaimSpec, InputError> {
        let expr = |key: &str| self.expr(table, place, key, offset);
        Ok(match kind {
            ClaimKind::IdentitySubmatrix => ClaimSpec::IdentitySubmatrix {
                matricization: self.matricization(table, offset)?,
                q: expr("q")?,
            },
            ClaimKind::MatricizationRank => {
                let (relation, bound) = self.relation(
                    table,
                    place,
                    offset,
                    &[Relation::AtLeast, Relation::Equal, Relation::AtMost],
                )?;
                ClaimSpec::MatricizationRank {
                    matricization: self.matricization(table, offset)?,
                    relation,
                    bound,
                }
            }
            ClaimKind::TtRanks => {
                let (relation, bound) = self.relation(table, place, offset, &[Relation::Equal, Relation::AtMost])?;
                ClaimSpec::TtRanks { relation, bound }
            }
            ClaimKind::HtRanks => {
                let (relation, bound) = self.relation(table, place, offset, &[Relation::Equal, Relation::AtMost])?;
                ClaimSpec::HtRanks {
                    tree: self.tree(table)?,
                    relation,
                    bound,
                }
            }
            ClaimKind::SupportStructure => ClaimSpec::SupportStructure {
                path: expr("path")?,
                q: self.block_size(table, place, offset, names)?,
            },
            ClaimKind::CpRankLowerBound => ClaimSpec::CpRankLowerBound {
                matricization: self.matricization(table, offset)?,
                bound: expr("at-least")?,
            },
            ClaimKind::CpRankUpperBound => self.cp_rank_upper_bound(table, place, offset)?,
            ClaimKind::GridTensorEqual => ClaimSpec::GridTensorEqual { to: expr("to")? },
            ClaimKind::GridPattern => ClaimSpec::GridPattern {
                zero_where: expr("zero-where")?,
            },
            ClaimKind::ShallowWidthLowerBound => ClaimSpec::ShallowWidthLowerBound {
                bound: expr("at-least")?,
            },
            ClaimKind::Conversion => self.conversion(table, place, offset)?,
        })
    }

    /// A support-structure claim's block size `q`: its own key, else the parameter or let `q`.
    fn block_size(&self, table: &Table, place: &str, offset: usize, names: &[&str]) -> Result<Located, InputError> {
        match table.get("q") {
            Some(item) => self.expr_item(item, "q"),
            None if names.contains(&"q") => Ok(Located {
                expr: Expr::parse("q").expect("q is an expression"),
                offset,
                verbatim: false,
            }),
            None => Err(self.error(
                offset,
                format!("{place} needs 'q', the block size (indices 1..q), unless a parameter or let is named q"),
            )),
        }
    }

    /// What the case expects of the claim: `expect`, or any of the `-where` conditions, or none
    /// (it holds). Whether two conditions are true at one point is known only at the points,
    /// where the instance refuses it.
    fn expectation(&self, table: &Table) -> Result<Expectation, InputError> {
        let mut where_keys: Vec<(usize, &str, Verdict)> = REGION_KEYS
            .into_iter()
            .filter(|(k, _)| table.contains_key(k))
            .map(|(k, v)| (key_start(table, k), k, v))
            .collect();
        where_keys.sort_unstable_by_key(|&(offset, _, _)| offset);
        if let (Some(&(first, _, _)), true) = (where_keys.first(), table.contains_key("expect")) {
            return Err(self.error(
                first.max(key_start(table, "expect")),
                "'expect' sets one verdict for the whole grid; give it or the '-where' conditions, not both",
            ));
        }
        if !where_keys.is_empty() {
            return where_keys
                .into_iter()
                .map(|(_, key, verdict)| {
                    let item = table.get(key).expect("the key is in the table");
                    Ok(Region {
                        verdict,
                        condition: self.expr_item(item, key)?,
                    })
                })
                .collect::<Result<_, _>>()
                .map(Expectation::Where);
        }
        let Some(item) = table.get("expect") else {
            return Ok(Expectation::Is(Verdict::Holds));
        };
        match item.as_str() {
            Some("holds") => Ok(Expectation::Is(Verdict::Holds)),
            Some("fails") => Ok(Expectation::Is(Verdict::Fails)),
            Some("undecided") => Ok(Expectation::Is(Verdict::Undecided)),
            Some(other) => Err(self.error(
                self.content(item).start,
                format!("'expect' must be \"holds\", \"fails\" or \"undecided\", not \"{other}\""),
            )),
            None => Err(self.error(
                span_start(item),
                format!(
                    "'expect' must be the string \"holds\", \"fails\" or \"undecided\", found {}",
                    item.type_name()
                ),
            )),
        }
    }

    /// `numeric = true` asks a rank claim for the f64 SVD cross-check; `svd-rtol`, given only
    /// with it, is its relative tolerance, a finite float >= 0 (the contract of `svd_rank`;
    /// without it, numpy's default).
    fn numeric(&self, table: &Table) -> Result<Option<Option<f64>>, InputError> {
        let asked = match table.get("numeric") {
            None => false,
            Some(item) => item
                .as_bool()
                .ok_or_else(|| self.error(span_start(item), "'numeric' must be true or false"))?,
        };
        let Some(rtol) = table.get("svd-rtol") else {
            return Ok(asked.then_some(None));
        };
        if !asked {
            let missing = if table.contains_key("numeric") {
                "this claim has 'numeric = false'"
            } else {
                "give that too"
            };
            return Err(self.error(
                span_start(rtol),
                format!("'svd-rtol' sets the tolerance of 'numeric = true'; {missing}"),
            ));
        }
        let rtol = rtol
            .as_float()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| self.error(span_start(rtol), "'svd-rtol' must be a non-negative number like 1e-10"))?;
        Ok(Some(Some(rtol)))
    }

    /// Refuses a claim about what the construction does not have (at the claim's `kind`):
    /// train cores on a generalized or random network, a grid tensor on anything but a
    /// generalized one.
    fn applies(&self, kind: ClaimKind, construction: &ConstructionSpec, at: usize) -> Result<(), InputError> {
        let name = kind.name();
        let message = match (kind.subject(), construction) {
            (Subject::Network, ConstructionSpec::Generalized(_)) => format!(
                "a '{name}' claim writes a tt, ht or cp network as another kind; a generalized network has no conversion"
            ),
            (Subject::Rank | Subject::Network, _) | (Subject::GridTensor, ConstructionSpec::Generalized(_)) => return Ok(()),
            (Subject::TrainCores, ConstructionSpec::Tt { .. } | ConstructionSpec::TtEqual { .. }) => return Ok(()),
            (Subject::TrainCores, ConstructionSpec::Cp { .. }) => format!(
                "a '{name}' claim is about the cores of a tensor train; a 'cp' construction takes the claims about its tensor's ranks: {}",
                ClaimKind::names_about(&[Subject::Rank]).join(", ")
            ),
            (Subject::TrainCores, ConstructionSpec::Generalized(_)) => format!(
                "a '{name}' claim is about the cores of a tensor train; a generalized network is checked through its grid tensor: {}",
                ClaimKind::names_about(&[Subject::GridTensor, Subject::Rank]).join(", ")
            ),
            (Subject::TrainCores, ConstructionSpec::Random { kind: random, .. }) => format!(
                "a '{name}' claim needs a construction given exactly; on '{}' cores only claims about the generic rank apply: {}",
                random.name(),
                ClaimKind::names_about(&[Subject::Rank]).join(", ")
            ),
            (Subject::TrainCores, ConstructionSpec::Ht(_)) => format!(
                "a '{name}' claim is about the cores of a tensor train; on an HT network the claims about ranks apply: {}",
                ClaimKind::names_about(&[Subject::Rank]).join(", ")
            ),
            (Subject::GridTensor, _) => format!(
                "a '{name}' claim is about the grid tensor of a generalized network; this construction is a '{}'",
                construction_kind(construction)
            ),
        };
        Err(self.error(at, message))
    }

    /// One [[estimate]]: `kind = "cp-als"`, `max-rank` (an expression), `restarts` (default 3),
    /// `target` relative residual (default 1e-6), `seed` (default 0).
    fn estimate(&self, table: &Table) -> Result<EstimateEntry, InputError> {
        let offset = table.span().map_or(0, |s| s.start);
        self.only_keys(
            table,
            &["kind", "max-rank", "restarts", "target", "seed"],
            "an [[estimate]]",
        )?;
        let (kind, kind_at) = self.string(table, "estimate", "kind", offset)?;
        if kind != "cp-als" {
            return Err(self.error(
                kind_at,
                format!(
                    "unknown estimate kind '{kind}'; the known kind is cp-als (CP-rank by alternating least squares)"
                ),
            ));
        }
        let max_rank = self.expr(table, "an [[estimate]]", "max-rank", offset)?;
        let small = |key: &str, default: i64, range: std::ops::RangeInclusive<i64>| -> Result<i64, InputError> {
            match table.get(key) {
                None => Ok(default),
                Some(item) => item.as_integer().filter(|v| range.contains(v)).ok_or_else(|| {
                    self.error(
                        span_start(item),
                        format!("'{key}' must be an integer in {}..={}", range.start(), range.end()),
                    )
                }),
            }
        };
        let restarts = small("restarts", 3, 1..=100)? as usize;
        let seed = small("seed", 0, 0..=i64::MAX)? as u64;
        let target = match table.get("target") {
            None => 1e-6,
            Some(item) => item.as_float().filter(|t| *t > 0.0 && *t < 1.0).ok_or_else(|| {
                self.error(
                    span_start(item),
                    "'target' must be a relative residual between 0 and 1, like 1e-6",
                )
            })?,
        };
        Ok(EstimateEntry {
            max_rank,
            restarts,
            target,
            seed,
            offset,
        })
    }

    fn matricization(&self, table: &Table, offset: usize) -> Result<MatricizationSpec, InputError> {
        match (table.get("matricization"), table.get("rows")) {
            (Some(_), Some(_)) => Err(self.error(key_start(table, "rows"), "give either 'matricization' or 'rows', not both")),
            (None, Some(item)) => Ok(MatricizationSpec::Rows(self.expr_item(item, "rows")?)),
            (Some(item), None) => match item.as_str() {
                Some("odd-even") => Ok(MatricizationSpec::OddEven {
                    offset: self.content(item).start,
                }),
                _ => Err(self.error(self.content(item).start, "'matricization' must be \"odd-even\"; for another split give 'rows', a condition on the mode m (1-based), e.g. rows = \"m <= d / 2\"")),
            },
            (None, None) => Err(self.error(offset, "this claim needs 'matricization = \"odd-even\"' or 'rows = \"<condition on m>\"'")),
        }
    }

    fn relation(
        &self,
        table: &Table,
        place: &str,
        offset: usize,
        allowed: &[Relation],
    ) -> Result<(Relation, Located), InputError> {
        let given: Vec<Relation> = allowed
            .iter()
            .copied()
            .filter(|r| table.contains_key(r.key()))
            .collect();
        let keys = || {
            allowed
                .iter()
                .map(|r| format!("'{}'", r.key()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match given.as_slice() {
            [r] => Ok((*r, self.expr(table, place, r.key(), offset)?)),
            [] => Err(self.error(offset, format!("{place} needs one of {}", keys()))),
            _ => Err(self.error(
                key_start(table, given[1].key()),
                format!("{place} takes only one of {}", keys()),
            )),
        }
    }
}

impl Case {
    /// Refuses a name an expression cannot see, even in a branch no grid point takes. Each
    /// expression sees the parameters, the `let`s bound before it, and the indices of its place;
    /// `depth` is where d comes among the parameters when it is every depth at once.
    fn check_names(&self, depth: Option<usize>) -> Result<(), InputError> {
        let mut known: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
        if let Some(index) = depth {
            known.insert(index, "d");
        }
        for (name, located) in &self.lets {
            self.names_known(located, &known, &[])?;
            known.push(name);
        }
        match &self.construction {
            ConstructionSpec::Tt { ranks, core } => {
                self.names_known(ranks, &known, &["k"])?;
                self.names_known(core, &known, &["a", "i", "b", "k"])?;
            }
            ConstructionSpec::TtEqual { first, inner, last } => {
                for core in [first, inner, last] {
                    self.names_known(core, &known, &["a", "i", "b", "k"])?;
                }
            }
            ConstructionSpec::Cp { rank, factor, lambda } => {
                self.names_known(rank, &known, &[])?;
                self.names_known(factor, &known, &["a", "k", "i"])?;
                if let Some(lambda) = lambda {
                    self.names_known(lambda, &known, &["a"])?;
                }
            }
            ConstructionSpec::Random { ht, .. } => {
                if let Some(ht) = ht {
                    self.ht_names_known(ht, None, &known)?;
                }
            }
            ConstructionSpec::Ht(ht) => self.ht_names_known(&ht.shape, Some(ht), &known)?,
            ConstructionSpec::Generalized(g) => {
                for (located, indices) in g.expressions() {
                    self.names_known(located, &known, indices)?;
                }
                for (name, named) in &g.compare {
                    if known.contains(&name.as_str()) || name == "H" || INDEX_NAMES.contains(&name.as_str()) {
                        return Err(self.source_file.error_at(named.offset, format!("the network name '{name}' is already a parameter, a let, an index or H; claims could not tell them apart")));
                    }
                }
            }
        }
        let networks: Vec<&str> = match &self.construction {
            ConstructionSpec::Generalized(g) => g.claim_names(),
            _ => Vec::new(),
        };
        for claim in &self.claims {
            self.claim_names_known(claim, &known, &networks)?;
        }
        for estimate in &self.estimates {
            self.names_known(&estimate.max_rank, &known, &[])?;
        }
        Ok(())
    }

    /// `names_known` for each expression of one claim: a rank bound may use `cut`, the
    /// expected values of a grid claim the compared `networks`.
    fn claim_names_known(&self, claim: &ClaimEntry, known: &[&str], networks: &[&str]) -> Result<(), InputError> {
        let matricization = |m: &MatricizationSpec| match m {
            MatricizationSpec::Rows(rows) => self.names_known(rows, known, &["m"]),
            MatricizationSpec::OddEven { .. } => Ok(()),
        };
        match &claim.spec {
            ClaimSpec::IdentitySubmatrix {
                matricization: m,
                q: bound,
            }
            | ClaimSpec::MatricizationRank {
                matricization: m,
                bound,
                ..
            }
            | ClaimSpec::CpRankLowerBound {
                matricization: m,
                bound,
            } => {
                matricization(m)?;
                // `cut`: the cut bound of the claim's matricization.
                self.names_known(
                    bound,
                    known,
                    if matches!(claim.spec, ClaimSpec::IdentitySubmatrix { .. }) {
                        &[]
                    } else {
                        &["cut"]
                    },
                )?;
            }
            ClaimSpec::CpRankUpperBound {
                matricization: m,
                bound,
            } => {
                if let Some(m) = m {
                    matricization(m)?;
                }
                self.names_known(bound, known, &[])?;
            }
            ClaimSpec::TtRanks { bound, .. } => self.names_known(bound, known, &["k"])?,
            ClaimSpec::HtRanks { bound, .. } => self.names_known(bound, known, &["level", "first", "last"])?,
            ClaimSpec::SupportStructure { path, q } => {
                self.names_known(path, known, &["k", "i"])?;
                self.names_known(q, known, &[])?;
            }
            ClaimSpec::GridTensorEqual { to } => self.names_known(to, known, networks)?,
            ClaimSpec::GridPattern { zero_where } => self.names_known(zero_where, known, &[])?,
            ClaimSpec::ShallowWidthLowerBound { bound } => self.names_known(bound, known, &[])?,
            ClaimSpec::Conversion { target, bound } => self.names_known(bound, known, target.indices())?,
        }
        if let Expectation::Where(regions) = &claim.expect {
            for region in regions {
                self.names_known(&region.condition, known, &[])?;
            }
        }
        Ok(())
    }

    /// Refuses the first name of `located` that is neither in `known` nor in `indices`.
    fn names_known(&self, located: &Located, known: &[&str], indices: &[&str]) -> Result<(), InputError> {
        let visible: Vec<&str> = known.iter().chain(indices).copied().collect();
        let Some(name) = located
            .expr
            .free_names()
            .into_iter()
            .find(|n| !visible.contains(&n.as_str()))
        else {
            return Ok(());
        };
        let hint = did_you_mean(&name, &visible);
        let at = name_use(located, &name).unwrap_or(located.offset);
        Err(self.source_file.error_at(
            at,
            format!(
                "unknown name '{name}'{hint}; the names known here are {}",
                visible.join(", ")
            ),
        ))
    }
}

/// Where `name` is first used in `located`, if it is.
fn name_use(located: &Located, name: &str) -> Option<usize> {
    let text = located.expr.source();
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(name)
        .map(|(at, _)| at)
        .find(|&at| !text[..at].ends_with(is_word) && !text[at + name.len()..].starts_with(is_word))
        .map(|at| located.offset_of(at))
}

/// Why `name` cannot name a parameter or a `let`, if it cannot.
fn name_problem(name: &str) -> Option<&'static str> {
    let mut chars = name.chars();
    if INDEX_NAMES.contains(&name) {
        Some("it is the name of an index (a, i, b, k, m are bound inside expressions)")
    } else if chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        None
    } else {
        Some("a name uses letters, digits and '_' and does not start with a digit")
    }
}

/// ` (did you mean 'x'?)` with the candidate nearest to `word`, if one is near enough; else empty.
fn did_you_mean(word: &str, candidates: &[&str]) -> String {
    nearest(word, candidates)
        .map(|s| format!(" (did you mean '{s}'?)"))
        .unwrap_or_default()
}

/// The candidate nearest to `word` (the expression language's rule, `expr::suggestion`).
fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    suggestion(word, candidates.iter().copied())
}
