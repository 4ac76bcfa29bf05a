//! PEM armor (RFC 7468) around a public key: `PUBLIC KEY` (SPKI) or `RSA PUBLIC KEY`
//! (PKCS#1). Exactly one block; explanatory text may precede it, only white space may
//! follow it; encapsulated headers (RFC 1421 `Proc-Type:` and the like) are refused.

use base64ct::{Base64, Encoding};

use super::public_key::PublicKey;
use super::spki;
use crate::error::ConfigError;
use crate::limits;

const BEGIN: &str = "-----BEGIN ";
const END: &str = "-----END ";
const DASHES: &str = "-----";

/// Parses a PEM public key.
pub(crate) fn public_key_from_pem(pem: &[u8]) -> Result<PublicKey, ConfigError> {
    let (label, der) = decode_pem(pem)?;
    match label {
        "PUBLIC KEY" => spki::public_key_from_spki(&der),
        "RSA PUBLIC KEY" => spki::public_key_from_pkcs1(&der),
        label if label.contains("PRIVATE") => Err(ConfigError::InvalidKey(
            "PEM holds a private key; give the public key",
        )),
        "CERTIFICATE" => Err(ConfigError::UnsupportedKey(
            "PEM holds a certificate; give its public key",
        )),
        _ => Err(ConfigError::InvalidKey("unexpected PEM label")),
    }
}

/// The label and the decoded contents of the one PEM block in `pem`.
fn decode_pem(pem: &[u8]) -> Result<(&str, Vec<u8>), ConfigError> {
    if pem.len() > limits::MAX_PEM_BYTES {
        return Err(ConfigError::InvalidKey("PEM document too large"));
    }
    let text = core::str::from_utf8(pem).map_err(|_| ConfigError::InvalidKey("PEM is not text"))?;
    let bad = |why| ConfigError::InvalidKey(why);

    let begin = text.find(BEGIN).ok_or(bad("no PEM BEGIN line"))?;
    let after_begin = text
        .get(begin + BEGIN.len()..)
        .ok_or(bad("truncated PEM"))?;
    let label_end = after_begin
        .find(DASHES)
        .ok_or(bad("malformed PEM BEGIN line"))?;
    let label = after_begin.get(..label_end).ok_or(bad("truncated PEM"))?;
    if label.contains(['\r', '\n']) {
        return Err(bad("malformed PEM BEGIN line"));
    }
    let body_and_rest = after_begin
        .get(label_end + DASHES.len()..)
        .ok_or(bad("truncated PEM"))?;

    let end = body_and_rest.find(END).ok_or(bad("no PEM END line"))?;
    let body = body_and_rest.get(..end).ok_or(bad("truncated PEM"))?;
    let end_line = body_and_rest
        .get(end + END.len()..)
        .ok_or(bad("truncated PEM"))?;
    let trailer = end_line
        .strip_prefix(label)
        .and_then(|rest| rest.strip_prefix(DASHES))
        .ok_or(bad("PEM END label differs from BEGIN"))?;
    if !trailer.trim().is_empty() {
        return Err(bad("data after the PEM block"));
    }
    if body.contains(':') {
        return Err(bad("PEM encapsulated headers are not supported"));
    }

    let compact: Vec<u8> = body
        .bytes()
        .filter(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .collect();
    let der =
        Base64::decode_vec(core::str::from_utf8(&compact).map_err(|_| bad("PEM is not text"))?)
            .map_err(|_| bad("PEM body is not base64"))?;
    if der.is_empty() {
        return Err(bad("empty PEM body"));
    }
    Ok((label, der))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_one_public_key_block() {
        let cases: &[&str] = &[
            "",
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE",
            "-----BEGIN PUBLIC KEY-----\nAAAA\n",
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n",
            "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
            "-----BEGIN PUBLIC KEY-----\nA*AA\n-----END PUBLIC KEY-----\n",
            "-----BEGIN PUBLIC KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END PUBLIC KEY-----\n",
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n-----BEGIN PUBLIC KEY-----\n",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", // not DER
        ];
        for case in cases {
            assert!(public_key_from_pem(case.as_bytes()).is_err(), "{case:?}");
        }
        let huge = vec![b' '; limits::MAX_PEM_BYTES + 1];
        assert!(public_key_from_pem(&huge).is_err());
        assert!(public_key_from_pem(&[0xff, 0xfe]).is_err());
    }

    /// The label decides the refusal: a private key, a certificate and anything else
    /// are each named (the block's contents are never decoded as a key).
    #[test]
    fn each_label_is_refused_with_its_reason() {
        let block = |label: &str| format!("-----BEGIN {label}-----\nAAAA\n-----END {label}-----\n");
        let private = Some(ConfigError::InvalidKey(
            "PEM holds a private key; give the public key",
        ));
        for label in [
            "PRIVATE KEY",
            "RSA PRIVATE KEY",
            "EC PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY",
        ] {
            assert_eq!(
                public_key_from_pem(block(label).as_bytes()).err(),
                private,
                "{label}"
            );
        }
        assert_eq!(
            public_key_from_pem(block("CERTIFICATE").as_bytes()).err(),
            Some(ConfigError::UnsupportedKey(
                "PEM holds a certificate; give its public key"
            ))
        );
        for label in ["X509 CRL", "PUBLIC  KEY", "public key"] {
            assert_eq!(
                public_key_from_pem(block(label).as_bytes()).err(),
                Some(ConfigError::InvalidKey("unexpected PEM label")),
                "{label}"
            );
        }
    }

    #[test]
    fn decodes_one_block_with_text_before_it() {
        let pem = "Comment line\n-----BEGIN PUBLIC KEY-----\r\nAAEC\r\nAw==\r\n-----END PUBLIC KEY-----\r\n\r\n";
        let (label, der) = decode_pem(pem.as_bytes()).unwrap();
        assert_eq!(label, "PUBLIC KEY");
        assert_eq!(der, vec![0, 1, 2, 3]);
    }
}
