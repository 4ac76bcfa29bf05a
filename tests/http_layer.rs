//! The HTTP layer on a real server (axum, and plain hyper) on 127.0.0.1, called with a
//! real HTTP/1.1 client (hyper): every status and challenge, the header grammar, the
//! metadata document, exemptions, rate limiting before any signature work, the
//! extractors, and no token text in any log or response.
#![cfg(feature = "axum")]

mod support;

use jwsgate_fixtures::logs::Capture;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use jwsgate::authn::{
    AuthContext, Authenticator, FailureLimiter, Identity, LimitKeys, LocalLimiter, MaybeReady,
};
use jwsgate::http::{AuthLayer, AuthLayerBuilder, PathMatch, PeerAddr, RequireScopes, ScopeList};
use jwsgate::ratelimit::{ManualClock, RateLimitConfig};
use jwsgate::{Algorithm, Error, UnixTime, Verifier};
use support::{ISS, Keys};

/// Upper bound on any one exchange: a hung server fails the test instead of the suite.
const DEADLINE: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------------------

fn logs() -> &'static Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = Capture::default();
        tracing::subscriber::set_global_default(capture.clone()).unwrap();
        capture
    })
}

// ---------------------------------------------------------------------------------------
// Tokens, authenticators, limiters.

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(Keys::new)
}

fn now() -> u64 {
    UnixTime::now().as_secs()
}

/// An HS256 token for `aud` with `scope`, valid for an hour.
fn token_for(aud: &str, scope: &str) -> String {
    let claims = format!(
        r#"{{"iss":"{ISS}","sub":"user-42","aud":"{aud}","exp":{},"iat":{},"scope":"{scope}","client_id":"cli-7"}}"#,
        now() + 3600,
        now() - 5
    );
    keys().token(Algorithm::HS256, &claims)
}

fn hmac_verifier(resource: &str) -> Verifier {
    Verifier::builder()
        .hmac_key(Keys::hmac_key())
        .issuer(ISS)
        .audience(resource)
        .build()
        .unwrap()
}

/// Counts the tokens that reach the authenticator (the signature work).
#[derive(Clone)]
struct Counting<A> {
    inner: A,
    calls: Arc<AtomicUsize>,
}

impl<A: Authenticator> Authenticator for Counting<A> {
    fn authenticate(&self, token: &str, cx: &AuthContext) -> MaybeReady<Result<Identity, Error>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.authenticate(token, cx)
    }
    fn accepts_audience(&self, resource: &str) -> Option<bool> {
        self.inner.accepts_audience(resource)
    }
}

/// Always answers `error`, later (through a boxed future) when `deferred`.
struct Refusing {
    error: Error,
    deferred: bool,
}

impl Authenticator for Refusing {
    fn authenticate(&self, _: &str, _: &AuthContext) -> MaybeReady<Result<Identity, Error>> {
        let e = self.error;
        if self.deferred {
            MaybeReady::pending(async move {
                tokio::time::sleep(Duration::from_millis(5)).await;
                Err(e)
            })
        } else {
            MaybeReady::ready(Err(e))
        }
    }
}

/// A limiter whose store is down and fails closed, after an await.
struct Unavailable;

impl FailureLimiter for Unavailable {
    fn check(&self, _: &LimitKeys) -> MaybeReady<Result<(), Error>> {
        MaybeReady::pending(async {
            tokio::time::sleep(Duration::from_millis(5)).await;
            Err(Error::KeysUnavailable)
        })
    }
    fn record_failure(&self, _: &LimitKeys) -> MaybeReady<()> {
        MaybeReady::ready(())
    }
}

fn limiter(token: u32, client: u32) -> LocalLimiter<Arc<ManualClock>> {
    let config = |n| RateLimitConfig::new(n, Duration::from_secs(60), 4096).unwrap();
    LocalLimiter::with_clock(config(token), config(client), Arc::new(ManualClock::new()))
}

struct Tools;
impl ScopeList for Tools {
    const SCOPES: &'static [&'static str] = &["mcp:tools"];
}

// ---------------------------------------------------------------------------------------
// Server and client.

struct Server {
    addr: SocketAddr,
    resource: String,
    verifies: Arc<AtomicUsize>,
}

impl Server {
    fn metadata_url(&self) -> String {
        format!(
            "http://{}/.well-known/oauth-protected-resource/mcp",
            self.addr
        )
    }
}

