//! Development aids (`dev` feature): static bearer tokens for local development, key
//! generation for every algorithm, and the production guard both they and the
//! `jwsgate` development commands use. Never in the default features.
//!
//! Everything here refuses to run where [`detect_production`] finds production, unless
//! overridden in code through a method whose name starts with `dangerous_`.

mod keygen;
mod production_guard;
mod static_tokens;

pub use keygen::{KeygenError, RsaBits, generate_hmac_secret, generate_pkcs8};
pub use production_guard::{
    PLATFORM_VARIABLES, ProductionMarker, STAGE_VARIABLES, detect_production, process_env,
};
pub use static_tokens::{DevIdentity, DevTokensError, StaticTokens, StaticTokensBuilder};
