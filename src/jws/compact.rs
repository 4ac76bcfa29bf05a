//! The compact serialization split: exactly three base64url segments.

use crate::error::Error;

/// The three segments of a compact JWS, borrowed from the token. `Debug` shows their
/// sizes only, never the token's bytes.
#[derive(Clone, Copy)]
pub struct CompactParts<'t> {
    /// The encoded protected header.
    pub header: &'t [u8],
    /// The encoded payload (empty for detached content, RFC 7515 Appendix F).
    pub payload: &'t [u8],
    /// The encoded signature.
    pub signature: &'t [u8],
    /// `header '.' payload`: the bytes the signature covers.
    pub signing_input: &'t [u8],
}

/// Whether `b` is in the base64url alphabet; branch-free, so a whole-token scan
/// vectorizes.
#[inline(always)]
fn is_base64url(b: u8) -> bool {
    (b.wrapping_sub(b'A') < 26)
        | (b.wrapping_sub(b'a') < 26)
        | (b.wrapping_sub(b'0') < 10)
        | (b == b'-')
        | (b == b'_')
}

/// Splits a compact JWS after checking its size; refuses anything but three segments of
/// the base64url alphabet (so JWE's five segments, JSON serialization, padding and white
/// space never reach a decoder).
///
/// ```
/// let parts = jwsgate::low_level::jws::split(b"aGk.eyJ9.c2ln", 8192)?;
/// assert_eq!(parts.signing_input, b"aGk.eyJ9");
/// assert!(jwsgate::low_level::jws::split(b"a.b.c.d.e", 8192).is_err());
/// # Ok::<(), jwsgate::Error>(())
/// ```
pub fn split(token: &[u8], max_len: usize) -> Result<CompactParts<'_>, Error> {
    if token.len() > max_len {
        return Err(Error::TokenTooLarge {
            len: token.len(),
            max: max_len,
        });
    }
    // One branch-free pass (the common case: a well-formed token); anything else takes
    // the byte-by-byte path, which names the first problem.
    // Chunks of at most 255 bytes keep the dot count in a u8, so every lane is a byte.
    let (mut outside, mut count) = (0u8, 0usize);
    for chunk in token.chunks(255) {
        let mut dots = 0u8;
        for &b in chunk {
            let dot = b == b'.';
            outside |= u8::from(!(is_base64url(b) | dot));
            dots += u8::from(dot);
        }
        count += usize::from(dots);
    }
    if outside != 0 || count != 2 {
        return Err(first_problem(token));
    }
    let d1 = token.iter().position(|&b| b == b'.').unwrap_or_default();
    let d2 = token.iter().rposition(|&b| b == b'.').unwrap_or_default();
    let seg = |r: core::ops::Range<usize>| token.get(r).unwrap_or_default();
    let parts = CompactParts {
        header: seg(0..d1),
        payload: seg(d1 + 1..d2),
        signature: seg(d2 + 1..token.len()),
        signing_input: seg(0..d2),
    };
    if parts.header.is_empty() {
        return Err(Error::Malformed("empty header"));
    }
    Ok(parts)
}

/// Where the two dots of the last token a [`crate::Scratch`] split were, as the lengths of
/// its header and signature segments. The tokens one server sees mostly share both (one
/// issuer, one header, one key size), so [`split_by_dots`] looks at those two bytes first
/// and scans for the dots only when either is not a dot.
///
/// A hint steers only where the segments are cut, never the verdict: a token with exactly
/// two dots has one pair of dot positions, whichever way it is found; a token with more
/// has a dot inside one of the segments so cut, and that segment's decode refuses it,
/// reported as [`split`]'s error (see [`split_by_dots`]). Set from any token, an
/// attacker's included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct DotHint {
    header_len: usize,
    signature_len: usize,
}

/// The three segments by their dots only, the alphabet NOT checked: for
/// [`crate::Verifier`], whose base64url decodes check every byte of every segment anyway.
/// A caller must decode all three segments before judging anything else, and report any
/// failure through [`first_problem_or`], so that it refuses exactly what [`split`]
/// refuses, with the same error. Every error returned here is [`split`]'s own.
///
/// The dots are looked for where `hint` says the last token had them, then (when either
/// byte there is not a dot) found by scanning: the first from the front, the last from the
/// back. On success `hint` is set to this token's dots.
#[inline]
pub(crate) fn split_by_dots<'t>(
    token: &'t [u8],
    max_len: usize,
    hint: &mut DotHint,
) -> Result<CompactParts<'t>, Error> {
    if token.len() > max_len {
        return Err(Error::TokenTooLarge {
            len: token.len(),
            max: max_len,
        });
    }
    let (d1, d2) = match hinted_dots(token, *hint) {
        Some((d1, d2)) => (Some(d1), Some(d2)),
        // The header is short and comes first; the signature is short and comes last. A
        // third dot can only lie in the payload, whose decode refuses it.
        None => (first_dot(token), last_dot(token)),
    };
    match (d1, d2) {
        (Some(d1), Some(d2)) if d1 < d2 && d1 > 0 => {
            // d1 < d2 < token.len(): both cuts are inside (the defaults never happen).
            let (signing_input, dot_signature) = token.split_at_checked(d2).unwrap_or_default();
            let (header, dot_payload) = signing_input.split_at_checked(d1).unwrap_or_default();
            let after_dot = |s: &'t [u8]| s.get(1..).unwrap_or_default();
            let signature = after_dot(dot_signature);
            *hint = DotHint {
                header_len: d1,
                signature_len: signature.len(),
            };
            Ok(CompactParts {
                header,
                payload: after_dot(dot_payload),
                signature,
                signing_input,
            })
        }
        _ => Err(first_problem_or(
            token,
            max_len,
            Error::Malformed("not three segments"),
        )),
    }
}

