//! Attack class: the token names its own key — an embedded `jwk` (CVE-2018-0114), or a
//! `jku`, `x5u` or `x5c` pointing at attacker keys (RFC 8725 §3.10; RFC 7515 §4.1.2–4.1.6).
//! jwsgate never fetches and never trusts them: keys come only from the configuration.

mod common;

use std::net::TcpListener;

use common::*;
use jwsgate::{Algorithm, KeyKind};
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair, KeyPair};

/// An attacker's own P-256 key pair and Ed25519 key pair, made fresh.
fn attacker_keys() -> (EcdsaKeyPair, Ed25519KeyPair) {
    let rng = SystemRandom::new();
    let p8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
    let ec = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, p8.as_ref(), &rng).unwrap();
    let p8 = Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
    let ed = Ed25519KeyPair::from_pkcs8(p8.as_ref()).unwrap();
    (ec, ed)
}

fn attacker_token(ec: &EcdsaKeyPair, header: &str) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(GOOD_CLAIMS.as_bytes()));
    let sig = ec.sign(&SystemRandom::new(), input.as_bytes()).unwrap();
    format!("{input}.{}", b64(sig.as_ref()))
}

fn ec_jwk(ec: &EcdsaKeyPair, kid: &str) -> String {
    let p = ec.public_key().as_ref();
    format!(
        r#"{{"kty":"EC","crv":"P-256","kid":"{kid}","x":"{}","y":"{}"}}"#,
        b64(&p[1..33]),
        b64(&p[33..])
    )
}

/// CVE-2018-0114 (node-jose, Cisco): a token signed with the attacker's key, carrying that
/// key as `jwk`, is refused: `invalid_signature` when it names (or falls to) a configured
/// key, `unknown_key` when it names the attacker's own kid.
#[test]
fn embedded_jwk_is_never_trusted() {
    let (ec, ed) = attacker_keys();
    let v = fixture().asymmetric_verifier();
    let jwk = ec_jwk(&ec, "attacker");
    for (header, code) in [
        (
            format!(r#"{{"alg":"ES256","jwk":{jwk}}}"#),
            "invalid_signature",
        ),
        (
            format!(r#"{{"alg":"ES256","kid":"p256","jwk":{jwk}}}"#),
            "invalid_signature",
        ),
        (
            format!(r#"{{"alg":"ES256","kid":"attacker","jwk":{jwk}}}"#),
            "unknown_key",
        ),
    ] {
        assert_code(&v, &attacker_token(&ec, &header), code);
    }
    // The same with an Ed25519 `jwk` (kty OKP).
    let x = b64(ed.public_key().as_ref());
    let header = format!(r#"{{"alg":"EdDSA","jwk":{{"kty":"OKP","crv":"Ed25519","x":"{x}"}}}}"#);
    let input = format!("{}.{}", b64(header.as_bytes()), b64(GOOD_CLAIMS.as_bytes()));
    let token = format!("{input}.{}", b64(ed.sign(input.as_bytes()).as_ref()));
    assert_code(&v, &token, "invalid_signature");
}

/// RFC 8725 §3.10: `jku` and `x5u` are never fetched. Both point at a loopback listener
/// that records any connection; after verifying, nothing has connected, and the attacker's
/// token is refused.
#[test]
fn jku_and_x5u_are_never_fetched() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
    let (ec, _) = attacker_keys();
    let v = fixture().asymmetric_verifier();
    for member in ["jku", "x5u"] {
        for kid in ["", r#","kid":"p256""#, r#","kid":"attacker""#] {
            let header = format!(r#"{{"alg":"ES256","{member}":"{url}"{kid}}}"#);
            let code = if kid.contains("attacker") {
                "unknown_key"
            } else {
                "invalid_signature"
            };
            assert_code(&v, &attacker_token(&ec, &header), code);
        }
    }
    let accepted = listener.accept();
    assert_eq!(
        accepted.map(|_| ()).unwrap_err().kind(),
        std::io::ErrorKind::WouldBlock,
        "the verifier connected to a jku/x5u URL"
    );
}

/// `x5c` (a certificate chain in the header) is not a key source either: the attacker's
/// token with a chain is `invalid_signature`.
#[test]
fn x5c_is_never_trusted() {
    let (ec, _) = attacker_keys();
    let v = fixture().asymmetric_verifier();
    // Not a real certificate: jwsgate must not even look inside.
    let chain = format!(r#"["{}","MIIBkTCB+wIJAL"]"#, b64(ec.public_key().as_ref()));
    let header = format!(r#"{{"alg":"ES256","x5c":{chain},"x5t#S256":"AAAA"}}"#);
    assert_code(&v, &attacker_token(&ec, &header), "invalid_signature");
}

/// A legitimately signed token that carries `jwk`, `jku`, `x5u` and `x5c` still verifies:
/// the parameters are read past, neither trusted nor treated as an error.
#[test]
fn legitimate_token_carrying_key_parameters_still_verifies() {
    let (ec, _) = attacker_keys();
    let f = fixture();
    let jwk = ec_jwk(&ec, "attacker");
    let header = format!(
        r#"{{"alg":"ES256","kid":"p256","jwk":{jwk},"jku":"https://evil.example/jwks","x5u":"https://evil.example/c","x5c":["MIIB"]}}"#
    );
    assert_valid(&f.asymmetric_verifier(), &signed(Algorithm::ES256, &header));
    let header =
        r#"{"alg":"HS256","jku":"https://evil.example/jwks","jwk":{"kty":"oct","k":"AAAA"}}"#;
    assert_valid(&f.hmac_verifier(), &signed(Algorithm::HS256, header));
    let _ = f.public_key(KeyKind::EcP256);
}
