//! The contract of a `BlobStore`, run against the in-memory twin and the
//! SQLite store alike: each case is a generic function, instantiated once
//! per store by `for_both_stores!` at the bottom.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

use driehoek_relay::store::{
    Authorized, BlobStore, Compaction, Cursor, DossierStats, MemoryStore, NewBlob, Registration,
    SqliteStore, StoreError, TokenHash, Totals,
};
use driehoek_wire::{
    keys::DossierId,
    message::{AppendId, LoggedBlob, Token},
};

const QUOTA: u64 = 1 << 30;
/// Replaced at this time in every case; purges are relative to it.
const NOW: i64 = 1_700_000_000;

fn dossier(n: u8) -> DossierId {
    DossierId::from_bytes([n; 16])
}

fn token(n: u8) -> TokenHash {
    TokenHash::of(&Token([n; 32]))
}

fn id(n: u32) -> AppendId {
    let mut bytes = [0u8; 16];
    bytes[..4].copy_from_slice(&n.to_be_bytes());
    AppendId(bytes)
}

fn blob(n: u32) -> Vec<u8> {
    format!("blob {n}").into_bytes()
}

/// A registered dossier with blobs 1..=count appended (ids 1..=count).
fn with_blobs(store: &impl BlobStore, d: DossierId, count: u32) {
    store.authorize(d, &token(1)).expect("register");
    for n in 1..=count {
        let appended = store.append(d, id(n), &blob(n), QUOTA).expect("append");
        assert_eq!(appended.seq, u64::from(n));
    }
}

fn seqs(items: &[LoggedBlob]) -> Vec<(u64, u32)> {
    items.iter().map(|item| (item.seq, item.part)).collect()
}

fn compaction(d: DossierId, n: u32, upto_seq: u64, parts: &[&[u8]]) -> Compaction {
    Compaction {
        dossier: d,
        id: id(1_000_000 + n),
        upto_seq,
        parts: parts.iter().map(|part| part.to_vec()).collect(),
    }
}

fn the_first_token_registers_a_dossier_and_only_that_token_passes_later(store: &impl BlobStore) {
    store.authorize(dossier(1), &token(1)).expect("register");
    store.authorize(dossier(1), &token(1)).expect("same token");
    assert!(matches!(
        store.authorize(dossier(1), &token(2)),
        Err(StoreError::Unauthorized)
    ));
    // Another dossier has its own token.
    store
        .authorize(dossier(2), &token(2))
        .expect("other dossier");
}

fn closed_registration_refuses_a_new_dossier_but_passes_a_registered_one(store: &impl BlobStore) {
    assert!(matches!(
        store.authorize_with(dossier(1), &token(1), Registration::Closed),
        Err(StoreError::UnknownDossier(_))
    ));
    // Nothing was registered by the refusal: the next open one registers.
    assert_eq!(
        store
            .authorize_with(
                dossier(1),
                &token(1),
                Registration::Open { max_dossiers: 0 }
            )
            .expect("register"),
        Authorized::Registered
    );
    assert_eq!(
        store
            .authorize_with(dossier(1), &token(1), Registration::Closed)
            .expect("known"),
        Authorized::Known
    );
    assert!(matches!(
        store.authorize_with(dossier(1), &token(2), Registration::Closed),
        Err(StoreError::Unauthorized)
    ));
}

fn registration_stops_at_the_dossier_limit_and_known_dossiers_still_pass(store: &impl BlobStore) {
    let open = Registration::Open { max_dossiers: 2 };
    for n in 1..=2 {
        assert_eq!(
            store
                .authorize_with(dossier(n), &token(n), open)
                .expect("register"),
            Authorized::Registered
        );
    }
    assert!(matches!(
        store.authorize_with(dossier(3), &token(3), open),
        Err(StoreError::TooManyDossiers { limit: 2 })
    ));
    assert_eq!(
        store
            .authorize_with(dossier(2), &token(2), open)
            .expect("known"),
        Authorized::Known
    );
}

