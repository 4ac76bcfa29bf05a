//! JWK (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2) and JWK Set (RFC 7517 §5) documents.
//!
//! Parsing is in two steps. First `simd_json` reads the document into [`RawJwk`]s whose
//! members are kept loosely typed ([`Member`]), so that a key of a type jwsgate does not
//! know never fails the set it sits in (RFC 7517 §5); only JSON objects are accepted and a
//! registered member named twice is refused. Then [`interpret`] turns one raw JWK into a
//! [`PublicKey`], applying every rule on members.

use core::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use zeroize::{Zeroize, Zeroizing};

use super::public_key::{PublicKey, Usage};
use crate::alg::{Algorithm, AlgorithmFamily, KeyKind};
use crate::error::ConfigError;
use crate::limits;

/// One member value, loosely typed. `Debug` shows the type and size only: a member may
/// be an `oct` secret.
pub(crate) enum Member {
    /// A JSON string.
    Str(String),
    /// A JSON array of strings.
    StrList(Vec<String>),
    /// Any other JSON value.
    Other,
}

impl Member {
    fn as_str(&self) -> Option<&str> {
        match self {
            Member::Str(s) => Some(s),
            Member::StrList(_) | Member::Other => None,
        }
    }
}

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Member, D::Error> {
        struct MemberVisitor;
        impl<'de> Visitor<'de> for MemberVisitor {
            type Value = Member;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Member, E> {
                Ok(Member::Str(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Member, E> {
                Ok(Member::Str(v))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Member, E> {
                Ok(Member::Other)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Member, E> {
                Ok(Member::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Member, E> {
                Ok(Member::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Member, E> {
                Ok(Member::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Member, E> {
                Ok(Member::Other)
            }
            fn visit_none<E: de::Error>(self) -> Result<Member, E> {
                Ok(Member::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Member, A::Error> {
                let mut strings = Vec::new();
                let mut all_strings = true;
                while let Some(item) = seq.next_element::<Member>()? {
                    match item {
                        Member::Str(s) => strings.push(s),
                        _ => all_strings = false,
                    }
                }
                Ok(if all_strings {
                    Member::StrList(strings)
                } else {
                    Member::Other
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Member, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Member::Other)
            }
        }
        deserializer.deserialize_any(MemberVisitor)
    }
}

/// The members of one JWK that jwsgate reads; all others are ignored (RFC 7517 §4).
/// `Debug` names the members present and their sizes, never a value (`k` is a secret).
#[derive(Default)]
pub(crate) struct RawJwk {
    pub(crate) kty: Option<Member>,
    pub(crate) kid: Option<Member>,
    pub(crate) alg: Option<Member>,
    pub(crate) use_: Option<Member>,
    pub(crate) key_ops: Option<Member>,
    pub(crate) crv: Option<Member>,
    pub(crate) x: Option<Member>,
    pub(crate) y: Option<Member>,
    pub(crate) n: Option<Member>,
    pub(crate) e: Option<Member>,
    /// The `oct` secret (RFC 7518 §6.4.1); wiped when the raw JWK is dropped.
    pub(crate) k: Option<Member>,
    /// Whether any private member (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`) is present.
    pub(crate) has_private: bool,
}

impl Drop for RawJwk {
    fn drop(&mut self) {
        if let Some(Member::Str(k)) = &mut self.k {
            k.zeroize();
        }
    }
}

/// The private members of RSA (RFC 7518 §6.3.2), EC (§6.2.2) and OKP (RFC 8037 §2) keys.
const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "oth"];

impl<'de> Deserialize<'de> for RawJwk {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawJwk, D::Error> {
        struct JwkVisitor;
        impl<'de> Visitor<'de> for JwkVisitor {
            type Value = RawJwk;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JWK object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawJwk, A::Error> {
                let mut jwk = RawJwk::default();
                let mut private_seen = [false; PRIVATE_MEMBERS.len()];
                while let Some(name) = map.next_key::<String>()? {
                    let slot = match name.as_str() {
                        "kty" => &mut jwk.kty,
                        "kid" => &mut jwk.kid,
                        "alg" => &mut jwk.alg,
                        "use" => &mut jwk.use_,
                        "key_ops" => &mut jwk.key_ops,
                        "crv" => &mut jwk.crv,
                        "x" => &mut jwk.x,
                        "y" => &mut jwk.y,
                        "n" => &mut jwk.n,
                        "e" => &mut jwk.e,
                        "k" => &mut jwk.k,
                        other => {
                            if let Some(i) = PRIVATE_MEMBERS.iter().position(|p| *p == other) {
                                if private_seen.get(i).copied().unwrap_or(true) {
                                    return Err(de::Error::custom("duplicate JWK member"));
                                }
                                if let Some(seen) = private_seen.get_mut(i) {
                                    *seen = true;
                                }
                                jwk.has_private = true;
                            }
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    if slot.is_some() {
                        return Err(de::Error::custom("duplicate JWK member"));
                    }
                    *slot = Some(map.next_value::<Member>()?);
                }
                Ok(jwk)
            }
        }
        deserializer.deserialize_map(JwkVisitor)
    }
}

/// The `keys` of a JWK Set document.
struct RawJwkSet {
    keys: Vec<RawJwk>,
}

/// The `keys` array, refused as soon as it holds more than [`limits::MAX_JWKS_KEYS`].
struct KeyList(Vec<RawJwk>);

impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<KeyList, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = KeyList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of JWKs")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyList, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = seq.next_element::<RawJwk>()? {
                    if keys.len() == limits::MAX_JWKS_KEYS {
                        return Err(de::Error::custom("too many keys"));
                    }
                    keys.push(key);
                }
                Ok(KeyList(keys))
            }
        }
        deserializer.deserialize_seq(ListVisitor)
    }
}

impl<'de> Deserialize<'de> for RawJwkSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawJwkSet, D::Error> {
        struct SetVisitor;
        impl<'de> Visitor<'de> for SetVisitor {
            type Value = RawJwkSet;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JWK Set object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawJwkSet, A::Error> {
                let mut keys = None;
                while let Some(name) = map.next_key::<String>()? {
                    if name == "keys" {
                        if keys.is_some() {
                            return Err(de::Error::custom("duplicate keys member"));
                        }
                        keys = Some(map.next_value::<KeyList>()?.0);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                keys.map(|keys| RawJwkSet { keys })
                    .ok_or_else(|| de::Error::custom("no keys member"))
            }
        }
        deserializer.deserialize_map(SetVisitor)
    }
}

/// Parses one JWK document into its raw members. The copy simd-json works on is wiped
/// afterwards (it may hold an `oct` secret).
pub(crate) fn parse_raw_jwk(json: &[u8]) -> Result<RawJwk, ConfigError> {
    if json.len() > limits::MAX_JWK_BYTES {
        return Err(ConfigError::InvalidKey("JWK document too large"));
    }
    let mut copy = Zeroizing::new(json.to_vec());
    simd_json::serde::from_slice::<RawJwk>(&mut copy)
        .map_err(|_| ConfigError::InvalidKey("not a JWK JSON object (or a member is repeated)"))
}

/// Parses a JWK Set document into its raw keys.
pub(crate) fn parse_raw_jwk_set(json: &[u8]) -> Result<Vec<RawJwk>, ConfigError> {
    if json.len() > limits::MAX_JWKS_BYTES {
        return Err(ConfigError::InvalidKeySet("JWK Set document too large"));
    }
    let mut copy = Zeroizing::new(json.to_vec());
    simd_json::serde::from_slice::<RawJwkSet>(&mut copy)
        .map(|set| set.keys)
        .map_err(|_| {
            ConfigError::InvalidKeySet(
                "not a JWK Set: a JSON object with a keys array of at most 64 JWK objects, no member repeated",
            )
        })
}

/// Decodes a required strict-base64url member.
pub(crate) fn decode_b64(
    member: &Option<Member>,
    missing: &'static str,
) -> Result<Vec<u8>, ConfigError> {
    let text = member
        .as_ref()
        .and_then(Member::as_str)
        .ok_or(ConfigError::InvalidKey(missing))?;
    let mut out = Vec::new();
    crate::base64url::decode_into_vec(text.as_bytes(), &mut out).ok_or(ConfigError::InvalidKey(
        "JWK member is not strict unpadded base64url",
    ))?;
    Ok(out)
}

/// Reads an optional string member; a member of another JSON type is refused.
fn optional_str<'a>(
    member: &'a Option<Member>,
    wrong_type: &'static str,
) -> Result<Option<&'a str>, ConfigError> {
    match member {
        None => Ok(None),
        Some(Member::Str(s)) => Ok(Some(s)),
        Some(_) => Err(ConfigError::InvalidKey(wrong_type)),
    }
}

/// Whether `use` and `key_ops` allow verifying signatures (RFC 7517 §4.2, §4.3).
pub(crate) fn allows_verify(raw: &RawJwk) -> Result<bool, ConfigError> {
    let use_ok = match optional_str(&raw.use_, "JWK use is not a string")? {
        None => true,
        Some(u) => u == "sig",
    };
    let ops_ok = match &raw.key_ops {
        None => true,
        Some(Member::StrList(ops)) => ops.iter().any(|op| op == "verify"),
        Some(_) => {
            return Err(ConfigError::InvalidKey(
                "JWK key_ops is not an array of strings",
            ));
        }
    };
    Ok(use_ok && ops_ok)
}

/// What the JWK `kty` says.
enum Kty {
    Rsa,
    Ec,
    Okp,
    Oct,
}

fn kty(raw: &RawJwk) -> Result<Kty, ConfigError> {
    match optional_str(&raw.kty, "JWK kty is not a string")? {
        None => Err(ConfigError::InvalidKey("JWK without kty")),
        Some("RSA") => Ok(Kty::Rsa),
        Some("EC") => Ok(Kty::Ec),
        Some("OKP") => Ok(Kty::Okp),
        Some("oct") => Ok(Kty::Oct),
        Some(_) => Err(ConfigError::UnsupportedKey("JWK kty")),
    }
}

/// The usage a public JWK allows, from `alg`, `use` and `key_ops`.
fn usage(raw: &RawJwk, kind: KeyKind) -> Result<Usage, ConfigError> {
    let pinned = match optional_str(&raw.alg, "JWK alg is not a string")? {
        None => Usage::Any,
        Some(name) => match Algorithm::from_name(name.as_bytes()).map(Algorithm::family) {
            Some(AlgorithmFamily::Asymmetric(alg)) if alg.key_kind() == kind => Usage::Only(alg),
            Some(AlgorithmFamily::Asymmetric(_)) => {
                return Err(ConfigError::InvalidKey(
                    "JWK alg does not match the key type",
                ));
            }
            Some(AlgorithmFamily::Hmac(_)) => {
                return Err(ConfigError::InvalidKey(
                    "JWK alg is an HMAC algorithm on a public key",
                ));
            }
            // RFC 9864 §2.2: the fully specified name of EdDSA on Ed25519.
            None if name == "Ed25519" && kind == KeyKind::Ed25519 => {
                Usage::Only(crate::alg::AsymmetricAlg::EdDSA)
            }
            // An algorithm jwsgate does not know (RSA-OAEP, ECDH-ES, ...): never verifies.
            None => Usage::Never,
        },
    };
    Ok(if allows_verify(raw)? {
        pinned
    } else {
        Usage::Never
    })
}

/// Turns one raw JWK into a [`PublicKey`].
///
/// `oct` gives [`ConfigError::SymmetricKeyInAsymmetricSet`]; an unknown `kty` or curve
/// gives [`ConfigError::UnsupportedKey`]; private members give
/// [`ConfigError::InvalidKey`].
pub(crate) fn interpret(raw: &RawJwk) -> Result<PublicKey, ConfigError> {
    let kty = kty(raw)?;
    if matches!(kty, Kty::Oct) {
        return Err(ConfigError::SymmetricKeyInAsymmetricSet);
    }
    if raw.has_private {
        return Err(ConfigError::InvalidKey("JWK holds private key material"));
    }
    let key = match kty {
        Kty::Rsa => {
            let n = decode_b64(&raw.n, "RSA JWK without n")?;
            let e = decode_b64(&raw.e, "RSA JWK without e")?;
            PublicKey::from_rsa_components(&n, &e)?
        }
        Kty::Ec => {
            let (kind, len) = match optional_str(&raw.crv, "JWK crv is not a string")? {
                Some("P-256") => (KeyKind::EcP256, 32),
                Some("P-384") => (KeyKind::EcP384, 48),
                Some("P-521") => (KeyKind::EcP521, 66),
                Some(_) => return Err(ConfigError::UnsupportedKey("EC curve")),
                None => return Err(ConfigError::InvalidKey("EC JWK without crv")),
            };
            let x = decode_b64(&raw.x, "EC JWK without x")?;
            let y = decode_b64(&raw.y, "EC JWK without y")?;
            if x.len() != len || y.len() != len {
                return Err(ConfigError::InvalidKey(
                    "EC JWK coordinate of the wrong length for its curve",
                ));
            }
            let mut point = Vec::with_capacity(1 + 2 * len);
            point.push(0x04);
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            PublicKey::from_ec_point(kind, &point)?
        }
        Kty::Okp => {
            match optional_str(&raw.crv, "JWK crv is not a string")? {
                Some("Ed25519") => {}
                Some(_) => return Err(ConfigError::UnsupportedKey("OKP curve")),
                None => return Err(ConfigError::InvalidKey("OKP JWK without crv")),
            }
            let x = decode_b64(&raw.x, "OKP JWK without x")?;
            PublicKey::from_ed25519(&x)?
        }
        Kty::Oct => return Err(ConfigError::SymmetricKeyInAsymmetricSet),
    };
    let usage = usage(raw, key.kind())?;
    let key = key.with_usage(usage);
    Ok(match optional_str(&raw.kid, "JWK kid is not a string")? {
        Some(kid) => key.with_kid(kid),
        None => key,
    })
}

/// [`PublicKey::from_jwk`].
pub(crate) fn public_key_from_jwk(json: &[u8]) -> Result<PublicKey, ConfigError> {
    let raw = parse_raw_jwk(json)?;
    if raw.kty.is_none() && is_jwk_set(json) {
        return Err(ConfigError::InvalidKey(JWK_SET_GIVEN));
    }
    interpret(&raw)
}

/// The refusal of a JWK Set where one JWK is expected: what was given, what to call.
pub(crate) const JWK_SET_GIVEN: &str = "a JWK Set ({\"keys\":[...]}) was given where one JWK \
     is expected: use `KeySet::from_jwks` for a set, or pass one member of its `keys` array";

/// The refusal of one JWK where a JWK Set is expected.
pub(crate) const ONE_JWK_GIVEN: &str = "one JWK was given where a JWK Set ({\"keys\":[...]}) \
     is expected: use `PublicKey::from_jwk` and `KeySet::from_keys`, or wrap it as {\"keys\":[<jwk>]}";

/// Whether `json` parses as a JWK Set (asked only on an error path, to say what was given).
#[cold]
pub(crate) fn is_jwk_set(json: &[u8]) -> bool {
    parse_raw_jwk_set(json).is_ok()
}

/// Whether `json` parses as one JWK with a `kty` (asked only on an error path).
#[cold]
pub(crate) fn is_single_jwk(json: &[u8]) -> bool {
    parse_raw_jwk(json).is_ok_and(|raw| raw.kty.is_some())
}

impl fmt::Debug for Member {
    /// `Str(43 bytes)`, `StrList(2 items)` or `Other`: never the text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Member::Str(s) => write!(f, "Str({} bytes)", s.len()),
            Member::StrList(l) => write!(f, "StrList({} items)", l.len()),
            Member::Other => f.write_str("Other"),
        }
    }
}

impl fmt::Debug for RawJwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let members = [
            ("kty", &self.kty),
            ("kid", &self.kid),
            ("alg", &self.alg),
            ("use", &self.use_),
            ("key_ops", &self.key_ops),
            ("crv", &self.crv),
            ("x", &self.x),
            ("y", &self.y),
            ("n", &self.n),
            ("e", &self.e),
            ("k", &self.k),
        ];
        let mut map = f.debug_map();
        for (name, member) in members {
            if let Some(m) = member {
                map.entry(&name, m);
            }
        }
        map.entry(&"has_private", &self.has_private);
        map.finish()
    }
}

#[cfg(test)]
mod debug_tests {
    use super::*;

    /// `Debug` of a raw JWK (and of its members) shows no member value: not an `oct`
    /// key's `k`, in base64url or decoded, nor a public key's `n`.
    #[test]
    fn debug_of_a_raw_jwk_shows_no_key_material() {
        let k = "CzBVep_E6Q4zWH2ix-wRNluApcrvFDleg6jN8hc8YYY";
        let json = format!(
            r#"{{"kty":"oct","kid":"hmac-key-7","alg":"HS256","k":"{k}","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw"}}"#
        );
        let raw = parse_raw_jwk(json.as_bytes()).unwrap();
        for shown in [format!("{raw:?}"), format!("{raw:#?}")] {
            assert!(shown.contains("\"k\""), "{shown}");
            assert!(shown.contains("43 bytes"), "{shown}");
            assert!(!shown.contains(&k[..8]), "{shown}");
            assert!(!shown.contains("sXchDaQe"), "{shown}");
            assert!(!shown.contains("hmac-key-7"), "{shown}");
            let mut secret = Vec::new();
            crate::base64url::decode_into_vec(k.as_bytes(), &mut secret).unwrap();
            let as_list = format!("{:?}", &secret[..4]);
            assert!(!shown.contains(&as_list[1..as_list.len() - 1]), "{shown}");
        }
    }
}
