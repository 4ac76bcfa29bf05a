//! [`StrongHmacKey`]: an HMAC secret proven long enough and not guessable.
//!
//! The secret is held in a `secrecy::SecretBox<[u8]>`, wiped when the key is dropped. The
//! signature backend's precomputed key schedule (`crate::backend::HmacKey`: the inner and
//! outer padded-hash states) is kept beside it so that verifying costs no setup; ring does
//! not wipe that schedule on drop — it is secret-derived material that stays in memory
//! until reused (aws-lc, with the `aws-lc` feature, does).

use core::fmt;

use secrecy::{ExposeSecret, SecretBox};
use zeroize::Zeroizing;

use super::jwk::{self, Member};
use crate::alg::{Algorithm, AlgorithmFamily, AlgorithmSet, HmacAlg};
use crate::backend::HmacKey;
use crate::error::{ConfigError, Error};

const HMAC_ALGS: [HmacAlg; 3] = [HmacAlg::HS256, HmacAlg::HS384, HmacAlg::HS512];

/// Substrings that mark a secret typed by a person as a placeholder, compared ASCII
/// case-insensitively. Short on purpose: each is a default seen in tutorials and sample
/// configurations (`your-256-bit-secret` is jwt.io's). A random 32-byte binary secret
/// contains one with a probability under 10^-6; a random base64 text secret of 43
/// characters about 4 in 100 000 (mostly `test`): the error names the reason, and
/// generating another secret is the fix.
const PLACEHOLDER_WORDS: [&str; 11] = [
    "secret",
    "changeme",
    "change-me",
    "password",
    "passw0rd",
    "example",
    "test",
    "qwerty",
    "12345678",
    "default",
    "your-256-bit-secret",
];

/// Longest repeating period refused: a secret that is a word or short pattern repeated.
const MAX_WEAK_PERIOD: usize = 16;

/// Fewest distinct byte values accepted.
const MIN_DISTINCT_BYTES: usize = 8;

/// Why `secret` is guessable, if it is.
fn weakness(secret: &[u8]) -> Option<&'static str> {
    // Public key material in any dress (PEM, DER, JWK, OpenSSH; BOM, UTF-16, base64…):
    // anyone holding the public key could forge (CVE-2022-29217). One function for the
    // library and the CLI's `--hmac-key`, which comes through here.
    if let Some(why) = super::public_material::recognise(secret) {
        return Some(why);
    }
    if secret.windows(2).all(|w| w.first() == w.get(1)) {
        return Some("guessable: one repeated byte");
    }
    for period in 1..=MAX_WEAK_PERIOD.min(secret.len().saturating_sub(1)) {
        if secret.iter().skip(period).zip(secret).all(|(a, b)| a == b) {
            return Some("guessable: a short pattern repeated (period of 16 bytes or less)");
        }
    }
    let mut seen = [false; 256];
    for b in secret {
        if let Some(slot) = seen.get_mut(usize::from(*b)) {
            *slot = true;
        }
    }
    if seen.iter().filter(|s| **s).count() < MIN_DISTINCT_BYTES {
        return Some("guessable: fewer than 8 distinct byte values");
    }
    let placeholder = PLACEHOLDER_WORDS.iter().any(|word| {
        secret
            .windows(word.len())
            .any(|window| window.eq_ignore_ascii_case(word.as_bytes()))
    });
    if placeholder {
        return Some(
            "guessable: contains a placeholder word (secret, changeme, password, example, \
             test, ...)",
        );
    }
    None
}

/// An HMAC secret proven strong: at least 32 bytes and not guessable. It supports each
/// HMAC algorithm whose floor (32 / 48 / 64 bytes) its length meets (only the pinned
/// one when it came from a JWK with an `alg`).
///
/// ```
/// use jwsgate::{HmacAlg, StrongHmacKey};
/// let key = StrongHmacKey::new(b"k7#Qv9!pL2@xR5$wZ8^mN1&bT4*cY6(e")?;
/// assert!(key.supports(HmacAlg::HS256));
/// assert!(!key.supports(HmacAlg::HS384));
/// assert!(StrongHmacKey::new(b"my-super-secret-key-for-jwt-signing").is_err());
/// # Ok::<(), jwsgate::ConfigError>(())
/// ```
pub struct StrongHmacKey {
    secret: SecretBox<[u8]>,
    /// The backend's key schedule per algorithm, present where the key supports it.
    keys: [Option<HmacKey>; 3],
}

fn index(alg: HmacAlg) -> usize {
    match alg {
        HmacAlg::HS256 => 0,
        HmacAlg::HS384 => 1,
        HmacAlg::HS512 => 2,
    }
}

