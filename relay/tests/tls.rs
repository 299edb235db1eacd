//! HTTPS and `wss:` served by the relay itself, with certificates made in
//! each test (rcgen): the app and its headers, the sync protocol, clients
//! that never finish a handshake, refusals to start, and a renewed
//! certificate taken up on SIGHUP by the running binary.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

mod common;

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::Arc,
    time::Duration,
};

use common::{LIMIT, append_id, dossier, token};
use driehoek_relay::{RelayError, tls::TlsError, wire::Message};
use futures_util::{SinkExt, StreamExt};
use rustls::{
    ClientConfig, RootCertStore,
    pki_types::{CertificateDer, ServerName},
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};
use tokio_rustls::{TlsConnector, client::TlsStream};
use tokio_tungstenite::tungstenite::Message as WsMessage;

const WASM_NAME: &str = "driehoek-0123456789abcdef_bg.wasm";

struct TestCert {
    cert: PathBuf,
    key: PathBuf,
    der: CertificateDer<'static>,
}

/// A self-signed certificate for 127.0.0.1 and localhost, as files.
fn make_cert(dir: &Path, name: &str) -> TestCert {
    let made =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .expect("certificate");
    let cert = dir.join(format!("{name}.crt"));
    let key = dir.join(format!("{name}.key"));
    std::fs::write(&cert, made.cert.pem()).expect("write cert");
    std::fs::write(&key, made.signing_key.serialize_pem()).expect("write key");
    TestCert {
        cert,
        key,
        der: made.cert.der().clone(),
    }
}

/// A client that trusts only `trusted`.
fn client(trusted: &CertificateDer<'static>) -> TlsConnector {
    let mut roots = RootCertStore::empty();
    roots.add(trusted.clone()).expect("root");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
}

async fn tls_connect(
    addr: SocketAddr,
    connector: &TlsConnector,
) -> std::io::Result<TlsStream<TcpStream>> {
    let tcp = TcpStream::connect(addr).await?;
    let name = ServerName::IpAddress(addr.ip().into());
    tokio::time::timeout(LIMIT, connector.connect(name, tcp))
        .await
        .map_err(|_| std::io::Error::other("handshake timed out"))?
}

struct HttpResponse {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl HttpResponse {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }
}

async fn https_get(addr: SocketAddr, connector: &TlsConnector, path: &str) -> HttpResponse {
    let exchange = async {
        let mut stream = tls_connect(addr, connector).await.expect("tls connect");
        let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut raw = Vec::new();
        // Read to the end; a peer that closes without close_notify still
        // sent a whole response (Connection: close).
        let mut chunk = [0u8; 8192];
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => raw.extend_from_slice(&chunk[..n]),
            }
        }
        raw
    };
    let raw = tokio::time::timeout(LIMIT, exchange)
        .await
        .expect("response in time");
    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("status");
    HttpResponse {
        status,
        head,
        body: raw[split + 4..].to_vec(),
    }
}

fn write_app(dist: &Path) {
    std::fs::create_dir_all(dist).expect("dist");
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><script type=\"module\">await import('/app.js');</script>",
    )
    .expect("index");
    std::fs::write(dist.join(WASM_NAME), b"\0asm\x01\0\0\0").expect("wasm");
    std::fs::write(
        dist.join("sw.js"),
        "self.addEventListener('fetch', () => {});",
    )
    .expect("sw");
}

async fn start_tls(dir: &Path, cert: &TestCert) -> common::Relay {
    write_app(&dir.join("dist"));
    let (cert, key) = (cert.cert.clone(), cert.key.clone());
    common::start(dir, move |config| {
        config.tls_cert = Some(cert);
        config.tls_key = Some(key);
    })
    .await
}

