//! The store's persistence engine over the in-memory store: round trips,
//! incremental chunks, two tabs, compaction, damage and quota failures.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

#[path = "fixtures/store/support.rs"]
mod support;
use support::*;

use automerge::ChangeHash;
use driehoek_core::storage::{FailureInjection, KeyValueStore, MemoryStore, StorageError};
use driehoek_core::store::{
    CompactWhen, DossierSummary, Persistence, SessionDossier, StoreError, StoreWarning, keys,
};
use futures::executor::block_on;

fn heads(d: &mut SessionDossier) -> Vec<ChangeHash> {
    let mut h = d.doc_mut().get_heads();
    h.sort();
    h
}

async fn snapshot_of_store(store: &MemoryStore) -> Vec<(String, Vec<u8>)> {
    store.list_prefix("").await.expect("list")
}

/// Text that does not compress away, so the document is really big.
fn varied_text(seed: u64, words: usize) -> String {
    let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut out = String::new();
    for _ in 0..words {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let len = 3 + (x >> 60) as usize;
        for i in 0..len {
            out.push((b'a' + ((x >> (i * 5 % 55)) % 26) as u8) as char);
        }
        out.push(' ');
    }
    out
}

#[test]
fn a_created_dossier_opens_with_the_same_heads_and_content() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        let mut created = p
            .create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("create");
        let opened = p.open(&id("noor")).await.expect("open");
        assert!(opened.warnings.is_empty(), "{:?}", opened.warnings);
        let mut d = opened.dossier;
        assert_eq!(heads(&mut d), heads(&mut created));
        assert_eq!(d.saved_heads(), created.saved_heads());
        assert_ne!(
            d.session(),
            created.session(),
            "each session has its own actor"
        );
        assert!(d.session().starts_with(&hex(b"device-1")));
        assert!(matches!(
            p.create(&id("noor"), &ctx(1), &new_dossier()).await,
            Err(StoreError::Model(_))
        ));
        assert!(matches!(
            p.open(&id("other")).await,
            Err(StoreError::NotFound(_))
        ));
    });
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn many_persists_then_reopen_give_identical_state_and_heads() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        let mut d = p
            .create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("create");
        for i in 0..30 {
            write_entry(&mut d, &format!("e{i}"), i + 1, &format!("Entry {i}"));
            let key = p
                .persist_changes(&mut d, ctx(i + 1).now)
                .await
                .expect("persist");
            assert!(key.is_some());
        }
        assert_eq!(
            p.persist_changes(&mut d, ctx(99).now).await.expect("noop"),
            None
        );
        assert_eq!(p.chunks(&id("noor")).await.expect("chunks").len(), 30);
        let mut again = p.open(&id("noor")).await.expect("open").dossier;
        assert_eq!(heads(&mut again), heads(&mut d));
        assert_eq!(bodies(&again), bodies(&d));
        assert_eq!(bodies(&again).len(), 30);
    });
}

#[test]
fn each_persist_after_reopening_a_big_dossier_writes_only_the_new_change() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        let mut d = p
            .create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("create");
        for i in 0..150 {
            write_entry(&mut d, &format!("e{i}"), i + 1, &varied_text(i as u64, 60));
        }
        p.persist_changes(&mut d, ctx(200).now)
            .await
            .expect("persist");
        let report = p.compact(&id("noor")).await.expect("compact").expect("due");
        assert!(
            report.snapshot_len > 20_000,
            "a big doc: {}",
            report.snapshot_len
        );

        for round in 0..3 {
            let mut d = p.open(&id("noor")).await.expect("open").dossier;
            write_entry(&mut d, &format!("new{round}"), 300 + round, "Kort.");
            let key = p
                .persist_changes(&mut d, ctx(300 + round).now)
                .await
                .expect("persist")
                .expect("a chunk");
            let size = store.get(&key).await.expect("get").expect("chunk").len();
            assert!(size < 2_000, "chunk after reopen is {size} bytes");
            assert!(size * 10 < report.snapshot_len);
            // The pitfall this guards against: after a load,
            // save_incremental hands back the whole history.
            assert!(d.doc_mut().save_incremental().len() > report.snapshot_len / 2);
        }
    });
}

