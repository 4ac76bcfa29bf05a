//! Attack class: wrongly typed registered claims (CVE-2026-25537 class: `exp` sent as a
//! string and then skipped or mis-compared; RFC 7519 §2 NumericDate, §4.1) and missing
//! required claims. Each token is correctly signed, so only the claims check refuses it.

mod common;

use common::*;
use jwsgate::Algorithm;

const BASE: &str = r#""iss":"https://issuer.example","aud":"api://jwsgate""#;

fn claims_code(claims: &str, code: &str) {
    let v = fixture().hmac_verifier();
    assert_code(&v, &signed_claims(Algorithm::HS256, claims), code);
}

/// CVE-2026-25537 class: `exp`, `nbf` and `iat` of any JSON type but number are
/// `invalid_claim` — a string is never parsed, never skipped.
#[test]
fn time_claims_of_the_wrong_type_are_invalid_claim() {
    for value in [
        r#""1700000600""#,
        r#""2099-01-01T00:00:00Z""#,
        "true",
        "null",
        "[1700000600]",
        r#"{"v":1700000600}"#,
    ] {
        claims_code(&format!(r#"{{{BASE},"exp":{value}}}"#), "invalid_claim");
        claims_code(
            &format!(r#"{{{BASE},"exp":1700000600,"nbf":{value}}}"#),
            "invalid_claim",
        );
        claims_code(
            &format!(r#"{{{BASE},"exp":1700000600,"iat":{value}}}"#),
            "invalid_claim",
        );
    }
}

/// `iss`, `sub`, `jti`, `client_id` and `scope` must be strings; `aud` a string or an array
/// of strings: otherwise `invalid_claim` (never coerced).
#[test]
fn string_claims_of_the_wrong_type_are_invalid_claim() {
    let e = r#""exp":1700000600"#;
    for claims in [
        format!(r#"{{"iss":1,"aud":"api://jwsgate",{e}}}"#),
        format!(r#"{{"iss":["https://issuer.example"],"aud":"api://jwsgate",{e}}}"#),
        format!(r#"{{{BASE},{e},"sub":1}}"#),
        format!(r#"{{{BASE},{e},"jti":{{}}}}"#),
        format!(r#"{{{BASE},{e},"client_id":false}}"#),
        format!(r#"{{{BASE},{e},"scope":["read"]}}"#),
        format!(r#"{{"iss":"https://issuer.example","aud":1,{e}}}"#),
        format!(r#"{{"iss":"https://issuer.example","aud":["api://jwsgate",1],{e}}}"#),
        format!(r#"{{"iss":"https://issuer.example","aud":{{"0":"api://jwsgate"}},{e}}}"#),
        format!(r#"{{"iss":"https://issuer.example","aud":null,{e}}}"#),
        format!(r#"{{{BASE},{e},"scp":[1]}}"#),
    ] {
        claims_code(&claims, "invalid_claim");
    }
}

/// `exp` is required; `iss` and `aud` when the verifier checks them: `missing_claim`.
#[test]
fn missing_required_claims_are_missing_claim() {
    claims_code(&format!("{{{BASE}}}"), "missing_claim");
    claims_code(
        r#"{"aud":"api://jwsgate","exp":1700000600}"#,
        "missing_claim",
    );
    claims_code(
        r#"{"iss":"https://issuer.example","exp":1700000600}"#,
        "missing_claim",
    );
}

/// Times are judged exactly (RFC 7519 §4.1.4–4.1.6 with the default 60 s leeway): `exp`
/// just past (now - leeway) is `expired`, `nbf` or `iat` beyond (now + leeway) refused;
/// NumericDate fractions and exponents are numbers like any other.
#[test]
fn time_claims_are_judged_at_the_boundary() {
    let now = NOW.as_secs();
    let exp = |e: &str| format!(r#"{{{BASE},"exp":{e}}}"#);
    claims_code(&exp(&(now - 60).to_string()), "expired");
    claims_code(&exp(&format!("{}.5", now - 61)), "expired");
    claims_code(&exp("0"), "expired");
    let v = fixture().hmac_verifier();
    for good in [
        format!("{}", now - 59),
        format!("{}.5", now - 60),
        "1.7000006e9".into(),
        "253402300799.9".into(),
    ] {
        assert_valid(&v, &signed_claims(Algorithm::HS256, &exp(&good)));
    }
    let with = |m: &str, t: u64| format!(r#"{{{BASE},"exp":{},"{m}":{t}}}"#, now + 600);
    claims_code(&with("nbf", now + 61), "not_yet_valid");
    assert_valid(&v, &signed_claims(Algorithm::HS256, &with("nbf", now + 60)));
    claims_code(&with("iat", now + 61), "invalid_claim");
    assert_valid(&v, &signed_claims(Algorithm::HS256, &with("iat", now + 60)));
}

/// Issuer and audience are compared exactly: no prefix, suffix, case or trailing-slash
/// leniency (RFC 7519 §4.1.1, §4.1.3).
#[test]
fn issuer_and_audience_are_compared_exactly() {
    let e = r#""exp":1700000600"#;
    for iss in [
        "https://issuer.example/",
        "https://ISSUER.example",
        "https://issuer.example.evil",
        "issuer.example",
        "",
    ] {
        claims_code(
            &format!(r#"{{"iss":"{iss}","aud":"api://jwsgate",{e}}}"#),
            "invalid_issuer",
        );
    }
    for aud in [
        r#""api://jwsgate/""#,
        r#""API://jwsgate""#,
        r#"["api://jwsgat"]"#,
        "[]",
        r#""""#,
    ] {
        claims_code(
            &format!(r#"{{"iss":"https://issuer.example","aud":{aud},{e}}}"#),
            "invalid_audience",
        );
    }
}

/// Times are compared exactly from the JSON text, at any precision (an `f64` would round
/// each of these to the boundary second and decide the other way): with now = 1700000000
/// and the default 60 s leeway, `nbf` a hair after now + leeway is `not_yet_valid`, `exp`
/// a hair after now - leeway still valid, and exponent forms are exact too.
#[test]
fn time_claims_are_compared_exactly_at_any_precision() {
    let now = NOW.as_secs();
    assert_eq!(now, 1_700_000_000);
    let v = fixture().hmac_verifier();
    let exp = |e: &str| format!(r#"{{{BASE},"exp":{e}}}"#);
    let with = |m: &str, t: &str| format!(r#"{{{BASE},"exp":{},"{m}":{t}}}"#, now + 600);
    for late in [
        "1700000060.00000001",
        "1700000060.000000000000000000000000001",
        "1.70000006000000001e9",
        "170000006000000001e-8",
    ] {
        claims_code(&with("nbf", late), "not_yet_valid");
        claims_code(&with("iat", late), "invalid_claim");
    }
    for on_time in [
        "1700000060",
        "1700000060.000",
        "1.70000006e9",
        "170000006e1",
    ] {
        assert_valid(&v, &signed_claims(Algorithm::HS256, &with("nbf", on_time)));
        assert_valid(&v, &signed_claims(Algorithm::HS256, &with("iat", on_time)));
    }
    for alive in [
        "1699999940.0000001",
        "1699999940.000000000000000000000000001",
        "1.6999999400000001e9",
    ] {
        assert_valid(&v, &signed_claims(Algorithm::HS256, &exp(alive)));
    }
    for dead in ["1699999940", "1699999940.0", "1.69999994e9", "169999994e1"] {
        claims_code(&exp(dead), "expired");
    }
}

/// Time claims outside 1970-01-01 .. 9999-12-31 are `invalid_claim`, whatever the claim:
/// numbers an `f64` reader turns into infinity (`1e400`, which then never expires),
/// negative values (before the epoch: never in an access token; `-0` is zero), and values
/// from the year 10000 on (`NumericDate::END_SECS` = 253402300800).
#[test]
fn time_claims_out_of_range_are_invalid_claim() {
    let now = NOW.as_secs();
    assert_eq!(jwsgate::NumericDate::END_SECS, 253_402_300_800);
    for bad in [
        "1e400",
        "-1e400",
        "1E+999999999999999999999",
        "-1",
        "-0.5",
        "-1e-9",
        "-1700000600",
        "253402300800",
        "253402300800.0",
        "2.534023008e11",
        "99999999999999999999",
    ] {
        claims_code(&format!(r#"{{{BASE},"exp":{bad}}}"#), "invalid_claim");
        for m in ["nbf", "iat"] {
            claims_code(
                &format!(r#"{{{BASE},"exp":{},"{m}":{bad}}}"#, now + 600),
                "invalid_claim",
            );
        }
    }
    let v = fixture().hmac_verifier();
    for edge in ["0", "-0", "-0.0e5", "1e-400"] {
        let t = format!(
            r#"{{{BASE},"exp":{},"nbf":{edge},"iat":{edge}}}"#,
            now + 600
        );
        assert_valid(&v, &signed_claims(Algorithm::HS256, &t));
    }
}

/// A signed payload that is not UTF-8 is `malformed`, wherever the bad bytes sit (a
/// string value, a member name, between tokens) and whatever kind of bad they are (a
/// lone continuation byte, a truncated sequence, an overlong form, a UTF-16 surrogate,
/// a code point above U+10FFFF, 0xFF); valid multi-byte UTF-8 in the same places passes.
/// The payload is long enough that the vector validator's wide steps run over the bytes.
#[test]
fn payloads_that_are_not_utf8_are_malformed() {
    let v = fixture().hmac_verifier();
    let token = |payload: &[u8]| {
        fixture().token(
            Algorithm::HS256,
            &Fixture::header(Algorithm::HS256),
            payload,
        )
    };
    let pad = "p".repeat(70);
    let head = format!(r#"{{{BASE},"exp":4102444800,"pad":"{pad}","#);
    let places: [(&str, &str); 3] = [
        (r#""x":"a"#, r#"b"}"#),
        (r#"""#, r#"":1}"#),
        (r#""x":1"#, "}"),
    ];
    let payload = |before: &str, bytes: &[u8], after: &str| {
        [head.as_bytes(), before.as_bytes(), bytes, after.as_bytes()].concat()
    };
    // The same places with valid two-, three- and four-byte characters are accepted
    // (between tokens only white space is JSON, so that place gets a space).
    for (i, (before, after)) in places.iter().enumerate() {
        let good: &[u8] = if i == 2 { b" " } else { "é€😀".as_bytes() };
        let t = token(&payload(before, good, after));
        assert!(check(&v, &t).is_ok(), "{:?}", check(&v, &t));
    }
    for bad in [
        &[0x80][..],
        &[0xC3],
        &[0xE2, 0x82],
        &[0xC0, 0xAF],
        &[0xE0, 0x80, 0xAF],
        &[0xED, 0xA0, 0x80],
        &[0xF4, 0x90, 0x80, 0x80],
        &[0xFF],
    ] {
        for (before, after) in places {
            assert_code(&v, &token(&payload(before, bad, after)), "malformed");
        }
    }
}
