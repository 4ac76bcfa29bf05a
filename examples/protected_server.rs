//! A protected MCP-style resource server on axum, guarded by jwsgate's HTTP layer.
//!
//! ```text
//! cargo run --release --all-features --example protected_server -- --listen 127.0.0.1:0
//! ```
//!
//! Prints `listening on http://127.0.0.1:PORT` as the first line of standard output.
//! It trusts `examples/jwks.json` (PUBLIC development keys: `examples/dev-keys/`) with
//! issuer `https://issuer.example`; its resource identifier is
//! `http://127.0.0.1:PORT/mcp`, which tokens must carry in `aud` (plain http on loopback:
//! the layer's development opt-in). Routes:
//!
//! * `GET /health` — exempt;
//! * `GET /mcp` — scope `mcp:read`; `POST /mcp` — scope `mcp:tools`; both answer
//!   `{"subject":…,"scopes":[…]}`;
//! * `GET /.well-known/oauth-protected-resource/mcp` — the RFC 9728 metadata, with
//!   `authorization_servers: ["https://issuer.example"]`.
//!
//! Failed attempts are limited with the layer's defaults: 10 per 60 s per token
//! fingerprint, 100 per 60 s per client address.

use std::io::Write;
use std::net::SocketAddr;

use axum::routing::get;
use axum::{Json, Router};
use http::Method;
use jwsgate::http::{AuthLayer, Identity, PathMatch};
use jwsgate::{KeySet, Verifier};

const ISSUER: &str = "https://issuer.example";

fn usage() -> ! {
    eprintln!("usage: protected_server [--listen ADDR]   (default 127.0.0.1:8080)");
    std::process::exit(2)
}

async fn health() -> &'static str {
    "ok"
}

async fn mcp(identity: Identity) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "subject": identity.subject(),
        "scopes": identity.scopes().collect::<Vec<_>>(),
    }))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut listen = String::from("127.0.0.1:8080");
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => listen = args.next().unwrap_or_else(|| usage()),
            _ => usage(),
        }
    }
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    let addr = listener.local_addr()?;
    let resource = format!("http://{addr}/mcp");

    let jwks_path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/jwks.json");
    let verifier = Verifier::builder()
        .key_set(KeySet::from_jwks(&std::fs::read(jwks_path)?)?)
        .issuer(ISSUER)
        .audience(&resource)
        .build()?;
    let layer = AuthLayer::builder(&resource, verifier)
        .allow_insecure_loopback()
        .authorization_server(ISSUER)
        .scopes_supported(["mcp:read", "mcp:tools"])
        .resource_name("jwsgate protected_server example")
        .require_scopes(Method::GET, PathMatch::prefix("/mcp"), ["mcp:read"])
        .require_scopes(Method::POST, PathMatch::prefix("/mcp"), ["mcp:tools"])
        .exempt(Method::GET, PathMatch::exact("/health"))
        .build()?;
    let app = Router::new()
        .route("/health", get(health))
        .route("/mcp", get(mcp).post(mcp))
        .layer(layer.clone());

    // The first line of standard output: outside test suites wait for it.
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on http://{addr}")?;
    out.flush()?;
    drop(out);
    eprintln!(
        "resource {resource} (DEVELOPMENT opt-in: plain http on loopback; never in production)"
    );
    eprintln!("metadata {}", layer.metadata_url());
    eprintln!("trusting {jwks_path} (PUBLIC development keys) for issuer {ISSUER}");

    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await?;
    Ok(())
}
