//! Why a certificate is not confirmed: `Rejection` (the line, the claim it is in) and `Reason`,
//! one variant per kind of fault, carrying what was found. The sentences `tnproof check` prints
//! are rendered here and nowhere else; nothing here decides anything.

use crate::expr::{ExprFault, MAX_BITS, MAX_DEPTH, MAX_EXPONENT, MAX_RANGE, MAX_SOURCE_LEN};
use std::fmt;

/// Why a certificate is not confirmed, at which line (1-based) of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// The line the fault is on (the line read last, unless the reason names another).
    pub line: usize,
    /// The claim the fault is in, `None` before the claims (header, construction, cores).
    pub claim: Option<ClaimAt>,
    /// What is wrong.
    pub reason: Reason,
}

/// A claim of a certificate: its number (from 1) and its kind as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimAt {
    /// The claim's number, from 1.
    pub number: usize,
    /// The claim kind the certificate names.
    pub kind: String,
}

/// A verdict, as the kernel recomputes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The claim holds.
    Holds,
    /// The claim fails.
    Fails,
    /// Neither could be certified (a generic rank between its witness and its cut bound).
    Undecided,
}

/// What is wrong with a certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    // ----- the text does not follow the certificate grammar -----
    /// A line must start with `prefix`; `found` is the line (shortened).
    ExpectedLine { prefix: String, found: String },
    /// The text ends before the certificate does: `expected` starts the line that must follow
    /// its last line; `None` when the last line has no line end, so the text stops inside it.
    CutShort { expected: Option<String> },
    /// A line, or part of one, does not fit the template of its kind.
    Malformed { text: String, template: String },
    /// A word is not of the form it must have there.
    NotA { text: String, form: Form },
    /// A part the grammar requires here is missing.
    Missing(Missing),
    /// A negative number where a size or an index is expected.
    Negative { value: i64 },
    /// Index 0 in a tuple of 1-based indices.
    ZeroIndex,
    /// A matricization whose row and column modes do not partition `1..order`.
    NotAPartition { matricization: String, order: usize },
    /// A matricization with no row modes or no column modes: a 1 x N matrix, which the
    /// checker never writes (it refuses such a claim as bad input).
    OneSided { matricization: String },
    /// The first line is not the certificate header.
    Header,
    /// The conventions line is not the one the kernel reads.
    Conventions,
    /// A generalized network's certificate has a `generic:` line.
    DrawLine,
    /// The `generic:` line is not the one the kernel reads.
    GenericLine,
    /// A certificate without claims.
    NoClaims,
    /// A construction the kernel does not read.
    UnknownConstruction { kind: String, order: usize },
    /// A claim kind the kernel does not know.
    UnknownClaimKind { kind: String },

    // ----- what the lines state does not fit together -----
    /// Sizes, shapes or statements that contradict one another.
    Misfit(Misfit),
    /// A core header states another shape than the construction gives it.
    CoreShape {
        core: String,
        expected: Vec<usize>,
        stated: String,
    },
    /// More non-zero entries than the core has entries.
    CoreCount { core: String, count: usize },
    /// A core entry's index (1-based) outside the core.
    EntryOutside { core: String, at: Vec<usize> },
    /// An HT construction's tree text is not a mode tree of its order.
    Tree { text: String, fault: String },
    /// Core entries that are zero or out of order.
    EntryOrder { core: String },
    /// `q` is not a block size of the tensor.
    BlockSize { q: usize },
    /// A `tt-ranks` statement with `bounds` bounds for `bonds` bonds.
    BondCount { bounds: usize, bonds: usize },
    /// A fault at one bond (1-based) of a `tt-ranks` claim.
    Bond { bond: usize, fault: BondFault },
    /// The path table's entry for `k` (1-based) is malformed.
    PathEntry { k: usize },
    /// A compared network's cores begin with another core than `C1` or `lambda`.
    NetworkCores { network: String },
    /// A compared network's `network` line does not state its shape.
    NetworkLine { should_read: String },
    /// A counterexample that is not one.
    Counterexample(Counterexample),
    /// A core entry whose denominator is divisible by p, so it has no residue.
    DenominatorDivisibleByP,
    /// A generic-rank claim about a generalized network (not certified mod p).
    GenericGeneralized,

    // ----- a number the kernel recomputes differs -----
    /// A core's SHA-256 is not the stated one.
    CoreDigest {
        core: String,
        actual: String,
        stated: String,
    },
    /// A grid tensor's SHA-256 (`grid`: `Gamma` or `Gamma_NAME`) is not the stated one.
    GridDigest {
        grid: String,
        actual: String,
        stated: String,
    },
    /// A grid tensor line states another number of entries than `M^T`.
    GridEntries {
        grid: String,
        actual: usize,
        stated: String,
    },
    /// The evidence line is not the one the kernel rebuilds.
    Evidence { should_read: String },
    /// The stated verdict is not the one the kernel finds.
    Verdict { stated: String, found: Verdict },
    /// The verdict's mark (`as expected` or not) is wrong.
    Mark { stated: String, as_expected: bool },
    /// The listed `size x size` minor is singular (over Q, or mod p for a generic rank).
    SingularMinor { size: usize, mod_p: bool },
    /// A full elimination finds a larger rank than the listed minor's size.
    RankAboveMinor { size: usize },
    /// The sum of the CP decomposition the kernel rebuilds differs from X at this (1-based) index.
    DecompositionDiffers { index: String },
    /// A lower-bound claim said to FAIL whose evidence is only a smaller bound, which leaves it
    /// undecided: no disproof is there.
    NoDisproof(NoDisproof),

    // ----- past what the kernel evaluates -----
    /// The certificate asks for more work or memory than the kernel allows.
    OverBudget(Budget),

    // ----- an expression the certificate quotes -----
    /// An expression (`text`, shortened) that the kernel refuses to evaluate.
    Expression { text: String, fault: ExprFault },
    /// A `let` whose definition gives another value than the one written.
    LetValue { name: String, value: String },
    /// A condition of an `expected:` line whose value is misstated.
    ConditionValue { condition: String, value: bool },
    /// An expected verdict that does not follow from its conditions (`None`: a probe).
    ExpectedFrom { follows: Option<Verdict> },
    /// Two conditions of an `expected:` line are both true here, where at most one may be.
    ConditionsOverlap,
    /// A claim's `from:` keys are not the ones its kind takes.
    ClaimKeys { kind: String },
    /// The statement line is not what the claim's keys give.
    Statement { should_read: String },

    // ----- a certificate about every depth -----
    /// What is wrong in a certificate about every depth d at once.
    EveryDepth(EveryDepthFault),
}

