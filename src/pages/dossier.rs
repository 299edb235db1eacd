//! One child's dossier: who is writing, the new-entry form and the logbook.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::entry_form::NewEntryForm;
use crate::components::logbook_list::{EntryRow, LogbookList};
use crate::i18n::{Text, use_locale};
use crate::model::{Id, PersonId, Section, read};
use crate::storage::prefs;
use crate::store::{LiveDossier, use_store};

use super::messages::{role_text, store_error_text, warning_text};

/// The dossier named in the address, loaded once per app session.
pub fn use_dossier_from_route() -> (Memo<Option<Id>>, LocalResource<Result<LiveDossier, String>>) {
    let params = use_params_map();
    let store = use_store();
    let locale = use_locale();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| Id::new(s).ok()));
    let dossier = LocalResource::new(move || {
        let id = id.get();
        async move {
            let lang = locale.lang().get_untracked();
            match id {
                Some(id) => store
                    .open(&id)
                    .await
                    .map_err(|e| store_error_text(&e, lang)),
                None => Err(Text::DossierNotHere.get(lang).to_string()),
            }
        }
    });
    (id, dossier)
}

#[component]
pub fn DossierPage() -> impl IntoView {
    let locale = use_locale();
    let (_, dossier) = use_dossier_from_route();
    view! {
        <section class="page dossier-page">
            {move || match dossier.get() {
                None => view! { <p class="loading">{locale.t(Text::Loading)}</p> }.into_any(),
                Some(Err(message)) => {
                    view! {
                        <div class="card" role="alert" data-testid="dossier-error">
                            <p>{message}</p>
                            <a class="button" href="/">{locale.t(Text::BackToStart)}</a>
                        </div>
                    }
                        .into_any()
                }
                Some(Ok(live)) => view! { <DossierView live=live /> }.into_any(),
            }}
        </section>
    }
}

/// What opening found, shown above the dossier.
#[component]
pub fn DossierWarnings(live: LiveDossier) -> impl IntoView {
    let locale = use_locale();
    let warnings = live.warnings();
    view! {
        <Show when=move || !warnings.get().is_empty()>
            <div class="notice warn" role="status" data-testid="store-warnings">
                <ul>
                    {move || {
                        let lang = locale.lang().get();
                        warnings
                            .get()
                            .iter()
                            .map(|w| view! { <li>{warning_text(w, lang)}</li> })
                            .collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}

#[component]
fn DossierView(live: LiveDossier) -> impl IntoView {
    let locale = use_locale();
    let id = live.id();
    let person = RwSignal::new(prefs::person(&id));
    live.record_visit();

    let summary =
        Memo::new(move |_| live.read(Section::Dossier, |d| read::dossier_summary(d).ok()));
    let members =
        Memo::new(move |_| live.read(Section::Members, |d| read::members(d).unwrap_or_default()));
    let me = Memo::new(move |_| {
        let p = person.get()?;
        members.with(|m| m.get(&p).cloned())
    });
    let rows = Memo::new(move |_| {
        let book = live.read(Section::Logbook, |d| {
            read::logbook_entries(d).unwrap_or_default()
        });
        let me = person.get();
        members.with(|m| {
            book.entries
                .iter()
                .map(|e| EntryRow::of(e, m, me.as_ref()))
                .collect::<Vec<_>>()
        })
    });
    let read_only = live.is_read_only();
    let choose = Callback::new(move |p: PersonId| {
        prefs::set_person(&id, &p);
        person.set(Some(p));
    });
    let dossier_id = live.id();

    view! {
        <header class="dossier-head">
            <h1 data-testid="child-name">
                {move || summary.get().map(|s| s.child_name).unwrap_or_default()}
            </h1>
            <p class="dossier-sub">
                {move || {
                    summary.get().map(|s| format!("{} · {}", s.group, s.school_year)).unwrap_or_default()
                }}
            </p>
        </header>
        <DossierWarnings live=live />
        <Show when=move || read_only>
            <p class="notice warn" role="status">{locale.t(Text::ReadOnlyDossier)}</p>
        </Show>
        {move || match me.get() {
            Some(m) => {
                view! {
                    <p class="writing-as" data-testid="writing-as">
                        {locale.t(Text::YouWriteAs)}
                        " "
                        <strong>{m.name.clone()}</strong>
                        " ("
                        {move || role_text(&m.role, locale.lang().get())}
                        ") "
                        <button type="button" class="link-button" on:click=move |_| person.set(None)>
                            {locale.t(Text::NotYou)}
                        </button>
                    </p>
                }
                    .into_any()
            }
            None => view! { <PersonChooser members=members on_choose=choose /> }.into_any(),
        }}
        <Show when=move || me.get().is_some() && !read_only>
            <NewEntryForm
                live=live
                dossier=dossier_id.clone()
                person=Signal::derive(move || person.get())
            />
        </Show>
        <h2 class="logbook-title">
            {locale.t(Text::Logbook)}
            " "
            <span class="count" data-testid="entry-count">
                {move || rows.with(Vec::len)}
            </span>
        </h2>
        <LogbookList rows=rows.into() dossier=live.id() />
    }
}

/// "Who are you?": a device may be used by a parent and the child.
#[component]
fn PersonChooser(members: Memo<read::Members>, on_choose: Callback<PersonId>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="card person-chooser" data-testid="person-chooser">
            <h2>{locale.t(Text::WhoAreYou)}</h2>
            <div class="choices">
                {move || {
                    members
                        .get()
                        .people
                        .into_iter()
                        .map(|m| {
                            let id = m.id.clone();
                            let role = m.role.clone();
                            view! {
                                <button
                                    type="button"
                                    class="button"
                                    on:click=move |_| on_choose.run(id.clone())
                                >
                                    {m.name.clone()}
                                    " ("
                                    {move || role_text(&role, locale.lang().get())}
                                    ")"
                                </button>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </div>
    }
}
