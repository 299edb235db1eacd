//! The store the app runs on: IndexedDB when the browser gives it, memory
//! when it does not (private mode, storage switched off, an upgrade
//! blocked by another tab). In memory the app keeps working for this visit
//! and says plainly that nothing is kept.

use super::{FailureInjection, KeyValueStore, MemoryStore, StorageError, WriteBatch};

pub enum AppStorage {
    #[cfg(target_arch = "wasm32")]
    IndexedDb(super::IndexedDbStore),
    Memory(MemoryStore),
}

impl AppStorage {
    /// The browser's IndexedDB, or memory with the reason IndexedDB could
    /// not be used.
    pub async fn open() -> (Self, Option<StorageError>) {
        #[cfg(target_arch = "wasm32")]
        {
            match super::IndexedDbStore::open().await {
                Ok(db) => (AppStorage::IndexedDb(db), None),
                Err(e) => (AppStorage::Memory(MemoryStore::new()), Some(e)),
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            (AppStorage::Memory(MemoryStore::new()), None)
        }
    }
}

macro_rules! each {
    ($self:ident, $s:ident => $e:expr) => {
        match $self {
            #[cfg(target_arch = "wasm32")]
            AppStorage::IndexedDb($s) => $e,
            AppStorage::Memory($s) => $e,
        }
    };
}

impl KeyValueStore for AppStorage {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        each!(self, s => s.get(key).await)
    }

    async fn list_prefix(&self, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, StorageError> {
        each!(self, s => s.list_prefix(prefix).await)
    }

    async fn put(&self, key: &str, value: &[u8]) -> Result<(), StorageError> {
        each!(self, s => s.put(key, value).await)
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        each!(self, s => s.delete(key).await)
    }

    async fn write_batch(&self, batch: WriteBatch) -> Result<(), StorageError> {
        each!(self, s => s.write_batch(batch).await)
    }
}

impl FailureInjection for AppStorage {
    fn fail_next_write(&self, error: StorageError) {
        each!(self, s => s.fail_next_write(error))
    }
}
