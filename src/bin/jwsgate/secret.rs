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
    let parsed =
        SecretSpec::parse(spec).map_err(|e| UsageError(format!("--hmac-secret {spec:?}: {e}")))?;
    let value = match &parsed {
        SecretSpec::Gcp(_) => gcp(&parsed, flags)?,
        local => {
            if flags.gcp_secret_manager_url.is_some() {
                return Err(UsageError(
                    "--gcp-secret-manager-url applies to a gcp: --hmac-secret only".into(),
                ));
            }
            let value = read_local(local).map_err(|e| UsageError(format!("--hmac-secret {e}")))?;
            note_if_shared(local);
            value
        }
    };
    value
        .hmac_key()
        .map_err(|e| UsageError(format!("--hmac-secret {parsed}: {e}")))
}

/// The library logs a shared secret file through `tracing`; the command line has no
/// subscriber, so it says so on standard error.
fn note_if_shared(spec: &SecretSpec) {
    #[cfg(unix)]
    if let Some(path) = spec.path() {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o044 != 0 {
                eprintln!(
                    "jwsgate: warning: --hmac-secret {spec} is readable by group or others \
                     (mode {mode:o}); chmod 600 it"
                );
            }
        }
    }
}

#[cfg(not(feature = "gcp"))]
fn gcp(spec: &SecretSpec, _: &SourceFlags<'_>) -> Result<SecretValue, UsageError> {
    Err(UsageError(format!(
        "--hmac-secret {spec}: this jwsgate was built without Google Cloud Secret Manager \
         support (the `gcp` cargo feature)"
    )))
}

/// Fetches a `gcp:` secret once: credentials by gcp_auth's discovery
/// (`GOOGLE_APPLICATION_CREDENTIALS` first), the endpoint from
/// `--gcp-secret-manager-url`, every deadline and retry rule of the library.
#[cfg(feature = "gcp")]
fn gcp(spec: &SecretSpec, flags: &SourceFlags<'_>) -> Result<SecretValue, UsageError> {
    use jwsgate::secrets::gcp::{SecretManager, limits::DEFAULT_BASE_URL};
    let SecretSpec::Gcp(name) = spec else {
        return Err(UsageError(format!(
            "--hmac-secret {spec}: not a gcp: source"
        )));
    };
    let url = flags.gcp_secret_manager_url.unwrap_or(DEFAULT_BASE_URL);
    let manager = SecretManager::builder()
        .base_url(url)
        .allow_insecure_loopback(flags.allow_insecure_loopback)
        .build()
        .map_err(|e| {
            let hint = if url.starts_with("http://") && !flags.allow_insecure_loopback {
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
        .map_err(|e| UsageError(format!("--hmac-secret {spec}: {e}")))
}
