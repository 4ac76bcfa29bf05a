//! The outbound HTTP client against loopback servers it can be told to misbehave with:
//! one deadline, the body cap, no redirects, TLS with a test CA, https only.

use jwsgate_fixtures::jwks_server;

use std::time::{Duration, Instant};

use jwks_server::{Behaviour, JwksServer};
use jwsgate::outbound::{Endpoint, HttpClient, OutboundError};

const CAP: usize = 256 * 1024;
/// The deadline the fault tests use; each must end within it plus one second.
const DEADLINE: Duration = Duration::from_secs(1);

fn client_for(server: &JwksServer) -> HttpClient {
    HttpClient::builder()
        .timeout(DEADLINE)
        .add_root_certificate(server.ca_cert())
        .build()
        .unwrap()
}

fn endpoint(server: &JwksServer) -> Endpoint {
    Endpoint::new(&server.url("/jwks.json"), true).unwrap()
}

#[tokio::test]
async fn https_get_with_a_test_ca_returns_status_headers_and_body() {
    let server = JwksServer::https().await;
    server.set_body(r#"{"keys":[]}"#);
    server.set_etag(Some("\"v1\""));
    server.set_max_age(Some(120));
    let client = client_for(&server);
    let ep = Endpoint::https(&server.url("/jwks.json?x=1")).unwrap();
    let answer = client
        .get(&ep, &[("accept", "application/jwk-set+json")], CAP)
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.body(), br#"{"keys":[]}"#);
    assert_eq!(answer.header("ETag"), Some("\"v1\""));
    assert_eq!(answer.header("cache-control"), Some("public, max-age=120"));
    let seen = &server.recorded()[0];
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, "/jwks.json?x=1");
    assert_eq!(seen.header("accept"), Some("application/jwk-set+json"));
    assert!(seen.header("user-agent").unwrap().starts_with("jwsgate/"));
    assert_eq!(
        seen.header("host"),
        Some(server.addr().to_string().as_str())
    );
    // 304 on a matching If-None-Match is an answer, with an empty body.
    let again = client
        .get(&ep, &[("if-none-match", "\"v1\"")], CAP)
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert!(again.body().is_empty());
}

#[tokio::test]
async fn a_certificate_from_an_unknown_ca_is_a_tls_error() {
    let server = JwksServer::https().await;
    let client = HttpClient::builder().timeout(DEADLINE).build().unwrap();
    let err = client.get(&endpoint(&server), &[], CAP).await.unwrap_err();
    assert!(matches!(err, OutboundError::Tls(_)), "{err:?}");
    assert_eq!(err.kind(), "tls");
    assert_eq!(server.requests(), 0, "no request over an untrusted channel");
}

#[tokio::test]
async fn http_on_loopback_works_only_with_the_opt_in() {
    let server = JwksServer::http().await;
    server.set_body("{}");
    let url = server.url("/jwks.json");
    let refused = Endpoint::https(&url).unwrap_err();
    assert!(matches!(refused, OutboundError::InsecureUrl(_)));
    let client = HttpClient::builder().build().unwrap();
    let answer = client
        .get(&Endpoint::new(&url, true).unwrap(), &[], CAP)
        .await
        .unwrap();
    assert_eq!(answer.body(), b"{}");
}

#[test]
fn http_to_a_non_loopback_host_is_refused_when_configured() {
    for url in [
        "http://issuer.example/jwks",
        "http://192.168.1.10/jwks",
        "http://169.254.169.254/latest/meta-data",
        "http://127.0.0.1@issuer.example/",
    ] {
        let e = Endpoint::new(url, true).unwrap_err();
        assert!(e.is_config(), "{url}: {e:?}");
    }
}

/// Runs `fut`, asserting it ends within the deadline plus one second; returns its result
/// and how long it took.
async fn bounded<T>(fut: impl std::future::Future<Output = T>) -> (T, Duration) {
    let start = Instant::now();
    let out = tokio::time::timeout(DEADLINE + Duration::from_secs(1), fut)
        .await
        .expect("gave up within the deadline + 1 s");
    (out, start.elapsed())
}

#[tokio::test]
async fn a_hanging_server_costs_one_deadline() {
    for server in [JwksServer::http().await, JwksServer::https().await] {
        server.set_behaviour(Behaviour::Hang);
        let client = client_for_any(&server);
        let (r, took) = bounded(client.get(&endpoint(&server), &[], CAP)).await;
        assert_eq!(r.unwrap_err(), OutboundError::Timeout { after: DEADLINE });
        println!("hang: gave up after {took:?} (deadline {DEADLINE:?})");
    }
}

