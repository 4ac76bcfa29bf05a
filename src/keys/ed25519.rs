//! Ed25519 public keys checked at load (RFC 8032 §5.1.3): a key must be a canonical
//! encoding of a curve point of the prime-order subgroup, other than the identity.
//!
//! ring's verification does not refuse a small-order key: with the identity as the key,
//! the signature `01 00…00 ‖ 00…00` (R = identity, S = 0) verifies for every message, so
//! anyone could forge. Every check that the 32 octets alone allow is therefore made here,
//! once, when the key is loaded:
//!
//! 1. the encoding is not one of the 14 small-order encodings of [`SMALL_ORDER`]
//!    (libsodium's blocklist, both sign bits);
//! 2. `y < p` (a canonical field element);
//! 3. `y` decodes to a point: `x² = (y² − 1) / (d·y² + 1)` has a square root;
//! 4. `x = 0` comes with a clear sign bit (RFC 8032 §5.1.3 step 4);
//! 5. `[L]P` is the identity: the point has no small-order component (honest key
//!    generation, `A = [s]B`, never makes one).
//!
//! The arithmetic is a deliberately small, variable-time implementation over
//! GF(2^255 − 19): the data are public, speed does not matter (it runs once per key),
//! and every value is kept fully reduced so that equality is limb equality. Unit tests
//! check it against RFC 8032's constants and rebuild the blocklist from the curve itself.

use crate::error::ConfigError;

/// The 14 encodings of small-order points (the 8 torsion points and their non-canonical
/// encodings), as in libsodium's `ge25519_has_small_order` blocklist, which Zcash also
/// used before ZIP 215; listed here with both sign bits. Octets are little-endian, the
/// top bit of the last octet is the sign of `x`.
const SMALL_ORDER: [[u8; 32]; 14] = [
    // y = 0, x = +sqrt(-1): order 4.
    fill(0x00, 0x00, 0x00),
    // y = 0, x = -sqrt(-1): order 4.
    fill(0x00, 0x00, 0x80),
    // y = 1, x = 0: the identity (order 1) — the key the issue forged with.
    fill(0x01, 0x00, 0x00),
    // y = 1, x = 0 with the sign bit set: a non-canonical encoding of the identity.
    fill(0x01, 0x00, 0x80),
    // y = 2707385501144840649318225287225658788936804267575313519463743609750303402022,
    // x even: order 8.
    ORDER8_Y1,
    // the same y, x odd: order 8.
    with_sign(ORDER8_Y1),
    // y = 55188659117513257062467267217118295137698188065244968500265048394206261417927,
    // x even: order 8.
    ORDER8_Y2,
    // the same y, x odd: order 8.
    with_sign(ORDER8_Y2),
    // y = p − 1, x = 0: order 2.
    fill(0xec, 0xff, 0x7f),
    // y = p − 1, x = 0 with the sign bit set: non-canonical, order 2.
    fill(0xec, 0xff, 0xff),
    // y = p (≡ 0): a non-canonical encoding of an order-4 point.
    fill(0xed, 0xff, 0x7f),
    // y = p (≡ 0), sign bit set: a non-canonical encoding of the other order-4 point.
    fill(0xed, 0xff, 0xff),
    // y = p + 1 (≡ 1): a non-canonical encoding of the identity.
    fill(0xee, 0xff, 0x7f),
    // y = p + 1 (≡ 1), sign bit set: a non-canonical encoding of the identity.
    fill(0xee, 0xff, 0xff),
];

/// An order-8 point's `y` (libsodium's blocklist, entry 3).
const ORDER8_Y1: [u8; 32] = [
    0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
    0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05,
];

/// The other order-8 points' `y` (`p − ORDER8_Y1`; libsodium's blocklist, entry 4).
const ORDER8_Y2: [u8; 32] = [
    0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
    0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a,
];

/// `[first, middle × 30, last]`.
const fn fill(first: u8, middle: u8, last: u8) -> [u8; 32] {
    let mut out = [middle; 32];
    out[0] = first;
    out[31] = last;
    out
}

/// `encoding` with the sign bit of `x` set.
const fn with_sign(mut encoding: [u8; 32]) -> [u8; 32] {
    encoding[31] |= 0x80;
    encoding
}

/// Whether `encoding` is one of the small-order encodings of [`SMALL_ORDER`].
pub(crate) fn is_small_order_encoding(encoding: &[u8; 32]) -> bool {
    SMALL_ORDER.iter().any(|blocked| blocked == encoding)
}

