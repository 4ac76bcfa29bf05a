// An HMAC algorithm cannot be asked of an asymmetric key source.
use jwsgate::{HmacAlg, KeySet, Verifier};

fn configure(keys: KeySet) {
    let _ = Verifier::builder()
        .key_set(keys)
        .algorithms([HmacAlg::HS256])
        .issuer("https://issuer.example")
        .audience("api")
        .build();
}

fn main() {
    let _ = configure;
}
