//! Zero heap allocation per verify (DESIGN.md principle 3), for every algorithm, on
//! accepted and refused tokens, counted exactly by a counting global allocator.
//!
//! ring's RSA verification allocates inside ring (it parses the public key into boxed
//! limbs on each call); for RSA the test measures ring's own count for the same
//! verification and requires that jwsgate adds none on top. With the `aws-lc` backend
//! (keys parsed once at load) every algorithm, RSA included, must allocate nothing.

mod support;

use jwsgate::{Algorithm, AlgorithmFamily, Scratch, UnixTime, Verifier};
use support::{AUD, ISS, Keys, NOW, claims};

#[global_allocator]
static ALLOC: count_alloc::CountingAllocator = count_alloc::CountingAllocator;

fn allocations_in(f: impl FnOnce()) -> u64 {
    count_alloc::count(f).1
}

const ROUNDS: u64 = 1000;

fn verifier(keys: &Keys, alg: Algorithm) -> Verifier {
    let b = Verifier::builder()
        .issuer(ISS)
        .audience(AUD)
        .require_scope("orders:read");
    match alg.family() {
        AlgorithmFamily::Hmac(_) => b.hmac_key(Keys::hmac_key()).build(),
        AlgorithmFamily::Asymmetric(_) => b.key_set(keys.key_set()).require_type("at+jwt").build(),
    }
    .unwrap()
}

/// Allocations per verify of `token`, after a warm-up verify.
fn per_verify(v: &Verifier, token: &str, now: u64, expect_ok: bool) -> f64 {
    let mut scratch = Scratch::new();
    let now = UnixTime::from_secs(now);
    assert_eq!(
        v.verify(&mut scratch, token.as_bytes(), now).is_ok(),
        expect_ok
    );
    let n = allocations_in(|| {
        for _ in 0..ROUNDS {
            let r = v.verify(&mut scratch, token.as_bytes(), now);
            assert_eq!(r.is_ok(), expect_ok);
        }
    });
    n as f64 / ROUNDS as f64
}

/// Allocations per call of ring's own RSA verification of the same signature.
fn ring_rsa_per_verify(keys: &Keys, alg: Algorithm, token: &str) -> f64 {
    let raw = jwsgate_fixtures::RawVerifier::new(keys.fixture(), alg);
    let (input, s) = token.rsplit_once('.').unwrap();
    let signature = jwsgate::low_level::base64url::decode_vec(s);
    assert!(raw.verify(input.as_bytes(), &signature));
    let count = allocations_in(|| {
        for _ in 0..ROUNDS {
            assert!(raw.verify(input.as_bytes(), &signature));
        }
    });
    count as f64 / ROUNDS as f64
}

#[test]
fn no_allocation_per_verify_for_any_algorithm() {
    let keys = Keys::new();
    let mut report = Vec::new();
    for alg in Algorithm::ALL {
        let v = verifier(&keys, alg);
        let good = keys.token(alg, &claims());
        let (input, sig) = good.rsplit_once('.').unwrap();
        let mut raw = jwsgate::low_level::base64url::decode_vec(sig);
        let mid = raw.len() / 2;
        raw[mid] ^= 0x40;
        let bad_sig = format!("{input}.{}", support::b64(&raw));
        let accepted = per_verify(&v, &good, NOW, true);
        let expired = per_verify(&v, &good, NOW + 10_000, false);
        let refused_sig = per_verify(&v, &bad_sig, NOW, false);
        let malformed = per_verify(&v, "e30.e30.", NOW, false);
        let is_rsa = matches!(
            alg,
            Algorithm::RS256
                | Algorithm::RS384
                | Algorithm::RS512
                | Algorithm::PS256
                | Algorithm::PS384
                | Algorithm::PS512
        );
        // With the `aws-lc` backend the RSA key is parsed once at load: no allocation at
        // all on the Rust heap (AWS-LC's per-call context lives on the C heap).
        let floor = if is_rsa && jwsgate::backend::NAME == "ring" {
            ring_rsa_per_verify(&keys, alg, &good)
        } else {
            0.0
        };
        report.push(format!(
            "{alg}: accepted {accepted}, expired {expired}, bad signature {refused_sig}, malformed {malformed} ({}'s own: {floor})",
            jwsgate::backend::NAME
        ));
        assert_eq!(
            accepted, floor,
            "{alg}: jwsgate allocates on an accepted token"
        );
        assert_eq!(
            expired, floor,
            "{alg}: jwsgate allocates on an expired token"
        );
        assert!(
            refused_sig <= floor,
            "{alg}: jwsgate allocates on a bad signature"
        );
        assert_eq!(malformed, 0.0, "{alg}: allocation before any key is used");
    }
    println!("allocations per verify:\n  {}", report.join("\n  "));
}

#[test]
fn the_per_thread_scratch_allocates_only_once() {
    let keys = Keys::new();
    let v = verifier(&keys, Algorithm::ES256);
    let token = keys.token(Algorithm::ES256, &claims());
    let now = UnixTime::from_secs(NOW);
    let verify = || v.verify_with(token.as_bytes(), now, |r| assert!(r.is_ok()));
    let first = allocations_in(verify);
    assert!(first > 0, "the first call makes the thread's scratch");
    let after = allocations_in(|| (0..ROUNDS).for_each(|_| verify()));
    assert_eq!(after, 0, "a warmed thread scratch must not allocate");
}

