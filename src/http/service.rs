//! The service: decides per request (see the table in the [module docs](super)), with
//! the response future kept apart. When the limiter and authenticator answer at once
//! (the local limiter, the JWT verifier) everything is decided inside `call` and the
//! inner service's own future is returned wrapped; only a deferred answer (network I/O)
//! moves the work into the future, with a clone of the inner service.

use core::future::Future;
use core::mem;
use core::pin::Pin;
use core::task::{Context, Poll, Waker, ready};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use bytes::Bytes;
use http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_REQUEST_METHOD,
    ALLOW, AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE,
};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use tower_service::Service;

use super::bearer::{self, Credentials, Malformed};
use super::layer::{AuthLayer, Shared, metadata_cache_control};
use super::limits::MAX_LOGGED_PATH_BYTES;
use super::routes::{is_canonical, normalize};
use super::{AuthBody, Identity};
use crate::authn::{AuthContext, LimitKeys, MaybeReady};
use crate::error::Error;
use crate::fingerprint::{Fingerprint, fingerprint};
use crate::time::UnixTime;

/// The client's address, for a plain hyper server to put in each request's extensions
/// (axum's `ConnectInfo<SocketAddr>` is read too, with feature `axum`).
///
/// ```
/// use jwsgate::http::PeerAddr;
/// let mut req = http::Request::new(());
/// req.extensions_mut().insert(PeerAddr("192.0.2.1:5000".parse()?));
/// # Ok::<(), std::net::AddrParseError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub SocketAddr);

/// What the layer leaves in the extensions of every request it passes on, for the axum
/// extractors' own challenges (feature `axum` only: nothing else reads it).
#[cfg(feature = "axum")]
#[derive(Clone)]
pub(crate) struct LayerState(pub(crate) Arc<Shared>);

/// Leaves the layer's state for the axum extractors.
#[cfg(feature = "axum")]
fn leave_state(extensions: &mut http::Extensions, shared: &Arc<Shared>) {
    extensions.insert(LayerState(Arc::clone(shared)));
}

#[cfg(not(feature = "axum"))]
fn leave_state(_: &mut http::Extensions, _: &Arc<Shared>) {}

impl<S> tower_layer::Layer<S> for AuthLayer {
    type Service = AuthService<S>;

    fn layer(&self, inner: S) -> AuthService<S> {
        AuthService {
            inner,
            shared: Arc::clone(&self.shared),
        }
    }
}

/// The service [`AuthLayer`] wraps around another.
#[derive(Clone)]
pub struct AuthService<S> {
    inner: S,
    shared: Arc<Shared>,
}

impl<S> core::fmt::Debug for AuthService<S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AuthService").finish_non_exhaustive()
    }
}

