//! The limiter of failed authentication attempts, as the HTTP layer uses it: a read-only
//! "is this key already limited?" before any signature work, and "record a failure"
//! after a refused token. A token that verifies is never counted.

use core::time::Duration;
use std::io;
use std::net::IpAddr;

use super::MaybeReady;
use crate::error::{ConfigError, Error};
use crate::fingerprint::Fingerprint;
use crate::ratelimit::{Clock, CoarseClock, RateLimitConfig, RateLimiter};

// ---------------------------------------------------------------------------------------
// Limits and defaults

/// Failed attempts admitted per token fingerprint per [`DEFAULT_FAILURE_WINDOW`]: 10. A
/// client retrying a refused token (a clock skew, a rotated key) gets a few tries; a
/// replay or forgery loop gets 429 after ten.
pub const DEFAULT_TOKEN_FAILURES: u32 = 10;

/// Failed attempts admitted per client address per [`DEFAULT_FAILURE_WINDOW`]: 100. An
/// address may sit in front of many users (NAT, an egress proxy), so it gets ten tokens'
/// worth; one client cycling through made-up tokens is stopped here.
pub const DEFAULT_CLIENT_FAILURES: u32 = 100;

/// The window of both defaults: 60 s.
pub const DEFAULT_FAILURE_WINDOW: Duration = Duration::from_secs(60);

/// Slots in each table: 65,536 × 8 bytes = 512 KiB per key kind. Enough that the
/// failing keys of one window rarely share a slot (sharing only makes a key stricter).
pub const DEFAULT_LIMITER_CAPACITY: usize = 65_536;

/// Tick of the coarse clock the default limiter reads: 1 ms, far finer than windows of
/// seconds, and a check pays one atomic load instead of a clock read.
pub const DEFAULT_LIMITER_CLOCK_RESOLUTION: Duration = Duration::from_millis(1);

/// IPv6 clients are keyed by their /64: one subscriber commonly holds a whole /64, so a
/// key per address would let one client rotate through 2^64 budgets.
pub const IPV6_CLIENT_PREFIX_BITS: u32 = 64;

// ---------------------------------------------------------------------------------------

/// The keys one request is limited by: the token's fingerprint (when a token was
/// presented and is hashed) and the client's address (IPv6 reduced to its /64, an
/// IPv4-mapped IPv6 address to its IPv4 address).
///
/// ```
/// use jwsgate::authn::LimitKeys;
/// use jwsgate::fingerprint::fingerprint;
/// use std::net::IpAddr;
///
/// let ip: IpAddr = "2001:db8:1:2:aaaa:bbbb:cccc:dddd".parse()?;
/// let keys = LimitKeys::new(Some(fingerprint(b"t")), Some(ip));
/// assert_eq!(keys.client(), Some("2001:db8:1:2::".parse()?));
/// let mapped: IpAddr = "::ffff:192.0.2.7".parse()?;
/// assert_eq!(LimitKeys::new(None, Some(mapped)).client(), Some("192.0.2.7".parse()?));
/// # Ok::<(), std::net::AddrParseError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LimitKeys {
    token: Option<Fingerprint>,
    client: Option<IpAddr>,
}

impl LimitKeys {
    /// The keys of a request: `token`'s fingerprint and the `client` address (reduced as
    /// the type's documentation says).
    pub fn new(token: Option<Fingerprint>, client: Option<IpAddr>) -> LimitKeys {
        let client = client.map(|ip| match ip {
            IpAddr::V4(v4) => IpAddr::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => {
                    let mask = u128::MAX << (128 - IPV6_CLIENT_PREFIX_BITS);
                    IpAddr::V6((u128::from(v6) & mask).into())
                }
            },
        });
        LimitKeys { token, client }
    }

    /// The token's fingerprint.
    pub fn token(&self) -> Option<Fingerprint> {
        self.token
    }

    /// The client's (reduced) address.
    pub fn client(&self) -> Option<IpAddr> {
        self.client
    }

    /// The client address as a `u64` key for [`RateLimiter`]: the IPv4 address, or the
    /// IPv6 /64 prefix.
    pub fn client_u64(&self) -> Option<u64> {
        self.client.map(|ip| match ip {
            IpAddr::V4(v4) => u64::from(u32::from(v4)),
            IpAddr::V6(v6) => (u128::from(v6) >> 64) as u64,
        })
    }
}

