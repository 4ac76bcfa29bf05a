// Twin: the same chain with an HMAC algorithm compiles.
use std::sync::Arc;

use jwsgate::{HmacAlg, HmacKeyStore, Verifier};

fn configure(store: Arc<HmacKeyStore>) {
    let _ = Verifier::builder()
        .hmac_store(store)
        .algorithms([HmacAlg::HS256])
        .issuer("https://issuer.example")
        .audience("api")
        .build();
}

fn main() {
    let _ = configure;
}
