//! Cold diagnosis of a token the split refused: the mistakes a newcomer makes (a
//! trailing newline from a file or an environment variable, the `Authorization`
//! header's `Bearer ` left on) get a detail that says what to do. Runs only after the
//! split already failed, never on the path of a well-formed token.

use crate::error::Error;

/// The detail for a token that starts with the `Bearer ` scheme (RFC 6750 §2.1).
pub(crate) const BEARER_PREFIX: &str = "the token starts with `Bearer ` (pass only the token)";

/// The detail for a token with white space in it or around it.
pub(crate) const WHITE_SPACE: &str = "white space in the token (trim it)";

/// A teaching detail for `token`, if one of the known mistakes explains the refusal.
#[cold]
#[inline(never)]
pub(crate) fn explain(token: &[u8]) -> Option<Error> {
    let scheme = b"bearer ";
    if token
        .get(..scheme.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(scheme))
    {
        return Some(Error::Malformed(BEARER_PREFIX));
    }
    if token.iter().any(u8::is_ascii_whitespace) {
        return Some(Error::Malformed(WHITE_SPACE));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_mistake() {
        assert_eq!(
            explain(b"Bearer a.b.c"),
            Some(Error::Malformed(BEARER_PREFIX))
        );
        assert_eq!(
            explain(b"bearer a.b.c"),
            Some(Error::Malformed(BEARER_PREFIX))
        );
        assert_eq!(explain(b"a.b.c\n"), Some(Error::Malformed(WHITE_SPACE)));
        assert_eq!(explain(b" a.b.c"), Some(Error::Malformed(WHITE_SPACE)));
        assert_eq!(explain(b"a.b\t.c"), Some(Error::Malformed(WHITE_SPACE)));
        assert_eq!(explain(b"a+.b.c"), None);
        assert_eq!(explain(b"Bearer"), None);
    }
}