/// Why a certificate about every depth is not confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EveryDepthFault {
    /// The `depths:` line does not say the instance's depths (`should_read`).
    DepthsLine { should_read: String },
    /// An odd/even claim on depths that include odd d.
    OddDepths,
    /// A rank bound that is not `c ^ (d / 2)`, with `c` a positive integer not using d.
    NotAHalfPower,
    /// A support path that uses k other than through `k % p`, p dividing the train's period.
    PathNotPeriodic { period: usize },
    /// A claim kind that is not decided for every depth at once.
    NotDecided { kind: String },
    /// The cores do not make a periodic train (`why`).
    Train { why: String },
    /// The state count a certificate gives is not that of the automaton the kernel builds.
    States { what: String, stated: usize, built: usize },
    /// A zero-equivalence basis (`what`: which automaton) that does not prove it zero.
    Closure {
        what: String,
        fault: crate::automaton::ClosureFault,
    },
    /// The state sets of a support certificate do not prove it.
    Trim(crate::automaton::TrimFault),
    /// A value of a diagonal's one-state form that is 0 (only non-zero values prove a rank).
    ZeroDiagonal,
    /// A finite d given as a counterexample that is not one of the depths, or too large to expand.
    Depth { d: usize },
    /// A basis row or state set that is not `state:value` pairs or a state list.
    Row,
}

