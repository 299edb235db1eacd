//! Who takes part in a dossier: the people, their devices (a new one
//! waits until a member vouches for it), when each device last synced,
//! and inviting someone by link or QR code.

use driehoek_wire::invite::InviteFor;
use leptos::prelude::*;

use crate::components::form_error::FormError;
use leptos::task::spawn_local;

use crate::components::dossier_nav::DossierTab;
use crate::components::invite_qr::qr_svg;
use crate::i18n::{Lang, PeopleWords as W, Phrase, Text, use_locale};
use crate::platform::share;
use crate::store::{LiveDossier, Removal, RemovalError, SyncOverview, use_store};
use driehoek_core::model::read::{self, Device, Member};
use driehoek_core::model::{PersonId, Role, Section};
use leptos_router::hooks::use_navigate;

use super::section::{People, SectionFrame, day_text, moment_text};
use crate::i18n::messages::{model_error_text, role_text, store_error_text};

#[component]
pub fn PeoplePage() -> impl IntoView {
    view! { <SectionFrame tab=DossierTab::People class="people-page" body=body /> }
}

fn body(live: LiveDossier) -> AnyView {
    view! { <PeopleView live=live /> }.into_any()
}

/// The code people compare to tell devices apart: the first six bytes of
/// the device's public key, in three groups ("3F2A 91BC 07DE"). Forty-eight
/// bits: too many to find a look-alike key by trying.
pub fn device_code(key: &[u8; 32]) -> String {
    key[..6]
        .chunks(2)
        .map(|pair| format!("{:02X}{:02X}", pair[0], pair[1]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The child's name, as the dossier has it now.
fn child_name_of(live: LiveDossier) -> Memo<String> {
    Memo::new(move |_| {
        live.read(Section::Dossier, |d| {
            read::dossier_summary(d)
                .map(|s| s.child_name)
                .unwrap_or_default()
        })
    })
}

/// What taking someone out did, for the notice under the list.
fn removal_text(name: &str, result: &Result<Removal, RemovalError>, lang: Lang) -> String {
    match result {
        Ok(r) => {
            let done = W::Removed
                .text(lang)
                .replace("{name}", name)
                .replace("{devices}", &r.devices.to_string());
            if r.without_key == 0 {
                done
            } else {
                let hint = W::RemovedWithoutKey
                    .text(lang)
                    .replace("{count}", &r.without_key.to_string());
                format!("{done} {hint}")
            }
        }
        Err(RemovalError::NotConnected) => W::RemoveNeedsConnection.text(lang).to_string(),
        Err(RemovalError::Model(e)) => model_error_text(e, lang),
        Err(RemovalError::Refound(e)) => {
            leptos::logging::warn!("re-founding failed: {e}");
            Text::SomethingWentWrong.get(lang).to_string()
        }
    }
}

/// Taking people out of the dossier, shared by their cards and the new
/// school year's flow.
#[derive(Clone, Copy)]
struct Removing {
    live: LiveDossier,
    people: People,
    /// Connected and up to date, and not left out here: the new key can
    /// reach the others now.
    ready: Signal<bool>,
    /// The last outcome: the notice, and whether it went well.
    outcome: RwSignal<Option<(bool, String)>>,
    /// The invite on screen: made under the old secret, so it goes.
    invites: InviteState,
}

impl Removing {
    fn new(live: LiveDossier, people: People, invites: InviteState) -> Self {
        let overview = use_store().sync_overview();
        Removing {
            live,
            people,
            ready: Signal::derive(move || {
                overview.get() == SyncOverview::UpToDate && !live.is_read_only()
            }),
            outcome: RwSignal::new(None),
            invites,
        }
    }

    /// Takes `person` out, acting as whoever uses this device; `true` when
    /// it was done.
    fn remove(&self, person: &PersonId, lang: Lang) -> bool {
        let Some(me) = self.people.person.get_value() else {
            return false;
        };
        let name = self
            .people
            .members
            .with_untracked(|m| m.get(person).map(|m| m.name.clone()))
            .unwrap_or_default();
        let result = self.live.remove_member(&me, person);
        let ok = result.is_ok();
        if ok {
            // Whoever opens a link from before finds it used up.
            self.invites.shown.set(None);
        }
        self.outcome
            .set(Some((ok, removal_text(&name, &result, lang))));
        ok
    }
}

#[component]
fn PeopleView(live: LiveDossier) -> impl IntoView {
    let locale = use_locale();
    let people = People::of(live);
    let this_device = live.this_device();
    let error = RwSignal::new(None::<String>);
    let invites = InviteState::new(live);
    let removing = Removing::new(live, people, invites);
    let confirm = Callback::new(move |device: [u8; 32]| {
        let lang = locale.lang().get_untracked();
        let Some(me) = people.person.get_value() else {
            return;
        };
        match live.confirm_device(&me, &device) {
            Ok(()) => error.set(None),
            Err(e) => error.set(Some(model_error_text(&e, lang))),
        }
    });
    let any_unconfirmed = move || {
        people
            .members
            .with(|m| m.unconfirmed_devices(this_device) != 0)
    };
    let member_rows = move || {
        let members = people.members.get();
        let me = people.me.get().map(|m| m.id);
        let names: Vec<(PersonId, String)> = members
            .people
            .iter()
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect();
        members
            .current()
            .map(|m| {
                let devices: Vec<Device> = members
                    .devices
                    .iter()
                    .filter(|d| d.persons.contains(&m.id))
                    .cloned()
                    .collect();
                view! {
                    <MemberCard
                        member=m.clone()
                        devices=devices
                        names=names.clone()
                        me=me.clone()
                        this_device=this_device
                        on_confirm=confirm
                        removing=removing
                    />
                }
            })
            .collect_view()
    };
    let is_teacher = move || {
        people
            .me
            .with(|m| m.as_ref().is_some_and(|m| m.role == Role::Teacher))
    };
    view! {
        <h2 class="page-title">{locale.t(W::Title)}</h2>
        <p class="intro">{locale.t(W::Intro)}</p>
        {this_device.map(|key| view! {
            <p class="device-code-line" data-testid="this-device-code">
                {locale.t(W::ThisDeviceCode)}
                " "
                <strong class="device-code">{device_code(&key)}</strong>
            </p>
        })}
        <InviteCard live=live invites=invites />
        <FormError error=error />
        <Show when=any_unconfirmed>
            <p class="hint">{locale.t(W::ConfirmExplained)}</p>
        </Show>
        {move || removing.outcome.get().map(|(ok, text)| view! {
            <p
                class=if ok { "notice" } else { "form-error" }
                role=if ok { "status" } else { "alert" }
                data-testid="removal-outcome"
            >
                {text}
            </p>
        })}
        <ul class="member-list" data-testid="member-list">{member_rows}</ul>
        <FormerPeople people=people />
        <Show
            when=move || people.me.with(Option::is_some)
        >
            <Show
                when=is_teacher
                fallback=move || view! { <SchoolYearCard live=live removing=removing invites=invites /> }
            >
                <p class="hint no-print" data-testid="school-year-teacher">
                    {locale.t(W::SchoolYearTeacherHint)}
                </p>
            </Show>
        </Show>
        <LeaveCard live=live />
    }
}

/// People who were taken out: history keeps their names, so this says
/// when and by whom.
#[component]
fn FormerPeople(people: People) -> impl IntoView {
    let locale = use_locale();
    let rows = move || {
        let lang = locale.lang().get();
        people.members.with(|members| {
            members
                .people
                .iter()
                .filter_map(|m| {
                    let (at, by) = m.removed.clone()?;
                    let date = day_text(at, lang);
                    let when = match by.as_ref().and_then(|b| members.get(b)) {
                        Some(by) => W::RemovedOnBy
                            .text(lang)
                            .replace("{date}", &date)
                            .replace("{name}", &by.name),
                        None => W::RemovedOn.text(lang).replace("{date}", &date),
                    };
                    Some(view! {
                        <li data-testid="former-member">
                            <strong>{m.name.clone()}</strong>
                            {format!(" · {} · {when}", role_text(&m.role, lang))}
                        </li>
                    })
                })
                .collect::<Vec<_>>()
        })
    };
    let any = move || {
        people
            .members
            .with(|m| m.people.iter().any(|p| !p.is_current()))
    };
    view! {
        <Show when=any>
            <section class="card former-people" data-testid="former-people">
                <h3>{locale.t(W::FormerTitle)}</h3>
                <ul>{rows}</ul>
            </section>
        </Show>
    }
}

/// The new school year in one flow: pick last year's teacher, take them
/// out (which re-founds the dossier), and hand the new teacher an invite
/// under the new key.
#[component]
fn SchoolYearCard(live: LiveDossier, removing: Removing, invites: InviteState) -> impl IntoView {
    let locale = use_locale();
    let teachers = Memo::new(move |_| {
        let me = removing.people.person.get_value();
        removing.people.members.with(|m| {
            m.current()
                .filter(|p| p.role == Role::Teacher && Some(&p.id) != me.as_ref())
                .map(|p| (p.id.clone(), p.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let picked = RwSignal::new(None::<PersonId>);
    let go = move |_| {
        let lang = locale.lang().get_untracked();
        match picked.get_untracked() {
            Some(old) => {
                if removing.remove(&old, lang) {
                    picked.set(None);
                    invites.make(InviteFor::Teacher, true);
                }
            }
            None => invites.make(InviteFor::Teacher, true),
        }
    };
    let can_go = move || {
        teachers.with(Vec::is_empty) || (picked.with(Option::is_some) && removing.ready.get())
    };
    view! {
        <section class="card school-year-card no-print" data-testid="school-year">
            <h3>{locale.t(W::SchoolYearTitle)}</h3>
            <p class="hint">{locale.t(W::SchoolYearExplained)}</p>
            <Show
                when=move || !teachers.with(Vec::is_empty)
                fallback=move || view! { <p>{locale.t(W::SchoolYearNoTeacher)}</p> }
            >
                <fieldset>
                    <legend>{locale.t(W::SchoolYearPick)}</legend>
                    {move || teachers.get().into_iter().map(|(id, name)| {
                        let value = id.clone();
                        view! {
                            <label class="choice-option">
                                <input
                                    type="radio"
                                    name="old-teacher"
                                    data-testid="old-teacher"
                                    prop:checked=move || picked.with(|p| p.as_ref() == Some(&value))
                                    on:change=move |_| picked.set(Some(id.clone()))
                                />
                                <span>{name}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <Show when=move || !removing.ready.get()>
                    <p class="hint">{locale.t(W::RemoveNeedsConnection)}</p>
                </Show>
            </Show>
            <p class="actions">
                <button
                    type="button"
                    class="button primary"
                    data-testid="school-year-go"
                    prop:disabled=move || !can_go()
                    on:click=go
                >
                    {move || if teachers.with(Vec::is_empty) {
                        locale.t(W::SchoolYearInvite)()
                    } else {
                        locale.t(W::SchoolYearGo)()
                    }}
                </button>
            </p>
            {move || invites.shown.get().filter(|s| s.from_flow).map(|s| view! {
                <p class="notice" role="status">{locale.t(W::SchoolYearNext)}</p>
                <InviteShown shown=s invites=invites child_name=child_name_of(live) />
            })}
        </section>
    }
}

/// Removing the dossier from this device only, after a warning; the
/// moving file is offered first for someone who may want it back.
#[component]
fn LeaveCard(live: LiveDossier) -> impl IntoView {
    let locale = use_locale();
    let store = use_store();
    let navigate = use_navigate();
    let asking = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let overview = store.sync_overview();
    let all_sent = move || overview.get() == SyncOverview::UpToDate && !live.unsaved().get();
    let child_name = child_name_of(live);
    let leave = move |_| {
        let id = live.id();
        let navigate = navigate.clone();
        spawn_local(async move {
            let lang = locale.lang().get_untracked();
            match store.leave(&id).await {
                Ok(()) => navigate("/", Default::default()),
                Err(e) => error.set(Some(store_error_text(&e, lang))),
            }
        });
    };
    view! {
        <section class="card leave-card no-print" data-testid="leave-card">
            <h3>{locale.t(W::LeaveTitle)}</h3>
            <p class="hint">{locale.t(W::LeaveExplained)}</p>
            <Show when=move || !all_sent()>
                <p class="notice warn" data-testid="leave-unsent">{locale.t(W::LeaveUnsent)}</p>
            </Show>
            <Show
                when=move || asking.get()
                fallback=move || view! {
                    <p class="actions">
                        <a class="button" href="/settings">{locale.t(W::MoveFirst)}</a>
                        <button
                            type="button"
                            class="button danger"
                            data-testid="leave"
                            on:click=move |_| asking.set(true)
                        >
                            {locale.t(W::LeaveButton)}
                        </button>
                    </p>
                }
            >
                <p role="alert">
                    {move || W::LeaveConfirm.text(locale.lang().get()).replace("{child}", &child_name.get())}
                </p>
                <p class="actions">
                    <button type="button" class="button danger" data-testid="leave-confirm" on:click=leave.clone()>
                        {locale.t(W::LeaveButton)}
                    </button>
                    <button type="button" class="button" on:click=move |_| asking.set(false)>
                        {locale.t(Text::Cancel)}
                    </button>
                </p>
            </Show>
            <FormError error=error />
        </section>
    }
}

#[component]
fn MemberCard(
    member: Member,
    devices: Vec<Device>,
    names: Vec<(PersonId, String)>,
    me: Option<PersonId>,
    this_device: Option<[u8; 32]>,
    on_confirm: Callback<[u8; 32]>,
    removing: Removing,
) -> impl IntoView {
    let locale = use_locale();
    let is_me = me.as_ref() == Some(&member.id);
    // Anyone can take someone else out; taking yourself out is leaving.
    let can_remove = me.is_some() && !is_me;
    let asking = RwSignal::new(false);
    let person = member.id.clone();
    let name = member.name.clone();
    let joined = member.joined_at;
    let role = member.role.clone();
    let can_confirm = me.is_some() && !is_me;
    let name_of = move |id: &PersonId| {
        names
            .iter()
            .find(|(p, _)| p == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let device_rows = devices
        .into_iter()
        .map(|d| {
            let here = this_device == Some(d.key);
            let key = d.key;
            let added = d.added_at;
            // A joined device registers once it has the dossier, so its
            // registration is a sync; the founding one may have been offline.
            let last_seen = d.last_seen.or((!d.founding).then_some(d.added_at));
            let status = if d.founding {
                Some(locale.now(W::FoundingDevice).to_string())
            } else {
                d.confirmed_by.first().map(|(by, _)| {
                    W::ConfirmedBy
                        .text(locale.lang().get_untracked())
                        .replace("{name}", &name_of(by))
                })
            };
            let confirmed = d.is_confirmed();
            view! {
                <li
                    class="device-row"
                    data-testid="device-row"
                    data-confirmed=confirmed.to_string()
                    data-this-device=here.to_string()
                >
                    <span class="device-code">{device_code(&key)}</span>
                    {here.then(|| view! { <span class="badge">{locale.t(W::ThisDevice)}</span> })}
                    {match status {
                        Some(text) => view! { <span class="device-status">{text}</span> }.into_any(),
                        None => view! {
                            <span class="badge warn" data-testid="unconfirmed">{locale.t(W::Unconfirmed)}</span>
                        }
                            .into_any(),
                    }}
                    <span class="device-dates">
                        {move || {
                            let lang = locale.lang().get();
                            let added_text = W::DeviceAdded.text(lang).replace("{date}", &day_text(added, lang));
                            let seen_text = match last_seen {
                                Some(t) => W::DeviceLastSync.text(lang).replace("{date}", &moment_text(t, lang)),
                                None => W::DeviceNeverSynced.text(lang).to_string(),
                            };
                            format!("{added_text} · {seen_text}")
                        }}
                    </span>
                    {(!confirmed && can_confirm && !here).then(|| view! {
                        <button
                            type="button"
                            class="button small"
                            data-testid="confirm-device"
                            on:click=move |_| on_confirm.run(key)
                        >
                            {locale.t(W::Confirm)}
                        </button>
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <li class="card member-card" data-testid="member">
            <h3>
                {member.name.clone()}
                {is_me.then(|| view! { " (" {locale.t(W::You)} ")" })}
            </h3>
            <p class="member-meta">
                {move || {
                    let lang = locale.lang().get();
                    format!(
                        "{} · {}",
                        role_text(&role, lang),
                        W::JoinedOn.text(lang).replace("{date}", &day_text(joined, lang)),
                    )
                }}
            </p>
            <h4 class="visually-hidden">{locale.t(W::Devices)}</h4>
            <ul class="device-list">{device_rows}</ul>
            {can_remove.then(|| {
                let person = person.clone();
                let remove = move |_| {
                    if removing.remove(&person, locale.lang().get_untracked()) {
                        asking.set(false);
                    }
                };
                view! {
                    <Show
                        when=move || asking.get()
                        fallback=move || view! {
                            <p class="actions no-print">
                                <button
                                    type="button"
                                    class="button small"
                                    data-testid="remove-member"
                                    prop:disabled=move || !removing.ready.get()
                                    on:click=move |_| asking.set(true)
                                >
                                    {locale.t(W::RemoveButton)}
                                </button>
                            </p>
                        }
                    >
                        <div class="remove-confirm no-print">
                            <p role="alert">
                                {
                                    let name = name.clone();
                                    move || W::RemoveConfirm.text(locale.lang().get()).replace("{name}", &name)
                                }
                            </p>
                            <Show when=move || !removing.ready.get()>
                                <p class="hint">{locale.t(W::RemoveNeedsConnection)}</p>
                            </Show>
                            <p class="actions">
                                <button
                                    type="button"
                                    class="button danger"
                                    data-testid="remove-member-confirm"
                                    prop:disabled=move || !removing.ready.get()
                                    on:click=remove.clone()
                                >
                                    {locale.t(W::RemoveButton)}
                                </button>
                                <button type="button" class="button" on:click=move |_| asking.set(false)>
                                    {locale.t(Text::Cancel)}
                                </button>
                            </p>
                        </div>
                    </Show>
                }
            })}
        </li>
    }
}

fn invite_label(made_for: InviteFor) -> W {
    match made_for {
        InviteFor::Parent => W::InviteParent,
        InviteFor::Child => W::InviteChild,
        InviteFor::Teacher => W::InviteTeacher,
    }
}

fn invite_title(made_for: InviteFor) -> W {
    match made_for {
        InviteFor::Parent => W::InviteMadeParent,
        InviteFor::Child => W::InviteMadeChild,
        InviteFor::Teacher => W::InviteMadeTeacher,
    }
}

fn invite_test_id(made_for: InviteFor) -> &'static str {
    match made_for {
        InviteFor::Parent => "invite-parent",
        InviteFor::Child => "invite-child",
        InviteFor::Teacher => "invite-teacher",
    }
}

/// An invite on screen: the link and its QR code.
#[derive(Clone, PartialEq)]
struct Shown {
    made_for: InviteFor,
    url: String,
    qr: String,
    /// Made by the new school year's flow, and shown there.
    from_flow: bool,
}

/// The invite on screen and the last note about it, shared by the invite
/// card and the new school year's flow.
#[derive(Clone, Copy)]
struct InviteState {
    live: LiveDossier,
    shown: RwSignal<Option<Shown>>,
    note: RwSignal<Option<W>>,
}

impl InviteState {
    fn new(live: LiveDossier) -> Self {
        InviteState {
            live,
            shown: RwSignal::new(None),
            note: RwSignal::new(None),
        }
    }

    /// Makes an invite under the dossier's current secret and shows it.
    fn make(&self, made_for: InviteFor, from_flow: bool) {
        let invite = self.live.invite(Some(made_for));
        let (Some(invite), Some(origin)) = (invite, share::origin()) else {
            self.note.set(Some(W::InviteNotReady));
            return;
        };
        let url = invite.to_url(&origin);
        let qr = qr_svg(&url).unwrap_or_default();
        self.note.set(None);
        self.shown.set(Some(Shown {
            made_for,
            url,
            qr,
            from_flow,
        }));
    }
}

#[component]
fn InviteCard(live: LiveDossier, invites: InviteState) -> impl IntoView {
    let locale = use_locale();
    let InviteState { shown, note, .. } = invites;
    let child_name = child_name_of(live);
    view! {
        <div class="card invite-card no-print" data-testid="invite-card">
            <h3>{locale.t(W::InviteTitle)}</h3>
            <p class="hint">{locale.t(W::InviteExplained)}</p>
            <p class="actions">
                {InviteFor::ALL
                    .into_iter()
                    .map(|f| view! {
                        <button
                            type="button"
                            class="button"
                            data-testid=invite_test_id(f)
                            aria-pressed=move || shown.with(|s| s.as_ref().is_some_and(|s| s.made_for == f && !s.from_flow)).to_string()
                            on:click=move |_| invites.make(f, false)
                        >
                            {locale.t(invite_label(f))}
                        </button>
                    })
                    .collect_view()}
            </p>
            {move || note.get().map(|n| view! {
                <p class="notice" role="status" data-testid="invite-note">{locale.t(n)}</p>
            })}
            {move || shown.get().filter(|s| !s.from_flow).map(|s| view! {
                <InviteShown shown=s invites=invites child_name=child_name />
            })}
        </div>
        // The sheet for the start conversation: only on paper.
        {move || shown.get().filter(|s| s.made_for == InviteFor::Child).map(|s| view! {
            <InviteSheet child=child_name.get() qr=s.qr />
        })}
    }
}

/// The invite that was made: its QR code, its link, and ways to pass it on.
#[component]
fn InviteShown(shown: Shown, invites: InviteState, child_name: Memo<String>) -> impl IntoView {
    let locale = use_locale();
    let note = invites.note;
    let url = shown.url.clone();
    let for_child = shown.made_for == InviteFor::Child;
    let copy = {
        let url = url.clone();
        move |_| {
            let url = url.clone();
            spawn_local(async move {
                let ok = share::copy(&url).await;
                note.set(Some(if ok { W::LinkCopied } else { W::CopyFailed }));
            });
        }
    };
    let send = {
        let url = url.clone();
        move |_| {
            let lang: Lang = locale.lang().get_untracked();
            let title = W::SheetTitle
                .text(lang)
                .replace("{child}", &child_name.get_untracked());
            let text = W::ShareText.text(lang);
            let url = url.clone();
            spawn_local(async move { share::share(&title, text, &url).await });
        }
    };
    let can_share = share::can_share();
    view! {
        <div class="invite-shown" data-testid="invite-shown">
            <h4>{locale.t(invite_title(shown.made_for))}</h4>
            <p>{locale.t(W::InviteScan)}</p>
            <div
                class="qr"
                role="img"
                aria-label=locale.t(W::InviteLink)
                data-testid="invite-qr"
                inner_html=shown.qr.clone()
            ></div>
            <label class="invite-link">
                <span>{locale.t(W::InviteLink)}</span>
                <input
                    type="text"
                    readonly
                    data-testid="invite-url"
                    prop:value=url
                    on:focus=|ev| {
                        use wasm_bindgen::JsCast;
                        if let Some(input) = ev
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                        {
                            input.select();
                        }
                    }
                />
            </label>
            <p class="actions">
                <button type="button" class="button primary" data-testid="copy-invite" on:click=copy>
                    {locale.t(W::CopyLink)}
                </button>
                {can_share.then(|| view! {
                    <button type="button" class="button" data-testid="share-invite" on:click=send>
                        {locale.t(W::Share)}
                    </button>
                })}
                {for_child.then(|| view! {
                    <button
                        type="button"
                        class="button"
                        data-testid="print-invite"
                        on:click=|_| share::print()
                    >
                        {locale.t(W::PrintSheet)}
                    </button>
                })}
                <button type="button" class="button" on:click=move |_| invites.shown.set(None)>
                    {locale.t(W::Close)}
                </button>
            </p>
        </div>
    }
}

/// One printed page per child: the QR code and how to join, for the start
/// conversation at school.
#[component]
fn InviteSheet(child: String, qr: String) -> impl IntoView {
    let locale = use_locale();
    let title = move || {
        W::SheetTitle
            .text(locale.lang().get())
            .replace("{child}", &child)
    };
    view! {
        <article class="invite-sheet print-only" data-testid="invite-sheet">
            <h2>{title}</h2>
            <div class="qr qr-large" inner_html=qr></div>
            <ol>
                <li>{locale.t(W::SheetStep1)}</li>
                <li>{locale.t(W::SheetStep2)}</li>
                <li>{locale.t(W::SheetStep3)}</li>
                <li>{locale.t(W::SheetStep4)}</li>
            </ol>
            <p><strong>{locale.t(W::SheetKeepSafe)}</strong></p>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_removal_notice_names_the_person_and_asks_for_new_links_only_when_keys_are_missing() {
        let all = Ok(Removal {
            devices: 2,
            without_key: 0,
        });
        assert_eq!(
            removal_text("Eva", &all, Lang::Nl),
            "Eva is uit het dossier gehaald. Apparaten die de nieuwe sleutel kregen: 2."
        );
        let some = Ok(Removal {
            devices: 1,
            without_key: 1,
        });
        let text = removal_text("Eva", &some, Lang::En);
        assert!(text.starts_with("Eva is out of the dossier."), "{text}");
        assert!(text.contains("without a key of their own: 1"), "{text}");
        assert_eq!(
            removal_text("Eva", &Err(RemovalError::NotConnected), Lang::Nl),
            W::RemoveNeedsConnection.text(Lang::Nl)
        );
    }

    #[test]
    fn the_device_code_is_the_keys_first_six_bytes_in_three_groups() {
        let mut key = [0u8; 32];
        key[..7].copy_from_slice(&[0x3f, 0x2a, 0x91, 0xbc, 0x07, 0xde, 0xff]);
        assert_eq!(device_code(&key), "3F2A 91BC 07DE");
    }
}
