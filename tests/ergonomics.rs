//! Library ergonomics (issue 18): typed and owned claims, the unescaping accessor, and
//! errors that say what to do (malformed-token hints, JWK vs JWK Set, a public key as
//! an HMAC secret). Error codes stay those of the command-line contract (docs/cli.md).

mod support;

use jwsgate::{
    Algorithm, ClaimsError, ConfigError, Error, KeySet, OwnedClaims, PublicKey, Scratch,
    StrongHmacKey, UnixTime, Verifier,
};
use serde::Deserialize;
use support::{AUD, ISS, Keys, NOW, claims};

fn verifier() -> Verifier {
    Verifier::builder()
        .hmac_key(Keys::hmac_key())
        .issuer(ISS)
        .audience(AUD)
        .build()
        .unwrap()
}

fn token(claims: &str) -> String {
    Keys::fixed().token(Algorithm::HS256, claims)
}

fn now() -> UnixTime {
    UnixTime::from_secs(NOW)
}

#[derive(Debug, Deserialize, PartialEq)]
struct MyClaims {
    sub: String,
    scope: String,
    aud: Vec<String>,
    tenant: Option<String>,
}

#[test]
fn verified_claims_deserialize_into_the_callers_type() {
    let v = verifier();
    let mut scratch = Scratch::new();
    let tok = token(&claims());
    let t = v.verify(&mut scratch, tok.as_bytes(), now()).unwrap();
    let mine: MyClaims = t.deserialize().unwrap();
    assert_eq!(
        mine,
        MyClaims {
            sub: "user-1234".into(),
            scope: "orders:read orders:write".into(),
            aud: vec![AUD.into(), "api://billing".into()],
            tenant: None,
        }
    );
    assert_eq!(t.claims().deserialize::<MyClaims>().unwrap(), mine);
}

#[test]
fn the_borrowing_form_borrows_even_escaped_strings() {
    #[derive(Deserialize)]
    struct Borrowed<'a> {
        sub: &'a str,
        name: &'a str,
    }
    let json = claims().replacen('{', r#"{"name":"Jos\u00e9 \"J\"","#, 1);
    let v = verifier();
    let mut scratch = Scratch::new();
    let tok = token(&json);
    let t = v.verify(&mut scratch, tok.as_bytes(), now()).unwrap();
    let mut buf = Vec::new();
    let b: Borrowed<'_> = t.deserialize_in(&mut buf).unwrap();
    assert_eq!((b.sub, b.name), ("user-1234", "José \"J\""));
}

#[test]
fn a_claims_type_mismatch_names_the_field_and_maps_to_invalid_claim() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Wrong {
        sub: u64,
    }
    let v = verifier();
    let mut scratch = Scratch::new();
    let tok = token(&claims());
    let t = v.verify(&mut scratch, tok.as_bytes(), now()).unwrap();
    let e: ClaimsError = t.deserialize::<Wrong>().unwrap_err();
    assert!(
        e.to_string()
            .starts_with("claims do not match the requested type"),
        "{e}"
    );
    assert!(!e.message().is_empty());
    // The message is the detail the error displays.
    assert_eq!(
        e.to_string(),
        format!("claims do not match the requested type: {}", e.message())
    );
    let as_error: Error = e.into();
    assert_eq!(as_error.code(), "invalid_claim");
}

/// A helper may return the claims (the E0515 of the issue), and they cross threads.
fn validate(v: &Verifier, token: &str) -> Result<OwnedClaims, Error> {
    v.verify_owned(token, now())
}

