//! The trusted re-check of certificates, behind `tnproof check`. From a certificate's own text
//! it rebuilds the cores (their SHA-256 recomputed), recomputes every number it can (ranks,
//! entries, counts, verdicts) and verifies every hint it is given (a minor is non-singular, a
//! counterexample is a real one) instead of searching. A FAILS verdict stands only on a disproof
//! it checks: a lower bound derived from a smaller one (Lemma 1, Lemma 5) that falls short of its
//! claim leaves the claim UNDECIDED. It is a crate of its own, depending on num-* and sha2 only,
//! so it cannot import the expression language, case files, networks, `linalg` or rug; it owns
//! the exact field (`field`), which tnproof uses too, and reads the expression language with an
//! evaluator of its own (`expr`). It never panics on any text (the lint block below holds it to
//! that): every fault is a `Rejection`, whose `Reason` says what was found (`rejection.rs`).
//!
//! What the certificate says the case claims is checked too (`statement.rs`): the `let` values,
//! each claim's statement rebuilt from the case-file keys it quotes, the expected verdict from
//! the conditions it quotes, all evaluated by `expr`. Generalized networks (`grid.rs`): the
//! kernel computes every grid tensor itself, by running the network on each template sequence,
//! checks it against the certificate's digest, and decides grid claims by evaluating their
//! expression at every index (compared networks and a listed target tensor `H` by name).

#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented
)]

pub mod automaton;
pub mod every_depth;
mod all_depths;
mod conversion;
pub mod cp;
mod exact;
pub mod expr;
pub mod field;
mod grid;
pub mod hierarchical;
mod modular;
mod read;
mod rejection;
mod statement;
pub mod tree;

use crate::field::{modp, q_text, Prime, Q};
pub use exact::Core;
use exact::{cut, dense, entry, index_at, one_based, rank, summands, volume, Net, Unfolding};
use hierarchical::{Form as HtForm, HtNetwork, Part};
/// The plain elimination mod a prime, the reference the checker's fast eliminations are tested against.
pub use modular::rank_mod;
use num_traits::{One, Zero};
use read::{index_tuples, matricization, number, ranges, rational, scan, shorten, signed_tuple, tuple, Lines};
pub use rejection::{
    BondFault, Budget, ClaimAt, Counterexample, EveryDepthFault, Form, Misfit, Missing, NoDisproof, Reason, Rejection,
    Verdict,
};
use sha2::{Digest, Sha256};
use statement::{Keys, Names};
use tree::ModeTree;

/// The first line of every certificate.
pub const HEADER: &str = "tnproof certificate 2";
/// What indices and row numbers mean; a certificate with other conventions is not read.
pub const CONVENTIONS: &str =
    "indices are 1-based; X^((rows),(cols)) numbers its rows and columns from 1, big-endian (the first listed mode varies slowest)";
/// The line that marks cores drawn at random: rank claims are then about the generic rank.
const GENERIC: &str =
    "generic: the cores are a random draw; rank claims are about the generic rank, which the draw's rank bounds from below";
/// The most tensor entries the kernel evaluates densely over Q for one certificate.
const MAX_DENSE: usize = 1 << 25;
/// The most tensor entries the kernel evaluates densely mod p (8 bytes each) for one
/// certificate: 2^27, the d = 8, n = 10 grids' 10^8 with room.
const MAX_DENSE_MOD_P: usize = 1 << 27;
/// The most core entries (counting each repeated equal core again) one certificate may list.
pub const MAX_CORE_ENTRIES: usize = 1 << 22;

/// How much a check confirmed, and which confirmed verdicts are not the ones expected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Confirmed {
    pub certificates: usize,
    pub claims: usize,
    /// The claims whose verdict is confirmed and marked `NOT AS EXPECTED`, in the text's order.
    pub unexpected: Vec<Unexpected>,
}

/// A claim whose confirmed verdict is not the one expected of it: the certificate is sound, and
/// records that the claim came out otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unexpected {
    /// The line of its verdict.
    pub line: usize,
    pub claim: ClaimAt,
    pub verdict: Verdict,
    /// The expected verdict; `None` for a probe, which expects holds or fails.
    pub expected: Option<Verdict>,
}

/// Checks every certificate in `text` (certificates may follow one another, blank-line
/// separated). Every line ends with LF: a text that stops inside a line is cut short, whatever
/// its lines say.
pub fn check(text: &str) -> Result<Confirmed, Rejection> {
    let mut lines = Lines::new(text);
    let read = certificates(&mut lines);
    if !lines.unended() {
        return read;
    }
    let last = lines.last();
    Err(Rejection {
        line: last,
        claim: read.err().filter(|r| r.line == last).and_then(|r| r.claim),
        reason: Reason::CutShort { expected: None },
    })
}

fn certificates(lines: &mut Lines) -> Result<Confirmed, Rejection> {
    let mut confirmed = Confirmed::default();
    loop {
        certificate(lines, &mut confirmed)?;
        confirmed.certificates += 1;
        // Blank lines separate certificates; the text may end with some.
        while lines.peek() == Some("") {
            lines.take("").map_err(at(lines.number() + 1))?;
        }
        if lines.peek().is_none() {
            return Ok(confirmed);
        }
    }
}

/// The network a certificate lists, with its dense tensor once needed.
struct Subject {
    net: Net,
    sizes: Vec<usize>,
    /// Whether the cores were drawn at random (a `draw:` line): rank claims are then claims
    /// about the generic rank, witnessed mod p.
    generic: bool,
    /// The instance's parameters and lets, for the expressions the certificate quotes.
    names: Names,
    full: Option<Vec<Q>>,
    /// For an instance about every depth: its train (`net` is then the train at the least depth).
    every: Option<all_depths::Periodic>,
    /// The prime the claim being checked states its residues in, read off its evidence line
    /// (2^61 - 1 when it names none; the evidence must then read as recomputed with it).
    prime: Prime,
}

impl Subject {
    fn order(&self) -> usize {
        self.sizes.len()
    }

    /// The cores and bond dimensions, for the claims that are about tensor trains.
    fn train(&self) -> Result<(&[Core], &[usize]), Reason> {
        match &self.net {
            Net::Train { cores, bonds } => Ok((cores, bonds)),
            _ => Err(Reason::Misfit(Misfit::NeedsTrain)),
        }
    }

    fn entries_fit(&self, most: usize) -> Result<(), Reason> {
        let count = self
            .sizes
            .iter()
            .try_fold(1usize, |acc, &n| acc.checked_mul(n))
            .filter(|&c| c <= most);
        count.map(|_| ()).ok_or(Reason::OverBudget(Budget::Tensor))
    }

    /// The dense tensor: a generalized network's grid tensor, or a train's or an HT network's
    /// entries.
    fn full(&mut self) -> Result<&[Q], Reason> {
        if let Net::Generalized(g) = &self.net {
            return Ok(&g.grid);
        }
        if self.full.is_none() {
            self.entries_fit(MAX_DENSE)?;
            self.full = Some(match &self.net {
                Net::Ht(net) => net.dense(),
                Net::Cp { factors, weights } => cp::dense(factors, weights.as_ref(), &self.sizes)?,
                _ => dense(self.train()?.0, &self.sizes),
            });
        }
        Ok(self.full.as_deref().unwrap_or_default())
    }

    /// The generalized network, for the claims about grid tensors.
    fn generalized(&self) -> Result<&grid::Generalized, Reason> {
        match &self.net {
            Net::Generalized(g) => Ok(g),
            _ => Err(Reason::Misfit(Misfit::NeedsGeneralized)),
        }
    }
}

