//! `jwsgate`: verify a compact JWS / JWT from the command line.
//!
//! The contract is `docs/cli.md`: `verify` and `verify-jws` print one line of JSON on
//! standard output and exit 0 (valid), 1 (refused) or 2 (usage or configuration error,
//! message on standard error, nothing on standard output). Both configure the library's
//! typestate builder and call `Verifier::verify` / `Verifier::verify_jws`: there is no
//! second verification path.
//!
//! `keygen`, `sign` and `public-jwk` are development helpers that make test keys and
//! tokens; they warn on every run and refuse to run in what looks like production.

// A binary's root resolves modules beside itself; these live in src/bin/jwsgate/.
#[path = "jwsgate/dev.rs"]
mod dev;
#[cfg(feature = "introspection")]
#[path = "jwsgate/introspect.rs"]
mod introspect;
#[path = "jwsgate/output.rs"]
mod output;
#[path = "jwsgate/secret.rs"]
mod secret;
#[path = "jwsgate/source.rs"]
mod source;
#[path = "jwsgate/verify.rs"]
mod verify;

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use jwsgate::UnixTime;
use jwsgate::limits::{DEFAULT_LEEWAY_SECS, DEFAULT_MAX_TOKEN_BYTES};

/// A usage or configuration error: the message goes to standard error, the exit status
/// is 2 and nothing is printed on standard output.
#[derive(Debug)]
pub struct UsageError(pub String);

impl From<jwsgate::ConfigError> for UsageError {
    fn from(e: jwsgate::ConfigError) -> Self {
        UsageError(format!("configuration error: {e}"))
    }
}

#[derive(Parser)]
#[command(
    name = "jwsgate",
    version,
    about = "Verify compact JWS / JWT bearer tokens",
    long_about = "Verify compact JWS / JWT bearer tokens.\n\n\
        Output: one JSON object on one line. Exit status: 0 valid, 1 token refused, \
        2 usage or configuration error (message on standard error)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Verify a bearer token: signature, then claims (exp, nbf, iat, iss, aud, scopes).
    Verify(VerifyArgs),
    /// Verify a JWS signature only (RFC 7515): any payload, no claims.
    VerifyJws(VerifyJwsArgs),
    /// Judge an opaque token through RFC 7662 introspection, with verify's policy flags.
    #[cfg(feature = "introspection")]
    Introspect(IntrospectArgs),
    /// DEVELOPMENT ONLY: make a test key pair (or HMAC secret).
    Keygen(KeygenArgs),
    /// DEVELOPMENT ONLY: sign claims into a compact token.
    Sign(SignArgs),
    /// DEVELOPMENT ONLY: print (or add to a JWK Set) the public JWK of a private key file.
    PublicJwk(PublicJwkArgs),
}

/// Exactly one key source.
#[derive(Args)]
#[group(id = "key_source", required = true, multiple = false)]
struct KeySourceArgs {
    /// A JWK Set document: a file path, or a URL fetched once before the token is read
    /// (https://, or http:// on a loopback address with --allow-insecure-loopback; a
    /// failed fetch exits 2).
    #[arg(long, value_name = "PATH or URL")]
    jwks: Option<OsString>,
    /// One public key: a JWK (JSON object), or PEM (PUBLIC KEY or RSA PUBLIC KEY).
    #[arg(long, value_name = "PATH")]
    public_key: Option<PathBuf>,
    /// An HMAC secret: a JWK with "kty":"oct", or else the file's raw bytes.
    #[arg(long, value_name = "PATH")]
    hmac_key: Option<PathBuf>,
    /// An HMAC secret from env:NAME, file:PATH (one trailing newline trimmed) or
    /// gcp:projects/P/secrets/S/versions/{N|latest} (Google Cloud Secret Manager;
    /// credentials by gcp_auth's discovery, GOOGLE_APPLICATION_CREDENTIALS first).
    #[arg(long, value_name = "SOURCE")]
    hmac_secret: Option<String>,
}

