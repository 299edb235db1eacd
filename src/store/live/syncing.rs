//! The store's side of sync: one WebSocket to the relay for all dossiers
//! of this device, held by one tab (a Web Lock), and per open dossier the
//! sans-IO engine of `driehoek_core::sync`, fed with the document this store owns.
//!
//! Received changes go into the document and are written by the dossier's
//! write loop, in the same batch as the new sync position; other tabs see
//! them through the usual "dossier changed" notice. Changes other tabs make
//! arrive here the same way and are uploaded from here.

use std::rc::Rc;

use driehoek_wire::SigningKey;
use driehoek_wire::invite::{Invite, InviteFor};
use driehoek_wire::keys::{DossierId, DossierSecret};
use driehoek_wire::message::{ErrorCode, Message};

use crate::storage::prefs;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{DossierStore, LiveDossier, sleep_ms};
use crate::platform::socket::{RelaySocket, relay_url};
use crate::platform::tabs::hold_lock_while_open;
use crate::storage::KeyValueStore;
use crate::store::StoreError;
use driehoek_core::model::commands::{
    attach_device_signature, confirm_device, note_device_seen, register_device, sign_agreement,
};
use driehoek_core::model::{Id, ModelError, PersonId, Section, read, touched_since};
use driehoek_core::sync::file::{self, SyncFileError};
use driehoek_core::sync::signing::{self, DeviceCheck};
use driehoek_core::sync::{
    Connection, DossierSync, FrameAction, SyncProblem, SyncRecord, SyncStatus, record,
};

/// The Web Lock that makes one tab the syncing one.
const SYNC_LOCK: &str = "driehoek-sync";
/// After the relay could not store an upload for a moment.
const RETRY_AFTER_MS: u32 = 5_000;
/// After the relay said it is full: its operator has to make room first.
const FULL_RETRY_AFTER_MS: u32 = 60_000;
/// How often a device notes in the dossier that it synced.
const SEEN_EVERY_MS: i64 = 60 * 60 * 1000;

/// A dossier's engine and what is stored with it.
pub(super) struct SyncSlot {
    pub engine: DossierSync,
    pub record: SyncRecord,
    /// The pending re-founding notice (or its Retire) went out on this
    /// connection.
    pub notice_sent: bool,
}

/// The socket to the relay and what decides about it (core's
/// [`Connection`]): the one connection of this device, in the syncing tab.
#[derive(Default)]
pub(super) struct Hub {
    device: Option<SigningKey>,
    socket: Option<Rc<RelaySocket>>,
    pub(super) connection: Connection,
}

impl DossierStore {
    /// Takes this device's key and, once this tab is the syncing one,
    /// connects and syncs every dossier on the device.
    pub(super) fn start_sync(&self, device: SigningKey) {
        let store = *self;
        self.hub.update_value(|h| h.device = Some(device));
        hold_lock_while_open(SYNC_LOCK, move || {
            spawn_local(async move { store.enable_sync().await });
        });
        let _ = window_event_listener(leptos::ev::online, move |_| {
            store.hub.update_value(|h| h.connection.online());
            store.connect();
        });
    }

    async fn enable_sync(&self) {
        self.hub.update_value(|h| h.connection.enable());
        self.refresh_overview();
        // Every dossier of the device syncs, not only the one on screen.
        let ids: Vec<Id> = self
            .list
            .get_untracked()
            .unwrap_or_default()
            .into_iter()
            .map(|l| l.id)
            .collect();
        for id in ids {
            if let Err(e) = self.open(&id).await {
                leptos::logging::warn!("dossier {id} not synced: {e}");
            }
        }
        let open: Vec<LiveDossier> = self
            .shelf
            .with_value(|s| s.open.values().copied().collect());
        for live in open {
            live.attach_sync().await;
        }
        self.connect();
    }

    pub(super) fn sync_enabled(&self) -> bool {
        self.hub.with_value(|h| h.connection.is_enabled())
    }

