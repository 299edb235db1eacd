//! One open dossier: the document, its per-section triggers, and the
//! task that writes what changes in it.

use super::*;

pub(super) struct LiveInner {
    pub(super) logbook: LogbookCache,
    pub(super) dossier: SessionDossier,
    pub(super) storage: Rc<AppStorage>,
    /// A write task runs; it takes every change made until it finishes.
    pub(super) writing: bool,
    /// What goes with the next write besides the changes.
    pub(super) writes: WriteQueue,
    /// The sync engine, in the one tab that syncs.
    pub(super) sync: Option<syncing::SyncSlot>,
    /// The dossier's secret (its public id, invites), in every tab.
    pub(super) secret: Option<driehoek_wire::keys::DossierSecret>,
    /// The key epoch `secret`'s log is written at.
    pub(super) epoch: u32,
    /// Public ids it had before re-foundings: signatures made then are
    /// bound to them.
    pub(super) retired_ids: Vec<driehoek_wire::keys::DossierId>,
    /// The device that re-founded the dossier without this one.
    pub(super) left_out_by: Option<[u8; 32]>,
    /// Removed from this device: nothing more is written.
    pub(super) left: bool,
}

/// One open dossier. Cheap to copy; lives as long as the app.
#[derive(Clone, Copy)]
pub struct LiveDossier {
    pub(super) store: DossierStore,
    pub(super) inner: StoredValue<LiveInner, LocalStorage>,
    pub(super) triggers: StoredValue<Vec<ArcTrigger>>,
    pub(super) warnings: RwSignal<Vec<StoreWarning>>,
    pub(super) unsaved: RwSignal<bool>,
    /// The dossier went on without this device (see `SyncRecord::left_out`).
    pub(super) left_out: RwSignal<bool>,
    /// What was new when the person came to this dossier.
    pub(super) news: RwSignal<Unseen>,
}

pub(super) fn section_index(section: Section) -> usize {
    Section::ALL
        .iter()
        .position(|s| *s == section)
        .unwrap_or(Section::ALL.len() - 1)
}

impl LiveDossier {
    pub fn id(&self) -> Id {
        self.inner.with_value(|i| i.dossier.id().clone())
    }

    /// Reads one section: reruns when (and only when) that section changes.
    pub fn read<R>(&self, section: Section, f: impl FnOnce(&AutoCommit) -> R) -> R {
        self.triggers
            .with_value(|t| t[section_index(section)].track());
        self.inner.with_value(|i| f(i.dossier.doc()))
    }

    /// Like [`Self::read`], with the document's current heads: a text
    /// field keeps them with the text it shows, to move its edit over
    /// others' later.
    pub fn read_with_heads<R>(
        &self,
        section: Section,
        f: impl FnOnce(&AutoCommit, &[automerge::ChangeHash]) -> R,
    ) -> Option<R> {
        self.triggers
            .with_value(|t| t[section_index(section)].track());
        self.inner.try_update_value(|i| {
            let heads = i.dossier.doc_mut().get_heads();
            f(i.dossier.doc(), &heads)
        })
    }

    /// The parts of the agreement changed since the document was at
    /// `heads` (a signature's); `None` when this device lacks those heads.
    pub fn agreement_changed_since(
        &self,
        heads: &[automerge::ChangeHash],
    ) -> Option<Vec<driehoek_core::model::agreement_log::AgreementPart>> {
        self.triggers
            .with_value(|t| t[section_index(Section::Agreement)].track());
        self.inner
            .try_update_value(|i| {
                driehoek_core::model::agreement_log::changed_since(i.dossier.doc_mut(), heads)
                    .ok()
                    .flatten()
            })
            .flatten()
    }

    /// Who changed which part of the agreement when, newest first.
    pub fn agreement_history(
        &self,
        limit: usize,
    ) -> Vec<driehoek_core::model::agreement_log::AgreementChange> {
        self.triggers
            .with_value(|t| t[section_index(Section::Agreement)].track());
        self.inner
            .try_update_value(|i| {
                driehoek_core::model::agreement_log::agreement_history(i.dossier.doc_mut(), limit)
            })
            .unwrap_or_default()
    }

    /// What opening found (damaged chunks kept aside, missing changes).
    pub fn warnings(&self) -> Signal<Vec<StoreWarning>> {
        self.warnings.into()
    }

    /// Whether changes wait to be written.
    pub fn unsaved(&self) -> Signal<bool> {
        self.unsaved.into()
    }

    /// Nothing can be written: the dossier says so, or it went on without
    /// this device (what is written here would reach nobody).
    pub fn is_read_only(&self) -> bool {
        self.left_out.get() || self.inner.with_value(|i| i.dossier.access().is_read_only())
    }

    /// Runs a model command as `person`, now; notifies the sections it
    /// changed and writes it in the background.
    pub fn change<T>(
        &self,
        person: &PersonId,
        command: impl FnOnce(&mut AutoCommit, &Ctx) -> std::result::Result<T, ModelError>,
    ) -> std::result::Result<T, ModelError> {
        self.change_from_drafts(person, &[], command)
    }

