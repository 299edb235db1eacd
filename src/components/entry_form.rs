//! Writing in the logbook: a new entry in two taps (kind, text), and
//! changing your own entry. Every keystroke is saved as a draft; a new
//! entry becomes an entry when the person saves it, an edit is committed
//! on save, when the field loses focus, or after a second without typing.

use std::time::Duration;

use leptos::prelude::*;

use crate::components::form_error::FormError;
use leptos::task::spawn_local;

use crate::components::logbook_filter::parse_tags;
use crate::i18n::messages::{kind_picture, kind_text};
use crate::i18n::{LogbookWords, Text, use_locale};
use crate::platform::clock::{now_ms, today};
use crate::store::{DossierStore, Draft, DraftSlot, use_store};
use driehoek_core::model::commands::NewEntry;
use driehoek_core::model::{EntryKind, Id};

/// How long typing must pause before an edit is committed: a commit per
/// keystroke would cost megabytes of history, the draft already keeps
/// every keystroke.
pub const IDLE_COMMIT: Duration = Duration::from_secs(1);

fn fresh_slot(dossier: &Id) -> Option<DraftSlot> {
    let target = Id::random().ok()?;
    DraftSlot::new(dossier.clone(), target).ok()
}

/// What the new-entry form holds.
#[derive(Clone, Copy)]
struct Fields {
    kind: RwSignal<EntryKind>,
    body: RwSignal<String>,
    by_child: RwSignal<bool>,
    tags: RwSignal<String>,
    /// Where the draft belongs: empty for the logbook's own form,
    /// `prompt/<id>` for an answer to a home prompt.
    field: StoredValue<String>,
    /// What is typed in child mode is the child's, also in the draft.
    child_mode: Signal<bool>,
}

/// Saves what the new-entry form holds as its draft.
fn save_draft_now(store: DossierStore, slot: StoredValue<Option<DraftSlot>>, fields: Fields) {
    let (Some(Some(s)), Some(kind), Some(body), Some(by_child), Some(tags)) = (
        slot.try_get_value(),
        fields.kind.try_get_untracked(),
        fields.body.try_get_untracked(),
        fields.by_child.try_get_untracked(),
        fields.tags.try_get_untracked(),
    ) else {
        return;
    };
    store.save_draft(
        s,
        Draft {
            kind: kind.as_str().to_string(),
            body,
            date: String::new(),
            by_child: by_child || fields.child_mode.try_get_untracked().unwrap_or(false),
            editing: false,
            updated_at: now_ms(),
            tags,
            field: fields.field.get_value(),
            ..Default::default()
        },
    );
}

