//! The claims fast path: a claims set in compact JSON — no white space and no escape
//! outside unregistered values, registered claims of their usual types — read in one
//! tight loop over byte positions.
//!
//! It only ever succeeds: at the first byte it does not expect (white space, an escape, a
//! control byte, a wrongly typed or duplicate claim, more than 16 unregistered members,
//! too many items, an empty array, anything after the object) it returns `None` and
//! [`parse_claims_into`](super::parse_claims_into) reads the payload again with the general
//! parser, which reports the error or accepts the other form. So every error, and every
//! claims set it accepts, is the general parser's; what this path accepts it reads into
//! the same [`Claims`] (a unit test and the `claims` fuzz target compare the two).
//!
//! Why a second parser: the general one carries white-space skips, error values and a
//! rewind for type errors through every member; on a ten-member access token that was
//! about 3 300 instructions per verify, more than half of jwsgate's own work on an HS256
//! verify (BENCHMARKS.md, "Round 6").

use super::parse::{ClaimId, claim_id, list_ref, str_ref};
use super::{Claims, ListRef, NumericDate, ScpRef, StrRef};
use crate::json::{Scanner, digit_words, plain_end};
use crate::limits::MAX_ARRAY_ITEMS;
use crate::swar::word;

/// Reads the claims of `json` (UTF-8, checked by the caller) into `c`, which the caller
/// made `Claims::empty(json)`, when `json` is in the compact form this path reads; `None`
/// otherwise, for the general parser (`c` then holds part of the claims). The claims are
/// read in place: they are some 200 bytes, and every move of them is a copy. `items` is
/// empty and keeps its capacity as the bound on list items, as in the general parser; on
/// `None` it may hold items, which the caller clears.
#[inline]
pub(super) fn parse_compact<'s>(
    json: &'s str,
    items: &mut Vec<StrRef>,
    c: &mut Claims<'s>,
) -> Option<()> {
    let b = json.as_bytes();
    if b.first() != Some(&b'{') {
        return None;
    }
    let mut pos = 1;
    let mut registered = 0u16;
    let mut others: Option<OtherNames<'_>> = None;
    loop {
        // `"name":`, the name without escapes: a registered name is recognised by the
        // word at the quote; any other name is scanned for its closing quote.
        let (id, name) = match registered_name_at(b, pos) {
            Some((id, value_at)) => {
                pos = value_at;
                (Some(id), None)
            }
            None => {
                if b.get(pos) != Some(&b'"') {
                    return None;
                }
                let name_start = pos + 1;
                let name_end = plain_end(b, name_start);
                if b.get(name_end..name_end + 2) != Some(b"\":") {
                    return None;
                }
                let name = b.get(name_start..name_end)?;
                pos = name_end + 2;
                (claim_id(name), Some(name))
            }
        };
        match id {
            Some(id) => {
                let bit = 1u16 << (id as u16);
                if registered & bit != 0 {
                    return None;
                }
                registered |= bit;
            }
            None => others
                .get_or_insert_with(OtherNames::default)
                .insert(name?)?,
        }
        // One reader per kind of value, each written once in the loop: the code of a
        // verify stays small (the readers are inlined; five copies of the string reader
        // cost instruction-cache lines on every verify, BENCHMARKS.md "Round 8").
        pos = match slot(c, id) {
            Slot::Text(slot) => string_at(b, pos, slot)?,
            Slot::Date(slot) => date_at(b, pos, slot)?,
            Slot::Aud => list_at(b, pos, items, &mut c.aud)?,
            Slot::Scp => {
                if b.get(pos) == Some(&b'"') {
                    let mut spaced = None;
                    let next = string_at(b, pos, &mut spaced)?;
                    c.scp = spaced.map(ScpRef::Spaced);
                    next
                } else {
                    let mut list = None;
                    let next = list_at(b, pos, items, &mut list)?;
                    c.scp = list.map(ScpRef::List);
                    next
                }
            }
            Slot::Other => {
                // Any JSON value, read by the general scanner (as the general parser does).
                let mut s = Scanner::new(b);
                s.rewind(pos);
                s.skip_any().ok()?;
                s.position()
            }
        };
        match b.get(pos) {
            Some(b',') => pos += 1,
            Some(b'}') => break,
            _ => return None,
        }
    }
    // The closing brace is the last byte.
    (pos + 1 == b.len()).then_some(())
}

