//! The one outbound HTTP client of jwsgate (docs/design.md, "outbound HTTP"): everything the
//! library fetches — remote JWK Sets, and the secret-manager and introspection layers
//! built on it — goes through [`HttpClient`], so there is one place for its rules:
//!
//! * **One deadline** ([`HttpClient::timeout`], default
//!   [`limits::DEFAULT_OUTBOUND_TIMEOUT`]) around connect + TLS handshake + request +
//!   the whole body. A server that hangs or trickles costs at most that long.
//! * **Body cap** given by the caller per request, checked against `Content-Length` and
//!   again while the body streams: nothing is ever buffered past the cap.
//! * **No redirects**: a 3xx (other than `304 Not Modified`) is
//!   [`OutboundError::Redirect`]; statuses other than 2xx and 304 are
//!   [`OutboundError::Status`].
//! * **`https://` only** (rustls, ring as its crypto provider, TLS 1.2 and 1.3), checked
//!   when the [`Endpoint`] is made; `http://` only to loopback behind the explicit
//!   `allow_insecure_loopback` opt-in.
//! * **Trust roots**: the Mozilla root program as compiled into `webpki-roots`
//!   (deterministic: the same on every machine, independent of the OS store), plus any
//!   roots the caller adds ([`HttpClientBuilder::add_root_certificate`]);
//!   [`HttpClientBuilder::without_builtin_roots`] keeps only the added ones.
//! * HTTP/1.1 only, one connection per request (fetches are rare: a JWK Set every few
//!   minutes), so there is no pool whose connections could outlive a deadline.
//!
//! ```no_run
//! use jwsgate::outbound::{Endpoint, HttpClient};
//! # async fn demo() -> Result<(), jwsgate::outbound::OutboundError> {
//! let client = HttpClient::builder().build()?;
//! let url = Endpoint::https("https://issuer.example/.well-known/jwks.json")?;
//! let answer = client.get(&url, &[("accept", "application/json")], 256 * 1024).await?;
//! println!("{} bytes, ETag {:?}", answer.body().len(), answer.header("etag"));
//! # Ok(()) }
//! ```

mod endpoint;
mod error;

