//! The sync engine of one dossier, sans IO: it takes relay messages, the
//! document and the clock's say-so, and answers with messages to send and
//! state to store. The same code runs natively against a simulated relay
//! and in the browser over a WebSocket.
//!
//! The rules it keeps (DESIGN.md, "Sync invariants"):
//!
//! - uploads are `get_changes(on_relay)`, where `on_relay` holds the heads
//!   of everything this device knows the relay has: its own acknowledged
//!   uploads and everything applied from the relay. So a device never
//!   sends back what it received;
//! - on an Ack it records the changes of *that* upload, captured when it
//!   was built, never the document's current heads;
//! - the cursor (the relay sequence number up to which everything is
//!   applied) moves only over blobs that applied fully, and is stored with
//!   the changes it covers in one write (the caller puts [`SyncState`] in
//!   the same batch as the chunk; see `store::live`);
//! - a stored state naming changes the document lacks (storage lost a
//!   write) resets to cursor 0: the device fetches everything again;
//! - nothing is uploaded before the backlog after the cursor is in, so a
//!   reset device does not upload what the relay already holds;
//! - a blob that does not decrypt or verify, or carries changes of another
//!   device while claiming to be the signer's own, is reported and never
//!   applied;
//! - a re-founding notice (a member was removed; the dossier moved to a new
//!   secret) counts only when a device of a current member signed it; the
//!   engine then stops and says where the dossier went, or that it went on
//!   without this device.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use automerge::{AutoCommit, Change, ChangeHash};
use driehoek_wire::SigningKey;
use driehoek_wire::blob::{self, BlobKind};
use driehoek_wire::keys::{DossierId, DossierSecret, EncryptionKey};
use driehoek_wire::message::{AppendId, ErrorCode, LoggedBlob, Message, Token};
use driehoek_wire::refound::{NoticeFor, RefoundNotice};
use serde::{Deserialize, Serialize};

/// Change bytes per uploaded blob: a dossier written offline for weeks goes
/// up in several blobs, each well under the relay's frame limit.
pub const UPLOAD_BYTES: usize = 512 * 1024;
/// Bytes per part of a compaction snapshot.
pub const PART_BYTES: usize = 1024 * 1024;
/// The largest blob this device opens (a whole snapshot, joined).
pub const MAX_BLOB_BYTES: usize = 256 * 1024 * 1024;
/// The length of the device-key prefix that starts every actor id of a
/// device: a blob's changes must carry its signer's prefix.
pub const DEVICE_PREFIX_LEN: usize = 16;

/// What is stored per dossier so a restart resumes where it stopped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncState {
    /// Every blob up to this sequence number is applied.
    pub cursor: u64,
    /// Heads of what the relay is known to hold, hex.
    pub on_relay: Vec<String>,
}

/// Where the connection to the relay stands for one dossier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncStatus {
    /// No connection to the relay.
    Offline,
    /// Connected; waiting for what the relay holds.
    Connecting,
    /// Uploading this many changes.
    Sending(usize),
    /// Everything known here is on the relay and the other way round.
    UpToDate,
    /// The relay refused this dossier.
    Refused(ErrorCode),
}

/// Something a person (or a log) should hear about; nothing here stops the
/// other dossiers or the rest of this one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SyncProblem {
    /// A blob from the relay did not open, verify or apply, or came from
    /// another key epoch; it is stepped over for good.
    #[error("blob {seq} was refused: {reason}")]
    Rejected {
        /// The blob's sequence number in the relay's log.
        seq: u64,
        /// Why it was refused.
        reason: String,
    },
    /// The relay answered with an error about this dossier.
    #[error("the relay refused: {message}")]
    Refused {
        /// What the relay refused, as a code.
        code: ErrorCode,
        /// The relay's explanation.
        message: String,
    },
    /// The stored sync position named changes the document lacks (storage
    /// lost a write), so the engine starts again from cursor 0.
    #[error("the stored sync position names changes this device lacks; fetching everything again")]
    Reset,
    /// The relay asked for a compaction, but this device could not build a
    /// snapshot it trusts (it lacks some changes, or the snapshot did not
    /// reload to the same state).
    #[error("a compaction was not sent: {0}")]
    CompactionSkipped(String),
    /// The changes the relay lacks could not be sealed into an upload.
    #[error("could not make an upload: {0}")]
    Upload(String),
}

