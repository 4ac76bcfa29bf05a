//! Keys: JWK, JWK Set and PEM parsing, validation at load, key selection, the key store.
//!
//! Everything here runs when keys are loaded (allocation is fine) except
//! [`KeySet::select`], [`PublicKey::verify`], [`StrongHmacKey::verify`] and
//! [`KeyStore::load`] and [`HmacKeyStore::verify`], which run per token and allocate nothing of jwsgate's own.
//!
//! | module | responsibility |
//! | --- | --- |
//! | `jwk` | JWK / JWK Set JSON (simd-json + serde) and the rules on JWK members |
//! | `pem`, `spki`, `der` | PEM armor, the SPKI / PKCS#1 grammars, a minimal DER reader |
//! | `public_key` | [`PublicKey`]: validation at load, `verify` |
//! | `set` | [`KeySet`] and the selection rule |
//! | `store` | [`KeyStore`] over `arc_swap` |
//! | `hmac` | [`StrongHmacKey`] |
//! | `hmac_store` | [`HmacKeyStore`]: current + previous secret over `arc_swap` |

mod der;
mod hmac;
mod hmac_store;
mod jwk;
mod live;
mod pem;
mod public_key;
mod set;
mod spki;
mod store;

#[cfg(test)]
mod tests;

pub use hmac::StrongHmacKey;
pub use hmac_store::HmacKeyStore;
pub(crate) use live::LiveKeys;
pub use public_key::PublicKey;
pub use set::KeySet;
pub use store::KeyStore;
