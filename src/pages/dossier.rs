//! One child's dossier: who is writing, the new-entry form and the logbook.
//!
//! The first paint does not wait for the document: what the logbook showed
//! last is cached with the heads it showed, and painted at once when those
//! are still the stored heads; the live rows replace it when the document
//! has loaded.

use std::time::Duration;

use leptos::prelude::*;

use crate::components::form_error::FormError;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::components::dossier_files::{DossierFiles, FileKind};
use crate::components::dossier_nav::{DossierNav, DossierTab};
use crate::components::entry_form::NewEntryForm;
use crate::components::logbook_filter::{FilterChoices, LogbookFilter, LogbookFilterBar};
use crate::components::logbook_list::{EntryRow, LogbookList};
use crate::components::logbook_print::{LogbookPrint, print_rows};
use crate::i18n::{LogbookWords, PeopleWords, Phrase, Text, use_locale};
use crate::platform::{files, perf};
use crate::storage::prefs;
use crate::store::{DraftSlot, LiveDossier, SyncOverview, use_store};
use driehoek_core::model::commands::{NewEntry, add_entry, add_member};
use driehoek_core::model::{Id, PersonId, Role, Section, read};

use super::home::DossierHome;
use super::route::DossierWarnings;
use crate::i18n::messages::{model_error_text, role_text, store_error_text, sync_file_error_text};

/// The cached view's name.
const LOGBOOK_VIEW: &str = "logbook";
/// Rows kept for the first paint: a tall phone shows about nine.
const CACHED_ROWS: usize = 24;
/// The cache is rewritten this long after the logbook last changed.
const CACHE_DELAY: Duration = Duration::from_secs(1);

/// What the dossier page showed last, for the next first paint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct LogbookView {
    child_name: String,
    subtitle: String,
    total: usize,
    rows: Vec<EntryRow>,
}

#[component]
pub fn DossierPage() -> impl IntoView {
    let locale = use_locale();
    let store = use_store();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| Id::new(s).ok()));
    let cached = RwSignal::new(None::<LogbookView>);
    // First the cached view (two small reads), painted before the document
    // loads: loading blocks the page for a while on a big dossier, and the
    // rows should be on screen during that time, not after it.
    let dossier = LocalResource::new(move || {
        let id = id.get();
        async move {
            let lang = locale.lang().get_untracked();
            let Some(id) = id else {
                return Err(Text::DossierNotHere.get(lang).to_string());
            };
            if !store.is_open(&id) {
                let view = store.cached_view::<LogbookView>(&id, LOGBOOK_VIEW).await;
                if view.is_some() {
                    cached.set(view);
                    perf::after_next_paint().await;
                }
            }
            store
                .open(&id)
                .await
                .map_err(|e| store_error_text(&e, lang))
        }
    });
    let live = Signal::derive(move || dossier.get().and_then(Result::ok));
    let cached = cached.into();
    // The view is built once per dossier id: when the document finishes
    // loading it updates in place, so what is being typed (and focus and
    // scroll) stays.
    let failed = Memo::new(move |_| dossier.get().and_then(Result::err));
    view! {
        <section class="page dossier-page">
            {move || match (failed.get(), id.get()) {
                (Some(message), _) => {
                    view! {
                        <div class="card" role="alert" data-testid="dossier-error">
                            <p>{message}</p>
                            <a class="button" href="/">
                                {locale.t(Text::BackToStart)}
                            </a>
                        </div>
                    }
                        .into_any()
                }
                (_, Some(id)) => view! { <DossierView id=id live=live cached=cached /> }.into_any(),
                (_, None) => ().into_any(),
            }}
        </section>
    }
}

