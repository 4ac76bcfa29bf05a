//! Fuzz target `parse_jws`: see `jwsgate_fuzz::entry::parse_jws` for the invariants it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jwsgate_fuzz::entry::parse_jws(data));
