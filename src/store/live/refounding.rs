//! Removing a member: the store's side of re-founding a dossier under a
//! new secret and key epoch (`driehoek_core::sync::refound`).
//!
//! The device that removes someone:
//!
//! 1. records the removal in the document;
//! 2. makes a new secret, seals it to every remaining device's published
//!    key, and goes on in a new, empty log under the next key epoch; the
//!    record with the notice is written in the same batch as the removal;
//! 3. once the new log holds everything (the engine is up to date there),
//!    puts the notice into the old log, and then retires the old log (the
//!    relay deletes it after its grace period).
//!
//! Every other device finds the notice in the old log, as a live push or
//! in its backlog on reconnecting, before it uploads anything there, and
//! follows: a fresh engine on the new secret, which uploads whatever the
//! new log lacks (what it wrote offline meanwhile). A removed device finds
//! no copy for itself and stops syncing; what it had stays readable on it.

use driehoek_wire::keys::DossierSecret;
use driehoek_wire::message::{ErrorCode, Message};
use leptos::prelude::*;

use super::LiveDossier;
use super::syncing::SyncSlot;
use crate::storage::KeyValueStore;
use driehoek_core::model::commands::{note_former_log, publish_box_key, remove_member};
use driehoek_core::model::{ModelError, PersonId, Section, read};
use driehoek_core::sync::refound::{self, Recipients};
use driehoek_core::sync::{DossierSync, Refounding, SyncStatus, record};

/// Why a member could not be removed now.
#[derive(Debug, thiserror::Error)]
pub enum RemovalError {
    /// Removing needs the relay: the new secret has to reach the others.
    #[error("not connected to the relay, or not up to date with it")]
    NotConnected,
    #[error("{0}")]
    Model(#[from] ModelError),
    #[error("the dossier could not be re-founded: {0}")]
    Refound(String),
}

/// What removing did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Removal {
    /// Devices that got the new secret.
    pub devices: usize,
    /// Remaining devices that published no key of their own yet: their
    /// people need a new invite link.
    pub without_key: usize,
}

impl LiveDossier {
    /// Removes `person` from the partnership, acting as `by`, and re-founds
    /// the dossier so their devices read nothing written from now on.
    pub fn remove_member(&self, by: &PersonId, person: &PersonId) -> Result<Removal, RemovalError> {
        let ready = self.store.hub.with_value(|h| h.connection.is_open())
            && self
                .inner
                .try_with_value(|i| {
                    i.sync.as_ref().is_some_and(|s| {
                        s.engine.status() == SyncStatus::UpToDate && s.record.notice.is_none()
                    })
                })
                .unwrap_or(false);
        let Some(device) = self.store.device_key().filter(|_| ready) else {
            return Err(RemovalError::NotConnected);
        };
        let leaving = self.relay_id();
        self.change(by, |doc, ctx| {
            remove_member(doc, ctx, person)?;
            match &leaving {
                Some(old) => note_former_log(doc, ctx, old.as_bytes()),
                None => Ok(()),
            }
        })?;
        let this_device = device.verifying_key().to_bytes();
        let recipients: Recipients = self.read(Section::Members, |doc| {
            read::members(doc)
                .map(|m| refound::recipients(&m, &this_device))
                .unwrap_or_default()
        });
        let id = self.id();
        let moved = self
            .inner
            .try_update_value(|i| {
                let slot = i.sync.as_mut().ok_or("sync stopped")?;
                let made = refound::refound(&slot.record, &device, &recipients)?;
                let old = slot.record.secret().map(|s| s.dossier_id());
                let (mut engine, _) = DossierSync::new(
                    &made.secret,
                    made.record.epoch,
                    device.clone(),
                    None,
                    i.dossier.doc_mut(),
                );
                // The record (new secret, pending notice) goes out with the
                // removal, in the write loop's next batch.
                engine.state_not_stored();
                *slot = SyncSlot {
                    engine,
                    record: made.record,
                    notice_sent: false,
                };
                i.secret = Some(made.secret.clone());
                i.epoch = slot.record.epoch;
                if let Some(old) = old {
                    i.retired_ids.push(old);
                }
                Ok::<_, String>(made.secret.dossier_id())
            })
            .ok_or_else(|| RemovalError::Refound("the dossier is closed".into()))?
            .map_err(RemovalError::Refound)?;
        // The old id stays known until the notice is in: refusals of it
        // come back under that id.
        self.store.register_relay_id(moved, id);
        self.schedule_write();
        let messages = self.sync_connected();
        self.store.sync_send(messages);
        Ok(Removal {
            devices: recipients.devices.len(),
            without_key: recipients.without_key,
        })
    }

    /// The pending notice's next message, once the new log holds
    /// everything (so nobody who follows has to upload it all again).
    pub(super) fn notice_due(&self) -> Vec<Message> {
        self.inner
            .try_update_value(|i| {
                let slot = i.sync.as_mut()?;
                if slot.notice_sent || slot.engine.status() != SyncStatus::UpToDate {
                    return None;
                }
                let message = slot.record.notice.as_ref()?.next_message()?;
                slot.notice_sent = true;
                Some(message)
            })
            .flatten()
            .into_iter()
            .collect()
    }

