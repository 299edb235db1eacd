//! Loading, persisting and compacting one dossier over a [`KeyValueStore`].

use std::collections::BTreeSet;

use automerge::{ActorId, AutoCommit, ChangeHash, TextEncoding};
use sha2::{Digest, Sha256};

use super::error::{Result, StoreError};
use super::keys;
use super::meta::{DossierMeta, Unseen, heads_from_hex, heads_to_hex, summarize};
use crate::model::commands::{NewDossier, create_dossier};
use crate::model::frame::unframe;
use crate::model::{
    Access, Ctx, Id, ModelError, OwnChanges, Timestamp, access, apply_changes, load_dossier,
    save_changes_after, save_dossier, touched_by_others_since,
};
use crate::storage::{KeyValueStore, WriteBatch};

/// How many random bytes follow the device prefix in a session's actor id.
const SESSION_RANDOM_BYTES: usize = 16;

/// Something the UI should show after opening a dossier; the dossier opened
/// anyway, with everything that could be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreWarning {
    /// Stored bytes failed their frame or were refused by Automerge; they
    /// were skipped and moved under `quarantine`, never deleted.
    #[error("stored bytes under {key} are damaged ({reason}); they were skipped and kept")]
    Damaged {
        key: String,
        reason: String,
        /// Where the bytes are kept now; `None` if moving them failed and
        /// they stay under `key` (still never deleted).
        quarantine: Option<String>,
    },
    /// The metadata named saved changes the stored chunks no longer hold;
    /// the saved heads were reset to what the document really has.
    #[error(
        "{missing} saved change(s) are missing from storage; saving continues from what loaded"
    )]
    SavedHeadsReset { missing: usize },
    /// Some loaded changes wait for changes that are not stored here; they
    /// are kept in their chunks, and compaction waits until they apply.
    #[error("{count} change(s) wait for earlier changes that are missing")]
    MissingDependencies { count: usize },
    /// Damaged bytes from earlier visits are kept for export.
    #[error("{count} damaged item(s) are kept for export")]
    QuarantineHeld { count: usize },
}

/// How a device names itself and counts text positions.
#[derive(Clone, Debug)]
pub struct StoreConfig {
    /// The first bytes of every actor id this device uses (its device key
    /// prefix); each session appends random bytes to it.
    pub device_prefix: Vec<u8>,
    /// The browser wants [`TextEncoding::Utf16CodeUnit`].
    pub encoding: TextEncoding,
}

/// One dossier open in one tab session: the document and what has been
/// stored of it.
#[derive(Debug)]
pub struct SessionDossier {
    id: Id,
    doc: AutoCommit,
    access: Access,
    saved_heads: Vec<ChangeHash>,
    session: String,
    counter: u32,
    meta: DossierMeta,
    /// Chunk keys whose changes this session has (loaded, written or
    /// applied from another tab), so a refresh applies only new ones.
    known_chunks: BTreeSet<String>,
    /// Bytes in the chunks of the last listing plus those written since,
    /// and the size of the snapshot: together they say when compaction is
    /// due without reading storage.
    chunk_bytes: usize,
    snapshot_bytes: usize,
    /// A page of this dossier is on screen: what it holds is seen.
    on_screen: bool,
}

/// Changes prepared for storage: one framed chunk and the metadata, in
/// one batch. Built without touching storage (so the document can stay
/// borrowed only briefly), written by the caller, then confirmed with
/// [`SessionDossier::chunk_stored`].
#[derive(Debug)]
pub struct PendingChunk {
    key: String,
    batch: WriteBatch,
    heads: Vec<ChangeHash>,
    meta: DossierMeta,
    len: usize,
    news: Unseen,
}

impl PendingChunk {
    /// The chunk's key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Adds ops that must land together with the chunk, or not at all
    /// (deleting the draft the chunk's change came from).
    pub fn also(&mut self, extra: WriteBatch) {
        self.batch = std::mem::take(&mut self.batch).append(extra);
    }

    /// The batch to write: the chunk, the metadata and anything added.
    pub fn batch(&self) -> &WriteBatch {
        &self.batch
    }

    /// What other devices changed in it.
    pub fn news(&self) -> &Unseen {
        &self.news
    }
}

