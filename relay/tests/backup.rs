//! Backups while devices append, and restores: every blob acknowledged
//! before a backup began is in it, under its seq, with its bytes; a restore
//! never runs under a live relay and never throws a store away.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

mod common;

use std::{
    collections::BTreeMap,
    path::Path,
    process::{Command, Output},
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use common::{Device, LIMIT, append_id, dossier, start, token};
use driehoek_relay::{backup, wire::Message};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::Mutex;
use tokio_tungstenite::tungstenite::Message as WsMessage;

fn blob_bytes(n: u64) -> Vec<u8> {
    let mut bytes = format!("blob {n} ").into_bytes();
    bytes.resize(512, (n % 251) as u8);
    bytes
}

fn relay_binary(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_driehoek-relay"))
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run the relay binary")
}

/// Every live row of dossier 1 after a start on `data`: seq -> bytes,
/// checked to be contiguous from 1.
async fn stored_blobs(dir: &Path) -> BTreeMap<u64, Vec<u8>> {
    let relay = start(dir, |_| {}).await;
    let mut device = Device::connect(relay.addr).await;
    let backlog = device.subscribe(dossier(1), &token(1), 0).await;
    drop(device);
    relay.stop().await;
    let stored: BTreeMap<u64, Vec<u8>> = backlog
        .items
        .into_iter()
        .map(|item| (item.seq, item.bytes))
        .collect();
    let seqs: Vec<u64> = stored.keys().copied().collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>());
    stored
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_during_appends_restores_to_a_store_with_every_blob_acked_before_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |_| {}).await;
    let device = Device::connect(relay.addr).await;
    let (mut sink, mut stream) = device.socket.split();
    let stop_sending = Arc::new(AtomicBool::new(false));
    let sending = {
        let stop_sending = Arc::clone(&stop_sending);
        tokio::spawn(async move {
            let mut n = 0u64;
            // Bounded: far more than the test needs, so it ends by itself.
            while !stop_sending.load(Ordering::SeqCst) && n < 200_000 {
                n += 1;
                let append = Message::Append {
                    dossier: dossier(1),
                    token: token(1),
                    id: append_id(n),
                    bytes: blob_bytes(n),
                };
                if sink
                    .send(WsMessage::Binary(append.encode().into()))
                    .await
                    .is_err()
                {
                    break;
                }
            }
            n
        })
    };
    let acked = Arc::new(Mutex::new(BTreeMap::<u64, u64>::new()));
    let collecting = {
        let acked = Arc::clone(&acked);
        tokio::spawn(async move {
            while let Ok(Some(Ok(WsMessage::Binary(bytes)))) =
                tokio::time::timeout(LIMIT, stream.next()).await
            {
                match Message::decode(&bytes) {
                    Some(Message::Ack { id, seq }) => {
                        let n = u64::from_be_bytes(id.0[..8].try_into().expect("8 bytes"));
                        acked.lock().await.insert(n, seq);
                    }
                    other => panic!("expected acks, got {other:?}"),
                }
            }
        })
    };
    let deadline = tokio::time::Instant::now() + LIMIT;
    while acked.lock().await.len() < 300 {
        assert!(tokio::time::Instant::now() < deadline, "too few acks");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    let target = dir.path().join("backups/relay-backup.sqlite3");
    std::fs::create_dir_all(target.parent().expect("parent")).expect("backups");
    let data = dir.path().join("data");
    // A backup is over in milliseconds; on a slow disk one commit of the
    // relay (with its fsync) can outlast it, so no ack arrives while it
    // runs. Each try is a complete backup; a few tries make sure one ran
    // while appends were being acknowledged.
    let mut tries = 0;
    let (before, output, during) = loop {
        tries += 1;
        let before = acked.lock().await.clone();
        let output = tokio::task::spawn_blocking({
            let (data, target) = (data.clone(), target.clone());
            move || {
                relay_binary(&[
                    "backup".as_ref(),
                    target.as_os_str(),
                    "--data-dir".as_ref(),
                    data.as_os_str(),
                ])
            }
        })
        .await
        .expect("backup ran");
        let during = acked.lock().await.len() - before.len();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        if during > 0 || tries == 5 {
            break (before, output, during);
        }
    };
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("backup written to"), "{said}");
    assert!(said.contains("ciphertext"), "{said}");

    stop_sending.store(true, Ordering::SeqCst);
    let sent = tokio::time::timeout(LIMIT, sending)
        .await
        .expect("sender ends")
        .expect("sender");
    relay.stop().await;
    let _ = tokio::time::timeout(LIMIT, collecting).await;
    assert!(
        during > 0,
        "no append was acknowledged while the backup ran: nothing concurrent was tested"
    );
    let all_acked = acked.lock().await.clone();
    assert!(all_acked.len() as u64 <= sent);

    let restored_dir = dir.path().join("restored");
    let output = relay_binary(&[
        "restore".as_ref(),
        target.as_os_str(),
        "--data-dir".as_ref(),
        restored_dir.join("data").as_os_str(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let restored = stored_blobs(&restored_dir).await;
    for (&n, &seq) in &before {
        assert_eq!(
            restored.get(&seq),
            Some(&blob_bytes(n)),
            "blob {n}, acked before the backup as seq {seq}, is not in it"
        );
    }
    // What the backup holds beyond those is what the relay held then: each
    // is a blob a device sent, under the seq the relay gave it.
    for (&n, &seq) in all_acked
        .iter()
        .filter(|(_, seq)| restored.contains_key(seq))
    {
        assert_eq!(restored.get(&seq), Some(&blob_bytes(n)), "seq {seq}");
    }
    // The relay's own store is untouched by the backup.
    let original = stored_blobs(dir.path()).await;
    for (&n, &seq) in &all_acked {
        assert_eq!(original.get(&seq), Some(&blob_bytes(n)));
    }
    assert!(original.len() >= restored.len());
}

#[tokio::test]
async fn a_restore_refuses_a_running_relay_and_an_existing_store_without_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |_| {}).await;
    let mut device = Device::connect(relay.addr).await;
    for n in 1..=3 {
        device
            .append(dossier(1), &token(1), n, &blob_bytes(n))
            .await;
    }
    let data = dir.path().join("data");
    let target = dir.path().join("backup.sqlite3");
    let summary = backup::backup(&data, &target).expect("backup");
    assert_eq!((summary.dossiers, summary.blobs), (1, 3));
    assert_eq!(summary.blob_bytes, 3 * 512);

    match backup::restore(&data, &target, true) {
        Err(err @ backup::BackupError::Store(_)) => {
            assert!(err.to_string().contains("another relay"), "{err}");
        }
        other => panic!("a restore under a running relay must be refused: {other:?}"),
    }
    // Written after the backup: only in the live store.
    device
        .append(dossier(1), &token(1), 4, &blob_bytes(4))
        .await;
    drop(device);
    relay.stop().await;

    match backup::restore(&data, &target, false) {
        Err(err @ backup::BackupError::Exists { .. }) => {
            assert!(err.to_string().contains("--force"), "{err}");
        }
        other => panic!("expected a refusal without --force, got {other:?}"),
    }
    assert_eq!(stored_blobs(dir.path()).await.len(), 4);

    backup::restore(&data, &target, true).expect("restore with force");
    assert_eq!(stored_blobs(dir.path()).await.len(), 3);
    // The store it replaced is kept beside it, whole.
    let kept: Vec<_> = std::fs::read_dir(&data)
        .expect("list")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("relay.sqlite3.replaced-") && !name.contains("-wal"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let aside = dir.path().join("aside");
    std::fs::create_dir_all(aside.join("data")).expect("aside");
    std::fs::copy(data.join(&kept[0]), aside.join("data/relay.sqlite3")).expect("copy");
    assert_eq!(stored_blobs(&aside).await.len(), 4);
}

#[test]
fn a_backup_without_a_store_or_of_a_file_that_is_no_store_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    match backup::backup(&dir.path().join("nothing"), &dir.path().join("b")) {
        Err(err @ backup::BackupError::NoStore { .. }) => {
            assert!(err.to_string().contains("--data-dir"), "{err}");
        }
        other => panic!("expected no store, got {other:?}"),
    }
    let garbage = dir.path().join("garbage");
    std::fs::write(&garbage, b"this is not a database at all, not even close").expect("write");
    assert!(matches!(
        backup::restore(&dir.path().join("data"), &garbage, false),
        Err(backup::BackupError::NotAStore { .. })
    ));
    assert!(!dir.path().join("data/relay.sqlite3").exists());
    let output = relay_binary(&[
        "backup".as_ref(),
        dir.path().join("b").as_os_str(),
        "--data-dir".as_ref(),
        dir.path().join("nothing").as_os_str(),
    ]);
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.starts_with("driehoek-relay: no store at"), "{said}");
    assert_eq!(said.lines().count(), 1, "{said}");
}
