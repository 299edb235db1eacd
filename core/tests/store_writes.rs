//! The write plan of an open dossier, natively: what goes into each batch,
//! and what a failed batch leaves for the next one. The app's writer runs
//! exactly this code; here storage fails on purpose at every write.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on purpose

#[path = "fixtures/store/support.rs"]
mod support;
use support::*;

use driehoek_core::model::Id;
use driehoek_core::storage::{FailureInjection, KeyValueStore, MemoryStore, StorageError};
use driehoek_core::store::{
    Draft, DraftSlot, Persistence, SessionDossier, SyncPosition, WriteFailure, WriteQueue, keys,
};
use driehoek_core::sync::{DossierSync, SyncRecord, SyncState, record};
use driehoek_wire::SigningKey;
use driehoek_wire::keys::DossierSecret;
use futures::executor::block_on;

fn draft(body: &str) -> Draft {
    Draft {
        kind: "discovery".into(),
        body: body.into(),
        updated_at: T0,
        ..Draft::default()
    }
}

/// An engine whose state must be stored: it resumed from a position that
/// names changes the document lacks, so it starts over and says so.
fn engine_with_a_position_to_store(d: &mut SessionDossier) -> (DossierSync, SyncRecord) {
    let secret = DossierSecret::from_bytes([7; 32]);
    let stale = SyncState {
        cursor: 12,
        on_relay: vec!["00".repeat(32)],
    };
    let (engine, problem) = DossierSync::new(
        &secret,
        0,
        SigningKey::from_bytes(&[3; 32]),
        Some(stale),
        d.doc_mut(),
    );
    assert!(problem.is_some(), "the stale position is reset");
    (engine, SyncRecord::new(&secret, 0))
}

/// Writes the next plan; `Ok(None)` when nothing waited.
fn write_next(
    store: &MemoryStore,
    queue: &mut WriteQueue,
    d: &mut SessionDossier,
    sync: Option<(&mut DossierSync, &mut SyncRecord)>,
) -> Result<Option<()>, WriteFailure> {
    write_next_at(store, queue, d, sync, T0)
}

fn write_next_at(
    store: &MemoryStore,
    queue: &mut WriteQueue,
    d: &mut SessionDossier,
    sync: Option<(&mut DossierSync, &mut SyncRecord)>,
    now: i64,
) -> Result<Option<()>, WriteFailure> {
    block_on(async {
        let (engine, record) = match sync {
            Some((e, r)) => (Some(e), Some(r)),
            None => (None, None),
        };
        let mut engine = engine;
        let position = match (engine.as_deref_mut(), record) {
            (Some(engine), Some(record)) => Some(SyncPosition { engine, record }),
            _ => None,
        };
        let Some(plan) = queue.plan(d, position, None, now).expect("plan") else {
            return Ok(None);
        };
        let Some(batch) = plan.batch().cloned() else {
            return Ok(None);
        };
        match store.write_batch(batch).await {
            Ok(()) => {
                queue.stored(plan, d);
                Ok(Some(()))
            }
            Err(_) => Err(queue.failed(plan, engine)),
        }
    })
}

fn stored_bodies(store: &MemoryStore, dossier: &Id) -> Vec<String> {
    let p = Persistence::new(store, native_config());
    let reopened = block_on(p.open(dossier)).expect("reopen").dossier;
    bodies(&reopened)
}

fn stored_drafts(store: &MemoryStore, dossier: &Id) -> Vec<String> {
    block_on(DraftSlot::list(store, dossier))
        .expect("drafts")
        .into_iter()
        .map(|(_, d)| d.body)
        .collect()
}