/// The forms a word can fail to have: `'text' is not <form>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// A decimal number without sign or leading zeros, in range.
    Number,
    /// A canonical fraction.
    Fraction,
    /// `(1,2,3)`.
    Tuple,
    /// `(1,3),(2,4)`.
    Matricization,
    /// `1-4 7 9-12`, increasing, at most `limit` numbers.
    Ranges { limit: usize },
    /// `>=`, `=` or `<=`.
    Relation,
    /// `=` or `<=`, the relations of `tt-ranks`.
    TtRelation,
    /// `holds`, `fails`, `undecided` or the probe sentence.
    Expectation,
    /// A compared network's name, not used before.
    NetworkName,
    /// `name=value`, an instance's parameter.
    Binding,
    /// `name = definition = value` (a `let`) or `key = "text"` (a claim's key).
    Definition,
    /// `general` or `convac`, the node forms of an HT network.
    HtForm,
}

/// What the grammar requires and the text lacks: `expected <what>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
    /// The next claim, by number.
    Claim(usize),
    /// The bond dimensions of a train.
    BondDimensions,
    /// The rank of a CP construction.
    CpRank,
    /// The width of a shallow network.
    Width,
    /// A core, by name.
    Core(String),
    /// The first core of a compared network.
    ComparedCore,
}

/// Statements that do not fit together, each with its fixed sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Misfit {
    /// The order and the mode sizes of the construction.
    OrderAndSizes,
    /// A train's bond dimensions and its order.
    BondDimensions,
    /// An equal-core train's order, mode sizes and inner bonds.
    EqualCoreTrain,
    /// A generalized RNN's ranks and widths and its order.
    RanksAndWidths,
    /// A generalized network with different numbers of templates.
    Templates,
    /// An operator other than the three the kernel reads.
    Operator,
    /// A claim about trains, on another network.
    NeedsTrain,
    /// A claim about grid tensors, on another network.
    NeedsGeneralized,
    /// A minor's rows and columns and its matrix.
    Minor,
    /// A `support-structure` statement's `q` and `d` and the tensor.
    SupportStatement,
    /// A path table that does not list `k = 1..d-1`.
    PathTable,
    /// A width claim on another matricization than Lemma 5's.
    Lemma5,
    /// A width claim on a network whose operator is not the rectifier, which Lemma 5 is about.
    Lemma5Rectifier,
    /// A convac node whose children have different ranks.
    ConvacRanks,
    /// An `ht-ranks` claim without a `tree` key on a network that is not HT.
    NeedsTree,
    /// An `ht-ranks` statement or node line that does not fit its tree and ranks.
    HtRanks,
    /// A converted network of another kind, tree or order than its statement, or with another
    /// number of ranks than the statement's bounds.
    Conversion,
    /// A CP-rank upper bound on drawn cores that names a matricization: there the bound is the
    /// one every draw has, and a draw's rank is a claim of another kind.
    UpperBoundOnDraw,
    /// An index, computed from the certificate's shapes, outside the tensor or core it
    /// addresses (the shapes are checked before, so no certificate is known to reach this).
    Index,
}

/// Why a counterexample is not one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counterexample {
    /// Its indices or bond path are out of range.
    OutOfRange,
    /// It is not a non-zero summand off the claimed path as stated.
    NotOffPath,
}

/// A FAILS verdict on a lower bound without a disproof: what the kernel found instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoDisproof {
    /// `cp-rank-lower-bound`: Lemma 1 gives `rank_CP X >= found`, short of the claimed `bound`;
    /// only a CP decomposition of rank < `bound` would refute the claim.
    CpRank { found: usize, bound: usize },
    /// `shallow-width-lower-bound`: Lemma 5 gives width `>= found`, short of the claimed `bound`
    /// (fractions as certificates write them), and no compared rectifier shallow network of
    /// width < `bound` has the grid tensor Gamma.
    ShallowWidth { found: String, bound: String },
    /// `cp-rank-upper-bound`: Lemma 1 gives `rank_CP X >= lower` (or no matricization is
    /// claimed), not above the claimed `bound`; only a matricization of rank > `bound` refutes it.
    CpRankUpper { lower: Option<usize>, bound: usize },
}

/// A fault at one bond of a `tt-ranks` claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BondFault {
    /// The minor does not fit the unfolding.
    Misfit,
    /// The `size x size` minor is singular.
    Singular { size: usize },
    /// The unfolding's rank is not `rank`.
    Rank { rank: usize },
}

