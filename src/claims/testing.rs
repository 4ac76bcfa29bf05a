//! Comparing two parses of one claims set (the fast path's and the general parser's), for
//! unit tests and the `claims` fuzz target.

use super::{Claims, ScpRef, compact::parse_compact};
use super::{ClaimsBuffers, parse::parse_general};
use crate::limits::MAX_ARRAY_ITEMS;

/// Whether two parses read the same claims: every registered claim, by value and by
/// form (`scp` as a list or a spaced string), and the same JSON text.
pub(crate) fn same_claims(a: &Claims<'_>, b: &Claims<'_>) -> bool {
    let scp_form = |c: &Claims<'_>| match c.scp {
        None => 0,
        Some(ScpRef::List(_)) => 1,
        Some(ScpRef::Spaced(_)) => 2,
    };
    a.json() == b.json()
        && a.iss() == b.iss()
        && a.sub() == b.sub()
        && a.jti() == b.jti()
        && a.client_id() == b.client_id()
        && a.has_audience() == b.has_audience()
        && a.audiences().eq(b.audiences())
        && a.scope.map(|r| a.str(r)) == b.scope.map(|r| b.str(r))
        && scp_form(a) == scp_form(b)
        && a.scopes().eq(b.scopes())
        && a.exp() == b.exp()
        && a.nbf() == b.nbf()
        && a.iat() == b.iat()
}

/// The verdict of the whole claims parse of `json` (the fast path, else the general
/// parser), as `Verifier::verify` reaches it.
#[cfg(test)]
pub(crate) fn parse_verdict(json: &str) -> Result<(), crate::error::Error> {
    let mut text = Vec::with_capacity(json.len());
    let mut items = Vec::with_capacity(MAX_ARRAY_ITEMS * 2);
    let bufs = ClaimsBuffers {
        text: &mut text,
        items: &mut items,
    };
    super::parse_claims_into(json.as_bytes(), bufs, &mut Claims::empty(""))
}

/// Reads `json` with both parsers. When the fast path takes it, the general parser must
/// accept it and read the same claims: `Err` with the general parser's verdict when
/// not. `Ok(true)` when the fast path took it, `Ok(false)` when it declined.
pub(crate) fn compare_paths(json: &str) -> Result<bool, String> {
    let mut items = Vec::with_capacity(MAX_ARRAY_ITEMS * 2);
    let mut fast = Claims::empty(json);
    if parse_compact(json, &mut items, &mut fast).is_none() {
        return Ok(false);
    }
    fast.items = &items;
    let mut text = Vec::with_capacity(json.len());
    let mut general_items = Vec::with_capacity(MAX_ARRAY_ITEMS * 2);
    let bufs = ClaimsBuffers {
        text: &mut text,
        items: &mut general_items,
    };
    match parse_general(json, bufs) {
        Ok(general) if same_claims(&fast, &general) => Ok(true),
        Ok(_) => Err("the fast path read other claims than the general parser".into()),
        Err(e) => Err(format!(
            "the fast path took what the general parser refused: {e:?}"
        )),
    }
}