#[test]
fn two_tabs_persisting_at_once_keep_both_edits() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        p.create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("create");
        let mut tab_a = p.open(&id("noor")).await.expect("open a").dossier;
        let mut tab_b = p.open(&id("noor")).await.expect("open b").dossier;
        assert_ne!(tab_a.session(), tab_b.session());
        for i in 0..5 {
            write_entry(&mut tab_a, &format!("a{i}"), 1, "from tab a");
            write_entry(&mut tab_b, &format!("b{i}"), 1, "from tab b");
            // The same millisecond in both tabs: keys must still differ.
            let ka = p.persist_changes(&mut tab_a, ctx(1).now).await.expect("a");
            let kb = p.persist_changes(&mut tab_b, ctx(1).now).await.expect("b");
            assert_ne!(ka, kb);
        }
        assert_eq!(p.chunks(&id("noor")).await.expect("chunks").len(), 10);
        let reopened = p.open(&id("noor")).await.expect("reopen");
        assert!(reopened.warnings.is_empty(), "{:?}", reopened.warnings);
        let b = bodies(&reopened.dossier);
        assert_eq!(b.iter().filter(|s| *s == "from tab a").count(), 5);
        assert_eq!(b.iter().filter(|s| *s == "from tab b").count(), 5);
    });
}

#[test]
fn compaction_deletes_exactly_the_keys_it_read_and_a_chunk_written_meanwhile_survives() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
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
        let before: Vec<String> = p
            .chunks(&id("noor"))
            .await
            .expect("chunks")
            .into_iter()
            .map(|(k, _)| k)
            .collect();

        let plan = p
            .plan_compaction(&id("noor"), CompactWhen::ChunksOutgrowSnapshot)
            .await
            .expect("plan")
            .expect("chunks outgrew the snapshot");
        assert_eq!(plan.read_keys(), &before[..]);

        // Meanwhile, the other tab writes a chunk.
        write_entry(&mut other_tab, "meanwhile", 50, "written meanwhile");
        let meanwhile = p
            .persist_changes(&mut other_tab, ctx(50).now)
            .await
            .expect("persist")
            .expect("a chunk");

        let report = p.commit_compaction(plan).await.expect("commit");
        assert_eq!(report.deleted, before);
        let left: Vec<String> = p
            .chunks(&id("noor"))
            .await
            .expect("chunks")
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(left, vec![meanwhile]);

        let mut reopened = p.open(&id("noor")).await.expect("reopen").dossier;
        assert_eq!(bodies(&reopened).len(), 21);
        assert!(bodies(&reopened).contains(&"written meanwhile".to_string()));
        let mut expected = heads(&mut other_tab);
        expected.sort();
        assert_eq!(heads(&mut reopened), expected);
        // Nothing left to compact below the threshold.
        assert!(p.compact(&id("noor")).await.expect("compact").is_none());
    });
}

