// Twin: deciding the audience makes build() exist.
use jwsgate::{KeySet, Verifier};

fn configure(keys: KeySet) {
    let _ = Verifier::builder()
        .key_set(keys)
        .issuer("https://issuer.example")
        .audiences(["api", "api2"])
        .build();
}

fn main() {
    let _ = configure;
}
