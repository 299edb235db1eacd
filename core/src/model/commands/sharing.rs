//! Home prompts, shared sources and the partnership measurement.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue};

use super::{
    MAX_LABEL_CHARS, existing, fresh, new_map, not_removed, put_str, put_time, require_member, run,
};
use crate::model::error::{ModelError, Result};
use crate::model::measurement::{answer_key, statement};
use crate::model::schema::{child_obj, container, key};
use crate::model::types::{Ctx, Id, Moment, SourceKind, check_label, check_len, check_text};

/// Longest link.
pub const MAX_LINK_CHARS: usize = 2_000;
/// Longest note on a source.
pub const MAX_NOTE_CHARS: usize = 2_000;

/// Offers a topic to talk about at home (what the class works on, a
/// question about the school day). The child may answer in the logbook.
pub fn add_home_prompt(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    id: &Id,
    title: &str,
    question: &str,
) -> Result<()> {
    run(doc, ctx, "add_home_prompt", |doc| {
        require_member(doc, &ctx.person)?;
        check_label("title", title, MAX_LABEL_CHARS)?;
        check_text("question", question)?;
        let prompts = container(doc, &[key::PROMPTS])?;
        fresh(doc, &prompts, "home prompt", id)?;
        let p = new_map(doc, &prompts, id.as_str())?;
        put_str(doc, &p, "title", title)?;
        put_str(doc, &p, "question", question)?;
        put_str(doc, &p, "by", ctx.person.as_str())?;
        put_time(doc, &p, "created_at", ctx.now)?;
        doc.put(&p, "removed", false)?;
        Ok(())
    })
}

/// Withdraws a home prompt (tombstone; answers in the logbook stay).
pub fn remove_home_prompt(doc: &mut AutoCommit, ctx: &Ctx, id: &Id) -> Result<()> {
    run(doc, ctx, "remove_home_prompt", |doc| {
        require_member(doc, &ctx.person)?;
        let prompts = container(doc, &[key::PROMPTS])?;
        let p = existing(doc, &prompts, "home prompt", id)?;
        not_removed(doc, &p, "removed", "home prompt", id)?;
        doc.put(&p, "removed", true)?;
        Ok(())
    })
}

/// A source to share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSource {
    /// The caller's id for the source.
    pub id: Id,
    /// What the source is called.
    pub title: String,
    /// An `http(s)` address, if the source has one.
    pub link: Option<String>,
    /// Whether it is a website, book, event or other.
    pub kind: SourceKind,
    /// Why it may interest the child; may be empty.
    pub note: String,
}

fn check_link(link: &str) -> Result<()> {
    check_len("link", link, MAX_LINK_CHARS)?;
    let scheme_ok = link.starts_with("https://") || link.starts_with("http://");
    if !scheme_ok || link.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ModelError::Invalid {
            field: "link",
            reason: "must be an http or https address without spaces".into(),
        });
    }
    Ok(())
}

/// Shares a website, book or event about the child's interests.
pub fn add_source(doc: &mut AutoCommit, ctx: &Ctx, new: &NewSource) -> Result<()> {
    run(doc, ctx, "add_source", |doc| {
        require_member(doc, &ctx.person)?;
        check_label("title", &new.title, MAX_LABEL_CHARS)?;
        if let Some(link) = &new.link {
            check_link(link)?;
        }
        check_len("note", &new.note, MAX_NOTE_CHARS)?;
        let kind = new.kind.writable("source kind")?;
        let sources = container(doc, &[key::SOURCES])?;
        fresh(doc, &sources, "source", &new.id)?;
        let s = new_map(doc, &sources, new.id.as_str())?;
        put_str(doc, &s, "title", &new.title)?;
        if let Some(link) = &new.link {
            put_str(doc, &s, "link", link)?;
        }
        put_str(doc, &s, "kind", kind)?;
        put_str(doc, &s, "note", &new.note)?;
        put_str(doc, &s, "added_by", ctx.person.as_str())?;
        put_time(doc, &s, "added_at", ctx.now)?;
        new_map(doc, &s, key::TRIED)?;
        doc.put(&s, "removed", false)?;
        Ok(())
    })
}

fn live_source(doc: &AutoCommit, id: &Id) -> Result<ObjId> {
    let sources = container(doc, &[key::SOURCES])?;
    let s = existing(doc, &sources, "source", id)?;
    not_removed(doc, &s, "removed", "source", id)?;
    Ok(s)
}

/// Marks that the acting person tried a source ("we tried it"), or takes
/// that back.
pub fn mark_source_tried(doc: &mut AutoCommit, ctx: &Ctx, id: &Id, tried: bool) -> Result<()> {
    run(doc, ctx, "mark_source_tried", |doc| {
        require_member(doc, &ctx.person)?;
        let s = live_source(doc, id)?;
        let tried_by = child_obj(doc, &s, key::TRIED, ObjType::Map)
            .ok_or(ModelError::MissingContainer(key::TRIED))?;
        let present = doc.get(&tried_by, ctx.person.as_str())?.is_some();
        match (tried, present) {
            (true, _) => put_time(doc, &tried_by, ctx.person.as_str(), ctx.now),
            (false, true) => {
                doc.delete(&tried_by, ctx.person.as_str())?;
                Ok(())
            }
            (false, false) => Err(ModelError::NotFound {
                kind: "tried mark",
                id: ctx.person.to_string(),
            }),
        }
    })
}

/// Removes a shared source (tombstone).
pub fn remove_source(doc: &mut AutoCommit, ctx: &Ctx, id: &Id) -> Result<()> {
    run(doc, ctx, "remove_source", |doc| {
        require_member(doc, &ctx.person)?;
        let s = live_source(doc, id)?;
        doc.put(&s, "removed", true)?;
        Ok(())
    })
}

/// Records the acting person's answer (1 = not at all, 5 = fully) to one
/// statement of the partnership measurement at one moment.
pub fn answer_statement(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    moment: &Moment,
    statement_id: &str,
    score: u8,
) -> Result<()> {
    run(doc, ctx, "answer_statement", |doc| {
        let role = require_member(doc, &ctx.person)?;
        if role.party().is_none() {
            return Err(ModelError::UnknownValue {
                field: "role",
                value: role.to_string(),
            });
        }
        let moment = moment.writable("moment")?;
        let statement = statement(statement_id).ok_or_else(|| ModelError::NotFound {
            kind: "statement",
            id: statement_id.to_string(),
        })?;
        if !(1..=5).contains(&score) {
            return Err(ModelError::Invalid {
                field: "score",
                reason: format!("{score} is not between 1 and 5"),
            });
        }
        let measurement = container(doc, &[key::MEASUREMENT])?;
        let k = answer_key(moment, &ctx.person, statement.id);
        doc.put(
            &measurement,
            k.as_str(),
            ScalarValue::Uint(u64::from(score)),
        )?;
        Ok(())
    })
}
