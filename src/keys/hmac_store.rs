//! [`HmacKeyStore`]: the current HMAC secret and, during a rotation's grace period, the
//! previous one, behind `arc_swap::ArcSwap` like [`KeyStore`](super::KeyStore). Readers
//! never wait; a rotation builds a new pair and swaps it in.
//!
//! Selection for a token:
//! * with a `kid`: the secret whose `kid` equals it; when neither has that `kid`, the
//!   secrets that carry no `kid` at all (current first) — a `kid` is refused
//!   ([`Error::UnknownKey`]) only when it contradicts every secret;
//! * without a `kid`: the current secret first, then the previous one.
//!
//! The first secret whose tag verifies accepts the token. At most two HMAC computations
//! run per token, and nothing is allocated.

use core::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use arc_swap::ArcSwap;

use super::hmac::StrongHmacKey;
use crate::alg::{AlgorithmSet, HmacAlg};
use crate::error::{ConfigError, Error};

const HMAC_ALGS: [HmacAlg; 3] = [HmacAlg::HS256, HmacAlg::HS384, HmacAlg::HS512];

/// One secret of the store, with the `kid` tokens signed with it may carry.
struct Entry {
    kid: Option<Box<str>>,
    key: StrongHmacKey,
}

/// The pair a verification loads: the current secret and, during a grace period, the
/// previous one.
struct Pair {
    current: Arc<Entry>,
    previous: Option<Arc<Entry>>,
}

/// The current HMAC secret and an optional previous one, swapped atomically, so that a
/// verifier follows a secret rotation with no restart and no failed verification.
///
/// The store is made for a set of algorithms (by default every one the first secret
/// supports); a later secret that cannot verify all of them is refused, so a rotation
/// never silently turns valid tokens into `algorithm_not_allowed`.
///
/// ```
/// use std::sync::Arc;
/// use jwsgate::{HmacKeyStore, StrongHmacKey, Verifier};
/// # fn demo(old: StrongHmacKey, new: StrongHmacKey) -> Result<(), jwsgate::ConfigError> {
/// let store = Arc::new(HmacKeyStore::new(old));
/// let verifier = Verifier::builder()
///     .hmac_store(store.clone())
///     .issuer("https://issuer.example")
///     .audience("api://orders")
///     .build()?;
/// // Later, when the secret rotates: tokens signed with `old` keep verifying until
/// // `retire_previous()` ends the grace period.
/// store.rotate(new)?;
/// # let _ = verifier; Ok(()) }
/// ```
pub struct HmacKeyStore {
    pair: ArcSwap<Pair>,
    algorithms: AlgorithmSet,
    /// Set by a refresher whose source is past its staleness bound: verification fails
    /// closed with [`Error::KeysUnavailable`] until a secret is stored again.
    unavailable: AtomicBool,
}

fn supports_all(key: &StrongHmacKey, algorithms: AlgorithmSet) -> Result<(), ConfigError> {
    for alg in HMAC_ALGS {
        if algorithms.contains(alg.algorithm()) && !key.supports(alg) {
            return Err(ConfigError::HmacKeyTooShort {
                alg,
                len: key.secret_len(),
                min: alg.min_key_len(),
            });
        }
    }
    Ok(())
}

impl HmacKeyStore {
    /// A store whose current secret is `key` (no `kid`), for every algorithm `key`
    /// supports.
    pub fn new(key: StrongHmacKey) -> HmacKeyStore {
        let algorithms = key.algorithms();
        HmacKeyStore::from_entry(Entry { kid: None, key }, algorithms)
    }

    /// A store whose current secret is `key`, selected by tokens whose header `kid` is
    /// `kid`.
    pub fn with_kid(kid: &str, key: StrongHmacKey) -> HmacKeyStore {
        let algorithms = key.algorithms();
        HmacKeyStore::from_entry(
            Entry {
                kid: Some(kid.into()),
                key,
            },
            algorithms,
        )
    }

