//! jwsgate verifies compact JWS / JWT bearer tokens for latency-critical servers.
//!
//! * The builder is a typestate: only safe combinations of key source and algorithms
//!   compile, and `build()` exists only once the issuer and audience are decided.
//! * The compact parser is hand-rolled on `ring`, parses only the header before the
//!   signature is checked, and allocates nothing on the verify path.
//! * Every limit on attacker-controlled input lives in [`limits`].
//!
//! # Quick start
//!
//! Verify a token against a JWK Set and read its claims into your own type (the JSON
//! decoding is jwsgate's: no JSON crate to add):
//!
//! ```
//! use jwsgate::{KeySet, UnixTime, Verifier};
//!
//! #[derive(serde::Deserialize)]
//! struct MyClaims { sub: String, scope: String }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let keys = KeySet::from_jwks(&std::fs::read("examples/jwks.json")?)?;
//! let verifier = Verifier::builder()
//!     .key_set(keys)
//!     .issuer("https://issuer.example")
//!     .audience("api://orders")
//!     .build()?;
//! let token = std::fs::read_to_string("examples/es256.jwt")?;
//! let claims: MyClaims = verifier
//!     .verify_owned(token.trim(), UnixTime::now())?
//!     .deserialize()?;
//! println!("{} may {}", claims.sub, claims.scope);
//! # assert_eq!(claims.sub, "user-42");
//! # Ok(()) }
//! ```
//!
//! * On the hot path, [`Verifier::verify`] with a reused [`Scratch`] allocates nothing
//!   and lends the claims ([`Claims`]); [`Verifier::verify_owned`] returns
//!   [`OwnedClaims`] (`'static`, for request extensions and async code), and
//!   [`VerifiedToken::deserialize`] decodes them into your type.
//! * Every refusal is an [`Error`] with a stable [`Error::code`] and the HTTP
//!   [`Error::status`] to answer with (the codes of the command-line contract,
//!   `docs/cli.md` in the repository); configuration mistakes are [`ConfigError`]s.
//! * Servers: the `http` and `axum` features add a tower layer; `remote` fetches and
//!   refreshes a JWK Set. The design notes are `docs/design.md` in the repository.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod alg;
pub mod authn;
pub mod backend;
mod base64url;
pub mod claims;
#[cfg(feature = "dev")]
pub mod dev;
pub mod error;
pub mod fingerprint;
#[cfg(feature = "redis")]
pub mod fleet_limit;
#[cfg(feature = "http")]
pub mod http;
#[cfg(feature = "introspection")]
pub mod introspection;
mod json;
mod jws;
pub mod keys;
pub mod limits;
pub mod low_level;
#[cfg(feature = "outbound")]
pub mod outbound;
pub mod ratelimit;
#[cfg(feature = "remote")]
pub mod remote;
#[cfg(feature = "secrets")]
pub mod secrets;
// Word-at-a-time byte searches of the verify path (issue 15, round 3).
mod swar;
pub mod time;
pub mod verifier;

/// Hooks for the fuzz targets, compiled only by cargo-fuzz (which sets `--cfg fuzzing`):
/// never part of the API.
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    /// Reads `payload` with the claims fast path and with the general parser. `Ok(true)`
    /// when the fast path took it and read the same claims, `Ok(false)` when it declined
    /// (or the payload is not UTF-8), `Err` saying how the two disagree.
    pub fn claims_paths_agree(payload: &[u8]) -> Result<bool, String> {
        match core::str::from_utf8(payload) {
            Ok(json) => crate::claims::testing::compare_paths(json),
            Err(_) => Ok(false),
        }
    }
}

pub use alg::{Algorithm, AlgorithmFamily, AlgorithmSet, AsymmetricAlg, HmacAlg, KeyKind};
pub use claims::{Claims, ClaimsError, NumericDate, OwnedClaims, RawValue};
pub use error::{ConfigError, Error};
pub use fingerprint::{Fingerprint, fingerprint};
pub use keys::{HmacKeyStore, KeySet, KeyStore, PublicKey, StrongHmacKey};
pub use ratelimit::{RateLimitConfig, RateLimiter};
pub use time::UnixTime;
pub use verifier::{Scratch, VerifiedJws, VerifiedToken, Verifier, VerifierBuilder};
