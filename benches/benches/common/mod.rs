//! Fixtures shared by the verify benches (`verify`, `parse`, `keyswap`, `p95`): one key per
//! algorithm, a realistic access token, and every verifier under test behind the same
//! shape (`token -> accepted?`), so each bench asserts the same facts before it times.
//!
//! Keys and tokens are made as in `tests/support/mod.rs`: signed by hand with ring (and
//! the p521 crate for ES512); `tests/data/rsa2048.pk8.der` is the RSA key.
#![allow(dead_code)]

use std::time::{SystemTime, UNIX_EPOCH};

use jwsgate::{Algorithm, AlgorithmFamily, KeySet, Scratch, StrongHmacKey, UnixTime, Verifier};
use ring::rand::SystemRandom;
use ring::signature::{self as sig, KeyPair};

/// The algorithms every verify bench covers: each HMAC size, and one of each asymmetric
/// family (RSA PKCS#1 v1.5, RSA-PSS, ECDSA on each curve, Ed25519).
pub const ALGS: [Algorithm; 9] = [
    Algorithm::HS256,
    Algorithm::HS384,
    Algorithm::HS512,
    Algorithm::RS256,
    Algorithm::PS256,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::ES512,
    Algorithm::EdDSA,
];

pub const ISS: &str = "https://auth.example.com/realms/production";
pub const AUD: &str = "https://api.example.com/orders";
pub const SCOPE: &str = "orders:read";
/// The leeway every verifier is given (jwsgate's default).
pub const LEEWAY_SECS: u64 = 60;

/// A 64-byte HMAC secret that passes jwsgate's strength checks (long enough for HS512).
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

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

/// A realistic access-token claims set (RFC 9068) valid around `now`: 330 bytes.
pub fn claims(now: u64) -> String {
    let (exp, nbf, iat) = (now + 3600, now - 5, now - 5);
    format!(
        r#"{{"iss":"{ISS}","sub":"248289761001","aud":["{AUD}","https://api.example.com/billing"],"exp":{exp},"nbf":{nbf},"iat":{iat},"jti":"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a","scope":"openid profile orders:read orders:write","client_id":"s6BhdRkqt3-web-frontend"}}"#
    )
}

/// The same claims, expired an hour ago (well past any leeway).
pub fn expired_claims(now: u64) -> String {
    claims(now - 2 * 3600)
}

/// One signing key per algorithm family.
pub struct Keys {
    rsa: sig::RsaKeyPair,
    p256: sig::EcdsaKeyPair,
    p384: sig::EcdsaKeyPair,
    p521: p521::ecdsa::SigningKey,
    ed25519: sig::Ed25519KeyPair,
}

impl Default for Keys {
    fn default() -> Self {
        Keys::new()
    }
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
            rsa: sig::RsaKeyPair::from_pkcs8(include_bytes!("../../../tests/data/rsa2048.pk8.der"))
                .unwrap(),
            p256: ec(&sig::ECDSA_P256_SHA256_FIXED_SIGNING),
            p384: ec(&sig::ECDSA_P384_SHA384_FIXED_SIGNING),
            p521: p521::ecdsa::SigningKey::from_slice(&P521_SECRET).unwrap(),
            ed25519: sig::Ed25519KeyPair::from_pkcs8(ed.as_ref()).unwrap(),
        }
    }

    /// The kid of `alg`'s key.
    pub fn kid(alg: Algorithm) -> &'static str {
        match alg.family() {
            AlgorithmFamily::Hmac(_) => "hmac",
            AlgorithmFamily::Asymmetric(_) => match alg {
                Algorithm::ES256 => "p256",
                Algorithm::ES384 => "p384",
                Algorithm::ES512 => "p521",
                Algorithm::EdDSA => "ed25519",
                _ => "rsa",
            },
        }
    }

    /// RSA modulus and exponent, big-endian, no leading zeros.
    pub fn rsa_components(&self) -> (Vec<u8>, Vec<u8>) {
        let rsa: sig::RsaPublicKeyComponents<Vec<u8>> = self.rsa.public().into();
        (rsa.n, rsa.e)
    }

    /// The SEC1 uncompressed public point of the EC key for `alg`.
    pub fn ec_point(&self, alg: Algorithm) -> Vec<u8> {
        match alg {
            Algorithm::ES256 => self.p256.public_key().as_ref().to_vec(),
            Algorithm::ES384 => self.p384.public_key().as_ref().to_vec(),
            Algorithm::ES512 => self.p521.verifying_key().to_sec1_bytes().to_vec(),
            _ => panic!("{alg} is not ECDSA"),
        }
    }

    /// The EC point's `x` and `y`, base64url (as in a JWK).
    pub fn ec_xy(&self, alg: Algorithm) -> (String, String) {
        let point = self.ec_point(alg);
        let (x, y) = point[1..].split_at((point.len() - 1) / 2);
        (b64(x), b64(y))
    }

    pub fn ed25519_public(&self) -> Vec<u8> {
        self.ed25519.public_key().as_ref().to_vec()
    }

    pub fn p521_verifying_key(&self) -> p521::ecdsa::VerifyingKey {
        *self.p521.verifying_key()
    }

    /// The public JWKs of every asymmetric key, as one JWK Set document.
    pub fn jwks(&self) -> String {
        let (n, e) = self.rsa_components();
        let (x256, y256) = self.ec_xy(Algorithm::ES256);
        let (x384, y384) = self.ec_xy(Algorithm::ES384);
        let (x521, y521) = self.ec_xy(Algorithm::ES512);
        format!(
            r#"{{"keys":[
{{"kty":"RSA","kid":"rsa","n":"{}","e":"{}"}},
{{"kty":"EC","kid":"p256","crv":"P-256","x":"{x256}","y":"{y256}"}},
{{"kty":"EC","kid":"p384","crv":"P-384","x":"{x384}","y":"{y384}"}},
{{"kty":"EC","kid":"p521","crv":"P-521","x":"{x521}","y":"{y521}"}},
{{"kty":"OKP","kid":"ed25519","crv":"Ed25519","x":"{}"}}]}}"#,
            b64(&n),
            b64(&e),
            b64(&self.ed25519_public())
        )
    }

    pub fn key_set(&self) -> KeySet {
        KeySet::from_jwks(self.jwks().as_bytes()).expect("the bench JWK Set loads")
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

    /// A compact token, header `{"alg":..,"kid":..,"typ":"at+jwt"}`, signed with `alg`.
    pub fn token(&self, alg: Algorithm, claims: &str) -> String {
        let header = format!(
            r#"{{"alg":"{}","kid":"{}","typ":"at+jwt"}}"#,
            alg.name(),
            Keys::kid(alg)
        );
        let input = format!("{}.{}", b64(header.as_bytes()), b64(claims.as_bytes()));
        let sig = self.sign(alg, input.as_bytes());
        format!("{input}.{}", b64(&sig))
    }
}