fn totals_count_dossiers_and_every_kept_byte_replaced_ones_too(store: &impl BlobStore) {
    assert_eq!(store.totals().expect("totals"), Totals::default());
    with_blobs(store, dossier(1), 3);
    with_blobs(store, dossier(2), 1);
    let appended: u64 = [blob(1), blob(2), blob(3), blob(1)]
        .iter()
        .map(|b| b.len() as u64)
        .sum();
    assert_eq!(
        store.totals().expect("totals"),
        Totals {
            dossiers: 2,
            stored_bytes: appended
        }
    );
    store
        .compact(&compaction(dossier(1), 1, 2, &[b"snapshot"]), QUOTA, NOW)
        .expect("compact");
    assert_eq!(
        store.totals().expect("totals").stored_bytes,
        appended + b"snapshot".len() as u64
    );
    assert_eq!(store.purge(NOW + 1, 100).expect("purge"), 2);
    assert_eq!(
        store.totals().expect("totals").stored_bytes,
        appended + b"snapshot".len() as u64 - (blob(1).len() + blob(2).len()) as u64
    );
}

fn a_probe_write_succeeds_on_a_working_store_and_changes_no_dossier(store: &impl BlobStore) {
    with_blobs(store, dossier(1), 2);
    let before = store.totals().expect("totals");
    store.probe_write().expect("probe");
    store.probe_write().expect("probe again");
    assert_eq!(store.totals().expect("totals"), before);
    assert_eq!(store.read_after(dossier(1), 0).expect("read").len(), 2);
}

fn appends_get_contiguous_seqs_from_one_per_dossier(store: &impl BlobStore) {
    with_blobs(store, dossier(1), 3);
    with_blobs(store, dossier(2), 2);
    let stats = store.stats(dossier(1)).expect("stats");
    assert_eq!(stats.highest_seq, 3);
    assert_eq!(stats.compacted_upto, 0);
    assert_eq!(stats.live_blobs(), 3);
    let expected: u64 = (1..=3).map(|n| blob(n).len() as u64).sum();
    assert_eq!(stats.live_bytes, expected);
    assert_eq!(store.stats(dossier(2)).expect("stats").highest_seq, 2);
    assert_eq!(
        store.stats(dossier(9)).expect("stats"),
        DossierStats::default()
    );
}

fn a_duplicate_append_is_stored_once_and_answers_the_first_seq(store: &impl BlobStore) {
    with_blobs(store, dossier(1), 2);
    let before = store.stats(dossier(1)).expect("stats");
    let again = store
        .append(dossier(1), id(1), b"different bytes", QUOTA)
        .expect("append");
    assert_eq!(again.seq, 1);
    assert!(!again.new);
    assert_eq!(store.stats(dossier(1)).expect("stats"), before);
    let items = store.read_after(dossier(1), 0).expect("read");
    assert_eq!(seqs(&items), [(1, 0), (2, 0)]);
    assert_eq!(items[0].bytes, blob(1));
    // The same id in another dossier is another append.
    store.authorize(dossier(2), &token(1)).expect("register");
    let other = store
        .append(dossier(2), id(1), b"x", QUOTA)
        .expect("append");
    assert!(other.new);
}

fn a_duplicate_within_one_batch_is_stored_once(store: &impl BlobStore) {
    store.authorize(dossier(1), &token(1)).expect("register");
    let batch = [
        NewBlob {
            dossier: dossier(1),
            id: id(7),
            bytes: b"first".to_vec(),
        },
        NewBlob {
            dossier: dossier(1),
            id: id(7),
            bytes: b"first".to_vec(),
        },
        NewBlob {
            dossier: dossier(1),
            id: id(8),
            bytes: b"second".to_vec(),
        },
    ];
    let outcomes: Vec<_> = store
        .append_batch(&batch, QUOTA)
        .expect("batch")
        .into_iter()
        .map(|outcome| outcome.map(|appended| (appended.seq, appended.new)).ok())
        .collect();
    assert_eq!(
        outcomes,
        [Some((1, true)), Some((1, false)), Some((2, true))]
    );
    assert_eq!(store.read_after(dossier(1), 0).expect("read").len(), 2);
}

fn an_append_to_an_unregistered_dossier_is_refused(store: &impl BlobStore) {
    assert!(matches!(
        store.append(dossier(3), id(1), b"x", QUOTA),
        Err(StoreError::UnknownDossier(_))
    ));
    assert!(store.read_after(dossier(3), 0).expect("read").is_empty());
}

fn an_append_over_the_quota_is_refused_and_the_rest_of_the_batch_is_stored(store: &impl BlobStore) {
    store.authorize(dossier(1), &token(1)).expect("register");
    let batch: Vec<NewBlob> = [40usize, 50, 10]
        .iter()
        .zip(1..)
        .map(|(&size, n)| NewBlob {
            dossier: dossier(1),
            id: id(n),
            bytes: vec![n as u8; size],
        })
        .collect();
    let outcomes = store.append_batch(&batch, 64).expect("batch");
    assert!(matches!(outcomes[0], Ok(ref a) if a.seq == 1));
    assert!(matches!(outcomes[1], Err(StoreError::TooLarge { .. })));
    assert!(matches!(outcomes[2], Ok(ref a) if a.seq == 2));
    let stats = store.stats(dossier(1)).expect("stats");
    assert_eq!(stats.live_bytes, 50);
    assert_eq!(stats.highest_seq, 2);
}

