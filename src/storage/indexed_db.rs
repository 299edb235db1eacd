//! The browser's store: one IndexedDB database with one object store.
//!
//! Built on the [`idb`] crate (0.6). Of the maintained wrappers it is the
//! thinnest: futures over plain IndexedDB requests and transactions,
//! `web-sys`/`wasm-bindgen` without a version pin of its own (so the exact
//! `wasm-bindgen` pin stays as it is), the raw `DomException` reachable for
//! mapping errors, and `onblocked`/`onversionchange` exposed. `rexie` is a
//! convenience layer on top of `idb` that hides the transaction we need for
//! the atomic batch; `indexed_db_futures` 0.6 works too but brings a much
//! larger API and dependency tree (macro crates, `derive_more`, `sealed`)
//! for nothing this store uses.

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::{Either, select};
use idb::{
    Database, DatabaseEvent, Factory, KeyRange, ObjectStore, ObjectStoreParams, Query,
    TransactionMode,
};
use js_sys::{JsString, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DomException, Event, IdbTransaction};

use super::utf16_order;
use super::{FailureInjection, KeyValueStore, StorageError, WriteBatch, WriteOp};

/// The database the app uses.
pub const DATABASE_NAME: &str = "driehoek";
/// The one object store; keys are strings, values `Uint8Array`s.
const ENTRIES: &str = "entries";
/// Raising this needs an upgrade step in [`create_schema`].
const SCHEMA_VERSION: u32 = 1;

/// A [`KeyValueStore`] on IndexedDB.
///
/// Each operation runs in its own transaction; [`KeyValueStore::write_batch`]
/// puts all its ops in ONE readwrite transaction, so IndexedDB itself makes
/// it all-or-nothing.
pub struct IndexedDbStore {
    db: Database,
    next_write_failure: RefCell<Option<StorageError>>,
}

impl std::fmt::Debug for IndexedDbStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexedDbStore")
            .field("name", &self.db.name())
            .finish_non_exhaustive()
    }
}

impl IndexedDbStore {
    /// Opens the app's database.
    pub async fn open() -> Result<Self, StorageError> {
        Self::open_named(DATABASE_NAME).await
    }

    /// Opens (creating if needed) the database `name`; tests use their own
    /// names so they do not see each other's data.
    pub async fn open_named(name: &str) -> Result<Self, StorageError> {
        Self::open_at_version(name, SCHEMA_VERSION).await
    }

    /// Opens `name` asking for schema `version`: lets a test play the newer
    /// app whose upgrade an older tab blocks.
    #[doc(hidden)]
    pub async fn open_at_version(name: &str, version: u32) -> Result<Self, StorageError> {
        let factory = Factory::new().map_err(|error| unavailable(&error))?;
        let mut request = factory
            .open(name, Some(version))
            .map_err(|error| unavailable(&error))?;
        request.on_upgrade_needed(|event| match event.database() {
            Ok(db) => create_schema(&db),
            Err(error) => leptos::logging::warn!("storage upgrade has no database: {error}"),
        });
        let (blocked_sender, blocked) = futures::channel::oneshot::channel::<()>();
        request.on_blocked(move |_| {
            let _ = blocked_sender.send(());
        });

        let opening = request.into_future();
        let opened = match select(opening, blocked).await {
            Either::Left((opened, _)) => opened,
            Either::Right((Ok(()), still_opening)) => {
                // The request stays queued and may still succeed once the
                // other tab lets go; close that late connection then, so it
                // does not block the next attempt in turn.
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(db) = still_opening.await {
                        db.close();
                    }
                });
                return Err(StorageError::Blocked);
            }
            // The blocked handler is gone without firing: just wait.
            Either::Right((Err(_cancelled), still_opening)) => still_opening.await,
        };
        let mut db = opened.map_err(|error| match dom_exception(&error) {
            Some(exception) => match from_dom_exception(&exception) {
                StorageError::Backend(message) => StorageError::Unavailable(message),
                other => other,
            },
            None => StorageError::Unavailable(error.to_string()),
        })?;
        // A newer tab wants to upgrade: step aside instead of blocking it.
        db.on_version_change(|event| {
            if let Ok(db) = event.database() {
                db.close();
            }
        });
        Ok(Self {
            db,
            next_write_failure: RefCell::new(None),
        })
    }

    /// Closes the connection once running transactions finish; later
    /// operations on this store fail as [`StorageError::Unavailable`].
    pub fn close(&self) {
        self.db.close();
    }

    fn entries(&self, mode: TransactionMode) -> Result<ObjectStore, StorageError> {
        let transaction = self.db.transaction(&[ENTRIES], mode).map_err(from_idb)?;
        transaction.object_store(ENTRIES).map_err(from_idb)
    }
}