#[tokio::test]
async fn a_trickling_body_costs_one_deadline() {
    let server = JwksServer::http().await;
    server.set_behaviour(Behaviour::Trickle {
        interval: Duration::from_millis(50),
    });
    let client = client_for_any(&server);
    let (r, took) = bounded(client.get(&endpoint(&server), &[], CAP)).await;
    assert_eq!(r.unwrap_err(), OutboundError::Timeout { after: DEADLINE });
    println!("trickle: gave up after {took:?}");
}

#[tokio::test]
async fn a_10_mb_body_is_refused_at_the_cap_announced_or_streamed() {
    let server = JwksServer::https().await;
    let client = client_for(&server);
    for chunked in [false, true] {
        server.set_behaviour(Behaviour::Huge {
            bytes: 10 * 1024 * 1024,
            chunked,
        });
        let (r, took) = bounded(client.get(&endpoint(&server), &[], CAP)).await;
        assert_eq!(r.unwrap_err(), OutboundError::TooLarge { max: CAP });
        println!("10 MB (chunked: {chunked}): refused after {took:?}");
    }
    // Exactly the cap is fine; one byte more is not.
    server.set_behaviour(Behaviour::Huge {
        bytes: 64 * 1024,
        chunked: true,
    });
    let r = client
        .get(&endpoint(&server), &[], 64 * 1024)
        .await
        .unwrap();
    assert_eq!(r.body().len(), 64 * 1024);
    let r = client.get(&endpoint(&server), &[], 64 * 1024 - 1).await;
    assert_eq!(
        r.unwrap_err(),
        OutboundError::TooLarge { max: 64 * 1024 - 1 }
    );
}

#[tokio::test]
async fn redirects_are_refused_and_not_followed() {
    let server = JwksServer::http().await;
    let target = server.url("/elsewhere");
    server.set_behaviour(Behaviour::Redirect(target));
    let client = client_for_any(&server);
    let err = client.get(&endpoint(&server), &[], CAP).await.unwrap_err();
    assert_eq!(err, OutboundError::Redirect { status: 302 });
    assert_eq!(server.requests(), 1, "the Location was not fetched");
    assert!(!err.to_string().contains("elsewhere"));
}

#[tokio::test]
async fn error_statuses_are_typed() {
    let server = JwksServer::http().await;
    let client = client_for_any(&server);
    for code in [500, 404, 401, 503] {
        server.set_behaviour(Behaviour::Status(code));
        let err = client.get(&endpoint(&server), &[], CAP).await.unwrap_err();
        assert_eq!(err, OutboundError::Status { status: code });
    }
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let ep = Endpoint::new(&format!("http://127.0.0.1:{port}/"), true).unwrap();
    let client = HttpClient::builder().timeout(DEADLINE).build().unwrap();
    let err = client.get(&ep, &[], CAP).await.unwrap_err();
    assert!(matches!(err, OutboundError::Connect(_)), "{err:?}");
}

#[tokio::test]
async fn post_form_sends_an_urlencoded_body_and_keeps_secrets_out_of_errors() {
    let server = JwksServer::https().await;
    server.set_body(r#"{"active":false}"#);
    let client = client_for(&server);
    let ep = Endpoint::https(&server.url("/introspect")).unwrap();
    let answer = client
        .post_form(
            &ep,
            &[("authorization", "Basic c2VjcmV0LWNsaWVudA==")],
            &[
                ("token", "tok en/secret"),
                ("token_type_hint", "access_token"),
            ],
            CAP,
        )
        .await
        .unwrap();
    assert_eq!(answer.body(), br#"{"active":false}"#);
    let seen = &server.recorded()[0];
    assert_eq!(seen.method, "POST");
    assert_eq!(
        seen.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        seen.header("authorization"),
        Some("Basic c2VjcmV0LWNsaWVudA==")
    );
    assert_eq!(
        seen.body,
        b"token=tok+en%2Fsecret&token_type_hint=access_token"
    );
    server.set_behaviour(Behaviour::Status(401));
    let err = client
        .post_form(
            &ep,
            &[("authorization", "Basic c2VjcmV0LWNsaWVudA==")],
            &[("token", "tok")],
            CAP,
        )
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains("c2VjcmV0") && !shown.contains("tok"),
        "{shown}"
    );
}

/// A client trusting the server's CA when it has one.
fn client_for_any(server: &JwksServer) -> HttpClient {
    if server.url("").starts_with("https") {
        client_for(server)
    } else {
        HttpClient::builder().timeout(DEADLINE).build().unwrap()
    }
}
