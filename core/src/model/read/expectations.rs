//! The mutual expectations: three lists of points, each with its marks of
//! agreement and comments.

use std::collections::BTreeMap;

use automerge::AutoCommit;
use autosurgeon::Hydrate;

use crate::model::error::Result;
use crate::model::schema::{container, key};

use crate::model::types::{ExpectationList, ExpectationStatus, Id, Party, PersonId, Timestamp};

use super::comments::{Comment, CommentDoc, comments};
use super::hydrate::*;

#[derive(Hydrate)]
struct ExpectationDoc {
    #[autosurgeon(missing = "String::new")]
    text: String,
    #[autosurgeon(missing = "Option::default")]
    proposed_by: Option<Id>,
    #[autosurgeon(missing = "zero")]
    proposed_at: i64,
    #[autosurgeon(missing = "proposed")]
    status: ExpectationStatus,
    #[autosurgeon(missing = "BTreeMap::new")]
    marks: BTreeMap<String, Id>,
    #[autosurgeon(missing = "BTreeMap::new")]
    comments: BTreeMap<String, CommentDoc>,
}

/// A party's mark that it agrees with a point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreementMark {
    /// The side of the triangle that agrees.
    pub party: Party,
    /// The member who marked it for that side.
    pub person: PersonId,
}

/// One point on an expectation list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    /// The point's own id.
    pub id: Id,
    /// The list the point is on.
    pub list: ExpectationList,
    /// The words of the point.
    pub text: String,
    /// Who proposed it, if known.
    pub proposed_by: Option<PersonId>,
    /// When it was proposed (caller's clock, ms).
    pub proposed_at: Timestamp,
    /// Where the point stands.
    pub status: ExpectationStatus,
    /// The parties that agree with the current words.
    pub marks: Vec<AgreementMark>,
    /// The discussion of the point, oldest first.
    pub comments: Vec<Comment>,
}

/// The three lists, each in the order points were proposed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expectations {
    /// What the parents expect of the school.
    pub parents_of_school: Vec<Expectation>,
    /// What the school expects of the parents.
    pub school_of_parents: Vec<Expectation>,
    /// What is expected of the child.
    pub of_child: Vec<Expectation>,
}

impl Expectations {
    /// The points on one of the three lists.
    pub fn list(&self, list: ExpectationList) -> &[Expectation] {
        match list {
            ExpectationList::ParentsOfSchool => &self.parents_of_school,
            ExpectationList::SchoolOfParents => &self.school_of_parents,
            ExpectationList::OfChild => &self.of_child,
        }
    }
}

/// The mutual expectations.
pub fn expectations(doc: &AutoCommit) -> Result<Expectations> {
    let root = container(doc, &[key::EXPECTATIONS])?;
    let read = |list: ExpectationList| -> Result<Vec<Expectation>> {
        let stored: Option<BTreeMap<String, ExpectationDoc>> = opt(doc, &root, list.key())?;
        let mut out: Vec<Expectation> = stored
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(id, e)| {
                Some(Expectation {
                    id: Id::new(id).ok()?,
                    list,
                    text: e.text,
                    proposed_by: e.proposed_by,
                    proposed_at: e.proposed_at,
                    status: e.status,
                    marks: e
                        .marks
                        .into_iter()
                        .map(|(party, person)| AgreementMark {
                            party: Party::parse(&party),
                            person,
                        })
                        .collect(),
                    comments: comments(e.comments),
                })
            })
            .collect();
        out.sort_by(|a, b| (a.proposed_at, &a.id).cmp(&(b.proposed_at, &b.id)));
        Ok(out)
    };
    Ok(Expectations {
        parents_of_school: read(ExpectationList::ParentsOfSchool)?,
        school_of_parents: read(ExpectationList::SchoolOfParents)?,
        of_child: read(ExpectationList::OfChild)?,
    })
}
