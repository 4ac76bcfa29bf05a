//! Attack class: degenerate public keys — keys that are well-formed on the wire but make
//! signatures forgeable or meaningless. Issue 14, item 1: ring verifies Ed25519 signatures
//! under a small-order public key, so with the identity point as the key the signature
//! `01 00…00 ‖ 00…00` verifies for any header and claims. Every check that the key alone
//! allows is made at load, through every entry point (raw components, JWK, JWK Set, SPKI
//! DER, PEM SPKI, PEM PKCS#1); a JWK Set holding such a key is refused whole, like any
//! malformed key of a supported type (`KeySet::from_jwks`).

mod common;

use common::*;
use jwsgate::{ConfigError, KeyKind, KeySet, PublicKey, Verifier};
use ring::signature::{ED25519, UnparsedPublicKey};

// ---------------------------------------------------------------------------------------
// encoders for the entry points

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// One DER element.
fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
    let len = contents.len();
    let mut out = vec![tag];
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(contents);
    out
}

/// A positive DER INTEGER from big-endian magnitude bytes (minimal, sign octet added).
fn der_uint(magnitude: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = magnitude.iter().copied().skip_while(|b| *b == 0).collect();
    let mut contents = Vec::new();
    if trimmed.first().is_none_or(|b| b & 0x80 != 0) {
        contents.push(0);
    }
    contents.extend_from_slice(&trimmed);
    tlv(0x02, &contents)
}

fn spki(algorithm: &[u8], key: &[u8]) -> Vec<u8> {
    let bits = [&[0u8][..], key].concat();
    tlv(0x30, &[tlv(0x30, algorithm), tlv(0x03, &bits)].concat())
}

fn ed25519_spki(key: &[u8]) -> Vec<u8> {
    spki(&tlv(0x06, &[0x2b, 0x65, 0x70]), key)
}

fn pkcs1(n: &[u8], e: &[u8]) -> Vec<u8> {
    tlv(0x30, &[der_uint(n), der_uint(e)].concat())
}

fn rsa_spki(n: &[u8], e: &[u8]) -> Vec<u8> {
    let alg = [
        tlv(0x06, &hex("2a864886f70d010101")),
        vec![0x05, 0x00], // NULL
    ]
    .concat();
    spki(&alg, &pkcs1(n, e))
}

fn ec_spki(kind: KeyKind, point: &[u8]) -> Vec<u8> {
    let curve = match kind {
        KeyKind::EcP256 => hex("2a8648ce3d030107"),
        KeyKind::EcP384 => hex("2b81040022"),
        _ => hex("2b81040023"),
    };
    let alg = [tlv(0x06, &hex("2a8648ce3d0201")), tlv(0x06, &curve)].concat();
    spki(&alg, point)
}

