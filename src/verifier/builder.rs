//! The typestate builder: only safe combinations compile.
//!
//! ```text
//! Verifier::builder()
//!   .key_set(..) | .key_store(..) | .public_key(..)   -> asymmetric algorithms only
//!   | .remote_jwks(..) (feature `remote`)
//!   .hmac_key(StrongHmacKey)                           -> HMAC algorithms only
//!   .hmac_store(Arc<HmacKeyStore>)                     -> HMAC algorithms only
//!   [.algorithms(..)]                                   typed by the family chosen above
//!   .issuer(..)   | .no_issuer_check()                  (either order with the audience)
//!   .audience(..) | .audiences(..) | .no_audience_check()
//!   [.leeway(..) .require_type(..) .require_scope(..) .max_token_bytes(..)]
//!   .build()                                            exists only once both are decided
//! ```

use std::sync::Arc;

use super::{KeySource, Policy, Verifier};
use crate::alg::{AlgorithmSet, AsymmetricAlg, HmacAlg};
use crate::claims::is_scope_token;
use crate::error::ConfigError;
use crate::keys::{HmacKeyStore, KeySet, KeyStore, LiveKeys, PublicKey, StrongHmacKey};
use crate::limits::{
    DEFAULT_LEEWAY_SECS, DEFAULT_MAX_TOKEN_BYTES, MAX_LEEWAY_SECS, MAX_TOKEN_BYTES_CEILING,
};

/// Configures a [`Verifier`]. The type parameters record what has been decided: the key
/// source `K`, the issuer decision `I` and the audience decision `A`.
///
/// ```
/// use jwsgate::{AsymmetricAlg, KeySet, Verifier};
/// # fn demo(keys: KeySet) -> Result<Verifier, jwsgate::ConfigError> {
/// Verifier::builder()
///     .key_set(keys)
///     .algorithms([AsymmetricAlg::ES256, AsymmetricAlg::EdDSA])
///     .issuer("https://issuer.example")
///     .audience("api://orders")
///     .require_type("at+jwt")
///     .require_scope("orders:read")
///     .build()
/// # }
/// ```
#[must_use]
pub struct VerifierBuilder<K, I, A> {
    keys: K,
    issuer: I,
    audience: A,
    leeway: u64,
    typ: Option<Box<str>>,
    scopes: Vec<Box<str>>,
    max_token_bytes: usize,
}

/// State: no key source chosen yet.
#[derive(Debug)]
pub struct NoKeys;

/// State: an asymmetric key source (JWK Set, key store or one public key).
pub struct AsymmetricKeys {
    // A single public key becomes a one-key set; should that fail, `build()` says so.
    source: Result<KeySource, ConfigError>,
    algorithms: Option<AlgorithmSet>,
}

/// State: an HMAC secret proven strong, or a store of rotating ones.
pub struct HmacKeys {
    key: HmacSource,
    algorithms: Option<AlgorithmSet>,
}

/// The HMAC key source: one secret, or the current and previous secrets of a store.
// A builder state, moved once into `KeySource` (which keeps the key inline for the same
// reason: no pointer chase on the verify path).
#[allow(clippy::large_enum_variant)]
enum HmacSource {
    One(StrongHmacKey),
    Store(Arc<HmacKeyStore>),
}

/// State: the issuer check is not decided yet.
#[derive(Debug)]
pub struct NoIssuerDecision;

/// State: the issuer is decided (a value, or the explicit opt-out).
#[derive(Debug)]
pub struct IssuerDecided(Option<Box<str>>);

/// State: the audience check is not decided yet.
#[derive(Debug)]
pub struct NoAudienceDecision;

/// State: the audiences are decided (values, or the explicit opt-out).
#[derive(Debug)]
pub struct AudienceDecided(Option<Vec<Box<str>>>);

