//! The store's persistence engine over IndexedDB in a real browser
//! (headless Chromium).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on purpose

#[path = "../core/tests/fixtures/store/support.rs"]
mod support;
use support::*;

use automerge::TextEncoding;
use driehoek::storage::IndexedDbStore;
use driehoek::store::{CompactWhen, Persistence, SessionDossier, StoreConfig};
use driehoek_core::model::read::logbook_entries;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh_store(test: &str) -> IndexedDbStore {
    let name = format!(
        "driehoek-store-test-{test}-{}-{}",
        js_sys::Date::now(),
        js_sys::Math::random()
    );
    IndexedDbStore::open_named(&name)
        .await
        .expect("open a fresh database")
}

fn config() -> StoreConfig {
    StoreConfig {
        device_prefix: b"browser".to_vec(),
        encoding: TextEncoding::Utf16CodeUnit,
    }
}

fn count(d: &SessionDossier) -> usize {
    logbook_entries(d.doc()).expect("logbook").entries.len()
}

#[wasm_bindgen_test]
async fn a_created_and_persisted_dossier_reopens_with_the_same_heads() {
    let store = fresh_store("round-trip").await;
    let p = Persistence::new(&store, config());
    let mut d = p
        .create(&id("noor"), &ctx(0), &new_dossier())
        .await
        .expect("create");
    for i in 0..5 {
        write_entry(&mut d, &format!("e{i}"), i + 1, "Noor las een boek.");
        p.persist_changes(&mut d, ctx(i + 1).now)
            .await
            .expect("persist")
            .expect("a chunk");
    }
    let opened = p.open(&id("noor")).await.expect("open");
    assert!(opened.warnings.is_empty(), "{:?}", opened.warnings);
    let mut again = opened.dossier;
    let mut a = again.doc_mut().get_heads();
    let mut b = d.doc_mut().get_heads();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(count(&again), 5);
    let meta = p.meta(&id("noor")).await.expect("meta").expect("some");
    assert_eq!(meta.summary.entry_count, 5);
    store.close();
}

#[wasm_bindgen_test]
async fn compaction_keeps_a_chunk_written_meanwhile_and_loses_nothing() {
    let store = fresh_store("compaction").await;
    let p = Persistence::new(&store, config());
    let mut d = p
        .create(&id("noor"), &ctx(0), &new_dossier())
        .await
        .expect("create");
    for i in 0..20 {
        write_entry(
            &mut d,
            &format!("e{i}"),
            i + 1,
            "Een lange tekst over de dag.",
        );
        p.persist_changes(&mut d, ctx(i + 1).now)
            .await
            .expect("persist");
    }
    let mut other_tab = p.open(&id("noor")).await.expect("open").dossier;
    let plan = p
        .plan_compaction(&id("noor"), CompactWhen::ChunksOutgrowSnapshot)
        .await
        .expect("plan")
        .expect("due");
    assert_eq!(plan.read_keys().len(), 20);

    write_entry(&mut other_tab, "meanwhile", 50, "written meanwhile");
    let meanwhile = p
        .persist_changes(&mut other_tab, ctx(50).now)
        .await
        .expect("persist")
        .expect("a chunk");

    let report = p.commit_compaction(plan).await.expect("commit");
    assert_eq!(report.deleted.len(), 20);
    let left: Vec<String> = p
        .chunks(&id("noor"))
        .await
        .expect("chunks")
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(left, vec![meanwhile]);
    let reopened = p.open(&id("noor")).await.expect("reopen").dossier;
    assert_eq!(count(&reopened), 21);
    store.close();
}
