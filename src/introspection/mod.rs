//! Opaque access tokens through OAuth 2.0 Token Introspection (RFC 7662), feature
//! `introspection`.
//!
//! * One `POST` of `token=…&token_type_hint=access_token` to the configured endpoint
//!   through the one outbound client ([`crate::outbound`]): https only (loopback http
//!   behind the explicit opt-in of [`Endpoint::new`]), one deadline (default
//!   [`limits::DEFAULT_INTROSPECTION_TIMEOUT`]), a body cap
//!   ([`limits::MAX_INTROSPECTION_BYTES`]), no redirects.
//! * Client authentication `client_secret_basic` (id and secret form-urlencoded before
//!   base64, RFC 6749 §2.3.1) or `client_secret_post`.
//! * Strict answers: status 200, `application/json`, an object with one boolean `active`.
//!   Anything else is [`Error::IntrospectionUnavailable`] (503); `active: false` is
//!   [`Error::InvalidToken`] (401); an active answer then meets the same local policy as a
//!   JWT's claims (`exp` required unless [`IntrospectorBuilder::exp_not_required`], `nbf`
//!   and `iat` with leeway, `iss`, `aud`, scopes) and, when present, `token_type` must be
//!   an access-token type ([`ACCESS_TOKEN_TYPES`]).
//! * Positive answers are cached when [`IntrospectorBuilder::cache`] is called: keyed by
//!   the token's SHA-256, each entry living no longer than the token's `exp` and the
//!   configured maximum, bounded in count. Negative answers and failures are never cached.
//!   Concurrent introspections of one token share one request.
//!
//! ```no_run
//! use jwsgate::UnixTime;
//! use jwsgate::introspection::Introspector;
//! use jwsgate::outbound::Endpoint;
//! use secrecy::SecretString;
//!
//! # async fn demo(token: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let introspector = Introspector::builder(
//!     Endpoint::https("https://as.example/oauth2/introspect")?,
//!     "orders-api",
//!     SecretString::from(std::env::var("INTROSPECTION_SECRET")?),
//! )
//! .issuer("https://as.example")
//! .audience("api://orders")
//! .cache(std::time::Duration::from_secs(30), 10_000)
//! .build()?;
//! let who = introspector.introspect(token.as_bytes(), UnixTime::now()).await?;
//! println!("{:?} with {:?}", who.sub(), who.scopes().collect::<Vec<_>>());
//! # Ok(()) }
//! ```

mod answer;
mod cache;

use core::fmt;
use core::time::Duration;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64ct::{Base64, Encoding};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::OnceCell;
use zeroize::Zeroizing;

pub use answer::{ACCESS_TOKEN_TYPES, Introspected};

use crate::authn::{AuthContext, AuthMethod, Authenticator, Identity, MaybeReady};
use crate::claims::is_scope_token;
use crate::error::{ConfigError, Error};
use crate::limits;
use crate::outbound::{Endpoint, HttpClient};
use crate::time::UnixTime;
use answer::AnswerPolicy;
use cache::{AnswerCache, TokenDigest, token_digest};

/// How the resource server authenticates to the introspection endpoint (RFC 6749 §2.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientAuth {
    /// `client_secret_basic`: HTTP Basic with the id and secret each form-urlencoded first.
    #[default]
    Basic,
    /// `client_secret_post`: `client_id` and `client_secret` in the form body.
    Post,
}

/// One request's outcome, shared by every caller that asked for the same token meanwhile.
type Shared = Arc<OnceCell<Result<Arc<str>, Error>>>;

struct Inner {
    client: HttpClient,
    endpoint: Endpoint,
    client_id: Box<str>,
    client_secret: SecretString,
    auth: ClientAuth,
    policy: AnswerPolicy,
    max_token_bytes: usize,
    cache: Option<AnswerCache>,
    in_flight: Mutex<HashMap<TokenDigest, Shared>>,
}

/// An RFC 7662 introspection client with its cache. Cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct Introspector {
    inner: Arc<Inner>,
}

impl fmt::Debug for Introspector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Introspector")
            .field("endpoint_host", &self.inner.endpoint.host())
            .field("client_id", &self.inner.client_id)
            .field("auth", &self.inner.auth)
            .field("cache", &self.inner.cache.is_some())
            .finish_non_exhaustive()
    }
}

