//! Secrets from the environment, from files and (feature `gcp`) from Google Cloud Secret
//! Manager (feature `secrets`).
//!
//! * [`SecretSpec`] names a source: `env:NAME`, `file:PATH` or
//!   `gcp:projects/P/secrets/S/versions/{N|latest}`, parsed strictly.
//! * [`SecretValue`] holds the bytes in a `secrecy` box, wiped on drop; every `Debug` of a
//!   type that holds one prints its length only.
//! * [`SecretChain`] tries sources in order (e.g. Secret Manager, then the environment)
//!   and logs which one served — never the value.
//!
//! An HMAC secret from any source becomes a key only through [`StrongHmacKey::new`]
//! ([`SecretValue::hmac_key`]), so it passes every strength check a literal would.
//!
//! ```no_run
//! use jwsgate::secrets::{SecretChain, SecretSpec};
//! let chain = SecretChain::new(vec![
//!     "file:/run/secrets/jwt-hmac".parse()?,
//!     "env:JWT_HMAC".parse()?,
//! ])?;
//! let resolved = chain.resolve_local()?;
//! let key = resolved.value().hmac_key()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "gcp")]
pub mod gcp;
mod local;
mod spec;

use core::fmt;

use secrecy::{ExposeSecret, SecretBox};

pub use spec::{GcpSecretName, GcpVersion, SecretSpec};

use crate::error::ConfigError;
use crate::keys::StrongHmacKey;

/// Limits of the secret sources, each with its reason.
pub mod limits {
    /// Largest secret accepted from any source, in bytes: Secret Manager's own payload
    /// limit (64 KiB); an HMAC key needs 64 bytes at most, a client secret a few hundred.
    pub const MAX_SECRET_BYTES: usize = 64 * 1024;

    /// Longest source spec, in bytes: a Secret Manager name is at most about 330 bytes
    /// and a path rarely over 4096 (PATH_MAX on Linux).
    pub const MAX_SPEC_BYTES: usize = 4096 + 5;

    /// Longest environment variable name accepted, in bytes: names are short labels.
    pub const MAX_ENV_NAME_BYTES: usize = 256;

    /// Most sources in a fallback chain: a chain is a primary and a fallback or two.
    pub const MAX_CHAIN_SOURCES: usize = 8;
}

/// Why a secret could not be had. Never contains a secret byte: the detail names the
/// source and the reason only.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// A source spec that is not one of the accepted forms.
    #[error("invalid secret source: {0}")]
    InvalidSpec(&'static str),
    /// `env:NAME` when `NAME` is not set.
    #[error("{spec}: the environment variable is not set")]
    EnvNotSet {
        /// The spec, e.g. `env:JWT_HMAC`.
        spec: String,
    },
    /// The source holds an empty value (after trimming, for a file).
    #[error("{spec}: the secret is empty")]
    Empty {
        /// The spec.
        spec: String,
    },
    /// The value exceeds [`limits::MAX_SECRET_BYTES`].
    #[error("{spec}: the secret exceeds {max} bytes")]
    TooLarge {
        /// The spec.
        spec: String,
        /// The limit.
        max: usize,
    },
    /// A `file:` source that cannot be read, or is not a regular file.
    #[error("{spec}: {reason}")]
    File {
        /// The spec.
        spec: String,
        /// Why (the operating system's message).
        reason: String,
    },
    /// A `gcp:` source where Secret Manager is not available to the resolver (the `gcp`
    /// feature not built, or a local-only resolution).
    #[error("{spec}: Google Cloud Secret Manager is not available here")]
    GcpNotAvailable {
        /// The spec.
        spec: String,
    },
    /// Secret Manager refused or failed; the detail says how.
    #[error("{spec}: {reason}")]
    Gcp {
        /// The spec.
        spec: String,
        /// Why.
        reason: String,
    },
    /// An empty fallback chain, or one longer than [`limits::MAX_CHAIN_SOURCES`].
    #[error("a secret chain holds 1 to {max} sources", max = limits::MAX_CHAIN_SOURCES)]
    InvalidChain,
    /// Every source of a fallback chain failed; each one's error, in order.
    #[error("no secret source served: {}", join(.0))]
    AllFailed(Vec<SecretError>),
}

