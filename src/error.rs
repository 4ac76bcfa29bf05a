//! The one error type of the verify path, and the configuration error of the build path.
//!
//! [`Error`] has one variant per refusal reason of the command-line contract
//! (`docs/cli.md`); [`Error::code`] and [`Error::status`] are the only things that
//! go on the wire. `Display` is a server-side detail: it never contains key material,
//! the token, or the expected issuer or audience.

use crate::alg::Algorithm;

/// Why a token was refused.
///
/// ```
/// use jwsgate::Error;
/// let e = Error::Expired;
/// assert_eq!(e.code(), "expired");
/// assert_eq!(e.status(), 401);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Not three base64url segments, bad base64url, or a header or payload that is not
    /// the JSON it must be (including duplicate member names).
    #[error("malformed token: {0}")]
    Malformed(&'static str),
    /// Larger than the verifier's size limit; refused before any decoding.
    #[error("token of {len} bytes exceeds the limit of {max} bytes")]
    TokenTooLarge {
        /// The token's length in bytes.
        len: usize,
        /// The configured limit.
        max: usize,
    },
    /// `alg` missing, `none` in any spelling, or not an algorithm jwsgate knows.
    #[error("unsupported algorithm")]
    UnsupportedAlgorithm,
    /// A known algorithm outside the verifier's allowed set, or not matching the key.
    #[error("algorithm {0:?} is not allowed")]
    AlgorithmNotAllowed(Algorithm),
    /// A header parameter that would change processing (`crit`, `b64: false`, `zip`, ...).
    #[error("unsupported header: {0}")]
    UnsupportedHeader(&'static str),
    /// No configured key matches the token's `kid` (or, without `kid`, no single key fits).
    #[error("no key matches the token")]
    UnknownKey,
    /// The signature does not verify, or has the wrong length or encoding.
    #[error("invalid signature")]
    InvalidSignature,
    /// The header `typ` differs from the required one.
    #[error("the token type differs from the required one")]
    InvalidType,
    /// `exp` plus leeway is not after now.
    #[error("token expired")]
    Expired,
    /// `nbf` minus leeway is after now.
    #[error("token not yet valid")]
    NotYetValid,
    /// `iss` differs from the accepted issuer.
    #[error("issuer not accepted")]
    InvalidIssuer,
    /// No accepted audience in `aud`.
    #[error("audience not accepted")]
    InvalidAudience,
    /// A required claim (`exp`, `iss`, `aud`) is absent; the detail names it.
    #[error("missing claim: {0}")]
    MissingClaim(&'static str),
    /// A registered claim of the wrong JSON type, or `iat` in the future; the detail names it.
    #[error("invalid claim: {0}")]
    InvalidClaim(&'static str),
    /// A required scope is missing.
    #[error("insufficient scope")]
    InsufficientScope,
    /// Refused by the rate limiter.
    #[error("rate limited; retry after {retry_after_secs} s")]
    RateLimited {
        /// Whole seconds to wait, rounded up.
        retry_after_secs: u64,
    },
    /// The key source cannot be trusted now: a remote JWK Set past its staleness bound
    /// (its last good set is too old and refreshing it keeps failing). Fails closed.
    #[error("keys unavailable: the key source is past its staleness bound")]
    KeysUnavailable,
    /// Token introspection (RFC 7662) answered `active: false`.
    #[error("token is not active")]
    InvalidToken,
    /// The introspection endpoint failed: timeout, a status other than 200, or not the
    /// JSON object with a boolean `active` it must return. Fails closed.
    #[error("introspection endpoint unavailable")]
    IntrospectionUnavailable,
    /// A fail-closed fleet rate limiter could not consult its shared store (Redis down,
    /// or slower than its call deadline): answered 503 with `Retry-After`, the time until
    /// the limiter tries the store again. (`redis` feature; a server-use code, not one the
    /// CLI produces.)
    #[error("rate limiter unavailable; retry after {retry_after_secs} s")]
    RateLimiterUnavailable {
        /// Whole seconds to wait, rounded up.
        retry_after_secs: u64,
    },
}

impl Error {
    /// The stable error code of `docs/cli.md`, e.g. `"invalid_signature"`.
    pub const fn code(&self) -> &'static str {
        match self {
            Error::Malformed(_) => "malformed",
            Error::TokenTooLarge { .. } => "token_too_large",
            Error::UnsupportedAlgorithm => "unsupported_algorithm",
            Error::AlgorithmNotAllowed(_) => "algorithm_not_allowed",
            Error::UnsupportedHeader(_) => "unsupported_header",
            Error::UnknownKey => "unknown_key",
            Error::InvalidSignature => "invalid_signature",
            Error::InvalidType => "invalid_type",
            Error::Expired => "expired",
            Error::NotYetValid => "not_yet_valid",
            Error::InvalidIssuer => "invalid_issuer",
            Error::InvalidAudience => "invalid_audience",
            Error::MissingClaim(_) => "missing_claim",
            Error::InvalidClaim(_) => "invalid_claim",
            Error::InsufficientScope => "insufficient_scope",
            Error::RateLimited { .. } => "rate_limited",
            Error::KeysUnavailable => "keys_unavailable",
            Error::InvalidToken => "invalid_token",
            Error::IntrospectionUnavailable => "introspection_unavailable",
            Error::RateLimiterUnavailable { .. } => "rate_limiter_unavailable",
        }
    }

    /// The HTTP status a resource server answers with: 401, 403, 429 or 503.
    pub const fn status(&self) -> u16 {
        match self {
            Error::InsufficientScope => 403,
            Error::RateLimited { .. } => 429,
            Error::KeysUnavailable | Error::IntrospectionUnavailable => 503,
            Error::RateLimiterUnavailable { .. } => 503,
            _ => 401,
        }
    }

    /// The `Retry-After` value in seconds, for the refusals that carry one: 429
    /// [`Error::RateLimited`] and 503 [`Error::RateLimiterUnavailable`].
    ///
    /// ```
    /// use jwsgate::Error;
    /// assert_eq!(Error::RateLimited { retry_after_secs: 6 }.retry_after_secs(), Some(6));
    /// assert_eq!(Error::RateLimiterUnavailable { retry_after_secs: 1 }.retry_after_secs(), Some(1));
    /// assert_eq!(Error::Expired.retry_after_secs(), None);
    /// ```
    pub const fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Error::RateLimited { retry_after_secs }
            | Error::RateLimiterUnavailable { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }
}

/// Why a key or a verifier could not be configured. Raised when keys are loaded or the
/// verifier is built, never while verifying a token.
///
/// ```
/// use jwsgate::{ConfigError, StrongHmacKey};
/// let err = StrongHmacKey::new(b"short").unwrap_err();
/// assert!(matches!(err, ConfigError::HmacKeyTooShort { .. }));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// An HMAC secret shorter than its algorithm's floor.
    #[error("HMAC secret of {len} bytes is shorter than the {min} bytes {alg:?} needs")]
    HmacKeyTooShort {
        /// The algorithm the key was meant for.
        alg: crate::alg::HmacAlg,
        /// The secret's length.
        len: usize,
        /// The minimum length for the algorithm.
        min: usize,
    },
    /// An HMAC key from a JWK pinned by its `alg` to one algorithm, asked to verify
    /// another (the secret's length is not the problem).
    #[error("the HMAC key is pinned to {pinned:?} by its JWK alg and cannot verify {requested:?}")]
    HmacKeyPinned {
        /// The algorithm the JWK's `alg` names.
        pinned: crate::alg::HmacAlg,
        /// The algorithm asked for.
        requested: crate::alg::HmacAlg,
    },
    /// An HMAC secret that is guessable (repeated bytes, short period, placeholder word),
    /// or public key material (PEM, JWK, JWK Set, ...) offered as a secret; the detail
    /// says which, and what is expected instead.
    #[error("HMAC secret refused: {0}")]
    WeakHmacKey(&'static str),
    /// An RSA key under 2048 bits.
    #[error("RSA key of {bits} bits is under the 2048-bit minimum")]
    RsaKeyTooSmall {
        /// The modulus size in bits.
        bits: usize,
    },
    /// A key that cannot be parsed or is not valid (point off its curve, bad encoding...).
    #[error("invalid key: {0}")]
    InvalidKey(&'static str),
    /// A key of a type or curve jwsgate does not verify with.
    #[error("unsupported key: {0}")]
    UnsupportedKey(&'static str),
    /// A symmetric (`oct`) key where only asymmetric keys are accepted.
    #[error("a symmetric (oct) key is not allowed in an asymmetric key set")]
    SymmetricKeyInAsymmetricSet,
    /// A JWK Set document that is not valid or holds too many keys.
    #[error("invalid JWK Set: {0}")]
    InvalidKeySet(&'static str),
    /// Leeway over the 120-second maximum.
    #[error("leeway of {0} s exceeds the maximum of 120 s")]
    LeewayTooLarge(u64),
    /// An algorithm that the configured key source cannot verify with.
    #[error(
        "algorithm {0:?} is allowed but no configured key can verify it (the keys' types, \
         or their JWK alg, use or key_ops, rule it out)"
    )]
    AlgorithmNotSupportedByKeys(Algorithm),
    /// A policy value that cannot work (empty algorithm list, empty audience, zero size).
    #[error("invalid policy: {0}")]
    InvalidPolicy(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_cli_contract() {
        assert_eq!(Error::InsufficientScope.status(), 403);
        assert_eq!(
            Error::RateLimited {
                retry_after_secs: 3
            }
            .status(),
            429
        );
        assert_eq!(Error::Malformed("x").status(), 401);
        assert_eq!(Error::MissingClaim("exp").code(), "missing_claim");
        assert_eq!(Error::KeysUnavailable.status(), 503);
        assert_eq!(Error::KeysUnavailable.code(), "keys_unavailable");
        assert_eq!(Error::IntrospectionUnavailable.status(), 503);
        assert_eq!(
            Error::IntrospectionUnavailable.code(),
            "introspection_unavailable"
        );
        assert_eq!(Error::InvalidToken.status(), 401);
        assert_eq!(Error::InvalidToken.code(), "invalid_token");
        let unavailable = Error::RateLimiterUnavailable {
            retry_after_secs: 2,
        };
        assert_eq!(unavailable.status(), 503);
        assert_eq!(unavailable.code(), "rate_limiter_unavailable");
        assert_eq!(unavailable.retry_after_secs(), Some(2));
    }
}
