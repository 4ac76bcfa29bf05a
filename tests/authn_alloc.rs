//! The JWT path through the `Authenticator` extension point allocates exactly once (the
//! identity's shared text), a refused token not at all, cloning an identity not at all,
//! and the local limiter's check and record never: counted exactly by the counting
//! global allocator.

mod support;

use std::sync::Arc;
use std::time::Duration;

use jwsgate::authn::{AuthContext, Authenticator, Chain, FailureLimiter, LimitKeys, LocalLimiter};
use jwsgate::ratelimit::{ManualClock, RateLimitConfig};
use jwsgate::{Algorithm, UnixTime, Verifier, fingerprint};
use support::{AUD, ISS, Keys, NOW, claims};

#[global_allocator]
static ALLOC: count_alloc::CountingAllocator = count_alloc::CountingAllocator;

#[test]
fn the_jwt_authenticator_allocates_only_the_identity() {
    let keys = Keys::new();
    let verifier = Verifier::builder()
        .hmac_key(Keys::hmac_key())
        .issuer(ISS)
        .audience(AUD)
        .build()
        .unwrap();
    let chain = Chain::new(verifier.clone());
    let good = keys.token(Algorithm::HS256, &claims());
    let bad = format!("{good}x");
    let cx = AuthContext::new(fingerprint(good.as_bytes()), UnixTime::from_secs(NOW));
    // Warm the thread's scratch and identity text buffer.
    let _ = verifier.authenticate(&good, &cx).into_ready();
    for authenticator in [&verifier as &dyn Authenticator, &chain] {
        for _ in 0..100 {
            let (identity, n) =
                count_alloc::count(|| authenticator.authenticate(&good, &cx).into_ready());
            assert_eq!(n, 1, "one allocation: the identity's text");
            let identity = identity.unwrap().unwrap();
            assert_eq!(identity.subject(), Some("user-1234"));
            assert_eq!(identity.scope(), "orders:read orders:write");
            let (copy, n) = count_alloc::count(|| identity.clone());
            assert_eq!(n, 0, "cloning an identity counts a reference");
            assert_eq!(copy.client_id(), Some("s6BhdRkqt3"));
            let (refused, n) =
                count_alloc::count(|| authenticator.authenticate(&bad, &cx).into_ready());
            assert_eq!(n, 0, "a refused token allocates nothing");
            assert_eq!(refused.unwrap().unwrap_err().code(), "invalid_signature");
        }
    }
}

#[test]
fn the_local_limiter_never_allocates() {
    let config = RateLimitConfig::new(10, Duration::from_secs(60), 1024).unwrap();
    let limiter = LocalLimiter::with_clock(config, config, Arc::new(ManualClock::new()));
    let keys = LimitKeys::new(Some(fingerprint(b"t")), Some("192.0.2.1".parse().unwrap()));
    let ((), n) = count_alloc::count(|| {
        for _ in 0..1000 {
            let _ = limiter.check(&keys).into_ready();
            let _ = limiter.record_failure(&keys).into_ready();
        }
    });
    assert_eq!(n, 0);
    assert!(limiter.check(&keys).into_ready().unwrap().is_err());
}
