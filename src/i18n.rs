//! Dutch (plain, B1 level) and English texts.
//!
//! Every text the UI shows is a [`Text`] variant and [`Text::get`] matches on
//! both the key and the language, so a text without a translation does not
//! compile. That is the check an i18n crate would give us, without a build
//! step or runtime lookups in the wasm.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use driehoek_core::model::Date;

use crate::storage::prefs;

mod logbook;
mod measure;
pub mod messages;
mod news;
mod people;
mod together;
mod words;
pub use logbook::LogbookWords;
pub use measure::MeasureWords;
pub use news::NewsWords;
pub use people::PeopleWords;
pub use together::TogetherWords;
pub use words::Words;

/// A text with both languages: [`Text`] and the per-part enums.
pub trait Phrase: Copy + Send + Sync + 'static {
    fn text(self, lang: Lang) -> &'static str;
}

impl Phrase for Text {
    fn text(self, lang: Lang) -> &'static str {
        self.get(lang)
    }
}

/// A calendar day as people write it: "3 september 2025", "3 September 2025".
pub fn format_date(date: Date, lang: Lang) -> String {
    const NL: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let months = match lang {
        Lang::Nl => NL,
        Lang::En => EN,
    };
    let month = months[usize::from(date.month().clamp(1, 12)) - 1];
    format!("{} {month} {}", date.day(), date.year())
}

/// A language the UI speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// Dutch is the default: the product is made for Dutch schools.
    #[default]
    #[serde(rename = "nl")]
    Nl,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The BCP 47 tag, for the `lang` attribute of the page.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The language's own name, shown in the switch.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Nl => "Nederlands",
            Lang::En => "English",
        }
    }

    /// Reads a tag as stored in preferences; anything else is `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.tag() == tag)
    }

    /// The language chosen on this device, or the default when none was
    /// chosen or the stored tag is not one we know (a hand-edited or newer
    /// value).
    pub fn remembered() -> Lang {
        prefs::language_tag()
            .and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or_default()
    }

    /// Remembers this language on this device.
    pub fn remember(self) {
        prefs::set_language_tag(self.tag());
    }
}

/// Every text of the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    AppName,
    SkipToContent,
    Tagline,
    Online,
    Offline,
    SyncElsewhere,
    FilesTitle,
    SyncFileExplained,
    SaveSyncFile,
    ReadSyncFile,
    ArchiveTitle,
    ArchiveUnencrypted,
    SaveArchiveAutomerge,
    SaveArchiveJson,
    SyncFileMerged,
    SyncFileNotASyncFile,
    SyncFileNewer,
    SyncFileNotJoined,
    SyncFileDamaged,
    NewToDossier,
    JoinDossier,
    DossierArriving,
    SyncOffline,
    SyncConnecting,
    SyncSending,
    SyncUpToDate,
    SyncProblem,
    SyncRelayFull,
    SyncCodeNeeded,
    SyncCodeWrong,
    SyncDossierTooLarge,
    SyncWrongKey,
    SyncRetired,
    SyncRelayVersion,
    SyncClosed,
    CreationCodeLabel,
    CreationCodeHint,
    CreationCodeUse,
    SyncSettingsTitle,
    OfflineExplained,
    LanguageLabel,
    DossiersTitle,
    NoDossiersYet,
    HowToStartTitle,
    HowToStartTeacher,
    HowToStartParent,
    HowToStartInvite,
    UpdateReady,
    UpdateNow,
    Version,
    NotFoundTitle,
    NotFoundBody,
    BackToStart,
    NewDossier,
    MakeDossier,
    Cancel,
    ChildName,
    Group,
    YourName,
    YouAre,
    FillInNames,
    EntryCount,
    EntryCountOne,
    LastActivity,
    Loading,
    YouWriteAs,
    NotYou,
    WhoAreYou,
    Logbook,
    EmptyLogbook,
    NewEntry,
    WhatKind,
    WhatHappened,
    ChildWroteThis,
    DraftRestored,
    Save,
    EntryAdded,
    EditText,
    Done,
    Edit,
    Delete,
    ConfirmDelete,
    EntryGone,
    WrittenByMe,
    WrittenByChild,
    TwoVersions,
    TwoVersionsExplained,
    KindDiscovery,
    KindQuestion,
    KindProudOf,
    KindFoundDifficult,
    KindWantsToLearn,
    KindPositiveNote,
    KindOther,
    KindNewer,
    RoleParent,
    RoleChild,
    RoleTeacher,
    RoleCoordinator,
    StorageFull,
    StorageUnavailable,
    StorageBlocked,
    StorageFailed,
    WorkingInMemory,
    KeptInMemory,
    TryAgain,
    CheckWhatYouTyped,
    WriteSomething,
    ReadOnlyDossier,
    NotAMember,
    OnlyAuthorEdits,
    SomethingWentWrong,
    DossierNotHere,
    DossierUnreadable,
    DamagedPartSkipped,
    SomeChangesMissing,
    WaitingForChanges,
    DamagedKept,
    Settings,
    LanguageHint,
    StorageTitle,
    StoragePersistent,
    StorageBestEffort,
    StorageUnknown,
    StorageUsage,
    StorageAdvice,
}

