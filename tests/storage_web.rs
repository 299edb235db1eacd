//! The storage contract on IndexedDB in a real browser (headless Chromium).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on purpose

use driehoek::storage::{IndexedDbStore, KeyValueStore, StorageError, WriteBatch, contract};
use futures::future::{Either, select};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// A database name no other test (or earlier run) uses.
fn fresh_name(test: &str) -> String {
    format!(
        "driehoek-test-{test}-{}-{}",
        js_sys::Date::now(),
        js_sys::Math::random()
    )
}

async fn fresh_store(test: &str) -> IndexedDbStore {
    IndexedDbStore::open_named(&fresh_name(test))
        .await
        .expect("open a fresh database")
}

#[wasm_bindgen_test]
async fn a_missing_key_reads_as_none() {
    contract::a_missing_key_reads_as_none(&fresh_store("missing").await).await;
}

#[wasm_bindgen_test]
async fn a_put_value_reads_back_unchanged() {
    contract::a_put_value_reads_back_unchanged(&fresh_store("round-trip").await).await;
}

#[wasm_bindgen_test]
async fn an_empty_value_is_stored_and_is_not_missing() {
    contract::an_empty_value_is_stored_and_is_not_missing(&fresh_store("empty").await).await;
}

#[wasm_bindgen_test]
async fn a_one_mebibyte_value_round_trips() {
    contract::a_one_mebibyte_value_round_trips(&fresh_store("mebibyte").await).await;
}

#[wasm_bindgen_test]
async fn a_second_put_replaces_the_value() {
    contract::a_second_put_replaces_the_value(&fresh_store("replace").await).await;
}

#[wasm_bindgen_test]
async fn prefix_listing_returns_exactly_the_prefix_keys_sorted() {
    contract::prefix_listing_returns_exactly_the_prefix_keys_sorted(&fresh_store("prefix").await)
        .await;
}

#[wasm_bindgen_test]
async fn prefix_listing_sorts_like_indexed_db_beyond_ascii() {
    contract::prefix_listing_sorts_like_indexed_db_beyond_ascii(&fresh_store("utf16").await).await;
}

#[wasm_bindgen_test]
async fn deleting_a_missing_key_is_fine() {
    contract::deleting_a_missing_key_is_fine(&fresh_store("delete-missing").await).await;
}

#[wasm_bindgen_test]
async fn delete_removes_only_that_key() {
    contract::delete_removes_only_that_key(&fresh_store("delete").await).await;
}

#[wasm_bindgen_test]
async fn a_batch_applies_all_its_puts_and_deletes_in_order() {
    contract::a_batch_applies_all_its_puts_and_deletes_in_order(&fresh_store("batch").await).await;
}

#[wasm_bindgen_test]
async fn an_empty_batch_is_fine() {
    contract::an_empty_batch_is_fine(&fresh_store("empty-batch").await).await;
}

#[wasm_bindgen_test]
async fn a_failing_batch_changes_nothing() {
    contract::a_failing_batch_changes_nothing(&fresh_store("failing-batch").await).await;
}

#[wasm_bindgen_test]
async fn a_failing_put_or_delete_changes_nothing() {
    contract::a_failing_put_or_delete_changes_nothing(&fresh_store("failing-put").await).await;
}

#[wasm_bindgen_test]
async fn data_survives_closing_and_reopening_the_database() {
    let name = fresh_name("reopen");
    let store = IndexedDbStore::open_named(&name).await.expect("open");
    store.put("doc/1/meta", b"meta").await.expect("put");
    let batch = WriteBatch::new()
        .put("doc/1/snapshot", contract::patterned_bytes(100_000))
        .put("doc/1/cursor", b"3".to_vec());
    store.write_batch(batch).await.expect("batch");
    store.close();
    drop(store);

    let reopened = IndexedDbStore::open_named(&name).await.expect("reopen");
    assert_eq!(
        reopened.list_prefix("doc/1/").await.expect("list"),
        vec![
            ("doc/1/cursor".to_owned(), b"3".to_vec()),
            ("doc/1/meta".to_owned(), b"meta".to_vec()),
            (
                "doc/1/snapshot".to_owned(),
                contract::patterned_bytes(100_000)
            ),
        ]
    );
}

#[wasm_bindgen_test]
async fn an_open_store_steps_aside_for_a_newer_tabs_upgrade() {
    let name = fresh_name("upgrade");
    let store = IndexedDbStore::open_named(&name).await.expect("open");
    store.put("k", b"v").await.expect("put");

    let factory = idb::Factory::new().expect("factory");
    let mut request = factory.open(&name, Some(2)).expect("open request");
    let (blocked_sender, blocked) = futures::channel::oneshot::channel::<()>();
    request.on_blocked(move |_| {
        let _ = blocked_sender.send(());
    });
    let newer = match select(request.into_future(), blocked).await {
        Either::Left((opened, _)) => opened.expect("upgrade"),
        Either::Right((Ok(()), _)) => panic!("the open store blocked the upgrade"),
        Either::Right((Err(_), opening)) => opening.await.expect("upgrade"),
    };
    newer.close();

    assert!(matches!(
        store.get("k").await,
        Err(StorageError::Unavailable(_))
    ));
}

#[wasm_bindgen_test]
async fn an_upgrade_blocked_by_an_older_tab_reports_blocked() {
    let name = fresh_name("blocked");
    // An "older tab" that keeps its connection and ignores `versionchange`.
    let factory = idb::Factory::new().expect("factory");
    let older = factory
        .open(&name, Some(1))
        .expect("open request")
        .await
        .expect("open");

    let newer = IndexedDbStore::open_at_version(&name, 2).await;
    assert!(matches!(newer, Err(StorageError::Blocked)));

    older.close();
    let retried = IndexedDbStore::open_at_version(&name, 2)
        .await
        .expect("opens once the older tab let go");
    retried.put("k", b"v").await.expect("put");
    assert_eq!(retried.get("k").await.expect("get"), Some(b"v".to_vec()));
}
