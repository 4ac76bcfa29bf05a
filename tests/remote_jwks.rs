//! Remote JWK Sets against a scriptable loopback server (http, and https with a test CA):
//! first load, refresh, ETag/304, max-age, faults that keep the last good set, the
//! staleness bound, unknown-kid refetches, and rotations under load. Every test ends on
//! its own within a few seconds.

#[path = "support/es256.rs"]
mod es256;
use jwsgate_fixtures::jwks_server;

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use es256::{AUD, ISS, NOW, Signer, jwks};
use jwks_server::{Behaviour, JwksServer};
use jwsgate::outbound::OutboundError;
use jwsgate::remote::{RemoteError, RemoteJwks, RemoteJwksBuilder};
use jwsgate::{ConfigError, Error, Scratch, UnixTime, Verifier};

const DEADLINE: Duration = Duration::from_secs(1);

fn builder(server: &JwksServer) -> RemoteJwksBuilder {
    let b = RemoteJwks::builder(&server.url("/jwks.json")).timeout(DEADLINE);
    if server.url("").starts_with("https") {
        b.add_root_certificate(server.ca_cert())
    } else {
        b.allow_insecure_loopback()
    }
}

/// TTL 200 ms, refreshed 100 ms ahead, stale 200 ms after it expires: a set that needs
/// a renewal (200 or 304) about every 100 ms to stay usable.
fn short_lived(server: &JwksServer) -> RemoteJwksBuilder {
    builder(server)
        .ttl(Duration::from_millis(200))
        .ttl_bounds(Duration::from_millis(200), Duration::from_secs(60))
        .refresh_ahead(Duration::from_millis(100))
        .max_staleness(Duration::from_millis(200))
}

fn verifier(jwks: &Arc<RemoteJwks>) -> Verifier {
    Verifier::builder()
        .remote_jwks(Arc::clone(jwks))
        .issuer(ISS)
        .audience(AUD)
        .build()
        .unwrap()
}

fn check(v: &Verifier, token: &str) -> Result<(), Error> {
    v.verify(
        &mut Scratch::new(),
        token.as_bytes(),
        UnixTime::from_secs(NOW),
    )
    .map(|_| ())
}

/// Polls `cond` every 10 ms until it holds, for at most `limit`.
async fn eventually(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if cond() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    cond()
}

