//! The `aws-lc` backend: aws-lc-rs for every algorithm, P-521 included. Public keys are
//! parsed once, at load, into `ParsedPublicKey`s, so a verification makes no parse and no
//! allocation on the Rust heap (AWS-LC's own per-call `EVP_PKEY_CTX` lives on the C heap).

use aws_lc_rs::signature::{self as sig, ParsedPublicKey, VerificationAlgorithm};

use crate::alg::{AsymmetricAlg, HmacAlg, KeyKind};
use crate::error::ConfigError;

pub(super) const NAME: &str = "aws-lc";

/// An HMAC key: AWS-LC's `HMAC_CTX`, keyed once. AWS-LC wipes it on drop.
pub(crate) struct HmacKey(aws_lc_rs::hmac::Key);

impl HmacKey {
    pub(crate) fn new(alg: HmacAlg, secret: &[u8]) -> HmacKey {
        let algorithm = match alg {
            HmacAlg::HS256 => aws_lc_rs::hmac::HMAC_SHA256,
            HmacAlg::HS384 => aws_lc_rs::hmac::HMAC_SHA384,
            HmacAlg::HS512 => aws_lc_rs::hmac::HMAC_SHA512,
        };
        HmacKey(aws_lc_rs::hmac::Key::new(algorithm, secret))
    }

    /// Whether `tag` is the tag of `message`, compared in constant time by AWS-LC.
    pub(crate) fn verify(&self, message: &[u8], tag: &[u8]) -> bool {
        aws_lc_rs::hmac::verify(&self.0, message, tag).is_ok()
    }
}

/// The RSA algorithms, in the order of [`VerifyKey::Rsa`]'s keys.
const RSA_ALGS: [AsymmetricAlg; 6] = [
    AsymmetricAlg::RS256,
    AsymmetricAlg::RS384,
    AsymmetricAlg::RS512,
    AsymmetricAlg::PS256,
    AsymmetricAlg::PS384,
    AsymmetricAlg::PS512,
];

/// A validated public key, parsed by AWS-LC once.
#[derive(Clone)]
pub(crate) enum VerifyKey {
    /// An RSA key, parsed once per algorithm (an aws-lc-rs `ParsedPublicKey` is bound to
    /// one padding and hash), in [`RSA_ALGS`] order.
    Rsa {
        modulus_len: usize,
        keys: Box<[ParsedPublicKey; 6]>,
    },
    /// An ECDSA key (P-256, P-384 or P-521) and the one algorithm of its curve.
    Ecdsa {
        alg: AsymmetricAlg,
        key: ParsedPublicKey,
    },
    /// An Ed25519 key.
    Ed25519(ParsedPublicKey),
}

fn parse(
    algorithm: &'static dyn VerificationAlgorithm,
    bytes: &[u8],
) -> Result<ParsedPublicKey, ConfigError> {
    ParsedPublicKey::new(algorithm, bytes)
        .map_err(|_| ConfigError::InvalidKey("key refused by AWS-LC"))
}

impl VerifyKey {
    /// An RSA key from its minimal big-endian `n` and `e`, already validated by `keys`.
    pub(crate) fn rsa(n: &[u8], e: &[u8]) -> Result<VerifyKey, ConfigError> {
        let der = rsa_public_key_der(n, e);
        let keys = [
            parse(&sig::RSA_PKCS1_2048_8192_SHA256, &der)?,
            parse(&sig::RSA_PKCS1_2048_8192_SHA384, &der)?,
            parse(&sig::RSA_PKCS1_2048_8192_SHA512, &der)?,
            parse(&sig::RSA_PSS_2048_8192_SHA256, &der)?,
            parse(&sig::RSA_PSS_2048_8192_SHA384, &der)?,
            parse(&sig::RSA_PSS_2048_8192_SHA512, &der)?,
        ];
        Ok(VerifyKey::Rsa {
            modulus_len: n.len(),
            keys: Box::new(keys),
        })
    }

