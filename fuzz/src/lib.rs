//! Shared code of the jwsgate fuzz targets: fixed keys of every algorithm and the entry
//! points. `tests/fuzz_corpus.rs` in the main crate includes the same two files, so the
//! stable test suite replays the corpus through exactly the code the fuzzer runs.

pub mod entry;
pub mod fixture;