fn kids(jwks: &RemoteJwks) -> Vec<String> {
    jwks.current_keys()
        .iter()
        .filter_map(|k| k.kid().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn first_load_over_https_feeds_the_verifier_and_sends_nothing_from_tokens() {
    let server = JwksServer::https().await;
    let k1 = Signer::new("k1");
    server.set_body(jwks(&[&k1], &[]));
    let remote = builder(&server).build().await.unwrap();
    let v = verifier(&remote);
    assert_eq!(check(&v, &k1.token()), Ok(()));
    // A token naming another kid, issuer or audience changes nothing in what is sent.
    let probe = k1.token_with_kid("attacker-kid", r#"{"iss":"https://evil.example"}"#);
    assert_eq!(check(&v, &probe), Err(Error::UnknownKey));
    assert!(eventually(Duration::from_secs(3), || server.requests() >= 2).await);
    for r in server.recorded() {
        assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/jwks.json"));
        assert_eq!(
            r.header("accept"),
            Some("application/jwk-set+json, application/json")
        );
        assert!(r.header("user-agent").unwrap().starts_with("jwsgate/"));
        for (name, value) in &r.headers {
            assert!(
                ["host", "user-agent", "accept", "if-none-match"].contains(&name.as_str()),
                "unexpected header {name}"
            );
            assert!(!value.contains("attacker") && !value.contains("evil"));
        }
    }
}

#[tokio::test]
async fn a_failed_first_load_is_an_error() {
    let server = JwksServer::http().await;
    let k1 = Signer::new("k1");
    type Case<'a> = (Box<dyn Fn() + 'a>, fn(&RemoteError) -> bool);
    let cases: Vec<Case<'_>> = vec![
        (
            Box::new(|| server.set_behaviour(Behaviour::Status(500))),
            |e| matches!(e, RemoteError::Fetch(OutboundError::Status { status: 500 })),
        ),
        // A 304 to a request that asked for no revalidation (the first has no ETag to
        // send) is not "unchanged": there is nothing to keep.
        (
            Box::new(|| server.set_behaviour(Behaviour::Status(304))),
            |e| matches!(e, RemoteError::Fetch(OutboundError::Status { status: 304 })),
        ),
        (
            Box::new(|| server.set_behaviour(Behaviour::Redirect("http://127.0.0.1:1/".into()))),
            |e| matches!(e, RemoteError::Fetch(OutboundError::Redirect { .. })),
        ),
        (
            Box::new(|| {
                server.set_behaviour(Behaviour::Serve);
                server.set_body("{\"keys\": [garbage");
            }),
            |e| matches!(e, RemoteError::KeySet(_)),
        ),
        (
            Box::new(|| server.set_body(jwks(&[&k1], &[r#"{"kty":"oct","k":"c2VjcmV0"}"#]))),
            |e| {
                matches!(
                    e,
                    RemoteError::KeySet(ConfigError::SymmetricKeyInAsymmetricSet)
                )
            },
        ),
        (Box::new(|| server.set_body(r#"{"keys":[]}"#)), |e| {
            matches!(e, RemoteError::KeySet(ConfigError::InvalidKeySet(_)))
        }),
        (
            Box::new(|| {
                server.set_behaviour(Behaviour::Huge {
                    bytes: 10 * 1024 * 1024,
                    chunked: true,
                })
            }),
            |e| matches!(e, RemoteError::Fetch(OutboundError::TooLarge { .. })),
        ),
    ];
    for (setup, expected) in cases {
        setup();
        let err = builder(&server).build().await.unwrap_err();
        assert!(expected(&err), "{err:?}");
    }
}

#[tokio::test]
async fn a_hanging_provider_fails_the_constructor_within_the_deadline_plus_1_s() {
    let server = JwksServer::https().await;
    server.set_behaviour(Behaviour::Hang);
    let start = Instant::now();
    let err = tokio::time::timeout(DEADLINE + Duration::from_secs(1), builder(&server).build())
        .await
        .expect("the constructor gave up within deadline + 1 s")
        .unwrap_err();
    assert_eq!(
        err,
        RemoteError::Fetch(OutboundError::Timeout { after: DEADLINE })
    );
    println!(
        "constructor on a hanging provider: gave up after {:?}",
        start.elapsed()
    );
}

#[test]
fn http_to_a_non_loopback_host_is_a_build_error() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for url in ["http://issuer.example/jwks.json", "http://10.1.2.3/jwks"] {
        let err = rt
            .block_on(RemoteJwks::builder(url).allow_insecure_loopback().build())
            .unwrap_err();
        assert!(
            matches!(err, RemoteError::Endpoint(OutboundError::InsecureUrl(_))),
            "{url}: {err:?}"
        );
    }
    let err = rt
        .block_on(RemoteJwks::builder("http://127.0.0.1:9/jwks").build())
        .unwrap_err();
    assert!(matches!(
        err,
        RemoteError::Endpoint(OutboundError::InsecureUrl(_))
    ));
}

#[tokio::test]
async fn failed_refreshes_keep_the_last_good_set() {
    let server = JwksServer::https().await;
    let k1 = Signer::new("k1");
    let k2 = Signer::new("k2");
    server.set_body(jwks(&[&k1], &[]));
    let remote = builder(&server).build().await.unwrap();
    let v = verifier(&remote);
    let faults: Vec<(&str, Behaviour, String)> = vec![
        ("500", Behaviour::Status(500), jwks(&[&k2], &[])),
        (
            "redirect",
            Behaviour::Redirect(server.url("/other")),
            jwks(&[&k2], &[]),
        ),
        ("garbage", Behaviour::Serve, "<html>not json</html>".into()),
        (
            "oct key",
            Behaviour::Serve,
            jwks(&[&k2], &[r#"{"kty":"oct","k":"c2VjcmV0"}"#]),
        ),
        ("empty", Behaviour::Serve, r#"{"keys":[]}"#.into()),
        (
            "only unknown kty",
            Behaviour::Serve,
            r#"{"keys":[{"kty":"XYZ","kid":"z"}]}"#.into(),
        ),
        (
            "10 MB",
            Behaviour::Huge {
                bytes: 10 * 1024 * 1024,
                chunked: false,
            },
            jwks(&[&k2], &[]),
        ),
        ("hang", Behaviour::Hang, jwks(&[&k2], &[])),
    ];
    for (name, behaviour, body) in faults {
        server.set_behaviour(behaviour);
        server.set_body(body);
        let start = Instant::now();
        let r = remote.refresh_now().await;
        assert!(r.is_err(), "{name}: {r:?}");
        assert!(
            start.elapsed() < DEADLINE + Duration::from_secs(1),
            "{name}"
        );
        assert_eq!(kids(&remote), ["k1"], "{name}: the last good set stays");
        assert_eq!(check(&v, &k1.token()), Ok(()), "{name}");
    }
    // One unknown key beside good ones does not drop the set (RFC 7517 §5).
    server.set_behaviour(Behaviour::Serve);
    server.set_body(jwks(&[&k2], &[r#"{"kty":"XYZ","kid":"z"}"#]));
    remote.refresh_now().await.unwrap();
    assert_eq!(kids(&remote), ["k2"]);
    assert_eq!(check(&v, &k2.token()), Ok(()));
    assert_eq!(check(&v, &k1.token()), Err(Error::UnknownKey));
}

#[tokio::test]
async fn etag_is_sent_and_304_keeps_the_set_and_renews_its_age() {
    let server = JwksServer::http().await;
    let k1 = Signer::new("k1");
    server.set_body(jwks(&[&k1], &[]));
    server.set_etag(Some("\"gen-1\""));
    // TTL 200 ms, stale 200 ms later: without renewals the set would be unusable after
    // 0.4 s; 304s every ~100 ms keep it usable for the whole second.
    let remote = short_lived(&server).build().await.unwrap();
    assert_eq!(remote.fetch_count(), 1, "the first load");
    let v = verifier(&remote);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(check(&v, &k1.token()), Ok(()));
    let recorded = server.recorded();
    assert!(recorded.len() >= 4, "{} requests", recorded.len());
    assert!(
        remote.fetch_count() >= 4,
        "{} fetches",
        remote.fetch_count()
    );
    assert_eq!(recorded[0].header("if-none-match"), None);
    for r in &recorded[1..] {
        assert_eq!(r.header("if-none-match"), Some("\"gen-1\""));
    }
    assert_eq!(kids(&remote), ["k1"]);
}

/// A 304 answering a refresh that asked for no revalidation (the server sent no ETag, so
/// none was sent back) is a failed fetch, not "unchanged": it does not renew the set's
/// age, and the set goes stale on time.
#[tokio::test]
async fn a_304_without_an_etag_does_not_renew_the_set() {
    let server = JwksServer::http().await;
    let k1 = Signer::new("k1");
    server.set_body(jwks(&[&k1], &[]));
    let remote = short_lived(&server).build().await.unwrap();
    let v = verifier(&remote);
    assert_eq!(check(&v, &k1.token()), Ok(()));
    server.set_behaviour(Behaviour::Status(304));
    let stale = eventually(Duration::from_secs(5), || {
        check(&v, &k1.token()) == Err(Error::KeysUnavailable)
    })
    .await;
    assert!(
        stale,
        "a 304 to an unconditional refresh kept the set fresh"
    );
    let recorded = server.recorded();
    assert!(recorded.len() >= 2, "{} requests", recorded.len());
    assert!(recorded.iter().all(|r| r.header("if-none-match").is_none()));
}

#[tokio::test]
async fn max_age_is_honoured_within_its_bounds() {
    let k1 = Signer::new("k1");
    let short = JwksServer::http().await;
    let long = JwksServer::http().await;
    for s in [&short, &long] {
        s.set_body(jwks(&[&k1], &[]));
    }
    short.set_max_age(Some(0)); // clamped up to the 300 ms minimum
    long.set_max_age(Some(31_536_000)); // clamped down to the 60 s maximum
    let make = |s: &JwksServer| {
        builder(s)
            .ttl_bounds(Duration::from_millis(300), Duration::from_secs(60))
            .refresh_ahead(Duration::from_millis(100))
            .build()
    };
    let (a, b) = (make(&short).await.unwrap(), make(&long).await.unwrap());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // 300 ms TTL, refreshed 100 ms ahead: a fetch every ~200 ms (never a tight loop).
    let n = short.requests();
    assert!(
        (4..=10).contains(&n),
        "max-age=0 clamped to 300 ms: {n} requests"
    );
    assert_eq!(
        long.requests(),
        1,
        "max-age of a year clamped to 60 s: no refetch yet"
    );
    drop((a, b));
}

#[tokio::test]
async fn past_the_staleness_bound_verify_fails_closed_with_503_and_recovers() {
    let server = JwksServer::http().await;
    let k1 = Signer::new("k1");
    server.set_body(jwks(&[&k1], &[]));
    let remote = builder(&server)
        .ttl(Duration::from_millis(200))
        .ttl_bounds(Duration::from_millis(200), Duration::from_secs(60))
        .refresh_ahead(Duration::from_millis(50))
        .max_staleness(Duration::from_millis(300))
        .retry_backoff(Duration::from_millis(50), Duration::from_millis(100))
        .build()
        .await
        .unwrap();
    let v = verifier(&remote);
    server.set_behaviour(Behaviour::Status(500));
    let t0 = Instant::now();
    assert_eq!(check(&v, &k1.token()), Ok(()), "stale but within the bound");
    assert!(
        eventually(Duration::from_secs(3), || check(&v, &k1.token())
            == Err(Error::KeysUnavailable))
        .await
    );
    let took = t0.elapsed();
    assert!(!remote.is_usable());
    let e = check(&v, &k1.token()).unwrap_err();
    assert_eq!((e.code(), e.status()), ("keys_unavailable", 503));
    // Even a token with an unknown kid gets 503, not a 401 that would hide the outage.
    assert_eq!(
        check(&v, &k1.token_with_kid("nope", "{}")),
        Err(Error::KeysUnavailable)
    );
    println!("keys_unavailable after {took:?} (TTL 200 ms + staleness 300 ms)");
    server.set_behaviour(Behaviour::Serve);
    assert!(eventually(Duration::from_secs(3), || check(&v, &k1.token()) == Ok(())).await);
    assert!(remote.is_usable());
}

#[tokio::test]
async fn an_older_fetch_finishing_late_never_replaces_a_newer_set() {
    let server = JwksServer::http().await;
    let (k1, k2, k3) = (Signer::new("k1"), Signer::new("k2"), Signer::new("k3"));
    server.set_body(jwks(&[&k1], &[]));
    let remote = builder(&server)
        .timeout(Duration::from_secs(3))
        .build()
        .await
        .unwrap();
    server.set_body(jwks(&[&k2], &[]));
    server.push_once(Behaviour::Delay(Duration::from_millis(600)));
    let slow = {
        let remote = Arc::clone(&remote);
        tokio::spawn(async move { remote.refresh_now().await })
    };
    assert!(eventually(Duration::from_secs(2), || server.requests() == 2).await);
    server.set_body(jwks(&[&k3], &[]));
    remote.refresh_now().await.unwrap();
    assert_eq!(kids(&remote), ["k3"]);
    slow.await.unwrap().unwrap();
    assert_eq!(kids(&remote), ["k3"], "the older answer (k2) was dropped");
}

fn random_kid_token(k: &Signer, i: u64) -> String {
    let mut b = [0u8; 12];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut b).unwrap();
    let kid = format!("{}-{i}", jwsgate::low_level::base64url::encode(&b));
    k.token_with_kid(&kid, "{}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_random_unknown_kids_cause_at_most_one_fetch() {
    let server = JwksServer::http().await;
    let k1 = Signer::new("k1");
    server.set_body(jwks(&[&k1], &[]));
    let remote = builder(&server).build().await.unwrap();
    let v = verifier(&remote);
    let tokens: Vec<String> = (0..10_000).map(|i| random_kid_token(&k1, i)).collect();
    let mut scratch = Scratch::new();
    for t in &tokens {
        let r = v.verify(&mut scratch, t.as_bytes(), UnixTime::from_secs(NOW));
        assert_eq!(r.err(), Some(Error::UnknownKey));
    }
    // The one signal is served in the background; give it time, then count.
    assert!(eventually(Duration::from_secs(3), || server.requests() >= 2).await);
    tokio::time::sleep(Duration::from_millis(300)).await;
    for t in tokens.iter().take(1000) {
        let _ = remote
            .verify_refreshing(
                &v,
                &mut scratch,
                t.as_bytes(),
                UnixTime::from_secs(NOW),
                |r| assert_eq!(r.err(), Some(Error::UnknownKey)),
            )
            .await;
    }
    let refetches = server.requests() - 1;
    println!("10,000 unknown kids (+1,000 through verify_refreshing): {refetches} refetch");
    assert_eq!(refetches, 1, "one refetch per cooldown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abrupt_rotation_through_verify_refreshing_fails_nothing() {
    let server = JwksServer::https().await;
    let (k1, k2) = (Signer::new("k1"), Signer::new("k2"));
    server.set_body(jwks(&[&k1], &[]));
    let remote = builder(&server).build().await.unwrap();
    let v = verifier(&remote);
    // The provider rotates and signs with k2 before any refresh could have seen it.
    server.set_body(jwks(&[&k2], &[]));
    let token = Arc::new(k2.token());
    let failures = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let (remote, v, token, failures) = (
            Arc::clone(&remote),
            v.clone(),
            Arc::clone(&token),
            Arc::clone(&failures),
        );
        tasks.push(tokio::spawn(async move {
            let mut scratch = Scratch::new();
            for _ in 0..50 {
                let ok = remote
                    .verify_refreshing(
                        &v,
                        &mut scratch,
                        token.as_bytes(),
                        UnixTime::from_secs(NOW),
                        |r| r.is_ok(),
                    )
                    .await;
                if !ok {
                    failures.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let refetches = server.requests() - 1;
    println!(
        "abrupt rotation via verify_refreshing: 200 verifies, {} failures, {refetches} refetch",
        failures.load(Ordering::Relaxed)
    );
    assert_eq!(failures.load(Ordering::Relaxed), 0);
    assert_eq!(refetches, 1, "concurrent misses shared one fetch");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abrupt_rotation_through_verify_fails_until_the_one_refetch_lands() {
    let server = JwksServer::http().await;
    let (k1, k2) = (Signer::new("k1"), Signer::new("k2"));
    server.set_body(jwks(&[&k1], &[]));
    let remote = builder(&server).build().await.unwrap();
    let v = verifier(&remote);
    server.set_body(jwks(&[&k2], &[]));
    let token = k2.token();
    let mut failed = 0u32;
    let start = Instant::now();
    while check(&v, &token) == Err(Error::UnknownKey) {
        failed += 1;
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "the refetch never landed"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let landed = start.elapsed();
    for _ in 0..1000 {
        assert_eq!(
            check(&v, &token),
            Ok(()),
            "no failure once the refetch landed"
        );
    }
    println!(
        "abrupt rotation via verify: {failed} unknown_key before the refetch landed after {landed:?}; then 1000/1000 valid; {} refetch",
        server.requests() - 1
    );
    assert!(failed >= 1);
    assert_eq!(server.requests(), 2);
}

#[test]
fn rotation_under_load_fails_no_valid_token() {
    // Four threads verify continuously while the provider rotates (publish the new key,
    // then sign with it, then remove the old one) at least three times over >= 3 s.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let signers: Vec<Signer> = (0..5).map(|i| Signer::new(&format!("gen-{i}"))).collect();
    let server = rt.block_on(JwksServer::http());
    server.set_body(jwks(&[&signers[0]], &[]));
    let remote = rt
        .block_on(
            builder(&server)
                .ttl(Duration::from_millis(200))
                .ttl_bounds(Duration::from_millis(200), Duration::from_secs(60))
                .refresh_ahead(Duration::from_millis(100))
                .build(),
        )
        .unwrap();
    let v = verifier(&remote);
    let current = Arc::new(RwLock::new(Arc::new(signers[0].token())));
    let stop = Arc::new(AtomicBool::new(false));
    let verifies = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let seen: Arc<Vec<AtomicU64>> = Arc::new((0..4).map(|_| AtomicU64::new(0)).collect());
    let epoch = Arc::new(AtomicU64::new(0));
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let (v, current, stop, verifies, failures, seen, epoch) = (
                v.clone(),
                Arc::clone(&current),
                Arc::clone(&stop),
                Arc::clone(&verifies),
                Arc::clone(&failures),
                Arc::clone(&seen),
                Arc::clone(&epoch),
            );
            std::thread::spawn(move || {
                let mut scratch = Scratch::new();
                while !stop.load(Ordering::Relaxed) {
                    let e = epoch.load(Ordering::Acquire);
                    let token = Arc::clone(&current.read().unwrap());
                    let r = v.verify(&mut scratch, token.as_bytes(), UnixTime::from_secs(NOW));
                    verifies.fetch_add(1, Ordering::Relaxed);
                    if let Err(e) = r {
                        failures.fetch_add(1, Ordering::Relaxed);
                        eprintln!("failed: {e:?}");
                    }
                    seen[i].store(e, Ordering::Release);
                }
            })
        })
        .collect();
    let start = Instant::now();
    let mut rotations = 0;
    rt.block_on(async {
        for next in 1..signers.len() {
            let (old, new) = (&signers[next - 1], &signers[next]);
            // 1. Publish the new key beside the old; wait until the refresher has it.
            server.set_body(jwks(&[old, new], &[]));
            let has_new = || kids(&remote).contains(&new.kid);
            assert!(eventually(Duration::from_secs(3), has_new).await);
            // 2. Sign with the new key; wait until every thread has verified one.
            *current.write().unwrap() = Arc::new(new.token());
            let e = epoch.fetch_add(1, Ordering::AcqRel) + 1;
            let all_moved = || seen.iter().all(|s| s.load(Ordering::Acquire) >= e);
            assert!(eventually(Duration::from_secs(3), all_moved).await);
            tokio::time::sleep(Duration::from_millis(300)).await;
            // 3. Remove the old key.
            server.set_body(jwks(&[new], &[]));
            let old_gone = || !kids(&remote).contains(&old.kid);
            assert!(eventually(Duration::from_secs(3), old_gone).await);
            rotations += 1;
        }
        let rest = Duration::from_secs(3).saturating_sub(start.elapsed());
        tokio::time::sleep(rest).await;
    });
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    let (n, f) = (
        verifies.load(Ordering::Relaxed),
        failures.load(Ordering::Relaxed),
    );
    println!(
        "rotation under load: {n} verifies by 4 threads over {:?}, {rotations} rotations, {f} failures, {} fetches",
        start.elapsed(),
        server.requests()
    );
    assert!(rotations >= 3);
    assert!(start.elapsed() >= Duration::from_secs(3));
    assert!(n > 1000, "the threads verified continuously");
    assert_eq!(f, 0, "no valid token failed during rotations");
    drop(remote);
    drop(v);
}

#[tokio::test]
async fn dropping_the_source_stops_its_refresher() {
    let server = JwksServer::http().await;
    let k1 = Signer::new("k1");
    server.set_body(jwks(&[&k1], &[]));
    let remote = builder(&server)
        .ttl(Duration::from_millis(100))
        .ttl_bounds(Duration::from_millis(100), Duration::from_secs(60))
        .build()
        .await
        .unwrap();
    let v = verifier(&remote);
    assert!(eventually(Duration::from_secs(2), || server.requests() >= 3).await);
    drop(v);
    drop(remote);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let after = server.requests();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        server.requests(),
        after,
        "no fetch after the last owner dropped"
    );
}
