//! Google Cloud Secret Manager (feature `gcp`): `GET {base}/v1/{name}:access` over the
//! one outbound HTTP client ([`crate::outbound`]), with a bearer token from a
//! `gcp_auth::TokenProvider` (scope `cloud-platform`).
//!
//! * **Credentials**: an injected provider ([`SecretManagerBuilder::token_provider`]),
//!   or else `gcp_auth::provider()`'s discovery (`GOOGLE_APPLICATION_CREDENTIALS` first,
//!   then gcloud's credentials, then the metadata server, then the gcloud CLI), run once,
//!   lazily, under [`limits::DISCOVERY_DEADLINE`].
//! * **Deadlines** (gcp_auth sets none): discovery, token fetch and the access call each
//!   have one.
//! * **The answer**: the payload is base64-decoded into a zeroizing buffer, checked
//!   against `payload.dataCrc32c` when present (CRC-32C), refused over 64 KiB; the
//!   version number is read from `name` and kept.
//! * **Errors**: 400 (`FAILED_PRECONDITION`: a disabled or destroyed version) →
//!   [`GcpError::FailedPrecondition`]; 401/403 → [`GcpError::PermissionDenied`], 404 →
//!   [`GcpError::NotFound`]: configuration errors, never retried; 429 and 5xx, timeouts
//!   and broken connections → retried with jittered exponential backoff, at most
//!   [`limits::MAX_ATTEMPTS`] attempts.
//!
//! [`CachedSecret`] keeps a value current in the background, and
//! [`SecretManager::hmac_key_store`] feeds an [`HmacKeyStore`] from it.
//!
//! ```no_run
//! use jwsgate::Verifier;
//! use jwsgate::secrets::gcp::{RefreshPolicy, SecretManager};
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let sm = SecretManager::builder().build()?; // gcp_auth discovery, public endpoint
//! let name = "projects/acme-prod/secrets/jwt-hmac/versions/latest".parse()?;
//! let (store, _refresh) = sm.hmac_key_store(&name, RefreshPolicy::default()).await?;
//! let verifier = Verifier::builder()
//!     .hmac_store(store)
//!     .issuer("https://issuer.example")
//!     .audience("api://orders")
//!     .build()?;
//! # let _ = verifier; Ok(()) }
//! ```

mod cache;
mod crc32c;

use core::fmt;
use core::time::Duration;
use std::borrow::Cow;
use std::sync::Arc;

use base64ct::Encoding;
use zeroize::{Zeroize, Zeroizing};

pub use cache::{CachedSecret, RefreshPolicy};
pub use crc32c::crc32c;

use super::limits::MAX_SECRET_BYTES;
use super::{GcpSecretName, GcpVersion, ResolvedSecret, SecretSpec, SecretValue};
use crate::keys::HmacKeyStore;
use crate::outbound::{Endpoint, HttpClient, OutboundError};

/// The token provider type of gcp_auth.
pub type TokenProvider = dyn gcp_auth::TokenProvider;

/// Limits and defaults of the Secret Manager source, each with its reason.
pub mod limits {
    use core::time::Duration;

    /// The public Secret Manager endpoint.
    pub const DEFAULT_BASE_URL: &str = "https://secretmanager.googleapis.com";

    /// The OAuth scope asked of the token provider: Secret Manager accepts
    /// `cloud-platform` (its documented scope).
    pub const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";

    /// Deadline around `gcp_auth::provider()`'s discovery: 10 s. Discovery may probe the
    /// metadata server, which outside Google Cloud does not answer; gcp_auth sets no
    /// deadline of its own.
    pub const DISCOVERY_DEADLINE: Duration = Duration::from_secs(10);

    /// Deadline around one token fetch: 10 s (gcp_auth retries inside it, up to 4 times
    /// with 50 to 400 ms pauses).
    pub const TOKEN_DEADLINE: Duration = Duration::from_secs(10);

    /// Deadline around one `:access` call (connect, TLS, request, body): 5 s, the outbound
    /// client's default; Secret Manager answers in tens of milliseconds.
    pub const ACCESS_DEADLINE: Duration = Duration::from_secs(5);

