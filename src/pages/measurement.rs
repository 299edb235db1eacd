//! The partnership measurement: each person answers ten statements (1 to
//! 5) at the start and later; the parties' averages stand side by side,
//! with the change between the two moments.

use leptos::prelude::*;

use crate::components::form_error::FormError;

use crate::components::dossier_nav::DossierTab;
use crate::i18n::{Lang, MeasureWords as W, Phrase, use_locale};
use crate::store::LiveDossier;
use driehoek_core::model::commands::answer_statement;
use driehoek_core::model::measurement::{
    PartyComparison, STATEMENTS, Statement, answers, measurement_comparison,
};
use driehoek_core::model::{Moment, Section};

use super::section::{Acting, ChooseWhoFirst, People, SectionFrame};
use crate::i18n::messages::party_text;

#[component]
pub fn MeasurementPage() -> impl IntoView {
    view! { <SectionFrame tab=DossierTab::Measurement class="measurement-page" body=body /> }
}

fn body(live: LiveDossier) -> AnyView {
    view! { <MeasurementView live=live /> }.into_any()
}

fn statement_text(s: &Statement, lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => s.nl,
        Lang::En => s.en,
    }
}

const SCORES: [(u8, W); 5] = [
    (1, W::Score1),
    (2, W::Score2),
    (3, W::Score3),
    (4, W::Score4),
    (5, W::Score5),
];