/// `token` with one bit of its signature flipped (still well-formed base64url).
pub fn tamper(token: &str) -> String {
    let (input, s) = token.rsplit_once('.').unwrap();
    let mut raw = jwsgate::base64url::decode_vec(s);
    let mid = raw.len() / 2;
    raw[mid] ^= 0x01;
    format!("{input}.{}", b64(&raw))
}

/// The floor: the primitive's own verification over the signing input, the signature
/// already decoded and the key already parsed where the primitive allows it (ring parses
/// RSA, ECDSA and Ed25519 public keys on every call; an `hmac::Key` is precomputed; the
/// p521 crate's `VerifyingKey` is parsed once).
pub enum RingRaw {
    Hmac(ring::hmac::Key),
    Rsa {
        params: &'static sig::RsaParameters,
        n: Vec<u8>,
        e: Vec<u8>,
    },
    Unparsed(sig::UnparsedPublicKey<Vec<u8>>),
    P521(p521::ecdsa::VerifyingKey),
}

impl RingRaw {
    pub fn new(keys: &Keys, alg: Algorithm) -> RingRaw {
        let hmac = |a| RingRaw::Hmac(ring::hmac::Key::new(a, &HMAC_SECRET));
        let rsa = |params| {
            let (n, e) = keys.rsa_components();
            RingRaw::Rsa { params, n, e }
        };
        let unparsed = |a: &'static dyn sig::VerificationAlgorithm, key: Vec<u8>| {
            RingRaw::Unparsed(sig::UnparsedPublicKey::new(a, key))
        };
        match alg {
            Algorithm::HS256 => hmac(ring::hmac::HMAC_SHA256),
            Algorithm::HS384 => hmac(ring::hmac::HMAC_SHA384),
            Algorithm::HS512 => hmac(ring::hmac::HMAC_SHA512),
            Algorithm::RS256 => rsa(&sig::RSA_PKCS1_2048_8192_SHA256),
            Algorithm::RS384 => rsa(&sig::RSA_PKCS1_2048_8192_SHA384),
            Algorithm::RS512 => rsa(&sig::RSA_PKCS1_2048_8192_SHA512),
            Algorithm::PS256 => rsa(&sig::RSA_PSS_2048_8192_SHA256),
            Algorithm::PS384 => rsa(&sig::RSA_PSS_2048_8192_SHA384),
            Algorithm::PS512 => rsa(&sig::RSA_PSS_2048_8192_SHA512),
            Algorithm::ES256 => unparsed(&sig::ECDSA_P256_SHA256_FIXED, keys.ec_point(alg)),
            Algorithm::ES384 => unparsed(&sig::ECDSA_P384_SHA384_FIXED, keys.ec_point(alg)),
            Algorithm::ES512 => RingRaw::P521(keys.p521_verifying_key()),
            Algorithm::EdDSA => unparsed(&sig::ED25519, keys.ed25519_public()),
        }
    }

    /// Whether `signature` verifies over `message`.
    #[inline]
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            RingRaw::Hmac(key) => ring::hmac::verify(key, message, signature).is_ok(),
            RingRaw::Rsa { params, n, e } => sig::RsaPublicKeyComponents { n, e }
                .verify(params, message, signature)
                .is_ok(),
            RingRaw::Unparsed(key) => key.verify(message, signature).is_ok(),
            RingRaw::P521(key) => {
                use p521::ecdsa::signature::Verifier as _;
                match p521::ecdsa::Signature::from_slice(signature) {
                    Ok(s) => key.verify(message, &s).is_ok(),
                    Err(_) => false,
                }
            }
        }
    }
}

