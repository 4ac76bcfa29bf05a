//! Remote JWK Sets (feature `remote`): [`RemoteJwks`] fetches a provider's JWK Set
//! through the one outbound client ([`crate::outbound`]), keeps it current with a tokio
//! task, and feeds the verifier through a [`KeyStore`] — so no verify waits on the
//! network and a rotation never fails a valid token.
//!
//! * **First load** is awaited by [`RemoteJwksBuilder::build`] (bounded by the deadline);
//!   its failure is an error.
//! * **Refresh ahead**: a background task refetches
//!   [`limits::DEFAULT_JWKS_REFRESH_AHEAD`] before expiry. The TTL is
//!   `Cache-Control: max-age` clamped to [[`limits::MIN_JWKS_TTL`],
//!   [`limits::MAX_JWKS_TTL`]], else [`limits::DEFAULT_JWKS_TTL`]. `ETag` /
//!   `If-None-Match` are used; a `304` keeps the set and renews its age.
//! * **Unknown `kid`**: `verify` answers `unknown_key` at once and raises one flag (an
//!   atomic and a `tokio::sync::Notify`: no allocation, no wait); the task refetches at
//!   most once per [`limits::DEFAULT_JWKS_MISS_COOLDOWN`], however many tokens miss.
//!   [`RemoteJwks::verify_refreshing`] awaits that one coalesced refetch and verifies
//!   once more.
//! * **Failures** (timeout, status, redirect, oversized or unparsable body, an `oct` key,
//!   no usable key) keep the last good set; retries back off with jitter
//!   ([`limits::JWKS_RETRY_INITIAL`] doubling to [`limits::JWKS_RETRY_MAX`]). Past
//!   expiry plus [`limits::DEFAULT_JWKS_MAX_STALENESS`], `verify` fails closed with
//!   [`Error::KeysUnavailable`] (503).
//! * Every new set is swapped in whole; a verify in flight keeps the set it loaded; a
//!   fetch that started earlier never replaces a set installed by a later one.
//! * Nothing derived from a token is sent: the request is the configured URL with fixed
//!   headers (`Accept`, `User-Agent`, `If-None-Match` with the provider's own ETag).
//! * `tracing` events (target `jwsgate::remote`) for each fetch: URL, status, duration,
//!   key count, kids added / removed, the reason of a failure; never key material.
//!
//! ```no_run
//! use std::sync::Arc;
//! use jwsgate::{remote::RemoteJwks, Scratch, UnixTime, Verifier};
//! # async fn demo(token: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let jwks = RemoteJwks::builder("https://issuer.example/.well-known/jwks.json")
//!     .build()
//!     .await?;
//! let verifier = Verifier::builder()
//!     .remote_jwks(Arc::clone(&jwks))
//!     .issuer("https://issuer.example")
//!     .audience("api://orders")
//!     .build()?;
//! let mut scratch = verifier.new_scratch();
//! let sub = verifier
//!     .verify(&mut scratch, token.as_bytes(), UnixTime::now())?
//!     .claims()
//!     .sub()
//!     .map(str::to_owned);
//! # Ok(()) }
//! ```

mod policy;

use core::fmt;
use core::time::Duration;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use rustls::pki_types::CertificateDer;
use tokio::sync::Notify;

use crate::error::{ConfigError, Error};
use crate::keys::{KeySet, KeyStore, LiveKeys};
use crate::limits;
use crate::outbound::{Endpoint, HttpClient, HttpClientBuilder, OutboundError};
use crate::time::UnixTime;
use crate::verifier::{AsymmetricKeys, NoKeys, Scratch, VerifiedToken, Verifier, VerifierBuilder};

/// The `Accept` header of every JWK Set request (RFC 7517 §8.5.1, then plain JSON).
pub const ACCEPT: &str = "application/jwk-set+json, application/json";

