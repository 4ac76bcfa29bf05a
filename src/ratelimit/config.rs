//! What a limiter admits (`limit` per `window`) and how much memory it takes (`capacity`
//! slots), validated once so that checking never has a failure path.

use core::time::Duration;

use crate::error::ConfigError;

use super::clock::duration_nanos;

/// Longest window accepted: one year. A longer one is a misconfiguration, and the bound
/// keeps every nanosecond sum of the check (`now + limit × interval`) far from `u64::MAX`.
pub const MAX_WINDOW: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// Most slots in one table: 2^24 slots of 8 bytes (128 MiB). Far more than a server
/// needs; the bound stops a typo from reserving the machine's memory.
pub const MAX_CAPACITY: usize = 1 << 24;

/// A validated limiter configuration: at most `limit` checks per `window` for each key,
/// in a table of `capacity` slots.
///
/// Keys share a slot when their hashes collide; keys that share a slot share its budget,
/// so a larger capacity means fewer innocent keys throttled together, never a looser
/// limit. 8 bytes per slot.
///
/// ```
/// use jwsgate::ratelimit::RateLimitConfig;
/// use std::time::Duration;
///
/// let config = RateLimitConfig::new(10, Duration::from_secs(60), 65_536)?;
/// assert_eq!(config.limit(), 10);
/// assert_eq!(config.interval(), Duration::from_secs(6));
/// assert!(RateLimitConfig::new(0, Duration::from_secs(60), 65_536).is_err());
/// # Ok::<(), jwsgate::ConfigError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RateLimitConfig {
    limit: u32,
    window: Duration,
    capacity: usize,
    seed: Option<u64>,
    /// Emission interval `window / limit` in nanoseconds, rounded up (stricter).
    interval_ns: u64,
    /// Burst tolerance `limit × interval` in nanoseconds.
    burst_ns: u64,
}

/// Shows the limit, window and capacity; of the seed only whether one was fixed (a known
/// seed lets a client grind keys into a victim's slot).
impl core::fmt::Debug for RateLimitConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RateLimitConfig")
            .field("limit", &self.limit)
            .field("window", &self.window)
            .field("capacity", &self.capacity)
            .field("fixed_seed", &self.seed.is_some())
            .finish_non_exhaustive()
    }
}

impl RateLimitConfig {
    /// `limit` checks per `window` for each key, in a table of `capacity` slots.
    ///
    /// # Errors
    /// [`ConfigError::InvalidPolicy`] when `limit`, `window` or `capacity` is zero, the
    /// window exceeds [`MAX_WINDOW`], or the capacity exceeds [`MAX_CAPACITY`].
    ///
    /// ```
    /// use jwsgate::{ConfigError, ratelimit::RateLimitConfig};
    /// use std::time::Duration;
    ///
    /// assert!(RateLimitConfig::new(10, Duration::from_secs(60), 1024).is_ok());
    /// let zero_window = RateLimitConfig::new(10, Duration::ZERO, 1024);
    /// assert!(matches!(zero_window, Err(ConfigError::InvalidPolicy(_))));
    /// assert!(RateLimitConfig::new(10, Duration::from_secs(60), 0).is_err());
    /// ```
    pub fn new(
        limit: u32,
        window: Duration,
        capacity: usize,
    ) -> Result<RateLimitConfig, ConfigError> {
        if limit == 0 {
            return Err(ConfigError::InvalidPolicy("rate limit of zero checks"));
        }
        if window.is_zero() {
            return Err(ConfigError::InvalidPolicy("rate limit window of zero"));
        }
        if window > MAX_WINDOW {
            return Err(ConfigError::InvalidPolicy(
                "rate limit window longer than one year",
            ));
        }
        if capacity == 0 {
            return Err(ConfigError::InvalidPolicy("rate limit table of zero slots"));
        }
        if capacity > MAX_CAPACITY {
            return Err(ConfigError::InvalidPolicy(
                "rate limit table larger than 2^24 slots",
            ));
        }
        let window_ns = duration_nanos(window);
        // Rounding the interval up makes the refill slower than limit/window, never
        // faster. window ≤ 2^55 ns, so limit × interval < window + limit fits easily.
        let interval_ns = window_ns.div_ceil(u64::from(limit));
        let burst_ns = interval_ns.saturating_mul(u64::from(limit));
        Ok(RateLimitConfig {
            limit,
            window,
            capacity,
            seed: None,
            interval_ns,
            burst_ns,
        })
    }

