//! RFC 7662 introspection against an in-process fake endpoint on 127.0.0.1: strict answer
//! reading (every failure is 503, never valid and never 401), both client authentication
//! methods as seen on the wire, the positive cache and request coalescing.
#![cfg(feature = "introspection")]

#[path = "support/introspection_server.rs"]
mod introspection_server;

use std::time::{Duration, Instant};

use base64ct::{Base64, Encoding};
use introspection_server::{IntrospectionServer, Mode, form_decode};
use jwsgate::introspection::{ClientAuth, Introspector};
use jwsgate::outbound::{Endpoint, HttpClient};
use jwsgate::{Error, UnixTime};
use secrecy::SecretString;

const ISS: &str = "https://as.example";
const AUD: &str = "api://orders";
const NOW: u64 = 1_700_000_000;
const DEADLINE: Duration = Duration::from_secs(1);

fn now() -> UnixTime {
    UnixTime::from_secs(NOW)
}

/// The members of a good active answer, expiring `exp_in` seconds after NOW.
fn good(exp_in: u64) -> String {
    format!(
        r#""iss":"{ISS}","aud":"{AUD}","scope":"orders:read","sub":"u-1","client_id":"web","token_type":"Bearer","exp":{}"#,
        NOW + exp_in
    )
}

/// A client of `server` with a 1 s deadline; `cache_ttl` in seconds turns the cache on.
fn introspector(
    server: &IntrospectionServer,
    auth: ClientAuth,
    id: &str,
    cache_ttl: Option<u64>,
) -> Introspector {
    let client = HttpClient::builder().timeout(DEADLINE).build().unwrap();
    let endpoint = Endpoint::new(&server.url(), true).unwrap();
    let b = Introspector::builder(endpoint, id, SecretString::from("s3cr:t%20+/é"))
        .http_client(client)
        .auth_method(auth)
        .issuer(ISS)
        .audience(AUD)
        .require_scope("orders:read");
    let b = match cache_ttl {
        Some(ttl) => b.cache(Duration::from_secs(ttl), 1000),
        None => b,
    };
    b.build().unwrap()
}

#[tokio::test]
async fn an_active_token_is_accepted_and_an_inactive_one_is_invalid_token() {
    let server = IntrospectionServer::start().await;
    server.activate("opaque-1", &good(600));
    let i = introspector(&server, ClientAuth::Basic, "rs", None);
    let v = i.introspect(b"opaque-1", now()).await.unwrap();
    assert_eq!(v.sub(), Some("u-1"));
    assert_eq!(v.client_id(), Some("web"));
    assert_eq!(v.scopes().collect::<Vec<_>>(), ["orders:read"]);
    let e = i.introspect(b"opaque-2", now()).await.unwrap_err();
    assert_eq!(e, Error::InvalidToken);
    assert_eq!((e.code(), e.status()), ("invalid_token", 401));
    // The local policy applies to an active answer as to a JWT.
    server.activate("wrong-aud", &good(600).replace(AUD, "api://billing"));
    assert_eq!(
        i.introspect(b"wrong-aud", now()).await.unwrap_err(),
        Error::InvalidAudience
    );
    server.activate("refresh", &good(600).replace("Bearer", "refresh_token"));
    assert_eq!(
        i.introspect(b"refresh", now()).await.unwrap_err(),
        Error::InvalidToken
    );
}

#[tokio::test]
async fn client_secret_basic_on_the_wire() {
    let server = IntrospectionServer::start().await;
    server.activate("opaque-1", &good(600));
    let id = "rs:1%two é";
    let i = introspector(&server, ClientAuth::Basic, id, None);
    i.introspect(b"opaque-1", now()).await.unwrap();
    let rec = &server.recorded()[0];
    assert_eq!(
        rec.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        rec.form(),
        [
            ("token".to_string(), "opaque-1".to_string()),
            ("token_type_hint".to_string(), "access_token".to_string()),
        ]
    );
    let auth = rec.authorization.as_deref().unwrap();
    let b64 = auth.strip_prefix("Basic ").unwrap();
    let pair = String::from_utf8(Base64::decode_vec(b64).unwrap()).unwrap();
    // RFC 6749 §2.3.1: each part form-urlencoded, so the one unencoded ':' splits them.
    assert_eq!(pair.matches(':').count(), 1, "{pair}");
    let (user, pass) = pair.split_once(':').unwrap();
    assert_eq!(form_decode(user), id);
    assert_eq!(form_decode(pass), "s3cr:t%20+/é");
    assert!(user.contains("%3A") && user.contains("%25"), "{user}");
}

