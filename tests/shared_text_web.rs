//! The shared text area in a real browser: what it commits, and what it
//! does when someone else's words arrive with and without typing pending.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on purpose

use automerge::ChangeHash;
use driehoek::components::shared_text::{FieldCommit, Selection, SharedText, SharedTextArea};
use driehoek::store::{DossierStore, StoreConfig};
use driehoek_core::model::Id;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().expect("window");
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn heads(n: u8) -> Vec<ChangeHash> {
    vec![ChangeHash([n; 32])]
}

struct Field {
    area: HtmlTextAreaElement,
    source: RwSignal<SharedText>,
    /// Each commit: the base, the typed value and the selection.
    commits: RwSignal<Vec<(String, String, Selection)>>,
}

/// Mounts one field over `text`. Its "document" takes a commit by
/// becoming the typed value (at new heads); a caret is moved over others'
/// words by `shift` units. Each test names its own dossier, so drafts
/// one test leaves are not restored into another.
fn mount(dossier: &'static str, text: &str, shift: usize) -> Field {
    let document = web_sys::window()
        .expect("window")
        .document()
        .expect("document");
    let host: HtmlElement = document
        .create_element("div")
        .expect("div")
        .unchecked_into();
    document
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    let source = RwSignal::new(SharedText {
        text: text.to_string(),
        heads: heads(1),
    });
    let commits = RwSignal::new(Vec::new());
    leptos::mount::mount_to(host.clone(), move || {
        provide_context(DossierStore::start(StoreConfig {
            device_prefix: vec![7; 8],
            encoding: automerge::TextEncoding::Utf16CodeUnit,
        }));
        let on_commit = Callback::new(move |c: FieldCommit| {
            commits.update(|all| all.push((c.base.clone(), c.value.clone(), c.selection)));
            let n = commits.with_untracked(Vec::len) as u8 + 10;
            source.set(SharedText {
                text: c.value.clone(),
                heads: heads(n),
            });
            Ok(c.selection)
        });
        let on_move_caret =
            Callback::new(move |(_, (s, e)): (Vec<ChangeHash>, Selection)| (s + shift, e + shift));
        view! {
            <SharedTextArea
                dossier=Id::new(dossier).expect("id")
                field="goals".to_string()
                test_id="goals".to_string()
                label=Signal::derive(|| "Doelen")
                hint=Signal::derive(|| "")
                source=source.into()
                on_commit=on_commit
                on_move_caret=on_move_caret
                disabled=Signal::derive(|| false)
            />
        }
    })
    .forget();
    let area = host
        .query_selector("textarea")
        .expect("query")
        .expect("a textarea")
        .unchecked_into();
    Field {
        area,
        source,
        commits,
    }
}

fn type_text(area: &HtmlTextAreaElement, value: &str, caret: u32) {
    area.focus().expect("focus");
    area.set_value(value);
    area.set_selection_range(caret, caret).expect("caret");
    let event = web_sys::Event::new("input").expect("event");
    area.dispatch_event(&event).expect("dispatch");
}

#[wasm_bindgen_test]
async fn typing_then_leaving_the_field_commits_once_over_the_text_it_was_given() {
    let f = mount("typing-then-leaving", "Lezen.", 0);
    type_text(&f.area, "Lezen en rekenen.", 17);
    f.area.blur().expect("blur");
    sleep(20).await;
    let commits = f.commits.get_untracked();
    assert_eq!(
        commits,
        vec![(
            "Lezen.".to_string(),
            "Lezen en rekenen.".to_string(),
            (17, 17)
        )]
    );
    // Leaving again with nothing new typed commits nothing.
    f.area.focus().expect("focus");
    f.area.blur().expect("blur");
    sleep(20).await;
    assert_eq!(f.commits.get_untracked().len(), 1);
}

#[wasm_bindgen_test]
async fn others_words_arriving_while_nothing_is_typed_show_and_move_the_caret() {
    let f = mount("others-while-idle", "abc def", 3);
    // The field settles (its first effects run) as a page does before
    // anyone can type.
    sleep(20).await;
    f.area.focus().expect("focus");
    f.area.set_selection_range(4, 4).expect("caret");
    f.source.set(SharedText {
        text: "XY abc def".into(),
        heads: heads(2),
    });
    sleep(20).await;
    assert_eq!(f.area.value(), "XY abc def");
    assert_eq!(f.area.selection_start().expect("start"), Some(7));
    assert!(
        f.commits.get_untracked().is_empty(),
        "nothing typed, nothing committed"
    );
}

#[wasm_bindgen_test]
async fn others_words_arriving_while_typing_commit_the_typing_first_and_keep_it() {
    let f = mount("others-while-typing", "Lezen.", 0);
    type_text(&f.area, "Lezen!", 6);
    // Someone else's edit arrives before the idle commit.
    f.source.set(SharedText {
        text: "Veel lezen.".into(),
        heads: heads(3),
    });
    sleep(20).await;
    let commits = f.commits.get_untracked();
    assert_eq!(
        commits.len(),
        1,
        "the typing was committed when the words arrived"
    );
    assert_eq!(commits[0].0, "Lezen.", "over the text it was typed over");
    assert_eq!(commits[0].1, "Lezen!");
}

#[wasm_bindgen_test]
async fn a_composing_keyboard_is_left_alone_until_the_word_is_done() {
    let f = mount("composing", "abc", 0);
    sleep(20).await;
    f.area.focus().expect("focus");
    let start = web_sys::CompositionEvent::new("compositionstart").expect("event");
    f.area.dispatch_event(&start).expect("dispatch");
    f.area.set_value("abcd");
    f.source.set(SharedText {
        text: "Xabc".into(),
        heads: heads(4),
    });
    sleep(20).await;
    assert_eq!(
        f.area.value(),
        "abcd",
        "the field is not touched while composing"
    );
    assert!(f.commits.get_untracked().is_empty());
    let end = web_sys::CompositionEvent::new("compositionend").expect("event");
    f.area.dispatch_event(&end).expect("dispatch");
    sleep(20).await;
    let commits = f.commits.get_untracked();
    assert_eq!(commits.len(), 1, "the composed word is committed when done");
    assert_eq!(commits[0].1, "abcd");
}