#[cfg(feature = "remote")]
use jwsgate_fixtures::jwks_server;

/// With a remote JWK Set, `verify` stays synchronous and allocation-free: on an accepted
/// token, on an unknown `kid` (which signals the background refetch) and past the
/// staleness bound (`keys_unavailable`).
#[cfg(feature = "remote")]
#[test]
fn no_allocation_per_verify_with_a_remote_jwks() {
    use std::sync::Arc;
    use std::time::Duration;

    use jwsgate::Error;
    use jwsgate::remote::RemoteJwks;

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let keys = Keys::new();
    let server = rt.block_on(jwks_server::JwksServer::http());
    server.set_body(keys.jwks());
    let url = server.url("/jwks.json");
    let source = |staleness: Duration| {
        rt.block_on(
            RemoteJwks::builder(&url)
                .allow_insecure_loopback()
                .ttl(Duration::from_millis(100))
                .ttl_bounds(Duration::from_millis(100), Duration::from_secs(60))
                .max_staleness(staleness)
                .retry_backoff(Duration::from_millis(20), Duration::from_millis(50))
                .build(),
        )
        .unwrap()
    };
    let verifier = |remote: &Arc<RemoteJwks>| {
        Verifier::builder()
            .remote_jwks(Arc::clone(remote))
            .issuer(ISS)
            .audience(AUD)
            .require_type("at+jwt")
            .require_scope("orders:read")
            .build()
            .unwrap()
    };
    let fresh = source(Duration::from_secs(3600));
    let v = verifier(&fresh);
    let mut report = Vec::new();
    for alg in [Algorithm::ES256, Algorithm::ES384, Algorithm::EdDSA] {
        let good = keys.token(alg, &claims());
        let accepted = per_verify(&v, &good, NOW, true);
        assert_eq!(accepted, 0.0, "{alg}: allocation with a remote set");
        report.push(format!("{alg} accepted {accepted}"));
    }
    let header = r#"{"alg":"ES256","kid":"not-published","typ":"at+jwt"}"#;
    let unknown = keys.token_with_header(Algorithm::ES256, header, &claims());
    let miss = per_verify(&v, &unknown, NOW, false);
    assert_eq!(miss, 0.0, "the unknown-kid signal allocates");
    report.push(format!("unknown kid {miss}"));

    let stale = source(Duration::from_millis(50));
    let sv = verifier(&stale);
    server.set_behaviour(jwks_server::Behaviour::Status(500));
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    while stale.is_usable() {
        assert!(std::time::Instant::now() < deadline, "never went stale");
        std::thread::sleep(Duration::from_millis(10));
    }
    let token = keys.token(Algorithm::ES256, &claims());
    let mut scratch = Scratch::new();
    let r = sv.verify(&mut scratch, token.as_bytes(), UnixTime::from_secs(NOW));
    assert_eq!(r.err(), Some(Error::KeysUnavailable));
    let refused = per_verify(&sv, &token, NOW, false);
    assert_eq!(refused, 0.0, "keys_unavailable allocates");
    report.push(format!("keys_unavailable {refused}"));
    println!(
        "allocations per verify with a remote JWK Set: {}",
        report.join(", ")
    );
    drop((v, sv, fresh, stale, server));
}

#[test]
fn no_allocation_per_verify_with_a_rotating_hmac_store() {
    use std::sync::Arc;
    // The support secret becomes the previous one: every accepted token below is tried
    // with the current secret first, then the previous (the longest path).
    let store = Arc::new(jwsgate::HmacKeyStore::new(Keys::hmac_key()));
    let mut next = support::HMAC_SECRET;
    next.reverse();
    next[0] ^= 0x5a;
    store
        .rotate(jwsgate::StrongHmacKey::new(&next).unwrap())
        .unwrap();
    let v = Verifier::builder()
        .hmac_store(store)
        .issuer(ISS)
        .audience(AUD)
        .require_scope("orders:read")
        .build()
        .unwrap();
    let keys = Keys::new();
    let mut report = Vec::new();
    for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
        let good = keys.token(alg, &claims());
        let (input, sig) = good.rsplit_once('.').unwrap();
        let mut raw = jwsgate::low_level::base64url::decode_vec(sig);
        raw[0] ^= 1;
        let bad_sig = format!("{input}.{}", support::b64(&raw));
        let accepted = per_verify(&v, &good, NOW, true);
        let refused_sig = per_verify(&v, &bad_sig, NOW, false);
        report.push(format!(
            "{alg}: accepted by the previous secret {accepted}, bad signature {refused_sig}"
        ));
        assert_eq!(
            accepted, 0.0,
            "{alg}: the store allocates on an accepted token"
        );
        assert_eq!(refused_sig, 0.0, "{alg}: the store allocates on a refusal");
    }
    println!(
        "allocations per verify (HMAC key store):\n  {}",
        report.join("\n  ")
    );
}
