//! The two-tier limiter: the local lock-free table first, then one `EVALSHA` to Redis.

use core::fmt;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use core::time::Duration;
use std::sync::Arc;
use std::time::Instant;

use arc_swap::ArcSwapOption;
use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, ErrorKind, RedisError, ServerErrorKind};
use secrecy::{ExposeSecret, SecretString};

use crate::limits::MAX_FLEET_BATCH;
use crate::ratelimit::{Allowed, Clock, InstantClock, Limited, RateLimiter};

use super::config::{FailurePolicy, FleetConfig};
use super::outcome::{FleetRefusal, FleetStats, Unavailable};
use super::script::{GCRA_LUA, Reply, key_name, script_sha1};

/// Why a fleet limiter could not be made.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum FleetError {
    /// The URL is not a Redis URL the client understands (`redis://`, `rediss://`, with
    /// an optional `user:password@` and `/db`). The URL itself is never shown: it may
    /// hold a password.
    #[error("invalid Redis URL: {0}")]
    InvalidUrl(&'static str),
    /// Redis did not answer the first connection and `SCRIPT LOAD` within the connect
    /// and call deadlines (only from [`FleetLimiter::connect`]).
    #[error("Redis unreachable: {0}")]
    Unreachable(&'static str),
    /// Anything else the limiter needs could not be set up (a clock thread, a
    /// configuration the caller combined wrongly).
    #[error("fleet rate limiter setup: {0}")]
    Setup(&'static str),
}

/// A rate limiter whose budget is shared by every instance that uses the same Redis and
/// key prefix, with an optional local [`RateLimiter`] in front.
///
/// * **Two tiers.** [`FleetLimiter::check`] asks the local limiter first: a refusal there
///   costs no network round trip (floods stop in memory). Only what it admits goes to
///   Redis, whose answer decides. Give the local tier a limit at least the fleet's
///   (per instance), so that it only ever refuses what the fleet would.
/// * **One round trip**: `EVALSHA` of the GCRA script, loaded once per limiter and again
///   whenever Redis answers `NOSCRIPT` (restarted or flushed).
/// * **Never a hung request.** Each call has a deadline (default 50 ms); a failure
///   (error, lost connection, deadline) makes the limiter leave Redis alone for the
///   retry cooldown (default 1 s) and answer by its [`FailurePolicy`] meanwhile, at
///   once. After the cooldown one check reconnects (bounded by the connect deadline)
///   while the others keep the policy's answer. A check therefore waits at most the
///   connect deadline plus the call deadline, and usually one round trip.
///
/// ```no_run
/// use jwsgate::fleet_limit::{FleetConfig, FleetLimiter};
/// use jwsgate::ratelimit::{RateLimitConfig, RateLimiter};
/// use secrecy::SecretString;
/// use std::time::Duration;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let minute = Duration::from_secs(60);
/// let local = RateLimiter::new(RateLimitConfig::new(10, minute, 65_536)?);
/// let url = SecretString::from("redis://127.0.0.1:6379/");
/// let limiter = FleetLimiter::connect(&url, FleetConfig::new(10, minute)?, Some(local)).await?;
/// match limiter.check(0x1234).await {
///     Ok(allowed) => println!("admitted, {} left", allowed.remaining()),
///     Err(refused) => println!("{}, Retry-After: {}", refused.status(), refused.retry_after_secs()),
/// }
/// # Ok(()) }
/// ```
pub struct FleetLimiter<C = InstantClock> {
    local: Option<RateLimiter<C>>,
    config: FleetConfig,
    client: redis::Client,
    /// The multiplexed connection, shared by every check; `None` until connected and
    /// after a failure that may have broken it.
    conn: ArcSwapOption<MultiplexedConnection>,
    /// The script's SHA-1: what `EVALSHA` names it by.
    sha: String,
    /// Whether `SCRIPT LOAD` has run once (at the first connection).
    loaded: AtomicBool,
    /// Set while one check reconnects, so that the others do not pile onto Redis.
    reconnecting: AtomicBool,
    /// Monotonic origin of `down_until`.
    origin: Instant,
    /// Nanoseconds after `origin` before which Redis is not asked (a failure's cooldown).
    down_until: AtomicU64,
    counters: Counters,
}

#[derive(Default)]
struct Counters {
    redis_answers: AtomicU64,
    redis_failures: AtomicU64,
    timeouts: AtomicU64,
    skipped: AtomicU64,
    failed_open: AtomicU64,
    failed_closed: AtomicU64,
    local_refusals: AtomicU64,
    script_loads: AtomicU64,
    connects: AtomicU64,
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// A failed call: what happened, and whether the connection must be replaced.
#[derive(Debug, Clone, Copy)]
enum Failure {
    Timeout,
    /// An error answered by the server (out of memory, a wrong type at our key): the
    /// connection itself is fine.
    Server(&'static str),
    /// Lost or unusable connection, or an answer the script cannot give.
    Connection(&'static str),
}

impl Failure {
    fn of(error: &RedisError) -> Failure {
        if error.is_timeout() {
            // The client's own response deadline (set to the call deadline) fired.
            return Failure::Timeout;
        }
        let text = describe(error);
        if matches!(error.kind(), ErrorKind::Server(_)) && !error.is_unrecoverable_error() {
            Failure::Server(text)
        } else {
            Failure::Connection(text)
        }
    }

    fn what(self) -> &'static str {
        match self {
            Failure::Timeout => "deadline passed",
            Failure::Server(what) | Failure::Connection(what) => what,
        }
    }
}

/// A fixed description of a Redis error: its text may echo a command or key, so none of
/// it is logged.
fn describe(error: &RedisError) -> &'static str {
    match error.kind() {
        ErrorKind::Io => "connection error",
        ErrorKind::AuthenticationFailed => "authentication failed",
        ErrorKind::Server(ServerErrorKind::NoScript) => "script missing after SCRIPT LOAD",
        ErrorKind::Server(ServerErrorKind::BusyLoading) => "Redis is loading its data",
        ErrorKind::Server(ServerErrorKind::ReadOnly) => "Redis is a read-only replica",
        ErrorKind::Server(_) => "Redis answered an error",
        ErrorKind::InvalidClientConfig => "invalid client configuration",
        ErrorKind::Parse | ErrorKind::UnexpectedReturnType => "unexpected answer",
        _ => "Redis client error",
    }
}

/// Clears the reconnecting flag however the reconnect ends (a dropped request future
/// included), so no reconnect can be left pending forever.
struct ReconnectGuard<'a>(&'a AtomicBool);

impl Drop for ReconnectGuard<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

impl<C: Clock> FleetLimiter<C> {
    /// A limiter on the Redis at `url`, connecting on its first check.
    ///
    /// `url`: `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS
    /// (rustls on ring, the operating system's root certificates). `local`: the
    /// in-process tier checked first (`None`: every check asks Redis).
    ///
    /// # Errors
    /// [`FleetError::InvalidUrl`] when the URL does not parse.
    ///
    /// ```
    /// use jwsgate::fleet_limit::{FleetConfig, FleetLimiter};
    /// use jwsgate::ratelimit::RateLimiter;
    /// use secrecy::SecretString;
    /// use std::time::Duration;
    ///
    /// let config = FleetConfig::new(10, Duration::from_secs(60))?;
    /// let url = SecretString::from("redis://:secret@127.0.0.1:6379/0");
    /// let limiter = FleetLimiter::<jwsgate::ratelimit::InstantClock>::new(&url, config, None)?;
    /// assert!(!format!("{limiter:?}").contains("secret"));
    /// let bad = SecretString::from("http://127.0.0.1/");
    /// assert!(FleetLimiter::<jwsgate::ratelimit::InstantClock>::new(
    ///     &bad, FleetConfig::new(1, Duration::from_secs(1))?, None).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        url: &SecretString,
        config: FleetConfig,
        local: Option<RateLimiter<C>>,
    ) -> Result<FleetLimiter<C>, FleetError> {
        let client = redis::Client::open(url.expose_secret())
            .map_err(|_| FleetError::InvalidUrl("not a redis:// or rediss:// URL"))?;
        if url.expose_secret().starts_with("rediss:") {
            // redis builds its rustls configuration with the process-wide provider; make
            // it ring (the crate's primitive) unless the application installed one.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        Ok(FleetLimiter {
            local,
            config,
            client,
            conn: ArcSwapOption::empty(),
            sha: script_sha1(),
            loaded: AtomicBool::new(false),
            reconnecting: AtomicBool::new(false),
            origin: Instant::now(),
            down_until: AtomicU64::new(0),
            counters: Counters::default(),
        })
    }

    /// A limiter on the Redis at `url`, connected and with its script loaded: a
    /// misconfigured URL, password or network shows at start-up rather than as a WARN
    /// under traffic. See [`FleetLimiter::new`] for the arguments.
    ///
    /// # Errors
    /// [`FleetError::InvalidUrl`]; [`FleetError::Unreachable`] when connecting or
    /// loading the script fails or passes its deadline.
    pub async fn connect(
        url: &SecretString,
        config: FleetConfig,
        local: Option<RateLimiter<C>>,
    ) -> Result<FleetLimiter<C>, FleetError> {
        let limiter = FleetLimiter::new(url, config, local)?;
        match limiter.open().await {
            Ok(conn) => {
                limiter.conn.store(Some(conn));
                Ok(limiter)
            }
            Err(failure) => Err(FleetError::Unreachable(failure.what())),
        }
    }

    /// Counts one check for `key` (a failed authentication attempt, a request): the
    /// local tier first, then Redis. Admitted with the fleet budget left, or refused:
    /// [`FleetRefusal::Limited`] (429) by either tier, or [`FleetRefusal::Unavailable`]
    /// (503) when the policy is fail closed and Redis cannot answer.
    ///
    /// A refusal by Redis does not give back the local tier's admission: the local tier
    /// only ever refuses sooner.
    pub async fn check(&self, key: u64) -> Result<Allowed, FleetRefusal> {
        let local = match self.local_check(key) {
            Ok(local) => local,
            Err(limited) => return Err(limited),
        };
        let reply = self.ask(&[key], true).await;
        let reply = reply
            .as_deref()
            .and_then(|replies| replies.first().copied());
        self.answer(reply, local)
    }

    /// Counts one check for each of `keys`, as [`FleetLimiter::check`] would, with the
    /// keys the local tier admits sent to Redis as pipelines of at most
    /// [`crate::limits::MAX_FLEET_BATCH`] scripts: one round trip (and one call deadline)
    /// per pipeline instead of one per key. The answers are in the order of `keys`.
    ///
    /// Should Redis lose the script in the middle of a pipeline (`SCRIPT FLUSH` from
    /// another client), the whole pipeline is sent again: its first part is counted
    /// twice, which is stricter, never looser.
    pub async fn check_many(&self, keys: &[u64]) -> Vec<Result<Allowed, FleetRefusal>> {
        let mut answers = Vec::with_capacity(keys.len());
        // (position in `keys`, key, the local tier's admission) of what goes to Redis.
        let mut asks = Vec::with_capacity(keys.len());
        for (at, &key) in keys.iter().enumerate() {
            match self.local_check(key) {
                Ok(local) => {
                    // Filled in below, once Redis (or the failure policy) has answered.
                    answers.push(Err(FleetRefusal::Unavailable(Unavailable::after(
                        Duration::ZERO,
                    ))));
                    asks.push((at, key, local));
                }
                Err(limited) => answers.push(Err(limited)),
            }
        }
        let mut chunk_keys = Vec::with_capacity(asks.len().min(MAX_FLEET_BATCH));
        for chunk in asks.chunks(MAX_FLEET_BATCH) {
            chunk_keys.clear();
            chunk_keys.extend(chunk.iter().map(|&(_, key, _)| key));
            let replies = self.ask(&chunk_keys, true).await;
            for (n, &(at, _, local)) in chunk.iter().enumerate() {
                let reply = replies.as_deref().and_then(|r| r.get(n).copied());
                if let Some(answer) = answers.get_mut(at) {
                    *answer = self.answer(reply, local);
                }
            }
        }
        answers
    }

    /// The local tier's verdict: `Ok(None)` without a local tier.
    fn local_check(&self, key: u64) -> Result<Option<Allowed>, FleetRefusal> {
        match &self.local {
            Some(local) => match local.check(key) {
                Ok(allowed) => Ok(Some(allowed)),
                Err(limited) => {
                    bump(&self.counters.local_refusals);
                    Err(FleetRefusal::Limited(limited))
                }
            },
            None => Ok(None),
        }
    }

    /// Redis's reply as the check's answer, or the failure policy's when there is none.
    fn answer(
        &self,
        reply: Option<Reply>,
        local: Option<Allowed>,
    ) -> Result<Allowed, FleetRefusal> {
        match reply {
            Some(Reply::Admitted { slack_us }) => Ok(Allowed::new(
                slack_us.saturating_mul(1000),
                self.interval_ns(),
            )),
            Some(Reply::Limited { wait_us }) => Err(FleetRefusal::Limited(Limited::from_nanos(
                wait_us.saturating_mul(1000),
            ))),
            None => match self.config.failure_policy() {
                FailurePolicy::FailOpen => {
                    bump(&self.counters.failed_open);
                    // Without a local tier fail-open admits; the budget left is unknown.
                    Ok(local.unwrap_or(Allowed::new(0, self.interval_ns())))
                }
                FailurePolicy::FailClosed => Err(self.unavailable()),
            },
        }
    }

    /// Looks without counting: `Err` when a check of `key` now would be refused (the
    /// HTTP layer's "already limited?" before any signature work). The local tier is
    /// asked first (no round trip when it refuses), then Redis. Fail-open answers `Ok`
    /// when Redis cannot.
    pub async fn peek(&self, key: u64) -> Result<(), FleetRefusal> {
        if let Some(local) = &self.local {
            if let Err(limited) = local.peek(key) {
                bump(&self.counters.local_refusals);
                return Err(FleetRefusal::Limited(limited));
            }
        }
        let reply = self.ask(&[key], false).await;
        match reply
            .as_deref()
            .and_then(|replies| replies.first().copied())
        {
            Some(Reply::Admitted { .. }) => Ok(()),
            Some(Reply::Limited { wait_us }) => Err(FleetRefusal::Limited(Limited::from_nanos(
                wait_us.saturating_mul(1000),
            ))),
            None => match self.config.failure_policy() {
                FailurePolicy::FailOpen => {
                    bump(&self.counters.failed_open);
                    Ok(())
                }
                FailurePolicy::FailClosed => Err(self.unavailable()),
            },
        }
    }

    /// The counters since the limiter was made.
    pub fn stats(&self) -> FleetStats {
        let c = &self.counters;
        let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        FleetStats {
            redis_answers: get(&c.redis_answers),
            redis_failures: get(&c.redis_failures),
            timeouts: get(&c.timeouts),
            skipped: get(&c.skipped),
            failed_open: get(&c.failed_open),
            failed_closed: get(&c.failed_closed),
            local_refusals: get(&c.local_refusals),
            script_loads: get(&c.script_loads),
            connects: get(&c.connects),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &FleetConfig {
        &self.config
    }

    /// The local tier, if any.
    pub fn local(&self) -> Option<&RateLimiter<C>> {
        self.local.as_ref()
    }

    /// The Redis key that holds `key`'s state: the prefix and 16 hex digits.
    ///
    /// ```
    /// use jwsgate::fleet_limit::{FleetConfig, FleetLimiter};
    /// use secrecy::SecretString;
    /// use std::time::Duration;
    /// let config = FleetConfig::new(1, Duration::from_secs(1))?.with_key_prefix("rl:")?;
    /// let url = SecretString::from("redis://127.0.0.1/");
    /// let limiter = FleetLimiter::<jwsgate::ratelimit::InstantClock>::new(&url, config, None)?;
    /// assert_eq!(limiter.redis_key(255), "rl:00000000000000ff");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn redis_key(&self, key: u64) -> String {
        key_name(self.config.key_prefix(), key)
    }

    /// The script's SHA-1, as `EVALSHA` names it and `SCRIPT LOAD` answers.
    pub fn script_sha1(&self) -> &str {
        &self.sha
    }

    fn interval_ns(&self) -> u64 {
        self.config.interval_us().saturating_mul(1000)
    }

    fn now_ns(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    /// The 503 answer: retry once the cooldown has passed (at least one second).
    fn unavailable(&self) -> FleetRefusal {
        bump(&self.counters.failed_closed);
        let left = self
            .down_until
            .load(Ordering::Relaxed)
            .saturating_sub(self.now_ns());
        FleetRefusal::Unavailable(Unavailable::after(Duration::from_nanos(left)))
    }

    /// Redis's answers for `keys` (one pipeline), or `None` when Redis cannot give them
    /// now (the caller applies the failure policy). Bounded by the connect deadline (one
    /// check per cooldown) plus the call deadline.
    async fn ask(&self, keys: &[u64], take: bool) -> Option<Vec<Reply>> {
        if self.now_ns() < self.down_until.load(Ordering::Relaxed) {
            bump(&self.counters.skipped);
            return None;
        }
        let conn = match self.conn.load_full() {
            Some(conn) => conn,
            None => {
                if self.reconnecting.swap(true, Ordering::Acquire) {
                    bump(&self.counters.skipped);
                    return None;
                }
                let _guard = ReconnectGuard(&self.reconnecting);
                match self.open().await {
                    Ok(conn) => {
                        self.conn.store(Some(Arc::clone(&conn)));
                        conn
                    }
                    Err(failure) => {
                        self.failed(None, failure);
                        return None;
                    }
                }
            }
        };
        let call = self.eval(&conn, keys, take);
        match tokio::time::timeout(self.config.call_timeout(), call).await {
            Ok(Ok(replies)) => {
                self.counters
                    .redis_answers
                    .fetch_add(replies.len() as u64, Ordering::Relaxed);
                Some(replies)
            }
            Ok(Err(failure)) => {
                self.failed(Some(conn), failure);
                None
            }
            Err(_elapsed) => {
                self.failed(Some(conn), Failure::Timeout);
                None
            }
        }
    }

    /// One pipeline of `EVALSHA`s (one per key); on `NOSCRIPT`, `SCRIPT LOAD` and the
    /// pipeline again.
    async fn eval(
        &self,
        conn: &MultiplexedConnection,
        keys: &[u64],
        take: bool,
    ) -> Result<Vec<Reply>, Failure> {
        let mut conn = conn.clone();
        let mut pipe = redis::pipe();
        for &key in keys {
            pipe.cmd("EVALSHA")
                .arg(&self.sha)
                .arg(1)
                .arg(self.redis_key(key))
                .arg(self.config.interval_us())
                .arg(self.config.burst_us())
                .arg(if take { "1" } else { "0" });
        }
        let answer = match pipe.query_async::<Vec<(i64, i64)>>(&mut conn).await {
            Err(e) if e.kind() == ErrorKind::Server(ServerErrorKind::NoScript) => {
                self.load_script(&mut conn).await?;
                pipe.query_async::<Vec<(i64, i64)>>(&mut conn).await
            }
            answer => answer,
        };
        let answer = answer.map_err(|e| Failure::of(&e))?;
        if answer.len() != keys.len() {
            return Err(Failure::Connection("unexpected script answer"));
        }
        answer
            .into_iter()
            .map(|(flag, value)| {
                Reply::decode(flag, value).ok_or(Failure::Connection("unexpected script answer"))
            })
            .collect()
    }

    async fn load_script(&self, conn: &mut MultiplexedConnection) -> Result<(), Failure> {
        let sha: String = redis::cmd("SCRIPT")
            .arg("LOAD")
            .arg(GCRA_LUA)
            .query_async(conn)
            .await
            .map_err(|e| Failure::of(&e))?;
        bump(&self.counters.script_loads);
        if sha == self.sha {
            Ok(())
        } else {
            Err(Failure::Connection("SCRIPT LOAD answered another SHA-1"))
        }
    }

    /// A new connection, with the script loaded if this is the limiter's first.
    async fn open(&self) -> Result<Arc<MultiplexedConnection>, Failure> {
        let options = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(self.config.connect_timeout()))
            .set_response_timeout(Some(self.config.call_timeout()));
        let connecting = self
            .client
            .get_multiplexed_async_connection_with_config(&options);
        let mut conn = match tokio::time::timeout(self.config.connect_timeout(), connecting).await {
            Ok(Ok(conn)) => conn,
            Ok(Err(e)) => return Err(Failure::of(&e)),
            Err(_elapsed) => return Err(Failure::Timeout),
        };
        bump(&self.counters.connects);
        if !self.loaded.load(Ordering::Acquire) {
            let load = self.load_script(&mut conn);
            match tokio::time::timeout(self.config.call_timeout(), load).await {
                Ok(Ok(())) => self.loaded.store(true, Ordering::Release),
                Ok(Err(failure)) => return Err(failure),
                Err(_elapsed) => return Err(Failure::Timeout),
            }
        }
        Ok(Arc::new(conn))
    }

    /// Records a failure: counts it, starts the cooldown, drops the connection unless the
    /// server itself answered, and logs a WARN when it begins an outage.
    fn failed(&self, used: Option<Arc<MultiplexedConnection>>, failure: Failure) {
        bump(&self.counters.redis_failures);
        if matches!(failure, Failure::Timeout) {
            bump(&self.counters.timeouts);
        }
        if let (Some(used), Failure::Timeout | Failure::Connection(_)) = (used, failure) {
            // Only the connection this check used: another check may have replaced it.
            let used = Some(used);
            let _ = self.conn.compare_and_swap(&used, None);
        }
        let now = self.now_ns();
        let cooldown = u64::try_from(self.config.retry_cooldown().as_nanos()).unwrap_or(u64::MAX);
        let previous = self
            .down_until
            .swap(now.saturating_add(cooldown), Ordering::Relaxed);
        if previous <= now {
            tracing::warn!(
                failure = failure.what(),
                policy = ?self.config.failure_policy(),
                cooldown_ms = self.config.retry_cooldown().as_millis() as u64,
                "fleet rate limiter: Redis failed; answering by the failure policy"
            );
        }
    }
}

/// Shows the configuration and counters, never the URL (it may hold a password).
impl<C> fmt::Debug for FleetLimiter<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FleetLimiter")
            .field("limit", &self.config.limit())
            .field("window", &self.config.window())
            .field("key_prefix", &self.config.key_prefix())
            .field("failure_policy", &self.config.failure_policy())
            .field("local_tier", &self.local.is_some())
            .finish_non_exhaustive()
    }
}
