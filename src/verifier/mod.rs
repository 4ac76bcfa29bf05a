//! The verifier: configuration built by the typestate [`VerifierBuilder`], and
//! [`Verifier::verify`], which checks a token in the order of docs/design.md: size → split →
//! header → policy → key lookup → signature → claims.

mod builder;
#[cfg(feature = "tracing")]
mod log;
mod owned;
mod scratch;
#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::sync::Arc;

pub use builder::{
    AsymmetricKeys, AudienceDecided, HmacKeys, IssuerDecided, NoAudienceDecision, NoIssuerDecision,
    NoKeys, VerifierBuilder,
};
pub use scratch::Scratch;

use crate::alg::{Algorithm, AlgorithmFamily, AlgorithmSet, AsymmetricAlg};
use crate::base64url;
use crate::claims::validate::{
    check_audience, check_issuer, check_scopes, check_times, typ_matches,
};
use crate::claims::{Claims, ClaimsBuffers, parse_claims_into};
use crate::error::Error;
use crate::json::JsonStr;
use crate::jws::{Header, first_problem_or, split_by_dots, split_error};
use crate::keys::{HmacKeyStore, KeySet, KeyStore, LiveKeys, PublicKey, StrongHmacKey};
use crate::time::UnixTime;

/// Where the verifier's keys come from.
// One `KeySource` lives inside the verifier's `Arc<Policy>`, so its size costs nothing;
// boxing the HMAC key schedule would add a pointer chase to every HMAC verify.
#[allow(clippy::large_enum_variant)]
pub(crate) enum KeySource {
    Hmac(StrongHmacKey),
    /// The current and previous HMAC secrets of a rotation.
    HmacStore(Arc<HmacKeyStore>),
    /// One public key: the token's `kid` is checked only against the key's own `kid`.
    Single(PublicKey),
    Static(KeySet),
    Store(Arc<KeyStore>),
    /// A set kept current by an adapter (a remote JWK Set): checked for staleness before
    /// use and told about a missing key. Made only with the `remote` feature.
    // Used by src/remote only; allowed unconditionally so that a tree with the `remote`
    // feature declared but its module not merged yet (branch outbound-ready) stays clean.
    #[allow(dead_code)]
    Live(Arc<dyn LiveKeys>),
}

pub(crate) struct Policy {
    pub(crate) keys: KeySource,
    pub(crate) allowed: AlgorithmSet,
    pub(crate) issuer: Option<Box<str>>,
    pub(crate) audiences: Option<Box<[Box<str>]>>,
    pub(crate) leeway: u64,
    pub(crate) typ: Option<Box<str>>,
    pub(crate) scopes: Box<[Box<str>]>,
    pub(crate) max_token_bytes: usize,
}

/// A configured token verifier. Cheap to clone (one `Arc`), `Send + Sync`.
///
/// ```
/// use jwsgate::{PublicKey, Scratch, UnixTime, Verifier};
/// # fn demo(key: PublicKey, token: &str) -> Result<(), Box<dyn std::error::Error>> {
/// let verifier = Verifier::builder()
///     .public_key(key)
///     .issuer("https://issuer.example")
///     .audience("api://orders")
///     .build()?;
/// let mut scratch = Scratch::new();
/// let verified = verifier.verify(&mut scratch, token.as_bytes(), UnixTime::now())?;
/// println!("{:?} for {:?}", verified.alg(), verified.claims().sub());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Verifier {
    policy: Arc<Policy>,
}

const _: () = {
    const fn assert_send_sync_clone<T: Send + Sync + Clone>() {}
    assert_send_sync_clone::<Verifier>();
};

/// A token whose signature and claims were verified. Only jwsgate can make one.
///
/// `Debug` shows the algorithm, the size of the `kid` and the claims' names and sizes,
/// never a claim value (see [`Claims::debug_values`]).
#[derive(Clone, Copy)]
pub struct VerifiedToken<'s> {
    alg: Algorithm,
    kid: Option<&'s str>,
    claims: Claims<'s>,
}

impl<'s> VerifiedToken<'s> {
    /// The algorithm the signature verified with.
    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// The header's `kid`, if any.
    pub fn kid(&self) -> Option<&'s str> {
        self.kid
    }

    /// The verified claims.
    pub fn claims(&self) -> &Claims<'s> {
        &self.claims
    }
}

/// A JWS whose signature verified (RFC 7515), payload uninterpreted. Only jwsgate can
/// make one. `Debug` shows the algorithm and sizes, never the payload or the `kid`.
#[derive(Clone, Copy)]
pub struct VerifiedJws<'s> {
    alg: Algorithm,
    kid: Option<&'s str>,
    payload: &'s [u8],
}