    /// Attempts per access when Secret Manager answers 429 or 5xx, or the call times out
    /// or breaks: 4 (Google's client libraries retry a handful of times).
    pub const MAX_ATTEMPTS: u32 = 4;

    /// First backoff before a retry: 200 ms, doubled per attempt, with full jitter.
    pub const BACKOFF_INITIAL: Duration = Duration::from_millis(200);

    /// Largest backoff before a retry: 5 s.
    pub const BACKOFF_MAX: Duration = Duration::from_secs(5);

    /// Largest `:access` answer read, in bytes: a 64 KiB payload is 87 382 base64
    /// characters; 128 KiB leaves room for the JSON around it, so a payload just over the
    /// limit is refused with its own error rather than as a truncated body.
    pub const MAX_ACCESS_RESPONSE_BYTES: usize = 128 * 1024;

    /// Default time a fetched value is used before the background task refetches it:
    /// 5 min, so a rotation is followed within minutes at 12 calls an hour per secret
    /// (Secret Manager's access quota is 90 000 a minute per project).
    pub const DEFAULT_TTL: Duration = Duration::from_secs(5 * 60);

    /// Shortest TTL accepted: 1 s, so a misconfiguration cannot turn the refresher into
    /// a loop against Secret Manager.
    pub const MIN_TTL: Duration = Duration::from_secs(1);

    /// Default bound on serving the last value while refreshes fail: 1 h past the last
    /// successful fetch. Past it the value is no longer served (an HMAC store fails
    /// closed with `keys_unavailable`): a secret revoked by disabling its version must
    /// stop verifying within a bounded time.
    pub const DEFAULT_MAX_STALE: Duration = Duration::from_secs(60 * 60);

    /// Default grace period during which the previous HMAC secret still verifies after
    /// a rotation: 1 h, the usual upper bound of an access token's lifetime.
    pub const DEFAULT_HMAC_GRACE: Duration = Duration::from_secs(60 * 60);
}

/// Why Secret Manager did not serve a secret. `Display` never contains a secret byte
/// or a token.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GcpError {
    /// The base URL or a setting cannot work.
    #[error("invalid Secret Manager configuration: {0}")]
    Config(String),
    /// gcp_auth found no credentials, or discovery passed its deadline.
    #[error("no Google Cloud credentials: {0}")]
    Discovery(String),
    /// The token provider failed or passed its deadline.
    #[error("cannot get an access token: {0}")]
    Token(String),
    /// 400, `FAILED_PRECONDITION`: the version is disabled or destroyed (for `latest`:
    /// the newest version is).
    #[error("the secret version is disabled or destroyed (400 FAILED_PRECONDITION)")]
    FailedPrecondition,
    /// 401 or 403: the credentials may not access the secret. A configuration error.
    #[error("permission denied ({status}): the credentials may not access the secret")]
    PermissionDenied {
        /// 401 or 403.
        status: u16,
    },
    /// 404: no such project, secret or version. A configuration error.
    #[error("not found (404): no such project, secret or version")]
    NotFound,
    /// 429, 5xx, a timeout or a broken connection, still so after every retry.
    #[error("Secret Manager unavailable after {attempts} attempt(s): {reason}")]
    Unavailable {
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        reason: String,
    },
    /// Another failure of the call (a TLS failure, a redirect, another status).
    #[error("Secret Manager call failed: {0}")]
    Transport(String),
    /// The answer is not the JSON `AccessSecretVersionResponse` it must be.
    #[error("malformed Secret Manager answer: {0}")]
    Malformed(&'static str),
    /// `payload.dataCrc32c` does not match the payload: corrupted in transit or storage.
    #[error("the payload does not match its CRC32C checksum")]
    ChecksumMismatch,
    /// The payload is larger than [`MAX_SECRET_BYTES`].
    #[error("the payload exceeds {max} bytes")]
    TooLarge {
        /// The limit.
        max: usize,
    },
    /// A new version was fetched but refused by its consumer (e.g. not a strong HMAC
    /// key); the last accepted version stays in use.
    #[error("the new version was refused: {0}")]
    Refused(String),
    /// The last value is past its staleness bound: refreshing kept failing for longer
    /// than [`RefreshPolicy::max_stale`]. Fails closed.
    #[error("the cached secret is past its staleness bound")]
    Stale,
}

