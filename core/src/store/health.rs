//! Whether the device keeps what is written, as the storage banner shows
//! it, decided from the results of writes.
//!
//! Two kinds of write can fail: a dossier's changes (with everything that
//! goes in their batch) and a draft. The banner shows while either fails
//! and goes only when both work again; a browser that gave no storage at
//! all stays "memory only" for the visit, whatever the writes into memory
//! report.

use crate::storage::StorageError;

/// Whether the device keeps what is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageHealth {
    /// Storage is being opened.
    Starting,
    /// Everything written is stored.
    Good,
    /// The browser gave no storage (private mode, switched off, an upgrade
    /// blocked by another tab): the app works in memory for this visit.
    MemoryOnly(StorageError),
    /// The last write failed (for example: the device is full). What was
    /// not stored stays in memory and is written by the next attempt.
    WriteFailed(StorageError),
}

/// Which kind of write a result is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteKind {
    /// A dossier's changes, drafts to delete, sync position, visit.
    Changes,
    /// A draft of what is being typed.
    Draft,
}

/// Turns write results into the [`StorageHealth`] to show.
#[derive(Clone, Debug)]
pub struct HealthTracker {
    health: StorageHealth,
    changes_fail: bool,
    drafts_fail: bool,
}

impl Default for HealthTracker {
    fn default() -> Self {
        HealthTracker {
            health: StorageHealth::Starting,
            changes_fail: false,
            drafts_fail: false,
        }
    }
}

impl HealthTracker {
    /// What to show now.
    pub fn health(&self) -> &StorageHealth {
        &self.health
    }

    /// Storage opened, or did not (`Some` reason): then the app works in
    /// memory for this visit.
    pub fn opened(&mut self, unavailable: Option<StorageError>) {
        self.health = match unavailable {
            None => StorageHealth::Good,
            Some(e) => StorageHealth::MemoryOnly(e),
        };
    }

    /// A write of `kind` failed.
    pub fn write_failed(&mut self, kind: WriteKind, error: StorageError) {
        match kind {
            WriteKind::Changes => self.changes_fail = true,
            WriteKind::Draft => self.drafts_fail = true,
        }
        if !matches!(
            self.health,
            StorageHealth::MemoryOnly(_) | StorageHealth::Starting
        ) {
            self.health = StorageHealth::WriteFailed(error);
        }
    }

    /// A write of `kind` worked; the banner goes once the other kind works
    /// too.
    pub fn write_succeeded(&mut self, kind: WriteKind) {
        match kind {
            WriteKind::Changes => self.changes_fail = false,
            WriteKind::Draft => self.drafts_fail = false,
        }
        if !self.changes_fail
            && !self.drafts_fail
            && matches!(self.health, StorageHealth::WriteFailed(_))
        {
            self.health = StorageHealth::Good;
        }
    }

    /// Whether what is shown says that writes fail.
    pub fn is_failing(&self) -> bool {
        matches!(self.health, StorageHealth::WriteFailed(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> StorageError {
        StorageError::QuotaExceeded
    }

    #[test]
    fn the_banner_goes_only_when_changes_and_drafts_both_write_again() {
        let mut h = HealthTracker::default();
        h.opened(None);
        h.write_failed(WriteKind::Changes, full());
        h.write_failed(WriteKind::Draft, full());
        assert_eq!(h.health(), &StorageHealth::WriteFailed(full()));
        h.write_succeeded(WriteKind::Changes);
        assert!(h.is_failing(), "drafts still fail");
        h.write_succeeded(WriteKind::Draft);
        assert_eq!(h.health(), &StorageHealth::Good);
    }

    #[test]
    fn memory_only_stays_for_the_visit_whatever_the_writes_say() {
        let mut h = HealthTracker::default();
        let why = StorageError::Unavailable("private mode".into());
        h.opened(Some(why.clone()));
        h.write_failed(WriteKind::Changes, full());
        h.write_succeeded(WriteKind::Changes);
        assert_eq!(h.health(), &StorageHealth::MemoryOnly(why));
    }

    #[test]
    fn a_failure_while_storage_opens_shows_once_it_is_open_and_failing_again() {
        let mut h = HealthTracker::default();
        h.write_failed(WriteKind::Draft, full());
        assert_eq!(h.health(), &StorageHealth::Starting);
        h.opened(None);
        assert_eq!(h.health(), &StorageHealth::Good);
        h.write_failed(WriteKind::Draft, full());
        assert!(h.is_failing());
    }
}
