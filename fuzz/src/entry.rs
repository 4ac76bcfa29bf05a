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
    let ours = jwsgate::low_level::base64url::decode(segment, &mut buf).map(<[u8]>::to_vec);
    let reference = reference_b64_decode(segment);
    assert_eq!(ours, reference, "base64url disagrees with the reference");
    let mut vec = Vec::new();
    let ok = jwsgate::low_level::base64url::decode_into_vec(segment, &mut vec);
    assert_eq!(
        ok.map(|_| vec.clone()),
        reference,
        "decode_into_vec disagrees"
    );
    // The table-driven decoder the verify path uses for the token's public segments.
    let mut pbuf = vec![0u8; segment.len()];
    let public =
        jwsgate::low_level::base64url::decode_public(segment, &mut pbuf).map(<[u8]>::to_vec);
    assert_eq!(
        public, reference,
        "decode_public disagrees with the reference"
    );
    let ok = jwsgate::low_level::base64url::decode_public_into_vec(segment, &mut vec);
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
    let split = jwsgate::low_level::jws::split(token, max);
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
    let parsed = jwsgate::low_level::jws::parse_header(parts.header, &mut buf, &mut kid);
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
    let parsed = jwsgate::low_level::jws::parse_header(encoded.as_bytes(), &mut buf, &mut kid);
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

/// The small-order Ed25519 encodings (the 8 torsion points and their non-canonical
/// encodings; libsodium's blocklist with both sign bits), written out here independently
/// of jwsgate's own list: the reference for the `jwk_set` invariant that no such key is
/// ever accepted (issue 14).
pub const ED25519_SMALL_ORDER: [&str; 14] = [
    // The 8 torsion points, canonically encoded.
    "0100000000000000000000000000000000000000000000000000000000000000", // identity
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p - 1, order 2
    "0000000000000000000000000000000000000000000000000000000000000000", // y = 0, order 4
    "0000000000000000000000000000000000000000000000000000000000000080", // y = 0, order 4
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", // order 8
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", // order 8
    // Their non-canonical encodings.
    "0100000000000000000000000000000000000000000000000000000000000080", // identity, sign bit
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // order 2, sign bit
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p (0)
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // y = p, sign bit
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p + 1 (1)
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // the same, sign bit
];

/// [`ED25519_SMALL_ORDER`] as bytes.
pub fn ed25519_small_order() -> Vec<[u8; 32]> {
    ED25519_SMALL_ORDER
        .iter()
        .map(|hex| {
            let mut out = [0u8; 32];
            for (o, i) in out.iter_mut().zip((0..64).step_by(2)) {
                *o = u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
            }
            out
        })
        .collect()
}

/// How many messages [`check_no_small_order_forgery`] tries.
pub const FORGERY_MESSAGES: usize = 12;

/// Whether some signature `(T, S = 0)`, T one of the eight torsion points (the first eight
/// of [`ED25519_SMALL_ORDER`]), verifies one of [`FORGERY_MESSAGES`] messages under
/// `verify`. For a small-order key A the check `[S]B = R + [k]A` becomes `R = −[k]A`,
/// a torsion point, with k = H(R ‖ A ‖ M): each try succeeds with probability at least
/// 1/8, so 96 tries miss with probability about (7/8)^96 < 10^-5 — and never for the
/// fixed messages and the 8 keys (`tests/attacks_degenerate_keys.rs`). For a key of the
/// prime-order subgroup no try succeeds.
pub fn forges_with_torsion_r(verify: impl Fn(&[u8], &[u8]) -> bool) -> bool {
    let torsion = ed25519_small_order();
    (0..FORGERY_MESSAGES).any(|i| {
        let msg = format!("eyJhbGciOiJFZERTQSJ9.{i}");
        torsion.iter().take(8).any(|r| {
            let sig = [&r[..], &[0u8; 32]].concat();
            verify(msg.as_bytes(), &sig)
        })
    })
}

