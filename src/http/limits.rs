//! The HTTP layer's own limits and defaults (the rate limits are in
//! [`crate::authn`]: `DEFAULT_TOKEN_FAILURES` and the rest).

use core::time::Duration;

/// `Retry-After` of a 503 (keys or a fleet limiter unavailable): 10 s. Long enough not
/// to hammer a recovering source, short enough that clients come back soon after it
/// recovers; the remote key refresher retries on a similar scale.
pub const DEFAULT_UNAVAILABLE_RETRY_AFTER: Duration = Duration::from_secs(10);

/// `max-age` of the metadata document: one hour. It changes only with a deployment;
/// clients and caches may keep it that long (RFC 9728 §3.2 lets the resource choose).
pub const METADATA_MAX_AGE_SECS: u64 = 3600;

/// Longest request path put into a refusal event, in bytes: paths are client-chosen
/// (up to the server's header limits); 256 bytes name any real route.
pub const MAX_LOGGED_PATH_BYTES: usize = 256;