/// Configures an [`Introspector`]. The issuer and audience decisions are required, as
/// for a [`crate::Verifier`]: a value, or a loudly named opt-out.
#[must_use]
pub struct IntrospectorBuilder {
    client: Option<HttpClient>,
    endpoint: Endpoint,
    client_id: Box<str>,
    client_secret: SecretString,
    auth: ClientAuth,
    issuer: Option<Option<Box<str>>>,
    audiences: Option<Option<Vec<Box<str>>>>,
    scopes: Vec<Box<str>>,
    leeway: u64,
    require_exp: bool,
    max_token_bytes: usize,
    cache: Option<(Duration, usize)>,
}

impl fmt::Debug for IntrospectorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IntrospectorBuilder")
            .field("client_id", &self.client_id)
            .field("auth", &self.auth)
            .finish_non_exhaustive()
    }
}

impl Introspector {
    /// Starts configuring a client of `endpoint`, authenticating as `client_id` with
    /// `client_secret` (from [`crate::secrets`] sources, or any `SecretString`).
    pub fn builder(
        endpoint: Endpoint,
        client_id: &str,
        client_secret: SecretString,
    ) -> IntrospectorBuilder {
        IntrospectorBuilder {
            client: None,
            endpoint,
            client_id: client_id.into(),
            client_secret,
            auth: ClientAuth::Basic,
            issuer: None,
            audiences: None,
            scopes: Vec::new(),
            leeway: limits::DEFAULT_LEEWAY_SECS,
            require_exp: true,
            max_token_bytes: limits::DEFAULT_MAX_TOKEN_BYTES,
            cache: None,
        }
    }

    /// Introspects `token` and applies the local policy at `now`.
    ///
    /// Errors: [`Error::TokenTooLarge`] / [`Error::Malformed`] (not a token: empty, or
    /// not visible ASCII) before anything is sent; [`Error::InvalidToken`] for
    /// `active: false`; [`Error::IntrospectionUnavailable`] when the endpoint fails; the
    /// claims errors of a JWT otherwise. Must run inside a tokio runtime.
    pub async fn introspect(&self, token: &[u8], now: UnixTime) -> Result<Introspected, Error> {
        let inner = &*self.inner;
        if token.len() > inner.max_token_bytes {
            return Err(Error::TokenTooLarge {
                len: token.len(),
                max: inner.max_token_bytes,
            });
        }
        // RFC 6750 §2.1 b64token is visible ASCII; anything else is no bearer token and is
        // never sent.
        let token = core::str::from_utf8(token)
            .ok()
            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or(Error::Malformed("not a bearer token"))?;
        let key = token_digest(token.as_bytes());
        if let Some(answer) = inner.cache.as_ref().and_then(|c| c.get(&key, now)) {
            return answer::judge(&answer, &inner.policy, now);
        }
        let shared: Shared = {
            let mut map = inner.in_flight.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(map.entry(key).or_default())
        };
        let outcome = shared
            .get_or_init(|| async {
                let outcome = self.request(token).await;
                if let (Ok(answer), Some(cache)) = (&outcome, &inner.cache) {
                    // Cached only when it passes the policy now; its exp bounds the TTL.
                    if let Ok(v) = answer::judge(answer, &inner.policy, now) {
                        cache.insert(key, Arc::clone(answer), v.exp(), now);
                    }
                }
                outcome
            })
            .await
            .clone();
        {
            let mut map = inner.in_flight.lock().unwrap_or_else(|e| e.into_inner());
            if map.get(&key).is_some_and(|s| Arc::ptr_eq(s, &shared)) {
                map.remove(&key);
            }
        }
        answer::judge(&outcome?, &inner.policy, now)
    }

