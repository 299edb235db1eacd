//! Where the app keeps what it knows between visits.
//!
//! Small preferences live in localStorage ([`prefs`]); dossiers live in a
//! key-value store behind [`KeyValueStore`]: IndexedDB in the browser
//! ([`indexed_db`], wasm only) and an in-memory twin ([`MemoryStore`]) for
//! native tests and as the fallback when the browser refuses storage. Both
//! pass the same contract ([`contract`]).

mod app_storage;
pub mod contract;
mod error;
#[cfg(target_arch = "wasm32")]
pub mod indexed_db;
mod key_value;
mod memory;
pub mod prefs;

pub use app_storage::AppStorage;
pub use error::StorageError;
#[cfg(target_arch = "wasm32")]
pub use indexed_db::IndexedDbStore;
pub use key_value::{FailureInjection, KeyValueStore, WriteBatch, WriteOp};
pub use memory::MemoryStore;
