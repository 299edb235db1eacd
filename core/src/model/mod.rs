//! The schema of one child's dossier and the commands that change it.
//!
//! Plain Rust over automerge and autosurgeon: nothing here knows about the
//! browser, so all of it is tested natively.
//!
//! How the layers above use it:
//!
//! - A dossier is born once, with [`commands::create_dossier`], which creates
//!   every container in the document's first change. A device that joins
//!   never creates a document of its own: it loads the creator's bytes.
//! - The store owns the `AutoCommit` and calls the functions in [`commands`]
//!   with a [`Ctx`] (who acts, and when). Each command validates its input,
//!   writes only the exact paths it changes and commits once, with
//!   `{person, command}` as the commit message ([`history`](mod@history)).
//! - The UI reads through the narrow functions in [`read`], each of which
//!   hydrates only its own section; [`section_of_patch`] tells the store
//!   which section a patch touched.
//! - Bytes leave and enter only through [`frame`], which refuses empty,
//!   foreign, truncated or damaged input before Automerge sees it.

pub mod agreement_log;
pub mod commands;
pub mod error;
pub mod frame;
pub mod history;
pub mod measurement;
pub mod read;
pub mod schema;
pub mod signing;
pub mod text_field;
pub mod types;

pub use error::ModelError;
pub use frame::{OpenedDossier, apply_changes, load_dossier, save_changes_after, save_dossier};
pub use history::{Attribution, HistoryItem, history};
pub use schema::{
    Access, OwnChanges, SCHEMA_VERSION, Section, Touched, access, schema_version, section_of_patch,
    section_of_path, sections_changed_since, touched_by_others_since, touched_since,
};
pub use types::*;

/// The longest text (in Unicode scalar values) any command accepts for one field.
pub const MAX_TEXT_CHARS: usize = 20_000;
