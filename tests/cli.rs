//! The `jwsgate` binary against its contract, `../shared/CLI.md`: every exit status,
//! every error code with its status, standard input, configuration errors found before
//! the token is read, the shape of the output, the development commands and their
//! production guard. Tokens are crafted with ring directly (here and in the fixture crate
//! `support/fixtures`), so a bug in `jwsgate sign` cannot hide one in `verify`.
#![cfg(feature = "cli")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jwsgate::{Algorithm, KeyKind};
use jwsgate_fixtures::{Fixture, b64};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{self as rsig, KeyPair};
use simd_json::prelude::*;

const BIN: &str = env!("CARGO_BIN_EXE_jwsgate");
const ISS: &str = "https://issuer.example";
const AUD: &str = "api://orders";
/// The instant every `--now` in these tests judges time claims at.
const NOW: u64 = 1_800_000_000;

// ---------------------------------------------------------------------------------------
// harness

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    /// The one JSON line on stdout, parsed.
    fn json(&self) -> simd_json::OwnedValue {
        assert!(
            self.stdout.ends_with('\n') && self.stdout.matches('\n').count() == 1,
            "stdout must be exactly one line: {:?}",
            self.stdout
        );
        let mut bytes = self.stdout.trim_end().as_bytes().to_vec();
        simd_json::to_owned_value(&mut bytes).expect("stdout is JSON")
    }

    /// Exit 1 with `{"valid":false,"error":code,"status":status}` and nothing else.
    fn assert_refused(&self, code: &str, status: u64) {
        assert_eq!(
            self.code, 1,
            "{code}: stdout {} stderr {}",
            self.stdout, self.stderr
        );
        let v = self.json();
        assert_eq!(v.get("valid").and_then(|v| v.as_bool()), Some(false));
        assert_eq!(
            v.get("error").and_then(|v| v.as_str()),
            Some(code),
            "{}",
            self.stdout
        );
        assert_eq!(v.get("status").and_then(|v| v.as_u64()), Some(status));
        assert_eq!(v.as_object().map(|o| o.len()), Some(3), "{}", self.stdout);
    }

    /// Exit 0 and `{"valid":true,...}`; returns the parsed object.
    fn assert_valid(&self) -> simd_json::OwnedValue {
        assert_eq!(
            self.code, 0,
            "stdout {} stderr {}",
            self.stdout, self.stderr
        );
        let v = self.json();
        assert_eq!(v.get("valid").and_then(|v| v.as_bool()), Some(true));
        v
    }

    /// Exit 2, a message on stderr, nothing on stdout.
    fn assert_usage(&self) {
        assert_eq!(
            self.code, 2,
            "stdout {} stderr {}",
            self.stdout, self.stderr
        );
        assert!(
            self.stdout.is_empty(),
            "stdout must be empty: {}",
            self.stdout
        );
        assert!(!self.stderr.trim().is_empty(), "stderr must say why");
    }
}

fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("ENVIRONMENT")
        .env_remove("APP_ENV")
        .env_remove("K_SERVICE")
        .env_remove("CLOUD_RUN_JOB")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .env_remove("AWS_LAMBDA_FUNCTION_NAME")
        .env_remove("FLY_APP_NAME");
    cmd
}

/// Runs the binary; `stdin` of `None` is /dev/null (immediate end of input).
fn run(args: &[&str], stdin: Option<&[u8]>) -> Out {
    run_cmd(command(args), stdin)
}

fn run_cmd(mut cmd: Command, stdin: Option<&[u8]>) -> Out {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = cmd.spawn().expect("spawn jwsgate");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        // The binary may exit without reading (configuration errors): ignore EPIPE.
        let _ = pipe.write_all(input);
    }
    let out = child.wait_with_output().expect("wait");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs with standard input open and never written nor closed: a run that tried to read
/// the token would hang, so exiting proves the token was never read.
fn run_with_stdin_held_open(args: &[&str]) -> Out {
    let mut child = command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let held = child.stdin.take();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if child.try_wait().expect("try_wait").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!(
                "jwsgate waited on standard input: it read the token before checking the configuration"
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(held);
    let out = child.wait_with_output().expect("wait");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("utf-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn tmpdir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path.to_str().expect("utf-8 path").to_owned()
}

// ---------------------------------------------------------------------------------------
// keys and tokens, made with ring

/// An HMAC secret (random, 32 bytes) written as a raw file and as an `oct` JWK.
struct Hmac {
    secret: Vec<u8>,
    raw: String,
    jwk: String,
}

fn hmac(dir: &Path, len: usize) -> Hmac {
    let mut secret = vec![0u8; len];
    SystemRandom::new().fill(&mut secret).expect("rng");
    let raw = write(dir, &format!("hmac{len}.bin"), &secret);
    let jwk = write(
        dir,
        &format!("hmac{len}.jwk"),
        format!(r#"{{"kty":"oct","k":"{}"}}"#, b64(&secret)).as_bytes(),
    );
    Hmac { secret, raw, jwk }
}

fn hs_token(secret: &[u8], alg: ring::hmac::Algorithm, header: &str, payload: &[u8]) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload));
    let tag = ring::hmac::sign(&ring::hmac::Key::new(alg, secret), input.as_bytes());
    format!("{input}.{}", b64(tag.as_ref()))
}

fn hs256(secret: &[u8], header: &str, payload: &str) -> String {
    hs_token(secret, ring::hmac::HMAC_SHA256, header, payload.as_bytes())
}

/// A fresh P-256 key pair, its JWK Set (kid `k1`), its JWK and its SPKI PEM, as files.
struct Ec {
    keys: Fixture,
    jwks: String,
    pem: String,
    jwk: String,
}

