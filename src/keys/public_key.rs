//! [`PublicKey`]: one validated public key, parsed once into the form verified fastest.
//!
//! | kind | validated here | held as |
//! | --- | --- | --- |
//! | RSA | size, parity, small factors, exponent | minimal `n`, `e` (ring) / parsed per algorithm (aws-lc) |
//! | P-256, P-384, P-521 | SEC1 uncompressed point on its curve | the point (ring), `p521`'s key / parsed once (aws-lc) |
//! | Ed25519 | canonical, on the curve, prime-order subgroup | the 32-byte point (ring) / parsed once (aws-lc) |
//!
//! The primitive is the signature backend's (`crate::backend`: ring, or aws-lc-rs with the
//! `aws-lc` feature); every check that can be made on the key alone is made at load, the
//! same for both backends: RSA size, parity, small prime factors and exponent; EC points on
//! their curve with coordinates below the field prime; Ed25519 points canonical, on the
//! curve and of the prime-order subgroup (never a small-order point). `verify` refuses a
//! signature of the wrong length before the primitive runs and allocates nothing of its
//! own (ring's RSA code allocates internally; `tests/keys_alloc.rs` measures it).

use core::fmt;

use crate::alg::{AsymmetricAlg, KeyKind};
use crate::backend::{self, VerifyKey};
use crate::error::{ConfigError, Error};
use crate::limits;

/// What a key may be used for, from the JWK `alg`, `use` and `key_ops` members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Usage {
    /// Every algorithm of the key's kind.
    Any,
    /// Only this algorithm (the JWK's `alg`).
    Only(AsymmetricAlg),
    /// Never verifies (`use: "enc"`, `key_ops` without `verify`, an unknown `alg`).
    Never,
}

/// One validated public key, parsed once into the form its primitive verifies fastest.
///
/// Made from a JWK ([`PublicKey::from_jwk`]), a PEM or DER public key
/// ([`PublicKey::from_pem`], [`PublicKey::from_spki_der`]), or raw components
/// ([`PublicKey::from_rsa_components`], [`PublicKey::from_ec_point`],
/// [`PublicKey::from_ed25519`]).
#[derive(Clone)]
pub struct PublicKey {
    kid: Option<Box<str>>,
    kind: KeyKind,
    usage: Usage,
    material: VerifyKey,
}

