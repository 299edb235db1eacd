//! What a device keeps per synced dossier, under `sync/{dossier}`: the
//! dossier's secret, its key epoch and the sync position. The position is
//! written in the same batch as the changes it covers.

use driehoek_wire::keys::DossierSecret;
use serde::{Deserialize, Serialize};

use super::engine::SyncState;
use crate::model::Id;

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
    pub epoch: u32,
    #[serde(default)]
    pub state: SyncState,
}

impl SyncRecord {
    pub fn new(secret: &DossierSecret, epoch: u32) -> Self {
        SyncRecord {
            secret: secret
                .as_bytes()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            epoch,
            state: SyncState::default(),
        }
    }

    /// `None` if the stored secret is damaged.
    pub fn secret(&self) -> Option<DossierSecret> {
        let hex = self.secret.as_bytes();
        if hex.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            let pair = std::str::from_utf8(hex.get(2 * i..2 * i + 2)?).ok()?;
            *byte = u8::from_str_radix(pair, 16).ok()?;
        }
        Some(DossierSecret::from_bytes(out))
    }

    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn from_json(bytes: &[u8]) -> Option<Self> {
        serde_json::from_slice(bytes).ok()
    }
}
