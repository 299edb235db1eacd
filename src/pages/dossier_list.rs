use driehoek_wire::invite::{Invite, InviteError};
use leptos::prelude::*;

use crate::components::form_error::FormError;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::components::news::{NewsItem, NewsLine, news_items};
use crate::i18n::{Lang, NewsWords, PeopleWords, Phrase, Text, use_locale};
use crate::platform::clock::today;
use crate::platform::invite;
use crate::storage::prefs;
use crate::store::{DossierListing, use_store};
use driehoek_core::model::commands::NewDossier;
use driehoek_core::model::{Role, SchoolYear};

use super::section::day_text;
use crate::i18n::messages::store_error_text;

/// The first screen: the dossiers on this device, and making a new one.
/// Until the first dossier is made or joined it explains how to start.
#[component]
pub fn DossierListPage() -> impl IntoView {
    let locale = use_locale();
    let store = use_store();
    let list = store.list();
    let creating = RwSignal::new(false);
    let has_dossiers = move || list.get().is_some_and(|l| !l.is_empty());
    let join_error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let join = Callback::new(move |text: String| {
        let lang = locale.lang().get_untracked();
        let invite = match Invite::parse(&text) {
            Ok(invite) => invite,
            Err(e) => {
                join_error.set(Some(invite_error_text(e, lang).into()));
                return;
            }
        };
        join_error.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match store.join(&invite.secret, invite.epoch).await {
                Ok(id) => {
                    if let Some(made_for) = invite.made_for {
                        prefs::set_invited_as(&id, made_for.as_str());
                    }
                    navigate(
                        &format!("/d/{id}"),
                        NavigateOptions {
                            replace: true,
                            ..Default::default()
                        },
                    );
                }
                Err(e) => join_error.set(Some(store_error_text(&e, lang))),
            }
        });
    });
    // An invite link opened here: join, then show the dossier.
    if let Some(text) = invite::take_join_fragment() {
        join.run(text);
    }
    view! {
        <section class="page dossier-list-page" aria-labelledby="dossiers-title">
            <h1 id="dossiers-title">{locale.t(Text::DossiersTitle)}</h1>
            {move || join_error.get().map(|message| view! {
                <p class="notice warn" role="alert" data-testid="join-error">{message}</p>
            })}
            <ClassOverview list=list />
            <Show when=move || list.get().is_some() && !has_dossiers()>
                <div class="empty-state" data-testid="empty-dossiers">
                    <p class="empty-lead">{locale.t(Text::NoDossiersYet)}</p>
                    <h2>{locale.t(Text::HowToStartTitle)}</h2>
                    <ul class="how-to-start">
                        <li>{locale.t(Text::HowToStartTeacher)}</li>
                        <li>{locale.t(Text::HowToStartParent)}</li>
                        <li>{locale.t(Text::HowToStartInvite)}</li>
                    </ul>
                </div>
            </Show>
            <Show
                when=move || creating.get()
                fallback=move || {
                    view! {
                        <p class="actions">
                            <button
                                type="button"
                                class="button primary"
                                data-testid="start-create"
                                on:click=move |_| creating.set(true)
                            >
                                {locale.t(Text::NewDossier)}
                            </button>
                        </p>
                    }
                }
            >
                <NewDossierForm on_cancel=Callback::new(move |()| creating.set(false)) />
            </Show>
            <PasteInvite on_join=join />
        </section>
    }
}

