//! Test-only signing: one key per algorithm, tokens built by hand with ring (and p521),
//! and the matching jwsgate key sources. Nothing here is used by the library.
#![allow(dead_code)]

use jwsgate::{Algorithm, AsymmetricAlg, HmacAlg, KeySet, PublicKey, StrongHmacKey};
use ring::rand::SystemRandom;
use ring::signature::{self as sig, KeyPair};

/// A 64-byte HMAC secret that passes the strength checks.
pub const HMAC_SECRET: [u8; 64] = {
    let mut s = [0u8; 64];
    let mut i = 0;
    let mut x: u32 = 0x9e37_79b9;
    while i < 64 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        s[i] = (x >> 11) as u8;
        i += 1;
    }
    s
};

/// A fixed P-521 private scalar (66 bytes, below the group order).
const P521_SECRET: [u8; 66] = {
    let mut s = [0x11u8; 66];
    s[0] = 0x01;
    s
};

pub fn b64(bytes: &[u8]) -> String {
    jwsgate::base64url::encode(bytes)
}

/// Signs with every algorithm; one key each.
pub struct Keys {
    rsa: sig::RsaKeyPair,
    p256: sig::EcdsaKeyPair,
    p384: sig::EcdsaKeyPair,
    p521: p521::ecdsa::SigningKey,
    ed25519: sig::Ed25519KeyPair,
}

impl Keys {
    pub fn new() -> Keys {
        let rng = SystemRandom::new();
        let ec = |alg| {
            let pk8 = sig::EcdsaKeyPair::generate_pkcs8(alg, &rng).unwrap();
            sig::EcdsaKeyPair::from_pkcs8(alg, pk8.as_ref(), &rng).unwrap()
        };
        let ed = sig::Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
        Keys {
            rsa: sig::RsaKeyPair::from_pkcs8(include_bytes!("../data/rsa2048.pk8.der")).unwrap(),
            p256: ec(&sig::ECDSA_P256_SHA256_FIXED_SIGNING),
            p384: ec(&sig::ECDSA_P384_SHA384_FIXED_SIGNING),
            p521: p521::ecdsa::SigningKey::from_slice(&P521_SECRET).unwrap(),
            ed25519: sig::Ed25519KeyPair::from_pkcs8(ed.as_ref()).unwrap(),
        }
    }

