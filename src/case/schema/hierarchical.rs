//! The keys of an HT construction (`random-ht`, `ht`): `tree` (a mode tree's text or a named
//! pooling geometry), `form` (`general` or `convac`), `ranks` (an expression in `level`) and, for
//! `ht`, the node tensors `[construction.cores]`: `leaf` (in m, i, p) and `node` (in p and c1, c2,
//! ... or alpha, and level, first, last). Parsing and name checks only: a tree is read against the
//! order d of each instance, and ranks and entries are evaluated node by node, by `instance`.

use super::{key_start, Located, Reader};
use crate::case::InputError;
use crate::network::ht::Form;
use toml_edit::Table;

/// The names a node's `ranks` expression binds.
pub const RANK_NAMES: [&str; 1] = ["level"];
/// The names a leaf's entry expression binds: the mode, the index of the mode, the index to the
/// parent.
pub const LEAF_NAMES: [&str; 3] = ["m", "i", "p"];
/// The most children a node's `c1, c2, ...` may name.
pub const MAX_ARITY: usize = 16;

/// The names a node's entry expression binds: the parent index `p`, the children's indices
/// `c1..` (general) or their shared index `alpha` (convac), and the node's level, first and last
/// mode.
pub fn node_names() -> Vec<String> {
    ["p", "alpha", "level", "first", "last"]
        .into_iter()
        .map(String::from)
        .chain((1..=MAX_ARITY).map(|j| format!("c{j}")))
        .collect()
}

/// An HT network given exactly: its shape and the expressions of its node tensors.
#[derive(Clone, Debug)]
pub struct ExplicitHt {
    pub shape: HtSpec,
    /// `U_m[i, p]`.
    pub leaf: Located,
    /// `B[c1, ..., p]` (general) or `a[alpha, p]` (convac).
    pub node: Located,
}

/// How the case gives the mode tree.
#[derive(Clone, Debug)]
pub enum TreeSpec {
    /// No `tree` key, or `tree = "balanced"`: the balanced tree pairing neighbours.
    Balanced,
    /// `tree = "contiguous"` (d a power of 2).
    Contiguous,
    /// `tree = "mirror"` (d a power of 2).
    Mirror,
    /// A tree's text, read for each instance's d; `offset` is where it starts in the file, and
    /// `verbatim` whether its bytes are the file's there.
    Text {
        text: String,
        offset: usize,
        verbatim: bool,
    },
}

/// The tree, the node form and the ranks of an HT construction.
#[derive(Clone, Debug)]
pub struct HtSpec {
    pub tree: TreeSpec,
    /// Where the tree is given (its value; without a `tree` key, the `kind`), for errors about
    /// the tree as a whole.
    pub tree_at: usize,
    pub form: Form,
    /// The rank of each node below the root (the root's is 1), an expression in `level`;
    /// `None`: the parameter `r` at every node.
    pub ranks: Option<Located>,
}

impl HtSpec {
    /// The geometry names a `tree` key may give instead of a tree.
    const GEOMETRIES: [&'static str; 3] = ["balanced", "contiguous", "mirror"];
}

impl TreeSpec {
    /// The tree as the case file writes it.
    pub fn text(&self) -> &str {
        match self {
            TreeSpec::Balanced => "balanced",
            TreeSpec::Contiguous => "contiguous",
            TreeSpec::Mirror => "mirror",
            TreeSpec::Text { text, .. } => text,
        }
    }
}

impl Reader<'_> {
    /// A `tree` key (of a construction or an `ht-ranks` claim), with where its value starts.
    pub(super) fn tree(&self, table: &Table) -> Result<Option<(TreeSpec, usize)>, InputError> {
        let Some((text, offset)) = self.optional_string(table, "tree")? else {
            return Ok(None);
        };
        let tree = match text.as_str() {
            "balanced" => TreeSpec::Balanced,
            "contiguous" => TreeSpec::Contiguous,
            "mirror" => TreeSpec::Mirror,
            _ if text.trim_start().starts_with('(') => {
                let verbatim = self.file.text.get(offset..offset + text.len()) == Some(text.as_str());
                TreeSpec::Text { text, offset, verbatim }
            }
            _ => {
                return Err(self.error(
                    offset,
                    format!(
                        "'tree' is a mode tree like \"((1,2),(3,4))\" or one of {}; found \"{text}\"",
                        HtSpec::GEOMETRIES.join(", ")
                    ),
                ))
            }
        };
        Ok(Some((tree, offset)))
    }

