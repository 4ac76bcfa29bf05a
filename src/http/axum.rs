//! axum extractors (feature `axum`): the verified [`Identity`], and [`RequireScopes`],
//! which also demands scopes of its own per handler (403 `insufficient_scope`
//! otherwise, with the same challenge the layer would give).
//!
//! ```no_run
//! use axum::{Json, Router, routing::post};
//! use jwsgate::http::{Identity, RequireScopes, ScopeList};
//!
//! /// The scopes the tools handler needs.
//! struct Tools;
//! impl ScopeList for Tools {
//!     const SCOPES: &'static [&'static str] = &["mcp:tools"];
//! }
//!
//! async fn whoami(identity: Identity) -> String {
//!     identity.subject().unwrap_or("anonymous").to_owned()
//! }
//!
//! async fn call_tool(caller: RequireScopes<Tools>) -> String {
//!     format!("tool called by {:?}", caller.subject())
//! }
//!
//! let app: Router = Router::new()
//!     .route("/whoami", axum::routing::get(whoami))
//!     .route("/tools", post(call_tool));
//! // .layer(auth_layer) — the layer puts the Identity in the extensions.
//! ```

use core::fmt;
use core::marker::PhantomData;
use core::ops::Deref;

use ::axum::extract::FromRequestParts;
use ::axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::request::Parts;
use http::{HeaderValue, StatusCode};

use super::Identity;
use super::service::{LayerState, challenge};

/// A list of scopes a handler requires, as a type (so it can parametrize
/// [`RequireScopes`]).
pub trait ScopeList: Send + Sync + 'static {
    /// The scopes, every one of which the token must carry (RFC 6749 §3.3 scope-tokens).
    const SCOPES: &'static [&'static str];
}

/// The verified identity of a token carrying every scope of `L`; refused with 403
/// `insufficient_scope` (`scope` naming `L::SCOPES`) otherwise, and with 401 when the
/// request was not authenticated (a route the layer exempts, or no layer).
pub struct RequireScopes<L: ScopeList> {
    identity: Identity,
    scopes: PhantomData<fn() -> L>,
}

impl<L: ScopeList> RequireScopes<L> {
    /// The identity.
    pub fn into_identity(self) -> Identity {
        self.identity
    }
}

impl<L: ScopeList> Deref for RequireScopes<L> {
    type Target = Identity;

    fn deref(&self) -> &Identity {
        &self.identity
    }
}

impl<L: ScopeList> fmt::Debug for RequireScopes<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequireScopes")
            .field("scopes", &L::SCOPES)
            .field("identity", &self.identity)
            .finish()
    }
}

/// Why an extractor refused: a 401 or 403 with its `WWW-Authenticate` challenge.
pub struct AuthRejection {
    response: http::Response<Bytes>,
}

impl AuthRejection {
    /// The status: 401 (not authenticated) or 403 (a scope missing).
    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    fn unauthenticated(parts: &Parts) -> AuthRejection {
        let response = match parts.extensions.get::<LayerState>() {
            Some(LayerState(shared)) => challenge(
                shared,
                StatusCode::UNAUTHORIZED,
                shared.challenges.no_credentials.clone(),
            ),
            None => {
                let mut r = http::Response::new(Bytes::new());
                *r.status_mut() = StatusCode::UNAUTHORIZED;
                r.headers_mut().insert(
                    http::header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer"),
                );
                r
            }
        };
        AuthRejection { response }
    }

    fn insufficient_scope(parts: &Parts, identity: &Identity, scopes: &[&str]) -> AuthRejection {
        let scope = scopes.join(" ");
        tracing::info!(
            target: "jwsgate::http",
            fingerprint = identity.fingerprint().as_str(),
            code = "insufficient_scope",
            status = 403u16,
            route = parts.uri.path(),
            "request refused"
        );
        let response = match parts.extensions.get::<LayerState>() {
            Some(LayerState(shared)) => challenge(
                shared,
                StatusCode::FORBIDDEN,
                shared.challenges.insufficient_scope(Some(&scope)),
            ),
            None => {
                let mut r = http::Response::new(Bytes::new());
                *r.status_mut() = StatusCode::FORBIDDEN;
                r
            }
        };
        AuthRejection { response }
    }
}

impl fmt::Debug for AuthRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthRejection")
            .field("status", &self.response.status())
            .finish()
    }
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        self.response.map(::axum::body::Body::from)
    }
}

/// The identity the layer verified; 401 when there is none.
impl<S: Send + Sync> FromRequestParts<S> for Identity {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Identity, AuthRejection> {
        match parts.extensions.get::<Identity>() {
            Some(identity) => Ok(identity.clone()),
            None => Err(AuthRejection::unauthenticated(parts)),
        }
    }
}

impl<S: Send + Sync, L: ScopeList> FromRequestParts<S> for RequireScopes<L> {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AuthRejection> {
        let identity = Identity::from_request_parts(parts, state).await?;
        if identity.missing_scopes(L::SCOPES).next().is_some() {
            return Err(AuthRejection::insufficient_scope(
                parts,
                &identity,
                L::SCOPES,
            ));
        }
        Ok(RequireScopes {
            identity,
            scopes: PhantomData,
        })
    }
}
