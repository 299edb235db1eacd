use leptos::prelude::*;

use crate::i18n::{Text, use_locale};

/// Shown for an address inside the app that leads nowhere, for example a
/// link that was cut off when it was copied.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="page not-found-page" data-testid="not-found">
            <h1>{locale.t(Text::NotFoundTitle)}</h1>
            <p>{locale.t(Text::NotFoundBody)}</p>
            <a class="button primary" href="/">{locale.t(Text::BackToStart)}</a>
        </section>
    }
}
