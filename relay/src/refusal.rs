//! What the relay tells a device when it refuses a request about one
//! dossier: a protocol error code and a sentence, worded once for both the
//! connections and the writer thread.

use driehoek_wire::keys::DossierId;

use crate::{
    store::StoreError,
    wire::{ErrorCode, Message},
};

/// A refusal of one request about one dossier.
pub(crate) struct Refusal {
    pub(crate) code: ErrorCode,
    pub(crate) message: String,
}

impl Refusal {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Refusal {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn from_store(err: &StoreError) -> Self {
        match err {
            StoreError::Unauthorized => Refusal::new(ErrorCode::Unauthorized, err.to_string()),
            StoreError::UnknownDossier(_) => {
                Refusal::new(ErrorCode::Unauthorized, "this dossier is not registered")
            }
            StoreError::TooLarge { .. } => Refusal::new(ErrorCode::TooLarge, err.to_string()),
            StoreError::BadCompaction(_) => Refusal::new(ErrorCode::BadCompaction, err.to_string()),
            StoreError::Retired(_) => Refusal::new(
                ErrorCode::Retired,
                "this dossier moved to a new key: its old log takes nothing new",
            ),
            StoreError::TooManyDossiers { .. } => Refusal::new(
                ErrorCode::QuotaExceeded,
                "this relay takes no new dossiers: it holds as many as its operator allows",
            ),
            StoreError::Full { .. } => Refusal::new(
                ErrorCode::QuotaExceeded,
                "this relay is full: it stores nothing new until its operator makes room",
            ),
            // The device may try again (under the same append id); what
            // went wrong is in the relay's log, not for the device.
            StoreError::InUse { .. }
            | StoreError::Lock { .. }
            | StoreError::Open { .. }
            | StoreError::Database(_)
            | StoreError::Damaged(_) => Refusal::new(
                ErrorCode::Overloaded,
                "the relay cannot do this right now; try again later",
            ),
        }
    }

    pub(crate) fn to_message(&self, dossier: DossierId) -> Message {
        Message::Error {
            code: self.code,
            message: self.message.clone(),
            dossier: Some(dossier),
        }
    }
}

/// The `Error` message for a store refusal.
pub(crate) fn refusal_for(err: &StoreError, dossier: DossierId) -> Message {
    Refusal::from_store(err).to_message(dossier)
}
