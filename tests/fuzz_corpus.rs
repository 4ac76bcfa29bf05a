//! Replays every seed file of `fuzz/corpus/<target>/` through the very entry points the
//! fuzz targets run (`fuzz/src/entry.rs`, included below), on stable Rust. A crash found
//! by fuzzing is added as `fuzz/corpus/<target>/seed-regress-*` and stays a test here.
//!
//! `JWSGATE_WRITE_CORPUS=1 cargo test --test fuzz_corpus -- --ignored` rewrites the
//! generated seed files (valid tokens of every algorithm, RFC vectors, attack cases).

#[allow(dead_code)]
#[path = "../fuzz/src/entry.rs"]
mod entry;

use std::fs;
use std::path::{Path, PathBuf};

use jwsgate::{Algorithm, KeyKind};
use jwsgate_fixtures::{Fixture, GOOD_CLAIMS, HMAC_SECRET, KEY_KINDS, NOW, b64, fixture};

/// A fuzz entry point.
type Entry = fn(&[u8]);

const TARGETS: [(&str, Entry); 4] = [
    ("parse_jws", entry::parse_jws),
    ("jwk_set", entry::jwk_set),
    ("verify", entry::verify),
    ("claims", entry::claims),
];

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target)
}

fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = fs::read_dir(corpus_dir(target))
        .expect("corpus directory")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("seed-"))
        })
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&p).expect("corpus file"))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_seed_file_passes_its_target() {
    for (target, run) in TARGETS {
        let files = seeds(target);
        assert!(
            files.len() >= 10,
            "{target}: only {} seed files",
            files.len()
        );
        for (name, data) in &files {
            let outcome = std::panic::catch_unwind(|| run(data));
            assert!(outcome.is_ok(), "{target}/{name} broke an invariant");
        }
        println!("{target}: {} seed files replayed", files.len());
    }
}

#[test]
fn valid_seed_tokens_verify() {
    // Seeds named `seed-valid-*` in the verify corpus are mode byte 0 + a token that must
    // verify: proof that the corpus reaches the success path, not only refusals.
    let f = fixture();
    let mut n = 0;
    for (name, data) in seeds("verify") {
        if !name.starts_with("seed-valid-") {
            continue;
        }
        let token = std::str::from_utf8(&data[1..]).expect("a token");
        let alg = ["HS", "RS", "PS", "ES", "EdDSA"]
            .iter()
            .any(|p| name.contains(&p.to_ascii_lowercase()));
        assert!(alg, "{name}");
        let mut scratch = jwsgate::Scratch::new();
        let ok = [f.hmac_verifier(), f.asymmetric_verifier()]
            .iter()
            .any(|v| v.verify(&mut scratch, token.as_bytes(), NOW).is_ok());
        assert!(ok, "{name} does not verify");
        n += 1;
    }
    assert_eq!(n, Algorithm::ALL.len());
}

fn write(target: &str, name: &str, data: &[u8]) {
    let dir = corpus_dir(target);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join(format!("seed-{name}")), data).unwrap();
}

fn moded(mode: u8, rest: &[u8]) -> Vec<u8> {
    [&[mode][..], rest].concat()
}

/// RFC 7515 Appendix A.1: the HS256 example (its key is not ours: it must be refused).
const RFC7515_A1: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
/// RFC 7515 Appendix A.5: an unsecured JWS (`alg: none`).
const RFC7515_A5: &str = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.";
/// RFC 7517 Appendix A.1: the example public keys.
const RFC7517_A1: &str = r#"{"keys":[{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","use":"enc","kid":"1"},{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}]}"#;