use core::time::Duration;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{
    CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use http::{Method, Request};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use rustls::pki_types::CertificateDer;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

pub use endpoint::Endpoint;
pub use error::OutboundError;

use crate::limits;
use endpoint::Transport;

/// The `User-Agent` every request carries.
pub const USER_AGENT_VALUE: &str = concat!("jwsgate/", env!("CARGO_PKG_VERSION"));

/// Configures an [`HttpClient`].
#[must_use]
#[derive(Debug, Clone)]
pub struct HttpClientBuilder {
    timeout: Duration,
    builtin_roots: bool,
    extra_roots: Vec<CertificateDer<'static>>,
}

/// The outbound HTTP client: cheap to clone (one `Arc`), `Send + Sync`. See the module
/// documentation for its rules.
#[derive(Clone)]
pub struct HttpClient {
    tls: Arc<rustls::ClientConfig>,
    timeout: Duration,
}

/// A successful answer: a 2xx or `304 Not Modified`, its headers and its whole body.
#[derive(Clone)]
pub struct Response {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl Response {
    /// The status: 200..=299 or 304.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The value of header `name` (case-insensitive), when present and visible ASCII.
    /// With several, the first.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// All response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body (empty for a 304).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body, without copying.
    pub fn into_body(self) -> Bytes {
        self.body
    }
}

impl core::fmt::Debug for Response {
    /// Status and body length only: a body may hold a token or a secret.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl core::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HttpClient")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Default for HttpClientBuilder {
    fn default() -> Self {
        HttpClientBuilder {
            timeout: limits::DEFAULT_OUTBOUND_TIMEOUT,
            builtin_roots: true,
            extra_roots: Vec::new(),
        }
    }
}

impl HttpClientBuilder {
    /// The one deadline around connect + TLS + request + whole body (default
    /// [`limits::DEFAULT_OUTBOUND_TIMEOUT`]). Zero is refused at `build()`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Trusts `cert` as a root in addition to the built-in ones (a private CA, or a
    /// test's own CA). DER-encoded X.509.
    pub fn add_root_certificate(mut self, cert: CertificateDer<'static>) -> Self {
        self.extra_roots.push(cert);
        self
    }

    /// Trusts only the roots added with [`HttpClientBuilder::add_root_certificate`], not
    /// the compiled-in `webpki-roots` (a closed network with its own CA).
    pub fn without_builtin_roots(mut self) -> Self {
        self.builtin_roots = false;
        self
    }

    /// Makes the client: rustls with the ring crypto provider, TLS 1.2 and 1.3, ALPN
    /// `http/1.1`.
    pub fn build(self) -> Result<HttpClient, OutboundError> {
        if self.timeout.is_zero() {
            return Err(OutboundError::InvalidConfig("zero timeout"));
        }
        let mut roots = rustls::RootCertStore::empty();
        if self.builtin_roots {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        for cert in self.extra_roots {
            roots.add(cert).map_err(|_| {
                OutboundError::InvalidConfig("an extra root is not a CA certificate")
            })?;
        }
        if roots.is_empty() {
            return Err(OutboundError::InvalidConfig("no trust root"));
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|_| OutboundError::InvalidConfig("TLS protocol versions"))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(HttpClient {
            tls: Arc::new(tls),
            timeout: self.timeout,
        })
    }
}

/// Aborts the task driving a connection when the request is dropped (deadline passed or
/// answer read), so no connection outlives its request.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl HttpClient {
    /// Starts configuring a client.
    pub fn builder() -> HttpClientBuilder {
        HttpClientBuilder::default()
    }

    /// The deadline around each request.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// `GET endpoint` with `headers` (e.g. `Accept`, `If-None-Match`, `Authorization`;
    /// an `Authorization` value is marked sensitive), reading at most `max_body_bytes`
    /// of body. Must run inside a tokio runtime.
    pub async fn get(
        &self,
        endpoint: &Endpoint,
        headers: &[(&str, &str)],
        max_body_bytes: usize,
    ) -> Result<Response, OutboundError> {
        let req = build_request(Method::GET, endpoint, headers, None)?;
        self.send(endpoint, req, max_body_bytes).await
    }

    /// `POST endpoint` with an `application/x-www-form-urlencoded` body made of `form`
    /// (RFC 7662 introspection, OAuth token requests), with `headers`, reading at most
    /// `max_body_bytes` of body. Must run inside a tokio runtime.
    pub async fn post_form(
        &self,
        endpoint: &Endpoint,
        headers: &[(&str, &str)],
        form: &[(&str, &str)],
        max_body_bytes: usize,
    ) -> Result<Response, OutboundError> {
        let body = Bytes::from(form_urlencode(form));
        let req = build_request(Method::POST, endpoint, headers, Some(body))?;
        self.send(endpoint, req, max_body_bytes).await
    }

    async fn send(
        &self,
        endpoint: &Endpoint,
        req: Request<Full<Bytes>>,
        max_body_bytes: usize,
    ) -> Result<Response, OutboundError> {
        let deadline = self.timeout;
        let exchange = async {
            let tcp = connect(endpoint).await?;
            match &endpoint.transport {
                Transport::InsecureLoopback => exchange(tcp, req, max_body_bytes).await,
                Transport::Https(name) => {
                    let connector = tokio_rustls::TlsConnector::from(Arc::clone(&self.tls));
                    let tls = connector
                        .connect(name.clone(), tcp)
                        .await
                        .map_err(|e| OutboundError::Tls(tls_reason(&e)))?;
                    exchange(tls, req, max_body_bytes).await
                }
            }
        };
        tokio::time::timeout(deadline, exchange)
            .await
            .unwrap_or(Err(OutboundError::Timeout { after: deadline }))
    }
}

/// The request with its fixed headers (`Host`, `User-Agent`) and the caller's.
fn build_request(
    method: Method,
    endpoint: &Endpoint,
    headers: &[(&str, &str)],
    form: Option<Bytes>,
) -> Result<Request<Full<Bytes>>, OutboundError> {
    let mut req = Request::new(Full::new(form.clone().unwrap_or_default()));
    *req.method_mut() = method;
    *req.uri_mut() = endpoint
        .path_and_query
        .as_str()
        .parse()
        .map_err(|_| OutboundError::InvalidUrl("the path is not a valid request target"))?;
    let map = req.headers_mut();
    map.insert(HOST, endpoint.host_header.clone());
    map.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
    if let Some(body) = &form {
        map.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        map.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    }
    for (name, value) in headers {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| OutboundError::InvalidConfig("a header name is not valid"))?;
        let mut value = HeaderValue::from_str(value)
            .map_err(|_| OutboundError::InvalidConfig("a header value is not visible ASCII"))?;
        if name == http::header::AUTHORIZATION {
            value.set_sensitive(true);
        }
        map.append(name, value);
    }
    Ok(req)
}

/// Connects to the endpoint: a loopback literal as configured, or the host (DNS
/// resolution included in the caller's deadline). The first address that answers wins.
async fn connect(endpoint: &Endpoint) -> Result<TcpStream, OutboundError> {
    let mut last = None;
    if endpoint.is_insecure_loopback() {
        for ip in &endpoint.loopback_ips {
            match TcpStream::connect((*ip, endpoint.port)).await {
                Ok(s) => return Ok(s),
                Err(e) => last = Some(e),
            }
        }
    } else {
        let addrs = tokio::net::lookup_host((&*endpoint.host, endpoint.port))
            .await
            .map_err(|e| OutboundError::Connect(format!("cannot resolve the host: {e}")))?;
        for addr in addrs {
            match TcpStream::connect(addr).await {
                Ok(s) => return Ok(s),
                Err(e) => last = Some(e),
            }
        }
    }
    Err(OutboundError::Connect(match last {
        Some(e) => e.to_string(),
        None => "no address".into(),
    }))
}

/// The reason of a failed handshake: the rustls error when there is one.
fn tls_reason(e: &std::io::Error) -> String {
    match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        Some(tls) => tls.to_string(),
        None => e.to_string(),
    }
}

