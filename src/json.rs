//! A minimal, allocation-free JSON scanner for the JOSE header and the claims.
//!
//! It validates strictly (RFC 8259: no trailing commas, no control characters in
//! strings, no lone surrogates, no leading zeros) and hands out strings in their raw,
//! still-escaped form as [`JsonStr`]; callers unescape only what they keep. Nesting is
//! bounded by [`crate::limits::MAX_JSON_DEPTH`], so no input can overflow the stack.

use crate::error::Error;
use crate::limits::MAX_JSON_DEPTH;
use crate::swar::word;

type Result<T> = core::result::Result<T, Error>;

const fn malformed(what: &'static str) -> Error {
    Error::Malformed(what)
}

/// A JSON string's raw content (between the quotes, escapes not yet decoded). `Debug`
/// shows its size, never its text (it may be token content).
#[derive(Clone, Copy)]
pub struct JsonStr<'a> {
    raw: &'a [u8],
    escaped: bool,
}

impl core::fmt::Debug for JsonStr<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("JsonStr")
            .field("raw_bytes", &self.raw.len())
            .field("escaped", &self.escaped)
            .finish()
    }
}

impl<'a> JsonStr<'a> {
    /// The string whose raw bytes (between the quotes) are `raw`, as a scanner found them;
    /// `escaped` when they hold an escape.
    pub(crate) fn from_raw(raw: &'a [u8], escaped: bool) -> JsonStr<'a> {
        JsonStr { raw, escaped }
    }

    /// The raw bytes between the quotes.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The string itself when it holds no escape (then the raw bytes are the value).
    pub fn as_plain(&self) -> Option<&'a [u8]> {
        (!self.escaped).then_some(self.raw)
    }

    /// The decoded UTF-8 bytes, one at a time.
    pub fn bytes(&self) -> Unescaped<'a> {
        Unescaped {
            raw: self.raw,
            pos: 0,
            pending: [0; 4],
            pending_len: 0,
            pending_pos: 0,
        }
    }

    /// Whether the decoded string equals `other`.
    pub fn eq_bytes(&self, other: &[u8]) -> bool {
        match self.as_plain() {
            Some(plain) => plain == other,
            None => self.bytes().eq(other.iter().copied()),
        }
    }

    /// The decoded name when it is at most `N` bytes long, for matching against known
    /// names with a `match`: borrowed when plain, decoded into `buf` when escaped.
    pub fn short_name<'b, const N: usize>(&self, buf: &'b mut [u8; N]) -> Option<&'b [u8]>
    where
        'a: 'b,
    {
        if let Some(plain) = self.as_plain() {
            return (plain.len() <= N).then_some(plain);
        }
        let mut len = 0;
        for b in self.bytes() {
            *buf.get_mut(len)? = b;
            len += 1;
        }
        buf.get(..len)
    }

    /// Whether two JSON strings decode to the same value.
    pub fn same_value(&self, other: &JsonStr<'_>) -> bool {
        if !self.escaped && !other.escaped {
            return self.raw == other.raw;
        }
        self.bytes().eq(other.bytes())
    }

    /// A cheap summary of the decoded value (its length and first eight bytes), equal for
    /// equal values: duplicate detection compares in full only names whose summaries match.
    /// Two values of the same length summarise apart when their first eight bytes differ,
    /// and two with the same first eight bytes when their lengths differ.
    pub fn value_hash(&self) -> u64 {
        let mut first_eight = [0u8; 8];
        let len = match self.as_plain() {
            Some(plain) => {
                for (slot, b) in first_eight.iter_mut().zip(plain) {
                    *slot = *b;
                }
                plain.len()
            }
            None => {
                for (slot, b) in first_eight.iter_mut().zip(self.bytes()) {
                    *slot = b;
                }
                self.bytes().count()
            }
        };
        u64::from_be_bytes(first_eight) ^ (len as u64).rotate_right(8)
    }
}

