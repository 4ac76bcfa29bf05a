// Twin: the same chain with an asymmetric algorithm compiles.
use std::sync::Arc;

use jwsgate::remote::RemoteJwks;
use jwsgate::{AsymmetricAlg, Verifier};

fn configure(remote: Arc<RemoteJwks>) {
    let _ = Verifier::builder()
        .remote_jwks(remote)
        .algorithms([AsymmetricAlg::ES256])
        .issuer("https://issuer.example")
        .audience("api")
        .build();
}

fn main() {
    let _ = configure;
}