/// The jwsgate verifier the benches time: every check on (`typ: at+jwt`, iss, aud, exp,
/// nbf, iat, a required scope), keys from a five-key JWK Set selected by `kid`, or the
/// HMAC secret.
pub fn jwsgate_verifier(keys: &Keys, alg: Algorithm) -> Verifier {
    let b = Verifier::builder();
    match alg.family() {
        AlgorithmFamily::Hmac(_) => b
            .hmac_key(StrongHmacKey::new(&HMAC_SECRET).unwrap())
            .issuer(ISS)
            .audience(AUD)
            .leeway(LEEWAY_SECS)
            .require_type("at+jwt")
            .require_scope(SCOPE)
            .build(),
        AlgorithmFamily::Asymmetric(_) => b
            .key_set(keys.key_set())
            .issuer(ISS)
            .audience(AUD)
            .leeway(LEEWAY_SECS)
            .require_type("at+jwt")
            .require_scope(SCOPE)
            .build(),
    }
    .expect("the bench verifier builds")
}

/// Everything one algorithm's benches need, checked by [`Case::assert_sound`].
pub struct Case {
    pub alg: Algorithm,
    pub now: UnixTime,
    pub token: String,
    pub tampered: String,
    pub expired: String,
    pub signing_input: Vec<u8>,
    pub signature: Vec<u8>,
    pub tampered_signature: Vec<u8>,
    pub raw: RingRaw,
    pub verifier: Verifier,
}

impl Case {
    pub fn new(keys: &Keys, alg: Algorithm) -> Case {
        let now = unix_now();
        let token = keys.token(alg, &claims(now));
        let tampered = tamper(&token);
        let expired = keys.token(alg, &expired_claims(now));
        let split = |t: &str| {
            let (input, s) = t.rsplit_once('.').unwrap();
            (input.as_bytes().to_vec(), jwsgate::base64url::decode_vec(s))
        };
        let (signing_input, signature) = split(&token);
        let (_, tampered_signature) = split(&tampered);
        Case {
            alg,
            now: UnixTime::from_secs(now),
            token,
            tampered,
            expired,
            signing_input,
            signature,
            tampered_signature,
            raw: RingRaw::new(keys, alg),
            verifier: jwsgate_verifier(keys, alg),
        }
    }

    /// The full jwsgate verify of `token`: accepted?
    #[inline]
    pub fn jwsgate(&self, scratch: &mut Scratch, token: &str) -> bool {
        let r = self.verifier.verify(scratch, token.as_bytes(), self.now);
        std::hint::black_box(&r);
        r.is_ok()
    }

    /// The floor: the primitive over the good signature.
    #[inline]
    pub fn ring_raw(&self) -> bool {
        self.raw.verify(&self.signing_input, &self.signature)
    }

    /// Before any timing: both jwsgate and the floor accept the valid token and refuse the
    /// tampered copy; jwsgate refuses the expired token for the right reason.
    pub fn assert_sound(&self) {
        let alg = self.alg;
        let mut scratch = self.verifier.new_scratch();
        let r = self
            .verifier
            .verify(&mut scratch, self.token.as_bytes(), self.now);
        assert!(r.is_ok(), "{alg}: jwsgate refused the valid token: {r:?}");
        let r = self
            .verifier
            .verify(&mut scratch, self.tampered.as_bytes(), self.now);
        assert_eq!(
            r.err(),
            Some(jwsgate::Error::InvalidSignature),
            "{alg}: jwsgate on the tampered token"
        );
        let r = self
            .verifier
            .verify(&mut scratch, self.expired.as_bytes(), self.now);
        assert_eq!(
            r.err(),
            Some(jwsgate::Error::Expired),
            "{alg}: jwsgate on the expired token"
        );
        assert!(self.ring_raw(), "{alg}: ring_raw refused the valid token");
        assert!(
            !self
                .raw
                .verify(&self.signing_input, &self.tampered_signature),
            "{alg}: ring_raw accepted the tampered signature"
        );
        let len = claims(self.now.as_secs()).len();
        assert!((320..=340).contains(&len), "claims are {len} bytes");
    }
}

#[cfg(feature = "peers")]
pub mod peers;

/// The criterion settings every bench of this package uses: short runs, sized for a
/// 2-core machine (ratios against ring_raw in the same run carry the result).
#[allow(dead_code)] // not every bench binary that includes this module runs criterion
pub fn criterion_config() -> criterion::Criterion {
    criterion::Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3))
        .sample_size(50)
}
