//! The storage contract: string keys, byte values, one atomic batch.

use super::StorageError;

/// One write inside a [`WriteBatch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOp {
    /// Stores `value` under `key`, replacing what was there.
    Put {
        /// The key to write.
        key: String,
        /// The bytes to keep under it.
        value: Vec<u8>,
    },
    /// Removes `key`; removing a key that is not there is not an error.
    Delete {
        /// The key to remove.
        key: String,
    },
}

/// Puts and deletes applied all-or-nothing, in the order they were added
/// (so a later op on the same key wins). Compaction writes its snapshot and
/// deletes exactly the chunk keys it read in one batch; a received blob and
/// the advanced relay cursor go in one batch too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteBatch {
    ops: Vec<WriteOp>,
}

impl WriteBatch {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a write of `value` under `key`.
    pub fn put(mut self, key: impl Into<String>, value: impl Into<Vec<u8>>) -> Self {
        self.ops.push(WriteOp::Put {
            key: key.into(),
            value: value.into(),
        });
        self
    }

    /// Adds the removal of `key`.
    pub fn delete(mut self, key: impl Into<String>) -> Self {
        self.ops.push(WriteOp::Delete { key: key.into() });
        self
    }

    /// This batch followed by every op of `other`.
    pub fn append(mut self, other: WriteBatch) -> Self {
        self.ops.extend(other.ops);
        self
    }

    /// The ops in the order they will be applied.
    pub fn ops(&self) -> &[WriteOp] {
        &self.ops
    }

    /// Whether the batch holds no ops at all.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// How many ops the batch holds.
    pub fn len(&self) -> usize {
        self.ops.len()
    }
}

/// A small async key-value store: what the device keeps of its dossiers.
///
/// Keys are strings, values bytes. Listing by prefix is a plain string
/// prefix: `"doc/a/"` lists `"doc/a/1"` but not `"doc/ab/1"` nor `"doc/a"`,
/// so callers end a prefix with `/` when they mean "this folder". Listings are
/// sorted the way IndexedDB sorts strings, by UTF-16 code units (for the
/// ASCII keys we use, plain byte order).
///
/// The futures are not `Send`: the browser is single-threaded and IndexedDB
/// objects cannot cross threads.
#[allow(async_fn_in_trait)]
pub trait KeyValueStore {
    /// The value under `key`, or `None` when there is none.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError>;

    /// Every entry whose key starts with `prefix`, sorted by key.
    async fn list_prefix(&self, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, StorageError>;

    /// Stores `value` under `key`, replacing what was there.
    async fn put(&self, key: &str, value: &[u8]) -> Result<(), StorageError>;

    /// Removes `key`; a missing key is fine.
    async fn delete(&self, key: &str) -> Result<(), StorageError>;

    /// Applies every op of `batch` or, on failure, none of them.
    async fn write_batch(&self, batch: WriteBatch) -> Result<(), StorageError>;
}

/// Makes the next write (`put`, `delete` or `write_batch`) fail with a
/// chosen error and change nothing, so the layers above can test their
/// failure paths (the quota message, staying usable in memory).
pub trait FailureInjection {
    /// Makes the next write fail with `error`, changing nothing.
    fn fail_next_write(&self, error: StorageError);
}

/// The order every [`KeyValueStore`] lists keys in: that of IndexedDB,
/// UTF-16 code units (not the bytes of UTF-8).
pub fn utf16_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}