/// What [`SessionDossier::apply_stored`] did with chunks another tab wrote.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// Chunks newly applied.
    pub applied: usize,
    /// Chunks that failed their frame or were refused; they stay where
    /// they are, the next open quarantines them.
    pub damaged: Vec<String>,
    /// Some applied changes wait for changes this session lacks.
    pub missing_dependencies: bool,
}

impl SessionDossier {
    pub fn id(&self) -> &Id {
        &self.id
    }

    pub fn doc(&self) -> &AutoCommit {
        &self.doc
    }

    /// For model commands; call [`Persistence::persist_changes`] after.
    pub fn doc_mut(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    pub fn access(&self) -> Access {
        self.access
    }

    /// Reads the schema version again (after changes from another device
    /// arrived: a dossier written by a newer app becomes read-only here).
    pub fn refresh_access(&mut self) {
        if let Ok(access) = access(&self.doc) {
            self.access = access;
        }
    }

    /// Heads everything up to which is stored.
    pub fn saved_heads(&self) -> &[ChangeHash] {
        &self.saved_heads
    }

    /// This session's actor id in hex.
    pub fn session(&self) -> &str {
        &self.session
    }

    /// The metadata as this session last read or wrote it.
    pub fn meta(&self) -> &DossierMeta {
        &self.meta
    }

    /// Whether the document holds changes not yet stored.
    pub fn has_unsaved_changes(&mut self) -> bool {
        sorted(self.doc.get_heads()) != sorted(self.saved_heads.clone())
    }

    /// Whether the stored chunks have outgrown the snapshot, going by what
    /// this session has seen (see [`CompactWhen::ChunksOutgrowSnapshot`]).
    pub fn compaction_due(&self) -> bool {
        !self.known_chunks.is_empty() && self.chunk_bytes > self.snapshot_bytes
    }

    /// Prepares the changes made since the saved heads as ONE framed chunk
    /// (`save_after`, never `save_incremental`) plus the new saved heads
    /// and summary; `None` when there is nothing new. Nothing changes in
    /// the session until [`Self::chunk_stored`], so a failed write is simply
    /// prepared again, with everything unsaved, next time.
    pub fn prepare_chunk(&mut self, now: Timestamp) -> Result<Option<PendingChunk>> {
        let Some(framed) = save_changes_after(&mut self.doc, &self.saved_heads) else {
            return Ok(None);
        };
        let heads = self.doc.get_heads();
        let mut meta = self.meta.clone();
        meta.saved_heads = heads_to_hex(&heads);
        meta.summary = summarize(&self.doc, now);
        // What other devices changed is news; this device's own changes
        // are not. A dossier's first download (nothing saved before) is
        // no news either: it is all there is.
        let news = if self.saved_heads.is_empty() {
            Unseen::default()
        } else {
            let own = self.own_changes();
            let touched = touched_by_others_since(&mut self.doc, &self.saved_heads, &own);
            Unseen::of_changes(&self.doc, &self.saved_heads, &touched)
        };
        if self.on_screen {
            // What a page shows is seen (the page adds `news` to what it
            // says is new).
            meta.last_seen_heads = heads_to_hex(&heads);
            meta.unseen = Unseen::default();
        } else {
            meta.unseen.merge(&news);
        }
        // The counter moves now, so a chunk prepared while this one is in
        // flight never reuses its key.
        let key = keys::chunk(&self.id, now, &self.session, self.counter);
        self.counter = self.counter.wrapping_add(1);
        let len = framed.len();
        let batch = WriteBatch::new()
            .put(key.clone(), framed)
            .put(keys::meta(&self.id), meta_json(&self.id, &meta)?);
        Ok(Some(PendingChunk {
            key,
            batch,
            heads,
            meta,
            len,
            news,
        }))
    }

    /// Takes what another tab stored about being seen (a visit there, news
    /// noted by the tab that syncs), so a write here does not put back what
    /// it replaced. Call it with the stored metadata right before
    /// preparing a write.
    pub fn adopt_stored_meta(&mut self, stored: &DossierMeta) {
        self.meta.unseen = stored.unseen.clone();
        self.meta.last_opened = stored.last_opened;
        self.meta.last_seen_heads = stored.last_seen_heads.clone();
    }

    /// A visit now: everything the document holds is seen. Returns what
    /// was new until now; the metadata goes out with the next write (see
    /// [`Self::meta_batch`]).
    pub fn visit(&mut self, now: Timestamp) -> Unseen {
        self.meta.last_opened = Some(now);
        self.meta.last_seen_heads = heads_to_hex(&self.doc.get_heads());
        std::mem::take(&mut self.meta.unseen)
    }

    /// Whether news is stored that nobody has seen.
    pub fn has_news(&self) -> bool {
        !self.meta.unseen.is_empty()
    }

    /// The metadata alone, for a write without changes (a visit).
    pub fn meta_batch(&self) -> Result<WriteBatch> {
        Ok(WriteBatch::new().put(keys::meta(&self.id), meta_json(&self.id, &self.meta)?))
    }

    /// Whether a page of this dossier is on screen (see [`Unseen`]).
    pub fn set_on_screen(&mut self, on_screen: bool) {
        self.on_screen = on_screen;
    }

    pub fn is_on_screen(&self) -> bool {
        self.on_screen
    }

    /// This device's changes and those of the people registered on it
    /// (see [`OwnChanges`]). A document whose members cannot be read
    /// leaves only the device's own sessions.
    fn own_changes(&self) -> OwnChanges {
        let actor_prefix = self.device_prefix();
        let people = crate::model::read::members(&self.doc)
            .map(|m| {
                m.devices
                    .iter()
                    .filter(|d| !actor_prefix.is_empty() && d.key.starts_with(&actor_prefix))
                    .flat_map(|d| d.persons.iter().map(ToString::to_string))
                    .collect()
            })
            .unwrap_or_default();
        OwnChanges {
            actor_prefix,
            people,
        }
    }

    /// The part of this session's actor id that every session of the
    /// device shares; the whole id when it has no prefix.
    fn device_prefix(&self) -> Vec<u8> {
        let actor = self.doc.get_actor().to_bytes();
        match actor.len().checked_sub(SESSION_RANDOM_BYTES) {
            Some(len) if len > 0 => actor[..len].to_vec(),
            _ => actor.to_vec(),
        }
    }

    /// Records that `pending` is stored: its heads become the saved heads.
    pub fn chunk_stored(&mut self, pending: PendingChunk) {
        self.saved_heads = pending.heads;
        self.meta = pending.meta;
        // A refresh may have listed (and counted) it already.
        if self.known_chunks.insert(pending.key) {
            self.chunk_bytes += pending.len;
        }
    }

    /// Compaction was due but not possible (changes wait for missing ones,
    /// damaged chunks): try again only once the chunks have doubled, not
    /// after every write.
    pub fn postpone_compaction(&mut self) {
        self.snapshot_bytes = self.snapshot_bytes.max(self.chunk_bytes);
    }

    /// Applies chunks another tab stored (a full listing of this dossier's
    /// chunk prefix, as from [`Persistence::chunks_with_bytes`]); only keys
    /// this session has not seen are applied. When nothing of this
    /// session's own was unsaved, the saved heads follow, so the next chunk
    /// does not store the other tab's changes again.
    pub fn apply_stored(&mut self, listing: Vec<(String, Vec<u8>)>) -> Refreshed {
        let had_unsaved = self.has_unsaved_changes();
        let mut out = Refreshed::default();
        let mut present = BTreeSet::new();
        let mut bytes_now = 0usize;
        for (key, bytes) in listing {
            present.insert(key.clone());
            bytes_now += bytes.len();
            if self.known_chunks.contains(&key) {
                continue;
            }
            match apply_changes(&mut self.doc, &bytes) {
                Ok(_) => {
                    out.applied += 1;
                    self.known_chunks.insert(key);
                }
                Err(_) => out.damaged.push(key),
            }
        }
        // Keys another tab compacted away are gone from storage; their
        // changes are in the snapshot now (and in this document already).
        self.known_chunks.retain(|k| present.contains(k));
        self.chunk_bytes = bytes_now;
        out.missing_dependencies = !self.doc.get_missing_deps(&[]).is_empty();
        if out.applied > 0 && !had_unsaved && !out.missing_dependencies {
            self.saved_heads = self.doc.get_heads();
            self.meta.saved_heads = heads_to_hex(&self.saved_heads);
        }
        out
    }

    /// Applies the stored snapshot, which another tab's compaction may
    /// have rewritten with changes whose chunks it then deleted: a tab that
    /// listed the chunks only after that would otherwise never see them.
    /// Changes this session has are skipped by Automerge, so applying what
    /// is known costs time, not correctness. Returns whether anything new
    /// was applied; damaged bytes are refused and change nothing.
    pub fn apply_stored_snapshot(&mut self, bytes: &[u8]) -> Result<bool> {
        let had_unsaved = self.has_unsaved_changes();
        let before = sorted(self.doc.get_heads());
        apply_changes(&mut self.doc, bytes)?;
        self.snapshot_bytes = bytes.len();
        let changed = sorted(self.doc.get_heads()) != before;
        if changed && !had_unsaved && self.doc.get_missing_deps(&[]).is_empty() {
            self.saved_heads = self.doc.get_heads();
            self.meta.saved_heads = heads_to_hex(&self.saved_heads);
        }
        Ok(changed)
    }

    /// Notes the size of a snapshot this session's compaction wrote.
    pub fn snapshot_replaced(&mut self, snapshot_bytes: usize) {
        self.snapshot_bytes = snapshot_bytes;
    }

    /// The size of the snapshot as this session last saw it.
    pub fn snapshot_len(&self) -> usize {
        self.snapshot_bytes
    }
}

/// What [`Persistence::open`] found.
#[derive(Debug)]
pub struct Opened {
    pub dossier: SessionDossier,
    pub warnings: Vec<StoreWarning>,
}

/// When compaction is worth it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompactWhen {
    /// When the readable chunks together are larger than the snapshot:
    /// loading then costs more in chunks than in the snapshot, and the
    /// snapshot written is at most about twice what was read.
    ChunksOutgrowSnapshot,
    /// Whenever there is at least one chunk.
    Always,
}

