//! Attack class: public key material taken as an HMAC secret (CVE-2022-29217; issue 14,
//! item 2). An operator who hands the public key file to the HMAC key source lets anyone
//! holding the public key forge HS* tokens. The first-bytes check (`{`, `-----`) let a
//! UTF-8 BOM in front of a JWK Set through; every other dress of the same bytes must be
//! refused too. The table below is built from the repository's test keys (tests/data,
//! examples/) and the fixture's keys, dressed every way; each is `WeakHmacKey` from
//! `StrongHmacKey::new`, and exit 2 from `jwsgate verify --hmac-key` (which calls it).

mod common;

use common::*;
use jwsgate::{ConfigError, KeyKind, StrongHmacKey};

/// A self-signed X.509 certificate of `tests/data/ed25519.pk8.der`:
/// `openssl req -x509 -key <that key as PEM> -subj "/CN=jwsgate test" -days 36500 -set_serial 1`.
const ED25519_CERT_PEM: &str = concat!(
    "-----BEGIN CERTIFICATE-----\n",
    "MIIBMTCB5KADAgECAgEBMAUGAytlcDAXMRUwEwYDVQQDDAxqd3NnYXRlIHRlc3Qw\n",
    "IBcNMjYxMTI5MjA1NjUwWhgPMjEyNjExMDUyMDU2NTBaMBcxFTATBgNVBAMMDGp3\n",
    "c2dhdGUgdGVzdDAqMAUGAytlcAMhAOi9uuW/Hp04dpCVcnDG7C9rlOkR2Wjm4e6M\n",
    "JwITRL1to1MwUTAdBgNVHQ4EFgQU3sbFy6mwhi9vZ/1HJnSPho8WuGQwHwYDVR0j\n",
    "BBgwFoAU3sbFy6mwhi9vZ/1HJnSPho8WuGQwDwYDVR0TAQH/BAUwAwEB/zAFBgMr\n",
    "ZXADQQBENZFDI3ch4etKCEFe+SP0TJu8p7AIOEj+5LjVvbqRaQCUf62CNIRAE93b\n",
    "ImrJzs/q0Q3ciM6H27rOeaMb+HgE\n",
    "-----END CERTIFICATE-----\n",
);

/// The same for `tests/data/rsa2048.pk8.der`.
const RSA_CERT_PEM: &str = concat!(
    "-----BEGIN CERTIFICATE-----\n",
    "MIIC/jCCAeagAwIBAgIBATANBgkqhkiG9w0BAQsFADAXMRUwEwYDVQQDDAxqd3Nn\n",
    "YXRlIHRlc3QwIBcNMjYxMTI5MjA1NjUwWhgPMjEyNjExMDUyMDU2NTBaMBcxFTAT\n",
    "BgNVBAMMDGp3c2dhdGUgdGVzdDCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoC\n",
    "ggEBAKQjbOsKjo4TYSurWb+rL7iL44N58D+SVDqayQzH2gpLbaTIkBkQ47Fd4w9a\n",
    "j4n/b5KLj9AakXmACVG00lwMgCLr3OeNHxx52RjqQKna0e9NCY6pmOhOTYxMpWWa\n",
    "MBSmcNj3XuGb4K4BlVTgzddoXpvUkib/UXBrzz5FfKrh8D0kLBCnm9+A4/0vtEJO\n",
    "hNgTylcTVFJW1YRN6J0PR33N4E1TL27L40/H2VXEbvULj8EODODxHtEkULXo9d+X\n",
    "jANv0bUITWvEZ9yMY8ccwbCSiiuDM796bNRi8pDRdGFgCf9TFfd0OjlykKbV7kIQ\n",
    "VeLSfeJdLGuhDEtmT1CK/kFxP7ECAwEAAaNTMFEwHQYDVR0OBBYEFLRga76IZQaW\n",
    "o+gEiUBsS6kHr3YaMB8GA1UdIwQYMBaAFLRga76IZQaWo+gEiUBsS6kHr3YaMA8G\n",
    "A1UdEwEB/wQFMAMBAf8wDQYJKoZIhvcNAQELBQADggEBAJizud+c5WfshAhBWlaR\n",
    "pPO1narzZIBqOa8hoscLECdhF4D6/iqUVWP8lQKon/A4QGkJutThUcbQmoPD0pFM\n",
    "TFhfGNstdhWT3AF65ETgnXREzgV4CrK9eEEiJAXEg/CCIDE74qVlTaBjB2vp/Rtt\n",
    "rrVK0krcV7ZevaJTVDsRdWD0skaZRTAdY1iCWwvhaY6k7fxT9bNikg3x6cxsNrtO\n",
    "0ChX4W/vtUO14jTJzyFmwFrFyoJ9fjlhXdPOdRCe1JkwAgDMWa+GLZhxojy6yvCP\n",
    "wTQBf5kswmQ4tPlp3SZChQsW8EkTjdkRidE7TVKBShpHx8z2iP6g+WxY/DvEDsE7\n",
    "HY4=\n",
    "-----END CERTIFICATE-----\n",
);

