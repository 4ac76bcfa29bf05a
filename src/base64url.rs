//! Strict unpadded base64url (RFC 7515 §2, RFC 4648 §5) into caller buffers.
//!
//! Padding, `+`, `/`, white space, a length of 1 mod 4 and non-zero trailing bits are all
//! refused (base64ct decodes in constant time and rejects non-canonical input).

use base64ct::{Base64UrlUnpadded, Encoding};

/// The decoded length of `encoded_len` base64url characters, or `None` when no unpadded
/// base64url text has that length (1 mod 4).
pub const fn decoded_len(encoded_len: usize) -> Option<usize> {
    match encoded_len % 4 {
        1 => None,
        r => Some(encoded_len / 4 * 3 + if r == 0 { 0 } else { r - 1 }),
    }
}

/// Decodes `src` into the front of `dst`, returning the decoded bytes; `None` when `src`
/// is not strict unpadded base64url or `dst` is too small.
///
/// ```
/// let mut buf = [0u8; 8];
/// assert_eq!(jwsgate::base64url::decode(b"aGk", &mut buf), Some(&b"hi"[..]));
/// assert_eq!(jwsgate::base64url::decode(b"aGk=", &mut buf), None);
/// ```
pub fn decode<'b>(src: &[u8], dst: &'b mut [u8]) -> Option<&'b [u8]> {
    let len = decoded_len(src.len())?;
    let out = dst.get_mut(..len)?;
    let decoded: &'b [u8] = Base64UrlUnpadded::decode(src, out).ok()?;
    Some(decoded)
}

/// Decodes `src` into `dst`, which is cleared and filled without growing past the capacity
/// it already has when that suffices (so a warmed buffer never allocates).
pub fn decode_into_vec(src: &[u8], dst: &mut Vec<u8>) -> Option<()> {
    let len = decoded_len(src.len())?;
    dst.clear();
    dst.resize(len, 0);
    let ok = Base64UrlUnpadded::decode(src, dst).is_ok();
    if !ok {
        dst.clear();
    }
    ok.then_some(())
}

/// Appends the unpadded base64url encoding of `src` to `dst`.
pub fn encode_append(src: &[u8], dst: &mut Vec<u8>) {
    let start = dst.len();
    dst.resize(start + Base64UrlUnpadded::encoded_len(src), 0);
    if let Some(out) = dst.get_mut(start..) {
        // The slice has exactly the encoded length, so encoding cannot fail.
        let _ = Base64UrlUnpadded::encode(src, out);
    }
}

/// Decodes strict base64url text into a new `Vec` (not used on the verify path); an empty
/// `Vec` when the text is not strict base64url.
pub fn decode_vec(src: &str) -> Vec<u8> {
    let mut out = Vec::new();
    match decode_into_vec(src.as_bytes(), &mut out) {
        Some(()) => out,
        None => Vec::new(),
    }
}

/// Encodes `src` as unpadded base64url into a new `String` (not used on the verify path).
pub fn encode(src: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(src)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_strict() {
        let mut buf = [0u8; 16];
        for bad in [&b"aGk="[..], b"a", b"aG k", b"a+Gk", b"a/Gk", b"aGl"] {
            assert_eq!(decode(bad, &mut buf), None, "{:?}", bad);
        }
        assert_eq!(decode(b"", &mut buf), Some(&b""[..]));
        assert_eq!(decode(b"_-8", &mut buf), Some(&[0xff, 0xef][..]));
    }

    #[test]
    fn refuses_a_destination_too_small() {
        let mut buf = [0u8; 1];
        assert_eq!(decode(b"aGk", &mut buf), None);
    }
}
