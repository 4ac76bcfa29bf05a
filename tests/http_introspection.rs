//! The HTTP layer with the authenticator chain of DESIGN.md on a real axum server on
//! 127.0.0.1: JWS-shaped tokens go to the verifier, opaque ones to RFC 7662 introspection
//! (the in-process fake endpoint), and rate limiting happens before either, so a token
//! that keeps failing stops costing introspection calls.
#![cfg(all(feature = "axum", feature = "introspection"))]

#[path = "support/introspection_server.rs"]
mod introspection_server;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use bytes::Bytes;
use http::{Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use introspection_server::{IntrospectionServer, Mode};
use jwsgate::authn::{Chain, Identity};
use jwsgate::http::AuthLayer;
use jwsgate::introspection::Introspector;
use jwsgate::outbound::{Endpoint, HttpClient};
use jwsgate::{StrongHmacKey, UnixTime, Verifier};
use secrecy::SecretString;

const ISS: &str = "https://as.example";
const DEADLINE: Duration = Duration::from_secs(20);

fn now() -> u64 {
    UnixTime::now().as_secs()
}

async fn whoami(identity: Identity) -> String {
    format!(
        "method={:?} sub={:?} client={:?}",
        identity.method(),
        identity.subject(),
        identity.client_id()
    )
}

/// An axum server on 127.0.0.1 for the resource `http://ADDR/api`, guarded by the layer
/// over the chain `chain` makes from the resource and an HS256 verifier for it.
async fn serve_chain(chain: impl FnOnce(&str, Verifier) -> Chain) -> (SocketAddr, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let resource = format!("http://{addr}/api");
    let secret: Vec<u8> = (0u8..32)
        .map(|i| i.wrapping_mul(131).wrapping_add(7))
        .collect();
    let verifier = Verifier::builder()
        .hmac_key(StrongHmacKey::new(&secret).unwrap())
        .issuer(ISS)
        .audience(&resource)
        .build()
        .unwrap();
    let layer = AuthLayer::builder(&resource, chain(&resource, verifier))
        .allow_insecure_loopback()
        .authorization_server(ISS)
        .build()
        .unwrap();
    let app = Router::new().route("/api", get(whoami)).layer(layer);
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    (addr, resource)
}

/// The layer over Chain(verifier, introspector of `endpoint`).
async fn serve(endpoint: &IntrospectionServer) -> (SocketAddr, String) {
    let url = endpoint.url();
    serve_chain(|resource, verifier| {
        let introspector = Introspector::builder(
            Endpoint::new(&url, true).unwrap(),
            "rs",
            SecretString::from("rs-secret"),
        )
        .http_client(
            HttpClient::builder()
                .timeout(Duration::from_secs(1))
                .build()
                .unwrap(),
        )
        .issuer(ISS)
        .audience(resource)
        .build()
        .unwrap();
        Chain::new(verifier).opaque(introspector)
    })
    .await
}

struct Answer {
    status: StatusCode,
    challenge: Option<String>,
    body: String,
}

async fn get_bearer(addr: SocketAddr, token: &str) -> Answer {
    tokio::time::timeout(DEADLINE, async {
        let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(conn);
        let req = Request::builder()
            .uri("/api")
            .header("host", addr.to_string())
            .header("authorization", format!("Bearer {token}"))
            .body(Full::new(Bytes::new()))
            .unwrap();
        let response = sender.send_request(req).await.unwrap();
        let (parts, body) = response.into_parts();
        let body = body.collect().await.unwrap().to_bytes();
        Answer {
            status: parts.status,
            challenge: parts
                .headers
                .get("www-authenticate")
                .map(|v| v.to_str().unwrap().to_owned()),
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    })
    .await
    .expect("the exchange finished within the deadline")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_layer_accepts_opaque_tokens_through_introspection() {
    let endpoint = IntrospectionServer::start().await;
    let (addr, resource) = serve(&endpoint).await;
    endpoint.activate(
        "opaque-active",
        &format!(
            r#""iss":"{ISS}","aud":"{resource}","sub":"u-7","client_id":"web","scope":"a b","exp":{}"#,
            now() + 600
        ),
    );
    let a = get_bearer(addr, "opaque-active").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(
        a.body,
        r#"method=Introspection sub=Some("u-7") client=Some("web")"#
    );
    assert_eq!(endpoint.calls(), 1);

    // active: false → 401 invalid_token with its challenge.
    let a = get_bearer(addr, "opaque-inactive").await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.challenge.unwrap().contains(r#"error="invalid_token""#));

    // Another resource's token: the local policy refuses it (401).
    endpoint.activate(
        "opaque-other",
        &format!(
            r#""iss":"{ISS}","aud":"https://other.example","exp":{}"#,
            now() + 600
        ),
    );
    assert_eq!(
        get_bearer(addr, "opaque-other").await.status,
        StatusCode::UNAUTHORIZED
    );

    // The endpoint failing → 503, never 401, never 200.
    endpoint.set_mode(Mode::Fixed {
        status: 500,
        content_type: "application/json",
        body: r#"{"active":true}"#.into(),
    });
    let a = get_bearer(addr, "opaque-active").await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{}", a.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_opaque_token_is_rate_limited_before_introspection() {
    let endpoint = IntrospectionServer::start().await;
    let (addr, _) = serve(&endpoint).await;
    // The layer's default limiter: 10 failures of one token, then 429.
    for i in 0..10 {
        let a = get_bearer(addr, "opaque-unknown").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "attempt {}", i + 1);
    }
    assert_eq!(endpoint.calls(), 10);
    for _ in 0..20 {
        let a = get_bearer(addr, "opaque-unknown").await;
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    }
    // The limited token cost no introspection call at all.
    assert_eq!(endpoint.calls(), 10);
}

#[cfg(feature = "dev")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn development_tokens_work_through_the_layer_when_not_in_production() {
    use jwsgate::dev::StaticTokens;
    let tokens = StaticTokens::builder()
        .token(
            SecretString::from("dev-alice-0123456789"),
            "alice",
            &["a"],
            UnixTime::from_secs(now() + 3600),
        )
        // The test environment is injected: CI may run where a production marker is set.
        .build_with_env(|_| None)
        .unwrap();
    let (addr, _) = serve_chain(|_, verifier| Chain::new(verifier).opaque(tokens)).await;
    let a = get_bearer(addr, "dev-alice-0123456789").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body, r#"method=Static sub=Some("alice") client=None"#);
    let a = get_bearer(addr, "dev-alice-0123456780").await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
}