impl StrongHmacKey {
    /// Validates and wraps a secret (copied into a zeroizing secret box).
    ///
    /// Under 32 bytes: [`ConfigError::HmacKeyTooShort`]. One repeated byte, a pattern
    /// of period 16 or less, fewer than 8 distinct byte values, or a placeholder word
    /// (`secret`, `changeme`, `password`, `example`, `test`, ...; case-insensitive), or
    /// public key material in any dress — PEM, DER (SPKI, PKCS#1, X.509), JWK or JWK Set
    /// JSON (escaped member names too), an OpenSSH key, a raw EC point; behind a BOM or
    /// white space, in UTF-16 or UTF-32, or as a base64, base64url or hex body:
    /// [`ConfigError::WeakHmacKey`].
    pub fn new(secret: &[u8]) -> Result<StrongHmacKey, ConfigError> {
        StrongHmacKey::build(secret, None)
    }

    /// Parses a JWK `{"kty":"oct","k":...}` and validates its secret. An `alg`, if
    /// present, must be HS256, HS384 or HS512, the secret must be long enough for it, and
    /// the key then supports that algorithm only. `use` / `key_ops` must allow
    /// verification.
    pub fn from_jwk(json: &[u8]) -> Result<StrongHmacKey, ConfigError> {
        let raw = jwk::parse_raw_jwk(json)?;
        match &raw.kty {
            Some(Member::Str(kty)) if kty == "oct" => {}
            // A JWK Set, or a public JWK, given as the HMAC key: say which, and what to use.
            None if jwk::is_jwk_set(json) => {
                return Err(ConfigError::WeakHmacKey(
                    "a JWK Set (public keys), not a secret: `StrongHmacKey::from_jwk` expects \
                     one oct JWK {\"kty\":\"oct\",\"k\":...}; for a set of public keys use \
                     `KeySet::from_jwks` and the builder's `.key_set(..)`",
                ));
            }
            _ if super::public_material::recognise(json).is_some() => {
                return Err(ConfigError::WeakHmacKey(
                    "a public key (JWK), not a secret: `StrongHmacKey::from_jwk` expects an oct \
                     JWK {\"kty\":\"oct\",\"k\":...}; for a public JWK use `PublicKey::from_jwk` \
                     and the builder's `.public_key(..)`",
                ));
            }
            _ => return Err(ConfigError::InvalidKey("not an oct JWK")),
        }
        if !jwk::allows_verify(&raw)? {
            return Err(ConfigError::InvalidKey("oct JWK not meant for signatures"));
        }
        let pinned = match &raw.alg {
            None => None,
            Some(Member::Str(name)) => {
                match Algorithm::from_name(name.as_bytes()).map(Algorithm::family) {
                    Some(AlgorithmFamily::Hmac(alg)) => Some(alg),
                    _ => {
                        return Err(ConfigError::InvalidKey(
                            "oct JWK alg is not HS256, HS384 or HS512",
                        ));
                    }
                }
            }
            Some(_) => return Err(ConfigError::InvalidKey("JWK alg is not a string")),
        };
        let secret = Zeroizing::new(jwk::decode_b64(&raw.k, "oct JWK without k")?);
        StrongHmacKey::build(&secret, pinned)
    }

    fn build(secret: &[u8], pinned: Option<HmacAlg>) -> Result<StrongHmacKey, ConfigError> {
        let floor = pinned.unwrap_or(HmacAlg::HS256);
        if secret.len() < floor.min_key_len() {
            return Err(ConfigError::HmacKeyTooShort {
                alg: floor,
                len: secret.len(),
                min: floor.min_key_len(),
            });
        }
        if let Some(why) = weakness(secret) {
            return Err(ConfigError::WeakHmacKey(why));
        }
        let keys = HMAC_ALGS.map(|alg| {
            let allowed = pinned.is_none_or(|p| p == alg) && secret.len() >= alg.min_key_len();
            allowed.then(|| HmacKey::new(alg, secret))
        });
        Ok(StrongHmacKey {
            secret: SecretBox::new(Box::from(secret)),
            keys,
        })
    }

    fn key(&self, alg: HmacAlg) -> Option<&HmacKey> {
        self.keys.get(index(alg)).and_then(Option::as_ref)
    }

    /// The secret's length in bytes.
    pub fn secret_len(&self) -> usize {
        self.secret.expose_secret().len()
    }

    /// Whether the key may verify `alg`: the secret is long enough for it (and it is the
    /// JWK's `alg`, when there was one).
    pub fn supports(&self, alg: HmacAlg) -> bool {
        self.key(alg).is_some()
    }

    /// The HMAC algorithms the key supports.
    pub fn algorithms(&self) -> AlgorithmSet {
        HMAC_ALGS
            .into_iter()
            .filter(|alg| self.supports(*alg))
            .map(HmacAlg::algorithm)
            .collect()
    }