mod sealed {
    /// Key-source states that can build. Sealed: only this crate's states implement it.
    /// The message is what `build()` on a builder without keys reports.
    #[diagnostic::on_unimplemented(
        message = "the verifier has no key source yet: `build()` needs one",
        label = "no key source chosen",
        note = "call `.key_set(..)`, `.key_store(..)`, `.public_key(..)`, `.hmac_key(..)` or `.hmac_store(..)` before `.build()`"
    )]
    pub trait KeysChosen {
        fn into_keys(self) -> Result<Chosen, super::ConfigError>;
    }

    /// Issuer states that can build: the issuer is decided.
    #[diagnostic::on_unimplemented(
        message = "the issuer is not decided: `build()` needs an issuer decision",
        label = "issuer not decided",
        note = "decide the issuer: call `.issuer(..)` or `.no_issuer_check()` before `.build()`"
    )]
    pub trait IssuerChosen {
        fn into_issuer(self) -> Option<Box<str>>;
    }

    /// Audience states that can build: the audience is decided.
    #[diagnostic::on_unimplemented(
        message = "the audience is not decided: `build()` needs an audience decision",
        label = "audience not decided",
        note = "decide the audience: call `.audience(..)`, `.audiences(..)` or `.no_audience_check()` before `.build()`"
    )]
    pub trait AudienceChosen {
        fn into_audiences(self) -> Option<Vec<Box<str>>>;
    }

    impl IssuerChosen for super::IssuerDecided {
        fn into_issuer(self) -> Option<Box<str>> {
            self.0
        }
    }

    impl AudienceChosen for super::AudienceDecided {
        fn into_audiences(self) -> Option<Vec<Box<str>>> {
            self.0
        }
    }

    /// The key source and the algorithms allowed with it.
    pub struct Chosen(pub(crate) super::KeySource, pub(crate) super::AlgorithmSet);
}

impl VerifierBuilder<NoKeys, NoIssuerDecision, NoAudienceDecision> {
    pub(crate) fn new() -> Self {
        VerifierBuilder {
            keys: NoKeys,
            issuer: NoIssuerDecision,
            audience: NoAudienceDecision,
            leeway: DEFAULT_LEEWAY_SECS,
            typ: None,
            scopes: Vec::new(),
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
        }
    }
}

impl<I, A> VerifierBuilder<NoKeys, I, A> {
    fn with_keys<K>(self, keys: K) -> VerifierBuilder<K, I, A> {
        VerifierBuilder {
            keys,
            issuer: self.issuer,
            audience: self.audience,
            leeway: self.leeway,
            typ: self.typ,
            scopes: self.scopes,
            max_token_bytes: self.max_token_bytes,
        }
    }

    /// Verifies with a fixed JWK Set.
    pub fn key_set(self, keys: KeySet) -> VerifierBuilder<AsymmetricKeys, I, A> {
        self.with_keys(AsymmetricKeys {
            source: Ok(KeySource::Static(keys)),
            algorithms: None,
        })
    }

    /// Verifies with whatever set the store holds at each verify (for key rotation).
    pub fn key_store(self, store: Arc<KeyStore>) -> VerifierBuilder<AsymmetricKeys, I, A> {
        self.with_keys(AsymmetricKeys {
            source: Ok(KeySource::Store(store)),
            algorithms: None,
        })
    }

    /// Verifies with a set kept current by an adapter (`remote_jwks` is the public entry
    /// point): asymmetric algorithms only, as for every public-key source.
    // Used by src/remote only; allowed unconditionally so that a tree with the `remote`
    // feature declared but its module not merged yet (branch outbound-ready) stays clean.
    #[allow(dead_code)]
    pub(crate) fn live_keys(
        self,
        live: Arc<dyn LiveKeys>,
    ) -> VerifierBuilder<AsymmetricKeys, I, A> {
        self.with_keys(AsymmetricKeys {
            source: Ok(KeySource::Live(live)),
            algorithms: None,
        })
    }

    /// Verifies with one public key. There is nothing to select: a token's `kid` is
    /// refused only when the key has a `kid` of its own that differs.
    pub fn public_key(self, key: PublicKey) -> VerifierBuilder<AsymmetricKeys, I, A> {
        self.with_keys(AsymmetricKeys {
            source: Ok(KeySource::Single(key)),
            algorithms: None,
        })
    }

    /// Verifies with a shared secret proven strong.
    pub fn hmac_key(self, key: StrongHmacKey) -> VerifierBuilder<HmacKeys, I, A> {
        self.with_keys(HmacKeys {
            key: HmacSource::One(key),
            algorithms: None,
        })
    }

