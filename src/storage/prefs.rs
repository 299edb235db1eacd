//! Small preferences of this device, kept in localStorage.
//!
//! They are tiny and read synchronously at start, so that the first frame is
//! already in the right language. Nothing here is shared with other devices.

use gloo_storage::{LocalStorage, Storage};

use driehoek_core::model::{Id, PersonId};

const LANGUAGE_KEY: &str = "driehoek.language";

/// The tag of the language chosen on this device (`nl`, `en`), if one was
/// chosen; the i18n layer decides what a tag it does not know means.
pub fn language_tag() -> Option<String> {
    LocalStorage::get::<String>(LANGUAGE_KEY).ok()
}

/// Remembers the language by its tag. Failing to store it (private mode,
/// storage full) only means the choice is not remembered, so the error is
/// logged, not shown.
pub fn set_language_tag(tag: &str) {
    if let Err(err) = LocalStorage::set(LANGUAGE_KEY, tag) {
        leptos::logging::warn!("could not remember the language: {err}");
    }
}

const DEVICE_KEY: &str = "driehoek.device";
const PERSON_KEY_PREFIX: &str = "driehoek.person.";

/// A random name of this device, made on first start: the first bytes of
/// the actor ids its tabs use until the store has read the device's signing
/// key (from then on the key's own prefix), and where no key can be kept.
/// If it cannot be remembered, a fresh one per visit is still correct: each
/// tab session adds random bytes of its own anyway.
pub fn device_prefix() -> Vec<u8> {
    if let Ok(hex) = LocalStorage::get::<String>(DEVICE_KEY)
        && let Some(bytes) = from_hex(&hex)
        && bytes.len() == 8
    {
        return bytes;
    }
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        return vec![0; 8];
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    if let Err(err) = LocalStorage::set(DEVICE_KEY, hex) {
        leptos::logging::warn!("could not remember the device id: {err}");
    }
    bytes.to_vec()
}

fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Who uses this device in `dossier` (a family phone may carry a parent
/// and the child; this is who writes now).
pub fn person(dossier: &Id) -> Option<PersonId> {
    LocalStorage::get::<String>(format!("{PERSON_KEY_PREFIX}{dossier}"))
        .ok()
        .and_then(|s| Id::new(s).ok())
}

pub fn set_person(dossier: &Id, person: &PersonId) {
    if let Err(err) = LocalStorage::set(format!("{PERSON_KEY_PREFIX}{dossier}"), person.as_str()) {
        leptos::logging::warn!("could not remember who uses this device: {err}");
    }
}

const CREATION_CODE_KEY: &str = "driehoek.creation-code";

/// The code the relay's operator gave for making new dossiers, when this
/// device was given one; sent in every Hello.
pub fn creation_code() -> Option<String> {
    LocalStorage::get::<String>(CREATION_CODE_KEY)
        .ok()
        .map(|code| code.trim().to_owned())
        .filter(|code| !code.is_empty())
}

/// Remembers the creation code; an empty one forgets it.
pub fn set_creation_code(code: &str) {
    let code = code.trim();
    let stored = if code.is_empty() {
        LocalStorage::delete(CREATION_CODE_KEY);
        Ok(())
    } else {
        LocalStorage::set(CREATION_CODE_KEY, code)
    };
    if let Err(err) = stored {
        leptos::logging::warn!("could not remember the creation code: {err}");
    }
}

const INVITED_AS_PREFIX: &str = "driehoek.invited-as.";

/// Whom the invite this device joined `dossier` with was made for ("parent",
/// "child", "teacher"): the join screen suggests that role. A hint only.
pub fn invited_as(dossier: &Id) -> Option<String> {
    LocalStorage::get::<String>(format!("{INVITED_AS_PREFIX}{dossier}")).ok()
}

pub fn set_invited_as(dossier: &Id, role: &str) {
    if let Err(err) = LocalStorage::set(format!("{INVITED_AS_PREFIX}{dossier}"), role) {
        leptos::logging::warn!("could not remember the invite's role: {err}");
    }
}

const CHILD_MODE_PREFIX: &str = "driehoek.child-mode.";

/// Whether child mode was switched on or off on this device for
/// `dossier`; `None` when nobody chose (then the role decides).
pub fn child_mode(dossier: &Id) -> Option<bool> {
    LocalStorage::get::<bool>(format!("{CHILD_MODE_PREFIX}{dossier}")).ok()
}

pub fn set_child_mode(dossier: &Id, on: bool) {
    if let Err(err) = LocalStorage::set(format!("{CHILD_MODE_PREFIX}{dossier}"), on) {
        leptos::logging::warn!("could not remember child mode: {err}");
    }
}

/// Forgets what this device kept about `dossier` (after leaving it).
pub fn forget_dossier(dossier: &Id) {
    LocalStorage::delete(format!("{PERSON_KEY_PREFIX}{dossier}"));
    LocalStorage::delete(format!("{INVITED_AS_PREFIX}{dossier}"));
    LocalStorage::delete(format!("{CHILD_MODE_PREFIX}{dossier}"));
}
