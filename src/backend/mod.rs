//! The signature primitives behind every algorithm, in one place: ring by default,
//! aws-lc-rs with the `aws-lc` feature. Nothing outside this module names the library
//! that checks a signature.
//!
//! | backend | HMAC | RSA PKCS#1 / PSS | ECDSA P-256, P-384 | ECDSA P-521 | Ed25519 |
//! | --- | --- | --- | --- | --- | --- |
//! | ring (default) | `hmac::Key` | key parsed per call | key parsed per call | RustCrypto `p521`, parsed once | point parsed per call |
//! | aws-lc (`aws-lc`) | `hmac::Key` | `ParsedPublicKey` per algorithm, parsed once | `ParsedPublicKey`, parsed once | `ParsedPublicKey`, parsed once | `ParsedPublicKey`, parsed once |
//!
//! **Both features on** (`--all-features`): aws-lc wins. Enabling `aws-lc` is a
//! deliberate choice, and features are additive, so a dependency turning it on anywhere in
//! the build switches every verifier of the process. [`NAME`] says which one runs.
//!
//! Validation at load does not depend on the backend: the RSA rules and the Ed25519
//! small-order check live in `crate::keys`, and EC points are checked on their curve here
//! by one function for both backends (`check_ec_point`), so both accept exactly the
//! same keys. Tags and signatures are compared in constant time by the library itself.

use crate::alg::KeyKind;
use crate::error::ConfigError;

#[cfg(feature = "aws-lc")]
mod aws_lc;
#[cfg(feature = "aws-lc")]
use aws_lc as imp;

#[cfg(not(feature = "aws-lc"))]
mod ring;
#[cfg(not(feature = "aws-lc"))]
use self::ring as imp;

pub(crate) use imp::{HmacKey, VerifyKey};

/// The library that checks signatures in this build: `"ring"` or `"aws-lc"`.
///
/// ```
/// assert!(["ring", "aws-lc"].contains(&jwsgate::backend::NAME));
/// ```
pub const NAME: &str = imp::NAME;

/// Refuses an EC public key whose SEC1 uncompressed point is not on the curve of `kind`
/// (coordinates at or above the field prime included). The same check for both backends,
/// so that the choice of backend never changes which keys load.
pub(crate) fn check_ec_point(kind: KeyKind, sec1_uncompressed: &[u8]) -> Result<(), ConfigError> {
    let off_curve = ConfigError::InvalidKey("EC point is not on its curve");
    let agreement = match kind {
        KeyKind::EcP256 => &::ring::agreement::ECDH_P256,
        KeyKind::EcP384 => &::ring::agreement::ECDH_P384,
        KeyKind::EcP521 => {
            return p521::ecdsa::VerifyingKey::from_sec1_bytes(sec1_uncompressed)
                .map(|_| ())
                .map_err(|_| off_curve);
        }
        KeyKind::Rsa | KeyKind::Ed25519 => {
            return Err(ConfigError::InvalidKey("not an EC key kind"));
        }
    };
    // ring validates a peer's point fully (on the curve, not the identity) before any
    // key agreement: use that as the point check.
    let rng = ::ring::rand::SystemRandom::new();
    let ephemeral = ::ring::agreement::EphemeralPrivateKey::generate(agreement, &rng)
        .map_err(|_| ConfigError::InvalidKey("no randomness to check the EC point"))?;
    let peer = ::ring::agreement::UnparsedPublicKey::new(agreement, sec1_uncompressed);
    ::ring::agreement::agree_ephemeral(ephemeral, &peer, |_| ()).map_err(|_| off_curve)
}
