//! Views: each function hydrates only the section it shows.
//!
//! Fields a document from an older schema lacks get defaults here
//! (`missing = ..`); nothing on this side ever writes, so two devices
//! reading an old document can never both "migrate" it.

use std::collections::BTreeMap;

use automerge::{
    AutoCommit, ChangeHash, ObjId, ObjType, ROOT, ReadDoc, ScalarValueRef, Value, ValueRef,
};
use autosurgeon::bytes::ByteVec;
use autosurgeon::{Hydrate, HydrateError, MaybeMissing, hydrate_prop};

use super::error::{ModelError, Result};
use super::schema::{
    Access, access, child_obj, container, get_bool, key, schema_version, section_text,
};
use super::signing::{SignatureState, signature_state, terms_hash};
use super::types::{
    AgreementSection, ConversationKind, Date, EntryKind, ExpectationList, ExpectationStatus, Id,
    Party, PersonId, Role, SourceKind, TaskStatus, Timestamp, unhex,
};

fn no() -> bool {
    false
}
fn zero() -> i64 {
    0
}
fn proposed() -> ExpectationStatus {
    ExpectationStatus::Proposed
}
fn open() -> TaskStatus {
    TaskStatus::Open
}
fn other_conversation() -> ConversationKind {
    ConversationKind::Other
}
fn other_source() -> SourceKind {
    SourceKind::Other
}
fn unknown_role() -> Role {
    Role::Unknown(String::new())
}

/// Accepts any value: for maps used as sets, where only the keys matter.
struct Present;

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
struct AnyText(String);

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

fn empty_text() -> AnyText {
    AnyText(String::new())
}

// ---------------------------------------------------------------- dossier

#[derive(Hydrate)]
struct DossierDoc {
    #[autosurgeon(missing = "String::new")]
    child_name: String,
    #[autosurgeon(missing = "String::new")]
    group: String,
    #[autosurgeon(missing = "String::new")]
    school_year: String,
    #[autosurgeon(missing = "zero")]
    created_at: i64,
    #[autosurgeon(missing = "Option::default")]
    created_by: Option<Id>,
}

/// The child's details and the state of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DossierSummary {
    pub schema_version: u64,
    pub access: Access,
    pub child_name: String,
    pub group: String,
    /// As stored (`2025-2026`); see [`super::types::SchoolYear::parse`].
    pub school_year: String,
    pub created_at: Timestamp,
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

// ---------------------------------------------------------------- members

#[derive(Hydrate)]
struct PersonDoc {
    #[autosurgeon(missing = "String::new")]
    name: String,
    #[autosurgeon(missing = "unknown_role")]
    role: Role,
    #[autosurgeon(missing = "zero")]
    joined_at: i64,
    #[autosurgeon(missing = "Option::default")]
    removed_at: Option<i64>,
    #[autosurgeon(missing = "Option::default")]
    removed_by: Option<Id>,
}

/// A person in the partnership.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub id: PersonId,
    pub name: String,
    pub role: Role,
    pub joined_at: Timestamp,
    /// Removed from the partnership then, by that member. A removed person
    /// stays here so history keeps their name; they are no member.
    pub removed: Option<(Timestamp, Option<PersonId>)>,
}

impl Member {
    pub fn is_current(&self) -> bool {
        self.removed.is_none()
    }
}

/// A device and the people who use it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    /// Ed25519 public key.
    pub key: [u8; 32],
    pub persons: Vec<PersonId>,
    /// When the device was first registered.
    pub added_at: Timestamp,
    /// Who vouched for it, and when, oldest first.
    pub confirmed_by: Vec<(PersonId, Timestamp)>,
    /// When it last had everything from the relay, as it noted itself.
    pub last_seen: Option<Timestamp>,
    /// The dossier's creator made the dossier on it: nobody else was there
    /// to confirm it, and nobody needs to.
    pub founding: bool,
    /// Its published box key records (more than one if two were written
    /// at once); only one the device itself signed counts.
    pub box_records: Vec<Vec<u8>>,
}

