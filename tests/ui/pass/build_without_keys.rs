// Twin: choosing a key source makes build() compile.
use jwsgate::{KeySet, Verifier};

fn configure(keys: KeySet) {
    let _ = Verifier::builder()
        .issuer("https://issuer.example")
        .audience("api")
        .key_set(keys)
        .build();
}

fn main() {
    let _ = configure;
}
