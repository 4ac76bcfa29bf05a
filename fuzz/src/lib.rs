//! Shared code of the jwsgate fuzz targets: the entry points. The fixed keys of every
//! algorithm are the `jwsgate-fixtures` crate's (`support/fixtures`), re-exported as
//! `fixture`. `tests/fuzz_corpus.rs` in the main crate includes `entry.rs`, so the stable
//! test suite replays the corpus through exactly the code the fuzzer runs.

pub mod entry;
pub use jwsgate_fixtures as fixture;
