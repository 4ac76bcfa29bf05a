//! Typed claims: the verified claims JSON decoded into the caller's
//! `#[derive(Deserialize)]` type with the crate's JSON stack (simd-json through serde),
//! so that users add no JSON parser of their own. Decoding happens only after the
//! signature and the claims policy passed; it allocates (a copy of the JSON that
//! simd-json unescapes in place, and simd-json's working buffers).

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::{Claims, RawValue};
use crate::error::Error;
use crate::json::Scanner;

/// The verified claims do not fit the requested type: a field missing or of another
/// type. The signature and the claims policy were checked before: this is a mismatch
/// between the token's claims and the application's type, not a forgery.
///
/// The message is serde's (it names the field and the expected type, and may quote the
/// offending value from the token: log it as personal data). It converts into
/// [`Error::InvalidClaim`] for `?` in functions returning [`Error`].
///
/// ```
/// # use jwsgate::{ClaimsError, Error};
/// fn as_error(e: ClaimsError) -> Error {
///     e.into()
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("claims do not match the requested type: {message}")]
pub struct ClaimsError {
    message: Box<str>,
}

impl ClaimsError {
    /// serde's description of the mismatch.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<ClaimsError> for Error {
    fn from(_: ClaimsError) -> Error {
        Error::InvalidClaim("claims do not match the requested type")
    }
}

fn error(e: simd_json::Error) -> ClaimsError {
    ClaimsError {
        message: e.to_string().into_boxed_str(),
    }
}

/// Decodes `json` into an owned `T`. Allocates a copy of the JSON (simd-json unescapes
/// in place) plus simd-json's buffers and whatever `T` owns.
pub(crate) fn from_json<T: DeserializeOwned>(json: &str) -> Result<T, ClaimsError> {
    let mut copy = json.as_bytes().to_vec();
    simd_json::serde::from_slice(&mut copy).map_err(error)
}

/// Decodes `json` into a `T` that may borrow from `buf`, which receives a copy of the
/// JSON (unescaped in place, so even escaped strings can be borrowed as `&str`).
pub(crate) fn from_json_in<'b, T: Deserialize<'b>>(
    json: &str,
    buf: &'b mut Vec<u8>,
) -> Result<T, ClaimsError> {
    buf.clear();
    buf.extend_from_slice(json.as_bytes());
    simd_json::serde::from_slice(buf.as_mut_slice()).map_err(error)
}

impl Claims<'_> {
    /// Decodes the claims into your own type, e.g. a `#[derive(Deserialize)]` struct
    /// with your custom claims (unknown members are ignored unless the type says
    /// otherwise). No `serde_json` needed; the claims were verified before.
    ///
    /// ```
    /// # use jwsgate::Claims;
    /// #[derive(serde::Deserialize)]
    /// struct MyClaims {
    ///     sub: String,
    ///     tenant: Option<String>,
    /// }
    /// # fn show(claims: &Claims<'_>) -> Result<(), jwsgate::ClaimsError> {
    /// let mine: MyClaims = claims.deserialize()?;
    /// println!("{} of {:?}", mine.sub, mine.tenant);
    /// # Ok(()) }
    /// ```
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<T, ClaimsError> {
        from_json(self.json)
    }

    /// The borrowing form of [`Claims::deserialize`]: `T` may hold `&str` fields that
    /// borrow from `buf`, which receives a copy of the claims JSON (simd-json unescapes
    /// in place, so this works for escaped strings too). Reuse `buf` to avoid allocating
    /// the copy on every call.
    ///
    /// ```
    /// # use jwsgate::Claims;
    /// #[derive(serde::Deserialize)]
    /// struct Borrowed<'a> {
    ///     sub: &'a str,
    /// }
    /// # fn show(claims: &Claims<'_>) -> Result<(), jwsgate::ClaimsError> {
    /// let mut buf = Vec::new();
    /// let b: Borrowed<'_> = claims.deserialize_in(&mut buf)?;
    /// println!("{}", b.sub);
    /// # Ok(()) }
    /// ```
    pub fn deserialize_in<'b, T: Deserialize<'b>>(
        &self,
        buf: &'b mut Vec<u8>,
    ) -> Result<T, ClaimsError> {
        from_json_in(self.json, buf)
    }
}

impl<'s> RawValue<'s> {
    /// The value when it is a JSON string, unescaped: borrowed when the string has no
    /// escapes, owned (allocated) when it has (`"Jos\u00e9"` gives `José`). `None` only
    /// when the value is not a string (a number, object, array, boolean or null).
    ///
    /// ```
    /// # use jwsgate::Claims;
    /// # fn show(claims: &Claims<'_>) {
    /// if let Some(name) = claims.get("name").and_then(|v| v.unescaped_str()) {
    ///     println!("hello {name}");
    /// }
    /// # }
    /// ```
    pub fn unescaped_str(&self) -> Option<Cow<'s, str>> {
        if let Some(plain) = self.as_str() {
            return Some(Cow::Borrowed(plain));
        }
        let raw = self.json();
        let s = Scanner::new(raw.as_bytes()).string().ok()?;
        String::from_utf8(s.bytes().collect()).ok().map(Cow::Owned)
    }
}