#[test]
fn a_failed_write_keeps_changes_drafts_and_sync_position_for_the_next_one() {
    let store = MemoryStore::new();
    let p = Persistence::new(&store, native_config());
    let mut d = block_on(p.create(&id("noor"), &ctx(0), &new_dossier())).expect("create");
    let (mut engine, mut record) = engine_with_a_position_to_store(&mut d);
    let mut queue = WriteQueue::default();

    let slot = DraftSlot::new(id("noor"), id("e1")).expect("slot");
    block_on(slot.save(&store, &draft("Noor vond een slak"))).expect("draft");
    write_entry(&mut d, "e1", 1, "Noor vond een slak");
    queue.discard_with_next_chunk(slot.key());

    store.fail_next_write(StorageError::QuotaExceeded);
    let failed = write_next(&store, &mut queue, &mut d, Some((&mut engine, &mut record)));
    assert_eq!(failed, Err(WriteFailure::ChangesWait));
    // Nothing of the batch landed: the words are still in the draft.
    assert_eq!(
        stored_drafts(&store, &id("noor")),
        vec!["Noor vond een slak"]
    );
    assert!(stored_bodies(&store, &id("noor")).is_empty());
    let key = record::key(&id("noor"));
    assert_eq!(block_on(store.get(&key)).expect("get"), None);

    // The next write carries all of it again, in one batch.
    assert_eq!(
        write_next(&store, &mut queue, &mut d, Some((&mut engine, &mut record))),
        Ok(Some(()))
    );
    assert_eq!(
        stored_bodies(&store, &id("noor")),
        vec!["Noor vond een slak"]
    );
    assert!(stored_drafts(&store, &id("noor")).is_empty());
    let stored = block_on(store.get(&key))
        .expect("get")
        .expect("sync record");
    let stored = SyncRecord::from_json(&stored).expect("record");
    assert_eq!(stored.state, engine.state());
    assert!(!queue.has_discards());

    // And then nothing waits.
    assert_eq!(
        write_next(&store, &mut queue, &mut d, Some((&mut engine, &mut record))),
        Ok(None)
    );
}

#[test]
fn a_visit_alone_is_stored_as_metadata_and_losing_it_raises_no_alarm() {
    let store = MemoryStore::new();
    let p = Persistence::new(&store, native_config());
    let mut d = block_on(p.create(&id("noor"), &ctx(0), &new_dossier())).expect("create");
    let mut queue = WriteQueue::default();

    let later = T0 + 5 * 60_000;
    let last_opened = || {
        let meta = block_on(store.get(&keys::meta(&id("noor"))))
            .expect("get")
            .expect("meta");
        serde_json::from_slice::<driehoek_core::store::DossierMeta>(&meta)
            .expect("json")
            .last_opened
    };
    queue.visit();
    store.fail_next_write(StorageError::QuotaExceeded);
    assert_eq!(
        write_next_at(&store, &mut queue, &mut d, None, later),
        Err(WriteFailure::OnlySeenLost)
    );
    assert_ne!(last_opened(), Some(later));

    queue.visit();
    assert_eq!(
        write_next_at(&store, &mut queue, &mut d, None, later),
        Ok(Some(()))
    );
    assert_eq!(last_opened(), Some(later));
}

#[test]
fn a_draft_queued_with_a_failed_chunk_is_deleted_only_with_a_stored_one() {
    // Every write of a session of five entries fails once, at each point in
    // turn; after each failure the draft of every entry whose change is not
    // stored is still there, and at the end everything is stored and no
    // draft is left.
    for failing in 0..5 {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        let mut d = block_on(p.create(&id("noor"), &ctx(0), &new_dossier())).expect("create");
        let (mut engine, mut record) = engine_with_a_position_to_store(&mut d);
        let mut queue = WriteQueue::default();
        let mut written: Vec<String> = Vec::new();
        for n in 0..5 {
            let body = format!("ontdekking {n}");
            let target = format!("e{n}");
            let slot = DraftSlot::new(id("noor"), id(&target)).expect("slot");
            block_on(slot.save(&store, &draft(&body))).expect("draft");
            write_entry(&mut d, &target, n + 1, &body);
            queue.discard_with_next_chunk(slot.key());
            written.push(body);
            if n == failing {
                store.fail_next_write(StorageError::Backend("disk".into()));
                let result =
                    write_next(&store, &mut queue, &mut d, Some((&mut engine, &mut record)));
                assert_eq!(result, Err(WriteFailure::ChangesWait), "write {n}");
                let stored = stored_bodies(&store, &id("noor"));
                let drafts = stored_drafts(&store, &id("noor"));
                for body in &written {
                    assert!(
                        stored.contains(body) || drafts.contains(body),
                        "'{body}' is neither stored nor a draft after write {n} failed"
                    );
                }
                continue;
            }
            assert_eq!(
                write_next(&store, &mut queue, &mut d, Some((&mut engine, &mut record))),
                Ok(Some(())),
                "write {n}"
            );
        }
        // The failed write's changes went with a later one, unless the last
        // write failed: then one more write stores them.
        let _ = write_next(&store, &mut queue, &mut d, Some((&mut engine, &mut record)));
        let mut want = written.clone();
        want.sort();
        assert_eq!(
            stored_bodies(&store, &id("noor")),
            want,
            "failing {failing}"
        );
        assert!(stored_drafts(&store, &id("noor")).is_empty());
        let key = record::key(&id("noor"));
        let stored = block_on(store.get(&key)).expect("get").expect("record");
        assert_eq!(
            SyncRecord::from_json(&stored).expect("record").state,
            engine.state()
        );
    }
}
