//! [`OutboundError`]: why a fetch failed or an endpoint was refused.

use core::time::Duration;

/// Why an outbound request failed, or why an endpoint URL was refused at configuration
/// time. `Display` names the failure class and never a header, a body byte, a query
/// string or a credential (the caller logs the endpoint it chose).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutboundError {
    /// The URL cannot be used: not a URL, user info in it, no host, a fragment.
    #[error("invalid URL: {0}")]
    InvalidUrl(&'static str),
    /// An `http://` URL that is not on a loopback address, or on one without the
    /// explicit `allow_insecure_loopback` opt-in; or a scheme other than https/http.
    #[error("insecure URL refused: {0}")]
    InsecureUrl(&'static str),
    /// A client setting that cannot work (zero timeout, an extra root that is not a
    /// certificate, a header value that is not visible ASCII...).
    #[error("invalid client configuration: {0}")]
    InvalidConfig(&'static str),
    /// The one deadline around connect + TLS + request + whole body passed.
    #[error("no complete answer within {after:?}")]
    Timeout {
        /// The deadline that passed.
        after: Duration,
    },
    /// No TCP connection could be made (refused, unreachable, name not resolved).
    #[error("cannot connect: {0}")]
    Connect(String),
    /// The TLS handshake failed (untrusted certificate, wrong name, protocol).
    #[error("TLS handshake failed: {0}")]
    Tls(String),
    /// The connection broke or the peer did not speak HTTP/1.1 correctly.
    #[error("HTTP protocol error: {0}")]
    Protocol(String),
    /// The server answered a redirect (3xx other than 304). Redirects are never
    /// followed: the configured URL is the only place fetched.
    #[error("redirect (status {status}) refused: redirects are never followed")]
    Redirect {
        /// The 3xx status.
        status: u16,
    },
    /// The server answered a status that is neither 2xx nor 304.
    #[error("unexpected HTTP status {status}")]
    Status {
        /// The status.
        status: u16,
    },
    /// The body (announced or streamed) is larger than the caller's cap; reading stopped
    /// at the cap.
    #[error("response body larger than the cap of {max} bytes")]
    TooLarge {
        /// The cap.
        max: usize,
    },
}

impl OutboundError {
    /// Whether this is a configuration error (the URL or the client settings), found
    /// before anything is sent; the other variants are failures of one request.
    pub fn is_config(&self) -> bool {
        matches!(
            self,
            OutboundError::InvalidUrl(_)
                | OutboundError::InsecureUrl(_)
                | OutboundError::InvalidConfig(_)
        )
    }

    /// A short, stable label of the failure class for logs and metrics: `invalid_url`,
    /// `insecure_url`, `invalid_config`, `timeout`, `connect`, `tls`, `protocol`,
    /// `redirect`, `status`, `too_large`.
    pub fn kind(&self) -> &'static str {
        match self {
            OutboundError::InvalidUrl(_) => "invalid_url",
            OutboundError::InsecureUrl(_) => "insecure_url",
            OutboundError::InvalidConfig(_) => "invalid_config",
            OutboundError::Timeout { .. } => "timeout",
            OutboundError::Connect(_) => "connect",
            OutboundError::Tls(_) => "tls",
            OutboundError::Protocol(_) => "protocol",
            OutboundError::Redirect { .. } => "redirect",
            OutboundError::Status { .. } => "status",
            OutboundError::TooLarge { .. } => "too_large",
        }
    }
}