fn reads_after_a_seq_return_the_later_blobs_oldest_first(store: &impl BlobStore) {
    with_blobs(store, dossier(1), 5);
    let items = store.read_after(dossier(1), 2).expect("read");
    assert_eq!(seqs(&items), [(3, 0), (4, 0), (5, 0)]);
    assert!(items.iter().all(|item| item.parts == 1));
    assert_eq!(items[0].bytes, blob(3));
    assert!(store.read_after(dossier(1), 5).expect("read").is_empty());
    assert!(
        store
            .read_after(dossier(1), u64::MAX)
            .expect("read")
            .is_empty()
    );
}

fn a_page_keeps_to_its_budget_but_holds_at_least_one_item(store: &impl BlobStore) {
    store.authorize(dossier(1), &token(1)).expect("register");
    for n in 1..=4 {
        store
            .append(dossier(1), id(n), &[0u8; 1000], QUOTA)
            .expect("append");
    }
    let per_item = 1000 + driehoek_relay::store::PAGE_ITEM_OVERHEAD;
    let page = store
        .read_page(dossier(1), Cursor::after(0), 2 * per_item)
        .expect("page");
    assert_eq!(seqs(&page.items), [(1, 0), (2, 0)]);
    assert!(page.more);
    let page = store
        .read_page(dossier(1), Cursor::past(&page.items[1]), 2 * per_item)
        .expect("page");
    assert_eq!(seqs(&page.items), [(3, 0), (4, 0)]);
    assert!(!page.more);
    let tiny = store
        .read_page(dossier(1), Cursor::after(0), 1)
        .expect("page");
    assert_eq!(seqs(&tiny.items), [(1, 0)]);
    assert!(tiny.more);
}

fn compactions_out_of_bounds_are_refused(store: &impl BlobStore) {
    with_blobs(store, dossier(1), 5);
    let refused = |c: Compaction| {
        matches!(
            store.compact(&c, QUOTA, NOW),
            Err(StoreError::BadCompaction(_))
        )
    };
    assert!(refused(compaction(dossier(1), 1, 0, &[b"s"])));
    assert!(refused(compaction(dossier(1), 1, 6, &[b"s"])));
    assert!(refused(compaction(dossier(1), 1, 3, &[])));
    store
        .compact(&compaction(dossier(1), 1, 3, &[b"s"]), QUOTA, NOW)
        .expect("compact");
    assert!(refused(compaction(dossier(1), 2, 3, &[b"t"])));
    assert!(refused(compaction(dossier(1), 2, 2, &[b"t"])));
    assert!(matches!(
        store.compact(&compaction(dossier(4), 1, 1, &[b"s"]), QUOTA, NOW),
        Err(StoreError::UnknownDossier(_))
    ));
    // Nothing of the refused ones changed the log.
    let items = store.read_after(dossier(1), 0).expect("read");
    assert_eq!(seqs(&items), [(3, 0), (4, 0), (5, 0)]);
}

fn a_snapshot_is_served_first_then_the_later_blobs(store: &impl BlobStore) {
    with_blobs(store, dossier(1), 6);
    store
        .compact(
            &compaction(dossier(1), 1, 4, &[b"snap-0", b"snap-1", b"snap-2"]),
            QUOTA,
            NOW,
        )
        .expect("compact");
    let from_zero = store.read_after(dossier(1), 0).expect("read");
    assert_eq!(seqs(&from_zero), [(4, 0), (4, 1), (4, 2), (5, 0), (6, 0)]);
    assert!(from_zero[..3].iter().all(|item| item.parts == 3));
    assert_eq!(from_zero[1].bytes, b"snap-1");
    assert_eq!(from_zero[3].bytes, blob(5));
    // A device that has some of the replaced blobs still needs the snapshot.
    assert_eq!(
        seqs(&store.read_after(dossier(1), 2).expect("read"))[0],
        (4, 0)
    );
    // A device past the snapshot gets only what came after it.
    assert_eq!(
        seqs(&store.read_after(dossier(1), 4).expect("read")),
        [(5, 0), (6, 0)]
    );
    // Paging inside the snapshot continues with its next part.
    let page = store
        .read_page(dossier(1), Cursor { seq: 4, part: 0 }, 1)
        .expect("page");
    assert_eq!(seqs(&page.items), [(4, 1)]);
}

