//! Hierarchical Tucker networks over any mode tree (SPEC §8). The tree (`ModeTree`: its text,
//! the named geometries, levels) and the network (`HtNetwork`: node forms, shapes, contraction,
//! the cut with hyperedges) are the kernel's (`tnproof_kernel::tree`, `::hierarchical`),
//! re-exported here so that the checker builds exactly the network the kernel re-reads. This
//! module adds building one node tensor after another from their shapes; it knows nothing of
//! case files or random draws.

pub use tnproof_kernel::hierarchical::{names, node_tensor, shapes, Form, HtNetwork, Part, ShapeFault};
pub use tnproof_kernel::tree::{ModeTree, TreeFault, TreeProblem};

use crate::field::Q;

/// The network over `tree` whose node ranks are `ranks` (post-order, the root's 1), each node
/// tensor made by `tensor(node, shape)` in post-order (`shape` from `shapes`, entries
/// big-endian); the first error of `tensor` stops it.
pub fn build<E>(
    tree: &ModeTree,
    form: Form,
    sizes: &[usize],
    ranks: &[usize],
    mut tensor: impl FnMut(&ModeTree, &[usize]) -> Result<Vec<Q>, E>,
) -> Result<Result<HtNetwork<Q>, ShapeFault>, E> {
    let shapes = match shapes(tree, form, sizes, ranks) {
        Ok(shapes) => shapes,
        Err(fault) => return Ok(Err(fault)),
    };
    let mut parts = Vec::with_capacity(shapes.len());
    for (node, shape) in tree.post_order().into_iter().zip(shapes) {
        let entries = tensor(node, &shape)?;
        parts.push(Part { shape, entries });
    }
    Ok(HtNetwork::new(tree.clone(), form, sizes.to_vec(), parts))
}