/// The budgets a hostile certificate can exhaust.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Budget {
    /// The dense tensor's entries.
    Tensor,
    /// The copies of an equal-core train's inner core.
    RepeatedCore,
    /// The core entries of one certificate.
    Cores,
    /// An identity claim's block.
    Block,
    /// The work of one exact elimination.
    Elimination,
    /// The grid tensors' entries, loop steps and arithmetic.
    Grid,
    /// An automaton of a claim about every depth: its states or transitions.
    Automaton,
    /// A CP decomposition: its candidate terms or the work of summing them.
    Expansion,
}

impl Verdict {
    /// `holds` if `holds`, else `fails`.
    pub fn of(holds: bool) -> Verdict {
        if holds {
            Verdict::Holds
        } else {
            Verdict::Fails
        }
    }

    /// The word a certificate writes.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Fails => "fails",
            Verdict::Undecided => "undecided",
        }
    }
}

impl Rejection {
    /// The sentence after `file:line: ` in `tnproof check`'s report: the reason, prefixed by the
    /// claim it is in.
    pub fn why(&self) -> String {
        match &self.claim {
            Some(ClaimAt { number, kind }) => format!("claim {number} ({kind}): {}", self.reason),
            None => self.reason.to_string(),
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.why())
    }
}

impl Reason {
    /// The expression `text` refused for `fault`.
    pub fn expression(text: &str, fault: ExprFault) -> Reason {
        Reason::Expression {
            text: text.to_string(),
            fault,
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::ExpectedLine { prefix, found } => write!(f, "expected a line '{prefix}...', found '{found}'"),
            Reason::CutShort { expected: Some(prefix) } => write!(
                f,
                "the text ends after this line, where a line '{prefix}...' must follow: it is cut short"
            ),
            Reason::CutShort { expected: None } => {
                f.write_str("the text ends inside this line, which has no line end (LF): it is cut short")
            }
            Reason::Malformed { text, template } => write!(f, "'{text}' does not read as '{template}'"),
            Reason::NotA { text, form } => write!(f, "'{text}' is not {form}"),
            Reason::Missing(what) => write!(f, "expected {what}"),
            Reason::Negative { value } => write!(f, "'{value}' is negative"),
            Reason::ZeroIndex => f.write_str("index 0 in a 1-based tuple"),
            Reason::NotAPartition { matricization, order } => {
                write!(f, "({matricization}) does not split the modes 1..{order}")
            }
            Reason::OneSided { matricization } => {
                write!(
                    f,
                    "X^({matricization}) has a side without modes; a matricization needs row modes and column modes"
                )
            }
            Reason::Header => write!(f, "the first line must be exactly '{}'", crate::HEADER),
            Reason::Conventions => f.write_str("the conventions line is not the one the kernel reads"),
            Reason::DrawLine => f.write_str(
                "a generalized network's certificate has no 'generic:' line (its grid tensor is exact, not a generic rank)",
            ),
            Reason::GenericLine => f.write_str("the 'generic:' line is not the one the kernel reads"),
            Reason::NoClaims => f.write_str("a certificate states at least one claim"),
            Reason::UnknownConstruction { kind, order } => {
                write!(f, "'{kind}' of order {order} is not a construction the kernel reads")
            }
            Reason::UnknownClaimKind { kind } => write!(f, "the kernel does not know the claim kind '{kind}'"),
            Reason::Misfit(misfit) => misfit.fmt(f),
            Reason::CoreShape { core, expected, stated } => {
                let expected: Vec<String> = expected.iter().map(usize::to_string).collect();
                write!(f, "core {core} should be {}, the certificate says {stated}", expected.join("x"))
            }
            Reason::CoreCount { core, count } => write!(f, "core {core} cannot have {count} non-zero entries"),
            Reason::EntryOutside { core, at } => {
                let at: Vec<String> = at.iter().map(usize::to_string).collect();
                write!(f, "{core}[{}] is outside the core", at.join(","))
            }
            Reason::Tree { text, fault } => write!(f, "the tree {text} is not a mode tree of this order: {fault}"),
            Reason::EntryOrder { core } => {
                write!(f, "the entries of core {core} must be non-zero and in increasing order")
            }
            Reason::BlockSize { q } => write!(f, "q = {q} is not a block size of this tensor"),
            Reason::BondCount { bounds, bonds } => write!(f, "{bounds} bounds for {bonds} bonds"),
            Reason::Bond { bond, fault } => write!(f, "bond {bond}: {fault}"),
            Reason::PathEntry { k } => write!(f, "the path table's entry for k = {k} is malformed"),
            Reason::NetworkCores { network: name } => {
                write!(f, "the cores of network {name} begin with {name}.C1 or {name}.lambda")
            }
            Reason::NetworkLine { should_read } => write!(f, "the network line should read '{should_read}'"),
            Reason::Counterexample(why) => why.fmt(f),
            Reason::EveryDepth(fault) => fault.fmt(f),
            Reason::DenominatorDivisibleByP => f.write_str("a core entry has a denominator divisible by p"),
            Reason::GenericGeneralized => {
                f.write_str("the generic rank of a generalized network is not certified mod p")
            }
            Reason::CoreDigest { core, actual, stated } => {
                write!(f, "core {core} has SHA-256 {actual}, the certificate says {stated}")
            }
            Reason::GridDigest { grid, actual, stated } => write!(
                f,
                "the grid tensor {grid} the kernel computes has SHA-256 {actual}, the certificate says {stated}"
            ),
            Reason::GridEntries { grid, actual, stated } => {
                write!(f, "{grid} has M^T = {actual} entries, the certificate says {stated}")
            }
            Reason::Evidence { should_read } => write!(f, "the evidence should read '{should_read}'"),
            Reason::Verdict { stated, found } => {
                write!(
                    f,
                    "the certificate says '{stated}', the kernel finds '{}'",
                    found.word()
                )
            }
            Reason::Mark { stated, as_expected } => {
                let should = if *as_expected { "as expected" } else { "NOT AS EXPECTED" };
                write!(f, "the verdict is marked '{stated}', it is '{should}'")
            }
            Reason::SingularMinor { size, mod_p } => write!(
                f,
                "the {size} x {size} minor on the listed rows and columns is singular{}",
                if *mod_p { " mod p" } else { "" }
            ),
            Reason::RankAboveMinor { size } => {
                write!(f, "the rank is not {size}: the minor is not of the rank's size")
            }
            Reason::DecompositionDiffers { index } => {
                write!(f, "the sum of the CP decomposition differs from X at X[{index}]")
            }
            Reason::NoDisproof(found) => found.fmt(f),
            Reason::OverBudget(budget) => budget.fmt(f),
            Reason::Expression { text, fault } => write!(f, "the expression '{text}' {fault}"),
            Reason::LetValue { name, value } => write!(f, "'{name}' is {value} by its definition, not the value written"),
            Reason::ConditionValue { condition, value } => write!(f, "the condition '{condition}' is {value} here"),
            Reason::ExpectedFrom { follows } => write!(
                f,
                "by its conditions the expected verdict is {}",
                follows.map_or("a probe", Verdict::word)
            ),
            Reason::ConditionsOverlap => f.write_str("two of its conditions are true here; at most one may be"),
            Reason::ClaimKeys { kind } => write!(f, "the 'from:' lines are not the keys a '{kind}' claim takes"),
            Reason::Statement { should_read } => {
                write!(f, "by the claim's keys the statement should read '{should_read}'")
            }
        }
    }
}