    pub(super) fn device_key(&self) -> Option<SigningKey> {
        self.hub.with_value(|h| h.device.clone())
    }

    fn connect(&self) {
        let ready = self.hub.with_value(|h| {
            h.connection
                .should_connect(h.socket.is_some(), h.device.is_some())
        });
        if !ready {
            return;
        }
        let Some(url) = relay_url() else { return };
        let store = *self;
        let socket = RelaySocket::connect(
            &url,
            move || {
                store.send(vec![Message::hello(prefs::creation_code())]);
            },
            move |bytes| store.on_frame(&bytes),
            move || store.on_closed(),
        );
        match socket {
            Ok(socket) => self.hub.update_value(|h| h.socket = Some(Rc::new(socket))),
            Err(e) => {
                leptos::logging::warn!("cannot open the sync connection: {e}");
                self.reconnect_later();
            }
        }
        self.refresh_overview();
    }

    fn send(&self, messages: Vec<Message>) {
        let Some(socket) = self.hub.with_value(|h| h.socket.clone()) else {
            return;
        };
        for message in messages {
            if !socket.send(&message.encode()) {
                // Not open: the engines send again after reconnecting.
                return;
            }
        }
    }

    fn on_frame(&self, bytes: &[u8]) {
        let Some(action) = self.hub.try_update_value(|h| h.connection.frame(bytes)) else {
            return;
        };
        match action {
            FrameAction::Drop(reason) => {
                leptos::logging::warn!("the relay's connection is dropped: {reason:?}");
                self.drop_socket();
            }
            FrameAction::Connected => {
                for live in self.syncing() {
                    let messages = live.sync_connected();
                    self.send(messages);
                }
            }
            FrameAction::RelayClosed(message) => {
                leptos::logging::warn!("the relay closed the connection: {message}");
            }
            FrameAction::ToDossier(id, message) => {
                let live = id.and_then(|id| self.shelf.with_value(|s| s.open.get(&id).copied()));
                if let Some(live) = live {
                    let messages = live.sync_handle(message);
                    self.send(messages);
                }
            }
            FrameAction::ToConcerned(message) => {
                let concerned: Vec<LiveDossier> = self
                    .syncing()
                    .into_iter()
                    .filter(|l| l.sync_concerns(&message))
                    .collect();
                for live in concerned {
                    let messages = live.sync_handle(message.clone());
                    self.send(messages);
                }
            }
        }
        self.refresh_overview();
    }

    /// Closes the connection and opens a new one at once, with a new
    /// Hello (after the person entered the relay's creation code).
    pub fn reconnect_sync(&self) {
        if !self.sync_enabled() {
            return;
        }
        self.hub.update_value(|h| {
            h.socket = None;
            h.connection.restart();
        });
        for live in self.syncing() {
            live.sync_disconnected();
        }
        self.connect();
    }

    /// Keeps the relay's creation code on this device and tries the
    /// refused dossiers again with it; an empty code removes it.
    pub fn set_creation_code(&self, code: &str) {
        prefs::set_creation_code(code);
        self.reconnect_sync();
    }

    /// The relay is full: try again in a while, once, however many
    /// dossiers it refused.
    fn retry_when_full_later(&self) {
        let plan = self
            .hub
            .try_update_value(|h| h.connection.plan_full_retry());
        if plan != Some(true) {
            return;
        }
        let store = *self;
        spawn_local(async move {
            sleep_ms(FULL_RETRY_AFTER_MS).await;
            store.hub.update_value(|h| h.connection.full_retry_due());
            let still_full = store
                .syncing()
                .iter()
                .any(|l| l.sync_status() == SyncStatus::Refused(ErrorCode::QuotaExceeded));
            if still_full {
                store.reconnect_sync();
            }
        });
    }

    fn drop_socket(&self) {
        self.hub.update_value(|h| h.socket = None);
        self.on_closed();
    }

