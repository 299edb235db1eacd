//! The logbook: entries written at home and at school, with comments and
//! reactions.

use std::collections::BTreeSet;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc};

use super::{
    existing, fresh, new_map, not_removed, nothing_to_change, put_str, put_time, require_member,
    run,
};
use crate::model::error::{ModelError, Result};
use crate::model::schema::{child_obj, container, get_str, key};
use crate::model::types::{Ctx, Date, EntryKind, Id, check_label, check_text};

/// Most tags one entry may carry.
pub const MAX_TAGS: usize = 20;
/// Longest tag.
pub const MAX_TAG_CHARS: usize = 40;
/// Longest reaction (an emoji, possibly several code points long).
pub const MAX_EMOJI_CHARS: usize = 16;

/// A new logbook entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntry {
    /// The caller's id for the entry.
    pub id: Id,
    /// The day the entry is about.
    pub date: Date,
    /// What the entry is about.
    pub kind: EntryKind,
    /// The entry's text; must not be blank.
    pub body: String,
    /// Written by the child (on a parent's device, perhaps).
    pub by_child: bool,
    /// Free labels for finding entries again; at most [`MAX_TAGS`].
    pub tags: Vec<String>,
    /// The home prompt this entry answers, if any.
    pub prompt: Option<Id>,
}

/// Changes to an entry; `None` leaves a field alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryEdit {
    /// Another day for the entry.
    pub date: Option<Date>,
    /// Another kind.
    pub kind: Option<EntryKind>,
    /// New words for the entry.
    pub body: Option<String>,
    /// Whether the child wrote it.
    pub by_child: Option<bool>,
    /// The complete new set of tags, replacing the old ones.
    pub tags: Option<Vec<String>>,
}

fn clean_tags(tags: &[String]) -> Result<BTreeSet<String>> {
    if tags.len() > MAX_TAGS {
        return Err(ModelError::Invalid {
            field: "tags",
            reason: format!("at most {MAX_TAGS} tags"),
        });
    }
    tags.iter()
        .map(|t| {
            let t = t.trim();
            check_label("tag", t, MAX_TAG_CHARS)?;
            Ok(t.to_string())
        })
        .collect()
}

fn check_emoji(emoji: &str) -> Result<()> {
    check_label("reaction", emoji, MAX_EMOJI_CHARS)?;
    if emoji.chars().any(char::is_whitespace) {
        return Err(ModelError::Invalid {
            field: "reaction",
            reason: "must not contain spaces".into(),
        });
    }
    Ok(())
}

fn logbook(doc: &AutoCommit) -> Result<ObjId> {
    container(doc, &[key::LOGBOOK])
}

/// A live (not deleted) entry.
fn live_entry(doc: &AutoCommit, id: &Id) -> Result<ObjId> {
    let entry = existing(doc, &logbook(doc)?, "logbook entry", id)?;
    not_removed(doc, &entry, "deleted", "logbook entry", id)?;
    Ok(entry)
}

fn nested(doc: &AutoCommit, entry: &ObjId, name: &'static str) -> Result<ObjId> {
    child_obj(doc, entry, name, ObjType::Map).ok_or(ModelError::MissingContainer(name))
}

/// Writes a new entry, with its comment, reaction and tag maps in the same
/// change.
pub fn add_entry(doc: &mut AutoCommit, ctx: &Ctx, new: &NewEntry) -> Result<()> {
    run(doc, ctx, "add_entry", |doc| {
        require_member(doc, &ctx.person)?;
        check_text("entry", &new.body)?;
        let kind = new.kind.writable("entry kind")?;
        let tags = clean_tags(&new.tags)?;
        if let Some(prompt) = &new.prompt {
            let prompts = container(doc, &[key::PROMPTS])?;
            existing(doc, &prompts, "home prompt", prompt)?;
        }
        let book = logbook(doc)?;
        fresh(doc, &book, "logbook entry", &new.id)?;

        let entry = new_map(doc, &book, new.id.as_str())?;
        put_str(doc, &entry, "date", &new.date.to_string())?;
        put_str(doc, &entry, "author", ctx.person.as_str())?;
        doc.put(&entry, "by_child", new.by_child)?;
        put_str(doc, &entry, "kind", kind)?;
        put_str(doc, &entry, "body", &new.body)?;
        let tag_map = new_map(doc, &entry, key::TAGS)?;
        for tag in &tags {
            doc.put(&tag_map, tag.as_str(), true)?;
        }
        if let Some(prompt) = &new.prompt {
            put_str(doc, &entry, "prompt", prompt.as_str())?;
        }
        put_time(doc, &entry, "created_at", ctx.now)?;
        doc.put(&entry, "deleted", false)?;
        new_map(doc, &entry, key::COMMENTS)?;
        new_map(doc, &entry, key::REACTIONS)?;
        Ok(())
    })
}

