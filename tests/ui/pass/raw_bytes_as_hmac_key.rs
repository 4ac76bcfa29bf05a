// Twin: bytes turned into a StrongHmacKey by its validating constructor compile.
use jwsgate::{StrongHmacKey, Verifier};

fn main() {
    let secret: Vec<u8> = (0u8..64).map(|i| i.wrapping_mul(97) ^ 0x5c).collect();
    if let Ok(key) = StrongHmacKey::new(&secret) {
        let _ = Verifier::builder()
            .hmac_key(key)
            .no_issuer_check()
            .no_audience_check()
            .build();
    }
}