/// One certificate, its claims and unexpected verdicts counted into `confirmed`; a rejection
/// points at the line read last unless it names another.
fn certificate(lines: &mut Lines, confirmed: &mut Confirmed) -> Result<(), Rejection> {
    let mut count = 0;
    let mut subject = header(lines).map_err(|reason| at(lines.number())(reason))?;
    while let Some(head) = lines.take_if("claim ") {
        count += 1;
        let kind = head
            .strip_prefix(&format!("{count}: "))
            .ok_or_else(|| at(lines.number())(Reason::Missing(Missing::Claim(count))))?;
        let here = ClaimAt {
            number: count,
            kind: kind.to_string(),
        };
        let marked = claim(lines, &mut subject, kind).map_err(|r| Rejection {
            claim: Some(here.clone()),
            ..r
        })?;
        if let Some((line, verdict, expected)) = marked {
            confirmed.unexpected.push(Unexpected {
                line,
                claim: here,
                verdict,
                expected,
            });
        }
    }
    if count == 0 {
        let reason = match lines.peek() {
            None => Reason::CutShort {
                expected: Some("claim 1: ".to_string()),
            },
            Some(_) => Reason::NoClaims,
        };
        return Err(at(lines.number())(reason));
    }
    confirmed.claims += count;
    Ok(())
}

/// The lines before the claims: header, metadata, conventions, construction and cores.
fn header(lines: &mut Lines) -> Result<Subject, Reason> {
    if lines.take("")? != HEADER {
        return Err(Reason::Header);
    }
    let mut names = Names::instance(lines.take("instance: ")?)?;
    while let Some(definition) = lines.take_if("let: ") {
        names.define(definition)?;
    }
    let generic = match lines.take_if("generic: ") {
        Some(line) if format!("generic: {line}") != GENERIC => return Err(Reason::GenericLine),
        found => found.is_some(),
    };
    if lines.take("conventions: ")? != CONVENTIONS {
        return Err(Reason::Conventions);
    }
    if let Some(depths) = names.depths {
        if generic {
            return Err(Reason::GenericLine);
        }
        let (periodic, _) = all_depths::read(lines, depths)?;
        let cores = periodic.train(depths.least)?;
        let sizes = vec![periodic.modes(); depths.least];
        let bonds = std::iter::once(1).chain(cores.iter().map(|g| g.right)).collect();
        return Ok(Subject {
            net: Net::Train { cores, bonds },
            sizes,
            generic,
            names,
            full: None,
            every: Some(periodic),
            prime: Prime::Mersenne61,
        });
    }
    let (net, sizes) = construction(lines)?;
    if generic && matches!(net, Net::Generalized(_)) {
        return Err(Reason::DrawLine);
    }
    Ok(Subject {
        net,
        sizes,
        generic,
        names,
        full: None,
        every: None,
        prime: Prime::Mersenne61,
    })
}

/// The construction line and the cores, checked against each other and their digests.
fn construction(lines: &mut Lines) -> Result<(Net, Vec<usize>), Reason> {
    let line = lines.take("construction: ")?;
    network(lines, line)
}

/// A network from its construction line (after `construction: `) and the cores listed below it.
fn network(lines: &mut Lines, line: &str) -> Result<(Net, Vec<usize>), Reason> {
    let mut remaining = MAX_CORE_ENTRIES;
    let budget = &mut remaining;
    let [kind, d, sizes, rest] = holes(line, "{}, order {}, mode sizes {}, {}")?;
    let (d, sizes) = (number(d)?, tuple(sizes)?);
    if d == 0 || d > 64 || sizes.len() != d || sizes.contains(&0) {
        return Err(Reason::Misfit(Misfit::OrderAndSizes));
    }
    let net = match kind {
        "tt" | "tt-equal" => {
            let bonds = tuple(
                rest.strip_prefix("bond dimensions ")
                    .ok_or(Reason::Missing(Missing::BondDimensions))?,
            )?;
            if bonds.len() != d + 1 || bonds.first() != Some(&1) || bonds.last() != Some(&1) || bonds.contains(&0) {
                return Err(Reason::Misfit(Misfit::BondDimensions));
            }
            // Core k is r_k x n_k x r_{k+1}.
            let shapes: Vec<(usize, usize, Option<usize>)> = bonds
                .iter()
                .zip(&sizes)
                .zip(bonds.iter().skip(1))
                .map(|((&l, &n), &r)| (l, n, Some(r)))
                .collect();
            let cores = if kind == "tt" {
                shapes
                    .iter()
                    .enumerate()
                    .map(|(k, &shape)| read_core(lines, &format!("G{}", k + 1), shape, budget))
                    .collect::<Result<Vec<_>, _>>()?
            } else {
                let equal = |v: &[usize]| v.iter().all(|x| Some(x) == v.first());
                match (shapes.first(), shapes.get(1), shapes.last()) {
                    (Some(&first), Some(&inner), Some(&last))
                        if equal(&sizes) && equal(bonds.get(1..d).unwrap_or_default()) =>
                    {
                        // The inner core is repeated d - 2 times: its copies count against the budget.
                        let (r, n, _) = inner;
                        let copies = r
                            .saturating_mul(n)
                            .saturating_mul(r)
                            .saturating_mul(d.saturating_sub(3));
                        *budget = budget
                            .checked_sub(copies)
                            .ok_or(Reason::OverBudget(Budget::RepeatedCore))?;
                        let first = read_core(lines, "first", first, budget)?;
                        let inner = if d > 2 {
                            Some(read_core(lines, "inner", inner, budget)?)
                        } else {
                            None
                        };
                        let last = read_core(lines, "last", last, budget)?;
                        std::iter::once(first)
                            .chain(std::iter::repeat_n(inner, d.saturating_sub(2)).flatten())
                            .chain(std::iter::once(last))
                            .collect()
                    }
                    _ => return Err(Reason::Misfit(Misfit::EqualCoreTrain)),
                }
            };
            Net::Train { cores, bonds }
        }
        "cp" => {
            let rank = rest.strip_prefix("rank ").ok_or(Reason::Missing(Missing::CpRank))?;
            let (rank, weighted) = match rank.strip_suffix(", weights lambda") {
                Some(rank) => (number(rank)?, true),
                None => (number(rank)?, false),
            };
            let weights = if weighted {
                Some(read_core(lines, "lambda", (1, 1, Some(rank)), budget)?)
            } else {
                None
            };
            Net::Cp {
                factors: sizes
                    .iter()
                    .enumerate()
                    .map(|(k, &n)| read_core(lines, &format!("V{}", k + 1), (1, n, Some(rank)), budget))
                    .collect::<Result<_, _>>()?,
                weights,
            }
        }
        "ht" => {
            let [tree, form] = holes(rest, "tree {}, {} nodes")?;
            let tree = ModeTree::parse(tree, d).map_err(|fault| Reason::Tree {
                text: shorten(tree),
                fault: fault.problem.to_string(),
            })?;
            let form = HtForm::from_name(form).ok_or_else(|| Reason::NotA {
                text: form.to_string(),
                form: Form::HtForm,
            })?;
            Net::Ht(read_ht(lines, tree, form, &sizes, budget)?)
        }
        "generalized-rnn" | "generalized-shallow" => Net::Generalized(Box::new(grid::read(
            lines,
            kind == "generalized-rnn",
            &sizes,
            rest,
            budget,
        )?)),
        _ => {
            return Err(Reason::UnknownConstruction {
                kind: kind.to_string(),
                order: d,
            })
        }
    };
    Ok((net, sizes))
}

