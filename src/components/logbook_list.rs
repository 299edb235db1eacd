//! The logbook timeline, newest first, windowed: only the rows in view
//! (plus a few) are in the DOM, so 2,000 entries scroll as smoothly as 20.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, closure::Closure, prelude::wasm_bindgen};

use crate::i18n::messages::{kind_picture, kind_text};
use crate::i18n::{Lang, LogbookWords, Text, format_date, use_locale};
use driehoek_core::model::read::{LogbookEntry, Members};
use driehoek_core::model::{EntryKind, Id, PersonId};
use serde::{Deserialize, Serialize};

/// Every row has the same height, which is what makes windowing simple:
/// the line of facts stays one line and the preview is clamped to two
/// lines. This is the least height of a row's slot; a hidden sample row
/// is measured, so larger text or zoom makes every slot taller.
const ROW_HEIGHT: f64 = 104.0;
/// The least slot height in child mode, with its larger type.
const TALL_ROW_HEIGHT: f64 = 136.0;
/// The space between two rows (their margins).
const ROW_GAP: f64 = 8.0;
/// Rows rendered above and below the visible ones, so fast flicks do not
/// show blank space.
const OVERSCAN: usize = 6;
const PREVIEW_CHARS: usize = 180;
/// The hidden sample row's preview: long enough for two lines at any width.
const PROBE_PREVIEW: &str = "Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg \
    Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg \
    Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg Wg";

/// What one row shows; serialisable, so the first rows can be cached for
/// the next first paint.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EntryRow {
    pub id: String,
    pub date: String,
    /// As stored (`discovery`, ...), see [`EntryKind::parse`].
    pub kind: String,
    /// The author's person id (filters); empty in views cached before it
    /// was kept.
    #[serde(default)]
    pub author: String,
    pub author_name: String,
    pub by_child: bool,
    /// Written by the person using this device.
    pub mine: bool,
    pub preview: String,
    pub comments: usize,
    pub conflicted: bool,
    #[serde(default)]
    pub tags: Vec<String>,
}

impl EntryRow {
    pub fn of(entry: &LogbookEntry, members: &Members, me: Option<&PersonId>) -> Self {
        let mut preview: String = entry.body.chars().take(PREVIEW_CHARS).collect();
        if entry.body.chars().nth(PREVIEW_CHARS).is_some() {
            preview.push('…');
        }
        EntryRow {
            id: entry.id.to_string(),
            date: entry.date.to_string(),
            kind: entry.kind.as_str().to_string(),
            author: entry.author.to_string(),
            author_name: members
                .get(&entry.author)
                .map(|m| m.name.clone())
                .unwrap_or_default(),
            by_child: entry.by_child,
            mine: me == Some(&entry.author),
            preview,
            comments: entry.comments.len(),
            conflicted: !entry.conflicts.is_empty(),
            tags: entry.tags.clone(),
        }
    }
}

/// A stored `YYYY-MM-DD` date in the language's words; as stored if it
/// does not parse.
pub fn shown_date(date: &str, lang: Lang) -> String {
    driehoek_core::model::Date::parse(date)
        .map(|d| format_date(d, lang))
        .unwrap_or_else(|_| date.to_string())
}

#[wasm_bindgen]
extern "C" {
    /// The browser's `ResizeObserver`, bound here because the web-sys
    /// feature for it is not enabled.
    type ResizeObserver;
    #[wasm_bindgen(constructor, catch)]
    fn new(callback: &js_sys::Function) -> Result<ResizeObserver, wasm_bindgen::JsValue>;
    #[wasm_bindgen(method)]
    fn observe(this: &ResizeObserver, target: &web_sys::Element);
    #[wasm_bindgen(method)]
    fn disconnect(this: &ResizeObserver);
}