impl<S, B, ResB> Service<Request<B>> for AuthService<S>
where
    S: Service<Request<B>, Response = Response<ResB>> + Clone,
{
    type Response = Response<AuthBody<ResB>>;
    type Error = S::Error;
    type Future = ResponseFuture<S, B>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<B>) -> ResponseFuture<S, B> {
        let shared = &self.shared;
        let (keys, token) = match plan(shared, &req) {
            Plan::Pass => {
                leave_state(req.extensions_mut(), shared);
                return ResponseFuture::inner(self.inner.call(req));
            }
            Plan::Respond(response) => return ResponseFuture::respond(response),
            Plan::Authenticate { keys, token } => (keys, token),
        };
        let mut work = Work {
            phase: Phase::Check(shared.limiter.check(&keys)),
            request: Some(req),
            keys,
            token,
        };
        // Synchronous answers are ready at the first poll; a no-op waker is enough.
        match work.advance(shared, &mut Context::from_waker(Waker::noop())) {
            Poll::Ready(Step::Forward(req)) => ResponseFuture::inner(self.inner.call(req)),
            Poll::Ready(Step::Respond(response)) => ResponseFuture::respond(response),
            Poll::Pending => {
                // The ready service goes with the request; this one is a fresh clone
                // (tower's poll_ready/call contract).
                let clone = self.inner.clone();
                let service = mem::replace(&mut self.inner, clone);
                ResponseFuture {
                    inner: None,
                    rest: Rest::Work(Box::new(Deferred {
                        work,
                        service,
                        shared: Arc::clone(shared),
                    })),
                }
            }
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of an [`AuthService`] response: the inner service's, or the layer's
    /// own answer, or (with a deferred authenticator or limiter) the work still to do.
    pub struct ResponseFuture<S, B>
    where
        S: Service<Request<B>>,
    {
        #[pin]
        inner: Option<S::Future>,
        rest: Rest<S, B>,
    }
}

enum Rest<S, B> {
    Done,
    Respond(Response<Bytes>),
    Work(Box<Deferred<S, B>>),
}

struct Deferred<S, B> {
    work: Work<B>,
    service: S,
    shared: Arc<Shared>,
}

impl<S: Service<Request<B>>, B> ResponseFuture<S, B> {
    fn inner(future: S::Future) -> Self {
        ResponseFuture {
            inner: Some(future),
            rest: Rest::Done,
        }
    }

    fn respond(response: Response<Bytes>) -> Self {
        ResponseFuture {
            inner: None,
            rest: Rest::Respond(response),
        }
    }
}

impl<S, B, ResB> Future for ResponseFuture<S, B>
where
    S: Service<Request<B>, Response = Response<ResB>>,
{
    type Output = Result<Response<AuthBody<ResB>>, S::Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        loop {
            if let Some(future) = this.inner.as_mut().as_pin_mut() {
                let response = ready!(future.poll(cx))?;
                return Poll::Ready(Ok(response.map(AuthBody::inner)));
            }
            let step = match this.rest {
                Rest::Work(d) => ready!(d.work.advance(&d.shared, cx)),
                Rest::Respond(_) => {
                    let Rest::Respond(response) = mem::replace(this.rest, Rest::Done) else {
                        return Poll::Pending;
                    };
                    return Poll::Ready(Ok(response.map(AuthBody::full)));
                }
                // Polled after completion.
                Rest::Done => return Poll::Pending,
            };
            match (step, mem::replace(this.rest, Rest::Done)) {
                (Step::Forward(req), Rest::Work(mut d)) => {
                    this.inner.set(Some(d.service.call(req)));
                }
                (Step::Respond(response), _) => *this.rest = Rest::Respond(response),
                // Unreachable: only Work produces a step.
                (Step::Forward(_), _) => return Poll::Pending,
            }
        }
    }
}

impl<S: Service<Request<B>>, B> core::fmt::Debug for ResponseFuture<S, B> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

/// What to do with a request, decided from its head alone.
enum Plan {
    Pass,
    Respond(Response<Bytes>),
    Authenticate {
        keys: LimitKeys,
        /// Where the token is in the `Authorization` value; `None` when it is too long.
        token: Option<TokenAt>,
    },
}

#[derive(Debug, Clone, Copy)]
struct TokenAt {
    start: usize,
    end: usize,
    fingerprint: Fingerprint,
}

fn plan<B>(shared: &Shared, req: &Request<B>) -> Plan {
    let method = req.method();
    let path = req.uri().path();
    if method == Method::OPTIONS && req.headers().contains_key(ACCESS_CONTROL_REQUEST_METHOD) {
        return Plan::Pass;
    }
    if path == &*shared.resource.metadata_path {
        return Plan::Respond(metadata_response(shared, method));
    }
    if is_canonical(path) && shared.exemptions.iter().any(|r| r.matches(method, path)) {
        return Plan::Pass;
    }
    let mut fields = req.headers().get_all(AUTHORIZATION).iter();
    let Some(value) = fields.next() else {
        log_refusal(None, "no_credentials", 401, path);
        return Plan::Respond(challenge(
            shared,
            StatusCode::UNAUTHORIZED,
            shared.challenges.no_credentials.clone(),
        ));
    };
    let malformed = |m: Malformed| {
        log_refusal(None, "invalid_request", 400, path);
        Plan::Respond(challenge(
            shared,
            StatusCode::BAD_REQUEST,
            shared.challenges.invalid_request(m),
        ))
    };
    if fields.next().is_some() {
        return malformed(Malformed::Repeated);
    }
    let token = match bearer::parse(value.as_bytes()) {
        Credentials::Bearer(token) => token,
        Credentials::OtherScheme => {
            log_refusal(None, "no_credentials", 401, path);
            return Plan::Respond(challenge(
                shared,
                StatusCode::UNAUTHORIZED,
                shared.challenges.no_credentials.clone(),
            ));
        }
        Credentials::Invalid(m) => return malformed(m),
    };
    let client = client_address(shared, req);
    if token.len() > shared.max_token_bytes {
        return Plan::Authenticate {
            keys: LimitKeys::new(None, client),
            token: None,
        };
    }
    let fp = fingerprint(token.as_bytes());
    // The token is a sub-slice of the field value: its offset is a pointer difference.
    let start = (token.as_ptr() as usize).saturating_sub(value.as_bytes().as_ptr() as usize);
    Plan::Authenticate {
        keys: LimitKeys::new(Some(fp), client),
        token: Some(TokenAt {
            start,
            end: start + token.len(),
            fingerprint: fp,
        }),
    }
}