fn repo_file(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn base64(bytes: &[u8]) -> String {
    <base64ct::Base64 as base64ct::Encoding>::encode_string(bytes)
}

fn pem_body(pem: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(pem).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    <base64ct::Base64 as base64ct::Encoding>::decode_vec(&body).unwrap()
}

fn utf16(text: &[u8], big_endian: bool, bom: bool) -> Vec<u8> {
    let text = std::str::from_utf8(text).unwrap();
    let prefix = if bom { "\u{feff}" } else { "" };
    format!("{prefix}{text}")
        .encode_utf16()
        .flat_map(|u| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

fn utf32(text: &[u8], big_endian: bool) -> Vec<u8> {
    let text = std::str::from_utf8(text).unwrap();
    format!("\u{feff}{text}")
        .chars()
        .flat_map(|c| {
            if big_endian {
                (c as u32).to_be_bytes()
            } else {
                (c as u32).to_le_bytes()
            }
        })
        .collect()
}

/// Every JSON member name written as `\uXXXX` escapes (`"kty"` → `"\u006b\u0074\u0079"`).
fn escape_member_names(json: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(json).unwrap();
    let mut out = String::new();
    let mut rest = text;
    // A member name is a string followed by `:`.
    while let Some(start) = rest.find('"') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after.find('"').unwrap();
        let name = &after[..end];
        let tail = &after[end + 1..];
        if tail.trim_start().starts_with(':') {
            out.push('"');
            for c in name.chars() {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            out.push('"');
        } else {
            out.push('"');
            out.push_str(name);
            out.push('"');
        }
        rest = tail;
    }
    out.push_str(rest);
    out.into_bytes()
}

/// The OpenSSH wire string: `uint32` length, bytes.
fn ssh_string(bytes: &[u8]) -> Vec<u8> {
    [&(bytes.len() as u32).to_be_bytes()[..], bytes].concat()
}

/// An RFC 4251 `mpint` from big-endian magnitude bytes.
fn ssh_mpint(magnitude: &[u8]) -> Vec<u8> {
    let mut m: Vec<u8> = magnitude.iter().copied().skip_while(|b| *b == 0).collect();
    if m.first().is_some_and(|b| b & 0x80 != 0) {
        m.insert(0, 0);
    }
    ssh_string(&m)
}

/// The fixture's keys as OpenSSH public key lines (RFC 4253 §6.6, RFC 5656 §3.1,
/// RFC 8709 §4), with their wire blobs.
fn openssh_keys() -> Vec<(String, Vec<u8>)> {
    let f = fixture();
    let (n, e) = f.public_raw(KeyKind::Rsa);
    let rsa = [ssh_string(b"ssh-rsa"), ssh_mpint(&e), ssh_mpint(&n)].concat();
    let ed = [
        ssh_string(b"ssh-ed25519"),
        ssh_string(&f.public_raw(KeyKind::Ed25519).0),
    ]
    .concat();
    let ec = |kind, curve: &str| {
        let name = format!("ecdsa-sha2-{curve}");
        let blob = [
            ssh_string(name.as_bytes()),
            ssh_string(curve.as_bytes()),
            ssh_string(&f.public_raw(kind).0),
        ]
        .concat();
        (name, blob)
    };
    let mut keys = vec![
        ("ssh-rsa".to_string(), rsa),
        ("ssh-ed25519".to_string(), ed),
    ];
    keys.push(ec(KeyKind::EcP256, "nistp256"));
    keys.push(ec(KeyKind::EcP384, "nistp384"));
    keys.push(ec(KeyKind::EcP521, "nistp521"));
    keys
}

/// Public key documents: (name, bytes, is text).
fn documents() -> Vec<(String, Vec<u8>, bool)> {
    let f = fixture();
    let mut docs: Vec<(String, Vec<u8>, bool)> = vec![
        ("fixture JWK Set".into(), f.jwks().into_bytes(), true),
        (
            "examples/jwks.json".into(),
            repo_file("examples/jwks.json"),
            true,
        ),
        (
            "tests/data/rsa2048.spki.pem".into(),
            repo_file("tests/data/rsa2048.spki.pem"),
            true,
        ),
        (
            "tests/data/rsa2048.pkcs1.pem".into(),
            repo_file("tests/data/rsa2048.pkcs1.pem"),
            true,
        ),
        (
            "tests/data/rsa1024.spki.pem".into(),
            repo_file("tests/data/rsa1024.spki.pem"),
            true,
        ),
        (
            "Ed25519 certificate PEM".into(),
            ED25519_CERT_PEM.as_bytes().to_vec(),
            true,
        ),
        (
            "RSA certificate PEM".into(),
            RSA_CERT_PEM.as_bytes().to_vec(),
            true,
        ),
    ];
    for kind in [
        KeyKind::Rsa,
        KeyKind::EcP256,
        KeyKind::EcP384,
        KeyKind::EcP521,
        KeyKind::Ed25519,
    ] {
        docs.push((format!("{kind:?} JWK"), f.jwk(kind).into_bytes(), true));
    }
    for (name, blob) in openssh_keys() {
        docs.push((
            format!("OpenSSH {name}"),
            format!("{name} {} jwsgate@test\n", base64(&blob)).into_bytes(),
            true,
        ));
    }
    docs
}

/// Binary DER documents: SPKI, PKCS#1, certificates.
fn der_documents() -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "RSA SPKI DER".into(),
            pem_body(&repo_file("tests/data/rsa2048.spki.pem")),
        ),
        (
            "RSA PKCS#1 DER".into(),
            pem_body(&repo_file("tests/data/rsa2048.pkcs1.pem")),
        ),
        (
            "RSA-1024 SPKI DER".into(),
            pem_body(&repo_file("tests/data/rsa1024.spki.pem")),
        ),
        (
            "Ed25519 certificate DER".into(),
            pem_body(ED25519_CERT_PEM.as_bytes()),
        ),
        (
            "RSA certificate DER".into(),
            pem_body(RSA_CERT_PEM.as_bytes()),
        ),
    ]
}

