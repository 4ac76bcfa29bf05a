//! The JOSE header (RFC 7515 §4), parsed by hand with hard limits before any key is used.
//!
//! `jwk`, `jku`, `x5u`, `x5c` and `x5t` are read past and never used to find or trust a
//! key. `crit` naming anything but `b64`, `b64: false` (RFC 7797), `zip` and `enc` (a JWE)
//! are refused as [`Error::UnsupportedHeader`].

use crate::alg::Algorithm;
use crate::base64url;
use crate::error::Error;
use crate::json::{JsonStr, Scanner, SeenNames};
use crate::limits::{MAX_ARRAY_ITEMS, MAX_HEADER_BYTES, MAX_HEADER_MEMBERS, MAX_KID_BYTES};

/// The parts of a JOSE header that drive verification. `Debug` shows `alg` and the sizes
/// of the other members, never their text (it is token content).
#[derive(Clone, Copy)]
pub struct Header<'h> {
    /// The signature algorithm.
    pub alg: Algorithm,
    /// The key id, unescaped.
    pub kid: Option<&'h str>,
    /// The media type of the whole token (`typ`), still escaped.
    pub typ: Option<JsonStr<'h>>,
    /// The media type of the payload (`cty`), still escaped.
    pub cty: Option<JsonStr<'h>>,
}

#[derive(Default)]
struct Members<'h> {
    alg: Option<JsonStr<'h>>,
    kid: Option<JsonStr<'h>>,
    typ: Option<JsonStr<'h>>,
    cty: Option<JsonStr<'h>>,
    b64: Option<bool>,
    crit_names_b64: bool,
    crit_unsupported: bool,
    zip: bool,
    enc: bool,
}

/// Decodes the encoded header into `buf` and parses it; an escaped `kid` is unescaped
/// into `kid_buf`. Neither buffer grows past the capacity [`crate::Scratch`] gives it.
pub fn parse_header<'h>(
    encoded: &[u8],
    buf: &'h mut Vec<u8>,
    kid_buf: &'h mut Vec<u8>,
) -> Result<Header<'h>, Error> {
    let shape = parse_shape(encoded, buf, kid_buf)?;
    shape.header(buf, kid_buf)
}

/// Where a parsed header's parts lie in the buffers it was decoded and unescaped into: a
/// [`Header`] without borrows, which [`super::HeaderCache`] keeps from one verify to the
/// next. [`HeaderShape::header`] makes the `Header` again from the same buffers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HeaderShape {
    alg: Algorithm,
    kid: Option<KidSpan>,
    typ: Option<StrSpan>,
    cty: Option<StrSpan>,
}

/// A byte range of a buffer of at most [`MAX_HEADER_BYTES`] bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    start: u16,
    end: u16,
}

/// A JSON string's raw bytes in the decoded header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct StrSpan {
    span: Span,
    escaped: bool,
}

/// The `kid`: its plain bytes in the decoded header, or its unescaped bytes in `kid_buf`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KidSpan {
    InHeader(Span),
    Unescaped(Span),
}

// Every span indexes a buffer of at most MAX_HEADER_BYTES (the kid buffer is smaller).
const _: () = assert!(MAX_HEADER_BYTES <= u16::MAX as usize && MAX_KID_BYTES <= MAX_HEADER_BYTES);

impl Span {
    /// Where `inner`, a subslice of `outer`, lies in it; `None` if it is not one.
    fn of(outer: &[u8], inner: &[u8]) -> Option<Span> {
        let start = inner.as_ptr().addr().checked_sub(outer.as_ptr().addr())?;
        let end = start.checked_add(inner.len())?;
        if end > outer.len() {
            return None;
        }
        Some(Span {
            start: u16::try_from(start).ok()?,
            end: u16::try_from(end).ok()?,
        })
    }

    fn of_str(outer: &[u8], s: JsonStr<'_>) -> Result<StrSpan, Error> {
        Ok(StrSpan {
            span: Span::of(outer, s.raw()).ok_or(LOST)?,
            escaped: s.as_plain().is_none(),
        })
    }

    fn bytes(self, buf: &[u8]) -> Result<&[u8], Error> {
        buf.get(usize::from(self.start)..usize::from(self.end))
            .ok_or(LOST)
    }
}

/// A span that does not fit its buffer: only a bug could make one, and it fails closed.
const LOST: Error = Error::Malformed("header could not be read back");

impl HeaderShape {
    /// Whether the header has a `kid`.
    pub(crate) fn has_kid(&self) -> bool {
        self.kid.is_some()
    }