/// An HT network's node tensors in post-order over `tree` (names `hierarchical::names`): a
/// leaf of mode m is `n_m x r`, a general node lists its children's ranks then its own, a convac
/// node is `alpha x r` with alpha its children's common rank; each rank below the root is read
/// from its header, the root's is 1.
fn read_ht(
    lines: &mut Lines,
    tree: ModeTree,
    form: HtForm,
    sizes: &[usize],
    budget: &mut usize,
) -> Result<HtNetwork<Q>, Reason> {
    let nodes = tree.post_order();
    let count = nodes.len();
    let mut ranks: Vec<usize> = Vec::new();
    let mut parts = Vec::new();
    for ((position, node), name) in nodes.into_iter().enumerate().zip(hierarchical::names(&tree)) {
        let edge = (position + 1 == count).then_some(1);
        let mut shape: Vec<Option<usize>> = match node {
            ModeTree::Leaf(mode) => vec![Some(sizes.get(*mode).copied().unwrap_or(0))],
            ModeTree::Node(children) => {
                let child_ranks = ranks.split_off(ranks.len().saturating_sub(children.len()));
                match form {
                    HtForm::General => child_ranks.into_iter().map(Some).collect(),
                    HtForm::Convac => {
                        let alpha = child_ranks.first().copied();
                        if child_ranks.iter().any(|&r| Some(r) != alpha) {
                            return Err(Reason::Misfit(Misfit::ConvacRanks));
                        }
                        vec![alpha]
                    }
                }
            }
        };
        shape.push(edge);
        let part = read_part(lines, &name, &shape, budget)?;
        ranks.push(part.edge());
        parts.push(part);
    }
    HtNetwork::new(tree, form, sizes.to_vec(), parts).map_err(|_| Reason::Misfit(Misfit::ConvacRanks))
}

/// One core of a tensor train: `read_part` with the shape `l x n x r`.
fn read_core(
    lines: &mut Lines,
    name: &str,
    (l, n, right): (usize, usize, Option<usize>),
    budget: &mut usize,
) -> Result<Core, Reason> {
    let part = read_part(lines, name, &[Some(l), Some(n), right], budget)?;
    Ok(Core {
        left: l,
        modes: n,
        right: part.edge(),
        entries: part.entries,
    })
}

/// One named tensor: its header (shape, count of non-zero entries, SHA-256), then its non-zero
/// entries in increasing big-endian order of their indices. `shape` gives each dimension the
/// construction fixes; a `None` (an edge dimension the network leaves free) is read from the
/// header. `budget`: the entries the certificate may still allocate; this tensor's are taken
/// from it.
fn read_part(lines: &mut Lines, name: &str, shape: &[Option<usize>], budget: &mut usize) -> Result<Part<Q>, Reason> {
    let [stated, count, digest] = holes(
        lines.take(&format!("core {name}: "))?,
        "{}, {} non-zero entries, sha256 {}",
    )?;
    let dims: Vec<&str> = stated.split('x').collect();
    if dims.len() != shape.len() {
        return Err(Reason::Malformed {
            text: stated.to_string(),
            template: vec!["{}"; shape.len()].join("x"),
        });
    }
    let dims = shape
        .iter()
        .zip(dims)
        .map(|(fixed, text)| match fixed {
            Some(n) => Ok(*n),
            None => Ok(number(text)?.max(1)),
        })
        .collect::<Result<Vec<usize>, Reason>>()?;
    let size = dims
        .iter()
        .try_fold(1usize, |p, &n| p.checked_mul(n))
        .filter(|&s| s <= *budget)
        .ok_or(Reason::OverBudget(Budget::Cores))?;
    *budget -= size;
    let shape_text = dims.iter().map(usize::to_string).collect::<Vec<_>>().join("x");
    if stated != shape_text {
        return Err(Reason::CoreShape {
            core: name.to_string(),
            expected: dims,
            stated: stated.to_string(),
        });
    }
    let count = number(count)?;
    if count > size {
        return Err(Reason::CoreCount {
            core: name.to_string(),
            count,
        });
    }
    let mut entries = vec![Q::zero(); size];
    let mut canonical = format!("{name} {shape_text}\n");
    let mut last = None;
    let template = format!("{name}[{}] = {{}}", vec!["{}"; dims.len()].join(","));
    for _ in 0..count {
        let line = lines.take("  ")?;
        let holes = scan(line, &template)
            .filter(|h| h.len() == dims.len() + 1)
            .ok_or_else(|| Reason::Malformed {
                text: shorten(line),
                template: template.clone(),
            })?;
        let (value, index) = holes.split_last().ok_or(Reason::Misfit(Misfit::Index))?;
        let index = index.iter().map(|t| number(t)).collect::<Result<Vec<usize>, _>>()?;
        let at = index
            .iter()
            .zip(&dims)
            .try_fold(0usize, |acc, (&i, &n)| (1..=n).contains(&i).then(|| acc * n + i - 1));
        let outside = || Reason::EntryOutside {
            core: name.to_string(),
            at: index.clone(),
        };
        let at = at.ok_or_else(outside)?;
        let value = rational(value)?;
        if last.is_some_and(|p| p >= at) || value.is_zero() {
            return Err(Reason::EntryOrder { core: name.to_string() });
        }
        last = Some(at);
        *entries.get_mut(at).ok_or_else(outside)? = value;
        canonical.push_str(&format!("  {line}\n"));
    }
    let actual: String = Sha256::digest(canonical.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if actual != digest {
        return Err(Reason::CoreDigest {
            core: name.to_string(),
            actual,
            stated: digest.to_string(),
        });
    }
    Ok(Part { shape: dims, entries })
}

/// `scan` with a fixed number of holes, as an error when the line does not fit.
fn holes<'l, const N: usize>(line: &'l str, template: &str) -> Result<[&'l str; N], Reason> {
    scan(line, template)
        .and_then(|h| <[&str; N]>::try_from(h).ok())
        .ok_or_else(|| Reason::Malformed {
            text: shorten(line),
            template: template.to_string(),
        })
}

