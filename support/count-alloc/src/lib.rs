//! Test support for jwsgate's zero-allocation tests: a global allocator that counts the
//! allocations made by the current thread.
//!
//! It is a crate of its own so that every allocation test of jwsgate counts the same way,
//! and so that the only `unsafe` of the repository sits outside the library. The unsafe
//! code here only forwards to `std::alloc::System` and bumps a thread-local counter.
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOC: count_alloc::CountingAllocator = count_alloc::CountingAllocator;
//! let (value, allocations) = count_alloc::count(|| work());
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Process-wide counts, for tests that must see other threads too (run them with
/// `harness = false`: libtest's own threads allocate).
static PROCESS: [AtomicU64; 5] = [const { AtomicU64::new(0) }; 5];
const ALLOCS: usize = 0;
const DEALLOCS: usize = 1;
const REALLOCS: usize = 2;
const BYTES_ALLOCATED: usize = 3;
const BYTES_FREED: usize = 4;

fn add(counter: usize, n: usize) {
    if let Some(c) = PROCESS.get(counter) {
        c.fetch_add(n as u64, Relaxed);
    }
}

thread_local! {
    // `const` initialisation and a type without `Drop`: touching it never allocates.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn bump() {
    // `try_with` fails only while the thread is being torn down: nothing to count then.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

/// Forwards to the system allocator and counts `alloc`, `alloc_zeroed` and `realloc`
/// calls per thread.
#[derive(Debug, Clone, Copy, Default)]
pub struct CountingAllocator;

// SAFETY: every method forwards its arguments unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the counter is a thread-local `Cell` that never allocates.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump();
        add(ALLOCS, 1);
        add(BYTES_ALLOCATED, layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        bump();
        add(ALLOCS, 1);
        add(BYTES_ALLOCATED, layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        add(DEALLOCS, 1);
        add(BYTES_FREED, layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        bump();
        add(REALLOCS, 1);
        add(BYTES_ALLOCATED, new_size);
        add(BYTES_FREED, layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// The number of allocations the current thread has made so far.
pub fn allocations() -> u64 {
    ALLOCATIONS.try_with(Cell::get).unwrap_or(0)
}

/// Runs `f` and returns its value with the number of allocations it made on this thread
/// (counted only when `CountingAllocator` is the global allocator).
pub fn count<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let before = allocations();
    let value = f();
    (value, allocations() - before)
}

/// Heap operations of the whole process, all threads together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProcessStats {
    /// `alloc` and `alloc_zeroed` calls.
    pub allocations: u64,
    /// `dealloc` calls.
    pub deallocations: u64,
    /// `realloc` calls.
    pub reallocations: u64,
    /// Bytes handed out (a `realloc` counts its new size).
    pub bytes_allocated: u64,
    /// Bytes given back (a `realloc` counts its old size).
    pub bytes_freed: u64,
}

impl ProcessStats {
    /// The counts so far.
    pub fn now() -> ProcessStats {
        let get = |i: usize| PROCESS.get(i).map_or(0, |c| c.load(Relaxed));
        ProcessStats {
            allocations: get(ALLOCS),
            deallocations: get(DEALLOCS),
            reallocations: get(REALLOCS),
            bytes_allocated: get(BYTES_ALLOCATED),
            bytes_freed: get(BYTES_FREED),
        }
    }

    /// What happened since `earlier`.
    pub fn since(self, earlier: ProcessStats) -> ProcessStats {
        ProcessStats {
            allocations: self.allocations - earlier.allocations,
            deallocations: self.deallocations - earlier.deallocations,
            reallocations: self.reallocations - earlier.reallocations,
            bytes_allocated: self.bytes_allocated - earlier.bytes_allocated,
            bytes_freed: self.bytes_freed - earlier.bytes_freed,
        }
    }
}
