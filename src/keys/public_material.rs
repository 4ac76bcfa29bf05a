//! Public key material recognised in any dress, so that it is never taken as an HMAC
//! secret (CVE-2022-29217 class).
//!
//! Handing the public key file to the HMAC key source lets anyone who holds the public key
//! forge HS* tokens. A check on the first bytes (`{`, `-----`) is not enough: a UTF-8 BOM,
//! white space, escaped JSON member names, UTF-16, DER or an unarmored base64 body all hide
//! the same public bytes. [`recognise`] looks through each of them:
//!
//! | dress | recognised by |
//! | --- | --- |
//! | UTF-8 BOM, Unicode white space around the text | trimmed before the text checks |
//! | UTF-16 LE/BE, UTF-32 LE/BE (with or without BOM) | decoded to UTF-8, then the text checks |
//! | PEM (RFC 7468), RFC 4716 SSH2 | a `-----BEGIN ` / `---- BEGIN SSH2 PUBLIC KEY` line anywhere, any case |
//! | JWK / JWK Set JSON, member names escaped (`\u006b\u0074\u0079`) | a `"kty"` member after JSON unescaping |
//! | OpenSSH public key, `authorized_keys` line | a key type word (`ssh-…`, `ecdsa-sha2-…`, `sk-…`) followed by another word |
//! | DER: SPKI, PKCS#1, X.509 certificate, PKCS#8 | one strict-DER `SEQUENCE` spanning the input, of two or more elements, the first a `SEQUENCE` or an `INTEGER` |
//! | the SSH wire blob (`AAAAC3NzaC1…` decoded) | a length-prefixed key type name |
//! | a raw SEC1 EC point (`04 ‖ x ‖ y`) | on its curve (P-256, P-384, P-521) |
//! | base64, base64url (padded or not, line-wrapped) or hex of any of the above | decoded, then every check again (two levels deep) |
//!
//! What cannot be told from random bytes is not refused: a raw Ed25519 key (1 in 16
//! random 32-byte strings is one), a raw RSA modulus, a compressed EC point. The false-
//! positive rate on random secrets is measured by a unit test (see SECURITY.md).
//!
//! Every copy made here (decoded text, decoded bytes) is wiped when dropped.

use zeroize::Zeroizing;

use super::der::{self, Reader};
use super::public_key::PublicKey;
use crate::alg::KeyKind;

/// How many encodings deep (base64 of a PEM, hex of a DER, …) the checks look.
const MAX_DECODE_DEPTH: usize = 2;

/// The shortest text decoded as base64 or hex: shorter decodes to under 12 bytes, less
/// than any public key document (an Ed25519 SPKI is 44 bytes).
const MIN_ENCODED_LEN: usize = 16;

/// Appends to what was given what is expected instead, so the refusal teaches.
macro_rules! instead {
    ($given:literal) => {
        concat!(
            $given,
            "; an HMAC key is the secret both sides share (at least 32 random bytes); to \
             verify with a public key use `PublicKey::from_pem` / `PublicKey::from_jwk` / \
             `KeySet::from_jwks` and the builder's `.public_key(..)` or `.key_set(..)`"
        )
    };
}

/// Why the document is refused, by dress.
const PEM: &str = instead!("a public key document (PEM), not a secret");
const JWK: &str = instead!("a key document (JWK or JWK Set JSON), not raw secret bytes");
const OPENSSH: &str = instead!("a public key (OpenSSH), not a secret");
const DER: &str = instead!("a key or certificate (DER: SPKI, PKCS#1, X.509), not a secret");
const SSH_BLOB: &str = instead!("a public key (OpenSSH wire format), not a secret");
const EC_POINT: &str = instead!("a public key (a raw EC point on its curve), not a secret");

/// Prefixes of OpenSSH key type names (`ssh-rsa`, `ssh-ed25519`, `ssh-dss`,
/// `ecdsa-sha2-nistp256`, `sk-ssh-ed25519@openssh.com`, `sk-ecdsa-sha2-nistp256@…`, and
/// their `-cert-v01@openssh.com` certificate forms).
const SSH_KEY_TYPE_PREFIXES: [&[u8]; 4] = [b"ssh-", b"ecdsa-sha2-", b"sk-ssh-", b"sk-ecdsa-"];

