//! One logbook entry in full; its author can change or delete it.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::components::entry_form::EntryEditor;
use crate::i18n::{Text, use_locale};
use crate::model::commands::{EntryEdit, delete_entry, edit_entry};
use crate::model::{Id, PersonId, Section, read};
use crate::storage::prefs;
use crate::store::DraftSlot;
use crate::store::{LiveDossier, use_store};

use super::dossier::{DossierWarnings, use_dossier_from_route};
use super::messages::{kind_picture, kind_text, model_error_text, role_text};

#[component]
pub fn EntryPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let entry = Memo::new(move |_| params.read().get("entry").and_then(|s| Id::new(s).ok()));
    let (_, dossier) = use_dossier_from_route();
    view! {
        <section class="page entry-page">
            {move || match (dossier.get(), entry.get()) {
                (None, _) => view! { <p class="loading">{locale.t(Text::Loading)}</p> }.into_any(),
                (Some(Err(message)), _) => view! { <p class="card" role="alert">{message}</p> }.into_any(),
                (Some(Ok(_)), None) => view! { <p class="card" role="alert">{locale.t(Text::EntryGone)}</p> }.into_any(),
                (Some(Ok(live)), Some(id)) => view! { <EntryView live=live entry=id /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn EntryView(live: LiveDossier, entry: Id) -> impl IntoView {
    let locale = use_locale();
    let store = use_store();
    let navigate = use_navigate();
    let dossier = live.id();
    let back = format!("/d/{dossier}");
    let person = prefs::person(&dossier);
    let id = entry.clone();
    let shown = Memo::new(move |_| {
        live.read(Section::Logbook, |d| {
            read::logbook_entry(d, &id).ok().flatten()
        })
    });
    let members =
        Memo::new(move |_| live.read(Section::Members, |d| read::members(d).unwrap_or_default()));
    let editing = RwSignal::new(false);
    // The editor hands over text; the page turns it into the model command.
    let commit_as = {
        let entry = entry.clone();
        move |person: PersonId| {
            let entry = entry.clone();
            Callback::new(move |(text, drafts): (String, Vec<DraftSlot>)| {
                let edit = EntryEdit {
                    body: Some(text),
                    ..Default::default()
                };
                live.change_from_drafts(&person, &drafts, |doc, ctx| {
                    edit_entry(doc, ctx, &entry, &edit)
                })
                .map_err(|e| model_error_text(&e, locale.lang().get_untracked()))
            })
        }
    };
    let error = RwSignal::new(None::<String>);
    // A draft of an edit left by a crash reopens the editor with it.
    let restored = RwSignal::new(None);
    let (d, e) = (dossier.clone(), entry.clone());
    leptos::task::spawn_local(async move {
        let draft = store
            .drafts(&d)
            .await
            .into_iter()
            .filter(|(s, draft)| s.target == e && draft.editing)
            .max_by_key(|(_, draft)| draft.updated_at);
        if draft.is_some() {
            restored.set(draft);
            editing.set(true);
        }
    });

    let mine = {
        let person = person.clone();
        move || {
            shown.with(|e| {
                e.as_ref()
                    .is_some_and(|e| Some(&e.author) == person.as_ref())
            })
        }
    };
    let on_delete = {
        let person = person.clone();
        let entry = entry.clone();
        let back = back.clone();
        move |_| {
            let lang = locale.lang().get_untracked();
            let Some(p) = person.clone() else { return };
            let confirmed = window()
                .confirm_with_message(Text::ConfirmDelete.get(lang))
                .unwrap_or(false);
            if !confirmed {
                return;
            }
            match live.change(&p, |doc, ctx| delete_entry(doc, ctx, &entry)) {
                Ok(()) => navigate(&back, Default::default()),
                Err(e) => error.set(Some(model_error_text(&e, lang))),
            }
        }
    };

    view! {
        <p><a href=back.clone() class="back-link">"← " {locale.t(Text::Logbook)}</a></p>
        <DossierWarnings live=live />
        {move || match shown.get() {
            None => view! { <p class="card" role="alert" data-testid="entry-gone">{locale.t(Text::EntryGone)}</p> }.into_any(),
            Some(e) => {
                let author = members.with(|m| m.get(&e.author).cloned());
                let kind = e.kind.clone();
                view! {
                    <article class="card entry-full" class:positive=e.kind == crate::model::EntryKind::PositiveNote data-testid="entry-full">
                        <header>
                            <span class="entry-picture" aria-hidden="true">{kind_picture(&e.kind)}</span>
                            <span class="entry-kind">{move || kind_text(&kind, locale.lang().get())}</span>
                            <span class="entry-date">{e.date.to_string()}</span>
                        </header>
                        <p class="entry-author">
                            {author.as_ref().map(|a| a.name.clone()).unwrap_or_default()}
                            {author.map(|a| view! { " (" {move || role_text(&a.role, locale.lang().get())} ")" })}
                        </p>
                        <p class="entry-body" data-testid="entry-body-full">{e.body.clone()}</p>
                        {(!e.conflicts.is_empty()).then(|| view! {
                            <p class="notice warn" role="status">{locale.t(Text::TwoVersionsExplained)}</p>
                        })}
                    </article>
                }
                    .into_any()
            }
        }}
        <Show when=move || error.get().is_some()>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </Show>
        <Show when=mine>
            {
                let person = person.clone();
                let entry = entry.clone();
                let on_delete = on_delete.clone();
                let commit_as = commit_as.clone();
                move || {
                    let Some(p) = person.clone() else { return ().into_any() };
                    if editing.get() {
                        let initial = shown.get_untracked().map(|e| e.body).unwrap_or_default();
                        view! {
                            <EntryEditor
                                dossier=live.id()
                                entry=entry.clone()
                                initial=initial
                                on_commit=commit_as(p)
                                restored=restored.get_untracked()
                                on_done=Callback::new(move |()| {
                                    restored.set(None);
                                    editing.set(false);
                                })
                            />
                        }
                            .into_any()
                    } else {
                        view! {
                            <p class="actions">
                                <button type="button" class="button" data-testid="edit-entry" on:click=move |_| editing.set(true)>
                                    {locale.t(Text::Edit)}
                                </button>
                                <button type="button" class="button danger" data-testid="delete-entry" on:click=on_delete.clone()>
                                    {locale.t(Text::Delete)}
                                </button>
                            </p>
                        }
                            .into_any()
                    }
                }
            }
        </Show>
    }
}
