//! A minimal, strict DER reader: exactly what SPKI and PKCS#1 public keys need.
//!
//! Only single-byte tags and definite lengths in their shortest form (X.690 §10.1) are
//! accepted; nesting is bounded by [`limits::MAX_DER_DEPTH`]; every read is bounds-checked,
//! so no input makes it panic. Errors are [`ConfigError::InvalidKey`].

use crate::error::ConfigError;
use crate::limits;

/// `INTEGER`.
pub(crate) const INTEGER: u8 = 0x02;
/// `BIT STRING`.
pub(crate) const BIT_STRING: u8 = 0x03;
/// `NULL`.
pub(crate) const NULL: u8 = 0x05;
/// `OBJECT IDENTIFIER`.
pub(crate) const OID: u8 = 0x06;
/// `SEQUENCE` (constructed).
pub(crate) const SEQUENCE: u8 = 0x30;

const fn malformed(why: &'static str) -> ConfigError {
    ConfigError::InvalidKey(why)
}

/// A cursor over DER input. `Debug` shows how much is left, never the bytes (the input
/// may be a secret being checked for key material).
#[derive(Clone, Copy)]
pub(crate) struct Reader<'a> {
    input: &'a [u8],
    depth: usize,
}

impl core::fmt::Debug for Reader<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Reader")
            .field("remaining_bytes", &self.input.len())
            .field("depth", &self.depth)
            .finish()
    }
}

impl<'a> Reader<'a> {
    /// A reader over `input`, at depth 0.
    pub(crate) fn new(input: &'a [u8]) -> Reader<'a> {
        Reader { input, depth: 0 }
    }

    /// Whether all input was consumed.
    pub(crate) fn is_empty(&self) -> bool {
        self.input.is_empty()
    }

    /// The tag of the next element, if any.
    #[cfg(test)]
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.input.first().copied()
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], ConfigError> {
        if n > self.input.len() {
            return Err(malformed("DER element longer than its input"));
        }
        let (head, rest) = self.input.split_at(n);
        self.input = rest;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, ConfigError> {
        let b = self.take(1)?;
        b.first().copied().ok_or(malformed("truncated DER"))
    }

    /// Reads one element: its tag and its contents.
    pub(crate) fn read_any(&mut self) -> Result<(u8, &'a [u8]), ConfigError> {
        let tag = self.byte()?;
        if tag & 0x1f == 0x1f {
            return Err(malformed("multi-byte DER tag"));
        }
        let first = self.byte()?;
        let len = match first {
            0..=0x7f => usize::from(first),
            0x80 => return Err(malformed("indefinite DER length")),
            0x81..=0x83 => {
                let n = usize::from(first & 0x7f);
                let bytes = self.take(n)?;
                if bytes.first() == Some(&0) {
                    return Err(malformed("non-minimal DER length"));
                }
                let len = bytes
                    .iter()
                    .fold(0usize, |acc, b| acc * 256 + usize::from(*b));
                if len < 0x80 {
                    return Err(malformed("non-minimal DER length"));
                }
                len
            }
            // Four length bytes or more would be 16 MiB or more: never a public key.
            _ => return Err(malformed("DER length too large")),
        };
        let contents = self.take(len)?;
        Ok((tag, contents))
    }

    /// Reads one element that must have tag `tag`, returning its contents.
    pub(crate) fn read(&mut self, tag: u8) -> Result<&'a [u8], ConfigError> {
        match self.read_any()? {
            (t, contents) if t == tag => Ok(contents),
            _ => Err(malformed("unexpected DER tag")),
        }
    }

