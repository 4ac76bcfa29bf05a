//! Verify tokens against a JWK Set, the way a server does on every request: one verifier
//! (cheap to clone, `Send + Sync`), one reused scratch per thread, no allocation per
//! verify. Refusals carry a stable code and the HTTP status to answer with.
//!
//! ```text
//! cargo run --example verify_jwks [JWKS] [TOKEN_FILE...]
//! ```
//!
//! Defaults: `examples/jwks.json`, and every `examples/*.jwt` signed by it.

use jwsgate::{KeySet, Scratch, UnixTime, Verifier};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let jwks = args.next().unwrap_or_else(|| "examples/jwks.json".into());
    let mut files: Vec<String> = args.collect();
    if files.is_empty() {
        files = ["es256", "es384", "es512", "eddsa", "rs256"]
            .map(|n| format!("examples/{n}.jwt"))
            .into();
    }

    let verifier = Verifier::builder()
        .key_set(KeySet::from_jwks(&std::fs::read(jwks)?)?)
        .issuer("https://issuer.example")
        .audience("api://orders")
        .build()?;
    let mut scratch = Scratch::new();
    for file in &files {
        let token = std::fs::read_to_string(file)?;
        match verifier.verify(&mut scratch, token.trim().as_bytes(), UnixTime::now()) {
            Ok(t) => println!("{file}: {:?} valid for {:?}", t.alg(), t.claims().sub()),
            Err(e) => println!("{file}: refused {} ({}): {e}", e.code(), e.status()),
        }
    }
    Ok(())
}