#[test]
fn a_damaged_chunk_is_skipped_with_a_warning_and_its_bytes_are_kept() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        let mut d = p
            .create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("create");
        write_entry(&mut d, "good1", 1, "first");
        p.persist_changes(&mut d, ctx(1).now)
            .await
            .expect("persist");
        write_entry(&mut d, "bad", 2, "second");
        let bad_key = p
            .persist_changes(&mut d, ctx(2).now)
            .await
            .expect("persist")
            .expect("chunk");
        let mut bytes = store.get(&bad_key).await.expect("get").expect("bytes");
        let last = bytes.len() - 1;
        bytes[last] ^= 0x40;
        store.put(&bad_key, &bytes).await.expect("damage it");

        let opened = p.open(&id("noor")).await.expect("open");
        let damaged: Vec<&StoreWarning> = opened
            .warnings
            .iter()
            .filter(|w| matches!(w, StoreWarning::Damaged { .. }))
            .collect();
        assert_eq!(damaged.len(), 1, "{:?}", opened.warnings);
        let StoreWarning::Damaged {
            key, quarantine, ..
        } = damaged[0]
        else {
            unreachable!()
        };
        assert_eq!(key, &bad_key);
        assert_eq!(bodies(&opened.dossier), vec!["first".to_string()]);
        // The saved heads named the lost change: reset, and said so.
        assert!(
            opened
                .warnings
                .iter()
                .any(|w| matches!(w, StoreWarning::SavedHeadsReset { missing: 1 }))
        );

        let kept = p.quarantined(&id("noor")).await.expect("quarantine");
        assert_eq!(kept.len(), 1);
        assert_eq!(Some(&kept[0].0), quarantine.as_ref());
        assert_eq!(kept[0].1, bytes, "the bad bytes survive unchanged");

        // Later visits still say bad bytes are held, and compaction keeps them.
        let again = p.open(&id("noor")).await.expect("open again");
        assert!(
            again
                .warnings
                .contains(&StoreWarning::QuarantineHeld { count: 1 })
        );
        let mut d = again.dossier;
        write_entry(&mut d, "good2", 3, "third");
        p.persist_changes(&mut d, ctx(3).now)
            .await
            .expect("persist");
        let plan = p
            .plan_compaction(&id("noor"), CompactWhen::Always)
            .await
            .expect("plan")
            .expect("due");
        p.commit_compaction(plan).await.expect("commit");
        assert_eq!(p.quarantined(&id("noor")).await.expect("q")[0].1, bytes);
    });
}

#[test]
fn a_quota_failure_during_persist_changes_nothing_stored_and_a_retry_succeeds() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        let mut d = p
            .create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("create");
        write_entry(&mut d, "e1", 1, "first");
        p.persist_changes(&mut d, ctx(1).now)
            .await
            .expect("persist");
        let stored_before = snapshot_of_store(&store).await;
        let saved_before = d.saved_heads().to_vec();

        write_entry(&mut d, "e2", 2, "second");
        store.fail_next_write(StorageError::QuotaExceeded);
        let err = p.persist_changes(&mut d, ctx(2).now).await;
        assert!(matches!(
            err,
            Err(StoreError::Storage(StorageError::QuotaExceeded))
        ));
        assert_eq!(snapshot_of_store(&store).await, stored_before);
        assert_eq!(d.saved_heads(), &saved_before[..]);
        assert_eq!(bodies(&d).len(), 2, "the document in memory is intact");

        write_entry(&mut d, "e3", 3, "third");
        p.persist_changes(&mut d, ctx(3).now)
            .await
            .expect("retry")
            .expect("a chunk");
        let mut reopened = p.open(&id("noor")).await.expect("open").dossier;
        assert_eq!(bodies(&reopened), vec!["first", "second", "third"]);
        assert_eq!(heads(&mut reopened), heads(&mut d));
    });
}

#[test]
fn metadata_and_summary_round_trip_and_dossiers_are_listed() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        let mut noor = p
            .create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("noor");
        let mut other = new_dossier();
        other.child_name = "Sem".into();
        other.group = "groep 6".into();
        p.create(&id("sem"), &ctx(0), &other).await.expect("sem");

        write_entry(&mut noor, "e1", 5, "een");
        write_entry(&mut noor, "e2", 6, "twee");
        p.persist_changes(&mut noor, ctx(7).now)
            .await
            .expect("persist");
        let seen_before = p.record_visit(&mut noor, ctx(8).now).await.expect("visit");
        assert_eq!(seen_before.len(), 1, "the heads seen at creation");

        let meta = p.meta(&id("noor")).await.expect("meta").expect("some");
        assert_eq!(
            meta.summary,
            DossierSummary {
                child_name: "Noor".into(),
                group: "groep 5".into(),
                entry_count: 2,
                last_activity: ctx(7).now,
            }
        );
        assert_eq!(meta.last_opened, Some(ctx(8).now));
        assert_eq!(meta.last_seen_heads.len(), 1);
        assert_eq!(&meta, noor.meta());

        let list = p.list_dossiers().await.expect("list");
        let names: Vec<(String, String)> = list
            .iter()
            .map(|(i, m)| (i.to_string(), m.summary.child_name.clone()))
            .collect();
        assert_eq!(
            names,
            vec![("noor".into(), "Noor".into()), ("sem".into(), "Sem".into())]
        );
        assert_eq!(keys::meta(&id("noor")), "index/noor");
    });
}

