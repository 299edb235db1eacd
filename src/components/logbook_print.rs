//! Printing the logbook of a chosen period (the browser's print to PDF):
//! every entry of the period in full, oldest first, headed with the child
//! and the date. The windowed timeline holds only the rows in view, so the
//! printed list is its own, made when printing and gone afterwards.

use leptos::prelude::*;

use crate::i18n::messages::{kind_picture, kind_text};
use crate::i18n::{Lang, LogbookWords, Phrase, Text, Words, format_date, use_locale};
use crate::platform::clock::today;
use driehoek_core::model::read::{LogbookEntry, Members};
use driehoek_core::model::{Date, EntryKind};

/// One printed entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintRow {
    pub date: Date,
    pub kind: EntryKind,
    pub author: String,
    pub by_child: bool,
    pub body: String,
    pub tags: Vec<String>,
    pub comments: usize,
}

/// The entries dated `from` to `to` (both included), oldest first.
pub fn print_rows(
    entries: &[LogbookEntry],
    members: &Members,
    from: Date,
    to: Date,
) -> Vec<PrintRow> {
    let mut rows: Vec<(i64, PrintRow)> = entries
        .iter()
        .filter(|e| e.date >= from && e.date <= to)
        .map(|e| {
            (
                e.created_at,
                PrintRow {
                    date: e.date,
                    kind: e.kind.clone(),
                    author: members
                        .get(&e.author)
                        .map(|m| m.name.clone())
                        .unwrap_or_default(),
                    by_child: e.by_child,
                    body: e.body.clone(),
                    tags: e.tags.clone(),
                    comments: e.comments.len(),
                },
            )
        })
        .collect();
    rows.sort_by_key(|(created, r)| (r.date, *created));
    rows.into_iter().map(|(_, r)| r).collect()
}

/// The first day of the month `months` before `day`'s month: the period
/// a print starts with unless someone picks another.
pub fn months_back(day: Date, months: u8) -> Date {
    let total = i32::from(day.year()) * 12 + i32::from(day.month()) - 1 - i32::from(months);
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    Date::new(
        u16::try_from(year).unwrap_or(day.year()),
        u8::try_from(month).unwrap_or(1),
        1,
    )
    .unwrap_or(day)
}

/// Choose a period and print it.
#[component]
pub fn LogbookPrint(
    child_name: Signal<String>,
    /// The rows of a period, read when printing.
    rows_for: Callback<(Date, Date), Vec<PrintRow>>,
) -> impl IntoView {
    let locale = use_locale();
    let now = today();
    let from = RwSignal::new(
        now.map(|d| months_back(d, 2).to_string())
            .unwrap_or_default(),
    );
    let to = RwSignal::new(now.map(|d| d.to_string()).unwrap_or_default());
    let error = RwSignal::new(None::<&'static str>);
    let printing = RwSignal::new(None::<(Date, Date, Vec<PrintRow>)>);
    let after_print = window_event_listener(leptos::ev::afterprint, move |_| printing.set(None));
    on_cleanup(move || after_print.remove());
    let print = move |_| {
        let (Ok(a), Ok(b)) = (
            Date::parse(from.get_untracked().trim()),
            Date::parse(to.get_untracked().trim()),
        ) else {
            error.set(Some(
                LogbookWords::PrintBadPeriod.text(locale.lang().get_untracked()),
            ));
            return;
        };
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        error.set(None);
        printing.set(Some((a, b, rows_for.run((a, b)))));
        // Print once the list is on the page.
        request_animation_frame(move || {
            if let Some(w) = web_sys::window() {
                let _ = w.print();
            }
        });
    };
    view! {
        <details class="card logbook-print-choice no-print" data-testid="logbook-print-choice">
            <summary>{locale.t(LogbookWords::PrintTitle)}</summary>
            <p class="hint">{locale.t(LogbookWords::PrintHint)}</p>
            <div class="period">
                <label>
                    <span>{locale.t(LogbookWords::PrintFrom)}</span>
                    <input
                        type="date"
                        data-testid="print-from"
                        prop:value=from
                        on:input=move |ev| from.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    <span>{locale.t(LogbookWords::PrintTo)}</span>
                    <input
                        type="date"
                        data-testid="print-to"
                        prop:value=to
                        on:input=move |ev| to.set(event_target_value(&ev))
                    />
                </label>
                <button type="button" class="button" data-testid="print-logbook" on:click=print>
                    {locale.t(Words::Print)}
                </button>
            </div>
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
        </details>
        {move || {
            printing.get().map(|(a, b, rows)| {
                let lang = locale.lang().get_untracked();
                view! { <PrintedLogbook child=child_name.get_untracked() from=a to=b rows=rows lang=lang /> }
            })
        }}
    }
}

#[component]
fn PrintedLogbook(
    child: String,
    from: Date,
    to: Date,
    rows: Vec<PrintRow>,
    lang: Lang,
) -> impl IntoView {
    let printed_on = today()
        .map(|d| {
            Words::PrintedOn
                .text(lang)
                .replace("{date}", &format_date(d, lang))
        })
        .unwrap_or_default();
    let period = LogbookWords::PrintPeriod
        .text(lang)
        .replace("{from}", &format_date(from, lang))
        .replace("{to}", &format_date(to, lang));
    let empty = rows.is_empty();
    view! {
        <section class="logbook-print" data-testid="logbook-print">
            <div class="print-head">
                <p>
                    <strong>{child}</strong>
                    " · "
                    {Text::Logbook.get(lang)}
                    " · "
                    {period}
                </p>
                <p>{printed_on}</p>
            </div>
            {empty.then(|| view! { <p>{LogbookWords::PrintNothing.text(lang)}</p> })}
            <ol class="printed-entries">
                {rows
                    .into_iter()
                    .map(|r| {
                        let who = if r.by_child {
                            format!("{} · {}", r.author, Text::WrittenByChild.get(lang))
                        } else {
                            r.author.clone()
                        };
                        let tags = (!r.tags.is_empty()).then(|| {
                            format!("{}: {}", LogbookWords::TagsTitle.text(lang), r.tags.join(", "))
                        });
                        let comments = (r.comments > 0).then(|| {
                            LogbookWords::PrintComments.text(lang).replace("{n}", &r.comments.to_string())
                        });
                        view! {
                            <li class="printed-entry" class:positive=r.kind == EntryKind::PositiveNote>
                                <p class="printed-line">
                                    <span aria-hidden="true">{kind_picture(&r.kind)}</span>
                                    " "
                                    <strong>{kind_text(&r.kind, lang)}</strong>
                                    " · "
                                    {format_date(r.date, lang)}
                                    " · "
                                    {who}
                                </p>
                                <p class="entry-body">{r.body}</p>
                                {tags.map(|t| view! { <p class="hint">{t}</p> })}
                                {comments.map(|c| view! { <p class="hint">{c}</p> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    #[test]
    fn a_print_starts_at_the_first_of_the_month_two_months_back() {
        assert_eq!(months_back(day("2026-12-04"), 2), day("2026-10-01"));
        assert_eq!(months_back(day("2027-01-31"), 2), day("2026-11-01"));
        assert_eq!(months_back(day("2027-02-28"), 0), day("2027-02-01"));
    }
}
