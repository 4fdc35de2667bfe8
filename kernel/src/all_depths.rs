//! The certificates of instances about every depth d at once: the `depths:` and construction
//! lines and the cores of the periodic train (`read`), and the re-check of each claim's
//! evidence (`check`): the kernel builds the claim's automaton itself (`every_depth`) from these
//! cores and the statement's numbers, and verifies the basis or state sets listed, or the
//! counterexample at one finite d (an entry, a summand, an exact rank), recomputed from the train
//! of that d. Nothing is searched; the induction over word length and the triangular-rank lemma
//! behind the verdicts are stated in `automaton` and `every_depth`.

use crate::automaton::{closed, from_periodic_tt, trimmed, SparseRow, WeightedAutomaton};
use crate::every_depth::{self, Depths, Layout};
use crate::exact::{entry, Core};
use crate::field::{q_text, Q};
use crate::read::{number, ranges, rational, signed_tuple, tuple, Lines};
use crate::rejection::{Budget, Counterexample, EveryDepthFault, Reason, Verdict};
use crate::statement::depths_text;
use crate::{holes, read_core, unfolding_rank, MAX_CORE_ENTRIES, MAX_DENSE};
use num_traits::{One, Zero};
use std::cmp::Ordering;

/// The most transitions a claim's automaton may have for the kernel to check it.
const MAX_TRANSITIONS: usize = 1 << 24;
/// The most dense row entries building a claim's automaton in pairs may take (`pairs_fit`).
const MAX_PAIR_WORK: usize = 1 << 28;
/// The odd/even matricization of `X_d`, as statements write it.
const ODD_EVEN: &str = "X_d^((1,3,..,d-1),(2,4,..,d))";
const IDENTITY_HOLDS: &str = "X_d - [x = y], read in pairs, is zero for every d: the basis rows below span its reachable vectors, hold the initial vector, are closed under every pair of letters and have final value 0";
const NONE_FOUND: &str =
    "no triangular certificate was found, and no smaller rank at the depths searched; not established";
/// The sides of the diagonal a triangular certificate may name, with the words for them.
const SIDES: [(Ordering, &str); 2] = [
    (
        Ordering::Less,
        "x before y in the big-endian order over the natural letter order",
    ),
    (
        Ordering::Greater,
        "x before y in the big-endian order over the reversed letter order",
    ),
];

/// A periodic train, its automaton and its depths.
pub struct Periodic {
    pub depths: Depths,
    pub first: Core,
    pub middle: Vec<Core>,
    pub last: Vec<(usize, Core)>,
    automaton: WeightedAutomaton,
}

fn fault(f: EveryDepthFault) -> Reason {
    Reason::EveryDepth(f)
}

impl Periodic {
    pub fn modes(&self) -> usize {
        self.first.modes
    }

    pub fn period(&self) -> usize {
        self.middle.len()
    }

    /// The cores of `X_d`, if `d` is one of the depths.
    pub fn train(&self, d: usize) -> Result<Vec<Core>, Reason> {
        let p = self.period();
        let in_depths = d >= self.depths.least && (!self.depths.even || d.is_multiple_of(2)) && d <= 64;
        let last = self.last.iter().find(|(e, _)| *e == d % p).map(|(_, g)| g.clone());
        match last {
            Some(last) if in_depths => Ok(std::iter::once(self.first.clone())
                .chain((2..d).filter_map(|k| self.middle.get(k % p).cloned()))
                .chain(std::iter::once(last))
                .collect()),
            _ => Err(fault(EveryDepthFault::Depth { d })),
        }
    }

    /// The dense `X_d` on `[n]^d`, within the kernel's budget.
    fn dense(&self, d: usize) -> Result<(Vec<usize>, Vec<Q>), Reason> {
        let cores = self.train(d)?;
        let sizes = vec![self.modes(); d];
        self.modes()
            .checked_pow(d as u32)
            .filter(|&c| c <= MAX_DENSE)
            .ok_or(Reason::OverBudget(Budget::Tensor))?;
        let full = crate::exact::dense(&cores, &sizes);
        Ok((sizes, full))
    }
}

