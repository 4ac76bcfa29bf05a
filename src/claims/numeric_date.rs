//! NumericDate (RFC 7519 §2): any JSON number of seconds since the epoch, read exactly.
//!
//! The value is taken from the JSON number's text (integer part, fraction, exponent) with
//! integer arithmetic only: no rounding to `f64` ever decides a comparison, and no float
//! is parsed on the verify path. Values outside the accepted range are refused when the
//! claims are parsed (`invalid_claim`):
//!
//! * negative values (before 1970): an access token's times are never before the epoch,
//!   and a reader that mis-handles the sign must not get the chance (`-0` is zero and is
//!   accepted);
//! * values from the year 10000 on (at least [`NumericDate::END_SECS`]), including every
//!   number too large for an `f64` (`1e400`) that a float reader would turn into infinity.

/// A NumericDate read exactly from the JSON text: whole seconds, and the fraction to 18
/// decimal places plus whether any digit beyond is non-zero.
///
/// Comparisons with whole-second instants use [`NumericDate::ceil_secs`] and
/// [`NumericDate::floor_secs`], which are exact at any precision: for an integer `n`,
/// `n < t` holds exactly when `n < t.ceil_secs()`, and `t <= n` exactly when
/// `t.ceil_secs() <= n`. Two NumericDates compare exactly down to 10^-18 s (beyond that,
/// values that differ only there compare equal).
///
/// ```
/// # use jwsgate::Claims;
/// # fn show(claims: &Claims<'_>) {
/// if let Some(exp) = claims.exp() {
///     println!("expires at {} (first whole second at or after it)", exp.ceil_secs());
/// }
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NumericDate {
    /// The integer part, in `0..END_SECS`.
    secs: u64,
    /// The first 18 decimal places of the fraction, in units of 10^-18 s.
    atto: u64,
    /// Whether a non-zero digit follows the 18th decimal place.
    beyond: bool,
}

/// Decimal places kept in [`NumericDate::atto`] (10^18 < 2^63).
const ATTO_DIGITS: i64 = 18;

/// The largest integer-part length (in digits) that can lie in range: `END_SECS` has 12.
const MAX_INT_DIGITS: i64 = 12;

/// Exponents are read saturating at this magnitude: a number's text is at most a token's
/// size (`MAX_TOKEN_BYTES_CEILING`), so an exponent this large moves every digit out of
/// range (or below 10^-18) whatever its mantissa.
const EXPONENT_CLAMP: i64 = 1 << 40;

impl NumericDate {
    /// The first instant refused: 10000-01-01T00:00:00Z, in seconds since the epoch. Every
    /// accepted NumericDate lies in `0 <= t < END_SECS` (the years 1970 to 9999).
    pub const END_SECS: u64 = 253_402_300_800;

    /// Reads the text of a JSON number (validated against the JSON grammar by the
    /// scanner). `None` for text outside that grammar and for values out of range.
    // The verify path reads bytes (`from_json_number_bytes`); text is read by the
    // introspection answer and the tests.
    #[cfg_attr(not(any(test, feature = "introspection")), allow(dead_code))]
    pub(crate) fn from_json_number(text: &str) -> Option<NumericDate> {
        Self::from_json_number_bytes(text.as_bytes())
    }

    /// [`NumericDate::from_json_number`] on the number's bytes (the scanner's output).
    pub(crate) fn from_json_number_bytes(bytes: &[u8]) -> Option<NumericDate> {
        // The common case, a plain integer of at most 12 digits (`1700000000`): read
        // directly. The grammar (checked by the scanner) forbids leading zeros; anything
        // else (sign, fraction, exponent, more digits) takes the general path below.
        if !bytes.is_empty()
            && bytes.len() <= MAX_INT_DIGITS as usize
            && bytes.iter().all(u8::is_ascii_digit)
        {
            let secs = bytes
                .iter()
                .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0'));
            return (secs < Self::END_SECS).then_some(NumericDate {
                secs,
                atto: 0,
                beyond: false,
            });
        }
        Self::read_general(bytes)
    }