async fn mcp(identity: Identity) -> String {
    format!(
        "sub={:?} iss={:?} client={:?} scope={:?} exp={:?} alg={:?} kid={:?} fp={} method={:?}",
        identity.subject(),
        identity.issuer(),
        identity.client_id(),
        identity.scope(),
        identity.expires_at().map(UnixTime::as_secs),
        identity.alg(),
        identity.kid(),
        identity.fingerprint(),
        identity.method(),
    )
}

async fn tools(caller: RequireScopes<Tools>) -> String {
    format!("tools for {:?}", caller.subject())
}

/// The standard test layer for `resource`: realm "test", GET /mcp needs mcp:read, POST
/// /mcp needs mcp:tools, /health and /public/... exempt.
fn standard(resource: &str, authenticator: impl Authenticator) -> AuthLayerBuilder {
    AuthLayer::builder(resource, authenticator)
        .allow_insecure_loopback()
        .authorization_server(ISS)
        .realm("test")
        .scopes_supported(["mcp:read", "mcp:tools"])
        .require_scopes(Method::GET, PathMatch::prefix("/mcp"), ["mcp:read"])
        .require_scopes(Method::POST, PathMatch::prefix("/mcp"), ["mcp:tools"])
        .exempt(Method::GET, PathMatch::exact("/health"))
        .exempt(Method::GET, PathMatch::exact("/whoami"))
        .exempt(Method::GET, PathMatch::prefix("/public"))
}

/// Starts an axum server on 127.0.0.1:0 guarded by the layer `configure` builds from
/// the resource identifier `http://ADDR{path}` and a counting HS256 verifier.
async fn serve_with(
    path: &str,
    configure: impl FnOnce(&str, Counting<Verifier>) -> AuthLayerBuilder,
) -> Server {
    logs();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let resource = format!("http://{addr}{path}");
    let verifies = Arc::new(AtomicUsize::new(0));
    let counting = Counting {
        inner: hmac_verifier(&resource),
        calls: Arc::clone(&verifies),
    };
    let layer = configure(&resource, counting).build().unwrap();
    let app = Router::new()
        .route("/mcp", get(mcp).post(mcp))
        .route("/tools", get(tools))
        .route("/whoami", get(mcp))
        .route("/health", get(|| async { "ok" }))
        .route("/public/{*rest}", get(|| async { "public" }))
        .layer(layer);
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    Server {
        addr,
        resource,
        verifies,
    }
}

async fn serve() -> Server {
    serve_with("/mcp", standard).await
}

