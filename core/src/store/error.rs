//! The one error type of the store layer.

use crate::model::ModelError;
use crate::storage::StorageError;

/// Why a store operation failed. A failed write changes nothing stored and
/// leaves the open document as it was, so the caller may keep working in
/// memory and persist again later.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Model(#[from] ModelError),

    #[error("{0}")]
    Storage(#[from] StorageError),

    #[error("no dossier with id {0} is stored on this device")]
    NotFound(String),

    #[error("the stored dossier {0} holds no readable dossier")]
    Unreadable(String),

    #[error("the metadata of dossier {id} cannot be read: {reason}")]
    Metadata { id: String, reason: String },

    #[error("the new snapshot does not reload to the same heads; nothing was deleted")]
    SnapshotMismatch,

    #[error("the snapshot changed while compacting (another tab compacted); nothing was written")]
    CompactionRaced,

    #[error("no random bytes available: {0}")]
    Random(String),
}

/// Shorthand for results of the store layer.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
