//! CRC-32C (Castagnoli, RFC 3720 §B.4): the checksum Secret Manager sends as
//! `payload.dataCrc32c`. Table-driven, one byte at a time: payloads are at most 64 KiB and
//! read once per refresh, so speed does not matter and the code stays small to review.

/// The reflected Castagnoli polynomial 0x1EDC6F41.
const POLY: u32 = 0x82F6_3B78;

/// The 256-entry table for the reflected polynomial, built at compile time.
const TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ POLY
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
};

/// The CRC-32C of `data` (initial value and final XOR 0xFFFFFFFF, reflected).
pub fn crc32c(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        let index = usize::from((crc as u8) ^ b);
        // panic-free: `index` is a u8 widened, and the table has 256 entries.
        crc = (crc >> 8) ^ TABLE[index];
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_check_value() {
        // The check value of the CRC catalogue for CRC-32/ISCSI.
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
    }

    #[test]
    fn rfc_3720_vectors() {
        // RFC 3720 §B.4: 32 bytes of zeros, of ones, incrementing, decrementing.
        assert_eq!(crc32c(&[0u8; 32]), 0x8A91_36AA);
        assert_eq!(crc32c(&[0xFFu8; 32]), 0x62A8_AB43);
        let inc: Vec<u8> = (0..32).collect();
        assert_eq!(crc32c(&inc), 0x46DD_794E);
        let dec: Vec<u8> = (0..32).rev().collect();
        assert_eq!(crc32c(&dec), 0x113F_DB5C);
        assert_eq!(crc32c(b""), 0);
    }
}
