//! One module per screen. Pages select what they show and hand components
//! signals and callbacks.

pub mod agreement;
pub mod conversations;
pub mod dossier;
pub mod dossier_list;
pub mod entry;
pub mod expectations;
pub mod home;
pub mod measurement;
pub mod moving;
pub mod not_found;
pub mod people;
pub mod route;
pub mod section;
pub mod settings;
pub mod together;
