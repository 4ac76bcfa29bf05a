//! Two instances of `examples/protected_server.rs` started with `--redis` against one
//! Redis share the failed-attempt limits: the 11th failed attempt with one token is
//! answered 429 by whichever instance receives it.
//!
//! The example's binary is the one `cargo test` builds beside this test
//! (`target/<profile>/examples/protected_server`); run alone, build it first:
//! `cargo test --features redis,axum --example protected_server --test fleet_example`.
#![cfg(all(feature = "redis", feature = "axum"))]

mod redis_server;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A forged token: JWS-shaped, signed by no one. Every attempt with it fails (401).
const FORGED: &str = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImVzMjU2LWRldiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

struct Example(Child);

impl Drop for Example {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn example_binary() -> Option<PathBuf> {
    // target/<profile>/deps/fleet_example-… → target/<profile>/examples/protected_server
    let exe = std::env::current_exe().ok()?;
    let path = exe.parent()?.parent()?.join("examples/protected_server");
    path.exists().then_some(path)
}

/// Starts an instance and returns it with its `host:port`.
fn start(binary: &PathBuf, redis_url: &str) -> (Example, String) {
    let mut child = Command::new(binary)
        .args(["--listen", "127.0.0.1:0", "--redis", redis_url])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the example");
    let stdout = child.stdout.take().expect("stdout");
    let example = Example(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("first line");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (example, addr)
}

/// `GET /mcp` with the forged token: the status and the `Retry-After` header.
fn attempt(addr: &str) -> (u16, Option<String>) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /mcp HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {FORGED}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response");
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {response:?}"));
    let retry_after = response.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("retry-after")
            .then(|| value.trim().to_owned())
    });
    (status, retry_after)
}

#[test]
fn two_example_servers_share_the_failed_attempt_limit() {
    let Some(server) =
        redis_server::start_or_skip("two_example_servers_share_the_failed_attempt_limit")
    else {
        return;
    };
    let Some(binary) = example_binary() else {
        let why = "examples/protected_server was not built (cargo test builds it)";
        assert!(std::env::var_os("CI").is_none(), "{why}");
        eprintln!("\nSKIPPED two_example_servers_share_the_failed_attempt_limit: {why}\n");
        return;
    };
    let url = server.url();
    let (_a, a) = start(&binary, &url);
    let (_b, b) = start(&binary, &url);
    for n in 0..10 {
        let addr = if n % 2 == 0 { &a } else { &b };
        assert_eq!(attempt(addr).0, 401, "attempt {n} at {addr}");
    }
    for addr in [&a, &b] {
        let (status, retry_after) = attempt(addr);
        assert_eq!(status, 429, "11th attempt at {addr}");
        let secs: u64 = retry_after.expect("Retry-After").parse().unwrap();
        assert!((1..=6).contains(&secs), "Retry-After {secs}");
    }
}
