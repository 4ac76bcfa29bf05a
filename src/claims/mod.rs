//! Claims (RFC 7519 §4), parsed only after the signature verified, borrowed from the
//! scratch buffers: strings without escapes point into the decoded payload, escaped ones
//! into a reused unescape buffer. No allocation.

mod compact;
mod numeric_date;
mod owned;
mod parse;
#[cfg(any(test, fuzzing))]
pub(crate) mod testing;
mod typed;
pub(crate) mod validate;

pub use numeric_date::NumericDate;
pub use owned::OwnedClaims;
pub(crate) use parse::{ClaimsBuffers, parse_claims_into};
pub use typed::ClaimsError;
pub use validate::is_scope_token;

use core::fmt;

use crate::json::{Scanner, ValueKind};

/// Where a string value lives: in the payload JSON (no escapes) or in the unescape buffer.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct StrRef {
    in_text: bool,
    start: u32,
    end: u32,
}

/// A run of [`StrRef`]s in the claims' item list (the strings of `aud` or `scp`).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ListRef {
    start: u16,
    end: u16,
}

/// The `scp` claim: an array of scopes, or a space-separated string as some issuers send.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ScpRef {
    List(ListRef),
    Spaced(StrRef),
}

/// The verified token's claims, borrowed from the scratch buffers.
///
/// `Debug` shows the claim names with the kind and size of each value, never a value
/// (claims carry personal data; `{:?}` must be safe to log). Print the values on purpose
/// with [`Claims::debug_values`].
///
/// ```
/// # use jwsgate::*;
/// # fn show(claims: &Claims<'_>) {
/// if let Some(sub) = claims.sub() {
///     println!("subject {sub}, scopes {:?}", claims.scopes().collect::<Vec<_>>());
/// }
/// # }
/// ```
#[derive(Clone, Copy)]
pub struct Claims<'s> {
    json: &'s str,
    text: &'s str,
    items: &'s [StrRef],
    pub(crate) iss: Option<StrRef>,
    pub(crate) sub: Option<StrRef>,
    pub(crate) jti: Option<StrRef>,
    pub(crate) client_id: Option<StrRef>,
    pub(crate) scope: Option<StrRef>,
    pub(crate) aud: Option<ListRef>,
    pub(crate) scp: Option<ScpRef>,
    pub(crate) exp: Option<NumericDate>,
    pub(crate) nbf: Option<NumericDate>,
    pub(crate) iat: Option<NumericDate>,
}

/// Whether `want` is one of the words of `spaced` (separated by single or repeated
/// spaces): `spaced.split(|b| *b == b' ').any(|s| !s.is_empty() && s == want)`. Only the
/// places where a word starts are compared (0 and after each space), and only where a
/// space or the end follows at `want`'s length; `want` itself must be a word: not empty,
/// no space. A plain byte loop: a token's scopes are a few dozen bytes, and the short
/// code is what a verify pays for (BENCHMARKS.md, "Round 8").
fn has_word(spaced: &[u8], want: &[u8]) -> bool {
    let n = want.len();
    if n == 0 || want.contains(&b' ') {
        return false;
    }
    let mut start = 0;
    loop {
        let end = start + n;
        if matches!(spaced.get(end), None | Some(b' ')) && spaced.get(start..end) == Some(want) {
            return true;
        }
        match spaced
            .get(start..)
            .and_then(|rest| rest.iter().position(|&b| b == b' '))
        {
            Some(space) => start += space + 1,
            None => return false,
        }
    }
}

