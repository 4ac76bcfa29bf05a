//! Attack class: malformed and malleable signatures, checked through the whole verifier.
//!
//! * Psychic signatures (CVE-2022-21449): r = 0, s = 0, r or s ≥ n, on every curve.
//! * ECDSA in DER rather than JOSE's fixed `R‖S` (RFC 7518 §3.4), or of the wrong length.
//! * Ed25519 with a non-canonical S ≥ L (RFC 8032 §5.1.7; malleability).
//! * RSA with a leading zero stripped or added, or a value ≥ n (RFC 8017 §5.2.2, §8.2.2).
//! * HMAC tags truncated or extended (RFC 7518 §3.2: the full tag, compared in constant
//!   time).

mod common;

use common::*;
use jwsgate::{Algorithm, KeyKind};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Curve order n and field prime p, big-endian, each `len` bytes.
fn curve(alg: Algorithm) -> (usize, Vec<u8>, Vec<u8>) {
    match alg {
        Algorithm::ES256 => (
            32,
            hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
            hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"),
        ),
        Algorithm::ES384 => (
            48,
            hex(
                "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
            ),
            hex(
                "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
            ),
        ),
        _ => (
            66,
            hex(
                "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
            ),
            hex(
                "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            ),
        ),
    }
}

/// Big-endian `a + b` in `a.len()` bytes (wrapping is not reached for the values used).
fn add(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = a.to_vec();
    let mut carry = 0u16;
    for i in (0..out.len()).rev() {
        let bi = b.len().checked_sub(out.len() - i).map_or(0, |j| b[j]);
        let s = u16::from(out[i]) + u16::from(bi) + carry;
        out[i] = s as u8;
        carry = s >> 8;
    }
    out
}

/// CVE-2022-21449: r = 0, s = 0, r or s equal to n, n + r, the field prime, all-ones —
/// `invalid_signature` on P-256, P-384 and P-521; the genuine signature verifies.
#[test]
fn psychic_and_out_of_range_ecdsa_signatures_are_invalid() {
    let v = fixture().asymmetric_verifier();
    for alg in [Algorithm::ES256, Algorithm::ES384, Algorithm::ES512] {
        let token = fixture().good_token(alg);
        assert_valid(&v, &token);
        let sig = signature_of(&token);
        let (len, n, p) = curve(alg);
        assert_eq!(sig.len(), 2 * len);
        let (r, s) = sig.split_at(len);
        let zero = vec![0u8; len];
        let ones = {
            let mut o = vec![0xffu8; len];
            if len == 66 {
                o[0] = 0x01;
            }
            o
        };
        let r_plus_n = add(r, &n);
        let s_plus_n = add(s, &n);
        let mut cases: Vec<(&str, Vec<u8>, Vec<u8>)> = vec![
            ("r = s = 0", zero.clone(), zero.clone()),
            ("r = 0", zero.clone(), s.to_vec()),
            ("s = 0", r.to_vec(), zero.clone()),
            ("r = n", n.clone(), s.to_vec()),
            ("s = n", r.to_vec(), n.clone()),
            ("r = s = n", n.clone(), n.clone()),
            ("r = p", p.clone(), s.to_vec()),
            ("s = p", r.to_vec(), p.clone()),
            ("r = s = all ones", ones.clone(), ones.clone()),
        ];
        // r + n and s + n fit in the encoding when the top byte does not overflow.
        if r_plus_n.len() == len && r_plus_n.as_slice() > n.as_slice() {
            cases.push(("r + n", r_plus_n, s.to_vec()));
        }
        if s_plus_n.len() == len && s_plus_n.as_slice() > n.as_slice() {
            cases.push(("s + n", r.to_vec(), s_plus_n));
        }
        for (what, r, s) in cases {
            let forged = with_signature(&token, &[r, s].concat());
            assert_eq!(
                check(&v, &forged),
                Err(jwsgate::Error::InvalidSignature),
                "{alg} {what}"
            );
        }
    }
}

/// Minimal DER encoding of an ECDSA (r, s) pair.
fn der(r: &[u8], s: &[u8]) -> Vec<u8> {
    fn int(x: &[u8]) -> Vec<u8> {
        let mut x: Vec<u8> = x.iter().copied().skip_while(|b| *b == 0).collect();
        if x.first().is_none_or(|b| b & 0x80 != 0) {
            x.insert(0, 0);
        }
        let mut out = vec![0x02];
        out.extend(len(x.len()));
        out.extend(x);
        out
    }
    fn len(n: usize) -> Vec<u8> {
        if n < 128 {
            vec![n as u8]
        } else {
            vec![0x81, n as u8]
        }
    }
    let body = [int(r), int(s)].concat();
    [vec![0x30], len(body.len()), body].concat()
}

/// RFC 7518 §3.4: JOSE ECDSA signatures are the fixed `R‖S`. The same (valid) signature in
/// DER, or one byte short or long, or padded, is `invalid_signature`.
#[test]
fn der_and_wrong_length_ecdsa_signatures_are_invalid() {
    let v = fixture().asymmetric_verifier();
    for alg in [Algorithm::ES256, Algorithm::ES384, Algorithm::ES512] {
        let token = fixture().good_token(alg);
        let sig = signature_of(&token);
        let (r, s) = sig.split_at(sig.len() / 2);
        let variants = [
            ("DER", der(r, s)),
            ("one byte short", sig[..sig.len() - 1].to_vec()),
            ("one byte long", [&sig[..], &[0]].concat()),
            ("leading zero", [&[0][..], &sig[..]].concat()),
            ("half", r.to_vec()),
            ("empty", Vec::new()),
            ("doubled", [&sig[..], &sig[..]].concat()),
        ];
        for (what, bad) in variants {
            assert_eq!(
                check(&v, &with_signature(&token, &bad)),
                Err(jwsgate::Error::InvalidSignature),
                "{alg} {what}"
            );
        }
    }
}

/// RFC 8032 §5.1.7: S must be below the group order L. S + L (the same point equation,
/// another encoding) is `invalid_signature`; so is any wrong length.
#[test]
fn non_canonical_ed25519_signatures_are_invalid() {
    let v = fixture().asymmetric_verifier();
    let token = fixture().good_token(Algorithm::EdDSA);
    let sig = signature_of(&token);
    // L = 2^252 + 27742317777372353535851937790883648493, little-endian.
    let l = hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
    let mut s_plus_l = sig[32..].to_vec();
    let mut carry = 0u16;
    for i in 0..32 {
        let t = u16::from(s_plus_l[i]) + u16::from(l[i]) + carry;
        s_plus_l[i] = t as u8;
        carry = t >> 8;
    }
    assert_eq!(carry, 0);
    let mut high_bit = sig.clone();
    high_bit[63] |= 0x80;
    for (what, bad) in [
        ("S + L", [&sig[..32], &s_plus_l[..]].concat()),
        ("S with its top bit set", high_bit),
        ("63 bytes", sig[..63].to_vec()),
        ("65 bytes", [&sig[..], &[0]].concat()),
        ("zeros", vec![0; 64]),
    ] {
        assert_eq!(
            check(&v, &with_signature(&token, &bad)),
            Err(jwsgate::Error::InvalidSignature),
            "{what}"
        );
    }
    assert_valid(&v, &token);
}

/// RFC 8017 §8.2.2 step 1: an RSA signature is exactly k = |n| bytes. A signature with a
/// leading zero byte stripped (k - 1 bytes) or added (k + 1), zero, one, n itself, or
/// all-ones (≥ n) is `invalid_signature`, for PKCS#1 v1.5 and PSS alike.
#[test]
fn rsa_signatures_of_the_wrong_size_or_range_are_invalid() {
    let f = fixture();
    let v = f.asymmetric_verifier();
    let (n, _) = f.public_raw(KeyKind::Rsa);
    let k = n.len();
    for alg in [Algorithm::RS256, Algorithm::PS256, Algorithm::PS512] {
        let token = f.good_token(alg);
        let sig = signature_of(&token);
        assert_eq!(sig.len(), k);
        let mut one = vec![0u8; k];
        one[k - 1] = 1;
        for (what, bad) in [
            ("leading zero added", [&[0][..], &sig[..]].concat()),
            ("last byte dropped", sig[..k - 1].to_vec()),
            ("zero", vec![0; k]),
            ("one", one),
            ("n", n.clone()),
            ("all ones (> n)", vec![0xff; k]),
            ("sig + n", add(&sig, &n)),
        ] {
            assert_eq!(
                check(&v, &with_signature(&token, &bad)),
                Err(jwsgate::Error::InvalidSignature),
                "{alg} {what}"
            );
        }
    }
    // A genuine signature whose first byte is zero: verifies as k bytes, refused stripped
    // to k - 1 (the "leading zero stripped" encoding some signers emit).
    let token = (0..4096)
        .map(|i| {
            let claims = GOOD_CLAIMS.replace("alice", &format!("alice{i}"));
            signed_claims(Algorithm::RS256, &claims)
        })
        .find(|t| signature_of(t)[0] == 0)
        .expect("a signature with a leading zero within 4096 tries");
    assert_valid(&v, &token);
    let stripped = signature_of(&token)[1..].to_vec();
    assert_eq!(
        check(&v, &with_signature(&token, &stripped)),
        Err(jwsgate::Error::InvalidSignature)
    );
}

/// RFC 7518 §3.2: the full tag. A truncated (to 128 bits, to one byte short, to nothing)
/// or extended tag is `invalid_signature`, for HS256, HS384, HS512.
#[test]
fn truncated_or_extended_hmac_tags_are_invalid() {
    let v = fixture().hmac_verifier();
    for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
        let token = fixture().good_token(alg);
        assert_valid(&v, &token);
        let tag = signature_of(&token);
        for (what, bad) in [
            ("128 bits", tag[..16].to_vec()),
            ("one byte short", tag[..tag.len() - 1].to_vec()),
            ("one byte", tag[..1].to_vec()),
            ("empty", Vec::new()),
            ("extended by a zero", [&tag[..], &[0]].concat()),
            ("doubled", [&tag[..], &tag[..]].concat()),
        ] {
            assert_eq!(
                check(&v, &with_signature(&token, &bad)),
                Err(jwsgate::Error::InvalidSignature),
                "{alg} {what}"
            );
        }
    }
    // An HS512 token carrying only the first 32 bytes of its tag (the HS256 length).
    let token = fixture().good_token(Algorithm::HS512);
    let short = signature_of(&token)[..32].to_vec();
    assert_code(&v, &with_signature(&token, &short), "invalid_signature");
}

/// A signature over another signing input — the header or payload changed by one byte —
/// is `invalid_signature` for every algorithm (the signature covers the exact bytes).
#[test]
fn a_signature_over_other_bytes_is_invalid() {
    let f = fixture();
    for alg in Algorithm::ALL {
        let v = verifier_for(alg);
        let token = f.good_token(alg);
        let other = f.token(
            alg,
            &Fixture::header(alg),
            GOOD_CLAIMS.replace("alice", "alicf").as_bytes(),
        );
        let (input, _) = other.rsplit_once('.').unwrap();
        let (_, sig) = token.rsplit_once('.').unwrap();
        assert_code(&v, &format!("{input}.{sig}"), "invalid_signature");
    }
}
