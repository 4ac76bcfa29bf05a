//! Fixed keys of every algorithm, a signer, and an independent signature check.
//!
//! Shared by the fuzz targets (`fuzz/src/lib.rs`) and the integration tests
//! (`tests/common/mod.rs`, `tests/fuzz_corpus.rs`), so that a corpus file holding a valid
//! token verifies in both. The keys are fixed test keys: they protect nothing.

use std::sync::OnceLock;

use jwsgate::{
    Algorithm, AlgorithmFamily, AsymmetricAlg, KeyKind, KeySet, PublicKey, StrongHmacKey, UnixTime,
    Verifier,
};
use p521::ecdsa::signature::{Signer as _, Verifier as _};
use ring::rand::SystemRandom;
use ring::signature::{self as sig, EcdsaKeyPair, Ed25519KeyPair, KeyPair, RsaKeyPair};

/// A 64-byte HMAC secret that passes jwsgate's strength checks (HS256, HS384, HS512).
pub const HMAC_SECRET: [u8; 64] = [
    0x41, 0xbf, 0xfd, 0x56, 0x91, 0x73, 0x1d, 0xd9, 0xf2, 0x5a, 0xef, 0x38, 0xa9, 0x88, 0xdd, 0x0f,
    0x04, 0xb4, 0x85, 0x2b, 0x55, 0xc2, 0x57, 0xc1, 0x7b, 0x57, 0x55, 0x22, 0xbf, 0x0a, 0x9c, 0xad,
    0xe0, 0xe2, 0x3e, 0xef, 0x30, 0xa4, 0x86, 0x22, 0x53, 0xd4, 0xc1, 0xed, 0x53, 0x07, 0x91, 0x73,
    0xbc, 0xd3, 0x83, 0xf5, 0x55, 0x4f, 0x38, 0x3f, 0xd6, 0x24, 0x6b, 0xce, 0x7d, 0xfb, 0xf4, 0xe2,
];

/// RSA-2048 private key, PKCS#8 DER (made with `openssl genpkey`).
pub const RSA_PK8: &[u8] = include_bytes!("../../tests/data/rsa2048.pk8.der");
/// P-256 private key, PKCS#8 DER.
pub const P256_PK8: &[u8] = include_bytes!("../../tests/data/p256.pk8.der");
/// P-384 private key, PKCS#8 DER.
pub const P384_PK8: &[u8] = include_bytes!("../../tests/data/p384.pk8.der");
/// Ed25519 private key, PKCS#8 v1 DER.
pub const ED25519_PK8: &[u8] = include_bytes!("../../tests/data/ed25519.pk8.der");
/// P-521 private scalar (66 bytes, big-endian).
pub const P521_SCALAR: [u8; 66] = [
    0x01, 0xf0, 0xd8, 0x2c, 0x47, 0xde, 0x99, 0x7b, 0xf6, 0x92, 0x49, 0x31, 0xb7, 0x5e, 0xb5, 0x7d,
    0xad, 0x02, 0xb2, 0x36, 0xab, 0x14, 0xa5, 0x16, 0x2b, 0x48, 0x6d, 0x52, 0xba, 0xbb, 0xc6, 0xa9,
    0xea, 0xa5, 0xfc, 0x73, 0xd9, 0x4d, 0x81, 0x38, 0x72, 0xf6, 0xc1, 0x54, 0xa0, 0xb4, 0x7b, 0xd1,
    0x5b, 0x50, 0xa9, 0x51, 0x71, 0x92, 0xe6, 0x6c, 0x15, 0x16, 0x99, 0x66, 0xba, 0x1a, 0xf9, 0x52,
    0x2b, 0x3c,
];

/// The issuer the fixture verifiers accept.
pub const ISSUER: &str = "https://issuer.example";
/// The audience the fixture verifiers accept.
pub const AUDIENCE: &str = "api://jwsgate";
/// The instant the fixture verifies at.
pub const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);
/// Claims that verify at [`NOW`] with the fixture verifiers.
pub const GOOD_CLAIMS: &str = r#"{"iss":"https://issuer.example","aud":"api://jwsgate","sub":"alice","exp":1700000600,"iat":1699999990,"scope":"read write"}"#;

