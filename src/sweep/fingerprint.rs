//! What a sweep's rows are rows of: the case (id, title, the case file's name and SHA-256), its
//! parameter grid, the seeds the case file sets, its claims as written, the number of grid
//! points and the tnproof version that decided them; and the digest
//! that seals the lines of a sweep file, so an edited table is told from the one tnproof wrote.
//! This file owns these fields and how their values are written as text; `csv` lays them out
//! as lines and reads them back, `merge` compares them.

use crate::case::Case;
use sha2::{Digest, Sha256};

/// The case a sweep is a sweep of. Two sweeps with equal fingerprints were made from the same
/// bytes of the same case file by the same tnproof version, so their rows are rows of one grid,
/// decided alike.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// The case id and title.
    pub case: String,
    pub title: String,
    /// The case file's name without its folder, and the SHA-256 of its bytes in hexadecimal.
    pub file: String,
    pub sha256: String,
    /// `n = 2..6; r = [2, 4, 8]; d = 4`: each parameter's values in grid order, a run of
    /// consecutive values written `lo..hi` (inclusive, as in case files).
    pub grid: String,
    /// `construction.seed = 2018`: every key `seed` or `*-seed` of the case file with its value,
    /// in file order, or `none`.
    pub seeds: String,
    /// Each claim as the case file states it, in order:
    /// `cp-rank-lower-bound: matricization = "odd-even", at-least = "q^(d/2)"`.
    pub claims: Vec<String>,
    /// How many points the whole grid has (not only a shard).
    pub grid_size: usize,
    /// The tnproof version that decided the rows (`0.1.0`): this program's for a sweep, the
    /// shards' for a merge.
    pub version: String,
}