    /// A NumericDate of whole seconds read by the scanner's integer fast path (at most
    /// [`NumericDate::MAX_PLAIN_DIGITS`] digits); `None` out of range, as the text reader.
    pub(crate) fn from_secs(secs: u64) -> Option<NumericDate> {
        (secs < Self::END_SECS).then_some(NumericDate {
            secs,
            atto: 0,
            beyond: false,
        })
    }

    /// The most digits a plain integer may have to be read by [`NumericDate::from_secs`]
    /// (12: `END_SECS` has 12 digits, so more can never be in range, and 12 cannot overflow).
    pub(crate) const MAX_PLAIN_DIGITS: usize = MAX_INT_DIGITS as usize;

    /// Any number of the JSON grammar: sign, fraction and exponent, digits of any count.
    fn read_general(bytes: &[u8]) -> Option<NumericDate> {
        let (negative, rest) = match bytes.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, bytes),
        };
        let int_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let (int, rest) = rest.split_at_checked(int_len)?;
        let (frac, rest) = match rest.split_first() {
            Some((b'.', after)) => {
                let n = after.iter().take_while(|b| b.is_ascii_digit()).count();
                after.split_at_checked(n)?
            }
            _ => (&[][..], rest),
        };
        let exponent = match rest.split_first() {
            None => 0,
            Some((b'e' | b'E', after)) => exponent(after)?,
            Some(_) => return None,
        };
        if int.is_empty() {
            return None;
        }
        // The value is 0.D × 10^point, D the digits of `int` and `frac` after leading zeros.
        let digits = int.iter().chain(frac).copied();
        let zeros = digits.clone().take_while(|d| *d == b'0').count();
        let point = i64::try_from(int.len()).ok()? + exponent - i64::try_from(zeros).ok()?;
        let mut significant = digits.skip(zeros).peekable();
        if significant.peek().is_none() {
            // Zero, whatever its sign or exponent.
            return Some(NumericDate {
                secs: 0,
                atto: 0,
                beyond: false,
            });
        }
        if negative || point > MAX_INT_DIGITS {
            return None;
        }
        let mut secs = 0u64;
        let mut atto = 0u64;
        let mut beyond = false;
        // Digit `i` of D stands at decimal place `point - 1 - i` (0: units; -1: tenths).
        // Places below the first digit of a fraction (point < 0) are leading zeros.
        let mut place = point - 1;
        for d in significant {
            let v = u64::from(d.saturating_sub(b'0'));
            if place >= 0 {
                secs = secs * 10 + v;
            } else if place >= -ATTO_DIGITS {
                atto += v * 10u64.pow(u32::try_from(ATTO_DIGITS + place).ok()?);
            } else if v != 0 {
                beyond = true;
                break;
            }
            place -= 1;
        }
        // Digits of D ran out above the units place: the rest are zeros (`17e8`).
        while place >= 0 {
            secs *= 10;
            place -= 1;
        }
        (secs < Self::END_SECS).then_some(NumericDate { secs, atto, beyond })
    }

    /// The whole seconds at or before the value (its integer part).
    pub fn floor_secs(self) -> i64 {
        // In range by construction (under END_SECS < 2^63).
        i64::try_from(self.secs).unwrap_or(i64::MAX)
    }

    /// The smallest whole second not before the value. Exact: no rounding ever happens.
    pub fn ceil_secs(self) -> i64 {
        self.floor_secs() + i64::from(self.has_fraction())
    }

    /// Whether the value has a non-zero fractional part (at any decimal place).
    pub fn has_fraction(self) -> bool {
        self.atto != 0 || self.beyond
    }

    /// The value in seconds, rounded to the nearest `f64` (for display and arithmetic
    /// where exactness does not matter; the verifier never uses it).
    pub fn as_f64(self) -> f64 {
        // Both parts convert exactly or to the nearest f64; their sum rounds once more.
        self.secs as f64 + self.atto as f64 / 1e18
    }
}

