//! Fuzz target `jwk_set`: see `jwsgate_fuzz::entry::jwk_set` for the invariants it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jwsgate_fuzz::entry::jwk_set(data));
