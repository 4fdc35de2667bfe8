//! One run of the checker: find case files, parse and expand them all (so that bad input is
//! refused before any work or output), then decide every claim of every instance. No printing.

use crate::case::Instance;
use crate::case::{parse_case, Case, InputError, ResourceLimit, SourceFile};
use crate::certificate::{file_name, InstanceResult};
use crate::claim::{another_draw_may_decide, every_depth, Claim, Workspace};
use crate::estimate::estimate;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    /// Nothing to work on: no files given, or a folder without any; the sentence names what
    /// was given, as it was given.
    #[error("{0}")]
    Nothing(String),
}

/// The `*.toml` files named by `paths`, in the order given, a folder's (searched recursively)
/// sorted by path; a file named twice is kept where it first appears.
pub fn case_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, RunError> {
    let mut files = Vec::new();
    for path in paths {
        let mut found = Vec::new();
        collect(path, &mut found)?;
        found.sort();
        for file in found {
            if !files.contains(&file) {
                files.push(file);
            }
        }
    }
    Ok(files)
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) -> Result<(), RunError> {
    let io = |e: std::io::Error| RunError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        for entry in std::fs::read_dir(path).map_err(io)? {
            let entry = entry.map_err(io)?.path();
            if entry.is_dir() || entry.extension().is_some_and(|e| e == "toml") {
                collect(&entry, files)?;
            }
        }
    } else {
        files.push(path.to_path_buf());
    }
    Ok(())
}

/// Reads and parses one case file; errors name the file as given.
pub fn load_case(path: &Path) -> Result<Case, RunError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| RunError::Io {
        path: name.clone(),
        message: e.to_string(),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        SourceFile {
            name: name.clone(),
            text,
        }
        .error_at(valid, "this byte is not UTF-8 text; case files must be UTF-8")
    })?;
    Ok(parse_case(&name, &text)?)
}

/// Every case with its instances, all built before any claim is decided. Two cases with one id
/// are refused, since the id names their certificates, and so are two whose certificates would
/// have one file name.
pub fn prepare(files: &[PathBuf], limit: ResourceLimit) -> Result<Vec<(Case, Vec<Instance>)>, RunError> {
    let cases = files.iter().map(|f| load_case(f)).collect::<Result<Vec<_>, _>>()?;
    distinct_ids(&cases)?;
    let prepared = cases
        .into_iter()
        .map(|case| {
            let instances = case.instances(limit)?;
            Ok((case, instances))
        })
        .collect::<Result<Vec<_>, RunError>>()?;
    distinct_file_names(&prepared)?;
    Ok(prepared)
}

/// The first case whose id an earlier case already has is refused at that id.
fn distinct_ids(cases: &[Case]) -> Result<(), InputError> {
    for (i, case) in cases.iter().enumerate() {
        if let Some(first) = cases[..i].iter().find(|c| c.id == case.id) {
            return Err(case.source_file.error_at(
                case.id_offset,
                format!(
                    "the case id '{}' is already the id of {}; certificates are named by the id, so each case needs its own",
                    case.id, first.source_file.name
                ),
            ));
        }
    }
    Ok(())
}

/// The first case one of whose certificates would have the file name of an earlier case's
/// (ids `t` at a=2, d=4 and `t_a2` at d=4 both give `t_a2_d4.cert`) is refused at its id.
fn distinct_file_names(prepared: &[(Case, Vec<Instance>)]) -> Result<(), InputError> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, (case, instances)) in prepared.iter().enumerate() {
        for instance in instances {
            let name = file_name(case, instance);
            if let Some(&j) = seen.get(&name).filter(|&&j| j != i) {
                return Err(case.source_file.error_at(
                    case.id_offset,
                    format!(
                        "this case's certificate {name} would have the name of one of {}'s; give the case another id",
                        prepared[j].0.source_file.name
                    ),
                ));
            }
            seen.insert(name, i);
        }
    }
    Ok(())
}

/// Decides every claim of every instance, instances in parallel; results keep the grid order,
/// so the output is the same for any number of threads.
pub fn decide(instances: Vec<Instance>) -> Vec<InstanceResult> {
    use rayon::prelude::*;
    instances.into_par_iter().map(decide_instance).collect()
}

/// Decides one instance. Random cores are drawn again, up to the case's `tries`, while some claim
/// is undecided that another draw could decide; the result shows the last draw, and the
/// estimates are made on it.
pub fn decide_instance(mut instance: Instance) -> InstanceResult {
    if let Some(every) = &instance.every_depth {
        let outcomes = instance
            .claims
            .iter()
            .map(|c| match &c.claim {
                Claim::EveryDepth { claim, .. } => every_depth::decide(every, claim),
                _ => unreachable!("case expansion makes every claim of an all-d instance an all-d claim"),
            })
            .collect();
        return InstanceResult {
            instance,
            outcomes,
            estimates: Vec::new(),
        };
    }
    loop {
        let mut workspace = Workspace::new(&instance.network, instance.draws.is_some());
        let outcomes: Vec<_> = instance
            .claims
            .iter()
            .map(|c| workspace.decide(&c.claim, c.numeric))
            .collect();
        let undecided = instance
            .claims
            .iter()
            .zip(&outcomes)
            .any(|(c, o)| another_draw_may_decide(&c.claim, o));
        match &instance.draws {
            Some(draws) if undecided && instance.attempt + 1 < draws.tries => {
                instance.attempt += 1;
                instance.network = draws.network(instance.attempt);
            }
            _ => {
                let estimates = instance
                    .estimates
                    .iter()
                    .map(|e| estimate(&instance.network, e))
                    .collect();
                return InstanceResult {
                    instance,
                    outcomes,
                    estimates,
                };
            }
        }
    }
}
