//! Thin adapters to what the browser offers the app as a whole: the service
//! worker and the network state. Each hands the UI plain signals.

pub mod online;
pub mod pwa;
