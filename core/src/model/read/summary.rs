//! The dossier's own details: the child, the class, the school year, and what
//! this version of the app may do with the document.

use automerge::{AutoCommit, ROOT};
use autosurgeon::Hydrate;

use crate::model::error::{ModelError, Result};
use crate::model::schema::{Access, access, key, schema_version};

use crate::model::types::{Id, PersonId, Timestamp};

use super::hydrate::*;

#[derive(Hydrate)]
pub(super) struct DossierDoc {
    #[autosurgeon(missing = "String::new")]
    child_name: String,
    #[autosurgeon(missing = "String::new")]
    group: String,
    #[autosurgeon(missing = "String::new")]
    school_year: String,
    #[autosurgeon(missing = "zero")]
    created_at: i64,
    #[autosurgeon(missing = "Option::default")]
    pub(super) created_by: Option<Id>,
}

/// The child's details and the state of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DossierSummary {
    /// The schema version recorded in the document.
    pub schema_version: u64,
    /// Whether this version may change the dossier or only show it.
    pub access: Access,
    /// The child's name.
    pub child_name: String,
    /// The child's group or class, for example "groep 5".
    pub group: String,
    /// As stored (`2025-2026`); see [`crate::model::types::SchoolYear::parse`].
    pub school_year: String,
    /// When the dossier was created (creator's clock, ms).
    pub created_at: Timestamp,
    /// The member who created it, if recorded.
    pub created_by: Option<PersonId>,
}

/// The dossier's own details.
pub fn dossier_summary(doc: &AutoCommit) -> Result<DossierSummary> {
    let version = schema_version(doc).ok_or(ModelError::NotADossier)?;
    let d: DossierDoc =
        opt::<DossierDoc>(doc, ROOT, key::DOSSIER)?.ok_or(ModelError::NotADossier)?;
    Ok(DossierSummary {
        schema_version: version,
        access: access(doc)?,
        child_name: d.child_name,
        group: d.group,
        school_year: d.school_year,
        created_at: d.created_at,
        created_by: d.created_by,
    })
}
