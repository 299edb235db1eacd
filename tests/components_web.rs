//! Components that hold logic, in a real browser with the app's own
//! stylesheet: the windowed logbook (what is in the page, how tall a slot
//! is when the text grows) and the logbook's filter bar.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on purpose

use driehoek::components::logbook_filter::{FilterChoices, LogbookFilter, LogbookFilterBar};
use driehoek::components::logbook_list::{EntryRow, LogbookList};
use driehoek::i18n::{Lang, Locale};
use driehoek_core::model::Id;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// The stylesheet the app ships, so sizes are the real ones.
const STYLE: &str = include_str!("../style/main.css");

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().expect("window");
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn document() -> web_sys::Document {
    web_sys::window()
        .expect("window")
        .document()
        .expect("document")
}

/// A fresh host element with the app's stylesheet in the page once.
fn host() -> HtmlElement {
    let document = document();
    if document.get_element_by_id("app-style").is_none() {
        let style = document.create_element("style").expect("style");
        style.set_id("app-style");
        style.set_text_content(Some(STYLE));
        document
            .head()
            .expect("head")
            .append_child(&style)
            .expect("append style");
    }
    let host: HtmlElement = document
        .create_element("div")
        .expect("div")
        .unchecked_into();
    host.style().set_property("width", "360px").expect("width");
    document
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    host
}

fn rows(n: usize) -> Vec<EntryRow> {
    (0..n)
        .map(|i| EntryRow {
            id: format!("{i:032x}"),
            date: "2026-11-30".into(),
            kind: if i % 2 == 0 { "discovery" } else { "question" }.into(),
            author: "mama".into(),
            author_name: "Mama".into(),
            by_child: i % 3 == 0,
            mine: false,
            preview: format!(
                "Entry {i}: we looked at the stars and asked why some of them seem to blink"
            ),
            comments: i % 4,
            conflicted: i % 50 == 0,
            tags: Vec::new(),
        })
        .collect()
}

fn all(host: &HtmlElement, selector: &str) -> Vec<HtmlElement> {
    let list = host.query_selector_all(selector).expect("selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .collect()
}

fn one(host: &HtmlElement, selector: &str) -> HtmlElement {
    host.query_selector(selector)
        .expect("selector")
        .unwrap_or_else(|| panic!("{selector} is in the page"))
        .unchecked_into()
}

/// Rows whose content does not fit their slot.
fn clipped(host: &HtmlElement) -> Vec<String> {
    all(host, ".timeline-inner .entry-row")
        .into_iter()
        .filter(|row| row.scroll_height() > row.client_height() + 1)
        .map(|row| {
            format!(
                "{:?}: {} > {}",
                row.text_content(),
                row.scroll_height(),
                row.client_height()
            )
        })
        .collect()
}

fn mount_list(host: &HtmlElement, n: usize) {
    let rows = rows(n);
    leptos::mount::mount_to(host.clone(), move || {
        provide_context(Locale::new(Lang::En));
        view! {
            <LogbookList
                rows=Signal::stored(rows)
                dossier=Id::new("components-web").expect("id")
            />
        }
    })
    .forget();
}

#[wasm_bindgen_test]
async fn two_thousand_entries_put_only_a_window_of_rows_in_the_page_and_scrolling_moves_it() {
    let host = host();
    mount_list(&host, 2_000);
    sleep(100).await;
    let shown = all(&host, ".timeline-inner .entry-row");
    assert!(
        !shown.is_empty() && shown.len() < 60,
        "{} rows in the page",
        shown.len()
    );
    assert!(host.text_content().unwrap_or_default().contains("Entry 0:"));

    let list = one(&host, "[data-testid=logbook-list]");
    let inner = one(&host, ".timeline-inner");
    let slot = shown[0].offset_height();
    assert!(
        inner.offset_height() >= 2_000 * slot,
        "the box is as tall as all rows"
    );

    list.set_scroll_top(inner.offset_height());
    sleep(150).await;
    let text = host.text_content().unwrap_or_default();
    assert!(text.contains("Entry 1999:"), "the oldest entry is shown");
    assert!(!text.contains("Entry 0:"), "the newest one left the page");
    assert!(all(&host, ".timeline-inner .entry-row").len() < 60);
}

#[wasm_bindgen_test]
async fn rows_grow_with_the_text_so_nothing_is_clipped_at_double_size() {
    let host = host();
    mount_list(&host, 300);
    sleep(100).await;
    let before = one(&host, ".timeline-inner .entry-row").offset_height();
    assert!(before > 0);
    assert_eq!(clipped(&host), Vec::<String>::new(), "at normal size");

    // The person's browser makes all text twice as big.
    let root: HtmlElement = document()
        .document_element()
        .expect("root")
        .unchecked_into();
    root.style()
        .set_property("font-size", "200%")
        .expect("font size");
    sleep(200).await;
    let after = one(&host, ".timeline-inner .entry-row").offset_height();
    let problems = clipped(&host);
    root.style()
        .remove_property("font-size")
        .expect("font size back");
    assert!(after > before, "the slot grew: {before} px -> {after} px");
    assert_eq!(problems, Vec::<String>::new(), "at double size");
}

#[wasm_bindgen_test]
async fn the_filter_bar_narrows_by_kind_says_how_many_and_shows_everything_again() {
    let host = host();
    let filter = RwSignal::new(LogbookFilter::default());
    let all_rows = rows(10);
    let choices = FilterChoices::of(&all_rows);
    let shown = Signal::derive(move || filter.with(|f| f.apply(&all_rows).len()));
    leptos::mount::mount_to(host.clone(), move || {
        provide_context(Locale::new(Lang::Nl));
        view! {
            <LogbookFilterBar
                filter=filter
                choices=Signal::stored(choices)
                shown=shown
                total=Signal::stored(10)
            />
        }
    })
    .forget();
    sleep(50).await;
    assert!(
        host.query_selector("[data-testid=filter-shown]")
            .expect("q")
            .is_none()
    );

    let kind: HtmlSelectElement = one(&host, "[data-testid=filter-kind]").unchecked_into();
    kind.set_value("question");
    let change = web_sys::Event::new("change").expect("event");
    kind.dispatch_event(&change).expect("dispatch");
    sleep(50).await;
    assert_eq!(filter.get_untracked().kind.as_deref(), Some("question"));
    let status = one(&host, "[data-testid=filter-shown]");
    assert!(
        status.text_content().unwrap_or_default().contains('5'),
        "{:?}",
        status.text_content()
    );

    let clear: Element = one(&host, "[data-testid=filter-clear]").into();
    clear.unchecked_ref::<HtmlElement>().click();
    sleep(50).await;
    assert!(!filter.get_untracked().is_active());
    assert!(
        host.query_selector("[data-testid=filter-shown]")
            .expect("q")
            .is_none()
    );
}
