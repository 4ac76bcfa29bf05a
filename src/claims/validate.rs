//! Claims checks: small pure functions, time passed in (RFC 7519 §4.1, RFC 9068 §4).

use super::{Claims, NumericDate};
use crate::error::Error;
use crate::time::UnixTime;

/// `exp` is required and must lie after `now - leeway`; `nbf`, when present, not after
/// `now + leeway`; `iat`, when present, not after `now + leeway`.
///
/// Exact at any precision: `now` and `leeway` are whole seconds, so `now < exp + leeway`
/// holds exactly when `now - leeway < exp.ceil_secs()`, and `nbf - leeway > now` exactly
/// when `nbf.ceil_secs() - leeway > now` ([`NumericDate`] reads the JSON text exactly;
/// no `f64` rounding decides). All arithmetic is in `i128`, so nothing overflows or wraps.
pub(crate) fn check_times(claims: &Claims<'_>, now: UnixTime, leeway: u64) -> Result<(), Error> {
    let now = i128::from(now.as_secs());
    let leeway = i128::from(leeway);
    let secs = |d: NumericDate| i128::from(d.ceil_secs());
    let exp = claims.exp.ok_or(Error::MissingClaim("exp"))?;
    // Valid exactly when now < exp + leeway.
    if now >= secs(exp) + leeway {
        return Err(Error::Expired);
    }
    if let Some(nbf) = claims.nbf {
        if secs(nbf) - leeway > now {
            return Err(Error::NotYetValid);
        }
    }
    if let Some(iat) = claims.iat {
        if secs(iat) - leeway > now {
            return Err(Error::InvalidClaim("iat"));
        }
    }
    Ok(())
}

/// `iss` must equal `expected` exactly (when an issuer is required).
pub(crate) fn check_issuer(claims: &Claims<'_>, expected: Option<&str>) -> Result<(), Error> {
    let Some(expected) = expected else {
        return Ok(());
    };
    if claims.iss_is(expected) {
        Ok(())
    } else if claims.iss.is_none() {
        Err(Error::MissingClaim("iss"))
    } else {
        Err(Error::InvalidIssuer)
    }
}

/// `aud` (a string or an array) must contain one of `accepted` (when audiences are
/// required).
pub(crate) fn check_audience(
    claims: &Claims<'_>,
    accepted: Option<&[Box<str>]>,
) -> Result<(), Error> {
    let Some(accepted) = accepted else {
        return Ok(());
    };
    if !claims.has_audience() {
        return Err(Error::MissingClaim("aud"));
    }
    if claims.has_audience_in(accepted) {
        Ok(())
    } else {
        Err(Error::InvalidAudience)
    }
}

/// Whether `s` is an RFC 6749 §3.3 `scope-token`: `1*( %x21 / %x23-5B / %x5D-7E )`.
///
/// The one rule for a scope name everywhere in jwsgate: a required scope of either
/// builder ([`VerifierBuilder::require_scope`](crate::VerifierBuilder::require_scope),
/// the introspection builder's), an identity's scopes, the scopes a protected resource
/// advertises. A name outside it (empty, a space, a quote, a backslash, a control or
/// non-ASCII character) is never a scope an authorization server grants.
///
/// ```
/// use jwsgate::claims::is_scope_token;
/// assert!(is_scope_token("mcp:read"));
/// assert!(!is_scope_token("two words"));
/// assert!(!is_scope_token(""));
/// assert!(!is_scope_token("quote\""));
/// ```
pub fn is_scope_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b))
}

/// Every scope of `required` must be among the token's scopes.
pub(crate) fn check_scopes(claims: &Claims<'_>, required: &[Box<str>]) -> Result<(), Error> {
    if required.iter().all(|want| claims.has_scope(want)) {
        Ok(())
    } else {
        Err(Error::InsufficientScope)
    }
}

/// Whether a header `typ` matches the required media type: case-insensitive, with the
/// `application/` prefix optional on either side (RFC 7515 §4.1.9).
pub(crate) fn typ_matches(typ: &[u8], required: &str) -> bool {
    fn strip(t: &[u8]) -> &[u8] {
        const PREFIX: &[u8] = b"application/";
        match t.get(..PREFIX.len()) {
            Some(p) if p.eq_ignore_ascii_case(PREFIX) => t.get(PREFIX.len()..).unwrap_or_default(),
            _ => t,
        }
    }
    strip(typ).eq_ignore_ascii_case(strip(required.as_bytes()))
}

/// [`check_times`] for claims whose `exp` is optional (an RFC 7662 introspection answer,
/// when so configured): `nbf` and `iat` exactly as there; an absent `exp` never expires.
#[cfg(feature = "introspection")]
pub(crate) fn check_times_without_exp(
    claims: &Claims<'_>,
    now: UnixTime,
    leeway: u64,
) -> Result<(), Error> {
    let mut c = *claims;
    if c.exp.is_none() {
        // 9999-12-31T23:59:59Z, the last second a NumericDate is read up to. Should it not
        // parse, `exp` stays absent and check_times refuses: fails closed.
        c.exp = NumericDate::from_json_number("253402300799");
    }
    check_times(&c, now, leeway)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_tokens_follow_rfc_6749() {
        for ok in ["a", "mcp:read", "!", "~", "x[]", "#", "[", "]"] {
            assert!(is_scope_token(ok), "{ok}");
        }
        for bad in ["", " ", "a b", "\"", "\\", "é", "\t", "\u{7f}", "\u{20}x"] {
            assert!(!is_scope_token(bad), "{bad:?}");
        }
    }

    #[test]
    fn typ_comparison_follows_rfc_7515() {
        assert!(typ_matches(b"at+jwt", "at+jwt"));
        assert!(typ_matches(b"application/AT+JWT", "at+jwt"));
        assert!(typ_matches(b"at+jwt", "application/at+jwt"));
        assert!(!typ_matches(b"JWT", "at+jwt"));
        assert!(!typ_matches(b"application/jwt", "at+jwt"));
        assert!(!typ_matches(b"", "at+jwt"));
    }
}
