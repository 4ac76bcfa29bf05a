//! A scriptable JWK Set server on 127.0.0.1 for the `outbound` and `remote` tests: plain
//! http, or https with a CA made in the test (rcgen). Self-contained (no jwsgate type):
//! include it with `#[path = "support/jwks_server.rs"] mod jwks_server;`.
//!
//! It serves a body (a JWK Set, or anything) and can be told to answer a status, hang,
//! trickle bytes, send a huge body (announced or chunked), redirect, or wait first; it
//! honours `If-None-Match` with a `304` when an ETag is set, sends `Cache-Control:
//! max-age` when asked, and records every request. Dropping the server stops it and
//! every connection it holds.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;
use tokio::task::JoinSet;

/// What the server does with a request.
#[derive(Clone, Debug)]
pub enum Behaviour {
    /// Answers 200 with the current body (or 304 on a matching `If-None-Match`).
    Serve,
    /// Answers this status with a short body.
    Status(u16),
    /// Never answers (the connection stays open until the client gives up).
    Hang,
    /// Sends headers at once, then the body one byte per `interval`.
    Trickle {
        /// The gap between two bytes.
        interval: Duration,
    },
    /// Sends `bytes` of spaces; announced by `Content-Length` unless `chunked`.
    Huge {
        /// The body length.
        bytes: usize,
        /// Stream it in chunks with no length announced.
        chunked: bool,
    },
    /// Answers `302 Found` with this `Location`.
    Redirect(String),
    /// Waits, then does as [`Behaviour::Serve`] with the body current when the request
    /// arrived (a slow fetch that finishes late).
    Delay(Duration),
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The value of header `name` (lower case), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Script {
    body: String,
    behaviour: Option<Behaviour>,
    once: VecDeque<Behaviour>,
    max_age: Option<u64>,
    etag: Option<String>,
}

struct State {
    script: Mutex<Script>,
    requests: AtomicUsize,
    recorded: Mutex<Vec<Recorded>>,
}

/// The server; see the module documentation.
pub struct JwksServer {
    addr: SocketAddr,
    tls: bool,
    ca: Option<CertificateDer<'static>>,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for JwksServer {
    fn drop(&mut self) {
        // Aborting the accept task drops its JoinSet, which aborts every connection.
        self.task.abort();
    }
}

impl JwksServer {
    /// A plain-http server on 127.0.0.1 (an ephemeral port).
    pub async fn http() -> JwksServer {
        JwksServer::start(None).await
    }

    /// An https server on 127.0.0.1 whose certificate (for `localhost` and
    /// `127.0.0.1`) is issued by a CA made here; [`JwksServer::ca_cert`] is its root.
    pub async fn https() -> JwksServer {
        let (ca, acceptor) = test_pki();
        JwksServer::start(Some((ca, acceptor))).await
    }

    async fn start(
        tls: Option<(CertificateDer<'static>, tokio_rustls::TlsAcceptor)>,
    ) -> JwksServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(State {
            script: Mutex::new(Script::default()),
            requests: AtomicUsize::new(0),
            recorded: Mutex::new(Vec::new()),
        });
        let (ca, acceptor) = match tls {
            Some((ca, acceptor)) => (Some(ca), Some(acceptor)),
            None => (None, None),
        };
        let serving = Arc::clone(&state);
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    continue;
                };
                let state = Arc::clone(&serving);
                let acceptor = acceptor.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let state = Arc::clone(&state);
                        async move { Ok::<_, Infallible>(answer(&state, req).await) }
                    });
                    let http = hyper::server::conn::http1::Builder::new();
                    match acceptor {
                        Some(acceptor) => {
                            if let Ok(tls) = acceptor.accept(tcp).await {
                                let _ = http.serve_connection(TokioIo::new(tls), service).await;
                            }
                        }
                        None => {
                            let _ = http.serve_connection(TokioIo::new(tcp), service).await;
                        }
                    }
                });
                // Reap finished connections so the set does not grow.
                while connections.try_join_next().is_some() {}
            }
        });
        JwksServer {
            addr,
            tls: ca.is_some(),
            ca,
            state,
            task,
        }
    }

    /// The server's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT{path}` or `https://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}{path}", self.addr)
    }

    /// The root that issued an https server's certificate.
    pub fn ca_cert(&self) -> CertificateDer<'static> {
        self.ca.clone().expect("an https server")
    }

    /// The body answered from now on.
    pub fn set_body(&self, body: impl Into<String>) {
        self.state.script.lock().unwrap().body = body.into();
    }

    /// What the server does from now on (default [`Behaviour::Serve`]).
    pub fn set_behaviour(&self, b: Behaviour) {
        self.state.script.lock().unwrap().behaviour = Some(b);
    }

    /// What the server does for the next request only (queued in order), before going
    /// back to the standing behaviour.
    pub fn push_once(&self, b: Behaviour) {
        self.state.script.lock().unwrap().once.push_back(b);
    }

    /// Sends `Cache-Control: max-age=N` with every 200 and 304 (or nothing).
    pub fn set_max_age(&self, secs: Option<u64>) {
        self.state.script.lock().unwrap().max_age = secs;
    }

    /// Sends this `ETag` with every 200 and answers `304` to a matching `If-None-Match`.
    pub fn set_etag(&self, etag: Option<&str>) {
        self.state.script.lock().unwrap().etag = etag.map(str::to_owned);
    }

    /// Requests received so far.
    pub fn requests(&self) -> usize {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// Every request received so far, in order.
    pub fn recorded(&self) -> Vec<Recorded> {
        self.state.recorded.lock().unwrap().clone()
    }
}

