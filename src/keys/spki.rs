//! The two public-key DER grammars: `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7, with the
//! algorithms of RFC 3279, RFC 5480 and RFC 8410) and PKCS#1 `RSAPublicKey` (RFC 8017
//! appendix A.1.1).

use super::der::{self, Reader};
use super::public_key::PublicKey;
use crate::alg::KeyKind;
use crate::error::ConfigError;

/// 1.2.840.113549.1.1.1 `rsaEncryption`.
const OID_RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// 1.2.840.10045.2.1 `id-ecPublicKey`.
const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// 1.2.840.10045.3.1.7 `prime256v1` (P-256).
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// 1.3.132.0.34 `secp384r1` (P-384).
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
/// 1.3.132.0.35 `secp521r1` (P-521).
const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
/// 1.3.101.112 `id-Ed25519`.
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// Parses a DER `SubjectPublicKeyInfo`.
pub(crate) fn public_key_from_spki(der: &[u8]) -> Result<PublicKey, ConfigError> {
    let mut reader = Reader::new(der);
    let key = reader.nested(der::SEQUENCE, |spki| {
        let (algorithm, parameter) = spki.nested(der::SEQUENCE, |algorithm_identifier| {
            let algorithm = algorithm_identifier.read(der::OID)?;
            let parameter = if algorithm_identifier.is_empty() {
                None
            } else {
                Some(algorithm_identifier.read_any()?)
            };
            Ok((algorithm, parameter))
        })?;
        let key = spki.bit_string_octets()?;
        match algorithm {
            OID_RSA_ENCRYPTION => match parameter {
                // RFC 3279 §2.3.1 says NULL; some encoders omit it.
                None | Some((der::NULL, [])) => public_key_from_pkcs1(key),
                Some(_) => Err(ConfigError::InvalidKey("rsaEncryption parameters not NULL")),
            },
            OID_EC_PUBLIC_KEY => {
                let kind = match parameter {
                    Some((der::OID, OID_P256)) => KeyKind::EcP256,
                    Some((der::OID, OID_P384)) => KeyKind::EcP384,
                    Some((der::OID, OID_P521)) => KeyKind::EcP521,
                    Some((der::OID, _)) => return Err(ConfigError::UnsupportedKey("EC curve")),
                    Some((der::SEQUENCE, _)) => {
                        return Err(ConfigError::UnsupportedKey("explicit EC parameters"));
                    }
                    _ => return Err(ConfigError::InvalidKey("EC key without a named curve")),
                };
                PublicKey::from_ec_point(kind, key)
            }
            OID_ED25519 => match parameter {
                // RFC 8410 §3: the parameters MUST be absent.
                None => PublicKey::from_ed25519(key),
                Some(_) => Err(ConfigError::InvalidKey("Ed25519 key with parameters")),
            },
            _ => Err(ConfigError::UnsupportedKey("public key algorithm")),
        }
    })?;
    if !reader.is_empty() {
        return Err(ConfigError::InvalidKey(
            "trailing data after the public key",
        ));
    }
    Ok(key)
}

/// Parses a DER PKCS#1 `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
pub(crate) fn public_key_from_pkcs1(der: &[u8]) -> Result<PublicKey, ConfigError> {
    let mut reader = Reader::new(der);
    let (n, e) = reader.nested(der::SEQUENCE, |seq| {
        let n = seq.positive_integer()?;
        let e = seq.positive_integer()?;
        Ok((n, e))
    })?;
    if !reader.is_empty() {
        return Err(ConfigError::InvalidKey(
            "trailing data after the public key",
        ));
    }
    PublicKey::from_rsa_components(n, e)
}