/// Reads an exponent's optional sign and digits, saturating at [`EXPONENT_CLAMP`].
fn exponent(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let magnitude = digits.iter().fold(0i64, |acc, d| {
        (acc * 10 + i64::from(d.saturating_sub(b'0'))).min(EXPONENT_CLAMP)
    });
    Some(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NumericDate {
        NumericDate::from_json_number(s).unwrap()
    }

    #[test]
    fn floor_and_ceil_are_exact() {
        let c = |s| date(s).ceil_secs();
        assert_eq!(c("1700000000"), 1_700_000_000);
        assert_eq!(c("1700000000.2"), 1_700_000_001);
        assert_eq!(c("1.7e9"), 1_700_000_000);
        assert_eq!(c("17e8"), 1_700_000_000);
        assert_eq!(c("0.17E+10"), 1_700_000_000);
        assert_eq!(c("1700000000.000000000000000000000001"), 1_700_000_001);
        assert_eq!(c("1700000000.000000000000000000000000"), 1_700_000_000);
        assert_eq!(c("1699999940.0000001"), 1_699_999_941);
        assert_eq!(c("170000000000000000000e-11"), 1_700_000_000);
        assert_eq!(c("1700000000000000000001e-12"), 1_700_000_001);
        assert_eq!(c("1e-99999999999999999999999"), 1);
        assert_eq!(date("1700000000.9").floor_secs(), 1_700_000_000);
        assert_eq!(date("1e-400").floor_secs(), 0);
    }

    #[test]
    fn zero_in_every_form_is_zero() {
        for z in ["0", "-0", "0.0", "-0.000", "0e999999999999999", "-0E-5"] {
            assert_eq!(date(z).ceil_secs(), 0, "{z}");
            assert!(!date(z).has_fraction(), "{z}");
        }
    }

    #[test]
    fn out_of_range_values_are_refused() {
        for bad in [
            "-1",
            "-0.5",
            "-1e-400",
            "-1e400",
            "1e400",
            "1e13",
            "253402300800",
            "253402300800.0",
            "2.534023008e11",
            "1e99999999999999999999",
            "999999999999999999999",
        ] {
            assert_eq!(NumericDate::from_json_number(bad), None, "{bad}");
        }
        assert_eq!(date("253402300799.999999").floor_secs(), 253_402_300_799);
        assert_eq!(date("253402300799.999999").ceil_secs(), 253_402_300_800);
    }

    #[test]
    fn text_outside_the_grammar_is_refused() {
        for bad in ["", "-", "e5", ".5", "1e", "1e+", "1x", "1.5.5", "+1"] {
            assert_eq!(NumericDate::from_json_number(bad), None, "{bad}");
        }
    }

    /// The plain-integer fast path reads exactly what the general reader reads.
    #[test]
    fn integer_fast_path_agrees_with_the_general_reader() {
        let mut cases: Vec<String> = vec!["0".into(), "9".into()];
        for digits in 1..=14u32 {
            let base = 10u64.pow(digits - 1);
            for v in [base, base + 7, 10 * base - 1, base * 3 + 1] {
                cases.push(v.to_string());
            }
        }
        let end = NumericDate::END_SECS;
        for v in [end - 1, end, end + 1, 1_700_000_000, 1_999_999_999] {
            cases.push(v.to_string());
        }
        for c in &cases {
            assert_eq!(
                NumericDate::from_json_number_bytes(c.as_bytes()),
                NumericDate::read_general(c.as_bytes()),
                "{c}"
            );
        }
        assert_eq!(date("253402300799").ceil_secs(), 253_402_300_799);
        assert_eq!(NumericDate::from_json_number("253402300800"), None);
    }

    #[test]
    fn ordering_is_by_value() {
        assert!(date("1.5") < date("2"));
        assert!(date("2") < date("2.000000000000000000001"));
        assert!(date("1.7e9") == date("1700000000.000"));
        assert!(date("0.1") > date("0.09999999999999999"));
        assert!((date("1700000000.25").as_f64() - 1_700_000_000.25).abs() < 1e-6);
    }
}
