//! The top of a dossier's first page: where the agreement and the
//! expectations stand and what the parents still have to do, each a link
//! to its page.

use leptos::prelude::*;

use crate::components::dossier_nav::DossierTab;
use crate::components::news::{NewsCard, news_items};
use crate::i18n::{PeopleWords, Phrase, Words, format_date, use_locale};
use crate::platform::clock::today;
use crate::store::LiveDossier;
use driehoek_core::model::signing::SignatureState;
use driehoek_core::model::{Date, ExpectationList, ExpectationStatus, Section, TaskStatus, read};

/// What the home shows, read from the agreement and the expectations.
#[derive(Clone, Debug, PartialEq, Eq)]
struct HomeFacts {
    members: usize,
    unconfirmed_devices: usize,
    valid_signatures: usize,
    outdated_signatures: usize,
    open_tasks: usize,
    waiting_points: usize,
    next_conversation: Option<Date>,
    open_actions: usize,
    /// Open parent tasks and agreed actions, the soonest due first.
    todo: Vec<Todo>,
}

/// One thing still to do: a parent task from the agreement or an action
/// agreed in a conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Todo {
    what: String,
    who: Option<String>,
    due: Option<Date>,
    from_conversation: bool,
}

/// How many to-dos the home lists; the rest are on their pages.
const TODO_SHOWN: usize = 5;

/// The soonest due first; those without a date after them, in the order
/// they came.
fn sort_todo(todo: &mut [Todo]) {
    todo.sort_by_key(|t| (t.due.is_none(), t.due));
}

fn facts(live: LiveDossier) -> HomeFacts {
    let this_device = live.this_device();
    let (members, unconfirmed_devices, names) = live.read(Section::Members, |d| {
        read::members(d)
            .map(|m| {
                let names: Vec<(driehoek_core::model::PersonId, String)> = m
                    .people
                    .iter()
                    .map(|p| (p.id.clone(), p.name.clone()))
                    .collect();
                (m.people.len(), m.unconfirmed_devices(this_device), names)
            })
            .unwrap_or_default()
    });
    let name_of = |p: &Option<driehoek_core::model::PersonId>| {
        p.as_ref()
            .and_then(|p| names.iter().find(|(id, _)| id == p).map(|(_, n)| n.clone()))
    };
    let mut todo: Vec<Todo> = Vec::new();
    let (valid, outdated, open_tasks) = live.read(Section::Agreement, |d| {
        read::agreement(d)
            .map(|a| {
                let valid = a
                    .signatures
                    .iter()
                    .filter(|s| s.state == SignatureState::Valid)
                    .count();
                let outdated = a
                    .signatures
                    .iter()
                    .filter(|s| s.state == SignatureState::NeedsSigningAgain)
                    .count();
                let open: Vec<_> = a
                    .tasks
                    .iter()
                    .filter(|t| t.status == TaskStatus::Open)
                    .collect();
                todo.extend(open.iter().map(|t| Todo {
                    what: t.what.clone(),
                    who: name_of(&t.who),
                    due: t.due,
                    from_conversation: false,
                }));
                (valid, outdated, open.len())
            })
            .unwrap_or((0, 0, 0))
    });
    let waiting_points = live.read(Section::Expectations, |d| {
        read::expectations(d)
            .map(|e| {
                ExpectationList::ALL
                    .iter()
                    .flat_map(|l| e.list(*l).iter())
                    .filter(|p| {
                        matches!(
                            p.status,
                            ExpectationStatus::Proposed | ExpectationStatus::ToRevisit
                        )
                    })
                    .count()
            })
            .unwrap_or(0)
    });
    let today = today();
    let (next_conversation, open_actions) = live.read(Section::Conversations, |d| {
        let all = read::conversations(d).unwrap_or_default();
        let next = all
            .iter()
            .map(|c| c.date)
            .filter(|d| today.is_some_and(|t| *d >= t))
            .min();
        let open: Vec<_> = all
            .iter()
            .flat_map(|c| c.actions.iter())
            .filter(|a| a.status == TaskStatus::Open)
            .collect();
        todo.extend(open.iter().map(|a| Todo {
            what: a.what.clone(),
            who: name_of(&a.owner),
            due: a.due,
            from_conversation: true,
        }));
        (next, open.len())
    });
    sort_todo(&mut todo);
    HomeFacts {
        next_conversation,
        open_actions,
        members,
        unconfirmed_devices,
        valid_signatures: valid,
        outdated_signatures: outdated,
        open_tasks,
        waiting_points,
        todo,
    }
}

