//! Compact JWS (RFC 7515 §7.1): the split into segments, and the JOSE header.

mod compact;
mod diagnose;
mod header;
mod header_cache;

pub use compact::{CompactParts, split};
pub(crate) use compact::{DotHint, first_problem_or, split_by_dots, split_error};
pub use header::{Header, parse_header};
pub(crate) use header_cache::HeaderCache;