/// The request with its token, between the limiter's check and the answer.
struct Work<B> {
    phase: Phase,
    request: Option<Request<B>>,
    keys: LimitKeys,
    token: Option<TokenAt>,
}

enum Phase {
    Check(MaybeReady<Result<(), Error>>),
    Auth(MaybeReady<Result<Identity, Error>>),
    Record(MaybeReady<()>, Error),
}

enum Step<B> {
    Forward(Request<B>),
    Respond(Response<Bytes>),
}

impl<B> Work<B> {
    fn advance(&mut self, shared: &Arc<Shared>, cx: &mut Context<'_>) -> Poll<Step<B>> {
        loop {
            self.phase = match &mut self.phase {
                Phase::Check(check) => match ready!(Pin::new(check).poll(cx)) {
                    Err(e) => return Poll::Ready(self.refuse(shared, e)),
                    Ok(()) => self.authenticate(shared),
                },
                Phase::Auth(auth) => match ready!(Pin::new(auth).poll(cx)) {
                    Ok(identity) => return Poll::Ready(self.admit(shared, identity)),
                    // A refused token is a failed attempt; a verified one (403) or a
                    // source that cannot answer (503) is not the client's failure.
                    Err(e) if e.status() == 401 => {
                        Phase::Record(shared.limiter.record_failure(&self.keys), e)
                    }
                    Err(e) => return Poll::Ready(self.refuse(shared, e)),
                },
                Phase::Record(record, e) => {
                    let e = *e;
                    ready!(Pin::new(record).poll(cx));
                    return Poll::Ready(self.refuse(shared, e));
                }
            };
        }
    }

    fn authenticate(&self, shared: &Shared) -> Phase {
        let value = self
            .request
            .as_ref()
            .and_then(|r| r.headers().get(AUTHORIZATION));
        let token = self.token.and_then(|at| {
            let bytes = value?.as_bytes().get(at.start..at.end)?;
            Some((core::str::from_utf8(bytes).ok()?, at.fingerprint))
        });
        match token {
            Some((token, fp)) => Phase::Auth(
                shared
                    .authenticator
                    .authenticate(token, &AuthContext::new(fp, UnixTime::now())),
            ),
            None => Phase::Record(
                shared.limiter.record_failure(&self.keys),
                Error::TokenTooLarge {
                    len: value.map_or(0, HeaderValue::len),
                    max: shared.max_token_bytes,
                },
            ),
        }
    }

    fn path(&self) -> &str {
        self.request.as_ref().map_or("", |r| r.uri().path())
    }

    /// The answer to a refusal, by `Error::status()` (and the code for the challenge).
    fn refuse(&self, shared: &Shared, e: Error) -> Step<B> {
        let fp = self.token.map(|t| t.fingerprint);
        log_refusal(fp, e.code(), e.status(), self.path());
        let c = &shared.challenges;
        Step::Respond(match e.status() {
            403 => challenge(shared, StatusCode::FORBIDDEN, c.insufficient_scope(None)),
            429 => retry_after(
                StatusCode::TOO_MANY_REQUESTS,
                match e {
                    Error::RateLimited { retry_after_secs } => retry_after_secs,
                    _ => shared.unavailable_retry_after_secs,
                },
            ),
            503 => retry_after(
                StatusCode::SERVICE_UNAVAILABLE,
                shared.unavailable_retry_after_secs,
            ),
            // 401, and any status a future error might carry: a refused token.
            _ => challenge(shared, StatusCode::UNAUTHORIZED, c.invalid_token(e.code())),
        })
    }

