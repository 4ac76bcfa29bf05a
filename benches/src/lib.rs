//! Helpers shared by the criterion benches in `benches/` (see ../BENCHMARKS.md).
//!
//! Plain `std`: no bench framework types, so every bench file can use them.
#![forbid(unsafe_code)]

use std::sync::Barrier;
use std::time::{Duration, Instant};

/// Runs `work(thread_index)` on `threads` threads released together, and returns the
/// wall time from their common start until the last one finished. For criterion's
/// `iter_custom`: with each thread doing `iters` operations, the reported time per
/// iteration is the latency of one operation while all threads contend.
///
/// ```
/// let elapsed = jwsgate_bench::contended(2, |t| assert!(t < 2));
/// assert!(elapsed.as_secs() < 60);
/// ```
pub fn contended<F>(threads: usize, work: F) -> Duration
where
    F: Fn(usize) + Sync,
{
    let start_line = Barrier::new(threads + 1);
    let finish_line = Barrier::new(threads + 1);
    std::thread::scope(|s| {
        for t in 0..threads {
            let (work, start_line, finish_line) = (&work, &start_line, &finish_line);
            s.spawn(move || {
                start_line.wait();
                work(t);
                finish_line.wait();
            });
        }
        start_line.wait();
        let start = Instant::now();
        finish_line.wait();
        start.elapsed()
    })
}

/// `n` distinct, well-spread `u64` keys (SplitMix64 from `seed`), e.g. stand-ins for
/// token fingerprints.
///
/// ```
/// let keys = jwsgate_bench::keys(4, 1);
/// assert_eq!(keys.len(), 4);
/// assert_ne!(keys[0], keys[1]);
/// ```
pub fn keys(n: usize, seed: u64) -> Vec<u64> {
    let mut state = seed;
    (0..n)
        .map(|_| {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        })
        .collect()
}