    fn on_closed(&self) {
        self.hub.update_value(|h| h.socket = None);
        for live in self.syncing() {
            live.sync_disconnected();
        }
        self.reconnect_later();
        self.refresh_overview();
    }

    /// Reconnects after the delay the connection says (backoff with
    /// jitter, so a relay that comes back is not hit by every device in
    /// the same instant).
    fn reconnect_later(&self) {
        let mut random = [0u8; 1];
        let _ = getrandom::fill(&mut random);
        let Some(delay) = self
            .hub
            .try_update_value(|h| h.connection.closed(random[0]))
        else {
            return;
        };
        let store = *self;
        spawn_local(async move {
            sleep_ms(delay).await;
            store.connect();
        });
    }

    /// Sends what an engine has to send after a change in its dossier.
    pub(super) fn sync_send(&self, messages: Vec<Message>) {
        if !messages.is_empty() {
            self.send(messages);
        }
        self.refresh_overview();
    }

    fn syncing(&self) -> Vec<LiveDossier> {
        self.shelf
            .with_value(|s| s.open.values().copied().collect::<Vec<_>>())
            .into_iter()
            .filter(|l| l.is_syncing())
            .collect()
    }

    pub(super) fn forget_relay_id(&self, relay_id: &DossierId) {
        self.hub.update_value(|h| h.connection.forget(relay_id));
    }

    pub(super) fn register_relay_id(&self, relay_id: DossierId, id: Id) {
        self.hub
            .update_value(|h| h.connection.register(relay_id, id));
    }

    fn refresh_overview(&self) {
        let statuses: Vec<SyncStatus> = self.syncing().iter().map(|l| l.sync_status()).collect();
        let overview = self
            .hub
            .with_value(|h| h.connection.overview(h.socket.is_some(), statuses));
        if self.sync_overview.get_untracked() != overview {
            self.sync_overview.set(overview);
        }
    }
}

impl DossierStore {
    /// Merges a sync file into the dossier it belongs to, if this device
    /// has joined it; returns that dossier. A file that does not belong
    /// here, or is damaged, changes nothing.
    pub async fn import_sync_file(&self, bytes: &[u8]) -> Result<Id, SyncFileError> {
        let relay_id = file::dossier_of(bytes)?;
        let storage = self.storage().await;
        let records = storage
            .list_prefix(record::SYNC_PREFIX)
            .await
            .map_err(SyncFileError::Storage)?;
        let found = records.into_iter().find_map(|(key, value)| {
            let secret = SyncRecord::from_json(&value)?.secret()?;
            let id = Id::new(key.strip_prefix(record::SYNC_PREFIX)?).ok()?;
            (secret.dossier_id() == relay_id).then_some((id, secret))
        });
        let Some((id, secret)) = found else {
            return Err(SyncFileError::NotJoined);
        };
        let document = file::open(&secret, bytes)?;
        let live = self.open(&id).await.map_err(|e| match e {
            StoreError::Storage(e) => SyncFileError::Storage(e),
            other => SyncFileError::Damaged(other.to_string()),
        })?;
        live.merge_document(&document)?;
        Ok(id)
    }
}

impl LiveDossier {
    /// Reads the dossier's public id from its sync record (every tab needs
    /// it to sign and check signatures; only one tab syncs).
    pub(super) async fn load_relay_id(self) {
        let Some(storage) = self.inner.try_with_value(|i| i.storage.clone()) else {
            return;
        };
        if let Ok(Some(bytes)) = storage.get(&record::key(&self.id())).await
            && let Some(record) = SyncRecord::from_json(&bytes)
            && let Some(secret) = record.secret()
        {
            let retired = retired_ids(&record);
            self.inner.update_value(|i| {
                i.secret = Some(secret);
                i.epoch = record.epoch;
                i.retired_ids = retired;
                i.left_out_by = record.left_out_by();
            });
            if record.left_out != self.left_out.get_untracked() {
                self.left_out.set(record.left_out);
            }
        }
    }

