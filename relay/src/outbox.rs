//! The bounded send queue of one connection.
//!
//! Each connection has one writer task that takes encoded frames from a
//! bounded channel and writes them to the socket. Pushes from other
//! connections (fan-out, Acks from the group commit) never wait: a full
//! queue means the peer reads too slowly, and it is dropped rather than
//! buffered without end.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot, watch};

use crate::wire::Message;

/// A connection's number, unique while the process runs.
pub(crate) type ConnId = u64;

static NEXT_CONN: AtomicU64 = AtomicU64::new(1);

pub(crate) fn next_conn_id() -> ConnId {
    NEXT_CONN.fetch_add(1, Ordering::Relaxed)
}

pub(crate) enum Outgoing {
    Frame(Bytes),
    /// Answered once every frame before it has been written: lets the
    /// backlog wait for the socket instead of piling frames up.
    Written(oneshot::Sender<()>),
}

/// The sending side; cloned into the hub and into writer commands. The
/// writer task ends once every clone is gone.
#[derive(Clone)]
pub(crate) struct Outbox {
    conn: ConnId,
    queue: mpsc::Sender<Outgoing>,
    kick: Arc<watch::Sender<bool>>,
}

/// The receiving side, held by the connection's writer task.
pub(crate) struct Inbox {
    pub(crate) queue: mpsc::Receiver<Outgoing>,
    pub(crate) kicked: watch::Receiver<bool>,
}

pub(crate) fn outbox(capacity: usize) -> (Outbox, Inbox) {
    let (queue, receiver) = mpsc::channel(capacity.max(1));
    let (kick, kicked) = watch::channel(false);
    (
        Outbox {
            conn: next_conn_id(),
            queue,
            kick: Arc::new(kick),
        },
        Inbox {
            queue: receiver,
            kicked,
        },
    )
}

impl Outbox {
    pub(crate) fn conn(&self) -> ConnId {
        self.conn
    }

    /// Queues without waiting. `false` when the frame was not queued: the
    /// connection is gone or has just been dropped for reading too slowly.
    pub(crate) fn offer(&self, frame: Bytes) -> bool {
        match self.queue.try_send(Outgoing::Frame(frame)) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.kick();
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }

    pub(crate) fn offer_message(&self, message: &Message) -> bool {
        self.offer(Bytes::from(message.encode()))
    }

    /// Queues, waiting for room: only for answers to this connection's own
    /// requests, which may slow down only this connection.
    pub(crate) async fn send(&self, frame: Bytes) -> bool {
        self.queue.send(Outgoing::Frame(frame)).await.is_ok()
    }

    pub(crate) async fn send_message(&self, message: &Message) -> bool {
        self.send(Bytes::from(message.encode())).await
    }

    /// Resolves once everything queued so far has been written.
    pub(crate) async fn written(&self) -> Option<oneshot::Receiver<()>> {
        let (done, wait) = oneshot::channel();
        self.queue.send(Outgoing::Written(done)).await.ok()?;
        Some(wait)
    }

    /// Drops the connection as too slow; its tasks notice and end.
    pub(crate) fn kick(&self) {
        if !self.kick.send_replace(true) {
            tracing::warn!(
                conn = self.conn,
                "dropping a connection that reads too slowly"
            );
        }
    }

    pub(crate) fn kicked(&self) -> watch::Receiver<bool> {
        self.kick.subscribe()
    }
}