impl Device {
    /// Vouched for by a member, or the device the dossier was made on.
    pub fn is_confirmed(&self) -> bool {
        self.founding || !self.confirmed_by.is_empty()
    }
}

/// Everyone in the partnership and their devices.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Members {
    /// Sorted by joining time.
    pub people: Vec<Member>,
    pub devices: Vec<Device>,
}

impl Members {
    pub fn get(&self, id: &PersonId) -> Option<&Member> {
        self.people.iter().find(|m| &m.id == id)
    }

    /// The people who take part now (not removed).
    pub fn current(&self) -> impl Iterator<Item = &Member> {
        self.people.iter().filter(|m| m.is_current())
    }

    /// Whether `id` takes part now.
    pub fn is_current(&self, id: &PersonId) -> bool {
        self.get(id).is_some_and(Member::is_current)
    }

    /// The devices of people who take part now: a device shared by a
    /// removed parent and the child stays, as the child's.
    pub fn current_devices(&self) -> impl Iterator<Item = &Device> {
        self.devices
            .iter()
            .filter(|d| d.persons.iter().any(|p| self.is_current(p)))
    }
}

/// Members and devices.
pub fn members(doc: &AutoCommit) -> Result<Members> {
    let members = container(doc, &[key::MEMBERS])?;
    let people: Option<BTreeMap<String, PersonDoc>> = opt(doc, &members, key::PEOPLE)?;
    let mut people: Vec<Member> = people
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(id, p)| {
            Some(Member {
                id: Id::new(id).ok()?,
                name: p.name,
                role: p.role,
                joined_at: p.joined_at,
                removed: p.removed_at.map(|at| (at, p.removed_by)),
            })
        })
        .collect();
    people.sort_by(|a, b| (a.joined_at, &a.id).cmp(&(b.joined_at, &b.id)));

    let mut devices: BTreeMap<[u8; 32], Device> = BTreeMap::new();
    let mut confirmations = Vec::new();
    let mut seen = Vec::new();
    let mut boxes = Vec::new();
    if let Some((Value::Object(ObjType::Map), obj)) = doc.get(&members, key::DEVICES)? {
        for item in doc.map_range(&obj, ..) {
            if let Some(device) = item.key.strip_prefix(key::BOX) {
                if let Some(device) = device_bytes(device) {
                    // Every value written at once, not only the winner: a
                    // forged record must not hide the device's own.
                    for (value, _) in doc.get_all(&obj, item.key)? {
                        if let Value::Scalar(v) = value
                            && let automerge::ScalarValue::Bytes(b) = v.as_ref()
                        {
                            boxes.push((device, b.clone()));
                        }
                    }
                }
                continue;
            }
            let at = match item.value {
                ValueRef::Scalar(ScalarValueRef::Int(t)) => t,
                _ => 0,
            };
            let k = item.key;
            if let Some(rest) = k.strip_prefix(key::CONFIRMED) {
                if let Some((device, by)) = rest.split_once(':')
                    && let (Some(device), Ok(by)) = (device_bytes(device), Id::new(by))
                {
                    confirmations.push((device, by, at));
                }
                continue;
            }
            if let Some(device) = k.strip_prefix(key::SEEN) {
                if let Some(device) = device_bytes(device) {
                    seen.push((device, at));
                }
                continue;
            }
            let Some((device, person)) = k.split_once('/') else {
                continue;
            };
            let (Some(key), Ok(person)) = (device_bytes(device), Id::new(person)) else {
                continue;
            };
            let d = devices.entry(key).or_insert_with(|| Device {
                key,
                persons: Vec::new(),
                added_at: at,
                confirmed_by: Vec::new(),
                last_seen: None,
                founding: false,
                box_records: Vec::new(),
            });
            d.persons.push(person);
            d.added_at = d.added_at.min(at);
        }
    }
    for (device, by, at) in confirmations {
        if let Some(d) = devices.get_mut(&device) {
            d.confirmed_by.push((by, at));
        }
    }
    for (device, at) in seen {
        if let Some(d) = devices.get_mut(&device) {
            d.last_seen = Some(at);
        }
    }
    for (device, record) in boxes {
        if let Some(d) = devices.get_mut(&device) {
            d.box_records.push(record);
        }
    }
    let creator = opt::<DossierDoc>(doc, ROOT, key::DOSSIER)
        .ok()
        .flatten()
        .and_then(|d| d.created_by);
    if let Some(creator) = creator
        && let Some(first) = devices
            .values_mut()
            .filter(|d| d.persons.contains(&creator))
            .min_by_key(|d| (d.added_at, d.key))
    {
        first.founding = true;
    }
    let mut devices: Vec<Device> = devices.into_values().collect();
    for d in &mut devices {
        d.confirmed_by.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    }
    Ok(Members { people, devices })
}

