//! One module per screen. Pages select what they show and hand components
//! signals and callbacks.

pub mod dossier_list;
pub mod not_found;