/// Checks one claim: its verdict recomputed, its evidence line rebuilt, its witnesses verified.
/// A verdict confirmed but not as expected is returned: its line, the verdict and the
/// expectation (`None` for a probe).
fn claim(
    lines: &mut Lines,
    subject: &mut Subject,
    kind: &str,
) -> Result<Option<(usize, Verdict, Option<Verdict>)>, Rejection> {
    let here = |lines: &Lines| at(lines.number());
    // Every kind takes at least one key.
    let mut keys = Keys(Vec::new());
    keys.read(lines.take("  from: ").map_err(here(lines))?)
        .map_err(here(lines))?;
    while let Some(key) = lines.take_if("  from: ") {
        keys.read(key).map_err(here(lines))?;
    }
    let statement = lines.take("  statement: ").map_err(here(lines))?;
    let net = &subject.net;
    let cut = |rows: &[usize]| cut(net, &subject.sizes, rows);
    let should_state = match &subject.every {
        Some(p) => statement::every_depth_statement(kind, &keys, &subject.names, p.depths, p.period()),
        None => {
            let tree = match &subject.net {
                Net::Ht(net) => Some(net.tree()),
                _ => None,
            };
            statement::statement(kind, &keys, &subject.names, &subject.sizes, &cut, tree)
        }
    }
    .map_err(here(lines))?;
    if statement != should_state {
        return Err(here(lines)(Reason::Statement {
            should_read: should_state,
        }));
    }
    // `None`: a probe outside the region the case proves, where holds and fails are both expected.
    let expected =
        statement::expected(&subject.names, lines.take("  expected: ").map_err(here(lines))?).map_err(here(lines))?;
    let [word, mark] = holes(lines.take("  verdict: ").map_err(here(lines))?, "{} ({})").map_err(here(lines))?;
    let verdict_line = lines.number();
    let evidence = lines.take("  evidence: ").map_err(here(lines))?;
    let evidence_line = lines.number();
    // A rank's evidence announces its minor on the lines below: a text ending here is cut short.
    if evidence.contains("the minor below") && lines.peek().is_none() {
        return Err(at(evidence_line)(Reason::CutShort {
            expected: Some("  minor rows: ".to_string()),
        }));
    }
    subject.prime = Prime::stated_in(evidence).unwrap_or(Prime::Mersenne61);
    // The kernel's own list of claim kinds, on purpose not the checker's vocabulary: a kind is
    // added here only with the code that re-checks it.
    let recomputed = match (&subject.every, kind) {
        (Some(periodic), _) => all_depths::check(lines, periodic, kind, statement, evidence),
        (None, kind) => match kind {
            "identity-submatrix" => identity(subject, statement),
            "matricization-rank" => matricization_rank(lines, subject, statement, None),
            "cp-rank-lower-bound" => matricization_rank(lines, subject, statement, Some(word)),
            "cp-rank-upper-bound" => cp::upper_bound(lines, subject, statement, word),
            "tt-ranks" => tt_ranks(lines, subject, statement),
            "ht-ranks" => ht_ranks(lines, subject, statement),
            "conversion" => conversion::check(lines, subject, statement),
            "support-structure" => support(subject, statement, evidence),
            "grid-tensor-equal" => grid_equal(subject, statement),
            "grid-pattern" => grid_pattern(subject, statement),
            "shallow-width-lower-bound" => shallow_width(lines, subject, statement, word),
            other => Err(Reason::UnknownClaimKind {
                kind: other.to_string(),
            }),
        },
    };
    let (verdict, should_read) = recomputed.map_err(here(lines))?;
    if evidence != should_read {
        return Err(at(evidence_line)(Reason::Evidence { should_read }));
    }
    if word != verdict.word() {
        return Err(at(verdict_line)(Reason::Verdict {
            stated: word.to_string(),
            found: verdict,
        }));
    }
    let as_expected = expected.map_or(verdict != Verdict::Undecided, |e| e == verdict);
    let should_mark = if as_expected { "as expected" } else { "NOT AS EXPECTED" };
    if mark != should_mark {
        return Err(at(verdict_line)(Reason::Mark {
            stated: mark.to_string(),
            as_expected,
        }));
    }
    Ok((!as_expected).then_some((verdict_line, verdict, expected)))
}

/// Whether a square matrix is non-singular: first mod p, where a non-zero determinant proves
/// it non-zero over Q too; exactly (within the work budget) only when that does not settle it.
fn nonsingular(minor: Vec<Vec<Q>>) -> Result<bool, Reason> {
    let size = minor.len();
    let residues: Option<Vec<Vec<u64>>> = minor
        .iter()
        .map(|row| row.iter().map(modp::of_rational).collect())
        .collect();
    if residues.is_some_and(|rows| modular::rank_mod(rows.into_iter(), Prime::Mersenne61) == size) {
        return Ok(true);
    }
    Ok(rank(minor.into_iter().map(Ok))? == size)
}

/// A rejection at a given line.
fn at(line: usize) -> impl Fn(Reason) -> Rejection {
    move |reason| Rejection {
        line,
        claim: None,
        reason,
    }
}

/// `identity-submatrix`: every entry of the block on `[q]^d` recomputed.
fn identity(subject: &mut Subject, statement: &str) -> Result<(Verdict, String), Reason> {
    let [m, q] = holes(statement, "X^({}) restricted to indices 1..{} is the identity matrix")?;
    let d = subject.order();
    let (rows, cols) = matricization(m, d)?;
    let q = number(q)?;
    if q == 0 || subject.sizes.iter().any(|&n| q > n) {
        return Err(Reason::BlockSize { q });
    }
    let side = |modes: usize| {
        q.checked_pow(modes as u32)
            .filter(|&s| s <= MAX_DENSE)
            .ok_or(Reason::OverBudget(Budget::Block))
    };
    let (nr, nc) = (side(rows.len())?, side(cols.len())?);
    if nr != nc {
        return Ok((
            Verdict::Fails,
            format!("the block on indices 1..{q} is {nr} x {nc}, not square"),
        ));
    }
    side(d)?;
    let box_shape = vec![q; d];
    let block = dense(subject.train()?.0, &box_shape);
    let unfolding = Unfolding::new(&box_shape, &rows, &cols);
    for (r, c) in (0..nr).flat_map(|r| (0..nc).map(move |c| (r, c))) {
        let (actual, expected) = (
            unfolded(&unfolding, &block, r, c)?,
            if r == c { Q::one() } else { Q::zero() },
        );
        if *actual != expected {
            let index = join(
                &rows,
                &index_at(&vec![q; rows.len()], r),
                &cols,
                &index_at(&vec![q; cols.len()], c),
            );
            return Ok((
                Verdict::Fails,
                format!(
                    "X[{}] = {}, but the identity has {} there",
                    one_based(&index),
                    q_text(actual),
                    q_text(&expected)
                ),
            ));
        }
    }
    Ok((
        Verdict::Holds,
        format!("the {nr} x {nr} block on indices 1..{q} is the identity, checked entry by entry"),
    ))
}

/// `'other' is not a relation`.
fn not_a_relation(other: &str) -> Reason {
    Reason::NotA {
        text: other.to_string(),
        form: Form::Relation,
    }
}

/// The full multi-index from its row and column parts (`rows` and `cols` partition the modes).
fn join(rows: &[usize], row: &[usize], cols: &[usize], col: &[usize]) -> Vec<usize> {
    let mut by_mode: Vec<(usize, usize)> = rows
        .iter()
        .zip(row)
        .chain(cols.iter().zip(col))
        .map(|(&m, &i)| (m, i))
        .collect();
    by_mode.sort_unstable();
    by_mode.into_iter().map(|(_, i)| i).collect()
}

/// The entry in row `r` and column `c` of a matricization of `tensor`, which the shapes checked
/// before make sure exists.
fn unfolded<'t, T>(unfolding: &Unfolding, tensor: &'t [T], r: usize, c: usize) -> Result<&'t T, Reason> {
    unfolding.entry(tensor, r, c).ok_or(Reason::Misfit(Misfit::Index))
}

/// The verdict on a lower bound derived from a smaller one (Lemma 1, Lemma 5): HOLDS when the
/// derived bound reaches the claim, FAILS only when a disproof is there (`disproved`), UNDECIDED
/// otherwise. A certificate that says `stated` = FAILS where the kernel finds UNDECIDED is
/// rejected with what it found (`found`): a weaker bound is no disproof.
fn derived_bound(
    reached: bool,
    disproved: bool,
    stated: &str,
    found: impl FnOnce() -> NoDisproof,
) -> Result<Verdict, Reason> {
    match (reached, disproved) {
        (true, _) => Ok(Verdict::Holds),
        (false, true) => Ok(Verdict::Fails),
        (false, false) if stated == Verdict::Fails.word() => Err(Reason::NoDisproof(found())),
        (false, false) => Ok(Verdict::Undecided),
    }
}

/// What a CP-rank claim's evidence adds when Lemma 1's bound `found` falls short of `bound`.
fn cp_rank_short_of(found: usize, bound: usize) -> String {
    if found >= bound {
        return String::new();
    }
    format!("; below the claimed {bound}, so not established: a disproof would be a CP decomposition of rank < {bound}")
}