/// What one input produced.
#[derive(Debug, Default)]
pub struct Step {
    /// Messages for the relay, in the order to send them.
    pub send: Vec<Message>,
    /// The document changed (notify the UI, store a chunk).
    pub doc_changed: bool,
    /// What went wrong on the way; the engine carried on regardless.
    pub problems: Vec<SyncProblem>,
    /// The dossier was re-founded: this engine is done.
    pub refounded: Option<Refounding>,
}

/// Where a re-founded dossier went, for this device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refounding {
    /// Go on at this secret and key epoch (a new log; start from nothing).
    MovedTo {
        /// The dossier's new secret.
        secret: DossierSecret,
        /// The key epoch the new log is written at.
        epoch: u32,
        /// The device that re-founded it (Ed25519 key).
        by: [u8; 32],
    },
    /// The dossier went on without this device: its person was removed,
    /// or it joined with a link from before the re-founding.
    LeftOut {
        /// The device that re-founded it (Ed25519 key).
        by: [u8; 32],
    },
}

/// Counters for tests and benchmarks: how much went up and came down.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncCounters {
    /// Fresh uploads (resends after a reconnect not counted).
    pub uploads: u64,
    /// Changes in those uploads.
    pub uploaded_changes: u64,
    /// Change bytes in those uploads, before sealing.
    pub uploaded_bytes: u64,
    /// Uploads sent again, after a reconnect or a refusal.
    pub resends: u64,
    /// Blobs received whole (a multi-part snapshot counts once).
    pub received_blobs: u64,
    /// Received blobs that were refused and stepped over.
    pub rejected_blobs: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Link {
    Offline,
    /// Subscribed; the backlog is still coming.
    Subscribing,
    Live,
    Refused(ErrorCode),
}

#[derive(Debug)]
struct Upload {
    id: AppendId,
    message: Message,
    /// Hash and dependencies of every change in it.
    changes: Vec<(ChangeHash, Vec<ChangeHash>)>,
    sent: bool,
}

#[derive(Debug)]
struct Compaction {
    id: AppendId,
    heads: Vec<ChangeHash>,
}

/// Pieces of a multi-part snapshot being received.
#[derive(Debug)]
struct Parts {
    seq: u64,
    parts: u32,
    bytes: Vec<u8>,
    next: u32,
}

/// The sync engine of one dossier on one device.
pub struct DossierSync {
    dossier: DossierId,
    token: Token,
    key: EncryptionKey,
    epoch: u32,
    device: SigningKey,
    cursor: u64,
    on_relay: BTreeSet<ChangeHash>,
    /// Sequence numbers above the cursor that are done (applied fully, own
    /// uploads, or refused for good); the cursor moves over them once the
    /// ones below are done too.
    settled: BTreeSet<u64>,
    /// Blobs applied while changes they depend on are missing, with their
    /// changes: they settle once the missing changes arrive.
    waiting: BTreeMap<u64, Vec<(ChangeHash, Vec<ChangeHash>)>>,
    link: Link,
    upload: Option<Upload>,
    compaction: Option<Compaction>,
    hint: Option<u64>,
    parts: Option<Parts>,
    dirty: bool,
    counters: SyncCounters,
}

impl std::fmt::Debug for DossierSync {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DossierSync")
            .field("dossier", &self.dossier)
            .field("cursor", &self.cursor)
            .field("link", &self.link)
            .finish_non_exhaustive()
    }
}

fn heads_from_hex(hex: &[String]) -> Option<BTreeSet<ChangeHash>> {
    hex.iter().map(|h| ChangeHash::from_str(h).ok()).collect()
}

/// The device-key prefix of a signing key.
pub fn device_prefix(device: &SigningKey) -> [u8; DEVICE_PREFIX_LEN] {
    let public = device.verifying_key().to_bytes();
    let mut prefix = [0u8; DEVICE_PREFIX_LEN];
    prefix.copy_from_slice(&public[..DEVICE_PREFIX_LEN]);
    prefix
}

