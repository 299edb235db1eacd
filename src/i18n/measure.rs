//! The texts of the partnership measurement page. The statements
//! themselves live with the model (`driehoek_core::model::measurement`), in both
//! languages. Like [`super::Text`], every variant must have both languages
//! or the build fails.

use super::{Lang, Phrase};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeasureWords {
    Nav,
    Title,
    Intro,
    MomentLabel,
    Baseline,
    End,
    YourAnswers,
    Answered,
    Score1,
    Score2,
    Score3,
    Score4,
    Score5,
    Comparison,
    ComparisonIntro,
    NoAnswersYet,
    Statement,
    Change,
    People,
    Average,
    NoParty,
}

impl Phrase for MeasureWords {
    fn text(self, lang: Lang) -> &'static str {
        use Lang::{En, Nl};
        use MeasureWords as W;
        match (self, lang) {
            (W::Nav, Nl) => "Samenwerking",
            (W::Nav, En) => "Working together",
            (W::Title, Nl) => "Hoe werken we samen?",
            (W::Title, En) => "How do we work together?",
            (W::Intro, Nl) => {
                "Tien korte zinnen. Geef bij elke zin aan hoe waar hij voor jou is: 1 is helemaal niet, 5 is helemaal wel. Doe het aan het begin, en later nog een keer. Dan zie je samen wat er veranderd is. Iedereen vult alleen zijn eigen antwoorden in."
            }
            (W::Intro, En) => {
                "Ten short sentences. For each one, say how true it is for you: 1 is not at all, 5 is completely. Do it at the start, and once more later. Then you see together what changed. Everyone fills in only their own answers."
            }
            (W::MomentLabel, Nl) => "Wanneer",
            (W::MomentLabel, En) => "When",
            (W::Baseline, Nl) => "Aan het begin",
            (W::Baseline, En) => "At the start",
            (W::End, Nl) => "Later",
            (W::End, En) => "Later",
            (W::YourAnswers, Nl) => "Jouw antwoorden",
            (W::YourAnswers, En) => "Your answers",
            (W::Answered, Nl) => "Je beantwoordde {n} van de {m} zinnen.",
            (W::Answered, En) => "You answered {n} of {m} sentences.",
            (W::Score1, Nl) => "helemaal niet",
            (W::Score1, En) => "not at all",
            (W::Score2, Nl) => "een beetje",
            (W::Score2, En) => "a little",
            (W::Score3, Nl) => "soms wel, soms niet",
            (W::Score3, En) => "sometimes",
            (W::Score4, Nl) => "grotendeels",
            (W::Score4, En) => "mostly",
            (W::Score5, Nl) => "helemaal wel",
            (W::Score5, En) => "completely",
            (W::Comparison, Nl) => "Naast elkaar",
            (W::Comparison, En) => "Side by side",
            (W::ComparisonIntro, Nl) => {
                "Het gemiddelde per kant van de driehoek, aan het begin en later. Een plus betekent: het ging beter."
            }
            (W::ComparisonIntro, En) => {
                "The average per side of the triangle, at the start and later. A plus means: it got better."
            }
            (W::NoAnswersYet, Nl) => "Nog niemand heeft de vragenlijst ingevuld.",
            (W::NoAnswersYet, En) => "Nobody has filled in the questionnaire yet.",
            (W::Statement, Nl) => "Zin",
            (W::Statement, En) => "Sentence",
            (W::Change, Nl) => "verschil",
            (W::Change, En) => "change",
            (W::People, Nl) => "{n} ingevuld aan het begin, {m} later",
            (W::People, En) => "{n} answered at the start, {m} later",
            (W::Average, Nl) => "Alle zinnen samen",
            (W::Average, En) => "All sentences together",
            (W::NoParty, Nl) => {
                "Deze vragenlijst is voor ouders, het kind en school. Met jouw rol vul je hem niet in; je kunt wel meekijken."
            }
            (W::NoParty, En) => {
                "This questionnaire is for parents, the child and the school. With your role you do not fill it in; you can look along."
            }
        }
    }
}
