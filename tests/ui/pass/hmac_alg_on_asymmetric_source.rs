// Twin: the same chain with an asymmetric algorithm compiles.
use jwsgate::{AsymmetricAlg, KeySet, Verifier};

fn configure(keys: KeySet) {
    let _ = Verifier::builder()
        .key_set(keys)
        .algorithms([AsymmetricAlg::ES256])
        .issuer("https://issuer.example")
        .audience("api")
        .build();
}

fn main() {
    let _ = configure;
}
