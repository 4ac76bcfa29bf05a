//! NumericDate (RFC 7519 §2): any JSON number of seconds since the epoch.

/// A NumericDate: any JSON number, fractional and exponent forms included.
///
/// Comparisons with whole-second instants use [`NumericDate::ceil_secs`], which is exact:
/// for an integer `now`, `now < exp` holds exactly when `now < ceil(exp)`.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct NumericDate(f64);

impl NumericDate {
    /// Parses the text of a JSON number (already validated against the JSON grammar).
    pub(crate) fn from_json_number(text: &str) -> Option<NumericDate> {
        text.parse::<f64>()
            .ok()
            .filter(|v| !v.is_nan())
            .map(NumericDate)
    }

    /// The value in seconds, as sent (huge values are infinite).
    pub fn as_f64(self) -> f64 {
        self.0
    }

    /// The smallest whole second not before the value, saturating at the `i64` range.
    pub fn ceil_secs(self) -> i64 {
        // `as` saturates for out-of-range and infinite floats; NaN was refused at parse.
        self.0.ceil() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceil_is_exact_and_saturates() {
        let d = |s| NumericDate::from_json_number(s).unwrap().ceil_secs();
        assert_eq!(d("1700000000"), 1_700_000_000);
        assert_eq!(d("1700000000.2"), 1_700_000_001);
        assert_eq!(d("1.7e9"), 1_700_000_000);
        assert_eq!(d("1e400"), i64::MAX);
        assert_eq!(d("-1e400"), i64::MIN);
        assert_eq!(d("-0.5"), 0);
    }
}
