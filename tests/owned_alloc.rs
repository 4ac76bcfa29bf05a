//! The owned and typed claims allocate by nature; counted exactly here, beside the plain
//! verify, which must stay at zero (tests/zero_alloc.rs covers every algorithm).

mod support;

use jwsgate::{Algorithm, Scratch, UnixTime, Verifier};
use serde::Deserialize;
use support::{AUD, ISS, Keys, NOW, claims};

#[global_allocator]
static ALLOC: count_alloc::CountingAllocator = count_alloc::CountingAllocator;

fn verifier() -> Verifier {
    Verifier::builder()
        .hmac_key(Keys::hmac_key())
        .issuer(ISS)
        .audience(AUD)
        .build()
        .unwrap()
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Typed {
    exp: u64,
    iat: u64,
}

#[test]
fn owned_claims_cost_one_allocation_for_the_text_and_one_for_the_items() {
    let v = verifier();
    let now = UnixTime::from_secs(NOW);
    // `aud` is an array of two: the items are not empty.
    let tok = Keys::fixed().token(Algorithm::HS256, &claims());
    let _ = v.verify_owned(&tok, now).unwrap(); // warms this thread's scratch
    let (owned, n) = count_alloc::count(|| v.verify_owned(&tok, now).unwrap());
    assert_eq!(n, 2);
    // No `aud` / `scp`: the text only.
    let v2 = Verifier::builder()
        .hmac_key(Keys::hmac_key())
        .issuer(ISS)
        .no_audience_check()
        .build()
        .unwrap();
    let bare = Keys::fixed().token(
        Algorithm::HS256,
        &format!(r#"{{"iss":"{ISS}","exp":{}}}"#, NOW + 60),
    );
    let _ = v2.verify_owned(&bare, now).unwrap();
    assert_eq!(
        count_alloc::count(|| v2.verify_owned(&bare, now).unwrap()).1,
        1
    );
    // A clone copies the same two buffers.
    assert_eq!(count_alloc::count(|| owned.clone()).1, 2);
}

#[test]
fn plain_verify_and_verify_with_stay_allocation_free() {
    let v = verifier();
    let now = UnixTime::from_secs(NOW);
    let tok = Keys::fixed().token(Algorithm::HS256, &claims());
    let mut scratch = Scratch::new();
    let _ = v.verify(&mut scratch, tok.as_bytes(), now).unwrap();
    let n = count_alloc::count(|| {
        for _ in 0..100 {
            assert!(v.verify(&mut scratch, tok.as_bytes(), now).is_ok());
        }
    })
    .1;
    assert_eq!(n, 0);
    // `impl AsRef<[u8]>`: a `&String` costs nothing either.
    v.verify_with(&tok, now, |r| assert!(r.is_ok()));
    let n = count_alloc::count(|| v.verify_with(&tok, now, |r| r.is_ok())).1;
    assert_eq!(n, 0);
}

#[test]
fn typed_claims_cost_one_copy_plus_what_simd_json_allocates() {
    let v = verifier();
    let now = UnixTime::from_secs(NOW);
    let tok = Keys::fixed().token(Algorithm::HS256, &claims());
    let mut scratch = Scratch::new();
    let t = v.verify(&mut scratch, tok.as_bytes(), now).unwrap();
    let json = t.claims().json();
    let mut copy = json.as_bytes().to_vec();
    let (_, parser) =
        count_alloc::count(|| simd_json::serde::from_slice::<Typed>(&mut copy).unwrap());
    let (_, typed) = count_alloc::count(|| t.deserialize::<Typed>().unwrap());
    assert_eq!(
        typed,
        parser + 1,
        "the copy simd-json unescapes in, nothing more"
    );
    // The borrowing form with a warmed buffer: only the parser's own allocations.
    let mut buf = Vec::with_capacity(json.len());
    let (_, borrowed) = count_alloc::count(|| t.deserialize_in::<Typed>(&mut buf).unwrap());
    assert_eq!(borrowed, parser);
}
