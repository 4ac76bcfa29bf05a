//! [`KeySet`]: an immutable set of public keys, and the key-selection rule.

use core::fmt;

use super::jwk;
use super::public_key::PublicKey;
use crate::alg::{AlgorithmSet, AsymmetricAlg};
use crate::error::{ConfigError, Error};
use crate::limits;

/// An immutable set of public keys that can verify something.
///
/// Keys that never verify (`use: "enc"`, `key_ops` without `verify`, an `alg` jwsgate
/// does not know) are left out when the set is made, so selection never sees them.
/// No two keys share a `kid`.
pub struct KeySet {
    keys: Vec<PublicKey>,
}

impl KeySet {
    /// Parses a JWK Set document (RFC 7517 §5).
    ///
    /// * The document is at most [`limits::MAX_JWKS_BYTES`] and holds at most
    ///   [`limits::MAX_JWKS_KEYS`] keys.
    /// * Any `oct` key refuses the whole set ([`ConfigError::SymmetricKeyInAsymmetricSet`]).
    /// * A key jwsgate cannot or will not verify with — an unknown `kty` or curve, an RSA
    ///   key under 2048 bits — is skipped, as RFC 7517 §5 asks.
    /// * A malformed key of a supported type (bad base64url, a point off its curve, private
    ///   members, an `alg` that does not match) refuses the whole set with its error: it
    ///   is a broken or tampered document, not a key to skip. So does a degenerate key
    ///   (a small-order, non-canonical or mixed-order Ed25519 point; an RSA modulus that
    ///   is even or has a prime factor below 1000): [`ConfigError::InvalidKey`].
    /// * No usable key at all, or two usable keys with one `kid`, is
    ///   [`ConfigError::InvalidKeySet`] (its detail says why keys were skipped).
    pub fn from_jwks(json: &[u8]) -> Result<KeySet, ConfigError> {
        let raw_keys = jwk::parse_raw_jwk_set(json).map_err(|e| {
            if jwk::is_single_jwk(json) {
                ConfigError::InvalidKeySet(jwk::ONE_JWK_GIVEN)
            } else {
                e
            }
        })?;
        let mut keys = Vec::with_capacity(raw_keys.len());
        let mut first_skip = None;
        for raw in &raw_keys {
            match jwk::interpret(raw) {
                Ok(key) => keys.push(key),
                Err(
                    skip @ (ConfigError::UnsupportedKey(_) | ConfigError::RsaKeyTooSmall { .. }),
                ) => {
                    first_skip.get_or_insert(skip);
                }
                Err(e) => return Err(e),
            }
        }
        KeySet::build(keys, first_skip)
    }

    /// A set of the given keys, under the same rules as [`KeySet::from_jwks`]: keys that
    /// never verify are left out; none usable, duplicate `kid`s or more than
    /// [`limits::MAX_JWKS_KEYS`] keys are [`ConfigError::InvalidKeySet`].
    pub fn from_keys(keys: Vec<PublicKey>) -> Result<KeySet, ConfigError> {
        if keys.len() > limits::MAX_JWKS_KEYS {
            return Err(ConfigError::InvalidKeySet("too many keys"));
        }
        KeySet::build(keys, None)
    }

    fn build(keys: Vec<PublicKey>, first_skip: Option<ConfigError>) -> Result<KeySet, ConfigError> {
        let keys: Vec<PublicKey> = keys.into_iter().filter(PublicKey::is_usable).collect();
        if keys.is_empty() {
            return Err(ConfigError::InvalidKeySet(match first_skip {
                Some(ConfigError::RsaKeyTooSmall { .. }) => {
                    "no usable key (RSA keys under 2048 bits were skipped)"
                }
                Some(_) => "no usable key (keys of unsupported types were skipped)",
                None => "no key that can verify signatures",
            }));
        }
        for (i, key) in keys.iter().enumerate() {
            if let Some(kid) = key.kid() {
                if keys
                    .iter()
                    .skip(i + 1)
                    .any(|other| other.kid() == Some(kid))
                {
                    return Err(ConfigError::InvalidKeySet("duplicate kid"));
                }
            }
        }
        Ok(KeySet { keys })
    }

    /// The key to verify a token with `kid` (from its header) and `alg`.
    ///
    /// With a `kid`: the key with exactly that `kid` (case-sensitive); if it does not fit
    /// `alg`, [`Error::AlgorithmNotAllowed`]; if there is none, [`Error::UnknownKey`].
    /// Without a `kid`: the single key that fits `alg`; none or several is
    /// [`Error::UnknownKey`]. Allocates nothing.
    pub fn select(&self, kid: Option<&str>, alg: AsymmetricAlg) -> Result<&PublicKey, Error> {
        match kid {
            Some(kid) => {
                let key = self
                    .keys
                    .iter()
                    .find(|key| key.kid() == Some(kid))
                    .ok_or(Error::UnknownKey)?;
                if key.fits(alg) {
                    Ok(key)
                } else {
                    Err(Error::AlgorithmNotAllowed(alg.algorithm()))
                }
            }
            None => {
                let mut fitting = self.keys.iter().filter(|key| key.fits(alg));
                match (fitting.next(), fitting.next()) {
                    (Some(key), None) => Ok(key),
                    _ => Err(Error::UnknownKey),
                }
            }
        }
    }

    /// The asymmetric algorithms at least one key of the set can verify.
    pub fn supported_algorithms(&self) -> AlgorithmSet {
        AsymmetricAlg::ALL
            .into_iter()
            .filter(|alg| self.keys.iter().any(|key| key.fits(*alg)))
            .map(AsymmetricAlg::algorithm)
            .collect()
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the set is empty (never true for a set made by the constructors).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The keys, in document order.
    pub fn iter(&self) -> core::slice::Iter<'_, PublicKey> {
        self.keys.iter()
    }
}

impl<'a> IntoIterator for &'a KeySet {
    type Item = &'a PublicKey;
    type IntoIter = core::slice::Iter<'a, PublicKey>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl fmt::Debug for KeySet {
    /// Lists the keys by `kid` and kind; never key bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySet").field("keys", &self.keys).finish()
    }
}