    /// Verifies with the current HMAC secret of `store` (and, during a rotation's grace
    /// period, the previous one), whatever it holds at each verify.
    pub fn hmac_store(self, store: Arc<HmacKeyStore>) -> VerifierBuilder<HmacKeys, I, A> {
        self.with_keys(HmacKeys {
            key: HmacSource::Store(store),
            algorithms: None,
        })
    }
}

impl<I, A> VerifierBuilder<AsymmetricKeys, I, A> {
    /// The accepted algorithms; by default every algorithm the keys can verify (for a
    /// key store, every asymmetric algorithm).
    ///
    /// With a fixed source ([`key_set`](VerifierBuilder::key_set),
    /// [`public_key`](VerifierBuilder::public_key)) every algorithm given must be one that
    /// a key can verify (its kind, and its JWK `alg`, `use` and `key_ops`), or `build()`
    /// fails with [`ConfigError::AlgorithmNotSupportedByKeys`]: such a verifier could only
    /// refuse. A [`key_store`](VerifierBuilder::key_store), whose keys change, is not
    /// checked: an algorithm no current key verifies is refused per token
    /// (`algorithm_not_allowed` or `unknown_key`) until a set with such a key is stored.
    ///
    /// ```
    /// use jwsgate::{AsymmetricAlg, ConfigError, Verifier};
    /// # fn demo(rsa_only: jwsgate::KeySet) {
    /// let err = Verifier::builder()
    ///     .key_set(rsa_only)
    ///     .algorithms([AsymmetricAlg::ES256])
    ///     .no_issuer_check()
    ///     .no_audience_check()
    ///     .build()
    ///     .unwrap_err();
    /// assert!(matches!(err, ConfigError::AlgorithmNotSupportedByKeys(_)));
    /// # }
    /// ```
    pub fn algorithms(mut self, algs: impl IntoIterator<Item = AsymmetricAlg>) -> Self {
        self.keys.algorithms = Some(algs.into_iter().map(AsymmetricAlg::algorithm).collect());
        self
    }
}

impl<I, A> VerifierBuilder<HmacKeys, I, A> {
    /// The accepted algorithms; by default every HMAC algorithm whose key-length floor
    /// the secret meets. Asking for one it does not meet fails at `build()`.
    pub fn algorithms(mut self, algs: impl IntoIterator<Item = HmacAlg>) -> Self {
        self.keys.algorithms = Some(algs.into_iter().map(HmacAlg::algorithm).collect());
        self
    }
}

impl<K, A> VerifierBuilder<K, NoIssuerDecision, A> {
    fn with_issuer(self, issuer: IssuerDecided) -> VerifierBuilder<K, IssuerDecided, A> {
        VerifierBuilder {
            keys: self.keys,
            issuer,
            audience: self.audience,
            leeway: self.leeway,
            typ: self.typ,
            scopes: self.scopes,
            max_token_bytes: self.max_token_bytes,
        }
    }

    /// The one accepted `iss`, compared exactly.
    pub fn issuer(self, issuer: &str) -> VerifierBuilder<K, IssuerDecided, A> {
        self.with_issuer(IssuerDecided(Some(issuer.into())))
    }

    /// Accepts any issuer (and none). Only for keys that a single issuer uses.
    pub fn no_issuer_check(self) -> VerifierBuilder<K, IssuerDecided, A> {
        self.with_issuer(IssuerDecided(None))
    }
}

impl<K, I> VerifierBuilder<K, I, NoAudienceDecision> {
    fn with_audience(self, audience: AudienceDecided) -> VerifierBuilder<K, I, AudienceDecided> {
        VerifierBuilder {
            keys: self.keys,
            issuer: self.issuer,
            audience,
            leeway: self.leeway,
            typ: self.typ,
            scopes: self.scopes,
            max_token_bytes: self.max_token_bytes,
        }
    }

    /// An accepted audience: the token's `aud` must contain it.
    pub fn audience(self, audience: &str) -> VerifierBuilder<K, I, AudienceDecided> {
        self.audiences([audience])
    }

