//! Key sources (`--jwks`, `--public-key`, `--hmac-key`, `--hmac-secret`) and `--alg`, turned into the
//! library's typed values. Every failure here is a configuration error: exit 2, before any
//! token is read.

use std::ffi::{OsStr, OsString};
use std::net::IpAddr;
use std::path::Path;

use jwsgate::{
    Algorithm, AlgorithmFamily, AsymmetricAlg, HmacAlg, KeySet, PublicKey, StrongHmacKey,
};
use zeroize::Zeroizing;

use crate::UsageError;

/// The configured keys, by the builder entry point they go to.
pub enum Keys {
    /// `--jwks` (a file, or a URL fetched once): `.key_set(..)`.
    Set(KeySet),
    /// `--public-key`: `.public_key(..)`.
    One(PublicKey),
    /// `--hmac-key`: `.hmac_key(..)` (boxed: the secret lives inline in the key).
    Hmac(Box<StrongHmacKey>),
}

/// The `--alg` list, checked against the key source's family.
pub enum Algs {
    /// No `--alg`: every algorithm the key source can verify.
    Default,
    /// Asymmetric algorithms, for `--jwks` and `--public-key`.
    Asymmetric(Vec<AsymmetricAlg>),
    /// HMAC algorithms, for `--hmac-key`.
    Hmac(Vec<HmacAlg>),
}

/// The key-source flags as given (clap makes sure exactly one is present).
pub struct SourceFlags<'a> {
    /// `--jwks <PATH or URL>`.
    pub jwks: Option<&'a OsStr>,
    /// `--public-key <PATH>`.
    pub public_key: Option<&'a Path>,
    /// `--hmac-key <PATH>`.
    pub hmac_key: Option<&'a Path>,
    /// `--hmac-secret <SOURCE>`.
    pub hmac_secret: Option<&'a str>,
    /// `--gcp-secret-manager-url <URL>` (the public endpoint when absent).
    pub gcp_secret_manager_url: Option<&'a str>,
    /// `--allow-insecure-loopback`.
    pub allow_insecure_loopback: bool,
}

/// Parses `--alg` values by name and checks each against the source's family: an HMAC
/// name with an asymmetric source, an asymmetric name with `--hmac-key`, `none` and
/// unknown names are configuration errors.
pub fn parse_algs(names: &[String], flags: &SourceFlags<'_>) -> Result<Algs, UsageError> {
    if names.is_empty() {
        return Ok(Algs::Default);
    }
    let hmac_source = flags.hmac_key.is_some() || flags.hmac_secret.is_some();
    let hmac_flag = if flags.hmac_secret.is_some() {
        "--hmac-secret"
    } else {
        "--hmac-key"
    };
    let source = if hmac_source {
        hmac_flag
    } else if flags.jwks.is_some() {
        "--jwks"
    } else {
        "--public-key"
    };
    let mut asym = Vec::new();
    let mut hmac = Vec::new();
    for name in names {
        let alg = Algorithm::from_name(name.as_bytes()).ok_or_else(|| {
            UsageError(format!(
                "--alg {name:?} is not an algorithm jwsgate verifies (known: {})",
                Algorithm::ALL.map(Algorithm::name).join(", ")
            ))
        })?;
        match (alg.family(), hmac_source) {
            (AlgorithmFamily::Hmac(h), true) => hmac.push(h),
            (AlgorithmFamily::Asymmetric(a), false) => asym.push(a),
            (AlgorithmFamily::Hmac(_), false) => {
                return Err(UsageError(format!(
                    "--alg {name} is an HMAC algorithm: it needs --hmac-key or --hmac-secret, not {source} \
                     (public keys never verify HMAC tokens)"
                )));
            }
            (AlgorithmFamily::Asymmetric(_), true) => {
                return Err(UsageError(format!(
                    "--alg {name} is an asymmetric algorithm: it needs --jwks or --public-key, \
                     not {hmac_flag}"
                )));
            }
        }
    }
    Ok(if hmac_source {
        Algs::Hmac(hmac)
    } else {
        Algs::Asymmetric(asym)
    })
}

/// Loads the one key source.
pub fn load(flags: &SourceFlags<'_>) -> Result<Keys, UsageError> {
    if let Some(jwks) = flags.jwks {
        if let Some(url) = as_url(jwks) {
            check_url(url, flags.allow_insecure_loopback)?;
            return fetch_jwks(url, flags.allow_insecure_loopback).map(Keys::Set);
        }
        let path = Path::new(jwks);
        let bytes = read(path, "JWK Set")?;
        return KeySet::from_jwks(&bytes)
            .map(Keys::Set)
            .map_err(|e| UsageError(format!("--jwks {}: {e}", path.display())));
    }
    if let Some(path) = flags.public_key {
        let bytes = read(path, "public key")?;
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        let key = if first == Some(&b'{') {
            PublicKey::from_jwk(&bytes)
        } else {
            PublicKey::from_pem(&bytes)
        };
        return key
            .map(Keys::One)
            .map_err(|e| UsageError(format!("--public-key {}: {e}", path.display())));
    }
    if let Some(path) = flags.hmac_key {
        let bytes = Zeroizing::new(read(path, "HMAC key")?);
        let key = if is_json_object(&bytes) {
            StrongHmacKey::from_jwk(&bytes)
        } else {
            if bytes.ends_with(b"\n") {
                // Raw bytes are used untrimmed (docs/cli.md); `echo secret > file` adds a newline.
                eprintln!(
                    "jwsgate: note: --hmac-key {} ends with a newline, which is part of the secret",
                    path.display()
                );
            }
            StrongHmacKey::new(&bytes)
        };
        return key
            .map(|k| Keys::Hmac(Box::new(k)))
            .map_err(|e| UsageError(format!("--hmac-key {}: {e}", path.display())));
    }
    if let Some(spec) = flags.hmac_secret {
        return crate::secret::hmac_key(spec, flags).map(|k| Keys::Hmac(Box::new(k)));
    }
    Err(UsageError(
        "give exactly one key source: --jwks, --public-key, --hmac-key or --hmac-secret".into(),
    ))
}