    /// A store for exactly `algorithms`: `key` and every later secret must support each
    /// of them ([`ConfigError::HmacKeyTooShort`] otherwise). An empty set, or one with an
    /// asymmetric algorithm, is [`ConfigError::InvalidPolicy`].
    pub fn for_algorithms(
        algorithms: impl IntoIterator<Item = HmacAlg>,
        kid: Option<&str>,
        key: StrongHmacKey,
    ) -> Result<HmacKeyStore, ConfigError> {
        let algorithms: AlgorithmSet = algorithms.into_iter().map(HmacAlg::algorithm).collect();
        if algorithms.is_empty() {
            return Err(ConfigError::InvalidPolicy("no algorithm allowed"));
        }
        supports_all(&key, algorithms)?;
        Ok(HmacKeyStore::from_entry(
            Entry {
                kid: kid.map(Box::from),
                key,
            },
            algorithms,
        ))
    }

    fn from_entry(entry: Entry, algorithms: AlgorithmSet) -> HmacKeyStore {
        HmacKeyStore {
            pair: ArcSwap::from_pointee(Pair {
                current: Arc::new(entry),
                previous: None,
            }),
            algorithms,
            unavailable: AtomicBool::new(false),
        }
    }

    /// The algorithms every secret of this store supports.
    pub fn algorithms(&self) -> AlgorithmSet {
        self.algorithms
    }

    /// Makes `key` (no `kid`) the current secret and the current one the previous:
    /// tokens signed with either verify until [`retire_previous`](Self::retire_previous).
    /// The secret that was previous before is dropped (and wiped once no verification
    /// still holds it). A key that does not support every algorithm of the store is
    /// refused and the store is left unchanged.
    pub fn rotate(&self, key: StrongHmacKey) -> Result<(), ConfigError> {
        self.rotate_entry(Entry { kid: None, key })
    }

    /// As [`rotate`](Self::rotate), with a `kid` for the new secret. A `kid` equal to
    /// the current secret's is refused: selection by `kid` must stay unambiguous.
    pub fn rotate_with_kid(&self, kid: &str, key: StrongHmacKey) -> Result<(), ConfigError> {
        if self.pair.load().current.kid.as_deref() == Some(kid) {
            return Err(ConfigError::InvalidKey(
                "the new HMAC secret's kid equals the current one's",
            ));
        }
        self.rotate_entry(Entry {
            kid: Some(kid.into()),
            key,
        })
    }

    fn rotate_entry(&self, entry: Entry) -> Result<(), ConfigError> {
        supports_all(&entry.key, self.algorithms)?;
        let next = Arc::new(entry);
        // rcu: concurrent rotations each demote the secret that was current when they
        // landed; none is lost between two swaps.
        self.pair.rcu(|old| Pair {
            current: Arc::clone(&next),
            previous: Some(Arc::clone(&old.current)),
        });
        self.mark_available();
        Ok(())
    }

    /// Makes every verification fail closed with [`Error::KeysUnavailable`] (503): the
    /// source of the secret can no longer be trusted (a refresher past its staleness
    /// bound). The next [`rotate`](Self::rotate) or [`mark_available`](Self::mark_available)
    /// ends it.
    pub fn mark_unavailable(&self) {
        self.unavailable.store(true, Ordering::Release);
    }

    /// Ends [`mark_unavailable`](Self::mark_unavailable): the secrets verify again.
    pub fn mark_available(&self) {
        self.unavailable.store(false, Ordering::Release);
    }

    /// Whether the secrets verify (not [marked unavailable](Self::mark_unavailable)).
    pub fn is_available(&self) -> bool {
        !self.unavailable.load(Ordering::Acquire)
    }

    /// Ends the grace period: only the current secret verifies from now on.
    pub fn retire_previous(&self) {
        self.pair.rcu(|old| Pair {
            current: Arc::clone(&old.current),
            previous: None,
        });
    }

    /// Whether a previous secret still verifies (a grace period is running).
    pub fn has_previous(&self) -> bool {
        self.pair.load().previous.is_some()
    }

    /// The current secret's `kid`, if it has one.
    pub fn current_kid(&self) -> Option<String> {
        self.pair.load().current.kid.as_deref().map(String::from)
    }