/// The dossiers on this device, one row per child with what is new since
/// the last visit; a teacher's children grouped per class. Read from the
/// stored summaries: no document is loaded for it.
#[component]
fn ClassOverview(list: Signal<Option<Vec<DossierListing>>>) -> impl IntoView {
    let locale = use_locale();
    let only_news = RwSignal::new(false);
    let rows = Memo::new(move |_| {
        let mut rows: Vec<OverviewRow> = list
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(OverviewRow::of)
            .collect();
        sort_rows(&mut rows);
        rows
    });
    let with_news =
        Memo::new(move |_| rows.with(|r| r.iter().filter(|r| !r.news.is_empty()).count()));
    let total = Memo::new(move |_| rows.with(Vec::len));
    let groups = Memo::new(move |_| {
        // The switch shows only with more than one child.
        let only = only_news.get() && total.get() > 1;
        rows.with(|r| {
            group_rows(
                r.iter()
                    .filter(|row| !only || !row.news.is_empty())
                    .cloned()
                    .collect(),
            )
        })
    });
    // Headings per class only when the device holds more than one class.
    let several_groups = Memo::new(move |_| {
        rows.with(|r| {
            r.iter()
                .map(|row| row.group_key())
                .collect::<std::collections::BTreeSet<_>>()
                .len()
                > 1
        })
    });
    view! {
        <Show when=move || { total.get() > 1 }>
            <div class="overview-bar" data-testid="overview-bar">
                <p class="overview-count" aria-live="polite" data-testid="overview-count">
                    {move || {
                        let lang = locale.lang().get();
                        match with_news.get() {
                            0 => NewsWords::NoneWithNews.text(lang).to_string(),
                            1 => NewsWords::WithNewsOne
                                .text(lang)
                                .replace("{total}", &total.get().to_string()),
                            n => NewsWords::WithNews
                                .text(lang)
                                .replace("{n}", &n.to_string())
                                .replace("{total}", &total.get().to_string()),
                        }
                    }}
                </p>
                <label class="check">
                    <input
                        type="checkbox"
                        data-testid="only-news"
                        prop:checked=only_news
                        on:change=move |ev| only_news.set(event_target_checked(&ev))
                    />
                    <span>{locale.t(NewsWords::OnlyWithNews)}</span>
                </label>
            </div>
        </Show>
        <div class="dossier-list" data-testid="dossier-list">
            <For
                each=move || groups.get()
                key=|g| g.clone()
                children=move |group: OverviewGroup| {
                    let name = group.name.clone();
                    let label = move || {
                        if name.is_empty() {
                            NewsWords::NoGroup.text(locale.lang().get()).to_string()
                        } else {
                            name.clone()
                        }
                    };
                    let heading = label.clone();
                    view! {
                        <section class="dossier-group" aria-label=heading>
                            <Show when=move || several_groups.get()>
                                <h2 class="group-title">{label.clone()}</h2>
                            </Show>
                            <ul class="dossier-rows">
                                {group
                                    .rows
                                    .into_iter()
                                    .map(|row| view! { <DossierRow row=row /> })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                }
            />
        </div>
    }
}

/// One child's row, as the overview shows it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct OverviewRow {
    listing: DossierListing,
    news: Vec<NewsItem>,
}

impl OverviewRow {
    fn of(listing: DossierListing) -> Self {
        let news = news_items(&listing.meta.unseen);
        OverviewRow { listing, news }
    }

    fn name(&self) -> String {
        self.listing.meta.summary.child_name.to_lowercase()
    }

    fn group_key(&self) -> String {
        self.listing.meta.summary.group.trim().to_lowercase()
    }
}

/// A class and its children.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct OverviewGroup {
    name: String,
    rows: Vec<OverviewRow>,
}

/// Per class (in the order of their names, "groep 5" before "groep 6"),
/// then per child by name.
fn sort_rows(rows: &mut [OverviewRow]) {
    rows.sort_by(|a, b| {
        natural_key(&a.group_key())
            .cmp(&natural_key(&b.group_key()))
            .then_with(|| a.name().cmp(&b.name()))
    });
}

/// Sorted rows, cut into runs of one class.
fn group_rows(rows: Vec<OverviewRow>) -> Vec<OverviewGroup> {
    let mut groups: Vec<OverviewGroup> = Vec::new();
    for row in rows {
        match groups.last_mut() {
            Some(g)
                if g.rows
                    .first()
                    .is_some_and(|f| f.group_key() == row.group_key()) =>
            {
                g.rows.push(row)
            }
            _ => groups.push(OverviewGroup {
                name: row.listing.meta.summary.group.trim().to_string(),
                rows: vec![row],
            }),
        }
    }
    groups
}

