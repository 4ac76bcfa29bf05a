//! The layer's configuration: [`AuthLayer::builder`] validates everything once (resource
//! identifier, rule paths, scopes, realm, header names, the authenticator's audience)
//! and renders the metadata document and the fixed challenges.

use core::fmt;
use core::time::Duration;
use std::sync::Arc;

use bytes::Bytes;
use http::HeaderName;

use super::BuildError;
use super::challenge::Challenges;
use super::limits::{DEFAULT_UNAVAILABLE_RETRY_AFTER, METADATA_MAX_AGE_SECS};
use super::resource::{HttpsUrl, Resource};
use super::routes::{MethodFilter, PathMatch, RouteMatch, ScopeRule};
use crate::authn::{Authenticator, FailureLimiter, LocalLimiter, is_scope_token};
use crate::limits::{DEFAULT_MAX_TOKEN_BYTES, MAX_TOKEN_BYTES_CEILING};

/// What every request handled by the layer shares.
pub(crate) struct Shared {
    pub(crate) authenticator: Arc<dyn Authenticator>,
    pub(crate) limiter: Arc<dyn FailureLimiter>,
    pub(crate) resource: Resource,
    pub(crate) metadata: Bytes,
    pub(crate) challenges: Challenges,
    pub(crate) scope_rules: Box<[ScopeRule]>,
    pub(crate) exemptions: Box<[RouteMatch]>,
    pub(crate) client_address_header: Option<HeaderName>,
    pub(crate) expose_www_authenticate: bool,
    pub(crate) max_token_bytes: usize,
    pub(crate) unavailable_retry_after_secs: u64,
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthLayer")
            .field("resource", &self.resource.id)
            .field("metadata_url", &self.resource.metadata_url)
            .field("scope_rules", &self.scope_rules)
            .field("exemptions", &self.exemptions)
            .field("client_address_header", &self.client_address_header)
            .field("max_token_bytes", &self.max_token_bytes)
            .finish_non_exhaustive()
    }
}

/// The bearer-token layer: wraps a service so that every request (but the exempt ones)
/// must carry a token the authenticator accepts, with the scopes its route needs. Cheap
/// to clone (one `Arc`). See the [module docs](super) for what it answers when.
///
/// ```no_run
/// use http::Method;
/// use jwsgate::http::{AuthLayer, PathMatch};
/// use jwsgate::{KeySet, Verifier};
/// # fn demo(keys: KeySet) -> Result<(), Box<dyn std::error::Error>> {
/// let resource = "https://api.example/mcp";
/// let verifier = Verifier::builder()
///     .key_set(keys)
///     .issuer("https://issuer.example")
///     .audience(resource) // RFC 8707: the layer refuses a verifier that does not check it
///     .build()?;
/// let layer = AuthLayer::builder(resource, verifier)
///     .authorization_server("https://issuer.example")
///     .scopes_supported(["mcp:read", "mcp:tools"])
///     .require_scopes(Method::GET, PathMatch::prefix("/mcp"), ["mcp:read"])
///     .require_scopes(Method::POST, PathMatch::prefix("/mcp"), ["mcp:tools"])
///     .exempt(Method::GET, PathMatch::exact("/health"))
///     .build()?;
/// assert_eq!(
///     layer.metadata_url(),
///     "https://api.example/.well-known/oauth-protected-resource/mcp"
/// );
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct AuthLayer {
    pub(crate) shared: Arc<Shared>,
}

impl fmt::Debug for AuthLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.shared, f)
    }
}

impl AuthLayer {
    /// Starts configuring the layer of the protected resource `resource` (its RFC 9728 /
    /// RFC 8707 identifier, an `https` URL), authenticating tokens with `authenticator`
    /// (a [`crate::Verifier`], a [`crate::authn::Chain`], ...).
    pub fn builder(resource: &str, authenticator: impl Authenticator) -> AuthLayerBuilder {
        AuthLayerBuilder {
            resource: resource.to_owned(),
            authenticator: Arc::new(authenticator),
            limiter: None,
            allow_insecure_loopback: false,
            authorization_servers: Vec::new(),
            scopes_supported: Vec::new(),
            resource_name: None,
            jwks_uri: None,
            realm: None,
            scope_rules: Vec::new(),
            exemptions: Vec::new(),
            client_address_header: None,
            expose_www_authenticate: false,
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
            unavailable_retry_after: DEFAULT_UNAVAILABLE_RETRY_AFTER,
        }
    }

    /// The resource identifier, exactly as configured.
    pub fn resource(&self) -> &str {
        self.shared.resource.id.as_str()
    }

    /// The URL of the resource's metadata (RFC 9728 §3.1), the `resource_metadata` of
    /// every challenge.
    pub fn metadata_url(&self) -> &str {
        &self.shared.resource.metadata_url
    }

    /// The path the layer answers the metadata at (`GET` and `HEAD`).
    pub fn metadata_path(&self) -> &str {
        &self.shared.resource.metadata_path
    }

    /// The metadata document (JSON) served at [`AuthLayer::metadata_path`].
    pub fn metadata_json(&self) -> &[u8] {
        &self.shared.metadata
    }
}

