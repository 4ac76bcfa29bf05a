//! Attack class: HMAC/RSA key confusion — a token signed with HS256/384/512 using the
//! server's *public* key bytes as the HMAC secret (CVE-2015-9235, CVE-2016-10555,
//! CVE-2022-29217, CVE-2024-54150; RFC 8725 §2.1, §3.1).
//!
//! jwsgate's defence is structural: a verifier built from public keys only has asymmetric
//! algorithms in its allowed set, so an HS* token is `algorithm_not_allowed` before any
//! key is touched, whatever bytes it was signed with.

mod common;

use std::sync::Arc;

use common::*;
use jwsgate::{
    Algorithm, ConfigError, KeyKind, KeySet, KeyStore, PublicKey, StrongHmacKey, Verifier,
};

const HMACS: [Algorithm; 3] = [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512];

fn data(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Every form an attacker might feed to HMAC as "the public key".
fn public_key_forms() -> Vec<(String, Vec<u8>)> {
    let f = fixture();
    let mut forms = vec![
        ("RSA SPKI PEM".to_string(), data("rsa2048.spki.pem")),
        ("RSA PKCS#1 PEM".to_string(), data("rsa2048.pkcs1.pem")),
    ];
    let pem = String::from_utf8(data("rsa2048.spki.pem")).unwrap();
    forms.push((
        "RSA SPKI PEM, no trailing newline".into(),
        pem.trim_end().as_bytes().to_vec(),
    ));
    forms.push((
        "RSA SPKI PEM, CRLF".into(),
        pem.replace('\n', "\r\n").into_bytes(),
    ));
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    forms.push(("RSA SPKI base64 body".into(), body.clone().into_bytes()));
    let der = <base64ct::Base64 as base64ct::Encoding>::decode_vec(&body).unwrap();
    forms.push(("RSA SPKI DER".into(), der));
    let (n, e) = f.public_raw(KeyKind::Rsa);
    forms.push(("RSA modulus bytes".into(), n.clone()));
    forms.push((
        "RSA modulus with a leading zero".into(),
        [&[0u8][..], &n].concat(),
    ));
    forms.push(("RSA n||e".into(), [n, e].concat()));
    for kind in KEY_KINDS {
        forms.push((format!("{kind:?} JWK JSON"), f.jwk(kind).into_bytes()));
        if kind != KeyKind::Rsa {
            forms.push((format!("{kind:?} key bytes"), f.public_raw(kind).0));
        }
    }
    forms.push(("JWK Set JSON".into(), f.jwks().into_bytes()));
    forms
}

fn public_key_verifiers() -> Vec<(&'static str, Verifier)> {
    let f = fixture();
    let build =
        |b: jwsgate::VerifierBuilder<_, _, _>| b.issuer(ISSUER).audience(AUDIENCE).build().unwrap();
    let pem_key = PublicKey::from_pem(&data("rsa2048.spki.pem")).unwrap();
    let pkcs1_key = PublicKey::from_pem(&data("rsa2048.pkcs1.pem")).unwrap();
    let jwks = KeySet::from_jwks(f.jwks().as_bytes()).unwrap();
    vec![
        ("key set", f.asymmetric_verifier()),
        ("JWK Set document", build(Verifier::builder().key_set(jwks))),
        (
            "SPKI PEM public key",
            build(Verifier::builder().public_key(pem_key)),
        ),
        (
            "PKCS#1 PEM public key",
            build(Verifier::builder().public_key(pkcs1_key)),
        ),
        (
            "key store",
            build(Verifier::builder().key_store(Arc::new(KeyStore::new(f.key_set())))),
        ),
        (
            "Ed25519 public key",
            build(Verifier::builder().public_key(f.public_key(KeyKind::Ed25519))),
        ),
    ]
}

/// CVE-2015-9235 / CVE-2016-10555 / CVE-2022-29217 / CVE-2024-54150: HS256, HS384 and
/// HS512 tokens signed with the public key in every form, against verifiers holding that
/// public key in every form, are `algorithm_not_allowed` — with and without a `kid`.
#[test]
fn public_key_bytes_as_hmac_secret_are_algorithm_not_allowed() {
    let mut cases = 0;
    for (vname, v) in public_key_verifiers() {
        for (form, secret) in public_key_forms() {
            for alg in HMACS {
                let ring_alg = match alg {
                    Algorithm::HS256 => ring::hmac::HMAC_SHA256,
                    Algorithm::HS384 => ring::hmac::HMAC_SHA384,
                    _ => ring::hmac::HMAC_SHA512,
                };
                for header in [
                    format!(r#"{{"alg":"{}"}}"#, alg.name()),
                    format!(r#"{{"alg":"{}","kid":"rsa"}}"#, alg.name()),
                    format!(r#"{{"alg":"{}","kid":"ed25519","typ":"JWT"}}"#, alg.name()),
                ] {
                    let input =
                        format!("{}.{}", b64(header.as_bytes()), b64(GOOD_CLAIMS.as_bytes()));
                    let key = ring::hmac::Key::new(ring_alg, &secret);
                    let tag = ring::hmac::sign(&key, input.as_bytes());
                    let token = format!("{input}.{}", b64(tag.as_ref()));
                    match check(&v, &token) {
                        Err(jwsgate::Error::AlgorithmNotAllowed(a)) => assert_eq!(a, alg),
                        other => panic!("{vname} / {form} / {alg}: {other:?}"),
                    }
                    cases += 1;
                }
            }
        }
    }
    assert!(cases > 500, "{cases}");
}

/// The public-key verifiers still accept their own algorithms (the control: the refusal
/// above is about the algorithm, not a broken verifier).
#[test]
fn public_key_verifiers_accept_their_own_tokens() {
    let f = fixture();
    let v = f.asymmetric_verifier();
    for alg in Algorithm::ALL
        .into_iter()
        .filter(|a| asymmetric(*a).is_some())
    {
        assert_valid(&v, &f.good_token(alg));
    }
}

/// And an HMAC verifier refuses every asymmetric algorithm: the confusion is refused in
/// the other direction too (RFC 8725 §3.1: one key, one algorithm family).
#[test]
fn hmac_verifier_refuses_asymmetric_tokens() {
    let f = fixture();
    let v = f.hmac_verifier();
    for alg in Algorithm::ALL
        .into_iter()
        .filter(|a| asymmetric(*a).is_some())
    {
        assert_eq!(
            check(&v, &f.good_token(alg)),
            Err(jwsgate::Error::AlgorithmNotAllowed(alg))
        );
    }
}

/// RFC 8725 §3.1: a key restricted to one algorithm refuses the others of its kind
/// (an RS256-pinned JWK refuses PS256 and RS512 tokens signed with the same RSA key).
#[test]
fn a_pinned_key_refuses_other_algorithms_of_its_kind() {
    let f = fixture();
    let jwk = f
        .jwk(KeyKind::Rsa)
        .replace(r#""use":"sig""#, r#""alg":"RS256""#);
    let set = KeySet::from_jwks(format!(r#"{{"keys":[{jwk}]}}"#).as_bytes()).unwrap();
    let v = Verifier::builder()
        .key_set(set)
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .build()
        .unwrap();
    assert_valid(&v, &f.good_token(Algorithm::RS256));
    for alg in [Algorithm::PS256, Algorithm::RS512] {
        assert_code(&v, &f.good_token(alg), "algorithm_not_allowed");
    }
}

/// CVE-2022-29217 (PyJWT): the confusion also happens in configuration, when an operator
/// hands the public key file to the HMAC key source (`--hmac-key public.pem`): any holder
/// of the public key could then forge HS* tokens. A secret that is a PEM document, an
/// OpenSSH public key or a JWK is refused as guessable — it is public.
#[test]
fn public_keys_are_refused_as_hmac_secrets() {
    let f = fixture();
    let mut refused = vec![
        data("rsa2048.spki.pem"),
        data("rsa2048.pkcs1.pem"),
        f.jwk(KeyKind::Rsa).into_bytes(),
        f.jwk(KeyKind::EcP256).into_bytes(),
        f.jwks().into_bytes(),
        format!(
            "ssh-ed25519 {} user@host",
            b64(&f.public_raw(KeyKind::Ed25519).0)
        )
        .into_bytes(),
        format!("ssh-rsa {} user@host", b64(&f.public_raw(KeyKind::Rsa).0)).into_bytes(),
        format!(
            "ecdsa-sha2-nistp256 {}",
            b64(&f.public_raw(KeyKind::EcP256).0)
        )
        .into_bytes(),
    ];
    refused.push(
        format!(
            "  \n{}",
            String::from_utf8(data("rsa2048.spki.pem")).unwrap()
        )
        .into_bytes(),
    );
    for secret in refused {
        let err = StrongHmacKey::new(&secret).map(|_| ()).unwrap_err();
        assert!(
            matches!(err, ConfigError::WeakHmacKey(_)),
            "{err:?}: {}",
            String::from_utf8_lossy(&secret)
        );
    }
    assert!(StrongHmacKey::new(&HMAC_SECRET).is_ok());
}