/// Limits failed authentication attempts. Used by the HTTP layer in this order, per
/// request that presents a token:
///
/// 1. [`FailureLimiter::check`] — read-only, before any signature work: `Ok(())` to go
///    on, or the error to answer with: [`Error::RateLimited`] (429 + `Retry-After`), or an
///    error of status 503 when the limiter cannot answer and fails closed (a fleet
///    limiter whose store is down; failing open is that limiter's own choice: it then
///    answers `Ok(())`).
/// 2. the token is authenticated;
/// 3. [`FailureLimiter::record_failure`] — only when the token was refused (status 401);
///    a token that verifies is never counted.
///
/// ```
/// use jwsgate::Error;
/// use jwsgate::authn::{FailureLimiter, LimitKeys, LocalLimiter};
/// use jwsgate::fingerprint::fingerprint;
///
/// let limiter = LocalLimiter::with_defaults()?;
/// let keys = LimitKeys::new(Some(fingerprint(b"bad token")), None);
/// for _ in 0..10 {
///     assert_eq!(limiter.check(&keys).into_ready().ok(), Some(Ok(())));
///     let _ = limiter.record_failure(&keys).into_ready();
/// }
/// let refused = limiter.check(&keys).into_ready().ok().and_then(Result::err);
/// assert!(matches!(refused, Some(Error::RateLimited { .. })));
/// # Ok::<(), std::io::Error>(())
/// ```
pub trait FailureLimiter: Send + Sync + 'static {
    /// Whether `keys` may attempt now. Must not count anything.
    fn check(&self, keys: &LimitKeys) -> MaybeReady<Result<(), Error>>;

    /// Counts one failed attempt against every key present in `keys`.
    fn record_failure(&self, keys: &LimitKeys) -> MaybeReady<()>;
}

impl<L: FailureLimiter + ?Sized> FailureLimiter for std::sync::Arc<L> {
    fn check(&self, keys: &LimitKeys) -> MaybeReady<Result<(), Error>> {
        (**self).check(keys)
    }

    fn record_failure(&self, keys: &LimitKeys) -> MaybeReady<()> {
        (**self).record_failure(keys)
    }
}

/// The in-process limiter: two lock-free [`RateLimiter`] tables, one per token
/// fingerprint and one per client address, on a coarse clock by default. Checks are one
/// atomic load per key; nothing allocates after construction.
///
/// ```
/// use jwsgate::authn::LocalLimiter;
/// use jwsgate::ratelimit::RateLimitConfig;
/// use std::time::Duration;
///
/// let limiter = LocalLimiter::new(
///     RateLimitConfig::new(5, Duration::from_secs(60), 4096)?,
///     RateLimitConfig::new(50, Duration::from_secs(60), 4096)?,
/// )?;
/// assert_eq!(limiter.token_limiter().config().limit(), 5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct LocalLimiter<C = CoarseClock> {
    token: RateLimiter<C>,
    client: RateLimiter<C>,
}

impl LocalLimiter<CoarseClock> {
    /// Limits per token fingerprint and per client address as configured, on a
    /// [`CoarseClock`] ticking every [`DEFAULT_LIMITER_CLOCK_RESOLUTION`].
    ///
    /// # Errors
    /// The operating system's error when the clock's thread cannot start.
    pub fn new(token: RateLimitConfig, client: RateLimitConfig) -> io::Result<LocalLimiter> {
        let clock = CoarseClock::new(DEFAULT_LIMITER_CLOCK_RESOLUTION)?;
        Ok(LocalLimiter::with_clock(token, client, clock))
    }

    /// [`DEFAULT_TOKEN_FAILURES`] per token and [`DEFAULT_CLIENT_FAILURES`] per client
    /// address per [`DEFAULT_FAILURE_WINDOW`], [`DEFAULT_LIMITER_CAPACITY`] slots each.
    ///
    /// # Errors
    /// The operating system's error when the clock's thread cannot start.
    pub fn with_defaults() -> io::Result<LocalLimiter> {
        let (token, client) = default_configs().map_err(io::Error::other)?;
        LocalLimiter::new(token, client)
    }
}

/// The default configurations (valid by construction; checked anyway).
fn default_configs() -> Result<(RateLimitConfig, RateLimitConfig), ConfigError> {
    Ok((
        RateLimitConfig::new(
            DEFAULT_TOKEN_FAILURES,
            DEFAULT_FAILURE_WINDOW,
            DEFAULT_LIMITER_CAPACITY,
        )?,
        RateLimitConfig::new(
            DEFAULT_CLIENT_FAILURES,
            DEFAULT_FAILURE_WINDOW,
            DEFAULT_LIMITER_CAPACITY,
        )?,
    ))
}

impl<C: Clock + Clone> LocalLimiter<C> {
    /// As [`LocalLimiter::new`], on `clock` (a [`crate::ratelimit::ManualClock`] behind an
    /// `Arc` in tests).
    pub fn with_clock(token: RateLimitConfig, client: RateLimitConfig, clock: C) -> Self {
        LocalLimiter {
            token: RateLimiter::with_clock(token, clock.clone()),
            client: RateLimiter::with_clock(client, clock),
        }
    }
}

