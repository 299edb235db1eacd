//! Where the app keeps what it knows between visits: core's key-value
//! storage layer ([`driehoek_core::storage`], re-exported here) with the
//! browser's implementations of it.
//!
//! Dossiers live in IndexedDB ([`indexed_db`], wasm only), with core's
//! in-memory twin as the fallback when the browser refuses storage
//! ([`AppStorage`]); both pass core's contract suite. Small preferences
//! live in localStorage ([`prefs`]).

mod app_storage;
#[cfg(target_arch = "wasm32")]
pub mod indexed_db;
pub mod prefs;

pub use app_storage::AppStorage;
pub use driehoek_core::storage::*;
#[cfg(target_arch = "wasm32")]
pub use indexed_db::IndexedDbStore;