/// Every key pair of the fixture.
pub struct Fixture {
    rsa: RsaKeyPair,
    p256: EcdsaKeyPair,
    p384: EcdsaKeyPair,
    p521: p521::ecdsa::SigningKey,
    ed25519: Ed25519KeyPair,
    rng: SystemRandom,
}

/// The `kid` the fixture gives the key of `kind` (HMAC keys: `"hmac"`).
pub fn kid(alg: Algorithm) -> &'static str {
    match alg.family() {
        AlgorithmFamily::Hmac(_) => "hmac",
        AlgorithmFamily::Asymmetric(a) => match a.key_kind() {
            KeyKind::Rsa => "rsa",
            KeyKind::EcP256 => "p256",
            KeyKind::EcP384 => "p384",
            KeyKind::EcP521 => "p521",
            KeyKind::Ed25519 => "ed25519",
        },
    }
}

/// Unpadded base64url.
pub fn b64(bytes: &[u8]) -> String {
    jwsgate::base64url::encode(bytes)
}

/// The fixture's key pairs (made once).
pub fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let rng = SystemRandom::new();
        Fixture {
            rsa: RsaKeyPair::from_pkcs8(RSA_PK8).expect("RSA test key"),
            p256: EcdsaKeyPair::from_pkcs8(&sig::ECDSA_P256_SHA256_FIXED_SIGNING, P256_PK8, &rng)
                .expect("P-256 test key"),
            p384: EcdsaKeyPair::from_pkcs8(&sig::ECDSA_P384_SHA384_FIXED_SIGNING, P384_PK8, &rng)
                .expect("P-384 test key"),
            p521: p521::ecdsa::SigningKey::from_slice(&P521_SCALAR).expect("P-521 test key"),
            ed25519: Ed25519KeyPair::from_pkcs8_maybe_unchecked(ED25519_PK8)
                .expect("Ed25519 test key"),
            rng,
        }
    })
}

impl Fixture {
    /// The raw public key of `kind`: RSA as (n, e) big-endian; EC as the SEC1 uncompressed
    /// point (in `.0`); Ed25519 as its 32 bytes (in `.0`).
    pub fn public_raw(&self, kind: KeyKind) -> (Vec<u8>, Vec<u8>) {
        match kind {
            KeyKind::Rsa => {
                let c: sig::RsaPublicKeyComponents<Vec<u8>> = self.rsa.public().into();
                (c.n, c.e)
            }
            KeyKind::EcP256 => (self.p256.public_key().as_ref().to_vec(), Vec::new()),
            KeyKind::EcP384 => (self.p384.public_key().as_ref().to_vec(), Vec::new()),
            KeyKind::EcP521 => (
                self.p521
                    .verifying_key()
                    .to_sec1_point(false)
                    .as_bytes()
                    .to_vec(),
                Vec::new(),
            ),
            KeyKind::Ed25519 => (self.ed25519.public_key().as_ref().to_vec(), Vec::new()),
        }
    }

    /// The public key of `kind` as a JWK (RFC 7517 / 7518 §6 / RFC 8037), with its `kid`.
    pub fn jwk(&self, kind: KeyKind) -> String {
        let (a, b) = self.public_raw(kind);
        let (crv, kid) = match kind {
            KeyKind::Rsa => {
                return format!(
                    r#"{{"kty":"RSA","kid":"rsa","use":"sig","n":"{}","e":"{}"}}"#,
                    b64(&a),
                    b64(&b)
                );
            }
            KeyKind::Ed25519 => {
                return format!(
                    r#"{{"kty":"OKP","kid":"ed25519","crv":"Ed25519","x":"{}"}}"#,
                    b64(&a)
                );
            }
            KeyKind::EcP256 => ("P-256", "p256"),
            KeyKind::EcP384 => ("P-384", "p384"),
            KeyKind::EcP521 => ("P-521", "p521"),
        };
        let coord = (a.len() - 1) / 2;
        format!(
            r#"{{"kty":"EC","kid":"{kid}","crv":"{crv}","x":"{}","y":"{}"}}"#,
            b64(&a[1..1 + coord]),
            b64(&a[1 + coord..])
        )
    }

