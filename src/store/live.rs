//! The dossier store the UI talks to: the single owner of every open
//! `AutoCommit`, with a trigger per section, a background writer, drafts,
//! and live updates from other tabs.
//!
//! Pages call [`LiveDossier::read`] with a model read function (which
//! tracks only that section's trigger) and [`LiveDossier::change`] with a
//! model command; components never see a document. After each change the
//! new changes' operations say which sections to notify (the same answer as
//! `diff_incremental` patches, at a fraction of the cost; see
//! [`sections_changed_since`]), so typing in the agreement does not
//! rehydrate a 2,000-entry logbook.
//!
//! Writes run in one task per dossier, one batch at a time, so chunks land
//! in order and a failed write (a full disk) leaves everything unsaved in
//! memory, to be written by the next attempt. Nothing already stored is
//! touched by a failure.

use std::collections::HashMap;
use std::rc::Rc;

use automerge::AutoCommit;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use super::keys;
use super::{
    Arrival, HealthTracker, LogbookCache, Persistence, Screen, ScreenChange, SessionDossier,
    StorageHealth, StoreConfig, StoreWarning, SyncPosition, WriteFailure, WriteKind, WriteQueue,
};
use super::{DossierMeta, Unseen};
use super::{Draft, DraftSlot};
use super::{Result, StoreError};
use crate::platform::clock::now_ms;
use crate::platform::perf;
use crate::platform::tabs::{TabChannel, TabNotice, with_lock_if_available};
use crate::storage::{AppStorage, KeyValueStore, StorageError, WriteBatch};
use driehoek_core::model::commands::NewDossier;
use driehoek_core::model::read::Logbook;
use driehoek_core::model::{Ctx, Id, ModelError, PersonId, Section, Touched, touched_since};
use driehoek_core::sync::{SyncOverview, SyncRecord, device, device_prefix, record};
use driehoek_wire::keys::DossierSecret;

mod dossier;
mod moving;
mod refounding;
mod syncing;

pub use dossier::LiveDossier;
use dossier::LiveInner;
pub use moving::MovingError;
pub use refounding::{Removal, RemovalError};

#[derive(Serialize, Deserialize)]
struct CachedView<T> {
    heads: Vec<String>,
    data: T,
}

/// One dossier in the list of this device.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DossierListing {
    pub id: Id,
    pub meta: DossierMeta,
}

struct Shelf {
    storage: Option<Rc<AppStorage>>,
    /// Tasks waiting for `storage` to be settled.
    storage_waiters: Vec<futures::channel::oneshot::Sender<Rc<AppStorage>>>,
    config: StoreConfig,
    open: HashMap<Id, LiveDossier>,
    tabs: Option<Rc<TabChannel>>,
    /// Open dossiers live as long as the app, not as long as the page that
    /// opened them: going back and forth must not reload a document.
    owner: Owner,
    /// Which dossier is on screen.
    screen: Screen,
}

/// The store of every dossier on this device; provided as context.
#[derive(Clone, Copy)]
pub struct DossierStore {
    shelf: StoredValue<Shelf, LocalStorage>,
    health: RwSignal<StorageHealth>,
    /// Decides what `health` shows from the results of writes.
    health_tracker: StoredValue<HealthTracker>,
    list: RwSignal<Option<Vec<DossierListing>>>,
    /// The newest draft per key not yet handed to storage: a keystroke's
    /// write takes the newest text, so an older one never lands last.
    drafts: StoredValue<HashMap<String, (DraftSlot, Draft)>, LocalStorage>,
    hub: StoredValue<syncing::Hub, LocalStorage>,
    sync_overview: RwSignal<SyncOverview>,
}

/// The store from context.
pub fn use_store() -> DossierStore {
    expect_context::<DossierStore>()
}

