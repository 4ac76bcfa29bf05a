//! Attack class: other JOSE serializations passed where a compact JWS is expected.
//!
//! * JWE (five segments, RFC 7516 §7.1) and a JWE header on three segments.
//! * JSON serialization and compact/JSON polyglots (CVE-2022-39227, python-jwt: a JSON
//!   document whose key holds a compact token lets a forged payload ride on a real
//!   signature).
//! * Nested tokens (`cty: JWT`, RFC 7519 §5.2): never unwrapped (RFC 8725 §2.8 on
//!   substitution); jwsgate refuses them rather than verifying the inner token.

mod common;

use common::*;
use jwsgate::Algorithm;

/// RFC 7516 §7.1: a JWE's five segments are `malformed`; a three-segment token with a JWE
/// header (`enc`) is `unsupported_header`.
#[test]
fn jwe_is_refused() {
    let v = fixture().hmac_verifier();
    let token = fixture().good_token(Algorithm::HS256);
    let (h, rest) = token.split_once('.').unwrap();
    assert_code(&v, &format!("{h}.{rest}.AAAA.BBBB"), "malformed");
    let jwe_header = b64(br#"{"alg":"dir","enc":"A256GCM"}"#);
    assert_code(
        &v,
        &format!("{jwe_header}..AAAAAAAAAAAAAAAA.BBBB.CCCC"),
        "malformed",
    );
    assert_code(
        &v,
        &format!("{jwe_header}.AAAA.BBBB.CCCC.DDDD"),
        "malformed",
    );
    assert_code(
        &v,
        &signed(Algorithm::HS256, r#"{"alg":"HS256","enc":"A256GCM"}"#),
        "unsupported_header",
    );
    assert_code(
        &v,
        &format!("{jwe_header}.AAAA.BBBB"),
        "unsupported_algorithm",
    );
}

/// CVE-2022-39227: the JSON serializations (general and flattened) and the python-jwt
/// polyglot — a real compact token hidden in a JSON key next to a forged payload — are all
/// `malformed`; jwsgate reads compact tokens only.
#[test]
fn json_serialization_and_polyglots_are_malformed() {
    let v = fixture().hmac_verifier();
    let token = fixture().good_token(Algorithm::HS256);
    let mut parts = token.split('.');
    let (h, p, s) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let forged = b64(GOOD_CLAIMS.replace("alice", "admin").as_bytes());
    for doc in [
        format!(r#"{{"payload":"{p}","protected":"{h}","signature":"{s}"}}"#),
        format!(r#"{{"payload":"{p}","signatures":[{{"protected":"{h}","signature":"{s}"}}]}}"#),
        format!(r#"{{"  {h}.{forged}.":"","protected":"{h}","payload":"{p}","signature":"{s}"}}"#),
        format!(r#"{{"{h}.{p}.{s}":1}}"#),
        format!(" {token}"),
        format!("{token}\n"),
        format!("Bearer {token}"),
        format!("\"{token}\""),
    ] {
        assert_code(&v, &doc, "malformed");
    }
    assert_valid(&v, &token);
}

/// RFC 7519 §5.2: `cty: JWT` announces a nested token. jwsgate does not unwrap it: the
/// outer token, correctly signed around a correctly signed inner token, is
/// `unsupported_header` in every spelling RFC 7515 §4.1.10 allows (case-insensitive,
/// `application/` optional).
#[test]
fn nested_tokens_are_never_unwrapped() {
    let f = fixture();
    let v = f.hmac_verifier();
    let inner = f.good_token(Algorithm::HS256);
    for cty in [
        "JWT",
        "jwt",
        "Jwt",
        "application/jwt",
        "application/JWT",
        "Application/Jwt",
        r"\u004aWT",
    ] {
        let header = format!(r#"{{"alg":"HS256","cty":"{cty}"}}"#);
        // Inner token as payload, and ordinary claims as payload: both refused.
        let nested = f.token(Algorithm::HS256, &header, inner.as_bytes());
        assert_code(&v, &nested, "unsupported_header");
        let plain = f.token(Algorithm::HS256, &header, GOOD_CLAIMS.as_bytes());
        assert_code(&v, &plain, "unsupported_header");
    }
    // Without `cty`, an inner token as payload is simply not a claims set.
    let nested = f.token(Algorithm::HS256, r#"{"alg":"HS256"}"#, inner.as_bytes());
    assert_code(&v, &nested, "malformed");
    // Another content type does not make a token nested.
    assert_valid(
        &v,
        &f.token(
            Algorithm::HS256,
            r#"{"alg":"HS256","cty":"json"}"#,
            GOOD_CLAIMS.as_bytes(),
        ),
    );
}