/// The decoded bytes of a [`JsonStr`]. The string was validated when scanned, so every
/// escape here is well formed; should one not be, the iterator simply ends.
#[derive(Clone)]
pub struct Unescaped<'a> {
    raw: &'a [u8],
    pos: usize,
    pending: [u8; 4],
    pending_len: u8,
    pending_pos: u8,
}

impl Iterator for Unescaped<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        if self.pending_pos < self.pending_len {
            let b = self.pending[usize::from(self.pending_pos)];
            self.pending_pos += 1;
            return Some(b);
        }
        let b = *self.raw.get(self.pos)?;
        self.pos += 1;
        if b != b'\\' {
            return Some(b);
        }
        let (c, used) = decode_escape(self.raw.get(self.pos..)?)?;
        self.pos += used;
        let encoded = c.encode_utf8(&mut self.pending);
        let len = encoded.len() as u8;
        self.pending_len = len;
        self.pending_pos = 1;
        Some(self.pending[0])
    }
}

/// Decodes the escape that follows a backslash; returns the character and how many
/// bytes after the backslash it used. `None` when the escape is not valid JSON.
fn decode_escape(rest: &[u8]) -> Option<(char, usize)> {
    let simple = match *rest.first()? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let hi = hex4(rest.get(1..5)?)?;
            if (0xD800..0xDC00).contains(&hi) {
                // A high surrogate must be followed by an escaped low surrogate.
                if rest.get(5..7)? != b"\\u" {
                    return None;
                }
                let lo = hex4(rest.get(7..11)?)?;
                if !(0xDC00..0xE000).contains(&lo) {
                    return None;
                }
                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                return Some((char::from_u32(c)?, 11));
            }
            return Some((char::from_u32(hi)?, 5));
        }
        _ => return None,
    };
    Some((simple, 1))
}

/// The length of the run of bytes that need no attention inside a string: everything but
/// a quote, a backslash or a control character.
#[cfg(test)]
fn plain_run(bytes: &[u8]) -> usize {
    plain_end(bytes, 0)
}

