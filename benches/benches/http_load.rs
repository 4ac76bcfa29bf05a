//! The HTTP layer under load: an in-process load generator (hyper HTTP/1.1 clients on
//! `C` keep-alive connections to axum servers on 127.0.0.1) against the example route
//! (`GET /mcp`, a small JSON naming the subject), four ways, interleaved slice by slice
//! so that whatever else the shared machine does falls on all alike:
//!
//! * `unprotected` — the route alone;
//! * `ct-bearer` — the cheapest possible auth: a tower layer comparing the bearer token
//!   with one static token in constant time (the job of tower-http's
//!   `ValidateRequestHeaderLayer::bearer`; written here, as ring's `constant_time` is
//!   deprecated: an OR-fold of XORs behind `black_box`);
//! * `jwsgate HS256`, `jwsgate ES256` — the [`jwsgate::http::AuthLayer`] with the
//!   default limiter, verifying a fresh-looking 330-byte RFC 9068 token every request.
//!
//! Also the median of a bare `Verifier::verify` per algorithm, so that the added median
//! latency can be compared with it.
//!
//! `cargo bench -p jwsgate-bench --bench http_load`; `JWSGATE_HTTP_CONNS` (default 8),
//! `JWSGATE_HTTP_SECS` (seconds per slice, default 1) and `JWSGATE_HTTP_ROUNDS`
//! (default 3). Run without `--bench` (as `cargo test --benches` does) it only checks
//! that each server answers 200 to the good token and 401 to a tampered one.

mod common;

use std::convert::Infallible;
use std::future::Future;
use std::hint::black_box;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use common::{AUD, Keys, jwsgate_verifier, tamper};
use hdrhistogram::Histogram;
use http::{HeaderValue, Request, StatusCode};
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::TokioIo;
use jwsgate::http::{AuthLayer, Identity, PathMatch};
use jwsgate::{Algorithm, Scratch, UnixTime};

// ---------------------------------------------------------------------------------------
// The constant-time bearer baseline.

/// `a == b` without an early exit (lengths are not secret).
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && black_box(a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y))) == 0
}

#[derive(Clone)]
struct CtBearerLayer {
    expected: Arc<[u8]>,
}

impl<S> tower_layer::Layer<S> for CtBearerLayer {
    type Service = CtBearer<S>;
    fn layer(&self, inner: S) -> CtBearer<S> {
        CtBearer {
            inner,
            expected: Arc::clone(&self.expected),
        }
    }
}

#[derive(Clone)]
struct CtBearer<S> {
    inner: S,
    expected: Arc<[u8]>,
}

pin_project_lite::pin_project! {
    #[project = CtFutureProj]
    enum CtFuture<F> {
        Inner { #[pin] future: F },
        Refused { response: Option<Response> },
    }
}

impl<F: Future<Output = Result<Response, Infallible>>> Future for CtFuture<F> {
    type Output = Result<Response, Infallible>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            CtFutureProj::Inner { future } => future.poll(cx),
            CtFutureProj::Refused { response } => {
                Poll::Ready(Ok(response.take().unwrap_or_default()))
            }
        }
    }
}

