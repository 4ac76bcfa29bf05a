// Twin: deciding the issuer (here, the loudly named opt-out) makes build() exist.
use jwsgate::{KeySet, Verifier};

fn configure(keys: KeySet) {
    let _ = Verifier::builder()
        .key_set(keys)
        .audience("api")
        .no_issuer_check()
        .build();
}

fn main() {
    let _ = configure;
}
