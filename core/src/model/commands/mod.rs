//! Commands: one small function per action a person takes.
//!
//! Every command takes the document, a [`Ctx`] (who acts, and when) and its
//! input; it validates everything, writes only the exact paths it changes
//! (never a partial struct onto a map, which would delete keys it did not
//! see), and commits once with `{person, command}` as the message. On any
//! error nothing is written. Ids of new items come from the caller (see
//! [`Id::random`]), so a draft knows its id before it is committed.

mod agreement;
mod conversations;
mod expectations;
mod logbook;
mod members;
mod sharing;

pub use agreement::*;
pub use conversations::*;
pub use expectations::*;
pub use logbook::*;
pub use members::*;
pub use sharing::*;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue};

use super::error::{ModelError, Result};
use super::history::Attribution;
use super::schema::{SCHEMA_VERSION, check_writable, container, get_str, item, key};
use super::types::{
    AgreementSection, Ctx, ExpectationList, Id, PersonId, Role, SchoolYear, Timestamp, check_label,
    check_timestamp,
};

/// Longest name, title or tag.
pub const MAX_LABEL_CHARS: usize = 200;

/// Runs one command: checks the context, runs `f`, and commits with the
/// attribution message, or rolls everything back if `f` fails.
pub(crate) fn run<T>(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    command: &'static str,
    f: impl FnOnce(&mut AutoCommit) -> Result<T>,
) -> Result<T> {
    check_timestamp(ctx.now)?;
    if doc.pending_ops() > 0 {
        return Err(ModelError::UncommittedChanges);
    }
    check_writable(doc)?;
    match f(doc) {
        Ok(value) => {
            commit(doc, ctx, command);
            Ok(value)
        }
        Err(e) => {
            doc.rollback();
            Err(e)
        }
    }
}

fn commit(doc: &mut AutoCommit, ctx: &Ctx, command: &'static str) {
    let message = Attribution {
        person: ctx.person.to_string(),
        command: command.to_string(),
    }
    .to_message();
    // Automerge documents the commit time as seconds.
    doc.commit_with(
        CommitOptions::default()
            .with_message(message)
            .with_time(ctx.now / 1000),
    );
}

/// The role of a member, or an error if `person` is not one.
pub(crate) fn member_role(doc: &AutoCommit, person: &PersonId) -> Result<Role> {
    let people = container(doc, &[key::MEMBERS, key::PEOPLE])?;
    let not_member = || ModelError::NotAMember {
        person: person.to_string(),
    };
    let member = item(doc, &people, person.as_str()).ok_or_else(not_member)?;
    // A removed member's old copy may still merge in later; what they do
    // in it is refused like a stranger's.
    if doc.get(&member, "removed_at")?.is_some() {
        return Err(not_member());
    }
    Ok(Role::parse(
        &get_str(doc, &member, "role").unwrap_or_default(),
    ))
}

pub(crate) fn require_member(doc: &AutoCommit, person: &PersonId) -> Result<Role> {
    member_role(doc, person)
}

/// An existing item under `parent[id]`.
pub(crate) fn existing(
    doc: &AutoCommit,
    parent: &ObjId,
    kind: &'static str,
    id: &Id,
) -> Result<ObjId> {
    item(doc, parent, id.as_str()).ok_or_else(|| ModelError::NotFound {
        kind,
        id: id.to_string(),
    })
}

/// Refuses an id that is already taken under `parent`.
pub(crate) fn fresh(doc: &AutoCommit, parent: &ObjId, kind: &'static str, id: &Id) -> Result<()> {
    match doc.get(parent, id.as_str())? {
        Some(_) => Err(ModelError::AlreadyExists {
            kind,
            id: id.to_string(),
        }),
        None => Ok(()),
    }
}

/// Refuses an item that carries a tombstone flag.
pub(crate) fn not_removed(
    doc: &AutoCommit,
    obj: &ObjId,
    flag: &str,
    kind: &'static str,
    id: &Id,
) -> Result<()> {
    if super::schema::get_bool(doc, obj, flag) {
        Err(ModelError::Deleted {
            kind,
            id: id.to_string(),
        })
    } else {
        Ok(())
    }
}

pub(crate) fn put_str(doc: &mut AutoCommit, obj: &ObjId, key: &str, value: &str) -> Result<()> {
    doc.put(obj, key, value)?;
    Ok(())
}

pub(crate) fn put_time(doc: &mut AutoCommit, obj: &ObjId, key: &str, t: Timestamp) -> Result<()> {
    doc.put(obj, key, ScalarValue::Int(t))?;
    Ok(())
}

pub(crate) fn new_map(doc: &mut AutoCommit, parent: &ObjId, key: &str) -> Result<ObjId> {
    Ok(doc.put_object(parent, key, ObjType::Map)?)
}

