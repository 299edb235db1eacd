//! Drafts: what a person is typing, saved on every keystroke, so that a
//! crash, a closed tab or a dead battery loses nothing.
//!
//! A draft lives beside the document, not in it: committing every
//! keystroke would cost megabytes of history. When the typed text is
//! committed, the chunk with the change and the deletion of the draft go
//! in ONE batch, so at any moment the words are in the draft, in the
//! document, or (briefly) in both; never in neither.
//!
//! Every editing session of a target (a new entry's id, or an existing
//! entry) writes under its own nonce. A commit then deletes exactly the
//! key it came from: when the person goes on typing while that write is in
//! flight, the newer words are under a new nonce and survive.

use serde::{Deserialize, Serialize};

use super::error::{Result, StoreError};
use super::keys;
use crate::model::{Id, Timestamp};
use crate::storage::{KeyValueStore, WriteBatch};

/// What is being typed for one target.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The entry kind chosen so far, as stored in the document.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub body: String,
    /// `YYYY-MM-DD`, empty for "today".
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub by_child: bool,
    /// Whether the target already exists (an edit) or is new.
    #[serde(default)]
    pub editing: bool,
    #[serde(default)]
    pub updated_at: Timestamp,
    /// Which field outside the logbook this is typed into (for example
    /// `agreement/goals`); empty for a logbook entry.
    #[serde(default)]
    pub field: String,
    /// For a field over shared text: the text it was typed over, and the
    /// document's heads then (hex), so the words can be moved over what
    /// others wrote since.
    #[serde(default)]
    pub base: String,
    #[serde(default)]
    pub base_heads: Vec<String>,
    /// A new entry's labels as typed (comma-separated).
    #[serde(default)]
    pub tags: String,
}

/// Where one editing session of one target keeps its draft.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DraftSlot {
    pub dossier: Id,
    pub target: Id,
    pub nonce: Id,
}

impl DraftSlot {
    /// A fresh editing session of `target`.
    pub fn new(dossier: Id, target: Id) -> Result<Self> {
        let nonce = Id::random().map_err(StoreError::Model)?;
        Ok(Self {
            dossier,
            target,
            nonce,
        })
    }

    pub fn key(&self) -> String {
        keys::draft(&self.dossier, &self.target, &self.nonce)
    }

    /// Saves `draft` under this slot.
    pub async fn save(&self, store: &impl KeyValueStore, draft: &Draft) -> Result<()> {
        let json = serde_json::to_vec(draft).map_err(|e| StoreError::Metadata {
            id: self.key(),
            reason: e.to_string(),
        })?;
        Ok(store.put(&self.key(), &json).await?)
    }

    /// The ops that delete this slot's draft; add them to the batch that
    /// stores the committed change.
    pub fn discard_ops(&self) -> WriteBatch {
        WriteBatch::new().delete(self.key())
    }

    /// Every draft of a dossier, newest first per target, with its slot.
    /// A draft that cannot be read is skipped (it stays stored).
    pub async fn list(store: &impl KeyValueStore, dossier: &Id) -> Result<Vec<(DraftSlot, Draft)>> {
        let prefix = keys::drafts_prefix(dossier);
        let mut out = Vec::new();
        for (key, bytes) in store.list_prefix(&prefix).await? {
            let Some(rest) = key.strip_prefix(&prefix) else {
                continue;
            };
            let Some((target, nonce)) = rest.split_once('/') else {
                continue;
            };
            let (Ok(target), Ok(nonce)) = (Id::new(target), Id::new(nonce)) else {
                continue;
            };
            let Ok(draft) = serde_json::from_slice::<Draft>(&bytes) else {
                continue;
            };
            out.push((
                DraftSlot {
                    dossier: dossier.clone(),
                    target,
                    nonce,
                },
                draft,
            ));
        }
        out.sort_by(|a, b| {
            (a.0.target.as_str(), std::cmp::Reverse(a.1.updated_at))
                .cmp(&(b.0.target.as_str(), std::cmp::Reverse(b.1.updated_at)))
        });
        Ok(out)
    }
}