    /// One request to the endpoint; the answer read strictly.
    async fn request(&self, token: &str) -> Result<Arc<str>, Error> {
        let inner = &*self.inner;
        let mut form: Vec<(&str, &str)> =
            vec![("token", token), ("token_type_hint", "access_token")];
        let basic: Zeroizing<String>;
        let mut headers: Vec<(&str, &str)> = vec![("accept", "application/json")];
        match inner.auth {
            ClientAuth::Basic => {
                basic = basic_authorization(&inner.client_id, inner.client_secret.expose_secret());
                headers.push(("authorization", basic.as_str()));
            }
            ClientAuth::Post => {
                form.push(("client_id", &inner.client_id));
                form.push(("client_secret", inner.client_secret.expose_secret()));
            }
        }
        let answer = inner
            .client
            .post_form(
                &inner.endpoint,
                &headers,
                &form,
                limits::MAX_INTROSPECTION_BYTES,
            )
            .await
            .map_err(|e| {
                log_failure(e.kind());
                Error::IntrospectionUnavailable
            })?;
        answer::read_answer(
            answer.status(),
            answer.header("content-type"),
            answer.body(),
        )
        .inspect_err(|e| {
            if *e == Error::IntrospectionUnavailable {
                log_failure("answer");
            }
        })
    }
}

/// The HTTP layer's view: an opaque token is introspected (a boxed future: network I/O)
/// and becomes an [`Identity`] of [`AuthMethod::Introspection`]. The token is copied into
/// a zeroizing buffer for the request's life.
impl Authenticator for Introspector {
    fn authenticate(&self, token: &str, cx: &AuthContext) -> MaybeReady<Result<Identity, Error>> {
        let this = self.clone();
        let token = Zeroizing::new(token.as_bytes().to_vec());
        let (fingerprint, now) = (cx.fingerprint(), cx.now());
        MaybeReady::pending(async move {
            let v = this.introspect(&token, now).await?;
            let mut b =
                Identity::builder(fingerprint, AuthMethod::Introspection).scopes(v.scopes());
            if let Some(sub) = v.sub() {
                b = b.subject(sub);
            }
            if let Some(iss) = v.iss() {
                b = b.issuer(iss);
            }
            if let Some(client_id) = v.client_id() {
                b = b.client_id(client_id);
            }
            if let Some(exp) = v.exp().and_then(|e| u64::try_from(e).ok()) {
                b = b.expires_at(UnixTime::from_secs(exp));
            }
            Ok(b.build())
        })
    }

    /// `Some(true)` when `resource` is among the accepted audiences, `Some(false)` when
    /// it is not or when the audience is not checked at all.
    fn accepts_audience(&self, resource: &str) -> Option<bool> {
        Some(
            self.inner
                .policy
                .audiences
                .as_ref()
                .is_some_and(|a| a.iter().any(|a| **a == *resource)),
        )
    }
}

fn log_failure(kind: &'static str) {
    tracing::warn!(
        failure = kind,
        "token introspection failed; the token is refused with introspection_unavailable"
    );
}

impl IntrospectorBuilder {
    /// The outbound client to use (its deadline is the request's). Default: a client with
    /// [`limits::DEFAULT_INTROSPECTION_TIMEOUT`] and the built-in trust roots.
    pub fn http_client(mut self, client: HttpClient) -> Self {
        self.client = Some(client);
        self
    }

    /// `client_secret_basic` (the default) or `client_secret_post`.
    pub fn auth_method(mut self, auth: ClientAuth) -> Self {
        self.auth = auth;
        self
    }

    /// The one accepted `iss`, compared exactly.
    pub fn issuer(mut self, issuer: &str) -> Self {
        self.issuer = Some(Some(issuer.into()));
        self
    }

    /// Accept any issuer (or none).
    pub fn no_issuer_check(mut self) -> Self {
        self.issuer = Some(None);
        self
    }

    /// An accepted audience (repeatable): the answer's `aud` must contain one.
    pub fn audience(mut self, audience: &str) -> Self {
        match &mut self.audiences {
            Some(Some(list)) => list.push(audience.into()),
            _ => self.audiences = Some(Some(vec![audience.into()])),
        }
        self
    }

    /// Accept any audience (or none).
    pub fn no_audience_check(mut self) -> Self {
        self.audiences = Some(None);
        self
    }

    /// A scope the token must carry (repeatable): one RFC 6749 scope-token
    /// ([`is_scope_token`]; [`build`](Self::build) refuses others).
    pub fn require_scope(mut self, scope: &str) -> Self {
        self.scopes.push(scope.into());
        self
    }

