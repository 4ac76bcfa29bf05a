// build() does not exist before the audience is decided.
use jwsgate::{KeySet, Verifier};

fn configure(keys: KeySet) {
    let _ = Verifier::builder()
        .key_set(keys)
        .issuer("https://issuer.example")
        .build();
}

fn main() {
    let _ = configure;
}