/// Refuses an Ed25519 public key that is not a canonical encoding of a point of the
/// prime-order subgroup other than the identity (the five checks of the module docs).
pub(crate) fn check_public_key(encoding: &[u8; 32]) -> Result<(), ConfigError> {
    if is_small_order_encoding(encoding) {
        return Err(ConfigError::InvalidKey(
            "Ed25519 key is a small-order point: anyone could forge signatures for it",
        ));
    }
    let point = Point::decode(encoding)?;
    if !point.mul_by_group_order().is_identity() {
        return Err(ConfigError::InvalidKey(
            "Ed25519 key has a small-order component (not in the prime-order subgroup)",
        ));
    }
    Ok(())
}

/// p = 2^255 − 19, little-endian limbs.
const P: [u64; 4] = [
    0xffff_ffff_ffff_ffed,
    u64::MAX,
    u64::MAX,
    0x7fff_ffff_ffff_ffff,
];

/// p − 2 = 2^255 − 21: the inversion exponent (Fermat), for the tests' encoder.
#[cfg(test)]
const P_MINUS_2: [u64; 4] = [
    0xffff_ffff_ffff_ffeb,
    u64::MAX,
    u64::MAX,
    0x7fff_ffff_ffff_ffff,
];

/// (p − 5) / 8 = 2^252 − 3: the square-root exponent of RFC 8032 §5.1.3.
const P_MINUS_5_OVER_8: [u64; 4] = [
    0xffff_ffff_ffff_fffd,
    u64::MAX,
    u64::MAX,
    0x0fff_ffff_ffff_ffff,
];

/// L = 2^252 + 27742317777372353535851937790883648493, the prime order of the base point.
const GROUP_ORDER: [u64; 4] = [
    0x5812_631a_5cf5_d3ed,
    0x14de_f9de_a2f7_9cd6,
    0,
    0x1000_0000_0000_0000,
];

/// Whether `a ≥ b` (little-endian limbs).
fn at_least(a: &[u64; 4], b: &[u64; 4]) -> bool {
    // Lexicographic from the most significant limb.
    a.iter().rev().ge(b.iter().rev())
}

/// `a − b` modulo 2^256.
fn sub_limbs(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    let mut out = [0u64; 4];
    let mut borrow = false;
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        let (d1, b1) = x.overflowing_sub(*y);
        let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
        *o = d2;
        borrow = b1 || b2;
    }
    out
}

/// `a + b` modulo 2^256, and the carry out.
fn add_limbs(a: &[u64; 4], b: &[u64; 4]) -> ([u64; 4], bool) {
    let mut out = [0u64; 4];
    let mut carry = false;
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        let (s1, c1) = x.overflowing_add(*y);
        let (s2, c2) = s1.overflowing_add(u64::from(carry));
        *o = s2;
        carry = c1 || c2;
    }
    (out, carry)
}

/// Adds `c · 38` to `limbs` (2^256 ≡ 38 mod p), returning the carry out of 2^256.
fn fold(limbs: &mut [u64; 4], c: u128) -> u128 {
    let mut carry = c * 38;
    for limb in limbs.iter_mut() {
        let v = u128::from(*limb) + carry;
        *limb = v as u64;
        carry = v >> 64;
    }
    carry
}

/// An element of GF(p), always fully reduced (below p), so equal elements have equal limbs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Fe([u64; 4]);

impl Fe {
    const ZERO: Fe = Fe([0; 4]);
    const ONE: Fe = Fe([1, 0, 0, 0]);

    /// A small constant.
    #[cfg(test)]
    fn small(v: u64) -> Fe {
        Fe([v, 0, 0, 0])
    }

    /// Reduces a value below 2^256 (< 3p) to below p.
    fn reduce(mut limbs: [u64; 4]) -> Fe {
        for _ in 0..2 {
            if at_least(&limbs, &P) {
                limbs = sub_limbs(&limbs, &P);
            }
        }
        Fe(limbs)
    }

