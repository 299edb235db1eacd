//! Per dossier, an append-only log of opaque blobs behind [`BlobStore`].
//!
//! Two implementations share one contract (`relay/tests/store_contract.rs`):
//! [`MemoryStore`], the twin for tests, and [`SqliteStore`], the embedded
//! default. The store is synchronous on purpose: SQLite blocks, and the
//! relay calls it from one writer thread (group commit) and from
//! `spawn_blocking` for reads.
//!
//! The log of a dossier, as a device sees it:
//!
//! ```text
//! seq:   1   2   3   4   5   6   7          appends get contiguous seqs from 1
//! after compact(upto = 5, parts = 2):
//!        [5.0 5.1]               6   7      1..=5 replaced (kept for a grace period)
//! ```
//!
//! Because every blob up to a compaction's `upto` is replaced, the live rows
//! of a dossier are exactly "the snapshot parts at `upto`, then the blobs
//! after it", so a read is "live rows after a cursor, by (seq, part)".

mod memory;
mod sqlite;

use std::time::{SystemTime, UNIX_EPOCH};

use driehoek_wire::{
    keys::DossierId,
    message::{AppendId, LoggedBlob, Token},
};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub use memory::MemoryStore;
pub use sqlite::{FILE_NAME, SqliteStore, lock_data_dir};

/// Seconds since the Unix epoch; when a blob was replaced.
pub type Timestamp = i64;

/// The current time as a [`Timestamp`] (0 if the clock is before 1970).
pub fn now() -> Timestamp {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |age| i64::try_from(age.as_secs()).unwrap_or(i64::MAX))
}

/// What a page of a read charges for each item on top of its bytes: the
/// CBOR framing of one [`LoggedBlob`] (at most 50 bytes), rounded up, so a
/// page fits in one `Blobs` message of the budget it was read for.
pub const PAGE_ITEM_OVERHEAD: usize = 64;

/// The SHA-256 of a dossier's relay token: what the store keeps, so a copy
/// of the database does not hand out write access.
#[derive(Clone, Copy)]
pub struct TokenHash(pub [u8; 32]);

impl TokenHash {
    pub fn of(token: &Token) -> Self {
        TokenHash(Sha256::digest(token.0).into())
    }

    /// In constant time, so response timing does not reveal how much of a
    /// guessed token was right.
    pub fn matches(&self, other: &TokenHash) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

/// Never printed, not even its hash.
impl std::fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenHash(..)")
    }
}

/// One append as the writer hands it to the store.
#[derive(Clone, Debug)]
pub struct NewBlob {
    pub dossier: DossierId,
    pub id: AppendId,
    pub bytes: Vec<u8>,
}

/// Where an append landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Appended {
    pub seq: u64,
    /// False when the append id was seen before: nothing was stored and
    /// `seq` is the one it got the first time.
    pub new: bool,
    /// Live blobs since the last compaction, this one included.
    pub since_compaction: u64,
}

/// A compaction's snapshot, all parts joined by the caller beforehand.
#[derive(Clone, Debug)]
pub struct Compaction {
    pub dossier: DossierId,
    pub id: AppendId,
    pub upto_seq: u64,
    pub parts: Vec<Vec<u8>>,
}

/// Where a read continues: after the row `(seq, part)` in log order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub seq: u64,
    pub part: u32,
}

impl Cursor {
    /// Before every row with a seq above `seq`, including every part of a
    /// snapshot stored at a higher seq.
    pub fn after(seq: u64) -> Self {
        Cursor {
            seq,
            part: u32::MAX,
        }
    }

    /// Just after `item`, to read the next page.
    pub fn past(item: &LoggedBlob) -> Self {
        Cursor {
            seq: item.seq,
            part: item.part,
        }
    }
}

/// One page of a read, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    pub items: Vec<LoggedBlob>,
    /// More live rows follow the last item.
    pub more: bool,
}

/// Whether [`BlobStore::authorize_with`] may register a dossier it does
/// not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Registration {
    /// An unknown dossier is registered, while fewer than `max_dossiers`
    /// are (0: no limit).
    Open { max_dossiers: u64 },
    /// Only registered dossiers pass; an unknown one is
    /// [`StoreError::UnknownDossier`].
    Closed,
}

/// How a token passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Authorized {
    /// The dossier was registered before, with this token.
    Known,
    /// The dossier was registered now, with this token.
    Registered,
}

/// The whole store, for quotas and metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub dossiers: u64,
    /// Bytes of every blob kept: live ones and replaced ones in their grace
    /// period, which take disk space all the same.
    pub stored_bytes: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DossierStats {
    /// Bytes of the live rows (snapshot parts and blobs): what the quota
    /// limits.
    pub live_bytes: u64,
    /// The highest seq ever given; 0 for an empty log.
    pub highest_seq: u64,
    /// The `upto_seq` of the last compaction; 0 when there was none.
    pub compacted_upto: u64,
    /// When the dossier was retired (re-founded under a new secret): its
    /// log takes nothing new and is deleted after the grace period.
    pub retired_at: Option<Timestamp>,
}