/// Every dress of every document: the table of the issue.
fn dressed() -> Vec<(String, Vec<u8>)> {
    let mut cases = Vec::new();
    for (name, doc, _) in documents() {
        let text = String::from_utf8(doc.clone()).unwrap();
        let mut add = |dress: &str, bytes: Vec<u8>| cases.push((format!("{name}, {dress}"), bytes));
        add("as is", doc.clone());
        add("UTF-8 BOM", [&b"\xef\xbb\xbf"[..], &doc].concat());
        add(
            "BOM and white space",
            [&b"\xef\xbb\xbf \r\n\t"[..], &doc].concat(),
        );
        add("leading new lines", [&b"\n\n\n"[..], &doc].concat());
        add(
            "Unicode spaces",
            format!("\u{a0}\u{3000}\u{200b}{text}\u{2028}").into_bytes(),
        );
        add("CRLF", text.replace('\n', "\r\n").into_bytes());
        add("UTF-16 LE, BOM", utf16(&doc, false, true));
        add("UTF-16 LE, no BOM", utf16(&doc, false, false));
        add("UTF-16 BE, BOM", utf16(&doc, true, true));
        add("UTF-16 BE, no BOM", utf16(&doc, true, false));
        add("UTF-32 LE, BOM", utf32(&doc, false));
        add("UTF-32 BE, BOM", utf32(&doc, true));
        add("base64 of the file", base64(&doc).into_bytes());
        if text.trim_start().starts_with('{') {
            let escaped = escape_member_names(&doc);
            add("member names escaped", escaped.clone());
            add(
                "member names escaped, BOM",
                [&b"\xef\xbb\xbf"[..], &escaped].concat(),
            );
            add(
                "member names escaped, UTF-16 LE",
                utf16(&escaped, false, true),
            );
        }
    }
    let mut ders = der_documents();
    for (name, blob) in openssh_keys() {
        // The key blob without its type word: the base64 is the key.
        let body = base64(&blob);
        cases.push((
            format!("OpenSSH {name} blob, base64"),
            body.clone().into_bytes(),
        ));
        cases.push((format!("OpenSSH {name} blob, raw"), blob.clone()));
        cases.push((
            format!("OpenSSH {name}, authorized_keys options"),
            format!("no-pty,from=\"10.0.0.0/8\" {name} {body}").into_bytes(),
        ));
    }
    // Raw EC points (SEC1 uncompressed).
    for kind in [KeyKind::EcP256, KeyKind::EcP384, KeyKind::EcP521] {
        cases.push((format!("{kind:?} raw point"), fixture().public_raw(kind).0));
    }
    for (name, der) in ders.drain(..) {
        let b64 = base64(&der);
        let b64url = b64.replace('+', "-").replace('/', "_");
        let wrapped: Vec<String> = b64
            .as_bytes()
            .chunks(64)
            .map(|c| String::from_utf8(c.to_vec()).unwrap())
            .collect();
        let hex: String = der.iter().map(|b| format!("{b:02x}")).collect();
        let hex_colons: Vec<String> = der.iter().map(|b| format!("{b:02X}")).collect();
        let mut add = |dress: &str, bytes: Vec<u8>| cases.push((format!("{name}, {dress}"), bytes));
        add("binary", der.clone());
        add("base64 body", b64.clone().into_bytes());
        add(
            "base64 body, unpadded",
            b64.trim_end_matches('=').as_bytes().to_vec(),
        );
        add("base64 body, line-wrapped", wrapped.join("\n").into_bytes());
        add("base64url body", b64url.clone().into_bytes());
        add(
            "base64url body, unpadded",
            b64url.trim_end_matches('=').as_bytes().to_vec(),
        );
        add("base64 body, BOM", format!("\u{feff}{b64}\n").into_bytes());
        add("base64 body, UTF-16 LE", utf16(b64.as_bytes(), false, true));
        add("hex", hex.into_bytes());
        add("hex with colons", hex_colons.join(":").into_bytes());
        add(
            "PEM armor (UTF-16 BE)",
            utf16(
                format!(
                    "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
                    wrapped.join("\n")
                )
                .as_bytes(),
                true,
                false,
            ),
        );
    }
    cases
}