fn appends_after_a_compaction_continue_after_the_highest_seq(store: &impl BlobStore) {
    with_blobs(store, dossier(1), 3);
    store
        .compact(&compaction(dossier(1), 1, 2, &[b"s"]), QUOTA, NOW)
        .expect("compact");
    let next = store
        .append(dossier(1), id(4), b"four", QUOTA)
        .expect("append");
    assert_eq!(next.seq, 4);
    assert_eq!(next.since_compaction, 2);
    let stats = store.stats(dossier(1)).expect("stats");
    assert_eq!((stats.highest_seq, stats.compacted_upto), (4, 2));
    assert_eq!(stats.live_blobs(), 2);
    assert_eq!(
        stats.live_bytes,
        (b"s".len() + blob(3).len() + b"four".len()) as u64
    );
}

fn a_second_compaction_replaces_the_first_snapshot(store: &impl BlobStore) {
    with_blobs(store, dossier(1), 5);
    store
        .compact(&compaction(dossier(1), 1, 2, &[b"first"]), QUOTA, NOW)
        .expect("compact");
    store
        .compact(
            &compaction(dossier(1), 2, 4, &[b"second-a", b"second-b"]),
            QUOTA,
            NOW,
        )
        .expect("compact");
    let items = store.read_after(dossier(1), 0).expect("read");
    assert_eq!(seqs(&items), [(4, 0), (4, 1), (5, 0)]);
    assert_eq!(items[0].bytes, b"second-a");
    assert_eq!(
        store.stats(dossier(1)).expect("stats").live_bytes,
        (b"second-a".len() + b"second-b".len() + blob(5).len()) as u64
    );
}

fn repeating_the_last_compaction_under_its_id_changes_nothing(store: &impl BlobStore) {
    with_blobs(store, dossier(1), 3);
    let first = compaction(dossier(1), 1, 3, &[b"s"]);
    store.compact(&first, QUOTA, NOW).expect("compact");
    let before = store.read_after(dossier(1), 0).expect("read");
    store.compact(&first, QUOTA, NOW + 5).expect("repeat");
    assert_eq!(store.read_after(dossier(1), 0).expect("read"), before);
    // The same bounds under another id are a different compaction.
    assert!(matches!(
        store.compact(&compaction(dossier(1), 2, 3, &[b"s"]), QUOTA, NOW),
        Err(StoreError::BadCompaction(_))
    ));
}

fn a_compaction_over_the_quota_is_refused(store: &impl BlobStore) {
    with_blobs(store, dossier(1), 2);
    let big = vec![0u8; 200];
    assert!(matches!(
        store.compact(&compaction(dossier(1), 1, 2, &[&big]), 100, NOW),
        Err(StoreError::TooLarge { .. })
    ));
    assert_eq!(store.stats(dossier(1)).expect("stats").compacted_upto, 0);
}

fn replaced_blobs_are_never_served_and_kept_until_purged(store: &impl BlobStore) {
    with_blobs(store, dossier(1), 4);
    let replaced: u64 = (1..=3).map(|n| blob(n).len() as u64).sum();
    store
        .compact(&compaction(dossier(1), 1, 3, &[b"s"]), QUOTA, NOW)
        .expect("compact");
    assert_eq!(
        store.replaced_bytes(dossier(1)).expect("replaced"),
        replaced
    );
    // A resent append of a replaced blob still gets its first seq.
    let again = store
        .append(dossier(1), id(2), &blob(2), QUOTA)
        .expect("append");
    assert_eq!((again.seq, again.new), (2, false));
    // Within the grace period nothing goes.
    assert_eq!(store.purge(NOW, 100).expect("purge"), 0);
    assert_eq!(
        store.replaced_bytes(dossier(1)).expect("replaced"),
        replaced
    );
    assert_eq!(store.purge(NOW + 1, 100).expect("purge"), 3);
    assert_eq!(store.replaced_bytes(dossier(1)).expect("replaced"), 0);
    assert_eq!(
        seqs(&store.read_after(dossier(1), 0).expect("read")),
        [(3, 0), (4, 0)]
    );
    assert_eq!(
        store
            .append(dossier(1), id(9), b"5", QUOTA)
            .expect("append")
            .seq,
        5
    );
}

