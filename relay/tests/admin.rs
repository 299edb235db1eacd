//! The operator's address: `/healthz` follows whether the store can take
//! writes, and `/metrics` counts what happened, in the Prometheus format.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

mod common;

use std::{
    net::SocketAddr,
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

use common::{Device, LIMIT, dossier, token};
use driehoek_relay::{
    Config, RelayError,
    store::{
        Appended, Authorized, BlobStore, Compaction, Cursor, DossierStats, MemoryStore, NewBlob,
        Page, Registration, StoreError, Timestamp, TokenHash, Totals,
    },
    wire::ErrorCode,
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    sync::oneshot,
};

async fn get(addr: SocketAddr, path: &str) -> (u16, String, String) {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.expect("read");
        String::from_utf8_lossy(&raw).into_owned()
    };
    let raw = tokio::time::timeout(LIMIT, exchange)
        .await
        .expect("response in time");
    let (head, body) = raw.split_once("\r\n\r\n").expect("header end");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("status");
    (status, head.to_owned(), body.to_owned())
}

/// The value of one metric line (exact name and labels).
fn metric(body: &str, series: &str) -> Option<f64> {
    body.lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

struct Running {
    addr: SocketAddr,
    admin: SocketAddr,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<(), RelayError>>,
}

impl Running {
    async fn stop(self) {
        let _ = self.stop.send(());
        let result = tokio::time::timeout(LIMIT, self.task).await;
        assert!(matches!(result, Ok(Ok(Ok(())))), "{result:?}");
    }
}

fn admin_config(dir: &Path) -> Config {
    let mut config = common::config(dir);
    config.admin_listen = Some("127.0.0.1:0".parse().expect("address"));
    config
}

async fn start(config: Config, store: Option<Arc<dyn BlobStore>>) -> Running {
    let bound = driehoek_relay::prepare(&config).await.expect("prepare");
    let addr = bound.local_addr().expect("addr");
    let admin = bound.admin_addr().expect("admin address");
    let (stop, stopped) = oneshot::channel::<()>();
    let shutdown = async move {
        let _ = stopped.await;
    };
    let task = match store {
        Some(store) => tokio::spawn(driehoek_relay::serve_with_store(
            bound, config, store, shutdown,
        )),
        None => tokio::spawn(driehoek_relay::serve(bound, config, shutdown)),
    };
    Running {
        addr,
        admin,
        stop,
        task,
    }
}

#[tokio::test]
async fn health_and_metrics_are_off_unless_an_admin_address_is_given() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = common::config(dir.path());
    assert_eq!(Config::default().admin_listen, None);
    let bound = driehoek_relay::prepare(&config).await.expect("prepare");
    assert_eq!(bound.admin_addr(), None);
}

#[tokio::test]
async fn healthz_is_ready_and_metrics_count_connections_appends_bytes_and_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(admin_config(dir.path()), None).await;
    let (status, head, body) = get(relay.admin, "/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ready\n"));
    assert!(head.contains("nosniff"), "{head}");

    let mut device = Device::connect(relay.addr).await;
    device.append(dossier(1), &token(1), 1, b"0123456789").await;
    device.append(dossier(1), &token(1), 2, b"abc").await;
    // A resend after a lost Ack, and a wrong token.
    device.append(dossier(1), &token(1), 2, b"abc").await;
    device
        .send(&driehoek_relay::wire::Message::Subscribe {
            dossier: dossier(1),
            token: token(9),
            after_seq: 0,
        })
        .await;
    device
        .expect_dossier_error(dossier(1), ErrorCode::Unauthorized)
        .await;

    let (status, head, body) = get(relay.admin, "/metrics").await;
    assert_eq!(status, 200);
    assert!(head.contains("text/plain; version=0.0.4"), "{head}");
    for (series, value) in [
        ("driehoek_relay_ready", 1.0),
        ("driehoek_relay_connections_open", 1.0),
        ("driehoek_relay_connections_total", 1.0),
        ("driehoek_relay_dossiers", 1.0),
        ("driehoek_relay_dossiers_registered_total", 1.0),
        ("driehoek_relay_appends_total", 2.0),
        ("driehoek_relay_duplicate_appends_total", 1.0),
        ("driehoek_relay_appended_bytes_total", 13.0),
        ("driehoek_relay_stored_bytes", 13.0),
        ("driehoek_relay_errors_total{kind=\"unauthorized\"}", 1.0),
        ("driehoek_relay_errors_total{kind=\"quota-exceeded\"}", 0.0),
        ("driehoek_relay_append_seconds_count", 3.0),
    ] {
        assert_eq!(metric(&body, series), Some(value), "{series} in\n{body}");
    }
    assert!(metric(&body, "driehoek_relay_commit_seconds_count").is_some_and(|n| n >= 1.0));
    assert!(metric(&body, "driehoek_relay_sent_bytes_total").is_some_and(|n| n > 0.0));
    // The public address does not serve them.
    let (_, _, public) = get(relay.addr, "/metrics").await;
    assert!(!public.contains("driehoek_relay_"), "{public}");
    drop(device);
    relay.stop().await;
}

