//! The fleet limiter against a real Redis (a `redis-server` each test starts on
//! 127.0.0.1; see tests/redis_server): the local limiter's semantics, exactness across
//! four instances, Redis failures (stopped, restarted, flushed, asleep) and the memory
//! left behind by a million keys.
#![cfg(feature = "redis")]

mod redis_server;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jwsgate::fleet_limit::{
    FailurePolicy, FleetConfig, FleetFailureLimiter, FleetLimiter, FleetRefusal,
};
use jwsgate::ratelimit::{InstantClock, ManualClock, RateLimitConfig, RateLimiter};
use redis_server::{RedisServer, start_or_skip};
use secrecy::SecretString;

const MINUTE: Duration = Duration::from_secs(60);
/// Slack on top of a deadline when asserting that a call ended by it (upper bound only).
const MARGIN: Duration = Duration::from_secs(1);

type Fleet = FleetLimiter<InstantClock>;

fn url(server: &RedisServer) -> SecretString {
    SecretString::from(server.url())
}

/// `limit` per `window` with a 1 s call deadline: the test machine is shared and may be
/// loaded; a check that Redis should answer must not fall to the failure policy because
/// of a 50 ms deadline (the tests about deadlines set their own).
fn test_config(limit: u32, window: Duration) -> FleetConfig {
    FleetConfig::new(limit, window)
        .unwrap()
        .with_call_timeout(Duration::from_secs(1))
        .unwrap()
}

fn local(limit: u32, window: Duration) -> RateLimiter {
    RateLimiter::new(RateLimitConfig::new(limit, window, 4096).unwrap())
}

