//! Groups `verify/<ALG>`: one full verify of a realistic access token (330-byte claims,
//! `typ: at+jwt`), jwsgate against the primitive's own verification (`ring_raw`, the
//! floor) and the peer crates, in one run so that every figure reads as a ratio.
//!
//! `cargo bench -p jwsgate-bench --bench verify` (jwsgate and ring_raw), or with the
//! peers: `cargo bench -p jwsgate-bench --features peers --bench verify`. Figures and
//! machine: ../../BENCHMARKS.md.
//!
//! * `jwsgate`: size, split, header, key lookup (by `kid` in a five-key JWK Set), base64url
//!   signature decode, signature, payload decode, claims parse, and the checks typ, iss,
//!   aud, exp, nbf, iat and a required scope.
//! * `ring_raw`: ring's verification over the signing input, signature already decoded,
//!   key already parsed where ring allows (a precomputed `hmac::Key`; ring re-parses RSA,
//!   ECDSA and Ed25519 public keys on every call, and so does jwsgate through it); for
//!   ES512 the p521 crate's `VerifyingKey::verify`.
//! * `jsonwebtoken`, `jwt_simple` (feature `peers`): latest versions, default backends,
//!   the same checks (see common/peers.rs).
//! * `verify/HS256/refused_signature`, `verify/HS256/refused_expired`: jwsgate refusing.
//!
//! Every function is asserted to accept the valid token and refuse a tampered copy
//! before anything is timed.

mod common;

use std::hint::black_box;

use common::{ALGS, Case, Keys};
use criterion::{Criterion, criterion_group, criterion_main};
use jwsgate::Algorithm;

fn verify(c: &mut Criterion) {
    let keys = Keys::fixed();
    for alg in ALGS {
        let case = Case::new(&keys, alg);
        case.assert_sound();
        let mut g = c.benchmark_group(format!("verify/{}", alg.name()));
        let mut scratch = case.verifier.new_scratch();
        g.bench_function("jwsgate", |b| {
            b.iter(|| assert!(case.jwsgate(&mut scratch, black_box(&case.token))))
        });
        g.bench_function(case.raw.name(), |b| {
            b.iter(|| {
                assert!(
                    case.raw
                        .verify(black_box(&case.signing_input), black_box(&case.signature))
                )
            })
        });
        #[cfg(feature = "peers")]
        {
            use common::peers::{JsonWebToken, JwtSimple, assert_sound};
            if let Some(p) = JsonWebToken::new(&keys, alg) {
                assert_sound("jsonwebtoken", alg, |t| p.verify(t), &case);
                g.bench_function("jsonwebtoken", |b| {
                    b.iter(|| assert!(p.verify(black_box(&case.token))))
                });
            }
            if let Some(p) = JwtSimple::new(&keys, alg) {
                assert_sound("jwt-simple", alg, |t| p.verify(t), &case);
                g.bench_function("jwt_simple", |b| {
                    b.iter(|| assert!(p.verify(black_box(&case.token))))
                });
            }
        }
        if alg == Algorithm::HS256 {
            g.bench_function("refused_signature", |b| {
                b.iter(|| assert!(!case.jwsgate(&mut scratch, black_box(&case.tampered))))
            });
            g.bench_function("refused_expired", |b| {
                b.iter(|| assert!(!case.jwsgate(&mut scratch, black_box(&case.expired))))
            });
        }
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::criterion_config();
    targets = verify
}
criterion_main!(benches);
