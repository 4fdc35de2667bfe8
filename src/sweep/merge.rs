//! Merging shard sweeps back into the whole run: the shards must have one fingerprint (one
//! case file, byte for byte, so one grid and one set of seeds, decided by one tnproof version)
//! and one split, each shard given
//! once and all of them given, and together hold every instance of the grid with the same
//! claims; the rows are put back into grid order, so the merge equals the whole run. Each
//! refusal names the files; that a file's rows are the ones tnproof wrote, `csv` has checked.

use super::{Shard, Sweep, SweepRow};
use std::collections::BTreeMap;

/// Why shards do not merge, in a sentence naming the files.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MergeError(pub String);

/// The whole run's sweep from its shards, each with the name of the file it was read from.
pub fn merge(shards: Vec<(String, Sweep)>) -> Result<Sweep, MergeError> {
    let fail = |message: String| Err(MergeError(message));
    let Some((first_name, first)) = shards.first() else {
        return fail("no shard files given".into());
    };
    let f = &first.fingerprint;
    for (name, sweep) in &shards[1..] {
        let g = &sweep.fingerprint;
        let differs = [
            ("case", &g.case, &f.case, "merge the shards of one case"),
            (
                "tnproof version",
                &g.version,
                &f.version,
                "sweep every shard with one tnproof version",
            ),
            ("seeds", &g.seeds, &f.seeds, "merge the shards of one seed"),
            ("grid", &g.grid, &f.grid, "merge the shards of one grid"),
            ("case file", &g.file, &f.file, "merge the shards of one case file"),
            (
                "case file sha256",
                &g.sha256,
                &f.sha256,
                "the case file was changed between the shards; sweep every shard from one version of it",
            ),
        ];
        if let Some((what, theirs, ours, advice)) = differs.iter().find(|(_, a, b, _)| a != b) {
            return fail(format!(
                "{name} has {what} '{theirs}', {first_name} has '{ours}'; {advice}"
            ));
        }
        if sweep.shard.count != first.shard.count {
            return fail(format!(
                "{name} is shard {}, {first_name} is shard {}; merge the shards of one split",
                sweep.shard, first.shard
            ));
        }
    }
    let mut files: BTreeMap<usize, String> = BTreeMap::new();
    for (name, sweep) in &shards {
        if let Some(other) = files.insert(sweep.shard.index, name.clone()) {
            return fail(format!("shard {} is given twice: {other} and {name}", sweep.shard));
        }
    }
    let count = first.shard.count;
    let missing: Vec<String> = (1..=count)
        .filter(|i| !files.contains_key(i))
        .map(|index| Shard { index, count }.to_string())
        .collect();
    if !missing.is_empty() {
        return fail(format!(
            "shard {} missing: merge needs all {count} shards of the split",
            missing.join(", ")
        ));
    }
    let file_of = |k: usize| files.get(&(k % count + 1)).cloned().unwrap_or_default();
    let fingerprint = first.fingerprint.clone();
    let grid_size = fingerprint.grid_size;
    let mut rows: Vec<SweepRow> = shards.into_iter().flat_map(|(_, sweep)| sweep.rows).collect();
    rows.sort_by_key(|r| (r.index, r.claim));
    let mut instances = rows.chunk_by(|a, b| a.index == b.index);
    // Every instance has every claim of the case, numbered from 1.
    let claim_count = rows.iter().map(|r| r.claim).max().unwrap_or(0);
    for k in 0..grid_size {
        let Some(instance) = instances.next().filter(|rows| rows[0].index == k) else {
            return fail(format!(
                "instance {k} of the grid is missing from {} (shard {})",
                file_of(k),
                Shard {
                    index: k % count + 1,
                    count
                }
            ));
        };
        let numbers: Vec<usize> = instance.iter().map(|r| r.claim).collect();
        if let Some(pair) = instance
            .windows(2)
            .find(|w| w[0].claim == w[1].claim || (&w[0].params, w[0].depths) != (&w[1].params, w[1].depths))
        {
            let what = if pair[0].claim == pair[1].claim {
                format!("claim {} appears twice", pair[0].claim)
            } else {
                "the claims' parameters differ".into()
            };
            return fail(format!(
                "instance {k} ({}) in {}: {what}",
                pair[0].params_text(),
                file_of(k)
            ));
        }
        if let Some(missing) = (1..=claim_count).find(|c| !numbers.contains(c)) {
            return fail(format!(
                "instance {k} ({}) in {}: claim {missing} is missing",
                instance[0].params_text(),
                file_of(k)
            ));
        }
    }
    Ok(Sweep {
        fingerprint,
        shard: Shard::WHOLE,
        rows,
    })
}
