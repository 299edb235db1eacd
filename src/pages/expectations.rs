//! Mutual expectations: three lists side by side (stacked on a phone).
//! Anyone proposes a point; each party marks that it agrees, or objects
//! and asks to discuss it again; everyone can react under a point.

use leptos::prelude::*;

use crate::components::form_error::FormError;

use crate::components::dossier_nav::DossierTab;
use crate::i18n::{Lang, Phrase, Words, use_locale};
use crate::store::LiveDossier;
use driehoek_core::model::commands::{
    comment_on_expectation, mark_agreement, propose_expectation, set_expectation_status,
};
use driehoek_core::model::read::{self, Expectation, Expectations};
use driehoek_core::model::{ExpectationList, ExpectationStatus, Id, Party, Section};

use super::section::{ChooseWhoFirst, People, SectionFrame, day_text};
use crate::i18n::messages::{model_error_text, party_text};

/// What a person does with the expectations; the page turns it into a
/// model command.
#[derive(Clone, Debug)]
pub enum ExpectationAction {
    Propose(ExpectationList, String),
    Mark(ExpectationList, Id, bool),
    Status(ExpectationList, Id, ExpectationStatus),
    Comment(ExpectationList, Id, String),
}

pub fn list_title(list: ExpectationList) -> Words {
    match list {
        ExpectationList::ParentsOfSchool => Words::ListParentsOfSchool,
        ExpectationList::SchoolOfParents => Words::ListSchoolOfParents,
        ExpectationList::OfChild => Words::ListOfChild,
    }
}

pub fn status_text(status: &ExpectationStatus, lang: Lang) -> &'static str {
    match status {
        ExpectationStatus::Proposed => Words::StatusProposed.text(lang),
        ExpectationStatus::Agreed => Words::StatusAgreed.text(lang),
        ExpectationStatus::ToRevisit => Words::StatusToRevisit.text(lang),
        ExpectationStatus::Dropped => Words::StatusDropped.text(lang),
        ExpectationStatus::Unknown(_) => Words::StatusNewer.text(lang),
    }
}

#[component]
pub fn ExpectationsPage() -> impl IntoView {
    view! { <SectionFrame tab=DossierTab::Expectations class="expectations-page" body=body /> }
}

fn body(live: LiveDossier) -> AnyView {
    view! { <ExpectationsView live=live /> }.into_any()
}

#[component]
fn ExpectationsView(live: LiveDossier) -> impl IntoView {
    let locale = use_locale();
    let people = People::of(live);
    let all = Memo::new(move |_| {
        live.read(Section::Expectations, |d| {
            read::expectations(d).unwrap_or_default()
        })
    });
    let can_write = Signal::derive(move || people.me.get().is_some() && !live.is_read_only());
    let my_party = Signal::derive(move || people.me.get().and_then(|m| m.role.party()));
    let on_action = Callback::new(move |action: ExpectationAction| -> Result<(), String> {
        let lang = locale.lang().get_untracked();
        let Some(p) = people.person.get_value() else {
            return Err(Words::ChooseWhoFirst.text(lang).into());
        };
        let outcome = match action {
            ExpectationAction::Propose(list, text) => {
                let id = Id::random().map_err(|e| model_error_text(&e, lang))?;
                live.change(&p, |doc, ctx| {
                    propose_expectation(doc, ctx, list, &id, text.trim())
                })
            }
            ExpectationAction::Mark(list, id, agreed) => {
                live.change(&p, |doc, ctx| mark_agreement(doc, ctx, list, &id, agreed))
            }
            ExpectationAction::Status(list, id, status) => live.change(&p, |doc, ctx| {
                set_expectation_status(doc, ctx, list, &id, &status)
            }),
            ExpectationAction::Comment(list, id, body) => {
                let comment = Id::random().map_err(|e| model_error_text(&e, lang))?;
                live.change(&p, |doc, ctx| {
                    comment_on_expectation(doc, ctx, list, &id, &comment, body.trim())
                })
            }
        };
        outcome.map_err(|e| model_error_text(&e, lang))
    });
    view! {
        <h2>{locale.t(Words::ExpectationsTitle)}</h2>
        <p class="intro">{locale.t(Words::ExpectationsIntro)}</p>
        <Show when=move || people.me.get().is_none()>
            <ChooseWhoFirst live=live />
        </Show>
        <div class="expectation-lists">
            {ExpectationList::ALL
                .into_iter()
                .map(|list| {
                    view! {
                        <ExpectationColumn
                            list=list
                            all=all.into()
                            people=people
                            my_party=my_party
                            can_write=can_write
                            on_action=on_action
                        />
                    }
                })
                .collect_view()}
        </div>
    }
}