    /// An EC key of `kind` from its SEC1 uncompressed point, already checked on its curve.
    pub(crate) fn ec(kind: KeyKind, sec1_uncompressed: &[u8]) -> Result<VerifyKey, ConfigError> {
        let (alg, algorithm): (_, &'static dyn VerificationAlgorithm) = match kind {
            KeyKind::EcP256 => (AsymmetricAlg::ES256, &sig::ECDSA_P256_SHA256_FIXED),
            KeyKind::EcP384 => (AsymmetricAlg::ES384, &sig::ECDSA_P384_SHA384_FIXED),
            KeyKind::EcP521 => (AsymmetricAlg::ES512, &sig::ECDSA_P521_SHA512_FIXED),
            KeyKind::Rsa | KeyKind::Ed25519 => {
                return Err(ConfigError::InvalidKey("not an EC key kind"));
            }
        };
        Ok(VerifyKey::Ecdsa {
            alg,
            key: parse(algorithm, sec1_uncompressed)?,
        })
    }

    /// An Ed25519 key, already checked canonical and not of small order.
    pub(crate) fn ed25519(point: [u8; 32]) -> Result<VerifyKey, ConfigError> {
        parse(&sig::ED25519, &point).map(VerifyKey::Ed25519)
    }

    /// The RSA modulus length in bytes (the signature length); `None` for other kinds.
    pub(crate) fn modulus_len(&self) -> Option<usize> {
        match self {
            VerifyKey::Rsa { modulus_len, .. } => Some(*modulus_len),
            _ => None,
        }
    }

    /// Whether `signature` is `alg`'s signature of `message` with this key. An algorithm
    /// of another key kind never verifies.
    pub(crate) fn verify(&self, alg: AsymmetricAlg, message: &[u8], signature: &[u8]) -> bool {
        let key = match self {
            VerifyKey::Rsa { keys, .. } => match RSA_ALGS.iter().position(|a| *a == alg) {
                Some(i) => keys.get(i),
                None => None,
            },
            VerifyKey::Ecdsa { alg: own, key } => (*own == alg).then_some(key),
            VerifyKey::Ed25519(key) => (alg == AsymmetricAlg::EdDSA).then_some(key),
        };
        key.is_some_and(|k| k.verify_sig(message, signature).is_ok())
    }
}

/// The DER `RSAPublicKey` (RFC 8017 §A.1.1) of the minimal big-endian `n` and `e`.
fn rsa_public_key_der(n: &[u8], e: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(n.len() + e.len() + 16);
    der_integer(&mut body, n);
    der_integer(&mut body, e);
    let mut out = Vec::with_capacity(body.len() + 4);
    out.push(0x30);
    der_length(&mut out, body.len());
    out.extend_from_slice(&body);
    out
}

/// A DER INTEGER of the non-negative big-endian `magnitude` (a zero octet in front when
/// the top bit is set, so the value stays positive).
fn der_integer(out: &mut Vec<u8>, magnitude: &[u8]) {
    let pad = magnitude.first().is_none_or(|b| b & 0x80 != 0);
    out.push(0x02);
    der_length(out, magnitude.len() + usize::from(pad));
    if pad {
        out.push(0);
    }
    out.extend_from_slice(magnitude);
}

/// A DER definite length (an 8192-bit modulus is 1025 octets: two length octets at most
/// for any key `keys` accepts; longer lengths are written in full all the same).
fn der_length(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.extend_from_slice(&len.to_be_bytes()[core::mem::size_of::<usize>() - 1..]);
        return;
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    let significant = bytes.get(skip..).unwrap_or_default();
    out.push(0x80 | significant.len() as u8);
    out.extend_from_slice(significant);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_lengths_are_minimal() {
        let mut out = Vec::new();
        der_length(&mut out, 0x7f);
        der_length(&mut out, 0x80);
        der_length(&mut out, 0x0101);
        assert_eq!(out, [0x7f, 0x81, 0x80, 0x82, 0x01, 0x01]);
    }

    #[test]
    fn rsa_integers_stay_positive() {
        let der = rsa_public_key_der(&[0x80, 0x01], &[0x01, 0x00, 0x01]);
        assert_eq!(
            der,
            [
                0x30, 0x0a, 0x02, 0x03, 0x00, 0x80, 0x01, 0x02, 0x03, 0x01, 0x00, 0x01
            ]
        );
    }
}