    /// Like [`Self::change`], for words typed into `drafts`: those drafts
    /// are deleted in the same batch that stores the change.
    pub fn change_from_drafts<T>(
        &self,
        person: &PersonId,
        drafts: &[DraftSlot],
        command: impl FnOnce(&mut AutoCommit, &Ctx) -> std::result::Result<T, ModelError>,
    ) -> std::result::Result<T, ModelError> {
        let ctx = Ctx::new(person.clone(), now_ms());
        perf::start("driehoek-commit");
        let outcome = self
            .inner
            .try_update_value(|i| {
                let before = i.dossier.doc_mut().get_heads();
                let value = command(i.dossier.doc_mut(), &ctx)?;
                for slot in drafts {
                    i.writes.discard_with_next_chunk(slot.key());
                }
                let touched = touched_since(i.dossier.doc_mut(), &before);
                i.logbook.note(&touched);
                Ok::<_, ModelError>((value, touched))
            })
            .ok_or(ModelError::UncommittedChanges)?;
        let (value, touched) = outcome?;
        perf::end("driehoek-commit");
        self.notify(&touched);
        self.unsaved.set(true);
        self.schedule_write();
        self.sync_poll();
        Ok(value)
    }

    pub(super) fn notify(&self, touched: &Touched) {
        let triggers = self.triggers.get_value();
        for section in touched.sections() {
            triggers[section_index(section)].notify();
        }
    }

    /// The live logbook, newest first; reruns when the logbook changes, and
    /// then hydrates only the entries that changed.
    pub fn logbook(&self) -> Logbook {
        self.triggers
            .with_value(|t| t[section_index(Section::Logbook)].track());
        self.inner
            .try_update_value(|i| {
                let LiveInner {
                    logbook, dossier, ..
                } = i;
                logbook.read(dossier.doc())
            })
            .unwrap_or_default()
    }

    /// What was new since the last visit when the person came to this
    /// dossier; it stays while they are here.
    pub fn news(&self) -> Signal<Unseen> {
        self.news.into()
    }

    /// A page of this dossier came on screen (`true`) or left it: either
    /// way everything up to now is seen, written as a visit. What was new
    /// until now is what its home shows; a new visit starts that list
    /// afresh, a return to a page that was hidden adds to it.
    pub(super) fn set_on_screen(&self, on_screen: bool, arrival: Arrival) {
        if arrival == Arrival::NewVisit {
            self.news.set(Unseen::default());
        }
        self.inner.update_value(|i| {
            i.dossier.set_on_screen(on_screen);
            i.writes.visit();
        });
        self.schedule_write();
    }

    /// Another tab stored changes; if this dossier is on screen here, what
    /// that tab noted as news is seen here (and shown as new).
    pub(super) fn absorb_news_if_on_screen(&self) {
        let on_screen = self
            .inner
            .try_update_value(|i| {
                let on = i.dossier.is_on_screen();
                if on {
                    i.writes.absorb_news();
                }
                on
            })
            .unwrap_or(false);
        if on_screen {
            self.schedule_write();
        }
    }

    /// Keeps what a screen shows now for the next first paint (see
    /// [`DossierStore::cached_view`]). A failure only costs speed.
    pub fn save_view<T: Serialize>(&self, name: &str, data: &T) {
        let Some((heads, storage, id)) = self.inner.try_update_value(|i| {
            let heads: Vec<String> = i
                .dossier
                .doc_mut()
                .get_heads()
                .iter()
                .map(ToString::to_string)
                .collect();
            (heads, i.storage.clone(), i.dossier.id().clone())
        }) else {
            return;
        };
        let Ok(json) = serde_json::to_vec(&CachedView { heads, data }) else {
            return;
        };
        let key = keys::view(&id, name);
        spawn_local(async move {
            let _ = storage.put(&key, &json).await;
        });
    }

    /// Writes what is unsaved now (after a failure, when the person asks).
    pub fn retry_write(&self) {
        self.schedule_write();
    }

    pub(super) fn schedule_write(&self) {
        let start = self
            .inner
            .try_update_value(|i| !std::mem::replace(&mut i.writing, true))
            .unwrap_or(false);
        if start {
            let live = *self;
            spawn_local(async move { live.write_loop().await });
        }
    }