    /// The little-endian field element `y` of an encoding (sign bit cleared), if below p.
    fn from_canonical_bytes(bytes: &[u8; 32]) -> Option<Fe> {
        let mut limbs = [0u64; 4];
        for (limb, chunk) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            *limb = u64::from_le_bytes(word);
        }
        limbs[3] &= 0x7fff_ffff_ffff_ffff;
        (!at_least(&limbs, &P)).then_some(Fe(limbs))
    }

    /// The 32-octet little-endian encoding.
    #[cfg(test)]
    fn to_bytes(self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (chunk, limb) in out.chunks_exact_mut(8).zip(self.0) {
            chunk.copy_from_slice(&limb.to_le_bytes());
        }
        out
    }

    fn is_odd(self) -> bool {
        self.0[0] & 1 == 1
    }

    fn add(self, other: Fe) -> Fe {
        // Both are below p < 2^255: the sum is below 2^256 and cannot carry out.
        Fe::reduce(add_limbs(&self.0, &other.0).0)
    }

    fn neg(self) -> Fe {
        // p − a lies in (0, p]; `reduce` maps p to 0.
        Fe::reduce(sub_limbs(&P, &self.0))
    }

    fn sub(self, other: Fe) -> Fe {
        self.add(other.neg())
    }

    fn mul(self, other: Fe) -> Fe {
        let mut wide = [0u64; 8];
        for (i, a) in self.0.iter().enumerate() {
            let mut carry: u128 = 0;
            for (j, b) in other.0.iter().enumerate() {
                // i + j ≤ 6 and i + 4 ≤ 7: within the 8 limbs.
                let v = u128::from(wide[i + j]) + u128::from(*a) * u128::from(*b) + carry;
                wide[i + j] = v as u64;
                carry = v >> 64;
            }
            wide[i + 4] = carry as u64;
        }
        // low + 38 · high, since 2^256 ≡ 38 (mod p).
        let mut limbs = [0u64; 4];
        let mut carry: u128 = 0;
        for ((limb, lo), hi) in limbs.iter_mut().zip(&wide[..4]).zip(&wide[4..]) {
            let v = u128::from(*lo) + 38 * u128::from(*hi) + carry;
            *limb = v as u64;
            carry = v >> 64;
        }
        // carry < 40: fold it in; a second fold absorbs the at most one carry left.
        let carry = fold(&mut limbs, carry);
        fold(&mut limbs, carry);
        Fe::reduce(limbs)
    }

    fn square(self) -> Fe {
        self.mul(self)
    }

    /// `self ^ exponent` (square and multiply, most significant bit first).
    fn pow(self, exponent: &[u64; 4]) -> Fe {
        let mut acc = Fe::ONE;
        for limb in exponent.iter().rev() {
            for bit in (0..64).rev() {
                acc = acc.square();
                if (limb >> bit) & 1 == 1 {
                    acc = acc.mul(self);
                }
            }
        }
        acc
    }

    #[cfg(test)]
    fn invert(self) -> Fe {
        self.pow(&P_MINUS_2)
    }
}

/// The curve constant d = −121665 / 121666 (RFC 8032 §5.1), little-endian limbs; a unit
/// test recomputes it.
const D: Fe = Fe([
    0x75eb_4dca_1359_78a3,
    0x0070_0a4d_4141_d8ab,
    0x8cc7_4079_7779_e898,
    0x5203_6cee_2b6f_fe73,
]);

/// A square root of −1, 2^((p − 1) / 4) (RFC 8032 §5.1.3); a unit test recomputes it.
const SQRT_MINUS_ONE: Fe = Fe([
    0xc4ee_1b27_4a0e_a0b0,
    0x2f43_1806_ad2f_e478,
    0x2b4d_0099_3dfb_d7a7,
    0x2b83_2480_4fc1_df0b,
]);

/// A point in extended twisted Edwards coordinates (X : Y : Z : T), x = X/Z, y = Y/Z,
/// x·y = T/Z (Hisil, Wong, Carter, Dawson 2008).
#[derive(Clone, Copy, Debug)]
struct Point {
    x: Fe,
    y: Fe,
    z: Fe,
    t: Fe,
}

impl Point {
    const IDENTITY: Point = Point {
        x: Fe::ZERO,
        y: Fe::ONE,
        z: Fe::ONE,
        t: Fe::ZERO,
    };

    /// RFC 8032 §5.1.3 decoding, refusing what does not decode.
    fn decode(encoding: &[u8; 32]) -> Result<Point, ConfigError> {
        let y = Fe::from_canonical_bytes(encoding).ok_or(ConfigError::InvalidKey(
            "Ed25519 key is not canonically encoded (y is not below 2^255 - 19)",
        ))?;
        let sign = encoding[31] >> 7 == 1;
        let yy = y.square();
        let u = yy.sub(Fe::ONE);
        let v = D.mul(yy).add(Fe::ONE);
        // x = u·v³·(u·v⁷)^((p − 5) / 8), then fix up or fail.
        let v3 = v.square().mul(v);
        let v7 = v3.square().mul(v);
        let mut x = u.mul(v3).mul(u.mul(v7).pow(&P_MINUS_5_OVER_8));
        let vxx = v.mul(x.square());
        if vxx == u {
            // x is a root.
        } else if vxx == u.neg() {
            x = x.mul(SQRT_MINUS_ONE);
        } else {
            return Err(ConfigError::InvalidKey(
                "Ed25519 key does not decode to a curve point",
            ));
        }
        if x == Fe::ZERO && sign {
            return Err(ConfigError::InvalidKey(
                "Ed25519 key encodes x = 0 with the sign bit set (non-canonical)",
            ));
        }
        if x.is_odd() != sign {
            x = x.neg();
        }
        Ok(Point {
            x,
            y,
            z: Fe::ONE,
            t: x.mul(y),
        })
    }

