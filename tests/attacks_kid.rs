//! Attack class: `kid` injection (RFC 8725 §3.10: the `kid` is attacker input; CVE-2017-
//! 17405-style path traversal and SQL injection in key lookups). jwsgate compares `kid`
//! exactly against the configured keys' ids — it is never a path, a query or a pattern.

mod common;

use common::*;
use jwsgate::Algorithm;

/// Path traversal, SQL, NUL, newline, case variants, white space, URL encoding: all
/// `unknown_key`, on a token otherwise correctly signed by the P-256 key.
#[test]
fn injected_kids_are_unknown_keys() {
    let v = fixture().asymmetric_verifier();
    for kid in [
        "../../../../../../dev/null",
        "../p256",
        "p256/../p256",
        "/etc/passwd",
        "' OR '1'='1",
        "p256' --",
        "p256\\u0000",
        "\\u0000",
        "p256\\n",
        "p256\\r\\n",
        "P256",
        "P-256",
        " p256",
        "p256 ",
        "%70256",
        "p25",
        "p2566",
        "*",
        "",
    ] {
        let header = format!(r#"{{"alg":"ES256","kid":"{kid}"}}"#);
        assert_code(&v, &signed(Algorithm::ES256, &header), "unknown_key");
    }
}

/// A `kid` that is not a string is `malformed`, not ignored (ignoring it would fall back
/// to "the single key that fits").
#[test]
fn non_string_kids_are_malformed() {
    let v = fixture().asymmetric_verifier();
    for kid in [
        "1",
        "null",
        "true",
        r#"["p256"]"#,
        r#"{"kid":"p256"}"#,
        "0.5",
    ] {
        let header = format!(r#"{{"alg":"ES256","kid":{kid}}}"#);
        assert_code(&v, &signed(Algorithm::ES256, &header), "malformed");
    }
}

/// A `kid` over `MAX_KID_BYTES` is `malformed`; at the limit it is just unknown.
#[test]
fn overlong_kid_is_malformed() {
    let v = fixture().asymmetric_verifier();
    let at_limit = "k".repeat(jwsgate::limits::MAX_KID_BYTES);
    let header = format!(r#"{{"alg":"ES256","kid":"{at_limit}"}}"#);
    assert_code(&v, &signed(Algorithm::ES256, &header), "unknown_key");
    let over = "k".repeat(jwsgate::limits::MAX_KID_BYTES + 1);
    let header = format!(r#"{{"alg":"ES256","kid":"{over}"}}"#);
    assert_code(&v, &signed(Algorithm::ES256, &header), "malformed");
}

/// A `kid` naming a key of another kind does not verify with it: `algorithm_not_allowed`.
#[test]
fn kid_of_another_key_kind_is_algorithm_not_allowed() {
    let v = fixture().asymmetric_verifier();
    let header = r#"{"alg":"ES256","kid":"rsa"}"#;
    assert_code(
        &v,
        &signed(Algorithm::ES256, header),
        "algorithm_not_allowed",
    );
}

/// JSON escapes are decoded before comparing (RFC 8259): `"\u0070256"` is `p256`.
#[test]
fn escaped_kid_is_compared_after_unescaping() {
    let v = fixture().asymmetric_verifier();
    assert_valid(
        &v,
        &signed(Algorithm::ES256, r#"{"alg":"ES256","kid":"\u0070256"}"#),
    );
}
