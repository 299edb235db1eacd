use leptos::prelude::*;

use crate::i18n::messages::sync_trouble_text;
use crate::i18n::{Lang, Text, use_locale};
use crate::store::SyncOverview;

/// The bar at the top of every screen: the product, whether this device is
/// online, and the language switch.
#[component]
pub fn AppHeader(
    /// Whether the browser has a network.
    online: Signal<bool>,
    /// How sync with the other devices stands.
    sync: Signal<SyncOverview>,
    /// The language in use.
    lang: Signal<Lang>,
    /// Called with the language the person picked.
    on_language: Callback<Lang>,
) -> impl IntoView {
    let locale = use_locale();
    let status_text = move || {
        if online.get() {
            Text::Online.get(lang.get())
        } else {
            Text::Offline.get(lang.get())
        }
    };
    view! {
        <header class="app-header">
            <a class="brand" href="/">
                <img class="brand-mark" src="/icons/icon.svg" alt="" width="36" height="36" />
                <span class="brand-text">
                    <span class="brand-name">{locale.t(Text::AppName)}</span>
                    <span class="brand-tagline">{locale.t(Text::Tagline)}</span>
                </span>
            </a>
            <div class="header-tools">
                <span
                    class="online-status"
                    class:offline=move || !online.get()
                    role="status"
                    data-testid="online-status"
                    data-online=move || online.get().to_string()
                >
                    <span class="dot" aria-hidden="true"></span>
                    {status_text}
                </span>
                <span
                    class="sync-status"
                    role="status"
                    data-testid="sync-status"
                    data-sync=move || sync_key(&sync.get())
                    title=move || match sync.get() {
                        SyncOverview::Problem(trouble) => {
                            sync_trouble_text(&trouble).get(lang.get()).to_owned()
                        }
                        _ => String::new(),
                    }
                >
                    {move || sync_text(&sync.get()).get(lang.get())}
                </span>
                <div
                    class="language-switch"
                    role="group"
                    aria-label=locale.t(Text::LanguageLabel)
                >
                    {Lang::ALL
                        .into_iter()
                        .map(|option| {
                            view! {
                                <button
                                    type="button"
                                    lang=option.tag()
                                    data-lang=option.tag()
                                    aria-pressed=move || (lang.get() == option).to_string()
                                    on:click=move |_| on_language.run(option)
                                >
                                    {option.tag().to_uppercase()}
                                    <span class="visually-hidden">" " {option.own_name()}</span>
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
                <a class="settings-link" href="/settings" data-testid="settings-link" title=locale.t(Text::Settings)>
                    <span aria-hidden="true">"⚙"</span>
                    <span class="visually-hidden">{locale.t(Text::Settings)}</span>
                </a>
            </div>
        </header>
        <Show when=move || !online.get()>
            <p class="offline-note" role="note">
                {locale.t(Text::OfflineExplained)}
            </p>
        </Show>
    }
}

fn sync_text(sync: &SyncOverview) -> Text {
    match sync {
        SyncOverview::Elsewhere => Text::SyncElsewhere,
        SyncOverview::Offline => Text::SyncOffline,
        SyncOverview::Connecting => Text::SyncConnecting,
        SyncOverview::Sending(_) => Text::SyncSending,
        SyncOverview::UpToDate => Text::SyncUpToDate,
        SyncOverview::Problem(_) => Text::SyncProblem,
    }
}

/// A stable name for tests and styles.
fn sync_key(sync: &SyncOverview) -> &'static str {
    match sync {
        SyncOverview::Elsewhere => "elsewhere",
        SyncOverview::Offline => "offline",
        SyncOverview::Connecting => "connecting",
        SyncOverview::Sending(_) => "sending",
        SyncOverview::UpToDate => "up-to-date",
        SyncOverview::Problem(_) => "problem",
    }
}
