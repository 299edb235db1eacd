//! The live dossier store in a real browser: per-section notifications,
//! and a committed draft leaving IndexedDB with the chunk that holds it.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on purpose

#[path = "../core/tests/fixtures/store/support.rs"]
mod support;
use support::*;

use std::cell::Cell;
use std::rc::Rc;

use automerge::TextEncoding;
use driehoek::storage::{IndexedDbStore, KeyValueStore};
use driehoek::store::{DossierStore, Draft, DraftSlot, StoreConfig, keys};
use driehoek_core::model::commands::{add_entry, edit_agreement_section};
use driehoek_core::model::{AgreementSection, Id, Section};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().expect("window");
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn start() -> DossierStore {
    // Mounting anything sets up Leptos' task executor for the effects.
    let host: web_sys::HtmlElement = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("div").ok())
        .expect("div")
        .unchecked_into();
    leptos::mount::mount_to(host, || ()).forget();
    DossierStore::start(StoreConfig {
        device_prefix: b"web-test".to_vec(),
        encoding: TextEncoding::Utf16CodeUnit,
    })
}

#[wasm_bindgen_test]
async fn a_change_notifies_only_the_section_it_touched() {
    let owner = Owner::new();
    owner.set();
    let store = start();
    let (dossier, person) = store.create(new_dossier()).await.expect("create");
    let live = store.open(&dossier).await.expect("open");

    let logbook_reads = Rc::new(Cell::new(0u32));
    let agreement_reads = Rc::new(Cell::new(0u32));
    let (l, a) = (logbook_reads.clone(), agreement_reads.clone());
    Effect::new(move || {
        live.read(Section::Logbook, |_| ());
        l.set(l.get() + 1);
    });
    Effect::new(move || {
        live.read(Section::Agreement, |_| ());
        a.set(a.get() + 1);
    });
    sleep(20).await;
    assert_eq!((logbook_reads.get(), agreement_reads.get()), (1, 1));

    live.change(&person, |doc, ctx| {
        edit_agreement_section(doc, ctx, AgreementSection::Goals, 0, 0, "Lezen")
    })
    .expect("type in the agreement");
    sleep(20).await;
    assert_eq!((logbook_reads.get(), agreement_reads.get()), (1, 2));

    live.change(&person, |doc, ctx| {
        add_entry(doc, ctx, &entry(&id("e1"), "Een slak"))
    })
    .expect("add an entry");
    sleep(20).await;
    assert_eq!((logbook_reads.get(), agreement_reads.get()), (2, 2));
    assert_eq!(live.logbook().entries.len(), 1);
}

#[wasm_bindgen_test]
async fn a_committed_draft_leaves_indexed_db_with_the_chunk_that_holds_its_words() {
    let owner = Owner::new();
    owner.set();
    let store = start();
    let (dossier, person) = store.create(new_dossier()).await.expect("create");
    let live = store.open(&dossier).await.expect("open");
    let db = IndexedDbStore::open().await.expect("db");

    let target = Id::random().expect("id");
    let slot = DraftSlot::new(dossier.clone(), target.clone()).expect("slot");
    store.save_draft(
        slot.clone(),
        Draft {
            kind: "discovery".into(),
            body: "Noor vond een slak".into(),
            ..Draft::default()
        },
    );
    let mut stored = false;
    for _ in 0..100 {
        if db.get(&slot.key()).await.expect("get").is_some() {
            stored = true;
            break;
        }
        sleep(10).await;
    }
    assert!(stored, "the draft reached IndexedDB");

    live.change_from_drafts(&person, std::slice::from_ref(&slot), |doc, ctx| {
        add_entry(doc, ctx, &entry(&target, "Noor vond een slak"))
    })
    .expect("commit");
    let mut chunks = 0;
    for _ in 0..100 {
        chunks = db
            .list_prefix(&keys::chunk_prefix(&dossier))
            .await
            .expect("chunks")
            .len();
        if chunks > 0 {
            break;
        }
        sleep(10).await;
    }
    assert_eq!(chunks, 1, "one chunk for one commit");
    assert!(
        db.get(&slot.key()).await.expect("get").is_none(),
        "the draft is gone"
    );
    assert!(!live.unsaved().get_untracked());
}

#[wasm_bindgen_test]
async fn the_incremental_logbook_reads_like_a_full_read_after_odd_and_deleted_entries() {
    use automerge::ReadDoc;
    use automerge::transaction::Transactable;
    use driehoek_core::model::commands::delete_entry;
    use driehoek_core::model::read::logbook_entries;

    let owner = Owner::new();
    owner.set();
    let store = start();
    let (dossier, person) = store.create(new_dossier()).await.expect("create");
    let live = store.open(&dossier).await.expect("open");
    for n in 0..3 {
        live.change(&person, |doc, ctx| {
            add_entry(doc, ctx, &entry(&id(&format!("e{n}")), "tekst"))
        })
        .expect("add");
    }
    assert_eq!(live.logbook().entries.len(), 3);

    live.change(&person, |doc, ctx| delete_entry(doc, ctx, &id("e1")))
        .expect("delete");
    // What a newer app might write: a value that is not an entry.
    live.change(&person, |doc, _| {
        let (_, book) = doc.get(automerge::ROOT, "logbook")?.ok_or(
            driehoek_core::model::ModelError::MissingContainer("logbook"),
        )?;
        doc.put(&book, "odd", 5)?;
        doc.commit();
        Ok(())
    })
    .expect("odd value");

    let incremental = live.logbook();
    let full = live.read(Section::Logbook, |d| logbook_entries(d).expect("full read"));
    assert_eq!(incremental, full);
    assert_eq!(incremental.unreadable, vec!["odd".to_string()]);
    assert_eq!(incremental.entries.len(), 2);
}