    /// The header this shape was parsed from, out of the buffers [`parse_shape`] filled
    /// (and nothing has written since).
    pub(crate) fn header<'h>(self, buf: &'h [u8], kid_buf: &'h [u8]) -> Result<Header<'h>, Error> {
        let kid = match self.kid {
            None => None,
            Some(KidSpan::InHeader(span)) => Some(span.bytes(buf)?),
            Some(KidSpan::Unescaped(span)) => Some(span.bytes(kid_buf)?),
        };
        let kid = kid
            .map(core::str::from_utf8)
            .transpose()
            .map_err(|_| Error::Malformed("kid is not UTF-8"))?;
        self.header_with_kid(buf, kid)
    }

    /// [`HeaderShape::header`] with the `kid` already read and checked as UTF-8 (the
    /// header cache keeps it as text, so that a hit checks nothing again).
    pub(crate) fn header_with_kid<'h>(
        self,
        buf: &'h [u8],
        kid: Option<&'h str>,
    ) -> Result<Header<'h>, Error> {
        let json_str = |s: StrSpan| -> Result<JsonStr<'h>, Error> {
            Ok(JsonStr::from_raw(s.span.bytes(buf)?, s.escaped))
        };
        Ok(Header {
            alg: self.alg,
            kid,
            typ: self.typ.map(json_str).transpose()?,
            cty: self.cty.map(json_str).transpose()?,
        })
    }
}

/// Decodes the encoded header into `buf`, parses it and unescapes an escaped `kid` into
/// `kid_buf`: what [`parse_header`] does, the result as positions in the two buffers.
pub(crate) fn parse_shape(
    encoded: &[u8],
    buf: &mut Vec<u8>,
    kid_buf: &mut Vec<u8>,
) -> Result<HeaderShape, Error> {
    let decoded_len =
        base64url::decoded_len(encoded.len()).ok_or(Error::Malformed("header is not base64url"))?;
    if decoded_len > MAX_HEADER_BYTES {
        return Err(Error::Malformed("header too large"));
    }
    base64url::decode_public_into_vec(encoded, buf)
        .ok_or(Error::Malformed("header is not base64url"))?;
    let bytes: &[u8] = buf.as_slice();
    // ASCII (the usual header) is UTF-8: the word-at-a-time ASCII test is enough then.
    if !bytes.is_ascii() {
        core::str::from_utf8(bytes).map_err(|_| Error::Malformed("header is not UTF-8"))?;
    }

    let m = scan_members(bytes)?;

    let alg = m.alg.ok_or(Error::UnsupportedAlgorithm)?;
    // Only a plain spelling names an algorithm: an escaped one (`"\u0048S256"`) is refused,
    // so that no component reading the header more naively can disagree about `alg`.
    let alg = alg
        .as_plain()
        .and_then(Algorithm::from_name)
        .ok_or(Error::UnsupportedAlgorithm)?;
    if m.enc {
        return Err(Error::UnsupportedHeader("enc: a JWE is not a JWS"));
    }
    if m.zip {
        return Err(Error::UnsupportedHeader("zip"));
    }
    if m.crit_unsupported {
        return Err(Error::UnsupportedHeader(
            "crit names a parameter not understood",
        ));
    }
    if m.b64 == Some(false) {
        return Err(Error::UnsupportedHeader("b64: false (RFC 7797)"));
    }
    if m.crit_names_b64 && m.b64.is_none() {
        return Err(Error::Malformed("crit names an absent parameter"));
    }
    let kid = match m.kid {
        None => None,
        Some(k) => Some(kid_span(bytes, k, kid_buf)?),
    };
    Ok(HeaderShape {
        alg,
        kid,
        typ: m.typ.map(|t| Span::of_str(bytes, t)).transpose()?,
        cty: m.cty.map(|c| Span::of_str(bytes, c)).transpose()?,
    })
}

/// The header parameters jwsgate acts on, each with a bit for duplicate detection.
#[derive(Clone, Copy)]
enum Param {
    Alg,
    Kid,
    Typ,
    Cty,
    B64,
    Crit,
    Zip,
    Enc,
}

#[inline]
fn param(name: &[u8]) -> Option<Param> {
    Some(match name {
        b"alg" => Param::Alg,
        b"kid" => Param::Kid,
        b"typ" => Param::Typ,
        b"cty" => Param::Cty,
        b"b64" => Param::B64,
        b"crit" => Param::Crit,
        b"zip" => Param::Zip,
        b"enc" => Param::Enc,
        _ => return None,
    })
}

