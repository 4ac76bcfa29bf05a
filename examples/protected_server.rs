//! The protected example server (issue 11): filled in by the HTTP layer work.
fn main() {}
