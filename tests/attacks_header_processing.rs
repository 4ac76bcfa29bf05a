//! Attack class: header parameters that change how the token must be processed, and
//! duplicate header members.
//!
//! * `crit` bypass (CVE-2026-32597 class; RFC 7515 §4.1.11): a `crit` extension the
//!   verifier does not understand must fail the token, never be ignored.
//! * `b64: false` (RFC 7797): the payload would not be base64url; jwsgate does not do it.
//! * `zip` (RFC 7516 §4.1.3, JWE only) and `enc`.
//! * Duplicate member names (RFC 7515 §4, RFC 8725 §3.3 on parser differentials),
//!   including escaped duplicates (`"\u0061lg"`), in the header and in the claims.
//!
//! Every token here is correctly signed, so each refusal comes from the defence under test.

mod common;

use common::*;
use jwsgate::Algorithm;

fn hs(header: &str) -> String {
    signed(Algorithm::HS256, header)
}

/// RFC 7515 §4.1.11: `crit` naming anything jwsgate does not process — a private
/// extension, a registered name, `exp` — is `unsupported_header`.
#[test]
fn crit_with_unknown_or_registered_names_is_unsupported_header() {
    let v = fixture().hmac_verifier();
    for header in [
        r#"{"alg":"HS256","crit":["exp"],"exp":1}"#,
        r#"{"alg":"HS256","crit":["http://example.invalid/ext"],"http://example.invalid/ext":true}"#,
        r#"{"alg":"HS256","crit":["alg"]}"#,
        r#"{"alg":"HS256","crit":["kid"],"kid":"hmac"}"#,
        r#"{"alg":"HS256","crit":["b64","x"],"b64":true,"x":1}"#,
        r#"{"alg":"HS256","crit":["\u0078"],"x":1}"#,
        r#"{"alg":"HS256","crit":["b64 "],"b64":true}"#,
    ] {
        assert_code(&v, &hs(header), "unsupported_header");
    }
}

/// A `crit` that is empty, not an array, holds a non-string, or names an absent parameter
/// is `malformed` (RFC 7515 §4.1.11: "MUST NOT be an empty list", names must be present).
#[test]
fn malformed_crit_is_malformed() {
    let v = fixture().hmac_verifier();
    for header in [
        r#"{"alg":"HS256","crit":[]}"#,
        r#"{"alg":"HS256","crit":"b64","b64":true}"#,
        r#"{"alg":"HS256","crit":[1]}"#,
        r#"{"alg":"HS256","crit":null}"#,
        r#"{"alg":"HS256","crit":["b64"]}"#,
    ] {
        assert_code(&v, &hs(header), "malformed");
    }
}

/// RFC 7797: `b64: false`, with or without `crit`, is `unsupported_header`; a non-boolean
/// `b64` is `malformed`; `b64: true` with `crit: ["b64"]` is ordinary JWS and verifies.
#[test]
fn b64_false_is_unsupported_header() {
    let v = fixture().hmac_verifier();
    assert_code(
        &v,
        &hs(r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#),
        "unsupported_header",
    );
    assert_code(
        &v,
        &hs(r#"{"alg":"HS256","b64":false}"#),
        "unsupported_header",
    );
    assert_code(
        &v,
        &hs(r#"{"alg":"HS256","b64":"false","crit":["b64"]}"#),
        "malformed",
    );
    assert_code(&v, &hs(r#"{"alg":"HS256","b64":0}"#), "malformed");
    assert_valid(&v, &hs(r#"{"alg":"HS256","b64":true,"crit":["b64"]}"#));
    // The unencoded-payload form itself: payload bytes in clear between the dots.
    let f = fixture();
    let header = b64(br#"{"alg":"HS256","b64":false,"crit":["b64"]}"#);
    let input = format!("{header}.{GOOD_CLAIMS}");
    let sig = f.sign(Algorithm::HS256, input.as_bytes());
    assert_code(&v, &format!("{input}.{}", b64(&sig)), "malformed");
    let detached = format!("{header}..{}", b64(&sig));
    let mut scratch = jwsgate::Scratch::new();
    let err = v
        .verify_jws(
            &mut scratch,
            detached.as_bytes(),
            Some(GOOD_CLAIMS.as_bytes()),
        )
        .map(|_| ())
        .unwrap_err();
    assert_eq!(err.code(), "unsupported_header");
}

/// `zip` (compression, JWE only) and `enc` (a JWE header) are `unsupported_header`.
#[test]
fn zip_and_enc_are_unsupported_header() {
    let v = fixture().hmac_verifier();
    for header in [
        r#"{"alg":"HS256","zip":"DEF"}"#,
        r#"{"alg":"HS256","zip":null}"#,
        r#"{"alg":"HS256","enc":"A256GCM"}"#,
    ] {
        assert_code(&v, &hs(header), "unsupported_header");
    }
}

/// RFC 7515 §4 / RFC 8725 §3.3: duplicate header names are `malformed`, compared after
/// unescaping, whichever member is duplicated and whichever value comes first.
#[test]
fn duplicate_header_members_are_malformed() {
    let v = fixture().hmac_verifier();
    for header in [
        r#"{"alg":"HS256","alg":"HS256"}"#,
        r#"{"alg":"HS256","alg":"none"}"#,
        r#"{"alg":"none","alg":"HS256"}"#,
        r#"{"alg":"HS256","\u0061lg":"HS256"}"#,
        r#"{"\u0061\u006c\u0067":"HS256","alg":"HS256"}"#,
        r#"{"alg":"HS256","kid":"hmac","kid":"other"}"#,
        r#"{"alg":"HS256","typ":"JWT","t\u0079p":"at+jwt"}"#,
        r#"{"alg":"HS256","crit":["b64"],"b64":true,"crit":["b64"]}"#,
        r#"{"alg":"HS256","x":1,"x":2}"#,
        r#"{"alg":"HS256","x\ud83d\ude00":1,"x😀":2}"#,
    ] {
        assert_code(&v, &hs(header), "malformed");
    }
}

/// RFC 7519 §4: duplicate claim names are refused (`malformed`), escaped or not — so no
/// two readers of the same token can disagree on `exp`, `aud` or `iss`.
#[test]
fn duplicate_claims_are_malformed() {
    let v = fixture().hmac_verifier();
    for claims in [
        r#"{"iss":"https://issuer.example","aud":"api://jwsgate","exp":1700000600,"exp":1}"#,
        r#"{"iss":"https://issuer.example","aud":"api://jwsgate","exp":1,"\u0065xp":1700000600}"#,
        r#"{"iss":"https://issuer.example","aud":"api://jwsgate","exp":1700000600,"aud":"other"}"#,
        r#"{"iss":"https://evil.example","\u0069ss":"https://issuer.example","aud":"api://jwsgate","exp":1700000600}"#,
        r#"{"iss":"https://issuer.example","aud":"api://jwsgate","exp":1700000600,"x":1,"x":1}"#,
    ] {
        assert_code(&v, &signed_claims(Algorithm::HS256, claims), "malformed");
    }
}