fn join(errors: &[SecretError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Secret bytes, in a `secrecy` box wiped on drop. `Debug` prints the length only.
#[derive(Clone)]
pub struct SecretValue {
    bytes: SecretBox<[u8]>,
}

impl SecretValue {
    /// Copies `bytes` into a new secret box (the caller wipes its own copy).
    pub fn from_slice(bytes: &[u8]) -> SecretValue {
        SecretValue {
            bytes: SecretBox::new(Box::from(bytes)),
        }
    }

    /// The secret bytes.
    pub fn expose_secret(&self) -> &[u8] {
        self.bytes.expose_secret()
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.expose_secret().len()
    }

    /// Whether the secret is empty (sources never serve an empty one).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The secret as an HMAC key, through every check of [`StrongHmacKey::new`].
    pub fn hmac_key(&self) -> Result<StrongHmacKey, ConfigError> {
        StrongHmacKey::new(self.expose_secret())
    }

    /// Compares with another secret in constant time (for a given length).
    pub fn ct_eq(&self, other: &SecretValue) -> bool {
        let (a, b) = (self.expose_secret(), other.expose_secret());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl fmt::Debug for SecretValue {
    /// `SecretValue { len: 64, value: [REDACTED] }`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretValue")
            .field("len", &self.len())
            .field("value", &format_args!("[REDACTED]"))
            .finish()
    }
}

/// A secret and where it came from: the source that served it and, for Secret Manager,
/// the version number it resolved to.
#[derive(Clone, Debug)]
pub struct ResolvedSecret {
    value: SecretValue,
    source: SecretSpec,
    version: Option<u64>,
}

impl ResolvedSecret {
    pub(crate) fn new(value: SecretValue, source: SecretSpec, version: Option<u64>) -> Self {
        ResolvedSecret {
            value,
            source,
            version,
        }
    }

    /// The secret.
    pub fn value(&self) -> &SecretValue {
        &self.value
    }

    /// The source that served it.
    pub fn source(&self) -> &SecretSpec {
        &self.source
    }

    /// The Secret Manager version number it resolved to (`latest` included); `None` for
    /// the environment and files.
    pub fn version(&self) -> Option<u64> {
        self.version
    }

    /// Takes the secret out.
    pub fn into_value(self) -> SecretValue {
        self.value
    }
}

/// Reads an `env:` or `file:` source now. A `gcp:` spec is
/// [`SecretError::GcpNotAvailable`]: Secret Manager is reached through
/// `gcp::SecretManager` (feature `gcp`).
pub fn read_local(spec: &SecretSpec) -> Result<SecretValue, SecretError> {
    match spec {
        SecretSpec::Env(name) => local::read_env(spec, name),
        SecretSpec::File(path) => local::read_file(spec, path),
        SecretSpec::Gcp(_) => Err(SecretError::GcpNotAvailable {
            spec: spec.to_string(),
        }),
    }
}

/// Sources tried in order until one serves; which one served is logged (target
/// `jwsgate::secrets`), with the failures before it — never a value.
#[derive(Clone, Debug)]
pub struct SecretChain {
    sources: Vec<SecretSpec>,
}

impl SecretChain {
    /// A chain of 1 to [`limits::MAX_CHAIN_SOURCES`] sources.
    pub fn new(sources: Vec<SecretSpec>) -> Result<SecretChain, SecretError> {
        if sources.is_empty() || sources.len() > limits::MAX_CHAIN_SOURCES {
            return Err(SecretError::InvalidChain);
        }
        Ok(SecretChain { sources })
    }

    /// The sources, in order.
    pub fn sources(&self) -> &[SecretSpec] {
        &self.sources
    }

    /// Resolves with the environment and files only: `gcp:` sources fail (and the next
    /// source is tried).
    pub fn resolve_local(&self) -> Result<ResolvedSecret, SecretError> {
        let mut failures = Vec::new();
        for spec in &self.sources {
            match read_local(spec) {
                Ok(value) => return Ok(served(spec, value, None, failures.len())),
                Err(e) => failed(spec, e, &mut failures),
            }
        }
        Err(SecretError::AllFailed(failures))
    }

    /// Resolves with Secret Manager for `gcp:` sources (feature `gcp`), the environment
    /// and files for the others.
    #[cfg(feature = "gcp")]
    pub async fn resolve(
        &self,
        manager: &gcp::SecretManager,
    ) -> Result<ResolvedSecret, SecretError> {
        let mut failures = Vec::new();
        for spec in &self.sources {
            let outcome = match spec {
                SecretSpec::Gcp(name) => manager.access(name).await.map_err(|e| SecretError::Gcp {
                    spec: spec.to_string(),
                    reason: e.to_string(),
                }),
                local => read_local(local).map(|v| ResolvedSecret::new(v, local.clone(), None)),
            };
            match outcome {
                Ok(r) => {
                    let version = r.version();
                    return Ok(served(spec, r.into_value(), version, failures.len()));
                }
                Err(e) => failed(spec, e, &mut failures),
            }
        }
        Err(SecretError::AllFailed(failures))
    }
}

/// Logs the source that served (and how many failed before it) and wraps the value.
fn served(
    spec: &SecretSpec,
    value: SecretValue,
    version: Option<u64>,
    failed_before: usize,
) -> ResolvedSecret {
    tracing::info!(
        target: "jwsgate::secrets",
        source = %spec,
        version = ?version,
        len = value.len(),
        failed_before,
        "secret served"
    );
    ResolvedSecret::new(value, spec.clone(), version)
}

/// Logs a failed source and keeps its error for [`SecretError::AllFailed`].
fn failed(spec: &SecretSpec, error: SecretError, failures: &mut Vec<SecretError>) {
    tracing::warn!(
        target: "jwsgate::secrets",
        source = %spec,
        error = %error,
        "secret source failed"
    );
    failures.push(error);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_values_is_redacted() {
        let raw = b"k7#Qv9!pL2@xR5$wZ8^mN1&bT4*cY6(e-extra";
        let v = SecretValue::from_slice(raw);
        let shown = format!("{v:?}");
        assert_eq!(
            shown,
            format!("SecretValue {{ len: {}, value: [REDACTED] }}", raw.len())
        );
        let r = ResolvedSecret::new(v.clone(), SecretSpec::Env("X".into()), Some(3));
        let shown = format!("{r:?}");
        assert!(!shown.contains("k7#Qv9"), "{shown}");
        assert!(
            shown.contains("REDACTED") && shown.contains("Some(3)"),
            "{shown}"
        );
    }

    #[test]
    fn ct_eq_compares_lengths_and_bytes() {
        let a = SecretValue::from_slice(b"abc");
        assert!(a.ct_eq(&SecretValue::from_slice(b"abc")));
        assert!(!a.ct_eq(&SecretValue::from_slice(b"abd")));
        assert!(!a.ct_eq(&SecretValue::from_slice(b"ab")));
    }

    #[test]
    fn a_chain_holds_one_to_eight_sources() {
        assert!(matches!(
            SecretChain::new(vec![]),
            Err(SecretError::InvalidChain)
        ));
        let nine = vec![SecretSpec::Env("A".into()); 9];
        assert!(matches!(
            SecretChain::new(nine),
            Err(SecretError::InvalidChain)
        ));
    }

    #[test]
    fn a_weak_secret_from_a_source_is_still_refused() {
        let weak = SecretValue::from_slice(b"my-super-secret-key-for-jwt-signing!!");
        assert!(matches!(weak.hmac_key(), Err(ConfigError::WeakHmacKey(_))));
        let short = SecretValue::from_slice(b"k7#Qv9!pL2@xR5$w");
        assert!(matches!(
            short.hmac_key(),
            Err(ConfigError::HmacKeyTooShort { .. })
        ));
    }
}
