//! Mutual expectations: three lists, each point proposed by anyone, then
//! discussed and agreed by every party.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc};

use super::logbook::write_comment;
use super::{existing, fresh, new_map, put_str, put_time, require_member, run};
use crate::model::error::{ModelError, Result};
use crate::model::schema::{child_obj, container, get_str, key};
use crate::model::types::{Ctx, ExpectationList, ExpectationStatus, Id, check_text};

fn expectation(doc: &AutoCommit, list: ExpectationList, id: &Id) -> Result<ObjId> {
    let list = container(doc, &[key::EXPECTATIONS, list.key()])?;
    existing(doc, &list, "expectation", id)
}

fn marks(doc: &AutoCommit, exp: &ObjId) -> Result<ObjId> {
    child_obj(doc, exp, key::MARKS, ObjType::Map).ok_or(ModelError::MissingContainer(key::MARKS))
}

/// Proposes a point on one of the three lists.
pub fn propose_expectation(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    list: ExpectationList,
    id: &Id,
    text: &str,
) -> Result<()> {
    run(doc, ctx, "propose_expectation", |doc| {
        require_member(doc, &ctx.person)?;
        check_text("expectation", text)?;
        let list = container(doc, &[key::EXPECTATIONS, list.key()])?;
        fresh(doc, &list, "expectation", id)?;
        let exp = new_map(doc, &list, id.as_str())?;
        put_str(doc, &exp, "text", text)?;
        put_str(doc, &exp, "proposed_by", ctx.person.as_str())?;
        put_time(doc, &exp, "proposed_at", ctx.now)?;
        put_str(doc, &exp, "status", ExpectationStatus::Proposed.as_str())?;
        new_map(doc, &exp, key::MARKS)?;
        new_map(doc, &exp, key::COMMENTS)?;
        Ok(())
    })
}

/// Rewords a point. Agreement marks given to the old words are cleared:
/// agreeing to other words is not agreeing to these.
pub fn edit_expectation(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    list: ExpectationList,
    id: &Id,
    text: &str,
) -> Result<()> {
    run(doc, ctx, "edit_expectation", |doc| {
        require_member(doc, &ctx.person)?;
        check_text("expectation", text)?;
        let exp = expectation(doc, list, id)?;
        if get_str(doc, &exp, "text").as_deref() == Some(text) {
            return Err(super::nothing_to_change());
        }
        put_str(doc, &exp, "text", text)?;
        let marks = marks(doc, &exp)?;
        let given: Vec<String> = doc.keys(&marks).collect();
        for party in given {
            doc.delete(&marks, party.as_str())?;
        }
        Ok(())
    })
}

/// Sets where a point stands (agreed, to revisit, dropped, ...).
pub fn set_expectation_status(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    list: ExpectationList,
    id: &Id,
    status: &ExpectationStatus,
) -> Result<()> {
    run(doc, ctx, "set_expectation_status", |doc| {
        require_member(doc, &ctx.person)?;
        let status = status.writable("expectation status")?;
        let exp = expectation(doc, list, id)?;
        put_str(doc, &exp, "status", status)?;
        Ok(())
    })
}

/// Marks (or unmarks) that the acting person's party agrees with a point.
/// The party follows from the person's role; one mark per party, so two
/// parents agreeing at once converge on one mark.
pub fn mark_agreement(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    list: ExpectationList,
    id: &Id,
    agreed: bool,
) -> Result<()> {
    run(doc, ctx, "mark_agreement", |doc| {
        let role = require_member(doc, &ctx.person)?;
        let party = role.party().ok_or_else(|| ModelError::UnknownValue {
            field: "role",
            value: role.to_string(),
        })?;
        let exp = expectation(doc, list, id)?;
        let marks = marks(doc, &exp)?;
        if agreed {
            put_str(doc, &marks, party.as_str(), ctx.person.as_str())?;
        } else if doc.get(&marks, party.as_str())?.is_some() {
            doc.delete(&marks, party.as_str())?;
        } else {
            return Err(ModelError::NotFound {
                kind: "agreement mark",
                id: party.to_string(),
            });
        }
        Ok(())
    })
}

/// Adds a discussion comment to a point.
pub fn comment_on_expectation(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    list: ExpectationList,
    id: &Id,
    comment: &Id,
    body: &str,
) -> Result<()> {
    run(doc, ctx, "comment_on_expectation", |doc| {
        require_member(doc, &ctx.person)?;
        check_text("comment", body)?;
        let exp = expectation(doc, list, id)?;
        let comments = child_obj(doc, &exp, key::COMMENTS, ObjType::Map)
            .ok_or(ModelError::MissingContainer(key::COMMENTS))?;
        fresh(doc, &comments, "comment", comment)?;
        write_comment(doc, &comments, comment, ctx, body)
    })
}
