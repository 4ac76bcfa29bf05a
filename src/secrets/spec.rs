//! [`SecretSpec`]: where a secret comes from, parsed strictly from `env:NAME`,
//! `file:PATH` or `gcp:projects/P/secrets/S/versions/{N|latest}`.

use core::fmt;
use core::str::FromStr;
use std::path::{Path, PathBuf};

use super::SecretError;
use super::limits::{MAX_ENV_NAME_BYTES, MAX_SPEC_BYTES};

/// Where a secret comes from. Parsing is strict: anything not exactly one of the three
/// forms is [`SecretError::InvalidSpec`]. A spec names a secret and never holds one, so
/// `Display` and `Debug` print it as written.
///
/// ```
/// use jwsgate::secrets::SecretSpec;
/// let spec: SecretSpec = "gcp:projects/acme-prod/secrets/jwt-hmac/versions/latest".parse()?;
/// assert_eq!(spec.to_string(), "gcp:projects/acme-prod/secrets/jwt-hmac/versions/latest");
/// assert!("env:".parse::<SecretSpec>().is_err());
/// assert!("gcp:projects/acme-prod/secrets/jwt-hmac/versions/0".parse::<SecretSpec>().is_err());
/// # Ok::<(), jwsgate::secrets::SecretError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretSpec {
    /// `env:NAME`: the environment variable `NAME` (a POSIX name: ASCII letters, digits
    /// and `_`, not starting with a digit), used as is.
    Env(String),
    /// `file:PATH`: the file's bytes, one trailing newline (`\n` or `\r\n`) trimmed.
    File(PathBuf),
    /// `gcp:projects/P/secrets/S/versions/{N|latest}`: a Google Cloud Secret Manager
    /// secret version.
    Gcp(GcpSecretName),
}

/// Which version of a Secret Manager secret: a number, or `latest`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GcpVersion {
    /// The most recent enabled version (Secret Manager resolves it at each access).
    Latest,
    /// A fixed version number (1 or more).
    Number(u64),
}

/// A Secret Manager secret version name, `projects/P/secrets/S/versions/{N|latest}`,
/// validated by Secret Manager's own rules:
/// * `P`: a project id (6 to 30 characters: lowercase ASCII letters, digits and `-`,
///   starting with a letter, not ending with `-`) or a project number (digits);
/// * `S`: a secret id (1 to 255 characters: ASCII letters, digits, `-` and `_`);
/// * the version: `latest` or a decimal number from 1, without leading zeros.
#[derive(Clone, PartialEq, Eq)]
pub struct GcpSecretName {
    project: Box<str>,
    secret: Box<str>,
    version: GcpVersion,
}

/// Longest project id (Resource Manager: 6 to 30 characters).
const MAX_PROJECT_ID: usize = 30;
/// Shortest project id.
const MIN_PROJECT_ID: usize = 6;
/// Most digits of a project number (a u64 has 20).
const MAX_PROJECT_NUMBER_DIGITS: usize = 20;
/// Longest secret id (Secret Manager: 1 to 255 characters).
const MAX_SECRET_ID: usize = 255;

fn valid_project(p: &str) -> bool {
    if !p.is_empty()
        && p.len() <= MAX_PROJECT_NUMBER_DIGITS
        && p.bytes().all(|b| b.is_ascii_digit())
    {
        return true;
    }
    (MIN_PROJECT_ID..=MAX_PROJECT_ID).contains(&p.len())
        && p.starts_with(|c: char| c.is_ascii_lowercase())
        && !p.ends_with('-')
        && p.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn valid_secret_id(s: &str) -> bool {
    (1..=MAX_SECRET_ID).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn parse_version(v: &str) -> Option<GcpVersion> {
    if v == "latest" {
        return Some(GcpVersion::Latest);
    }
    if v.starts_with('0') || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse::<u64>().ok().map(GcpVersion::Number)
}

impl GcpSecretName {
    /// Parses `projects/P/secrets/S/versions/{N|latest}` (no `gcp:` prefix).
    pub fn parse(name: &str) -> Result<GcpSecretName, SecretError> {
        let bad = SecretError::InvalidSpec(
            "expected gcp:projects/PROJECT/secrets/SECRET/versions/{NUMBER|latest}",
        );
        let mut parts = name.split('/');
        let (Some("projects"), Some(p), Some("secrets"), Some(s), Some("versions"), Some(v), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(bad);
        };
        if !valid_project(p) {
            return Err(SecretError::InvalidSpec(
                "gcp: the project is neither a project id nor a project number",
            ));
        }
        if !valid_secret_id(s) {
            return Err(SecretError::InvalidSpec(
                "gcp: the secret id must be 1 to 255 ASCII letters, digits, - or _",
            ));
        }
        let version = parse_version(v).ok_or(SecretError::InvalidSpec(
            "gcp: the version must be `latest` or a number from 1 without leading zeros",
        ))?;
        Ok(GcpSecretName {
            project: p.into(),
            secret: s.into(),
            version,
        })
    }

    /// The project id or number.
    pub fn project(&self) -> &str {
        &self.project
    }

    /// The secret id.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// The version asked for.
    pub fn version(&self) -> GcpVersion {
        self.version
    }

    /// The same secret at a fixed version number.
    pub fn at_version(&self, number: u64) -> Option<GcpSecretName> {
        (number >= 1).then(|| GcpSecretName {
            project: self.project.clone(),
            secret: self.secret.clone(),
            version: GcpVersion::Number(number),
        })
    }
}

impl fmt::Display for GcpVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GcpVersion::Latest => f.write_str("latest"),
            GcpVersion::Number(n) => write!(f, "{n}"),
        }
    }
}

