//! The guidance agreement: co-edited sections, parent tasks, the
//! conversation arrangement, the evaluation date and signatures.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ChangeHash, ObjId, ObjType, ReadDoc, ScalarValue};

use super::{
    MAX_LABEL_CHARS, existing, fresh, member_role, new_map, not_removed, nothing_to_change,
    put_str, put_time, require_member, run,
};
use crate::model::MAX_TEXT_CHARS;
use crate::model::error::{ModelError, Result};
use crate::model::read::has_current_signature;
use crate::model::schema::{container, get_str, key, section_text};
use crate::model::signing::{TERMS_ENCODING_VERSION, terms_hash};
use crate::model::text_field::{OwnSplice, splice_for_field};
use crate::model::types::{
    AgreementSection, Ctx, Date, Id, PersonId, TaskStatus, check_label, check_len, hex,
};

/// Longest text of the conversation arrangement fields.
pub const MAX_ARRANGEMENT_CHARS: usize = 2_000;

/// Splices text into a section: deletes `delete` units at `pos` and inserts
/// `insert` there. Units are those of the document's text encoding (code
/// points by default, UTF-16 units when loaded that way for the browser).
/// A splice, not a replace, so two people typing in one section at once
/// both keep their words.
pub fn edit_agreement_section(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    section: AgreementSection,
    pos: usize,
    delete: usize,
    insert: &str,
) -> Result<()> {
    run(doc, ctx, "edit_agreement_section", |doc| {
        require_member(doc, &ctx.person)?;
        if delete == 0 && insert.is_empty() {
            return Err(nothing_to_change());
        }
        check_len("agreement section", insert, MAX_TEXT_CHARS)?;
        let text = section_text(doc, section)?;
        splice_checked(doc, &text, pos, delete, insert, "agreement section")
    })
}

/// Commits what a person typed into a section's field: `value` was typed
/// over `base`, the section's text at `heads`. The difference becomes one
/// splice, moved over what others changed since (see
/// [`crate::model::text_field`]), so everyone's words stay. Returns the
/// splice as typed and as applied, for moving the caret; `None` when the
/// field holds what it was given.
pub fn edit_agreement_section_over(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    section: AgreementSection,
    heads: &[ChangeHash],
    base: &str,
    value: &str,
) -> Result<Option<OwnSplice>> {
    let text = section_text(doc, section)?;
    let Some(own) = splice_for_field(doc, &text, heads, base, value)? else {
        return Ok(None);
    };
    let applied = &own.applied;
    edit_agreement_section(
        doc,
        ctx,
        section,
        applied.pos,
        applied.delete,
        &applied.insert,
    )?;
    Ok(Some(own))
}

/// Splices into a text object after checking the range, and refuses a
/// result longer than the limit.
pub(crate) fn splice_checked(
    doc: &mut AutoCommit,
    text: &ObjId,
    pos: usize,
    delete: usize,
    insert: &str,
    field: &'static str,
) -> Result<()> {
    let len = doc.length(text);
    let end = pos.saturating_add(delete);
    if pos > len || end > len {
        return Err(ModelError::RangeOutOfBounds { pos, end, len });
    }
    let delete =
        isize::try_from(delete).map_err(|_| ModelError::RangeOutOfBounds { pos, end, len })?;
    doc.splice_text(text, pos, delete, insert)?;
    let after = doc.text(text)?.chars().count();
    if after > MAX_TEXT_CHARS {
        return Err(ModelError::TextTooLong {
            field,
            len: after,
            max: MAX_TEXT_CHARS,
        });
    }
    Ok(())
}

fn tasks(doc: &AutoCommit) -> Result<ObjId> {
    container(doc, &[key::AGREEMENT, key::TASKS])
}

fn live_task(doc: &AutoCommit, id: &Id) -> Result<ObjId> {
    let task = existing(doc, &tasks(doc)?, "parent task", id)?;
    not_removed(doc, &task, "removed", "parent task", id)?;
    Ok(task)
}

