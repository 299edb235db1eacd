//! The texts of the "at home" page: questions from school to talk about at
//! home, and tips and sources that were shared. Like [`super::Text`],
//! every variant must have both languages or the build fails.

use super::{Lang, Phrase};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TogetherWords {
    Nav,
    Title,
    Intro,
    PromptsTitle,
    PromptsIntro,
    NoPrompts,
    NewPrompt,
    PromptTitle,
    PromptQuestion,
    PostPrompt,
    PromptPosted,
    PromptBy,
    Answer,
    AnswerClose,
    Answers,
    NoAnswers,
    RemovePrompt,
    SourcesTitle,
    SourcesIntro,
    NoSources,
    NewSource,
    SourceTitle,
    SourceLink,
    SourceLinkHint,
    SourceKind,
    SourceNote,
    AddSource,
    SourceAdded,
    SourceBy,
    KindWebsite,
    KindBook,
    KindEvent,
    KindOther,
    KindNewer,
    WeTriedIt,
    TriedBy,
    NobodyTried,
    RemoveSource,
}

impl Phrase for TogetherWords {
    fn text(self, lang: Lang) -> &'static str {
        use Lang::{En, Nl};
        use TogetherWords as W;
        match (self, lang) {
            (W::Nav, Nl) => "Thuis",
            (W::Nav, En) => "At home",
            (W::Title, Nl) => "Thuis en school",
            (W::Title, En) => "Home and school",
            (W::Intro, Nl) => {
                "Hier zet school vragen om thuis over te praten. Het kind kan antwoorden in het logboek. Iedereen kan tips delen: een website, een boek of een uitje. Probeerde je iets? Zeg het met één tik."
            }
            (W::Intro, En) => {
                "Here the school puts questions to talk about at home. The child can answer in the logbook. Everyone can share tips: a website, a book or an outing. Did you try something? Say so with one tap."
            }
            (W::PromptsTitle, Nl) => "Vragen voor thuis",
            (W::PromptsTitle, En) => "Questions for home",
            (W::PromptsIntro, Nl) => {
                "Waar werkt de klas aan? Een vraag over de schooldag? Ouders praten er thuis over met het kind."
            }
            (W::PromptsIntro, En) => {
                "What is the class working on? A question about the school day? Parents talk about it at home with the child."
            }
            (W::NoPrompts, Nl) => "School heeft nog geen vraag voor thuis gezet.",
            (W::NoPrompts, En) => "The school has not put a question for home yet.",
            (W::NewPrompt, Nl) => "Nieuwe vraag voor thuis",
            (W::NewPrompt, En) => "New question for home",
            (W::PromptTitle, Nl) => "Onderwerp",
            (W::PromptTitle, En) => "Topic",
            (W::PromptQuestion, Nl) => "De vraag",
            (W::PromptQuestion, En) => "The question",
            (W::PostPrompt, Nl) => "Vraag plaatsen",
            (W::PostPrompt, En) => "Post the question",
            (W::PromptPosted, Nl) => "De vraag staat erbij.",
            (W::PromptPosted, En) => "The question is posted.",
            (W::PromptBy, Nl) => "Van {name}, {date}",
            (W::PromptBy, En) => "From {name}, {date}",
            (W::Answer, Nl) => "Antwoorden in het logboek",
            (W::Answer, En) => "Answer in the logbook",
            (W::AnswerClose, Nl) => "Sluiten",
            (W::AnswerClose, En) => "Close",
            (W::Answers, Nl) => "Antwoorden",
            (W::Answers, En) => "Answers",
            (W::NoAnswers, Nl) => "Nog geen antwoord.",
            (W::NoAnswers, En) => "No answer yet.",
            (W::RemovePrompt, Nl) => "Vraag weghalen",
            (W::RemovePrompt, En) => "Take the question away",
            (W::SourcesTitle, Nl) => "Tips en bronnen",
            (W::SourcesTitle, En) => "Tips and sources",
            (W::SourcesIntro, Nl) => {
                "Iets gevonden dat bij het kind past? Deel het hier, voor thuis en voor school."
            }
            (W::SourcesIntro, En) => {
                "Found something that suits the child? Share it here, for home and for school."
            }
            (W::NoSources, Nl) => "Nog geen tips gedeeld.",
            (W::NoSources, En) => "No tips shared yet.",
            (W::NewSource, Nl) => "Een tip delen",
            (W::NewSource, En) => "Share a tip",
            (W::SourceTitle, Nl) => "Naam",
            (W::SourceTitle, En) => "Name",
            (W::SourceLink, Nl) => "Link (mag leeg blijven)",
            (W::SourceLink, En) => "Link (you may leave this empty)",
            (W::SourceLinkHint, Nl) => "Een adres dat begint met https://",
            (W::SourceLinkHint, En) => "An address that starts with https://",
            (W::SourceKind, Nl) => "Wat is het?",
            (W::SourceKind, En) => "What is it?",
            (W::SourceNote, Nl) => "Waarom is het een goede tip? (mag leeg blijven)",
            (W::SourceNote, En) => "Why is it a good tip? (you may leave this empty)",
            (W::AddSource, Nl) => "Tip delen",
            (W::AddSource, En) => "Share the tip",
            (W::SourceAdded, Nl) => "De tip staat erbij.",
            (W::SourceAdded, En) => "The tip is shared.",
            (W::SourceBy, Nl) => "Gedeeld door {name}",
            (W::SourceBy, En) => "Shared by {name}",
            (W::KindWebsite, Nl) => "Website",
            (W::KindWebsite, En) => "Website",
            (W::KindBook, Nl) => "Boek",
            (W::KindBook, En) => "Book",
            (W::KindEvent, Nl) => "Uitje of activiteit",
            (W::KindEvent, En) => "Outing or activity",
            (W::KindOther, Nl) => "Iets anders",
            (W::KindOther, En) => "Something else",
            (W::KindNewer, Nl) => "Soort uit een nieuwere versie",
            (W::KindNewer, En) => "Kind from a newer version",
            (W::WeTriedIt, Nl) => "Wij probeerden het",
            (W::WeTriedIt, En) => "We tried it",
            (W::TriedBy, Nl) => "Geprobeerd door: {names}",
            (W::TriedBy, En) => "Tried by: {names}",
            (W::NobodyTried, Nl) => "Nog door niemand geprobeerd.",
            (W::NobodyTried, En) => "Nobody tried it yet.",
            (W::RemoveSource, Nl) => "Tip weghalen",
            (W::RemoveSource, En) => "Take the tip away",
        }
    }
}