impl fmt::Display for GcpSecretName {
    /// `projects/P/secrets/S/versions/V`, the resource name of the REST API.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "projects/{}/secrets/{}/versions/{}",
            self.project, self.secret, self.version
        )
    }
}

impl fmt::Debug for GcpSecretName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GcpSecretName({self})")
    }
}

impl FromStr for GcpSecretName {
    type Err = SecretError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        GcpSecretName::parse(s)
    }
}

fn valid_env_name(name: &str) -> bool {
    (1..=MAX_ENV_NAME_BYTES).contains(&name.len())
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl SecretSpec {
    /// Parses one spec. Longer than [`MAX_SPEC_BYTES`], an unknown prefix, an empty or
    /// invalid name or path: [`SecretError::InvalidSpec`].
    pub fn parse(spec: &str) -> Result<SecretSpec, SecretError> {
        if spec.len() > MAX_SPEC_BYTES {
            return Err(SecretError::InvalidSpec("the secret source is too long"));
        }
        if let Some(name) = spec.strip_prefix("env:") {
            if !valid_env_name(name) {
                return Err(SecretError::InvalidSpec(
                    "env: the variable name must be ASCII letters, digits and _, not starting \
                     with a digit",
                ));
            }
            return Ok(SecretSpec::Env(name.into()));
        }
        if let Some(path) = spec.strip_prefix("file:") {
            if path.is_empty() || path.contains('\0') {
                return Err(SecretError::InvalidSpec(
                    "file: the path is empty or contains NUL",
                ));
            }
            return Ok(SecretSpec::File(PathBuf::from(path)));
        }
        if let Some(name) = spec.strip_prefix("gcp:") {
            return GcpSecretName::parse(name).map(SecretSpec::Gcp);
        }
        Err(SecretError::InvalidSpec(
            "a secret source starts with env:, file: or gcp:",
        ))
    }

    /// The file path of a `file:` spec.
    pub fn path(&self) -> Option<&Path> {
        match self {
            SecretSpec::File(p) => Some(p),
            _ => None,
        }
    }
}

impl FromStr for SecretSpec {
    type Err = SecretError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SecretSpec::parse(s)
    }
}

impl fmt::Display for SecretSpec {
    /// The spec as written: `env:NAME`, `file:PATH` or `gcp:projects/...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretSpec::Env(name) => write!(f, "env:{name}"),
            SecretSpec::File(path) => write!(f, "file:{}", path.display()),
            SecretSpec::Gcp(name) => write!(f, "gcp:{name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_forms_parse_and_print_back() {
        for s in [
            "env:JWT_HMAC",
            "env:_x1",
            "file:/run/secrets/hmac",
            "file:relative/path",
            "gcp:projects/acme-prod/secrets/jwt-hmac/versions/latest",
            "gcp:projects/123456789012/secrets/A_b-9/versions/7",
            "gcp:projects/abcdef/secrets/x/versions/18446744073709551615",
        ] {
            let spec = SecretSpec::parse(s).unwrap();
            assert_eq!(spec.to_string(), s);
        }
        let SecretSpec::Gcp(n) =
            SecretSpec::parse("gcp:projects/acme-prod/secrets/k/versions/12").unwrap()
        else {
            panic!("not gcp");
        };
        assert_eq!(
            (n.project(), n.secret(), n.version()),
            ("acme-prod", "k", GcpVersion::Number(12))
        );
        assert_eq!(
            n.at_version(3).unwrap().to_string(),
            "projects/acme-prod/secrets/k/versions/3"
        );
        assert!(n.at_version(0).is_none());
    }

    #[test]
    fn everything_else_is_refused() {
        let long_secret = format!(
            "gcp:projects/acme-prod/secrets/{}/versions/1",
            "s".repeat(256)
        );
        for s in [
            "",
            "env:",
            "env:1ABC",
            "env:A-B",
            "env:A B",
            "env:A=B",
            "ENV:A",
            "file:",
            "file:a\0b",
            "vault:x",
            "JWT_HMAC",
            "gcp:",
            "gcp:projects/acme-prod/secrets/k",
            "gcp:projects/acme-prod/secrets/k/versions/",
            "gcp:projects/acme-prod/secrets/k/versions/0",
            "gcp:projects/acme-prod/secrets/k/versions/01",
            "gcp:projects/acme-prod/secrets/k/versions/-1",
            "gcp:projects/acme-prod/secrets/k/versions/+1",
            "gcp:projects/acme-prod/secrets/k/versions/LATEST",
            "gcp:projects/acme-prod/secrets/k/versions/18446744073709551616",
            "gcp:projects/acme-prod/secrets/k/versions/latest/",
            "gcp:projects/acme-prod/secrets/k/versions/latest:access",
            "gcp:projects/Acme-prod/secrets/k/versions/1",
            "gcp:projects/acme-/secrets/k/versions/1",
            "gcp:projects/acme/secrets/k/versions/1",
            "gcp:projects/1acme-prod/secrets/k/versions/1",
            "gcp:projects/acme-prod/secrets/k.v/versions/1",
            "gcp:projects/acme-prod/secrets//versions/1",
            "gcp:projects/acme-prod/secrets/../versions/1",
            "gcp:projects/acme-prod/secrets/k%2F/versions/1",
            "gcp:/projects/acme-prod/secrets/k/versions/1",
            "gcp:projects/acme-prod/secret/k/versions/1",
            "gcp:projects/acme-prod/secrets/k/version/1",
            "gcp:projects/acme-prod/secrets/k/versions/1?x=y",
            &long_secret,
        ] {
            assert!(
                matches!(SecretSpec::parse(s), Err(SecretError::InvalidSpec(_))),
                "{s:?}"
            );
        }
        assert!(SecretSpec::parse(&format!("file:{}", "a".repeat(MAX_SPEC_BYTES))).is_err());
    }
}
