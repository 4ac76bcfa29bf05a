//! The fuzz entry points, shared by the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`) and
//! the stable corpus replay (`tests/fuzz_corpus.rs`). Each checks invariants against an
//! independent oracle and panics when one breaks; "no crash" alone proves little.

use jwsgate::limits::{DEFAULT_MAX_TOKEN_BYTES, MAX_HEADER_BYTES, MAX_JWKS_BYTES, MAX_JWKS_KEYS};
use jwsgate::{Algorithm, AsymmetricAlg, Error, KeySet, PublicKey, Scratch, StrongHmacKey};

use jwsgate_fixtures::{self as fixture, AUDIENCE, Fixture, ISSUER, NOW, b64, fixture};

/// A base64url decoder written the plain way, as the oracle for jwsgate's strict one:
/// unpadded, the URL-safe alphabet only, length not 1 mod 4, zero trailing bits.
pub fn reference_b64_decode(src: &[u8]) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        } as u32)
    }
    if src.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::new();
    for chunk in src.chunks(4) {
        let mut acc = 0u32;
        for &c in chunk {
            acc = acc << 6 | val(c)?;
        }
        let bits = chunk.len() * 6;
        let bytes = bits / 8;
        let spare = bits - bytes * 8;
        if acc & ((1 << spare) - 1) != 0 {
            return None; // non-zero trailing bits: not canonical
        }
        let acc = acc >> spare;
        for i in (0..bytes).rev() {
            out.push((acc >> (8 * i)) as u8);
        }
    }
    Some(out)
}

/// jwsgate's decoder agrees with the reference, and decoding then re-encoding gives back
/// the original text.
fn check_b64(segment: &[u8]) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; segment.len()];
    let ours = jwsgate::base64url::decode(segment, &mut buf).map(<[u8]>::to_vec);
    let reference = reference_b64_decode(segment);
    assert_eq!(ours, reference, "base64url disagrees with the reference");
    let mut vec = Vec::new();
    let ok = jwsgate::base64url::decode_into_vec(segment, &mut vec);
    assert_eq!(
        ok.map(|_| vec.clone()),
        reference,
        "decode_into_vec disagrees"
    );
    // The table-driven decoder the verify path uses for the token's public segments.
    let mut pbuf = vec![0u8; segment.len()];
    let public = jwsgate::base64url::decode_public(segment, &mut pbuf).map(<[u8]>::to_vec);
    assert_eq!(
        public, reference,
        "decode_public disagrees with the reference"
    );
    let ok = jwsgate::base64url::decode_public_into_vec(segment, &mut vec);
    assert_eq!(
        ok.map(|_| vec.clone()),
        reference,
        "decode_public_into_vec disagrees"
    );
    if let Some(decoded) = &ours {
        assert_eq!(b64(decoded).as_bytes(), segment, "re-encoding differs");
    }
    ours
}

/// `parse_jws`: arbitrary bytes through the size check, the split and the header parser.
/// The first byte picks the mode: even, the rest is a token; odd, the rest is header JSON
/// (encoded here, so the JSON scanner sees every byte).
pub fn parse_jws(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 1 {
        header_json(rest);
        return;
    }
    let token = rest;
    let max = if mode & 2 == 0 {
        DEFAULT_MAX_TOKEN_BYTES
    } else {
        64
    };
    let split = jwsgate::jws::split(token, max);
    if token.len() > max {
        assert_eq!(
            split.unwrap_err(),
            Error::TokenTooLarge {
                len: token.len(),
                max
            },
            "an oversized token must be refused before anything else"
        );
        return;
    }
    let Ok(parts) = split else {
        return;
    };
    let rejoined = [parts.header, parts.payload, parts.signature].join(&b'.');
    assert_eq!(rejoined, token, "the segments must be the token's bytes");
    assert_eq!(
        parts.signing_input,
        &token[..parts.header.len() + 1 + parts.payload.len()]
    );
    assert!(!parts.header.is_empty());
    for seg in [parts.header, parts.payload, parts.signature] {
        assert!(
            seg.iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
        );
        check_b64(seg);
    }
    let decoded = check_b64(parts.header);
    let (mut buf, mut kid) = (
        Vec::with_capacity(MAX_HEADER_BYTES),
        Vec::with_capacity(256),
    );
    let parsed = jwsgate::jws::parse_header(parts.header, &mut buf, &mut kid);
    if let Ok(h) = parsed {
        let json = decoded.expect("a parsed header was valid base64url");
        check_accepted_header(&json, h.alg, h.kid);
    }
}