fn a_purge_deletes_no_more_than_its_limit(store: &impl BlobStore) {
    with_blobs(store, dossier(1), 5);
    store
        .compact(&compaction(dossier(1), 1, 5, &[b"s"]), QUOTA, NOW)
        .expect("compact");
    assert_eq!(store.purge(NOW + 1, 2).expect("purge"), 2);
    assert_eq!(store.purge(NOW + 1, 2).expect("purge"), 2);
    assert_eq!(store.purge(NOW + 1, 2).expect("purge"), 1);
    assert_eq!(store.purge(NOW + 1, 2).expect("purge"), 0);
}

fn a_retired_dossier_takes_nothing_new_and_serves_its_log_until_the_purge(store: &impl BlobStore) {
    with_blobs(store, dossier(1), 3);
    with_blobs(store, dossier(2), 2);
    store.retire(dossier(1), NOW).expect("retire");
    assert_eq!(
        store.stats(dossier(1)).expect("stats").retired_at,
        Some(NOW)
    );
    assert!(matches!(
        store.append(dossier(1), id(9), b"late", QUOTA),
        Err(StoreError::Retired(d)) if d == dossier(1)
    ));
    // The lost Ack of an append from before still gets its seq.
    let again = store
        .append(dossier(1), id(2), &blob(2), QUOTA)
        .expect("repeat");
    assert_eq!((again.seq, again.new), (2, false));
    assert!(matches!(
        store.compact(&compaction(dossier(1), 1, 3, &[b"s"]), QUOTA, NOW),
        Err(StoreError::Retired(_))
    ));
    // Retiring again keeps the first time.
    store.retire(dossier(1), NOW + 50).expect("again");
    assert_eq!(
        store.stats(dossier(1)).expect("stats").retired_at,
        Some(NOW)
    );
    assert_eq!(
        seqs(&store.read_after(dossier(1), 0).expect("read")),
        [(1, 0), (2, 0), (3, 0)]
    );
    assert_eq!(store.purge(NOW, 100).expect("in the grace period"), 0);
    assert_eq!(store.purge(NOW + 1, 2).expect("purge"), 2);
    assert_eq!(store.purge(NOW + 1, 2).expect("purge"), 1);
    assert_eq!(store.purge(NOW + 1, 2).expect("purge"), 0);
    assert!(store.read_after(dossier(1), 0).expect("read").is_empty());
    let stats = store.stats(dossier(1)).expect("stats");
    assert_eq!((stats.live_bytes, stats.retired_at), (0, Some(NOW)));
    // Still registered, so the old token hears it was retired.
    assert_eq!(
        store
            .authorize_with(dossier(1), &token(1), Registration::Closed)
            .expect("known"),
        Authorized::Known
    );
    assert!(matches!(
        store.append(dossier(1), id(10), b"late", QUOTA),
        Err(StoreError::Retired(_))
    ));
    // The other dossier is untouched and goes on.
    assert_eq!(
        seqs(&store.read_after(dossier(2), 0).expect("read")),
        [(1, 0), (2, 0)]
    );
    assert_eq!(store.stats(dossier(2)).expect("stats").retired_at, None);
    assert_eq!(
        store
            .append(dossier(2), id(3), b"3", QUOTA)
            .expect("append")
            .seq,
        3
    );
    assert!(matches!(
        store.retire(dossier(7), NOW),
        Err(StoreError::UnknownDossier(_))
    ));
}

macro_rules! for_both_stores {
    ($($case:ident),* $(,)?) => {
        mod memory {
            $(
                #[test]
                fn $case() {
                    super::$case(&driehoek_relay::store::MemoryStore::new());
                }
            )*
        }
        mod sqlite {
            $(
                #[test]
                fn $case() {
                    let dir = tempfile::tempdir().expect("temp dir");
                    let store =
                        driehoek_relay::store::SqliteStore::open(dir.path()).expect("open");
                    super::$case(&store);
                }
            )*
        }
    };
}

