//! The parts of one dossier, as tabs under its name. Each link is a real
//! route, so the browser's back button and a bookmark work.

use leptos::prelude::*;

use crate::i18n::{Words, use_locale};

/// A part of the dossier with its own page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DossierTab {
    Logbook,
    Expectations,
    Agreement,
    Conversations,
}

impl DossierTab {
    pub const ALL: [DossierTab; 4] = [
        DossierTab::Logbook,
        DossierTab::Expectations,
        DossierTab::Agreement,
        DossierTab::Conversations,
    ];

    /// The route below `/d/{id}`.
    pub fn path(self, dossier: &str) -> String {
        match self {
            DossierTab::Logbook => format!("/d/{dossier}"),
            DossierTab::Expectations => format!("/d/{dossier}/expectations"),
            DossierTab::Agreement => format!("/d/{dossier}/agreement"),
            DossierTab::Conversations => format!("/d/{dossier}/conversations"),
        }
    }

    fn label(self) -> Words {
        match self {
            DossierTab::Logbook => Words::NavLogbook,
            DossierTab::Expectations => Words::NavExpectations,
            DossierTab::Agreement => Words::NavAgreement,
            DossierTab::Conversations => Words::NavConversations,
        }
    }

    fn test_id(self) -> &'static str {
        match self {
            DossierTab::Logbook => "nav-logbook",
            DossierTab::Expectations => "nav-expectations",
            DossierTab::Agreement => "nav-agreement",
            DossierTab::Conversations => "nav-conversations",
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
                                    {locale.t(tab.label())}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
