//! What the fleet limiter admits (`limit` per `window`, shared by every instance) and how
//! it treats Redis: key prefix, deadlines, failure policy.

use core::time::Duration;

use crate::error::ConfigError;
use crate::limits::{
    DEFAULT_FLEET_CALL_TIMEOUT, DEFAULT_FLEET_CONNECT_TIMEOUT, DEFAULT_FLEET_RETRY_COOLDOWN,
    MAX_FLEET_KEY_PREFIX_BYTES, MAX_FLEET_RETRY_COOLDOWN, MAX_FLEET_TIMEOUT,
};
use crate::ratelimit::MAX_WINDOW;

/// Default prefix of the limiter's Redis keys.
pub const DEFAULT_KEY_PREFIX: &str = "jwsgate:rl:";

/// What a check answers when Redis cannot (down, unreachable, slower than the call
/// deadline, or cooling down after one of those).
///
/// ```
/// use jwsgate::fleet_limit::FailurePolicy;
/// assert_eq!(FailurePolicy::default(), FailurePolicy::FailOpen);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailurePolicy {
    /// Answer with the local limiter alone (every instance then admits up to its own
    /// local limit), logged at WARN once per outage and counted in
    /// [`super::FleetStats::failed_open`]. The default: a Redis outage must not take the
    /// service down, and the local tier still bounds each instance.
    #[default]
    FailOpen,
    /// Refuse with [`super::FleetRefusal::Unavailable`] (503 + `Retry-After`), counted in
    /// [`super::FleetStats::failed_closed`]: for limits that must never be exceeded, at
    /// the price of availability.
    FailClosed,
}

/// A validated fleet limiter configuration.
///
/// ```
/// use jwsgate::fleet_limit::{FailurePolicy, FleetConfig};
/// use std::time::Duration;
///
/// let config = FleetConfig::new(10, Duration::from_secs(60))?
///     .with_key_prefix("myapi:login:")?
///     .with_failure_policy(FailurePolicy::FailClosed);
/// assert_eq!(config.interval(), Duration::from_secs(6));
/// assert_eq!(config.call_timeout(), jwsgate::limits::DEFAULT_FLEET_CALL_TIMEOUT);
/// # Ok::<(), jwsgate::ConfigError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetConfig {
    limit: u32,
    window: Duration,
    /// `window / limit` in microseconds, rounded up (stricter), ≥ 1.
    interval_us: u64,
    /// `limit × interval_us`.
    burst_us: u64,
    key_prefix: String,
    call_timeout: Duration,
    connect_timeout: Duration,
    retry_cooldown: Duration,
    failure_policy: FailurePolicy,
}

impl FleetConfig {
    /// `limit` checks per `window` for each key, across every instance sharing the Redis
    /// server and key prefix; the other settings at their defaults
    /// ([`DEFAULT_KEY_PREFIX`], `jwsgate::limits::DEFAULT_FLEET_*`, fail open).
    ///
    /// The interval `window / limit` is rounded up to the microsecond (the script's unit),
    /// so the fleet refills never faster than `limit` per `window`.
    ///
    /// # Errors
    /// [`ConfigError::InvalidPolicy`] when `limit` or `window` is zero or the window
    /// exceeds [`MAX_WINDOW`].
    ///
    /// ```
    /// use jwsgate::fleet_limit::FleetConfig;
    /// use std::time::Duration;
    /// assert!(FleetConfig::new(10, Duration::from_secs(60)).is_ok());
    /// assert!(FleetConfig::new(0, Duration::from_secs(60)).is_err());
    /// assert!(FleetConfig::new(10, Duration::ZERO).is_err());
    /// ```
    pub fn new(limit: u32, window: Duration) -> Result<FleetConfig, ConfigError> {
        if limit == 0 {
            return Err(ConfigError::InvalidPolicy(
                "fleet rate limit of zero checks",
            ));
        }
        if window.is_zero() {
            return Err(ConfigError::InvalidPolicy(
                "fleet rate limit window of zero",
            ));
        }
        if window > MAX_WINDOW {
            return Err(ConfigError::InvalidPolicy(
                "fleet rate limit window longer than one year",
            ));
        }
        // window ≤ one year = 3.2·10^19 ns fits in u128 trivially; in µs it is 3.2·10^13,
        // and limit × interval ≤ window + limit µs, far below 2^53 (the script's doubles).
        let window_ns = window.as_nanos();
        let per_check_ns = window_ns.div_ceil(u128::from(limit));
        let interval_us = u64::try_from(per_check_ns.div_ceil(1000))
            .unwrap_or(u64::MAX)
            .max(1);
        let burst_us = interval_us.saturating_mul(u64::from(limit));
        Ok(FleetConfig {
            limit,
            window,
            interval_us,
            burst_us,
            key_prefix: DEFAULT_KEY_PREFIX.to_owned(),
            call_timeout: DEFAULT_FLEET_CALL_TIMEOUT,
            connect_timeout: DEFAULT_FLEET_CONNECT_TIMEOUT,
            retry_cooldown: DEFAULT_FLEET_RETRY_COOLDOWN,
            failure_policy: FailurePolicy::FailOpen,
        })
    }

