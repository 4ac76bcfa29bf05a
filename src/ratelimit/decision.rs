//! What a check answers: admitted with the budget left, or limited with the wait, which
//! becomes the `Retry-After` header and [`crate::Error::RateLimited`].

use core::fmt;
use core::time::Duration;

use crate::error::Error;

/// The check was admitted.
///
/// ```
/// use jwsgate::ratelimit::{ManualClock, RateLimitConfig, RateLimiter};
/// use std::time::Duration;
///
/// let config = RateLimitConfig::new(3, Duration::from_secs(60), 64)?;
/// let limiter = RateLimiter::with_clock(config, ManualClock::new());
/// assert_eq!(limiter.check(1).map(|allowed| allowed.remaining()), Ok(2));
/// # Ok::<(), jwsgate::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowed {
    /// Nanoseconds of budget left in the slot after this check.
    slack_ns: u64,
    /// The cost of one check, nanoseconds (≥ 1).
    interval_ns: u64,
}

impl Allowed {
    /// Keeps the division for [`Allowed::remaining`], off the hot path of callers that
    /// only need the verdict.
    pub(crate) const fn new(slack_ns: u64, interval_ns: u64) -> Allowed {
        Allowed {
            slack_ns,
            interval_ns,
        }
    }

    /// How many more checks the key's slot would admit right now (for an
    /// `X-RateLimit-Remaining`-style header). Lower than the key's own budget when other
    /// keys share its slot.
    ///
    /// ```
    /// # use jwsgate::ratelimit::{ManualClock, RateLimitConfig, RateLimiter};
    /// # use std::time::Duration;
    /// # let limiter = RateLimiter::with_clock(
    /// #     RateLimitConfig::new(2, Duration::from_secs(1), 8)?, ManualClock::new());
    /// assert_eq!(limiter.check(5).map(|a| a.remaining()), Ok(1));
    /// assert_eq!(limiter.check(5).map(|a| a.remaining()), Ok(0));
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub const fn remaining(self) -> u32 {
        let left = self.slack_ns
            / if self.interval_ns == 0 {
                1
            } else {
                self.interval_ns
            };
        if left > u32::MAX as u64 {
            u32::MAX
        } else {
            left as u32
        }
    }
}

/// The check was refused: the key must wait before its next check can be admitted.
///
/// Converts into [`Error::RateLimited`] (status 429), so `limiter.check(key)?` works in a
/// function returning `Result<_, jwsgate::Error>`.
///
/// ```
/// use jwsgate::{Error, ratelimit::{ManualClock, RateLimitConfig, RateLimiter}};
/// use std::time::Duration;
///
/// let config = RateLimitConfig::new(1, Duration::from_secs(60), 64)?;
/// let limiter = RateLimiter::with_clock(config, ManualClock::new());
/// let _ = limiter.check(9);
/// let limited = limiter.check(9).unwrap_err();
/// assert_eq!(limited.wait(), Duration::from_secs(60));
/// assert_eq!(limited.retry_after_secs(), 60);
/// assert_eq!(Error::from(limited), Error::RateLimited { retry_after_secs: 60 });
/// # Ok::<(), jwsgate::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    wait: Duration,
}

impl Limited {
    pub(crate) const fn from_nanos(wait_ns: u64) -> Limited {
        Limited {
            wait: Duration::from_nanos(wait_ns),
        }
    }

    /// The time until the key's next check would be admitted, to the nanosecond.
    ///
    /// ```
    /// # use jwsgate::ratelimit::{ManualClock, RateLimitConfig, RateLimiter};
    /// # use std::time::Duration;
    /// # let limiter = RateLimiter::with_clock(
    /// #     RateLimitConfig::new(2, Duration::from_secs(1), 8)?, ManualClock::new());
    /// let _ = (limiter.check(5), limiter.check(5));
    /// assert_eq!(limiter.check(5).unwrap_err().wait(), Duration::from_millis(500));
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub const fn wait(self) -> Duration {
        self.wait
    }

    /// The `Retry-After` value (RFC 9110 §10.2.3): the wait in whole seconds, rounded up,
    /// and at least 1 so a client never retries at once.
    ///
    /// ```
    /// # use jwsgate::ratelimit::{ManualClock, RateLimitConfig, RateLimiter};
    /// # use std::time::Duration;
    /// # let limiter = RateLimiter::with_clock(
    /// #     RateLimitConfig::new(2, Duration::from_secs(1), 8)?, ManualClock::new());
    /// let _ = (limiter.check(5), limiter.check(5));
    /// // A 500 ms wait is announced as one second.
    /// assert_eq!(limiter.check(5).unwrap_err().retry_after_secs(), 1);
    /// # Ok::<(), jwsgate::ConfigError>(())
    /// ```
    pub const fn retry_after_secs(self) -> u64 {
        retry_after_secs(self.wait)
    }
}

/// Whole seconds, rounded up, at least 1.
const fn retry_after_secs(wait: Duration) -> u64 {
    let secs = wait.as_secs();
    let secs = if wait.subsec_nanos() > 0 {
        secs.saturating_add(1)
    } else {
        secs
    };
    if secs == 0 { 1 } else { secs }
}

impl fmt::Display for Limited {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rate limited; retry after {} s", self.retry_after_secs())
    }
}

impl std::error::Error for Limited {}

impl From<Limited> for Error {
    fn from(limited: Limited) -> Error {
        Error::RateLimited {
            retry_after_secs: limited.retry_after_secs(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remaining_saturates_at_u32_max() {
        let past_u32 = u64::from(u32::MAX) + 1;
        assert_eq!(Allowed::new(past_u32, 1).remaining(), u32::MAX);
        assert_eq!(Allowed::new(u64::MAX, 1).remaining(), u32::MAX);
        assert_eq!(
            Allowed::new(u64::from(u32::MAX) - 1, 1).remaining(),
            u32::MAX - 1
        );
        assert_eq!(Allowed::new(12, 4).remaining(), 3);
    }

    #[test]
    fn retry_after_rounds_up_to_at_least_one_second() {
        let cases = [
            (Duration::from_nanos(1), 1),
            (Duration::from_millis(999), 1),
            (Duration::from_secs(1), 1),
            (Duration::from_nanos(1_000_000_001), 2),
            (Duration::from_secs(59) + Duration::from_millis(1), 60),
            (Duration::ZERO, 1),
            (Duration::MAX, u64::MAX),
        ];
        for (wait, secs) in cases {
            assert_eq!(retry_after_secs(wait), secs, "{wait:?}");
        }
    }

    #[test]
    fn converts_to_the_429_error() {
        let e = Error::from(Limited::from_nanos(1_500_000_000));
        assert_eq!(
            e,
            Error::RateLimited {
                retry_after_secs: 2
            }
        );
        assert_eq!(e.status(), 429);
        assert_eq!(e.code(), "rate_limited");
        assert_eq!(
            Limited::from_nanos(1).to_string(),
            "rate limited; retry after 1 s"
        );
    }
}
