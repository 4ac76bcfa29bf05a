//! jwsgate verifies compact JWS / JWT bearer tokens for latency-critical servers.
//!
//! * The builder is a typestate: only safe combinations of key source and algorithms
//!   compile, and `build()` exists only once the issuer and audience are decided.
//! * The compact parser is hand-rolled on `ring`, parses only the header before the
//!   signature is checked, and allocates nothing on the verify path.
//! * Every limit on attacker-controlled input lives in [`limits`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod alg;
pub mod authn;
pub mod base64url;
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
pub mod json;
pub mod jws;
pub mod keys;
pub mod limits;
#[cfg(feature = "outbound")]
pub mod outbound;
pub mod ratelimit;
#[cfg(feature = "remote")]
pub mod remote;
#[cfg(feature = "secrets")]
pub mod secrets;
pub mod time;
pub mod verifier;

pub use alg::{Algorithm, AlgorithmFamily, AlgorithmSet, AsymmetricAlg, HmacAlg, KeyKind};
pub use claims::{Claims, ClaimsError, NumericDate, OwnedClaims, RawValue};
pub use error::{ConfigError, Error};
pub use fingerprint::{Fingerprint, fingerprint};
pub use keys::{HmacKeyStore, KeySet, KeyStore, PublicKey, StrongHmacKey};
pub use ratelimit::{RateLimitConfig, RateLimiter};
pub use time::UnixTime;
pub use verifier::{Scratch, VerifiedJws, VerifiedToken, Verifier, VerifierBuilder};
