//! The peer crates, each with its default backend and the same checks jwsgate makes:
//! `typ: at+jwt`, iss, aud, exp, nbf, iat (not in the future), the `orders:read` scope,
//! 60 s leeway. Each decodes the claims it checks into its own claims type, as its
//! documentation shows. `None` where the crate does not support the algorithm.
//!
//! Built only with the bench package's `peers` feature (see ../../README.md).

use jwsgate::Algorithm;
use serde::Deserialize;

use super::{AUD, ISS, Keys, LEEWAY_SECS, SCOPE, unix_now};
use jwsgate_fixtures::{HMAC_SECRET, b64};

fn has_scope(scope: &str) -> bool {
    scope.split(' ').any(|s| s == SCOPE)
}

/// The claims a resource server reads, owned (as both peers deserialize them).
#[derive(Deserialize)]
#[allow(dead_code)]
struct AccessClaims {
    iss: String,
    sub: String,
    aud: Vec<String>,
    exp: u64,
    nbf: u64,
    iat: u64,
    jti: String,
    scope: String,
    client_id: String,
}

/// jsonwebtoken with its `aws_lc_rs` backend (it has no default backend since v10; its
/// README names `aws_lc_rs` first).
pub struct JsonWebToken {
    key: jsonwebtoken::DecodingKey,
    validation: jsonwebtoken::Validation,
}

impl JsonWebToken {
    pub fn new(keys: &Keys, alg: Algorithm) -> Option<JsonWebToken> {
        use jsonwebtoken::{Algorithm as A, DecodingKey};
        let (a, key) = match alg {
            Algorithm::HS256 => (A::HS256, DecodingKey::from_secret(&HMAC_SECRET)),
            Algorithm::HS384 => (A::HS384, DecodingKey::from_secret(&HMAC_SECRET)),
            Algorithm::HS512 => (A::HS512, DecodingKey::from_secret(&HMAC_SECRET)),
            Algorithm::RS256 | Algorithm::PS256 => {
                let (n, e) = keys.rsa_components();
                let a = if alg == Algorithm::RS256 {
                    A::RS256
                } else {
                    A::PS256
                };
                (a, DecodingKey::from_rsa_raw_components(&n, &e))
            }
            Algorithm::ES256 | Algorithm::ES384 => {
                let (x, y) = keys.ec_xy(alg);
                let a = if alg == Algorithm::ES256 {
                    A::ES256
                } else {
                    A::ES384
                };
                (a, DecodingKey::from_ec_components(&x, &y).ok()?)
            }
            Algorithm::EdDSA => (
                A::EdDSA,
                DecodingKey::from_ed_components(&b64(&keys.ed25519_public())).ok()?,
            ),
            _ => return None,
        };
        let mut validation = jsonwebtoken::Validation::new(a);
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_issuer(&[ISS]);
        validation.set_audience(&[AUD]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        Some(JsonWebToken { key, validation })
    }

    /// Verifies `token`: accepted?
    #[inline]
    pub fn verify(&self, token: &str) -> bool {
        match jsonwebtoken::decode::<AccessClaims>(token, &self.key, &self.validation) {
            // jsonwebtoken checks neither `typ`, `iat` nor scopes: done here, as a user must.
            Ok(data) => {
                data.header.typ.as_deref() == Some("at+jwt")
                    && data.claims.iat <= unix_now() + LEEWAY_SECS
                    && has_scope(&data.claims.scope)
            }
            Err(_) => false,
        }
    }
}

/// The custom part of the claims for jwt-simple (it reads the registered ones itself).
#[derive(Deserialize)]
#[allow(dead_code)]
struct Custom {
    scope: String,
    client_id: String,
}

enum SimpleKey {
    HS256(jwt_simple::prelude::HS256Key),
    HS384(jwt_simple::prelude::HS384Key),
    HS512(jwt_simple::prelude::HS512Key),
    RS256(jwt_simple::prelude::RS256PublicKey),
    PS256(jwt_simple::prelude::PS256PublicKey),
    ES256(jwt_simple::prelude::ES256PublicKey),
    ES384(jwt_simple::prelude::ES384PublicKey),
    EdDSA(jwt_simple::prelude::Ed25519PublicKey),
}

/// jwt-simple with its default features (`optimal`: the BoringSSL backend).
pub struct JwtSimple {
    key: SimpleKey,
    options: jwt_simple::prelude::VerificationOptions,
}

impl JwtSimple {
    pub fn new(keys: &Keys, alg: Algorithm) -> Option<JwtSimple> {
        use jwt_simple::prelude::*;
        let key = match alg {
            Algorithm::HS256 => SimpleKey::HS256(HS256Key::from_bytes(&HMAC_SECRET)),
            Algorithm::HS384 => SimpleKey::HS384(HS384Key::from_bytes(&HMAC_SECRET)),
            Algorithm::HS512 => SimpleKey::HS512(HS512Key::from_bytes(&HMAC_SECRET)),
            Algorithm::RS256 => {
                let (n, e) = keys.rsa_components();
                SimpleKey::RS256(RS256PublicKey::from_components(&n, &e).ok()?)
            }
            Algorithm::PS256 => {
                let (n, e) = keys.rsa_components();
                SimpleKey::PS256(PS256PublicKey::from_components(&n, &e).ok()?)
            }
            Algorithm::ES256 => {
                SimpleKey::ES256(ES256PublicKey::from_bytes(&keys.ec_point(alg)).ok()?)
            }
            Algorithm::ES384 => {
                SimpleKey::ES384(ES384PublicKey::from_bytes(&keys.ec_point(alg)).ok()?)
            }
            Algorithm::EdDSA => {
                SimpleKey::EdDSA(Ed25519PublicKey::from_bytes(&keys.ed25519_public()).ok()?)
            }
            _ => return None,
        };
        let options = VerificationOptions {
            allowed_issuers: Some(HashSet::from([ISS.to_owned()])),
            allowed_audiences: Some(HashSet::from([AUD.to_owned()])),
            required_signature_type: Some("at+jwt".to_owned()),
            time_tolerance: Some(Duration::from_secs(LEEWAY_SECS)),
            ..VerificationOptions::default()
        };
        Some(JwtSimple { key, options })
    }

