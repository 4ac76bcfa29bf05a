//! The reference reading of a JSON number as a NumericDate, for oracles: the plain decimal
//! expansion built by moving the decimal point in the text, compared as strings. Written
//! independently of jwsgate's digit-by-digit reading. Exponents are clamped to ±10 000:
//! a number's text is at most a token's size, so that keeps every value's class (above
//! 9999, between 0 and 1, or its exact integer part and whether a fraction remains).
//!
//! Included by path from `fuzz/src/entry.rs` and `tests/properties.rs`; it needs no crate
//! but std.

use std::cmp::Ordering;

/// `END_SECS` (10000-01-01T00:00:00Z) as jwsgate documents it, written out here.
pub const YEAR_10000: &str = "253402300800";

/// Integer digits (no leading zeros) and fraction digits of the number's value, and
/// whether it is negative and non-zero. `None` for text that is not a JSON number.
pub fn expand(text: &str) -> Option<(String, String, bool)> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => {
            let (neg, digits) = match e.as_bytes().first() {
                Some(b'-') => (true, &e[1..]),
                Some(b'+') => (false, &e[1..]),
                _ => (false, e),
            };
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let digits = digits.trim_start_matches('0');
            let magnitude: i64 = if digits.len() > 5 {
                10_000
            } else {
                digits.parse::<i64>().unwrap_or(0).min(10_000)
            };
            (m, if neg { -magnitude } else { magnitude })
        }
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() || !(int.bytes().chain(frac.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{int}{frac}");
    let point = int.len() as i64 + exponent;
    let left = "0".repeat((-point).max(0) as usize) + &digits;
    let point = point.max(0) as usize;
    let full = left.clone() + &"0".repeat(point.saturating_sub(left.len()));
    let (i, f) = full.split_at(point);
    let i = i.trim_start_matches('0').to_string();
    let f = f.trim_end_matches('0').to_string();
    let nonzero = !i.is_empty() || !f.is_empty();
    Some((i, f, negative && nonzero))
}

/// Compares the number's value with the non-negative integer `n` (`None`: not a
/// number).
pub fn cmp_with(text: &str, n: u64) -> Option<Ordering> {
    let (int, frac, negative) = expand(text)?;
    if negative {
        return Some(Ordering::Less);
    }
    let n = n.to_string();
    let n = n.trim_start_matches('0');
    Some(
        int.len()
            .cmp(&n.len())
            .then_with(|| int.as_str().cmp(n))
            .then_with(|| {
                if frac.is_empty() {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                }
            }),
    )
}

/// Whether jwsgate's documented range holds: `0 <= value < 253402300800`.
pub fn in_range(text: &str) -> bool {
    match expand(text) {
        Some((int, _, false)) => {
            int.len() < YEAR_10000.len()
                || (int.len() == YEAR_10000.len() && int.as_str() < YEAR_10000)
        }
        _ => false,
    }
}
