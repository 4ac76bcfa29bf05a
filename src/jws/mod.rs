//! Compact JWS (RFC 7515 §7.1): the split into segments, and the JOSE header.

mod compact;
mod diagnose;
mod header;

pub use compact::{CompactParts, split};
pub use header::{Header, parse_header};