/// The relay ids of the logs the dossier left at re-foundings
/// ([`crate::model::commands::note_former_log`]), oldest first.
pub fn former_logs(doc: &AutoCommit) -> Result<Vec<[u8; 16]>> {
    let members = container(doc, &[key::MEMBERS])?;
    let mut found: Vec<(i64, [u8; 16])> = doc
        .map_range(&members, ..)
        .filter_map(|item| {
            let id = item.key.strip_prefix(key::FORMER_LOG)?;
            let id = <[u8; 16]>::try_from(unhex(id)?.as_slice()).ok()?;
            let at = match item.value {
                ValueRef::Scalar(ScalarValueRef::Int(t)) => t,
                _ => 0,
            };
            Some((at, id))
        })
        .collect();
    found.sort();
    Ok(found.into_iter().map(|(_, id)| id).collect())
}

fn device_bytes(text: &str) -> Option<[u8; 32]> {
    <[u8; 32]>::try_from(unhex(text)?.as_slice()).ok()
}

// ---------------------------------------------------------------- logbook

#[derive(Hydrate)]
struct CommentDoc {
    author: Id,
    #[autosurgeon(missing = "String::new")]
    body: String,
    #[autosurgeon(missing = "zero")]
    at: i64,
    #[autosurgeon(missing = "no")]
    deleted: bool,
}

/// A comment on an entry or an expectation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub id: Id,
    pub author: PersonId,
    pub body: String,
    pub at: Timestamp,
}

fn comments(stored: BTreeMap<String, CommentDoc>) -> Vec<Comment> {
    let mut out: Vec<Comment> = stored
        .into_iter()
        .filter(|(_, c)| !c.deleted)
        .filter_map(|(id, c)| {
            Some(Comment {
                id: Id::new(id).ok()?,
                author: c.author,
                body: c.body,
                at: c.at,
            })
        })
        .collect();
    out.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    out
}

/// Everyone who reacted with one emoji.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reaction {
    pub emoji: String,
    pub persons: Vec<PersonId>,
}

/// A field two devices changed at once: every value Automerge kept, the
/// one shown first. Writing the field again resolves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub field: &'static str,
    pub values: Vec<String>,
}

/// One logbook entry as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogbookEntry {
    pub id: Id,
    pub date: Date,
    pub author: PersonId,
    pub by_child: bool,
    pub kind: EntryKind,
    pub body: String,
    pub tags: Vec<String>,
    pub prompt: Option<Id>,
    pub created_at: Timestamp,
    pub edited_at: Option<Timestamp>,
    pub comments: Vec<Comment>,
    pub reactions: Vec<Reaction>,
    /// Empty unless two devices changed the same field concurrently.
    pub conflicts: Vec<Conflict>,
}

/// The live logbook, newest first, plus the ids of entries this version
/// could not read (shown as "written by a newer app"), so one odd entry
/// never hides the rest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Logbook {
    pub entries: Vec<LogbookEntry>,
    pub unreadable: Vec<String>,
}

const CONFLICT_FIELDS: [&str; 4] = ["body", "date", "kind", "by_child"];

