//! The in-memory twin of the IndexedDB store.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ops::Bound;

use super::key_value::utf16_order;
use super::{FailureInjection, KeyValueStore, StorageError, WriteBatch, WriteOp};

/// Keeps everything in a map for as long as it lives: for native tests and
/// for keeping an open dossier working when the browser refuses storage.
#[derive(Debug, Default)]
pub struct MemoryStore {
    entries: RefCell<BTreeMap<String, Vec<u8>>>,
    next_write_failure: RefCell<Option<StorageError>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn take_failure(&self) -> Result<(), StorageError> {
        match self.next_write_failure.borrow_mut().take() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

impl FailureInjection for MemoryStore {
    fn fail_next_write(&self, error: StorageError) {
        *self.next_write_failure.borrow_mut() = Some(error);
    }
}

impl KeyValueStore for MemoryStore {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(self.entries.borrow().get(key).cloned())
    }

    async fn list_prefix(&self, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, StorageError> {
        // Keys sharing a prefix are contiguous in any lexicographic order, so
        // the byte-ordered range finds them; the sort then matches IndexedDB.
        let mut found: Vec<(String, Vec<u8>)> = self
            .entries
            .borrow()
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .take_while(|(key, _)| key.starts_with(prefix))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        found.sort_by(|(a, _), (b, _)| utf16_order(a, b));
        Ok(found)
    }

    async fn put(&self, key: &str, value: &[u8]) -> Result<(), StorageError> {
        self.take_failure()?;
        self.entries
            .borrow_mut()
            .insert(key.to_owned(), value.to_vec());
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        self.take_failure()?;
        self.entries.borrow_mut().remove(key);
        Ok(())
    }

    async fn write_batch(&self, batch: WriteBatch) -> Result<(), StorageError> {
        // Failing before touching the map is what makes the batch atomic.
        self.take_failure()?;
        let mut entries = self.entries.borrow_mut();
        for op in batch.ops() {
            match op {
                WriteOp::Put { key, value } => {
                    entries.insert(key.clone(), value.clone());
                }
                WriteOp::Delete { key } => {
                    entries.remove(key);
                }
            }
        }
        Ok(())
    }
}
