//! The claims parser: one pass over the payload JSON, refusing duplicates and wrongly
//! typed registered claims, unescaping only the strings it keeps.

use super::compact::parse_compact;
use super::{Claims, ListRef, NumericDate, ScpRef, StrRef};
use crate::error::Error;
use crate::json::{JsonStr, Scanner, SeenNames, ValueKind};
use crate::limits::{MAX_ARRAY_ITEMS, MAX_CLAIMS_MEMBERS};

/// The reused buffers the claims borrow from (owned by [`crate::Scratch`]).
pub(crate) struct ClaimsBuffers<'s> {
    /// Unescaped copies of strings that held escapes.
    pub text: &'s mut Vec<u8>,
    /// The strings of `aud` and `scp`.
    pub items: &'s mut Vec<StrRef>,
}

struct Builder<'b> {
    text: &'b mut Vec<u8>,
    items: &'b mut Vec<StrRef>,
}

impl Builder<'_> {
    /// Reads a string value at the cursor and records where its decoded form lives.
    #[inline(always)]
    fn string<'p>(&mut self, s: &mut Scanner<'p>, claim: &'static str) -> Result<StrRef, Error> {
        if !s.next_is(b'"') {
            // Not a string. `parse_claims_into` reads the value again as any JSON value, and
            // reports text that is no value at all as malformed, not as a type error.
            return Err(Error::InvalidClaim(claim));
        }
        let v: JsonStr<'p> = s.string()?;
        let end = s.position().saturating_sub(1);
        let start = end.saturating_sub(v.raw().len());
        if v.as_plain().is_some() {
            return str_ref(false, start, end);
        }
        let text_start = self.text.len();
        self.text.extend(v.bytes());
        str_ref(true, text_start, self.text.len())
    }

    fn push_item(&mut self, r: StrRef, claim: &'static str) -> Result<(), Error> {
        if self.items.len() >= self.items.capacity() {
            return Err(Error::InvalidClaim(claim));
        }
        self.items.push(r);
        Ok(())
    }

    /// A string, or an array of strings, recorded as a list.
    fn string_list<'p>(
        &mut self,
        s: &mut Scanner<'p>,
        claim: &'static str,
    ) -> Result<ListRef, Error> {
        let start = self.items.len();
        match s.peek_kind()? {
            ValueKind::String => {
                let r = self.string(s, claim)?;
                self.push_item(r, claim)?;
            }
            ValueKind::Array => {
                let mut n = 0;
                s.array(|s| {
                    n += 1;
                    if n > MAX_ARRAY_ITEMS {
                        return Err(Error::InvalidClaim(claim));
                    }
                    let r = self.string(s, claim)?;
                    self.push_item(r, claim)
                })?;
            }
            _ => return Err(Error::InvalidClaim(claim)),
        }
        list_ref(start, self.items.len())
    }
}

pub(super) fn str_ref(in_text: bool, start: usize, end: usize) -> Result<StrRef, Error> {
    let too_big = Error::Malformed("payload too large");
    Ok(StrRef {
        in_text,
        start: u32::try_from(start).map_err(|_| too_big)?,
        end: u32::try_from(end).map_err(|_| too_big)?,
    })
}

pub(super) fn list_ref(start: usize, end: usize) -> Result<ListRef, Error> {
    let too_many = Error::Malformed("too many array items");
    Ok(ListRef {
        start: u16::try_from(start).map_err(|_| too_many)?,
        end: u16::try_from(end).map_err(|_| too_many)?,
    })
}

fn numeric_date(s: &mut Scanner<'_>, claim: &'static str) -> Result<NumericDate, Error> {
    // Whole seconds (the usual form), read in the pass that scans them; a digit run too
    // long to be in range and every other number take the exact text reader.
    if let Some(secs) = s.plain_integer(NumericDate::MAX_PLAIN_DIGITS) {
        return NumericDate::from_secs(secs).ok_or(Error::InvalidClaim(claim));
    }
    if s.peek_kind()? != ValueKind::Number {
        return Err(Error::InvalidClaim(claim));
    }
    NumericDate::from_json_number_bytes(s.number_bytes()?).ok_or(Error::InvalidClaim(claim))
}

/// Parses the payload as a JWT claims set. The payload must be UTF-8 JSON holding one
/// object with unique member names; registered claims must have their registered types.
///
/// A compact claims set (the usual one) is read by the fast path
/// ([`super::compact`]); any other form, and every error, by [`parse_general`].
///
/// The claims are read into `out`, in place: the verifier reads them where it returns
/// them (some 200 bytes: every move of them is a copy). On `Err`, `out` holds no meaning.
#[inline]
pub(crate) fn parse_claims_into<'s>(
    payload: &'s [u8],
    bufs: ClaimsBuffers<'s>,
    out: &mut Claims<'s>,
) -> Result<(), Error> {
    let json = simdutf8::basic::from_utf8(payload)
        .map_err(|_| Error::Malformed("payload is not UTF-8"))?;
    bufs.text.clear();
    bufs.items.clear();
    *out = Claims::empty(json);
    if parse_compact(json, &mut *bufs.items, out).is_some() {
        let items: &'s Vec<StrRef> = bufs.items;
        out.items = items.as_slice();
        return Ok(());
    }
    *out = parse_general(json, bufs)?;
    Ok(())
}

