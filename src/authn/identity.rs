//! The owned, small identity a request carries once its token was accepted: what a
//! handler needs (subject, issuer, client, scopes, expiry, how it was authenticated),
//! never the token itself.
//!
//! All text lives in one shared `Arc<str>`: building an identity allocates once, cloning
//! one (an extractor handing it to a handler) only counts a reference.

use core::fmt;
use std::cell::RefCell;
use std::sync::Arc;

use crate::alg::Algorithm;
use crate::claims::is_scope_token;
use crate::fingerprint::Fingerprint;
use crate::time::UnixTime;
use crate::verifier::VerifiedToken;

/// How the token was authenticated.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthMethod {
    /// A compact JWS/JWT whose signature and claims verified.
    Jwt,
    /// An opaque token that RFC 7662 introspection declared active.
    Introspection,
    /// A token from a static table (development and tests).
    Static,
}

/// Where one string lives in the identity's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

/// The verified holder of a bearer token: subject, issuer, client id, scopes, expiry,
/// algorithm, key id, token fingerprint and [`AuthMethod`]. Owned and cheap to clone.
///
/// Scopes are kept only when they are RFC 6749 §3.3 `scope-token`s (visible ASCII but
/// `"` and `\`, no space): an `scp` array entry holding a space cannot be mistaken for
/// two scopes.
///
/// ```
/// use jwsgate::authn::{AuthMethod, Identity};
/// use jwsgate::fingerprint::fingerprint;
///
/// let id = Identity::builder(fingerprint(b"opaque"), AuthMethod::Static)
///     .subject("user-42")
///     .scope("mcp:read mcp:tools")
///     .build();
/// assert_eq!(id.subject(), Some("user-42"));
/// assert!(id.has_scope("mcp:tools"));
/// assert_eq!(id.missing_scopes(&["mcp:read", "admin"]).collect::<Vec<_>>(), ["admin"]);
/// assert!(!format!("{id:?}").contains("opaque"));
/// ```
#[derive(Clone)]
pub struct Identity {
    text: Arc<str>,
    subject: Option<Span>,
    issuer: Option<Span>,
    client_id: Option<Span>,
    kid: Option<Span>,
    scope: Span,
    expires_at: Option<UnixTime>,
    alg: Option<Algorithm>,
    fingerprint: Fingerprint,
    method: AuthMethod,
}

thread_local! {
    /// The text of identities being built on this thread, reused so that building one
    /// allocates exactly once (the `Arc<str>`).
    static TEXT: RefCell<String> = const { RefCell::new(String::new()) };
}

impl Identity {
    /// Starts an identity for a token with fingerprint `fingerprint`, authenticated by
    /// `method` (for authenticators other than the JWT verifier).
    pub fn builder(fingerprint: Fingerprint, method: AuthMethod) -> IdentityBuilder {
        IdentityBuilder {
            text: String::new(),
            identity: Parts {
                subject: None,
                issuer: None,
                client_id: None,
                kid: None,
                scope: None,
                expires_at: None,
                alg: None,
                fingerprint,
                method,
            },
        }
    }

    /// The identity of a verified JWT: `sub`, `iss`, `client_id`, the scopes of `scope`
    /// and `scp`, `exp`, the algorithm and `kid`. Allocates once (the shared text).
    pub fn from_verified(token: &VerifiedToken<'_>, fingerprint: Fingerprint) -> Identity {
        let claims = token.claims();
        let build = |text: &mut String| {
            text.clear();
            let mut push = |s: Option<&str>| s.map(|s| push_span(text, s));
            let subject = push(claims.sub());
            let issuer = push(claims.iss());
            let client_id = push(claims.client_id());
            let kid = push(token.kid());
            let scope = push_scopes(text, claims.scopes());
            let parts = Parts {
                subject,
                issuer,
                client_id,
                kid,
                scope: Some(scope),
                expires_at: claims
                    .exp()
                    .map(|e| UnixTime::from_secs(u64::try_from(e.ceil_secs()).unwrap_or(0))),
                alg: Some(token.alg()),
                fingerprint,
                method: AuthMethod::Jwt,
            };
            parts.finish(Arc::from(text.as_str()))
        };
        TEXT.with(|cell| match cell.try_borrow_mut() {
            Ok(mut text) => build(&mut text),
            Err(_) => build(&mut String::new()),
        })
    }

