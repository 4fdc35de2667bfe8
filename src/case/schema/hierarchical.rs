//! The keys of an HT construction (`random-ht`): `tree` (a mode tree's text or a named pooling
//! geometry), `form` (`general` or `convac`) and `ranks` (an expression in `level`). Parsing and
//! name checks only: a tree is read against the order d of each instance, and ranks are
//! evaluated node by node, by `instance`.

use super::{key_start, Located, Reader};
use crate::case::InputError;
use crate::network::ht::Form;
use toml_edit::Table;

/// The names a node's `ranks` expression binds.
pub const RANK_NAMES: [&str; 1] = ["level"];

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
    pub form: Form,
    /// The rank of each node below the root (the root's is 1), an expression in `level`;
    /// `None`: the parameter `r` at every node.
    pub ranks: Option<Located>,
}

impl HtSpec {
    /// The geometry names a `tree` key may give instead of a tree.
    const GEOMETRIES: [&'static str; 3] = ["balanced", "contiguous", "mirror"];
}

impl Reader<'_> {
    /// `tree`, `form` and `ranks` of an HT construction.
    pub(super) fn ht(&self, table: &Table) -> Result<HtSpec, InputError> {
        let tree = match self.optional_string(table, "tree")? {
            None => TreeSpec::Balanced,
            Some((name, _)) if name == "balanced" => TreeSpec::Balanced,
            Some((name, _)) if name == "contiguous" => TreeSpec::Contiguous,
            Some((name, _)) if name == "mirror" => TreeSpec::Mirror,
            Some((text, offset)) => {
                if !text.trim_start().starts_with('(') {
                    return Err(self.error(
                        offset,
                        format!(
                            "'tree' is a mode tree like \"((1,2),(3,4))\" or one of {}; found \"{text}\"",
                            HtSpec::GEOMETRIES.join(", ")
                        ),
                    ));
                }
                let verbatim = self.file.text.get(offset..offset + text.len()) == Some(text.as_str());
                TreeSpec::Text { text, offset, verbatim }
            }
        };
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
        Ok(HtSpec { tree, form, ranks })
    }
}