impl DossierStats {
    /// Blobs appended since the last compaction (seqs are contiguous and
    /// everything up to `compacted_upto` is replaced).
    pub fn live_blobs(&self) -> u64 {
        self.highest_seq.saturating_sub(self.compacted_upto)
    }
}

/// Why the store refused or failed. The first seven refuse one request and
/// say so to the device; the others are the relay's own trouble.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the relay holds its limit of {limit} dossiers")]
    TooManyDossiers { limit: u64 },
    #[error("the relay would store {wanted} bytes, over its limit of {limit}")]
    Full { wanted: u64, limit: u64 },
    #[error("the token does not match the one this dossier was registered with")]
    Unauthorized,
    #[error("dossier {0} is not registered")]
    UnknownDossier(DossierId),
    #[error("dossier {dossier} would hold {wanted} bytes, over its limit of {limit}")]
    TooLarge {
        dossier: DossierId,
        wanted: u64,
        limit: u64,
    },
    #[error("compaction refused: {0}")]
    BadCompaction(String),
    #[error("dossier {0} was retired: its log takes nothing new")]
    Retired(DossierId),
    #[error("another relay (or a restore) is using the data directory {}", dir.display())]
    InUse { dir: std::path::PathBuf },
    #[error("cannot lock {}: {source}", path.display())]
    Lock {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the database {}: {source}", path.display())]
    Open {
        path: std::path::PathBuf,
        source: rusqlite::Error,
    },
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("stored data is damaged: {0}")]
    Damaged(&'static str),
}

/// The contract both stores keep (and `relay/tests/store_contract.rs`
/// checks). Every method is atomic: it happens completely or not at all.
pub trait BlobStore: Send + Sync + 'static {
    /// Registers `token` as the dossier's token on first use, as far as
    /// `registration` allows; afterwards only the same token passes
    /// ([`StoreError::Unauthorized`]). Two first uses at once register one.
    fn authorize_with(
        &self,
        dossier: DossierId,
        token: &TokenHash,
        registration: Registration,
    ) -> Result<Authorized, StoreError>;

    /// Counts over the whole store; may read every row (at start, after a
    /// purge), so not for every request.
    fn totals(&self) -> Result<Totals, StoreError>;

    /// Makes a small durable write, as an append would: `Ok` means the store
    /// can take writes now.
    fn probe_write(&self) -> Result<(), StoreError>;

    /// [`authorize_with`](BlobStore::authorize_with) with registration open
    /// to any number of dossiers.
    fn authorize(&self, dossier: DossierId, token: &TokenHash) -> Result<(), StoreError> {
        self.authorize_with(dossier, token, Registration::Open { max_dossiers: 0 })
            .map(|_| ())
    }

    /// Stores the blobs in ONE transaction, in order. The outer error means
    /// nothing was stored; an inner one refuses that blob only (unknown
    /// dossier, or over `max_dossier_bytes`). A repeated append id of a
    /// dossier, in this batch or earlier, stores nothing and answers the
    /// first seq.
    fn append_batch(
        &self,
        blobs: &[NewBlob],
        max_dossier_bytes: u64,
    ) -> Result<Vec<Result<Appended, StoreError>>, StoreError>;

    /// Live rows after `after`, oldest first, as many as fit in `max_bytes`
    /// (each counting its bytes plus [`PAGE_ITEM_OVERHEAD`]), but at least
    /// one. Replaced rows are never returned. An unknown dossier is empty.
    fn read_page(
        &self,
        dossier: DossierId,
        after: Cursor,
        max_bytes: usize,
    ) -> Result<Page, StoreError>;

    /// Replaces every blob (and the previous snapshot) up to
    /// `compaction.upto_seq` by the snapshot, in ONE transaction; the
    /// replaced rows are marked with `now` and kept until [`purge`]. Refused
    /// when `upto_seq` is at or below the last compaction or above the
    /// highest seq, or when the snapshot has no parts. Repeating the last
    /// compaction under the same id succeeds without change (a lost Ack).
    ///
    /// [`purge`]: BlobStore::purge
    fn compact(
        &self,
        compaction: &Compaction,
        max_dossier_bytes: u64,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Zeros for an unknown dossier.
    fn stats(&self, dossier: DossierId) -> Result<DossierStats, StoreError>;

    /// Bytes of the replaced rows still kept for the grace period.
    fn replaced_bytes(&self, dossier: DossierId) -> Result<u64, StoreError>;

    /// Deletes at most `limit` rows replaced before `before`, and every row
    /// of a dossier retired before `before`, with the append ids that go
    /// with them; returns how many. A retired dossier stays registered
    /// (empty), so its old token still hears that it was retired. Bounded,
    /// so a large purge does not hold the writer up: call again while it
    /// returns `limit`.
    fn purge(&self, before: Timestamp, limit: usize) -> Result<usize, StoreError>;

    /// Closes a dossier's log: from now on appends and compactions are
    /// [`StoreError::Retired`], reads still serve the log until
    /// [`purge`](BlobStore::purge) deletes it. Retiring again keeps the
    /// first time. An unknown dossier is [`StoreError::UnknownDossier`].
    fn retire(&self, dossier: DossierId, now: Timestamp) -> Result<(), StoreError>;

    /// One blob; a convenience over [`append_batch`](BlobStore::append_batch).
    fn append(
        &self,
        dossier: DossierId,
        id: AppendId,
        bytes: &[u8],
        max_dossier_bytes: u64,
    ) -> Result<Appended, StoreError> {
        let blob = NewBlob {
            dossier,
            id,
            bytes: bytes.to_vec(),
        };
        self.append_batch(std::slice::from_ref(&blob), max_dossier_bytes)?
            .pop()
            .unwrap_or(Err(StoreError::Damaged("a batch of one gave no outcome")))
    }

    /// Every live row after `after_seq`, page by page.
    fn read_after(
        &self,
        dossier: DossierId,
        after_seq: u64,
    ) -> Result<Vec<LoggedBlob>, StoreError> {
        let mut all = Vec::new();
        let mut cursor = Cursor::after(after_seq);
        loop {
            let page = self.read_page(dossier, cursor, 1024 * 1024)?;
            if let Some(last) = page.items.last() {
                cursor = Cursor::past(last);
            }
            all.extend(page.items);
            if !page.more {
                return Ok(all);
            }
        }
    }
}