/// No accepted Ed25519 key is of small order, checked as an attacker would
/// ([`forges_with_torsion_r`]).
fn check_no_small_order_forgery(key: &PublicKey) {
    if !key.fits(AsymmetricAlg::EdDSA) {
        return;
    }
    assert!(
        !forges_with_torsion_r(|msg, sig| key.verify(AsymmetricAlg::EdDSA, msg, sig).is_ok()),
        "a small-order Ed25519 key was accepted: (T, 0) forges"
    );
}

/// The decoded `x` of an Ed25519 JWK (`kty` OKP, `crv` Ed25519), read with serde_json.
fn ed25519_x(jwk: &serde_json::Value) -> Option<Vec<u8>> {
    if jwk.get("kty").and_then(|v| v.as_str()) != Some("OKP")
        || jwk.get("crv").and_then(|v| v.as_str()) != Some("Ed25519")
    {
        return None;
    }
    let x = jwk.get("x").and_then(|x| x.as_str())?;
    reference_b64_decode(x.as_bytes())
}

/// Whether `data`, read as a JWK (`.0`) or as a JWK Set (`.1`), holds an Ed25519 key whose
/// `x` is in the reference list of small-order encodings.
fn small_order_okp_in(data: &[u8], small_order: &[[u8; 32]]) -> (bool, bool) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return (false, false);
    };
    let blocked = |jwk: &serde_json::Value| {
        ed25519_x(jwk).is_some_and(|x| small_order.iter().any(|b| b[..] == x[..]))
    };
    let in_set = value
        .get("keys")
        .and_then(|k| k.as_array())
        .is_some_and(|keys| keys.iter().any(blocked));
    (blocked(&value), in_set)
}

/// `jwk_set`: bytes as a JWK Set document, a single JWK, a PEM and a DER key, a raw
/// Ed25519 key; and as an HMAC secret, which must be refused whenever the same bytes
/// load as a public key (issue 14: public keys are no HMAC secrets, whatever the dress).
pub fn jwk_set(data: &[u8]) {
    let small_order = ed25519_small_order();
    let (blocked_jwk, blocked_in_set) = small_order_okp_in(data, &small_order);
    let mut loads_as_public_key = false;
    if blocked_jwk {
        assert!(
            PublicKey::from_jwk(data).is_err(),
            "a JWK with a small-order Ed25519 key was accepted"
        );
    }
    if blocked_in_set {
        assert!(
            KeySet::from_jwks(data).is_err(),
            "a JWK Set with a small-order Ed25519 key was accepted"
        );
    }
    if data.len() == 32 {
        let blocked = small_order.iter().any(|b| &b[..] == data);
        match PublicKey::from_ed25519(data) {
            Ok(key) => {
                assert!(!blocked, "a small-order Ed25519 key was accepted");
                check_no_small_order_forgery(&key);
            }
            Err(e) => assert!(matches!(e, jwsgate::ConfigError::InvalidKey(_))),
        }
    }
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
        loads_as_public_key = true;
        for alg in AsymmetricAlg::ALL {
            if let Ok(key) = set.select(None, alg) {
                assert!(key.fits(alg));
            }
        }
    }
    for key in [
        PublicKey::from_jwk(data),
        PublicKey::from_pem(data),
        PublicKey::from_spki_der(data),
    ]
    .into_iter()
    .flatten()
    {
        exercise_key(&key);
        loads_as_public_key = true;
    }
    if let Ok(key) = StrongHmacKey::from_jwk(data) {
        assert!(key.secret_len() >= 32);
        assert!(!key.algorithms().is_empty());
    }
    if loads_as_public_key {
        let with_bom = [&b"\xef\xbb\xbf"[..], data].concat();
        for secret in [data, &with_bom[..]] {
            match StrongHmacKey::new(secret) {
                Err(jwsgate::ConfigError::WeakHmacKey(_)) => {}
                Err(jwsgate::ConfigError::HmacKeyTooShort { .. }) if secret.len() < 32 => {}
                other => panic!(
                    "a public key document was accepted as an HMAC secret: {:?}",
                    other.map(|_| ())
                ),
            }
        }
    }
}

