//! The embedded store: one SQLite file, `<data_dir>/relay.sqlite3`.
//!
//! One write connection (the relay's writer thread batches appends into one
//! transaction each, see `writer.rs`) and a small pool of read connections,
//! which WAL lets read while a batch commits.

use std::{
    path::{Path, PathBuf},
    sync::{Mutex, MutexGuard, PoisonError},
    time::Duration,
};

use driehoek_wire::{
    keys::DossierId,
    message::{AppendId, LoggedBlob},
};
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};

use super::{
    Appended, Authorized, BlobStore, Compaction, CompactionCheck, Cursor, DossierStats, NewBlob,
    Page, Registration, StoreError, Timestamp, TokenHash, Totals, check_compaction, page_cost,
};

pub const FILE_NAME: &str = "relay.sqlite3";
/// Locked (exclusively) for as long as a store is open, so a second relay
/// or a restore cannot write the same database under it.
pub const LOCK_NAME: &str = "relay.lock";

/// Idle read connections kept open; more are opened when needed.
const MAX_IDLE_READERS: usize = 8;

/// Long enough to ride out a checkpoint, short enough to surface a stuck
/// database as an error instead of a hang.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The live rows of a dossier are unique by (seq, part); replaced rows keep
/// theirs for the grace period, so a snapshot at `upto` can sit next to the
/// replaced blob with the same seq. Columns are ordered so that reading
/// seq and part does not touch a large blob's overflow pages.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS dossiers (
    id BLOB PRIMARY KEY NOT NULL,
    token_hash BLOB NOT NULL,
    highest_seq INTEGER NOT NULL DEFAULT 0,
    compacted_upto INTEGER NOT NULL DEFAULT 0,
    compaction_id BLOB,
    live_bytes INTEGER NOT NULL DEFAULT 0,
    retired_at INTEGER
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blobs (
    dossier BLOB NOT NULL,
    seq INTEGER NOT NULL,
    part INTEGER NOT NULL,
    parts INTEGER NOT NULL,
    append_id BLOB,
    replaced_at INTEGER,
    bytes BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS blobs_live
    ON blobs (dossier, seq, part) WHERE replaced_at IS NULL;
CREATE UNIQUE INDEX IF NOT EXISTS blobs_append_id
    ON blobs (dossier, append_id) WHERE append_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS blobs_replaced
    ON blobs (dossier, replaced_at) WHERE replaced_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS health (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at INTEGER NOT NULL
);
";

pub struct SqliteStore {
    path: PathBuf,
    /// Declared before the writer so they close first (fields drop in
    /// order): only the last connection to close checkpoints the WAL into
    /// the database and removes it, and a read-only one cannot.
    readers: Mutex<Vec<Connection>>,
    writer: Mutex<Connection>,
    /// Last, so the lock is let go only after the database is closed.
    _lock: std::fs::File,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (or creates) the database in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let lock = lock_data_dir(data_dir)?;
        let path = data_dir.join(FILE_NAME);
        let failed = |source| StoreError::Open {
            path: path.clone(),
            source,
        };
        let conn = Connection::open(&path).map_err(failed)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(failed)?;
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(failed)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Damaged("the database refused WAL mode"));
        }
        // An Ack promises the blob is stored. With WAL, NORMAL syncs only at
        // checkpoints, so a power loss can take back commits that were
        // already acknowledged; FULL syncs the WAL at every commit, and
        // group commit pays that once per batch rather than per blob.
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(failed)?;
        conn.execute_batch(SCHEMA).map_err(failed)?;
        migrate(&conn).map_err(failed)?;
        Ok(SqliteStore {
            path,
            readers: Mutex::new(Vec::new()),
            writer: Mutex::new(conn),
            _lock: lock,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A panic while holding the connection leaves at most an open
    /// transaction, which rusqlite rolls back when it is dropped.
    fn writer(&self) -> MutexGuard<'_, Connection> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn with_reader<T>(
        &self,
        read: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let idle = self
            .readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let conn = match idle {
            Some(conn) => conn,
            None => self.open_reader()?,
        };
        let result = read(&conn);
        let mut readers = self.readers.lock().unwrap_or_else(PoisonError::into_inner);
        if readers.len() < MAX_IDLE_READERS {
            readers.push(conn);
        }
        result
    }

    fn open_reader(&self) -> Result<Connection, StoreError> {
        let failed = |source| StoreError::Open {
            path: self.path.clone(),
            source,
        };
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(failed)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(failed)?;
        Ok(conn)
    }
}

