//! A text area over text that several people edit at once (a section of
//! the guidance agreement).
//!
//! What is typed is a draft on every keystroke and is committed after a
//! second without typing, on leaving the field, or when someone else's
//! words arrive. The field remembers what it was given (its base and the
//! document's heads then); the page moves the typed difference over
//! others' edits and tells the field where its caret belongs now. While a
//! phone keyboard is composing a word (IME), the field is left alone and
//! catches up when the composition ends.

use std::time::Duration;

use automerge::ChangeHash;
use leptos::html::Textarea;
use leptos::prelude::*;

use crate::components::form_error::FormError;
use leptos::task::spawn_local;

use crate::i18n::{Words, use_locale};
use crate::platform::clock::now_ms;
use crate::store::{Draft, DraftSlot, use_store};
use driehoek_core::model::Id;

/// Idle time before typed words are committed.
const IDLE_COMMIT: Duration = Duration::from_secs(1);

/// The shared text as the document holds it now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SharedText {
    pub text: String,
    pub heads: Vec<ChangeHash>,
}

/// A selection's start and end, in UTF-16 units.
pub type Selection = (usize, usize);

/// What the field hands its page to commit.
#[derive(Clone, Debug)]
pub struct FieldCommit {
    /// The text the person typed over, at `heads`.
    pub base: String,
    pub heads: Vec<ChangeHash>,
    pub value: String,
    /// Selection start and end in `value` (UTF-16 units, as the browser
    /// counts them and as the document does in the browser).
    pub selection: (usize, usize),
    pub drafts: Vec<DraftSlot>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FieldState {
    /// As it was given: nothing to say.
    Untouched,
    Saved,
    Waiting,
    Failed,
}

#[component]
pub fn SharedTextArea(
    dossier: Id,
    /// Names this field's draft (letters, digits, `-`, at most 58).
    field: String,
    test_id: String,
    label: Signal<&'static str>,
    hint: Signal<&'static str>,
    source: Signal<SharedText>,
    /// Commits the typed difference; gives the selection in the new text,
    /// or the message to show (the words stay in the field).
    on_commit: Callback<FieldCommit, Result<(usize, usize), String>>,
    /// Where a selection made at the given heads is in the text now, for
    /// others' edits arriving while nothing is typed.
    on_move_caret: Callback<(Vec<ChangeHash>, Selection), Selection>,
    disabled: Signal<bool>,
) -> impl IntoView {
    let locale = use_locale();
    let store = use_store();
    let area = NodeRef::<Textarea>::new();
    let first = source.get_untracked();
    let base = StoredValue::new(first.text.clone());
    let heads = StoredValue::new(first.heads.clone());
    let value = StoredValue::new(first.text.clone());
    let composing = StoredValue::new(false);
    let typed = StoredValue::new(0u64);
    let state = RwSignal::new(FieldState::Untouched);
    let error = RwSignal::new(None::<String>);
    let target = Id::new(format!("field-{field}")).ok();
    let slot_of = StoredValue::new((dossier.clone(), target.clone()));
    // Every draft slot this field wrote to: its own words are no draft
    // left by a crash, even when they are stored before that is looked up.
    let own_slots = StoredValue::new(Vec::<DraftSlot>::new());
    let new_slot = move || {
        let (dossier, target) = slot_of.get_value();
        let slot = target.and_then(|t| DraftSlot::new(dossier, t).ok());
        if let Some(s) = &slot {
            own_slots.update_value(|own| own.push(s.clone()));
        }
        slot
    };
    let slot = StoredValue::new(new_slot());
    // Drafts whose words are in this field: deleted with the commit.
    let restored = StoredValue::new(Vec::<DraftSlot>::new());
    let draft_field = StoredValue::new(format!("text/{field}"));

    let selection = move || -> (usize, usize) {
        area.get_untracked()
            .map(|el| {
                let start = el.selection_start().ok().flatten().unwrap_or(0) as usize;
                let end = el.selection_end().ok().flatten().unwrap_or(0) as usize;
                (start, end)
            })
            .unwrap_or((0, 0))
    };
    let focused = move || {
        let active = document().active_element();
        match (area.get_untracked(), active) {
            (Some(el), Some(active)) => {
                let el: &web_sys::Element = &el;
                el == &active
            }
            _ => false,
        }
    };
    // Shows `text` with the selection at `sel`, when the field has focus.
    let show = move |text: &str, sel: (usize, usize)| {
        if let Some(el) = area.get_untracked() {
            if el.value() != text {
                el.set_value(text);
            }
            if focused() {
                let _ = el.set_selection_range(sel.0 as u32, sel.1 as u32);
            }
        }
    };
    // Takes the document's text as the new base.
    let adopt = move |now: SharedText, sel: Option<(usize, usize)>| {
        base.set_value(now.text.clone());
        heads.set_value(now.heads.clone());
        value.set_value(now.text.clone());
        let sel = sel.unwrap_or_else(selection);
        show(&now.text, sel);
    };

    // Returns whether everything typed is in the document now.
    let commit = move || -> bool {
        let Some(typed_value) = value.try_get_value() else {
            return true;
        };
        if composing.get_value() {
            return false;
        }
        let base_text = base.get_value();
        if typed_value == base_text {
            return true;
        }
        let mut drafts = restored.get_value();
        drafts.extend(slot.get_value());
        let request = FieldCommit {
            base: base_text,
            heads: heads.get_value(),
            value: typed_value,
            selection: selection(),
            drafts,
        };
        match on_commit.run(request) {
            Ok(sel) => {
                restored.set_value(Vec::new());
                // Words typed from now on go under a new key, so this
                // commit's write cannot delete them.
                slot.set_value(new_slot());
                error.set(None);
                state.set(FieldState::Saved);
                adopt(source.get_untracked(), Some(sel));
                true
            }
            Err(message) => {
                error.set(Some(message));
                state.set(FieldState::Failed);
                false
            }
        }
    };

    // Others' words (or this device's other tabs') arrived: commit what
    // was typed first, which moves it over the new words, or else follow
    // them with the caret.
    let catch_up = move || {
        let Some(now) = source.try_get_untracked() else {
            return;
        };
        if composing.get_value() || (now.text == base.get_value() && now.heads == heads.get_value())
        {
            return;
        }
        if value.get_value() != base.get_value() {
            commit();
            return;
        }
        let old = heads.get_value();
        let sel = on_move_caret.run((old, selection()));
        adopt(now, Some(sel));
    };
    Effect::new(move || {
        source.track();
        catch_up();
    });

    let save_draft = {
        move || {
            let Some(Some(s)) = slot.try_get_value() else {
                return;
            };
            store.save_draft(
                s,
                Draft {
                    body: value.get_value(),
                    editing: true,
                    updated_at: now_ms(),
                    field: draft_field.get_value(),
                    base: base.get_value(),
                    base_heads: heads.get_value().iter().map(ToString::to_string).collect(),
                    ..Draft::default()
                },
            );
        }
    };

    // Words left by a crash or a closed tab come back into the field and
    // are committed over what the document holds now.
    {
        let dossier = dossier.clone();
        let target = target.clone();
        let draft_field = draft_field.get_value();
        spawn_local(async move {
            let Some(target) = target else {
                return;
            };
            let mut found: Vec<(DraftSlot, Draft)> = store
                .drafts(&dossier)
                .await
                .into_iter()
                .filter(|(s, d)| {
                    s.target == target
                        && d.field == draft_field
                        && !own_slots
                            .try_with_value(|own| own.contains(s))
                            .unwrap_or(true)
                })
                .collect();
            found.sort_by_key(|(_, d)| std::cmp::Reverse(d.updated_at));
            let Some((_, newest)) = found.first().cloned() else {
                return;
            };
            // The field may be gone, or the person started typing.
            let untouched = value.try_get_value().is_some_and(|v| v == base.get_value());
            if !untouched {
                return;
            }
            let parsed: Vec<ChangeHash> = newest
                .base_heads
                .iter()
                .filter_map(|h| h.parse().ok())
                .collect();
            restored.set_value(found.into_iter().map(|(s, _)| s).collect());
            if newest.body == newest.base {
                return;
            }
            base.set_value(newest.base.clone());
            heads.set_value(parsed);
            value.set_value(newest.body.clone());
            show(&newest.body, (0, 0));
            state.set(FieldState::Waiting);
            commit();
        });
    }

    let on_input = move |ev: leptos::ev::Event| {
        value.set_value(event_target_value(&ev));
        state.set(FieldState::Waiting);
        save_draft();
        let n = typed.get_value() + 1;
        typed.set_value(n);
        set_timeout(
            move || {
                if typed.try_get_value() == Some(n) {
                    commit();
                }
            },
            IDLE_COMMIT,
        );
    };

    let state_text = move || match state.get() {
        FieldState::Untouched => "",
        FieldState::Saved => locale.t(Words::FieldSaved)(),
        FieldState::Waiting => locale.t(Words::FieldSaving)(),
        FieldState::Failed => locale.t(Words::FieldNotSaved)(),
    };
    view! {
        <div class="shared-text">
            <label class="body-field">
                <span class="field-label">{move || label.get()}</span>
                <span class="hint">{move || hint.get()}</span>
                <textarea
                    node_ref=area
                    rows="5"
                    data-testid=test_id
                    prop:value=first.text
                    disabled=move || disabled.get()
                    on:input=on_input
                    on:blur=move |_| {
                        commit();
                    }
                    on:compositionstart=move |_| composing.set_value(true)
                    on:compositionend=move |ev: leptos::ev::CompositionEvent| {
                        composing.set_value(false);
                        value.set_value(event_target_value(&ev));
                        save_draft();
                        catch_up();
                    }
                ></textarea>
            </label>
            <p class="field-state" role="status" data-state=move || format!("{:?}", state.get()).to_lowercase()>
                {state_text}
            </p>
            <FormError error=error />
        </div>
    }
}
