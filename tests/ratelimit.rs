//! The rate limiter's guarantees, through its public API: exact admission under
//! contention, roll-over, independence of keys in distinct slots, and collisions that
//! only ever make a key's limit stricter.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use jwsgate::Error;
use jwsgate::ratelimit::{ManualClock, RateLimitConfig, RateLimiter};
use proptest::prelude::*;

const MINUTE: Duration = Duration::from_secs(60);

fn limiter(limit: u32, window: Duration, capacity: usize) -> RateLimiter<Arc<ManualClock>> {
    let config = RateLimitConfig::new(limit, window, capacity)
        .unwrap()
        .with_seed(0x5eed);
    RateLimiter::with_clock(config, Arc::new(ManualClock::new()))
}

/// The first key after `after` whose slot is `slot` (or differs from it, for `!same`).
fn key_where<C: jwsgate::ratelimit::Clock>(
    limiter: &RateLimiter<C>,
    after: u64,
    pred: impl Fn(usize) -> bool,
) -> u64 {
    // Bounded: a slot map sending every key to one slot must fail here, not hang.
    (after + 1..after + (1 << 20))
        .find(|&k| pred(limiter.slot_of(k)))
        .expect("no key in 2^20 lands where asked")
}

fn admitted<C: jwsgate::ratelimit::Clock>(limiter: &RateLimiter<C>, key: u64, tries: u32) -> u32 {
    (0..tries).filter(|_| limiter.check(key).is_ok()).count() as u32
}

#[test]
fn threads_hammering_one_key_admit_exactly_the_limit() {
    const LIMIT: u32 = 64;
    const THREADS: usize = 4;
    const TRIES_PER_THREAD: u32 = 100;
    let lim = limiter(LIMIT, MINUTE, 1024);
    for round in 0..200u64 {
        let key = round % 3;
        let total = AtomicU32::new(0);
        std::thread::scope(|s| {
            for _ in 0..THREADS {
                s.spawn(|| {
                    let mine = admitted(&lim, key, TRIES_PER_THREAD);
                    total.fetch_add(mine, Ordering::Relaxed);
                });
            }
        });
        assert_eq!(total.load(Ordering::Relaxed), LIMIT, "round {round}");
        // The next round starts a whole window later: every key's budget is whole again.
        lim.clock().advance(MINUTE);
    }
}

#[test]
fn the_budget_rolls_over_with_the_window() {
    let lim = limiter(10, MINUTE, 64);
    let clock = lim.clock();
    for left in (0..10).rev() {
        assert_eq!(lim.check(1).unwrap().remaining(), left);
    }
    let limited = lim.check(1).unwrap_err();
    assert_eq!(limited.wait(), Duration::from_secs(6));
    assert_eq!(limited.retry_after_secs(), 6);

    // One check comes back per interval (6 s), not all at once.
    clock.advance(Duration::from_millis(5_500));
    let limited = lim.check(1).unwrap_err();
    assert_eq!(limited.wait(), Duration::from_millis(500));
    assert_eq!(limited.retry_after_secs(), 1);
    clock.advance(Duration::from_millis(500));
    assert_eq!(lim.check(1).unwrap().remaining(), 0);
    assert!(lim.check(1).is_err());

    // A full window after the last admission, the whole burst is back, and no more.
    clock.advance(MINUTE);
    assert_eq!(admitted(&lim, 1, 100), 10);
}

#[test]
fn limit_not_dividing_the_window_errs_on_the_strict_side() {
    // 3 per second: interval 333_333_334 ns, so 3 per second at most, ever.
    let lim = limiter(3, Duration::from_secs(1), 64);
    let clock = lim.clock();
    let mut total = 0;
    for _ in 0..1000 {
        total += admitted(&lim, 9, 10);
        clock.advance(Duration::from_millis(10));
    }
    // 10 s of hammering: the burst of 3 plus at most 3 per second after it.
    assert!(total <= 3 + 30, "{total}");
    assert!(total >= 3 + 29, "{total}");
}

#[test]
fn keys_in_distinct_slots_are_independent() {
    let lim = limiter(5, MINUTE, 1024);
    let a = 1;
    let b = key_where(&lim, a, |s| s != lim.slot_of(a));
    let c = key_where(&lim, b, |s| s != lim.slot_of(a) && s != lim.slot_of(b));
    assert_eq!(admitted(&lim, a, 50), 5);
    assert_eq!(lim.check(b).unwrap().remaining(), 4);
    assert_eq!(admitted(&lim, c, 50), 5);
    assert_eq!(admitted(&lim, b, 50), 4);
}

