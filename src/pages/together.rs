//! Home and school: questions the school puts to talk about at home (the
//! child answers them in the logbook, with the same form and drafts as the
//! logbook's own), and tips and sources anyone shares, with "we tried it".

use std::collections::HashMap;

use leptos::prelude::*;

use crate::components::form_error::FormError;

use crate::components::dossier_nav::DossierTab;
use crate::components::entry_form::NewEntryForm;
use crate::i18n::{Lang, Phrase, TogetherWords as W, use_locale};
use crate::store::{DraftSlot, LiveDossier};
use driehoek_core::model::commands::{
    NewEntry, NewSource, add_entry, add_home_prompt, add_source, mark_source_tried,
    remove_home_prompt, remove_source,
};
use driehoek_core::model::read::{self, HomePrompt, LogbookEntry, Members, Source};
use driehoek_core::model::{Id, Role, Section, SourceKind};

use super::section::{Acting, ChooseWhoFirst, People, SectionFrame, day_text};
use crate::i18n::messages::model_error_text;

#[component]
pub fn TogetherPage() -> impl IntoView {
    view! { <SectionFrame tab=DossierTab::Together class="together-page" body=body /> }
}

fn body(live: LiveDossier) -> AnyView {
    view! { <TogetherView live=live /> }.into_any()
}

pub fn source_kind_text(kind: &SourceKind, lang: Lang) -> &'static str {
    match kind {
        SourceKind::Website => W::KindWebsite.text(lang),
        SourceKind::Book => W::KindBook.text(lang),
        SourceKind::Event => W::KindEvent.text(lang),
        SourceKind::Other => W::KindOther.text(lang),
        SourceKind::Unknown(_) => W::KindNewer.text(lang),
    }
}

/// A link people may follow: only http and https (the model refuses
/// anything else, this keeps an old or foreign value from becoming one).
fn safe_link(link: &str) -> Option<String> {
    (link.starts_with("https://") || link.starts_with("http://")).then(|| link.to_string())
}

/// The link as typed, `None` when left empty.
fn typed_link(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

#[component]
fn TogetherView(live: LiveDossier) -> impl IntoView {
    let locale = use_locale();
    let people = People::of(live);
    let can_write = Signal::derive(move || people.me.get().is_some() && !live.is_read_only());
    let from_school = Signal::derive(move || {
        people.me.with(|m| {
            m.as_ref()
                .is_some_and(|m| matches!(m.role, Role::Teacher | Role::Coordinator))
        })
    });
    let prompts = Memo::new(move |_| {
        live.read(Section::Prompts, |d| {
            read::home_prompts(d).unwrap_or_default()
        })
    });
    let sources =
        Memo::new(move |_| live.read(Section::Sources, |d| read::sources(d).unwrap_or_default()));
    // One pass over the logbook for all questions, and none while there
    // are no questions.
    let answers = Memo::new(move |_| {
        if prompts.with(Vec::is_empty) {
            return HashMap::new();
        }
        let book = live.logbook();
        people.members.with(|m| answers_by_prompt(&book.entries, m))
    });
    view! {
        <h2>{locale.t(W::Title)}</h2>
        <p class="intro">{locale.t(W::Intro)}</p>
        <Show when=move || people.me.get().is_none()>
            <ChooseWhoFirst live=live />
        </Show>
        <section class="card prompts" data-testid="home-prompts" aria-labelledby="prompts-title">
            <h3 id="prompts-title">{locale.t(W::PromptsTitle)}</h3>
            <p class="hint">{locale.t(W::PromptsIntro)}</p>
            <Show when=move || can_write.get() && from_school.get()>
                <NewPrompt live=live people=people />
            </Show>
            <Show when=move || prompts.with(Vec::is_empty)>
                <p class="hint" data-testid="no-prompts">{locale.t(W::NoPrompts)}</p>
            </Show>
            <ul class="prompt-list">
                <For each=move || prompts.get() key=|p| p.id.clone() let:prompt>
                    <PromptCard
                        live=live
                        people=people
                        prompt=prompt
                        all_answers=answers
                        can_write=can_write
                    />
                </For>
            </ul>
        </section>
        <section class="card sources" data-testid="sources" aria-labelledby="sources-title">
            <h3 id="sources-title">{locale.t(W::SourcesTitle)}</h3>
            <p class="hint">{locale.t(W::SourcesIntro)}</p>
            <Show when=move || can_write.get()>
                <NewSourceForm live=live people=people />
            </Show>
            <Show when=move || sources.with(Vec::is_empty)>
                <p class="hint" data-testid="no-sources">{locale.t(W::NoSources)}</p>
            </Show>
            <ul class="source-list">
                <For each=move || sources.get() key=|s| (s.id.clone(), s.tried_by.clone()) let:source>
                    <SourceCard live=live people=people source=source can_write=can_write />
                </For>
            </ul>
        </section>
    }
}

/// The required one-line name of what is being added; typing in it again
/// takes back the "it is added" note (`done`).
#[component]
fn NameField(
    label: W,
    test_id: &'static str,
    value: RwSignal<String>,
    done: RwSignal<bool>,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <label>
            <span>{locale.t(label)}</span>
            <input
                type="text"
                required
                maxlength="200"
                data-testid=test_id
                prop:value=value
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    done.set(false);
                }
            />
        </label>
    }
}