fn scalar_text(v: &Value<'_>) -> String {
    match v {
        Value::Scalar(s) => match s.as_ref() {
            automerge::ScalarValue::Str(s) => s.to_string(),
            other => other.to_string(),
        },
        Value::Object(t) => format!("({t})"),
    }
}

fn conflicts_of(doc: &AutoCommit, obj: &ObjId) -> Result<Vec<Conflict>> {
    let mut out = Vec::new();
    for field in CONFLICT_FIELDS {
        let all = doc.get_all(obj, field)?;
        if all.len() < 2 {
            continue;
        }
        let winner = doc.get(obj, field)?.map(|(v, _)| scalar_text(&v));
        let mut values: Vec<String> = winner.iter().cloned().collect();
        let mut skipped_winner = false;
        for (v, _) in &all {
            let text = scalar_text(v);
            if !skipped_winner && Some(&text) == winner.as_ref() {
                skipped_winner = true;
                continue;
            }
            values.push(text);
        }
        out.push(Conflict { field, values });
    }
    Ok(out)
}

fn missing_field(field: &str) -> ModelError {
    HydrateError::unexpected(format!("a {field}"), "nothing".to_string()).into()
}

fn int_of(v: &ValueRef<'_>) -> Option<i64> {
    match v {
        ValueRef::Scalar(ScalarValueRef::Int(i)) => Some(*i),
        ValueRef::Scalar(ScalarValueRef::Uint(u)) => i64::try_from(*u).ok(),
        _ => None,
    }
}

fn str_of<'a>(v: &'a ValueRef<'_>) -> Option<&'a str> {
    match v {
        ValueRef::Scalar(ScalarValueRef::Str(s)) => Some(s.as_ref()),
        _ => None,
    }
}

/// Live comments of a comments map, oldest first.
fn entry_comments(doc: &AutoCommit, comments: &ObjId) -> Vec<Comment> {
    let mut out = Vec::new();
    for item in doc.map_range(comments, ..) {
        let Ok(id) = Id::new(item.key.as_ref()) else {
            continue;
        };
        let obj = item.id();
        let (mut author, mut body, mut at, mut deleted) = (None, String::new(), 0, false);
        for field in doc.map_range(&obj, ..) {
            match field.key.as_ref() {
                "author" => author = str_of(&field.value).map(Id::unchecked),
                "body" => body = str_of(&field.value).unwrap_or_default().to_string(),
                "at" => at = int_of(&field.value).unwrap_or(0),
                "deleted" => {
                    deleted = matches!(field.value, ValueRef::Scalar(ScalarValueRef::Boolean(true)))
                }
                _ => {}
            }
        }
        if let (Some(author), false) = (author, deleted) {
            out.push(Comment {
                id,
                author,
                body,
                at,
            });
        }
    }
    out.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    out
}