/// Adds a concrete task for the parents (collecting materials, giving a
/// workshop, arranging an excursion).
pub fn add_parent_task(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    id: &Id,
    what: &str,
    who: &PersonId,
    due: Option<Date>,
) -> Result<()> {
    run(doc, ctx, "add_parent_task", |doc| {
        require_member(doc, &ctx.person)?;
        check_label("task", what, MAX_LABEL_CHARS)?;
        member_role(doc, who)?;
        let tasks = tasks(doc)?;
        fresh(doc, &tasks, "parent task", id)?;
        let task = new_map(doc, &tasks, id.as_str())?;
        put_str(doc, &task, "what", what)?;
        put_str(doc, &task, "who", who.as_str())?;
        if let Some(due) = due {
            put_str(doc, &task, "due", &due.to_string())?;
        }
        put_str(doc, &task, "status", TaskStatus::Open.as_str())?;
        put_str(doc, &task, "created_by", ctx.person.as_str())?;
        put_time(doc, &task, "created_at", ctx.now)?;
        doc.put(&task, "removed", false)?;
        Ok(())
    })
}

/// Changes to a parent task's terms; `None` leaves a field alone, and
/// `due: Some(None)` clears the due date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskEdit {
    /// New words for what the parents will do.
    pub what: Option<String>,
    /// Another member to do it.
    pub who: Option<PersonId>,
    /// A new due date, or `Some(None)` to clear it.
    pub due: Option<Option<Date>>,
}

/// Edits what a task is, who does it or when it is due. These are terms of
/// the agreement: signatures need renewing afterwards.
pub fn edit_parent_task(doc: &mut AutoCommit, ctx: &Ctx, id: &Id, edit: &TaskEdit) -> Result<()> {
    run(doc, ctx, "edit_parent_task", |doc| {
        require_member(doc, &ctx.person)?;
        if edit == &TaskEdit::default() {
            return Err(nothing_to_change());
        }
        if let Some(what) = &edit.what {
            check_label("task", what, MAX_LABEL_CHARS)?;
        }
        if let Some(who) = &edit.who {
            member_role(doc, who)?;
        }
        let task = live_task(doc, id)?;
        if let Some(what) = &edit.what {
            put_str(doc, &task, "what", what)?;
        }
        if let Some(who) = &edit.who {
            put_str(doc, &task, "who", who.as_str())?;
        }
        match &edit.due {
            Some(Some(due)) => put_str(doc, &task, "due", &due.to_string())?,
            Some(None) if doc.get(&task, "due")?.is_some() => doc.delete(&task, "due")?,
            _ => {}
        }
        Ok(())
    })
}

/// Marks a task done or open again. Progress, not a term: signatures stay.
pub fn set_parent_task_status(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    id: &Id,
    status: &TaskStatus,
) -> Result<()> {
    run(doc, ctx, "set_parent_task_status", |doc| {
        require_member(doc, &ctx.person)?;
        let status = status.writable("task status")?;
        let task = live_task(doc, id)?;
        put_str(doc, &task, "status", status)
    })
}

/// Removes a task from the agreement (tombstone).
pub fn remove_parent_task(doc: &mut AutoCommit, ctx: &Ctx, id: &Id) -> Result<()> {
    run(doc, ctx, "remove_parent_task", |doc| {
        require_member(doc, &ctx.person)?;
        let task = live_task(doc, id)?;
        doc.put(&task, "removed", true)?;
        Ok(())
    })
}