impl<'s> Claims<'s> {
    /// The bytes of a string value (no `str` boundary check: for comparisons).
    fn bytes(&self, r: StrRef) -> &'s [u8] {
        let src = if r.in_text { self.text } else { self.json };
        src.as_bytes()
            .get(r.start as usize..r.end as usize)
            .unwrap_or_default()
    }

    fn str(&self, r: StrRef) -> &'s str {
        let src = if r.in_text { self.text } else { self.json };
        src.get(r.start as usize..r.end as usize)
            .unwrap_or_default()
    }

    /// The claims of `json` before any member is read: no claim, no unescaped text, no
    /// list item (the parsers fill them in).
    pub(crate) fn empty(json: &'s str) -> Claims<'s> {
        Claims {
            json,
            text: "",
            items: &[],
            iss: None,
            sub: None,
            jti: None,
            client_id: None,
            scope: None,
            aud: None,
            scp: None,
            exp: None,
            nbf: None,
            iat: None,
        }
    }

    /// The string references of a list.
    fn items_of(&self, l: ListRef) -> &'s [StrRef] {
        self.items
            .get(usize::from(l.start)..usize::from(l.end))
            .unwrap_or_default()
    }

    fn list(&self, l: ListRef) -> impl Iterator<Item = &'s str> + use<'s> {
        let this = *self;
        self.items_of(l).iter().map(move |r| this.str(*r))
    }

    /// The whole claims set as JSON text.
    pub fn json(&self) -> &'s str {
        self.json
    }

    /// `iss`: the issuer.
    pub fn iss(&self) -> Option<&'s str> {
        self.iss.map(|r| self.str(r))
    }

    /// `sub`: the subject.
    pub fn sub(&self) -> Option<&'s str> {
        self.sub.map(|r| self.str(r))
    }

    /// `jti`: the token id.
    pub fn jti(&self) -> Option<&'s str> {
        self.jti.map(|r| self.str(r))
    }

    /// `client_id` (RFC 9068 §2.2).
    pub fn client_id(&self) -> Option<&'s str> {
        self.client_id.map(|r| self.str(r))
    }

    /// `aud`: the audiences, whether sent as one string or an array.
    pub fn audiences(&self) -> impl Iterator<Item = &'s str> + use<'s> {
        let l = self.aud.unwrap_or_default();
        self.list(l)
    }

    /// Whether the token carries an `aud` claim.
    pub fn has_audience(&self) -> bool {
        self.aud.is_some()
    }

    /// The scopes: the space-separated `scope` claim (RFC 9068 §2.2.3) and the `scp`
    /// claim (an array, or a space-separated string).
    pub fn scopes(&self) -> impl Iterator<Item = &'s str> + use<'s> {
        let spaced = |r: Option<StrRef>| {
            r.map(|r| self.str(r))
                .unwrap_or_default()
                .split(' ')
                .filter(|s| !s.is_empty())
        };
        let (scp_list, scp_spaced) = match self.scp {
            Some(ScpRef::List(l)) => (l, None),
            Some(ScpRef::Spaced(s)) => (ListRef::default(), Some(s)),
            None => (ListRef::default(), None),
        };
        spaced(self.scope)
            .chain(spaced(scp_spaced))
            .chain(self.list(scp_list))
    }

    /// Whether `want` is among [`Claims::scopes`]: the same scopes, compared byte-wise
    /// while splitting (no `str` splitter, no iterator chain), for the per-verify check.
    pub(crate) fn has_scope(&self, want: &str) -> bool {
        let want = want.as_bytes();
        let in_spaced = |r: Option<StrRef>| r.is_some_and(|r| has_word(self.bytes(r), want));
        match self.scp {
            _ if in_spaced(self.scope) => true,
            Some(ScpRef::Spaced(r)) => in_spaced(Some(r)),
            Some(ScpRef::List(l)) => self.list_bytes(l).any(|s| s == want),
            None => false,
        }
    }

    /// The strings of a list as bytes (for comparisons).
    fn list_bytes(&self, l: ListRef) -> impl Iterator<Item = &'s [u8]> + use<'s> {
        let this = *self;
        self.items_of(l).iter().map(move |r| this.bytes(*r))
    }

    /// Whether the token names one of `accepted` as an audience.
    pub(crate) fn has_audience_in(&self, accepted: &[Box<str>]) -> bool {
        self.list_bytes(self.aud.unwrap_or_default())
            .any(|aud| accepted.iter().any(|a| a.as_bytes() == aud))
    }

    /// Whether `iss` is present and equals `expected`.
    pub(crate) fn iss_is(&self, expected: &str) -> bool {
        self.iss
            .is_some_and(|r| self.bytes(r) == expected.as_bytes())
    }

    /// `exp`: the expiry.
    pub fn exp(&self) -> Option<NumericDate> {
        self.exp
    }

    /// `nbf`: not before.
    pub fn nbf(&self) -> Option<NumericDate> {
        self.nbf
    }

    /// `iat`: issued at.
    pub fn iat(&self) -> Option<NumericDate> {
        self.iat
    }

    /// Every claim value, for `{:?}` on purpose: the issuer, subject, audiences, scopes,
    /// times and the whole claims JSON. These are personal data; plain `{:?}` of
    /// [`Claims`] shows names and sizes only.
    ///
    /// ```
    /// # use jwsgate::Claims;
    /// # fn show(claims: &Claims<'_>) {
    /// eprintln!("claims (debug build only): {:#?}", claims.debug_values());
    /// # }
    /// ```
    pub fn debug_values(&self) -> impl fmt::Debug + use<'s> {
        DebugValues(*self)
    }

    /// Any claim, as its raw JSON value (for custom claims). Names are compared after
    /// unescaping.
    ///
    /// ```
    /// # use jwsgate::Claims;
    /// # fn show(claims: &Claims<'_>) {
    /// if let Some(tenant) = claims.get("tenant").and_then(|v| v.as_str()) {
    ///     println!("tenant {tenant}");
    /// }
    /// # }
    /// ```
    pub fn get(&self, name: &str) -> Option<RawValue<'s>> {
        let json = self.json;
        let mut found = None;
        let mut scanner = Scanner::new(json.as_bytes());
        let _ = scanner.object(|n, s| {
            let start = s.position();
            s.skip_any()?;
            if found.is_none() && n.eq_bytes(name.as_bytes()) {
                found = json.get(start..s.position()).map(|v| RawValue(v.trim()));
            }
            Ok(())
        });
        found
    }
}

/// A claim's value as raw JSON text, borrowed from the payload. `Debug` shows its kind
/// and size only; [`RawValue::json`] is the value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RawValue<'s>(&'s str);

