//! Interop with a real authorization server: panva's `oidc-provider` (pinned in
//! tests/interop/oidc-provider) issues an OPAQUE access token and serves RFC 7662
//! introspection; jwsgate's `Introspector`, behind the authenticator chain, accepts it,
//! and refuses it once the server revoked it (RFC 7009) and the cache TTL passed.
#![cfg(feature = "introspection")]

#[path = "interop/oidc_provider.rs"]
mod oidc_provider;

use std::time::Duration;

use jwsgate::authn::{AuthContext, AuthMethod, Authenticator, Chain};
use jwsgate::fingerprint::fingerprint;
use jwsgate::introspection::{ClientAuth, Introspector};
use jwsgate::outbound::Endpoint;
use jwsgate::{Error, StrongHmacKey, UnixTime, Verifier};
use oidc_provider::{
    CLIENT_ID, CLIENT_SECRET, OPAQUE_RESOURCE, OidcProvider, RS_CLIENT_ID, RS_CLIENT_SECRET,
};
use secrecy::SecretString;

/// The cache TTL under test: time is an argument, so "once the TTL passed" is judged at
/// `now + TTL` without sleeping.
const TTL: u64 = 30;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opaque_oidc_provider_token_is_introspected_and_refused_after_revocation() {
    let op = tokio::task::spawn_blocking(OidcProvider::start)
        .await
        .unwrap();
    let token = {
        let op = &op;
        tokio::task::block_in_place(|| op.client_credentials_token(OPAQUE_RESOURCE, "orders:read"))
    };
    assert!(!token.contains('.'), "an opaque token, not a JWS: {token}");
    let endpoint = Endpoint::new(&format!("{}/token/introspection", op.issuer), true).unwrap();
    let introspector =
        Introspector::builder(endpoint, RS_CLIENT_ID, SecretString::from(RS_CLIENT_SECRET))
            .auth_method(ClientAuth::Basic)
            .issuer(&op.issuer)
            .audience(OPAQUE_RESOURCE)
            .require_scope("orders:read")
            .cache(Duration::from_secs(TTL), 100)
            .build()
            .unwrap();
    // The layer's chain: JWS-shaped tokens to a verifier, this one to introspection.
    let verifier = Verifier::builder()
        .hmac_key(StrongHmacKey::new(&random_secret()).unwrap())
        .issuer(&op.issuer)
        .audience(OPAQUE_RESOURCE)
        .build()
        .unwrap();
    let chain = Chain::new(verifier).opaque(introspector.clone());
    let now = UnixTime::now();
    let at = |secs: u64| UnixTime::from_secs(now.as_secs() + secs);
    let cx = |t: UnixTime| AuthContext::new(fingerprint(token.as_bytes()), t);

    let id = chain.authenticate(&token, &cx(now)).await.unwrap();
    assert_eq!(id.method(), AuthMethod::Introspection);
    assert_eq!(id.client_id(), Some(CLIENT_ID));
    assert_eq!(id.issuer(), Some(op.issuer.as_str()));
    assert!(id.has_scope("orders:read"));
    println!(
        "oidc-provider opaque token ({} bytes) introspected: {:?}",
        token.len(),
        introspector
            .introspect(token.as_bytes(), now)
            .await
            .unwrap()
    );
    // The local policy applies to the provider's answer.
    let strict = Introspector::builder(
        Endpoint::new(&format!("{}/token/introspection", op.issuer), true).unwrap(),
        RS_CLIENT_ID,
        SecretString::from(RS_CLIENT_SECRET),
    )
    .issuer(&op.issuer)
    .audience(OPAQUE_RESOURCE)
    .require_scope("orders:write")
    .build()
    .unwrap();
    assert_eq!(
        strict.introspect(token.as_bytes(), now).await.unwrap_err(),
        Error::InsufficientScope
    );
    // A wrong client secret is the endpoint refusing: 503, never valid.
    let wrong = Introspector::builder(
        Endpoint::new(&format!("{}/token/introspection", op.issuer), true).unwrap(),
        RS_CLIENT_ID,
        SecretString::from("not-the-secret"),
    )
    .no_issuer_check()
    .no_audience_check()
    .build()
    .unwrap();
    assert_eq!(
        wrong.introspect(token.as_bytes(), now).await.unwrap_err(),
        Error::IntrospectionUnavailable
    );

    // The provider revokes the token (RFC 7009, as the client it was issued to).
    let revoked = {
        let op = &op;
        let token = token.clone();
        tokio::task::block_in_place(move || {
            let body = format!("token={token}&token_type_hint=access_token");
            op.request(
                "POST",
                "/token/revocation",
                &[
                    ("Content-Type", "application/x-www-form-urlencoded"),
                    (
                        "Authorization",
                        &format!("Basic {}", base64(&format!("{CLIENT_ID}:{CLIENT_SECRET}"))),
                    ),
                ],
                &body,
            )
        })
    };
    assert_eq!(revoked.status, 200, "revocation: {}", revoked.body);
    // Within the TTL the cached positive answer stands (the bound on revocation) ...
    chain.authenticate(&token, &cx(at(TTL - 1))).await.unwrap();
    // ... and once it passed, the provider's `active: false` is invalid_token.
    let refused = chain.authenticate(&token, &cx(at(TTL))).await.unwrap_err();
    assert_eq!(refused, Error::InvalidToken);
    assert_eq!((refused.code(), refused.status()), ("invalid_token", 401));
    // An uncached introspector sees the revocation at once.
    let fresh = Introspector::builder(
        Endpoint::new(&format!("{}/token/introspection", op.issuer), true).unwrap(),
        RS_CLIENT_ID,
        SecretString::from(RS_CLIENT_SECRET),
    )
    .auth_method(ClientAuth::Post)
    .no_issuer_check()
    .no_audience_check()
    .build()
    .unwrap();
    assert_eq!(
        fresh.introspect(token.as_bytes(), now).await.unwrap_err(),
        Error::InvalidToken
    );
    drop(op);
}

fn random_secret() -> [u8; 32] {
    use ring::rand::SecureRandom;
    let mut s = [0u8; 32];
    ring::rand::SystemRandom::new().fill(&mut s).unwrap();
    s
}

fn base64(s: &str) -> String {
    use base64ct::{Base64, Encoding};
    Base64::encode_string(s.as_bytes())
}