    /// The unified addition law for a = −1 ("add-2008-hwcd-3"), complete on this curve
    /// (a is a square, d is not), so it also doubles and handles the identity.
    fn add(&self, other: &Point) -> Point {
        let two_d = D.add(D);
        let a = self.y.sub(self.x).mul(other.y.sub(other.x));
        let b = self.y.add(self.x).mul(other.y.add(other.x));
        let c = self.t.mul(two_d).mul(other.t);
        let d = self.z.add(self.z).mul(other.z);
        let (e, f, g, h) = (b.sub(a), d.sub(c), d.add(c), b.add(a));
        Point {
            x: e.mul(f),
            y: g.mul(h),
            z: f.mul(g),
            t: e.mul(h),
        }
    }

    /// `[scalar] self`, double and add.
    fn mul(&self, scalar: &[u64; 4]) -> Point {
        let mut acc = Point::IDENTITY;
        for limb in scalar.iter().rev() {
            for bit in (0..64).rev() {
                acc = acc.add(&acc);
                if (limb >> bit) & 1 == 1 {
                    acc = acc.add(self);
                }
            }
        }
        acc
    }

    fn mul_by_group_order(&self) -> Point {
        self.mul(&GROUP_ORDER)
    }

    /// Whether this is the identity (0 : Z : Z : 0).
    fn is_identity(&self) -> bool {
        self.x == Fe::ZERO && self.y == self.z
    }

