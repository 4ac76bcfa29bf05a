//! Time is an argument: the verifier never reads a clock on its own.

use core::time::Duration;

/// A point in time as whole seconds since the Unix epoch (as webpki's `UnixTime`).
///
/// ```
/// use jwsgate::UnixTime;
/// let t = UnixTime::from_secs(1_700_000_000);
/// assert_eq!(t.as_secs(), 1_700_000_000);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(u64);

impl UnixTime {
    /// The instant `secs` seconds after the epoch.
    pub const fn from_secs(secs: u64) -> UnixTime {
        UnixTime(secs)
    }

    /// The system clock's present, to the second. A clock before the epoch reads as 0.
    pub fn now() -> UnixTime {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or(Duration::ZERO);
        UnixTime(since.as_secs())
    }

    /// Seconds since the epoch.
    pub const fn as_secs(self) -> u64 {
        self.0
    }
}