/// Edits an entry. Only its author may; each given field is written at its
/// own path, so concurrent edits of different fields both survive.
pub fn edit_entry(doc: &mut AutoCommit, ctx: &Ctx, id: &Id, edit: &EntryEdit) -> Result<()> {
    run(doc, ctx, "edit_entry", |doc| {
        require_member(doc, &ctx.person)?;
        if edit == &EntryEdit::default() {
            return Err(nothing_to_change());
        }
        let entry = live_entry(doc, id)?;
        if get_str(doc, &entry, "author").as_deref() != Some(ctx.person.as_str()) {
            return Err(ModelError::NotAuthor {
                kind: "logbook entry",
            });
        }
        if let Some(body) = &edit.body {
            check_text("entry", body)?;
        }
        let kind = edit
            .kind
            .as_ref()
            .map(|k| k.writable("entry kind"))
            .transpose()?;
        let tags = edit.tags.as_deref().map(clean_tags).transpose()?;

        if let Some(date) = &edit.date {
            put_str(doc, &entry, "date", &date.to_string())?;
        }
        if let Some(kind) = kind {
            put_str(doc, &entry, "kind", kind)?;
        }
        if let Some(body) = &edit.body {
            put_str(doc, &entry, "body", body)?;
        }
        if let Some(by_child) = edit.by_child {
            doc.put(&entry, "by_child", by_child)?;
        }
        if let Some(tags) = tags {
            let tag_map = nested(doc, &entry, key::TAGS)?;
            let current: Vec<String> = doc.keys(&tag_map).collect();
            for old in current.iter().filter(|t| !tags.contains(*t)) {
                doc.delete(&tag_map, old.as_str())?;
            }
            for tag in tags.iter().filter(|t| !current.contains(t)) {
                doc.put(&tag_map, tag.as_str(), true)?;
            }
        }
        put_time(doc, &entry, "edited_at", ctx.now)?;
        Ok(())
    })
}

/// Deletes an entry as a tombstone: the entry stays, marked deleted, so a
/// concurrent edit on another device cannot bring half of it back.
pub fn delete_entry(doc: &mut AutoCommit, ctx: &Ctx, id: &Id) -> Result<()> {
    run(doc, ctx, "delete_entry", |doc| {
        require_member(doc, &ctx.person)?;
        let entry = live_entry(doc, id)?;
        if get_str(doc, &entry, "author").as_deref() != Some(ctx.person.as_str()) {
            return Err(ModelError::NotAuthor {
                kind: "logbook entry",
            });
        }
        doc.put(&entry, "deleted", true)?;
        put_time(doc, &entry, "deleted_at", ctx.now)?;
        // The words should not linger in the current state; history keeps
        // them for the members as Automerge always does.
        put_str(doc, &entry, "body", "")?;
        Ok(())
    })
}

/// Adds a comment to an entry (a teacher reacts to what happened at home).
pub fn comment_on_entry(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    entry: &Id,
    comment: &Id,
    body: &str,
) -> Result<()> {
    run(doc, ctx, "comment_on_entry", |doc| {
        require_member(doc, &ctx.person)?;
        check_text("comment", body)?;
        let entry = live_entry(doc, entry)?;
        let comments = nested(doc, &entry, key::COMMENTS)?;
        fresh(doc, &comments, "comment", comment)?;
        write_comment(doc, &comments, comment, ctx, body)
    })
}

pub(crate) fn write_comment(
    doc: &mut AutoCommit,
    comments: &ObjId,
    id: &Id,
    ctx: &Ctx,
    body: &str,
) -> Result<()> {
    let c = new_map(doc, comments, id.as_str())?;
    put_str(doc, &c, "author", ctx.person.as_str())?;
    put_str(doc, &c, "body", body)?;
    put_time(doc, &c, "at", ctx.now)?;
    doc.put(&c, "deleted", false)?;
    Ok(())
}

/// Deletes one's own comment (tombstone).
pub fn delete_entry_comment(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    entry: &Id,
    comment: &Id,
) -> Result<()> {
    run(doc, ctx, "delete_entry_comment", |doc| {
        require_member(doc, &ctx.person)?;
        let entry = live_entry(doc, entry)?;
        let comments = nested(doc, &entry, key::COMMENTS)?;
        let c = existing(doc, &comments, "comment", comment)?;
        not_removed(doc, &c, "deleted", "comment", comment)?;
        if get_str(doc, &c, "author").as_deref() != Some(ctx.person.as_str()) {
            return Err(ModelError::NotAuthor { kind: "comment" });
        }
        doc.put(&c, "deleted", true)?;
        put_str(doc, &c, "body", "")?;
        Ok(())
    })
}

fn reaction_key(ctx: &Ctx, emoji: &str) -> String {
    format!("{}/{}", ctx.person, emoji)
}

/// Adds the acting person's emoji reaction to an entry.
pub fn react(doc: &mut AutoCommit, ctx: &Ctx, entry: &Id, emoji: &str) -> Result<()> {
    run(doc, ctx, "react", |doc| {
        require_member(doc, &ctx.person)?;
        check_emoji(emoji)?;
        let entry = live_entry(doc, entry)?;
        let reactions = nested(doc, &entry, key::REACTIONS)?;
        let k = reaction_key(ctx, emoji);
        if doc.get(&reactions, k.as_str())?.is_some() {
            return Err(ModelError::AlreadyExists {
                kind: "reaction",
                id: k,
            });
        }
        put_time(doc, &reactions, &k, ctx.now)
    })
}

/// Takes the acting person's emoji reaction back.
pub fn unreact(doc: &mut AutoCommit, ctx: &Ctx, entry: &Id, emoji: &str) -> Result<()> {
    run(doc, ctx, "unreact", |doc| {
        require_member(doc, &ctx.person)?;
        check_emoji(emoji)?;
        let entry = live_entry(doc, entry)?;
        let reactions = nested(doc, &entry, key::REACTIONS)?;
        let k = reaction_key(ctx, emoji);
        if doc.get(&reactions, k.as_str())?.is_none() {
            return Err(ModelError::NotFound {
                kind: "reaction",
                id: k,
            });
        }
        doc.delete(&reactions, k.as_str())?;
        Ok(())
    })
}