/// A loaded key refuses signatures that cannot be right, without panicking.
fn exercise_key(key: &PublicKey) {
    check_no_small_order_forgery(key);
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

/// The decimal-string reference for NumericDates (std only; `tests/properties.rs` uses it
/// too).
#[path = "numeric_date.rs"]
pub mod numeric_date;

/// What must hold of any token that verified: the signature is one ring accepts over the
/// exact signing input, the claims meet the policy, and changing any byte of the
/// signature breaks it.
fn check_verified(token: &[u8], alg: Algorithm) {
    let f = fixture();
    let parts =
        jwsgate::low_level::jws::split(token, DEFAULT_MAX_TOKEN_BYTES).expect("verified: splits");
    let sig = check_b64(parts.signature).expect("verified: signature is base64url");
    assert!(
        f.raw_verify(alg, parts.signing_input, &sig),
        "jwsgate accepted a signature ring refuses"
    );
    let payload = check_b64(parts.payload).expect("verified: payload is base64url");
    // serde_json with `arbitrary_precision` keeps each number's text: the times are
    // judged exactly from it by the fixture's decimal-string reference.
    let claims: serde_json::Value = match serde_json::from_slice(&payload) {
        Ok(v) => v,
        Err(e) => panic!("verified claims are not JSON: {e}"),
    };
    let time = |name: &str| -> Option<String> {
        let v = claims.get(name)?;
        let n = v.as_number();
        assert!(n.is_some(), "verified: {name} is not a number");
        let text = n.map(ToString::to_string).unwrap_or_default();
        assert!(
            numeric_date::in_range(&text),
            "verified: {name} {text} out of range"
        );
        Some(text)
    };
    let now = NOW.as_secs();
    let exp = time("exp").expect("verified: exp present");
    assert_eq!(
        numeric_date::cmp_with(&exp, now - 60),
        Some(core::cmp::Ordering::Greater),
        "expired token accepted: exp {exp}"
    );
    for name in ["nbf", "iat"] {
        if let Some(t) = time(name) {
            assert_ne!(
                numeric_date::cmp_with(&t, now + 60),
                Some(core::cmp::Ordering::Greater),
                "{name} {t} after now + leeway accepted"
            );
        }
    }
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

/// The scratch's dot hint (where the last token's dots were) must not change a verdict:
/// `token` judged after a token whose dots are at two of `token`'s own dots (the first
/// four and the last four of them, every ordered pair), so that the split looks there
/// first, gives `verdict`, its verdict without the hint.
fn dot_hints_change_nothing(family: Algorithm, token: &[u8], verdict: &Result<Algorithm, Error>) {
    let dots: Vec<usize> = (0..token.len()).filter(|&i| token[i] == b'.').collect();
    let firsts = &dots[..dots.len().min(4)];
    let lasts = &dots[dots.len().saturating_sub(4)..];
    let mut scratch = Scratch::new();
    for &d1 in firsts {
        for &d2 in lasts.iter().filter(|&&d2| d2 > d1) {
            let mut shape = vec![b'a'; token.len()];
            shape[d1] = b'.';
            shape[d2] = b'.';
            let _ = verifier_for(family).verify(&mut scratch, &shape, NOW);
            let hinted = verifier_for(family)
                .verify(&mut scratch, token, NOW)
                .map(|t| t.alg());
            assert_eq!(&hinted, verdict, "dots hinted at {d1} and {d2}");
        }
    }
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
            let verdict = verifier_for(family)
                .verify(&mut scratch, rest, NOW)
                .map(|t| t.alg());
            if let Ok(alg) = verdict {
                check_verified(rest, alg);
            }
            dot_hints_change_nothing(family, rest, &verdict);
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
/// and validation. Invariants: the signature never fails, accepted claims meet the
/// policy by serde_json's reading of them, and (under cargo-fuzz) whatever the claims
/// fast path takes, the general parser reads alike.
pub fn claims(data: &[u8]) {
    #[cfg(fuzzing)]
    if let Err(e) = jwsgate::fuzzing::claims_paths_agree(data) {
        panic!("claims fast path: {e}");
    }
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
