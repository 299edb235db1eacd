//! Per-dossier metadata: what the device knows about a dossier without
//! loading its document.

use std::collections::BTreeSet;
use std::str::FromStr;

use automerge::{AutoCommit, ChangeHash, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use serde::{Deserialize, Serialize};

use crate::model::schema::key;
use crate::model::{Section, Timestamp, Touched, read};

/// Shown in the class overview, so it need not load 30 documents.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DossierSummary {
    pub child_name: String,
    pub group: String,
    /// Live (not deleted) logbook entries.
    pub entry_count: u64,
    /// When this device last stored a change (caller's clock, ms).
    pub last_activity: Timestamp,
}

/// Everything stored under `index/{id}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DossierMeta {
    /// Heads covered by the stored snapshot and chunks, hex.
    #[serde(default)]
    pub saved_heads: Vec<String>,
    /// When a person last opened the dossier on this device.
    #[serde(default)]
    pub last_opened: Option<Timestamp>,
    /// Heads the person has seen, for "new since your last visit", hex.
    #[serde(default)]
    pub last_seen_heads: Vec<String>,
    #[serde(default)]
    pub summary: DossierSummary,
    /// What others changed since the person last had the dossier on screen.
    #[serde(default)]
    pub unseen: Unseen,
}

/// What changed in a dossier while nobody on this device looked at it:
/// the class overview and the dossier's home say "new since your last
/// visit" from it, without loading the document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Unseen {
    /// The sections changed, by [`Section::name`]; a name a newer app
    /// wrote and this one does not know is kept and not shown.
    #[serde(default)]
    pub sections: BTreeSet<String>,
    /// Logbook entries others wrote since.
    #[serde(default)]
    pub new_entries: u64,
}

/// Sections whose changes are news to a person. Members change every hour
/// (a device notes when it last synced) and the dossier's details hardly
/// ever: neither is worth a "new" badge.
const NEWS_SECTIONS: [Section; 7] = [
    Section::Logbook,
    Section::Expectations,
    Section::Agreement,
    Section::Conversations,
    Section::Prompts,
    Section::Sources,
    Section::Measurement,
];

impl Unseen {
    /// What others changed from `before` to the document's heads
    /// (`touched`, see [`crate::model::touched_by_others_since`]).
    pub fn of_changes(doc: &AutoCommit, before: &[ChangeHash], touched: &Touched) -> Self {
        let mut news = Unseen::default();
        for section in touched.sections() {
            if NEWS_SECTIONS.contains(&section) {
                news.sections.insert(section.name().to_string());
            }
        }
        if let Some(Some(entries)) = touched.items.get(&Section::Logbook)
            && let Ok(Some((Value::Object(ObjType::Map), book))) = doc.get(ROOT, key::LOGBOOK)
        {
            let existed: BTreeSet<String> = doc.keys_at(&book, before).collect();
            let created = entries.iter().filter(|e| !existed.contains(*e)).count();
            news.new_entries = created as u64;
        }
        news
    }

    /// Adds `other` to this.
    pub fn merge(&mut self, other: &Unseen) {
        self.sections.extend(other.sections.iter().cloned());
        self.new_entries = self.new_entries.saturating_add(other.new_entries);
    }

    /// The changed sections this app knows, in the order of the tabs.
    pub fn known_sections(&self) -> Vec<Section> {
        NEWS_SECTIONS
            .into_iter()
            .filter(|s| self.sections.contains(s.name()))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.known_sections().is_empty()
    }
}

pub(crate) fn heads_to_hex(heads: &[ChangeHash]) -> Vec<String> {
    heads.iter().map(ToString::to_string).collect()
}

/// Heads from hex; unparsable ones are dropped (they could name nothing
/// this document has anyway, and the caller treats missing heads safely).
pub(crate) fn heads_from_hex(hex: &[String]) -> (Vec<ChangeHash>, Vec<String>) {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for h in hex {
        match ChangeHash::from_str(h) {
            Ok(hash) => ok.push(hash),
            Err(_) => bad.push(h.clone()),
        }
    }
    (ok, bad)
}

/// The summary of a document; the entry count reads only the `deleted`
/// flag of each entry, not the whole logbook.
pub(crate) fn summarize(doc: &AutoCommit, last_activity: Timestamp) -> DossierSummary {
    let (child_name, group) = match read::dossier_summary(doc) {
        Ok(s) => (s.child_name, s.group),
        Err(_) => (String::new(), String::new()),
    };
    let mut entry_count = 0u64;
    if let Ok(Some((Value::Object(ObjType::Map), book))) = doc.get(ROOT, key::LOGBOOK) {
        for item in doc.map_range(&book, ..) {
            let deleted = matches!(
                doc.get(item.id(), "deleted"),
                Ok(Some((Value::Scalar(s), _))) if matches!(s.as_ref(), ScalarValue::Boolean(true))
            );
            if !deleted {
                entry_count += 1;
            }
        }
    }
    DossierSummary {
        child_name,
        group,
        entry_count,
        last_activity,
    }
}
