//! The moving file: every dossier of a device (its secret, who uses it in
//! each) sealed under a passphrase, to bring them all to a new device in
//! one step. The sealing is `driehoek_wire::transfer` (Argon2id, then
//! XChaCha20-Poly1305); this is what goes inside.

use driehoek_wire::keys::DossierSecret;
use driehoek_wire::transfer::{self, Cost, TransferError};
use serde::{Deserialize, Serialize};

/// What the file says about one dossier. No `Debug`: it holds a secret.
#[derive(Clone, PartialEq, Eq)]
pub struct MovedDossier {
    /// The dossier's secret, which gives the new device its access.
    pub secret: DossierSecret,
    /// The key epoch the secret's log is written at.
    pub epoch: u32,
    /// Who uses the old device in it (a person id), if someone was chosen.
    pub person: Option<String>,
    /// The child's name, to say which dossiers arrived.
    pub child_name: String,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    format: u32,
    dossiers: Vec<Item>,
}

#[derive(Serialize, Deserialize)]
struct Item {
    secret: String,
    /// Absent in files from before re-founding: epoch 0.
    #[serde(default)]
    epoch: u32,
    #[serde(default)]
    person: Option<String>,
    #[serde(default)]
    child_name: String,
}

const FORMAT: u32 = 1;

/// Why a moving file could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    /// Sealing or opening the file failed: a wrong or too short
    /// passphrase, or a damaged or foreign file.
    #[error(transparent)]
    Transfer(#[from] TransferError),
    /// It opened, but what is inside is not a list of dossiers this
    /// version understands.
    #[error("the moving file holds something this version does not read")]
    Unreadable,
}

/// Seals `dossiers` under `passphrase`.
pub fn seal(passphrase: &str, dossiers: &[MovedDossier], cost: Cost) -> Result<Vec<u8>, MoveError> {
    let payload = Payload {
        format: FORMAT,
        dossiers: dossiers
            .iter()
            .map(|d| Item {
                secret: d.secret.to_link_text(),
                epoch: d.epoch,
                person: d.person.clone(),
                child_name: d.child_name.clone(),
            })
            .collect(),
    };
    let json = serde_json::to_vec(&payload).map_err(|_| MoveError::Unreadable)?;
    Ok(transfer::seal(passphrase, &json, cost)?)
}

/// The dossiers in a moving file. Nothing is half-read: one unreadable
/// secret refuses the whole file, so a person never ends up with some
/// dossiers and no word about the rest.
pub fn open(passphrase: &str, file: &[u8]) -> Result<Vec<MovedDossier>, MoveError> {
    let json = transfer::open(passphrase, file)?;
    let payload: Payload = serde_json::from_slice(&json).map_err(|_| MoveError::Unreadable)?;
    if payload.format != FORMAT {
        return Err(MoveError::Unreadable);
    }
    payload
        .dossiers
        .into_iter()
        .map(|item| {
            Ok(MovedDossier {
                secret: DossierSecret::from_link_text(&item.secret).ok_or(MoveError::Unreadable)?,
                epoch: item.epoch,
                person: item.person,
                child_name: item.child_name,
            })
        })
        .collect()
}
