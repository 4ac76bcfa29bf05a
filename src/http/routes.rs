//! Which requests are exempt and which scopes a route needs: method + exact path or
//! segment-aware path prefix, matched on the request's path (never its query).
//!
//! A rule for `GET` also covers `HEAD`, since routers (axum among them) answer `HEAD`
//! with the `GET` handler. Rule paths are validated when the layer is built.
//! Request paths that are not canonical (`%`-escapes, `.`/`..` segments, empty segments)
//! are never exempt, and are matched against scope rules after normalization, so that
//! `/%6dcp` or `/x/../mcp` cannot slip past a rule for `/mcp` into a router that
//! normalizes.

use std::borrow::Cow;

use http::Method;

use super::BuildError;
use super::resource::has_dot_segment;
use crate::authn::is_scope_token;

/// Which methods a rule applies to.
///
/// ```
/// use http::Method;
/// use jwsgate::http::MethodFilter;
/// let get: MethodFilter = Method::GET.into();
/// assert!(get.matches(&Method::HEAD)); // GET rules cover HEAD
/// assert!(!get.matches(&Method::POST));
/// assert!(MethodFilter::Any.matches(&Method::DELETE));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MethodFilter {
    /// Every method.
    Any,
    /// One method (`GET` also matching `HEAD`).
    One(Method),
}

impl MethodFilter {
    /// Whether `method` is covered.
    pub fn matches(&self, method: &Method) -> bool {
        match self {
            MethodFilter::Any => true,
            MethodFilter::One(m) => m == method || (*m == Method::GET && method == Method::HEAD),
        }
    }
}

impl From<Method> for MethodFilter {
    fn from(m: Method) -> MethodFilter {
        MethodFilter::One(m)
    }
}

/// A path to match: exactly, or as a segment-aware prefix (`/mcp` matches `/mcp` and
/// `/mcp/x`, not `/mcpx`; `/` matches every path).
///
/// ```
/// use jwsgate::http::PathMatch;
/// let p = PathMatch::prefix("/mcp");
/// assert!(p.matches("/mcp") && p.matches("/mcp/tools") && !p.matches("/mcpx"));
/// assert!(PathMatch::exact("/health").matches("/health"));
/// assert!(!PathMatch::exact("/health").matches("/health/"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMatch {
    path: Box<str>,
    prefix: bool,
}

impl PathMatch {
    /// Matches exactly `path`.
    pub fn exact(path: &str) -> PathMatch {
        PathMatch {
            path: path.into(),
            prefix: false,
        }
    }

    /// Matches `prefix` and every path below it.
    pub fn prefix(prefix: &str) -> PathMatch {
        PathMatch {
            path: prefix.into(),
            prefix: true,
        }
    }

    /// Whether `path` matches.
    pub fn matches(&self, path: &str) -> bool {
        if !self.prefix {
            return path == &*self.path;
        }
        match path.strip_prefix(&*self.path) {
            Some(rest) => rest.is_empty() || self.path.ends_with('/') || rest.starts_with('/'),
            None => false,
        }
    }

    /// Rule paths: absolute, canonical, visible ASCII.
    pub(crate) fn validate(&self) -> Result<(), BuildError> {
        let p = &*self.path;
        let bad = |why| Err(BuildError::InvalidPath { why });
        if !p.starts_with('/') {
            return bad("a rule path must start with /");
        }
        if !p.bytes().all(|b| b.is_ascii_graphic()) || p.contains(['?', '#']) {
            return bad("a rule path must be visible ASCII without ? or #");
        }
        if !is_canonical(p) {
            return bad("a rule path must be canonical (no %-escapes, dot-segments or //)");
        }
        Ok(())
    }
}

/// One method + path rule.
#[derive(Debug, Clone)]
pub(crate) struct RouteMatch {
    pub(crate) method: MethodFilter,
    pub(crate) path: PathMatch,
}

