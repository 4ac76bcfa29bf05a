//! Attack class: base64url that is not strict (RFC 7515 §2 and §7.1: unpadded base64url,
//! RFC 4648 §5 alphabet). Lenient decoding gives one token many encodings (signature
//! malleability, cache and replay-detection bypass) and parser differentials.
//!
//! Each variant is signed over its own (odd) encoding, so the refusal comes from the
//! decoder's strictness, not from a broken signature.

mod common;

use common::*;
use jwsgate::Algorithm;

const TAIL: [&str; 10] = ["=", "==", " ", "\t", "\n", "\r\n", "A", "+", "/", "%3D"];

/// Signs `header.payload` exactly as given (any text) with HS256.
fn sign_raw(header: &str, payload: &str) -> String {
    let input = format!("{header}.{payload}");
    let sig = fixture().sign(Algorithm::HS256, input.as_bytes());
    format!("{input}.{}", b64(&sig))
}

fn parts() -> (String, String) {
    (
        b64(br#"{"alg":"HS256","kid":"hmac"}"#),
        b64(GOOD_CLAIMS.as_bytes()),
    )
}

/// Padding, white space, `+`, `/`, a stray character giving length 1 mod 4, percent
/// encoding — in the header or the payload, correctly signed — are `malformed`.
#[test]
fn non_strict_header_and_payload_encodings_are_malformed() {
    let v = fixture().hmac_verifier();
    let (h, p) = parts();
    assert_valid(&v, &sign_raw(&h, &p));
    for extra in TAIL {
        assert_code(&v, &sign_raw(&format!("{h}{extra}"), &p), "malformed");
        assert_code(&v, &sign_raw(&h, &format!("{p}{extra}")), "malformed");
        // In the middle, too.
        let (a, b) = p.split_at(8);
        assert_code(&v, &sign_raw(&h, &format!("{a}{extra}{b}")), "malformed");
    }
    // The standard alphabet's `+` and `/` in place of `-` and `_`.
    let std_header = h.replace('-', "+").replace('_', "/");
    if std_header != h {
        assert_code(&v, &sign_raw(&std_header, &p), "malformed");
    }
}

/// Base64url text whose last character carries non-zero spare bits decodes to the same
/// bytes as the canonical text; it is refused (`malformed` in the header or payload), so
/// each token has exactly one encoding.
#[test]
fn non_canonical_trailing_bits_are_refused() {
    let v = fixture().hmac_verifier();
    let (h, p) = parts();
    let tweak = |s: &str| {
        let rem = s.len() % 4;
        assert_ne!(rem, 0, "needs a partial final group");
        // 2 chars -> 4 spare bits, 3 chars -> 2 spare bits: set the lowest.
        let last = s.as_bytes()[s.len() - 1];
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let idx = alphabet.iter().position(|c| *c == last).unwrap();
        format!("{}{}", &s[..s.len() - 1], alphabet[idx | 1] as char)
    };
    let pick = |s: String, filler: &str| {
        if s.len() % 4 == 0 {
            b64(format!("{}{filler}", String::from_utf8(jwsgate_decode(&s)).unwrap()).as_bytes())
        } else {
            s
        }
    };
    let h = pick(h, " ");
    let p = pick(p, " ");
    assert_valid(&v, &sign_raw(&h, &p));
    assert_code(&v, &sign_raw(&tweak(&h), &p), "malformed");
    assert_code(&v, &sign_raw(&h, &tweak(&p)), "malformed");
}

fn jwsgate_decode(s: &str) -> Vec<u8> {
    let mut buf = vec![0; s.len()];
    jwsgate::low_level::base64url::decode(s.as_bytes(), &mut buf)
        .unwrap()
        .to_vec()
}

/// In the signature segment: a non-canonical final character or a length of 1 mod 4 is
/// `invalid_signature` (CLI.md: "wrong length or encoding"); padding or white space is
/// outside the alphabet and `malformed`.
#[test]
fn non_strict_signature_encodings_are_refused() {
    for alg in [
        Algorithm::HS256,
        Algorithm::ES256,
        Algorithm::EdDSA,
        Algorithm::RS256,
    ] {
        let v = verifier_for(alg);
        let token = fixture().good_token(alg);
        let (input, sig) = token.rsplit_once('.').unwrap();
        assert!(sig.len() % 4 != 0, "{alg}: needs a partial final group");
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let last = sig.as_bytes()[sig.len() - 1];
        let idx = alphabet.iter().position(|c| *c == last).unwrap();
        let noncanonical = format!("{}{}", &sig[..sig.len() - 1], alphabet[idx | 1] as char);
        assert_code(&v, &format!("{input}.{noncanonical}"), "invalid_signature");
        assert_code(&v, &format!("{input}.{sig}A"), "invalid_signature");
        for extra in ["=", "==", " ", "\n", "+", "/"] {
            assert_code(&v, &format!("{input}.{sig}{extra}"), "malformed");
        }
        assert_valid(&v, &token);
    }
}

/// An empty header segment is `malformed`; an empty payload is not a claims set
/// (`malformed`); an empty signature is `invalid_signature`.
#[test]
fn empty_segments_are_refused() {
    let v = fixture().hmac_verifier();
    let (h, p) = parts();
    let sig = b64(&fixture().sign(Algorithm::HS256, format!(".{p}").as_bytes()));
    assert_code(&v, &format!(".{p}.{sig}"), "malformed");
    assert_code(&v, &sign_raw(&h, ""), "malformed");
    assert_code(&v, &format!("{h}.{p}."), "invalid_signature");
}
