// A verifier has exactly one key source: a second one does not compile.
use jwsgate::{KeySet, PublicKey, Verifier};

fn configure(keys: KeySet, key: PublicKey) {
    let _ = Verifier::builder()
        .key_set(keys)
        .public_key(key)
        .issuer("https://issuer.example")
        .audience("api")
        .build();
}

fn main() {
    let _ = configure;
}