    /// The prefix of every Redis key of this limiter: one prefix per limit, so that two
    /// limits (logins, failed tokens) sharing a Redis never share budgets.
    ///
    /// # Errors
    /// [`ConfigError::InvalidPolicy`] when longer than
    /// [`crate::limits::MAX_FLEET_KEY_PREFIX_BYTES`].
    ///
    /// ```
    /// use jwsgate::fleet_limit::FleetConfig;
    /// use std::time::Duration;
    /// let c = FleetConfig::new(1, Duration::from_secs(1))?.with_key_prefix("a:")?;
    /// assert_eq!(c.key_prefix(), "a:");
    /// assert!(c.with_key_prefix(&"x".repeat(65)).is_err());
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn with_key_prefix(mut self, prefix: &str) -> Result<FleetConfig, ConfigError> {
        if prefix.len() > MAX_FLEET_KEY_PREFIX_BYTES {
            return Err(ConfigError::InvalidPolicy(
                "fleet rate limit key prefix longer than 64 bytes",
            ));
        }
        prefix.clone_into(&mut self.key_prefix);
        Ok(self)
    }

    /// The deadline of each call to Redis (default
    /// [`crate::limits::DEFAULT_FLEET_CALL_TIMEOUT`], 50 ms). Past it the check gets the
    /// failure policy's answer.
    ///
    /// # Errors
    /// [`ConfigError::InvalidPolicy`] when zero or over
    /// [`crate::limits::MAX_FLEET_TIMEOUT`].
    ///
    /// ```
    /// use jwsgate::fleet_limit::FleetConfig;
    /// use std::time::Duration;
    /// let c = FleetConfig::new(1, Duration::from_secs(1))?;
    /// assert!(c.clone().with_call_timeout(Duration::from_millis(20)).is_ok());
    /// assert!(c.with_call_timeout(Duration::from_secs(6)).is_err());
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn with_call_timeout(mut self, timeout: Duration) -> Result<FleetConfig, ConfigError> {
        self.call_timeout = checked_timeout(timeout)?;
        Ok(self)
    }

    /// The deadline for opening a connection (default
    /// [`crate::limits::DEFAULT_FLEET_CONNECT_TIMEOUT`], 250 ms).
    ///
    /// # Errors
    /// [`ConfigError::InvalidPolicy`] when zero or over
    /// [`crate::limits::MAX_FLEET_TIMEOUT`].
    ///
    /// ```
    /// use jwsgate::fleet_limit::FleetConfig;
    /// use std::time::Duration;
    /// let c = FleetConfig::new(1, Duration::from_secs(1))?;
    /// assert!(c.with_connect_timeout(Duration::ZERO).is_err());
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Result<FleetConfig, ConfigError> {
        self.connect_timeout = checked_timeout(timeout)?;
        Ok(self)
    }

    /// How long Redis is left alone after a failure (default
    /// [`crate::limits::DEFAULT_FLEET_RETRY_COOLDOWN`], 1 s): meanwhile checks get the
    /// failure policy's answer without waiting, then one check tries Redis again.
    ///
    /// # Errors
    /// [`ConfigError::InvalidPolicy`] when zero or over
    /// [`crate::limits::MAX_FLEET_RETRY_COOLDOWN`].
    ///
    /// ```
    /// use jwsgate::fleet_limit::FleetConfig;
    /// use std::time::Duration;
    /// let c = FleetConfig::new(1, Duration::from_secs(1))?;
    /// assert!(c.with_retry_cooldown(Duration::from_millis(100)).is_ok());
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn with_retry_cooldown(mut self, cooldown: Duration) -> Result<FleetConfig, ConfigError> {
        if cooldown.is_zero() || cooldown > MAX_FLEET_RETRY_COOLDOWN {
            return Err(ConfigError::InvalidPolicy(
                "fleet rate limit retry cooldown of zero or over 60 s",
            ));
        }
        self.retry_cooldown = cooldown;
        Ok(self)
    }

    /// What checks answer while Redis cannot (default [`FailurePolicy::FailOpen`]).
    ///
    /// ```
    /// use jwsgate::fleet_limit::{FailurePolicy, FleetConfig};
    /// use std::time::Duration;
    /// let c = FleetConfig::new(1, Duration::from_secs(1))?
    ///     .with_failure_policy(FailurePolicy::FailClosed);
    /// assert_eq!(c.failure_policy(), FailurePolicy::FailClosed);
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn with_failure_policy(mut self, policy: FailurePolicy) -> FleetConfig {
        self.failure_policy = policy;
        self
    }

    /// Most checks admitted for one key in one window, fleet-wide.
    ///
    /// ```
    /// # use jwsgate::fleet_limit::FleetConfig; use std::time::Duration;
    /// assert_eq!(FleetConfig::new(3, Duration::from_secs(1))?.limit(), 3);
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The window `limit` applies to.
    ///
    /// ```
    /// # use jwsgate::fleet_limit::FleetConfig; use std::time::Duration;
    /// let c = FleetConfig::new(3, Duration::from_secs(1))?;
    /// assert_eq!(c.window(), Duration::from_secs(1));
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn window(&self) -> Duration {
        self.window
    }