    fn str(&self, span: Option<Span>) -> Option<&str> {
        let span = span?;
        self.text.get(span.start as usize..span.end as usize)
    }

    /// The subject (`sub`).
    pub fn subject(&self) -> Option<&str> {
        self.str(self.subject)
    }

    /// The issuer (`iss`).
    pub fn issuer(&self) -> Option<&str> {
        self.str(self.issuer)
    }

    /// The OAuth client the token was issued to (`client_id`, RFC 9068 §2.2).
    pub fn client_id(&self) -> Option<&str> {
        self.str(self.client_id)
    }

    /// The key id of the signing key (JWT only).
    pub fn kid(&self) -> Option<&str> {
        self.str(self.kid)
    }

    /// The scopes as one space-separated string (RFC 6749 §3.3), possibly empty.
    pub fn scope(&self) -> &str {
        self.str(Some(self.scope)).unwrap_or_default()
    }

    /// The scopes, one by one.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope().split(' ').filter(|s| !s.is_empty())
    }

    /// Whether the token carries `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes().any(|s| s == scope)
    }

    /// The scopes of `required` the token does not carry, in order.
    pub fn missing_scopes<'r, S: AsRef<str>>(
        &self,
        required: &'r [S],
    ) -> impl Iterator<Item = &'r str> {
        required
            .iter()
            .map(AsRef::as_ref)
            .filter(|want| !self.has_scope(want))
    }

    /// The expiry (`exp`, or introspection's `exp`), to the second.
    pub fn expires_at(&self) -> Option<UnixTime> {
        self.expires_at
    }

    /// The signature algorithm (JWT only).
    pub fn alg(&self) -> Option<Algorithm> {
        self.alg
    }

    /// The token's fingerprint: what logs carry instead of the token.
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// How the token was authenticated.
    pub fn method(&self) -> AuthMethod {
        self.method
    }
}

/// Shows every field; there is no token to hide (only its fingerprint is kept).
impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("subject", &self.subject())
            .field("issuer", &self.issuer())
            .field("client_id", &self.client_id())
            .field("scope", &self.scope())
            .field("expires_at", &self.expires_at.map(UnixTime::as_secs))
            .field("alg", &self.alg)
            .field("kid", &self.kid())
            .field("fingerprint", &self.fingerprint)
            .field("method", &self.method)
            .finish()
    }
}

/// Everything but the text, while building.
#[derive(Debug, Clone, Copy)]
struct Parts {
    subject: Option<Span>,
    issuer: Option<Span>,
    client_id: Option<Span>,
    kid: Option<Span>,
    scope: Option<Span>,
    expires_at: Option<UnixTime>,
    alg: Option<Algorithm>,
    fingerprint: Fingerprint,
    method: AuthMethod,
}

impl Parts {
    fn finish(self, text: Arc<str>) -> Identity {
        Identity {
            text,
            subject: self.subject,
            issuer: self.issuer,
            client_id: self.client_id,
            kid: self.kid,
            scope: self.scope.unwrap_or(Span { start: 0, end: 0 }),
            expires_at: self.expires_at,
            alg: self.alg,
            fingerprint: self.fingerprint,
            method: self.method,
        }
    }
}

/// A span past `u32::MAX` bytes cannot arise from a token (tokens are at most 64 KiB);
/// should it, the span is empty rather than wrong.
fn offset(text: &str) -> u32 {
    u32::try_from(text.len()).unwrap_or(u32::MAX)
}

fn push_span(text: &mut String, s: &str) -> Span {
    let start = offset(text);
    text.push_str(s);
    let end = offset(text);
    if end == u32::MAX {
        Span { start: 0, end: 0 }
    } else {
        Span { start, end }
    }
}

/// Appends the valid scope-tokens of `scopes`, space-separated.
fn push_scopes<'a>(text: &mut String, scopes: impl Iterator<Item = &'a str>) -> Span {
    let start = offset(text);
    for scope in scopes.filter(|s| is_scope_token(s)) {
        if offset(text) > start {
            text.push(' ');
        }
        text.push_str(scope);
    }
    let end = offset(text);
    if end == u32::MAX {
        Span { start: 0, end: 0 }
    } else {
        Span { start, end }
    }
}

