//! `Verifier::new_scratch` sizes the scratch for the verifier's own token limit: exact
//! allocation counts with a counting global allocator. (Apart from tests/zero_alloc.rs so
//! that the mutation runs of src/verifier link this small target, not that long one.)

mod support;

use jwsgate::{Algorithm, UnixTime, Verifier};
use support::{AUD, ISS, Keys, NOW, claims};

#[global_allocator]
static ALLOC: count_alloc::CountingAllocator = count_alloc::CountingAllocator;

fn allocations_in(f: impl FnOnce()) -> u64 {
    count_alloc::count(f).1
}

#[test]
fn new_scratch_holds_the_verifiers_largest_token_without_growing() {
    // A verifier for tokens up to 4x the default size, and a token past the default size:
    // a scratch from `new_scratch` is sized for it, so even the first verify allocates
    // nothing (a default-sized scratch would grow its buffers).
    let max = 4 * jwsgate::limits::DEFAULT_MAX_TOKEN_BYTES;
    let v = Verifier::builder()
        .hmac_key(Keys::hmac_key())
        .issuer(ISS)
        .audience(AUD)
        .max_token_bytes(max)
        .build()
        .unwrap();
    let padding = "x".repeat(2 * jwsgate::limits::DEFAULT_MAX_TOKEN_BYTES);
    let claims = claims().replace(r#""jti""#, &format!(r#""pad":"{padding}","jti""#));
    let token = Keys::new().token(Algorithm::HS256, &claims);
    assert!(token.len() > jwsgate::limits::DEFAULT_MAX_TOKEN_BYTES && token.len() < max);
    let mut scratch = v.new_scratch();
    let n = allocations_in(|| {
        let r = v.verify(&mut scratch, token.as_bytes(), UnixTime::from_secs(NOW));
        assert!(r.is_ok(), "{:?}", r.map(drop));
    });
    assert_eq!(n, 0);
}