    pub(super) async fn write_loop(self) {
        loop {
            // What other tabs stored about being seen, taken in right
            // before this write prepares its metadata.
            let stored_meta = match self.inner.try_with_value(|i| i.storage.clone()) {
                Some(storage) => Persistence::new(&*storage, self.store.config())
                    .meta(&self.id())
                    .await
                    .ok()
                    .flatten(),
                None => None,
            };
            let job = self.inner.try_update_value(|i| {
                if i.left {
                    i.writing = false;
                    return None;
                }
                let LiveInner {
                    writes,
                    dossier,
                    sync,
                    storage,
                    ..
                } = i;
                let position = sync.as_mut().map(|slot| SyncPosition {
                    engine: &mut slot.engine,
                    record: &mut slot.record,
                });
                let plan = writes.plan(dossier, position, stored_meta.as_ref(), now_ms());
                Some((plan, storage.clone()))
            });
            let Some((plan, storage)) = job.flatten() else {
                return;
            };
            let plan = match plan {
                Ok(Some(plan)) => plan,
                Ok(None) => break,
                Err(e) => {
                    leptos::logging::error!("could not prepare a chunk: {e}");
                    self.inner.update_value(|i| i.writing = false);
                    return;
                }
            };
            if !plan.news().is_empty() {
                self.news.update(|n| n.merge(plan.news()));
            }
            let Some(batch) = plan.batch().cloned() else {
                break;
            };
            match storage.write_batch(batch).await {
                Ok(()) => {
                    let meta = self.inner.try_update_value(|i| {
                        i.writes.stored(plan, &mut i.dossier);
                        i.dossier.meta().clone()
                    });
                    self.store.write_succeeded();
                    if let Some(meta) = meta {
                        self.store.update_listing(&self.id(), &meta);
                    }
                    self.store.post(TabNotice::Changed {
                        dossier: self.id().to_string(),
                    });
                }
                Err(e) => {
                    let failure = self.inner.try_update_value(|i| {
                        i.writing = false;
                        let engine = i.sync.as_mut().map(|slot| &mut slot.engine);
                        i.writes.failed(plan, engine)
                    });
                    match failure {
                        Some(WriteFailure::OnlySeenLost) | None => {
                            leptos::logging::warn!("the visit was not recorded: {e}");
                        }
                        Some(WriteFailure::ChangesWait) => self.store.write_failed(e),
                    }
                    return;
                }
            }
        }
        let due = self
            .inner
            .try_update_value(|i| {
                i.writing = false;
                i.dossier.compaction_due()
            })
            .unwrap_or(false);
        self.unsaved.set(false);
        if due {
            self.compact().await;
        }
    }

    /// Compacts under a Web Lock, so two tabs never compact one dossier at
    /// once; a tab that finds the lock taken leaves it to the holder.
    pub(super) async fn compact(self) {
        let id = self.id();
        let lock = format!("driehoek-compact-{id}");
        let store = self.store;
        with_lock_if_available(&lock, async move {
            let (storage, config) = match self.inner.try_with_value(|i| i.storage.clone()) {
                Some(s) => (s, store.config()),
                None => return,
            };
            let persistence = Persistence::new(&*storage, config);
            match persistence.compact(&id).await {
                Ok(Some(report)) => {
                    self.inner.update_value(|i| {
                        i.dossier.snapshot_replaced(report.snapshot_len);
                    });
                    // Other tabs' chunks this tab had not applied yet are
                    // in the new snapshot now, not in chunks.
                    self.refresh(true).await;
                    store.post(TabNotice::Compacted {
                        dossier: id.to_string(),
                    });
                }
                // Not possible now (changes wait for missing ones, or
                // another tab compacted): wait until the chunks grow more.
                Ok(None) | Err(StoreError::CompactionRaced) => {
                    self.inner.update_value(|i| i.dossier.postpone_compaction());
                }
                Err(StoreError::Storage(e)) => store.write_failed(e),
                Err(e) => leptos::logging::warn!("compaction skipped: {e}"),
            }
        })
        .await;
    }

    /// Applies what other tabs stored and notifies what it changed: the
    /// new chunks, and the snapshot too when another tab compacted (its
    /// chunks are gone, their changes are in the snapshot) or when the
    /// chunks alone leave changes waiting for missing ones.
    pub(super) async fn refresh(self, compacted: bool) {
        let Some(storage) = self.inner.try_with_value(|i| i.storage.clone()) else {
            return;
        };
        let persistence = Persistence::new(&*storage, self.store.config());
        let id = self.id();
        let Ok(listing) = persistence.chunks_with_bytes(&id).await else {
            return;
        };
        let Some((mut touched, needs_snapshot, before)) = self.inner.try_update_value(|i| {
            let before = i.dossier.doc_mut().get_heads();
            let refreshed = i.dossier.apply_stored(listing);
            let touched = if refreshed.applied == 0 {
                Touched::default()
            } else {
                touched_since(i.dossier.doc_mut(), &before)
            };
            (touched, compacted || refreshed.missing_dependencies, before)
        }) else {
            return;
        };
        if needs_snapshot && let Ok(Some(bytes)) = persistence.snapshot(&id).await {
            let more =
                self.inner
                    .try_update_value(|i| match i.dossier.apply_stored_snapshot(&bytes) {
                        Ok(true) => Some(touched_since(i.dossier.doc_mut(), &before)),
                        Ok(false) => None,
                        Err(e) => {
                            leptos::logging::warn!("the stored snapshot did not apply: {e}");
                            None
                        }
                    });
            if let Some(Some(more)) = more {
                touched.merge(more);
            }
        }
        self.inner.update_value(|i| i.logbook.note(&touched));
        self.notify(&touched);
        // Changes another tab made go up from the tab that syncs.
        self.sync_poll();
    }
}