/// `matricization-rank` and `cp-rank-lower-bound` (`lemma_1`: the verdict the certificate
/// states, for a CP-rank claim): the minor below the evidence is non-singular (lower bound);
/// the rank is at most its size by the matrix's shape or a full elimination. A CP-rank claim
/// HOLDS when that rank reaches its bound and is UNDECIDED otherwise: no certificate carries a
/// CP decomposition, the only disproof.
fn matricization_rank(
    lines: &mut Lines,
    subject: &mut Subject,
    statement: &str,
    lemma_1: Option<&str>,
) -> Result<(Verdict, String), Reason> {
    let (m, relation, bound) = if lemma_1.is_some() {
        let [bound, m] = holes(statement, "rank_CP X >= {}, from rank X^({}) by Lemma 1")?;
        (m, ">=", bound)
    } else {
        let [m, relation, bound] = holes(statement, "rank X^({}) {} {}")?;
        (m, relation, bound)
    };
    let (rows, cols) = matricization(m, subject.order())?;
    let bound = number(bound)?;
    if subject.generic {
        return generic_rank(lines, subject, (m, &rows, &cols), relation, bound, lemma_1);
    }
    let (size, nr, nc) = exact_rank(lines, subject, &rows, &cols)?;
    let holds = match relation {
        ">=" => size >= bound,
        "=" => size == bound,
        "<=" => size <= bound,
        other => return Err(not_a_relation(other)),
    };
    let mut should_read = rank_text(m, size, nr, nc);
    let verdict = match lemma_1 {
        Some(_) if holds => {
            should_read.push_str(&format!("; by Lemma 1, rank_CP X >= {size}"));
            Verdict::Holds
        }
        Some(stated) => {
            should_read.push_str(&format!("; by Lemma 1, rank_CP X >= {size}"));
            cp::short_lower_bound(subject, (size, bound), stated, &mut should_read)?
        }
        None => Verdict::of(holds),
    };
    Ok((verdict, should_read))
}

/// `rank X^(m) = 4 exactly over Q (4 x 4 matrix); the minor below is non-singular`, or the
/// zero matrix.
fn rank_text(m: &str, rank: usize, nr: usize, nc: usize) -> String {
    if rank == 0 {
        format!("rank X^({m}) = 0 exactly over Q: the {nr} x {nc} matrix is zero")
    } else {
        format!("rank X^({m}) = {rank} exactly over Q ({nr} x {nc} matrix); the minor below is non-singular")
    }
}

/// The minor listed below a rank's evidence (`minor rows:` and `minor cols:`, 0-based; none for
/// rank 0), checked to be square and inside the `nr x nc` matrix.
fn listed_minor(lines: &mut Lines, (nr, nc): (usize, usize)) -> Result<(Vec<usize>, Vec<usize>), Reason> {
    let (minor_rows, minor_cols) = match lines.take_if("  minor rows: ") {
        Some(listed) => (ranges(listed, nr)?, ranges(lines.take("  minor cols: ")?, nc)?),
        None => (Vec::new(), Vec::new()),
    };
    if minor_cols.len() != minor_rows.len()
        || minor_rows.last().is_some_and(|&r| r >= nr)
        || minor_cols.last().is_some_and(|&c| c >= nc)
    {
        return Err(Reason::Misfit(Misfit::Minor));
    }
    Ok((minor_rows, minor_cols))
}

/// The exact rank of the matricization with row modes `rows` and column modes `cols`, and its
/// shape `(rank, rows, columns)`: the minor listed below the evidence (none for rank 0) must be
/// non-singular, and, unless it is as large as the matrix allows, a full elimination must find
/// no larger rank.
fn exact_rank(
    lines: &mut Lines,
    subject: &mut Subject,
    rows: &[usize],
    cols: &[usize],
) -> Result<(usize, usize, usize), Reason> {
    let sizes = subject.sizes.clone();
    let full = subject.full()?;
    unfolding_rank(lines, &sizes, full, rows, cols)
}

/// `exact_rank` of the dense tensor `full` of mode sizes `sizes`.
fn unfolding_rank(
    lines: &mut Lines,
    sizes: &[usize],
    full: &[Q],
    rows: &[usize],
    cols: &[usize],
) -> Result<(usize, usize, usize), Reason> {
    let unfolding = Unfolding::new(sizes, rows, cols);
    let (nr, nc) = unfolding.shape();
    let matrix_row = |r: usize, wanted: &mut dyn Iterator<Item = usize>| -> Result<Vec<Q>, Reason> {
        wanted.map(|c| unfolded(&unfolding, full, r, c).cloned()).collect()
    };
    let (minor_rows, minor_cols) = listed_minor(lines, (nr, nc))?;
    let size = minor_rows.len();
    if !nonsingular(
        minor_rows
            .iter()
            .map(|&r| matrix_row(r, &mut minor_cols.iter().copied()))
            .collect::<Result<_, _>>()?,
    )? {
        return Err(Reason::SingularMinor { size, mod_p: false });
    }
    if size < nr.min(nc) && rank((0..nr).map(|r| matrix_row(r, &mut (0..nc))))? != size {
        return Err(Reason::RankAboveMinor { size });
    }
    Ok((size, nr, nc))
}

/// A rank claim on drawn cores, about the generic rank: the listed minor is non-singular mod p
/// (so the generic rank is at least its size k), the cut bound is recomputed (so it is at most
/// that), and the verdict follows from the two alone; for a CP-rank claim (`lemma_1`, the
/// stated verdict) from k alone, the cut bounding the matricization, not the CP-rank. The
/// `# numeric:` line, floating point, is a cross-check the kernel does not read.
fn generic_rank(
    lines: &mut Lines,
    subject: &mut Subject,
    (m, rows, cols): (&str, &[usize], &[usize]),
    relation: &str,
    bound: usize,
    lemma_1: Option<&str>,
) -> Result<(Verdict, String), Reason> {
    let (k, nr, nc) = generic_minor(lines, subject, rows, cols)?;
    let cut = cut(&subject.net, &subject.sizes, rows);
    let (b, kk) = (bound as u128, k as u128);
    let p = subject.prime.text();
    let verdict = match (relation, lemma_1) {
        (">=", Some(stated)) => derived_bound(k >= bound, false, stated, || NoDisproof::CpRank { found: k, bound })?,
        (_, Some(_)) => return Err(not_a_relation(relation)),
        (relation, None) => generic_verdict(relation, (b, kk), cut)?,
    };
    let mut should_read = if k == 0 {
        format!("rank X^({m}) mod p is 0 in this draw ({nr} x {nc} matrix), p = {p}; cut bound {cut}")
    } else {
        format!("rank X^({m}) mod p >= {k}, p = {p} ({nr} x {nc} matrix); the minor below is non-singular mod p, so the generic rank over Q is >= {k}; cut bound {cut}")
    };
    if kk == cut {
        should_read.push_str(&format!("; generic rank = {k}, certified"));
    }
    if lemma_1.is_some() {
        should_read.push_str(&format!(
            "; by Lemma 1, rank_CP X >= {k} for almost all cores{}",
            cp_rank_short_of(k, bound)
        ));
    }
    Ok((verdict, should_read))
}

/// The size k of the minor listed below a generic rank's evidence, checked non-singular mod p
/// (so the generic rank of X^(rows, cols) is at least k), with the matrix's shape.
fn generic_minor(
    lines: &mut Lines,
    subject: &Subject,
    rows: &[usize],
    cols: &[usize],
) -> Result<(usize, usize, usize), Reason> {
    subject.entries_fit(MAX_DENSE_MOD_P)?;
    let unfolding = Unfolding::new(&subject.sizes, rows, cols);
    let (nr, nc) = unfolding.shape();
    let (minor_rows, minor_cols) = listed_minor(lines, (nr, nc))?;
    let k = minor_rows.len();
    let dense = modular::dense_mod(&subject.net, &subject.sizes, subject.prime)?;
    let minor = minor_rows
        .iter()
        .map(|&r| {
            minor_cols
                .iter()
                .map(|&c| unfolded(&unfolding, &dense, r, c).copied())
                .collect()
        })
        .collect::<Result<Vec<_>, _>>()?;
    if modular::rank_mod(minor.into_iter(), subject.prime) != k {
        return Err(Reason::SingularMinor { size: k, mod_p: true });
    }
    Ok((k, nr, nc))
}

