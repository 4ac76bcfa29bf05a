//! Google Cloud Secret Manager (feature `gcp`) against an in-process fake on 127.0.0.1:
//! versions and `latest`, a disabled version (400 FAILED_PRECONDITION), a wrong CRC32C, a
//! payload of 64 KiB + 1, 403 / 404 (no retry), 429 then 200 (retried), a hanging server
//! and a hanging token provider (deadlines), gcp_auth's own JWT-bearer grant against a
//! loopback token endpoint, staleness, a weak new version, rotation under load, the CLI,
//! and redaction. Every test injects its `TokenProvider` or a service account file it
//! made: the metadata server is never contacted.
#![cfg(feature = "gcp")]

#[path = "support/secret_manager.rs"]
mod fake;

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use base64ct::{Base64, Encoding};
use fake::{FakeSecretManager, Script};
use jwsgate::secrets::gcp::{GcpError, RefreshPolicy, SecretManager, limits};
use jwsgate::secrets::{GcpSecretName, SecretChain, SecretSpec};
use jwsgate::{Error, HmacKeyStore, Scratch, UnixTime, Verifier};

const BEARER: &str = "test-access-token-3f9c";
const ISS: &str = "https://issuer.example";
const AUD: &str = "api://orders";

/// A `TokenProvider` that hands out a fixed token (or never answers), counting calls.
struct TestProvider {
    hang: bool,
    calls: AtomicUsize,
}

#[async_trait::async_trait]
impl gcp_auth::TokenProvider for TestProvider {
    async fn token(&self, scopes: &[&str]) -> Result<Arc<gcp_auth::Token>, gcp_auth::Error> {
        assert_eq!(scopes, [limits::SCOPE]);
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self.hang {
            std::future::pending::<()>().await;
        }
        let token: gcp_auth::Token = serde_json::from_str(&format!(
            r#"{{"access_token":"{BEARER}","expires_in":3600}}"#
        ))
        .unwrap();
        Ok(Arc::new(token))
    }

    async fn project_id(&self) -> Result<Arc<str>, gcp_auth::Error> {
        Ok(Arc::from("acme-prod"))
    }
}

fn provider(hang: bool) -> Arc<TestProvider> {
    Arc::new(TestProvider {
        hang,
        calls: AtomicUsize::new(0),
    })
}

/// A distinct strong secret per label (printable, 48 bytes).
fn secret(label: &str) -> Vec<u8> {
    let d = ring::digest::digest(&ring::digest::SHA384, label.as_bytes());
    Base64::encode_string(d.as_ref()).into_bytes()
}

fn manager(fake: &FakeSecretManager, p: Arc<TestProvider>) -> Arc<SecretManager> {
    SecretManager::builder()
        .base_url(&fake.base_url())
        .allow_insecure_loopback(true)
        .token_provider(p)
        .retries(4, Duration::from_millis(20))
        .build()
        .unwrap()
}

fn name(v: &str) -> GcpSecretName {
    format!("projects/acme-prod/secrets/jwt-hmac/versions/{v}")
        .parse()
        .unwrap()
}

