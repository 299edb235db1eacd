//! "New since your last visit": what others changed in a dossier while
//! nobody on this device looked, read from the stored metadata.

use leptos::prelude::*;

use crate::components::dossier_nav::DossierTab;
use crate::i18n::{Lang, NewsWords, Phrase, use_locale};
use crate::store::Unseen;
use driehoek_core::model::Section;

/// One thing that is new, in the order of the dossier's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NewsItem {
    /// New logbook entries.
    Entries(u64),
    /// Entries changed or reacted to, none new.
    LogbookChanged,
    /// Something changed on this tab's page.
    Tab(DossierTab),
}

impl NewsItem {
    pub fn text(self, lang: Lang) -> String {
        match self {
            NewsItem::Entries(1) => NewsWords::NewEntry.text(lang).to_string(),
            NewsItem::Entries(n) => NewsWords::NewEntries
                .text(lang)
                .replace("{n}", &n.to_string()),
            NewsItem::LogbookChanged => NewsWords::LogbookChanged.text(lang).to_string(),
            NewsItem::Tab(tab) => tab.label(lang).to_string(),
        }
    }

    /// The tab where the news is.
    pub fn tab(self) -> DossierTab {
        match self {
            NewsItem::Entries(_) | NewsItem::LogbookChanged => DossierTab::Logbook,
            NewsItem::Tab(tab) => tab,
        }
    }
}

/// What is new; empty when nothing is.
pub fn news_items(unseen: &Unseen) -> Vec<NewsItem> {
    let mut items: Vec<NewsItem> = Vec::new();
    for section in unseen.known_sections() {
        let item = match section {
            Section::Logbook => match unseen.new_entries {
                0 => NewsItem::LogbookChanged,
                n => NewsItem::Entries(n),
            },
            Section::Expectations => NewsItem::Tab(DossierTab::Expectations),
            Section::Agreement => NewsItem::Tab(DossierTab::Agreement),
            Section::Conversations => NewsItem::Tab(DossierTab::Conversations),
            Section::Prompts | Section::Sources => NewsItem::Tab(DossierTab::Together),
            Section::Measurement => NewsItem::Tab(DossierTab::Measurement),
            Section::Members | Section::Dossier => continue,
        };
        if !items.contains(&item) {
            items.push(item);
        }
    }
    items
}

/// The news as one line of text, for a row of the class overview (which
/// is a link itself, so it holds no links).
#[component]
pub fn NewsLine(items: Vec<NewsItem>) -> impl IntoView {
    let locale = use_locale();
    (!items.is_empty()).then(move || {
        view! {
            <span class="news-line" data-testid="news-line">
                <span class="badge">{locale.t(NewsWords::Label)}</span>
                " "
                {move || {
                    let lang = locale.lang().get();
                    items.iter().map(|i| i.text(lang)).collect::<Vec<_>>().join(" · ")
                }}
            </span>
        }
    })
}

/// The news on a dossier's home, each a link to its page; show it only
/// when there is news.
#[component]
pub fn NewsCard(dossier: String, items: Signal<Vec<NewsItem>>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="card news-card" aria-labelledby="news-title" data-testid="news-card">
            <h2 id="news-title">{locale.t(NewsWords::Title)}</h2>
            <ul class="news-list">
                {move || {
                    items
                        .get()
                        .into_iter()
                        .map(|item| {
                            let href = item.tab().path(&dossier);
                            view! {
                                <li>
                                    <a href=href>{move || item.text(locale.lang().get())}</a>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use driehoek_core::model::Touched;

    fn unseen(sections: &[&str], new_entries: u64) -> Unseen {
        Unseen {
            sections: sections.iter().map(|s| s.to_string()).collect(),
            new_entries,
        }
    }

    #[test]
    fn new_entries_are_counted() {
        let items = news_items(&unseen(&["logbook"], 3));
        assert_eq!(items, vec![NewsItem::Entries(3)]);
    }

    #[test]
    fn a_changed_logbook_without_new_entries_says_reactions() {
        let items = news_items(&unseen(&["logbook"], 0));
        assert_eq!(items, vec![NewsItem::LogbookChanged]);
    }

    #[test]
    fn prompts_and_sources_are_one_item_in_tab_order() {
        let items = news_items(&unseen(
            &["sources", "agreement", "prompts", "expectations"],
            0,
        ));
        assert_eq!(
            items,
            vec![
                NewsItem::Tab(DossierTab::Expectations),
                NewsItem::Tab(DossierTab::Agreement),
                NewsItem::Tab(DossierTab::Together),
            ]
        );
    }

    #[test]
    fn names_from_a_newer_app_and_member_changes_are_not_news() {
        let mut u = unseen(&["photos"], 0);
        u.merge(&Unseen::of_changes(
            &automerge::AutoCommit::new(),
            &[],
            &Touched {
                items: [(Section::Members, None), (Section::Dossier, None)].into(),
            },
        ));
        assert!(news_items(&u).is_empty());
        assert!(u.is_empty());
    }
}
