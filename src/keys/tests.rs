//! Tests of the keys layer as a whole: RFC known answers, every algorithm signed with ring
//! (or p521) and verified through `PublicKey::verify`, JWK rules, PEM round trips, the
//! selection rule, the store.
//!
//! Test code only: mod.rs declares this module under #[cfg(test)].

use base64ct::{Base64, Encoding};
use ring::rand::SystemRandom;
use ring::signature::{self as sig, EcdsaKeyPair, Ed25519KeyPair, KeyPair, RsaKeyPair};

use super::*;
use crate::alg::{Algorithm, AlgorithmSet, AsymmetricAlg, KeyKind};
use crate::base64url;
use crate::error::{ConfigError, Error};

fn b64(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    base64url::decode_into_vec(text.as_bytes(), &mut out).unwrap();
    out
}

// --- RFC known answers (transcribed data) -------------------------------------------

/// RFC 7515 appendix A.2.1: the RSA key's modulus.
const RFC7515_A2_N: &str = concat!(
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddx",
    "HmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMs",
    "D1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSH",
    "SXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdV",
    "MTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8",
    "NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ",
);
/// RFC 7515 appendix A.2: signing input and RS256 signature.
const RFC7515_A2_INPUT: &str = concat!(
    "eyJhbGciOiJSUzI1NiJ9",
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt",
    "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ",
);
const RFC7515_A2_SIG: &str = concat!(
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7",
    "AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4",
    "BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K",
    "0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqv",
    "hJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrB",
    "p0igcN_IoypGlUPQGe77Rw",
);

/// RFC 7515 appendix A.3: the P-256 key, signing input and ES256 signature.
const RFC7515_A3_X: &str = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
const RFC7515_A3_Y: &str = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
const RFC7515_A3_INPUT: &str = concat!(
    "eyJhbGciOiJFUzI1NiJ9",
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt",
    "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ",
);
const RFC7515_A3_SIG: &str =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
/// The same P-256 public key as SPKI PEM.
const RFC7515_A3_PEM: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEf83OJ3D2xF1Bg8vub9tLe1gHMzV7
6e8Tus9uPHvRVEXH8UTNG72bfocs3+257rn0s2ldbqkLJK2KRiMohYjlrQ==
-----END PUBLIC KEY-----
";

/// RFC 7515 appendix A.4: the P-521 key (public and private), signing input, ES512
/// signature.
const RFC7515_A4_X: &str =
    "AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk";
const RFC7515_A4_Y: &str =
    "ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2";
const RFC7515_A4_D: &str =
    "AY5pb7A0UFiB3RELSD64fTLOSV_jazdF7fLYyuTw8lOfRhWg6Y6rUrPAxerEzgdRhajnu0ferB0d53vM9mE15j2C";
const RFC7515_A4_INPUT: &str = "eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA";
const RFC7515_A4_SIG: &str = concat!(
    "AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7Xdt",
    "AG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn",
);
/// The same P-521 public key as SPKI PEM.
const RFC7515_A4_PEM: &str = "-----BEGIN PUBLIC KEY-----
MIGbMBAGByqGSM49AgEGBSuBBAAjA4GGAAQB6SkFDxJPxrxVx9U5M2Xfne9KsMIs
sleY+TTrBOPGuuNwGlenkQ6dgb82MVno68sVXWNJ9L22zPipTFxZx6rBAaQANKZE
DjdnUNI3H9G9wsjztx0vTuXqNDLIFcyjFWD+XZOH7HdLVYOGMOXLv1qMvgqR3QBk
xpmaH25uZ/rd7eTIyPY=
-----END PUBLIC KEY-----
";

/// RFC 8037 appendix A.4: the Ed25519 public key, signing input and signature.
const RFC8037_A4_X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
const RFC8037_A4_INPUT: &str = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
const RFC8037_A4_SIG: &str =
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

const RSA2048_PKCS8: &[u8] = include_bytes!("testdata/rsa2048.pk8.der");
const RSA2048_SPKI_PEM: &str = include_str!("testdata/rsa2048.spki.pem");
const RSA2048_PKCS1_PEM: &str = include_str!("testdata/rsa2048.pkcs1.pem");
const RSA1024_SPKI_PEM: &str = include_str!("testdata/rsa1024.spki.pem");