fn hs256(secret: &[u8], exp: u64) -> String {
    let b64 = jwsgate::low_level::base64url::encode;
    let claims = format!(r#"{{"iss":"{ISS}","aud":"{AUD}","exp":{exp},"sub":"u1"}}"#);
    let input = format!(
        "{}.{}",
        b64(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64(claims.as_bytes())
    );
    let tag = ring::hmac::sign(
        &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret),
        input.as_bytes(),
    );
    format!("{input}.{}", b64(tag.as_ref()))
}

const NOW: u64 = 1_800_000_000;

fn check(v: &Verifier, token: &str) -> Result<(), Error> {
    v.verify(
        &mut Scratch::new(),
        token.as_bytes(),
        UnixTime::from_secs(NOW),
    )
    .map(|_| ())
}

fn verifier(store: Arc<HmacKeyStore>) -> Verifier {
    Verifier::builder()
        .hmac_store(store)
        .issuer(ISS)
        .audience(AUD)
        .build()
        .unwrap()
}

#[tokio::test]
async fn versions_and_latest_are_served_with_their_number() {
    let fake = FakeSecretManager::start(BEARER).await;
    fake.add_version(&secret("v1"));
    fake.add_version(&secret("v2"));
    let p = provider(false);
    let sm = manager(&fake, p.clone());
    let latest = sm.access(&name("latest")).await.unwrap();
    assert_eq!(latest.version(), Some(2));
    assert_eq!(latest.value().expose_secret(), secret("v2"));
    let first = sm.access(&name("1")).await.unwrap();
    assert_eq!(first.version(), Some(1));
    assert_eq!(first.value().expose_secret(), secret("v1"));
    assert_eq!(
        fake.paths(),
        [
            "/v1/projects/acme-prod/secrets/jwt-hmac/versions/latest:access",
            "/v1/projects/acme-prod/secrets/jwt-hmac/versions/1:access"
        ]
    );
    assert_eq!(p.calls.load(Ordering::SeqCst), 2, "one token per call");
    assert!(matches!(
        sm.access(&name("9")).await,
        Err(GcpError::NotFound)
    ));
    // A chain: Secret Manager first, then the environment.
    let chain = SecretChain::new(vec![
        SecretSpec::Gcp(name("latest")),
        "env:JWSGATE_SURELY_UNSET_1d2c".parse().unwrap(),
    ])
    .unwrap();
    let served = chain.resolve(&sm).await.unwrap();
    assert_eq!(served.source(), &SecretSpec::Gcp(name("latest")));
    assert_eq!(served.version(), Some(2));
}

#[tokio::test]
async fn a_disabled_latest_is_failed_precondition_and_the_last_value_stays() {
    let fake = FakeSecretManager::start(BEARER).await;
    fake.add_version(&secret("v1"));
    let sm = manager(&fake, provider(false));
    let (store, cache) = sm
        .hmac_key_store(&name("latest"), RefreshPolicy::default())
        .await
        .unwrap();
    let v = verifier(store);
    let n = fake.add_version(&secret("v2"));
    fake.disable(n);
    let calls = fake.access_calls();
    assert_eq!(cache.refresh_now().await, Err(GcpError::FailedPrecondition));
    assert_eq!(fake.access_calls(), calls + 1, "400 is not retried");
    assert_eq!(cache.version(), Some(1));
    assert_eq!(check(&v, &hs256(&secret("v1"), NOW + 60)), Ok(()));
    assert_eq!(cache.get().unwrap().version(), Some(1));
    assert!(matches!(
        sm.access(&name("2")).await,
        Err(GcpError::FailedPrecondition)
    ));
}

#[tokio::test]
async fn a_wrong_crc32c_is_refused() {
    let fake = FakeSecretManager::start(BEARER).await;
    fake.add_version(&secret("v1"));
    let sm = manager(&fake, provider(false));
    fake.push(Script::WrongCrc);
    assert_eq!(
        sm.access(&name("latest")).await.unwrap_err(),
        GcpError::ChecksumMismatch
    );
    assert_eq!(fake.access_calls(), 1, "a corrupt payload is not retried");
    assert!(sm.access(&name("latest")).await.is_ok());
}

#[tokio::test]
async fn a_payload_over_64_kib_is_refused() {
    let fake = FakeSecretManager::start(BEARER).await;
    fake.add_version(&secret("v1"));
    let sm = manager(&fake, provider(false));
    fake.push(Script::Payload(64 * 1024 + 1));
    assert_eq!(
        sm.access(&name("latest")).await.unwrap_err(),
        GcpError::TooLarge { max: 64 * 1024 }
    );
    fake.push(Script::Payload(64 * 1024));
    let max = sm.access(&name("latest")).await.unwrap();
    assert_eq!(max.value().len(), 64 * 1024);
}

#[tokio::test]
async fn forbidden_and_not_found_are_configuration_errors_without_retry() {
    let fake = FakeSecretManager::start(BEARER).await;
    fake.add_version(&secret("v1"));
    let sm = manager(&fake, provider(false));
    fake.push(Script::Status(403, "PERMISSION_DENIED"));
    let e = sm.access(&name("latest")).await.unwrap_err();
    assert_eq!(e, GcpError::PermissionDenied { status: 403 });
    assert!(e.is_config());
    assert_eq!(fake.access_calls(), 1);
    fake.push(Script::Status(404, "NOT_FOUND"));
    assert_eq!(
        sm.access(&name("latest")).await.unwrap_err(),
        GcpError::NotFound
    );
    assert_eq!(fake.access_calls(), 2);
    // A wrong bearer token: the fake answers 401.
    let wrong = SecretManager::builder()
        .base_url(&fake.base_url())
        .allow_insecure_loopback(true)
        .token_provider(Arc::new(WrongToken))
        .build()
        .unwrap();
    assert_eq!(
        wrong.access(&name("latest")).await.unwrap_err(),
        GcpError::PermissionDenied { status: 401 }
    );
    assert_eq!(fake.access_calls(), 3);
}

struct WrongToken;

#[async_trait::async_trait]
impl gcp_auth::TokenProvider for WrongToken {
    async fn token(&self, _: &[&str]) -> Result<Arc<gcp_auth::Token>, gcp_auth::Error> {
        Ok(Arc::new(
            serde_json::from_str(r#"{"access_token":"not-it","expires_in":3600}"#).unwrap(),
        ))
    }
    async fn project_id(&self) -> Result<Arc<str>, gcp_auth::Error> {
        Ok(Arc::from("x"))
    }
}

#[tokio::test]
async fn too_many_requests_and_server_errors_are_retried() {
    let fake = FakeSecretManager::start(BEARER).await;
    fake.add_version(&secret("v1"));
    let sm = manager(&fake, provider(false));
    fake.push(Script::Status(429, "RESOURCE_EXHAUSTED"));
    fake.push(Script::Status(503, "UNAVAILABLE"));
    let served = sm.access(&name("latest")).await.unwrap();
    assert_eq!(served.version(), Some(1));
    assert_eq!(fake.access_calls(), 3, "429, 503, then 200");
    fake.always(Some(Script::Status(500, "INTERNAL")));
    let e = sm.access(&name("latest")).await.unwrap_err();
    assert!(
        matches!(e, GcpError::Unavailable { attempts: 4, .. }),
        "{e}"
    );
    assert_eq!(fake.access_calls(), 7, "at most 4 attempts");
}

#[tokio::test]
async fn a_hanging_server_and_a_hanging_token_provider_hit_their_deadlines() {
    let fake = FakeSecretManager::start(BEARER).await;
    fake.add_version(&secret("v1"));
    fake.always(Some(Script::Hang));
    let deadline = Duration::from_millis(300);
    let sm = SecretManager::builder()
        .base_url(&fake.base_url())
        .allow_insecure_loopback(true)
        .token_provider(provider(false))
        .access_deadline(deadline)
        .retries(2, Duration::from_millis(10))
        .build()
        .unwrap();
    let start = Instant::now();
    let e = sm.access(&name("latest")).await.unwrap_err();
    assert!(
        matches!(e, GcpError::Unavailable { attempts: 2, .. }),
        "{e}"
    );
    assert!(start.elapsed() < deadline * 2 + Duration::from_secs(2));

    let hanging = SecretManager::builder()
        .base_url(&fake.base_url())
        .allow_insecure_loopback(true)
        .token_provider(provider(true))
        .token_deadline(deadline)
        .build()
        .unwrap();
    let start = Instant::now();
    let e = hanging.access(&name("latest")).await.unwrap_err();
    assert!(matches!(e, GcpError::Token(_)), "{e}");
    assert!(start.elapsed() < deadline + Duration::from_secs(1));
}

/// The repository's RSA test key as a PKCS#8 PEM, and its public key (PKCS#1).
fn service_account_key() -> (String, Vec<u8>) {
    let der = include_bytes!("data/rsa2048.pk8.der");
    let b64 = Base64::encode_string(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let pem = format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        lines.join("\n")
    );
    let pair = ring::signature::RsaKeyPair::from_pkcs8(der).unwrap();
    use ring::signature::KeyPair;
    (pem, pair.public_key().as_ref().to_vec())
}

fn service_account_json(token_uri: &str) -> String {
    let (pem, _) = service_account_key();
    format!(
        r#"{{"type":"service_account","project_id":"acme-prod","private_key_id":"k1",
"private_key":{},"client_email":"jwsgate-test@acme-prod.iam.gserviceaccount.com",
"client_id":"1","token_uri":"{token_uri}"}}"#,
        serde_json::to_string(&pem).unwrap()
    )
}

