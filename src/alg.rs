//! Algorithm identifiers, split by type into the HMAC and the asymmetric family.
//!
//! A builder that takes an [`AsymmetricAlg`] cannot be handed an HMAC algorithm, and the
//! other way round: the family is part of the type. `none` is never an algorithm.

use core::fmt;

/// Every JWS algorithm jwsgate verifies (RFC 7518 §3.1, RFC 8037 §3.1).
#[allow(clippy::upper_case_acronyms)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Algorithm {
    /// HMAC with SHA-256.
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256 and MGF1 with SHA-256.
    PS256,
    /// RSASSA-PSS with SHA-384 and MGF1 with SHA-384.
    PS384,
    /// RSASSA-PSS with SHA-512 and MGF1 with SHA-512.
    PS512,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// ECDSA on P-384 with SHA-384.
    ES384,
    /// ECDSA on P-521 with SHA-512.
    ES512,
    /// EdDSA on Ed25519 (RFC 8037).
    EdDSA,
}

impl Algorithm {
    /// All algorithms, in a stable order.
    pub const ALL: [Algorithm; 13] = [
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::EdDSA,
    ];

    /// The `alg` header value, e.g. `"ES256"`.
    pub const fn name(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::ES512 => "ES512",
            Algorithm::EdDSA => "EdDSA",
        }
    }

    /// The algorithm named exactly (case-sensitively) by `name`. `none`, in any spelling,
    /// and every unknown name give `None`.
    ///
    /// ```
    /// use jwsgate::Algorithm;
    /// assert_eq!(Algorithm::from_name(b"EdDSA"), Some(Algorithm::EdDSA));
    /// assert_eq!(Algorithm::from_name(b"none"), None);
    /// assert_eq!(Algorithm::from_name(b"hs256"), None);
    /// ```
    pub fn from_name(name: &[u8]) -> Option<Algorithm> {
        Algorithm::ALL
            .into_iter()
            .find(|a| a.name().as_bytes() == name)
    }

    /// The family-typed form of this algorithm.
    pub const fn family(self) -> AlgorithmFamily {
        match self {
            Algorithm::HS256 => AlgorithmFamily::Hmac(HmacAlg::HS256),
            Algorithm::HS384 => AlgorithmFamily::Hmac(HmacAlg::HS384),
            Algorithm::HS512 => AlgorithmFamily::Hmac(HmacAlg::HS512),
            Algorithm::RS256 => AlgorithmFamily::Asymmetric(AsymmetricAlg::RS256),
            Algorithm::RS384 => AlgorithmFamily::Asymmetric(AsymmetricAlg::RS384),
            Algorithm::RS512 => AlgorithmFamily::Asymmetric(AsymmetricAlg::RS512),
            Algorithm::PS256 => AlgorithmFamily::Asymmetric(AsymmetricAlg::PS256),
            Algorithm::PS384 => AlgorithmFamily::Asymmetric(AsymmetricAlg::PS384),
            Algorithm::PS512 => AlgorithmFamily::Asymmetric(AsymmetricAlg::PS512),
            Algorithm::ES256 => AlgorithmFamily::Asymmetric(AsymmetricAlg::ES256),
            Algorithm::ES384 => AlgorithmFamily::Asymmetric(AsymmetricAlg::ES384),
            Algorithm::ES512 => AlgorithmFamily::Asymmetric(AsymmetricAlg::ES512),
            Algorithm::EdDSA => AlgorithmFamily::Asymmetric(AsymmetricAlg::EdDSA),
        }
    }

    const fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An [`Algorithm`] with its family made explicit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlgorithmFamily {
    /// A shared-secret (HMAC) algorithm.
    Hmac(HmacAlg),
    /// A public-key algorithm.
    Asymmetric(AsymmetricAlg),
}

/// An HMAC algorithm: verified only with a [`crate::StrongHmacKey`].
#[allow(clippy::upper_case_acronyms)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HmacAlg {
    /// HMAC with SHA-256.
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
}

impl HmacAlg {
    /// The general algorithm identifier.
    pub const fn algorithm(self) -> Algorithm {
        match self {
            HmacAlg::HS256 => Algorithm::HS256,
            HmacAlg::HS384 => Algorithm::HS384,
            HmacAlg::HS512 => Algorithm::HS512,
        }
    }

    /// The shortest secret accepted: the hash output size (RFC 7518 §3.2).
    pub const fn min_key_len(self) -> usize {
        match self {
            HmacAlg::HS256 => 32,
            HmacAlg::HS384 => 48,
            HmacAlg::HS512 => 64,
        }
    }

    /// The length of a full tag, in bytes.
    pub const fn tag_len(self) -> usize {
        self.min_key_len()
    }

    /// ring's HMAC algorithm for this identifier.
    pub(crate) fn ring(self) -> ring::hmac::Algorithm {
        match self {
            HmacAlg::HS256 => ring::hmac::HMAC_SHA256,
            HmacAlg::HS384 => ring::hmac::HMAC_SHA384,
            HmacAlg::HS512 => ring::hmac::HMAC_SHA512,
        }
    }
}