/// Armor lines, compared ASCII case-insensitively: RFC 7468 PEM (every label, public or
/// not: a private key or certificate file is no HMAC secret either) and RFC 4716 §3.3.
const ARMOR: [&[u8]; 2] = [b"-----BEGIN ", b"---- BEGIN SSH2 PUBLIC KEY"];

/// White space and invisible characters trimmed around a text, UTF-8 encoded: the BOM,
/// no-break space, the Unicode spaces of U+2000..U+200B, line and paragraph separators,
/// narrow no-break, medium mathematical and ideographic spaces, Ogham space mark.
const UNICODE_SPACES: [&[u8]; 20] = [
    "\u{feff}".as_bytes(),
    "\u{a0}".as_bytes(),
    "\u{1680}".as_bytes(),
    "\u{2000}".as_bytes(),
    "\u{2001}".as_bytes(),
    "\u{2002}".as_bytes(),
    "\u{2003}".as_bytes(),
    "\u{2004}".as_bytes(),
    "\u{2005}".as_bytes(),
    "\u{2006}".as_bytes(),
    "\u{2007}".as_bytes(),
    "\u{2008}".as_bytes(),
    "\u{2009}".as_bytes(),
    "\u{200a}".as_bytes(),
    "\u{200b}".as_bytes(),
    "\u{2028}".as_bytes(),
    "\u{2029}".as_bytes(),
    "\u{202f}".as_bytes(),
    "\u{205f}".as_bytes(),
    "\u{3000}".as_bytes(),
];

/// Why `bytes` are (or decode to) public key material, if they are.
pub(crate) fn recognise(bytes: &[u8]) -> Option<&'static str> {
    recognise_at(bytes, 0)
}

fn recognise_at(bytes: &[u8], depth: usize) -> Option<&'static str> {
    // Binary documents as they are, then behind a BOM or white space (a DER file saved
    // by a text editor): only the front is stripped first, since a DER value may end in
    // bytes that look like white space or NUL; then trailing ASCII white space too.
    let front = trim_start(bytes);
    for candidate in [bytes, front, front.trim_ascii_end()] {
        if let Some(why) = recognise_binary(candidate) {
            return Some(why);
        }
    }
    if let Some(why) = recognise_text(bytes, depth) {
        return Some(why);
    }
    // A NUL byte is how ASCII looks in UTF-16 and UTF-32; without one, no wide text.
    if bytes.contains(&0) {
        for wide in [
            Wide::Utf16 { big_endian: false },
            Wide::Utf16 { big_endian: true },
            Wide::Utf32 { big_endian: false },
            Wide::Utf32 { big_endian: true },
        ] {
            let text = wide.decode(bytes);
            if let Some(why) = recognise_text(text.as_bytes(), depth) {
                return Some(why);
            }
        }
    }
    None
}

/// The binary checks: DER, an OpenSSH wire blob, a raw EC point.
fn recognise_binary(bytes: &[u8]) -> Option<&'static str> {
    if is_der_document(bytes) {
        Some(DER)
    } else if is_ssh_blob(bytes) {
        Some(SSH_BLOB)
    } else if is_ec_point(bytes) {
        Some(EC_POINT)
    } else {
        None
    }
}

/// `bytes` without leading ASCII white space, BOMs and Unicode spaces (the end untouched).
fn trim_start(mut bytes: &[u8]) -> &[u8] {
    loop {
        let before = bytes.len();
        bytes = bytes.trim_ascii_start();
        for space in UNICODE_SPACES {
            if let Some(rest) = bytes.strip_prefix(space) {
                bytes = rest;
            }
        }
        if bytes.len() == before {
            return bytes;
        }
    }
}

/// The text checks: armor, JSON, OpenSSH, then base64 and hex bodies decoded.
fn recognise_text(text: &[u8], depth: usize) -> Option<&'static str> {
    let text = trim(text);
    if ARMOR.iter().any(|armor| contains_ignore_case(text, armor)) {
        return Some(PEM);
    }
    if is_json_key_document(text) {
        return Some(JWK);
    }
    if is_openssh_line(text) {
        return Some(OPENSSH);
    }
    if depth < MAX_DECODE_DEPTH {
        for decoded in [decode_base64(text), decode_hex(text)]
            .into_iter()
            .flatten()
        {
            if let Some(why) = recognise_at(&decoded, depth + 1) {
                return Some(why);
            }
        }
    }
    None
}

