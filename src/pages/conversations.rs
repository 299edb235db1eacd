//! Start and progress conversations: planned with who takes part; each
//! party (the child too) writes beforehand what it wants to discuss, in
//! its own box beside the others; notes are written together during the
//! meeting; agreed actions have an owner and a due date and show on the
//! dossier's home.

use automerge::ChangeHash;
use leptos::prelude::*;

use crate::components::form_error::FormError;

use crate::components::dossier_nav::DossierTab;
use crate::components::shared_text::{FieldCommit, Selection, SharedText, SharedTextArea};
use crate::i18n::{Lang, Phrase, Words, format_date, use_locale};
use crate::platform::clock::today;
use crate::store::LiveDossier;
use driehoek_core::model::commands::{
    NewConversation, add_conversation, add_conversation_action, conversation_notes,
    edit_conversation_notes_over, remove_conversation, set_action_status, set_conversation_input,
};
use driehoek_core::model::read::{self, Conversation};
use driehoek_core::model::text_field::caret_now;
use driehoek_core::model::{ConversationKind, Date, Id, Party, PersonId, Section, TaskStatus};

use super::section::{Acting, ChooseWhoFirst, People, SectionFrame};
use crate::i18n::messages::party_text;
use crate::i18n::messages::{model_error_text, role_text};

pub fn kind_text(kind: &ConversationKind, lang: Lang) -> &'static str {
    match kind {
        ConversationKind::Start => Words::ConvStart.text(lang),
        ConversationKind::Progress => Words::ConvProgress.text(lang),
        ConversationKind::Evaluation => Words::ConvEvaluation.text(lang),
        ConversationKind::Other => Words::ConvOther.text(lang),
        ConversationKind::Unknown(_) => Words::ConvNewer.text(lang),
    }
}

#[component]
pub fn ConversationsPage() -> impl IntoView {
    view! { <SectionFrame tab=DossierTab::Conversations class="conversations-page" body=body /> }
}

fn body(live: LiveDossier) -> AnyView {
    view! { <ConversationsView live=live /> }.into_any()
}

#[component]
fn ConversationsView(live: LiveDossier) -> impl IntoView {
    let locale = use_locale();
    let people = People::of(live);
    let all = Memo::new(move |_| {
        live.read(Section::Conversations, |d| {
            read::conversations(d).unwrap_or_default()
        })
    });
    let can_write = Signal::derive(move || people.me.get().is_some() && !live.is_read_only());
    let ids = Memo::new(move |_| {
        // Newest date first: the next or the last conversation is on top.
        let mut list: Vec<(Date, Id)> =
            all.with(|a| a.iter().map(|c| (c.date, c.id.clone())).collect());
        list.sort_by(|a, b| b.cmp(a));
        list.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
    });
    // The conversation being printed: the only one on paper.
    let printing = RwSignal::new(None::<Id>);
    let after_print = window_event_listener(leptos::ev::afterprint, move |_| printing.set(None));
    on_cleanup(move || after_print.remove());
    view! {
        <h2>{locale.t(Words::ConversationsTitle)}</h2>
        <p class="intro no-print">{locale.t(Words::ConversationsIntro)}</p>
        <Show when=move || people.me.get().is_none()>
            <ChooseWhoFirst live=live />
        </Show>
        <Show when=move || can_write.get()>
            <PlanConversation live=live people=people />
        </Show>
        <Show when=move || ids.with(Vec::is_empty)>
            <p class="hint">{locale.t(Words::NoConversationsYet)}</p>
        </Show>
        <For each=move || ids.get() key=|id| id.clone() let:id>
            <ConversationCard
                live=live
                people=people
                can_write=can_write
                printing=printing
                conversation=Signal::derive({
                    let id = id.clone();
                    move || all.with(|a| a.iter().find(|c| c.id == id).cloned())
                })
            />
        </For>
    }
}

