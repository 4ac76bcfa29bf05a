// Twin: the same chain with an HMAC algorithm compiles.
use jwsgate::{HmacAlg, StrongHmacKey, Verifier};

fn configure(key: StrongHmacKey) {
    let _ = Verifier::builder()
        .hmac_key(key)
        .algorithms([HmacAlg::HS256])
        .issuer("https://issuer.example")
        .audience("api")
        .build();
}

fn main() {
    let _ = configure;
}