/// Where the run of plain string bytes starting at `start` ends: the position of the
/// first quote, backslash or control character, or `buf.len()`. Eight bytes at a time
/// (SWAR); the last, short word is the buffer's last eight bytes shifted down past the
/// bytes already seen, so no byte loop runs unless the whole buffer is shorter than a
/// word.
#[inline(always)]
pub(crate) fn plain_end(buf: &[u8], start: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // High bit of each byte that equals '"' or '\\', or is below 0x20. A borrow can only
    // mark bytes above a true match, so the lowest mark is exact. Bytes of 0x80 and above
    // are never marked (`!x` clears their high bit), whatever the borrows.
    let special = |x: u64| {
        ((x ^ (ONES * u64::from(b'"'))).wrapping_sub(ONES)
            | (x ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES)
            | x.wrapping_sub(ONES * 0x20))
            & !x
            & HIGHS
    };
    let mut at = start;
    for eight in buf.get(start..).unwrap_or_default().chunks_exact(8) {
        let found = special(word(eight));
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let left = buf.len().saturating_sub(at);
    if left == 0 {
        return buf.len();
    }
    match buf.len().checked_sub(8).and_then(|last| buf.get(last..)) {
        Some(last) => {
            // `left` is 1..=7: the shifts stay below 64.
            let drop = 8 * (8 - left as u32);
            // The zero bytes shifted in above them are control bytes, so they are marked;
            // a mark there means "no special byte in the `left` real ones": clamp.
            let found = special(word(last) >> drop);
            at + ((found.trailing_zeros() / 8) as usize).min(left)
        }
        // A buffer shorter than one word: byte by byte.
        None => {
            let rest = buf.get(at..).unwrap_or_default();
            at + rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(rest.len())
        }
    }
}

/// The run of ASCII digits at the start of `bytes` and its value (wrapping past
/// `u64::MAX`), byte by byte.
fn digit_bytes(bytes: &[u8]) -> (usize, u64) {
    let mut value = 0u64;
    let mut n = 0;
    for &d in bytes {
        if !d.is_ascii_digit() {
            break;
        }
        value = value.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
        n += 1;
    }
    (n, value)
}

/// A mark in each byte of `x` that is not an ASCII digit. Carries of the `+ 6` only
/// leave bytes that are not digits themselves (a digit plus 6 stays below 0x40), so the
/// lowest mark is exact.
#[inline(always)]
fn non_digits(x: u64) -> u64 {
    const HIGH_NIBBLES: u64 = 0xf0f0_f0f0_f0f0_f0f0;
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    ((x & HIGH_NIBBLES) ^ ZEROS) | ((x.wrapping_add(0x0606_0606_0606_0606) & HIGH_NIBBLES) ^ ZEROS)
}

/// The value of the first `n` (0..=8) bytes of `x`, all ASCII digits, the first digit in
/// the lowest byte: the digits are shifted to the top (zeros enter below) and combined
/// in pairs, fours, eights.
#[inline(always)]
fn digits_value(x: u64, n: usize) -> u64 {
    let v = x.wrapping_sub(0x3030_3030_3030_3030);
    // n = 0 shifts by 64: no digit, value 0.
    let v = v.checked_shl(64 - 8 * n as u32).unwrap_or(0);
    // Each lane stays below its width (99, 9 999, 99 999 999): nothing carries across.
    let v = v.wrapping_mul(10).wrapping_add(v >> 8) & 0x00ff_00ff_00ff_00ff;
    let v = v.wrapping_mul(100).wrapping_add(v >> 16) & 0x0000_ffff_0000_ffff;
    v.wrapping_mul(10_000).wrapping_add(v >> 32) & 0xffff_ffff
}

/// As [`digit_bytes`] for the first of 16 bytes, two words at a time: runs of up to 16
/// digits are counted and read exactly (a longer one reports 16 digits, and no value).
#[inline(always)]
pub(crate) fn digit_words(sixteen: &[u8]) -> (usize, u64) {
    const POW10: [u64; 9] = [
        1,
        10,
        100,
        1_000,
        10_000,
        100_000,
        1_000_000,
        10_000_000,
        100_000_000,
    ];
    let (lo, hi) = sixteen.split_at(8);
    let (lo, hi) = (word(lo), word(hi));
    let lo_marks = non_digits(lo);
    if lo_marks != 0 {
        let n = (lo_marks.trailing_zeros() / 8) as usize;
        return (n, digits_value(lo, n));
    }
    let m = (non_digits(hi).trailing_zeros() / 8) as usize;
    let scale = POW10.get(m).copied().unwrap_or(0);
    let value = digits_value(lo, 8)
        .wrapping_mul(scale)
        .wrapping_add(digits_value(hi, m));
    (8 + m, value)
}

fn hex4(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |acc, &d| {
        let v = (d as char).to_digit(16)?;
        Some(acc * 16 + v)
    })
}

/// The kind of the next JSON value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// `{`
    Object,
    /// `[`
    Array,
    /// `"`
    String,
    /// `-` or a digit
    Number,
    /// `true` or `false`
    Bool,
    /// `null`
    Null,
}

