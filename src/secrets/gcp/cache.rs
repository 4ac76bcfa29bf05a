//! [`CachedSecret`]: a Secret Manager value kept current by a tokio task. Readers take
//! the last accepted value with one `load()`; the task refetches every TTL, hands a new
//! version to its consumer, keeps the last value through failures for at most
//! `max_stale`, and then fails closed.

use core::fmt;
use core::time::Duration;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Instant;

use arc_swap::ArcSwap;

use super::{GcpError, SecretManager, limits};
use crate::keys::HmacKeyStore;
use crate::secrets::{GcpSecretName, ResolvedSecret};

/// How a [`CachedSecret`] refreshes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefreshPolicy {
    /// Time between two fetches (default [`limits::DEFAULT_TTL`]; at least
    /// [`limits::MIN_TTL`]).
    pub ttl: Duration,
    /// How long past the last successful fetch the last value is still served while
    /// refreshes fail (default [`limits::DEFAULT_MAX_STALE`]).
    pub max_stale: Duration,
    /// For an HMAC key store: how long the previous secret still verifies after a
    /// rotation (default [`limits::DEFAULT_HMAC_GRACE`]).
    pub grace: Duration,
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        RefreshPolicy {
            ttl: limits::DEFAULT_TTL,
            max_stale: limits::DEFAULT_MAX_STALE,
            grace: limits::DEFAULT_HMAC_GRACE,
        }
    }
}

/// What a [`CachedSecret`] tells its consumer.
pub(super) enum Event<'a> {
    /// A version other than the current one was fetched.
    NewVersion(&'a ResolvedSecret),
    /// The value went past (true) or came back within (false) its staleness bound.
    Stale(bool),
}

