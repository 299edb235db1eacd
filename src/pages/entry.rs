//! One logbook entry in full; its author can change or delete it.

use leptos::prelude::*;

use crate::components::form_error::FormError;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::components::entry_form::EntryEditor;
use crate::i18n::{Phrase, Text, Words, use_locale};
use crate::storage::prefs;
use crate::store::DraftSlot;
use crate::store::{LiveDossier, use_store};
use driehoek_core::model::commands::{
    EntryEdit, comment_on_entry, delete_entry, delete_entry_comment, edit_entry, react, unreact,
};
use driehoek_core::model::{Id, PersonId, Section, read};

use super::route::{DossierWarnings, use_dossier_from_route};
use super::section::{People, day_text};
use crate::i18n::messages::{kind_picture, kind_text, model_error_text, role_text};

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
                    <article class="card entry-full" class:positive=e.kind == driehoek_core::model::EntryKind::PositiveNote data-testid="entry-full">
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
                    <EntryVersions live=live entry=e.clone() />
                }
                    .into_any()
            }
        }}
        <FormError error=error />
        <EntryResponses live=live entry=entry.clone() shown=shown.into() />
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

/// The reactions people may give: few and friendly, big enough for a
/// child's finger.
const REACTIONS: [&str; 4] = ["👍", "❤️", "🌟", "👏"];

