//! Strict unpadded base64url (RFC 7515 §2, RFC 4648 §5) into caller buffers.
//!
//! Padding, `+`, `/`, white space, a length of 1 mod 4 and non-zero trailing bits are all
//! refused. Key material is decoded by base64ct, in constant time; the public segments of
//! a token by base64-simd (vectorized, same strictness; see [`decode_public`]).

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
/// assert_eq!(jwsgate::low_level::base64url::decode(b"aGk", &mut buf), Some(&b"hi"[..]));
/// assert_eq!(jwsgate::low_level::base64url::decode(b"aGk=", &mut buf), None);
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

/// Strict unpadded base64url into `out`, whose length must be `decoded_len(src.len())`:
/// base64-simd (SSSE3/AVX2 chosen at run time, a scalar loop elsewhere), which refuses
/// padding, `+`, `/`, every byte outside the alphabet and non-zero trailing bits, as
/// base64ct does. Not constant-time: for public data only.
///
/// One call over the whole segment, on purpose. base64-simd's vector loop runs while at
/// least 38 characters remain (each 32-character step stores 28 bytes), so every call
/// ends in its scalar loop with 6 to 37 characters, about 6 instructions each (24 of a
/// 440-character payload, 22 of a 342-character RS256 signature). Splitting the segment
/// does not pay (callgrind, instructions per decode, lengths 78..460): a second call
/// costs about 130 instructions of its own (dispatch, length checks, prologues) plus its
/// own scalar tail of at least 6 characters, so an aligned prefix of 32k+8 characters
/// followed by an overlapping 38..40-character window ending at the end of the text cost
/// 59 to 204 instructions more than one call (+142 at 440 characters, +141 at 342), and
/// a safe table-driven scalar tail after such a prefix 32 to 225 more (+74 at 440).
fn decode_public_exact(src: &[u8], out: &mut [u8]) -> bool {
    // base64-simd panics when the destination is shorter than the decoded length; it is
    // never shorter here: both lengths are `decoded_len`'s (checked, not assumed).
    if decoded_len(src.len()) != Some(out.len()) {
        return false;
    }
    base64_simd::URL_SAFE_NO_PAD
        .decode(src, base64_simd::Out::from_slice(out))
        .is_ok()
}

/// As [`decode`], for data that is not secret (the header, payload and signature of a
/// token): the same strictness, several times faster on long segments (base64-simd
/// decodes 16 or 32 characters per step with SSSE3 or AVX2, detected at run time), but
/// not constant-time. Key material goes through [`decode`] / [`decode_into_vec`]
/// (base64ct).
///
/// ```
/// let mut buf = [0u8; 8];
/// assert_eq!(jwsgate::low_level::base64url::decode_public(b"aGk", &mut buf), Some(&b"hi"[..]));
/// assert_eq!(jwsgate::low_level::base64url::decode_public(b"aGl", &mut buf), None);
/// ```
pub fn decode_public<'b>(src: &[u8], dst: &'b mut [u8]) -> Option<&'b [u8]> {
    let len = decoded_len(src.len())?;
    let out = dst.get_mut(..len)?;
    if decode_public_exact(src, out) {
        Some(out)
    } else {
        None
    }
}

