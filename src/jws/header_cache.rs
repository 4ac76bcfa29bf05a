//! The last header a [`crate::Scratch`] parsed, kept for the next token.
//!
//! An issuer signs token after token with the same `alg`, `kid` and `typ`, so the header
//! segment of one access token is byte for byte the header segment of the next. When it
//! is, decoding and parsing it again would find the same header in the same buffers: the
//! cache compares the segment with the last one parsed and, when they are equal, hands
//! out the header that parse found. A header is a pure function of its segment's bytes,
//! so a hit gives exactly what a parse would, errors included; nothing about the key, the
//! signature or the claims is kept.

use super::header::{Header, HeaderShape, parse_shape};
use crate::error::Error;
use crate::limits::{MAX_HEADER_BYTES, MAX_KID_BYTES};

/// The decoded header, the unescaped `kid`, and the segment they were parsed from.
pub(crate) struct HeaderCache {
    /// The decoded header (the `typ`, `cty` and a plain `kid` of a header borrow it).
    decoded: Vec<u8>,
    /// An escaped `kid`, unescaped.
    kid: Vec<u8>,
    /// The `kid` of [`HeaderCache::last`] as text, checked as UTF-8 once, when parsed.
    kid_text: String,
    /// The encoded segment [`HeaderCache::last`] was parsed from.
    segment: Vec<u8>,
    /// What parsing `segment` found in `decoded` and `kid`; `None` until a header has
    /// parsed, and after any parse that failed (the buffers then hold its leftovers).
    last: Option<HeaderShape>,
    /// How many segments were parsed (for tests: a hit parses nothing).
    #[cfg(test)]
    parses: usize,
}

/// The longest header segment that can parse: [`MAX_HEADER_BYTES`] bytes, encoded.
const MAX_SEGMENT_BYTES: usize = MAX_HEADER_BYTES.div_ceil(3) * 4;

impl HeaderCache {
    /// Empty buffers with the room the largest header needs, so that no verify grows them.
    pub(crate) fn new() -> HeaderCache {
        HeaderCache {
            decoded: Vec::with_capacity(MAX_HEADER_BYTES),
            kid: Vec::with_capacity(MAX_KID_BYTES),
            kid_text: String::with_capacity(MAX_KID_BYTES),
            segment: Vec::with_capacity(MAX_SEGMENT_BYTES),
            last: None,
            #[cfg(test)]
            parses: 0,
        }
    }

    /// The header of the encoded segment `encoded`, as [`super::parse_header`] would
    /// return it; parsed only when `encoded` is not the segment of the last header this
    /// cache parsed.
    pub(crate) fn header(&mut self, encoded: &[u8]) -> Result<Header<'_>, Error> {
        if let Some(shape) = self.last
            && self.segment == encoded
        {
            let kid = shape.has_kid().then_some(self.kid_text.as_str());
            return shape.header_with_kid(&self.decoded, kid);
        }
        self.last = None;
        #[cfg(test)]
        {
            self.parses += 1;
        }
        let shape = parse_shape(encoded, &mut self.decoded, &mut self.kid)?;
        let header = shape.header(&self.decoded, &self.kid)?;
        // A segment that parsed is at most MAX_SEGMENT_BYTES long: it fits, and is kept
        // for the next token. So does its kid, which the parse bounds by MAX_KID_BYTES.
        if encoded.len() <= self.segment.capacity() {
            self.segment.clear();
            self.segment.extend_from_slice(encoded);
            self.kid_text.clear();
            self.kid_text.push_str(header.kid.unwrap_or_default());
            self.last = Some(shape);
        }
        Ok(header)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alg::Algorithm;
    use crate::base64url::encode;
    use crate::jws::parse_header;

    /// What a header says, owned: alg, kid, typ and cty unescaped.
    type Summary = (Algorithm, Option<String>, Option<Vec<u8>>, Option<Vec<u8>>);