/// The dot positions `hint` predicts for `token`, when both bytes there are dots, the
/// first before the second. (A dot at 0 is also the first dot a scan finds: the empty
/// header is refused by the caller either way.)
#[inline]
fn hinted_dots(token: &[u8], hint: DotHint) -> Option<(usize, usize)> {
    let d1 = hint.header_len;
    let d2 = token
        .len()
        .checked_sub(hint.signature_len.checked_add(1)?)?;
    let dot_at = |i: usize| token.get(i) == Some(&b'.');
    (d1 < d2 && dot_at(d1) && dot_at(d2)).then_some((d1, d2))
}

/// The first `.` of `token` (memchr: 16 or 32 bytes a step).
#[inline]
fn first_dot(token: &[u8]) -> Option<usize> {
    memchr::memchr(b'.', token)
}

/// The last `.` of `token` (memchr, from the end).
#[inline]
fn last_dot(token: &[u8]) -> Option<usize> {
    memchr::memrchr(b'.', token)
}

/// [`split`]'s error for `token` when it has one, else `otherwise`: the error path of a
/// verify that checked the alphabet by decoding (see [`split_by_dots`]).
#[cold]
#[inline(never)]
pub(crate) fn first_problem_or(token: &[u8], max_len: usize, otherwise: Error) -> Error {
    split(token, max_len).err().unwrap_or(otherwise)
}

/// [`split`]'s error for `token`, if any: the error path of a verify whose decodes
/// failed (a byte outside the alphabet is `split`'s error; anything else is not).
#[cold]
#[inline(never)]
pub(crate) fn split_error(token: &[u8], max_len: usize) -> Result<(), Error> {
    split(token, max_len).map(drop)
}

/// The first reason `token` is not three base64url segments, in token order.
#[cold]
fn first_problem(token: &[u8]) -> Error {
    // A known newcomer's mistake (white space, `Bearer `) gets a detail saying the fix.
    if let Some(e) = super::diagnose::explain(token) {
        return e;
    }
    let mut count = 0;
    for &b in token {
        if b == b'.' {
            count += 1;
            if count > 2 {
                return Error::Malformed("more than three segments");
            }
        } else if !is_base64url(b) {
            return Error::Malformed("byte outside the base64url alphabet");
        }
    }
    Error::Malformed("not three segments")
}