impl DossierStore {
    /// Opens storage in the background and starts listening to other tabs.
    pub fn start(config: StoreConfig) -> Self {
        let store = DossierStore {
            shelf: StoredValue::new_local(Shelf {
                storage: None,
                storage_waiters: Vec::new(),
                config,
                open: HashMap::new(),
                tabs: None,
                owner: Owner::current().unwrap_or_default(),
                screen: Screen::default(),
            }),
            health: RwSignal::new(StorageHealth::Starting),
            list: RwSignal::new(None),
            health_tracker: StoredValue::new(HealthTracker::default()),
            drafts: StoredValue::new_local(HashMap::new()),
            hub: StoredValue::new_local(syncing::Hub::default()),
            sync_overview: RwSignal::new(SyncOverview::Elsewhere),
        };
        // Leaving while changes wait in memory (a full device) would lose
        // them: let the browser ask "leave this page?".
        let _ = window_event_listener(leptos::ev::beforeunload, move |event| {
            let failing = matches!(
                store.health.try_get_untracked(),
                Some(StorageHealth::WriteFailed(_))
            );
            if failing || store.has_unsaved() {
                event.prevent_default();
                event.set_return_value("unsaved");
            }
        });
        spawn_local(async move {
            let (storage, error) = AppStorage::open().await;
            // The device key names this device in every actor id, so it is
            // settled before any dossier opens.
            let device = match device::load_or_create(&storage).await {
                Ok(key) => Some(key),
                Err(e) => {
                    leptos::logging::warn!("{e}");
                    device::generate().ok()
                }
            };
            if let Some(key) = &device {
                store
                    .shelf
                    .update_value(|s| s.config.device_prefix = device_prefix(key).to_vec());
            }
            let tabs = TabChannel::open(move |notice| store.heard(notice));
            store.shelf.update_value(|s| s.tabs = Some(Rc::new(tabs)));
            // If opening took so long that the app went on in memory, it
            // stays in memory for this visit: dossiers opened meanwhile
            // live there, and switching under them would split them.
            if store.set_storage(Rc::new(storage)) {
                store.track_health(|h| h.opened(error));
            }
            store.reload_list().await;
            if let Some(key) = device {
                store.start_sync(key);
            }
        });
        store
    }

    /// How sync stands on this device.
    pub fn sync_overview(&self) -> Signal<SyncOverview> {
        self.sync_overview.into()
    }

    pub fn health(&self) -> Signal<StorageHealth> {
        self.health.into()
    }

    /// The dossiers on this device, `None` while storage opens.
    pub fn list(&self) -> Signal<Option<Vec<DossierListing>>> {
        self.list.into()
    }

    /// Waits until storage is open (or known to be missing).
    async fn storage(&self) -> Rc<AppStorage> {
        let (ready, opened) = futures::channel::oneshot::channel();
        let now = self.shelf.try_update_value(|s| match &s.storage {
            Some(storage) => Some(storage.clone()),
            None => {
                s.storage_waiters.push(ready);
                None
            }
        });
        if let Some(Some(storage)) = now {
            return storage;
        }
        // Storage opens within a few event-loop turns or falls back to
        // memory; if opening IndexedDB hangs (it should not), the app works
        // in memory after 15 s rather than waiting for ever.
        let timeout = sleep_ms(15_000);
        futures::pin_mut!(timeout);
        match futures::future::select(opened, timeout).await {
            futures::future::Either::Left((Ok(storage), _)) => storage,
            _ => {
                let memory = Rc::new(AppStorage::Memory(crate::storage::MemoryStore::new()));
                if !self.set_storage(memory.clone()) {
                    // Settled meanwhile (by the database, or another waiter).
                    if let Some(settled) = self.shelf.with_value(|s| s.storage.clone()) {
                        return settled;
                    }
                }
                self.track_health(|h| {
                    h.opened(Some(StorageError::Unavailable(
                        "opening the database did not finish".into(),
                    )))
                });
                memory
            }
        }
    }

    /// Storage is settled: every task waiting for it goes on. The first
    /// storage set stays for the visit (a late IndexedDB does not replace
    /// the memory that dossiers opened meanwhile live in).
    fn set_storage(&self, storage: Rc<AppStorage>) -> bool {
        let waiters = self.shelf.try_update_value(|s| {
            if s.storage.is_some() {
                return None;
            }
            s.storage = Some(storage.clone());
            Some(std::mem::take(&mut s.storage_waiters))
        });
        let Some(Some(waiters)) = waiters else {
            return false;
        };
        for waiter in waiters {
            let _ = waiter.send(storage.clone());
        }
        true
    }

    fn config(&self) -> StoreConfig {
        self.shelf.with_value(|s| s.config.clone())
    }

    fn post(&self, notice: TabNotice) {
        if let Some(tabs) = self.shelf.with_value(|s| s.tabs.clone()) {
            tabs.post(&notice);
        }
    }