/// What a new dossier starts with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDossier {
    /// The child's name, as the partnership calls them.
    pub child_name: String,
    /// The group or class, for example "groep 5" or "1B".
    pub group: String,
    /// The school year the dossier starts in.
    pub school_year: SchoolYear,
    /// The creator becomes the first member, with id `ctx.person`.
    pub creator_name: String,
    /// The creator's role in the partnership.
    pub creator_role: Role,
}

/// Creates a dossier in an empty document, with every container it will
/// ever have, in one change. This is the only function that creates
/// containers below the root; devices that join load this change instead
/// of creating their own, because two devices that each create `logbook`
/// offline end up with one of the two maps, and the other's entries gone.
pub fn create_dossier(doc: &mut AutoCommit, ctx: &Ctx, new: &NewDossier) -> Result<()> {
    check_timestamp(ctx.now)?;
    if doc.pending_ops() > 0 {
        return Err(ModelError::UncommittedChanges);
    }
    if !doc.get_heads().is_empty() {
        return Err(ModelError::AlreadyCreated);
    }
    check_label("child name", &new.child_name, MAX_LABEL_CHARS)?;
    check_label("group", &new.group, MAX_LABEL_CHARS)?;
    check_label("name", &new.creator_name, MAX_LABEL_CHARS)?;
    let role = new.creator_role.writable("role")?;

    let result = (|| -> Result<()> {
        doc.put(ROOT, key::SCHEMA, ScalarValue::Uint(SCHEMA_VERSION))?;

        let dossier = new_map(doc, &ROOT, key::DOSSIER)?;
        put_str(doc, &dossier, "child_name", &new.child_name)?;
        put_str(doc, &dossier, "group", &new.group)?;
        put_str(doc, &dossier, "school_year", &new.school_year.to_string())?;
        put_time(doc, &dossier, "created_at", ctx.now)?;
        put_str(doc, &dossier, "created_by", ctx.person.as_str())?;

        let members = new_map(doc, &ROOT, key::MEMBERS)?;
        let people = new_map(doc, &members, key::PEOPLE)?;
        new_map(doc, &members, key::DEVICES)?;
        let me = new_map(doc, &people, ctx.person.as_str())?;
        put_str(doc, &me, "name", &new.creator_name)?;
        put_str(doc, &me, "role", role)?;
        put_time(doc, &me, "joined_at", ctx.now)?;

        new_map(doc, &ROOT, key::LOGBOOK)?;

        let expectations = new_map(doc, &ROOT, key::EXPECTATIONS)?;
        for list in ExpectationList::ALL {
            new_map(doc, &expectations, list.key())?;
        }

        let agreement = new_map(doc, &ROOT, key::AGREEMENT)?;
        let sections = new_map(doc, &agreement, key::SECTIONS)?;
        for section in AgreementSection::ALL {
            doc.put_object(&sections, section.key(), ObjType::Text)?;
        }
        new_map(doc, &agreement, key::TASKS)?;
        let arrangement = new_map(doc, &agreement, key::ARRANGEMENT)?;
        put_str(doc, &arrangement, "how_often", "")?;
        put_str(doc, &arrangement, "with_whom", "")?;
        new_map(doc, &agreement, key::SIGNATURES)?;

        for k in [
            key::CONVERSATIONS,
            key::PROMPTS,
            key::SOURCES,
            key::MEASUREMENT,
        ] {
            new_map(doc, &ROOT, k)?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => {
            commit(doc, ctx, "create_dossier");
            Ok(())
        }
        Err(e) => {
            doc.rollback();
            Err(e)
        }
    }
}

/// Changes to the dossier's own details; `None` leaves a field alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DossierEdit {
    /// A new name for the child.
    pub child_name: Option<String>,
    /// A new group or class.
    pub group: Option<String>,
    /// A new school year.
    pub school_year: Option<SchoolYear>,
}

/// Edits the child's details (a new school year, a new group).
pub fn edit_dossier(doc: &mut AutoCommit, ctx: &Ctx, edit: &DossierEdit) -> Result<()> {
    run(doc, ctx, "edit_dossier", |doc| {
        require_member(doc, &ctx.person)?;
        if let Some(name) = &edit.child_name {
            check_label("child name", name, MAX_LABEL_CHARS)?;
        }
        if let Some(group) = &edit.group {
            check_label("group", group, MAX_LABEL_CHARS)?;
        }
        if edit == &DossierEdit::default() {
            return Err(nothing_to_change());
        }
        let dossier = container(doc, &[key::DOSSIER])?;
        if let Some(name) = &edit.child_name {
            put_str(doc, &dossier, "child_name", name)?;
        }
        if let Some(group) = &edit.group {
            put_str(doc, &dossier, "group", group)?;
        }
        if let Some(year) = &edit.school_year {
            put_str(doc, &dossier, "school_year", &year.to_string())?;
        }
        Ok(())
    })
}

pub(crate) fn nothing_to_change() -> ModelError {
    ModelError::Invalid {
        field: "change",
        reason: "there is nothing to change".into(),
    }
}
