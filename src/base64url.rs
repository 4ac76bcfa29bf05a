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

/// The base64url alphabet (RFC 4648 §5).
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Set in a [`shifted`] table entry for a byte outside the alphabet: above the 24 bits a
/// group of four characters decodes to.
const INVALID: u32 = 1 << 24;

/// Each alphabet byte's 6-bit value (RFC 4648 §5), already shifted to its place in a
/// group of four characters (18, 12, 6 or 0 bits), and [`INVALID`] outside the alphabet:
/// a group decodes with four loads and three ORs, and one OR per group collects the
/// validity.
const fn shifted(shift: u32) -> [u32; 256] {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = (i as u32) << shift;
        i += 1;
    }
    table
}

const D0: [u32; 256] = shifted(18);
const D1: [u32; 256] = shifted(12);
const D2: [u32; 256] = shifted(6);
const D3: [u32; 256] = shifted(0);

/// One group of four characters as 24 bits, [`INVALID`] set when one is not base64url.
#[inline(always)]
fn group(a: u8, b: u8, c: u8, d: u8) -> u32 {
    // u8 indices into 256-entry tables: always in bounds, no check emitted.
    D0[usize::from(a)] | D1[usize::from(b)] | D2[usize::from(c)] | D3[usize::from(d)]
}

/// Strict unpadded base64url into `out`, whose length must be `decoded_len(src.len())`.
/// Table-driven and not constant-time: for public data only.
fn decode_public_exact(src: &[u8], out: &mut [u8]) -> bool {
    let full = src.len() / 4;
    let (src_full, src_tail) = src.split_at(full * 4);
    let Some((out_full, out_tail)) = out.split_at_mut_checked(full * 3) else {
        return false;
    };
    // Invalid characters set INVALID in their group: OR them all, check once.
    let mut bad = 0u32;
    // Four groups per step (16 characters into 12 bytes) while 16 bytes of room are left:
    // one 16-byte store whose last 4 bytes the next step (or the steps below) overwrites.
    let mut at = 0;
    let mut done = 0;
    while let (Some(s), Some(window)) =
        (src_full.get(done..done + 16), out_full.get_mut(at..at + 16))
    {
        let &[a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p] = s else {
            return false;
        };
        let (w, x, y, z) = (
            group(a, b, c, d),
            group(e, f, g, h),
            group(i, j, k, l),
            group(m, n, o, p),
        );
        bad |= w | x | y | z;
        // The four 24-bit fields do not overlap (for valid groups: an invalid one fails
        // the whole decode), so adding them places each; wrapping, as an INVALID bit may
        // carry.
        let twelve = (u128::from(w) << 104)
            .wrapping_add(u128::from(x) << 80)
            .wrapping_add(u128::from(y) << 56)
            .wrapping_add(u128::from(z) << 32);
        window.copy_from_slice(&twelve.to_be_bytes());
        done += 16;
        at += 12;
    }
    // Two groups per step (8 characters into 6 bytes), then the odd group. While 8 bytes
    // of room are left, the 6 bytes go out as one 8-byte store whose last 2 bytes the
    // next step overwrites.
    let mut src8 = src_full.get(done..).unwrap_or_default().chunks_exact(8);
    for s in &mut src8 {
        let &[a, b, c, d, e, f, g, h] = s else {
            return false;
        };
        let x = group(a, b, c, d);
        let y = group(e, f, g, h);
        bad |= x | y;
        // As in the 16-character step: the two 24-bit fields do not overlap, so adding
        // places each (wrapping: an INVALID bit may carry, and fails the decode anyway).
        let six = (u64::from(x) << 40)
            .wrapping_add(u64::from(y) << 16)
            .to_be_bytes();
        match out_full.get_mut(at..at + 8) {
            Some(window) => window.copy_from_slice(&six),
            None => match (out_full.get_mut(at..at + 6), six.get(..6)) {
                (Some(window), Some(six)) => window.copy_from_slice(six),
                _ => return false,
            },
        }
        at += 6;
    }
    let out_rest = out_full.get_mut(at..).unwrap_or_default();
    match (src8.remainder(), out_rest) {
        ([], []) => {}
        (&[a, b, c, d], [o0, o1, o2]) => {
            let x = group(a, b, c, d);
            bad |= x;
            *o0 = (x >> 16) as u8;
            *o1 = (x >> 8) as u8;
            *o2 = x as u8;
        }
        _ => return false,
    }
    // A final group of 2 or 3 characters decodes as a group of four padded with 'A'
    // (sextet 0), through the same tables; its unused low bits must be zero (canonical).
    let canonical = match (src_tail, out_tail) {
        ([], []) => true,
        (&[a, b], [o0]) => {
            let x = group(a, b, b'A', b'A');
            bad |= x;
            *o0 = (x >> 16) as u8;
            x & 0xFFFF == 0
        }
        (&[a, b, c], [o0, o1]) => {
            let x = group(a, b, c, b'A');
            bad |= x;
            *o0 = (x >> 16) as u8;
            *o1 = (x >> 8) as u8;
            x & 0xFF == 0
        }
        _ => false,
    };
    canonical && bad & INVALID == 0
}

/// As [`decode`], for data that is not secret (the header, payload and signature of a
/// token): the same strictness, table-driven and several times faster, but not
/// constant-time. Key material goes through [`decode`] / [`decode_into_vec`] (base64ct).
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
        // Longer: encodings of every length up to 70 bytes, then each with one byte changed.
        for len in 0..70u8 {
            let raw: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37) ^ len).collect();
            let enc = encode(&raw).into_bytes();
            for pos in 0..enc.len() {
                for c in [b'A', b'_', b'=', b'+', 0xC3] {
                    let mut bad = enc.clone();
                    bad[pos] = c;
                    inputs.push(bad);
                }
            }
            inputs.push(enc);
        }
        for src in &inputs {
            let (mut a, mut b) = ([0u8; 64], [0u8; 64]);
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