#[component]
fn PlanConversation(live: LiveDossier, people: People) -> impl IntoView {
    let locale = use_locale();
    let kind = RwSignal::new(ConversationKind::Progress);
    let date = RwSignal::new(today().map(|d| d.to_string()).unwrap_or_default());
    let left_out = RwSignal::new(Vec::<PersonId>::new());
    let error = RwSignal::new(None::<String>);
    let acting = Acting {
        live,
        people,
        error,
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = locale.lang().get_untracked();
        let day = match Date::parse(date.get_untracked().trim()) {
            Ok(d) => d,
            Err(e) => {
                error.set(Some(model_error_text(&e, lang)));
                return;
            }
        };
        let out = left_out.get_untracked();
        let participants: Vec<PersonId> = people
            .members
            .get_untracked()
            .people
            .into_iter()
            .map(|m| m.id)
            .filter(|p| !out.contains(p))
            .collect();
        let new_kind = kind.get_untracked();
        acting.run(|live, p| {
            let new = NewConversation {
                id: Id::random()?,
                kind: new_kind,
                date: day,
                participants,
            };
            live.change(p, |doc, ctx| add_conversation(doc, ctx, &new))
        });
    };
    view! {
        <details class="card plan-conversation">
            <summary data-testid="plan-conversation">{locale.t(Words::PlanConversation)}</summary>
            <form class="form" on:submit=submit>
                <label>
                    <span>{locale.t(Words::ConversationKindLabel)}</span>
                    <select
                        data-testid="conversation-kind"
                        on:change=move |ev| kind.set(ConversationKind::parse(&event_target_value(&ev)))
                    >
                        {move || {
                            let lang = locale.lang().get();
                            ConversationKind::known()
                                .into_iter()
                                .map(|k| {
                                    let selected = k == kind.get_untracked();
                                    view! {
                                        <option value=k.as_str().to_string() selected=selected>
                                            {kind_text(&k, lang)}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label>
                    <span>{locale.t(Words::ConversationDate)}</span>
                    <input
                        type="date"
                        required
                        data-testid="conversation-date"
                        prop:value=date
                        on:input=move |ev| date.set(event_target_value(&ev))
                    />
                </label>
                <fieldset class="choice">
                    <legend>{locale.t(Words::WithWhom)}</legend>
                    {move || {
                        let lang = locale.lang().get();
                        people
                            .members
                            .get()
                            .people
                            .into_iter()
                            .map(|m| {
                                let (id1, id2) = (m.id.clone(), m.id.clone());
                                view! {
                                    <label class="check">
                                        <input
                                            type="checkbox"
                                            prop:checked=move || !left_out.with(|o| o.contains(&id1))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                left_out.update(|o| {
                                                    o.retain(|p| *p != id2);
                                                    if !on {
                                                        o.push(id2.clone());
                                                    }
                                                });
                                            }
                                        />
                                        <span>{format!("{} ({})", m.name, role_text(&m.role, lang))}</span>
                                    </label>
                                }
                            })
                            .collect_view()
                    }}
                </fieldset>
                <FormError error=error />
                <button type="submit" class="button primary" data-testid="add-conversation">
                    {locale.t(Words::PlanConversation)}
                </button>
            </form>
        </details>
    }
}

#[component]
fn ConversationCard(
    live: LiveDossier,
    people: People,
    can_write: Signal<bool>,
    printing: RwSignal<Option<Id>>,
    conversation: Signal<Option<Conversation>>,
) -> impl IntoView {
    let locale = use_locale();
    let error = RwSignal::new(None::<String>);
    let child = Memo::new(move |_| {
        live.read(Section::Dossier, |d| read::dossier_summary(d).ok())
            .map(|s| s.child_name)
            .unwrap_or_default()
    });
    let acting = Acting {
        live,
        people,
        error,
    };
    let Some(first) = conversation.get_untracked() else {
        return ().into_any();
    };
    let id = StoredValue::new(first.id.clone());
    let upcoming = move || {
        let day = conversation.with(|c| c.as_ref().map(|c| c.date));
        match (day, today()) {
            (Some(d), Some(t)) => d >= t,
            _ => false,
        }
    };
    let my_party = Signal::derive(move || people.me.get().and_then(|m| m.role.party()));
    let remove = move |_| {
        let lang = locale.lang().get_untracked();
        let sure = window()
            .confirm_with_message(Words::ConfirmRemoveConversation.text(lang))
            .unwrap_or(false);
        if sure {
            acting.run(|live, p| {
                live.change(p, |doc, ctx| remove_conversation(doc, ctx, &id.get_value()))
            });
        }
    };
    let print = move |_| {
        printing.set(Some(id.get_value()));
        // Print once only this conversation is on the page.
        request_animation_frame(move || {
            if let Some(w) = web_sys::window() {
                let _ = w.print();
            }
        });
    };
    let printed_on = move || {
        let lang = locale.lang().get();
        let date = today().map(|d| format_date(d, lang)).unwrap_or_default();
        Words::PrintedOn.text(lang).replace("{date}", &date)
    };
    view! {
        <article
            class="card conversation"
            class:printing=move || printing.get().as_ref() == Some(&id.get_value())
            data-testid="conversation"
        >
            <div class="print-head" aria-hidden="true">
                <p>
                    <strong>{move || child.get()}</strong>
                    " · "
                    {locale.t(Words::ReportTitle)}
                </p>
                <p>{printed_on}</p>
            </div>
            <header class="conversation-head">
                <h3>
                    {move || {
                        let lang = locale.lang().get();
                        conversation
                            .get()
                            .map(|c| format!("{} · {}", kind_text(&c.kind, lang), format_date(c.date, lang)))
                    }}
                </h3>
                <span class="status" class:status-agreed=upcoming>
                    {move || if upcoming() { locale.t(Words::Upcoming)() } else { locale.t(Words::Past)() }}
                </span>
            </header>
            <p class="hint">
                {move || {
                    let lang = locale.lang().get();
                    conversation
                        .get()
                        .map(|c| {
                            c.participants
                                .iter()
                                .map(|p| people.name(Some(p), lang))
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                }}
            </p>
            <h4>{locale.t(Words::Beforehand)}</h4>
            <p class="hint">{locale.t(Words::BeforehandHint)}</p>
            <div class="inputs">
                {[Party::Parents, Party::School, Party::Child]
                    .into_iter()
                    .map(|party| view! { <PartyInput party=party conversation=conversation my_party=my_party can_write=can_write acting=acting /> })
                    .collect_view()}
            </div>
            <NotesField live=live people=people conversation=first.id.clone() can_write=can_write />
            <Actions conversation=conversation people=people can_write=can_write acting=acting />
            <FormError error=error />
            <p class="actions no-print">
                <button type="button" class="button" data-testid="print-report" on:click=print>
                    {locale.t(Words::PrintReport)}
                </button>
                <Show when=move || can_write.get()>
                    <button type="button" class="link-button" on:click=remove>
                        {locale.t(Words::RemoveConversation)}
                    </button>
                </Show>
            </p>
        </article>
    }
    .into_any()
}

/// One party's own input before the meeting; only that party writes it.
#[component]
fn PartyInput(
    party: Party,
    conversation: Signal<Option<Conversation>>,
    my_party: Signal<Option<Party>>,
    can_write: Signal<bool>,
    acting: Acting,
) -> impl IntoView {
    let locale = use_locale();
    let which = party.clone();
    let stored = Memo::new(move |_| {
        conversation.with(|c| {
            c.as_ref()
                .map(|c| match which {
                    Party::Parents => c.input_parents.clone(),
                    Party::School => c.input_school.clone(),
                    Party::Child => c.input_child.clone(),
                    Party::Unknown(_) => String::new(),
                })
                .unwrap_or_default()
        })
    });
    let text = RwSignal::new(stored.get_untracked());
    let editing = RwSignal::new(false);
    Effect::new(move || {
        let now = stored.get();
        if !editing.get_untracked() {
            text.set(now);
        }
    });
    let mine = {
        let party = party.clone();
        move || can_write.get() && my_party.get().as_ref() == Some(&party)
    };
    let save = {
        let party = party.clone();
        move || {
            let value = text.get_untracked().trim().to_string();
            if value == stored.get_untracked() {
                editing.set(false);
                return;
            }
            let Some(id) = conversation.with_untracked(|c| c.as_ref().map(|c| c.id.clone())) else {
                return;
            };
            let party = party.clone();
            if acting.run(|live, p| {
                live.change(p, |doc, ctx| {
                    set_conversation_input(doc, ctx, &id, &party, &value)
                })
            }) {
                editing.set(false);
            }
        }
    };
    let key = party.as_str().to_string();
    let test_id = format!("input-{key}");
    let label = party.clone();
    let name = Signal::derive(move || party_text(&party, locale.lang().get()));
    view! {
        <div class="party-input" data-party=key>
            <h5>{move || party_text(&label, locale.lang().get())}</h5>
            {move || {
                if mine() {
                    let save = save.clone();
                    view! {
                        <div class="print-text">{move || text.get()}</div>
                        <textarea
                            rows="3"
                            aria-label=name
                            data-testid=test_id.clone()
                            prop:value=text
                            on:input=move |ev| {
                                editing.set(true);
                                text.set(event_target_value(&ev));
                            }
                            on:blur=move |_| save()
                        ></textarea>
                    }
                        .into_any()
                } else {
                    let shown = stored.get();
                    if shown.is_empty() {
                        view! { <p class="hint">{locale.t(Words::NothingYet)}</p> }.into_any()
                    } else {
                        view! { <p class="input-text">{shown}</p> }.into_any()
                    }
                }
            }}
        </div>
    }
}

#[component]
fn NotesField(
    live: LiveDossier,
    people: People,
    conversation: Id,
    can_write: Signal<bool>,
) -> impl IntoView {
    let locale = use_locale();
    let id = StoredValue::new(conversation.clone());
    let source = Memo::new(move |_| {
        live.read_with_heads(Section::Conversations, |d, heads| {
            let text = read::conversations(d)
                .ok()
                .and_then(|all| all.into_iter().find(|c| c.id == id.get_value()))
                .map(|c| c.notes)
                .unwrap_or_default();
            SharedText {
                text,
                heads: heads.to_vec(),
            }
        })
        .unwrap_or_default()
    });
    let on_commit = Callback::new(move |c: FieldCommit| -> Result<Selection, String> {
        let lang = locale.lang().get_untracked();
        let Some(p) = people.person.get_value() else {
            return Err(Words::ChooseWhoFirst.text(lang).into());
        };
        let conv = id.get_value();
        let own = live
            .change_from_drafts(&p, &c.drafts, |doc, ctx| {
                edit_conversation_notes_over(doc, ctx, &conv, &c.heads, &c.base, &c.value)
            })
            .map_err(|e| model_error_text(&e, lang))?;
        let moved = live.read_with_heads(Section::Conversations, |doc, _| {
            let text = conversation_notes(doc, &conv).ok()?;
            Some((
                caret_now(doc, &text, &c.heads, own.as_ref(), c.selection.0).ok()?,
                caret_now(doc, &text, &c.heads, own.as_ref(), c.selection.1).ok()?,
            ))
        });
        Ok(moved.flatten().unwrap_or(c.selection))
    });
    let on_move_caret =
        Callback::new(move |(heads, (start, end)): (Vec<ChangeHash>, Selection)| {
            live.read_with_heads(Section::Conversations, |doc, _| {
                let text = conversation_notes(doc, &id.get_value()).ok()?;
                Some((
                    caret_now(doc, &text, &heads, None, start).ok()?,
                    caret_now(doc, &text, &heads, None, end).ok()?,
                ))
            })
            .flatten()
            .unwrap_or((start, end))
        });
    view! {
        <SharedTextArea
            dossier=live.id()
            field=format!("notes-{conversation}")
            test_id="conversation-notes".to_string()
            label=Signal::derive(move || Words::Notes.text(locale.lang().get()))
            hint=Signal::derive(move || Words::NotesHint.text(locale.lang().get()))
            source=source.into()
            on_commit=on_commit
            on_move_caret=on_move_caret
            disabled=Signal::derive(move || !can_write.get())
        />
        <h4 class="print-title">{move || Words::Notes.text(locale.lang().get())}</h4>
        <div class="print-text">{move || source.get().text}</div>
    }
}

#[component]
fn Actions(
    conversation: Signal<Option<Conversation>>,
    people: People,
    can_write: Signal<bool>,
    acting: Acting,
) -> impl IntoView {
    let locale = use_locale();
    let what = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = locale.lang().get_untracked();
        let Some(conv) = conversation.with_untracked(|c| c.as_ref().map(|c| c.id.clone())) else {
            return;
        };
        let who = match Id::new(owner.get_untracked()) {
            Ok(o) => o,
            Err(e) => {
                acting.error.set(Some(model_error_text(&e, lang)));
                return;
            }
        };
        let due_date = match due.get_untracked().trim() {
            "" => None,
            d => match Date::parse(d) {
                Ok(d) => Some(d),
                Err(e) => {
                    acting.error.set(Some(model_error_text(&e, lang)));
                    return;
                }
            },
        };
        let text = what.get_untracked().trim().to_string();
        if acting.run(|live, p| {
            let action = Id::random()?;
            live.change(p, |doc, ctx| {
                add_conversation_action(doc, ctx, &conv, &action, &text, &who, due_date)
            })
        }) {
            what.set(String::new());
            due.set(String::new());
        }
    };
    view! {
        <h4>{locale.t(Words::AgreedActions)}</h4>
        <ul class="tasks">
            {move || {
                let lang = locale.lang().get();
                let Some(c) = conversation.get() else {
                    return ().into_any();
                };
                if c.actions.is_empty() {
                    return view! { <li class="hint">{Words::NoActionsYet.text(lang)}</li> }.into_any();
                }
                let conv = c.id.clone();
                c.actions
                    .into_iter()
                    .map(|a| {
                        let done = a.status == TaskStatus::Done;
                        let (conv, action) = (conv.clone(), a.id.clone());
                        view! {
                            <li class="task" class:done=done data-testid="conversation-action">
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=done
                                        disabled=move || !can_write.get()
                                        on:change=move |ev| {
                                            let status = if event_target_checked(&ev) { TaskStatus::Done } else { TaskStatus::Open };
                                            acting.run(|live, p| live.change(p, |doc, ctx| set_action_status(doc, ctx, &conv, &action, &status)));
                                        }
                                    />
                                    <span>
                                        <span class="task-what">{a.what.clone()}</span>
                                        " · "
                                        {people.name(a.owner.as_ref(), lang)}
                                        {a.due.map(|d| format!(" · {}", Words::DueOn.text(lang).replace("{date}", &format_date(d, lang))))}
                                    </span>
                                </label>
                            </li>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </ul>
        <Show when=move || can_write.get()>
            <form class="form new-task no-print" on:submit=add>
                <label>
                    <span>{locale.t(Words::ActionWhat)}</span>
                    <input
                        type="text"
                        maxlength="200"
                        required
                        data-testid="action-what"
                        prop:value=what
                        on:input=move |ev| what.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    <span>{locale.t(Words::TaskWho)}</span>
                    <select
                        required
                        data-testid="action-owner"
                        prop:value=owner
                        on:change=move |ev| owner.set(event_target_value(&ev))
                    >
                        <option value="">"–"</option>
                        {move || {
                            let lang = locale.lang().get();
                            people
                                .members
                                .get()
                                .people
                                .into_iter()
                                .map(|m| view! { <option value=m.id.to_string()>{format!("{} ({})", m.name, role_text(&m.role, lang))}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label>
                    <span>{locale.t(Words::TaskDue)}</span>
                    <input
                        type="date"
                        data-testid="action-due"
                        prop:value=due
                        on:input=move |ev| due.set(event_target_value(&ev))
                    />
                </label>
                <button type="submit" class="button primary" data-testid="add-action">
                    {locale.t(Words::AddAction)}
                </button>
            </form>
        </Show>
    }
}