    /// Answers to the pending notice: the next step, or `None` when the
    /// message is not about it.
    pub(super) fn notice_handle(&self, message: &Message) -> Option<Vec<Message>> {
        enum Next {
            Retire(Message),
            Done(Option<driehoek_wire::keys::DossierId>),
            Again,
            Abandoned(String),
        }
        let next = self
            .inner
            .try_update_value(|i| {
                let slot = i.sync.as_mut()?;
                let notice = slot.record.notice.as_mut()?;
                let old = notice.old().map(|s| s.dossier_id());
                let next = match message {
                    Message::Ack { id, .. } if Some(*id) == notice.append_id() => {
                        notice.posted = true;
                        let retire = notice.next_message()?;
                        Next::Retire(retire)
                    }
                    Message::Ack { id, .. } if Some(*id) == notice.retire_id() => {
                        slot.record.notice = None;
                        Next::Done(old)
                    }
                    Message::Error {
                        code: ErrorCode::Retired,
                        message,
                        dossier: Some(d),
                    } if Some(*d) == old => {
                        // Someone else re-founded at the same moment and
                        // retired the old log first: this notice can no
                        // longer reach anyone there.
                        slot.record.notice = None;
                        Next::Abandoned(message.clone())
                    }
                    Message::Error {
                        dossier: Some(d), ..
                    } if Some(*d) == old => {
                        slot.notice_sent = false;
                        Next::Again
                    }
                    _ => return None,
                };
                slot.engine.state_not_stored();
                Some(next)
            })
            .flatten()?;
        self.schedule_write();
        Some(match next {
            Next::Retire(message) => vec![message],
            Next::Done(old) => {
                if let Some(old) = old {
                    self.store.forget_relay_id(&old);
                }
                Vec::new()
            }
            Next::Again => Vec::new(),
            Next::Abandoned(message) => {
                leptos::logging::warn!("the re-founding notice was not posted: {message}");
                Vec::new()
            }
        })
    }

    /// The engine found a re-founding notice in the old log.
    pub(super) fn follow_refounding(&self, refounding: Refounding) -> Vec<Message> {
        let id = self.id();
        match refounding {
            Refounding::MovedTo { secret, epoch, .. } => {
                let Some(device) = self.store.device_key() else {
                    return Vec::new();
                };
                let moved = self.inner.try_update_value(|i| {
                    let slot = i.sync.as_mut()?;
                    let old = slot.record.secret().map(|s| s.dossier_id());
                    let record = slot.record.moved_to(&secret, epoch);
                    let (mut engine, _) =
                        DossierSync::new(&secret, epoch, device, None, i.dossier.doc_mut());
                    engine.state_not_stored();
                    *slot = SyncSlot {
                        engine,
                        record,
                        notice_sent: false,
                    };
                    i.secret = Some(secret.clone());
                    i.epoch = epoch;
                    if let Some(old) = old {
                        i.retired_ids.push(old);
                    }
                    Some(old)
                });
                let Some(Some(old)) = moved else {
                    return Vec::new();
                };
                if let Some(old) = old {
                    self.store.forget_relay_id(&old);
                }
                self.store.register_relay_id(secret.dossier_id(), id);
                self.schedule_write();
                self.sync_connected()
            }
            Refounding::LeftOut { by } => {
                let left = self.inner.try_update_value(|i| {
                    let slot = i.sync.take()?;
                    let mut record = slot.record;
                    record.left_out = true;
                    record.left_out_by = Some(driehoek_core::model::types::hex(&by));
                    i.left_out_by = Some(by);
                    Some((record, i.storage.clone()))
                });
                if let Some(Some((record, storage))) = left {
                    if let Some(old) = record.secret().map(|s: DossierSecret| s.dossier_id()) {
                        self.store.forget_relay_id(&old);
                    }
                    self.left_out.set(true);
                    let key = record::key(&id);
                    leptos::task::spawn_local(async move {
                        if let Err(e) = storage.put(&key, &record.to_json()).await {
                            leptos::logging::warn!("dossier {id}: left-out mark not stored: {e}");
                        }
                    });
                }
                Vec::new()
            }
        }
    }

    /// Publishes this device's signed X25519 key in the dossier if it is not
    /// there yet, so a re-founding can reach this device.
    pub(super) fn publish_box_key_if_missing(&self, person: &PersonId) -> Result<(), ModelError> {
        let Some(device) = self.store.device_key() else {
            return Ok(());
        };
        let public = device.verifying_key().to_bytes();
        let record = driehoek_wire::refound::box_key_record(&device);
        let published = self.read(Section::Members, |doc| {
            read::members(doc).is_ok_and(|m| {
                m.devices
                    .iter()
                    .any(|d| d.key == public && d.box_records.contains(&record))
            })
        });
        if published {
            return Ok(());
        }
        self.change(person, |doc, ctx| {
            publish_box_key(doc, ctx, &public, &record)
        })
    }
}