fn ec(dir: &Path) -> Ec {
    let keys = Fixture::fresh();
    let jwk = keys.jwk_with_kid(KeyKind::EcP256, "k1");
    let jwks = format!(r#"{{"keys":[{jwk}]}}"#);
    Ec {
        jwks: write(dir, "jwks.json", jwks.as_bytes()),
        jwk: write(dir, "key.jwk", jwk.as_bytes()),
        pem: write(dir, "key.pem", keys.pem(KeyKind::EcP256).as_bytes()),
        keys,
    }
}

fn es256(k: &Ec, header: &str, payload: &str) -> String {
    k.keys.token(Algorithm::ES256, header, payload.as_bytes())
}

/// Claims that pass the default policy at [`NOW`], with `extra` members appended.
fn claims(extra: &str) -> String {
    format!(
        r#"{{"iss":"{ISS}","aud":"{AUD}","exp":{},"sub":"u1"{extra}}}"#,
        NOW + 600
    )
}

const HS: &str = r#"{"alg":"HS256","typ":"JWT"}"#;
const NOW_S: &str = "1800000000";

/// The issuer and audience decisions most runs make.
const POLICY: [&str; 4] = ["--issuer", ISS, "--audience", AUD];

/// `verify <source> <key> --issuer ISS --audience AUD <rest>`: the arguments most verify
/// runs share; `rest` is what a test changes (`--now`, other flags, the token).
fn verify_args<'a>(source: &'a str, key: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["verify", source, key];
    args.extend(POLICY);
    args.extend_from_slice(rest);
    args
}

/// `verify <source> <key> --issuer ISS --audience AUD --now NOW <extra> <token>`.
fn verify_now(source: &str, key: &str, extra: &[&str], token: &str) -> Out {
    let mut rest = vec!["--now", NOW_S];
    rest.extend_from_slice(extra);
    rest.push(token);
    run(&verify_args(source, key, &rest), None)
}

/// [`verify_now`] with the raw HMAC secret of `h`.
fn verify_hs(h: &Hmac, extra: &[&str], token: &str) -> Out {
    verify_now("--hmac-key", &h.raw, extra, token)
}

// ---------------------------------------------------------------------------------------
// exit 0: valid tokens, every key-source form

#[test]
fn valid_hmac_token_from_raw_bytes_and_from_jwk() {
    let dir = tmpdir("valid-hmac");
    let h = hmac(&dir, 32);
    let token = hs256(&h.secret, HS, &claims(""));
    let v = verify_hs(&h, &[], &token).assert_valid();
    assert_eq!(v.get("alg").and_then(|v| v.as_str()), Some("HS256"));
    verify_now("--hmac-key", &h.jwk, &[], &token).assert_valid();
}

#[test]
fn raw_hmac_key_bytes_are_used_untrimmed() {
    let dir = tmpdir("untrimmed");
    let h = hmac(&dir, 32);
    let mut with_newline = h.secret.clone();
    with_newline.push(b'\n');
    let path = write(&dir, "nl.bin", &with_newline);
    let args = |token: &str| verify_now("--hmac-key", &path, &[], token);
    let out = args(&hs256(&h.secret, HS, &claims("")));
    out.assert_refused("invalid_signature", 401);
    assert!(out.stderr.contains("newline"), "{}", out.stderr);
    args(&hs256(&with_newline, HS, &claims(""))).assert_valid();
}

