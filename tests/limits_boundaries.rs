//! Every limit of `src/limits.rs` that an input can reach, tested exactly at the limit
//! (accepted) and one past it (refused) through the public API — the verifier, the key
//! constructors and the builder — so that an off-by-one (`>` turned into `>=`, `==`, ...)
//! fails a test whatever the internals look like (issue 19: mutation testing).
//!
//! Limits covered elsewhere at both edges are named in the comment of the nearest test.
//! `MAX_DER_DEPTH` is not reachable from any input (the DER grammar of SPKI / PKCS#1 never
//! nests deeper than 2): its unit test in `src/keys/der.rs` drives the reader directly.

mod common;

use common::*;
use jwsgate::limits::{
    DEFAULT_LEEWAY_SECS, MAX_ARRAY_ITEMS, MAX_CLAIMS_MEMBERS, MAX_HEADER_BYTES, MAX_JWK_BYTES,
    MAX_JWKS_BYTES, MAX_KID_BYTES, MAX_PEM_BYTES, MAX_RSA_BITS, MAX_SIGNATURE_BYTES,
    MAX_TOKEN_BYTES_CEILING, MIN_RSA_BITS,
};
use jwsgate::{Algorithm, ConfigError, Error, KeyKind, KeySet, PublicKey, Verifier};

/// `{"alg":"HS256","x":"aaa…"}` of exactly `len` bytes.
fn header_of_len(len: usize) -> String {
    let bare = r#"{"alg":"HS256","x":""}"#;
    let h = format!(
        r#"{{"alg":"HS256","x":"{}"}}"#,
        "a".repeat(len - bare.len())
    );
    assert_eq!(h.len(), len);
    h
}

/// RFC 7515 §4 header size: a decoded header of exactly `MAX_HEADER_BYTES` verifies; one
/// byte more is `malformed` before any JSON is read.
#[test]
fn header_at_max_header_bytes_verifies_and_one_past_is_malformed() {
    let v = fixture().hmac_verifier();
    assert_valid(
        &v,
        &signed(Algorithm::HS256, &header_of_len(MAX_HEADER_BYTES)),
    );
    let over = signed(Algorithm::HS256, &header_of_len(MAX_HEADER_BYTES + 1));
    assert_eq!(check(&v, &over), Err(Error::Malformed("header too large")));
    // Every length of encoded header near the edge (base64url lengths 4k+2, 4k+3, 4k+4).
    for len in MAX_HEADER_BYTES - 3..=MAX_HEADER_BYTES {
        assert_valid(&v, &signed(Algorithm::HS256, &header_of_len(len)));
    }
    for len in MAX_HEADER_BYTES + 1..=MAX_HEADER_BYTES + 3 {
        let t = signed(Algorithm::HS256, &header_of_len(len));
        assert_eq!(check(&v, &t), Err(Error::Malformed("header too large")));
    }
}