    /// Verifies a full-length tag with the secret the token selects (module docs): one
    /// `load()`, no lock, no allocation.
    ///
    /// [`Error::KeysUnavailable`] when the store is marked unavailable;
    /// [`Error::UnknownKey`] when the `kid` contradicts every secret;
    /// [`Error::AlgorithmNotAllowed`] when `alg` is not one of the store's algorithms;
    /// [`Error::InvalidSignature`] when no selected secret verifies the tag.
    pub fn verify(
        &self,
        kid: Option<&str>,
        alg: HmacAlg,
        message: &[u8],
        tag: &[u8],
    ) -> Result<(), Error> {
        if !self.algorithms.contains(alg.algorithm()) {
            return Err(Error::AlgorithmNotAllowed(alg.algorithm()));
        }
        if !self.is_available() {
            return Err(Error::KeysUnavailable);
        }
        let pair = self.pair.load();
        let entries = [Some(&pair.current), pair.previous.as_ref()];
        let candidates = entries.iter().flatten();
        let by_kid = kid.and_then(|k| candidates.clone().find(|e| e.kid.as_deref() == Some(k)));
        if let Some(entry) = by_kid {
            return entry.key.verify(alg, message, tag);
        }
        let mut tried = false;
        for entry in candidates {
            // With a kid no secret has, only secrets without a kid may answer.
            if kid.is_some() && entry.kid.is_some() {
                continue;
            }
            tried = true;
            if entry.key.verify(alg, message, tag).is_ok() {
                return Ok(());
            }
        }
        if tried {
            Err(Error::InvalidSignature)
        } else {
            Err(Error::UnknownKey)
        }
    }
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entry")
            .field("kid", &self.kid)
            .field("key", &self.key)
            .finish()
    }
}

impl fmt::Debug for HmacKeyStore {
    /// The `kid`s and lengths only (through [`StrongHmacKey`]'s redacted `Debug`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pair = self.pair.load();
        f.debug_struct("HmacKeyStore")
            .field("current", &*pair.current)
            .field("previous", &pair.previous.as_deref())
            .field("algorithms", &self.algorithms)
            .field("available", &self.is_available())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alg::Algorithm;

    fn secret(label: &[u8], len: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut block = ring::digest::digest(&ring::digest::SHA512, label)
            .as_ref()
            .to_vec();
        while out.len() < len {
            out.extend_from_slice(&block);
            block = ring::digest::digest(&ring::digest::SHA512, &block)
                .as_ref()
                .to_vec();
        }
        out.truncate(len);
        out
    }

    fn key(label: &[u8]) -> StrongHmacKey {
        StrongHmacKey::new(&secret(label, 64)).unwrap()
    }

