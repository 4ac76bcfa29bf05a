//! [`LiveKeys`]: a key set that changes while the verifier runs (a remote JWK Set), seen
//! by the core through three synchronous, allocation-free calls. The core knows nothing of
//! how the set is kept current: the adapter (`crate::remote`) owns the network and the
//! tasks; this trait keeps the core free of async crates.

use super::store::KeyStore;
use crate::error::Error;

/// A key source kept current from elsewhere. Implementations must make every method
/// cheap, non-blocking and allocation-free: they run inside `Verifier::verify`.
pub(crate) trait LiveKeys: Send + Sync {
    /// The store holding the current set (one `load()` per verify).
    fn store(&self) -> &KeyStore;

    /// `Err(Error::KeysUnavailable)` when the current set may no longer be trusted (past
    /// its staleness bound); checked before any key is used.
    fn check_usable(&self) -> Result<(), Error>;

    /// Told when no key matched a token: the source may refetch (in the background, at
    /// most once per cooldown). Must return at once.
    fn key_missing(&self);
}
