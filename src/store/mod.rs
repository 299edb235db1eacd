//! The dossier store of the app: core's persistence engine
//! ([`driehoek_core::store`], re-exported here) and the reactive shell
//! around it ([`DossierStore`]), the one owner of every open document,
//! which runs what the engine decides against IndexedDB, other tabs and the
//! relay, and turns changes into per-section signals.

mod live;

pub use driehoek_core::store::*;
pub use driehoek_core::sync::{SyncOverview, SyncTrouble};
pub use live::{
    DossierListing, DossierStore, LiveDossier, MovingError, Removal, RemovalError, use_store,
};
