//! The `/sync` WebSocket endpoint.
//!
//! For now it speaks only the handshake: both sides send `Hello` with their
//! protocol version first. The dossier messages (subscribe, append, compact)
//! come with the sync protocol; until then any other message is refused.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::{
    extract::{
        ConnectInfo, State,
        ws::{
            Message as WsMessage, WebSocket, WebSocketUpgrade, rejection::WebSocketUpgradeRejection,
        },
    },
    http::StatusCode,
    response::{IntoResponse, Response},
};

use crate::{
    AppState,
    wire::{ErrorCode, Message, PROTOCOL_VERSION},
};

/// A client that connects but never says Hello is holding a socket for
/// nothing.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// Upgrades to a WebSocket; anything that is not a WebSocket request gets a
/// plain 400 that says what this address is for.
pub(crate) async fn upgrade(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    match ws {
        Ok(ws) => ws
            .max_message_size(state.config.max_frame_bytes)
            .max_frame_size(state.config.max_frame_bytes)
            .on_upgrade(move |socket| connection(socket, peer))
            .into_response(),
        Err(rejection) => {
            tracing::debug!(%peer, reason = %rejection.body_text(), "not a websocket request");
            (
                StatusCode::BAD_REQUEST,
                "this address is for the app's sync connection (WebSocket) only\n",
            )
                .into_response()
        }
    }
}

async fn connection(mut socket: WebSocket, peer: SocketAddr) {
    tracing::info!(%peer, "sync connection opened");
    let hello = Message::Hello {
        protocol: PROTOCOL_VERSION,
    };
    if send(&mut socket, &hello).await.is_err() {
        return;
    }
    match tokio::time::timeout(HELLO_TIMEOUT, next_message(&mut socket)).await {
        Err(_) => {
            refuse(&mut socket, ErrorCode::Timeout, "no hello received in time").await;
            return;
        }
        Ok(Incoming::Closed) => return,
        Ok(Incoming::Malformed) => {
            refuse(
                &mut socket,
                ErrorCode::Malformed,
                "expected a hello message",
            )
            .await;
            return;
        }
        Ok(Incoming::Message(Message::Hello { protocol })) if protocol == PROTOCOL_VERSION => {}
        Ok(Incoming::Message(Message::Hello { protocol })) => {
            tracing::info!(%peer, protocol, "unsupported protocol version");
            let message =
                format!("this relay speaks protocol version {PROTOCOL_VERSION}, not {protocol}");
            refuse(&mut socket, ErrorCode::UnsupportedProtocol, &message).await;
            return;
        }
        Ok(Incoming::Message(_)) => {
            refuse(
                &mut socket,
                ErrorCode::Malformed,
                "expected a hello message",
            )
            .await;
            return;
        }
    }
    tracing::debug!(%peer, "handshake done");
    // The handshake is all this version does: any further message is one
    // this relay does not understand yet.
    if !matches!(next_message(&mut socket).await, Incoming::Closed) {
        refuse(&mut socket, ErrorCode::Malformed, "unexpected message").await;
    }
    tracing::info!(%peer, "sync connection closed");
}

enum Incoming {
    Message(Message),
    Malformed,
    Closed,
}

/// The next protocol message; pings are answered by axum and skipped here.
async fn next_message(socket: &mut WebSocket) -> Incoming {
    loop {
        match socket.recv().await {
            None | Some(Err(_)) | Some(Ok(WsMessage::Close(_))) => return Incoming::Closed,
            Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_))) => continue,
            Some(Ok(WsMessage::Text(_))) => return Incoming::Malformed,
            Some(Ok(WsMessage::Binary(bytes))) => {
                return match Message::decode(&bytes) {
                    Some(message) => Incoming::Message(message),
                    None => Incoming::Malformed,
                };
            }
        }
    }
}

async fn send(socket: &mut WebSocket, message: &Message) -> Result<(), axum::Error> {
    socket
        .send(WsMessage::Binary(message.encode().into()))
        .await
}

/// Says why, then closes. Errors while doing so mean the peer is gone.
async fn refuse(socket: &mut WebSocket, code: ErrorCode, message: &str) {
    let error = Message::Error {
        code,
        message: message.to_owned(),
        dossier: None,
    };
    let _ = send(socket, &error).await;
    let _ = socket.send(WsMessage::Close(None)).await;
}
