//! Group `keyswap`: reading the current key set, and verifying while it is replaced.
//!
//! `cargo bench -p jwsgate-bench --bench keyswap`.
//!
//! * `keystore_load` vs `rwlock_read`: one `KeyStore::load()` (arc-swap) against one read
//!   of an `RwLock<Arc<KeySet>>`, the baseline a server might write first; each reads the
//!   set once (`supported_algorithms`).
//! * `verify_ES256`: a full ES256 verify through a `KeyStore` (`.key_store(..)`).
//! * `.../swapping`: the same while another thread builds a new key set (from the five
//!   keys parsed once) and swaps it in, into both the store and the lock, every
//!   millisecond.

mod common;

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use common::{AUD, Case, ISS, Keys, LEEWAY_SECS, SCOPE};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jwsgate::{Algorithm, KeySet, KeyStore, PublicKey, Verifier};

fn keyswap(c: &mut Criterion) {
    let keys = Keys::fixed();
    // The keys are parsed and validated once; a swap builds a new set from clones of
    // them, so the swapping thread measures the readers' side of a refresh, not the
    // cost of validating points (which would keep a whole core busy here).
    let parsed: Vec<PublicKey> = keys.key_set().iter().cloned().collect();
    let load = || KeySet::from_keys(parsed.clone()).unwrap();
    let store = Arc::new(KeyStore::new(load()));
    let lock = RwLock::new(Arc::new(load()));
    let case = Case::new(&keys, Algorithm::ES256);
    case.assert_sound();
    let verifier = Verifier::builder()
        .key_store(Arc::clone(&store))
        .issuer(ISS)
        .audience(AUD)
        .leeway(LEEWAY_SECS)
        .require_type("at+jwt")
        .require_scope(SCOPE)
        .build()
        .unwrap();
    let mut scratch = verifier.new_scratch();
    assert!(
        verifier
            .verify(&mut scratch, case.token.as_bytes(), case.now)
            .is_ok()
    );
    assert!(
        verifier
            .verify(&mut scratch, case.tampered.as_bytes(), case.now)
            .is_err()
    );

    let mut g = c.benchmark_group("keyswap");
    g.throughput(Throughput::Elements(1));
    let mut run = |g: &mut criterion::BenchmarkGroup<'_, _>, suffix: &str| {
        g.bench_function(format!("keystore_load{suffix}"), |b| {
            b.iter(|| black_box(store.load().supported_algorithms()))
        });
        g.bench_function(format!("rwlock_read{suffix}"), |b| {
            b.iter(|| black_box(lock.read().unwrap().supported_algorithms()))
        });
        g.bench_function(format!("verify_ES256{suffix}"), |b| {
            b.iter(|| {
                assert!(
                    verifier
                        .verify(&mut scratch, black_box(case.token.as_bytes()), case.now)
                        .is_ok()
                )
            })
        });
    };
    run(&mut g, "");

    let stop = AtomicBool::new(false);
    let swaps = AtomicU64::new(0);
    std::thread::scope(|s| {
        s.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(1));
                store.store(load());
                *lock.write().unwrap() = Arc::new(load());
                swaps.fetch_add(1, Ordering::Relaxed);
            }
        });
        run(&mut g, "/swapping");
        stop.store(true, Ordering::Relaxed);
    });
    g.finish();
    println!(
        "keyswap: {} key-set swaps into each of the store and the lock during the /swapping runs",
        swaps.load(Ordering::Relaxed)
    );
}

criterion_group! {
    name = benches;
    config = common::criterion_config();
    targets = keyswap
}
criterion_main!(benches);
