//! The `/sync` WebSocket endpoint: the protocol of one connection.
//!
//! ```text
//! relay: Hello            device: Hello                (first, both ways)
//! device: Subscribe  ->   Blobs.. (last one complete), then Blob pushes
//! device: Append     ->   Ack after commit; Blob to the other subscribers
//! device: Compact..  ->   Ack once all parts are committed
//! device: Retire     ->   Ack after commit; the log takes nothing new
//! relay: CompactHint      to one subscriber of a dossier that grew
//! ```
//!
//! A refusal about one dossier (token, quota, compaction) is an `Error`
//! with that dossier, and the connection stays open for the others. A
//! frame that is not this protocol, or a message out of turn, is an `Error`
//! without a dossier, and the connection closes.
//!
//! Each connection is two tasks: this one reads and handles requests in
//! order; a writer task drains the bounded send queue ([`Outbox`]) into the
//! socket. Answers to this connection's own requests wait for room in the
//! queue; pushes from elsewhere never wait, and a full queue drops the
//! connection as too slow.

use std::{
    collections::{HashMap, HashSet},
    net::SocketAddr,
    sync::{Arc, PoisonError},
    time::{Duration, Instant},
};

use axum::{
    extract::{
        ConnectInfo, State,
        ws::{
            CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade, close_code,
            rejection::WebSocketUpgradeRejection,
        },
    },
    http::StatusCode,
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use driehoek_wire::{
    keys::DossierId,
    message::{AppendId, Token},
};
use futures_util::{
    SinkExt, StreamExt,
    stream::{SplitSink, SplitStream},
};
use subtle::ConstantTimeEq;
use tokio::sync::watch;

use crate::{
    AppState,
    connections::Slot,
    metrics::Metrics,
    outbox::{self, Inbox, Outbox, Outgoing},
    refusal::Refusal,
    store::{Authorized, Compaction, Cursor, NewBlob, Registration, StoreError, TokenHash},
    wire::{ErrorCode, Message, PROTOCOL_VERSION},
    writer::Command,
};

/// A client that connects but never says Hello is holding a socket for
/// nothing.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a closing connection may take to write what is queued for it.
const CLOSE_GRACE: Duration = Duration::from_secs(5);
/// How long a dropped slow reader gets for its `Overloaded` error.
const KICK_GRACE: Duration = Duration::from_secs(1);
/// The CBOR of a `Blobs` message around its items (at most 58 bytes),
/// rounded up; each item adds [`crate::store::PAGE_ITEM_OVERHEAD`].
const BLOBS_ENVELOPE: usize = 128;
/// Socket read buffer per connection: most messages are small, and 10,000
/// idle sockets with tungstenite's default of 128 KiB would be 1.25 GiB.
const READ_BUFFER: usize = 16 * 1024;
/// A wrong creation code is answered after this pause, so guessing codes
/// over one connection is slow.
const WRONG_CODE_PAUSE: Duration = Duration::from_secs(1);

/// Upgrades to a WebSocket; anything that is not a WebSocket request gets a
/// plain 400 that says what this address is for, and an address with too
/// many connections open gets 429.
pub(crate) async fn upgrade(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let ws = match ws {
        Ok(ws) => ws,
        Err(rejection) => {
            tracing::debug!(%peer, reason = %rejection.body_text(), "not a websocket request");
            return (
                StatusCode::BAD_REQUEST,
                "this address is for the app's sync connection (WebSocket) only\n",
            )
                .into_response();
        }
    };
    if *state.shutdown.borrow() {
        Metrics::add(&state.metrics.connections_refused, 1);
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "the relay is shutting down\n",
        )
            .into_response();
    }
    let Some(slot) = state.connections.try_open(peer.ip()) else {
        Metrics::add(&state.metrics.connections_refused, 1);
        tracing::warn!(%peer, "too many connections from one address");
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "too many sync connections from this address\n",
        )
            .into_response();
    };
    Metrics::add(&state.metrics.connections_total, 1);
    let max_frame = state.config.max_frame_bytes;
    ws.max_message_size(max_frame)
        .max_frame_size(max_frame)
        .read_buffer_size(READ_BUFFER)
        .on_upgrade(move |socket| connection(socket, peer, state, slot))
        .into_response()
}