    /// Clock skew allowed on `exp`, `nbf`, `iat` (default 60 s, at most 120 s).
    pub fn leeway(mut self, secs: u64) -> Self {
        self.leeway = secs;
        self
    }

    /// Accept active answers without `exp` (RFC 7662 makes it optional; jwsgate requires
    /// it by default, as for JWTs, so that a cached answer has a bound).
    pub fn exp_not_required(mut self) -> Self {
        self.require_exp = false;
        self
    }

    /// Larger tokens are refused before anything is sent (default 8192 bytes).
    pub fn max_token_bytes(mut self, max: usize) -> Self {
        self.max_token_bytes = max;
        self
    }

    /// Caches positive answers for at most `max_ttl` (and never past the token's `exp`),
    /// holding at most `max_entries`. Off unless called; [`limits::DEFAULT_INTROSPECTION_CACHE_TTL`]
    /// and [`limits::DEFAULT_INTROSPECTION_CACHE_ENTRIES`] are the suggested values. A
    /// revoked token keeps working until its entry expires: `max_ttl` is that bound.
    pub fn cache(mut self, max_ttl: Duration, max_entries: usize) -> Self {
        self.cache = Some((max_ttl, max_entries));
        self
    }

    /// Builds the introspector. Refuses a missing issuer or audience decision, an empty
    /// issuer or audience, a required scope that is not an RFC 6749 scope-token
    /// ([`is_scope_token`]), a leeway over 120 s, a zero or oversized token limit, a cache
    /// TTL of zero or over [`limits::MAX_INTROSPECTION_CACHE_TTL`], a cache size of zero
    /// or over [`limits::MAX_INTROSPECTION_CACHE_ENTRIES`], and a client id holding
    /// control characters.
    pub fn build(self) -> Result<Introspector, ConfigError> {
        let issuer = self.issuer.ok_or(ConfigError::InvalidPolicy(
            "no issuer decision: issuer() or no_issuer_check()",
        ))?;
        let audiences = self.audiences.ok_or(ConfigError::InvalidPolicy(
            "no audience decision: audience() or no_audience_check()",
        ))?;
        if issuer.as_deref().is_some_and(str::is_empty)
            || audiences
                .as_ref()
                .is_some_and(|a| a.iter().any(|a| a.is_empty()))
        {
            return Err(ConfigError::InvalidPolicy("an empty issuer or audience"));
        }
        // As the JWT verifier's builder: a scope outside the scope-token rule (a space
        // makes it two names) is never among the answer's, so every request would get 403.
        if !self.scopes.iter().all(|s| is_scope_token(s)) {
            return Err(ConfigError::InvalidPolicy(
                "a required scope is not an RFC 6749 scope-token",
            ));
        }
        if self.leeway > limits::MAX_LEEWAY_SECS {
            return Err(ConfigError::LeewayTooLarge(self.leeway));
        }
        if self.max_token_bytes == 0 || self.max_token_bytes > limits::MAX_TOKEN_BYTES_CEILING {
            return Err(ConfigError::InvalidPolicy("max_token_bytes out of range"));
        }
        if self.client_id.is_empty() || self.client_id.chars().any(char::is_control) {
            return Err(ConfigError::InvalidPolicy(
                "an empty client id or one with control characters",
            ));
        }
        let cache = match self.cache {
            None => None,
            Some((ttl, entries)) => {
                if ttl.is_zero() || ttl > limits::MAX_INTROSPECTION_CACHE_TTL {
                    return Err(ConfigError::InvalidPolicy(
                        "introspection cache TTL out of range",
                    ));
                }
                if entries == 0 || entries > limits::MAX_INTROSPECTION_CACHE_ENTRIES {
                    return Err(ConfigError::InvalidPolicy(
                        "introspection cache size out of range",
                    ));
                }
                Some(AnswerCache::new(ttl.as_secs().max(1), entries))
            }
        };
        let client = match self.client {
            Some(c) => c,
            None => HttpClient::builder()
                .timeout(limits::DEFAULT_INTROSPECTION_TIMEOUT)
                .build()
                .map_err(|_| ConfigError::InvalidPolicy("the outbound client cannot be built"))?,
        };
        Ok(Introspector {
            inner: Arc::new(Inner {
                client,
                endpoint: self.endpoint,
                client_id: self.client_id,
                client_secret: self.client_secret,
                auth: self.auth,
                policy: AnswerPolicy {
                    issuer,
                    audiences: audiences.map(Vec::into_boxed_slice),
                    scopes: self.scopes.into_boxed_slice(),
                    leeway: self.leeway,
                    require_exp: self.require_exp,
                },
                max_token_bytes: self.max_token_bytes,
                cache,
                in_flight: Mutex::new(HashMap::new()),
            }),
        })
    }
}

