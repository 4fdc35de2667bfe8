//! `conversion` claims: the network rewritten as a TT or an HT, listed in the certificate below
//! the evidence as a construction is listed (indented), read back with the same reader, its
//! tensor compared with X at every entry and its ranks read off its shapes against the stated
//! bounds; where a rank is over its bound, the rank of X's matricization there from the listed
//! minor (exact, or mod p on drawn cores) decides between FAILS and UNDECIDED. The kernel does
//! not rebuild the construction: any listed network equal to X proves the claim, so which
//! construction made it is an unchecked line.

use crate::exact::{dense, index_at, one_based, Net};
use crate::field::q_text;
use crate::hierarchical;
use crate::read::{shorten, tuple, Lines};
use crate::rejection::{Misfit, Reason, Verdict};
use crate::tree::ModeTree;
use crate::{exact_rank, generic_minor, holes, network, rank_text, Subject};

/// Checks a `conversion` claim's verdict and evidence line from its statement and the lines
/// below the evidence.
pub(crate) fn check(lines: &mut Lines, subject: &mut Subject, statement: &str) -> Result<(Verdict, String), Reason> {
    let d = subject.order();
    let (tree, bounds) = match statement.strip_prefix("X is a TT with bond dimensions <= ") {
        Some(bounds) => (None, tuple(bounds)?),
        None => {
            let [tree, bounds] = holes(statement, "X is an HT over the tree {} with node ranks <= {}")?;
            let tree = ModeTree::parse(tree, d).map_err(|fault| Reason::Tree {
                text: shorten(tree),
                fault: fault.problem.to_string(),
            })?;
            (Some(tree), tuple(bounds)?)
        }
    };
    let (noun, what) = if tree.is_some() {
        ("HT", "node ranks")
    } else {
        ("TT", "bond dimensions")
    };
    let (converted, sizes) = lines.indented("  ", |lines| {
        let line = lines.take("converted: ")?;
        network(lines, line)
    })?;
    if sizes != subject.sizes {
        return Err(Reason::Misfit(Misfit::Conversion));
    }
    let (ranks, theirs) = match (&converted, &tree) {
        (Net::Train { cores, bonds }, None) => (bonds.get(1..d).unwrap_or_default().to_vec(), dense(cores, &sizes)),
        (Net::Ht(net), Some(tree)) if net.tree() == tree => {
            let edges: Vec<usize> = net.parts().iter().map(hierarchical::Part::edge).collect();
            (
                edges.get(..edges.len().saturating_sub(1)).unwrap_or_default().to_vec(),
                net.dense(),
            )
        }
        _ => return Err(Reason::Misfit(Misfit::Conversion)),
    };
    if ranks.len() != bounds.len() {
        return Err(Reason::Misfit(Misfit::Conversion));
    }
    let x = subject.full()?;
    if let Some(pos) = (0..x.len().max(theirs.len())).find(|&p| x.get(p) != theirs.get(p)) {
        let shown = |v: Option<&crate::field::Q>| v.map_or_else(|| "nothing".to_string(), q_text);
        return Ok((
            Verdict::Undecided,
            format!(
                "the converted {noun} is not X: at ({}) X = {}, the {noun} gives {}; nothing is shown",
                one_based(&index_at(&sizes, pos)),
                shown(x.get(pos)),
                shown(theirs.get(pos))
            ),
        ));
    }
    let shown = |v: &[usize]| format!("({})", v.iter().map(usize::to_string).collect::<Vec<_>>().join(","));
    let mut text = format!(
        "X equals the {noun} listed below at all {} entries; its {what} are {}",
        x.len(),
        shown(&ranks)
    );
    let Some(j) = ranks.iter().zip(&bounds).position(|(r, b)| r > b) else {
        text.push_str(", within the claimed bounds");
        return Ok((Verdict::Holds, text));
    };
    let (rank, bound) = (ranks.get(j).copied().unwrap_or(0), bounds.get(j).copied().unwrap_or(0));
    let (place, mut rows) = match &tree {
        None => (format!("bond {}", j + 1), (0..=j).collect::<Vec<usize>>()),
        Some(tree) => {
            let node = tree
                .post_order()
                .get(j)
                .map(|n| n.modes())
                .ok_or(Reason::Misfit(Misfit::Index))?;
            let name = hierarchical::names(tree).get(j).cloned().unwrap_or_default();
            let mut modes = node;
            modes.sort_unstable();
            (format!("node {name} ({})", one_based(&modes)), modes)
        }
    };
    rows.sort_unstable();
    let cols: Vec<usize> = (0..d).filter(|m| !rows.contains(m)).collect();
    let m = format!("({}),({})", one_based(&rows), one_based(&cols));
    let (found, phrase) = if subject.generic {
        let (k, nr, nc) = generic_minor(lines, subject, &rows, &cols)?;
        let phrase = if k == 0 {
            format!("rank X^({m}) mod p is 0 in this draw ({nr} x {nc} matrix)")
        } else {
            format!(
                "rank X^({m}) mod p >= {k}, p = {} ({nr} x {nc} matrix); the minor below is non-singular mod p",
                subject.prime.text()
            )
        };
        (k, phrase)
    } else {
        let (k, nr, nc) = exact_rank(lines, subject, &rows, &cols)?;
        (k, rank_text(&m, k, nr, nc))
    };
    let (verdict, conclusion) = if found > bound {
        (
            Verdict::Fails,
            format!("{found} > {bound}: no {noun} within the bounds is X, a disproof"),
        )
    } else {
        (
            Verdict::Undecided,
            format!("{found} <= {bound}: neither a proof nor a disproof"),
        )
    };
    text.push_str(&format!("; {place} has {rank} > {bound}; {phrase}; {conclusion}"));
    Ok((verdict, text))
}