    /// An `ht` construction: its shape, then `[construction.cores]` with `leaf` and `node`;
    /// without `ranks` it needs the parameter `r`.
    pub(super) fn explicit_ht(&self, table: &Table, offset: usize, has_r: bool) -> Result<ExplicitHt, InputError> {
        let shape = self.ht(table)?;
        if shape.ranks.is_none() && !has_r {
            return Err(self.error(
                offset,
                "an 'ht' construction needs 'ranks' (an expression in level) or the parameter 'r' (the rank of every node below the root)",
            ));
        }
        let cores_item = table.get("cores").ok_or_else(|| {
            self.error(
                offset,
                "[construction] needs a [construction.cores] table with 'leaf' and 'node'",
            )
        })?;
        let cores = cores_item.as_table_like().ok_or_else(|| {
            self.error(
                super::span_start(cores_item),
                "'cores' must be a table: write it as [construction.cores]",
            )
        })?;
        self.only_keys(cores, &["leaf", "node"], "[construction.cores] of an 'ht' construction")?;
        let at = super::span_start(cores_item);
        Ok(ExplicitHt {
            shape,
            leaf: self.expr(cores, "[construction.cores]", "leaf", at)?,
            node: self.expr(cores, "[construction.cores]", "node", at)?,
        })
    }

    /// `tree`, `form` and `ranks` of an HT construction.
    pub(super) fn ht(&self, table: &Table) -> Result<HtSpec, InputError> {
        let (tree, tree_at) = self
            .tree(table)?
            .unwrap_or_else(|| (TreeSpec::Balanced, key_start(table, "kind")));
        let form = match self.optional_string(table, "form")? {
            None => Form::General,
            Some((name, at)) => Form::from_name(&name).ok_or_else(|| {
                self.error(
                    at,
                    format!("'form' is \"general\" (a full tensor per node) or \"convac\" (the children share one index), not \"{name}\""),
                )
            })?,
        };
        let ranks = table
            .contains_key("ranks")
            .then(|| self.expr(table, "an HT construction", "ranks", key_start(table, "ranks")))
            .transpose()?;
        Ok(HtSpec {
            tree,
            tree_at,
            form,
            ranks,
        })
    }
}

impl super::Case {
    /// Refuses a parameter or `let` named like an index the HT expressions bind, then a name an
    /// HT expression cannot see: `ranks` sees `level`, the leaf `m`, `i`, `p`, the node
    /// `node_names`.
    pub(super) fn ht_names_known(
        &self,
        shape: &HtSpec,
        explicit: Option<&ExplicitHt>,
        known: &[&str],
    ) -> Result<(), InputError> {
        let node = node_names();
        let bound: Vec<&str> = node.iter().map(String::as_str).chain(LEAF_NAMES).collect();
        let named = self
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.offset))
            .chain(self.lets.iter().map(|(name, l)| (name.as_str(), l.offset)));
        for (name, at) in named {
            if bound.contains(&name) {
                return Err(self.source_file.error_at(
                    at,
                    format!("'{name}' is bound inside the expressions of an HT construction (p, alpha, c1, c2, ..., level, first, last); name the parameter otherwise"),
                ));
            }
        }
        if let Some(ranks) = &shape.ranks {
            self.names_known(ranks, known, &RANK_NAMES)?;
        }
        if let Some(ht) = explicit {
            self.names_known(&ht.leaf, known, &LEAF_NAMES)?;
            let node: Vec<&str> = node.iter().map(String::as_str).collect();
            self.names_known(&ht.node, known, &node)?;
        }
        Ok(())
    }
}
