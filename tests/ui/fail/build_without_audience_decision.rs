// build() does not compile before the audience is decided; the error names the calls.
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