/// `Basic base64(urlencode(id) ":" urlencode(secret))`: RFC 6749 §2.3.1 encodes both with
/// `application/x-www-form-urlencoded` before Basic (RFC 7617), so an id holding `:` or
/// `%` reaches the server intact.
fn basic_authorization(client_id: &str, secret: &str) -> Zeroizing<String> {
    let mut pair = Zeroizing::new(String::with_capacity(client_id.len() + secret.len() + 8));
    form_urlencode_into(&mut pair, client_id);
    pair.push(':');
    form_urlencode_into(&mut pair, secret);
    let mut out = Zeroizing::new(String::from("Basic "));
    out.push_str(&Zeroizing::new(Base64::encode_string(pair.as_bytes())));
    out
}

/// `application/x-www-form-urlencoded` of one value (WHATWG URL §5.2): alphanumerics and
/// `*-._` as they are, space as `+`, every other byte as `%XX`.
fn form_urlencode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_form_urlencoded_before_base64() {
        let h = basic_authorization("id:with%colon é", "s3cr:t+/");
        let b64 = h.strip_prefix("Basic ").unwrap();
        let pair = Base64::decode_vec(b64).unwrap();
        assert_eq!(
            String::from_utf8(pair).unwrap(),
            "id%3Awith%25colon+%C3%A9:s3cr%3At%2B%2F"
        );
        // RFC 7617 example shape for plain values.
        assert_eq!(
            *basic_authorization("Aladdin", "open"),
            "Basic QWxhZGRpbjpvcGVu"
        );
    }

    #[test]
    fn builder_requires_decisions_and_bounds() {
        let ep = Endpoint::https("https://as.example/introspect").unwrap();
        let b = || Introspector::builder(ep.clone(), "rs", SecretString::from("s"));
        assert!(b().audience("a").build().is_err(), "no issuer decision");
        assert!(b().issuer("i").build().is_err(), "no audience decision");
        assert!(b().issuer("i").audience("a").build().is_ok());
        assert!(b().no_issuer_check().no_audience_check().build().is_ok());
        assert!(b().issuer("").audience("a").build().is_err());
        let scoped = |scope| b().issuer("i").audience("a").require_scope(scope).build();
        assert!(scoped("mcp:tools").is_ok());
        for bad in ["", "a b", " a", "a ", "a\tb", "a\"b", "a\\b", "é"] {
            assert_eq!(
                scoped(bad).err(),
                Some(ConfigError::InvalidPolicy(
                    "a required scope is not an RFC 6749 scope-token"
                )),
                "{bad:?}"
            );
        }
        assert!(b().issuer("i").audience("a").leeway(121).build().is_err());
        let cached = |ttl, n| {
            b().issuer("i")
                .audience("a")
                .cache(Duration::from_secs(ttl), n)
                .build()
        };
        assert!(cached(60, 10).is_ok());
        assert!(cached(0, 10).is_err());
        assert!(cached(limits::MAX_INTROSPECTION_CACHE_TTL.as_secs() + 1, 10).is_err());
        assert!(cached(60, 0).is_err());
        assert!(
            Introspector::builder(ep.clone(), "a\nb", SecretString::from("s"))
                .no_issuer_check()
                .no_audience_check()
                .build()
                .is_err()
        );
    }

    #[test]
    fn debug_shows_no_secret() {
        let ep = Endpoint::https("https://as.example/introspect").unwrap();
        let i = Introspector::builder(ep, "rs", SecretString::from("hunter2-secret"))
            .no_issuer_check()
            .no_audience_check()
            .build()
            .unwrap();
        let shown = format!("{i:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("rs"));
    }
}