impl fmt::Display for NoDisproof {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoDisproof::CpRank { found, bound } => write!(
                f,
                "the claim is said to fail, but Lemma 1's rank_CP X >= {found} only falls short of {bound}, which leaves it undecided; a disproof is a CP decomposition of rank < {bound}"
            ),
            NoDisproof::CpRankUpper { lower, bound } => write!(
                f,
                "the claim is said to fail, but {}, which leaves it undecided; a disproof is a matricization of rank > {bound}",
                match lower {
                    Some(k) => format!("Lemma 1's rank_CP X >= {k} is not above {bound}"),
                    None => "it names no matricization".to_string(),
                }
            ),
            NoDisproof::ShallowWidth { found, bound } => write!(
                f,
                "the claim is said to fail, but Lemma 5's width >= {found} only falls short of {bound}, which leaves it undecided, and no compared rectifier shallow network of width < {bound} has the grid tensor Gamma"
            ),
        }
    }
}

impl fmt::Display for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Form::Number => f.write_str("a number here"),
            Form::Fraction => f.write_str("a reduced fraction"),
            Form::Tuple => f.write_str("a tuple"),
            Form::Matricization => f.write_str("a matricization"),
            Form::Ranges { limit } => write!(f, "an increasing list of at most {limit} numbers from 1"),
            Form::Relation => f.write_str("a relation"),
            Form::TtRelation => f.write_str("a relation for TT-ranks"),
            Form::Expectation => f.write_str("an expectation"),
            Form::NetworkName => f.write_str("a new network name"),
            Form::Binding => f.write_str("a parameter 'name=value'"),
            Form::Definition => f.write_str("a definition 'name = text'"),
            Form::HtForm => f.write_str("an HT node form, general or convac"),
        }
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Missing::Claim(number) => write!(f, "claim {number}"),
            Missing::BondDimensions => f.write_str("the bond dimensions"),
            Missing::CpRank => f.write_str("the CP rank"),
            Missing::Width => f.write_str("the width"),
            Missing::Core(name) => write!(f, "the core {name}"),
            Missing::ComparedCore => f.write_str("a compared network's core NAME.C1 or NAME.lambda"),
        }
    }
}