fn random_id() -> Result<AppendId, String> {
    let mut id = [0u8; 16];
    getrandom::fill(&mut id).map_err(|e| e.to_string())?;
    Ok(AppendId(id))
}

/// Splits concatenated change chunks (the output of `save_after`) into
/// changes. Automerge's own incremental load would accept foreign or
/// truncated bytes silently; here each change is parsed and checked.
pub fn split_changes(mut bytes: &[u8]) -> Result<Vec<Change>, String> {
    const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
    let mut changes = Vec::new();
    while !bytes.is_empty() {
        if bytes.len() < 9 || bytes[..4] != MAGIC {
            return Err("not an automerge change".into());
        }
        // magic (4), checksum (4), chunk type (1), then the length as
        // unsigned LEB128.
        let mut len: u64 = 0;
        let mut at = 9;
        let mut shift = 0;
        loop {
            let byte = *bytes.get(at).ok_or("truncated change header")?;
            at += 1;
            len |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 63 {
                return Err("change length too long".into());
            }
        }
        let end = usize::try_from(len)
            .ok()
            .and_then(|l| at.checked_add(l))
            .filter(|end| *end <= bytes.len())
            .ok_or("truncated change")?;
        let change = Change::from_bytes(bytes[..end].to_vec()).map_err(|e| e.to_string())?;
        changes.push(change);
        bytes = &bytes[end..];
    }
    Ok(changes)
}

fn summary(change: &Change) -> (ChangeHash, Vec<ChangeHash>) {
    (change.hash(), change.deps().to_vec())
}

impl DossierSync {
    /// The engine of dossier `secret` at key `epoch`, resuming from
    /// `stored`. A stored state that names changes `doc` lacks is reset
    /// (and reported): the device then fetches the whole log again.
    pub fn new(
        secret: &DossierSecret,
        epoch: u32,
        device: SigningKey,
        stored: Option<SyncState>,
        doc: &mut AutoCommit,
    ) -> (Self, Option<SyncProblem>) {
        let mut engine = DossierSync {
            dossier: secret.dossier_id(),
            token: Token::from(&secret.relay_token()),
            key: secret.encryption_key(),
            epoch,
            device,
            cursor: 0,
            on_relay: BTreeSet::new(),
            settled: BTreeSet::new(),
            waiting: BTreeMap::new(),
            link: Link::Offline,
            upload: None,
            compaction: None,
            hint: None,
            parts: None,
            dirty: false,
            counters: SyncCounters::default(),
        };
        let mut problem = None;
        if let Some(state) = stored {
            match heads_from_hex(&state.on_relay) {
                Some(heads) if heads.iter().all(|h| doc.get_change_by_hash(h).is_some()) => {
                    engine.cursor = state.cursor;
                    engine.on_relay = heads;
                }
                _ => {
                    engine.dirty = true;
                    problem = Some(SyncProblem::Reset);
                }
            }
        }
        (engine, problem)
    }

    /// The dossier's public id on the relay.
    pub fn dossier(&self) -> DossierId {
        self.dossier
    }

    /// The relay sequence number up to which every blob is applied.
    pub fn cursor(&self) -> u64 {
        self.cursor
    }

    /// How much went up and came down so far.
    pub fn counters(&self) -> &SyncCounters {
        &self.counters
    }

    /// Forgets the position (the document lost stored changes): fetch
    /// everything again on the next connection.
    pub fn reset(&mut self) {
        self.cursor = 0;
        self.on_relay.clear();
        self.settled.clear();
        self.waiting.clear();
        self.dirty = true;
    }

    /// The state to store, once per change of it; the caller writes it in
    /// the same batch as the document's unsaved changes.
    pub fn take_state(&mut self) -> Option<SyncState> {
        if !std::mem::replace(&mut self.dirty, false) {
            return None;
        }
        Some(self.state())
    }

    /// The state as it is now.
    pub fn state(&self) -> SyncState {
        SyncState {
            cursor: self.cursor,
            on_relay: self.on_relay.iter().map(ToString::to_string).collect(),
        }
    }

    /// Puts back a state taken by [`Self::take_state`] whose write failed.
    pub fn state_not_stored(&mut self) {
        self.dirty = true;
    }

