//! Development key generation for every algorithm jwsgate verifies: a private key as a
//! PKCS#8 DER document (RFC 5208 / RFC 5958), or an HMAC secret of the algorithm's hash
//! length. `jwsgate keygen` writes these as PEM and adds the public half to a JWK Set.
//!
//! ring makes the P-256, P-384 and Ed25519 keys; RustCrypto's `p521` the P-521 keys (ring
//! has no P-521) and RustCrypto's `rsa` the RSA keys (ring cannot generate RSA keys). Both
//! RustCrypto crates are compiled only with the `dev` (or `cli`) feature; tokens are still
//! signed by ring, which loads the PKCS#8 documents made here.

use core::fmt;

use ring::rand::{SecureRandom, SystemRandom};
use ring::signature as rsig;
use zeroize::Zeroizing;

use crate::alg::{AsymmetricAlg, HmacAlg};

/// RSA modulus sizes that keygen makes: the RFC 7518 §3.3 floor and the two common larger
/// sizes. ring verifies up to 8192 bits, but generating such keys is slow and no identity
/// provider uses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RsaBits {
    /// 2048 bits, the RFC 7518 minimum and what most identity providers use.
    #[default]
    Rsa2048,
    /// 3072 bits (NIST's 128-bit security level).
    Rsa3072,
    /// 4096 bits.
    Rsa4096,
}

impl RsaBits {
    /// The modulus size in bits.
    pub const fn bits(self) -> usize {
        match self {
            RsaBits::Rsa2048 => 2048,
            RsaBits::Rsa3072 => 3072,
            RsaBits::Rsa4096 => 4096,
        }
    }

    /// The size for `bits`, when it is one keygen makes.
    ///
    /// ```
    /// use jwsgate::dev::RsaBits;
    /// assert_eq!(RsaBits::from_bits(3072), Some(RsaBits::Rsa3072));
    /// assert_eq!(RsaBits::from_bits(1024), None);
    /// ```
    pub const fn from_bits(bits: usize) -> Option<RsaBits> {
        match bits {
            2048 => Some(RsaBits::Rsa2048),
            3072 => Some(RsaBits::Rsa3072),
            4096 => Some(RsaBits::Rsa4096),
            _ => None,
        }
    }
}

/// Why a key could not be generated.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeygenError {
    /// The system random number generator failed.
    Random,
    /// The generated key could not be encoded (never expected).
    Encoding(&'static str),
}

impl fmt::Display for KeygenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeygenError::Random => f.write_str("the system random generator failed"),
            KeygenError::Encoding(what) => write!(f, "key encoding failed: {what}"),
        }
    }
}

impl std::error::Error for KeygenError {}

/// A new private key for `alg` as PKCS#8 DER: RSA keys of `rsa_bits` for RS*/PS* (ignored
/// otherwise), P-256/P-384/P-521 for ES256/384/512, and Ed25519 (the PKCS#8 v1 form of
/// RFC 8410 §7 that `openssl genpkey` writes) for EdDSA.
///
/// ```
/// use jwsgate::AsymmetricAlg;
/// use jwsgate::dev::{RsaBits, generate_pkcs8};
/// let der = generate_pkcs8(AsymmetricAlg::ES256, RsaBits::default())?;
/// assert!(ring::signature::EcdsaKeyPair::from_pkcs8(
///     &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
///     &der,
///     &ring::rand::SystemRandom::new(),
/// )
/// .is_ok());
/// # Ok::<(), jwsgate::dev::KeygenError>(())
/// ```
pub fn generate_pkcs8(
    alg: AsymmetricAlg,
    rsa_bits: RsaBits,
) -> Result<Zeroizing<Vec<u8>>, KeygenError> {
    let rng = SystemRandom::new();
    let doc = match alg {
        AsymmetricAlg::ES256 => {
            rsig::EcdsaKeyPair::generate_pkcs8(&rsig::ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
                .map_err(|_| KeygenError::Random)?
        }
        AsymmetricAlg::ES384 => {
            rsig::EcdsaKeyPair::generate_pkcs8(&rsig::ECDSA_P384_SHA384_FIXED_SIGNING, &rng)
                .map_err(|_| KeygenError::Random)?
        }
        AsymmetricAlg::EdDSA => {
            let v2 = rsig::Ed25519KeyPair::generate_pkcs8(&rng).map_err(|_| KeygenError::Random)?;
            return ed25519_pkcs8_v1(v2.as_ref());
        }
        AsymmetricAlg::ES512 => {
            use p521::elliptic_curve::Generate;
            use p521::pkcs8::EncodePrivateKey;
            let key = p521::ecdsa::SigningKey::try_generate().map_err(|_| KeygenError::Random)?;
            let der = key
                .to_pkcs8_der()
                .map_err(|_| KeygenError::Encoding("P-521 PKCS#8"))?;
            return Ok(Zeroizing::new(der.as_bytes().to_vec()));
        }
        AsymmetricAlg::RS256
        | AsymmetricAlg::RS384
        | AsymmetricAlg::RS512
        | AsymmetricAlg::PS256
        | AsymmetricAlg::PS384
        | AsymmetricAlg::PS512 => return generate_rsa_pkcs8(rsa_bits),
    };
    Ok(Zeroizing::new(doc.as_ref().to_vec()))
}

/// An RSA private key of `bits` (public exponent 65537) as PKCS#8 DER.
fn generate_rsa_pkcs8(bits: RsaBits) -> Result<Zeroizing<Vec<u8>>, KeygenError> {
    use rsa::pkcs8::EncodePrivateKey;
    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, bits.bits())
        .map_err(|_| KeygenError::Random)?;
    let der = key
        .to_pkcs8_der()
        .map_err(|_| KeygenError::Encoding("RSA PKCS#8"))?;
    Ok(Zeroizing::new(der.as_bytes().to_vec()))
}