async fn fleet(server: &RedisServer, config: FleetConfig, local: Option<RateLimiter>) -> Fleet {
    FleetLimiter::connect(&url(server), config, local)
        .await
        .expect("connect to the test redis-server")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fleet_answers_like_the_local_limiter() {
    let Some(server) = start_or_skip("fleet_answers_like_the_local_limiter") else {
        return;
    };
    let config = test_config(10, MINUTE);
    let fleet = fleet(&server, config, None).await;
    let reference = RateLimiter::with_clock(
        RateLimitConfig::new(10, MINUTE, 64).unwrap(),
        ManualClock::new(),
    );
    let mut admin = server.admin().unwrap();

    // Looking costs nothing.
    for _ in 0..20 {
        assert_eq!(fleet.peek(7).await, Ok(()));
    }
    for n in 0..10 {
        let expected = reference.check(7).unwrap().remaining();
        let got = fleet.check(7).await.unwrap().remaining();
        assert_eq!(got, expected, "check {n}");
        // TTL = time until full again: (n + 1) intervals of 6 s.
        let pttl: i64 = redis::cmd("PTTL")
            .arg(fleet.redis_key(7))
            .query(&mut admin)
            .unwrap();
        let full = (n + 1) * 6_000;
        assert!(
            pttl <= full && pttl > full - 1_000,
            "PTTL {pttl} ms after {n} checks"
        );
    }
    let local_refusal = reference.check(7).unwrap_err();
    let refused = fleet.check(7).await.unwrap_err();
    let peeked = fleet.peek(7).await.unwrap_err();
    for refusal in [refused, peeked] {
        assert_eq!(refusal.status(), 429);
        assert_eq!(refusal.retry_after_secs(), local_refusal.retry_after_secs());
        // Redis time moved on a little since the first check: the wait is a bit shorter.
        let wait = refusal.limited().unwrap().wait();
        assert!(
            wait <= local_refusal.wait() && wait > Duration::from_secs(5),
            "{wait:?}"
        );
    }
    assert_eq!(
        jwsgate::Error::from(refused),
        jwsgate::Error::RateLimited {
            retry_after_secs: 6
        }
    );
    // Other keys are untouched; the key is stored under the prefix in hex.
    assert_eq!(fleet.check(8).await.unwrap().remaining(), 9);
    let keys: Vec<String> = redis::cmd("KEYS").arg("*").query(&mut admin).unwrap();
    let mut keys = keys;
    keys.sort();
    assert_eq!(
        keys,
        ["jwsgate:rl:0000000000000007", "jwsgate:rl:0000000000000008"]
    );
    // The script Redis holds is the one named by the limiter's SHA-1, loaded once.
    let exists: Vec<i64> = redis::cmd("SCRIPT")
        .arg("EXISTS")
        .arg(fleet.script_sha1())
        .query(&mut admin)
        .unwrap();
    assert_eq!(exists, [1]);
    let stats = fleet.stats();
    assert_eq!(
        (stats.script_loads, stats.connects, stats.redis_failures),
        (1, 1, 0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_instances_hammering_one_key_admit_the_fleet_limit() {
    const LIMIT: u32 = 50;
    const WINDOW: Duration = Duration::from_secs(1);
    const RUN: Duration = Duration::from_secs(2);
    let Some(server) = start_or_skip("four_instances_hammering_one_key_admit_the_fleet_limit")
    else {
        return;
    };
    // Fail closed with a generous deadline: a loaded test machine must not turn a slow
    // answer into a fail-open admission (counted, and asserted zero, below).
    let config = FleetConfig::new(LIMIT, WINDOW)
        .unwrap()
        .with_failure_policy(FailurePolicy::FailClosed)
        .with_call_timeout(Duration::from_secs(2))
        .unwrap();
    let mut instances = Vec::new();
    for _ in 0..4 {
        // Each instance's local tier admits 10× the fleet rate, as a per-instance bound.
        let local = local(10 * LIMIT, WINDOW);
        instances.push(Arc::new(fleet(&server, config.clone(), Some(local)).await));
    }
    let admitted = Arc::new(AtomicU64::new(0));
    let unavailable = Arc::new(AtomicU64::new(0));
    let max_wait_us = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..8 {
        let fleet = Arc::clone(&instances[t % 4]);
        let (admitted, unavailable, max_wait_us) = (
            Arc::clone(&admitted),
            Arc::clone(&unavailable),
            Arc::clone(&max_wait_us),
        );
        tasks.push(tokio::spawn(async move {
            while start.elapsed() < RUN {
                match fleet.check(0xf1ee7).await {
                    Ok(_) => {
                        admitted.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(FleetRefusal::Limited(limited)) => {
                        assert_eq!(limited.retry_after_secs(), 1);
                        // The local tier's waits are in nanoseconds, Redis's in µs.
                        let wait = limited.wait().as_micros() as u64;
                        assert!(!limited.wait().is_zero());
                        max_wait_us.fetch_max(wait, Ordering::Relaxed);
                    }
                    Err(FleetRefusal::Unavailable(_)) => {
                        unavailable.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = start.elapsed();
    let admitted = admitted.load(Ordering::Relaxed);
    // GCRA: the burst of LIMIT, then one per interval (20 ms) for the rest of the run.
    let expected = u64::from(LIMIT) + (elapsed.as_secs_f64() * f64::from(LIMIT)).floor() as u64;
    let (mut answers, mut local_refusals) = (0, 0);
    for fleet in &instances {
        let s = fleet.stats();
        answers += s.redis_answers;
        local_refusals += s.local_refusals;
        assert_eq!(s.redis_failures, 0, "{s:?}");
    }
    println!(
        "fleet exactness: 4 instances, 8 tasks, {elapsed:?}: admitted {admitted}, \
         expected {LIMIT} + elapsed × {LIMIT}/s = {expected}; Redis answered {answers} \
         checks, local tiers refused {local_refusals}; longest Retry-After wait {} µs",
        max_wait_us.load(Ordering::Relaxed)
    );
    assert_eq!(unavailable.load(Ordering::Relaxed), 0);
    assert!(
        admitted.abs_diff(expected) <= 1,
        "admitted {admitted}, expected {expected} ± 1"
    );
    // The refusals' waits are about one interval at most: the fleet is saturated, not
    // stuck. (Plus 1 ms: Redis's TIME is the wall clock, which may step back a little.)
    assert!(max_wait_us.load(Ordering::Relaxed) <= 21_000);
    assert!(
        answers > admitted,
        "Redis refused nothing: {answers} answers"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_redis_fails_open_to_the_local_limit() {
    let Some(mut server) = start_or_skip("a_stopped_redis_fails_open_to_the_local_limit") else {
        return;
    };
    let config = test_config(5, MINUTE); // fail open: the default
    let fleet = fleet(&server, config.clone(), Some(local(5, MINUTE))).await;
    for _ in 0..5 {
        assert!(fleet.check(1).await.is_ok());
    }
    assert_eq!(fleet.stats().redis_answers, 5);

    server.stop();
    // A fresh key: the local tier alone admits its 5, then refuses with its own wait.
    let deadline = config.call_timeout() + config.connect_timeout() + MARGIN;
    let mut slowest = Duration::ZERO;
    for n in 0..5 {
        let t = Instant::now();
        let answer = fleet.check(2).await;
        slowest = slowest.max(t.elapsed());
        assert!(answer.is_ok(), "check {n}: {answer:?}");
    }
    let t = Instant::now();
    let refused = fleet.check(2).await.unwrap_err();
    slowest = slowest.max(t.elapsed());
    assert_eq!((refused.status(), refused.retry_after_secs()), (429, 12));
    // The key admitted through Redis before is still bounded by its local budget.
    assert_eq!(fleet.check(1).await.unwrap_err().status(), 429);
    let s = fleet.stats();
    println!("fail-open after Redis stopped: slowest check {slowest:?}; {s:?}");
    assert!(slowest < deadline, "{slowest:?}");
    assert_eq!(s.failed_open, 5);
    assert!(s.redis_failures >= 1 && s.local_refusals == 2, "{s:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_redis_fails_closed_with_503_within_the_deadline() {
    let Some(mut server) =
        start_or_skip("a_stopped_redis_fails_closed_with_503_within_the_deadline")
    else {
        return;
    };
    let config = test_config(5, MINUTE).with_failure_policy(FailurePolicy::FailClosed);
    let fleet = fleet(&server, config.clone(), Some(local(5, MINUTE))).await;
    assert!(fleet.check(1).await.is_ok());
    server.stop();
    let deadline = config.call_timeout() + config.connect_timeout() + MARGIN;
    let mut slowest = Duration::ZERO;
    for _ in 0..3 {
        let t = Instant::now();
        let refused = fleet.check(1).await.unwrap_err();
        slowest = slowest.max(t.elapsed());
        assert!(
            matches!(refused, FleetRefusal::Unavailable(_)),
            "{refused:?}"
        );
        assert_eq!((refused.status(), refused.retry_after_secs()), (503, 1));
        assert!(refused.wait() <= config.retry_cooldown());
        let t = Instant::now();
        assert!(matches!(
            fleet.peek(1).await,
            Err(FleetRefusal::Unavailable(_))
        ));
        slowest = slowest.max(t.elapsed());
    }
    let s = fleet.stats();
    println!("fail-closed after Redis stopped: slowest answer {slowest:?}; {s:?}");
    assert!(slowest < deadline, "{slowest:?}");
    assert_eq!(s.failed_closed, 6);
    // One failed call started the cooldown; the other answers did not touch Redis.
    assert_eq!((s.redis_failures, s.skipped), (1, 5), "{s:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_redis_gets_the_script_again() {
    let Some(mut server) = start_or_skip("a_restarted_redis_gets_the_script_again") else {
        return;
    };
    let config = test_config(5, MINUTE)
        .with_failure_policy(FailurePolicy::FailClosed)
        .with_retry_cooldown(Duration::from_millis(100))
        .unwrap();
    let fleet = fleet(&server, config, None).await;
    assert!(fleet.check(1).await.is_ok());
    server.restart().unwrap();
    // The old connection fails once; after the cooldown a check reconnects, gets
    // NOSCRIPT from the new server, loads the script and is answered.
    let deadline = Instant::now() + Duration::from_secs(10);
    let allowed = loop {
        match fleet.check(1).await {
            Ok(allowed) => break allowed,
            Err(FleetRefusal::Unavailable(_)) => {
                assert!(Instant::now() < deadline, "{:?}", fleet.stats());
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(other) => panic!("{other:?}"),
        }
    };
    // The new server's data is empty: the key starts over.
    assert_eq!(allowed.remaining(), 4);
    let s = fleet.stats();
    println!("after a restart: {s:?}");
    assert_eq!((s.connects, s.script_loads), (2, 2), "{s:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flushed_script_is_reloaded_on_noscript() {
    let Some(server) = start_or_skip("a_flushed_script_is_reloaded_on_noscript") else {
        return;
    };
    let config = test_config(5, MINUTE);
    let fleet = fleet(&server, config, None).await;
    assert_eq!(fleet.check(1).await.unwrap().remaining(), 4);
    let mut admin = server.admin().unwrap();
    let _: () = redis::cmd("SCRIPT").arg("FLUSH").query(&mut admin).unwrap();
    // Same connection, script gone: NOSCRIPT, SCRIPT LOAD, EVALSHA, all in this check.
    assert_eq!(fleet.check(1).await.unwrap().remaining(), 3);
    let s = fleet.stats();
    assert_eq!(
        (
            s.script_loads,
            s.connects,
            s.redis_failures,
            s.redis_answers
        ),
        (2, 1, 0, 2),
        "{s:?}"
    );
}

/// Waits until Redis stops answering `PING` within 100 ms on `probe`, a connection
/// opened before the `DEBUG SLEEP` (a new one could not be opened during it).
fn wait_until_asleep(probe: &mut redis::Connection) {
    probe
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while redis::cmd("PING").query::<String>(probe).is_ok() {
        assert!(Instant::now() < deadline, "DEBUG SLEEP never began");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sleeping_redis_hits_the_call_deadline() {
    let Some(server) = start_or_skip("a_sleeping_redis_hits_the_call_deadline") else {
        return;
    };
    // A 250 ms deadline: past any answer of a loaded test machine, far below the sleep.
    let closed_config = FleetConfig::new(5, MINUTE)
        .unwrap()
        .with_call_timeout(Duration::from_millis(250))
        .unwrap()
        .with_failure_policy(FailurePolicy::FailClosed)
        .with_retry_cooldown(Duration::from_millis(100))
        .unwrap();
    let open_config = closed_config
        .clone()
        .with_failure_policy(FailurePolicy::FailOpen);
    let closed = Arc::new(fleet(&server, closed_config.clone(), None).await);
    let open = Arc::new(fleet(&server, open_config, Some(local(5, MINUTE))).await);
    assert!(closed.check(1).await.is_ok() && open.check(2).await.is_ok());

    let mut sleeper = server.admin().unwrap();
    let mut probe = server.admin().unwrap();
    let asleep = std::thread::spawn(move || {
        let _: redis::RedisResult<()> = redis::cmd("DEBUG").arg("SLEEP").arg(2).query(&mut sleeper);
    });
    wait_until_asleep(&mut probe);
    // Concurrent checks during the sleep: each ends by the call deadline.
    let mut tasks = Vec::new();
    for key in 0..16u64 {
        let (closed, open) = (Arc::clone(&closed), Arc::clone(&open));
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let c = closed.check(100 + key).await;
            let tc = t.elapsed();
            let t = Instant::now();
            let o = open.check(200 + key).await;
            (c, tc, o, t.elapsed())
        }));
    }
    let mut slowest = Duration::ZERO;
    for task in tasks {
        let (c, tc, o, to) = task.await.unwrap();
        assert!(matches!(c, Err(FleetRefusal::Unavailable(_))), "{c:?}");
        assert!(
            o.is_ok(),
            "fail-open must answer from the local tier: {o:?}"
        );
        slowest = slowest.max(tc).max(to);
    }
    let (sc, so) = (closed.stats(), open.stats());
    println!("during DEBUG SLEEP 2: slowest of 32 checks {slowest:?}; closed {sc:?}; open {so:?}");
    assert!(slowest < closed_config.call_timeout() + closed_config.connect_timeout() + MARGIN);
    assert!(sc.timeouts >= 1 && so.timeouts >= 1, "{sc:?} {so:?}");
    assert_eq!((sc.failed_closed, so.failed_open), (16, 16));
    asleep.join().unwrap();

    // Awake again: once the cooldown has passed, checks are Redis's again.
    let deadline = Instant::now() + Duration::from_secs(10);
    while closed.check(1).await.is_err() {
        assert!(Instant::now() < deadline, "{:?}", closed.stats());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_million_keys_leave_nothing_after_the_window() {
    const KEYS: u64 = 1_000_000;
    const TASKS: u64 = 8;
    const BATCH: usize = jwsgate::limits::MAX_FLEET_BATCH;
    let Some(server) = start_or_skip("a_million_keys_leave_nothing_after_the_window") else {
        return;
    };
    let config = FleetConfig::new(5, Duration::from_secs(1))
        .unwrap()
        .with_failure_policy(FailurePolicy::FailClosed)
        .with_call_timeout(Duration::from_secs(5))
        .unwrap();
    let mut instances = Vec::new();
    for _ in 0..4 {
        instances.push(Arc::new(fleet(&server, config.clone(), None).await));
    }
    let start = Instant::now();
    // Pipelines of MAX_FLEET_BATCH checks, several in flight on each connection.
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let fleet = Arc::clone(&instances[(t % 4) as usize]);
        tasks.push(tokio::spawn(async move {
            let mut admitted = 0u64;
            let mut batch = Vec::with_capacity(BATCH);
            let mut key = t;
            while key < KEYS {
                // Distinct keys, spread over the whole 64-bit range.
                batch.push(key.wrapping_mul(0x9e37_79b9_7f4a_7c15));
                key += TASKS;
                if batch.len() == BATCH || key >= KEYS {
                    let answers = fleet.check_many(&batch).await;
                    admitted += answers.iter().filter(|a| a.is_ok()).count() as u64;
                    batch.clear();
                }
            }
            admitted
        }));
    }
    let mut admitted = 0;
    for task in tasks {
        admitted += task.await.unwrap();
    }
    let took = start.elapsed();
    let mut admin = server.admin().unwrap();
    let peak: u64 = redis::cmd("DBSIZE").query(&mut admin).unwrap();
    assert_eq!(admitted, KEYS, "every first check of a key is admitted");
    // Each key's TTL was one interval (200 ms): after the window Redis must drop them.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut left: u64;
    loop {
        left = redis::cmd("DBSIZE").query(&mut admin).unwrap();
        if left == 0 || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let info: String = redis::cmd("INFO").arg("all").query(&mut admin).unwrap();
    let field = |name: &str| {
        info.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or("?")
            .trim()
            .to_owned()
    };
    let used = format!(
        "{}; {}",
        field("used_memory_human:"),
        field("cmdstat_evalsha:")
    );
    println!(
        "1,000,000 keys through 4 limiters (check_many, 8 tasks) in {took:?} ({:.0} checks/s); DBSIZE right after: \
         {peak}; {:?} after the end: {left}; {used}",
        KEYS as f64 / took.as_secs_f64(),
        start.elapsed() - took
    );
    assert!(peak <= KEYS, "{peak}");
    assert_eq!(left, 0, "keys outlived their TTL");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_answers_as_single_checks_would() {
    let Some(server) = start_or_skip("a_batch_answers_as_single_checks_would") else {
        return;
    };
    let config = test_config(2, MINUTE);
    // The local tier admits 3 per key: the third check of a key is the fleet's refusal,
    // the fourth the local tier's.
    let fleet = fleet(&server, config, Some(local(3, MINUTE))).await;
    let answers = fleet.check_many(&[1, 2, 1, 1, 2, 1, 3]).await;
    let shape: Vec<Result<u32, u64>> = answers
        .iter()
        .map(|a| a.map(|ok| ok.remaining()).map_err(|r| r.retry_after_secs()))
        .collect();
    assert_eq!(shape, [Ok(1), Ok(1), Ok(0), Err(30), Ok(0), Err(20), Ok(1)]);
    let s = fleet.stats();
    // Key 1's fourth check never left the process.
    assert_eq!((s.local_refusals, s.redis_answers), (1, 6), "{s:?}");
    assert!(fleet.check_many(&[]).await.is_empty());
    // Longer than one pipeline: split, answered in order. (No local tier here: its
    // table's slot collisions would refuse some keys early, as they may.)
    // A generous deadline: 1024 scripts on a loaded test machine can take over 50 ms,
    // and a fail-open answer (remaining 0, counted) must not pass for Redis's.
    let config = test_config(2, MINUTE)
        .with_call_timeout(Duration::from_secs(5))
        .unwrap();
    let fleet = self::fleet(&server, config, None).await;
    let keys: Vec<u64> = (0..jwsgate::limits::MAX_FLEET_BATCH as u64 * 2 + 5)
        .map(|k| 1000 + k / 2)
        .collect();
    let answers = fleet.check_many(&keys).await;
    assert_eq!(answers.len(), keys.len());
    for (n, answer) in answers.iter().enumerate() {
        assert_eq!(answer.map(|a| a.remaining()), Ok(1 - (n % 2) as u32), "{n}");
    }
    let s = fleet.stats();
    assert_eq!(
        (s.redis_failures, s.redis_answers),
        (0, keys.len() as u64),
        "{s:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_attempts_are_limited_fleet_wide() {
    use jwsgate::authn::{FailureLimiter, LimitKeys};
    use jwsgate::fingerprint::fingerprint;
    let Some(server) = start_or_skip("failed_attempts_are_limited_fleet_wide") else {
        return;
    };
    // Two instances of a server, each with its own limiter and connections.
    let a = FleetFailureLimiter::connect(&url(&server), FailurePolicy::FailOpen)
        .await
        .unwrap();
    let b = FleetFailureLimiter::connect(&url(&server), FailurePolicy::FailOpen)
        .await
        .unwrap();
    let ip = "192.0.2.9".parse().unwrap();
    let keys = LimitKeys::new(Some(fingerprint(b"forged.token.sig")), Some(ip));
    // Ten failures alternate between the instances: each saw only five.
    for n in 0..10 {
        let instance = if n % 2 == 0 { &a } else { &b };
        assert_eq!(instance.check(&keys).await, Ok(()), "attempt {n}");
        instance.record_failure(&keys).await;
    }
    // The 11th attempt is refused by whichever instance gets it, with one Retry-After.
    for instance in [&a, &b] {
        let refused = instance.check(&keys).await.unwrap_err();
        assert_eq!(refused.status(), 429);
        assert_eq!(refused.retry_after_secs(), Some(6), "{refused:?}");
    }
    // The address has 90 failures left: another token from it still gets through.
    let other = LimitKeys::new(Some(fingerprint(b"another.token.sig")), Some(ip));
    assert_eq!(b.check(&other).await, Ok(()));
    // Redis holds the token's key and the address's key; the checks wrote nothing.
    let mut admin = server.admin().unwrap();
    let keys_in_redis: u64 = redis::cmd("DBSIZE").query(&mut admin).unwrap();
    assert_eq!(keys_in_redis, 2);
    // One limiter's two limits may not share a prefix.
    let config = test_config(1, MINUTE);
    let one = FleetLimiter::<InstantClock>::new(&url(&server), config.clone(), None).unwrap();
    let two = FleetLimiter::<InstantClock>::new(&url(&server), config, None).unwrap();
    assert!(FleetFailureLimiter::from_limiters(one, two).is_err());
}
