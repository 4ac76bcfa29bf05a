//! Low-level building blocks of the verifier — **not for everyday use**.
//!
//! [`Verifier`](crate::Verifier) is the API: it runs these pieces in the right order
//! (size, split, header, policy, key, signature, claims) and never hands out an
//! unverified value. They are public for tests, benchmarks and fuzzing of the parsers
//! one by one, and for tools that need base64url: calling [`jws::parse_header`] or
//! reading a payload yourself checks **no signature**. Their signatures may change
//! in any release.
//!
//! * [`base64url`]: the strict RFC 4648 §5 codec (no padding, canonical trailing bits).
//! * [`jws`]: the compact split and the JOSE header parser.
//! * [`json`]: the allocation-free JSON scanner the header and claims are read with.

/// The strict base64url codec (RFC 4648 §5 without padding) of the verify path.
pub mod base64url {
    pub use crate::base64url::{
        decode, decode_into_vec, decode_public, decode_public_into_vec, decode_vec, decoded_len,
        encode, encode_append,
    };
}

/// The compact serialization split and the JOSE header parser (RFC 7515). Nothing here
/// checks a signature.
pub mod jws {
    pub use crate::jws::{CompactParts, Header, parse_header, split};
}

/// The allocation-free JSON scanner (RFC 8259) used for the header and the claims.
pub mod json {
    pub use crate::json::{JsonStr, Scanner, SeenNames, Unescaped, ValueKind};
}
