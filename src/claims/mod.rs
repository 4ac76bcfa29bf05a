//! Claims (RFC 7519 §4), parsed only after the signature verified, borrowed from the
//! scratch buffers: strings without escapes point into the decoded payload, escaped ones
//! into a reused unescape buffer. No allocation.

mod numeric_date;
mod parse;
pub(crate) mod validate;

pub use numeric_date::NumericDate;
pub(crate) use parse::{ClaimsBuffers, parse_claims};

use crate::json::Scanner;

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
/// ```
/// # use jwsgate::*;
/// # fn show(claims: &Claims<'_>) {
/// if let Some(sub) = claims.sub() {
///     println!("subject {sub}, scopes {:?}", claims.scopes().collect::<Vec<_>>());
/// }
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
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

impl<'s> Claims<'s> {
    fn str(&self, r: StrRef) -> &'s str {
        let src = if r.in_text { self.text } else { self.json };
        src.get(r.start as usize..r.end as usize)
            .unwrap_or_default()
    }

    fn list(&self, l: ListRef) -> impl Iterator<Item = &'s str> + use<'s> {
        let this = *self;
        self.items
            .get(usize::from(l.start)..usize::from(l.end))
            .unwrap_or_default()
            .iter()
            .map(move |r| this.str(*r))
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

/// A claim's value as raw JSON text, borrowed from the payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawValue<'s>(&'s str);

impl<'s> RawValue<'s> {
    /// The JSON text of the value.
    pub fn json(&self) -> &'s str {
        self.0
    }

    /// The value when it is a JSON string without escapes (use [`RawValue::json`] and a
    /// JSON parser for escaped strings).
    pub fn as_str(&self) -> Option<&'s str> {
        let inner = self.0.strip_prefix('"')?.strip_suffix('"')?;
        (!inner.contains('\\')).then_some(inner)
    }
}
