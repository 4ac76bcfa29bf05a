//! The positive-answer cache: keyed by the token's SHA-256 (never the token), each entry
//! living no longer than the token's `exp` and the configured maximum, bounded in count.
//! Negative answers and failures are never cached.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::time::UnixTime;

/// The SHA-256 of a token.
pub(crate) type TokenDigest = [u8; 32];

/// The SHA-256 of `token`: the cache's and the in-flight table's key.
pub(crate) fn token_digest(token: &[u8]) -> TokenDigest {
    let mut out = [0u8; 32];
    out.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, token).as_ref());
    out
}

struct Entry {
    answer: Arc<str>,
    /// Served while `now < until`.
    until: u64,
}

pub(crate) struct AnswerCache {
    max_ttl_secs: u64,
    max_entries: usize,
    map: Mutex<HashMap<TokenDigest, Entry>>,
}

impl AnswerCache {
    pub(crate) fn new(max_ttl_secs: u64, max_entries: usize) -> AnswerCache {
        AnswerCache {
            max_ttl_secs,
            max_entries,
            map: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<TokenDigest, Entry>> {
        // A panic while holding the lock cannot leave the map inconsistent (every
        // operation is a single insert/remove/get); keep serving.
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cached answer for `key`, if one is still fresh at `now`. A stale one is removed.
    pub(crate) fn get(&self, key: &TokenDigest, now: UnixTime) -> Option<Arc<str>> {
        let mut map = self.lock();
        match map.get(key) {
            Some(e) if now.as_secs() < e.until => Some(Arc::clone(&e.answer)),
            Some(_) => {
                map.remove(key);
                None
            }
            None => None,
        }
    }

    /// Caches an active answer judged valid at `now`, until the earlier of `exp` and
    /// `now + max_ttl`. Nothing is cached when that lies in the past, or when the cache is
    /// full even after dropping stale entries.
    pub(crate) fn insert(
        &self,
        key: TokenDigest,
        answer: Arc<str>,
        exp: Option<i64>,
        now: UnixTime,
    ) {
        let now_s = now.as_secs();
        let mut until = now_s.saturating_add(self.max_ttl_secs);
        if let Some(exp) = exp {
            until = until.min(u64::try_from(exp).unwrap_or(0));
        }
        if until <= now_s {
            return;
        }
        let mut map = self.lock();
        if map.len() >= self.max_entries && !map.contains_key(&key) {
            map.retain(|_, e| now_s < e.until);
            if map.len() >= self.max_entries {
                return;
            }
        }
        map.insert(key, Entry { answer, until });
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: u64) -> UnixTime {
        UnixTime::from_secs(s)
    }

    #[test]
    fn entries_live_no_longer_than_exp_or_the_maximum() {
        let c = AnswerCache::new(60, 10);
        let k = token_digest(b"a");
        c.insert(k, Arc::from("x"), Some(1030), t(1000));
        assert!(c.get(&k, t(1029)).is_some());
        assert!(c.get(&k, t(1030)).is_none(), "not at exp");
        c.insert(k, Arc::from("x"), Some(5000), t(1000));
        assert!(c.get(&k, t(1059)).is_some());
        assert!(c.get(&k, t(1060)).is_none(), "not past the maximum");
        c.insert(k, Arc::from("x"), None, t(1000));
        assert!(c.get(&k, t(1059)).is_some());
        // An answer whose exp already passed (valid only by leeway) is not cached.
        let k2 = token_digest(b"b");
        c.insert(k2, Arc::from("x"), Some(999), t(1000));
        c.insert(k2, Arc::from("x"), Some(-5), t(1000));
        assert!(c.get(&k2, t(1000)).is_none());
    }

    #[test]
    fn the_entry_count_is_bounded() {
        let c = AnswerCache::new(60, 3);
        for i in 0..10u8 {
            c.insert(token_digest(&[i]), Arc::from("x"), None, t(1000));
        }
        assert_eq!(c.len(), 3);
        assert!(c.get(&token_digest(&[0]), t(1001)).is_some());
        assert!(c.get(&token_digest(&[9]), t(1001)).is_none());
        // Stale entries make room.
        c.insert(token_digest(b"new"), Arc::from("x"), None, t(2000));
        assert!(c.get(&token_digest(b"new"), t(2001)).is_some());
    }

    #[test]
    fn keys_are_sha256_of_the_token() {
        let hex: String = token_digest(b"abc")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            hex,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