    /// The kid this suite gives the key of `alg`'s kind.
    pub fn kid(alg: Algorithm) -> &'static str {
        match alg {
            Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 => "rsa",
            Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512 => "rsa",
            Algorithm::ES256 => "p256",
            Algorithm::ES384 => "p384",
            Algorithm::ES512 => "p521",
            Algorithm::EdDSA => "ed25519",
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => "hmac",
        }
    }

    /// The public JWKs of every asymmetric key, as one JWK Set document.
    pub fn jwks(&self) -> String {
        let rsa: sig::RsaPublicKeyComponents<Vec<u8>> = self.rsa.public().into();
        let (n, e) = (&rsa.n[..], &rsa.e[..]);
        let point = |p: &[u8], len: usize| {
            let (x, y) = p[1..].split_at(len);
            (b64(x), b64(y))
        };
        let (x256, y256) = point(self.p256.public_key().as_ref(), 32);
        let (x384, y384) = point(self.p384.public_key().as_ref(), 48);
        let p521_point = self.p521.verifying_key().to_sec1_bytes();
        let (x521, y521) = point(&p521_point, 66);
        format!(
            r#"{{"keys":[
{{"kty":"RSA","kid":"rsa","n":"{}","e":"{}"}},
{{"kty":"EC","kid":"p256","crv":"P-256","x":"{x256}","y":"{y256}"}},
{{"kty":"EC","kid":"p384","crv":"P-384","x":"{x384}","y":"{y384}"}},
{{"kty":"EC","kid":"p521","crv":"P-521","x":"{x521}","y":"{y521}"}},
{{"kty":"OKP","kid":"ed25519","crv":"Ed25519","x":"{}"}}]}}"#,
            b64(n),
            b64(e),
            b64(self.ed25519.public_key().as_ref())
        )
    }

    /// The RSA key's modulus and exponent, big-endian without leading zeros.
    pub fn rsa_components(&self) -> (Vec<u8>, Vec<u8>) {
        let rsa: sig::RsaPublicKeyComponents<Vec<u8>> = self.rsa.public().into();
        (rsa.n, rsa.e)
    }

    pub fn key_set(&self) -> KeySet {
        KeySet::from_jwks(self.jwks().as_bytes()).unwrap()
    }

    pub fn public_key(&self, alg: AsymmetricAlg) -> PublicKey {
        let jwks = self.jwks();
        let kid = Keys::kid(alg.algorithm());
        let line = jwks
            .lines()
            .find(|l| l.contains(&format!("\"kid\":\"{kid}\"")))
            .unwrap();
        let json = line
            .trim_start_matches(r#"{"keys":["#)
            .trim_end_matches(']')
            .trim_end_matches(',');
        let json = json.strip_suffix("]}").unwrap_or(json);
        PublicKey::from_jwk(json.as_bytes()).unwrap()
    }

    pub fn hmac_key() -> StrongHmacKey {
        StrongHmacKey::new(&HMAC_SECRET).unwrap()
    }

    /// The raw signature of `alg` over `msg`.
    pub fn sign(&self, alg: Algorithm, msg: &[u8]) -> Vec<u8> {
        let rng = SystemRandom::new();
        let rsa = |padding: &'static dyn sig::RsaEncoding| {
            let mut out = vec![0; self.rsa.public().modulus_len()];
            self.rsa.sign(padding, &rng, msg, &mut out).unwrap();
            out
        };
        let hmac = |a| {
            ring::hmac::sign(&ring::hmac::Key::new(a, &HMAC_SECRET), msg)
                .as_ref()
                .to_vec()
        };
        match alg {
            Algorithm::HS256 => hmac(ring::hmac::HMAC_SHA256),
            Algorithm::HS384 => hmac(ring::hmac::HMAC_SHA384),
            Algorithm::HS512 => hmac(ring::hmac::HMAC_SHA512),
            Algorithm::RS256 => rsa(&sig::RSA_PKCS1_SHA256),
            Algorithm::RS384 => rsa(&sig::RSA_PKCS1_SHA384),
            Algorithm::RS512 => rsa(&sig::RSA_PKCS1_SHA512),
            Algorithm::PS256 => rsa(&sig::RSA_PSS_SHA256),
            Algorithm::PS384 => rsa(&sig::RSA_PSS_SHA384),
            Algorithm::PS512 => rsa(&sig::RSA_PSS_SHA512),
            Algorithm::ES256 => self.p256.sign(&rng, msg).unwrap().as_ref().to_vec(),
            Algorithm::ES384 => self.p384.sign(&rng, msg).unwrap().as_ref().to_vec(),
            Algorithm::ES512 => {
                use p521::ecdsa::signature::Signer;
                let s: p521::ecdsa::Signature = self.p521.sign(msg);
                s.to_bytes().to_vec()
            }
            Algorithm::EdDSA => self.ed25519.sign(msg).as_ref().to_vec(),
        }
    }

    /// A compact token with the given header and payload JSON, signed with `alg`.
    pub fn token_with_header(&self, alg: Algorithm, header: &str, claims: &str) -> String {
        let input = format!("{}.{}", b64(header.as_bytes()), b64(claims.as_bytes()));
        let sig = self.sign(alg, input.as_bytes());
        format!("{input}.{}", b64(&sig))
    }

    /// A compact token with header `{"alg":..,"kid":..,"typ":"at+jwt"}`.
    pub fn token(&self, alg: Algorithm, claims: &str) -> String {
        let header = format!(
            r#"{{"alg":"{}","kid":"{}","typ":"at+jwt"}}"#,
            alg.name(),
            Keys::kid(alg)
        );
        self.token_with_header(alg, &header, claims)
    }
}

pub const ISS: &str = "https://issuer.example";
pub const AUD: &str = "api://orders";
pub const NOW: u64 = 1_700_000_000;

/// A realistic claims set valid at [`NOW`].
pub fn claims() -> String {
    format!(
        r#"{{"iss":"{ISS}","sub":"user-1234","aud":["{AUD}","api://billing"],"exp":{},"nbf":{},"iat":{},"jti":"4f1e2d3c","scope":"orders:read orders:write","client_id":"s6BhdRkqt3"}}"#,
        NOW + 300,
        NOW - 10,
        NOW - 10
    )
}

pub fn hmac_alg(alg: Algorithm) -> Option<HmacAlg> {
    match alg.family() {
        jwsgate::AlgorithmFamily::Hmac(h) => Some(h),
        _ => None,
    }
}