/// Why a remote JWK Set could not be configured, loaded or refreshed. `Display` carries
/// no key material and nothing from a token.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RemoteError {
    /// A setting that cannot work (zero duration, bounds inverted, no tokio runtime).
    #[error("invalid remote JWK Set configuration: {0}")]
    InvalidConfig(&'static str),
    /// The URL or the client settings were refused (e.g. `http://` off loopback).
    #[error("JWK Set URL or client refused: {0}")]
    Endpoint(OutboundError),
    /// The fetch failed: timeout, connection, TLS, a redirect, a status other than 200
    /// (or 304), a body over the cap.
    #[error("JWK Set fetch failed: {0}")]
    Fetch(OutboundError),
    /// The document is not a usable JWK Set (not JSON, an `oct` key, no usable key...).
    #[error("fetched JWK Set refused: {0}")]
    KeySet(ConfigError),
}

/// Timing and size settings, each defaulting to its constant in [`limits`].
#[derive(Debug, Clone, Copy)]
struct Settings {
    ttl: Duration,
    min_ttl: Duration,
    max_ttl: Duration,
    refresh_ahead: Duration,
    miss_cooldown: Duration,
    max_staleness: Duration,
    max_body_bytes: usize,
    retry_initial: Duration,
    retry_max: Duration,
}

/// Configures a [`RemoteJwks`]; see the module documentation.
#[must_use]
pub struct RemoteJwksBuilder {
    url: String,
    allow_insecure_loopback: bool,
    client: Option<HttpClient>,
    client_builder: HttpClientBuilder,
    s: Settings,
}

impl fmt::Debug for RemoteJwksBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteJwksBuilder")
            .field("allow_insecure_loopback", &self.allow_insecure_loopback)
            .field("settings", &self.s)
            .finish_non_exhaustive()
    }
}

impl RemoteJwksBuilder {
    /// Allows an `http://` URL on a loopback address (tests, local development). Nothing
    /// protects such a connection; `http://` to any other host stays refused.
    pub fn allow_insecure_loopback(mut self) -> Self {
        self.allow_insecure_loopback = true;
        self
    }

    /// Uses this client (its deadline and trust roots) instead of one made here;
    /// [`RemoteJwksBuilder::timeout`] and [`RemoteJwksBuilder::add_root_certificate`]
    /// are then ignored.
    pub fn client(mut self, client: HttpClient) -> Self {
        self.client = Some(client);
        self
    }

