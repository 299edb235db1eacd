//! The dossier a page is about: the one named in the address, opened once
//! per app session, and what opening it found (damaged chunks skipped, this
//! device left out of a re-founded dossier), shown above every page of it.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use driehoek_core::model::{Id, Section, read};

use crate::i18n::messages::{store_error_text, warning_text};
use crate::i18n::{PeopleWords, Phrase, Text, Words, use_locale};
use crate::store::{LiveDossier, use_store};

/// The dossier named in the address, loaded once per app session.
pub fn use_dossier_from_route() -> (Memo<Option<Id>>, LocalResource<Result<LiveDossier, String>>) {
    let params = use_params_map();
    let store = use_store();
    let locale = use_locale();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| Id::new(s).ok()));
    let dossier = LocalResource::new(move || {
        let id = id.get();
        async move {
            let lang = locale.lang().get_untracked();
            match id {
                Some(id) => store
                    .open(&id)
                    .await
                    .map_err(|e| store_error_text(&e, lang)),
                None => Err(Text::DossierNotHere.get(lang).to_string()),
            }
        }
    });
    (id, dossier)
}

/// What opening found, shown above the dossier.
#[component]
pub fn DossierWarnings(live: LiveDossier) -> impl IntoView {
    let locale = use_locale();
    let warnings = live.warnings();
    // Left out of a re-founded dossier: by someone whose device this
    // dossier knows, or, for a device that never became a member (it came
    // with a link from before), by a used-up link.
    let left_out = Memo::new(move |_| {
        if !live.is_left_out() {
            return None;
        }
        let lang = locale.lang().get();
        let me = live.this_device();
        Some(live.read(Section::Members, |doc| {
            let members = read::members(doc).unwrap_or_default();
            let registered = me.is_some_and(|k| members.devices.iter().any(|d| d.key == k));
            if !registered {
                return PeopleWords::LeftOutLink.text(lang).to_string();
            }
            let by = live.left_out_by().and_then(|key| {
                let device = members.devices.iter().find(|d| d.key == key)?;
                let person = device.persons.first()?;
                members.get(person).map(|m| m.name.clone())
            });
            let by = by.unwrap_or_else(|| Words::SomeoneUnknown.text(lang).to_string());
            PeopleWords::LeftOutBy.text(lang).replace("{name}", &by)
        }))
    });
    view! {
        {move || left_out.get().map(|text| view! {
            <p class="notice warn" role="alert" data-testid="left-out">{text}</p>
        })}
        <Show when=move || !warnings.get().is_empty()>
            <div class="notice warn" role="status" data-testid="store-warnings">
                <ul>
                    {move || {
                        let lang = locale.lang().get();
                        warnings
                            .get()
                            .iter()
                            .map(|w| view! { <li>{warning_text(w, lang)}</li> })
                            .collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}
