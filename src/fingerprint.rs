//! Token fingerprints: what logs and the rate limiter carry instead of a token.
//!
//! A fingerprint is the first 8 bytes of the token's SHA-256 (docs/design.md principle 5),
//! shown as 16 lowercase hex digits. Computing one allocates nothing: the digest and the
//! hex text live in the [`Fingerprint`] value itself.

use core::fmt;

use ring::digest;

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// The first 8 bytes of a token's SHA-256, as a number and as 16 lowercase hex digits.
///
/// ```
/// use jwsgate::fingerprint::fingerprint;
///
/// let fp = fingerprint(b"abc");
/// assert_eq!(fp.as_str(), "ba7816bf8f01cfea");
/// assert_eq!(fp.to_string(), "ba7816bf8f01cfea");
/// assert_eq!(fp.as_u64(), 0xba78_16bf_8f01_cfea);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    value: u64,
    hex: [u8; 16],
}

/// Fingerprints `token`: SHA-256 (ring), first 8 bytes, big-endian.
///
/// ```
/// use jwsgate::fingerprint::fingerprint;
/// // SHA-256("") = e3b0c44298fc1c14 9afbf4c8996fb924...
/// assert_eq!(fingerprint(b"").as_str(), "e3b0c44298fc1c14");
/// ```
pub fn fingerprint(token: &[u8]) -> Fingerprint {
    let digest = digest::digest(&digest::SHA256, token);
    // A SHA-256 digest is 32 bytes, so the first 8 always exist.
    let first = digest
        .as_ref()
        .first_chunk::<8>()
        .copied()
        .unwrap_or_default();
    Fingerprint::from_u64(u64::from_be_bytes(first))
}

impl Fingerprint {
    /// The fingerprint whose numeric value is `value` (e.g. one read back from a log).
    ///
    /// ```
    /// use jwsgate::fingerprint::{Fingerprint, fingerprint};
    /// let fp = fingerprint(b"abc");
    /// assert_eq!(Fingerprint::from_u64(fp.as_u64()), fp);
    /// assert_eq!(Fingerprint::from_u64(0xff).as_str(), "00000000000000ff");
    /// ```
    pub const fn from_u64(value: u64) -> Fingerprint {
        let mut hex = [0u8; 16];
        let mut i = 0;
        while i < 16 {
            let nibble = (value >> (60 - 4 * i)) & 0xf;
            hex[i] = HEX_DIGITS[nibble as usize];
            i += 1;
        }
        Fingerprint { value, hex }
    }

    /// The fingerprint as a number: a rate-limiter key.
    ///
    /// ```
    /// use jwsgate::fingerprint::fingerprint;
    /// assert_eq!(fingerprint(b"").as_u64(), 0xe3b0_c442_98fc_1c14);
    /// ```
    pub const fn as_u64(&self) -> u64 {
        self.value
    }

    /// The 16 lowercase hex digits, as bytes.
    ///
    /// ```
    /// use jwsgate::fingerprint::fingerprint;
    /// assert_eq!(fingerprint(b"abc").as_bytes(), b"ba7816bf8f01cfea");
    /// ```
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.hex
    }

    /// The 16 lowercase hex digits, for logs.
    ///
    /// ```
    /// use jwsgate::fingerprint::fingerprint;
    /// assert_eq!(fingerprint(b"abc").as_str(), "ba7816bf8f01cfea");
    /// ```
    pub fn as_str(&self) -> &str {
        // The buffer holds only ASCII hex digits, so this never takes the fallback.
        core::str::from_utf8(&self.hex).unwrap_or("")
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({})", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-256 test vectors (FIPS 180-2 appendix B), full digests for reference.
    const VECTORS: [(&[u8], &str); 3] = [
        (
            b"abc",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        (
            b"",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        (
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
    ];

    #[test]
    fn first_sixteen_hex_digits_of_sha256() {
        for (input, digest) in VECTORS {
            let fp = fingerprint(input);
            assert_eq!(fp.as_str(), &digest[..16]);
            assert_eq!(fp.to_string(), &digest[..16]);
            assert_eq!(fp.as_u64(), u64::from_str_radix(&digest[..16], 16).unwrap());
            assert_eq!(format!("{fp:?}"), format!("Fingerprint({})", &digest[..16]));
        }
    }

    #[test]
    fn hex_round_trips_for_extremes() {
        for v in [0, 1, u64::MAX, 0x0123_4567_89ab_cdef] {
            let fp = Fingerprint::from_u64(v);
            assert_eq!(fp.as_str(), format!("{v:016x}"));
        }
    }
}
