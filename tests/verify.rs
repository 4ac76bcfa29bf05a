//! The verify path end to end: every algorithm accepted, and each refusal with its code,
//! in the order DESIGN.md gives (size → split → header → policy → key → signature → claims).

mod support;

use std::sync::Arc;

use jwsgate::{
    Algorithm, AlgorithmFamily, AsymmetricAlg, ConfigError, Error, HmacAlg, KeyStore, PublicKey,
    Scratch, StrongHmacKey, UnixTime, Verifier,
};
use support::{AUD, ISS, Keys, NOW, claims};

fn asymmetric(keys: &Keys) -> Verifier {
    Verifier::builder()
        .key_set(keys.key_set())
        .issuer(ISS)
        .audience(AUD)
        .require_type("at+jwt")
        .require_scope("orders:read")
        .build()
        .unwrap()
}

fn hmac() -> Verifier {
    Verifier::builder()
        .hmac_key(Keys::hmac_key())
        .issuer(ISS)
        .audience(AUD)
        .build()
        .unwrap()
}

fn hmac_without_audience_check() -> Verifier {
    Verifier::builder()
        .hmac_key(Keys::hmac_key())
        .issuer(ISS)
        .no_audience_check()
        .build()
        .unwrap()
}

fn verifier_for(keys: &Keys, alg: Algorithm) -> Verifier {
    match alg.family() {
        AlgorithmFamily::Hmac(_) => hmac(),
        AlgorithmFamily::Asymmetric(_) => asymmetric(keys),
    }
}

fn check(v: &Verifier, token: &str, now: u64) -> Result<(), Error> {
    let mut scratch = Scratch::new();
    v.verify(&mut scratch, token.as_bytes(), UnixTime::from_secs(now))
        .map(drop)
}

#[test]
fn every_algorithm_verifies_and_exposes_claims() {
    let keys = Keys::new();
    for alg in Algorithm::ALL {
        let v = verifier_for(&keys, alg);
        let token = keys.token(alg, &claims());
        let mut scratch = Scratch::new();
        let t = v
            .verify(&mut scratch, token.as_bytes(), UnixTime::from_secs(NOW))
            .unwrap_or_else(|e| panic!("{alg}: {e}"));
        assert_eq!(t.alg(), alg);
        assert_eq!(t.kid(), Some(Keys::kid(alg)));
        let c = t.claims();
        assert_eq!(c.iss(), Some(ISS));
        assert_eq!(c.sub(), Some("user-1234"));
        assert_eq!(c.client_id(), Some("s6BhdRkqt3"));
        assert_eq!(c.audiences().collect::<Vec<_>>(), [AUD, "api://billing"]);
        assert_eq!(
            c.scopes().collect::<Vec<_>>(),
            ["orders:read", "orders:write"]
        );
        assert_eq!(c.exp().unwrap().ceil_secs(), (NOW + 300) as i64);
    }
}

#[test]
fn a_tampered_signature_or_payload_is_refused_for_every_algorithm() {
    let keys = Keys::new();
    for alg in Algorithm::ALL {
        let v = verifier_for(&keys, alg);
        let token = keys.token(alg, &claims());
        let (input, sig) = token.rsplit_once('.').unwrap();
        let mut raw = jwsgate::low_level::base64url::decode_vec(sig);
        raw[0] ^= 1;
        let flipped = format!("{input}.{}", support::b64(&raw));
        assert_eq!(
            check(&v, &flipped, NOW),
            Err(Error::InvalidSignature),
            "{alg}"
        );
        let other_claims = claims().replace("user-1234", "user-1235");
        let (h, _) = input.split_once('.').unwrap();
        let swapped = format!("{h}.{}.{sig}", support::b64(other_claims.as_bytes()));
        assert_eq!(
            check(&v, &swapped, NOW),
            Err(Error::InvalidSignature),
            "{alg}"
        );
    }
}

