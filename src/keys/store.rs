//! [`KeyStore`]: the current [`KeySet`] behind `arc_swap::ArcSwap`. Readers never wait.

use core::fmt;
use std::sync::Arc;

use super::set::KeySet;

/// The current key set behind `arc_swap::ArcSwap`: a refresh builds a new set and swaps it
/// in; readers take one `load()` per verification and never lock or wait.
pub struct KeyStore {
    current: arc_swap::ArcSwap<KeySet>,
}

impl KeyStore {
    /// A store holding `set`.
    pub fn new(set: KeySet) -> KeyStore {
        KeyStore {
            current: arc_swap::ArcSwap::from_pointee(set),
        }
    }

    /// The current set (one `load()` per verify; no lock). Do not hold the guard across an
    /// `.await`.
    pub fn load(&self) -> arc_swap::Guard<Arc<KeySet>> {
        self.current.load()
    }

    /// Replaces the current set; verifications already running keep the set they loaded.
    pub fn store(&self, set: KeySet) {
        self.current.store(Arc::new(set));
    }
}

impl fmt::Debug for KeyStore {
    /// Shows the current set (kids and kinds only).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyStore")
            .field("current", &**self.current.load())
            .finish()
    }
}