    /// Verifies a full-length tag in constant time (the signature backend's comparison).
    ///
    /// [`Error::AlgorithmNotAllowed`] when the key does not support `alg`;
    /// [`Error::InvalidSignature`] when the tag is not exactly `alg.tag_len()` bytes
    /// (truncated or extended tags are refused) or does not verify. Allocates nothing.
    pub fn verify(&self, alg: HmacAlg, message: &[u8], tag: &[u8]) -> Result<(), Error> {
        let key = self
            .key(alg)
            .ok_or(Error::AlgorithmNotAllowed(alg.algorithm()))?;
        if tag.len() != alg.tag_len() {
            return Err(Error::InvalidSignature);
        }
        if key.verify(message, tag) {
            Ok(())
        } else {
            Err(Error::InvalidSignature)
        }
    }
}

impl fmt::Debug for StrongHmacKey {
    /// `StrongHmacKey { len: 64, secret: [REDACTED] }`: never the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StrongHmacKey")
            .field("len", &self.secret_len())
            .field("secret", &format_args!("[REDACTED]"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD_32: &[u8] = b"k7#Qv9!pL2@xR5$wZ8^mN1&bT4*cY6(e";

    fn good(len: usize) -> Vec<u8> {
        // A fixed, non-repeating byte sequence (SHA-512 of a label, stretched).
        let mut out = Vec::new();
        let mut block = ring::digest::digest(&ring::digest::SHA512, b"jwsgate test secret")
            .as_ref()
            .to_vec();
        while out.len() < len {
            out.extend_from_slice(&block);
            block = ring::digest::digest(&ring::digest::SHA512, &block)
                .as_ref()
                .to_vec();
        }
        out.truncate(len);
        out
    }

    #[test]
    fn too_short_is_refused_with_the_floor() {
        let err = StrongHmacKey::new(&GOOD_32[..31]).unwrap_err();
        assert_eq!(
            err,
            ConfigError::HmacKeyTooShort {
                alg: HmacAlg::HS256,
                len: 31,
                min: 32
            }
        );
    }

    #[test]
    fn guessable_secrets_are_refused() {
        let cases: Vec<Vec<u8>> = vec![
            vec![b'a'; 64],
            vec![0; 32],
            b"abcdefgh".repeat(8),
            b"0123456789abcdef".repeat(3),
            [b"ab".repeat(20), b"cdefg".to_vec()].concat(), // 7 distinct values
            b"my-super-SECRET-value-for-the-jwt-signing".to_vec(),
            b"ChangeMe-ChangeMe-k7#Qv9!pL2@xR5$wZ8^".to_vec(),
            b"your-256-bit-secret-k7#Qv9!pL2@xR5$wZ8^".to_vec(),
            b"Q9!pL2@xR5$wZ8^mN1&bT4*cY6(e-Password".to_vec(),
            b"Q9!pL2@xR5$wZ8^mN1&bT4*cY6(e-tEsT-key".to_vec(),
            b"Q9!pL2@xR5$wZ8^mN1&bT4*cY6(e-example".to_vec(),
        ];
        for case in cases {
            assert!(
                matches!(StrongHmacKey::new(&case), Err(ConfigError::WeakHmacKey(_))),
                "{:?}",
                String::from_utf8_lossy(&case)
            );
        }
    }

    #[test]
    fn algorithms_follow_the_length() {
        let k32 = StrongHmacKey::new(&good(32)).unwrap();
        let k48 = StrongHmacKey::new(&good(48)).unwrap();
        let k64 = StrongHmacKey::new(&good(64)).unwrap();
        assert_eq!(k32.algorithms(), AlgorithmSet::EMPTY.with(Algorithm::HS256));
        assert!(k48.supports(HmacAlg::HS384) && !k48.supports(HmacAlg::HS512));
        assert_eq!(k64.algorithms().iter().count(), 3);
    }

    #[test]
    fn verify_checks_alg_length_and_tag() {
        let secret = good(64);
        let key = StrongHmacKey::new(&secret).unwrap();
        let k32 = StrongHmacKey::new(&secret[..32]).unwrap();
        for alg in HMAC_ALGS {
            let tag = ring::hmac::sign(&ring::hmac::Key::new(alg.ring(), &secret), b"msg");
            let tag = tag.as_ref();
            assert_eq!(key.verify(alg, b"msg", tag), Ok(()));
            assert_eq!(key.verify(alg, b"msh", tag), Err(Error::InvalidSignature));
            let truncated = &tag[..tag.len() - 1];
            assert_eq!(
                key.verify(alg, b"msg", truncated),
                Err(Error::InvalidSignature)
            );
            let extended = [tag, &[0]].concat();
            assert_eq!(
                key.verify(alg, b"msg", &extended),
                Err(Error::InvalidSignature)
            );
            let mut flipped = tag.to_vec();
            flipped[0] ^= 1;
            assert_eq!(
                key.verify(alg, b"msg", &flipped),
                Err(Error::InvalidSignature)
            );
        }
        assert_eq!(
            k32.verify(HmacAlg::HS512, b"msg", &[0; 64]),
            Err(Error::AlgorithmNotAllowed(Algorithm::HS512))
        );
    }

    #[test]
    fn from_jwk_reads_k_and_pins_alg() {
        let k = crate::base64url::encode(&good(48));
        let jwk = format!(r#"{{"kty":"oct","k":"{k}","alg":"HS384"}}"#);
        let key = StrongHmacKey::from_jwk(jwk.as_bytes()).unwrap();
        assert_eq!(key.algorithms(), AlgorithmSet::EMPTY.with(Algorithm::HS384));

        let jwk = format!(r#"{{"kty":"oct","k":"{k}","alg":"HS512"}}"#);
        assert_eq!(
            StrongHmacKey::from_jwk(jwk.as_bytes()).unwrap_err(),
            ConfigError::HmacKeyTooShort {
                alg: HmacAlg::HS512,
                len: 48,
                min: 64
            }
        );
        for bad in [
            format!(r#"{{"kty":"oct","k":"{k}","alg":"RS256"}}"#),
            format!(r#"{{"kty":"oct","k":"{k}","alg":"none"}}"#),
            format!(r#"{{"kty":"oct","k":"{k}","use":"enc"}}"#),
            format!(r#"{{"kty":"oct","k":"{k}=="}}"#),
            format!(r#"{{"kty":"oct","k":"{k}","k":"{k}"}}"#),
            format!(r#"{{"kty":"RSA","k":"{k}"}}"#),
            r#"{"kty":"oct"}"#.to_string(),
        ] {
            assert!(StrongHmacKey::from_jwk(bad.as_bytes()).is_err(), "{bad}");
        }
        let weak = crate::base64url::encode(&[7; 64]);
        let jwk = format!(r#"{{"kty":"oct","k":"{weak}"}}"#);
        assert!(matches!(
            StrongHmacKey::from_jwk(jwk.as_bytes()),
            Err(ConfigError::WeakHmacKey(_))
        ));
    }

    /// Exactly `MIN_DISTINCT_BYTES` distinct byte values are enough; one fewer is
    /// refused, with that reason.
    #[test]
    fn distinct_byte_values_at_the_floor() {
        let tail = b"cdefghijklmnop";
        let with = |distinct: usize| {
            // "abab…" then the rest of the distinct values once: no short period.
            [b"ab".repeat(20), tail[..distinct - 2].to_vec()].concat()
        };
        assert!(StrongHmacKey::new(&with(MIN_DISTINCT_BYTES)).is_ok());
        assert_eq!(
            StrongHmacKey::new(&with(MIN_DISTINCT_BYTES - 1)).err(),
            Some(ConfigError::WeakHmacKey(
                "guessable: fewer than 8 distinct byte values"
            ))
        );
    }

    /// What `from_jwk` was given decides its error: a JWK Set, a public JWK, or any
    /// other JSON that is not an oct JWK (which must not be called a public key).
    #[test]
    fn from_jwk_names_what_it_was_given() {
        let k = crate::base64url::encode(&good(32));
        let weak_error = |json: &str| match StrongHmacKey::from_jwk(json.as_bytes()) {
            Err(ConfigError::WeakHmacKey(why)) => why,
            other => panic!("{json}: {other:?}"),
        };
        assert!(weak_error(r#"{"keys":[]}"#).starts_with("a JWK Set (public keys)"));
        // Any other `kty` is key material for the secret filter (public_material.rs).
        let other_kty = format!(r#"{{"kty":"RSA","k":"{k}"}}"#);
        assert!(weak_error(&other_kty).starts_with("a public key (JWK)"));
        for not_oct in [format!(r#"{{"k":"{k}"}}"#), r#"{"use":"sig"}"#.to_string()] {
            assert_eq!(
                StrongHmacKey::from_jwk(not_oct.as_bytes()).err(),
                Some(ConfigError::InvalidKey("not an oct JWK")),
                "{not_oct}"
            );
        }
    }

    #[test]
    fn debug_prints_no_key_bytes() {
        let secret = good(64);
        let key = StrongHmacKey::new(&secret).unwrap();
        let shown = format!("{key:?}");
        assert_eq!(shown, "StrongHmacKey { len: 64, secret: [REDACTED] }");
        assert!(StrongHmacKey::new(GOOD_32).is_ok());
    }
}
