//! Group `parse`: the steps of an HS256 verify on their own, so that the time jwsgate adds
//! above the primitive can be attributed (the account in ../../BENCHMARKS.md).
//!
//! `cargo bench -p jwsgate-bench --bench parse`.
//!
//! * `split`: size check, base64url charset scan, the three segments (`jws::split`).
//! * `split_header`: the above plus the header decoded and parsed (`jws::parse_header`).
//! * `signature_b64`, `payload_b64`: the base64url decodes verify makes.
//! * `hs256_ring_raw`: the primitive (precomputed `ring::hmac::Key`, `hmac::verify`).
//! * `hs256_verify_jws`: `Verifier::verify_jws` — split, header, policy, signature,
//!   payload decode; no claims.
//! * `hs256_verify`: the full `Verifier::verify`. Claims parsing and checking are
//!   crate-private; their cost is `hs256_verify - hs256_verify_jws`.

mod common;

use std::hint::black_box;

use common::{Case, Keys};
use criterion::{Criterion, criterion_group, criterion_main};
use jwsgate::Algorithm;
use jwsgate::limits::{DEFAULT_MAX_TOKEN_BYTES, MAX_HEADER_BYTES, MAX_KID_BYTES};
use jwsgate::low_level::jws::{parse_header, split};

fn parse(c: &mut Criterion) {
    let keys = Keys::fixed();
    let case = Case::new(&keys, Algorithm::HS256);
    case.assert_sound();
    let token = case.token.as_bytes();
    let parts = split(token, DEFAULT_MAX_TOKEN_BYTES).unwrap();
    let mut g = c.benchmark_group("parse");
    g.bench_function("split", |b| {
        b.iter(|| split(black_box(token), DEFAULT_MAX_TOKEN_BYTES).unwrap())
    });
    let mut header = Vec::with_capacity(MAX_HEADER_BYTES);
    let mut kid = Vec::with_capacity(MAX_KID_BYTES);
    g.bench_function("split_header", |b| {
        b.iter(|| {
            let p = split(black_box(token), DEFAULT_MAX_TOKEN_BYTES).unwrap();
            parse_header(p.header, &mut header, &mut kid).unwrap().alg
        })
    });
    let mut sig = [0u8; 64];
    g.bench_function("signature_b64", |b| {
        b.iter(|| {
            jwsgate::low_level::base64url::decode_public(black_box(parts.signature), &mut sig)
                .unwrap()[0]
        })
    });
    let mut payload = Vec::with_capacity(DEFAULT_MAX_TOKEN_BYTES);
    g.bench_function("payload_b64", |b| {
        b.iter(|| {
            jwsgate::low_level::base64url::decode_public_into_vec(
                black_box(parts.payload),
                &mut payload,
            )
        })
    });
    g.bench_function("hs256_ring_raw", |b| b.iter(|| assert!(case.ring_raw())));
    let mut scratch = case.verifier.new_scratch();
    g.bench_function("hs256_verify_jws", |b| {
        b.iter(|| {
            let r = case
                .verifier
                .verify_jws(&mut scratch, black_box(token), None);
            r.unwrap().payload().len()
        })
    });
    g.bench_function("hs256_verify", |b| {
        b.iter(|| assert!(case.jwsgate(&mut scratch, black_box(&case.token))))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion_config();
    targets = parse
}
criterion_main!(benches);
