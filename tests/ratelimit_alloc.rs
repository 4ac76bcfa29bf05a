//! The limiter and the fingerprint allocate nothing after construction, and the
//! limiter's memory does not grow with the number of distinct keys.
//!
//! The counting global allocator (support/count-alloc) sees every heap operation of the
//! process, so this test runs without libtest
//! (`harness = false` in Cargo.toml): the harness's own threads allocate while a test
//! runs, which a process-wide count cannot tell apart.

use std::time::Duration;

use count_alloc::{CountingAllocator, ProcessStats};

use jwsgate::fingerprint::fingerprint;
use jwsgate::ratelimit::{CoarseClock, ManualClock, RateLimitConfig, RateLimiter};
#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn main() {
    a_million_distinct_keys_allocate_nothing_and_grow_nothing();
    // The plain closing line test runners and CI read.
    println!("ratelimit_alloc: 1 passed, 0 failed");
}

fn a_million_distinct_keys_allocate_nothing_and_grow_nothing() {
    const CAPACITY: usize = 4096;
    let config = RateLimitConfig::new(10, Duration::from_secs(60), CAPACITY).unwrap();

    let construction = ProcessStats::now();
    let real = RateLimiter::new(config);
    let manual = RateLimiter::with_clock(config, ManualClock::new());
    let built = ProcessStats::now().since(construction);
    // Two tables of CAPACITY × 8 bytes, and nothing else left allocated.
    assert_eq!(
        built.bytes_allocated - built.bytes_freed,
        2 * CAPACITY as u64 * 8
    );
    assert_eq!(real.memory_bytes(), CAPACITY * 8);

    // The coarse clock's ticker thread runs during the measurement: it must not
    // allocate either.
    let coarse = RateLimiter::with_clock(
        config,
        CoarseClock::new(Duration::from_micros(100)).unwrap(),
    );

    let checking = ProcessStats::now();
    let (mut allowed, mut limited) = (0u64, 0u64);
    for i in 0..1_000_000u64 {
        let key = i.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        for lim_result in [
            real.check(key),
            manual.check(key),
            coarse.check(key),
            real.peek(key),
            coarse.peek(key),
        ] {
            match lim_result {
                Ok(_) => allowed += 1,
                Err(_) => limited += 1,
            }
        }
        if i % 1000 == 0 {
            manual.clock().advance(Duration::from_millis(1));
        }
    }
    let fp = fingerprint(b"eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln");
    let _ = real.check(fp.as_u64());
    let shown = fp.as_str().len() + fp.as_bytes().len();
    let during = ProcessStats::now().since(checking);

    assert_eq!(during.allocations, 0, "{during:?}");
    assert_eq!(during.reallocations, 0, "{during:?}");
    assert_eq!(during.deallocations, 0, "{during:?}");
    assert_eq!(real.memory_bytes(), CAPACITY * 8);
    assert_eq!(manual.memory_bytes(), CAPACITY * 8);
    assert_eq!(coarse.memory_bytes(), CAPACITY * 8);
    // A million keys over 4096 slots: the table is full and refusing.
    assert_eq!(allowed + limited, 3_000_000);
    assert!(limited > allowed, "allowed {allowed}, limited {limited}");
    assert_eq!(shown, 32);
}
