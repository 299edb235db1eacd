//! Hydration helpers shared by the section reads: defaults for fields an
//! older document lacks, and values read leniently.

use automerge::{AutoCommit, ObjId};
use autosurgeon::{Hydrate, HydrateError, MaybeMissing, hydrate_prop};

use crate::model::error::Result;

use crate::model::types::{ConversationKind, ExpectationStatus, Role, SourceKind, TaskStatus};

pub(super) fn no() -> bool {
    false
}
pub(super) fn zero() -> i64 {
    0
}
pub(super) fn proposed() -> ExpectationStatus {
    ExpectationStatus::Proposed
}
pub(super) fn open() -> TaskStatus {
    TaskStatus::Open
}
pub(super) fn other_conversation() -> ConversationKind {
    ConversationKind::Other
}
pub(super) fn other_source() -> SourceKind {
    SourceKind::Other
}
pub(super) fn unknown_role() -> Role {
    Role::Unknown(String::new())
}

/// Accepts any value: for maps used as sets, where only the keys matter.
pub(super) struct Present;

impl Hydrate for Present {
    fn hydrate<D: autosurgeon::ReadDoc>(
        _doc: &D,
        _obj: &ObjId,
        _prop: autosurgeon::Prop<'_>,
    ) -> Result<Self, HydrateError> {
        Ok(Present)
    }
}

/// Text from either a Text object or a plain string, so a field may change
/// representation between versions without breaking older readers.
pub(super) struct AnyText(pub(super) String);

impl Hydrate for AnyText {
    fn hydrate_string(s: &str) -> Result<Self, HydrateError> {
        Ok(AnyText(s.to_string()))
    }
    fn hydrate_text<D: autosurgeon::ReadDoc>(doc: &D, obj: &ObjId) -> Result<Self, HydrateError> {
        Ok(AnyText(doc.text(obj)?))
    }
    fn hydrate_none() -> Result<Self, HydrateError> {
        Ok(AnyText(String::new()))
    }
}

/// A value that may be absent: autosurgeon's `Option` wants an explicit null.
pub(crate) fn opt<T: Hydrate>(
    doc: &AutoCommit,
    obj: impl AsRef<ObjId>,
    key: &str,
) -> Result<Option<T>> {
    Ok(
        match hydrate_prop::<_, MaybeMissing<T>, _, _>(doc, obj, key)? {
            MaybeMissing::Missing => None,
            MaybeMissing::Present(v) => Some(v),
        },
    )
}

pub(super) fn empty_text() -> AnyText {
    AnyText(String::new())
}
