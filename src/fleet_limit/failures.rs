//! The fleet limiter as the HTTP layer's [`FailureLimiter`]: failed authentication
//! attempts per token fingerprint and per client address, counted fleet-wide.

use std::io;
use std::sync::Arc;

use secrecy::SecretString;

use crate::authn::{
    DEFAULT_CLIENT_FAILURES, DEFAULT_FAILURE_WINDOW, DEFAULT_LIMITER_CAPACITY,
    DEFAULT_LIMITER_CLOCK_RESOLUTION, DEFAULT_TOKEN_FAILURES, FailureLimiter, LimitKeys,
    MaybeReady,
};
use crate::error::{ConfigError, Error};
use crate::ratelimit::{Clock, CoarseClock, RateLimitConfig, RateLimiter};

use super::config::{FailurePolicy, FleetConfig};
use super::limiter::{FleetError, FleetLimiter};
use super::outcome::FleetRefusal;

/// Redis key prefix of the per-token-fingerprint failure limit.
pub const TOKEN_FAILURES_PREFIX: &str = "jwsgate:fail:tok:";

/// Redis key prefix of the per-client-address failure limit.
pub const CLIENT_FAILURES_PREFIX: &str = "jwsgate:fail:ip:";

/// Two fleet limiters, one per token fingerprint and one per client address, each with
/// its local tier in front: the fleet-wide counterpart of [`crate::authn::LocalLimiter`],
/// with the same defaults (10 failures per token, 100 per address, per 60 s) shared by
/// every instance.
///
/// `check` is read-only (the local tiers, then one `EVALSHA` per key, both keys at
/// once); `record_failure` counts one failure against each key. A fail-closed limiter
/// whose Redis cannot answer refuses with [`Error::RateLimiterUnavailable`] (503 +
/// `Retry-After`).
///
/// ```no_run
/// use jwsgate::authn::{FailureLimiter, LimitKeys};
/// use jwsgate::fingerprint::fingerprint;
/// use jwsgate::fleet_limit::{FailurePolicy, FleetFailureLimiter};
/// use secrecy::SecretString;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let url = SecretString::from("redis://127.0.0.1:6379/");
/// let limiter = FleetFailureLimiter::connect(&url, FailurePolicy::FailOpen).await?;
/// let keys = LimitKeys::new(Some(fingerprint(b"eyJ...")), None);
/// limiter.check(&keys).await?; // 429 or 503 as an Error
/// limiter.record_failure(&keys).await;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct FleetFailureLimiter<C = CoarseClock> {
    token: Arc<FleetLimiter<C>>,
    client: Arc<FleetLimiter<C>>,
}

impl FleetFailureLimiter<CoarseClock> {
    /// The defaults of [`crate::authn::LocalLimiter::with_defaults`], fleet-wide, on the
    /// Redis at `url`, connected: [`DEFAULT_TOKEN_FAILURES`] per token fingerprint and
    /// [`DEFAULT_CLIENT_FAILURES`] per client address per [`DEFAULT_FAILURE_WINDOW`],
    /// under [`TOKEN_FAILURES_PREFIX`] and [`CLIENT_FAILURES_PREFIX`]; local tiers with
    /// the same limits on one coarse clock.
    ///
    /// # Errors
    /// [`FleetError::InvalidUrl`], [`FleetError::Unreachable`]; [`FleetError::Setup`] when
    /// the coarse clock's thread cannot start.
    pub async fn connect(
        url: &SecretString,
        policy: FailurePolicy,
    ) -> Result<FleetFailureLimiter, FleetError> {
        let clock = CoarseClock::new(DEFAULT_LIMITER_CLOCK_RESOLUTION)
            .map_err(|_: io::Error| FleetError::Setup("the coarse clock's thread"))?;
        let setup = |e: ConfigError| match e {
            ConfigError::InvalidPolicy(what) => FleetError::Setup(what),
            _ => FleetError::Setup("invalid default configuration"),
        };
        let local = |limit| {
            RateLimitConfig::new(limit, DEFAULT_FAILURE_WINDOW, DEFAULT_LIMITER_CAPACITY)
                .map(|config| RateLimiter::with_clock(config, clock.clone()))
                .map_err(setup)
        };
        let fleet = |limit, prefix| {
            FleetConfig::new(limit, DEFAULT_FAILURE_WINDOW)
                .and_then(|config| config.with_key_prefix(prefix))
                .map(|config| config.with_failure_policy(policy))
                .map_err(setup)
        };
        let token = FleetLimiter::connect(
            url,
            fleet(DEFAULT_TOKEN_FAILURES, TOKEN_FAILURES_PREFIX)?,
            Some(local(DEFAULT_TOKEN_FAILURES)?),
        )
        .await?;
        let client = FleetLimiter::connect(
            url,
            fleet(DEFAULT_CLIENT_FAILURES, CLIENT_FAILURES_PREFIX)?,
            Some(local(DEFAULT_CLIENT_FAILURES)?),
        )
        .await?;
        FleetFailureLimiter::from_limiters(token, client)
    }
}

