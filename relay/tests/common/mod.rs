//! A relay in this process and devices that talk to it over a real
//! WebSocket on 127.0.0.1. Every wait ends by itself.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on purpose
#![allow(dead_code)]

use std::{net::SocketAddr, path::Path, time::Duration};

use driehoek_relay::{
    Config, RelayError,
    wire::{ErrorCode, Message},
};
use driehoek_wire::{
    keys::DossierId,
    message::{AppendId, LoggedBlob, Token},
};
use futures_util::{SinkExt, StreamExt};
use tokio::{net::TcpStream, sync::oneshot};
use tokio_tungstenite::tungstenite::Message as WsMessage;

/// The longest any single wait in these tests may take.
pub const LIMIT: Duration = Duration::from_secs(10);

pub struct Relay {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), RelayError>>,
}

impl Relay {
    /// Shuts down gracefully and waits for the relay to finish.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let result = tokio::time::timeout(LIMIT, &mut self.task).await;
        assert!(
            matches!(result, Ok(Ok(Ok(())))),
            "relay did not stop cleanly: {result:?}"
        );
    }
}

pub fn config(dir: &Path) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().expect("address"),
        data_dir: dir.join("data"),
        dist: dir.join("dist"),
        max_frame_bytes: 64 * 1024,
        ..Config::default()
    }
}

/// A relay on a free loopback port, with its data in `dir`.
pub async fn start(dir: &Path, configure: impl FnOnce(&mut Config)) -> Relay {
    let mut config = config(dir);
    configure(&mut config);
    let listener = driehoek_relay::prepare(&config).await.expect("prepare");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(driehoek_relay::serve(listener, config, async move {
        let _ = stopped.await;
    }));
    Relay {
        addr,
        stop: Some(stop),
        task,
    }
}

/// A relay on the in-memory store: nothing is kept after it stops.
pub async fn start_in_memory(dir: &Path) -> Relay {
    let config = config(dir);
    let listener = driehoek_relay::prepare(&config).await.expect("prepare");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = oneshot::channel::<()>();
    let store = std::sync::Arc::new(driehoek_relay::store::MemoryStore::new());
    let task = tokio::spawn(driehoek_relay::serve_with_store(
        listener,
        config,
        store,
        async move {
            let _ = stopped.await;
        },
    ));
    Relay {
        addr,
        stop: Some(stop),
        task,
    }
}

pub fn dossier(n: u8) -> DossierId {
    DossierId::from_bytes([n; 16])
}

pub fn token(n: u8) -> Token {
    Token([n; 32])
}

pub fn append_id(n: u64) -> AppendId {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&n.to_be_bytes());
    AppendId(bytes)
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

/// A device: one WebSocket after the handshake.
pub struct Device {
    pub socket: Socket,
}

/// What the relay sent, with the size of its frame.
pub struct Received {
    pub message: Message,
    pub frame_len: usize,
}

impl Device {
    /// Connects and exchanges Hello.
    pub async fn connect(addr: SocketAddr) -> Device {
        Device::connect_with_code(addr, None).await
    }

    /// Connects and exchanges Hello, presenting `creation_code`.
    pub async fn connect_with_code(addr: SocketAddr, creation_code: Option<&str>) -> Device {
        let mut device = Device::connect_raw(addr).await;
        assert_eq!(device.receive().await, Some(Message::hello(None)));
        device
            .send(&Message::hello(creation_code.map(str::to_owned)))
            .await;
        device
    }

    /// Connects without the handshake.
    pub async fn connect_raw(addr: SocketAddr) -> Device {
        let (socket, _) = tokio::time::timeout(
            LIMIT,
            tokio_tungstenite::connect_async(format!("ws://{addr}/sync")),
        )
        .await
        .expect("connect in time")
        .expect("websocket");
        Device { socket }
    }

    pub async fn send(&mut self, message: &Message) {
        self.send_frame(WsMessage::Binary(message.encode().into()))
            .await;
    }

