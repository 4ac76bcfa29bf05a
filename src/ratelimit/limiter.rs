//! The limiter: a table of atomics allocated once, a seeded slot map, a clock.

use core::fmt;
use core::mem::size_of;

use super::clock::{Clock, InstantClock};
use super::config::RateLimitConfig;
use super::decision::{Allowed, Limited};
use super::gcra::Gcra;
use super::index::SlotIndex;
use super::sync::AtomicU64;

/// A lock-free rate limiter over `u64` keys with memory fixed at construction.
///
/// Share it between threads by reference or in an `Arc`; [`RateLimiter::check`] takes
/// `&self`, never blocks and never allocates. See the [module docs](super) for the
/// algorithm and its guarantees.
///
/// ```
/// use jwsgate::{Error, fingerprint::fingerprint, ratelimit::{RateLimitConfig, RateLimiter}};
/// use std::time::Duration;
///
/// // 10 authentication attempts per 60 s per token, 64 Ki slots (512 KiB).
/// let limiter = RateLimiter::new(RateLimitConfig::new(10, Duration::from_secs(60), 65_536)?);
///
/// fn authenticate(limiter: &RateLimiter, token: &[u8]) -> Result<(), Error> {
///     limiter.check(fingerprint(token).as_u64())?; // 429 + Retry-After on refusal
///     // ... verify the token ...
///     Ok(())
/// }
///
/// for _ in 0..10 {
///     assert!(authenticate(&limiter, b"eyJ...").is_ok());
/// }
/// let refused = authenticate(&limiter, b"eyJ...").unwrap_err();
/// assert_eq!(refused.status(), 429);
/// assert!(matches!(refused, Error::RateLimited { retry_after_secs: 1..=6 }));
/// # Ok::<(), jwsgate::ConfigError>(())
/// ```
pub struct RateLimiter<C = InstantClock> {
    gcra: Gcra,
    index: SlotIndex,
    table: Box<[AtomicU64]>,
    clock: C,
    config: RateLimitConfig,
}

impl RateLimiter<InstantClock> {
    /// A limiter on the real monotonic clock ([`InstantClock`]).
    ///
    /// Allocates the whole table here: `capacity × 8` bytes, never more afterwards.
    ///
    /// ```
    /// use jwsgate::ratelimit::{RateLimitConfig, RateLimiter};
    /// use std::time::Duration;
    /// let limiter = RateLimiter::new(RateLimitConfig::new(5, Duration::from_secs(1), 1024)?);
    /// assert!(limiter.check(1).is_ok());
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn new(config: RateLimitConfig) -> RateLimiter<InstantClock> {
        RateLimiter::with_clock(config, InstantClock::new())
    }
}

impl<C: Clock> RateLimiter<C> {
    /// A limiter reading time from `clock` (a [`super::ManualClock`] in tests).
    ///
    /// ```
    /// use jwsgate::ratelimit::{ManualClock, RateLimitConfig, RateLimiter};
    /// use std::time::Duration;
    /// let config = RateLimitConfig::new(1, Duration::from_secs(1), 16)?;
    /// let limiter = RateLimiter::with_clock(config, ManualClock::new());
    /// assert!(limiter.check(1).is_ok());
    /// assert!(limiter.check(1).is_err());
    /// limiter.clock().advance(Duration::from_secs(1));
    /// assert!(limiter.check(1).is_ok());
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn with_clock(config: RateLimitConfig, clock: C) -> RateLimiter<C> {
        let table = (0..config.capacity()).map(|_| AtomicU64::new(0)).collect();
        RateLimiter {
            gcra: Gcra {
                interval_ns: config.interval_ns(),
                burst_ns: config.burst_ns(),
            },
            index: SlotIndex::new(config.capacity(), config.seed()),
            table,
            clock,
            config,
        }
    }

    /// Counts one check for `key` now: admitted with the budget left, or refused with
    /// the wait. A refused check costs the key nothing.
    ///
    /// Keys that share a slot share its budget: a key can be refused earlier because of
    /// another key, never admitted more than `limit` per window because of one.
    ///
    /// ```
    /// use jwsgate::ratelimit::{ManualClock, RateLimitConfig, RateLimiter};
    /// use std::time::Duration;
    /// let config = RateLimitConfig::new(2, Duration::from_secs(10), 64)?;
    /// let limiter = RateLimiter::with_clock(config, ManualClock::new());
    /// assert_eq!(limiter.check(3).map(|a| a.remaining()), Ok(1));
    /// assert_eq!(limiter.check(3).map(|a| a.remaining()), Ok(0));
    /// let limited = limiter.check(3).unwrap_err();
    /// assert_eq!(limited.wait(), Duration::from_secs(5));
    /// assert_eq!(limited.retry_after_secs(), 5);
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    #[inline]
    pub fn check(&self, key: u64) -> Result<Allowed, Limited> {
        let now = self.clock.now_nanos();
        match self.table.get(self.index.slot(key)) {
            Some(slot) => self.gcra.check(slot, now),
            // Unreachable: the slot map reduces below the capacity. Fail closed.
            None => Err(Limited::from_nanos(self.gcra.interval_ns)),
        }
    }

