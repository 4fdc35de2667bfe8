//! The evidence of a `conversion` claim: the summary line (the conversion equal to X or not, its
//! ranks against the bounds, and where one is over, the rank of X's matricization there), an
//! unchecked line naming the construction, the converted network listed as a construction is,
//! and the minor behind a rank. Fixed templates that the kernel (`kernel/src/conversion.rs`)
//! rebuilds from the listed network; change both together.

use super::{construction_line, listed_lines, listed_sha256, ranges, rank_text, shape_text};
use crate::claim::{Claim, Converted, Evidence, Tuple};
use crate::field::q_text;
use crate::network::conversion::Target;
use crate::network::ht;
use crate::tensor::OneBased;

/// The summary line.
pub(super) fn summary(claim: &Claim, c: &Converted) -> String {
    let Claim::Conversion { target, bounds } = claim else {
        unreachable!("conversion evidence belongs to a conversion claim")
    };
    let (noun, what) = match target {
        Target::Tt => ("TT", "bond dimensions"),
        Target::Ht(_) => ("HT", "node ranks"),
    };
    if let Some((index, x, theirs)) = &c.differs {
        return format!(
            "the converted {noun} is not X: at ({}) X = {}, the {noun} gives {}; nothing is shown",
            OneBased(index),
            q_text(x),
            q_text(theirs)
        );
    }
    let mut text = format!(
        "X equals the {noun} listed below at all {} entries; its {what} are {}",
        c.entries,
        Tuple(&c.ranks)
    );
    let Some((j, evidence)) = &c.over else {
        text.push_str(", within the claimed bounds");
        return text;
    };
    let (j, bound) = (*j, bounds[*j]);
    let place = match target {
        Target::Tt => format!("bond {}", j + 1),
        Target::Ht(tree) => {
            let name = &ht::names(tree)[j];
            let mut modes = tree.post_order()[j].modes();
            modes.sort_unstable();
            format!("node {name} {}", OneBased(&modes))
        }
    };
    let (rank, phrase) = match evidence.as_ref() {
        Evidence::Rank {
            matricization,
            shape,
            witness,
        } => (witness.rank, rank_text(matricization, *shape, witness.rank)),
        Evidence::GenericRank {
            matricization,
            shape,
            witness,
            ..
        } => (witness.rank, generic_text(matricization, *shape, witness)),
        _ => unreachable!("the rank at a bond or node is a rank"),
    };
    let conclusion = if rank > bound {
        format!("{rank} > {bound}: no {noun} within the bounds is X, a disproof")
    } else {
        format!("{rank} <= {bound}: neither a proof nor a disproof")
    };
    text.push_str(&format!(
        "; {place} has {} > {bound}; {phrase}; {conclusion}",
        c.ranks[j]
    ));
    text
}

/// `rank X^(m) mod p >= k, p = 2^61 - 1 (a x b matrix); the minor below is non-singular mod p`.
fn generic_text(
    matricization: &crate::tensor::Matricization,
    shape: (usize, usize),
    witness: &crate::linalg::modular::ModRank,
) -> String {
    let k = witness.rank;
    if k == 0 {
        format!(
            "rank X^({matricization}) mod p is 0 in this draw ({} x {} matrix)",
            shape.0, shape.1
        )
    } else {
        format!(
            "rank X^({matricization}) mod p >= {k}, p = {} ({} x {} matrix); the minor below is non-singular mod p",
            witness.prime.text(),
            shape.0,
            shape.1
        )
    }
}

/// The lines after the summary: the construction (unchecked), the converted network, the minor.
pub(super) fn lines(c: &Converted, generic: bool) -> Vec<String> {
    let mut lines = vec![format!("# converted by: {}", c.construction.describe())];
    if generic {
        lines.push(
            "# every draw: the construction's shapes depend on the network's shapes only, not on the drawn entries"
                .to_string(),
        );
    }
    lines.push(format!("converted: {}", construction_line(&c.network)));
    for t in c.network.listed() {
        lines.push(format!(
            "core {}: {}, {} non-zero entries, sha256 {}",
            t.name,
            shape_text(&t.shape),
            t.nonzeros().count(),
            listed_sha256(&t)
        ));
        lines.extend(listed_lines(&t).lines().map(|l| l.to_string()));
    }
    let witness = match c.over.as_ref().map(|(_, e)| e.as_ref()) {
        Some(Evidence::Rank { witness, .. }) => Some((&witness.rows, &witness.cols)),
        Some(Evidence::GenericRank { witness, .. }) => Some((&witness.rows, &witness.cols)),
        _ => None,
    };
    if let Some((rows, cols)) = witness.filter(|(rows, _)| !rows.is_empty()) {
        lines.push(format!("minor rows: {}", ranges(rows)));
        lines.push(format!("minor cols: {}", ranges(cols)));
    }
    lines
}