impl GcpError {
    /// Whether retrying the same call may succeed (429, 5xx, timeouts, broken
    /// connections).
    pub fn is_retryable(&self) -> bool {
        matches!(self, GcpError::Unavailable { .. })
    }

    /// Whether this is a configuration error: retrying cannot help until someone changes
    /// the configuration, the credentials or the permissions.
    pub fn is_config(&self) -> bool {
        matches!(
            self,
            GcpError::Config(_)
                | GcpError::Discovery(_)
                | GcpError::PermissionDenied { .. }
                | GcpError::NotFound
        )
    }
}

/// Configures a [`SecretManager`].
#[must_use]
pub struct SecretManagerBuilder {
    base_url: String,
    allow_insecure_loopback: bool,
    provider: Option<Arc<TokenProvider>>,
    http: Option<HttpClient>,
    discovery_deadline: Duration,
    token_deadline: Duration,
    access_deadline: Duration,
    max_attempts: u32,
    backoff_initial: Duration,
}

/// A Secret Manager client: cheap to share behind an `Arc`, `Send + Sync`.
pub struct SecretManager {
    base_url: String,
    allow_insecure_loopback: bool,
    provider: tokio::sync::OnceCell<Arc<TokenProvider>>,
    http: HttpClient,
    discovery_deadline: Duration,
    token_deadline: Duration,
    access_deadline: Duration,
    max_attempts: u32,
    backoff_initial: Duration,
}

impl SecretManagerBuilder {
    /// The endpoint (default [`limits::DEFAULT_BASE_URL`]); `https://`, or `http://` on
    /// a loopback address with [`allow_insecure_loopback`](Self::allow_insecure_loopback).
    pub fn base_url(mut self, url: &str) -> Self {
        self.base_url = url.trim_end_matches('/').to_string();
        self
    }

    /// Allows an `http://` base URL on a loopback address (tests, local emulators).
    pub fn allow_insecure_loopback(mut self, allow: bool) -> Self {
        self.allow_insecure_loopback = allow;
        self
    }

    /// The token provider to use instead of `gcp_auth::provider()`'s discovery.
    pub fn token_provider(mut self, provider: Arc<TokenProvider>) -> Self {
        self.provider = Some(provider);
        self
    }

    /// The outbound client (default: one built with the access deadline as its timeout).
    pub fn http_client(mut self, client: HttpClient) -> Self {
        self.http = Some(client);
        self
    }

    /// Deadline around discovery (default [`limits::DISCOVERY_DEADLINE`]).
    pub fn discovery_deadline(mut self, d: Duration) -> Self {
        self.discovery_deadline = d;
        self
    }

    /// Deadline around one token fetch (default [`limits::TOKEN_DEADLINE`]).
    pub fn token_deadline(mut self, d: Duration) -> Self {
        self.token_deadline = d;
        self
    }

    /// Deadline around one access call (default [`limits::ACCESS_DEADLINE`]).
    pub fn access_deadline(mut self, d: Duration) -> Self {
        self.access_deadline = d;
        self
    }

    /// Attempts per access for retryable failures (default [`limits::MAX_ATTEMPTS`]),
    /// and the first backoff (default [`limits::BACKOFF_INITIAL`]).
    pub fn retries(mut self, max_attempts: u32, backoff_initial: Duration) -> Self {
        self.max_attempts = max_attempts;
        self.backoff_initial = backoff_initial;
        self
    }

