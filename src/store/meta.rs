//! Per-dossier metadata: what the device knows about a dossier without
//! loading its document.

use std::str::FromStr;

use automerge::{AutoCommit, ChangeHash, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use serde::{Deserialize, Serialize};

use crate::model::schema::key;
use crate::model::{Timestamp, read};

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
