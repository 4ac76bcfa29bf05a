//! Word-at-a-time byte tests in safe Rust ("SIMD within a register"): eight bytes of a
//! `u64` judged at once, for the byte searches of the verify path.

/// Eight bytes as a little-endian word (the first byte lowest). Callers pass 8-byte
/// chunks; any other length gives 0, which keeps the crate free of panics.
#[inline(always)]
pub(crate) fn word(eight: &[u8]) -> u64 {
    <[u8; 8]>::try_from(eight).map_or(0, u64::from_le_bytes)
}

/// The high bit of each byte of `x` that equals `b`, exactly: no borrow or carry crosses
/// bytes, so every mark is a match (not only the lowest).
#[inline(always)]
pub(crate) fn marks_of(x: u64, b: u8) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let v = x ^ (0x0101_0101_0101_0101 * u64::from(b));
    !(((v & LOW7) + LOW7) | v) & !LOW7
}

/// The positions of `b` in `bytes`, in order: each is handed to `f`, which returns
/// `true` to stop. Returns whether `f` stopped.
#[inline(always)]
pub(crate) fn for_each_position(bytes: &[u8], b: u8, mut f: impl FnMut(usize) -> bool) -> bool {
    let mut words = bytes.chunks_exact(8);
    let mut base = 0;
    for eight in &mut words {
        let mut marks = marks_of(word(eight), b);
        while marks != 0 {
            if f(base + (marks.trailing_zeros() / 8) as usize) {
                return true;
            }
            marks &= marks - 1;
        }
        base += 8;
    }
    for (i, &c) in words.remainder().iter().enumerate() {
        if c == b && f(base + i) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value next to every other: the marks are exactly the equal bytes.
    #[test]
    fn marks_are_exact_for_every_byte_pair() {
        for b in [0u8, 0x20, 0x2e, 0x7f, 0x80, 0xff] {
            for x in 0..=255u8 {
                for y in [
                    x.wrapping_sub(1),
                    x,
                    x.wrapping_add(1),
                    b,
                    b ^ 0x80,
                    b.wrapping_add(1),
                ] {
                    let bytes = [x, y, b, x, y, x, b ^ 0x80, y];
                    let marks = marks_of(word(&bytes), b);
                    for (i, &c) in bytes.iter().enumerate() {
                        assert_eq!(marks >> (8 * i + 7) & 1 == 1, c == b, "{bytes:?} {b}");
                    }
                    assert_eq!(marks & 0x7f7f_7f7f_7f7f_7f7f, 0);
                }
            }
        }
    }

    #[test]
    fn positions_are_found_in_order_and_the_search_stops() {
        for len in 0..=27 {
            let bytes: Vec<u8> = (0..len)
                .map(|i| if i % 3 == 1 || i == 8 { b' ' } else { b'a' })
                .collect();
            let want: Vec<usize> = (0..len).filter(|&i| bytes[i] == b' ').collect();
            let mut got = Vec::new();
            assert!(!for_each_position(&bytes, b' ', |p| {
                got.push(p);
                false
            }));
            assert_eq!(got, want, "{len}");
            for (k, &stop) in want.iter().enumerate() {
                let mut seen = 0;
                assert!(for_each_position(&bytes, b' ', |p| {
                    seen += 1;
                    p == stop
                }));
                assert_eq!(seen, k + 1);
            }
        }
    }
}