    /// The dossier went on without this device: its person was removed
    /// (or it joined with a link from before a re-founding). It stays
    /// readable here; nothing syncs any more.
    pub fn is_left_out(&self) -> bool {
        self.left_out.get()
    }

    /// The device that re-founded the dossier without this one.
    pub fn left_out_by(&self) -> Option<[u8; 32]> {
        self.left_out.track();
        self.inner.try_with_value(|i| i.left_out_by).flatten()
    }

    /// The dossier's public id, once its sync record is known here.
    pub fn relay_id(&self) -> Option<DossierId> {
        self.inner
            .try_with_value(|i| i.secret.as_ref().map(DossierSecret::dossier_id))
            .flatten()
    }

    /// An invite link's contents for this dossier, once its secret is
    /// known here (a dossier made offline gets one when sync starts).
    /// None once the dossier went on without this device: its secret is
    /// the old one.
    pub fn invite(&self, made_for: Option<InviteFor>) -> Option<Invite> {
        if self.left_out.get_untracked() {
            return None;
        }
        self.inner
            .try_with_value(|i| i.secret.clone().map(|s| (s, i.epoch)))
            .flatten()
            .map(|(secret, epoch)| Invite::at_epoch(secret, made_for, epoch))
    }

    /// This device's public key: what the members page shows as "this
    /// device".
    pub fn this_device(&self) -> Option<[u8; 32]> {
        self.store
            .device_key()
            .map(|k| k.verifying_key().to_bytes())
    }

    /// `person` vouches for a device of someone else.
    pub fn confirm_device(&self, person: &PersonId, device: &[u8; 32]) -> Result<(), ModelError> {
        self.change(person, |doc, ctx| confirm_device(doc, ctx, device))
    }

    /// After this device caught up with the relay: notes the time in the
    /// dossier, at most once an hour (members see when a device last
    /// synced), for the person who uses this device.
    fn note_seen_if_due(&self) {
        let (Some(device), Some(person)) = (self.this_device(), prefs::person(&self.id())) else {
            return;
        };
        let now = crate::platform::clock::now_ms();
        let due = self.read(Section::Members, |doc| {
            read::members(doc).is_ok_and(|m| {
                m.get(&person).is_some()
                    && m.devices.iter().any(|d| {
                        d.key == device
                            && d.persons.contains(&person)
                            // Registering counts as seen: the first note
                            // comes an hour later, not as an extra write
                            // right after creating or joining.
                            && now - d.last_seen.unwrap_or(d.added_at) >= SEEN_EVERY_MS
                    })
            })
        });
        if due && let Err(e) = self.change(&person, |doc, ctx| note_device_seen(doc, ctx, &device))
        {
            leptos::logging::warn!("last sync time not noted: {e}");
        }
    }

    /// Records that `person` uses this device (once), so what they sign
    /// here can be checked against this device's key.
    pub fn register_this_device(&self, person: &PersonId) -> Result<(), ModelError> {
        let Some(device) = self.store.device_key() else {
            return Ok(());
        };
        let public = device.verifying_key().to_bytes();
        let known = self.read(Section::Members, |doc| {
            read::members(doc).is_ok_and(|m| {
                m.devices
                    .iter()
                    .any(|d| d.key == public && d.persons.contains(person))
            })
        });
        if !known {
            self.change(person, |doc, ctx| {
                register_device(doc, ctx, &public, &ctx.person.clone())
            })?;
        }
        self.publish_box_key_if_missing(person)
    }