#[test]
fn colliding_keys_share_one_budget_and_never_exceed_it() {
    let lim = limiter(10, MINUTE, 8);
    let a = 100;
    let b = key_where(&lim, a, |s| s == lim.slot_of(a));
    let c = key_where(&lim, b, |s| s == lim.slot_of(a));
    assert_ne!(a, b);

    // a spends 7; b, sharing the slot, is left only 3: stricter, as promised.
    assert_eq!(admitted(&lim, a, 7), 7);
    assert_eq!(lim.check(b).unwrap().remaining(), 2);
    assert_eq!(admitted(&lim, b, 50), 2);
    assert!(lim.check(a).is_err());
    assert!(lim.check(c).is_err());

    // Interleaving many colliding keys over time never lets any one key (nor all of
    // them together) beyond 10 in a burst plus one per 6 s.
    lim.clock().advance(MINUTE);
    let mut per_key = HashMap::new();
    for step in 0..600u64 {
        for key in [a, b, c] {
            if lim.check(key).is_ok() {
                *per_key.entry(key).or_insert(0u64) += 1;
            }
        }
        let _ = step;
        lim.clock().advance(Duration::from_millis(100));
    }
    let total: u64 = per_key.values().sum();
    // 60 s elapsed: 10 (burst) + 60 / 6 refills.
    assert!(total <= 10 + 10, "{per_key:?}");
}

#[test]
fn a_single_slot_table_is_one_shared_budget() {
    let lim = limiter(4, MINUTE, 1);
    let allowed: u32 = (0..1000u64).map(|k| admitted(&lim, k, 1)).sum();
    assert_eq!(allowed, 4);
}

#[test]
fn refusal_converts_to_a_429_with_retry_after() {
    let lim = limiter(1, Duration::from_millis(1500), 16);
    lim.check(3).unwrap();
    let err: Error = lim.check(3).unwrap_err().into();
    assert_eq!(
        err,
        Error::RateLimited {
            retry_after_secs: 2
        }
    );
    assert_eq!((err.status(), err.code()), (429, "rate_limited"));
}

#[test]
fn the_real_clock_works_end_to_end() {
    let config = RateLimitConfig::new(3, Duration::from_secs(3600), 64).unwrap();
    let lim = RateLimiter::new(config);
    assert_eq!(admitted(&lim, 42, 10), 3);
    let limited = lim.check(42).unwrap_err();
    assert!(limited.wait() <= Duration::from_secs(1200));
    assert!(limited.wait() > Duration::from_secs(1190));
    assert_eq!(limited.retry_after_secs(), 1200);
}

proptest! {
    /// Whatever keys collide and whenever checks come, the checks admitted for each key
    /// are ones that key alone would have been admitted: replayed at the same instants
    /// into a limiter holding only that key, every one of them is admitted again.
    #[test]
    fn every_key_alone_would_have_been_admitted(
        seed in any::<u64>(),
        capacity in 1usize..6,
        limit in 1u32..5,
        ops in prop::collection::vec((0u64..12, 0u64..400), 1..300),
    ) {
        let window = Duration::from_secs(1);
        let config = RateLimitConfig::new(limit, window, capacity).unwrap().with_seed(seed);
        let shared = RateLimiter::with_clock(config, Arc::new(ManualClock::new()));
        let mut admitted_at: HashMap<u64, Vec<u64>> = HashMap::new();
        let mut now_ms = 0;
        for (key, advance_ms) in ops {
            now_ms += advance_ms;
            shared.clock().set(Duration::from_millis(now_ms));
            if shared.check(key).is_ok() {
                admitted_at.entry(key).or_default().push(now_ms);
            }
        }
        for (key, times) in admitted_at {
            let alone = RateLimiter::with_clock(config, Arc::new(ManualClock::new()));
            for t in times {
                alone.clock().set(Duration::from_millis(t));
                prop_assert!(alone.check(key).is_ok(), "key {} admitted at {} ms beyond its own limit", key, t);
            }
        }
    }
}

/// The read-only check a server makes before signature work: it never spends budget,
/// agrees with what `check` would answer, and sees a key limited once failures were
/// recorded with `check`.
#[test]
fn peek_is_read_only_and_agrees_with_check() {
    let lim = limiter(10, MINUTE, 64);
    for _ in 0..1000 {
        assert_eq!(lim.peek(7).unwrap().remaining(), 9);
    }
    // Ten recorded failures; the peek before each one admits it.
    for left in (0..10).rev() {
        assert!(lim.peek(7).is_ok());
        assert_eq!(lim.check(7).unwrap().remaining(), left);
    }
    // The 11th attempt is refused by the peek alone, with the wait check would give.
    let limited = lim.peek(7).unwrap_err();
    assert_eq!(limited, lim.check(7).unwrap_err());
    assert_eq!(limited.retry_after_secs(), 6);
    // Peeking a limited key for a while does not push its wait further out.
    for _ in 0..1000 {
        assert!(lim.peek(7).is_err());
    }
    lim.clock().advance(Duration::from_secs(6));
    assert_eq!(lim.peek(7).unwrap().remaining(), 0);
    // Another key (in another slot) is untouched throughout.
    let other = key_where(&lim, 7, |s| s != lim.slot_of(7));
    assert_eq!(lim.peek(other).unwrap().remaining(), 9);
}
