//! Case files: the TOML a user writes (SPEC §6), read into a `Case` whose every expression keeps
//! its position in the file, then expanded over the parameter grid into concrete `Instance`s
//! (network built, claims made concrete, memory estimated). Errors name file, line and column.

mod instance;
mod schema;

pub use instance::{Instance, InstanceClaim, ResourceLimit};
pub use schema::{parse_case, Case, Expectation};

use std::fmt;

/// Bad input: where it is and a plain sentence saying what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

impl std::error::Error for InputError {}

/// A case file's name and text, to turn byte offsets into line and column.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

impl SourceFile {
    /// The file's name without its folder: what certificates record, so that they do not depend
    /// on how the file was named on the command line.
    pub fn file_name(&self) -> &str {
        std::path::Path::new(&self.name)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(&self.name)
    }

    /// The error at byte `offset` (line and column 1-based, the column counted in characters;
    /// an offset inside a character counts as that character).
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> InputError {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        InputError {
            file: self.name.clone(),
            line,
            column,
            message: message.into(),
        }
    }
}