fn scan_members(bytes: &[u8]) -> Result<Members<'_>, Error> {
    let mut m = Members::default();
    // Duplicates: the parameters above by their bit; any other name in `others`, made
    // only when one appears (no table built or zeroed for the usual alg/kid/typ header).
    let mut known = 0u8;
    let mut others: Option<SeenNames<'_, MAX_HEADER_MEMBERS>> = None;
    let mut count = 0usize;
    let mut scanner = Scanner::new(bytes);
    scanner.object(|name, s| {
        let mut buf = [0u8; 8];
        let p = name.short_name(&mut buf).and_then(param);
        match p {
            Some(p) => {
                let bit = 1u8 << (p as u8);
                if known & bit != 0 {
                    return Err(Error::Malformed("duplicate member name"));
                }
                known |= bit;
            }
            None => others.get_or_insert_with(SeenNames::new).insert(name)?,
        }
        count += 1;
        if count > MAX_HEADER_MEMBERS {
            return Err(Error::Malformed("too many members"));
        }
        match p {
            Some(Param::Alg) => {
                // A non-string `alg` is not an algorithm at all.
                match s.string() {
                    Ok(v) => m.alg = Some(v),
                    Err(_) => {
                        s.skip_any()?;
                        return Err(Error::UnsupportedAlgorithm);
                    }
                }
            }
            Some(Param::Kid) => m.kid = Some(header_string(s)?),
            Some(Param::Typ) => m.typ = Some(header_string(s)?),
            Some(Param::Cty) => m.cty = Some(header_string(s)?),
            Some(Param::B64) => {
                m.b64 = Some(
                    s.boolean()
                        .map_err(|_| Error::Malformed("b64 must be a boolean"))?,
                );
            }
            Some(Param::Crit) => scan_crit(s, &mut m)?,
            Some(Param::Zip) => {
                m.zip = true;
                s.skip_any()?;
            }
            Some(Param::Enc) => {
                m.enc = true;
                s.skip_any()?;
            }
            // jwk, jku, x5u, x5c, x5t and unknown parameters: read past, never used.
            None => s.skip_any()?,
        }
        Ok(())
    })?;
    scanner.finish()?;
    Ok(m)
}

fn header_string<'h>(s: &mut Scanner<'h>) -> Result<JsonStr<'h>, Error> {
    s.string()
        .map_err(|_| Error::Malformed("header parameter must be a string"))
}

fn scan_crit<'h>(s: &mut Scanner<'h>, m: &mut Members<'h>) -> Result<(), Error> {
    let mut count = 0usize;
    s.array(|s| {
        count += 1;
        if count > MAX_ARRAY_ITEMS {
            return Err(Error::Malformed("crit has too many entries"));
        }
        let name = s
            .string()
            .map_err(|_| Error::Malformed("crit entries must be strings"))?;
        if name.eq_bytes(b"b64") {
            m.crit_names_b64 = true;
        } else {
            // Registered names may not be listed (RFC 7515 §4.1.11); anything else is an
            // extension jwsgate does not understand. Either way: refused.
            m.crit_unsupported = true;
        }
        Ok(())
    })?;
    if count == 0 {
        return Err(Error::Malformed("crit is empty"));
    }
    Ok(())
}

/// Where the `kid` lies: in the decoded header when it holds no escape, else unescaped
/// into `kid_buf`. Its UTF-8 is checked when the header is made ([`HeaderShape::header`]).
fn kid_span(header: &[u8], kid: JsonStr<'_>, kid_buf: &mut Vec<u8>) -> Result<KidSpan, Error> {
    let too_long = Error::Malformed("kid too long");
    match kid.as_plain() {
        Some(plain) if plain.len() <= MAX_KID_BYTES => {
            Ok(KidSpan::InHeader(Span::of(header, plain).ok_or(LOST)?))
        }
        Some(_) => Err(too_long),
        None => {
            kid_buf.clear();
            for b in kid.bytes() {
                if kid_buf.len() >= MAX_KID_BYTES {
                    return Err(too_long);
                }
                kid_buf.push(b);
            }
            let end = u16::try_from(kid_buf.len()).map_err(|_| too_long)?;
            Ok(KidSpan::Unescaped(Span { start: 0, end }))
        }
    }
}