/// Brings a database made by an earlier relay up to [`SCHEMA`]: `CREATE
/// TABLE IF NOT EXISTS` leaves an existing table as it was.
fn migrate(conn: &Connection) -> Result<(), rusqlite::Error> {
    let has_retired: bool = conn.query_row(
        "SELECT COUNT(*) > 0 FROM pragma_table_info('dossiers') WHERE name = 'retired_at'",
        [],
        |row| row.get(0),
    )?;
    if !has_retired {
        conn.execute_batch("ALTER TABLE dossiers ADD COLUMN retired_at INTEGER")?;
    }
    Ok(())
}

/// Takes the data directory's lock without waiting; the lock goes with the
/// returned file (also when the process is killed).
pub fn lock_data_dir(data_dir: &Path) -> Result<std::fs::File, StoreError> {
    let path = data_dir.join(LOCK_NAME);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| StoreError::Lock {
            path: path.clone(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::InUse {
            dir: data_dir.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(source)) => Err(StoreError::Lock { path, source }),
    }
}

fn to_sql(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::Damaged("a number beyond the database's range"))
}

fn from_sql(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::Damaged("a negative number where none can be"))
}

/// A cursor from a device can be any u64; beyond the database's range it
/// means "after everything".
fn cursor_seq(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

struct DossierRow {
    stats: DossierStats,
    compaction_id: Option<AppendId>,
}

fn dossier_row(conn: &Connection, dossier: &DossierId) -> Result<Option<DossierRow>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT highest_seq, compacted_upto, live_bytes, compaction_id, retired_at
             FROM dossiers WHERE id = ?1",
        )?
        .query_row([dossier.as_bytes().as_slice()], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, Option<Vec<u8>>>(3)?,
                row.get::<_, Option<i64>>(4)?,
            ))
        })
        .optional()?;
    let Some((highest, upto, live, compaction_id, retired_at)) = row else {
        return Ok(None);
    };
    let compaction_id = match compaction_id {
        None => None,
        Some(bytes) => {
            Some(AppendId(bytes.try_into().map_err(|_| {
                StoreError::Damaged("a compaction id of the wrong length")
            })?))
        }
    };
    Ok(Some(DossierRow {
        stats: DossierStats {
            live_bytes: from_sql(live)?,
            highest_seq: from_sql(highest)?,
            compacted_upto: from_sql(upto)?,
            retired_at,
        },
        compaction_id,
    }))
}

fn append_one(
    tx: &Transaction<'_>,
    blob: &NewBlob,
    max_dossier_bytes: u64,
) -> Result<Appended, StoreError> {
    let dossier = blob.dossier.as_bytes().as_slice();
    let row = dossier_row(tx, &blob.dossier)?.ok_or(StoreError::UnknownDossier(blob.dossier))?;
    let stats = row.stats;
    let earlier: Option<i64> = tx
        .prepare_cached("SELECT seq FROM blobs WHERE dossier = ?1 AND append_id = ?2")?
        .query_row(params![dossier, blob.id.0.as_slice()], |row| row.get(0))
        .optional()?;
    if let Some(seq) = earlier {
        return Ok(Appended {
            seq: from_sql(seq)?,
            new: false,
            since_compaction: stats.live_blobs(),
        });
    }
    if stats.retired_at.is_some() {
        return Err(StoreError::Retired(blob.dossier));
    }
    let wanted = stats.live_bytes.saturating_add(blob.bytes.len() as u64);
    if wanted > max_dossier_bytes {
        return Err(StoreError::TooLarge {
            dossier: blob.dossier,
            wanted,
            limit: max_dossier_bytes,
        });
    }
    let seq = stats.highest_seq + 1;
    tx.prepare_cached(
        "INSERT INTO blobs (dossier, seq, part, parts, append_id, bytes)
         VALUES (?1, ?2, 0, 1, ?3, ?4)",
    )?
    .execute(params![
        dossier,
        to_sql(seq)?,
        blob.id.0.as_slice(),
        blob.bytes
    ])?;
    tx.prepare_cached("UPDATE dossiers SET highest_seq = ?2, live_bytes = ?3 WHERE id = ?1")?
        .execute(params![dossier, to_sql(seq)?, to_sql(wanted)?])?;
    Ok(Appended {
        seq,
        new: true,
        since_compaction: seq.saturating_sub(stats.compacted_upto),
    })
}

