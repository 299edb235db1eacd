//! Start and progress conversations: each party's view side by side, and the
//! actions agreed.

use std::collections::BTreeMap;

use automerge::{AutoCommit, ROOT};
use autosurgeon::Hydrate;

use crate::model::error::Result;
use crate::model::schema::key;

use crate::model::types::{ConversationKind, Date, Id, PersonId, TaskStatus, Timestamp};

use super::hydrate::*;

#[derive(Hydrate)]
struct ActionDoc {
    #[autosurgeon(missing = "String::new")]
    what: String,
    #[autosurgeon(missing = "Option::default")]
    owner: Option<Id>,
    #[autosurgeon(missing = "Option::default")]
    due: Option<Date>,
    #[autosurgeon(missing = "open")]
    status: TaskStatus,
    #[autosurgeon(missing = "zero")]
    created_at: i64,
}

#[derive(Hydrate)]
struct InputDoc {
    #[autosurgeon(missing = "String::new")]
    parents: String,
    #[autosurgeon(missing = "String::new")]
    school: String,
    #[autosurgeon(missing = "String::new")]
    child: String,
}

fn no_input() -> InputDoc {
    InputDoc {
        parents: String::new(),
        school: String::new(),
        child: String::new(),
    }
}

#[derive(Hydrate)]
struct ConversationDoc {
    #[autosurgeon(missing = "other_conversation")]
    kind: ConversationKind,
    date: Date,
    #[autosurgeon(missing = "BTreeMap::new")]
    participants: BTreeMap<String, Present>,
    #[autosurgeon(missing = "no_input")]
    input: InputDoc,
    #[autosurgeon(missing = "empty_text")]
    notes: AnyText,
    #[autosurgeon(missing = "BTreeMap::new")]
    actions: BTreeMap<String, ActionDoc>,
    #[autosurgeon(missing = "Option::default")]
    created_by: Option<Id>,
    #[autosurgeon(missing = "zero")]
    created_at: i64,
    #[autosurgeon(missing = "no")]
    removed: bool,
}

/// An action agreed in a conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreedAction {
    /// The action's own id.
    pub id: Id,
    /// What was agreed to do.
    pub what: String,
    /// Who will do it, if someone was named.
    pub owner: Option<PersonId>,
    /// When it should be done, if a date was agreed.
    pub due: Option<Date>,
    /// Whether it has been done.
    pub status: TaskStatus,
    /// When it was agreed (caller's clock, ms).
    pub created_at: Timestamp,
}

/// A start or progress conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversation {
    /// The conversation's own id.
    pub id: Id,
    /// Start, progress, evaluation or other.
    pub kind: ConversationKind,
    /// The day it takes place.
    pub date: Date,
    /// The members who take part.
    pub participants: Vec<PersonId>,
    /// Each party's own input before the meeting, side by side.
    pub input_parents: String,
    /// The school's own input before the meeting.
    pub input_school: String,
    /// The child's own input before the meeting.
    pub input_child: String,
    /// The notes taken during the conversation, written together.
    pub notes: String,
    /// The actions agreed, in the order they were added.
    pub actions: Vec<AgreedAction>,
    /// Who planned the conversation, if known.
    pub created_by: Option<PersonId>,
    /// When it was planned (caller's clock, ms).
    pub created_at: Timestamp,
}

/// Live conversations by date.
pub fn conversations(doc: &AutoCommit) -> Result<Vec<Conversation>> {
    let stored: Option<BTreeMap<String, ConversationDoc>> = opt(doc, ROOT, key::CONVERSATIONS)?;
    let mut out: Vec<Conversation> = stored
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, c)| !c.removed)
        .filter_map(|(id, c)| {
            let mut actions: Vec<AgreedAction> = c
                .actions
                .into_iter()
                .filter_map(|(id, a)| {
                    Some(AgreedAction {
                        id: Id::new(id).ok()?,
                        what: a.what,
                        owner: a.owner,
                        due: a.due,
                        status: a.status,
                        created_at: a.created_at,
                    })
                })
                .collect();
            actions.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
            Some(Conversation {
                id: Id::new(id).ok()?,
                kind: c.kind,
                date: c.date,
                participants: c
                    .participants
                    .into_keys()
                    .filter_map(|p| Id::new(p).ok())
                    .collect(),
                input_parents: c.input.parents,
                input_school: c.input.school,
                input_child: c.input.child,
                notes: c.notes.0,
                actions,
                created_by: c.created_by,
                created_at: c.created_at,
            })
        })
        .collect();
    out.sort_by(|a, b| (a.date, a.created_at, &a.id).cmp(&(b.date, b.created_at, &b.id)));
    Ok(out)
}