impl core::fmt::Debug for Header<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Header")
            .field("alg", &self.alg)
            .field("kid_bytes", &self.kid.map(str::len))
            .field("typ_bytes", &self.typ.map(|t| t.raw().len()))
            .field("cty_bytes", &self.cty.map(|c| c.raw().len()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<(Algorithm, Option<String>), Error> {
        let enc = base64url::encode(json.as_bytes());
        let mut buf = Vec::with_capacity(MAX_HEADER_BYTES);
        let mut kid = Vec::with_capacity(MAX_KID_BYTES);
        parse_header(enc.as_bytes(), &mut buf, &mut kid).map(|h| (h.alg, h.kid.map(String::from)))
    }

    #[test]
    fn reads_alg_and_kid() {
        assert_eq!(
            parse(r#"{"alg":"ES256","kid":"k1"}"#),
            Ok((Algorithm::ES256, Some("k1".into())))
        );
        assert_eq!(
            parse(" {\n\"kid\" : \"a\\u002fb\" , \"alg\":\"RS256\"}\r\n"),
            Ok((Algorithm::RS256, Some("a/b".into())))
        );
    }

    /// A header that is not UTF-8 is malformed as such, before anything is parsed, wherever
    /// the bad bytes are; a UTF-8 header with non-ASCII text parses.
    #[test]
    fn headers_that_are_not_utf8_are_refused_first() {
        let parse_bytes = |json: &[u8]| {
            let enc = base64url::encode(json);
            let mut buf = Vec::with_capacity(MAX_HEADER_BYTES);
            let mut kid = Vec::with_capacity(MAX_KID_BYTES);
            parse_header(enc.as_bytes(), &mut buf, &mut kid).map(|h| h.alg)
        };
        for bad in [
            &b"{\"alg\":\"HS256\",\"typ\":\"\xff\"}"[..],
            b"{\"alg\":\"HS256\",\"x\":\"\xc3\"}",
            b"{\"alg\":\"HS256\",\"x\":\"\xed\xa0\x80\"}",
            b"{\"alg\":\"HS256\"}\xff",
            b"\xc3{\"alg\":1}",
        ] {
            assert_eq!(
                parse_bytes(bad),
                Err(Error::Malformed("header is not UTF-8")),
                "{bad:?}"
            );
        }
        assert_eq!(
            parse_bytes("{\"alg\":\"HS256\",\"typ\":\"é🔑\"}".as_bytes()),
            Ok(Algorithm::HS256)
        );
    }

    #[test]
    fn none_and_unknown_are_unsupported() {
        for h in [
            r#"{"alg":"none"}"#,
            r#"{"alg":"NONE"}"#,
            r#"{"alg":"n\u006fne"}"#,
            r#"{"alg":"HS256 "}"#,
            r#"{"typ":"JWT"}"#,
            r#"{"alg":null}"#,
        ] {
            assert_eq!(parse(h), Err(Error::UnsupportedAlgorithm), "{h}");
        }
    }

    #[test]
    fn escaped_algorithm_names_are_refused() {
        assert_eq!(
            parse(r#"{"alg":"\u0048S256"}"#),
            Err(Error::UnsupportedAlgorithm)
        );
    }

    #[test]
    fn duplicates_and_bad_json_are_malformed() {
        for h in [
            r#"{"alg":"HS256","alg":"HS256"}"#,
            r#"{"alg":"HS256","\u0061lg":"none"}"#,
            r#"{"alg":"HS256"}x"#,
            r#"["alg","HS256"]"#,
            r#"{"alg":"HS256","kid":7}"#,
            r#"{"alg":"HS256",}"#,
            r#"{"alg":"HS256","b64":"false"}"#,
        ] {
            assert!(matches!(parse(h), Err(Error::Malformed(_))), "{h}");
        }
    }

    #[test]
    fn processing_changes_are_unsupported() {
        for h in [
            r#"{"alg":"HS256","crit":["exp"],"exp":1}"#,
            r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#,
            r#"{"alg":"HS256","zip":"DEF"}"#,
            r#"{"alg":"HS256","enc":"A128GCM"}"#,
            r#"{"alg":"HS256","crit":["alg"]}"#,
        ] {
            assert!(matches!(parse(h), Err(Error::UnsupportedHeader(_))), "{h}");
        }
        assert!(parse(r#"{"alg":"HS256","b64":true,"crit":["b64"]}"#).is_ok());
        assert!(parse(r#"{"alg":"HS256","jku":"https://evil","jwk":{"kty":"oct"}}"#).is_ok());
    }

    #[test]
    fn oversized_header_and_kid_are_refused() {
        let big = format!(
            r#"{{"alg":"HS256","x":"{}"}}"#,
            "a".repeat(MAX_HEADER_BYTES)
        );
        assert_eq!(parse(&big), Err(Error::Malformed("header too large")));
        let kid = format!(
            r#"{{"alg":"HS256","kid":"{}"}}"#,
            "k".repeat(MAX_KID_BYTES + 1)
        );
        assert_eq!(parse(&kid), Err(Error::Malformed("kid too long")));
    }
}