impl BlobStore for SqliteStore {
    fn authorize_with(
        &self,
        dossier: DossierId,
        token: &TokenHash,
        registration: Registration,
    ) -> Result<Authorized, StoreError> {
        // Read, count and insert under the single writer connection: two
        // devices registering the same new dossier cannot both win, and
        // two new dossiers cannot both take the last place.
        let conn = self.writer();
        let id = dossier.as_bytes().as_slice();
        let stored: Option<Vec<u8>> = conn
            .prepare_cached("SELECT token_hash FROM dossiers WHERE id = ?1")?
            .query_row([id], |row| row.get(0))
            .optional()?;
        if let Some(stored) = stored {
            let stored: [u8; 32] = stored
                .try_into()
                .map_err(|_| StoreError::Damaged("a token hash of the wrong length"))?;
            return if TokenHash(stored).matches(token) {
                Ok(Authorized::Known)
            } else {
                Err(StoreError::Unauthorized)
            };
        }
        match registration {
            Registration::Closed => return Err(StoreError::UnknownDossier(dossier)),
            Registration::Open { max_dossiers } if max_dossiers > 0 => {
                let count: i64 = conn
                    .prepare_cached("SELECT COUNT(*) FROM dossiers")?
                    .query_row([], |row| row.get(0))?;
                if from_sql(count)? >= max_dossiers {
                    return Err(StoreError::TooManyDossiers {
                        limit: max_dossiers,
                    });
                }
            }
            Registration::Open { .. } => {}
        }
        conn.prepare_cached("INSERT INTO dossiers (id, token_hash) VALUES (?1, ?2)")?
            .execute(params![id, token.0.as_slice()])?;
        Ok(Authorized::Registered)
    }

    fn totals(&self) -> Result<Totals, StoreError> {
        self.with_reader(|conn| {
            let dossiers: i64 =
                conn.query_row("SELECT COUNT(*) FROM dossiers", [], |row| row.get(0))?;
            // length() of a blob comes from the row header: the scan does
            // not read the blobs themselves.
            let bytes: i64 = conn.query_row(
                "SELECT COALESCE(SUM(length(bytes)), 0) FROM blobs",
                [],
                |row| row.get(0),
            )?;
            Ok(Totals {
                dossiers: from_sql(dossiers)?,
                stored_bytes: from_sql(bytes)?,
            })
        })
    }

    fn probe_write(&self) -> Result<(), StoreError> {
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.prepare_cached(
            "INSERT INTO health (id, checked_at) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
        )?
        .execute([super::now()])?;
        tx.commit()?;
        Ok(())
    }

    fn append_batch(
        &self,
        blobs: &[NewBlob],
        max_dossier_bytes: u64,
    ) -> Result<Vec<Result<Appended, StoreError>>, StoreError> {
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut outcomes = Vec::with_capacity(blobs.len());
        for blob in blobs {
            match append_one(&tx, blob, max_dossier_bytes) {
                Err(StoreError::Database(err)) => return Err(StoreError::Database(err)),
                Err(StoreError::Damaged(what)) => return Err(StoreError::Damaged(what)),
                outcome => outcomes.push(outcome),
            }
        }
        tx.commit()?;
        Ok(outcomes)
    }

    fn read_page(
        &self,
        dossier: DossierId,
        after: Cursor,
        max_bytes: usize,
    ) -> Result<Page, StoreError> {
        self.with_reader(|conn| {
            let mut statement = conn.prepare_cached(
                "SELECT seq, part, parts, length(bytes), bytes FROM blobs
                 WHERE dossier = ?1 AND replaced_at IS NULL AND (seq, part) > (?2, ?3)
                 ORDER BY seq, part",
            )?;
            let mut rows = statement.query(params![
                dossier.as_bytes().as_slice(),
                cursor_seq(after.seq),
                after.part
            ])?;
            let mut page = Page::default();
            let mut used = 0usize;
            while let Some(row) = rows.next()? {
                let size = usize::try_from(row.get::<_, i64>(3)?)
                    .map_err(|_| StoreError::Damaged("a negative blob length"))?;
                let cost = page_cost(size);
                if !page.items.is_empty() && used.saturating_add(cost) > max_bytes {
                    page.more = true;
                    break;
                }
                used = used.saturating_add(cost);
                page.items.push(LoggedBlob {
                    seq: from_sql(row.get(0)?)?,
                    part: row.get(1)?,
                    parts: row.get(2)?,
                    bytes: row.get(4)?,
                });
            }
            Ok(page)
        })
    }

