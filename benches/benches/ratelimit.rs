//! Group `ratelimit`: one check of a keyed rate limiter, admitted path, jwsgate (on its
//! default `InstantClock`, and on a `CoarseClock`) against a `Mutex<HashMap>` fixed window
//! and governor's keyed GCRA (which reads a TSC clock, quanta), on one thread and on two
//! threads sharing one limiter; `instant_now` is the clock floor of the limiters that
//! read `Instant::now()`.
//!
//! `cargo bench -p jwsgate-bench --bench ratelimit`; figures in ../BENCHMARKS.md.
//!
//! Every limiter allows 10^9 checks per second per key, so all checks are admitted and
//! each one writes (the limiter's slow path). Keys cycle through 1024 distinct values;
//! both threads walk the same keys from different offsets, so they meet on the same
//! entries. For the two-thread rows the time is wall time per check per thread.

use std::collections::HashMap;
use std::hint::black_box;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use jwsgate::ratelimit::{CoarseClock, RateLimitConfig, RateLimiter};
use jwsgate_bench::{contended, keys};

const LIMIT: u32 = 1_000_000_000;
const WINDOW: Duration = Duration::from_secs(1);
const KEYS: usize = 1024;
const TABLE: usize = 65_536;

/// The baseline a server might write first: one lock around a map of fixed windows.
struct MutexFixedWindow {
    origin: Instant,
    window_ns: u64,
    limit: u32,
    map: Mutex<HashMap<u64, (u64, u32)>>,
}

impl MutexFixedWindow {
    fn new(limit: u32, window: Duration) -> Self {
        Self {
            origin: Instant::now(),
            window_ns: window.as_nanos() as u64,
            limit,
            map: Mutex::new(HashMap::new()),
        }
    }

    fn check(&self, key: u64) -> bool {
        let window = self.origin.elapsed().as_nanos() as u64 / self.window_ns;
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let entry = map.entry(key).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        if entry.1 < self.limit {
            entry.1 += 1;
            true
        } else {
            false
        }
    }
}

type Check<'a> = &'a (dyn Fn(u64) -> bool + Sync);

fn one_thread(
    c: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    check: Check<'_>,
) {
    let keys = keys(KEYS, 1);
    let mut i = 0usize;
    c.bench_function(BenchmarkId::new(name, "1_thread"), |b| {
        b.iter(|| {
            i = (i + 1) % KEYS;
            black_box(check(black_box(keys[i])))
        })
    });
}

fn two_threads(
    c: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    check: Check<'_>,
) {
    let keys = keys(KEYS, 1);
    c.bench_function(BenchmarkId::new(name, "2_threads"), |b| {
        b.iter_custom(|iters| {
            contended(2, |t| {
                let mut i = t * KEYS / 2;
                for _ in 0..iters {
                    i = (i + 1) % KEYS;
                    black_box(check(black_box(keys[i])));
                }
            })
        })
    });
}

fn ratelimit(c: &mut Criterion) {
    let mut group = c.benchmark_group("ratelimit");

    group.bench_function("instant_now", |b| b.iter(|| black_box(Instant::now())));

    let config = RateLimitConfig::new(LIMIT, WINDOW, TABLE).expect("valid config");
    let jwsgate = RateLimiter::new(config);
    let check = |k| jwsgate.check(k).is_ok();
    one_thread(&mut group, "jwsgate", &check);
    two_threads(&mut group, "jwsgate", &check);

    // The same limiter reading a CoarseClock (1 ms ticks): one atomic load instead of
    // Instant::now().
    let clock = CoarseClock::new(Duration::from_millis(1)).expect("clock thread");
    let coarse = RateLimiter::with_clock(config, clock);
    let check = |k| coarse.check(k).is_ok();
    one_thread(&mut group, "jwsgate_coarse", &check);
    two_threads(&mut group, "jwsgate_coarse", &check);

    let mutex = MutexFixedWindow::new(LIMIT, WINDOW);
    let check = |k| mutex.check(k);
    one_thread(&mut group, "mutex_hashmap", &check);
    two_threads(&mut group, "mutex_hashmap", &check);

    let quota = governor::Quota::per_second(NonZeroU32::new(LIMIT).expect("non-zero"));
    let governor = governor::RateLimiter::<u64, _, _>::keyed(quota);
    let check = |k| governor.check_key(&k).is_ok();
    one_thread(&mut group, "governor_keyed", &check);
    two_threads(&mut group, "governor_keyed", &check);

    group.finish();
}

criterion_group!(benches, ratelimit);
criterion_main!(benches);
