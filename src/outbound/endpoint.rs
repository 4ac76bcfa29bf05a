//! [`Endpoint`]: a URL checked once, at configuration time, against the outbound rules.

use core::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use http::HeaderValue;
use http::uri::{PathAndQuery, Uri};
use rustls::pki_types::ServerName;

use super::OutboundError;

/// Where the connection goes and how it is protected.
#[derive(Clone)]
pub(crate) enum Transport {
    /// TLS (rustls) to `server_name`.
    Https(ServerName<'static>),
    /// Plain TCP to a loopback address, only behind `allow_insecure_loopback`.
    InsecureLoopback,
}

/// A URL jwsgate may fetch: `https://`, or `http://` on a loopback address behind the
/// explicit `allow_insecure_loopback` opt-in. Checked when configured, so a request can
/// never go to a URL the rules refuse.
///
/// * `https://` to any host; the certificate is checked against the client's roots.
/// * `http://` only to `127.0.0.0/8`, `[::1]` or `localhost` (connected to as
///   `127.0.0.1` / `::1` literally, never resolved through DNS), and only when
///   `allow_insecure_loopback` is `true`. Any other `http://` URL, any other scheme,
///   user info (`user@host`) and fragments are [`OutboundError`]s.
///
/// ```
/// use jwsgate::outbound::Endpoint;
/// assert!(Endpoint::https("https://issuer.example/.well-known/jwks.json").is_ok());
/// assert!(Endpoint::https("http://issuer.example/jwks").is_err());
/// assert!(Endpoint::new("http://10.0.0.1/jwks", true).is_err());
/// assert!(Endpoint::new("http://127.0.0.1:8080/jwks", false).is_err());
/// assert!(Endpoint::new("http://127.0.0.1:8080/jwks", true).is_ok());
/// ```
#[derive(Clone)]
pub struct Endpoint {
    pub(crate) transport: Transport,
    /// The host as written, without IPv6 brackets.
    pub(crate) host: Box<str>,
    /// Where to connect for an insecure loopback endpoint (never resolved).
    pub(crate) loopback_ips: Vec<IpAddr>,
    pub(crate) port: u16,
    pub(crate) path_and_query: PathAndQuery,
    /// The `Host` header: the authority as written.
    pub(crate) host_header: HeaderValue,
    scheme: &'static str,
}

impl Endpoint {
    /// An `https://` URL; anything else is refused.
    pub fn https(url: &str) -> Result<Endpoint, OutboundError> {
        Endpoint::new(url, false)
    }

    /// An `https://` URL, or, only when `allow_insecure_loopback` is `true`, an
    /// `http://` URL on a loopback address (for tests and local development: nothing
    /// protects such a connection; the name says so, as the CLI's
    /// `--allow-insecure-loopback` does).
    pub fn new(url: &str, allow_insecure_loopback: bool) -> Result<Endpoint, OutboundError> {
        if url.contains('#') {
            return Err(OutboundError::InvalidUrl(
                "a fragment (#) has no meaning here",
            ));
        }
        if url
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
        {
            return Err(OutboundError::InvalidUrl(
                "white space or control characters",
            ));
        }
        let uri: Uri = url
            .parse()
            .map_err(|_| OutboundError::InvalidUrl("not an absolute URL"))?;
        let scheme = uri
            .scheme_str()
            .ok_or(OutboundError::InvalidUrl("no scheme (https://...)"))?;
        let authority = uri
            .authority()
            .ok_or(OutboundError::InvalidUrl("no host"))?;
        if authority.as_str().contains('@') {
            return Err(OutboundError::InvalidUrl(
                "user info (user@host) is refused: credentials never go in a URL",
            ));
        }
        let raw_host = authority.host();
        let host = raw_host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(raw_host);
        if host.is_empty() {
            return Err(OutboundError::InvalidUrl("no host"));
        }
        let https = scheme.eq_ignore_ascii_case("https");
        let http = scheme.eq_ignore_ascii_case("http");
        // The port as written after the host: `http`'s own `port()` reads an
        // out-of-range port as none at all.
        let after_host = authority.as_str().get(raw_host.len()..).unwrap_or_default();
        let port = match after_host.strip_prefix(':') {
            Some(digits) if !digits.is_empty() => digits
                .parse::<u16>()
                .map_err(|_| OutboundError::InvalidUrl("invalid port"))?,
            _ if !after_host.is_empty() && after_host != ":" => {
                return Err(OutboundError::InvalidUrl("invalid port"));
            }
            _ if https => 443,
            _ => 80,
        };
        if port == 0 {
            return Err(OutboundError::InvalidUrl("port 0"));
        }
        let (transport, loopback_ips) = if https {
            let name = ServerName::try_from(host.to_owned()).map_err(|_| {
                OutboundError::InvalidUrl("the host is not a DNS name or IP address")
            })?;
            (Transport::Https(name), Vec::new())
        } else if http {
            let ips = loopback_ips(host).ok_or(OutboundError::InsecureUrl(
                "http:// is allowed only to a loopback address (127.0.0.0/8, [::1], localhost); \
                 use https://",
            ))?;
            if !allow_insecure_loopback {
                return Err(OutboundError::InsecureUrl(
                    "http:// to a loopback address needs the explicit allow_insecure_loopback \
                     opt-in (--allow-insecure-loopback)",
                ));
            }
            (Transport::InsecureLoopback, ips)
        } else {
            return Err(OutboundError::InsecureUrl(
                "only https:// (or http:// on loopback, opted in) is fetched",
            ));
        };
        let path_and_query = uri
            .path_and_query()
            .cloned()
            .unwrap_or_else(|| PathAndQuery::from_static("/"));
        let host_header = HeaderValue::from_str(authority.as_str())
            .map_err(|_| OutboundError::InvalidUrl("the host is not valid in a Host header"))?;
        Ok(Endpoint {
            transport,
            host: host.into(),
            loopback_ips,
            port,
            path_and_query,
            host_header,
            scheme: if https { "https" } else { "http" },
        })
    }