fn rfc_rsa_jwk() -> String {
    format!(r#"{{"kty":"RSA","n":"{RFC7515_A2_N}","e":"AQAB"}}"#)
}

fn ec_jwk(crv: &str, x: &str, y: &str) -> String {
    format!(r#"{{"kty":"EC","crv":"{crv}","x":"{x}","y":"{y}"}}"#)
}

#[test]
fn rfc_7515_and_8037_examples_verify() {
    let cases = [
        (
            PublicKey::from_jwk(rfc_rsa_jwk().as_bytes()).unwrap(),
            AsymmetricAlg::RS256,
            RFC7515_A2_INPUT,
            RFC7515_A2_SIG,
        ),
        (
            PublicKey::from_jwk(ec_jwk("P-256", RFC7515_A3_X, RFC7515_A3_Y).as_bytes()).unwrap(),
            AsymmetricAlg::ES256,
            RFC7515_A3_INPUT,
            RFC7515_A3_SIG,
        ),
        (
            PublicKey::from_pem(RFC7515_A3_PEM.as_bytes()).unwrap(),
            AsymmetricAlg::ES256,
            RFC7515_A3_INPUT,
            RFC7515_A3_SIG,
        ),
        (
            PublicKey::from_jwk(ec_jwk("P-521", RFC7515_A4_X, RFC7515_A4_Y).as_bytes()).unwrap(),
            AsymmetricAlg::ES512,
            RFC7515_A4_INPUT,
            RFC7515_A4_SIG,
        ),
        (
            PublicKey::from_pem(RFC7515_A4_PEM.as_bytes()).unwrap(),
            AsymmetricAlg::ES512,
            RFC7515_A4_INPUT,
            RFC7515_A4_SIG,
        ),
        (
            PublicKey::from_jwk(
                format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{RFC8037_A4_X}"}}"#).as_bytes(),
            )
            .unwrap(),
            AsymmetricAlg::EdDSA,
            RFC8037_A4_INPUT,
            RFC8037_A4_SIG,
        ),
    ];
    for (key, alg, input, signature) in cases {
        let signature = b64(signature);
        assert_eq!(
            key.verify(alg, input.as_bytes(), &signature),
            Ok(()),
            "{alg:?}"
        );
        // One changed message byte, one changed signature byte: refused.
        let mut message = input.as_bytes().to_vec();
        *message.last_mut().unwrap() ^= 1;
        assert_eq!(
            key.verify(alg, &message, &signature),
            Err(Error::InvalidSignature)
        );
        let mut tampered = signature.clone();
        tampered[signature.len() / 2] ^= 0x10;
        assert_eq!(
            key.verify(alg, input.as_bytes(), &tampered),
            Err(Error::InvalidSignature)
        );
    }
}

#[test]
fn p521_all_zero_signature_is_refused() {
    // CVE-2022-21449 ("psychic signatures"): r = s = 0 must never verify.
    let key = PublicKey::from_pem(RFC7515_A4_PEM.as_bytes()).unwrap();
    let zero = [0u8; 132];
    assert_eq!(
        key.verify(AsymmetricAlg::ES512, RFC7515_A4_INPUT.as_bytes(), &zero),
        Err(Error::InvalidSignature)
    );
    let key = PublicKey::from_pem(RFC7515_A3_PEM.as_bytes()).unwrap();
    assert_eq!(
        key.verify(AsymmetricAlg::ES256, RFC7515_A3_INPUT.as_bytes(), &[0; 64]),
        Err(Error::InvalidSignature)
    );
}

// --- every algorithm, signed in the test ---------------------------------------------

/// A signer for one algorithm and the public key that must verify it.
struct Signer {
    alg: AsymmetricAlg,
    key: PublicKey,
    /// The raw public key (SEC1 point, Ed25519 octets; empty for RSA).
    public: Vec<u8>,
    sign: SignFn,
}

type SignFn = Box<dyn Fn(&[u8]) -> Vec<u8>>;

fn rsa_signers() -> Vec<Signer> {
    let pair = std::sync::Arc::new(RsaKeyPair::from_pkcs8(RSA2048_PKCS8).unwrap());
    let components = sig::RsaPublicKeyComponents::<Vec<u8>>::from(pair.public());
    let encodings: [(AsymmetricAlg, &'static dyn sig::RsaEncoding); 6] = [
        (AsymmetricAlg::RS256, &sig::RSA_PKCS1_SHA256),
        (AsymmetricAlg::RS384, &sig::RSA_PKCS1_SHA384),
        (AsymmetricAlg::RS512, &sig::RSA_PKCS1_SHA512),
        (AsymmetricAlg::PS256, &sig::RSA_PSS_SHA256),
        (AsymmetricAlg::PS384, &sig::RSA_PSS_SHA384),
        (AsymmetricAlg::PS512, &sig::RSA_PSS_SHA512),
    ];
    encodings
        .into_iter()
        .map(|(alg, encoding)| {
            let pair = pair.clone();
            Signer {
                alg,
                key: PublicKey::from_rsa_components(&components.n, &components.e).unwrap(),
                public: Vec::new(),
                sign: Box::new(move |msg| {
                    let mut out = vec![0; pair.public().modulus_len()];
                    pair.sign(encoding, &SystemRandom::new(), msg, &mut out)
                        .unwrap();
                    out
                }),
            }
        })
        .collect()
}

fn ecdsa_signer(
    alg: AsymmetricAlg,
    kind: KeyKind,
    signing: &'static sig::EcdsaSigningAlgorithm,
) -> Signer {
    let rng = SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(signing, &rng).unwrap();
    let pair = EcdsaKeyPair::from_pkcs8(signing, pkcs8.as_ref(), &rng).unwrap();
    Signer {
        alg,
        key: PublicKey::from_ec_point(kind, pair.public_key().as_ref()).unwrap(),
        public: pair.public_key().as_ref().to_vec(),
        sign: Box::new(move |msg| {
            pair.sign(&SystemRandom::new(), msg)
                .unwrap()
                .as_ref()
                .to_vec()
        }),
    }
}

fn p521_signer() -> Signer {
    use p521::ecdsa::signature::Signer as _;
    let signing = p521::ecdsa::SigningKey::from_slice(&b64(RFC7515_A4_D)).unwrap();
    let point = signing.verifying_key().to_sec1_point(false);
    Signer {
        alg: AsymmetricAlg::ES512,
        key: PublicKey::from_ec_point(KeyKind::EcP521, point.as_ref()).unwrap(),
        public: point.as_ref().to_vec(),
        sign: Box::new(move |msg| {
            let s: p521::ecdsa::Signature = signing.sign(msg);
            s.to_bytes().to_vec()
        }),
    }
}

fn ed25519_signer() -> Signer {
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
    Signer {
        alg: AsymmetricAlg::EdDSA,
        key: PublicKey::from_ed25519(pair.public_key().as_ref()).unwrap(),
        public: pair.public_key().as_ref().to_vec(),
        sign: Box::new(move |msg| pair.sign(msg).as_ref().to_vec()),
    }
}

fn all_signers() -> Vec<Signer> {
    let mut signers = rsa_signers();
    signers.push(ecdsa_signer(
        AsymmetricAlg::ES256,
        KeyKind::EcP256,
        &sig::ECDSA_P256_SHA256_FIXED_SIGNING,
    ));
    signers.push(ecdsa_signer(
        AsymmetricAlg::ES384,
        KeyKind::EcP384,
        &sig::ECDSA_P384_SHA384_FIXED_SIGNING,
    ));
    signers.push(p521_signer());
    signers.push(ed25519_signer());
    signers
}

#[test]
fn every_asymmetric_algorithm_verifies_and_refuses() {
    let signers = all_signers();
    let covered: Vec<AsymmetricAlg> = signers.iter().map(|s| s.alg).collect();
    assert_eq!(covered, AsymmetricAlg::ALL.to_vec());
    let message = b"eyJhbGciOiJ0ZXN0In0.eyJzdWIiOiJqd3NnYXRlIn0";
    for signer in &signers {
        let alg = signer.alg;
        let signature = (signer.sign)(message);
        assert_eq!(
            signer.key.verify(alg, message, &signature),
            Ok(()),
            "{alg:?}"
        );
        assert_eq!(signer.key.signature_len(alg), signature.len());

        // Wrong message, flipped bit, truncated, extended, empty: invalid_signature.
        assert_eq!(
            signer.key.verify(alg, b"other message", &signature),
            Err(Error::InvalidSignature)
        );
        let mut flipped = signature.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(
            signer.key.verify(alg, message, &flipped),
            Err(Error::InvalidSignature)
        );
        let short = &signature[..signature.len() - 1];
        assert_eq!(
            signer.key.verify(alg, message, short),
            Err(Error::InvalidSignature)
        );
        let long = [&signature[..], &[0]].concat();
        assert_eq!(
            signer.key.verify(alg, message, &long),
            Err(Error::InvalidSignature)
        );
        assert_eq!(
            signer.key.verify(alg, message, &[]),
            Err(Error::InvalidSignature)
        );

        // Every algorithm of another key kind: algorithm_not_allowed.
        for other in AsymmetricAlg::ALL {
            if other.key_kind() != alg.key_kind() {
                assert_eq!(
                    signer.key.verify(other, message, &signature),
                    Err(Error::AlgorithmNotAllowed(other.algorithm())),
                    "{alg:?} key asked for {other:?}"
                );
            }
        }
    }
}

#[test]
fn rsa_signature_of_another_padding_or_hash_is_refused() {
    let signers = rsa_signers();
    let message = b"message";
    for signer in &signers {
        let signature = (signer.sign)(message);
        for other in &signers {
            if other.alg != signer.alg {
                assert_eq!(
                    other.key.verify(other.alg, message, &signature),
                    Err(Error::InvalidSignature),
                    "{:?} signature as {:?}",
                    signer.alg,
                    other.alg
                );
            }
        }
    }
}

// --- validation at load ---------------------------------------------------------------

#[test]
fn ec_points_off_their_curve_are_refused() {
    let rng = SystemRandom::new();
    let mut points = Vec::new();
    for (kind, alg) in [
        (KeyKind::EcP256, &sig::ECDSA_P256_SHA256_FIXED_SIGNING),
        (KeyKind::EcP384, &sig::ECDSA_P384_SHA384_FIXED_SIGNING),
    ] {
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(alg, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(alg, pkcs8.as_ref(), &rng).unwrap();
        points.push((kind, pair.public_key().as_ref().to_vec()));
    }
    let p521 = [&[4u8][..], &b64(RFC7515_A4_X), &b64(RFC7515_A4_Y)].concat();
    points.push((KeyKind::EcP521, p521));

    for (kind, point) in points {
        assert!(PublicKey::from_ec_point(kind, &point).is_ok(), "{kind:?}");
        let coordinate = (point.len() - 1) / 2;
        let crv = match kind {
            KeyKind::EcP256 => "P-256",
            KeyKind::EcP384 => "P-384",
            _ => "P-521",
        };
        // Flip a byte of y: the point leaves the curve.
        let mut bad = point.clone();
        *bad.last_mut().unwrap() ^= 0x01;
        assert_eq!(
            PublicKey::from_ec_point(kind, &bad).unwrap_err(),
            ConfigError::InvalidKey("EC point is not on its curve"),
            "{kind:?}"
        );
        let jwk = ec_jwk(
            crv,
            &base64url::encode(&bad[1..=coordinate]),
            &base64url::encode(&bad[1 + coordinate..]),
        );
        assert_eq!(
            PublicKey::from_jwk(jwk.as_bytes()).unwrap_err(),
            ConfigError::InvalidKey("EC point is not on its curve")
        );
        // The point of another curve, a compressed point, the identity: refused.
        let other_kind = if kind == KeyKind::EcP256 {
            KeyKind::EcP384
        } else {
            KeyKind::EcP256
        };
        assert!(PublicKey::from_ec_point(other_kind, &point).is_err());
        let mut compressed = point[..=coordinate].to_vec();
        compressed[0] = 2;
        assert!(PublicKey::from_ec_point(kind, &compressed).is_err());
        assert!(PublicKey::from_ec_point(kind, &[0]).is_err());
        let mut zeros = vec![0; point.len()];
        zeros[0] = 4;
        assert!(PublicKey::from_ec_point(kind, &zeros).is_err());
        // Coordinates of the wrong length in a JWK.
        let long_x = base64url::encode(&[&[0u8][..], &point[1..=coordinate]].concat());
        let x = base64url::encode(&point[1..=coordinate]);
        let y = base64url::encode(&point[1 + coordinate..]);
        // Either coordinate alone of the wrong length is named as such.
        for jwk in [ec_jwk(crv, &long_x, &y), ec_jwk(crv, &x, &long_x)] {
            assert_eq!(
                PublicKey::from_jwk(jwk.as_bytes()).err(),
                Some(ConfigError::InvalidKey(
                    "EC JWK coordinate of the wrong length for its curve"
                )),
                "{jwk}"
            );
        }
    }
    assert!(PublicKey::from_ec_point(KeyKind::Rsa, &[4; 65]).is_err());
}

#[test]
fn small_or_odd_rsa_keys_are_refused() {
    assert_eq!(
        PublicKey::from_pem(RSA1024_SPKI_PEM.as_bytes()).unwrap_err(),
        ConfigError::RsaKeyTooSmall { bits: 1024 }
    );
    let e = [1, 0, 1];
    let mut n2047 = vec![0xff; 256];
    n2047[0] = 0x7f;
    assert_eq!(
        PublicKey::from_rsa_components(&n2047, &e).unwrap_err(),
        ConfigError::RsaKeyTooSmall { bits: 2047 }
    );
    // Leading zeros do not count: 257 bytes, 2047 bits.
    let padded = [&[0u8][..], &n2047].concat();
    assert_eq!(
        PublicKey::from_rsa_components(&padded, &e).unwrap_err(),
        ConfigError::RsaKeyTooSmall { bits: 2047 }
    );
    // 0xc5…c5 with its last octet varied until no prime below 1000 divides it.
    let n2048 = (1..=255u8)
        .step_by(2)
        .map(|last| [&[0xc5; 255][..], &[last]].concat())
        .find(|n| PublicKey::from_rsa_components(n, &e).is_ok())
        .unwrap();
    let last = n2048[255];
    assert!(
        PublicKey::from_rsa_components(&[&[0u8, 0][..], &n2048].concat(), &[0, 1, 0, 1]).is_ok()
    );
    let even = [&n2048[..255], &[last - 1]].concat();
    assert!(PublicKey::from_rsa_components(&even, &e).is_err());
    assert!(matches!(
        PublicKey::from_rsa_components(&[&[0xc5; 1024][..], &n2048[..1]].concat(), &e),
        Err(ConfigError::UnsupportedKey(_))
    ));
    for bad_e in [
        &[][..],
        &[1],
        &[2],
        &[4],
        &[1, 0, 0],
        &[2, 0, 0, 0, 1],
        &[1, 0, 0, 0, 0, 1],
    ] {
        assert!(
            PublicKey::from_rsa_components(&n2048, bad_e).is_err(),
            "e = {bad_e:?}"
        );
    }
    assert!(PublicKey::from_rsa_components(&n2048, &[3]).is_ok());
    assert!(PublicKey::from_rsa_components(&n2048, &[1, 0xff, 0xff, 0xff, 0xff]).is_ok());
}

#[test]
fn ed25519_keys_are_32_bytes() {
    // RFC 8032 §5.1: the base point B (y = 4/5), a valid public key.
    let base = [&[0x58][..], &[0x66; 31]].concat();
    assert!(PublicKey::from_ed25519(&base).is_ok());
    assert!(PublicKey::from_ed25519(&[1; 31]).is_err());
    assert!(PublicKey::from_ed25519(&[1; 33]).is_err());
    let jwk = format!(
        r#"{{"kty":"OKP","crv":"Ed25519","x":"{}"}}"#,
        base64url::encode(&[1; 31])
    );
    assert!(PublicKey::from_jwk(jwk.as_bytes()).is_err());
}

// --- JWK rules --------------------------------------------------------------------------

#[test]
fn oct_keys_are_refused_as_public_keys() {
    let k = base64url::encode(b"0123456789abcdefghijklmnopqrstuvwxyz");
    let oct = format!(r#"{{"kty":"oct","k":"{k}"}}"#);
    assert_eq!(
        PublicKey::from_jwk(oct.as_bytes()).unwrap_err(),
        ConfigError::SymmetricKeyInAsymmetricSet
    );
    let set = format!(r#"{{"keys":[{},{oct}]}}"#, rfc_rsa_jwk());
    assert_eq!(
        KeySet::from_jwks(set.as_bytes()).unwrap_err(),
        ConfigError::SymmetricKeyInAsymmetricSet
    );
}

#[test]
fn unsupported_key_types_and_curves() {
    let x = base64url::encode(&[9; 32]);
    for jwk in [
        format!(
            r#"{{"kty":"OKP","crv":"Ed448","x":"{}"}}"#,
            base64url::encode(&[9; 57])
        ),
        format!(r#"{{"kty":"OKP","crv":"X25519","x":"{x}"}}"#),
        format!(r#"{{"kty":"EC","crv":"secp256k1","x":"{x}","y":"{x}"}}"#),
        r#"{"kty":"AKP","alg":"ML-DSA-44","pub":"AAAA"}"#.to_string(),
    ] {
        assert!(
            matches!(
                PublicKey::from_jwk(jwk.as_bytes()),
                Err(ConfigError::UnsupportedKey(_))
            ),
            "{jwk}"
        );
    }
}

#[test]
fn private_material_is_refused() {
    let with_d = format!(
        r#"{{"kty":"EC","crv":"P-521","x":"{RFC7515_A4_X}","y":"{RFC7515_A4_Y}","d":"{RFC7515_A4_D}"}}"#
    );
    assert_eq!(
        PublicKey::from_jwk(with_d.as_bytes()).unwrap_err(),
        ConfigError::InvalidKey("JWK holds private key material")
    );
    for member in ["p", "q", "dp", "dq", "qi", "oth"] {
        let jwk = format!(r#"{{"kty":"RSA","n":"{RFC7515_A2_N}","e":"AQAB","{member}":"AQAB"}}"#);
        assert_eq!(
            PublicKey::from_jwk(jwk.as_bytes()).unwrap_err(),
            ConfigError::InvalidKey("JWK holds private key material"),
            "{member}"
        );
    }
}

#[test]
fn malformed_jwks_are_refused() {
    for jwk in [
        String::new(),
        "[]".to_string(),
        r#"["RSA","x"]"#.to_string(),
        "{".to_string(),
        "{}".to_string(),
        r#"{"kty":5}"#.to_string(),
        r#"{"kty":"RSA","e":"AQAB"}"#.to_string(),
        format!(r#"{{"kty":"RSA","n":"{RFC7515_A2_N}=","e":"AQAB"}}"#),
        format!(r#"{{"kty":"RSA","n":"{RFC7515_A2_N}","e":"AQAB","n":"{RFC7515_A2_N}"}}"#),
        format!(r#"{{"kty":"RSA","kty":"RSA","n":"{RFC7515_A2_N}","e":"AQAB"}}"#),
        format!(
            r#"{{"kty":"RSA","n":"{}","e":"AQAB"}}"#,
            RFC7515_A2_N.replace('_', "/")
        ),
        format!(r#"{{"kty":"RSA","n":"{RFC7515_A2_N}","e":"AQAB","kid":7}}"#),
        format!(r#"{{"kty":"RSA","n":"{RFC7515_A2_N}","e":"AQAB","key_ops":"verify"}}"#),
        format!(r#"{{"kty":"RSA","n":"{RFC7515_A2_N}","e":"AQAB","use":true}}"#),
        format!(r#"{{"kty":"EC","x":"{RFC7515_A3_X}","y":"{RFC7515_A3_Y}"}}"#),
        format!(r#"{{"kty":"EC","crv":"P-256","x":"{RFC7515_A3_X}"}}"#),
    ] {
        assert!(PublicKey::from_jwk(jwk.as_bytes()).is_err(), "{jwk}");
    }
    let huge = format!(
        r#"{{"kty":"OKP","crv":"Ed25519","x":"{}"}}"#,
        "A".repeat(70_000)
    );
    assert_eq!(
        PublicKey::from_jwk(huge.as_bytes()).unwrap_err(),
        ConfigError::InvalidKey("JWK document too large")
    );
}

#[test]
fn alg_use_and_key_ops_restrict_the_key() {
    let rsa = |extra: &str| format!(r#"{{"kty":"RSA","n":"{RFC7515_A2_N}","e":"AQAB"{extra}}}"#);

    let pinned = PublicKey::from_jwk(rsa(r#","alg":"PS384","kid":"k1""#).as_bytes()).unwrap();
    assert_eq!(pinned.kid(), Some("k1"));
    assert_eq!(pinned.pinned_algorithm(), Some(AsymmetricAlg::PS384));
    for alg in AsymmetricAlg::ALL {
        assert_eq!(pinned.fits(alg), alg == AsymmetricAlg::PS384, "{alg:?}");
    }
    assert_eq!(
        pinned.verify(AsymmetricAlg::RS256, b"m", &[0; 256]),
        Err(Error::AlgorithmNotAllowed(Algorithm::RS256))
    );

    // An alg of another family or kind: a misconfigured key, refused.
    for alg in ["HS256", "ES256", "EdDSA"] {
        assert!(
            matches!(
                PublicKey::from_jwk(rsa(&format!(r#","alg":"{alg}""#)).as_bytes()),
                Err(ConfigError::InvalidKey(_))
            ),
            "{alg}"
        );
    }
    // Not meant for signatures, or an algorithm jwsgate does not know: never verifies.
    for extra in [
        r#","use":"enc""#,
        r#","use":"other""#,
        r#","key_ops":["encrypt","wrapKey"]"#,
        r#","key_ops":[]"#,
        r#","alg":"RSA-OAEP""#,
        r#","alg":"none""#,
        r#","alg":"rs256""#,
        r#","use":"enc","alg":"RS256""#,
    ] {
        let key = PublicKey::from_jwk(rsa(extra).as_bytes()).unwrap();
        assert!(
            AsymmetricAlg::ALL.iter().all(|alg| !key.fits(*alg)),
            "{extra}"
        );
        assert_eq!(
            key.verify(
                AsymmetricAlg::RS256,
                RFC7515_A2_INPUT.as_bytes(),
                &b64(RFC7515_A2_SIG)
            ),
            Err(Error::AlgorithmNotAllowed(Algorithm::RS256)),
            "{extra}"
        );
    }
    // Allowed spellings.
    for extra in [
        r#","use":"sig""#,
        r#","key_ops":["verify"]"#,
        r#","key_ops":["sign","verify"],"alg":"RS256""#,
        r#","x5c":["MIIB"],"ext":true,"unknown":{"a":[1,2]}"#,
    ] {
        let key = PublicKey::from_jwk(rsa(extra).as_bytes()).unwrap();
        assert_eq!(
            key.verify(
                AsymmetricAlg::RS256,
                RFC7515_A2_INPUT.as_bytes(),
                &b64(RFC7515_A2_SIG)
            ),
            Ok(()),
            "{extra}"
        );
    }
    // RFC 9864's fully specified Ed25519 pins EdDSA.
    let ed = format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{RFC8037_A4_X}","alg":"Ed25519"}}"#);
    let ed = PublicKey::from_jwk(ed.as_bytes()).unwrap();
    assert_eq!(ed.pinned_algorithm(), Some(AsymmetricAlg::EdDSA));
    // Only on an Ed25519 key, and only that name: an algorithm jwsgate does not know
    // (ECDH-ES, RSA-OAEP) on any key, or `Ed25519` on an RSA key, never verifies.
    let okp = |alg: &str| {
        format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{RFC8037_A4_X}","alg":"{alg}"}}"#)
    };
    for jwk in [
        okp("ECDH-ES"),
        okp("ed25519"),
        rsa_jwk("r", r#","alg":"Ed25519""#),
    ] {
        let key = PublicKey::from_jwk(jwk.as_bytes()).unwrap();
        assert_eq!(key.pinned_algorithm(), None, "{jwk}");
        assert!(!key.is_usable(), "{jwk}");
        assert!(!key.fits(AsymmetricAlg::EdDSA), "{jwk}");
    }
}

// --- PEM round trips ----------------------------------------------------------------------

/// SPKI DER prefixes (everything before the key octets) for the fixed-size keys.
const SPKI_P256_PREFIX: &str = "3059301306072a8648ce3d020106082a8648ce3d030107034200";
const SPKI_P384_PREFIX: &str = "3076301006072a8648ce3d020106052b81040022036200";
const SPKI_ED25519_PREFIX: &str = "302a300506032b6570032100";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn pem(label: &str, der: &[u8]) -> String {
    let body = Base64::encode_string(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| core::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

#[test]
fn pem_round_trips_for_every_key_kind() {
    let message = b"pem round trip";
    // RSA: the same key as SPKI and PKCS#1, verifying ring's signatures.
    for text in [RSA2048_SPKI_PEM, RSA2048_PKCS1_PEM] {
        let key = PublicKey::from_pem(text.as_bytes()).unwrap();
        assert_eq!(key.kind(), KeyKind::Rsa);
        for signer in rsa_signers() {
            let signature = (signer.sign)(message);
            assert_eq!(key.verify(signer.alg, message, &signature), Ok(()));
        }
    }
    // EC P-256, P-384 and Ed25519: ring's generated public keys, wrapped as SPKI PEM.
    for (signer, prefix) in [
        (
            ecdsa_signer(
                AsymmetricAlg::ES256,
                KeyKind::EcP256,
                &sig::ECDSA_P256_SHA256_FIXED_SIGNING,
            ),
            SPKI_P256_PREFIX,
        ),
        (
            ecdsa_signer(
                AsymmetricAlg::ES384,
                KeyKind::EcP384,
                &sig::ECDSA_P384_SHA384_FIXED_SIGNING,
            ),
            SPKI_P384_PREFIX,
        ),
    ] {
        let der = [hex(prefix), signer.public.clone()].concat();
        let key = PublicKey::from_pem(pem("PUBLIC KEY", &der).as_bytes()).unwrap();
        assert_eq!(PublicKey::from_spki_der(&der).unwrap().kind(), key.kind());
        let signature = (signer.sign)(message);
        assert_eq!(key.verify(signer.alg, message, &signature), Ok(()));
    }
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
    let der = [
        hex(SPKI_ED25519_PREFIX),
        pair.public_key().as_ref().to_vec(),
    ]
    .concat();
    let key = PublicKey::from_pem(pem("PUBLIC KEY", &der).as_bytes()).unwrap();
    assert_eq!(key.kind(), KeyKind::Ed25519);
    assert_eq!(
        key.verify(AsymmetricAlg::EdDSA, message, pair.sign(message).as_ref()),
        Ok(())
    );
    // P-521: the RFC 7515 A.4 key as PEM signs with p521.
    let signer = p521_signer();
    let key = PublicKey::from_pem(RFC7515_A4_PEM.as_bytes()).unwrap();
    assert_eq!(
        key.verify(AsymmetricAlg::ES512, message, &(signer.sign)(message)),
        Ok(())
    );

    // Damaged DER: trailing data, Ed25519 with parameters, wrong bit-string padding.
    let mut trailing = der.clone();
    trailing.push(0);
    assert!(PublicKey::from_spki_der(&trailing).is_err());
    assert!(PublicKey::from_spki_der(&der[..der.len() - 1]).is_err());
    let mut unused_bits = der.clone();
    unused_bits[10] = 1;
    assert!(PublicKey::from_spki_der(&unused_bits).is_err());
}

#[test]
fn private_key_pem_is_refused() {
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
    let text = pem("PRIVATE KEY", pkcs8.as_ref());
    assert!(matches!(
        PublicKey::from_pem(text.as_bytes()),
        Err(ConfigError::InvalidKey(_))
    ));
    // The private key's DER as if it were a public key: refused, never a panic.
    assert!(PublicKey::from_pem(pem("PUBLIC KEY", pkcs8.as_ref()).as_bytes()).is_err());
}

// --- key sets and selection ---------------------------------------------------------------

fn p256_jwk(kid: &str, extra: &str) -> String {
    format!(
        r#"{{"kty":"EC","crv":"P-256","kid":"{kid}","x":"{RFC7515_A3_X}","y":"{RFC7515_A3_Y}"{extra}}}"#
    )
}

fn rsa_jwk(kid: &str, extra: &str) -> String {
    format!(r#"{{"kty":"RSA","kid":"{kid}","n":"{RFC7515_A2_N}","e":"AQAB"{extra}}}"#)
}

#[test]
fn select_follows_kid_then_alg() {
    let doc = format!(
        r#"{{"keys":[{},{},{}]}}"#,
        rsa_jwk("rsa-1", r#","use":"sig""#),
        p256_jwk("ec-1", ""),
        rsa_jwk("rsa-enc", r#","use":"enc""#),
    );
    let set = KeySet::from_jwks(doc.as_bytes()).unwrap();
    assert_eq!(set.len(), 2, "the enc key is left out");
    assert!(!set.is_empty());
    assert_eq!(
        set.iter().map(PublicKey::kid).collect::<Vec<_>>(),
        vec![Some("rsa-1"), Some("ec-1")]
    );

    // With kid: exactly that key.
    assert_eq!(
        set.select(Some("rsa-1"), AsymmetricAlg::PS512)
            .unwrap()
            .kid(),
        Some("rsa-1")
    );
    assert_eq!(
        set.select(Some("ec-1"), AsymmetricAlg::ES256)
            .unwrap()
            .kid(),
        Some("ec-1")
    );
    assert_eq!(
        set.select(Some("ec-1"), AsymmetricAlg::RS256).unwrap_err(),
        Error::AlgorithmNotAllowed(Algorithm::RS256)
    );
    assert_eq!(
        set.select(Some("EC-1"), AsymmetricAlg::ES256).unwrap_err(),
        Error::UnknownKey
    );
    assert_eq!(
        set.select(Some("ec-"), AsymmetricAlg::ES256).unwrap_err(),
        Error::UnknownKey
    );
    assert_eq!(
        set.select(Some("rsa-enc"), AsymmetricAlg::RS256)
            .unwrap_err(),
        Error::UnknownKey
    );

    // Without kid: the single key that fits.
    assert_eq!(
        set.select(None, AsymmetricAlg::ES256).unwrap().kid(),
        Some("ec-1")
    );
    assert_eq!(
        set.select(None, AsymmetricAlg::RS256).unwrap().kid(),
        Some("rsa-1")
    );
    assert_eq!(
        set.select(None, AsymmetricAlg::ES384).unwrap_err(),
        Error::UnknownKey
    );

    let expected: AlgorithmSet = [
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::ES256,
    ]
    .into_iter()
    .collect();
    assert_eq!(set.supported_algorithms(), expected);

    // Two keys fit RS256 without kid: ambiguous, unknown_key; pins break the tie.
    let doc = format!(
        r#"{{"keys":[{},{}]}}"#,
        rsa_jwk("a", r#","alg":"RS256""#),
        rsa_jwk("b", r#","alg":"PS256""#)
    );
    let set = KeySet::from_jwks(doc.as_bytes()).unwrap();
    assert_eq!(
        set.select(None, AsymmetricAlg::PS256).unwrap().kid(),
        Some("b")
    );
    let doc = format!(r#"{{"keys":[{},{}]}}"#, rsa_jwk("a", ""), rsa_jwk("b", ""));
    let set = KeySet::from_jwks(doc.as_bytes()).unwrap();
    assert_eq!(
        set.select(None, AsymmetricAlg::RS256).unwrap_err(),
        Error::UnknownKey
    );
    assert_eq!(
        set.supported_algorithms().iter().count(),
        6,
        "RSA keys fit the six RSA algorithms"
    );
}

#[test]
fn jwks_document_rules() {
    // Unknown kty and unsupported curves are ignored; at least one usable key remains.
    let doc = format!(
        r#"{{"keys":[{{"kty":"XYZ","n":5}},{{"kty":"OKP","crv":"Ed448","x":"AA"}},{}],"extra":1}}"#,
        p256_jwk("ec", "")
    );
    assert_eq!(KeySet::from_jwks(doc.as_bytes()).unwrap().len(), 1);

    // RSA-1024 keys are skipped; only such keys: invalid key set.
    let small = PublicKey::from_pem(RSA1024_SPKI_PEM.as_bytes()).unwrap_err();
    assert!(matches!(small, ConfigError::RsaKeyTooSmall { bits: 1024 }));
    let n1024 = base64url::encode(&[0xc5; 128]);
    let doc = format!(
        r#"{{"keys":[{{"kty":"RSA","n":"{n1024}","e":"AQAB"}},{}]}}"#,
        p256_jwk("a", "")
    );
    assert_eq!(KeySet::from_jwks(doc.as_bytes()).unwrap().len(), 1);
    let doc = format!(r#"{{"keys":[{{"kty":"RSA","n":"{n1024}","e":"AQAB"}}]}}"#);
    assert!(matches!(
        KeySet::from_jwks(doc.as_bytes()),
        Err(ConfigError::InvalidKeySet(_))
    ));

    for (doc, why) in [
        (r#"{"keys":[]}"#.to_string(), "empty"),
        (r#"{"keys":[{"kty":"XYZ"}]}"#.to_string(), "nothing usable"),
        (
            format!(r#"{{"keys":[{}]}}"#, rsa_jwk("e", r#","use":"enc""#)),
            "only enc",
        ),
        (
            format!(
                r#"{{"keys":[{},{}]}}"#,
                rsa_jwk("same", ""),
                p256_jwk("same", "")
            ),
            "dup kid",
        ),
        (r#"{"kids":[]}"#.to_string(), "no keys"),
        (r#"[]"#.to_string(), "not an object"),
        (r#"{"keys":{}}"#.to_string(), "keys not an array"),
        (r#"{"keys":[[]]}"#.to_string(), "key not an object"),
        (
            format!(r#"{{"keys":[{}],"keys":[]}}"#, p256_jwk("a", "")),
            "repeated keys",
        ),
    ] {
        assert!(
            matches!(
                KeySet::from_jwks(doc.as_bytes()),
                Err(ConfigError::InvalidKeySet(_))
            ),
            "{why}"
        );
    }
    // A malformed key of a known type refuses the set with its own error.
    let mut off_curve_y = b64(RFC7515_A3_Y);
    off_curve_y[31] ^= 1;
    let doc = format!(
        r#"{{"keys":[{},{}]}}"#,
        p256_jwk("ok", ""),
        ec_jwk("P-256", RFC7515_A3_X, &base64url::encode(&off_curve_y))
    );
    assert_eq!(
        KeySet::from_jwks(doc.as_bytes()).unwrap_err(),
        ConfigError::InvalidKey("EC point is not on its curve")
    );

    // Limits: keys count and document size.
    let many: Vec<String> = (0..=crate::limits::MAX_JWKS_KEYS)
        .map(|i| p256_jwk(&format!("k{i}"), ""))
        .collect();
    let doc = format!(r#"{{"keys":[{}]}}"#, many.join(","));
    assert!(matches!(
        KeySet::from_jwks(doc.as_bytes()),
        Err(ConfigError::InvalidKeySet(_))
    ));
    let doc = format!(
        r#"{{"keys":[{}]}}"#,
        many[..crate::limits::MAX_JWKS_KEYS].join(",")
    );
    assert_eq!(
        KeySet::from_jwks(doc.as_bytes()).unwrap().len(),
        crate::limits::MAX_JWKS_KEYS
    );
    let padded = format!(
        r#"{{"pad":"{}","keys":[{}]}}"#,
        "x".repeat(crate::limits::MAX_JWKS_BYTES),
        p256_jwk("a", "")
    );
    assert!(matches!(
        KeySet::from_jwks(padded.as_bytes()),
        Err(ConfigError::InvalidKeySet(_))
    ));
}

#[test]
fn from_keys_applies_the_same_rules() {
    let a = PublicKey::from_pem(RFC7515_A3_PEM.as_bytes()).unwrap();
    let b = PublicKey::from_pem(RFC7515_A4_PEM.as_bytes()).unwrap();
    let set = KeySet::from_keys(vec![a.clone().with_kid("a"), b.clone()]).unwrap();
    assert_eq!(set.len(), 2);
    assert_eq!(
        set.select(None, AsymmetricAlg::ES512).unwrap().kind(),
        KeyKind::EcP521
    );
    assert!(KeySet::from_keys(vec![]).is_err());
    assert!(KeySet::from_keys(vec![a.clone().with_kid("x"), b.clone().with_kid("x")]).is_err());
    let too_many = vec![a.clone(); crate::limits::MAX_JWKS_KEYS + 1];
    assert_eq!(
        KeySet::from_keys(too_many).err(),
        Some(ConfigError::InvalidKeySet("too many keys"))
    );
    // Exactly the limit (distinct kids) is a set, iterated in order by `&set` too.
    let at_limit: Vec<PublicKey> = (0..crate::limits::MAX_JWKS_KEYS)
        .map(|i| a.clone().with_kid(&format!("k{i}")))
        .collect();
    let set = KeySet::from_keys(at_limit).unwrap();
    assert_eq!(set.len(), crate::limits::MAX_JWKS_KEYS);
    let kids: Vec<&str> = (&set).into_iter().filter_map(PublicKey::kid).collect();
    let expected: Vec<String> = (0..crate::limits::MAX_JWKS_KEYS)
        .map(|i| format!("k{i}"))
        .collect();
    assert_eq!(kids, expected);
}

/// An EC SubjectPublicKeyInfo names its curve by OID: a curve jwsgate does not support
/// and explicit curve parameters are unsupported keys (skipped in a set), anything else
/// there is an invalid key.
#[test]
fn spki_ec_parameters_are_refused_by_kind() {
    // SEQUENCE { SEQUENCE { id-ecPublicKey, <parameter> }, BIT STRING 00 04 … }.
    fn ec_spki(parameter: &[u8]) -> Vec<u8> {
        let tlv = |tag: u8, body: &[u8]| {
            let mut out = vec![tag, u8::try_from(body.len()).unwrap()];
            out.extend_from_slice(body);
            out
        };
        let algorithm = [hex("06072a8648ce3d0201"), parameter.to_vec()].concat();
        let mut point = vec![0x00, 0x04];
        point.extend_from_slice(&[0x11; 64]);
        tlv(0x30, &[tlv(0x30, &algorithm), tlv(0x03, &point)].concat())
    }
    let secp256k1 = hex("06052b8104000a");
    assert_eq!(
        PublicKey::from_spki_der(&ec_spki(&secp256k1)).err(),
        Some(ConfigError::UnsupportedKey("EC curve"))
    );
    assert_eq!(
        PublicKey::from_spki_der(&ec_spki(&hex("3003020101"))).err(),
        Some(ConfigError::UnsupportedKey("explicit EC parameters"))
    );
    for other in [hex("0500"), hex("0401aa")] {
        assert_eq!(
            PublicKey::from_spki_der(&ec_spki(&other)).err(),
            Some(ConfigError::InvalidKey("EC key without a named curve"))
        );
    }
}

#[test]
fn key_store_swaps_sets() {
    let first =
        KeySet::from_jwks(format!(r#"{{"keys":[{}]}}"#, p256_jwk("one", "")).as_bytes()).unwrap();
    let second =
        KeySet::from_jwks(format!(r#"{{"keys":[{}]}}"#, p256_jwk("two", "")).as_bytes()).unwrap();
    let store = KeyStore::new(first);
    let before = store.load();
    store.store(second);
    assert!(
        before.select(Some("one"), AsymmetricAlg::ES256).is_ok(),
        "a loaded set stays"
    );
    assert!(
        store
            .load()
            .select(Some("two"), AsymmetricAlg::ES256)
            .is_ok()
    );
    assert!(
        store
            .load()
            .select(Some("one"), AsymmetricAlg::ES256)
            .is_err()
    );
    assert!(format!("{store:?}").contains("two"));
}

#[test]
fn debug_shows_kid_and_kind_only() {
    let key = PublicKey::from_jwk(rsa_jwk("kid-1", "").as_bytes()).unwrap();
    let shown = format!("{key:?}");
    assert_eq!(shown, r#"PublicKey { kid: Some("kid-1"), kind: Rsa, .. }"#);
    let set = KeySet::from_keys(vec![key]).unwrap();
    assert!(!format!("{set:?}").contains("AQAB"));
}

#[test]
fn keys_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<PublicKey>();
    check::<KeySet>();
    check::<KeyStore>();
    check::<StrongHmacKey>();
}

/// Only a document that is one JWK (an object with `kty`) is called one by
/// `KeySet::from_jwks`; anything else that is not a set keeps the set's own refusal, and
/// `PublicKey::from_jwk` says "without kty" for an object that is neither.
#[test]
fn only_one_jwk_is_called_one_jwk() {
    let not_a_set = ConfigError::InvalidKeySet(
        "not a JWK Set: a JSON object with a keys array of at most 64 JWK objects, no member repeated",
    );
    for doc in [&br#"{"n":"AQAB"}"#[..], b"[]", b"{}", br#"{"keys":"x"}"#] {
        assert_eq!(
            KeySet::from_jwks(doc).err(),
            Some(not_a_set.clone()),
            "{}",
            String::from_utf8_lossy(doc)
        );
    }
    assert_eq!(
        KeySet::from_jwks(rsa_jwk("r", "").as_bytes()).err(),
        Some(ConfigError::InvalidKeySet(jwk::ONE_JWK_GIVEN))
    );
    assert_eq!(
        PublicKey::from_jwk(br#"{"n":"AQAB"}"#).err(),
        Some(ConfigError::InvalidKey("JWK without kty"))
    );
}
