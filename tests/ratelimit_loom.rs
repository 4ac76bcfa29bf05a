//! Loom model of the limiter's compare-and-swap update: every interleaving of
//! concurrent checks of one key admits exactly `limit`, and colliding keys together
//! admit no more than one key alone.
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test --release --test ratelimit_loom
//! ```
//!
//! Bounds are small (three threads, preemption bound 3) so the models run in seconds.
#![cfg(loom)]

use std::time::Duration;

use jwsgate::ratelimit::{ManualClock, RateLimitConfig, RateLimiter};
use loom::sync::Arc;
use loom::sync::atomic::{AtomicU32, Ordering};
use loom::thread;

fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(3);
    builder.check(f);
}

fn limiter(limit: u32, capacity: usize) -> Arc<RateLimiter<ManualClock>> {
    let config = RateLimitConfig::new(limit, Duration::from_secs(60), capacity)
        .unwrap()
        .with_seed(7);
    Arc::new(RateLimiter::with_clock(config, ManualClock::new()))
}

/// Three threads, two checks each, limit 4: exactly 4 admitted whatever the schedule.
#[test]
fn concurrent_checks_of_one_key_admit_exactly_the_limit() {
    model(|| {
        let lim = limiter(4, 4);
        let admitted = Arc::new(AtomicU32::new(0));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let (lim, admitted) = (Arc::clone(&lim), Arc::clone(&admitted));
                thread::spawn(move || {
                    for _ in 0..2 {
                        if lim.check(1).is_ok() {
                            admitted.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                })
            })
            .collect();
        let mut mine = 0;
        for _ in 0..2 {
            if lim.check(1).is_ok() {
                mine += 1;
            }
        }
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(admitted.load(Ordering::Relaxed) + mine, 4);
    });
}

/// Two different keys in a one-slot table race: they share one budget of 2, never 2 each.
#[test]
fn colliding_keys_share_the_budget_under_races() {
    model(|| {
        let lim = limiter(2, 1);
        let other = {
            let lim = Arc::clone(&lim);
            thread::spawn(move || (0..2).filter(|_| lim.check(2).is_ok()).count())
        };
        let mine = (0..2).filter(|_| lim.check(1).is_ok()).count();
        let theirs = other.join().unwrap();
        assert_eq!(mine + theirs, 2);
    });
}

/// A thread peeking while two others spend the budget: peeks never spend (the two
/// spenders still get exactly the limit between them), and a peek that says "limited"
/// is never followed by an admission at the same instant.
#[test]
fn peeks_race_checks_without_spending() {
    model(|| {
        let lim = limiter(2, 4);
        let peeker = {
            let lim = Arc::clone(&lim);
            thread::spawn(move || {
                let first = lim.peek(1).is_ok();
                let second = lim.peek(1).is_ok();
                // Budget only shrinks at a fixed instant: once limited, always limited.
                assert!(first || !second);
            })
        };
        let spender = {
            let lim = Arc::clone(&lim);
            thread::spawn(move || (0..2).filter(|_| lim.check(1).is_ok()).count())
        };
        let mine = (0..2).filter(|_| lim.check(1).is_ok()).count();
        let theirs = spender.join().unwrap();
        peeker.join().unwrap();
        assert_eq!(mine + theirs, 2);
        assert!(lim.peek(1).is_err());
    });
}