/// Why a connection ended, for the log.
#[derive(Debug)]
enum End {
    /// The device closed it or went away.
    Closed,
    /// The device sent an error and closes.
    PeerError,
    /// The relay refused something about the whole connection.
    Refused,
    /// It read too slowly.
    Kicked,
    Shutdown,
}

async fn connection(socket: WebSocket, peer: SocketAddr, state: Arc<AppState>, slot: Slot) {
    let (sink, stream) = socket.split();
    let (outbox, inbox) = outbox::outbox(state.config.send_queue);
    let conn = outbox.conn();
    tracing::info!(%peer, conn, "sync connection opened");
    let mut writer = tokio::spawn(write_frames(
        sink,
        inbox,
        state.shutdown.subscribe(),
        Arc::clone(&state.metrics),
    ));
    let mut kicked = outbox.kicked();
    let mut shutdown = state.shutdown.subscribe();
    let mut session = Session {
        state: &state,
        outbox,
        peer,
        subscribed: HashSet::new(),
        compactions: HashMap::new(),
        compaction_bytes: 0,
        creation_code: None,
    };
    let end = tokio::select! {
        end = session.run(stream) => end,
        Ok(_) = kicked.wait_for(|kicked| *kicked) => End::Kicked,
        Ok(_) = shutdown.wait_for(|stopping| *stopping) => End::Shutdown,
    };
    let subscribed = session.subscribed.len();
    session.leave();
    // The writer task ends once every answer still due (Acks of appends in
    // the group commit included) has been written, then sends Close.
    if tokio::time::timeout(CLOSE_GRACE, &mut writer)
        .await
        .is_err()
    {
        writer.abort();
    }
    drop(slot);
    tracing::info!(%peer, conn, ?end, subscribed, "sync connection closed");
}

/// Drains the send queue into the socket until the queue closes (every
/// sender gone), then closes the socket; a kicked connection gets a last
/// `Overloaded` error, best effort.
async fn write_frames(
    mut sink: SplitSink<WebSocket, WsMessage>,
    mut inbox: Inbox,
    shutdown: watch::Receiver<bool>,
    metrics: Arc<Metrics>,
) {
    let mut kicked = inbox.kicked.clone();
    let delivered = tokio::select! {
        delivered = deliver(&mut sink, &mut inbox, &metrics) => Some(delivered),
        Ok(_) = kicked.wait_for(|kicked| *kicked) => None,
    };
    match delivered {
        Some(true) => {
            let frame = if *shutdown.borrow() {
                CloseFrame {
                    code: close_code::AWAY,
                    reason: "the relay is shutting down".into(),
                }
            } else {
                CloseFrame {
                    code: close_code::NORMAL,
                    reason: "".into(),
                }
            };
            // When the device closed first, tungstenite has already queued
            // the answering Close and refuses a second one
            // (`SendAfterClosing`); `close` writes the queued answer out.
            let goodbye = async {
                let _ = sink.send(WsMessage::Close(Some(frame))).await;
                sink.close().await
            };
            let _ = tokio::time::timeout(CLOSE_GRACE, goodbye).await;
        }
        Some(false) => {}
        None => {
            metrics.refused(ErrorCode::Overloaded);
            let error = Message::Error {
                code: ErrorCode::Overloaded,
                message: "this connection read too slowly and was dropped".into(),
                dossier: None,
            };
            let goodbye = async {
                sink.send(WsMessage::Binary(error.encode().into())).await?;
                sink.send(WsMessage::Close(None)).await
            };
            let _ = tokio::time::timeout(KICK_GRACE, goodbye).await;
        }
    }
}