#[component]
fn DossierView(
    id: Id,
    live: Signal<Option<LiveDossier>>,
    cached: Signal<Option<LogbookView>>,
) -> impl IntoView {
    let locale = use_locale();
    let person = RwSignal::new(prefs::person(&id));
    let invited_as = prefs::invited_as(&id).and_then(|hint| match hint.as_str() {
        "parent" => Some(Role::Parent),
        "child" => Some(Role::Child),
        "teacher" => Some(Role::Teacher),
        _ => None,
    });
    let summary = Memo::new(move |_| {
        live.get()?
            .read(Section::Dossier, |d| read::dossier_summary(d).ok())
    });
    let members = Memo::new(move |_| {
        live.get()
            .map(|l| l.read(Section::Members, |d| read::members(d).unwrap_or_default()))
    });
    let me = Memo::new(move |_| {
        let p = person.get()?;
        members.with(|m| m.as_ref()?.get(&p).cloned())
    });
    // Whoever uses this device is known by it in the dossier: what they
    // sign here can be checked, and the others see the device.
    Effect::new(move || {
        if let (Some(live), Some(me)) = (live.get(), me.get())
            && !live.is_read_only()
            && let Err(e) = live.register_this_device(&me.id)
        {
            leptos::logging::warn!("this device was not registered: {e}");
        }
    });
    let live_rows = Memo::new(move |_| {
        let live = live.get()?;
        let book = live.logbook();
        let me = person.get();
        members.with(|m| {
            let m = m.clone().unwrap_or_default();
            Some(
                book.entries
                    .iter()
                    .map(|e| EntryRow::of(e, &m, me.as_ref()))
                    .collect::<Vec<_>>(),
            )
        })
    });
    let all_rows = Memo::new(move |_| {
        live_rows
            .get()
            .or_else(|| cached.get().map(|c| c.rows))
            .unwrap_or_default()
    });
    let filter = RwSignal::new(LogbookFilter::default());
    let choices = Memo::new(move |_| all_rows.with(|r| FilterChoices::of(r)));
    // Child mode: switched on or off on this device, or else on for a
    // child using their own device.
    let child_choice = RwSignal::new(prefs::child_mode(&id));
    let child_mode = Memo::new(move |_| {
        child_choice
            .get()
            .unwrap_or_else(|| me.with(|m| m.as_ref().is_some_and(|m| m.role == Role::Child)))
            && me.with(Option::is_some)
    });
    let set_child_mode = {
        let id = id.clone();
        move |on: bool| {
            prefs::set_child_mode(&id, on);
            child_choice.set(Some(on));
            filter.set(LogbookFilter::default());
        }
    };
    let rows = Signal::derive(move || {
        if child_mode.get() {
            return all_rows.get();
        }
        filter.with(|f| all_rows.with(|r| f.apply(r)))
    });
    let filtered_out = Signal::derive(move || {
        !child_mode.get()
            && filter.with(LogbookFilter::is_active)
            && all_rows.with(|r| !r.is_empty())
    });
    let child_name = move || {
        summary
            .get()
            .map(|s| s.child_name)
            .or_else(|| cached.get().map(|c| c.child_name))
            .unwrap_or_default()
    };
    let subtitle = move || {
        summary
            .get()
            .map(|s| format!("{} · {}", s.group, s.school_year))
            .or_else(|| cached.get().map(|c| c.subtitle))
            .unwrap_or_default()
    };
    let count = move || {
        live_rows
            .with(|r| r.as_ref().map(Vec::len))
            .or_else(|| cached.get().map(|c| c.total))
    };

    // Keep what is shown for the next first paint, a moment after the
    // logbook last changed.
    let generation = StoredValue::new(0u64);
    Effect::new(move || {
        let (Some(live), Some(rows), Some(s)) = (live.get(), live_rows.get(), summary.get()) else {
            return;
        };
        let view = LogbookView {
            child_name: s.child_name,
            subtitle: format!("{} · {}", s.group, s.school_year),
            total: rows.len(),
            rows: rows.into_iter().take(CACHED_ROWS).collect(),
        };
        let n = generation.get_value() + 1;
        generation.set_value(n);
        set_timeout(
            move || {
                if generation.try_get_value() == Some(n) {
                    live.save_view(LOGBOOK_VIEW, &view);
                }
            },
            CACHE_DELAY,
        );
    });

    let choose = {
        let id = id.clone();
        Callback::new(move |p: PersonId| {
            prefs::set_person(&id, &p);
            if let Some(live) = live.get_untracked()
                && let Err(e) = live.register_this_device(&p)
            {
                leptos::logging::warn!("this device was not registered: {e}");
            }
            person.set(Some(p));
        })
    };
    // Someone on a joined device who is not a member yet says who they
    // are; they become a member as themselves.
    let join_as_new = {
        let id = id.clone();
        Callback::new(move |(name, role): (String, Role)| {
            let lang = locale.lang().get_untracked();
            let Some(live) = live.get_untracked() else {
                return Err(Text::SomethingWentWrong.get(lang).to_string());
            };
            let me = Id::random().map_err(|e| model_error_text(&e, lang))?;
            live.change(&me, |doc, ctx| add_member(doc, ctx, &me, &name, &role))
                .map_err(|e| model_error_text(&e, lang))?;
            if let Err(e) = live.register_this_device(&me) {
                leptos::logging::warn!("this device was not registered: {e}");
            }
            prefs::set_person(&id, &me);
            person.set(Some(me));
            Ok(())
        })
    };
    // Files: the sync file for a device without network, open archives.
    let files_status = RwSignal::new(None::<Result<String, String>>);
    let on_export = {
        let id = id.clone();
        Callback::new(move |kind: FileKind| {
            let Some(live) = live.get_untracked() else {
                return;
            };
            let lang = locale.lang().get_untracked();
            let name = summary
                .get_untracked()
                .map(|s| file_name(&s.child_name))
                .unwrap_or_else(|| id.to_string());
            spawn_local(async move {
                let made = match kind {
                    FileKind::Sync => live
                        .export_sync_file()
                        .await
                        .map(|b| {
                            (
                                format!("{name}.driehoek-sync"),
                                "application/octet-stream",
                                b,
                            )
                        })
                        .map_err(|e| sync_file_error_text(&e, lang)),
                    FileKind::Automerge => Ok((
                        format!("{name}.automerge"),
                        "application/octet-stream",
                        live.export_automerge(),
                    )),
                    FileKind::Json => Ok((
                        format!("{name}.json"),
                        "application/json",
                        live.export_json().into_bytes(),
                    )),
                };
                let outcome = made.and_then(|(file, mime, bytes)| {
                    files::download(&file, mime, &bytes)
                        .map_err(|_| Text::SomethingWentWrong.get(lang).to_string())
                });
                files_status.set(outcome.err().map(Err));
            });
        })
    };
    let store = use_store();
    let overview = store.sync_overview();
    let nowhere_href = StoredValue::new(DossierTab::People.path(id.as_str()));
    let on_import = Callback::new(move |bytes: Vec<u8>| {
        let lang = locale.lang().get_untracked();
        spawn_local(async move {
            let outcome = store
                .import_sync_file(&bytes)
                .await
                .map(|_| Text::SyncFileMerged.get(lang).to_string())
                .map_err(|e| sync_file_error_text(&e, lang));
            files_status.set(Some(outcome));
        });
    });
    let on_read_error = Callback::new(move |_: String| {
        let lang = locale.lang().get_untracked();
        files_status.set(Some(Err(Text::SyncFileDamaged.get(lang).to_string())));
    });
    let read_only = move || live.get().is_some_and(|l| l.is_read_only());
    let form_id = id.clone();
    let on_save = Callback::new(move |(new, drafts): (NewEntry, Vec<DraftSlot>)| {
        let lang = locale.lang().get_untracked();
        let (Some(live), Some(p)) = (live.get_untracked(), person.get_untracked()) else {
            return Err(Text::SomethingWentWrong.get(lang).to_string());
        };
        live.change_from_drafts(&p, &drafts, |doc, ctx| add_entry(doc, ctx, &new))
            .map_err(|e| model_error_text(&e, lang))
    });
    let can_write = move || {
        person.get().is_some() && !read_only() && (live.get().is_none() || me.get().is_some())
    };

    view! {
        <header class="dossier-head">
            <h1 data-testid="child-name">{child_name}</h1>
            <p class="dossier-sub">{subtitle}</p>
        </header>
        <DossierNav dossier=id.to_string() current=DossierTab::Logbook />
        {move || live.get().map(|live| view! { <DossierWarnings live=live /> })}
        {move || {
            live.get()
                .filter(|_| summary.get().is_some() && !child_mode.get())
                .map(|live| view! { <DossierHome live=live /> })
        }}
        <Show when=move || live.get().is_some() && summary.get().is_none()>
            <p class="notice" role="status" data-testid="dossier-arriving">
                {locale.t(Text::DossierArriving)}
            </p>
            // Caught up with the relay and still nothing: the link leads
            // nowhere (an old link, or another school's).
            <Show when=move || overview.get() == SyncOverview::UpToDate>
                <p class="notice warn" role="alert" data-testid="invite-leads-nowhere">
                    {locale.t(PeopleWords::InviteLeadsNowhere)}
                    " "
                    <a href=move || nowhere_href.get_value()>{locale.t(PeopleWords::LeaveTitle)}</a>
                </p>
            </Show>
        </Show>
        <Show when=read_only>
            <p class="notice warn" role="status">
                {locale.t(Text::ReadOnlyDossier)}
            </p>
        </Show>
        <div class="writing-as-slot">
            {move || match (me.get(), members.get()) {
                (Some(m), _) => {
                    let at_home = matches!(m.role, Role::Parent | Role::Child);
                    view! {
                        <p class="writing-as" data-testid="writing-as">
                            {locale.t(Text::YouWriteAs)}
                            " "
                            <strong>{m.name.clone()}</strong>
                            " ("
                            {move || role_text(&m.role, locale.lang().get())}
                            ") "
                            <button
                                type="button"
                                class="link-button"
                                on:click=move |_| person.set(None)
                            >
                                {locale.t(Text::NotYou)}
                            </button>
                        </p>
                        {at_home.then(|| view! {
                            <ChildModeSwitch on=child_mode.into() set=Callback::new(set_child_mode.clone()) />
                        })}
                    }
                        .into_any()
                }
                (None, Some(m)) if !m.people.is_empty() => {
                    view! {
                        <PersonChooser
                            members=m
                            invited_as=invited_as.clone()
                            on_choose=choose
                            on_new=join_as_new
                        />
                    }
                        .into_any()
                }
                _ => ().into_any(),
            }}
        </div>
        <Show when=can_write>
            <NewEntryForm
                dossier=form_id.clone()
                can_save=Signal::derive(move || live.get().is_some())
                on_save=on_save
                child_mode=child_mode
            />
        </Show>
        <h2 class="logbook-title">
            {locale.t(Text::Logbook)}
            " "
            <span class="count" data-testid="entry-count">
                {move || count().map(|n| n.to_string()).unwrap_or_default()}
            </span>
        </h2>
        <Show when=move || !child_mode.get() && all_rows.with(|r| r.len() > 1)>
            <LogbookFilterBar
                filter=filter
                choices=choices.into()
                shown=Signal::derive(move || rows.with(Vec::len))
                total=Signal::derive(move || all_rows.with(Vec::len))
            />
        </Show>
        {
            let id = id.clone();
            move || {
                if live.get().is_none() && cached.get().is_none() {
                    view! { <p class="loading">{locale.t(Text::Loading)}</p> }.into_any()
                } else {
                    view! {
                        <LogbookList
                            rows=rows
                            dossier=id.clone()
                            child_mode=child_mode
                            filtered_out=filtered_out
                        />
                    }
                        .into_any()
                }
            }
        }
        <Show when=move || live.get().is_some() && !child_mode.get() && all_rows.with(|r| !r.is_empty())>
            <LogbookPrint
                child_name=Signal::derive(child_name)
                rows_for=Callback::new(move |(from, to)| {
                    let Some(live) = live.get_untracked() else { return Vec::new() };
                    let book = live.logbook();
                    members.with_untracked(|m| {
                        print_rows(&book.entries, &m.clone().unwrap_or_default(), from, to)
                    })
                })
            />
        </Show>
        <Show when=move || live.get().is_some() && !child_mode.get()>
            <DossierFiles
                on_export=on_export
                on_import=on_import
                status=files_status.into()
                on_read_error=on_read_error
            />
        </Show>
    }
}

