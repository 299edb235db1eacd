//! Small preferences of this device, kept in localStorage.
//!
//! They are tiny and read synchronously at start, so that the first frame is
//! already in the right language. Nothing here is shared with other devices.

use gloo_storage::{LocalStorage, Storage};

use crate::i18n::Lang;

const LANGUAGE_KEY: &str = "driehoek.language";

/// The language chosen on this device, or the default when none was chosen
/// or the stored value is not one we know (a hand-edited or newer value).
pub fn language() -> Lang {
    LocalStorage::get::<String>(LANGUAGE_KEY)
        .ok()
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or_default()
}

/// Remembers the language. Failing to store it (private mode, storage full)
/// only means the choice is not remembered, so the error is logged, not shown.
pub fn set_language(lang: Lang) {
    if let Err(err) = LocalStorage::set(LANGUAGE_KEY, lang.tag()) {
        leptos::logging::warn!("could not remember the language: {err}");
    }
}
