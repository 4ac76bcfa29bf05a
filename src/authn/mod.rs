//! Authentication of a bearer token into an owned [`Identity`], and the limiter of
//! failed attempts: the two extension points of the HTTP layer (feature `http`), kept in
//! the core so that other layers (introspection, a fleet-wide limiter) can implement
//! them without depending on tower or hyper.
//!
//! * [`Authenticator`] turns a token into an [`Identity`] or an [`Error`]. The
//!   [`Verifier`] is one (compact JWS/JWT, synchronous, no allocation but the identity's
//!   one); an RFC 7662 introspection client or a development static-token table are
//!   others. [`Chain`] sends JWS-shaped tokens (three base64url segments) to one and
//!   every other token to another.
//! * [`FailureLimiter`] answers "is this key already limited?" before any signature work
//!   and records a failure after verification; [`LocalLimiter`] is the crate's lock-free
//!   [`crate::RateLimiter`] behind it.
//!
//! Both may answer at once or later: they return a [`MaybeReady`], which a synchronous
//! implementation fills without allocating and an asynchronous one (network I/O) fills
//! with a boxed future.
//!
//! ```
//! use jwsgate::authn::{AuthContext, Authenticator, Identity};
//! use jwsgate::{PublicKey, UnixTime, Verifier, fingerprint::fingerprint};
//! # fn demo(key: PublicKey, token: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let verifier = Verifier::builder()
//!     .public_key(key)
//!     .issuer("https://issuer.example")
//!     .audience("https://api.example/mcp")
//!     .build()?;
//! let cx = AuthContext::new(fingerprint(token.as_bytes()), UnixTime::now());
//! // The verifier answers at once: no executor needed.
//! match verifier.authenticate(token, &cx).into_ready() {
//!     Ok(Ok(identity)) => println!("{:?} with {:?}", identity.subject(), identity.scope()),
//!     Ok(Err(refused)) => println!("{} ({})", refused.code(), refused.status()),
//!     Err(_pending) => println!("deferred: await it (the verifier never defers)"),
//! }
//! # Ok(()) }
//! ```

mod chain;
mod identity;
mod limiter;
mod maybe;

pub use crate::claims::is_scope_token;
pub use chain::{Chain, is_jws_shaped};
pub use identity::{AuthMethod, Identity, IdentityBuilder};
pub use limiter::{
    DEFAULT_CLIENT_FAILURES, DEFAULT_FAILURE_WINDOW, DEFAULT_LIMITER_CAPACITY,
    DEFAULT_LIMITER_CLOCK_RESOLUTION, DEFAULT_TOKEN_FAILURES, FailureLimiter, LimitKeys,
    LocalLimiter,
};
pub use maybe::MaybeReady;

use crate::error::Error;
use crate::fingerprint::Fingerprint;
use crate::time::UnixTime;
use crate::verifier::Verifier;

/// What an [`Authenticator`] is told besides the token: the token's fingerprint (computed
/// once by the caller, for logs and caches) and the instant to judge time claims at.
///
/// ```
/// use jwsgate::{UnixTime, authn::AuthContext, fingerprint::fingerprint};
/// let cx = AuthContext::new(fingerprint(b"tok"), UnixTime::from_secs(1_700_000_000));
/// assert_eq!(cx.now().as_secs(), 1_700_000_000);
/// assert_eq!(cx.fingerprint(), fingerprint(b"tok"));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy)]
pub struct AuthContext {
    fingerprint: Fingerprint,
    now: UnixTime,
}

impl AuthContext {
    /// The context of one authentication: the token's fingerprint and the present.
    pub const fn new(fingerprint: Fingerprint, now: UnixTime) -> AuthContext {
        AuthContext { fingerprint, now }
    }

    /// The token's fingerprint ([`crate::fingerprint::fingerprint`] of its bytes).
    pub const fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// The instant at which time claims (`exp`, `nbf`, `iat`) are judged.
    pub const fn now(&self) -> UnixTime {
        self.now
    }
}

/// Turns a bearer token into the owned [`Identity`] of its holder, or refuses it with an
/// [`Error`] whose [`Error::status`] decides the HTTP answer (401 refused token, 403
/// missing scope, 503 a source that cannot answer now).
///
/// An implementation answers at once with [`MaybeReady::ready`] (no allocation) or later
/// with [`MaybeReady::pending`] (a boxed `'static` future: copy what it needs from
/// `token`). It must never log or keep the token itself; [`AuthContext::fingerprint`] is
/// what logs carry.
///
/// ```
/// use jwsgate::Error;
/// use jwsgate::authn::{AuthContext, AuthMethod, Authenticator, Identity, MaybeReady};
///
/// /// Accepts one opaque token (a test double; compare in constant time for real).
/// struct OneToken;
///
/// impl Authenticator for OneToken {
///     fn authenticate(&self, token: &str, cx: &AuthContext) -> MaybeReady<Result<Identity, Error>> {
///         MaybeReady::ready(if token == "let-me-in" {
///             Ok(Identity::builder(cx.fingerprint(), AuthMethod::Static).subject("tester").build())
///         } else {
///             Err(Error::InvalidToken)
///         })
///     }
/// }
/// ```
pub trait Authenticator: Send + Sync + 'static {
    /// Authenticates `token` (the `b64token` of an `Authorization: Bearer` header).
    fn authenticate(&self, token: &str, cx: &AuthContext) -> MaybeReady<Result<Identity, Error>>;

    /// Whether tokens this authenticator accepts must carry `resource` as their audience
    /// (RFC 8707): `Some(true)` when it checks the audience and accepts `resource`,
    /// `Some(false)` when it does not check it or accepts only other audiences, `None`
    /// when it cannot say. The HTTP layer refuses to build with an authenticator
    /// answering `Some(false)` for its resource identifier.
    fn accepts_audience(&self, resource: &str) -> Option<bool> {
        let _ = resource;
        None
    }
}

impl<A: Authenticator + ?Sized> Authenticator for std::sync::Arc<A> {
    fn authenticate(&self, token: &str, cx: &AuthContext) -> MaybeReady<Result<Identity, Error>> {
        (**self).authenticate(token, cx)
    }

    fn accepts_audience(&self, resource: &str) -> Option<bool> {
        (**self).accepts_audience(resource)
    }
}

impl<A: Authenticator + ?Sized> Authenticator for Box<A> {
    fn authenticate(&self, token: &str, cx: &AuthContext) -> MaybeReady<Result<Identity, Error>> {
        (**self).authenticate(token, cx)
    }

    fn accepts_audience(&self, resource: &str) -> Option<bool> {
        (**self).accepts_audience(resource)
    }
}

/// Compact JWS/JWT tokens, verified synchronously with this thread's scratch: the only
/// allocation is the identity's text.
impl Authenticator for Verifier {
    fn authenticate(&self, token: &str, cx: &AuthContext) -> MaybeReady<Result<Identity, Error>> {
        let fingerprint = cx.fingerprint();
        MaybeReady::ready(self.verify_with(token.as_bytes(), cx.now(), |outcome| {
            outcome.map(|verified| Identity::from_verified(&verified, fingerprint))
        }))
    }

    fn accepts_audience(&self, resource: &str) -> Option<bool> {
        Some(self.requires_audience(resource))
    }
}
