//! What a device remembers, as a key-value store with atomic batches.
//!
//! Dossiers live behind [`KeyValueStore`]: the app implements it over
//! IndexedDB, and [`MemoryStore`] is its in-memory twin for native tests
//! and the app's fallback when the browser refuses storage. Both pass the
//! same contract (`contract`, with the `test-support` feature).

#[cfg(any(test, feature = "test-support"))]
pub mod contract;
mod error;
mod key_value;
mod memory;

pub use error::StorageError;
pub use key_value::{FailureInjection, KeyValueStore, WriteBatch, WriteOp, utf16_order};
pub use memory::MemoryStore;
