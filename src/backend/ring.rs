//! The default backend: ring for HMAC, RSA, ECDSA P-256/P-384 and Ed25519 (ring parses
//! these public keys on every call: it has no parse-once verification key), RustCrypto's
//! `p521` for ECDSA P-521 (ring has no P-521), its `VerifyingKey` parsed once.

use p521::ecdsa::signature::Verifier as _;
use ring::signature::{self as sig, RsaPublicKeyComponents, UnparsedPublicKey};

use crate::alg::{AsymmetricAlg, HmacAlg, KeyKind};
use crate::error::ConfigError;

pub(super) const NAME: &str = "ring";

/// An HMAC key schedule (the inner and outer padded-hash states), computed once.
///
/// ring does not wipe this schedule on drop: it is secret-derived material that stays in
/// memory until reused.
pub(crate) struct HmacKey(ring::hmac::Key);

impl HmacKey {
    pub(crate) fn new(alg: HmacAlg, secret: &[u8]) -> HmacKey {
        HmacKey(ring::hmac::Key::new(alg.ring(), secret))
    }

    /// Whether `tag` is the tag of `message`, compared in constant time by ring.
    pub(crate) fn verify(&self, message: &[u8], tag: &[u8]) -> bool {
        ring::hmac::verify(&self.0, message, tag).is_ok()
    }
}

/// A validated public key in the form ring (or `p521`) takes.
#[derive(Clone)]
pub(crate) enum VerifyKey {
    /// Minimal big-endian modulus and exponent (no leading zero octets).
    Rsa { n: Box<[u8]>, e: Box<[u8]> },
    /// A P-256 or P-384 SEC1 uncompressed point (`0x04 ‖ x ‖ y`), checked on its curve.
    Ecdsa { point: Box<[u8]> },
    /// A P-521 key, parsed once.
    P521(Box<p521::ecdsa::VerifyingKey>),
    /// An Ed25519 public key.
    Ed25519([u8; 32]),
}

impl VerifyKey {
    /// An RSA key from its minimal big-endian `n` and `e`, already validated by `keys`.
    pub(crate) fn rsa(n: &[u8], e: &[u8]) -> Result<VerifyKey, ConfigError> {
        Ok(VerifyKey::Rsa {
            n: n.into(),
            e: e.into(),
        })
    }

    /// An EC key of `kind` from its SEC1 uncompressed point, already checked on its curve.
    pub(crate) fn ec(kind: KeyKind, sec1_uncompressed: &[u8]) -> Result<VerifyKey, ConfigError> {
        match kind {
            KeyKind::EcP256 | KeyKind::EcP384 => Ok(VerifyKey::Ecdsa {
                point: sec1_uncompressed.into(),
            }),
            KeyKind::EcP521 => p521::ecdsa::VerifyingKey::from_sec1_bytes(sec1_uncompressed)
                .map(|key| VerifyKey::P521(Box::new(key)))
                .map_err(|_| ConfigError::InvalidKey("EC point is not on its curve")),
            KeyKind::Rsa | KeyKind::Ed25519 => Err(ConfigError::InvalidKey("not an EC key kind")),
        }
    }

    /// An Ed25519 key, already checked canonical and not of small order.
    pub(crate) fn ed25519(point: [u8; 32]) -> Result<VerifyKey, ConfigError> {
        Ok(VerifyKey::Ed25519(point))
    }

    /// The RSA modulus length in bytes (the signature length); `None` for other kinds.
    pub(crate) fn modulus_len(&self) -> Option<usize> {
        match self {
            VerifyKey::Rsa { n, .. } => Some(n.len()),
            _ => None,
        }
    }

    /// Whether `signature` is `alg`'s signature of `message` with this key. An algorithm
    /// of another key kind never verifies.
    pub(crate) fn verify(&self, alg: AsymmetricAlg, message: &[u8], signature: &[u8]) -> bool {
        match self {
            VerifyKey::Rsa { n, e } => rsa_params(alg).is_some_and(|params| {
                RsaPublicKeyComponents { n: &**n, e: &**e }
                    .verify(params, message, signature)
                    .is_ok()
            }),
            VerifyKey::Ecdsa { point } => {
                let algorithm: &'static dyn sig::VerificationAlgorithm = match alg {
                    AsymmetricAlg::ES256 => &sig::ECDSA_P256_SHA256_FIXED,
                    AsymmetricAlg::ES384 => &sig::ECDSA_P384_SHA384_FIXED,
                    _ => return false,
                };
                UnparsedPublicKey::new(algorithm, &**point)
                    .verify(message, signature)
                    .is_ok()
            }
            VerifyKey::P521(key) => {
                alg == AsymmetricAlg::ES512
                    && p521::ecdsa::Signature::from_slice(signature)
                        .is_ok_and(|s| key.verify(message, &s).is_ok())
            }
            VerifyKey::Ed25519(point) => {
                alg == AsymmetricAlg::EdDSA
                    && UnparsedPublicKey::new(&sig::ED25519, &point[..])
                        .verify(message, signature)
                        .is_ok()
            }
        }
    }
}

/// ring's RSA parameters for `alg` (2048- to 8192-bit moduli); `None` for non-RSA.
fn rsa_params(alg: AsymmetricAlg) -> Option<&'static sig::RsaParameters> {
    Some(match alg {
        AsymmetricAlg::RS256 => &sig::RSA_PKCS1_2048_8192_SHA256,
        AsymmetricAlg::RS384 => &sig::RSA_PKCS1_2048_8192_SHA384,
        AsymmetricAlg::RS512 => &sig::RSA_PKCS1_2048_8192_SHA512,
        AsymmetricAlg::PS256 => &sig::RSA_PSS_2048_8192_SHA256,
        AsymmetricAlg::PS384 => &sig::RSA_PSS_2048_8192_SHA384,
        AsymmetricAlg::PS512 => &sig::RSA_PSS_2048_8192_SHA512,
        _ => return None,
    })
}
