//! The pure parts of the refresh policy: `Cache-Control` reading, the refresh instant,
//! the jittered backoff. No clock is read here (time is an argument).

use core::time::Duration;

/// The `max-age` of a `Cache-Control` value (RFC 9111 §5.2.2.1), if any. `no-store` and
/// `no-cache` read as `max-age=0` (then clamped up to the minimum TTL).
pub(crate) fn max_age(cache_control: &str) -> Option<Duration> {
    let mut found = None;
    for directive in cache_control.split(',') {
        let directive = directive.trim();
        let (name, value) = match directive.split_once('=') {
            Some((n, v)) => (n.trim(), Some(v.trim().trim_matches('"'))),
            None => (directive, None),
        };
        if name.eq_ignore_ascii_case("no-store") || name.eq_ignore_ascii_case("no-cache") {
            return Some(Duration::ZERO);
        }
        if name.eq_ignore_ascii_case("max-age") {
            // RFC 9111 §1.2.2: a delta-seconds too large to represent is the largest one.
            let secs = value.filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))?;
            found = Some(Duration::from_secs(secs.parse::<u64>().unwrap_or(u64::MAX)));
        }
    }
    found
}

/// The TTL of a fetched set: `max-age` clamped to `[min, max]`, else `default`.
pub(crate) fn ttl(
    cache_control: Option<&str>,
    default: Duration,
    min: Duration,
    max: Duration,
) -> Duration {
    cache_control
        .and_then(max_age)
        .unwrap_or(default)
        .clamp(min, max)
}

/// How long after a successful fetch the next refresh runs: `refresh_ahead` before
/// expiry, but never earlier than half the TTL (a TTL shorter than the lead time would
/// otherwise refresh in a loop).
pub(crate) fn refresh_after(ttl: Duration, refresh_ahead: Duration) -> Duration {
    ttl.saturating_sub(refresh_ahead).max(ttl / 2)
}

/// The delay before retry number `failures` (1 for the first): `initial · 2^(failures-1)`
/// capped at `max`, then jittered into `[d/2, d]` by `random` (any `u32`) so that many
/// instances do not retry in step.
pub(crate) fn backoff(failures: u32, initial: Duration, max: Duration, random: u32) -> Duration {
    let exp = failures.saturating_sub(1).min(20);
    let base = initial.saturating_mul(1u32 << exp).min(max);
    let half = base / 2;
    let extra = half.mul_f64(f64::from(random) / f64::from(u32::MAX));
    half + extra
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);
    const MAX: Duration = Duration::from_secs(86_400);
    const DEF: Duration = Duration::from_secs(300);

    #[test]
    fn max_age_is_read_and_clamped() {
        assert_eq!(
            max_age("public, max-age=600"),
            Some(Duration::from_secs(600))
        );
        assert_eq!(max_age("MAX-AGE=\"7\""), Some(Duration::from_secs(7)));
        assert_eq!(max_age("no-cache"), Some(Duration::ZERO));
        assert_eq!(max_age("public"), None);
        assert_eq!(max_age("max-age=-1"), None);
        assert_eq!(max_age("max-age="), None);
        assert_eq!(
            max_age("max-age=99999999999999999999999"),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(
            ttl(Some("max-age=600"), DEF, MIN, MAX),
            Duration::from_secs(600)
        );
        assert_eq!(ttl(Some("max-age=1"), DEF, MIN, MAX), MIN);
        assert_eq!(ttl(Some("no-store"), DEF, MIN, MAX), MIN);
        assert_eq!(ttl(Some("max-age=31536000"), DEF, MIN, MAX), MAX);
        assert_eq!(ttl(None, DEF, MIN, MAX), DEF);
        assert_eq!(ttl(Some("private"), DEF, MIN, MAX), DEF);
    }

    #[test]
    fn refresh_runs_ahead_of_expiry_but_not_in_a_loop() {
        let ahead = Duration::from_secs(30);
        assert_eq!(refresh_after(DEF, ahead), Duration::from_secs(270));
        assert_eq!(
            refresh_after(Duration::from_secs(40), ahead),
            Duration::from_secs(20)
        );
        assert_eq!(
            refresh_after(Duration::from_secs(60), ahead),
            Duration::from_secs(30)
        );
    }

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        let (i, m) = (Duration::from_secs(1), Duration::from_secs(60));
        assert_eq!(backoff(1, i, m, 0), Duration::from_millis(500));
        assert_eq!(backoff(1, i, m, u32::MAX), Duration::from_secs(1));
        assert_eq!(backoff(3, i, m, u32::MAX), Duration::from_secs(4));
        assert_eq!(backoff(30, i, m, u32::MAX), m);
        assert_eq!(backoff(30, i, m, 0), m / 2);
        let mid = backoff(4, i, m, u32::MAX / 2);
        assert!(
            mid > Duration::from_secs(5) && mid < Duration::from_secs(7),
            "{mid:?}"
        );
    }
}