    /// Signs the guidance agreement as `person`, with this device's
    /// signature under it; returns the signature's id.
    pub fn sign_agreement(&self, person: &PersonId) -> Result<Id, ModelError> {
        self.register_this_device(person)?;
        let signature = Id::random()?;
        let device = self.store.device_key();
        let relay_id = self.relay_id();
        self.change(person, |doc, ctx| {
            let hash = sign_agreement(doc, ctx, &signature)?;
            if let (Some(device), Some(dossier)) = (&device, &relay_id) {
                let proof = signing::sign_terms(device, dossier, &hash, &ctx.person);
                attach_device_signature(doc, ctx, &signature, &proof)?;
            }
            Ok(())
        })?;
        Ok(signature)
    }

    /// Every signature under the agreement with how far it checks out.
    pub fn signature_checks(&self) -> Vec<(read::Signature, DeviceCheck)> {
        // Signatures from before a re-founding are bound to the id the
        // dossier had then.
        let mut ids: Vec<DossierId> = self
            .inner
            .try_with_value(|i| {
                i.secret
                    .as_ref()
                    .map(DossierSecret::dossier_id)
                    .into_iter()
                    .chain(i.retired_ids.iter().copied())
                    .collect()
            })
            .unwrap_or_default();
        self.read(Section::Agreement, |doc| {
            // A device that joined after a re-founding knows the earlier
            // ids from the dossier itself.
            if !ids.is_empty() {
                for old in read::former_logs(doc).unwrap_or_default() {
                    let old = DossierId::from_bytes(old);
                    if !ids.contains(&old) {
                        ids.push(old);
                    }
                }
            }
            let members = read::members(doc).unwrap_or_default();
            read::all_signatures(doc)
                .unwrap_or_default()
                .into_iter()
                .map(|s| {
                    let check = if ids.is_empty() {
                        if s.device_signature.is_none() {
                            DeviceCheck::Unsigned
                        } else {
                            DeviceCheck::Unverifiable
                        }
                    } else {
                        ids.iter()
                            .map(|dossier| signing::check(&s, &members, dossier))
                            .find(|c| *c == DeviceCheck::Verified)
                            .unwrap_or_else(|| signing::check(&s, &members, &ids[0]))
                    };
                    (s, check)
                })
                .collect()
        })
    }

    /// Merges a whole document (from a sync file) into this one.
    fn merge_document(&self, bytes: &[u8]) -> Result<(), SyncFileError> {
        let touched = self
            .inner
            .try_update_value(|i| {
                let before = i.dossier.doc_mut().get_heads();
                i.dossier
                    .doc_mut()
                    .load_incremental(bytes)
                    .map_err(|e| SyncFileError::Damaged(e.to_string()))?;
                let touched = touched_since(i.dossier.doc_mut(), &before);
                i.logbook.note(&touched);
                i.dossier.refresh_access();
                Ok::<_, SyncFileError>(touched)
            })
            .ok_or(SyncFileError::NotReady("the dossier is closed"))??;
        self.notify(&touched);
        self.unsaved.set(true);
        self.schedule_write();
        // What came from the file and is not on the relay goes up from
        // here (as forwarded changes).
        self.sync_poll();
        Ok(())
    }

    /// The encrypted sync file of this dossier (no secret inside).
    pub async fn export_sync_file(&self) -> Result<Vec<u8>, SyncFileError> {
        let storage = self
            .inner
            .try_with_value(|i| i.storage.clone())
            .ok_or(SyncFileError::NotReady("the dossier is closed"))?;
        let stored = storage
            .get(&record::key(&self.id()))
            .await
            .map_err(SyncFileError::Storage)?;
        let record = stored
            .and_then(|b| SyncRecord::from_json(&b))
            .ok_or(SyncFileError::NotJoined)?;
        let secret = record.secret().ok_or(SyncFileError::NotJoined)?;
        let device = self
            .store
            .device_key()
            .ok_or(SyncFileError::NotReady("no device key yet"))?;
        self.inner
            .try_update_value(|i| file::export(&secret, record.epoch, &device, i.dossier.doc_mut()))
            .ok_or(SyncFileError::NotReady("the dossier is closed"))?
    }

