//! A clock read from memory: a background thread stores the monotonic time every tick,
//! so a check pays one atomic load instead of a clock read.
//!
//! `Instant::now()` costs about 20 ns even through the vDSO, most of a check's cost;
//! rate limiting over seconds needs millisecond precision at most.

use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;
use std::io;
use std::sync::{Arc, Weak};
use std::time::Instant;

use super::clock::{Clock, duration_nanos};

/// Finest tick accepted: 100 µs. A finer one would spend a core on waking up.
pub const MIN_COARSE_RESOLUTION: Duration = Duration::from_micros(100);

/// Coarsest tick accepted: 1 s.
pub const MAX_COARSE_RESOLUTION: Duration = Duration::from_secs(1);

/// A monotonic clock ticking every `resolution`, read with a single atomic load.
///
/// One background thread (`jwsgate-clock`) per clock (shared by its clones) stores
/// `Instant::now()` each tick; it stops within one tick of the last clone's drop.
/// Readings lag real time by up to one tick, longer if the thread is not scheduled:
/// a limiter then sees time move slower and is stricter for that while (budgets refill
/// later), and Retry-After may read a tick high. Bursts are bounded exactly as with
/// [`super::InstantClock`].
///
/// ```
/// use jwsgate::ratelimit::{Clock, CoarseClock, RateLimitConfig, RateLimiter};
/// use std::time::Duration;
///
/// let clock = CoarseClock::new(Duration::from_millis(1))?;
/// let config = RateLimitConfig::new(10, Duration::from_secs(60), 65_536)?;
/// let limiter = RateLimiter::with_clock(config, clock);
/// assert!(limiter.check(1).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct CoarseClock {
    shared: Arc<Shared>,
    resolution: Duration,
}

#[derive(Debug)]
struct Shared {
    origin: Instant,
    nanos: AtomicU64,
}

impl Shared {
    fn tick(&self) {
        let now = duration_nanos(Instant::now().saturating_duration_since(self.origin));
        self.nanos.fetch_max(now, Ordering::Relaxed);
    }
}

impl CoarseClock {
    /// Starts a clock ticking every `resolution`, with its origin now.
    ///
    /// # Errors
    /// `InvalidInput` when `resolution` is outside
    /// [`MIN_COARSE_RESOLUTION`]..=[`MAX_COARSE_RESOLUTION`]; the operating system's
    /// error when the thread cannot be started.
    ///
    /// ```
    /// use jwsgate::ratelimit::CoarseClock;
    /// use std::time::Duration;
    /// assert!(CoarseClock::new(Duration::from_millis(1)).is_ok());
    /// assert!(CoarseClock::new(Duration::ZERO).is_err());
    /// ```
    pub fn new(resolution: Duration) -> io::Result<CoarseClock> {
        if !(MIN_COARSE_RESOLUTION..=MAX_COARSE_RESOLUTION).contains(&resolution) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "coarse clock resolution outside 100 µs ..= 1 s",
            ));
        }
        let shared = Arc::new(Shared {
            origin: Instant::now(),
            nanos: AtomicU64::new(0),
        });
        // The thread starts with a strong reference and trades it for a weak one, so
        // the clock stops when its last handle goes.
        let strong = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("jwsgate-clock".into())
            .spawn(move || {
                let weak: Weak<Shared> = Arc::downgrade(&strong);
                drop(strong);
                // No allocation in the loop: upgrading a Weak only counts references.
                loop {
                    std::thread::sleep(resolution);
                    match weak.upgrade() {
                        Some(shared) => shared.tick(),
                        None => break,
                    }
                }
            })?;
        // Return only once the thread has started and let go of its strong reference:
        // every allocation and deallocation of starting it then happens in here.
        while Arc::strong_count(&shared) > 1 {
            std::thread::yield_now();
        }
        Ok(CoarseClock { shared, resolution })
    }

    /// The tick.
    ///
    /// ```
    /// use jwsgate::ratelimit::CoarseClock;
    /// use std::time::Duration;
    /// let clock = CoarseClock::new(Duration::from_millis(2))?;
    /// assert_eq!(clock.resolution(), Duration::from_millis(2));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn resolution(&self) -> Duration {
        self.resolution
    }
}

impl Clock for CoarseClock {
    #[inline]
    fn now_nanos(&self) -> u64 {
        self.shared.nanos.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_forward_and_stops_with_its_last_handle() {
        let clock = CoarseClock::new(MIN_COARSE_RESOLUTION).unwrap();
        let weak = Arc::downgrade(&clock.shared);
        let start = clock.now_nanos();
        let deadline = Instant::now() + Duration::from_secs(10);
        while clock.now_nanos() == start {
            assert!(Instant::now() < deadline, "the clock never ticked");
            std::thread::sleep(Duration::from_millis(1));
        }
        let a = clock.now_nanos();
        std::thread::sleep(Duration::from_millis(5));
        assert!(clock.now_nanos() >= a);
        drop(clock);
        // The ticker holds a strong reference only for the instant of a tick.
        while weak.upgrade().is_some() {
            assert!(Instant::now() < deadline, "the ticker kept the clock alive");
            std::thread::yield_now();
        }
    }

    #[test]
    fn resolution_is_the_tick_asked_for() {
        let tick = Duration::from_millis(3);
        assert_eq!(CoarseClock::new(tick).unwrap().resolution(), tick);
    }

    #[test]
    fn resolution_is_bounded() {
        assert!(CoarseClock::new(Duration::from_micros(99)).is_err());
        assert!(CoarseClock::new(Duration::from_millis(1001)).is_err());
        let err = CoarseClock::new(Duration::ZERO).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }
}