#[tokio::test]
async fn gcp_auth_runs_its_jwt_bearer_grant_against_a_loopback_token_endpoint() {
    let fake = FakeSecretManager::start("unused").await;
    fake.add_version(&secret("v1"));
    let (_, public) = service_account_key();
    fake.enable_token_endpoint(&public, "ya29.from-the-fake-oauth-endpoint");
    let json = service_account_json(&format!("{}/token", fake.base_url()));
    let account = gcp_auth::CustomServiceAccount::from_json(&json).unwrap();
    let sm = SecretManager::builder()
        .base_url(&fake.base_url())
        .allow_insecure_loopback(true)
        .token_provider(Arc::new(account))
        .build()
        .unwrap();
    let served = sm.access(&name("latest")).await.unwrap();
    assert_eq!(served.value().expose_secret(), secret("v1"));
    assert_eq!(fake.token_calls(), 1, "the assertion verified with the key");
    // gcp_auth caches the token: a second access asks no new one.
    sm.access(&name("1")).await.unwrap();
    assert_eq!(fake.token_calls(), 1);
}

#[tokio::test]
async fn failed_refreshes_keep_the_last_value_only_within_the_bound() {
    let fake = FakeSecretManager::start(BEARER).await;
    fake.add_version(&secret("v1"));
    let sm = manager(&fake, provider(false));
    let policy = RefreshPolicy {
        max_stale: Duration::from_secs(1),
        ..RefreshPolicy::default()
    };
    let (store, cache) = sm.hmac_key_store(&name("latest"), policy).await.unwrap();
    let v = verifier(store.clone());
    let token = hs256(&secret("v1"), NOW + 60);
    fake.always(Some(Script::Status(503, "UNAVAILABLE")));
    assert!(cache.refresh_now().await.is_err());
    assert_eq!(check(&v, &token), Ok(()), "within the bound");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(cache.refresh_now().await.is_err());
    assert_eq!(check(&v, &token), Err(Error::KeysUnavailable), "past it");
    assert_eq!(cache.get().unwrap_err(), GcpError::Stale);
    fake.always(None);
    assert_eq!(cache.refresh_now().await, Ok(Some(1)));
    assert_eq!(check(&v, &token), Ok(()), "back after a good fetch");
}

