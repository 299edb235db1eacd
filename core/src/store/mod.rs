//! The persistence engine of the dossier store: one dossier's snapshot,
//! incremental chunks and metadata over any [`KeyValueStore`].
//!
//! Plain Rust over `automerge::AutoCommit`: no leptos, no web-sys, so the
//! same code runs natively over [`MemoryStore`] and in the browser over
//! IndexedDB. The key layout is documented in [`keys`].
//!
//! The rules it keeps (DESIGN.md, "Storage invariants"):
//!
//! - every chunk is `save_after(saved_heads)`, framed, written with the new
//!   saved heads in one batch (after a load, `save_incremental` would write
//!   the whole history again);
//! - compaction writes the new snapshot, verified to reload to the same
//!   heads, and deletes exactly the chunk keys it read, in one batch;
//! - each tab session has its own actor id (device prefix plus random
//!   bytes); chunk keys carry it, so two tabs never overwrite each other;
//! - damaged bytes are skipped with a [`StoreWarning`] and kept under a
//!   quarantine key, never deleted.
//!
//! [`KeyValueStore`]: crate::storage::KeyValueStore
//! [`MemoryStore`]: crate::storage::MemoryStore

mod drafts;
mod engine;
mod error;
mod health;
pub mod keys;
mod logbook_cache;
mod meta;
mod screen;
mod writes;

pub use drafts::{Draft, DraftSlot};
pub use engine::{
    CompactWhen, CompactionPlan, CompactionReport, Opened, PendingChunk, Persistence, Refreshed,
    SessionDossier, StoreConfig, StoreWarning,
};
pub use error::{Result, StoreError};
pub use health::{HealthTracker, StorageHealth, WriteKind};
pub use logbook_cache::LogbookCache;
pub use meta::{DossierMeta, DossierSummary, Unseen};
pub use screen::{Arrival, Screen, ScreenChange};
pub use writes::{SyncPosition, WriteFailure, WritePlan, WriteQueue};
