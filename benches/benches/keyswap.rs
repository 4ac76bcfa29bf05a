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
//! * `remote_refresh/...`: an ES256 verify through a `RemoteJwks` (feature `remote`) fed by
//!   a loopback http server, without refreshes and while a task fetches and swaps in a
//!   new set every 100 ms (`refresh_now`: a real HTTP fetch, parse and swap); then an
//!   interleaved run of both prints their throughput ratio (the issue asks >= 0.95).

mod common;

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use common::{AUD, Case, ISS, Keys, LEEWAY_SECS, SCOPE};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jwsgate::{Algorithm, KeySet, KeyStore, PublicKey, Verifier};

fn keyswap(c: &mut Criterion) {
    let keys = Keys::new();
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

/// A minimal JWK Set server on 127.0.0.1 (std only): answers every request with `body`,
/// one connection per request. Runs until the process ends.
fn serve_jwks(body: String) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut conn in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let mut seen = Vec::new();
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                match conn.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/jwk-set+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = conn.write_all(head.as_bytes());
            let _ = conn.write_all(body.as_bytes());
        }
    });
    url
}

fn remote_refresh(c: &mut Criterion) {
    use jwsgate::remote::RemoteJwks;
    use std::time::Instant;

    let keys = Keys::new();
    let case = Case::new(&keys, Algorithm::ES256);
    case.assert_sound();
    let url = serve_jwks(keys.jwks());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let remote = rt
        .block_on(RemoteJwks::builder(&url).allow_insecure_loopback().build())
        .unwrap();
    let verifier = Verifier::builder()
        .remote_jwks(Arc::clone(&remote))
        .issuer(ISS)
        .audience(AUD)
        .leeway(LEEWAY_SECS)
        .require_type("at+jwt")
        .require_scope(SCOPE)
        .build()
        .unwrap();
    let mut scratch = verifier.new_scratch();
    let token = case.token.as_bytes();
    assert!(verifier.verify(&mut scratch, token, case.now).is_ok());

    let refreshing = Arc::new(AtomicBool::new(false));
    let refreshes = Arc::new(AtomicU64::new(0));
    {
        let (remote, refreshing, refreshes) = (
            Arc::clone(&remote),
            Arc::clone(&refreshing),
            Arc::clone(&refreshes),
        );
        rt.spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            loop {
                tick.tick().await;
                if refreshing.load(Ordering::Relaxed) && remote.refresh_now().await.is_ok() {
                    refreshes.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
    }

    let mut g = c.benchmark_group("keyswap");
    g.throughput(Throughput::Elements(1));
    for (name, on) in [
        ("remote_refresh/verify_ES256", false),
        ("remote_refresh/verify_ES256/refresh_every_100ms", true),
    ] {
        refreshing.store(on, Ordering::Relaxed);
        g.bench_function(name, |b| {
            b.iter(|| {
                assert!(
                    verifier
                        .verify(&mut scratch, black_box(token), case.now)
                        .is_ok()
                )
            })
        });
    }
    g.finish();

    // Interleaved: 10 rounds of 300 ms each way, so load changes hit both alike.
    let mut count = |on: bool| {
        refreshing.store(on, Ordering::Relaxed);
        let start = Instant::now();
        let mut n = 0u64;
        while start.elapsed() < Duration::from_millis(300) {
            for _ in 0..32 {
                assert!(
                    verifier
                        .verify(&mut scratch, black_box(token), case.now)
                        .is_ok()
                );
            }
            n += 32;
        }
        n as f64 / start.elapsed().as_secs_f64()
    };
    let before = refreshes.load(Ordering::Relaxed);
    let (mut quiet, mut busy) = (0.0, 0.0);
    for _ in 0..10 {
        quiet += count(false);
        busy += count(true);
    }
    refreshing.store(false, Ordering::Relaxed);
    println!(
        "keyswap/remote_refresh: {:.0} verifies/s without refresh, {:.0} while refreshing every 100 ms: ratio {:.3} ({} fetch+swap during the interleaved run, {} in all)",
        quiet / 10.0,
        busy / 10.0,
        busy / quiet,
        refreshes.load(Ordering::Relaxed) - before,
        refreshes.load(Ordering::Relaxed)
    );
}

criterion_group! {
    name = benches;
    config = common::criterion_config();
    targets = keyswap, remote_refresh
}
criterion_main!(benches);