    async fn reload_list(&self) {
        let storage = self.storage().await;
        let persistence = Persistence::new(&*storage, self.config());
        match persistence.list_dossiers().await {
            Ok(found) => {
                let listings: Vec<DossierListing> = found
                    .into_iter()
                    .map(|(id, meta)| DossierListing { id, meta })
                    .collect();
                let new: Vec<Id> = listings
                    .iter()
                    .filter(|l| !self.is_open(&l.id))
                    .map(|l| l.id.clone())
                    .collect();
                self.list.set(Some(listings));
                // A dossier made or joined in another tab syncs from here.
                if self.sync_enabled() {
                    for id in new {
                        let _ = self.open(&id).await;
                    }
                }
            }
            Err(StoreError::Storage(e)) => {
                self.list.set(Some(Vec::new()));
                self.write_failed(e);
            }
            Err(_) => self.list.set(Some(Vec::new())),
        }
    }

    fn update_listing(&self, id: &Id, meta: &DossierMeta) {
        self.list.update(|list| {
            let list = list.get_or_insert_with(Vec::new);
            match list.iter_mut().find(|l| &l.id == id) {
                Some(l) => l.meta = meta.clone(),
                None => list.push(DossierListing {
                    id: id.clone(),
                    meta: meta.clone(),
                }),
            }
        });
    }

    fn track_health(&self, update: impl FnOnce(&mut HealthTracker)) {
        let Some(health) = self.health_tracker.try_update_value(|h| {
            update(h);
            h.health().clone()
        }) else {
            return;
        };
        if self.health.get_untracked() != health {
            self.health.set(health);
        }
    }

    fn write_failed(&self, error: StorageError) {
        self.track_health(|h| h.write_failed(WriteKind::Changes, error));
    }

    fn draft_failed(&self, error: StorageError) {
        self.track_health(|h| h.write_failed(WriteKind::Draft, error));
    }

    /// A write of changes worked; the banner goes once drafts work too.
    fn write_succeeded(&self) {
        self.track_health(|h| h.write_succeeded(WriteKind::Changes));
    }

    fn draft_succeeded(&self) {
        self.track_health(|h| h.write_succeeded(WriteKind::Draft));
    }

    /// Creates a new dossier with its creator as the first member; returns
    /// its id and the creator's person id.
    pub async fn create(&self, new: NewDossier) -> Result<(Id, PersonId)> {
        let storage = self.storage().await;
        let id = Id::random()?;
        let person = Id::random()?;
        let ctx = Ctx::new(person.clone(), now_ms());
        let persistence = Persistence::new(&*storage, self.config());
        let device = self.device_key().map(|k| {
            (
                k.verifying_key().to_bytes(),
                driehoek_wire::refound::box_key_record(&k),
            )
        });
        let dossier = match persistence
            .create_on_device(
                &id,
                &ctx,
                &new,
                device.as_ref().map(|(k, r)| (k, r.as_slice())),
            )
            .await
        {
            Ok(d) => d,
            Err(StoreError::Storage(e)) => {
                self.write_failed(e.clone());
                return Err(StoreError::Storage(e));
            }
            Err(e) => return Err(e),
        };
        self.write_succeeded();
        self.update_listing(&id, dossier.meta());
        self.adopt(dossier, Vec::new(), storage);
        self.post(TabNotice::ListChanged);
        Ok((id, person))
    }

    /// Puts the dossier of `secret` (from an invite) on this device, or
    /// finds it if it is here already; its contents come from the relay,
    /// where its log is written at key `epoch`.
    pub async fn join(&self, secret: &DossierSecret, epoch: u32) -> Result<Id> {
        let storage = self.storage().await;
        let records = match storage.list_prefix(record::SYNC_PREFIX).await {
            Ok(r) => r,
            Err(e) => {
                self.write_failed(e.clone());
                return Err(StoreError::Storage(e));
            }
        };
        for (key, bytes) in records {
            // Also a link from before a re-founding: the dossier is here.
            let known = SyncRecord::from_json(&bytes).is_some_and(|r| r.is_dossier_of(secret));
            if known && let Some(id) = key.strip_prefix(record::SYNC_PREFIX) {
                return Ok(Id::new(id)?);
            }
        }
        let id = Id::new(secret.dossier_id().to_string())?;
        let record = SyncRecord::new(secret, epoch);
        let extra = WriteBatch::new().put(record::key(&id), record.to_json());
        let persistence = Persistence::new(&*storage, self.config());
        match persistence.join(&id, extra).await {
            Ok(_) => self.write_succeeded(),
            Err(StoreError::Storage(e)) => {
                self.write_failed(e.clone());
                return Err(StoreError::Storage(e));
            }
            Err(e) => return Err(e),
        }
        self.reload_list().await;
        self.post(TabNotice::ListChanged);
        Ok(id)
    }

