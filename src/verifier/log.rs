//! Outcome events (feature `tracing`). A token reaches a log only as its fingerprint
//! (docs/design.md principle 5); of the claims, only `iss` is logged. Refusals are `INFO`,
//! the level servers keep on in production; acceptances are `DEBUG`, one per request.
//! The fingerprint is computed only when a subscriber wants the event.

use crate::alg::Algorithm;
use crate::claims::Claims;
use crate::error::Error;
use crate::fingerprint::fingerprint;

/// Records an accepted token (and the `iss` of its claims, if it has claims). Nothing
/// is computed, not even where `iss` lies, unless a subscriber wants the event.
pub(crate) fn accepted(
    token: &[u8],
    alg: Algorithm,
    kid: Option<&str>,
    claims: Option<&Claims<'_>>,
) {
    tracing::debug!(
        target: "jwsgate",
        fingerprint = %fingerprint(token),
        alg = alg.name(),
        kid = ?kid,
        iss = ?claims.and_then(Claims::iss),
        "token accepted"
    );
}

/// Records a refused token: its fingerprint and the error code, never its bytes.
pub(crate) fn refused(token: &[u8], error: &Error) {
    tracing::info!(
        target: "jwsgate",
        fingerprint = %fingerprint(token),
        error = error.code(),
        status = error.status(),
        "token refused"
    );
}
