//! The in-memory twin of the SQLite store: same contract, nothing on disk.

use std::{
    collections::{BTreeMap, HashMap},
    sync::{Mutex, MutexGuard, PoisonError},
};

use driehoek_wire::{
    keys::DossierId,
    message::{AppendId, LoggedBlob},
};

use super::{
    Appended, Authorized, BlobStore, Compaction, CompactionCheck, Cursor, DossierStats, NewBlob,
    Page, Registration, StoreError, Timestamp, TokenHash, Totals, check_compaction, page_cost,
};

#[derive(Debug, Default)]
pub struct MemoryStore {
    dossiers: Mutex<HashMap<DossierId, Dossier>>,
}

#[derive(Debug)]
struct Dossier {
    token: TokenHash,
    stats: DossierStats,
    last_compaction: Option<AppendId>,
    /// Keyed by (seq, part), the order of the log.
    live: BTreeMap<(u64, u32), Row>,
    replaced: Vec<(Timestamp, Row)>,
    /// Append id -> seq, for as long as the blob is kept (live or replaced).
    ids: HashMap<AppendId, u64>,
}

#[derive(Debug)]
struct Row {
    parts: u32,
    append_id: Option<AppendId>,
    bytes: Vec<u8>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// A panic elsewhere while holding the lock leaves no half-done change
    /// (every method checks before it mutates), so the data stays usable.
    fn lock(&self) -> MutexGuard<'_, HashMap<DossierId, Dossier>> {
        self.dossiers.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl BlobStore for MemoryStore {
    fn authorize_with(
        &self,
        dossier: DossierId,
        token: &TokenHash,
        registration: Registration,
    ) -> Result<Authorized, StoreError> {
        let mut dossiers = self.lock();
        if let Some(known) = dossiers.get(&dossier) {
            return if known.token.matches(token) {
                Ok(Authorized::Known)
            } else {
                Err(StoreError::Unauthorized)
            };
        }
        match registration {
            Registration::Closed => return Err(StoreError::UnknownDossier(dossier)),
            Registration::Open { max_dossiers } => {
                if max_dossiers > 0 && dossiers.len() as u64 >= max_dossiers {
                    return Err(StoreError::TooManyDossiers {
                        limit: max_dossiers,
                    });
                }
            }
        }
        dossiers.insert(
            dossier,
            Dossier {
                token: *token,
                stats: DossierStats::default(),
                last_compaction: None,
                live: BTreeMap::new(),
                replaced: Vec::new(),
                ids: HashMap::new(),
            },
        );
        Ok(Authorized::Registered)
    }

    fn totals(&self) -> Result<Totals, StoreError> {
        let dossiers = self.lock();
        let stored_bytes = dossiers
            .values()
            .flat_map(|dossier| {
                let live = dossier.live.values();
                let replaced = dossier.replaced.iter().map(|(_, row)| row);
                live.chain(replaced)
            })
            .map(|row| row.bytes.len() as u64)
            .sum();
        Ok(Totals {
            dossiers: dossiers.len() as u64,
            stored_bytes,
        })
    }

    /// Memory takes writes for as long as the process runs.
    fn probe_write(&self) -> Result<(), StoreError> {
        Ok(())
    }

    fn append_batch(
        &self,
        blobs: &[NewBlob],
        max_dossier_bytes: u64,
    ) -> Result<Vec<Result<Appended, StoreError>>, StoreError> {
        let mut dossiers = self.lock();
        Ok(blobs
            .iter()
            .map(|blob| {
                let dossier = dossiers
                    .get_mut(&blob.dossier)
                    .ok_or(StoreError::UnknownDossier(blob.dossier))?;
                if let Some(&seq) = dossier.ids.get(&blob.id) {
                    // A lost Ack of an append from before the retirement.
                    return Ok(Appended {
                        seq,
                        new: false,
                        since_compaction: dossier.stats.live_blobs(),
                    });
                }
                if dossier.stats.retired_at.is_some() {
                    return Err(StoreError::Retired(blob.dossier));
                }
                let size = blob.bytes.len() as u64;
                let wanted = dossier.stats.live_bytes.saturating_add(size);
                if wanted > max_dossier_bytes {
                    return Err(StoreError::TooLarge {
                        dossier: blob.dossier,
                        wanted,
                        limit: max_dossier_bytes,
                    });
                }
                let seq = dossier.stats.highest_seq + 1;
                dossier.live.insert(
                    (seq, 0),
                    Row {
                        parts: 1,
                        append_id: Some(blob.id),
                        bytes: blob.bytes.clone(),
                    },
                );
                dossier.ids.insert(blob.id, seq);
                dossier.stats.highest_seq = seq;
                dossier.stats.live_bytes = wanted;
                Ok(Appended {
                    seq,
                    new: true,
                    since_compaction: dossier.stats.live_blobs(),
                })
            })
            .collect())
    }

    fn read_page(
        &self,
        dossier: DossierId,
        after: Cursor,
        max_bytes: usize,
    ) -> Result<Page, StoreError> {
        let dossiers = self.lock();
        let Some(dossier) = dossiers.get(&dossier) else {
            return Ok(Page::default());
        };
        let mut page = Page::default();
        let mut used = 0usize;
        let rows = dossier.live.range((
            std::ops::Bound::Excluded((after.seq, after.part)),
            std::ops::Bound::Unbounded,
        ));
        for (&(seq, part), row) in rows {
            let cost = page_cost(row.bytes.len());
            if !page.items.is_empty() && used.saturating_add(cost) > max_bytes {
                page.more = true;
                break;
            }
            used = used.saturating_add(cost);
            page.items.push(LoggedBlob {
                seq,
                part,
                parts: row.parts,
                bytes: row.bytes.clone(),
            });
        }
        Ok(page)
    }

    fn compact(
        &self,
        compaction: &Compaction,
        max_dossier_bytes: u64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut dossiers = self.lock();
        let dossier = dossiers
            .get_mut(&compaction.dossier)
            .ok_or(StoreError::UnknownDossier(compaction.dossier))?;
        if dossier.stats.retired_at.is_some() {
            return Err(StoreError::Retired(compaction.dossier));
        }
        match check_compaction(compaction, &dossier.stats, dossier.last_compaction)? {
            CompactionCheck::Repeated => return Ok(()),
            CompactionCheck::Proceed => {}
        }
        let upto = compaction.upto_seq;
        let replaced_bytes: u64 = dossier
            .live
            .range(..=(upto, u32::MAX))
            .map(|(_, row)| row.bytes.len() as u64)
            .sum();
        let snapshot_bytes: u64 = compaction.parts.iter().map(|p| p.len() as u64).sum();
        let wanted = dossier
            .stats
            .live_bytes
            .saturating_sub(replaced_bytes)
            .saturating_add(snapshot_bytes);
        if wanted > max_dossier_bytes {
            return Err(StoreError::TooLarge {
                dossier: compaction.dossier,
                wanted,
                limit: max_dossier_bytes,
            });
        }
        let kept = dossier.live.split_off(&(upto.saturating_add(1), 0));
        let replaced = std::mem::replace(&mut dossier.live, kept);
        dossier
            .replaced
            .extend(replaced.into_values().map(|row| (now, row)));
        let parts = u32::try_from(compaction.parts.len())
            .map_err(|_| StoreError::BadCompaction("too many parts".into()))?;
        for (part, bytes) in (0..parts).zip(&compaction.parts) {
            dossier.live.insert(
                (upto, part),
                Row {
                    parts,
                    append_id: None,
                    bytes: bytes.clone(),
                },
            );
        }
        dossier.stats.compacted_upto = upto;
        dossier.stats.live_bytes = wanted;
        dossier.last_compaction = Some(compaction.id);
        Ok(())
    }

    fn stats(&self, dossier: DossierId) -> Result<DossierStats, StoreError> {
        Ok(self
            .lock()
            .get(&dossier)
            .map(|dossier| dossier.stats)
            .unwrap_or_default())
    }

    fn replaced_bytes(&self, dossier: DossierId) -> Result<u64, StoreError> {
        Ok(self.lock().get(&dossier).map_or(0, |dossier| {
            dossier
                .replaced
                .iter()
                .map(|(_, row)| row.bytes.len() as u64)
                .sum()
        }))
    }

    fn purge(&self, before: Timestamp, limit: usize) -> Result<usize, StoreError> {
        let mut dossiers = self.lock();
        let mut purged = 0;
        for dossier in dossiers.values_mut() {
            if dossier.stats.retired_at.is_some_and(|at| at < before) {
                while purged < limit {
                    let Some(((_, _), row)) = dossier.live.pop_first() else {
                        break;
                    };
                    purged += 1;
                    dossier.stats.live_bytes = dossier
                        .stats
                        .live_bytes
                        .saturating_sub(row.bytes.len() as u64);
                    if let Some(id) = row.append_id {
                        dossier.ids.remove(&id);
                    }
                }
            }
            let mut kept = Vec::with_capacity(dossier.replaced.len());
            for (at, row) in std::mem::take(&mut dossier.replaced) {
                if at < before && purged < limit {
                    purged += 1;
                    if let Some(id) = row.append_id {
                        dossier.ids.remove(&id);
                    }
                } else {
                    kept.push((at, row));
                }
            }
            dossier.replaced = kept;
        }
        Ok(purged)
    }

    fn retire(&self, dossier: DossierId, now: Timestamp) -> Result<(), StoreError> {
        let mut dossiers = self.lock();
        let known = dossiers
            .get_mut(&dossier)
            .ok_or(StoreError::UnknownDossier(dossier))?;
        known.stats.retired_at.get_or_insert(now);
        Ok(())
    }
}
