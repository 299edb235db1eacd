//! Writing in the logbook: a new entry in two taps (kind, text), and
//! changing your own entry. Every keystroke is saved as a draft; a new
//! entry becomes an entry when the person saves it, an edit is committed
//! on save, when the field loses focus, or after a second without typing.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{Text, use_locale};
use crate::model::commands::{EntryEdit, NewEntry, add_entry, edit_entry};
use crate::model::{EntryKind, Id, PersonId};
use crate::pages::messages::{kind_picture, kind_text, model_error_text};
use crate::platform::clock::{now_ms, today};
use crate::store::{Draft, DraftSlot, LiveDossier, use_store};

/// How long typing must pause before an edit is committed: a commit per
/// keystroke would cost megabytes of history, the draft already keeps
/// every keystroke.
pub const IDLE_COMMIT: Duration = Duration::from_secs(1);

fn fresh_slot(dossier: &Id) -> Option<DraftSlot> {
    let target = Id::random().ok()?;
    DraftSlot::new(dossier.clone(), target).ok()
}

#[component]
pub fn NewEntryForm(
    /// `None` while the document loads: typing (and the draft) works
    /// already, saving waits.
    live: Signal<Option<LiveDossier>>,
    dossier: Id,
    person: Signal<Option<PersonId>>,
) -> impl IntoView {
    let locale = use_locale();
    let store = use_store();
    let kind = RwSignal::new(EntryKind::Discovery);
    let body = RwSignal::new(String::new());
    let by_child = RwSignal::new(false);
    let slot = StoredValue::new(fresh_slot(&dossier));
    let error = RwSignal::new(None::<String>);
    let restored = RwSignal::new(false);
    let saved = RwSignal::new(false);

    // A draft left by a crash or a closed tab comes back into the form.
    let restore_from = dossier.clone();
    spawn_local(async move {
        let drafts = store.drafts(&restore_from).await;
        if let Some((s, d)) = drafts
            .into_iter()
            .filter(|(_, d)| !d.editing)
            .max_by_key(|(_, d)| d.updated_at)
            && body.get_untracked().is_empty()
        {
            slot.set_value(Some(s));
            body.set(d.body);
            kind.set(EntryKind::parse(&d.kind));
            by_child.set(d.by_child);
            restored.set(true);
        }
    });

    let save_draft = move || {
        if let Some(s) = slot.get_value() {
            store.save_draft(
                s,
                Draft {
                    kind: kind.get_untracked().as_str().to_string(),
                    body: body.get_untracked(),
                    date: String::new(),
                    by_child: by_child.get_untracked(),
                    editing: false,
                    updated_at: now_ms(),
                },
            );
        }
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = locale.lang().get_untracked();
        let (Some(live), Some(p), Some(s), Some(date)) = (
            live.get_untracked(),
            person.get_untracked(),
            slot.get_value(),
            today(),
        ) else {
            return;
        };
        let new = NewEntry {
            id: s.target.clone(),
            date,
            kind: kind.get_untracked(),
            body: body.get_untracked().trim().to_string(),
            by_child: by_child.get_untracked(),
            tags: Vec::new(),
            prompt: None,
        };
        match live.change_from_draft(&p, Some(&s), |doc, ctx| add_entry(doc, ctx, &new)) {
            Ok(()) => {
                body.set(String::new());
                by_child.set(false);
                error.set(None);
                restored.set(false);
                saved.set(true);
                slot.set_value(fresh_slot(&s.dossier));
            }
            Err(e) => error.set(Some(model_error_text(&e, lang))),
        }
    };

    view! {
        <form class="card new-entry" on:submit=submit data-testid="new-entry-form">
            <h2>{locale.t(Text::NewEntry)}</h2>
            <fieldset class="kinds">
                <legend>{locale.t(Text::WhatKind)}</legend>
                {EntryKind::known()
                    .into_iter()
                    .map(|k| {
                        let pressed = k.clone();
                        let chosen = k.clone();
                        let label = k.clone();
                        view! {
                            <button
                                type="button"
                                class="kind"
                                data-kind=k.as_str().to_string()
                                aria-pressed=move || (kind.get() == pressed).to_string()
                                on:click=move |_| {
                                    kind.set(chosen.clone());
                                    if !body.get_untracked().is_empty() {
                                        save_draft();
                                    }
                                }
                            >
                                <span class="kind-picture" aria-hidden="true">{kind_picture(&k)}</span>
                                <span>{move || kind_text(&label, locale.lang().get())}</span>
                            </button>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <label class="body-field">
                <span>{locale.t(Text::WhatHappened)}</span>
                <textarea
                    rows="4"
                    data-testid="entry-body"
                    prop:value=body
                    on:input=move |ev| {
                        body.set(event_target_value(&ev));
                        saved.set(false);
                        save_draft();
                    }
                ></textarea>
            </label>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=by_child
                    on:change=move |ev| {
                        by_child.set(event_target_checked(&ev));
                        save_draft();
                    }
                />
                <span>{locale.t(Text::ChildWroteThis)}</span>
            </label>
            <Show when=move || restored.get()>
                <p class="notice" role="status" data-testid="draft-restored">{locale.t(Text::DraftRestored)}</p>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
            <p class="actions">
                <button
                    type="submit"
                    class="button primary"
                    data-testid="save-entry"
                    disabled=move || live.get().is_none()
                >
                    {locale.t(Text::Save)}
                </button>
                <Show when=move || saved.get()>
                    <span class="saved-note" role="status">{locale.t(Text::EntryAdded)}</span>
                </Show>
            </p>
        </form>
    }
}

/// Changing your own entry's text. The draft keeps every keystroke; the
/// change is committed after a second without typing, on leaving the
/// field, and on "done".
#[component]
pub fn EntryEditor(
    live: LiveDossier,
    entry: Id,
    person: PersonId,
    initial: String,
    /// A restored draft for this entry, if any.
    restored: Option<(DraftSlot, Draft)>,
    on_done: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let store = use_store();
    let dossier = live.id();
    let (slot0, text0) = match restored {
        Some((s, d)) => (Some(s), d.body),
        None => (
            DraftSlot::new(dossier.clone(), entry.clone()).ok(),
            initial.clone(),
        ),
    };
    let body = RwSignal::new(text0);
    let committed = StoredValue::new(initial);
    let slot = StoredValue::new(slot0);
    let typed = StoredValue::new(0u64);
    let error = RwSignal::new(None::<String>);

    let commit = move || {
        let text = body.get_untracked();
        if text.trim() == committed.get_value().trim() {
            return;
        }
        let Some(s) = slot.get_value() else { return };
        let edit = EntryEdit {
            body: Some(text.trim().to_string()),
            ..Default::default()
        };
        let entry = entry.clone();
        match live.change_from_draft(&person, Some(&s), |doc, ctx| {
            edit_entry(doc, ctx, &entry, &edit)
        }) {
            Ok(()) => {
                committed.set_value(text);
                error.set(None);
                // Words typed from now on go under a new nonce, so the
                // write of this commit cannot delete them.
                slot.set_value(DraftSlot::new(s.dossier.clone(), s.target.clone()).ok());
            }
            Err(e) => error.set(Some(model_error_text(&e, locale.lang().get_untracked()))),
        }
    };
    let commit_idle = commit.clone();
    let commit_blur = commit.clone();
    let commit_done = commit;

    let on_input = move |ev: leptos::ev::Event| {
        body.set(event_target_value(&ev));
        if let Some(s) = slot.get_value() {
            store.save_draft(
                s,
                Draft {
                    kind: String::new(),
                    body: body.get_untracked(),
                    date: String::new(),
                    by_child: false,
                    editing: true,
                    updated_at: now_ms(),
                },
            );
        }
        let n = typed.get_value() + 1;
        typed.set_value(n);
        let commit = commit_idle.clone();
        set_timeout(
            move || {
                if typed.try_get_value() == Some(n) {
                    commit();
                }
            },
            IDLE_COMMIT,
        );
    };

    view! {
        <div class="card entry-editor" data-testid="entry-editor">
            <label class="body-field">
                <span>{locale.t(Text::EditText)}</span>
                <textarea
                    rows="8"
                    data-testid="edit-body"
                    prop:value=body
                    on:input=on_input
                    on:blur=move |_| commit_blur()
                ></textarea>
            </label>
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
            <p class="actions">
                <button
                    type="button"
                    class="button primary"
                    data-testid="done-editing"
                    on:click=move |_| {
                        commit_done();
                        on_done.run(());
                    }
                >
                    {locale.t(Text::Done)}
                </button>
            </p>
        </div>
    }
}
