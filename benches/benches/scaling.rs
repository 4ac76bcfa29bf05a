//! Scaling across cores: `Verifier::verify` from 1 and 2 threads on **one** shared
//! verifier (one `Arc<Verifier>`, one key store behind `arc_swap`: `KeyStore` for ES256,
//! `HmacKeyStore` for HS256), each thread with its own `Scratch`. Throughput with 2 threads
//! over throughput with 1 should be close to 2 on 2 idle cores: a verify writes no cache
//! line that another thread's verify reads (see BENCHMARKS.md, "Scaling across cores").
//!
//! A control runs 2 threads with a verifier (and key store) each: if the shared run is as
//! fast as the control, sharing costs nothing, whatever else the machine is doing.
//!
//! `cargo bench -p jwsgate-bench --bench scaling` (`--features aws-lc` for that backend).
//! `JWSGATE_SCALING_ROUNDS` (default 7) rounds of 1 thread, 2 threads shared and 2 threads
//! private, interleaved; each run lasts about `JWSGATE_SCALING_MS` (default 400) ms.
//! Run without `--bench` (as `cargo test --benches` does) it only checks that every
//! thread's verifies succeed.

mod common;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{AUD, Case, ISS, Keys, LEEWAY_SECS, SCOPE};
use jwsgate::{Algorithm, AlgorithmFamily, HmacKeyStore, KeyStore, Verifier};

/// A verifier like the other benches' (every check on), its keys in a store.
fn shared_verifier(keys: &Keys, alg: Algorithm) -> Arc<Verifier> {
    let b = Verifier::builder()
        .issuer(ISS)
        .audience(AUD)
        .leeway(LEEWAY_SECS)
        .require_type("at+jwt")
        .require_scope(SCOPE);
    let v = match alg.family() {
        AlgorithmFamily::Hmac(_) => b
            .hmac_store(Arc::new(HmacKeyStore::new(Keys::hmac_key())))
            .build(),
        AlgorithmFamily::Asymmetric(_) => {
            b.key_store(Arc::new(KeyStore::new(keys.key_set()))).build()
        }
    };
    Arc::new(v.expect("the scaling verifier builds"))
}

/// Verifies per second with `verifiers.len()` threads, thread `t` on `verifiers[t]`,
/// each doing `iters` verifies of `case.token`.
fn throughput(case: &Case, verifiers: &[Arc<Verifier>], iters: u64) -> f64 {
    let elapsed = jwsgate_bench::contended(verifiers.len(), |t| {
        let v = &verifiers[t];
        let mut scratch = v.new_scratch();
        for _ in 0..iters {
            let r = v.verify(&mut scratch, black_box(case.token.as_bytes()), case.now);
            assert!(r.is_ok(), "{}: {r:?}", case.alg);
        }
    });
    (verifiers.len() as u64 * iters) as f64 / elapsed.as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let timing = std::env::args().any(|a| a == "--bench");
    let rounds = env_or("JWSGATE_SCALING_ROUNDS", 7).max(1);
    let run_ms = env_or("JWSGATE_SCALING_MS", 400);
    let keys = Keys::fixed();
    if timing {
        println!(
            "scaling: {rounds} interleaved rounds of ~{run_ms} ms per configuration; backend {}; {} cores visible\n",
            jwsgate::backend::NAME,
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
        println!(
            "| alg | 1 thread (verifies/s) | 2 threads, one verifier | 2 threads, a verifier each | 2-thread / 1-thread (median of rounds) | best round | shared / private |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|");
    }
    for alg in [Algorithm::HS256, Algorithm::ES256] {
        let case = Case::new(&keys, alg);
        case.assert_sound();
        let shared = shared_verifier(&keys, alg);
        let private = [shared_verifier(&keys, alg), shared_verifier(&keys, alg)];
        let one = [Arc::clone(&shared)];
        let two = [Arc::clone(&shared), Arc::clone(&shared)];
        if !timing {
            for vs in [&one[..], &two[..], &private[..]] {
                throughput(&case, vs, 100);
            }
            println!("{alg}: 1 and 2 threads on one shared verifier verify");
            continue;
        }
        // Size a run: iterations for ~run_ms on one thread.
        let t = Instant::now();
        let mut probe = 0u64;
        while t.elapsed() < Duration::from_millis(100) {
            throughput(&case, &one, 100);
            probe += 100;
        }
        let per_sec = probe as f64 / t.elapsed().as_secs_f64();
        let iters = ((per_sec * run_ms as f64 / 1000.0) as u64).max(100);
        let (mut t1, mut t2, mut tp, mut ratios) = (vec![], vec![], vec![], vec![]);
        for _ in 0..rounds {
            let a = throughput(&case, &one, iters);
            let b = throughput(&case, &two, iters);
            let c = throughput(&case, &private, iters);
            ratios.push(b / a);
            t1.push(a);
            t2.push(b);
            tp.push(c);
        }
        let best = ratios.iter().copied().fold(0.0, f64::max);
        let (m1, m2, mp) = (median(t1), median(t2), median(tp));
        println!(
            "| {alg} | {m1:.0} | {m2:.0} | {mp:.0} | {:.2} | {best:.2} | {:.2} |",
            median(ratios),
            m2 / mp
        );
    }
}