/// Comments and reactions under an entry: the teacher reacts to what
/// the family wrote, the family to what school wrote.
#[component]
fn EntryResponses(
    live: LiveDossier,
    entry: Id,
    shown: Signal<Option<read::LogbookEntry>>,
) -> impl IntoView {
    let locale = use_locale();
    let people = People::of(live);
    let body = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let can_write = move || people.me.get().is_some() && !live.is_read_only();
    let entry = StoredValue::new(entry);
    let act = move |f: &dyn Fn(&PersonId) -> Result<(), driehoek_core::model::ModelError>| -> bool {
        let lang = locale.lang().get_untracked();
        let Some(p) = people.person.get_value() else {
            error.set(Some(Words::ChooseWhoFirst.text(lang).into()));
            return false;
        };
        match f(&p) {
            Ok(()) => {
                error.set(None);
                true
            }
            Err(e) => {
                error.set(Some(model_error_text(&e, lang)));
                false
            }
        }
    };
    let post = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = body.get_untracked().trim().to_string();
        let done = act(&|p| {
            let comment = Id::random()?;
            live.change(p, |doc, ctx| {
                comment_on_entry(doc, ctx, &entry.get_value(), &comment, &text)
            })
        });
        if done {
            body.set(String::new());
        }
    };
    view! {
        <section class="card responses" data-testid="entry-responses">
            <div class="reactions" role="group" aria-label=locale.t(Words::ReactionsLabel)>
                {REACTIONS
                    .into_iter()
                    .map(|emoji| {
                        let given = move || {
                            let me = people.person.get_value();
                            shown.with(|e| {
                                e.as_ref()
                                    .and_then(|e| e.reactions.iter().find(|r| r.emoji == emoji))
                                    .map(|r| (r.persons.len(), me.is_some_and(|m| r.persons.contains(&m))))
                                    .unwrap_or((0, false))
                            })
                        };
                        view! {
                            <button
                                type="button"
                                class="reaction"
                                data-testid="reaction"
                                data-emoji=emoji
                                aria-pressed=move || given().1.to_string()
                                disabled=move || !can_write()
                                on:click=move |_| {
                                    let mine = given().1;
                                    act(&|p| {
                                        live.change(p, |doc, ctx| {
                                            if mine {
                                                unreact(doc, ctx, &entry.get_value(), emoji)
                                            } else {
                                                react(doc, ctx, &entry.get_value(), emoji)
                                            }
                                        })
                                    });
                                }
                            >
                                // The emoji is the button's name: screen
                                // readers say it in the reader's language.
                                <span>{emoji}</span>
                                <span class="reaction-count">{move || match given().0 { 0 => String::new(), n => n.to_string() }}</span>
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <h2>{locale.t(Words::CommentsTitle)}</h2>
            <ul class="comments" data-testid="entry-comments">
                {move || {
                    let lang = locale.lang().get();
                    let comments = shown.get().map(|e| e.comments).unwrap_or_default();
                    if comments.is_empty() {
                        return view! { <li class="hint">{Words::NoCommentsYet.text(lang)}</li> }.into_any();
                    }
                    let me = people.person.get_value();
                    comments
                        .into_iter()
                        .map(|c| {
                            let role = people.members.with(|m| m.get(&c.author).map(|m| m.role.clone()));
                            let school = role.as_ref().and_then(|r| r.party()) == Some(driehoek_core::model::Party::School);
                            let own = me.as_ref() == Some(&c.author);
                            let id = c.id.clone();
                            view! {
                                <li class="comment" class:from-school=school data-testid="entry-comment">
                                    <strong>{people.name(Some(&c.author), lang)}</strong>
                                    {role.map(|r| format!(" ({})", role_text(&r, lang)))}
                                    " · "
                                    <span class="hint">{day_text(c.at, lang)}</span>
                                    <p>{c.body.clone()}</p>
                                    {own.then(|| view! {
                                        <button
                                            type="button"
                                            class="link-button"
                                            on:click=move |_| {
                                                act(&|p| live.change(p, |doc, ctx| delete_entry_comment(doc, ctx, &entry.get_value(), &id)));
                                            }
                                        >
                                            {Words::RemoveComment.text(lang)}
                                        </button>
                                    })}
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
            <Show when=can_write>
                <form class="form reply" on:submit=post>
                    <label>
                        <span>{locale.t(Words::YourComment)}</span>
                        <textarea
                            rows="3"
                            maxlength="20000"
                            data-testid="comment-body"
                            prop:value=body
                            on:input=move |ev| body.set(event_target_value(&ev))
                        ></textarea>
                    </label>
                    <button type="submit" class="button primary" data-testid="post-comment">
                        {locale.t(Words::PostComment)}
                    </button>
                </form>
            </Show>
            <FormError error=error />
        </section>
    }
}

/// Both texts of an entry two devices changed at once, side by side; the
/// author keeps one (writing it again resolves the conflict).
#[component]
fn EntryVersions(live: LiveDossier, entry: read::LogbookEntry) -> impl IntoView {
    let locale = use_locale();
    let person = prefs::person(&live.id());
    let Some(conflict) = entry.conflicts.iter().find(|c| c.field == "body").cloned() else {
        return ().into_any();
    };
    let mine = person.as_ref() == Some(&entry.author);
    let error = RwSignal::new(None::<String>);
    let id = StoredValue::new(entry.id.clone());
    let person = StoredValue::new(person);
    view! {
        <section class="card versions" data-testid="entry-versions">
            {conflict
                .values
                .into_iter()
                .enumerate()
                .map(|(i, text)| {
                    let keep = text.clone();
                    view! {
                        <div class="version">
                            <h3>{move || Words::VersionN.text(locale.lang().get()).replace("{n}", &(i + 1).to_string())}</h3>
                            <p class="entry-body">{text}</p>
                            {mine.then(|| view! {
                                <button
                                    type="button"
                                    class="button"
                                    data-testid="keep-version"
                                    on:click=move |_| {
                                        let lang = locale.lang().get_untracked();
                                        let Some(p) = person.get_value() else { return };
                                        let edit = EntryEdit { body: Some(keep.clone()), ..Default::default() };
                                        let outcome = live.change(&p, |doc, ctx| edit_entry(doc, ctx, &id.get_value(), &edit));
                                        error.set(outcome.err().map(|e| model_error_text(&e, lang)));
                                    }
                                >
                                    {locale.t(Words::KeepThisVersion)}
                                </button>
                            })}
                        </div>
                    }
                })
                .collect_view()}
            <FormError error=error />
        </section>
    }
    .into_any()
}
