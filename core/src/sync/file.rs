//! The sync file: a dossier's whole state, encrypted and signed like a
//! relay blob, for passing between devices without a network (a USB
//! stick, a mail to oneself). It holds no secret: only a device that has
//! joined the dossier can read it and merge it.
//!
//! ```text
//! "DRIEHOEK-SYNC" (13) | format version (1) | dossier id (16) | blob
//! ```
//!
//! The blob is the version-1 relay blob (`driehoek_wire::blob`) of kind
//! `Snapshot`: the Automerge document, encrypted with the dossier's key
//! and signed by the exporting device. The id in the clear lets the
//! importing device find the dossier it belongs to before decrypting.

use automerge::AutoCommit;
use driehoek_wire::SigningKey;
use driehoek_wire::blob::{self, BlobKind};
use driehoek_wire::keys::{DossierId, DossierSecret};

use super::engine::MAX_BLOB_BYTES;

const MAGIC: &[u8; 13] = b"DRIEHOEK-SYNC";
const VERSION: u8 = 1;
const HEADER: usize = MAGIC.len() + 1 + 16;

/// Why a file was not merged; nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SyncFileError {
    #[error("this is not a Driehoek sync file")]
    NotASyncFile,
    #[error("this sync file is from a newer version of the app (format {0})")]
    NewerFormat(u8),
    #[error("this sync file belongs to a dossier this device has not joined")]
    NotJoined,
    #[error("this sync file is damaged: {0}")]
    Damaged(String),
    #[error("the file is too large")]
    TooLarge,
    /// Storage refused (a full device, no storage in private mode): said
    /// as such, not as "something went wrong".
    #[error("this device's storage failed: {0}")]
    Storage(#[from] crate::storage::StorageError),
    /// The dossier is not open on this device (any more), or the device's
    /// key is not loaded yet: nothing was read or written.
    #[error("the dossier is not ready on this device: {0}")]
    NotReady(&'static str),
}

/// The file for `doc` of the dossier `secret`, signed by `device`.
pub fn export(
    secret: &DossierSecret,
    epoch: u32,
    device: &SigningKey,
    doc: &mut AutoCommit,
) -> Result<Vec<u8>, SyncFileError> {
    let dossier = secret.dossier_id();
    let sealed = blob::seal(
        &secret.encryption_key(),
        &dossier,
        epoch,
        device,
        BlobKind::Snapshot,
        &doc.save(),
    )
    .map_err(|e| SyncFileError::Damaged(e.to_string()))?;
    let mut out = Vec::with_capacity(HEADER + sealed.len());
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out.extend_from_slice(dossier.as_bytes());
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// The dossier a file belongs to, read from its header alone.
pub fn dossier_of(bytes: &[u8]) -> Result<DossierId, SyncFileError> {
    if bytes.len() > MAX_BLOB_BYTES + HEADER {
        return Err(SyncFileError::TooLarge);
    }
    if bytes.len() < HEADER || !bytes.starts_with(MAGIC) {
        return Err(SyncFileError::NotASyncFile);
    }
    let version = bytes[MAGIC.len()];
    if version != VERSION {
        return Err(SyncFileError::NewerFormat(version));
    }
    let mut id = [0u8; 16];
    id.copy_from_slice(&bytes[MAGIC.len() + 1..HEADER]);
    Ok(DossierId::from_bytes(id))
}

/// The document bytes inside a file of the dossier `secret`, decrypted,
/// verified and checked to load as a document.
pub fn open(secret: &DossierSecret, bytes: &[u8]) -> Result<Vec<u8>, SyncFileError> {
    let dossier = dossier_of(bytes)?;
    if dossier != secret.dossier_id() {
        return Err(SyncFileError::NotJoined);
    }
    let opened = blob::open(
        &secret.encryption_key(),
        &dossier,
        &bytes[HEADER..],
        MAX_BLOB_BYTES,
    )
    .map_err(|e| SyncFileError::Damaged(e.to_string()))?;
    if opened.kind != BlobKind::Snapshot {
        return Err(SyncFileError::Damaged("not a whole dossier".into()));
    }
    AutoCommit::load(&opened.changes).map_err(|e| SyncFileError::Damaged(e.to_string()))?;
    Ok(opened.changes)
}
