//! `jwsgate introspect`: an opaque token through RFC 7662 introspection, judged by the
//! library's `Introspector` with the same policy flags as `verify` (docs/cli.md). There is no
//! second introspection path.
//!
//! The endpoint URL, the client secret and the policy are checked (exit 2) before the
//! token is read; an endpoint that fails is exit 1 with `introspection_unavailable`.

use jwsgate::UnixTime;
use jwsgate::introspection::{ClientAuth, Introspector};
use jwsgate::outbound::Endpoint;
use secrecy::SecretString;
use zeroize::Zeroizing;

use crate::UsageError;
use crate::output;
use crate::verify::Outcome;

/// What `introspect` was given, besides the token.
pub struct Request<'a> {
    /// `--endpoint`.
    pub endpoint: &'a str,
    /// `--allow-insecure-loopback`.
    pub allow_insecure_loopback: bool,
    /// `--client-id`.
    pub client_id: &'a str,
    /// `--client-secret` (a source spec).
    pub client_secret: &'a str,
    /// `--gcp-secret-manager-url`, for a `gcp:` client secret.
    pub gcp_secret_manager_url: Option<&'a str>,
    /// `--auth-method`.
    pub auth: ClientAuth,
    /// `--issuer` (None: `--no-issuer-check`).
    pub issuer: Option<&'a str>,
    /// `--audience` values (None: `--no-audience-check`).
    pub audiences: Option<&'a [String]>,
    /// `--leeway`.
    pub leeway: u64,
    /// `--require-scope` values.
    pub scopes: &'a [String],
    /// `--max-token-bytes`.
    pub max_token_bytes: usize,
}

/// The `--auth-method` names.
pub fn parse_auth(name: &str) -> Result<ClientAuth, UsageError> {
    match name {
        "basic" => Ok(ClientAuth::Basic),
        "post" => Ok(ClientAuth::Post),
        other => Err(UsageError(format!(
            "--auth-method {other:?}: use basic (client_secret_basic) or post (client_secret_post)"
        ))),
    }
}

/// Configures the introspector: endpoint, client secret (env:/file:/gcp: sources),
/// policy. Every failure is a usage error.
pub fn build(req: &Request<'_>) -> Result<Introspector, UsageError> {
    let endpoint = Endpoint::new(req.endpoint, req.allow_insecure_loopback).map_err(|e| {
        UsageError(format!(
            "--endpoint: {e} (https:// only, or http:// on a loopback address with \
             --allow-insecure-loopback)"
        ))
    })?;
    let secret = client_secret(req)?;
    let mut b = Introspector::builder(endpoint, req.client_id, secret)
        .auth_method(req.auth)
        .leeway(req.leeway)
        .max_token_bytes(req.max_token_bytes);
    b = match req.issuer {
        Some(iss) => b.issuer(iss),
        None => b.no_issuer_check(),
    };
    b = match req.audiences {
        Some(auds) => auds.iter().fold(b, |b, a| b.audience(a)),
        None => b.no_audience_check(),
    };
    b = req.scopes.iter().fold(b, |b, s| b.require_scope(s));
    b.build().map_err(UsageError::from)
}

/// The client secret from its source (`env:`, `file:` or `gcp:`, read by the same code
/// as `--hmac-secret`); it must be UTF-8 (it is form-encoded on the wire).
fn client_secret(req: &Request<'_>) -> Result<SecretString, UsageError> {
    let (_, value) = crate::secret::read(
        "--client-secret",
        req.client_secret,
        req.gcp_secret_manager_url,
        req.allow_insecure_loopback,
    )?;
    let text = Zeroizing::new(
        String::from_utf8(value.expose_secret().to_vec())
            .map_err(|_| UsageError("--client-secret: the secret is not UTF-8".into()))?,
    );
    Ok(SecretString::from(text.as_str()))
}

/// Introspects `token` at `now` on a single-threaded runtime.
pub fn introspect(
    introspector: &Introspector,
    token: &[u8],
    now: UnixTime,
) -> Result<Outcome, UsageError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| UsageError(format!("cannot start the async runtime: {e}")))?;
    Ok(match rt.block_on(introspector.introspect(token, now)) {
        Ok(v) => Outcome {
            line: output::introspected(v.json()),
            exit: 0,
        },
        Err(e) => {
            eprintln!("jwsgate: token refused: {e}");
            Outcome {
                line: output::refused(&e),
                exit: 1,
            }
        }
    })
}
