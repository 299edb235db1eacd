//! The root of the UI: what every screen shares, and the routes.

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::{
    components::{app_footer::AppFooter, app_header::AppHeader, update_banner::UpdateBanner},
    i18n::{Lang, Locale},
    pages::{dossier_list::DossierListPage, not_found::NotFoundPage},
    platform::{online::online_signal, pwa},
    storage::prefs,
};

#[component]
pub fn App() -> impl IntoView {
    let locale = Locale::new(prefs::language());
    provide_context(locale);
    let update = pwa::AppUpdate::start();
    let online = online_signal();

    // Screen readers and the browser's spell checker follow <html lang>.
    Effect::new(move || {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", locale.lang().get().tag());
        }
    });

    let on_language = Callback::new(move |lang: Lang| {
        locale.set(lang);
        prefs::set_language(lang);
    });
    let on_update = Callback::new(move |()| update.apply());

    view! {
        <Router>
            <div class="app">
                <UpdateBanner ready=update.ready() on_update=on_update />
                <AppHeader online=online lang=locale.lang() on_language=on_language />
                <main class="app-main">
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=DossierListPage />
                    </Routes>
                </main>
                <AppFooter build_id=pwa::build_id() />
            </div>
        </Router>
    }
}
