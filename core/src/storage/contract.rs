//! The one contract every [`KeyValueStore`] passes.
//!
//! Each function takes a fresh, empty store and panics when the store breaks
//! the contract. `tests/storage_contract.rs` runs them on [`MemoryStore`]
//! natively, `tests/storage_web.rs` on IndexedDB in Chromium, so the twin
//! cannot drift from the real thing.
//!
//! [`MemoryStore`]: super::MemoryStore

use super::{FailureInjection, KeyValueStore, StorageError, WriteBatch};

/// A value of `len` bytes that is not all the same byte, so truncation or
/// reordering would show.
pub fn patterned_bytes(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

fn must<T>(result: Result<T, StorageError>, what: &str) -> T {
    match result {
        Ok(value) => value,
        Err(error) => panic!("{what} failed: {error}"),
    }
}

async fn keys_under(store: &impl KeyValueStore, prefix: &str) -> Vec<String> {
    must(store.list_prefix(prefix).await, "list_prefix")
        .into_iter()
        .map(|(key, _)| key)
        .collect()
}

pub async fn a_missing_key_reads_as_none(store: &impl KeyValueStore) {
    assert_eq!(must(store.get("nothing/here").await, "get"), None);
}

pub async fn a_put_value_reads_back_unchanged(store: &impl KeyValueStore) {
    must(store.put("doc/1/meta", b"hello").await, "put");
    assert_eq!(
        must(store.get("doc/1/meta").await, "get"),
        Some(b"hello".to_vec())
    );
}

pub async fn an_empty_value_is_stored_and_is_not_missing(store: &impl KeyValueStore) {
    must(store.put("empty", b"").await, "put");
    assert_eq!(must(store.get("empty").await, "get"), Some(Vec::new()));
    assert_eq!(keys_under(store, "empty").await, vec!["empty".to_owned()]);
}

pub async fn a_one_mebibyte_value_round_trips(store: &impl KeyValueStore) {
    let big = patterned_bytes(1 << 20);
    must(store.put("big", &big).await, "put");
    assert_eq!(must(store.get("big").await, "get"), Some(big));
}

pub async fn a_second_put_replaces_the_value(store: &impl KeyValueStore) {
    must(store.put("k", b"first").await, "put");
    must(store.put("k", b"second").await, "put");
    assert_eq!(must(store.get("k").await, "get"), Some(b"second".to_vec()));
}

/// A prefix is a plain string prefix: `doc/a/` is the folder `doc/a`, and
/// neither `doc/ab/..` nor the key `doc/a` itself belong to it.
pub async fn prefix_listing_returns_exactly_the_prefix_keys_sorted(store: &impl KeyValueStore) {
    for key in [
        "doc/a/2", "doc/ab/1", "doc/a", "doc/a/10", "doc/a/1", "doc/b/1", "doc/", "dod",
    ] {
        must(store.put(key, key.as_bytes()).await, "put");
    }
    let listed = must(store.list_prefix("doc/a/").await, "list_prefix");
    let expected: Vec<(String, Vec<u8>)> = ["doc/a/1", "doc/a/10", "doc/a/2"]
        .into_iter()
        .map(|key| (key.to_owned(), key.as_bytes().to_vec()))
        .collect();
    assert_eq!(listed, expected);
    assert_eq!(
        keys_under(store, "doc/a").await,
        ["doc/a", "doc/a/1", "doc/a/10", "doc/a/2", "doc/ab/1"]
    );
    assert_eq!(keys_under(store, "doc/c/").await, Vec::<String>::new());
    assert_eq!(keys_under(store, "").await.len(), 8);
}

/// IndexedDB compares UTF-16 code units: U+1F600 (a surrogate pair starting
/// 0xD83D) sorts before U+FF5E, the opposite of UTF-8 byte order.
pub async fn prefix_listing_sorts_like_indexed_db_beyond_ascii(store: &impl KeyValueStore) {
    for key in ["p/\u{FF5E}", "p/\u{1F600}", "p/z", "p/\u{FFFF}x", "q"] {
        must(store.put(key, b"v").await, "put");
    }
    assert_eq!(
        keys_under(store, "p/").await,
        ["p/z", "p/\u{1F600}", "p/\u{FF5E}", "p/\u{FFFF}x"]
    );
    assert_eq!(keys_under(store, "p/\u{FFFF}").await, ["p/\u{FFFF}x"]);
}

pub async fn deleting_a_missing_key_is_fine(store: &impl KeyValueStore) {
    must(store.delete("never/written").await, "delete");
    assert_eq!(must(store.get("never/written").await, "get"), None);
}

pub async fn delete_removes_only_that_key(store: &impl KeyValueStore) {
    must(store.put("a", b"1").await, "put");
    must(store.put("ab", b"2").await, "put");
    must(store.delete("a").await, "delete");
    assert_eq!(must(store.get("a").await, "get"), None);
    assert_eq!(keys_under(store, "").await, ["ab"]);
}

pub async fn a_batch_applies_all_its_puts_and_deletes_in_order(store: &impl KeyValueStore) {
    for key in ["doc/1/chunk/1", "doc/1/chunk/2", "doc/1/chunk/3"] {
        must(store.put(key, b"chunk").await, "put");
    }
    // Compaction: the snapshot in, exactly the chunks it read out; chunk 3
    // was written meanwhile and survives.
    let batch = WriteBatch::new()
        .put("doc/1/snapshot", b"snapshot".to_vec())
        .delete("doc/1/chunk/1")
        .delete("doc/1/chunk/2")
        .put("doc/1/cursor", b"1".to_vec())
        .put("doc/1/cursor", b"2".to_vec())
        .delete("doc/1/not-there");
    assert_eq!(batch.len(), 6);
    must(store.write_batch(batch).await, "write_batch");
    assert_eq!(
        must(store.list_prefix("doc/1/").await, "list_prefix"),
        vec![
            ("doc/1/chunk/3".to_owned(), b"chunk".to_vec()),
            ("doc/1/cursor".to_owned(), b"2".to_vec()),
            ("doc/1/snapshot".to_owned(), b"snapshot".to_vec()),
        ]
    );
}

pub async fn an_empty_batch_is_fine(store: &impl KeyValueStore) {
    must(store.write_batch(WriteBatch::new()).await, "write_batch");
    assert!(keys_under(store, "").await.is_empty());
}

pub async fn a_failing_batch_changes_nothing<S>(store: &S)
where
    S: KeyValueStore + FailureInjection,
{
    must(store.put("doc/1/chunk/1", b"chunk").await, "put");
    must(store.put("doc/1/cursor", b"1").await, "put");
    store.fail_next_write(StorageError::QuotaExceeded);
    let batch = WriteBatch::new()
        .put("doc/1/blob/7", patterned_bytes(4096))
        .put("doc/1/cursor", b"7".to_vec())
        .delete("doc/1/chunk/1");
    assert_eq!(
        store.write_batch(batch).await,
        Err(StorageError::QuotaExceeded)
    );
    assert_eq!(
        must(store.list_prefix("").await, "list_prefix"),
        vec![
            ("doc/1/chunk/1".to_owned(), b"chunk".to_vec()),
            ("doc/1/cursor".to_owned(), b"1".to_vec()),
        ]
    );
    // The failure was for one write only.
    must(store.put("doc/1/cursor", b"8").await, "put");
    assert_eq!(
        must(store.get("doc/1/cursor").await, "get"),
        Some(b"8".to_vec())
    );
}

pub async fn a_failing_put_or_delete_changes_nothing<S>(store: &S)
where
    S: KeyValueStore + FailureInjection,
{
    must(store.put("k", b"kept").await, "put");
    store.fail_next_write(StorageError::QuotaExceeded);
    assert_eq!(
        store.put("k", b"lost").await,
        Err(StorageError::QuotaExceeded)
    );
    store.fail_next_write(StorageError::Unavailable("gone".to_owned()));
    assert_eq!(
        store.delete("k").await,
        Err(StorageError::Unavailable("gone".to_owned()))
    );
    assert_eq!(must(store.get("k").await, "get"), Some(b"kept".to_vec()));
}