/// A CA and a server certificate for `localhost` / `127.0.0.1` issued by it.
fn test_pki() -> (CertificateDer<'static>, tokio_rustls::TlsAcceptor) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "jwsgate test CA");
    let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().expect("server key");
    let leaf_params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .expect("server params");
    let leaf = leaf_params
        .signed_by(&leaf_key, &issuer)
        .expect("server certificate");
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone()], key)
        .expect("server config");
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    (
        ca_cert.der().clone(),
        tokio_rustls::TlsAcceptor::from(Arc::new(config)),
    )
}

async fn answer(state: &State, req: Request<Incoming>) -> Response<TestBody> {
    state.requests.fetch_add(1, Ordering::SeqCst);
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map(|c| c.to_bytes().to_vec())
        .unwrap_or_default();
    let recorded = Recorded {
        method: parts.method.to_string(),
        path: parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("?").to_owned()))
            .collect(),
        body,
    };
    let if_none_match = recorded.header("if-none-match").map(str::to_owned);
    state.recorded.lock().unwrap().push(recorded);
    let (behaviour, body, max_age, etag) = {
        let mut s = state.script.lock().unwrap();
        let b = s
            .once
            .pop_front()
            .or_else(|| s.behaviour.clone())
            .unwrap_or(Behaviour::Serve);
        (b, s.body.clone(), s.max_age, s.etag.clone())
    };
    let ok = |body: String| {
        let mut r = Response::builder();
        if let Some(secs) = max_age {
            r = r.header("cache-control", format!("public, max-age={secs}"));
        }
        if let Some(tag) = &etag {
            r = r.header("etag", tag.as_str());
            if if_none_match.as_deref() == Some(tag.as_str()) {
                return r.status(304).body(TestBody::full("")).unwrap();
            }
        }
        r.status(200)
            .header("content-type", "application/jwk-set+json")
            .body(TestBody::full(body))
            .unwrap()
    };
    match behaviour {
        Behaviour::Serve => ok(body),
        Behaviour::Delay(d) => {
            tokio::time::sleep(d).await;
            ok(body)
        }
        Behaviour::Status(code) => Response::builder()
            .status(code)
            .body(TestBody::full("error"))
            .unwrap(),
        Behaviour::Hang => std::future::pending().await,
        Behaviour::Trickle { interval } => Response::builder()
            .status(200)
            .body(TestBody::Trickle {
                remaining: body.len().max(1_000_000),
                interval,
                sleep: Box::pin(tokio::time::sleep(interval)),
            })
            .unwrap(),
        Behaviour::Huge { bytes, chunked } => {
            let b = if chunked {
                TestBody::Chunks {
                    chunk: Bytes::from(vec![b' '; 64 * 1024]),
                    remaining: bytes.div_ceil(64 * 1024),
                }
            } else {
                TestBody::full(" ".repeat(bytes))
            };
            Response::builder().status(200).body(b).unwrap()
        }
        Behaviour::Redirect(location) => Response::builder()
            .status(302)
            .header("location", location)
            .body(TestBody::full(""))
            .unwrap(),
    }
}

/// The response bodies the server sends.
pub enum TestBody {
    Full(Option<Bytes>),
    Chunks {
        chunk: Bytes,
        remaining: usize,
    },
    Trickle {
        remaining: usize,
        interval: Duration,
        sleep: Pin<Box<tokio::time::Sleep>>,
    },
}

impl TestBody {
    fn full(s: impl Into<String>) -> TestBody {
        TestBody::Full(Some(Bytes::from(s.into())))
    }
}

impl Body for TestBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            TestBody::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            TestBody::Chunks { chunk, remaining } => {
                if *remaining == 0 {
                    return Poll::Ready(None);
                }
                *remaining -= 1;
                Poll::Ready(Some(Ok(Frame::data(chunk.clone()))))
            }
            TestBody::Trickle {
                remaining,
                interval,
                sleep,
            } => {
                if *remaining == 0 {
                    return Poll::Ready(None);
                }
                match sleep.as_mut().poll(cx) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(()) => {
                        *remaining -= 1;
                        let next = tokio::time::Instant::now() + *interval;
                        sleep.as_mut().reset(next);
                        Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b" ")))))
                    }
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            TestBody::Full(b) => b.is_none(),
            TestBody::Chunks { remaining, .. } | TestBody::Trickle { remaining, .. } => {
                *remaining == 0
            }
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            TestBody::Full(Some(b)) => SizeHint::with_exact(b.len() as u64),
            TestBody::Full(None) => SizeHint::with_exact(0),
            _ => SizeHint::default(),
        }
    }
}
