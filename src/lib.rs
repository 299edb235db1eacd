//! Driehoek: one shared dossier per child for parents, child and teacher.
//!
//! Layers, dependencies pointing down only (see DESIGN.md): `model` is plain
//! Rust over Automerge and knows nothing of the browser; `storage` keeps what
//! the device remembers; `platform` adapts the browser's service worker and
//! network state; `components` and `pages` are the UI and never see a
//! document.

pub mod app;
pub mod components;
pub mod i18n;
pub mod model;
pub mod pages;
pub mod platform;
pub mod storage;
pub mod store;
pub mod sync;

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
