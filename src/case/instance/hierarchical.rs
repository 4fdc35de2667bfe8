//! An HT construction at one grid point: its mode tree read for the instance's order d (a named
//! geometry, or the case's tree text with errors pointing into it), and each node's rank from the
//! `ranks` expression at the node's `level`, checked against the node form. Building the node
//! tensors is the draw's (random) job; this module only fixes the network's shape.

use super::InstanceAt;
use crate::case::schema::{HtSpec, TreeSpec};
use crate::case::InputError;
use crate::draw::HtShape;
use crate::expr::Scope;
use crate::network::ht::{shapes, ModeTree, TreeProblem};

impl InstanceAt<'_> {
    /// The tree, form and node ranks of `spec` at order `d`; `r` is the parameter of that name,
    /// the rank of every node below the root when `spec` has no `ranks`; `offset` is where to
    /// point at a named geometry that does not fit d.
    pub(super) fn ht_shape(
        &self,
        spec: &HtSpec,
        scope: &Scope,
        (r, d): (Option<usize>, usize),
        offset: usize,
    ) -> Result<HtShape, InputError> {
        let tree = self.tree(&spec.tree, d, offset)?;
        let nodes = tree.post_order();
        let mut ranks = Vec::with_capacity(nodes.len());
        let mut node_scope = scope.clone();
        for (j, node) in nodes.iter().enumerate() {
            if j + 1 == nodes.len() {
                ranks.push(1);
                continue;
            }
            let rank = match (&spec.ranks, r) {
                (Some(located), _) => {
                    node_scope.set_int("level", node.level() as i64);
                    let what = format!("the rank of node {node} (level {})", node.level());
                    let rank = self.count(located, &node_scope, &what)?;
                    if rank == 0 {
                        return Err(self.error(located.offset, format!("{what} must be at least 1, it is 0")));
                    }
                    rank
                }
                (None, Some(r)) => r,
                (None, None) => unreachable!("the schema requires r or ranks"),
            };
            ranks.push(rank);
        }
        let sizes = vec![1; d];
        if let Err(fault) = shapes(&tree, spec.form, &sizes, &ranks) {
            let at = spec.ranks.as_ref().map_or(offset, |l| l.offset);
            return Err(self.error(at, fault));
        }
        Ok(HtShape {
            tree,
            form: spec.form,
            ranks,
        })
    }

    /// The mode tree of order d the case names.
    fn tree(&self, spec: &TreeSpec, d: usize, offset: usize) -> Result<ModeTree, InputError> {
        let named = |tree: Option<ModeTree>, name: &str| {
            tree.ok_or_else(|| {
                self.error(
                    offset,
                    format!("the '{name}' geometry pairs modes level by level, so it needs d a power of 2 (at least 2), and d = {d}"),
                )
            })
        };
        match spec {
            TreeSpec::Balanced => Ok(ModeTree::balanced(d)),
            TreeSpec::Contiguous => named(ModeTree::contiguous(d), "contiguous"),
            TreeSpec::Mirror => named(ModeTree::mirror(d), "mirror"),
            TreeSpec::Text { text, offset, verbatim } => ModeTree::parse(text, d).map_err(|fault| {
                let at = if *verbatim { offset + fault.at } else { *offset };
                let problem = match fault.problem {
                    TreeProblem::Missing { .. } | TreeProblem::ModeOutOfRange { .. } => {
                        format!(
                            "{} (the tree must list the modes 1..{d} of this instance)",
                            fault.problem
                        )
                    }
                    other => other.to_string(),
                };
                self.error(at, format!("the tree is not a mode tree of order {d}: {problem}"))
            }),
        }
    }
}