for_both_stores!(
    the_first_token_registers_a_dossier_and_only_that_token_passes_later,
    closed_registration_refuses_a_new_dossier_but_passes_a_registered_one,
    registration_stops_at_the_dossier_limit_and_known_dossiers_still_pass,
    totals_count_dossiers_and_every_kept_byte_replaced_ones_too,
    a_probe_write_succeeds_on_a_working_store_and_changes_no_dossier,
    appends_get_contiguous_seqs_from_one_per_dossier,
    a_duplicate_append_is_stored_once_and_answers_the_first_seq,
    a_duplicate_within_one_batch_is_stored_once,
    an_append_to_an_unregistered_dossier_is_refused,
    an_append_over_the_quota_is_refused_and_the_rest_of_the_batch_is_stored,
    reads_after_a_seq_return_the_later_blobs_oldest_first,
    a_page_keeps_to_its_budget_but_holds_at_least_one_item,
    compactions_out_of_bounds_are_refused,
    a_snapshot_is_served_first_then_the_later_blobs,
    appends_after_a_compaction_continue_after_the_highest_seq,
    a_second_compaction_replaces_the_first_snapshot,
    repeating_the_last_compaction_under_its_id_changes_nothing,
    a_compaction_over_the_quota_is_refused,
    replaced_blobs_are_never_served_and_kept_until_purged,
    a_purge_deletes_no_more_than_its_limit,
    a_retired_dossier_takes_nothing_new_and_serves_its_log_until_the_purge,
);

#[test]
fn a_database_from_before_retirements_opens_and_can_retire() {
    let dir = tempfile::tempdir().expect("temp dir");
    {
        // The dossiers table as relays made it before `retired_at`.
        let conn = rusqlite::Connection::open(dir.path().join("relay.sqlite3")).expect("create");
        conn.execute_batch(
            "CREATE TABLE dossiers (
                id BLOB PRIMARY KEY NOT NULL,
                token_hash BLOB NOT NULL,
                highest_seq INTEGER NOT NULL DEFAULT 0,
                compacted_upto INTEGER NOT NULL DEFAULT 0,
                compaction_id BLOB,
                live_bytes INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID;",
        )
        .expect("old schema");
    }
    let store = SqliteStore::open(dir.path()).expect("open an old database");
    with_blobs(&store, dossier(1), 2);
    store.retire(dossier(1), NOW).expect("retire");
    drop(store);
    let store = SqliteStore::open(dir.path()).expect("open again");
    assert_eq!(
        store.stats(dossier(1)).expect("stats").retired_at,
        Some(NOW)
    );
}

#[test]
fn the_sqlite_store_keeps_everything_when_it_is_opened_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let store = SqliteStore::open(dir.path()).expect("open");
        with_blobs(&store, dossier(1), 4);
        store
            .compact(&compaction(dossier(1), 1, 2, &[b"s0", b"s1"]), QUOTA, NOW)
            .expect("compact");
    }
    let store = SqliteStore::open(dir.path()).expect("reopen");
    assert!(dir.path().join("relay.sqlite3").is_file());
    assert!(matches!(
        store.authorize(dossier(1), &token(2)),
        Err(StoreError::Unauthorized)
    ));
    assert_eq!(
        seqs(&store.read_after(dossier(1), 0).expect("read")),
        [(2, 0), (2, 1), (3, 0), (4, 0)]
    );
    assert_eq!(
        store
            .append(dossier(1), id(3), b"x", QUOTA)
            .expect("dup")
            .seq,
        3
    );
    assert_eq!(
        store
            .append(dossier(1), id(5), b"x", QUOTA)
            .expect("new")
            .seq,
        5
    );
}

#[test]
fn the_memory_store_is_a_blob_store_behind_an_arc_too() {
    let store = std::sync::Arc::new(MemoryStore::new());
    with_blobs(&store, dossier(1), 2);
    assert_eq!(store.read_after(dossier(1), 0).expect("read").len(), 2);
}

#[test]
fn closing_the_sqlite_store_folds_the_write_ahead_log_into_the_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let store = SqliteStore::open(dir.path()).expect("open");
        with_blobs(&store, dossier(1), 3);
        // Reads open pooled read connections, which must not keep the log.
        assert_eq!(store.read_after(dossier(1), 0).expect("read").len(), 3);
        assert!(dir.path().join("relay.sqlite3-wal").exists());
    }
    assert!(!dir.path().join("relay.sqlite3-wal").exists());
}

#[test]
fn a_second_sqlite_store_on_the_same_folder_is_refused_while_the_first_is_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = SqliteStore::open(dir.path()).expect("open");
    match SqliteStore::open(dir.path()) {
        Err(err @ StoreError::InUse { .. }) => {
            assert!(err.to_string().contains("another relay"), "{err}");
        }
        other => panic!("expected the folder to be in use, got {other:?}"),
    }
    drop(first);
    SqliteStore::open(dir.path()).expect("open after the first closed");
}