/// A compaction read and verified, not yet written. Splitting plan and
/// commit lets tests (and a Web Lock holder) see the window in which other
/// tabs may write chunks: those survive, because commit deletes only
/// `read_keys`.
#[derive(Debug)]
pub struct CompactionPlan {
    id: Id,
    /// The snapshot bytes as read (to notice a concurrent compaction).
    read_snapshot: Option<Vec<u8>>,
    snapshot: Vec<u8>,
    read_keys: Vec<String>,
    quarantine: Vec<(String, Vec<u8>)>,
    heads: Vec<ChangeHash>,
}

impl CompactionPlan {
    /// Exactly the chunk keys commit will delete.
    pub fn read_keys(&self) -> &[String] {
        &self.read_keys
    }

    /// The size of the new framed snapshot.
    pub fn snapshot_len(&self) -> usize {
        self.snapshot.len()
    }

    pub fn heads(&self) -> &[ChangeHash] {
        &self.heads
    }
}

/// What a committed compaction did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompactionReport {
    pub deleted: Vec<String>,
    pub snapshot_len: usize,
}

/// The persistence engine over any [`KeyValueStore`]. It holds no
/// document: each tab's [`SessionDossier`] does.
#[derive(Debug)]
pub struct Persistence<'s, S> {
    store: &'s S,
    config: StoreConfig,
}