    /// The whole document as Automerge bytes, unencrypted (an archive).
    pub fn export_automerge(&self) -> Vec<u8> {
        self.inner
            .try_update_value(|i| i.dossier.doc_mut().save())
            .unwrap_or_default()
    }

    /// The whole document as readable JSON, unencrypted (an archive).
    pub fn export_json(&self) -> String {
        self.inner
            .try_with_value(|i| {
                serde_json::to_string_pretty(&automerge::AutoSerde::from(i.dossier.doc()))
                    .unwrap_or_default()
            })
            .unwrap_or_default()
    }

    /// Starts this dossier's engine: its stored secret and position, or a
    /// new secret for a dossier that never synced.
    pub(super) async fn attach_sync(self) {
        if self.is_syncing() || !self.store.sync_enabled() {
            return;
        }
        let Some(device) = self.store.device_key() else {
            return;
        };
        let id = self.id();
        let Some(storage) = self.inner.try_with_value(|i| i.storage.clone()) else {
            return;
        };
        let key = record::key(&id);
        let stored = match storage.get(&key).await {
            Ok(bytes) => bytes.and_then(|b| SyncRecord::from_json(&b)),
            Err(e) => {
                leptos::logging::warn!("sync record of {id} unreadable: {e}");
                return;
            }
        };
        let record = match stored.filter(|r| r.secret().is_some()) {
            Some(r) => r,
            None => {
                let Ok(secret) = DossierSecret::generate() else {
                    return;
                };
                let record = SyncRecord::new(&secret, 0);
                if let Err(e) = storage.put(&key, &record.to_json()).await {
                    leptos::logging::warn!("sync record of {id} not stored: {e}");
                    return;
                }
                record
            }
        };
        let Some(secret) = record.secret() else {
            return;
        };
        if record.left_out {
            let by = record.left_out_by();
            self.inner.update_value(|i| i.left_out_by = by);
            self.left_out.set(true);
            return;
        }
        let relay_id = secret.dossier_id();
        let notice_relay_id = record
            .notice
            .as_ref()
            .and_then(|n| n.old())
            .map(|old| old.dossier_id());
        let retired = retired_ids(&record);
        let problem = self
            .inner
            .try_update_value(|i| {
                if i.sync.is_some() {
                    return None;
                }
                let (engine, problem) = DossierSync::new(
                    &secret,
                    record.epoch,
                    device,
                    Some(record.state.clone()),
                    i.dossier.doc_mut(),
                );
                i.sync = Some(SyncSlot {
                    engine,
                    record,
                    notice_sent: false,
                });
                i.secret = Some(secret.clone());
                i.epoch = i.sync.as_ref().map_or(0, |s| s.record.epoch);
                i.retired_ids = retired;
                problem
            })
            .flatten();
        if let Some(problem) = problem {
            leptos::logging::warn!("dossier {id}: {problem}");
            self.schedule_write();
        }
        self.store.register_relay_id(relay_id, id.clone());
        if let Some(old) = notice_relay_id {
            // Refusals of the pending notice come back under the old id.
            self.store.register_relay_id(old, id);
        }
        if self.store.hub.with_value(|h| h.connection.is_open()) {
            let messages = self.sync_connected();
            self.store.sync_send(messages);
        }
    }

    pub(super) fn is_syncing(&self) -> bool {
        self.inner
            .try_with_value(|i| i.sync.is_some())
            .unwrap_or(false)
    }

    pub(super) fn sync_status(&self) -> SyncStatus {
        self.inner
            .try_with_value(|i| i.sync.as_ref().map(|s| s.engine.status()))
            .flatten()
            .unwrap_or(SyncStatus::Offline)
    }

    fn sync_concerns(&self, message: &Message) -> bool {
        self.inner
            .try_with_value(|i| {
                i.sync.as_ref().is_some_and(|s| {
                    s.engine.concerns(message) || notice_concerns(&s.record, message)
                })
            })
            .unwrap_or(false)
    }

