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
    sync::{Arc, Mutex, PoisonError, atomic::Ordering},
    thread::JoinHandle,
    time::Instant,
};

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};

use crate::{
    hub::Hub,
    metrics::Metrics,
    outbox::Outbox,
    refusal::refusal_for,
    store::{BlobStore, Compaction, NewBlob, StoreError, Timestamp},
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
        /// When the connection read it, for the latency metric.
        received: Instant,
    },
    Compact {
        compaction: Compaction,
        origin: Outbox,
    },
    /// Closes a dossier's log; answered `Ack { id, seq: 0 }` once durable.
    Retire {
        dossier: driehoek_wire::keys::DossierId,
        id: driehoek_wire::message::AppendId,
        origin: Outbox,
    },
    Purge {
        before: Timestamp,
        limit: usize,
        done: oneshot::Sender<Result<usize, StoreError>>,
    },
    /// A test write in the writer's turn, as an append would be: the
    /// health check then also sees a writer that is stuck.
    Probe {
        done: oneshot::Sender<Result<(), StoreError>>,
    },
    /// Everything queued before it is committed, then the thread ends.
    Stop,
}

pub(crate) struct Writer {
    queue: mpsc::Sender<Command>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

/// The limits the writer keeps.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub(crate) max_dossier_bytes: u64,
    /// All blobs kept together (0: no limit).
    pub(crate) max_total_bytes: u64,
}

