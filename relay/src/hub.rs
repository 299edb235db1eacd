//! Who listens to which dossier: live fan-out and compaction hints.
//!
//! A subscription starts in the backlog state: blobs committed while its
//! backlog is being read are held back, and when the backlog has been
//! queued, those after the backlog's last seq are released. Registering
//! before reading means no blob falls between backlog and live pushes;
//! skipping by seq means none comes twice.
//!
//! The writer thread calls [`Hub::publish`] in commit order, so every
//! subscriber sees a dossier's blobs in seq order.

use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard, PoisonError},
    time::{Duration, Instant},
};

use bytes::Bytes;
use driehoek_wire::keys::DossierId;

use crate::{
    outbox::{ConnId, Outbox},
    wire::Message,
};

/// When to ask a device to compact.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HintPolicy {
    /// Live blobs since the last compaction that call for one; 0 never asks.
    pub(crate) after_blobs: u64,
    /// How long a hint stands before another subscriber may be asked.
    pub(crate) interval: Duration,
}

pub(crate) struct Hub {
    rooms: Mutex<HashMap<DossierId, Room>>,
    /// Blobs held back per subscription while its backlog is read: as many
    /// as its send queue could take.
    held_limit: usize,
    hints: HintPolicy,
}

#[derive(Default)]
struct Room {
    subscribers: Vec<Subscriber>,
    hinted: Option<Hinted>,
    /// Hints go round the subscribers, so one that never compacts does not
    /// stop the dossier from being compacted by another.
    rotation: usize,
}

struct Hinted {
    conn: ConnId,
    at: Instant,
}

struct Subscriber {
    outbox: Outbox,
    gate: Gate,
}

enum Gate {
    /// The backlog is being read; blobs committed meanwhile wait here.
    Backlog(Vec<(u64, Bytes)>),
    /// Pushes go straight to the send queue (only seqs above `after`).
    Live { after: u64 },
}

impl Hub {
    pub(crate) fn new(held_limit: usize, hints: HintPolicy) -> Self {
        Hub {
            rooms: Mutex::new(HashMap::new()),
            held_limit: held_limit.max(1),
            hints,
        }
    }

    /// Nothing here is left half-changed by a panic, so a poisoned lock is
    /// still consistent.
    fn rooms(&self) -> MutexGuard<'_, HashMap<DossierId, Room>> {
        self.rooms.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers (or restarts) a subscription, holding pushes back until
    /// [`Hub::go_live`]. Call before reading the backlog.
    pub(crate) fn subscribe(&self, dossier: DossierId, outbox: &Outbox) {
        let mut rooms = self.rooms();
        let room = rooms.entry(dossier).or_default();
        room.subscribers
            .retain(|subscriber| subscriber.outbox.conn() != outbox.conn());
        room.subscribers.push(Subscriber {
            outbox: outbox.clone(),
            gate: Gate::Backlog(Vec::new()),
        });
    }

    /// The backlog up to `after` has been queued: releases the held-back
    /// blobs after it, and from now on pushes directly.
    pub(crate) fn go_live(&self, dossier: DossierId, conn: ConnId, after: u64) {
        let mut rooms = self.rooms();
        let Some(room) = rooms.get_mut(&dossier) else {
            return;
        };
        let mut dropped = false;
        if let Some(subscriber) = room
            .subscribers
            .iter_mut()
            .find(|subscriber| subscriber.outbox.conn() == conn)
        {
            let held = std::mem::replace(&mut subscriber.gate, Gate::Live { after });
            if let Gate::Backlog(held) = held {
                for (seq, frame) in held {
                    if seq > after && !subscriber.outbox.offer(frame) {
                        dropped = true;
                        break;
                    }
                }
            }
        }
        if dropped {
            room.subscribers
                .retain(|subscriber| subscriber.outbox.conn() != conn);
        }
    }

    pub(crate) fn unsubscribe(&self, dossier: DossierId, conn: ConnId) {
        let mut rooms = self.rooms();
        let Some(room) = rooms.get_mut(&dossier) else {
            return;
        };
        room.subscribers
            .retain(|subscriber| subscriber.outbox.conn() != conn);
        if room
            .hinted
            .as_ref()
            .is_some_and(|hinted| hinted.conn == conn)
        {
            // The asked device left before compacting: ask another one.
            room.hinted = None;
        }
        if room.subscribers.is_empty() {
            rooms.remove(&dossier);
        }
    }

    /// Pushes a committed blob to every subscriber but the appender (which
    /// has its Ack). `frame` is encoded only when someone listens.
    pub(crate) fn publish(
        &self,
        dossier: DossierId,
        seq: u64,
        from: ConnId,
        frame: impl FnOnce() -> Bytes,
    ) -> usize {
        let mut rooms = self.rooms();
        let Some(room) = rooms.get_mut(&dossier) else {
            return 0;
        };
        if room
            .subscribers
            .iter()
            .all(|subscriber| subscriber.outbox.conn() == from)
        {
            return 0;
        }
        let frame = frame();
        let held_limit = self.held_limit;
        let mut pushed = 0;
        room.subscribers.retain_mut(|subscriber| {
            if subscriber.outbox.conn() == from {
                return true;
            }
            match &mut subscriber.gate {
                Gate::Live { after } if seq <= *after => true,
                Gate::Live { .. } => {
                    let queued = subscriber.outbox.offer(frame.clone());
                    pushed += usize::from(queued);
                    queued
                }
                Gate::Backlog(held) if held.len() < held_limit => {
                    held.push((seq, frame.clone()));
                    true
                }
                Gate::Backlog(_) => {
                    subscriber.outbox.kick();
                    false
                }
            }
        });
        pushed
    }

    /// After an append: when the dossier has grown enough since its last
    /// compaction and nobody has been asked recently, asks exactly one
    /// subscriber to compact up to `highest`.
    pub(crate) fn consider_hint(&self, dossier: DossierId, highest: u64, since_compaction: u64) {
        let policy = self.hints;
        if policy.after_blobs == 0 || since_compaction < policy.after_blobs {
            return;
        }
        let mut rooms = self.rooms();
        let Some(room) = rooms.get_mut(&dossier) else {
            return;
        };
        if room
            .hinted
            .as_ref()
            .is_some_and(|hinted| hinted.at.elapsed() < policy.interval)
        {
            return;
        }
        let live: Vec<&Outbox> = room
            .subscribers
            .iter()
            .filter(|subscriber| matches!(subscriber.gate, Gate::Live { .. }))
            .map(|subscriber| &subscriber.outbox)
            .collect();
        if live.is_empty() {
            return;
        }
        let hint = Message::CompactHint {
            dossier,
            upto_seq: highest,
        };
        let frame = Bytes::from(hint.encode());
        for attempt in 0..live.len() {
            let Some(outbox) = live.get((room.rotation + attempt) % live.len()) else {
                break;
            };
            if outbox.offer(frame.clone()) {
                tracing::info!(%dossier, upto_seq = highest, conn = outbox.conn(), "compaction hint sent");
                room.hinted = Some(Hinted {
                    conn: outbox.conn(),
                    at: Instant::now(),
                });
                room.rotation = room.rotation.wrapping_add(attempt + 1);
                return;
            }
        }
    }

    /// A compaction committed: the next hint may go out when the log has
    /// grown again.
    pub(crate) fn compacted(&self, dossier: DossierId) {
        if let Some(room) = self.rooms().get_mut(&dossier) {
            room.hinted = None;
        }
    }
}
