//! Attack class: resource exhaustion through the token text.
//!
//! * JSON depth bombs (CVE-2025-53864, nimbus-jose-jwt: deeply nested JSON, stack
//!   overflow): refused at `MAX_JSON_DEPTH`, no recursion past it, bounded time.
//! * Many segments (CVE-2025-27144, go-jose: `strings.Split` on a token of dots):
//!   the split stops at the third dot, no allocation.
//! * Tokens over the size limit are refused before any decoding (`token_too_large`).
//! * Member and array-item counts are bounded.

mod common;

use std::time::{Duration, Instant};

use common::*;
use jwsgate::Algorithm;
use jwsgate::limits::{MAX_CLAIMS_MEMBERS, MAX_HEADER_MEMBERS, MAX_JSON_DEPTH};

const BOUND: Duration = Duration::from_secs(2);

#[track_caller]
fn timed_code(v: &jwsgate::Verifier, token: &str, code: &str) {
    let start = Instant::now();
    assert_code(v, token, code);
    assert!(start.elapsed() < BOUND, "took {:?}", start.elapsed());
}

fn nested(depth: usize) -> String {
    format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
}

/// CVE-2025-53864: a header nested past the depth limit is `malformed`, quickly; just
/// inside the limit it is accepted (a member at depth 1 may nest MAX_JSON_DEPTH levels).
#[test]
fn header_depth_bomb_is_malformed() {
    let v = fixture().hmac_verifier();
    let deep = format!(r#"{{"alg":"HS256","x":{}}}"#, nested(600));
    timed_code(&v, &signed(Algorithm::HS256, &deep), "malformed");
    let objects = format!(
        r#"{{"alg":"HS256","x":{}1{}}}"#,
        r#"{"a":"#.repeat(200),
        "}".repeat(200)
    );
    timed_code(&v, &signed(Algorithm::HS256, &objects), "malformed");
    let edge = format!(r#"{{"alg":"HS256","x":{}}}"#, nested(MAX_JSON_DEPTH));
    assert_valid(&v, &signed(Algorithm::HS256, &edge));
    let over = format!(r#"{{"alg":"HS256","x":{}}}"#, nested(MAX_JSON_DEPTH + 1));
    assert_code(&v, &signed(Algorithm::HS256, &over), "malformed");
}

/// The same bomb in the claims (behind a valid signature): `malformed`, bounded time, no
/// stack overflow — with the largest payload the default size limit lets through.
#[test]
fn claims_depth_bomb_is_malformed() {
    let v = fixture().hmac_verifier();
    let good = GOOD_CLAIMS.trim_end_matches('}');
    for depth in [MAX_JSON_DEPTH + 1, 1000, 2900] {
        let claims = format!(r#"{good},"x":{}}}"#, nested(depth));
        timed_code(&v, &signed_claims(Algorithm::HS256, &claims), "malformed");
    }
    let edge = format!(r#"{good},"x":{}}}"#, nested(MAX_JSON_DEPTH));
    assert_valid(&v, &signed_claims(Algorithm::HS256, &edge));
}

/// CVE-2025-27144: thousands of dots are `malformed` at once (the split stops at the
/// third), whatever follows.
#[test]
fn many_segments_are_malformed_quickly() {
    let v = fixture().hmac_verifier();
    timed_code(&v, &".".repeat(8000), "malformed");
    timed_code(&v, &"a.".repeat(4000), "malformed");
    let token = fixture().good_token(Algorithm::HS256);
    timed_code(&v, &format!("{token}.{token}"), "malformed");
}

/// Over the size limit: `token_too_large`, before decoding — proven by tokens that would
/// otherwise be `malformed` (bad alphabet, JSON serialization) or valid.
#[test]
fn oversized_tokens_are_refused_before_decoding() {
    let f = fixture();
    let v = f.hmac_verifier();
    let max = v.max_token_bytes();
    assert_eq!(max, jwsgate::limits::DEFAULT_MAX_TOKEN_BYTES);
    for token in [
        "{".repeat(max + 1),
        "=".repeat(10 * max),
        "a.b.c".to_string() + &" ".repeat(max),
    ] {
        let err = check(&v, &token).unwrap_err();
        assert_eq!(
            err,
            jwsgate::Error::TokenTooLarge {
                len: token.len(),
                max
            }
        );
    }
    // A valid token padded with a long claim: refused just over the limit, accepted at it.
    let sized = |len: usize| {
        let mut pad = 0;
        loop {
            let claims = GOOD_CLAIMS.replace("alice", &format!("alice{}", "x".repeat(pad)));
            let t = signed_claims(Algorithm::HS256, &claims);
            if t.len() >= len {
                return t;
            }
            pad += 1;
        }
    };
    let small = jwsgate::Verifier::builder()
        .hmac_key(f.hmac_key())
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .max_token_bytes(600)
        .build()
        .unwrap();
    let at = sized(598);
    assert!(at.len() <= 600, "{}", at.len());
    assert_valid(&small, &at);
    let over = sized(601);
    assert_eq!(
        check(&small, &over),
        Err(jwsgate::Error::TokenTooLarge {
            len: over.len(),
            max: 600
        })
    );
}

/// Member counts are bounded: a header of more than `MAX_HEADER_MEMBERS` members and
/// claims of more than `MAX_CLAIMS_MEMBERS` are `malformed`; `aud` with more than
/// `MAX_ARRAY_ITEMS` entries is `invalid_claim`.
#[test]
fn member_and_item_counts_are_bounded() {
    let v = fixture().hmac_verifier();
    let members = |n: usize| (0..n).map(|i| format!(r#","m{i}":0"#)).collect::<String>();
    let header = format!(r#"{{"alg":"HS256"{}}}"#, members(MAX_HEADER_MEMBERS));
    assert_code(&v, &signed(Algorithm::HS256, &header), "malformed");
    let header = format!(r#"{{"alg":"HS256"{}}}"#, members(MAX_HEADER_MEMBERS - 1));
    assert_valid(&v, &signed(Algorithm::HS256, &header));
    let good = GOOD_CLAIMS.trim_end_matches('}');
    let claims = format!("{good}{}}}", members(MAX_CLAIMS_MEMBERS));
    assert_code(&v, &signed_claims(Algorithm::HS256, &claims), "malformed");
    let items = vec![format!("\"{AUDIENCE}\""); jwsgate::limits::MAX_ARRAY_ITEMS + 1].join(",");
    let claims = GOOD_CLAIMS.replace(r#""aud":"api://jwsgate""#, &format!(r#""aud":[{items}]"#));
    assert_code(
        &v,
        &signed_claims(Algorithm::HS256, &claims),
        "invalid_claim",
    );
}

/// Escape-heavy strings (every byte a `\uXXXX`) in the header and claims are handled in
/// bounded time.
#[test]
fn escape_heavy_json_is_bounded() {
    let v = fixture().hmac_verifier();
    let esc = r"\u0061".repeat(160);
    let header = format!(r#"{{"alg":"HS256","{esc}":"{esc}"}}"#);
    let start = Instant::now();
    assert_valid(&v, &signed(Algorithm::HS256, &header));
    let claims = GOOD_CLAIMS.replace("alice", &r"\u00e9".repeat(900));
    assert_valid(&v, &signed_claims(Algorithm::HS256, &claims));
    assert!(start.elapsed() < BOUND);
}