/// Builds an [`Identity`] for authenticators other than the JWT verifier (introspection,
/// static tokens). Setting a field twice keeps the last value.
///
/// ```
/// use jwsgate::authn::{AuthMethod, Identity};
/// use jwsgate::{UnixTime, fingerprint::fingerprint};
///
/// let id = Identity::builder(fingerprint(b"t"), AuthMethod::Introspection)
///     .subject("svc")
///     .issuer("https://issuer.example")
///     .client_id("cli")
///     .scopes(["a", "b c", "d"]) // "b c" is not a scope-token: dropped
///     .expires_at(UnixTime::from_secs(2_000_000_000))
///     .build();
/// assert_eq!(id.scope(), "a d");
/// assert_eq!(id.client_id(), Some("cli"));
/// assert_eq!(id.expires_at(), Some(UnixTime::from_secs(2_000_000_000)));
/// ```
#[must_use]
#[derive(Debug)]
pub struct IdentityBuilder {
    text: String,
    identity: Parts,
}

impl IdentityBuilder {
    /// The subject.
    pub fn subject(mut self, subject: &str) -> Self {
        self.identity.subject = Some(push_span(&mut self.text, subject));
        self
    }

    /// The issuer.
    pub fn issuer(mut self, issuer: &str) -> Self {
        self.identity.issuer = Some(push_span(&mut self.text, issuer));
        self
    }

    /// The client id.
    pub fn client_id(mut self, client_id: &str) -> Self {
        self.identity.client_id = Some(push_span(&mut self.text, client_id));
        self
    }

    /// The signing key's id.
    pub fn kid(mut self, kid: &str) -> Self {
        self.identity.kid = Some(push_span(&mut self.text, kid));
        self
    }

    /// The scopes from a space-separated `scope` string (RFC 6749 §3.3).
    pub fn scope(self, scope: &str) -> Self {
        self.scopes(scope.split(' '))
    }

    /// The scopes, one by one; entries that are not scope-tokens are dropped.
    pub fn scopes<'a>(mut self, scopes: impl IntoIterator<Item = &'a str>) -> Self {
        self.identity.scope = Some(push_scopes(&mut self.text, scopes.into_iter()));
        self
    }

    /// The expiry.
    pub fn expires_at(mut self, at: UnixTime) -> Self {
        self.identity.expires_at = Some(at);
        self
    }

    /// The signature algorithm.
    pub fn alg(mut self, alg: Algorithm) -> Self {
        self.identity.alg = Some(alg);
        self
    }

    /// The identity.
    pub fn build(self) -> Identity {
        self.identity.finish(Arc::from(self.text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::fingerprint;

    #[test]
    fn builder_keeps_every_field_and_the_last_value() {
        let id = Identity::builder(fingerprint(b"x"), AuthMethod::Static)
            .subject("a")
            .subject("b")
            .issuer("iss")
            .kid("k1")
            .scope("  one  two ")
            .alg(Algorithm::ES256)
            .build();
        assert_eq!(id.subject(), Some("b"));
        assert_eq!(id.issuer(), Some("iss"));
        assert_eq!(id.kid(), Some("k1"));
        assert_eq!(id.client_id(), None);
        assert_eq!(id.scope(), "one two");
        assert_eq!(id.scopes().collect::<Vec<_>>(), ["one", "two"]);
        assert_eq!(id.alg(), Some(Algorithm::ES256));
        assert_eq!(id.method(), AuthMethod::Static);
        assert_eq!(id.fingerprint(), fingerprint(b"x"));
        assert!(!id.has_scope("on"));
        let shown = format!("{id:?}");
        assert!(
            shown.contains("\"b\"") && shown.contains("one two"),
            "{shown}"
        );
    }

    #[test]
    fn an_identity_without_scopes_has_none() {
        let id = Identity::builder(fingerprint(b"x"), AuthMethod::Jwt).build();
        assert_eq!(id.scope(), "");
        assert_eq!(id.scopes().count(), 0);
        assert_eq!(id.missing_scopes(&["a"]).collect::<Vec<_>>(), ["a"]);
    }
}