/// The length of the big-endian unsigned integer `bytes`, in bits.
fn bit_len(bytes: &[u8]) -> usize {
    match bytes.first() {
        None => 0,
        Some(first) => (bytes.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
    }
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// ring's largest accepted RSA public exponent: 2^33 - 1.
const RSA_MAX_EXPONENT: u64 = 0x1_ffff_ffff;

/// Trial division bound: an RSA modulus divisible by an odd prime below this is refused.
/// A real modulus is the product of two primes of half its size, so a small factor means
/// a broken key generator or a forged key; 1000 keeps the check cheap (167 primes, about
/// 170 000 byte steps for an 8192-bit modulus, so a 64-key set stays well under a
/// millisecond per key) while catching the degenerate moduli of the class (3 · m, …).
const RSA_TRIAL_DIVISION_BOUND: u16 = 1000;

/// The number of odd primes below [`RSA_TRIAL_DIVISION_BOUND`].
const RSA_SMALL_PRIME_COUNT: usize = 167;

/// The odd primes below [`RSA_TRIAL_DIVISION_BOUND`], by a sieve at compile time.
const RSA_SMALL_PRIMES: [u16; RSA_SMALL_PRIME_COUNT] = odd_primes_below_bound();

/// The sieve of Eratosthenes over the odd numbers below [`RSA_TRIAL_DIVISION_BOUND`]
/// (a const fn evaluated once, at compile time; `the_small_primes_are_the_odd_primes`
/// checks its output).
const fn odd_primes_below_bound() -> [u16; RSA_SMALL_PRIME_COUNT] {
    const N: usize = RSA_TRIAL_DIVISION_BOUND as usize;
    let mut composite = [false; N];
    let mut out = [0u16; RSA_SMALL_PRIME_COUNT];
    let mut found = 0;
    let mut i = 3;
    while i < N {
        if !composite[i] {
            // A wrong count fails compilation here (index out of bounds in a const).
            out[found] = i as u16;
            found += 1;
            let mut multiple = i * i;
            while multiple < N {
                composite[multiple] = true;
                multiple += i;
            }
        }
        i += 2;
    }
    // panic-free: a const item, evaluated (and so checked) at compile time.
    assert!(found == RSA_SMALL_PRIME_COUNT);
    out
}

/// The smallest odd prime below [`RSA_TRIAL_DIVISION_BOUND`] dividing the big-endian `n`.
fn small_prime_factor(n: &[u8]) -> Option<u16> {
    RSA_SMALL_PRIMES.into_iter().find(|q| {
        let q = u32::from(*q);
        n.iter()
            .fold(0u32, |rem, b| (rem * 256 + u32::from(*b)) % q)
            == 0
    })
}

impl PublicKey {
    fn new(kind: KeyKind, material: VerifyKey) -> PublicKey {
        PublicKey {
            kid: None,
            kind,
            usage: Usage::Any,
            material,
        }
    }

    /// Parses one JWK (a JSON object): `RSA`, `EC` (P-256, P-384, P-521) or `OKP`
    /// (Ed25519). Private members, an `oct` key, or an `alg` that does not match the key
    /// are refused; `use: "enc"`, `key_ops` without `verify` or an `alg` unknown to
    /// jwsgate give a key that never verifies.
    pub fn from_jwk(json: &[u8]) -> Result<PublicKey, ConfigError> {
        super::jwk::public_key_from_jwk(json)
    }

    /// Parses a PEM public key: SPKI `PUBLIC KEY` (RSA, P-256, P-384, P-521, Ed25519) or
    /// PKCS#1 `RSA PUBLIC KEY`.
    pub fn from_pem(pem: &[u8]) -> Result<PublicKey, ConfigError> {
        super::pem::public_key_from_pem(pem)
    }

    /// Parses a DER `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7): RSA (`rsaEncryption`),
    /// EC (`id-ecPublicKey` on a named curve P-256, P-384, P-521) or Ed25519 (RFC 8410).
    pub fn from_spki_der(der: &[u8]) -> Result<PublicKey, ConfigError> {
        super::spki::public_key_from_spki(der)
    }

    /// An RSA key from its big-endian modulus `n` and exponent `e` (leading zero octets
    /// are ignored). The modulus must be odd, of 2048 to 8192 bits and have no prime
    /// factor below 1000; the exponent odd, at least 3 and at most 2^33 - 1 (ring's bound).
    pub fn from_rsa_components(n: &[u8], e: &[u8]) -> Result<PublicKey, ConfigError> {
        let n = strip_leading_zeros(n);
        let e = strip_leading_zeros(e);
        let bits = bit_len(n);
        if bits < limits::MIN_RSA_BITS {
            return Err(ConfigError::RsaKeyTooSmall { bits });
        }
        if bits > limits::MAX_RSA_BITS {
            return Err(ConfigError::UnsupportedKey("RSA modulus over 8192 bits"));
        }
        if n.last().is_none_or(|b| b & 1 == 0) {
            return Err(ConfigError::InvalidKey("RSA modulus is even"));
        }
        if small_prime_factor(n).is_some() {
            return Err(ConfigError::InvalidKey(
                "RSA modulus has a prime factor below 1000",
            ));
        }
        if e.len() > 5 {
            return Err(ConfigError::InvalidKey("RSA exponent over 33 bits"));
        }
        // At most five bytes (above): right-aligned in eight, big-endian.
        let mut e_be = [0u8; 8];
        for (slot, b) in e_be.iter_mut().rev().zip(e.iter().rev()) {
            *slot = *b;
        }
        let e_value = u64::from_be_bytes(e_be);
        if !(3..=RSA_MAX_EXPONENT).contains(&e_value) || e_value & 1 == 0 {
            return Err(ConfigError::InvalidKey(
                "RSA exponent must be odd, at least 3 and under 2^33",
            ));
        }
        Ok(PublicKey::new(KeyKind::Rsa, VerifyKey::rsa(n, e)?))
    }

    /// An EC key of `kind` (P-256, P-384 or P-521) from its SEC1 uncompressed point
    /// (`0x04 ‖ x ‖ y`); the point must lie on the curve.
    pub fn from_ec_point(
        kind: KeyKind,
        sec1_uncompressed: &[u8],
    ) -> Result<PublicKey, ConfigError> {
        let coordinate_len = match kind {
            KeyKind::EcP256 => 32,
            KeyKind::EcP384 => 48,
            KeyKind::EcP521 => 66,
            KeyKind::Rsa | KeyKind::Ed25519 => {
                return Err(ConfigError::InvalidKey("not an EC key kind"));
            }
        };
        match sec1_uncompressed.first() {
            Some(0x04) => {}
            Some(0x02 | 0x03) => {
                return Err(ConfigError::UnsupportedKey("compressed EC point"));
            }
            _ => return Err(ConfigError::InvalidKey("EC point is not SEC1 uncompressed")),
        }
        if sec1_uncompressed.len() != 1 + 2 * coordinate_len {
            return Err(ConfigError::InvalidKey("EC point of the wrong length"));
        }
        backend::check_ec_point(kind, sec1_uncompressed)?;
        Ok(PublicKey::new(
            kind,
            VerifyKey::ec(kind, sec1_uncompressed)?,
        ))
    }

    /// An Ed25519 key from its 32 octets (RFC 8032 §5.1.5 encoding).
    ///
    /// The key must be the canonical encoding (`y` below 2^255 − 19, no sign bit on
    /// `x = 0`) of a curve point of the prime-order subgroup other than the identity: a
    /// small-order key (the 8 torsion points and their non-canonical encodings) would let
    /// anyone forge signatures, and ring does not refuse one at verification. Every entry
    /// point (JWK, JWK Set, PEM, DER) comes through here.
    ///
    /// ```
    /// use jwsgate::{ConfigError, PublicKey};
    /// // The identity point: the signature 01 00…00 ‖ 00…00 would verify any message.
    /// let mut identity = [0u8; 32];
    /// identity[0] = 1;
    /// assert!(matches!(
    ///     PublicKey::from_ed25519(&identity),
    ///     Err(ConfigError::InvalidKey(_))
    /// ));
    /// ```
    pub fn from_ed25519(public_key: &[u8]) -> Result<PublicKey, ConfigError> {
        let bytes: [u8; 32] = public_key
            .try_into()
            .map_err(|_| ConfigError::InvalidKey("Ed25519 key is not 32 bytes"))?;
        super::ed25519::check_public_key(&bytes)?;
        Ok(PublicKey::new(KeyKind::Ed25519, VerifyKey::ed25519(bytes)?))
    }

    /// This key with its `kid` set to `kid`.
    #[must_use]
    pub fn with_kid(mut self, kid: &str) -> PublicKey {
        self.kid = Some(kid.into());
        self
    }

    /// This key with the given usage restriction (JWK `alg`, `use`, `key_ops`).
    pub(crate) fn with_usage(mut self, usage: Usage) -> PublicKey {
        self.usage = usage;
        self
    }

    /// Whether this key can verify anything at all.
    pub(crate) fn is_usable(&self) -> bool {
        self.usage != Usage::Never
    }

    /// The key's `kid`.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The kind of key.
    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    /// The JWK `alg` this key is pinned to, if any.
    pub fn pinned_algorithm(&self) -> Option<AsymmetricAlg> {
        match self.usage {
            Usage::Only(alg) => Some(alg),
            Usage::Any | Usage::Never => None,
        }
    }

    /// Whether this key may verify `alg`: the key kind (and curve) matches, the JWK `alg`
    /// (if any) is `alg`, and `use` / `key_ops` (if any) allow verification.
    pub fn fits(&self, alg: AsymmetricAlg) -> bool {
        alg.key_kind() == self.kind
            && match self.usage {
                Usage::Any => true,
                Usage::Only(pinned) => pinned == alg,
                Usage::Never => false,
            }
    }

    /// The exact signature length this key takes for `alg`: the modulus length for RSA,
    /// the fixed length otherwise.
    pub fn signature_len(&self, alg: AsymmetricAlg) -> usize {
        self.material
            .modulus_len()
            .or(alg.fixed_signature_len())
            .unwrap_or(0)
    }

    /// Verifies `signature` over `message` with `alg`.
    ///
    /// `Err(Error::AlgorithmNotAllowed)` when the key does not fit `alg`;
    /// `Err(Error::InvalidSignature)` when the signature has the wrong length or does not
    /// verify. Allocates nothing of jwsgate's own.
    pub fn verify(
        &self,
        alg: AsymmetricAlg,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        if !self.fits(alg) {
            return Err(Error::AlgorithmNotAllowed(alg.algorithm()));
        }
        if signature.len() != self.signature_len(alg) {
            return Err(Error::InvalidSignature);
        }
        let verified = self.material.verify(alg, message, signature);
        if verified {
            Ok(())
        } else {
            Err(Error::InvalidSignature)
        }
    }
}

impl fmt::Debug for PublicKey {
    /// Shows the `kid` and the kind only, never key bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("kid", &self.kid)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sieve's table is exactly the odd primes below the bound, by trial division.
    #[test]
    fn the_small_primes_are_the_odd_primes() {
        let is_prime = |n: u16| n >= 2 && (2..n).take_while(|d| d * d <= n).all(|d| n % d != 0);
        let expected: Vec<u16> = (3..RSA_TRIAL_DIVISION_BOUND)
            .filter(|n| n % 2 == 1 && is_prime(*n))
            .collect();
        assert_eq!(RSA_SMALL_PRIMES.to_vec(), expected);
        assert_eq!(RSA_MAX_EXPONENT, (1 << 33) - 1);
    }
}
