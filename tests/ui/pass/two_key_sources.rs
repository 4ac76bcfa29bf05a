// Twin: one key source compiles.
use jwsgate::{PublicKey, Verifier};

fn configure(key: PublicKey) {
    let _ = Verifier::builder()
        .public_key(key)
        .issuer("https://issuer.example")
        .audience("api")
        .build();
}

fn main() {
    let _ = configure;
}