impl<C: Clock> FleetFailureLimiter<C> {
    /// From two fleet limiters of your own configuration: `token` for token
    /// fingerprints, `client` for client addresses.
    ///
    /// # Errors
    /// [`FleetError::Setup`] when both use the same key prefix (their budgets would mix).
    pub fn from_limiters(
        token: FleetLimiter<C>,
        client: FleetLimiter<C>,
    ) -> Result<FleetFailureLimiter<C>, FleetError> {
        if token.config().key_prefix() == client.config().key_prefix() {
            return Err(FleetError::Setup(
                "the token and client limiters share a key prefix",
            ));
        }
        Ok(FleetFailureLimiter {
            token: Arc::new(token),
            client: Arc::new(client),
        })
    }

    /// The per-token-fingerprint limiter.
    pub fn token_limiter(&self) -> &FleetLimiter<C> {
        &self.token
    }

    /// The per-client-address limiter.
    pub fn client_limiter(&self) -> &FleetLimiter<C> {
        &self.client
    }
}

/// `Ok` when there is no key to look at.
async fn peek_opt<C: Clock>(
    limiter: &FleetLimiter<C>,
    key: Option<u64>,
) -> Result<(), FleetRefusal> {
    match key {
        Some(key) => limiter.peek(key).await,
        None => Ok(()),
    }
}

impl<C: Clock + 'static> FailureLimiter for FleetFailureLimiter<C> {
    fn check(&self, keys: &LimitKeys) -> MaybeReady<Result<(), Error>> {
        let token_key = keys.token().map(|fp| fp.as_u64());
        let client_key = keys.client_u64();
        if token_key.is_none() && client_key.is_none() {
            return MaybeReady::ready(Ok(()));
        }
        let (token, client) = (Arc::clone(&self.token), Arc::clone(&self.client));
        MaybeReady::pending(async move {
            let (by_token, by_client) =
                tokio::join!(peek_opt(&token, token_key), peek_opt(&client, client_key));
            // The token's answer first, as the local limiter gives it.
            by_token.and(by_client).map_err(Error::from)
        })
    }

    fn record_failure(&self, keys: &LimitKeys) -> MaybeReady<()> {
        let token_key = keys.token().map(|fp| fp.as_u64());
        let client_key = keys.client_u64();
        if token_key.is_none() && client_key.is_none() {
            return MaybeReady::ready(());
        }
        let (token, client) = (Arc::clone(&self.token), Arc::clone(&self.client));
        MaybeReady::pending(async move {
            // A refusal means the key is already limited: nothing more to count.
            let count = |limiter: Arc<FleetLimiter<C>>, key: Option<u64>| async move {
                if let Some(key) = key {
                    let _ = limiter.check(key).await;
                }
            };
            tokio::join!(count(token, token_key), count(client, client_key));
        })
    }
}