    /// What a header says, owned: compared between the cache and a fresh parse.
    fn summary(h: Result<Header<'_>, Error>) -> Result<Summary, Error> {
        h.map(|h| {
            (
                h.alg,
                h.kid.map(String::from),
                h.typ.map(|t| t.bytes().collect()),
                h.cty.map(|c| c.bytes().collect()),
            )
        })
    }

    fn fresh(encoded: &[u8]) -> Result<Summary, Error> {
        let mut buf = Vec::with_capacity(MAX_HEADER_BYTES);
        let mut kid = Vec::with_capacity(MAX_KID_BYTES);
        summary(parse_header(encoded, &mut buf, &mut kid))
    }

    const HEADERS: [&str; 8] = [
        r#"{"alg":"ES256","kid":"k1","typ":"at+jwt"}"#,
        r#"{"alg":"ES256","kid":"k\u0032","typ":"at+jwt"}"#,
        r#"{"alg":"ES256","kid":"k1","typ":"a\u0074+jwt","cty":"json"}"#,
        r#"{"alg":"HS256"}"#,
        r#"{"alg":"none"}"#,
        r#"{"alg":"HS256","alg":"HS256"}"#,
        r#"{"alg":"HS256","crit":["exp"]}"#,
        r#"{"alg":"HS256","kid":"é🔑"}"#,
    ];

    /// Every header, in every order and repeated, reads the same through one cache as
    /// through a fresh parse: hits, misses after a hit, misses after an error.
    #[test]
    fn the_cache_agrees_with_a_fresh_parse_in_any_order() {
        let encoded: Vec<String> = HEADERS.iter().map(|h| encode(h.as_bytes())).collect();
        let mut cache = HeaderCache::new();
        for i in 0..encoded.len() {
            for j in 0..encoded.len() {
                for e in [
                    &encoded[i],
                    &encoded[i],
                    &encoded[j],
                    &encoded[j],
                    &encoded[i],
                ] {
                    assert_eq!(
                        summary(cache.header(e.as_bytes())),
                        fresh(e.as_bytes()),
                        "{i} then {j}"
                    );
                }
            }
        }
    }

    /// A segment equal to the one held is not parsed again; any other is (a prefix of the
    /// held one too), and so is a segment that failed, every time: a failure clears what
    /// was held.
    #[test]
    fn a_held_segment_is_not_parsed_again() {
        let good = encode(HEADERS[0].as_bytes());
        let other = encode(HEADERS[3].as_bytes());
        let bad = encode(HEADERS[5].as_bytes());
        let mut cache = HeaderCache::new();
        let mut parses_after = |segment: &str| {
            let _ = cache.header(segment.as_bytes());
            cache.parses
        };
        assert_eq!(parses_after(&good), 1);
        assert_eq!(parses_after(&good), 1);
        assert_eq!(parses_after(&other), 2);
        assert_eq!(parses_after(&other), 2);
        assert_eq!(parses_after(&bad), 3);
        assert_eq!(parses_after(&bad), 4);
        assert_eq!(parses_after(&good), 5);
        assert_eq!(parses_after(&good), 5);
        assert_eq!(parses_after(&good[..good.len() - 1]), 6);
        assert_eq!(parses_after(&good), 7);
        assert_eq!(parses_after(&good), 7);
    }

    /// The segment buffer is made big enough for the largest header that can parse: it
    /// is held (the second call parses nothing).
    #[test]
    fn the_largest_header_fits_the_segment_buffer() {
        let pad = MAX_HEADER_BYTES - r#"{"alg":"HS256","x":""}"#.len();
        let json = format!(r#"{{"alg":"HS256","x":"{}"}}"#, "a".repeat(pad));
        assert_eq!(json.len(), MAX_HEADER_BYTES);
        let encoded = encode(json.as_bytes());
        assert_eq!(encoded.len(), MAX_SEGMENT_BYTES - 1);
        let mut cache = HeaderCache::new();
        cache.header(encoded.as_bytes()).unwrap();
        cache.header(encoded.as_bytes()).unwrap();
        assert_eq!(cache.parses, 1);
    }
}