impl RouteMatch {
    pub(crate) fn matches(&self, method: &Method, path: &str) -> bool {
        self.method.matches(method) && self.path.matches(path)
    }
}

/// A route and the scopes it needs.
#[derive(Debug, Clone)]
pub(crate) struct ScopeRule {
    pub(crate) route: RouteMatch,
    pub(crate) scopes: Box<[Box<str>]>,
}

impl ScopeRule {
    pub(crate) fn validate(&self) -> Result<(), BuildError> {
        self.route.path.validate()?;
        match self.scopes.iter().find(|s| !is_scope_token(s)) {
            Some(s) => Err(BuildError::InvalidScope(s.to_string())),
            None => Ok(()),
        }
    }
}

/// Whether `path` has no `%`-escape, no `.`/`..` segment and no empty inner segment.
pub(crate) fn is_canonical(path: &str) -> bool {
    !path.contains('%') && !path.contains("//") && !has_dot_segment(path)
}

/// The path routers that normalize would see: unreserved `%`-escapes decoded, empty
/// segments dropped, dot-segments removed (RFC 3986 §6.2.2, §5.2.4). Borrowed (no
/// allocation) when the path is canonical already.
pub(crate) fn normalize(path: &str) -> Cow<'_, str> {
    if is_canonical(path) {
        return Cow::Borrowed(path);
    }
    let decoded = decode_unreserved(path);
    let mut out: Vec<&str> = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let trailing = decoded.ends_with('/') || decoded.ends_with("/.") || decoded.ends_with("/..");
    let mut normalized = String::with_capacity(decoded.len());
    for s in &out {
        normalized.push('/');
        normalized.push_str(s);
    }
    if normalized.is_empty() || (trailing && !normalized.ends_with('/')) {
        normalized.push('/');
    }
    Cow::Owned(normalized)
}

/// Decodes `%XX` escapes of unreserved characters (ALPHA DIGIT `-` `.` `_` `~`); others
/// stay escaped, with their hex digits as sent.
fn decode_unreserved(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| core::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(c) = hex.filter(|c| c.is_ascii_alphanumeric() || b"-._~".contains(c)) {
                out.push(char::from(c));
                i += 3;
                continue;
            }
        }
        out.push(char::from(b));
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_segment_aware() {
        let p = PathMatch::prefix("/mcp");
        for (path, m) in [
            ("/mcp", true),
            ("/mcp/", true),
            ("/mcp/a/b", true),
            ("/mcpx", false),
            ("/", false),
            ("/MCP", false),
        ] {
            assert_eq!(p.matches(path), m, "{path}");
        }
        let slash = PathMatch::prefix("/static/");
        assert!(slash.matches("/static/a.css"));
        assert!(!slash.matches("/static"));
        assert!(PathMatch::prefix("/").matches("/anything"));
    }

    #[test]
    fn non_canonical_paths_normalize_to_what_a_router_would_route() {
        for (path, normal) in [
            ("/mcp", "/mcp"),
            ("/%6dcp", "/mcp"),
            ("/%6Dcp/", "/mcp/"),
            ("/x/../mcp", "/mcp"),
            ("/./mcp", "/mcp"),
            ("//mcp", "/mcp"),
            ("/mcp/.", "/mcp/"),
            ("/a/b/..", "/a/"),
            ("/..", "/"),
            ("/%2e%2e/mcp", "/mcp"),
            ("/a%2fb", "/a%2fb"),
            ("/a%zz", "/a%zz"),
            ("/a%", "/a%"),
        ] {
            assert_eq!(normalize(path), normal, "{path}");
        }
        assert!(matches!(normalize("/mcp/x"), Cow::Borrowed(_)));
    }

    #[test]
    fn rule_paths_are_validated() {
        assert!(PathMatch::exact("/health").validate().is_ok());
        for bad in ["health", "/a/../b", "/a%20b", "//a", "/a?b", "/a b", "/é"] {
            assert!(PathMatch::exact(bad).validate().is_err(), "{bad}");
        }
    }
}
