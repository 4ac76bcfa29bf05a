//! The reused buffers a verify decodes into, so a warmed verify allocates nothing.

use crate::claims::StrRef;
use crate::jws::{DotHint, HeaderCache};
use crate::limits::{DEFAULT_MAX_TOKEN_BYTES, MAX_ARRAY_ITEMS, MAX_SIGNATURE_BYTES};

/// Working memory for [`crate::Verifier::verify`]: the decoded header, payload and
/// unescaped strings. Make one per thread (or per connection) and reuse it; the claims
/// of a verified token borrow from it until the next verify. It keeps the last header it
/// parsed (with the encoded segment it came from): a token whose header segment is the
/// same bytes, as consecutive tokens of one issuer's key are, reuses that parse. It also
/// keeps where the last token's two dots were, which the next split looks at first.
/// Neither ever changes a verdict: a token is judged the same by a fresh scratch.
///
/// ```
/// let mut scratch = jwsgate::Scratch::new();
/// # let _ = &mut scratch;
/// ```
pub struct Scratch {
    /// The decoded header of the last token, kept with its segment: the next token with
    /// the same header segment is not decoded and parsed again.
    pub(crate) header: HeaderCache,
    /// Where the last token's dots were: looked at first by the next split.
    pub(crate) dots: DotHint,
    pub(crate) payload: Vec<u8>,
    pub(crate) text: Vec<u8>,
    pub(crate) items: Vec<StrRef>,
    pub(crate) signing_input: Vec<u8>,
    /// The decoded signature. Zeroed once here, then only overwritten: a verify decodes
    /// into the front of it (every byte it then reads was written by that decode), so no
    /// verify pays for zeroing 1 KiB. A signature is public, so the stale bytes of an
    /// earlier token's signature behind it are no secret.
    pub(crate) signature: Box<[u8; MAX_SIGNATURE_BYTES]>,
}

impl Scratch {
    /// Buffers sized for tokens up to [`DEFAULT_MAX_TOKEN_BYTES`].
    pub fn new() -> Scratch {
        Scratch::for_max_token_bytes(DEFAULT_MAX_TOKEN_BYTES)
    }

    /// Buffers sized for tokens up to `max_token_bytes`, so that no verify of an
    /// acceptable token ever grows them.
    pub fn for_max_token_bytes(max_token_bytes: usize) -> Scratch {
        let payload = max_token_bytes / 4 * 3 + 3;
        Scratch {
            header: HeaderCache::new(),
            dots: DotHint::default(),
            payload: Vec::with_capacity(payload),
            text: Vec::with_capacity(payload),
            // `aud` and `scp` each hold at most MAX_ARRAY_ITEMS strings.
            items: Vec::with_capacity(2 * MAX_ARRAY_ITEMS),
            signing_input: Vec::new(),
            signature: Box::new([0; MAX_SIGNATURE_BYTES]),
        }
    }
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch::new()
    }
}

impl core::fmt::Debug for Scratch {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The buffers hold the last token's decoded parts: never print them.
        f.debug_struct("Scratch")
            .field("payload_capacity", &self.payload.capacity())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_buffers_fit_the_largest_token_and_no_more_than_it() {
        for max in [
            4usize,
            8,
            100,
            DEFAULT_MAX_TOKEN_BYTES,
            4 * DEFAULT_MAX_TOKEN_BYTES,
        ] {
            let s = Scratch::for_max_token_bytes(max);
            // Decoding `max` base64url characters yields at most max / 4 * 3 + 2 bytes.
            let largest_decoded = max / 4 * 3 + (max % 4).saturating_sub(1);
            for (name, buf) in [("payload", &s.payload), ("text", &s.text)] {
                assert!(buf.capacity() >= largest_decoded, "{name} for {max}");
                assert!(buf.capacity() <= max + 3, "{name} for {max}: oversized");
            }
        }
    }
}
