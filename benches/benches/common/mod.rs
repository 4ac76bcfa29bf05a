//! Fixtures shared by the verify benches (`verify`, `parse`, `keyswap`, `p95`): a
//! realistic access token, and every verifier under test behind the same shape
//! (`token -> accepted?`), so each bench asserts the same facts before it times.
//!
//! Keys, tokens and the primitive's own verification (the floor) come from the fixture
//! crate `support/fixtures`: [`Keys::fixed`] is the fixed keys of `tests/data`.
#![allow(dead_code)]

use std::time::{SystemTime, UNIX_EPOCH};

use jwsgate::{Algorithm, AlgorithmFamily, Scratch, UnixTime, Verifier};
pub use jwsgate_fixtures::{Keys, RawVerifier as RingRaw, tamper};

#[cfg(feature = "aws-lc")]
mod awslc_raw;
#[cfg(feature = "aws-lc")]
pub use awslc_raw::AwsLcRaw;

/// The floor: the primitive of the backend jwsgate was built with (`ring_raw`, or
/// `awslc_raw` with the bench package's `aws-lc` feature), key parsed once where the
/// primitive allows.
// Inline, not boxed: the floor makes no pointer hop of its own (aws-lc's HMAC key is 1.2 KiB).
#[allow(clippy::large_enum_variant)]
pub enum Floor {
    /// ring (and the `p521` crate for ES512): jwsgate's default backend.
    Ring(RingRaw),
    /// aws-lc-rs: the `aws-lc` backend.
    #[cfg(feature = "aws-lc")]
    AwsLc(AwsLcRaw),
}

impl Floor {
    /// The floor of `alg` for the backend in use.
    pub fn new(keys: &Keys, alg: Algorithm) -> Floor {
        #[cfg(feature = "aws-lc")]
        let floor = Floor::AwsLc(AwsLcRaw::new(keys.fixture(), alg));
        #[cfg(not(feature = "aws-lc"))]
        let floor = Floor::Ring(RingRaw::new(keys.fixture(), alg));
        assert_eq!(
            floor.backend(),
            jwsgate::backend::NAME,
            "the floor's backend is jwsgate's"
        );
        floor
    }

    /// The floor's name in tables and bench ids: `ring_raw` or `awslc_raw`.
    pub fn name(&self) -> &'static str {
        match self {
            Floor::Ring(_) => "ring_raw",
            #[cfg(feature = "aws-lc")]
            Floor::AwsLc(_) => "awslc_raw",
        }
    }

    /// The backend it is the floor of, as `jwsgate::backend::NAME` says it.
    pub fn backend(&self) -> &'static str {
        match self {
            Floor::Ring(_) => "ring",
            #[cfg(feature = "aws-lc")]
            Floor::AwsLc(_) => "aws-lc",
        }
    }

    /// Whether `signature` verifies over `message`.
    #[inline]
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            Floor::Ring(raw) => raw.verify(message, signature),
            #[cfg(feature = "aws-lc")]
            Floor::AwsLc(raw) => raw.verify(message, signature),
        }
    }
}

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

/// The jwsgate verifier the benches time: every check on (`typ: at+jwt`, iss, aud, exp,
/// nbf, iat, a required scope), keys from a five-key JWK Set selected by `kid`, or the
/// HMAC secret.
pub fn jwsgate_verifier(keys: &Keys, alg: Algorithm) -> Verifier {
    let b = Verifier::builder()
        .issuer(ISS)
        .audience(AUD)
        .leeway(LEEWAY_SECS)
        .require_type("at+jwt")
        .require_scope(SCOPE);
    match alg.family() {
        AlgorithmFamily::Hmac(_) => b.hmac_key(Keys::hmac_key()).build(),
        AlgorithmFamily::Asymmetric(_) => b.key_set(keys.key_set()).build(),
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
    /// The floor of the backend in use (`ring_raw` or `awslc_raw`).
    pub raw: Floor,
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
            (
                input.as_bytes().to_vec(),
                jwsgate::low_level::base64url::decode_vec(s),
            )
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
            raw: Floor::new(keys, alg),
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

    /// The floor (of the backend in use; named `ring_raw` from before there were two):
    /// the primitive over the good signature.
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
        assert!(
            self.ring_raw(),
            "{alg}: {} refused the valid token",
            self.raw.name()
        );
        assert!(
            !self
                .raw
                .verify(&self.signing_input, &self.tampered_signature),
            "{alg}: {} accepted the tampered signature",
            self.raw.name()
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