/// A cursor over JSON text.
pub struct Scanner<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    /// A scanner at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Scanner<'a> {
        Scanner { buf, pos: 0 }
    }

    /// The byte offset of the cursor.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Moves the cursor back to `pos`, a position this scanner reported earlier.
    pub fn rewind(&mut self, pos: usize) {
        self.pos = pos.min(self.buf.len());
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.buf.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.buf.get(self.pos).copied()
    }

    /// Whether `b` (never white space) is the next byte after white space; nothing is
    /// consumed but the white space.
    #[inline(always)]
    pub(crate) fn next_is(&mut self, b: u8) -> bool {
        self.buf.get(self.pos) == Some(&b) || self.peek() == Some(b)
    }

    /// Consumes `b` (never white space) if it is the next byte after white space.
    #[inline(always)]
    fn eat(&mut self, b: u8) -> bool {
        // Compact JSON (every token's header and claims) has no white space: look at the
        // byte at the cursor first, and skip white space only when it is not `b`.
        if !self.next_is(b) {
            return false;
        }
        self.pos += 1;
        true
    }

    /// The kind of the next value, without consuming it.
    pub fn peek_kind(&mut self) -> Result<ValueKind> {
        Ok(match self.peek() {
            Some(b'{') => ValueKind::Object,
            Some(b'[') => ValueKind::Array,
            Some(b'"') => ValueKind::String,
            Some(b'-' | b'0'..=b'9') => ValueKind::Number,
            Some(b't' | b'f') => ValueKind::Bool,
            Some(b'n') => ValueKind::Null,
            _ => return Err(malformed("expected a JSON value")),
        })
    }

    /// Requires that nothing but white space is left.
    pub fn finish(mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(malformed("trailing bytes after the JSON value")),
        }
    }

    /// Reads a string value.
    #[inline(always)]
    pub fn string(&mut self) -> Result<JsonStr<'a>> {
        if !self.eat(b'"') {
            return Err(malformed("expected a JSON string"));
        }
        let start = self.pos;
        // The common string has no escape: one word scan to its closing quote, and out.
        let end = plain_end(self.buf, start);
        if self.buf.get(end) == Some(&b'"') {
            self.pos = end + 1;
            let raw = self.buf.get(start..end).unwrap_or_default();
            return Ok(JsonStr {
                raw,
                escaped: false,
            });
        }
        self.pos = end;
        self.string_rest(start)
    }

    /// The rest of a string from the first byte [`plain_end`] stopped at (an escape, a
    /// control character or the end of the text): out of line, so that the plain case
    /// above stays small.
    #[cold]
    #[inline(never)]
    fn string_rest(&mut self, start: usize) -> Result<JsonStr<'a>> {
        let mut escaped = false;
        loop {
            let b = *self
                .buf
                .get(self.pos)
                .ok_or(malformed("unterminated string"))?;
            match b {
                b'"' => {
                    let raw = self.buf.get(start..self.pos).unwrap_or_default();
                    self.pos += 1;
                    return Ok(JsonStr { raw, escaped });
                }
                b'\\' => {
                    let rest = self.buf.get(self.pos + 1..).unwrap_or_default();
                    let (_, used) = decode_escape(rest).ok_or(malformed("invalid escape"))?;
                    escaped = true;
                    self.pos += 1 + used;
                }
                // plain_end stops only at a quote, a backslash or a control byte: what
                // is left is a control byte (and anything else would fail closed).
                _ => return Err(malformed("control character in string")),
            }
            self.pos = plain_end(self.buf, self.pos);
        }
    }

    /// Reads a number value, returning its text (strict RFC 8259 grammar).
    pub fn number(&mut self) -> Result<&'a str> {
        let text = self.number_bytes()?;
        core::str::from_utf8(text).map_err(|_| malformed("invalid number"))
    }

    /// The common NumericDate, read in the same pass that scans it: a number that is
    /// only 1 to `max_digits` digits (no sign, fraction or exponent; no leading zero),
    /// consumed and returned as its value. Anything else — including text that is not a
    /// number at all — returns `None` and leaves the cursor where it was, for
    /// [`Scanner::number`] to read (or refuse) in full.
    #[inline]
    pub(crate) fn plain_integer(&mut self, max_digits: usize) -> Option<u64> {
        self.skip_ws();
        let start = self.pos;
        // Sixteen bytes at hand (a date inside the claims): the digits are counted and
        // read as words; near the end of the text, byte by byte.
        let (n, value) = match self.buf.get(start..start + 16) {
            Some(sixteen) => digit_words(sixteen),
            None => digit_bytes(self.buf.get(start..).unwrap_or_default()),
        };
        let end = start + n;
        let leading_zero = n > 1 && self.buf.get(start) == Some(&b'0');
        let continues = matches!(self.buf.get(end), Some(b'.' | b'e' | b'E'));
        if n == 0 || n > max_digits || leading_zero || continues {
            return None;
        }
        self.pos = end;
        Some(value)
    }

    /// [`Scanner::number`] as bytes (ASCII by the grammar): no UTF-8 check on the hot path.
    pub(crate) fn number_bytes(&mut self) -> Result<&'a [u8]> {
        self.skip_ws();
        let start = self.pos;
        let digits = |s: &mut Self| {
            let from = s.pos;
            while let Some(b'0'..=b'9') = s.buf.get(s.pos) {
                s.pos += 1;
            }
            s.pos - from
        };
        if self.buf.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let n = digits(self);
        if n == 0 || (n > 1 && self.buf.get(int_start) == Some(&b'0')) {
            return Err(malformed("invalid number"));
        }
        if self.buf.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(malformed("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.buf.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.buf.get(self.pos) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(malformed("invalid number"));
            }
        }
        Ok(self.buf.get(start..self.pos).unwrap_or_default())
    }

    /// Reads `true` or `false`.
    pub fn boolean(&mut self) -> Result<bool> {
        if self.literal(b"true") {
            Ok(true)
        } else if self.literal(b"false") {
            Ok(false)
        } else {
            Err(malformed("expected a boolean"))
        }
    }

    fn literal(&mut self, word: &[u8]) -> bool {
        self.skip_ws();
        let end = self.pos + word.len();
        if self.buf.get(self.pos..end) == Some(word) {
            self.pos = end;
            true
        } else {
            false
        }
    }

    /// Skips one value of any kind, at most `depth_left` levels deep.
    pub fn skip_value(&mut self, depth_left: usize) -> Result<()> {
        match self.peek_kind()? {
            ValueKind::String => self.string().map(drop),
            ValueKind::Number => self.number_bytes().map(drop),
            ValueKind::Bool => self.boolean().map(drop),
            ValueKind::Null => {
                if self.literal(b"null") {
                    Ok(())
                } else {
                    Err(malformed("expected null"))
                }
            }
            ValueKind::Object => {
                let depth = depth_left
                    .checked_sub(1)
                    .ok_or(malformed("JSON too deep"))?;
                self.object(|_, s| s.skip_value(depth))
            }
            ValueKind::Array => {
                let depth = depth_left
                    .checked_sub(1)
                    .ok_or(malformed("JSON too deep"))?;
                self.array(|s| s.skip_value(depth))
            }
        }
    }

    /// Skips one value with the default depth limit.
    pub fn skip_any(&mut self) -> Result<()> {
        self.skip_value(MAX_JSON_DEPTH)
    }

    /// Reads an object, calling `member` with each name and the scanner positioned at the
    /// member's value; `member` must consume the value.
    pub fn object(
        &mut self,
        mut member: impl FnMut(JsonStr<'a>, &mut Self) -> Result<()>,
    ) -> Result<()> {
        if !self.eat(b'{') {
            return Err(malformed("expected a JSON object"));
        }
        if self.eat(b'}') {
            return Ok(());
        }
        loop {
            let name = self.string()?;
            if !self.eat(b':') {
                return Err(malformed("expected ':'"));
            }
            member(name, self)?;
            if self.eat(b',') {
                continue;
            }
            if self.eat(b'}') {
                return Ok(());
            }
            return Err(malformed("expected ',' or '}'"));
        }
    }

    /// Reads an array, calling `item` with the scanner positioned at each item.
    pub fn array(&mut self, mut item: impl FnMut(&mut Self) -> Result<()>) -> Result<()> {
        if !self.eat(b'[') {
            return Err(malformed("expected a JSON array"));
        }
        if self.eat(b']') {
            return Ok(());
        }
        loop {
            item(self)?;
            if self.eat(b',') {
                continue;
            }
            if self.eat(b']') {
                return Ok(());
            }
            return Err(malformed("expected ',' or ']'"));
        }
    }
}

