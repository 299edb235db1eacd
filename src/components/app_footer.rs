use leptos::prelude::*;

use crate::i18n::{Text, use_locale};

/// The foot of every screen: which build this is, so that a question about a
/// problem can start with "which version do you have?".
#[component]
pub fn AppFooter(
    /// The build id, when the page was built by the release build.
    build_id: Option<String>,
) -> impl IntoView {
    let locale = use_locale();
    build_id.map(|build_id| {
        view! {
            <footer class="app-footer">
                {locale.t(Text::Version)} " "
                <code data-testid="build-id">{build_id}</code>
            </footer>
        }
    })
}
