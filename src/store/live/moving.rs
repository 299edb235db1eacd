//! Moving every dossier of this device to a new one with a passphrase
//! file, and leaving a dossier (removing it from this device only).

use std::collections::HashMap;

use driehoek_wire::transfer::DEFAULT_COST;
use leptos::prelude::*;

use super::{DossierStore, LiveDossier, sleep_ms};
use crate::platform::tabs::TabNotice;
use crate::storage::StorageError;
use crate::storage::{KeyValueStore, prefs};
use crate::store::{Persistence, StoreError};
use driehoek_core::model::Id;
use driehoek_core::sync::moving::{self, MoveError, MovedDossier};
use driehoek_core::sync::{SyncRecord, record};

/// Why a moving file was not made or not opened.
#[derive(Debug, Clone, thiserror::Error)]
pub enum MovingError {
    #[error(transparent)]
    File(#[from] MoveError),
    /// Storage refused (a full device): said as such.
    #[error("storage: {0}")]
    Storage(StorageError),
    /// A dossier of the file could not be put on this device.
    #[error("the dossier could not be put on this device: {0}")]
    NotPlaced(String),
    /// This device has no dossier to move yet.
    #[error("there is no dossier to move")]
    Nothing,
}

/// Lets the page paint "one moment" before the key derivation, which
/// holds the main thread for about a second.
const PAINT_FIRST_MS: u32 = 50;

impl DossierStore {
    /// A moving file with every dossier on this device and who uses each
    /// here, sealed under `passphrase`; also says how many it holds.
    pub async fn export_moving_file(
        &self,
        passphrase: &str,
    ) -> Result<(Vec<u8>, usize), MovingError> {
        let storage = self.storage().await;
        let records = storage
            .list_prefix(record::SYNC_PREFIX)
            .await
            .map_err(MovingError::Storage)?;
        let names: HashMap<Id, String> = self
            .list
            .get_untracked()
            .unwrap_or_default()
            .into_iter()
            .map(|l| (l.id, l.meta.summary.child_name))
            .collect();
        let dossiers: Vec<MovedDossier> = records
            .into_iter()
            .filter_map(|(key, bytes)| {
                let id = Id::new(key.strip_prefix(record::SYNC_PREFIX)?).ok()?;
                // A record without its dossier is left over; nothing to move.
                let child_name = names.get(&id)?.clone();
                let record = SyncRecord::from_json(&bytes)?;
                Some(MovedDossier {
                    secret: record.secret()?,
                    epoch: record.epoch,
                    person: prefs::person(&id).map(|p| p.to_string()),
                    child_name,
                })
            })
            .collect();
        if dossiers.is_empty() {
            return Err(MovingError::Nothing);
        }
        sleep_ms(PAINT_FIRST_MS).await;
        let file = moving::seal(passphrase, &dossiers, DEFAULT_COST)?;
        Ok((file, dossiers.len()))
    }

    /// Joins every dossier in a moving file (those already here stay as
    /// they are) and starts fetching them all; returns their ids. A wrong
    /// passphrase or a damaged file joins nothing.
    pub async fn import_moving_file(
        &self,
        passphrase: &str,
        file: &[u8],
    ) -> Result<Vec<Id>, MovingError> {
        sleep_ms(PAINT_FIRST_MS).await;
        let dossiers = moving::open(passphrase, file)?;
        let mut ids = Vec::with_capacity(dossiers.len());
        for d in dossiers {
            let id = self.join(&d.secret, d.epoch).await.map_err(|e| match e {
                StoreError::Storage(e) => MovingError::Storage(e),
                other => MovingError::NotPlaced(other.to_string()),
            })?;
            if prefs::person(&id).is_none()
                && let Some(person) = d.person.and_then(|p| Id::new(p).ok())
            {
                prefs::set_person(&id, &person);
            }
            ids.push(id);
        }
        // Fetch every one now, not only the one someone opens first.
        if self.sync_enabled() {
            for id in &ids {
                if let Err(e) = self.open(id).await {
                    leptos::logging::warn!("dossier {id} not opened after the move: {e}");
                }
            }
        }
        Ok(ids)
    }

    /// Removes a dossier from this device: the others keep it. Writing and
    /// syncing stop first; if removing fails, both start again and the
    /// dossier is whole.
    pub async fn leave(&self, id: &Id) -> Result<(), StoreError> {
        let live = self.shelf.with_value(|s| s.open.get(id).copied());
        if let Some(live) = live {
            live.set_left(true);
        }
        let storage = self.storage().await;
        let persistence = Persistence::new(&*storage, self.config());
        if let Err(e) = persistence.forget(id, &[record::key(id)]).await {
            if let Some(live) = live {
                live.set_left(false);
            }
            return Err(e);
        }
        self.drop_from_shelf(id);
        prefs::forget_dossier(id);
        self.reload_list().await;
        self.post(TabNotice::Left {
            dossier: id.to_string(),
        });
        Ok(())
    }

    /// Another tab (or this one) removed `id` from the device.
    pub(super) fn drop_from_shelf(&self, id: &Id) {
        let live = self.shelf.try_update_value(|s| s.open.remove(id)).flatten();
        if let Some(live) = live {
            live.set_left(true);
            if let Some(relay_id) = live.relay_id() {
                self.forget_relay_id(&relay_id);
            }
        }
    }
}

impl LiveDossier {
    /// While left, nothing of this dossier is written or synced.
    fn set_left(&self, left: bool) {
        let resumed = self
            .inner
            .try_update_value(|i| {
                i.left = left;
                if left {
                    i.sync = None;
                }
                !left
            })
            .unwrap_or(false);
        if resumed {
            let live = *self;
            leptos::task::spawn_local(live.attach_sync());
            self.schedule_write();
        }
    }
}