/// Remembers member names to refuse duplicates (compared after unescaping), up to `N`.
pub struct SeenNames<'a, const N: usize> {
    names: [(u64, Option<JsonStr<'a>>); N],
    len: usize,
}

impl<const N: usize> Default for SeenNames<'_, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a, const N: usize> SeenNames<'a, N> {
    /// An empty record.
    pub fn new() -> Self {
        SeenNames {
            names: [(0, None); N],
            len: 0,
        }
    }

    /// Records `name`; an error when it was seen before or the count exceeds `N`.
    pub fn insert(&mut self, name: JsonStr<'a>) -> Result<()> {
        let hash = name.value_hash();
        let seen = self.names.get(..self.len).unwrap_or_default();
        if seen
            .iter()
            .any(|(h, n)| *h == hash && n.is_some_and(|n| n.same_value(&name)))
        {
            return Err(malformed("duplicate member name"));
        }
        let slot = self
            .names
            .get_mut(self.len)
            .ok_or(malformed("too many members"))?;
        *slot = (hash, Some(name));
        self.len += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(s: &str) -> Vec<u8> {
        let mut sc = Scanner::new(s.as_bytes());
        sc.string().unwrap().bytes().collect()
    }

    fn json_str(quoted: &str) -> JsonStr<'_> {
        Scanner::new(quoted.as_bytes()).string().unwrap()
    }

    /// `value_hash` is what its doc says: equal values hash alike however they are
    /// spelled; values of one length hash apart when their first eight bytes differ, and
    /// values with the same first eight bytes when their lengths differ (names of every
    /// length to 16, first bytes `a`, `b`, `p`, `q`, and a different eighth byte).
    #[test]
    fn value_hash_is_the_length_and_first_eight_bytes() {
        let mut names = Vec::new();
        for len in 0..=16usize {
            for first in [b'a', b'b', b'p', b'q'] {
                let name: String = (0..len)
                    .map(|i| if i == 0 { first } else { b'c' + (i % 7) as u8 } as char)
                    .collect();
                names.push(name);
            }
            if len >= 8 {
                let mut name: Vec<u8> = names.last().unwrap().clone().into_bytes();
                name[7] = b'z';
                names.push(String::from_utf8(name).unwrap());
            }
        }
        let hash = |n: &str| json_str(&format!("\"{n}\"")).value_hash();
        for a in &names {
            for b in &names {
                let same_prefix = a.bytes().take(8).eq(b.bytes().take(8));
                if a.len() == b.len() {
                    assert_eq!(hash(a) == hash(b), same_prefix, "{a:?} {b:?}");
                } else if same_prefix {
                    assert_ne!(hash(a), hash(b), "{a:?} {b:?}");
                }
            }
            // The escaped spelling of the same value hashes alike.
            let escaped: String = a.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
            assert_eq!(hash(&escaped), hash(a), "{a:?}");
        }
    }

    /// Names whose summaries collide (same length, same first eight bytes) are still two
    /// names: only the full comparison makes a duplicate.
    #[test]
    fn names_with_the_same_summary_are_not_duplicates() {
        let mut seen: SeenNames<'_, 4> = SeenNames::new();
        seen.insert(json_str(r#""tenant_id_1""#)).unwrap();
        seen.insert(json_str(r#""tenant_id_2""#)).unwrap();
        assert_eq!(
            seen.insert(json_str(r#""tenant_id_\u0031""#)),
            Err(malformed("duplicate member name"))
        );
        assert!(json_str(r#""tenant_id_\u0031""#).same_value(&json_str(r#""tenant_id_1""#)));
        assert!(!json_str(r#""tenant_id_2""#).same_value(&json_str(r#""tenant_id_1""#)));
    }

    #[test]
    fn unescapes_every_escape_form() {
        assert_eq!(decoded(r#""\u0061lg""#), b"alg");
        assert_eq!(decoded(r#""a\"b\\c\/d\n""#), b"a\"b\\c/d\n");
        assert_eq!(decoded(r#""\b\f\r\t""#), b"\x08\x0c\r\t");
        assert_eq!(decoded(r#""\ud83d\ude00""#), "\u{1F600}".as_bytes());
        assert_eq!(decoded(r#""\u00e9""#), "é".as_bytes());
    }

    #[test]
    fn refuses_bad_strings() {
        for bad in [
            r#""\ud83d""#,
            r#""\ude00""#,
            r#""\x""#,
            r#""\u12""#,
            "\"a\u{1}\"",
            r#""abc"#,
        ] {
            assert!(Scanner::new(bad.as_bytes()).string().is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_follow_the_grammar() {
        for good in ["0", "-1", "1.5", "1e10", "1E+2", "-0.0e-1", "1700000000"] {
            assert_eq!(Scanner::new(good.as_bytes()).number().unwrap(), good);
        }
        for bad in ["01", "-", "1.", ".5", "1e", "+1"] {
            let mut s = Scanner::new(bad.as_bytes());
            assert!(s.number().is_err() || s.finish().is_err(), "{bad}");
        }
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(Scanner::new(deep.as_bytes()).skip_any().is_err());
        let ok = "[".repeat(MAX_JSON_DEPTH) + &"]".repeat(MAX_JSON_DEPTH);
        assert!(Scanner::new(ok.as_bytes()).skip_any().is_ok());
    }

    #[test]
    fn duplicates_are_found_after_unescaping() {
        let text = br#"{"alg":1,"\u0061lg":2}"#;
        let mut seen = SeenNames::<8>::new();
        let r = Scanner::new(text).object(|n, s| {
            seen.insert(n)?;
            s.skip_any()
        });
        assert_eq!(r, Err(Error::Malformed("duplicate member name")));
    }

    /// `plain_integer` takes exactly the plain integers of at most `max_digits` digits,
    /// read by words (sixteen bytes at hand) and byte by byte (near the end of the text),
    /// and leaves the cursor after the white space for anything else.
    #[test]
    fn plain_integer_takes_exactly_the_plain_integers() {
        for (text, max, want) in [
            ("0", 12, Some(0)),
            ("7", 12, Some(7)),
            ("17", 12, Some(17)),
            (" 42", 12, Some(42)),
            ("1700000000", 12, Some(1_700_000_000)),
            ("123456789012", 12, Some(123_456_789_012)),
            ("12345678901", 11, Some(12_345_678_901)),
            ("123456789012", 11, None),
            ("1234567890123", 12, None),
            ("01", 12, None),
            ("00", 12, None),
            ("1.5", 12, None),
            ("1e9", 12, None),
            ("1E9", 12, None),
            ("-1", 12, None),
            ("x", 12, None),
            ("", 12, None),
        ] {
            for tail in ["", r#","padding_member":"0123456789abcdef"}"#] {
                let json = format!("{text}{tail}");
                let mut s = Scanner::new(json.as_bytes());
                assert_eq!(s.plain_integer(max), want, "{json:?}");
                let after_ws = text.len() - text.trim_start().len();
                let pos = if want.is_some() { text.len() } else { after_ws };
                assert_eq!(s.position(), pos, "{json:?}");
            }
        }
    }

    #[test]
    fn plain_runs_stop_at_every_special_byte() {
        for special in [b'"', b'\\', 0x00, 0x1f] {
            for at in 0..20 {
                let mut bytes = vec![b'a'; 24];
                bytes[at] = special;
                assert_eq!(plain_run(&bytes), at, "{special:#x} at {at}");
            }
        }
        assert_eq!(plain_run(&[0x20, 0x7f, 0x80, 0xff, b'a']), 5);
        assert_eq!(plain_run(&[0xe9; 17]), 17);
    }

    /// Every length up to three words, every position, every kind of byte: the word scan
    /// (whole words, the shifted last word, the byte loop of a buffer shorter than a word)
    /// stops where a byte-by-byte scan stops, from every start.
    #[test]
    fn plain_end_agrees_with_a_byte_scan() {
        let naive = |buf: &[u8], start: usize| {
            (start..buf.len())
                .find(|&i| matches!(buf[i], b'"' | b'\\' | 0x00..=0x1f))
                .unwrap_or(buf.len())
        };
        for len in 0..=24 {
            for start in 0..=len {
                assert_eq!(plain_end(&vec![b'a'; len], start), len, "{len} {start}");
                for at in start..len {
                    for b in [
                        b'"', b'\\', 0x00, 0x1f, 0x20, 0x21, 0x7f, 0x80, 0xa2, 0xdc, 0xff,
                    ] {
                        let mut buf = vec![b'a'; len];
                        buf[at] = b;
                        // A second special byte after the first must not move the answer.
                        if at + 1 < len {
                            buf[at + 1] = b'"';
                        }
                        assert_eq!(
                            plain_end(&buf, start),
                            naive(&buf, start),
                            "{len} {start} {at} {b:#x}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn strings_end_at_their_quote_near_the_end_of_the_text() {
        for pad in 0..12 {
            let text = format!("\"{}\"", "x".repeat(pad));
            let mut sc = Scanner::new(text.as_bytes());
            assert_eq!(
                sc.string().unwrap().as_plain(),
                Some("x".repeat(pad).as_bytes())
            );
            assert!(sc.finish().is_ok());
            let open = format!("\"{}", "x".repeat(pad));
            assert_eq!(
                Scanner::new(open.as_bytes()).string().unwrap_err(),
                Error::Malformed("unterminated string")
            );
            let escaped = format!("\"{}\\n\"", "x".repeat(pad));
            let v = Scanner::new(escaped.as_bytes()).string().unwrap();
            assert_eq!(v.as_plain(), None);
            assert_eq!(v.bytes().count(), pad + 1);
        }
    }

    /// The word reader of digit runs agrees with the byte reader on every run length
    /// 0..=16, whatever byte ends the run (the neighbours of the digits in value, and
    /// bytes whose `+ 6` carries into the next byte).
    #[test]
    fn digit_words_agree_with_digit_bytes() {
        let enders = [
            b'/',
            b':',
            b'.',
            b'e',
            b' ',
            b',',
            b'}',
            0x00,
            0x39 + 0x80,
            0xfa,
            0xff,
        ];
        for n in 0..=16 {
            for seed in 0..40u64 {
                for &end in &enders {
                    let mut buf: Vec<u8> = (0..n)
                        .map(|i| b'0' + ((seed * 7 + i as u64 * (seed + 3)) % 10) as u8)
                        .collect();
                    buf.push(end);
                    // Whatever follows the end must not matter, digits included.
                    buf.extend_from_slice(b"9999999999999999");
                    buf.truncate(16);
                    let (words, bytes) = (digit_words(&buf), digit_bytes(&buf));
                    assert_eq!(words.0, bytes.0, "{buf:?}");
                    if words.0 < 16 {
                        assert_eq!(words.1, bytes.1, "{buf:?}");
                    }
                }
            }
        }
        assert_eq!(digit_words(b"0000000000000000").0, 16);
        assert_eq!(digit_words(b"12345678901234x5"), (14, 12_345_678_901_234));
        assert_eq!(digit_words(b"99999999x9999999"), (8, 99_999_999));
    }

    #[test]
    fn trailing_commas_are_refused() {
        assert!(Scanner::new(b"{\"a\":1,}").skip_any().is_err());
        assert!(Scanner::new(b"[1,]").skip_any().is_err());
    }
}
