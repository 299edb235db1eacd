//! The partnership measurement: a short questionnaire every party fills in
//! at the start (baseline) and later (end), and a comparison of the two.
//!
//! The statements are data with stable ids; answers are stored per moment,
//! person and statement as flat keys, so no device ever has to create a
//! container to answer.

use std::collections::{BTreeMap, BTreeSet};

use automerge::{AutoCommit, ROOT};
use autosurgeon::{Hydrate, HydrateError};

use super::error::Result;
use super::read::{members, opt};
use super::schema::key;
use super::types::{Moment, Party, PersonId, Role};

/// One statement, answered from 1 (not at all) to 5 (fully).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Statement {
    /// Stable id; stored in the document, never renamed.
    pub id: &'static str,
    /// Dutch, plain language (B1).
    pub nl: &'static str,
    /// English, for members who read the app in English.
    pub en: &'static str,
}

/// The questionnaire. Each party answers the same statements from its own
/// side, so the three views can be put next to each other.
pub const STATEMENTS: [Statement; 10] = [
    Statement {
        id: "know-each-other",
        nl: "Thuis en school kennen elkaar goed.",
        en: "Home and school know each other well.",
    },
    Statement {
        id: "taken-seriously",
        nl: "Wat ik vertel, wordt serieus genomen.",
        en: "What I tell is taken seriously.",
    },
    Statement {
        id: "same-goals",
        nl: "We werken samen aan dezelfde doelen.",
        en: "We work together towards the same goals.",
    },
    Statement {
        id: "know-about-learning",
        nl: "Ik weet wat er thuis en op school gebeurt met leren.",
        en: "I know what happens with learning at home and at school.",
    },
    Statement {
        id: "good-news-too",
        nl: "Ik hoor ook goede dingen, niet alleen problemen.",
        en: "I hear good things too, not only problems.",
    },
    Statement {
        id: "easy-to-reach",
        nl: "Ik weet hoe en wanneer ik de ander kan bereiken.",
        en: "I know how and when I can reach the others.",
    },
    Statement {
        id: "child-has-a-say",
        nl: "De mening van het kind telt mee bij afspraken.",
        en: "The child's opinion counts when we make agreements.",
    },
    Statement {
        id: "school-talk-at-home",
        nl: "Thuis praten we over wat er op school gebeurt.",
        en: "At home we talk about what happens at school.",
    },
    Statement {
        id: "agreements-kept",
        nl: "Afspraken worden nagekomen.",
        en: "Agreements are kept.",
    },
    Statement {
        id: "equal-partners",
        nl: "Ouders en school beslissen samen, als gelijken.",
        en: "Parents and school decide together, as equals.",
    },
];

/// The statement with this id.
pub fn statement(id: &str) -> Option<&'static Statement> {
    STATEMENTS.iter().find(|s| s.id == id)
}

pub(crate) fn answer_key(moment: &str, person: &PersonId, statement: &str) -> String {
    format!("{moment}/{person}/{statement}")
}

/// One answer as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// Whether this is the baseline or the end measurement.
    pub moment: Moment,
    /// The member who answered.
    pub person: PersonId,
    /// A statement id; may be one this version does not know.
    pub statement: String,
    /// From 1 (not at all) to 5 (fully).
    pub score: u8,
}

struct Score(u8);

impl Hydrate for Score {
    fn hydrate_uint(u: u64) -> Result<Self, HydrateError> {
        u8::try_from(u)
            .ok()
            .filter(|s| (1..=5).contains(s))
            .map(Score)
            .ok_or_else(|| HydrateError::unexpected("a score from 1 to 5", u.to_string()))
    }
    fn hydrate_int(i: i64) -> Result<Self, HydrateError> {
        u64::try_from(i)
            .map_err(|_| HydrateError::unexpected("a score from 1 to 5", i.to_string()))
            .and_then(Self::hydrate_uint)
    }
}

/// Either a valid score or something a future version wrote.
enum MaybeScore {
    Valid(u8),
    Other,
}

impl Hydrate for MaybeScore {
    fn hydrate<D: autosurgeon::ReadDoc>(
        doc: &D,
        obj: &automerge::ObjId,
        prop: autosurgeon::Prop<'_>,
    ) -> Result<Self, HydrateError> {
        Ok(match Score::hydrate(doc, obj, prop) {
            Ok(Score(s)) => MaybeScore::Valid(s),
            Err(_) => MaybeScore::Other,
        })
    }
}

/// Every answer in the document. Keys or values this version cannot read
/// are skipped rather than failing the whole questionnaire.
pub fn answers(doc: &AutoCommit) -> Result<Vec<Answer>> {
    let stored: Option<BTreeMap<String, MaybeScore>> = opt(doc, ROOT, key::MEASUREMENT)?;
    Ok(stored
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| {
            let MaybeScore::Valid(score) = v else {
                return None;
            };
            let mut parts = k.splitn(3, '/');
            let moment = Moment::parse(parts.next()?);
            let person = PersonId::new(parts.next()?).ok()?;
            let statement = parts.next()?.to_string();
            Some(Answer {
                moment,
                person,
                statement,
                score,
            })
        })
        .collect())
}

/// Baseline against end for one statement, averaged over a party's members.
#[derive(Clone, Debug, PartialEq)]
pub struct StatementComparison {
    /// The statement compared.
    pub statement: &'static Statement,
    /// The party's mean score at the baseline, if anyone answered it then.
    pub baseline: Option<f64>,
    /// The party's mean score at the end measurement, if anyone answered it then.
    pub end: Option<f64>,
    /// `end - baseline`, when both exist.
    pub change: Option<f64>,
}

