//! Making a re-founding (a member was removed): a new secret and the next
//! key epoch, and the notice that carries the new secret, sealed to every
//! remaining device's published X25519 key, into the old log. Receiving
//! one is the engine's part (`engine::Refounding`).

use driehoek_wire::SigningKey;
use driehoek_wire::blob::{self, BlobKind};
use driehoek_wire::keys::DossierSecret;
use driehoek_wire::refound::{RefoundNotice, verify_box_key_record};

use super::record::{PendingNotice, SyncRecord};
use crate::model::read::Members;

/// Who gets the new secret.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recipients {
    /// (Ed25519 key, X25519 key) of each remaining device but this one.
    pub devices: Vec<([u8; 32], [u8; 32])>,
    /// Remaining devices without a box key they signed themselves (an app
    /// from before re-founding existed that has not opened the dossier
    /// since): they need a new invite link afterwards.
    pub without_key: usize,
}

/// The devices of current members, except `this_device`, with the X25519
/// key each signed itself; a record another member forged is skipped.
pub fn recipients(members: &Members, this_device: &[u8; 32]) -> Recipients {
    let mut out = Recipients::default();
    for device in members.current_devices() {
        if &device.key == this_device {
            continue;
        }
        match device
            .box_records
            .iter()
            .find_map(|r| verify_box_key_record(&device.key, r))
        {
            Some(public) => out.devices.push((device.key, public)),
            None => out.without_key += 1,
        }
    }
    out
}

/// A re-founding made: the new secret and the record this device goes on
/// with (its notice pending until the new log holds everything).
#[derive(Debug)]
pub struct Refounded {
    /// The dossier's new secret, for the new log.
    pub secret: DossierSecret,
    /// The record to store in place of the old one.
    pub record: SyncRecord,
}

/// Re-founds the dossier of `record` (its secret, its epoch) for
/// `recipients`, signed by `device`.
pub fn refound(
    record: &SyncRecord,
    device: &SigningKey,
    recipients: &Recipients,
) -> Result<Refounded, String> {
    let old = record.secret().ok_or("the stored secret is damaged")?;
    let epoch = record
        .epoch
        .checked_add(1)
        .ok_or("no key epoch after this one")?;
    let secret = DossierSecret::generate().map_err(|e| e.to_string())?;
    let old_id = old.dossier_id();
    let notice = RefoundNotice::seal(&old_id, epoch, &secret, &recipients.devices)
        .map_err(|e| e.to_string())?;
    let sealed = blob::seal(
        &old.encryption_key(),
        &old_id,
        record.epoch,
        device,
        BlobKind::Refounded,
        &notice.encode(),
    )
    .map_err(|e| e.to_string())?;
    let mut next = record.moved_to(&secret, epoch);
    next.notice = Some(PendingNotice::new(&old, record.epoch, &sealed)?);
    Ok(Refounded {
        secret,
        record: next,
    })
}