    /// Where the connection to the relay stands, for the UI.
    pub fn status(&self) -> SyncStatus {
        match self.link {
            Link::Offline => SyncStatus::Offline,
            Link::Subscribing => SyncStatus::Connecting,
            Link::Refused(code) => SyncStatus::Refused(code),
            Link::Live => match &self.upload {
                Some(u) => SyncStatus::Sending(u.changes.len()),
                None => SyncStatus::UpToDate,
            },
        }
    }

    /// The connection (with its Hello) is up: subscribe from the cursor.
    pub fn connected(&mut self) -> Vec<Message> {
        if matches!(self.link, Link::Refused(_)) {
            return Vec::new();
        }
        self.link = Link::Subscribing;
        self.parts = None;
        vec![Message::Subscribe {
            dossier: self.dossier,
            token: self.token.clone(),
            after_seq: self.cursor,
        }]
    }

    /// The connection is gone. An upload in flight is sent again, under
    /// the same id, after the next backlog (the relay stores it once).
    pub fn disconnected(&mut self) {
        if !matches!(self.link, Link::Refused(code) if refused_for_good(code)) {
            self.link = Link::Offline;
        }
        self.parts = None;
        self.compaction = None;
        if let Some(upload) = &mut self.upload {
            upload.sent = false;
        }
    }

    /// Whether `message` is about this dossier.
    pub fn concerns(&self, message: &Message) -> bool {
        match message {
            Message::Blobs { dossier, .. }
            | Message::Blob { dossier, .. }
            | Message::CompactHint { dossier, .. } => *dossier == self.dossier,
            Message::Error { dossier, .. } => *dossier == Some(self.dossier),
            Message::Ack { id, .. } => {
                self.upload.as_ref().is_some_and(|u| u.id == *id)
                    || self.compaction.as_ref().is_some_and(|c| c.id == *id)
            }
            _ => false,
        }
    }

    /// Handles one message from the relay about this dossier, then says
    /// what to send (an upload, a compaction) now that it is handled.
    pub fn handle(&mut self, doc: &mut AutoCommit, message: Message) -> Step {
        let mut step = Step::default();
        match message {
            Message::Blobs {
                dossier,
                items,
                complete,
            } if dossier == self.dossier => {
                for item in items {
                    self.receive(doc, item, &mut step);
                }
                if complete && self.link == Link::Subscribing {
                    self.link = Link::Live;
                }
            }
            Message::Blob {
                dossier,
                seq,
                bytes,
            } if dossier == self.dossier => {
                self.receive(doc, LoggedBlob::whole(seq, bytes), &mut step);
            }
            Message::Ack { id, seq } => self.acked(id, seq),
            Message::CompactHint { dossier, upto_seq } if dossier == self.dossier => {
                self.hint = Some(upto_seq);
            }
            Message::Error {
                code,
                message,
                dossier: Some(dossier),
            } if dossier == self.dossier => {
                if code == ErrorCode::BadCompaction {
                    // Another device compacted first (or a hint came
                    // twice): nothing is lost, the log is compact.
                    self.compaction = None;
                } else {
                    match code {
                        ErrorCode::Unauthorized | ErrorCode::TooLarge | ErrorCode::Retired => {
                            self.link = Link::Refused(code);
                        }
                        // Held until the next connection: by then the
                        // operator may have made room, or the person has
                        // entered the relay's creation code. What is not on
                        // the relay stays here and goes up then.
                        ErrorCode::QuotaExceeded
                        | ErrorCode::CreationCodeRequired
                        | ErrorCode::CreationCodeWrong => {
                            self.link = Link::Refused(code);
                            if let Some(upload) = &mut self.upload {
                                upload.sent = false;
                            }
                        }
                        // The relay could not store it now: the upload goes
                        // again, under its id, on the caller's next poll.
                        ErrorCode::Overloaded => {
                            if let Some(upload) = &mut self.upload {
                                upload.sent = false;
                            }
                        }
                        _ => {}
                    }
                    step.problems.push(SyncProblem::Refused { code, message });
                    // No upload or compaction right after a refusal.
                    return step;
                }
            }
            _ => {}
        }
        self.poll_into(doc, &mut step);
        step
    }

