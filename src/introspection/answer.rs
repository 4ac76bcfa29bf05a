//! The introspection answer (RFC 7662 §2.2), read strictly, and judged by the same claims
//! checks as a JWT (src/claims/validate.rs).

use std::sync::Arc;

use crate::claims::validate::{check_audience, check_issuer, check_scopes, check_times};
use crate::claims::{Claims, ClaimsBuffers, parse_claims_into};
use crate::error::Error;
use crate::json::{Scanner, ValueKind};
use crate::limits::MAX_ARRAY_ITEMS;
use crate::time::UnixTime;

/// The local policy applied to an active token's answer, as to a JWT's claims.
#[derive(Debug, Clone)]
pub(crate) struct AnswerPolicy {
    pub(crate) issuer: Option<Box<str>>,
    pub(crate) audiences: Option<Box<[Box<str>]>>,
    pub(crate) scopes: Box<[Box<str>]>,
    pub(crate) leeway: u64,
    pub(crate) require_exp: bool,
}

/// `token_type` values (RFC 7662 §2.2, compared case-insensitively) that name an access
/// token usable as a bearer token: `Bearer` (RFC 6750), and RFC 8693's identifiers.
/// Anything else (`refresh_token`, `DPoP`, `N_A`...) is refused: a DPoP-bound token sent
/// as a bearer token lacks its proof, and a refresh token is no access token.
pub const ACCESS_TOKEN_TYPES: [&str; 3] = [
    "bearer",
    "access_token",
    "urn:ietf:params:oauth:token-type:access_token",
];

/// The verdict of an active token that passed the local policy: its answer, owned.
#[derive(Clone)]
pub struct Introspected {
    json: Arc<str>,
    iss: Option<Box<str>>,
    sub: Option<Box<str>>,
    client_id: Option<Box<str>>,
    scopes: Box<[Box<str>]>,
    exp: Option<i64>,
}

impl Introspected {
    /// The whole introspection answer as JSON text (`active`, `scope`, `sub`, ...).
    pub fn json(&self) -> &str {
        &self.json
    }

    /// `iss`: the issuer.
    pub fn iss(&self) -> Option<&str> {
        self.iss.as_deref()
    }

    /// `sub`: the subject.
    pub fn sub(&self) -> Option<&str> {
        self.sub.as_deref()
    }

    /// `client_id`: the client the token was issued to.
    pub fn client_id(&self) -> Option<&str> {
        self.client_id.as_deref()
    }

    /// The scopes (`scope`, space-separated, and `scp`).
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scopes.iter().map(|s| &**s)
    }

    /// `exp` in whole seconds (rounded up), when the answer has one.
    pub fn exp(&self) -> Option<i64> {
        self.exp
    }
}

impl core::fmt::Debug for Introspected {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The answer may carry personal data (username, claims): subject and scopes only.
        f.debug_struct("Introspected")
            .field("sub", &self.sub)
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .field("exp", &self.exp)
            .finish_non_exhaustive()
    }
}