/// As [`decode_into_vec`], for data that is not secret (see [`decode_public`]).
pub fn decode_public_into_vec(src: &[u8], dst: &mut Vec<u8>) -> Option<()> {
    let len = decoded_len(src.len())?;
    // Every byte of the first `len` is overwritten by a successful decode (and the
    // buffer is cleared on failure): only bytes beyond the old length are zeroed, not the
    // whole buffer on every call. The data is public, so stale bytes are no secret.
    dst.truncate(len);
    dst.resize(len, 0);
    let ok = decode_public_exact(src, dst);
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

    /// The fast decoder of public data agrees with base64ct on every input: same
    /// acceptance, same bytes.
    #[test]
    fn public_decoder_agrees_with_base64ct() {
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        let alphabet = b"AZaz09-_+/=. Qw";
        // Every string of length 0..=5 over a small alphabet with both canonical and
        // non-canonical tails, and bytes outside the alphabet.
        let mut frontier: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..=4 {
            let mut next = Vec::new();
            for s in &frontier {
                for &c in alphabet {
                    let mut t = s.clone();
                    t.push(c);
                    next.push(t);
                }
            }
            inputs.extend(frontier);
            frontier = next;
        }
        inputs.extend(frontier);
        // Longer: encodings of every length up to 400 bytes (534 characters: the vector
        // loops' 16- and 32-character steps and every tail after them), then each with one
        // byte changed.
        for len in 0..400usize {
            let raw: Vec<u8> = (0..len)
                .map(|i| (i as u8).wrapping_mul(37) ^ len as u8)
                .collect();
            let enc = encode(&raw).into_bytes();
            // Every position of the shorter ones; of the longer, the first and last 40
            // (the heads and tails of the steps) and every 7th between.
            let changed = (0..enc.len())
                .filter(|&pos| len < 70 || pos < 40 || pos + 40 >= enc.len() || pos % 7 == 0);
            for pos in changed {
                for c in [b'A', b'_', b'=', b'+', 0xC3] {
                    let mut bad = enc.clone();
                    bad[pos] = c;
                    inputs.push(bad);
                }
            }
            inputs.push(enc);
        }
        for src in &inputs {
            let (mut a, mut b) = ([0u8; 400], [0u8; 400]);
            assert_eq!(
                decode(src, &mut a),
                decode_public(src, &mut b),
                "{:?}",
                String::from_utf8_lossy(src)
            );
            let (mut va, mut vb) = (Vec::new(), Vec::new());
            assert_eq!(
                decode_into_vec(src, &mut va),
                decode_public_into_vec(src, &mut vb)
            );
            assert_eq!(va, vb);
        }
    }

    /// A reused buffer, longer or shorter than the result, ends up holding exactly what a
    /// fresh one does, and is emptied by a failed decode.
    #[test]
    fn a_reused_vec_holds_only_the_new_bytes() {
        let mut reused = Vec::new();
        for len in [40usize, 3, 0, 17, 64, 1, 33, 33, 2] {
            let raw: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
            let enc = encode(&raw);
            assert_eq!(
                decode_public_into_vec(enc.as_bytes(), &mut reused),
                Some(())
            );
            assert_eq!(reused, raw, "{len}");
            let mut bad = enc.clone().into_bytes();
            if let Some(last) = bad.last_mut() {
                *last = b'=';
                assert_eq!(decode_public_into_vec(&bad, &mut reused), None);
                assert!(reused.is_empty());
                assert_eq!(
                    decode_public_into_vec(enc.as_bytes(), &mut reused),
                    Some(())
                );
            }
        }
    }

    /// Bytes outside the alphabet in any two places (so in two groups of one step, of
    /// both step sizes, and in the tail) are refused: one invalid group cannot cancel
    /// another's mark.
    #[test]
    fn two_invalid_characters_anywhere_are_refused() {
        // 48, 47 and 46 characters: no tail, a tail of 3 and a tail of 2.
        for len in [36u8, 35, 34] {
            two_invalid_characters_in(len);
        }
    }

    fn two_invalid_characters_in(len: u8) {
        let raw: Vec<u8> = (0..len).map(|i| i.wrapping_mul(91)).collect();
        let enc = encode(&raw).into_bytes();
        let mut out = [0u8; 64];
        for i in 0..enc.len() {
            for j in i + 1..enc.len() {
                for (a, b) in [(b'=', b'='), (b'+', 0xC3), (b'.', b'/')] {
                    let mut bad = enc.clone();
                    bad[i] = a;
                    bad[j] = b;
                    assert_eq!(decode_public(&bad, &mut out), None, "{i} {j}");
                    let mut v = Vec::new();
                    assert_eq!(decode_public_into_vec(&bad, &mut v), None, "{i} {j}");
                }
            }
        }
    }

    #[test]
    fn refuses_a_destination_too_small() {
        let mut buf = [0u8; 1];
        assert_eq!(decode(b"aGk", &mut buf), None);
    }
}