    pub async fn send_frame(&mut self, frame: WsMessage) {
        tokio::time::timeout(LIMIT, self.socket.send(frame))
            .await
            .expect("send in time")
            .expect("send");
    }

    /// The next message, or `None` once the relay closed.
    pub async fn receive(&mut self) -> Option<Message> {
        self.receive_frame().await.map(|received| received.message)
    }

    pub async fn receive_frame(&mut self) -> Option<Received> {
        loop {
            let frame = tokio::time::timeout(LIMIT, self.socket.next())
                .await
                .expect("frame in time");
            match frame {
                Some(Ok(WsMessage::Binary(bytes))) => {
                    let message = Message::decode(&bytes).expect("relay sends valid messages");
                    return Some(Received {
                        message,
                        frame_len: bytes.len(),
                    });
                }
                Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_))) => continue,
                Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => return None,
                Some(Ok(other)) => panic!("unexpected frame {other:?}"),
            }
        }
    }

    /// `true` when nothing arrives within `quiet`.
    pub async fn is_quiet_for(&mut self, quiet: Duration) -> bool {
        tokio::time::timeout(quiet, self.socket.next())
            .await
            .is_err()
    }

    /// Subscribes and collects the whole backlog (every `Blobs` message up
    /// to the complete one), checking that only the last is complete.
    pub async fn subscribe(
        &mut self,
        dossier: DossierId,
        token: &Token,
        after_seq: u64,
    ) -> Backlog {
        self.send(&Message::Subscribe {
            dossier,
            token: token.clone(),
            after_seq,
        })
        .await;
        let mut backlog = Backlog::default();
        loop {
            let received = self.receive_frame().await.expect("backlog");
            match received.message {
                Message::Blobs {
                    dossier: of,
                    items,
                    complete,
                } => {
                    assert_eq!(of, dossier);
                    backlog.messages += 1;
                    backlog.largest_frame = backlog.largest_frame.max(received.frame_len);
                    backlog.items.extend(items);
                    if complete {
                        return backlog;
                    }
                }
                other => panic!("expected the backlog, got {other:?}"),
            }
        }
    }

    /// Appends and waits for the Ack; answers its seq.
    pub async fn append(
        &mut self,
        dossier: DossierId,
        token: &Token,
        id: u64,
        bytes: &[u8],
    ) -> u64 {
        self.send(&Message::Append {
            dossier,
            token: token.clone(),
            id: append_id(id),
            bytes: bytes.to_vec(),
        })
        .await;
        match self.receive().await {
            Some(Message::Ack { id: acked, seq }) => {
                assert_eq!(acked, append_id(id));
                seq
            }
            other => panic!("expected an ack, got {other:?}"),
        }
    }

    /// The next message must be an error about `dossier` with `code`.
    pub async fn expect_dossier_error(&mut self, dossier: DossierId, code: ErrorCode) {
        match self.receive().await {
            Some(Message::Error {
                code: got,
                dossier: Some(about),
                ..
            }) => {
                assert_eq!((got, about), (code, dossier));
            }
            other => panic!("expected a {code:?} error about {dossier}, got {other:?}"),
        }
    }

    /// The next message must be a connection error with `code`, then the
    /// relay closes.
    pub async fn expect_refusal(&mut self, code: ErrorCode) {
        match self.receive().await {
            Some(Message::Error {
                code: got,
                dossier: None,
                ..
            }) => assert_eq!(got, code),
            other => panic!("expected a {code:?} refusal, got {other:?}"),
        }
        assert!(self.receive().await.is_none(), "the relay must close");
    }
}

#[derive(Default, Debug)]
pub struct Backlog {
    pub items: Vec<LoggedBlob>,
    pub messages: usize,
    pub largest_frame: usize,
}

impl Backlog {
    pub fn seqs(&self) -> Vec<(u64, u32)> {
        self.items
            .iter()
            .map(|item| (item.seq, item.part))
            .collect()
    }
}
