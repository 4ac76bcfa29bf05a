//! Attack class: weak configuration an attacker could exploit — guessable or short HMAC
//! secrets (RFC 7518 §3.2, RFC 8725 §3.5), RSA keys under 2048 bits (RFC 7518 §3.3,
//! RFC 8725 §3.5), an over-generous leeway (CLI.md: at most 120 s), symmetric keys in a
//! public key set. All are refused when the key or verifier is made, never at verify time.

mod common;

use common::*;
use jwsgate::{ConfigError, HmacAlg, KeySet, PublicKey, StrongHmacKey, Verifier};

/// RFC 7518 §3.2: a secret shorter than the hash output is `HmacKeyTooShort`.
#[test]
fn short_hmac_secrets_are_refused() {
    let secret = &HMAC_SECRET[..31];
    assert!(matches!(
        StrongHmacKey::new(secret),
        Err(ConfigError::HmacKeyTooShort {
            len: 31,
            min: 32,
            ..
        })
    ));
    assert!(matches!(
        StrongHmacKey::new(b""),
        Err(ConfigError::HmacKeyTooShort { .. })
    ));
    // A 32-byte key cannot be asked to verify HS384 or HS512.
    for alg in [HmacAlg::HS384, HmacAlg::HS512] {
        let err = Verifier::builder()
            .hmac_key(StrongHmacKey::new(&HMAC_SECRET[..32]).unwrap())
            .algorithms([alg])
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .build()
            .unwrap_err();
        assert!(
            matches!(err, ConfigError::HmacKeyTooShort { .. }),
            "{err:?}"
        );
    }
}

/// RFC 8725 §3.5: human-chosen, repeated or placeholder secrets are `WeakHmacKey`, however
/// long (jwt.io's default, "secret" repeated, one byte repeated, a short period, few
/// distinct bytes).
#[test]
fn guessable_hmac_secrets_are_refused() {
    for secret in [
        b"your-256-bit-secret-your-256-bit-secret".to_vec(),
        b"my-super-secret-key-for-jwt-signing-2024".to_vec(),
        b"changemechangemechangemechangeme".to_vec(),
        b"passwordpasswordpasswordpassword".to_vec(),
        vec![b'a'; 64],
        vec![0u8; 64],
        b"0123456789abcdef0123456789abcdef".to_vec(),
        b"abababababababababababababababab".to_vec(),
        b"aabbccddaabbccddaabbccddaabbccdd".to_vec(),
    ] {
        assert!(
            matches!(
                StrongHmacKey::new(&secret),
                Err(ConfigError::WeakHmacKey(_))
            ),
            "{}",
            String::from_utf8_lossy(&secret)
        );
    }
    assert!(StrongHmacKey::new(&HMAC_SECRET).is_ok());
}