impl<'s> VerifiedJws<'s> {
    /// The algorithm the signature verified with.
    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// The header's `kid`, if any.
    pub fn kid(&self) -> Option<&'s str> {
        self.kid
    }

    /// The payload bytes (the detached payload when one was given).
    pub fn payload(&self) -> &'s [u8] {
        self.payload
    }
}

thread_local! {
    static THREAD_SCRATCH: RefCell<Option<Scratch>> = const { RefCell::new(None) };
}

impl Verifier {
    /// Starts configuring a verifier; see [`VerifierBuilder`].
    pub fn builder() -> VerifierBuilder<NoKeys, NoIssuerDecision, NoAudienceDecision> {
        VerifierBuilder::new()
    }

    pub(crate) fn from_policy(policy: Policy) -> Verifier {
        Verifier {
            policy: Arc::new(policy),
        }
    }

    /// The algorithms this verifier accepts.
    pub fn allowed_algorithms(&self) -> AlgorithmSet {
        self.policy.allowed
    }

    /// Whether the verifier checks the audience and accepts `audience` (RFC 8707): the
    /// HTTP layer refuses a verifier for which this is false for its resource
    /// identifier. False for a verifier built with `no_audience_check()`.
    ///
    /// ```
    /// use jwsgate::{StrongHmacKey, Verifier};
    /// let key = StrongHmacKey::new(b"k7#Qv9!pL2@xR5$wZ8^mN1&bT4*cY6(e")?;
    /// let v = Verifier::builder()
    ///     .hmac_key(key)
    ///     .issuer("https://issuer.example")
    ///     .audience("https://api.example/mcp")
    ///     .build()?;
    /// assert!(v.requires_audience("https://api.example/mcp"));
    /// assert!(!v.requires_audience("https://api.example/other"));
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn requires_audience(&self, audience: &str) -> bool {
        self.policy
            .audiences
            .as_deref()
            .is_some_and(|accepted| accepted.iter().any(|a| **a == *audience))
    }

    /// The largest token accepted, in bytes.
    pub fn max_token_bytes(&self) -> usize {
        self.policy.max_token_bytes
    }

    /// A scratch sized for this verifier's token limit.
    pub fn new_scratch(&self) -> Scratch {
        Scratch::for_max_token_bytes(self.policy.max_token_bytes)
    }