    /// The deadline around each fetch (default [`limits::DEFAULT_OUTBOUND_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.client_builder = self.client_builder.timeout(timeout);
        self
    }

    /// Trusts `cert` as a root besides the compiled-in `webpki-roots`.
    pub fn add_root_certificate(mut self, cert: CertificateDer<'static>) -> Self {
        self.client_builder = self.client_builder.add_root_certificate(cert);
        self
    }

    /// The TTL when the answer has no `Cache-Control: max-age` (default
    /// [`limits::DEFAULT_JWKS_TTL`]); clamped into the TTL bounds.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.s.ttl = ttl;
        self
    }

    /// The bounds `max-age` is clamped into (default [`limits::MIN_JWKS_TTL`],
    /// [`limits::MAX_JWKS_TTL`]).
    pub fn ttl_bounds(mut self, min: Duration, max: Duration) -> Self {
        self.s.min_ttl = min;
        self.s.max_ttl = max;
        self
    }

    /// How long before expiry the refresh runs (default
    /// [`limits::DEFAULT_JWKS_REFRESH_AHEAD`]; never earlier than half the TTL).
    pub fn refresh_ahead(mut self, ahead: Duration) -> Self {
        self.s.refresh_ahead = ahead;
        self
    }

    /// The smallest gap between refetches caused by unknown `kid`s (default
    /// [`limits::DEFAULT_JWKS_MISS_COOLDOWN`]).
    pub fn miss_cooldown(mut self, cooldown: Duration) -> Self {
        self.s.miss_cooldown = cooldown;
        self
    }

    /// How long past expiry the last good set is still used while refreshing fails
    /// (default [`limits::DEFAULT_JWKS_MAX_STALENESS`]); then `keys_unavailable`.
    pub fn max_staleness(mut self, staleness: Duration) -> Self {
        self.s.max_staleness = staleness;
        self
    }

    /// The first and the largest retry delay after failed refreshes (default
    /// [`limits::JWKS_RETRY_INITIAL`], [`limits::JWKS_RETRY_MAX`]); jittered.
    pub fn retry_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.s.retry_initial = initial;
        self.s.retry_max = max;
        self
    }

    /// The body cap (default and ceiling [`limits::MAX_JWKS_BYTES`]).
    pub fn max_body_bytes(mut self, max: usize) -> Self {
        self.s.max_body_bytes = max;
        self
    }

    fn fetcher(self) -> Result<Fetcher, RemoteError> {
        let s = self.s;
        let positive = [
            s.ttl,
            s.min_ttl,
            s.max_ttl,
            s.miss_cooldown,
            s.retry_initial,
            s.retry_max,
        ];
        if positive.iter().any(Duration::is_zero) {
            return Err(RemoteError::InvalidConfig("a duration is zero"));
        }
        if s.min_ttl > s.max_ttl || s.retry_initial > s.retry_max {
            return Err(RemoteError::InvalidConfig(
                "a lower bound is above its upper bound",
            ));
        }
        if s.max_body_bytes == 0 || s.max_body_bytes > limits::MAX_JWKS_BYTES {
            return Err(RemoteError::InvalidConfig("max_body_bytes out of range"));
        }
        let endpoint = Endpoint::new(&self.url, self.allow_insecure_loopback)
            .map_err(RemoteError::Endpoint)?;
        let client = match self.client {
            Some(c) => c,
            None => self.client_builder.build().map_err(RemoteError::Endpoint)?,
        };
        Ok(Fetcher {
            endpoint,
            client,
            s,
        })
    }

    /// Fetches the set once and returns it: no task, no refresh (the command line's
    /// `--jwks https://...`). Must run inside a tokio runtime.
    pub async fn fetch_once(self) -> Result<KeySet, RemoteError> {
        let fetcher = self.fetcher()?;
        match fetcher.fetch(None, "once").await? {
            Fetched::Set { set, .. } => Ok(set),
            Fetched::NotModified { .. } => {
                Err(RemoteError::Fetch(OutboundError::Status { status: 304 }))
            }
        }
    }

    /// Loads the set (awaited, bounded by the deadline; a failure is an error) and
    /// starts the background refresher on the current tokio runtime.
    pub async fn build(self) -> Result<Arc<RemoteJwks>, RemoteError> {
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| RemoteError::InvalidConfig("build() must run inside a tokio runtime"))?;
        let fetcher = self.fetcher()?;
        let epoch = Instant::now();
        let (set, etag, ttl) = match fetcher.fetch(None, "initial").await? {
            Fetched::Set { set, etag, ttl } => (set, etag, ttl),
            Fetched::NotModified { .. } => {
                return Err(RemoteError::Fetch(OutboundError::Status { status: 304 }));
            }
        };
        let s = fetcher.s;
        let shared = Arc::new(Shared {
            store: KeyStore::new(set),
            epoch,
            usable_until: AtomicU64::new(nanos(ttl.saturating_add(s.max_staleness))),
            next_refresh: AtomicU64::new(nanos(policy::refresh_after(ttl, s.refresh_ahead))),
            miss_pending: AtomicBool::new(false),
            last_miss_fetch: AtomicU64::new(0),
            miss_notify: Notify::new(),
            miss_gate: tokio::sync::Mutex::new(()),
            generation: AtomicU64::new(1),
            // The initial load is fetch 1; refreshes are numbered from 2.
            next_seq: AtomicU64::new(2),
            installed: Mutex::new(Installed { seq: 1, etag }),
            fetches: AtomicU64::new(1),
            fetcher,
        });
        let task = runtime.spawn(refresher(Arc::clone(&shared)));
        Ok(Arc::new(RemoteJwks {
            shared,
            refresher: task,
        }))
    }
}

