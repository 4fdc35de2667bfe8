//! The keys of a `conversion` claim: `to` (`tt` or `ht`), for `ht` an optional `tree` (the
//! network's own for an HT network, else the balanced one) and `at-most`, the bound on the
//! converted network's ranks (in the bond `k` for a TT, in `level`, `first`, `last` for an HT's
//! nodes). Parsing only; `instance` builds the target and evaluates the bounds.

use super::hierarchical::TreeSpec;
use super::{key_start, ClaimSpec, Located, Reader};
use crate::case::InputError;
use toml_edit::Table;

/// The kind of network a `conversion` claim writes its network as.
#[derive(Clone, Debug)]
pub enum TargetSpec {
    Tt,
    /// An HT over the claim's `tree` (with where it starts), or without one the network's own
    /// tree (an HT network) or the balanced tree.
    Ht(Option<(TreeSpec, usize)>),
}

impl TargetSpec {
    /// The `to` key's text.
    pub fn name(&self) -> &'static str {
        match self {
            TargetSpec::Tt => "tt",
            TargetSpec::Ht(_) => "ht",
        }
    }

    /// The names the bound may use besides the parameters.
    pub fn indices(&self) -> &'static [&'static str] {
        match self {
            TargetSpec::Tt => &["k"],
            TargetSpec::Ht(_) => &["level", "first", "last"],
        }
    }
}

impl Reader<'_> {
    /// A `conversion` claim: `to`, `tree` (with `to = "ht"` only) and `at-most`.
    pub(super) fn conversion(&self, table: &Table, place: &str, offset: usize) -> Result<ClaimSpec, InputError> {
        let (to, to_at) = self.string(table, place, "to", offset)?;
        let tree = self.tree(table)?;
        let target = match (to.as_str(), tree) {
            ("tt", None) => TargetSpec::Tt,
            ("tt", Some(_)) => {
                return Err(self.error(
                    key_start(table, "tree"),
                    "a conversion to a TT takes no 'tree': the train follows the modes 1..d in order",
                ))
            }
            ("ht", tree) => TargetSpec::Ht(tree),
            (other, _) => {
                return Err(self.error(
                    to_at,
                    format!("'to' of a conversion is \"tt\" or \"ht\", found \"{other}\""),
                ))
            }
        };
        let bound: Located = self.expr(table, place, "at-most", offset)?;
        Ok(ClaimSpec::Conversion { target, bound })
    }
}