    fn compact(
        &self,
        compaction: &Compaction,
        max_dossier_bytes: u64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let dossier = compaction.dossier.as_bytes().as_slice();
        let row = dossier_row(&tx, &compaction.dossier)?
            .ok_or(StoreError::UnknownDossier(compaction.dossier))?;
        if row.stats.retired_at.is_some() {
            return Err(StoreError::Retired(compaction.dossier));
        }
        match check_compaction(compaction, &row.stats, row.compaction_id)? {
            CompactionCheck::Repeated => return Ok(()),
            CompactionCheck::Proceed => {}
        }
        let upto = to_sql(compaction.upto_seq)?;
        let replaced: i64 = tx.query_row(
            "SELECT COALESCE(SUM(length(bytes)), 0) FROM blobs
             WHERE dossier = ?1 AND replaced_at IS NULL AND seq <= ?2",
            params![dossier, upto],
            |row| row.get(0),
        )?;
        let snapshot: u64 = compaction.parts.iter().map(|p| p.len() as u64).sum();
        let wanted = row
            .stats
            .live_bytes
            .saturating_sub(from_sql(replaced)?)
            .saturating_add(snapshot);
        if wanted > max_dossier_bytes {
            return Err(StoreError::TooLarge {
                dossier: compaction.dossier,
                wanted,
                limit: max_dossier_bytes,
            });
        }
        tx.execute(
            "UPDATE blobs SET replaced_at = ?3
             WHERE dossier = ?1 AND replaced_at IS NULL AND seq <= ?2",
            params![dossier, upto, now],
        )?;
        let parts = u32::try_from(compaction.parts.len())
            .map_err(|_| StoreError::BadCompaction("too many parts".into()))?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO blobs (dossier, seq, part, parts, bytes) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (part, bytes) in (0..parts).zip(&compaction.parts) {
                insert.execute(params![dossier, upto, part, parts, bytes])?;
            }
        }
        tx.execute(
            "UPDATE dossiers SET compacted_upto = ?2, compaction_id = ?3, live_bytes = ?4
             WHERE id = ?1",
            params![dossier, upto, compaction.id.0.as_slice(), to_sql(wanted)?],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn stats(&self, dossier: DossierId) -> Result<DossierStats, StoreError> {
        self.with_reader(|conn| {
            Ok(dossier_row(conn, &dossier)?
                .map(|row| row.stats)
                .unwrap_or_default())
        })
    }

    fn replaced_bytes(&self, dossier: DossierId) -> Result<u64, StoreError> {
        self.with_reader(|conn| {
            let bytes: i64 = conn.query_row(
                "SELECT COALESCE(SUM(length(bytes)), 0) FROM blobs
                 WHERE dossier = ?1 AND replaced_at IS NOT NULL",
                [dossier.as_bytes().as_slice()],
                |row| row.get(0),
            )?;
            from_sql(bytes)
        })
    }

    fn purge(&self, before: Timestamp, limit: usize) -> Result<usize, StoreError> {
        let mut conn = self.writer();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let purged = tx.execute(
            "DELETE FROM blobs WHERE rowid IN (
                 SELECT rowid FROM blobs
                 WHERE replaced_at IS NOT NULL AND replaced_at < ?1
                 UNION ALL
                 SELECT blobs.rowid FROM blobs JOIN dossiers ON dossiers.id = blobs.dossier
                 WHERE dossiers.retired_at IS NOT NULL AND dossiers.retired_at < ?1
                 LIMIT ?2)",
            params![before, limit],
        )?;
        if purged > 0 {
            tx.execute(
                "UPDATE dossiers SET live_bytes = (
                     SELECT COALESCE(SUM(length(bytes)), 0) FROM blobs
                     WHERE blobs.dossier = dossiers.id AND replaced_at IS NULL)
                 WHERE retired_at IS NOT NULL AND retired_at < ?1 AND live_bytes > 0",
                [before],
            )?;
        }
        tx.commit()?;
        Ok(purged)
    }

    fn retire(&self, dossier: DossierId, now: Timestamp) -> Result<(), StoreError> {
        let conn = self.writer();
        let changed = conn
            .prepare_cached(
                "UPDATE dossiers SET retired_at = COALESCE(retired_at, ?2) WHERE id = ?1",
            )?
            .execute(params![dossier.as_bytes().as_slice(), now])?;
        if changed == 0 {
            return Err(StoreError::UnknownDossier(dossier));
        }
        Ok(())
    }
}
