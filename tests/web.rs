//! The app mounted in a real browser (headless Chromium).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on purpose

use std::time::Duration;

use driehoek::app::App;
use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the app at `path` into a fresh element and returns that element.
fn mount_app_at(path: &str) -> HtmlElement {
    let window = web_sys::window().expect("window");
    window
        .history()
        .expect("history")
        .replace_state_with_url(&JsValue::NULL, "", Some(path))
        .expect("route");
    let document = window.document().expect("document");
    let host: HtmlElement = document
        .create_element("div")
        .expect("div")
        .unchecked_into();
    document
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    leptos::mount::mount_to(host.clone(), App).forget();
    host
}

fn mount_app() -> HtmlElement {
    mount_app_at("/")
}

/// Lets effects and the microtask queue run.
async fn settle() {
    sleep(Duration::from_millis(20)).await;
}

async fn sleep(duration: Duration) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().expect("window");
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            &resolve,
            i32::try_from(duration.as_millis()).unwrap_or(i32::MAX),
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits until `selector` is rendered in `host`; storage opens
/// asynchronously, so the dossier list appears a few frames after mount.
async fn rendered(host: &HtmlElement, selector: &str) {
    for _ in 0..250 {
        if host.query_selector(selector).ok().flatten().is_some() {
            return;
        }
        sleep(Duration::from_millis(20)).await;
    }
    panic!("{selector} was not rendered within 5 s");
}

fn text_of(host: &HtmlElement, selector: &str) -> String {
    host.query_selector(selector)
        .expect("selector")
        .unwrap_or_else(|| panic!("{selector} is rendered"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn mounting_the_app_renders_the_header_and_the_empty_dossier_list() {
    LocalStorage::clear();
    let host = mount_app();
    rendered(&host, "[data-testid=empty-dossiers]").await;

    assert!(text_of(&host, ".app-header").contains("Driehoek"));
    assert!(
        host.query_selector("[data-testid=online-status]")
            .expect("selector")
            .is_some()
    );
    let list = host
        .query_selector("[data-testid=dossier-list]")
        .expect("selector")
        .expect("the dossier list is rendered");
    assert_eq!(list.child_element_count(), 0, "no sample dossiers");
    assert!(text_of(&host, "[data-testid=empty-dossiers]").contains("nog geen dossiers"));
    host.remove();
}

#[wasm_bindgen_test]
async fn choosing_english_changes_the_texts_and_is_remembered() {
    LocalStorage::clear();
    let host = mount_app();
    rendered(&host, "[data-testid=empty-dossiers]").await;
    let english: HtmlElement = host
        .query_selector(".language-switch [data-lang=en]")
        .expect("selector")
        .expect("the English button")
        .unchecked_into();
    english.click();
    settle().await;

    assert!(text_of(&host, "[data-testid=empty-dossiers]").contains("no dossiers on this device"));
    assert_eq!(
        english.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .expect("html element");
    assert_eq!(root.get_attribute("lang").as_deref(), Some("en"));
    assert_eq!(driehoek::i18n::Lang::remembered(), driehoek::i18n::Lang::En);
    host.remove();

    // A second mount (a reload) starts in the remembered language.
    let again = mount_app();
    rendered(&again, "[data-testid=empty-dossiers]").await;
    assert!(text_of(&again, "[data-testid=empty-dossiers]").contains("no dossiers on this device"));
    again.remove();
    LocalStorage::clear();
}

#[wasm_bindgen_test]
async fn an_unknown_route_shows_the_apps_own_not_found_page() {
    LocalStorage::clear();
    let other = mount_app_at("/no/such/page");
    settle().await;
    assert!(text_of(&other, "[data-testid=not-found]").contains("bestaat niet"));
    other.remove();
}