/// Switches child mode on (the child holds the device) and off again.
#[component]
fn ChildModeSwitch(on: Signal<bool>, set: Callback<bool>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <p class="child-mode-switch">
            <button
                type="button"
                class="button"
                class:child-mode-off=move || on.get()
                aria-pressed=move || on.get().to_string()
                data-testid="child-mode"
                on:click=move |_| set.run(!on.get_untracked())
            >
                <span aria-hidden="true">{move || if on.get() { "✓" } else { "🧒" }}</span>
                {move || {
                    let lang = locale.lang().get();
                    if on.get() {
                        LogbookWords::ChildModeOff.text(lang)
                    } else {
                        LogbookWords::ChildModeOn.text(lang)
                    }
                }}
            </button>
        </p>
    }
}

/// A file name from the child's name: letters, digits and dashes.
fn file_name(child: &str) -> String {
    let name: String = child
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let name = name.trim_matches('-');
    if name.is_empty() {
        "dossier".into()
    } else {
        name.to_string()
    }
}

/// "Who are you?": a device may be used by a parent and the child; someone
/// new to the dossier says their name and role instead.
#[component]
fn PersonChooser(
    members: read::Members,
    /// Whom the invite this device came in with was made for.
    invited_as: Option<Role>,
    on_choose: Callback<PersonId>,
    on_new: Callback<(String, Role), Result<(), String>>,
) -> impl IntoView {
    let locale = use_locale();
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(invited_as.clone().unwrap_or(Role::Parent));
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match on_new.run((
            name.get_untracked().trim().to_string(),
            role.get_untracked(),
        )) {
            Ok(()) => error.set(None),
            Err(e) => error.set(Some(e)),
        }
    };
    let roles = [Role::Parent, Role::Child, Role::Teacher, Role::Coordinator];
    let new_person = view! {
        <form class="form new-person" on:submit=submit data-testid="new-person-form">
            <h3>{locale.t(Text::NewToDossier)}</h3>
            <label>
                <span>{locale.t(Text::YourName)}</span>
                <input
                    type="text"
                    required
                    maxlength="200"
                    autocomplete="name"
                    data-testid="new-person-name"
                    prop:value=name
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
            </label>
            <fieldset class="choice">
                <legend>{locale.t(Text::YouAre)}</legend>
                {roles
                    .into_iter()
                    .map(|r| {
                        let (r2, r3) = (r.clone(), r.clone());
                        view! {
                            <label class="choice-option">
                                <input
                                    type="radio"
                                    name="new-person-role"
                                    data-role=format!("{r:?}").to_lowercase()
                                    prop:checked=move || role.get() == r2
                                    on:change=move |_| role.set(r3.clone())
                                />
                                <span>{move || role_text(&r, locale.lang().get())}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <FormError error=error />
            <button type="submit" class="button primary" data-testid="new-person-join">
                {locale.t(Text::JoinDossier)}
            </button>
        </form>
    };
    view! {
        <div class="card person-chooser" data-testid="person-chooser">
            <h2>{locale.t(Text::WhoAreYou)}</h2>
            {invited_as.map(|r| view! {
                <p data-testid="invited-as">
                    {move || {
                        let lang = locale.lang().get();
                        PeopleWords::InvitedAs.text(lang).replace("{role}", &role_text(&r, lang).to_lowercase())
                    }}
                </p>
            })}
            {(!members.people.is_empty()).then(|| view! {
                <p class="choices-lead">{locale.t(PeopleWords::AlreadyMember)}</p>
            })}
            <div class="choices">
                {members
                    .people
                    .into_iter()
                    .map(|m| {
                        let id = m.id.clone();
                        let role = m.role.clone();
                        view! {
                            <button
                                type="button"
                                class="button"
                                on:click=move |_| on_choose.run(id.clone())
                            >
                                {m.name.clone()}
                                " ("
                                {move || role_text(&role, locale.lang().get())}
                                ")"
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            {new_person}
        </div>
    }
}
