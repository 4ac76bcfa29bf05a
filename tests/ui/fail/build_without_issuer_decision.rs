// build() does not exist before the issuer is decided.
use jwsgate::{KeySet, Verifier};

fn configure(keys: KeySet) {
    let _ = Verifier::builder().key_set(keys).audience("api").build();
}

fn main() {
    let _ = configure;
}