impl Text {
    pub fn get(self, lang: Lang) -> &'static str {
        use Lang::{En, Nl};
        match (self, lang) {
            (Text::AppName, _) => "Driehoek",
            (Text::SkipToContent, Nl) => "Naar de inhoud",
            (Text::SkipToContent, En) => "Skip to content",
            (Text::Tagline, Nl) => "Ouders, kind en school samen",
            (Text::Tagline, En) => "Parents, child and school together",
            (Text::Online, Nl) => "Online",
            (Text::Online, En) => "Online",
            (Text::Offline, Nl) => "Offline",
            (Text::Offline, En) => "Offline",
            (Text::DossierArriving, Nl) => {
                "Het dossier wordt opgehaald van de andere apparaten. Houd de app even open."
            }
            (Text::DossierArriving, En) => {
                "The dossier is being fetched from the other devices. Keep the app open for a moment."
            }
            (Text::NewToDossier, Nl) => "Staat u er nog niet bij? Doe mee als nieuwe deelnemer",
            (Text::NewToDossier, En) => "Not listed? Join as someone new",
            (Text::JoinDossier, Nl) => "Meedoen",
            (Text::JoinDossier, En) => "Join",
            (Text::FilesTitle, Nl) => "Bestanden",
            (Text::FilesTitle, En) => "Files",
            (Text::SyncFileExplained, Nl) => {
                "Geen internet? Sla een sync-bestand op en lees het in op een ander apparaat van dit dossier. Het bestand is versleuteld: alleen apparaten die al meedoen kunnen het lezen."
            }
            (Text::SyncFileExplained, En) => {
                "No internet? Save a sync file and read it in on another device of this dossier. The file is encrypted: only devices that already take part can read it."
            }
            (Text::SaveSyncFile, Nl) => "Sync-bestand opslaan",
            (Text::SaveSyncFile, En) => "Save sync file",
            (Text::ReadSyncFile, Nl) => "Sync-bestand inlezen",
            (Text::ReadSyncFile, En) => "Read in a sync file",
            (Text::ArchiveTitle, Nl) => "Voor uw eigen archief",
            (Text::ArchiveTitle, En) => "For your own archive",
            (Text::ArchiveUnencrypted, Nl) => {
                "Let op: deze bestanden zijn niet versleuteld. Iedereen die ze heeft, kan alles lezen. Bewaar ze op een veilige plek."
            }
            (Text::ArchiveUnencrypted, En) => {
                "Note: these files are not encrypted. Anyone who has them can read everything. Keep them somewhere safe."
            }
            (Text::SaveArchiveAutomerge, Nl) => "Opslaan als .automerge (niet versleuteld)",
            (Text::SaveArchiveAutomerge, En) => "Save as .automerge (not encrypted)",
            (Text::SaveArchiveJson, Nl) => "Opslaan als JSON (niet versleuteld)",
            (Text::SaveArchiveJson, En) => "Save as JSON (not encrypted)",
            (Text::SyncFileMerged, Nl) => "Het sync-bestand is ingelezen. Alles staat erin.",
            (Text::SyncFileMerged, En) => "The sync file has been read in. Everything is here now.",
            (Text::SyncFileNotASyncFile, Nl) => "Dit is geen sync-bestand van Driehoek.",
            (Text::SyncFileNotASyncFile, En) => "This is not a Driehoek sync file.",
            (Text::SyncFileNewer, Nl) => {
                "Dit sync-bestand komt van een nieuwere versie van de app. Werk de app eerst bij."
            }
            (Text::SyncFileNewer, En) => {
                "This sync file comes from a newer version of the app. Update the app first."
            }
            (Text::SyncFileNotJoined, Nl) => {
                "Dit sync-bestand hoort bij een dossier waar dit apparaat niet aan meedoet. Er is niets veranderd."
            }
            (Text::SyncFileNotJoined, En) => {
                "This sync file belongs to a dossier this device does not take part in. Nothing was changed."
            }
            (Text::SyncFileDamaged, Nl) => {
                "Dit sync-bestand is beschadigd en kan niet gelezen worden. Er is niets veranderd."
            }
            (Text::SyncFileDamaged, En) => {
                "This sync file is damaged and cannot be read. Nothing was changed."
            }
            (Text::SyncElsewhere, Nl) => "Bijwerken in ander venster",
            (Text::SyncElsewhere, En) => "Syncing in another window",
            (Text::SyncOffline, Nl) => "Niet verbonden",
            (Text::SyncOffline, En) => "Not connected",
            (Text::SyncConnecting, Nl) => "Verbinden…",
            (Text::SyncConnecting, En) => "Connecting…",
            (Text::SyncSending, Nl) => "Versturen…",
            (Text::SyncSending, En) => "Sending…",
            (Text::SyncUpToDate, Nl) => "Bijgewerkt",
            (Text::SyncUpToDate, En) => "Up to date",
            (Text::SyncProblem, Nl) => "Bijwerken lukt niet",
            (Text::SyncProblem, En) => "Sync not working",
            (Text::SyncRelayFull, Nl) => {
                "De server van school is vol. Wat je schrijft blijft op dit apparaat. Het wordt gedeeld als er weer plek is. Vertel het aan de school."
            }
            (Text::SyncRelayFull, En) => {
                "The school's server is full. What you write stays on this device and is shared when there is room again. Please tell the school."
            }
            (Text::SyncCodeNeeded, Nl) => {
                "De server van school vraagt een code voor een nieuw dossier. Vul de code in die je van school kreeg."
            }
            (Text::SyncCodeNeeded, En) => {
                "The school's server asks for a code before it takes a new dossier. Enter the code the school gave you."
            }
            (Text::SyncCodeWrong, Nl) => {
                "Deze code klopt niet. Kijk de code na, of vraag hem opnieuw aan de school."
            }
            (Text::SyncCodeWrong, En) => {
                "This code is not right. Check it, or ask the school for it again."
            }
            (Text::SyncDossierTooLarge, Nl) => {
                "Dit dossier is groter dan de server van school toestaat. Alles blijft op dit apparaat. Vraag de school om hulp."
            }
            (Text::SyncDossierTooLarge, En) => {
                "This dossier is larger than the school's server allows. Everything stays on this device. Ask the school for help."
            }
            (Text::SyncWrongKey, Nl) => {
                "De server kent dit dossier met een andere sleutel. Er wordt niets gedeeld. Vraag om een nieuwe uitnodiging."
            }
            (Text::SyncWrongKey, En) => {
                "The server knows this dossier with another key. Nothing is shared. Ask for a new invitation."
            }
            (Text::SyncRetired, Nl) => {
                "Dit dossier gaat verder onder een nieuwe sleutel, zonder dit apparaat. Vraag een van de anderen om een nieuwe uitnodigingslink."
            }
            (Text::SyncRetired, En) => {
                "This dossier goes on under a new key, without this device. Ask one of the others for a new invite link."
            }
            (Text::SyncRelayVersion, Nl) => {
                "Deze versie van de app past niet bij de server. Laad de pagina opnieuw om de app bij te werken."
            }
            (Text::SyncRelayVersion, En) => {
                "This version of the app does not fit the server. Reload the page to update the app."
            }
            (Text::SyncClosed, Nl) => {
                "De server stopte de verbinding. De app probeert het zo opnieuw."
            }
            (Text::SyncClosed, En) => "The server closed the connection. The app tries again soon.",
            (Text::CreationCodeLabel, Nl) => "Code van school",
            (Text::CreationCodeLabel, En) => "Code from the school",
            (Text::CreationCodeHint, Nl) => {
                "Alleen nodig als de school je een code gaf om nieuwe dossiers te maken."
            }
            (Text::CreationCodeHint, En) => {
                "Only needed when the school gave you a code for making new dossiers."
            }
            (Text::CreationCodeUse, Nl) => "Code gebruiken",
            (Text::CreationCodeUse, En) => "Use code",
            (Text::SyncSettingsTitle, Nl) => "Delen via de server",
            (Text::SyncSettingsTitle, En) => "Sharing through the server",
            (Text::OfflineExplained, Nl) => {
                "Je bent offline. Je kunt gewoon verder werken. Alles wordt gedeeld als je weer online bent."
            }
            (Text::OfflineExplained, En) => {
                "You are offline. You can keep working. Everything is shared when you are back online."
            }
            (Text::LanguageLabel, Nl) => "Taal",
            (Text::LanguageLabel, En) => "Language",
            (Text::DossiersTitle, Nl) => "Dossiers",
            (Text::DossiersTitle, En) => "Dossiers",
            (Text::NoDossiersYet, Nl) => "Er staan nog geen dossiers op dit apparaat.",
            (Text::NoDossiersYet, En) => "There are no dossiers on this device yet.",
            (Text::HowToStartTitle, Nl) => "Zo begin je",
            (Text::HowToStartTitle, En) => "How to start",
            (Text::HowToStartTeacher, Nl) => {
                "Ben je leerkracht? Maak voor elk kind een dossier en nodig de ouders uit."
            }
            (Text::HowToStartTeacher, En) => {
                "Are you a teacher? Make a dossier for each child and invite the parents."
            }
            (Text::HowToStartParent, Nl) => {
                "Ben je ouder? Maak een dossier voor je kind en nodig de leerkracht uit."
            }
            (Text::HowToStartParent, En) => {
                "Are you a parent? Make a dossier for your child and invite the teacher."
            }
            (Text::HowToStartInvite, Nl) => {
                "Heb je een uitnodiging gekregen? Open de link of scan de QR-code met je telefoon."
            }
            (Text::HowToStartInvite, En) => {
                "Did you get an invitation? Open the link or scan the QR code with your phone."
            }
            (Text::UpdateReady, Nl) => "Er is een nieuwe versie van Driehoek.",
            (Text::UpdateReady, En) => "A new version of Driehoek is ready.",
            (Text::UpdateNow, Nl) => "Nu bijwerken",
            (Text::UpdateNow, En) => "Update now",
            (Text::Version, Nl) => "Versie",
            (Text::Version, En) => "Version",
            (Text::NotFoundTitle, Nl) => "Deze pagina bestaat niet",
            (Text::NotFoundTitle, En) => "This page does not exist",
            (Text::NotFoundBody, Nl) => {
                "Misschien is de link niet goed overgenomen. Ga terug naar het begin."
            }
            (Text::NotFoundBody, En) => {
                "Maybe the link was not copied completely. Go back to the start."
            }
            (Text::BackToStart, Nl) => "Naar het begin",
            (Text::BackToStart, En) => "Back to the start",
            (Text::NewDossier, Nl) => "Nieuw dossier",
            (Text::NewDossier, En) => "New dossier",
            (Text::MakeDossier, Nl) => "Dossier maken",
            (Text::MakeDossier, En) => "Make the dossier",
            (Text::Cancel, Nl) => "Annuleren",
            (Text::Cancel, En) => "Cancel",
            (Text::ChildName, Nl) => "Naam van het kind",
            (Text::ChildName, En) => "The child's name",
            (Text::Group, Nl) => "Groep of klas",
            (Text::Group, En) => "Group or class",
            (Text::YourName, Nl) => "Jouw naam",
            (Text::YourName, En) => "Your name",
            (Text::YouAre, Nl) => "Jij bent",
            (Text::YouAre, En) => "You are",
            (Text::FillInNames, Nl) => {
                "Vul de naam van het kind, de groep of klas en je eigen naam in."
            }
            (Text::FillInNames, En) => {
                "Fill in the child's name, the group or class and your own name."
            }
            (Text::EntryCount, Nl) => "{n} logboekberichten",
            (Text::EntryCount, En) => "{n} logbook entries",
            (Text::EntryCountOne, Nl) => "1 logboekbericht",
            (Text::EntryCountOne, En) => "1 logbook entry",
            (Text::LastActivity, Nl) => "laatst bijgewerkt {date}",
            (Text::LastActivity, En) => "last changed {date}",
            (Text::Loading, Nl) => "Even laden…",
            (Text::Loading, En) => "Loading…",
            (Text::YouWriteAs, Nl) => "Je schrijft als",
            (Text::YouWriteAs, En) => "You are writing as",
            (Text::NotYou, Nl) => "Ben jij dit niet?",
            (Text::NotYou, En) => "Not you?",
            (Text::WhoAreYou, Nl) => "Wie ben jij?",
            (Text::WhoAreYou, En) => "Who are you?",
            (Text::Logbook, Nl) => "Logboek",
            (Text::Logbook, En) => "Logbook",
            (Text::EmptyLogbook, Nl) => {
                "Het logboek is nog leeg. Schrijf hierboven het eerste bericht."
            }
            (Text::EmptyLogbook, En) => "The logbook is still empty. Write the first entry above.",
            (Text::NewEntry, Nl) => "Nieuw bericht in het logboek",
            (Text::NewEntry, En) => "New logbook entry",
            (Text::WhatKind, Nl) => "Wat voor bericht is het?",
            (Text::WhatKind, En) => "What kind of entry is it?",
            (Text::WhatHappened, Nl) => "Wat wil je vertellen?",
            (Text::WhatHappened, En) => "What do you want to tell?",
            (Text::ChildWroteThis, Nl) => "Het kind schreef dit zelf",
            (Text::ChildWroteThis, En) => "The child wrote this",
            (Text::DraftRestored, Nl) => "We hebben teruggezet wat je aan het typen was.",
            (Text::DraftRestored, En) => "We put back what you were typing.",
            (Text::Save, Nl) => "Opslaan",
            (Text::Save, En) => "Save",
            (Text::EntryAdded, Nl) => "Het bericht staat in het logboek.",
            (Text::EntryAdded, En) => "The entry is in the logbook.",
            (Text::EditText, Nl) => "Tekst aanpassen",
            (Text::EditText, En) => "Change the text",
            (Text::Done, Nl) => "Klaar",
            (Text::Done, En) => "Done",
            (Text::Edit, Nl) => "Aanpassen",
            (Text::Edit, En) => "Change",
            (Text::Delete, Nl) => "Verwijderen",
            (Text::Delete, En) => "Delete",
            (Text::ConfirmDelete, Nl) => {
                "Wil je dit bericht echt verwijderen? Het verdwijnt dan voor iedereen."
            }
            (Text::ConfirmDelete, En) => {
                "Do you really want to delete this entry? It then disappears for everyone."
            }
            (Text::EntryGone, Nl) => "Dit bericht bestaat niet (meer).",
            (Text::EntryGone, En) => "This entry does not exist (any more).",
            (Text::WrittenByMe, Nl) => "door mij geschreven",
            (Text::WrittenByMe, En) => "written by me",
            (Text::WrittenByChild, Nl) => "door het kind geschreven",
            (Text::WrittenByChild, En) => "written by the child",
            (Text::TwoVersions, Nl) => "Twee versies",
            (Text::TwoVersions, En) => "Two versions",
            (Text::TwoVersionsExplained, Nl) => {
                "Dit bericht is op twee apparaten tegelijk veranderd. Je ziet één versie; de andere is bewaard."
            }
            (Text::TwoVersionsExplained, En) => {
                "This entry was changed on two devices at the same time. You see one version; the other is kept."
            }
            (Text::KindDiscovery, Nl) => "Ontdekking",
            (Text::KindDiscovery, En) => "Discovery",
            (Text::KindQuestion, Nl) => "Vraag",
            (Text::KindQuestion, En) => "Question",
            (Text::KindProudOf, Nl) => "Trots op",
            (Text::KindProudOf, En) => "Proud of",
            (Text::KindFoundDifficult, Nl) => "Vond ik moeilijk",
            (Text::KindFoundDifficult, En) => "Found it hard",
            (Text::KindWantsToLearn, Nl) => "Wil ik leren",
            (Text::KindWantsToLearn, En) => "Want to learn",
            (Text::KindPositiveNote, Nl) => "Goed nieuws van school",
            (Text::KindPositiveNote, En) => "Good news from school",
            (Text::KindOther, Nl) => "Iets anders",
            (Text::KindOther, En) => "Something else",
            (Text::KindNewer, Nl) => "Soort uit een nieuwere versie",
            (Text::KindNewer, En) => "Kind from a newer version",
            (Text::RoleParent, Nl) => "ouder",
            (Text::RoleParent, En) => "parent",
            (Text::RoleChild, Nl) => "kind",
            (Text::RoleChild, En) => "child",
            (Text::RoleTeacher, Nl) => "leerkracht",
            (Text::RoleTeacher, En) => "teacher",
            (Text::RoleCoordinator, Nl) => "intern begeleider",
            (Text::RoleCoordinator, En) => "special-needs coordinator",
            (Text::StorageFull, Nl) => "Dit apparaat heeft geen ruimte meer om op te slaan.",
            (Text::StorageFull, En) => "This device has no room left to save.",
            (Text::StorageUnavailable, Nl) => {
                "Deze browser bewaart hier niets (misschien een privévenster)."
            }
            (Text::StorageUnavailable, En) => {
                "This browser keeps nothing here (perhaps a private window)."
            }
            (Text::StorageBlocked, Nl) => {
                "Een ander tabblad met een oude versie van Driehoek houdt de opslag vast. Sluit dat tabblad."
            }
            (Text::StorageBlocked, En) => {
                "Another tab with an old version of Driehoek holds the storage. Close that tab."
            }
            (Text::StorageFailed, Nl) => "Opslaan lukte niet.",
            (Text::StorageFailed, En) => "Saving did not work.",
            (Text::WorkingInMemory, Nl) => {
                "Je kunt verder werken, maar wat je schrijft is weg als je deze pagina sluit."
            }
            (Text::WorkingInMemory, En) => {
                "You can keep working, but what you write is gone when you close this page."
            }
            (Text::KeptInMemory, Nl) => {
                "Wat je schreef staat nog in deze pagina. Sluit haar niet; maak ruimte vrij en probeer opnieuw. Wat al was opgeslagen, blijft goed."
            }
            (Text::KeptInMemory, En) => {
                "What you wrote is still in this page. Do not close it; free some space and try again. What was saved before stays safe."
            }
            (Text::TryAgain, Nl) => "Opnieuw proberen",
            (Text::TryAgain, En) => "Try again",
            (Text::CheckWhatYouTyped, Nl) => "Kijk nog eens naar wat je typte.",
            (Text::CheckWhatYouTyped, En) => "Please check what you typed.",
            (Text::WriteSomething, Nl) => "Schrijf eerst iets.",
            (Text::WriteSomething, En) => "Write something first.",
            (Text::ReadOnlyDossier, Nl) => {
                "Dit dossier is gemaakt met een nieuwere versie van Driehoek. Je kunt het lezen; werk de app bij om te schrijven."
            }
            (Text::ReadOnlyDossier, En) => {
                "This dossier was made with a newer version of Driehoek. You can read it; update the app to write."
            }
            (Text::NotAMember, Nl) => "Je hoort (nog) niet bij dit dossier.",
            (Text::NotAMember, En) => "You are not (yet) a member of this dossier.",
            (Text::OnlyAuthorEdits, Nl) => "Alleen wie het schreef, kan het aanpassen.",
            (Text::OnlyAuthorEdits, En) => "Only the person who wrote it can change it.",
            (Text::SomethingWentWrong, Nl) => "Er ging iets mis.",
            (Text::SomethingWentWrong, En) => "Something went wrong.",
            (Text::DossierNotHere, Nl) => "Dit dossier staat niet op dit apparaat.",
            (Text::DossierNotHere, En) => "This dossier is not on this device.",
            (Text::DossierUnreadable, Nl) => {
                "Dit dossier is beschadigd en kan niet worden geopend. Er is niets verwijderd."
            }
            (Text::DossierUnreadable, En) => {
                "This dossier is damaged and cannot be opened. Nothing was deleted."
            }
            (Text::DamagedPartSkipped, Nl) => {
                "Een deel van de opslag was beschadigd en is overgeslagen. De rest staat hier. Het beschadigde deel is bewaard."
            }
            (Text::DamagedPartSkipped, En) => {
                "Part of the storage was damaged and was skipped. The rest is here. The damaged part is kept."
            }
            (Text::SomeChangesMissing, Nl) => {
                "Een paar opgeslagen wijzigingen konden niet worden gelezen. Alles wat wel gelezen kon worden, staat hier."
            }
            (Text::SomeChangesMissing, En) => {
                "A few saved changes could not be read. Everything that could be read is here."
            }
            (Text::WaitingForChanges, Nl) => {
                "Een paar wijzigingen wachten op eerdere wijzigingen die hier nog ontbreken."
            }
            (Text::WaitingForChanges, En) => {
                "A few changes wait for earlier changes that are still missing here."
            }
            (Text::DamagedKept, Nl) => "{n} beschadigde delen zijn bewaard om te onderzoeken.",
            (Text::DamagedKept, En) => "{n} damaged parts are kept for inspection.",
            (Text::Settings, Nl) => "Instellingen",
            (Text::Settings, En) => "Settings",
            (Text::LanguageHint, Nl) => "kies bovenaan de taal.",
            (Text::LanguageHint, En) => "choose the language at the top.",
            (Text::StorageTitle, Nl) => "Opslag op dit apparaat",
            (Text::StorageTitle, En) => "Storage on this device",
            (Text::StoragePersistent, Nl) => {
                "De browser heeft beloofd je dossiers te bewaren, ook als het apparaat vol raakt."
            }
            (Text::StoragePersistent, En) => {
                "The browser has promised to keep your dossiers, even when the device fills up."
            }
            (Text::StorageBestEffort, Nl) => {
                "De browser heeft niet beloofd je dossiers te bewaren. Als het apparaat vol raakt, kan de browser ze wissen. Zet Driehoek op je beginscherm, dan is de kans groter dat ze blijven. Wat al gedeeld is, staat ook op de andere apparaten."
            }
            (Text::StorageBestEffort, En) => {
                "The browser has not promised to keep your dossiers. When the device fills up, the browser may delete them. Add Driehoek to your home screen; then they are more likely to stay. What was shared is also on the other devices."
            }
            (Text::StorageUnknown, Nl) => "Deze browser zegt niet of hij je dossiers bewaart.",
            (Text::StorageUnknown, En) => {
                "This browser does not say whether it keeps your dossiers."
            }
            (Text::StorageUsage, Nl) => "In gebruik: {used} van {quota}.",
            (Text::StorageUsage, En) => "In use: {used} of {quota}.",
            (Text::StorageAdvice, Nl) => {
                "Maak af en toe een export, zeker voor je van apparaat wisselt."
            }
            (Text::StorageAdvice, En) => {
                "Make an export now and then, certainly before you change devices."
            }
        }
    }
}