impl core::fmt::Debug for CompactParts<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CompactParts")
            .field("header_bytes", &self.header.len())
            .field("payload_bytes", &self.payload.len())
            .field("signature_bytes", &self.signature.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dot searches find the dots `position`/`rposition` find: every length up to
    /// two 32-byte vector steps and a tail, one or two dots anywhere, and the bytes next
    /// to `.` in value (`-`, `/`, `.` ^ 0x80).
    #[test]
    fn dot_scans_agree_with_position() {
        for len in 0..=70 {
            let check = |t: &[u8]| {
                assert_eq!(first_dot(t), t.iter().position(|&b| b == b'.'), "{t:?}");
                assert_eq!(last_dot(t), t.iter().rposition(|&b| b == b'.'), "{t:?}");
            };
            for filler in [b'a', b'-', b'/', 0xae, 0x2f] {
                check(&vec![filler; len]);
                for i in 0..len {
                    for j in i..len {
                        let mut t = vec![filler; len];
                        t[i] = b'.';
                        t[j] = b'.';
                        check(&t);
                    }
                }
            }
        }
    }

    #[test]
    fn refuses_wrong_shapes() {
        for bad in [
            &b""[..],
            b"abc",
            b"a.b",
            b"a.b.c.d",
            b"a.b.c.d.e",
            b".b.c",
            b"a=.b.c",
            b"a.b .c",
            b"{\"payload\":\"x\"}",
            b"a+.b.c",
        ] {
            assert!(split(bad, 100).is_err(), "{:?}", bad);
        }
    }

    #[test]
    fn the_alphabet_is_exactly_the_64_base64url_bytes() {
        for b in 0..=255u8 {
            let in_alphabet = b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
            assert_eq!(is_base64url(b), in_alphabet, "byte {b:#04x}");
            let token = [b'a', b, b'.', b'b', b'.', b'c'];
            assert_eq!(split(&token, 100).is_ok(), in_alphabet, "byte {b:#04x}");
        }
    }

    #[test]
    fn the_first_problem_in_token_order_is_named() {
        let more = Error::Malformed("more than three segments");
        let outside = Error::Malformed("byte outside the base64url alphabet");
        let not_three = Error::Malformed("not three segments");
        for (token, want) in [
            (&b"abcd.efgh.ijkl.mnop"[..], &more),
            (b"a.b.c.d+", &more),
            (b"a.b.c+.d", &outside),
            (b"a+.b.c.d", &outside),
            (b"abcdef.ghijkl", &not_three),
            (b"abcdefgh", &not_three),
        ] {
            assert_eq!(&split(token, 100).unwrap_err(), want, "{token:?}");
        }
    }

    #[test]
    fn size_is_checked_first() {
        assert_eq!(
            split(b"{{{{", 3).unwrap_err(),
            Error::TokenTooLarge { len: 4, max: 3 }
        );
    }

    /// The hint is looked at first: where both its bytes are dots, the token is cut there
    /// even when a scan would find other dots (a token that every decode then refuses),
    /// and the scan is used where either byte is not a dot.
    #[test]
    fn the_hint_is_looked_at_first() {
        let t = b"ab.c.d.ef";
        let cut = |header_len, signature_len| {
            let mut hint = DotHint {
                header_len,
                signature_len,
            };
            let p = split_by_dots(t, 64, &mut hint).unwrap();
            (p.header, p.payload, p.signature, p.signing_input, hint)
        };
        let found = |h: usize, s: usize| DotHint {
            header_len: h,
            signature_len: s,
        };
        let (h, p, s, i, after) = cut(4, 2);
        assert_eq!(
            (h, p, s, i),
            (&b"ab.c"[..], &b"d"[..], &b"ef"[..], &b"ab.c.d"[..])
        );
        assert_eq!(after, found(4, 2));
        let (h, p, s, _, after) = cut(2, 4);
        assert_eq!((h, p, s), (&b"ab"[..], &b"c"[..], &b"d.ef"[..]));
        assert_eq!(after, found(2, 4));
        // Either byte not a dot: the scan's first and last dot.
        for (header_len, signature_len) in [(3, 2), (4, 3), (0, 0), (9, 0), (4, 9)] {
            let (h, p, s, _, after) = cut(header_len, signature_len);
            assert_eq!((h, p, s), (&b"ab"[..], &b"c.d"[..], &b"ef"[..]));
            assert_eq!(after, found(2, 2));
        }
    }

    /// Where `split` refuses, `split_by_dots` refuses with the same error or hands out
    /// segments one of which holds a byte outside the alphabet (which the verifier's
    /// decodes then refuse, and `first_problem_or` names as `split` does); where `split`
    /// accepts, both give the same segments. Whatever the hint: every pair of lengths up
    /// to the token's, on every token of up to six bytes of `a.=_ `.
    #[test]
    fn split_by_dots_agrees_with_split() {
        let alphabet = b"a.=_ ";
        let mut frontier: Vec<Vec<u8>> = vec![Vec::new()];
        let mut all = Vec::new();
        for _ in 0..6 {
            let mut next = Vec::new();
            for t in &frontier {
                for &c in alphabet {
                    let mut t = t.clone();
                    t.push(c);
                    next.push(t);
                }
            }
            all.extend(frontier);
            frontier = next;
        }
        all.extend(frontier);
        let in_alphabet = |s: &[u8]| s.iter().all(|&b| is_base64url(b));
        let hints = (0..=7).flat_map(|header_len| {
            (0..=7).map(move |signature_len| DotHint {
                header_len,
                signature_len,
            })
        });
        let cases = hints.flat_map(|hint| all.iter().map(move |t| (hint, t)));
        for (hint, t) in cases {
            let mut after = hint;
            match (split(t, 5), split_by_dots(t, 5, &mut after)) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(
                        (a.header, a.payload, a.signature, a.signing_input),
                        (b.header, b.payload, b.signature, b.signing_input)
                    );
                    assert_eq!(
                        after,
                        DotHint {
                            header_len: a.header.len(),
                            signature_len: a.signature.len()
                        }
                    );
                }
                (Err(a), Err(b)) => assert_eq!(a, b, "{:?}", String::from_utf8_lossy(t)),
                (Err(a), Ok(b)) => {
                    assert!(
                        !(in_alphabet(b.header)
                            && in_alphabet(b.payload)
                            && in_alphabet(b.signature)),
                        "{:?}",
                        String::from_utf8_lossy(t)
                    );
                    assert_eq!(first_problem_or(t, 5, Error::InvalidSignature), a);
                }
                (Ok(_), Err(e)) => panic!(
                    "{:?}: only split_by_dots refused: {e:?}",
                    String::from_utf8_lossy(t)
                ),
            }
        }
    }

    #[test]
    fn empty_payload_and_signature_split() {
        let p = split(b"aa..", 10).unwrap();
        assert!(p.payload.is_empty() && p.signature.is_empty());
        assert_eq!(p.signing_input, b"aa.");
    }
}
