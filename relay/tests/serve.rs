//! The relay as the app and a browser see it: static files with the routing
//! rules of a single-page app and their caching and security headers, the
//! `/sync` handshake, and refusals to start.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose

use std::{net::SocketAddr, path::Path, time::Duration};

use driehoek_relay::{
    Config, RelayError,
    wire::{ErrorCode, Message},
};
use futures_util::{SinkExt, StreamExt};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    sync::oneshot,
};
use tokio_tungstenite::tungstenite::Message as WsMessage;

/// Like Trunk's output: one inline module script that starts the app.
const INDEX_HTML: &str = "<!doctype html><title>Driehoek</title>\
    <script type=\"module\">\nimport init from '/driehoek-0123456789abcdef.js';\nawait init();\n</script>\
    <link rel=\"modulepreload\" href=\"/driehoek-0123456789abcdef.js\">";
const INLINE_SCRIPT: &str = "\nimport init from '/driehoek-0123456789abcdef.js';\nawait init();\n";
const WASM_NAME: &str = "driehoek-0123456789abcdef_bg.wasm";
/// Every network wait in these tests ends by itself.
const LIMIT: Duration = Duration::from_secs(10);

struct Running {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), RelayError>>,
    _dirs: tempfile::TempDir,
}

impl Running {
    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let result = tokio::time::timeout(LIMIT, &mut self.task).await;
        assert!(
            matches!(result, Ok(Ok(Ok(())))),
            "relay did not stop cleanly"
        );
    }
}

fn config(dirs: &Path) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().expect("address"),
        data_dir: dirs.join("data"),
        dist: dirs.join("dist"),
        max_frame_bytes: 64 * 1024,
        ..Config::default()
    }
}

async fn start() -> Running {
    start_with(|_| {}).await
}