#[tokio::test]
async fn a_weak_new_version_is_refused_and_the_store_keeps_its_secret() {
    let fake = FakeSecretManager::start(BEARER).await;
    fake.add_version(&secret("v1"));
    let sm = manager(&fake, provider(false));
    let (store, cache) = sm
        .hmac_key_store(&name("latest"), RefreshPolicy::default())
        .await
        .unwrap();
    let weak = b"my-super-secret-password-for-jwt-0123";
    fake.add_version(weak);
    assert!(matches!(
        cache.refresh_now().await,
        Err(GcpError::Refused(_))
    ));
    assert_eq!(cache.version(), Some(1));
    let v = verifier(store);
    assert_eq!(check(&v, &hs256(&secret("v1"), NOW + 60)), Ok(()));
    assert_eq!(
        check(&v, &hs256(weak, NOW + 60)),
        Err(Error::InvalidSignature)
    );
    // A weak first version never makes a store.
    let fake2 = FakeSecretManager::start(BEARER).await;
    fake2.add_version(weak);
    let sm2 = manager(&fake2, provider(false));
    assert!(
        sm2.hmac_key_store(&name("latest"), RefreshPolicy::default())
            .await
            .is_err()
    );
}

/// Rotation under load: 4 tasks verify HS256 continuously while the secret rotates 3
/// times through the background refresh; the issuer switches to a new secret only once
/// the store has it. No valid token may fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rotation_under_load_loses_no_valid_token() {
    let fake = FakeSecretManager::start(BEARER).await;
    fake.add_version(&secret("r1"));
    let sm = manager(&fake, provider(false));
    let policy = RefreshPolicy {
        ttl: limits::MIN_TTL,
        ..RefreshPolicy::default()
    };
    let (store, cache) = sm.hmac_key_store(&name("latest"), policy).await.unwrap();
    let v = verifier(store.clone());
    let issuer = Arc::new(RwLock::new(secret("r1")));
    let stop = Arc::new(AtomicBool::new(false));
    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for t in 0..4u64 {
        let (v, issuer, stop, ok, failed) = (
            v.clone(),
            issuer.clone(),
            stop.clone(),
            ok.clone(),
            failed.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut i = 0u64;
            while !stop.load(Ordering::Acquire) {
                let s = issuer.read().unwrap().clone();
                let token = hs256(&s, NOW + 60 + t * 1000 + i % 1000);
                match check(&v, &token) {
                    Ok(()) => ok.fetch_add(1, Ordering::Relaxed),
                    Err(_) => failed.fetch_add(1, Ordering::Relaxed),
                };
                i += 1;
                if i % 64 == 0 {
                    tokio::task::yield_now().await;
                }
            }
        }));
    }
    let start = Instant::now();
    let mut pickups = Vec::new();
    for r in 2..=4u64 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let label = format!("r{r}");
        let n = fake.add_version(&secret(&label));
        let published = Instant::now();
        while cache.version() != Some(n) {
            assert!(
                published.elapsed() < Duration::from_secs(10),
                "not picked up"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        pickups.push(published.elapsed());
        *issuer.write().unwrap() = secret(&label);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::Release);
    for t in tasks {
        t.await.unwrap();
    }
    let (ok, failed) = (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    println!(
        "rotation under load: {ok} verifications, {failed} failures, 3 rotations in {:?}, \
         picked up after {pickups:?}",
        start.elapsed()
    );
    assert_eq!(failed, 0);
    assert!(ok > 0);
    assert_eq!(cache.version(), Some(4));
    // Current and previous verify; a secret older than the previous one does not.
    assert_eq!(check(&v, &hs256(&secret("r4"), NOW + 60)), Ok(()));
    assert_eq!(check(&v, &hs256(&secret("r3"), NOW + 60)), Ok(()));
    for old in ["r2", "r1"] {
        assert_eq!(
            check(&v, &hs256(&secret(old), NOW + 60)),
            Err(Error::InvalidSignature),
            "{old}"
        );
    }
}

#[tokio::test]
async fn the_previous_secret_is_retired_after_the_grace_period() {
    let fake = FakeSecretManager::start(BEARER).await;
    fake.add_version(&secret("g1"));
    let sm = manager(&fake, provider(false));
    let policy = RefreshPolicy {
        grace: Duration::from_millis(200),
        ..RefreshPolicy::default()
    };
    let (store, cache) = sm.hmac_key_store(&name("latest"), policy).await.unwrap();
    let v = verifier(store.clone());
    fake.add_version(&secret("g2"));
    assert_eq!(cache.refresh_now().await, Ok(Some(2)));
    assert_eq!(check(&v, &hs256(&secret("g1"), NOW + 60)), Ok(()));
    let start = Instant::now();
    while store.has_previous() {
        assert!(start.elapsed() < Duration::from_secs(5));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        check(&v, &hs256(&secret("g1"), NOW + 60)),
        Err(Error::InvalidSignature)
    );
    assert_eq!(check(&v, &hs256(&secret("g2"), NOW + 60)), Ok(()));
}

#[tokio::test]
async fn debug_of_every_type_holding_a_secret_is_redacted() {
    let fake = FakeSecretManager::start(BEARER).await;
    let raw = secret("redact");
    fake.add_version(&raw);
    let sm = manager(&fake, provider(false));
    let resolved = sm.access(&name("latest")).await.unwrap();
    let (store, cache) = sm
        .hmac_key_store(&name("latest"), RefreshPolicy::default())
        .await
        .unwrap();
    let v = verifier(store.clone());
    let shown = [
        format!("{:?}", resolved),
        format!("{:?}", resolved.value()),
        format!("{:?}", resolved.value().hmac_key().unwrap()),
        format!("{:?}", cache),
        format!("{:?}", sm),
        format!("{:?}", store),
        format!("{:?}", v),
        format!("{:?}", resolved.clone().into_value()),
    ];
    let text = std::str::from_utf8(&raw).unwrap();
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    let bytes = format!("{:?}", &raw[..6]);
    for s in &shown {
        assert!(!s.contains(&text[..12]), "{s}");
        assert!(!s.contains(&hex[..16]), "{s}");
        assert!(!s.contains(&bytes[1..bytes.len() - 1]), "{s}");
        assert!(!s.contains(BEARER), "{s}");
    }
    assert!(shown[1].contains("REDACTED"));
}

// ---------------------------------------------------------------------------------------
// the command line, against the same fake (the token from a service account file)

/// A credentials file whose service account's `token_uri` is `fake`'s token endpoint.
#[cfg(feature = "cli")]
fn credentials_file(fake: &FakeSecretManager, tag: &str) -> std::path::PathBuf {
    let (_, public) = service_account_key();
    fake.enable_token_endpoint(&public, "ya29.cli");
    let dir = std::env::temp_dir().join(format!("jwsgate-gcp-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let creds = dir.join("sa.json");
    std::fs::write(
        &creds,
        service_account_json(&format!("{}/token", fake.base_url())),
    )
    .unwrap();
    creds
}

/// Runs the `jwsgate` binary with `args` and those credentials, off the runtime's
/// threads: (exit code, standard output, standard error).
#[cfg(feature = "cli")]
async fn run_jwsgate(args: Vec<String>, creds: std::path::PathBuf) -> (i32, String, String) {
    tokio::task::spawn_blocking(move || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_jwsgate"))
            .args(&args)
            .env("GOOGLE_APPLICATION_CREDENTIALS", &creds)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
    .await
    .unwrap()
}

#[cfg(feature = "cli")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_reads_a_gcp_secret_and_exits_2_when_refused_or_insecure() {
    let fake = FakeSecretManager::start("unused").await;
    fake.add_version(&secret("cli"));
    let creds = credentials_file(&fake, "cli");
    let dir = creds.parent().unwrap().to_path_buf();
    let base = fake.base_url();
    let run = move |extra: Vec<String>| {
        let mut args: Vec<String> = vec![
            "verify".into(),
            "--hmac-secret".into(),
            "gcp:projects/acme-prod/secrets/jwt-hmac/versions/latest".into(),
            "--gcp-secret-manager-url".into(),
            base.clone(),
            "--issuer".into(),
            ISS.into(),
            "--audience".into(),
            AUD.into(),
            "--now".into(),
            NOW.to_string(),
        ];
        args.extend(extra);
        run_jwsgate(args, creds.clone())
    };
    let token = hs256(&secret("cli"), NOW + 60);
    let (code, out, err) = run(vec!["--allow-insecure-loopback".into(), token.clone()]).await;
    assert_eq!(code, 0, "{out} {err}");
    assert!(out.starts_with(r#"{"valid":true"#), "{out}");

    let (code, out, err) = run(vec![token.clone()]).await;
    assert_eq!(code, 2, "{out}");
    assert!(out.is_empty());
    assert!(err.contains("--allow-insecure-loopback"), "{err}");

    fake.push(Script::Status(403, "PERMISSION_DENIED"));
    let (code, out, err) = run(vec!["--allow-insecure-loopback".into(), token.clone()]).await;
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("permission denied (403)"), "{err}");

    let n = fake.add_version(&secret("cli2"));
    fake.disable(n);
    let (code, _, err) = run(vec!["--allow-insecure-loopback".into(), token]).await;
    assert_eq!(code, 2);
    assert!(err.contains("FAILED_PRECONDITION"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(feature = "cli")]
/// `introspect --client-secret gcp:...` reads its secret through the same Secret Manager
/// code as `--hmac-secret`: a secret that is served lets the command go on to the
/// endpoint (here a closed loopback port: exit 1, `introspection_unavailable`); one that
/// is refused is exit 2 naming `--client-secret`, before any introspection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_introspect_reads_a_gcp_client_secret() {
    let fake = FakeSecretManager::start("unused").await;
    fake.add_version(b"introspection-client-secret");
    let creds = credentials_file(&fake, "intro");
    let dir = creds.parent().unwrap().to_path_buf();
    let base = fake.base_url();
    let run = move || {
        let args: Vec<String> = vec![
            "introspect".into(),
            "--endpoint".into(),
            "http://127.0.0.1:1/introspect".into(),
            "--allow-insecure-loopback".into(),
            "--client-id".into(),
            "orders-api".into(),
            "--client-secret".into(),
            "gcp:projects/acme-prod/secrets/introspection/versions/latest".into(),
            "--gcp-secret-manager-url".into(),
            base.clone(),
            "--issuer".into(),
            ISS.into(),
            "--audience".into(),
            AUD.into(),
            "opaque-token-value".into(),
        ];
        run_jwsgate(args, creds.clone())
    };
    let before = fake.access_calls();
    let (code, out, err) = run().await;
    assert_eq!(code, 1, "{out} {err}");
    assert!(
        out.contains(r#""error":"introspection_unavailable""#),
        "{out}"
    );
    assert_eq!(
        fake.access_calls(),
        before + 1,
        "the secret came from Secret Manager"
    );

    fake.push(Script::Status(403, "PERMISSION_DENIED"));
    let (code, out, err) = run().await;
    assert_eq!(code, 2, "{out}");
    assert!(out.is_empty());
    assert!(err.contains("--client-secret"), "{err}");
    assert!(err.contains("permission denied (403)"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