/// Reads one entry in a single pass over its keys, or `None` for a
/// tombstone.
///
/// Hand-written rather than derived: on a dossier with 10,000 changes each
/// `get` costs about 4.5 µs, and the derived hydrate does one per field, per
/// comment field and per nested map, which took 300 ms for 2,000 entries;
/// one `map_range` pass per object is several times cheaper. Defaults for
/// fields an older schema lacks are applied here, as `missing = ..` does
/// elsewhere; keys from newer versions are ignored.
fn read_entry(doc: &AutoCommit, id: Id, obj: &ObjId) -> Result<Option<LogbookEntry>> {
    let mut date = None;
    let mut author = None;
    let mut by_child = false;
    let mut kind = EntryKind::Other;
    let mut body = String::new();
    let mut tags = Vec::new();
    let mut prompt = None;
    let mut created_at = 0;
    let mut edited_at = None;
    let mut comments = Vec::new();
    let mut reactions: BTreeMap<String, Vec<PersonId>> = BTreeMap::new();
    let mut conflicted = false;
    for item in doc.map_range(obj, ..) {
        let key = item.key.as_ref();
        conflicted |= item.conflict && CONFLICT_FIELDS.contains(&key);
        let v = &item.value;
        match key {
            "deleted" if matches!(v, ValueRef::Scalar(ScalarValueRef::Boolean(true))) => {
                return Ok(None);
            }
            "date" => {
                let s = str_of(v).ok_or_else(|| missing_field("date"))?;
                date = Some(Date::parse(s)?);
            }
            "author" => author = str_of(v).map(Id::unchecked),
            "by_child" => by_child = matches!(v, ValueRef::Scalar(ScalarValueRef::Boolean(true))),
            "kind" => kind = str_of(v).map(EntryKind::parse).unwrap_or(EntryKind::Other),
            "body" => match v {
                ValueRef::Object(ObjType::Text) => body = doc.text(item.id())?,
                _ => body = str_of(v).unwrap_or_default().to_string(),
            },
            "prompt" => prompt = str_of(v).map(Id::unchecked),
            "created_at" => created_at = int_of(v).unwrap_or(0),
            "edited_at" => edited_at = int_of(v),
            key::TAGS if matches!(v, ValueRef::Object(ObjType::Map)) => {
                tags = doc.keys(item.id()).collect();
            }
            key::COMMENTS if matches!(v, ValueRef::Object(ObjType::Map)) => {
                comments = entry_comments(doc, &item.id());
            }
            key::REACTIONS if matches!(v, ValueRef::Object(ObjType::Map)) => {
                for k in doc.keys(item.id()) {
                    let Some((person, emoji)) = k.split_once('/') else {
                        continue;
                    };
                    let Ok(person) = Id::new(person) else {
                        continue;
                    };
                    reactions.entry(emoji.to_string()).or_default().push(person);
                }
            }
            _ => {}
        }
    }
    Ok(Some(LogbookEntry {
        id,
        date: date.ok_or_else(|| missing_field("date"))?,
        author: author.ok_or_else(|| missing_field("author"))?,
        by_child,
        kind,
        body,
        tags,
        prompt,
        created_at,
        edited_at,
        comments,
        reactions: reactions
            .into_iter()
            .map(|(emoji, persons)| Reaction { emoji, persons })
            .collect(),
        // Only conflicted keys pay for get_all.
        conflicts: if conflicted {
            conflicts_of(doc, obj)?
        } else {
            Vec::new()
        },
    }))
}

/// All live entries.
pub fn logbook_entries(doc: &AutoCommit) -> Result<Logbook> {
    let book = container(doc, &[key::LOGBOOK])?;
    let mut out = Logbook::default();
    for item in doc.map_range(&book, ..) {
        let key = item.key.to_string();
        let (ValueRef::Object(ObjType::Map), Ok(id)) = (&item.value, Id::new(key.clone())) else {
            out.unreadable.push(key);
            continue;
        };
        match read_entry(doc, id, &item.id()) {
            Ok(Some(entry)) => out.entries.push(entry),
            Ok(None) => {}
            Err(_) => out.unreadable.push(key),
        }
    }
    newest_first(&mut out.entries);
    Ok(out)
}

/// The logbook's order: newest date first, then newest written first.
pub fn newest_first(entries: &mut [LogbookEntry]) {
    entries.sort_by(|a, b| (b.date, b.created_at, &b.id).cmp(&(a.date, a.created_at, &a.id)));
}

/// One live entry, or `None` if it does not exist or was deleted.
pub fn logbook_entry(doc: &AutoCommit, id: &Id) -> Result<Option<LogbookEntry>> {
    let book = container(doc, &[key::LOGBOOK])?;
    match child_obj(doc, &book, id.as_str(), ObjType::Map) {
        Some(obj) => read_entry(doc, id.clone(), &obj),
        None => Ok(None),
    }
}

/// Whether an entry exists as a tombstone.
/// Whether the logbook holds anything at all under `key`: an entry, a
/// tombstone, or a value this version cannot read as an entry.
pub fn logbook_has(doc: &AutoCommit, key: &str) -> bool {
    container(doc, &[key::LOGBOOK])
        .ok()
        .and_then(|book| doc.get(&book, key).ok().flatten())
        .is_some()
}