impl<C: Clock> LocalLimiter<C> {
    /// The per-token-fingerprint table.
    pub fn token_limiter(&self) -> &RateLimiter<C> {
        &self.token
    }

    /// The per-client-address table.
    pub fn client_limiter(&self) -> &RateLimiter<C> {
        &self.client
    }

    /// The read-only decision: the token key first, then the client key.
    fn peek(&self, keys: &LimitKeys) -> Result<(), Error> {
        if let Some(fp) = keys.token() {
            self.token.peek(fp.as_u64())?;
        }
        if let Some(client) = keys.client_u64() {
            self.client.peek(client)?;
        }
        Ok(())
    }
}

impl<C: Clock + 'static> FailureLimiter for LocalLimiter<C> {
    fn check(&self, keys: &LimitKeys) -> MaybeReady<Result<(), Error>> {
        MaybeReady::ready(self.peek(keys))
    }

    fn record_failure(&self, keys: &LimitKeys) -> MaybeReady<()> {
        // A refusal here means the key is already limited: nothing more to count.
        if let Some(fp) = keys.token() {
            let _ = self.token.check(fp.as_u64());
        }
        if let Some(client) = keys.client_u64() {
            let _ = self.client.check(client);
        }
        MaybeReady::ready(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::fingerprint;
    use crate::ratelimit::ManualClock;
    use std::sync::Arc;

    fn limiter(token: u32, client: u32) -> LocalLimiter<Arc<ManualClock>> {
        let config = |n| {
            RateLimitConfig::new(n, Duration::from_secs(60), 1024)
                .unwrap()
                .with_seed(3)
        };
        LocalLimiter::with_clock(config(token), config(client), Arc::new(ManualClock::new()))
    }

    fn verdict(l: &impl FailureLimiter, keys: &LimitKeys) -> Result<(), Error> {
        l.check(keys).into_ready().unwrap()
    }

    #[test]
    fn checks_count_nothing_and_failures_count_every_key() {
        let l = limiter(2, 3);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let a = LimitKeys::new(Some(fingerprint(b"a")), Some(ip));
        for _ in 0..100 {
            assert_eq!(verdict(&l, &a), Ok(()));
        }
        l.record_failure(&a).into_ready().unwrap();
        l.record_failure(&a).into_ready().unwrap();
        // The token is spent; the address has one failure left.
        assert_eq!(
            verdict(&l, &a),
            Err(Error::RateLimited {
                retry_after_secs: 30
            })
        );
        let b = LimitKeys::new(Some(fingerprint(b"b")), Some(ip));
        assert_eq!(verdict(&l, &b), Ok(()));
        l.record_failure(&b).into_ready().unwrap();
        // Now the address is spent too, whatever the token.
        let c = LimitKeys::new(Some(fingerprint(b"c")), Some(ip));
        assert!(matches!(verdict(&l, &c), Err(Error::RateLimited { .. })));
        // Another address with a fresh token is untouched.
        let d = LimitKeys::new(Some(fingerprint(b"d")), Some("192.0.2.2".parse().unwrap()));
        assert_eq!(verdict(&l, &d), Ok(()));
        // Keys without a client are judged by the token alone.
        assert_eq!(
            verdict(&l, &LimitKeys::new(Some(fingerprint(b"c")), None)),
            Ok(())
        );
        // Time gives the budget back.
        l.token_limiter().clock().advance(Duration::from_secs(60));
        assert_eq!(verdict(&l, &a), Ok(()));
    }

    #[test]
    fn ipv6_clients_share_their_slash_64() {
        let one = LimitKeys::new(None, Some("2001:db8::1".parse().unwrap()));
        let two = LimitKeys::new(None, Some("2001:db8::ffff:2".parse().unwrap()));
        let other = LimitKeys::new(None, Some("2001:db8:0:1::1".parse().unwrap()));
        assert_eq!(one.client_u64(), two.client_u64());
        assert_ne!(one.client_u64(), other.client_u64());
        assert_eq!(
            LimitKeys::new(None, Some("10.1.2.3".parse().unwrap())).client_u64(),
            Some(0x0a01_0203)
        );
        assert_eq!(LimitKeys::new(None, None).client_u64(), None);
    }

    #[test]
    fn defaults_are_ten_and_a_hundred_per_minute() {
        let (token, client) = default_configs().unwrap();
        assert_eq!((token.limit(), client.limit()), (10, 100));
        assert_eq!(token.window(), Duration::from_secs(60));
        let l = LocalLimiter::with_defaults().unwrap();
        assert_eq!(l.client_limiter().capacity(), DEFAULT_LIMITER_CAPACITY);
    }
}
