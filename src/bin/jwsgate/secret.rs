//! `--hmac-secret <SOURCE>`: an HMAC secret from `env:`, `file:` or `gcp:` through the
//! library's `secrets` module, then through every `StrongHmacKey` check. A source that
//! cannot be read, or a Secret Manager that refuses or cannot be reached, is a
//! configuration error: exit 2, before any token is read.

use jwsgate::StrongHmacKey;
use jwsgate::secrets::{SecretSpec, SecretValue, read_local};

use crate::UsageError;
use crate::source::SourceFlags;

/// Reads the secret `spec` names and validates it as an HMAC key.
pub fn hmac_key(spec: &str, flags: &SourceFlags<'_>) -> Result<StrongHmacKey, UsageError> {
    let (parsed, value) = read(
        "--hmac-secret",
        spec,
        flags.gcp_secret_manager_url,
        flags.allow_insecure_loopback,
    )?;
    value
        .hmac_key()
        .map_err(|e| UsageError(format!("--hmac-secret {parsed}: {e}")))
}

/// Reads the secret `spec` names (`env:`, `file:` or `gcp:`) for the flag `flag`
/// (`--hmac-secret`, `--client-secret`): the one reader behind every secret flag, so
/// each takes the same sources with the same rules. `gcp_url` is
/// `--gcp-secret-manager-url`, which only a `gcp:` source may be given.
pub fn read(
    flag: &str,
    spec: &str,
    gcp_url: Option<&str>,
    allow_insecure_loopback: bool,
) -> Result<(SecretSpec, SecretValue), UsageError> {
    let parsed =
        SecretSpec::parse(spec).map_err(|e| UsageError(format!("{flag} {spec:?}: {e}")))?;
    let value = match &parsed {
        SecretSpec::Gcp(_) => gcp(flag, &parsed, gcp_url, allow_insecure_loopback)?,
        local => {
            if gcp_url.is_some() {
                return Err(UsageError(format!(
                    "--gcp-secret-manager-url applies to a gcp: {flag} only"
                )));
            }
            let value = read_local(local).map_err(|e| UsageError(format!("{flag} {e}")))?;
            note_if_shared(flag, local);
            value
        }
    };
    Ok((parsed, value))
}

/// The library logs a shared secret file through `tracing`; the command line has no
/// subscriber, so it says so on standard error.
fn note_if_shared(flag: &str, spec: &SecretSpec) {
    #[cfg(unix)]
    if let Some(path) = spec.path() {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o044 != 0 {
                eprintln!(
                    "jwsgate: warning: {flag} {spec} is readable by group or others \
                     (mode {mode:o}); chmod 600 it"
                );
            }
        }
    }
}

#[cfg(not(feature = "gcp"))]
fn gcp(flag: &str, spec: &SecretSpec, _: Option<&str>, _: bool) -> Result<SecretValue, UsageError> {
    Err(UsageError(format!(
        "{flag} {spec}: this jwsgate was built without Google Cloud Secret Manager \
         support (the `gcp` cargo feature)"
    )))
}

/// Fetches a `gcp:` secret once: credentials by gcp_auth's discovery
/// (`GOOGLE_APPLICATION_CREDENTIALS` first), the endpoint from
/// `--gcp-secret-manager-url`, every deadline and retry rule of the library.
#[cfg(feature = "gcp")]
fn gcp(
    flag: &str,
    spec: &SecretSpec,
    gcp_url: Option<&str>,
    allow_insecure_loopback: bool,
) -> Result<SecretValue, UsageError> {
    use jwsgate::secrets::gcp::{SecretManager, limits::DEFAULT_BASE_URL};
    let SecretSpec::Gcp(name) = spec else {
        return Err(UsageError(format!("{flag} {spec}: not a gcp: source")));
    };
    let url = gcp_url.unwrap_or(DEFAULT_BASE_URL);
    let manager = SecretManager::builder()
        .base_url(url)
        .allow_insecure_loopback(allow_insecure_loopback)
        .build()
        .map_err(|e| {
            let hint = if url.starts_with("http://") && !allow_insecure_loopback {
                " (an http:// URL needs a loopback address and --allow-insecure-loopback)"
            } else {
                ""
            };
            UsageError(format!("--gcp-secret-manager-url {url}: {e}{hint}"))
        })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| UsageError(format!("cannot start the async runtime: {e}")))?;
    runtime
        .block_on(manager.access(name))
        .map(|resolved| resolved.into_value())
        .map_err(|e| UsageError(format!("{flag} {spec}: {e}")))
}