/// Issue 14 item 2: every dress of every public key document is `WeakHmacKey`.
#[test]
fn public_keys_in_every_dress_are_refused_as_hmac_secrets() {
    let cases = dressed();
    assert!(cases.len() > 200, "{}", cases.len());
    for (name, secret) in &cases {
        match StrongHmacKey::new(secret) {
            Err(ConfigError::WeakHmacKey(why)) => {
                assert!(why.contains("not"), "{name}: {why}");
            }
            other => panic!("{name}: {:?}", other.map(|_| ())),
        }
    }
    println!("{} dressed public key documents refused", cases.len());
}

/// A public JWK given to `StrongHmacKey::from_jwk` is refused the same way (the CLI
/// takes a JSON object as a JWK); an `oct` JWK is still read.
#[test]
fn public_jwks_are_refused_by_from_jwk_too() {
    let f = fixture();
    for kind in [KeyKind::Rsa, KeyKind::EcP256, KeyKind::Ed25519] {
        assert!(matches!(
            StrongHmacKey::from_jwk(f.jwk(kind).as_bytes()),
            Err(ConfigError::WeakHmacKey(_))
        ));
    }
    assert!(matches!(
        StrongHmacKey::from_jwk(f.jwks().as_bytes()),
        Err(ConfigError::WeakHmacKey(_))
    ));
    let oct = format!(r#"{{"kty":"oct","k":"{}"}}"#, b64(&HMAC_SECRET));
    assert!(StrongHmacKey::from_jwk(oct.as_bytes()).is_ok());
    assert!(StrongHmacKey::from_jwk(&repo_file("examples/hmac.jwk")).is_ok());
}

/// The controls: real secrets in the same dresses that carry no key are accepted — the
/// fixture secret, as base64, as hex, in UTF-16 (a secret may hold NUL bytes).
#[test]
fn real_secrets_in_the_same_dresses_are_accepted() {
    let hex: String = HMAC_SECRET.iter().map(|b| format!("{b:02x}")).collect();
    for secret in [
        HMAC_SECRET.to_vec(),
        base64(&HMAC_SECRET).into_bytes(),
        b64(&HMAC_SECRET).into_bytes(),
        hex.clone().into_bytes(),
        utf16(hex.as_bytes(), false, true),
        [&b"\xef\xbb\xbf"[..], base64(&HMAC_SECRET).as_bytes()].concat(),
    ] {
        assert!(
            StrongHmacKey::new(&secret).is_ok(),
            "{}",
            String::from_utf8_lossy(&secret)
        );
    }
}

/// The BOM-prefixed JWK Set of the issue, signed as an HS256 key: the token is correct for
/// that "secret" (ring verifies it), but the secret cannot be configured.
#[test]
fn the_bom_jwks_forgery_is_refused() {
    let secret = [&b"\xef\xbb\xbf"[..], fixture().jwks().as_bytes()].concat();
    let token = bom_forgery(&secret);
    let (input, tag) = token.rsplit_once('.').unwrap();
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &secret);
    let mut buf = vec![0; tag.len()];
    let tag = jwsgate::low_level::base64url::decode(tag.as_bytes(), &mut buf).unwrap();
    assert!(ring::hmac::verify(&key, input.as_bytes(), tag).is_ok());
    assert!(matches!(
        StrongHmacKey::new(&secret),
        Err(ConfigError::WeakHmacKey(_))
    ));
    // And a verifier of the real keys refuses it as the algorithm confusion it is.
    assert_code(
        &fixture().asymmetric_verifier(),
        &token,
        "algorithm_not_allowed",
    );
}