#[test]
fn a_damaged_snapshot_is_copied_to_quarantine_and_never_deleted() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        p.create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("create");
        let key = keys::snapshot(&id("noor"));
        let mut bytes = store.get(&key).await.expect("get").expect("snapshot");
        bytes[60] ^= 1;
        store.put(&key, &bytes).await.expect("damage it");

        // Only the creating change was in the snapshot: nothing readable is
        // left, and opening says so instead of showing an empty dossier.
        assert!(matches!(
            p.open(&id("noor")).await,
            Err(StoreError::Unreadable(_))
        ));
        assert!(matches!(
            p.open(&id("noor")).await,
            Err(StoreError::Unreadable(_))
        ));
        assert_eq!(store.get(&key).await.expect("get"), Some(bytes.clone()));
        let kept = p.quarantined(&id("noor")).await.expect("quarantine");
        assert_eq!(kept.len(), 1, "two opens keep one copy");
        assert_eq!(kept[0].1, bytes);
    });
}

#[test]
fn a_joined_dossier_opens_empty_then_keeps_what_arrives() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        let joined = id("joined");
        let extra = driehoek_core::storage::WriteBatch::new().put("sync/joined", b"{}".to_vec());
        assert!(p.join(&joined, extra.clone()).await.expect("join"));
        assert!(
            !p.join(&joined, extra).await.expect("again"),
            "a second join is a no-op"
        );
        assert_eq!(
            store.get("sync/joined").await.expect("get"),
            Some(b"{}".to_vec())
        );
        let mut waiting = p.open(&joined).await.expect("open").dossier;
        assert!(waiting.doc_mut().get_heads().is_empty(), "nothing invented");
        assert!(!waiting.has_unsaved_changes());
        // The founder's changes arrive (as sync applies them) and are kept.
        let founder = p
            .create(&id("founder"), &ctx(0), &new_dossier())
            .await
            .expect("create");
        let mut founder = founder;
        write_entry(&mut founder, "e1", 1, "van thuis");
        let changes = founder.doc_mut().save_after(&[]);
        waiting.doc_mut().load_incremental(&changes).expect("apply");
        waiting.refresh_access();
        assert!(!waiting.access().is_read_only());
        p.persist_changes(&mut waiting, T0).await.expect("persist");
        let reopened = p.open(&joined).await.expect("reopen").dossier;
        assert_eq!(bodies(&reopened), vec!["van thuis".to_string()]);
    });
}

#[test]
fn forgetting_a_dossier_removes_all_of_it_and_nothing_of_another() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        let mut noor = p
            .create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("noor");
        p.create(&id("noor2"), &ctx(0), &new_dossier())
            .await
            .expect("a dossier whose id starts the same");
        write_entry(&mut noor, "e1", 5, "een");
        p.persist_changes(&mut noor, ctx(6).now)
            .await
            .expect("persist");
        store.put("draft/noor/e2/n1", b"{}").await.expect("draft");
        store
            .put(&keys::view(&id("noor"), "logbook"), b"{}")
            .await
            .expect("view");
        store.put("sync/noor", b"{}").await.expect("record");
        store.put("sync/noor2", b"{}").await.expect("record 2");
        let before = snapshot_of_store(&store).await;

        let removed = p
            .forget(&id("noor"), &["sync/noor".to_string()])
            .await
            .expect("forget");

        let after = snapshot_of_store(&store).await;
        assert_eq!(removed, before.len() - after.len());
        let left: Vec<&str> = after.iter().map(|(k, _)| k.as_str()).collect();
        assert!(
            left.iter().all(|k| k.contains("noor2")),
            "only the other dossier is left: {left:?}"
        );
        assert!(left.contains(&"sync/noor2") && left.contains(&"index/noor2"));
        let listed: Vec<String> = p
            .list_dossiers()
            .await
            .expect("list")
            .into_iter()
            .map(|(i, _)| i.to_string())
            .collect();
        assert_eq!(listed, vec!["noor2".to_string()]);
        assert!(p.open(&id("noor2")).await.is_ok());
    });
}