    /// Accepted audiences: the token's `aud` must contain one of them.
    pub fn audiences<'a>(
        self,
        audiences: impl IntoIterator<Item = &'a str>,
    ) -> VerifierBuilder<K, I, AudienceDecided> {
        let list = audiences.into_iter().map(Box::from).collect();
        self.with_audience(AudienceDecided(Some(list)))
    }

    /// Accepts any audience (and none). Tokens meant for another service then pass too.
    pub fn no_audience_check(self) -> VerifierBuilder<K, I, AudienceDecided> {
        self.with_audience(AudienceDecided(None))
    }
}

impl<K, I, A> VerifierBuilder<K, I, A> {
    /// Clock skew allowed on `exp`, `nbf` and `iat`, in seconds (default 60; more than
    /// 120 fails at `build()`).
    pub fn leeway(mut self, secs: u64) -> Self {
        self.leeway = secs;
        self
    }

    /// The header `typ` tokens must carry, e.g. `at+jwt` (RFC 9068); compared
    /// case-insensitively, `application/` prefix optional.
    pub fn require_type(mut self, typ: &str) -> Self {
        self.typ = Some(typ.into());
        self
    }

    /// A scope tokens must carry (`scope` or `scp`); repeatable. One RFC 6749 scope-token
    /// ([`is_scope_token`]): `build()` refuses an empty name, a space (two names), a quote,
    /// a backslash, a control or non-ASCII character.
    pub fn require_scope(mut self, scope: &str) -> Self {
        self.scopes.push(scope.into());
        self
    }

    /// The largest token accepted, in bytes (default 8192), checked before decoding.
    pub fn max_token_bytes(mut self, max: usize) -> Self {
        self.max_token_bytes = max;
        self
    }
}

impl sealed::KeysChosen for AsymmetricKeys {
    fn into_keys(self) -> Result<sealed::Chosen, ConfigError> {
        let all_asymmetric: AlgorithmSet = AsymmetricAlg::ALL
            .into_iter()
            .map(AsymmetricAlg::algorithm)
            .collect();
        let source = self.source?;
        let default = match &source {
            KeySource::Static(set) => set.supported_algorithms(),
            KeySource::Single(key) => AsymmetricAlg::ALL
                .into_iter()
                .filter(|a| key.fits(*a))
                .map(AsymmetricAlg::algorithm)
                .collect(),
            _ => all_asymmetric,
        };
        if default.is_empty() {
            return Err(ConfigError::InvalidPolicy(
                "the public key cannot verify any algorithm (use, key_ops or alg)",
            ));
        }
        let allowed = self.algorithms.unwrap_or(default);
        if allowed.is_empty() {
            return Err(ConfigError::InvalidPolicy("no algorithm allowed"));
        }
        // A static source (one key, a fixed set) never changes: an allowed algorithm that
        // none of its keys can verify would refuse every token signed with it, so it is a
        // configuration error. A key store may hold such a key after the next swap: its
        // algorithms are not checked against the current set.
        if let KeySource::Static(_) | KeySource::Single(_) = &source {
            if let Some(alg) = allowed.iter().find(|a| !default.contains(*a)) {
                return Err(ConfigError::AlgorithmNotSupportedByKeys(alg));
            }
        }
        Ok(sealed::Chosen(source, allowed))
    }
}

impl sealed::KeysChosen for HmacKeys {
    fn into_keys(self) -> Result<sealed::Chosen, ConfigError> {
        let key = match self.key {
            HmacSource::One(key) => key,
            HmacSource::Store(store) => {
                // The store guarantees its algorithms for every secret it will hold.
                let supported = store.algorithms();
                let allowed = self.algorithms.unwrap_or(supported);
                if allowed.is_empty() {
                    return Err(ConfigError::InvalidPolicy("no algorithm allowed"));
                }
                if let Some(alg) = allowed.iter().find(|a| !supported.contains(*a)) {
                    return Err(ConfigError::AlgorithmNotSupportedByKeys(alg));
                }
                return Ok(sealed::Chosen(KeySource::HmacStore(store), allowed));
            }
        };
        let allowed = self.algorithms.unwrap_or(key.algorithms());
        if allowed.is_empty() {
            return Err(ConfigError::InvalidPolicy("no algorithm allowed"));
        }
        for alg in [HmacAlg::HS256, HmacAlg::HS384, HmacAlg::HS512] {
            if allowed.contains(alg.algorithm()) && !key.supports(alg) {
                // Long enough yet unsupported: the key came from a JWK pinned to another
                // algorithm (its `alg`). Say so, rather than blame the length.
                if let Some(pinned) = hmac_pin(&key, alg) {
                    return Err(ConfigError::HmacKeyPinned {
                        pinned,
                        requested: alg,
                    });
                }
                return Err(ConfigError::HmacKeyTooShort {
                    alg,
                    len: key.secret_len(),
                    min: alg.min_key_len(),
                });
            }
        }
        Ok(sealed::Chosen(KeySource::Hmac(key), allowed))
    }
}

