// A remote JWK Set and an HMAC key cannot both be the key source.
use std::sync::Arc;

use jwsgate::remote::RemoteJwks;
use jwsgate::{StrongHmacKey, Verifier};

fn configure(remote: Arc<RemoteJwks>, key: StrongHmacKey) {
    let _ = Verifier::builder()
        .remote_jwks(remote)
        .hmac_key(key)
        .issuer("https://issuer.example")
        .audience("api")
        .build();
}

fn main() {
    let _ = configure;
}
