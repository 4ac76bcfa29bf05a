//! End to end with a real authorization server: panva's oidc-provider on loopback issues
//! RFC 9068 access tokens (ES256, resource indicators); the HTTP layer on a real axum
//! server accepts the one issued for its resource (200) and refuses one issued for
//! another resource (401 `invalid_token`, RFC 8707).
#![cfg(feature = "axum")]

#[path = "interop/oidc_provider.rs"]
mod oidc_provider;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use bytes::Bytes;
use http::{Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use jwsgate::http::{AuthLayer, Identity, PathMatch};
use jwsgate::{AsymmetricAlg, KeySet, Verifier};
use oidc_provider::{CLIENT_ID, JWT_RESOURCE, OidcProvider};

async fn get_mcp(addr: SocketAddr, token: &str) -> (StatusCode, String, String) {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(conn);
    let req = Request::get("/mcp")
        .header("host", addr.to_string())
        .header("authorization", format!("Bearer {token}"))
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = sender.send_request(req).await.unwrap();
    let status = response.status();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        challenge,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_from_oidc_provider_for_this_resource_only() {
    tokio::time::timeout(Duration::from_secs(400), async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let resource = format!("http://{addr}/mcp");
        let other = format!("http://{addr}/other");
        // The provider's client is blocking std I/O: keep it off the runtime's workers.
        let (provider, jwks, mine, theirs, urn) = {
            let (resource, other) = (resource.clone(), other.clone());
            tokio::task::spawn_blocking(move || {
                let provider = OidcProvider::start();
                let jwks = provider.request("GET", "/jwks", &[], "");
                assert_eq!(jwks.status, 200, "{}", jwks.body);
                let mine = provider.client_credentials_token(&resource, "orders:read");
                let theirs = provider.client_credentials_token(&other, "orders:read");
                let urn = provider.client_credentials_token(JWT_RESOURCE, "orders:read");
                (provider, jwks.body, mine, theirs, urn)
            })
            .await
            .unwrap()
        };
        let verifier = Verifier::builder()
            .key_set(KeySet::from_jwks(jwks.as_bytes()).unwrap())
            .algorithms([AsymmetricAlg::ES256])
            .issuer(&provider.issuer)
            .audience(&resource)
            .require_type("at+jwt")
            .build()
            .unwrap();
        let layer = AuthLayer::builder(&resource, verifier)
            .allow_insecure_loopback()
            .authorization_server(&provider.issuer)
            .require_scopes(Method::GET, PathMatch::prefix("/mcp"), ["orders:read"])
            .build()
            .unwrap();
        let app = Router::new()
            .route(
                "/mcp",
                get(|id: Identity| async move {
                    format!("{} {}", id.client_id().unwrap_or("-"), id.scope())
                }),
            )
            .layer(layer);
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });

        let (status, _, body) = get_mcp(addr, &mine).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, format!("{CLIENT_ID} orders:read"));
        for token in [&theirs, &urn] {
            let (status, challenge, _) = get_mcp(addr, token).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
            assert!(
                challenge.contains(r#"error="invalid_token""#)
                    && challenge.contains("not meant for this resource"),
                "{challenge}"
            );
        }
        drop(provider);
    })
    .await
    .expect("the interop test finishes within its deadline");
}