/// A remote JWK Set kept current in the background; give it to the verifier with
/// [`VerifierBuilder::remote_jwks`]. Dropping the last `Arc` stops the refresher.
pub struct RemoteJwks {
    shared: Arc<Shared>,
    refresher: tokio::task::JoinHandle<()>,
}

impl Drop for RemoteJwks {
    fn drop(&mut self) {
        self.refresher.abort();
    }
}

impl fmt::Debug for RemoteJwks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteJwks")
            .field("endpoint", &self.shared.fetcher.endpoint)
            .field("keys", &*self.shared.store.load())
            .field("fetches", &self.fetch_count())
            .finish_non_exhaustive()
    }
}

struct Fetcher {
    endpoint: Endpoint,
    client: HttpClient,
    s: Settings,
}

enum Fetched {
    Set {
        set: KeySet,
        etag: Option<Box<str>>,
        ttl: Duration,
    },
    NotModified {
        ttl: Duration,
    },
}

/// The installed set's sequence number (fetches are numbered when they start) and ETag.
struct Installed {
    seq: u64,
    etag: Option<Box<str>>,
}

struct Shared {
    fetcher: Fetcher,
    store: KeyStore,
    /// Every instant below is nanoseconds since this one (monotonic).
    epoch: Instant,
    /// Past this, `verify` fails closed with `keys_unavailable`.
    usable_until: AtomicU64,
    /// When the background task fetches next.
    next_refresh: AtomicU64,
    /// A miss was signalled and its refetch has not run yet.
    miss_pending: AtomicBool,
    /// When the last miss-caused refetch started, plus one (0: never).
    last_miss_fetch: AtomicU64,
    miss_notify: Notify,
    /// Serialises miss-caused refetches so concurrent misses share one.
    miss_gate: tokio::sync::Mutex<()>,
    /// Bumped by every installed answer (200 or 304).
    generation: AtomicU64,
    next_seq: AtomicU64,
    installed: Mutex<Installed>,
    fetches: AtomicU64,
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

impl Fetcher {
    /// One GET of the JWK Set, with `If-None-Match` when there is an ETag.
    async fn fetch(
        &self,
        etag: Option<&str>,
        reason: &'static str,
    ) -> Result<Fetched, RemoteError> {
        let started = Instant::now();
        let mut headers = vec![("accept", ACCEPT)];
        if let Some(tag) = etag {
            headers.push(("if-none-match", tag));
        }
        let outcome = self.fetch_inner(etag.is_some(), &headers).await;
        let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match &outcome {
            Ok(Fetched::Set { set, ttl, .. }) => tracing::debug!(
                target: "jwsgate::remote",
                url = %self.endpoint, reason, status = 200, duration_ms = ms,
                keys = set.len(), ttl_s = ttl.as_secs(), "JWK Set fetched"
            ),
            Ok(Fetched::NotModified { ttl }) => tracing::debug!(
                target: "jwsgate::remote",
                url = %self.endpoint, reason, status = 304, duration_ms = ms,
                ttl_s = ttl.as_secs(), "JWK Set not modified"
            ),
            Err(e) => tracing::warn!(
                target: "jwsgate::remote",
                url = %self.endpoint, reason, duration_ms = ms, error = %e,
                "JWK Set fetch failed; the last good set stays"
            ),
        }
        outcome
    }

    async fn fetch_inner(
        &self,
        conditional: bool,
        headers: &[(&str, &str)],
    ) -> Result<Fetched, RemoteError> {
        let s = &self.s;
        let answer = self
            .client
            .get(&self.endpoint, headers, s.max_body_bytes)
            .await
            .map_err(RemoteError::Fetch)?;
        let ttl = policy::ttl(answer.header("cache-control"), s.ttl, s.min_ttl, s.max_ttl);
        match answer.status() {
            304 if conditional => Ok(Fetched::NotModified { ttl }),
            200 => {
                let set = KeySet::from_jwks(answer.body()).map_err(RemoteError::KeySet)?;
                let etag = answer.header("etag").map(Box::from);
                Ok(Fetched::Set { set, etag, ttl })
            }
            status => Err(RemoteError::Fetch(OutboundError::Status { status })),
        }
    }
}

impl Shared {
    fn now(&self) -> u64 {
        nanos(self.epoch.elapsed())
    }