impl fmt::Display for Misfit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Misfit::OrderAndSizes => "the construction's order and mode sizes do not fit together",
            Misfit::BondDimensions => "the bond dimensions do not fit the order",
            Misfit::EqualCoreTrain => "an equal-core train needs d >= 2, equal mode sizes and equal inner bonds",
            Misfit::RanksAndWidths => "the ranks and widths do not fit the order (R_0 = R_T = 1)",
            Misfit::Templates => "a generalized network has the same number M of templates at every position",
            Misfit::Operator => "the operator is not one of x y, max(x, y, 0), x + y",
            Misfit::NeedsTrain => "this claim needs a tensor train",
            Misfit::NeedsGeneralized => "this claim needs a generalized network",
            Misfit::Minor => "the minor's rows and columns do not fit the matrix",
            Misfit::SupportStatement => "the statement's q and d do not fit the tensor",
            Misfit::PathTable => "the path table does not list k = 1..d-1",
            Misfit::Lemma5 => {
                "Lemma 5 is about the odd/even matricization (1,3,..),(2,4,..) of a grid tensor of even order"
            }
            Misfit::Lemma5Rectifier => "Lemma 5 is about rectifier networks, xi(x, y) = max(x, y, 0)",
            Misfit::ConvacRanks => "the children of a convac node share one index, so they must have one rank",
            Misfit::NeedsTree => "an ht-ranks claim on a network that is not HT names its tree",
            Misfit::HtRanks => "the HT-rank statement or a node's line does not fit the tree and its ranks",
            Misfit::Conversion => "the converted network is not of the kind, tree or order its statement names",
            Misfit::UpperBoundOnDraw => "on drawn cores a CP-rank upper bound names no matricization",
            Misfit::Index => "an index falls outside the tensor or core it addresses",
        })
    }
}

