//! What one write of an open dossier holds, decided without IO.
//!
//! A dossier's writer (the app runs one task per open dossier) asks
//! [`WriteQueue::plan`] for the next batch, writes it, and reports the
//! result with [`WriteQueue::stored`] or [`WriteQueue::failed`]. The rules
//! that keep what people typed, decided here so native tests check them:
//!
//! - the unsaved changes go as one framed chunk, and the drafts whose words
//!   those changes hold are deleted in the same batch, never before;
//! - the sync position (cursor and `on_relay` heads) is taken from the same
//!   state of the document as the chunk and written in the same batch; if
//!   that batch fails, the engine is told its state was not stored, so the
//!   next batch carries it again;
//! - a visit ("everything up to now is seen") goes with the chunk, or as
//!   metadata alone when there is no chunk; a visit alone that cannot be
//!   stored loses only "seen", so it raises no alarm;
//! - what other tabs stored about being seen is taken in first, so one tab
//!   never writes back an older "last seen" over another's.

use std::collections::BTreeSet;

use super::engine::{PendingChunk, SessionDossier};
use super::error::Result;
use super::meta::{DossierMeta, Unseen};
use crate::model::Timestamp;
use crate::storage::WriteBatch;
use crate::sync::{DossierSync, SyncRecord, record};

/// What waits to be written for one open dossier besides its changes.
#[derive(Debug, Default)]
pub struct WriteQueue {
    /// Draft keys whose words are now in the document: deleted in the same
    /// batch as the chunk holding them.
    discards: BTreeSet<String>,
    /// A visit to record with the next write.
    visit_due: bool,
    /// Another tab stored changes while this one shows the dossier: take
    /// the news it noted (if any) as seen here.
    absorb_due: bool,
}

/// The sync engine of a dossier and the record it is stored in, when this
/// tab syncs the dossier.
pub struct SyncPosition<'a> {
    pub engine: &'a mut DossierSync,
    pub record: &'a mut SyncRecord,
}

/// One batch to write, and what to do once it is written.
#[derive(Debug)]
pub struct WritePlan {
    chunk: Option<PendingChunk>,
    /// Written alone when there is no chunk.
    extra: WriteBatch,
    discards: BTreeSet<String>,
    carries_position: bool,
    news: Unseen,
}

/// How a failed write should be shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteFailure {
    /// Only "seen" was lost: nothing anyone typed waits, so no banner.
    OnlySeenLost,
    /// Changes, drafts to delete or the sync position wait in memory; the
    /// person is told, and the next write carries all of it again.
    ChangesWait,
}

impl WriteQueue {
    /// The words of `draft_key` are in the document now: its draft goes
    /// with the next chunk.
    pub fn discard_with_next_chunk(&mut self, draft_key: String) {
        self.discards.insert(draft_key);
    }

    /// A page of the dossier came on screen or left it: record a visit.
    pub fn visit(&mut self) {
        self.visit_due = true;
    }

    /// Another tab stored changes while the dossier is on screen here.
    pub fn absorb_news(&mut self) {
        self.absorb_due = true;
    }

    /// Whether drafts wait to be deleted with the next chunk.
    pub fn has_discards(&self) -> bool {
        !self.discards.is_empty()
    }

    /// The next batch for `dossier`, or `None` when nothing waits.
    /// `stored_meta` is the metadata as storage holds it now (other tabs
    /// may have written a later visit); `sync` is given in the tab that
    /// syncs the dossier.
    pub fn plan(
        &mut self,
        dossier: &mut SessionDossier,
        sync: Option<SyncPosition<'_>>,
        stored_meta: Option<&DossierMeta>,
        now: Timestamp,
    ) -> Result<Option<WritePlan>> {
        if let Some(stored) = stored_meta {
            dossier.adopt_stored_meta(stored);
        }
        // The visit first, so the chunk's metadata carries it. If the chunk
        // cannot be prepared, the visit stays in the metadata in memory and
        // the next batch stores it; the engine's position is not taken yet.
        let visit = std::mem::take(&mut self.visit_due);
        let absorb = std::mem::take(&mut self.absorb_due) && dossier.has_news();
        let seen = (visit || absorb).then(|| dossier.visit(now));
        let chunk = dossier.prepare_chunk(now)?;
        // The sync position goes with the changes it covers: both are
        // taken here, from the same state of the document.
        let position = sync.and_then(|slot| {
            let state = slot.engine.take_state()?;
            slot.record.state = state;
            Some(slot.record.to_json())
        });
        let mut extra = WriteBatch::new();
        for key in &self.discards {
            extra = extra.delete(key.clone());
        }
        let carries_position = position.is_some();
        if let Some(json) = position {
            extra = extra.put(record::key(dossier.id()), json);
        }
        if seen.is_some() && chunk.is_none() {
            // A visit without a chunk still stores its metadata; if even
            // that cannot be prepared, only "seen" is lost.
            if let Ok(meta) = dossier.meta_batch() {
                extra = extra.append(meta);
            }
        }
        // What the home shows as new: what was unseen at the visit, and
        // what others' changes brought while the dossier is on screen.
        let mut news = seen.unwrap_or_default();
        if dossier.is_on_screen()
            && let Some(pending) = &chunk
        {
            news.merge(pending.news());
        }
        let mut plan = WritePlan {
            chunk,
            extra,
            discards: self.discards.clone(),
            carries_position,
            news,
        };
        if let Some(pending) = &mut plan.chunk {
            pending.also(std::mem::take(&mut plan.extra));
        } else if plan.extra.is_empty() {
            // Nothing to write; a visit's news may still be shown.
            return Ok((!plan.news.is_empty()).then_some(plan));
        }
        Ok(Some(plan))
    }

    /// The plan's batch was written.
    pub fn stored(&mut self, plan: WritePlan, dossier: &mut SessionDossier) {
        if let Some(pending) = plan.chunk {
            dossier.chunk_stored(pending);
        }
        self.discards.retain(|k| !plan.discards.contains(k));
    }

    /// The plan's batch was not written: nothing of it is stored. Its
    /// changes stay unsaved in the document, its drafts stay queued, and
    /// the engine carries its position again in the next batch.
    pub fn failed(&mut self, plan: WritePlan, sync: Option<&mut DossierSync>) -> WriteFailure {
        if plan.carries_position
            && let Some(engine) = sync
        {
            engine.state_not_stored();
        }
        if plan.chunk.is_none() && plan.discards.is_empty() && !plan.carries_position {
            WriteFailure::OnlySeenLost
        } else {
            WriteFailure::ChangesWait
        }
    }
}

impl WritePlan {
    /// The batch to write; `None` when the plan only brings news to show.
    pub fn batch(&self) -> Option<&WriteBatch> {
        match &self.chunk {
            Some(pending) => Some(pending.batch()),
            None if self.extra.is_empty() => None,
            None => Some(&self.extra),
        }
    }

    /// What the dossier's home should add to its list of news.
    pub fn news(&self) -> &Unseen {
        &self.news
    }

    /// Whether the batch stores changes of the document.
    pub fn has_chunk(&self) -> bool {
        self.chunk.is_some()
    }

    /// Whether the batch stores the sync position.
    pub fn carries_position(&self) -> bool {
        self.carries_position
    }
}
