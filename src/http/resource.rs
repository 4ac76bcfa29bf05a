//! The protected resource's identifier (RFC 9728 §1.2, RFC 8707 §2) and the URL of its
//! metadata (RFC 9728 §3.1), validated once when the layer is built.

use core::fmt;
use std::net::{IpAddr, Ipv6Addr};

use super::BuildError;

/// The well-known URI suffix of protected resource metadata (RFC 9728 §3).
pub const WELL_KNOWN_PREFIX: &str = "/.well-known/oauth-protected-resource";

/// A validated `https` URL (or `http` on a loopback host, with the development opt-in):
/// no userinfo, no query, no fragment, no dot-segments, visible ASCII only. Kept exactly
/// as configured: the metadata's `resource` must equal it byte for byte.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct HttpsUrl {
    text: Box<str>,
    /// Where the path starts (the end of the authority).
    path_at: usize,
    insecure_loopback: bool,
}

impl HttpsUrl {
    /// Validates `url`; `http` is accepted only on a loopback host and with
    /// `allow_insecure_loopback`.
    pub(crate) fn parse(
        url: &str,
        allow_insecure_loopback: bool,
        what: &'static str,
    ) -> Result<HttpsUrl, BuildError> {
        let bad = |why: &'static str| BuildError::InvalidUrl { what, why };
        if !url.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(bad(
                "not visible ASCII (spaces, controls and non-ASCII are refused)",
            ));
        }
        if url.contains('#') {
            return Err(bad("has a fragment"));
        }
        if url.contains('?') {
            return Err(bad("has a query"));
        }
        let (rest, insecure) = if let Some(rest) = strip_prefix_ignore_case(url, "https://") {
            (rest, false)
        } else if let Some(rest) = strip_prefix_ignore_case(url, "http://") {
            (rest, true)
        } else {
            return Err(bad("not an https URL"));
        };
        let authority_len = rest.find('/').unwrap_or(rest.len());
        let (authority, path) = rest.split_at(authority_len);
        if authority.contains('@') {
            return Err(bad("has userinfo"));
        }
        let host = host_of(authority).ok_or(bad("has no valid host[:port]"))?;
        if insecure {
            if !allow_insecure_loopback {
                return Err(bad(
                    "http is refused (https only; loopback http needs the dev opt-in)",
                ));
            }
            if !is_loopback(host) {
                return Err(bad("http is allowed only on a loopback host"));
            }
        }
        if !path.bytes().all(is_path_byte) {
            return Err(bad("the path has characters outside RFC 3986 pchar"));
        }
        if has_dot_segment(path) {
            return Err(bad("the path has a dot-segment"));
        }
        Ok(HttpsUrl {
            text: url.into(),
            path_at: url.len() - path.len(),
            insecure_loopback: insecure,
        })
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// `scheme://authority`.
    fn origin(&self) -> &str {
        self.text.get(..self.path_at).unwrap_or_default()
    }

    /// The path, possibly empty.
    fn path(&self) -> &str {
        self.text.get(self.path_at..).unwrap_or_default()
    }

    pub(crate) fn is_insecure_loopback(&self) -> bool {
        self.insecure_loopback
    }
}

impl fmt::Debug for HttpsUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.text, f)
    }
}

/// The protected resource's identifier, its metadata URL and the path the layer serves
/// the metadata at, by the insertion rule of RFC 9728 §3.1: the well-known suffix goes
/// between the host and the path, a path of `/` alone counting as none.
///
/// ```text
/// https://api.example            -> https://api.example/.well-known/oauth-protected-resource
/// https://api.example/           -> https://api.example/.well-known/oauth-protected-resource
/// https://api.example/public/mcp -> https://api.example/.well-known/oauth-protected-resource/public/mcp
/// ```
#[derive(Debug, Clone)]
pub(crate) struct Resource {
    pub(crate) id: HttpsUrl,
    pub(crate) metadata_url: Box<str>,
    pub(crate) metadata_path: Box<str>,
}

