//! Small building blocks of the UI. They take signals and callbacks and never
//! see a document.

pub mod app_footer;
pub mod app_header;
pub mod dossier_files;
pub mod dossier_nav;
pub mod entry_form;
pub mod form_error;
pub mod invite_qr;
pub mod logbook_filter;
pub mod logbook_list;
pub mod logbook_print;
pub mod news;
pub mod shared_text;
pub mod storage_banner;
pub mod sync_banner;
pub mod update_banner;