/// `false` when the socket failed.
async fn deliver(
    sink: &mut SplitSink<WebSocket, WsMessage>,
    inbox: &mut Inbox,
    metrics: &Metrics,
) -> bool {
    while let Some(outgoing) = inbox.queue.recv().await {
        match outgoing {
            Outgoing::Frame(frame) => {
                Metrics::add(&metrics.sent_bytes, frame.len() as u64);
                if sink.feed(WsMessage::Binary(frame)).await.is_err() {
                    return false;
                }
                // Flushing only when nothing else waits writes a burst of
                // pushes in few system calls.
                if inbox.queue.is_empty() && sink.flush().await.is_err() {
                    return false;
                }
            }
            Outgoing::Written(done) => {
                if sink.flush().await.is_err() {
                    return false;
                }
                let _ = done.send(());
            }
        }
    }
    true
}

/// A snapshot whose parts are still arriving.
struct PendingCompaction {
    id: AppendId,
    upto_seq: u64,
    parts: u32,
    received: Vec<Vec<u8>>,
    bytes: u64,
}

struct Session<'a> {
    state: &'a AppState,
    outbox: Outbox,
    peer: SocketAddr,
    subscribed: HashSet<DossierId>,
    compactions: HashMap<DossierId, PendingCompaction>,
    /// Bytes of all pending compactions of this connection together.
    compaction_bytes: u64,
    /// The creation code the device presented in its Hello, if any.
    creation_code: Option<String>,
}

enum Incoming {
    Message(Message),
    Malformed(&'static str),
    TooLarge,
    Closed,
}

/// The next protocol message; pings are answered by axum and skipped here.
async fn next_message(stream: &mut SplitStream<WebSocket>) -> Incoming {
    loop {
        match stream.next().await {
            None | Some(Ok(WsMessage::Close(_))) => return Incoming::Closed,
            Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_))) => continue,
            Some(Ok(WsMessage::Text(_))) => {
                return Incoming::Malformed("text frames are not part of this protocol");
            }
            Some(Ok(WsMessage::Binary(bytes))) => {
                return match Message::decode(&bytes) {
                    Some(message) => Incoming::Message(message),
                    None => Incoming::Malformed("not a message of this protocol"),
                };
            }
            Some(Err(err)) => return read_error(err),
        }
    }
}

fn read_error(err: axum::Error) -> Incoming {
    let inner = err.into_inner();
    match inner.downcast_ref::<tungstenite::Error>() {
        Some(tungstenite::Error::Capacity(_)) => Incoming::TooLarge,
        // A device that just went away (closed the app, lost the network).
        Some(tungstenite::Error::Protocol(
            tungstenite::error::ProtocolError::ResetWithoutClosingHandshake,
        )) => Incoming::Closed,
        Some(tungstenite::Error::Protocol(_) | tungstenite::Error::Utf8(_)) => {
            Incoming::Malformed("a broken websocket frame")
        }
        _ => Incoming::Closed,
    }
}

