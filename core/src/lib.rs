//! The plain-Rust heart of Driehoek: everything that decides what a dossier
//! holds, what is stored and what is sent, without a browser.
//!
//! Layers, dependencies pointing down only (DESIGN.md): [`model`] is the
//! dossier as an Automerge document; [`storage`] is what a device remembers,
//! as a trait with an in-memory twin; [`sync`] is the sans-IO sync engine;
//! [`store`] keeps one dossier's snapshot, chunks, drafts and metadata over
//! any storage. This crate depends on no leptos, web-sys, js-sys or gloo, so
//! the compiler keeps the browser out; the app crate runs what it decides.

pub mod model;
pub mod storage;
pub mod store;
pub mod sync;
