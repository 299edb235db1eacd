//! What every page of one dossier shares: the dossier opened from the
//! address, its name, the tabs, what opening found, and who is using this
//! device.

use leptos::prelude::*;

use crate::components::dossier_nav::{DossierNav, DossierTab};
use crate::i18n::{Phrase, Text, Words, format_date, use_locale};
use crate::storage::prefs;
use crate::store::LiveDossier;
use driehoek_core::model::read::{Member, Members};
use driehoek_core::model::{Date, ModelError, PersonId, Section, Timestamp, read};

use super::route::{DossierWarnings, use_dossier_from_route};
use crate::i18n::messages::model_error_text;

/// The people of a dossier and who is using this device, for one page.
#[derive(Clone, Copy)]
pub struct People {
    /// Who uses this device for this dossier, as chosen on its first page.
    pub person: StoredValue<Option<PersonId>>,
    pub members: Memo<Members>,
    pub me: Memo<Option<Member>>,
}

impl People {
    pub fn of(live: LiveDossier) -> Self {
        let person = prefs::person(&live.id());
        let members = Memo::new(move |_| {
            live.read(Section::Members, |d| read::members(d).unwrap_or_default())
        });
        let me_id = person.clone();
        let me = Memo::new(move |_| {
            let p = me_id.as_ref()?;
            members.with(|m| m.get(p).cloned())
        });
        People {
            person: StoredValue::new(person),
            members,
            me,
        }
    }

    /// A member's name, or "someone" for a person this device does not know.
    pub fn name(&self, person: Option<&PersonId>, lang: crate::i18n::Lang) -> String {
        person
            .and_then(|p| self.members.with(|m| m.get(p).map(|m| m.name.clone())))
            .unwrap_or_else(|| Words::SomeoneUnknown.text(lang).to_string())
    }
}

/// Runs a command as the person using this device and turns its error into
/// words; `true` when it went through.
#[derive(Clone, Copy)]
pub struct Acting {
    pub live: LiveDossier,
    pub people: People,
    pub error: RwSignal<Option<String>>,
}

impl Acting {
    pub fn run(self, f: impl FnOnce(&LiveDossier, &PersonId) -> Result<(), ModelError>) -> bool {
        let lang = use_locale().lang().get_untracked();
        let Some(p) = self.people.person.get_value() else {
            self.error
                .set(Some(Words::ChooseWhoFirst.text(lang).into()));
            return false;
        };
        match f(&self.live, &p) {
            Ok(()) => {
                self.error.set(None);
                true
            }
            Err(e) => {
                self.error.set(Some(model_error_text(&e, lang)));
                false
            }
        }
    }
}

/// A day from a timestamp, in the browser's time zone.
pub fn day_of(at: Timestamp) -> Option<Date> {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64));
    Date::new(
        u16::try_from(date.get_full_year()).ok()?,
        u8::try_from(date.get_month() + 1).ok()?,
        u8::try_from(date.get_date()).ok()?,
    )
    .ok()
}

/// A timestamp as a day and a time of day ("3 december 2026, 09:05"), in
/// the browser's time zone.
pub fn moment_text(at: Timestamp, lang: crate::i18n::Lang) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64));
    let day = day_text(at, lang);
    if day.is_empty() {
        return day;
    }
    format!("{day}, {:02}:{:02}", date.get_hours(), date.get_minutes())
}

/// A timestamp as a day people read.
pub fn day_text(at: Timestamp, lang: crate::i18n::Lang) -> String {
    day_of(at).map(|d| format_date(d, lang)).unwrap_or_default()
}

/// The name, the tabs and the warnings above a dossier's page.
#[component]
pub fn DossierHead(live: LiveDossier, tab: DossierTab) -> impl IntoView {
    let summary =
        Memo::new(move |_| live.read(Section::Dossier, |d| read::dossier_summary(d).ok()));
    view! {
        <header class="dossier-head">
            <h1 data-testid="child-name">{move || summary.get().map(|s| s.child_name)}</h1>
            <p class="dossier-sub">
                {move || summary.get().map(|s| format!("{} · {}", s.group, s.school_year))}
            </p>
        </header>
        <DossierNav dossier=live.id().to_string() current=tab />
        <DossierWarnings live=live />
    }
}

/// A page of one dossier: loads it from the address, then shows `body`.
#[component]
pub fn SectionFrame(
    tab: DossierTab,
    class: &'static str,
    body: fn(LiveDossier) -> AnyView,
) -> impl IntoView {
    let locale = use_locale();
    let (_, dossier) = use_dossier_from_route();
    view! {
        <section class=format!("page {class}")>
            {move || match dossier.get() {
                None => view! { <p class="loading">{locale.t(Text::Loading)}</p> }.into_any(),
                Some(Err(message)) => {
                    view! {
                        <div class="card" role="alert" data-testid="dossier-error">
                            <p>{message}</p>
                            <a class="button" href="/">{locale.t(Text::BackToStart)}</a>
                        </div>
                    }
                        .into_any()
                }
                Some(Ok(live)) => {
                    view! {
                        <DossierHead live=live tab=tab />
                        {body(live)}
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// Shown instead of the writing controls while nobody is chosen.
#[component]
pub fn ChooseWhoFirst(live: LiveDossier) -> impl IntoView {
    let locale = use_locale();
    view! {
        <p class="notice" role="status" data-testid="choose-who-first">
            {locale.t(Words::ChooseWhoFirst)}
            " "
            <a href=format!("/d/{}", live.id())>{locale.t(Words::ToTheDossier)}</a>
        </p>
    }
}