/// The signature buffer lives in the scratch and is not cleared between verifies: a
/// signature shorter than the last one, or one that fails to decode, must be judged on its
/// own bytes only, never on what an earlier verify left behind.
#[test]
fn a_reused_scratch_judges_each_signature_on_its_own_bytes() {
    let keys = Keys::new();
    let v = hmac();
    let now = UnixTime::from_secs(NOW);
    let hs512 = keys.token(Algorithm::HS512, &claims());
    let hs256 = keys.token(Algorithm::HS256, &claims());
    let (input, sig) = hs256.rsplit_once('.').unwrap();
    let raw = jwsgate::low_level::base64url::decode_vec(sig);
    let mut scratch = Scratch::new();
    for token in [&hs512, &hs256] {
        // The previous signature in the buffer is longer than (or equal to) this one.
        assert!(v.verify(&mut scratch, hs512.as_bytes(), now).is_ok());
        assert!(v.verify(&mut scratch, token.as_bytes(), now).is_ok());
    }
    for cut in [1, 2, 3] {
        let short = format!("{input}.{}", support::b64(&raw[..raw.len() - cut]));
        assert!(v.verify(&mut scratch, hs256.as_bytes(), now).is_ok());
        assert_eq!(
            check(&v, &short, NOW),
            v.verify(&mut scratch, short.as_bytes(), now).map(drop),
            "a fresh scratch and a used one agree ({cut} bytes short)"
        );
        assert_eq!(
            v.verify(&mut scratch, short.as_bytes(), now).map(drop),
            Err(Error::InvalidSignature)
        );
    }
    let bad = format!("{input}.{}", &sig[..sig.len() - 1]);
    assert!(v.verify(&mut scratch, hs256.as_bytes(), now).is_ok());
    assert!(v.verify(&mut scratch, bad.as_bytes(), now).is_err());
}

#[test]
fn time_boundaries_are_exact() {
    let keys = Keys::new();
    let v = hmac();
    let token = keys.token(Algorithm::HS256, &claims());
    let exp = NOW + 300;
    // Valid exactly while now < exp + leeway (60 by default).
    assert_eq!(check(&v, &token, exp + 59), Ok(()));
    assert_eq!(check(&v, &token, exp + 60), Err(Error::Expired));
    // nbf = NOW - 10: valid from nbf - leeway on.
    assert_eq!(check(&v, &token, NOW - 70), Ok(()));
    assert_eq!(check(&v, &token, NOW - 71), Err(Error::NotYetValid));
    let strict = Verifier::builder()
        .hmac_key(Keys::hmac_key())
        .issuer(ISS)
        .audience(AUD)
        .leeway(0)
        .build()
        .unwrap();
    assert_eq!(check(&strict, &token, exp - 1), Ok(()));
    assert_eq!(check(&strict, &token, exp), Err(Error::Expired));
}

