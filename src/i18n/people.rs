//! The texts about who takes part: the members page, invites, joining,
//! moving to a new device and leaving. Like [`super::Text`], every variant
//! must have both languages or the build fails.

use super::{Lang, Phrase};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeopleWords {
    NavPeople,
    Title,
    Intro,
    InviteTitle,
    InviteExplained,
    InviteParent,
    InviteChild,
    InviteTeacher,
    InviteMadeParent,
    InviteMadeChild,
    InviteMadeTeacher,
    InviteScan,
    InviteLink,
    CopyLink,
    LinkCopied,
    CopyFailed,
    Share,
    ShareText,
    PrintSheet,
    InviteNotReady,
    Close,
    SheetTitle,
    SheetStep1,
    SheetStep2,
    SheetStep3,
    SheetStep4,
    SheetKeepSafe,
    JoinedOn,
    You,
    Devices,
    NoDevices,
    ThisDevice,
    ThisDeviceCode,
    DeviceAdded,
    DeviceLastSync,
    DeviceNeverSynced,
    Unconfirmed,
    ConfirmedBy,
    FoundingDevice,
    Confirm,
    ConfirmExplained,
    UnconfirmedNotice,
    HaveALook,
    PasteTitle,
    PasteHint,
    PasteLabel,
    PasteGo,
    InviteNotALink,
    InviteIncomplete,
    InviteDamaged,
    InvitedAs,
    AlreadyMember,
    InviteLeadsNowhere,
    MoveTitle,
    MoveExplained,
    Passphrase,
    PassphraseAgain,
    PassphrasesDiffer,
    PassphraseTooShort,
    MakeMoveFile,
    MoveFileMade,
    MoveNothing,
    OpenMoveTitle,
    OpenMoveExplained,
    OpenMoveFile,
    MoveImported,
    WrongPassphrase,
    MoveFileDamaged,
    NotAMoveFile,
    MoveFileNewer,
    MoveFileTooCostly,
    Working,
    LeaveTitle,
    LeaveExplained,
    LeaveUnsent,
    LeaveButton,
    LeaveConfirm,
    LeaveDone,
    MoveFirst,
    RemoveButton,
    RemoveConfirm,
    RemoveNeedsConnection,
    Removed,
    RemovedWithoutKey,
    FormerTitle,
    RemovedOnBy,
    RemovedOn,
    SchoolYearTitle,
    SchoolYearExplained,
    SchoolYearPick,
    SchoolYearGo,
    SchoolYearNoTeacher,
    SchoolYearInvite,
    SchoolYearNext,
    SchoolYearTeacherHint,
    LeftOutBy,
    LeftOutLink,
}