fn bom_forgery(secret: &[u8]) -> String {
    let header = r#"{"alg":"HS256","typ":"JWT"}"#;
    let input = format!("{}.{}", b64(header.as_bytes()), b64(GOOD_CLAIMS.as_bytes()));
    let tag = ring::hmac::sign(
        &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret),
        input.as_bytes(),
    );
    format!("{input}.{}", b64(tag.as_ref()))
}

#[cfg(feature = "cli")]
mod cli {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use super::*;

    fn dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("jwsgate-hmac-dress-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn verify(key: &Path, token: &str) -> (i32, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_jwsgate"))
            .args(["verify", "--hmac-key"])
            .arg(key)
            .args(["--issuer", ISSUER, "--audience", AUDIENCE])
            .args(["--now", &NOW.as_secs().to_string(), token])
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Every dress on the CLI: `--hmac-key <file>` exits 2 with the reason on stderr and
    /// nothing on stdout, before the token (forged with those very bytes) is judged. The
    /// control, the fixture secret, verifies its own token (exit 0).
    #[test]
    fn cli_exits_2_on_every_dress() {
        let dir = dir();
        for (i, (name, secret)) in dressed().iter().enumerate() {
            let path = dir.join(format!("key-{i}"));
            std::fs::write(&path, secret).unwrap();
            let (code, stdout, stderr) = verify(&path, &bom_forgery(secret));
            assert_eq!(code, 2, "{name}: {stdout} {stderr}");
            assert!(stdout.is_empty(), "{name}: {stdout}");
            assert!(stderr.contains("--hmac-key"), "{name}: {stderr}");
        }
        let good = dir.join("good");
        std::fs::write(&good, HMAC_SECRET).unwrap();
        let token = fixture().good_token(jwsgate::Algorithm::HS256);
        let (code, stdout, stderr) = verify(&good, &token);
        assert_eq!(code, 0, "{stdout} {stderr}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The end-to-end forgery of the issue on the CLI: the BOM-prefixed JWK Set file as
    /// `--hmac-key`, a token signed with its bytes: exit 2, the token never verifies.
    #[test]
    fn cli_refuses_the_bom_jwks_forgery() {
        let secret = [&b"\xef\xbb\xbf"[..], fixture().jwks().as_bytes()].concat();
        let path = dir().join("bom-jwks.json");
        std::fs::write(&path, &secret).unwrap();
        let (code, stdout, stderr) = verify(&path, &bom_forgery(&secret));
        assert_eq!(code, 2, "{stdout} {stderr}");
        assert!(
            stderr.contains("guessable") || stderr.contains("not"),
            "{stderr}"
        );
        let _ = std::fs::remove_file(&path);
    }
}
