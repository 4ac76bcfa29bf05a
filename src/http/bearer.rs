//! The `Authorization` field of a bearer request (RFC 6750 §2.1, RFC 9110 §11.4):
//!
//! ```text
//! credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]     ; RFC 9110
//! credentials = "Bearer" 1*SP b64token                              ; RFC 6750
//! b64token    = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
//! ```
//!
//! The scheme is compared case-insensitively; leading and trailing SP/HTAB around the
//! field value are optional whitespace (RFC 9110 §5.5), not part of it. Pure functions
//! on bytes: no allocation, no `http` types.

/// What an `Authorization` field value holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Credentials<'a> {
    /// A well-formed bearer token (the `b64token`).
    Bearer(&'a str),
    /// Another authentication scheme (RFC 6750 §3.1: answered like no credentials).
    OtherScheme,
    /// A bearer field that breaks the grammar, or a field with no valid scheme at all.
    Invalid(Malformed),
}

/// Why a field was refused as `invalid_request` (400). Each has its fixed description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Malformed {
    /// The field does not start with an auth-scheme, or the bearer part breaks the
    /// `b64token` grammar (a tab, a second word, a non-ASCII byte, `=` inside).
    Syntax,
    /// `Bearer` with no token.
    EmptyToken,
    /// More than one `Authorization` field.
    Repeated,
}

/// RFC 9110 §5.6.2 `tchar`.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// RFC 6750 §2.1 `b64token` body characters (before any `=` padding).
fn is_b64token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~+/".contains(&b)
}

fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Parses one `Authorization` field value.
pub(crate) fn parse(value: &[u8]) -> Credentials<'_> {
    let start = value
        .iter()
        .position(|&b| !is_ows(b))
        .unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|&b| !is_ows(b))
        .map_or(start, |i| i + 1);
    let value = value.get(start..end).unwrap_or_default();
    let scheme_len = value
        .iter()
        .position(|&b| !is_tchar(b))
        .unwrap_or(value.len());
    let (scheme, rest) = value.split_at(scheme_len);
    if scheme.is_empty() {
        return Credentials::Invalid(Malformed::Syntax);
    }
    if !scheme.eq_ignore_ascii_case(b"bearer") {
        // Another scheme's syntax is that scheme's business; RFC 9110 only asks for SP
        // after it. Anything else right after the scheme name is not a credential.
        return match rest.first() {
            None | Some(b' ') => Credentials::OtherScheme,
            Some(_) => Credentials::Invalid(Malformed::Syntax),
        };
    }
    let token_start = rest.iter().position(|&b| b != b' ').unwrap_or(rest.len());
    if token_start == 0 {
        // "Bearer" alone (the trailing OWS was trimmed), or "Bearer\t...".
        return match rest.first() {
            None => Credentials::Invalid(Malformed::EmptyToken),
            Some(_) => Credentials::Invalid(Malformed::Syntax),
        };
    }
    let token = rest.get(token_start..).unwrap_or_default();
    if is_b64token(token) {
        // b64token is ASCII, so this conversion cannot fail.
        match core::str::from_utf8(token) {
            Ok(token) => Credentials::Bearer(token),
            Err(_) => Credentials::Invalid(Malformed::Syntax),
        }
    } else {
        Credentials::Invalid(Malformed::Syntax)
    }
}

/// `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
fn is_b64token(token: &[u8]) -> bool {
    let body = token
        .iter()
        .position(|&b| !is_b64token_char(b))
        .unwrap_or(token.len());
    body > 0
        && token
            .get(body..)
            .unwrap_or_default()
            .iter()
            .all(|&b| b == b'=')
}

#[cfg(test)]
mod tests {
    use super::*;
    use Credentials::*;

    #[test]
    fn the_grammar_of_rfc_6750() {
        let cases: &[(&[u8], Credentials<'_>)] = &[
            (b"Bearer abc", Bearer("abc")),
            (b"bearer abc", Bearer("abc")),
            (b"BEARER abc", Bearer("abc")),
            (b"Bearer    abc", Bearer("abc")),
            (b"  Bearer abc \t", Bearer("abc")),
            (b"Bearer a-b.c_d~e+f/g==", Bearer("a-b.c_d~e+f/g==")),
            (b"Bearer abc=", Bearer("abc=")),
            (b"Bearer\tabc", Invalid(Malformed::Syntax)),
            (b"Bearer \tabc", Invalid(Malformed::Syntax)),
            (b"Bearer abc def", Invalid(Malformed::Syntax)),
            (b"Bearer ab=c", Invalid(Malformed::Syntax)),
            (b"Bearer =", Invalid(Malformed::Syntax)),
            (b"Bearer ab\xc3\xa9", Invalid(Malformed::Syntax)),
            (b"Bearer a,b", Invalid(Malformed::Syntax)),
            (b"Bearer a, Bearer b", Invalid(Malformed::Syntax)),
            (b"Bearer \"abc\"", Invalid(Malformed::Syntax)),
            (b"Bearer", Invalid(Malformed::EmptyToken)),
            (b"Bearer   ", Invalid(Malformed::EmptyToken)),
            (b"", Invalid(Malformed::Syntax)),
            (b"   ", Invalid(Malformed::Syntax)),
            (b" abc", OtherScheme),
            (b"=abc", Invalid(Malformed::Syntax)),
            (b"\xff abc", Invalid(Malformed::Syntax)),
            (b"Bearerabc", OtherScheme),
            (b"Basic dXNlcjpwYXNz", OtherScheme),
            (b"DPoP abc", OtherScheme),
            (b"Negotiate", OtherScheme),
            (b"Basic\tx", Invalid(Malformed::Syntax)),
        ];
        for (value, expected) in cases {
            assert_eq!(
                parse(value),
                *expected,
                "{:?}",
                String::from_utf8_lossy(value)
            );
        }
    }
}