/// RFC 8725 §3.5: RSA keys under 2048 bits are `RsaKeyTooSmall`, in PEM and as components;
/// a JWK Set holding only such a key has no usable key.
#[test]
fn rsa_keys_under_2048_bits_are_refused() {
    let pem = std::fs::read(format!(
        "{}/tests/data/rsa1024.spki.pem",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert!(matches!(
        PublicKey::from_pem(&pem),
        Err(ConfigError::RsaKeyTooSmall { bits: 1024 })
    ));
    let (n, e) = fixture().public_raw(jwsgate::KeyKind::Rsa);
    // 2047 bits: drop the top bit of the 2048-bit modulus (keep it odd).
    let mut short = n.clone();
    short[0] = (short[0] & 0x7f) | 0x40;
    assert!(matches!(
        PublicKey::from_rsa_components(&short, &e),
        Err(ConfigError::RsaKeyTooSmall { bits: 2047 })
    ));
    assert!(PublicKey::from_rsa_components(&n, &e).is_ok());
    let jwk = fixture()
        .jwk(jwsgate::KeyKind::Rsa)
        .replace(&b64(&n), &b64(&short));
    let only_small = format!(r#"{{"keys":[{jwk}]}}"#);
    assert!(matches!(
        KeySet::from_jwks(only_small.as_bytes()),
        Err(ConfigError::InvalidKeySet(_))
    ));
}

/// CLI.md: a leeway over 120 s is a configuration error; 120 is the largest accepted.
#[test]
fn leeway_over_120_seconds_is_refused() {
    let build = |secs| {
        Verifier::builder()
            .hmac_key(fixture().hmac_key())
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .leeway(secs)
            .build()
    };
    assert!(build(120).is_ok());
    for secs in [121, 3600, u64::MAX] {
        assert_eq!(build(secs).unwrap_err(), ConfigError::LeewayTooLarge(secs));
    }
}

/// An `oct` key inside a JWK Set is refused for the whole set (CVE-2024-54150 class: a
/// key set that mixes symmetric keys invites key confusion).
#[test]
fn symmetric_key_in_a_public_key_set_is_refused() {
    let oct = format!(
        r#"{{"kty":"oct","kid":"hmac","k":"{}"}}"#,
        b64(&HMAC_SECRET)
    );
    let set = format!(
        r#"{{"keys":[{},{oct}]}}"#,
        fixture().jwk(jwsgate::KeyKind::EcP256)
    );
    assert!(matches!(
        KeySet::from_jwks(set.as_bytes()),
        Err(ConfigError::SymmetricKeyInAsymmetricSet)
    ));
}

/// A JWK Set holding only the fixture's RSA key.
fn rsa_only_set() -> KeySet {
    let jwk = fixture().jwk(jwsgate::KeyKind::Rsa);
    KeySet::from_jwks(format!(r#"{{"keys":[{jwk}]}}"#).as_bytes()).unwrap()
}

/// Configuration that can never verify does not build: with a fixed key source (one
/// public key, a JWK Set) an allowed algorithm that no key can verify — another key type,
/// or excluded by a JWK `alg` pin — is `AlgorithmNotSupportedByKeys`, instead of a
/// verifier that refuses every such token as `algorithm_not_allowed`.
#[test]
fn algorithms_no_static_key_can_verify_do_not_build() {
    use jwsgate::AsymmetricAlg::*;
    let build_set = |algs: &[jwsgate::AsymmetricAlg]| {
        Verifier::builder()
            .key_set(rsa_only_set())
            .algorithms(algs.iter().copied())
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .build()
    };
    assert_eq!(
        build_set(&[ES256]).unwrap_err(),
        ConfigError::AlgorithmNotSupportedByKeys(jwsgate::Algorithm::ES256)
    );
    assert_eq!(
        build_set(&[RS256, PS256, EdDSA]).unwrap_err(),
        ConfigError::AlgorithmNotSupportedByKeys(jwsgate::Algorithm::EdDSA)
    );
    assert!(build_set(&[RS256, PS512]).is_ok());

    let build_one = |key: PublicKey, alg| {
        Verifier::builder()
            .public_key(key)
            .algorithms([alg])
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .build()
    };
    let p256 = fixture().public_key(jwsgate::KeyKind::EcP256);
    assert_eq!(
        build_one(p256.clone(), ES384).unwrap_err(),
        ConfigError::AlgorithmNotSupportedByKeys(jwsgate::Algorithm::ES384)
    );
    assert!(build_one(p256, ES256).is_ok());
    // A JWK pinned to RS256 cannot verify PS256, though its type could.
    let pinned = fixture()
        .jwk(jwsgate::KeyKind::Rsa)
        .replacen('{', r#"{"alg":"RS256","#, 1);
    let pinned = || PublicKey::from_jwk(pinned.as_bytes()).unwrap();
    assert_eq!(
        build_one(pinned(), PS256).unwrap_err(),
        ConfigError::AlgorithmNotSupportedByKeys(jwsgate::Algorithm::PS256)
    );
    assert!(build_one(pinned(), RS256).is_ok());
    let err = build_set(&[ES256]).unwrap_err().to_string();
    assert!(
        err.contains("ES256") && err.contains("no configured key"),
        "{err}"
    );
}

/// Without `algorithms(..)`, the allowed set is exactly what the keys can verify; a key
/// store, whose keys change, allows every asymmetric algorithm and is not checked against
/// its current set (documented on `algorithms`): a token of an algorithm no current key
/// verifies is refused per token.
#[test]
fn default_algorithms_are_what_the_keys_verify_and_stores_are_not_checked() {
    let rsa = Verifier::builder()
        .key_set(rsa_only_set())
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .build()
        .unwrap();
    assert_eq!(
        rsa.allowed_algorithms(),
        rsa_only_set().supported_algorithms()
    );
    let names: Vec<_> = rsa.allowed_algorithms().iter().map(|a| a.name()).collect();
    assert_eq!(
        names,
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
    );
    let one = Verifier::builder()
        .public_key(fixture().public_key(jwsgate::KeyKind::Ed25519))
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .build()
        .unwrap();
    let names: Vec<_> = one.allowed_algorithms().iter().map(|a| a.name()).collect();
    assert_eq!(names, ["EdDSA"]);

    let store = std::sync::Arc::new(jwsgate::KeyStore::new(rsa_only_set()));
    let v = Verifier::builder()
        .key_store(store.clone())
        .algorithms([jwsgate::AsymmetricAlg::ES256])
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .build()
        .unwrap();
    let token = signed(jwsgate::Algorithm::ES256, r#"{"alg":"ES256"}"#);
    assert_code(&v, &token, "unknown_key");
    // Once the store holds a key for it, the same verifier accepts the token.
    store.store(fixture().key_set());
    assert_valid(&v, &token);
}

/// An `oct` JWK pinned by its `alg` to one HMAC algorithm, asked for another with a
/// secret long enough for it, reports the pin (`HmacKeyPinned`), not a short secret.
#[test]
fn a_pinned_oct_jwk_asked_for_another_algorithm_reports_the_pin() {
    let jwk = |alg: &str| {
        format!(
            r#"{{"kty":"oct","alg":"{alg}","k":"{}"}}"#,
            b64(&HMAC_SECRET)
        )
    };
    let build = |alg: &str, want: HmacAlg| {
        Verifier::builder()
            .hmac_key(StrongHmacKey::from_jwk(jwk(alg).as_bytes()).unwrap())
            .algorithms([want])
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .build()
    };
    assert_eq!(
        build("HS256", HmacAlg::HS512).unwrap_err(),
        ConfigError::HmacKeyPinned {
            pinned: HmacAlg::HS256,
            requested: HmacAlg::HS512
        }
    );
    assert_eq!(
        build("HS512", HmacAlg::HS384).unwrap_err(),
        ConfigError::HmacKeyPinned {
            pinned: HmacAlg::HS512,
            requested: HmacAlg::HS384
        }
    );
    let msg = build("HS256", HmacAlg::HS384).unwrap_err().to_string();
    assert!(
        msg.contains("pinned to HS256") && !msg.contains("short"),
        "{msg}"
    );
    assert!(build("HS384", HmacAlg::HS384).is_ok());
    // A secret that is really too short still says so.
    let short = StrongHmacKey::new(&HMAC_SECRET[..32]).unwrap();
    let err = Verifier::builder()
        .hmac_key(short)
        .algorithms([HmacAlg::HS512])
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .build()
        .unwrap_err();
    assert!(
        matches!(err, ConfigError::HmacKeyTooShort { .. }),
        "{err:?}"
    );
}

/// An HMAC key store guarantees its algorithms for every secret it will hold: asking a
/// store of a 32-byte secret for HS512 fails at build, a subset of what it supports builds.
#[test]
fn an_hmac_store_is_asked_only_for_what_it_supports() {
    use std::sync::Arc;
    let short = Arc::new(jwsgate::HmacKeyStore::new(
        StrongHmacKey::new(&HMAC_SECRET[..32]).unwrap(),
    ));
    let err = Verifier::builder()
        .hmac_store(Arc::clone(&short))
        .algorithms([HmacAlg::HS256, HmacAlg::HS512])
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .build()
        .unwrap_err();
    assert!(
        matches!(err, ConfigError::AlgorithmNotSupportedByKeys(a) if a == HmacAlg::HS512.algorithm()),
        "{err:?}"
    );
    let v = Verifier::builder()
        .hmac_store(short)
        .algorithms([HmacAlg::HS256])
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .build()
        .unwrap();
    let allowed: Vec<_> = v.allowed_algorithms().iter().collect();
    assert_eq!(allowed, [HmacAlg::HS256.algorithm()]);
}

/// An empty audience list is as much a misconfiguration as an empty audience in it.
#[test]
fn an_empty_audience_list_does_not_build() {
    let key = || StrongHmacKey::new(&HMAC_SECRET).unwrap();
    let none: [&str; 0] = [];
    let err = Verifier::builder()
        .hmac_key(key())
        .issuer(ISSUER)
        .audiences(none)
        .build()
        .unwrap_err();
    assert_eq!(err, ConfigError::InvalidPolicy("empty audience"));
    let err = Verifier::builder()
        .hmac_key(key())
        .issuer(ISSUER)
        .audiences([AUDIENCE, ""])
        .build()
        .unwrap_err();
    assert_eq!(err, ConfigError::InvalidPolicy("empty audience"));
}

/// A required scope that is empty, or holds a space (two scopes in one), can never be
/// matched as the operator meant: refused at build.
#[test]
fn an_empty_or_spaced_required_scope_does_not_build() {
    for scope in ["", "orders:read orders:write", " "] {
        let err = Verifier::builder()
            .hmac_key(StrongHmacKey::new(&HMAC_SECRET).unwrap())
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .require_scope(scope)
            .build()
            .unwrap_err();
        assert_eq!(
            err,
            ConfigError::InvalidPolicy("a required scope is not an RFC 6749 scope-token"),
            "{scope:?}"
        );
    }
}

/// The builder holds a required scope to RFC 6749's scope-token, the rule the HTTP layer
/// holds advertised scopes to: a tab, a line feed, a quote, a backslash or a non-ASCII
/// character is never in a scope an authorization server grants, so such a requirement
/// would turn every request into a 403. Names within the rule build.
#[test]
fn a_required_scope_outside_the_scope_token_rule_does_not_build() {
    let build = |scope: &str| {
        Verifier::builder()
            .hmac_key(StrongHmacKey::new(&HMAC_SECRET).unwrap())
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .require_scope(scope)
            .build()
    };
    for scope in [
        "read\twrite",
        "read\n",
        "a\"b",
        "a\\b",
        "lecture-é",
        "\u{7f}",
    ] {
        assert_eq!(
            build(scope).err(),
            Some(ConfigError::InvalidPolicy(
                "a required scope is not an RFC 6749 scope-token"
            )),
            "{scope:?}"
        );
    }
    for scope in ["orders:read", "api://orders/read", "!", "~#[]"] {
        assert!(build(scope).is_ok(), "{scope:?}");
    }
}