/// The general claims parser: any JSON the grammar allows (white space, escapes), and
/// every error.
///
/// Type errors are remembered and reported after the whole object parsed, so that a
/// malformed payload is always `malformed`, whatever claim comes first.
///
/// Out of line and cold: it runs only where the fast path declined, and inlined into the
/// verifier it spread the fast path's code over more instruction-cache lines.
#[cold]
#[inline(never)]
pub(super) fn parse_general<'s>(
    json: &'s str,
    bufs: ClaimsBuffers<'s>,
) -> Result<Claims<'s>, Error> {
    bufs.text.clear();
    bufs.items.clear();
    let mut b = Builder {
        text: bufs.text,
        items: bufs.items,
    };
    let mut c = Claims::empty(json);
    let mut first_type_error: Option<Error> = None;
    // Duplicates: a registered name is found by its bit in `registered`; other names go
    // to `others`, made only when one appears (its table is kilobytes: never built,
    // moved or zeroed for a token of registered claims only).
    let mut registered = 0u16;
    let mut others: Option<SeenNames<'_, MAX_CLAIMS_MEMBERS>> = None;
    let mut members = 0usize;
    let mut scanner = Scanner::new(json.as_bytes());
    if scanner.peek_kind()? != ValueKind::Object {
        return Err(Error::Malformed("claims are not a JSON object"));
    }
    scanner.object(|name, s| {
        // A plain name (the usual one) is matched where it lies; an escaped one is
        // unescaped first (registered names are short: a longer one is none of them).
        let id = match name.as_plain() {
            Some(plain) => claim_id(plain),
            None => name.short_name(&mut [0u8; 16]).and_then(claim_id),
        };
        match id {
            Some(id) => {
                let bit = 1u16 << (id as u16);
                if registered & bit != 0 {
                    return Err(Error::Malformed("duplicate member name"));
                }
                registered |= bit;
            }
            None => others.get_or_insert_with(SeenNames::new).insert(name)?,
        }
        members += 1;
        if members > MAX_CLAIMS_MEMBERS {
            return Err(Error::Malformed("too many members"));
        }
        let start = s.position();
        match read_member(&mut b, &mut c, id, s) {
            Err(e @ Error::InvalidClaim(_)) => {
                // Read the offending value again as plain JSON, so that the rest of the
                // object is still checked for well-formedness.
                s.rewind(start);
                s.skip_any()?;
                first_type_error.get_or_insert(e);
                Ok(())
            }
            other => other,
        }
    })?;
    scanner.finish()?;
    if let Some(e) = first_type_error {
        return Err(e);
    }
    let text: &'s Vec<u8> = b.text;
    let items: &'s Vec<StrRef> = b.items;
    c.text = simdutf8::basic::from_utf8(text).map_err(|_| Error::Malformed("invalid string"))?;
    c.items = items.as_slice();
    Ok(c)
}

/// The registered claims jwsgate reads, each with a bit for duplicate detection.
#[derive(Clone, Copy)]
pub(super) enum ClaimId {
    Iss,
    Sub,
    Jti,
    ClientId,
    Scope,
    Aud,
    Scp,
    Exp,
    Nbf,
    Iat,
}

/// A three-letter name as one number, its first letter lowest.
const fn three(name: &[u8; 3]) -> u32 {
    u32::from_le_bytes([name[0], name[1], name[2], 0])
}

/// The registered claim a (decoded) member name is, if any. The three-letter names are
/// told apart by one integer `match`, not compared one by one.
#[inline]
pub(super) fn claim_id(name: &[u8]) -> Option<ClaimId> {
    const ISS: u32 = three(b"iss");
    const SUB: u32 = three(b"sub");
    const JTI: u32 = three(b"jti");
    const AUD: u32 = three(b"aud");
    const SCP: u32 = three(b"scp");
    const EXP: u32 = three(b"exp");
    const NBF: u32 = three(b"nbf");
    const IAT: u32 = three(b"iat");
    Some(match *name {
        [a, b, c] => match three(&[a, b, c]) {
            ISS => ClaimId::Iss,
            SUB => ClaimId::Sub,
            JTI => ClaimId::Jti,
            AUD => ClaimId::Aud,
            SCP => ClaimId::Scp,
            EXP => ClaimId::Exp,
            NBF => ClaimId::Nbf,
            IAT => ClaimId::Iat,
            _ => return None,
        },
        [b's', b'c', b'o', b'p', b'e'] => ClaimId::Scope,
        [b'c', b'l', b'i', b'e', b'n', b't', b'_', b'i', b'd'] => ClaimId::ClientId,
        _ => return None,
    })
}