#[test]
fn fractional_and_exponent_dates_are_numeric_dates() {
    let keys = Keys::new();
    let v = Verifier::builder()
        .hmac_key(Keys::hmac_key())
        .no_issuer_check()
        .no_audience_check()
        .leeway(0)
        .build()
        .unwrap();
    let tok = |exp: &str| keys.token(Algorithm::HS256, &format!(r#"{{"exp":{exp}}}"#));
    assert_eq!(check(&v, &tok("1.7e9"), 1_699_999_999), Ok(()));
    assert_eq!(check(&v, &tok("1.7e9"), 1_700_000_000), Err(Error::Expired));
    assert_eq!(check(&v, &tok("1700000000.5"), 1_700_000_000), Ok(()));
    assert_eq!(
        check(&v, &tok("1700000000.5"), 1_700_000_001),
        Err(Error::Expired)
    );
    // Out of the 1970..9999 range (infinite as an f64, or negative): invalid, never
    // "expires at the end of time".
    assert_eq!(check(&v, &tok("1e400"), 0), Err(Error::InvalidClaim("exp")));
    assert_eq!(
        check(&v, &tok("-1e400"), 0),
        Err(Error::InvalidClaim("exp"))
    );
    assert_eq!(check(&v, &tok("253402300799.5"), 253_402_300_799), Ok(()));
    assert_eq!(
        check(&v, &tok("253402300799.5"), u64::MAX),
        Err(Error::Expired)
    );
    assert_eq!(
        check(&v, &tok("\"2100\""), 0),
        Err(Error::InvalidClaim("exp"))
    );
}

#[test]
fn iat_in_the_future_is_an_invalid_claim() {
    let keys = Keys::new();
    let v = hmac();
    let c = format!(
        r#"{{"iss":"{ISS}","aud":"{AUD}","exp":{},"iat":{}}}"#,
        NOW + 600,
        NOW + 61
    );
    let token = keys.token(Algorithm::HS256, &c);
    assert_eq!(check(&v, &token, NOW), Err(Error::InvalidClaim("iat")));
    assert_eq!(check(&v, &token, NOW + 1), Ok(()));
}

#[test]
fn issuer_audience_and_scope_refusals() {
    let keys = Keys::new();
    let v = asymmetric(&keys);
    let alg = Algorithm::ES256;
    let with = |from: &str, to: &str| keys.token(alg, &claims().replacen(from, to, 1));
    assert_eq!(
        check(&v, &with(ISS, "https://evil.example"), NOW),
        Err(Error::InvalidIssuer)
    );
    assert_eq!(
        check(&v, &with(&format!("\"iss\":\"{ISS}\","), ""), NOW),
        Err(Error::MissingClaim("iss"))
    );
    assert_eq!(
        check(&v, &with(AUD, "api://other"), NOW),
        Err(Error::InvalidAudience)
    );
    assert_eq!(
        check(
            &v,
            &with(&format!(r#""aud":["{AUD}","api://billing"],"#), ""),
            NOW
        ),
        Err(Error::MissingClaim("aud"))
    );
    assert_eq!(
        check(
            &v,
            &with(
                &format!(r#"["{AUD}","api://billing"]"#),
                &format!("\"{AUD}\"")
            ),
            NOW
        ),
        Ok(())
    );
    let e = check(&v, &with("orders:read ", ""), NOW).unwrap_err();
    assert_eq!(
        (e, e.code(), e.status()),
        (Error::InsufficientScope, "insufficient_scope", 403)
    );
    assert_eq!(
        check(&v, &with(r#""exp":"#, r#""exq":"#), NOW),
        Err(Error::MissingClaim("exp"))
    );
}

#[test]
fn escaped_strings_are_compared_after_unescaping() {
    let keys = Keys::new();
    let v = asymmetric(&keys);
    let c = claims()
        .replace(ISS, r"https:\/\/issuer.example")
        .replace("orders:read", r"orders\u003aread");
    let token = keys.token(Algorithm::EdDSA, &c);
    let mut scratch = Scratch::new();
    let t = v
        .verify(&mut scratch, token.as_bytes(), UnixTime::from_secs(NOW))
        .unwrap();
    assert_eq!(t.claims().iss(), Some(ISS));
}

#[test]
fn typ_is_required_when_configured() {
    let keys = Keys::new();
    let v = asymmetric(&keys);
    let alg = Algorithm::ES256;
    let header = |typ: &str| format!(r#"{{"alg":"ES256","kid":"p256"{typ}}}"#);
    let tok = |typ: &str| keys.token_with_header(alg, &header(typ), &claims());
    assert_eq!(
        check(&v, &tok(r#","typ":"JWT""#), NOW),
        Err(Error::InvalidType)
    );
    assert_eq!(check(&v, &tok(""), NOW), Err(Error::InvalidType));
    assert_eq!(
        check(&v, &tok(r#","typ":"application/AT+JWT""#), NOW),
        Ok(())
    );
    assert_eq!(check(&v, &tok(r#","typ":"at\u002bjwt""#), NOW), Ok(()));
}

/// A `typ` is compared up to 128 bytes (after unescaping), plain or escaped alike: one
/// byte more never matches, even a required type of that length.
#[test]
fn typ_is_compared_up_to_128_bytes_plain_or_escaped() {
    let keys = Keys::fixed();
    let alg = Algorithm::HS256;
    for (len, want) in [(128, Ok(())), (129, Err(Error::InvalidType))] {
        let required = "t".repeat(len);
        let v = Verifier::builder()
            .hmac_key(Keys::hmac_key())
            .issuer(ISS)
            .audience(AUD)
            .require_type(&required)
            .build()
            .unwrap();
        let escaped = format!("\\u0074{}", "t".repeat(len - 1));
        for typ in [required.as_str(), escaped.as_str()] {
            let header = format!(r#"{{"alg":"HS256","typ":"{typ}"}}"#);
            let token = keys.token_with_header(alg, &header, &claims());
            assert_eq!(check(&v, &token, NOW), want, "{len}: {typ}");
        }
    }
}

#[test]
fn policy_refusals_come_before_the_signature() {
    let keys = Keys::new();
    let only_es256 = Verifier::builder()
        .key_set(keys.key_set())
        .algorithms([AsymmetricAlg::ES256])
        .issuer(ISS)
        .audience(AUD)
        .build()
        .unwrap();
    let ed = keys.token(Algorithm::EdDSA, &claims());
    assert_eq!(
        check(&only_es256, &ed, NOW),
        Err(Error::AlgorithmNotAllowed(Algorithm::EdDSA))
    );
    // An HMAC token against public keys: refused by policy, never tried as a secret.
    let hs = keys.token(Algorithm::HS256, &claims());
    assert_eq!(
        check(&asymmetric(&keys), &hs, NOW),
        Err(Error::AlgorithmNotAllowed(Algorithm::HS256))
    );
    // An asymmetric token against an HMAC verifier.
    let es = keys.token(Algorithm::ES256, &claims());
    assert_eq!(
        check(&hmac(), &es, NOW),
        Err(Error::AlgorithmNotAllowed(Algorithm::ES256))
    );
    // A kid nobody knows.
    let unknown = keys.token_with_header(
        Algorithm::ES256,
        r#"{"alg":"ES256","kid":"nope","typ":"at+jwt"}"#,
        &claims(),
    );
    assert_eq!(
        check(&asymmetric(&keys), &unknown, NOW),
        Err(Error::UnknownKey)
    );
    // A kid that names a key of another kind.
    let wrong = keys.token_with_header(
        Algorithm::ES256,
        r#"{"alg":"ES256","kid":"rsa","typ":"at+jwt"}"#,
        &claims(),
    );
    assert_eq!(
        check(&asymmetric(&keys), &wrong, NOW),
        Err(Error::AlgorithmNotAllowed(Algorithm::ES256))
    );
}

#[test]
fn without_kid_the_single_fitting_key_is_used() {
    let keys = Keys::new();
    let v = asymmetric(&keys);
    let t = keys.token_with_header(
        Algorithm::ES384,
        r#"{"alg":"ES384","typ":"at+jwt"}"#,
        &claims(),
    );
    assert_eq!(check(&v, &t, NOW), Ok(()));
    // Three RSA algorithms share one RSA key: still a single fitting key.
    let t = keys.token_with_header(
        Algorithm::PS512,
        r#"{"alg":"PS512","typ":"at+jwt"}"#,
        &claims(),
    );
    assert_eq!(check(&v, &t, NOW), Ok(()));
}

#[test]
fn one_public_key_ignores_a_kid_it_does_not_contradict() {
    let keys = Keys::new();
    let pem_like = keys.public_key(AsymmetricAlg::ES256); // has kid "p256"
    let unnamed = PublicKey::from_jwk(
        keys.jwks()
            .lines()
            .find(|l| l.contains("\"p256\""))
            .unwrap()
            .replace(r#""kid":"p256","#, "")
            .trim_end_matches(',')
            .as_bytes(),
    )
    .unwrap();
    let build = |key| {
        Verifier::builder()
            .public_key(key)
            .issuer(ISS)
            .audience(AUD)
            .build()
            .unwrap()
    };
    let other_kid = keys.token_with_header(
        Algorithm::ES256,
        r#"{"alg":"ES256","kid":"2024-05"}"#,
        &claims(),
    );
    let same_kid = keys.token(Algorithm::ES256, &claims());
    assert_eq!(check(&build(unnamed), &other_kid, NOW), Ok(()));
    assert_eq!(
        check(&build(pem_like), &other_kid, NOW),
        Err(Error::UnknownKey)
    );
    let pem_like = keys.public_key(AsymmetricAlg::ES256);
    assert_eq!(check(&build(pem_like), &same_kid, NOW), Ok(()));
}

#[test]
fn nested_tokens_are_not_unwrapped() {
    let keys = Keys::new();
    let inner = keys.token(Algorithm::HS256, &claims());
    let outer = keys.token_with_header(
        Algorithm::HS256,
        r#"{"alg":"HS256","cty":"JWT"}"#,
        &format!("\"{inner}\""),
    );
    assert!(matches!(
        check(&hmac(), &outer, NOW),
        Err(Error::UnsupportedHeader(_))
    ));
}

#[test]
fn key_store_swaps_are_seen_by_the_next_verify() {
    let old = Keys::new();
    let new = Keys::new();
    let store = Arc::new(KeyStore::new(old.key_set()));
    let v = Verifier::builder()
        .key_store(store.clone())
        .issuer(ISS)
        .audience(AUD)
        .build()
        .unwrap();
    let t_old = old.token(Algorithm::ES256, &claims());
    let t_new = new.token(Algorithm::ES256, &claims());
    assert_eq!(check(&v, &t_old, NOW), Ok(()));
    assert_eq!(check(&v, &t_new, NOW), Err(Error::InvalidSignature));
    store.store(new.key_set());
    assert_eq!(check(&v, &t_new, NOW), Ok(()));
    assert_eq!(check(&v, &t_old, NOW), Err(Error::InvalidSignature));
}

#[test]
fn size_limit_is_checked_before_decoding() {
    let v = Verifier::builder()
        .hmac_key(Keys::hmac_key())
        .no_issuer_check()
        .no_audience_check()
        .max_token_bytes(100)
        .build()
        .unwrap();
    let garbage = "!".repeat(101);
    assert_eq!(
        check(&v, &garbage, NOW),
        Err(Error::TokenTooLarge { len: 101, max: 100 })
    );
    assert!(matches!(
        check(&v, &"!".repeat(100), NOW),
        Err(Error::Malformed(_))
    ));
}

#[test]
fn verify_jws_checks_only_the_signature() {
    let keys = Keys::new();
    let v = hmac();
    let token = keys.token_with_header(Algorithm::HS512, r#"{"alg":"HS512"}"#, "not json at all");
    let mut scratch = Scratch::new();
    let jws = v.verify_jws(&mut scratch, token.as_bytes(), None).unwrap();
    assert_eq!(jws.payload(), b"not json at all");
    assert_eq!(jws.kid(), None);
    // Detached content (RFC 7515 Appendix F): the payload segment is empty.
    let (h, rest) = token.split_once('.').unwrap();
    let (_, s) = rest.split_once('.').unwrap();
    let detached = format!("{h}..{s}");
    let mut scratch = Scratch::new();
    let jws = v
        .verify_jws(&mut scratch, detached.as_bytes(), Some(b"not json at all"))
        .unwrap();
    assert_eq!(jws.alg(), Algorithm::HS512);
    let mut scratch = Scratch::new();
    assert_eq!(
        v.verify_jws(&mut scratch, detached.as_bytes(), Some(b"other"))
            .map(drop),
        Err(Error::InvalidSignature)
    );
}

#[test]
fn verify_with_uses_a_thread_scratch_and_survives_reentry() {
    let keys = Keys::new();
    let v = hmac();
    let token = keys.token(Algorithm::HS256, &claims());
    let sub = v.verify_with(token.as_bytes(), UnixTime::from_secs(NOW), |outer| {
        let inner = v.verify_with(token.as_bytes(), UnixTime::from_secs(NOW), |r| {
            r.map(|t| t.claims().sub().map(String::from))
        });
        assert_eq!(inner, Ok(Some("user-1234".into())));
        outer.map(|t| t.claims().sub().map(String::from))
    });
    assert_eq!(sub, Ok(Some("user-1234".into())));
}

#[test]
fn configuration_errors_at_build() {
    let too_much_leeway = Verifier::builder()
        .hmac_key(Keys::hmac_key())
        .no_issuer_check()
        .no_audience_check()
        .leeway(121)
        .build();
    assert_eq!(
        too_much_leeway.unwrap_err(),
        ConfigError::LeewayTooLarge(121)
    );
    let short = StrongHmacKey::new(&support::HMAC_SECRET[..40]).unwrap();
    let hs512 = Verifier::builder()
        .hmac_key(short)
        .algorithms([HmacAlg::HS512])
        .no_issuer_check()
        .no_audience_check()
        .build();
    assert!(matches!(
        hs512.unwrap_err(),
        ConfigError::HmacKeyTooShort { min: 64, .. }
    ));
    let empty_aud = Verifier::builder()
        .hmac_key(Keys::hmac_key())
        .no_issuer_check()
        .audience("")
        .build();
    assert!(matches!(
        empty_aud.unwrap_err(),
        ConfigError::InvalidPolicy(_)
    ));
}

#[test]
fn debug_prints_no_key_bytes() {
    let v = hmac();
    let builder = Verifier::builder().hmac_key(Keys::hmac_key()).issuer(ISS);
    let text = format!("{v:?} {:?} {builder:?}", Keys::hmac_key());
    let hex: String = support::HMAC_SECRET[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let dec = format!("{:?}", &support::HMAC_SECRET[..4]);
    assert!(
        !text.contains(&hex) && !text.contains(&dec[1..dec.len() - 1]),
        "{text}"
    );
    assert!(
        !text.contains(&support::b64(&support::HMAC_SECRET)),
        "{text}"
    );
}

// ---- Found by mutation testing of src/verifier (scripts/mutants.sh verifier) ----

#[test]
fn verify_jws_exposes_the_kid_of_the_header() {
    let keys = Keys::new();
    let kid = Keys::kid(Algorithm::HS256);
    let header = format!(r#"{{"alg":"HS256","kid":"{kid}"}}"#);
    let token = keys.token_with_header(Algorithm::HS256, &header, "opaque");
    let mut scratch = Scratch::new();
    let jws = hmac()
        .verify_jws(&mut scratch, token.as_bytes(), None)
        .unwrap();
    assert_eq!(jws.kid(), Some(kid));
    assert_eq!(jws.payload(), b"opaque");
}

#[test]
fn requires_audience_is_true_only_for_a_configured_audience() {
    let v = hmac();
    assert!(v.requires_audience(AUD));
    assert!(!v.requires_audience("api://billing"));
    assert!(!v.requires_audience(""));
    let two = Verifier::builder()
        .hmac_key(Keys::hmac_key())
        .issuer(ISS)
        .audiences(["api://a", AUD])
        .build()
        .unwrap();
    assert!(two.requires_audience("api://a") && two.requires_audience(AUD));
    let none = hmac_without_audience_check();
    assert!(!none.requires_audience(AUD));
}

/// A token whose payload (or signature) segment holds a byte outside the base64url
/// alphabet, HMAC-signed over exactly those bytes: only the alphabet check refuses it.
fn signed_over_raw_segments(alg: Algorithm, payload_segment: &str) -> String {
    let keys = Keys::new();
    let header = support::b64(br#"{"alg":"HS256"}"#);
    let input = format!("{header}.{payload_segment}");
    let sig = keys.sign(alg, input.as_bytes());
    format!("{input}.{}", support::b64(&sig))
}

#[test]
fn verify_jws_refuses_a_bad_segment_with_the_error_verify_gives() {
    let v = hmac();
    let bad_payload = signed_over_raw_segments(Algorithm::HS256, "e30+");
    let good = signed_over_raw_segments(Algorithm::HS256, "e30");
    let (input, sig) = good.rsplit_once('.').unwrap();
    let bad_signature = format!("{input}.{}*", &sig[..sig.len() - 1]);
    for token in [&bad_payload, &bad_signature] {
        let mut scratch = Scratch::new();
        let jws = v.verify_jws(&mut scratch, token.as_bytes(), None).map(drop);
        let full = check(&v, token, NOW);
        assert!(matches!(jws, Err(Error::Malformed(_))), "{token}: {jws:?}");
        assert_eq!(jws, full, "{token}");
    }
    let mut scratch = Scratch::new();
    assert!(v.verify_jws(&mut scratch, good.as_bytes(), None).is_ok());
}

#[test]
fn a_rotating_hmac_store_verifies_with_its_current_secret() {
    let keys = Keys::new();
    let store = Arc::new(jwsgate::HmacKeyStore::new(Keys::hmac_key()));
    let v = Verifier::builder()
        .hmac_store(Arc::clone(&store))
        .issuer(ISS)
        .audience(AUD)
        .build()
        .unwrap();
    let token = keys.token(Algorithm::HS384, &claims());
    assert_eq!(check(&v, &token, NOW), Ok(()));
    let mut tampered = token.clone().into_bytes();
    let last = tampered.len() - 2;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    assert_eq!(check(&v, &tampered, NOW), Err(Error::InvalidSignature));
}

// ---- Found by mutation testing of src/claims (scripts/mutants.sh claims) ----

#[test]
fn every_claim_accessor_reads_its_own_claim() {
    let keys = Keys::new();
    let v = hmac();
    let json = claims();
    let token = keys.token(Algorithm::HS256, &json);
    let mut scratch = Scratch::new();
    let t = v
        .verify(&mut scratch, token.as_bytes(), UnixTime::from_secs(NOW))
        .unwrap();
    let c = t.claims();
    assert_eq!(c.json(), json);
    assert_eq!(c.jti(), Some("4f1e2d3c"));
    assert!(c.has_audience());
    assert_eq!(c.nbf().unwrap().ceil_secs(), (NOW - 10) as i64);
    assert_eq!(c.iat().unwrap().ceil_secs(), (NOW - 10) as i64);
    assert_eq!(
        c.get("client_id").map(|r| r.json()),
        Some(r#""s6BhdRkqt3""#)
    );
    assert_eq!(c.get("jti").and_then(|r| r.as_str()), Some("4f1e2d3c"));
    assert_eq!(
        c.get("exp").map(|r| r.json()),
        Some(&*(NOW + 300).to_string())
    );
    assert_eq!(c.get("missing"), None);

    // Without `aud`, `jti`, `nbf`, `iat`: each accessor says absent.
    let bare = format!(r#"{{"iss":"{ISS}","exp":{}}}"#, NOW + 300);
    let token = keys.token(Algorithm::HS256, &bare);
    let v = hmac_without_audience_check();
    let mut scratch = Scratch::new();
    let t = v
        .verify(&mut scratch, token.as_bytes(), UnixTime::from_secs(NOW))
        .unwrap();
    let c = t.claims();
    assert_eq!((c.jti(), c.sub(), c.client_id()), (None, None, None));
    assert!(!c.has_audience());
    assert_eq!(c.audiences().count(), 0);
    assert_eq!((c.nbf(), c.iat()), (None, None));
    let owned = c.to_owned();
    assert!(!owned.has_audience());
    assert_eq!(owned.audiences().count(), 0);
}

#[test]
fn owned_claims_read_like_the_borrowed_ones() {
    let keys = Keys::new();
    let v = hmac();
    // An escaped string (the unescaped text) besides the plain claims and the `aud` items.
    let json = claims().replace(r#""sub":"user-1234""#, r#""sub":"user\u002d1234""#);
    let token = keys.token(Algorithm::HS256, &json);
    let owned = v.verify_owned(&token, UnixTime::from_secs(NOW)).unwrap();
    let mut scratch = Scratch::new();
    let t = v
        .verify(&mut scratch, token.as_bytes(), UnixTime::from_secs(NOW))
        .unwrap();
    let (b, o) = (t.claims(), owned.as_claims());
    assert_eq!(o.json(), json);
    assert_eq!(owned.json(), json);
    assert_eq!(owned.jti(), Some("4f1e2d3c"));
    assert_eq!(o.jti(), b.jti());
    assert_eq!(owned.sub(), Some("user-1234"));
    assert_eq!(o.sub(), b.sub());
    assert_eq!(
        owned.audiences().collect::<Vec<_>>(),
        [AUD, "api://billing"]
    );
    assert_eq!(
        o.audiences().collect::<Vec<_>>(),
        b.audiences().collect::<Vec<_>>()
    );
    assert!(owned.has_audience());
    assert_eq!(
        o.scopes().collect::<Vec<_>>(),
        b.scopes().collect::<Vec<_>>()
    );
}