impl Session<'_> {
    async fn run(&mut self, mut stream: SplitStream<WebSocket>) -> End {
        let hello = Message::hello(None);
        if !self.outbox.send_message(&hello).await {
            return End::Closed;
        }
        let first = match tokio::time::timeout(HELLO_TIMEOUT, next_message(&mut stream)).await {
            Ok(first) => first,
            Err(_) => {
                return self
                    .refuse(ErrorCode::Timeout, "no hello received in time")
                    .await;
            }
        };
        match first {
            Incoming::Message(Message::Hello {
                protocol,
                creation_code,
            }) if protocol == PROTOCOL_VERSION => {
                self.creation_code = creation_code;
            }
            Incoming::Message(Message::Hello { protocol, .. }) => {
                tracing::info!(peer = %self.peer, protocol, "unsupported protocol version");
                let message = format!(
                    "this relay speaks protocol version {PROTOCOL_VERSION}, not {protocol}"
                );
                return self.refuse(ErrorCode::UnsupportedProtocol, &message).await;
            }
            Incoming::Closed => return End::Closed,
            Incoming::TooLarge => return self.refuse_too_large().await,
            Incoming::Message(_) | Incoming::Malformed(_) => {
                return self
                    .refuse(ErrorCode::Malformed, "expected a hello message")
                    .await;
            }
        }
        tracing::debug!(peer = %self.peer, "handshake done");
        loop {
            let message = match next_message(&mut stream).await {
                Incoming::Message(message) => message,
                Incoming::Closed => return End::Closed,
                Incoming::TooLarge => return self.refuse_too_large().await,
                Incoming::Malformed(why) => return self.refuse(ErrorCode::Malformed, why).await,
            };
            if let Some(end) = self.handle(message).await {
                return end;
            }
        }
    }

    /// `Some` ends the connection.
    async fn handle(&mut self, message: Message) -> Option<End> {
        match message {
            Message::Subscribe {
                dossier,
                token,
                after_seq,
            } => self.subscribe(dossier, &token, after_seq).await,
            Message::Append {
                dossier,
                token,
                id,
                bytes,
            } => self.append(dossier, &token, id, bytes).await,
            Message::Compact {
                dossier,
                token,
                id,
                upto_seq,
                part,
                parts,
                bytes,
            } => {
                let part = CompactPart {
                    id,
                    upto_seq,
                    part,
                    parts,
                    bytes,
                };
                self.compact(dossier, &token, part).await
            }
            Message::Retire { dossier, token, id } => self.retire(dossier, &token, id).await,
            Message::Hello { .. } => Some(
                self.refuse(ErrorCode::Malformed, "hello was already exchanged")
                    .await,
            ),
            Message::Blobs { .. }
            | Message::Blob { .. }
            | Message::Ack { .. }
            | Message::CompactHint { .. } => Some(
                self.refuse(ErrorCode::Malformed, "only the relay sends this message")
                    .await,
            ),
            Message::Error {
                code,
                message,
                dossier,
            } => {
                // The text is the device's: keep the log line short.
                let message: String = message.chars().take(200).collect();
                tracing::info!(peer = %self.peer, ?code, %message, ?dossier, "the device reported an error");
                Some(End::PeerError)
            }
        }
    }

    /// Says why, then ends: the writer task sends the Close frame after it.
    async fn refuse(&self, code: ErrorCode, message: &str) -> End {
        self.state.metrics.refused(code);
        tracing::info!(peer = %self.peer, ?code, reason = message, "connection refused");
        let error = Message::Error {
            code,
            message: message.to_owned(),
            dossier: None,
        };
        self.outbox.send_message(&error).await;
        End::Refused
    }

    async fn refuse_too_large(&self) -> End {
        let message = format!(
            "a message over this relay's limit of {} bytes",
            self.state.config.max_frame_bytes
        );
        self.refuse(ErrorCode::TooLarge, &message).await
    }

    /// Refuses one request about `dossier`; the connection goes on. `None`,
    /// so handlers can return it.
    async fn refuse_dossier(&self, dossier: DossierId, refusal: Refusal) -> Option<End> {
        self.state.metrics.refused(refusal.code);
        tracing::info!(peer = %self.peer, %dossier, code = ?refusal.code, reason = %refusal.message, "request refused");
        if self.outbox.send_message(&refusal.to_message(dossier)).await {
            None
        } else {
            Some(End::Closed)
        }
    }

    /// Registers the token on a dossier's first use (when `may_register`),
    /// else checks it. Known token hashes are kept in memory: only the
    /// first request of a dossier after a start asks the store.
    async fn authorize(
        &self,
        dossier: DossierId,
        token: &Token,
        may_register: bool,
    ) -> Result<(), Refusal> {
        let hash = TokenHash::of(token);
        let known = self
            .state
            .tokens
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&dossier)
            .copied();
        if let Some(known) = known {
            return if known.matches(&hash) {
                Ok(())
            } else {
                Err(Refusal::from_store(&StoreError::Unauthorized))
            };
        }
        let code_check = self.creation_code_check();
        let registration = match code_check {
            _ if !may_register => Registration::Closed,
            CodeCheck::NotRequired | CodeCheck::Right => Registration::Open {
                max_dossiers: self.state.config.max_dossiers,
            },
            CodeCheck::Missing | CodeCheck::Wrong => Registration::Closed,
        };
        let store = Arc::clone(&self.state.store);
        let checked =
            tokio::task::spawn_blocking(move || store.authorize_with(dossier, &hash, registration))
                .await;
        match checked {
            Ok(Ok(authorized)) => {
                if authorized == Authorized::Registered {
                    Metrics::add(&self.state.metrics.dossiers, 1);
                    Metrics::add(&self.state.metrics.dossiers_registered, 1);
                    tracing::info!(peer = %self.peer, %dossier, "dossier registered");
                }
                self.state
                    .tokens
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(dossier, hash);
                Ok(())
            }
            Ok(Err(err @ StoreError::UnknownDossier(_))) if !may_register => {
                Err(Refusal::from_store(&err))
            }
            Ok(Err(StoreError::UnknownDossier(_))) => match code_check {
                CodeCheck::Wrong => {
                    tokio::time::sleep(WRONG_CODE_PAUSE).await;
                    Err(Refusal::new(
                        ErrorCode::CreationCodeWrong,
                        "this creation code is not the one this relay asks for",
                    ))
                }
                _ => Err(Refusal::new(
                    ErrorCode::CreationCodeRequired,
                    "this relay makes a new dossier only with its creation code",
                )),
            },
            Ok(Err(err)) => {
                if !matches!(
                    err,
                    StoreError::Unauthorized | StoreError::TooManyDossiers { .. }
                ) {
                    Metrics::add(&self.state.metrics.store_failures, 1);
                    tracing::error!(%dossier, error = %err, "checking a token failed");
                }
                Err(Refusal::from_store(&err))
            }
            Err(_) => Err(Refusal::from_store(&StoreError::Damaged(
                "the token check stopped",
            ))),
        }
    }

    /// Compares in constant time, so timing does not tell how much of a
    /// guessed code was right.
    fn creation_code_check(&self) -> CodeCheck {
        let Some(required) = self.state.config.required_creation_code() else {
            return CodeCheck::NotRequired;
        };
        match &self.creation_code {
            None => CodeCheck::Missing,
            Some(given) if bool::from(given.as_bytes().ct_eq(required.as_bytes())) => {
                CodeCheck::Right
            }
            Some(_) => CodeCheck::Wrong,
        }
    }

    async fn subscribe(
        &mut self,
        dossier: DossierId,
        token: &Token,
        after_seq: u64,
    ) -> Option<End> {
        if let Err(refusal) = self.authorize(dossier, token, true).await {
            return self.refuse_dossier(dossier, refusal).await;
        }
        match self.purged_retirement(dossier).await {
            Ok(false) => {}
            Ok(true) => {
                return self
                    .refuse_dossier(dossier, Refusal::from_store(&StoreError::Retired(dossier)))
                    .await;
            }
            Err(refusal) => return self.refuse_dossier(dossier, refusal).await,
        }
        // Registered before the backlog is read: a blob committed from now
        // on is either in the backlog or held back for this subscriber.
        self.state.hub.subscribe(dossier, &self.outbox);
        self.subscribed.insert(dossier);
        match self.send_backlog(dossier, after_seq).await {
            Ok(Some((last_seq, items, bytes))) => {
                tracing::info!(peer = %self.peer, %dossier, after_seq, items, bytes, "subscribed");
                self.state
                    .hub
                    .go_live(dossier, self.outbox.conn(), last_seq);
                None
            }
            Ok(None) => Some(End::Closed),
            Err(err) => {
                tracing::error!(%dossier, error = %err, "reading a backlog failed");
                self.state.hub.unsubscribe(dossier, self.outbox.conn());
                self.subscribed.remove(&dossier);
                self.refuse_dossier(dossier, Refusal::from_store(&err))
                    .await
            }
        }
    }

    /// Queues the backlog as `Blobs` messages of at most the frame limit,
    /// the last one `complete`. Reads a page while the previous one is
    /// being written, and no further ahead, so a large backlog to a slow
    /// device takes two frames of memory. Answers the last seq sent (or
    /// `after_seq`), the item count and their bytes; `None` when the
    /// connection is gone.
    async fn send_backlog(
        &self,
        dossier: DossierId,
        after_seq: u64,
    ) -> Result<Option<(u64, usize, usize)>, StoreError> {
        let max_frame = self.state.config.max_frame_bytes;
        let budget = max_frame.saturating_sub(BLOBS_ENVELOPE).max(1);
        let mut cursor = Cursor::after(after_seq);
        let mut last_seq = after_seq;
        let (mut items, mut bytes) = (0usize, 0usize);
        let mut previous: Option<tokio::sync::oneshot::Receiver<()>> = None;
        loop {
            let store = Arc::clone(&self.state.store);
            let page =
                tokio::task::spawn_blocking(move || store.read_page(dossier, cursor, budget))
                    .await
                    .map_err(|_| StoreError::Damaged("the backlog read stopped"))??;
            if let Some(item) = page.items.last() {
                cursor = Cursor::past(item);
                last_seq = item.seq;
            }
            items += page.items.len();
            bytes += page
                .items
                .iter()
                .map(|item| item.bytes.len())
                .sum::<usize>();
            if let Some(written) = previous.take()
                && written.await.is_err()
            {
                return Ok(None);
            }
            let complete = !page.more;
            let frame = Bytes::from(
                Message::Blobs {
                    dossier,
                    items: page.items,
                    complete,
                }
                .encode(),
            );
            if frame.len() > max_frame {
                // Only a blob stored under a larger frame limit than the
                // current one can do this; it still goes out whole.
                tracing::warn!(%dossier, size = frame.len(), "a backlog message over the frame limit");
            }
            if !self.outbox.send(frame).await {
                return Ok(None);
            }
            if complete {
                return Ok(Some((last_seq, items, bytes)));
            }
            match self.outbox.written().await {
                Some(written) => previous = Some(written),
                None => return Ok(None),
            }
        }
    }

    async fn append(
        &mut self,
        dossier: DossierId,
        token: &Token,
        id: AppendId,
        bytes: Vec<u8>,
    ) -> Option<End> {
        if let Err(refusal) = self.authorize(dossier, token, true).await {
            return self.refuse_dossier(dossier, refusal).await;
        }
        // The quota is checked by the store inside the batch transaction,
        // where concurrent appends cannot both squeeze under it.
        let command = Command::Append {
            blob: NewBlob { dossier, id, bytes },
            origin: self.outbox.clone(),
            received: Instant::now(),
        };
        if self.state.writer.submit(command).await {
            None
        } else {
            let refusal = Refusal::new(ErrorCode::Overloaded, "the relay is shutting down");
            self.refuse_dossier(dossier, refusal).await
        }
    }

    /// A retired dossier's log stays readable for the grace period, so a
    /// device that was away still finds the notice in it; once the log is
    /// deleted, a subscriber hears that the dossier was retired instead of
    /// reading an empty log.
    async fn purged_retirement(&self, dossier: DossierId) -> Result<bool, Refusal> {
        let store = Arc::clone(&self.state.store);
        let stats = tokio::task::spawn_blocking(move || store.stats(dossier))
            .await
            .map_err(|_| Refusal::from_store(&StoreError::Damaged("the check stopped")))?
            .map_err(|err| Refusal::from_store(&err))?;
        Ok(stats.retired_at.is_some() && stats.live_bytes == 0)
    }

    /// Closes the log of a dossier its members re-founded: only its own
    /// token may, and an unknown dossier is not registered by it.
    async fn retire(&mut self, dossier: DossierId, token: &Token, id: AppendId) -> Option<End> {
        if let Err(refusal) = self.authorize(dossier, token, false).await {
            return self.refuse_dossier(dossier, refusal).await;
        }
        self.drop_compaction(dossier);
        let command = Command::Retire {
            dossier,
            id,
            origin: self.outbox.clone(),
        };
        if self.state.writer.submit(command).await {
            None
        } else {
            let refusal = Refusal::new(ErrorCode::Overloaded, "the relay is shutting down");
            self.refuse_dossier(dossier, refusal).await
        }
    }

    async fn compact(
        &mut self,
        dossier: DossierId,
        token: &Token,
        part: CompactPart,
    ) -> Option<End> {
        if let Err(refusal) = self.authorize(dossier, token, true).await {
            self.drop_compaction(dossier);
            return self.refuse_dossier(dossier, refusal).await;
        }
        match self.take_part(dossier, part).await {
            Ok(None) => None,
            Ok(Some(compaction)) => {
                let command = Command::Compact {
                    compaction,
                    origin: self.outbox.clone(),
                };
                if self.state.writer.submit(command).await {
                    None
                } else {
                    let refusal = Refusal::new(ErrorCode::Overloaded, "the relay is shutting down");
                    self.refuse_dossier(dossier, refusal).await
                }
            }
            Err(refusal) => {
                self.drop_compaction(dossier);
                self.refuse_dossier(dossier, refusal).await
            }
        }
    }

    /// Adds one part; answers the whole snapshot once its last part is in.
    async fn take_part(
        &mut self,
        dossier: DossierId,
        part: CompactPart,
    ) -> Result<Option<Compaction>, Refusal> {
        let bad = |message: String| Refusal::new(ErrorCode::BadCompaction, message);
        if part.parts == 0 || part.part >= part.parts {
            return Err(bad(format!(
                "part {} of {} is not a part of a snapshot",
                part.part, part.parts
            )));
        }
        match self.compactions.get(&dossier) {
            None if part.part == 0 => {
                self.check_bounds(dossier, part.upto_seq).await?;
                self.compactions.insert(
                    dossier,
                    PendingCompaction {
                        id: part.id,
                        upto_seq: part.upto_seq,
                        parts: part.parts,
                        received: Vec::new(),
                        bytes: 0,
                    },
                );
            }
            None => {
                return Err(bad(format!("part {} came before part 0", part.part)));
            }
            Some(pending) => {
                let expected = pending.received.len();
                if pending.id != part.id
                    || pending.upto_seq != part.upto_seq
                    || pending.parts != part.parts
                {
                    return Err(bad(
                        "the id, upto_seq or parts changed within one compaction".into(),
                    ));
                }
                if usize::try_from(part.part).ok() != Some(expected) {
                    return Err(bad(format!(
                        "part {} came where part {expected} was expected",
                        part.part
                    )));
                }
            }
        }
        let size = part.bytes.len() as u64;
        let limit = self.state.config.max_dossier_bytes;
        if self.compaction_bytes.saturating_add(size) > limit {
            return Err(Refusal::new(
                ErrorCode::TooLarge,
                format!("the snapshot is over the dossier limit of {limit} bytes"),
            ));
        }
        let Some(pending) = self.compactions.get_mut(&dossier) else {
            return Err(bad("the compaction was lost".into()));
        };
        pending.received.push(part.bytes);
        pending.bytes += size;
        self.compaction_bytes += size;
        if pending.received.len() < usize::try_from(pending.parts).unwrap_or(usize::MAX) {
            return Ok(None);
        }
        let Some(done) = self.compactions.remove(&dossier) else {
            return Err(bad("the compaction was lost".into()));
        };
        self.compaction_bytes = self.compaction_bytes.saturating_sub(done.bytes);
        Ok(Some(Compaction {
            dossier,
            id: done.id,
            upto_seq: done.upto_seq,
            parts: done.received,
        }))
    }

    /// Refuses a compaction that cannot commit before buffering its parts.
    /// The store checks again when it commits; this only saves the upload.
    async fn check_bounds(&self, dossier: DossierId, upto_seq: u64) -> Result<(), Refusal> {
        let store = Arc::clone(&self.state.store);
        let stats = tokio::task::spawn_blocking(move || store.stats(dossier))
            .await
            .map_err(|_| Refusal::from_store(&StoreError::Damaged("the check stopped")))?
            .map_err(|err| Refusal::from_store(&err))?;
        // Equal may be a repeat of the last compaction (a lost Ack), which
        // the store answers by its id.
        if upto_seq < stats.compacted_upto || (upto_seq == stats.compacted_upto && upto_seq == 0) {
            return Err(Refusal::new(
                ErrorCode::BadCompaction,
                format!(
                    "upto_seq {upto_seq} is at or below the last compaction ({})",
                    stats.compacted_upto
                ),
            ));
        }
        if upto_seq > stats.highest_seq {
            return Err(Refusal::new(
                ErrorCode::BadCompaction,
                format!(
                    "upto_seq {upto_seq} is above the highest seq ({})",
                    stats.highest_seq
                ),
            ));
        }
        Ok(())
    }

    fn drop_compaction(&mut self, dossier: DossierId) {
        if let Some(pending) = self.compactions.remove(&dossier) {
            self.compaction_bytes = self.compaction_bytes.saturating_sub(pending.bytes);
        }
    }

    /// Ends the subscriptions; the outbox goes with the session.
    fn leave(self) {
        for dossier in self.subscribed {
            self.state.hub.unsubscribe(dossier, self.outbox.conn());
        }
    }
}

