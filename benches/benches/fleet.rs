//! The fleet limiter (`jwsgate::fleet_limit`) against a redis-server this bench starts
//! on 127.0.0.1 (no persistence; killed at the end):
//!
//! * **latency**: one check at a time (each a fresh key, so each writes), timed into an
//!   HDR histogram: p50 / p95 / p99 of a fleet check, the local tier's admission
//!   included;
//! * **throughput**: 8 tasks for `JWSGATE_FLEET_SECS` (default 2) seconds, a flood on 64
//!   keys over their limit (10 per minute), first with the local tier in front (what it
//!   refuses never reaches Redis) and then with every check going to Redis.
//!
//! `cargo bench -p jwsgate-bench --features fleet --bench fleet`. Under `cargo test`
//! (no `--bench` argument) it only checks that the limiter answers.

#[path = "../../tests/redis_server/mod.rs"]
mod redis_server;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use jwsgate::fleet_limit::{FailurePolicy, FleetConfig, FleetLimiter};
use jwsgate::ratelimit::{RateLimitConfig, RateLimiter};
use secrecy::SecretString;

const MINUTE: Duration = Duration::from_secs(60);

async fn limiter(url: &SecretString, with_local: bool) -> Arc<FleetLimiter> {
    let config = FleetConfig::new(10, MINUTE)
        .expect("config")
        .with_failure_policy(FailurePolicy::FailClosed)
        .with_call_timeout(Duration::from_secs(1))
        .expect("timeout");
    let local = with_local
        .then(|| RateLimiter::new(RateLimitConfig::new(10, MINUTE, 65_536).expect("local")));
    Arc::new(
        FleetLimiter::connect(url, config, local)
            .await
            .expect("connect to the bench's redis-server"),
    )
}

async fn latency(url: &SecretString, samples: u64) {
    let fleet = limiter(url, true).await;
    let mut hist = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram");
    for key in 0..samples {
        let t = Instant::now();
        let answer = fleet.check(0x1a7e_0000 + key).await;
        let ns = t.elapsed().as_nanos() as u64;
        assert!(answer.is_ok(), "{answer:?}");
        hist.record(ns.max(1)).expect("record");
    }
    println!(
        "latency, {samples} sequential checks (fresh keys, admitted): p50 {:.1} µs, \
         p95 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        hist.value_at_quantile(0.50) as f64 / 1e3,
        hist.value_at_quantile(0.95) as f64 / 1e3,
        hist.value_at_quantile(0.99) as f64 / 1e3,
        hist.max() as f64 / 1e3
    );
}

async fn throughput(url: &SecretString, with_local: bool, run: Duration) {
    let fleet = limiter(url, with_local).await;
    let checks = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..8u64 {
        let (fleet, checks) = (Arc::clone(&fleet), Arc::clone(&checks));
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while start.elapsed() < run {
                let key = 0x000f_100d_0000 + (n * 8 + t) % 64;
                let _ = fleet.check(key).await;
                n += 1;
            }
            checks.fetch_add(n, Ordering::Relaxed);
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    let secs = start.elapsed().as_secs_f64();
    let total = checks.load(Ordering::Relaxed);
    let s = fleet.stats();
    println!(
        "throughput, {}: {:.0} checks/s ({total} in {secs:.2} s); Redis answered {} \
         ({:.0}/s), local tier refused {}",
        if with_local {
            "local tier in front"
        } else {
            "every check to Redis"
        },
        total as f64 / secs,
        s.redis_answers,
        s.redis_answers as f64 / secs,
        s.local_refusals
    );
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let Some(server) = redis_server::start_or_skip("fleet bench") else {
        return;
    };
    let url = SecretString::from(server.url());
    let secs = std::env::var("JWSGATE_FLEET_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        if !bench {
            let fleet = limiter(&url, true).await;
            assert!(fleet.check(1).await.is_ok());
            println!("fleet bench: the limiter answers (run with --bench for figures)");
            return;
        }
        latency(&url, 20_000).await;
        let run = Duration::from_secs(secs);
        throughput(&url, true, run).await;
        throughput(&url, false, run).await;
    });
    drop(server);
}
