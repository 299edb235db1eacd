//! The one error type of the storage layer.

/// Why a storage operation failed, coarse enough for the UI to turn into one
/// clear sentence ("your device is full", "this browser keeps nothing in
/// private mode", "close the other Driehoek tab").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// The browser refuses to store more for this site.
    #[error("the storage quota is exceeded")]
    QuotaExceeded,
    /// There is no storage to use: IndexedDB is missing, switched off
    /// (private mode in some browsers) or could not be opened.
    #[error("storage is unavailable: {0}")]
    Unavailable(String),
    /// Opening the database waits for another tab that holds an older
    /// version open and does not let go.
    #[error("the database upgrade is blocked by another open tab")]
    Blocked,
    /// Anything else the backend reported; the text is for diagnosis.
    #[error("storage failed: {0}")]
    Backend(String),
}
