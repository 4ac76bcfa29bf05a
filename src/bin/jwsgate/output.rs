//! The one line of JSON that `verify` and `verify-jws` print (docs/cli.md, "Output").
//!
//! Written by hand: the shape is fixed and tiny, every string is escaped by
//! [`push_json_string`], and the verified claims are copied as the JSON text they were
//! signed as, only stripped of insignificant white space ([`push_minified`]) so that the
//! output stays on one line.

use jwsgate::{Algorithm, Error};

/// What to print after a successful verification.
pub enum Valid<'a> {
    /// `verify`: the verified claims JSON object, as signed.
    Claims(&'a str),
    /// `verify-jws`: the payload, base64url-encoded.
    PayloadB64(&'a str),
}

/// `{"valid":true,"alg":…,"kid":…|null,"claims":{…}}` or `…,"payload_b64":"…"}`.
pub fn valid(alg: Algorithm, kid: Option<&str>, body: Valid<'_>) -> String {
    let mut out = String::with_capacity(128);
    out.push_str(r#"{"valid":true,"alg":"#);
    push_json_string(&mut out, alg.name());
    out.push_str(r#","kid":"#);
    match kid {
        Some(kid) => push_json_string(&mut out, kid),
        None => out.push_str("null"),
    }
    match body {
        Valid::Claims(json) => {
            out.push_str(r#","claims":"#);
            push_minified(&mut out, json);
        }
        Valid::PayloadB64(b64) => {
            out.push_str(r#","payload_b64":"#);
            push_json_string(&mut out, b64);
        }
    }
    out.push('}');
    out
}

/// `introspect`: `{"valid":true,"alg":null,"kid":null,"claims":{…}}`, the introspection
/// answer in place of the claims (an opaque token has no header, hence the nulls: the
/// shape stays the one `verify` prints).
pub fn introspected(answer: &str) -> String {
    let mut out = String::with_capacity(64 + answer.len());
    out.push_str(r#"{"valid":true,"alg":null,"kid":null,"claims":"#);
    push_minified(&mut out, answer);
    out.push('}');
    out
}

/// `{"valid":false,"error":"expired","status":401}`: the wire code and status only, never
/// the detail (docs/design.md principle 6).
pub fn refused(err: &Error) -> String {
    let mut out = String::with_capacity(64);
    out.push_str(r#"{"valid":false,"error":"#);
    push_json_string(&mut out, err.code());
    out.push_str(r#","status":"#);
    out.push_str(&err.status().to_string());
    out.push('}');
    out
}

/// Appends `s` as a JSON string literal: quotes, backslashes and every control character
/// are escaped (RFC 8259 §7), so the result never spans lines.
pub fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 || c == '\u{7f}' || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends the JSON text `json` without the white space between its tokens (space, tab,
/// CR, LF outside strings). Strings are copied byte for byte, so values, member order and
/// number spellings stay exactly as signed. Raw control characters cannot occur inside
/// strings of valid JSON, so the result is one line.
pub fn push_minified(out: &mut String, json: &str) {
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_onto_one_line() {
        let mut s = String::new();
        push_json_string(&mut s, "a\"b\\c\nd\u{1}e\u{2028}é");
        assert_eq!(s, r#""a\"b\\c\nd\u0001e\u2028é""#);
    }

    #[test]
    fn minify_keeps_strings_and_drops_structural_space() {
        let mut s = String::new();
        push_minified(&mut s, "{ \"a b\" :\n [1, \"x\\\" y\" ],\r\n\t\"c\":{} }");
        assert_eq!(s, r#"{"a b":[1,"x\" y"],"c":{}}"#);
    }

    #[test]
    fn shapes() {
        assert_eq!(
            refused(&Error::InsufficientScope),
            r#"{"valid":false,"error":"insufficient_scope","status":403}"#
        );
        assert_eq!(
            valid(Algorithm::ES256, None, Valid::Claims("{\"a\": 1}")),
            r#"{"valid":true,"alg":"ES256","kid":null,"claims":{"a":1}}"#
        );
        assert_eq!(
            valid(Algorithm::EdDSA, Some("k"), Valid::PayloadB64("aGk")),
            r#"{"valid":true,"alg":"EdDSA","kid":"k","payload_b64":"aGk"}"#
        );
    }
}