    /// Fetches and installs, unless a fetch that started later installed first.
    async fn refresh(&self, reason: &'static str) -> Result<(), RemoteError> {
        let seq = self.next_seq.fetch_add(1, Ordering::AcqRel);
        let started = self.now();
        let etag = self
            .installed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .etag
            .clone();
        self.fetches.fetch_add(1, Ordering::Relaxed);
        let fetched = self.fetcher.fetch(etag.as_deref(), reason).await?;
        self.install(seq, started, fetched);
        Ok(())
    }

    /// Installs a fetch's answer, numbered `seq`, that started at `started`.
    fn install(&self, seq: u64, started: u64, fetched: Fetched) {
        let mut installed = self
            .installed
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if seq < installed.seq {
            tracing::debug!(
                target: "jwsgate::remote",
                url = %self.fetcher.endpoint, "a fetch finished after a later one; its answer is dropped"
            );
            return;
        }
        installed.seq = seq;
        let ttl = match fetched {
            Fetched::NotModified { ttl } => ttl,
            Fetched::Set { set, etag, ttl } => {
                let old = self.store.load();
                let kids = |s: &KeySet| -> Vec<String> {
                    s.iter()
                        .filter_map(|k| k.kid())
                        .map(str::to_owned)
                        .collect()
                };
                let (before, after) = (kids(&old), kids(&set));
                let added: Vec<&String> = after.iter().filter(|k| !before.contains(k)).collect();
                let removed: Vec<&String> = before.iter().filter(|k| !after.contains(k)).collect();
                tracing::info!(
                    target: "jwsgate::remote",
                    url = %self.fetcher.endpoint, keys = set.len(),
                    added = ?added, removed = ?removed, "JWK Set installed"
                );
                self.store.store(set);
                installed.etag = etag;
                ttl
            }
        };
        let s = &self.fetcher.s;
        let expires = started.saturating_add(nanos(ttl));
        self.usable_until.store(
            expires.saturating_add(nanos(s.max_staleness)),
            Ordering::Release,
        );
        self.next_refresh.store(
            started.saturating_add(nanos(policy::refresh_after(ttl, s.refresh_ahead))),
            Ordering::Release,
        );
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    fn cooldown_passed(&self, now: u64, last: u64) -> bool {
        last == 0 || now.saturating_sub(last - 1) >= nanos(self.fetcher.s.miss_cooldown)
    }

    /// Takes the miss cooldown: true for the one caller that may refetch now.
    fn claim_cooldown(&self) -> bool {
        let now = self.now();
        let last = self.last_miss_fetch.load(Ordering::Acquire);
        self.cooldown_passed(now, last)
            && self
                .last_miss_fetch
                .compare_exchange(
                    last,
                    now.saturating_add(1),
                    Ordering::AcqRel,
                    Ordering::Acquire,
                )
                .is_ok()
    }

    /// The one refetch for unknown `kid`s: concurrent callers share it; outside the
    /// cooldown nothing is fetched. True when a new answer was installed meanwhile.
    async fn refetch_for_miss(&self) -> bool {
        let seen = self.generation.load(Ordering::Acquire);
        let _gate = self.miss_gate.lock().await;
        if self.generation.load(Ordering::Acquire) != seen {
            return true;
        }
        if !self.claim_cooldown() {
            return false;
        }
        self.refresh("unknown kid").await.is_ok()
    }
}

/// The background task: refresh ahead of expiry, back off after failures, serve miss
/// signals.
async fn refresher(shared: Arc<Shared>) {
    let s = shared.fetcher.s;
    let mut failures: u32 = 0;
    loop {
        let wait = shared
            .next_refresh
            .load(Ordering::Acquire)
            .saturating_sub(shared.now());
        tokio::select! {
            () = tokio::time::sleep(Duration::from_nanos(wait)) => {
                if shared.refresh("scheduled").await.is_ok() {
                    failures = 0;
                } else {
                    failures = failures.saturating_add(1);
                    let delay = policy::backoff(failures, s.retry_initial, s.retry_max, random_u32());
                    shared
                        .next_refresh
                        .store(shared.now().saturating_add(nanos(delay)), Ordering::Release);
                }
            }
            () = shared.miss_notify.notified() => {
                shared.refetch_for_miss().await;
                shared.miss_pending.store(false, Ordering::Release);
            }
        }
    }
}

/// A random `u32` for the backoff jitter (ring's system RNG; 0 if it fails, which only
/// removes the jitter).
fn random_u32() -> u32 {
    use ring::rand::SecureRandom;
    let mut b = [0u8; 4];
    match ring::rand::SystemRandom::new().fill(&mut b) {
        Ok(()) => u32::from_le_bytes(b),
        Err(_) => 0,
    }
}

impl LiveKeys for RemoteJwks {
    fn store(&self) -> &KeyStore {
        &self.shared.store
    }

