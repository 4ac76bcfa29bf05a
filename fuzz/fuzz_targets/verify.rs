//! Fuzz target `verify`: see `jwsgate_fuzz::entry::verify` for the invariants it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jwsgate_fuzz::entry::verify(data));
