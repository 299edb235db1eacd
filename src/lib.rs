//! Driehoek: one shared dossier per child for parents, child and teacher.
//!
//! Layers, dependencies pointing down only (see DESIGN.md): the plain-Rust
//! heart (model, sync engine, storage trait, the store's engine) is the
//! crate `driehoek_core`, which knows nothing of the browser; this crate
//! holds what needs one. `storage` adds IndexedDB and preferences; `store`
//! is the reactive shell that owns the open documents; `platform` adapts
//! the browser's service worker, network state and tabs; `components` and
//! `pages` are the UI and never see a document.

pub mod app;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod platform;
pub mod storage;
pub mod store;

/// Mounts the app on the page's `<body>`.
pub fn mount() {
    platform::perf::start("driehoek-app");
    console_error_panic_hook_lite();
    leptos::mount::mount_to_body(app::App);
}

/// A panic in the wasm otherwise shows only "unreachable" in the console.
fn console_error_panic_hook_lite() {
    std::panic::set_hook(Box::new(|info| {
        leptos::logging::error!("driehoek panicked: {info}");
    }));
}
