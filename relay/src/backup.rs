//! Backups of the SQLite store, made while the relay runs, and restores.
//!
//! A backup is `VACUUM INTO` from a read-only connection: SQLite copies
//! the database as one read transaction sees it, so the copy holds every
//! blob committed (and so every blob acknowledged) before the backup began,
//! and nothing half-written; in WAL mode the relay's writer goes on
//! meanwhile. The copy is checked, synced and then renamed over the
//! target, so a target file is always a whole backup, the previous one
//! until the new one is complete.
//!
//! A backup holds what the relay holds: ciphertext, dossier ids and token
//! hashes. It cannot be read without the dossiers' secrets, which only the
//! devices have; but it does let whoever has it act as the relay did.

use std::{
    fs::File,
    io,
    path::{Path, PathBuf},
    time::Duration,
};

use rusqlite::{Connection, OpenFlags};

use crate::store::{FILE_NAME, StoreError, lock_data_dir, now};

/// Long enough for a busy writer's checkpoint.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);
/// The files SQLite keeps next to a database: a stale write-ahead log
/// beside another database would be applied to it.
const COMPANIONS: [&str; 3] = ["-wal", "-shm", "-journal"];

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("no store at {} (is --data-dir right?)", path.display())]
    NoStore { path: PathBuf },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{} is not a path SQLite can take (it must be valid UTF-8)", path.display())]
    Path { path: PathBuf },
    #[error("{} is not a relay store: {reason}", path.display())]
    NotAStore { path: PathBuf, reason: String },
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error(
        "{} already holds a store; add --force to replace it (the current one is kept beside it)",
        path.display()
    )]
    Exists { path: PathBuf },
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// What a backup or restore holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    pub dossiers: u64,
    /// Blobs and snapshot parts, live and replaced.
    pub blobs: u64,
    /// Their bytes: ciphertext only.
    pub blob_bytes: u64,
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// `path` with `suffix` added to its file name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Copies the store in `data_dir` into `target`, replacing a previous
/// backup there only once the new one is complete and checked.
pub fn backup(data_dir: &Path, target: &Path) -> Result<Summary, BackupError> {
    let source = data_dir.join(FILE_NAME);
    if !source.is_file() {
        return Err(BackupError::NoStore { path: source });
    }
    let partial = with_suffix(target, ".partial");
    let partial_str = partial.to_str().ok_or_else(|| BackupError::Path {
        path: partial.clone(),
    })?;
    match std::fs::remove_file(&partial) {
        Ok(()) => {}
        Err(err) if err.kind() == io::ErrorKind::NotFound => {}
        Err(err) => return Err(io_error(&partial)(err)),
    }
    let copied = (|| {
        let conn = Connection::open_with_flags(
            &source,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.execute("VACUUM INTO ?1", [partial_str])?;
        let summary = check_store(&partial)?;
        File::open(&partial)
            .and_then(|file| file.sync_all())
            .map_err(io_error(&partial))?;
        Ok::<_, BackupError>(summary)
    })();
    let summary = match copied {
        Ok(summary) => summary,
        Err(err) => {
            let _ = std::fs::remove_file(&partial);
            return Err(err);
        }
    };
    std::fs::rename(&partial, target).map_err(io_error(target))?;
    sync_parent(target)?;
    Ok(summary)
}

/// Puts the backup `from` in place as the store of `data_dir`. The relay
/// must not be running there (its lock is taken for the whole restore).
/// An existing store is replaced only with `force`, and then moved aside
/// (`relay.sqlite3.replaced-<time>`), not deleted.
pub fn restore(data_dir: &Path, from: &Path, force: bool) -> Result<Summary, BackupError> {
    if !from.is_file() {
        return Err(BackupError::NotAStore {
            path: from.to_path_buf(),
            reason: "no such file".into(),
        });
    }
    std::fs::create_dir_all(data_dir).map_err(io_error(data_dir))?;
    let _lock = lock_data_dir(data_dir)?;
    let summary = check_store(from)?;
    let store = data_dir.join(FILE_NAME);
    if store.exists() && !force {
        return Err(BackupError::Exists { path: store });
    }
    let aside = with_suffix(&store, &format!(".replaced-{}", now()));
    for suffix in std::iter::once("").chain(COMPANIONS) {
        let file = with_suffix(&store, suffix);
        if file.exists() {
            let moved = with_suffix(&aside, suffix);
            std::fs::rename(&file, &moved).map_err(io_error(&file))?;
        }
    }
    let incoming = with_suffix(&store, ".restoring");
    std::fs::copy(from, &incoming).map_err(io_error(&incoming))?;
    File::open(&incoming)
        .and_then(|file| file.sync_all())
        .map_err(io_error(&incoming))?;
    std::fs::rename(&incoming, &store).map_err(io_error(&store))?;
    sync_parent(&store)?;
    Ok(summary)
}

/// Opens `path` read-only and checks that it is a whole relay store.
fn check_store(path: &Path) -> Result<Summary, BackupError> {
    let not_a_store = |reason: String| BackupError::NotAStore {
        path: path.to_path_buf(),
        reason,
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|err| not_a_store(err.to_string()))?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |row| row.get(0))
        .map_err(|err| not_a_store(err.to_string()))?;
    if check != "ok" {
        return Err(not_a_store(format!("the integrity check says {check}")));
    }
    let tables: i64 = conn.query_row(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('dossiers', 'blobs')",
        [],
        |row| row.get(0),
    )?;
    if tables != 2 {
        return Err(not_a_store("it lacks the relay's tables".into()));
    }
    let dossiers: i64 = conn.query_row("SELECT COUNT(*) FROM dossiers", [], |row| row.get(0))?;
    let (blobs, blob_bytes): (i64, i64) = conn.query_row(
        "SELECT COUNT(*), COALESCE(SUM(length(bytes)), 0) FROM blobs",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(Summary {
        dossiers: count(dossiers),
        blobs: count(blobs),
        blob_bytes: count(blob_bytes),
    })
}

/// A rename is durable once the folder that holds it is synced.
fn sync_parent(path: &Path) -> Result<(), BackupError> {
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    File::open(parent)
        .and_then(|dir| dir.sync_all())
        .map_err(io_error(parent))
}
