//! Helpers shared by the attack, property, vector and corpus tests: the fixed keys, tokens
//! and key documents of the fixture crate `support/fixtures` (every item of
//! `jwsgate_fixtures`, re-exported here; add new fixtures there) and a few assertions on
//! exact error codes.
#![allow(dead_code, unused_imports)]

use jwsgate::{Algorithm, Error, Scratch, Verifier};
/// The fixture crate itself (this module once included it as `fixture`).
pub use jwsgate_fixtures as fixture;
pub use jwsgate_fixtures::*;

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
