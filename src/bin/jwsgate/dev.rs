//! Development commands: `keygen`, `sign`, `public-jwk`. They make test keys and tokens
//! for trying the verifier by hand; they are not an issuer. They warn on every run and
//! refuse to run where the environment looks like production.
//!
//! Private keys are written as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`, file mode 0600),
//! the format `openssl genpkey` writes, so `sign` takes keys from either. HMAC secrets are
//! written as an `oct` JWK (mode 0600), the form `verify --hmac-key` reads.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64ct::{Base64, Encoding};
use jwsgate::dev::RsaBits;
use jwsgate::{Algorithm, AlgorithmFamily, AsymmetricAlg, HmacAlg, StrongHmacKey, UnixTime};
use ring::rand::SystemRandom;
use ring::signature::{self as rsig, KeyPair};
use zeroize::Zeroizing;

use crate::UsageError;
use crate::output::push_json_string;
use crate::source;

/// Warns, and refuses when the environment looks like production without the override.
pub fn guard(command: &str, override_flag: bool) -> Result<(), UsageError> {
    eprintln!(
        "jwsgate {command}: DEVELOPMENT TOOL — the keys and tokens it makes are for tests \
         only; never use them in production"
    );
    // The library's guard (jwsgate::dev), the one the development tokens use too.
    match jwsgate::dev::detect_production(jwsgate::dev::process_env) {
        Some(why) if !override_flag => Err(UsageError(format!(
            "jwsgate {command} refuses to run: the environment looks like production ({why}). \
             Pass --i-understand-this-is-not-for-production to run it anyway"
        ))),
        Some(why) => {
            eprintln!("jwsgate {command}: running in what looks like production ({why}) as asked");
            Ok(())
        }
        None => Ok(()),
    }
}

/// Parses an `--alg` name.
pub fn parse_alg(name: &str) -> Result<Algorithm, UsageError> {
    Algorithm::from_name(name.as_bytes()).ok_or_else(|| {
        UsageError(format!(
            "{name:?} is not an algorithm jwsgate knows (known: {})",
            Algorithm::ALL.map(Algorithm::name).join(", ")
        ))
    })
}

// ---------------------------------------------------------------------------------------
// keygen