impl Writer {
    /// `stored_bytes` is what the store holds at start; from then on the
    /// writer, which makes every change, keeps the count.
    pub(crate) fn start(
        store: Arc<dyn BlobStore>,
        hub: Arc<Hub>,
        limits: Limits,
        metrics: Arc<Metrics>,
        stored_bytes: u64,
    ) -> std::io::Result<Self> {
        let (queue, commands) = mpsc::channel(QUEUE);
        metrics.stored_bytes.store(stored_bytes, Ordering::Relaxed);
        let thread = std::thread::Builder::new()
            .name("relay-writer".into())
            .spawn(move || {
                Committer {
                    store,
                    hub,
                    limits,
                    metrics,
                    stored_bytes,
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
    received: Vec<Instant>,
}

struct Committer {
    store: Arc<dyn BlobStore>,
    hub: Arc<Hub>,
    limits: Limits,
    metrics: Arc<Metrics>,
    /// Bytes of every blob kept, live and replaced.
    stored_bytes: u64,
}

impl Committer {
    fn run(mut self, mut commands: mpsc::Receiver<Command>) {
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
                Command::Append {
                    blob,
                    origin,
                    received,
                } => {
                    let mut bytes = blob.bytes.len();
                    let mut batch = Batch {
                        blobs: vec![blob],
                        origins: vec![origin],
                        received: vec![received],
                    };
                    while batch.blobs.len() < MAX_BATCH_BLOBS && bytes < MAX_BATCH_BYTES {
                        match commands.try_recv() {
                            Ok(Command::Append {
                                blob,
                                origin,
                                received,
                            }) => {
                                bytes += blob.bytes.len();
                                batch.blobs.push(blob);
                                batch.origins.push(origin);
                                batch.received.push(received);
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
                Command::Retire {
                    dossier,
                    id,
                    origin,
                } => self.retire(dossier, id, &origin),
                Command::Purge {
                    before,
                    limit,
                    done,
                } => {
                    let purged = self.store.purge(before, limit);
                    if matches!(purged, Ok(rows) if rows > 0) {
                        self.recount();
                    }
                    let _ = done.send(purged);
                }
                Command::Probe { done } => {
                    let probed = self.store.probe_write();
                    if probed.is_err() {
                        Metrics::add(&self.metrics.store_failures, 1);
                    }
                    let _ = done.send(probed);
                }
                Command::Stop => break,
            }
        }
        tracing::debug!("writer stopped");
    }

    /// The stored bytes after a purge, from the store itself: a purge
    /// deletes rows without saying how large they were.
    fn recount(&mut self) {
        match self.store.totals() {
            Ok(totals) => {
                self.stored_bytes = totals.stored_bytes;
                self.metrics
                    .stored_bytes
                    .store(totals.stored_bytes, Ordering::Relaxed);
            }
            Err(err) => tracing::error!(error = %err, "counting the stored bytes failed"),
        }
    }

    /// Over the relay's total limit with `more` bytes?
    fn over_total(&self, stored: u64, more: u64) -> Option<StoreError> {
        let limit = self.limits.max_total_bytes;
        let wanted = stored.saturating_add(more);
        (limit > 0 && wanted > limit).then_some(StoreError::Full { wanted, limit })
    }

    fn append(&mut self, batch: Batch, bytes: usize) {
        let started = Instant::now();
        // The relay's total limit, checked here where every change passes.
        // Counting every blob of the batch (a repeated id or one its dossier
        // refuses would store nothing) may refuse a blob close to the limit
        // that would have fitted, but never lets the total pass it.
        let mut expected = self.stored_bytes;
        let mut full: Vec<Option<StoreError>> = Vec::with_capacity(batch.blobs.len());
        let mut admitted = Vec::with_capacity(batch.blobs.len());
        for blob in &batch.blobs {
            let size = blob.bytes.len() as u64;
            match self.over_total(expected, size) {
                Some(refusal) => full.push(Some(refusal)),
                None => {
                    expected += size;
                    full.push(None);
                    admitted.push(blob.clone());
                }
            }
        }
        let outcomes = if admitted.is_empty() {
            Vec::new()
        } else {
            match self
                .store
                .append_batch(&admitted, self.limits.max_dossier_bytes)
            {
                Ok(outcomes) => outcomes,
                Err(err) => {
                    Metrics::add(&self.metrics.store_failures, 1);
                    tracing::error!(blobs = batch.blobs.len(), error = %err, "could not commit appends");
                    for (blob, origin) in batch.blobs.iter().zip(&batch.origins) {
                        self.refuse(origin, &err, blob.dossier);
                    }
                    return;
                }
            }
        };
        let committed = started.elapsed();
        if !admitted.is_empty() {
            self.metrics.commit_latency.observe(committed);
        }
        tracing::debug!(
            blobs = batch.blobs.len(),
            bytes,
            micros = committed.as_micros() as u64,
            "batch committed"
        );
        // Per dossier, the last state after this batch, for the hints.
        let mut grown: Vec<(driehoek_wire::keys::DossierId, u64, u64)> = Vec::new();
        let mut outcomes = outcomes.into_iter();
        let blobs = batch
            .blobs
            .into_iter()
            .zip(batch.origins)
            .zip(batch.received);
        for (((blob, origin), received), refused) in blobs.zip(full) {
            let NewBlob { dossier, id, bytes } = blob;
            let outcome = match refused {
                Some(refusal) => Err(refusal),
                None => outcomes
                    .next()
                    .unwrap_or(Err(StoreError::Damaged("a batch gave too few outcomes"))),
            };
            match outcome {
                Ok(appended) => {
                    let seq = appended.seq;
                    tracing::trace!(%dossier, seq, size = bytes.len(), new = appended.new, conn = origin.conn(), "appended");
                    origin.offer_message(&Message::Ack { id, seq });
                    self.metrics.append_latency.observe(received.elapsed());
                    if appended.new {
                        let size = bytes.len() as u64;
                        self.stored_bytes = self.stored_bytes.saturating_add(size);
                        Metrics::add(&self.metrics.appends, 1);
                        Metrics::add(&self.metrics.appended_bytes, size);
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
                    } else {
                        Metrics::add(&self.metrics.duplicate_appends, 1);
                    }
                }
                Err(err) => {
                    tracing::info!(%dossier, size = bytes.len(), reason = %err, "append refused");
                    self.refuse(&origin, &err, dossier);
                }
            }
        }
        self.metrics
            .stored_bytes
            .store(self.stored_bytes, Ordering::Relaxed);
        for (dossier, highest, since_compaction) in grown {
            self.hub.consider_hint(dossier, highest, since_compaction);
        }
    }

    fn refuse(&self, origin: &Outbox, err: &StoreError, dossier: driehoek_wire::keys::DossierId) {
        let message = refusal_for(err, dossier);
        if let Message::Error { code, .. } = &message {
            self.metrics.refused(*code);
        }
        origin.offer_message(&message);
    }

    fn retire(
        &mut self,
        dossier: driehoek_wire::keys::DossierId,
        id: driehoek_wire::message::AppendId,
        origin: &Outbox,
    ) {
        match self.store.retire(dossier, crate::store::now()) {
            Ok(()) => {
                Metrics::add(&self.metrics.retirements, 1);
                tracing::info!(%dossier, "dossier retired");
                origin.offer_message(&Message::Ack { id, seq: 0 });
            }
            Err(err) => {
                if matches!(err, StoreError::Database(_) | StoreError::Damaged(_)) {
                    Metrics::add(&self.metrics.store_failures, 1);
                }
                tracing::info!(%dossier, reason = %err, "retirement refused");
                self.refuse(origin, &err, dossier);
            }
        }
    }

    fn compact(&mut self, compaction: &Compaction, origin: &Outbox) {
        let dossier = compaction.dossier;
        let size: usize = compaction.parts.iter().map(Vec::len).sum();
        // The replaced blobs stay for the grace period: a compaction adds
        // its snapshot to what the relay keeps, so it is under the limit.
        // A compaction at the last one's seq can only be its repeat (a lost
        // Ack), which the store answers without storing anything.
        let repeat = self
            .store
            .stats(dossier)
            .is_ok_and(|stats| stats.compacted_upto == compaction.upto_seq);
        let result = match self.over_total(self.stored_bytes, size as u64) {
            Some(full) if !repeat => Err(full),
            _ => self.store.compact(
                compaction,
                self.limits.max_dossier_bytes,
                crate::store::now(),
            ),
        };
        match result {
            Ok(()) => {
                if !repeat {
                    self.stored_bytes = self.stored_bytes.saturating_add(size as u64);
                }
                self.metrics
                    .stored_bytes
                    .store(self.stored_bytes, Ordering::Relaxed);
                Metrics::add(&self.metrics.compactions, 1);
                Metrics::add(&self.metrics.compacted_bytes, size as u64);
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
                if matches!(err, StoreError::Database(_) | StoreError::Damaged(_)) {
                    Metrics::add(&self.metrics.store_failures, 1);
                }
                tracing::info!(%dossier, upto_seq = compaction.upto_seq, reason = %err, "compaction refused");
                self.refuse(origin, &err, dossier);
            }
        }
    }
}
