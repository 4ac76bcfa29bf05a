//! The two newcomer tasks of the README, each in at most ten lines: verify the example
//! tokens against `examples/jwks.json`, and read claims into your own
//! `#[derive(Deserialize)]` struct (no `serde_json`: jwsgate decodes the verified claims).
//!
//! ```text
//! cargo run --example typed_claims
//! ```

use jwsgate::{KeySet, UnixTime, Verifier};

/// Your claims: registered ones and custom ones alike (`scope` here).
#[derive(Debug, serde::Deserialize)]
struct MyClaims {
    sub: String,
    scope: String,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // README:start
    let keys = KeySet::from_jwks(&std::fs::read("examples/jwks.json")?)?;
    let verifier = Verifier::builder()
        .key_set(keys)
        .issuer("https://issuer.example")
        .audience("api://orders")
        .build()?;
    let token = std::fs::read_to_string("examples/es256.jwt")?;
    let claims: MyClaims = verifier
        .verify_owned(token.trim(), UnixTime::now())?
        .deserialize()?;
    println!("{} may {}", claims.sub, claims.scope);
    // README:end

    // Task 1: verify two example tokens against the JWK Set (ES256 and EdDSA).
    for file in ["examples/es256.jwt", "examples/eddsa.jwt"] {
        let token = std::fs::read_to_string(file)?;
        let owned = verifier.verify_owned(token.trim(), UnixTime::now())?;
        println!("{file}: valid, subject {:?}", owned.sub());
    }

    // Task 2: a claim into a #[derive(Deserialize)] struct, on the zero-copy path.
    let mut scratch = verifier.new_scratch();
    let token = std::fs::read_to_string("examples/eddsa.jwt")?;
    let verified = verifier.verify(&mut scratch, token.trim().as_bytes(), UnixTime::now())?;
    let mine: MyClaims = verified.deserialize()?;
    println!("typed: {mine:?}");
    Ok(())
}