#[tokio::test]
async fn the_app_is_served_over_tls_with_hsts_and_a_wss_sync_endpoint_in_its_policy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cert = make_cert(dir.path(), "server");
    let relay = start_tls(dir.path(), &cert).await;
    let connector = client(&cert.der);
    let page = https_get(relay.addr, &connector, "/").await;
    assert_eq!(page.status, 200);
    assert!(String::from_utf8_lossy(&page.body).contains("import('/app.js')"));
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"));
    let csp = page.header("content-security-policy").expect("csp");
    assert!(
        csp.contains(&format!("connect-src 'self' wss://{};", relay.addr)),
        "{csp}"
    );
    assert!(csp.contains("'sha256-"), "{csp}");
    for (path, cache) in [
        (
            format!("/{WASM_NAME}"),
            "public, max-age=31536000, immutable",
        ),
        ("/sw.js".to_owned(), "no-store"),
        ("/dossier/abc".to_owned(), "no-store"),
    ] {
        let response = https_get(relay.addr, &connector, &path).await;
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.header("cache-control").as_deref(), Some(cache));
        assert_eq!(
            response.header("strict-transport-security").as_deref(),
            Some("max-age=31536000"),
            "{path}"
        );
        assert_eq!(
            response.header("referrer-policy").as_deref(),
            Some("no-referrer")
        );
        assert_eq!(
            response.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
        assert!(
            response
                .header("content-security-policy")
                .is_some_and(|csp| csp.contains("frame-ancestors 'none'")),
            "{path}"
        );
    }
    relay.stop().await;
}

#[tokio::test]
async fn devices_sync_over_wss() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cert = make_cert(dir.path(), "server");
    let relay = start_tls(dir.path(), &cert).await;
    let connector = client(&cert.der);
    let url = format!("wss://{}/sync", relay.addr);
    let mut sockets = Vec::new();
    for _ in 0..2 {
        let stream = tls_connect(relay.addr, &connector).await.expect("tls");
        let (mut socket, _) =
            tokio::time::timeout(LIMIT, tokio_tungstenite::client_async(url.as_str(), stream))
                .await
                .expect("upgrade in time")
                .expect("websocket");
        let hello = Message::hello(None);
        assert_eq!(next_message(&mut socket).await, Some(hello.clone()));
        socket
            .send(WsMessage::Binary(hello.encode().into()))
            .await
            .expect("hello");
        sockets.push(socket);
    }
    let (first, second) = sockets.split_at_mut(1);
    let (writer, reader) = (&mut first[0], &mut second[0]);
    let subscribe = Message::Subscribe {
        dossier: dossier(1),
        token: token(1),
        after_seq: 0,
    };
    reader
        .send(WsMessage::Binary(subscribe.encode().into()))
        .await
        .expect("subscribe");
    assert!(matches!(
        next_message(reader).await,
        Some(Message::Blobs { complete: true, .. })
    ));
    let append = Message::Append {
        dossier: dossier(1),
        token: token(1),
        id: append_id(1),
        bytes: b"ciphertext".to_vec(),
    };
    writer
        .send(WsMessage::Binary(append.encode().into()))
        .await
        .expect("append");
    assert_eq!(
        next_message(writer).await,
        Some(Message::Ack {
            id: append_id(1),
            seq: 1
        })
    );
    assert_eq!(
        next_message(reader).await,
        Some(Message::Blob {
            dossier: dossier(1),
            seq: 1,
            bytes: b"ciphertext".to_vec()
        })
    );
    relay.stop().await;
}

async fn next_message<S>(socket: &mut tokio_tungstenite::WebSocketStream<S>) -> Option<Message>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    loop {
        let frame = tokio::time::timeout(LIMIT, socket.next())
            .await
            .expect("frame in time");
        match frame {
            Some(Ok(WsMessage::Binary(bytes))) => return Message::decode(&bytes),
            Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_))) => continue,
            _ => return None,
        }
    }
}

#[tokio::test]
async fn silent_and_plain_http_clients_do_not_hold_up_a_tls_client() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cert = make_cert(dir.path(), "server");
    let relay = start_tls(dir.path(), &cert).await;
    // Connections that never finish a handshake, up to a handful.
    let mut silent = Vec::new();
    for _ in 0..8 {
        silent.push(TcpStream::connect(relay.addr).await.expect("connect"));
    }
    let mut plain = TcpStream::connect(relay.addr).await.expect("connect");
    plain
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(LIMIT, plain.read_to_end(&mut answer)).await;
    assert!(
        !String::from_utf8_lossy(&answer).contains("HTTP/1.1 200"),
        "plain HTTP must not get the app from the TLS port"
    );
    let started = tokio::time::Instant::now();
    let page = https_get(relay.addr, &client(&cert.der), "/").await;
    assert_eq!(page.status, 200);
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(silent);
    relay.stop().await;
}

