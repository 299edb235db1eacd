use leptos::prelude::*;

use crate::i18n::messages::health_text;
use crate::i18n::{Text, use_locale};
use crate::store::{StorageHealth, use_store};

/// Says plainly when this device does not keep what is written: no
/// storage at all (private mode) or a write that failed (device full).
#[component]
pub fn StorageBanner(
    /// Writes again what is waiting in memory.
    on_retry: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let health = use_store().health();
    let text = move || health_text(&health.get(), locale.lang().get());
    let can_retry = move || matches!(health.get(), StorageHealth::WriteFailed(_));
    view! {
        <Show when=move || text().is_some()>
            <div class="storage-banner" role="alert" data-testid="storage-banner">
                <span>{text}</span>
                <Show when=can_retry>
                    <button type="button" class="button" data-testid="retry-save" on:click=move |_| on_retry.run(())>
                        {locale.t(Text::TryAgain)}
                    </button>
                </Show>
            </div>
        </Show>
    }
}
