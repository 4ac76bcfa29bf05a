//! Starts panva's `oidc-provider` (tests/interop/oidc-provider/server.js) on 127.0.0.1 and
//! talks to it over plain loopback HTTP with std only, so any test can use it whatever
//! the features: `#[path = "interop/oidc_provider.rs"] mod oidc_provider;`.
//!
//! `npm ci` runs first when `node_modules` is missing (bounded); the node process is
//! killed when the [`OidcProvider`] is dropped. See oidc-provider/README.md for the
//! clients, resources and endpoints.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The resource whose client_credentials tokens are RFC 9068 JWTs (ES256).
pub const JWT_RESOURCE: &str = "urn:jwsgate:orders";
/// The resource whose client_credentials tokens are opaque (for introspection).
pub const OPAQUE_RESOURCE: &str = "urn:jwsgate:opaque";
/// The client that gets tokens (client_secret_basic).
pub const CLIENT_ID: &str = "jwsgate-client";
pub const CLIENT_SECRET: &str = "jwsgate-client-secret-for-tests-only";
/// The resource server that may introspect (client_secret_basic).
pub const RS_CLIENT_ID: &str = "jwsgate-rs";
pub const RS_CLIENT_SECRET: &str = "jwsgate-rs-secret-for-tests-only";

/// Longest `npm ci` allowed, and longest wait for the server's first line.
const NPM_CI_LIMIT: Duration = Duration::from_secs(300);
const START_LIMIT: Duration = Duration::from_secs(30);
/// Longest wait for one HTTP answer.
const HTTP_LIMIT: Duration = Duration::from_secs(10);

static INSTALL: Mutex<()> = Mutex::new(());

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop/oidc-provider")
}

/// Runs `npm ci` in the server's folder unless `node_modules/oidc-provider` exists.
pub fn ensure_installed() {
    let _once = INSTALL.lock().unwrap_or_else(|p| p.into_inner());
    if dir()
        .join("node_modules/oidc-provider/package.json")
        .exists()
    {
        return;
    }
    let mut child = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir())
        .stdout(Stdio::null())
        .spawn()
        .expect("npm (Node.js) must be installed: .ci/run installs it");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "npm ci failed: {status}");
            return;
        }
        if start.elapsed() > NPM_CI_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("npm ci took longer than {NPM_CI_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A running oidc-provider; killed on drop.
pub struct OidcProvider {
    child: Child,
    pub port: u16,
    /// `http://127.0.0.1:PORT`, the `iss` of its tokens.
    pub issuer: String,
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer: status and body.
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl OidcProvider {
    /// Installs when needed, starts `node server.js 0`, waits for its port.
    pub fn start() -> OidcProvider {
        ensure_installed();
        let mut child = Command::new("node")
            .args(["server.js", "0"])
            .current_dir(dir())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node must be installed: .ci/run installs it");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let mut reader = BufReader::new(stdout);
            let _ = reader.read_line(&mut line);
            let _ = tx.send(line);
            // Keep draining: oidc-provider prints notices on stdout later (the first
            // introspection prints one), and a closed pipe kills node with EPIPE.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let line = match rx.recv_timeout(START_LIMIT) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("oidc-provider did not start within {START_LIMIT:?}");
            }
        };
        let port = line
            .split("\"port\":")
            .nth(1)
            .and_then(|rest| rest.split([',', '}']).next())
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        OidcProvider {
            child,
            port,
            issuer: format!("http://127.0.0.1:{port}"),
        }
    }

    /// One HTTP/1.1 request to the provider (`Connection: close`), std only.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Answer {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(HTTP_LIMIT)).unwrap();
        s.set_write_timeout(Some(HTTP_LIMIT)).unwrap();
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.port,
            body.len()
        );
        for (n, v) in headers {
            req.push_str(&format!("{n}: {v}\r\n"));
        }
        req.push_str("\r\n");
        req.push_str(body);
        s.write_all(req.as_bytes()).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let chunked = head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked");
        let body = if chunked {
            dechunk(body)
        } else {
            body.to_owned()
        };
        Answer { status, body }
    }

    /// A client_credentials access token for `resource` with `scope`
    /// (client_secret_basic as [`CLIENT_ID`]).
    pub fn client_credentials_token(&self, resource: &str, scope: &str) -> String {
        let auth = format!(
            "Basic {}",
            base64_std(&format!("{CLIENT_ID}:{CLIENT_SECRET}"))
        );
        let body = format!(
            "grant_type=client_credentials&resource={}&scope={}",
            urlencode(resource),
            urlencode(scope)
        );
        let a = self.request(
            "POST",
            "/token",
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            &body,
        );
        assert_eq!(a.status, 200, "token endpoint: {}", a.body);
        json_string(&a.body, "access_token").expect("an access_token")
    }

    /// The `jwks_uri` of the discovery document.
    pub fn jwks_uri(&self) -> String {
        let a = self.request("GET", "/.well-known/openid-configuration", &[], "");
        assert_eq!(a.status, 200, "discovery: {}", a.body);
        json_string(&a.body, "jwks_uri").expect("a jwks_uri")
    }
}

/// The string value of top-level `"name"` in a flat JSON object (the provider's answers
/// have no escapes in these values).
pub fn json_string(json: &str, name: &str) -> Option<String> {
    let rest = json.split(&format!("\"{name}\":\"")).nth(1)?;
    Some(rest.split('"').next()?.to_owned())
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                (b as char).to_string()
            }
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn base64_std(s: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for c in b.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