/// Whether `bytes` parse as a JSON object (the `--hmac-key` JWK form). The copy that the
/// parser works in is zeroized.
pub fn is_json_object(bytes: &[u8]) -> bool {
    let mut copy = Zeroizing::new(bytes.to_vec());
    matches!(
        simd_json::to_borrowed_value(&mut copy),
        Ok(simd_json::BorrowedValue::Object(_))
    )
}

/// Reads a whole file, as a configuration error when it cannot be read.
pub fn read(path: &Path, what: &str) -> Result<Vec<u8>, UsageError> {
    std::fs::read(path)
        .map_err(|e| UsageError(format!("cannot read the {what} {}: {e}", path.display())))
}

/// The value as a URL, when it has a `scheme://` prefix.
fn as_url(value: &OsStr) -> Option<&str> {
    let s = value.to_str()?;
    let (scheme, _) = s.split_once("://")?;
    let is_scheme = !scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    is_scheme.then_some(s)
}

/// Which URLs `--jwks` fetches: `https://`, or `http://` on a loopback address with
/// `--allow-insecure-loopback`; anything else is a configuration error before any
/// connection. The URL is the configured one only: never a token's `jku` or `x5u`.
fn check_url(url: &str, allow_insecure_loopback: bool) -> Result<(), UsageError> {
    let (scheme, rest) = url.split_once("://").unwrap_or((url, ""));
    if scheme.eq_ignore_ascii_case("https") {
        return Ok(());
    }
    let msg = if scheme.eq_ignore_ascii_case("http") {
        match loopback_host(rest) {
            None => "--jwks refuses http:// URLs: use https://, or http:// on a loopback \
                     address (127.0.0.0/8 or [::1]) together with --allow-insecure-loopback"
                .to_string(),
            Some(_) if !allow_insecure_loopback => {
                "--jwks with an http:// loopback URL also needs --allow-insecure-loopback"
                    .to_string()
            }
            Some(_) => return Ok(()),
        }
    } else {
        format!("--jwks: unsupported URL scheme {scheme:?}; give a file path or an https:// URL")
    };
    Err(UsageError(msg))
}

/// Fetches the JWK Set at `url` once (the library's remote fetcher: 5 s deadline, 256 KiB
/// cap, no redirects, webpki roots) and parses it. Any failure is a configuration error
/// (exit 2), reported before a token is read.
fn fetch_jwks(url: &str, allow_insecure_loopback: bool) -> Result<KeySet, UsageError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| UsageError(format!("--jwks: cannot start the fetcher: {e}")))?;
    let mut builder = jwsgate::remote::RemoteJwks::builder(url);
    if allow_insecure_loopback {
        builder = builder.allow_insecure_loopback();
    }
    runtime
        .block_on(builder.fetch_once())
        .map_err(|e| UsageError(format!("--jwks: {e}")))
}

/// The host of an `http://` URL's authority (`rest` follows `://`) when it is a loopback
/// IP address literal. Names, even `localhost`, are not trusted to resolve to loopback.
/// The host is what follows the last `@` of the authority, so
/// `http://127.0.0.1@attacker.example/` is not loopback.
pub fn loopback_host(rest: &str) -> Option<IpAddr> {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        let (inside, after) = v6.split_once(']')?;
        if !(after.is_empty() || after.starts_with(':')) {
            return None;
        }
        inside
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    let ip: IpAddr = host.parse().ok()?;
    ip.is_loopback().then_some(ip)
}

/// The token argument as bytes, exactly as given (no trimming).
pub fn arg_bytes(arg: OsString) -> Vec<u8> {
    arg.into_encoded_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_an_ip_literal_in_the_authority() {
        assert!(loopback_host("127.0.0.1:8080/jwks.json").is_some());
        assert!(loopback_host("127.1.2.3/x").is_some());
        assert!(loopback_host("[::1]:9/x").is_some());
        assert!(loopback_host("user@127.0.0.1/x").is_some());
        assert!(loopback_host("localhost/x").is_none());
        assert!(loopback_host("127.0.0.1@attacker.example/").is_none());
        assert!(loopback_host("127.0.0.1.attacker.example/").is_none());
        assert!(loopback_host("10.0.0.1/").is_none());
        assert!(loopback_host("[::1]x/").is_none());
    }

    #[test]
    fn urls_are_told_from_paths() {
        assert!(as_url(OsStr::new("https://issuer.example/jwks")).is_some());
        assert!(as_url(OsStr::new("HTTP://127.0.0.1/")).is_some());
        assert!(as_url(OsStr::new("examples/jwks.json")).is_none());
        assert!(as_url(OsStr::new("./a b://c")).is_none());
    }
}
