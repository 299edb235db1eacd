//! Home and school together: topics to talk about at home, and shared sources.

use std::collections::BTreeMap;

use automerge::{AutoCommit, ROOT};
use autosurgeon::Hydrate;

use crate::model::error::Result;
use crate::model::schema::key;

use crate::model::types::{Id, PersonId, SourceKind, Timestamp};

use super::hydrate::*;

#[derive(Hydrate)]
struct PromptDoc {
    #[autosurgeon(missing = "String::new")]
    title: String,
    #[autosurgeon(missing = "String::new")]
    question: String,
    #[autosurgeon(missing = "Option::default")]
    by: Option<Id>,
    #[autosurgeon(missing = "zero")]
    created_at: i64,
    #[autosurgeon(missing = "no")]
    removed: bool,
}

/// A topic from school to talk about at home.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HomePrompt {
    /// The prompt's own id.
    pub id: Id,
    /// A short title for the topic.
    pub title: String,
    /// The question to talk about with the child.
    pub question: String,
    /// Who offered it, if known.
    pub by: Option<PersonId>,
    /// When it was offered (caller's clock, ms).
    pub created_at: Timestamp,
}

/// Live home prompts, newest first.
pub fn home_prompts(doc: &AutoCommit) -> Result<Vec<HomePrompt>> {
    let stored: Option<BTreeMap<String, PromptDoc>> = opt(doc, ROOT, key::PROMPTS)?;
    let mut out: Vec<HomePrompt> = stored
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, p)| !p.removed)
        .filter_map(|(id, p)| {
            Some(HomePrompt {
                id: Id::new(id).ok()?,
                title: p.title,
                question: p.question,
                by: p.by,
                created_at: p.created_at,
            })
        })
        .collect();
    out.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
    Ok(out)
}

#[derive(Hydrate)]
struct SourceDoc {
    #[autosurgeon(missing = "String::new")]
    title: String,
    #[autosurgeon(missing = "Option::default")]
    link: Option<String>,
    #[autosurgeon(missing = "other_source")]
    kind: SourceKind,
    #[autosurgeon(missing = "String::new")]
    note: String,
    #[autosurgeon(missing = "Option::default")]
    added_by: Option<Id>,
    #[autosurgeon(missing = "zero")]
    added_at: i64,
    #[autosurgeon(missing = "BTreeMap::new")]
    tried: BTreeMap<String, Present>,
    #[autosurgeon(missing = "no")]
    removed: bool,
}

/// A shared website, book or event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The source's own id.
    pub id: Id,
    /// What the source is called.
    pub title: String,
    /// An `http(s)` address, if the source has one.
    pub link: Option<String>,
    /// Whether it is a website, book, event or other.
    pub kind: SourceKind,
    /// Why it may interest the child; may be empty.
    pub note: String,
    /// Who shared it, if known.
    pub added_by: Option<PersonId>,
    /// When it was shared (caller's clock, ms).
    pub added_at: Timestamp,
    /// Who said "we tried it".
    pub tried_by: Vec<PersonId>,
}

/// Live sources, newest first.
pub fn sources(doc: &AutoCommit) -> Result<Vec<Source>> {
    let stored: Option<BTreeMap<String, SourceDoc>> = opt(doc, ROOT, key::SOURCES)?;
    let mut out: Vec<Source> = stored
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, s)| !s.removed)
        .filter_map(|(id, s)| {
            Some(Source {
                id: Id::new(id).ok()?,
                title: s.title,
                link: s.link,
                kind: s.kind,
                note: s.note,
                added_by: s.added_by,
                added_at: s.added_at,
                tried_by: s
                    .tried
                    .into_keys()
                    .filter_map(|p| Id::new(p).ok())
                    .collect(),
            })
        })
        .collect();
    out.sort_by(|a, b| (b.added_at, &b.id).cmp(&(a.added_at, &a.id)));
    Ok(out)
}
