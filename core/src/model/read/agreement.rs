//! The guidance agreement as shown: its terms with every signature and whether
//! it still counts.

use std::collections::BTreeMap;

use automerge::{AutoCommit, ChangeHash};
use autosurgeon::Hydrate;
use autosurgeon::bytes::ByteVec;

use crate::model::error::Result;
use crate::model::schema::{container, key};
use crate::model::signing::{SignatureState, TERMS_ENCODING_VERSION, signature_state, terms_hash};
use crate::model::types::{AgreementSection, Date, Id, PersonId, Role, Timestamp};

use super::hydrate::*;
use super::terms::{
    ConversationArrangement, ParentTask, arrangement, evaluation_date, parent_tasks, section,
};

#[derive(Hydrate)]
struct SignatureDoc {
    person: Id,
    #[autosurgeon(missing = "unknown_role")]
    role: Role,
    #[autosurgeon(missing = "zero")]
    signed_at: i64,
    #[autosurgeon(missing = "Vec::new")]
    heads: Vec<String>,
    terms_hash: ByteVec,
    #[autosurgeon(missing = "zero_u64")]
    encoding: u64,
    #[autosurgeon(missing = "Option::default")]
    device_signature: Option<ByteVec>,
}

fn zero_u64() -> u64 {
    0
}

/// A signature under the agreement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The signature's own id in the document.
    pub id: Id,
    /// The member who signed.
    pub person: PersonId,
    /// The role at the time of signing.
    pub role: Role,
    /// When they signed (signing device's clock, ms).
    pub signed_at: Timestamp,
    /// The document's heads when signing: `fork_at`/`text_at` these to show
    /// exactly what was signed, or diff them against now.
    pub heads: Vec<ChangeHash>,
    /// SHA-256 of the terms as signed, in the encoding `encoding`.
    pub terms_hash: Vec<u8>,
    /// The version of [`encode_terms`](crate::model::signing::encode_terms) the hash was made with.
    pub encoding: u64,
    /// The signing device's Ed25519 signature, once sync has added it.
    /// Without one, a signature reads as unverified.
    pub device_signature: Option<Vec<u8>>,
    /// Whether the signature still counts against the terms as they are now.
    pub state: SignatureState,
}

/// Every signature ever given, oldest first.
pub fn all_signatures(doc: &AutoCommit) -> Result<Vec<Signature>> {
    let current = terms_hash(doc)?;
    let agreement = container(doc, &[key::AGREEMENT])?;
    let stored: Option<BTreeMap<String, SignatureDoc>> = opt(doc, &agreement, key::SIGNATURES)?;
    let mut out: Vec<Signature> = stored
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(id, s)| {
            let terms_hash: Vec<u8> = s.terms_hash.into();
            Some(Signature {
                id: Id::new(id).ok()?,
                state: signature_state(s.encoding, &terms_hash, &current),
                person: s.person,
                role: s.role,
                signed_at: s.signed_at,
                heads: s.heads.iter().filter_map(|h| h.parse().ok()).collect(),
                terms_hash,
                encoding: s.encoding,
                device_signature: s.device_signature.map(Into::into),
            })
        })
        .collect();
    out.sort_by(|a, b| (a.signed_at, &a.id).cmp(&(b.signed_at, &b.id)));
    Ok(out)
}

/// The guidance agreement as shown and printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuidanceAgreement {
    /// Every section, in [`AgreementSection::ALL`] order.
    pub sections: Vec<(AgreementSection, String)>,
    /// The parents' live tasks, in the order they were added.
    pub tasks: Vec<ParentTask>,
    /// How often and with whom progress is discussed.
    pub arrangement: ConversationArrangement,
    /// When the agreement is evaluated, if a date was set.
    pub evaluation_date: Option<Date>,
    /// Each person's latest signature.
    pub signatures: Vec<Signature>,
    /// The hash of the current terms; a signature is valid while it matches.
    pub terms_hash: [u8; 32],
}

impl GuidanceAgreement {
    /// The text of one section; empty when there is none.
    pub fn section(&self, section: AgreementSection) -> &str {
        self.sections
            .iter()
            .find(|(s, _)| *s == section)
            .map(|(_, t)| t.as_str())
            .unwrap_or("")
    }
}

/// The agreement with each person's latest signature and its state.
pub fn agreement(doc: &AutoCommit) -> Result<GuidanceAgreement> {
    let mut latest: BTreeMap<PersonId, Signature> = BTreeMap::new();
    for s in all_signatures(doc)? {
        latest.insert(s.person.clone(), s);
    }
    let mut signatures: Vec<Signature> = latest.into_values().collect();
    signatures.sort_by(|a, b| (a.signed_at, &a.id).cmp(&(b.signed_at, &b.id)));
    Ok(GuidanceAgreement {
        sections: AgreementSection::ALL
            .iter()
            .map(|s| Ok((*s, section(doc, *s)?)))
            .collect::<Result<_>>()?,
        tasks: parent_tasks(doc)?,
        arrangement: arrangement(doc)?,
        evaluation_date: evaluation_date(doc)?,
        signatures,
        terms_hash: terms_hash(doc)?,
    })
}

/// Whether `person` already has a valid signature over `hash`.
pub(crate) fn has_current_signature(
    doc: &AutoCommit,
    person: &PersonId,
    hash: &[u8; 32],
) -> Result<bool> {
    Ok(all_signatures(doc)?
        .into_iter()
        .rfind(|s| &s.person == person)
        .is_some_and(|s| s.encoding == u64::from(TERMS_ENCODING_VERSION) && s.terms_hash == hash))
}
