//! `WWW-Authenticate: Bearer` challenges (RFC 6750 §3): one field per answer, each
//! parameter at most once, every value a quoted-string with `"` and `\` escaped.
//! `error_description` comes from the fixed table [`DESCRIPTIONS`], keyed by
//! [`crate::Error::code`]: never the token, the expected issuer or audience, or an error
//! chain. The values for 400 and 401 are rendered once, when the layer is built.

use http::HeaderValue;

use super::BuildError;
use super::bearer::Malformed;

/// RFC 6750 §3.1 error codes.
pub(crate) const INVALID_REQUEST: &str = "invalid_request";
pub(crate) const INVALID_TOKEN: &str = "invalid_token";
pub(crate) const INSUFFICIENT_SCOPE: &str = "insufficient_scope";

/// The `error_description` of each refusal a 401 can carry, by `Error::code()`. Texts say
/// what is wrong with the token in general terms, never what was expected.
pub const DESCRIPTIONS: &[(&str, &str)] = &[
    ("malformed", "The access token is malformed"),
    ("token_too_large", "The access token is too large"),
    (
        "unsupported_algorithm",
        "The access token's algorithm is not supported",
    ),
    (
        "algorithm_not_allowed",
        "The access token's algorithm is not accepted",
    ),
    (
        "unsupported_header",
        "The access token has an unsupported header",
    ),
    (
        "unknown_key",
        "The access token is signed with an unknown key",
    ),
    (
        "invalid_signature",
        "The access token's signature is invalid",
    ),
    (
        "invalid_type",
        "The access token is not of the required type",
    ),
    ("expired", "The access token expired"),
    ("not_yet_valid", "The access token is not yet valid"),
    ("invalid_issuer", "The access token's issuer is not trusted"),
    (
        "invalid_audience",
        "The access token is not meant for this resource",
    ),
    ("missing_claim", "The access token lacks a required claim"),
    ("invalid_claim", "The access token has an invalid claim"),
    ("invalid_token", "The access token is not active"),
];

/// For a 401 code outside [`DESCRIPTIONS`] (an error a future authenticator adds).
pub const GENERIC_INVALID_TOKEN: &str = "The access token is invalid";

/// For 403 `insufficient_scope`.
pub const INSUFFICIENT_SCOPE_DESCRIPTION: &str = "The access token lacks a required scope";

/// The `error_description` of each 400 `invalid_request`.
pub(crate) const fn malformed_description(m: Malformed) -> &'static str {
    match m {
        Malformed::Syntax => "The Authorization header is not a valid Bearer credential",
        Malformed::EmptyToken => "The Bearer credential has no token",
        Malformed::Repeated => "More than one Authorization header",
    }
}

/// Appends `name="value"` with `"` and `\` escaped (RFC 9110 §5.6.4 quoted-pair).
fn push_param(out: &mut String, name: &str, value: &str) {
    out.push_str(if out.len() > "Bearer".len() {
        ", "
    } else {
        " "
    });
    out.push_str(name);
    out.push_str("=\"");
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

/// The parameters of one challenge.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Params<'a> {
    pub(crate) error: Option<&'a str>,
    pub(crate) description: Option<&'a str>,
    pub(crate) scope: Option<&'a str>,
}

/// Everything the layer answers challenges with.
#[derive(Debug)]
pub(crate) struct Challenges {
    realm: Option<Box<str>>,
    resource_metadata: Box<str>,
    /// 401 without `error` (no credentials, or another scheme).
    pub(crate) no_credentials: HeaderValue,
    /// 400 `invalid_request`, by [`Malformed`].
    invalid_request: [HeaderValue; 3],
    /// 401 `invalid_token`, in the order of [`DESCRIPTIONS`].
    invalid_token: Box<[HeaderValue]>,
    invalid_token_generic: HeaderValue,
}

