//! [`OwnedClaims`]: verified claims that own their text, for request extensions, spawned
//! tasks and helpers that return the claims (`'static`, `Clone`, `Send + Sync`).

use core::fmt;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::typed::{ClaimsError, from_json, from_json_in};
use super::{Claims, NumericDate, RawValue, StrRef};

/// Verified claims that own their data: the same accessors as [`Claims`], without the
/// borrow of the [`Scratch`](crate::Scratch). Made by [`Claims::to_owned`] or
/// [`Verifier::verify_owned`](crate::Verifier::verify_owned).
///
/// Making one allocates once for the claims text (the JSON and its unescaped strings
/// together), and once more when the token has `aud` or an `scp` array. `Clone` copies.
/// `Debug` shows names and sizes only, as for [`Claims`].
///
/// ```
/// use jwsgate::{OwnedClaims, UnixTime, Verifier};
/// fn subject(verifier: &Verifier, token: &str) -> Result<OwnedClaims, jwsgate::Error> {
///     verifier.verify_owned(token, UnixTime::now())
/// }
/// ```
#[derive(Clone)]
pub struct OwnedClaims {
    /// The claims JSON followed by the unescaped strings (`text`).
    buf: Box<str>,
    /// Where the JSON ends in `buf`.
    json_len: usize,
    items: Box<[StrRef]>,
    /// The positions of the registered claims; its own `json`, `text` and `items` are
    /// empty (they live in the fields above).
    refs: Claims<'static>,
}

const _: () = {
    const fn assert_owned<T: Send + Sync + Clone + 'static>() {}
    assert_owned::<OwnedClaims>();
};

impl Claims<'_> {
    /// Copies the claims into an [`OwnedClaims`], which does not borrow the scratch.
    /// One allocation for the text, one more when there are `aud` or `scp` items.
    // `&self` although `Claims` is `Copy`: with `self`, `claims().to_owned()` on a
    // `&Claims` would pick `ToOwned::to_owned` and give back a `Claims`.
    #[allow(clippy::wrong_self_convention)]
    pub fn to_owned(&self) -> OwnedClaims {
        let mut buf = String::with_capacity(self.json.len() + self.text.len());
        buf.push_str(self.json);
        buf.push_str(self.text);
        OwnedClaims {
            buf: buf.into_boxed_str(),
            json_len: self.json.len(),
            items: Box::from(self.items),
            refs: Claims {
                json: "",
                text: "",
                items: &[],
                ..*self
            },
        }
    }
}

impl OwnedClaims {
    /// The borrowed view: every accessor of [`Claims`] works on it.
    pub fn as_claims(&self) -> Claims<'_> {
        let (json, text) = self
            .buf
            .split_at_checked(self.json_len)
            .unwrap_or((&self.buf, ""));
        Claims {
            json,
            text,
            items: &self.items,
            ..self.refs
        }
    }

    /// The whole claims set as JSON text.
    pub fn json(&self) -> &str {
        self.as_claims().json()
    }

    /// `iss`: the issuer.
    pub fn iss(&self) -> Option<&str> {
        self.as_claims().iss()
    }

    /// `sub`: the subject.
    pub fn sub(&self) -> Option<&str> {
        self.as_claims().sub()
    }

    /// `jti`: the token id.
    pub fn jti(&self) -> Option<&str> {
        self.as_claims().jti()
    }

    /// `client_id` (RFC 9068 §2.2).
    pub fn client_id(&self) -> Option<&str> {
        self.as_claims().client_id()
    }

    /// `aud`: the audiences, whether sent as one string or an array.
    pub fn audiences(&self) -> impl Iterator<Item = &str> {
        self.as_claims().audiences()
    }

    /// Whether the token carries an `aud` claim.
    pub fn has_audience(&self) -> bool {
        self.refs.aud.is_some()
    }

    /// The scopes, as [`Claims::scopes`].
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.as_claims().scopes()
    }

    /// `exp`: the expiry.
    pub fn exp(&self) -> Option<NumericDate> {
        self.refs.exp
    }

    /// `nbf`: not before.
    pub fn nbf(&self) -> Option<NumericDate> {
        self.refs.nbf
    }

    /// `iat`: issued at.
    pub fn iat(&self) -> Option<NumericDate> {
        self.refs.iat
    }

    /// Any claim as its raw JSON value, as [`Claims::get`].
    pub fn get(&self, name: &str) -> Option<RawValue<'_>> {
        self.as_claims().get(name)
    }

    /// Every claim value, printed on purpose, as [`Claims::debug_values`].
    pub fn debug_values(&self) -> impl fmt::Debug + '_ {
        self.as_claims().debug_values()
    }

    /// Decodes the claims into your own type, as [`Claims::deserialize`].
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<T, ClaimsError> {
        from_json(self.json())
    }

    /// The borrowing form, as [`Claims::deserialize_in`].
    pub fn deserialize_in<'b, T: Deserialize<'b>>(
        &self,
        buf: &'b mut Vec<u8>,
    ) -> Result<T, ClaimsError> {
        from_json_in(self.json(), buf)
    }
}

impl fmt::Debug for OwnedClaims {
    /// As [`Claims`]' `Debug`: names and sizes, never a value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.as_claims(), f)
    }
}

impl<'s> From<Claims<'s>> for OwnedClaims {
    fn from(claims: Claims<'s>) -> OwnedClaims {
        claims.to_owned()
    }
}
