//! The typestate builder refuses unsafe combinations at compile time. Each refusal in
//! tests/ui/fail has a compiling twin in tests/ui/pass that differs only in the unsafe
//! part, so a refusal cannot pass by failing for an unrelated reason.

#[test]
fn unsafe_configurations_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}

#[test]
fn every_refusal_has_a_twin() {
    let names = |dir: &str| {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".rs"))
            .collect();
        v.sort();
        v
    };
    let fail = names("tests/ui/fail");
    let pass = names("tests/ui/pass");
    assert!(fail.len() >= 7, "{fail:?}");
    for f in &fail {
        // str_as_hmac_key shares its twin with raw_bytes_as_hmac_key.
        let twin = if f == "str_as_hmac_key.rs" {
            "raw_bytes_as_hmac_key.rs"
        } else {
            f
        };
        assert!(pass.iter().any(|p| p == twin), "no twin for {f}");
    }
}

/// The remote JWK Set is an asymmetric key source like the others (feature `remote`).
#[cfg(feature = "remote")]
#[test]
fn unsafe_remote_configurations_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/remote/fail/*.rs");
    t.pass("tests/ui/remote/pass/*.rs");
}
