//! Narrowing the logbook down: by kind, by who wrote it and by label. The
//! filter works on the rows already read for the timeline, so the windowed
//! list stays as fast with a filter as without.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::i18n::messages::kind_text;
use crate::i18n::{LogbookWords, Phrase, use_locale};
use driehoek_core::model::EntryKind;

use super::logbook_list::EntryRow;

/// The author choice that means "written by the child", on any device.
pub const BY_CHILD: &str = "child";

/// What the logbook is narrowed to; `None` is "all".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogbookFilter {
    /// A kind as stored (`discovery`, ...).
    pub kind: Option<String>,
    /// A person id, or [`BY_CHILD`].
    pub author: Option<String>,
    pub tag: Option<String>,
}

impl LogbookFilter {
    pub fn is_active(&self) -> bool {
        self.kind.is_some() || self.author.is_some() || self.tag.is_some()
    }

    pub fn matches(&self, row: &EntryRow) -> bool {
        let kind = self.kind.as_ref().is_none_or(|k| *k == row.kind);
        let author = self.author.as_ref().is_none_or(|a| {
            if a == BY_CHILD {
                row.by_child
            } else {
                *a == row.author
            }
        });
        let tag = self
            .tag
            .as_ref()
            .is_none_or(|t| row.tags.iter().any(|r| same_label(r, t)));
        kind && author && tag
    }

    /// The rows that match, in their order.
    pub fn apply(&self, rows: &[EntryRow]) -> Vec<EntryRow> {
        if !self.is_active() {
            return rows.to_vec();
        }
        rows.iter().filter(|r| self.matches(r)).cloned().collect()
    }
}

/// What there is to choose from: only what the logbook holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilterChoices {
    /// Kinds in the order the form offers them, then newer ones.
    pub kinds: Vec<String>,
    /// (person id, name), by name.
    pub authors: Vec<(String, String)>,
    pub any_by_child: bool,
    /// Labels by how often they are used, then alphabetically.
    pub tags: Vec<String>,
}

impl FilterChoices {
    pub fn of(rows: &[EntryRow]) -> Self {
        let mut kinds: Vec<String> = EntryKind::known()
            .iter()
            .map(|k| k.as_str().to_string())
            .filter(|k| rows.iter().any(|r| r.kind == *k))
            .collect();
        for r in rows {
            if !kinds.contains(&r.kind) {
                kinds.push(r.kind.clone());
            }
        }
        let mut authors: BTreeMap<String, String> = BTreeMap::new();
        let mut tags: BTreeMap<String, (usize, String)> = BTreeMap::new();
        for r in rows {
            if !r.author.is_empty() {
                authors
                    .entry(r.author.clone())
                    .or_insert_with(|| r.author_name.clone());
            }
            for t in &r.tags {
                tags.entry(t.to_lowercase())
                    .or_insert_with(|| (0, t.clone()))
                    .0 += 1;
            }
        }
        let mut authors: Vec<(String, String)> = authors.into_iter().collect();
        authors.sort_by(|a, b| {
            a.1.to_lowercase()
                .cmp(&b.1.to_lowercase())
                .then(a.0.cmp(&b.0))
        });
        let mut tags: Vec<(usize, String)> = tags.into_values().collect();
        tags.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(a.1.to_lowercase().cmp(&b.1.to_lowercase()))
        });
        FilterChoices {
            kinds,
            authors,
            any_by_child: rows.iter().any(|r| r.by_child),
            tags: tags.into_iter().map(|(_, t)| t).collect(),
        }
    }
}

/// One label whatever its case, in any script ("Één" and "één").
pub fn same_label(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// Labels as typed ("lezen, Rekenen ,lezen") to the entry's labels: split
/// at commas, trimmed, the first spelling of each kept.
pub fn parse_tags(typed: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in typed.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if !out.iter().any(|o| same_label(o, t)) {
            out.push(t.to_string());
        }
    }
    out
}

fn chosen(value: String) -> Option<String> {
    (!value.is_empty()).then_some(value)
}

