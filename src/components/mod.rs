//! Small building blocks of the UI. They take signals and callbacks and never
//! see a document.

pub mod app_footer;
pub mod app_header;
pub mod update_banner;
