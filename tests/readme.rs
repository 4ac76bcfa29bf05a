//! The README's library quick start is the code `examples/typed_claims.rs` runs (between
//! its `README:start` / `README:end` markers) and the crate root's doctest: the three
//! cannot drift apart, so the README's code is compiled and run.

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// The trimmed, non-empty lines of `text` from the line after the one containing
/// `from` up to the line containing `to`.
fn between(text: &str, from: &str, to: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| !l.contains(from))
        .skip(1)
        .take_while(|l| !l.contains(to))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn readme_quick_start_is_the_example_and_the_crate_doctest() {
    let example = between(
        &read("examples/typed_claims.rs"),
        "README:start",
        "README:end",
    );
    assert!(example.len() >= 8, "{example:?}");
    let readme = read("README.md");
    let block = between(&readme, "## Use it as a library", "```\n");
    let code: Vec<String> = block
        .iter()
        .skip_while(|l| !l.starts_with("```rust"))
        .skip(1)
        .take_while(|l| !l.starts_with("```"))
        .cloned()
        .collect();
    assert!(code.len() <= 15, "the quick start has {} lines", code.len());
    let body: Vec<String> = code
        .iter()
        .skip_while(|l| !l.starts_with("struct MyClaims"))
        .skip(1)
        .cloned()
        .collect();
    assert_eq!(body, example, "README quick start differs from the example");
    let lib: Vec<String> = read("src/lib.rs")
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let at = lib
        .iter()
        .position(|l| l.starts_with("struct MyClaims"))
        .expect("crate root quick start");
    assert_eq!(lib.get(at + 1..at + 1 + body.len()), Some(&body[..]));
}