/// `keygen`: writes a new private key (PKCS#8 PEM, mode 0600) and adds its public JWK to
/// `<out-dir>/jwks.json` (created if absent); for HMAC, a random secret of the algorithm's
/// hash length as an `oct` JWK (mode 0600) and no JWK Set. Prints one JSON line naming the
/// files. Never overwrites a key file.
pub fn keygen(
    alg: Algorithm,
    kid: Option<&str>,
    out_dir: &Path,
    rsa_bits: RsaBits,
) -> Result<String, UsageError> {
    std::fs::create_dir_all(out_dir)
        .map_err(|e| UsageError(format!("cannot create {}: {e}", out_dir.display())))?;
    match alg.family() {
        AlgorithmFamily::Hmac(h) => {
            let secret = jwsgate::dev::generate_hmac_secret(h).map_err(keygen_failed)?;
            let kid = kid.map(str::to_owned).unwrap_or_else(|| {
                thumbprint(&[
                    ("k", &jwsgate::low_level::base64url::encode(&secret)),
                    ("kty", "oct"),
                ])
            });
            let mut jwk = Zeroizing::new(String::new());
            jwk.push_str(r#"{"kty":"oct","kid":"#);
            push_json_string(&mut jwk, &kid);
            jwk.push_str(r#","alg":"#);
            push_json_string(&mut jwk, alg.name());
            jwk.push_str(r#","k":""#);
            jwk.push_str(&Zeroizing::new(jwsgate::low_level::base64url::encode(
                &secret,
            )));
            jwk.push_str("\"}\n");
            let path = out_dir.join(format!("{}.jwk", file_stem(&kid, alg)));
            write_private(&path, jwk.as_bytes())?;
            let mut line = String::from(r#"{"alg":"#);
            push_json_string(&mut line, alg.name());
            line.push_str(r#","kid":"#);
            push_json_string(&mut line, &kid);
            line.push_str(r#","hmac_key":"#);
            push_json_string(&mut line, &path.display().to_string());
            line.push('}');
            Ok(line)
        }
        AlgorithmFamily::Asymmetric(a) => {
            let pkcs8 = jwsgate::dev::generate_pkcs8(a, rsa_bits).map_err(keygen_failed)?;
            let key = SigningKey::from_pkcs8(alg, &pkcs8)?;
            let kid = match kid {
                Some(k) => k.to_owned(),
                None => key.thumbprint()?,
            };
            let jwk = key.public_jwk(alg, Some(&kid))?;
            let key_path = out_dir.join(format!("{}.pem", file_stem(&kid, alg)));
            write_private(&key_path, pem_encode("PRIVATE KEY", &pkcs8).as_bytes())?;
            let jwks_path = out_dir.join("jwks.json");
            add_to_jwks(&jwks_path, &jwk)?;
            let mut line = String::from(r#"{"alg":"#);
            push_json_string(&mut line, alg.name());
            line.push_str(r#","kid":"#);
            push_json_string(&mut line, &kid);
            line.push_str(r#","private_key":"#);
            push_json_string(&mut line, &key_path.display().to_string());
            line.push_str(r#","jwks":"#);
            push_json_string(&mut line, &jwks_path.display().to_string());
            line.push('}');
            Ok(line)
        }
    }
}

fn keygen_failed(e: jwsgate::dev::KeygenError) -> UsageError {
    UsageError(format!("key generation failed: {e}"))
}

/// A file name from the `kid` when it is a plain label, else from the algorithm.
fn file_stem(kid: &str, alg: Algorithm) -> String {
    let plain = !kid.is_empty()
        && kid.len() <= 64
        && !kid.starts_with('.')
        && kid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if plain {
        kid.to_owned()
    } else {
        alg.name().to_ascii_lowercase()
    }
}

/// Creates `path` with mode 0600 (never overwriting) and writes `bytes`.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), UsageError> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = opts
        .open(path)
        .map_err(|e| UsageError(format!("cannot create {}: {e}", path.display())))?;
    file.write_all(bytes)
        .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))
}

/// Adds `jwk` (one JSON object) to the JWK Set file at `path`, creating it when absent.
/// The file is rewritten one key per line. A `kid` already in the set is refused.
pub fn add_to_jwks(path: &Path, jwk: &str) -> Result<(), UsageError> {
    let mut keys: Vec<String> = Vec::new();
    if path.exists() {
        let mut bytes = source::read(path, "JWK Set")?;
        let doc: simd_json::OwnedValue = simd_json::to_owned_value(&mut bytes)
            .map_err(|e| UsageError(format!("{} is not JSON: {e}", path.display())))?;
        use simd_json::prelude::*;
        let list = doc
            .get("keys")
            .and_then(|k| k.as_array())
            .ok_or_else(|| UsageError(format!("{} is not a JWK Set", path.display())))?;
        let mut new_bytes = jwk.as_bytes().to_vec();
        let new: simd_json::OwnedValue = simd_json::to_owned_value(&mut new_bytes)
            .map_err(|_| UsageError("internal: JWK is not JSON".into()))?;
        let new_kid = new.get("kid").and_then(|k| k.as_str());
        for key in list {
            if new_kid.is_some() && key.get("kid").and_then(|k| k.as_str()) == new_kid {
                return Err(UsageError(format!(
                    "{} already holds a key with kid {:?}",
                    path.display(),
                    new_kid.unwrap_or_default()
                )));
            }
            keys.push(
                simd_json::to_string(key)
                    .map_err(|e| UsageError(format!("cannot re-encode a key: {e}")))?,
            );
        }
    }
    keys.push(jwk.to_owned());
    let mut text = String::from("{\"keys\":[\n");
    text.push_str(&keys.join(",\n"));
    text.push_str("\n]}\n");
    std::fs::write(path, text)
        .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))
}

// ---------------------------------------------------------------------------------------
// signing keys

/// A private key loaded for signing.
pub enum SigningKey {
    /// An HMAC secret (validated as strong), and the `kid` of its JWK if it had one.
    Hmac(ring::hmac::Key, Option<String>),
    /// An RSA key pair (PKCS#8 or PKCS#1), with the padding for the algorithm.
    Rsa(rsig::RsaKeyPair, &'static dyn rsig::RsaEncoding),
    /// ECDSA on P-256 or P-384 (ring).
    Ec(rsig::EcdsaKeyPair),
    /// ECDSA on P-521 (RustCrypto `p521`; ring has no P-521).
    P521(Box<p521::ecdsa::SigningKey>),
    /// Ed25519.
    Ed(rsig::Ed25519KeyPair),
}

impl SigningKey {
    /// Loads a key file for `alg`: for HMAC an `oct` JWK or raw secret bytes (as
    /// `verify --hmac-key` reads them); otherwise a PKCS#8 private key, PEM or DER (RSA
    /// also as PKCS#1 `RSA PRIVATE KEY`).
    pub fn load(alg: Algorithm, path: &Path) -> Result<SigningKey, UsageError> {
        let bytes = Zeroizing::new(source::read(path, "private key")?);
        if let AlgorithmFamily::Hmac(h) = alg.family() {
            return hmac_key(h, &bytes);
        }
        let (label, der) = match pem_decode(&bytes) {
            Some((label, der)) => (label, der),
            None => (String::from("PRIVATE KEY"), Zeroizing::new(bytes.to_vec())),
        };
        match label.as_str() {
            "PRIVATE KEY" => SigningKey::from_pkcs8(alg, &der),
            "RSA PRIVATE KEY" if matches!(alg.family(), AlgorithmFamily::Asymmetric(a) if a.key_kind() == jwsgate::KeyKind::Rsa) =>
            {
                let kp = rsig::RsaKeyPair::from_der(&der)
                    .map_err(|e| UsageError(format!("not a usable RSA private key: {e}")))?;
                Ok(SigningKey::Rsa(kp, rsa_encoding(alg)))
            }
            "ENCRYPTED PRIVATE KEY" => Err(UsageError(
                "the private key is encrypted; decrypt it with `openssl pkcs8 -in KEY -out \
                 plain.pem` first"
                    .into(),
            )),
            "EC PRIVATE KEY" => Err(UsageError(
                "SEC1 `EC PRIVATE KEY` files are not read; convert with `openssl pkcs8 -topk8 \
                 -nocrypt -in KEY -out key.pem`"
                    .into(),
            )),
            other => Err(UsageError(format!(
                "a PEM {other:?} is not a private key jwsgate signs with (want PRIVATE KEY)"
            ))),
        }
    }

    /// A PKCS#8 DER private key for `alg`.
    fn from_pkcs8(alg: Algorithm, der: &[u8]) -> Result<SigningKey, UsageError> {
        let rejected = |e: ring::error::KeyRejected| {
            UsageError(format!(
                "the private key is not a {} PKCS#8 key: {e}",
                alg.name()
            ))
        };
        let AlgorithmFamily::Asymmetric(a) = alg.family() else {
            return Err(UsageError("internal: HMAC is not PKCS#8".into()));
        };
        let rng = SystemRandom::new();
        Ok(match a {
            AsymmetricAlg::ES256 => SigningKey::Ec(
                rsig::EcdsaKeyPair::from_pkcs8(&rsig::ECDSA_P256_SHA256_FIXED_SIGNING, der, &rng)
                    .map_err(rejected)?,
            ),
            AsymmetricAlg::ES384 => SigningKey::Ec(
                rsig::EcdsaKeyPair::from_pkcs8(&rsig::ECDSA_P384_SHA384_FIXED_SIGNING, der, &rng)
                    .map_err(rejected)?,
            ),
            AsymmetricAlg::ES512 => {
                use p521::pkcs8::DecodePrivateKey;
                let key = p521::ecdsa::SigningKey::from_pkcs8_der(der)
                    .map_err(|_| UsageError("the private key is not a P-521 PKCS#8 key".into()))?;
                SigningKey::P521(Box::new(key))
            }
            AsymmetricAlg::EdDSA => SigningKey::Ed(
                // openssl writes PKCS#8 v1 (no public key); ring's own keys are v2.
                rsig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(der).map_err(rejected)?,
            ),
            _ => SigningKey::Rsa(
                rsig::RsaKeyPair::from_pkcs8(der).map_err(rejected)?,
                rsa_encoding(alg),
            ),
        })
    }

    /// The `kid` an HMAC JWK carried, used when `--kid` is not given.
    pub fn jwk_kid(&self) -> Option<&str> {
        match self {
            SigningKey::Hmac(_, kid) => kid.as_deref(),
            _ => None,
        }
    }

    /// Signs `message` (the JWS signing input) in the JWS signature format.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, UsageError> {
        let rng = SystemRandom::new();
        let failed = |_| UsageError("signing failed".into());
        Ok(match self {
            SigningKey::Hmac(key, _) => ring::hmac::sign(key, message).as_ref().to_vec(),
            SigningKey::Rsa(kp, enc) => {
                let mut sig = vec![0u8; kp.public().modulus_len()];
                kp.sign(*enc, &rng, message, &mut sig).map_err(failed)?;
                sig
            }
            SigningKey::Ec(kp) => kp.sign(&rng, message).map_err(failed)?.as_ref().to_vec(),
            SigningKey::P521(key) => {
                use p521::ecdsa::signature::Signer;
                let sig: p521::ecdsa::Signature = key.sign(message);
                sig.to_bytes().to_vec()
            }
            SigningKey::Ed(kp) => kp.sign(message).as_ref().to_vec(),
        })
    }

    /// The public members of the key's JWK, sorted by name as RFC 7638 wants.
    fn public_members(&self) -> Result<Vec<(&'static str, String)>, UsageError> {
        let b64 = jwsgate::low_level::base64url::encode;
        Ok(match self {
            SigningKey::Hmac(..) => {
                return Err(UsageError(
                    "an HMAC secret has no public key: it is never published".into(),
                ));
            }
            SigningKey::Rsa(kp, _) => {
                let c = ring::rsa::PublicKeyComponents::<Vec<u8>>::from(kp.public());
                vec![("e", b64(&c.e)), ("kty", "RSA".into()), ("n", b64(&c.n))]
            }
            SigningKey::Ec(kp) => {
                let point = kp.public_key().as_ref();
                ec_members(point)?
            }
            SigningKey::P521(key) => {
                let point = key.verifying_key().to_sec1_point(false);
                ec_members(point.as_bytes())?
            }
            SigningKey::Ed(kp) => vec![
                ("crv", "Ed25519".into()),
                ("kty", "OKP".into()),
                ("x", b64(kp.public_key().as_ref())),
            ],
        })
    }

    /// The RFC 7638 thumbprint of the public key, the default `kid` of `keygen`.
    pub fn thumbprint(&self) -> Result<String, UsageError> {
        let members = self.public_members()?;
        let pairs: Vec<(&str, &str)> = members.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Ok(thumbprint(&pairs))
    }

    /// The public JWK, one line: key members, then `use`, `alg` and `kid`.
    pub fn public_jwk(&self, alg: Algorithm, kid: Option<&str>) -> Result<String, UsageError> {
        let mut out = String::from("{");
        for (name, value) in self.public_members()? {
            push_json_string(&mut out, name);
            out.push(':');
            push_json_string(&mut out, &value);
            out.push(',');
        }
        if let Some(kid) = kid {
            out.push_str(r#""kid":"#);
            push_json_string(&mut out, kid);
            out.push(',');
        }
        out.push_str(r#""use":"sig","alg":"#);
        push_json_string(&mut out, alg.name());
        out.push('}');
        Ok(out)
    }
}

/// `crv`, `kty`, `x`, `y` of an uncompressed SEC1 point.
fn ec_members(point: &[u8]) -> Result<Vec<(&'static str, String)>, UsageError> {
    let b64 = jwsgate::low_level::base64url::encode;
    let (crv, n) = match point.len() {
        65 => ("P-256", 32),
        97 => ("P-384", 48),
        133 => ("P-521", 66),
        _ => return Err(UsageError("internal: unexpected EC point length".into())),
    };
    let (x, y) = point
        .get(1..)
        .map(|xy| xy.split_at(n))
        .ok_or_else(|| UsageError("internal: empty EC point".into()))?;
    Ok(vec![
        ("crv", crv.into()),
        ("kty", "EC".into()),
        ("x", b64(x)),
        ("y", b64(y)),
    ])
}

/// RFC 7638: base64url(SHA-256(the required members, sorted, no white space)).
fn thumbprint(sorted_members: &[(&str, &str)]) -> String {
    let mut canonical = Zeroizing::new(String::from("{"));
    for (i, (name, value)) in sorted_members.iter().enumerate() {
        if i > 0 {
            canonical.push(',');
        }
        push_json_string(&mut canonical, name);
        canonical.push(':');
        push_json_string(&mut canonical, value);
    }
    canonical.push('}');
    let digest = ring::digest::digest(&ring::digest::SHA256, canonical.as_bytes());
    jwsgate::low_level::base64url::encode(digest.as_ref())
}

fn rsa_encoding(alg: Algorithm) -> &'static dyn rsig::RsaEncoding {
    match alg {
        Algorithm::RS384 => &rsig::RSA_PKCS1_SHA384,
        Algorithm::RS512 => &rsig::RSA_PKCS1_SHA512,
        Algorithm::PS256 => &rsig::RSA_PSS_SHA256,
        Algorithm::PS384 => &rsig::RSA_PSS_SHA384,
        Algorithm::PS512 => &rsig::RSA_PSS_SHA512,
        _ => &rsig::RSA_PKCS1_SHA256,
    }
}

/// An HMAC key file: an `oct` JWK when it parses as a JSON object, else the raw bytes,
/// checked by [`StrongHmacKey`] exactly as `verify --hmac-key` checks them.
fn hmac_key(alg: HmacAlg, bytes: &[u8]) -> Result<SigningKey, UsageError> {
    let (secret, kid) = if source::is_json_object(bytes) {
        StrongHmacKey::from_jwk(bytes)?;
        let mut copy = Zeroizing::new(bytes.to_vec());
        let doc = simd_json::to_owned_value(&mut copy)
            .map_err(|e| UsageError(format!("the HMAC JWK is not JSON: {e}")))?;
        use simd_json::prelude::*;
        let k = doc
            .get("k")
            .and_then(|k| k.as_str())
            .ok_or_else(|| UsageError("the HMAC JWK has no \"k\"".into()))?;
        let mut secret = Zeroizing::new(Vec::new());
        jwsgate::low_level::base64url::decode_into_vec(k.as_bytes(), &mut secret)
            .ok_or_else(|| UsageError("the HMAC JWK's \"k\" is not base64url".into()))?;
        let kid = doc.get("kid").and_then(|k| k.as_str()).map(str::to_owned);
        (secret, kid)
    } else {
        StrongHmacKey::new(bytes)?;
        (Zeroizing::new(bytes.to_vec()), None)
    };
    if secret.len() < alg.min_key_len() {
        return Err(UsageError(format!(
            "an HMAC secret of {} bytes is too short for {:?} (at least {})",
            secret.len(),
            alg,
            alg.min_key_len()
        )));
    }
    Ok(SigningKey::Hmac(
        ring::hmac::Key::new(alg.ring(), &secret),
        kid,
    ))
}

// ---------------------------------------------------------------------------------------
// sign

/// What `sign` was asked to sign.
pub struct SignRequest<'a> {
    /// `--alg`.
    pub alg: Algorithm,
    /// `--kid`.
    pub kid: Option<&'a str>,
    /// `--typ`; empty for none.
    pub typ: &'a str,
    /// `--claims` (JSON text, or `@FILE`).
    pub claims: &'a str,
    /// `--expires-in`.
    pub expires_in: Option<u64>,
}

/// `sign`: a compact JWS over the claims, exactly as given but without insignificant white
/// space, with `exp` added when `--expires-in` is given.
pub fn sign(key: &SigningKey, req: &SignRequest<'_>) -> Result<String, UsageError> {
    let text = match req.claims.strip_prefix('@') {
        Some(path) => String::from_utf8(source::read(Path::new(path), "claims file")?)
            .map_err(|_| UsageError(format!("{path} is not UTF-8")))?,
        None => req.claims.to_owned(),
    };
    let mut copy = text.clone().into_bytes();
    let doc = simd_json::to_owned_value(&mut copy)
        .map_err(|e| UsageError(format!("--claims is not JSON: {e}")))?;
    let simd_json::OwnedValue::Object(obj) = &doc else {
        return Err(UsageError("--claims must be a JSON object".into()));
    };
    let mut payload = String::with_capacity(text.len() + 24);
    crate::output::push_minified(&mut payload, text.trim());
    if let Some(secs) = req.expires_in {
        if obj.contains_key("exp") {
            return Err(UsageError(
                "--claims already has \"exp\"; drop it or drop --expires-in".into(),
            ));
        }
        let exp = UnixTime::now().as_secs().saturating_add(secs);
        payload.pop(); // the closing brace
        if !obj.is_empty() {
            payload.push(',');
        }
        payload.push_str(&format!("\"exp\":{exp}}}"));
    }
    let mut header = format!("{{\"alg\":\"{}\"", req.alg.name());
    if !req.typ.is_empty() {
        header.push_str(r#","typ":"#);
        push_json_string(&mut header, req.typ);
    }
    if let Some(kid) = req.kid.or(key.jwk_kid()) {
        header.push_str(r#","kid":"#);
        push_json_string(&mut header, kid);
    }
    header.push('}');
    let mut token = jwsgate::low_level::base64url::encode(header.as_bytes());
    token.push('.');
    token.push_str(&jwsgate::low_level::base64url::encode(payload.as_bytes()));
    let signature = key.sign(token.as_bytes())?;
    token.push('.');
    token.push_str(&jwsgate::low_level::base64url::encode(&signature));
    Ok(token)
}

/// `public-jwk`: the public JWK of a private key file; with `add_to`, added to that JWK
/// Set file instead of printed.
pub fn public_jwk(
    alg: Algorithm,
    key_path: &Path,
    kid: Option<&str>,
    add_to: Option<&PathBuf>,
) -> Result<Option<String>, UsageError> {
    let key = SigningKey::load(alg, key_path)?;
    let kid = match kid {
        Some(k) => k.to_owned(),
        None => key.thumbprint()?,
    };
    let jwk = key.public_jwk(alg, Some(&kid))?;
    match add_to {
        Some(path) => add_to_jwks(path, &jwk).map(|()| None),
        None => Ok(Some(jwk)),
    }
}

// ---------------------------------------------------------------------------------------
// PEM

/// `-----BEGIN <label>-----`, base64 lines, `-----END <label>-----` (RFC 7468). Text
/// before the first boundary is ignored, as openssl writes explanatory text there.
pub fn pem_decode(bytes: &[u8]) -> Option<(String, Zeroizing<Vec<u8>>)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find("-----BEGIN ")?;
    let rest = text.get(start + 11..)?;
    let (label, rest) = rest.split_once("-----")?;
    let end = format!("-----END {label}-----");
    let (body, _) = rest.split_once(end.as_str())?;
    let b64: Zeroizing<String> =
        Zeroizing::new(body.chars().filter(|c| !c.is_ascii_whitespace()).collect());
    let der = Base64::decode_vec(&b64).ok()?;
    Some((label.to_owned(), Zeroizing::new(der)))
}

/// PEM with 64-character lines.
pub fn pem_encode(label: &str, der: &[u8]) -> Zeroizing<String> {
    let b64 = Zeroizing::new(Base64::encode_string(der));
    let mut out = Zeroizing::new(format!("-----BEGIN {label}-----\n"));
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_round_trips() {
        let der: Vec<u8> = (0..=255).collect();
        let pem = pem_encode("PRIVATE KEY", &der);
        let (label, back) = pem_decode(format!("junk\n{}", *pem).as_bytes()).unwrap();
        assert_eq!(label, "PRIVATE KEY");
        assert_eq!(*back, der);
    }

    #[test]
    fn thumbprint_matches_rfc7638_example() {
        // RFC 7638 §3.1.
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        let tp = thumbprint(&[("e", "AQAB"), ("kty", "RSA"), ("n", n)]);
        assert_eq!(tp, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }
}
