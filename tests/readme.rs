//! What the README and CITATION.cff promise a new user: the README's first code block is the two
//! commands that set up and run everything (`.ci/run` runs them from there), and the citation
//! names the version the crate has.

/// The lines of the first fenced code block of `text`.
fn first_code_block(text: &str) -> Vec<&str> {
    text.lines()
        .skip_while(|l| !l.starts_with("```"))
        .skip(1)
        .take_while(|l| !l.starts_with("```"))
        .collect()
}

#[test]
fn the_readme_begins_with_the_two_commands_that_set_up_and_run_the_project() {
    let readme = include_str!("../README.md");
    assert_eq!(
        first_code_block(readme),
        ["cargo run --release -- verify", "cargo test"]
    );
    // `cargo test` at the root tests the kernel crate too.
    let manifest = include_str!("../Cargo.toml");
    assert!(manifest.contains("default-members = [\".\", \"kernel\"]"), "{manifest}");
}

#[test]
fn the_citation_names_this_version() {
    let citation = include_str!("../CITATION.cff");
    assert!(citation.starts_with("cff-version: 1.2.0\n"), "{citation}");
    let version = citation
        .lines()
        .find_map(|l| l.strip_prefix("version: "))
        .expect("a version line");
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
}