/// A random HMAC secret of the algorithm's hash length (RFC 7518 §3.2's minimum).
pub fn generate_hmac_secret(alg: HmacAlg) -> Result<Zeroizing<Vec<u8>>, KeygenError> {
    let mut secret = Zeroizing::new(vec![0u8; alg.min_key_len()]);
    SystemRandom::new()
        .fill(&mut secret)
        .map_err(|_| KeygenError::Random)?;
    Ok(secret)
}

/// Rewrites ring's PKCS#8 v2 Ed25519 document (RFC 5958, with the public key) as the v1
/// form (RFC 8410 §7, seed only) that `openssl genpkey -algorithm ED25519` writes and that
/// OpenSSL 3.0 reads; ring reads both.
fn ed25519_pkcs8_v1(v2: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeygenError> {
    const V2_PREFIX: [u8; 16] = [
        0x30, 0x51, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    const V1_PREFIX: [u8; 16] = [
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    let seed = v2
        .strip_prefix(&V2_PREFIX)
        .and_then(|rest| rest.get(..32))
        .ok_or(KeygenError::Encoding("unexpected Ed25519 PKCS#8 layout"))?;
    let mut v1 = Zeroizing::new(Vec::with_capacity(48));
    v1.extend_from_slice(&V1_PREFIX);
    v1.extend_from_slice(seed);
    Ok(v1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alg::KeyKind;

    #[test]
    fn every_asymmetric_algorithm_gets_a_key_ring_or_p521_loads() {
        let rng = SystemRandom::new();
        for alg in AsymmetricAlg::ALL {
            let der = generate_pkcs8(alg, RsaBits::Rsa2048).unwrap();
            match alg.key_kind() {
                KeyKind::Rsa => {
                    let kp = rsig::RsaKeyPair::from_pkcs8(&der).unwrap();
                    assert_eq!(kp.public().modulus_len(), 256, "{alg:?}");
                }
                _ if alg == AsymmetricAlg::ES512 => {
                    use p521::pkcs8::DecodePrivateKey;
                    p521::ecdsa::SigningKey::from_pkcs8_der(&der).unwrap();
                }
                _ if alg == AsymmetricAlg::EdDSA => {
                    assert_eq!(der.len(), 48);
                    rsig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der).unwrap();
                }
                _ => {
                    let a = if alg == AsymmetricAlg::ES256 {
                        &rsig::ECDSA_P256_SHA256_FIXED_SIGNING
                    } else {
                        &rsig::ECDSA_P384_SHA384_FIXED_SIGNING
                    };
                    rsig::EcdsaKeyPair::from_pkcs8(a, &der, &rng).unwrap();
                }
            }
        }
    }

    #[test]
    fn rsa_keys_have_the_asked_size_and_sign_with_ring() {
        let rng = SystemRandom::new();
        // 3072 bits is checked by tests/cli.rs (keygen --rsa-bits 3072); one 4096 here.
        {
            let bits = RsaBits::Rsa4096;
            let der = generate_pkcs8(AsymmetricAlg::PS256, bits).unwrap();
            let kp = rsig::RsaKeyPair::from_pkcs8(&der).unwrap();
            assert_eq!(kp.public().modulus_len() * 8, bits.bits());
            let mut sig = vec![0u8; kp.public().modulus_len()];
            kp.sign(&rsig::RSA_PSS_SHA256, &rng, b"m", &mut sig)
                .unwrap();
            let public =
                rsig::UnparsedPublicKey::new(&rsig::RSA_PSS_2048_8192_SHA256, kp.public().as_ref());
            public.verify(b"m", &sig).unwrap();
        }
    }

    #[test]
    fn keys_are_new_every_time() {
        let a = generate_pkcs8(AsymmetricAlg::ES256, RsaBits::default()).unwrap();
        let b = generate_pkcs8(AsymmetricAlg::ES256, RsaBits::default()).unwrap();
        assert_ne!(*a, *b);
        let s = generate_hmac_secret(HmacAlg::HS384).unwrap();
        assert_eq!(s.len(), 48);
        assert_ne!(*s, *generate_hmac_secret(HmacAlg::HS384).unwrap());
    }
}