    /// What to send after a local change (or any time): an upload of the
    /// changes the relay lacks, a compaction that was asked for.
    pub fn poll(&mut self, doc: &mut AutoCommit) -> Step {
        let mut step = Step::default();
        self.poll_into(doc, &mut step);
        step
    }

    fn poll_into(&mut self, doc: &mut AutoCommit, step: &mut Step) {
        if self.link != Link::Live {
            return;
        }
        if let Some(upload) = &mut self.upload {
            if !upload.sent {
                upload.sent = true;
                self.counters.resends += 1;
                step.send.push(upload.message.clone());
            }
        } else {
            match self.build_upload(doc) {
                Ok(Some(message)) => step.send.push(message),
                Ok(None) => {}
                Err(e) => step.problems.push(SyncProblem::Upload(e)),
            }
        }
        if let Some(upto) = self.hint
            && self.compaction.is_none()
            && self.upload.is_none()
        {
            match self.build_compaction(doc, upto) {
                Ok(Some(messages)) => {
                    self.hint = None;
                    step.send.extend(messages);
                }
                Ok(None) => {}
                Err(e) => {
                    self.hint = None;
                    step.problems.push(SyncProblem::CompactionSkipped(e));
                }
            }
        }
    }

    fn build_upload(&mut self, doc: &mut AutoCommit) -> Result<Option<Message>, String> {
        let known: Vec<ChangeHash> = self.on_relay.iter().copied().collect();
        let changes = doc.get_changes(&known);
        if changes.is_empty() {
            return Ok(None);
        }
        // A causal prefix, so the relay's copy never waits on a later blob.
        let mut bytes = Vec::new();
        let mut taken = Vec::new();
        let mut own = true;
        let prefix = device_prefix(&self.device);
        for change in changes {
            let raw = change.raw_bytes();
            if !taken.is_empty() && bytes.len() + raw.len() > UPLOAD_BYTES {
                break;
            }
            own &= change.actor_id().to_bytes().starts_with(&prefix);
            bytes.extend_from_slice(raw);
            taken.push(summary(&change));
        }
        let kind = if own {
            BlobKind::Changes
        } else {
            BlobKind::Forwarded
        };
        let sealed = blob::seal(
            &self.key,
            &self.dossier,
            self.epoch,
            &self.device,
            kind,
            &bytes,
        )
        .map_err(|e| e.to_string())?;
        let id = random_id()?;
        let message = Message::Append {
            dossier: self.dossier,
            token: self.token.clone(),
            id,
            bytes: sealed,
        };
        self.counters.uploads += 1;
        self.counters.uploaded_changes += taken.len() as u64;
        self.counters.uploaded_bytes += bytes.len() as u64;
        self.upload = Some(Upload {
            id,
            message: message.clone(),
            changes: taken,
            sent: true,
        });
        Ok(Some(message))
    }

    /// A snapshot for the relay's compaction up to `upto`, if this device
    /// holds everything up to there, fully applied.
    fn build_compaction(
        &mut self,
        doc: &mut AutoCommit,
        upto: u64,
    ) -> Result<Option<Vec<Message>>, String> {
        if self.cursor < upto || !self.waiting.is_empty() {
            // Not everything up to there is here yet; a later hint will
            // come if it still matters.
            return Err(format!("not everything up to {upto} has arrived here"));
        }
        if !doc.get_missing_deps(&[]).is_empty() {
            return Err("changes wait for missing ones".into());
        }
        // Only what the relay holds: a device whose cursor is past `upto`
        // never fetches this snapshot, so anything in it that is not also in
        // a blob would never reach that device.
        let on_relay: Vec<ChangeHash> = self.on_relay.iter().copied().collect();
        let (heads, snapshot) = if sorted(doc.get_heads()) == on_relay {
            (on_relay, doc.save())
        } else {
            let mut fork = doc.fork_at(&on_relay).map_err(|e| e.to_string())?;
            (fork.get_heads(), fork.save())
        };
        let reloaded = AutoCommit::load(&snapshot)
            .map_err(|e| e.to_string())?
            .get_heads();
        if sorted(reloaded) != sorted(heads.clone()) {
            return Err("the snapshot does not reload to the same state".into());
        }
        let sealed = blob::seal(
            &self.key,
            &self.dossier,
            self.epoch,
            &self.device,
            BlobKind::Snapshot,
            &snapshot,
        )
        .map_err(|e| e.to_string())?;
        let id = random_id()?;
        let pieces: Vec<&[u8]> = sealed.chunks(PART_BYTES).collect();
        let parts = u32::try_from(pieces.len()).map_err(|_| "snapshot too large".to_string())?;
        let messages = pieces
            .into_iter()
            .enumerate()
            .map(|(part, bytes)| Message::Compact {
                dossier: self.dossier,
                token: self.token.clone(),
                id,
                upto_seq: upto,
                part: part as u32,
                parts,
                bytes: bytes.to_vec(),
            })
            .collect();
        self.compaction = Some(Compaction { id, heads });
        Ok(Some(messages))
    }