#[test]
fn a_failed_forget_leaves_the_dossier_whole() {
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        p.create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("noor");
        let before = snapshot_of_store(&store).await;
        store.fail_next_write(StorageError::QuotaExceeded);
        assert!(p.forget(&id("noor"), &[]).await.is_err());
        assert_eq!(snapshot_of_store(&store).await, before);
        assert!(p.open(&id("noor")).await.is_ok());
    });
}

/// Another device's copy of the dossier, as the relay would bring it.
fn other_device(d: &mut SessionDossier) -> automerge::AutoCommit {
    let mut actor = b"device-2".to_vec();
    actor.extend_from_slice(&[7u8; 16]);
    d.doc_mut()
        .fork()
        .with_actor(automerge::ActorId::from(actor))
}

#[test]
fn changes_from_another_device_while_nobody_looks_are_new_and_a_visit_sees_them() {
    use driehoek_core::model::ExpectationList;
    use driehoek_core::model::commands::{add_entry, propose_expectation};
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        let mut noor = p
            .create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("create");
        assert!(noor.meta().unseen.is_empty(), "a new dossier holds no news");

        // Elsewhere: two entries and a point; here nobody has it on screen.
        let mut elsewhere = other_device(&mut noor);
        add_entry(&mut elsewhere, &ctx(1), &entry(&id("e1"), "een")).expect("e1");
        add_entry(&mut elsewhere, &ctx(2), &entry(&id("e2"), "twee")).expect("e2");
        propose_expectation(
            &mut elsewhere,
            &ctx(3),
            ExpectationList::OfChild,
            &id("x1"),
            "Zelf de tas inpakken.",
        )
        .expect("point");
        noor.doc_mut().merge(&mut elsewhere).expect("merge");
        p.persist_changes(&mut noor, ctx(4).now)
            .await
            .expect("persist");
        let meta = p.meta(&id("noor")).await.expect("meta").expect("some");
        let sections: Vec<&str> = meta.unseen.sections.iter().map(String::as_str).collect();
        assert_eq!(sections, vec!["expectations", "logbook"]);
        assert_eq!(meta.unseen.new_entries, 2);

        // What this device writes itself is never news to it, in this
        // tab or in another (a session with the same device prefix).
        write_entry(&mut noor, "own", 5, "van de juf");
        let mut other_tab = p.open(&id("noor")).await.expect("other tab").dossier;
        assert_ne!(other_tab.session(), noor.session());
        write_entry(&mut other_tab, "own-2", 5, "ook van de juf");
        noor.doc_mut()
            .merge(other_tab.doc_mut())
            .expect("merge the other tab");
        p.persist_changes(&mut noor, ctx(5).now)
            .await
            .expect("persist own");
        let meta = p.meta(&id("noor")).await.expect("meta").expect("some");
        assert_eq!(meta.summary.entry_count, 4);
        assert_eq!(meta.unseen.new_entries, 2);
        assert_eq!(meta.unseen.sections.len(), 2);

        // A visit sees it all: the stored news is cleared.
        p.record_visit(&mut noor, ctx(6).now).await.expect("visit");
        let meta = p.meta(&id("noor")).await.expect("meta").expect("some");
        assert!(meta.unseen.is_empty());
        assert_eq!(meta.unseen.new_entries, 0);

        // While the dossier is on screen, what arrives is seen at once.
        noor.set_on_screen(true);
        let mut elsewhere = other_device(&mut noor);
        add_entry(&mut elsewhere, &ctx(7), &entry(&id("e3"), "drie")).expect("e3");
        noor.doc_mut().merge(&mut elsewhere).expect("merge");
        p.persist_changes(&mut noor, ctx(7).now)
            .await
            .expect("persist");
        let meta = p.meta(&id("noor")).await.expect("meta").expect("some");
        assert!(meta.unseen.is_empty());
        assert_eq!(meta.summary.entry_count, 5);
        assert_eq!(meta.last_seen_heads, meta.saved_heads);
    });
}