    /// Reads a constructed element with tag `tag` and parses its contents with `f`, which
    /// must consume them entirely.
    pub(crate) fn nested<T>(
        &mut self,
        tag: u8,
        f: impl FnOnce(&mut Reader<'a>) -> Result<T, ConfigError>,
    ) -> Result<T, ConfigError> {
        let contents = self.read(tag)?;
        let depth = self.depth + 1;
        if depth > limits::MAX_DER_DEPTH {
            return Err(malformed("DER nested too deeply"));
        }
        let mut inner = Reader {
            input: contents,
            depth,
        };
        let value = f(&mut inner)?;
        if !inner.is_empty() {
            return Err(malformed("trailing data inside a DER element"));
        }
        Ok(value)
    }

    /// Reads a positive `INTEGER` in minimal two's-complement form and returns its
    /// magnitude without the sign octet.
    pub(crate) fn positive_integer(&mut self) -> Result<&'a [u8], ConfigError> {
        let bytes = self.read(INTEGER)?;
        match bytes {
            [] => Err(malformed("empty DER INTEGER")),
            [0] => Err(malformed("zero DER INTEGER")),
            [0, rest @ ..] => match rest.first() {
                Some(b) if b & 0x80 != 0 => Ok(rest),
                _ => Err(malformed("non-minimal DER INTEGER")),
            },
            [first, ..] if first & 0x80 != 0 => Err(malformed("negative DER INTEGER")),
            _ => Ok(bytes),
        }
    }