    /// A JWK Set of every asymmetric key of the fixture.
    pub fn jwks(&self) -> String {
        let keys: Vec<String> = [
            KeyKind::Rsa,
            KeyKind::EcP256,
            KeyKind::EcP384,
            KeyKind::EcP521,
            KeyKind::Ed25519,
        ]
        .into_iter()
        .map(|k| self.jwk(k))
        .collect();
        format!(r#"{{"keys":[{}]}}"#, keys.join(","))
    }

    /// The jwsgate public key of `kind`, without a `kid`.
    pub fn public_key(&self, kind: KeyKind) -> PublicKey {
        let (a, b) = self.public_raw(kind);
        match kind {
            KeyKind::Rsa => PublicKey::from_rsa_components(&a, &b),
            KeyKind::Ed25519 => PublicKey::from_ed25519(&a),
            ec => PublicKey::from_ec_point(ec, &a),
        }
        .expect("fixture public key")
    }

    /// A key set holding every asymmetric key of the fixture, each with its [`kid`].
    pub fn key_set(&self) -> KeySet {
        let keys = [
            (KeyKind::Rsa, Algorithm::RS256),
            (KeyKind::EcP256, Algorithm::ES256),
            (KeyKind::EcP384, Algorithm::ES384),
            (KeyKind::EcP521, Algorithm::ES512),
            (KeyKind::Ed25519, Algorithm::EdDSA),
        ]
        .into_iter()
        .map(|(kind, alg)| self.public_key(kind).with_kid(kid(alg)))
        .collect();
        KeySet::from_keys(keys).expect("fixture key set")
    }

    /// The fixture's HMAC key.
    pub fn hmac_key(&self) -> StrongHmacKey {
        StrongHmacKey::new(&HMAC_SECRET).expect("fixture HMAC key")
    }

    /// A verifier of every asymmetric algorithm (issuer and audience checked).
    pub fn asymmetric_verifier(&self) -> Verifier {
        Verifier::builder()
            .key_set(self.key_set())
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .build()
            .expect("asymmetric verifier")
    }

    /// A verifier of HS256, HS384 and HS512 (issuer and audience checked).
    pub fn hmac_verifier(&self) -> Verifier {
        Verifier::builder()
            .hmac_key(self.hmac_key())
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .build()
            .expect("HMAC verifier")
    }

    /// Signs `message` with the fixture key for `alg`.
    pub fn sign(&self, alg: Algorithm, message: &[u8]) -> Vec<u8> {
        let rsa = |enc: &'static dyn sig::RsaEncoding| {
            let mut out = vec![0; self.rsa.public().modulus_len()];
            self.rsa
                .sign(enc, &self.rng, message, &mut out)
                .expect("RSA sign");
            out
        };
        let hmac = |a: ring::hmac::Algorithm| {
            let key = ring::hmac::Key::new(a, &HMAC_SECRET);
            ring::hmac::sign(&key, message).as_ref().to_vec()
        };
        match alg {
            Algorithm::HS256 => hmac(ring::hmac::HMAC_SHA256),
            Algorithm::HS384 => hmac(ring::hmac::HMAC_SHA384),
            Algorithm::HS512 => hmac(ring::hmac::HMAC_SHA512),
            Algorithm::RS256 => rsa(&sig::RSA_PKCS1_SHA256),
            Algorithm::RS384 => rsa(&sig::RSA_PKCS1_SHA384),
            Algorithm::RS512 => rsa(&sig::RSA_PKCS1_SHA512),
            Algorithm::PS256 => rsa(&sig::RSA_PSS_SHA256),
            Algorithm::PS384 => rsa(&sig::RSA_PSS_SHA384),
            Algorithm::PS512 => rsa(&sig::RSA_PSS_SHA512),
            Algorithm::ES256 => self
                .p256
                .sign(&self.rng, message)
                .expect("P-256 sign")
                .as_ref()
                .to_vec(),
            Algorithm::ES384 => self
                .p384
                .sign(&self.rng, message)
                .expect("P-384 sign")
                .as_ref()
                .to_vec(),
            Algorithm::ES512 => {
                let s: p521::ecdsa::Signature = self.p521.sign(message);
                s.to_bytes().to_vec()
            }
            Algorithm::EdDSA => self.ed25519.sign(message).as_ref().to_vec(),
        }
    }