#[tokio::test]
async fn client_secret_post_on_the_wire() {
    let server = IntrospectionServer::start().await;
    server.activate("opaque-1", &good(600));
    let id = "rs:1%two";
    let i = introspector(&server, ClientAuth::Post, id, None);
    i.introspect(b"opaque-1", now()).await.unwrap();
    let rec = &server.recorded()[0];
    assert_eq!(rec.authorization, None);
    assert_eq!(rec.field("token").as_deref(), Some("opaque-1"));
    assert_eq!(
        rec.field("token_type_hint").as_deref(),
        Some("access_token")
    );
    assert_eq!(rec.field("client_id").as_deref(), Some(id));
    assert_eq!(rec.field("client_secret").as_deref(), Some("s3cr:t%20+/é"));
    assert!(rec.body.contains("client_id=rs%3A1%25two"), "{}", rec.body);
}

#[tokio::test]
async fn every_endpoint_failure_is_503_never_valid_never_401() {
    let server = IntrospectionServer::start().await;
    let i = introspector(&server, ClientAuth::Basic, "rs", None);
    let fixed = |status, content_type, body: &str| Mode::Fixed {
        status,
        content_type,
        body: body.into(),
    };
    let active = format!(r#"{{"active":true,{}}}"#, good(600));
    for (name, mode) in [
        (
            "missing active",
            fixed(200, "application/json", r#"{"scope":"orders:read"}"#),
        ),
        (
            "active as a string",
            fixed(200, "application/json", &active.replace("true", "\"true\"")),
        ),
        (
            "active as a number",
            fixed(200, "application/json", &active.replace("true", "1")),
        ),
        ("status 500", fixed(500, "application/json", &active)),
        ("status 201", fixed(201, "application/json", &active)),
        (
            "status 401",
            fixed(401, "application/json", r#"{"active":false}"#),
        ),
        ("wrong content type", fixed(200, "text/html", &active)),
        ("not JSON", fixed(200, "application/json", "<html>")),
        ("an array", fixed(200, "application/json", "[true]")),
        ("10 MB body", Mode::Huge(10 * 1024 * 1024)),
        ("redirect", Mode::Redirect("/elsewhere".into())),
    ] {
        server.set_mode(mode);
        let before = server.calls();
        let e = i.introspect(b"opaque-1", now()).await.unwrap_err();
        assert_eq!(e, Error::IntrospectionUnavailable, "{name}");
        assert_eq!(
            (e.code(), e.status()),
            ("introspection_unavailable", 503),
            "{name}"
        );
        // One request; a redirect is never followed.
        assert_eq!(server.calls(), before + 1, "{name}");
    }
}

#[tokio::test]
async fn a_hanging_endpoint_fails_within_the_deadline() {
    let server = IntrospectionServer::start().await;
    server.set_mode(Mode::Hang);
    let i = introspector(&server, ClientAuth::Basic, "rs", None);
    let started = Instant::now();
    let e = tokio::time::timeout(DEADLINE + Duration::from_secs(5), i.introspect(b"t", now()))
        .await
        .expect("the client's own deadline must end the request")
        .unwrap_err();
    assert_eq!(e, Error::IntrospectionUnavailable);
    assert!(started.elapsed() < DEADLINE + Duration::from_secs(1));
}

#[tokio::test]
async fn nothing_that_is_not_a_bearer_token_is_sent() {
    let server = IntrospectionServer::start().await;
    let i = introspector(&server, ClientAuth::Basic, "rs", None);
    for bad in [&b""[..], b"a b", b"a\nb", b"\xff\xfe"] {
        assert!(matches!(
            i.introspect(bad, now()).await,
            Err(Error::Malformed(_))
        ));
    }
    let big = vec![b'a'; 8193];
    assert!(matches!(
        i.introspect(&big, now()).await,
        Err(Error::TokenTooLarge { .. })
    ));
    assert_eq!(server.calls(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_requests_for_one_new_token_make_one_call() {
    let server = IntrospectionServer::start().await;
    server.activate("hot-token", &good(600));
    // The answer takes a while, so every request arrives while the first is in flight.
    server.set_delay(Some(Duration::from_millis(300)));
    let i = introspector(&server, ClientAuth::Basic, "rs", Some(60));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..1000 {
        let i = i.clone();
        tasks.spawn(async move {
            i.introspect(b"hot-token", now())
                .await
                .map(|v| v.sub().map(str::to_owned))
        });
    }
    while let Some(r) = tasks.join_next().await {
        assert_eq!(r.unwrap().unwrap().as_deref(), Some("u-1"));
    }
    assert_eq!(server.calls(), 1);
    // Served from the cache afterwards.
    i.introspect(b"hot-token", now()).await.unwrap();
    assert_eq!(server.calls(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_share_one_call_even_without_the_cache() {
    let server = IntrospectionServer::start().await;
    server.set_delay(Some(Duration::from_millis(300)));
    let i = introspector(&server, ClientAuth::Basic, "rs", None);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let i = i.clone();
        tasks.spawn(async move { i.introspect(b"unknown", now()).await.unwrap_err() });
    }
    while let Some(r) = tasks.join_next().await {
        assert_eq!(r.unwrap(), Error::InvalidToken);
    }
    assert_eq!(server.calls(), 1);
    // Nothing is kept once the request is answered: negative answers are not cached.
    server.set_delay(None);
    i.introspect(b"unknown", now()).await.unwrap_err();
    assert_eq!(server.calls(), 2);
}

#[tokio::test]
async fn an_expired_token_is_not_served_from_the_cache() {
    let server = IntrospectionServer::start().await;
    server.activate("short", &good(100));
    // A cache TTL (300 s) longer than the token's life (100 s): exp bounds the entry.
    let i = introspector(&server, ClientAuth::Basic, "rs", Some(300));
    i.introspect(b"short", now()).await.unwrap();
    i.introspect(b"short", UnixTime::from_secs(NOW + 99))
        .await
        .unwrap();
    assert_eq!(server.calls(), 1, "cached while valid");
    // At exp the entry is gone: asked again (still valid within the 60 s leeway).
    i.introspect(b"short", UnixTime::from_secs(NOW + 100))
        .await
        .unwrap();
    assert_eq!(server.calls(), 2, "not served from the cache at exp");
    // Past exp and the leeway: asked again, and refused.
    let e = i
        .introspect(b"short", UnixTime::from_secs(NOW + 100 + 60))
        .await
        .unwrap_err();
    assert_eq!(e, Error::Expired);
    assert_eq!(server.calls(), 3, "asked again, not served from the cache");
}

#[tokio::test]
async fn a_revoked_token_is_refused_once_the_cache_ttl_passed() {
    let server = IntrospectionServer::start().await;
    server.activate("revocable", &good(3600));
    let i = introspector(&server, ClientAuth::Basic, "rs", Some(60));
    i.introspect(b"revocable", now()).await.unwrap();
    server.revoke("revocable");
    // Within the TTL (60 s) the cached answer stands: that is the bound revocation waits.
    i.introspect(b"revocable", UnixTime::from_secs(NOW + 59))
        .await
        .unwrap();
    assert_eq!(server.calls(), 1);
    let e = i
        .introspect(b"revocable", UnixTime::from_secs(NOW + 60))
        .await
        .unwrap_err();
    assert_eq!(e, Error::InvalidToken);
    assert_eq!(server.calls(), 2);
    // Negative answers are not cached.
    i.introspect(b"revocable", UnixTime::from_secs(NOW + 61))
        .await
        .unwrap_err();
    assert_eq!(server.calls(), 3);
}

#[tokio::test]
async fn without_the_cache_every_request_is_asked() {
    let server = IntrospectionServer::start().await;
    server.activate("opaque-1", &good(600));
    let i = introspector(&server, ClientAuth::Basic, "rs", None);
    i.introspect(b"opaque-1", now()).await.unwrap();
    i.introspect(b"opaque-1", now()).await.unwrap();
    assert_eq!(server.calls(), 2);
}

#[test]
fn http_endpoints_need_loopback_and_the_opt_in() {
    assert!(Endpoint::new("http://127.0.0.1:9/introspect", false).is_err());
    assert!(Endpoint::new("http://192.0.2.1/introspect", true).is_err());
    assert!(Endpoint::new("http://127.0.0.1:9/introspect", true).is_ok());
}

/// An HS256 token over `claims`, signed with ring directly.
fn hs256(secret: &[u8], claims: &str) -> String {
    use base64ct::Base64UrlUnpadded as B64;
    let mut t = B64::encode_string(br#"{"alg":"HS256","typ":"JWT"}"#);
    t.push('.');
    t.push_str(&B64::encode_string(claims.as_bytes()));
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    let tag = ring::hmac::sign(&key, t.as_bytes());
    t.push('.');
    t.push_str(&B64::encode_string(tag.as_ref()));
    t
}

#[tokio::test]
async fn the_chain_sends_jws_tokens_to_the_verifier_and_opaque_ones_to_introspection() {
    use jwsgate::authn::{AuthContext, AuthMethod, Authenticator, Chain};
    use jwsgate::fingerprint::fingerprint;

    let server = IntrospectionServer::start().await;
    server.activate("2YotnFZFEjr1zCsicMWpAA", &good(600));
    let secret: Vec<u8> = (0u8..32)
        .map(|i| i.wrapping_mul(97).wrapping_add(13))
        .collect();
    let verifier = jwsgate::Verifier::builder()
        .hmac_key(jwsgate::StrongHmacKey::new(&secret).unwrap())
        .issuer(ISS)
        .audience(AUD)
        .build()
        .unwrap();
    let chain = Chain::new(verifier).opaque(introspector(&server, ClientAuth::Basic, "rs", None));
    assert_eq!(chain.accepts_audience(AUD), Some(true));
    assert_eq!(chain.accepts_audience("api://billing"), Some(false));
    let auth = |token: String| {
        let cx = AuthContext::new(fingerprint(token.as_bytes()), now());
        let chain = chain.clone();
        async move { chain.authenticate(&token, &cx).await }
    };
    let opaque = auth("2YotnFZFEjr1zCsicMWpAA".into()).await.unwrap();
    assert_eq!(opaque.method(), AuthMethod::Introspection);
    assert_eq!(opaque.subject(), Some("u-1"));
    assert_eq!(opaque.issuer(), Some(ISS));
    assert_eq!(opaque.client_id(), Some("web"));
    assert!(opaque.has_scope("orders:read"));
    assert_eq!(opaque.expires_at(), Some(UnixTime::from_secs(NOW + 600)));
    assert_eq!(server.calls(), 1);
    let jwt = hs256(
        &secret,
        &format!(
            r#"{{"iss":"{ISS}","aud":"{AUD}","sub":"j-1","exp":{}}}"#,
            NOW + 60
        ),
    );
    let verified = auth(jwt).await.unwrap();
    assert_eq!(verified.method(), AuthMethod::Jwt);
    assert_eq!(verified.subject(), Some("j-1"));
    assert_eq!(
        server.calls(),
        1,
        "a JWS-shaped token never reaches introspection"
    );
    // A JWS-shaped forgery is the verifier's to refuse, not introspection's to accept.
    server.activate("a.b.c", &good(600));
    assert!(auth("a.b.c".into()).await.is_err());
    assert_eq!(server.calls(), 1);
    assert_eq!(
        auth("unknown-opaque".into()).await.unwrap_err(),
        Error::InvalidToken
    );
    assert_eq!(server.calls(), 2);
}
