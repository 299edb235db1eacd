//! The guidance agreement: sections everyone writes in at once, the tasks
//! for the parents, how often we talk, when we evaluate, the signatures
//! (with what changed since each), who changed what, and a print view.

use automerge::ChangeHash;
use leptos::prelude::*;

use crate::components::form_error::FormError;

use crate::components::dossier_nav::DossierTab;
use crate::components::shared_text::{FieldCommit, SharedText, SharedTextArea};
use crate::i18n::{Lang, Phrase, Text, Words, format_date, use_locale};
use crate::platform::clock::today;
use crate::store::LiveDossier;
use driehoek_core::model::agreement_log::AgreementPart;
use driehoek_core::model::commands::{
    add_parent_task, edit_agreement_section_over, remove_parent_task, set_conversation_arrangement,
    set_evaluation_date, set_parent_task_status,
};
use driehoek_core::model::read::{self, GuidanceAgreement, Signature};
use driehoek_core::model::schema::section_text;
use driehoek_core::model::signing::SignatureState;
use driehoek_core::model::text_field::caret_now;
use driehoek_core::model::{AgreementSection, Date, Id, PersonId, Section, TaskStatus};
use driehoek_core::sync::signing::DeviceCheck;

use super::section::{ChooseWhoFirst, People, SectionFrame, day_text};
use crate::i18n::messages::{model_error_text, role_text};

pub fn section_title(section: AgreementSection) -> Words {
    match section {
        AgreementSection::Goals => Words::SectionGoals,
        AgreementSection::ApproachSchool => Words::SectionApproachSchool,
        AgreementSection::ApproachHome => Words::SectionApproachHome,
        AgreementSection::Reachability => Words::SectionReachability,
        AgreementSection::Privacy => Words::SectionPrivacy,
    }
}

fn section_hint(section: AgreementSection) -> Words {
    match section {
        AgreementSection::Goals => Words::HintGoals,
        AgreementSection::ApproachSchool => Words::HintApproachSchool,
        AgreementSection::ApproachHome => Words::HintApproachHome,
        AgreementSection::Reachability => Words::HintReachability,
        AgreementSection::Privacy => Words::HintPrivacy,
    }
}

fn section_field(section: AgreementSection) -> &'static str {
    match section {
        AgreementSection::Goals => "goals",
        AgreementSection::ApproachSchool => "approach-school",
        AgreementSection::ApproachHome => "approach-home",
        AgreementSection::Reachability => "reachability",
        AgreementSection::Privacy => "privacy",
    }
}

pub fn part_text(part: AgreementPart, lang: Lang) -> String {
    match part {
        AgreementPart::Section(s) => section_title(s).text(lang).to_lowercase(),
        AgreementPart::Tasks => Words::PartTasks.text(lang).into(),
        AgreementPart::Arrangement => Words::PartArrangement.text(lang).into(),
        AgreementPart::EvaluationDate => Words::PartEvaluationDate.text(lang).into(),
        AgreementPart::Signatures => Words::PartSignatures.text(lang).into(),
    }
}

#[component]
pub fn AgreementPage() -> impl IntoView {
    view! { <SectionFrame tab=DossierTab::Agreement class="agreement-page" body=body /> }
}

fn body(live: LiveDossier) -> AnyView {
    view! { <AgreementView live=live /> }.into_any()
}

/// Runs a model command as the person using this device.
fn acting(
    live: LiveDossier,
    person: Option<PersonId>,
    lang: Lang,
) -> Result<(LiveDossier, PersonId), String> {
    match person {
        Some(p) => Ok((live, p)),
        None => Err(Words::ChooseWhoFirst.text(lang).into()),
    }
}