    /// A compact token: `header_json` and `payload` encoded, signed with the key for
    /// `alg` (whatever the header says).
    pub fn token(&self, alg: Algorithm, header_json: &str, payload: &[u8]) -> String {
        let signing_input = format!("{}.{}", b64(header_json.as_bytes()), b64(payload));
        let signature = self.sign(alg, signing_input.as_bytes());
        format!("{signing_input}.{}", b64(&signature))
    }

    /// The standard header for `alg`: `{"alg":..,"kid":..,"typ":"JWT"}`.
    pub fn header(alg: Algorithm) -> String {
        format!(
            r#"{{"alg":"{}","kid":"{}","typ":"JWT"}}"#,
            alg.name(),
            kid(alg)
        )
    }

    /// A token that verifies at [`NOW`] with the fixture verifier for `alg`.
    pub fn good_token(&self, alg: Algorithm) -> String {
        self.token(alg, &Fixture::header(alg), GOOD_CLAIMS.as_bytes())
    }

    /// Checks `signature` over `message` with ring (or `p521`) directly, without jwsgate:
    /// the independent oracle the fuzz invariants compare against.
    pub fn raw_verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        let asym = |a: &'static dyn sig::VerificationAlgorithm, kind| {
            let (n, e) = self.public_raw(kind);
            if kind == KeyKind::Rsa {
                let p: &'static sig::RsaParameters = match alg {
                    Algorithm::RS256 => &sig::RSA_PKCS1_2048_8192_SHA256,
                    Algorithm::RS384 => &sig::RSA_PKCS1_2048_8192_SHA384,
                    Algorithm::RS512 => &sig::RSA_PKCS1_2048_8192_SHA512,
                    Algorithm::PS256 => &sig::RSA_PSS_2048_8192_SHA256,
                    Algorithm::PS384 => &sig::RSA_PSS_2048_8192_SHA384,
                    _ => &sig::RSA_PSS_2048_8192_SHA512,
                };
                return sig::RsaPublicKeyComponents { n: &n, e: &e }
                    .verify(p, message, signature)
                    .is_ok();
            }
            sig::UnparsedPublicKey::new(a, &n)
                .verify(message, signature)
                .is_ok()
        };
        let hmac = |a: ring::hmac::Algorithm| {
            ring::hmac::verify(&ring::hmac::Key::new(a, &HMAC_SECRET), message, signature).is_ok()
        };
        match alg {
            Algorithm::HS256 => hmac(ring::hmac::HMAC_SHA256),
            Algorithm::HS384 => hmac(ring::hmac::HMAC_SHA384),
            Algorithm::HS512 => hmac(ring::hmac::HMAC_SHA512),
            Algorithm::ES256 => asym(&sig::ECDSA_P256_SHA256_FIXED, KeyKind::EcP256),
            Algorithm::ES384 => asym(&sig::ECDSA_P384_SHA384_FIXED, KeyKind::EcP384),
            Algorithm::EdDSA => asym(&sig::ED25519, KeyKind::Ed25519),
            Algorithm::ES512 => match p521::ecdsa::Signature::from_slice(signature) {
                Ok(s) => self.p521.verifying_key().verify(message, &s).is_ok(),
                Err(_) => false,
            },
            _ => asym(&sig::ED25519, KeyKind::Rsa),
        }
    }
}

/// The asymmetric algorithm behind `alg`, if it is one.
pub fn asymmetric(alg: Algorithm) -> Option<AsymmetricAlg> {
    match alg.family() {
        AlgorithmFamily::Asymmetric(a) => Some(a),
        AlgorithmFamily::Hmac(_) => None,
    }
}
