//! Start and progress conversations: consultations where child, parents
//! and teacher each bring their own view.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ChangeHash, ObjId, ObjType};

use super::agreement::splice_checked;
use super::{
    MAX_LABEL_CHARS, existing, fresh, member_role, new_map, not_removed, nothing_to_change,
    put_str, put_time, require_member, run,
};
use crate::model::MAX_TEXT_CHARS;
use crate::model::error::{ModelError, Result};
use crate::model::schema::{child_obj, container, key};
use crate::model::text_field::{OwnSplice, splice_for_field};
use crate::model::types::{
    ConversationKind, Ctx, Date, Id, Party, PersonId, TaskStatus, check_label, check_len,
};

/// A new conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewConversation {
    /// The caller's id for the conversation.
    pub id: Id,
    /// What kind of conversation it is.
    pub kind: ConversationKind,
    /// The day it takes place.
    pub date: Date,
    /// The members who take part; at least one.
    pub participants: Vec<PersonId>,
}

fn live_conversation(doc: &AutoCommit, id: &Id) -> Result<ObjId> {
    let conversations = container(doc, &[key::CONVERSATIONS])?;
    let conv = existing(doc, &conversations, "conversation", id)?;
    not_removed(doc, &conv, "removed", "conversation", id)?;
    Ok(conv)
}

fn nested(doc: &AutoCommit, conv: &ObjId, name: &'static str, ty: ObjType) -> Result<ObjId> {
    child_obj(doc, conv, name, ty).ok_or(ModelError::MissingContainer(name))
}

/// Plans a conversation, with its inputs, notes and actions created in the
/// same change.
pub fn add_conversation(doc: &mut AutoCommit, ctx: &Ctx, new: &NewConversation) -> Result<()> {
    run(doc, ctx, "add_conversation", |doc| {
        require_member(doc, &ctx.person)?;
        let kind = new.kind.writable("conversation kind")?;
        if new.participants.is_empty() {
            return Err(ModelError::EmptyText {
                field: "participants",
            });
        }
        for p in &new.participants {
            member_role(doc, p)?;
        }
        let conversations = container(doc, &[key::CONVERSATIONS])?;
        fresh(doc, &conversations, "conversation", &new.id)?;
        let conv = new_map(doc, &conversations, new.id.as_str())?;
        put_str(doc, &conv, "kind", kind)?;
        put_str(doc, &conv, "date", &new.date.to_string())?;
        let participants = new_map(doc, &conv, key::PARTICIPANTS)?;
        for p in &new.participants {
            doc.put(&participants, p.as_str(), true)?;
        }
        let input = new_map(doc, &conv, key::INPUT)?;
        for party in Party::known() {
            put_str(doc, &input, party.as_str(), "")?;
        }
        doc.put_object(&conv, key::NOTES, ObjType::Text)?;
        new_map(doc, &conv, key::ACTIONS)?;
        put_str(doc, &conv, "created_by", ctx.person.as_str())?;
        put_time(doc, &conv, "created_at", ctx.now)?;
        doc.put(&conv, "removed", false)?;
        Ok(())
    })
}

/// Writes one party's own input before the meeting. Each party has its own
/// field, so parent and teacher views stand side by side.
pub fn set_conversation_input(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    id: &Id,
    party: &Party,
    text: &str,
) -> Result<()> {
    run(doc, ctx, "set_conversation_input", |doc| {
        require_member(doc, &ctx.person)?;
        let party = party.writable("party")?;
        check_len("conversation input", text, MAX_TEXT_CHARS)?;
        let conv = live_conversation(doc, id)?;
        let input = nested(doc, &conv, key::INPUT, ObjType::Map)?;
        put_str(doc, &input, party, text)
    })
}

/// Splices into the shared notes of a conversation (several people may
/// type during the meeting).
pub fn edit_conversation_notes(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    id: &Id,
    pos: usize,
    delete: usize,
    insert: &str,
) -> Result<()> {
    run(doc, ctx, "edit_conversation_notes", |doc| {
        require_member(doc, &ctx.person)?;
        if delete == 0 && insert.is_empty() {
            return Err(nothing_to_change());
        }
        check_len("notes", insert, MAX_TEXT_CHARS)?;
        let conv = live_conversation(doc, id)?;
        let notes = nested(doc, &conv, key::NOTES, ObjType::Text)?;
        splice_checked(doc, &notes, pos, delete, insert, "notes")
    })
}

/// The text object of a conversation's notes.
pub fn conversation_notes(doc: &AutoCommit, id: &Id) -> Result<ObjId> {
    let conv = live_conversation(doc, id)?;
    nested(doc, &conv, key::NOTES, ObjType::Text)
}

/// Commits what a person typed into the notes field: `value` typed over
/// `base`, the notes at `heads` (see
/// [`crate::model::text_field::splice_for_field`]).
pub fn edit_conversation_notes_over(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    id: &Id,
    heads: &[ChangeHash],
    base: &str,
    value: &str,
) -> Result<Option<OwnSplice>> {
    let notes = conversation_notes(doc, id)?;
    let Some(own) = splice_for_field(doc, &notes, heads, base, value)? else {
        return Ok(None);
    };
    let applied = &own.applied;
    edit_conversation_notes(doc, ctx, id, applied.pos, applied.delete, &applied.insert)?;
    Ok(Some(own))
}

/// Records an agreed action (what, who, when).
pub fn add_conversation_action(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    conversation: &Id,
    action: &Id,
    what: &str,
    owner: &PersonId,
    due: Option<Date>,
) -> Result<()> {
    run(doc, ctx, "add_conversation_action", |doc| {
        require_member(doc, &ctx.person)?;
        check_label("action", what, MAX_LABEL_CHARS)?;
        member_role(doc, owner)?;
        let conv = live_conversation(doc, conversation)?;
        let actions = nested(doc, &conv, key::ACTIONS, ObjType::Map)?;
        fresh(doc, &actions, "action", action)?;
        let a = new_map(doc, &actions, action.as_str())?;
        put_str(doc, &a, "what", what)?;
        put_str(doc, &a, "owner", owner.as_str())?;
        if let Some(due) = due {
            put_str(doc, &a, "due", &due.to_string())?;
        }
        put_str(doc, &a, "status", TaskStatus::Open.as_str())?;
        put_time(doc, &a, "created_at", ctx.now)?;
        Ok(())
    })
}

/// Marks an agreed action done or open.
pub fn set_action_status(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    conversation: &Id,
    action: &Id,
    status: &TaskStatus,
) -> Result<()> {
    run(doc, ctx, "set_action_status", |doc| {
        require_member(doc, &ctx.person)?;
        let status = status.writable("action status")?;
        let conv = live_conversation(doc, conversation)?;
        let actions = nested(doc, &conv, key::ACTIONS, ObjType::Map)?;
        let a = existing(doc, &actions, "action", action)?;
        put_str(doc, &a, "status", status)
    })
}

/// Removes a conversation that will not take place (tombstone).
pub fn remove_conversation(doc: &mut AutoCommit, ctx: &Ctx, id: &Id) -> Result<()> {
    run(doc, ctx, "remove_conversation", |doc| {
        require_member(doc, &ctx.person)?;
        let conv = live_conversation(doc, id)?;
        doc.put(&conv, "removed", true)?;
        Ok(())
    })
}