    /// The dossier whose page is on screen now (from the address), or
    /// none. What a dossier holds while its pages are on screen is seen;
    /// what arrives while it is not is new since the last visit.
    pub fn set_viewing(&self, id: Option<Id>) {
        self.change_screen(|s| s.set_viewing(id));
    }

    /// Whether the page is hidden. What arrives while it is hidden is
    /// news, kept in storage, so a phone that ends the app in the
    /// background still shows it next time; coming back adds it to what
    /// the dossier's home already lists as new.
    pub fn set_page_hidden(&self, hidden: bool) {
        self.change_screen(|s| s.set_hidden(hidden));
    }

    fn change_screen(&self, change: impl FnOnce(&mut Screen) -> ScreenChange) {
        let Some((change, left, entered)) = self.shelf.try_update_value(|s| {
            let change = change(&mut s.screen);
            let live = |side: &Option<(Id, Arrival)>| {
                side.as_ref().and_then(|(id, _)| s.open.get(id).copied())
            };
            let (left, entered) = (live(&change.left), live(&change.entered));
            (change, left, entered)
        }) else {
            return;
        };
        if let (Some(live), Some((_, arrival))) = (left, change.left) {
            live.set_on_screen(false, arrival);
        }
        if let (Some(live), Some((_, arrival))) = (entered, change.entered) {
            live.set_on_screen(true, arrival);
        }
    }

    /// Whether `id` is loaded already in this tab.
    pub fn is_open(&self, id: &Id) -> bool {
        self.shelf.with_value(|s| s.open.contains_key(id))
    }

    /// The open dossier `id`, loading it from storage the first time.
    pub async fn open(&self, id: &Id) -> Result<LiveDossier> {
        if let Some(live) = self.shelf.with_value(|s| s.open.get(id).copied()) {
            return Ok(live);
        }
        let storage = self.storage().await;
        let persistence = Persistence::new(&*storage, self.config());
        perf::start("driehoek-open");
        let opened = persistence.open(id).await?;
        perf::end("driehoek-open");
        // Another page may have opened it while this one loaded.
        if let Some(live) = self.shelf.with_value(|s| s.open.get(id).copied()) {
            return Ok(live);
        }
        Ok(self.adopt(opened.dossier, opened.warnings, storage))
    }

    fn adopt(
        &self,
        dossier: SessionDossier,
        warnings: Vec<StoreWarning>,
        storage: Rc<AppStorage>,
    ) -> LiveDossier {
        let id = dossier.id().clone();
        let owner = self.shelf.with_value(|s| s.owner.clone());
        let live = owner.with(|| LiveDossier {
            store: *self,
            inner: StoredValue::new_local(LiveInner {
                logbook: LogbookCache::default(),
                dossier,
                storage,
                writing: false,
                writes: WriteQueue::default(),
                sync: None,
                secret: None,
                epoch: 0,
                retired_ids: Vec::new(),
                left_out_by: None,
                left: false,
            }),
            triggers: StoredValue::new(Section::ALL.map(|_| ArcTrigger::new()).to_vec()),
            warnings: RwSignal::new(warnings),
            unsaved: RwSignal::new(false),
            left_out: RwSignal::new(false),
            news: RwSignal::new(Unseen::default()),
        });
        let viewing = self
            .shelf
            .try_update_value(|s| {
                let viewing = s.screen.on_screen() == Some(&id);
                s.open.insert(id, live);
                viewing
            })
            .unwrap_or(false);
        if viewing {
            live.set_on_screen(true, Arrival::NewVisit);
        }
        spawn_local(live.load_relay_id());
        if self.sync_enabled() {
            spawn_local(live.attach_sync());
        }
        live
    }