    fn acked(&mut self, id: AppendId, seq: u64) {
        if self.upload.as_ref().is_some_and(|u| u.id == id) {
            if let Some(upload) = self.upload.take() {
                self.add_on_relay(&upload.changes);
            }
            self.settle(seq);
        } else if self.compaction.as_ref().is_some_and(|c| c.id == id)
            && let Some(compaction) = self.compaction.take()
        {
            self.on_relay.extend(compaction.heads);
            self.dirty = true;
        }
    }

    /// The relay holds these changes now: they join `on_relay`, and the
    /// changes they build on leave it (they are covered).
    fn add_on_relay(&mut self, changes: &[(ChangeHash, Vec<ChangeHash>)]) {
        for (hash, _) in changes {
            self.on_relay.insert(*hash);
        }
        for (_, deps) in changes {
            for dep in deps {
                self.on_relay.remove(dep);
            }
        }
        self.dirty = true;
    }

    fn settle(&mut self, seq: u64) {
        if seq <= self.cursor {
            return;
        }
        self.settled.insert(seq);
        self.advance();
    }

    fn advance(&mut self) {
        while self.settled.remove(&(self.cursor + 1)) {
            self.cursor += 1;
            self.dirty = true;
        }
    }

    fn receive(&mut self, doc: &mut AutoCommit, item: LoggedBlob, step: &mut Step) {
        if item.seq <= self.cursor
            || self.settled.contains(&item.seq)
            || self.link == Link::Refused(ErrorCode::Retired)
        {
            return;
        }
        let Some(bytes) = self.join_parts(item.seq, item.part, item.parts, item.bytes) else {
            return;
        };
        let seq = item.seq;
        self.counters.received_blobs += 1;
        let opened = match blob::open(&self.key, &self.dossier, &bytes, MAX_BLOB_BYTES) {
            Ok(o) if o.epoch == self.epoch => o,
            Ok(o) => return self.reject(seq, format!("written for key epoch {}", o.epoch), step),
            Err(e) => return self.reject(seq, e.to_string(), step),
        };
        match opened.kind {
            BlobKind::Changes | BlobKind::Forwarded => {
                let changes = match split_changes(&opened.changes) {
                    Ok(c) => c,
                    Err(e) => return self.reject(seq, e, step),
                };
                if opened.kind == BlobKind::Changes {
                    let prefix = &opened.signer[..DEVICE_PREFIX_LEN];
                    if changes
                        .iter()
                        .any(|c| !c.actor_id().to_bytes().starts_with(prefix))
                    {
                        return self.reject(
                            seq,
                            "it carries changes of another device than its signer".into(),
                            step,
                        );
                    }
                }
                let summaries: Vec<_> = changes.iter().map(summary).collect();
                let before = doc.get_heads();
                if let Err(e) = doc.apply_changes(changes) {
                    return self.reject(seq, e.to_string(), step);
                }
                step.doc_changed |= doc.get_heads() != before;
                self.waiting.insert(seq, summaries);
            }
            BlobKind::Snapshot => {
                let heads = match AutoCommit::load(&opened.changes) {
                    Ok(mut d) => d.get_heads(),
                    Err(e) => return self.reject(seq, e.to_string(), step),
                };
                let before = doc.get_heads();
                if let Err(e) = doc.load_incremental(&opened.changes) {
                    return self.reject(seq, e.to_string(), step);
                }
                step.doc_changed |= doc.get_heads() != before;
                if heads.iter().all(|h| doc.get_change_by_hash(h).is_some()) {
                    // It stands for every blob up to its place.
                    self.on_relay.extend(heads);
                    self.cursor = self.cursor.max(seq);
                    self.settled.retain(|s| *s > seq);
                    self.waiting.retain(|s, _| *s > seq);
                    self.dirty = true;
                    self.advance();
                }
            }
            BlobKind::Refounded => {
                if let Err(reason) = self.refounded(doc, seq, &opened, step) {
                    return self.reject(seq, reason, step);
                }
                return;
            }
            BlobKind::Unknown => self.settle(seq),
        }
        self.settle_waiting(doc);
    }