/// A public-key algorithm: verified only with public keys (JWK Set, key store, one key).
#[allow(clippy::upper_case_acronyms)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AsymmetricAlg {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256.
    PS256,
    /// RSASSA-PSS with SHA-384.
    PS384,
    /// RSASSA-PSS with SHA-512.
    PS512,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// ECDSA on P-384 with SHA-384.
    ES384,
    /// ECDSA on P-521 with SHA-512.
    ES512,
    /// EdDSA on Ed25519.
    EdDSA,
}

impl AsymmetricAlg {
    /// All asymmetric algorithms.
    pub const ALL: [AsymmetricAlg; 10] = [
        AsymmetricAlg::RS256,
        AsymmetricAlg::RS384,
        AsymmetricAlg::RS512,
        AsymmetricAlg::PS256,
        AsymmetricAlg::PS384,
        AsymmetricAlg::PS512,
        AsymmetricAlg::ES256,
        AsymmetricAlg::ES384,
        AsymmetricAlg::ES512,
        AsymmetricAlg::EdDSA,
    ];

    /// The general algorithm identifier.
    pub const fn algorithm(self) -> Algorithm {
        match self {
            AsymmetricAlg::RS256 => Algorithm::RS256,
            AsymmetricAlg::RS384 => Algorithm::RS384,
            AsymmetricAlg::RS512 => Algorithm::RS512,
            AsymmetricAlg::PS256 => Algorithm::PS256,
            AsymmetricAlg::PS384 => Algorithm::PS384,
            AsymmetricAlg::PS512 => Algorithm::PS512,
            AsymmetricAlg::ES256 => Algorithm::ES256,
            AsymmetricAlg::ES384 => Algorithm::ES384,
            AsymmetricAlg::ES512 => Algorithm::ES512,
            AsymmetricAlg::EdDSA => Algorithm::EdDSA,
        }
    }

    /// The kind of key this algorithm verifies with.
    pub const fn key_kind(self) -> KeyKind {
        match self {
            AsymmetricAlg::RS256
            | AsymmetricAlg::RS384
            | AsymmetricAlg::RS512
            | AsymmetricAlg::PS256
            | AsymmetricAlg::PS384
            | AsymmetricAlg::PS512 => KeyKind::Rsa,
            AsymmetricAlg::ES256 => KeyKind::EcP256,
            AsymmetricAlg::ES384 => KeyKind::EcP384,
            AsymmetricAlg::ES512 => KeyKind::EcP521,
            AsymmetricAlg::EdDSA => KeyKind::Ed25519,
        }
    }

    /// The exact signature length for the fixed-size algorithms (ECDSA `R‖S`, Ed25519);
    /// `None` for RSA, whose signature length is the modulus length.
    pub const fn fixed_signature_len(self) -> Option<usize> {
        match self.key_kind() {
            KeyKind::EcP256 => Some(64),
            KeyKind::EcP384 => Some(96),
            KeyKind::EcP521 => Some(132),
            KeyKind::Ed25519 => Some(64),
            KeyKind::Rsa => None,
        }
    }
}

/// The kind of public key an asymmetric algorithm needs (JWK `kty` plus curve).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// An RSA key of at least 2048 bits.
    Rsa,
    /// An EC key on P-256.
    EcP256,
    /// An EC key on P-384.
    EcP384,
    /// An EC key on P-521.
    EcP521,
    /// An OKP key on Ed25519.
    Ed25519,
}

/// A set of algorithms, as a bit set: copying it and testing membership cost nothing.
///
/// ```
/// use jwsgate::{Algorithm, AlgorithmSet};
/// let set = AlgorithmSet::EMPTY.with(Algorithm::ES256);
/// assert!(set.contains(Algorithm::ES256));
/// assert!(!set.contains(Algorithm::HS256));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct AlgorithmSet(u16);

impl AlgorithmSet {
    /// The empty set.
    pub const EMPTY: AlgorithmSet = AlgorithmSet(0);

    /// This set with `alg` added.
    #[must_use]
    pub const fn with(self, alg: Algorithm) -> AlgorithmSet {
        AlgorithmSet(self.0 | alg.bit())
    }

    /// Whether `alg` is in the set.
    pub const fn contains(self, alg: Algorithm) -> bool {
        self.0 & alg.bit() != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The algorithms in the set, in [`Algorithm::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Algorithm> {
        Algorithm::ALL
            .into_iter()
            .filter(move |a| self.contains(*a))
    }
}

impl fmt::Debug for AlgorithmSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl FromIterator<Algorithm> for AlgorithmSet {
    fn from_iter<I: IntoIterator<Item = Algorithm>>(iter: I) -> Self {
        iter.into_iter()
            .fold(AlgorithmSet::EMPTY, AlgorithmSet::with)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_none_is_never_an_algorithm() {
        for alg in Algorithm::ALL {
            assert_eq!(Algorithm::from_name(alg.name().as_bytes()), Some(alg));
        }
        for none in ["none", "None", "NONE", "nOnE", ""] {
            assert_eq!(Algorithm::from_name(none.as_bytes()), None);
        }
    }

    #[test]
    fn families_partition_the_algorithms() {
        for alg in Algorithm::ALL {
            match alg.family() {
                AlgorithmFamily::Hmac(h) => assert_eq!(h.algorithm(), alg),
                AlgorithmFamily::Asymmetric(a) => assert_eq!(a.algorithm(), alg),
            }
        }
    }
}