#[component]
fn AgreementView(live: LiveDossier) -> impl IntoView {
    let locale = use_locale();
    let people = People::of(live);
    let agreement = Memo::new(move |_| live.read(Section::Agreement, |d| read::agreement(d).ok()));
    let summary =
        Memo::new(move |_| live.read(Section::Dossier, |d| read::dossier_summary(d).ok()));
    let can_write = Signal::derive(move || people.me.get().is_some() && !live.is_read_only());
    let printed_on = move || {
        let lang = locale.lang().get();
        let date = today().map(|d| format_date(d, lang)).unwrap_or_default();
        Words::PrintedOn.text(lang).replace("{date}", &date)
    };
    view! {
        <div class="print-head" aria-hidden="true">
            <p>
                <strong>{move || summary.get().map(|s| s.child_name)}</strong>
                " · "
                {locale.t(Words::AgreementTitle)}
            </p>
            <p>{printed_on}</p>
        </div>
        <div class="section-title">
            <h2>{locale.t(Words::AgreementTitle)}</h2>
            <button
                type="button"
                class="button no-print"
                data-testid="print"
                on:click=move |_| {
                    if let Ok(w) = web_sys::window().ok_or(()) {
                        let _ = w.print();
                    }
                }
            >
                {locale.t(Words::Print)}
            </button>
        </div>
        <p class="intro no-print">{locale.t(Words::AgreementIntro)}</p>
        <Show when=move || people.me.get().is_none()>
            <ChooseWhoFirst live=live />
        </Show>
        <div class="card agreement-sections">
            {AgreementSection::ALL
                .into_iter()
                .map(|section| view! { <SectionField live=live section=section people=people can_write=can_write /> })
                .collect_view()}
        </div>
        <ParentTasks live=live agreement=agreement.into() people=people can_write=can_write />
        <ArrangementAndEvaluation live=live agreement=agreement.into() people=people can_write=can_write />
        <Signatures live=live agreement=agreement.into() people=people can_write=can_write />
        <AgreementHistory live=live people=people />
    }
}

#[component]
fn SectionField(
    live: LiveDossier,
    section: AgreementSection,
    people: People,
    can_write: Signal<bool>,
) -> impl IntoView {
    let locale = use_locale();
    let source = Memo::new(move |_| {
        live.read_with_heads(Section::Agreement, |d, heads| SharedText {
            text: read::section(d, section).unwrap_or_default(),
            heads: heads.to_vec(),
        })
        .unwrap_or_default()
    });
    let on_commit = Callback::new(move |c: FieldCommit| -> Result<(usize, usize), String> {
        let lang = locale.lang().get_untracked();
        let (live, p) = acting(live, people.person.get_value(), lang)?;
        let own = live
            .change_from_drafts(&p, &c.drafts, |doc, ctx| {
                edit_agreement_section_over(doc, ctx, section, &c.heads, &c.base, &c.value)
            })
            .map_err(|e| model_error_text(&e, lang))?;
        let moved = live.read_with_heads(Section::Agreement, |doc, _| {
            let text = section_text(doc, section).ok()?;
            let start = caret_now(doc, &text, &c.heads, own.as_ref(), c.selection.0).ok()?;
            let end = caret_now(doc, &text, &c.heads, own.as_ref(), c.selection.1).ok()?;
            Some((start, end))
        });
        Ok(moved.flatten().unwrap_or(c.selection))
    });
    let on_move_caret = Callback::new(
        move |(heads, (start, end)): (Vec<ChangeHash>, (usize, usize))| {
            live.read_with_heads(Section::Agreement, |doc, _| {
                let text = section_text(doc, section).ok()?;
                Some((
                    caret_now(doc, &text, &heads, None, start).ok()?,
                    caret_now(doc, &text, &heads, None, end).ok()?,
                ))
            })
            .flatten()
            .unwrap_or((start, end))
        },
    );
    view! {
        <div class="agreement-section" data-section=section.key()>
            <SharedTextArea
                dossier=live.id()
                field=format!("agreement-{}", section_field(section))
                test_id=format!("agreement-{}", section_field(section))
                label=Signal::derive(move || section_title(section).text(locale.lang().get()))
                hint=Signal::derive(move || section_hint(section).text(locale.lang().get()))
                source=source.into()
                on_commit=on_commit
                on_move_caret=on_move_caret
                disabled=Signal::derive(move || !can_write.get())
            />
            // What is printed: the text itself, not a text area.
            <h4 class="print-title">{move || section_title(section).text(locale.lang().get())}</h4>
            <div class="print-text">{move || source.get().text}</div>
        </div>
    }
}