fn header_json(json: &[u8]) {
    let encoded = b64(json);
    let (mut buf, mut kid) = (
        Vec::with_capacity(MAX_HEADER_BYTES),
        Vec::with_capacity(256),
    );
    let parsed = jwsgate::jws::parse_header(encoded.as_bytes(), &mut buf, &mut kid);
    match parsed {
        Ok(h) => check_accepted_header(json, h.alg, h.kid),
        Err(e) => assert!(
            matches!(
                e,
                Error::Malformed(_) | Error::UnsupportedAlgorithm | Error::UnsupportedHeader(_)
            ),
            "header parsing gave {e:?}"
        ),
    }
}

/// What an accepted header must be, checked with serde_json as the oracle: one JSON
/// object, `alg` the exact name, no processing-changing parameter.
fn check_accepted_header(json: &[u8], alg: Algorithm, kid: Option<&str>) {
    assert!(json.len() <= MAX_HEADER_BYTES);
    let value: serde_json::Value = match serde_json::from_slice(json) {
        Ok(v) => v,
        // serde_json refuses numbers beyond f64; jwsgate reads past them (not a header
        // parameter it uses).
        Err(e) if e.to_string().contains("number out of range") => return,
        Err(e) => panic!("an accepted header is not JSON: {e}"),
    };
    let obj = value.as_object().expect("an accepted header is an object");
    // jwsgate refuses duplicates, so serde_json's last-one-wins map holds the only `alg`.
    assert_eq!(obj.get("alg").and_then(|a| a.as_str()), Some(alg.name()));
    assert_eq!(obj.get("kid").and_then(|k| k.as_str()), kid);
    if obj.contains_key("kid") {
        assert!(kid.is_some(), "a non-string kid was accepted");
    }
    assert!(!obj.contains_key("zip") && !obj.contains_key("enc"));
    assert_ne!(obj.get("b64"), Some(&serde_json::Value::Bool(false)));
    if let Some(crit) = obj.get("crit") {
        let names = crit.as_array().expect("crit is an array");
        assert!(!names.is_empty());
        assert!(
            names.iter().all(|n| n.as_str() == Some("b64")),
            "crit {crit}"
        );
        assert_eq!(obj.get("b64"), Some(&serde_json::Value::Bool(true)));
    }
}

/// `jwk_set`: bytes as a JWK Set document, a single JWK, a PEM and a DER key.
pub fn jwk_set(data: &[u8]) {
    if let Ok(set) = KeySet::from_jwks(data) {
        assert!(data.len() <= MAX_JWKS_BYTES);
        assert!(!set.is_empty() && set.len() <= MAX_JWKS_KEYS);
        let value: serde_json::Value =
            serde_json::from_slice(data).expect("an accepted JWK Set is valid JSON");
        let keys = value.get("keys").and_then(|k| k.as_array());
        assert!(keys.is_some_and(|k| k.len() >= set.len()));
        let mut kids: Vec<&str> = set.iter().filter_map(PublicKey::kid).collect();
        let n = kids.len();
        kids.sort_unstable();
        kids.dedup();
        assert_eq!(kids.len(), n, "two keys share a kid");
        for key in set.iter() {
            exercise_key(key);
        }
        for alg in AsymmetricAlg::ALL {
            if let Ok(key) = set.select(None, alg) {
                assert!(key.fits(alg));
            }
        }
    }
    if let Ok(key) = PublicKey::from_jwk(data) {
        exercise_key(&key);
    }
    if let Ok(key) = PublicKey::from_pem(data) {
        exercise_key(&key);
    }
    if let Ok(key) = PublicKey::from_spki_der(data) {
        exercise_key(&key);
    }
    if let Ok(key) = StrongHmacKey::from_jwk(data) {
        assert!(key.secret_len() >= 32);
        assert!(!key.algorithms().is_empty());
    }
}

