//! Errors and stored values turned into words, once, for every page.

use crate::i18n::{Lang, Phrase, Text, Words};
use crate::storage::StorageError;
use crate::store::{StorageHealth, StoreError, StoreWarning, SyncTrouble};
use driehoek_core::model::{EntryKind, ModelError, Party, Role};
use driehoek_core::sync::file::SyncFileError;
use driehoek_wire::message::ErrorCode;

pub fn storage_error_text(error: &StorageError, lang: Lang) -> String {
    match error {
        StorageError::QuotaExceeded => Text::StorageFull.get(lang).into(),
        StorageError::Unavailable(_) => Text::StorageUnavailable.get(lang).into(),
        StorageError::Blocked => Text::StorageBlocked.get(lang).into(),
        StorageError::Backend(detail) => format!("{} ({detail})", Text::StorageFailed.get(lang)),
    }
}

pub fn model_error_text(error: &ModelError, lang: Lang) -> String {
    match error {
        ModelError::EmptyText { .. } => Text::WriteSomething.get(lang).into(),
        ModelError::Invalid { .. }
        | ModelError::TextTooLong { .. }
        | ModelError::DateOutOfRange(_) => {
            format!("{} ({error})", Text::CheckWhatYouTyped.get(lang))
        }
        ModelError::NewerSchema { .. } => Text::ReadOnlyDossier.get(lang).into(),
        ModelError::NotAuthor { .. } => Text::OnlyAuthorEdits.get(lang).into(),
        ModelError::NotAMember { .. } => Text::NotAMember.get(lang).into(),
        other => format!("{} ({other})", Text::SomethingWentWrong.get(lang)),
    }
}

pub fn store_error_text(error: &StoreError, lang: Lang) -> String {
    match error {
        StoreError::Storage(e) => storage_error_text(e, lang),
        StoreError::Model(e) => model_error_text(e, lang),
        StoreError::NotFound(_) => Text::DossierNotHere.get(lang).into(),
        StoreError::Unreadable(_) => Text::DossierUnreadable.get(lang).into(),
        other => format!("{} ({other})", Text::SomethingWentWrong.get(lang)),
    }
}

/// The banner text for the state of storage; `None` when all is well.
pub fn health_text(health: &StorageHealth, lang: Lang) -> Option<String> {
    match health {
        StorageHealth::Starting | StorageHealth::Good => None,
        StorageHealth::MemoryOnly(e) => Some(format!(
            "{} {}",
            storage_error_text(e, lang),
            Text::WorkingInMemory.get(lang)
        )),
        StorageHealth::WriteFailed(e) => Some(format!(
            "{} {}",
            storage_error_text(e, lang),
            Text::KeptInMemory.get(lang)
        )),
    }
}

pub fn warning_text(warning: &StoreWarning, lang: Lang) -> String {
    match warning {
        StoreWarning::Damaged { .. } => Text::DamagedPartSkipped.get(lang).into(),
        StoreWarning::SavedHeadsReset { .. } => Text::SomeChangesMissing.get(lang).into(),
        StoreWarning::MissingDependencies { .. } => Text::WaitingForChanges.get(lang).into(),
        StoreWarning::QuarantineHeld { count } => Text::DamagedKept
            .get(lang)
            .replace("{n}", &count.to_string()),
    }
}

pub fn role_text(role: &Role, lang: Lang) -> String {
    match role {
        Role::Parent => Text::RoleParent.get(lang).into(),
        Role::Child => Text::RoleChild.get(lang).into(),
        Role::Teacher => Text::RoleTeacher.get(lang).into(),
        Role::Coordinator => Text::RoleCoordinator.get(lang).into(),
        Role::Unknown(s) => s.clone(),
    }
}

/// A picture for each kind, so a child who cannot read well yet finds it.
pub fn party_text(party: &Party, lang: Lang) -> String {
    match party {
        Party::Parents => Words::PartyParents.text(lang).into(),
        Party::School => Words::PartySchool.text(lang).into(),
        Party::Child => Words::PartyChild.text(lang).into(),
        Party::Unknown(s) => s.clone(),
    }
}

pub fn kind_picture(kind: &EntryKind) -> &'static str {
    match kind {
        EntryKind::Discovery => "🔍",
        EntryKind::Question => "❓",
        EntryKind::ProudOf => "🌟",
        EntryKind::FoundDifficult => "🧗",
        EntryKind::WantsToLearn => "🌱",
        EntryKind::PositiveNote => "💌",
        EntryKind::Other | EntryKind::Unknown(_) => "📝",
    }
}

pub fn kind_text(kind: &EntryKind, lang: Lang) -> String {
    match kind {
        EntryKind::Discovery => Text::KindDiscovery.get(lang).into(),
        EntryKind::Question => Text::KindQuestion.get(lang).into(),
        EntryKind::ProudOf => Text::KindProudOf.get(lang).into(),
        EntryKind::FoundDifficult => Text::KindFoundDifficult.get(lang).into(),
        EntryKind::WantsToLearn => Text::KindWantsToLearn.get(lang).into(),
        EntryKind::PositiveNote => Text::KindPositiveNote.get(lang).into(),
        EntryKind::Other => Text::KindOther.get(lang).into(),
        EntryKind::Unknown(_) => Text::KindNewer.get(lang).into(),
    }
}

/// Why a sync file was not read in, in plain words.
pub fn sync_file_error_text(error: &SyncFileError, lang: Lang) -> String {
    match error {
        SyncFileError::NotASyncFile => Text::SyncFileNotASyncFile.get(lang).into(),
        SyncFileError::NewerFormat(_) => Text::SyncFileNewer.get(lang).into(),
        SyncFileError::NotJoined => Text::SyncFileNotJoined.get(lang).into(),
        SyncFileError::Damaged(_) | SyncFileError::TooLarge => {
            Text::SyncFileDamaged.get(lang).into()
        }
        SyncFileError::Storage(e) => storage_error_text(e, lang),
        SyncFileError::NotReady(why) => format!("{} ({why})", Text::SomethingWentWrong.get(lang)),
    }
}

/// Why sharing through the relay does not work, in plain words.
pub fn sync_trouble_text(trouble: &SyncTrouble) -> Text {
    match trouble {
        SyncTrouble::RelayVersion => Text::SyncRelayVersion,
        SyncTrouble::Closed(_) => Text::SyncClosed,
        SyncTrouble::Refused(code) => match code {
            ErrorCode::QuotaExceeded => Text::SyncRelayFull,
            ErrorCode::CreationCodeRequired => Text::SyncCodeNeeded,
            ErrorCode::CreationCodeWrong => Text::SyncCodeWrong,
            ErrorCode::TooLarge => Text::SyncDossierTooLarge,
            ErrorCode::Unauthorized => Text::SyncWrongKey,
            ErrorCode::UnsupportedProtocol => Text::SyncRelayVersion,
            ErrorCode::Retired => Text::SyncRetired,
            _ => Text::SyncClosed,
        },
    }
}

/// The refusals a person can answer by entering the school's code.
pub fn asks_for_creation_code(trouble: &SyncTrouble) -> bool {
    matches!(
        trouble,
        SyncTrouble::Refused(ErrorCode::CreationCodeRequired | ErrorCode::CreationCodeWrong)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_device_says_so_when_a_sync_file_is_imported() {
        for lang in Lang::ALL {
            assert_eq!(
                sync_file_error_text(&SyncFileError::Storage(StorageError::QuotaExceeded), lang),
                Text::StorageFull.get(lang)
            );
        }
    }
}