    fn check_usable(&self) -> Result<(), Error> {
        if self.shared.now() > self.shared.usable_until.load(Ordering::Acquire) {
            Err(Error::KeysUnavailable)
        } else {
            Ok(())
        }
    }

    fn key_missing(&self) {
        let sh = &*self.shared;
        if sh.miss_pending.load(Ordering::Acquire) {
            return;
        }
        if !sh.cooldown_passed(sh.now(), sh.last_miss_fetch.load(Ordering::Acquire)) {
            return;
        }
        if !sh.miss_pending.swap(true, Ordering::AcqRel) {
            sh.miss_notify.notify_one();
        }
    }
}

impl RemoteJwks {
    /// Starts configuring the source of `url`: `https://`, or `http://` on loopback
    /// with [`RemoteJwksBuilder::allow_insecure_loopback`] (checked at `build()`).
    pub fn builder(url: &str) -> RemoteJwksBuilder {
        RemoteJwksBuilder {
            url: url.to_owned(),
            allow_insecure_loopback: false,
            client: None,
            client_builder: HttpClient::builder(),
            s: Settings {
                ttl: limits::DEFAULT_JWKS_TTL,
                min_ttl: limits::MIN_JWKS_TTL,
                max_ttl: limits::MAX_JWKS_TTL,
                refresh_ahead: limits::DEFAULT_JWKS_REFRESH_AHEAD,
                miss_cooldown: limits::DEFAULT_JWKS_MISS_COOLDOWN,
                max_staleness: limits::DEFAULT_JWKS_MAX_STALENESS,
                max_body_bytes: limits::MAX_JWKS_BYTES,
                retry_initial: limits::JWKS_RETRY_INITIAL,
                retry_max: limits::JWKS_RETRY_MAX,
            },
        }
    }

    /// The set in use now.
    pub fn current_keys(&self) -> Arc<KeySet> {
        Arc::clone(&self.shared.store.load())
    }

    /// Fetches now (outside the schedule and the miss cooldown) and installs the answer
    /// unless a later fetch installed first. A failure keeps the current set.
    pub async fn refresh_now(&self) -> Result<(), RemoteError> {
        self.shared.refresh("on demand").await
    }

    /// Whether the set may be used now (false past the staleness bound: `verify` then
    /// answers `keys_unavailable`).
    pub fn is_usable(&self) -> bool {
        self.check_usable().is_ok()
    }

    /// Fetches attempted so far (the first load included).
    pub fn fetch_count(&self) -> u64 {
        self.shared.fetches.load(Ordering::Relaxed)
    }

    /// The URL fetched.
    pub fn endpoint(&self) -> &Endpoint {
        &self.shared.fetcher.endpoint
    }