#[component]
fn NewPrompt(live: LiveDossier, people: People) -> impl IntoView {
    let locale = use_locale();
    let title = RwSignal::new(String::new());
    let question = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let posted = RwSignal::new(false);
    let acting = Acting {
        live,
        people,
        error,
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (t, q) = (
            title.get_untracked().trim().to_string(),
            question.get_untracked().trim().to_string(),
        );
        let done = acting.run(|live, p| {
            let id = Id::random()?;
            live.change(p, |doc, ctx| add_home_prompt(doc, ctx, &id, &t, &q))
        });
        if done {
            title.set(String::new());
            question.set(String::new());
        }
        posted.set(done);
    };
    view! {
        <details class="new-prompt">
            <summary data-testid="new-prompt">{locale.t(W::NewPrompt)}</summary>
            <form class="form" on:submit=submit>
                <NameField label=W::PromptTitle test_id="prompt-title" value=title done=posted />
                <label>
                    <span>{locale.t(W::PromptQuestion)}</span>
                    <textarea
                        rows="3"
                        required
                        data-testid="prompt-question"
                        prop:value=question
                        on:input=move |ev| question.set(event_target_value(&ev))
                    ></textarea>
                </label>
                <FormError error=error />
                <p class="actions">
                    <button type="submit" class="button primary" data-testid="post-prompt">
                        {locale.t(W::PostPrompt)}
                    </button>
                    <Show when=move || posted.get()>
                        <span class="saved-note" role="status">{locale.t(W::PromptPosted)}</span>
                    </Show>
                </p>
            </form>
        </details>
    }
}

/// An answer to a question for home: a logbook entry that names it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PromptAnswer {
    entry: Id,
    name: String,
    by_child: bool,
    body: String,
}

/// The logbook's answers per question, in the logbook's order.
fn answers_by_prompt(
    entries: &[LogbookEntry],
    members: &Members,
) -> HashMap<Id, Vec<PromptAnswer>> {
    let mut by: HashMap<Id, Vec<PromptAnswer>> = HashMap::new();
    for e in entries {
        if let Some(prompt) = &e.prompt {
            by.entry(prompt.clone()).or_default().push(PromptAnswer {
                entry: e.id.clone(),
                name: members
                    .get(&e.author)
                    .map(|a| a.name.clone())
                    .unwrap_or_default(),
                by_child: e.by_child,
                body: e.body.clone(),
            });
        }
    }
    by
}