#[component]
fn ParentTasks(
    live: LiveDossier,
    agreement: Signal<Option<GuidanceAgreement>>,
    people: People,
    can_write: Signal<bool>,
) -> impl IntoView {
    let locale = use_locale();
    let what = RwSignal::new(String::new());
    let who = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let act = move |f: &dyn Fn(
        &LiveDossier,
        &PersonId,
    ) -> Result<(), driehoek_core::model::ModelError>| {
        let lang = locale.lang().get_untracked();
        let outcome = acting(live, people.person.get_value(), lang)
            .and_then(|(live, p)| f(&live, &p).map_err(|e| model_error_text(&e, lang)));
        match outcome {
            Ok(()) => {
                error.set(None);
                true
            }
            Err(e) => {
                error.set(Some(e));
                false
            }
        }
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = locale.lang().get_untracked();
        let owner = match Id::new(who.get_untracked()) {
            Ok(o) => o,
            Err(e) => {
                error.set(Some(model_error_text(&e, lang)));
                return;
            }
        };
        let due_date = match due.get_untracked().trim() {
            "" => None,
            d => match Date::parse(d) {
                Ok(d) => Some(d),
                Err(e) => {
                    error.set(Some(model_error_text(&e, lang)));
                    return;
                }
            },
        };
        let text = what.get_untracked().trim().to_string();
        let done = act(&|live, p| {
            let id = Id::random()?;
            live.change(p, |doc, ctx| {
                add_parent_task(doc, ctx, &id, &text, &owner, due_date)
            })
        });
        if done {
            what.set(String::new());
            due.set(String::new());
        }
    };
    let tasks = Memo::new(move |_| agreement.get().map(|a| a.tasks).unwrap_or_default());
    view! {
        <section class="card parent-tasks" data-testid="parent-tasks">
            <h3>{locale.t(Words::ParentTasks)}</h3>
            <Show when=move || tasks.with(Vec::is_empty)>
                <p class="hint">{locale.t(Words::NoTasksYet)}</p>
            </Show>
            <ul class="tasks">
                {
                    move || {
                        let lang = locale.lang().get();
                        tasks
                            .get()
                            .into_iter()
                            .map(|t| {
                                let done = t.status == TaskStatus::Done;
                                let (id1, id2) = (t.id.clone(), t.id.clone());
                                let (act1, act2) = (act, act);
                                view! {
                                    <li class="task" class:done=done data-testid="parent-task">
                                        <label class="check">
                                            <input
                                                type="checkbox"
                                                prop:checked=done
                                                disabled=move || !can_write.get()
                                                on:change=move |ev| {
                                                    let status = if event_target_checked(&ev) { TaskStatus::Done } else { TaskStatus::Open };
                                                    act1(&|live, p| live.change(p, |doc, ctx| set_parent_task_status(doc, ctx, &id1, &status)));
                                                }
                                            />
                                            <span>
                                                <span class="task-what">{t.what.clone()}</span>
                                                " · "
                                                {people.name(t.who.as_ref(), lang)}
                                                {t.due.map(|d| format!(" · {}", Words::DueOn.text(lang).replace("{date}", &format_date(d, lang))))}
                                            </span>
                                        </label>
                                        <Show when=move || can_write.get()>
                                            {
                                                let id2 = id2.clone();
                                                view! {
                                                    <button
                                                        type="button"
                                                        class="link-button no-print"
                                                        on:click=move |_| {
                                                            act2(&|live, p| live.change(p, |doc, ctx| remove_parent_task(doc, ctx, &id2)));
                                                        }
                                                    >
                                                        {locale.t(Words::TaskRemove)}
                                                    </button>
                                                }
                                            }
                                        </Show>
                                    </li>
                                }
                            })
                            .collect_view()
                    }
                }
            </ul>
            <Show when=move || can_write.get()>
                <form class="form new-task no-print" on:submit=add>
                    <label>
                        <span>{locale.t(Words::TaskWhat)}</span>
                        <input
                            type="text"
                            maxlength="200"
                            required
                            data-testid="task-what"
                            prop:value=what
                            on:input=move |ev| what.set(event_target_value(&ev))
                        />
                    </label>
                    <label>
                        <span>{locale.t(Words::TaskWho)}</span>
                        <select
                            data-testid="task-who"
                            required
                            prop:value=who
                            on:change=move |ev| who.set(event_target_value(&ev))
                        >
                            <option value="">"–"</option>
                            {move || {
                                let lang = locale.lang().get();
                                people
                                    .members
                                    .get()
                                    .people
                                    .into_iter()
                                    .map(|m| {
                                        view! {
                                            <option value=m.id.to_string()>
                                                {format!("{} ({})", m.name, role_text(&m.role, lang))}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                    <label>
                        <span>{locale.t(Words::TaskDue)}</span>
                        <input
                            type="date"
                            data-testid="task-due"
                            prop:value=due
                            on:input=move |ev| due.set(event_target_value(&ev))
                        />
                    </label>
                    <button type="submit" class="button primary" data-testid="add-task">
                        {locale.t(Words::AddTask)}
                    </button>
                </form>
            </Show>
            <FormError error=error />
        </section>
    }
}

#[component]
fn ArrangementAndEvaluation(
    live: LiveDossier,
    agreement: Signal<Option<GuidanceAgreement>>,
    people: People,
    can_write: Signal<bool>,
) -> impl IntoView {
    let locale = use_locale();
    let stored = Memo::new(move |_| {
        agreement
            .get()
            .map(|a| (a.arrangement, a.evaluation_date))
            .unwrap_or_default()
    });
    let how_often = RwSignal::new(stored.get_untracked().0.how_often);
    let with_whom = RwSignal::new(stored.get_untracked().0.with_whom);
    let evaluation = RwSignal::new(
        stored
            .get_untracked()
            .1
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    // Others' changes arrive in the fields unless this person is editing
    // them (then saving shows the stored value again).
    let editing = RwSignal::new(false);
    Effect::new(move || {
        let (a, d) = stored.get();
        if !editing.get_untracked() {
            how_often.set(a.how_often);
            with_whom.set(a.with_whom);
            evaluation.set(d.map(|d| d.to_string()).unwrap_or_default());
        }
    });
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = locale.lang().get_untracked();
        let (live, p) = match acting(live, people.person.get_value(), lang) {
            Ok(x) => x,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        let (a, d) = stored.get_untracked();
        let how = how_often.get_untracked().trim().to_string();
        let whom = with_whom.get_untracked().trim().to_string();
        let date = match evaluation.get_untracked().trim() {
            "" => None,
            s => match Date::parse(s) {
                Ok(d) => Some(d),
                Err(e) => {
                    error.set(Some(model_error_text(&e, lang)));
                    return;
                }
            },
        };
        let mut outcome = Ok(());
        if how != a.how_often || whom != a.with_whom {
            let how_opt = (how != a.how_often).then_some(how.as_str());
            let whom_opt = (whom != a.with_whom).then_some(whom.as_str());
            outcome = live.change(&p, |doc, ctx| {
                set_conversation_arrangement(doc, ctx, how_opt, whom_opt)
            });
        }
        if outcome.is_ok() && date != d {
            outcome = live.change(&p, |doc, ctx| set_evaluation_date(doc, ctx, date));
        }
        match outcome {
            Ok(()) => {
                error.set(None);
                editing.set(false);
                saved.set(true);
            }
            Err(e) => error.set(Some(model_error_text(&e, lang))),
        }
    };
    view! {
        <section class="card arrangement">
            <h3>{locale.t(Words::Arrangement)}</h3>
            <form class="form" on:submit=save on:input=move |_| {
                editing.set(true);
                saved.set(false);
            }>
                <label>
                    <span>{locale.t(Words::HowOften)}</span>
                    <input
                        type="text"
                        maxlength="2000"
                        data-testid="how-often"
                        disabled=move || !can_write.get()
                        prop:value=how_often
                        on:input=move |ev| how_often.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    <span>{locale.t(Words::WithWhom)}</span>
                    <input
                        type="text"
                        maxlength="2000"
                        data-testid="with-whom"
                        disabled=move || !can_write.get()
                        prop:value=with_whom
                        on:input=move |ev| with_whom.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    <span>{locale.t(Words::EvaluationDate)}</span>
                    <input
                        type="date"
                        data-testid="evaluation-date"
                        disabled=move || !can_write.get()
                        prop:value=evaluation
                        on:input=move |ev| evaluation.set(event_target_value(&ev))
                    />
                </label>
                <Show when=move || can_write.get()>
                    <p class="actions no-print">
                        <button type="submit" class="button primary" data-testid="save-arrangement">
                            {locale.t(Text::Save)}
                        </button>
                        <Show when=move || saved.get()>
                            <span class="saved-note" role="status">{locale.t(Words::FieldSaved)}</span>
                        </Show>
                    </p>
                </Show>
            </form>
            <FormError error=error />
        </section>
    }
}

fn state_text(state: &SignatureState, lang: Lang) -> &'static str {
    match state {
        SignatureState::Valid => Words::SignatureValid.text(lang),
        SignatureState::NeedsSigningAgain => Words::SignatureOutdated.text(lang),
        SignatureState::UnknownEncoding => Words::SignatureUnknownEncoding.text(lang),
    }
}

fn check_text(check: DeviceCheck, lang: Lang) -> &'static str {
    match check {
        DeviceCheck::Verified => Words::DeviceVerified.text(lang),
        DeviceCheck::Unsigned => Words::DeviceUnsigned.text(lang),
        DeviceCheck::Unverifiable => Words::DeviceUnverifiable.text(lang),
    }
}

#[component]
fn Signatures(
    live: LiveDossier,
    agreement: Signal<Option<GuidanceAgreement>>,
    people: People,
    can_write: Signal<bool>,
) -> impl IntoView {
    let locale = use_locale();
    // The device checks read the members too; both trigger a re-read.
    let checks = Memo::new(move |_| {
        agreement.track();
        people.members.track();
        live.signature_checks()
            .into_iter()
            .map(|(s, c)| (s.id.clone(), c))
            .collect::<Vec<_>>()
    });
    let latest = Memo::new(move |_| agreement.get().map(|a| a.signatures).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let my_valid = Signal::derive(move || {
        let me = people.person.get_value();
        latest.with(|l| {
            l.iter()
                .any(|s| Some(&s.person) == me.as_ref() && s.state == SignatureState::Valid)
        })
    });
    let sign = move |_| {
        let lang = locale.lang().get_untracked();
        let outcome = acting(live, people.person.get_value(), lang).and_then(|(live, p)| {
            live.sign_agreement(&p)
                .map_err(|e| model_error_text(&e, lang))
        });
        error.set(outcome.err());
    };
    view! {
        <section class="card signatures" data-testid="signatures">
            <h3>{locale.t(Words::Signatures)}</h3>
            <p class="hint no-print">{locale.t(Words::ChildSigns)}</p>
            <ul class="signature-list">
                {move || {
                    let lang = locale.lang().get();
                    let signed = latest.get();
                    let checks = checks.get();
                    people
                        .members
                        .get()
                        .people
                        .into_iter()
                        .map(|m| {
                            let sig = signed.iter().find(|s| s.person == m.id).cloned();
                            let check = sig
                                .as_ref()
                                .and_then(|s| checks.iter().find(|(id, _)| *id == s.id).map(|(_, c)| *c));
                            view! {
                                <SignatureRow live=live name=m.name.clone() role=role_text(&m.role, lang) signature=sig check=check />
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <Show when=move || can_write.get()>
                {move || {
                    let lang = locale.lang().get();
                    let name = people.me.get().map(|m| m.name).unwrap_or_default();
                    if my_valid.get() {
                        view! { <p class="ok-note" data-testid="you-signed">{Words::YouSignedThis.text(lang)}</p> }.into_any()
                    } else {
                        view! {
                            <button type="button" class="button primary no-print" data-testid="sign" on:click=sign>
                                {Words::SignAs.text(lang).replace("{name}", &name)}
                            </button>
                        }
                            .into_any()
                    }
                }}
            </Show>
            <FormError error=error />
        </section>
    }
}

#[component]
fn SignatureRow(
    live: LiveDossier,
    name: String,
    role: String,
    signature: Option<Signature>,
    check: Option<DeviceCheck>,
) -> impl IntoView {
    let locale = use_locale();
    let Some(sig) = signature else {
        return view! {
            <li class="signature missing" data-testid="signature" data-state="missing">
                <strong>{name}</strong>
                " (" {role} ") "
                {locale.t(Words::NotSignedYet)}
            </li>
        }
        .into_any();
    };
    let outdated = sig.state == SignatureState::NeedsSigningAgain;
    let heads = sig.heads.clone();
    let changed = move || {
        if !outdated {
            return None;
        }
        let lang = locale.lang().get();
        let parts = live.agreement_changed_since(&heads)?;
        (!parts.is_empty()).then(|| {
            let list: Vec<String> = parts.into_iter().map(|p| part_text(p, lang)).collect();
            format!(
                "{} {}",
                Words::ChangedSinceSigning.text(lang),
                list.join(", ")
            )
        })
    };
    let state = match sig.state {
        SignatureState::Valid => "valid",
        SignatureState::NeedsSigningAgain => "outdated",
        SignatureState::UnknownEncoding => "unknown",
    };
    let signed_at = sig.signed_at;
    let sig_state = sig.state;
    view! {
        <li class="signature" class:outdated=outdated data-testid="signature" data-state=state>
            <strong>{name}</strong>
            " (" {role} ") "
            {move || Words::SignedOn.text(locale.lang().get()).replace("{date}", &day_text(signed_at, locale.lang().get()))}
            <p class="signature-state">{move || state_text(&sig_state, locale.lang().get())}</p>
            {move || changed().map(|c| view! { <p class="changed-since" data-testid="changed-since">{c}</p> })}
            {check.map(|c| view! { <p class="hint device-check" data-check=format!("{c:?}").to_lowercase()>{move || check_text(c, locale.lang().get())}</p> })}
        </li>
    }
    .into_any()
}

#[component]
fn AgreementHistory(live: LiveDossier, people: People) -> impl IntoView {
    let locale = use_locale();
    let open = RwSignal::new(false);
    // Read only while open: it walks the dossier's history.
    let items = Memo::new(move |_| {
        if open.get() {
            live.agreement_history(30)
        } else {
            Vec::new()
        }
    });
    view! {
        <details class="card history no-print" on:toggle=move |ev| {
            open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open());
        }>
            <summary>{locale.t(Words::History)}</summary>
            <ul class="history-list" data-testid="agreement-history">
                {move || {
                    let lang = locale.lang().get();
                    let items = items.get();
                    if items.is_empty() {
                        return view! { <li class="hint">{Words::NoHistoryYet.text(lang)}</li> }.into_any();
                    }
                    items
                        .into_iter()
                        .map(|c| {
                            let parts: Vec<String> = c.parts.iter().map(|p| part_text(*p, lang)).collect();
                            view! {
                                <li>
                                    <strong>{people.name(c.person.as_ref(), lang)}</strong>
                                    " · "
                                    {parts.join(", ")}
                                    " · "
                                    <span class="hint">{day_text(c.at, lang)}</span>
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
        </details>
    }
}