/// `text` without leading and trailing ASCII white space, NUL, BOMs and Unicode spaces.
fn trim(mut text: &[u8]) -> &[u8] {
    loop {
        let before = text.len();
        text = text.trim_ascii();
        while let [0 | 0x0b, rest @ ..] = text {
            text = rest;
        }
        while let [rest @ .., 0 | 0x0b] = text {
            text = rest;
        }
        for space in UNICODE_SPACES {
            if let Some(rest) = text.strip_prefix(space) {
                text = rest;
            }
            if let Some(rest) = text.strip_suffix(space) {
                text = rest;
            }
        }
        if text.len() == before {
            return text;
        }
    }
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A JSON text with a `"kty"` member (RFC 7517 §4.1) once escapes are undone, so that
/// `"\u006b\u0074\u0079"` and `"k\u0074y"` count.
fn is_json_key_document(text: &[u8]) -> bool {
    if !text.contains(&b'{') {
        return false;
    }
    contains(&json_unescape(text), b"\"kty\"")
}

/// `text` with JSON string escapes undone, for searching only: `\uXXXX` below U+0080
/// becomes its ASCII byte (others a NUL), `\"`, `\\`, `\/` their character, `\b` `\f`
/// `\n` `\r` `\t` a NUL.
fn json_unescape(text: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(text.len()));
    let mut rest = text;
    while let Some((&b, tail)) = rest.split_first() {
        rest = tail;
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match rest.split_first() {
            Some((b'u', tail)) => {
                let code = tail
                    .get(..4)
                    .and_then(|hex| core::str::from_utf8(hex).ok())
                    .and_then(|hex| u16::from_str_radix(hex, 16).ok());
                match code {
                    Some(code) => {
                        out.push(u8::try_from(code).ok().filter(u8::is_ascii).unwrap_or(0));
                        rest = tail.get(4..).unwrap_or_default();
                    }
                    None => out.push(b'\\'),
                }
            }
            Some((c @ (b'"' | b'\\' | b'/'), tail)) => {
                out.push(*c);
                rest = tail;
            }
            Some((_, tail)) => {
                out.push(0);
                rest = tail;
            }
            None => out.push(b'\\'),
        }
    }
    out
}

/// An OpenSSH public key line: a key type word followed by another word (the key), with
/// `authorized_keys` options or anything else before it.
fn is_openssh_line(text: &[u8]) -> bool {
    let mut words = text
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .peekable();
    while let Some(word) = words.next() {
        let key_type = SSH_KEY_TYPE_PREFIXES
            .iter()
            .any(|prefix| word.len() > prefix.len() && word.starts_with(prefix));
        if key_type && words.peek().is_some() {
            return true;
        }
    }
    false
}

/// The OpenSSH wire encoding of a public key (RFC 4253 §6.6): `uint32` length, then a key
/// type name of that length.
fn is_ssh_blob(bytes: &[u8]) -> bool {
    let Some((len, rest)) = bytes.split_first_chunk::<4>() else {
        return false;
    };
    let len = u32::from_be_bytes(*len);
    let Some(name) = usize::try_from(len).ok().and_then(|len| rest.get(..len)) else {
        return false;
    };
    name.iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'@' | b'.'))
        && SSH_KEY_TYPE_PREFIXES
            .iter()
            .any(|prefix| name.len() > prefix.len() && name.starts_with(prefix))
}

/// One strict-DER `SEQUENCE` spanning the whole input, holding two or more well-formed
/// elements, the first a `SEQUENCE` (SPKI's AlgorithmIdentifier, a certificate's
/// TBSCertificate) or an `INTEGER` (PKCS#1's modulus, PKCS#8's version).
fn is_der_document(bytes: &[u8]) -> bool {
    let mut outer = Reader::new(bytes);
    let Ok(contents) = outer.read(der::SEQUENCE) else {
        return false;
    };
    if !outer.is_empty() {
        return false;
    }
    let mut inner = Reader::new(contents);
    let mut first = None;
    let mut count = 0usize;
    while !inner.is_empty() {
        match inner.read_any() {
            Ok((tag, _)) => {
                first.get_or_insert(tag);
                count += 1;
            }
            Err(_) => return false,
        }
    }
    count >= 2 && matches!(first, Some(der::SEQUENCE | der::INTEGER))
}

/// A SEC1 uncompressed point (`04 ‖ x ‖ y`) on P-256, P-384 or P-521.
fn is_ec_point(bytes: &[u8]) -> bool {
    let kind = match bytes.len() {
        65 => KeyKind::EcP256,
        97 => KeyKind::EcP384,
        133 => KeyKind::EcP521,
        _ => return false,
    };
    bytes.first() == Some(&0x04) && PublicKey::from_ec_point(kind, bytes).is_ok()
}

