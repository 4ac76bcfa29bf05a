//! ES256 signing keys with chosen kids, their JWK Set documents and tokens: the rotation
//! tests mint as many key generations as they need.
#![allow(dead_code)]

use ring::rand::SystemRandom;
use ring::signature::{self as sig, KeyPair};

pub const ISS: &str = "https://issuer.example";
pub const AUD: &str = "api://orders";
pub const NOW: u64 = 1_700_000_000;

fn b64(bytes: &[u8]) -> String {
    jwsgate::low_level::base64url::encode(bytes)
}

/// One ES256 key pair with a `kid`.
pub struct Signer {
    pub kid: String,
    pair: sig::EcdsaKeyPair,
}

impl Signer {
    pub fn new(kid: &str) -> Signer {
        let rng = SystemRandom::new();
        let alg = &sig::ECDSA_P256_SHA256_FIXED_SIGNING;
        let pk8 = sig::EcdsaKeyPair::generate_pkcs8(alg, &rng).unwrap();
        Signer {
            kid: kid.to_owned(),
            pair: sig::EcdsaKeyPair::from_pkcs8(alg, pk8.as_ref(), &rng).unwrap(),
        }
    }

    /// The public JWK.
    pub fn jwk(&self) -> String {
        let p = self.pair.public_key().as_ref();
        format!(
            r#"{{"kty":"EC","crv":"P-256","kid":"{}","use":"sig","alg":"ES256","x":"{}","y":"{}"}}"#,
            self.kid,
            b64(&p[1..33]),
            b64(&p[33..65])
        )
    }

    /// A token valid at [`NOW`] for [`ISS`] / [`AUD`].
    pub fn token(&self) -> String {
        let claims = format!(
            r#"{{"iss":"{ISS}","aud":"{AUD}","sub":"user-1","exp":{},"iat":{}}}"#,
            NOW + 600,
            NOW
        );
        self.token_with_kid(&self.kid.clone(), &claims)
    }

    /// A token with header `kid` (any string) and `claims`, signed by this key.
    pub fn token_with_kid(&self, kid: &str, claims: &str) -> String {
        let header = format!(r#"{{"alg":"ES256","kid":"{kid}","typ":"at+jwt"}}"#);
        let input = format!("{}.{}", b64(header.as_bytes()), b64(claims.as_bytes()));
        let s = self
            .pair
            .sign(&SystemRandom::new(), input.as_bytes())
            .unwrap();
        format!("{input}.{}", b64(s.as_ref()))
    }
}

/// A JWK Set of these keys (extra raw JWK objects appended).
pub fn jwks(keys: &[&Signer], extra: &[&str]) -> String {
    let mut all: Vec<String> = keys.iter().map(|k| k.jwk()).collect();
    all.extend(extra.iter().map(|s| s.to_string()));
    format!(r#"{{"keys":[{}]}}"#, all.join(","))
}