    /// Verifies a compact JWT: signature first, then the claims policy, judged at `now`.
    pub fn verify<'s>(
        &self,
        scratch: &'s mut Scratch,
        token: &'s [u8],
        now: UnixTime,
    ) -> Result<VerifiedToken<'s>, Error> {
        let outcome = self.verify_unlogged(scratch, token, now);
        #[cfg(feature = "tracing")]
        match &outcome {
            Ok(t) => log::accepted(token, t.alg, t.kid, Some(&t.claims)),
            Err(e) => log::refused(token, e),
        }
        outcome
    }

    fn verify_unlogged<'s>(
        &self,
        scratch: &'s mut Scratch,
        token: &'s [u8],
        now: UnixTime,
    ) -> Result<VerifiedToken<'s>, Error> {
        let p = &*self.policy;
        let Scratch {
            header,
            dots,
            payload,
            text,
            items,
            signature,
            ..
        } = scratch;
        let max = p.max_token_bytes;
        let parts = split_by_dots(token, max, dots)?;
        let h = header
            .header(parts.header)
            .map_err(|e| first_problem_or(token, max, e))?;
        // The payload and the signature are decoded now, before anything is judged, so
        // that their decodes check the alphabet `split` would have checked (a byte outside
        // it is reported first, whatever else is wrong). Only the base64 layer is read:
        // the claims are parsed after the signature verified.
        let payload_ok = base64url::decode_public_into_vec(parts.payload, payload).is_some();
        let sig = base64url::decode_public(parts.signature, &mut signature[..]);
        if !payload_ok || sig.is_none() {
            // A bad byte or a third segment is `split`'s error; a wrong length or
            // non-canonical tail is reported where it was before (below).
            split_error(token, max)?;
        }
        p.check_signature(&h, parts.signing_input, sig)?;
        if h.cty.is_some_and(is_nested_jwt) {
            return Err(Error::UnsupportedHeader(
                "cty: JWT (nested tokens are not unwrapped)",
            ));
        }
        p.check_typ(&h)?;
        if !payload_ok {
            return Err(Error::Malformed("payload is not base64url"));
        }
        let payload: &'s Vec<u8> = payload;
        // The claims are read where they are returned (some 200 bytes: every move of
        // them is a copy).
        let mut token = VerifiedToken {
            alg: h.alg,
            kid: h.kid,
            claims: Claims::empty(""),
        };
        parse_claims_into(payload, ClaimsBuffers { text, items }, &mut token.claims)?;
        let claims = &token.claims;
        check_times(claims, now, p.leeway)?;
        check_issuer(claims, p.issuer.as_deref())?;
        check_audience(claims, p.audiences.as_deref())?;
        check_scopes(claims, &p.scopes)?;
        Ok(token)
    }

    /// Verifies with this thread's scratch and hands the outcome to `f` (the claims
    /// borrow the scratch, so they live only inside `f`). Warmed, it allocates nothing.
    pub fn verify_with<R>(
        &self,
        token: impl AsRef<[u8]>,
        now: UnixTime,
        f: impl FnOnce(Result<VerifiedToken<'_>, Error>) -> R,
    ) -> R {
        let token = token.as_ref();
        THREAD_SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut guard) => {
                let scratch = guard.get_or_insert_with(|| self.new_scratch());
                f(self.verify(scratch, token, now))
            }
            // A re-entrant call (from inside `f`) finds the cell borrowed and uses a
            // scratch of its own.
            Err(_) => f(self.verify(&mut self.new_scratch(), token, now)),
        })
    }

    /// Verifies a JWS signature only (RFC 7515): no claims, any payload bytes. With
    /// `detached`, the token's payload segment must be empty and `detached` is the
    /// content that was signed (RFC 7515 Appendix F).
    pub fn verify_jws<'s>(
        &self,
        scratch: &'s mut Scratch,
        token: &'s [u8],
        detached: Option<&'s [u8]>,
    ) -> Result<VerifiedJws<'s>, Error> {
        let outcome = self.verify_jws_unlogged(scratch, token, detached);
        #[cfg(feature = "tracing")]
        match &outcome {
            Ok(j) => log::accepted(token, j.alg, j.kid, None),
            Err(e) => log::refused(token, e),
        }
        outcome
    }

    fn verify_jws_unlogged<'s>(
        &self,
        scratch: &'s mut Scratch,
        token: &'s [u8],
        detached: Option<&'s [u8]>,
    ) -> Result<VerifiedJws<'s>, Error> {
        let p = &*self.policy;
        let Scratch {
            header,
            dots,
            payload,
            signing_input,
            signature,
            ..
        } = scratch;
        let max = p.max_token_bytes;
        let parts = split_by_dots(token, max, dots)?;
        let h = header
            .header(parts.header)
            .map_err(|e| first_problem_or(token, max, e))?;
        // As in `verify`: every segment decoded (its alphabet checked) before judging.
        let sig = base64url::decode_public(parts.signature, &mut signature[..]);
        let Some(content) = detached else {
            let payload_ok = base64url::decode_public_into_vec(parts.payload, payload).is_some();
            if !payload_ok || sig.is_none() {
                split_error(token, max)?;
            }
            p.check_signature(&h, parts.signing_input, sig)?;
            if !payload_ok {
                return Err(Error::Malformed("payload is not base64url"));
            }
            let payload: &'s Vec<u8> = payload;
            return Ok(VerifiedJws {
                alg: h.alg,
                kid: h.kid,
                payload,
            });
        };
        if !parts.payload.is_empty() {
            return Err(first_problem_or(
                token,
                max,
                Error::Malformed("detached content given but the payload is not empty"),
            ));
        }
        if sig.is_none() {
            split_error(token, max)?;
        }
        signing_input.clear();
        signing_input.extend_from_slice(parts.header);
        signing_input.push(b'.');
        base64url::encode_append(content, signing_input);
        p.check_signature(&h, signing_input, sig)?;
        Ok(VerifiedJws {
            alg: h.alg,
            kid: h.kid,
            payload: content,
        })
    }
}

impl Policy {
    /// Policy, key lookup and signature: the algorithm must be allowed (the allowed set
    /// holds only algorithms of the key source's family), the key must be found, and the
    /// signature must verify over the exact signing input.
    fn check_signature(
        &self,
        h: &Header<'_>,
        signing_input: &[u8],
        signature: Option<&[u8]>,
    ) -> Result<(), Error> {
        if !self.allowed.contains(h.alg) {
            return Err(Error::AlgorithmNotAllowed(h.alg));
        }
        let sig = Signature { decoded: signature };
        match (&self.keys, h.alg.family()) {
            (KeySource::Hmac(key), AlgorithmFamily::Hmac(alg)) => {
                key.verify(alg, signing_input, sig.decode()?)
            }
            (KeySource::HmacStore(store), AlgorithmFamily::Hmac(alg)) => {
                store.verify(h.kid, alg, signing_input, sig.decode()?)
            }
            (KeySource::Single(key), AlgorithmFamily::Asymmetric(alg)) => {
                verify_with_key(key, h.kid, alg, signing_input, sig)
            }
            (KeySource::Static(set), AlgorithmFamily::Asymmetric(alg)) => {
                verify_with_set(set, h.kid, alg, signing_input, sig)
            }
            (KeySource::Store(store), AlgorithmFamily::Asymmetric(alg)) => {
                let set = store.load();
                verify_with_set(&set, h.kid, alg, signing_input, sig)
            }
            (KeySource::Live(live), AlgorithmFamily::Asymmetric(alg)) => {
                live.check_usable()?;
                let set = live.store().load();
                let outcome = verify_with_set(&set, h.kid, alg, signing_input, sig);
                if outcome == Err(Error::UnknownKey) {
                    live.key_missing();
                }
                outcome
            }
            _ => Err(Error::AlgorithmNotAllowed(h.alg)),
        }
    }