/// The first 8 bytes of the SHA-256 of `bytes`, in hex.
fn content_tag(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn sorted(mut heads: Vec<ChangeHash>) -> Vec<ChangeHash> {
    heads.sort();
    heads
}

fn meta_json(id: &Id, meta: &DossierMeta) -> Result<Vec<u8>> {
    serde_json::to_vec(meta).map_err(|e| StoreError::Metadata {
        id: id.to_string(),
        reason: e.to_string(),
    })
}

impl<'s, S: KeyValueStore> Persistence<'s, S> {
    pub fn new(store: &'s S, config: StoreConfig) -> Self {
        Self { store, config }
    }

    /// A fresh actor id for one tab session: device prefix plus random
    /// bytes, so two tabs never share one (that breaks merging for good).
    pub fn session_actor(&self) -> Result<ActorId> {
        let mut random = [0u8; SESSION_RANDOM_BYTES];
        getrandom::fill(&mut random).map_err(|e| StoreError::Random(e.to_string()))?;
        let mut bytes = self.config.device_prefix.clone();
        bytes.extend_from_slice(&random);
        Ok(ActorId::from(bytes))
    }

    /// The metadata of one dossier, `None` if there is none.
    pub async fn meta(&self, id: &Id) -> Result<Option<DossierMeta>> {
        match self.store.get(&keys::meta(id)).await? {
            None => Ok(None),
            Some(bytes) => {
                serde_json::from_slice(&bytes)
                    .map(Some)
                    .map_err(|e| StoreError::Metadata {
                        id: id.to_string(),
                        reason: e.to_string(),
                    })
            }
        }
    }

    /// Every dossier on this device with its metadata, by id. Metadata that
    /// cannot be read lists with defaults rather than hiding the dossier.
    pub async fn list_dossiers(&self) -> Result<Vec<(Id, DossierMeta)>> {
        let mut out = Vec::new();
        for (key, value) in self.store.list_prefix(keys::INDEX_PREFIX).await? {
            let Some(rest) = key.strip_prefix(keys::INDEX_PREFIX) else {
                continue;
            };
            let Ok(id) = Id::new(rest) else { continue };
            let meta = serde_json::from_slice(&value).unwrap_or_default();
            out.push((id, meta));
        }
        Ok(out)
    }

    /// Removes a dossier from this device: its metadata, document, drafts,
    /// cached views and every key in `also` (its sync record), in one
    /// batch, so it is either all there or all gone. Other dossiers are
    /// untouched: their keys never share these prefixes.
    pub async fn forget(&self, id: &Id, also: &[String]) -> Result<usize> {
        let mut batch = WriteBatch::new().delete(keys::meta(id));
        let mut count = 1;
        for prefix in [
            keys::dossier_prefix(id),
            keys::drafts_prefix(id),
            keys::view_prefix(id),
        ] {
            for (key, _) in self.store.list_prefix(&prefix).await? {
                batch = batch.delete(key);
                count += 1;
            }
        }
        for key in also {
            batch = batch.delete(key.clone());
            count += 1;
        }
        self.store.write_batch(batch).await?;
        Ok(count)
    }

    /// Damaged bytes kept for export, by key.
    pub async fn quarantined(&self, id: &Id) -> Result<Vec<(String, Vec<u8>)>> {
        Ok(self.store.list_prefix(&keys::quarantine_prefix(id)).await?)
    }

    /// The stored chunk keys and sizes of a dossier, in key order.
    pub async fn chunks(&self, id: &Id) -> Result<Vec<(String, usize)>> {
        Ok(self
            .store
            .list_prefix(&keys::chunk_prefix(id))
            .await?
            .into_iter()
            .map(|(k, v)| (k, v.len()))
            .collect())
    }

    /// Creates a dossier (the model's one creating change) under this
    /// session's actor and stores its snapshot and metadata in one batch.
    pub async fn create(&self, id: &Id, ctx: &Ctx, new: &NewDossier) -> Result<SessionDossier> {
        self.create_on_device(id, ctx, new, None).await
    }

    /// Like [`Self::create`], with the creator's device (its public key and
    /// its signed box key record) registered in the same first snapshot:
    /// the dossier is founded on it.
    pub async fn create_on_device(
        &self,
        id: &Id,
        ctx: &Ctx,
        new: &NewDossier,
        device: Option<(&[u8; 32], &[u8])>,
    ) -> Result<SessionDossier> {
        if self.store.get(&keys::meta(id)).await?.is_some()
            || self.store.get(&keys::snapshot(id)).await?.is_some()
        {
            return Err(ModelError::AlreadyExists {
                kind: "dossier",
                id: id.to_string(),
            }
            .into());
        }
        let actor = self.session_actor()?;
        let session = actor.to_hex_string();
        let mut doc = AutoCommit::new_with_encoding(self.config.encoding).with_actor(actor);
        create_dossier(&mut doc, ctx, new)?;
        if let Some((device, box_record)) = device {
            crate::model::commands::register_device(&mut doc, ctx, device, &ctx.person)?;
            crate::model::commands::publish_box_key(&mut doc, ctx, device, box_record)?;
        }
        let snapshot = save_dossier(&mut doc);
        let heads = doc.get_heads();
        let summary = summarize(&doc, ctx.now);
        let meta = DossierMeta {
            saved_heads: heads_to_hex(&heads),
            last_opened: Some(ctx.now),
            last_seen_heads: heads_to_hex(&heads),
            unseen: Unseen::default(),
            summary,
        };
        let snapshot_bytes = snapshot.len();
        let batch = WriteBatch::new()
            .put(keys::snapshot(id), snapshot)
            .put(keys::meta(id), meta_json(id, &meta)?);
        self.store.write_batch(batch).await?;
        let access = access(&doc)?;
        Ok(SessionDossier {
            id: id.clone(),
            doc,
            access,
            saved_heads: heads,
            session,
            counter: 0,
            meta,
            known_chunks: BTreeSet::new(),
            chunk_bytes: 0,
            snapshot_bytes,
            on_screen: false,
        })
    }

    /// Puts a joined dossier on this device: metadata only, plus `extra`
    /// (the sync record with the secret) in the same batch. Its changes
    /// come from the relay; the device never initialises the document
    /// itself (DESIGN.md, "Schema rules"). Joining again is a no-op.
    pub async fn join(&self, id: &Id, extra: WriteBatch) -> Result<bool> {
        if self.store.get(&keys::meta(id)).await?.is_some() {
            return Ok(false);
        }
        let batch = WriteBatch::new()
            .put(keys::meta(id), meta_json(id, &DossierMeta::default())?)
            .append(extra);
        self.store.write_batch(batch).await?;
        Ok(true)
    }

    /// Keeps damaged bytes under a quarantine key named by their hash, so
    /// keeping the same bytes twice (two tabs, two visits) writes one copy.
    /// A chunk is moved (put and delete in one batch of their own: chunk
    /// keys are never rewritten, so the delete can only remove these
    /// bytes). The snapshot is only copied: another tab's compaction may
    /// write a good snapshot under the same key at any moment, and the next
    /// compaction replaces it anyway.
    async fn quarantine(&self, id: &Id, key: &str, bytes: &[u8]) -> Option<String> {
        let target = keys::quarantine(id, key, &content_tag(bytes));
        let mut batch = WriteBatch::new().put(target.clone(), bytes.to_vec());
        if key != keys::snapshot(id) {
            batch = batch.delete(key.to_string());
        }
        match self.store.write_batch(batch).await {
            Ok(()) => Some(target),
            Err(_) => None,
        }
    }

    /// Loads the snapshot and every chunk in key order. Damaged pieces are
    /// skipped with a warning and quarantined; the rest loads.
    pub async fn open(&self, id: &Id) -> Result<Opened> {
        // Metadata first, chunks second: a chunk another tab writes in
        // between is then in the listing, never named by heads we lack.
        let meta = self.meta(id).await?;
        let stored = self.store.list_prefix(&keys::dossier_prefix(id)).await?;
        let snapshot_key = keys::snapshot(id);
        let chunk_prefix = keys::chunk_prefix(id);
        let quarantine_prefix = keys::quarantine_prefix(id);

        let actor = self.session_actor()?;
        let session = actor.to_hex_string();
        let mut warnings = Vec::new();
        let mut damaged: Vec<(String, Vec<u8>, String)> = Vec::new();
        let mut held = 0usize;
        let mut found_any = false;
        let mut known_chunks = BTreeSet::new();
        let mut chunk_bytes = 0usize;
        let mut snapshot_bytes = 0usize;

        let mut doc = AutoCommit::new_with_encoding(self.config.encoding);
        for (key, bytes) in &stored {
            if *key == snapshot_key {
                found_any = true;
                match load_dossier(bytes, self.config.encoding) {
                    Ok(opened) => {
                        doc = opened.doc;
                        snapshot_bytes = bytes.len();
                    }
                    Err(e) => damaged.push((key.clone(), bytes.clone(), e.to_string())),
                }
            }
        }
        for (key, bytes) in &stored {
            if key.starts_with(&chunk_prefix) {
                found_any = true;
                match apply_changes(&mut doc, bytes) {
                    Ok(_) => {
                        known_chunks.insert(key.clone());
                        chunk_bytes += bytes.len();
                    }
                    Err(e) => damaged.push((key.clone(), bytes.clone(), e.to_string())),
                }
            } else if key.starts_with(&quarantine_prefix) {
                held += 1;
            }
        }
        // A joined dossier whose first changes have not arrived yet has
        // metadata and nothing else: it opens empty and waits.
        let waiting = !found_any && meta.is_some();
        if !found_any && !waiting {
            return Err(StoreError::NotFound(id.to_string()));
        }
        if held > 0 {
            warnings.push(StoreWarning::QuarantineHeld { count: held });
        }
        for (key, bytes, reason) in damaged {
            let quarantine = self.quarantine(id, &key, &bytes).await;
            warnings.push(StoreWarning::Damaged {
                key,
                reason,
                quarantine,
            });
        }
        let access = if waiting {
            // Commands refuse an empty document anyway (it is no dossier
            // yet); this is read again once changes arrive.
            Access::ReadWrite
        } else {
            access(&doc).map_err(|_| StoreError::Unreadable(id.to_string()))?
        };
        doc.set_actor(actor);

        let queued = doc.get_missing_deps(&[]).len();
        if queued > 0 {
            warnings.push(StoreWarning::MissingDependencies { count: queued });
        }

        // Everything in the document came from storage, so its heads are
        // the saved heads. The metadata's heads are a check: if they name
        // changes the document lacks, a chunk is gone; say so, keep going.
        let mut meta = meta.unwrap_or_default();
        let (recorded, unparsable) = heads_from_hex(&meta.saved_heads);
        let missing = unparsable.len()
            + recorded
                .iter()
                .filter(|h| doc.get_change_by_hash(h).is_none())
                .count();
        if missing > 0 {
            warnings.push(StoreWarning::SavedHeadsReset { missing });
        }
        let saved_heads = doc.get_heads();
        meta.saved_heads = heads_to_hex(&saved_heads);
        Ok(Opened {
            dossier: SessionDossier {
                id: id.clone(),
                doc,
                access,
                saved_heads,
                session,
                counter: 0,
                meta,
                known_chunks,
                chunk_bytes,
                snapshot_bytes,
                on_screen: false,
            },
            warnings,
        })
    }

    /// Writes the changes made since the saved heads as ONE framed chunk
    /// (`save_after`, never `save_incremental`) together with the new
    /// saved heads and summary, in one batch. Returns the chunk key, or
    /// `None` when there was nothing new. On failure nothing is stored and
    /// the saved heads stay, so the next call writes the same changes again.
    pub async fn persist_changes(
        &self,
        dossier: &mut SessionDossier,
        now: Timestamp,
    ) -> Result<Option<String>> {
        let Some(pending) = dossier.prepare_chunk(now)? else {
            return Ok(None);
        };
        self.store.write_batch(pending.batch().clone()).await?;
        let key = pending.key().to_string();
        dossier.chunk_stored(pending);
        Ok(Some(key))
    }

    /// Writes a prepared chunk; confirm with [`SessionDossier::chunk_stored`].
    pub async fn write_chunk(&self, pending: &PendingChunk) -> Result<()> {
        Ok(self.store.write_batch(pending.batch().clone()).await?)
    }

    /// Every chunk of a dossier with its bytes, in key order, for
    /// [`SessionDossier::apply_stored`].
    pub async fn chunks_with_bytes(&self, id: &Id) -> Result<Vec<(String, Vec<u8>)>> {
        Ok(self.store.list_prefix(&keys::chunk_prefix(id)).await?)
    }

    /// The stored snapshot, if there is one.
    pub async fn snapshot(&self, id: &Id) -> Result<Option<Vec<u8>>> {
        Ok(self.store.get(&keys::snapshot(id)).await?)
    }

    /// Records that the person opened the dossier now and has seen its
    /// current heads. Returns the heads seen before, for "new since your
    /// last visit".
    pub async fn record_visit(
        &self,
        dossier: &mut SessionDossier,
        now: Timestamp,
    ) -> Result<Vec<ChangeHash>> {
        let (before, _) = heads_from_hex(&dossier.meta().last_seen_heads);
        dossier.visit(now);
        self.store.write_batch(dossier.meta_batch()?).await?;
        Ok(before)
    }

    /// Reads the snapshot and chunks and builds a verified new snapshot;
    /// `None` when compaction is not due or not safe yet (changes waiting
    /// for missing dependencies would be lost from the snapshot).
    pub async fn plan_compaction(
        &self,
        id: &Id,
        when: CompactWhen,
    ) -> Result<Option<CompactionPlan>> {
        let stored = self.store.list_prefix(&keys::dossier_prefix(id)).await?;
        let snapshot_key = keys::snapshot(id);
        let chunk_prefix = keys::chunk_prefix(id);

        let mut doc = AutoCommit::new_with_encoding(self.config.encoding);
        let mut read_snapshot = None;
        let mut snapshot_len = 0usize;
        let mut quarantine = Vec::new();
        for (key, bytes) in &stored {
            if *key == snapshot_key {
                read_snapshot = Some(bytes.clone());
                match load_dossier(bytes, self.config.encoding) {
                    Ok(opened) => {
                        doc = opened.doc;
                        snapshot_len = bytes.len();
                    }
                    // The new snapshot replaces it: keep a copy first.
                    Err(_) => quarantine.push((
                        keys::quarantine(id, key, &content_tag(bytes)),
                        bytes.clone(),
                    )),
                }
            }
        }
        let mut read_keys = Vec::new();
        let mut chunk_total = 0usize;
        for (key, bytes) in &stored {
            if !key.starts_with(&chunk_prefix) {
                continue;
            }
            // A damaged chunk is not read, so it is never deleted.
            if unframe(bytes).is_ok() && apply_changes(&mut doc, bytes).is_ok() {
                read_keys.push(key.clone());
                chunk_total += bytes.len();
            }
        }
        let due = match when {
            CompactWhen::Always => !read_keys.is_empty(),
            CompactWhen::ChunksOutgrowSnapshot => {
                !read_keys.is_empty() && chunk_total > snapshot_len
            }
        };
        if !due || !doc.get_missing_deps(&[]).is_empty() || access(&doc).is_err() {
            return Ok(None);
        }
        let snapshot = save_dossier(&mut doc);
        let heads = sorted(doc.get_heads());
        let reloaded = load_dossier(&snapshot, self.config.encoding)?;
        let mut reloaded = reloaded.doc;
        if sorted(reloaded.get_heads()) != heads {
            return Err(StoreError::SnapshotMismatch);
        }
        Ok(Some(CompactionPlan {
            id: id.clone(),
            read_snapshot,
            snapshot,
            read_keys,
            quarantine,
            heads,
        }))
    }

    /// Writes the planned snapshot and deletes exactly the chunk keys the
    /// plan read, in one batch; chunks written since survive.
    pub async fn commit_compaction(&self, plan: CompactionPlan) -> Result<CompactionReport> {
        // Web Locks keep two tabs from compacting at once; this check only
        // narrows the window should that ever fail.
        if self.store.get(&keys::snapshot(&plan.id)).await? != plan.read_snapshot {
            return Err(StoreError::CompactionRaced);
        }
        let snapshot_len = plan.snapshot.len();
        let mut batch = WriteBatch::new();
        for (key, bytes) in plan.quarantine {
            batch = batch.put(key, bytes);
        }
        batch = batch.put(keys::snapshot(&plan.id), plan.snapshot);
        for key in &plan.read_keys {
            batch = batch.delete(key.clone());
        }
        self.store.write_batch(batch).await?;
        Ok(CompactionReport {
            deleted: plan.read_keys,
            snapshot_len,
        })
    }

    /// Compacts when the chunks outgrow the snapshot; `None` if not due.
    pub async fn compact(&self, id: &Id) -> Result<Option<CompactionReport>> {
        match self
            .plan_compaction(id, CompactWhen::ChunksOutgrowSnapshot)
            .await?
        {
            Some(plan) => Ok(Some(self.commit_compaction(plan).await?)),
            None => Ok(None),
        }
    }
}
