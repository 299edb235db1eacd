//! What a signature under the guidance agreement covers.
//!
//! A signature records the SHA-256 of a canonical, versioned encoding of
//! the agreed terms ([`encode_terms`]). It counts only while that hash
//! matches the terms as they are now; after any change to a term it reads
//! "needs signing again". Progress (a task being done) is not a term.

use automerge::AutoCommit;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use super::error::Result;
use super::read::{ConversationArrangement, arrangement, evaluation_date, parent_tasks, section};
use super::types::{AgreementSection, Date, PersonId};

/// The version of [`encode_terms`] this build writes and can check.
pub const TERMS_ENCODING_VERSION: u32 = 1;

/// Domain separation, so these bytes can never be mistaken for another
/// hashed structure.
const TERMS_TAG: &[u8] = b"driehoek-agreed-terms";
const DEVICE_SIGNATURE_TAG: &[u8] = b"driehoek-agreement-signature";

/// One parent task as a term: what, who and when, but not whether it is done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskTerm {
    /// What the parents will do.
    pub what: String,
    /// Who will do it, if someone was named.
    pub who: Option<PersonId>,
    /// When it should be done, if a date was agreed.
    pub due: Option<Date>,
}

/// Everything that a signature covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreedTerms {
    /// All sections in [`AgreementSection::ALL`] order.
    pub sections: Vec<(AgreementSection, String)>,
    /// Live tasks in the order they were added (creation time, then id).
    pub tasks: Vec<TaskTerm>,
    /// How often and with whom progress is discussed.
    pub arrangement: ConversationArrangement,
    /// When the agreement is evaluated, if a date was set.
    pub evaluation_date: Option<Date>,
}

/// Reads the agreed terms from the document.
pub fn agreed_terms(doc: &AutoCommit) -> Result<AgreedTerms> {
    Ok(AgreedTerms {
        sections: AgreementSection::ALL
            .iter()
            .map(|s| Ok((*s, section(doc, *s)?)))
            .collect::<Result<_>>()?,
        tasks: parent_tasks(doc)?
            .into_iter()
            .map(|t| TaskTerm {
                what: t.what,
                who: t.who,
                due: t.due,
            })
            .collect(),
        arrangement: arrangement(doc)?,
        evaluation_date: evaluation_date(doc)?,
    })
}

fn field(out: &mut Vec<u8>, bytes: &[u8]) {
    // Length-prefixed, so no choice of text can make two different term
    // lists encode to the same bytes.
    out.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
    out.extend_from_slice(bytes);
}

fn text(out: &mut Vec<u8>, s: &str) {
    let normalised: String = s.nfc().collect();
    field(out, normalised.as_bytes());
}

/// The canonical encoding of the agreed terms, version 1.
///
/// Every value is written as a field: its byte length as a big-endian u64,
/// then its bytes. Text is NFC-normalised UTF-8 first, so the same words
/// typed on different keyboards hash the same. In this order:
///
/// 1. the bytes `driehoek-agreed-terms`, then the version as a big-endian u32;
/// 2. each section in [`AgreementSection::ALL`] order (goals, approach at
///    school, approach at home, reachability, privacy): its key, then its text;
/// 3. `tasks`, then the number of live tasks as a big-endian u64, then per
///    task in order of adding: what, who (person id, or empty), due date
///    (`YYYY-MM-DD`, or empty). Whether a task is done is progress, not a
///    term, and is left out; so are ids and times;
/// 4. `how_often` and its text, `with_whom` and its text;
/// 5. `evaluation_date` and the date (`YYYY-MM-DD`, or empty).
///
/// Changing anything here means a new version; old signatures keep their
/// version and read as unverifiable rather than outdated.
pub fn encode_terms(terms: &AgreedTerms) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(TERMS_TAG);
    out.extend_from_slice(&TERMS_ENCODING_VERSION.to_be_bytes());
    for (section, body) in &terms.sections {
        text(&mut out, section.key());
        text(&mut out, body);
    }
    text(&mut out, "tasks");
    out.extend_from_slice(&(terms.tasks.len() as u64).to_be_bytes());
    for task in &terms.tasks {
        text(&mut out, &task.what);
        text(
            &mut out,
            task.who.as_ref().map(|p| p.as_str()).unwrap_or(""),
        );
        text(
            &mut out,
            &task.due.map(|d| d.to_string()).unwrap_or_default(),
        );
    }
    text(&mut out, "how_often");
    text(&mut out, &terms.arrangement.how_often);
    text(&mut out, "with_whom");
    text(&mut out, &terms.arrangement.with_whom);
    text(&mut out, "evaluation_date");
    text(
        &mut out,
        &terms
            .evaluation_date
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    out
}

/// SHA-256 of [`encode_terms`] of the current terms.
pub fn terms_hash(doc: &AutoCommit) -> Result<[u8; 32]> {
    Ok(Sha256::digest(encode_terms(&agreed_terms(doc)?)).into())
}

/// Whether a signature still counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureState {
    /// The terms are exactly what was signed.
    Valid,
    /// A term changed since signing.
    NeedsSigningAgain,
    /// Signed with an encoding from a newer version; this one cannot check it.
    UnknownEncoding,
}

pub(crate) fn signature_state(encoding: u64, signed: &[u8], current: &[u8; 32]) -> SignatureState {
    if encoding != u64::from(TERMS_ENCODING_VERSION) {
        SignatureState::UnknownEncoding
    } else if signed == current {
        SignatureState::Valid
    } else {
        SignatureState::NeedsSigningAgain
    }
}

/// The bytes a device signs with its Ed25519 key for a signature record:
/// a tag, the dossier id, the encoding version, the terms hash and the
/// person, each length-prefixed. The sync layer, which holds the device
/// keys and the dossier id, signs and verifies these bytes.
pub fn device_signature_message(
    dossier_id: &[u8],
    encoding: u64,
    terms_hash: &[u8],
    person: &PersonId,
) -> Vec<u8> {
    let mut out = Vec::new();
    field(&mut out, DEVICE_SIGNATURE_TAG);
    field(&mut out, dossier_id);
    out.extend_from_slice(&encoding.to_be_bytes());
    field(&mut out, terms_hash);
    field(&mut out, person.as_str().as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> AgreedTerms {
        AgreedTerms {
            sections: AgreementSection::ALL
                .iter()
                .map(|s| (*s, String::new()))
                .collect(),
            tasks: vec![],
            arrangement: ConversationArrangement::default(),
            evaluation_date: None,
        }
    }

    #[test]
    fn composed_and_decomposed_text_encode_the_same() {
        let mut a = terms();
        let mut b = terms();
        a.sections[0].1 = "Zo\u{00eb} leest veel".into();
        b.sections[0].1 = "Zoe\u{0308} leest veel".into();
        assert_eq!(encode_terms(&a), encode_terms(&b));
    }

    #[test]
    fn moving_text_between_sections_changes_the_encoding() {
        let mut a = terms();
        let mut b = terms();
        a.sections[0].1 = "ab".into();
        b.sections[0].1 = "a".into();
        b.sections[1].1 = "b".into();
        assert_ne!(encode_terms(&a), encode_terms(&b));
    }

    #[test]
    fn the_encoding_starts_with_its_tag_and_version() {
        let bytes = encode_terms(&terms());
        assert!(bytes.starts_with(b"driehoek-agreed-terms\0\0\0\x01"));
    }
}
