//! The texts of "new since your last visit", on the class overview and on
//! a dossier's home. Like [`super::Text`], every variant must have both
//! languages or the build fails.

use super::{Lang, Phrase};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewsWords {
    Title,
    NewEntry,
    NewEntries,
    LogbookChanged,
    Label,
    WithNews,
    WithNewsOne,
    NoGroup,
    OnlyWithNews,
    NoneWithNews,
}

impl Phrase for NewsWords {
    fn text(self, lang: Lang) -> &'static str {
        use Lang::{En, Nl};
        match (self, lang) {
            (NewsWords::Title, Nl) => "Nieuw sinds je laatste bezoek",
            (NewsWords::Title, En) => "New since your last visit",
            (NewsWords::NewEntry, Nl) => "1 logboekbericht",
            (NewsWords::NewEntry, En) => "1 logbook entry",
            (NewsWords::NewEntries, Nl) => "{n} logboekberichten",
            (NewsWords::NewEntries, En) => "{n} logbook entries",
            (NewsWords::LogbookChanged, Nl) => "wijzigingen in het logboek",
            (NewsWords::LogbookChanged, En) => "changes in the logbook",
            (NewsWords::Label, Nl) => "Nieuw:",
            (NewsWords::Label, En) => "New:",
            (NewsWords::WithNews, Nl) => "Bij {n} van de {total} kinderen is iets nieuws.",
            (NewsWords::WithNews, En) => "{n} of {total} children have something new.",
            (NewsWords::OnlyWithNews, Nl) => "Alleen met nieuws",
            (NewsWords::OnlyWithNews, En) => "Only those with news",
            (NewsWords::NoneWithNews, Nl) => "Bij geen enkel kind is iets nieuws.",
            (NewsWords::NoneWithNews, En) => "No child has anything new.",
            (NewsWords::WithNewsOne, Nl) => "Bij 1 van de {total} kinderen is iets nieuws.",
            (NewsWords::WithNewsOne, En) => "1 of {total} children has something new.",
            (NewsWords::NoGroup, Nl) => "Zonder groep",
            (NewsWords::NoGroup, En) => "No group",
        }
    }
}
