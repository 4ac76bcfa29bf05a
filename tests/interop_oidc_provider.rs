//! Interop with a real authorization server: panva's `oidc-provider` (Node.js, pinned in
//! tests/interop/oidc-provider/package-lock.json) issues an RFC 9068 JWT access token,
//! and jwsgate verifies it through the provider's published `jwks_uri` with
//! `RemoteJwks` (loopback http, opted in).

#[path = "interop/oidc_provider.rs"]
mod oidc_provider;

use std::sync::Arc;

use jwsgate::remote::RemoteJwks;
use jwsgate::{AsymmetricAlg, Error, Scratch, UnixTime, Verifier};
use oidc_provider::{CLIENT_ID, JWT_RESOURCE, OidcProvider};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oidc_provider_access_token_verifies_through_its_jwks_uri() {
    let op = tokio::task::spawn_blocking(OidcProvider::start)
        .await
        .unwrap();
    let token = op.client_credentials_token(JWT_RESOURCE, "orders:read");
    let jwks_uri = op.jwks_uri();
    assert!(jwks_uri.starts_with(&op.issuer), "{jwks_uri}");
    let jwks = RemoteJwks::builder(&jwks_uri)
        .allow_insecure_loopback()
        .build()
        .await
        .unwrap();
    let mut kids: Vec<String> = jwks
        .current_keys()
        .iter()
        .filter_map(|k| k.kid().map(str::to_owned))
        .collect();
    kids.sort();
    assert_eq!(kids, ["interop-es256", "interop-rs256"]);
    let build = |audience: &str, scope: &str| {
        Verifier::builder()
            .remote_jwks(Arc::clone(&jwks))
            .algorithms([AsymmetricAlg::ES256, AsymmetricAlg::RS256])
            .issuer(&op.issuer)
            .audience(audience)
            .require_type("at+jwt")
            .require_scope(scope)
            .build()
            .unwrap()
    };
    let v = build(JWT_RESOURCE, "orders:read");
    let mut scratch = Scratch::new();
    let now = UnixTime::now();
    let verified = v.verify(&mut scratch, token.as_bytes(), now).unwrap();
    assert_eq!(verified.kid(), Some("interop-es256"));
    assert_eq!(verified.claims().sub(), Some(CLIENT_ID));
    println!(
        "oidc-provider token ({} bytes, {:?}, kid {:?}) verified through {jwks_uri}",
        token.len(),
        verified.alg(),
        verified.kid()
    );
    // The same token against another audience or scope, or tampered, is refused.
    let check =
        |v: &Verifier, t: &str| v.verify(&mut Scratch::new(), t.as_bytes(), now).map(|_| ());
    assert_eq!(
        check(&build("urn:jwsgate:other", "orders:read"), &token),
        Err(Error::InvalidAudience)
    );
    assert_eq!(
        check(&build(JWT_RESOURCE, "orders:write"), &token),
        Err(Error::InsufficientScope)
    );
    let (input, sig) = token.rsplit_once('.').unwrap();
    let flipped = if sig.starts_with('A') { "B" } else { "A" };
    let tampered = format!("{input}.{flipped}{}", &sig[1..]);
    assert_eq!(check(&v, &tampered), Err(Error::InvalidSignature));
    drop(op);
}
