//! The pieces the live store is built from, natively: drafts that survive
//! a commit's write, applying chunks another tab stored, and a write that
//! fails and is prepared again with everything unsaved.
#![cfg(not(target_arch = "wasm32"))]

#[path = "fixtures/store/support.rs"]
mod support;
use support::*;

use driehoek_core::storage::{FailureInjection, KeyValueStore, MemoryStore, StorageError};
use driehoek_core::store::{CompactWhen, Draft, DraftSlot, Persistence, keys};
use futures::executor::block_on;

fn draft(body: &str, at: i64) -> Draft {
    Draft {
        kind: "discovery".into(),
        body: body.into(),
        updated_at: at,
        ..Draft::default()
    }
}

#[test]
fn a_committed_draft_is_deleted_with_its_chunk_and_words_typed_meanwhile_survive() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        let mut d = p
            .create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("create");
        let slot = DraftSlot::new(id("noor"), id("e1")).expect("slot");
        slot.save(&store, &draft("Noor vond een slak", 1))
            .await
            .expect("draft");

        // Commit: the change is prepared; before its write lands, the
        // person goes on typing, which writes under a fresh nonce.
        write_entry(&mut d, "e1", 1, "Noor vond een slak");
        let mut pending = d.prepare_chunk(ctx(1).now).expect("prepare").expect("some");
        pending.also(slot.discard_ops());
        let next = DraftSlot::new(id("noor"), id("e1")).expect("next slot");
        assert_ne!(next.key(), slot.key());
        next.save(&store, &draft("Noor vond een slak in de tuin", 2))
            .await
            .expect("newer draft");
        p.write_chunk(&pending).await.expect("write");
        d.chunk_stored(pending);

        let drafts = DraftSlot::list(&store, &id("noor")).await.expect("list");
        assert_eq!(drafts.len(), 1, "{drafts:?}");
        assert_eq!(drafts[0].0, next);
        assert_eq!(drafts[0].1.body, "Noor vond een slak in de tuin");
        let reopened = p.open(&id("noor")).await.expect("open").dossier;
        assert_eq!(bodies(&reopened), vec!["Noor vond een slak".to_string()]);
    });
}

#[test]
fn drafts_list_newest_first_per_target_and_unreadable_ones_are_skipped_not_deleted() {
    block_on(async {
        let store = MemoryStore::new();
        let old = DraftSlot::new(id("noor"), id("e1")).expect("slot");
        let new = DraftSlot::new(id("noor"), id("e1")).expect("slot");
        let other = DraftSlot::new(id("noor"), id("e2")).expect("slot");
        old.save(&store, &draft("old", 1)).await.expect("save");
        new.save(&store, &draft("new", 5)).await.expect("save");
        other.save(&store, &draft("other", 3)).await.expect("save");
        let bad = format!("{}e3/n1", keys::drafts_prefix(&id("noor")));
        store.put(&bad, b"{not json").await.expect("put");
        // Another dossier's drafts are not listed.
        DraftSlot::new(id("sem"), id("e9"))
            .expect("slot")
            .save(&store, &draft("sem", 9))
            .await
            .expect("save");

        let listed = DraftSlot::list(&store, &id("noor")).await.expect("list");
        let seen: Vec<(&str, &str)> = listed
            .iter()
            .map(|(s, d)| (s.target.as_str(), d.body.as_str()))
            .collect();
        assert_eq!(seen, vec![("e1", "new"), ("e1", "old"), ("e2", "other")]);
        assert!(store.get(&bad).await.expect("get").is_some());
    });
}

#[test]
fn chunks_another_tab_stored_apply_once_and_are_not_stored_again() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        p.create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("create");
        let mut tab_a = p.open(&id("noor")).await.expect("a").dossier;
        let mut tab_b = p.open(&id("noor")).await.expect("b").dossier;

        write_entry(&mut tab_a, "a1", 1, "from a");
        p.persist_changes(&mut tab_a, ctx(1).now).await.expect("a");
        let listing = p.chunks_with_bytes(&id("noor")).await.expect("list");
        let refreshed = tab_b.apply_stored(listing.clone());
        assert_eq!(refreshed.applied, 1);
        assert!(refreshed.damaged.is_empty());
        assert_eq!(bodies(&tab_b), vec!["from a".to_string()]);
        // The other tab's change is stored already: nothing to write.
        assert!(!tab_b.has_unsaved_changes());
        assert!(tab_b.prepare_chunk(ctx(2).now).expect("prepare").is_none());
        // Hearing the same notice twice applies nothing.
        assert_eq!(tab_b.apply_stored(listing).applied, 0);

        write_entry(&mut tab_b, "b1", 3, "from b");
        p.persist_changes(&mut tab_b, ctx(3).now).await.expect("b");
        let refreshed = tab_a.apply_stored(p.chunks_with_bytes(&id("noor")).await.expect("list"));
        assert_eq!(refreshed.applied, 1);
        assert_eq!(bodies(&tab_a), bodies(&tab_b));
        assert_eq!(p.chunks(&id("noor")).await.expect("chunks").len(), 2);
    });
}