impl Drop for IndexedDbStore {
    fn drop(&mut self) {
        self.db.close();
    }
}

impl FailureInjection for IndexedDbStore {
    /// The next write issues all its requests and then aborts its
    /// transaction, so the rollback tested is IndexedDB's own.
    fn fail_next_write(&self, error: StorageError) {
        *self.next_write_failure.borrow_mut() = Some(error);
    }
}

impl KeyValueStore for IndexedDbStore {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        let entries = self.entries(TransactionMode::ReadOnly)?;
        let found = entries
            .get(Query::Key(JsValue::from_str(key)))
            .map_err(from_idb)?
            .await
            .map_err(from_idb)?;
        found.map(|value| bytes_of(key, value)).transpose()
    }

    async fn list_prefix(&self, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, StorageError> {
        let entries = self.entries(TransactionMode::ReadOnly)?;
        let range = prefix_range(prefix)?;
        // Both requests in one transaction see the same state, in key order.
        let keys = entries
            .get_all_keys(range.clone().map(Query::KeyRange), None)
            .map_err(from_idb)?;
        let values = entries
            .get_all(range.map(Query::KeyRange), None)
            .map_err(from_idb)?;
        let keys = keys.await.map_err(from_idb)?;
        let values = values.await.map_err(from_idb)?;
        if keys.len() != values.len() {
            return Err(StorageError::Backend(
                "listing returned unequal keys and values".to_owned(),
            ));
        }
        let mut found = Vec::with_capacity(keys.len());
        for (key, value) in keys.into_iter().zip(values) {
            let Some(key) = key.as_string() else {
                return Err(StorageError::Backend(
                    "a stored key is not a string".to_owned(),
                ));
            };
            let bytes = bytes_of(&key, value)?;
            found.push((key, bytes));
        }
        // IndexedDB already returns this order; sorting keeps it explicit.
        found.sort_by(|(a, _), (b, _)| utf16_order(a, b));
        Ok(found)
    }

    async fn put(&self, key: &str, value: &[u8]) -> Result<(), StorageError> {
        self.write_batch(WriteBatch::new().put(key, value)).await
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        self.write_batch(WriteBatch::new().delete(key)).await
    }

    async fn write_batch(&self, batch: WriteBatch) -> Result<(), StorageError> {
        let entries = self.entries(TransactionMode::ReadWrite)?;
        // Requests are queued without awaiting each: the transaction runs
        // them in order and its outcome is the outcome of all of them.
        for op in batch.ops() {
            match op {
                WriteOp::Put { key, value } => {
                    let value: JsValue = Uint8Array::from(value.as_slice()).into();
                    entries
                        .put(&value, Some(&JsValue::from_str(key)))
                        .map_err(from_idb)?;
                }
                WriteOp::Delete { key } => {
                    entries
                        .delete(Query::Key(JsValue::from_str(key)))
                        .map_err(from_idb)?;
                }
            }
        }
        // Not `idb`'s transaction future: it reports a failed request by
        // misreading the event target, losing the `DOMException` (quota).
        // The transaction's own `abort` event carries it reliably.
        let transaction = IdbTransaction::from(entries.transaction());
        let outcome = finished(&transaction);
        let injected = self.next_write_failure.borrow_mut().take();
        if let Some(error) = injected {
            transaction.abort().map_err(from_js)?;
            // Whatever the abort reports, the caller asked for `error`.
            let _ = outcome.await;
            return Err(error);
        }
        // No explicit `commit()`: older Safari lacks it, and the transaction
        // commits by itself once its queued requests are done.
        outcome.await
    }
}