fn list_key(list: ExpectationList) -> &'static str {
    match list {
        ExpectationList::ParentsOfSchool => "parents-of-school",
        ExpectationList::SchoolOfParents => "school-of-parents",
        ExpectationList::OfChild => "of-child",
    }
}

#[component]
fn ExpectationColumn(
    list: ExpectationList,
    all: Signal<Expectations>,
    people: People,
    my_party: Signal<Option<Party>>,
    can_write: Signal<bool>,
    on_action: Callback<ExpectationAction, Result<(), String>>,
) -> impl IntoView {
    let locale = use_locale();
    let ids = Memo::new(move |_| {
        all.with(|a| {
            a.list(list)
                .iter()
                .map(|e| e.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match on_action.run(ExpectationAction::Propose(list, text.get_untracked())) {
            Ok(()) => {
                text.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let input_id = format!("new-point-{}", list_key(list));
    view! {
        <section class="card expectation-list" data-list=list_key(list)>
            <h3>{locale.t(list_title(list))}</h3>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="hint">{locale.t(Words::NoPointsYet)}</p>
            </Show>
            <ul class="points">
                <For each=move || ids.get() key=|id| id.clone() let:id>
                    <ExpectationCard
                        point=Signal::derive({
                            let id = id.clone();
                            move || all.with(|a| a.list(list).iter().find(|e| e.id == id).cloned())
                        })
                        people=people
                        my_party=my_party
                        can_write=can_write
                        on_action=on_action
                    />
                </For>
            </ul>
            <Show when=move || can_write.get()>
                <form class="form new-point" on:submit=submit>
                    <label for=input_id.clone()>{locale.t(Words::NewPoint)}</label>
                    <textarea
                        id=input_id.clone()
                        rows="2"
                        maxlength="2000"
                        data-testid=format!("new-point-{}", list_key(list))
                        prop:value=text
                        on:input=move |ev| text.set(event_target_value(&ev))
                    ></textarea>
                    <FormError error=error />
                    <button type="submit" class="button primary" data-testid=format!("propose-{}", list_key(list))>
                        {locale.t(Words::Propose)}
                    </button>
                </form>
            </Show>
        </section>
    }
}

#[component]
fn ExpectationCard(
    point: Signal<Option<Expectation>>,
    people: People,
    my_party: Signal<Option<Party>>,
    can_write: Signal<bool>,
    on_action: Callback<ExpectationAction, Result<(), String>>,
) -> impl IntoView {
    let locale = use_locale();
    let error = RwSignal::new(None::<String>);
    let reply = RwSignal::new(String::new());
    let run = move |action: ExpectationAction| match on_action.run(action) {
        Ok(()) => {
            error.set(None);
            true
        }
        Err(e) => {
            error.set(Some(e));
            false
        }
    };
    let mine_agrees = move || {
        let (Some(p), Some(party)) = (point.get(), my_party.get()) else {
            return false;
        };
        p.marks.iter().any(|m| m.party == party)
    };
    let parties = [Party::Parents, Party::School, Party::Child];
    view! {
        {move || {
            let Some(p) = point.get() else {
                return ().into_any();
            };
            let lang = locale.lang().get();
            let list = p.list;
            let id = p.id.clone();
            let (id_actions, id_status, id_reply) = (id.clone(), id.clone(), id.clone());
            let status_attr = p.status.as_str().to_string();
            let current_status = p.status.clone();
            let status_class = format!("status status-{}", p.status.as_str());
            view! {
                <li class="point" data-testid="expectation" data-status=status_attr>
                    <p class="point-text">{p.text.clone()}</p>
                    <p class="point-meta">
                        <span class=status_class>{status_text(&p.status, lang)}</span>
                        " · "
                        {Words::ProposedBy.text(lang).replace("{name}", &people.name(p.proposed_by.as_ref(), lang))}
                        " · "
                        {day_text(p.proposed_at, lang)}
                    </p>
                    <ul class="marks" aria-label=Words::StatusLabel.text(lang)>
                        {parties
                            .iter()
                            .map(|party| {
                                let agrees = p.marks.iter().any(|m| &m.party == party);
                                view! {
                                    <li class:agrees=agrees data-party=party.as_str().to_string()>
                                        {party_text(party, lang)}
                                        ": "
                                        {if agrees { Words::AgreesYes.text(lang) } else { Words::AgreesNotYet.text(lang) }}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    <Show when=move || can_write.get()>
                        <div class="point-actions">
                            {
                                let (id1, id2) = (id_actions.clone(), id_actions.clone());
                                view! {
                                    <button
                                        type="button"
                                        class="button"
                                        data-testid="agree"
                                        on:click=move |_| {
                                            run(ExpectationAction::Mark(list, id1.clone(), !mine_agrees()));
                                        }
                                    >
                                        {move || if mine_agrees() { locale.t(Words::WithdrawAgreement)() } else { locale.t(Words::WeAgree)() }}
                                    </button>
                                    <button
                                        type="button"
                                        class="button"
                                        data-testid="object"
                                        on:click=move |_| {
                                            if mine_agrees() && !run(ExpectationAction::Mark(list, id2.clone(), false)) {
                                                return;
                                            }
                                            run(ExpectationAction::Status(list, id2.clone(), ExpectationStatus::ToRevisit));
                                        }
                                    >
                                        {locale.t(Words::Object)}
                                    </button>
                                }
                            }
                            <label class="status-choice">
                                <span>{locale.t(Words::StatusLabel)}</span>
                                {
                                    let id = id_status.clone();
                                    let current = current_status.clone();
                                    view! {
                                        <select
                                            data-testid="expectation-status"
                                            on:change=move |ev| {
                                                let status = ExpectationStatus::parse(&event_target_value(&ev));
                                                run(ExpectationAction::Status(list, id.clone(), status));
                                            }
                                        >
                                            {ExpectationStatus::known()
                                                .into_iter()
                                                .map(|s| {
                                                    let selected = s == current;
                                                    view! {
                                                        <option value=s.as_str().to_string() selected=selected>
                                                            {status_text(&s, lang)}
                                                        </option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                    }
                                }
                            </label>
                        </div>
                    </Show>
                    <details class="discussion" open=!p.comments.is_empty()>
                        <summary>
                            {Words::Discussion.text(lang)}
                            " ("
                            {p.comments.len()}
                            ")"
                        </summary>
                        <ul class="comments">
                            {p.comments
                                .iter()
                                .map(|c| {
                                    view! {
                                        <li class="comment">
                                            <strong>{people.name(Some(&c.author), lang)}</strong>
                                            " · "
                                            <span class="hint">{day_text(c.at, lang)}</span>
                                            <p>{c.body.clone()}</p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                        <Show when=move || can_write.get()>
                            {
                                let id = id_reply.clone();
                                view! {
                                    <form
                                        class="form reply"
                                        on:submit=move |ev: leptos::ev::SubmitEvent| {
                                            ev.prevent_default();
                                            if run(ExpectationAction::Comment(list, id.clone(), reply.get_untracked())) {
                                                reply.set(String::new());
                                            }
                                        }
                                    >
                                        <label>
                                            <span>{locale.t(Words::YourReaction)}</span>
                                            <textarea
                                                rows="2"
                                                data-testid="reply-text"
                                                prop:value=reply
                                                on:input=move |ev| reply.set(event_target_value(&ev))
                                            ></textarea>
                                        </label>
                                        <button type="submit" class="button" data-testid="reply">
                                            {locale.t(Words::React)}
                                        </button>
                                    </form>
                                }
                            }
                        </Show>
                    </details>
                    <FormError error=error />
                </li>
            }
                .into_any()
        }}
    }
}
