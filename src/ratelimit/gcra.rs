//! The generic cell rate algorithm on one slot: the only code that writes the table.
//!
//! A slot holds a theoretical arrival time (TAT) in nanoseconds since the clock's origin:
//! the instant by which everything admitted through the slot would have drained at one
//! check per `interval`. Zero, the initial value, is "nothing owed". A check at `now` is
//! admitted when `max(TAT, now) + interval ≤ now + burst` (`burst = limit × interval`),
//! and then moves TAT to `max(TAT, now) + interval` with one compare-and-swap. A refused
//! check writes nothing, so hammering a limited key only reads its cache line.

use super::decision::{Allowed, Limited};
use super::sync::{AtomicU64, Ordering};

/// The admission rule of one limiter, in nanoseconds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Gcra {
    /// Cost of one admitted check: `window / limit`, rounded up.
    pub(crate) interval_ns: u64,
    /// How far ahead of `now` the TAT may run: `limit × interval`.
    pub(crate) burst_ns: u64,
}

impl Gcra {
    /// Admits or refuses one check at `now` against `slot`.
    ///
    /// Lock-free: the CAS fails when another thread changed the slot in between, that
    /// is when some check made progress (or spuriously, on LL/SC processors); the retry
    /// re-decides on the fresh value.
    /// Every admitted check advances the TAT by a full interval from the value it
    /// replaced, so concurrent admissions can never reuse the same budget.
    ///
    /// Relaxed ordering is enough: the slot publishes no other memory, and the
    /// read-modify-writes of one atomic are totally ordered whatever the ordering.
    #[inline]
    pub(crate) fn check(&self, slot: &AtomicU64, now: u64) -> Result<Allowed, Limited> {
        // 2^64 ns is 584 years of uptime; should a clock ever get there, refuse
        // rather than wrap (fail closed). Below it, a TAT saturating at u64::MAX is
        // above the horizon and so refused too.
        let horizon = match now.checked_add(self.burst_ns) {
            Some(horizon) if horizon < u64::MAX => horizon,
            _ => return Err(Limited::from_nanos(self.interval_ns)),
        };
        let mut current = slot.load(Ordering::Relaxed);
        loop {
            let tat = current.max(now).saturating_add(self.interval_ns);
            if tat > horizon {
                return Err(Limited::from_nanos(tat - horizon));
            }
            match slot.compare_exchange_weak(current, tat, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => {
                    return Ok(Allowed::new(horizon - tat, self.interval_ns));
                }
                Err(actual) => current = actual,
            }
        }
    }

    /// Would a check at `now` be admitted? The same decision as [`Gcra::check`] on the
    /// slot's present value, with one load and no write: asking never spends budget.
    ///
    /// A racing admission may spend the last check between this answer and the caller's
    /// next step; callers use it to refuse early ("already limited"), never to reserve.
    #[inline]
    pub(crate) fn peek(&self, slot: &AtomicU64, now: u64) -> Result<Allowed, Limited> {
        let horizon = match now.checked_add(self.burst_ns) {
            Some(horizon) if horizon < u64::MAX => horizon,
            _ => return Err(Limited::from_nanos(self.interval_ns)),
        };
        let tat = slot
            .load(Ordering::Relaxed)
            .max(now)
            .saturating_add(self.interval_ns);
        if tat > horizon {
            Err(Limited::from_nanos(tat - horizon))
        } else {
            Ok(Allowed::new(horizon - tat, self.interval_ns))
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    const SEC: u64 = 1_000_000_000;

    /// 10 per 60 s: interval 6 s, burst 60 s.
    const TEN_PER_MINUTE: Gcra = Gcra {
        interval_ns: 6 * SEC,
        burst_ns: 60 * SEC,
    };

    #[test]
    fn a_burst_of_limit_then_one_per_interval() {
        let slot = AtomicU64::new(0);
        let g = TEN_PER_MINUTE;
        for i in 0..10 {
            assert_eq!(g.check(&slot, 0).map(Allowed::remaining), Ok(9 - i));
        }
        assert_eq!(g.check(&slot, 0), Err(Limited::from_nanos(6 * SEC)));
        assert_eq!(g.check(&slot, 5 * SEC), Err(Limited::from_nanos(SEC)));
        assert_eq!(g.check(&slot, 6 * SEC).map(Allowed::remaining), Ok(0));
        assert!(g.check(&slot, 6 * SEC).is_err());
        // A whole window later the full burst is back.
        assert_eq!(g.check(&slot, 66 * SEC).map(Allowed::remaining), Ok(9));
    }

    #[test]
    fn refusals_do_not_write() {
        let slot = AtomicU64::new(0);
        let g = TEN_PER_MINUTE;
        for _ in 0..10 {
            assert!(g.check(&slot, 0).is_ok());
        }
        let full = slot.load(Ordering::Relaxed);
        for _ in 0..100 {
            assert!(g.check(&slot, 0).is_err());
        }
        assert_eq!(slot.load(Ordering::Relaxed), full);
    }

    #[test]
    fn peek_answers_as_check_would_and_writes_nothing() {
        let slot = AtomicU64::new(0);
        let g = TEN_PER_MINUTE;
        for i in 0..10 {
            assert_eq!(g.peek(&slot, 0).map(Allowed::remaining), Ok(9 - i));
            let before = slot.load(Ordering::Relaxed);
            // Peeking any number of times spends nothing.
            for _ in 0..5 {
                assert!(g.peek(&slot, 0).is_ok());
            }
            assert_eq!(slot.load(Ordering::Relaxed), before);
            assert_eq!(g.peek(&slot, 0), g.check(&slot, 0));
        }
        let full = slot.load(Ordering::Relaxed);
        assert_eq!(g.peek(&slot, 0), Err(Limited::from_nanos(6 * SEC)));
        assert_eq!(g.peek(&slot, 5 * SEC), Err(Limited::from_nanos(SEC)));
        assert_eq!(slot.load(Ordering::Relaxed), full);
        assert_eq!(g.peek(&slot, 6 * SEC).map(Allowed::remaining), Ok(0));
        assert!(g.peek(&slot, u64::MAX).is_err());
    }

    #[test]
    fn the_end_of_time_fails_closed() {
        let g = TEN_PER_MINUTE;
        let slot = AtomicU64::new(0);
        assert!(g.check(&slot, u64::MAX).is_err());
        assert!(g.check(&slot, u64::MAX - SEC).is_err());
        let slot = AtomicU64::new(u64::MAX - 1);
        assert!(g.check(&slot, u64::MAX - 61 * SEC).is_err());
        assert_eq!(slot.load(Ordering::Relaxed), u64::MAX - 1);
        let slot = AtomicU64::new(0);
        assert!(g.check(&slot, u64::MAX - 61 * SEC).is_ok());
    }

    #[test]
    fn a_horizon_of_exactly_u64_max_is_refused_and_one_below_admitted() {
        let g = TEN_PER_MINUTE;
        // now + burst == u64::MAX: the horizon a saturated TAT would reach, so refused.
        let at_limit = u64::MAX - 60 * SEC;
        let slot = AtomicU64::new(0);
        assert!(g.peek(&slot, at_limit).is_err());
        assert!(g.check(&slot, at_limit).is_err());
        assert_eq!(slot.load(Ordering::Relaxed), 0);
        assert!(g.peek(&slot, at_limit - 1).is_ok());
        assert!(g.check(&slot, at_limit - 1).is_ok());
    }
}
