//! The conveniences that give claims outliving the scratch: typed claims of a
//! [`VerifiedToken`] and [`Verifier::verify_owned`]. They allocate by nature; the plain
//! [`Verifier::verify`] path does not.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::{VerifiedToken, Verifier};
use crate::claims::{ClaimsError, OwnedClaims};
use crate::error::Error;
use crate::time::UnixTime;

impl VerifiedToken<'_> {
    /// Decodes the verified claims into your own type (see [`crate::Claims::deserialize`]).
    ///
    /// ```
    /// use jwsgate::{UnixTime, Verifier};
    /// #[derive(serde::Deserialize)]
    /// struct MyClaims {
    ///     sub: String,
    ///     scope: String,
    /// }
    /// # fn demo(verifier: &Verifier, token: &str) -> Result<(), Box<dyn std::error::Error>> {
    /// let mut scratch = verifier.new_scratch();
    /// let verified = verifier.verify(&mut scratch, token.as_bytes(), UnixTime::now())?;
    /// let mine: MyClaims = verified.deserialize()?;
    /// println!("{} may {}", mine.sub, mine.scope);
    /// # Ok(()) }
    /// ```
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<T, ClaimsError> {
        self.claims.deserialize()
    }

    /// The borrowing form: `T` may borrow from `buf` (see
    /// [`crate::Claims::deserialize_in`]).
    pub fn deserialize_in<'b, T: Deserialize<'b>>(
        &self,
        buf: &'b mut Vec<u8>,
    ) -> Result<T, ClaimsError> {
        self.claims.deserialize_in(buf)
    }
}

impl Verifier {
    /// Verifies with this thread's scratch (as [`Verifier::verify_with`]) and returns
    /// claims that own their data: for helpers that return the claims, request
    /// extensions and async code. Allocates the [`OwnedClaims`] (one or two
    /// allocations); use [`Verifier::verify`] on the zero-allocation path.
    ///
    /// ```
    /// use jwsgate::{OwnedClaims, UnixTime, Verifier};
    /// fn validate(verifier: &Verifier, token: &str) -> Result<OwnedClaims, jwsgate::Error> {
    ///     verifier.verify_owned(token, UnixTime::now())
    /// }
    /// ```
    pub fn verify_owned(
        &self,
        token: impl AsRef<[u8]>,
        now: UnixTime,
    ) -> Result<OwnedClaims, Error> {
        self.verify_with(token.as_ref(), now, |outcome| {
            outcome.map(|t| t.claims().to_owned())
        })
    }
}