    fn check_typ(&self, h: &Header<'_>) -> Result<(), Error> {
        let Some(required) = self.typ.as_deref() else {
            return Ok(());
        };
        let Some(typ) = h.typ else {
            return Err(Error::InvalidType);
        };
        // A typ longer than any media type jwsgate compares with cannot match.
        match typ.short_name(&mut [0u8; 128]) {
            Some(t) if typ_matches(t, required) => Ok(()),
            _ => Err(Error::InvalidType),
        }
    }
}

/// Whether a header `cty` announces a nested JWT (RFC 7519 §5.2): `JWT` compared as RFC
/// 7515 §4.1.10 says — case-insensitively, `application/` optional — after unescaping.
fn is_nested_jwt(cty: JsonStr<'_>) -> bool {
    cty.short_name(&mut [0u8; 16])
        .is_some_and(|c| typ_matches(c, "jwt"))
}

/// A signature segment decoded into a stack buffer (`None`: not decodable), judged only
/// once a key was found.
struct Signature<'a> {
    decoded: Option<&'a [u8]>,
}

impl<'a> Signature<'a> {
    /// Wrong encoding or length is an invalid signature, never a malformed token.
    fn decode(self) -> Result<&'a [u8], Error> {
        self.decoded.ok_or(Error::InvalidSignature)
    }
}

/// With one configured key there is nothing to select: a `kid` in the token must only not
/// contradict the key's own `kid`.
fn verify_with_key(
    key: &PublicKey,
    kid: Option<&str>,
    alg: AsymmetricAlg,
    signing_input: &[u8],
    signature: Signature<'_>,
) -> Result<(), Error> {
    if let (Some(wanted), Some(own)) = (kid, key.kid()) {
        if wanted != own {
            return Err(Error::UnknownKey);
        }
    }
    if !key.fits(alg) {
        return Err(Error::AlgorithmNotAllowed(alg.algorithm()));
    }
    key.verify(alg, signing_input, signature.decode()?)
}

fn verify_with_set(
    set: &KeySet,
    kid: Option<&str>,
    alg: AsymmetricAlg,
    signing_input: &[u8],
    signature: Signature<'_>,
) -> Result<(), Error> {
    let key = set.select(kid, alg)?;
    key.verify(alg, signing_input, signature.decode()?)
}

impl core::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let p = &*self.policy;
        let keys = match &p.keys {
            KeySource::Hmac(_) => "hmac secret",
            KeySource::HmacStore(_) => "hmac key store",
            KeySource::Single(_) => "one public key",
            KeySource::Static(_) => "static key set",
            KeySource::Store(_) => "key store",
            KeySource::Live(_) => "live key set",
        };
        f.debug_struct("Verifier")
            .field("keys", &keys)
            .field("allowed", &p.allowed)
            .field("issuer_checked", &p.issuer.is_some())
            .field("audience_checked", &p.audiences.is_some())
            .field("leeway", &p.leeway)
            .field("typ", &p.typ)
            .field("required_scopes", &p.scopes.len())
            .field("max_token_bytes", &p.max_token_bytes)
            .finish()
    }
}

impl core::fmt::Debug for VerifiedToken<'_> {
    /// `VerifiedToken { alg: ES256, kid_bytes: Some(6), claims: Claims { .. } }`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifiedToken")
            .field("alg", &self.alg)
            .field("kid_bytes", &self.kid.map(str::len))
            .field("claims", &self.claims)
            .finish()
    }
}

impl core::fmt::Debug for VerifiedJws<'_> {
    /// `VerifiedJws { alg: EdDSA, kid_bytes: None, payload_bytes: 120 }`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifiedJws")
            .field("alg", &self.alg)
            .field("kid_bytes", &self.kid.map(str::len))
            .field("payload_bytes", &self.payload.len())
            .finish()
    }
}