/// An average with one decimal, in the language's notation.
fn number(value: Option<f64>, lang: Lang) -> String {
    let Some(v) = value else {
        return "–".into();
    };
    let text = format!("{v:.1}");
    match lang {
        Lang::Nl => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A change with its sign ("+0,5", "−1,0", "0,0").
fn signed(value: Option<f64>, lang: Lang) -> String {
    match value {
        Some(v) if v > 0.04 => format!("+{}", number(Some(v), lang)),
        Some(v) if v < -0.04 => format!("−{}", number(Some(-v), lang)),
        Some(_) => number(Some(0.0), lang),
        None => "–".into(),
    }
}

#[component]
fn MeasurementView(live: LiveDossier) -> impl IntoView {
    let locale = use_locale();
    let people = People::of(live);
    let moment = RwSignal::new(Moment::Baseline);
    let error = RwSignal::new(None::<String>);
    let acting = Acting {
        live,
        people,
        error,
    };
    let can_answer = Signal::derive(move || {
        !live.is_read_only()
            && people
                .me
                .with(|m| m.as_ref().is_some_and(|m| m.role.party().is_some()))
    });
    let all =
        Memo::new(move |_| live.read(Section::Measurement, |d| answers(d).unwrap_or_default()));
    let mine = Memo::new(move |_| {
        let me = people.person.get_value();
        let at = moment.get();
        all.with(|a| {
            a.iter()
                .filter(|x| Some(&x.person) == me.as_ref() && x.moment == at)
                .map(|x| (x.statement.clone(), x.score))
                .collect::<Vec<_>>()
        })
    });
    let comparison = Memo::new(move |_| {
        all.track();
        live.read(Section::Members, |d| {
            measurement_comparison(d).unwrap_or_default()
        })
    });
    let answer = move |statement: &'static str, score: u8| {
        let at = moment.get_untracked();
        acting.run(|live, p| {
            live.change(p, |doc, ctx| {
                answer_statement(doc, ctx, &at, statement, score)
            })
        });
    };
    view! {
        <h2>{locale.t(W::Title)}</h2>
        <p class="intro">{locale.t(W::Intro)}</p>
        <Show when=move || people.me.get().is_none()>
            <ChooseWhoFirst live=live />
        </Show>
        <Show when=move || people.me.get().is_some() && !can_answer.get()>
            <p class="notice" role="status">{locale.t(W::NoParty)}</p>
        </Show>
        <fieldset class="choice moment-choice">
            <legend>{locale.t(W::MomentLabel)}</legend>
            {[(Moment::Baseline, W::Baseline, "baseline"), (Moment::End, W::End, "end")]
                .into_iter()
                .map(|(m, label, test)| {
                    let (m1, m2) = (m.clone(), m);
                    view! {
                        <label class="choice-option">
                            <input
                                type="radio"
                                name="moment"
                                data-moment=test
                                prop:checked=move || moment.get() == m1
                                on:change=move |_| moment.set(m2.clone())
                            />
                            <span>{locale.t(label)}</span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
        <Show when=move || can_answer.get()>
            <section class="card questionnaire" data-testid="questionnaire" aria-labelledby="your-answers">
                <h3 id="your-answers">{locale.t(W::YourAnswers)}</h3>
                <p class="hint" role="status" data-testid="answered">
                    {move || {
                        W::Answered
                            .text(locale.lang().get())
                            .replace("{n}", &mine.with(Vec::len).to_string())
                            .replace("{m}", &STATEMENTS.len().to_string())
                    }}
                </p>
                <ol class="statements">
                    {STATEMENTS
                        .iter()
                        .map(|s| {
                            let id = s.id;
                            let current = move || {
                                mine.with(|m| m.iter().find(|(st, _)| st == id).map(|(_, v)| *v))
                            };
                            view! {
                                <li>
                                    <fieldset class="statement" data-statement=id>
                                        <legend>{move || statement_text(s, locale.lang().get())}</legend>
                                        <div class="scores">
                                            {SCORES
                                                .into_iter()
                                                .map(|(score, label)| {
                                                    view! {
                                                        <label class="score">
                                                            <input
                                                                type="radio"
                                                                name=move || format!("{id}-{}", moment.get().as_str())
                                                                value=score.to_string()
                                                                prop:checked=move || current() == Some(score)
                                                                on:change=move |_| answer(id, score)
                                                            />
                                                            <span class="score-number">{score}</span>
                                                            <span class="score-label">{locale.t(label)}</span>
                                                        </label>
                                                    }
                                                })
                                                .collect_view()}
                                        </div>
                                    </fieldset>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                <FormError error=error />
            </section>
        </Show>
        <section class="card comparison" data-testid="comparison" aria-labelledby="comparison-title">
            <h3 id="comparison-title">{locale.t(W::Comparison)}</h3>
            {move || {
                let lang = locale.lang().get();
                let parties: Vec<PartyComparison> = comparison
                    .get()
                    .into_iter()
                    .filter(|p| p.respondents_baseline + p.respondents_end > 0)
                    .collect();
                if parties.is_empty() {
                    return view! { <p class="hint" data-testid="no-answers">{W::NoAnswersYet.text(lang)}</p> }
                        .into_any();
                }
                view! { <ComparisonTable parties=parties lang=lang /> }.into_any()
            }}
        </section>
    }
}

#[component]
fn ComparisonTable(parties: Vec<PartyComparison>, lang: Lang) -> impl IntoView {
    let head = parties
        .iter()
        .map(|p| {
            view! {
                <th scope="colgroup" colspan="3" data-party=p.party.as_str().to_string()>
                    {party_text(&p.party, lang)}
                    <span class="hint">
                        {W::People
                            .text(lang)
                            .replace("{n}", &p.respondents_baseline.to_string())
                            .replace("{m}", &p.respondents_end.to_string())}
                    </span>
                </th>
            }
        })
        .collect_view();
    let sub = parties
        .iter()
        .map(|_| {
            view! {
                <th scope="col">{W::Baseline.text(lang)}</th>
                <th scope="col">{W::End.text(lang)}</th>
                <th scope="col">{W::Change.text(lang)}</th>
            }
        })
        .collect_view();
    let rows = STATEMENTS
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let cells = parties
                .iter()
                .map(|p| {
                    let c = &p.statements[i];
                    view! {
                        <td>{number(c.baseline, lang)}</td>
                        <td>{number(c.end, lang)}</td>
                        <td class="change">{signed(c.change, lang)}</td>
                    }
                })
                .collect_view();
            view! {
                <tr data-statement=s.id>
                    <th scope="row">{statement_text(s, lang)}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let totals = parties
        .iter()
        .map(|p| {
            view! {
                <td>{number(p.baseline, lang)}</td>
                <td>{number(p.end, lang)}</td>
                <td class="change">{signed(p.change, lang)}</td>
            }
        })
        .collect_view();
    view! {
        <p class="hint">{W::ComparisonIntro.text(lang)}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label=W::Comparison.text(lang)>
            <table class="comparison-table" data-testid="comparison-table">
                <thead>
                    <tr>
                        <th scope="col" rowspan="2">{W::Statement.text(lang)}</th>
                        {head}
                    </tr>
                    <tr>{sub}</tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr data-testid="comparison-total">
                        <th scope="row">{W::Average.text(lang)}</th>
                        {totals}
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_and_changes_read_the_way_each_language_writes_numbers() {
        assert_eq!(number(Some(3.26), Lang::Nl), "3,3");
        assert_eq!(number(Some(4.0), Lang::En), "4.0");
        assert_eq!(number(None, Lang::Nl), "–");
        assert_eq!(signed(Some(0.5), Lang::Nl), "+0,5");
        assert_eq!(signed(Some(-1.0), Lang::En), "−1.0");
        assert_eq!(signed(Some(0.01), Lang::En), "0.0");
        assert_eq!(signed(None, Lang::En), "–");
    }
}
