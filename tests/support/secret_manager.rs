//! An in-process fake of Google Cloud Secret Manager's `:access` endpoint and of an OAuth
//! token endpoint, on 127.0.0.1 (plain http), for tests/gcp_secret_manager.rs. Nothing
//! here reaches any other address. Dropping the server stops it and its connections.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

/// The project number the fake answers with (Secret Manager names projects by number).
pub const PROJECT_NUMBER: &str = "123456789012";

/// What the fake does with the next `:access` request.
#[derive(Clone, Debug)]
pub enum Script {
    /// Answers this status with a Google-style error body.
    Status(u16, &'static str),
    /// Never answers.
    Hang,
    /// Serves the version with a checksum that does not match.
    WrongCrc,
    /// Serves a payload of this many bytes instead of the version's.
    Payload(usize),
}

#[derive(Default)]
struct State {
    /// (number, secret, enabled), in creation order.
    versions: Vec<(u64, Vec<u8>, bool)>,
    script: VecDeque<Script>,
    /// A behaviour for every request, after the script is used up.
    always: Option<Script>,
    bearer: String,
    access_calls: usize,
    token_calls: usize,
    /// The RS256 public key (PKCS#1 RSAPublicKey) that token assertions must verify with.
    assertion_key: Option<Vec<u8>>,
    issued_token: String,
    paths: Vec<String>,
}

/// The fake server.
pub struct FakeSecretManager {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeSecretManager {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn crc32c(data: &[u8]) -> u32 {
    // Bitwise, independent of the library's table-driven one.
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0x82F6_3B78
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

impl FakeSecretManager {
    /// Starts the fake; requests must carry `Authorization: Bearer <bearer>`.
    pub async fn start(bearer: &str) -> FakeSecretManager {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State {
            bearer: bearer.into(),
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            let mut conns = JoinSet::new();
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                let st = Arc::clone(&shared);
                conns.spawn(async move {
                    let svc = hyper::service::service_fn(move |req| {
                        let st = Arc::clone(&st);
                        async move { Ok::<_, Infallible>(handle(st, req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(tcp), svc)
                        .await;
                });
            }
        });
        FakeSecretManager { addr, state, task }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Adds a version (enabled) and returns its number.
    pub fn add_version(&self, secret: &[u8]) -> u64 {
        let mut s = self.state.lock().unwrap();
        let n = s.versions.len() as u64 + 1;
        s.versions.push((n, secret.to_vec(), true));
        n
    }

    /// Disables version `n`.
    pub fn disable(&self, n: u64) {
        let mut s = self.state.lock().unwrap();
        if let Some(v) = s.versions.iter_mut().find(|v| v.0 == n) {
            v.2 = false;
        }
    }

    /// Queues a one-shot behaviour for the next `:access` request.
    pub fn push(&self, script: Script) {
        self.state.lock().unwrap().script.push_back(script);
    }

    /// A behaviour for every request after the queued ones (None: serve).
    pub fn always(&self, script: Option<Script>) {
        self.state.lock().unwrap().always = script;
    }

    /// `:access` requests received.
    pub fn access_calls(&self) -> usize {
        self.state.lock().unwrap().access_calls
    }

    /// Token requests received (and whose assertion verified).
    pub fn token_calls(&self) -> usize {
        self.state.lock().unwrap().token_calls
    }

    /// Serves `POST /token` (RFC 7523 JWT bearer grant): the assertion must verify with
    /// `public_key` (RS256), and the answer's access token is `issued`, which `:access`
    /// then requires.
    pub fn enable_token_endpoint(&self, public_key: &[u8], issued: &str) {
        let mut s = self.state.lock().unwrap();
        s.assertion_key = Some(public_key.to_vec());
        s.issued_token = issued.into();
        s.bearer = issued.into();
    }

    /// Paths requested, in order.
    pub fn paths(&self) -> Vec<String> {
        self.state.lock().unwrap().paths.clone()
    }
}

fn json(status: u16, body: String) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))
        .unwrap()
}

fn error(status: u16, reason: &str) -> Response<Full<Bytes>> {
    json(
        status,
        format!(r#"{{"error":{{"code":{status},"message":"fake","status":"{reason}"}}}}"#),
    )
}

async fn handle(state: Arc<Mutex<State>>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let path = req.uri().path().to_string();
    let auth = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let body = req.into_body().collect().await.map(|b| b.to_bytes());
    state.lock().unwrap().paths.push(path.clone());
    if path == "/token" {
        return token(&state, &body.unwrap_or_default());
    }
    let script = {
        let mut s = state.lock().unwrap();
        s.access_calls += 1;
        if auth.as_deref() != Some(&format!("Bearer {}", s.bearer)) {
            return error(401, "UNAUTHENTICATED");
        }
        s.script.pop_front().or_else(|| s.always.clone())
    };
    let Some(rest) = path
        .strip_prefix("/v1/projects/")
        .and_then(|r| r.strip_suffix(":access"))
    else {
        return error(404, "NOT_FOUND");
    };
    let parts: Vec<&str> = rest.split('/').collect();
    let &[_, "secrets", secret, "versions", v] = parts.as_slice() else {
        return error(404, "NOT_FOUND");
    };
    match script {
        Some(Script::Status(code, reason)) => return error(code, reason),
        Some(Script::Hang) => std::future::pending::<()>().await,
        _ => {}
    }
    let found = {
        let s = state.lock().unwrap();
        match v {
            "latest" => s.versions.last().cloned(),
            n => s.versions.iter().find(|x| x.0.to_string() == n).cloned(),
        }
    };
    let Some((n, mut data, enabled)) = found else {
        return error(404, "NOT_FOUND");
    };
    if !enabled {
        return error(400, "FAILED_PRECONDITION");
    }
    if let Some(Script::Payload(len)) = script {
        data = (0..len).map(|i| (i * 7 + 3) as u8).collect();
    }
    let mut crc = crc32c(&data);
    if let Some(Script::WrongCrc) = script {
        crc ^= 0x10;
    }
    json(
        200,
        format!(
            r#"{{"name":"projects/{PROJECT_NUMBER}/secrets/{secret}/versions/{n}","payload":{{"data":"{}","dataCrc32c":"{crc}"}}}}"#,
            Base64::encode_string(&data)
        ),
    )
}

/// The token endpoint: checks the grant type and the assertion's RS256 signature.
fn token(state: &Arc<Mutex<State>>, body: &[u8]) -> Response<Full<Bytes>> {
    let form = String::from_utf8_lossy(body).into_owned();
    let field = |name: &str| {
        form.split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .map(percent_decode)
    };
    let (key, issued) = {
        let s = state.lock().unwrap();
        (s.assertion_key.clone(), s.issued_token.clone())
    };
    let Some(key) = key else {
        return error(404, "NOT_FOUND");
    };
    if field("grant_type").as_deref() != Some("urn:ietf:params:oauth:grant-type:jwt-bearer") {
        return error(400, "unsupported_grant_type");
    }
    let Some(assertion) = field("assertion") else {
        return error(400, "invalid_request");
    };
    let Some((input, sig)) = assertion.rsplit_once('.') else {
        return error(400, "invalid_grant");
    };
    let Ok(sig) = Base64UrlUnpadded::decode_vec(sig.trim_end_matches('=')) else {
        return error(400, "invalid_grant");
    };
    let public =
        ring::signature::UnparsedPublicKey::new(&ring::signature::RSA_PKCS1_2048_8192_SHA256, key);
    if public.verify(input.as_bytes(), &sig).is_err() {
        return error(400, "invalid_grant");
    }
    let claims = input
        .split('.')
        .nth(1)
        .and_then(|c| Base64UrlUnpadded::decode_vec(c.trim_end_matches('=')).ok())
        .unwrap_or_default();
    let claims = String::from_utf8_lossy(&claims);
    if !claims.contains("https://www.googleapis.com/auth/cloud-platform") {
        return error(400, "invalid_scope");
    }
    state.lock().unwrap().token_calls += 1;
    json(
        200,
        format!(r#"{{"access_token":"{issued}","expires_in":3600,"token_type":"Bearer"}}"#),
    )
}

/// `%XX` and `+` of `application/x-www-form-urlencoded`.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
