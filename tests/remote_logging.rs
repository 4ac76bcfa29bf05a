//! Every JWK Set fetch is a `tracing` event (target `jwsgate::remote`) with the URL,
//! status, duration, key count, kids added and removed, or the reason of a failure — and
//! never key material.

#[path = "support/es256.rs"]
mod es256;
use jwsgate_fixtures::jwks_server;

use jwsgate_fixtures::logs::Capture;

use es256::{Signer, jwks};
use jwks_server::{Behaviour, JwksServer};
use jwsgate::remote::RemoteJwks;

#[test]
fn each_fetch_is_an_event_with_url_status_duration_and_kid_changes_but_no_key_material() {
    let capture = Capture::default();
    let (k1, k2) = (Signer::new("k1"), Signer::new("k2"));
    tracing::subscriber::with_default(capture.clone(), || {
        // One thread: the refresher's events reach this thread's subscriber too.
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let server = JwksServer::http().await;
            server.set_body(jwks(&[&k1], &[]));
            let remote = RemoteJwks::builder(&server.url("/jwks.json"))
                .allow_insecure_loopback()
                .build()
                .await
                .unwrap();
            server.set_body(jwks(&[&k2], &[]));
            remote.refresh_now().await.unwrap();
            server.set_behaviour(Behaviour::Status(503));
            assert!(remote.refresh_now().await.is_err());
            let url = server.url("/jwks.json");
            let lines = capture.0.lock().unwrap().clone();
            let remote_lines: Vec<&String> = lines
                .iter()
                .filter(|l| l.contains("jwsgate::remote"))
                .collect();
            let all = remote_lines
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            let fetched = remote_lines
                .iter()
                .filter(|l| l.contains("JWK Set fetched"))
                .count();
            assert_eq!(fetched, 2, "{all}");
            assert!(all.contains(&format!("url={url}")), "{all}");
            assert!(
                all.contains("status=200") && all.contains("duration_ms="),
                "{all}"
            );
            assert!(all.contains("keys=1"), "{all}");
            assert!(all.contains(r#"added=["k2"]"#), "{all}");
            assert!(all.contains(r#"removed=["k1"]"#), "{all}");
            assert!(
                all.contains("WARN") && all.contains("503"),
                "the failure and its reason: {all}"
            );
            for k in [&k1, &k2] {
                let jwk = k.jwk();
                let x = jwk
                    .split("\"x\":\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap();
                assert!(!all.contains(x), "key material in the log: {all}");
            }
        });
    });
}