impl fmt::Display for EveryDepthFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::automaton::{ClosureFault, TrimFault};
        match self {
            EveryDepthFault::DepthsLine { should_read } => write!(f, "the depths line should read 'depths: {should_read}'"),
            EveryDepthFault::OddDepths => f.write_str("an odd/even matricization needs even d, but these depths include odd ones"),
            EveryDepthFault::NotAHalfPower => {
                f.write_str("a rank bound for every d must be c ^ (d / 2), c a positive integer that does not use d")
            }
            EveryDepthFault::PathNotPeriodic { period } => write!(
                f,
                "the path must use k only through k % p, p dividing the train's period {period}, to be the same on each class"
            ),
            EveryDepthFault::NotDecided { kind } => write!(f, "{kind} is not decided for every d at once"),
            EveryDepthFault::Train { why } => write!(f, "the cores are no periodic train: {why}"),
            EveryDepthFault::States { what, stated, built } => {
                write!(f, "the {what} has {built} states, the certificate says {stated}")
            }
            EveryDepthFault::Closure { what, fault } => match fault {
                ClosureFault::NotEchelon { row } => {
                    write!(f, "{what} basis {}: not in reduced row-echelon form over the automaton's states", row + 1)
                }
                ClosureFault::Initial => write!(f, "the {what}'s initial vector is not in the span of its basis"),
                ClosureFault::Final { row } => write!(f, "{what} basis {}: its final value is not 0", row + 1),
                ClosureFault::NotClosed { row, letter } => write!(
                    f,
                    "{what} basis {} times the matrix of letter {} is not in the span of the basis",
                    row + 1,
                    letter + 1
                ),
            },
            EveryDepthFault::Trim(fault) => match fault {
                TrimFault::NotAState => f.write_str("a listed state is not a state of the support automaton"),
                TrimFault::Boundary { state, forward } => write!(
                    f,
                    "state {} is where the support automaton {}, but it is not listed",
                    state + 1,
                    if *forward { "starts" } else { "ends" }
                ),
                TrimFault::Open { from, letter, to, forward } => write!(
                    f,
                    "the edge from state {} to {} reading {} {} the {} set",
                    from + 1,
                    to + 1,
                    letter + 1,
                    if *forward { "leaves" } else { "enters" },
                    if *forward { "forward" } else { "backward" }
                ),
                TrimFault::Forbidden { from, letter, to } => write!(
                    f,
                    "the edge from state {} to {} reading {} leaves the claimed path and lies between the listed sets",
                    from + 1,
                    to + 1,
                    letter + 1
                ),
            },
            EveryDepthFault::ZeroDiagonal => f.write_str("lambda and every mu must be non-zero"),
            EveryDepthFault::Depth { d } => write!(f, "d = {d} is not one of the depths, or too large to expand"),
            EveryDepthFault::Row => f.write_str("a basis row must be 'state:value' pairs, a state set a list of states"),
        }
    }
}

impl fmt::Display for Counterexample {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Counterexample::OutOfRange => "the counterexample's indices or bond path are out of range",
            Counterexample::NotOffPath => "the counterexample is not a non-zero summand off the claimed path as stated",
        })
    }
}

impl fmt::Display for BondFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BondFault::Misfit => f.write_str("the minor does not fit the unfolding"),
            BondFault::Singular { size } => write!(f, "the {size} x {size} minor is singular"),
            BondFault::Rank { rank } => write!(f, "the rank of the unfolding is not {rank}"),
        }
    }
}

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Budget::Tensor => "the tensor is too large for the kernel to evaluate",
            Budget::RepeatedCore => "the repeated inner core is too large for the kernel",
            Budget::Cores => "the cores are too large for the kernel",
            Budget::Block => "the block is too large for the kernel",
            Budget::Elimination => "the exact elimination is too large for the kernel",
            Budget::Grid => "the grid tensors are too large for the kernel to evaluate",
            Budget::Automaton => "the automaton is too large for the kernel",
            Budget::Expansion => "the CP decomposition is too large for the kernel to rebuild",
        })
    }
}

