//! Logs carry a token's fingerprint, never the token, its signature, a secret, or claim
//! values other than `iss` (DESIGN.md principle 5). A capturing subscriber records every
//! event of a success and of every refusal kind the verifier can produce.
#![cfg(feature = "tracing")]

mod support;

use jwsgate_fixtures::logs::Capture;

use jwsgate::{Algorithm, Scratch, UnixTime, Verifier, fingerprint};
use support::{AUD, ISS, Keys, NOW, claims};

#[test]
fn logs_carry_fingerprints_and_nothing_secret() {
    let keys = Keys::new();
    let hmac = Verifier::builder()
        .hmac_key(Keys::hmac_key())
        .issuer(ISS)
        .audience(AUD)
        .require_scope("orders:read")
        .require_type("at+jwt")
        .build()
        .unwrap();
    let asym = Verifier::builder()
        .key_set(keys.key_set())
        .issuer(ISS)
        .audience(AUD)
        .build()
        .unwrap();
    let good = keys.token(Algorithm::HS256, &claims());
    let swap = |a: &str, b: &str| keys.token(Algorithm::HS256, &claims().replacen(a, b, 1));
    let (input, sig) = good.rsplit_once('.').unwrap();
    let mut bad_sig = jwsgate::low_level::base64url::decode_vec(sig);
    bad_sig[0] ^= 1;
    let cases: Vec<(&Verifier, String, &str)> = vec![
        (&hmac, good.clone(), "accepted"),
        (&hmac, "e30.e30".into(), "malformed"),
        (&hmac, "a".repeat(9000), "token_too_large"),
        (
            &hmac,
            keys.token_with_header(Algorithm::HS256, r#"{"alg":"none"}"#, &claims()),
            "unsupported_algorithm",
        ),
        (&asym, good.clone(), "algorithm_not_allowed"),
        (
            &hmac,
            keys.token_with_header(
                Algorithm::HS256,
                r#"{"alg":"HS256","zip":"DEF"}"#,
                &claims(),
            ),
            "unsupported_header",
        ),
        (
            &asym,
            keys.token_with_header(
                Algorithm::ES256,
                r#"{"alg":"ES256","kid":"who"}"#,
                &claims(),
            ),
            "unknown_key",
        ),
        (
            &hmac,
            format!("{input}.{}", support::b64(&bad_sig)),
            "invalid_signature",
        ),
        (
            &hmac,
            keys.token_with_header(
                Algorithm::HS256,
                r#"{"alg":"HS256","typ":"JWT"}"#,
                &claims(),
            ),
            "invalid_type",
        ),
        (
            &hmac,
            swap("\"exp\":1700000300", "\"exp\":1600000000"),
            "expired",
        ),
        (
            &hmac,
            swap("\"nbf\":1699999990", "\"nbf\":1800000000"),
            "not_yet_valid",
        ),
        (&hmac, swap(ISS, "https://other.example"), "invalid_issuer"),
        (&hmac, swap(AUD, "api://other"), "invalid_audience"),
        (&hmac, swap("\"exp\":", "\"exq\":"), "missing_claim"),
        (
            &hmac,
            swap("\"sub\":\"user-1234\"", "\"sub\":7"),
            "invalid_claim",
        ),
        (&hmac, swap("orders:read ", ""), "insufficient_scope"),
    ];
    let capture = Capture::default();
    tracing::subscriber::with_default(capture.clone(), || {
        for (v, token, expect) in &cases {
            let mut scratch = Scratch::new();
            let r = v.verify(&mut scratch, token.as_bytes(), UnixTime::from_secs(NOW));
            let code = r.map(|_| "accepted").unwrap_or_else(|e| e.code());
            assert_eq!(code, *expect, "case {expect}");
        }
    });
    let lines = capture.0.lock().unwrap().clone();
    assert_eq!(lines.len(), cases.len(), "one event per verify: {lines:#?}");
    let secret_hex: String = support::HMAC_SECRET
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    for ((_, token, expect), line) in cases.iter().zip(&lines) {
        let fp = fingerprint(token.as_bytes());
        assert!(
            line.contains(fp.as_str()),
            "{expect}: no fingerprint in {line}"
        );
        let signature = token.rsplit('.').next().unwrap();
        assert!(!line.contains(token.as_str()), "{expect}: token in {line}");
        if signature.len() >= 8 {
            assert!(!line.contains(signature), "{expect}: signature in {line}");
        }
        assert!(
            !line.contains(&secret_hex[..16]),
            "{expect}: secret in {line}"
        );
        assert!(
            !line.contains(&support::b64(&support::HMAC_SECRET)[..16]),
            "{expect}: secret in {line}"
        );
        assert!(!line.contains("user-1234"), "{expect}: sub in {line}");
        if *expect != "accepted" {
            assert!(
                line.contains(&format!("error={expect}")),
                "{expect}: code missing in {line}"
            );
            assert!(line.starts_with("INFO"), "{line}");
        } else {
            // An acceptance names the issuer of the claims (and is DEBUG).
            assert!(line.contains(&format!("iss=Some({ISS:?})")), "{line}");
            assert!(line.starts_with("DEBUG"), "{line}");
        }
    }
}