#[test]
fn valid_es256_token_from_jwks_jwk_and_pem() {
    let dir = tmpdir("valid-ec");
    let k = ec(&dir);
    let token = es256(&k, r#"{"alg":"ES256","kid":"k1"}"#, &claims(""));
    for (flag, path) in [("--jwks", &k.jwks), ("--public-key", &k.jwk)] {
        let v = verify_now(flag, path, &[], &token).assert_valid();
        assert_eq!(v.get("alg").and_then(|v| v.as_str()), Some("ES256"));
        assert_eq!(v.get("kid").and_then(|v| v.as_str()), Some("k1"));
    }
    // A PEM key has no kid: a token without one selects it.
    let no_kid = es256(&k, r#"{"alg":"ES256"}"#, &claims(""));
    verify_now("--public-key", &k.pem, &[], &no_kid).assert_valid();
    // One key, nothing to select: the PEM key has no kid, so the token's kid is ignored.
    verify_now("--public-key", &k.pem, &[], &token).assert_valid();
}

#[test]
fn policy_flags_map_to_the_builder() {
    let dir = tmpdir("policy");
    let h = hmac(&dir, 32);
    let header = r#"{"alg":"HS256","typ":"at+jwt"}"#;
    let token = hs256(
        &h.secret,
        header,
        &format!(
            r#"{{"iss":"other","aud":["x","{AUD}"],"exp":{},"scope":"a b"}}"#,
            NOW + 600
        ),
    );
    let base = ["verify", "--hmac-key", h.raw.as_str(), "--now", NOW_S];
    let with = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        args.push(&token);
        run(&args, None)
    };
    // --no-issuer-check, a repeated --audience, --typ (with the application/ form),
    // repeated --require-scope, --alg.
    with(&[
        "--no-issuer-check",
        "--audience",
        "nope",
        "--audience",
        AUD,
        "--typ",
        "application/AT+JWT",
        "--require-scope",
        "a",
        "--require-scope",
        "b",
        "--alg",
        "HS256",
    ])
    .assert_valid();
    with(&["--issuer", "other", "--no-audience-check"]).assert_valid();
    // --leeway: exp at NOW+600 judged at NOW+650 passes with 60, fails with 0.
    let late = (NOW + 650).to_string();
    let mut args = vec!["verify", "--hmac-key", &h.raw, "--no-issuer-check"];
    args.extend(["--no-audience-check", "--now", &late]);
    let mut lenient = args.clone();
    lenient.extend(["--leeway", "60", &token]);
    run(&lenient, None).assert_valid();
    let mut strict = args.clone();
    strict.extend(["--leeway", "0", &token]);
    run(&strict, None).assert_refused("expired", 401);
    // Without --now, the system clock: a token that expired in 1970 is refused.
    let old = hs256(&h.secret, HS, r#"{"exp":1000}"#);
    let mut clock = args[..5].to_vec();
    clock.push(&old);
    run(&clock, None).assert_refused("expired", 401);
}

// ---------------------------------------------------------------------------------------
// exit 1: every error code of CLI.md with its status

#[test]
fn every_error_code_with_its_status() {
    let dir = tmpdir("codes");
    let h = hmac(&dir, 32);
    let k = ec(&dir);
    let good = hs256(&h.secret, HS, &claims(""));

    // malformed: not three segments; bad base64url; header not JSON; duplicate names.
    verify_hs(&h, &[], "a.b").assert_refused("malformed", 401);
    verify_hs(&h, &[], "a*.b.c").assert_refused("malformed", 401);
    let not_json = format!("{}.{}.AAAA", b64(b"not json"), b64(b"{}"));
    verify_hs(&h, &[], &not_json).assert_refused("malformed", 401);
    let dup = hs256(&h.secret, r#"{"alg":"HS256","alg":"HS256"}"#, &claims(""));
    verify_hs(&h, &[], &dup).assert_refused("malformed", 401);
    // ... and a payload that is not JSON, found after the signature verified.
    let bad_payload = hs256(&h.secret, HS, "not json");
    verify_hs(&h, &[], &bad_payload).assert_refused("malformed", 401);

    // token_too_large
    verify_hs(&h, &["--max-token-bytes", "64"], &good).assert_refused("token_too_large", 401);

    // unsupported_algorithm: none (any spelling), unknown, missing.
    for header in [
        r#"{"alg":"none"}"#,
        r#"{"alg":"nOnE"}"#,
        r#"{"alg":"HS257"}"#,
        r#"{"typ":"JWT"}"#,
    ] {
        let t = format!("{}.{}.", b64(header.as_bytes()), b64(claims("").as_bytes()));
        verify_hs(&h, &[], &t).assert_refused("unsupported_algorithm", 401);
    }

    // algorithm_not_allowed: an ES256 token at an HMAC source; an HS256 token at a
    // verifier allowing HS384 only (the secret is long enough for it).
    let es = es256(&k, r#"{"alg":"ES256","kid":"k1"}"#, &claims(""));
    verify_hs(&h, &[], &es).assert_refused("algorithm_not_allowed", 401);
    let h64 = hmac(&dir, 64);
    let t = hs256(&h64.secret, HS, &claims(""));
    verify_hs(&h64, &["--alg", "HS384"], &t).assert_refused("algorithm_not_allowed", 401);

    // unsupported_header: crit, b64:false, zip.
    for header in [
        r#"{"alg":"HS256","crit":["exp"],"exp":1}"#,
        r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#,
        r#"{"alg":"HS256","zip":"DEF"}"#,
    ] {
        let t = hs256(&h.secret, header, &claims(""));
        verify_hs(&h, &[], &t).assert_refused("unsupported_header", 401);
    }

    // unknown_key: a kid the JWK Set does not hold.
    let t = es256(&k, r#"{"alg":"ES256","kid":"k2"}"#, &claims(""));
    verify_now("--jwks", &k.jwks, &[], &t).assert_refused("unknown_key", 401);

    // invalid_signature: a flipped signature byte, a truncated signature, another secret.
    let mut flipped = good.clone().into_bytes();
    let last = flipped.len() - 2;
    flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    verify_hs(&h, &[], &flipped).assert_refused("invalid_signature", 401);
    verify_hs(&h, &[], &good[..good.len() - 4]).assert_refused("invalid_signature", 401);
    let other = hmac(&tmpdir("codes-other"), 32);
    let t = hs256(&other.secret, HS, &claims(""));
    verify_hs(&h, &[], &t).assert_refused("invalid_signature", 401);

    // invalid_type
    verify_hs(&h, &["--typ", "at+jwt"], &good).assert_refused("invalid_type", 401);

    // expired, not_yet_valid, invalid_claim (iat in the future; exp not a number).
    let t = hs256(
        &h.secret,
        HS,
        &format!(r#"{{"iss":"{ISS}","aud":"{AUD}","exp":{}}}"#, NOW - 61),
    );
    verify_hs(&h, &[], &t).assert_refused("expired", 401);
    let t = hs256(&h.secret, HS, &claims(&format!(r#","nbf":{}"#, NOW + 61)));
    verify_hs(&h, &[], &t).assert_refused("not_yet_valid", 401);
    let t = hs256(&h.secret, HS, &claims(&format!(r#","iat":{}"#, NOW + 61)));
    verify_hs(&h, &[], &t).assert_refused("invalid_claim", 401);
    let t = hs256(
        &h.secret,
        HS,
        &format!(r#"{{"iss":"{ISS}","aud":"{AUD}","exp":"{}"}}"#, NOW + 600),
    );
    verify_hs(&h, &[], &t).assert_refused("invalid_claim", 401);

    // invalid_issuer, invalid_audience, missing_claim (exp, iss, aud).
    let t = hs256(
        &h.secret,
        HS,
        &format!(r#"{{"iss":"evil","aud":"{AUD}","exp":{}}}"#, NOW + 600),
    );
    verify_hs(&h, &[], &t).assert_refused("invalid_issuer", 401);
    let t = hs256(
        &h.secret,
        HS,
        &format!(r#"{{"iss":"{ISS}","aud":["a","b"],"exp":{}}}"#, NOW + 600),
    );
    verify_hs(&h, &[], &t).assert_refused("invalid_audience", 401);
    for payload in [
        format!(r#"{{"iss":"{ISS}","aud":"{AUD}"}}"#),
        format!(r#"{{"aud":"{AUD}","exp":{}}}"#, NOW + 600),
        format!(r#"{{"iss":"{ISS}","exp":{}}}"#, NOW + 600),
    ] {
        let t = hs256(&h.secret, HS, &payload);
        verify_hs(&h, &[], &t).assert_refused("missing_claim", 401);
    }

    // insufficient_scope: 403.
    let t = hs256(&h.secret, HS, &claims(r#","scope":"orders:read""#));
    verify_hs(&h, &["--require-scope", "orders:read"], &t).assert_valid();
    verify_hs(&h, &["--require-scope", "orders:write"], &t)
        .assert_refused("insufficient_scope", 403);

    // rate_limited (429) is server use only: the command line verifies one token per run
    // and has no rate limiter, so no run can produce it.
}

// ---------------------------------------------------------------------------------------
// exit 2: usage and configuration errors, before any token is read

#[test]
fn configuration_errors_exit_2_whatever_the_token() {
    let dir = tmpdir("config");
    let h = hmac(&dir, 32);
    let k = ec(&dir);
    let weak = write(&dir, "weak", b"secretsecretsecretsecretsecretsecret");
    let short = hmac(&dir, 16);
    let oct_set = write(
        &dir,
        "oct-set.json",
        format!(r#"{{"keys":[{{"kty":"oct","k":"{}"}}]}}"#, b64(&h.secret)).as_bytes(),
    );
    let garbage = write(&dir, "garbage", b"\x00\x01 this is not a key");
    let missing = dir.join("missing.json");
    let missing = missing.to_str().unwrap();

    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("weak HMAC secret", vec!["--hmac-key", &weak]),
        ("short HMAC secret", vec!["--hmac-key", &short.raw]),
        (
            "secret too short for --alg HS512",
            vec!["--hmac-key", &h.raw, "--alg", "HS512"],
        ),
        (
            "HMAC alg with --jwks",
            vec!["--jwks", &k.jwks, "--alg", "HS256"],
        ),
        (
            "HMAC alg with --public-key",
            vec!["--public-key", &k.pem, "--alg", "HS384"],
        ),
        (
            "asymmetric alg with --hmac-key",
            vec!["--hmac-key", &h.raw, "--alg", "ES256"],
        ),
        ("unknown alg", vec!["--jwks", &k.jwks, "--alg", "ES257"]),
        ("alg none", vec!["--jwks", &k.jwks, "--alg", "none"]),
        ("JWK Set holding an oct key", vec!["--jwks", &oct_set]),
        (
            "leeway over 120",
            vec!["--jwks", &k.jwks, "--leeway", "121"],
        ),
        ("negative leeway", vec!["--jwks", &k.jwks, "--leeway", "-1"]),
        (
            "zero max token bytes",
            vec!["--jwks", &k.jwks, "--max-token-bytes", "0"],
        ),
        ("no key source", vec![]),
        (
            "two key sources",
            vec!["--jwks", &k.jwks, "--hmac-key", &h.raw],
        ),
        ("unreadable JWK Set", vec!["--jwks", missing]),
        ("garbage JWK Set", vec!["--jwks", &garbage]),
        ("garbage public key", vec!["--public-key", &garbage]),
        ("unreadable HMAC key", vec!["--hmac-key", missing]),
        ("oct JWK as --public-key", vec!["--public-key", &h.jwk]),
        ("empty --typ", vec!["--jwks", &k.jwks, "--typ", ""]),
        (
            "scope with a space",
            vec!["--jwks", &k.jwks, "--require-scope", "a b"],
        ),
        ("unknown flag", vec!["--jwks", &k.jwks, "--frobnicate"]),
    ];
    for (what, source) in cases {
        for token in ["garbage", "-"] {
            let mut args = vec!["verify"];
            args.extend(&source);
            args.extend(POLICY);
            args.push(token);
            // With `-`, stdin is held open: a run that read it would hang.
            let out = if token == "-" {
                run_with_stdin_held_open(&args)
            } else {
                run(&args, None)
            };
            assert_eq!(out.code, 2, "{what}: {}", out.stderr);
            out.assert_usage();
        }
    }

    // The issuer and audience decisions are required (each, and not both ways).
    for policy in [
        vec!["--audience", AUD],
        vec!["--issuer", ISS],
        vec!["--issuer", ISS, "--no-issuer-check", "--audience", AUD],
        vec!["--issuer", ISS, "--audience", AUD, "--no-audience-check"],
    ] {
        let mut args = vec!["verify", "--jwks", &k.jwks];
        args.extend(&policy);
        args.push("garbage");
        run(&args, None).assert_usage();
    }
}

#[test]
fn leeway_over_120_with_a_token_on_stdin_exits_2_without_reading_it() {
    let dir = tmpdir("leeway-stdin");
    let h = hmac(&dir, 32);
    let out = run_with_stdin_held_open(&verify_args("--hmac-key", &h.raw, &["--leeway", "121"]));
    out.assert_usage();
    assert!(out.stderr.contains("120"), "{}", out.stderr);
}

#[test]
fn jwks_urls_off_the_rules_are_refused_before_any_connection() {
    let dir = tmpdir("urls");
    let h = hmac(&dir, 32);
    let token = hs256(&h.secret, HS, &claims(""));
    // No https:// URL here: it would resolve a name. Fetching is tested on loopback below.
    let cases: [(&str, &[&str], &str); 6] = [
        ("https://user@127.0.0.1:9/jwks.json", &[], "user info"),
        ("http://issuer.example/jwks.json", &[], "loopback"),
        (
            "http://127.0.0.1@issuer.example/jwks",
            &["--allow-insecure-loopback"],
            "loopback",
        ),
        (
            "http://127.0.0.1:9/jwks.json",
            &[],
            "--allow-insecure-loopback",
        ),
        (
            "http://[::1]:9/jwks.json",
            &["--allow-insecure-loopback"],
            "connect",
        ),
        ("ftp://127.0.0.1/jwks.json", &[], "scheme"),
    ];
    for (url, extra, says) in cases {
        let mut args = vec!["verify", "--jwks", url];
        args.extend(extra);
        args.extend(POLICY);
        args.push(&token);
        let out = run(&args, None);
        out.assert_usage();
        assert!(out.stderr.contains(says), "{url}: {}", out.stderr);
    }
}

use jwsgate_fixtures::jwks_server;

#[test]
fn jwks_url_on_loopback_is_fetched_once_then_the_token_verified() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(jwks_server::JwksServer::http());
    let dir = tmpdir("remote-jwks");
    let k = ec(&dir);
    server.set_body(std::fs::read_to_string(&k.jwks).unwrap());
    let token = es256(&k, r#"{"alg":"ES256","kid":"k1"}"#, &claims(""));
    let url = server.url("/jwks.json");
    let verify = |extra: &[&str], token: &str| {
        let mut args = vec!["verify", "--jwks", &url];
        args.extend(extra);
        args.extend(["--issuer", ISS, "--audience", AUD, "--now", NOW_S, token]);
        run(&args, None)
    };
    let v = verify(&["--allow-insecure-loopback"], &token).assert_valid();
    assert_eq!(v.get("kid").and_then(|v| v.as_str()), Some("k1"));
    assert_eq!(server.requests(), 1, "one fetch");
    let other = es256(&k, r#"{"alg":"ES256","kid":"k2"}"#, &claims(""));
    verify(&["--allow-insecure-loopback"], &other).assert_refused("unknown_key", 401);
    assert_eq!(
        server.requests(),
        2,
        "one fetch per run, none for the unknown kid"
    );
    // Without the opt-in: refused before connecting.
    let out = verify(&[], &token);
    out.assert_usage();
    assert!(
        out.stderr.contains("--allow-insecure-loopback"),
        "{}",
        out.stderr
    );
    assert_eq!(server.requests(), 2);
    // A failed fetch is exit 2, whatever the token.
    server.set_behaviour(jwks_server::Behaviour::Status(500));
    let out = verify(&["--allow-insecure-loopback"], &token);
    out.assert_usage();
    assert!(out.stderr.contains("500"), "{}", out.stderr);
    server.set_behaviour(jwks_server::Behaviour::Redirect(server.url("/elsewhere")));
    let out = verify(&["--allow-insecure-loopback"], &token);
    out.assert_usage();
    assert!(out.stderr.contains("redirect"), "{}", out.stderr);
    assert!(!server.recorded().iter().any(|r| r.path == "/elsewhere"));
    // An oct key in the fetched set is a configuration error too.
    server.set_behaviour(jwks_server::Behaviour::Serve);
    server.set_body(r#"{"keys":[{"kty":"oct","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"}]}"#);
    verify(&["--allow-insecure-loopback"], &token).assert_usage();
}

// ---------------------------------------------------------------------------------------
// standard input

#[test]
fn token_from_stdin_trimmed_with_dash_or_absent() {
    let dir = tmpdir("stdin");
    let h = hmac(&dir, 32);
    let token = hs256(&h.secret, HS, &claims(""));
    let base = verify_args("--hmac-key", &h.raw, &["--now", NOW_S]);
    let padded = format!(" \n\t{token}\r\n\n");
    run(&base, Some(padded.as_bytes())).assert_valid();
    let dash = verify_args("--hmac-key", &h.raw, &["--now", NOW_S, "-"]);
    run(&dash, Some(padded.as_bytes())).assert_valid();
    // A refused token on stdin is exit 1 like any other.
    run(&dash, Some(b"x.y.z\n")).assert_refused("malformed", 401);
    // Empty (or only white space) standard input is a usage error.
    run(&base, None).assert_usage();
    run(&dash, Some(b" \n\t\n")).assert_usage();
}

// ---------------------------------------------------------------------------------------
// output shape

#[test]
fn output_is_one_line_kid_null_claims_only_when_valid() {
    let dir = tmpdir("shape");
    let h = hmac(&dir, 32);
    // No kid: null. Claims are the signed object, white space between tokens removed, so
    // a pretty-printed payload still gives one line; string contents are kept as signed.
    let pretty = format!(
        "{{\n  \"iss\": \"{ISS}\",\n  \"aud\": \"{AUD}\",\n  \"exp\": {},\n  \"note\": \"a  b\\nc\",\n  \"n\": 1.50\n}}\n",
        NOW + 600
    );
    let t = hs256(&h.secret, HS, &pretty);
    let out = verify_hs(&h, &[], &t);
    let v = out.assert_valid();
    let o = v.as_object().unwrap();
    assert_eq!(o.len(), 4, "valid, alg, kid, claims: {}", out.stdout);
    assert!(v.get("kid").unwrap().is_null());
    assert!(out.stdout.contains(r#""kid":null"#));
    let claims_json = format!(
        r#""claims":{{"iss":"{ISS}","aud":"{AUD}","exp":{},"note":"a  b\nc","n":1.50}}}}"#,
        NOW + 600
    );
    assert!(
        out.stdout.ends_with(&format!("{claims_json}\n")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .starts_with(r#"{"valid":true,"alg":"HS256","kid":null,"claims":"#)
    );

    // A kid with quotes, a backslash and a newline is escaped onto the one line.
    let header = r#"{"alg":"HS256","kid":"a\"b\\c\nd"}"#;
    let t = hs256(&h.secret, header, &claims(""));
    let out = verify_hs(&h, &[], &t);
    let v = out.assert_valid();
    assert_eq!(v.get("kid").and_then(|k| k.as_str()), Some("a\"b\\c\nd"));

    // Refused: no claims, no alg, no kid.
    let t = hs256(&h.secret, HS, &claims(r#","scope":"x""#));
    let out = verify_hs(&h, &["--require-scope", "y"], &t);
    out.assert_refused("insufficient_scope", 403);
    assert!(!out.stdout.contains("claims"));
    assert_eq!(
        out.stdout,
        "{\"valid\":false,\"error\":\"insufficient_scope\",\"status\":403}\n"
    );
}

// ---------------------------------------------------------------------------------------
// verify-jws

#[test]
fn verify_jws_checks_the_signature_only_and_prints_the_payload() {
    let dir = tmpdir("jws");
    let h = hmac(&dir, 32);
    let k = ec(&dir);
    let payload: &[u8] = b"\x00\xffnot JSON at all\n";
    let t = hs_token(
        &h.secret,
        ring::hmac::HMAC_SHA256,
        r#"{"alg":"HS256"}"#,
        payload,
    );
    let out = run(&["verify-jws", "--hmac-key", &h.raw, &t], None);
    let v = out.assert_valid();
    assert_eq!(
        v.get("payload_b64").and_then(|p| p.as_str()),
        Some(b64(payload).as_str())
    );
    assert!(v.get("kid").unwrap().is_null());
    assert!(v.get("claims").is_none());

    // No claims policy: an expired JWT's signature still verifies.
    let expired = es256(&k, r#"{"alg":"ES256","kid":"k1"}"#, r#"{"exp":1}"#);
    let v = run(&["verify-jws", "--jwks", &k.jwks], Some(expired.as_bytes())).assert_valid();
    assert_eq!(v.get("kid").and_then(|k| k.as_str()), Some("k1"));
    // --alg restricts it (with a set that also holds an Ed25519 key, so that --alg EdDSA
    // is a configuration that can verify something; with the P-256 key alone it exits 2).
    let ed = rsig::Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).expect("ed25519");
    let ed = rsig::Ed25519KeyPair::from_pkcs8(ed.as_ref()).expect("ed25519");
    let p256_jwk = std::fs::read_to_string(&k.jwk).expect("jwk");
    let both = write(
        &dir,
        "both.json",
        format!(
            r#"{{"keys":[{p256_jwk},{{"kty":"OKP","crv":"Ed25519","kid":"e1","x":"{}"}}]}}"#,
            b64(ed.public_key().as_ref())
        )
        .as_bytes(),
    );
    run(
        &["verify-jws", "--jwks", &both, "--alg", "EdDSA", &expired],
        None,
    )
    .assert_refused("algorithm_not_allowed", 401);
    run(
        &["verify-jws", "--jwks", &k.jwks, "--alg", "EdDSA", &expired],
        None,
    )
    .assert_usage();
    run(
        &["verify-jws", "--jwks", &k.jwks, "--alg", "HS256", &expired],
        None,
    )
    .assert_usage();
    // A bad signature is refused.
    let bad = format!("{}AAAA", &expired[..expired.len() - 4]);
    run(&["verify-jws", "--jwks", &k.jwks, &bad], None).assert_refused("invalid_signature", 401);

    // Detached payload (RFC 7515 Appendix F): the payload segment is empty.
    let content = b"detached content \x01\x02";
    let header = b64(br#"{"alg":"ES256","kid":"k1"}"#);
    let input = format!("{header}.{}", b64(content));
    let sig = k.keys.sign(Algorithm::ES256, input.as_bytes());
    let detached = format!("{header}..{}", b64(&sig));
    let file = write(&dir, "content.bin", content);
    let out = run(
        &[
            "verify-jws",
            "--jwks",
            &k.jwks,
            "--detached-payload",
            &file,
            &detached,
        ],
        None,
    );
    let v = out.assert_valid();
    assert_eq!(
        v.get("payload_b64").and_then(|p| p.as_str()),
        Some(b64(content).as_str())
    );
    let wrong = write(&dir, "wrong.bin", b"other content");
    run(
        &[
            "verify-jws",
            "--jwks",
            &k.jwks,
            "--detached-payload",
            &wrong,
            &detached,
        ],
        None,
    )
    .assert_refused("invalid_signature", 401);
    // A missing detached-payload file is a usage error, before the token is read.
    let missing = dir.join("missing.bin");
    let out = run_with_stdin_held_open(&[
        "verify-jws",
        "--jwks",
        &k.jwks,
        "--detached-payload",
        missing.to_str().unwrap(),
    ]);
    out.assert_usage();
    // Configuration errors exit 2 here too.
    let weak = write(&dir, "weak", b"passwordpasswordpasswordpassword");
    run(&["verify-jws", "--hmac-key", &weak, "garbage"], None).assert_usage();
    run(&["verify-jws", "garbage"], None).assert_usage();
}

// ---------------------------------------------------------------------------------------
// development commands

fn dev(args: &[&str]) -> Out {
    run(args, None)
}

#[test]
fn keygen_sign_verify_round_trip_for_every_algorithm_keygen_makes() {
    let dir = tmpdir("roundtrip");
    let d = dir.to_str().unwrap();
    let claims = format!(r#"{{"iss":"{ISS}","aud":"{AUD}","scope":"orders:read"}}"#);
    for (alg, bits) in [
        ("ES256", None),
        ("ES384", None),
        ("ES512", None),
        ("EdDSA", None),
        ("RS256", None),
        ("RS384", Some("3072")),
        ("RS512", Some("3072")),
        ("PS256", Some("2048")),
        ("PS384", None),
        ("PS512", None),
    ] {
        let kid = format!("kid-{alg}");
        let mut args = vec!["keygen", "--alg", alg, "--kid", &kid, "--out-dir", d];
        if let Some(bits) = bits {
            args.extend(["--rsa-bits", bits]);
        }
        let out = dev(&args);
        assert_eq!(out.code, 0, "{alg}: {}", out.stderr);
        assert!(out.stderr.contains("DEVELOPMENT"), "keygen must warn");
        let key = dir.join(format!("{kid}.pem"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{alg} private key mode");
        }
        let out = dev(&[
            "sign",
            "--key",
            key.to_str().unwrap(),
            "--alg",
            alg,
            "--kid",
            &kid,
            "--claims",
            &claims,
            "--expires-in",
            "600",
        ]);
        assert_eq!(out.code, 0, "{alg}: {}", out.stderr);
        assert!(out.stderr.contains("DEVELOPMENT"), "sign must warn");
        let token = out.stdout.trim();
        let jwks = dir.join("jwks.json");
        let scope = ["--require-scope", "orders:read", token];
        let out = run(&verify_args("--jwks", jwks.to_str().unwrap(), &scope), None);
        let v = out.assert_valid();
        assert_eq!(v.get("alg").and_then(|a| a.as_str()), Some(alg));
        assert_eq!(v.get("kid").and_then(|k| k.as_str()), Some(kid.as_str()));
        let exp = v
            .get("claims")
            .and_then(|c| c.get("exp"))
            .and_then(|e| e.as_u64());
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(
            exp.is_some_and(|e| e >= now + 590 && e <= now + 610),
            "{exp:?}"
        );
    }
    for alg in ["HS256", "HS384", "HS512"] {
        let sub = dir.join(alg);
        let out = dev(&[
            "keygen",
            "--alg",
            alg,
            "--kid",
            "h",
            "--out-dir",
            sub.to_str().unwrap(),
        ]);
        assert_eq!(out.code, 0, "{alg}: {}", out.stderr);
        assert!(
            !sub.join("jwks.json").exists(),
            "an HMAC secret is never published"
        );
        let key = sub.join("h.jwk");
        let key = key.to_str().unwrap();
        let out = dev(&[
            "sign",
            "--key",
            key,
            "--alg",
            alg,
            "--claims",
            &claims,
            "--expires-in",
            "60",
        ]);
        assert_eq!(out.code, 0, "{alg}: {}", out.stderr);
        let token = out.stdout.trim();
        let v = run(
            &verify_args("--hmac-key", key, &["--alg", alg, token]),
            None,
        )
        .assert_valid();
        // The kid of the HMAC JWK goes into the header.
        assert_eq!(v.get("kid").and_then(|k| k.as_str()), Some("h"));
    }
    // RSA keys are PKCS#8 PEM, in the JWK Set with the asked modulus size.
    let jwks: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("jwks.json")).unwrap()).unwrap();
    for (kid, bits) in [
        ("kid-RS256", 2048usize),
        ("kid-RS384", 3072),
        ("kid-PS512", 2048),
    ] {
        let pem = std::fs::read_to_string(dir.join(format!("{kid}.pem"))).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{kid}");
        let key = jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kid"] == kid)
            .unwrap();
        assert_eq!(key["kty"], "RSA");
        assert_eq!(key["e"], "AQAB");
        let n = key["n"].as_str().unwrap();
        // base64url without padding: 4 characters per 3 bytes.
        assert_eq!(n.len(), (bits / 8 * 4).div_ceil(3), "{kid}");
    }
    // keygen refuses an RSA size it does not make.
    let out = dev(&[
        "keygen",
        "--alg",
        "RS256",
        "--rsa-bits",
        "1024",
        "--out-dir",
        d,
    ]);
    out.assert_usage();
    assert!(out.stderr.contains("--rsa-bits"), "{}", out.stderr);
    // Never overwrites a key.
    let out = dev(&[
        "keygen",
        "--alg",
        "ES256",
        "--kid",
        "kid-ES256",
        "--out-dir",
        d,
    ]);
    out.assert_usage();
}

#[test]
fn sign_accepts_an_openssl_rsa_pkcs8_key() {
    // examples/dev-keys/rs256-dev.pem was made by
    // `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`.
    let key = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/dev-keys/rs256-dev.pem"
    );
    let dir = tmpdir("rsa");
    let jwks = dir.join("jwks.json");
    let jwks = jwks.to_str().unwrap();
    let claims = format!(r#"{{"iss":"{ISS}","aud":"{AUD}","exp":{}}}"#, NOW + 600);
    for alg in ["RS256", "PS256"] {
        let out = dev(&[
            "public-jwk",
            "--key",
            key,
            "--alg",
            alg,
            "--kid",
            alg,
            "--add-to",
            jwks,
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let out = dev(&[
            "sign", "--key", key, "--alg", alg, "--kid", alg, "--claims", &claims,
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let v = verify_now("--jwks", jwks, &[], out.stdout.trim()).assert_valid();
        assert_eq!(v.get("alg").and_then(|a| a.as_str()), Some(alg));
    }
}

#[test]
fn shipped_examples_verify() {
    let root = env!("CARGO_MANIFEST_DIR");
    let jwks = format!("{root}/examples/jwks.json");
    for (file, alg) in [
        ("es256", "ES256"),
        ("es384", "ES384"),
        ("es512", "ES512"),
        ("eddsa", "EdDSA"),
        ("rs256", "RS256"),
    ] {
        let token = std::fs::read(format!("{root}/examples/{file}.jwt")).unwrap();
        let v = run(&verify_args("--jwks", &jwks, &["-"]), Some(&token)).assert_valid();
        assert_eq!(v.get("alg").and_then(|a| a.as_str()), Some(alg));
    }
    let token = std::fs::read(format!("{root}/examples/hs256.jwt")).unwrap();
    let hmac = format!("{root}/examples/hmac.jwk");
    let args = verify_args("--hmac-key", &hmac, &["--typ", "at+jwt"]);
    run(&args, Some(&token)).assert_valid();
    // The README's refusals.
    let es = std::fs::read(format!("{root}/examples/es256.jwt")).unwrap();
    let args = [
        "verify",
        "--jwks",
        &jwks,
        "--issuer",
        ISS,
        "--audience",
        "api://billing",
        "-",
    ];
    run(&args, Some(&es)).assert_refused("invalid_audience", 401);
    let args = verify_args("--jwks", &jwks, &["--now", "4102444861", "-"]);
    run(&args, Some(&es)).assert_refused("expired", 401);
}

#[test]
fn development_commands_refuse_production_without_the_loud_flag() {
    let dir = tmpdir("guard");
    let d = dir.to_str().unwrap();
    let cases: [(&str, &str); 9] = [
        ("ENVIRONMENT", "production"),
        ("ENVIRONMENT", "PROD"),
        ("ENVIRONMENT", "Production"),
        ("APP_ENV", "prod"),
        ("K_SERVICE", "orders-api"),
        ("CLOUD_RUN_JOB", "nightly"),
        ("KUBERNETES_SERVICE_HOST", "10.0.0.1"),
        ("AWS_LAMBDA_FUNCTION_NAME", "orders"),
        ("FLY_APP_NAME", "orders"),
    ];
    for (name, value) in cases {
        for args in [
            vec!["keygen", "--alg", "ES256", "--out-dir", d],
            vec![
                "sign",
                "--key",
                "nonexistent",
                "--alg",
                "ES256",
                "--claims",
                "{}",
            ],
            vec!["public-jwk", "--key", "nonexistent", "--alg", "ES256"],
        ] {
            let mut cmd = command(&args);
            cmd.env(name, value);
            let out = run_cmd(cmd, None);
            out.assert_usage();
            assert!(out.stderr.contains("production"), "{name}: {}", out.stderr);
        }
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing written"
    );
    // The loud flag lets it run (still warning).
    let mut cmd = command(&[
        "keygen",
        "--alg",
        "EdDSA",
        "--kid",
        "k",
        "--out-dir",
        d,
        "--i-understand-this-is-not-for-production",
    ]);
    cmd.env("ENVIRONMENT", "production");
    let out = run_cmd(cmd, None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("DEVELOPMENT"));
    // Other environments are not production.
    let mut cmd = command(&["keygen", "--alg", "EdDSA", "--kid", "k2", "--out-dir", d]);
    cmd.env("ENVIRONMENT", "staging");
    assert_eq!(run_cmd(cmd, None).code, 0);
    // verify is not a development command: it runs anywhere.
    let h = hmac(&dir, 32);
    let t = hs256(&h.secret, HS, &claims(""));
    let mut cmd = command(&verify_args("--hmac-key", &h.raw, &["--now", NOW_S, &t]));
    cmd.env("K_SERVICE", "orders-api");
    run_cmd(cmd, None).assert_valid();
}

#[test]
fn help_exits_0_and_usage_errors_exit_2() {
    let out = run(&["--help"], None);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("verify-jws"));
    let out = run(&["verify", "--help"], None);
    assert_eq!(out.code, 0);
    for flag in [
        "--jwks",
        "--public-key",
        "--hmac-key",
        "--issuer",
        "--no-issuer-check",
        "--audience",
        "--no-audience-check",
        "--alg",
        "--leeway",
        "--now",
        "--require-scope",
        "--typ",
        "--max-token-bytes",
        "--allow-insecure-loopback",
    ] {
        assert!(out.stdout.contains(flag), "verify --help lacks {flag}");
    }
    run(&[], None).assert_usage();
    run(&["frobnicate"], None).assert_usage();
}

// ---------------------------------------------------------------------------------------
// configuration that can never verify (issue 14, item 3)

/// `--alg` naming an algorithm no configured key can verify exits 2 with a message that
/// names it (an RSA-only JWK Set with `--alg ES256`, a P-256 key with `--alg ES384`), and
/// an `oct` JWK pinned to HS256 asked for HS512 says it is pinned; the same keys with an
/// algorithm they verify configure fine (a garbage token is then refused, exit 1).
#[test]
fn algorithms_no_key_can_verify_exit_2_and_say_why() {
    let dir = tmpdir("unverifiable");
    let rsa = rsig::RsaKeyPair::from_pkcs8(include_bytes!("data/rsa2048.pk8.der")).expect("rsa");
    let c: rsig::RsaPublicKeyComponents<Vec<u8>> = rsa.public().into();
    let rsa_jwks = write(
        &dir,
        "rsa-only.json",
        format!(
            r#"{{"keys":[{{"kty":"RSA","kid":"r1","n":"{}","e":"{}"}}]}}"#,
            b64(&c.n),
            b64(&c.e)
        )
        .as_bytes(),
    );
    let k = ec(&dir);
    let mut secret = vec![0u8; 64];
    SystemRandom::new().fill(&mut secret).expect("rng");
    let pinned = write(
        &dir,
        "pinned.jwk",
        format!(r#"{{"kty":"oct","alg":"HS256","k":"{}"}}"#, b64(&secret)).as_bytes(),
    );
    let policy = ["--issuer", ISS, "--audience", AUD, "--now", NOW_S];
    let cases: [(&[&str], &[&str]); 4] = [
        (
            &["--jwks", &rsa_jwks, "--alg", "ES256"],
            &["ES256", "no configured key"],
        ),
        (
            &["--jwks", &rsa_jwks, "--alg", "RS256", "--alg", "EdDSA"],
            &["EdDSA", "no configured key"],
        ),
        (
            &["--public-key", &k.pem, "--alg", "ES384"],
            &["ES384", "no configured key"],
        ),
        (
            &["--hmac-key", &pinned, "--alg", "HS512"],
            &["pinned to HS256", "HS512"],
        ),
    ];
    for (source, says) in cases {
        let mut args = vec!["verify"];
        args.extend(source);
        args.extend(policy);
        args.push("garbage");
        let out = run(&args, None);
        out.assert_usage();
        for s in says {
            assert!(
                out.stderr.contains(s),
                "{source:?}: {s:?} not in {}",
                out.stderr
            );
        }
        assert!(!out.stderr.contains("short"), "{}", out.stderr);
    }
    for source in [
        &["--jwks", &rsa_jwks, "--alg", "RS256", "--alg", "PS256"][..],
        &["--jwks", &rsa_jwks][..],
        &["--public-key", &k.pem, "--alg", "ES256"][..],
        &["--hmac-key", &pinned, "--alg", "HS256"][..],
        &["--hmac-key", &pinned][..],
    ] {
        let mut args = vec!["verify"];
        args.extend(source);
        args.extend(policy);
        args.push("garbage");
        run(&args, None).assert_refused("malformed", 401);
    }
}