#[component]
pub fn NewEntryForm(
    dossier: Id,
    /// False while the document loads: typing (and the draft) works
    /// already, saving waits.
    can_save: Signal<bool>,
    /// Adds the entry and deletes the drafts its words came from, in one
    /// write; an error is the message to show.
    on_save: Callback<(NewEntry, Vec<DraftSlot>), Result<(), String>>,
    /// Child mode: big pictures, large type, plain words; what is saved is
    /// marked as written by the child.
    #[prop(into, optional)]
    child_mode: Signal<bool>,
    /// The home prompt the entry answers: the form then keeps drafts of
    /// its own.
    #[prop(optional)]
    prompt: Option<Id>,
) -> impl IntoView {
    let locale = use_locale();
    let store = use_store();
    let kind = RwSignal::new(EntryKind::Discovery);
    let body = RwSignal::new(String::new());
    let by_child = RwSignal::new(false);
    let tags = RwSignal::new(String::new());
    let field = prompt
        .as_ref()
        .map(|p| format!("prompt/{p}"))
        .unwrap_or_default();
    let fields = Fields {
        kind,
        body,
        by_child,
        tags,
        field: StoredValue::new(field.clone()),
        child_mode,
    };
    let prompt = StoredValue::new(prompt);
    let words = move |usual: Text, child: LogbookWords| {
        move || {
            let lang = locale.lang().get();
            if child_mode.get() {
                crate::i18n::Phrase::text(child, lang)
            } else {
                usual.get(lang)
            }
        }
    };
    let slot = StoredValue::new(fresh_slot(&dossier));
    // Every slot this form wrote to: its own words, stored before the
    // lookup below finishes on a slow device, are no draft left behind.
    let own_slots = StoredValue::new(slot.get_value().into_iter().collect::<Vec<_>>());
    // Drafts whose words were put back into this form: deleted when the
    // entry is saved. The words themselves go on under this form's own
    // slot, so two tabs that both restore one draft never save the same
    // entry id twice.
    let restored_from = StoredValue::new(Vec::<DraftSlot>::new());
    let error = RwSignal::new(None::<String>);
    let restored = RwSignal::new(false);
    let saved = RwSignal::new(false);

    // Drafts left by a crash or a closed tab come back into the form, the
    // newest first; older ones follow below it, so none is hidden.
    let restore_from = dossier.clone();
    spawn_local(async move {
        let mut drafts: Vec<(DraftSlot, Draft)> = store
            .drafts(&restore_from)
            .await
            .into_iter()
            .filter(|(s, d)| {
                !d.editing
                    && d.field == field
                    && !d.body.trim().is_empty()
                    && !own_slots
                        .try_with_value(|own| own.contains(s))
                        .unwrap_or(true)
            })
            .collect();
        drafts.sort_by_key(|(_, d)| std::cmp::Reverse(d.updated_at));
        // The form may be gone, or the person started typing meanwhile.
        if drafts.is_empty() || !body.try_get_untracked().is_some_and(|b| b.is_empty()) {
            return;
        }
        // A draft restored before lives on under that form's own slot as
        // well, perhaps with more typed: words that another draft already
        // holds are not put back twice.
        let mut kept: Vec<String> = Vec::new();
        for (_, d) in &drafts {
            let body = d.body.trim();
            if !kept.iter().any(|k| k.contains(body)) {
                kept.push(body.to_string());
            }
        }
        let text = kept.join("\n\n");
        let newest = drafts[0].1.clone();
        restored_from.try_update_value(|r| r.extend(drafts.into_iter().map(|(s, _)| s)));
        body.try_set(text);
        kind.try_set(EntryKind::parse(&newest.kind));
        by_child.try_set(newest.by_child);
        tags.try_set(newest.tags.clone());
        // The child does not write the school's good news.
        if child_mode.get_untracked() && kind.get_untracked() == EntryKind::PositiveNote {
            kind.try_set(EntryKind::Discovery);
        }
        restored.try_set(true);
        save_draft_now(store, slot, fields);
    });

    let save_draft = move || save_draft_now(store, slot, fields);
    // The child does not write the school's good news.
    Effect::new(move || {
        if child_mode.get() && kind.get_untracked() == EntryKind::PositiveNote {
            kind.set(EntryKind::Discovery);
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(s), Some(date)) = (slot.get_value(), today()) else {
            return;
        };
        let new = NewEntry {
            id: s.target.clone(),
            date,
            kind: kind.get_untracked(),
            body: body.get_untracked().trim().to_string(),
            by_child: by_child.get_untracked() || child_mode.get_untracked(),
            tags: parse_tags(&tags.get_untracked()),
            prompt: prompt.get_value(),
        };
        let mut drafts = restored_from.get_value();
        drafts.push(s.clone());
        match on_save.run((new, drafts)) {
            Ok(()) => {
                restored_from.set_value(Vec::new());
                body.set(String::new());
                by_child.set(false);
                tags.set(String::new());
                error.set(None);
                restored.set(false);
                saved.set(true);
                let next = fresh_slot(&s.dossier);
                own_slots.update_value(|own| own.extend(next.clone()));
                slot.set_value(next);
            }
            Err(message) => error.set(Some(message)),
        }
    };

    view! {
        <form
            class="card new-entry"
            class:child=move || child_mode.get()
            on:submit=submit
            data-testid="new-entry-form"
        >
            <h2>{words(Text::NewEntry, LogbookWords::ChildModeLead)}</h2>
            <fieldset class="kinds">
                <legend>{words(Text::WhatKind, LogbookWords::ChildModeWhat)}</legend>
                {move || EntryKind::known()
                    .into_iter()
                    // Good news from school is the school's to write.
                    .filter(|k| !(child_mode.get() && *k == EntryKind::PositiveNote))
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
                <span>{words(Text::WhatHappened, LogbookWords::ChildModeStory)}</span>
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
            <Show
                when=move || !child_mode.get()
                fallback=move || view! {
                    <p class="child-writes" data-testid="child-writes">{locale.t(LogbookWords::ChildModeWritesAs)}</p>
                }
            >
                <label class="tags-field">
                    <span>{locale.t(LogbookWords::TagsLabel)}</span>
                    <input
                        type="text"
                        data-testid="entry-tags"
                        maxlength="400"
                        autocomplete="off"
                        aria-describedby="entry-tags-hint"
                        prop:value=tags
                        on:input=move |ev| {
                            tags.set(event_target_value(&ev));
                            save_draft();
                        }
                    />
                    <span class="hint" id="entry-tags-hint">{locale.t(LogbookWords::TagsHint)}</span>
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
            </Show>
            <Show when=move || restored.get()>
                <p class="notice" role="status" data-testid="draft-restored">{locale.t(Text::DraftRestored)}</p>
            </Show>
            <FormError error=error />
            <p class="actions">
                <button
                    type="submit"
                    class="button primary"
                    data-testid="save-entry"
                    disabled=move || !can_save.get()
                >
                    {words(Text::Save, LogbookWords::ChildModeSave)}
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
    dossier: Id,
    entry: Id,
    initial: String,
    /// A restored draft for this entry, if any.
    restored: Option<(DraftSlot, Draft)>,
    /// Commits the text and deletes the drafts it came from, in one write;
    /// an error is the message to show.
    on_commit: Callback<(String, Vec<DraftSlot>), Result<(), String>>,
    on_done: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let store = use_store();
    // A restored draft's words go on under this editor's own nonce; the
    // old key is deleted with the first commit.
    let (old_slot, text0) = match restored {
        Some((s, d)) => (Some(s), d.body),
        None => (None, initial.clone()),
    };
    let body = RwSignal::new(text0);
    let committed = StoredValue::new(initial);
    let slot = StoredValue::new(DraftSlot::new(dossier.clone(), entry.clone()).ok());
    let old_slot = StoredValue::new(old_slot);
    let typed = StoredValue::new(0u64);
    let error = RwSignal::new(None::<String>);

    // Returns whether everything typed is committed.
    let commit = move || -> bool {
        let (Some(text), Some(done)) = (body.try_get_untracked(), committed.try_get_value()) else {
            return true;
        };
        let Some(Some(s)) = slot.try_get_value() else {
            return false;
        };
        let mut drafts = vec![s.clone()];
        drafts.extend(old_slot.get_value());
        if text.trim() == done.trim() {
            // Typed back to what is saved: nothing to commit, and the
            // drafts hold nothing worth restoring.
            for d in drafts {
                store.discard_draft(d);
            }
            return true;
        }
        match on_commit.run((text.trim().to_string(), drafts)) {
            Ok(()) => {
                committed.set_value(text);
                old_slot.set_value(None);
                error.set(None);
                // Words typed from now on go under a new nonce, so the
                // write of this commit cannot delete them.
                slot.set_value(DraftSlot::new(s.dossier.clone(), s.target.clone()).ok());
                true
            }
            Err(message) => {
                error.set(Some(message));
                false
            }
        }
    };

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
                    ..Default::default()
                },
            );
        }
        let n = typed.get_value() + 1;
        typed.set_value(n);
        set_timeout(
            move || {
                if typed.try_get_value() == Some(n) {
                    let _ = commit();
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
                    on:blur=move |_| {
                        let _ = commit();
                    }
                ></textarea>
            </label>
            <FormError error=error />
            <p class="actions">
                <button
                    type="button"
                    class="button primary"
                    data-testid="done-editing"
                    on:click=move |_| {
                        // On a failure the editor stays, with the message.
                        if commit() {
                            on_done.run(());
                        }
                    }
                >
                    {locale.t(Text::Done)}
                </button>
            </p>
        </div>
    }
}
