//! Runs every case in `cases/` and pins its certificates (all instances, in grid order) as one
//! insta snapshot per case in `snapshots/`. A change to any construction, claim or evidence shows
//! up as a snapshot diff to review with `just review`. Cases whose certificates exceed
//! `FULL_SNAPSHOT_BYTES` (the large random grids, whose drawn cores run to megabytes) are pinned
//! as one line per instance: its verdicts and the SHA-256 of its full certificate.

use sha2::{Digest, Sha256};
use std::path::PathBuf;
use tnproof::case::ResourceLimit;
use tnproof::certificate::{render, render_case};

/// Above this size a case's snapshot lists verdicts and certificate digests instead.
pub const FULL_SNAPSHOT_BYTES: usize = 1 << 20;
use tnproof::run::{case_files, decide, prepare};

#[test]
fn every_case_certificate_is_pinned_and_as_expected() {
    let cases = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("cases");
    let files = case_files(&[cases]).expect("cases/ is readable");
    assert!(files.len() >= 4, "cases/ holds the theorems' case files");
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for file in files {
        // Name the file relative to the repository, as a user running from its root would.
        let relative = file
            .strip_prefix(&manifest)
            .expect("under the repository")
            .to_path_buf();
        std::env::set_current_dir(&manifest).expect("repository root");
        let prepared = prepare(&[relative], ResourceLimit::default()).expect("case files are valid");
        for (case, instances) in prepared {
            let results = decide(instances);
            for r in &results {
                for (claim, outcome) in r.instance.claims.iter().zip(&r.outcomes) {
                    assert!(
                        claim.expected.accepts(outcome.verdict),
                        "{} at {}: claim {} ({})",
                        case.id,
                        r.instance.label(),
                        claim.number,
                        claim.claim
                    );
                }
            }
            let mut text = render_case(&case, &results);
            if text.len() > FULL_SNAPSHOT_BYTES {
                text = results
                    .iter()
                    .map(|r| {
                        let verdicts: Vec<&str> = r.outcomes.iter().map(|o| o.verdict.word()).collect();
                        let digest: String = Sha256::digest(render(&case, r).as_bytes())
                            .iter()
                            .map(|b| format!("{b:02x}"))
                            .collect();
                        format!(
                            "{}: {} (certificate sha256 {digest})\n",
                            r.instance.label(),
                            verdicts.join(", ")
                        )
                    })
                    .collect();
            }
            insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false, omit_expression => true }, {
                insta::assert_snapshot!(case.id.clone(), text);
            });
        }
    }
}

/// Changing one core expression in a case file changes that core's listing and SHA-256 in the
/// certificate (and so the snapshot): doubling `first` turns `first[1,i,i] = 1` into `= 2`.
#[test]
fn a_changed_core_changes_the_certificate() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(manifest.join("cases/alkin2024-equal-core.toml")).unwrap();
    let changed = text.replace("first = \"[i == b]\"", "first = \"2 * [i == b]\"");
    assert_ne!(text, changed);
    let render_first = |text: &str| {
        let mut case = tnproof::case::parse_case("cases/alkin2024-equal-core.toml", text).unwrap();
        for p in &mut case.params {
            p.values = vec![p.values[2.min(p.values.len() - 1)]];
        }
        let results = decide(case.instances(ResourceLimit::default()).unwrap());
        tnproof::certificate::render(&case, &results[0])
    };
    let (before, after) = (render_first(&text), render_first(&changed));
    assert!(before.contains("  first[1,1,1] = 1\n") && after.contains("  first[1,1,1] = 2\n"));
    let sha = |cert: &str| cert.lines().find(|l| l.starts_with("core first:")).unwrap().to_string();
    assert_ne!(sha(&before), sha(&after));
}