/// The consumer of a cached secret: it may refuse a new version (the reason is logged).
pub(super) type Sink = Box<dyn Fn(Event<'_>) -> Result<(), String> + Send + Sync>;

struct Snapshot {
    resolved: ResolvedSecret,
    fetched_at: Instant,
}

/// A Secret Manager value kept current in the background. Dropping the last `Arc`
/// stops the task. `Debug` shows the name and version, never the value.
pub struct CachedSecret {
    manager: Arc<SecretManager>,
    name: GcpSecretName,
    policy: RefreshPolicy,
    current: ArcSwap<Snapshot>,
    stale: AtomicBool,
    sink: Option<Sink>,
    refreshing: tokio::sync::Mutex<()>,
    task: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl CachedSecret {
    /// Fetches `name` (which must succeed) and starts refreshing it. Must run inside a
    /// tokio runtime.
    pub(super) async fn start(
        manager: Arc<SecretManager>,
        name: GcpSecretName,
        policy: RefreshPolicy,
        sink: Option<Sink>,
    ) -> Result<Arc<CachedSecret>, GcpError> {
        let first = manager.access(&name).await?;
        Ok(CachedSecret::start_with(manager, name, policy, first, sink))
    }

    /// Starts refreshing from an already fetched first value.
    pub(super) fn start_with(
        manager: Arc<SecretManager>,
        name: GcpSecretName,
        policy: RefreshPolicy,
        first: ResolvedSecret,
        sink: Option<Sink>,
    ) -> Arc<CachedSecret> {
        let policy = RefreshPolicy {
            ttl: policy.ttl.max(limits::MIN_TTL),
            ..policy
        };
        let cache = Arc::new(CachedSecret {
            manager,
            name,
            policy,
            current: ArcSwap::from_pointee(Snapshot {
                resolved: first,
                fetched_at: Instant::now(),
            }),
            stale: AtomicBool::new(false),
            sink,
            refreshing: tokio::sync::Mutex::new(()),
            task: Mutex::new(None),
        });
        let handle = tokio::spawn(run(Arc::downgrade(&cache), policy.ttl));
        if let Ok(mut slot) = cache.task.lock() {
            *slot = Some(handle);
        }
        cache
    }

    /// The last accepted value and its version; [`GcpError::Stale`] past the staleness
    /// bound.
    pub fn get(&self) -> Result<ResolvedSecret, GcpError> {
        if self.stale.load(Ordering::Acquire) {
            return Err(GcpError::Stale);
        }
        Ok(self.current.load().resolved.clone())
    }

    /// The version number of the last accepted value.
    pub fn version(&self) -> Option<u64> {
        self.current.load().resolved.version()
    }

    /// The secret this cache follows.
    pub fn name(&self) -> &GcpSecretName {
        &self.name
    }

    /// Fetches now (as the background task does every TTL) and applies the answer: a new
    /// version is handed to the consumer and becomes current; a failure keeps the last
    /// value within the staleness bound. Returns the current version afterwards.
    pub async fn refresh_now(&self) -> Result<Option<u64>, GcpError> {
        let _one_at_a_time = self.refreshing.lock().await;
        let fetched = self.manager.access(&self.name).await;
        self.apply(fetched)
    }

    fn apply(&self, fetched: Result<ResolvedSecret, GcpError>) -> Result<Option<u64>, GcpError> {
        let last = self.current.load_full();
        let last_version = last.resolved.version();
        match fetched {
            Ok(resolved) => {
                let version = resolved.version();
                if version != last_version {
                    if let Some(sink) = &self.sink {
                        if let Err(reason) = sink(Event::NewVersion(&resolved)) {
                            tracing::error!(
                                target: "jwsgate::secrets",
                                secret = %self.name,
                                version = ?version,
                                kept = ?last_version,
                                reason = %reason,
                                "new secret version refused; keeping the current one"
                            );
                            self.check_staleness(&last);
                            return Err(GcpError::Refused(reason));
                        }
                    }
                    tracing::info!(
                        target: "jwsgate::secrets",
                        secret = %self.name,
                        version = ?version,
                        previous = ?last_version,
                        "secret rotated"
                    );
                }
                self.current.store(Arc::new(Snapshot {
                    resolved,
                    fetched_at: Instant::now(),
                }));
                if self.stale.swap(false, Ordering::AcqRel) {
                    self.tell(Event::Stale(false));
                }
                Ok(version)
            }
            Err(e) => {
                match &e {
                    GcpError::FailedPrecondition => tracing::error!(
                        target: "jwsgate::secrets",
                        secret = %self.name,
                        kept = ?last_version,
                        "Secret Manager answered 400 FAILED_PRECONDITION: the version is \
                         disabled or destroyed; keeping the last value"
                    ),
                    e if e.is_config() => tracing::error!(
                        target: "jwsgate::secrets",
                        secret = %self.name,
                        kept = ?last_version,
                        error = %e,
                        "Secret Manager configuration error (not retried before the next \
                         refresh); keeping the last value"
                    ),
                    e => tracing::warn!(
                        target: "jwsgate::secrets",
                        secret = %self.name,
                        kept = ?last_version,
                        error = %e,
                        "secret refresh failed; keeping the last value"
                    ),
                }
                self.check_staleness(&last);
                Err(e)
            }
        }
    }

    /// Fails closed once the last successful fetch is older than `max_stale`.
    fn check_staleness(&self, last: &Snapshot) {
        if last.fetched_at.elapsed() > self.policy.max_stale
            && !self.stale.swap(true, Ordering::AcqRel)
        {
            tracing::error!(
                target: "jwsgate::secrets",
                secret = %self.name,
                max_stale = ?self.policy.max_stale,
                "secret past its staleness bound: no longer served"
            );
            self.tell(Event::Stale(true));
        }
    }

    fn tell(&self, event: Event<'_>) {
        if let Some(sink) = &self.sink {
            let _ = sink(event);
        }
    }
}

/// The background task: one refresh per TTL while the cache lives.
async fn run(cache: Weak<CachedSecret>, ttl: Duration) {
    loop {
        tokio::time::sleep(ttl).await;
        let Some(cache) = cache.upgrade() else {
            return;
        };
        // Failures are logged and judged against the staleness bound in `apply`.
        let _ = cache.refresh_now().await;
    }
}

impl Drop for CachedSecret {
    fn drop(&mut self) {
        if let Ok(mut slot) = self.task.lock() {
            if let Some(handle) = slot.take() {
                handle.abort();
            }
        }
    }
}

impl fmt::Debug for CachedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedSecret")
            .field("name", &self.name)
            .field("version", &self.version())
            .field("stale", &self.stale.load(Ordering::Relaxed))
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

/// The consumer that rotates each new version into `store` (through every
/// `StrongHmacKey` check), retires the previous secret `grace` after its rotation
/// (unless another rotation came first), and marks the store unavailable while the
/// cache is stale.
pub(super) fn hmac_sink(store: &Arc<HmacKeyStore>, grace: Duration) -> Sink {
    let weak = Arc::downgrade(store);
    let rotations = Arc::new(AtomicU64::new(0));
    Box::new(move |event: Event<'_>| {
        let Some(store) = weak.upgrade() else {
            return Ok(());
        };
        match event {
            Event::NewVersion(resolved) => {
                let key = resolved.value().hmac_key().map_err(|e| e.to_string())?;
                store.rotate(key).map_err(|e| e.to_string())?;
                let id = rotations.fetch_add(1, Ordering::AcqRel).wrapping_add(1);
                let (weak, rotations) = (Arc::downgrade(&store), Arc::clone(&rotations));
                tokio::spawn(async move {
                    tokio::time::sleep(grace).await;
                    if rotations.load(Ordering::Acquire) == id {
                        if let Some(store) = weak.upgrade() {
                            store.retire_previous();
                            tracing::info!(
                                target: "jwsgate::secrets",
                                "HMAC grace period over: the previous secret no longer verifies"
                            );
                        }
                    }
                });
            }
            Event::Stale(true) => store.mark_unavailable(),
            Event::Stale(false) => store.mark_available(),
        }
        Ok(())
    })
}