#[test]
#[ignore = "writes the seed corpus; run with JWSGATE_WRITE_CORPUS=1"]
fn write_seed_corpus() {
    if std::env::var_os("JWSGATE_WRITE_CORPUS").is_none() {
        return;
    }
    let f = fixture();
    let hs = |h: &str| f.token(Algorithm::HS256, h, GOOD_CLAIMS.as_bytes());
    let attacks: Vec<(&str, String)> = vec![
        ("alg-none", RFC7515_A5.to_string()),
        ("alg-none-signed", hs(r#"{"alg":"nOnE"}"#)),
        ("rfc7515-a1", RFC7515_A1.to_string()),
        (
            "jwe-five-segments",
            "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d".into(),
        ),
        (
            "json-serialization",
            format!(
                r#"{{"protected":"{}","payload":"e30","signature":""}}"#,
                b64(br#"{"alg":"HS256"}"#)
            ),
        ),
        ("dup-escaped", hs(r#"{"alg":"HS256","\u0061lg":"none"}"#)),
        // A third dot inside the signature: where a scratch's dot hint can cut differently.
        ("dot-in-signature", {
            let mut t = hs(r#"{"alg":"HS256"}"#).into_bytes();
            let at = t.len() - 5;
            t[at] = b'.';
            String::from_utf8(t).unwrap()
        }),
        ("crit-exp", hs(r#"{"alg":"HS256","crit":["exp"],"exp":1}"#)),
        (
            "b64-false",
            hs(r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#),
        ),
        (
            "embedded-jwk",
            hs(&format!(
                r#"{{"alg":"HS256","jwk":{},"jku":"https://evil.example/jwks","x5u":"https://evil.example/x5u","x5c":["MIIB"]}}"#,
                f.jwk(KeyKind::EcP256)
            )),
        ),
        (
            "kid-traversal",
            hs(r#"{"alg":"HS256","kid":"../../../../dev/null"}"#),
        ),
        ("cty-jwt", hs(r#"{"alg":"HS256","cty":"JWT"}"#)),
        ("padded", format!("{}=", f.good_token(Algorithm::HS256))),
    ];
    // parse_jws: mode 0 + token, mode 1 + header JSON.
    for alg in Algorithm::ALL {
        write(
            "parse_jws",
            &format!("valid-{}", alg.name().to_ascii_lowercase()),
            &moded(0, f.good_token(alg).as_bytes()),
        );
    }
    for (name, t) in &attacks {
        write("parse_jws", name, &moded(0, t.as_bytes()));
    }
    // Mode 2: the same entry with a 64-byte limit, so an oversized token is in the corpus.
    write(
        "parse_jws",
        "over-size-limit",
        &moded(2, f.good_token(Algorithm::HS256).as_bytes()),
    );
    for (name, h) in [
        ("header-full", r#"{"alg":"ES256","kid":"k\u0031","typ":"at+jwt","cty":"x","b64":true,"crit":["b64"],"x5t":"AA"}"#.to_string()),
        ("header-deep", format!(r#"{{"alg":"HS256","x":{}1{}}}"#, "[".repeat(40), "]".repeat(40))),
        ("header-surrogates", r#"{"alg":"HS256","kid":"\ud83d\ude00\u0000\n"}"#.to_string()),
        ("header-numbers", r#"{"alg":"HS256","n":[-0.0e-1,1E+2,0,1700000000]}"#.to_string()),
    ] {
        write("parse_jws", name, &moded(1, h.as_bytes()));
    }
    // jwk_set: documents, single keys, PEM and DER.
    write("jwk_set", "fixture-jwks", f.jwks().as_bytes());
    write("jwk_set", "rfc7517-a1", RFC7517_A1.as_bytes());
    for kind in KEY_KINDS {
        write(
            "jwk_set",
            &format!("jwk-{kind:?}").to_ascii_lowercase(),
            f.jwk(kind).as_bytes(),
        );
    }
    let oct = format!(
        r#"{{"kty":"oct","alg":"HS256","k":"{}"}}"#,
        b64(&HMAC_SECRET)
    );
    write("jwk_set", "oct-jwk", oct.as_bytes());
    write(
        "jwk_set",
        "oct-in-set",
        format!(r#"{{"keys":[{oct}]}}"#).as_bytes(),
    );
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    for file in ["rsa2048.spki.pem", "rsa2048.pkcs1.pem", "rsa1024.spki.pem"] {
        write("jwk_set", file, &fs::read(data.join(file)).unwrap());
    }
    write("jwk_set", "jwks-private-member", br#"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}]}"#);
    write(
        "jwk_set",
        "jwks-dup-kid",
        format!(
            r#"{{"keys":[{},{}]}}"#,
            f.jwk(KeyKind::EcP256),
            f.jwk(KeyKind::EcP256)
        )
        .as_bytes(),
    );
    write(
        "jwk_set",
        "jwks-deep",
        format!(
            r#"{{"keys":[{{"kty":"EC","x":{}0{}}}]}}"#,
            "[".repeat(200),
            "]".repeat(200)
        )
        .as_bytes(),
    );
    write_degenerate_key_seeds();
    // verify: mode 0 + token (valid ones named seed-valid-*), mode 1 + alg + payload,
    // mode 3 + alg + header NUL payload.
    for (i, alg) in Algorithm::ALL.into_iter().enumerate() {
        write(
            "verify",
            &format!("valid-{}", alg.name().to_ascii_lowercase()),
            &moded(0, f.good_token(alg).as_bytes()),
        );
        let signed = [&[1u8, i as u8][..], GOOD_CLAIMS.as_bytes()].concat();
        write(
            "verify",
            &format!("sign-{}", alg.name().to_ascii_lowercase()),
            &signed,
        );
    }
    let header_and_payload = [
        &[3u8, 0][..],
        br#"{"alg":"HS256","crit":["b64"],"b64":true,"typ":"at+jwt"}"#,
        &[0],
        GOOD_CLAIMS.as_bytes(),
    ]
    .concat();
    write("verify", "sign-own-header", &header_and_payload);
    for (name, t) in &attacks {
        write("verify", name, &moded(0, t.as_bytes()));
    }
    // claims: payloads behind a valid HS256 signature.
    for (name, c) in [
        ("good", GOOD_CLAIMS.to_string()),
        ("aud-array-scp", r#"{"iss":"https://issuer.example","aud":["x","api://jwsgate"],"exp":1.7000006e9,"nbf":1699999999,"scp":["a","b"],"client_id":"c"}"#.into()),
        ("escapes", r#"{"iss":"https:\/\/issuer.example","aud":"api:\/\/jwsgate","exp":1700000600,"sub":"\u00e9\ud83d\ude00"}"#.into()),
        ("exp-string", r#"{"iss":"https://issuer.example","aud":"api://jwsgate","exp":"1700000600"}"#.into()),
        ("exp-huge", r#"{"iss":"https://issuer.example","aud":"api://jwsgate","exp":1e400}"#.into()),
        ("expired-boundary", r#"{"iss":"https://issuer.example","aud":"api://jwsgate","exp":1699999940}"#.into()),
        ("dup-claims", r#"{"iss":"https://issuer.example","aud":"api://jwsgate","exp":1700000600,"\u0065xp":1}"#.into()),
        ("deep", format!(r#"{{"exp":1700000600,"x":{}{}}}"#, "{\"a\":".repeat(30), "}".repeat(30))),
        ("not-object", "[1700000600]".into()),
        ("nbf-future", r#"{"iss":"https://issuer.example","aud":"api://jwsgate","exp":1700000600,"nbf":1700000061}"#.into()),
        ("iat-future", r#"{"iss":"https://issuer.example","aud":"api://jwsgate","exp":1700000600,"iat":1700000061}"#.into()),
        ("wrong-iss", r#"{"iss":"https://issuer.example/","aud":"api://jwsgate","exp":1700000600}"#.into()),
        ("many-aud", format!(r#"{{"exp":1700000600,"aud":[{}]}}"#, vec!["\"a\""; 65].join(","))),
        // Exact NumericDates: valid only when read exactly (an f64 rounds exp down to the
        // boundary second), a hair past now + leeway, and out of range.
        ("exact-exp-fraction", r#"{"iss":"https://issuer.example","aud":"api://jwsgate","exp":1699999940.0000001,"nbf":1.70000006e9}"#.into()),
        ("nbf-hair-late", r#"{"iss":"https://issuer.example","aud":"api://jwsgate","exp":1700000600,"nbf":1700000060.00000001}"#.into()),
        ("exp-negative", r#"{"iss":"https://issuer.example","aud":"api://jwsgate","exp":-1}"#.into()),
    ] {
        write("claims", name, c.as_bytes());
    }
    write(
        "claims",
        "not-utf8",
        b"{\"exp\":1700000600,\"sub\":\"\xff\"}",
    );
    let _ = Fixture::header(Algorithm::HS256);
}

/// Issue 14 seeds for `jwk_set`: each small-order Ed25519 encoding as a JWK Set and raw,
/// the identity as SPKI DER and PEM, a mixed-order and a non-canonical key, and public key
/// documents dressed to pass as HMAC secrets (BOM, UTF-16, escaped names).
fn write_degenerate_key_seeds() {
    let f = fixture();
    for (i, key) in entry::ed25519_small_order().iter().enumerate() {
        let jwks = format!(
            r#"{{"keys":[{{"kty":"OKP","crv":"Ed25519","x":"{}"}}]}}"#,
            b64(key)
        );
        write(
            "jwk_set",
            &format!("ed25519-small-order-{i:02}"),
            jwks.as_bytes(),
        );
        write("jwk_set", &format!("ed25519-small-order-{i:02}.raw"), key);
    }
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let spki = [
        &[
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ][..],
        &identity,
    ]
    .concat();
    write("jwk_set", "ed25519-identity.spki.der", &spki);
    let pem = format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        <base64ct::Base64 as base64ct::Encoding>::encode_string(&spki)
    );
    write("jwk_set", "ed25519-identity.pem", pem.as_bytes());
    // The base point plus an order-8 point; y = p + 2 (non-canonical); y = 2 (off curve).
    for (name, x) in [
        (
            "ed25519-mixed-order",
            "2pnii6Upzd41ol-6kFnnjsruI5-ZdVubGqT2XfAIA-I",
        ),
        (
            "ed25519-y-over-p",
            "7________________________________________38",
        ),
        (
            "ed25519-off-curve",
            "AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ),
    ] {
        let jwk = format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{x}"}}"#);
        write("jwk_set", name, jwk.as_bytes());
    }
    let jwks = f.jwks();
    write(
        "jwk_set",
        "jwks-bom",
        &[&b"\xef\xbb\xbf"[..], jwks.as_bytes()].concat(),
    );
    let utf16: Vec<u8> = format!("\u{feff}{}", f.jwk(KeyKind::Ed25519))
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    write("jwk_set", "jwk-utf16le", &utf16);
    let escaped = f
        .jwk(KeyKind::EcP256)
        .replace(r#""kty""#, r#""\u006b\u0074\u0079""#);
    write("jwk_set", "jwk-escaped-kty", escaped.as_bytes());
}

/// The small-order oracle of `jwk_set` (`entry::forges_with_torsion_r`) is sound: under
/// ring, with its fixed messages, each of the 8 small-order keys forges; a real key never
/// does.
#[test]
fn the_small_order_oracle_forges_with_every_small_order_key() {
    use ring::signature::{ED25519, UnparsedPublicKey};
    let ring_forges = |key: &[u8]| {
        entry::forges_with_torsion_r(|msg, sig| {
            UnparsedPublicKey::new(&ED25519, key)
                .verify(msg, sig)
                .is_ok()
        })
    };
    for key in entry::ed25519_small_order().iter().take(8) {
        assert!(ring_forges(key), "{key:02x?}");
    }
    assert!(!ring_forges(&fixture().public_raw(KeyKind::Ed25519).0));
}

#[test]
#[ignore = "writes the issue-14 seeds only; run with JWSGATE_WRITE_CORPUS=1"]
fn write_degenerate_key_seed_corpus() {
    if std::env::var_os("JWSGATE_WRITE_CORPUS").is_some() {
        write_degenerate_key_seeds();
    }
}