#[inline(always)]
fn read_member<'p>(
    b: &mut Builder<'_>,
    c: &mut Claims<'_>,
    id: Option<ClaimId>,
    s: &mut Scanner<'p>,
) -> Result<(), Error> {
    match id {
        Some(ClaimId::Iss) => c.iss = Some(b.string(s, "iss")?),
        Some(ClaimId::Sub) => c.sub = Some(b.string(s, "sub")?),
        Some(ClaimId::Jti) => c.jti = Some(b.string(s, "jti")?),
        Some(ClaimId::ClientId) => c.client_id = Some(b.string(s, "client_id")?),
        Some(ClaimId::Scope) => c.scope = Some(b.string(s, "scope")?),
        Some(ClaimId::Aud) => c.aud = Some(b.string_list(s, "aud")?),
        Some(ClaimId::Scp) => {
            c.scp = Some(if s.peek_kind()? == ValueKind::String {
                ScpRef::Spaced(b.string(s, "scp")?)
            } else {
                ScpRef::List(b.string_list(s, "scp")?)
            })
        }
        Some(ClaimId::Exp) => c.exp = Some(numeric_date(s, "exp")?),
        Some(ClaimId::Nbf) => c.nbf = Some(numeric_date(s, "nbf")?),
        Some(ClaimId::Iat) => c.iat = Some(numeric_date(s, "iat")?),
        None => s.skip_any()?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_claims<R>(json: &str, f: impl FnOnce(Result<Claims<'_>, Error>) -> R) -> R {
        let mut text = Vec::with_capacity(json.len());
        let mut items = Vec::with_capacity(MAX_ARRAY_ITEMS * 2);
        let bufs = ClaimsBuffers {
            text: &mut text,
            items: &mut items,
        };
        let mut claims = Claims::empty("");
        f(parse_claims_into(json.as_bytes(), bufs, &mut claims).map(|()| claims))
    }

    #[test]
    fn reads_registered_claims() {
        let json = r#"{"iss":"https://issuer.example","sub":"u\u0031","aud":["a","b\/c"],
            "exp":1700000000,"nbf":1.6e9,"iat":1600000000.5,"scope":"read  write",
            "scp":["admin"],"jti":"j","client_id":"c","custom":{"x":[1,2]}}"#;
        with_claims(json, |c| {
            let c = c.unwrap();
            assert_eq!(c.iss(), Some("https://issuer.example"));
            assert_eq!(c.sub(), Some("u1"));
            assert_eq!(c.audiences().collect::<Vec<_>>(), ["a", "b/c"]);
            assert_eq!(c.exp().unwrap().ceil_secs(), 1_700_000_000);
            assert_eq!(c.nbf().unwrap().ceil_secs(), 1_600_000_000);
            assert_eq!(c.iat().unwrap().ceil_secs(), 1_600_000_001);
            assert_eq!(c.scopes().collect::<Vec<_>>(), ["read", "write", "admin"]);
            assert_eq!(c.get("custom").unwrap().json(), r#"{"x":[1,2]}"#);
            assert_eq!(c.get("jti").unwrap().as_str(), Some("j"));
            assert_eq!(c.get("missing"), None);
        });
    }

    #[test]
    fn wrong_types_are_invalid_claims() {
        for (json, claim) in [
            (r#"{"exp":"1700000000"}"#, "exp"),
            (r#"{"nbf":true}"#, "nbf"),
            (r#"{"iat":null}"#, "iat"),
            (r#"{"iss":1}"#, "iss"),
            (r#"{"aud":[1]}"#, "aud"),
            (r#"{"aud":{}}"#, "aud"),
            (r#"{"scope":["a"]}"#, "scope"),
        ] {
            with_claims(json, |c| {
                assert_eq!(c.unwrap_err(), Error::InvalidClaim(claim), "{json}")
            });
        }
    }

    #[test]
    fn malformed_wins_over_type_errors() {
        with_claims(r#"{"exp":"x","exp":1}"#, |c| {
            assert!(matches!(c, Err(Error::Malformed(_))))
        });
        for bad in ["[]", "\"jwt\"", "{", r#"{"a":1}{}"#, "eyJ", ""] {
            with_claims(bad, |c| {
                assert!(matches!(c, Err(Error::Malformed(_))), "{bad}")
            });
        }
    }

    /// A string claim holding another JSON value is a type error; holding text that is no
    /// JSON value at all, it is malformed (the whole object is read again for that).
    #[test]
    fn string_claims_tell_other_values_from_no_value() {
        for claim in ["iss", "sub", "jti", "client_id", "scope", "aud", "scp"] {
            for (value, want) in [
                ("1", Error::InvalidClaim(claim)),
                ("null", Error::InvalidClaim(claim)),
                ("{}", Error::InvalidClaim(claim)),
                ("[1]", Error::InvalidClaim(claim)),
                ("x", Error::Malformed("expected a JSON value")),
                ("'a'", Error::Malformed("expected a JSON value")),
                ("[x]", Error::Malformed("expected a JSON value")),
            ] {
                if claim != "aud" && claim != "scp" && value.starts_with('[') {
                    continue;
                }
                let json = format!(r#"{{"{claim}":{value}}}"#);
                with_claims(&json, |c| assert_eq!(c.err(), Some(want), "{json}"));
            }
        }
    }

    /// Duplicates are refused whether the name is registered or not, escaped or not, and
    /// before any type error; the member count is bounded for both kinds of name.
    #[test]
    fn duplicates_of_every_kind_are_malformed() {
        for json in [
            r#"{"iss":"a","iss":"a"}"#,
            r#"{"iss":"a","\u0069ss":"b"}"#,
            r#"{"exp":"x","exp":1}"#,
            r#"{"tenant":1,"tenant":2}"#,
            r#"{"tenant":1,"\u0074enant":2}"#,
            r#"{"client_id":1,"sub":"s","client_id":"c"}"#,
        ] {
            with_claims(json, |c| {
                assert_eq!(
                    c.unwrap_err(),
                    Error::Malformed("duplicate member name"),
                    "{json}"
                )
            });
        }
        let members = |n: usize| {
            let body: Vec<String> = (0..n).map(|i| format!(r#""c{i}":{i}"#)).collect();
            format!(r#"{{"iss":"a",{}}}"#, body.join(","))
        };
        with_claims(&members(MAX_CLAIMS_MEMBERS - 1), |c| assert!(c.is_ok()));
        with_claims(&members(MAX_CLAIMS_MEMBERS), |c| {
            assert_eq!(c.unwrap_err(), Error::Malformed("too many members"))
        });
    }

    /// The integer fast path and the exact reader agree on every form of `exp`: the
    /// same date, or the same refusal (InvalidClaim or Malformed).
    #[test]
    fn integer_dates_read_like_the_exact_reader() {
        for v in [
            "0",
            "7",
            "1700000000",
            "253402300799",
            "253402300800",
            "999999999999",
            "1000000000000",
            "01",
            "00",
            "1700000000.0",
            "17e8",
            "1E9",
            "-1",
            "-0",
            "1700000000 ",
            "1700000000x",
            "12345678901234567890123",
        ] {
            let exact = NumericDate::from_json_number(v.trim_end());
            // At the end of the text (read byte by byte) and inside it (read by words).
            for json in [
                format!(r#"{{"exp":{v}}}"#),
                format!(r#"{{"exp":{v},"padding_member_x":"0123456789abcdef"}}"#),
            ] {
                with_claims(&json, |c| match c {
                    Ok(c) => assert_eq!(c.exp(), exact, "{v}"),
                    Err(Error::InvalidClaim("exp")) => assert_eq!(exact, None, "{v}"),
                    Err(Error::Malformed(_)) => {
                        assert!(v.starts_with('0') && v.len() > 1 || v.ends_with('x'), "{v}")
                    }
                    Err(e) => panic!("{v}: {e:?}"),
                });
            }
        }
    }

    /// A required scope is found in `scope`, in `scp` as a spaced string and as a list,
    /// and only as a whole scope.
    #[test]
    fn scopes_are_found_in_every_form() {
        for json in [
            r#"{"scope":"read write"}"#,
            r#"{"scp":"read write"}"#,
            r#"{"scp":["read","write"]}"#,
            r#"{"scope":"other","scp":["read","write"]}"#,
            r#"{ "scp" : [ "read" , "write" ] }"#,
        ] {
            with_claims(json, |c| {
                let c = c.unwrap();
                for present in ["read", "write"] {
                    assert!(c.has_scope(present), "{present} in {json}");
                }
                for absent in ["rea", "read write", "", "admin"] {
                    assert!(!c.has_scope(absent), "{absent} in {json}");
                }
            });
        }
    }

    #[test]
    fn too_many_audiences_are_refused() {
        let many = format!(
            r#"{{"aud":[{}]}}"#,
            vec!["\"a\""; MAX_ARRAY_ITEMS + 1].join(",")
        );
        with_claims(&many, |c| {
            assert_eq!(c.unwrap_err(), Error::InvalidClaim("aud"))
        });
    }
}