impl Challenges {
    pub(crate) fn new(realm: Option<&str>, resource_metadata: &str) -> Result<Self, BuildError> {
        if let Some(realm) = realm {
            // qdtext without obs-text: visible ASCII and space, so the field stays ASCII.
            if !realm.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
                return Err(BuildError::InvalidRealm);
            }
        }
        let mut c = Challenges {
            realm: realm.map(Into::into),
            resource_metadata: resource_metadata.into(),
            no_credentials: HeaderValue::from_static("Bearer"),
            invalid_request: [
                HeaderValue::from_static("Bearer"),
                HeaderValue::from_static("Bearer"),
                HeaderValue::from_static("Bearer"),
            ],
            invalid_token: Box::new([]),
            invalid_token_generic: HeaderValue::from_static("Bearer"),
        };
        c.no_credentials = c.render(Params::default())?;
        let token = |d| Params {
            error: Some(INVALID_TOKEN),
            description: Some(d),
            scope: None,
        };
        let request = |m| Params {
            error: Some(INVALID_REQUEST),
            description: Some(malformed_description(m)),
            scope: None,
        };
        c.invalid_request = [
            c.render(request(Malformed::Syntax))?,
            c.render(request(Malformed::EmptyToken))?,
            c.render(request(Malformed::Repeated))?,
        ];
        c.invalid_token = DESCRIPTIONS
            .iter()
            .map(|(_, d)| c.render(token(d)))
            .collect::<Result<_, _>>()?;
        c.invalid_token_generic = c.render(token(GENERIC_INVALID_TOKEN))?;
        Ok(c)
    }

    /// `Bearer realm=…, error=…, error_description=…, scope=…, resource_metadata=…`,
    /// each present parameter once, in that order.
    pub(crate) fn render(&self, p: Params<'_>) -> Result<HeaderValue, BuildError> {
        let mut out = String::from("Bearer");
        if let Some(realm) = &self.realm {
            push_param(&mut out, "realm", realm);
        }
        if let Some(error) = p.error {
            push_param(&mut out, "error", error);
        }
        if let Some(d) = p.description {
            push_param(&mut out, "error_description", d);
        }
        if let Some(scope) = p.scope {
            push_param(&mut out, "scope", scope);
        }
        push_param(&mut out, "resource_metadata", &self.resource_metadata);
        HeaderValue::from_str(&out).map_err(|_| BuildError::InvalidRealm)
    }

    pub(crate) fn invalid_request(&self, m: Malformed) -> HeaderValue {
        let i = match m {
            Malformed::Syntax => 0,
            Malformed::EmptyToken => 1,
            Malformed::Repeated => 2,
        };
        self.invalid_request
            .get(i)
            .cloned()
            .unwrap_or_else(|| self.no_credentials.clone())
    }

    /// The challenge of a 401 refusal with error code `code` (`Error::code()`).
    pub(crate) fn invalid_token(&self, code: &str) -> HeaderValue {
        DESCRIPTIONS
            .iter()
            .position(|(c, _)| *c == code)
            .and_then(|i| self.invalid_token.get(i))
            .unwrap_or(&self.invalid_token_generic)
            .clone()
    }

    /// The challenge of a 403: the scopes the route needs. `scope` was validated (scope
    /// tokens joined by spaces), so rendering cannot fail; if it did, the challenge
    /// falls back to one without `scope`.
    pub(crate) fn insufficient_scope(&self, scope: Option<&str>) -> HeaderValue {
        let p = Params {
            error: Some(INSUFFICIENT_SCOPE),
            description: Some(INSUFFICIENT_SCOPE_DESCRIPTION),
            scope,
        };
        self.render(p)
            .or_else(|_| self.render(Params { scope: None, ..p }))
            .unwrap_or_else(|_| self.no_credentials.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MD: &str = "https://api.example/.well-known/oauth-protected-resource/mcp";

    #[test]
    fn challenges_are_quoted_escaped_and_complete() {
        let c = Challenges::new(Some(r#"say "hi" \o/"#), MD).unwrap();
        assert_eq!(
            c.no_credentials,
            format!(r#"Bearer realm="say \"hi\" \\o/", resource_metadata="{MD}""#)
        );
        let c = Challenges::new(None, MD).unwrap();
        assert_eq!(
            c.invalid_token("expired"),
            format!(
                r#"Bearer error="invalid_token", error_description="The access token expired", resource_metadata="{MD}""#
            )
        );
        assert_eq!(
            c.invalid_token("some_future_code"),
            format!(
                r#"Bearer error="invalid_token", error_description="{GENERIC_INVALID_TOKEN}", resource_metadata="{MD}""#
            )
        );
        assert_eq!(
            c.insufficient_scope(Some("mcp:read mcp:tools")),
            format!(
                r#"Bearer error="insufficient_scope", error_description="{INSUFFICIENT_SCOPE_DESCRIPTION}", scope="mcp:read mcp:tools", resource_metadata="{MD}""#
            )
        );
        assert_eq!(
            c.invalid_request(Malformed::Repeated),
            format!(
                r#"Bearer error="invalid_request", error_description="More than one Authorization header", resource_metadata="{MD}""#
            )
        );
    }

    #[test]
    fn every_error_code_has_its_own_fixed_description() {
        let c = Challenges::new(Some("api"), MD).unwrap();
        for (code, description) in DESCRIPTIONS {
            let value = c.invalid_token(code);
            let value = value.to_str().unwrap();
            assert!(value.contains(description), "{value}");
            assert_eq!(value.matches("error=").count(), 1);
            assert_eq!(value.matches("resource_metadata=").count(), 1);
            assert_eq!(value.matches("realm=").count(), 1);
        }
    }

    #[test]
    fn realms_with_controls_or_non_ascii_are_refused() {
        assert!(Challenges::new(Some("a\nb"), MD).is_err());
        assert!(Challenges::new(Some("é"), MD).is_err());
        assert!(Challenges::new(Some(""), MD).is_ok());
    }
}