/// Marks the first paint of a filled list for the browser benchmark
/// (`performance.mark`), once per page load.
fn mark_first_paint() {
    thread_local! {
        static DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if DONE.with(|d| d.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let mark = Closure::once_into_js(move || {
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark("logbook-painted");
        }
    });
    let _ = window.request_animation_frame(mark.unchecked_ref());
}

#[component]
pub fn LogbookList(
    rows: Signal<Vec<EntryRow>>,
    dossier: Id,
    /// Child mode: taller rows, larger type, the child's entries marked
    /// "written by me".
    #[prop(into, optional)]
    child_mode: Signal<bool>,
    /// Shown instead of the list when `rows` is empty but the logbook is
    /// not (a filter hides everything).
    #[prop(optional)]
    filtered_out: Option<Signal<bool>>,
) -> impl IntoView {
    let locale = use_locale();
    // What the hidden sample row needs, with its margins; none until it
    // has been measured.
    let measured = RwSignal::new(None::<f64>);
    let row_height = move || {
        let least = if child_mode.get() {
            TALL_ROW_HEIGHT
        } else {
            ROW_HEIGHT
        };
        measured.get().map_or(least, |m| m.max(least))
    };
    let slot = Memo::new(move |_| row_height());
    let dossier = StoredValue::new(dossier);
    let scroll_top = RwSignal::new(0.0_f64);
    let viewport = RwSignal::new(720.0_f64);
    let node = NodeRef::<leptos::html::Div>::new();
    let probe = NodeRef::<leptos::html::Span>::new();
    // The list box's height and the sample row's are measured again
    // whenever either changes size: a narrower window, zoom, larger text,
    // child mode's type, a late font.
    let measure = move || {
        if let Some(el) = node.get_untracked() {
            let h = f64::from(el.client_height());
            if h > 0.0 {
                viewport.set(h);
            }
        }
        if let Some(el) = probe.get_untracked() {
            let h = f64::from(el.offset_height());
            if h > 0.0 {
                let need = h.ceil() + ROW_GAP;
                if measured.get_untracked() != Some(need) {
                    measured.set(Some(need));
                }
            }
        }
    };
    let observer = StoredValue::new_local(None::<(ResizeObserver, Closure<dyn FnMut()>)>);
    Effect::new(move || {
        let (Some(list), Some(sample)) = (node.get(), probe.get()) else {
            return;
        };
        measure();
        observer.update_value(|o| {
            if o.is_none() {
                let callback = Closure::<dyn FnMut()>::new(measure);
                *o = ResizeObserver::new(callback.as_ref().unchecked_ref())
                    .ok()
                    .map(|r| (r, callback));
            }
            if let Some((r, _)) = o {
                r.disconnect();
                r.observe(&list);
                r.observe(&sample);
            }
        });
    });
    on_cleanup(move || {
        observer.try_update_value(|o| {
            if let Some((r, _)) = o.take() {
                r.disconnect();
            }
        });
    });
    // A new list box (after "nothing matches") starts at the top, and a
    // shorter list may have moved the scroll position without a scroll
    // event: the window follows where the box really is.
    Effect::new(move || {
        rows.track();
        if let Some(el) = node.get() {
            scroll_top.set(f64::from(el.scroll_top()));
        }
    });
    Effect::new(move || {
        if rows.with(|r| !r.is_empty()) {
            mark_first_paint();
        }
    });
    let window = Memo::new(move |_| {
        let n = rows.with(Vec::len);
        let h = slot.get();
        let first = ((scroll_top.get() / h) as usize)
            .saturating_sub(OVERSCAN)
            .min(n);
        let count = (viewport.get() / h).ceil() as usize + 2 * OVERSCAN;
        (first, (first + count).min(n))
    });
    let visible = move || {
        let (a, b) = window.get();
        rows.with(|r| {
            r[a..b]
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, row)| (a + i, row))
                .collect::<Vec<_>>()
        })
    };
    let on_scroll = move |ev: leptos::ev::Event| {
        if let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        {
            scroll_top.set(f64::from(el.scroll_top()));
        }
    };
    view! {
        <Show
            when=move || rows.with(|r| !r.is_empty())
            fallback=move || {
                if filtered_out.is_some_and(|f| f.get()) {
                    view! { <p class="empty-logbook" data-testid="filtered-out">{locale.t(LogbookWords::NothingMatches)}</p> }.into_any()
                } else {
                    view! { <p class="empty-logbook" data-testid="empty-logbook">{locale.t(Text::EmptyLogbook)}</p> }.into_any()
                }
            }
        >
            <div class="timeline" class:child=move || child_mode.get() node_ref=node on:scroll=on_scroll data-testid="logbook-list">
                // A row as tall as any row can be (a full line of facts,
                // two lines of preview), never seen: its height sets the
                // slots.
                <span class="entry-row entry-probe" aria-hidden="true" node_ref=probe>
                    <span class="entry-picture">"📝"</span>
                    <span class="entry-main">
                        <span class="entry-line">
                            <span class="entry-kind">"Wg"</span>
                            <span class="entry-date">"Wg"</span>
                            <span class="entry-by-child">"Wg"</span>
                            <span class="badge warn">"Wg"</span>
                            <span class="entry-comments">"💬 1"</span>
                        </span>
                        <span class="entry-preview">{PROBE_PREVIEW}</span>
                    </span>
                </span>
                <div
                    class="timeline-inner"
                    role="list"
                    style:height=move || format!("{}px", rows.with(Vec::len) as f64 * slot.get())
                >
                    <For each=visible key=move |(i, row)| (*i, row.clone(), child_mode.get()) let:item>
                        <EntryRowView
                            index=item.0
                            row=item.1
                            dossier=dossier.get_value()
                            height=slot
                            child_mode=child_mode.get_untracked()
                        />
                    </For>
                </div>
            </div>
        </Show>
    }
}

