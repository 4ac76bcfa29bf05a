//! Attack class: token-type confusion (RFC 8725 §3.11 explicit typing; RFC 9068 §4:
//! access tokens carry `typ: at+jwt`). An ID token, a logout token or any other JWT signed
//! by the same issuer with the same key must not pass as an access token.

mod common;

use common::*;
use jwsgate::{Algorithm, Verifier};

fn at_jwt_verifier() -> Verifier {
    Verifier::builder()
        .hmac_key(fixture().hmac_key())
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .require_type("at+jwt")
        .build()
        .unwrap()
}

/// RFC 8725 §3.11: other types, or none, are `invalid_type` — including near misses.
#[test]
fn other_token_types_are_invalid_type() {
    let v = at_jwt_verifier();
    for header in [
        r#"{"alg":"HS256"}"#,
        r#"{"alg":"HS256","typ":"JWT"}"#,
        r#"{"alg":"HS256","typ":"application/jwt"}"#,
        r#"{"alg":"HS256","typ":"logout+jwt"}"#,
        r#"{"alg":"HS256","typ":"secevent+jwt"}"#,
        r#"{"alg":"HS256","typ":"at+jwt "}"#,
        r#"{"alg":"HS256","typ":"at+jwt\u0000"}"#,
        r#"{"alg":"HS256","typ":"application/application/at+jwt"}"#,
        r#"{"alg":"HS256","typ":"x-at+jwt"}"#,
        r#"{"alg":"HS256","typ":""}"#,
        r#"{"alg":"HS256","cty":"at+jwt"}"#,
    ] {
        assert_code(&v, &signed(Algorithm::HS256, header), "invalid_type");
    }
}

/// A non-string `typ` is `malformed`.
#[test]
fn non_string_typ_is_malformed() {
    let v = at_jwt_verifier();
    for typ in ["1", "null", r#"["at+jwt"]"#] {
        let header = format!(r#"{{"alg":"HS256","typ":{typ}}}"#);
        assert_code(&v, &signed(Algorithm::HS256, &header), "malformed");
    }
}

/// RFC 7515 §4.1.9: the comparison is case-insensitive with `application/` optional, and
/// JSON escapes are decoded first.
#[test]
fn the_required_type_in_its_allowed_spellings_verifies() {
    let v = at_jwt_verifier();
    for typ in [
        "at+jwt",
        "AT+JWT",
        "application/at+jwt",
        "Application/At+Jwt",
        r"at\u002bjwt",
    ] {
        let header = format!(r#"{{"alg":"HS256","typ":"{typ}"}}"#);
        assert_valid(&v, &signed(Algorithm::HS256, &header));
    }
}
