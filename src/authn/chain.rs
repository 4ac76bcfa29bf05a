//! Which authenticator a token goes to: JWS-shaped tokens to the JWT verifier, every
//! other token to an opaque-token authenticator (introspection, a static table) when one
//! is configured.

use std::sync::Arc;

use super::{AuthContext, Authenticator, Identity, MaybeReady};
use crate::error::Error;

/// Whether `token` has the shape of a compact JWS: exactly three non-empty-header
/// segments of base64url characters separated by two dots (RFC 7515 §7.1). Only the
/// shape: whether it verifies is the verifier's question. Cheap (one pass, no decoding).
///
/// ```
/// use jwsgate::authn::is_jws_shaped;
/// assert!(is_jws_shaped("eyJhbGciOiJIUzI1NiJ9.e30.c2ln"));
/// assert!(is_jws_shaped("eyJhbGciOiJub25lIn0.e30.")); // empty signature: still a JWS shape
/// assert!(!is_jws_shaped("2YotnFZFEjr1zCsicMWpAA")); // an opaque token (RFC 6749 §7.1)
/// assert!(!is_jws_shaped("a.b.c.d"));
/// assert!(!is_jws_shaped("a+b.c.d")); // `+` is base64, not base64url
/// ```
pub fn is_jws_shaped(token: &str) -> bool {
    let mut dots = 0u8;
    let mut segment_len = 0usize;
    for b in token.bytes() {
        match b {
            b'.' => {
                // The header segment cannot be empty.
                if dots == 0 && segment_len == 0 {
                    return false;
                }
                dots += 1;
                if dots > 2 {
                    return false;
                }
                segment_len = 0;
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => segment_len += 1,
            _ => return false,
        }
    }
    dots == 2
}

/// Routes each token by its shape: [`is_jws_shaped`] tokens to the JWS authenticator
/// (the [`crate::Verifier`]), others to the opaque-token authenticator; without one, a
/// token that is not JWS-shaped is refused as [`Error::InvalidToken`] at once (nothing
/// could ever accept it).
///
/// ```
/// use jwsgate::authn::{AuthContext, Authenticator, Chain};
/// use jwsgate::{UnixTime, Verifier, fingerprint::fingerprint};
/// # fn demo(verifier: Verifier, introspection: impl Authenticator) {
/// let chain = Chain::new(verifier).opaque(introspection);
/// let cx = AuthContext::new(fingerprint(b"2YotnFZFEjr1zCsicMWpAA"), UnixTime::now());
/// let answer = chain.authenticate("2YotnFZFEjr1zCsicMWpAA", &cx); // introspected
/// # let _ = answer; }
/// ```
#[derive(Clone)]
pub struct Chain {
    jws: Arc<dyn Authenticator>,
    opaque: Option<Arc<dyn Authenticator>>,
}

impl Chain {
    /// A chain sending JWS-shaped tokens to `jws` and refusing every other token as
    /// `invalid_token` (until [`Chain::opaque`] adds an authenticator for them).
    pub fn new(jws: impl Authenticator) -> Chain {
        Chain {
            jws: Arc::new(jws),
            opaque: None,
        }
    }

    /// Sends tokens that are not JWS-shaped to `opaque` instead.
    pub fn opaque(mut self, opaque: impl Authenticator) -> Chain {
        self.opaque = Some(Arc::new(opaque));
        self
    }
}

impl Authenticator for Chain {
    fn authenticate(&self, token: &str, cx: &AuthContext) -> MaybeReady<Result<Identity, Error>> {
        if is_jws_shaped(token) {
            return self.jws.authenticate(token, cx);
        }
        match &self.opaque {
            Some(opaque) => opaque.authenticate(token, cx),
            None => MaybeReady::ready(Err(Error::InvalidToken)),
        }
    }

    /// Both branches must accept the resource; one that cannot say does not veto.
    fn accepts_audience(&self, resource: &str) -> Option<bool> {
        let jws = self.jws.accepts_audience(resource);
        let opaque = self
            .opaque
            .as_ref()
            .and_then(|o| o.accepts_audience(resource));
        match (jws, opaque) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (None, None) => None,
            _ => Some(true),
        }
    }
}

impl core::fmt::Debug for Chain {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Chain")
            .field("opaque", &self.opaque.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authn::AuthMethod;
    use crate::fingerprint::fingerprint;
    use crate::time::UnixTime;

    struct Fixed(AuthMethod, Option<bool>);

    impl Authenticator for Fixed {
        fn authenticate(&self, _: &str, cx: &AuthContext) -> MaybeReady<Result<Identity, Error>> {
            MaybeReady::ready(Ok(Identity::builder(cx.fingerprint(), self.0).build()))
        }
        fn accepts_audience(&self, _: &str) -> Option<bool> {
            self.1
        }
    }

    fn method(chain: &Chain, token: &str) -> AuthMethod {
        let cx = AuthContext::new(fingerprint(token.as_bytes()), UnixTime::from_secs(0));
        chain
            .authenticate(token, &cx)
            .into_ready()
            .unwrap()
            .unwrap()
            .method()
    }

    #[test]
    fn tokens_go_by_shape() {
        let jws_only = Chain::new(Fixed(AuthMethod::Jwt, None));
        assert_eq!(method(&jws_only, "a.b.c"), AuthMethod::Jwt);
        let cx = AuthContext::new(fingerprint(b"opaque"), UnixTime::from_secs(0));
        let refused = jws_only.authenticate("opaque", &cx).into_ready().unwrap();
        assert_eq!(refused.err(), Some(Error::InvalidToken));
        let both = jws_only.opaque(Fixed(AuthMethod::Introspection, None));
        assert_eq!(method(&both, "a.b.c"), AuthMethod::Jwt);
        assert_eq!(method(&both, "a.b."), AuthMethod::Jwt);
        assert_eq!(method(&both, "opaque"), AuthMethod::Introspection);
        assert_eq!(method(&both, "a.b"), AuthMethod::Introspection);
        assert_eq!(method(&both, ".b.c"), AuthMethod::Introspection);
        assert_eq!(method(&both, "a.b.c.d"), AuthMethod::Introspection);
        assert_eq!(method(&both, "a/b.c.d"), AuthMethod::Introspection);
    }

    #[test]
    fn audience_answers_combine() {
        let chain =
            |a, b| Chain::new(Fixed(AuthMethod::Jwt, a)).opaque(Fixed(AuthMethod::Static, b));
        assert_eq!(chain(None, None).accepts_audience("r"), None);
        assert_eq!(chain(Some(true), None).accepts_audience("r"), Some(true));
        assert_eq!(
            chain(Some(true), Some(false)).accepts_audience("r"),
            Some(false)
        );
        assert_eq!(
            chain(Some(false), Some(true)).accepts_audience("r"),
            Some(false)
        );
        assert_eq!(
            chain(Some(true), Some(true)).accepts_audience("r"),
            Some(true)
        );
    }
}