    /// Reads a `BIT STRING` with no unused bits and returns its octets.
    pub(crate) fn bit_string_octets(&mut self) -> Result<&'a [u8], ConfigError> {
        match self.read(BIT_STRING)? {
            [0, octets @ ..] => Ok(octets),
            _ => Err(malformed("BIT STRING with unused bits")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths() {
        let mut r = Reader::new(&[0x04, 0x01, 0xaa]);
        assert_eq!(r.read_any().unwrap(), (0x04, &[0xaa][..]));
        assert!(r.is_empty());

        let mut long = vec![0x04, 0x81, 0x80];
        long.extend_from_slice(&[7; 0x80]);
        let mut r = Reader::new(&long);
        assert_eq!(r.read(0x04).unwrap().len(), 0x80);
    }

    #[test]
    fn refuses_non_der_lengths_and_truncation() {
        for bad in [
            &[0x04, 0x80][..],                  // indefinite
            &[0x04, 0x81, 0x05, 1, 2, 3, 4, 5], // long form for a short length
            &[0x04, 0x82, 0x00, 0x80],          // leading zero length byte
            &[0x04, 0x84, 1, 0, 0, 0],          // too large
            &[0x04, 0x03, 1, 2],                // truncated
            &[0x1f, 0x01, 0x00],                // multi-byte tag
            &[0x04],                            // no length
            &[],
        ] {
            assert!(Reader::new(bad).read_any().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn integers_must_be_positive_and_minimal() {
        let ok = |b: &[u8]| Reader::new(b).positive_integer().map(<[u8]>::to_vec);
        assert_eq!(ok(&[0x02, 0x01, 0x03]).unwrap(), vec![3]);
        assert_eq!(ok(&[0x02, 0x02, 0x00, 0x80]).unwrap(), vec![0x80]);
        assert!(ok(&[0x02, 0x01, 0x80]).is_err()); // negative
        assert!(ok(&[0x02, 0x02, 0x00, 0x7f]).is_err()); // non-minimal
        assert!(ok(&[0x02, 0x01, 0x00]).is_err()); // zero
        assert!(ok(&[0x02, 0x00]).is_err()); // empty
    }

    #[test]
    fn nesting_is_bounded_and_must_be_consumed() {
        // Five nested empty-ish SEQUENCEs: deeper than MAX_DER_DEPTH.
        let mut deep = vec![0x05, 0x00];
        for _ in 0..=limits::MAX_DER_DEPTH {
            let mut outer = vec![SEQUENCE, u8::try_from(deep.len()).unwrap()];
            outer.extend_from_slice(&deep);
            deep = outer;
        }
        fn descend(r: &mut Reader<'_>) -> Result<(), ConfigError> {
            if r.peek_tag() == Some(SEQUENCE) {
                r.nested(SEQUENCE, descend)
            } else {
                r.read(NULL).map(|_| ())
            }
        }
        assert!(descend(&mut Reader::new(&deep)).is_err());

        let trailing = [SEQUENCE, 0x03, 0x05, 0x00, 0x00];
        let res = Reader::new(&trailing).nested(SEQUENCE, |r| r.read(NULL).map(|_| ()));
        assert!(res.is_err());
    }

    /// Each refusal names its own reason: a user fixing a key learns which rule the DER
    /// broke (and a reader that refused for the wrong reason would hide a missing check).
    #[test]
    fn each_refusal_names_its_reason() {
        let why = |b: &[u8]| Reader::new(b).read_any().unwrap_err();
        assert_eq!(why(&[0x04, 0x80]), malformed("indefinite DER length"));
        assert_eq!(
            why(&[0x04, 0x84, 1, 0, 0, 0]),
            malformed("DER length too large")
        );
        assert_eq!(
            why(&[0x04, 0x82, 0x00, 0x80]),
            malformed("non-minimal DER length")
        );
        assert_eq!(why(&[0x1f, 0x01, 0x00]), malformed("multi-byte DER tag"));
        let int = |b: &[u8]| Reader::new(b).positive_integer().unwrap_err();
        assert_eq!(int(&[0x02, 0x01, 0x00]), malformed("zero DER INTEGER"));
        assert_eq!(int(&[0x02, 0x00]), malformed("empty DER INTEGER"));
        assert_eq!(
            int(&[0x02, 0x02, 0x00, 0x7f]),
            malformed("non-minimal DER INTEGER")
        );
        assert_eq!(int(&[0x02, 0x01, 0x80]), malformed("negative DER INTEGER"));
    }

    /// `read` takes only the tag it was asked for: an element of any other tag, even one
    /// with well-formed contents, is refused and not consumed as if it matched.
    #[test]
    fn read_refuses_every_other_tag() {
        for tag in [INTEGER, BIT_STRING, NULL, OID, SEQUENCE, 0x04] {
            let element = [tag, 0x01, 0x01];
            assert_eq!(Reader::new(&element).read(tag).unwrap(), &[0x01]);
            for other in [INTEGER, BIT_STRING, NULL, OID, SEQUENCE, 0x04] {
                if other != tag {
                    assert_eq!(
                        Reader::new(&element).read(other),
                        Err(malformed("unexpected DER tag")),
                        "{tag:#x} read as {other:#x}"
                    );
                }
            }
        }
    }

    /// Exactly `MAX_DER_DEPTH` nested elements are read; one more is refused.
    #[test]
    fn nesting_at_the_limit_is_read() {
        fn nest(levels: usize) -> Vec<u8> {
            let mut der = vec![NULL, 0x00];
            for _ in 0..levels {
                let mut outer = vec![SEQUENCE, u8::try_from(der.len()).unwrap()];
                outer.extend_from_slice(&der);
                der = outer;
            }
            der
        }
        fn descend(r: &mut Reader<'_>) -> Result<usize, ConfigError> {
            if r.peek_tag() == Some(SEQUENCE) {
                r.nested(SEQUENCE, descend).map(|d| d + 1)
            } else {
                r.read(NULL).map(|_| 0)
            }
        }
        let at_limit = nest(limits::MAX_DER_DEPTH);
        assert_eq!(
            descend(&mut Reader::new(&at_limit)),
            Ok(limits::MAX_DER_DEPTH)
        );
        let past = nest(limits::MAX_DER_DEPTH + 1);
        assert_eq!(
            descend(&mut Reader::new(&past)),
            Err(malformed("DER nested too deeply"))
        );
    }

    #[test]
    fn bit_strings_need_zero_unused_bits() {
        assert_eq!(
            Reader::new(&[0x03, 0x02, 0x00, 0xff])
                .bit_string_octets()
                .unwrap(),
            &[0xff]
        );
        assert!(
            Reader::new(&[0x03, 0x02, 0x01, 0xfe])
                .bit_string_octets()
                .is_err()
        );
        assert!(Reader::new(&[0x03, 0x00]).bit_string_octets().is_err());
    }
}