/// Base64 or base64url, padded or not, with white space anywhere (line-wrapped PEM
/// bodies); spare bits are ignored. `None` when `text` is not such a body.
fn decode_base64(text: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let mut sextets = Zeroizing::new(Vec::with_capacity(text.len()));
    let mut padding = 0;
    for &c in text {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => {
                padding += 1;
                continue;
            }
            c if c.is_ascii_whitespace() => continue,
            _ => return None,
        };
        if padding > 0 {
            return None; // data after padding
        }
        sextets.push(value);
    }
    if sextets.len() < MIN_ENCODED_LEN || sextets.len() % 4 == 1 || padding > 2 {
        return None;
    }
    let mut out = Zeroizing::new(Vec::with_capacity(sextets.len() / 4 * 3 + 2));
    for chunk in sextets.chunks(4) {
        let acc =
            chunk.iter().fold(0u32, |acc, s| acc * 64 + u32::from(*s)) << (6 * (4 - chunk.len()));
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(bytes.get(1..chunk.len()).unwrap_or_default());
    }
    Some(out)
}

/// Hex (either case), with white space or `:` between bytes. `None` when `text` is not.
fn decode_hex(text: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let mut nibbles = Zeroizing::new(Vec::with_capacity(text.len()));
    for &c in text {
        match c {
            b'0'..=b'9' => nibbles.push(c - b'0'),
            b'a'..=b'f' => nibbles.push(c - b'a' + 10),
            b'A'..=b'F' => nibbles.push(c - b'A' + 10),
            b':' => {}
            c if c.is_ascii_whitespace() => {}
            _ => return None,
        }
    }
    if nibbles.len() < MIN_ENCODED_LEN || nibbles.len() % 2 == 1 {
        return None;
    }
    let mut out = Zeroizing::new(Vec::with_capacity(nibbles.len() / 2));
    for pair in nibbles.chunks_exact(2) {
        if let [hi, lo] = pair {
            out.push(hi * 16 + lo);
        }
    }
    Some(out)
}

/// A wide text encoding, tried on input holding NUL bytes.
#[derive(Clone, Copy)]
enum Wide {
    Utf16 { big_endian: bool },
    Utf32 { big_endian: bool },
}