#[test]
fn a_tab_with_unsaved_words_keeps_them_unsaved_when_another_tabs_chunk_arrives() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        p.create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("create");
        let mut tab_a = p.open(&id("noor")).await.expect("a").dossier;
        let mut tab_b = p.open(&id("noor")).await.expect("b").dossier;

        write_entry(&mut tab_b, "b1", 1, "unsaved in b");
        write_entry(&mut tab_a, "a1", 1, "from a");
        p.persist_changes(&mut tab_a, ctx(1).now).await.expect("a");
        tab_b.apply_stored(p.chunks_with_bytes(&id("noor")).await.expect("list"));
        // B's own change must still be written: the saved heads did not
        // jump over it.
        assert!(tab_b.has_unsaved_changes());
        p.persist_changes(&mut tab_b, ctx(2).now)
            .await
            .expect("b")
            .expect("a chunk");
        let reopened = p.open(&id("noor")).await.expect("reopen");
        assert!(reopened.warnings.is_empty(), "{:?}", reopened.warnings);
        assert_eq!(
            bodies(&reopened.dossier),
            vec!["from a".to_string(), "unsaved in b".to_string()]
        );
    });
}

#[test]
fn a_failed_write_is_prepared_again_with_everything_unsaved_under_a_new_key() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        let mut d = p
            .create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("create");
        write_entry(&mut d, "e1", 1, "first");
        let first = d.prepare_chunk(ctx(1).now).expect("prepare").expect("some");
        store.fail_next_write(StorageError::QuotaExceeded);
        assert!(p.write_chunk(&first).await.is_err());
        let before = store.list_prefix("").await.expect("list");

        write_entry(&mut d, "e2", 2, "second");
        let second = d.prepare_chunk(ctx(2).now).expect("prepare").expect("some");
        assert_ne!(first.key(), second.key());
        p.write_chunk(&second).await.expect("write");
        d.chunk_stored(second);
        assert!(!d.has_unsaved_changes());
        assert_eq!(
            before.len() + 1,
            store.list_prefix("").await.expect("list").len()
        );

        let reopened = p.open(&id("noor")).await.expect("reopen");
        assert!(reopened.warnings.is_empty(), "{:?}", reopened.warnings);
        assert_eq!(
            bodies(&reopened.dossier),
            vec!["first".to_string(), "second".to_string()]
        );
    });
}

#[test]
fn compaction_becomes_due_when_the_chunks_outgrow_the_snapshot() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        let mut d = p
            .create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("create");
        assert!(!d.compaction_due());
        let mut n = 0;
        while !d.compaction_due() && n < 200 {
            write_entry(
                &mut d,
                &format!("e{n}"),
                n + 1,
                "Vandaag in de tuin gewerkt",
            );
            p.persist_changes(&mut d, ctx(n + 1).now)
                .await
                .expect("persist");
            n += 1;
        }
        assert!(d.compaction_due(), "not due after {n} chunks");
        let report = p.compact(&id("noor")).await.expect("compact").expect("due");
        d.snapshot_replaced(report.snapshot_len);
        d.apply_stored(p.chunks_with_bytes(&id("noor")).await.expect("list"));
        assert!(!d.compaction_due());
    });
}

#[test]
fn a_tab_that_lists_chunks_only_after_another_tab_compacted_gets_the_changes_from_the_snapshot() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        p.create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("create");
        let mut tab_a = p.open(&id("noor")).await.expect("a").dossier;
        let mut tab_b = p.open(&id("noor")).await.expect("b").dossier;

        write_entry(&mut tab_b, "b1", 1, "from b");
        p.persist_changes(&mut tab_b, ctx(1).now).await.expect("b");
        let plan = p
            .plan_compaction(&id("noor"), CompactWhen::Always)
            .await
            .expect("plan")
            .expect("a chunk to fold in");
        p.commit_compaction(plan).await.expect("compact");
        // Too late: the chunk is gone, its change lives in the snapshot.
        let refreshed = tab_a.apply_stored(p.chunks_with_bytes(&id("noor")).await.expect("list"));
        assert_eq!(refreshed.applied, 0);
        assert!(bodies(&tab_a).is_empty());

        let snapshot = p
            .snapshot(&id("noor"))
            .await
            .expect("get")
            .expect("snapshot");
        assert!(tab_a.apply_stored_snapshot(&snapshot).expect("applies"));
        assert_eq!(bodies(&tab_a), vec!["from b".to_string()]);
        // Stored already: nothing to write again; applying twice is a no-op.
        assert!(!tab_a.has_unsaved_changes());
        assert!(!tab_a.apply_stored_snapshot(&snapshot).expect("applies"));

        // Damaged snapshot bytes are refused and change nothing.
        let mut damaged = snapshot.clone();
        let mid = damaged.len() / 2;
        damaged[mid] ^= 0xff;
        assert!(tab_a.apply_stored_snapshot(&damaged).is_err());
        assert_eq!(bodies(&tab_a), vec!["from b".to_string()]);
    });
}