    fn tag(label: &[u8], msg: &[u8]) -> Vec<u8> {
        let k = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &secret(label, 64));
        ring::hmac::sign(&k, msg).as_ref().to_vec()
    }

    const HS: HmacAlg = HmacAlg::HS256;

    #[test]
    fn rotation_keeps_the_previous_secret_until_retired() {
        let store = HmacKeyStore::new(key(b"one"));
        assert_eq!(store.verify(None, HS, b"m", &tag(b"one", b"m")), Ok(()));
        assert!(!store.has_previous());
        store.rotate(key(b"two")).unwrap();
        assert!(store.has_previous());
        assert_eq!(store.verify(None, HS, b"m", &tag(b"two", b"m")), Ok(()));
        assert_eq!(store.verify(None, HS, b"m", &tag(b"one", b"m")), Ok(()));
        store.rotate(key(b"three")).unwrap();
        assert_eq!(
            store.verify(None, HS, b"m", &tag(b"one", b"m")),
            Err(Error::InvalidSignature),
            "older than the previous secret"
        );
        assert_eq!(store.verify(None, HS, b"m", &tag(b"two", b"m")), Ok(()));
        store.retire_previous();
        assert!(!store.has_previous());
        assert_eq!(
            store.verify(None, HS, b"m", &tag(b"two", b"m")),
            Err(Error::InvalidSignature)
        );
        assert_eq!(store.verify(None, HS, b"m", &tag(b"three", b"m")), Ok(()));
    }

    #[test]
    fn a_kid_selects_exactly_one_secret() {
        let store = HmacKeyStore::with_kid("k1", key(b"one"));
        store.rotate_with_kid("k2", key(b"two")).unwrap();
        assert_eq!(store.current_kid().as_deref(), Some("k2"));
        assert_eq!(
            store.verify(Some("k1"), HS, b"m", &tag(b"one", b"m")),
            Ok(())
        );
        assert_eq!(
            store.verify(Some("k2"), HS, b"m", &tag(b"two", b"m")),
            Ok(())
        );
        // A kid names its secret: the other secret is not tried.
        assert_eq!(
            store.verify(Some("k2"), HS, b"m", &tag(b"one", b"m")),
            Err(Error::InvalidSignature)
        );
        assert_eq!(
            store.verify(Some("k3"), HS, b"m", &tag(b"two", b"m")),
            Err(Error::UnknownKey)
        );
        // Without a kid, both are tried.
        assert_eq!(store.verify(None, HS, b"m", &tag(b"one", b"m")), Ok(()));
        assert_eq!(
            store.rotate_with_kid("k2", key(b"four")),
            Err(ConfigError::InvalidKey(
                "the new HMAC secret's kid equals the current one's"
            ))
        );
    }

    #[test]
    fn a_kid_unknown_to_keyed_secrets_falls_to_unkeyed_ones() {
        let store = HmacKeyStore::with_kid("k1", key(b"one"));
        store.rotate(key(b"two")).unwrap();
        assert_eq!(
            store.verify(Some("zz"), HS, b"m", &tag(b"two", b"m")),
            Ok(())
        );
        assert_eq!(
            store.verify(Some("zz"), HS, b"m", &tag(b"one", b"m")),
            Err(Error::InvalidSignature),
            "k1's secret answers only to k1"
        );
    }

    #[test]
    fn a_rotation_cannot_drop_an_algorithm() {
        let store = HmacKeyStore::new(key(b"one"));
        assert_eq!(store.algorithms().iter().count(), 3);
        let short = StrongHmacKey::new(&secret(b"short", 32)).unwrap();
        assert_eq!(
            store.rotate(short),
            Err(ConfigError::HmacKeyTooShort {
                alg: HmacAlg::HS384,
                len: 32,
                min: 48
            })
        );
        assert!(!store.has_previous(), "a refused rotation changes nothing");

        let store = HmacKeyStore::for_algorithms([HS], None, key(b"one")).unwrap();
        assert_eq!(
            store.algorithms(),
            AlgorithmSet::EMPTY.with(Algorithm::HS256)
        );
        store
            .rotate(StrongHmacKey::new(&secret(b"short", 32)).unwrap())
            .unwrap();
        let k = ring::hmac::Key::new(ring::hmac::HMAC_SHA512, &secret(b"one", 64));
        let t512 = ring::hmac::sign(&k, b"m");
        assert_eq!(
            store.verify(None, HmacAlg::HS512, b"m", t512.as_ref()),
            Err(Error::AlgorithmNotAllowed(Algorithm::HS512))
        );
        assert!(HmacKeyStore::for_algorithms([], None, key(b"one")).is_err());
    }

    #[test]
    fn an_unavailable_store_fails_closed_until_the_next_secret() {
        let store = HmacKeyStore::new(key(b"one"));
        store.mark_unavailable();
        assert!(!store.is_available());
        assert_eq!(
            store.verify(None, HS, b"m", &tag(b"one", b"m")),
            Err(Error::KeysUnavailable)
        );
        store.mark_available();
        assert_eq!(store.verify(None, HS, b"m", &tag(b"one", b"m")), Ok(()));
        store.mark_unavailable();
        store.rotate(key(b"two")).unwrap();
        assert_eq!(store.verify(None, HS, b"m", &tag(b"two", b"m")), Ok(()));
    }

    #[test]
    fn debug_shows_kids_and_lengths_only() {
        let raw = secret(b"one", 64);
        let store = HmacKeyStore::with_kid("k1", StrongHmacKey::new(&raw).unwrap());
        store.rotate(key(b"two")).unwrap();
        let shown = format!("{store:?}");
        assert!(
            shown.contains("k1") && shown.contains("REDACTED"),
            "{shown}"
        );
        let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
        assert!(!shown.contains(&hex[..16]));
        assert!(!shown.contains(&format!("{:?}", &raw[..8])[1..20]));
    }
}