async fn start_with(configure: impl FnOnce(&mut Config)) -> Running {
    let dirs = tempfile::tempdir().expect("temp dir");
    let dist = dirs.path().join("dist");
    std::fs::create_dir_all(dist.join("icons")).expect("dist");
    std::fs::write(dist.join("index.html"), INDEX_HTML).expect("index");
    std::fs::write(dist.join(WASM_NAME), b"\0asm\x01\0\0\0").expect("wasm");
    std::fs::write(
        dist.join("sw.js"),
        "self.addEventListener('fetch', () => {});",
    )
    .expect("sw");
    std::fs::write(dist.join("icons/icon-192.png"), b"\x89PNG").expect("icon");
    std::fs::write(dirs.path().join("secret.txt"), "not for you").expect("secret");
    let mut config = config(dirs.path());
    configure(&mut config);
    let listener = driehoek_relay::prepare(&config).await.expect("prepare");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(driehoek_relay::serve(listener, config, async move {
        let _ = stopped.await;
    }));
    Running {
        addr,
        stop: Some(stop),
        task,
        _dirs: dirs,
    }
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

/// A bare HTTP/1.1 request, so the test sees exactly what a browser gets.
async fn request(addr: SocketAddr, method: &str, path: &str) -> HttpResponse {
    let host = addr.to_string();
    request_with(addr, method, path, &[("Host", &host)]).await
}

async fn request_with(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> HttpResponse {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        let mut request = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.expect("read");
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

#[tokio::test]
async fn the_app_and_its_deep_links_get_index_html_without_http_caching() {
    let relay = start().await;
    for path in ["/", "/index.html", "/dossier/abc/logbook", "/settings"] {
        let response = request(relay.addr, "GET", path).await;
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.body, INDEX_HTML.as_bytes(), "{path}");
        assert_eq!(
            response.header("content-type").as_deref(),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(
            response.header("cache-control").as_deref(),
            Some("no-store")
        );
    }
    relay.stop().await;
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_the_service_worker_is_not() {
    let relay = start().await;
    let wasm = request(relay.addr, "GET", &format!("/{WASM_NAME}")).await;
    assert_eq!(wasm.status, 200);
    assert_eq!(
        wasm.header("content-type").as_deref(),
        Some("application/wasm")
    );
    assert!(
        wasm.header("cache-control")
            .is_some_and(|value| value.contains("immutable"))
    );
    let worker = request(relay.addr, "GET", "/sw.js").await;
    assert_eq!(worker.status, 200);
    assert_eq!(worker.header("cache-control").as_deref(), Some("no-store"));
    let icon = request(relay.addr, "HEAD", "/icons/icon-192.png").await;
    assert_eq!(icon.status, 200);
    assert!(icon.body.is_empty());
    relay.stop().await;
}

/// The CSP's source list of one directive.
fn directive(csp: &str, name: &str) -> Vec<String> {
    csp.split(';')
        .map(str::trim)
        .find_map(|part| part.strip_prefix(name).filter(|rest| rest.starts_with(' ')))
        .map(|sources| sources.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn sha256_source(script: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    let digest = sha2::Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let relay = start().await;
    for path in [
        "/",
        "/dossier/abc",
        &format!("/{WASM_NAME}"),
        "/sw.js",
        "/icons/icon-192.png",
        "/missing.js",
        "/sync",
    ] {
        let response = request(relay.addr, "GET", path).await;
        assert_eq!(
            response.header("referrer-policy").as_deref(),
            Some("no-referrer"),
            "{path}"
        );
        assert_eq!(
            response.header("x-content-type-options").as_deref(),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            response.header("x-frame-options").as_deref(),
            Some("DENY"),
            "{path}"
        );
        let csp = response
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path} has no CSP"));
        assert_eq!(directive(&csp, "frame-ancestors"), ["'none'"], "{path}");
        assert_eq!(directive(&csp, "default-src"), ["'none'"], "{path}");
        // HSTS only where it can be trusted: over TLS (see tests/tls.rs).
        assert_eq!(response.header("strict-transport-security"), None, "{path}");
    }
    relay.stop().await;
}

#[tokio::test]
async fn the_page_allows_its_own_inline_script_by_hash_and_nothing_else_inline() {
    let relay = start().await;
    let page = request(relay.addr, "GET", "/").await;
    let csp = page.header("content-security-policy").expect("csp");
    assert_eq!(
        directive(&csp, "script-src"),
        [
            "'self'".to_owned(),
            "'wasm-unsafe-eval'".to_owned(),
            sha256_source(INLINE_SCRIPT)
        ]
    );
    assert_eq!(directive(&csp, "style-src"), ["'self'"]);
    assert_eq!(
        directive(&csp, "connect-src"),
        ["'self'".to_owned(), format!("ws://{}", relay.addr)]
    );
    assert_eq!(directive(&csp, "worker-src"), ["'self'"]);
    assert_eq!(directive(&csp, "manifest-src"), ["'self'"]);
    for forbidden in ["'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"] {
        assert!(
            !csp.split_whitespace().any(|source| source == forbidden),
            "{forbidden} in {csp}"
        );
    }
    // Other files run no inline code: their policy names no hash.
    let worker = request(relay.addr, "GET", "/sw.js").await;
    let worker_csp = worker.header("content-security-policy").expect("csp");
    assert_eq!(
        directive(&worker_csp, "script-src"),
        ["'self'", "'wasm-unsafe-eval'"]
    );
    relay.stop().await;
}

#[tokio::test]
async fn a_redeployed_page_is_served_with_the_hash_of_its_new_script_without_a_restart() {
    let relay = start().await;
    let script = "\r\nconsole.log('new build');\r\n";
    std::fs::write(
        relay._dirs.path().join("dist/index.html"),
        format!("<!doctype html><script type=\"module\">{script}</script>"),
    )
    .expect("redeploy");
    let page = request(relay.addr, "GET", "/").await;
    let csp = page.header("content-security-policy").expect("csp");
    let sources = directive(&csp, "script-src");
    // A browser hashes the script with its line endings made LF.
    assert!(
        sources.contains(&sha256_source("\nconsole.log('new build');\n")),
        "{csp}"
    );
    assert!(!sources.contains(&sha256_source(INLINE_SCRIPT)), "{csp}");
    relay.stop().await;
}

#[tokio::test]
async fn behind_a_tls_proxy_the_sync_endpoint_in_the_policy_is_wss() {
    let relay = start().await;
    let response = request_with(
        relay.addr,
        "GET",
        "/",
        &[
            ("Host", "driehoek.school.example"),
            ("X-Forwarded-Proto", "https"),
        ],
    )
    .await;
    let csp = response.header("content-security-policy").expect("csp");
    assert_eq!(
        directive(&csp, "connect-src"),
        ["'self'", "wss://driehoek.school.example"]
    );
    relay.stop().await;
}

#[tokio::test]
async fn with_an_https_public_url_the_policy_names_it_and_hsts_is_sent() {
    let relay = start_with(|config| {
        config.public_url = Some("https://driehoek.school.example".into());
    })
    .await;
    let response = request(relay.addr, "GET", "/").await;
    let csp = response.header("content-security-policy").expect("csp");
    assert_eq!(
        directive(&csp, "connect-src"),
        ["'self'", "wss://driehoek.school.example"]
    );
    assert_eq!(
        response.header("strict-transport-security").as_deref(),
        Some("max-age=31536000")
    );
    relay.stop().await;
    let dirs = tempfile::tempdir().expect("temp dir");
    let mut config = config(dirs.path());
    config.public_url = Some("driehoek.school.example".into());
    assert!(matches!(
        driehoek_relay::prepare(&config).await,
        Err(RelayError::PublicUrl { .. })
    ));
}

#[tokio::test]
async fn a_missing_file_is_404_and_paths_outside_the_app_are_refused() {
    let relay = start().await;
    for path in [
        "/missing.js",
        "/icons/nothing.png",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/icons/..%2f..%2fsecret.txt",
    ] {
        let response = request(relay.addr, "GET", path).await;
        assert_eq!(response.status, 404, "{path}");
        assert!(!String::from_utf8_lossy(&response.body).contains("not for you"));
    }
    let post = request(relay.addr, "POST", "/").await;
    assert_eq!(post.status, 405);
    relay.stop().await;
}

#[tokio::test]
async fn a_plain_request_to_sync_gets_400() {
    let relay = start().await;
    let response = request(relay.addr, "GET", "/sync").await;
    assert_eq!(response.status, 400);
    relay.stop().await;
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

async fn connect(addr: SocketAddr) -> Socket {
    let (socket, _) = tokio::time::timeout(
        LIMIT,
        tokio_tungstenite::connect_async(format!("ws://{addr}/sync")),
    )
    .await
    .expect("connect in time")
    .expect("websocket");
    socket
}

/// The next protocol message, or `None` once the relay closed.
async fn receive(socket: &mut Socket) -> Option<Message> {
    loop {
        let frame = tokio::time::timeout(LIMIT, socket.next())
            .await
            .expect("frame in time");
        match frame {
            Some(Ok(WsMessage::Binary(bytes))) => {
                return Some(Message::decode(&bytes).expect("relay sends valid messages"));
            }
            Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_))) => continue,
            Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => return None,
            Some(Ok(other)) => panic!("unexpected frame {other:?}"),
        }
    }
}

async fn send(socket: &mut Socket, message: &Message) {
    socket
        .send(WsMessage::Binary(message.encode().into()))
        .await
        .expect("send");
}

#[tokio::test]
async fn the_sync_endpoint_answers_the_handshake_and_stays_open() {
    let relay = start().await;
    let mut socket = connect(relay.addr).await;
    assert_eq!(receive(&mut socket).await, Some(Message::hello(None)));
    send(&mut socket, &Message::hello(None)).await;
    // A ping after the handshake is answered: the connection is alive.
    socket
        .send(WsMessage::Ping(b"still there?".to_vec().into()))
        .await
        .expect("ping");
    let pong = tokio::time::timeout(LIMIT, socket.next())
        .await
        .expect("pong in time");
    assert!(matches!(pong, Some(Ok(WsMessage::Pong(_)))));
    socket.close(None).await.expect("close");
    relay.stop().await;
}

#[tokio::test]
async fn another_protocol_version_is_refused_with_a_reason() {
    let relay = start().await;
    let mut socket = connect(relay.addr).await;
    assert!(matches!(
        receive(&mut socket).await,
        Some(Message::Hello { .. })
    ));
    send(
        &mut socket,
        &Message::Hello {
            protocol: 99,
            creation_code: None,
        },
    )
    .await;
    match receive(&mut socket).await {
        Some(Message::Error { code, message, .. }) => {
            assert_eq!(code, ErrorCode::UnsupportedProtocol);
            assert!(message.contains("99"), "{message}");
        }
        other => panic!("expected an error, got {other:?}"),
    }
    assert_eq!(receive(&mut socket).await, None);
    relay.stop().await;
}

#[tokio::test]
async fn garbage_text_and_oversized_frames_close_the_socket() {
    let relay = start().await;
    let frames = [
        WsMessage::Binary(b"\xff\xfe not cbor".to_vec().into()),
        WsMessage::Text("hello".into()),
    ];
    for frame in frames {
        let mut socket = connect(relay.addr).await;
        assert!(matches!(
            receive(&mut socket).await,
            Some(Message::Hello { .. })
        ));
        socket.send(frame).await.expect("send");
        assert!(matches!(
            receive(&mut socket).await,
            Some(Message::Error {
                code: ErrorCode::Malformed,
                ..
            })
        ));
        assert_eq!(receive(&mut socket).await, None);
    }
    // Larger than the configured 64 KiB: the relay drops the connection
    // rather than buffering it.
    let mut socket = connect(relay.addr).await;
    assert!(matches!(
        receive(&mut socket).await,
        Some(Message::Hello { .. })
    ));
    let _ = socket
        .send(WsMessage::Binary(vec![0u8; 128 * 1024].into()))
        .await;
    let mut closed = false;
    for _ in 0..3 {
        match tokio::time::timeout(LIMIT, socket.next()).await {
            Ok(None | Some(Err(_)) | Some(Ok(WsMessage::Close(_)))) => {
                closed = true;
                break;
            }
            Ok(Some(Ok(_))) => continue,
            Err(_) => break,
        }
    }
    assert!(closed, "an oversized frame must end the connection");
    relay.stop().await;
}

#[tokio::test]
async fn a_second_hello_is_out_of_turn_and_closes_the_socket() {
    let relay = start().await;
    let mut socket = connect(relay.addr).await;
    assert!(matches!(
        receive(&mut socket).await,
        Some(Message::Hello { .. })
    ));
    let hello = Message::hello(None);
    send(&mut socket, &hello).await;
    send(&mut socket, &hello).await;
    assert!(matches!(
        receive(&mut socket).await,
        Some(Message::Error {
            code: ErrorCode::Malformed,
            dossier: None,
            ..
        })
    ));
    assert_eq!(receive(&mut socket).await, None);
    relay.stop().await;
}

#[tokio::test]
async fn shutting_down_closes_open_sync_sockets() {
    let relay = start().await;
    let mut socket = connect(relay.addr).await;
    assert!(matches!(
        receive(&mut socket).await,
        Some(Message::Hello { .. })
    ));
    send(&mut socket, &Message::hello(None)).await;
    relay.stop().await;
    assert_eq!(receive(&mut socket).await, None);
}

#[tokio::test]
async fn the_relay_refuses_to_start_on_a_taken_port() {
    let taken = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let dirs = tempfile::tempdir().expect("temp dir");
    let mut config = config(dirs.path());
    config.listen = taken.local_addr().expect("addr");
    match driehoek_relay::prepare(&config).await {
        Err(err @ RelayError::Bind { .. }) => {
            let line = err.to_string();
            assert!(line.contains("another relay"), "{line}");
            assert!(!line.contains('\n'));
        }
        other => panic!("expected a bind error, got {other:?}"),
    }
}

#[tokio::test]
async fn the_relay_refuses_to_start_when_the_data_directory_is_not_writable() {
    let dirs = tempfile::tempdir().expect("temp dir");
    // A file where a folder should be cannot be written into, even by root.
    let blocker = dirs.path().join("blocker");
    std::fs::write(&blocker, b"a file").expect("file");
    let mut config = config(dirs.path());
    config.data_dir = blocker.join("data");
    match driehoek_relay::prepare(&config).await {
        Err(err @ RelayError::DataDir { .. }) => {
            let line = err.to_string();
            assert!(line.contains("not writable"), "{line}");
        }
        other => panic!("expected a data directory error, got {other:?}"),
    }
}
