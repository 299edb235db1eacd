//! What a device keeps per synced dossier, under `sync/{dossier}`: the
//! dossier's secret, its key epoch and the sync position. The position is
//! written in the same batch as the changes it covers. After a re-founding
//! it also holds the way from the old log to the new one.

use driehoek_wire::keys::DossierSecret;
use driehoek_wire::message::{AppendId, Message, Token};
use serde::{Deserialize, Serialize};

use super::engine::SyncState;
use crate::model::Id;
use crate::model::types::{hex, unhex};

/// The key prefix under which every dossier's sync record is stored.
pub const SYNC_PREFIX: &str = "sync/";

/// The key of a dossier's sync record.
pub fn key(dossier: &Id) -> String {
    format!("{SYNC_PREFIX}{dossier}")
}

/// A dossier's sync record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRecord {
    /// The secret, hex.
    secret: String,
    /// The key epoch the current log is written at; one higher after every re-founding.
    pub epoch: u32,
    /// How far this device has come in the current log.
    #[serde(default)]
    pub state: SyncState,
    /// Relay ids of the logs this dossier had before it was re-founded, so
    /// an old invite link finds the dossier already here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<String>,
    /// A re-founding this device made whose notice is not yet in the old
    /// log (it goes there once the new log holds everything).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<PendingNotice>,
    /// The dossier went on without this device (its person was removed):
    /// it stays readable here, and does not sync any more.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub left_out: bool,
    /// The device that re-founded the dossier without this one, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_out_by: Option<String>,
}

/// The notice of a re-founding, sealed and ready, with what it takes to
/// put it in the old log and retire that log. Resent under the same ids
/// until acknowledged, so the relay stores it once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingNotice {
    /// The old secret, hex.
    pub old_secret: String,
    /// The key epoch the old log was written at.
    pub old_epoch: u32,
    /// The Append's id, hex.
    pub append_id: String,
    /// The sealed blob, hex.
    pub blob: String,
    /// The Retire's id, hex.
    pub retire_id: String,
    /// The Append was acknowledged; the Retire is next.
    #[serde(default)]
    pub posted: bool,
}

impl PendingNotice {
    /// A notice ready to go into the old log: `blob`, sealed for it at
    /// `old_epoch`, under fresh random ids.
    pub fn new(old: &DossierSecret, old_epoch: u32, blob: &[u8]) -> Result<Self, String> {
        let mut ids = [0u8; 32];
        getrandom::fill(&mut ids).map_err(|e| e.to_string())?;
        Ok(PendingNotice {
            old_secret: hex(old.as_bytes()),
            old_epoch,
            append_id: hex(&ids[..16]),
            blob: hex(blob),
            retire_id: hex(&ids[16..]),
            posted: false,
        })
    }

    /// The old secret; `None` if the stored one is damaged.
    pub fn old(&self) -> Option<DossierSecret> {
        secret_from_hex(&self.old_secret)
    }

    fn id(text: &str) -> Option<AppendId> {
        Some(AppendId(unhex(text)?.try_into().ok()?))
    }

    /// The id the notice's Append goes under; `None` if the stored one is damaged.
    pub fn append_id(&self) -> Option<AppendId> {
        Self::id(&self.append_id)
    }

    /// The id the old log's Retire goes under; `None` if the stored one is damaged.
    pub fn retire_id(&self) -> Option<AppendId> {
        Self::id(&self.retire_id)
    }

    /// What to send next: the notice, or once that is in, the Retire.
    pub fn next_message(&self) -> Option<Message> {
        let old = self.old()?;
        let dossier = old.dossier_id();
        let token = Token::from(&old.relay_token());
        if self.posted {
            Some(Message::Retire {
                dossier,
                token,
                id: self.retire_id()?,
            })
        } else {
            Some(Message::Append {
                dossier,
                token,
                id: self.append_id()?,
                bytes: unhex(&self.blob)?,
            })
        }
    }
}

fn secret_from_hex(text: &str) -> Option<DossierSecret> {
    let bytes: [u8; 32] = unhex(text)?.try_into().ok()?;
    Some(DossierSecret::from_bytes(bytes))
}

impl SyncRecord {
    /// A record for `secret` at `epoch`, starting from the beginning of its log.
    pub fn new(secret: &DossierSecret, epoch: u32) -> Self {
        SyncRecord {
            secret: hex(secret.as_bytes()),
            epoch,
            state: SyncState::default(),
            retired: Vec::new(),
            notice: None,
            left_out: false,
            left_out_by: None,
        }
    }

    /// `None` if the stored secret is damaged.
    pub fn secret(&self) -> Option<DossierSecret> {
        secret_from_hex(&self.secret)
    }

    /// The record after a re-founding: the new secret and epoch, a fresh
    /// position (the new log starts empty), the old log remembered.
    pub fn moved_to(&self, secret: &DossierSecret, epoch: u32) -> Self {
        let mut retired = self.retired.clone();
        if let Some(old) = self.secret() {
            retired.push(old.dossier_id().to_string());
        }
        SyncRecord {
            retired,
            ..SyncRecord::new(secret, epoch)
        }
    }

    /// The device that left this one out, if it was.
    pub fn left_out_by(&self) -> Option<[u8; 32]> {
        unhex(self.left_out_by.as_deref()?)?.try_into().ok()
    }

    /// Whether this record's dossier is the one of `secret`, now or before
    /// a re-founding.
    pub fn is_dossier_of(&self, secret: &DossierSecret) -> bool {
        self.secret().is_some_and(|s| s == *secret)
            || self.retired.contains(&secret.dossier_id().to_string())
    }

    /// The record as stored, in JSON.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Reads a stored record; `None` if it is damaged or foreign.
    pub fn from_json(bytes: &[u8]) -> Option<Self> {
        serde_json::from_slice(bytes).ok()
    }
}