#[derive(Debug)]
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    /// The one `WWW-Authenticate` field (asserting there is exactly one).
    fn challenge(&self) -> String {
        let all: Vec<_> = self.headers.get_all("www-authenticate").iter().collect();
        assert_eq!(all.len(), 1, "{self:?}");
        all[0].to_str().unwrap().to_owned()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

/// One request on a fresh connection: `method path` with `headers` (raw bytes allowed).
async fn send(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &[u8])]) -> Answer {
    tokio::time::timeout(DEADLINE, async {
        let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(conn);
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("host", addr.to_string());
        for (name, value) in headers {
            req = req.header(*name, http::HeaderValue::from_bytes(value).unwrap());
        }
        let response = sender
            .send_request(req.body(Full::new(Bytes::new())).unwrap())
            .await
            .unwrap();
        let (parts, body) = response.into_parts();
        let body = body.collect().await.unwrap().to_bytes();
        Answer {
            status: parts.status,
            headers: parts.headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    })
    .await
    .expect("the exchange finished within the deadline")
}

async fn get_with(addr: SocketAddr, path: &str, authorization: &[u8]) -> Answer {
    send(addr, "GET", path, &[("authorization", authorization)]).await
}

async fn bearer(addr: SocketAddr, method: &str, path: &str, token: &str) -> Answer {
    let value = format!("Bearer {token}");
    send(addr, method, path, &[("authorization", value.as_bytes())]).await
}

fn expected_challenge(s: &Server, rest: &str) -> String {
    format!(
        r#"Bearer realm="test", {rest}resource_metadata="{}""#,
        s.metadata_url()
    )
}

fn invalid_token(s: &Server, description: &str) -> String {
    expected_challenge(
        s,
        &format!(r#"error="invalid_token", error_description="{description}", "#),
    )
}

fn invalid_request(s: &Server, description: &str) -> String {
    expected_challenge(
        s,
        &format!(r#"error="invalid_request", error_description="{description}", "#),
    )
}

// ---------------------------------------------------------------------------------------
// 200: the identity reaches the handler.

#[tokio::test]
async fn a_valid_token_reaches_the_handler_with_its_identity() {
    let s = serve().await;
    let token = token_for(&s.resource, "mcp:read extra");
    let a = bearer(s.addr, "GET", "/mcp", &token).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    let fp = jwsgate::fingerprint(token.as_bytes());
    let expected = format!(
        "sub=Some(\"user-42\") iss=Some(\"{ISS}\") client=Some(\"cli-7\") scope=\"mcp:read extra\" \
         exp=Some({}) alg=Some(HS256) kid=Some(\"hmac\") fp={fp} method=Jwt",
        now_exp_of(&token)
    );
    assert_eq!(a.body, expected);
    assert!(a.headers.get("www-authenticate").is_none());
    assert_eq!(s.verifies.load(Ordering::SeqCst), 1);
    // HEAD is covered by the GET rule and answered by the GET handler.
    let a = bearer(s.addr, "HEAD", "/mcp", &token).await;
    assert_eq!(a.status, StatusCode::OK);
}

/// The `exp` the token carries.
fn now_exp_of(token: &str) -> u64 {
    let payload = token.split('.').nth(1).unwrap();
    let json = String::from_utf8(jwsgate::low_level::base64url::decode_vec(payload)).unwrap();
    let exp = json.split("\"exp\":").nth(1).unwrap();
    exp.split(',').next().unwrap().parse().unwrap()
}

// ---------------------------------------------------------------------------------------
// 401 without error: no credentials, another scheme; the query token is never read.

#[tokio::test]
async fn no_credentials_is_401_with_a_challenge_without_error() {
    let s = serve().await;
    let expected = expected_challenge(&s, "");
    let a = send(s.addr, "GET", "/mcp", &[]).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.challenge(), expected);
    assert_eq!(a.body, "");
    for other in [&b"Basic dXNlcjpwYXNz"[..], b"DPoP abc", b"Negotiate"] {
        let a = get_with(s.addr, "/mcp", other).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{other:?}");
        assert_eq!(a.challenge(), expected);
    }
    assert_eq!(s.verifies.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_token_in_the_query_is_never_read() {
    let s = serve().await;
    let token = token_for(&s.resource, "mcp:read");
    let a = send(s.addr, "GET", &format!("/mcp?access_token={token}"), &[]).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.challenge(), expected_challenge(&s, ""));
    assert_eq!(s.verifies.load(Ordering::SeqCst), 0);
    assert!(!a.body.contains(&token));
    // With a bad header token, the good query token still does not count.
    let a = bearer(s.addr, "GET", &format!("/mcp?access_token={token}"), "bad").await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.challenge().contains("invalid_token"));
    assert_no_token_in_logs(&token);
}

// ---------------------------------------------------------------------------------------
// 400 invalid_request: the grammar of RFC 6750 §2.1.

#[tokio::test]
async fn grammar_violations_are_400_invalid_request() {
    let s = serve().await;
    let token = token_for(&s.resource, "mcp:read");
    let syntax = "The Authorization header is not a valid Bearer credential";
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (format!("Bearer\t{token}").into_bytes(), syntax),
        (format!("Bearer \t{token}").into_bytes(), syntax),
        (format!("Bearer {token} extra").into_bytes(), syntax),
        (
            format!("Bearer {token}, Bearer {token}").into_bytes(),
            syntax,
        ),
        (b"Bearer ab=cd".to_vec(), syntax),
        (b"Bearer \"quoted\"".to_vec(), syntax),
        ("Bearer tok\u{e9}n".as_bytes().to_vec(), syntax),
        (b"Bearer tok\xffn".to_vec(), syntax),
        (b"=abc".to_vec(), syntax),
        (b"Bearer".to_vec(), "The Bearer credential has no token"),
        (b"Bearer    ".to_vec(), "The Bearer credential has no token"),
    ];
    for (value, description) in &cases {
        let a = get_with(s.addr, "/mcp", value).await;
        assert_eq!(
            a.status,
            StatusCode::BAD_REQUEST,
            "{}",
            String::from_utf8_lossy(value)
        );
        assert_eq!(a.challenge(), invalid_request(&s, description));
    }
    // Two Authorization fields, even two valid ones.
    let value = format!("Bearer {token}");
    let a = send(
        s.addr,
        "GET",
        "/mcp",
        &[
            ("authorization", value.as_bytes()),
            ("authorization", value.as_bytes()),
        ],
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        a.challenge(),
        invalid_request(&s, "More than one Authorization header")
    );
    assert_eq!(s.verifies.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn the_grammar_accepts_any_case_several_spaces_and_padding() {
    let s = serve().await;
    let token = token_for(&s.resource, "mcp:read");
    for value in [
        format!("bearer {token}"),
        format!("BEARER {token}"),
        format!("Bearer     {token}"),
        format!("Bearer {token}  "),
    ] {
        let a = get_with(s.addr, "/mcp", value.as_bytes()).await;
        assert_eq!(a.status, StatusCode::OK, "{value}");
    }
    // `=` padding is b64token grammar: it reaches the verifier (where a compact JWS,
    // unpadded base64url, refuses it as malformed).
    let a = bearer(s.addr, "GET", "/mcp", &format!("{token}==")).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        a.challenge(),
        invalid_token(&s, "The access token is malformed")
    );
    assert_eq!(s.verifies.load(Ordering::SeqCst), 5);
}

// ---------------------------------------------------------------------------------------
// 401 invalid_token: verification failures, each with its fixed description.

#[tokio::test]
async fn refused_tokens_are_401_invalid_token_with_fixed_descriptions() {
    let s = serve().await;
    let good = token_for(&s.resource, "mcp:read");
    let (input, sig) = good.rsplit_once('.').unwrap();
    let mut raw = jwsgate::low_level::base64url::decode_vec(sig);
    raw[0] ^= 1;
    let bad_sig = format!("{input}.{}", jwsgate::low_level::base64url::encode(&raw));
    let claims = |iss: &str, aud: &str, exp: u64| {
        keys().token(
            Algorithm::HS256,
            &format!(r#"{{"iss":"{iss}","sub":"u","aud":"{aud}","exp":{exp},"scope":"mcp:read"}}"#),
        )
    };
    let other_resource = format!("http://{}/other", s.addr);
    let cases = [
        (bad_sig, "The access token's signature is invalid"),
        (
            claims(ISS, &s.resource, now() - 3600),
            "The access token expired",
        ),
        (
            claims("https://evil.example", &s.resource, now() + 600),
            "The access token's issuer is not trusted",
        ),
        // RFC 8707: a token issued for another resource.
        (
            claims(ISS, &other_resource, now() + 600),
            "The access token is not meant for this resource",
        ),
        ("not-a-jwt".to_owned(), "The access token is malformed"),
        (
            keys().token(
                Algorithm::ES256,
                &format!(
                    r#"{{"iss":"{ISS}","aud":"{}","exp":{}}}"#,
                    s.resource,
                    now() + 60
                ),
            ),
            "The access token's algorithm is not accepted",
        ),
    ];
    for (token, description) in &cases {
        let a = bearer(s.addr, "GET", "/mcp", token).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{description}");
        let challenge = a.challenge();
        assert_eq!(challenge, invalid_token(&s, description));
        // Never the expected issuer or audience, never the token.
        assert!(!challenge.contains(ISS) && !challenge.contains("/mcp\","));
        assert!(!challenge.contains(token.as_str()) && !a.body.contains(token.as_str()));
    }
    assert_eq!(s.verifies.load(Ordering::SeqCst), cases.len());
}

#[tokio::test]
async fn a_16_kib_header_is_refused_before_any_verification() {
    let s = serve().await;
    let huge = "A".repeat(16 * 1024);
    let a = bearer(s.addr, "GET", "/mcp", &huge).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        a.challenge(),
        invalid_token(&s, "The access token is too large")
    );
    assert_eq!(s.verifies.load(Ordering::SeqCst), 0);
}

// ---------------------------------------------------------------------------------------
// 403 insufficient_scope: route rules and the per-handler extractor.

#[tokio::test]
async fn a_missing_route_scope_is_403_naming_the_scope() {
    let s = serve().await;
    let read_only = token_for(&s.resource, "mcp:read");
    let a = bearer(s.addr, "POST", "/mcp", &read_only).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let insufficient = |scope: &str| {
        expected_challenge(
            &s,
            &format!(
                r#"error="insufficient_scope", error_description="The access token lacks a required scope", scope="{scope}", "#
            ),
        )
    };
    assert_eq!(a.challenge(), insufficient("mcp:tools"));
    let tools_only = token_for(&s.resource, "mcp:tools");
    let a = bearer(s.addr, "GET", "/mcp", &tools_only).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.challenge(), insufficient("mcp:read"));
    assert_eq!(
        bearer(s.addr, "POST", "/mcp", &tools_only).await.status,
        StatusCode::OK
    );
    // Non-canonical paths are matched as a normalizing router would route them.
    for path in ["/%6dcp", "/x/../mcp", "//mcp"] {
        let a = bearer(s.addr, "GET", path, &tools_only).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{path}");
    }
    // The extractor's own scopes: GET /tools has no route rule, the handler needs mcp:tools.
    let a = bearer(s.addr, "GET", "/tools", &read_only).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.challenge(), insufficient("mcp:tools"));
    let a = bearer(s.addr, "GET", "/tools", &tools_only).await;
    assert_eq!(
        (a.status, a.body.as_str()),
        (StatusCode::OK, "tools for Some(\"user-42\")")
    );
    // A verified token is never counted as a failure: many 403s, no 429.
    for _ in 0..15 {
        assert_eq!(
            bearer(s.addr, "POST", "/mcp", &read_only).await.status,
            StatusCode::FORBIDDEN
        );
    }
}

