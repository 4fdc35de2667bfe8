//! Case files of every depth at once (`d = "even"`, `"all"`, `"even >= K"`): each grid point of
//! the other parameters expands into one instance whose `PeriodicTrain` gives, at every depth, the
//! train the ordinary expansion of the same text builds at that d (an independent check: the
//! finite expansion evaluates the core at every position), with its claims as
//! `Claim::EveryDepth`, its label and certificate name showing the depths.

use std::collections::BTreeMap;
use tnproof::case::{parse_case, Case, Instance, ResourceLimit};
use tnproof::certificate::file_name;
use tnproof::claim::every_depth::DepthClaim;
use tnproof::claim::Claim;
use tnproof::network::periodic::Depths;
use tnproof::network::Core;

fn case_file(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("cases")
        .join(name);
    std::fs::read_to_string(path).expect("the case file is readable")
}

/// `text` without its `tt-ranks` and `cp-rank-upper-bound` claims (each runs from its
/// `[[claim]]` line to the next claim or the end), which are not decided for every d at once.
fn without_finite_only_claims(text: &str) -> String {
    let mut parts = text.split("[[claim]]\n");
    let mut out = parts.next().expect("the text before the claims").to_string();
    let finite_only =
        |c: &&str| c.starts_with("kind = \"tt-ranks\"") || c.starts_with("kind = \"cp-rank-upper-bound\"");
    for claim in parts.filter(|c| !finite_only(c)) {
        out.push_str("[[claim]]\n");
        out.push_str(claim);
    }
    out
}

/// `text` with `old` replaced by `new`, which must be there once.
fn replaced(text: &str, old: &str, new: &str) -> String {
    assert_eq!(text.matches(old).count(), 1, "{old:?} once in the text");
    text.replace(old, new)
}

fn expand(text: &str) -> (Case, Vec<Instance>) {
    let case = parse_case("case.toml", text).unwrap_or_else(|e| panic!("{e}"));
    let instances = case
        .instances(ResourceLimit::default())
        .unwrap_or_else(|e| panic!("{e}"));
    (case, instances)
}

/// The cores of the ordinary expansion of `text`, by parameter values (d among them).
fn finite_cores(text: &str) -> BTreeMap<Vec<(String, i64)>, Vec<Core>> {
    let (_, instances) = expand(text);
    instances
        .into_iter()
        .map(|instance| {
            let mut params = instance.params.clone();
            params.sort();
            let cores = instance.network.train().expect("a tensor train").cores().to_vec();
            (params, cores)
        })
        .collect()
}

/// Checks that every all-d instance of `every` has period `period` and, at each of `ds`, the
/// cores of `finite`'s instance at the same point and d, core by core; returns the instances.
fn same_trains(every: &str, finite: &str, period: usize, ds: &[usize]) -> Vec<Instance> {
    let finite = finite_cores(finite);
    let (_, instances) = expand(every);
    assert!(!instances.is_empty());
    for instance in &instances {
        let all = instance.every_depth.as_ref().expect("an instance of every depth");
        assert_eq!(all.train.period(), period, "at {}", instance.label());
        assert!(instance.params.iter().all(|(name, _)| name != "d"));
        for &d in ds {
            let train = all.train.train(d).unwrap_or_else(|e| panic!("{e}"));
            let mut params = instance.params.clone();
            params.push(("d".to_string(), d as i64));
            params.sort();
            let expected = &finite[&params];
            assert_eq!(train.cores().len(), d);
            for (k, (core, wanted)) in train.cores().iter().zip(expected).enumerate() {
                assert_eq!(core, wanted, "core {} at {} and d = {d}", k + 1, instance.label());
            }
        }
        let least = all.depths.first();
        let network = instance.network.train().expect("a tensor train");
        assert_eq!(network, &all.train.train(least).expect("the least depth"));
        assert!(instance
            .claims
            .iter()
            .all(|c| matches!(c.claim, Claim::EveryDepth { depths, .. } if depths == all.depths)));
    }
    instances
}

