// Twin: the remote JWK Set alone compiles.
use std::sync::Arc;

use jwsgate::remote::RemoteJwks;
use jwsgate::{StrongHmacKey, Verifier};

fn configure(remote: Arc<RemoteJwks>, key: StrongHmacKey) {
    let _ = Verifier::builder()
        .remote_jwks(remote)
        .issuer("https://issuer.example")
        .audience("api")
        .build();
    let _ = key;
}

fn main() {
    let _ = configure;
}