    /// Checks the settings and makes the client. Nothing is sent yet.
    pub fn build(self) -> Result<Arc<SecretManager>, GcpError> {
        let zero = [
            self.discovery_deadline,
            self.token_deadline,
            self.access_deadline,
        ]
        .iter()
        .any(Duration::is_zero);
        if zero || self.max_attempts == 0 {
            return Err(GcpError::Config("a zero deadline or attempt count".into()));
        }
        let base = Endpoint::new(&self.base_url, self.allow_insecure_loopback)
            .map_err(|e| GcpError::Config(format!("base URL: {e}")))?;
        if self.base_url.contains(['?', '#']) {
            return Err(GcpError::Config(
                "base URL: no query or fragment allowed".into(),
            ));
        }
        let _ = base;
        let http = match self.http {
            Some(c) => c,
            None => HttpClient::builder()
                .timeout(self.access_deadline)
                .build()
                .map_err(|e| GcpError::Config(e.to_string()))?,
        };
        let provider = tokio::sync::OnceCell::new();
        if let Some(p) = self.provider {
            let _ = provider.set(p);
        }
        Ok(Arc::new(SecretManager {
            base_url: self.base_url,
            allow_insecure_loopback: self.allow_insecure_loopback,
            provider,
            http,
            discovery_deadline: self.discovery_deadline,
            token_deadline: self.token_deadline,
            access_deadline: self.access_deadline,
            max_attempts: self.max_attempts,
            backoff_initial: self.backoff_initial,
        }))
    }
}

/// `AccessSecretVersionResponse`, borrowed from the (zeroizing) answer buffer.
#[derive(serde::Deserialize)]
struct AccessResponse<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    payload: Payload<'a>,
}

#[derive(serde::Deserialize)]
struct Payload<'a> {
    #[serde(borrow)]
    data: Cow<'a, str>,
    /// An int64 in proto3's JSON mapping: a decimal string.
    #[serde(rename = "dataCrc32c", default, borrow)]
    data_crc32c: Option<Cow<'a, str>>,
}

impl SecretManager {
    /// Starts configuring a client.
    pub fn builder() -> SecretManagerBuilder {
        SecretManagerBuilder {
            base_url: limits::DEFAULT_BASE_URL.into(),
            allow_insecure_loopback: false,
            provider: None,
            http: None,
            discovery_deadline: limits::DISCOVERY_DEADLINE,
            token_deadline: limits::TOKEN_DEADLINE,
            access_deadline: limits::ACCESS_DEADLINE,
            max_attempts: limits::MAX_ATTEMPTS,
            backoff_initial: limits::BACKOFF_INITIAL,
        }
    }

    /// The token provider: the injected one, or gcp_auth's discovery (once, under its
    /// deadline; a failed discovery is tried again at the next call).
    async fn provider(&self) -> Result<&Arc<TokenProvider>, GcpError> {
        self.provider
            .get_or_try_init(|| async {
                match tokio::time::timeout(self.discovery_deadline, gcp_auth::provider()).await {
                    Ok(Ok(p)) => Ok(p),
                    Ok(Err(e)) => Err(GcpError::Discovery(e.to_string())),
                    Err(_) => Err(GcpError::Discovery(format!(
                        "discovery did not finish within {:?}",
                        self.discovery_deadline
                    ))),
                }
            })
            .await
    }

    /// Accesses `name` once, with retries for retryable failures. The answer's version
    /// is logged (target `jwsgate::secrets`), never its value.
    pub async fn access(&self, name: &GcpSecretName) -> Result<ResolvedSecret, GcpError> {
        let mut attempt = 1;
        loop {
            match self.access_once(name).await {
                Ok(resolved) => {
                    tracing::info!(
                        target: "jwsgate::secrets",
                        secret = %name,
                        version = ?resolved.version(),
                        attempt,
                        "Secret Manager served the secret"
                    );
                    return Ok(resolved);
                }
                Err(e) if e.is_retryable() && attempt < self.max_attempts => {
                    let pause = backoff(self.backoff_initial, attempt);
                    tracing::warn!(
                        target: "jwsgate::secrets",
                        secret = %name,
                        error = %e,
                        attempt,
                        retry_in = ?pause,
                        "Secret Manager call failed; retrying"
                    );
                    tokio::time::sleep(pause).await;
                    attempt += 1;
                }
                Err(e) => {
                    return Err(match e {
                        GcpError::Unavailable { reason, .. } => GcpError::Unavailable {
                            attempts: attempt,
                            reason,
                        },
                        other => other,
                    });
                }
            }
        }
    }

