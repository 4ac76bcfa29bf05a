//! Helpers shared by the attack, property, vector and corpus tests: the fixed keys of
//! `fuzz/src/fixture.rs` and a few assertions on exact error codes.
#![allow(dead_code)]

#[path = "../../fuzz/src/fixture.rs"]
pub mod fixture;

pub use fixture::*;
use jwsgate::{Algorithm, Error, Scratch, Verifier};

/// Verifies `token` at [`NOW`], keeping only the algorithm (the claims borrow the scratch).
pub fn check(v: &Verifier, token: &str) -> Result<Algorithm, Error> {
    let mut scratch = Scratch::new();
    v.verify(&mut scratch, token.as_bytes(), NOW)
        .map(|t| t.alg())
}

/// Asserts that `token` is refused with the error code `code` (see ../shared/CLI.md).
#[track_caller]
pub fn assert_code(v: &Verifier, token: &str, code: &str) {
    match check(v, token) {
        Ok(alg) => panic!("expected {code}, but the token verified ({alg}): {token}"),
        Err(e) => assert_eq!(e.code(), code, "{e:?} for {token}"),
    }
}

/// Asserts that `token` verifies.
#[track_caller]
pub fn assert_valid(v: &Verifier, token: &str) {
    if let Err(e) = check(v, token) {
        panic!("expected the token to verify, got {e:?}: {token}");
    }
}

/// The verifier of `alg`'s family.
pub fn verifier_for(alg: Algorithm) -> Verifier {
    if asymmetric(alg).is_some() {
        fixture().asymmetric_verifier()
    } else {
        fixture().hmac_verifier()
    }
}

/// A token with `header_json`, the good claims, signed for `alg` with the fixture key.
pub fn signed(alg: Algorithm, header_json: &str) -> String {
    fixture().token(alg, header_json, GOOD_CLAIMS.as_bytes())
}

/// A token with the standard header of `alg` and `claims`, signed with the fixture key.
pub fn signed_claims(alg: Algorithm, claims: &str) -> String {
    fixture().token(alg, &Fixture::header(alg), claims.as_bytes())
}

/// Replaces the signature segment of `token` with `signature` (encoded here).
pub fn with_signature(token: &str, signature: &[u8]) -> String {
    let input = token.rsplit_once('.').expect("a compact token").0;
    format!("{input}.{}", b64(signature))
}

/// The decoded signature of `token`.
pub fn signature_of(token: &str) -> Vec<u8> {
    let sig = token.rsplit_once('.').expect("a compact token").1;
    let mut buf = vec![0; sig.len()];
    jwsgate::base64url::decode(sig.as_bytes(), &mut buf)
        .expect("base64url")
        .to_vec()
}