/// A loaded key refuses signatures that cannot be right, without panicking.
fn exercise_key(key: &PublicKey) {
    for alg in AsymmetricAlg::ALL {
        if !key.fits(alg) {
            assert!(matches!(
                key.verify(alg, b"m", &[0; 64]),
                Err(Error::AlgorithmNotAllowed(_))
            ));
            continue;
        }
        assert_eq!(alg.key_kind(), key.kind());
        let len = key.signature_len(alg);
        for sig in [vec![0u8; len], vec![0xff; len], vec![1; len + 1]] {
            assert_eq!(
                key.verify(alg, b"message", &sig),
                Err(Error::InvalidSignature)
            );
        }
    }
}

/// The verifier for `alg`'s family.
fn verifier_for(alg: Algorithm) -> &'static jwsgate::Verifier {
    use std::sync::OnceLock;
    static ASYM: OnceLock<jwsgate::Verifier> = OnceLock::new();
    static HMAC: OnceLock<jwsgate::Verifier> = OnceLock::new();
    if fixture::asymmetric(alg).is_some() {
        ASYM.get_or_init(|| fixture().asymmetric_verifier())
    } else {
        HMAC.get_or_init(|| fixture().hmac_verifier())
    }
}

/// What must hold of any token that verified: the signature is one ring accepts over the
/// exact signing input, the claims meet the policy, and changing any byte of the
/// signature breaks it.
fn check_verified(token: &[u8], alg: Algorithm) {
    let f = fixture();
    let parts = jwsgate::jws::split(token, DEFAULT_MAX_TOKEN_BYTES).expect("verified: splits");
    let sig = check_b64(parts.signature).expect("verified: signature is base64url");
    assert!(
        f.raw_verify(alg, parts.signing_input, &sig),
        "jwsgate accepted a signature ring refuses"
    );
    let payload = check_b64(parts.payload).expect("verified: payload is base64url");
    let claims: serde_json::Value = match serde_json::from_slice(&payload) {
        Ok(v) => v,
        // serde_json refuses numbers beyond f64 (jwsgate reads them as +/- infinity).
        Err(e) if e.to_string().contains("number out of range") => return,
        Err(e) => panic!("verified claims are not JSON: {e}"),
    };
    let exp = claims["exp"].as_f64().expect("verified: exp is a number");
    assert!(
        (NOW.as_secs() as f64) < exp.ceil() + 60.0,
        "expired token accepted"
    );
    assert_eq!(claims["iss"].as_str(), Some(ISSUER));
    let aud_ok = match &claims["aud"] {
        serde_json::Value::String(a) => a == AUDIENCE,
        serde_json::Value::Array(a) => a.iter().any(|x| x.as_str() == Some(AUDIENCE)),
        _ => false,
    };
    assert!(aud_ok, "audience not accepted yet verified");
    // Any change to one byte of the signature is refused.
    let i = sig.len() / 2;
    let mut bad = sig.clone();
    bad[i] ^= 0x01;
    let forged = [parts.signing_input, b".", b64(&bad).as_bytes()].concat();
    let mut scratch = Scratch::new();
    assert_eq!(
        verifier_for(alg)
            .verify(&mut scratch, &forged, NOW)
            .map(|_| ()),
        Err(Error::InvalidSignature),
        "a changed signature byte went unnoticed"
    );
}