#[test]
fn owned_claims_have_the_same_accessors_and_outlive_the_scratch() {
    let json = claims().replacen('{', r#"{"scp":["a","b"],"name":"Jos\u00e9","#, 1);
    let tok = token(&json);
    let v = verifier();
    let owned = validate(&v, &tok).unwrap();
    let mut scratch = Scratch::new();
    let t = v.verify(&mut scratch, tok.as_bytes(), now()).unwrap();
    let c = t.claims();
    assert_eq!(owned.json(), c.json());
    assert_eq!((owned.iss(), owned.sub()), (c.iss(), c.sub()));
    assert_eq!((owned.jti(), owned.client_id()), (c.jti(), c.client_id()));
    assert_eq!(
        owned.audiences().collect::<Vec<_>>(),
        c.audiences().collect::<Vec<_>>()
    );
    assert_eq!(
        owned.scopes().collect::<Vec<_>>(),
        ["orders:read", "orders:write", "a", "b"]
    );
    assert_eq!(
        (owned.exp(), owned.nbf(), owned.iat()),
        (c.exp(), c.nbf(), c.iat())
    );
    assert!(owned.has_audience());
    assert_eq!(format!("{owned:?}"), format!("{c:?}"));
    assert_eq!(c.to_owned().json(), owned.json());
    let moved = owned.clone();
    let sub = std::thread::spawn(move || moved.sub().map(str::to_owned))
        .join()
        .unwrap();
    assert_eq!(sub.as_deref(), Some("user-1234"));
    assert_eq!(
        owned.get("name").and_then(|n| n.unescaped_str()).as_deref(),
        Some("José")
    );
    assert_eq!(owned.deserialize::<MyClaims>().unwrap().sub, "user-1234");
}

#[test]
fn verify_owned_refuses_as_verify_does() {
    let v = verifier();
    let tok = token(&claims());
    let late = UnixTime::from_secs(NOW + 3600);
    assert_eq!(v.verify_owned(&tok, late).unwrap_err(), Error::Expired);
    assert_eq!(
        v.verify_owned(tok.as_bytes(), now()).unwrap().sub(),
        Some("user-1234")
    );
}

#[test]
fn raw_value_unescapes_and_says_what_none_means() {
    let json = claims().replacen('{', r#"{"name":"Jos\u00e9","plain":"x","n":5,"#, 1);
    let v = verifier();
    let mut scratch = Scratch::new();
    let tok = token(&json);
    let t = v.verify(&mut scratch, tok.as_bytes(), now()).unwrap();
    let c = t.claims();
    let name = c.get("name").unwrap();
    assert_eq!(name.as_str(), None, "escaped: as_str gives None");
    assert_eq!(name.unescaped_str().as_deref(), Some("José"));
    assert!(matches!(
        c.get("plain").unwrap().unescaped_str(),
        Some(std::borrow::Cow::Borrowed("x"))
    ));
    assert_eq!(c.get("n").unwrap().unescaped_str(), None);
}

#[test]
fn malformed_tokens_say_what_to_do() {
    let v = verifier();
    let tok = token(&claims());
    let mut scratch = Scratch::new();
    for (bad, hint) in [
        (format!("{tok}\n"), "white space in the token (trim it)"),
        (format!(" {tok}"), "white space in the token (trim it)"),
        (
            format!("Bearer {tok}"),
            "the token starts with `Bearer ` (pass only the token)",
        ),
    ] {
        let e = v.verify(&mut scratch, bad.as_bytes(), now()).unwrap_err();
        assert_eq!(e, Error::Malformed(hint));
        assert_eq!(e.code(), "malformed");
        assert_eq!(e.to_string(), format!("malformed token: {hint}"));
    }
    // Other bad bytes keep the plain detail.
    let plus = format!("{tok}+");
    let e = v.verify(&mut scratch, plus.as_bytes(), now());
    assert_eq!(
        e.unwrap_err(),
        Error::Malformed("byte outside the base64url alphabet")
    );
}

fn jwks() -> String {
    Keys::fixed().jwks()
}

#[test]
fn a_jwk_set_given_as_one_jwk_is_named() {
    let e = PublicKey::from_jwk(jwks().as_bytes()).unwrap_err();
    let ConfigError::InvalidKey(detail) = e else {
        panic!("{e:?}")
    };
    assert!(detail.starts_with("a JWK Set"), "{detail}");
    assert!(detail.contains("KeySet::from_jwks"), "{detail}");
    // A JSON object that is neither still gets the plain detail.
    assert_eq!(
        PublicKey::from_jwk(br#"{"x":"1"}"#).unwrap_err(),
        ConfigError::InvalidKey("JWK without kty")
    );
}

#[test]
fn one_jwk_given_as_a_set_is_named() {
    let jwk = Keys::fixed().fixture().jwk(jwsgate::KeyKind::EcP256);
    let e = KeySet::from_jwks(jwk.as_bytes()).unwrap_err();
    let ConfigError::InvalidKeySet(detail) = e else {
        panic!("{e:?}")
    };
    assert!(detail.starts_with("one JWK was given"), "{detail}");
    assert!(detail.contains("PublicKey::from_jwk"), "{detail}");
}

#[test]
fn a_public_key_offered_as_an_hmac_secret_is_named() {
    let f = Keys::fixed();
    let pem = f.fixture().pem(jwsgate::KeyKind::EcP256);
    let e = StrongHmacKey::new(pem.as_bytes()).unwrap_err().to_string();
    assert!(
        e.starts_with("HMAC secret refused: a public key document (PEM)"),
        "{e}"
    );
    assert!(!e.contains("guessable"), "{e}");
    assert!(e.contains("PublicKey::from_pem"), "{e}");
    let e = StrongHmacKey::from_jwk(jwks().as_bytes())
        .unwrap_err()
        .to_string();
    assert!(e.contains("a JWK Set (public keys), not a secret"), "{e}");
    assert!(e.contains("KeySet::from_jwks"), "{e}");
    let jwk = f.fixture().jwk(jwsgate::KeyKind::EcP256);
    let e = StrongHmacKey::from_jwk(jwk.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(e.contains("a public key (JWK), not a secret"), "{e}");
    assert!(e.contains("PublicKey::from_jwk"), "{e}");
    // A weak secret is still called guessable.
    let e = StrongHmacKey::new(&[7u8; 40]).unwrap_err().to_string();
    assert_eq!(e, "HMAC secret refused: guessable: one repeated byte");
}