#[component]
fn EntryRowView(
    index: usize,
    row: EntryRow,
    dossier: Id,
    /// The slot height (the row and the gap below it).
    height: Memo<f64>,
    child_mode: bool,
) -> impl IntoView {
    let locale = use_locale();
    let href = format!("/d/{dossier}/entry/{}", row.id);
    let kind = EntryKind::parse(&row.kind);
    let picture = kind_picture(&kind);
    let positive = kind == EntryKind::PositiveNote;
    // In child mode the child reads the entries written by a child on
    // this dossier as their own.
    let mine = row.mine || child_mode;
    let by_child = row.by_child;
    let conflicted = row.conflicted;
    let comments = row.comments;
    view! {
        <a
            class="entry-row"
            class:positive=positive
            role="listitem"
            href=href
            style:top=move || format!("{}px", index as f64 * height.get())
            style:height=move || format!("{}px", height.get() - ROW_GAP)
            data-testid="entry-row"
        >
            <span class="entry-picture" aria-hidden="true">{picture}</span>
            <span class="entry-main">
                <span class="entry-line">
                    <span class="entry-kind">{move || kind_text(&kind, locale.lang().get())}</span>
                    <span class="entry-date">{move || shown_date(&row.date, locale.lang().get())}</span>
                    <span class="entry-author">{row.author_name.clone()}</span>
                    // Its own part of the line, so a long name never hides it.
                    <Show when=move || by_child>
                        <span class="entry-by-child">
                            {move || {
                                if mine { locale.t(Text::WrittenByMe)() } else { locale.t(Text::WrittenByChild)() }
                            }}
                        </span>
                    </Show>
                    <Show when=move || conflicted>
                        <span class="badge warn">{locale.t(Text::TwoVersions)}</span>
                    </Show>
                    <Show when=move || { comments > 0 }>
                        <span class="entry-comments">"💬 " {comments}</span>
                    </Show>
                </span>
                <span class="entry-preview">{row.preview.clone()}</span>
            </span>
        </a>
    }
}