/// Whether a `Content-Type` is `application/json` (case-insensitive; parameters such as
/// `charset` allowed).
pub(crate) fn is_json_media_type(content_type: Option<&str>) -> bool {
    content_type
        .and_then(|ct| ct.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// Reads an answer: status 200, `application/json`, a JSON object with exactly one
/// boolean `active`. Anything else is the endpoint failing (`introspection_unavailable`,
/// 503, never "valid" and never 401); `active: false` is `invalid_token` (401). An active
/// answer is returned as text, to be judged (and possibly cached).
pub(crate) fn read_answer(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Arc<str>, Error> {
    let unavailable = Error::IntrospectionUnavailable;
    if status != 200 || !is_json_media_type(content_type) {
        return Err(unavailable);
    }
    let text = core::str::from_utf8(body).map_err(|_| unavailable)?;
    let mut active = None;
    let mut count = 0usize;
    let mut scanner = Scanner::new(body);
    if scanner.peek_kind().map_err(|_| unavailable)? != ValueKind::Object {
        return Err(unavailable);
    }
    scanner
        .object(|name, s| {
            if name.eq_bytes(b"active") {
                count += 1;
                active = match s.peek_kind()? {
                    ValueKind::Bool => Some(s.boolean()?),
                    _ => {
                        s.skip_any()?;
                        None
                    }
                };
                Ok(())
            } else {
                s.skip_any()
            }
        })
        .map_err(|_| unavailable)?;
    scanner.finish().map_err(|_| unavailable)?;
    match (count, active) {
        (1, Some(true)) => Ok(Arc::from(text)),
        (1, Some(false)) => Err(Error::InvalidToken),
        _ => Err(unavailable),
    }
}

/// Judges an active answer at `now`: `token_type` (when present) an access-token type,
/// then the JWT claims checks — times (with `exp` optional only when so configured),
/// issuer, audience, scopes.
pub(crate) fn judge(
    json: &Arc<str>,
    policy: &AnswerPolicy,
    now: UnixTime,
) -> Result<Introspected, Error> {
    let mut text = Vec::with_capacity(json.len());
    let mut items = Vec::with_capacity(MAX_ARRAY_ITEMS * 2);
    let mut claims = Claims::empty("");
    parse_claims_into(
        json.as_bytes(),
        ClaimsBuffers {
            text: &mut text,
            items: &mut items,
        },
        &mut claims,
    )
    .map_err(|e| match e {
        // read_answer checked the JSON; duplicates of other members end here.
        Error::Malformed(_) => Error::IntrospectionUnavailable,
        other => other,
    })?;
    if let Some(tt) = claims.get("token_type") {
        let ok = tt
            .as_str()
            .is_some_and(|t| ACCESS_TOKEN_TYPES.iter().any(|a| t.eq_ignore_ascii_case(a)));
        if !ok {
            return Err(Error::InvalidToken);
        }
    }
    if policy.require_exp || claims.exp().is_some() {
        check_times(&claims, now, policy.leeway)?;
    } else {
        crate::claims::validate::check_times_without_exp(&claims, now, policy.leeway)?;
    }
    check_issuer(&claims, policy.issuer.as_deref())?;
    check_audience(&claims, policy.audiences.as_deref())?;
    check_scopes(&claims, &policy.scopes)?;
    Ok(Introspected {
        json: Arc::clone(json),
        iss: claims.iss().map(Box::from),
        sub: claims.sub().map(Box::from),
        client_id: claims.client_id().map(Box::from),
        scopes: claims.scopes().map(Box::from).collect(),
        exp: claims.exp().map(|e| e.ceil_secs()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);
    const JSON: Option<&str> = Some("application/json");

    fn policy() -> AnswerPolicy {
        AnswerPolicy {
            issuer: Some("https://as.example".into()),
            audiences: Some(vec!["api://orders".into()].into()),
            scopes: vec!["orders:read".into()].into(),
            leeway: 60,
            require_exp: true,
        }
    }

    fn active(extra: &str) -> String {
        format!(
            r#"{{"active":true,"iss":"https://as.example","aud":"api://orders","scope":"orders:read x","sub":"u1","exp":1700000600{extra}}}"#
        )
    }

    fn verdict(body: &str, p: &AnswerPolicy) -> Result<Introspected, Error> {
        let json = read_answer(200, JSON, body.as_bytes())?;
        judge(&json, p, NOW)
    }

    #[test]
    fn strict_answer_reading() {
        let u = Err(Error::IntrospectionUnavailable);
        let ok = active("");
        assert!(read_answer(200, JSON, ok.as_bytes()).is_ok());
        assert!(read_answer(200, Some("Application/JSON; charset=utf-8"), ok.as_bytes()).is_ok());
        for status in [201, 204, 304, 400, 401, 500, 503] {
            assert_eq!(
                read_answer(status, JSON, ok.as_bytes()).map(drop),
                u,
                "{status}"
            );
        }
        for ct in [
            None,
            Some("text/html"),
            Some("application/jwt"),
            Some("application/jsonx"),
        ] {
            assert_eq!(read_answer(200, ct, ok.as_bytes()).map(drop), u, "{ct:?}");
        }
        for body in [
            "",
            "null",
            "[]",
            "true",
            r#"{"active":"true"}"#,
            r#"{"active":1}"#,
            r#"{"active":null}"#,
            r#"{"scope":"a"}"#,
            r#"{"active":true,"active":true}"#,
            r#"{"active":false,"active":true}"#,
            r#"{"active":true"#,
            r#"{"active":true} {}"#,
            "<html>",
        ] {
            assert_eq!(
                read_answer(200, JSON, body.as_bytes()).map(drop),
                u,
                "{body}"
            );
        }
        assert_eq!(
            read_answer(200, JSON, br#"{"active":false}"#).map(drop),
            Err(Error::InvalidToken)
        );
        assert_eq!(
            read_answer(200, JSON, b"{\"active\":true,\"x\":\"\xff\"}").map(drop),
            u
        );
    }

    #[test]
    fn active_answers_meet_the_jwt_policy() {
        let p = policy();
        let v = verdict(&active(""), &p).unwrap();
        assert_eq!(v.sub(), Some("u1"));
        assert_eq!(v.scopes().collect::<Vec<_>>(), ["orders:read", "x"]);
        assert_eq!(v.exp(), Some(1_700_000_600));
        let body = |j: &str| j.to_string();
        for (json, want) in [
            (
                body(
                    r#"{"active":true,"iss":"https://as.example","aud":"api://orders","scope":"orders:read"}"#,
                ),
                Error::MissingClaim("exp"),
            ),
            (active(r#","nbf":1700000100"#), Error::NotYetValid),
            (
                active("").replace("1700000600", "1699999900"),
                Error::Expired,
            ),
            (
                active("").replace("https://as.example", "https://evil.example"),
                Error::InvalidIssuer,
            ),
            (
                active("").replace("api://orders", "api://billing"),
                Error::InvalidAudience,
            ),
            (
                active("").replace("orders:read x", "orders:write"),
                Error::InsufficientScope,
            ),
            (
                active(r#","token_type":"refresh_token""#),
                Error::InvalidToken,
            ),
            (active(r#","token_type":"DPoP""#), Error::InvalidToken),
            (active(r#","token_type":7"#), Error::InvalidToken),
            (active(r#","exp":1"#), Error::IntrospectionUnavailable),
            (
                active("").replace("1700000600", "\"1700000600\""),
                Error::InvalidClaim("exp"),
            ),
        ] {
            assert_eq!(verdict(&json, &p).map(drop), Err(want), "{json}");
        }
        for tt in [
            "Bearer",
            "bearer",
            "access_token",
            "urn:ietf:params:oauth:token-type:access_token",
        ] {
            let json = active(&format!(r#","token_type":"{tt}""#));
            assert!(verdict(&json, &p).is_ok(), "{tt}");
        }
        // Within the leeway.
        let json = active("").replace("1700000600", "1699999950");
        assert!(verdict(&json, &p).is_ok());
    }

    #[test]
    fn exp_is_optional_only_when_configured() {
        let json = r#"{"active":true,"iss":"https://as.example","aud":"api://orders","scope":"orders:read","nbf":1700000100}"#;
        let mut p = policy();
        assert_eq!(verdict(json, &p).map(drop), Err(Error::MissingClaim("exp")));
        p.require_exp = false;
        // nbf is still checked without exp.
        assert_eq!(verdict(json, &p).map(drop), Err(Error::NotYetValid));
        let json = json.replace("1700000100", "1699999000");
        let v = verdict(&json, &p).unwrap();
        assert_eq!(v.exp(), None);
    }

    #[test]
    fn debug_shows_no_answer_text() {
        let p = policy();
        let v = verdict(&active(r#","username":"alice@example.com""#), &p).unwrap();
        let shown = format!("{v:?}");
        assert!(!shown.contains("alice@"), "{shown}");
        assert!(shown.contains("u1"));
    }
}