    /// The token verified: check the route's scopes, then pass the request on.
    fn admit(&mut self, shared: &Arc<Shared>, identity: Identity) -> Step<B> {
        let Some(mut req) = self.request.take() else {
            return Step::Respond(retry_after(
                StatusCode::SERVICE_UNAVAILABLE,
                shared.unavailable_retry_after_secs,
            ));
        };
        let path = normalize(req.uri().path());
        let rules = || {
            shared
                .scope_rules
                .iter()
                .filter(|r| r.route.matches(req.method(), &path))
        };
        let satisfied = rules().all(|r| r.scopes.iter().all(|s| identity.has_scope(s)));
        if !satisfied {
            let mut needed: Vec<&str> = Vec::new();
            for scope in rules().flat_map(|r| r.scopes.iter()) {
                if !needed.contains(&&**scope) {
                    needed.push(scope);
                }
            }
            let needed = needed.join(" ");
            log_refusal(
                Some(identity.fingerprint()),
                "insufficient_scope",
                403,
                req.uri().path(),
            );
            let value = shared.challenges.insufficient_scope(Some(&needed));
            return Step::Respond(challenge(shared, StatusCode::FORBIDDEN, value));
        }
        drop(path);
        let extensions = req.extensions_mut();
        extensions.insert(identity);
        leave_state(extensions, shared);
        Step::Forward(req)
    }
}

/// A refusal event: fingerprint (when a token was hashed), code, status and path —
/// never the token, never the query.
fn log_refusal(fp: Option<Fingerprint>, code: &str, status: u16, path: &str) {
    let fingerprint = fp.as_ref().map_or("", Fingerprint::as_str);
    let mut end = path.len().min(MAX_LOGGED_PATH_BYTES);
    while !path.is_char_boundary(end) {
        end -= 1;
    }
    let route = path.get(..end).unwrap_or_default();
    if status == 401 && code == "no_credentials" {
        tracing::debug!(target: "jwsgate::http", fingerprint, code, status, route, "request refused");
    } else {
        tracing::info!(target: "jwsgate::http", fingerprint, code, status, route, "request refused");
    }
}

/// An empty answer with a challenge (400, 401, 403).
pub(crate) fn challenge(
    shared: &Shared,
    status: StatusCode,
    value: HeaderValue,
) -> Response<Bytes> {
    let mut response = Response::new(Bytes::new());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(WWW_AUTHENTICATE, value);
    if shared.expose_www_authenticate {
        headers.insert(
            ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("WWW-Authenticate"),
        );
    }
    response
}

/// An empty answer with `Retry-After` (429, 503).
fn retry_after(status: StatusCode, secs: u64) -> Response<Bytes> {
    let mut response = Response::new(Bytes::new());
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from(secs));
    response
}

fn metadata_response(shared: &Shared, method: &Method) -> Response<Bytes> {
    let mut response = Response::new(Bytes::new());
    let headers = response.headers_mut();
    if method != Method::GET && method != Method::HEAD {
        headers.insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
        return response;
    }
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Ok(v) = HeaderValue::from_str(&metadata_cache_control()) {
        headers.insert(CACHE_CONTROL, v);
    }
    if shared.expose_www_authenticate {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    }
    if method == Method::GET {
        *response.body_mut() = shared.metadata.clone();
    }
    response
}

/// The client address: the operator's header (its last field's right-most entry, when
/// that is an IP address), else the connection's.
fn client_address<B>(shared: &Shared, req: &Request<B>) -> Option<IpAddr> {
    let from_header = shared.client_address_header.as_ref().and_then(|name| {
        let last = req.headers().get_all(name).iter().next_back()?;
        let entry = last.to_str().ok()?.rsplit(',').next()?.trim();
        entry
            .parse::<IpAddr>()
            .ok()
            .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
    });
    from_header.or_else(|| peer_address(req))
}

fn peer_address<B>(req: &Request<B>) -> Option<IpAddr> {
    if let Some(PeerAddr(addr)) = req.extensions().get::<PeerAddr>() {
        return Some(addr.ip());
    }
    #[cfg(feature = "axum")]
    if let Some(info) = req
        .extensions()
        .get::<::axum::extract::ConnectInfo<SocketAddr>>()
    {
        return Some(info.0.ip());
    }
    None
}