    /// A re-founding notice: where this dossier went. Only a device of a
    /// current member may move the dossier (the document has everything
    /// before the notice, in log order); the first valid notice wins and
    /// this engine stops.
    fn refounded(
        &mut self,
        doc: &AutoCommit,
        seq: u64,
        opened: &blob::OpenedBlob,
        step: &mut Step,
    ) -> Result<(), String> {
        let notice = RefoundNotice::decode(&opened.changes).map_err(|e| e.to_string())?;
        if notice.epoch <= self.epoch {
            return Err(format!(
                "a re-founding to key epoch {} is not after epoch {}",
                notice.epoch, self.epoch
            ));
        }
        let members = crate::model::read::members(doc).map_err(|e| e.to_string())?;
        if !members.current_devices().any(|d| d.key == opened.signer) {
            return Err("a re-founding signed by a device of no current member".into());
        }
        let by = opened.signer;
        let refounding = match notice
            .open_for(&self.dossier, &self.device)
            .map_err(|e| e.to_string())?
        {
            NoticeFor::Secret(secret) => Refounding::MovedTo {
                secret,
                epoch: notice.epoch,
                by,
            },
            NoticeFor::LeftOut => Refounding::LeftOut { by },
        };
        self.settle(seq);
        self.link = Link::Refused(ErrorCode::Retired);
        self.upload = None;
        self.compaction = None;
        self.hint = None;
        step.refounded = Some(refounding);
        Ok(())
    }

    /// Blobs whose changes are all in the document now settle.
    fn settle_waiting(&mut self, doc: &mut AutoCommit) {
        if self.waiting.is_empty() || !doc.get_missing_deps(&[]).is_empty() {
            return;
        }
        for (seq, changes) in std::mem::take(&mut self.waiting) {
            self.add_on_relay(&changes);
            self.settle(seq);
        }
    }

    fn reject(&mut self, seq: u64, reason: String, step: &mut Step) {
        // It can never become valid: step over it, say so.
        self.counters.rejected_blobs += 1;
        self.settle(seq);
        step.problems.push(SyncProblem::Rejected { seq, reason });
    }

    /// Collects the parts of a snapshot; the whole once the last is in.
    fn join_parts(&mut self, seq: u64, part: u32, parts: u32, bytes: Vec<u8>) -> Option<Vec<u8>> {
        if parts <= 1 {
            return Some(bytes);
        }
        let fresh =
            !matches!(&self.parts, Some(p) if p.seq == seq && p.parts == parts && p.next == part);
        if fresh {
            if part != 0 {
                self.parts = None;
                return None;
            }
            self.parts = Some(Parts {
                seq,
                parts,
                bytes: Vec::new(),
                next: 0,
            });
        }
        let p = self.parts.as_mut()?;
        if p.bytes.len() + bytes.len() > MAX_BLOB_BYTES {
            self.parts = None;
            return None;
        }
        p.bytes.extend_from_slice(&bytes);
        p.next += 1;
        if p.next == p.parts {
            return self.parts.take().map(|p| p.bytes);
        }
        None
    }
}

fn sorted(mut heads: Vec<ChangeHash>) -> Vec<ChangeHash> {
    heads.sort();
    heads
}

/// A refusal that another connection does not change: the dossier's token
/// is not the one the relay knows, the dossier is over the relay's size
/// limit, or its log was retired (re-founded). Others (a full relay, a missing creation code) are tried again
/// on the next connection.
fn refused_for_good(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::Unauthorized | ErrorCode::TooLarge | ErrorCode::Retired
    )
}
