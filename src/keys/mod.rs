//! Keys: JWK, JWK Set and PEM parsing, validation at load, key selection, the key store.
//!
//! INTERFACE STUB — the keys helper replaces the bodies; signatures are the contract.

use std::sync::Arc;

use crate::alg::{AsymmetricAlg, HmacAlg, KeyKind};
use crate::error::{ConfigError, Error};

/// One validated public key, parsed once into the form ring verifies with.
pub struct PublicKey {
    kid: Option<Box<str>>,
    kind: KeyKind,
}

impl PublicKey {
    /// Parses one JWK (a JSON object).
    pub fn from_jwk(_json: &[u8]) -> Result<PublicKey, ConfigError> {
        Err(ConfigError::InvalidKey("stub"))
    }
    /// Parses a PEM public key (SPKI `PUBLIC KEY` or PKCS#1 `RSA PUBLIC KEY`).
    pub fn from_pem(_pem: &[u8]) -> Result<PublicKey, ConfigError> {
        Err(ConfigError::InvalidKey("stub"))
    }
    /// The key's `kid`.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }
    /// The kind of key.
    pub fn kind(&self) -> KeyKind {
        self.kind
    }
    /// Whether this key may verify `alg` (kty/curve, `alg` pin, `use`, `key_ops`).
    pub fn fits(&self, alg: AsymmetricAlg) -> bool {
        alg.key_kind() == self.kind
    }
    /// Verifies `signature` over `message` (constant time inside ring).
    pub fn verify(
        &self,
        _alg: AsymmetricAlg,
        _message: &[u8],
        _signature: &[u8],
    ) -> Result<(), Error> {
        Err(Error::InvalidSignature)
    }
}

/// An immutable set of public keys.
pub struct KeySet {
    keys: Vec<PublicKey>,
}

impl KeySet {
    /// Parses a JWK Set document.
    pub fn from_jwks(_json: &[u8]) -> Result<KeySet, ConfigError> {
        Err(ConfigError::InvalidKeySet("stub"))
    }
    /// A set of the given keys.
    pub fn from_keys(keys: Vec<PublicKey>) -> Result<KeySet, ConfigError> {
        Ok(KeySet { keys })
    }
    /// The key for `kid` (exact), or without `kid` the single key that fits `alg`.
    pub fn select(&self, kid: Option<&str>, alg: AsymmetricAlg) -> Result<&PublicKey, Error> {
        let _ = (kid, alg, &self.keys);
        Err(Error::UnknownKey)
    }
    /// Which asymmetric algorithms at least one key of the set can verify.
    pub fn supported_algorithms(&self) -> crate::alg::AlgorithmSet {
        crate::alg::AlgorithmSet::EMPTY
    }
}

/// The current key set behind `arc_swap::ArcSwap`.
pub struct KeyStore {
    current: arc_swap::ArcSwap<KeySet>,
}

impl KeyStore {
    /// A store holding `set`.
    pub fn new(set: KeySet) -> KeyStore {
        KeyStore {
            current: arc_swap::ArcSwap::from_pointee(set),
        }
    }
    /// The current set (one `load()` per verify; no lock).
    pub fn load(&self) -> arc_swap::Guard<Arc<KeySet>> {
        self.current.load()
    }
    /// Replaces the current set.
    pub fn store(&self, set: KeySet) {
        self.current.store(Arc::new(set));
    }
}

/// An HMAC secret proven strong: at least 32 bytes and not guessable. It supports each
/// HMAC algorithm whose floor (32 / 48 / 64 bytes) its length meets.
pub struct StrongHmacKey {
    len: usize,
}

impl StrongHmacKey {
    /// Validates and wraps a secret (copied into a zeroizing secret box).
    pub fn new(secret: &[u8]) -> Result<StrongHmacKey, ConfigError> {
        let _ = secret;
        Err(ConfigError::WeakHmacKey("stub"))
    }
    /// Parses a JWK `{"kty":"oct","k":...}` and validates its secret.
    pub fn from_jwk(_json: &[u8]) -> Result<StrongHmacKey, ConfigError> {
        Err(ConfigError::WeakHmacKey("stub"))
    }
    /// The secret's length in bytes.
    pub fn secret_len(&self) -> usize {
        self.len
    }
    /// Whether the secret is long enough for `alg`.
    pub fn supports(&self, alg: HmacAlg) -> bool {
        self.len >= alg.min_key_len()
    }
    /// The HMAC algorithms the secret is long enough for.
    pub fn algorithms(&self) -> crate::alg::AlgorithmSet {
        crate::alg::AlgorithmSet::EMPTY
    }
    /// Verifies a full-length tag in constant time (ring).
    pub fn verify(&self, _alg: HmacAlg, _message: &[u8], _tag: &[u8]) -> Result<(), Error> {
        Err(Error::InvalidSignature)
    }
}
