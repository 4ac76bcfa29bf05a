//! `jwsgate verify` and `jwsgate verify-jws`: flags → the library's typestate builder →
//! one `Verifier` → `Verifier::verify` / `Verifier::verify_jws`. There is no other
//! verification path.
//!
//! Order matters (docs/cli.md): the verifier is configured completely (key files read and
//! validated, policy checked by `build()`) before the token is read, so a configuration
//! error exits 2 whatever the token, and never waits on standard input.

use std::ffi::OsString;
use std::io::{IsTerminal, Read};

use jwsgate::{ConfigError, Scratch, UnixTime, Verifier};

use crate::UsageError;
use crate::output::{self, Valid};
use crate::source::{self, Algs, Keys, SourceFlags};

/// The claims policy, as given on the command line.
pub struct Policy {
    /// `--issuer`, or `None` for `--no-issuer-check`.
    pub issuer: Option<String>,
    /// `--audience` values, or `None` for `--no-audience-check`.
    pub audiences: Option<Vec<String>>,
    /// `--leeway`.
    pub leeway: u64,
    /// `--typ`.
    pub typ: Option<String>,
    /// `--require-scope` values.
    pub scopes: Vec<String>,
    /// `--max-token-bytes`.
    pub max_token_bytes: usize,
}

/// What a run ends with: the line for standard output and the exit status.
pub struct Outcome {
    /// One JSON object.
    pub line: String,
    /// 0 valid, 1 refused.
    pub exit: u8,
}

/// Applies the policy to a builder that has its key source (and algorithms) and builds.
/// A macro, not a function: the builder's key-source state is a different type per family
/// and the trait bounding `build()` is sealed inside the library, as it should be.
macro_rules! finish {
    ($builder:expr, $policy:expr) => {{
        let p: &Policy = $policy;
        let b = $builder.leeway(p.leeway).max_token_bytes(p.max_token_bytes);
        let b = match &p.typ {
            Some(typ) => b.require_type(typ),
            None => b,
        };
        let b = p.scopes.iter().fold(b, |b, s| b.require_scope(s));
        let b = match &p.issuer {
            Some(iss) => b.issuer(iss),
            None => b.no_issuer_check(),
        };
        let b = match &p.audiences {
            Some(auds) => b.audiences(auds.iter().map(String::as_str)),
            None => b.no_audience_check(),
        };
        b.build()
    }};
}

/// Reads and validates the key source and builds the verifier.
pub fn build_verifier(
    flags: &SourceFlags<'_>,
    alg_names: &[String],
    policy: &Policy,
) -> Result<Verifier, UsageError> {
    if policy.leeway > jwsgate::limits::MAX_LEEWAY_SECS {
        // `build()` refuses it too; saying so first spares reading any key file.
        return Err(ConfigError::LeewayTooLarge(policy.leeway).into());
    }
    let algs = source::parse_algs(alg_names, flags)?;
    let keys = source::load(flags)?;
    let built = match (keys, algs) {
        (Keys::Set(set), Algs::Asymmetric(a)) => {
            finish!(Verifier::builder().key_set(set).algorithms(a), policy)
        }
        (Keys::Set(set), _) => finish!(Verifier::builder().key_set(set), policy),
        (Keys::One(key), Algs::Asymmetric(a)) => {
            finish!(Verifier::builder().public_key(key).algorithms(a), policy)
        }
        (Keys::One(key), _) => finish!(Verifier::builder().public_key(key), policy),
        (Keys::Hmac(key), Algs::Hmac(a)) => {
            finish!(Verifier::builder().hmac_key(*key).algorithms(a), policy)
        }
        (Keys::Hmac(key), _) => finish!(Verifier::builder().hmac_key(*key), policy),
    };
    built.map_err(UsageError::from)
}

/// The token: the argument exactly as given, or standard input (when the argument is
/// `-` or absent) with surrounding white space trimmed. Empty standard input is a usage
/// error. At most `max_token_bytes` plus 64 KiB is read from standard input: a longer
/// input is still longer than the limit, and is refused as `token_too_large`.
pub fn read_token(arg: Option<OsString>, max_token_bytes: usize) -> Result<Vec<u8>, UsageError> {
    if let Some(arg) = arg.filter(|a| a != "-") {
        return Ok(source::arg_bytes(arg));
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("jwsgate: reading the token from standard input (end with Ctrl-D)");
    }
    let cap = max_token_bytes.saturating_add(64 * 1024) as u64;
    let mut buf = Vec::new();
    stdin
        .lock()
        .take(cap)
        .read_to_end(&mut buf)
        .map_err(|e| UsageError(format!("cannot read the token from standard input: {e}")))?;
    let trimmed = buf.trim_ascii();
    if trimmed.is_empty() {
        return Err(UsageError(
            "no token: standard input is empty (give the token as an argument or pipe it in)"
                .into(),
        ));
    }
    Ok(trimmed.to_vec())
}

/// `verify`: signature and claims at `now`.
pub fn verify(verifier: &Verifier, token: &[u8], now: UnixTime) -> Outcome {
    let mut scratch: Scratch = verifier.new_scratch();
    match verifier.verify(&mut scratch, token, now) {
        Ok(v) => Outcome {
            line: output::valid(v.alg(), v.kid(), Valid::Claims(v.claims().json())),
            exit: 0,
        },
        Err(e) => refused(&e),
    }
}

/// `verify-jws`: the signature only, optionally over detached content.
pub fn verify_jws(verifier: &Verifier, token: &[u8], detached: Option<&[u8]>) -> Outcome {
    let mut scratch: Scratch = verifier.new_scratch();
    match verifier.verify_jws(&mut scratch, token, detached) {
        Ok(v) => {
            let b64 = jwsgate::low_level::base64url::encode(v.payload());
            Outcome {
                line: output::valid(v.alg(), v.kid(), Valid::PayloadB64(&b64)),
                exit: 0,
            }
        }
        Err(e) => refused(&e),
    }
}

fn refused(e: &jwsgate::Error) -> Outcome {
    // The detail is for the person at the terminal; stdout carries only code and status.
    eprintln!("jwsgate: token refused: {e}");
    Outcome {
        line: output::refused(e),
        exit: 1,
    }
}
