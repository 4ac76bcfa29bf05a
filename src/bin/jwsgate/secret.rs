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

fn gcp(spec: &SecretSpec, _: &SourceFlags<'_>) -> Result<SecretValue, UsageError> {
    Err(UsageError(format!(
        "--hmac-secret {spec}: this jwsgate was built without Google Cloud Secret Manager \
         support (the `gcp` cargo feature)"
    )))
}
