//! Attack class: `alg: none` (RFC 8725 §2.1, §3.1; RFC 7518 §3.6; CVE-2015-9235 and the
//! long line of "none" bypasses). jwsgate has no `none` algorithm at all: every spelling,
//! escaped or not, with or without a signature, is `unsupported_algorithm`, for every key
//! source.

mod common;

use common::*;
use jwsgate::Algorithm;

const NONE_SPELLINGS: [&str; 10] = [
    "none",
    "None",
    "NONE",
    "nOnE",
    "noNe",
    r"n\u006fne",
    r"\u006e\u006f\u006e\u0065",
    r"N\u004fNE",
    "none ",
    " none",
];

fn none_tokens() -> Vec<String> {
    let f = fixture();
    let mut out = Vec::new();
    for spelling in NONE_SPELLINGS {
        let header = format!(r#"{{"alg":"{spelling}","typ":"JWT"}}"#);
        let unsigned = format!(
            "{}.{}.",
            b64(header.as_bytes()),
            b64(GOOD_CLAIMS.as_bytes())
        );
        out.push(unsigned.clone());
        // With a signature: garbage, and a genuine HMAC and ECDSA signature over the input.
        out.push(format!("{unsigned}{}", b64(b"sig")));
        for alg in [Algorithm::HS256, Algorithm::ES256] {
            out.push(f.token(alg, &header, GOOD_CLAIMS.as_bytes()));
        }
        // With a kid naming a real key.
        let with_kid = format!(r#"{{"alg":"{spelling}","kid":"hmac"}}"#);
        out.push(f.token(Algorithm::HS256, &with_kid, GOOD_CLAIMS.as_bytes()));
    }
    out
}

/// RFC 8725 §3.1, CVE-2015-9235: `none` in every casing and escape, unsigned and signed,
/// is refused by the HMAC verifier and by the public-key verifier.
#[test]
fn alg_none_in_every_spelling_is_unsupported_algorithm() {
    let f = fixture();
    for v in [f.hmac_verifier(), f.asymmetric_verifier()] {
        for token in none_tokens() {
            assert_code(&v, &token, "unsupported_algorithm");
        }
    }
}

/// The same holds on the signature-only path (`verify_jws`, RFC 7515, no claims).
#[test]
fn alg_none_is_refused_by_verify_jws_too() {
    let f = fixture();
    let v = f.hmac_verifier();
    for token in none_tokens() {
        let mut scratch = jwsgate::Scratch::new();
        let err = v
            .verify_jws(&mut scratch, token.as_bytes(), None)
            .map(|_| ())
            .unwrap_err();
        assert_eq!(err.code(), "unsupported_algorithm", "{token}");
    }
}

/// A missing, empty, non-string or near-miss `alg` is `unsupported_algorithm` too (RFC
/// 7515 §4.1.1: `alg` is required and case-sensitive).
#[test]
fn missing_or_odd_alg_is_unsupported_algorithm() {
    let f = fixture();
    let v = f.hmac_verifier();
    for header in [
        r#"{"typ":"JWT"}"#,
        r#"{"alg":""}"#,
        r#"{"alg":null}"#,
        r#"{"alg":256}"#,
        r#"{"alg":["HS256"]}"#,
        r#"{"alg":{"name":"HS256"}}"#,
        r#"{"alg":"hs256"}"#,
        r#"{"alg":"HS256\u0000"}"#,
        r#"{"alg":"\u0048S256"}"#,
        r#"{"alg":"HS1"}"#,
        r#"{"alg":"ES256K"}"#,
    ] {
        assert_code(
            &v,
            &signed(Algorithm::HS256, header),
            "unsupported_algorithm",
        );
    }
    // The control: the same token with a plain "HS256" verifies.
    assert_valid(&v, &signed(Algorithm::HS256, r#"{"alg":"HS256"}"#));
}