/// One HTTP/1.1 request over `io`, the answer's status checked and its body read up to
/// `max_body_bytes`.
async fn exchange<T>(
    io: T,
    req: Request<Full<Bytes>>,
    max_body_bytes: usize,
) -> Result<Response, OutboundError>
where
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let protocol = |e: hyper::Error| OutboundError::Protocol(e.to_string());
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(protocol)?;
    let _driver = AbortOnDrop(tokio::spawn(async move {
        // The connection's own error surfaces through `send_request` / the body.
        let _ = conn.await;
    }));
    let answer = sender.send_request(req).await.map_err(protocol)?;
    let status = answer.status().as_u16();
    if (300..400).contains(&status) && status != 304 {
        return Err(OutboundError::Redirect { status });
    }
    if !(200..300).contains(&status) && status != 304 {
        return Err(OutboundError::Status { status });
    }
    let announced = answer
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|len| len > max_body_bytes as u64) {
        return Err(OutboundError::TooLarge {
            max: max_body_bytes,
        });
    }
    let (parts, mut body) = answer.into_parts();
    let mut buf = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(protocol)?;
        if let Ok(data) = frame.into_data() {
            if buf.len().saturating_add(data.len()) > max_body_bytes {
                return Err(OutboundError::TooLarge {
                    max: max_body_bytes,
                });
            }
            buf.extend_from_slice(&data);
        }
    }
    Ok(Response {
        status,
        headers: parts.headers,
        body: Bytes::from(buf),
    })
}

/// `application/x-www-form-urlencoded` (WHATWG URL §5.2): `*-._` and alphanumerics as
/// they are, space as `+`, every other byte as `%XX`.
fn form_urlencode(form: &[(&str, &str)]) -> Vec<u8> {
    fn push(out: &mut Vec<u8>, s: &str) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for &b in s.as_bytes() {
            match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(b),
                b' ' => out.push(b'+'),
                _ => out.extend_from_slice(&[
                    b'%',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 0xf)],
                ]),
            }
        }
    }
    let mut out = Vec::new();
    for (i, (name, value)) in form.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        push(&mut out, name);
        out.push(b'=');
        push(&mut out, value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_follows_whatwg() {
        let body = form_urlencode(&[("token", "a b+c/=&é"), ("token_type_hint", "access_token")]);
        assert_eq!(
            String::from_utf8(body).unwrap(),
            "token=a+b%2Bc%2F%3D%26%C3%A9&token_type_hint=access_token"
        );
        assert!(form_urlencode(&[]).is_empty());
    }

    #[test]
    fn builder_refuses_what_cannot_work() {
        let zero = HttpClient::builder().timeout(Duration::ZERO).build();
        assert_eq!(
            zero.unwrap_err(),
            OutboundError::InvalidConfig("zero timeout")
        );
        let none = HttpClient::builder().without_builtin_roots().build();
        assert_eq!(
            none.unwrap_err(),
            OutboundError::InvalidConfig("no trust root")
        );
        let not_a_cert = HttpClient::builder()
            .add_root_certificate(CertificateDer::from(vec![1, 2, 3]))
            .build();
        assert!(not_a_cert.unwrap_err().is_config());
        let ok = HttpClient::builder().build().unwrap();
        assert_eq!(ok.timeout(), limits::DEFAULT_OUTBOUND_TIMEOUT);
    }

    #[test]
    fn requests_carry_host_user_agent_and_sensitive_authorization() {
        let ep = Endpoint::https("https://issuer.example:8443/jwks?x=1").unwrap();
        let req = build_request(
            Method::GET,
            &ep,
            &[
                ("Accept", "application/json"),
                ("authorization", "Bearer t"),
            ],
            None,
        )
        .unwrap();
        assert_eq!(req.uri(), "/jwks?x=1");
        assert_eq!(req.headers()[HOST], "issuer.example:8443");
        assert_eq!(req.headers()[USER_AGENT], USER_AGENT_VALUE);
        assert!(req.headers()[http::header::AUTHORIZATION].is_sensitive());
        let bad = build_request(Method::GET, &ep, &[("x", "a\nb")], None);
        assert!(bad.unwrap_err().is_config());
        let post = build_request(Method::POST, &ep, &[], Some(Bytes::from_static(b"a=b"))).unwrap();
        assert_eq!(post.headers()[CONTENT_LENGTH], "3");
    }
}