#[derive(Args)]
struct CommonArgs {
    #[command(flatten)]
    source: KeySourceArgs,
    /// Allow an http:// --jwks URL on a loopback address.
    #[arg(long)]
    allow_insecure_loopback: bool,
    /// The Secret Manager endpoint for --hmac-secret gcp:... (http:// only on a loopback
    /// address with --allow-insecure-loopback) [default: https://secretmanager.googleapis.com].
    #[arg(long, value_name = "URL", requires = "hmac_secret")]
    gcp_secret_manager_url: Option<String>,
    /// An allowed algorithm; repeatable [default: every algorithm the key source can verify].
    #[arg(long, value_name = "ALG")]
    alg: Vec<String>,
    /// Larger tokens are refused before any decoding.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_TOKEN_BYTES)]
    max_token_bytes: usize,
}

/// The claims policy of `verify` and `introspect` (docs/cli.md, "Policy").
#[derive(Args)]
struct ClaimsPolicyArgs {
    /// The one accepted `iss`, compared exactly.
    #[arg(
        long,
        value_name = "ISS",
        required_unless_present = "no_issuer_check",
        conflicts_with = "no_issuer_check"
    )]
    issuer: Option<String>,
    /// Accept any issuer.
    #[arg(long)]
    no_issuer_check: bool,
    /// An accepted audience; repeatable. The token's `aud` must contain one.
    #[arg(
        long,
        value_name = "AUD",
        required_unless_present = "no_audience_check",
        conflicts_with = "no_audience_check"
    )]
    audience: Vec<String>,
    /// Accept any audience.
    #[arg(long)]
    no_audience_check: bool,
    /// Clock skew allowed on exp, nbf and iat, in seconds (at most 120).
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_LEEWAY_SECS)]
    leeway: u64,
    /// The instant at which time claims are judged [default: the system clock].
    #[arg(long, value_name = "UNIX SECONDS")]
    now: Option<u64>,
    /// A scope the token must carry (`scope` or `scp`); repeatable.
    #[arg(long, value_name = "SCOPE")]
    require_scope: Vec<String>,
}

impl ClaimsPolicyArgs {
    /// `--now`, or the system clock.
    fn now(&self) -> UnixTime {
        self.now.map_or_else(UnixTime::now, UnixTime::from_secs)
    }

    /// The accepted audiences, or `None` for `--no-audience-check`.
    fn audiences(&self) -> Option<&[String]> {
        (!self.no_audience_check).then_some(self.audience.as_slice())
    }
}

#[derive(Args)]
struct VerifyArgs {
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    policy: ClaimsPolicyArgs,
    /// The header `typ` the token must carry, e.g. at+jwt.
    #[arg(long, value_name = "TYP")]
    typ: Option<String>,
    /// The compact JWS; `-` or absent: read from standard input.
    #[arg(value_name = "TOKEN")]
    token: Option<OsString>,
}

#[derive(Args)]
struct VerifyJwsArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// The content of a token with an empty payload segment (RFC 7515 Appendix F).
    #[arg(long, value_name = "PATH")]
    detached_payload: Option<PathBuf>,
    /// The compact JWS; `-` or absent: read from standard input.
    #[arg(value_name = "TOKEN")]
    token: Option<OsString>,
}

#[cfg(feature = "introspection")]
#[derive(Args)]
struct IntrospectArgs {
    /// The introspection endpoint: https://, or http:// on a loopback address with
    /// --allow-insecure-loopback.
    #[arg(long, value_name = "URL")]
    endpoint: String,
    /// Allow an http:// --endpoint on a loopback address.
    #[arg(long)]
    allow_insecure_loopback: bool,
    /// The resource server's client id at the authorization server.
    #[arg(long, value_name = "ID")]
    client_id: String,
    /// The client secret: env:NAME, file:PATH or gcp:projects/P/secrets/S/versions/V.
    #[arg(long, value_name = "SOURCE")]
    client_secret: String,
    /// The Secret Manager endpoint for --client-secret gcp:... (http:// only on a loopback
    /// address with --allow-insecure-loopback) [default: https://secretmanager.googleapis.com].
    #[arg(long, value_name = "URL")]
    gcp_secret_manager_url: Option<String>,
    /// basic (client_secret_basic) or post (client_secret_post).
    #[arg(long, value_name = "METHOD", default_value = "basic")]
    auth_method: String,
    #[command(flatten)]
    policy: ClaimsPolicyArgs,
    /// Larger tokens are refused before anything is sent.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_TOKEN_BYTES)]
    max_token_bytes: usize,
    /// The opaque token; `-` or absent: read from standard input.
    #[arg(value_name = "TOKEN")]
    token: Option<OsString>,
}