/// Three choices and a "show everything" button; says how many entries
/// are shown while a filter is on.
#[component]
pub fn LogbookFilterBar(
    filter: RwSignal<LogbookFilter>,
    choices: Signal<FilterChoices>,
    shown: Signal<usize>,
    total: Signal<usize>,
) -> impl IntoView {
    let locale = use_locale();
    let all = locale.t(LogbookWords::FilterAll);
    let value =
        move |f: fn(&LogbookFilter) -> Option<String>| filter.with(|x| f(x).unwrap_or_default());
    view! {
        <form class="logbook-filter" data-testid="logbook-filter" on:submit=|ev| ev.prevent_default()>
            <h3 class="visually-hidden">{locale.t(LogbookWords::FilterTitle)}</h3>
            <label>
                <span>{locale.t(LogbookWords::FilterKind)}</span>
                <select
                    data-testid="filter-kind"
                    prop:value=move || value(|f| f.kind.clone())
                    on:change=move |ev| filter.update(|f| f.kind = chosen(event_target_value(&ev)))
                >
                    <option value="">{all}</option>
                    {move || {
                        let lang = locale.lang().get();
                        let current = value(|f| f.kind.clone());
                        choices
                            .with(|c| c.kinds.clone())
                            .into_iter()
                            .map(|k| {
                                let text = kind_text(&EntryKind::parse(&k), lang);
                                let selected = k == current;
                                view! { <option value=k selected=selected>{text}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            <label>
                <span>{locale.t(LogbookWords::FilterAuthor)}</span>
                <select
                    data-testid="filter-author"
                    prop:value=move || value(|f| f.author.clone())
                    on:change=move |ev| filter.update(|f| f.author = chosen(event_target_value(&ev)))
                >
                    <option value="">{all}</option>
                    {move || {
                        let current = value(|f| f.author.clone());
                        let child = choices.with(|c| c.any_by_child).then(|| {
                            let selected = current == BY_CHILD;
                            view! {
                                <option value=BY_CHILD selected=selected>
                                    {locale.t(LogbookWords::FilterByChild)}
                                </option>
                            }
                        });
                        let people = choices
                            .with(|c| c.authors.clone())
                            .into_iter()
                            .map(|(id, name)| {
                                let selected = id == current;
                                view! { <option value=id selected=selected>{name}</option> }
                            })
                            .collect_view();
                        (child, people)
                    }}
                </select>
            </label>
            <Show when=move || choices.with(|c| !c.tags.is_empty()) || filter.with(|f| f.tag.is_some())>
                <label>
                    <span>{locale.t(LogbookWords::FilterTag)}</span>
                    <select
                        data-testid="filter-tag"
                        prop:value=move || value(|f| f.tag.clone())
                        on:change=move |ev| filter.update(|f| f.tag = chosen(event_target_value(&ev)))
                    >
                        <option value="">{all}</option>
                        {move || {
                            let current = value(|f| f.tag.clone());
                            choices
                                .with(|c| c.tags.clone())
                                .into_iter()
                                .map(|t| {
                                    let selected = same_label(&t, &current);
                                    let text = t.clone();
                                    view! { <option value=t selected=selected>{text}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
            </Show>
            <Show when=move || filter.with(LogbookFilter::is_active)>
                <p class="filter-shown" role="status" data-testid="filter-shown">
                    {move || {
                        LogbookWords::FilterShown
                            .text(locale.lang().get())
                            .replace("{n}", &shown.get().to_string())
                            .replace("{m}", &total.get().to_string())
                    }}
                </p>
                <button
                    type="button"
                    class="button"
                    data-testid="filter-clear"
                    on:click=move |_| filter.set(LogbookFilter::default())
                >
                    {locale.t(LogbookWords::FilterClear)}
                </button>
            </Show>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, kind: &str, author: &str, by_child: bool, tags: &[&str]) -> EntryRow {
        EntryRow {
            id: id.into(),
            date: "2026-11-30".into(),
            kind: kind.into(),
            author: author.into(),
            author_name: format!("naam-{author}"),
            by_child,
            mine: false,
            preview: String::new(),
            comments: 0,
            conflicted: false,
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    fn ids(rows: &[EntryRow]) -> Vec<&str> {
        rows.iter().map(|r| r.id.as_str()).collect()
    }

    #[test]
    fn each_choice_narrows_the_rows_and_together_they_all_must_hold() {
        let rows = vec![
            row("1", "discovery", "eva", true, &["lezen"]),
            row("2", "question", "eva", false, &["Rekenen"]),
            row("3", "discovery", "anna", false, &["rekenen", "lezen"]),
            row("4", "proud_of", "tom", true, &[]),
        ];
        assert_eq!(
            ids(&LogbookFilter::default().apply(&rows)),
            ["1", "2", "3", "4"]
        );
        let kind = LogbookFilter {
            kind: Some("discovery".into()),
            ..Default::default()
        };
        assert_eq!(ids(&kind.apply(&rows)), ["1", "3"]);
        let child = LogbookFilter {
            author: Some(BY_CHILD.into()),
            ..Default::default()
        };
        assert_eq!(ids(&child.apply(&rows)), ["1", "4"]);
        let eva = LogbookFilter {
            author: Some("eva".into()),
            ..Default::default()
        };
        assert_eq!(ids(&eva.apply(&rows)), ["1", "2"]);
        let tag = LogbookFilter {
            tag: Some("rekenen".into()),
            ..Default::default()
        };
        assert_eq!(
            ids(&tag.apply(&rows)),
            ["2", "3"],
            "labels match whatever their case"
        );
        let all_three = LogbookFilter {
            kind: Some("discovery".into()),
            author: Some("anna".into()),
            tag: Some("lezen".into()),
        };
        assert_eq!(ids(&all_three.apply(&rows)), ["3"]);
        let none = LogbookFilter {
            kind: Some("question".into()),
            author: Some("tom".into()),
            tag: None,
        };
        assert!(none.apply(&rows).is_empty());
    }

    #[test]
    fn the_choices_are_what_the_logbook_holds() {
        let rows = vec![
            row("1", "question", "eva", false, &["lezen"]),
            row("2", "discovery", "anna", false, &["Rekenen", "lezen"]),
            row("3", "from_a_newer_app", "eva", false, &["rekenen", "lezen"]),
        ];
        let c = FilterChoices::of(&rows);
        // The form's order (discovery before question), then newer kinds.
        assert_eq!(c.kinds, ["discovery", "question", "from_a_newer_app"]);
        assert_eq!(
            c.authors,
            [
                ("anna".to_string(), "naam-anna".to_string()),
                ("eva".to_string(), "naam-eva".to_string())
            ]
        );
        assert!(!c.any_by_child);
        // The most used first; one spelling per label.
        assert_eq!(c.tags, ["lezen", "Rekenen"]);
    }

    #[test]
    fn typed_labels_are_split_at_commas_trimmed_and_kept_once() {
        assert_eq!(
            parse_tags(" lezen, Rekenen ,lezen,, LEZEN "),
            ["lezen", "Rekenen"]
        );
        assert!(parse_tags(" , ").is_empty());
        assert_eq!(parse_tags("Één, één"), ["Één"]);
        assert!(same_label("Één", "één"));
    }
}