/// Configures an [`AuthLayer`]; [`AuthLayerBuilder::build`] validates it.
#[must_use]
pub struct AuthLayerBuilder {
    resource: String,
    authenticator: Arc<dyn Authenticator>,
    limiter: Option<Arc<dyn FailureLimiter>>,
    allow_insecure_loopback: bool,
    authorization_servers: Vec<String>,
    scopes_supported: Vec<String>,
    resource_name: Option<String>,
    jwks_uri: Option<String>,
    realm: Option<String>,
    scope_rules: Vec<ScopeRule>,
    exemptions: Vec<RouteMatch>,
    client_address_header: Option<String>,
    expose_www_authenticate: bool,
    max_token_bytes: usize,
    unavailable_retry_after: Duration,
}

impl fmt::Debug for AuthLayerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthLayerBuilder")
            .field("resource", &self.resource)
            .finish_non_exhaustive()
    }
}

impl AuthLayerBuilder {
    /// Limits failed attempts with `limiter` (a fleet-wide one, or a [`LocalLimiter`]
    /// with other limits). Default: [`LocalLimiter::with_defaults`] — 10 failures per
    /// 60 s per token fingerprint, 100 per 60 s per client address, on a coarse clock.
    pub fn limiter(mut self, limiter: impl FailureLimiter) -> Self {
        self.limiter = Some(Arc::new(limiter));
        self
    }

    /// DEVELOPMENT ONLY: accepts an `http://` resource identifier (and authorization
    /// server, `jwks_uri`) on a loopback host (`localhost`, 127.0.0.0/8, `[::1]`).
    /// Tokens then travel unencrypted on the loopback interface; the layer logs a
    /// warning when it is built this way.
    pub fn allow_insecure_loopback(mut self) -> Self {
        self.allow_insecure_loopback = true;
        self
    }

    /// An authorization server (its issuer identifier) for the metadata's
    /// `authorization_servers`; at least one is required (MCP clients need it).
    pub fn authorization_server(mut self, issuer: &str) -> Self {
        self.authorization_servers.push(issuer.to_owned());
        self
    }