/// How many unregistered member names the fast path reads; a claims set with more is
/// the general parser's (which takes up to
/// [`MAX_CLAIMS_MEMBERS`](crate::limits::MAX_CLAIMS_MEMBERS) members in all).
const MAX_OTHER_NAMES: usize = 16;

/// The unregistered member names read so far, to refuse a duplicate. The fast path reads
/// only names without escapes, so equal bytes are equal names. A few words on the stack:
/// the general parser's record of up to
/// [`MAX_CLAIMS_MEMBERS`](crate::limits::MAX_CLAIMS_MEMBERS) names is 4 KiB, which made
/// the verifier's stack frame 8 KiB and cost a 4 KiB fill and copy for the first
/// unregistered name of a token.
#[derive(Default)]
struct OtherNames<'a> {
    names: [&'a [u8]; MAX_OTHER_NAMES],
    len: usize,
}

impl<'a> OtherNames<'a> {
    /// Records `name`: `None` when it was read before (the general parser reports the
    /// duplicate) or when the record is full (the general parser reads the claims).
    #[inline(always)]
    fn insert(&mut self, name: &'a [u8]) -> Option<()> {
        let seen = self.names.get(..self.len)?;
        if seen.contains(&name) {
            return None;
        }
        *self.names.get_mut(self.len)? = name;
        self.len += 1;
        Some(())
    }
}