    /// What another tab said.
    fn heard(&self, notice: TabNotice) {
        let store = *self;
        let notice_kind = match notice {
            TabNotice::Compacted { .. } => NoticeKind::Compacted,
            _ => NoticeKind::Other,
        };
        match notice {
            TabNotice::ListChanged => spawn_local(async move { store.reload_list().await }),
            TabNotice::Left { dossier } => {
                if let Ok(id) = Id::new(dossier) {
                    store.drop_from_shelf(&id);
                }
                spawn_local(async move { store.reload_list().await });
            }
            TabNotice::Changed { dossier } | TabNotice::Compacted { dossier } => {
                let compacted = matches!(notice_kind, NoticeKind::Compacted);
                let Ok(id) = Id::new(dossier) else { return };
                spawn_local(async move {
                    if let Some(live) = store.shelf.with_value(|s| s.open.get(&id).copied()) {
                        if !live.is_syncing() {
                            // The syncing tab may have moved the dossier to
                            // a new secret (a member was removed).
                            live.load_relay_id().await;
                        }
                        live.refresh(compacted).await;
                        live.absorb_news_if_on_screen();
                    }
                    store.reload_list().await;
                });
            }
        }
    }

    /// Whether any open dossier holds changes not yet stored.
    pub fn has_unsaved(&self) -> bool {
        self.shelf
            .try_with_value(|s| s.open.values().any(|l| l.unsaved.get_untracked()))
            .unwrap_or(false)
    }

    /// Tries again to write what is waiting in memory, in every open
    /// dossier (after the person freed space, say).
    pub fn retry_writes(&self) {
        let open: Vec<LiveDossier> = self
            .shelf
            .with_value(|s| s.open.values().copied().collect());
        // A draft is written again on the next keystroke; if storage still
        // refuses, the banner comes back then.
        self.draft_succeeded();
        let mut pending = false;
        for live in open {
            pending |= live.unsaved.get_untracked();
            live.retry_write();
        }
        if !pending {
            self.write_succeeded();
        }
    }

    /// What a screen showed last of dossier `id` (see
    /// [`LiveDossier::save_view`]), if it still shows exactly what is
    /// stored: the view's heads are the stored heads. Lets a screen paint
    /// before the document is loaded; it is replaced once it is.
    pub async fn cached_view<T: DeserializeOwned>(&self, id: &Id, name: &str) -> Option<T> {
        let storage = self.storage().await;
        let (meta_key, view_key) = (keys::meta(id), keys::view(id, name));
        let (meta, view) = futures::join!(storage.get(&meta_key), storage.get(&view_key));
        let meta: DossierMeta = serde_json::from_slice(&meta.ok()??).ok()?;
        let view: CachedView<T> = serde_json::from_slice(&view.ok()??).ok()?;
        let mut a = view.heads;
        let mut b = meta.saved_heads;
        a.sort();
        b.sort();
        (!a.is_empty() && a == b).then_some(view.data)
    }

    /// Saves a draft; failures show as storage health (the words stay in
    /// the field on screen).
    pub fn save_draft(&self, slot: DraftSlot, draft: Draft) {
        let store = *self;
        let key = slot.key();
        self.drafts.update_value(|d| {
            d.insert(key.clone(), (slot, draft));
        });
        spawn_local(async move {
            let storage = store.storage().await;
            // Another keystroke's task may have written the newest already.
            let Some((slot, draft)) = store.drafts.try_update_value(|d| d.remove(&key)).flatten()
            else {
                return;
            };
            match slot.save(&*storage, &draft).await {
                Ok(()) => store.draft_succeeded(),
                Err(StoreError::Storage(e)) => store.draft_failed(e),
                Err(e) => leptos::logging::warn!("draft not saved: {e}"),
            }
        });
    }

    /// Every draft of a dossier.
    pub async fn drafts(&self, id: &Id) -> Vec<(DraftSlot, Draft)> {
        let storage = self.storage().await;
        DraftSlot::list(&*storage, id).await.unwrap_or_default()
    }

    /// Drops a draft the person chose to throw away.
    pub fn discard_draft(&self, slot: DraftSlot) {
        let store = *self;
        spawn_local(async move {
            let storage = store.storage().await;
            if let Err(e) = storage.delete(&slot.key()).await {
                leptos::logging::warn!("draft not discarded: {e}");
            }
        });
    }
}

enum NoticeKind {
    Compacted,
    Other,
}

async fn sleep_ms(ms: u32) {
    let (tx, rx) = futures::channel::oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = tx.send(());
        },
        std::time::Duration::from_millis(u64::from(ms)),
    );
    let _ = rx.await;
}