impl<'s> RawValue<'s> {
    /// The JSON text of the value.
    pub fn json(&self) -> &'s str {
        self.0
    }

    /// The value when it is a JSON string without escapes, borrowed. `None` means the
    /// value is not a string, **or** is a string with escapes (`"Jos\u00e9"`): the claim
    /// is there all the same; [`RawValue::unescaped_str`] decodes both kinds.
    pub fn as_str(&self) -> Option<&'s str> {
        let inner = self.0.strip_prefix('"')?.strip_suffix('"')?;
        (!inner.contains('\\')).then_some(inner)
    }
}

/// A JSON value's kind, as `Debug` output names it.
fn kind_name(kind: Option<ValueKind>) -> &'static str {
    match kind {
        Some(ValueKind::Object) => "object",
        Some(ValueKind::Array) => "array",
        Some(ValueKind::String) => "string",
        Some(ValueKind::Number) => "number",
        Some(ValueKind::Bool) => "bool",
        Some(ValueKind::Null) => "null",
        None => "invalid",
    }
}

/// The shape of one value: its kind and the size of its JSON text.
struct Shape {
    kind: &'static str,
    bytes: usize,
}

impl fmt::Debug for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {} bytes", self.kind, self.bytes)
    }
}

/// The member names of the claims object, each with its value's [`Shape`].
struct Members<'s>(&'s str);

impl fmt::Debug for Members<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        let mut scanner = Scanner::new(self.0.as_bytes());
        // The claims parsed before, so the scan succeeds; should it not, the map ends.
        let _ = scanner.object(|name, s| {
            let kind = s.peek_kind().ok();
            let start = s.position();
            s.skip_any()?;
            let bytes = self
                .0
                .get(start..s.position())
                .map_or(0, |v| v.trim().len());
            let name = core::str::from_utf8(name.raw()).unwrap_or("?");
            map.entry(
                &name,
                &Shape {
                    kind: kind_name(kind),
                    bytes,
                },
            );
            Ok(())
        });
        map.finish()
    }
}

impl fmt::Debug for Claims<'_> {
    /// `Claims { bytes: 98, members: {"iss": string of 24 bytes, "exp": number of 10
    /// bytes, ...} }`: names and sizes, never a value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Claims")
            .field("bytes", &self.json.len())
            .field("members", &Members(self.json))
            .finish()
    }
}

/// [`Claims::debug_values`]: every value, printed on request.
struct DebugValues<'s>(Claims<'s>);

impl fmt::Debug for DebugValues<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// Lists the items of the iterator that the function makes.
        struct List<F>(F);
        impl<F: Fn() -> I, I: Iterator<Item = T>, T: fmt::Debug> fmt::Debug for List<F> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list().entries((self.0)()).finish()
            }
        }
        let c = &self.0;
        f.debug_struct("ClaimValues")
            .field("iss", &c.iss())
            .field("sub", &c.sub())
            .field("aud", &List(|| c.audiences()))
            .field("scopes", &List(|| c.scopes()))
            .field("exp", &c.exp())
            .field("nbf", &c.nbf())
            .field("iat", &c.iat())
            .field("jti", &c.jti())
            .field("client_id", &c.client_id())
            .field("json", &c.json())
            .finish()
    }
}

impl fmt::Debug for RawValue<'_> {
    /// `RawValue(string of 12 bytes)`: the kind and size, never the value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = Scanner::new(self.0.as_bytes()).peek_kind().ok();
        f.debug_tuple("RawValue")
            .field(&Shape {
                kind: kind_name(kind),
                bytes: self.0.len(),
            })
            .finish()
    }
}

#[cfg(test)]
mod has_word_tests {
    use super::has_word;

    /// `has_word` answers as splitting on spaces does, for words at the start, middle and
    /// end, repeated and leading/trailing spaces, prefixes and extensions of the word,
    /// across word (8-byte) boundaries.
    #[test]
    fn has_word_agrees_with_split() {
        let reference = |spaced: &[u8], want: &[u8]| {
            spaced
                .split(|b| *b == b' ')
                .any(|s| !s.is_empty() && s == want)
        };
        let pieces: [&[u8]; 8] = [
            b"orders:read",
            b"orders:readx",
            b"orders:rea",
            b"openid",
            b"",
            b" ",
            b"xorders:read",
            b"a",
        ];
        // A wanted "scope" with a space inside is no word: never found, not even where
        // its bytes stand in `spaced` ("orders:read openid" below).
        let wants: [&[u8]; 7] = [
            b"orders:read",
            b"a",
            b"",
            b"openid",
            b" ",
            b"orders:read openid",
            b"a a",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for sep in [&b" "[..], b"  ", b""] {
                        let spaced = [a, sep, b, b" ", c].concat();
                        for want in wants {
                            assert_eq!(
                                has_word(&spaced, want),
                                reference(&spaced, want),
                                "{:?} {:?}",
                                String::from_utf8_lossy(&spaced),
                                String::from_utf8_lossy(want)
                            );
                        }
                    }
                }
            }
        }
    }
}
