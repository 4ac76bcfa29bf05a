//! What a fleet check answers when it refuses, and the limiter's counters.

use core::fmt;
use core::time::Duration;

use crate::error::Error;
use crate::ratelimit::Limited;

/// Why a fleet check was refused.
///
/// `Limited` is the 429 of the local limiter, whichever tier refused; `Unavailable` is a
/// fail-closed limiter that could not ask Redis: the HTTP layer answers 503 with its
/// `Retry-After`. Both carry [`FleetRefusal::status`] and
/// [`FleetRefusal::retry_after_secs`], so the layer answers either without matching.
///
/// ```
/// use jwsgate::fleet_limit::FleetRefusal;
/// # fn answer(refusal: FleetRefusal) -> (u16, String) {
/// (refusal.status(), refusal.retry_after_secs().to_string())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FleetRefusal {
    /// Over the limit (the local tier's or the fleet's): 429 + `Retry-After`.
    Limited(Limited),
    /// Fail-closed and Redis could not answer: 503 + `Retry-After`.
    Unavailable(Unavailable),
}

impl FleetRefusal {
    /// The HTTP status: 429 for [`FleetRefusal::Limited`], 503 for
    /// [`FleetRefusal::Unavailable`].
    ///
    /// ```
    /// use jwsgate::fleet_limit::{FleetRefusal, Unavailable};
    /// use std::time::Duration;
    /// let r = FleetRefusal::Unavailable(Unavailable::after(Duration::from_millis(300)));
    /// assert_eq!((r.status(), r.retry_after_secs()), (503, 1));
    /// ```
    pub const fn status(&self) -> u16 {
        match self {
            FleetRefusal::Limited(_) => 429,
            FleetRefusal::Unavailable(_) => 503,
        }
    }

    /// The `Retry-After` value in whole seconds (rounded up, at least 1).
    ///
    /// ```
    /// use jwsgate::fleet_limit::{FleetRefusal, Unavailable};
    /// use std::time::Duration;
    /// let r = FleetRefusal::Unavailable(Unavailable::after(Duration::from_millis(1500)));
    /// assert_eq!(r.retry_after_secs(), 2);
    /// ```
    pub const fn retry_after_secs(&self) -> u64 {
        match self {
            FleetRefusal::Limited(limited) => limited.retry_after_secs(),
            FleetRefusal::Unavailable(unavailable) => unavailable.retry_after_secs(),
        }
    }

    /// The precise wait behind [`FleetRefusal::retry_after_secs`].
    ///
    /// ```
    /// use jwsgate::fleet_limit::{FleetRefusal, Unavailable};
    /// use std::time::Duration;
    /// let r = FleetRefusal::Unavailable(Unavailable::after(Duration::from_millis(300)));
    /// assert_eq!(r.wait(), Duration::from_millis(300));
    /// ```
    pub const fn wait(&self) -> Duration {
        match self {
            FleetRefusal::Limited(limited) => limited.wait(),
            FleetRefusal::Unavailable(unavailable) => unavailable.wait,
        }
    }

    /// The [`Limited`] refusal, if it is one.
    ///
    /// ```
    /// use jwsgate::fleet_limit::{FleetRefusal, Unavailable};
    /// use std::time::Duration;
    /// let r = FleetRefusal::Unavailable(Unavailable::after(Duration::from_secs(1)));
    /// assert!(r.limited().is_none());
    /// ```
    pub const fn limited(&self) -> Option<Limited> {
        match self {
            FleetRefusal::Limited(limited) => Some(*limited),
            FleetRefusal::Unavailable(_) => None,
        }
    }
}

impl fmt::Display for FleetRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FleetRefusal::Limited(limited) => limited.fmt(f),
            FleetRefusal::Unavailable(unavailable) => unavailable.fmt(f),
        }
    }
}

impl std::error::Error for FleetRefusal {}

impl From<Limited> for FleetRefusal {
    fn from(limited: Limited) -> FleetRefusal {
        FleetRefusal::Limited(limited)
    }
}

/// The shared limit could not be consulted and the policy is fail closed: answer 503 with
/// `Retry-After` (the time until the limiter tries Redis again).
///
/// It becomes [`crate::Error::RateLimiterUnavailable`]: an availability answer of the
/// server, not a verdict on the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unavailable {
    wait: Duration,
}

impl Unavailable {
    /// Unavailable for `wait` (announced as at least one second).
    ///
    /// ```
    /// use jwsgate::fleet_limit::Unavailable;
    /// use std::time::Duration;
    /// assert_eq!(Unavailable::after(Duration::ZERO).retry_after_secs(), 1);
    /// ```
    pub const fn after(wait: Duration) -> Unavailable {
        Unavailable { wait }
    }

    /// The `Retry-After` value: the wait in whole seconds, rounded up, at least 1.
    ///
    /// ```
    /// use jwsgate::fleet_limit::Unavailable;
    /// use std::time::Duration;
    /// assert_eq!(Unavailable::after(Duration::from_millis(2001)).retry_after_secs(), 3);
    /// ```
    pub const fn retry_after_secs(&self) -> u64 {
        let secs = self.wait.as_secs();
        let secs = if self.wait.subsec_nanos() > 0 {
            secs.saturating_add(1)
        } else {
            secs
        };
        if secs == 0 { 1 } else { secs }
    }
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "fleet rate limiter unavailable; retry after {} s",
            self.retry_after_secs()
        )
    }
}

impl std::error::Error for Unavailable {}

/// `Limited` becomes [`Error::RateLimited`] (429), `Unavailable`
/// [`Error::RateLimiterUnavailable`] (503), each with its `Retry-After`.
///
/// ```
/// use jwsgate::Error;
/// use jwsgate::fleet_limit::{FleetRefusal, Unavailable};
/// use std::time::Duration;
/// let r = FleetRefusal::Unavailable(Unavailable::after(Duration::from_millis(400)));
/// assert_eq!(Error::from(r), Error::RateLimiterUnavailable { retry_after_secs: 1 });
/// ```
impl From<FleetRefusal> for Error {
    fn from(refusal: FleetRefusal) -> Error {
        match refusal {
            FleetRefusal::Limited(limited) => Error::from(limited),
            FleetRefusal::Unavailable(unavailable) => Error::RateLimiterUnavailable {
                retry_after_secs: unavailable.retry_after_secs(),
            },
        }
    }
}

/// Counters of one fleet limiter since it was made (a snapshot: [`super::FleetLimiter::stats`]).
///
/// ```
/// let stats = jwsgate::fleet_limit::FleetStats::default();
/// assert_eq!(stats.redis_failures, 0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FleetStats {
    /// Checks that Redis answered (admitted or limited).
    pub redis_answers: u64,
    /// Calls to Redis that failed: an error, a lost connection or a deadline passed
    /// (`timeouts` counts the last kind again). Each starts a retry cooldown.
    pub redis_failures: u64,
    /// Calls or connects that passed their deadline.
    pub timeouts: u64,
    /// Checks answered without asking Redis because it had failed within the cooldown
    /// (or another check was reconnecting).
    pub skipped: u64,
    /// Checks answered by the local tier alone under [`super::FailurePolicy::FailOpen`].
    pub failed_open: u64,
    /// Checks refused 503 under [`super::FailurePolicy::FailClosed`].
    pub failed_closed: u64,
    /// Checks refused by the local tier before any network round trip.
    pub local_refusals: u64,
    /// Times the script was loaded (`SCRIPT LOAD`): once at the first connection, then
    /// once per `NOSCRIPT` (a restarted or flushed Redis).
    pub script_loads: u64,
    /// Connections opened to Redis.
    pub connects: u64,
}