/// Sets how often progress is discussed and with whom; `None` leaves a
/// field alone, an empty string clears it.
pub fn set_conversation_arrangement(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    how_often: Option<&str>,
    with_whom: Option<&str>,
) -> Result<()> {
    run(doc, ctx, "set_conversation_arrangement", |doc| {
        require_member(doc, &ctx.person)?;
        if how_often.is_none() && with_whom.is_none() {
            return Err(nothing_to_change());
        }
        let arrangement = container(doc, &[key::AGREEMENT, key::ARRANGEMENT])?;
        if let Some(v) = how_often {
            check_len("how often", v, MAX_ARRANGEMENT_CHARS)?;
            put_str(doc, &arrangement, "how_often", v)?;
        }
        if let Some(v) = with_whom {
            check_len("with whom", v, MAX_ARRANGEMENT_CHARS)?;
            put_str(doc, &arrangement, "with_whom", v)?;
        }
        Ok(())
    })
}

/// Sets or clears the date on which the agreement is evaluated.
pub fn set_evaluation_date(doc: &mut AutoCommit, ctx: &Ctx, date: Option<Date>) -> Result<()> {
    run(doc, ctx, "set_evaluation_date", |doc| {
        require_member(doc, &ctx.person)?;
        let agreement = container(doc, &[key::AGREEMENT])?;
        match date {
            Some(d) => put_str(doc, &agreement, key::EVALUATION_DATE, &d.to_string()),
            None if doc.get(&agreement, key::EVALUATION_DATE)?.is_some() => {
                doc.delete(&agreement, key::EVALUATION_DATE)?;
                Ok(())
            }
            None => Err(nothing_to_change()),
        }
    })
}

/// Signs the agreed terms as they are now, recording the heads (so the UI
/// can show exactly what was signed) and the hash of the canonical terms
/// (see [`crate::model::signing::encode_terms`]). Returns the hash.
pub fn sign_agreement(doc: &mut AutoCommit, ctx: &Ctx, signature: &Id) -> Result<[u8; 32]> {
    run(doc, ctx, "sign_agreement", |doc| {
        // Before any write, so no transaction is open and these are the
        // heads of exactly what is being signed.
        let heads = doc.get_heads();
        let role = require_member(doc, &ctx.person)?;
        let role = role.writable("role")?;
        let hash = terms_hash(doc)?;
        if has_current_signature(doc, &ctx.person, &hash)? {
            return Err(ModelError::AlreadyExists {
                kind: "signature of these terms by",
                id: ctx.person.to_string(),
            });
        }
        let signatures = container(doc, &[key::AGREEMENT, key::SIGNATURES])?;
        fresh(doc, &signatures, "signature", signature)?;
        let sig = new_map(doc, &signatures, signature.as_str())?;
        put_str(doc, &sig, "person", ctx.person.as_str())?;
        put_str(doc, &sig, "role", role)?;
        put_time(doc, &sig, "signed_at", ctx.now)?;
        let list = doc.put_object(&sig, key::HEADS, ObjType::List)?;
        for (i, h) in heads.iter().enumerate() {
            doc.insert(&list, i, hex(&h.0))?;
        }
        doc.put(&sig, "terms_hash", ScalarValue::Bytes(hash.to_vec()))?;
        doc.put(
            &sig,
            "encoding",
            ScalarValue::Uint(u64::from(TERMS_ENCODING_VERSION)),
        )?;
        Ok(hash)
    })
}

/// Attaches the signing device's Ed25519 signature (64 bytes) to a
/// signature record; see [`crate::model::signing::device_signature_message`]
/// for what it signs. Only the signer's own devices do this.
pub fn attach_device_signature(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    signature: &Id,
    device_signature: &[u8; 64],
) -> Result<()> {
    run(doc, ctx, "attach_device_signature", |doc| {
        require_member(doc, &ctx.person)?;
        let signatures = container(doc, &[key::AGREEMENT, key::SIGNATURES])?;
        let sig = existing(doc, &signatures, "signature", signature)?;
        if get_str(doc, &sig, "person").as_deref() != Some(ctx.person.as_str()) {
            return Err(ModelError::NotAuthor { kind: "signature" });
        }
        doc.put(
            &sig,
            "device_signature",
            ScalarValue::Bytes(device_signature.to_vec()),
        )?;
        Ok(())
    })
}
