//! The HTTP layer (feature `http`): a tower [`Layer`](tower_layer::Layer) and
//! [`Service`](tower_service::Service) over `http::Request<B>` that make a hyper 1 or
//! axum 0.8 server an OAuth 2.1 resource server.
//!
//! For each request, in this order:
//!
//! | request | answer |
//! | --- | --- |
//! | CORS preflight (`OPTIONS` + `Access-Control-Request-Method`) | passed on, unauthenticated |
//! | `GET`/`HEAD` on the metadata path (RFC 9728 §3.1) | 200, the metadata JSON, cacheable; other methods 405 |
//! | an exempt route (method + canonical path on the allow-list) | passed on, unauthenticated |
//! | no `Authorization` field, or another scheme | **401**, challenge without `error` (RFC 6750 §3.1) |
//! | two `Authorization` fields, a field breaking RFC 6750 §2.1, `Bearer` without a token | **400** `invalid_request` |
//! | a token longer than the layer's maximum | **401** `invalid_token` (counted against the client address) |
//! | token fingerprint or client address already limited (checked before any signature work) | **429** + `Retry-After` |
//! | the limiter cannot answer and fails closed | **503** + `Retry-After` |
//! | the authenticator refuses the token (`Error::status()` 401) | **401** `invalid_token` (the failure is counted) |
//! | the authenticator cannot answer (`Error::status()` 503: keys past their staleness bound, introspection down) | **503** + `Retry-After` |
//! | the token lacks a scope its route needs | **403** `insufficient_scope`, `scope="…"` |
//! | otherwise | passed on with the [`Identity`] in the request extensions |
//!
//! Every 400, 401 and 403 carries one `WWW-Authenticate: Bearer` field with `realm`
//! (when configured), `error`, `error_description` (a fixed text chosen by
//! `Error::code()`, see [`DESCRIPTIONS`]), `scope` (403) and `resource_metadata`. No
//! answer depends on anything but `Error::code()`/`Error::status()`; no answer is 500.
//! The token is read only from the `Authorization` header: an `access_token` query
//! parameter is never read or logged (OAuth 2.1 §5.1.1), and the form-body method is
//! not supported. Each refusal is a `tracing` event (target `jwsgate::http`) with the
//! token's fingerprint, the error code, the status and the request path — never the
//! token.
//!
//! The client address (a rate-limiting key) comes from [`PeerAddr`] in the request
//! extensions (put there by a hyper accept loop), axum's `ConnectInfo<SocketAddr>`
//! (feature `axum`), or the header the operator names
//! ([`AuthLayerBuilder::client_address_header`]).
//!
//! ```no_run
//! use jwsgate::http::{AuthLayer, PathMatch};
//! use jwsgate::{KeySet, Verifier};
//! # fn demo(keys: KeySet) -> Result<(), Box<dyn std::error::Error>> {
//! let verifier = Verifier::builder()
//!     .key_set(keys)
//!     .issuer("https://issuer.example")
//!     .audience("https://api.example/mcp")
//!     .build()?;
//! let layer = AuthLayer::builder("https://api.example/mcp", verifier)
//!     .authorization_server("https://issuer.example")
//!     .exempt(http::Method::GET, PathMatch::exact("/health"))
//!     .build()?;
//! // hyper: `tower::ServiceBuilder::new().layer(layer).service(svc)`;
//! // axum: `Router::new().route(..).layer(layer)`.
//! # Ok(()) }
//! ```

#[cfg(feature = "axum")]
mod axum;
mod bearer;
mod body;
mod challenge;
mod layer;
mod limits;
mod resource;
mod routes;
mod service;

#[cfg(feature = "axum")]
pub use self::axum::{AuthRejection, RequireScopes, ScopeList};
pub use body::AuthBody;
pub use challenge::{DESCRIPTIONS, GENERIC_INVALID_TOKEN, INSUFFICIENT_SCOPE_DESCRIPTION};
pub use layer::{AuthLayer, AuthLayerBuilder};
pub use limits::{DEFAULT_UNAVAILABLE_RETRY_AFTER, MAX_LOGGED_PATH_BYTES, METADATA_MAX_AGE_SECS};
pub use resource::WELL_KNOWN_PREFIX;
pub use routes::{MethodFilter, PathMatch};
pub use service::{AuthService, PeerAddr, ResponseFuture};

pub use crate::authn::Identity;

/// Why an [`AuthLayer`] could not be built.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The resource identifier, an authorization server or `jwks_uri` is not a valid
    /// `https` URL (or loopback `http` with the development opt-in).
    #[error("invalid {what} URL: {why}")]
    InvalidUrl {
        /// Which URL.
        what: &'static str,
        /// What is wrong with it.
        why: &'static str,
    },
    /// The authenticator does not check that tokens carry the resource identifier as
    /// their audience (RFC 8707; the MCP authorization specification requires it).
    #[error("the authenticator does not require the resource identifier as audience")]
    AudienceNotChecked,
    /// No authorization server was configured for the metadata.
    #[error("at least one authorization server is required")]
    NoAuthorizationServer,
    /// A scope that is not an RFC 6749 §3.3 scope-token.
    #[error("invalid scope {0:?}")]
    InvalidScope(String),
    /// A rule path that is not absolute and canonical.
    #[error("invalid rule path: {why}")]
    InvalidPath {
        /// What is wrong with it.
        why: &'static str,
    },
    /// A realm with characters outside visible ASCII and space.
    #[error("invalid realm: visible ASCII and spaces only")]
    InvalidRealm,
    /// The client address header is not a valid header name.
    #[error("invalid client address header name")]
    InvalidHeaderName,
    /// A token size limit of zero or above the ceiling.
    #[error("invalid max token bytes {0}")]
    InvalidMaxTokenBytes(usize),
    /// The default limiter's clock thread could not start.
    #[error("cannot start the rate limiter's clock: {0}")]
    Limiter(std::io::Error),
}