    /// Would [`RateLimiter::check`] admit `key` now? Read-only: one load, no write, so
    /// asking spends nothing. A server asks before expensive work ("is this key already
    /// limited?") and counts with [`RateLimiter::check`] only what should cost budget
    /// (a failed attempt), so a refused or successful request is never charged.
    ///
    /// The answer can be stale by the time it is used: another thread may spend the last
    /// check in between. That is the intended use (refuse early), not a reservation.
    ///
    /// ```
    /// use jwsgate::ratelimit::{ManualClock, RateLimitConfig, RateLimiter};
    /// use std::time::Duration;
    /// let config = RateLimitConfig::new(2, Duration::from_secs(10), 64)?;
    /// let limiter = RateLimiter::with_clock(config, ManualClock::new());
    /// assert_eq!(limiter.peek(3).map(|a| a.remaining()), Ok(1));
    /// assert_eq!(limiter.peek(3).map(|a| a.remaining()), Ok(1)); // nothing spent
    /// let _ = (limiter.check(3), limiter.check(3));
    /// assert_eq!(limiter.peek(3).unwrap_err().retry_after_secs(), 5);
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    #[inline]
    pub fn peek(&self, key: u64) -> Result<Allowed, Limited> {
        let now = self.clock.now_nanos();
        match self.table.get(self.index.slot(key)) {
            Some(slot) => self.gcra.peek(slot, now),
            // Unreachable: the slot map reduces below the capacity. Fail closed.
            None => Err(Limited::from_nanos(self.gcra.interval_ns)),
        }
    }

    /// The slot `key` lands in, below [`RateLimiter::capacity`]. Keys with the same
    /// slot share a budget; with a fixed seed this finds colliding keys for tests.
    ///
    /// ```
    /// use jwsgate::ratelimit::{RateLimitConfig, RateLimiter};
    /// use std::time::Duration;
    /// let config = RateLimitConfig::new(1, Duration::from_secs(1), 4)?.with_seed(1);
    /// let limiter = RateLimiter::new(config);
    /// assert!(limiter.slot_of(12345) < 4);
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn slot_of(&self, key: u64) -> usize {
        self.index.slot(key)
    }

    /// Number of slots.
    ///
    /// ```
    /// # use jwsgate::ratelimit::{RateLimitConfig, RateLimiter}; use std::time::Duration;
    /// let limiter = RateLimiter::new(RateLimitConfig::new(1, Duration::from_secs(1), 100)?);
    /// assert_eq!(limiter.capacity(), 100);
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn capacity(&self) -> usize {
        self.table.len()
    }

    /// Heap bytes the table holds: `capacity × 8`, fixed for the limiter's life.
    ///
    /// ```
    /// # use jwsgate::ratelimit::{RateLimitConfig, RateLimiter}; use std::time::Duration;
    /// let limiter = RateLimiter::new(RateLimitConfig::new(1, Duration::from_secs(1), 100)?);
    /// assert_eq!(limiter.memory_bytes(), 800);
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn memory_bytes(&self) -> usize {
        self.table.len() * size_of::<AtomicU64>()
    }

    /// The configuration the limiter was built with.
    ///
    /// ```
    /// # use jwsgate::ratelimit::{RateLimitConfig, RateLimiter}; use std::time::Duration;
    /// let config = RateLimitConfig::new(1, Duration::from_secs(1), 100)?;
    /// assert_eq!(RateLimiter::new(config).config(), &config);
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn config(&self) -> &RateLimitConfig {
        &self.config
    }

    /// The clock the limiter reads.
    ///
    /// ```
    /// # use jwsgate::ratelimit::{Clock, ManualClock, RateLimitConfig, RateLimiter};
    /// # use std::time::Duration;
    /// let config = RateLimitConfig::new(1, Duration::from_secs(1), 8)?;
    /// let limiter = RateLimiter::with_clock(config, ManualClock::new());
    /// assert_eq!(limiter.clock().now_nanos(), 0);
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn clock(&self) -> &C {
        &self.clock
    }
}

/// Shows the configuration, not the table (nor the hash seed).
impl<C> fmt::Debug for RateLimiter<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter")
            .field("limit", &self.config.limit())
            .field("window", &self.config.window())
            .field("capacity", &self.table.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
#[cfg(not(loom))]
mod tests {
    use super::super::ManualClock;
    use super::*;
    use core::time::Duration;

    #[test]
    fn debug_hides_the_table_and_seed() {
        let config = RateLimitConfig::new(3, Duration::from_secs(1), 8)
            .unwrap()
            .with_seed(0xdead_beef);
        let limiter = RateLimiter::with_clock(config, ManualClock::new());
        let shown = format!("{limiter:?}");
        assert!(shown.contains("limit: 3"), "{shown}");
        assert!(!shown.to_lowercase().contains("deadbeef"), "{shown}");
        assert!(!shown.contains("3735928559"), "{shown}");
    }

    #[test]
    fn memory_is_the_table() {
        let config = RateLimitConfig::new(3, Duration::from_secs(1), 1000).unwrap();
        let limiter = RateLimiter::with_clock(config, ManualClock::new());
        assert_eq!(limiter.capacity(), 1000);
        assert_eq!(limiter.memory_bytes(), 8000);
    }
}
