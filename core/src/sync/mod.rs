//! Sync between the devices of a dossier through the relay, end-to-end
//! encrypted (DESIGN.md, layer 4).
//!
//! [`engine`] is sans IO: relay messages and the document go in, messages
//! to send and state to store come out; it runs natively in tests against
//! a simulated relay. [`connection`] is the device's one connection to the
//! relay, also without IO: frame routing, reconnect backoff, the overview. [`device`] keeps this device's signing key, [`record`]
//! what a device stores per synced dossier.

pub mod connection;
pub mod device;
pub mod engine;
pub mod file;
pub mod moving;
pub mod record;
pub mod refound;
pub mod signing;

pub use connection::{Connection, FrameAction, SyncOverview, SyncTrouble};
pub use engine::{
    DossierSync, Refounding, Step, SyncCounters, SyncProblem, SyncState, SyncStatus, device_prefix,
};
pub use record::SyncRecord;
