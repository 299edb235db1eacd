//! The texts of the logbook's filters, labels and child mode. Like
//! [`super::Text`], every variant must have both languages or the build
//! fails.

use super::{Lang, Phrase};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogbookWords {
    FilterTitle,
    FilterKind,
    FilterAuthor,
    FilterTag,
    FilterAll,
    FilterByChild,
    FilterClear,
    FilterShown,
    NothingMatches,
    TagsLabel,
    TagsHint,
    TagsTitle,
    ChildModeOn,
    ChildModeOff,
    ChildModeLead,
    ChildModeWritesAs,
    ChildModeSave,
    ChildModeWhat,
    ChildModeStory,
    PrintTitle,
    PrintHint,
    PrintFrom,
    PrintTo,
    PrintBadPeriod,
    PrintPeriod,
    PrintNothing,
    PrintComments,
}

impl Phrase for LogbookWords {
    fn text(self, lang: Lang) -> &'static str {
        use Lang::{En, Nl};
        use LogbookWords as W;
        match (self, lang) {
            (W::FilterTitle, Nl) => "Zoeken in het logboek",
            (W::FilterTitle, En) => "Search the logbook",
            (W::FilterKind, Nl) => "Soort",
            (W::FilterKind, En) => "Kind",
            (W::FilterAuthor, Nl) => "Geschreven door",
            (W::FilterAuthor, En) => "Written by",
            (W::FilterTag, Nl) => "Label",
            (W::FilterTag, En) => "Label",
            (W::FilterAll, Nl) => "Alles",
            (W::FilterAll, En) => "All",
            (W::FilterByChild, Nl) => "Het kind zelf",
            (W::FilterByChild, En) => "The child",
            (W::FilterClear, Nl) => "Alles weer tonen",
            (W::FilterClear, En) => "Show everything again",
            (W::FilterShown, Nl) => "{n} van de {m} berichten",
            (W::FilterShown, En) => "{n} of {m} entries",
            (W::NothingMatches, Nl) => {
                "Geen berichten die hierbij passen. Kies iets anders of toon alles weer."
            }
            (W::NothingMatches, En) => {
                "No entries match. Choose something else or show everything again."
            }
            (W::TagsLabel, Nl) => "Labels (mag leeg blijven)",
            (W::TagsLabel, En) => "Labels (you may leave this empty)",
            (W::TagsHint, Nl) => "Bijvoorbeeld: lezen, rekenen. Zet een komma tussen twee labels.",
            (W::TagsHint, En) => "For example: reading, maths. Put a comma between two labels.",
            (W::TagsTitle, Nl) => "Labels",
            (W::TagsTitle, En) => "Labels",
            (W::ChildModeOn, Nl) => "Kindmodus",
            (W::ChildModeOn, En) => "Child mode",
            (W::ChildModeOff, Nl) => "Klaar: terug naar de gewone weergave",
            (W::ChildModeOff, En) => "Done: back to the usual view",
            (W::ChildModeLead, Nl) => "Wat wil jij vertellen?",
            (W::ChildModeLead, En) => "What do you want to tell?",
            (W::ChildModeWritesAs, Nl) => {
                "Dit schrijf jij zelf. Het komt in het logboek als “door mij geschreven”."
            }
            (W::ChildModeWritesAs, En) => {
                "You write this yourself. It goes in the logbook as “written by me”."
            }
            (W::ChildModeSave, Nl) => "Klaar, bewaar het",
            (W::ChildModeSave, En) => "Done, keep it",
            (W::ChildModeWhat, Nl) => "Kies een plaatje",
            (W::ChildModeWhat, En) => "Pick a picture",
            (W::ChildModeStory, Nl) => "Vertel het hier",
            (W::ChildModeStory, En) => "Tell it here",
            (W::PrintTitle, Nl) => "Logboek afdrukken",
            (W::PrintTitle, En) => "Print the logbook",
            (W::PrintHint, Nl) => {
                "Kies de periode. Alle berichten uit die tijd komen op papier, of in een pdf, met de naam van het kind en de datum erboven."
            }
            (W::PrintHint, En) => {
                "Choose the period. Every entry from that time goes on paper, or into a PDF, headed with the child's name and the date."
            }
            (W::PrintFrom, Nl) => "Van",
            (W::PrintFrom, En) => "From",
            (W::PrintTo, Nl) => "Tot en met",
            (W::PrintTo, En) => "Up to and including",
            (W::PrintBadPeriod, Nl) => "Kies twee datums.",
            (W::PrintBadPeriod, En) => "Choose two dates.",
            (W::PrintPeriod, Nl) => "{from} tot en met {to}",
            (W::PrintPeriod, En) => "{from} to {to}",
            (W::PrintNothing, Nl) => "Geen berichten in deze periode.",
            (W::PrintNothing, En) => "No entries in this period.",
            (W::PrintComments, Nl) => "Reacties: {n}",
            (W::PrintComments, En) => "Comments: {n}",
        }
    }
}
