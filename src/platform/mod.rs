//! Thin adapters to what the browser offers the app as a whole: the service
//! worker, the network state, the clock, durable storage and other tabs.

pub mod clock;
pub mod files;
pub mod invite;
pub mod online;
pub mod perf;
pub mod persistence;
pub mod pwa;
pub mod share;
pub mod socket;
pub mod tabs;
