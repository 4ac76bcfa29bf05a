//! Per-phase instruction counts: each step of an HS256 verify (or of the algorithm named
//! by `JWSGATE_PHASES_ALG`) run `N` times on its own,
//! for `valgrind --tool=callgrind` (instruction counts do not depend on the machine's
//! load, unlike wall-clock figures on a shared VM). BENCHMARKS.md, "Per phase".
//!
//! `cargo bench -p jwsgate-bench --bench phases --no-run`, then
//! `valgrind --tool=callgrind <binary> --bench <phase> <N>` for each phase and for
//! `none` (the fixture setup alone): (Ir(phase) − Ir(none)) ÷ N per call.
//!
//! Phases: `split`, `split_header`, `signature_b64`, `payload_b64`, `ring_raw`,
//! `verify_jws`, `verify`, and `verify_alternating`: two verifies per call, of the token
//! and of a copy whose header segment differs (one space more in the header JSON), so
//! that the scratch's header cache misses on each (divide by 2N). Run without `--bench`
//! (as `cargo test --benches` does) it runs each phase once and checks its result.

mod common;

use std::hint::black_box;

use common::{Case, Keys};
use jwsgate::Algorithm;
use jwsgate::limits::{
    DEFAULT_MAX_TOKEN_BYTES, MAX_HEADER_BYTES, MAX_KID_BYTES, MAX_SIGNATURE_BYTES,
};
use jwsgate::low_level::jws::{parse_header, split};
use jwsgate_fixtures::Fixture;

const PHASES: [&str; 9] = [
    "none",
    "split",
    "split_header",
    "signature_b64",
    "payload_b64",
    "ring_raw",
    "verify_jws",
    "verify",
    "verify_alternating",
];

fn run(case: &Case, other: &str, phase: &str, n: u64) {
    let token = case.token.as_bytes();
    let parts = split(token, DEFAULT_MAX_TOKEN_BYTES).unwrap();
    let mut header = Vec::with_capacity(MAX_HEADER_BYTES);
    let mut kid = Vec::with_capacity(MAX_KID_BYTES);
    let mut sig = [0u8; MAX_SIGNATURE_BYTES];
    let mut payload = Vec::with_capacity(DEFAULT_MAX_TOKEN_BYTES);
    let mut scratch = case.verifier.new_scratch();
    for _ in 0..n {
        let ok = match phase {
            "none" => true,
            "split" => split(black_box(token), DEFAULT_MAX_TOKEN_BYTES).is_ok(),
            "split_header" => {
                let p = split(black_box(token), DEFAULT_MAX_TOKEN_BYTES).unwrap();
                parse_header(p.header, &mut header, &mut kid).is_ok()
            }
            "signature_b64" => {
                jwsgate::low_level::base64url::decode_public(black_box(parts.signature), &mut sig)
                    .is_some()
            }
            "payload_b64" => jwsgate::low_level::base64url::decode_public_into_vec(
                black_box(parts.payload),
                &mut payload,
            )
            .is_some(),
            "ring_raw" => case.ring_raw(),
            "verify_jws" => case
                .verifier
                .verify_jws(&mut scratch, black_box(token), None)
                .is_ok(),
            "verify" => case.jwsgate(&mut scratch, black_box(&case.token)),
            "verify_alternating" => {
                case.jwsgate(&mut scratch, black_box(&case.token))
                    && case.jwsgate(&mut scratch, black_box(other))
            }
            other => panic!("unknown phase {other}; one of {PHASES:?}"),
        };
        assert!(black_box(ok), "{phase} failed");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let timing = args.iter().any(|a| a == "--bench");
    let rest: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    let keys = Keys::fixed();
    // HS256 unless JWSGATE_PHASES_ALG names another algorithm (e.g. RS256).
    let alg = std::env::var("JWSGATE_PHASES_ALG")
        .ok()
        .map(|name| {
            Algorithm::from_name(name.as_bytes()).expect("JWSGATE_PHASES_ALG: an algorithm")
        })
        .unwrap_or(Algorithm::HS256);
    let case = Case::new(&keys, alg);
    case.assert_sound();
    // The same header JSON with a space after its brace: another segment, the same header.
    let spaced = Fixture::header_typ(case.alg, "at+jwt").replacen('{', "{ ", 1);
    let other = keys.token_with_header(case.alg, &spaced, &common::claims(case.now.as_secs()));
    assert_ne!(other.split('.').next(), case.token.split('.').next());
    if !timing {
        for phase in PHASES {
            run(&case, &other, phase, 1);
        }
        println!("phases: every phase ran once and succeeded");
        return;
    }
    let phase = rest.first().copied().unwrap_or("verify");
    let n: u64 = rest.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    run(&case, &other, phase, n);
}