/// `ht-ranks`: for every node of the stated tree below the root, in post-order, the rank of
/// X^(node, rest): exact (the listed minor non-singular, no larger rank) or, on drawn cores,
/// certified mod p with the cut recomputed; each node's verdict as for a rank claim, FAILS if one
/// node fails, HOLDS if all hold.
fn ht_ranks(lines: &mut Lines, subject: &mut Subject, statement: &str) -> Result<(Verdict, String), Reason> {
    let [tree, relation, bounds] = holes(statement, "HT-ranks over the tree {} {} {}")?;
    let d = subject.order();
    let tree = ModeTree::parse(tree, d).map_err(|fault| Reason::Tree {
        text: shorten(tree),
        fault: fault.problem.to_string(),
    })?;
    let bounds = tuple(bounds)?;
    let nodes = tree.post_order();
    let names = hierarchical::names(&tree);
    if bounds.len() + 1 != nodes.len() || !matches!(relation, "=" | "<=") {
        return Err(Reason::Misfit(Misfit::HtRanks));
    }
    let (mut ranks, mut cuts, mut verdicts) = (Vec::new(), Vec::new(), Vec::new());
    for ((node, name), &bound) in nodes.iter().zip(&names).zip(&bounds) {
        let mut rows = node.modes();
        rows.sort_unstable();
        let cols: Vec<usize> = (0..d).filter(|m| !rows.contains(m)).collect();
        let line = lines.take(&format!("  node {name} ({}): ", one_based(&rows)))?;
        let (rank, verdict) = if subject.generic {
            let (k, _, _) = generic_minor(lines, subject, &rows, &cols)?;
            let cut = cut(&subject.net, &subject.sizes, &rows);
            if line != format!("rank mod p >= {k}, cut bound {cut}") {
                return Err(Reason::Misfit(Misfit::HtRanks));
            }
            cuts.push(cut);
            (k, generic_verdict(relation, (bound as u128, k as u128), cut)?)
        } else {
            let (size, _, _) = exact_rank(lines, subject, &rows, &cols)?;
            if line != format!("rank {size}") {
                return Err(Reason::Misfit(Misfit::HtRanks));
            }
            let holds = if relation == "=" { size == bound } else { size <= bound };
            (size, Verdict::of(holds))
        };
        ranks.push(rank);
        verdicts.push(verdict);
    }
    let shown = |v: &[usize]| format!("({})", v.iter().map(usize::to_string).collect::<Vec<_>>().join(","));
    let mut should_read = if subject.generic {
        let cuts: Vec<usize> = cuts.iter().map(|&c| usize::try_from(c).unwrap_or(usize::MAX)).collect();
        let mut text = format!(
            "HT-ranks mod p >= {}, p = {}, so the generic HT-ranks over Q are at least these; cut bounds {}",
            shown(&ranks),
            subject.prime.text(),
            shown(&cuts)
        );
        if ranks == cuts {
            text.push_str(&format!("; generic HT-ranks = {}, certified", shown(&ranks)));
        }
        text
    } else {
        format!("HT-ranks {} exactly", shown(&ranks))
    };
    let failing = verdicts.iter().position(|&v| v == Verdict::Fails);
    if let Some(j) = failing {
        let node = nodes.get(j).ok_or(Reason::Misfit(Misfit::Index))?;
        let mut rows = node.modes();
        rows.sort_unstable();
        should_read.push_str(&format!(
            "; node {} ({}) has rank {}{}, the claim needs {relation} {}",
            names.get(j).map_or("", String::as_str),
            one_based(&rows),
            if subject.generic { ">= " } else { "" },
            ranks.get(j).copied().unwrap_or(0),
            bounds.get(j).copied().unwrap_or(0)
        ));
    }
    let verdict = if failing.is_some() {
        Verdict::Fails
    } else if verdicts.iter().all(|&v| v == Verdict::Holds) {
        Verdict::Holds
    } else {
        Verdict::Undecided
    };
    Ok((verdict, should_read))
}

/// The verdict on the generic rank `relation b` from its certified lower bound `k` and the cut
/// bound, an upper bound for every draw.
fn generic_verdict(relation: &str, (b, k): (u128, u128), cut: u128) -> Result<Verdict, Reason> {
    Ok(match relation {
        ">=" if cut < b => Verdict::Fails,
        ">=" if k >= b => Verdict::Holds,
        "=" if b > cut || k > b => Verdict::Fails,
        "=" if k == b && b == cut => Verdict::Holds,
        "<=" if k > b => Verdict::Fails,
        "<=" if cut <= b => Verdict::Holds,
        ">=" | "=" | "<=" => Verdict::Undecided,
        other => return Err(not_a_relation(other)),
    })
}

/// `tt-ranks`: per bond, the listed minor of the unfolding is non-singular (lower bound) and the
/// rank is at most its size by the bond dimension, the unfolding's shape or a full elimination.
fn tt_ranks(lines: &mut Lines, subject: &mut Subject, statement: &str) -> Result<(Verdict, String), Reason> {
    let [relation, bounds] = holes(statement, "TT-ranks {} {}")?;
    let d = subject.order();
    let bounds = tuple(bounds)?;
    if bounds.len() + 1 != d {
        return Err(Reason::BondCount {
            bounds: bounds.len(),
            bonds: d - 1,
        });
    }
    let mut ranks = Vec::new();
    for k in 1..d {
        let [bond, r, row_tuples, col_tuples] = holes(lines.take("  bond ")?, "{}: rank {}, minor rows {}, cols {}")?;
        let (r, minor_rows, minor_cols) = (number(r)?, index_tuples(row_tuples)?, index_tuples(col_tuples)?);
        let (prefix, suffix) = subject.sizes.split_at(k);
        let fits = |t: &Vec<usize>, shape: &[usize]| t.len() == shape.len() && t.iter().zip(shape).all(|(i, n)| i < n);
        if number(bond)? != k
            || minor_rows.len() != r
            || minor_cols.len() != r
            || !minor_rows.iter().all(|t| fits(t, prefix))
            || !minor_cols.iter().all(|t| fits(t, suffix))
        {
            return Err(Reason::Bond {
                bond: k,
                fault: BondFault::Misfit,
            });
        }
        let cores = subject.train()?.0;
        let minor = minor_rows.iter().map(|p| {
            minor_cols
                .iter()
                .map(|s| entry(cores, &[p.as_slice(), s].concat()))
                .collect()
        });
        if !nonsingular(minor.collect())? {
            return Err(Reason::Bond {
                bond: k,
                fault: BondFault::Singular { size: r },
            });
        }
        let (nr, nc) = (volume(prefix), volume(suffix));
        let bond_dim = subject
            .train()?
            .1
            .get(k)
            .copied()
            .ok_or(Reason::Misfit(Misfit::Index))?;
        if r < bond_dim && r < nr.min(nc) {
            // The unfolding's rows are the big-endian tensor's consecutive runs of nc entries.
            let full = subject.full()?;
            if rank(full.chunks(nc.max(1)).map(|row| Ok(row.to_vec())))? != r {
                return Err(Reason::Bond {
                    bond: k,
                    fault: BondFault::Rank { rank: r },
                });
            }
        }
        ranks.push(r);
    }
    let holds = |r: usize, b: usize| match relation {
        "=" => Ok(r == b),
        "<=" => Ok(r <= b),
        other => Err(Reason::NotA {
            text: other.to_string(),
            form: Form::TtRelation,
        }),
    };
    let shown: Vec<String> = ranks.iter().map(usize::to_string).collect();
    let mut should_read = format!("TT-ranks ({}) exactly", shown.join(","));
    for (k, (&r, &b)) in ranks.iter().zip(&bounds).enumerate() {
        if !holds(r, b)? {
            should_read.push_str(&format!(
                "; bond {} has rank {r}, the claim needs {relation} {b}",
                k + 1
            ));
            return Ok((Verdict::Fails, should_read));
        }
    }
    Ok((Verdict::Holds, should_read))
}