/// Where a member's value goes, by the kind of value its claim has.
enum Slot<'c> {
    /// A string claim (`iss`, `sub`, `jti`, `client_id`, `scope`).
    Text(&'c mut Option<StrRef>),
    /// A NumericDate claim (`exp`, `nbf`, `iat`).
    Date(&'c mut Option<NumericDate>),
    /// `aud`: a string or an array of strings.
    Aud,
    /// `scp`: a space-separated string or an array of strings.
    Scp,
    /// Any other member: its value is skipped.
    Other,
}

/// The slot of claim `id` in `c`.
#[inline(always)]
fn slot<'c>(c: &'c mut Claims<'_>, id: Option<ClaimId>) -> Slot<'c> {
    match id {
        Some(ClaimId::Iss) => Slot::Text(&mut c.iss),
        Some(ClaimId::Sub) => Slot::Text(&mut c.sub),
        Some(ClaimId::Jti) => Slot::Text(&mut c.jti),
        Some(ClaimId::ClientId) => Slot::Text(&mut c.client_id),
        Some(ClaimId::Scope) => Slot::Text(&mut c.scope),
        Some(ClaimId::Exp) => Slot::Date(&mut c.exp),
        Some(ClaimId::Nbf) => Slot::Date(&mut c.nbf),
        Some(ClaimId::Iat) => Slot::Date(&mut c.iat),
        Some(ClaimId::Aud) => Slot::Aud,
        Some(ClaimId::Scp) => Slot::Scp,
        None => Slot::Other,
    }
}

/// The registered claim whose `"name":` starts at `pos`, and where its value starts,
/// read from the word at `pos` (the three-letter names, `scope`) and the one after it
/// (`client_id`). `None` for any other name — and near the end of the text, where the
/// caller's scan decides.
#[inline(always)]
fn registered_name_at(b: &[u8], pos: usize) -> Option<(ClaimId, usize)> {
    /// A three-letter name's word: `"`, the letters, `":`, checked where the mask is set.
    const NAME3_MASK: u64 = u64::from_le_bytes([0xff, 0, 0, 0, 0xff, 0xff, 0, 0]);
    const NAME3: u64 = u64::from_le_bytes([b'"', 0, 0, 0, b'"', b':', 0, 0]);
    const SCOPE: u64 = u64::from_le_bytes(*b"\"scope\":");
    const CLIENT_: u64 = u64::from_le_bytes(*b"\"client_");
    const ID: u32 = u32::from_le_bytes(*b"id\":");
    let w = word(b.get(pos..pos + 8)?);
    if w & NAME3_MASK == NAME3 {
        let id = claim_id(b.get(pos + 1..pos + 4)?)?;
        return Some((id, pos + 6));
    }
    if w == SCOPE {
        return Some((ClaimId::Scope, pos + 8));
    }
    let id = b
        .get(pos + 8..pos + 12)
        .map(|four| u32::from_le_bytes(four.try_into().unwrap_or_default()));
    if w == CLIENT_ && id == Some(ID) {
        return Some((ClaimId::ClientId, pos + 12));
    }
    None
}

/// A string without escapes at `pos` into `slot`; the position after its closing quote.
#[inline(always)]
fn string_at(b: &[u8], pos: usize, slot: &mut Option<StrRef>) -> Option<usize> {
    if b.get(pos) != Some(&b'"') {
        return None;
    }
    let end = plain_end(b, pos + 1);
    if b.get(end) != Some(&b'"') {
        return None;
    }
    *slot = Some(str_ref(false, pos + 1, end).ok()?);
    Some(end + 1)
}

/// A string or a non-empty array of strings (no white space) at `pos`, its strings
/// appended to `items`, into `slot`; the position after it.
#[inline(always)]
fn list_at(
    b: &[u8],
    mut pos: usize,
    items: &mut Vec<StrRef>,
    slot: &mut Option<ListRef>,
) -> Option<usize> {
    let start = items.len();
    let push = |pos: usize, items: &mut Vec<StrRef>| {
        let mut one = None;
        let next = string_at(b, pos, &mut one)?;
        if items.len() >= items.capacity() || items.len() - start >= MAX_ARRAY_ITEMS {
            return None;
        }
        items.push(one?);
        Some(next)
    };
    if b.get(pos) == Some(&b'[') {
        pos += 1;
        loop {
            pos = push(pos, items)?;
            match b.get(pos) {
                Some(b',') => pos += 1,
                Some(b']') => {
                    pos += 1;
                    break;
                }
                _ => return None,
            }
        }
    } else {
        pos = push(pos, items)?;
    }
    *slot = Some(list_ref(start, items.len()).ok()?);
    Some(pos)
}

/// A NumericDate in whole seconds (digits only, no leading zero, in range) at `pos` into
/// `slot`; the position after it. Fractions and exponents take the general parser.
#[inline(always)]
fn date_at(b: &[u8], pos: usize, slot: &mut Option<NumericDate>) -> Option<usize> {
    let (digits, secs) = match b.get(pos..pos + 16) {
        // Inside the text (a date is followed by more members or at least `}`): the
        // digits counted and read two words at a time. What follows them is the
        // caller's to check (`,` or `}`), so a fraction or exponent is declined there.
        Some(sixteen) => {
            let (digits, secs) = digit_words(sixteen);
            // No digit, or a leading zero: not a plain NumericDate. A run of more than
            // twelve digits needs no test here: without a leading zero its value is at
            // least 10^12, past the last NumericDate, and `from_secs` refuses it.
            if digits == 0 || (digits > 1 && sixteen.first() == Some(&b'0')) {
                return None;
            }
            (digits, secs)
        }
        // Near the end of the text: the scanner's reader, byte by byte.
        None => {
            let mut s = Scanner::new(b);
            s.rewind(pos);
            let secs = s.plain_integer(NumericDate::MAX_PLAIN_DIGITS)?;
            (s.position() - pos, secs)
        }
    };
    *slot = Some(NumericDate::from_secs(secs)?);
    Some(pos + digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::testing::{compare_paths, parse_verdict};
    use crate::error::Error;
    use crate::limits::MAX_CLAIMS_MEMBERS;

    /// Both parsers over `json`: the fast path's answer must be the general parser's.
    /// Returns whether the fast path took it.
    fn fast_agrees(json: &str) -> bool {
        compare_paths(json).unwrap_or_else(|e| panic!("{e}: {json}"))
    }

    const ACCESS: &str = r#"{"iss":"https://issuer.example","sub":"user-1234","aud":["api://orders","api://billing"],"exp":1700000300,"nbf":1699999990,"iat":1699999990,"jti":"4f1e2d3c","scope":"orders:read orders:write","client_id":"s6BhdRkqt3"}"#;

    #[test]
    fn takes_the_usual_access_token() {
        assert!(fast_agrees(ACCESS));
        for json in [
            r#"{"sub":"x"}"#,
            r#"{"aud":"one","scp":"a b","exp":1}"#,
            r#"{"scp":["a","b"],"aud":["x"],"tenant":{"id":[1,2,{"k":null}]},"ok":true}"#,
            r#"{"custom":"with \"escapes\" inside","n":-1.5e3,"z":null}"#,
            r#"{"iss":"é ü 😀","exp":253402300799}"#,
            // Dates read by words (sixteen bytes or more follow) and near the end.
            r#"{"exp":0,"sub":"0123456789abcdef"}"#,
            r#"{"exp":7,"sub":"0123456789abcdef"}"#,
            r#"{"exp":253402300799,"sub":"0123456789abcdef"}"#,
            r#"{"nbf":0}"#,
            r#"{"iat":10}"#,
        ] {
            assert!(fast_agrees(json), "{json}");
        }
    }

    /// Every form outside the fast path's: it declines, and the general parser decides.
    #[test]
    fn declines_every_other_form() {
        let many_items = format!(
            r#"{{"aud":[{}]}}"#,
            vec!["\"a\""; MAX_ARRAY_ITEMS + 1].join(",")
        );
        let many_members = format!(
            r#"{{{}}}"#,
            (0..=MAX_CLAIMS_MEMBERS)
                .map(|i| format!(r#""c{i}":{i}"#))
                .collect::<Vec<_>>()
                .join(",")
        );
        for json in [
            "{}",
            " {}",
            r#"{ "sub":"x"}"#,
            r#"{"sub" :"x"}"#,
            r#"{"sub": "x"}"#,
            r#"{"sub":"x" }"#,
            r#"{"sub":"x"} "#,
            r#"{"sub":"x"}{}"#,
            r#"{"sub":"x",}"#,
            r#"{"sub":"x""#,
            r#"{"sub":"x"#,
            r#"{"s\u0075b":"x"}"#,
            r#"{"sub":"\u0078"}"#,
            "{\"sub\":\"a\tb\"}",
            r#"{"sub":1}"#,
            r#"{"sub":null}"#,
            r#"{"sub":"x","sub":"y"}"#,
            r#"{"t":1,"t":2}"#,
            r#"{"aud":[]}"#,
            r#"{"aud":["a",1]}"#,
            r#"{"aud":["a","b",]}"#,
            r#"{"aud":["a" ,"b"]}"#,
            r#"{"aud":{"a":1}}"#,
            r#"{"scp":["a"}"#,
            r#"{"exp":1.5}"#,
            r#"{"exp":1e9}"#,
            r#"{"exp":-1}"#,
            r#"{"exp":01}"#,
            r#"{"exp":"1"}"#,
            r#"{"exp":253402300800}"#,
            r#"{"exp":99999999999999999999}"#,
            r#"{"exp":,"sub":"0123456789abcdef"}"#,
            r#"{"exp":01,"sub":"0123456789abcdef"}"#,
            r#"{"exp":00,"sub":"0123456789abcdef"}"#,
            r#"{"exp":253402300800,"sub":"0123456789abcdef"}"#,
            r#"{"exp":1000000000000,"sub":"0123456789abcdef"}"#,
            r#"{"exp":12345678901234567,"sub":"0123456789abcdef"}"#,
            r#"{"exp":1.5,"sub":"0123456789abcdef"}"#,
            r#"{"exp":15e8,"sub":"0123456789abcdef"}"#,
            r#"{"x":tru}"#,
            r#"{"x":[1,]}"#,
            &many_items,
            &many_members,
            "",
            "{",
            "[]",
        ] {
            assert!(!fast_agrees(json), "{json}");
        }
    }

    /// The bounds of the general parser, met exactly, are taken; one past them declined.
    #[test]
    fn takes_up_to_the_bounds() {
        let members = |n: usize| {
            let body: Vec<String> = (1..n).map(|i| format!(r#""c{i}":{i}"#)).collect();
            format!(r#"{{"iss":"a",{}}}"#, body.join(","))
        };
        // Up to MAX_OTHER_NAMES unregistered names beside `iss`; the general parser reads
        // a claims set with more (up to MAX_CLAIMS_MEMBERS members).
        assert!(fast_agrees(&members(MAX_OTHER_NAMES + 1)));
        assert!(!fast_agrees(&members(MAX_OTHER_NAMES + 2)));
        assert!(!fast_agrees(&members(MAX_CLAIMS_MEMBERS)));
        assert_eq!(parse_verdict(&members(MAX_CLAIMS_MEMBERS)), Ok(()));
        let items = |n: usize| format!(r#"{{"aud":[{}]}}"#, vec![r#""a""#; n].join(","));
        assert!(fast_agrees(&items(MAX_ARRAY_ITEMS)));
        assert!(!fast_agrees(&items(MAX_ARRAY_ITEMS + 1)));
        // The bound is per list: `scp` after a two-item `aud` may still hold the maximum.
        let scp = |n: usize| {
            let scopes = vec![r#""s""#; n].join(",");
            format!(r#"{{"aud":["x","y"],"scp":[{scopes}]}}"#)
        };
        assert!(fast_agrees(&scp(MAX_ARRAY_ITEMS)));
        assert!(!fast_agrees(&scp(MAX_ARRAY_ITEMS + 1)));
        // The item list's capacity bounds `aud` and `scp` together, as in the general
        // parser (which refuses what does not fit).
        let json = r#"{"aud":["a","b"],"scp":["c"]}"#;
        for asked in [2, 3] {
            let mut items = Vec::with_capacity(asked);
            let capacity = items.capacity();
            let c = parse_compact(json, &mut items, &mut Claims::empty(json));
            assert_eq!(c.is_some(), capacity >= 3, "capacity {capacity}");
            assert_eq!(items.capacity(), capacity, "the item list never grows");
        }
    }

    /// A repeated unregistered name is declined wherever the first one was, within the
    /// bound of MAX_OTHER_NAMES (so the repeat, not the count, is what declines), and the
    /// general parser then refuses the claims set; the same name escaped is declined too.
    #[test]
    fn repeated_other_names_are_declined() {
        let distinct = MAX_OTHER_NAMES - 1;
        let body: Vec<String> = (0..distinct).map(|i| format!(r#""n{i}":1"#)).collect();
        let body = body.join(",");
        // The last name new: all MAX_OTHER_NAMES taken.
        assert!(fast_agrees(&format!(r#"{{{body},"new":2}}"#)));
        for first in 0..distinct {
            let json = format!(r#"{{{body},"n{first}":2}}"#);
            let mut c = Claims::empty(&json);
            assert_eq!(
                parse_compact(&json, &mut Vec::new(), &mut c),
                None,
                "{json}"
            );
            assert_eq!(
                parse_verdict(&json),
                Err(Error::Malformed("duplicate member name")),
                "{json}"
            );
        }
        let escaped = r#"{"ab":1,"a\u0062":2}"#;
        assert!(!fast_agrees(escaped));
        assert_eq!(
            parse_verdict(escaped),
            Err(Error::Malformed("duplicate member name"))
        );
        assert!(!fast_agrees(r#"{"ab":1,"ab":2}"#));
        assert!(fast_agrees(r#"{"ab":1,"a":2,"abc":3,"b":4}"#));
    }

    /// Registered names are recognised by their words, with the position of the value;
    /// anything else is left to the scan.
    #[test]
    fn registered_names_by_their_words() {
        for (text, want) in [
            (&br#""iss":"x","#[..], Some((ClaimId::Iss, 6))),
            (br#""sub":"x","#, Some((ClaimId::Sub, 6))),
            (br#""exp":1234,"#, Some((ClaimId::Exp, 6))),
            (br#""scope":"a","#, Some((ClaimId::Scope, 8))),
            (br#""client_id":"a","#, Some((ClaimId::ClientId, 12))),
            (br#""isx":"x","#, None),
            (br#""iss" :"x","#, None),
            (br#""iss":"#, None),
            (br#"'iss':"x","#, None),
            (br#""issu":"x","#, None),
            (br#""scopes":"a","#, None),
            (br#""scope" :"a","#, None),
            (br#""client_ix":"a","#, None),
            (br#""client_id:"a","#, None),
            (br#""client_id""#, None),
        ] {
            let got = registered_name_at(text, 0).map(|(id, at)| (id as u8, at));
            let want = want.map(|(id, at)| (id as u8, at));
            assert_eq!(got, want, "{}", String::from_utf8_lossy(text));
        }
        // At an offset, as in a claims set.
        let json = br#"{"a":1,"iat":5}"#;
        assert_eq!(
            registered_name_at(json, 7).map(|(id, at)| (id as u8, at)),
            Some((ClaimId::Iat as u8, 13))
        );
    }

    /// A date with sixteen bytes after its start is read by words, at any offset; near
    /// the end, by the scanner. Both stop at the first byte that is not a digit.
    #[test]
    fn dates_are_read_inside_and_at_the_end() {
        let inside = br#"x1700000300,"sub":"0123456789abcdef"}"#;
        for (text, at, end) in [(&inside[..], 1, 11), (&inside[1..], 0, 10), (b"x17}", 1, 3)] {
            let mut slot = None;
            assert_eq!(date_at(text, at, &mut slot), Some(end));
            let want = if end - at == 2 { 17 } else { 1_700_000_300 };
            assert_eq!(slot, NumericDate::from_secs(want));
        }
    }

    /// The committed seeds of the `claims` fuzz target (the fuzzer compares the two paths
    /// on every input it makes; these run in every `cargo test`).
    #[test]
    fn agrees_on_the_fuzz_seeds() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/claims");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).expect("the claims fuzz corpus") {
            let bytes = std::fs::read(entry.expect("a corpus entry").path()).expect("a seed");
            if let Ok(json) = core::str::from_utf8(&bytes) {
                fast_agrees(json);
            }
            seen += 1;
        }
        assert!(seen > 0, "no seeds in {dir}");
    }

    /// The access token cut at every length and with each byte replaced by every byte
    /// that matters to JSON: the fast path either declines or agrees.
    #[test]
    fn agrees_on_every_cut_and_change() {
        let bytes = ACCESS.as_bytes();
        for len in 0..=bytes.len() {
            if let Ok(cut) = core::str::from_utf8(&bytes[..len]) {
                fast_agrees(cut);
            }
        }
        for at in 0..bytes.len() {
            for by in [
                b'"', b'\\', b',', b':', b'[', b']', b'{', b'}', b' ', b'\n', b'0', b'1', b'.',
                b'e', b'-', b'x', 0x01,
            ] {
                let mut changed = bytes.to_vec();
                changed[at] = by;
                if let Ok(json) = core::str::from_utf8(&changed) {
                    fast_agrees(json);
                }
            }
        }
    }
}