impl Wide {
    /// `bytes` decoded to UTF-8 (invalid units become U+FFFD; a trailing partial unit is
    /// dropped). The capacity is reserved up front so the text is never reallocated,
    /// leaving no unwiped copy behind.
    fn decode(self, bytes: &[u8]) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(bytes.len().saturating_mul(2)));
        match self {
            Wide::Utf16 { big_endian } => {
                let units = bytes.chunks_exact(2).map(|pair| {
                    let pair = [
                        pair.first().copied().unwrap_or(0),
                        pair.get(1).copied().unwrap_or(0),
                    ];
                    if big_endian {
                        u16::from_be_bytes(pair)
                    } else {
                        u16::from_le_bytes(pair)
                    }
                });
                for c in char::decode_utf16(units) {
                    out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
                }
            }
            Wide::Utf32 { big_endian } => {
                for quad in bytes.chunks_exact(4) {
                    let mut word = [0u8; 4];
                    word.copy_from_slice(quad);
                    let code = if big_endian {
                        u32::from_be_bytes(word)
                    } else {
                        u32::from_le_bytes(word)
                    };
                    out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming_removes_boms_and_unicode_spaces() {
        let text = "\u{feff}\u{a0} \u{3000}\t{x}\u{200b}\r\n\0".as_bytes();
        assert_eq!(trim(text), b"{x}");
        assert_eq!(trim(b""), b"");
    }

    #[test]
    fn json_escapes_are_undone() {
        let text = br#"{"\u006B\u0074\u0079":"k\u0074y","\"a\\":"\n\u00e9"}"#;
        assert_eq!(
            &json_unescape(text)[..],
            b"{\"kty\":\"kty\",\"\"a\\\":\"\0\0\"}"
        );
        assert!(is_json_key_document(br#"{"k\u0074y":"RSA"}"#));
        assert!(!is_json_key_document(br#"{"k\u0074z":"RSA"}"#));
        assert!(!is_json_key_document(br#""kty""#));
        // A broken escape is kept as is.
        assert_eq!(&json_unescape(br"\u00zz\")[..], br"\u00zz\");
    }

    #[test]
    fn base64_and_hex_bodies_decode() {
        let body = b"MDAw\nMDAw MDAw\r\nMDAwMDA=";
        assert_eq!(&decode_base64(body).unwrap()[..], b"00000000000000");
        assert_eq!(
            &decode_base64(b"-_-_-_-_-_-_-_-_").unwrap()[..],
            &[0xfb, 0xff, 0xbf].repeat(4)
        );
        assert!(decode_base64(b"MDAwMDAwMDAwMDAwM=DA").is_none());
        assert!(decode_base64(b"MDAwMDAw").is_none()); // too short
        // A byte outside both alphabets, a length no encoding has, too much padding.
        assert!(decode_base64(b"MDAwMDAw*MDAwMDAw").is_none());
        assert!(decode_base64(b"MDAwMDAwMDAwMDAwM").is_none());
        assert!(decode_base64(b"MDAwMDAwMDAwMDAw===").is_none());
        assert!(decode_base64(b"MDAwMDAwMDAwMDAwMDA=").is_some());
        assert_eq!(
            &decode_hex(b"30:82:01:0a DEADbeef 0011223344").unwrap()[..],
            &[
                0x30, 0x82, 0x01, 0x0a, 0xde, 0xad, 0xbe, 0xef, 0, 0x11, 0x22, 0x33, 0x44
            ]
        );
        assert!(decode_hex(b"0123456789abcdefg").is_none());
        // At least MIN_ENCODED_LEN digits, and an even number of them.
        let digits = |n: usize| "a1".repeat(n).into_bytes()[..n].to_vec();
        assert_eq!(
            decode_hex(&digits(MIN_ENCODED_LEN)).map(|d| d.len()),
            Some(MIN_ENCODED_LEN / 2)
        );
        assert_eq!(
            decode_hex(&digits(MIN_ENCODED_LEN + 2)).map(|d| d[0]),
            Some(0xa1)
        );
        assert!(decode_hex(&digits(MIN_ENCODED_LEN - 2)).is_none());
        assert!(decode_hex(&digits(MIN_ENCODED_LEN + 1)).is_none());
        assert!(decode_hex(&digits(MIN_ENCODED_LEN + 3)).is_none());
    }

    /// Key material is looked for through `MAX_DECODE_DEPTH` encodings and no deeper, so
    /// the work per candidate secret stays bounded.
    #[test]
    fn decoding_stops_at_max_decode_depth() {
        use base64ct::{Base64, Encoding};
        let mut text =
            b"-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n".to_vec();
        for layers in 0..=MAX_DECODE_DEPTH {
            assert_eq!(recognise(&text), Some(PEM), "{layers} layers of base64");
            text = Base64::encode_string(&text).into_bytes();
        }
        assert_eq!(recognise(&text), None, "one layer past the depth");
    }

    #[test]
    fn wide_texts_decode() {
        let le: Vec<u8> = "\u{feff}-----BEGIN"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            &*Wide::Utf16 { big_endian: false }.decode(&le),
            "\u{feff}-----BEGIN"
        );
        let be: Vec<u8> = "ab"
            .chars()
            .flat_map(|c| (c as u32).to_be_bytes())
            .collect();
        assert_eq!(&*Wide::Utf32 { big_endian: true }.decode(&be), "ab");
    }

    /// Found by the `jwk_set` fuzz target: an Ed25519 SPKI (ending in zero bytes) behind
    /// a UTF-8 BOM passed as an HMAC secret.
    #[test]
    fn der_behind_a_bom_or_white_space_is_recognised() {
        let mut spki = vec![
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ];
        spki.extend([1u8; 24]);
        spki.extend([0u8; 8]);
        assert_eq!(recognise(&spki), Some(DER));
        for dress in [&b"\xef\xbb\xbf"[..], b" \n", b"\xef\xbb\xbf\xef\xbb\xbf\t"] {
            let dressed = [dress, &spki].concat();
            assert_eq!(recognise(&dressed), Some(DER), "{dress:?}");
            let with_newline = [dress, &spki, b"\r\n"].concat();
            assert_eq!(
                recognise(&with_newline),
                Some(DER),
                "{dress:?} and a newline"
            );
        }
    }

    #[test]
    fn der_structure_is_recognised() {
        // SEQUENCE { INTEGER 3, INTEGER 5 }: PKCS#1-shaped.
        assert!(is_der_document(&[
            0x30, 0x06, 0x02, 0x01, 0x03, 0x02, 0x01, 0x05
        ]));
        // One element only, or trailing bytes, or a first element of another type: no.
        assert!(!is_der_document(&[0x30, 0x03, 0x02, 0x01, 0x03]));
        assert!(!is_der_document(&[
            0x30, 0x06, 0x02, 0x01, 0x03, 0x02, 0x01, 0x05, 0
        ]));
        assert!(!is_der_document(&[
            0x30, 0x06, 0x04, 0x01, 0x03, 0x02, 0x01, 0x05
        ]));
    }

    /// An uncompressed point of the right length is key material only when it is on its
    /// curve: 0x04 and the right size alone are not enough.
    #[test]
    fn ec_points_must_be_on_their_curve() {
        for len in [65, 97, 133] {
            let mut off_curve = vec![0x5a; len];
            off_curve[0] = 0x04;
            assert!(!is_ec_point(&off_curve), "{len}");
        }
    }

    #[test]
    fn ssh_blobs_and_lines_are_recognised() {
        let mut blob = vec![0, 0, 0, 11];
        blob.extend_from_slice(b"ssh-ed25519");
        blob.extend_from_slice(&[0, 0, 0, 32]);
        assert!(is_ssh_blob(&blob));
        assert!(!is_ssh_blob(&blob[..10]));
        assert!(!is_ssh_blob(b"\0\0\0\x03ssh"));
        // The name must be a key type: longer than one of the prefixes and starting with
        // it; a bare prefix or another name of the same characters is not.
        let blob_named = |name: &[u8]| {
            let mut blob = u32::try_from(name.len()).unwrap().to_be_bytes().to_vec();
            blob.extend_from_slice(name);
            blob.extend_from_slice(&[0, 0, 0, 32]);
            blob
        };
        for prefix in SSH_KEY_TYPE_PREFIXES {
            assert!(!is_ssh_blob(&blob_named(prefix)), "{prefix:?}");
            assert!(is_ssh_blob(&blob_named(&[prefix, &b"x"[..]].concat())));
        }
        assert!(!is_ssh_blob(&blob_named(b"rsa-sha2-256")));
        assert!(!is_ssh_blob(&blob_named(b"ssh-ed25519 ")));
        assert!(is_openssh_line(b"from=\"10.0.0.1\" ssh-rsa AAAAB3 user"));
        assert!(!is_openssh_line(b"ssh-rsa"));
        assert!(!is_openssh_line(b"ssh- AAAA"));
    }

    /// A deterministic random stream (SplitMix64), so that a count can be reproduced.
    struct SplitMix(u64);

    impl SplitMix {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        fn bytes(&mut self, len: usize) -> Vec<u8> {
            (0..len).map(|_| self.next() as u8).collect()
        }
    }

    /// Refusals by [`recognise`] among `n` random secrets of each kind: 32 and 64 random
    /// bytes, 43-character base64url text (32 random bytes encoded, as `openssl rand`
    /// users make them).
    fn false_positives(n: usize) -> [usize; 3] {
        let mut rng = SplitMix(0x6a77_7367_6174_6531);
        let mut refused = [0; 3];
        for _ in 0..n {
            let secrets = [
                rng.bytes(32),
                rng.bytes(64),
                crate::base64url::encode(&rng.bytes(32)).into_bytes(),
            ];
            for (count, secret) in refused.iter_mut().zip(&secrets) {
                if recognise(secret).is_some() {
                    *count += 1;
                }
            }
        }
        refused
    }

    #[test]
    fn random_secrets_are_not_taken_for_public_keys() {
        assert_eq!(false_positives(20_000), [0, 0, 0]);
    }

    /// The figure in SECURITY.md:
    /// `cargo test --lib keys::public_material::tests::false_positive_rate -- --ignored --nocapture`
    #[test]
    #[ignore = "a million secrets of each kind: about three minutes in a debug build"]
    fn false_positive_rate() {
        let n = 1_000_000;
        let [b32, b64, text] = false_positives(n);
        println!(
            "public-key check refusals among {n} random secrets: 32 bytes {b32}, 64 bytes {b64}, 43-char base64url {text}"
        );
        assert!(b32 + b64 + text <= 3, "{b32} {b64} {text}");
    }
}