/// What is wrong with an expression, as the predicate of `the expression '...' <fault>`.
impl fmt::Display for ExprFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExprFault::TooLong => write!(f, "is longer than {MAX_SOURCE_LEN} bytes"),
            ExprFault::Syntax { at } => write!(f, "does not parse at byte {at}"),
            ExprFault::TooDeep { at } => write!(f, "nests more than {MAX_DEPTH} levels deep at byte {at}"),
            ExprFault::Unbound { name } => write!(f, "uses the unbound name '{name}'"),
            ExprFault::NotANumber => f.write_str("has a condition where a number is needed"),
            ExprFault::NotACondition => f.write_str("has a number where a condition is needed"),
            ExprFault::NotAnInteger => f.write_str("has a fraction where an integer is needed"),
            ExprFault::DivisionByZero => f.write_str("divides by zero"),
            ExprFault::NoGridIndex => f.write_str("uses idx where there is no grid index"),
            ExprFault::IdxOutside { len } => write!(f, "uses idx(t) with t outside 1..{len}"),
            ExprFault::Domain { func: "log2" } => f.write_str("takes log2 of a number that is not a power of 2"),
            ExprFault::Domain { func } => write!(
                f,
                "calls {func} outside its domain (an integer x >= 0 and a degree 1..64)"
            ),
            ExprFault::TooLarge => write!(
                f,
                "goes past a size limit (numbers of {MAX_BITS} bits, exponents of {MAX_EXPONENT}, ranges of \
                 {MAX_RANGE} values)"
            ),
            ExprFault::OverBudget => f.write_str("needs more work than the kernel allows"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_the_sentences_tnproof_check_prints() {
        let text = |s: &str| s.to_string();
        for (reason, sentence) in [
            (
                Reason::ExpectedLine {
                    prefix: text("  evidence: "),
                    found: text("  verdict: holds (as expected)"),
                },
                "expected a line '  evidence: ...', found '  verdict: holds (as expected)'",
            ),
            (
                Reason::CutShort {
                    expected: Some(text("  evidence: ")),
                },
                "the text ends after this line, where a line '  evidence: ...' must follow: it is cut short",
            ),
            (
                Reason::CutShort { expected: None },
                "the text ends inside this line, which has no line end (LF): it is cut short",
            ),
            (
                Reason::NotA {
                    text: text("1-3 2"),
                    form: Form::Ranges { limit: 4 },
                },
                "'1-3 2' is not an increasing list of at most 4 numbers from 1",
            ),
            (Reason::Missing(Missing::Claim(2)), "expected claim 2"),
            (
                Reason::OneSided {
                    matricization: text("(1,2),()"),
                },
                "X^((1,2),()) has a side without modes; a matricization needs row modes and column modes",
            ),
            (
                Reason::CoreDigest {
                    core: text("G1"),
                    actual: text("ab"),
                    stated: text("cd"),
                },
                "core G1 has SHA-256 ab, the certificate says cd",
            ),
            (
                Reason::Verdict {
                    stated: text("holds"),
                    found: Verdict::Fails,
                },
                "the certificate says 'holds', the kernel finds 'fails'",
            ),
            (
                Reason::Mark {
                    stated: text("as expected"),
                    as_expected: false,
                },
                "the verdict is marked 'as expected', it is 'NOT AS EXPECTED'",
            ),
            (
                Reason::SingularMinor { size: 3, mod_p: true },
                "the 3 x 3 minor on the listed rows and columns is singular mod p",
            ),
            (
                Reason::Bond {
                    bond: 2,
                    fault: BondFault::Singular { size: 4 },
                },
                "bond 2: the 4 x 4 minor is singular",
            ),
            (
                Reason::OverBudget(Budget::Elimination),
                "the exact elimination is too large for the kernel",
            ),
            (
                Reason::Expression {
                    text: text("q^(d/2"),
                    fault: ExprFault::Syntax { at: 6 },
                },
                "the expression 'q^(d/2' does not parse at byte 6",
            ),
            (
                Reason::Expression {
                    text: text("1/(n - 3)"),
                    fault: ExprFault::DivisionByZero,
                },
                "the expression '1/(n - 3)' divides by zero",
            ),
            (
                Reason::NoDisproof(NoDisproof::CpRank { found: 2, bound: 4 }),
                "the claim is said to fail, but Lemma 1's rank_CP X >= 2 only falls short of 4, which leaves it undecided; a disproof is a CP decomposition of rank < 4",
            ),
        ] {
            assert_eq!(reason.to_string(), sentence);
        }
        let rejection = Rejection {
            line: 12,
            claim: Some(ClaimAt {
                number: 1,
                kind: text("tt-ranks"),
            }),
            reason: Reason::Misfit(Misfit::NeedsTrain),
        };
        assert_eq!(
            rejection.to_string(),
            "line 12: claim 1 (tt-ranks): this claim needs a tensor train"
        );
    }
}
