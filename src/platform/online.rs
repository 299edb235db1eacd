//! Whether the browser thinks it has a network.
//!
//! `navigator.onLine` only knows whether there is *a* network, not whether the
//! relay is reachable; the sync status (later) tells that. It is still the
//! right signal for "you are offline, keep working".

use leptos::prelude::*;

/// A signal that follows the browser's online and offline events for as long
/// as the app runs.
pub fn online_signal() -> Signal<bool> {
    let online = RwSignal::new(navigator_online());
    // The app lives as long as the page, so the listeners are never removed.
    let _ = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let _ = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    online.into()
}

fn navigator_online() -> bool {
    web_sys::window().is_none_or(|window| window.navigator().on_line())
}
