//! A fleet-wide rate limiter on Redis (`redis` feature): one limit across every instance
//! of a service, with the local lock-free limiter ([`crate::ratelimit`]) in front.
//!
//! The local limiter is per process: a limit of 10 attempts per minute per token becomes
//! 10 × N on N instances, and an attacker spreads requests over them. [`FleetLimiter`]
//! keeps the same rule (GCRA: `limit` per `window`, an exact `Retry-After`) in Redis, so
//! every instance draws on one budget per key.
//!
//! ```no_run
//! use jwsgate::fleet_limit::{FailurePolicy, FleetConfig, FleetLimiter};
//! use jwsgate::ratelimit::{RateLimitConfig, RateLimiter};
//! use secrecy::SecretString;
//! use std::time::Duration;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let minute = Duration::from_secs(60);
//! let config = FleetConfig::new(10, minute)?.with_failure_policy(FailurePolicy::FailOpen);
//! let local = RateLimiter::new(RateLimitConfig::new(10, minute, 65_536)?);
//! let url = SecretString::from(std::env::var("REDIS_URL")?);
//! let limiter = FleetLimiter::connect(&url, config, Some(local)).await?;
//! if let Err(refused) = limiter.check(0xfeed).await {
//!     // 429 (limited) or 503 (fail-closed, Redis down), each with Retry-After.
//!     println!("{} Retry-After: {}", refused.status(), refused.retry_after_secs());
//! }
//! # Ok(()) }
//! ```
//!
//! # In Redis
//!
//! * One string per active key, `<prefix><key as 16 hex digits>`, holding the key's
//!   theoretical arrival time in microseconds of the Redis clock, with a time to live
//!   equal to the time until the key would be full again. Memory is bounded by the keys
//!   active within one window; an idle key costs nothing.
//! * One Lua script, run by `EVALSHA` (one round trip, atomic); loaded at the first
//!   connection and again whenever Redis answers `NOSCRIPT` (after a restart or a
//!   `SCRIPT FLUSH`). Time is `TIME` on the Redis server, so skewed instance clocks
//!   cannot widen the limit. The script touches only its one key (declared in `KEYS`),
//!   but the client speaks to one server: a Redis Cluster is not supported.
//!
//! # When Redis fails
//!
//! Every call has a deadline (default 50 ms, `crate::limits::DEFAULT_FLEET_CALL_TIMEOUT`)
//! and every connect one (250 ms). A failure (error, dropped connection, deadline) starts
//! a cooldown (1 s) during which checks get the [`FailurePolicy`]'s answer immediately:
//! fail open (default) answers with the local tier alone, logged at WARN once per outage
//! and counted ([`FleetStats::failed_open`]); fail closed refuses with
//! [`FleetRefusal::Unavailable`], which the HTTP layer answers 503 + `Retry-After`.
//! After the cooldown one check reconnects. No request waits longer than the connect
//! deadline plus the call deadline.

mod config;
mod failures;
mod limiter;
mod outcome;
mod script;

pub use config::{DEFAULT_KEY_PREFIX, FailurePolicy, FleetConfig};
pub use failures::{CLIENT_FAILURES_PREFIX, FleetFailureLimiter, TOKEN_FAILURES_PREFIX};
pub use limiter::{FleetError, FleetLimiter};
pub use outcome::{FleetRefusal, FleetStats, Unavailable};
