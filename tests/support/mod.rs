//! The access-token suite's fixtures (`typ: at+jwt` tokens, a realistic claims set, keys
//! fresh per `Keys::new()`), from the fixture crate `support/fixtures`
//! (`jwsgate_fixtures::access`): add what a test needs there, not here.
#![allow(dead_code, unused_imports)]

pub use jwsgate_fixtures::access::{AUD, ISS, Keys, NOW, claims};
pub use jwsgate_fixtures::{HMAC_SECRET, b64, hmac_alg};