/// The language the UI speaks now, shared through context.
#[derive(Clone, Copy)]
pub struct Locale {
    lang: RwSignal<Lang>,
}

impl Locale {
    pub fn new(lang: Lang) -> Self {
        Locale {
            lang: RwSignal::new(lang),
        }
    }

    pub fn lang(&self) -> Signal<Lang> {
        self.lang.into()
    }

    pub fn set(&self, lang: Lang) {
        self.lang.set(lang);
    }

    /// A reactive text: the closure re-reads the language each time it runs,
    /// so a view using it follows the language switch.
    pub fn t<P: Phrase>(self, text: P) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        let lang = self.lang;
        move || text.text(lang.get())
    }

    /// A text now, in the current language, without tracking it.
    pub fn now<P: Phrase>(self, text: P) -> &'static str {
        text.text(self.lang.get_untracked())
    }
}

/// The locale the app provides; a component rendered on its own (in a test)
/// falls back to the default language.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_else(|| Locale::new(Lang::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_round_trip_and_unknown_tags_are_refused() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("de"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn dates_read_as_people_write_them() {
        let date = Date::new(2025, 9, 3).expect("valid date");
        assert_eq!(format_date(date, Lang::Nl), "3 september 2025");
        assert_eq!(format_date(date, Lang::En), "3 September 2025");
    }

    #[test]
    fn dutch_is_the_default_language() {
        assert_eq!(Lang::default(), Lang::Nl);
    }

    #[test]
    fn languages_serialise_as_their_tags() {
        for lang in Lang::ALL {
            let json = serde_json::to_string(&lang).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", lang.tag()));
        }
    }
}
