//! What changed in the guidance agreement: since a signature, and who
//! changed which part when.

use std::collections::BTreeSet;

use automerge::{AutoCommit, ChangeHash, ObjId};

use super::error::Result;
use super::history::Attribution;
use super::schema::section_text;
use super::signing::{AgreedTerms, agreed_terms};
use super::types::{AgreementSection, PersonId, Timestamp};

/// A part of the agreement, as a person would name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AgreementPart {
    /// The text of one section.
    Section(AgreementSection),
    /// The parents' tasks.
    Tasks,
    /// How often and with whom progress is discussed.
    Arrangement,
    /// When the agreement is evaluated.
    EvaluationDate,
    /// The signatures under the agreement.
    Signatures,
}

/// The parts whose terms differ between `then` and `now`, in display order.
pub fn parts_that_differ(then: &AgreedTerms, now: &AgreedTerms) -> Vec<AgreementPart> {
    let mut parts: Vec<AgreementPart> = AgreementSection::ALL
        .iter()
        .filter(|s| {
            let text = |t: &AgreedTerms| {
                t.sections
                    .iter()
                    .find(|(k, _)| k == *s)
                    .map(|(_, v)| v.clone())
            };
            text(then) != text(now)
        })
        .map(|s| AgreementPart::Section(*s))
        .collect();
    if then.tasks != now.tasks {
        parts.push(AgreementPart::Tasks);
    }
    if then.arrangement != now.arrangement {
        parts.push(AgreementPart::Arrangement);
    }
    if then.evaluation_date != now.evaluation_date {
        parts.push(AgreementPart::EvaluationDate);
    }
    parts
}

/// What changed in the terms since the document was at `heads` (the heads
/// a signature recorded). Heads this document lacks give `None`: then it
/// cannot say, and shows no guess.
pub fn changed_since(
    doc: &mut AutoCommit,
    heads: &[ChangeHash],
) -> Result<Option<Vec<AgreementPart>>> {
    if heads.iter().any(|h| doc.get_change_by_hash(h).is_none()) {
        return Ok(None);
    }
    let then = agreed_terms(&doc.fork_at(heads)?)?;
    let now = agreed_terms(doc)?;
    Ok(Some(parts_that_differ(&then, &now)))
}

/// One change to the agreement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreementChange {
    /// Who made the change; `None` when the commit names no valid person.
    pub person: Option<PersonId>,
    /// When the device said it was (whole seconds, in milliseconds).
    pub at: Timestamp,
    /// The parts the change touched.
    pub parts: Vec<AgreementPart>,
}

fn part_of_command(command: &str) -> Option<AgreementPart> {
    Some(match command {
        "add_parent_task"
        | "edit_parent_task"
        | "set_parent_task_status"
        | "remove_parent_task" => AgreementPart::Tasks,
        "set_conversation_arrangement" => AgreementPart::Arrangement,
        "set_evaluation_date" => AgreementPart::EvaluationDate,
        "sign_agreement" => AgreementPart::Signatures,
        _ => return None,
    })
}

/// Who changed which part of the agreement when, newest first, at most
/// `limit` changes. Section edits name the sections their operations
/// touched, read from the change itself.
pub fn agreement_history(doc: &mut AutoCommit, limit: usize) -> Vec<AgreementChange> {
    let texts: Vec<(String, AgreementSection)> = AgreementSection::ALL
        .iter()
        .filter_map(|s| {
            section_text(doc, *s)
                .ok()
                .map(|obj: ObjId| (obj.to_string(), *s))
        })
        .collect();
    let mut found: Vec<(
        ChangeHash,
        Option<PersonId>,
        Timestamp,
        Option<AgreementPart>,
    )> = doc
        .get_changes_meta(&[])
        .into_iter()
        .filter_map(|meta| {
            let attribution = meta
                .message
                .as_deref()
                .and_then(Attribution::from_message)?;
            let at = meta.timestamp.saturating_mul(1000);
            let person = PersonId::new(attribution.person).ok();
            if attribution.command == "edit_agreement_section" {
                Some((meta.hash, person, at, None))
            } else {
                let part = part_of_command(&attribution.command)?;
                Some((meta.hash, person, at, Some(part)))
            }
        })
        .collect();
    // Newest first by the devices' clocks; within one second, the causal
    // order reversed (the sort is stable).
    found.reverse();
    found.sort_by_key(|(_, _, at, _)| std::cmp::Reverse(*at));
    let mut out = Vec::new();
    for (hash, person, at, part) in found.into_iter().take(limit) {
        let parts = match part {
            Some(p) => vec![p],
            None => {
                let Some(change) = doc.get_change_by_hash(&hash) else {
                    continue;
                };
                let touched: BTreeSet<AgreementSection> = change
                    .decode()
                    .operations
                    .iter()
                    .filter_map(|op| {
                        let obj = op.obj.to_string();
                        texts.iter().find(|(id, _)| *id == obj).map(|(_, s)| *s)
                    })
                    .collect();
                touched.into_iter().map(AgreementPart::Section).collect()
            }
        };
        out.push(AgreementChange { person, at, parts });
    }
    out
}
