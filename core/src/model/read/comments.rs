//! Comments, as entries and expectation points carry them.

use std::collections::BTreeMap;

use autosurgeon::Hydrate;

use crate::model::types::{Id, PersonId, Timestamp};

use super::hydrate::*;

#[derive(Hydrate)]
pub(super) struct CommentDoc {
    author: Id,
    #[autosurgeon(missing = "String::new")]
    body: String,
    #[autosurgeon(missing = "zero")]
    at: i64,
    #[autosurgeon(missing = "no")]
    deleted: bool,
}

/// A comment on an entry or an expectation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The comment's own id.
    pub id: Id,
    /// The member who wrote it.
    pub author: PersonId,
    /// What they wrote.
    pub body: String,
    /// When it was written (writer's clock, ms).
    pub at: Timestamp,
}

pub(super) fn comments(stored: BTreeMap<String, CommentDoc>) -> Vec<Comment> {
    let mut out: Vec<Comment> = stored
        .into_iter()
        .filter(|(_, c)| !c.deleted)
        .filter_map(|(id, c)| {
            Some(Comment {
                id: Id::new(id).ok()?,
                author: c.author,
                body: c.body,
                at: c.at,
            })
        })
        .collect();
    out.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    out
}
