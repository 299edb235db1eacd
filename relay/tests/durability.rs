//! An Ack is a promise: the blob is on disk. Checked by killing the relay
//! binary (SIGKILL) in the middle of a burst of appends, and by a graceful
//! shutdown of the in-process relay, each followed by a restart on the same
//! data.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

mod common;

use std::{
    collections::BTreeMap,
    net::{SocketAddr, TcpListener},
    path::Path,
    process::{Child, Command, Stdio},
    time::Duration,
};

use common::{Device, LIMIT, append_id, dossier, start, token};
use driehoek_relay::wire::Message;
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message as WsMessage;

fn blob_bytes(n: u64) -> Vec<u8> {
    let mut bytes = format!("blob {n} ").into_bytes();
    bytes.resize(1024, (n % 251) as u8);
    bytes
}

/// A port that was free a moment ago (a binary cannot report the port it
/// got for `:0`).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

struct RelayProcess {
    child: Child,
    addr: SocketAddr,
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn spawn_relay(data_dir: &Path, port: u16) -> RelayProcess {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let child = Command::new(env!("CARGO_BIN_EXE_driehoek-relay"))
        .arg("--listen")
        .arg(addr.to_string())
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--dist")
        .arg(data_dir.join("no-dist"))
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the relay binary");
    let mut relay = RelayProcess { child, addr };
    let deadline = tokio::time::Instant::now() + LIMIT;
    loop {
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            return relay;
        }
        if let Ok(Some(status)) = relay.child.try_wait() {
            panic!("the relay exited at start: {status}");
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "relay not listening"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Sends `count` appends as fast as the socket takes them while collecting
/// Acks; calls `midway` once `trigger` Acks are in, then reads Acks until
/// the relay is gone. Answers append id -> acked seq.
async fn burst(
    device: Device,
    count: u64,
    trigger: usize,
    midway: impl FnOnce(),
) -> BTreeMap<u64, u64> {
    let (mut sink, mut stream) = device.socket.split();
    let sending = tokio::spawn(async move {
        for n in 1..=count {
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
        sink
    });
    let mut acked = BTreeMap::new();
    let mut midway = Some(midway);
    loop {
        let frame = tokio::time::timeout(LIMIT, stream.next())
            .await
            .expect("frame in time");
        let Some(Ok(WsMessage::Binary(bytes))) = frame else {
            break;
        };
        match Message::decode(&bytes) {
            Some(Message::Ack { id, seq }) => {
                let n = u64::from_be_bytes(id.0[..8].try_into().expect("8 bytes"));
                acked.insert(n, seq);
            }
            other => panic!("expected acks, got {other:?}"),
        }
        if acked.len() >= trigger
            && let Some(midway) = midway.take()
        {
            midway();
        }
        if acked.len() as u64 == count && midway.is_none() {
            break;
        }
    }
    let _ = tokio::time::timeout(LIMIT, sending).await;
    acked
}

/// Every acked append is in the log under its seq with its bytes, and the
/// log's seqs are contiguous from 1.
async fn assert_all_acked_are_stored(addr: SocketAddr, acked: &BTreeMap<u64, u64>) {
    let mut device = Device::connect(addr).await;
    let backlog = device.subscribe(dossier(1), &token(1), 0).await;
    let stored: BTreeMap<u64, Vec<u8>> = backlog
        .items
        .iter()
        .map(|item| (item.seq, item.bytes.clone()))
        .collect();
    let seqs: Vec<u64> = stored.keys().copied().collect();
    let contiguous: Vec<u64> = (1..=seqs.len() as u64).collect();
    assert_eq!(seqs, contiguous);
    for (&n, &seq) in acked {
        assert_eq!(
            stored.get(&seq),
            Some(&blob_bytes(n)),
            "acked append {n} (seq {seq}) is missing or changed"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acked_blob_survives_a_sigkill_of_the_relay() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let mut relay = spawn_relay(&data, free_port()).await;
    let device = Device::connect(relay.addr).await;
    const COUNT: u64 = 3000;
    let child = &mut relay.child;
    let acked = burst(device, COUNT, 50, || {
        child.kill().expect("SIGKILL");
    })
    .await;
    let _ = relay.child.wait();
    assert!(acked.len() >= 50);
    assert!(
        (acked.len() as u64) < COUNT,
        "the burst ended before the kill; nothing was tested mid-burst"
    );
    // The data directory is as the killed process left it: no clean close.
    drop(relay);

    let restarted = spawn_relay(&data, free_port()).await;
    assert_all_acked_are_stored(restarted.addr, &acked).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blobs_acked_before_a_graceful_shutdown_are_there_after_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |_| {}).await;
    let addr = relay.addr;
    let device = Device::connect(addr).await;
    let (stop, stopping) = tokio::sync::oneshot::channel();
    let stopper = tokio::spawn(async move {
        if stopping.await.is_ok() {
            relay.stop().await;
        }
    });
    const COUNT: u64 = 3000;
    let acked = burst(device, COUNT, 100, move || {
        let _ = stop.send(());
    })
    .await;
    tokio::time::timeout(LIMIT, stopper)
        .await
        .expect("stopped in time")
        .expect("stopper");
    assert!(acked.len() >= 100);

    let relay = start(dir.path(), |_| {}).await;
    assert_all_acked_are_stored(relay.addr, &acked).await;
    relay.stop().await;
}
