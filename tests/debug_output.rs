//! `Debug` output never carries token content or key material (DESIGN.md principle 5):
//! everything that holds a token's parts shows names and sizes, claim values are printed
//! only through the explicitly named `Claims::debug_values`, and key types show no key
//! byte. Each value is looked for in `{:?}` and `{:#?}`, as text, base64url and bytes.

mod common;

use common::*;
use jwsgate::low_level::json::Scanner;
use jwsgate::{Algorithm, KeyKind, Scratch};

const SUB: &str = "alice-subject-9137";
const EMAIL: &str = "alice@example.org";
const KID: &str = "kid-distinct-42";
const EXP: &str = "1700000600";

fn claims_json() -> String {
    format!(
        r#"{{"iss":"{ISSUER}","aud":["{AUDIENCE}","api://other-aud"],"sub":"{SUB}","exp":{EXP},"scope":"read write","email":"{EMAIL}","jti":"jti-7781"}}"#
    )
}

/// Values that must never appear in `Debug` output of token-holding types.
fn token_values(token: &str) -> Vec<String> {
    let mut values: Vec<String> = [
        SUB,
        EMAIL,
        KID,
        EXP,
        ISSUER,
        AUDIENCE,
        "api://other-aud",
        "read write",
        "jti-7781",
        "at+jwt",
    ]
    .map(String::from)
    .to_vec();
    let mut segments = token.split('.');
    for s in segments.by_ref() {
        values.push(s[..s.len().min(12)].to_string());
    }
    values.push(token.to_string());
    values
}

#[track_caller]
fn assert_hidden(what: &str, debug: &dyn std::fmt::Debug, secrets: &[String]) {
    for shown in [format!("{debug:?}"), format!("{debug:#?}")] {
        for s in secrets {
            assert!(!shown.contains(s.as_str()), "{what} shows {s:?}: {shown}");
        }
    }
}

/// `VerifiedToken`, `Claims`, `RawValue`, `VerifiedJws`, the parsed `Header`, the
/// compact split and raw JSON strings show names and sizes only; `debug_values` is the
/// one way to print claim values.
#[test]
fn debug_of_token_content_shows_names_and_sizes_only() {
    let header = format!(r#"{{"alg":"HS256","kid":"{KID}","typ":"at+jwt"}}"#);
    let token = fixture().token(Algorithm::HS256, &header, claims_json().as_bytes());
    let hidden = token_values(&token);
    let v = fixture().hmac_verifier();

    let mut scratch = Scratch::new();
    let t = v.verify(&mut scratch, token.as_bytes(), NOW).unwrap();
    assert_eq!(t.claims().sub(), Some(SUB));
    assert_hidden("VerifiedToken", &t, &hidden);
    assert_hidden("Claims", t.claims(), &hidden);
    let email = t.claims().get("email").unwrap();
    assert_eq!(email.as_str(), Some(EMAIL));
    assert_hidden("RawValue", &email, &hidden);
    assert_eq!(format!("{email:?}"), "RawValue(string of 19 bytes)");
    let shown = format!("{:?}", t.claims());
    for name in ["\"sub\"", "\"email\"", "\"exp\": number of 10 bytes"] {
        assert!(shown.contains(name), "Claims lists {name}: {shown}");
    }
    assert!(format!("{t:?}").contains("kid_bytes: Some(15)"), "{t:?}");
    // The explicit method shows the values: the searches above can find them.
    let values = format!("{:?}", t.claims().debug_values());
    for v in [SUB, EMAIL, ISSUER, "api://other-aud", "jti-7781", "write"] {
        assert!(values.contains(v), "debug_values lacks {v}: {values}");
    }
    assert!(format!("{:#?}", t.claims().debug_values()).contains(EMAIL));

    let mut scratch = Scratch::new();
    let jws = v.verify_jws(&mut scratch, token.as_bytes(), None).unwrap();
    assert_hidden("VerifiedJws", &jws, &hidden);
    let payload = String::from_utf8(jws.payload().to_vec()).unwrap();
    assert!(payload.contains(SUB));

    let parts = jwsgate::low_level::jws::split(token.as_bytes(), 8192).unwrap();
    assert_hidden("CompactParts", &parts, &hidden);
    let (mut buf, mut kid) = (Vec::with_capacity(2048), Vec::with_capacity(256));
    let h = jwsgate::low_level::jws::parse_header(parts.header, &mut buf, &mut kid).unwrap();
    assert_eq!(h.kid, Some(KID));
    assert_hidden("Header", &h, &hidden);

    let json = format!("\"{SUB}\"");
    let s = Scanner::new(json.as_bytes()).string().unwrap();
    assert_hidden("JsonStr", &s, &hidden);
}

/// Key types show no key byte: `PublicKey` and `KeySet` (kid and kind only), the HMAC
/// key and a verifier holding it; checked for every key kind's public components in
/// base64url and the HMAC secret in base64url, hex and as a byte list.
#[test]
fn debug_of_keys_shows_no_key_material() {
    let f = fixture();
    let mut hidden = Vec::new();
    for kind in [
        KeyKind::Rsa,
        KeyKind::EcP256,
        KeyKind::EcP384,
        KeyKind::EcP521,
        KeyKind::Ed25519,
    ] {
        let (a, b) = f.public_raw(kind);
        for part in [a, b] {
            if part.len() >= 16 {
                hidden.push(b64(&part)[4..20].to_string());
            }
        }
    }
    hidden.push(b64(&HMAC_SECRET)[..16].to_string());
    hidden.push(
        HMAC_SECRET[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    );
    let list = format!("{:?}", &HMAC_SECRET[..4]);
    hidden.push(list[1..list.len() - 1].to_string());
    assert_hidden("KeySet", &f.key_set(), &hidden);
    for kind in [KeyKind::Rsa, KeyKind::EcP256, KeyKind::Ed25519] {
        assert_hidden("PublicKey", &f.public_key(kind), &hidden);
    }
    assert_hidden("StrongHmacKey", &f.hmac_key(), &hidden);
    assert_hidden("Verifier", &f.hmac_verifier(), &hidden);
    assert_hidden("Verifier", &f.asymmetric_verifier(), &hidden);
}