/// The residues `d % period` of the depths, increasing.
fn residues(depths: Depths, period: usize) -> Vec<usize> {
    let step = if depths.even { 2 } else { 1 };
    let mut out: Vec<usize> = (0..period).map(|j| (depths.least + j * step) % period).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The `depths:` line, the construction line and the cores, with the train's automaton.
pub fn read(lines: &mut Lines, depths: Depths) -> Result<(Periodic, String), Reason> {
    let should_read = depths_text(depths);
    if lines.take("depths: ")? != should_read {
        return Err(fault(EveryDepthFault::DepthsLine { should_read }));
    }
    let [kind, n, p, bonds] = holes(
        lines.take("construction: ")?,
        "{}, every depth, mode size {}, period {}, bond dimensions by class {}",
    )?;
    if kind != "tt" && kind != "tt-equal" {
        return Err(Reason::UnknownConstruction {
            kind: kind.to_string(),
            order: 0,
        });
    }
    let (n, p, bonds) = (number(n)?, number(p)?, tuple(bonds)?);
    let train_fault = |why: &str| fault(EveryDepthFault::Train { why: why.to_string() });
    if n == 0 || p == 0 || p > crate::expr::MAX_PERIOD || bonds.len() != p || bonds.contains(&0) {
        return Err(train_fault(
            "the mode size, period and bond dimensions must be positive, one bond per class",
        ));
    }
    let bond = |c: usize| bonds.get(c % p).copied().unwrap_or(1);
    let mut budget = MAX_CORE_ENTRIES;
    let first = read_core(lines, "first", (1, n, Some(bond(1))), &mut budget)?;
    let middle = (0..p)
        .map(|c| {
            let name = if p == 1 {
                "inner".to_string()
            } else {
                format!("middle{c}")
            };
            read_core(lines, &name, (bond(c + p - 1), n, Some(bond(c))), &mut budget)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let last = residues(depths, p)
        .into_iter()
        .map(|e| {
            let name = if p == 1 { "last".to_string() } else { format!("last{e}") };
            Ok((e, read_core(lines, &name, (bond(e + p - 1), n, Some(1)), &mut budget)?))
        })
        .collect::<Result<Vec<_>, Reason>>()?;
    // An equal-core train repeats one inner core at every position 2..d-1, whatever the period
    // its claims are read with (its last core may depend on d).
    if kind == "tt-equal" && !middle.windows(2).all(|w| matches!(w, [a, b] if same_core(a, b))) {
        return Err(train_fault(
            "a tt-equal train repeats one inner core, but the middle cores listed differ",
        ));
    }
    let automaton = from_periodic_tt(&first, &middle, &last).map_err(|why| train_fault(&why))?;
    Ok((
        Periodic {
            depths,
            first,
            middle,
            last,
            automaton,
        },
        kind.to_string(),
    ))
}

/// Whether two cores have the same shape and entries.
fn same_core(a: &Core, b: &Core) -> bool {
    (a.left, a.modes, a.right) == (b.left, b.modes, b.right) && a.entries == b.entries
}

/// Re-checks the evidence of a claim of `kind` about every depth: the verdict it supports and
/// what its evidence line must read.
pub fn check(
    lines: &mut Lines,
    periodic: &Periodic,
    kind: &str,
    statement: &str,
    evidence: &str,
) -> Result<(Verdict, String), Reason> {
    match kind {
        "identity-submatrix" => identity(lines, periodic, statement, evidence),
        "matricization-rank" | "cp-rank-lower-bound" => {
            rank(lines, periodic, statement, evidence, kind != "matricization-rank")
        }
        "support-structure" => support(lines, periodic, statement, evidence),
        other => Err(fault(EveryDepthFault::NotDecided {
            kind: other.to_string(),
        })),
    }
}

/// Whether the automaton of a claim read in pairs of letters `< q` fits the kernel's budget,
/// judged before it is built (a certificate may declare a mode size far beyond its listed
/// entries): its `q^2` letters times the states of the train with the length DFA, times the 4
/// of the comparison DFA, for the rows; and those rows times the states again for the dense
/// work of `pairs`.
fn pairs_fit(periodic: &Periodic, q: usize) -> Result<(), Reason> {
    let states = periodic
        .automaton
        .states()
        .checked_mul(every_depth::support_length_states(periodic.depths));
    let rows = states.and_then(|s| q.checked_mul(q)?.checked_mul(s)?.checked_mul(4));
    let work = rows.zip(states).and_then(|(r, s)| r.checked_mul(s));
    match (rows, work) {
        (Some(rows), Some(work)) if rows <= MAX_TRANSITIONS && work <= MAX_PAIR_WORK => Ok(()),
        _ => Err(Reason::OverBudget(Budget::Automaton)),
    }
}

/// An automaton the kernel checks, within its budget.
fn budgeted(a: Result<WeightedAutomaton, String>) -> Result<WeightedAutomaton, Reason> {
    let a = a.map_err(|why| fault(EveryDepthFault::Train { why }))?;
    if a.transition_count() > MAX_TRANSITIONS || a.states() > MAX_TRANSITIONS {
        return Err(Reason::OverBudget(Budget::Automaton));
    }
    Ok(a)
}

/// `LABEL: S states, B basis rows` and the rows, checked to prove `a` zero.
fn proof(lines: &mut Lines, label: &str, a: &WeightedAutomaton) -> Result<(), Reason> {
    let [states, count] = holes(lines.take(&format!("  {label}: "))?, "{} states, {} basis rows")?;
    let (states, count) = (number(states)?, number(count)?);
    if states != a.states() {
        return Err(fault(EveryDepthFault::States {
            what: label.to_string(),
            stated: states,
            built: a.states(),
        }));
    }
    if count > states {
        return Err(fault(EveryDepthFault::Row));
    }
    let basis = (1..=count)
        .map(|j| sparse_row(lines.take(&format!("  {label} basis {j}: "))?))
        .collect::<Result<Vec<_>, _>>()?;
    closed(&basis, a).map_err(|f| {
        fault(EveryDepthFault::Closure {
            what: label.to_string(),
            fault: f,
        })
    })
}

/// `1:1 4:-1/2` (1-based states) as a sparse row.
fn sparse_row(text: &str) -> Result<SparseRow, Reason> {
    text.split(' ')
        .map(|pair| {
            let (t, v) = pair.split_once(':').ok_or(fault(EveryDepthFault::Row))?;
            let t = number(t)?.checked_sub(1).ok_or(Reason::ZeroIndex)?;
            Ok((t, rational(v)?))
        })
        .collect()
}

/// A 1-based index as 0-based, each within `limit`, of length `d`: `(1,2,1)` with `tuple`,
/// or bare `1,2,1` (as an entry `X_d[1,2,1]` writes it) without.
fn index(text: &str, tuple_form: bool, d: usize, limit: usize) -> Result<Vec<usize>, Reason> {
    let index = if tuple_form {
        tuple(text)?
    } else if text.contains(['(', ')']) {
        return Err(Reason::Malformed {
            text: text.to_string(),
            template: "an index 1,2,1".to_string(),
        });
    } else {
        tuple(&format!("({text})"))?
    };
    if index.len() != d || index.iter().any(|&i| i == 0 || i > limit) {
        return Err(Reason::Counterexample(Counterexample::OutOfRange));
    }
    Ok(index.into_iter().map(|i| i - 1).collect())
}

fn identity(
    lines: &mut Lines,
    periodic: &Periodic,
    statement: &str,
    evidence: &str,
) -> Result<(Verdict, String), Reason> {
    let [_, q] = holes(
        statement,
        &format!("for {{}}, {ODD_EVEN} restricted to indices 1..{{}} is the identity matrix"),
    )?;
    let q = number(q)?;
    if q == 0 || q > periodic.modes() {
        return Err(Reason::BlockSize { q });
    }
    if evidence == IDENTITY_HOLDS {
        pairs_fit(periodic, q)?;
        let a = budgeted(every_depth::identity(&periodic.automaton, periodic.depths, q))?;
        proof(lines, "identity automaton", &a)?;
        return Ok((Verdict::Holds, IDENTITY_HOLDS.to_string()));
    }
    let [d, _, at, _, _] = holes(evidence, "at d = {}, X_{}[{}] = {}, but the identity has {} there")?;
    let d = number(d)?;
    let index = index(at, false, d, q)?;
    let cores = periodic.train(d)?;
    let actual = entry(&cores, &index);
    let diagonal = index.chunks(2).all(|xy| matches!(xy, [x, y] if x == y));
    let claimed = if diagonal { Q::one() } else { Q::zero() };
    if actual == claimed {
        return Err(Reason::Counterexample(Counterexample::NotOffPath));
    }
    Ok((
        Verdict::Fails,
        format!(
            "at d = {d}, X_{d}[{at}] = {}, but the identity has {} there",
            q_text(&actual),
            q_text(&claimed)
        ),
    ))
}

fn rank(
    lines: &mut Lines,
    periodic: &Periodic,
    statement: &str,
    evidence: &str,
    cp: bool,
) -> Result<(Verdict, String), Reason> {
    let base = if cp {
        let [_, base] = holes(
            statement,
            &format!("for {{}}, rank_CP X_d >= {{}}^(d/2), from rank {ODD_EVEN} by Lemma 1"),
        )?;
        base
    } else {
        let [_, base] = holes(statement, &format!("for {{}}, rank {ODD_EVEN} >= {{}}^(d/2)"))?;
        base
    };
    let c = number(base)?;
    if evidence == NONE_FOUND {
        return Ok((Verdict::Undecided, NONE_FOUND.to_string()));
    }
    if evidence.starts_with("at d = ") {
        return smaller_rank(lines, periodic, evidence, c, cp);
    }
    let lemma_1 = format!("; by Lemma 1, rank_CP X_d >= {c}^(d/2)");
    let body = if cp {
        evidence.strip_suffix(&lemma_1).unwrap_or("")
    } else {
        evidence
    };
    let [on, side, lambda, mu, _] = holes(
        body,
        &format!("for every d, on indices 1..{{}} {ODD_EVEN} is 0 where {{}}, and its diagonal is lambda * prod_j mu(x_j) with lambda = {{}} and mu = ({{}}), none 0: a triangular block with a non-zero diagonal, so the rank is >= {{}}^(d/2)"),
    )?;
    if number(on)? != c || c == 0 || c > periodic.modes() {
        return Err(Reason::BlockSize { q: c });
    }
    let (zero_side, _) = SIDES
        .iter()
        .find(|(_, words)| *words == side)
        .ok_or_else(|| Reason::Malformed {
            text: side.to_string(),
            template: "a side of the diagonal".to_string(),
        })?;
    let lambda = rational(lambda)?;
    let mu = mu.split(',').map(rational).collect::<Result<Vec<_>, _>>()?;
    if mu.len() != c || lambda.is_zero() || mu.iter().any(Zero::is_zero) {
        return Err(fault(EveryDepthFault::ZeroDiagonal));
    }
    pairs_fit(periodic, c)?;
    let zero = budgeted(every_depth::compared(
        &periodic.automaton,
        periodic.depths,
        c,
        *zero_side,
    ))?;
    proof(lines, "zero side", &zero)?;
    let diagonal = budgeted(every_depth::diagonal(
        &periodic.automaton,
        periodic.depths,
        &lambda,
        &mu,
    ))?;
    proof(lines, "diagonal", &diagonal)?;
    let mu_text: Vec<String> = mu.iter().map(q_text).collect();
    let mut should_read = format!(
        "for every d, on indices 1..{c} {ODD_EVEN} is 0 where {side}, and its diagonal is lambda * prod_j mu(x_j) with lambda = {} and mu = ({}), none 0: a triangular block with a non-zero diagonal, so the rank is >= {c}^(d/2)",
        q_text(&lambda),
        mu_text.join(",")
    );
    if cp {
        should_read.push_str(&lemma_1);
    }
    Ok((Verdict::Holds, should_read))
}

/// `at d = 4, rank X_4^((1,3),(2,4)) = 2 exactly over Q (4 x 4 matrix), below the claimed 4`:
/// the rank recomputed at that d, from the minor listed below.
fn smaller_rank(
    lines: &mut Lines,
    periodic: &Periodic,
    evidence: &str,
    c: usize,
    cp: bool,
) -> Result<(Verdict, String), Reason> {
    let [d, _, _, _, _, _, _] = holes(
        evidence.split("; by Lemma 1").next().unwrap_or(""),
        "at d = {}, rank X_{}^({}) = {} exactly over Q ({} x {} matrix), below the claimed {}",
    )?;
    let d = number(d)?;
    if d % 2 == 1 {
        return Err(fault(EveryDepthFault::Depth { d }));
    }
    let bound = c
        .checked_pow((d / 2) as u32)
        .ok_or(Reason::OverBudget(Budget::Tensor))?;
    let (sizes, full) = periodic.dense(d)?;
    let (rows, cols): (Vec<usize>, Vec<usize>) = (0..d).partition(|m| m % 2 == 0);
    let (size, nr, nc) = unfolding_rank(lines, &sizes, &full, &rows, &cols)?;
    if size >= bound {
        return Err(Reason::Counterexample(Counterexample::NotOffPath));
    }
    let one_based = |modes: &[usize]| modes.iter().map(|m| (m + 1).to_string()).collect::<Vec<_>>().join(",");
    let mut should_read = format!(
        "at d = {d}, rank X_{d}^(({}),({})) = {size} exactly over Q ({nr} x {nc} matrix), below the claimed {bound}",
        one_based(&rows),
        one_based(&cols)
    );
    if cp {
        should_read.push_str(&format!(
            "; by Lemma 1 only rank_CP X_{d} >= {size} follows, so not established: a disproof would be a CP decomposition of rank < {bound}"
        ));
        return Ok((Verdict::Undecided, should_read));
    }
    Ok((Verdict::Fails, should_read))
}

fn support(
    lines: &mut Lines,
    periodic: &Periodic,
    statement: &str,
    evidence: &str,
) -> Result<(Verdict, String), Reason> {
    let [_, q, _, table] = holes(
        statement,
        "for {}, every non-zero summand of X_d over [{}]^d has a_k = path(k, i_k), with path(k, i) for i = 1..{}: {}",
    )?;
    let q = number(q)?;
    if q == 0 || q > periodic.modes() {
        return Err(Reason::BlockSize { q });
    }
    let p = periodic.period();
    let mut rest = table;
    let mut path: Vec<Vec<i64>> = Vec::with_capacity(p);
    for c in 0..p {
        let row = rest
            .strip_prefix(&format!("k%{p}={c}: "))
            .ok_or(Reason::Misfit(crate::rejection::Misfit::PathTable))?;
        let (row, after) = row
            .split_once(')')
            .ok_or(Reason::Misfit(crate::rejection::Misfit::PathTable))?;
        path.push(signed_tuple(&format!("{row})"))?);
        rest = after.strip_prefix(' ').unwrap_or(after);
    }
    if !rest.is_empty() || path.iter().any(|row| row.len() != q) {
        return Err(Reason::Misfit(crate::rejection::Misfit::PathTable));
    }
    let layout = Layout {
        bonds: periodic.middle.iter().map(|g| g.right).collect(),
    };
    if evidence.starts_with("at d = ") {
        return off_path(periodic, evidence, q, &path, &layout);
    }
    let a = budgeted(every_depth::support(&periodic.automaton, periodic.depths, q))?;
    let [states] = holes(lines.take("  support automaton: ")?, "{} states")?;
    if number(states)? != a.states() {
        return Err(fault(EveryDepthFault::States {
            what: "support automaton".to_string(),
            stated: number(states)?,
            built: a.states(),
        }));
    }
    let forward = ranges(lines.take("  forward: ")?, a.states())?;
    let backward = ranges(lines.take("  backward: ")?, a.states())?;
    let depths = periodic.depths;
    trimmed(&a, &forward, &backward, |_, letter, to| {
        layout.off_path(depths, &path, letter, to)
    })
    .map_err(|f| fault(EveryDepthFault::Trim(f)))?;
    Ok((
        Verdict::Holds,
        format!(
            "for every d, every path of non-zero core entries from start to end follows the claimed path: the {} states reachable from the start and the {} that reach the end are listed, closed under the edges, and no edge from the first set into the second leaves the path",
            forward.len(),
            backward.len()
        ),
    ))
}

/// A non-zero summand off the path at one d, its product recomputed from the train of that d.
fn off_path(
    periodic: &Periodic,
    evidence: &str,
    q: usize,
    path: &[Vec<i64>],
    layout: &Layout,
) -> Result<(Verdict, String), Reason> {
    let [d, at, bonds, _, _, _] = holes(
        evidence,
        "at d = {}, indices {} with the bond path {} give the non-zero product {}, but the claimed path is {}; they differ at bond {}",
    )?;
    let d = number(d)?;
    let cores = periodic.train(d)?;
    let index = index(at, true, d, q)?;
    let p = periodic.period();
    let bond_values: Vec<usize> = tuple(bonds)?;
    let out_of_range = Reason::Counterexample(Counterexample::OutOfRange);
    if bond_values.len() + 1 != d
        || bond_values
            .iter()
            .enumerate()
            .any(|(k, &a)| a == 0 || a > layout.bonds.get((k + 1) % p).copied().unwrap_or(0))
    {
        return Err(out_of_range);
    }
    // a_0 = a_d = 1: the boundary bonds of a train.
    let bond_at = |k: usize| {
        if k == 0 || k == d {
            0
        } else {
            bond_values.get(k - 1).map_or(0, |a| a - 1)
        }
    };
    let mut product = Q::one();
    for (k, core) in cores.iter().enumerate() {
        let i = index.get(k).copied().unwrap_or(0);
        let weight = core
            .fiber(bond_at(k), i)
            .get(bond_at(k + 1))
            .cloned()
            .unwrap_or_else(Q::zero);
        product *= weight;
    }
    let claimed: Vec<i64> = (1..d)
        .map(|k| {
            path.get(k % p)
                .and_then(|row| row.get(index.get(k - 1).copied().unwrap_or(0)))
                .copied()
                .unwrap_or(0)
        })
        .collect();
    let differs = claimed.iter().zip(&bond_values).position(|(c, &a)| *c != a as i64);
    let (Some(k), false) = (differs, product.is_zero()) else {
        return Err(Reason::Counterexample(Counterexample::NotOffPath));
    };
    let claimed_text: Vec<String> = claimed.iter().map(i64::to_string).collect();
    Ok((
        Verdict::Fails,
        format!(
            "at d = {d}, indices {at} with the bond path {bonds} give the non-zero product {}, but the claimed path is ({}); they differ at bond {}",
            q_text(&product),
            claimed_text.join(","),
            k + 1
        ),
    ))
}