    /// The RFC 8032 §5.1.2 encoding.
    #[cfg(test)]
    fn encode(&self) -> [u8; 32] {
        let zi = self.z.invert();
        let (x, y) = (self.x.mul(zi), self.y.mul(zi));
        let mut out = y.to_bytes();
        if x.is_odd() {
            out[31] |= 0x80;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex32(hex: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (o, pair) in out.iter_mut().zip(hex.as_bytes().chunks(2)) {
            *o = u8::from_str_radix(core::str::from_utf8(pair).unwrap(), 16).unwrap();
        }
        out
    }

    /// RFC 8032 §5.1: the base point B (y = 4/5, x even).
    fn base_point() -> [u8; 32] {
        let mut b = [0x66u8; 32];
        b[0] = 0x58;
        b
    }

    #[test]
    fn field_constants_match_rfc_8032() {
        // d, little-endian, as in RFC 8032's reference code and every implementation.
        assert_eq!(
            D.to_bytes(),
            hex32("a3785913ca4deb75abd841414d0a700098e879777940c78c73fe6f2bee6c0352")
        );
        let d = Fe::small(121_665).neg().mul(Fe::small(121_666).invert());
        assert_eq!(D, d);
        // (p − 1) / 4 = 2^253 − 5.
        let p_minus_1_over_4 = [
            0xffff_ffff_ffff_fffb,
            u64::MAX,
            u64::MAX,
            0x1fff_ffff_ffff_ffff,
        ];
        assert_eq!(SQRT_MINUS_ONE, Fe::small(2).pow(&p_minus_1_over_4));
        assert_eq!(SQRT_MINUS_ONE.square(), Fe::ONE.neg());
        assert_eq!(Fe::small(121_666).invert().mul(Fe::small(121_666)), Fe::ONE);
        // p − 1 squared is 1; (p − 1) + 1 is 0.
        let minus_one = Fe::ONE.neg();
        assert_eq!(minus_one.square(), Fe::ONE);
        assert_eq!(minus_one.add(Fe::ONE), Fe::ZERO);
        // A product that overflows 2^256 many times over reduces correctly:
        // (2^255 − 20)² = 1 (mod p) was checked above; and (p−1)·2 = p − 2.
        assert_eq!(minus_one.mul(Fe::small(2)), Fe::small(2).neg());
    }

    #[test]
    fn the_base_point_decodes_and_has_order_l() {
        let b = Point::decode(&base_point()).unwrap();
        assert!(!b.is_identity());
        assert!(b.mul_by_group_order().is_identity());
        assert_eq!(b.encode(), base_point());
        // [2]B from RFC 8032's test vectors is not the identity and is in the subgroup.
        let two_b = b.add(&b);
        assert!(!two_b.is_identity());
        assert!(two_b.mul_by_group_order().is_identity());
        assert!(check_public_key(&base_point()).is_ok());
        assert!(check_public_key(&two_b.encode()).is_ok());
    }

    #[test]
    fn rfc_8032_test_keys_are_accepted() {
        // RFC 8032 §7.1, TEST 1, 2, 3 and 1024 public keys.
        for pk in [
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
        ] {
            assert_eq!(check_public_key(&hex32(pk)), Ok(()), "{pk}");
        }
    }

    /// The blocklist, rebuilt from the curve: [L]Q for points Q of full order gives the
    /// torsion points; each of their encodings (both sign bits where x = 0) is listed, and
    /// every listed encoding is either one of them or a non-canonical encoding of one.
    #[test]
    fn the_blocklist_is_exactly_the_torsion_encodings() {
        let mut torsion: Vec<[u8; 32]> = Vec::new();
        for y in 2u64..200 {
            if torsion.len() == 8 {
                break;
            }
            let mut enc = Fe::small(y).to_bytes();
            for sign in [false, true] {
                if sign {
                    enc[31] |= 0x80;
                }
                let Ok(q) = Point::decode(&enc) else { continue };
                let t = q.mul_by_group_order().encode();
                if !torsion.contains(&t) {
                    torsion.push(t);
                }
            }
        }
        assert_eq!(torsion.len(), 8, "the torsion subgroup has 8 points");
        for t in &torsion {
            let p = Point::decode(t).unwrap();
            assert!(p.mul(&[8, 0, 0, 0]).is_identity());
            assert!(SMALL_ORDER.contains(t), "{t:02x?} missing");
        }
        // The six non-canonical ones: x = 0 with the sign bit (y = 1, y = −1), and
        // y = p, p + 1 with either sign bit.
        let mut listed_non_canonical = 0;
        for enc in SMALL_ORDER {
            if torsion.contains(&enc) {
                continue;
            }
            listed_non_canonical += 1;
            let mut y = enc;
            y[31] &= 0x7f;
            let canonical_y = Fe::from_canonical_bytes(&y);
            let sign_with_zero_x =
                matches!(canonical_y, Some(v) if v == Fe::ONE || v == Fe::ONE.neg());
            let y_over_p = canonical_y.is_none()
                && (y == fill(0xed, 0xff, 0x7f) || y == fill(0xee, 0xff, 0x7f));
            assert!(sign_with_zero_x || y_over_p, "{enc:02x?}");
            assert!(Point::decode(&enc).is_err());
        }
        assert_eq!(listed_non_canonical, 6);
        let mut distinct = SMALL_ORDER.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), SMALL_ORDER.len());
    }

    #[test]
    fn each_defect_is_refused_with_its_reason() {
        let reason = |enc: &[u8; 32]| match check_public_key(enc) {
            Err(ConfigError::InvalidKey(why)) => why,
            other => panic!("{other:?}"),
        };
        for enc in SMALL_ORDER {
            assert!(reason(&enc).contains("small-order point"));
        }
        // y = p + 2 (≡ 2): not canonical (2 itself does not decode, but the canonical
        // check comes first). y = 2^255 − 1 likewise.
        assert!(reason(&fill(0xef, 0xff, 0x7f)).contains("canonical"));
        assert!(reason(&fill(0xff, 0xff, 0xff)).contains("canonical"));
        // Find a y that is not on the curve and one whose point has a torsion component.
        let b = Point::decode(&base_point()).unwrap();
        let t = Point::decode(&ORDER8_Y1).unwrap();
        let mixed = b.add(&t).encode();
        assert!(reason(&mixed).contains("small-order component"));
        // The same with the point of order 2, (0, −1): [L](B + T2) = T2 has x = 0 but
        // y ≠ z, so only the whole identity test (x = 0 and y = z) tells it apart.
        let t2 = Point::decode(&fill(0xec, 0xff, 0x7f)).unwrap();
        assert!(!t2.is_identity());
        assert!(t2.add(&t2).is_identity());
        assert!(reason(&b.add(&t2).encode()).contains("small-order component"));
        let off = (2u64..100)
            .map(|y| Fe::small(y).to_bytes())
            .find(|enc| Point::decode(enc).is_err())
            .unwrap();
        assert!(reason(&off).contains("does not decode"));
    }
}