impl<S: BlobStore + ?Sized> BlobStore for std::sync::Arc<S> {
    fn authorize_with(
        &self,
        dossier: DossierId,
        token: &TokenHash,
        registration: Registration,
    ) -> Result<Authorized, StoreError> {
        (**self).authorize_with(dossier, token, registration)
    }
    fn totals(&self) -> Result<Totals, StoreError> {
        (**self).totals()
    }
    fn probe_write(&self) -> Result<(), StoreError> {
        (**self).probe_write()
    }
    fn append_batch(
        &self,
        blobs: &[NewBlob],
        max_dossier_bytes: u64,
    ) -> Result<Vec<Result<Appended, StoreError>>, StoreError> {
        (**self).append_batch(blobs, max_dossier_bytes)
    }
    fn read_page(
        &self,
        dossier: DossierId,
        after: Cursor,
        max_bytes: usize,
    ) -> Result<Page, StoreError> {
        (**self).read_page(dossier, after, max_bytes)
    }
    fn compact(
        &self,
        compaction: &Compaction,
        max_dossier_bytes: u64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        (**self).compact(compaction, max_dossier_bytes, now)
    }
    fn stats(&self, dossier: DossierId) -> Result<DossierStats, StoreError> {
        (**self).stats(dossier)
    }
    fn replaced_bytes(&self, dossier: DossierId) -> Result<u64, StoreError> {
        (**self).replaced_bytes(dossier)
    }
    fn purge(&self, before: Timestamp, limit: usize) -> Result<usize, StoreError> {
        (**self).purge(before, limit)
    }
    fn retire(&self, dossier: DossierId, now: Timestamp) -> Result<(), StoreError> {
        (**self).retire(dossier, now)
    }
}

/// What a row costs in a page.
fn page_cost(bytes: usize) -> usize {
    bytes.saturating_add(PAGE_ITEM_OVERHEAD)
}

/// Shared refusal checks of a compaction, so both stores say the same.
fn check_compaction(
    compaction: &Compaction,
    stats: &DossierStats,
    last_id: Option<AppendId>,
) -> Result<CompactionCheck, StoreError> {
    let upto = compaction.upto_seq;
    if upto == stats.compacted_upto && upto > 0 && last_id == Some(compaction.id) {
        return Ok(CompactionCheck::Repeated);
    }
    if compaction.parts.is_empty() {
        return Err(StoreError::BadCompaction(
            "a snapshot needs at least one part".into(),
        ));
    }
    if u32::try_from(compaction.parts.len()).is_err() {
        return Err(StoreError::BadCompaction("too many parts".into()));
    }
    if upto <= stats.compacted_upto {
        return Err(StoreError::BadCompaction(format!(
            "upto_seq {upto} is at or below the last compaction ({})",
            stats.compacted_upto
        )));
    }
    if upto > stats.highest_seq {
        return Err(StoreError::BadCompaction(format!(
            "upto_seq {upto} is above the highest seq ({})",
            stats.highest_seq
        )));
    }
    Ok(CompactionCheck::Proceed)
}

enum CompactionCheck {
    Proceed,
    Repeated,
}
