//! Where the app keeps what it knows between visits.
//!
//! Small preferences live in localStorage; dossiers will live in IndexedDB.

pub mod prefs;
