//! `jwsgate introspect` against CLI.md: the output and exit codes of `verify`,
//! `invalid_token` for `active: false`, `introspection_unavailable` (503, exit 1) for an
//! endpoint that fails, usage errors (exit 2, nothing on stdout) for a refused endpoint
//! URL or an unreadable client secret. The endpoint is the in-process fake on 127.0.0.1,
//! run on its own runtime while the binary runs as a child process.
#![cfg(feature = "cli")]

#[path = "support/introspection_server.rs"]
mod introspection_server;

use std::process::{Command, Stdio};

use introspection_server::{IntrospectionServer, Mode};
use simd_json::prelude::*;

const BIN: &str = env!("CARGO_BIN_EXE_jwsgate");
const ISS: &str = "https://as.example";
const AUD: &str = "api://orders";
const NOW: u64 = 1_800_000_000;

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn json(&self) -> simd_json::OwnedValue {
        assert_eq!(self.stdout.matches('\n').count(), 1, "{:?}", self.stdout);
        let mut bytes = self.stdout.trim_end().as_bytes().to_vec();
        simd_json::to_owned_value(&mut bytes).expect("stdout is JSON")
    }

    fn assert_refused(&self, code: &str, status: u64) {
        assert_eq!(self.code, 1, "{}{}", self.stdout, self.stderr);
        let v = self.json();
        assert_eq!(v.get("valid").and_then(|v| v.as_bool()), Some(false));
        assert_eq!(v.get("error").and_then(|v| v.as_str()), Some(code));
        assert_eq!(v.get("status").and_then(|v| v.as_u64()), Some(status));
    }

    fn assert_usage(&self) {
        assert_eq!(self.code, 2, "{}{}", self.stdout, self.stderr);
        assert!(self.stdout.is_empty(), "{}", self.stdout);
        assert!(!self.stderr.trim().is_empty());
    }
}

fn run(args: &[&str]) -> Out {
    let out = Command::new(BIN)
        .args(args)
        .env("INTROSPECT_SECRET", "s3cret:%")
        .env_remove("MISSING_SECRET")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn base<'a>(url: &'a str, now: &'a str) -> Vec<&'a str> {
    vec![
        "introspect",
        "--endpoint",
        url,
        "--allow-insecure-loopback",
        "--client-id",
        "rs",
        "--client-secret",
        "env:INTROSPECT_SECRET",
        "--issuer",
        ISS,
        "--audience",
        AUD,
        "--now",
        now,
    ]
}

#[test]
fn introspect_follows_the_verify_contract() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(IntrospectionServer::start());
    let members = format!(
        r#""iss":"{ISS}","aud":"{AUD}","scope":"orders:read","sub":"u-1","exp":{}"#,
        NOW + 600
    );
    server.activate("opaque-ok", &members);
    let url = server.url();
    let now = NOW.to_string();

    // Active and within the policy: exit 0, the answer as the claims.
    let mut args = base(&url, &now);
    args.extend(["--require-scope", "orders:read", "opaque-ok"]);
    let out = run(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = out.json();
    assert_eq!(v.get("valid").and_then(|v| v.as_bool()), Some(true));
    assert_eq!(
        v.get("claims")
            .and_then(|c| c.get("sub"))
            .and_then(|s| s.as_str()),
        Some("u-1")
    );
    // The secret came from env: and went out as client_secret_basic (the default).
    let rec = server.recorded().pop().unwrap();
    assert!(rec.authorization.unwrap().starts_with("Basic "));

    // --auth-method post.
    let mut args = base(&url, &now);
    args.extend(["--auth-method", "post", "opaque-ok"]);
    assert_eq!(run(&args).code, 0);
    let rec = server.recorded().pop().unwrap();
    assert_eq!(rec.field("client_secret").as_deref(), Some("s3cret:%"));
    assert_eq!(rec.authorization, None);

    // The policy flags apply to the answer.
    let mut args = base(&url, &now);
    args.extend(["--require-scope", "orders:write", "opaque-ok"]);
    run(&args).assert_refused("insufficient_scope", 403);
    let late = (NOW + 600 + 61).to_string();
    let mut args = base(&url, &late);
    args.push("opaque-ok");
    run(&args).assert_refused("expired", 401);

    // active: false.
    let mut args = base(&url, &now);
    args.push("opaque-unknown");
    run(&args).assert_refused("invalid_token", 401);

    // An endpoint that fails: exit 1, introspection_unavailable, 503.
    server.set_mode(Mode::Fixed {
        status: 500,
        content_type: "application/json",
        body: r#"{"active":true}"#.into(),
    });
    let mut args = base(&url, &now);
    args.push("opaque-ok");
    run(&args).assert_refused("introspection_unavailable", 503);
    server.set_mode(Mode::Table);

    // Usage errors, before any request.
    let calls = server.calls();
    let mut no_opt_in = base(&url, &now);
    no_opt_in.retain(|a| *a != "--allow-insecure-loopback");
    no_opt_in.push("opaque-ok");
    run(&no_opt_in).assert_usage();
    let mut args = base("http://192.0.2.1/introspect", &now);
    args.push("opaque-ok");
    run(&args).assert_usage();
    let mut args = base(&url, &now);
    let i = args
        .iter()
        .position(|a| *a == "env:INTROSPECT_SECRET")
        .unwrap();
    args[i] = "env:MISSING_SECRET";
    args.push("opaque-ok");
    run(&args).assert_usage();
    let mut args = base(&url, &now);
    args.extend(["--auth-method", "jwt", "opaque-ok"]);
    run(&args).assert_usage();
    let mut args = base(&url, &now);
    args.extend(["--leeway", "121", "opaque-ok"]);
    run(&args).assert_usage();
    assert_eq!(server.calls(), calls, "no request for a usage error");
    drop(server);
}
