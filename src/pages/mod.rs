//! One module per screen. Pages select what they show and hand components
//! signals and callbacks.

pub mod dossier;
pub mod dossier_list;
pub mod entry;
pub mod messages;
pub mod not_found;
pub mod settings;