/// Numbers in a name compare as numbers: "groep 10" after "groep 9".
fn natural_key(text: &str) -> Vec<(String, u64)> {
    let mut parts = Vec::new();
    let mut word = String::new();
    let mut number: Option<u64> = None;
    for c in text.chars() {
        match (c.to_digit(10), number) {
            (Some(d), n) => {
                number = Some(
                    n.unwrap_or(0)
                        .saturating_mul(10)
                        .saturating_add(u64::from(d)),
                )
            }
            (None, Some(n)) => {
                parts.push((std::mem::take(&mut word), n));
                number = None;
                word.push(c);
            }
            (None, None) => word.push(c),
        }
    }
    parts.push((word, number.unwrap_or(0)));
    parts
}

#[component]
fn DossierRow(row: OverviewRow) -> impl IntoView {
    let locale = use_locale();
    let listing = row.listing;
    let summary = listing.meta.summary.clone();
    let href = format!("/d/{}", listing.id);
    let name = if summary.child_name.is_empty() {
        "…".to_string()
    } else {
        summary.child_name.clone()
    };
    let count = summary.entry_count;
    let group = summary.group.clone();
    let last = summary.last_activity;
    let has_news = !row.news.is_empty();
    view! {
        <li class="dossier-row" class:has-news=has_news data-testid="dossier-row">
            <a href=href>
                <span class="dossier-name">{name}</span>
                <span class="dossier-meta">
                    {group}
                    " · "
                    {move || match count {
                        1 => locale.t(Text::EntryCountOne)().to_string(),
                        n => locale.t(Text::EntryCount)().replace("{n}", &n.to_string()),
                    }}
                    {move || {
                        let lang = locale.lang().get();
                        let day = day_text(last, lang);
                        (last > 0 && !day.is_empty())
                            .then(|| format!(" · {}", Text::LastActivity.get(lang).replace("{date}", &day)))
                    }}
                </span>
                <NewsLine items=row.news />
            </a>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DossierMeta, DossierSummary, Unseen};
    use driehoek_core::model::Id;

    fn row(name: &str, group: &str, unseen: &[&str]) -> OverviewRow {
        OverviewRow::of(DossierListing {
            id: Id::new(format!("{:0>32}", name.len())).unwrap_or_else(|_| unreachable!()),
            meta: DossierMeta {
                summary: DossierSummary {
                    child_name: name.into(),
                    group: group.into(),
                    ..Default::default()
                },
                unseen: Unseen {
                    sections: unseen.iter().map(|s| s.to_string()).collect(),
                    new_entries: 0,
                },
                ..Default::default()
            },
        })
    }

    #[test]
    fn classes_sort_by_their_number_and_children_by_name() {
        let mut rows = vec![
            row("Sem", "groep 10", &[]),
            row("noor", "Groep 9", &["agreement"]),
            row("Anna", "groep 9 ", &[]),
        ];
        sort_rows(&mut rows);
        let groups = group_rows(rows);
        let names: Vec<(String, Vec<String>)> = groups
            .iter()
            .map(|g| {
                (
                    g.name.clone(),
                    g.rows
                        .iter()
                        .map(|r| r.listing.meta.summary.child_name.clone())
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            names,
            vec![
                (
                    "groep 9".to_string(),
                    vec!["Anna".to_string(), "noor".to_string()]
                ),
                ("groep 10".to_string(), vec!["Sem".to_string()]),
            ]
        );
        assert!(groups[0].rows[1].news.contains(&NewsItem::Tab(
            crate::components::dossier_nav::DossierTab::Agreement
        )));
    }
}

/// The school year a dossier made today belongs to (August starts one).
fn current_school_year() -> Option<SchoolYear> {
    let today = today()?;
    let start = if today.month() >= 8 {
        today.year()
    } else {
        today.year().saturating_sub(1)
    };
    SchoolYear::starting(start).ok()
}

#[component]
fn NewDossierForm(on_cancel: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let store = use_store();
    let navigate = use_navigate();
    let child = RwSignal::new(String::new());
    let group = RwSignal::new(String::new());
    let my_name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Parent);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(school_year) = current_school_year() else {
            return;
        };
        let new = NewDossier {
            child_name: child.get_untracked().trim().to_string(),
            group: group.get_untracked().trim().to_string(),
            school_year,
            creator_name: my_name.get_untracked().trim().to_string(),
            creator_role: role.get_untracked(),
        };
        if new.child_name.is_empty() || new.group.is_empty() || new.creator_name.is_empty() {
            error.set(Some(
                Text::FillInNames.get(locale.lang().get_untracked()).into(),
            ));
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match store.create(new).await {
                Ok((id, person)) => {
                    prefs::set_person(&id, &person);
                    navigate(&format!("/d/{id}"), Default::default());
                }
                Err(e) => {
                    error.set(Some(store_error_text(&e, locale.lang().get_untracked())));
                    busy.set(false);
                }
            }
        });
    };

    let roles = [Role::Parent, Role::Teacher, Role::Coordinator];
    view! {
        <form class="card form" on:submit=submit data-testid="new-dossier-form">
            <h2>{locale.t(Text::NewDossier)}</h2>
            <label>
                <span>{locale.t(Text::ChildName)}</span>
                <input
                    type="text"
                    required
                    maxlength="200"
                    autocomplete="off"
                    data-testid="child-name"
                    prop:value=child
                    on:input=move |ev| child.set(event_target_value(&ev))
                />
            </label>
            <label>
                <span>{locale.t(Text::Group)}</span>
                <input
                    type="text"
                    required
                    maxlength="200"
                    autocomplete="off"
                    data-testid="group"
                    prop:value=group
                    on:input=move |ev| group.set(event_target_value(&ev))
                />
            </label>
            <label>
                <span>{locale.t(Text::YourName)}</span>
                <input
                    type="text"
                    required
                    maxlength="200"
                    autocomplete="name"
                    data-testid="my-name"
                    prop:value=my_name
                    on:input=move |ev| my_name.set(event_target_value(&ev))
                />
            </label>
            <fieldset class="choice">
                <legend>{locale.t(Text::YouAre)}</legend>
                {roles
                    .into_iter()
                    .map(|r| {
                        let r2 = r.clone();
                        let r3 = r.clone();
                        view! {
                            <label class="choice-option">
                                <input
                                    type="radio"
                                    name="role"
                                    data-role=format!("{r:?}").to_lowercase()
                                    prop:checked=move || role.get() == r2
                                    on:change=move |_| role.set(r3.clone())
                                />
                                <span>{move || crate::i18n::messages::role_text(&r, locale.lang().get())}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <FormError error=error />
            <p class="actions">
                <button type="submit" class="button primary" data-testid="create-dossier" disabled=busy>
                    {locale.t(Text::MakeDossier)}
                </button>
                <button type="button" class="button" on:click=move |_| on_cancel.run(())>
                    {locale.t(Text::Cancel)}
                </button>
            </p>
        </form>
    }
}

/// What is wrong with a pasted or opened invite link, in plain words.
pub fn invite_error_text(error: InviteError, lang: Lang) -> &'static str {
    match error {
        InviteError::NotAnInvite => PeopleWords::InviteNotALink.text(lang),
        InviteError::Incomplete => PeopleWords::InviteIncomplete.text(lang),
        InviteError::Damaged => PeopleWords::InviteDamaged.text(lang),
    }
}

/// "Paste an invite link": an app on an iPhone's home screen does not
/// share storage with Safari, so a link opened in the browser does not
/// reach it; pasting it here does.
#[component]
fn PasteInvite(on_join: Callback<String>) -> impl IntoView {
    let locale = use_locale();
    let text = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_join.run(text.get_untracked());
    };
    view! {
        <form class="card form paste-invite" on:submit=submit data-testid="paste-invite">
            <h2>{locale.t(PeopleWords::PasteTitle)}</h2>
            <p class="hint">{locale.t(PeopleWords::PasteHint)}</p>
            <label>
                <span>{locale.t(PeopleWords::PasteLabel)}</span>
                <input
                    type="text"
                    inputmode="url"
                    autocomplete="off"
                    spellcheck="false"
                    data-testid="paste-invite-link"
                    prop:value=text
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
            </label>
            <p class="actions">
                <button type="submit" class="button" data-testid="paste-invite-join">
                    {locale.t(PeopleWords::PasteGo)}
                </button>
            </p>
        </form>
    }
}