    /// The same configuration with a fixed seed for the key-to-slot hash, so the slot of
    /// a key is reproducible (tests, simulations). Without it each limiter draws a random
    /// seed, so a client cannot aim its keys at another key's slot.
    ///
    /// ```
    /// use jwsgate::ratelimit::{RateLimitConfig, RateLimiter};
    /// use std::time::Duration;
    ///
    /// let config = RateLimitConfig::new(10, Duration::from_secs(60), 1024)?.with_seed(42);
    /// let a = RateLimiter::new(config);
    /// let b = RateLimiter::new(config);
    /// assert_eq!(a.slot_of(7), b.slot_of(7));
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub const fn with_seed(mut self, seed: u64) -> RateLimitConfig {
        self.seed = Some(seed);
        self
    }

    /// Most checks admitted for one key in one window (the burst size).
    ///
    /// ```
    /// # use jwsgate::ratelimit::RateLimitConfig; use std::time::Duration;
    /// assert_eq!(RateLimitConfig::new(3, Duration::from_secs(1), 8)?.limit(), 3);
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub const fn limit(&self) -> u32 {
        self.limit
    }

    /// The window `limit` applies to.
    ///
    /// ```
    /// # use jwsgate::ratelimit::RateLimitConfig; use std::time::Duration;
    /// let c = RateLimitConfig::new(3, Duration::from_secs(1), 8)?;
    /// assert_eq!(c.window(), Duration::from_secs(1));
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub const fn window(&self) -> Duration {
        self.window
    }

    /// Number of slots in the table.
    ///
    /// ```
    /// # use jwsgate::ratelimit::RateLimitConfig; use std::time::Duration;
    /// assert_eq!(RateLimitConfig::new(3, Duration::from_secs(1), 8)?.capacity(), 8);
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub const fn capacity(&self) -> usize {
        self.capacity
    }

    /// The fixed hash seed, if [`RateLimitConfig::with_seed`] set one.
    ///
    /// ```
    /// # use jwsgate::ratelimit::RateLimitConfig; use std::time::Duration;
    /// let c = RateLimitConfig::new(3, Duration::from_secs(1), 8)?;
    /// assert_eq!(c.seed(), None);
    /// assert_eq!(c.with_seed(9).seed(), Some(9));
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub const fn seed(&self) -> Option<u64> {
        self.seed
    }

    /// The time one admitted check costs a key's budget: `window / limit`, rounded up to
    /// the nanosecond. A limited key regains one check per interval.
    ///
    /// ```
    /// # use jwsgate::ratelimit::RateLimitConfig; use std::time::Duration;
    /// let c = RateLimitConfig::new(3, Duration::from_secs(1), 8)?;
    /// assert_eq!(c.interval(), Duration::from_nanos(333_333_334));
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub const fn interval(&self) -> Duration {
        Duration::from_nanos(self.interval_ns)
    }

    pub(crate) const fn interval_ns(&self) -> u64 {
        self.interval_ns
    }

    pub(crate) const fn burst_ns(&self) -> u64 {
        self.burst_ns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_and_oversized_values_are_refused() {
        let w = Duration::from_secs(1);
        assert!(RateLimitConfig::new(0, w, 8).is_err());
        assert!(RateLimitConfig::new(1, Duration::ZERO, 8).is_err());
        assert!(RateLimitConfig::new(1, w, 0).is_err());
        assert!(RateLimitConfig::new(1, MAX_WINDOW + w, 8).is_err());
        assert!(RateLimitConfig::new(1, w, MAX_CAPACITY + 1).is_err());
        assert!(RateLimitConfig::new(u32::MAX, MAX_WINDOW, MAX_CAPACITY).is_ok());
    }

    #[test]
    fn window_of_one_year_is_accepted_and_one_nanosecond_more_refused() {
        let year = Duration::from_secs(365 * 86_400);
        assert!(RateLimitConfig::new(1, year, 8).is_ok());
        let past = RateLimitConfig::new(1, year + Duration::from_nanos(1), 8);
        assert!(matches!(past, Err(ConfigError::InvalidPolicy(_))));
        assert!(RateLimitConfig::new(1, Duration::from_secs(1), MAX_CAPACITY).is_ok());
    }

    #[test]
    fn seed_reads_back_what_with_seed_fixed() {
        let c = RateLimitConfig::new(3, Duration::from_secs(1), 8).unwrap();
        assert_eq!(c.seed(), None);
        assert_eq!(c.with_seed(0).seed(), Some(0));
        assert_eq!(c.with_seed(0xfeed).seed(), Some(0xfeed));
    }

    #[test]
    fn interval_rounds_up_and_burst_covers_the_window() {
        let c = RateLimitConfig::new(3, Duration::from_secs(1), 8).unwrap();
        assert_eq!(c.interval_ns(), 333_333_334);
        assert_eq!(c.burst_ns(), 1_000_000_002);
        // More checks than nanoseconds in the window: one per nanosecond at most.
        let c = RateLimitConfig::new(10, Duration::from_nanos(3), 8).unwrap();
        assert_eq!(c.interval_ns(), 1);
        assert_eq!(c.burst_ns(), 10);
    }
}
