//! Where each piece of a dossier lives in the key-value store.
//!
//! ```text
//! index/{dossier}                      metadata (JSON, `DossierMeta`): saved
//!                                      heads, last opened, last-seen heads,
//!                                      summary; `list_prefix("index/")` is
//!                                      the list of dossiers on this device
//! dossier/{dossier}/snapshot           framed whole document
//! dossier/{dossier}/chunk/{t}-{s}-{n}  framed changes after the saved heads
//! draft/{dossier}/{target}/{nonce}    what is being typed (JSON, `Draft`),
//!                                      saved on every keystroke; `target`
//!                                      is the item it becomes or edits,
//!                                      `nonce` one editing session of it
//! view/{dossier}/{name}               what a screen showed last (JSON), with
//!                                      the heads it showed; used for the
//!                                      first paint while the document
//!                                      loads, only if the heads are still
//!                                      the saved heads
//! dossier/{dossier}/quarantine/{what}-{hash}
//!                                      bytes that failed their frame or
//!                                      were refused by Automerge, kept for
//!                                      export and never deleted by us
//! ```
//!
//! In a chunk key, `t` is the caller's time in ms (16 hex digits), `s` the
//! session's actor id in hex and `n` a per-session counter (8 hex digits):
//! keys sort roughly by time, and two tabs writing at the same millisecond
//! never collide because their actor ids differ. Order is a nicety only:
//! Automerge queues a change until its dependencies arrive.
//!
//! Dossier ids are model [`Id`]s (`A-Z a-z 0-9 _ -`), so a `/` never
//! appears inside one and prefixes cannot overlap.

use crate::model::{Id, Timestamp};

pub const INDEX_PREFIX: &str = "index/";

pub fn meta(id: &Id) -> String {
    format!("{INDEX_PREFIX}{id}")
}

pub fn dossier_prefix(id: &Id) -> String {
    format!("dossier/{id}/")
}

pub fn snapshot(id: &Id) -> String {
    format!("dossier/{id}/snapshot")
}

pub fn chunk_prefix(id: &Id) -> String {
    format!("dossier/{id}/chunk/")
}

pub fn chunk(id: &Id, now: Timestamp, session: &str, counter: u32) -> String {
    // A time before 1970 is a broken clock; clamp rather than fail a save.
    let t = u64::try_from(now).unwrap_or(0);
    format!("dossier/{id}/chunk/{t:016x}-{session}-{counter:08x}")
}

pub fn quarantine_prefix(id: &Id) -> String {
    format!("dossier/{id}/quarantine/")
}

/// The quarantine key for bytes found under `key`; `tag` (a hash of the
/// bytes) keeps two damaged versions of one key apart and makes keeping
/// the same bytes twice idempotent.
pub fn quarantine(id: &Id, key: &str, tag: &str) -> String {
    let rest = key.strip_prefix(&dossier_prefix(id)).unwrap_or(key);
    let rest = rest.replace('/', "_");
    format!("dossier/{id}/quarantine/{rest}-{tag}")
}

pub fn drafts_prefix(id: &Id) -> String {
    format!("draft/{id}/")
}

/// A draft key; `target` and `nonce` are model ids, so they hold no `/`.
pub fn draft(id: &Id, target: &Id, nonce: &Id) -> String {
    format!("draft/{id}/{target}/{nonce}")
}

/// A cached view of a screen; `name` is a fixed word like `logbook`.
pub fn view_prefix(id: &Id) -> String {
    format!("view/{id}/")
}

pub fn view(id: &Id, name: &str) -> String {
    format!("view/{id}/{name}")
}