enum CodeCheck {
    NotRequired,
    Missing,
    Right,
    Wrong,
}

struct CompactPart {
    id: AppendId,
    upto_seq: u64,
    part: u32,
    parts: u32,
    bytes: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use driehoek_wire::message::LoggedBlob;

    use super::*;
    use crate::store::PAGE_ITEM_OVERHEAD;

    fn worst_item(len: usize) -> LoggedBlob {
        LoggedBlob {
            seq: u64::MAX,
            part: u32::MAX,
            parts: u32::MAX,
            bytes: vec![7; len],
        }
    }

    #[test]
    fn read_errors_tell_an_oversized_frame_a_broken_one_and_a_device_gone() {
        use tungstenite::error::{CapacityError, ProtocolError};
        let classify = |err: tungstenite::Error| read_error(axum::Error::new(err));
        assert!(matches!(
            classify(tungstenite::Error::Capacity(
                CapacityError::MessageTooLong {
                    size: 2,
                    max_size: 1
                }
            )),
            Incoming::TooLarge
        ));
        assert!(matches!(
            classify(tungstenite::Error::Protocol(
                ProtocolError::UnmaskedFrameFromClient
            )),
            Incoming::Malformed(_)
        ));
        assert!(matches!(
            classify(tungstenite::Error::Protocol(
                ProtocolError::ResetWithoutClosingHandshake
            )),
            Incoming::Closed
        ));
        assert!(matches!(
            classify(tungstenite::Error::ConnectionClosed),
            Incoming::Closed
        ));
    }