    async fn access_once(&self, name: &GcpSecretName) -> Result<ResolvedSecret, GcpError> {
        let provider = self.provider().await?;
        let token =
            match tokio::time::timeout(self.token_deadline, provider.token(&[limits::SCOPE])).await
            {
                Ok(Ok(t)) => t,
                Ok(Err(e)) => return Err(GcpError::Token(e.to_string())),
                Err(_) => {
                    return Err(GcpError::Token(format!(
                        "no token within {:?}",
                        self.token_deadline
                    )));
                }
            };
        let bearer = Zeroizing::new(format!("Bearer {}", token.as_str()));
        let url = format!("{}/v1/{name}:access", self.base_url);
        let endpoint = Endpoint::new(&url, self.allow_insecure_loopback)
            .map_err(|e| GcpError::Config(e.to_string()))?;
        let headers = [
            ("authorization", bearer.as_str()),
            ("accept", "application/json"),
        ];
        let call = self
            .http
            .get(&endpoint, &headers, limits::MAX_ACCESS_RESPONSE_BYTES);
        let answer = match tokio::time::timeout(self.access_deadline, call).await {
            Ok(Ok(a)) => a,
            Ok(Err(e)) => return Err(map_outbound(e)),
            Err(_) => {
                return Err(GcpError::Unavailable {
                    attempts: 1,
                    reason: format!("no answer within {:?}", self.access_deadline),
                });
            }
        };
        if answer.status() != 200 {
            return Err(GcpError::Transport(format!(
                "unexpected status {}",
                answer.status()
            )));
        }
        let body = answer.into_body();
        let parsed = parse_answer(name, &body);
        // The outbound buffer held the base64 payload: wipe it when it is ours alone.
        if let Ok(mut owned) = body.try_into_mut() {
            owned.as_mut().zeroize();
        }
        let (value, version) = parsed?;
        Ok(ResolvedSecret::new(
            value,
            SecretSpec::Gcp(name.clone()),
            Some(version),
        ))
    }

    /// Keeps `name` current in the background (see [`CachedSecret`]).
    pub async fn watch(
        self: &Arc<Self>,
        name: &GcpSecretName,
        policy: RefreshPolicy,
    ) -> Result<Arc<CachedSecret>, GcpError> {
        CachedSecret::start(Arc::clone(self), name.clone(), policy, None).await
    }

    /// An [`HmacKeyStore`] fed from `name`: the first value must be a strong HMAC key
    /// (every [`StrongHmacKey`](crate::StrongHmacKey) check); each new version found by
    /// the background refresh is checked the same way and rotated in (the previous
    /// secret verifies for [`RefreshPolicy::grace`]); a weak new version is refused and
    /// logged, and the store keeps its secrets. Past the staleness bound the store is
    /// marked unavailable (`keys_unavailable`) until a fetch succeeds. Dropping the
    /// returned [`CachedSecret`] stops the refresh.
    pub async fn hmac_key_store(
        self: &Arc<Self>,
        name: &GcpSecretName,
        policy: RefreshPolicy,
    ) -> Result<(Arc<HmacKeyStore>, Arc<CachedSecret>), super::SecretError> {
        let spec = || SecretSpec::Gcp(name.clone()).to_string();
        let first = self
            .access(name)
            .await
            .map_err(|e| super::SecretError::Gcp {
                spec: spec(),
                reason: e.to_string(),
            })?;
        let key = first
            .value()
            .hmac_key()
            .map_err(|e| super::SecretError::Gcp {
                spec: spec(),
                reason: e.to_string(),
            })?;
        let store = Arc::new(HmacKeyStore::new(key));
        let cache = CachedSecret::start_with(
            Arc::clone(self),
            name.clone(),
            policy,
            first,
            Some(cache::hmac_sink(&store, policy.grace)),
        );
        Ok((store, cache))
    }
}