/// `crit` of exactly `MAX_ARRAY_ITEMS` entries (each `b64`, with `b64: true`: ordinary JWS)
/// verifies; one entry more is `malformed`.
#[test]
fn crit_at_max_array_items_verifies_and_one_past_is_malformed() {
    let v = fixture().hmac_verifier();
    let crit = |n: usize| {
        let names = vec![r#""b64""#; n].join(",");
        format!(r#"{{"alg":"HS256","b64":true,"crit":[{names}]}}"#)
    };
    assert_valid(&v, &signed(Algorithm::HS256, &crit(MAX_ARRAY_ITEMS)));
    assert_valid(&v, &signed(Algorithm::HS256, &crit(MAX_ARRAY_ITEMS - 1)));
    let over = signed(Algorithm::HS256, &crit(MAX_ARRAY_ITEMS + 1));
    assert_eq!(
        check(&v, &over),
        Err(Error::Malformed("crit has too many entries"))
    );
}

/// RFC 7515 §4.1.9: only a literal `application/` prefix is optional. A `typ` whose first
/// 12 bytes are something else keeps them, so `xxxxxxxxxxxxat+jwt` is not `at+jwt` (and
/// the other way round, for the configured type).
#[test]
fn typ_with_a_non_application_twelve_byte_prefix_does_not_match() {
    let verifier = |typ: &str| {
        Verifier::builder()
            .hmac_key(fixture().hmac_key())
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .require_type(typ)
            .build()
            .unwrap()
    };
    let token = |typ: &str| {
        signed(
            Algorithm::HS256,
            &format!(r#"{{"alg":"HS256","typ":"{typ}"}}"#),
        )
    };
    let v = verifier("at+jwt");
    for typ in [
        "xxxxxxxxxxxxat+jwt",
        "applicatioN-at+jwt",
        "application:at+jwt",
    ] {
        assert_code(&v, &token(typ), "invalid_type");
    }
    assert_valid(&v, &token("APPLICATION/at+jwt"));
    let v = verifier("xxxxxxxxxxxxat+jwt");
    assert_code(&v, &token("at+jwt"), "invalid_type");
    assert_valid(&v, &token("xxxxxxxxxxxxat+jwt"));
}

/// `GOOD_CLAIMS` with `n` extra members `"m0":0, …`.
fn claims_with_extra_members(n: usize) -> String {
    let good = GOOD_CLAIMS.trim_end_matches('}');
    let extra: String = (0..n).map(|i| format!(r#","m{i}":0"#)).collect();
    format!("{good}{extra}}}")
}

/// RFC 7519 §4 duplicate detection bound: claims of exactly `MAX_CLAIMS_MEMBERS` members
/// verify; one more is `malformed`. (`MAX_HEADER_MEMBERS` is tested at both edges in
/// tests/attacks_json_bombs.rs, `MAX_JSON_DEPTH` there too.)
#[test]
fn claims_at_max_claims_members_verify_and_one_past_is_malformed() {
    let v = fixture().hmac_verifier();
    let base = GOOD_CLAIMS.matches("\":").count();
    let at = claims_with_extra_members(MAX_CLAIMS_MEMBERS - base);
    assert_valid(&v, &signed_claims(Algorithm::HS256, &at));
    let over = claims_with_extra_members(MAX_CLAIMS_MEMBERS - base + 1);
    assert_code(&v, &signed_claims(Algorithm::HS256, &over), "malformed");
}

/// `aud` and `scp` arrays: exactly `MAX_ARRAY_ITEMS` strings each (both at once: they
/// share one scratch list) verify; one more in either is `invalid_claim`.
#[test]
fn aud_and_scp_at_max_array_items_verify_and_one_past_is_invalid_claim() {
    let v = Verifier::builder()
        .hmac_key(fixture().hmac_key())
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .require_scope("s0")
        .build()
        .unwrap();
    let claims = |auds: usize, scps: usize| {
        let mut aud: Vec<String> = (1..auds).map(|i| format!(r#""other{i}""#)).collect();
        aud.push(format!(r#""{AUDIENCE}""#));
        let scp: Vec<String> = (0..scps).map(|i| format!(r#""s{i}""#)).collect();
        format!(
            r#"{{"iss":"{ISSUER}","aud":[{}],"scp":[{}],"exp":1700000600}}"#,
            aud.join(","),
            scp.join(",")
        )
    };
    let token = |a, s| signed_claims(Algorithm::HS256, &claims(a, s));
    assert_valid(&v, &token(MAX_ARRAY_ITEMS, MAX_ARRAY_ITEMS));
    assert_code(&v, &token(MAX_ARRAY_ITEMS + 1, 1), "invalid_claim");
    assert_code(&v, &token(1, MAX_ARRAY_ITEMS + 1), "invalid_claim");
    // The accepted audience last of 64: every entry is compared, not only the first.
    assert_valid(&v, &token(MAX_ARRAY_ITEMS, 1));
    // The required scope missing from a full list: the list is searched, not assumed.
    let no_s0 = claims(1, MAX_ARRAY_ITEMS).replace(r#""s0""#, r#""t0""#);
    assert_code(
        &v,
        &signed_claims(Algorithm::HS256, &no_s0),
        "insufficient_scope",
    );
}

/// `kid`: `MAX_KID_BYTES` after unescaping is accepted (the key is then just unknown), one
/// byte more is `malformed`, for escaped spellings too (the plain spelling is tested at
/// both edges in tests/attacks_kid.rs).
#[test]
fn escaped_kid_at_max_kid_bytes_is_read_and_one_past_is_malformed() {
    let v = fixture().asymmetric_verifier();
    let token = |kid_json: &str| {
        signed(
            Algorithm::ES256,
            &format!(r#"{{"alg":"ES256","kid":"{kid_json}"}}"#),
        )
    };
    // `\u006b` is `k`: 6 bytes of JSON for one byte of kid.
    let escaped = |n: usize| "\\u006b".repeat(n);
    assert_code(&v, &token(&escaped(MAX_KID_BYTES)), "unknown_key");
    assert_code(&v, &token(&escaped(MAX_KID_BYTES + 1)), "malformed");
    // One escape among plain bytes.
    let mixed = |n: usize| format!("\\u006b{}", "k".repeat(n - 1));
    assert_code(&v, &token(&mixed(MAX_KID_BYTES)), "unknown_key");
    assert_code(&v, &token(&mixed(MAX_KID_BYTES + 1)), "malformed");
}

/// A token of exactly `len` bytes (padding the `sub` claim), signed with HS256.
fn token_of_len(len: usize) -> String {
    let mut pad = len.saturating_sub(300) * 3 / 4;
    loop {
        let claims = GOOD_CLAIMS.replace("alice", &format!("alice{}", "x".repeat(pad)));
        let t = signed_claims(Algorithm::HS256, &claims);
        match t.len().cmp(&len) {
            std::cmp::Ordering::Equal => return t,
            std::cmp::Ordering::Less => pad += 1,
            // base64url grows by 1 or 2 characters per byte: no exact length; callers
            // choose lengths that exist (this loop stops at the first length past).
            std::cmp::Ordering::Greater => return t,
        }
    }
}

/// `max_token_bytes` accepts 1 ..= `MAX_TOKEN_BYTES_CEILING`; a token of exactly the
/// configured ceiling verifies, one byte more is `token_too_large`. (The default,
/// `DEFAULT_MAX_TOKEN_BYTES`, is tested at both edges in tests/attacks_json_bombs.rs.)
#[test]
fn max_token_bytes_ceiling_is_accepted_and_one_past_is_refused() {
    let build = |max: usize| {
        Verifier::builder()
            .hmac_key(fixture().hmac_key())
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .max_token_bytes(max)
            .build()
    };
    for bad in [0, MAX_TOKEN_BYTES_CEILING + 1, usize::MAX] {
        assert!(
            matches!(build(bad), Err(ConfigError::InvalidPolicy(_))),
            "{bad}"
        );
    }
    assert_eq!(build(1).unwrap().max_token_bytes(), 1);
    let v = build(MAX_TOKEN_BYTES_CEILING).unwrap();
    assert_eq!(v.max_token_bytes(), MAX_TOKEN_BYTES_CEILING);
    let mut at = token_of_len(MAX_TOKEN_BYTES_CEILING);
    while at.len() > MAX_TOKEN_BYTES_CEILING {
        // No token of exactly that length: take the longest one under it.
        at = token_of_len(at.len() - 2);
    }
    assert!(at.len() > MAX_TOKEN_BYTES_CEILING - 4, "{}", at.len());
    assert_valid(&v, &at);
    let over = format!("{at}{}", "A".repeat(MAX_TOKEN_BYTES_CEILING + 1 - at.len()));
    assert_eq!(
        check(&v, &over),
        Err(Error::TokenTooLarge {
            len: MAX_TOKEN_BYTES_CEILING + 1,
            max: MAX_TOKEN_BYTES_CEILING
        })
    );
}

/// The default leeway (no `.leeway(..)` call) is `DEFAULT_LEEWAY_SECS`: a token whose
/// `exp` lies `DEFAULT_LEEWAY_SECS - 1` seconds in the past verifies, one that expired
/// exactly `DEFAULT_LEEWAY_SECS` ago is `expired`; the same edge for `nbf` in the future.
/// (`MAX_LEEWAY_SECS` at both edges: tests/attacks_config.rs.)
#[test]
fn default_leeway_is_exact_at_both_edges() {
    let v = fixture().hmac_verifier();
    let now = NOW.as_secs();
    let with = |member: &str, t: u64| {
        let claims = format!(
            r#"{{"iss":"{ISSUER}","aud":"{AUDIENCE}","exp":{},{member}}}"#,
            if member.starts_with("\"nbf") {
                now + 600
            } else {
                t
            },
        );
        signed_claims(Algorithm::HS256, &claims)
    };
    let exp = |t: u64| with(r#""sub":"a""#, t);
    assert_valid(&v, &exp(now - DEFAULT_LEEWAY_SECS + 1));
    assert_code(&v, &exp(now - DEFAULT_LEEWAY_SECS), "expired");
    let nbf = |t: u64| with(&format!(r#""nbf":{t}"#), 0);
    assert_valid(&v, &nbf(now + DEFAULT_LEEWAY_SECS));
    assert_code(&v, &nbf(now + DEFAULT_LEEWAY_SECS + 1), "not_yet_valid");
}

/// A signature segment that decodes to more than `MAX_SIGNATURE_BYTES` is
/// `invalid_signature` (never `malformed`, never a panic on the stack buffer). At the
/// limit the decoded signature reaches the key: with the fixture's RSA-2048 key it is of
/// the wrong length and refused by the key, so both edges give `invalid_signature` — the
/// limit is reachable, but accepting a 1024-byte signature is only observable with an
/// RSA-8192 key (no such fixture: generating one takes minutes).
#[test]
fn signature_over_max_signature_bytes_is_invalid_signature() {
    let v = fixture().asymmetric_verifier();
    let good = fixture().good_token(Algorithm::RS256);
    let signing_input = &good[..good.rfind('.').unwrap()];
    for len in [
        MAX_SIGNATURE_BYTES,
        MAX_SIGNATURE_BYTES + 1,
        4 * MAX_SIGNATURE_BYTES,
    ] {
        let t = format!("{signing_input}.{}", b64(&vec![0x5a; len]));
        assert_code(&v, &t, "invalid_signature");
    }
}

/// An odd `bits`-bit modulus with no prime factor below 1000 (what
/// `PublicKey::from_rsa_components` asks of a modulus besides its size).
fn modulus_of_bits(bits: usize) -> Vec<u8> {
    let bytes = bits.div_ceil(8);
    let mut n = vec![0u8; bytes];
    n[0] = 1 << ((bits - 1) % 8);
    let primes: Vec<u32> = (3..1000u32)
        .filter(|p| (2..*p).take_while(|d| d * d <= *p).all(|d| p % d != 0))
        .collect();
    let mut tail: u32 = 1;
    loop {
        n[bytes - 2] = (tail >> 8) as u8;
        n[bytes - 1] = tail as u8;
        let clean = primes
            .iter()
            .all(|p| n.iter().fold(0u32, |r, b| (r * 256 + u32::from(*b)) % p) != 0);
        if clean {
            return n;
        }
        tail += 2;
    }
}

/// RSA modulus size (RFC 7518 §3.3, ring's ceiling): `MIN_RSA_BITS` and `MAX_RSA_BITS`
/// are accepted, one bit under the minimum and one over the maximum are refused.
#[test]
fn rsa_modulus_bits_are_bounded_at_both_edges() {
    let e = [1, 0, 1];
    for bits in [
        MIN_RSA_BITS,
        MIN_RSA_BITS + 1,
        MAX_RSA_BITS - 1,
        MAX_RSA_BITS,
    ] {
        let key = PublicKey::from_rsa_components(&modulus_of_bits(bits), &e);
        assert_eq!(key.map(|k| k.kind()), Ok(KeyKind::Rsa), "{bits} bits");
    }
    assert_eq!(
        PublicKey::from_rsa_components(&modulus_of_bits(MIN_RSA_BITS - 1), &e).err(),
        Some(ConfigError::RsaKeyTooSmall {
            bits: MIN_RSA_BITS - 1
        })
    );
    assert!(matches!(
        PublicKey::from_rsa_components(&modulus_of_bits(MAX_RSA_BITS + 1), &e),
        Err(ConfigError::UnsupportedKey(_))
    ));
    // Leading zero octets do not count.
    let mut padded = vec![0, 0];
    padded.extend(modulus_of_bits(MAX_RSA_BITS));
    assert!(PublicKey::from_rsa_components(&padded, &e).is_ok());
}

/// A JWK document of exactly `MAX_JWK_BYTES` (a real key padded with JSON whitespace) is
/// read; one byte more is refused before parsing.
#[test]
fn jwk_document_at_max_jwk_bytes_is_read_and_one_past_is_refused() {
    let jwk = fixture().jwk(KeyKind::EcP256);
    let pad = |len: usize| format!("{jwk}{}", " ".repeat(len - jwk.len()));
    let at = pad(MAX_JWK_BYTES);
    assert_eq!(at.len(), MAX_JWK_BYTES);
    assert!(PublicKey::from_jwk(at.as_bytes()).is_ok());
    assert_eq!(
        PublicKey::from_jwk(pad(MAX_JWK_BYTES + 1).as_bytes()).err(),
        Some(ConfigError::InvalidKey("JWK document too large"))
    );
}

/// A JWK Set document of exactly `MAX_JWKS_BYTES` (the fixture's set padded with JSON
/// whitespace) is read; one byte more is refused before parsing.
#[test]
fn jwk_set_document_at_max_jwks_bytes_is_read_and_one_past_is_refused() {
    let jwks = fixture().jwks();
    let pad = |len: usize| format!("{jwks}{}", " ".repeat(len - jwks.len()));
    let at = pad(MAX_JWKS_BYTES);
    assert_eq!(at.len(), MAX_JWKS_BYTES);
    let set = KeySet::from_jwks(at.as_bytes()).unwrap();
    assert_eq!(set.len(), KeySet::from_jwks(jwks.as_bytes()).unwrap().len());
    assert_eq!(
        KeySet::from_jwks(pad(MAX_JWKS_BYTES + 1).as_bytes()).err(),
        Some(ConfigError::InvalidKeySet("JWK Set document too large"))
    );
}

/// A PEM document of exactly `MAX_PEM_BYTES` (explanatory text before the block, RFC 7468
/// §5.2) is read; one byte more is refused before decoding.
#[test]
fn pem_document_at_max_pem_bytes_is_read_and_one_past_is_refused() {
    let pem = fixture().pem(KeyKind::Rsa);
    let pad = |len: usize| format!("{}\n{pem}", "x".repeat(len - pem.len() - 1));
    let at = pad(MAX_PEM_BYTES);
    assert_eq!(at.len(), MAX_PEM_BYTES);
    assert!(PublicKey::from_pem(at.as_bytes()).is_ok());
    assert_eq!(
        PublicKey::from_pem(pad(MAX_PEM_BYTES + 1).as_bytes()).err(),
        Some(ConfigError::InvalidKey("PEM document too large"))
    );
}
