// An HMAC algorithm cannot be asked of a remote JWK Set (an asymmetric key source).
use std::sync::Arc;

use jwsgate::remote::RemoteJwks;
use jwsgate::{HmacAlg, Verifier};

fn configure(remote: Arc<RemoteJwks>) {
    let _ = Verifier::builder()
        .remote_jwks(remote)
        .algorithms([HmacAlg::HS256])
        .issuer("https://issuer.example")
        .audience("api")
        .build();
}

fn main() {
    let _ = configure;
}
