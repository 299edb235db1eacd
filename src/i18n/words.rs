//! The texts of the dossier's sections: navigation, the dossier home, the
//! mutual expectations and the guidance agreement. Like [`super::Text`],
//! every variant must have both languages or the build fails.

use super::{Lang, Phrase};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Words {
    NavLabel,
    NavLogbook,
    NavExpectations,
    NavAgreement,
    ChooseWhoFirst,
    ToTheDossier,
    HomeAgreementNobody,
    HomeAgreementSigned,
    HomeAgreementOutdated,
    HomeOpenTasks,
    HomeNoOpenTasks,
    HomeExpectationsWaiting,
    HomeExpectationsSettled,
    ExpectationsTitle,
    ExpectationsIntro,
    ListParentsOfSchool,
    ListSchoolOfParents,
    ListOfChild,
    NewPoint,
    Propose,
    NoPointsYet,
    ProposedBy,
    StatusProposed,
    StatusAgreed,
    StatusToRevisit,
    StatusDropped,
    StatusNewer,
    StatusLabel,
    PartyParents,
    PartySchool,
    PartyChild,
    AgreesYes,
    AgreesNotYet,
    WeAgree,
    WithdrawAgreement,
    Object,
    Discussion,
    YourReaction,
    React,
    AgreementTitle,
    AgreementIntro,
    SectionGoals,
    SectionApproachSchool,
    SectionApproachHome,
    SectionReachability,
    SectionPrivacy,
    HintGoals,
    HintApproachSchool,
    HintApproachHome,
    HintReachability,
    HintPrivacy,
    FieldSaved,
    FieldSaving,
    FieldNotSaved,
    ParentTasks,
    NoTasksYet,
    TaskWhat,
    TaskWho,
    TaskDue,
    AddTask,
    TaskDone,
    TaskRemove,
    DueOn,
    Arrangement,
    HowOften,
    WithWhom,
    EvaluationDate,
    NoEvaluationDate,
    Signatures,
    NoSignaturesYet,
    SignAs,
    SignedOn,
    SignatureValid,
    SignatureOutdated,
    SignatureUnknownEncoding,
    DeviceVerified,
    DeviceUnsigned,
    DeviceUnverifiable,
    NotSignedYet,
    YouSignedThis,
    ChangedSinceSigning,
    PartTasks,
    PartArrangement,
    PartEvaluationDate,
    PartSignatures,
    History,
    NoHistoryYet,
    SomeoneUnknown,
    Print,
    PrintedOn,
    PrintReport,
    ReportTitle,
    ChildSigns,
    CommentsTitle,
    NoCommentsYet,
    YourComment,
    PostComment,
    RemoveComment,
    ReactionsLabel,
    KeepThisVersion,
    VersionN,
    NavConversations,
    ConversationsTitle,
    ConversationsIntro,
    PlanConversation,
    ConversationKindLabel,
    ConvStart,
    ConvProgress,
    ConvEvaluation,
    ConvOther,
    ConvNewer,
    ConversationDate,
    NoConversationsYet,
    Upcoming,
    Past,
    Beforehand,
    BeforehandHint,
    NothingYet,
    Notes,
    NotesHint,
    AgreedActions,
    NoActionsYet,
    ActionWhat,
    AddAction,
    HomeNextConversation,
    HomeNoConversation,
    HomeOpenActions,
    HomeTodoTitle,
    HomeTodoMore,
    HomeDue,
    RemoveConversation,
    ConfirmRemoveConversation,
}