    /// The cost of one admitted check: `window / limit`, rounded up to the microsecond.
    ///
    /// ```
    /// # use jwsgate::fleet_limit::FleetConfig; use std::time::Duration;
    /// let c = FleetConfig::new(3, Duration::from_secs(1))?;
    /// assert_eq!(c.interval(), Duration::from_micros(333_334));
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn interval(&self) -> Duration {
        Duration::from_micros(self.interval_us)
    }

    /// The Redis key prefix.
    ///
    /// ```
    /// # use jwsgate::fleet_limit::{FleetConfig, DEFAULT_KEY_PREFIX}; use std::time::Duration;
    /// let c = FleetConfig::new(3, Duration::from_secs(1))?;
    /// assert_eq!(c.key_prefix(), DEFAULT_KEY_PREFIX);
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn key_prefix(&self) -> &str {
        &self.key_prefix
    }

    /// The deadline of each call to Redis.
    ///
    /// ```
    /// # use jwsgate::fleet_limit::FleetConfig; use std::time::Duration;
    /// let c = FleetConfig::new(3, Duration::from_secs(1))?;
    /// assert_eq!(c.call_timeout(), Duration::from_millis(50));
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn call_timeout(&self) -> Duration {
        self.call_timeout
    }

    /// The deadline for opening a connection.
    ///
    /// ```
    /// # use jwsgate::fleet_limit::FleetConfig; use std::time::Duration;
    /// let c = FleetConfig::new(3, Duration::from_secs(1))?;
    /// assert_eq!(c.connect_timeout(), Duration::from_millis(250));
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// How long Redis is left alone after a failure.
    ///
    /// ```
    /// # use jwsgate::fleet_limit::FleetConfig; use std::time::Duration;
    /// let c = FleetConfig::new(3, Duration::from_secs(1))?;
    /// assert_eq!(c.retry_cooldown(), Duration::from_secs(1));
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn retry_cooldown(&self) -> Duration {
        self.retry_cooldown
    }

    /// What checks answer while Redis cannot.
    ///
    /// ```
    /// # use jwsgate::fleet_limit::{FailurePolicy, FleetConfig}; use std::time::Duration;
    /// let c = FleetConfig::new(3, Duration::from_secs(1))?;
    /// assert_eq!(c.failure_policy(), FailurePolicy::FailOpen);
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub fn failure_policy(&self) -> FailurePolicy {
        self.failure_policy
    }

    pub(crate) fn interval_us(&self) -> u64 {
        self.interval_us
    }

    pub(crate) fn burst_us(&self) -> u64 {
        self.burst_us
    }
}

fn checked_timeout(timeout: Duration) -> Result<Duration, ConfigError> {
    if timeout.is_zero() || timeout > MAX_FLEET_TIMEOUT {
        return Err(ConfigError::InvalidPolicy(
            "fleet rate limit timeout of zero or over 5 s",
        ));
    }
    Ok(timeout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_rounds_up_to_the_microsecond() {
        let c = FleetConfig::new(10, Duration::from_secs(60)).unwrap();
        assert_eq!((c.interval_us(), c.burst_us()), (6_000_000, 60_000_000));
        let c = FleetConfig::new(3, Duration::from_secs(1)).unwrap();
        assert_eq!((c.interval_us(), c.burst_us()), (333_334, 1_000_002));
        // More checks than microseconds in the window: one per microsecond at most.
        let c = FleetConfig::new(10, Duration::from_nanos(3)).unwrap();
        assert_eq!((c.interval_us(), c.burst_us()), (1, 10));
        let c = FleetConfig::new(u32::MAX, MAX_WINDOW).unwrap();
        assert!(c.burst_us() < 1 << 53, "{}", c.burst_us());
    }

    #[test]
    fn bounds_are_enforced() {
        let one = Duration::from_secs(1);
        let c = FleetConfig::new(1, one).unwrap();
        assert!(FleetConfig::new(1, MAX_WINDOW + one).is_err());
        assert!(c.clone().with_call_timeout(MAX_FLEET_TIMEOUT).is_ok());
        assert!(
            c.clone()
                .with_call_timeout(MAX_FLEET_TIMEOUT + one)
                .is_err()
        );
        assert!(
            c.clone()
                .with_connect_timeout(MAX_FLEET_TIMEOUT + one)
                .is_err()
        );
        assert!(c.clone().with_retry_cooldown(Duration::ZERO).is_err());
        assert!(
            c.clone()
                .with_retry_cooldown(MAX_FLEET_RETRY_COOLDOWN + one)
                .is_err()
        );
        let longest = "p".repeat(MAX_FLEET_KEY_PREFIX_BYTES);
        assert!(c.clone().with_key_prefix(&longest).is_ok());
        assert!(c.with_key_prefix(&format!("{longest}p")).is_err());
    }
}
