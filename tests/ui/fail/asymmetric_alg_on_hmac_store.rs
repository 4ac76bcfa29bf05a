// An asymmetric algorithm cannot be asked of a rotating HMAC key store.
use std::sync::Arc;

use jwsgate::{AsymmetricAlg, HmacKeyStore, Verifier};

fn configure(store: Arc<HmacKeyStore>) {
    let _ = Verifier::builder()
        .hmac_store(store)
        .algorithms([AsymmetricAlg::ES256])
        .issuer("https://issuer.example")
        .audience("api")
        .build();
}

fn main() {
    let _ = configure;
}