/// Parses and checks an `:access` answer: the name is the asked secret (at the asked
/// version, when a number was asked), the payload decodes, matches its CRC32C and fits.
fn parse_answer(asked: &GcpSecretName, body: &[u8]) -> Result<(SecretValue, u64), GcpError> {
    let mut copy = Zeroizing::new(body.to_vec());
    let answer: AccessResponse<'_> = simd_json::serde::from_slice(&mut copy)
        .map_err(|_| GcpError::Malformed("not an AccessSecretVersionResponse"))?;
    let version = answered_version(asked, &answer.name)?;
    let data = answer.payload.data.as_bytes();
    // Base64 of 64 KiB is 87 384 characters with padding: anything longer is too large.
    if data.len() > MAX_SECRET_BYTES.div_ceil(3) * 4 {
        return Err(GcpError::TooLarge {
            max: MAX_SECRET_BYTES,
        });
    }
    let mut buf = Zeroizing::new(vec![0u8; data.len() / 4 * 3 + 3]);
    let decoded = base64ct::Base64::decode(data, &mut buf)
        .map_err(|_| GcpError::Malformed("payload.data is not base64"))?;
    if decoded.len() > MAX_SECRET_BYTES {
        return Err(GcpError::TooLarge {
            max: MAX_SECRET_BYTES,
        });
    }
    if let Some(sum) = &answer.payload.data_crc32c {
        let expected: u32 = parse_int64_string(sum)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or(GcpError::Malformed("payload.dataCrc32c is not a CRC32C"))?;
        if crc32c(decoded) != expected {
            return Err(GcpError::ChecksumMismatch);
        }
    }
    if decoded.is_empty() {
        return Err(GcpError::Malformed("the payload is empty"));
    }
    Ok((SecretValue::from_slice(decoded), version))
}

/// A proto3 JSON int64: a decimal string, optionally negative, no leading `+`.
fn parse_int64_string(s: &str) -> Option<i64> {
    if s.is_empty() || s.starts_with('+') {
        return None;
    }
    s.parse().ok()
}

/// The version number of the answer's `name`: `projects/*/secrets/S/versions/N` where
/// `S` is the asked secret id (the project comes back as a number even when asked by
/// id) and `N` is the asked number when one was asked.
fn answered_version(asked: &GcpSecretName, name: &str) -> Result<u64, GcpError> {
    let answered = GcpSecretName::parse(name)
        .map_err(|_| GcpError::Malformed("name is not a secret version name"))?;
    if answered.secret() != asked.secret() {
        return Err(GcpError::Malformed("the answer names another secret"));
    }
    let GcpVersion::Number(n) = answered.version() else {
        return Err(GcpError::Malformed("the answer's version is not a number"));
    };
    match asked.version() {
        GcpVersion::Number(asked) if asked != n => {
            Err(GcpError::Malformed("the answer names another version"))
        }
        _ => Ok(n),
    }
}

fn map_outbound(e: OutboundError) -> GcpError {
    match e {
        OutboundError::Status { status: 400 } => GcpError::FailedPrecondition,
        OutboundError::Status {
            status: status @ (401 | 403),
        } => GcpError::PermissionDenied { status },
        OutboundError::Status { status: 404 } => GcpError::NotFound,
        OutboundError::Status { status } if status == 429 || status >= 500 => {
            GcpError::Unavailable {
                attempts: 1,
                reason: format!("status {status}"),
            }
        }
        e @ (OutboundError::Timeout { .. }
        | OutboundError::Connect(_)
        | OutboundError::Protocol(_)) => GcpError::Unavailable {
            attempts: 1,
            reason: e.to_string(),
        },
        e if e.is_config() => GcpError::Config(e.to_string()),
        e => GcpError::Transport(e.to_string()),
    }
}

/// The pause before retry `attempt` (1-based): full jitter over
/// `initial * 2^(attempt-1)`, capped at [`limits::BACKOFF_MAX`].
fn backoff(initial: Duration, attempt: u32) -> Duration {
    let ceiling = initial
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
        .min(limits::BACKOFF_MAX);
    let mut r = [0u8; 4];
    // A failed random read leaves the full pause: still bounded.
    let fraction = match ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut r) {
        Ok(()) => f64::from(u32::from_le_bytes(r)) / f64::from(u32::MAX),
        Err(_) => 1.0,
    };
    ceiling.mul_f64(fraction.clamp(0.0, 1.0))
}