/// Waits until `transaction` commits or aborts; an abort carries the reason
/// (a failed request's error, or `QuotaExceededError` at commit).
fn finished(
    transaction: &IdbTransaction,
) -> impl Future<Output = Result<(), StorageError>> + use<> {
    let (sender, outcome) = futures::channel::oneshot::channel::<bool>();
    let sender = Rc::new(RefCell::new(Some(sender)));
    let report = move |committed: bool| {
        let sender = Rc::clone(&sender);
        Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            if let Some(sender) = sender.borrow_mut().take() {
                let _ = sender.send(committed);
            }
        })
    };
    let on_complete = report(true);
    let on_abort = report(false);
    transaction.set_oncomplete(Some(on_complete.as_ref().unchecked_ref()));
    transaction.set_onabort(Some(on_abort.as_ref().unchecked_ref()));
    let transaction = transaction.clone();
    async move {
        let committed = outcome.await;
        transaction.set_oncomplete(None);
        transaction.set_onabort(None);
        drop((on_complete, on_abort));
        match committed {
            Ok(true) => Ok(()),
            Ok(false) => Err(match transaction.error() {
                Some(exception) => from_dom_exception(&exception),
                None => StorageError::Backend("the write was aborted".to_owned()),
            }),
            Err(_cancelled) => Err(StorageError::Backend(
                "the write's outcome was never reported".to_owned(),
            )),
        }
    }
}

fn create_schema(db: &Database) {
    if db.store_names().iter().any(|name| name == ENTRIES) {
        return;
    }
    if let Err(error) = db.create_object_store(ENTRIES, ObjectStoreParams::new()) {
        // The upgrade transaction aborts, so opening reports the failure.
        leptos::logging::warn!("could not create the storage object store: {error}");
    }
}

/// The key range holding exactly the keys that start with `prefix`: from the
/// prefix itself up to (not including) the first string after all of them,
/// computed on UTF-16 code units because that is how IndexedDB compares.
fn prefix_range(prefix: &str) -> Result<Option<KeyRange>, StorageError> {
    if prefix.is_empty() {
        return Ok(None);
    }
    let lower = JsValue::from_str(prefix);
    let mut units: Vec<u16> = prefix.encode_utf16().collect();
    while units.last() == Some(&u16::MAX) {
        units.pop();
    }
    let range = match units.last_mut() {
        Some(last) => {
            *last += 1;
            let upper: JsValue = JsString::from_char_code(&units).into();
            KeyRange::bound(&lower, &upper, Some(false), Some(true))
        }
        None => KeyRange::lower_bound(&lower, Some(false)),
    };
    range.map(Some).map_err(from_idb)
}

fn bytes_of(key: &str, value: JsValue) -> Result<Vec<u8>, StorageError> {
    match value.dyn_into::<Uint8Array>() {
        Ok(array) => Ok(array.to_vec()),
        Err(_) => Err(StorageError::Backend(format!(
            "the value under {key:?} is not bytes"
        ))),
    }
}

fn unavailable(error: &idb::Error) -> StorageError {
    StorageError::Unavailable(error.to_string())
}

/// The `DOMException` behind an `idb` error, where there is one.
fn dom_exception(error: &idb::Error) -> Option<DomException> {
    use idb::Error as E;
    let value = match error {
        E::DomException(exception) => return Some(exception.clone()),
        E::AddFailed(value)
        | E::UpdateFailed(value)
        | E::DeleteFailed(value)
        | E::GetFailed(value)
        | E::GetAllFailed(value)
        | E::GetAllKeysFailed(value)
        | E::ObjectStoreNotFound(value)
        | E::TransactionOpenFailed(value)
        | E::TransactionCommitError(value)
        | E::TransactionAbortError(value)
        | E::IndexedDbOpenFailed(value)
        | E::IndexedDbNotFound(value) => value,
        _ => return None,
    };
    value.dyn_ref::<DomException>().cloned()
}

fn from_js(error: JsValue) -> StorageError {
    match error.dyn_ref::<DomException>() {
        Some(exception) => from_dom_exception(exception),
        None => StorageError::Backend(format!("{error:?}")),
    }
}

fn from_idb(error: idb::Error) -> StorageError {
    match dom_exception(&error) {
        Some(exception) => from_dom_exception(&exception),
        None => StorageError::Backend(error.to_string()),
    }
}

fn from_dom_exception(exception: &DomException) -> StorageError {
    let name = exception.name();
    let message = exception.message();
    match name.as_str() {
        "QuotaExceededError" => StorageError::QuotaExceeded,
        // A closed connection (another tab upgraded, or `close`) and storage
        // forbidden for this origin both mean: nothing can be kept now.
        "InvalidStateError" | "SecurityError" => {
            StorageError::Unavailable(format!("{name}: {message}"))
        }
        _ => StorageError::Backend(format!("{name}: {message}")),
    }
}