impl<S> tower_service::Service<Request<Body>> for CtBearer<S>
where
    S: tower_service::Service<Request<Body>, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = CtFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        let ok = req
            .headers()
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.as_bytes().strip_prefix(b"Bearer "))
            .is_some_and(|t| ct_eq(t, &self.expected));
        if ok {
            CtFuture::Inner {
                future: self.inner.call(req),
            }
        } else {
            CtFuture::Refused {
                response: Some(StatusCode::UNAUTHORIZED.into_response()),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Servers.

async fn mcp(identity: Identity) -> String {
    format!(
        r#"{{"subject":"{}","scopes":{}}}"#,
        identity.subject().unwrap_or(""),
        identity.scopes().count()
    )
}

async fn mcp_open() -> String {
    format!(r#"{{"subject":"{}","scopes":{}}}"#, "248289761001", 4)
}

async fn start(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("a local address");
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    addr
}

fn protected(keys: &Keys, alg: Algorithm) -> Router {
    let layer = AuthLayer::builder(AUD, jwsgate_verifier(keys, alg))
        .authorization_server(common::ISS)
        .require_scopes(
            http::Method::GET,
            PathMatch::prefix("/mcp"),
            ["orders:read"],
        )
        .build()
        .expect("the layer builds");
    Router::new().route("/mcp", get(mcp)).layer(layer)
}

struct Variant {
    name: &'static str,
    addr: SocketAddr,
    token: String,
    hist: Histogram<u64>,
    requests: u64,
    elapsed: Duration,
}

// ---------------------------------------------------------------------------------------
// Client.

async fn connect(addr: SocketAddr) -> hyper::client::conn::http1::SendRequest<Empty<Bytes>> {
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let _ = stream.set_nodelay(true);
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("handshake");
    tokio::spawn(conn);
    sender
}

async fn once(
    sender: &mut hyper::client::conn::http1::SendRequest<Empty<Bytes>>,
    addr: SocketAddr,
    auth: &HeaderValue,
) -> StatusCode {
    let _ = sender.ready().await;
    let req = Request::get("/mcp")
        .header("host", addr.to_string())
        .header("authorization", auth.clone())
        .body(Empty::new())
        .expect("a request");
    let response = sender.send_request(req).await.expect("a response");
    let status = response.status();
    let _ = response.into_body().collect().await;
    status
}

/// `conns` connections requesting back to back for `secs`; latencies in ns.
async fn slice(v: &mut Variant, conns: usize, secs: f64) {
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    let auth = HeaderValue::from_str(&format!("Bearer {}", v.token)).expect("ASCII");
    let start = Instant::now();
    let tasks: Vec<_> = (0..conns)
        .map(|_| {
            let (addr, auth) = (v.addr, auth.clone());
            tokio::spawn(async move {
                let mut hist = Histogram::<u64>::new(3).expect("histogram");
                let mut sender = connect(addr).await;
                while Instant::now() < deadline {
                    let t = Instant::now();
                    let status = once(&mut sender, addr, &auth).await;
                    assert_eq!(status, StatusCode::OK);
                    let _ = hist.record(t.elapsed().as_nanos() as u64);
                }
                hist
            })
        })
        .collect();
    for t in tasks {
        let h = t.await.expect("a client task");
        v.requests += h.len();
        let _ = v.hist.add(h);
    }
    v.elapsed += start.elapsed();
}

fn verify_median_ns(keys: &Keys, alg: Algorithm, samples: usize) -> u64 {
    let verifier = jwsgate_verifier(keys, alg);
    let token = keys.token(alg, &common::claims(common::unix_now()));
    let now = UnixTime::now();
    let mut scratch = Scratch::new();
    let mut hist = Histogram::<u64>::new(3).expect("histogram");
    for _ in 0..samples {
        let t = Instant::now();
        let ok = verifier
            .verify(&mut scratch, black_box(token.as_bytes()), now)
            .is_ok();
        let _ = hist.record(t.elapsed().as_nanos() as u64);
        assert!(ok);
    }
    hist.value_at_quantile(0.5)
}

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let timing = std::env::args().any(|a| a == "--bench");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let keys = Keys::new();
    let now = common::unix_now();
    let hs = keys.token(Algorithm::HS256, &common::claims(now));
    let es = keys.token(Algorithm::ES256, &common::claims(now));
    let static_token = "3q2-7wEAAAA4RkM5OGE0NzM4ZmNhZGJlZjA3ZTVlNjU0NmM1YjJmYWM";
    runtime.block_on(async {
        let mut variants = vec![
            Variant::new("unprotected", start(Router::new().route("/mcp", get(mcp_open))).await, "none"),
            Variant::new(
                "ct-bearer (baseline)",
                start(Router::new().route("/mcp", get(mcp_open)).layer(CtBearerLayer {
                    expected: Arc::from(static_token.as_bytes()),
                }))
                .await,
                static_token,
            ),
            Variant::new("jwsgate HS256", start(protected(&keys, Algorithm::HS256)).await, &hs),
            Variant::new("jwsgate ES256", start(protected(&keys, Algorithm::ES256)).await, &es),
        ];
        // Soundness: every server answers the good token, the protected ones refuse a
        // tampered one.
        for v in &variants {
            let mut sender = connect(v.addr).await;
            let good = HeaderValue::from_str(&format!("Bearer {}", v.token)).expect("ASCII");
            assert_eq!(once(&mut sender, v.addr, &good).await, StatusCode::OK, "{}", v.name);
            if v.name != "unprotected" {
                let bad = if v.token.contains('.') {
                    tamper(&v.token)
                } else {
                    format!("{}x", v.token)
                };
                let bad = HeaderValue::from_str(&format!("Bearer {bad}")).expect("ASCII");
                assert_eq!(once(&mut sender, v.addr, &bad).await, StatusCode::UNAUTHORIZED, "{}", v.name);
            }
        }
        if !timing {
            println!("http_load: servers sound (run with --bench to time)");
            return;
        }
        let conns = env("JWSGATE_HTTP_CONNS", 8usize);
        let secs = env("JWSGATE_HTTP_SECS", 1.0f64);
        let rounds = env("JWSGATE_HTTP_ROUNDS", 3usize);
        for _ in 0..rounds {
            for v in &mut variants {
                slice(v, conns, secs).await;
            }
        }
        let hs_verify = verify_median_ns(&keys, Algorithm::HS256, 20_000);
        let es_verify = verify_median_ns(&keys, Algorithm::ES256, 20_000);
        let base_rps = variants[0].rps();
        let base_p50 = variants[0].hist.value_at_quantile(0.5);
        println!(
            "http_load: {conns} connections, {rounds} rounds of {secs} s per variant, interleaved; 2 tokio workers serve and load on the same 2 cores\n"
        );
        println!("| variant | requests | req/s | × unprotected | p50 µs | p99 µs | added p50 µs |");
        println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for v in &variants {
            let p50 = v.hist.value_at_quantile(0.5);
            println!(
                "| {} | {} | {:.0} | {:.2} | {:.1} | {:.1} | {:+.1} |",
                v.name,
                v.requests,
                v.rps(),
                v.rps() / base_rps,
                p50 as f64 / 1e3,
                v.hist.value_at_quantile(0.99) as f64 / 1e3,
                (p50 as f64 - base_p50 as f64) / 1e3
            );
        }
        println!(
            "\nbare Verifier::verify median: HS256 {:.1} µs, ES256 {:.1} µs",
            hs_verify as f64 / 1e3,
            es_verify as f64 / 1e3
        );
    });
}

impl Variant {
    fn new(name: &'static str, addr: SocketAddr, token: &str) -> Variant {
        Variant {
            name,
            addr,
            token: token.to_owned(),
            hist: Histogram::new(3).expect("histogram"),
            requests: 0,
            elapsed: Duration::ZERO,
        }
    }

    fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}
