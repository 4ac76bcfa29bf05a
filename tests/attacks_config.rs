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
