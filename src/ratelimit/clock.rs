//! The monotonic time source the limiter reads: injected, so tests move time by hand.

use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;
use std::sync::Arc;
use std::time::Instant;

/// A monotonic clock: nanoseconds since an origin of the clock's choosing.
///
/// Readings must never decrease. The limiter stores times as nanoseconds since the origin
/// in a `u64`, which lasts 584 years.
///
/// ```
/// use jwsgate::ratelimit::{Clock, ManualClock};
/// use std::time::Duration;
///
/// let clock = ManualClock::new();
/// clock.advance(Duration::from_millis(5));
/// assert_eq!(clock.now_nanos(), 5_000_000);
/// ```
pub trait Clock: Send + Sync {
    /// Nanoseconds elapsed since the clock's origin.
    fn now_nanos(&self) -> u64;
}

/// The real clock: [`std::time::Instant`], with its origin when the clock was made.
///
/// ```
/// use jwsgate::ratelimit::{Clock, InstantClock};
///
/// let clock = InstantClock::new();
/// let a = clock.now_nanos();
/// assert!(clock.now_nanos() >= a);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct InstantClock {
    origin: Instant,
}

impl InstantClock {
    /// A clock whose origin is now.
    ///
    /// ```
    /// let clock = jwsgate::ratelimit::InstantClock::new();
    /// # let _ = clock;
    /// ```
    pub fn new() -> InstantClock {
        InstantClock {
            origin: Instant::now(),
        }
    }
}

impl Default for InstantClock {
    fn default() -> InstantClock {
        InstantClock::new()
    }
}

impl Clock for InstantClock {
    #[inline]
    fn now_nanos(&self) -> u64 {
        // `Instant` subtraction saturates at zero; 2^64 ns is 584 years, so the
        // conversion saturating is never reached in practice.
        duration_nanos(Instant::now().saturating_duration_since(self.origin))
    }
}

/// A clock that moves only when told to: for tests and simulations.
///
/// It starts at zero; [`ManualClock::advance`] and [`ManualClock::set`] move it. Share it
/// with a limiter through an `Arc` (or a reference) to keep a handle on it.
///
/// ```
/// use jwsgate::ratelimit::{ManualClock, RateLimitConfig, RateLimiter};
/// use std::{sync::Arc, time::Duration};
///
/// let clock = Arc::new(ManualClock::new());
/// let config = RateLimitConfig::new(1, Duration::from_secs(10), 64)?;
/// let limiter = RateLimiter::with_clock(config, Arc::clone(&clock));
/// assert!(limiter.check(7).is_ok());
/// assert!(limiter.check(7).is_err());
/// clock.advance(Duration::from_secs(10));
/// assert!(limiter.check(7).is_ok());
/// # Ok::<(), jwsgate::ConfigError>(())
/// ```
#[derive(Debug, Default)]
pub struct ManualClock {
    nanos: AtomicU64,
}

impl ManualClock {
    /// A clock at zero.
    ///
    /// ```
    /// use jwsgate::ratelimit::{Clock, ManualClock};
    /// assert_eq!(ManualClock::new().now_nanos(), 0);
    /// ```
    pub const fn new() -> ManualClock {
        ManualClock {
            nanos: AtomicU64::new(0),
        }
    }

    /// Moves the clock forward by `by` (saturating).
    ///
    /// ```
    /// use jwsgate::ratelimit::{Clock, ManualClock};
    /// use std::time::Duration;
    /// let clock = ManualClock::new();
    /// clock.advance(Duration::from_nanos(3));
    /// clock.advance(Duration::from_nanos(4));
    /// assert_eq!(clock.now_nanos(), 7);
    /// ```
    pub fn advance(&self, by: Duration) {
        let by = duration_nanos(by);
        // fetch_update cannot fail with a closure that always returns Some.
        let _ = self
            .nanos
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                Some(n.saturating_add(by))
            });
    }

    /// Sets the clock to `since_origin`; a value earlier than the present reading is
    /// ignored, so the clock stays monotonic.
    ///
    /// ```
    /// use jwsgate::ratelimit::{Clock, ManualClock};
    /// use std::time::Duration;
    /// let clock = ManualClock::new();
    /// clock.set(Duration::from_secs(2));
    /// clock.set(Duration::from_secs(1));
    /// assert_eq!(clock.now_nanos(), 2_000_000_000);
    /// ```
    pub fn set(&self, since_origin: Duration) {
        self.nanos
            .fetch_max(duration_nanos(since_origin), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    #[inline]
    fn now_nanos(&self) -> u64 {
        self.nanos.load(Ordering::SeqCst)
    }
}

impl<C: Clock + ?Sized> Clock for &C {
    #[inline]
    fn now_nanos(&self) -> u64 {
        (**self).now_nanos()
    }
}

impl<C: Clock + ?Sized> Clock for Arc<C> {
    #[inline]
    fn now_nanos(&self) -> u64 {
        (**self).now_nanos()
    }
}

/// A duration in whole nanoseconds, saturating at `u64::MAX` (584 years).
#[inline]
pub(crate) fn duration_nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instant_clock_is_monotonic() {
        let clock = InstantClock::new();
        let mut last = clock.now_nanos();
        for _ in 0..1000 {
            let now = clock.now_nanos();
            assert!(now >= last);
            last = now;
        }
    }

    #[test]
    fn instant_clock_reads_the_time_elapsed_since_its_origin() {
        let clock = InstantClock::new();
        std::thread::sleep(Duration::from_millis(2));
        // A sleep lasts at least what it was asked for: a lower bound, never flaky.
        assert!(clock.now_nanos() >= 2_000_000);
    }

    #[test]
    fn manual_clock_set_moves_forward_and_never_back() {
        let clock = ManualClock::new();
        clock.set(Duration::from_nanos(40));
        assert_eq!(clock.now_nanos(), 40);
        clock.set(Duration::from_nanos(30));
        assert_eq!(clock.now_nanos(), 40);
    }

    #[test]
    fn references_and_arcs_read_the_clock_they_point_to() {
        let clock = ManualClock::new();
        clock.advance(Duration::from_nanos(7));
        fn read(c: impl Clock) -> u64 {
            c.now_nanos()
        }
        assert_eq!(read(&clock), 7);
        assert_eq!(read(Arc::new(ManualClock::new())), 0);
        let shared = Arc::new(clock);
        assert_eq!(read(Arc::clone(&shared)), 7);
    }

    #[test]
    fn manual_clock_saturates() {
        let clock = ManualClock::new();
        clock.advance(Duration::MAX);
        clock.advance(Duration::from_secs(1));
        assert_eq!(clock.now_nanos(), u64::MAX);
    }
}