    #[test]
    fn a_page_read_for_the_frame_budget_fits_in_one_blobs_message() {
        let sizes = [0usize, 1, 23, 24, 255, 256, 65_535, 65_536, 70_000];
        let items: Vec<LoggedBlob> = sizes.iter().map(|&len| worst_item(len)).collect();
        let charged: usize = sizes.iter().map(|len| len + PAGE_ITEM_OVERHEAD).sum();
        let frame = Message::Blobs {
            dossier: DossierId::from_bytes([1; 16]),
            items,
            complete: false,
        }
        .encode();
        assert!(frame.len() <= BLOBS_ENVELOPE + charged, "{}", frame.len());
        // Many tiny items: the array header grows too.
        let items: Vec<LoggedBlob> = (0..70_000).map(|_| worst_item(0)).collect();
        let frame = Message::Blobs {
            dossier: DossierId::from_bytes([1; 16]),
            items,
            complete: true,
        }
        .encode();
        assert!(frame.len() <= BLOBS_ENVELOPE + 70_000 * PAGE_ITEM_OVERHEAD);
    }

    #[test]
    fn a_stored_blob_alone_fits_in_a_message_as_large_as_the_one_that_brought_it() {
        let dossier = DossierId::from_bytes([1; 16]);
        for len in [0usize, 100, 65_536, 4 * 1024 * 1024] {
            let append = Message::Append {
                dossier,
                token: Token([2; 32]),
                id: AppendId([3; 16]),
                bytes: vec![0; len],
            }
            .encode();
            let compact = Message::Compact {
                dossier,
                token: Token([2; 32]),
                id: AppendId([3; 16]),
                upto_seq: 1,
                part: 0,
                parts: 1,
                bytes: vec![0; len],
            }
            .encode();
            let backlog = Message::Blobs {
                dossier,
                items: vec![worst_item(len)],
                complete: true,
            }
            .encode();
            let push = Message::Blob {
                dossier,
                seq: u64::MAX,
                bytes: vec![0; len],
            }
            .encode();
            assert!(backlog.len() <= append.len().min(compact.len()), "{len}");
            assert!(push.len() <= append.len(), "{len}");
        }
    }
}
