// An asymmetric algorithm cannot be asked of an HMAC key source.
use jwsgate::{AsymmetricAlg, StrongHmacKey, Verifier};

fn configure(key: StrongHmacKey) {
    let _ = Verifier::builder()
        .hmac_key(key)
        .algorithms([AsymmetricAlg::RS256])
        .issuer("https://issuer.example")
        .audience("api")
        .build();
}

fn main() {
    let _ = configure;
}