impl Resource {
    pub(crate) fn new(id: HttpsUrl) -> Resource {
        let path = match id.path() {
            "/" => "",
            p => p,
        };
        let metadata_path: Box<str> = format!("{WELL_KNOWN_PREFIX}{path}").into();
        let metadata_url = format!("{}{metadata_path}", id.origin()).into();
        Resource {
            id,
            metadata_url,
            metadata_path,
        }
    }
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

/// The host of `host[:port]` (brackets kept off an IPv6 literal), or `None` when either
/// part is invalid.
fn host_of(authority: &str) -> Option<&str> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        v6.parse::<Ipv6Addr>().ok()?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (v6, port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u16>().is_ok();
        if !valid {
            return None;
        }
    }
    let reg_name_ok = |h: &str| {
        !h.is_empty()
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=%".contains(&b))
    };
    (authority.starts_with('[') || reg_name_ok(host)).then_some(host)
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// RFC 3986 `pchar` / "/" (percent-encoded octets pass as `%` and hex digits).
fn is_path_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%".contains(&b)
}

/// Whether a path has a `.` or `..` segment.
pub(crate) fn has_dot_segment(path: &str) -> bool {
    path.split('/').any(|seg| seg == "." || seg == "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(url: &str) -> Resource {
        Resource::new(HttpsUrl::parse(url, true, "resource").unwrap())
    }

    #[test]
    fn metadata_urls_follow_the_insertion_rule() {
        let cases = [
            (
                "https://api.example",
                "https://api.example/.well-known/oauth-protected-resource",
            ),
            (
                "https://api.example/",
                "https://api.example/.well-known/oauth-protected-resource",
            ),
            (
                "https://api.example/public/mcp",
                "https://api.example/.well-known/oauth-protected-resource/public/mcp",
            ),
            (
                "https://api.example:8443/mcp/",
                "https://api.example:8443/.well-known/oauth-protected-resource/mcp/",
            ),
            (
                "http://127.0.0.1:8080/mcp",
                "http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp",
            ),
            (
                "http://[::1]:9/x",
                "http://[::1]:9/.well-known/oauth-protected-resource/x",
            ),
        ];
        for (id, url) in cases {
            let r = resource(id);
            assert_eq!(&*r.metadata_url, url, "{id}");
            assert_eq!(r.id.as_str(), id);
            assert!(url.ends_with(&*r.metadata_path));
            assert!(r.metadata_path.starts_with(WELL_KNOWN_PREFIX));
        }
    }

    #[test]
    fn only_clean_https_or_opted_in_loopback_http() {
        let ok = |u: &str, dev: bool| HttpsUrl::parse(u, dev, "resource").is_ok();
        assert!(ok("https://api.example/mcp", false));
        assert!(ok("HTTPS://api.example", false));
        assert!(ok("https://192.0.2.1:443/a%20b", false));
        assert!(!ok("http://api.example/mcp", true));
        assert!(!ok("http://127.0.0.1/mcp", false));
        assert!(ok("http://127.0.0.1/mcp", true));
        assert!(ok("http://localhost:3000", true));
        assert!(ok("http://[::1]/", true));
        assert!(!ok("http://[::2]/", true));
        assert!(!ok("http://127.0.0.1.example/", true));
        for bad in [
            "https://api.example/mcp#frag",
            "https://api.example/mcp?x=1",
            "https://user@api.example/",
            "https://api.example/a b",
            "https://api.example/é",
            "https://api.example/a/../b",
            "https://api.example/./b",
            "https://api.example:/",
            "https://api.example:99999/",
            "https://api.example:8x/",
            "https:///path",
            "https://",
            "ftp://api.example/",
            "api.example/mcp",
            "https://[nothex]/",
            "https://[::1]x/",
            "https://a\"b/",
        ] {
            assert!(!ok(bad, true), "{bad}");
        }
    }
}
