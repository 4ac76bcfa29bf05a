//! A lock-free rate limiter with memory bounded at construction, for throttling
//! authentication attempts (e.g. 10 per 60 s per token fingerprint, answered with
//! 429 + `Retry-After`).
//!
//! ```
//! use jwsgate::ratelimit::{RateLimitConfig, RateLimiter};
//! use std::time::Duration;
//!
//! let limiter = RateLimiter::new(RateLimitConfig::new(10, Duration::from_secs(60), 65_536)?);
//! let key = jwsgate::fingerprint::fingerprint(b"eyJhbGciOi...").as_u64();
//! match limiter.check(key) {
//!     Ok(allowed) => assert_eq!(allowed.remaining(), 9),
//!     Err(limited) => println!("429, Retry-After: {}", limited.retry_after_secs()),
//! }
//! # Ok::<(), jwsgate::ConfigError>(())
//! ```
//!
//! # Shape
//!
//! * A table of `capacity` `AtomicU64` slots, allocated once by the constructor. A check
//!   hashes its key to one slot and updates that slot with a compare-and-swap: no lock,
//!   no allocation, no eviction, no growth. A million distinct keys (or a billion) use
//!   the same `capacity × 8` bytes.
//! * Keys are `u64`s of the caller's choosing (a [`crate::fingerprint::Fingerprint`], a
//!   client address hash). The slot of a key is a seeded hash; each limiter draws a secret
//!   seed, so a client cannot aim its keys at another key's slot.
//! * Time comes from a [`Clock`]: [`InstantClock`] (`std::time::Instant`, the default),
//!   [`CoarseClock`] (a background thread stores the time every tick, so a check reads
//!   memory instead of the clock: about 20 ns cheaper, millisecond precision), or
//!   [`ManualClock`] in tests.
//!
//! # Algorithm: GCRA, not a packed (window, count) word
//!
//! Each slot holds one theoretical arrival time (TAT) in nanoseconds (the generic cell
//! rate algorithm, a leaky bucket kept as a single timestamp). A key may spend `limit`
//! checks at once, then regains one every `interval = window / limit`. Why GCRA:
//!
//! * **One number, full range.** A packed word must split 64 bits between a window
//!   number and a counter (and handle the window number wrapping); a TAT is one
//!   nanosecond timestamp, good for 584 years, with `limit` up to `u32::MAX`.
//! * **No cliff at window edges.** A fixed window resets every key's count at the same
//!   instant, so a burst at the end of one window is followed by a full second burst at
//!   the start of the next, and every refused client retries at the same moment. GCRA
//!   refills continuously.
//! * **An exact `Retry-After`.** The wait is the time until this key's next check
//!   conforms (one interval at most after a burst), not "until the window ends".
//! * **Refusals write nothing.** A limited check is one load and a compare; an attacker
//!   hammering a limited key does not bounce its cache line between cores.
//!
//! # Collisions are only ever stricter
//!
//! Keys whose hashes land in the same slot share that slot's budget: every check
//! admitted for any of them advances the one TAT. The checks admitted for one key are a
//! subset of the checks admitted through its slot, and the slot's admissions obey the
//! rule a single key obeys (at most `limit` at once, one more per interval); a subset of
//! such a sequence obeys it too. So another key can make a key be refused sooner, never
//! admitted more. There is no reset, eviction or key tag whose overwrite could hand one
//! key's budget to another: the only write is "TAT moves forward by one interval", made
//! by an admission.
//!
//! Sizing: with `n` active keys in `capacity` slots, a key shares its slot with about
//! `n / capacity` others. Size the table for the keys active within one window.
//!
//! # Concurrency
//!
//! The update is a CAS loop on the slot: read the TAT, decide, swap in
//! `max(TAT, now) + interval` only if the slot still holds what was read, else decide
//! again on the fresh value. Concurrent checks of one key at one instant therefore admit
//! exactly `limit` (tested with threads, and with a loom model). The model runs with:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test --release --test ratelimit_loom
//! ```
//!
//! Under `cfg(loom)` the table is made of loom's atomics (the `sync` shim); the loom
//! tests keep to three threads and a preemption bound of 3 so they finish in seconds.
//!
//! # Rounding
//!
//! `interval` is `window / limit` rounded up to the nanosecond, so the refill is never
//! faster than `limit` per `window`; when `limit` does not divide the window, the last
//! check of a burst comes back up to `limit` nanoseconds after the window.

mod clock;
mod coarse_clock;
mod config;
mod decision;
mod gcra;
mod index;
mod limiter;
mod sync;

pub use clock::{Clock, InstantClock, ManualClock};
pub use coarse_clock::{CoarseClock, MAX_COARSE_RESOLUTION, MIN_COARSE_RESOLUTION};
pub use config::{MAX_CAPACITY, MAX_WINDOW, RateLimitConfig};
pub use decision::{Allowed, Limited};
pub use limiter::RateLimiter;