/// `support-structure`: the count of non-zero summands recomputed; a counterexample verified.
fn support(subject: &mut Subject, statement: &str, evidence: &str) -> Result<(Verdict, String), Reason> {
    let template = "every non-zero summand over [{}]^{} has a_k = path(k, i_k), with path(k, i) for i = 1..{}:{}";
    let [q, d, q_again, table] = holes(statement, template)?;
    let (q, d) = (number(q)?, number(d)?);
    if d != subject.order() || q_again != q.to_string() || q == 0 || subject.sizes.iter().any(|&n| q > n) {
        return Err(Reason::Misfit(Misfit::SupportStatement));
    }
    let mut path = Vec::new();
    for (k, part) in table.split(" k=").skip(1).enumerate() {
        let [bond, values] = holes(part, "{}: {}")?;
        let values = signed_tuple(values)?;
        if number(bond)? != k + 1 || values.len() != q {
            return Err(Reason::PathEntry { k: k + 1 });
        }
        path.push(values);
    }
    if path.len() + 1 != d || !table.is_empty() && !table.starts_with(" k=") {
        return Err(Reason::Misfit(Misfit::PathTable));
    }
    let (cores, bond_dims) = subject.train()?;
    let (count, off_path) = summands(cores, q, &path);
    if off_path.is_none() {
        return Ok((
            Verdict::Holds,
            format!("{count} non-zero summands over [{q}]^{d}, all on the claimed path"),
        ));
    }
    // The kernel found that a counterexample exists; the one given must be a real one.
    let template = "at indices {} the bond path {} gives the non-zero product {}, but the claimed path is {}; they differ at bond {}";
    let [index, bonds, product, claimed, bond] = holes(evidence, template)?;
    let (index, bonds, product, claimed, bond) = (
        tuple(index)?,
        tuple(bonds)?,
        rational(product)?,
        signed_tuple(claimed)?,
        number(bond)?,
    );
    let out_of_range = || Reason::Counterexample(Counterexample::OutOfRange);
    let in_range = index.len() == d
        && index.iter().all(|&i| (1..=q).contains(&i))
        && bonds.len() + 1 == d
        && bonds
            .iter()
            .zip(bond_dims.iter().skip(1))
            .all(|(&a, &r)| (1..=r).contains(&a));
    if !in_range {
        return Err(out_of_range());
    }
    // The bond path 0-based, with its ends a_0 = a_d = 0; core k's factor is G_k[a_k, i_k, a_{k+1}].
    let path_ends: Vec<usize> = std::iter::once(0)
        .chain(bonds.iter().map(|b| b - 1))
        .chain(std::iter::once(0))
        .collect();
    let actual: Q = cores
        .iter()
        .zip(&index)
        .zip(path_ends.iter().zip(path_ends.iter().skip(1)))
        .map(|((core, &i), (&a, &b))| core.get(a, i - 1, b).cloned())
        .collect::<Option<Vec<Q>>>()
        .ok_or_else(out_of_range)?
        .into_iter()
        .product();
    let table_path: Vec<i64> = path
        .iter()
        .zip(&index)
        .map(|(values, &i)| values.get(i - 1).copied())
        .collect::<Option<_>>()
        .ok_or_else(out_of_range)?;
    let first = table_path
        .iter()
        .zip(&bonds)
        .position(|(&t, &b)| t != b as i64)
        .map(|k| k + 1);
    if actual.is_zero() || actual != product || claimed != table_path || first != Some(bond) {
        return Err(Reason::Counterexample(Counterexample::NotOffPath));
    }
    Ok((Verdict::Fails, evidence.to_string()))
}

/// The values of a grid claim's expression at every index (big-endian), by the kernel's own
/// evaluator: the instance's names, each compared network's grid entry under its name, `H` the
/// listed target tensor, and `idx(t)` the template at position t.
fn grid_values(subject: &Subject, text: &str) -> Result<Vec<expr::Value>, Reason> {
    let g = subject.generalized()?;
    let fault = |fault| Reason::expression(text, fault);
    let parsed = expr::Expr::parse(text).map_err(fault)?;
    (0..g.grid.len())
        .map(|pos| {
            let index: Vec<usize> = index_at(&subject.sizes, pos).iter().map(|i| i + 1).collect();
            let name = |n: &str| {
                let entry = |grid: &[Q]| grid.get(pos).cloned().map(expr::Value::Num);
                match g.others.iter().find(|o| o.name == n) {
                    Some(other) => entry(&other.grid),
                    None if n == "H" && g.target.is_some() => g.target.as_deref().and_then(entry),
                    None => subject.names.lookup(n),
                }
            };
            parsed.eval(&name, Some(&index)).map_err(fault)
        })
        .collect()
}

/// `Gamma[1,2] = 3, but the claim has 4 there`, for the entry at big-endian position `pos`.
fn grid_mismatch(sizes: &[usize], pos: usize, actual: &Q, claimed: &str) -> String {
    format!(
        "Gamma[{}] = {}, but the claim has {claimed} there",
        one_based(&index_at(sizes, pos)),
        q_text(actual)
    )
}

/// `grid-tensor-equal`: the claimed values, the expression evaluated by the kernel at every
/// index, compared with the grid tensor the kernel computed; the first differing entry is the
/// counterexample.
fn grid_equal(subject: &Subject, statement: &str) -> Result<(Verdict, String), Reason> {
    let [expression] = holes(statement, "the grid tensor Gamma equals {} at every index")?;
    let g = subject.generalized()?;
    let claimed = grid_values(subject, expression)?;
    for (pos, (actual, value)) in g.grid.iter().zip(&claimed).enumerate() {
        let expr::Value::Num(value) = value else {
            return Err(Reason::expression(expression, expr::ExprFault::NotANumber));
        };
        if actual != value {
            return Ok((
                Verdict::Fails,
                grid_mismatch(&subject.sizes, pos, actual, &q_text(value)),
            ));
        }
    }
    Ok((
        Verdict::Holds,
        format!(
            "all {} entries of Gamma equal the claimed values, checked entry by entry",
            g.grid.len()
        ),
    ))
}

/// `grid-pattern`: the condition evaluated by the kernel at every index, compared with where the
/// grid tensor it computed is 0; the first entry that contradicts it is the counterexample.
fn grid_pattern(subject: &Subject, statement: &str) -> Result<(Verdict, String), Reason> {
    let [condition] = holes(statement, "the grid tensor Gamma is 0 exactly where {}")?;
    let g = subject.generalized()?;
    let zero = grid_values(subject, condition)?;
    for (pos, (actual, value)) in g.grid.iter().zip(&zero).enumerate() {
        let expr::Value::Bool(zero) = value else {
            return Err(Reason::expression(condition, expr::ExprFault::NotACondition));
        };
        if actual.is_zero() != *zero {
            let claimed = if *zero { "a zero" } else { "a non-zero entry" };
            return Ok((Verdict::Fails, grid_mismatch(&subject.sizes, pos, actual, claimed)));
        }
    }
    let zeros = g.grid.iter().filter(|x| x.is_zero()).count();
    Ok((
        Verdict::Holds,
        format!(
            "Gamma is 0 at exactly the {zeros} claimed indices and non-zero at the other {}, checked entry by entry",
            g.grid.len() - zeros
        ),
    ))
}