#[tokio::test]
async fn the_relay_refuses_to_start_with_a_missing_unreadable_or_mismatched_certificate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = make_cert(dir.path(), "first");
    let second = make_cert(dir.path(), "second");
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "not a certificate").expect("write");
    let cases: [(PathBuf, PathBuf, IsExpected); 4] = [
        (dir.path().join("missing.crt"), first.key.clone(), |err| {
            matches!(err, TlsError::Read { .. })
        }),
        (garbage.clone(), first.key.clone(), |err| {
            matches!(err, TlsError::NoCertificate { .. })
        }),
        (first.cert.clone(), garbage.clone(), |err| {
            matches!(err, TlsError::NoKey { .. })
        }),
        // The key of another certificate.
        (first.cert.clone(), second.key.clone(), |err| {
            matches!(err, TlsError::Rejected(_))
        }),
    ];
    for (cert, key, expected) in cases {
        let mut config = common::config(dir.path());
        config.tls_cert = Some(cert.clone());
        config.tls_key = Some(key.clone());
        match driehoek_relay::prepare(&config).await {
            Err(RelayError::Tls(err)) => {
                assert!(expected(&err), "{cert:?} {key:?}: {err}");
                assert!(!err.to_string().contains('\n'));
            }
            other => panic!("{cert:?} {key:?}: expected a tls error, got {other:?}"),
        }
    }
    let mut config = common::config(dir.path());
    config.tls_cert = Some(first.cert.clone());
    assert!(matches!(
        driehoek_relay::prepare(&config).await,
        Err(RelayError::TlsPair)
    ));
}

/// Whether an error is the one a case expects.
type IsExpected = fn(&TlsError) -> bool;

struct RelayProcess {
    child: Child,
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

fn hangup(child: &Child) {
    let status = Command::new("kill")
        .arg("-HUP")
        .arg(child.id().to_string())
        .status()
        .expect("kill -HUP");
    assert!(status.success());
}

/// Whether a client that trusts only `cert` completes a handshake now.
async fn serves(addr: SocketAddr, cert: &TestCert) -> bool {
    tls_connect(addr, &client(&cert.der)).await.is_ok()
}

/// Polls until the relay serves `cert`; every poll ends by itself.
async fn wait_until_served(addr: SocketAddr, cert: &TestCert) {
    let deadline = tokio::time::Instant::now() + LIMIT;
    while !serves(addr, cert).await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the relay did not take up the new certificate"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn sighup_makes_the_running_relay_serve_a_renewed_certificate_and_a_broken_one_changes_nothing()
 {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = make_cert(dir.path(), "old");
    let new = make_cert(dir.path(), "new");
    let live_cert = dir.path().join("live.crt");
    let live_key = dir.path().join("live.key");
    std::fs::copy(&old.cert, &live_cert).expect("copy");
    std::fs::copy(&old.key, &live_key).expect("copy");
    let addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
    let child = Command::new(env!("CARGO_BIN_EXE_driehoek-relay"))
        .arg("--listen")
        .arg(addr.to_string())
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .arg("--dist")
        .arg(dir.path().join("no-dist"))
        .env("DRIEHOEK_TLS_CERT", &live_cert)
        .env("DRIEHOEK_TLS_KEY", &live_key)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the relay binary");
    let mut relay = RelayProcess { child };
    let deadline = tokio::time::Instant::now() + LIMIT;
    while TcpStream::connect(addr).await.is_err() {
        if let Ok(Some(status)) = relay.child.try_wait() {
            panic!("the relay exited at start: {status}");
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "relay not listening"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let old_cert = TestCert {
        cert: live_cert.clone(),
        key: live_key.clone(),
        der: old.der.clone(),
    };
    assert!(serves(addr, &old_cert).await);
    assert!(!serves(addr, &new).await);
    // A connection opened before the renewal stays usable after it.
    let mut before = tls_connect(addr, &client(&old.der)).await.expect("tls");

    std::fs::copy(&new.cert, &live_cert).expect("renew");
    std::fs::copy(&new.key, &live_key).expect("renew");
    hangup(&relay.child);
    wait_until_served(addr, &new).await;
    assert!(!serves(addr, &old_cert).await);
    before
        .write_all(b"GET /missing.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("write on the old connection");
    let mut answer = [0u8; 12];
    tokio::time::timeout(LIMIT, before.read_exact(&mut answer))
        .await
        .expect("answer in time")
        .expect("read");
    assert_eq!(&answer, b"HTTP/1.1 404");

    // A half-written renewal: the relay keeps serving what it has.
    std::fs::write(&live_cert, "-----BEGIN CERTIFICATE-----\ntruncated").expect("break");
    hangup(&relay.child);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        relay.child.try_wait().expect("status").is_none(),
        "the relay must survive a bad reload"
    );
    assert!(serves(addr, &new).await);
}