pub fn is_entry_deleted(doc: &AutoCommit, id: &Id) -> Result<bool> {
    let book = container(doc, &[key::LOGBOOK])?;
    Ok(child_obj(doc, &book, id.as_str(), ObjType::Map)
        .is_some_and(|obj| get_bool(doc, &obj, "deleted")))
}

// ----------------------------------------------------------- expectations

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
    pub party: Party,
    pub person: PersonId,
}

/// One point on an expectation list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    pub id: Id,
    pub list: ExpectationList,
    pub text: String,
    pub proposed_by: Option<PersonId>,
    pub proposed_at: Timestamp,
    pub status: ExpectationStatus,
    pub marks: Vec<AgreementMark>,
    pub comments: Vec<Comment>,
}

/// The three lists, each in the order points were proposed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expectations {
    pub parents_of_school: Vec<Expectation>,
    pub school_of_parents: Vec<Expectation>,
    pub of_child: Vec<Expectation>,
}

impl Expectations {
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

// -------------------------------------------------------------- agreement

#[derive(Hydrate)]
pub(crate) struct TaskDoc {
    #[autosurgeon(missing = "String::new")]
    pub(crate) what: String,
    #[autosurgeon(missing = "Option::default")]
    pub(crate) who: Option<Id>,
    #[autosurgeon(missing = "Option::default")]
    pub(crate) due: Option<Date>,
    #[autosurgeon(missing = "open")]
    pub(crate) status: TaskStatus,
    #[autosurgeon(missing = "Option::default")]
    pub(crate) created_by: Option<Id>,
    #[autosurgeon(missing = "zero")]
    pub(crate) created_at: i64,
    #[autosurgeon(missing = "no")]
    pub(crate) removed: bool,
}

/// A concrete task for the parents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParentTask {
    pub id: Id,
    pub what: String,
    pub who: Option<PersonId>,
    pub due: Option<Date>,
    pub status: TaskStatus,
    pub created_by: Option<PersonId>,
    pub created_at: Timestamp,
}

/// Live parent tasks in the order they were added.
pub(crate) fn parent_tasks(doc: &AutoCommit) -> Result<Vec<ParentTask>> {
    let agreement = container(doc, &[key::AGREEMENT])?;
    let stored: Option<BTreeMap<String, TaskDoc>> = opt(doc, &agreement, key::TASKS)?;
    let mut out: Vec<ParentTask> = stored
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, t)| !t.removed)
        .filter_map(|(id, t)| {
            Some(ParentTask {
                id: Id::new(id).ok()?,
                what: t.what,
                who: t.who,
                due: t.due,
                status: t.status,
                created_by: t.created_by,
                created_at: t.created_at,
            })
        })
        .collect();
    out.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Ok(out)
}

#[derive(Hydrate)]
pub(crate) struct ArrangementDoc {
    #[autosurgeon(missing = "String::new")]
    pub(crate) how_often: String,
    #[autosurgeon(missing = "String::new")]
    pub(crate) with_whom: String,
}

/// How often progress is discussed, and with whom.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConversationArrangement {
    pub how_often: String,
    pub with_whom: String,
}

pub(crate) fn arrangement(doc: &AutoCommit) -> Result<ConversationArrangement> {
    let agreement = container(doc, &[key::AGREEMENT])?;
    let a: Option<ArrangementDoc> = opt(doc, &agreement, key::ARRANGEMENT)?;
    Ok(a.map(|a| ConversationArrangement {
        how_often: a.how_often,
        with_whom: a.with_whom,
    })
    .unwrap_or_default())
}

pub(crate) fn evaluation_date(doc: &AutoCommit) -> Result<Option<Date>> {
    let agreement = container(doc, &[key::AGREEMENT])?;
    opt(doc, &agreement, key::EVALUATION_DATE)
}

