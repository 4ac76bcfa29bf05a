//! A fake RFC 7662 introspection endpoint on 127.0.0.1 (plain http; the client reaches it
//! through the loopback opt-in). Include it with
//! `#[path = "support/introspection_server.rs"] mod introspection_server;`.
//!
//! It answers from a table of active tokens (anything else is `{"active":false}`), or
//! misbehaves as told (a status, a hang, a huge body, a redirect, a wrong content type, a
//! fixed body), optionally after a delay; it records every request and counts them.
//! Dropping the server stops it and every connection it holds.
#![allow(dead_code)]

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

/// What the endpoint does.
#[derive(Clone, Debug)]
pub enum Mode {
    /// Answers from the token table with `application/json`.
    Table,
    /// Answers this status, content type and body, whatever the token.
    Fixed {
        status: u16,
        content_type: &'static str,
        body: String,
    },
    /// Never answers.
    Hang,
    /// 200 `application/json` with a body of this many bytes (announced).
    Huge(usize),
    /// `302 Found` to this location.
    Redirect(String),
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub body: String,
}

impl Recorded {
    /// The decoded form members of the body (`+` as space, `%XX` decoded).
    pub fn form(&self) -> Vec<(String, String)> {
        self.body
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (form_decode(k), form_decode(v))
            })
            .collect()
    }

    /// One form member.
    pub fn field(&self, name: &str) -> Option<String> {
        self.form()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

/// `application/x-www-form-urlencoded` decoding (test side, independent of the client).
pub fn form_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

struct State {
    mode: Mutex<Mode>,
    delay: Mutex<Option<Duration>>,
    active: Mutex<HashMap<String, String>>,
    calls: AtomicUsize,
    recorded: Mutex<Vec<Recorded>>,
}

/// The server; see the module documentation.
pub struct IntrospectionServer {
    addr: SocketAddr,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for IntrospectionServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl IntrospectionServer {
    /// Starts on an ephemeral port of 127.0.0.1, in [`Mode::Table`] with no active token.
    pub async fn start() -> IntrospectionServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State {
            mode: Mutex::new(Mode::Table),
            delay: Mutex::new(None),
            active: Mutex::new(HashMap::new()),
            calls: AtomicUsize::new(0),
            recorded: Mutex::new(Vec::new()),
        });
        let st = Arc::clone(&state);
        let task = tokio::spawn(async move {
            let mut conns = JoinSet::new();
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                let st = Arc::clone(&st);
                conns.spawn(async move {
                    let svc = hyper::service::service_fn(move |req| serve(Arc::clone(&st), req));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(tcp), svc)
                        .await;
                });
            }
        });
        IntrospectionServer { addr, state, task }
    }

    /// The endpoint URL (`http://127.0.0.1:PORT/introspect`).
    pub fn url(&self) -> String {
        format!("http://{}/introspect", self.addr)
    }

    /// Makes `token` active with these answer members (a JSON object's inner text,
    /// `"active":true` is prepended).
    pub fn activate(&self, token: &str, members: &str) {
        let body = if members.is_empty() {
            r#"{"active":true}"#.to_string()
        } else {
            format!(r#"{{"active":true,{members}}}"#)
        };
        self.state.active.lock().unwrap().insert(token.into(), body);
    }

    /// Revokes `token`: it answers `{"active":false}` from now on.
    pub fn revoke(&self, token: &str) {
        self.state.active.lock().unwrap().remove(token);
    }

    /// Sets how the server answers.
    pub fn set_mode(&self, mode: Mode) {
        *self.state.mode.lock().unwrap() = mode;
    }

    /// Waits this long before every answer.
    pub fn set_delay(&self, delay: Option<Duration>) {
        *self.state.delay.lock().unwrap() = delay;
    }

    /// Requests received so far.
    pub fn calls(&self) -> usize {
        self.state.calls.load(Ordering::SeqCst)
    }

    /// Every request received, in order.
    pub fn recorded(&self) -> Vec<Recorded> {
        self.state.recorded.lock().unwrap().clone()
    }
}

async fn serve(
    st: Arc<State>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    st.calls.fetch_add(1, Ordering::SeqCst);
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let authorization = header("authorization");
    let content_type = header("content-type");
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let rec = Recorded {
        authorization,
        content_type,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let token = rec.field("token").unwrap_or_default();
    st.recorded.lock().unwrap().push(rec);
    let delay = *st.delay.lock().unwrap();
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    let mode = st.mode.lock().unwrap().clone();
    let answer = |status: u16, ct: &str, body: Bytes| {
        Response::builder()
            .status(status)
            .header("content-type", ct)
            .body(Full::new(body))
            .unwrap()
    };
    Ok(match mode {
        Mode::Table => {
            let body = st
                .active
                .lock()
                .unwrap()
                .get(&token)
                .cloned()
                .unwrap_or_else(|| r#"{"active":false}"#.into());
            answer(200, "application/json", Bytes::from(body))
        }
        Mode::Fixed {
            status,
            content_type,
            body,
        } => answer(status, content_type, Bytes::from(body)),
        Mode::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            answer(500, "text/plain", Bytes::new())
        }
        Mode::Huge(n) => answer(200, "application/json", Bytes::from(vec![b' '; n])),
        Mode::Redirect(to) => Response::builder()
            .status(302)
            .header("location", to)
            .body(Full::new(Bytes::new()))
            .unwrap(),
    })
}
