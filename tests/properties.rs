//! Property tests (proptest). Case counts are kept small enough that the file runs in well
//! under 30 s in a debug build; raise them with `PROPTEST_CASES=...` for a longer run.

mod common;
#[path = "../fuzz/src/numeric_date.rs"]
mod numeric_date_reference;

use common::*;
use jwsgate::{Algorithm, Scratch, UnixTime, Verifier};
use proptest::prelude::*;

fn any_alg() -> impl Strategy<Value = Algorithm> {
    prop::sample::select(Algorithm::ALL.to_vec())
}

/// A JSON string literal for `s` (escaping what JSON requires, and some of what it allows).
fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

prop_compose! {
    /// Arbitrary claims that meet the fixture policy: the right iss, an aud (string or
    /// array) holding the right audience, exp in the future, optional nbf / iat in the
    /// past, arbitrary sub, scope and custom members.
    fn valid_claims()(
        sub in "\\PC{0,24}",
        scope in "[a-z:]{0,8}( [a-z:]{1,8}){0,3}",
        extra_auds in prop::collection::vec("\\PC{0,12}", 0..4),
        aud_as_array in any::<bool>(),
        exp_ahead in -59i64..10_000_000,
        nbf_back in prop::option::of(-60i64..100_000),
        iat_back in prop::option::of(-60i64..100_000),
        custom in prop::collection::btree_map("[a-z]{1,6}", "\\PC{0,16}", 0..4),
    ) -> String {
        let now = NOW.as_secs() as i64;
        let aud = if aud_as_array || !extra_auds.is_empty() {
            let mut all: Vec<String> = extra_auds.iter().map(|a| json_str(a)).collect();
            all.push(json_str(AUDIENCE));
            format!("[{}]", all.join(","))
        } else {
            json_str(AUDIENCE)
        };
        let mut members = vec![
            format!(r#""iss":{}"#, json_str(ISSUER)),
            format!(r#""aud":{aud}"#),
            format!(r#""exp":{}"#, now + exp_ahead),
            format!(r#""sub":{}"#, json_str(&sub)),
            format!(r#""scope":{}"#, json_str(&scope)),
        ];
        if let Some(b) = nbf_back { members.push(format!(r#""nbf":{}"#, now - b)); }
        if let Some(b) = iat_back { members.push(format!(r#""iat":{}"#, now - b)); }
        for (k, v) in custom {
            members.push(format!(r#""x_{k}":{}"#, json_str(&v)));
        }
        format!("{{{}}}", members.join(","))
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Signed with ring (or p521) by the fixture, any valid claims set verifies with every
    /// algorithm, and the claims read back as sent.
    #[test]
    fn signed_tokens_with_arbitrary_claims_verify(alg in any_alg(), claims in valid_claims()) {
        let token = signed_claims(alg, &claims);
        let v = verifier_for(alg);
        let mut scratch = Scratch::new();
        let t = v.verify(&mut scratch, token.as_bytes(), NOW);
        prop_assert!(t.is_ok(), "{:?} for {}", t.err(), claims);
        let t = t.unwrap();
        prop_assert_eq!(t.alg(), alg);
        prop_assert_eq!(t.claims().json(), claims.as_str());
        prop_assert_eq!(t.claims().iss(), Some(ISSUER));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Any single-byte change of a valid token — any position, any new byte — is refused,
    /// also by a scratch that has just verified the valid token (its header cache holds
    /// the valid header when the changed token arrives).
    #[test]
    fn any_single_byte_change_is_refused(
        alg in any_alg(),
        pos in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let token = fixture().good_token(alg);
        let mut bytes = token.clone().into_bytes();
        let i = pos.index(bytes.len());
        prop_assume!(bytes[i] != byte);
        bytes[i] = byte;
        let v = verifier_for(alg);
        let mut scratch = Scratch::new();
        let r = v.verify(&mut scratch, &bytes, NOW).map(|t| t.alg());
        prop_assert!(r.is_err(), "byte {} set to {:#04x} still verifies", i, byte);
        let mut warmed = Scratch::new();
        prop_assert!(v.verify(&mut warmed, token.as_bytes(), NOW).is_ok());
        let r = v.verify(&mut warmed, &bytes, NOW).map(|t| t.alg());
        prop_assert!(r.is_err(), "byte {} set to {:#04x} verifies after the token", i, byte);
    }
}

/// Headers for `alg` that a scratch's header cache must tell apart: the standard one,
/// the same JSON spaced differently, an escaped `kid`, another `kid`, a `typ` the policy
/// does not know, no `kid`, and headers that fail (`none`, a duplicate, `crit`).
fn header_variant(alg: Algorithm, which: usize) -> String {
    let (name, k) = (alg.name(), kid(alg));
    let escaped: String = k.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
    match which % 9 {
        0 => Fixture::header(alg),
        1 => Fixture::header(alg).replacen('{', "{ ", 1),
        2 => format!(r#"{{"alg":"{name}","kid":"{escaped}","typ":"JWT"}}"#),
        3 => format!(r#"{{"alg":"{name}","kid":"{k}x","typ":"JWT"}}"#),
        4 => Fixture::header_typ(alg, "application/other"),
        5 => format!(r#"{{"alg":"{name}"}}"#),
        6 => r#"{"alg":"none"}"#.to_string(),
        7 => format!(r#"{{"alg":"{name}","alg":"{name}"}}"#),
        _ => format!(r#"{{"alg":"{name}","kid":"{k}","crit":["x"],"x":1}}"#),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// One scratch reused for a run of tokens whose headers repeat, change and fail (its
    /// header cache hits and misses) judges each token exactly as a fresh scratch does.
    #[test]
    fn a_reused_scratch_judges_every_header_as_a_fresh_one(
        run in prop::collection::vec((any_alg(), 0usize..9), 1..12),
    ) {
        let mut reused = Scratch::new();
        for (alg, which) in run {
            let token = signed(alg, &header_variant(alg, which));
            let v = verifier_for(alg);
            let summary = |r: Result<jwsgate::VerifiedToken<'_>, jwsgate::Error>| {
                r.map(|t| (t.alg(), t.kid().map(String::from), t.claims().json().to_string()))
            };
            let fresh = summary(v.verify(&mut Scratch::new(), token.as_bytes(), NOW));
            let again = summary(v.verify(&mut reused, token.as_bytes(), NOW));
            prop_assert_eq!(&again, &fresh, "{} header {}", alg, which);
            let again = summary(v.verify(&mut reused, token.as_bytes(), NOW));
            prop_assert_eq!(again, fresh, "{} header {} twice", alg, which);
        }
    }
}

/// The plain reference decoder: the RFC 4648 §5 alphabet, no padding, 1 mod 4 refused,
/// non-zero spare bits refused.
fn reference_decode(s: &[u8]) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let vals: Vec<u32> = s
        .iter()
        .map(|c| ALPHABET.iter().position(|a| a == c).map(|p| p as u32))
        .collect::<Option<_>>()?;
    if vals.len() % 4 == 1 {
        return None;
    }
    let mut bits = 0u32;
    let mut nbits = 0;
    let mut out = Vec::new();
    for v in vals {
        bits = (bits << 6) | v;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    (bits == 0).then_some(out)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// jwsgate's decoder agrees with the reference on arbitrary text over the alphabet
    /// plus the characters a lenient decoder would take (`=`, `+`, `/`, white space), up
    /// to 200 characters (base64-simd's 32-character vector steps start at 38).
    #[test]
    fn base64url_decoding_agrees_with_the_reference(s in "[A-Za-z0-9_=+/ \n-]{0,200}") {
        let mut buf = [0u8; 160];
        let ours = jwsgate::low_level::base64url::decode(s.as_bytes(), &mut buf).map(<[u8]>::to_vec);
        prop_assert_eq!(ours, reference_decode(s.as_bytes()));
        // The vector decoder (base64-simd) the verify path uses for the token's segments.
        let public = jwsgate::low_level::base64url::decode_public(s.as_bytes(), &mut buf).map(<[u8]>::to_vec);
        prop_assert_eq!(public, reference_decode(s.as_bytes()));
    }

    /// The same on text of the pure alphabet (where most inputs decode), and encoding
    /// round-trips.
    #[test]
    fn base64url_round_trips(bytes in prop::collection::vec(any::<u8>(), 0..150), s in "[A-Za-z0-9_-]{0,200}") {
        let enc = b64(&bytes);
        prop_assert_eq!(reference_decode(enc.as_bytes()), Some(bytes.clone()));
        let mut buf = [0u8; 160];
        prop_assert_eq!(jwsgate::low_level::base64url::decode(enc.as_bytes(), &mut buf), Some(&bytes[..]));
        let ours = jwsgate::low_level::base64url::decode(s.as_bytes(), &mut buf).map(<[u8]>::to_vec);
        prop_assert_eq!(ours, reference_decode(s.as_bytes()));
        // The vector decoder (base64-simd) the verify path uses for the token's segments.
        let public = jwsgate::low_level::base64url::decode_public(s.as_bytes(), &mut buf).map(<[u8]>::to_vec);
        prop_assert_eq!(public, reference_decode(s.as_bytes()));
        prop_assert_eq!(jwsgate::low_level::base64url::decode_public(enc.as_bytes(), &mut buf), Some(&bytes[..]));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// RFC 7519 §4.1.4: a token is valid exactly when now < exp + leeway (integer and
    /// fractional exp, every leeway from 0 to 120 s).
    #[test]
    fn valid_exactly_when_now_is_before_exp_plus_leeway(
        exp_offset in -400i64..400,
        frac in prop::option::of(1u32..1000),
        leeway in 0u64..=120,
    ) {
        let now = NOW.as_secs() as i64;
        let exp = now + exp_offset;
        let exp_text = match frac {
            Some(f) => format!("{exp}.{f:03}"),
            None => exp.to_string(),
        };
        let claims = format!(r#"{{"iss":"{ISSUER}","aud":"{AUDIENCE}","exp":{exp_text}}}"#);
        let token = signed_claims(Algorithm::HS256, &claims);
        let v = Verifier::builder()
            .hmac_key(fixture().hmac_key())
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .leeway(leeway)
            .build()
            .unwrap();
        let exp_value: f64 = exp_text.parse().unwrap();
        let expected_valid = (now as f64) < exp_value + leeway as f64;
        let mut scratch = Scratch::new();
        let r = v.verify(&mut scratch, token.as_bytes(), UnixTime::from_secs(now as u64)).map(|_| ());
        if expected_valid {
            prop_assert_eq!(r, Ok(()));
        } else {
            prop_assert_eq!(r, Err(jwsgate::Error::Expired));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// Arbitrary strings never panic the verifier, and never verify.
    #[test]
    fn arbitrary_strings_never_panic_or_verify(s in "\\PC{0,200}") {
        let mut scratch = Scratch::new();
        for v in [fixture().hmac_verifier(), fixture().asymmetric_verifier()] {
            prop_assert!(v.verify(&mut scratch, s.as_bytes(), NOW).is_err());
            prop_assert!(v.verify_jws(&mut scratch, s.as_bytes(), None).is_err());
        }
    }

    /// Token-shaped input — three arbitrary base64url segments, or encoded arbitrary JSON-ish
    /// headers — never panics the parser or verifies.
    #[test]
    fn token_shaped_input_never_panics_or_verifies(
        header in "[{}\\[\\]\":,a-z0-9 \\\\]{0,60}",
        payload in prop::collection::vec(any::<u8>(), 0..80),
        sig in prop::collection::vec(any::<u8>(), 0..140),
        raw in "[A-Za-z0-9_-]{0,30}\\.[A-Za-z0-9_-]{0,30}\\.[A-Za-z0-9_-]{0,30}",
    ) {
        let mut scratch = Scratch::new();
        let shaped = format!("{}.{}.{}", b64(header.as_bytes()), b64(&payload), b64(&sig));
        let alg_header = format!(r#"{{"alg":"HS256",{header}"#);
        let shaped2 = format!("{}.{}.{}", b64(alg_header.as_bytes()), b64(&payload), b64(&sig));
        for v in [fixture().hmac_verifier(), fixture().asymmetric_verifier()] {
            for t in [&shaped, &shaped2, &raw] {
                prop_assert!(v.verify(&mut scratch, t.as_bytes(), NOW).is_err());
            }
        }
        let (mut buf, mut kid) = (Vec::with_capacity(2048), Vec::with_capacity(256));
        let _ = jwsgate::low_level::jws::parse_header(b64(header.as_bytes()).as_bytes(), &mut buf, &mut kid);
    }
}

/// Compares a JSON number with the integer `n` by decimal strings only (the oracles'
/// reference, `fuzz/src/numeric_date.rs`).
fn reference_cmp(text: &str, n: u64) -> std::cmp::Ordering {
    numeric_date_reference::cmp_with(text, n).expect("a JSON number")
}

prop_compose! {
    /// A JSON number within a few seconds of `boundary`: an integer, a fraction of up to
    /// 30 digits (often a single non-zero digit far out, which `f64` loses), written plain
    /// or with the decimal point moved into an exponent.
    fn number_near(boundary: u64)(
        offset in -2i64..=2,
        frac in prop_oneof![
            Just(String::new()),
            "0{1,25}",
            "0{0,25}[1-9]",
            "[0-9]{1,30}",
        ],
        point_shift in any::<prop::sample::Index>(),
        exponent_form in any::<bool>(),
        capital_e in any::<bool>(),
    ) -> String {
        let int = (boundary as i64 + offset).to_string();
        if !exponent_form {
            return if frac.is_empty() { int } else { format!("{int}.{frac}") };
        }
        let digits = format!("{int}{frac}");
        // New position of the point, 0..=len (0 gives "0.1700...").
        let p = point_shift.index(digits.len() + 1);
        let exponent = int.len() as i64 - p as i64;
        let (a, b) = digits.split_at(p);
        let mantissa = match (a.is_empty(), b.is_empty()) {
            (true, _) => format!("0.{b}"),
            (false, true) => a.to_string(),
            (false, false) => format!("{a}.{b}"),
        };
        let e = if capital_e { "E" } else { "e" };
        format!("{mantissa}{e}{exponent}")
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// NumericDates are compared exactly (RFC 7519 §4.1.4, §4.1.5): for `exp` and `nbf`
    /// written in any form and at any precision near the boundary, the verifier agrees
    /// with a reference that compares decimal strings — valid exactly when
    /// `now - leeway < exp`, and `not_yet_valid` exactly when `nbf > now + leeway`.
    #[test]
    fn time_claims_agree_with_decimal_string_comparison(
        (leeway, exp, nbf) in (0u64..=120).prop_flat_map(|l| (
            Just(l),
            number_near(NOW.as_secs() - l),
            number_near(NOW.as_secs() + l),
        )),
        which in any::<bool>(),
    ) {
        use std::cmp::Ordering::Greater;
        let now = NOW.as_secs();
        let (claims, expected) = if which {
            let valid = reference_cmp(&exp, now - leeway) == Greater;
            (
                format!(r#"{{"iss":"{ISSUER}","aud":"{AUDIENCE}","exp":{exp}}}"#),
                if valid { Ok(()) } else { Err(jwsgate::Error::Expired) },
            )
        } else {
            let late = reference_cmp(&nbf, now + leeway) == Greater;
            (
                format!(
                    r#"{{"iss":"{ISSUER}","aud":"{AUDIENCE}","exp":{},"nbf":{nbf}}}"#,
                    now + 600
                ),
                if late { Err(jwsgate::Error::NotYetValid) } else { Ok(()) },
            )
        };
        let token = signed_claims(Algorithm::HS256, &claims);
        let v = Verifier::builder()
            .hmac_key(fixture().hmac_key())
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .leeway(leeway)
            .build()
            .unwrap();
        let mut scratch = Scratch::new();
        let r = v.verify(&mut scratch, token.as_bytes(), NOW).map(|_| ());
        prop_assert_eq!(r, expected, "{}", claims);
    }

    /// The reference itself, on hand-checked cases (so a wrong reference cannot make the
    /// property above vacuous).
    #[test]
    fn the_decimal_reference_is_right(n in 1u64..1_000_000_000_000) {
        use std::cmp::Ordering::*;
        let len = n.to_string().len();
        prop_assert_eq!(reference_cmp(&n.to_string(), n), Equal);
        prop_assert_eq!(reference_cmp(&n.to_string(), n + 1), Less);
        prop_assert_eq!(reference_cmp(&n.to_string(), n - 1), Greater);
        prop_assert_eq!(reference_cmp(&format!("{n}.00000000000000000000001"), n), Greater);
        prop_assert_eq!(reference_cmp(&format!("{n}.99999999999999999999999"), n + 1), Less);
        prop_assert_eq!(reference_cmp(&format!("{n}.000e2"), n * 100), Equal);
        prop_assert_eq!(reference_cmp(&format!("{n}1e-1"), n), Greater);
        prop_assert_eq!(reference_cmp(&format!("{n}1e-1"), n + 1), Less);
        prop_assert_eq!(reference_cmp(&format!("0.{n}E{len}"), n), Equal);
        let tenth = if n % 10 == 0 { Equal } else { Greater };
        prop_assert_eq!(reference_cmp(&format!("0.{n}e+{}", len - 1), n / 10), tenth);
        prop_assert_eq!(reference_cmp(&format!("-{n}"), 0), Less);
        prop_assert_eq!(reference_cmp(&format!("{n}e-99999999999999999999"), 0), Greater);
        prop_assert_eq!(reference_cmp(&format!("{n}e-99999999999999999999"), 1), Less);
        prop_assert_eq!(
            numeric_date_reference::in_range(&n.to_string()),
            n < jwsgate::NumericDate::END_SECS
        );
        prop_assert!(numeric_date_reference::in_range("-0.000e7"));
        let (negative, huge) = (format!("-{n}"), format!("{n}e99999999999"));
        prop_assert!(!numeric_date_reference::in_range(&negative));
        prop_assert!(!numeric_date_reference::in_range(&huge));
        prop_assert!(numeric_date_reference::in_range("253402300799.9999"));
        prop_assert!(!numeric_date_reference::in_range("2534023008e2"));
    }
}
