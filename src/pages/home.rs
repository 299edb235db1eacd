//! The top of a dossier's first page: where the agreement and the
//! expectations stand and what the parents still have to do, each a link
//! to its page.

use leptos::prelude::*;

use crate::components::dossier_nav::DossierTab;
use crate::i18n::{PeopleWords, Phrase, Words, format_date, use_locale};
use crate::model::signing::SignatureState;
use crate::model::{Date, ExpectationList, ExpectationStatus, Section, TaskStatus, read};
use crate::platform::clock::today;
use crate::store::LiveDossier;

use super::people::unconfirmed_devices;

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
}

fn facts(live: LiveDossier) -> HomeFacts {
    let this_device = live.this_device();
    let (members, unconfirmed_devices) = live.read(Section::Members, |d| {
        read::members(d)
            .map(|m| (m.people.len(), unconfirmed_devices(&m, this_device)))
            .unwrap_or((0, 0))
    });
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
                let open = a
                    .tasks
                    .iter()
                    .filter(|t| t.status == TaskStatus::Open)
                    .count();
                (valid, outdated, open)
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
        let open = all
            .iter()
            .flat_map(|c| c.actions.iter())
            .filter(|a| a.status == TaskStatus::Open)
            .count();
        (next, open)
    });
    HomeFacts {
        next_conversation,
        open_actions,
        members,
        unconfirmed_devices,
        valid_signatures: valid,
        outdated_signatures: outdated,
        open_tasks,
        waiting_points,
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
    view! {
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