/// The algorithm an HMAC key is pinned to, when `alg` (which the key does not support) is
/// refused for a pin and not for the length: the secret meets `alg`'s floor, yet the key
/// supports exactly one algorithm, necessarily another (an unpinned key supports every
/// algorithm whose floor it meets).
fn hmac_pin(key: &StrongHmacKey, alg: HmacAlg) -> Option<HmacAlg> {
    if key.secret_len() < alg.min_key_len() {
        return None;
    }
    let mut supported = [HmacAlg::HS256, HmacAlg::HS384, HmacAlg::HS512]
        .into_iter()
        .filter(|a| key.supports(*a));
    match (supported.next(), supported.next()) {
        (Some(pinned), None) => Some(pinned),
        _ => None,
    }
}

impl<K, I, A> VerifierBuilder<K, I, A> {
    /// Checks the configuration and makes the verifier. Compiles only once the key
    /// source, the issuer and the audience are decided; otherwise the compiler names the
    /// call to make (e.g. "decide the audience: call `.audience(..)`, `.audiences(..)` or
    /// `.no_audience_check()`").
    pub fn build(self) -> Result<Verifier, ConfigError>
    where
        K: sealed::KeysChosen,
        I: sealed::IssuerChosen,
        A: sealed::AudienceChosen,
    {
        let issuer = self.issuer.into_issuer();
        let audiences = self.audience.into_audiences();
        if self.leeway > MAX_LEEWAY_SECS {
            return Err(ConfigError::LeewayTooLarge(self.leeway));
        }
        if self.max_token_bytes == 0 || self.max_token_bytes > MAX_TOKEN_BYTES_CEILING {
            return Err(ConfigError::InvalidPolicy("max_token_bytes out of range"));
        }
        if issuer.as_deref() == Some("") {
            return Err(ConfigError::InvalidPolicy("empty issuer"));
        }
        if let Some(auds) = &audiences {
            if auds.is_empty() || auds.iter().any(|a| a.is_empty()) {
                return Err(ConfigError::InvalidPolicy("empty audience"));
            }
        }
        if !self.scopes.iter().all(|s| is_scope_token(s)) {
            return Err(ConfigError::InvalidPolicy(
                "a required scope is not an RFC 6749 scope-token",
            ));
        }
        if self.typ.as_deref() == Some("") {
            return Err(ConfigError::InvalidPolicy("empty typ"));
        }
        let sealed::Chosen(keys, allowed) = self.keys.into_keys()?;
        Ok(Verifier::from_policy(Policy {
            keys,
            allowed,
            issuer,
            audiences: audiences.map(Vec::into_boxed_slice),
            leeway: self.leeway,
            typ: self.typ,
            scopes: self.scopes.into_boxed_slice(),
            max_token_bytes: self.max_token_bytes,
        }))
    }
}

impl<K, I: core::fmt::Debug, A: core::fmt::Debug> core::fmt::Debug for VerifierBuilder<K, I, A> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The key source is named by its type only: no key byte is ever printed.
        f.debug_struct("VerifierBuilder")
            .field("keys", &core::any::type_name::<K>())
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("leeway", &self.leeway)
            .field("typ", &self.typ)
            .field("scopes", &self.scopes)
            .field("max_token_bytes", &self.max_token_bytes)
            .finish()
    }
}
