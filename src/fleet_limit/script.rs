//! The GCRA as one Lua script run by Redis, its SHA-1 (the `EVALSHA` name), and the
//! names of the keys it keeps.
//!
//! The script is the local limiter's rule ([`crate::ratelimit`]) on one Redis string: the
//! key's theoretical arrival time (TAT) in microseconds of the Redis server's clock. A
//! check at `now` is admitted when `max(TAT, now) + interval ≤ now + burst`, and then
//! stores the new TAT with a time to live of `TAT − now`: the time until the key would be
//! full again, after which the missing key means exactly the same ("nothing owed"). A
//! refused check, or a look (`ARGV[3] = '0'`), writes nothing.
//!
//! * **Time is Redis's** (`TIME`), so the instances' clocks, skewed or not, cannot widen
//!   the limit. Calling `TIME` before a write is allowed since Redis 5 replicates a
//!   script's effects rather than the script (and only that way since Redis 7).
//! * **Microseconds**, because Lua numbers are doubles: microseconds since 1970 stay
//!   exact integers (below 2^53) until the year 2255; nanoseconds would not.
//! * **Atomic**: Redis runs a script without interleaving, so concurrent checks of one
//!   key from any number of instances admit exactly what one sequence would.

use core::fmt::Write as _;

/// The script. `KEYS[1]`: the key; `ARGV[1]`: interval (µs); `ARGV[2]`: burst, `limit ×
/// interval` (µs); `ARGV[3]`: `'1'` to count the check, `'0'` to only look.
/// Answers `{1, slack_us}` (admitted; `slack_us` of budget left) or `{0, wait_us}`.
pub(crate) const GCRA_LUA: &str = r"-- jwsgate fleet GCRA (src/fleet_limit/script.rs)
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now then tat = now end
local new_tat = tat + interval
local horizon = now + burst
if new_tat > horizon then
  return {0, new_tat - horizon}
end
if ARGV[3] == '1' then
  redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
end
return {1, horizon - new_tat}
";

/// The script's SHA-1 in lowercase hex: the name `EVALSHA` calls it by, and what
/// `SCRIPT LOAD` answers. SHA-1 is Redis's choice of name here, not a security measure.
pub(crate) fn script_sha1() -> String {
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, GCRA_LUA.as_bytes());
    let mut hex = String::with_capacity(40);
    for byte in digest.as_ref() {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// The Redis key of `key`: the prefix, then the 64-bit key as 16 lowercase hex digits.
pub(crate) fn key_name(prefix: &str, key: u64) -> String {
    let mut name = String::with_capacity(prefix.len() + 16);
    name.push_str(prefix);
    // Writing to a String cannot fail.
    let _ = write!(name, "{key:016x}");
    name
}

/// What the script answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reply {
    /// Admitted (or, for a look, admissible) with this much budget left, µs.
    Admitted { slack_us: u64 },
    /// Refused: the next check conforms after this long, µs.
    Limited { wait_us: u64 },
}

impl Reply {
    /// Reads the script's `{flag, value}`; anything else is a protocol failure (`None`).
    pub(crate) fn decode(flag: i64, value: i64) -> Option<Reply> {
        let value = u64::try_from(value).ok()?;
        match flag {
            1 => Some(Reply::Admitted { slack_us: value }),
            0 if value > 0 => Some(Reply::Limited { wait_us: value }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_are_the_prefix_and_sixteen_hex_digits() {
        assert_eq!(key_name("rl:", 0), "rl:0000000000000000");
        assert_eq!(key_name("rl:", 0xdead_beef), "rl:00000000deadbeef");
        assert_eq!(key_name("", u64::MAX), "ffffffffffffffff");
    }

    #[test]
    fn the_sha1_names_this_script() {
        let sha = script_sha1();
        assert_eq!(sha.len(), 40);
        assert!(
            sha.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        // SHA-1("abc"), FIPS 180-2 appendix A, through the same hex encoding.
        let abc = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, b"abc");
        let hex: String = abc.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    }

    #[test]
    fn replies_decode_strictly() {
        assert_eq!(Reply::decode(1, 0), Some(Reply::Admitted { slack_us: 0 }));
        assert_eq!(Reply::decode(1, 7), Some(Reply::Admitted { slack_us: 7 }));
        assert_eq!(Reply::decode(0, 5), Some(Reply::Limited { wait_us: 5 }));
        assert_eq!(Reply::decode(0, 0), None);
        assert_eq!(Reply::decode(1, -1), None);
        assert_eq!(Reply::decode(2, 1), None);
    }
}