// ---------------------------------------------------------------------------------------
// Exemptions, CORS preflight, the metadata route.

#[tokio::test]
async fn exempt_routes_preflight_and_metadata_need_no_token() {
    let s = serve().await;
    let a = send(s.addr, "GET", "/health", &[]).await;
    assert_eq!((a.status, a.body.as_str()), (StatusCode::OK, "ok"));
    let a = send(s.addr, "GET", "/public/a/b", &[]).await;
    assert_eq!((a.status, a.body.as_str()), (StatusCode::OK, "public"));
    // An exemption is for its method only, and for canonical paths only.
    assert_eq!(
        send(s.addr, "POST", "/health", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    for path in ["/public/../mcp", "/%68ealth", "//health"] {
        let a = send(s.addr, "GET", path, &[]).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{path}");
    }
    // CORS preflight passes through (axum answers it; the layer does not refuse it).
    let a = send(
        s.addr,
        "OPTIONS",
        "/mcp",
        &[
            ("origin", b"https://app.example"),
            ("access-control-request-method", b"POST"),
        ],
    )
    .await;
    assert_ne!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.headers.get("www-authenticate").is_none());
    // A plain OPTIONS is not a preflight.
    assert_eq!(
        send(s.addr, "OPTIONS", "/mcp", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    // The identity extractor on an exempt route refuses with the layer's challenge.
    let a = send(s.addr, "GET", "/whoami", &[]).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.challenge(), expected_challenge(&s, ""));
    assert_eq!(s.verifies.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn the_metadata_document_follows_rfc_9728() {
    let s = serve().await;
    let path = "/.well-known/oauth-protected-resource/mcp";
    let a = send(s.addr, "GET", path, &[]).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header("content-type"), Some("application/json"));
    assert_eq!(a.header("cache-control"), Some("public, max-age=3600"));
    let doc: serde_json::Value = serde_json::from_str(&a.body).unwrap();
    assert_eq!(
        doc,
        serde_json::json!({
            "resource": s.resource,
            "authorization_servers": [ISS],
            "scopes_supported": ["mcp:read", "mcp:tools"],
            "bearer_methods_supported": ["header"],
        })
    );
    // `resource` equals the identifier byte for byte.
    assert!(a.body.contains(&format!("\"resource\":\"{}\"", s.resource)));
    let a = send(s.addr, "HEAD", path, &[]).await;
    assert_eq!((a.status, a.body.as_str()), (StatusCode::OK, ""));
    let a = send(s.addr, "POST", path, &[]).await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.header("allow"), Some("GET, HEAD"));
    // The challenge points at it.
    assert!(
        send(s.addr, "GET", "/mcp", &[])
            .await
            .challenge()
            .contains(&s.metadata_url())
    );
}

#[tokio::test]
async fn metadata_urls_for_root_and_nested_resources() {
    for (resource_path, metadata_path) in [
        ("", "/.well-known/oauth-protected-resource"),
        ("/", "/.well-known/oauth-protected-resource"),
        (
            "/public/mcp",
            "/.well-known/oauth-protected-resource/public/mcp",
        ),
    ] {
        let s = serve_with(resource_path, |r, a| {
            AuthLayer::builder(r, a)
                .allow_insecure_loopback()
                .authorization_server(ISS)
                .resource_name("nested \"test\"")
                .jwks_uri(&format!("{ISS}/jwks"))
        })
        .await;
        let a = send(s.addr, "GET", metadata_path, &[]).await;
        assert_eq!(a.status, StatusCode::OK, "{resource_path}");
        let doc: serde_json::Value = serde_json::from_str(&a.body).unwrap();
        assert_eq!(doc["resource"], s.resource.as_str());
        assert_eq!(doc["resource_name"], "nested \"test\"");
        assert_eq!(doc["jwks_uri"], format!("{ISS}/jwks"));
        let challenge = send(s.addr, "GET", "/mcp", &[]).await.challenge();
        assert_eq!(
            challenge,
            format!(
                r#"Bearer resource_metadata="http://{}{metadata_path}""#,
                s.addr
            )
        );
    }
}

// ---------------------------------------------------------------------------------------
// 429 and 503.

#[tokio::test]
async fn the_eleventh_failure_is_429_and_never_reaches_the_verifier() {
    let s = serve().await;
    let bad = format!("{}x", token_for(&s.resource, "mcp:read"));
    for i in 0..10 {
        let a = bearer(s.addr, "GET", "/mcp", &bad).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "attempt {}", i + 1);
    }
    assert_eq!(s.verifies.load(Ordering::SeqCst), 10);
    for _ in 0..20 {
        let a = bearer(s.addr, "GET", "/mcp", &bad).await;
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
        let secs: u64 = a.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=60).contains(&secs), "{secs}");
        assert!(a.headers.get("www-authenticate").is_none());
    }
    // The limited token cost no signature work at all.
    assert_eq!(s.verifies.load(Ordering::SeqCst), 10);
    // A good token from the same address is unaffected, and never counted.
    let good = token_for(&s.resource, "mcp:read");
    for _ in 0..30 {
        assert_eq!(
            bearer(s.addr, "GET", "/mcp", &good).await.status,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn a_client_address_is_limited_across_tokens() {
    let s = serve_with("/mcp", |r, a| standard(r, a).limiter(limiter(10, 3))).await;
    for i in 0..3 {
        let a = bearer(s.addr, "GET", "/mcp", &format!("bad{i}")).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    let a = bearer(s.addr, "GET", "/mcp", "fresh-token").await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.header("retry-after"), Some("20"));
    assert_eq!(s.verifies.load(Ordering::SeqCst), 3);
    // A client cannot pick its own key: X-Forwarded-For is ignored unless named.
    let a = send(
        s.addr,
        "GET",
        "/mcp",
        &[
            ("authorization", b"Bearer other"),
            ("x-forwarded-for", b"198.51.100.9"),
        ],
    )
    .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_named_forwarded_header_keys_the_client() {
    let s = serve_with("/mcp", |r, a| {
        standard(r, a)
            .limiter(limiter(10, 2))
            .client_address_header("x-forwarded-for")
    })
    .await;
    let from = |ip: &'static str, token: String| async move {
        let value = format!("Bearer {token}");
        send(
            s.addr,
            "GET",
            "/mcp",
            &[
                ("authorization", value.as_bytes()),
                ("x-forwarded-for", format!("203.0.113.1, {ip}").as_bytes()),
            ],
        )
        .await
        .status
    };
    assert_eq!(
        from("198.51.100.1", "a".into()).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        from("198.51.100.1", "b".into()).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        from("198.51.100.1", "c".into()).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The right-most entry is the key: another proxy-seen address is another budget.
    assert_eq!(
        from("198.51.100.2", "c".into()).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn unavailable_keys_are_503_with_retry_after_and_never_counted() {
    for deferred in [false, true] {
        let s = serve_with("/mcp", move |r, _| {
            standard(
                r,
                Refusing {
                    error: Error::KeysUnavailable,
                    deferred,
                },
            )
            .unavailable_retry_after(Duration::from_millis(7_500))
        })
        .await;
        for _ in 0..15 {
            let a = bearer(s.addr, "GET", "/mcp", "some-token").await;
            assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(a.header("retry-after"), Some("8"));
        }
    }
}

#[tokio::test]
async fn deferred_refusals_are_counted_like_immediate_ones() {
    let s = serve_with("/mcp", |r, _| {
        standard(
            r,
            Refusing {
                error: Error::InvalidToken,
                deferred: true,
            },
        )
    })
    .await;
    for _ in 0..10 {
        let a = bearer(s.addr, "GET", "/mcp", "opaque-token").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            a.challenge(),
            invalid_token(&s, "The access token is not active")
        );
    }
    let a = bearer(s.addr, "GET", "/mcp", "opaque-token").await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_limiter_that_cannot_answer_fails_closed_with_503() {
    let s = serve_with("/mcp", |r, a| standard(r, a).limiter(Unavailable)).await;
    let good = token_for(&s.resource, "mcp:read");
    let a = bearer(s.addr, "GET", "/mcp", &good).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(a.header("retry-after"), Some("10"));
    assert_eq!(s.verifies.load(Ordering::SeqCst), 0);
}

// ---------------------------------------------------------------------------------------
// Logs, CORS help, configuration.

fn assert_no_token_in_logs(token: &str) {
    let lines = logs().0.lock().unwrap().clone();
    // Any segment of the token is as bad as the whole.
    for part in token.split('.').filter(|p| p.len() >= 8) {
        for line in &lines {
            assert!(!line.contains(part), "token text in a log line: {line}");
        }
    }
}

#[tokio::test]
async fn refusals_are_logged_with_fingerprints_and_never_the_token() {
    let s = serve().await;
    let good = token_for(&s.resource, "mcp:read");
    let expired = keys().token(
        Algorithm::HS256,
        &format!(
            r#"{{"iss":"{ISS}","aud":"{}","exp":{}}}"#,
            s.resource,
            now() - 999
        ),
    );
    let tokens = [good.clone(), expired.clone(), format!("{good}x")];
    for t in &tokens {
        for (method, path) in [("GET", "/mcp"), ("POST", "/mcp"), ("GET", "/tools")] {
            let a = bearer(s.addr, method, path, t).await;
            assert!(!a.body.contains(t.as_str()));
            for v in a.headers.values() {
                assert!(!v.to_str().unwrap_or("").contains(t.as_str()));
            }
        }
    }
    let _ = send(s.addr, "GET", &format!("/mcp?access_token={good}"), &[]).await;
    for t in &tokens {
        assert_no_token_in_logs(t);
    }
    let lines = logs().0.lock().unwrap().clone();
    let fp = jwsgate::fingerprint(expired.as_bytes()).to_string();
    let refused: Vec<_> = lines
        .iter()
        .filter(|l| l.contains("jwsgate::http") && l.contains(&fp))
        .collect();
    assert!(
        refused.iter().any(|l| l.contains("code=expired")
            && l.contains("status=401")
            && l.contains("route=/mcp")),
        "{refused:?}"
    );
    let fp = jwsgate::fingerprint(good.as_bytes()).to_string();
    assert!(lines.iter().any(|l| l.contains(&fp)
        && l.contains("code=insufficient_scope")
        && l.contains("status=403")));
}

#[tokio::test]
async fn cors_help_exposes_the_challenge() {
    let s = serve_with("/mcp", |r, a| standard(r, a).expose_www_authenticate()).await;
    let a = send(s.addr, "GET", "/mcp", &[]).await;
    assert_eq!(
        a.header("access-control-expose-headers"),
        Some("WWW-Authenticate")
    );
    let a = send(
        s.addr,
        "GET",
        "/.well-known/oauth-protected-resource/mcp",
        &[],
    )
    .await;
    assert_eq!(a.header("access-control-allow-origin"), Some("*"));
    let plain = serve().await;
    let a = send(plain.addr, "GET", "/mcp", &[]).await;
    assert!(a.headers.get("access-control-expose-headers").is_none());
}

#[test]
fn the_layer_refuses_bad_configuration() {
    let resource = "https://api.example/mcp";
    let ok = || AuthLayer::builder(resource, hmac_verifier(resource)).authorization_server(ISS);
    assert!(ok().build().is_ok());
    let err = |b: AuthLayerBuilder| b.build().unwrap_err().to_string();
    // RFC 8707: the verifier must check this resource as the audience.
    let other = AuthLayer::builder(resource, hmac_verifier("https://api.example/other"))
        .authorization_server(ISS);
    assert!(err(other).contains("audience"));
    let unchecked = Verifier::builder()
        .hmac_key(Keys::hmac_key())
        .issuer(ISS)
        .no_audience_check()
        .build()
        .unwrap();
    assert!(
        err(AuthLayer::builder(resource, unchecked).authorization_server(ISS)).contains("audience")
    );
    assert!(
        err(AuthLayer::builder(resource, hmac_verifier(resource))).contains("authorization server")
    );
    for bad in [
        "http://api.example/mcp",
        "https://api.example/mcp#x",
        "https://api.example/mcp?q",
    ] {
        let b = AuthLayer::builder(bad, hmac_verifier(bad)).authorization_server(ISS);
        assert!(err(b).contains("resource"), "{bad}");
    }
    // Loopback http only with the opt-in.
    let dev = "http://127.0.0.1:8080/mcp";
    assert!(
        AuthLayer::builder(dev, hmac_verifier(dev))
            .authorization_server(ISS)
            .build()
            .is_err()
    );
    assert!(
        AuthLayer::builder(dev, hmac_verifier(dev))
            .allow_insecure_loopback()
            .authorization_server(ISS)
            .build()
            .is_ok()
    );
    assert!(err(ok().scopes_supported(["a b"])).contains("scope"));
    assert!(
        err(ok().require_scopes(Method::GET, PathMatch::prefix("/x"), ["\"q\""])).contains("scope")
    );
    assert!(err(ok().exempt(Method::GET, PathMatch::exact("health"))).contains("path"));
    assert!(err(ok().realm("a\u{7}b")).contains("realm"));
    assert!(err(ok().client_address_header("bad header")).contains("header"));
    assert!(err(ok().max_token_bytes(0)).contains("token"));
    assert!(
        err(ok().authorization_server("http://issuer.example")).contains("authorization server")
    );
}

// ---------------------------------------------------------------------------------------
// Plain hyper (no axum): the client address from PeerAddr.

#[derive(Clone)]
struct Hello;

impl tower_service::Service<Request<hyper::body::Incoming>> for Hello {
    type Response = Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<hyper::body::Incoming>) -> Self::Future {
        let sub = req
            .extensions()
            .get::<Identity>()
            .and_then(|i| i.subject().map(str::to_owned))
            .unwrap_or_default();
        Box::pin(async move {
            Ok(Response::new(Full::new(Bytes::from(format!(
                "hello {sub}"
            )))))
        })
    }
}

#[tokio::test]
async fn plain_hyper_with_peer_addresses() {
    logs();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let resource = format!("http://{addr}/mcp");
    let layer = AuthLayer::builder(&resource, hmac_verifier(&resource))
        .allow_insecure_loopback()
        .authorization_server(ISS)
        .limiter(limiter(10, 2))
        .build()
        .unwrap();
    let service = tower_layer::Layer::layer(&layer, Hello);
    tokio::spawn(async move {
        loop {
            let (stream, peer) = listener.accept().await.unwrap();
            let service = service.clone();
            let hyper_service = hyper::service::service_fn(move |mut req| {
                req.extensions_mut().insert(PeerAddr(peer));
                let mut service = service.clone();
                tower_service::Service::call(&mut service, req)
            });
            tokio::spawn(
                hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), hyper_service),
            );
        }
    });
    let good = token_for(&resource, "");
    let a = bearer(addr, "GET", "/mcp", &good).await;
    assert_eq!(
        (a.status, a.body.as_str()),
        (StatusCode::OK, "hello user-42")
    );
    assert_eq!(
        bearer(addr, "GET", "/mcp", "bad1").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        bearer(addr, "GET", "/mcp", "bad2").await.status,
        StatusCode::UNAUTHORIZED
    );
    // The peer address (127.0.0.1) has spent its two failures.
    assert_eq!(
        bearer(addr, "GET", "/mcp", "bad3").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let a = send(
        addr,
        "GET",
        "/.well-known/oauth-protected-resource/mcp",
        &[],
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
}