#[test]
fn a_visit_in_another_tab_is_not_undone_by_this_tabs_next_write() {
    use driehoek_core::model::commands::add_entry;
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        let mut syncing_tab = p
            .create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("create");
        let mut elsewhere = other_device(&mut syncing_tab);
        add_entry(&mut elsewhere, &ctx(1), &entry(&id("e1"), "een")).expect("e1");
        syncing_tab.doc_mut().merge(&mut elsewhere).expect("merge");
        p.persist_changes(&mut syncing_tab, ctx(2).now)
            .await
            .expect("persist");
        assert_eq!(syncing_tab.meta().unseen.new_entries, 1);

        // The person opens the dossier in another tab: seen there.
        let mut viewing_tab = p.open(&id("noor")).await.expect("open").dossier;
        p.record_visit(&mut viewing_tab, ctx(3).now)
            .await
            .expect("visit");

        // The syncing tab writes again, taking in what is stored first.
        let stored = p.meta(&id("noor")).await.expect("meta").expect("some");
        syncing_tab.adopt_stored_meta(&stored);
        write_entry(&mut syncing_tab, "own", 4, "van de juf");
        p.persist_changes(&mut syncing_tab, ctx(4).now)
            .await
            .expect("persist");
        let meta = p.meta(&id("noor")).await.expect("meta").expect("some");
        assert!(meta.unseen.is_empty(), "{:?}", meta.unseen);
        assert_eq!(meta.last_opened, Some(ctx(3).now));
    });
}

#[test]
fn what_the_person_using_this_device_wrote_elsewhere_is_no_news_here() {
    use driehoek_core::model::commands::{add_entry, add_member, register_device};
    use driehoek_core::model::{Ctx, Role};
    block_on(async {
        let store = MemoryStore::new();
        let p = Persistence::new(&store, native_config());
        let mut laptop = p
            .create(&id("noor"), &ctx(0), &new_dossier())
            .await
            .expect("create");
        // The teacher uses this device (its key starts with the prefix of
        // the sessions here); a parent joins.
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(b"device-1");
        register_device(laptop.doc_mut(), &ctx(1), &key, &id("juf-anna")).expect("device");
        let papa = Ctx::new(id("papa-sem"), ctx(2).now);
        add_member(
            laptop.doc_mut(),
            &papa,
            &id("papa-sem"),
            "Sem",
            &Role::Parent,
        )
        .expect("parent");
        p.persist_changes(&mut laptop, ctx(2).now)
            .await
            .expect("persist");

        // At home, on her own computer, the teacher writes an entry.
        let mut home = other_device(&mut laptop);
        add_entry(&mut home, &ctx(3), &entry(&id("e1"), "van de juf, thuis")).expect("e1");
        laptop.doc_mut().merge(&mut home).expect("merge");
        p.persist_changes(&mut laptop, ctx(4).now)
            .await
            .expect("persist");
        let meta = p.meta(&id("noor")).await.expect("meta").expect("some");
        assert_eq!(meta.summary.entry_count, 1);
        assert!(meta.unseen.is_empty(), "{:?}", meta.unseen);

        // The parent's entry, from the same other device, is news.
        let papa = Ctx::new(id("papa-sem"), ctx(5).now);
        add_entry(&mut home, &papa, &entry(&id("e2"), "van papa")).expect("e2");
        laptop.doc_mut().merge(&mut home).expect("merge");
        p.persist_changes(&mut laptop, ctx(6).now)
            .await
            .expect("persist");
        let meta = p.meta(&id("noor")).await.expect("meta").expect("some");
        assert_eq!(meta.unseen.new_entries, 1);
        let sections: Vec<&str> = meta.unseen.sections.iter().map(String::as_str).collect();
        assert_eq!(sections, vec!["logbook"]);
    });
}
