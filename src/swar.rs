//! Word-at-a-time byte tests in safe Rust ("SIMD within a register"): eight bytes of a
//! `u64` judged at once, for the byte searches of the verify path.

/// Eight bytes as a little-endian word (the first byte lowest). Callers pass 8-byte
/// chunks; any other length gives 0, which keeps the crate free of panics.
#[inline(always)]
pub(crate) fn word(eight: &[u8]) -> u64 {
    <[u8; 8]>::try_from(eight).map_or(0, u64::from_le_bytes)
}