impl Phrase for Words {
    fn text(self, lang: Lang) -> &'static str {
        use Lang::{En, Nl};
        match (self, lang) {
            (Words::NavLabel, Nl) => "Onderdelen van het dossier",
            (Words::NavLabel, En) => "Parts of the dossier",
            (Words::NavLogbook, Nl) => "Logboek",
            (Words::NavLogbook, En) => "Logbook",
            (Words::NavExpectations, Nl) => "Verwachtingen",
            (Words::NavExpectations, En) => "Expectations",
            (Words::NavAgreement, Nl) => "Afspraken",
            (Words::NavAgreement, En) => "Agreement",
            (Words::ChooseWhoFirst, Nl) => {
                "Kies eerst wie dit apparaat gebruikt. Dat doe je op de eerste pagina van het dossier."
            }
            (Words::ChooseWhoFirst, En) => {
                "First choose who is using this device. You do that on the first page of the dossier."
            }
            (Words::ToTheDossier, Nl) => "Naar het dossier",
            (Words::ToTheDossier, En) => "To the dossier",
            (Words::HomeAgreementNobody, Nl) => "Afspraken: nog niet getekend.",
            (Words::HomeAgreementNobody, En) => "Agreement: not signed yet.",
            (Words::HomeAgreementSigned, Nl) => "Afspraken: getekend door {n} van de {m}.",
            (Words::HomeAgreementSigned, En) => "Agreement: signed by {n} of {m}.",
            (Words::HomeAgreementOutdated, Nl) => {
                "Afspraken: gewijzigd na het tekenen. Er moet opnieuw getekend worden."
            }
            (Words::HomeAgreementOutdated, En) => {
                "Agreement: changed after signing. It needs signing again."
            }
            (Words::HomeOpenTasks, Nl) => "Open taken voor ouders: {n}.",
            (Words::HomeOpenTasks, En) => "Open tasks for parents: {n}.",
            (Words::HomeNoOpenTasks, Nl) => "Geen open taken voor ouders.",
            (Words::HomeNoOpenTasks, En) => "No open tasks for parents.",
            (Words::HomeExpectationsWaiting, Nl) => {
                "Verwachtingen: {n} punten wachten op een gesprek."
            }
            (Words::HomeExpectationsWaiting, En) => {
                "Expectations: {n} points wait to be discussed."
            }
            (Words::HomeExpectationsSettled, Nl) => "Verwachtingen: alles is besproken.",
            (Words::HomeExpectationsSettled, En) => "Expectations: everything has been discussed.",
            (Words::ExpectationsTitle, Nl) => "Wat we van elkaar verwachten",
            (Words::ExpectationsTitle, En) => "What we expect of each other",
            (Words::ExpectationsIntro, Nl) => {
                "Iedereen kan een punt voorstellen. Daarna praten we erover. Ouders, school en kind geven elk aan of ze het eens zijn."
            }
            (Words::ExpectationsIntro, En) => {
                "Anyone can propose a point. Then we talk about it. Parents, school and child each say whether they agree."
            }
            (Words::ListParentsOfSchool, Nl) => "Wat ouders van de school verwachten",
            (Words::ListParentsOfSchool, En) => "What parents expect of the school",
            (Words::ListSchoolOfParents, Nl) => "Wat de school van ouders verwacht",
            (Words::ListSchoolOfParents, En) => "What the school expects of parents",
            (Words::ListOfChild, Nl) => "Wat we van het kind verwachten",
            (Words::ListOfChild, En) => "What we expect of the child",
            (Words::NewPoint, Nl) => "Nieuw punt",
            (Words::NewPoint, En) => "New point",
            (Words::Propose, Nl) => "Voorstellen",
            (Words::Propose, En) => "Propose",
            (Words::NoPointsYet, Nl) => "Nog geen punten.",
            (Words::NoPointsYet, En) => "No points yet.",
            (Words::ProposedBy, Nl) => "door {name}",
            (Words::ProposedBy, En) => "by {name}",
            (Words::StatusProposed, Nl) => "Voorgesteld",
            (Words::StatusProposed, En) => "Proposed",
            (Words::StatusAgreed, Nl) => "Afgesproken",
            (Words::StatusAgreed, En) => "Agreed",
            (Words::StatusToRevisit, Nl) => "Nog eens bespreken",
            (Words::StatusToRevisit, En) => "Discuss again",
            (Words::StatusDropped, Nl) => "Vervallen",
            (Words::StatusDropped, En) => "Dropped",
            (Words::StatusNewer, Nl) => "Onbekend (nieuwere app)",
            (Words::StatusNewer, En) => "Unknown (newer app)",
            (Words::StatusLabel, Nl) => "Stand",
            (Words::StatusLabel, En) => "Status",
            (Words::PartyParents, Nl) => "Ouders",
            (Words::PartyParents, En) => "Parents",
            (Words::PartySchool, Nl) => "School",
            (Words::PartySchool, En) => "School",
            (Words::PartyChild, Nl) => "Kind",
            (Words::PartyChild, En) => "Child",
            (Words::AgreesYes, Nl) => "eens",
            (Words::AgreesYes, En) => "agrees",
            (Words::AgreesNotYet, Nl) => "nog niet",
            (Words::AgreesNotYet, En) => "not yet",
            (Words::WeAgree, Nl) => "Wij zijn het eens",
            (Words::WeAgree, En) => "We agree",
            (Words::WithdrawAgreement, Nl) => "Toch niet eens",
            (Words::WithdrawAgreement, En) => "Withdraw agreement",
            (Words::Object, Nl) => "Niet eens: nog eens bespreken",
            (Words::Object, En) => "Disagree: discuss again",
            (Words::Discussion, Nl) => "Gesprek",
            (Words::Discussion, En) => "Discussion",
            (Words::YourReaction, Nl) => "Je reactie",
            (Words::YourReaction, En) => "Your reaction",
            (Words::React, Nl) => "Reageren",
            (Words::React, En) => "Reply",
            (Words::AgreementTitle, Nl) => "Begeleidingsovereenkomst",
            (Words::AgreementTitle, En) => "Guidance agreement",
            (Words::AgreementIntro, Nl) => {
                "Hier staan onze afspraken over de begeleiding. Iedereen kan meeschrijven. Verandert er iets, dan tekent iedereen opnieuw."
            }
            (Words::AgreementIntro, En) => {
                "Here are our agreements about the guidance. Everyone can write along. When something changes, everyone signs again."
            }
            (Words::SectionGoals, Nl) => "Doelen",
            (Words::SectionGoals, En) => "Goals",
            (Words::SectionApproachSchool, Nl) => "Wat de school doet",
            (Words::SectionApproachSchool, En) => "What the school does",
            (Words::SectionApproachHome, Nl) => "Wat we thuis doen",
            (Words::SectionApproachHome, En) => "What we do at home",
            (Words::SectionReachability, Nl) => "Hoe we elkaar bereiken",
            (Words::SectionReachability, En) => "How we reach each other",
            (Words::SectionPrivacy, Nl) => "Privacy",
            (Words::SectionPrivacy, En) => "Privacy",
            (Words::HintGoals, Nl) => "Wat wil het kind leren of bereiken dit jaar?",
            (Words::HintGoals, En) => "What does the child want to learn or reach this year?",
            (Words::HintApproachSchool, Nl) => {
                "Bijvoorbeeld verrijking, compacten of een plusklas."
            }
            (Words::HintApproachSchool, En) => {
                "For example enrichment, compacting or a special class."
            }
            (Words::HintApproachHome, Nl) => {
                "Hoe voeden jullie thuis de nieuwsgierigheid, zonder de schooldag langer te maken?"
            }
            (Words::HintApproachHome, En) => {
                "How do you feed curiosity at home, without making the school day longer?"
            }
            (Words::HintReachability, Nl) => "Hoe en wanneer bereiken ouders en leerkracht elkaar?",
            (Words::HintReachability, En) => {
                "How and when do parents and teacher reach each other?"
            }
            (Words::HintPrivacy, Nl) => "Wie mag wat zien of delen?",
            (Words::HintPrivacy, En) => "Who may see or share what?",
            (Words::FieldSaved, Nl) => "Opgeslagen",
            (Words::FieldSaved, En) => "Saved",
            (Words::FieldSaving, Nl) => "Wordt zo opgeslagen…",
            (Words::FieldSaving, En) => "Saving in a moment…",
            (Words::FieldNotSaved, Nl) => "Niet opgeslagen. Je tekst staat nog hier.",
            (Words::FieldNotSaved, En) => "Not saved. Your text is still here.",
            (Words::ParentTasks, Nl) => "Taken voor ouders",
            (Words::ParentTasks, En) => "Tasks for parents",
            (Words::NoTasksYet, Nl) => "Nog geen taken.",
            (Words::NoTasksYet, En) => "No tasks yet.",
            (Words::TaskWhat, Nl) => "Wat gaan ouders doen?",
            (Words::TaskWhat, En) => "What will the parents do?",
            (Words::TaskWho, Nl) => "Wie",
            (Words::TaskWho, En) => "Who",
            (Words::TaskDue, Nl) => "Klaar op (mag leeg)",
            (Words::TaskDue, En) => "Due on (may be empty)",
            (Words::AddTask, Nl) => "Taak toevoegen",
            (Words::AddTask, En) => "Add task",
            (Words::TaskDone, Nl) => "Gedaan",
            (Words::TaskDone, En) => "Done",
            (Words::TaskRemove, Nl) => "Weghalen",
            (Words::TaskRemove, En) => "Remove",
            (Words::DueOn, Nl) => "klaar op {date}",
            (Words::DueOn, En) => "due {date}",
            (Words::Arrangement, Nl) => "Hoe vaak we praten",
            (Words::Arrangement, En) => "How often we talk",
            (Words::HowOften, Nl) => "Hoe vaak praten we over de voortgang?",
            (Words::HowOften, En) => "How often do we discuss progress?",
            (Words::WithWhom, Nl) => "Wie zijn erbij?",
            (Words::WithWhom, En) => "Who takes part?",
            (Words::EvaluationDate, Nl) => "Wanneer bekijken we de afspraken opnieuw?",
            (Words::EvaluationDate, En) => "When do we evaluate the agreement?",
            (Words::NoEvaluationDate, Nl) => "Nog geen datum.",
            (Words::NoEvaluationDate, En) => "No date yet.",
            (Words::Signatures, Nl) => "Handtekeningen",
            (Words::Signatures, En) => "Signatures",
            (Words::NoSignaturesYet, Nl) => "Nog niemand heeft getekend.",
            (Words::NoSignaturesYet, En) => "Nobody has signed yet.",
            (Words::SignAs, Nl) => "Tekenen als {name}",
            (Words::SignAs, En) => "Sign as {name}",
            (Words::SignedOn, Nl) => "getekend op {date}",
            (Words::SignedOn, En) => "signed on {date}",
            (Words::SignatureValid, Nl) => "Geldig: de afspraken zijn niet veranderd.",
            (Words::SignatureValid, En) => "Valid: the agreement has not changed.",
            (Words::SignatureOutdated, Nl) => {
                "Niet meer geldig: de afspraken zijn veranderd na het tekenen."
            }
            (Words::SignatureOutdated, En) => {
                "No longer valid: the agreement changed after signing."
            }
            (Words::SignatureUnknownEncoding, Nl) => {
                "Getekend met een nieuwere app. Deze app kan het niet controleren."
            }
            (Words::SignatureUnknownEncoding, En) => {
                "Signed with a newer app. This app cannot check it."
            }
            (Words::DeviceVerified, Nl) => "Gezet op een apparaat van deze persoon.",
            (Words::DeviceVerified, En) => "Made on a device of this person.",
            (Words::DeviceUnsigned, Nl) => "Nog zonder controle van het apparaat.",
            (Words::DeviceUnsigned, En) => "Not checked by a device yet.",
            (Words::DeviceUnverifiable, Nl) => {
                "Let op: deze handtekening kan niet gecontroleerd worden."
            }
            (Words::DeviceUnverifiable, En) => "Careful: this signature cannot be checked.",
            (Words::NotSignedYet, Nl) => "heeft nog niet getekend",
            (Words::NotSignedYet, En) => "has not signed yet",
            (Words::YouSignedThis, Nl) => "Je hebt deze versie getekend.",
            (Words::YouSignedThis, En) => "You signed this version.",
            (Words::ChangedSinceSigning, Nl) => "Veranderd sinds het tekenen:",
            (Words::ChangedSinceSigning, En) => "Changed since signing:",
            (Words::PartTasks, Nl) => "taken voor ouders",
            (Words::PartTasks, En) => "tasks for parents",
            (Words::PartArrangement, Nl) => "hoe vaak we praten",
            (Words::PartArrangement, En) => "how often we talk",
            (Words::PartEvaluationDate, Nl) => "datum om opnieuw te bekijken",
            (Words::PartEvaluationDate, En) => "evaluation date",
            (Words::PartSignatures, Nl) => "getekend",
            (Words::PartSignatures, En) => "signed",
            (Words::History, Nl) => "Wie veranderde wat",
            (Words::History, En) => "Who changed what",
            (Words::NoHistoryYet, Nl) => "Nog niets veranderd.",
            (Words::NoHistoryYet, En) => "Nothing changed yet.",
            (Words::SomeoneUnknown, Nl) => "Iemand",
            (Words::SomeoneUnknown, En) => "Someone",
            (Words::Print, Nl) => "Afdrukken",
            (Words::Print, En) => "Print",
            (Words::PrintReport, Nl) => "Verslag afdrukken",
            (Words::PrintReport, En) => "Print the report",
            (Words::ReportTitle, Nl) => "Gespreksverslag",
            (Words::ReportTitle, En) => "Conversation report",
            (Words::PrintedOn, Nl) => "Afgedrukt op {date}",
            (Words::PrintedOn, En) => "Printed on {date}",
            (Words::ChildSigns, Nl) => "Het kind mag ook tekenen.",
            (Words::ChildSigns, En) => "The child may sign too.",
            (Words::CommentsTitle, Nl) => "Reacties",
            (Words::CommentsTitle, En) => "Comments",
            (Words::NoCommentsYet, Nl) => "Nog geen reacties.",
            (Words::NoCommentsYet, En) => "No comments yet.",
            (Words::YourComment, Nl) => "Jouw reactie",
            (Words::YourComment, En) => "Your comment",
            (Words::PostComment, Nl) => "Plaatsen",
            (Words::PostComment, En) => "Post",
            (Words::RemoveComment, Nl) => "Weghalen",
            (Words::RemoveComment, En) => "Remove",
            (Words::ReactionsLabel, Nl) => "Laat weten wat je ervan vindt",
            (Words::ReactionsLabel, En) => "Show what you think of it",
            (Words::KeepThisVersion, Nl) => "Deze versie houden",
            (Words::KeepThisVersion, En) => "Keep this version",
            (Words::VersionN, Nl) => "Versie {n}",
            (Words::VersionN, En) => "Version {n}",
            (Words::NavConversations, Nl) => "Gesprekken",
            (Words::NavConversations, En) => "Conversations",
            (Words::ConversationsTitle, Nl) => "Gesprekken",
            (Words::ConversationsTitle, En) => "Conversations",
            (Words::ConversationsIntro, Nl) => {
                "Plan een gesprek. Vooraf schrijft iedereen op wat hij wil bespreken, ook het kind. Tijdens het gesprek maken jullie samen aantekeningen en afspraken."
            }
            (Words::ConversationsIntro, En) => {
                "Plan a conversation. Beforehand everyone writes down what they want to discuss, the child too. During the conversation you take notes and agree on actions together."
            }
            (Words::PlanConversation, Nl) => "Gesprek plannen",
            (Words::PlanConversation, En) => "Plan a conversation",
            (Words::ConversationKindLabel, Nl) => "Soort gesprek",
            (Words::ConversationKindLabel, En) => "Kind of conversation",
            (Words::ConvStart, Nl) => "Startgesprek",
            (Words::ConvStart, En) => "Start conversation",
            (Words::ConvProgress, Nl) => "Voortgangsgesprek",
            (Words::ConvProgress, En) => "Progress conversation",
            (Words::ConvEvaluation, Nl) => "Evaluatiegesprek",
            (Words::ConvEvaluation, En) => "Evaluation",
            (Words::ConvOther, Nl) => "Ander gesprek",
            (Words::ConvOther, En) => "Other conversation",
            (Words::ConvNewer, Nl) => "Gesprek (nieuwere app)",
            (Words::ConvNewer, En) => "Conversation (newer app)",
            (Words::ConversationDate, Nl) => "Datum",
            (Words::ConversationDate, En) => "Date",
            (Words::NoConversationsYet, Nl) => "Nog geen gesprekken gepland.",
            (Words::NoConversationsYet, En) => "No conversations planned yet.",
            (Words::Upcoming, Nl) => "Gepland",
            (Words::Upcoming, En) => "Planned",
            (Words::Past, Nl) => "Geweest",
            (Words::Past, En) => "Held",
            (Words::Beforehand, Nl) => "Vooraf: wat wil je bespreken?",
            (Words::Beforehand, En) => "Beforehand: what do you want to discuss?",
            (Words::BeforehandHint, Nl) => {
                "Ieder schrijft in het eigen vak. Zo staan de verschillende blikken naast elkaar."
            }
            (Words::BeforehandHint, En) => {
                "Each writes in their own box, so the different views stand side by side."
            }
            (Words::NothingYet, Nl) => "Nog niets geschreven.",
            (Words::NothingYet, En) => "Nothing written yet.",
            (Words::Notes, Nl) => "Aantekeningen",
            (Words::Notes, En) => "Notes",
            (Words::NotesHint, Nl) => "Tijdens het gesprek kan iedereen meeschrijven.",
            (Words::NotesHint, En) => "During the conversation everyone can write along.",
            (Words::AgreedActions, Nl) => "Wat we afspreken",
            (Words::AgreedActions, En) => "What we agree to do",
            (Words::NoActionsYet, Nl) => "Nog geen afspraken.",
            (Words::NoActionsYet, En) => "No actions yet.",
            (Words::ActionWhat, Nl) => "Wat gaan we doen?",
            (Words::ActionWhat, En) => "What will we do?",
            (Words::AddAction, Nl) => "Afspraak toevoegen",
            (Words::AddAction, En) => "Add action",
            (Words::HomeNextConversation, Nl) => "Volgend gesprek: {date}.",
            (Words::HomeNextConversation, En) => "Next conversation: {date}.",
            (Words::HomeNoConversation, Nl) => "Nog geen gesprek gepland.",
            (Words::HomeNoConversation, En) => "No conversation planned yet.",
            (Words::HomeTodoTitle, Nl) => "Nog te doen",
            (Words::HomeTodoTitle, En) => "Still to do",
            (Words::HomeTodoMore, Nl) => "En nog {n}: zie de afspraken en de gesprekken.",
            (Words::HomeTodoMore, En) => "And {n} more: see the agreement and the conversations.",
            (Words::HomeDue, Nl) => "uiterlijk {date}",
            (Words::HomeDue, En) => "by {date}",
            (Words::HomeOpenActions, Nl) => "Open afspraken uit gesprekken: {n}.",
            (Words::HomeOpenActions, En) => "Open actions from conversations: {n}.",
            (Words::RemoveConversation, Nl) => "Gesprek weghalen",
            (Words::RemoveConversation, En) => "Remove conversation",
            (Words::ConfirmRemoveConversation, Nl) => {
                "Dit gesprek weghalen, met alles wat erbij staat?"
            }
            (Words::ConfirmRemoveConversation, En) => {
                "Remove this conversation with everything in it?"
            }
        }
    }
}