/// The text of one section ("" in an older document without it).
pub fn section(doc: &AutoCommit, section: AgreementSection) -> Result<String> {
    match section_text(doc, section) {
        Ok(obj) => Ok(doc.text(&obj)?),
        Err(ModelError::MissingContainer(_)) => Ok(String::new()),
        Err(e) => Err(e),
    }
}

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
    pub id: Id,
    pub person: PersonId,
    /// The role at the time of signing.
    pub role: Role,
    pub signed_at: Timestamp,
    /// The document's heads when signing: `fork_at`/`text_at` these to show
    /// exactly what was signed, or diff them against now.
    pub heads: Vec<ChangeHash>,
    pub terms_hash: Vec<u8>,
    pub encoding: u64,
    /// The signing device's Ed25519 signature, once sync has added it.
    /// Without one, a signature reads as unverified.
    pub device_signature: Option<Vec<u8>>,
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
    pub tasks: Vec<ParentTask>,
    pub arrangement: ConversationArrangement,
    pub evaluation_date: Option<Date>,
    /// Each person's latest signature.
    pub signatures: Vec<Signature>,
    /// The hash of the current terms; a signature is valid while it matches.
    pub terms_hash: [u8; 32],
}

impl GuidanceAgreement {
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

// ---------------------------------------------------------- conversations

#[derive(Hydrate)]
struct ActionDoc {
    #[autosurgeon(missing = "String::new")]
    what: String,
    #[autosurgeon(missing = "Option::default")]
    owner: Option<Id>,
    #[autosurgeon(missing = "Option::default")]
    due: Option<Date>,
    #[autosurgeon(missing = "open")]
    status: TaskStatus,
    #[autosurgeon(missing = "zero")]
    created_at: i64,
}

#[derive(Hydrate)]
struct InputDoc {
    #[autosurgeon(missing = "String::new")]
    parents: String,
    #[autosurgeon(missing = "String::new")]
    school: String,
    #[autosurgeon(missing = "String::new")]
    child: String,
}

fn no_input() -> InputDoc {
    InputDoc {
        parents: String::new(),
        school: String::new(),
        child: String::new(),
    }
}

#[derive(Hydrate)]
struct ConversationDoc {
    #[autosurgeon(missing = "other_conversation")]
    kind: ConversationKind,
    date: Date,
    #[autosurgeon(missing = "BTreeMap::new")]
    participants: BTreeMap<String, Present>,
    #[autosurgeon(missing = "no_input")]
    input: InputDoc,
    #[autosurgeon(missing = "empty_text")]
    notes: AnyText,
    #[autosurgeon(missing = "BTreeMap::new")]
    actions: BTreeMap<String, ActionDoc>,
    #[autosurgeon(missing = "Option::default")]
    created_by: Option<Id>,
    #[autosurgeon(missing = "zero")]
    created_at: i64,
    #[autosurgeon(missing = "no")]
    removed: bool,
}

/// An action agreed in a conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreedAction {
    pub id: Id,
    pub what: String,
    pub owner: Option<PersonId>,
    pub due: Option<Date>,
    pub status: TaskStatus,
    pub created_at: Timestamp,
}

/// A start or progress conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversation {
    pub id: Id,
    pub kind: ConversationKind,
    pub date: Date,
    pub participants: Vec<PersonId>,
    /// Each party's own input before the meeting, side by side.
    pub input_parents: String,
    pub input_school: String,
    pub input_child: String,
    pub notes: String,
    pub actions: Vec<AgreedAction>,
    pub created_by: Option<PersonId>,
    pub created_at: Timestamp,
}