#[tokio::test]
async fn healthz_turns_unready_when_the_data_directory_can_no_longer_take_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = admin_config(dir.path());
    let data = config.data_dir.clone();
    let relay = start(config, None).await;
    assert_eq!(get(relay.admin, "/healthz").await.0, 200);
    // The folder gone from under the relay (an unmounted disk, say): a
    // file where it was, which not even root can create files in.
    let moved = dir.path().join("moved-away");
    std::fs::rename(&data, &moved).expect("move");
    std::fs::write(&data, b"not a folder").expect("block");
    let (status, _, body) = get(relay.admin, "/healthz").await;
    assert_eq!(status, 503, "{body}");
    assert!(body.starts_with("not ready: "), "{body}");
    assert!(body.contains("not writable"), "{body}");
    let (_, _, metrics) = get(relay.admin, "/metrics").await;
    assert_eq!(metric(&metrics, "driehoek_relay_ready"), Some(0.0));

    std::fs::remove_file(&data).expect("unblock");
    std::fs::rename(&moved, &data).expect("move back");
    assert_eq!(get(relay.admin, "/healthz").await.0, 200);
    relay.stop().await;
}

/// The in-memory store, with a switch that makes every write fail as a
/// full or failed disk would.
#[derive(Default)]
struct BreakableStore {
    inner: MemoryStore,
    broken: AtomicBool,
}

impl BreakableStore {
    fn check(&self) -> Result<(), StoreError> {
        if self.broken.load(Ordering::SeqCst) {
            Err(StoreError::Damaged("the disk refuses writes"))
        } else {
            Ok(())
        }
    }
}

impl BlobStore for BreakableStore {
    fn authorize_with(
        &self,
        dossier: driehoek_wire::keys::DossierId,
        token: &TokenHash,
        registration: Registration,
    ) -> Result<Authorized, StoreError> {
        self.inner.authorize_with(dossier, token, registration)
    }
    fn totals(&self) -> Result<Totals, StoreError> {
        self.inner.totals()
    }
    fn probe_write(&self) -> Result<(), StoreError> {
        self.check()?;
        self.inner.probe_write()
    }
    fn append_batch(
        &self,
        blobs: &[NewBlob],
        max_dossier_bytes: u64,
    ) -> Result<Vec<Result<Appended, StoreError>>, StoreError> {
        self.check()?;
        self.inner.append_batch(blobs, max_dossier_bytes)
    }
    fn read_page(
        &self,
        dossier: driehoek_wire::keys::DossierId,
        after: Cursor,
        max_bytes: usize,
    ) -> Result<Page, StoreError> {
        self.inner.read_page(dossier, after, max_bytes)
    }
    fn compact(
        &self,
        compaction: &Compaction,
        max_dossier_bytes: u64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.check()?;
        self.inner.compact(compaction, max_dossier_bytes, now)
    }
    fn stats(&self, dossier: driehoek_wire::keys::DossierId) -> Result<DossierStats, StoreError> {
        self.inner.stats(dossier)
    }
    fn replaced_bytes(&self, dossier: driehoek_wire::keys::DossierId) -> Result<u64, StoreError> {
        self.inner.replaced_bytes(dossier)
    }
    fn purge(&self, before: Timestamp, limit: usize) -> Result<usize, StoreError> {
        self.check()?;
        self.inner.purge(before, limit)
    }
    fn retire(
        &self,
        dossier: driehoek_wire::keys::DossierId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.check()?;
        self.inner.retire(dossier, now)
    }
}

#[tokio::test]
async fn healthz_turns_unready_while_the_store_refuses_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(BreakableStore::default());
    let relay = start(
        admin_config(dir.path()),
        Some(Arc::clone(&store) as Arc<dyn BlobStore>),
    )
    .await;
    assert_eq!(get(relay.admin, "/healthz").await.0, 200);
    store.broken.store(true, Ordering::SeqCst);
    let (status, _, body) = get(relay.admin, "/healthz").await;
    assert_eq!(status, 503);
    assert!(body.contains("the store refused a write"), "{body}");
    // A device is told to try again later, not that its blob is stored.
    let mut device = Device::connect(relay.addr).await;
    device
        .send(&driehoek_relay::wire::Message::Append {
            dossier: dossier(1),
            token: token(1),
            id: common::append_id(1),
            bytes: b"x".to_vec(),
        })
        .await;
    device
        .expect_dossier_error(dossier(1), ErrorCode::Overloaded)
        .await;
    let (_, _, metrics) = get(relay.admin, "/metrics").await;
    assert!(metric(&metrics, "driehoek_relay_store_failures_total").is_some_and(|n| n >= 2.0));
    store.broken.store(false, Ordering::SeqCst);
    assert_eq!(get(relay.admin, "/healthz").await.0, 200);
    drop(device);
    relay.stop().await;
}