#[derive(Args)]
struct DevArgs {
    /// Run even where the environment looks like production (ENVIRONMENT or APP_ENV =
    /// production or prod; K_SERVICE, CLOUD_RUN_JOB, KUBERNETES_SERVICE_HOST,
    /// AWS_LAMBDA_FUNCTION_NAME or FLY_APP_NAME set).
    #[arg(long)]
    i_understand_this_is_not_for_production: bool,
}

#[derive(Args)]
struct KeygenArgs {
    /// Any algorithm: RS256..RS512, PS256..PS512, ES256, ES384, ES512, EdDSA, HS256..HS512.
    #[arg(long, value_name = "ALG")]
    alg: String,
    /// The RSA modulus size for RS*/PS* keys: 2048, 3072 or 4096.
    #[arg(long, value_name = "BITS", default_value_t = 2048)]
    rsa_bits: usize,
    /// The key id [default: the RFC 7638 thumbprint].
    #[arg(long, value_name = "KID")]
    kid: Option<String>,
    /// Where to write the key file and jwks.json (a key is added to an existing jwks.json).
    #[arg(long, value_name = "DIR")]
    out_dir: PathBuf,
    #[command(flatten)]
    dev: DevArgs,
}

#[derive(Args)]
struct SignArgs {
    /// The private key: PKCS#8 PEM or DER (RSA also PKCS#1); for HMAC an oct JWK or raw bytes.
    #[arg(long, value_name = "PRIVATE KEY FILE")]
    key: PathBuf,
    /// The algorithm to sign with.
    #[arg(long, value_name = "ALG")]
    alg: String,
    /// The header `kid` [default: none; for an HMAC JWK, its kid].
    #[arg(long, value_name = "KID")]
    kid: Option<String>,
    /// The header `typ`; an empty value leaves it out.
    #[arg(long, value_name = "TYP", default_value = "JWT")]
    typ: String,
    /// The claims: a JSON object, or @FILE.
    #[arg(long, value_name = "JSON or @FILE")]
    claims: String,
    /// Adds exp = now + SECONDS.
    #[arg(long, value_name = "SECONDS")]
    expires_in: Option<u64>,
    #[command(flatten)]
    dev: DevArgs,
}

#[derive(Args)]
struct PublicJwkArgs {
    /// The private key file (PKCS#8 PEM or DER; RSA also PKCS#1).
    #[arg(long, value_name = "PRIVATE KEY FILE")]
    key: PathBuf,
    /// The algorithm the key is for (written as the JWK's "alg").
    #[arg(long, value_name = "ALG")]
    alg: String,
    /// The key id [default: the RFC 7638 thumbprint].
    #[arg(long, value_name = "KID")]
    kid: Option<String>,
    /// Add the JWK to this JWK Set file (created if absent) instead of printing it.
    #[arg(long, value_name = "JWKS FILE")]
    add_to: Option<PathBuf>,
    #[command(flatten)]
    dev: DevArgs,
}

fn main() -> ExitCode {
    // Usage errors exit 2 on standard error; --help and --version exit 0.
    let cli = Cli::try_parse().unwrap_or_else(|e| e.exit());
    match run(cli.command) {
        Ok((line, code)) => {
            let mut stdout = std::io::stdout().lock();
            if let Some(line) = line {
                if let Err(e) = writeln!(stdout, "{line}").and_then(|()| stdout.flush()) {
                    eprintln!("jwsgate: cannot write to standard output: {e}");
                    return ExitCode::from(2);
                }
            }
            ExitCode::from(code)
        }
        Err(UsageError(msg)) => {
            eprintln!("jwsgate: {msg}");
            ExitCode::from(2)
        }
    }
}

