//! `jwsgate verify --hmac-secret <SOURCE>` against ../shared/CLI.md: `env:` and `file:`
//! sources (and, with the `gcp` feature, tests/gcp_secret_manager.rs drives `gcp:`).
//! Same exit-code rules as `--hmac-key`: a source that cannot be read, a weak or short
//! secret, an asymmetric `--alg` are exit 2 with the reason on standard error.
#![cfg(feature = "cli")]

use std::path::PathBuf;
use std::process::Command;

use ring::rand::{SecureRandom, SystemRandom};

const BIN: &str = env!("CARGO_BIN_EXE_jwsgate");
const ISS: &str = "https://issuer.example";
const AUD: &str = "api://orders";
const NOW: u64 = 1_800_000_000;

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Environment variables for one run.
type Env<'a> = Vec<(&'a str, &'a [u8])>;

fn run(args: &[&str], env: &[(&str, &[u8])]) -> Out {
    use std::os::unix::ffi::OsStrExt;
    let mut cmd = Command::new(BIN);
    cmd.args(args).env_remove("JWSGATE_TEST_HMAC");
    for (k, v) in env {
        cmd.env(k, std::ffi::OsStr::from_bytes(v));
    }
    let out = cmd.output().expect("run jwsgate");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn b64(bytes: &[u8]) -> String {
    jwsgate::low_level::base64url::encode(bytes)
}

fn secret(len: usize) -> Vec<u8> {
    // Printable, so that it can travel in an environment variable.
    let mut raw = vec![0u8; len];
    SystemRandom::new().fill(&mut raw).unwrap();
    raw.iter()
        .map(|b| {
            b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789+/"[usize::from(*b) % 59]
        })
        .collect()
}

fn hs256(secret: &[u8]) -> String {
    let claims = format!(
        r#"{{"iss":"{ISS}","aud":"{AUD}","exp":{},"sub":"u1"}}"#,
        NOW + 600
    );
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

fn tmpdir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("jwsgate-cli-secrets-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_private(path: &PathBuf, bytes: &[u8], mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, bytes).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn verify_args<'a>(source: &'a str, token: &'a str) -> Vec<&'a str> {
    let now: &'static str = "1800000000";
    vec![
        "verify",
        "--hmac-secret",
        source,
        "--issuer",
        ISS,
        "--audience",
        AUD,
        "--now",
        now,
        token,
    ]
}

#[test]
fn env_source_verifies_and_tokens_of_another_secret_are_refused() {
    let s = secret(40);
    let token = hs256(&s);
    let out = run(
        &verify_args("env:JWSGATE_TEST_HMAC", &token),
        &[("JWSGATE_TEST_HMAC", &s)],
    );
    assert_eq!(out.code, 0, "{} {}", out.stdout, out.stderr);
    assert!(
        out.stdout.starts_with(r#"{"valid":true,"alg":"HS256""#),
        "{}",
        out.stdout
    );
    let other = hs256(&secret(40));
    let out = run(
        &verify_args("env:JWSGATE_TEST_HMAC", &other),
        &[("JWSGATE_TEST_HMAC", &s)],
    );
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stdout.trim(),
        r#"{"valid":false,"error":"invalid_signature","status":401}"#
    );
}

#[test]
fn file_source_trims_one_newline_and_warns_when_shared() {
    let dir = tmpdir("file");
    let s = secret(48);
    let token = hs256(&s);
    let private = dir.join("hmac");
    write_private(&private, &[&s[..], b"\n"].concat(), 0o600);
    let spec = format!("file:{}", private.display());
    let out = run(&verify_args(&spec, &token), &[]);
    assert_eq!(out.code, 0, "{} {}", out.stdout, out.stderr);
    assert!(!out.stderr.contains("readable by group"), "{}", out.stderr);

    // CR LF too; but only one newline: a second one stays part of the secret.
    write_private(&private, &[&s[..], b"\r\n"].concat(), 0o600);
    assert_eq!(run(&verify_args(&spec, &token), &[]).code, 0);
    write_private(&private, &[&s[..], b"\n\n"].concat(), 0o600);
    let out = run(&verify_args(&spec, &token), &[]);
    assert_eq!(out.code, 1, "{}", out.stdout);

    let shared = dir.join("shared");
    write_private(&shared, &s, 0o644);
    let out = run(
        &verify_args(&format!("file:{}", shared.display()), &token),
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("readable by group or others (mode 644)"),
        "{}",
        out.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unreadable_invalid_or_weak_sources_are_configuration_errors() {
    let dir = tmpdir("errors");
    let s = secret(40);
    let token = hs256(&s);
    let weak = dir.join("weak");
    write_private(&weak, b"my-super-secret-key-for-jwt-signing-0001", 0o600);
    let short = dir.join("short");
    write_private(&short, &s[..20], 0o600);
    let empty = dir.join("empty");
    write_private(&empty, b"\n", 0o600);
    let missing = dir.join("missing");
    let cases: Vec<(String, Env<'_>, &str)> = vec![
        (
            "env:JWSGATE_TEST_HMAC".into(),
            vec![],
            "the environment variable is not set",
        ),
        (
            "env:JWSGATE_TEST_HMAC".into(),
            vec![("JWSGATE_TEST_HMAC", b"".as_slice())],
            "the secret is empty",
        ),
        ("env:JWSGATE-TEST".into(), vec![], "invalid secret source"),
        ("vault:x".into(), vec![], "invalid secret source"),
        (
            format!("file:{}", missing.display()),
            vec![],
            "No such file",
        ),
        (
            format!("file:{}", dir.display()),
            vec![],
            "not a regular file",
        ),
        (
            format!("file:{}", empty.display()),
            vec![],
            "the secret is empty",
        ),
        (format!("file:{}", weak.display()), vec![], "guessable"),
        (
            format!("file:{}", short.display()),
            vec![],
            "shorter than the 32 bytes",
        ),
        (
            "gcp:projects/acme-prod/secrets/k/versions/0".into(),
            vec![],
            "invalid secret source",
        ),
    ];
    for (spec, env, needle) in cases {
        let out = run(&verify_args(&spec, &token), &env);
        assert_eq!(out.code, 2, "{spec}: {} {}", out.stdout, out.stderr);
        assert!(out.stdout.is_empty(), "{spec}: {}", out.stdout);
        assert!(out.stderr.contains(needle), "{spec}: {}", out.stderr);
        assert!(
            !out.stderr.contains(std::str::from_utf8(&s).unwrap()),
            "the secret leaked into the message"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hmac_secret_takes_hmac_algorithms_only_and_is_one_key_source() {
    let s = secret(40);
    let token = hs256(&s);
    let env = [("JWSGATE_TEST_HMAC", s.as_slice())];
    let mut args = verify_args("env:JWSGATE_TEST_HMAC", &token);
    args.splice(1..1, ["--alg", "ES256"]);
    let out = run(&args, &env);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not --hmac-secret"), "{}", out.stderr);

    let mut args = verify_args("env:JWSGATE_TEST_HMAC", &token);
    args.splice(1..1, ["--alg", "HS384"]);
    let out = run(&args, &env);
    assert_eq!(out.code, 2, "a 40-byte secret cannot verify HS384");

    let mut args = verify_args("env:JWSGATE_TEST_HMAC", &token);
    args.splice(1..1, ["--hmac-key", "/dev/null"]);
    assert_eq!(run(&args, &env).code, 2, "two key sources");

    let mut args = verify_args("env:JWSGATE_TEST_HMAC", &token);
    args.splice(
        1..1,
        ["--gcp-secret-manager-url", "https://secretmanager.example"],
    );
    let out = run(&args, &env);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("gcp: --hmac-secret only"),
        "{}",
        out.stderr
    );
}
