//! The parts of one dossier, as tabs under its name. Each link is a real
//! route, so the browser's back button and a bookmark work.

use leptos::prelude::*;

use crate::i18n::{Lang, MeasureWords, PeopleWords, Phrase, TogetherWords, Words, use_locale};

/// A part of the dossier with its own page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DossierTab {
    Logbook,
    Expectations,
    Agreement,
    Conversations,
    Together,
    Measurement,
    People,
}

impl DossierTab {
    pub const ALL: [DossierTab; 7] = [
        DossierTab::Logbook,
        DossierTab::Expectations,
        DossierTab::Agreement,
        DossierTab::Conversations,
        DossierTab::Together,
        DossierTab::Measurement,
        DossierTab::People,
    ];

    /// The route below `/d/{id}`.
    pub fn path(self, dossier: &str) -> String {
        match self {
            DossierTab::Logbook => format!("/d/{dossier}"),
            DossierTab::Expectations => format!("/d/{dossier}/expectations"),
            DossierTab::Agreement => format!("/d/{dossier}/agreement"),
            DossierTab::Conversations => format!("/d/{dossier}/conversations"),
            DossierTab::Together => format!("/d/{dossier}/together"),
            DossierTab::Measurement => format!("/d/{dossier}/measurement"),
            DossierTab::People => format!("/d/{dossier}/people"),
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            DossierTab::Logbook => Words::NavLogbook.text(lang),
            DossierTab::Expectations => Words::NavExpectations.text(lang),
            DossierTab::Agreement => Words::NavAgreement.text(lang),
            DossierTab::Conversations => Words::NavConversations.text(lang),
            DossierTab::Together => TogetherWords::Nav.text(lang),
            DossierTab::Measurement => MeasureWords::Nav.text(lang),
            DossierTab::People => PeopleWords::NavPeople.text(lang),
        }
    }

    fn test_id(self) -> &'static str {
        match self {
            DossierTab::Logbook => "nav-logbook",
            DossierTab::Expectations => "nav-expectations",
            DossierTab::Agreement => "nav-agreement",
            DossierTab::Conversations => "nav-conversations",
            DossierTab::Together => "nav-together",
            DossierTab::Measurement => "nav-measurement",
            DossierTab::People => "nav-people",
        }
    }
}

#[component]
pub fn DossierNav(dossier: String, current: DossierTab) -> impl IntoView {
    let locale = use_locale();
    view! {
        <nav class="dossier-nav" aria-label=locale.t(Words::NavLabel)>
            <ul>
                {DossierTab::ALL
                    .into_iter()
                    .map(|tab| {
                        let here = tab == current;
                        view! {
                            <li>
                                <a
                                    href=tab.path(&dossier)
                                    data-testid=tab.test_id()
                                    aria-current=here.then_some("page")
                                >
                                    {move || tab.label(locale.lang().get())}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