    /// Whether this endpoint is plain `http://` on loopback (the insecure opt-in).
    pub fn is_insecure_loopback(&self) -> bool {
        matches!(self.transport, Transport::InsecureLoopback)
    }

    /// The host, without IPv6 brackets.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port (443 / 80 when the URL has none).
    pub fn port(&self) -> u16 {
        self.port
    }
}

/// The addresses a loopback host stands for: an IP literal in 127.0.0.0/8 or `::1`, or
/// `localhost` (as both loopback literals; the name is never resolved).
fn loopback_ips(host: &str) -> Option<Vec<IpAddr>> {
    if host.eq_ignore_ascii_case("localhost") {
        return Some(vec![
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
        ]);
    }
    let ip: IpAddr = host.parse().ok()?;
    ip.is_loopback().then(|| vec![ip])
}

impl fmt::Display for Endpoint {
    /// `scheme://authority/path`, without the query string (which may carry parameters a
    /// log should not keep).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let authority = self.host_header.to_str().unwrap_or("?");
        write!(
            f,
            "{}://{}{}",
            self.scheme,
            authority,
            self.path_and_query.path()
        )
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Endpoint")
            .field(&format_args!("{self}"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback_with_the_opt_in() {
        for ok in [
            "https://issuer.example/jwks",
            "https://issuer.example:8443/a/b?x=1",
            "https://127.0.0.1:1/",
            "https://[::1]:9/x",
        ] {
            assert!(Endpoint::https(ok).is_ok(), "{ok}");
        }
        for loopback in [
            "http://127.0.0.1:8080/jwks",
            "http://127.9.8.7/jwks",
            "http://[::1]:80/",
            "http://localhost:3000/jwks",
            "HTTP://LOCALHOST/x",
        ] {
            let e = Endpoint::https(loopback).unwrap_err();
            assert!(
                matches!(e, OutboundError::InsecureUrl(_)),
                "{loopback}: {e}"
            );
            assert!(e.is_config());
            let ep = Endpoint::new(loopback, true).unwrap();
            assert!(ep.is_insecure_loopback());
        }
        for refused in [
            "http://issuer.example/jwks",
            "http://10.0.0.1/jwks",
            "http://169.254.169.254/latest",
            "http://127.0.0.1.attacker.example/",
            "http://localhost.attacker.example/",
            "http://[::ffff:10.0.0.1]/",
            "ftp://127.0.0.1/jwks",
            "file:///etc/passwd",
        ] {
            let e = Endpoint::new(refused, true).unwrap_err();
            assert!(e.is_config(), "{refused}");
        }
    }

    #[test]
    fn user_info_fragments_and_junk_are_refused() {
        for bad in [
            "http://127.0.0.1@attacker.example/",
            "https://user:pass@issuer.example/",
            "https://issuer.example/jwks#frag",
            "https://issuer.example/a b",
            "/relative/path",
            "issuer.example/jwks",
            "https://",
            "https://issuer.example:0/",
            "https://issuer.example:99999/",
        ] {
            let e = Endpoint::new(bad, true).unwrap_err();
            assert!(e.is_config(), "{bad}: {e:?}");
        }
    }

    #[test]
    fn parts_and_display() {
        let ep = Endpoint::https("https://issuer.example/path?token=secret").unwrap();
        assert_eq!(ep.host(), "issuer.example");
        assert_eq!(ep.port(), 443);
        assert_eq!(ep.to_string(), "https://issuer.example/path");
        let ep = Endpoint::new("http://[::1]:8080", true).unwrap();
        assert_eq!(ep.host(), "::1");
        assert_eq!(ep.port(), 8080);
        assert_eq!(ep.path_and_query.as_str(), "/");
        assert_eq!(ep.loopback_ips, vec![IpAddr::V6(Ipv6Addr::LOCALHOST)]);
    }
}