impl Phrase for PeopleWords {
    fn text(self, lang: Lang) -> &'static str {
        use Lang::{En, Nl};
        use PeopleWords as W;
        match (self, lang) {
            (W::NavPeople, Nl) => "Wie doen mee",
            (W::NavPeople, En) => "People",
            (W::Title, Nl) => "Wie doen mee",
            (W::Title, En) => "Who takes part",
            (W::Intro, Nl) => {
                "Iedereen hier kan het dossier lezen en erin schrijven. Elk apparaat heeft een eigen code."
            }
            (W::Intro, En) => {
                "Everyone here can read and write in the dossier. Every device has its own code."
            }
            (W::InviteTitle, Nl) => "Iemand uitnodigen",
            (W::InviteTitle, En) => "Invite someone",
            (W::InviteExplained, Nl) => {
                "Je maakt een link. Wie de link opent, kan alles in dit dossier lezen. Deel hem dus alleen met wie erbij hoort, in een persoonlijk bericht."
            }
            (W::InviteExplained, En) => {
                "You make a link. Whoever opens it can read everything in this dossier. So share it only with the person it is for, in a personal message."
            }
            (W::InviteParent, Nl) => "Een ouder uitnodigen",
            (W::InviteParent, En) => "Invite a parent",
            (W::InviteChild, Nl) => "Het kind uitnodigen",
            (W::InviteChild, En) => "Invite the child",
            (W::InviteTeacher, Nl) => "De leerkracht uitnodigen",
            (W::InviteTeacher, En) => "Invite the teacher",
            (W::InviteMadeParent, Nl) => "Uitnodiging voor een ouder",
            (W::InviteMadeParent, En) => "Invite for a parent",
            (W::InviteMadeChild, Nl) => "Uitnodiging voor het kind",
            (W::InviteMadeChild, En) => "Invite for the child",
            (W::InviteMadeTeacher, Nl) => "Uitnodiging voor de leerkracht",
            (W::InviteMadeTeacher, En) => "Invite for the teacher",
            (W::InviteScan, Nl) => "Scan de code met de camera van de telefoon. Of stuur de link.",
            (W::InviteScan, En) => "Scan the code with the phone's camera. Or send the link.",
            (W::InviteLink, Nl) => "Uitnodigingslink",
            (W::InviteLink, En) => "Invite link",
            (W::CopyLink, Nl) => "Link kopiëren",
            (W::CopyLink, En) => "Copy link",
            (W::LinkCopied, Nl) => "De link is gekopieerd.",
            (W::LinkCopied, En) => "The link is copied.",
            (W::CopyFailed, Nl) => {
                "Kopiëren lukt hier niet. Selecteer de link en kopieer hem zelf."
            }
            (W::CopyFailed, En) => {
                "Copying does not work here. Select the link and copy it yourself."
            }
            (W::Share, Nl) => "Delen",
            (W::Share, En) => "Share",
            (W::ShareText, Nl) => "Doe mee met ons dossier in Driehoek:",
            (W::ShareText, En) => "Join our dossier in Driehoek:",
            (W::PrintSheet, Nl) => "Blad printen voor het startgesprek",
            (W::PrintSheet, En) => "Print a sheet for the start conversation",
            (W::InviteNotReady, Nl) => {
                "De uitnodiging is nog niet klaar. Probeer het zo nog een keer."
            }
            (W::InviteNotReady, En) => "The invite is not ready yet. Try again in a moment.",
            (W::Close, Nl) => "Sluiten",
            (W::Close, En) => "Close",
            (W::SheetTitle, Nl) => "Doe mee met het dossier van {child}",
            (W::SheetTitle, En) => "Join the dossier of {child}",
            (W::SheetStep1, Nl) => "Open de camera van je telefoon en richt hem op de code.",
            (W::SheetStep1, En) => "Open your phone's camera and point it at the code.",
            (W::SheetStep2, Nl) => "Tik op de link die verschijnt. Driehoek opent in de browser.",
            (W::SheetStep2, En) => "Tap the link that appears. Driehoek opens in the browser.",
            (W::SheetStep3, Nl) => "Vul je naam in en kies wie je bent.",
            (W::SheetStep3, En) => "Fill in your name and choose who you are.",
            (W::SheetStep4, Nl) => {
                "Zet Driehoek op je beginscherm: kies in het menu van de browser 'Zet op beginscherm'."
            }
            (W::SheetStep4, En) => {
                "Put Driehoek on your home screen: in the browser's menu, choose 'Add to Home screen'."
            }
            (W::SheetKeepSafe, Nl) => {
                "Bewaar dit blad goed. Met de code kan iemand het dossier lezen."
            }
            (W::SheetKeepSafe, En) => {
                "Keep this sheet safe. With the code, someone can read the dossier."
            }
            (W::JoinedOn, Nl) => "Doet mee sinds {date}",
            (W::JoinedOn, En) => "Taking part since {date}",
            (W::You, Nl) => "jij",
            (W::You, En) => "you",
            (W::Devices, Nl) => "Apparaten",
            (W::Devices, En) => "Devices",
            (W::NoDevices, Nl) => "Nog geen apparaat.",
            (W::NoDevices, En) => "No device yet.",
            (W::ThisDevice, Nl) => "dit apparaat",
            (W::ThisDevice, En) => "this device",
            (W::ThisDeviceCode, Nl) => "De code van dit apparaat:",
            (W::ThisDeviceCode, En) => "This device's code:",
            (W::DeviceAdded, Nl) => "Erbij sinds {date}",
            (W::DeviceAdded, En) => "Added on {date}",
            (W::DeviceLastSync, Nl) => "Laatst bijgewerkt op {date}",
            (W::DeviceLastSync, En) => "Last synced on {date}",
            (W::DeviceNeverSynced, Nl) => "Nog niet bijgewerkt",
            (W::DeviceNeverSynced, En) => "Not synced yet",
            (W::Unconfirmed, Nl) => "Nog niet bevestigd",
            (W::Unconfirmed, En) => "Not confirmed yet",
            (W::ConfirmedBy, Nl) => "Bevestigd door {name}",
            (W::ConfirmedBy, En) => "Confirmed by {name}",
            (W::FoundingDevice, Nl) => "Hier is het dossier gemaakt",
            (W::FoundingDevice, En) => "The dossier was made here",
            (W::Confirm, Nl) => "Bevestigen",
            (W::Confirm, En) => "Confirm",
            (W::ConfirmExplained, Nl) => {
                "Een nieuw apparaat? Vraag de eigenaar welke code er op dat apparaat staat, bij 'Wie doen mee'. Is het dezelfde code? Dan bevestig je het."
            }
            (W::ConfirmExplained, En) => {
                "A new device? Ask its owner which code that device shows under 'People'. Is it the same code? Then confirm it."
            }
            (W::UnconfirmedNotice, Nl) => "Er is een nieuw apparaat dat nog niet bevestigd is.",
            (W::UnconfirmedNotice, En) => "A new device is not confirmed yet.",
            (W::HaveALook, Nl) => "Bekijken",
            (W::HaveALook, En) => "Have a look",
            (W::PasteTitle, Nl) => "Heb je een uitnodiging gekregen?",
            (W::PasteTitle, En) => "Did you get an invite?",
            (W::PasteHint, Nl) => {
                "Gebruik je Driehoek vanaf je beginscherm? Plak dan hier de link uit het bericht."
            }
            (W::PasteHint, En) => {
                "Using Driehoek from your home screen? Paste the link from the message here."
            }
            (W::PasteLabel, Nl) => "Uitnodigingslink",
            (W::PasteLabel, En) => "Invite link",
            (W::PasteGo, Nl) => "Meedoen",
            (W::PasteGo, En) => "Join",
            (W::InviteNotALink, Nl) => {
                "Dit is geen uitnodiging voor Driehoek. Kopieer de hele link uit het bericht."
            }
            (W::InviteNotALink, En) => {
                "This is not a Driehoek invite. Copy the whole link from the message."
            }
            (W::InviteIncomplete, Nl) => {
                "De link is niet compleet: het laatste stuk ontbreekt. Kopieer hem nog een keer helemaal, of vraag om een nieuwe link."
            }
            (W::InviteIncomplete, En) => {
                "The link is incomplete: its last part is missing. Copy it again in full, or ask for a new link."
            }
            (W::InviteDamaged, Nl) => {
                "De link is beschadigd: er zijn tekens veranderd. Vraag om een nieuwe link."
            }
            (W::InviteDamaged, En) => {
                "The link is damaged: some characters changed. Ask for a new link."
            }
            (W::InvitedAs, Nl) => "Je bent uitgenodigd als {role}.",
            (W::InvitedAs, En) => "You were invited as {role}.",
            (W::InviteLeadsNowhere, Nl) => {
                "De server heeft niets van dit dossier. Misschien is de link oud, of van een andere school. Vraag om een nieuwe link."
            }
            (W::InviteLeadsNowhere, En) => {
                "The server has nothing of this dossier. Maybe the link is old, or from another school. Ask for a new link."
            }
            (W::AlreadyMember, Nl) => "Doe je al mee? Kies dan jezelf:",
            (W::AlreadyMember, En) => "Already taking part? Then choose yourself:",
            (W::MoveTitle, Nl) => "Naar een nieuw apparaat",
            (W::MoveTitle, En) => "Move to a new device",
            (W::MoveExplained, Nl) => {
                "Maak een verhuisbestand met alle dossiers op dit apparaat. Je beschermt het met een wachtwoord. Open het bestand op het nieuwe apparaat, hieronder bij 'Verhuisbestand openen', met hetzelfde wachtwoord."
            }
            (W::MoveExplained, En) => {
                "Make a moving file with every dossier on this device. You protect it with a passphrase. Open the file on the new device, below at 'Open a moving file', with the same passphrase."
            }
            (W::Passphrase, Nl) => "Wachtwoord (minstens 8 tekens)",
            (W::Passphrase, En) => "Passphrase (at least 8 characters)",
            (W::PassphraseAgain, Nl) => "Hetzelfde wachtwoord nog een keer",
            (W::PassphraseAgain, En) => "The same passphrase again",
            (W::PassphrasesDiffer, Nl) => "De twee wachtwoorden zijn niet hetzelfde.",
            (W::PassphrasesDiffer, En) => "The two passphrases are not the same.",
            (W::PassphraseTooShort, Nl) => "Kies een wachtwoord van minstens 8 tekens.",
            (W::PassphraseTooShort, En) => "Choose a passphrase of at least 8 characters.",
            (W::MakeMoveFile, Nl) => "Verhuisbestand maken",
            (W::MakeMoveFile, En) => "Make moving file",
            (W::MoveFileMade, Nl) => {
                "Het verhuisbestand staat bij je downloads ({n} dossiers). Gooi het weg als de verhuizing klaar is: met bestand en wachtwoord kan iemand je dossiers lezen."
            }
            (W::MoveFileMade, En) => {
                "The moving file is in your downloads ({n} dossiers). Delete it once you have moved: with the file and the passphrase, someone can read your dossiers."
            }
            (W::MoveNothing, Nl) => "Er staan nog geen dossiers op dit apparaat.",
            (W::MoveNothing, En) => "There are no dossiers on this device yet.",
            (W::OpenMoveTitle, Nl) => "Verhuisbestand openen",
            (W::OpenMoveTitle, En) => "Open a moving file",
            (W::OpenMoveExplained, Nl) => {
                "Vul het wachtwoord in en kies het bestand. De dossiers komen dan op dit apparaat en worden opgehaald."
            }
            (W::OpenMoveExplained, En) => {
                "Fill in the passphrase and choose the file. The dossiers then come to this device and are fetched."
            }
            (W::OpenMoveFile, Nl) => "Bestand kiezen en openen",
            (W::OpenMoveFile, En) => "Choose and open file",
            (W::MoveImported, Nl) => "{n} dossiers staan nu op dit apparaat.",
            (W::MoveImported, En) => "{n} dossiers are now on this device.",
            (W::WrongPassphrase, Nl) => {
                "Het wachtwoord klopt niet bij dit bestand. Probeer het nog een keer."
            }
            (W::WrongPassphrase, En) => "The passphrase does not fit this file. Please try again.",
            (W::MoveFileDamaged, Nl) => {
                "Dit bestand is beschadigd. Maak een nieuw verhuisbestand op het oude apparaat."
            }
            (W::MoveFileDamaged, En) => {
                "This file is damaged. Make a new moving file on the old device."
            }
            (W::NotAMoveFile, Nl) => "Dit is geen verhuisbestand van Driehoek.",
            (W::NotAMoveFile, En) => "This is not a Driehoek moving file.",
            (W::MoveFileNewer, Nl) => {
                "Dit bestand komt van een nieuwere versie van Driehoek. Werk de app eerst bij."
            }
            (W::MoveFileNewer, En) => {
                "This file comes from a newer version of Driehoek. Update the app first."
            }
            (W::MoveFileTooCostly, Nl) => {
                "Dit bestand vraagt meer rekenwerk dan dit apparaat aankan. Maak een nieuw verhuisbestand met deze versie van Driehoek."
            }
            (W::MoveFileTooCostly, En) => {
                "This file asks for more work than this device can do. Make a new moving file with this version of Driehoek."
            }
            (W::Working, Nl) => "Even geduld…",
            (W::Working, En) => "One moment…",
            (W::LeaveTitle, Nl) => "Dit dossier van dit apparaat halen",
            (W::LeaveTitle, En) => "Remove this dossier from this device",
            (W::LeaveExplained, Nl) => {
                "Het dossier blijft bestaan voor de anderen. Alleen op dit apparaat is het daarna weg. Wil je het later terug? Maak dan eerst een verhuisbestand in de instellingen."
            }
            (W::LeaveExplained, En) => {
                "The dossier stays for the others. Only on this device it is gone afterwards. Want it back later? Make a moving file in the settings first."
            }
            (W::LeaveUnsent, Nl) => {
                "Let op: nog niet alles van dit apparaat is bij de anderen. Wat niet is verstuurd, gaat verloren. Wacht tot er 'Bijgewerkt' staat."
            }
            (W::LeaveUnsent, En) => {
                "Careful: not everything from this device has reached the others. What was not sent is lost. Wait until it says 'Up to date'."
            }
            (W::LeaveButton, Nl) => "Van dit apparaat halen",
            (W::LeaveButton, En) => "Remove from this device",
            (W::LeaveConfirm, Nl) => {
                "Weet je het zeker? Het dossier van {child} gaat weg van dit apparaat."
            }
            (W::LeaveConfirm, En) => {
                "Are you sure? The dossier of {child} will be removed from this device."
            }
            (W::LeaveDone, Nl) => "Het dossier is van dit apparaat gehaald.",
            (W::LeaveDone, En) => "The dossier is removed from this device.",
            (W::RemoveButton, Nl) => "Uit het dossier halen",
            (W::RemoveButton, En) => "Take out of the dossier",
            (W::RemoveConfirm, Nl) => {
                "{name} uit het dossier halen? Het dossier gaat dan verder met een nieuwe sleutel. {name} kan daarna niets nieuws meer lezen. Wat {name} al had, blijft op de eigen apparaten staan."
            }
            (W::RemoveConfirm, En) => {
                "Take {name} out of the dossier? The dossier then goes on with a new key. {name} can read nothing new after that. What {name} already had stays on their own devices."
            }
            (W::RemoveNeedsConnection, Nl) => {
                "Iemand uit het dossier halen kan alleen met verbinding, als er 'Bijgewerkt' staat."
            }
            (W::RemoveNeedsConnection, En) => {
                "You can only take someone out with a connection, when it says 'Up to date'."
            }
            (W::Removed, Nl) => {
                "{name} is uit het dossier gehaald. Apparaten die de nieuwe sleutel kregen: {devices}."
            }
            (W::Removed, En) => {
                "{name} is out of the dossier. Devices that got the new key: {devices}."
            }
            (W::RemovedWithoutKey, Nl) => {
                "Apparaten van anderen zonder eigen sleutel: {count}. Die kunnen niet mee. Stuur die mensen een nieuwe uitnodigingslink."
            }
            (W::RemovedWithoutKey, En) => {
                "Devices of others without a key of their own: {count}. They cannot come along. Send those people a new invite link."
            }
            (W::FormerTitle, Nl) => "Eerder in dit dossier",
            (W::FormerTitle, En) => "Earlier in this dossier",
            (W::RemovedOnBy, Nl) => "Op {date} uit het dossier gehaald door {name}",
            (W::RemovedOnBy, En) => "Taken out of the dossier on {date} by {name}",
            (W::RemovedOn, Nl) => "Op {date} uit het dossier gehaald",
            (W::RemovedOn, En) => "Taken out of the dossier on {date}",
            (W::SchoolYearTitle, Nl) => "Nieuw schooljaar, nieuwe leerkracht",
            (W::SchoolYearTitle, En) => "New school year, new teacher",
            (W::SchoolYearExplained, Nl) => {
                "Haal de leerkracht van vorig jaar uit het dossier en nodig de nieuwe leerkracht uit. De nieuwe leerkracht ziet alles wat er al in staat. De oude leerkracht ziet niets nieuws meer."
            }
            (W::SchoolYearExplained, En) => {
                "Take last year's teacher out of the dossier and invite the new teacher. The new teacher sees everything that is already in it. The old teacher sees nothing new any more."
            }
            (W::SchoolYearPick, Nl) => "Wie was de leerkracht?",
            (W::SchoolYearPick, En) => "Who was the teacher?",
            (W::SchoolYearGo, Nl) => "Uit het dossier halen en uitnodiging maken",
            (W::SchoolYearGo, En) => "Take out and make the invite",
            (W::SchoolYearNoTeacher, Nl) => {
                "Er is geen leerkracht meer in dit dossier. Nodig de nieuwe leerkracht uit."
            }
            (W::SchoolYearNoTeacher, En) => {
                "There is no teacher in this dossier any more. Invite the new teacher."
            }
            (W::SchoolYearInvite, Nl) => "Uitnodiging maken",
            (W::SchoolYearInvite, En) => "Make the invite",
            (W::SchoolYearNext, Nl) => {
                "Geef de nieuwe leerkracht deze uitnodiging. Na het aanmelden zie je het nieuwe apparaat hieronder; bevestig het dan."
            }
            (W::SchoolYearNext, En) => {
                "Give the new teacher this invite. After joining you see the new device below; then confirm it."
            }
            (W::SchoolYearTeacherHint, Nl) => {
                "Nieuw schooljaar? Nodig de nieuwe leerkracht uit met de knop hierboven. Doet die mee, dan haalt de nieuwe leerkracht of een ouder jou uit het dossier."
            }
            (W::SchoolYearTeacherHint, En) => {
                "New school year? Invite the new teacher with the button above. Once they are in, the new teacher or a parent takes you out of the dossier."
            }
            (W::LeftOutBy, Nl) => {
                "{name} liet dit dossier verdergaan met een nieuwe sleutel, zonder dit apparaat. Er komt hier niets nieuws meer binnen en je kunt niets meer toevoegen. Wat er al stond, blijft staan. Hoort dit apparaat er nog bij? Vraag om een nieuwe uitnodigingslink."
            }
            (W::LeftOutBy, En) => {
                "{name} let this dossier go on with a new key, without this device. Nothing new arrives here and you cannot add anything. What was already here stays. Should this device still take part? Ask for a new invite link."
            }
            (W::LeftOutLink, Nl) => {
                "Deze uitnodigingslink is opgebruikt: het dossier gaat verder met een nieuwe sleutel. Vraag om een nieuwe uitnodigingslink."
            }
            (W::LeftOutLink, En) => {
                "This invite link is used up: the dossier goes on with a new key. Ask for a new invite link."
            }
            (W::MoveFirst, Nl) => "Eerst een verhuisbestand maken",
            (W::MoveFirst, En) => "Make a moving file first",
        }
    }
}