#[test]
fn khrulkov_eq9_for_every_even_d_is_the_train_of_each_d() {
    // The tt-ranks claims and the rank equality are decided per d only.
    let finite = without_finite_only_claims(&case_file("khrulkov2018-theorem1.toml"));
    let finite = replaced(&finite, "equal = \"q^(d/2)\"", "at-least = \"q^(d/2)\"");
    let every = replaced(&finite, "d = [2, 4, 6, 8]", "d = \"even\"");
    let instances = same_trains(&every, &finite, 2, &[2, 4, 6, 8]);
    assert_eq!(instances.len(), 16);
    let at = |n: i64, r: i64| {
        instances
            .iter()
            .find(|i| i.params == [("n".to_string(), n), ("r".to_string(), r)])
            .expect("the grid point")
    };
    let instance = at(3, 2);
    assert_eq!(instance.label(), "n=3, r=2, d=even");
    let claims: Vec<&Claim> = instance.claims.iter().map(|c| &c.claim).collect();
    let even = Depths { even: true, least: 2 };
    let every_d = |claim| Claim::EveryDepth { depths: even, claim };
    assert_eq!(
        claims,
        [
            &every_d(DepthClaim::IdentitySubmatrix { q: 2 }),
            &every_d(DepthClaim::RankAtLeast { base: 2, cp: false }),
            &every_d(DepthClaim::RankAtLeast { base: 2, cp: true }),
        ]
    );
    // Odd positions are 1 x n x r, even ones r x n x 1: the middle classes differ.
    let train = &instance.every_depth.as_ref().expect("every depth").train;
    assert_eq!(train.middle[0].shape(), (2, 3, 1));
    assert_eq!(train.middle[1].shape(), (1, 3, 2));
    assert_eq!(train.last.iter().map(|(c, _)| *c).collect::<Vec<_>>(), [0]);
}

#[test]
fn alkin_equal_cores_for_every_even_d_have_period_one() {
    let finite = without_finite_only_claims(&case_file("alkin2024-equal-core.toml"));
    let finite = replaced(
        &finite,
        "[[claim]]\nkind = \"support-structure\"\npath = \"if k % 2 == 1 { i } else { q + 1 }\"\n",
        "",
    );
    let every = replaced(&finite, "d = [2, 4, 6, 8]", "d = \"even\"");
    let instances = same_trains(&every, &finite, 1, &[2, 4, 6, 8]);
    assert_eq!(instances.len(), 30);
    for instance in &instances {
        let network = &instance.network;
        assert_eq!(network.kind(), "tt-equal", "at {}", instance.label());
    }
}

#[test]
fn a_support_path_in_k_mod_2_gives_an_equal_core_train_period_two() {
    let finite = without_finite_only_claims(&case_file("alkin2024-equal-core.toml"));
    let every = replaced(&finite, "d = [2, 4, 6, 8]", "d = \"even\"");
    let instances = same_trains(&every, &finite, 2, &[2, 4, 6, 8]);
    for instance in &instances {
        let train = &instance.every_depth.as_ref().expect("every depth").train;
        assert_eq!(train.middle[0], train.middle[1], "at {}", instance.label());
    }
    let instance = instances
        .iter()
        .find(|i| i.params == [("n".to_string(), 3), ("r".to_string(), 3)])
        .expect("n = 3, r = 3");
    // q = min(n, r - 1) = 2: odd bonds a_k = i_k, even ones the hub q + 1 = 3.
    let path = vec![vec![3, 3], vec![1, 2]];
    assert!(instance.claims.iter().any(|c| c.claim
        == Claim::EveryDepth {
            depths: Depths { even: true, least: 2 },
            claim: DepthClaim::SupportStructure {
                q: 2,
                path: path.clone()
            },
        }));
}

#[test]
fn every_d_includes_the_odd_ones_with_a_last_core_for_each_residue() {
    // Only the support claim: the odd/even matricization needs even d.
    let text = case_file("alkin2024-equal-core.toml");
    let support = text.find("# Lemma 3").expect("the support claim");
    let tt_ranks = text.find("# The thesis states").expect("the tt-ranks claim");
    let claims = text.find("[[claim]]").expect("the claims");
    let finite = format!("{}{}", &text[..claims], &text[support..tt_ranks]);
    let finite = replaced(&finite, "d = [2, 4, 6, 8]", "d = \"2..9\"");
    let every = replaced(&finite, "d = \"2..9\"", "d = \"all\"");
    let instances = same_trains(&every, &finite, 2, &[2, 3, 4, 5, 6, 7, 8, 9]);
    for instance in &instances {
        let all = instance.every_depth.as_ref().expect("every depth");
        assert_eq!(all.depths, Depths { even: false, least: 2 });
        assert_eq!(all.train.last.iter().map(|(c, _)| *c).collect::<Vec<_>>(), [0, 1]);
    }
}

