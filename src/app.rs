//! The root of the UI: what every screen shares, and the routes.

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::use_location,
    path,
};

use driehoek_core::model::Id;

use crate::{
    components::{
        app_footer::AppFooter, app_header::AppHeader, storage_banner::StorageBanner,
        sync_banner::SyncBanner, update_banner::UpdateBanner,
    },
    i18n::{Lang, Locale, Text},
    pages::{
        agreement::AgreementPage,
        conversations::ConversationsPage,
        dossier::DossierPage,
        dossier_list::DossierListPage,
        entry::EntryPage,
        expectations::ExpectationsPage,
        measurement::MeasurementPage,
        not_found::NotFoundPage,
        people::PeoplePage,
        settings::{DurabilityState, SettingsPage},
        together::TogetherPage,
    },
    platform::{online::online_signal, persistence::request_persistence, pwa},
    storage::prefs,
    store::{DossierStore, StoreConfig},
};

#[component]
pub fn App() -> impl IntoView {
    let locale = Locale::new(Lang::remembered());
    provide_context(locale);
    let update = pwa::AppUpdate::start();
    let store = DossierStore::start(StoreConfig {
        device_prefix: prefs::device_prefix(),
        // The browser counts text positions in UTF-16 code units.
        encoding: automerge::TextEncoding::Utf16CodeUnit,
    });
    provide_context(store);
    // Ask once per start; the browser remembers a yes.
    let durability = DurabilityState(RwSignal::new(None));
    provide_context(durability);
    leptos::task::spawn_local(async move {
        durability.0.set(Some(request_persistence().await));
    });
    let online = online_signal();

    // Screen readers and the browser's spell checker follow <html lang>.
    Effect::new(move || {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", locale.lang().get().tag());
        }
    });

    let on_language = Callback::new(move |lang: Lang| {
        locale.set(lang);
        lang.remember();
    });
    let on_update = Callback::new(move |()| update.apply());
    let on_retry = Callback::new(move |()| store.retry_writes());

    view! {
        <Router>
            <FollowViewing store=store />
            <div class="app">
                <a class="skip-link" href="#main" data-testid="skip-link" on:click=skip_to_main>
                    {locale.t(Text::SkipToContent)}
                </a>
                <UpdateBanner ready=update.ready() on_update=on_update />
                <StorageBanner on_retry=on_retry />
                <SyncBanner />
                <AppHeader
                    online=online
                    sync=store.sync_overview()
                    lang=locale.lang()
                    on_language=on_language
                />
                <main id="main" class="app-main" tabindex="-1">
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=DossierListPage />
                        <Route path=path!("/d/:id") view=DossierPage />
                        <Route path=path!("/d/:id/entry/:entry") view=EntryPage />
                        <Route path=path!("/d/:id/expectations") view=ExpectationsPage />
                        <Route path=path!("/d/:id/agreement") view=AgreementPage />
                        <Route path=path!("/d/:id/conversations") view=ConversationsPage />
                        <Route path=path!("/d/:id/together") view=TogetherPage />
                        <Route path=path!("/d/:id/measurement") view=MeasurementPage />
                        <Route path=path!("/d/:id/people") view=PeoplePage />
                        <Route path=path!("/settings") view=SettingsPage />
                    </Routes>
                </main>
                <AppFooter build_id=pwa::build_id() />
            </div>
        </Router>
    }
}

/// "Skip to content": the focus goes to the page's main part, past the
/// header, without the router seeing a new address.
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    if let Some(main) = document().get_element_by_id("main") {
        use wasm_bindgen::JsCast;
        let _ = main.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}

/// Tells the store which dossier is on screen, from the address and
/// whether the page is visible: what arrives for it meanwhile is seen,
/// what arrives for the others, or while the page is hidden, is news.
#[component]
fn FollowViewing(store: DossierStore) -> impl IntoView {
    let location = use_location();
    Effect::new(move || {
        let path = location.pathname.get();
        store.set_viewing(dossier_in_path(&path));
    });
    let page_hidden = || document().visibility_state() == web_sys::VisibilityState::Hidden;
    store.set_page_hidden(page_hidden());
    let _ = window_event_listener(leptos::ev::visibilitychange, move |_| {
        store.set_page_hidden(page_hidden());
    });
}

/// The dossier id of `/d/{id}` and the routes below it.
fn dossier_in_path(path: &str) -> Option<Id> {
    let rest = path.strip_prefix("/d/")?;
    let id = rest.split('/').next()?;
    Id::new(id).ok()
}
