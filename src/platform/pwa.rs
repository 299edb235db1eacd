//! The service worker that lets the app start without a network, and the
//! flow that brings a new version in when the person chooses it.
//!
//! A new version is downloaded and installed in the background but waits
//! until the person presses "update": swapping code under someone who is
//! typing would be rude, and the reload must happen at a moment they chose.

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, prelude::*};
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{
    ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState,
};

/// The service worker script; the build writes the precache list into it.
const SERVICE_WORKER_URL: &str = "/sw.js";
/// The message the service worker answers with `skipWaiting()`.
const SKIP_WAITING: &str = "skip-waiting";
/// Phones keep an installed app open for days: look for a new version now
/// and then, and whenever the app comes back to the foreground.
const UPDATE_CHECK_INTERVAL: Duration = Duration::from_secs(30 * 60);

/// The state of the app's own updates, shared through context.
#[derive(Clone, Copy)]
pub struct AppUpdate {
    ready: RwSignal<bool>,
    applying: RwSignal<bool>,
    registration: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
}

impl AppUpdate {
    /// Registers the service worker (where the browser has one) and starts
    /// watching for new versions.
    pub fn start() -> Self {
        let update = AppUpdate {
            ready: RwSignal::new(false),
            applying: RwSignal::new(false),
            registration: StoredValue::new_local(None),
        };
        if let Some(container) = service_worker_container() {
            update.listen_for_new_controller(&container);
            spawn_local(async move {
                match JsFuture::from(container.register(SERVICE_WORKER_URL)).await {
                    Ok(registration) => update.watch(&container, registration.unchecked_into()),
                    Err(err) => leptos::logging::warn!(
                        "the app cannot work offline: service worker not registered: {err:?}"
                    ),
                }
            });
        }
        update
    }

    /// True when a new version is installed and waits for the person.
    pub fn ready(&self) -> Signal<bool> {
        self.ready.into()
    }

    /// Activates the waiting version; the page reloads once it controls.
    pub fn apply(&self) {
        let waiting = self
            .registration
            .with_value(|registration| registration.as_ref().and_then(|r| r.waiting()));
        if let Some(worker) = waiting {
            self.applying.set(true);
            if let Err(err) = worker.post_message(&JsValue::from_str(SKIP_WAITING)) {
                self.applying.set(false);
                leptos::logging::warn!("could not start the new version: {err:?}");
            }
        }
    }

    fn watch(self, container: &ServiceWorkerContainer, registration: ServiceWorkerRegistration) {
        // A first install has no controller yet: that is not an update.
        let has_controller = container.controller().is_some();
        if registration.waiting().is_some() && has_controller {
            self.ready.set(true);
        }

        // A version the browser began installing before this page listened
        // (a navigation starts an update check of its own) is tracked too.
        if let Some(installing) = registration.installing() {
            self.track_install(container, &installing);
        }
        let watched = registration.clone();
        let container_for_install = container.clone();
        let on_update_found = Closure::<dyn FnMut()>::new(move || {
            if let Some(installing) = watched.installing() {
                self.track_install(&container_for_install, &installing);
            }
        });
        registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
        on_update_found.forget();

        self.registration.set_value(Some(registration.clone()));
        // At start: a phone may have slept on an old version for days.
        if has_controller {
            check_for_update(&registration);
        }
        let periodic = registration.clone();
        if let Err(err) =
            set_interval_with_handle(move || check_for_update(&periodic), UPDATE_CHECK_INTERVAL)
        {
            leptos::logging::warn!("no periodic update check: {err:?}");
        }
        let _ = window_event_listener(leptos::ev::visibilitychange, move |_| {
            if document().visibility_state() == web_sys::VisibilityState::Visible {
                check_for_update(&registration);
            }
        });
    }

    /// Shows "update ready" once `installing` is installed, unless it is
    /// the first version (no controller yet), which simply takes over.
    fn track_install(self, container: &ServiceWorkerContainer, installing: &ServiceWorker) {
        let ready = self.ready;
        let worker = installing.clone();
        let container = container.clone();
        let on_state_change = Closure::<dyn FnMut()>::new(move || {
            if worker.state() == ServiceWorkerState::Installed && container.controller().is_some() {
                ready.set(true);
            }
        });
        installing.set_onstatechange(Some(on_state_change.as_ref().unchecked_ref()));
        // Lives as long as that worker object, which the browser keeps.
        on_state_change.forget();
    }

    fn listen_for_new_controller(self, container: &ServiceWorkerContainer) {
        let applying = self.applying;
        let on_controller_change = Closure::<dyn FnMut()>::new(move || {
            // Only the update the person asked for reloads the page; the
            // first install also changes the controller, silently.
            if applying.get_untracked() {
                let _ = window().location().reload();
            }
        });
        container.set_oncontrollerchange(Some(on_controller_change.as_ref().unchecked_ref()));
        on_controller_change.forget();
    }
}

fn check_for_update(registration: &ServiceWorkerRegistration) {
    if let Ok(promise) = registration.update() {
        // Offline, the check fails; that is normal and not worth a message.
        spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

/// The container, or `None` where the browser has no service workers (an
/// insecure origin, some private modes).
fn service_worker_container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    let present =
        js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
    present.then(|| navigator.service_worker())
}

/// The id of the build this page runs, stamped into `index.html` at build
/// time; `None` in a page that was not built by Trunk (tests).
pub fn build_id() -> Option<String> {
    document()
        .query_selector("meta[name='driehoek-build']")
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .filter(|id| !id.is_empty())
}
