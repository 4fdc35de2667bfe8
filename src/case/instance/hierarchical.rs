//! An HT construction at one grid point: its mode tree read for the instance's order d (a named
//! geometry, or the case's tree text with errors pointing into it), and each node's rank from the
//! `ranks` expression at the node's `level`, checked against the node form; for an `ht`
//! construction, every node tensor's entries from the case's expressions (a random one's are
//! drawn by `draw`).

use super::{InstanceAt, ResourceLimit, BYTES_PER_CORE_ENTRY};
use crate::case::schema::{ExplicitHt, HtSpec, TreeSpec};
use crate::case::InputError;
use crate::draw::HtShape;
use crate::expr::Scope;
use crate::field::Q;
use crate::network::ht::{self, shapes, Form, HtNetwork, ModeTree, TreeProblem};

impl InstanceAt<'_> {
    /// An `ht` construction at this point: its shape, then each node tensor entry by entry,
    /// leaves `U_m[i, p]` and nodes `B[c1, .., p]` or `a[alpha, p]` (indices 1-based), once
    /// their memory is known to fit.
    pub(super) fn explicit_ht(
        &self,
        spec: &ExplicitHt,
        scope: &Scope,
        (n, r, d): (usize, Option<usize>, usize),
        limit: ResourceLimit,
    ) -> Result<HtNetwork<Q>, InputError> {
        let (shape, entries) = self.ht_shape(&spec.shape, scope, (n, r, d), limit)?;
        let sizes = vec![n; d];
        self.check_memory(
            entries,
            BYTES_PER_CORE_ENTRY,
            "the node tensors",
            spec.node.offset,
            limit,
        )?;
        let built = ht::build(&shape.tree, shape.form, &sizes, &shape.ranks, |node, dims| {
            // A scope per node, so that no child index of another node is seen here.
            let mut local = scope.clone();
            let (first, last) = node.first_last();
            let count: usize = dims.iter().product();
            let (expr, what) = match node {
                ModeTree::Leaf(m) => {
                    local.set_int("m", *m as i64 + 1);
                    (&spec.leaf, format!("an entry of the leaf U{}", m + 1))
                }
                ModeTree::Node(_) => {
                    local.set_int("level", node.level() as i64);
                    local.set_int("first", first as i64 + 1);
                    local.set_int("last", last as i64 + 1);
                    (&spec.node, format!("an entry of the node {node}"))
                }
            };
            (0..count)
                .map(|pos| {
                    let index = crate::tensor::index_of(dims, pos);
                    let (parent, children) = index.split_last().expect("a node tensor has its parent index");
                    local.set_int("p", *parent as i64 + 1);
                    match (node, shape.form) {
                        (ModeTree::Leaf(_), _) => local.set_int("i", children[0] as i64 + 1),
                        (ModeTree::Node(_), Form::Convac) => local.set_int("alpha", children[0] as i64 + 1),
                        (ModeTree::Node(_), Form::General) => {
                            for (j, c) in children.iter().enumerate() {
                                local.set_int(&format!("c{}", j + 1), *c as i64 + 1);
                            }
                        }
                    }
                    self.number(expr, &local, &what)
                })
                .collect()
        })?;
        built.map_err(|fault| self.error(spec.node.offset, fault))
    }

    /// The tree, form and node ranks of `spec` at order `d` and mode size `n`; `r` is the
    /// parameter of that name, the rank of every node below the root when `spec` has no `ranks`.
    /// A tree has fewer than 2d nodes, each with at least n entries: that is refused over the
    /// memory limit before the tree is built. With the shape, the number of entries its node
    /// tensors have.
    pub(super) fn ht_shape(
        &self,
        spec: &HtSpec,
        scope: &Scope,
        (n, r, d): (usize, Option<usize>, usize),
        limit: ResourceLimit,
    ) -> Result<(HtShape, u128), InputError> {
        let least = (2 * d as u128).saturating_mul(n as u128);
        self.check_memory(least, BYTES_PER_CORE_ENTRY, "the node tensors", spec.tree_at, limit)?;
        let tree = self.tree(&spec.tree, d, spec.tree_at)?;
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
        let entries = match shapes(&tree, spec.form, &vec![n; d], &ranks) {
            Ok(shapes) => shapes.iter().fold(0u128, |sum, s| {
                sum.saturating_add(s.iter().fold(1u128, |p, &x| p.saturating_mul(x as u128)))
            }),
            Err(fault) => {
                let at = spec.ranks.as_ref().map_or(spec.tree_at, |l| l.offset);
                return Err(self.error(at, fault));
            }
        };
        let shape = HtShape {
            tree,
            form: spec.form,
            ranks,
        };
        Ok((shape, entries))
    }

    /// The mode tree of order d the case names.
    pub(super) fn tree(&self, spec: &TreeSpec, d: usize, offset: usize) -> Result<ModeTree, InputError> {
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
