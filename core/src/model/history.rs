//! Who changed what and when, read back from the commit messages.

use automerge::{AutoCommit, ChangeHash};
use serde::{Deserialize, Serialize};

use super::types::{PersonId, Timestamp};

/// The message every command commits with: `{"person":..,"command":..}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// The person id of the member who acted.
    pub person: String,
    /// The name of the command, such as `add_entry`.
    pub command: String,
}

impl Attribution {
    /// The compact JSON stored as the commit message.
    pub fn to_message(&self) -> String {
        // Serialising two strings cannot fail; fall back to an empty object
        // rather than panic if serde ever disagrees.
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }

    /// Reads a commit message; `None` for commits made outside the model.
    pub fn from_message(message: &str) -> Option<Self> {
        serde_json::from_str(message).ok()
    }
}

/// One change in the dossier's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryItem {
    /// The change's Automerge hash.
    pub hash: ChangeHash,
    /// `None` when the change was not made through a model command.
    pub person: Option<PersonId>,
    /// The command's name; `None` for changes made outside the model.
    pub command: Option<String>,
    /// When the acting device said the change was made (advisory: device
    /// clocks differ), in milliseconds; commits keep whole seconds.
    pub at: Timestamp,
    /// The Automerge actor (device session) in hex.
    pub actor: String,
}

/// Every change, in causal order (a change after everything it depends on).
pub fn history(doc: &mut AutoCommit) -> Vec<HistoryItem> {
    doc.get_changes_meta(&[])
        .into_iter()
        .map(|meta| {
            let attribution = meta.message.as_deref().and_then(Attribution::from_message);
            let (person, command) = match attribution {
                Some(a) => (PersonId::new(a.person).ok(), Some(a.command)),
                None => (None, None),
            };
            HistoryItem {
                hash: meta.hash,
                person,
                command,
                at: meta.timestamp.saturating_mul(1000),
                actor: meta.actor.to_hex_string(),
            }
        })
        .collect()
}
