//! The sync engine's refusals and resumption, one rule at a time.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

#[path = "fixtures/store/support.rs"]
mod support;

use automerge::{ActorId, AutoCommit};
use driehoek_core::model::commands::{add_entry, create_dossier};
use driehoek_core::sync::{DossierSync, SyncProblem, SyncState, SyncStatus, device_prefix};
use driehoek_wire::SigningKey;
use driehoek_wire::blob::{self, BlobKind};
use driehoek_wire::keys::DossierSecret;
use driehoek_wire::message::{LoggedBlob, Message};
use support::*;

fn secret() -> DossierSecret {
    DossierSecret::from_bytes([9; 32])
}

fn device(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

fn doc_of(key: &SigningKey) -> AutoCommit {
    let mut actor = device_prefix(key).to_vec();
    actor.extend_from_slice(&[1, 2, 3, 4]);
    AutoCommit::new().with_actor(ActorId::from(actor))
}

/// A founder's document with one entry, and the changes as uploaded.
fn founded(key: &SigningKey) -> (AutoCommit, Vec<u8>) {
    let mut doc = doc_of(key);
    create_dossier(&mut doc, &ctx(0), &new_dossier()).expect("create");
    add_entry(&mut doc, &ctx(1), &entry(&id("e1"), "een")).expect("add");
    let changes = doc.save_after(&[]);
    (doc, changes)
}

/// A joined device, live on the relay with an empty log.
fn live_joiner(key: SigningKey) -> (DossierSync, AutoCommit) {
    let mut doc = doc_of(&key);
    let (mut sync, _) = DossierSync::new(&secret(), 0, key, None, &mut doc);
    sync.connected();
    let step = sync.handle(
        &mut doc,
        Message::Blobs {
            dossier: secret().dossier_id(),
            items: Vec::new(),
            complete: true,
        },
    );
    assert!(step.send.is_empty());
    (sync, doc)
}

fn push(
    sync: &mut DossierSync,
    doc: &mut AutoCommit,
    seq: u64,
    bytes: Vec<u8>,
) -> Vec<SyncProblem> {
    let dossier = secret().dossier_id();
    sync.handle(
        doc,
        Message::Blob {
            dossier,
            seq,
            bytes,
        },
    )
    .problems
}

#[test]
fn a_valid_blob_applies_and_moves_the_cursor() {
    let (_, changes) = founded(&device(1));
    let sealed = blob::seal(
        &secret().encryption_key(),
        &secret().dossier_id(),
        0,
        &device(1),
        BlobKind::Changes,
        &changes,
    )
    .expect("seal");
    let (mut sync, mut doc) = live_joiner(device(2));
    assert!(push(&mut sync, &mut doc, 1, sealed).is_empty());
    assert_eq!(sync.cursor(), 1);
    assert_eq!(bodies_of(&doc), vec!["een".to_string()]);
    assert_eq!(sync.status(), SyncStatus::UpToDate);
}

#[test]
fn a_tampered_blob_is_refused_and_changes_nothing() {
    let (_, changes) = founded(&device(1));
    let mut sealed = blob::seal(
        &secret().encryption_key(),
        &secret().dossier_id(),
        0,
        &device(1),
        BlobKind::Changes,
        &changes,
    )
    .expect("seal");
    let last = sealed.len() - 1;
    sealed[last] ^= 1;
    let (mut sync, mut doc) = live_joiner(device(2));
    let problems = push(&mut sync, &mut doc, 1, sealed);
    assert!(matches!(
        problems.as_slice(),
        [SyncProblem::Rejected { seq: 1, .. }]
    ));
    assert!(doc.get_heads().is_empty(), "nothing applied");
}

#[test]
fn a_blob_under_another_dossiers_key_is_refused() {
    let (_, changes) = founded(&device(1));
    let other = DossierSecret::from_bytes([8; 32]);
    let sealed = blob::seal(
        &other.encryption_key(),
        &secret().dossier_id(),
        0,
        &device(1),
        BlobKind::Changes,
        &changes,
    )
    .expect("seal");
    let (mut sync, mut doc) = live_joiner(device(2));
    let problems = push(&mut sync, &mut doc, 1, sealed);
    assert!(matches!(
        problems.as_slice(),
        [SyncProblem::Rejected { .. }]
    ));
    assert!(doc.get_heads().is_empty());
}

#[test]
fn a_blob_signed_by_one_device_carrying_anothers_changes_is_refused() {
    // Device 1 wrote the changes; device 3 signs them as its own.
    let (_, changes) = founded(&device(1));
    let sealed = blob::seal(
        &secret().encryption_key(),
        &secret().dossier_id(),
        0,
        &device(3),
        BlobKind::Changes,
        &changes,
    )
    .expect("seal");
    let (mut sync, mut doc) = live_joiner(device(2));
    let problems = push(&mut sync, &mut doc, 1, sealed);
    match problems.as_slice() {
        [SyncProblem::Rejected { reason, .. }] => assert!(reason.contains("another device")),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(doc.get_heads().is_empty());
    // The refused blob is stepped over for good, not fetched forever.
    assert_eq!(sync.cursor(), 1);
}

#[test]
fn bytes_that_are_not_changes_inside_a_valid_blob_are_refused() {
    let sealed = blob::seal(
        &secret().encryption_key(),
        &secret().dossier_id(),
        0,
        &device(1),
        BlobKind::Changes,
        b"not automerge at all",
    )
    .expect("seal");
    let (mut sync, mut doc) = live_joiner(device(2));
    let problems = push(&mut sync, &mut doc, 1, sealed);
    assert!(matches!(
        problems.as_slice(),
        [SyncProblem::Rejected { .. }]
    ));
    assert!(doc.get_heads().is_empty());
}

#[test]
fn a_stored_position_naming_unknown_changes_starts_over_from_zero() {
    let (mut founder_doc, _) = founded(&device(1));
    let heads: Vec<String> = founder_doc
        .get_heads()
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut empty = doc_of(&device(2));
    let stored = SyncState {
        cursor: 7,
        on_relay: heads,
    };
    let (mut sync, problem) = DossierSync::new(&secret(), 0, device(2), Some(stored), &mut empty);
    assert_eq!(problem, Some(SyncProblem::Reset));
    assert_eq!(sync.cursor(), 0);
    match sync.connected().as_slice() {
        [Message::Subscribe { after_seq: 0, .. }] => {}
        other => panic!("expected a subscribe from 0, got {other:?}"),
    }
    assert_eq!(sync.take_state().map(|s| s.cursor), Some(0));
}

#[test]
fn nothing_is_uploaded_before_the_backlog_is_in_and_an_ack_records_that_upload() {
    let key = device(1);
    let (mut doc, _) = founded(&key);
    let (mut sync, _) = DossierSync::new(&secret(), 0, key, None, &mut doc);
    sync.connected();
    assert!(
        sync.poll(&mut doc).send.is_empty(),
        "not before the backlog"
    );
    let dossier = secret().dossier_id();
    let step = sync.handle(
        &mut doc,
        Message::Blobs {
            dossier,
            items: Vec::new(),
            complete: true,
        },
    );
    let (append_id, bytes) = match step.send.as_slice() {
        [Message::Append { id, bytes, .. }] => (*id, bytes.clone()),
        other => panic!("expected one append, got {other:?}"),
    };
    assert!(matches!(sync.status(), SyncStatus::Sending(n) if n >= 2));
    // A write made while the upload is in flight is not in it ...
    add_entry(&mut doc, &ctx(2), &entry(&id("e2"), "twee")).expect("add");
    assert!(sync.poll(&mut doc).send.is_empty(), "one upload at a time");
    // ... so the Ack covers only what was sent, and the new write goes next.
    let step = sync.handle(
        &mut doc,
        Message::Ack {
            id: append_id,
            seq: 1,
        },
    );
    let next = match step.send.as_slice() {
        [Message::Append { bytes, .. }] => bytes.clone(),
        other => panic!("expected the second append, got {other:?}"),
    };
    let opened = blob::open(&secret().encryption_key(), &dossier, &next, 1 << 20).expect("open");
    let first = blob::open(&secret().encryption_key(), &dossier, &bytes, 1 << 20).expect("open");
    assert!(
        opened.changes.len() < first.changes.len(),
        "only the new change"
    );
    assert_eq!(sync.cursor(), 1);
}

#[test]
fn a_snapshot_in_parts_is_joined_and_moves_the_cursor_to_its_place() {
    let (founder_doc, _) = founded(&device(1));
    let mut founder_doc = founder_doc;
    let snapshot = founder_doc.save();
    let sealed = blob::seal(
        &secret().encryption_key(),
        &secret().dossier_id(),
        0,
        &device(1),
        BlobKind::Snapshot,
        &snapshot,
    )
    .expect("seal");
    let half = sealed.len() / 2;
    let mut doc = doc_of(&device(2));
    let (mut sync, _) = DossierSync::new(&secret(), 0, device(2), None, &mut doc);
    sync.connected();
    let step = sync.handle(
        &mut doc,
        Message::Blobs {
            dossier: secret().dossier_id(),
            items: vec![
                LoggedBlob {
                    seq: 40,
                    part: 0,
                    parts: 2,
                    bytes: sealed[..half].to_vec(),
                },
                LoggedBlob {
                    seq: 40,
                    part: 1,
                    parts: 2,
                    bytes: sealed[half..].to_vec(),
                },
            ],
            complete: true,
        },
    );
    assert!(step.problems.is_empty(), "{:?}", step.problems);
    assert!(step.doc_changed);
    assert_eq!(sync.cursor(), 40);
    assert_eq!(doc.get_heads(), founder_doc.get_heads());
    // Nothing goes back up: the device holds only what the relay has.
    assert!(step.send.is_empty());
}

fn bodies_of(doc: &AutoCommit) -> Vec<String> {
    driehoek_core::model::read::logbook_entries(doc)
        .expect("logbook")
        .entries
        .into_iter()
        .map(|e| e.body)
        .collect()
}

#[test]
fn an_upload_the_relay_could_not_store_goes_again_under_the_same_id() {
    let key = device(1);
    let (mut doc, _) = founded(&key);
    let (mut sync, _) = DossierSync::new(&secret(), 0, key, None, &mut doc);
    sync.connected();
    let dossier = secret().dossier_id();
    let step = sync.handle(
        &mut doc,
        Message::Blobs {
            dossier,
            items: Vec::new(),
            complete: true,
        },
    );
    let first = match step.send.as_slice() {
        [Message::Append { id, .. }] => *id,
        other => panic!("expected an append, got {other:?}"),
    };
    let step = sync.handle(
        &mut doc,
        Message::Error {
            code: driehoek_wire::message::ErrorCode::Overloaded,
            message: "try again later".into(),
            dossier: Some(dossier),
        },
    );
    assert!(step.send.is_empty(), "not at once");
    assert_eq!(step.problems.len(), 1);
    match sync.poll(&mut doc).send.as_slice() {
        [Message::Append { id, .. }] => assert_eq!(*id, first),
        other => panic!("expected the same append again, got {other:?}"),
    }
}

#[test]
fn a_full_relay_or_a_missing_creation_code_holds_the_upload_until_the_next_connection() {
    use driehoek_wire::message::ErrorCode;
    for code in [
        ErrorCode::QuotaExceeded,
        ErrorCode::CreationCodeRequired,
        ErrorCode::CreationCodeWrong,
    ] {
        let key = device(1);
        let (mut doc, _) = founded(&key);
        let (mut sync, _) = DossierSync::new(&secret(), 0, key, None, &mut doc);
        let dossier = secret().dossier_id();
        let refusal = Message::Error {
            code,
            message: "no".into(),
            dossier: Some(dossier),
        };
        assert_eq!(sync.connected().len(), 1, "subscribes");
        // A new dossier is refused at its Subscribe already.
        let step = sync.handle(&mut doc, refusal.clone());
        assert!(step.send.is_empty(), "{code:?}: nothing right after");
        assert_eq!(sync.status(), SyncStatus::Refused(code));
        assert!(
            sync.poll(&mut doc).send.is_empty(),
            "{code:?}: no retry loop"
        );

        // The next connection tries again, and what was written goes up.
        sync.disconnected();
        assert_eq!(sync.status(), SyncStatus::Offline);
        assert!(matches!(
            sync.connected().as_slice(),
            [Message::Subscribe { .. }]
        ));
        let step = sync.handle(
            &mut doc,
            Message::Blobs {
                dossier,
                items: Vec::new(),
                complete: true,
            },
        );
        let first = match step.send.as_slice() {
            [Message::Append { id, .. }] => *id,
            other => panic!("{code:?}: expected an append, got {other:?}"),
        };
        // Refused at the Append this time (the relay filled up meanwhile):
        // held again, and sent under the same id on the connection after.
        sync.handle(&mut doc, refusal);
        assert_eq!(sync.status(), SyncStatus::Refused(code));
        sync.disconnected();
        sync.connected();
        let step = sync.handle(
            &mut doc,
            Message::Blobs {
                dossier,
                items: Vec::new(),
                complete: true,
            },
        );
        match step.send.as_slice() {
            [Message::Append { id, .. }] => assert_eq!(*id, first, "{code:?}"),
            other => panic!("{code:?}: expected the same append, got {other:?}"),
        }
    }
}

#[test]
fn a_wrong_token_stays_refused_after_reconnecting() {
    let key = device(1);
    let (mut doc, _) = founded(&key);
    let (mut sync, _) = DossierSync::new(&secret(), 0, key, None, &mut doc);
    sync.connected();
    let code = driehoek_wire::message::ErrorCode::Unauthorized;
    sync.handle(
        &mut doc,
        Message::Error {
            code,
            message: "not yours".into(),
            dossier: Some(secret().dossier_id()),
        },
    );
    sync.disconnected();
    assert_eq!(sync.status(), SyncStatus::Refused(code));
    assert!(sync.connected().is_empty());
}
