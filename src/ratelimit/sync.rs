//! The atomics the limiter's table is made of: `core`'s, or loom's under `cfg(loom)` so a
//! loom model explores every interleaving of the compare-and-swap update
//! (`tests/ratelimit_loom.rs`). Nothing else in the limiter names an atomic type directly.

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicU64, Ordering};

#[cfg(not(loom))]
pub(crate) use core::sync::atomic::{AtomicU64, Ordering};