    pub(super) fn sync_connected(&self) -> Vec<Message> {
        self.inner
            .try_update_value(|i| i.sync.as_mut().map(|s| s.engine.connected()))
            .flatten()
            .unwrap_or_default()
    }

    fn sync_disconnected(&self) {
        self.inner.update_value(|i| {
            if let Some(s) = i.sync.as_mut() {
                s.engine.disconnected();
                s.notice_sent = false;
            }
        });
    }

    /// Hands a relay message to the engine; applies what it received to
    /// the document, notifies the sections it touched and writes it.
    fn sync_handle(&self, message: Message) -> Vec<Message> {
        if let Some(send) = self.notice_handle(&message) {
            return send;
        }
        let outcome = self.inner.try_update_value(|i| {
            let slot = i.sync.as_mut()?;
            let before = i.dossier.doc_mut().get_heads();
            let step = slot.engine.handle(i.dossier.doc_mut(), message);
            let touched = step
                .doc_changed
                .then(|| touched_since(i.dossier.doc_mut(), &before));
            if let Some(touched) = &touched {
                i.logbook.note(touched);
                i.dossier.refresh_access();
            }
            Some((step, touched))
        });
        let Some(Some((step, touched))) = outcome else {
            return Vec::new();
        };
        for problem in &step.problems {
            report(problem);
            if matches!(
                problem,
                SyncProblem::Refused {
                    code: ErrorCode::QuotaExceeded,
                    ..
                }
            ) {
                self.store.retry_when_full_later();
            }
            if matches!(
                problem,
                SyncProblem::Refused {
                    code: ErrorCode::Overloaded,
                    ..
                }
            ) {
                // Try again a little later, not in a tight loop.
                let live = *self;
                spawn_local(async move {
                    sleep_ms(RETRY_AFTER_MS).await;
                    live.sync_poll();
                });
            }
        }
        if let Some(touched) = touched {
            self.notify(&touched);
            self.unsaved.set(true);
        }
        // The new position is written even when no change came with it.
        self.schedule_write();
        let mut send = step.send;
        if let Some(refounding) = step.refounded {
            send.extend(self.follow_refounding(refounding));
            return send;
        }
        if send.is_empty() && self.sync_status() == SyncStatus::UpToDate {
            self.note_seen_if_due();
            send.extend(self.notice_due());
        }
        send
    }

    /// Uploads what the relay lacks (after a change here or in another
    /// tab); a no-op while not connected or for a tab that does not sync.
    pub(super) fn sync_poll(&self) {
        let step = self
            .inner
            .try_update_value(|i| {
                let slot = i.sync.as_mut()?;
                Some(slot.engine.poll(i.dossier.doc_mut()))
            })
            .flatten();
        if let Some(step) = step {
            for problem in &step.problems {
                report(problem);
            }
            let mut send = step.send;
            if send.is_empty() && self.sync_status() == SyncStatus::UpToDate {
                send.extend(self.notice_due());
            }
            self.store.sync_send(send);
        }
    }
}

fn retired_ids(record: &SyncRecord) -> Vec<DossierId> {
    record
        .retired
        .iter()
        .filter_map(|hex| DossierId::parse(hex))
        .collect()
}

/// Whether `message` answers this device's pending re-founding notice.
fn notice_concerns(record: &SyncRecord, message: &Message) -> bool {
    let Some(notice) = &record.notice else {
        return false;
    };
    match message {
        Message::Ack { id, .. } => {
            Some(*id) == notice.append_id() || Some(*id) == notice.retire_id()
        }
        Message::Error {
            dossier: Some(dossier),
            ..
        } => notice.old().is_some_and(|old| old.dossier_id() == *dossier),
        _ => false,
    }
}

fn report(problem: &SyncProblem) {
    leptos::logging::warn!("sync: {problem}");
}