/// The measurement of one party at both moments.
#[derive(Clone, Debug, PartialEq)]
pub struct PartyComparison {
    /// The side of the triangle compared.
    pub party: Party,
    /// How many people of this party answered at least one statement.
    pub respondents_baseline: usize,
    /// The same count at the end measurement.
    pub respondents_end: usize,
    /// Each statement of the questionnaire, in its order.
    pub statements: Vec<StatementComparison>,
    /// Mean over all answers of the party at that moment.
    pub baseline: Option<f64>,
    /// Mean over all answers of the party at the end measurement.
    pub end: Option<f64>,
    /// `end - baseline`, when both exist: whether the partnership grew.
    pub change: Option<f64>,
}

fn mean(values: &[u8]) -> Option<f64> {
    if values.is_empty() {
        None
    } else {
        Some(values.iter().map(|&v| f64::from(v)).sum::<f64>() / values.len() as f64)
    }
}

fn change(baseline: Option<f64>, end: Option<f64>) -> Option<f64> {
    Some(end? - baseline?)
}

/// Compares the two moments per party (parents, school, child). A person's
/// party follows from their current role; answers of people who are not
/// members, or whose role this version does not know, are left out.
pub fn compare_answers(
    answers: &[Answer],
    roles: &BTreeMap<PersonId, Role>,
) -> Vec<PartyComparison> {
    Party::known()
        .into_iter()
        .map(|party| {
            let of_party: Vec<&Answer> = answers
                .iter()
                .filter(|a| roles.get(&a.person).and_then(Role::party).as_ref() == Some(&party))
                .filter(|a| statement(&a.statement).is_some())
                .collect();
            let scores = |moment: &Moment, statement: Option<&str>| -> Vec<u8> {
                of_party
                    .iter()
                    .filter(|a| &a.moment == moment && statement.is_none_or(|s| a.statement == s))
                    .map(|a| a.score)
                    .collect()
            };
            let respondents = |moment: &Moment| {
                of_party
                    .iter()
                    .filter(|a| &a.moment == moment)
                    .map(|a| &a.person)
                    .collect::<BTreeSet<_>>()
                    .len()
            };
            let statements = STATEMENTS
                .iter()
                .map(|s| {
                    let baseline = mean(&scores(&Moment::Baseline, Some(s.id)));
                    let end = mean(&scores(&Moment::End, Some(s.id)));
                    StatementComparison {
                        statement: s,
                        baseline,
                        end,
                        change: change(baseline, end),
                    }
                })
                .collect();
            let baseline = mean(&scores(&Moment::Baseline, None));
            let end = mean(&scores(&Moment::End, None));
            PartyComparison {
                party,
                respondents_baseline: respondents(&Moment::Baseline),
                respondents_end: respondents(&Moment::End),
                statements,
                baseline,
                end,
                change: change(baseline, end),
            }
        })
        .collect()
}

/// The comparison for the dossier as it is now.
pub fn measurement_comparison(doc: &AutoCommit) -> Result<Vec<PartyComparison>> {
    let roles = members(doc)?
        .people
        .into_iter()
        .map(|m| (m.id, m.role))
        .collect();
    Ok(compare_answers(&answers(doc)?, &roles))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_ids_are_unique_and_storable() {
        let ids: BTreeSet<_> = STATEMENTS.iter().map(|s| s.id).collect();
        assert_eq!(ids.len(), STATEMENTS.len());
        for s in &STATEMENTS {
            assert!(
                crate::model::types::Id::new(s.id).is_ok(),
                "{} is not a valid id",
                s.id
            );
            assert!(!s.nl.is_empty() && !s.en.is_empty());
        }
    }

    #[test]
    fn comparison_averages_each_party_and_reports_the_change() {
        let p = |s: &str| PersonId::new(s).expect("valid id");
        let answer = |moment: Moment, person: &str, score: u8| Answer {
            moment,
            person: p(person),
            statement: "same-goals".into(),
            score,
        };
        let answers = vec![
            answer(Moment::Baseline, "mum", 2),
            answer(Moment::Baseline, "dad", 3),
            answer(Moment::End, "mum", 4),
            answer(Moment::End, "dad", 5),
            answer(Moment::Baseline, "juf", 3),
            answer(Moment::Baseline, "stranger", 1),
        ];
        let roles = BTreeMap::from([
            (p("mum"), Role::Parent),
            (p("dad"), Role::Parent),
            (p("juf"), Role::Teacher),
        ]);
        let result = compare_answers(&answers, &roles);
        let parents = result
            .iter()
            .find(|c| c.party == Party::Parents)
            .expect("parents");
        assert_eq!(parents.baseline, Some(2.5));
        assert_eq!(parents.end, Some(4.5));
        assert_eq!(parents.change, Some(2.0));
        assert_eq!(parents.respondents_end, 2);
        let school = result
            .iter()
            .find(|c| c.party == Party::School)
            .expect("school");
        assert_eq!(school.baseline, Some(3.0));
        assert_eq!(school.end, None);
        assert_eq!(school.change, None);
        let child = result
            .iter()
            .find(|c| c.party == Party::Child)
            .expect("child");
        assert_eq!(child.respondents_baseline, 0);
    }
}