#[component]
pub fn DossierHome(live: LiveDossier) -> impl IntoView {
    let locale = use_locale();
    let facts = Memo::new(move |_| facts(live));
    let id = live.id().to_string();
    let agreement = DossierTab::Agreement.path(&id);
    let expectations = DossierTab::Expectations.path(&id);
    let conversations = DossierTab::Conversations.path(&id);
    let people = DossierTab::People.path(&id);
    let news = Memo::new(move |_| live.news().with(news_items));
    view! {
        <Show when=move || news.with(|n| !n.is_empty())>
            <NewsCard dossier=id.clone() items=news.into() />
        </Show>
        <ul class="home-facts" data-testid="dossier-home">
            {move || {
                let lang = locale.lang().get();
                let f = facts.get();
                let signed = if f.outdated_signatures > 0 && f.valid_signatures < f.members {
                    Words::HomeAgreementOutdated.text(lang).to_string()
                } else if f.valid_signatures == 0 {
                    Words::HomeAgreementNobody.text(lang).to_string()
                } else {
                    Words::HomeAgreementSigned
                        .text(lang)
                        .replace("{n}", &f.valid_signatures.to_string())
                        .replace("{m}", &f.members.to_string())
                };
                let tasks = if f.open_tasks == 0 {
                    Words::HomeNoOpenTasks.text(lang).to_string()
                } else {
                    Words::HomeOpenTasks.text(lang).replace("{n}", &f.open_tasks.to_string())
                };
                let points = if f.waiting_points == 0 {
                    Words::HomeExpectationsSettled.text(lang).to_string()
                } else {
                    Words::HomeExpectationsWaiting
                        .text(lang)
                        .replace("{n}", &f.waiting_points.to_string())
                };
                let next = match f.next_conversation {
                    Some(d) => Words::HomeNextConversation.text(lang).replace("{date}", &format_date(d, lang)),
                    None => Words::HomeNoConversation.text(lang).to_string(),
                };
                let actions = (f.open_actions > 0).then(|| {
                    Words::HomeOpenActions.text(lang).replace("{n}", &f.open_actions.to_string())
                });
                let attention = f.outdated_signatures > 0;
                let devices = (f.unconfirmed_devices > 0).then(|| {
                    (
                        PeopleWords::UnconfirmedNotice.text(lang),
                        PeopleWords::HaveALook.text(lang),
                    )
                });
                view! {
                    <li class:attention=attention>
                        <a href=agreement.clone() data-testid="home-agreement">{signed}</a>
                    </li>
                    <li><a href=agreement.clone()>{tasks}</a></li>
                    <li><a href=expectations.clone()>{points}</a></li>
                    <li><a href=conversations.clone() data-testid="home-conversation">{next}</a></li>
                    {actions.map(|a| view! { <li><a href=conversations.clone()>{a}</a></li> })}
                    {(!f.todo.is_empty()).then(|| {
                        let more = f.todo.len().saturating_sub(TODO_SHOWN);
                        view! {
                            <li class="home-todo" data-testid="home-todo">
                                <span class="todo-title">{Words::HomeTodoTitle.text(lang)}</span>
                                <ul>
                                    {f.todo.iter().take(TODO_SHOWN).map(|t| {
                                        let mut line = t.what.clone();
                                        if let Some(who) = &t.who {
                                            line.push_str(" · ");
                                            line.push_str(who);
                                        }
                                        if let Some(due) = t.due {
                                            line.push_str(" · ");
                                            line.push_str(&Words::HomeDue.text(lang).replace("{date}", &format_date(due, lang)));
                                        }
                                        let href = if t.from_conversation { conversations.clone() } else { agreement.clone() };
                                        view! { <li data-testid="home-todo-item"><a href=href>{line}</a></li> }
                                    }).collect_view()}
                                </ul>
                                {(more > 0).then(|| view! {
                                    <span class="hint">{Words::HomeTodoMore.text(lang).replace("{n}", &more.to_string())}</span>
                                })}
                            </li>
                        }
                    })}
                    {devices.map(|(notice, look)| view! {
                        <li class="attention" data-testid="home-unconfirmed">
                            {notice}
                            " "
                            <a href=people.clone()>{look}</a>
                        </li>
                    })}
                }
            }}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn todo(what: &str, due: Option<&str>) -> Todo {
        Todo {
            what: what.into(),
            who: None,
            due: due.map(|d| Date::parse(d).expect("date")),
            from_conversation: false,
        }
    }

    #[test]
    fn the_soonest_due_comes_first_and_undated_ones_last_in_their_order() {
        let mut list = vec![
            todo("boek lenen", None),
            todo("oefenen", Some("2026-12-20")),
            todo("mailen", None),
            todo("gesprek voorbereiden", Some("2026-12-08")),
        ];
        sort_todo(&mut list);
        let order: Vec<&str> = list.iter().map(|t| t.what.as_str()).collect();
        assert_eq!(
            order,
            ["gesprek voorbereiden", "oefenen", "boek lenen", "mailen"]
        );
    }
}