/// `verify`: arbitrary tokens against fixed verifiers holding keys of every algorithm.
/// First byte: even, the rest is a token tried with both verifiers; odd, the second byte
/// picks an algorithm and the rest is a payload (bit 1 of the first byte: preceded by a
/// header, up to a NUL byte), signed here with the right key — so the fuzzer reaches
/// claims and header handling behind a valid signature.
pub fn verify(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut scratch = Scratch::new();
    if mode % 2 == 0 {
        for family in [Algorithm::HS256, Algorithm::ES256] {
            if let Ok(t) = verifier_for(family).verify(&mut scratch, rest, NOW) {
                let alg = t.alg();
                check_verified(rest, alg);
            }
        }
        return;
    }
    let Some((&pick, rest)) = rest.split_first() else {
        return;
    };
    let alg = Algorithm::ALL[usize::from(pick) % Algorithm::ALL.len()];
    let own_header = Fixture::header(alg);
    let (header, payload): (&[u8], &[u8]) = if mode & 2 != 0 {
        match rest.iter().position(|b| *b == 0) {
            Some(nul) => (&rest[..nul], &rest[nul + 1..]),
            None => (rest, b""),
        }
    } else {
        (own_header.as_bytes(), rest)
    };
    let signing_input = format!("{}.{}", b64(header), b64(payload));
    let sig = fixture().sign(alg, signing_input.as_bytes());
    let token = format!("{signing_input}.{}", b64(&sig));
    let result = verifier_for(alg)
        .verify(&mut scratch, token.as_bytes(), NOW)
        .map(|t| t.alg());
    match result {
        Ok(got) => {
            assert_eq!(got, alg, "verified under another algorithm than signed");
            check_verified(token.as_bytes(), alg);
        }
        Err(e) if mode & 2 == 0 => {
            // The header is ours and the signature right: only the payload can fail.
            assert!(
                !matches!(
                    e,
                    Error::InvalidSignature
                        | Error::UnknownKey
                        | Error::AlgorithmNotAllowed(_)
                        | Error::UnsupportedAlgorithm
                        | Error::UnsupportedHeader(_)
                ),
                "a correctly signed token with a plain header gave {e:?}"
            );
        }
        Err(_) => {}
    }
}

/// `claims`: arbitrary payloads behind a valid HS256 signature, through claims parsing
/// and validation. Invariants: the signature never fails, and accepted claims meet the
/// policy by serde_json's reading of them.
pub fn claims(data: &[u8]) {
    let f = fixture();
    let token = f.token(Algorithm::HS256, &Fixture::header(Algorithm::HS256), data);
    let mut scratch = Scratch::new();
    let result = verifier_for(Algorithm::HS256).verify(&mut scratch, token.as_bytes(), NOW);
    match result {
        Ok(t) => {
            assert_eq!(t.claims().json().as_bytes(), data);
            assert!(t.claims().exp().is_some());
            assert_eq!(t.claims().iss(), Some(ISSUER));
            assert!(t.claims().audiences().any(|a| a == AUDIENCE));
            check_verified(token.as_bytes(), Algorithm::HS256);
        }
        Err(Error::TokenTooLarge { .. }) => {
            assert!(token.len() > DEFAULT_MAX_TOKEN_BYTES);
        }
        Err(e) => {
            assert!(
                !matches!(
                    e,
                    Error::InvalidSignature
                        | Error::UnknownKey
                        | Error::AlgorithmNotAllowed(_)
                        | Error::UnsupportedAlgorithm
                        | Error::UnsupportedHeader(_)
                        | Error::InvalidType
                ),
                "a claims problem reported as {e:?}"
            );
            if core::str::from_utf8(data).is_err() {
                assert!(
                    matches!(e, Error::Malformed(_)),
                    "non-UTF-8 payload gave {e:?}"
                );
            }
            let refused = serde_json::from_slice::<serde_json::Value>(data)
                .err()
                .filter(|e| !e.to_string().contains("number out of range"));
            if refused.is_some() {
                assert!(
                    matches!(e, Error::Malformed(_)),
                    "payload serde_json refuses gave {e:?}"
                );
            }
        }
    }
}