/// `shallow-width-lower-bound`: by Lemma 5 (Cohen & Shashua 2016, Claim 9; assumed, not
/// checked) a rectifier shallow network with grid tensor Gamma has width at least
/// `rank Gamma^((1,3,..),(2,4,..)) / (T M / 2)`. The rank is rechecked as for a rank claim, the
/// quotient `2 r / (T M)` recomputed and compared with the claimed bound: HOLDS when it reaches
/// it. Short of it, the claim FAILS only by a disproof the kernel finds itself: the first
/// compared shallow network (same rectifier, same F) narrower than the bound whose grid tensor,
/// computed by the kernel, equals Gamma entry by entry; else it is UNDECIDED, and a certificate
/// that says FAILS (`stated`) is rejected.
fn shallow_width(
    lines: &mut Lines,
    subject: &mut Subject,
    statement: &str,
    stated: &str,
) -> Result<(Verdict, String), Reason> {
    let template = "a rectifier shallow network with grid tensor Gamma has width >= rank Gamma^({}) / (T M / 2) >= {}";
    let [m, bound] = holes(statement, template)?;
    if !subject.generalized()?.rectifier {
        return Err(Reason::Misfit(Misfit::Lemma5Rectifier));
    }
    let t = subject.order();
    let templates = subject.sizes.first().copied().ok_or(Reason::Misfit(Misfit::Lemma5))?;
    let (rows, cols) = matricization(m, t)?;
    if t % 2 == 1 || !rows.iter().copied().eq((0..t).step_by(2)) || !cols.iter().copied().eq((1..t).step_by(2)) {
        return Err(Reason::Misfit(Misfit::Lemma5));
    }
    let bound = rational(bound)?;
    let (r, nr, nc) = exact_rank(lines, subject, &rows, &cols)?;
    let width = Q::new((2 * r).into(), (t * templates).into());
    let minor = if r > 0 { "; the minor below is non-singular" } else { "" };
    let mut should_read = format!("rank Gamma^({m}) = {r} exactly over Q ({nr} x {nc} matrix){minor}; by Lemma 5 the width is >= {r} / (T M / 2) = {}", q_text(&width));
    let reached = width >= bound;
    let g = subject.generalized()?;
    let narrower = g.others.iter().find_map(|o| match o.shallow_width {
        Some(w) if Q::from_integer(w.into()) < bound && o.grid == g.grid => Some((o.name.as_str(), w)),
        _ => None,
    });
    let b = q_text(&bound);
    match (reached, narrower) {
        (true, _) => {}
        (false, Some((name, w))) => should_read.push_str(&format!(
            "; below the claimed {b}, and the compared rectifier shallow network {name} of width {w} < {b} has this grid tensor, checked entry by entry"
        )),
        (false, None) => should_read.push_str(&format!(
            "; below the claimed {b}, so not established: a disproof would be a rectifier shallow network of width < {b} with this grid tensor, and none of the compared networks is one"
        )),
    }
    let verdict = derived_bound(reached, narrower.is_some(), stated, || NoDisproof::ShallowWidth {
        found: q_text(&width),
        bound: b.clone(),
    })?;
    Ok((verdict, should_read))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// A tensor train of order `d` with mode sizes `n`, bond dimensions 1 and zero cores, and
    /// one `tt-ranks` claim whose bonds list rank 0.
    fn zero_train_certificate(d: usize, n: usize) -> String {
        let list = |v: usize, len: usize| vec![v.to_string(); len].join(",");
        let mut text = format!(
            "{HEADER}\ninstance: n=1\nconventions: {CONVENTIONS}\nconstruction: tt, order {d}, mode sizes ({}), bond dimensions ({})\n",
            list(n, d),
            list(1, d + 1)
        );
        for k in 1..=d {
            let digest: String = Sha256::digest(format!("G{k} 1x{n}x1\n").as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            text.push_str(&format!("core G{k}: 1x{n}x1, 0 non-zero entries, sha256 {digest}\n"));
        }
        text.push_str(&format!(
            "claim 1: tt-ranks\n  from: equal = \"0\"\n  statement: TT-ranks = ({})\n  expected: holds\n  verdict: holds (as expected)\n  evidence: TT-ranks ({}) exactly\n",
            list(0, d - 1),
            list(0, d - 1)
        ));
        for k in 1..d {
            text.push_str(&format!("  bond {k}: rank 0, minor rows -, cols -\n"));
        }
        text
    }

    #[test]
    fn a_text_cut_anywhere_inside_a_certificate_is_cut_short() {
        let text = zero_train_certificate(4, 2);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 17, "4 header lines, 4 cores, 6 claim lines, 3 bonds");
        // Cut after line k: the text ends where line k + 1 must follow, and the kernel says so.
        for k in 1..lines.len() {
            let cut: String = lines[..k].iter().map(|l| format!("{l}\n")).collect();
            let rejection = check(&cut).unwrap_err();
            assert_eq!(rejection.line, k, "{rejection}");
            assert!(
                matches!(&rejection.reason, Reason::CutShort { expected: Some(p) } if lines[k].starts_with(p.as_str())),
                "cut after line {k}, before '{}': {rejection}",
                lines[k]
            );
        }
        // Cut inside line k (or before its line end): the text stops inside it.
        for k in 1..=lines.len() {
            let before: String = lines[..k - 1].iter().map(|l| format!("{l}\n")).collect();
            for end in [lines[k - 1].len() / 2, lines[k - 1].len()] {
                let rejection = check(&format!("{before}{}", &lines[k - 1][..end])).unwrap_err();
                assert_eq!(
                    (rejection.line, &rejection.reason),
                    (k, &Reason::CutShort { expected: None }),
                    "{rejection}"
                );
            }
        }
    }

    #[test]
    fn a_verdict_not_as_expected_is_confirmed_and_reported() {
        let text = zero_train_certificate(4, 2).replace(
            "  expected: holds\n  verdict: holds (as expected)",
            "  expected: fails\n  verdict: holds (NOT AS EXPECTED)",
        );
        // Lines 1-4 the header, 5-8 the cores, 9 the claim, 10 its key, 11 its statement, 12 expected, 13 the verdict.
        assert_eq!(
            check(&text),
            Ok(Confirmed {
                certificates: 1,
                claims: 1,
                unexpected: vec![Unexpected {
                    line: 13,
                    claim: ClaimAt {
                        number: 1,
                        kind: "tt-ranks".to_string()
                    },
                    verdict: Verdict::Holds,
                    expected: Some(Verdict::Fails)
                }]
            })
        );
    }

    #[test]
    fn a_train_too_large_to_evaluate_is_refused_not_overflowed() {
        // A small one is confirmed: every unfolding of the zero tensor has rank 0.
        assert_eq!(
            check(&zero_train_certificate(4, 2)),
            Ok(Confirmed {
                certificates: 1,
                claims: 1,
                unexpected: Vec::new()
            })
        );
        // 4^63 columns at bond 1: the unfolding's shape saturates and the tensor is refused.
        let rejection = check(&zero_train_certificate(64, 4)).unwrap_err();
        assert_eq!(rejection.reason, Reason::OverBudget(Budget::Tensor), "{rejection}");
        assert_eq!(rejection.claim.map(|c| c.number), Some(1));
    }
}