#[test]
fn a_tt_whose_last_core_is_special_at_k_equal_d() {
    // The last core adds 1 to every entry: only k == d tells it.
    let finite = without_finite_only_claims(&case_file("khrulkov2018-theorem1.toml"));
    let finite = replaced(&finite, "equal = \"q^(d/2)\"", "at-least = \"q^(d/2)\"");
    let finite = replaced(
        &finite,
        "core = \"if k % 2 == 1 { [i == b] } else { [i == a] }\"",
        "core = \"if k % 2 == 1 { [i == b] } else { [i == a] + [d == k] }\"",
    );
    let finite = replaced(&finite, "d = [2, 4, 6, 8]", "d = [4, 6, 8, 10]");
    let every = replaced(&finite, "d = [4, 6, 8, 10]", "d = \"even >= 3\"");
    let instances = same_trains(&every, &finite, 2, &[4, 6, 8, 10]);
    let (case, _) = expand(&every);
    let instance = &instances[0];
    let train = &instance.every_depth.as_ref().expect("every depth").train;
    assert_eq!(train.last.len(), 1);
    assert_ne!(
        train.last[0].1, train.middle[0],
        "the last core is not an even middle one"
    );
    assert_eq!(instance.label(), "n=2, r=2, d=even>=4");
    assert_eq!(instance.network.mode_sizes().len(), 4);
    assert_eq!(file_name(&case, instance), "khrulkov2018-theorem1_n2_r2_deven4.cert");
}

#[test]
fn certificate_names_show_the_depths() {
    let text = without_finite_only_claims(&case_file("alkin2024-equal-core.toml"));
    // For odd d, only the support claim (the odd/even matricization needs even d).
    let claims = text.find("[[claim]]").expect("the claims");
    let support = text
        .find("[[claim]]\nkind = \"support-structure\"")
        .expect("the support claim");
    let support_only = format!("{}{}", &text[..claims], &text[support..]);
    for (depths, name) in [
        ("even", "_deven"),
        ("even >= 4", "_deven4"),
        ("even>=5", "_deven6"),
        ("all", "_dall"),
        ("all >= 3", "_dall3"),
    ] {
        let text = if depths.starts_with("all") {
            &support_only
        } else {
            &text
        };
        let text = replaced(text, "d = [2, 4, 6, 8]", &format!("d = \"{depths}\""));
        let (case, instances) = expand(&text);
        assert_eq!(
            file_name(&case, &instances[0]),
            format!("alkin2024-equal-core_n1_r2{name}.cert"),
            "d = {depths:?}"
        );
    }
}

#[test]
fn two_cases_whose_all_d_certificates_share_a_name_are_refused() {
    // `t` at r=3, n=2 and `t_r3` at n=2 both give t_r3_n2_deven.cert.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let case = |id: &str, r: &str| {
        format!(
            "[case]\nid = \"{id}\"\nsource = \"test\"\n[construction]\nkind = \"tt\"\n{r}n = 2\nd = \"even\"\nranks = \"2\"\n[construction.cores]\ncore = \"[a == b]\"\n[[claim]]\nkind = \"identity-submatrix\"\nmatricization = \"odd-even\"\nq = \"1\"\n"
        )
    };
    std::fs::write(dir.path().join("a.toml"), case("t", "r = 3\n")).expect("writable");
    std::fs::write(dir.path().join("b.toml"), case("t_r3", "")).expect("writable");
    let files = [dir.path().join("a.toml"), dir.path().join("b.toml")];
    let error = match tnproof::run::prepare(&files, ResourceLimit::default()) {
        Ok(_) => panic!("two certificates named alike were accepted"),
        Err(e) => e.to_string(),
    };
    assert!(
        error.contains("t_r3_n2_deven.cert would have the name of one of"),
        "{error}"
    );
}