/// Live conversations by date.
pub fn conversations(doc: &AutoCommit) -> Result<Vec<Conversation>> {
    let stored: Option<BTreeMap<String, ConversationDoc>> = opt(doc, ROOT, key::CONVERSATIONS)?;
    let mut out: Vec<Conversation> = stored
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, c)| !c.removed)
        .filter_map(|(id, c)| {
            let mut actions: Vec<AgreedAction> = c
                .actions
                .into_iter()
                .filter_map(|(id, a)| {
                    Some(AgreedAction {
                        id: Id::new(id).ok()?,
                        what: a.what,
                        owner: a.owner,
                        due: a.due,
                        status: a.status,
                        created_at: a.created_at,
                    })
                })
                .collect();
            actions.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
            Some(Conversation {
                id: Id::new(id).ok()?,
                kind: c.kind,
                date: c.date,
                participants: c
                    .participants
                    .into_keys()
                    .filter_map(|p| Id::new(p).ok())
                    .collect(),
                input_parents: c.input.parents,
                input_school: c.input.school,
                input_child: c.input.child,
                notes: c.notes.0,
                actions,
                created_by: c.created_by,
                created_at: c.created_at,
            })
        })
        .collect();
    out.sort_by(|a, b| (a.date, a.created_at, &a.id).cmp(&(b.date, b.created_at, &b.id)));
    Ok(out)
}

// -------------------------------------------------- prompts and sources

#[derive(Hydrate)]
struct PromptDoc {
    #[autosurgeon(missing = "String::new")]
    title: String,
    #[autosurgeon(missing = "String::new")]
    question: String,
    #[autosurgeon(missing = "Option::default")]
    by: Option<Id>,
    #[autosurgeon(missing = "zero")]
    created_at: i64,
    #[autosurgeon(missing = "no")]
    removed: bool,
}

/// A topic from school to talk about at home.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HomePrompt {
    pub id: Id,
    pub title: String,
    pub question: String,
    pub by: Option<PersonId>,
    pub created_at: Timestamp,
}

/// Live home prompts, newest first.
pub fn home_prompts(doc: &AutoCommit) -> Result<Vec<HomePrompt>> {
    let stored: Option<BTreeMap<String, PromptDoc>> = opt(doc, ROOT, key::PROMPTS)?;
    let mut out: Vec<HomePrompt> = stored
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, p)| !p.removed)
        .filter_map(|(id, p)| {
            Some(HomePrompt {
                id: Id::new(id).ok()?,
                title: p.title,
                question: p.question,
                by: p.by,
                created_at: p.created_at,
            })
        })
        .collect();
    out.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
    Ok(out)
}

#[derive(Hydrate)]
struct SourceDoc {
    #[autosurgeon(missing = "String::new")]
    title: String,
    #[autosurgeon(missing = "Option::default")]
    link: Option<String>,
    #[autosurgeon(missing = "other_source")]
    kind: SourceKind,
    #[autosurgeon(missing = "String::new")]
    note: String,
    #[autosurgeon(missing = "Option::default")]
    added_by: Option<Id>,
    #[autosurgeon(missing = "zero")]
    added_at: i64,
    #[autosurgeon(missing = "BTreeMap::new")]
    tried: BTreeMap<String, Present>,
    #[autosurgeon(missing = "no")]
    removed: bool,
}

/// A shared website, book or event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub id: Id,
    pub title: String,
    pub link: Option<String>,
    pub kind: SourceKind,
    pub note: String,
    pub added_by: Option<PersonId>,
    pub added_at: Timestamp,
    /// Who said "we tried it".
    pub tried_by: Vec<PersonId>,
}

/// Live sources, newest first.
pub fn sources(doc: &AutoCommit) -> Result<Vec<Source>> {
    let stored: Option<BTreeMap<String, SourceDoc>> = opt(doc, ROOT, key::SOURCES)?;
    let mut out: Vec<Source> = stored
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, s)| !s.removed)
        .filter_map(|(id, s)| {
            Some(Source {
                id: Id::new(id).ok()?,
                title: s.title,
                link: s.link,
                kind: s.kind,
                note: s.note,
                added_by: s.added_by,
                added_at: s.added_at,
                tried_by: s
                    .tried
                    .into_keys()
                    .filter_map(|p| Id::new(p).ok())
                    .collect(),
            })
        })
        .collect();
    out.sort_by(|a, b| (b.added_at, &b.id).cmp(&(a.added_at, &a.id)));
    Ok(out)
}
