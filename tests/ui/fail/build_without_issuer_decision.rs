// build() does not compile before the issuer is decided; the error names the calls.
use jwsgate::{KeySet, Verifier};

fn configure(keys: KeySet) {
    let _ = Verifier::builder().key_set(keys).audience("api").build();
}

fn main() {
    let _ = configure;
}