#[component]
fn PromptCard(
    live: LiveDossier,
    people: People,
    prompt: HomePrompt,
    all_answers: Memo<HashMap<Id, Vec<PromptAnswer>>>,
    can_write: Signal<bool>,
) -> impl IntoView {
    let locale = use_locale();
    let id = prompt.id.clone();
    let answering = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let acting = Acting {
        live,
        people,
        error,
    };
    let answers = Memo::new({
        let id = id.clone();
        move |_| all_answers.with(|a| a.get(&id).cloned().unwrap_or_default())
    });
    let on_save = Callback::new(move |(new, drafts): (NewEntry, Vec<DraftSlot>)| {
        let lang = locale.lang().get_untracked();
        let Some(p) = people.person.get_value() else {
            return Err(crate::i18n::Words::ChooseWhoFirst.text(lang).to_string());
        };
        live.change_from_drafts(&p, &drafts, |doc, ctx| add_entry(doc, ctx, &new))
            .map_err(|e| model_error_text(&e, lang))?;
        answering.set(false);
        Ok(())
    });
    let mine = prompt.by.clone() == people.person.get_value() && prompt.by.is_some();
    let remove = {
        let id = id.clone();
        move |_| {
            acting.run(|live, p| live.change(p, |doc, ctx| remove_home_prompt(doc, ctx, &id)));
        }
    };
    let by = prompt.by.clone();
    let created = prompt.created_at;
    let dossier = StoredValue::new(live.id());
    let entry_href = move |entry: &Id| format!("/d/{}/entry/{entry}", dossier.get_value());
    view! {
        <li class="prompt" data-testid="home-prompt">
            <h4>{prompt.title.clone()}</h4>
            <p class="prompt-question">{prompt.question.clone()}</p>
            <p class="hint">
                {move || {
                    let lang = locale.lang().get();
                    W::PromptBy
                        .text(lang)
                        .replace("{name}", &people.name(by.as_ref(), lang))
                        .replace("{date}", &day_text(created, lang))
                }}
            </p>
            <div class="answers" data-testid="prompt-answers">
                <h5>{locale.t(W::Answers)}</h5>
                <Show
                    when=move || answers.with(|a| !a.is_empty())
                    fallback=move || view! { <p class="hint">{locale.t(W::NoAnswers)}</p> }
                >
                    <ul>
                        {move || {
                            answers
                                .get()
                                .into_iter()
                                .map(|PromptAnswer { entry, name, by_child, body }| {
                                    let who = if by_child {
                                        format!("{name} · {}", crate::i18n::Text::WrittenByChild.get(locale.lang().get()))
                                    } else {
                                        name
                                    };
                                    view! {
                                        <li data-testid="prompt-answer">
                                            <a href=entry_href(&entry)>{body}</a>
                                            <span class="hint">" — " {who}</span>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                </Show>
            </div>
            <Show when=move || can_write.get()>
                <p class="actions">
                    <button
                        type="button"
                        class="button"
                        data-testid="answer-prompt"
                        aria-expanded=move || answering.get().to_string()
                        on:click=move |_| answering.update(|a| *a = !*a)
                    >
                        {move || {
                            let lang = locale.lang().get();
                            if answering.get() { W::AnswerClose.text(lang) } else { W::Answer.text(lang) }
                        }}
                    </button>
                    {mine.then(|| view! {
                        <button type="button" class="link-button" data-testid="remove-prompt" on:click=remove.clone()>
                            {locale.t(W::RemovePrompt)}
                        </button>
                    })}
                </p>
            </Show>
            <Show when=move || answering.get() && can_write.get()>
                <NewEntryForm
                    dossier=live.id()
                    can_save=Signal::derive(|| true)
                    on_save=on_save
                    prompt=id.clone()
                />
            </Show>
            <FormError error=error />
        </li>
    }
}

#[component]
fn NewSourceForm(live: LiveDossier, people: People) -> impl IntoView {
    let locale = use_locale();
    let title = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    let kind = RwSignal::new(SourceKind::Website);
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let added = RwSignal::new(false);
    let acting = Acting {
        live,
        people,
        error,
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let done = acting.run(|live, p| {
            let new = NewSource {
                id: Id::random()?,
                title: title.get_untracked().trim().to_string(),
                link: typed_link(&link.get_untracked()),
                kind: kind.get_untracked(),
                note: note.get_untracked().trim().to_string(),
            };
            live.change(p, |doc, ctx| add_source(doc, ctx, &new))
        });
        if done {
            title.set(String::new());
            link.set(String::new());
            note.set(String::new());
        }
        added.set(done);
    };
    view! {
        <details class="new-source">
            <summary data-testid="new-source">{locale.t(W::NewSource)}</summary>
            <form class="form" on:submit=submit>
                <NameField label=W::SourceTitle test_id="source-title" value=title done=added />
                <label>
                    <span>{locale.t(W::SourceKind)}</span>
                    <select
                        data-testid="source-kind"
                        on:change=move |ev| kind.set(SourceKind::parse(&event_target_value(&ev)))
                    >
                        {move || {
                            let lang = locale.lang().get();
                            SourceKind::known()
                                .into_iter()
                                .map(|k| {
                                    let selected = k == kind.get_untracked();
                                    view! {
                                        <option value=k.as_str().to_string() selected=selected>
                                            {source_kind_text(&k, lang)}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label>
                    <span>{locale.t(W::SourceLink)}</span>
                    <input
                        type="url"
                        inputmode="url"
                        maxlength="2000"
                        placeholder="https://"
                        aria-describedby="source-link-hint"
                        data-testid="source-link"
                        prop:value=link
                        on:input=move |ev| link.set(event_target_value(&ev))
                    />
                    <span class="hint" id="source-link-hint">{locale.t(W::SourceLinkHint)}</span>
                </label>
                <label>
                    <span>{locale.t(W::SourceNote)}</span>
                    <textarea
                        rows="2"
                        maxlength="2000"
                        data-testid="source-note"
                        prop:value=note
                        on:input=move |ev| note.set(event_target_value(&ev))
                    ></textarea>
                </label>
                <FormError error=error />
                <p class="actions">
                    <button type="submit" class="button primary" data-testid="add-source">
                        {locale.t(W::AddSource)}
                    </button>
                    <Show when=move || added.get()>
                        <span class="saved-note" role="status">{locale.t(W::SourceAdded)}</span>
                    </Show>
                </p>
            </form>
        </details>
    }
}

#[component]
fn SourceCard(
    live: LiveDossier,
    people: People,
    source: Source,
    can_write: Signal<bool>,
) -> impl IntoView {
    let locale = use_locale();
    let error = RwSignal::new(None::<String>);
    let acting = Acting {
        live,
        people,
        error,
    };
    let me = people.person.get_value();
    let tried = me.as_ref().is_some_and(|p| source.tried_by.contains(p));
    let mine = me.is_some() && source.added_by == me;
    let id = source.id.clone();
    let toggle = {
        let id = id.clone();
        move |_| {
            acting
                .run(|live, p| live.change(p, |doc, ctx| mark_source_tried(doc, ctx, &id, !tried)));
        }
    };
    let remove = move |_| {
        acting.run(|live, p| live.change(p, |doc, ctx| remove_source(doc, ctx, &id)));
    };
    let kind = source.kind.clone();
    let added_by = source.added_by.clone();
    let tried_by = source.tried_by.clone();
    let title = source.title.clone();
    view! {
        <li class="source" data-testid="source">
            <h4>
                {match source.link.as_deref().and_then(safe_link) {
                    Some(href) => view! {
                        <a href=href target="_blank" rel="noopener noreferrer">{title}</a>
                    }.into_any(),
                    None => view! { <span>{title}</span> }.into_any(),
                }}
            </h4>
            <p class="hint">
                {move || {
                    let lang = locale.lang().get();
                    format!(
                        "{} · {}",
                        source_kind_text(&kind, lang),
                        W::SourceBy.text(lang).replace("{name}", &people.name(added_by.as_ref(), lang)),
                    )
                }}
            </p>
            {(!source.note.is_empty()).then(|| view! { <p class="source-note">{source.note.clone()}</p> })}
            <p class="tried" data-testid="tried-by">
                {move || {
                    let lang = locale.lang().get();
                    if tried_by.is_empty() {
                        W::NobodyTried.text(lang).to_string()
                    } else {
                        let names: Vec<String> =
                            tried_by.iter().map(|p| people.name(Some(p), lang)).collect();
                        W::TriedBy.text(lang).replace("{names}", &names.join(", "))
                    }
                }}
            </p>
            <Show when=move || can_write.get()>
                <p class="actions">
                    <button
                        type="button"
                        class="button"
                        data-testid="we-tried-it"
                        aria-pressed=tried.to_string()
                        on:click=toggle.clone()
                    >
                        <span aria-hidden="true">{if tried { "✓" } else { "☐" }}</span>
                        " "
                        {locale.t(W::WeTriedIt)}
                    </button>
                    {mine.then(|| view! {
                        <button type="button" class="link-button" data-testid="remove-source" on:click=remove.clone()>
                            {locale.t(W::RemoveSource)}
                        </button>
                    })}
                </p>
            </Show>
            <FormError error=error />
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(
            safe_link("https://bieb.nl/boek"),
            Some("https://bieb.nl/boek".into())
        );
        assert_eq!(
            safe_link("http://museum.example"),
            Some("http://museum.example".into())
        );
        assert_eq!(safe_link("javascript:alert(1)"), None);
        assert_eq!(safe_link("data:text/html,hoi"), None);
        assert_eq!(typed_link("  "), None);
        assert_eq!(
            typed_link(" https://a.example "),
            Some("https://a.example".into())
        );
    }
}