    /// Verifies `token`: accepted? (jwt-simple takes the options by value: one clone per
    /// call is the cost of its API.)
    #[inline]
    pub fn verify(&self, token: &str) -> bool {
        use jwt_simple::prelude::*;
        let o = Some(self.options.clone());
        let claims = match &self.key {
            SimpleKey::HS256(k) => k.verify_token::<Custom>(token, o),
            SimpleKey::HS384(k) => k.verify_token::<Custom>(token, o),
            SimpleKey::HS512(k) => k.verify_token::<Custom>(token, o),
            SimpleKey::RS256(k) => k.verify_token::<Custom>(token, o),
            SimpleKey::PS256(k) => k.verify_token::<Custom>(token, o),
            SimpleKey::ES256(k) => k.verify_token::<Custom>(token, o),
            SimpleKey::ES384(k) => k.verify_token::<Custom>(token, o),
            SimpleKey::EdDSA(k) => k.verify_token::<Custom>(token, o),
        };
        // jwt-simple checks exp (required), nbf, iat, iss, aud and typ; the scope is ours.
        match claims {
            Ok(c) => c.expires_at.is_some() && has_scope(&c.custom.scope),
            Err(_) => false,
        }
    }
}

/// Both peers' verdicts on the valid, tampered and expired tokens must be jwsgate's.
pub fn assert_sound(name: &str, alg: Algorithm, verify: impl Fn(&str) -> bool, case: &super::Case) {
    assert!(verify(&case.token), "{name} {alg}: refused the valid token");
    assert!(
        !verify(&case.tampered),
        "{name} {alg}: accepted the tampered token"
    );
    assert!(
        !verify(&case.expired),
        "{name} {alg}: accepted the expired token"
    );
}
