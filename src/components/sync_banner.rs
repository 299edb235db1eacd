//! Says plainly why sharing through the relay does not work, and takes the
//! school's creation code where that is the reason.

use leptos::prelude::*;

use crate::i18n::messages::{asks_for_creation_code, sync_trouble_text};
use crate::i18n::{Text, use_locale};
use crate::storage::prefs;
use crate::store::{SyncOverview, SyncTrouble, use_store};

/// Shown while the relay refuses something of this device; a connection
/// the relay merely closed is retried by itself and not shown here.
#[component]
pub fn SyncBanner() -> impl IntoView {
    let locale = use_locale();
    let sync = use_store().sync_overview();
    let trouble = move || match sync.get() {
        SyncOverview::Problem(trouble) if !matches!(trouble, SyncTrouble::Closed(_)) => {
            Some(trouble)
        }
        _ => None,
    };
    view! {
        {move || {
            trouble()
                .map(|trouble| {
                    let asks = asks_for_creation_code(&trouble);
                    let text = sync_trouble_text(&trouble);
                    view! {
                        <div class="sync-banner" role="alert" data-testid="sync-banner">
                            <p>{move || text.get(locale.lang().get())}</p>
                            {asks.then(|| view! { <CreationCodeForm /> })}
                        </div>
                    }
                })
        }}
    }
}

/// The school's code for new dossiers: kept on this device, sent to the
/// relay on the next connection, which starts at once.
#[component]
pub fn CreationCodeForm() -> impl IntoView {
    let locale = use_locale();
    let store = use_store();
    let code = RwSignal::new(prefs::creation_code().unwrap_or_default());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        store.set_creation_code(&code.get_untracked());
    };
    view! {
        <form class="creation-code" on:submit=on_submit data-testid="creation-code-form">
            <label>
                <span>{locale.t(Text::CreationCodeLabel)}</span>
                <input
                    type="text"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    maxlength="200"
                    data-testid="creation-code"
                    prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))
                />
            </label>
            <button type="submit" class="button">{locale.t(Text::CreationCodeUse)}</button>
        </form>
    }
}