impl fmt::Debug for SecretManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretManager")
            .field("base_url", &self.base_url)
            .field("allow_insecure_loopback", &self.allow_insecure_loopback)
            .field("provider_ready", &self.provider.initialized())
            .field("access_deadline", &self.access_deadline)
            .field("max_attempts", &self.max_attempts)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for SecretManagerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretManagerBuilder")
            .field("base_url", &self.base_url)
            .field("allow_insecure_loopback", &self.allow_insecure_loopback)
            .field("provider_injected", &self.provider.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> GcpSecretName {
        s.parse().unwrap()
    }

    fn body(name: &str, data: &[u8], crc: Option<String>) -> Vec<u8> {
        let data = base64ct::Base64::encode_string(data);
        match crc {
            Some(c) => {
                format!(r#"{{"name":"{name}","payload":{{"data":"{data}","dataCrc32c":"{c}"}}}}"#)
            }
            None => format!(r#"{{"name":"{name}","payload":{{"data":"{data}"}}}}"#),
        }
        .into_bytes()
    }

    #[test]
    fn answers_are_checked_before_they_are_served() {
        let latest = name("projects/acme-prod/secrets/k/versions/latest");
        let n = "projects/123/secrets/k/versions/7";
        let secret = b"k7#Qv9!pL2@xR5$wZ8^mN1&bT4*cY6(e";
        let crc = crc32c(secret).to_string();
        let (v, version) = parse_answer(&latest, &body(n, secret, Some(crc.clone()))).unwrap();
        assert_eq!((v.expose_secret(), version), (&secret[..], 7));
        assert!(parse_answer(&latest, &body(n, secret, None)).is_ok());
        let wrong = (crc32c(secret) ^ 1).to_string();
        assert_eq!(
            parse_answer(&latest, &body(n, secret, Some(wrong))).unwrap_err(),
            GcpError::ChecksumMismatch
        );
        for bad in ["", "+1", "abc", "4294967296", "-1"] {
            assert!(matches!(
                parse_answer(&latest, &body(n, secret, Some(bad.into()))),
                Err(GcpError::Malformed(_))
            ));
        }
        let other = "projects/123/secrets/other/versions/7";
        assert!(parse_answer(&latest, &body(other, secret, None)).is_err());
        let fixed = name("projects/acme-prod/secrets/k/versions/6");
        assert!(parse_answer(&fixed, &body(n, secret, None)).is_err());
        for bad_name in [
            "projects/123/secrets/k/versions/latest",
            "projects/123/secrets/k/versions/07",
            "projects/123/secrets/k",
        ] {
            assert!(parse_answer(&latest, &body(bad_name, secret, None)).is_err());
        }
        let too_big = vec![7u8; MAX_SECRET_BYTES + 1];
        assert_eq!(
            parse_answer(&latest, &body(n, &too_big, None)).unwrap_err(),
            GcpError::TooLarge {
                max: MAX_SECRET_BYTES
            }
        );
        let max = vec![7u8; MAX_SECRET_BYTES];
        assert!(parse_answer(&latest, &body(n, &max, None)).is_ok());
        assert!(parse_answer(&latest, b"{}").is_err());
        assert!(parse_answer(&latest, br#"{"name":"x","payload":{"data":"!!"}}"#).is_err());
    }

    #[test]
    fn statuses_map_to_the_documented_classes() {
        let s = |status| map_outbound(OutboundError::Status { status });
        assert_eq!(s(400), GcpError::FailedPrecondition);
        assert_eq!(s(401), GcpError::PermissionDenied { status: 401 });
        assert_eq!(s(403), GcpError::PermissionDenied { status: 403 });
        assert_eq!(s(404), GcpError::NotFound);
        assert!(s(429).is_retryable() && s(500).is_retryable() && s(503).is_retryable());
        assert!(!s(409).is_retryable());
        assert!(s(403).is_config() && s(404).is_config() && !s(400).is_config());
    }

    #[test]
    fn backoff_is_jittered_below_a_doubling_ceiling() {
        let initial = Duration::from_millis(100);
        for attempt in 1..=8 {
            let ceiling = (initial * (1 << (attempt - 1))).min(limits::BACKOFF_MAX);
            for _ in 0..20 {
                assert!(backoff(initial, attempt) <= ceiling);
            }
        }
        let samples: Vec<Duration> = (0..20).map(|_| backoff(initial, 3)).collect();
        assert!(samples.iter().any(|d| *d != samples[0]), "no jitter");
    }
}
