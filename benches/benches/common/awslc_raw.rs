//! `awslc_raw`: aws-lc-rs's own verification of one algorithm with the fixture's public
//! key, without jwsgate: the floor of the `aws-lc` backend, beside `ring_raw`. Every key
//! is parsed once (HMAC: a keyed `hmac::Key`; RSA, ECDSA on P-256/P-384/P-521 and Ed25519:
//! a `ParsedPublicKey`), as jwsgate's `aws-lc` backend holds them.

use aws_lc_rs::hmac;
use aws_lc_rs::signature::{self as sig, ParsedPublicKey, VerificationAlgorithm};
use jwsgate::{Algorithm, KeyKind};
use jwsgate_fixtures::{Fixture, HMAC_SECRET};

/// The primitive's verification of one algorithm, key already parsed.
// An `hmac::Key` holds AWS-LC's keyed `HMAC_CTX` inline (1.2 KiB): kept inline, not boxed,
// so that the floor makes no pointer hop jwsgate's backend does not make.
#[allow(clippy::large_enum_variant)]
pub enum AwsLcRaw {
    /// HMAC with [`HMAC_SECRET`].
    Hmac(hmac::Key),
    /// RSA, ECDSA or Ed25519.
    Parsed(ParsedPublicKey),
}

impl AwsLcRaw {
    /// The verifier of `alg` with the public key of `keys`.
    pub fn new(keys: &Fixture, alg: Algorithm) -> AwsLcRaw {
        let hmac_key = |a| AwsLcRaw::Hmac(hmac::Key::new(a, &HMAC_SECRET));
        let parsed = |a: &'static dyn VerificationAlgorithm, bytes: &[u8]| {
            AwsLcRaw::Parsed(ParsedPublicKey::new(a, bytes).expect("aws-lc parses the fixture key"))
        };
        let point = |kind| keys.public_raw(kind).0;
        let rsa = |a: &'static sig::RsaParameters| {
            let (n, e) = keys.public_raw(KeyKind::Rsa);
            parsed(a, &rsa_public_key_der(&n, &e))
        };
        match alg {
            Algorithm::HS256 => hmac_key(hmac::HMAC_SHA256),
            Algorithm::HS384 => hmac_key(hmac::HMAC_SHA384),
            Algorithm::HS512 => hmac_key(hmac::HMAC_SHA512),
            Algorithm::RS256 => rsa(&sig::RSA_PKCS1_2048_8192_SHA256),
            Algorithm::RS384 => rsa(&sig::RSA_PKCS1_2048_8192_SHA384),
            Algorithm::RS512 => rsa(&sig::RSA_PKCS1_2048_8192_SHA512),
            Algorithm::PS256 => rsa(&sig::RSA_PSS_2048_8192_SHA256),
            Algorithm::PS384 => rsa(&sig::RSA_PSS_2048_8192_SHA384),
            Algorithm::PS512 => rsa(&sig::RSA_PSS_2048_8192_SHA512),
            Algorithm::ES256 => parsed(&sig::ECDSA_P256_SHA256_FIXED, &point(KeyKind::EcP256)),
            Algorithm::ES384 => parsed(&sig::ECDSA_P384_SHA384_FIXED, &point(KeyKind::EcP384)),
            Algorithm::ES512 => parsed(&sig::ECDSA_P521_SHA512_FIXED, &point(KeyKind::EcP521)),
            Algorithm::EdDSA => parsed(&sig::ED25519, &point(KeyKind::Ed25519)),
        }
    }

    /// Whether `signature` verifies over `message`.
    #[inline]
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            AwsLcRaw::Hmac(key) => hmac::verify(key, message, signature).is_ok(),
            AwsLcRaw::Parsed(key) => key.verify_sig(message, signature).is_ok(),
        }
    }
}

/// DER `RSAPublicKey` (RFC 8017 §A.1.1) of big-endian `n` and `e`.
fn rsa_public_key_der(n: &[u8], e: &[u8]) -> Vec<u8> {
    fn length(out: &mut Vec<u8>, len: usize) {
        match len {
            0..0x80 => out.push(len as u8),
            0x80..0x100 => out.extend_from_slice(&[0x81, len as u8]),
            _ => out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]),
        }
    }
    fn integer(out: &mut Vec<u8>, v: &[u8]) {
        let v = &v[v.iter().take_while(|b| **b == 0).count()..];
        let pad = v.first().is_none_or(|b| b & 0x80 != 0);
        out.push(0x02);
        length(out, v.len() + usize::from(pad));
        if pad {
            out.push(0);
        }
        out.extend_from_slice(v);
    }
    let mut body = Vec::new();
    integer(&mut body, n);
    integer(&mut body, e);
    let mut out = vec![0x30];
    length(&mut out, body.len());
    out.extend_from_slice(&body);
    out
}