/// Runs one command: the line for standard output (if any) and the exit status.
fn run(command: Command) -> Result<(Option<String>, u8), UsageError> {
    match command {
        Command::Verify(a) => {
            let flags = source_flags(&a.common);
            let policy = verify::Policy {
                issuer: a.policy.issuer.clone(),
                audiences: a.policy.audiences().map(<[String]>::to_vec),
                leeway: a.policy.leeway,
                typ: a.typ,
                scopes: a.policy.require_scope.clone(),
                max_token_bytes: a.common.max_token_bytes,
            };
            let verifier = verify::build_verifier(&flags, &a.common.alg, &policy)?;
            let token = verify::read_token(a.token, verifier.max_token_bytes())?;
            let now = a.policy.now();
            let out = verify::verify(&verifier, &token, now);
            Ok((Some(out.line), out.exit))
        }
        Command::VerifyJws(a) => {
            let flags = source_flags(&a.common);
            let policy = verify::Policy {
                issuer: None,
                audiences: None,
                leeway: DEFAULT_LEEWAY_SECS,
                typ: None,
                scopes: Vec::new(),
                max_token_bytes: a.common.max_token_bytes,
            };
            let verifier = verify::build_verifier(&flags, &a.common.alg, &policy)?;
            let detached = match &a.detached_payload {
                Some(path) => Some(source::read(path, "detached payload")?),
                None => None,
            };
            let token = verify::read_token(a.token, verifier.max_token_bytes())?;
            let out = verify::verify_jws(&verifier, &token, detached.as_deref());
            Ok((Some(out.line), out.exit))
        }
        #[cfg(feature = "introspection")]
        Command::Introspect(a) => {
            let req = introspect::Request {
                endpoint: &a.endpoint,
                allow_insecure_loopback: a.allow_insecure_loopback,
                client_id: &a.client_id,
                client_secret: &a.client_secret,
                gcp_secret_manager_url: a.gcp_secret_manager_url.as_deref(),
                auth: introspect::parse_auth(&a.auth_method)?,
                issuer: a.policy.issuer.as_deref(),
                audiences: a.policy.audiences(),
                leeway: a.policy.leeway,
                scopes: &a.policy.require_scope,
                max_token_bytes: a.max_token_bytes,
            };
            let introspector = introspect::build(&req)?;
            let token = verify::read_token(a.token, a.max_token_bytes)?;
            let now = a.policy.now();
            let out = introspect::introspect(&introspector, &token, now)?;
            Ok((Some(out.line), out.exit))
        }
        Command::Keygen(a) => {
            dev::guard("keygen", a.dev.i_understand_this_is_not_for_production)?;
            let alg = dev::parse_alg(&a.alg)?;
            let bits = jwsgate::dev::RsaBits::from_bits(a.rsa_bits).ok_or_else(|| {
                UsageError(format!(
                    "--rsa-bits {} is not a size keygen makes (2048, 3072 or 4096)",
                    a.rsa_bits
                ))
            })?;
            let line = dev::keygen(alg, a.kid.as_deref(), &a.out_dir, bits)?;
            Ok((Some(line), 0))
        }
        Command::Sign(a) => {
            dev::guard("sign", a.dev.i_understand_this_is_not_for_production)?;
            let alg = dev::parse_alg(&a.alg)?;
            let key = dev::SigningKey::load(alg, &a.key)?;
            let token = dev::sign(
                &key,
                &dev::SignRequest {
                    alg,
                    kid: a.kid.as_deref(),
                    typ: &a.typ,
                    claims: &a.claims,
                    expires_in: a.expires_in,
                },
            )?;
            Ok((Some(token), 0))
        }
        Command::PublicJwk(a) => {
            dev::guard("public-jwk", a.dev.i_understand_this_is_not_for_production)?;
            let alg = dev::parse_alg(&a.alg)?;
            let jwk = dev::public_jwk(alg, &a.key, a.kid.as_deref(), a.add_to.as_ref())?;
            Ok((jwk, 0))
        }
    }
}

fn source_flags(c: &CommonArgs) -> source::SourceFlags<'_> {
    source::SourceFlags {
        jwks: c.source.jwks.as_deref(),
        public_key: c.source.public_key.as_deref(),
        hmac_key: c.source.hmac_key.as_deref(),
        hmac_secret: c.source.hmac_secret.as_deref(),
        gcp_secret_manager_url: c.gcp_secret_manager_url.as_deref(),
        allow_insecure_loopback: c.allow_insecure_loopback,
    }
}
