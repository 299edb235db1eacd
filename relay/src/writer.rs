//! Group commit: one thread makes every change to the store.
//!
//! Connections queue their appends here and go on reading. The thread takes
//! whatever has queued up (up to a bound), commits it in ONE transaction,
//! and only then sends each appender its Ack and pushes the new blobs to
//! the other subscribers. While a batch waits for the disk, the next one
//! gathers, so under load a sync to disk is shared by many appends and
//! with one client it adds no wait at all.
//!
//! One thread also means one order: blobs are published in commit order,
//! which is seq order within a dossier.

use std::{
    sync::{Arc, Mutex, PoisonError},
    thread::JoinHandle,
    time::Instant,
};

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};

use crate::{
    hub::Hub,
    outbox::Outbox,
    store::{BlobStore, Compaction, NewBlob, StoreError, Timestamp},
    sync::refusal_for,
    wire::Message,
};

/// Appends in one transaction at most: bounds the wait of the first one.
const MAX_BATCH_BLOBS: usize = 1024;
const MAX_BATCH_BYTES: usize = 64 * 1024 * 1024;
/// Commands that may wait for the writer before connections wait too.
const QUEUE: usize = 4096;

pub(crate) enum Command {
    Append {
        blob: NewBlob,
        origin: Outbox,
    },
    Compact {
        compaction: Compaction,
        origin: Outbox,
    },
    Purge {
        before: Timestamp,
        limit: usize,
        done: oneshot::Sender<Result<usize, StoreError>>,
    },
    /// Everything queued before it is committed, then the thread ends.
    Stop,
}

pub(crate) struct Writer {
    queue: mpsc::Sender<Command>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Writer {
    pub(crate) fn start(
        store: Arc<dyn BlobStore>,
        hub: Arc<Hub>,
        max_dossier_bytes: u64,
    ) -> std::io::Result<Self> {
        let (queue, commands) = mpsc::channel(QUEUE);
        let thread = std::thread::Builder::new()
            .name("relay-writer".into())
            .spawn(move || {
                Committer {
                    store,
                    hub,
                    max_dossier_bytes,
                }
                .run(commands);
            })?;
        Ok(Writer {
            queue,
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Waits for room in the queue: a busy disk slows the appenders down
    /// instead of growing memory. `false` once the writer has stopped.
    pub(crate) async fn submit(&self, command: Command) -> bool {
        self.queue.send(command).await.is_ok()
    }

    /// Commits what is queued and ends the thread.
    pub(crate) async fn stop(&self) {
        let _ = self.queue.send(Command::Stop).await;
        let thread = self
            .thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(thread) = thread {
            let joined = tokio::task::spawn_blocking(move || thread.join()).await;
            if !matches!(joined, Ok(Ok(()))) {
                tracing::error!("the writer thread failed");
            }
        }
    }
}

/// Appends side by side with who sent them, so the store gets a slice.
struct Batch {
    blobs: Vec<NewBlob>,
    origins: Vec<Outbox>,
}

struct Committer {
    store: Arc<dyn BlobStore>,
    hub: Arc<Hub>,
    max_dossier_bytes: u64,
}

impl Committer {
    fn run(self, mut commands: mpsc::Receiver<Command>) {
        let mut next = None;
        loop {
            let command = match next.take() {
                Some(command) => command,
                None => match commands.blocking_recv() {
                    Some(command) => command,
                    None => break,
                },
            };
            match command {
                Command::Append { blob, origin } => {
                    let mut bytes = blob.bytes.len();
                    let mut batch = Batch {
                        blobs: vec![blob],
                        origins: vec![origin],
                    };
                    while batch.blobs.len() < MAX_BATCH_BLOBS && bytes < MAX_BATCH_BYTES {
                        match commands.try_recv() {
                            Ok(Command::Append { blob, origin }) => {
                                bytes += blob.bytes.len();
                                batch.blobs.push(blob);
                                batch.origins.push(origin);
                            }
                            // Anything else waits its turn: order is kept.
                            Ok(other) => {
                                next = Some(other);
                                break;
                            }
                            Err(_) => break,
                        }
                    }
                    self.append(batch, bytes);
                }
                Command::Compact { compaction, origin } => self.compact(&compaction, &origin),
                Command::Purge {
                    before,
                    limit,
                    done,
                } => {
                    let _ = done.send(self.store.purge(before, limit));
                }
                Command::Stop => break,
            }
        }
        tracing::debug!("writer stopped");
    }

    fn append(&self, batch: Batch, bytes: usize) {
        let started = Instant::now();
        let outcomes = match self
            .store
            .append_batch(&batch.blobs, self.max_dossier_bytes)
        {
            Ok(outcomes) => outcomes,
            Err(err) => {
                tracing::error!(blobs = batch.blobs.len(), error = %err, "could not commit appends");
                for (blob, origin) in batch.blobs.iter().zip(&batch.origins) {
                    origin.offer_message(&refusal_for(&err, blob.dossier));
                }
                return;
            }
        };
        tracing::debug!(
            blobs = batch.blobs.len(),
            bytes,
            micros = started.elapsed().as_micros() as u64,
            "batch committed"
        );
        // Per dossier, the last state after this batch, for the hints.
        let mut grown: Vec<(driehoek_wire::keys::DossierId, u64, u64)> = Vec::new();
        let mut outcomes = outcomes.into_iter();
        for (blob, origin) in batch.blobs.into_iter().zip(batch.origins) {
            let NewBlob { dossier, id, bytes } = blob;
            let outcome = outcomes
                .next()
                .unwrap_or(Err(StoreError::Damaged("a batch gave too few outcomes")));
            match outcome {
                Ok(appended) => {
                    let seq = appended.seq;
                    tracing::trace!(%dossier, seq, size = bytes.len(), new = appended.new, conn = origin.conn(), "appended");
                    origin.offer_message(&Message::Ack { id, seq });
                    if appended.new {
                        self.hub.publish(dossier, seq, origin.conn(), move || {
                            Bytes::from(
                                Message::Blob {
                                    dossier,
                                    seq,
                                    bytes,
                                }
                                .encode(),
                            )
                        });
                        match grown.iter_mut().find(|(d, _, _)| *d == dossier) {
                            Some(entry) => *entry = (dossier, seq, appended.since_compaction),
                            None => grown.push((dossier, seq, appended.since_compaction)),
                        }
                    }
                }
                Err(err) => {
                    tracing::info!(%dossier, size = bytes.len(), reason = %err, "append refused");
                    origin.offer_message(&refusal_for(&err, dossier));
                }
            }
        }
        for (dossier, highest, since_compaction) in grown {
            self.hub.consider_hint(dossier, highest, since_compaction);
        }
    }

    fn compact(&self, compaction: &Compaction, origin: &Outbox) {
        let dossier = compaction.dossier;
        let size: usize = compaction.parts.iter().map(Vec::len).sum();
        match self
            .store
            .compact(compaction, self.max_dossier_bytes, crate::store::now())
        {
            Ok(()) => {
                tracing::info!(
                    %dossier,
                    upto_seq = compaction.upto_seq,
                    parts = compaction.parts.len(),
                    size,
                    "compaction committed"
                );
                self.hub.compacted(dossier);
                origin.offer_message(&Message::Ack {
                    id: compaction.id,
                    seq: compaction.upto_seq,
                });
            }
            Err(err) => {
                tracing::info!(%dossier, upto_seq = compaction.upto_seq, reason = %err, "compaction refused");
                origin.offer_message(&refusal_for(&err, dossier));
            }
        }
    }
}
