//! A `conversion` claim at one grid point: the target network kind (an HT's tree: the claim's,
//! the network's own, or the balanced one), the bound at each bond or node, and the size of the
//! conversion, refused before it is built when its tensors would not fit in memory or in what
//! the kernel reads back.

use super::{InstanceAt, ResourceLimit, BYTES_PER_CORE_ENTRY};
use crate::case::schema::conversion::TargetSpec;
use crate::case::schema::Located;
use crate::case::InputError;
use crate::claim::Claim;
use crate::expr::Scope;
use crate::network::conversion::{plan, Target};
use crate::network::ht::ModeTree;
use crate::network::Network;

impl InstanceAt<'_> {
    /// The claim that `network` is a network of the kind `target` with ranks at most `bound`.
    pub(super) fn conversion(
        &self,
        (target, bound): (&TargetSpec, &Located),
        scope: &Scope,
        network: &Network,
        limit: ResourceLimit,
    ) -> Result<Claim, InputError> {
        let d = network.mode_sizes().len();
        let target = match (target, network) {
            (TargetSpec::Tt, _) => Target::Tt,
            (TargetSpec::Ht(Some((spec, at))), _) => Target::Ht(self.tree(spec, d, *at)?),
            (TargetSpec::Ht(None), Network::Ht(net)) => Target::Ht(net.tree().clone()),
            (TargetSpec::Ht(None), _) => Target::Ht(ModeTree::balanced(d)),
        };
        let planned = plan(network, &target).map_err(|e| self.error(bound.offset, e.to_string()))?;
        self.check_memory(
            planned.entries,
            BYTES_PER_CORE_ENTRY,
            "the converted network's tensors",
            bound.offset,
            limit,
        )?;
        if planned.entries > tnproof_kernel::MAX_CORE_ENTRIES as u128 {
            return Err(self.error(
                bound.offset,
                format!(
                    "the converted network's tensors would have {} entries, over the {} a certificate may list; give a smaller grid",
                    planned.entries,
                    tnproof_kernel::MAX_CORE_ENTRIES
                ),
            ));
        }
        let bounds = match &target {
            Target::Tt => self.bond_bounds(bound, scope, d, "the bound on bond")?,
            Target::Ht(tree) => self.node_bounds(bound, scope, tree, "the bound on node")?,
        };
        Ok(Claim::Conversion { target, bounds })
    }
}
