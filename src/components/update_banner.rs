use leptos::prelude::*;

use crate::i18n::{Text, use_locale};

/// Tells that a new version of the app is ready, and starts it on request.
#[component]
pub fn UpdateBanner(
    /// True when a new version waits.
    ready: Signal<bool>,
    /// Starts the new version (the page reloads).
    on_update: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <Show when=move || ready.get()>
            <div class="update-banner" role="status" data-testid="update-banner">
                <span>{locale.t(Text::UpdateReady)}</span>
                <button type="button" class="button primary" on:click=move |_| on_update.run(())>
                    {locale.t(Text::UpdateNow)}
                </button>
            </div>
        </Show>
    }
}
