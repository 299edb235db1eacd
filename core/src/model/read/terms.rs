//! The guidance agreement's terms: its sections, the parents' tasks, the
//! conversation arrangement and the evaluation date. What a signature covers is
//! computed from these (`model::signing`).

use std::collections::BTreeMap;

use automerge::{AutoCommit, ReadDoc};
use autosurgeon::Hydrate;

use crate::model::error::{ModelError, Result};
use crate::model::schema::{container, key, section_text};

use crate::model::types::{AgreementSection, Date, Id, PersonId, TaskStatus, Timestamp};

use super::hydrate::*;

#[derive(Hydrate)]
pub(crate) struct TaskDoc {
    #[autosurgeon(missing = "String::new")]
    pub(crate) what: String,
    #[autosurgeon(missing = "Option::default")]
    pub(crate) who: Option<Id>,
    #[autosurgeon(missing = "Option::default")]
    pub(crate) due: Option<Date>,
    #[autosurgeon(missing = "open")]
    pub(crate) status: TaskStatus,
    #[autosurgeon(missing = "Option::default")]
    pub(crate) created_by: Option<Id>,
    #[autosurgeon(missing = "zero")]
    pub(crate) created_at: i64,
    #[autosurgeon(missing = "no")]
    pub(crate) removed: bool,
}

/// A concrete task for the parents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParentTask {
    /// The task's own id.
    pub id: Id,
    /// What the parents will do.
    pub what: String,
    /// Who will do it, if someone was named.
    pub who: Option<PersonId>,
    /// When it should be done, if a date was agreed.
    pub due: Option<Date>,
    /// Whether it has been done; progress, not a term.
    pub status: TaskStatus,
    /// Who added the task, if known.
    pub created_by: Option<PersonId>,
    /// When it was added (caller's clock, ms).
    pub created_at: Timestamp,
}

/// Live parent tasks in the order they were added.
pub(crate) fn parent_tasks(doc: &AutoCommit) -> Result<Vec<ParentTask>> {
    let agreement = container(doc, &[key::AGREEMENT])?;
    let stored: Option<BTreeMap<String, TaskDoc>> = opt(doc, &agreement, key::TASKS)?;
    let mut out: Vec<ParentTask> = stored
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, t)| !t.removed)
        .filter_map(|(id, t)| {
            Some(ParentTask {
                id: Id::new(id).ok()?,
                what: t.what,
                who: t.who,
                due: t.due,
                status: t.status,
                created_by: t.created_by,
                created_at: t.created_at,
            })
        })
        .collect();
    out.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Ok(out)
}

#[derive(Hydrate)]
pub(crate) struct ArrangementDoc {
    #[autosurgeon(missing = "String::new")]
    pub(crate) how_often: String,
    #[autosurgeon(missing = "String::new")]
    pub(crate) with_whom: String,
}

/// How often progress is discussed, and with whom.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConversationArrangement {
    /// How often progress is discussed, in the parties' own words.
    pub how_often: String,
    /// Who takes part in those conversations, in the parties' own words.
    pub with_whom: String,
}

pub(crate) fn arrangement(doc: &AutoCommit) -> Result<ConversationArrangement> {
    let agreement = container(doc, &[key::AGREEMENT])?;
    let a: Option<ArrangementDoc> = opt(doc, &agreement, key::ARRANGEMENT)?;
    Ok(a.map(|a| ConversationArrangement {
        how_often: a.how_often,
        with_whom: a.with_whom,
    })
    .unwrap_or_default())
}

pub(crate) fn evaluation_date(doc: &AutoCommit) -> Result<Option<Date>> {
    let agreement = container(doc, &[key::AGREEMENT])?;
    opt(doc, &agreement, key::EVALUATION_DATE)
}

/// The text of one section ("" in an older document without it).
pub fn section(doc: &AutoCommit, section: AgreementSection) -> Result<String> {
    match section_text(doc, section) {
        Ok(obj) => Ok(doc.text(&obj)?),
        Err(ModelError::MissingContainer(_)) => Ok(String::new()),
        Err(e) => Err(e),
    }
}