    /// Verifies like [`Verifier::verify`] and hands the outcome to `f`; on `unknown_key`
    /// (a rotation published after the last fetch) it first awaits the one coalesced
    /// refetch — at most once per miss cooldown, bounded by the fetch deadline — and
    /// verifies once more. `verifier` should be built with this source
    /// ([`VerifierBuilder::remote_jwks`]).
    pub async fn verify_refreshing<R>(
        &self,
        verifier: &Verifier,
        scratch: &mut Scratch,
        token: &[u8],
        now: UnixTime,
        f: impl FnOnce(Result<VerifiedToken<'_>, Error>) -> R,
    ) -> R {
        match verifier.verify(scratch, token, now) {
            Err(Error::UnknownKey) => {}
            other => return f(other),
        }
        let deadline = self.shared.fetcher.client.timeout();
        let _ = tokio::time::timeout(deadline, self.shared.refetch_for_miss()).await;
        f(verifier.verify(scratch, token, now))
    }
}

impl<I, A> VerifierBuilder<NoKeys, I, A> {
    /// Verifies with a remote JWK Set kept current in the background (feature
    /// `remote`): asymmetric algorithms only, as for every public-key source. Each
    /// verify loads the current set; past the staleness bound it answers
    /// `keys_unavailable`; an unknown `kid` signals one background refetch.
    pub fn remote_jwks(self, remote: Arc<RemoteJwks>) -> VerifierBuilder<AsymmetricKeys, I, A> {
        self.live_keys(remote)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_refuses_settings_that_cannot_work() {
        let b = || RemoteJwks::builder("https://issuer.example/jwks");
        let err = |b: RemoteJwksBuilder| b.fetcher().err();
        assert!(err(b()).is_none());
        assert!(matches!(
            err(b().ttl(Duration::ZERO)),
            Some(RemoteError::InvalidConfig(_))
        ));
        assert!(matches!(
            err(b().ttl_bounds(Duration::from_secs(10), Duration::from_secs(5))),
            Some(RemoteError::InvalidConfig(_))
        ));
        // A bound equal to its upper bound is fine; above it is not (TTLs and retries).
        let (five, ten) = (Duration::from_secs(5), Duration::from_secs(10));
        assert!(err(b().ttl_bounds(five, five)).is_none());
        assert!(err(b().retry_backoff(five, five)).is_none());
        assert!(matches!(
            err(b().retry_backoff(ten, five)),
            Some(RemoteError::InvalidConfig(
                "a lower bound is above its upper bound"
            ))
        ));
        assert!(matches!(
            err(b().max_body_bytes(limits::MAX_JWKS_BYTES + 1)),
            Some(RemoteError::InvalidConfig(_))
        ));
        let http = RemoteJwks::builder("http://issuer.example/jwks").allow_insecure_loopback();
        assert!(matches!(
            err(http),
            Some(RemoteError::Endpoint(OutboundError::InsecureUrl(_)))
        ));
        let loopback = RemoteJwks::builder("http://127.0.0.1:9/jwks");
        assert!(matches!(
            err(loopback),
            Some(RemoteError::Endpoint(OutboundError::InsecureUrl(_)))
        ));
    }

    /// The backoff jitter is random: eight draws are not all one value (a constant
    /// would make every client of a failing server retry in step). The chance that a
    /// working RNG gives eight equal draws is 2^-224.
    #[test]
    fn the_jitter_source_is_random() {
        let draws: Vec<u32> = (0..8).map(|_| random_u32()).collect();
        assert!(draws.iter().any(|d| *d != draws[0]), "{draws:?}");
    }

    #[test]
    fn build_outside_a_runtime_is_an_error_not_a_panic() {
        let fut = RemoteJwks::builder("https://issuer.example/jwks").build();
        // Polled by hand, outside any runtime.
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let mut fut = std::pin::pin!(fut);
        match fut.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(Err(RemoteError::InvalidConfig(_))) => {}
            other => panic!(
                "expected a configuration error, got {:?}",
                other.map(|r| r.err())
            ),
        }
    }
}