impl Fingerprint {
    /// The fingerprint of `case`, whose grid has `grid_size` points.
    pub fn of(case: &Case, grid_size: usize) -> Fingerprint {
        let mut grid: Vec<String> = case
            .params
            .iter()
            .map(|p| format!("{} = {}", p.name, values_text(&p.values)))
            .collect();
        if let Some(every) = &case.every_depth {
            grid.push(format!("d = {}", every.depths.label()));
        }
        let seeds = seeds(&case.source_file.text);
        Fingerprint {
            case: case.id.clone(),
            title: case.title.clone(),
            file: case.source_file.file_name().to_string(),
            sha256: sha256_hex(&case.source_file.text),
            grid: grid.join("; "),
            seeds: if seeds.is_empty() {
                "none".into()
            } else {
                seeds.join("; ")
            },
            claims: case
                .claims
                .iter()
                .map(|entry| claim_text(entry.spec.kind().name(), &entry.spec.keys()))
                .collect(),
            grid_size,
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    /// The parameter names, in grid order, as the `grid` text lists them.
    pub fn param_names(&self) -> Vec<&str> {
        self.grid
            .split("; ")
            .filter_map(|p| p.split_once(" = ").map(|(name, _)| name))
            .collect()
    }
}

/// `matricization-rank: matricization = "odd-even", at-least = "q^(d/2)"`: the kind and the
/// keys particular to it, as the case file writes them.
fn claim_text(kind: &str, keys: &[(&str, &str)]) -> String {
    let keys: Vec<String> = keys.iter().map(|(key, text)| format!("{key} = \"{text}\"")).collect();
    format!("{kind}: {}", keys.join(", "))
}

/// `2..6` for consecutive values, `4` for one value, `[2, 4, 8]` otherwise, with a run of three
/// or more consecutive values written `lo..hi` there too: `[1..3, 7, 9, 10]`.
fn values_text(values: &[i64]) -> String {
    let mut runs: Vec<(i64, i64)> = Vec::new();
    for &v in values {
        match runs.last_mut() {
            Some((_, end)) if end.checked_add(1) == Some(v) => *end = v,
            _ => runs.push((v, v)),
        }
    }
    if let [(lo, hi)] = runs[..] {
        return if lo == hi {
            lo.to_string()
        } else {
            format!("{lo}..{hi}")
        };
    }
    let parts: Vec<String> = runs
        .iter()
        .flat_map(|&(lo, hi)| match hi - lo {
            0 => vec![lo.to_string()],
            1 => vec![lo.to_string(), hi.to_string()],
            _ => vec![format!("{lo}..{hi}")],
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// `construction.seed = 2018`, `construction.network.perturb-seed = 21`, `estimate[1].seed = 3`:
/// the integer keys named `seed` or ending in `-seed`, with their tables, in file order. The
/// text has been parsed as a case already; a text that is no TOML has no seeds.
fn seeds(text: &str) -> Vec<String> {
    let Ok(doc) = toml_edit::ImDocument::parse(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    seeds_in(doc.as_table(), "", &mut found);
    found
}

fn seeds_in(table: &dyn toml_edit::TableLike, path: &str, found: &mut Vec<String>) {
    use toml_edit::{Item, Value};
    let place = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    for (key, item) in table.iter() {
        match item {
            Item::Value(Value::Integer(v)) if key == "seed" || key.ends_with("-seed") => {
                found.push(format!("{} = {}", place(key), v.value()));
            }
            Item::Value(Value::InlineTable(t)) => seeds_in(t, &place(key), found),
            Item::Table(t) => seeds_in(t, &place(key), found),
            Item::ArrayOfTables(tables) => {
                for (n, t) in tables.iter().enumerate() {
                    seeds_in(t, &format!("{}[{}]", place(key), n + 1), found);
                }
            }
            _ => {}
        }
    }
}

/// The SHA-256 of `text` in lower-case hexadecimal.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A value on one line: backslashes, line feeds and carriage returns escaped as `\\`, `\n`, `\r`.
pub fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r")
}

/// The value `escape` wrote, or `None` for a backslash not followed by `\`, `n` or `r`.
pub fn unescape(line: &str) -> Option<String> {
    let mut value = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        value.push(match c {
            '\\' => match chars.next()? {
                '\\' => '\\',
                'n' => '\n',
                'r' => '\r',
                _ => return None,
            },
            c => c,
        });
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_as_runs() {
        assert_eq!(values_text(&[4]), "4");
        assert_eq!(values_text(&[2, 3, 4, 5, 6]), "2..6");
        assert_eq!(values_text(&[4, 6, 8]), "[4, 6, 8]");
        assert_eq!(values_text(&[1, 2, 3, 7, 9, 10]), "[1..3, 7, 9, 10]");
        assert_eq!(values_text(&[2, 3, 5]), "[2, 3, 5]");
        assert_eq!(values_text(&[2, 3]), "2..3");
        assert_eq!(values_text(&[3, 2]), "[3, 2]");
        assert_eq!(values_text(&[-1, 0, 1]), "-1..1");
        assert_eq!(
            values_text(&[i64::MAX - 1, i64::MAX]),
            format!("{}..{}", i64::MAX - 1, i64::MAX)
        );
    }

    #[test]
    fn seeds_are_every_seed_key_in_file_order() {
        let text = "[case]\nid = \"t\"\n[construction]\nseed = 7\n[construction.network]\nperturb-seed = 21\nseeds = 3\n[[estimate]]\nseed = 4\n[[estimate]]\nx = 1\n[[estimate]]\nseed = 5\n";
        assert_eq!(
            seeds(text),
            [
                "construction.seed = 7",
                "construction.network.perturb-seed = 21",
                "estimate[1].seed = 4",
                "estimate[3].seed = 5"
            ]
        );
        assert_eq!(seeds("[case]\nid = \"t\"\n"), Vec::<String>::new());
    }

    /// The SHA-256 test vector of FIPS 180-2, "abc".
    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn escaped_values_round_trip() {
        for value in ["plain", "a\nb", "back\\slash\\n", "cr\r\nlf", ""] {
            assert_eq!(unescape(&escape(value)).as_deref(), Some(value));
            assert!(!escape(value).contains(['\n', '\r']));
        }
        assert_eq!(unescape("a\\tb"), None);
        assert_eq!(unescape("end\\"), None);
    }
}