fn pem(label: &str, der: &[u8]) -> Vec<u8> {
    let body = <base64ct::Base64 as base64ct::Encoding>::encode_string(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
    .into_bytes()
}

fn ed25519_jwk(key: &[u8]) -> String {
    format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{}"}}"#, b64(key))
}

fn rsa_jwk(n: &[u8], e: &[u8]) -> String {
    format!(r#"{{"kty":"RSA","n":"{}","e":"{}"}}"#, b64(n), b64(e))
}

fn ec_jwk(kind: KeyKind, point: &[u8]) -> String {
    let crv = match kind {
        KeyKind::EcP256 => "P-256",
        KeyKind::EcP384 => "P-384",
        _ => "P-521",
    };
    let coord = (point.len() - 1) / 2;
    format!(
        r#"{{"kty":"EC","crv":"{crv}","x":"{}","y":"{}"}}"#,
        b64(&point[1..1 + coord]),
        b64(&point[1 + coord..])
    )
}

/// A JWK Set holding the fixture's good keys and then `jwk`.
fn set_with(jwk: &str) -> String {
    let f = fixture();
    format!(
        r#"{{"keys":[{},{},{jwk}]}}"#,
        f.jwk(KeyKind::Rsa),
        f.jwk(KeyKind::Ed25519)
    )
}

/// Every entry point's verdict on one key, labelled.
fn through_every_entry_point(
    raw: Result<PublicKey, ConfigError>,
    jwk: &str,
    der: &[u8],
    pem_label: &str,
    pem_der: &[u8],
) -> Vec<(&'static str, Result<(), ConfigError>)> {
    let ok = |r: Result<PublicKey, ConfigError>| r.map(|_| ());
    vec![
        ("components", ok(raw)),
        ("JWK", ok(PublicKey::from_jwk(jwk.as_bytes()))),
        (
            "JWK Set",
            KeySet::from_jwks(set_with(jwk).as_bytes()).map(|_| ()),
        ),
        ("SPKI DER", ok(PublicKey::from_spki_der(der))),
        ("PEM", ok(PublicKey::from_pem(&pem(pem_label, pem_der)))),
    ]
}

#[track_caller]
fn assert_all_invalid(what: &str, verdicts: Vec<(&'static str, Result<(), ConfigError>)>) {
    for (entry, verdict) in verdicts {
        assert!(
            matches!(verdict, Err(ConfigError::InvalidKey(_))),
            "{what} through {entry}: {verdict:?}"
        );
    }
}

#[track_caller]
fn assert_all_accepted(what: &str, verdicts: Vec<(&'static str, Result<(), ConfigError>)>) {
    for (entry, verdict) in verdicts {
        assert_eq!(verdict, Ok(()), "{what} through {entry}");
    }
}

fn ed25519_everywhere(key: &[u8]) -> Vec<(&'static str, Result<(), ConfigError>)> {
    let der = ed25519_spki(key);
    through_every_entry_point(
        PublicKey::from_ed25519(key),
        &ed25519_jwk(key),
        &der,
        "PUBLIC KEY",
        &der,
    )
}

// ---------------------------------------------------------------------------------------
// Ed25519

/// The small-order encodings, written out here independently of the library's list
/// (libsodium's `ge25519_has_small_order` blocklist, with both sign bits).
const SMALL_ORDER_HEX: [(&str, &str); 14] = [
    (
        "0000000000000000000000000000000000000000000000000000000000000000",
        "y = 0, order 4",
    ),
    (
        "0000000000000000000000000000000000000000000000000000000000000080",
        "y = 0, other x, order 4",
    ),
    (
        "0100000000000000000000000000000000000000000000000000000000000000",
        "identity",
    ),
    (
        "0100000000000000000000000000000000000000000000000000000000000080",
        "identity, sign bit (non-canonical)",
    ),
    (
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "order 8",
    ),
    (
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "order 8",
    ),
    (
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "order 8",
    ),
    (
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        "order 8",
    ),
    (
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "y = p - 1, order 2",
    ),
    (
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "y = p - 1, sign bit (non-canonical)",
    ),
    (
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "y = p (non-canonical 0)",
    ),
    (
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "y = p, sign bit",
    ),
    (
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "y = p + 1 (non-canonical identity)",
    ),
    (
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "y = p + 1, sign bit",
    ),
];

/// Issue 14 item 1: each small-order encoding is refused through every entry point.
#[test]
fn small_order_ed25519_keys_are_refused_through_every_entry_point() {
    for (key, what) in SMALL_ORDER_HEX {
        assert_all_invalid(what, ed25519_everywhere(&hex(key)));
    }
    // The control: the fixture's own key passes every entry point.
    let good = fixture().public_raw(KeyKind::Ed25519).0;
    assert_all_accepted("fixture Ed25519 key", ed25519_everywhere(&good));
}

/// Non-canonical `y` (≥ p), encodings off the curve and points with a small-order
/// component are refused too.
#[test]
fn non_canonical_off_curve_and_mixed_order_ed25519_keys_are_refused() {
    let mut cases: Vec<(Vec<u8>, String)> = Vec::new();
    // y = p + k for k = 2..=18 (every other value ≥ p), both sign bits.
    for k in 2u8..=18 {
        let mut y = hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        y[0] += k;
        cases.push((y.clone(), format!("y = p + {k}")));
        y[31] |= 0x80;
        cases.push((y, format!("y = p + {k}, sign bit")));
    }
    // y = 2, 7, 8, 11, 12: (y² − 1) / (d·y² + 1) is not a square (computed with Python's
    // integers from RFC 8032 §5.1.3), so no x exists.
    for y in [2u8, 7, 8, 11, 12] {
        let mut enc = [0u8; 32];
        enc[0] = y;
        cases.push((enc.to_vec(), format!("y = {y}, off the curve")));
    }
    // B + T: the base point plus an order-8 point (RFC 8032 arithmetic, Python): on the
    // curve, canonical, not small order, but outside the prime-order subgroup.
    cases.push((
        hex("da99e28ba529cdde35a25fba9059e78ecaee239f99755b9b1aa4f65df00803e2"),
        "base point + order-8 point".into(),
    ));
    for (key, what) in cases {
        assert_all_invalid(&what, ed25519_everywhere(&key));
    }
    // The control: the base point itself (RFC 8032 §5.1) is a valid key.
    let base = hex("5866666666666666666666666666666666666666666666666666666666666666");
    assert_all_accepted("base point", ed25519_everywhere(&base));
}

/// The JWK Set of the issue: the identity as `x`.
const IDENTITY_JWKS: &str =
    r#"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}]}"#;

/// Issue 14 item 1, end to end: with the identity key, the signature `01 00…00 ‖ 00…00`
/// verifies any message under ring (shown here, so the test fails if that ever changes
/// its meaning), and jwsgate refuses the key at load, so no verifier can hold it; a
/// verifier with real keys refuses the forged token.
#[test]
fn the_forged_identity_token_is_refused_end_to_end() {
    let identity = hex("0100000000000000000000000000000000000000000000000000000000000000");
    let mut forged_sig = [0u8; 64];
    forged_sig[0] = 1;
    let header = r#"{"alg":"EdDSA","typ":"JWT"}"#;
    let claims =
        r#"{"iss":"https://issuer.example","aud":"api://jwsgate","sub":"admin","exp":99999999999}"#;
    let input = format!("{}.{}", b64(header.as_bytes()), b64(claims.as_bytes()));
    let token = format!("{input}.{}", b64(&forged_sig));
    // ring alone accepts the forgery: the attack is real.
    assert!(
        UnparsedPublicKey::new(&ED25519, &identity)
            .verify(input.as_bytes(), &forged_sig)
            .is_ok()
    );
    // jwsgate refuses the key, whatever the entry point.
    assert!(matches!(
        KeySet::from_jwks(IDENTITY_JWKS.as_bytes()),
        Err(ConfigError::InvalidKey(_))
    ));
    assert_all_invalid("identity", ed25519_everywhere(&identity));
    // And a verifier with real keys refuses the forged token.
    assert_code(
        &fixture().asymmetric_verifier(),
        &token,
        "invalid_signature",
    );
}

/// The all-zero key (order 4): the same forged signature verifies under ring for about a
/// quarter of messages; jwsgate refuses the key.
#[test]
fn the_order_4_key_forgery_is_refused_at_load() {
    let zero = [0u8; 32];
    let mut forged_sig = [0u8; 64];
    forged_sig[0] = 1;
    let forged = (0..64)
        .filter(|i| {
            let msg = format!("eyJhbGciOiJFZERTQSJ9.{}", b64(format!("{i}").as_bytes()));
            UnparsedPublicKey::new(&ED25519, &zero)
                .verify(msg.as_bytes(), &forged_sig)
                .is_ok()
        })
        .count();
    assert!(forged > 0, "ring accepted no forgery under the order-4 key");
    assert_all_invalid("all-zero key", ed25519_everywhere(&zero));
}

// ---------------------------------------------------------------------------------------
// RSA

/// `n · k` for a small `k` (big-endian).
fn mul_small(n: &[u8], k: u32) -> Vec<u8> {
    let mut out = vec![0u8; n.len() + 4];
    let mut carry = 0u64;
    for (o, b) in out
        .iter_mut()
        .rev()
        .zip(n.iter().rev().chain([0u8; 4].iter()))
    {
        let v = u64::from(*b) * u64::from(k) + carry;
        *o = v as u8;
        carry = v >> 8;
    }
    out.into_iter().skip_while(|b| *b == 0).collect()
}

fn rsa_everywhere(n: &[u8], e: &[u8]) -> Vec<(&'static str, Result<(), ConfigError>)> {
    let der = rsa_spki(n, e);
    let mut verdicts = through_every_entry_point(
        PublicKey::from_rsa_components(n, e),
        &rsa_jwk(n, e),
        &der,
        "PUBLIC KEY",
        &der,
    );
    let pkcs1_pem = pem("RSA PUBLIC KEY", &pkcs1(n, e));
    verdicts.push(("PKCS#1 PEM", PublicKey::from_pem(&pkcs1_pem).map(|_| ())));
    verdicts
}

/// A modulus with a small prime factor (3, 5, 997: a multiple of the fixture's modulus)
/// is refused through every entry point; 1009, the first prime above the trial-division
/// bound of 1000, is not looked for (the documented limit of the check).
#[test]
fn rsa_moduli_with_small_prime_factors_are_refused() {
    let (n, e) = fixture().public_raw(KeyKind::Rsa);
    assert_all_accepted("fixture modulus", rsa_everywhere(&n, &e));
    for k in [3, 5, 7, 3 * 5, 101, 997] {
        assert_all_invalid(&format!("n · {k}"), rsa_everywhere(&mul_small(&n, k), &e));
    }
    assert_all_accepted("n · 1009", rsa_everywhere(&mul_small(&n, 1009), &e));
}

/// An even modulus is refused through every entry point.
#[test]
fn rsa_even_moduli_are_refused() {
    let (n, e) = fixture().public_raw(KeyKind::Rsa);
    for k in [2, 4, 1024] {
        assert_all_invalid(&format!("n · {k}"), rsa_everywhere(&mul_small(&n, k), &e));
    }
}

/// Exponent 1 (the signature is the padded message itself), even exponents and
/// exponents over ring's 2^33 − 1 are refused through every entry point; 3 and 65537
/// are accepted.
#[test]
fn rsa_exponents_one_even_or_huge_are_refused() {
    let (n, _) = fixture().public_raw(KeyKind::Rsa);
    for e in [
        &[1u8][..],
        &[2],
        &[4],
        &[1, 0, 0],
        &[2, 0, 0, 0, 1],
        &[1, 0, 0, 0, 0, 1],
    ] {
        assert_all_invalid(&format!("e = {e:02x?}"), rsa_everywhere(&n, e));
    }
    for e in [&[3u8][..], &[1, 0, 1]] {
        assert_all_accepted(&format!("e = {e:02x?}"), rsa_everywhere(&n, e));
    }
}

/// Leading zero octets cannot pad a small key past the size floor: the size counts bits
/// of the value (JWK members are taken leniently, as some encoders emit a sign octet),
/// and DER refuses non-minimal INTEGERs outright.
#[test]
fn leading_zeros_do_not_hide_a_small_rsa_key() {
    let der = pem_body(include_str!("data/rsa1024.spki.pem"));
    let small = PublicKey::from_spki_der(&der).unwrap_err();
    assert_eq!(small, ConfigError::RsaKeyTooSmall { bits: 1024 });
    // The same modulus (from the fixture's 2048-bit one: its first 128 bytes, made odd),
    // padded with 200 zero octets in a JWK.
    let (n, e) = fixture().public_raw(KeyKind::Rsa);
    let mut n1024 = n[..128].to_vec();
    n1024[127] |= 1;
    let padded = [vec![0u8; 200], n1024].concat();
    assert!(matches!(
        PublicKey::from_jwk(rsa_jwk(&padded, &e).as_bytes()),
        Err(ConfigError::RsaKeyTooSmall { bits: 1024 })
    ));
    // A non-minimal DER INTEGER (an extra zero octet) in PKCS#1 is malformed.
    let mut contents = vec![0u8, 0];
    contents.extend_from_slice(&n);
    let bad = tlv(0x30, &[tlv(0x02, &contents), der_uint(&e)].concat());
    assert!(matches!(
        PublicKey::from_pem(&pem("RSA PUBLIC KEY", &bad)),
        Err(ConfigError::InvalidKey(_))
    ));
}

fn pem_body(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    <base64ct::Base64 as base64ct::Encoding>::decode_vec(&body).unwrap()
}

// ---------------------------------------------------------------------------------------
// EC

fn ec_everywhere(kind: KeyKind, point: &[u8]) -> Vec<(&'static str, Result<(), ConfigError>)> {
    let der = ec_spki(kind, point);
    through_every_entry_point(
        PublicKey::from_ec_point(kind, point),
        &ec_jwk(kind, point),
        &der,
        "PUBLIC KEY",
        &der,
    )
}

const EC_KINDS: [KeyKind; 3] = [KeyKind::EcP256, KeyKind::EcP384, KeyKind::EcP521];

/// A point off its curve (one bit of `y` flipped), and `(0, 0)`, are refused through
/// every entry point, on every curve.
#[test]
fn ec_points_off_the_curve_are_refused() {
    for kind in EC_KINDS {
        let good = fixture().public_raw(kind).0;
        assert_all_accepted(&format!("{kind:?} fixture"), ec_everywhere(kind, &good));
        let mut off = good.clone();
        *off.last_mut().unwrap() ^= 1;
        assert_all_invalid(&format!("{kind:?} y flipped"), ec_everywhere(kind, &off));
        let mut zero = vec![0u8; good.len()];
        zero[0] = 0x04;
        assert_all_invalid(&format!("{kind:?} (0, 0)"), ec_everywhere(kind, &zero));
    }
}

/// Big-endian `a + b` into `len` octets.
fn add_be(a: &[u8], b: u32, len: usize) -> Vec<u8> {
    add_be_bytes(a, &b.to_be_bytes(), len)
}

/// A coordinate written as itself plus p (same value mod p, not a field element) is
/// refused through every entry point. The points have small x (found with Python:
/// x = 5 on P-256, 2 on P-384, 1 on P-521, y the smaller square root of x³ − 3x + b),
/// so that x + p still fits in the coordinate's octets; the points themselves are
/// accepted (the control). On P-521 y + p fits too.
#[test]
fn ec_coordinates_at_or_above_p_are_refused() {
    let cases = [
        (
            KeyKind::EcP256,
            5u32,
            "459243b9aa581806fe913bce99817ade11ca503c64d9a3c533415c083248fbcc",
            "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        ),
        (
            KeyKind::EcP384,
            2,
            "732152442fb6ee5c3e6ce1d920c059bc623563814d79042b903ce60f1d4487fccd450a86da03f3e6ed525d02017bfdb3",
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
        ),
        (
            KeyKind::EcP521,
            1,
            "0010e59be93c4f269c0269c79e2afd65d6aeaa9b701eacc194fb3ee03df47849bf550ec636ebee0ddd4a16f1cd9406605af38f584567770e3f272d688c832e843564",
            "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        ),
    ];
    for (kind, x, y, p) in cases {
        let (y, p) = (hex(y), hex(p));
        let len = y.len();
        let x_bytes = add_be(&[], x, len);
        let point = [&[4u8][..], &x_bytes, &y].concat();
        assert_all_accepted(&format!("{kind:?} x = {x}"), ec_everywhere(kind, &point));
        let x_plus_p = add_be(&p, x, len);
        let big_x = [&[4u8][..], &x_plus_p, &y].concat();
        assert_all_invalid(&format!("{kind:?} x + p"), ec_everywhere(kind, &big_x));
        if kind == KeyKind::EcP521 {
            let y_plus_p = add_be_bytes(&p, &y, len);
            let big_y = [&[4u8][..], &x_bytes, &y_plus_p].concat();
            assert_all_invalid("P-521 y + p", ec_everywhere(kind, &big_y));
        }
    }
}

/// Big-endian `a + b` into `len` octets.
fn add_be_bytes(a: &[u8], b: &[u8], len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    let mut carry = 0u16;
    let pad = |v: &[u8]| [vec![0u8; len - v.len()], v.to_vec()].concat();
    let (a, b) = (pad(a), pad(b));
    for ((o, x), y) in out.iter_mut().zip(&a).zip(&b).rev() {
        let v = u16::from(*x) + u16::from(*y) + carry;
        *o = v as u8;
        carry = v >> 8;
    }
    out
}

/// The point at infinity (SEC1 `00`), hybrid points (`06`, `07`) and malformed lengths
/// are refused in SPKI and as raw points; compressed points (`02`, `03`) are an
/// unsupported format (skipped in a set), never accepted.
#[test]
fn ec_points_at_infinity_hybrid_or_compressed_are_refused() {
    for kind in EC_KINDS {
        let good = fixture().public_raw(kind).0;
        let coord = (good.len() - 1) / 2;
        let mut hybrid = good.clone();
        hybrid[0] = 0x06 | (good[good.len() - 1] & 1);
        for (what, point) in [
            ("infinity", vec![0u8]),
            ("hybrid", hybrid),
            ("truncated", good[..good.len() - 1].to_vec()),
        ] {
            assert!(
                matches!(
                    PublicKey::from_ec_point(kind, &point),
                    Err(ConfigError::InvalidKey(_))
                ),
                "{kind:?} {what}"
            );
            assert!(
                matches!(
                    PublicKey::from_spki_der(&ec_spki(kind, &point)),
                    Err(ConfigError::InvalidKey(_))
                ),
                "{kind:?} {what} SPKI"
            );
        }
        let compressed = [&[0x02 | (good[good.len() - 1] & 1)][..], &good[1..=coord]].concat();
        assert!(matches!(
            PublicKey::from_spki_der(&ec_spki(kind, &compressed)),
            Err(ConfigError::UnsupportedKey(_))
        ));
    }
}

/// The verifier builds with the good keys only: a set that held a degenerate key is
/// refused whole (the consistent rule: a malformed key of a supported type is a broken
/// or tampered document, not a key to skip).
#[test]
fn a_set_with_one_degenerate_key_is_refused_whole() {
    let f = fixture();
    for bad in [
        ed25519_jwk(&hex(
            "0100000000000000000000000000000000000000000000000000000000000000",
        )),
        rsa_jwk(&mul_small(&f.public_raw(KeyKind::Rsa).0, 3), &[1, 0, 1]),
    ] {
        let err = KeySet::from_jwks(set_with(&bad).as_bytes()).unwrap_err();
        assert!(matches!(err, ConfigError::InvalidKey(_)), "{err:?}");
    }
    let good = KeySet::from_jwks(f.jwks().as_bytes()).unwrap();
    assert!(
        Verifier::builder()
            .key_set(good)
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .build()
            .is_ok()
    );
}

// ---------------------------------------------------------------------------------------
// the CLI

#[cfg(feature = "cli")]
mod cli {
    use std::process::Command;

    use super::*;

    fn write(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("jwsgate-degenerate-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn exit_code(flag: &str, path: &std::path::Path, token: &str) -> (i32, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_jwsgate"))
            .args(["verify", flag])
            .arg(path)
            .args(["--issuer", ISSUER, "--audience", AUDIENCE, token])
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Issue 14 item 1 on the CLI: the JWK Set of the issue (and a PEM of a small-order
    /// key) is a configuration error, exit 2, nothing on stdout; the forged token is never
    /// judged.
    #[test]
    fn cli_exits_2_on_a_small_order_key() {
        let mut forged_sig = [0u8; 64];
        forged_sig[0] = 1;
        let input = format!(
            "{}.{}",
            b64(br#"{"alg":"EdDSA"}"#),
            b64(GOOD_CLAIMS.as_bytes())
        );
        let token = format!("{input}.{}", b64(&forged_sig));
        let jwks = write("identity.jwks.json", IDENTITY_JWKS.as_bytes());
        let zero_pem = write("zero.pem", &pem("PUBLIC KEY", &ed25519_spki(&[0; 32])));
        let small_rsa = write(
            "rsa-times-3.json",
            rsa_jwk(
                &mul_small(&fixture().public_raw(KeyKind::Rsa).0, 3),
                &[1, 0, 1],
            )
            .as_bytes(),
        );
        for (flag, path) in [
            ("--jwks", &jwks),
            ("--public-key", &zero_pem),
            ("--public-key", &small_rsa),
        ] {
            let (code, stdout, stderr) = exit_code(flag, path, &token);
            assert_eq!(code, 2, "{flag} {}: {stdout} {stderr}", path.display());
            assert!(stdout.is_empty(), "{stdout}");
            assert!(stderr.contains("invalid key"), "{stderr}");
        }
        let _ = std::fs::remove_dir_all(jwks.parent().unwrap());
    }
}