    /// The metadata's `scopes_supported`.
    pub fn scopes_supported<'a>(mut self, scopes: impl IntoIterator<Item = &'a str>) -> Self {
        self.scopes_supported
            .extend(scopes.into_iter().map(str::to_owned));
        self
    }

    /// The metadata's `resource_name` (a human-readable name).
    pub fn resource_name(mut self, name: &str) -> Self {
        self.resource_name = Some(name.to_owned());
        self
    }

    /// The metadata's `jwks_uri` (the resource's own signing keys, when it has any).
    pub fn jwks_uri(mut self, url: &str) -> Self {
        self.jwks_uri = Some(url.to_owned());
        self
    }

    /// The challenges' `realm` (visible ASCII and spaces).
    pub fn realm(mut self, realm: &str) -> Self {
        self.realm = Some(realm.to_owned());
        self
    }

    /// Requires `scopes` on the routes `method` + `path` (a `GET` rule covers `HEAD`).
    /// When several rules match a request, it needs the scopes of all of them.
    pub fn require_scopes<'a>(
        mut self,
        method: impl Into<MethodFilter>,
        path: PathMatch,
        scopes: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        self.scope_rules.push(ScopeRule {
            route: RouteMatch {
                method: method.into(),
                path,
            },
            scopes: scopes.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// Lets requests to `method` + `path` through without a token. The metadata route
    /// and CORS preflight requests (`OPTIONS` with `Access-Control-Request-Method`) are
    /// always exempt. A request path that is not canonical is never exempt.
    pub fn exempt(mut self, method: impl Into<MethodFilter>, path: PathMatch) -> Self {
        self.exemptions.push(RouteMatch {
            method: method.into(),
            path,
        });
        self
    }

    /// Takes the client address (a rate-limiting key) from the header `name` — the
    /// right-most valid IP address of its last field, as an `X-Forwarded-For` appended
    /// by the operator's own proxy — instead of the connection. Only for a header the
    /// operator's proxy sets: a client can write any header itself. Without a valid
    /// address there, the connection's is used.
    pub fn client_address_header(mut self, name: &str) -> Self {
        self.client_address_header = Some(name.to_owned());
        self
    }

    /// CORS help: adds `Access-Control-Expose-Headers: WWW-Authenticate` to 400, 401
    /// and 403 answers (so browser clients can read the challenge), and
    /// `Access-Control-Allow-Origin: *` to the public metadata document.
    pub fn expose_www_authenticate(mut self) -> Self {
        self.expose_www_authenticate = true;
        self
    }

    /// Tokens longer than `max` bytes are refused (401 `invalid_token`) before they are
    /// hashed or verified. Default [`DEFAULT_MAX_TOKEN_BYTES`]; at most
    /// [`MAX_TOKEN_BYTES_CEILING`].
    pub fn max_token_bytes(mut self, max: usize) -> Self {
        self.max_token_bytes = max;
        self
    }

    /// The `Retry-After` of a 503 (a key source or limiter that cannot answer now),
    /// rounded up to whole seconds. Default [`DEFAULT_UNAVAILABLE_RETRY_AFTER`].
    pub fn unavailable_retry_after(mut self, after: Duration) -> Self {
        self.unavailable_retry_after = after;
        self
    }

    /// Validates the configuration and builds the layer.
    ///
    /// # Errors
    /// A [`BuildError`] naming the first invalid setting.
    pub fn build(self) -> Result<AuthLayer, BuildError> {
        let dev = self.allow_insecure_loopback;
        let id = HttpsUrl::parse(&self.resource, dev, "resource")?;
        if self.authenticator.accepts_audience(id.as_str()) == Some(false) {
            return Err(BuildError::AudienceNotChecked);
        }
        if self.authorization_servers.is_empty() {
            return Err(BuildError::NoAuthorizationServer);
        }
        let servers = self
            .authorization_servers
            .iter()
            .map(|s| HttpsUrl::parse(s, dev, "authorization server"))
            .collect::<Result<Vec<_>, _>>()?;
        let jwks_uri = match &self.jwks_uri {
            Some(u) => Some(HttpsUrl::parse(u, dev, "jwks_uri")?),
            None => None,
        };
        if let Some(s) = self.scopes_supported.iter().find(|s| !is_scope_token(s)) {
            return Err(BuildError::InvalidScope(s.clone()));
        }
        for rule in &self.scope_rules {
            rule.validate()?;
        }
        for route in &self.exemptions {
            route.path.validate()?;
        }
        let client_address_header = match &self.client_address_header {
            Some(name) => Some(
                HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| BuildError::InvalidHeaderName)?,
            ),
            None => None,
        };
        if self.max_token_bytes == 0 || self.max_token_bytes > MAX_TOKEN_BYTES_CEILING {
            return Err(BuildError::InvalidMaxTokenBytes(self.max_token_bytes));
        }
        let limiter = match self.limiter {
            Some(l) => l,
            None => Arc::new(LocalLimiter::with_defaults().map_err(BuildError::Limiter)?),
        };
        if id.is_insecure_loopback() {
            tracing::warn!(
                target: "jwsgate::http",
                resource = id.as_str(),
                "DEVELOPMENT opt-in: plain-http resource on loopback; never in production"
            );
        }
        let resource = Resource::new(id);
        let metadata = metadata_json(
            &resource,
            &servers,
            &self.scopes_supported,
            self.resource_name.as_deref(),
            jwks_uri.as_ref(),
        );
        let challenges = Challenges::new(self.realm.as_deref(), &resource.metadata_url)?;
        let retry = self.unavailable_retry_after;
        let unavailable_retry_after_secs =
            (retry.as_secs() + u64::from(retry.subsec_nanos() > 0)).max(1);
        Ok(AuthLayer {
            shared: Arc::new(Shared {
                authenticator: self.authenticator,
                limiter,
                resource,
                metadata: Bytes::from(metadata),
                challenges,
                scope_rules: self.scope_rules.into(),
                exemptions: self.exemptions.into(),
                client_address_header,
                expose_www_authenticate: self.expose_www_authenticate,
                max_token_bytes: self.max_token_bytes,
                unavailable_retry_after_secs,
            }),
        })
    }
}

/// `Cache-Control` of the metadata document: public, [`METADATA_MAX_AGE_SECS`].
pub(crate) fn metadata_cache_control() -> String {
    format!("public, max-age={METADATA_MAX_AGE_SECS}")
}

/// The RFC 9728 §2 document, members in the RFC's order; empty optional ones left out.
fn metadata_json(
    resource: &Resource,
    servers: &[HttpsUrl],
    scopes: &[String],
    name: Option<&str>,
    jwks_uri: Option<&HttpsUrl>,
) -> String {
    let mut out = String::from("{\"resource\":");
    push_json_string(&mut out, resource.id.as_str());
    out.push_str(",\"authorization_servers\":");
    push_json_array(&mut out, servers.iter().map(HttpsUrl::as_str));
    if let Some(jwks) = jwks_uri {
        out.push_str(",\"jwks_uri\":");
        push_json_string(&mut out, jwks.as_str());
    }
    if !scopes.is_empty() {
        out.push_str(",\"scopes_supported\":");
        push_json_array(&mut out, scopes.iter().map(String::as_str));
    }
    out.push_str(",\"bearer_methods_supported\":[\"header\"]");
    if let Some(name) = name {
        out.push_str(",\"resource_name\":");
        push_json_string(&mut out, name);
    }
    out.push('}');
    out
}

fn push_json_array<'a>(out: &mut String, items: impl Iterator<Item = &'a str>) {
    out.push('[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(out, item);
    }
    out.push(']');
}

/// A JSON string (RFC 8259 §7): `"` and `\` escaped, control characters as `\u00XX`.
fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped() {
        let mut s = String::new();
        push_json_string(&mut s, "a\"b\\c\nd\u{1}é");
        assert_eq!(s, r#""a\"b\\c\nd\u0001é""#);
    }
}
